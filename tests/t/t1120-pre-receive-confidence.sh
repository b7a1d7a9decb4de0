#!/bin/bash
# Confidence decides what a finding does: by default high and medium
# reject, low warns (listed, push accepted); context lowers a finding one
# step per reason and the pusher is told why; the policy can change the
# action of each level.
. "$(dirname "$0")/lib-gitea.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
REPO=$ROOT/alice/app.git
GHP=$($GEN ghp)
# A generic token: high entropy, no provider format (generic-token, medium),
# in a test path: lowered to low.
TOK=$(python3 -c 'import random; r = random.Random(1120); print("".join(r.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(40)))')

test_expect_success 'setup: main, develop, a feature branch' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop &&
	git checkout -q -b feature/conf develop
'

test_expect_success 'a low-confidence finding warns: listed, push accepted' '
	cd work && mkdir -p tests && printf "auth_token = \"%s\"\n" "$TOK" >tests/app.py &&
	git add tests/app.py && git commit -q -m app &&
	push_accepted origin feature/conf &&
	test_grep "push accepted with 1 warning" "$TRASH/push.out" &&
	test_grep "! warning \[generic-token\] tests/app.py:1:.*(confidence low: test path)" "$TRASH/push.out" &&
	test_grep_not "$TOK" "$TRASH/push.out"
'

test_expect_success 'a provider token in a test path is lowered to medium, says why, still rejects' '
	cd work && mkdir -p tests && printf "token = \"%s\"\n" "$GHP" >tests/conf.py &&
	git add tests && git commit -q -m fixture &&
	push_rejected "$REPO" origin feature/conf &&
	test_grep "x \[github-pat\] tests/conf.py:1:.*(confidence medium: test path)" "$TRASH/push.out"
'

test_expect_success 'two reasons lower it twice: a warning' '
	cd work && git reset -q --hard HEAD~1 && mkdir -p tests/locales &&
	printf "{\"token\": \"%s\"}\n" "$GHP" >tests/locales/en.json &&
	git add tests && git commit -q -m locale &&
	push_accepted origin feature/conf &&
	test_grep "! warning \[github-pat\] tests/locales/en.json:1:.*(confidence low: test path, localisation file)" "$TRASH/push.out"
'

test_expect_success 'secrets.confidence.low: reject makes low findings reject' '
	cd work && git reset -q --hard develop && mkdir -p tests && printf "auth_token = \"%s\"\n" "$TOK" >tests/app.py &&
	git add tests/app.py && git commit -q -m again &&
	printf "version: 1\nsecrets:\n  confidence: {low: reject}\n" >"$REPO/pushgate.yml" &&
	push_rejected "$REPO" origin +feature/conf &&
	test_grep "x \[generic-token\] tests/app.py:1:.*(confidence low: test path)" "$TRASH/push.out"
'

test_expect_success 'secrets.confidence.high: warn lets a provider token through with a warning' '
	cd work && printf "token = \"%s\"\n" "$GHP" >b.py && git add b.py && git commit -q -m b &&
	printf "version: 1\nsecrets:\n  confidence: {high: warn, low: warn}\n" >"$REPO/pushgate.yml" &&
	push_accepted origin +feature/conf &&
	test_grep "! warning \[github-pat\] b.py:1:" "$TRASH/push.out" &&
	rm -f "$REPO/pushgate.yml"
'

test_expect_success 'pre-commit: a low finding warns and the commit goes through' '
	git init -q pc && cd pc && mkdir -p tests && printf "auth_token = \"%s\"\n" "$TOK" >tests/a.py && git add tests/a.py &&
	"$PUSHGATE" pre-commit 2>"$TRASH/pc.err" &&
	test_grep "warning: 1 secret" "$TRASH/pc.err" &&
	test_grep "confidence: low" "$TRASH/pc.err" &&
	printf "token = \"%s\"\n" "$GHP" >b.py && git add b.py &&
	test_must_fail "$PUSHGATE" pre-commit 2>"$TRASH/pc.err" &&
	test_grep "commit stopped: 2 secrets" "$TRASH/pc.err"
'

test_done
