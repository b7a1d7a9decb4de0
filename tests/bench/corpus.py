#!/usr/bin/env python3
"""corpus.py - the corpora of `make bench`, all deterministic from a seed.

    corpus.py plant-tree ROOT MANIFEST
        plant one secret of each kind in a file of each region (fs/,
        kernel/sched/, the rest of kernel/, drivers/, the rest) of an
        extracted kernel tree, in place;
        MANIFEST lists them (path, line, kind, rule, secret)
    corpus.py history KERNEL INFO [--commits N] [--seed S] [--secrets N]
                      [--refs N] [--max-file BYTES] [--initial FILES]
                      [--shape mixed|real]
        write a git fast-import stream to stdout: a history built from real
        kernel files (commits that add, modify, rename and delete them, in
        their real sizes; feature branches merged with merge commits;
        tags; with --refs, that many extra refs/pull/N/head, feature
        branches and tags), secrets planted in some commits; INFO gets the
        main-line commits (mark, commits reachable) and the planted secrets
    corpus.py plant-commit REPO REF INFO
        add one commit on top of REF in REPO with one secret of each kind
    corpus.py push-commits REPO BASE KERNEL INFO [--names N,N...] [--seed S]
        in REPO, for each name N a pair of commits on top of BASE, each
        changing 3 files (2 modified, 1 added) with kernel text:
        bench/clean-N, and bench/secret-N (the same change plus one planted
        secret per file); INFO maps each name to both and the secrets
    corpus.py hook-metrics REPO
        print (as metrics) and clear what the hook wrappers of REPO logged
    corpus.py small-file KERNEL OUT MANIFEST
        a small source file with one planted secret
    corpus.py verify-report REPORT MANIFEST [--under DIR] [--marks FILE]
        REPORT (pushgate --format json) has every planted secret under DIR
        (same rule, path, line, fingerprint, and commit with --marks)
    corpus.py verify-text OUTPUT MANIFEST [--under DIR] [--kinds K,K]
        OUTPUT (ripgrep, git-secrets) shows every planted secret under DIR
        of those kinds
    corpus.py verify-secretlint REPORT MANIFEST [--root TREE] [--under DIR] [--kinds K,K]
    corpus.py verify-audit AUDITLOG MANIFEST [--max-seq N] [--select K]
        the last event of a pushgate audit log lists the fingerprints of
        the planted secrets (those with seq <= N, or entry K of a
        push-commits INFO)

Verifiers print "metric found N" (and the total of findings where known)
and exit 1 when a planted secret is missing.
"""
import hashlib
import json
import os
import random
import subprocess
import sys

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
DIGITS = "0123456789"
# The default rules' stopwords and placeholder words: a planted secret
# must not contain one, or it would (rightly) be allowed.
STOP = ("EXAMPLE", "SAMPLE", "DUMMY", "PLACEHOLDER", "CHANGE", "YOUR", "REDACTED",
        "REPLACE", "INSERT", "NOTREAL", "FAKE", "FOOBAR", "LOREM", "IPSUM",
        "ABCDEFGH", "12345678", "DONOTUSE", "TEST", "XXXX", "0000", "AAAA")


def pick(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


KINDS = {
    "aws": ("aws-access-key-id", lambda r: "AKIA" + pick(r, B32, 16)),
    "ghp": ("github-pat", lambda r: "ghp_" + pick(r, ALNUM, 36)),
    "glpat": ("gitlab-pat", lambda r: "glpat-" + pick(r, ALNUM, 20)),
    "slack": ("slack-bot-token", lambda r: "xoxb-%s-%s-%s" % (
        pick(r, DIGITS, 12), pick(r, DIGITS, 13), pick(r, ALNUM, 24))),
    "stripe": ("stripe-secret-key", lambda r: "sk_live_" + pick(r, ALNUM, 24)),
    "npm": ("npm-access-token", lambda r: "npm_" + pick(r, ALNUM, 36)),
    "gcp": ("gcp-api-key", lambda r: "AIza" + pick(r, ALNUM, 35)),
}
ORDER = ["aws", "ghp", "glpat", "slack", "stripe", "npm", "gcp"]


def make_secret(r, kind):
    while True:
        s = KINDS[kind][1](r)
        body = s.upper()
        if not any(w in body for w in STOP) and len(set(s)) >= 12:
            return s


def secret_line(path, kind, secret, n):
    name = "pgbench_%s_%d" % (kind, n)
    if path.endswith((".c", ".h")):
        return 'static const char %s[] = "%s";\n' % (name, secret)
    return '%s = "%s"\n' % (name, secret)


def entry(kind, secret, path, line, **extra):
    d = {"kind": kind, "rule": KINDS[kind][0], "secret": secret, "path": path, "line": line}
    d.update(extra)
    return d


def insert_at_line(data, r, text):
    """Insert TEXT at a line boundary near the middle of DATA; return (data, line)."""
    if not data:
        return text.encode(), 1
    mid = r.randint(len(data) // 4, max(len(data) // 4, (3 * len(data)) // 4))
    nl = data.rfind(b"\n", 0, mid)
    off = nl + 1 if nl >= 0 else 0
    if off == len(data) and not data.endswith(b"\n"):
        data += b"\n"
        off = len(data)
    line = data.count(b"\n", 0, off) + 1
    return data[:off] + text.encode() + data[off:], line


# ---- kernel files ----------------------------------------------------------

TEXT_SUFFIXES = (".c", ".h", ".S", ".rst", ".txt", ".yaml", ".py", ".sh", ".rs",
                 ".json", ".pl", ".awk", ".dts", ".dtsi", ".lds")
TEXT_NAMES = ("Makefile", "Kconfig", "Kbuild", "README", "MAINTAINERS")


def kernel_files(root, max_size, min_size=1):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for name in sorted(files):
            if not (name.endswith(TEXT_SUFFIXES) or name.startswith(TEXT_NAMES)):
                continue
            p = os.path.join(d, name)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if not os.path.isfile(p) or os.path.islink(p) or not min_size <= st.st_size <= max_size:
                continue
            out.append((os.path.relpath(p, root), st.st_size))
    return out


def read(root, rel):
    with open(os.path.join(root, rel), "rb") as f:
        return f.read()


# ---- plant-tree ------------------------------------------------------------

def plant_tree(root, manifest):
    r = random.Random(20240607)
    files = [p for p, s in kernel_files(root, 200000, 2000) if p.endswith((".c", ".h"))]
    regions = {"fs": [], "kernel/sched": [], "kernel": [], "drivers": [], "other": []}
    for p in files:
        top = p.split("/", 1)[0]
        if p.startswith("kernel/sched/"):
            top = "kernel/sched"
        regions[top if top in regions else "other"].append(p)
    planted = []
    n = 0
    for region in regions:
        chosen = r.sample(regions[region], len(ORDER))
        for kind, path in zip(ORDER, chosen):
            secret = make_secret(r, kind)
            data, line = insert_at_line(read(root, path), r, secret_line(path, kind, secret, n))
            with open(os.path.join(root, path), "wb") as f:
                f.write(data)
            planted.append(entry(kind, secret, path, line, region=region))
            n += 1
    with open(manifest, "w") as f:
        json.dump(planted, f, indent=1)


# ---- history ---------------------------------------------------------------

NAMES = ["Ada Lovelace", "Linus Example", "Greg Maintainer", "Jane Porter", "Ravi Kumar",
         "Mei Chen", "Olu Adeyemi", "Sofia Rossi", "Tomas Novak", "Aiko Tanaka",
         "Lars Berg", "Fatima Zahra", "Diego Alvarez", "Nina Petrova", "Sam Taylor",
         "Chris Martin", "Priya Nair", "Jonas Weber", "Ana Souza", "Kim Lee"]
VERBS = ["fix", "add", "remove", "rework", "clean up", "simplify", "document", "handle",
         "avoid", "use", "convert", "drop", "refactor", "harden"]
THINGS = ["error path", "locking", "reference leak", "buffer sizing", "probe order",
          "debug output", "unused variable", "NULL check", "timeout handling", "init sequence",
          "comments", "return value", "race on teardown", "Kconfig dependency"]


class Stream:
    def __init__(self, out):
        self.out = out
        self.mark = 0

    def w(self, s):
        self.out.write(s if isinstance(s, bytes) else s.encode())

    def blob(self, data):
        self.mark += 1
        self.w("blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
        self.w(data)
        self.w("\n")
        return self.mark

    def commit(self, ref, r, when, msg, parents, changes):
        self.mark += 1
        who = r.choice(NAMES)
        email = who.lower().replace(" ", ".") + "@kernel.invalid"
        self.w("commit %s\nmark :%d\nauthor %s <%s> %d +0000\ncommitter %s <%s> %d +0000\n"
               % (ref, self.mark, who, email, when, who, email, when))
        msg = msg.encode()
        self.w("data %d\n" % len(msg))
        self.w(msg)
        self.w("\n")
        if parents:
            self.w("from :%d\n" % parents[0])
            for p in parents[1:]:
                self.w("merge :%d\n" % p)
        for c in changes:
            if c[0] == "M":
                self.w("M 100644 :%d %s\n" % (c[1], c[2]))
            else:
                self.w("D %s\n" % c[1])
        self.w("\n")
        return self.mark


class Tree:
    """The files of the branch being built: path -> (blob mark, content)."""

    def __init__(self):
        self.files = {}
        self.paths = []
        self.index = {}

    def put(self, path, mark, data):
        if path not in self.files:
            self.index[path] = len(self.paths)
            self.paths.append(path)
        self.files[path] = (mark, data)

    def drop(self, path):
        del self.files[path]
        i = self.index.pop(path)
        last = self.paths.pop()
        if i < len(self.paths):
            self.paths[i] = last
            self.index[last] = i

    def copy(self):
        t = Tree()
        t.files = dict(self.files)
        t.paths = list(self.paths)
        t.index = dict(self.index)
        return t


def donor_lines(r, kernel, pool, n):
    data = read(kernel, r.choice(pool)[0])
    if not data:
        return b""
    start = data.rfind(b"\n", 0, r.randrange(len(data))) + 1
    end = start
    for _ in range(n):
        nl = data.find(b"\n", end)
        if nl < 0:
            end = len(data)
            break
        end = nl + 1
    chunk = data[start:end]
    return chunk if chunk.endswith(b"\n") or not chunk else chunk + b"\n"


def modify(r, kernel, pool, data):
    for _ in range(r.choice((1, 1, 1, 2, 2, 3))):
        pos = r.randrange(len(data) + 1)
        start = data.rfind(b"\n", 0, pos) + 1 if data else 0
        end = start
        for _ in range(r.randint(0, 6)):
            nl = data.find(b"\n", end)
            if nl < 0:
                break
            end = nl + 1
        add = donor_lines(r, kernel, pool, r.randint(0 if end > start else 1, 25))
        data = data[:start] + add + data[end:]
    return data


def edit_small(r, kernel, pool, data):
    """A real commit's edit: a few lines replaced or inserted in one or two places."""
    for _ in range(r.choice((1, 1, 1, 2))):
        pos = r.randrange(len(data) + 1)
        start = data.rfind(b"\n", 0, pos) + 1 if data else 0
        end = start
        for _ in range(r.choice((0, 0, 1, 1, 2, 3))):
            nl = data.find(b"\n", end)
            if nl < 0:
                break
            end = nl + 1
        add = donor_lines(r, kernel, pool, r.randint(1 if end == start else 0, 6))
        data = data[:start] + add + data[end:]
    return data


def history(kernel, info_path, commits, seed, secrets, refs, max_file, initial, shape="mixed"):
    r = random.Random(seed)
    # shape "real": what long-lived projects look like (and what git log
    # -p is good at): a few hundred big files present from the start,
    # edited a few lines at a time, the busiest far more often than the
    # rest; few adds, renames (some into and out of vendor/), deletions.
    real = shape == "real"
    pool = kernel_files(kernel, max_file, 16000 if real else 1)
    out = Stream(sys.stdout.buffer)
    tree = Tree()
    # Dates from 2012 to the end of 2023, in order: the pushes of the
    # benchmark are newer than the history, as real pushes are.
    when = 1325376000
    gap = max(2, (1704067200 - when) // (commits + 1))
    main_ref, tmp_ref = "refs/heads/main", "refs/bench/tmp"
    total = 0
    main_log = []           # [mark, commits reachable from it]
    all_marks = []
    planted = []
    plant_at = set()
    if secrets:
        step = commits / (secrets + 1)
        plant_at = {int(step * (k + 1)) + r.randint(0, max(0, int(step / 3))) for k in range(secrets)}

    def subsystem(path):
        parts = path.split("/")
        return "/".join(parts[:2]) if len(parts) > 2 else parts[0]

    def new_path(path):
        if path not in tree.files:
            return path
        base, dot, ext = path.rpartition(".")
        k = 2
        while True:
            cand = "%s_%d.%s" % (base, k, ext) if dot else "%s_%d" % (path, k)
            if cand not in tree.files:
                return cand
            k += 1

    def hot_path():
        # Squaring skews the choice towards the first files: a few are
        # edited all the time, most now and then, as in real projects.
        return tree.paths[int(len(tree.paths) * r.random() ** 2.5)]

    def real_op():
        op = r.random()
        if op < 0.93:
            return "modify", r.choice((1, 1, 1, 1, 2, 2, 3)), 0
        if op < 0.95:
            return "add", 0, 1
        if op < 0.985:
            return "rename", 0, 0
        return "delete", 0, 0

    def rename_target(old):
        if real:
            if old.startswith("vendor/"):
                return new_path(old[len("vendor/"):])
            if r.random() < 0.3:
                return new_path("vendor/" + old)
        return new_path(os.path.join(os.path.dirname(r.choice(pool)[0]), os.path.basename(old)))

    def one_commit(ref, parents):
        nonlocal when, total
        when += r.randint(1, 2 * gap - 1)
        changes = []
        touched = []
        op = r.random()
        if real:
            kind, nmod, nadd = real_op()
        elif op < 0.55 or len(tree.paths) < 50:
            kind, nmod, nadd = "modify", r.choice((1, 1, 1, 2, 2, 3)), 0
        elif op < 0.75:
            kind, nmod, nadd = "add", 0, r.choice((1, 1, 2, 3))
        elif op < 0.82:
            kind, nmod, nadd = "rename", 0, 0
        elif op < 0.90:
            kind, nmod, nadd = "delete", 0, 0
        else:
            kind, nmod, nadd = "mixed", 2, 1
        for _ in range(nmod):
            path = hot_path() if real else r.choice(tree.paths)
            if real:
                data = edit_small(r, kernel, pool, tree.files[path][1])
            else:
                data = modify(r, kernel, pool, tree.files[path][1])
            mark = out.blob(data)
            tree.put(path, mark, data)
            touched.append(path)
        for _ in range(nadd):
            src = r.choice(pool)[0]
            path = new_path(src)
            data = read(kernel, src)
            mark = out.blob(data)
            tree.put(path, mark, data)
            touched.append(path)
        if kind == "rename":
            old = r.choice(tree.paths)
            mark, data = tree.files[old]
            new = rename_target(old)
            if r.random() < 0.5:
                data = (edit_small if real else modify)(r, kernel, pool, data)
                mark = out.blob(data)
            tree.drop(old)
            changes.append(("D", old))
            tree.put(new, mark, data)
            touched.append(new)
        elif kind == "delete":
            old = r.choice(tree.paths)
            tree.drop(old)
            changes.append(("D", old))
            touched.append(old)
        total += 1
        if total in plant_at:
            k = ORDER[len(planted) % len(ORDER)]
            # Not under vendor/: generic rules rightly stay quiet there.
            path = r.choice([p for p in touched if p in tree.files and not p.startswith("vendor/")] or
                            [p for p in tree.paths if not p.startswith("vendor/")])
            secret = make_secret(r, k)
            data, line = insert_at_line(tree.files[path][1], r,
                                        secret_line(path, k, secret, len(planted)))
            mark = out.blob(data)
            tree.put(path, mark, data)
            if path not in touched:
                touched.append(path)
            planted.append(entry(k, secret, path, line, seq=total, mark=out.mark + 1))
        for path in touched:
            if path in tree.files:
                changes.append(("M", tree.files[path][0], path))
        what = touched[0] if touched else "tree"
        msg = "%s: %s %s\n\n%s %s in %s.\n" % (subsystem(what), r.choice(VERBS), r.choice(THINGS),
                                              kind.capitalize(), len(touched), what)
        mark = out.commit(ref, r, when, msg, parents, changes)
        all_marks.append(mark)
        return mark, touched

    # The initial import.
    for path, _ in r.sample(pool, min(initial, len(pool))):
        data = read(kernel, path)
        tree.put(path, out.blob(data), data)
    total += 1
    tip = out.commit(main_ref, r, when, "Initial import\n", [],
                     [("M", tree.files[p][0], p) for p in tree.paths])
    all_marks.append(tip)
    main_log.append([tip, total])
    while total < commits:
        if r.random() < 0.025 and commits - total > 10:
            # A feature branch of a few commits, merged with a merge commit.
            base = tree.copy()
            out.w("reset %s\nfrom :%d\n\n" % (tmp_ref, tip))
            btip, touched = tip, set()
            for _ in range(r.randint(2, 8)):
                btip, t = one_commit(tmp_ref, [btip])
                touched.update(t)
            changes = []
            for path in sorted(touched):
                if path in tree.files:
                    if base.files.get(path, (None,))[0] != tree.files[path][0]:
                        changes.append(("M", tree.files[path][0], path))
                elif path in base.files:
                    changes.append(("D", path))
            when += r.randint(1, gap)
            total += 1
            tip = out.commit(main_ref, r, when, "Merge branch 'feature/%d'\n" % total,
                             [tip, btip], changes)
            all_marks.append(tip)
        else:
            tip, _ = one_commit(main_ref, [tip])
        main_log.append([tip, total])
        if len(main_log) % 1000 == 0:
            out.w("reset refs/tags/v1.%d.0\nfrom :%d\n\n" % (len(main_log) // 1000, tip))
    out.w("reset refs/heads/develop\nfrom :%d\n\n" % tip)
    # Extra refs, the way a busy Gitea repository has them.
    for k in range(refs):
        target = r.choice(all_marks)
        x = r.random()
        if x < 0.6:
            ref = "refs/pull/%d/head" % (k + 1)
        elif x < 0.9:
            ref = "refs/heads/feature/topic-%d" % (k + 1)
        else:
            ref = "refs/tags/v0.%d.%d" % (k // 100, k % 100)
        out.w("reset %s\nfrom :%d\n\n" % (ref, target))
    out.w("done\n")
    sys.stdout.buffer.flush()
    with open(info_path, "w") as f:
        json.dump({"commits": total, "refs": refs, "main": main_log, "planted": planted}, f)


# ---- plant-commit / push-commits ---------------------------------------------

def git(repo, *args, data=None):
    return subprocess.run(["git", "-C", repo] + list(args), input=data, check=True,
                          stdout=subprocess.PIPE).stdout


def fast_import(repo, stream, marks):
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet", "--export-marks=" + marks],
                   input=stream, check=True)
    out = {}
    with open(marks) as f:
        for line in f:
            m, sha = line.split()
            out[m[1:]] = sha
    return out


def plant_commit(repo, ref, info):
    r = random.Random(77)
    base = git(repo, "rev-parse", "--verify", ref + "^{commit}").decode().strip()
    when = int(git(repo, "log", "-1", "--format=%ct", base).decode()) + 60
    lines, planted = [], []
    for n, kind in enumerate(ORDER):
        secret = make_secret(r, kind)
        lines.append(secret_line("bench/planted.cfg", kind, secret, n))
        planted.append(entry(kind, secret, "bench/planted.cfg", n + 1, seq=0, mark=2))
    data = "".join(lines).encode()
    stream = b"blob\nmark :1\ndata %d\n%s\n" % (len(data), data)
    msg = b"bench: planted secrets\n"
    stream += (b"commit %s\nmark :2\nauthor Bench <bench@kernel.invalid> %d +0000\n"
               b"committer Bench <bench@kernel.invalid> %d +0000\ndata %d\n%s\nfrom %s\n"
               b"M 100644 :1 bench/planted.cfg\n\n" % (ref.encode(), when, when, len(msg), msg, base.encode()))
    marks = fast_import(repo, stream, info + ".marks")
    with open(info, "w") as f:
        json.dump({"planted": [dict(p, commit=marks["2"]) for p in planted]}, f, indent=1)


def small_file(kernel, out, manifest):
    """A small source file (the first lines of a kernel file) with one secret."""
    r = random.Random(5)
    text = read(kernel, "kernel/sched/loadavg.c").split(b"\n")[:40]
    secret = make_secret(r, "aws")
    data, line = insert_at_line(b"\n".join(text) + b"\n", r,
                                secret_line(".c", "aws", secret, 0))
    with open(out, "wb") as f:
        f.write(data)
    with open(manifest, "w") as f:
        json.dump([entry("aws", secret, os.path.basename(out), line)], f)


def push_commits(repo, base, kernel, info, names, seed):
    r = random.Random(seed)
    pool = kernel_files(kernel, 6000, 1500)
    listing = git(repo, "ls-tree", "-r", "-l", base).decode().splitlines()
    cands = []
    for line in listing:
        meta, path = line.split("\t", 1)
        mode, typ, sha, size = meta.split()
        if typ == "blob" and size.isdigit() and 2000 <= int(size) <= 30000 and path.endswith((".c", ".h")):
            cands.append((path, sha))
    stream = bytearray()
    mark = 0
    runs = []
    msg = b"feature: small change\n"
    for i, name in enumerate(names):
        (p1, s1), (p2, s2) = r.sample(cands, 2)
        files = {}
        for p, s in ((p1, s1), (p2, s2)):
            files[p] = modify(r, kernel, pool, git(repo, "cat-file", "blob", s))
        src = r.choice(pool)[0]
        newp = "drivers/bench/change_%d_%s" % (i, os.path.basename(src))
        files[newp] = read(kernel, src)
        entry_run = {"run": name, "files": sorted(files), "planted": []}
        for variant in ("clean", "secret"):
            blobs = []
            for n, p in enumerate(sorted(files)):
                data = files[p]
                if variant == "secret":
                    kind = ORDER[(3 * i + n) % len(ORDER)]
                    secret = make_secret(r, kind)
                    data, line = insert_at_line(data, r, secret_line(p, kind, secret, n))
                    entry_run["planted"].append(entry(kind, secret, p, line))
                mark += 1
                stream += b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(data), data)
                blobs.append((mark, p))
            mark += 1
            entry_run[variant + "_mark"] = str(mark)
            stream += (b"commit refs/heads/bench/%s-%s\nmark :%d\n"
                       b"author Dev <dev@kernel.invalid> %d +0000\ncommitter Dev <dev@kernel.invalid> %d +0000\n"
                       b"data %d\n%s\nfrom %s\n" % (variant.encode(), name.encode(), mark, 1735689600 + i,
                                                   1735689600 + i, len(msg), msg, base.encode()))
            for m, p in blobs:
                stream += b"M 100644 :%d %s\n" % (m, p.encode())
            stream += b"\n"
        runs.append(entry_run)
    marks = fast_import(repo, bytes(stream), info + ".marks")
    for e in runs:
        e["clean"] = marks[e.pop("clean_mark")]
        e["secret"] = marks[e.pop("secret_mark")]
        for p in e["planted"]:
            p["commit"] = e["secret"]
    with open(info, "w") as f:
        json.dump({e["run"]: e for e in runs}, f, indent=1)


# ---- verification --------------------------------------------------------------

def fingerprint(rule, path, secret):
    data = b"pushgate-fingerprint-v1\0" + rule.encode() + b"\0" + path.encode() + b"\0" + secret.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def load_manifest(path):
    with open(path) as f:
        m = json.load(f)
    return m["planted"] if isinstance(m, dict) else m


def under(planted, prefix, kinds=None):
    out = []
    for p in planted:
        if kinds and p["kind"] not in kinds:
            continue
        if prefix in (None, "", "."):
            out.append(dict(p, rel=p["path"]))
        elif p["path"].startswith(prefix.rstrip("/") + "/"):
            out.append(dict(p, rel=p["path"][len(prefix.rstrip("/")) + 1:]))
    return out


def report_missing(want, missing, total=None):
    print("metric found %d" % (len(want) - len(missing)))
    if total is not None:
        print("metric findings %d" % total)
    for p in missing:
        print("MISSING %s %s:%d" % (p["rule"], p["path"], p["line"]))
    if not want:
        print("no planted secret to look for: the corpus is wrong")
        return 1
    return 1 if missing else 0


def opt(args, name, default=None):
    if name in args:
        i = args.index(name)
        v = args[i + 1]
        del args[i:i + 2]
        return v
    return default


def marks_map(path):
    out = {}
    with open(path) as f:
        for line in f:
            m, sha = line.split()
            out[int(m[1:])] = sha
    return out


def verify_report(args):
    prefix = opt(args, "--under")
    marks = opt(args, "--marks")
    max_seq = opt(args, "--max-seq")
    report, manifest = args
    with open(report) as f:
        findings = json.load(f)["findings"]
    planted = load_manifest(manifest)
    if max_seq is not None:
        planted = [p for p in planted if p.get("seq", 0) <= int(max_seq)]
    want = under(planted, prefix)
    mm = marks_map(marks) if marks else None
    have = {}
    for f in findings:
        have.setdefault(f["fingerprint"], []).append(f)
    missing = []
    for p in want:
        ok = False
        for f in have.get(fingerprint(p["rule"], p["rel"], p["secret"]), []):
            if f["rule"] != p["rule"] or f["path"] != p["rel"] or f["line"] != p["line"]:
                continue
            if mm is not None and f.get("commit") != mm[p["mark"]]:
                continue
            if "commit" in p and f.get("commit") != p["commit"]:
                continue
            ok = True
        if not ok:
            missing.append(p)
    with open(report) as f:
        stats = json.load(f).get("stats", {})
    for k in ("files", "bytes"):
        if k in stats:
            print("metric %s %d" % (k, stats[k]))
    return report_missing(want, missing, len(findings))


def verify_text(args):
    prefix = opt(args, "--under")
    kinds = opt(args, "--kinds")
    output, manifest = args
    with open(output, "rb") as f:
        text = f.read()
    want = under(load_manifest(manifest), prefix, kinds.split(",") if kinds else None)
    missing = [p for p in want if p["secret"].encode() not in text]
    return report_missing(want, missing)


def verify_secretlint(args):
    prefix = opt(args, "--under")
    root = os.path.realpath(opt(args, "--root", "."))
    kinds = opt(args, "--kinds")
    report, manifest = args
    with open(report) as f:
        results = json.load(f)
    seen = set()
    total = 0
    for res in results:
        path = os.path.realpath(res.get("filePath", ""))
        for m in res.get("messages", []):
            total += 1
            line = m.get("loc", {}).get("start", {}).get("line")
            seen.add((path, line))
    want = under(load_manifest(manifest), prefix, kinds.split(",") if kinds else None)
    missing = [p for p in want if (os.path.join(root, p["path"]), p["line"]) not in seen]
    return report_missing(want, missing, total)


def verify_audit(args):
    max_seq = opt(args, "--max-seq")
    select = opt(args, "--select")
    log, manifest = args
    with open(log) as f:
        events = [json.loads(line) for line in f if line.strip()]
    if not events:
        print("the audit log is empty")
        return 1
    ev = events[-1]
    prints = set(ev.get("fingerprints") or ev.get("findings") or [])
    with open(manifest) as f:
        m = json.load(f)
    if select is not None:
        planted = m[select]["planted"]
    else:
        planted = [p for p in m["planted"] if p["seq"] <= int(max_seq)]
    want = under(planted, None)
    missing = [p for p in want if fingerprint(p["rule"], p["path"], p["secret"]) not in prints]
    print("metric findings %d" % len(prints))
    return report_missing(want, missing)


def hook_metrics(repo):
    """Print and clear what the hook wrappers logged for one push."""
    total_ms, rss, time_rss = 0.0, 0, 0
    for hook in ("pre-receive", "update"):
        log = os.path.join(repo, "bench-%s.log" % hook)
        if os.path.exists(log):
            with open(log) as f:
                runs = [line.split() for line in f if line.strip()]
            os.unlink(log)
            # pgb-run's fields: wall ns, peak RSS kB, status, CPU ns.
            ms = sum(int(r[0]) for r in runs) / 1e6
            total_ms += ms
            rss = max([rss] + [int(r[1]) for r in runs])
            print("metric %s_ms %.3f" % (hook.replace("-", "_"), ms))
        path = os.path.join(repo, "bench-%s.rss" % hook)
        if os.path.exists(path):
            with open(path) as f:
                time_rss = max([time_rss] + [int(x) for x in f.read().split() if x.isdigit()])
            os.unlink(path)
    print("metric hook_ms %.3f" % total_ms)
    print("metric hook_rss_kb %d" % rss)
    print("metric time_rss_kb %d" % time_rss)
    return 0


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    cmd = args.pop(0)
    if cmd == "plant-tree":
        plant_tree(*args)
    elif cmd == "history":
        commits = int(opt(args, "--commits", "2000"))
        seed = int(opt(args, "--seed", "1"))
        secrets = int(opt(args, "--secrets", "0"))
        refs = int(opt(args, "--refs", "0"))
        max_file = int(opt(args, "--max-file", "200000"))
        initial = int(opt(args, "--initial", "2000"))
        shape = opt(args, "--shape", "mixed")
        kernel, info = args
        history(kernel, info, commits, seed, secrets, refs, max_file, initial, shape)
    elif cmd == "plant-commit":
        plant_commit(*args)
    elif cmd == "push-commits":
        names = opt(args, "--names", "w,1,2,3,4,5").split(",")
        seed = int(opt(args, "--seed", "3"))
        push_commits(*args, names=names, seed=seed)
    elif cmd == "hook-metrics":
        sys.exit(hook_metrics(*args))
    elif cmd == "small-file":
        small_file(*args)
    elif cmd == "verify-report":
        sys.exit(verify_report(args))
    elif cmd == "verify-text":
        sys.exit(verify_text(args))
    elif cmd == "verify-secretlint":
        sys.exit(verify_secretlint(args))
    elif cmd == "verify-audit":
        sys.exit(verify_audit(args))
    else:
        sys.exit("corpus.py: unknown command %r" % cmd)


if __name__ == "__main__":
    main()
