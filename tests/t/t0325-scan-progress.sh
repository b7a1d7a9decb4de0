#!/bin/sh
# t0325-scan-progress: a long scan reports its progress on standard error
# when that is a terminal or with --progress, ending with a summary line;
# otherwise (logs, hooks, CI) stderr stays clean. The report on stdout is
# the same either way.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"

# Standard input that arrives slowly: a scan that takes over a second.
slow_input() {
	printf "token = \"%s\"\n" "$($GEN ghp)"
	sleep 1.3
	echo "done = 1"
}

test_expect_success 'not a terminal, no --progress: nothing on stderr' '
	slow_input | test_expect_code 1 "$PUSHGATE" scan - >out 2>err &&
	test_grep "github-pat" out && test ! -s err
'

test_expect_success '--progress: a summary line when the scan took a second or more' '
	slow_input | test_expect_code 1 "$PUSHGATE" scan --progress --format json - >out 2>err &&
	test_grep "^pushgate: 1 files, 0.0 MB, 1 finding, [0-9.]* MB/s (done)$" err &&
	test "$(wc -l <err)" = 1 &&
	python3 -c "import json; assert len(json.load(open(\"out\"))[\"findings\"]) == 1"
'

test_expect_success '--progress on a quick scan: nothing to say' '
	printf "x = 1\n" >quick.txt &&
	"$PUSHGATE" scan --progress quick.txt >out 2>err && test ! -s err
'

test_expect_success '--progress with --git: blobs are counted' '
	git init -q repo && cd repo &&
	for i in 1 2 3; do echo "v$i" >"f$i.txt"; git add "f$i.txt"; git commit -q -m "c$i"; done &&
	"$PUSHGATE" scan --git --progress >../out 2>../err && test ! -s ../err
'

test_expect_success '--help documents --progress' '
	"$PUSHGATE" scan --help >out && test_grep "^ *--progress  *a progress line on stderr" out
'

test_done
