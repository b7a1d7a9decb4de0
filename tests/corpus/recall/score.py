#!/usr/bin/env python3
"""Score pushgate on the labelled recall corpus: precision, recall, F1 per category.

    score.py PUSHGATE [--doc FILE [--section NAME] [--label TEXT]] [--record FILE] [--check FILE]

Line level: a labelled T line with a finding starting on it is a true
positive, one without is a false negative; a finding on an F line, or on a
line nobody labelled, is a false positive of its file's category. Two
views: "any" counts every finding, "reject" only those the default policy
rejects (confidence high or medium; a report without confidence counts
every finding). --record writes the numbers as the floor that --check
holds a later run to (exit 1 when any precision or recall drops below).
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "files")


def load_labels():
    labels, category_of_file = {}, {}
    with open(os.path.join(HERE, "labels.tsv"), encoding="utf-8") as f:
        for row in f:
            if row.startswith("#") or not row.strip():
                continue
            path, line, label, category = row.rstrip("\n").split("\t")
            labels[(path, int(line))] = (label, category)
            category_of_file[path] = category
    return labels, category_of_file


def scan(pushgate):
    env = dict(os.environ)
    env.setdefault("PUSHGATE_CACHE_DIR", tempfile.mkdtemp(prefix="pg-score-"))
    proc = subprocess.run([pushgate, "scan", "--format", "json", "--jobs", "1", "."], cwd=FILES,
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        sys.exit("score: pushgate scan failed (%d): %s" % (proc.returncode, proc.stderr.decode()))
    return json.loads(proc.stdout)["findings"]


def ratio(a, b):
    return a / b if b else 1.0


def score(findings, labels, category_of_file, view):
    predicted = set()
    for f in findings:
        if view == "reject" and f.get("confidence", "high") == "low":
            continue
        path = f["path"][2:] if f["path"].startswith("./") else f["path"]
        predicted.add((path, f["line"]))
    cats = {}
    for (path, line), (label, category) in labels.items():
        c = cats.setdefault(category, {"tp": 0, "fp": 0, "fn": 0})
        hit = (path, line) in predicted
        if label == "T":
            c["tp" if hit else "fn"] += 1
        elif hit:
            c["fp"] += 1
    for path, line in predicted:
        if (path, line) not in labels:
            category = category_of_file.get(path, "unlabelled")
            cats.setdefault(category, {"tp": 0, "fp": 0, "fn": 0})["fp"] += 1
    total = {"tp": 0, "fp": 0, "fn": 0}
    for c in cats.values():
        for k in total:
            total[k] += c[k]
    cats["all"] = total
    for c in cats.values():
        c["precision"] = round(ratio(c["tp"], c["tp"] + c["fp"]), 3)
        c["recall"] = round(ratio(c["tp"], c["tp"] + c["fn"]), 3)
        p, r = c["precision"], c["recall"]
        c["f1"] = round(2 * p * r / (p + r), 3) if p + r else 0.0
    return cats


def table(results):
    out = ["| view | category | TP | FP | FN | precision | recall | F1 |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for view, cats in results.items():
        for name in sorted(cats, key=lambda n: (n == "all", n)):
            c = cats[name]
            out.append("| %s | %s | %d | %d | %d | %.3f | %.3f | %.3f |" % (
                view, name, c["tp"], c["fp"], c["fn"], c["precision"], c["recall"], c["f1"]))
    return "\n".join(out)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    pushgate = os.path.abspath(argv[1])
    opts = dict(zip(argv[2::2], argv[3::2]))
    labels, category_of_file = load_labels()
    findings = scan(pushgate)
    results = {view: score(findings, labels, category_of_file, view) for view in ("any", "reject")}
    print(table(results))
    if "--record" in opts:
        with open(opts["--record"], "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
            f.write("\n")
    if "--doc" in opts:
        write_doc(opts["--doc"], results, opts.get("--label", "this build"), len(labels),
                  opts.get("--section", "current"))
    if "--check" in opts:
        with open(opts["--check"]) as f:
            floor = json.load(f)
        bad = []
        for view, cats in floor.items():
            for name, c in cats.items():
                now = results.get(view, {}).get(name)
                for k in ("precision", "recall"):
                    if now is None or now[k] < c[k] - 1e-9:
                        bad.append("%s/%s %s %.3f < recorded %.3f" % (
                            view, name, k, now[k] if now else 0.0, c[k]))
        if bad:
            print("score: below the recorded values:\n  " + "\n  ".join(bad), file=sys.stderr)
            return 1
    return 0


def write_doc(path, results, label, n, section):
    begin, end = "<!-- score.py %s begin -->" % section, "<!-- score.py %s end -->" % section
    body = "%s\n%d labelled lines, %s:\n\n%s\n%s" % (begin, n, label, table(results), end)
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + body + text[text.index(end) + len(end):]
    else:
        text += ("\n" if text else "") + body + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
