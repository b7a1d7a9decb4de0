#!/bin/bash
# .pushgateignore: a committed list of fingerprints and path globs for
# false positives in files that cannot carry a comment (JSON). Honoured
# by scan (files, --git, --staged), pre-commit and the server, where
# what it lets through is listed and audited like pushgate:allow and
# secrets.inline_allow: ignore turns it off; a bad entry is an error
# that names its line, never skipped.
. "$(dirname "$0")/lib-gitea.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
REPO=$ROOT/alice/app.git

# The fingerprint of the only finding of a JSON report on stdin.
fingerprint_of() {
	python3 -c 'import json, sys
f = json.load(sys.stdin)["findings"]
assert len(f) == 1, f
print(f[0]["fingerprint"])'
}

test_expect_success 'setup: a clone with a false positive in a JSON fixture' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop &&
	push_accepted origin main develop &&
	git checkout -q -b feature/fixtures develop &&
	mkdir -p fixtures && printf "{\"token\": \"%s\"}\n" "$($GEN ghp)" >fixtures/api.json &&
	printf "{\"other\": \"%s\"}\n" "$($GEN ghp)" >fixtures/other.json
'

test_expect_success 'scan of files: a fingerprint entry drops that finding only' '
	cd work && test_expect_code 1 "$PUSHGATE" scan --format json fixtures/api.json >r.json &&
	fp=$(fingerprint_of <r.json) &&
	printf "# recorded API fixture, not a live token\n%s\n" "$fp" >.pushgateignore &&
	"$PUSHGATE" scan --format json fixtures/api.json >r2.json 2>err &&
	python3 -c "import json; assert json.load(open(\"r2.json\"))[\"findings\"] == []" &&
	test_expect_code 1 "$PUSHGATE" scan . >out &&
	test_grep "other.json" out && test_grep_not "api.json" out
'

test_expect_success 'scan of files: a glob entry, comments and blank lines; --ignore-file' '
	cd work && printf "\n  # fixtures are recorded\nfixtures/*.json   # both\n" >"$TRASH/ign" &&
	"$PUSHGATE" scan --ignore-file "$TRASH/ign" . >out && test_grep "no findings" out &&
	"$PUSHGATE" scan --ignore-file /dev/null --ignore-file "$TRASH/ign" . >/dev/null &&
	test_expect_code 1 "$PUSHGATE" scan --ignore-file /dev/null . >out &&
	test_grep "api.json" out
'

test_expect_success 'a bad entry is an error naming its line, never skipped' '
	cd work && printf "ok/*.json\nfixtures/[a.json\n" >"$TRASH/bad" &&
	test_expect_code 2 "$PUSHGATE" scan --ignore-file "$TRASH/bad" . 2>err &&
	test_grep "bad:2: invalid glob" err
'

test_expect_success 'pre-commit honours the staged .pushgateignore, not the work tree.s' '
	cd work && git add fixtures/other.json && test_expect_code 1 "$PUSHGATE" pre-commit 2>err &&
	test_grep "other.json" err &&
	git reset -q fixtures/other.json &&
	git add fixtures/api.json && test_expect_code 1 "$PUSHGATE" pre-commit 2>err &&
	test_grep "api.json" err && git reset -q fixtures/api.json &&
	git add fixtures/api.json .pushgateignore && "$PUSHGATE" pre-commit 2>err &&
	test_grep_not "api.json" err && git commit -q -m "fixtures and their ignore entry"
'

test_expect_success 'scan --git reads HEAD.s .pushgateignore' '
	cd work && "$PUSHGATE" scan --git --repo . >out && test_grep "no findings" out &&
	git rm -q --cached .pushgateignore && git commit -q -m "drop ignore" &&
	test_expect_code 1 "$PUSHGATE" scan --git --repo . >out && test_grep "api.json" out &&
	git reset -q --hard HEAD~1
'

test_expect_success 'the server: an entry in the pushed commit is listed and audited, push accepted' '
	printf "version: 1\nextends: default\naudit_log: %s\n" "$TRASH/audit.jsonl" >"$REPO/pushgate.yml" &&
	cd work && GITEA_PUSHER_NAME=carol push_accepted origin feature/fixtures &&
	test_grep "1 finding allowed by pushgate:allow or .pushgateignore (recorded in the audit log)" "$TRASH/push.out" &&
	test_grep "~ allowed \[github-pat\] fixtures/api.json:1:12 in" "$TRASH/push.out" &&
	test_grep "\"event\":\"allow\"" "$TRASH/audit.jsonl" &&
	test_grep "\"user\":\"carol\"" "$TRASH/audit.jsonl" &&
	test_grep "\"path\":\"fixtures/api.json\"" "$TRASH/audit.jsonl"
'

test_expect_success 'the server: secrets.inline_allow: ignore turns .pushgateignore off too' '
	printf "version: 1\nextends: default\nsecrets:\n  inline_allow: ignore\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/fixtures2 develop &&
	git checkout -q feature/fixtures -- fixtures/api.json .pushgateignore &&
	git commit -q -m "same fixture" &&
	push_rejected "$REPO" origin feature/fixtures2 &&
	test_grep "x \[github-pat\] fixtures/api.json:1:12 in" "$TRASH/push.out" &&
	rm "$REPO/pushgate.yml"
'

test_expect_success 'the server: an entry for another path does not cover this one' '
	cd work && git checkout -q -b feature/fixtures3 develop &&
	git checkout -q feature/fixtures -- .pushgateignore &&
	printf "{\"token\": \"%s\"}\n" "$($GEN ghp)" >api.json && git add api.json &&
	git commit -q -m "a different secret at another path" &&
	push_rejected "$REPO" origin feature/fixtures3 &&
	test_grep "x \[github-pat\] api.json:1:12 in" "$TRASH/push.out"
'

test_expect_success 'the server: a bad .pushgateignore in the push rejects it, saying why' '
	cd work && git checkout -q -b feature/badignore develop &&
	printf "fixtures/[x\n" >.pushgateignore && git add .pushgateignore &&
	git commit -q -m "bad ignore" &&
	push_rejected "$REPO" origin feature/badignore &&
	test_grep ".pushgateignore:1: invalid glob" "$TRASH/push.out"
'

test_expect_success 'pre-commit: a bad staged .pushgateignore stops the commit and says how to go on' '
	cd work && git checkout -q feature/badignore && echo more >>README.md && git add README.md &&
	test_expect_code 1 "$PUSHGATE" pre-commit 2>err &&
	test_grep ".pushgateignore (staged):1: invalid glob" err &&
	test_grep "the commit was stopped because the check could not run" err &&
	test_grep_not "push was rejected" err
'

test_done
