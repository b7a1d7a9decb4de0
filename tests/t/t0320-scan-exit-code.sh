#!/bin/sh
# t0320-scan-exit-code: `pushgate scan --exit-code N` sets the status for
# findings only: the report is written whatever N is, a clean scan exits 0,
# and 2 stays the status of a scan that could not run. For files, stdin,
# --git and --staged.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
GHP=$($GEN ghp)

json_findings() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
for f in r["findings"]:
    print(f["rule"], f["path"], f["line"], f["secret"])' "$1"
}

test_expect_success 'setup: a file with a secret, a clean one, two repositories' '
	printf "import os\ntoken = \"%s\"\n" "$GHP" >secret.py &&
	printf "nothing to see\n" >clean.txt &&
	git init -q hist && printf "t = \"%s\"\n" "$GHP" >hist/conf.py &&
	git -C hist add conf.py && git -C hist commit -q -m secret &&
	git init -q calm && echo "x = 1" >calm/a.py &&
	git -C calm add a.py && git -C calm commit -q -m calm &&
	echo "y = 2" >calm/b.py && git -C calm add b.py
'

test_expect_success 'findings exit 1 by default' '
	test_expect_code 1 "$PUSHGATE" scan secret.py >out &&
	test_grep "^secret.py:2:10: github-pat: ghp_" out
'

test_expect_success '--exit-code 0: exit 0, the JSON report still lists the finding' '
	rm -f r.json &&
	test_expect_code 0 "$PUSHGATE" scan --exit-code 0 --format json --output r.json secret.py >out &&
	json_findings r.json >found &&
	test_grep "^github-pat secret.py 2 ghp_.*(redacted)$" found &&
	test $(wc -l <found) = 1 &&
	test_grep_not "$GHP" r.json
'

test_expect_success '--exit-code 0: the text report on stdout lists the finding' '
	test_expect_code 0 "$PUSHGATE" scan --exit-code 0 secret.py >out &&
	test_grep "^secret.py:2:10: github-pat: " out &&
	test_grep "^1 finding" out
'

test_expect_success '--exit-code 3 and --exit-code=255 replace 1' '
	test_expect_code 3 "$PUSHGATE" scan --exit-code 3 secret.py >out &&
	test_grep "^secret.py:2:10: " out &&
	test_expect_code 255 "$PUSHGATE" scan --exit-code=255 secret.py >out &&
	test_expect_code 1 "$PUSHGATE" scan --exit-code 1 secret.py >out
'

test_expect_success 'a clean scan exits 0 whatever N is' '
	for n in 0 1 3 255; do
		test_expect_code 0 "$PUSHGATE" scan --exit-code $n clean.txt >out || exit 1
		test_grep "^no findings" out || exit 1
	done
'

test_expect_success 'standard input: N on findings, 0 when clean' '
	test_expect_code 4 "$PUSHGATE" scan --exit-code 4 - <secret.py >out &&
	test_grep ":2:10: github-pat: " out &&
	test_expect_code 0 "$PUSHGATE" scan --exit-code 0 - <secret.py >out &&
	test_grep ":2:10: github-pat: " out &&
	test_expect_code 0 "$PUSHGATE" scan --exit-code 4 - <clean.txt >out
'

test_expect_success '--git: N on findings, 0 when clean' '
	test_expect_code 5 "$PUSHGATE" scan --git --repo hist --exit-code 5 >out &&
	test_grep "^[0-9a-f]*:conf.py:1:6: github-pat: " out &&
	test_expect_code 0 "$PUSHGATE" scan --git --repo hist --exit-code 0 --format json -o g.json >out &&
	json_findings g.json >found && test_grep "^github-pat conf.py 1 " found &&
	test_expect_code 0 "$PUSHGATE" scan --git --repo calm --exit-code 5 >out
'

test_expect_success '--staged: N on findings, 0 when clean' '
	test_expect_code 0 "$PUSHGATE" scan --staged --repo calm --exit-code 6 >out &&
	cp secret.py calm/s.py && git -C calm add s.py &&
	test_expect_code 6 "$PUSHGATE" scan --staged --repo calm --exit-code 6 >out &&
	test_grep "^s.py:2:10: github-pat: " out &&
	test_expect_code 0 "$PUSHGATE" scan --staged --repo calm --exit-code 0 >out &&
	test_grep "^s.py:2:10: github-pat: " out &&
	git -C calm rm -q --cached s.py
'

test_expect_success 'usage and internal errors exit 2 even with --exit-code 0' '
	test_expect_code 2 "$PUSHGATE" scan --exit-code 0 --no-such-option secret.py 2>err &&
	test_grep "unknown option" err &&
	test_expect_code 2 "$PUSHGATE" scan --exit-code 0 --git --staged 2>err &&
	test_grep "exclude each other" err &&
	test_expect_code 2 "$PUSHGATE" scan --exit-code 0 no-such-file secret.py >out 2>err &&
	test_expect_code 2 "$PUSHGATE" scan --exit-code 0 --rules no-such-rules.yml secret.py 2>err &&
	test_expect_code 2 "$PUSHGATE" scan --exit-code 3 --git --repo no-such-repo 2>err
'

test_expect_success 'invalid values: exit 2 with a message that says why' '
	for n in 256 -1 1000000000000 abc "" " 3" +3 3x; do
		test_expect_code 2 "$PUSHGATE" scan --exit-code "$n" secret.py >out 2>err || exit 1
		test_grep "exit-code takes an exit status from 0 to 255 (not 2), not .$n.$" err || exit 1
		test ! -s out || { echo "a report was written for --exit-code [$n]"; exit 1; }
	done &&
	test_expect_code 2 "$PUSHGATE" scan --exit-code 2 secret.py >out 2>err &&
	test_grep "exit-code cannot be 2: 2 means a usage or internal error" err &&
	2>err test_expect_code 2 "$PUSHGATE" scan --exit-code &&
	test_grep "exit-code needs a value" err
'

test_expect_success 'with --config, only what the policy rejects sets the status (secrets.confidence)' '
	mkdir -p tests && printf "auth_token = \"%s\"\n" "$(python3 -c "import random; r = random.Random(320); print(\"\".join(r.choice(\"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789\") for _ in range(40)))")" >tests/app.py &&
	test_expect_code 1 "$PUSHGATE" scan tests/app.py >out &&
	test_grep "confidence: low" out &&
	printf "version: 1\nextends: default\n" >default.yml &&
	"$PUSHGATE" scan --config default.yml tests/app.py >out &&
	test_grep "app.py:1:.*confidence: low" out &&
	printf "version: 1\nextends: default\nsecrets:\n  confidence:\n    low: reject\n" >strict.yml &&
	test_expect_code 1 "$PUSHGATE" scan --config strict.yml tests/app.py >out &&
	test_expect_code 1 "$PUSHGATE" scan --config default.yml secret.py >out &&
	test_expect_code 5 "$PUSHGATE" scan --config default.yml --exit-code 5 secret.py >out
'

test_expect_success '--help documents --exit-code' '
	test_expect_code 0 "$PUSHGATE" scan --help >out &&
	test_grep "^ *--exit-code N  *exit status when there are findings: 0..255 but not 2" out &&
	test_grep "^With --exit-code N, findings exit N instead of 1; the report is written" out
'

test_done
