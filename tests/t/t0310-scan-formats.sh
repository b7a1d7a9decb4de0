#!/bin/sh
# t0310-scan-formats: the reports of `pushgate scan`: text lines and
# summary, colour only on a terminal, JSON (docs/architecture.md, "Formats users rely on") and
# SARIF 2.1.0 checked field by field (and SARIF against its schema,
# tests/t/lib-sarif.py), --output written atomically, and no format ever
# showing a whole secret.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
VALID="python3 $TOP/tests/t/lib-sarif.py"

pg_scan() {
	"$PUSHGATE" scan "$@"
	rc=$?
	test "$rc" -le 1 || { echo "exit $rc: pushgate scan $*"; return 1; }
}

test_expect_success 'setup' '
	$GEN aws >aws && $GEN ghp >ghp &&
	mkdir -p repo/src "repo/dir with space" &&
	printf "import os\nVAL = \"%s\"\n" "$(cat aws)" >repo/src/a.py &&
	printf "\n\n\n  value_of_xy=%s\n" "$(cat ghp)" >"repo/dir with space/$(printf "\303\251").env" &&
	printf "t: %s\n" "$(cat aws)" >"repo/we$(printf "\033")ird.txt"
'

test_expect_success 'text: one escaped line per finding, then a summary' '
	test_expect_code 1 "$PUSHGATE" scan repo >out 2>err &&
	test_line_count() { test $(wc -l <"$2") = "$1"; } &&
	test_line_count 4 out &&
	a=$(cut -c1-5 aws) && g=$(cut -c1-6 ghp) &&
	sed -n 1p out | grep -q "^dir with space/$(printf "\303\251").env:4:15: [a-z0-9-]*: $g\.\.\.(redacted) (.*) \[confidence: [a-z]*.*\]$" &&
	sed -n 2p out | grep -q "^src/a.py:2:8: [a-z0-9-]*: $a\.\.\.(redacted) (.*) \[confidence: [a-z]*.*\]$" &&
	sed -n 3p out | grep -qF "we\\x1bird.txt:1:4: " &&
	sed -n 4p out | grep -q "^3 findings in 3 files (scanned 3 files, [0-9]* bytes in [0-9.]* s)$" &&
	! grep -q "$(printf "\033")" out &&
	! test -s err
'

test_expect_success 'text: colour on a terminal unless NO_COLOR' '
	script -qec "$PUSHGATE scan repo/src" /dev/null >tty.out </dev/null || test $? = 1 &&
	grep -q "$(printf "\033")\[" tty.out &&
	NO_COLOR=1 script -qec "$PUSHGATE scan repo/src" /dev/null >tty2.out </dev/null ||
	test $? = 1 &&
	test_grep "a.py:2:8: " tty2.out &&
	! grep -q "$(printf "\033")\[" tty2.out
'

test_expect_success 'JSON: every field' '
	pg_scan --format json repo >r.json &&
	python3 - "$(cat aws)" "$(cat ghp)" r.json "$TOP" <<-\EOF
	import json, sys
	sys.path.insert(0, sys.argv[4] + "/tests/t")
	from importlib import import_module
	lib = import_module("lib-scan")
	aws, ghp, path = sys.argv[1:4]
	r = json.load(open(path))
	assert set(r) == {"findings", "stats"}, r.keys()
	f = r["findings"]
	assert len(f) == 3, f
	keys = {"rule", "path", "line", "column", "commit", "secret", "fingerprint",
	        "description", "severity", "confidence"}
	for x in f:
	    assert set(x) - {"lowered_because"} == keys, x.keys()
	    assert x["confidence"] in ("high", "medium", "low")
	    assert x["commit"] is None
	    assert isinstance(x["line"], int) and isinstance(x["column"], int)
	    assert x["severity"] in ("critical", "high", "medium", "low")
	    assert x["description"] and x["rule"]
	    assert x["secret"].endswith("...(redacted)")
	    shown = x["secret"][:-len("...(redacted)")]
	    secret = ghp if shown.startswith("ghp_") else aws
	    assert secret.startswith(shown) and len(shown) <= 6, shown
	    assert x["fingerprint"] == lib.fingerprint(x["rule"], x["path"], secret)
	assert [x["path"] for x in f] == ["dir with space/\u00e9.env", "src/a.py", "we\u001bird.txt"]
	assert (f[0]["line"], f[0]["column"]) == (4, 15)
	assert (f[1]["line"], f[1]["column"]) == (2, 8)
	assert (f[2]["line"], f[2]["column"]) == (1, 4)
	assert f[1]["rule"] == f[2]["rule"] and f[0]["rule"] != f[1]["rule"]
	assert f[1]["fingerprint"] != f[2]["fingerprint"]
	s = r["stats"]
	assert set(s) <= {"files", "bytes", "skipped", "seconds", "limit_hits"}, s.keys()
	assert s["files"] == 3 and s["bytes"] > 0 and isinstance(s["seconds"], float)
	assert s["skipped"] == {"binary": 0, "unreadable": 0, "symlink": 0, "too_large": 0}
	EOF
'

test_expect_success 'JSON: no findings' '
	mkdir clean && printf "ok\n" >clean/a &&
	test_expect_code 0 "$PUSHGATE" scan --format json clean >c.json &&
	python3 -c "import json; r = json.load(open(\"c.json\")); assert r[\"findings\"] == [] and r[\"stats\"][\"files\"] == 1"
'

test_expect_success 'SARIF: every field' '
	pg_scan --format sarif repo >r.sarif &&
	$VALID r.sarif &&
	python3 - "$(cat aws)" "$(cat ghp)" r.sarif r.json <<-\EOF
	import json, sys
	aws, ghp, path, jpath = sys.argv[1:5]
	r = json.load(open(path))
	j = json.load(open(jpath))["findings"]
	assert r["version"] == "2.1.0"
	assert "sarif" in r["$schema"]
	assert len(r["runs"]) == 1
	run = r["runs"][0]
	d = run["tool"]["driver"]
	assert d["name"] == "pushgate" and d["version"]
	ids = [x["id"] for x in d["rules"]]
	assert len(ids) == 2 and len(set(ids)) == 2, ids
	for rule in d["rules"]:
	    assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
	    assert rule["help"]["text"] and rule["help"]["markdown"]
	    assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
	    assert rule["properties"]["tags"] == ["security", "secret"]
	    assert float(rule["properties"]["security-severity"]) > 0
	res = run["results"]
	assert len(res) == 3
	for x, f in zip(res, j):
	    assert x["ruleId"] == f["rule"]
	    assert ids[x["ruleIndex"]] == x["ruleId"]
	    assert x["level"] in ("error", "warning", "note")
	    assert x["message"]["text"].endswith(f["secret"]), x["message"]
	    assert x["partialFingerprints"] == {"pushgate/v1": f["fingerprint"]}
	    (loc,) = x["locations"]
	    p = loc["physicalLocation"]
	    assert p["region"] == {"startLine": f["line"], "startColumn": f["column"]}
	    assert p["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
	uris = [x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in res]
	assert uris == ["dir%20with%20space/%C3%A9.env", "src/a.py", "we%1Bird.txt"], uris
	EOF
'

test_expect_success 'SARIF: standard input and an empty run' '
	printf "k %s\n" "$(cat aws)" | pg_scan --format sarif - >s.sarif &&
	python3 -c "import json
r = json.load(open(\"s.sarif\"))[\"runs\"][0]
a = r[\"results\"][0][\"locations\"][0][\"physicalLocation\"][\"artifactLocation\"]
assert a == {\"uri\": \"-\"}, a" &&
	test_expect_code 0 "$PUSHGATE" scan --format sarif clean >e.sarif &&
	python3 -c "import json
r = json.load(open(\"e.sarif\"))[\"runs\"][0]
assert r[\"results\"] == [] and r[\"tool\"][\"driver\"][\"rules\"] == []" &&
	$VALID s.sarif e.sarif
'

test_expect_success '--output writes the file atomically, not stdout' '
	test_expect_code 1 "$PUSHGATE" scan --format json --output report.json repo >out &&
	! test -s out &&
	python3 -c "import json; assert len(json.load(open(\"report.json\"))[\"findings\"]) == 3" &&
	test_expect_code 1 "$PUSHGATE" scan -o report.txt repo >out &&
	test_grep "^3 findings in 3 files" report.txt &&
	echo old >keep.json &&
	test_expect_code 2 "$PUSHGATE" scan --format json --output keep.json --baseline nope repo 2>err &&
	test "$(cat keep.json)" = old &&
	test_expect_code 2 "$PUSHGATE" scan --output no/such/dir/r.json repo 2>err &&
	test_grep "no/such/dir" err &&
	test -z "$(ls | grep "\.tmp\.")"
'

test_expect_success 'no format shows a secret whole' '
	for fmt in text json sarif; do
		pg_scan --format $fmt repo >o.$fmt 2>e.$fmt &&
		pg_scan --binary --format $fmt --jobs 3 repo >>o.$fmt 2>>e.$fmt &&
		printf "%s %s\n" "$(cat aws)" "$(cat ghp)" | pg_scan --format $fmt - >>o.$fmt 2>>e.$fmt &&
		for s in aws ghp; do
			! grep -F "$(cat $s)" o.$fmt e.$fmt || return 1
			# not even most of it
			! grep -F "$(cut -c7- $s)" o.$fmt e.$fmt || return 1
		done
	done &&
	for s in aws ghp; do
		! grep -F "$(cat $s)" out err r.json r.sarif report.json report.txt s.sarif tty.out || return 1
	done
'

test_done
