#!/bin/bash
# Secrets in pushed commits: only lines the push adds are scanned, in
# quarantine, each blob once; findings are redacted; merges count only
# new lines; limits, inline allow, bypass and the audit log.
. "$(dirname "$0")/lib-gitea.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
REPO=$ROOT/alice/app.git
GHP=$($GEN ghp)
AWS=$($GEN aws)

test_expect_success 'setup: main, develop, a feature branch' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop &&
	git checkout -q -b feature/config develop
'

test_expect_success 'a pushed secret is rejected, redacted, refs unchanged' '
	cd work && printf "import os\ntoken = \"%s\"\n" "$GHP" >settings.py &&
	git add settings.py && git commit -q -m "settings" &&
	push_rejected "$REPO" origin feature/config &&
	test_grep "secrets in the pushed commits (1)" "$TRASH/push.out" &&
	test_grep "x \[github-pat\] settings.py:2:10 in $(git rev-parse --short=7 HEAD): ghp_.*(redacted)" "$TRASH/push.out" &&
	test_grep "rotate the credential" "$TRASH/push.out" &&
	test_grep "pushgate:allow" "$TRASH/push.out" &&
	test_grep_not "$GHP" "$TRASH/push.out"
'

test_expect_success 'removing it in a later commit of the same push is not enough' '
	cd work && git rm -q settings.py && git commit -q -m "remove" &&
	push_rejected "$REPO" origin feature/config &&
	test_grep "\[github-pat\] settings.py:2:10 in $(git rev-parse --short=7 HEAD~1)" "$TRASH/push.out"
'

test_expect_success 'rewriting the commits that add it lets the push through' '
	cd work && git reset -q --hard develop && commit_file app.py "print(1)" &&
	push_accepted origin feature/config
'

test_expect_success 'the same secret in many commits is one finding' '
	cd work && git checkout -q -b feature/many develop &&
	printf "key = \"%s\"\n" "$AWS" >a.cfg && git add a.cfg && git commit -q -m one &&
	for i in 1 2 3 4 5; do echo "line $i" >>a.cfg && git add a.cfg && git commit -q -m "more $i"; done &&
	push_rejected "$REPO" origin feature/many &&
	test_grep "secrets in the pushed commits (1)" "$TRASH/push.out" &&
	test_grep "\[aws-access-key-id\] a.cfg:1:" "$TRASH/push.out"
'

test_expect_success 'more than ten findings: ten shown, the rest counted' '
	cd work && git checkout -q -b feature/lots develop &&
	for i in $(seq 1 13); do printf "k = \"%s\"\n" "$($GEN aws)" >"f$i.txt"; done &&
	git add . && git commit -q -m lots &&
	push_rejected "$REPO" origin feature/lots &&
	test_grep "secrets in the pushed commits (13)" "$TRASH/push.out" &&
	test_grep "\.\.\. and 3 more" "$TRASH/push.out" &&
	test $(grep -c "x \[aws-access-key-id\]" "$TRASH/push.out") = 10
'

test_expect_success 'a push of many files (diffed on several threads, in quarantine): all found, or accepted' '
	cd work && git checkout -q -b feature/wide develop &&
	for i in $(seq 10 69); do printf "line one\nline two of %s\n" $i >"w$i.txt"; done &&
	git add . && git commit -q -m "wide, clean" &&
	push_accepted origin feature/wide &&
	git checkout -q -b feature/wide-leak develop &&
	for i in $(seq 10 69); do printf "line one\nline two of %s\n" $i >"w$i.txt"; done &&
	for i in 23 48 69; do printf "k = \"%s\"\n" "$($GEN aws)" >>"w$i.txt"; done &&
	git add . && git commit -q -m "wide, three secrets" &&
	push_rejected "$REPO" origin feature/wide-leak &&
	test_grep "secrets in the pushed commits (3)" "$TRASH/push.out" &&
	for i in 23 48 69; do
		test_grep "x \[aws-access-key-id\] w$i.txt:3:6 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" || exit 1
	done
'

test_expect_success 'an inline pushgate:allow comment passes the line' '
	cd work && git checkout -q -b feature/allowed develop &&
	printf "fixture = \"%s\"  # pushgate:allow\n" "$GHP" >fixture.py &&
	git add fixture.py && git commit -q -m fixture && push_accepted origin feature/allowed
'

test_expect_success 'a branch created at commits the repository has scans nothing' '
	cd work && git branch feature/copy feature/allowed && push_accepted origin feature/copy &&
	test_grep_not "secret" "$TRASH/push.out"
'

# The walks hide the published commits a push grows from; one that no
# branch points at any more must still count as published.
test_expect_success 'a branch grown from a published commit below a tip scans only its own commits' '
	cd work && git checkout -q -b feature/old-base develop &&
	printf "k = \"%s\"\n" "$AWS" >old.cfg && git add old.cfg && git commit -q -m "old secret" &&
	commit_file later.txt &&
	GITEA_INTERNAL_PUSH=true push_accepted origin feature/old-base &&
	git checkout -q -b feature/from-old HEAD~1 && commit_file mine.txt &&
	push_accepted origin feature/from-old &&
	test_grep_not "secret" "$TRASH/push.out" &&
	git checkout -q -b feature/from-old-leak feature/old-base~1 &&
	printf "t = \"%s\"\n" "$GHP" >leak.py && git add leak.py && git commit -q -m leak &&
	push_rejected "$REPO" origin feature/from-old-leak &&
	test_grep "secrets in the pushed commits (1)" "$TRASH/push.out" &&
	test_grep "\[github-pat\] leak.py:1:" "$TRASH/push.out"
'

test_expect_success 'a clean merge of already-pushed work adds no findings' '
	cd work && git checkout -q develop &&
	git merge -q --no-ff -m "Merge allowed" feature/allowed &&
	GITEA_PR_ID=4 push_accepted origin develop
'

test_expect_success 'an evil merge that adds a secret in the merge commit is caught' '
	cd work && git checkout -q -b feature/side develop && commit_file side.txt &&
	push_accepted origin feature/side && git checkout -q develop &&
	git merge -q --no-ff --no-commit feature/side &&
	printf "secret = \"%s\"\n" "$GHP" >>side.txt && git add side.txt &&
	git commit -q -m "Merge side" &&
	GITEA_PR_ID=5 push_rejected "$REPO" origin develop &&
	test_grep "\[github-pat\] side.txt:2:" "$TRASH/push.out" &&
	git reset -q --hard origin/develop
'

test_expect_success 'a Git LFS pointer is not scanned; a binary file is (t1110 for both)' '
	cd work && git checkout -q -b feature/assets develop &&
	printf "\0\1\2 binary data \0" >blob.bin &&
	printf "version https://git-lfs.github.com/spec/v1\noid sha256:%064d\nsize 123\n" 7 >big.psd &&
	git add blob.bin big.psd && git commit -q -m assets && push_accepted origin feature/assets
'

test_expect_success 'deleting a branch scans nothing' '
	cd work && push_accepted origin :feature/assets
'

test_expect_success 'a file over secrets.max_blob_size rejects by default' '
	printf "version: 1\nextends: default\nsecrets:\n  max_blob_size: 1000\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/big develop && head -c 5000 /dev/zero | tr "\0" x >big.txt &&
	git add big.txt && git commit -q -m big &&
	push_rejected "$REPO" origin feature/big &&
	test_grep "files too large to scan for secrets (limit 1000 bytes)" "$TRASH/push.out" &&
	test_grep "x big.txt (5000 bytes, commit" "$TRASH/push.out"
'

test_expect_success 'with too_large: warn it is accepted with a warning' '
	printf "version: 1\nextends: default\nsecrets:\n  max_blob_size: 1000\n  too_large: warn\n" >"$REPO/pushgate.yml" &&
	cd work && push_accepted origin feature/big &&
	test_grep "push accepted with 1 warning" "$TRASH/push.out" &&
	test_grep "! warning big.txt" "$TRASH/push.out"
'

test_expect_success 'severity warn reports secrets but accepts' '
	printf "version: 1\nextends: default\nsecrets:\n  severity: warn\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/warned develop &&
	printf "t = \"%s\"\n" "$GHP" >w.py && git add w.py && git commit -q -m w &&
	push_accepted origin feature/warned &&
	test_grep "! warning \[github-pat\] w.py:1:" "$TRASH/push.out"
'

test_expect_success 'scan: false turns the scanner off' '
	printf "version: 1\nextends: default\nsecrets:\n  scan: false\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/off develop &&
	printf "t = \"%s\"\n" "$GHP" >off.py && git add off.py && git commit -q -m off &&
	push_accepted origin feature/off && test_grep_not "secret" "$TRASH/push.out"
'

test_expect_success 'bypass of a secret by a listed user is accepted and audited' '
	cat >"$REPO/pushgate.yml" <<-EOF &&
	version: 1
	extends: default
	bypass:
	  users: [admin]
	audit_log: $TRASH/audit.jsonl
	EOF
	cd work && git checkout -q -b feature/bypassed develop &&
	printf "t = \"%s\"\n" "$GHP" >b.py && git add b.py && git commit -q -m b &&
	GITEA_PUSHER_NAME=admin GITEA_REPO_USER_NAME=alice GITEA_REPO_NAME=app \
		push_accepted -o "pushgate.bypass=test credential, revoked" origin feature/bypassed &&
	test_grep "! bypassed \[github-pat\]" "$TRASH/push.out" &&
	test "$(git -C "$REPO" rev-parse feature/bypassed)" = "$(git rev-parse HEAD)" &&
	python3 - "$TRASH/audit.jsonl" <<-\PY
	import json, sys
	ev = json.loads(open(sys.argv[1]).read().splitlines()[-1])
	assert ev["event"] == "bypass", ev
	assert ev["user"] == "admin" and ev["owner"] == "alice" and ev["repository"] == "app", ev
	assert ev["refs"] == ["refs/heads/feature/bypassed"], ev
	assert "github-pat" in ev["rules"], ev
	assert len(ev["fingerprints"]) == 1 and len(ev["fingerprints"][0]) == 40, ev
	assert ev["reason"] == "test credential, revoked", ev
	PY
	test_grep_not "$GHP" "$TRASH/audit.jsonl" &&
	test "$(stat -c %a "$TRASH/audit.jsonl")" = 600
'

test_expect_success 'a rejection is audited too' '
	cd work && git checkout -q -b feature/audited develop &&
	printf "t = \"%s\"\n" "$AWS" >c.py && git add c.py && git commit -q -m c &&
	GITEA_PUSHER_NAME=bob push_rejected "$REPO" origin feature/audited &&
	tail -n 1 "$TRASH/audit.jsonl" >last &&
	test_grep "\"event\":\"reject\"" last && test_grep "\"user\":\"bob\"" last &&
	test_grep "aws-access-key-id" last && test_grep_not "$AWS" last
'

test_expect_success 'an unwritable audit log is reported and changes no verdict' '
	sed -i "s|^audit_log: .*|audit_log: $TRASH/no/such/dir/audit.jsonl|" "$REPO/pushgate.yml" &&
	cd work && push_rejected "$REPO" origin feature/audited &&
	test_grep "could not write the audit log" "$TRASH/push.out" &&
	git checkout -q -b feature/clean-one develop && commit_file ok.txt &&
	push_accepted origin feature/clean-one
'

test_expect_success 'an invalid rules file in the policy fails closed' '
	printf "version: 1\nrules:\n  - id: x\n" >"$TRASH/bad-rules.yml" &&
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/bad-rules.yml" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/x2 develop && commit_file x2.txt &&
	push_rejected "$REPO" origin feature/x2 &&
	test_grep "pushgate: error: .*bad-rules.yml" "$TRASH/push.out" &&
	rm "$REPO/pushgate.yml"
'

test_done
