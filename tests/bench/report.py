#!/usr/bin/env python3
"""report.py - BENCHMARKS.md and BENCHMARKS.json from one `make bench` run.

    report.py RESULTS_DIR OUT.md OUT.json
    report.py --rerender BENCHMARKS.json OUT.md   (the same numbers, this text)

RESULTS_DIR holds what run.sh and timeit.py wrote: machine.env,
corpus.json, one JSON per case, profiles/*.txt. Every number written
comes from there; the only text not produced by the run is the
explanation of a missed target (LIMITS below), which has no numbers and
is printed only when that target is missed.
"""
import json
import os
import shlex
import statistics
import sys

# What limits a target when it is missed: the causes found by profiling
# (perf, callgrind) while the benchmark was written. No numbers here: the
# numbers are the run's, in the tables and profiles.
LIMITS = {
    "tree_rg": (
        "pushgate and ripgrep read the same files; pushgate runs one Hyperscan database of all "
        "its rules over every byte, ripgrep its regex engine with the 21 patterns."),
    "tree_floor": (
        "the floor reads the files and looks for one literal; pushgate reads the same files "
        "(the read and open system calls are the same in both, and the kernel copying file "
        "data is the top of both profiles) and also runs the Hyperscan database of every rule "
        "over every byte (`avx512vbmi_hs_scan` or its sibling for the CPU, in the profile): "
        "its extra user time is almost all that scan, the price of the rules. The rules that "
        "cost the database most (found by leaving out one rule at a time) have prefilters; "
        "what is left is spread over all of them. The single-threaded walk before the threads "
        "start is small next to it. The ratio sits at the limit: it moves across it from run "
        "to run with the floor's own time."),
    "history": (
        "the commit walk and the tree comparison (`changed_paths`) run on one thread, which also "
        "confirms and reports the secrets; the blobs of every changed file are read and diffed "
        "on every core (git/diff_pool.c), each thread through a repository of its own (libgit2 "
        "1.5 serializes object reads within one repository), and the thread that diffs a change "
        "also runs Hyperscan over its added lines, stopping at the first hit: the few changes "
        "with one are confirmed on the walk's thread, the rest pass (`pg_scan_buffer_may_match`). "
        "A thread claims the queued versions of one file together, so a file's delta chain stays "
        "with one thread. What is left is libgit2 reading objects (`git_odb_read`, `inflate`, "
        "`adler32`) and the line diffs of the changes whose added lines do not follow from the "
        "lines both versions share at their ends (git/blob_diff.c, pg_blob_diff__added_run, "
        "takes about three changes in four without a diff): edits at two places, or whose old "
        "and new lines share one. git log -p does the same reading and diffing on one core with "
        "git's own pack code. Peak RSS is mostly the mapped pack; libgit2's object cache is off "
        "(on for trees and commits it was measured: fewer instructions, more CPU time, twice "
        "the RSS)."),
    "history_real": (
        "see the history target: the same walk and diffs on a history of small edits to big "
        "files, read path by path (each version's delta chain mostly cached from the one "
        "before) and mostly not diffed at all; the walk's thread is the longer of the two."),
    "push_small": (
        "every push starts pushgate twice (pre-receive, then update for the ref); a push of "
        "a few files is diffed on the hook's own thread. The update hook takes pre-receive's "
        "token before libgit2 starts, the rules come decoded from the cache, and the branch "
        "and tag tips are read from the ref store directly (git/git_tips.c). What remains is "
        "in the start-up table's floors: each process pays the dynamic loader mapping and "
        "relocating pushgate's libraries, libgit2's chain as Debian builds it (mbedTLS, "
        "libssh2 with OpenSSL, Kerberos, HTTP parser) the largest part, which is most of the "
        "update hook; pre-receive also pays `git_libgit2_init`, which parses the system CA "
        "bundle through mbedTLS though hooks never use TLS (the floor that calls it against "
        "the one that does not), then the cached rules' load (see the warm start). Loading "
        "libgit2 only for the commands that use it (dlopen, every call through a table) would "
        "take its chain off the update hook, not off pre-receive, which needs libgit2 and its "
        "initialisation; it was not done. A libgit2 built without HTTPS and SSH would remove "
        "both. Whole pushes vary by tens of milliseconds from run to run here, the no-op push "
        "too: the hooks' own times are the steadier figure."),
    "push_big": (
        "the hook does the history scan's per-commit work on every pushed commit: the walk "
        "and tree comparison on one thread, the blobs read and diffed on every core (see "
        "the history target), while git's receive indexes the pack once, on all cores."),
    "hook_rss": (
        "libgit2's object cache is off (it only held memory: the same hook time without "
        "it), and the hooks bound libgit2's pack mapping (`pg_git_init_hook`, git/git.c: "
        "16 MiB windows, at most 32 MiB mapped). At the big push's peak about half the "
        "resident memory is file pages: the pushed pack, mapped by libgit2 (the pages git's "
        "index-pack just wrote, shared with the page cache), and the libraries; the rest "
        "is heap (massif): libgit2's delta-base cache of the pack (a fixed bound in libgit2 "
        "1.5), the blobs being diffed on each thread and the Hyperscan database. Smaller "
        "windows were measured while this was written: 8 MiB windows, 24 MiB mapped brings "
        "the big push under the limit but makes its hook about a third slower (windows are "
        "remapped over and over), which would miss the big-push target instead."),
    "rule_cost": (
        "the rule named is slow for Hyperscan to follow at every byte: usually a pattern that "
        "starts with a broad character class and a long bounded repeat and holds no literal "
        "for Hyperscan to look for first. Give it a `prefilter` (docs/rules-format.md), a "
        "rarer part that every match contains; PCRE2 still confirms the whole pattern, so "
        "the findings do not change."),
    "warm_start": (
        "the rules come from the cache decoded (no YAML, no PCRE2 compilation) and the "
        "embedded rules' digest is computed at build time. The start-up table's floors show "
        "the rest: an empty program linked with pushgate's libraries already takes several "
        "times the limit (the dynamic loader, libgit2's dependency chain the largest part, "
        "though a file scan never calls libgit2); pushgate's own part (callgrind and perf of "
        "`pushgate scan` of one small file) is reading and checksumming the cached database "
        "and rules (some 1.6 MB, their buffers faulted in at once, pg_mem_prefault), "
        "Hyperscan deserializing the database and allocating its scratch. Linking libgit2 and its chain statically "
        "was measured (an empty program: half the start-up time) and not done: it would "
        "freeze libgit2's, mbedTLS's, libssh2's and OpenSSL's security fixes into the binary "
        "instead of taking them from Debian's updates."),
}

# The commit the LIMITS above describe.
ANALYSED = "0eedfcb"

REFERENCE = {"tree": "rg", "tools": "pg_jall", "history": "log", "history_real": "log",
             "history_self": "log",
             "push_small": "noop", "push_big": "noop", "startup": "warm"}


def load(results):
    machine = {}
    with open(os.path.join(results, "machine.env")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            machine[k] = v
    with open(os.path.join(results, "corpus.json")) as f:
        corpus = json.load(f)
    recall = os.path.join(results, "recall.md")
    if os.path.exists(recall):
        with open(recall) as f:
            corpus["recall"] = f.read().rstrip("\n")
    cost = os.path.join(results, "rule_cost")
    if os.path.exists(cost + ".md") and os.path.exists(cost + ".txt"):
        with open(cost + ".md") as f:
            corpus["rule_cost"] = f.read().rstrip("\n")
        with open(cost + ".txt") as f:
            corpus["rule_cost_figures"] = dict(line.rstrip("\n").partition("=")[::2] for line in f)
    cases = {}
    for name in sorted(os.listdir(results)):
        if name.endswith(".json") and name != "corpus.json":
            with open(os.path.join(results, name)) as f:
                c = json.load(f)
            cases[c["case"]] = c
    profiles = {}
    pdir = os.path.join(results, "profiles")
    if os.path.isdir(pdir):
        for name in sorted(os.listdir(pdir)):
            with open(os.path.join(pdir, name)) as f:
                profiles[name[:-4]] = f.read().rstrip("\n")
    return machine, corpus, cases, profiles


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(case):
    out = {"title": case["title"], "runs": case["runs"], "load_before": case["load_before"],
           "load_after": case["load_after"], "started": case.get("started"),
           "finished": case.get("finished"), "contenders": {}}
    for c in case["contenders"]:
        runs = c["runs"]
        s = {"label": c["label"], "cmd": c["cmd"],
             "wall_s": summary([r["wall_ns"] / 1e9 for r in runs]),
             "rss_kb": summary([r["rss_kb"] for r in runs]),
             "cpu_s": summary([r.get("cpu_ns", 0) / 1e9 for r in runs]),
             "metrics": {}, "runs": runs, "warmup": c.get("warmup")}
        names = sorted({k for r in runs for k in r["metrics"]})
        for k in names:
            vals = [r["metrics"][k] for r in runs if k in r["metrics"]]
            s["metrics"][k] = summary(vals)
        out["contenders"][c["id"]] = s
    ref = REFERENCE.get(case["case"])
    if ref in out["contenders"]:
        base = out["contenders"][ref]["wall_s"]["median"]
        for s in out["contenders"].values():
            s["ratio_to_" + ref] = s["wall_s"]["median"] / base
    return out


def fmt_t(s):
    if s >= 10:
        return "%.1f s" % s
    if s >= 1:
        return "%.2f s" % s
    if s >= 0.1:
        return "%.0f ms" % (s * 1e3)
    if s >= 0.01:
        return "%.1f ms" % (s * 1e3)
    return "%.2f ms" % (s * 1e3)


def fmt_mb(kb):
    return "%.1f MB" % (kb / 1024)


def fmt_bytes(b):
    return "%.1f MB" % (b / 1e6) if b < 1e9 else "%.2f GB" % (b / 1e9)


def targets(cases, machine, corpus):
    t = []

    def get(case, cid):
        return cases.get(case, {}).get("contenders", {}).get(cid)

    def add(tid, what, measured, limit, ok, detail):
        t.append({"id": tid, "target": what, "measured": measured, "limit": limit, "met": ok,
                  "detail": detail})

    pg, rg, floor = get("tree", "pg_jall"), get("tree", "rg"), get("tree", "rg_floor")
    if pg and rg:
        r = pg["wall_s"]["median"] / rg["wall_s"]["median"]
        add("tree_rg", "tree scan no slower than ripgrep with 21 patterns", "%.2fx" % r, "<= 1.0x",
            r <= 1.0, "pushgate scan --jobs %s %s, rg -f %s" % (machine.get("cores"),
                                                              fmt_t(pg["wall_s"]["median"]),
                                                              fmt_t(rg["wall_s"]["median"])))
    if pg and floor:
        r = pg["wall_s"]["median"] / floor["wall_s"]["median"]
        add("tree_floor", "tree scan within 1.5x of the I/O floor", "%.2fx" % r, "<= 1.5x", r <= 1.5,
            "pushgate %s, rg -F NEVERMATCHES %s" % (fmt_t(pg["wall_s"]["median"]),
                                                     fmt_t(floor["wall_s"]["median"])))
    h, log = get("history", "pg_git"), get("history", "log")
    if h and log:
        r = h["wall_s"]["median"] / log["wall_s"]["median"]
        add("history", "history scan faster than git log -p alone", "%.2fx" % r, "< 1.0x", r < 1.0,
            "pushgate scan --git %s, git log -p -U0 --all %s" % (fmt_t(h["wall_s"]["median"]),
                                                                 fmt_t(log["wall_s"]["median"])))
    h, h1, log = get("history_real", "pg_git"), get("history_real", "pg_git_j1"), get("history_real", "log")
    if h and log:
        r = h["wall_s"]["median"] / log["wall_s"]["median"]
        add("history_real", "history scan of a real-shaped history at most half of git log -p",
            "%.2fx" % r, "<= 0.5x", r <= 0.5,
            "pushgate scan --git %s (CPU %s; --jobs 1 %s), git log -p -U0 --all %s (CPU %s)" % (
                fmt_t(h["wall_s"]["median"]), fmt_t(h["cpu_s"]["median"]),
                fmt_t(h1["wall_s"]["median"]) if h1 else "-", fmt_t(log["wall_s"]["median"]),
                fmt_t(log["cpu_s"]["median"])))
    rss = [c["rss_kb"]["max"] for c in (get("history", "pg_git"), get("history", "pg_git_j1"),
                                        get("history_real", "pg_git"), get("history_real", "pg_git_j1"))
           if c]
    if rss:
        add("history_rss", "history scan peak RSS at most 256 MB", fmt_mb(max(rss)), "<= 256 MB",
            max(rss) <= 256 * 1024, "largest over every timed history scan of both generated repositories")
    p, n = get("push_small", "pg"), get("push_small", "noop")
    if p and n:
        # Paired by round: whole pushes here drift by more than the target
        # from round to round, the no-op push too, and alike in one round.
        d = statistics.median([a["wall_ns"] / 1e9 - b["wall_ns"] / 1e9
                               for a, b in zip(p["runs"], n["runs"])])
        add("push_small", "small push at most 10 ms over the no-op hook", "%+.1f ms" % (d * 1e3),
            "<= 10 ms", d <= 0.010,
            "median per round of the push with pushgate less the push with the no-op hook "
            "(medians %s and %s); the hooks themselves %s and %s"
            % (fmt_t(p["wall_s"]["median"]), fmt_t(n["wall_s"]["median"]),
               fmt_t(p["metrics"]["hook_ms"]["median"] / 1e3),
               fmt_t(n["metrics"]["hook_ms"]["median"] / 1e3)))
    p, n = get("push_big", "pg"), get("push_big", "noop")
    if p and n:
        hook = p["metrics"]["hook_ms"]["median"] / 1e3
        own = statistics.median([(r["wall_ns"] / 1e9 - r["metrics"]["hook_ms"] / 1e3) for r in n["runs"]])
        add("push_big", "big push: hook time at most git's own receive time", "%.2fx" % (hook / own),
            "<= 1.0x", hook <= own,
            "pushgate's hooks %s; git's receive (the push with the no-op hook, less that hook) %s"
            % (fmt_t(hook), fmt_t(own)))
    rss = []
    for case, cid in (("push_small", "pg"), ("push_small", "pg_secret"), ("push_big", "pg")):
        c = get(case, cid)
        if c:
            rss += [r["metrics"].get("hook_rss_kb", 0) for r in c["runs"]]
    if rss:
        add("hook_rss", "hook peak RSS at most 64 MB", fmt_mb(max(rss)), "<= 64 MB",
            max(rss) <= 64 * 1024, "largest over every timed push with pushgate (small, rejected, big)")
    rc = corpus.get("rule_cost_figures")
    if rc:
        top, median = float(rc["costliest_s"]), float(rc["median_s"])
        r = top / median if median > 0 else float("inf")
        add("rule_cost", "no rule costs a scan more than 20x the median rule", "%.1fx" % r,
            "<= 20x", r <= 20, "%s, %s over the cheapest rule alone; the median rule %s (see "
            "Cost of each rule)" % (rc["costliest"], fmt_t(top), fmt_t(median)))
    w = get("startup", "warm")
    if w:
        add("warm_start", "warm start under 5 ms", fmt_t(w["wall_s"]["median"]), "< 5 ms",
            w["wall_s"]["median"] < 0.005, "pushgate scan of one small file, compiled rules cached")
    return t


def table(case, cols):
    ref = REFERENCE.get(case["id"])
    lines = ["| contender | median | min – max | × %s | peak RSS |%s" % (ref, "".join(" %s |" % c[0] for c in cols)),
             "|---|---:|---:|---:|---:|%s" % ("---:|" * len(cols))]
    for cid, c in case["contenders"].items():
        extra = "".join(" %s |" % f(c) for _, f in cols)
        lines.append("| %s | %s | %s – %s | %.2f | %s |%s" % (
            c["label"], fmt_t(c["wall_s"]["median"]), fmt_t(c["wall_s"]["min"]),
            fmt_t(c["wall_s"]["max"]), c.get("ratio_to_" + ref, float("nan")),
            fmt_mb(c["rss_kb"]["median"]), extra))
    return "\n".join(lines)


def commands(case, machine):
    def show(cmd):
        cmd = shlex.join(shlex.split(cmd))
        for path, name in ((machine.get("bench_cache"), "$CACHE"), (machine.get("bench_top") + "/", "")):
            if path:
                cmd = cmd.replace(path, name)
        return cmd
    return "\n".join("    %-12s %s" % (cid, show(c["cmd"])) for cid, c in case["contenders"].items())


def metric(c, name, scale=1.0, unit=""):
    m = c["metrics"].get(name)
    if not m:
        return "–"
    return "%.1f%s (%.1f – %.1f)" % (m["median"] * scale, unit, m["min"] * scale, m["max"] * scale)


def from_json(path):
    """The inputs again from a BENCHMARKS.json (report.py --rerender)."""
    with open(path) as f:
        j = json.load(f)
    raw = {}
    for cid, c in j["cases"].items():
        raw[cid] = dict(c, case=cid, started=c.get("started") or j["machine"].get("date", "?"),
                        contenders=[dict(v, id=k) for k, v in c["contenders"].items()])
    return j["machine"], j["corpus"], raw, j.get("profiles", {})


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--rerender":
        # The same run's numbers, the report's text as it is now.
        machine, corpus, raw, profiles = from_json(sys.argv[2])
        out_md, out_json = sys.argv[3], sys.argv[2]
    else:
        results, out_md, out_json = sys.argv[1:]
        machine, corpus, raw, profiles = load(results)
    cases = {k: dict(summarize(v), id=k) for k, v in raw.items()}
    tg = targets(cases, machine, corpus)
    md = []
    w = md.append
    mode = machine.get("mode")
    w("# pushgate benchmarks")
    w("")
    w("Written by `make bench`%s (tests/bench/run.sh) in %s s on %s; every number here comes "
      "from that run, raw runs in `%s`. Do not edit: run it again." % (
          " BENCH_QUICK=1 (small corpora)" if mode == "quick" else "", machine.get("seconds"),
          next(iter(raw.values()))["started"][:10] if raw else "?", os.path.basename(out_json)))
    w("")
    w("## Machine")
    w("")
    w("- CPU: %s; %s cores; SIMD flags Hyperscan can use: %s; %s GB RAM" % (
        machine.get("cpu"), machine.get("cores"), machine.get("simd") or "none", machine.get("mem_gb")))
    w("- %s, Linux %s" % (machine.get("os"), machine.get("kernel")))
    w("- load average (1, 5, 15 min) at start %s, at end %s. This machine is shared: other work may "
      "have run during the benchmark; the contenders alternate run by run, so it weighs on all of "
      "them alike, and min – max shows the spread." % (machine.get("load_start"), machine.get("load_end")))
    w("- %s (%s); Hyperscan %s, libgit2 %s; %s; %s; git-secrets %s; secretlint %s" % (
        machine.get("pushgate"), machine.get("commit"), machine.get("hyperscan"), machine.get("libgit2"),
        machine.get("ripgrep"), machine.get("git"), machine.get("git_secrets"), machine.get("secretlint")))
    w("- each case: one warm-up run of every contender, then %s timed runs each, the order of the "
      "contenders rotating every round; every run (warm-up included) verified: exit status, and "
      "every planted secret found. Wall time: CLOCK_MONOTONIC around fork/exec/wait4 "
      "(tests/bench/pgb-run.c); peak RSS: wait4's ru_maxrss." % machine.get("runs"))
    w("")
    w("## Targets (set for 2 cores)")
    w("")
    if machine.get("cores") != "2":
        w("This machine has %s cores, not 2: compare with care." % machine.get("cores"))
        w("")
    w("| target | measured | limit | met | from |")
    w("|---|---:|---:|:---:|---|")
    for t in tg:
        w("| %s | %s | %s | %s | %s |" % (t["target"], t["measured"], t["limit"],
                                         "yes" if t["met"] else "**no**", t["detail"]))
    w("")
    missed = [t for t in tg if not t["met"]]
    if missed:
        w("### What limits the missed targets")
        w("")
        w("Causes found by profiling pushgate %s (perf, callgrind) while this benchmark was "
          "written; this run's own profiles are at the end." % ANALYSED)
        w("")
        for t in missed:
            text = LIMITS.get(t["id"]) or "Not analysed yet: see the profiles below."
            w("- **%s**: %s" % (t["target"], text))
        w("")
    w("## Corpora")
    w("")
    tr, to, hi, se, pu, bp = (corpus[k] for k in ("tree", "tools", "history", "self", "push", "big_push"))
    w("- tree: `%s` from Debian's linux-source-6.1: %d files, %s (of which %s in dot-files, which "
      "ripgrep skips and pushgate scans), %d planted secrets" % (
          tr["path"], tr["files"], fmt_bytes(tr["bytes"]), fmt_bytes(tr["hidden_bytes"]), tr["planted"]))
    w("- subset for git-secrets and secretlint: `%s`: %d files, %s" % (to["path"], to["files"], fmt_bytes(to["bytes"])))
    w("- history: a repository generated from the kernel tree by `corpus.py history` through git "
      "fast-import: %d commits (adds, modifications, renames, deletions of real kernel files; feature "
      "branches merged with merge commits), %d refs, %s of objects, %d planted secrets" % (
          hi["commits"], hi["refs"], fmt_bytes(hi["objects_bytes"]), hi["planted"]))
    rh = corpus.get("history_real")
    if rh:
        w("- real-shaped history: a repository generated from the kernel tree by `corpus.py history "
          "--shape real`, the shape of a long-lived project: %d commits (%d merges) of small edits "
          "to big kernel files (over 16 kB), the busiest edited far more often than the rest, few "
          "adds, renames (some into and out of vendor/) and deletions; %d files in the newest tree, "
          "%d blobs; packed with `git repack -adf --depth=50 --window=250`: %s of objects, delta "
          "chains up to %d deep (mean %.1f over all blobs); %d planted secrets" % (
              rh["commits"], rh["merges"], rh["files"], rh["blobs"], fmt_bytes(rh["objects_bytes"]),
              rh["max_depth"], rh["mean_depth"], rh["planted"]))
    w("- this repository: a mirror, %d commits with one commit of %d planted secrets on top" % (
        se["commits"], se["planted"]))
    w("- push target: a Gitea-layout bare repository (tests/t/gitea-layout.sh) generated the same way: "
      "%d commits, %d refs (refs/pull/N/head, feature branches, tags), %s of objects, packed refs and "
      "a commit-graph as `git gc` leaves them; pushgate installed by `install.sh --repo`" % (
          pu["commits"], pu["refs"], fmt_bytes(pu["objects_bytes"])))
    w("- big push: the first %d commits of the generated history (%d planted secrets among them)" % (
        bp["commits"], bp["planted"]))
    w("")

    def section(cid, head, text, cols=()):
        if cid not in cases:
            return
        c = cases[cid]
        w("## " + head)
        w("")
        w(c["title"] + ". " + text)
        w("")
        w(table(c, list(cols)))
        w("")
        w("Commands ($CACHE is the bench cache, {run} the run; load average before %s, after %s):" % (
            " ".join("%.2f" % x for x in c["load_before"]), " ".join("%.2f" % x for x in c["load_after"])))
        w("")
        w(commands(c, machine))
        w("")

    def cpu_ratio(cid):
        log = cases.get(cid, {}).get("contenders", {}).get("log")
        if not log or not log["cpu_s"]["median"]:
            return lambda c: "–"
        return lambda c: "%.2f" % (c["cpu_s"]["median"] / log["cpu_s"]["median"])

    tree_bytes = corpus["tree"]["bytes"]
    section("tree", "Tree scan",
            "pushgate's report is JSON; ripgrep prints the matching lines; both to a file (ripgrep "
            "stops at the first match when its output is /dev/null). ripgrep searches what its "
            "defaults search (no dot-files; no .gitignore applies outside a git repository).",
            [("MB/s", lambda c: "%.0f" % (tree_bytes / 1e6 / c["wall_s"]["median"]))])
    section("tools", "Other scanners (subset)",
            "Ratios are to pushgate: above 1, slower than pushgate. Each scanner is checked on the "
            "planted secrets its rules know: git-secrets (AWS patterns) the AWS key, secretlint "
            "(preset-recommend) the GitHub, GitLab, Slack and npm tokens; pushgate all of them.")
    section("history", "History scan",
            "pushgate reads the lines each commit adds (each blob once, renames and clean merges "
            "add nothing), diffing blobs on every core (--jobs default), and with --jobs 1; git "
            "log -p -U0 --all prints every commit's diff on one core (with rename detection, "
            "git's default). CPU is user and system time (wait4), steadier than the wall time on "
            "a shared machine; CPU × log is its ratio to git log's.",
            [("CPU", lambda c: fmt_t(c["cpu_s"]["median"])), ("CPU × log", cpu_ratio("history"))])
    section("history_real", "History scan of a real-shaped history",
            "The same commands, and pushgate with --jobs 1; CPU is user and system time (wait4), "
            "steadier than the wall time on a shared machine; CPU × log is its ratio to git log's.",
            [("CPU", lambda c: fmt_t(c["cpu_s"]["median"])), ("CPU × log", cpu_ratio("history_real"))])
    section("history_self", "History scan of this repository", "The same three commands.")
    if "push_small" in cases:
        c = cases["push_small"]["contenders"]
        section("push_small", "Small push",
                "`git push` over file:// (git's receive-pack and hooks run locally, with Gitea's "
                "environment variables set); Gitea's hook wrappers run every file in "
                "hooks/<hook>.d/. The pushgate hooks are install.sh's files, each wrapped to log its "
                "wall time and peak RSS; the no-op hooks are wrapped the same way.",
                [("hooks (ms)", lambda x: metric(x, "hook_ms")),
                 ("pre-receive (ms)", lambda x: metric(x, "pre_receive_ms")),
                 ("update (ms)", lambda x: metric(x, "update_ms")),
                 ("hook peak RSS (MB)", lambda x: metric(x, "hook_rss_kb", 1 / 1024))])
        diffs = [a["wall_ns"] / 1e9 - b["wall_ns"] / 1e9 for a, b in zip(c["pg"]["runs"], c["noop"]["runs"])]
        w("Per round, pushgate's push minus the no-op push: median %s, min %s, max %s." % (
            "%+.1f ms" % (statistics.median(diffs) * 1e3), "%+.1f ms" % (min(diffs) * 1e3),
            "%+.1f ms" % (max(diffs) * 1e3)))
        w("")
    if "push_big" in cases:
        c = cases["push_big"]["contenders"]
        section("push_big", "Big push into an empty repository",
                "A fresh Gitea-layout repository for every run (not timed). pushgate scans every "
                "line the push adds, finds the planted secrets and rejects the push; the no-op push "
                "is accepted. git's own receive time is the no-op push less its hook.",
                [("hooks (s)", lambda x: metric(x, "hook_ms", 1e-3)),
                 ("hook peak RSS (MB)", lambda x: metric(x, "hook_rss_kb", 1 / 1024)),
                 ("/usr/bin/time %M (MB)", lambda x: metric(x, "time_rss_kb", 1 / 1024))])
        own = [r["wall_ns"] / 1e9 - r["metrics"]["hook_ms"] / 1e3 for r in c["noop"]["runs"]]
        own_pg = [r["wall_ns"] / 1e9 - r["metrics"]["hook_ms"] / 1e3 for r in c["pg"]["runs"]]
        w("git's own receive time: %s (min %s, max %s) with the no-op hook; %s in the pushes with "
          "pushgate (the push less pushgate's hooks)." % (
              fmt_t(statistics.median(own)), fmt_t(min(own)), fmt_t(max(own)), fmt_t(statistics.median(own_pg))))
        w("")
    section("startup", "Start-up",
            "The cold run starts with an empty compiled-rules cache, so it compiles the rules "
            "into a Hyperscan database and writes the cache; the warm run loads it. The floors "
            "(tests/bench/startup-floor.c) say what a process pays before pushgate's own code: "
            "an empty program linked with pushgate's libraries is the dynamic loader mapping "
            "and relocating them, libgit2's dependency chain included; one that also calls "
            "git_libgit2_init() is the least a hook that opens the repository pays; `pushgate "
            "version` is that with pushgate's own start.")
    if profiles:
        w("## Profiles")
        w("")
        w("`perf record -F 199 --call-graph dwarf` of pushgate alone, after the timed runs: the tree "
          "scan with --jobs 1, the history scan, and the big push's pre-receive hook run directly "
          "(`pushgate pre-receive` with the push's stdin line, in a repository holding the pushed "
          "objects without a ref to them: the quarantine-less case).")
        w("")
        for name, text in profiles.items():
            w("### " + name)
            w("")
            w("```")
            w(text)
            w("```")
            w("")
    if corpus.get("rule_cost"):
        w("## Cost of each rule")
        w("")
        w(corpus["rule_cost"])
        w("")
    if corpus.get("recall"):
        w("## Recall on the labelled corpus")
        w("")
        w("Precision, recall and F1 per category on `tests/corpus/recall/` (synthetic values in "
          "every syntax real code uses, lines labelled true or false; docs/recall-corpus.md says "
          "how it is built and scored). `any` counts every finding, `reject` what the default "
          "policy rejects (confidence high or medium). `make test` fails when a value drops "
          "below `tests/corpus/recall/expected.json`.")
        w("")
        w(corpus["recall"])
        w("")
    w("## Reproduce")
    w("")
    w("    make bench                 # the full run (corpora cached in ~/.cache/pushgate-bench)")
    w("    make bench BENCH_QUICK=1   # small corpora, a few minutes; writes build/BENCHMARKS.quick.md")
    w("")
    with open(out_md + ".tmp", "w") as f:
        f.write("\n".join(md))
    os.replace(out_md + ".tmp", out_md)
    with open(out_json + ".tmp", "w") as f:
        json.dump({"machine": machine, "corpus": corpus, "targets": tg, "cases": cases,
                   "profiles": profiles}, f, indent=1)
    os.replace(out_json + ".tmp", out_json)


if __name__ == "__main__":
    main()
