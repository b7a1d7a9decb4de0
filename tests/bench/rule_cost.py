#!/usr/bin/env python3
"""rule_cost.py - what each built-in rule costs a scan, one rule at a time.

    python3 tests/bench/rule_cost.py PUSHGATE DIR OUT

For every rule of `pushgate rules list`, a rules file keeps that rule
alone (`extends: default`, every other id under `disable:`); pushgate
scans DIR with it (--jobs 1) once to compile and cache the database,
then RUNS more times, timed by the CPU time (user and system) wait4
reports. A rule's cost is its median less the cheapest rule's median:
walking and reading DIR is the same for every rule. Writes OUT.md, a
markdown section (the costliest rules, and how far each is above the
median rule), and OUT.txt, the figures report.py checks the target on
(key=value lines). One rule whose Hyperscan expression is slow to follow (a
broad class with a long bounded repeat and no literal, say) shows up
here long before it shows in a whole scan's time. Exits 2 on an error.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

RUNS = 3
SHOWN = 10


def cpu_seconds(argv, env):
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_RDWR)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit("rule_cost: %s exited %d" % (" ".join(argv), code))
    return usage.ru_utime + usage.ru_stime


def rule_ids(pushgate):
    out = subprocess.run([pushgate, "rules", "list"], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: rule_cost.py PUSHGATE DIR OUT")
    pushgate, tree, out = sys.argv[1], sys.argv[2], sys.argv[3]
    ids = rule_ids(pushgate)
    if len(ids) < 2:
        sys.exit("rule_cost: pushgate rules list gave %d rules" % len(ids))
    work = tempfile.mkdtemp(prefix="pushgate-rule-cost.")
    env = dict(os.environ, PUSHGATE_CACHE_DIR=os.path.join(work, "cache"))
    cost = {}
    for rid in ids:
        rules = os.path.join(work, "rules.yml")
        with open(rules, "w") as f:
            f.write("version: 1\nextends: default\ndisable:\n")
            f.writelines("  - %s\n" % other for other in ids if other != rid)
        argv = [pushgate, "scan", "--jobs", "1", "--format", "json", "--rules", rules, tree]
        cpu_seconds(argv, env)
        cost[rid] = statistics.median(cpu_seconds(argv, env) for _ in range(RUNS))
    floor = min(cost.values())
    extra = {rid: c - floor for rid, c in cost.items()}
    median = statistics.median(extra.values())
    ranked = sorted(extra.items(), key=lambda kv: -kv[1])
    top = ranked[0]
    md = ["Each built-in rule alone (`extends: default`, every other rule disabled) scanning "
          "`%s` with --jobs 1: CPU time (user and system), median of %d runs after a run that "
          "compiles, less the cheapest rule's (%.3f s: walking and reading the files). "
          "%d rules; the median rule costs %.1f ms more than the cheapest, all of them together "
          "%.2f s." % (os.path.basename(tree.rstrip("/")), RUNS, floor, len(ids), median * 1e3,
                       sum(extra.values())),
          "",
          "| rule | cost | × median rule |",
          "|---|---:|---:|"]
    for rid, c in ranked[:SHOWN]:
        md.append("| %s | %.1f ms | %s |" % (rid, c * 1e3,
                                             "%.1f" % (c / median) if median > 0 else "–"))
    with open(out + ".md", "w") as f:
        f.write("\n".join(md) + "\n")
    with open(out + ".txt", "w") as f:
        f.write("costliest=%s\ncostliest_s=%.6f\nmedian_s=%.6f\nrules=%d\n"
                % (top[0], top[1], median, len(ids)))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
