#!/bin/bash
# Policies other than the default, through real pushes: freeze, bypass
# with the audited push option, warn severity, extends, lookup order.
. "$(dirname "$0")/lib-gitea.sh"

REPO=$ROOT/alice/app.git

test_expect_success 'setup' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

test_expect_success 'freeze: updates to a frozen branch are rejected with the message' '
	cat >"$REPO/pushgate.yml" <<-\EOF &&
	version: 1
	extends: default
	freeze:
	  branches: ["develop", "release/*"]
	  message: "build is red, see #42"
	bypass:
	  users: [admin]
	EOF
	cd work && git checkout -q -b feature/during-freeze main && commit_file f.c &&
	push_accepted origin feature/during-freeze && git checkout -q develop &&
	git merge -q --no-ff -m "Merge" feature/during-freeze &&
	GITEA_PR_ID=3 GITEA_PUSHER_NAME=bob push_rejected "$REPO" origin develop &&
	test_grep "\[freeze\] .develop. is frozen: build is red, see #42" "$TRASH/push.out"
'

test_expect_success 'bypass by a listed user with a reason is accepted and says so' '
	cd work && GITEA_PR_ID=3 GITEA_PUSHER_NAME=admin \
		push_accepted -o "pushgate.bypass=hotfix for outage" origin develop &&
	test_grep "policy bypassed by admin, reason: hotfix for outage" "$TRASH/push.out" &&
	test_grep "! bypassed \[freeze\]" "$TRASH/push.out" &&
	test "$(git -C "$REPO" rev-parse develop)" = "$(git rev-parse develop)"
'

test_expect_success 'the accepted-update token was used up by the update hook' '
	test -d "$REPO/pushgate-accepted" && test -z "$(ls "$REPO/pushgate-accepted")"
'

# The token's name is the SHA-1 (as a git blob) of "OLD NEW REF".
put_token() {
	mkdir -p "$1/pushgate-accepted" &&
	: >"$1/pushgate-accepted/$(printf "%s %s %s" "$2" "$3" "$4" | git hash-object --stdin)"
}

test_expect_success 'the update hook takes a fresh token before it opens the repository' '
	old=$(printf "%040d" 0) new=$(printf "1%039d" 0) &&
	mkdir -p not-a-repo && put_token not-a-repo $old $new refs/heads/x &&
	(cd not-a-repo && GIT_DIR=. "$PUSHGATE" update refs/heads/x $old $new) &&
	test -z "$(ls not-a-repo/pushgate-accepted)" &&
	(cd not-a-repo && GIT_DIR=. test_expect_code 1 "$PUSHGATE" update refs/heads/x $old $new \
		2>"$TRASH/upd.err") &&
	test_grep "opening the repository" "$TRASH/upd.err"
'

test_expect_success 'a stale token, or ids not as git spells them, take the full check' '
	old=$(printf "%040d" 0) new=$(printf "1%039d" 0) NEW=$(printf "A%039d" 0) &&
	put_token not-a-repo $old $new refs/heads/x && touch -d "-20 minutes" not-a-repo/pushgate-accepted/* &&
	(cd not-a-repo && GIT_DIR=. test_expect_code 1 "$PUSHGATE" update refs/heads/x $old $new 2>/dev/null) &&
	put_token not-a-repo $old $NEW refs/heads/x &&
	(cd not-a-repo && GIT_DIR=. test_expect_code 1 "$PUSHGATE" update refs/heads/x $old $NEW 2>/dev/null) &&
	(cd not-a-repo && test_expect_code 1 env -u GIT_DIR "$PUSHGATE" update refs/heads/x $old $NEW 2>/dev/null)
'

test_expect_success 'bypass by a user not listed is refused' '
	cd work && git checkout -q develop && git merge -q --no-ff -m "Merge 2" feature/during-freeze~0 2>/dev/null;
	commit_file g.c && GITEA_PR_ID=3 GITEA_PUSHER_NAME=mallory \
		push_rejected "$REPO" -o "pushgate.bypass=trust me" origin develop &&
	test_grep "mallory may not bypass the policy" "$TRASH/push.out" &&
	git reset -q --hard origin/develop
'

test_expect_success 'bypass without a reason is refused' '
	cd work && git branch -f UPPER main &&
	GITEA_PUSHER_NAME=admin push_rejected "$REPO" -o pushgate.bypass origin UPPER &&
	test_grep "a bypass needs a reason" "$TRASH/push.out"
'

test_expect_success 'the update hook alone cannot be bypassed without pre-receive' '
	main=$(git -C "$REPO" rev-parse main) &&
	(cd "$REPO" && GIT_DIR=. GIT_PUSH_OPTION_COUNT=1 GIT_PUSH_OPTION_0=pushgate.bypass=x \
		GITEA_PUSHER_NAME=admin test_expect_code 1 "$PUSHGATE" update refs/heads/UPPER \
		0000000000000000000000000000000000000000 $main)
'

test_expect_success 'warn severity reports but accepts' '
	cat >"$REPO/pushgate.yml" <<-\EOF &&
	version: 1
	branches:
	  - match: main
	    direct_push: deny
	    severity: warn
	  - match: "**"
	    name_pattern: "^[a-z/-]+$"
	    name_hint: lowercase letters, / and -
	EOF
	cd work && git checkout -q main && commit_file warn.c &&
	push_accepted origin main &&
	test_grep "push accepted with 1 warning" "$TRASH/push.out" &&
	test_grep "! warning \[direct-push\]" "$TRASH/push.out" &&
	git branch -f Upper main && push_rejected "$REPO" origin Upper &&
	test_grep "fix: rename it (git branch -m NEW) to lowercase letters, / and -" "$TRASH/push.out"
'

test_expect_success 'PUSHGATE_CONFIG in the hook environment wins over the repository file' '
	cat >"$TRASH/strict.yml" <<-\EOF &&
	version: 1
	branches:
	  - match: "**"
	    create: deny
	    name_hint: nothing new
	EOF
	cd work && git branch -f feature/x main &&
	PUSHGATE_CONFIG="$TRASH/strict.yml" push_rejected "$REPO" origin feature/x &&
	test_grep "policy: .*strict.yml" "$TRASH/push.out"
'

test_expect_success 'a missing PUSHGATE_CONFIG file fails closed' '
	cd work && PUSHGATE_CONFIG="$TRASH/nope.yml" push_rejected "$REPO" origin feature/x &&
	test_grep "pushgate: error: .*nope.yml" "$TRASH/push.out"
'

test_expect_success 'without a repository file the default applies again' '
	rm "$REPO/pushgate.yml" && cd work && push_accepted origin feature/x &&
	test_grep_not "warning" "$TRASH/push.out"
'

test_done
