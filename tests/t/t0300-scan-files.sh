#!/bin/sh
# t0300-scan-files: `pushgate scan` over files, directories and stdin:
# what is enumerated (.git, symlinks, binary, unreadable), exit codes,
# line and column (CRLF), exactly-once matching across chunk boundaries,
# a huge single-line file, --jobs determinism and --baseline.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"

# Run a scan that may report findings (exit 0 or 1), nothing worse.
pg_scan() {
	"$PUSHGATE" scan "$@"
	rc=$?
	test "$rc" -le 1 || { echo "exit $rc: pushgate scan $*"; return 1; }
}

# The JSON report without its timing, for comparisons.
untimed() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1])); r["stats"].pop("seconds")
print(json.dumps(r, indent=1, sort_keys=True))' "$1"
}

json_get() {
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v) if isinstance(v, (dict, list)) or v is None else v)' "$1" "$2"
}

test_expect_success 'setup: a tree with planted secrets' '
	$GEN aws >aws1 && $GEN aws >aws2 && $GEN ghp >ghp1 && $GEN ghp >ghp2 &&
	$GEN aws >aws_out && $GEN aws >aws_git && $GEN ghp >ghp_bin &&
	mkdir -p tree/src/deep/er tree/.git/objects tree/empty outside &&
	printf "import os\n\nVAL = \"%s\"\n" "$(cat aws1)" >tree/src/app.py &&
	printf "a\nb\n  value: %s\n" "$(cat ghp1)" >tree/src/deep/er/conf.yml &&
	printf "x=%s\n" "$(cat aws_git)" >tree/.git/config &&
	printf "x=%s\n" "$(cat aws_git)" >tree/.git/objects/blob &&
	printf "bin\000ary %s\n" "$(cat ghp_bin)" >tree/data.bin &&
	printf "k=%s\n" "$(cat aws_out)" >outside/secret.txt &&
	ln -s ../outside/secret.txt tree/link.txt &&
	ln -s ../outside tree/linkdir &&
	ln -s nowhere tree/dangling &&
	: >tree/empty.txt &&
	printf "clean text only\n" >tree/src/clean.txt
'

test_expect_success 'clean directory: exit 0' '
	mkdir clean && printf "nothing to see\n" >clean/a.txt &&
	test_expect_code 0 "$PUSHGATE" scan clean >out 2>err &&
	test_grep "^no findings (scanned 1 file" out
'

test_expect_success 'findings: exit 1, paths relative to the directory, line and column' '
	test_expect_code 1 "$PUSHGATE" scan tree >out 2>err &&
	test_grep "^src/app.py:3:8: [a-z0-9-]*: AKIA.\.\.\.(redacted) (" out &&
	test_grep "^src/deep/er/conf.yml:3:10: [a-z0-9-]*: ghp_..\.\.\.(redacted) (" out &&
	test_grep "^2 findings in 2 files (scanned 4 files" out &&
	test $(grep -c "redacted" out) = 2
'

test_expect_success 'the default path is the current directory' '
	(cd tree && test_expect_code 1 "$PUSHGATE" scan) >out &&
	test_grep "^src/app.py:3:8: " out
'

test_expect_success '.git directories are not scanned' '
	pg_scan --format json tree >r.json &&
	! grep -F ".git" r.json &&
	test_grep_not "$(cat aws_git | cut -c1-8)" r.json
'

test_expect_success 'symbolic links are not followed and counted as skipped' '
	test "$(json_get r.json stats.skipped.symlink)" = 3 &&
	test_grep_not "\"path\": \".*link" r.json &&
	test "$(json_get r.json stats.files)" = 4 &&
	test_expect_code 0 "$PUSHGATE" scan tree/link.txt >out 2>err &&
	test_grep "not following symbolic link .tree/link.txt." err
'

test_expect_success 'binary files are skipped unless --binary' '
	test "$(json_get r.json stats.skipped.binary)" = 1 &&
	test_expect_code 1 "$PUSHGATE" scan --binary --format json tree >rb.json &&
	test "$(json_get rb.json stats.skipped.binary)" = 0 &&
	test "$(json_get rb.json findings.0.path)" = data.bin
'

test_expect_success 'a file argument is reported as given' '
	test_expect_code 1 "$PUSHGATE" scan ./tree/src/app.py >out &&
	test_grep "^\./tree/src/app.py:3:8: " out
'

test_expect_success 'several arguments: directory entries keep their prefix' '
	test_expect_code 1 "$PUSHGATE" scan tree/src ./tree/src/deep >out &&
	test_grep "^tree/src/app.py:3:8: " out &&
	test $(grep -c "^tree/src/deep/er/conf.yml:3:10: " out) = 2 &&
	test $(grep -c "redacted" out) = 3
'

test_expect_success 'a missing path is an error: exit 2, nothing scanned' '
	test_expect_code 2 "$PUSHGATE" scan tree no-such-file >out 2>err &&
	test_grep "no-such-file" err &&
	! test -s out
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 "$PUSHGATE" scan --format yaml tree 2>err &&
	test_grep "unknown format" err &&
	test_expect_code 2 "$PUSHGATE" scan --no-such-option 2>err &&
	test_expect_code 2 "$PUSHGATE" scan --jobs x 2>err &&
	test_expect_code 2 "$PUSHGATE" scan --git tree 2>err &&
	test_grep "takes no PATH" err &&
	test_expect_code 2 "$PUSHGATE" scan --range HEAD~1.. 2>err &&
	test_expect_code 2 "$PUSHGATE" scan --rules no-such.yml tree 2>err &&
	test_expect_code 0 "$PUSHGATE" scan --help >out &&
	test_grep "^Exit status: 0 no findings, 1 findings, 2 usage or internal error" out
'

test_expect_success 'unreadable files are reported and counted, not fatal' '
	mkdir unr && printf "x\n" >unr/ok.txt && printf "y\n" >unr/locked.txt &&
	chmod 000 unr/locked.txt &&
	if test "$(id -u)" = 0; then
		# root reads anything; /proc/self/mem fails with EIO at offset 0.
		set -- unr /proc/self/mem && bad=/proc/self/mem
	else
		set -- unr && bad=locked.txt
	fi &&
	test_expect_code 0 "$PUSHGATE" scan --format json "$@" >u.json 2>err &&
	test_grep "warning: cannot read .*$bad" err &&
	test "$(json_get u.json stats.skipped.unreadable)" = 1 &&
	chmod 644 unr/locked.txt
'

test_expect_success 'empty files are fine' '
	mkdir e && : >e/a && : >e/b &&
	test_expect_code 0 "$PUSHGATE" scan --format json e >e.json &&
	test "$(json_get e.json stats.files)" = 2 &&
	test "$(json_get e.json stats.bytes)" = 0
'

test_expect_success 'CRLF: line and column count bytes after the LF' '
	printf "first line\r\nsecond\r\n\r\n   key=%s\r\n" "$(cat aws2)" >crlf.txt &&
	test_expect_code 1 "$PUSHGATE" scan crlf.txt >out &&
	test_grep "^crlf.txt:4:8: " out
'

test_expect_success 'after --, a PATH - is a file of that name, not standard input' '
	mkdir -p dashdir && cd dashdir &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >./- &&
	echo "nothing here" | test_expect_code 1 "$PUSHGATE" scan -- - >out &&
	test_grep "^\./-:1:6: github-pat" out &&
	printf "k = \"%s\"\n" "$($GEN ghp)" | test_expect_code 1 "$PUSHGATE" scan - >out &&
	test_grep "^-:1:6: github-pat" out
'

test_expect_success 'standard input is scanned as "-"' '
	printf "one\ntwo %s\n" "$(cat ghp2)" | test_expect_code 1 "$PUSHGATE" scan - >out &&
	test_grep "^-:2:5: " out &&
	printf "clean\n" | test_expect_code 0 "$PUSHGATE" scan - >out &&
	printf "x %s\n" "$(cat aws2)" | test_expect_code 1 "$PUSHGATE" scan --format json - >s.json &&
	test "$(json_get s.json findings.0.path)" = "-" &&
	test "$(json_get s.json findings.0.column)" = 3
'

test_expect_success 'chunk boundaries: every secret found exactly once (4 KiB chunks)' '
	for step in 4096 2048 1024 1000; do
		$GEN plant b$step.txt b$step.expect --size 70000 --step $step &&
		PUSHGATE_CHUNK_SIZE=4096 pg_scan --format json b$step.txt >r$step.json &&
		$GEN check-json r$step.json b$step.expect b$step.txt || return 1
	done &&
	$GEN plant crlf-b.txt crlf-b.expect --size 50000 --step 1024 --crlf &&
	PUSHGATE_CHUNK_SIZE=4096 pg_scan --format json crlf-b.txt >crlf-r.json &&
	$GEN check-json crlf-r.json crlf-b.expect crlf-b.txt
'

test_expect_success 'chunk boundaries: standard input too' '
	PUSHGATE_CHUNK_SIZE=4096 pg_scan --format json - <b1024.txt >stdin.json &&
	$GEN check-json stdin.json b1024.expect -
'

test_expect_success 'a bad PUSHGATE_CHUNK_SIZE is a usage error' '
	PUSHGATE_CHUNK_SIZE=lots test_expect_code 2 "$PUSHGATE" scan tree 2>err &&
	test_grep "PUSHGATE_CHUNK_SIZE" err
'

test_expect_success 'a 50 MB file without newlines' '
	$GEN longline long.txt long.expect 50 &&
	pg_scan --format json long.txt >long-r.json &&
	$GEN check-json long-r.json long.expect long.txt &&
	test "$(json_get long-r.json stats.bytes)" = 52428800
'

test_expect_success '--jobs 1 and --jobs 4 report the same on 200 files' '
	mkdir many && $GEN tree many 200 many.expect &&
	pg_scan --jobs 1 --format json many >j1.json &&
	pg_scan --jobs 4 --format json many >j4.json &&
	untimed j1.json >j1 && untimed j4.json >j4 && cmp j1 j4 &&
	test "$(json_get j1.json stats.files)" = 200 &&
	python3 -c "import json, sys
want = json.load(open(\"many.expect\"))
got = json.load(open(\"j1.json\"))[\"findings\"]
assert len(want) == len(got) > 20, (len(want), len(got))
assert sorted((w[\"path\"], w[\"line\"], w[\"column\"]) for w in want) == \
       [(g[\"path\"], g[\"line\"], g[\"column\"]) for g in got]" &&
	test_expect_code 1 "$PUSHGATE" scan --jobs 1 many >t1.all && sed "\$d" t1.all >t1 &&
	test_expect_code 1 "$PUSHGATE" scan --jobs 4 many >t4.all && sed "\$d" t4.all >t4 &&
	cmp t1 t4 && test -s t1 &&
	pg_scan --jobs 1 --format sarif many >s1 &&
	pg_scan --jobs 4 --format sarif many >s4 &&
	cmp s1 s4 && python3 "$TOP/tests/t/lib-sarif.py" s1
'

test_expect_success 'baseline: drops exactly the listed findings' '
	mkdir bl && printf "a=%s\n" "$(cat aws1)" >bl/one.txt &&
	printf "b=%s\n" "$(cat ghp1)" >bl/two.txt &&
	pg_scan --format json bl >base.json &&
	test_expect_code 0 "$PUSHGATE" scan --baseline base.json bl >out &&
	test_grep "^no findings" out &&
	printf "\n\nmoved=%s\n" "$(cat aws1)" >bl/one.txt &&
	printf "c=%s\n" "$(cat aws2)" >bl/three.txt &&
	test_expect_code 1 "$PUSHGATE" scan --baseline base.json bl >out &&
	test_grep "^three.txt:1:3: " out &&
	test $(grep -c redacted out) = 1 &&
	cp bl/two.txt bl/copy.txt &&
	test_expect_code 1 "$PUSHGATE" scan --baseline base.json --format json bl >b2.json &&
	test "$(json_get b2.json findings.0.path)" = copy.txt &&
	test "$(json_get b2.json findings.1.path)" = three.txt
'

test_expect_success 'baseline: a malformed or missing baseline is an error (exit 2)' '
	printf "{\"findings\": [{\"rule\": \"x\"}]}" >bad.json &&
	test_expect_code 2 "$PUSHGATE" scan --baseline bad.json bl 2>err &&
	test_grep "fingerprint" err &&
	printf "not json" >bad2.json &&
	test_expect_code 2 "$PUSHGATE" scan --baseline bad2.json bl 2>err &&
	test_expect_code 2 "$PUSHGATE" scan --baseline missing.json bl 2>err
'

test_expect_success 'no output of these tests shows a secret whole' '
	for s in aws1 aws2 ghp1 ghp2 aws_out aws_git ghp_bin; do
		! grep -rF "$(cat $s)" --include="*.json" . || return 1
		! grep -F "$(cat $s)" out err t1 t4 s1 s4 || return 1
	done
'

test_done
