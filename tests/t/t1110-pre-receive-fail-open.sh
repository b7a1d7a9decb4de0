#!/bin/bash
# Content a pusher controls never switches the secret check off: an LFS
# header over a text file, binary/text toggles across versions and merge
# parents, binary blobs, one blob at an allowlisted and a normal path, a
# rename out of an allowlisted folder, secrets in commit and tag
# messages; and what pushgate:allow lets through is listed and audited.
# Each class through a real push (rejected, located, no ref changed),
# and through `scan --git` and `pre-commit` where it applies.
. "$(dirname "$0")/lib-gitea.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
REPO=$ROOT/alice/app.git

# Publish the current branch without a scan, as Gitea's own writes are.
publish() {
	GITEA_INTERNAL_PUSH=true push_accepted origin "$@" >/dev/null
}

# scan --git over the work clone: its JSON report in $TRASH/scan.json.
scan_git() {
	test_expect_code 1 "$PUSHGATE" scan --git --format json --repo . "$@" >"$TRASH/scan.json"
}

# The JSON report has a finding of rule $1 at path $2 (and commit $3).
has_finding() {
	python3 - "$TRASH/scan.json" "$@" <<-\PY
	import json, sys
	report, rule, path = sys.argv[1:4]
	commit = sys.argv[4] if len(sys.argv) > 4 else None
	found = [f for f in json.load(open(report))["findings"]
	         if f["rule"] == rule and f["path"] == path and (commit is None or f["commit"] == commit)]
	if not found:
	    sys.exit("no %s finding at %s%s in %s" % (rule, path, " in " + commit if commit else "", report))
	PY
}

test_expect_success 'setup: main, develop' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

test_expect_success 'an LFS header over a text file does not hide it' '
	GHP=$($GEN ghp) &&
	cd work && git checkout -q -b feature/lfs-header develop &&
	printf "version https://git-lfs.github.com/spec/v1\ntoken = \"%s\"\n" "$GHP" >model.bin.txt &&
	printf "version https://git-lfs.github.com/spec/v1\noid sha256:%064d\nsize 12\nkey=%s\n" 7 "$GHP" >tail.psd &&
	git add model.bin.txt tail.psd && git commit -q -m "lfs-looking" &&
	push_rejected "$REPO" origin feature/lfs-header &&
	test_grep "\[github-pat\] model.bin.txt:2:10 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" &&
	test_grep "\[github-pat\] tail.psd:4:5 in" "$TRASH/push.out" &&
	test_grep_not "$GHP" "$TRASH/push.out" &&
	scan_git --range develop..HEAD && has_finding github-pat model.bin.txt && has_finding github-pat tail.psd
'

test_expect_success 'a well-formed LFS pointer (with an extension line) is skipped' '
	cd work && git checkout -q -b feature/lfs develop &&
	printf "version https://git-lfs.github.com/spec/v1\noid sha256:%064d\nsize 123\n" 7 >big.psd &&
	printf "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:%064d\noid sha256:%064d\nsize 9\n" 1 2 >ext.psd &&
	git add big.psd ext.psd && git commit -q -m assets && push_accepted origin feature/lfs
'

test_expect_success 'a binary blob is scanned as raw bytes, reported by offset' '
	GHP=$($GEN ghp) &&
	cd work && git checkout -q -b feature/keystore develop &&
	printf "\0\1\2 %s \0" "$GHP" >store.jks && git add store.jks && git commit -q -m keystore &&
	push_rejected "$REPO" origin feature/keystore &&
	test_grep "\[github-pat\] store.jks (binary, byte 4) in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" &&
	test_grep "a binary file cannot carry pushgate:allow" "$TRASH/push.out" &&
	scan_git --range develop..HEAD && has_finding github-pat store.jks &&
	python3 -c "import json,sys; f=json.load(open(sys.argv[1]))[\"findings\"][0]; sys.exit(f[\"offset\"] != 4)" "$TRASH/scan.json"
'

test_expect_success 'a text version is scanned as text although its parent was binary' '
	GHP=$($GEN ghp) &&
	cd work && git checkout -q -b feature/toggle develop &&
	printf "\0x\ntoken = \"%s\"\n" "$GHP" >conf.py && git add conf.py && git commit -q -m "binary first" &&
	publish feature/toggle &&
	printf "x\ntoken = \"%s\"\n" "$GHP" >conf.py && git commit -q -am "NUL removed" &&
	push_rejected "$REPO" origin feature/toggle &&
	test_grep "\[github-pat\] conf.py:2:10 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out"
'

test_expect_success 'a merge parent holding a binary copy hides no line of a text version' '
	GHP=$($GEN ghp) &&
	cd work && git checkout -q -b feature/bin-side develop &&
	printf "\0\ntoken = \"%s\"\n" "$GHP" >data.txt && git add data.txt && git commit -q -m "binary copy" &&
	publish feature/bin-side &&
	git checkout -q -b feature/text-side develop && commit_file other.txt && publish feature/text-side &&
	git merge -q --no-commit feature/bin-side 2>/dev/null || true &&
	printf "\ntoken = \"%s\"\n" "$GHP" >data.txt && git add data.txt && git commit -q -m "merge, NUL dropped" &&
	push_rejected "$REPO" origin feature/text-side &&
	test_grep "\[github-pat\] data.txt:2:10 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out"
'

# A generic value is low confidence, which warns by default; these tests are
# about what is scanned, so the policy makes low findings reject.
LOW_REJECTS="version: 1\nextends: default\nsecrets:\n  confidence: {low: reject}\n"

test_expect_success 'one blob at an allowlisted path and a normal one is scanned at both' '
	printf "$LOW_REJECTS" >"$REPO/pushgate.yml" &&
	VALUE=$(generic_value) &&
	cd work && git checkout -q -b feature/twice develop &&
	mkdir -p node_modules/x src && printf "API_KEY = \"%s\"\n" "$VALUE" >node_modules/x/db.py &&
	cp node_modules/x/db.py src/db.py && git add -f node_modules src && git commit -q -m twice &&
	push_rejected "$REPO" origin feature/twice &&
	test_grep "\[generic-api-key\] src/db.py:1:12 in" "$TRASH/push.out" &&
	test_grep_not "node_modules/x/db.py:1" "$TRASH/push.out" &&
	scan_git --range develop..HEAD && has_finding generic-api-key src/db.py
'

test_expect_success 'a rename out of an allowlisted folder brings the content into scope' '
	VALUE=$(generic_value) &&
	cd work && git checkout -q -b feature/move develop &&
	mkdir -p vendor && printf "API_KEY = \"%s\"\n" "$VALUE" >vendor/e && git add vendor/e &&
	git commit -q -m vendored && publish feature/move &&
	git mv vendor/e prod.env && git commit -q -m "move" &&
	push_rejected "$REPO" origin feature/move &&
	test_grep "\[generic-api-key\] prod.env:1:12 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" &&
	scan_git && has_finding generic-api-key prod.env "$(git rev-parse HEAD)" &&
	git reset -q --hard HEAD~1 && git mv vendor/e vendor/f && git commit -q -m "within the folder" &&
	push_accepted origin feature/move &&
	rm "$REPO/pushgate.yml"
'

test_expect_success 'a secret in a commit message is rejected as <commit message>' '
	GHP=$($GEN ghp) &&
	cd work && git checkout -q -b feature/msg develop && echo x >msg.txt && git add msg.txt &&
	git commit -q -m "deploy" -m "use token $GHP for now" &&
	push_rejected "$REPO" origin feature/msg &&
	test_grep "\[github-pat\] <commit message>:3:11 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" &&
	test_grep "reword the message" "$TRASH/push.out" &&
	test_grep_not "$GHP" "$TRASH/push.out" &&
	scan_git --range develop..HEAD && has_finding github-pat "<commit message>" "$(git rev-parse HEAD)"
'

test_expect_success 'a NUL byte does not end a commit message early' '
	GHP=$($GEN ghp) &&
	cd work && git checkout -q -b feature/msg-nul develop &&
	tree=$(git write-tree) && parent=$(git rev-parse HEAD) &&
	commit=$( { printf "tree %s\nparent %s\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nhi\0 %s\n" \
		"$tree" "$parent" "$GHP"; } | git hash-object -t commit -w --stdin --literally) &&
	git reset -q --hard "$commit" &&
	push_rejected "$REPO" origin feature/msg-nul &&
	test_grep "\[github-pat\] <commit message>:1:5 in" "$TRASH/push.out"
'

test_expect_success 'a secret in an annotated tag message is rejected as <tag message>' '
	GHP=$($GEN ghp) &&
	cd work && git checkout -q main &&
	git tag -a v1.0.0 -m "release" -m "token $GHP" &&
	push_rejected "$REPO" origin v1.0.0 &&
	test_grep "\[github-pat\] <tag message>:3:7 in $(git rev-parse --short=7 v1.0.0)" "$TRASH/push.out" &&
	scan_git && has_finding github-pat "<tag message>" "$(git rev-parse v1.0.0)" &&
	git tag -d v1.0.0 >/dev/null && git tag -a v1.0.0 -m "release" && push_accepted origin v1.0.0
'

test_expect_success 'pushgate:allow lets a finding through, listed and audited, never silently' '
	GHP=$($GEN ghp) &&
	printf "version: 1\nextends: default\naudit_log: %s\n" "$TRASH/audit.jsonl" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/allowed develop &&
	printf "fixture = \"%s\"  # pushgate:allow test fixture\n" "$GHP" >fixture.py &&
	git add fixture.py && git commit -q -m fixture &&
	GITEA_PUSHER_NAME=bob push_accepted origin feature/allowed &&
	test_grep "1 finding allowed by pushgate:allow or .pushgateignore (recorded in the audit log)" "$TRASH/push.out" &&
	test_grep "~ allowed \[github-pat\] fixture.py:1:12 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" &&
	test_grep "\"event\":\"allow\"" "$TRASH/audit.jsonl" &&
	test_grep "\"user\":\"bob\"" "$TRASH/audit.jsonl" &&
	test_grep "\"path\":\"fixture.py\"" "$TRASH/audit.jsonl" &&
	test_grep "\"rule\":\"github-pat\",\"confidence\":\"high\"" "$TRASH/audit.jsonl" &&
	test_grep "\"commit\":\"$(git rev-parse HEAD)\"" "$TRASH/audit.jsonl" &&
	test_grep_not "$GHP" "$TRASH/audit.jsonl" &&
	test_grep_not "$GHP" "$TRASH/push.out"
'

test_expect_success 'with secrets.inline_allow: ignore the same finding rejects the push' '
	printf "version: 1\nextends: default\nsecrets:\n  inline_allow: ignore\n" >"$REPO/pushgate.yml" &&
	"$PUSHGATE" policy check "$REPO/pushgate.yml" >"$TRASH/policy.out" &&
	test_grep "inline_allow: ignore" "$TRASH/policy.out" &&
	cd work && git checkout -q -b feature/allowed2 develop &&
	printf "fixture = \"%s\"  # pushgate:allow\n" "$($GEN ghp)" >fixture.py &&
	git add fixture.py && git commit -q -m fixture &&
	push_rejected "$REPO" origin feature/allowed2 &&
	test_grep "\[github-pat\] fixture.py:1:12 in" "$TRASH/push.out" &&
	rm "$REPO/pushgate.yml"
'

test_expect_success 'an invalid inline_allow value is a policy error' '
	printf "version: 1\nsecrets:\n  inline_allow: maybe\n" >"$TRASH/bad.yml" &&
	test_expect_code 2 "$PUSHGATE" policy check "$TRASH/bad.yml" 2>"$TRASH/err" &&
	test_grep "inline_allow" "$TRASH/err"
'

test_expect_success 'pre-commit: binary, LFS-looking, allowlisted-path copies and moves are stopped' '
	printf "$LOW_REJECTS" >"$TRASH/low-rejects.yml" &&
	cd work && git checkout -q develop &&
	for kind in binary lfs twice move; do
		GHP=$($GEN ghp) &&
		case $kind in
		binary) printf "\0%s" "$GHP" >staged.bin && git add staged.bin ;;
		lfs) printf "version https://git-lfs.github.com/spec/v1\nt=%s\n" "$GHP" >staged.psd && git add staged.psd ;;
		twice) mkdir -p vendor lib && printf "API_KEY = \"%s\"\n" "$(generic_value)" >vendor/k.py &&
		       cp vendor/k.py lib/k.py && git add vendor/k.py lib/k.py ;;
		move) mkdir -p vendor && printf "API_KEY = \"%s\"\n" "$(generic_value)" >vendor/m.py &&
		      git add vendor/m.py && git commit -q -m vendored && git mv vendor/m.py m.py ;;
		esac &&
		test_expect_code 1 "$PUSHGATE" pre-commit --config "$TRASH/low-rejects.yml" 2>"$TRASH/pc.out" &&
		test_grep "commit stopped" "$TRASH/pc.out" &&
		git reset -q --hard develop || return 1
	done
'

test_done
