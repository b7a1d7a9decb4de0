#!/bin/bash
# t0330-ci-kit: the CI examples under examples/ci/ parse, and each one's
# shell steps, with the CI variables filled in as GitHub and Gitea fill
# them, run against a fixture repository with a planted fake token: the
# scan step's exit status says whether the scanned range holds the
# secret, and the report files the upload steps name exist and parse.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
EXAMPLES="$TOP/examples/ci/github/pushgate.yml $TOP/examples/ci/gitea/pushgate.yml"

# Run a workflow's steps for one event: run_workflow FILE EVENT VARS-JSON
# Prints one line per step ("run NAME STATUS", "skip NAME", "uses NAME
# ACTION"), then checks what the upload steps would read; exits with the
# job's status (the first failed run step's, or 0).
cat >"$TRASH/run-workflow.py" <<'PY'
import json, os, re, subprocess, sys
import yaml

path, event, variables = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wf = yaml.safe_load(open(path))
# YAML 1.1 reads the key `on` as true.
triggers = wf.get("on", wf.get(True))
assert event in triggers, (path, event, "not a trigger")
variables["github.event_name"] = event
# What the examples may read; one an event does not define is empty, as in Actions.
for known in ("github.event.before", "github.sha", "github.event.pull_request.base.sha",
              "github.event.pull_request.head.sha", "github.event.repository.default_branch"):
    variables.setdefault(known, "")

def substitute(text):
    def one(m):
        name = m.group(1).strip()
        if name not in variables:
            raise SystemExit("%s: no value for ${{ %s }}" % (path, name))
        return variables[name]
    return re.sub(r"\$\{\{([^}]*)\}\}", one, text)

def wanted(step, failed):
    cond = str(step.get("if", ""))
    if "always()" in cond:
        m = re.search(r"hashFiles\('([^']+)'\) != ''", cond)
        return not m or os.path.exists(m.group(1))
    assert not cond, ("unsupported if:", cond)
    return not failed

status = 0
(job,) = wf["jobs"].values()
for step in job["steps"]:
    name = step.get("name", step.get("uses"))
    if not wanted(step, status != 0):
        print("skip", name)
        continue
    if "run" in step:
        rc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                             substitute(step["run"])]).returncode
        print("run", name, rc)
        status = status or rc
        continue
    action = step["uses"].split("@")[0]
    opts = step.get("with", {})
    print("uses", name, action)
    if action == "actions/upload-artifact":
        report = json.load(open(opts["path"]))
        print("artifact", opts["path"], len(report["findings"]), "findings")
    elif action == "github/codeql-action/upload-sarif":
        sarif = json.load(open(opts["sarif_file"]))
        assert sarif["version"] == "2.1.0"
        print("sarif", opts["sarif_file"], len(sarif["runs"][0]["results"]), "results")
sys.exit(status)
PY

test_expect_success 'python3 with yaml is available' '
	python3 -c "import yaml"
'

test_expect_success 'every example parses and has push, pull_request and schedule triggers' '
	for f in $EXAMPLES; do
		python3 -c "
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
on = wf.get(\"on\", wf.get(True))
assert set(on) == {\"push\", \"pull_request\", \"schedule\"}, on
assert on[\"schedule\"][0][\"cron\"]
" "$f" || exit 1
	done
'

test_expect_success 'pushgate accepts the examples as workflow files' '
	mkdir -p wf/.gitea/workflows wf/.github/workflows &&
	cp "$TOP/examples/ci/gitea/pushgate.yml" wf/.gitea/workflows/ &&
	cp "$TOP/examples/ci/github/pushgate.yml" wf/.github/workflows/ &&
	git init -q --bare wf.git && "$TOP/install.sh" --prefix "$TRASH/prefix" --binary "$PUSHGATE" --repo wf.git >/dev/null &&
	cd wf && git init -q && git add . && git commit -q -m "ci: pushgate" &&
	git push -q "$TRASH/wf.git" HEAD:main >out 2>&1 && test_grep_not "workflow" out
'

test_expect_success 'setup: a remote with main, a secret on main, and branches' '
	mkdir -p bin && ln -s "$PUSHGATE" bin/pushgate &&
	git init -q --bare origin.git &&
	git clone -q origin.git repo 2>/dev/null && cd repo &&
	echo "print(1)" >app.py && git add . && git commit -q -m base &&
	git rev-parse HEAD >"$TRASH/A" &&
	printf "token = \"%s\"\n" "$($GEN ghp)" >settings.py &&
	git add . && git commit -q -m "add settings" && git rev-parse HEAD >"$TRASH/B" &&
	echo "print(2)" >>app.py && git commit -q -am clean && git rev-parse HEAD >"$TRASH/C" &&
	git push -q origin main &&
	git checkout -q -b feature/clean && echo "x = 1" >x.py && git add x.py &&
	git commit -q -m x && git rev-parse HEAD >"$TRASH/D" &&
	git checkout -q -b feature/leak main &&
	printf "key = \"%s\"\n" "$($GEN ghp)" >leak.py && git add leak.py &&
	git commit -q -m leak && git rev-parse HEAD >"$TRASH/E" &&
	git push -q origin feature/clean feature/leak &&
	git fetch -q origin && git checkout -q --detach main
'

# run_case FILE EVENT EXPECTED-STATUS VAR=VALUE...; $FINDINGS: how many
# findings the reports hold (default: as many as the status says).
run_case() {
	file=$1 event=$2 expect=$3 findings=${FINDINGS:-$3}
	shift 3
	vars=$(python3 -c "
import json, sys
v = {\"github.event.repository.default_branch\": \"main\"}
for kv in sys.argv[1:]:
    k, _, val = kv.partition(\"=\")
    v[k] = val
print(json.dumps(v))" "$@") &&
	rm -f "$TRASH"/repo/pushgate-report.json "$TRASH"/repo/pushgate.sarif &&
	(cd "$TRASH/repo" && PATH="$TRASH/bin:$PATH" python3 "$TRASH/run-workflow.py" "$file" "$event" "$vars") >out 2>err
	rc=$?
	cat out err
	test "$rc" = "$expect" || { echo "$file $event: exit $rc, expected $expect"; return 1; }
	test_grep "^run Scan $expect$" out &&
	test_grep "^artifact pushgate-report.json $findings findings$" out &&
	case $file in */github/*)
		test_grep "^sarif pushgate.sarif $findings results$" out &&
		python3 "$TOP/tests/t/lib-sarif.py" "$TRASH/repo/pushgate.sarif" ;;
	esac
}

A() { cat "$TRASH/A"; }
B() { cat "$TRASH/B"; }
C() { cat "$TRASH/C"; }
D() { cat "$TRASH/D"; }
E() { cat "$TRASH/E"; }
ZERO=0000000000000000000000000000000000000000

test_expect_success 'push: the pushed range with the secret fails, the report is kept' '
	for f in $EXAMPLES; do
		run_case "$f" push 1 github.event.before=$(A) github.sha=$(B) || exit 1
	done
'

test_expect_success 'push: a clean range passes' '
	for f in $EXAMPLES; do
		run_case "$f" push 0 github.event.before=$(B) github.sha=$(C) || exit 1
	done
'

test_expect_success 'push of a new branch (all-zero before): only what it adds to main' '
	for f in $EXAMPLES; do
		run_case "$f" push 0 github.event.before=$ZERO github.sha=$(D) &&
		run_case "$f" push 1 github.event.before=$ZERO github.sha=$(E) || exit 1
	done
'

test_expect_success 'pull_request: base..head' '
	for f in $EXAMPLES; do
		run_case "$f" pull_request 0 github.event.pull_request.base.sha=$(C) \
			github.event.pull_request.head.sha=$(D) &&
		run_case "$f" pull_request 1 github.event.pull_request.base.sha=$(C) \
			github.event.pull_request.head.sha=$(E) || exit 1
	done
'

test_expect_success 'schedule: the whole history' '
	for f in $EXAMPLES; do
		FINDINGS=2 run_case "$f" schedule 1 || exit 1
	done &&
	python3 -c "
import json
r = json.load(open(\"$TRASH/repo/pushgate-report.json\"))
paths = sorted(f[\"path\"] for f in r[\"findings\"])
assert paths == [\"leak.py\", \"settings.py\"], paths
assert all(f[\"rule\"] == \"github-pat\" for f in r[\"findings\"])
"
'

test_expect_success 'docs/ci.md names every example' '
	for f in $EXAMPLES; do
		test_grep "examples/ci/${f#$TOP/examples/ci/}" "$TOP/docs/ci.md" || exit 1
	done
'

test_done
