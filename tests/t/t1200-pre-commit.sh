#!/bin/bash
# The developer side: pushgate pre-commit through a real `git commit`,
# installed with install.sh --pre-commit (core.hooksPath, chaining an
# existing hook), and pushgate scan --staged.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
GHP=$($GEN ghp)
PREFIX=$TRASH/prefix

inst() {
	"$TOP/install.sh" --prefix "$PREFIX" --binary "$PUSHGATE" "$@"
}

test_expect_success 'setup: a clone with the hook installed' '
	git init -q clone && inst --pre-commit clone >out &&
	test_grep "pre-commit hook installed" out && test -x clone/.git/hooks/pre-commit
'

test_expect_success 'the first commit of a repository is scanned' '
	cd clone && git checkout -q -b feature/first &&
	printf "api_token = \"%s\"\n" "$GHP" >conf.py && git add conf.py &&
	test_must_fail git commit -q -m first 2>err &&
	test_grep "commit stopped: 1 secret in the staged changes" err &&
	test_grep "conf.py:1:14: github-pat: ghp_.*(redacted)" err &&
	test_grep_not "$GHP" err &&
	test_must_fail git rev-parse --verify -q HEAD
'

test_expect_success 'a clean commit goes through' '
	cd clone && git rm -q --cached conf.py && rm conf.py &&
	echo "print(1)" >app.py && git add app.py && git commit -q -m clean
'

test_expect_success 'many staged files (diffed on several threads): every secret found' '
	cd clone && mkdir -p many &&
	for i in $(seq 10 49); do printf "one\ntwo %s\n" $i >"many/m$i.txt"; done &&
	for i in 31 49; do printf "t = \"%s\"\n" "$($GEN ghp)" >>"many/m$i.txt"; done &&
	git add many && test_must_fail git commit -q -m many 2>err &&
	test_grep "commit stopped: 2 secrets in the staged changes" err &&
	test_grep "many/m31.txt:3:6: github-pat" err && test_grep "many/m49.txt:3:6: github-pat" err &&
	git rm -q -r --cached many && rm -r many
'

test_expect_success 'only added lines count: a secret already committed is not re-reported' '
	cd clone && printf "x = \"%s\"  # pushgate:allow\n" "$GHP" >old.py && git add old.py &&
	git commit -q -m "allowed one" &&
	sed -i "s/  # pushgate:allow//" old.py && echo "y = 1" >>old.py && git add old.py &&
	test_must_fail git commit -q -m "touch" 2>err && test_grep "old.py:1:" err &&
	git checkout -q -- old.py 2>/dev/null; git reset -q --hard &&
	echo "z = 2" >>old.py && git add old.py && git commit -q -m "append only"
'

test_expect_success 'git commit PATH (a temporary index) is scanned too' '
	cd clone && printf "t = \"%s\"\n" "$GHP" >>app.py &&
	test_must_fail git commit -q -m partial app.py 2>err &&
	test_grep "app.py:2:" err && git checkout -q -- app.py
'

test_expect_success 'a branch name the server will refuse is a warning only' '
	cd clone && git checkout -q -b Bad_Name && echo w >w.txt && git add w.txt &&
	git commit -q -m w 2>err && test_grep "warning: this branch will be rejected" err &&
	test_grep "! warning \[branch-name\] .Bad_Name." err
'

test_expect_success 'a rule that could not finish stops the commit, as it rejects a push' '
	cd clone && git checkout -q feature/first &&
	printf "version: 1\nrules:\n  - id: evil-nested\n    description: nested quantifier\n    pattern: (?:a+)+b\n    secret_group: 0\n" >"$TRASH/evil.yml" &&
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/evil.yml" >"$TRASH/evil-policy.yml" &&
	python3 -c "print(\"a\" * 40 + \"c aab\")" >redos.txt && git add redos.txt &&
	test_expect_code 1 "$PUSHGATE" pre-commit --config "$TRASH/evil-policy.yml" 2>err &&
	test_grep "commit stopped: the secret scan could not finish" err &&
	test_grep "x \[scan-limit\] rule .evil-nested. could not finish on this commit" err &&
	"$PUSHGATE" pre-commit 2>err && git reset -q redos.txt && rm redos.txt
'

test_expect_success 'with secrets.inline_allow: ignore, pushgate:allow does not let a commit by either' '
	cd clone && printf "t = \"%s\"  # pushgate:allow\n" "$GHP" >al.py && git add al.py &&
	"$PUSHGATE" pre-commit 2>err && test_grep_not "al.py" err &&
	printf "version: 1\nextends: default\nsecrets:\n  inline_allow: ignore\n" >"$TRASH/ignore.yml" &&
	test_expect_code 1 "$PUSHGATE" pre-commit --config "$TRASH/ignore.yml" 2>err &&
	test_grep "al.py:1:6: github-pat" err && test_grep_not "$GHP" err &&
	git reset -q al.py && rm al.py
'

test_expect_success 'the allow hint names the comment syntax of the file it is in' '
	cd clone && for f in a.py b.ts c.json d.sql e.html f.unknownext; do
		printf "t = \"%s\"\n" "$($GEN ghp)" >"$f" && git add "$f" &&
		test_expect_code 1 "$PUSHGATE" pre-commit 2>"err.$f" &&
		git reset -q "$f" && rm "$f" || return 1
	done &&
	test_grep "not a secret? end that line with the comment # pushgate:allow" err.a.py &&
	test_grep "not a secret? end that line with the comment // pushgate:allow" err.b.ts &&
	test_grep "not a secret? JSON has no comments: list the finding.s fingerprint .* in .pushgateignore" err.c.json &&
	test_grep "not a secret? end that line with the comment -- pushgate:allow" err.d.sql &&
	test_grep "comment <!-- pushgate:allow -->" err.e.html &&
	test_grep "pushgate:allow on that line, in the file.s comment syntax" err.f.unknownext &&
	printf "{\"t\": \"%s\", \"why\": \"pushgate:allow\"}\n" "$($GEN ghp)" >ok.json &&
	git add ok.json && "$PUSHGATE" pre-commit && git reset -q ok.json && rm ok.json
'

test_expect_success 'scan --staged reports the same, in JSON' '
	cd clone && printf "t = \"%s\"\n" "$GHP" >s.py && git add s.py &&
	test_expect_code 1 "$PUSHGATE" scan --staged --format json >report.json &&
	python3 -c "import json,sys; d=json.load(open(\"report.json\")); f=d[\"findings\"]; \
assert len(f)==1 and f[0][\"path\"]==\"s.py\" and f[0][\"line\"]==1 and f[0][\"commit\"] is None, f" &&
	git reset -q s.py && rm s.py && "$PUSHGATE" scan --staged
'

test_expect_success 'core.hooksPath is honoured and an existing hook is chained' '
	git init -q clone2 && cd clone2 && git config core.hooksPath .githooks && mkdir .githooks &&
	printf "#!/bin/sh\necho previous-hook-ran >&2\n" >.githooks/pre-commit && chmod +x .githooks/pre-commit &&
	cd .. && inst --pre-commit clone2 >out && test_grep "kept the existing hook" out &&
	test -x clone2/.githooks/pre-commit.pushgate-previous &&
	cd clone2 && echo a >a && git add a && git commit -q -m a 2>err && test_grep "previous-hook-ran" err &&
	printf "t = \"%s\"\n" "$GHP" >b && git add b && test_must_fail git commit -q -m b 2>err &&
	test_grep "previous-hook-ran" err && test_grep "commit stopped" err
'

test_expect_success 'a failing earlier hook stops the commit before pushgate runs' '
	cd clone2 && git reset -q b && rm b &&
	printf "#!/bin/sh\necho previous-says-no >&2\nexit 3\n" >.githooks/pre-commit.pushgate-previous &&
	echo c >c && git add c && test_must_fail git commit -q -m c 2>err &&
	test_grep "previous-says-no" err && test_grep_not "pushgate" err
'

test_expect_success 'installing again is idempotent; uninstall restores the earlier hook' '
	inst --pre-commit clone2 >out && test_grep_not "kept the existing hook" out &&
	inst --uninstall --pre-commit clone2 >out &&
	test_grep "previous-says-no" clone2/.githooks/pre-commit &&
	test ! -e clone2/.githooks/pre-commit.pushgate-previous
'

test_expect_success 'the pre-commit framework manifest names the command' '
	grep -q "entry: pushgate pre-commit" "$TOP/.pre-commit-hooks.yaml" &&
	python3 -c "import sys
text = open(sys.argv[1]).read()
assert \"- id: pushgate\" in text and \"pass_filenames: false\" in text" "$TOP/.pre-commit-hooks.yaml"
'

test_done
