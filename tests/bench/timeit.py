#!/usr/bin/env python3
"""timeit.py - run one benchmark case: contenders alternating, every run verified.

    timeit.py PGB_RUN RESULTS_DIR < SPEC

SPEC is one directive a line, "KEY VALUE" (VALUE is the rest of the line):

    case ID                 the case, also the result file RESULTS_DIR/ID.json
    title TEXT              what the case measures
    runs N                  timed runs per contender (after one warm-up each)
    contender ID LABEL      starts a contender; the keys below belong to it
    cmd ARGV                the timed command, split like a shell (shlex),
                            run directly (no shell) under PGB_RUN
    stdin FILE / stdout FILE / stderr FILE
                            redirections of the timed command (stderr &1:
                            the same file as stdout)
    cwd DIR / env NAME=VALUE
    prepare SH              bash, before each run, not timed
    verify SH               bash, after each run, not timed: must exit 0
                            (the run's status is in $BENCH_RC); lines it
                            prints as "metric NAME VALUE" are recorded

"{run}" in cmd, stdin, stdout, prepare and verify is replaced by the run's
name (w for the warm-up, then 1..N), and prepare/verify also see
BENCH_RUN, BENCH_CONTENDER, BENCH_WALL_NS and BENCH_RC in the environment.
The order of the contenders rotates from one round to the next, so each
one runs first, second, ... equally often. A failed verification stops
the benchmark: a number from a run that did not find what it must find
is not reported.
"""
import json
import os
import shlex
import subprocess
import sys
import time


def parse(lines):
    case = {"contenders": [], "runs": 5}
    cur = None
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.strip().partition(" ")
        value = value.strip()
        if key == "contender":
            cid, _, label = value.partition(" ")
            cur = {"id": cid, "label": label.strip() or cid, "env": {}}
            case["contenders"].append(cur)
        elif key in ("case", "title"):
            case[key] = value
        elif key == "runs":
            case["runs"] = int(value)
        elif key in ("cmd", "stdin", "stdout", "stderr", "cwd", "prepare", "verify"):
            if cur is None:
                sys.exit("timeit: %s before any contender" % key)
            cur[key] = value
        elif key == "env":
            name, _, val = value.partition("=")
            cur["env"][name] = val
        else:
            sys.exit("timeit: unknown directive %r" % key)
    if "case" not in case or not case["contenders"]:
        sys.exit("timeit: a spec needs a case and at least one contender")
    return case


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def bash(script, env, what):
    p = subprocess.run(["bash", "-c", "set -euo pipefail\n" + script], env=env,
                       stdout=subprocess.PIPE, text=True)
    metrics = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "metric":
            metrics[parts[1]] = float(parts[2])
        else:
            print("#   " + line, flush=True)
    if p.returncode != 0:
        sys.exit("timeit: %s failed (status %d): the benchmark stops here" % (what, p.returncode))
    return metrics


def one_run(pgb_run, case, c, run, log):
    sub = lambda s: s.replace("{run}", str(run))
    env = dict(os.environ, BENCH_RUN=str(run), BENCH_CONTENDER=c["id"], **c["env"])
    if c.get("prepare"):
        bash(sub(c["prepare"]), env, "%s/%s prepare" % (case["case"], c["id"]))
    argv = [pgb_run, log] + shlex.split(sub(c["cmd"]))
    fin = open(sub(c["stdin"]), "rb") if c.get("stdin") else subprocess.DEVNULL
    fout = open(sub(c["stdout"]), "wb") if c.get("stdout") else subprocess.DEVNULL
    ferr = None
    if c.get("stderr") == "&1":
        ferr = subprocess.STDOUT
    elif c.get("stderr"):
        ferr = open(sub(c["stderr"]), "wb")
    try:
        p = subprocess.run(argv, stdin=fin, stdout=fout, stderr=ferr, env=env, cwd=c.get("cwd"))
    finally:
        for f in (fin, fout, ferr):
            if f not in (None, subprocess.DEVNULL, subprocess.STDOUT):
                f.close()
    with open(log) as f:
        wall_ns, rss_kb, status, cpu_ns = (int(x) for x in f.read().split())
    os.unlink(log)
    if status >= 125 or p.returncode != status:
        sys.exit("timeit: %s/%s run %s: %s could not run the command (status %d)"
                 % (case["case"], c["id"], run, pgb_run, status))
    env.update(BENCH_RC=str(status), BENCH_WALL_NS=str(wall_ns))
    metrics = {}
    if c.get("verify"):
        metrics = bash(sub(c["verify"]), env, "%s/%s run %s verification" % (case["case"], c["id"], run))
    return {"run": str(run), "wall_ns": wall_ns, "rss_kb": rss_kb, "status": status,
            "cpu_ns": cpu_ns, "metrics": metrics}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: timeit.py PGB_RUN RESULTS_DIR < SPEC")
    pgb_run, outdir = sys.argv[1], sys.argv[2]
    case = parse(sys.stdin)
    log = os.path.join(outdir, ".pgb-run.%d" % os.getpid())
    result = {"case": case["case"], "title": case.get("title", ""), "runs": case["runs"],
              "load_before": loadavg(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
              "contenders": []}
    by_id = {}
    for c in case["contenders"]:
        entry = {"id": c["id"], "label": c["label"], "cmd": c["cmd"], "runs": []}
        by_id[c["id"]] = entry
        result["contenders"].append(entry)
    print("# %s: %s" % (case["case"], case.get("title", "")), flush=True)
    for c in case["contenders"]:
        r = one_run(pgb_run, case, c, "w", log)
        by_id[c["id"]]["warmup"] = r
        print("#   warm-up %-14s %10.4f s" % (c["id"], r["wall_ns"] / 1e9), flush=True)
    n = len(case["contenders"])
    for i in range(1, case["runs"] + 1):
        order = case["contenders"][(i - 1) % n:] + case["contenders"][:(i - 1) % n]
        for c in order:
            r = one_run(pgb_run, case, c, i, log)
            by_id[c["id"]]["runs"].append(r)
            extra = "".join(" %s=%g" % kv for kv in sorted(r["metrics"].items()))
            print("#   run %-2d %-16s %10.4f s  %7d KiB%s" % (i, c["id"], r["wall_ns"] / 1e9,
                                                          r["rss_kb"], extra), flush=True)
    result["load_after"] = loadavg()
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    tmp = os.path.join(outdir, case["case"] + ".json.tmp")
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, os.path.join(outdir, case["case"] + ".json"))


if __name__ == "__main__":
    main()
