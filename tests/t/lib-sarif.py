#!/usr/bin/env python3
# lib-sarif.py - validate SARIF reports against the official SARIF 2.1.0
# JSON schema (tests/fixtures/sarif/), and against what GitHub's code
# scanning needs beyond it (security-severity a number 0.0..10.0 written
# as a string).
#
#   lib-sarif.py FILE...    exit 0 if every FILE is valid; otherwise print
#                           each problem as "FILE: path.to.value: what"
#                           and exit 1; exit 2 if jsonschema is missing
#
# Needs Python's jsonschema (Debian: python3-jsonschema, which .ci/deps
# installs). When the python3 on PATH lacks it, the system one is tried.
import json
import os
import sys

SYSTEM_PYTHON = "/usr/bin/python3"

try:
    import jsonschema
except ImportError:
    if os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON) and \
            os.access(SYSTEM_PYTHON, os.X_OK) and not os.environ.get("LIB_SARIF_REEXEC"):
        os.environ["LIB_SARIF_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)
    sys.exit("lib-sarif.py: Python's jsonschema is missing: "
             "apt-get install python3-jsonschema (.ci/deps does)")

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(TOP, "tests", "fixtures", "sarif", "sarif-2.1.0-rtm.5.json")


def where(path):
    return ".".join(str(p) for p in path) or "(root)"


def github_problems(doc):
    """What code scanning rejects or ignores that the schema allows."""
    for r, run in enumerate(doc.get("runs", [])):
        rules = run.get("tool", {}).get("driver", {}).get("rules", [])
        for i, rule in enumerate(rules):
            sev = rule.get("properties", {}).get("security-severity")
            if sev is None:
                continue
            at = "runs.%d.tool.driver.rules.%d.properties.security-severity" % (r, i)
            try:
                ok = isinstance(sev, str) and 0.0 <= float(sev) <= 10.0
            except ValueError:
                ok = False
            if not ok:
                yield at, "%r is not a number 0.0..10.0 written as a string" % (sev,)


def problems(path, validator):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        yield "(file)", "not JSON: %s" % e
        return
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        yield where(e.absolute_path), e.message
    if isinstance(doc, dict):
        yield from github_problems(doc)


def main(paths):
    if not paths:
        sys.exit("usage: lib-sarif.py FILE...")
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in paths:
        for at, what in problems(path, validator):
            print("%s: %s: %s" % (path, at, what))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
