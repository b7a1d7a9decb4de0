#!/bin/sh
# t0315-sarif-schema: every kind of SARIF report `pushgate scan` writes
# (files, standard input, binary files, an empty run, --git, --staged)
# is valid against the official SARIF 2.1.0 schema and carries what
# code-scanning dashboards read: the level from severity and confidence,
# each rule's help, tags and security-severity, the commit of a --git
# finding. A SARIF report also works as --baseline.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
VALID="python3 $TOP/tests/t/lib-sarif.py"
AWS=$($GEN aws)
GHP=$($GEN ghp)
PASSWORD=Kq7wZr2mXp9

pg_scan() {
	"$PUSHGATE" scan "$@"
	rc=$?
	test "$rc" -le 1 || { echo "exit $rc: pushgate scan $*"; return 1; }
}

test_expect_success 'the validator accepts SARIF 2.1.0 and rejects what is not' '
	cat >min.sarif <<-\EOF &&
	{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [
	 {"id": "r", "properties": {"security-severity": "8.0"}}]}},
	 "results": [{"ruleId": "r", "level": "error", "message": {"text": "m"}}]}]}
	EOF
	$VALID min.sarif &&
	sed "s/\"error\"/\"fatal\"/" min.sarif >fatal.sarif &&
	test_expect_code 1 $VALID fatal.sarif >out &&
	test_grep "runs.0.results.0.level: .fatal. is not one of" out &&
	sed "s/\"2.1.0\"/\"2.1\"/" min.sarif >version.sarif &&
	test_expect_code 1 $VALID version.sarif >out &&
	test_grep "^version.sarif: version: " out &&
	sed "s/\"8.0\"/8.0/" min.sarif >sev.sarif &&
	test_expect_code 1 $VALID sev.sarif >out &&
	test_grep "security-severity: 8.0 is not a number 0.0..10.0 written as a string" out &&
	echo "{" >broken.sarif &&
	test_expect_code 1 $VALID broken.sarif >out &&
	test_grep "not JSON" out
'

test_expect_success 'setup: files, a binary file, a repository with history and a staged change' '
	mkdir -p files/src files/tests &&
	printf "k = \"%s\"\n" "$AWS" >files/src/a.py &&
	printf "db_password = \"%s\"\n" "$PASSWORD" >files/src/db.py &&
	printf "db_password = \"%s\"\ntoken = \"%s\"\n" "$PASSWORD" "$GHP" >files/tests/conf.py &&
	printf "\000\001bin %s\000" "$AWS" >files/blob.bin &&
	mkdir clean && echo ok >clean/a &&
	git init -q repo && cp -R files/src files/tests repo/ && cd repo &&
	git add src && git commit -q -m first && git rev-parse HEAD >../c1 &&
	cp ../files/blob.bin . && git add tests blob.bin && git commit -q -m second && git rev-parse HEAD >../c2 &&
	printf "token = \"%s\"\n" "$($GEN ghp)" >staged.py && git add staged.py
'

test_expect_success 'files, standard input, binary files, an empty run: valid SARIF 2.1.0' '
	pg_scan --format sarif files >files.sarif &&
	pg_scan --format sarif --binary --jobs 2 files >binary.sarif &&
	printf "k %s\n" "$AWS" | pg_scan --format sarif - >stdin.sarif &&
	test_expect_code 0 "$PUSHGATE" scan --format sarif clean >empty.sarif &&
	pg_scan --format sarif --output out.sarif files &&
	$VALID files.sarif binary.sarif stdin.sarif empty.sarif out.sarif
'

test_expect_success '--git and --staged: valid, the commit in properties and partialFingerprints' '
	(cd repo && pg_scan --git --format sarif >../git.sarif &&
	 pg_scan --git --format json >../git.json &&
	 pg_scan --git --range "$(cat ../c1)..$(cat ../c2)" --format sarif >../range.sarif &&
	 pg_scan --staged --format sarif >../staged.sarif) &&
	$VALID git.sarif range.sarif staged.sarif &&
	python3 - git.sarif git.json range.sarif "$(cat c2)" <<-\EOF
	import json, sys
	s = json.load(open(sys.argv[1]))["runs"][0]["results"]
	j = json.load(open(sys.argv[2]))["findings"]
	assert len(s) == len(j) == 5, (len(s), len(j))
	for x, f in zip(s, j):
	    assert f["commit"] and len(f["commit"]) == 40, f
	    assert x["properties"]["commit"] == f["commit"], x
	    assert x["partialFingerprints"] == {"pushgate/v1": f["fingerprint"],
	                                        "commitSha/v1": f["commit"]}, x
	(b,) = [x for x in s if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "blob.bin"]
	assert b["locations"][0]["physicalLocation"]["region"]["byteOffset"] == 6, b
	r = json.load(open(sys.argv[3]))["runs"][0]["results"]
	assert len(r) == 3 and {x["properties"]["commit"] for x in r} == {sys.argv[4]}, r
	EOF
'

test_expect_success 'level: the rule severity, one step lower for a low-confidence finding' '
	pg_scan --format json files >files.json &&
	python3 - files.sarif files.json <<-\EOF
	import json, sys
	s = json.load(open(sys.argv[1]))["runs"][0]["results"]
	j = json.load(open(sys.argv[2]))["findings"]
	steps = ["error", "warning", "note"]
	base = {"critical": 0, "high": 0, "medium": 1, "low": 2}
	seen = set()
	for x, f in zip(s, j):
	    want = steps[min(2, base[f["severity"]] + (f["confidence"] == "low"))]
	    assert x["level"] == want, (x["level"], f)
	    assert x["properties"]["confidence"] == f["confidence"], (x, f)
	    assert "commit" not in x["properties"] and list(x["partialFingerprints"]) == ["pushgate/v1"]
	    seen.add((f["severity"], f["confidence"], x["level"]))
	# The fixture covers: critical high, medium medium, a lowered test path.
	assert ("critical", "high", "error") in seen, seen
	assert ("medium", "medium", "warning") in seen, seen
	assert ("medium", "low", "note") in seen, seen
	assert len(s) == len(j) == 4
	EOF
'

test_expect_success 'each rule: full description, help with the fix, tags, security-severity' '
	python3 - files.sarif files.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]
	sev = {f["rule"]: f["severity"] for f in json.load(open(sys.argv[2]))["findings"]}
	num = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
	assert {r["id"] for r in d} == set(sev), d
	for r in d:
	    assert r["shortDescription"]["text"] in r["fullDescription"]["text"], r
	    for h in (r["help"]["text"], r["help"]["markdown"]):
	        assert "rotate the credential" in h and "pushgate:allow" in h, h
	    p = r["properties"]
	    assert p["tags"] == ["security", "secret"], p
	    assert p["security-severity"] == num[sev[r["id"]]], (p, sev[r["id"]])
	    assert p["precision"] in ("high", "medium", "low"), p
	EOF
'

test_expect_success '--baseline takes a SARIF report: files' '
	test_expect_code 0 "$PUSHGATE" scan --baseline files.sarif files >out &&
	test_grep "^no findings" out &&
	test_expect_code 0 "$PUSHGATE" scan --baseline files.sarif --format sarif --output b.sarif files &&
	$VALID b.sarif &&
	python3 -c "import json, sys; assert json.load(open(sys.argv[1]))[\"runs\"][0][\"results\"] == []" b.sarif &&
	printf "k = \"%s\"\n" "$($GEN aws)" >files/src/new.py &&
	test_expect_code 1 "$PUSHGATE" scan --baseline files.sarif --format json files >n.json &&
	python3 -c "import json, sys
f = json.load(open(sys.argv[1]))[\"findings\"]
assert [x[\"path\"] for x in f] == [\"src/new.py\"], f" n.json &&
	rm files/src/new.py
'

test_expect_success '--baseline takes a SARIF report: --git, a range against a full scan' '
	cd repo &&
	test_expect_code 0 "$PUSHGATE" scan --git --baseline ../git.sarif >../out &&
	test_expect_code 0 "$PUSHGATE" scan --git --range "$(cat ../c1)..$(cat ../c2)" \
		--baseline ../git.sarif >../out &&
	test_expect_code 1 "$PUSHGATE" scan --git --baseline ../range.sarif --format json >../rest.json &&
	python3 -c "import json, sys
f = json.load(open(sys.argv[1]))[\"findings\"]
assert [(x[\"path\"], x[\"commit\"]) for x in f] == [(\"src/a.py\", sys.argv[2]), (\"src/db.py\", sys.argv[2])], f" \
		../rest.json "$(cat ../c1)"
'

test_expect_success '--baseline: a malformed SARIF report is an error that says what is wrong' '
	python3 - files.sarif <<-\EOF &&
	import json, sys
	d = json.load(open(sys.argv[1]))
	d["runs"][0]["results"][1]["partialFingerprints"]["pushgate/v1"] = "nope"
	json.dump(d, open("badfp.sarif", "w"))
	d["runs"][0]["tool"]["driver"]["name"] = "gitleaks"
	json.dump(d, open("other.sarif", "w"))
	EOF
	test_expect_code 2 "$PUSHGATE" scan --baseline badfp.sarif files >out 2>err &&
	test_grep "badfp.sarif: baseline SARIF run 1 result 2 has no valid partialFingerprints \"pushgate/v1\"" err &&
	! test -s out &&
	test_expect_code 2 "$PUSHGATE" scan --baseline other.sarif files 2>err &&
	test_grep "other.sarif: baseline SARIF has no run of pushgate" err &&
	echo "{\"runs\": [], \"version\": \"2.0.0\"}" >old.sarif &&
	test_expect_code 2 "$PUSHGATE" scan --baseline old.sarif files 2>err &&
	test_grep "old.sarif: baseline SARIF is not version \"2.1.0\"" err &&
	echo "{\"results\": []}" >neither.sarif &&
	test_expect_code 2 "$PUSHGATE" scan --baseline neither.sarif files 2>err &&
	test_grep "neither a pushgate JSON report" err
'

test_expect_success 'no SARIF report shows a secret whole' '
	for s in "$AWS" "$GHP" "$PASSWORD"; do
		! grep -F "$s" *.sarif || return 1
	done
'

test_done
