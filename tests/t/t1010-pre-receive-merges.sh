#!/bin/bash
# Pull-request merges as Gitea performs them (GITEA_PR_ID and
# GITEA_PUSH_TRIGGER set): main only from develop or hotfix/*, develop
# from feature/, fix/, hotfix/ or main; squash merges are foreign work.
. "$(dirname "$0")/lib-gitea.sh"

# Push as Gitea does when it merges pull request 7.
pr_push() {
	GITEA_PR_ID=7 GITEA_PR_INDEX=7 GITEA_PUSH_TRIGGER=pr-merge-to-base \
	GITEA_PUSHER_NAME=alice "$@"
}

test_expect_success 'setup: main, develop and a feature branch' '
	gitea_repo alice app &&
	git clone -q "file://$ROOT/alice/app.git" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop &&
	push_accepted origin main develop &&
	git checkout -q -b feature/login-form develop && commit_file login.c &&
	commit_file login.h && push_accepted origin feature/login-form
'

test_expect_success 'merging feature/ into develop by pull request is accepted' '
	cd work && git checkout -q develop &&
	git merge -q --no-ff -m "Merge pull request 7" feature/login-form &&
	pr_push push_accepted origin develop
'

test_expect_success 'the same merge pushed by hand is a direct push' '
	cd work && git checkout -q -b feature/other develop && commit_file other.c &&
	push_accepted origin feature/other && git checkout -q develop &&
	git merge -q --no-ff -m "Merge by hand" feature/other &&
	push_rejected "$ROOT/alice/app.git" origin develop &&
	test_grep "\[direct-push\]" "$TRASH/push.out" &&
	test_grep_not "\[merge-source\]" "$TRASH/push.out" &&
	git reset -q --hard origin/develop
'

test_expect_success 'a fast-forward of develop to a feature branch by pull request is accepted' '
	cd work && git checkout -q develop && git merge -q --ff-only feature/other &&
	pr_push push_accepted origin develop
'

test_expect_success 'merging develop into main by pull request is accepted' '
	cd work && git checkout -q main &&
	git merge -q --no-ff -m "Release" develop &&
	pr_push push_accepted origin main
'

test_expect_success 'merging a feature branch straight into main is rejected' '
	cd work && git checkout -q -b feature/sneaky main && commit_file sneaky.c &&
	push_accepted origin feature/sneaky && git checkout -q main &&
	git merge -q --no-ff -m "Merge sneaky" feature/sneaky &&
	pr_push push_rejected "$ROOT/alice/app.git" origin main &&
	test_grep "\[merge-source\] 2 commits would reach .main. from outside develop, hotfix/\*" "$TRASH/push.out" &&
	test_grep "$(git rev-parse --short=7 feature/sneaky)" "$TRASH/push.out" &&
	test_grep_not "\[direct-push\]" "$TRASH/push.out" &&
	git reset -q --hard origin/main
'

test_expect_success 'a squash merge of develop into main is foreign work' '
	cd work && git checkout -q -b feature/squash-me develop && commit_file more.c &&
	push_accepted origin feature/squash-me && git checkout -q develop &&
	git merge -q --no-ff -m "Merge squash-me" feature/squash-me &&
	pr_push push_accepted origin develop &&
	git checkout -q main && git merge -q --squash develop &&
	git commit -q -m "Squashed release" &&
	pr_push push_rejected "$ROOT/alice/app.git" origin main &&
	test_grep "\[merge-source\] 1 commit would reach .main." "$TRASH/push.out" &&
	test_grep "not squash or rebase" "$TRASH/push.out" &&
	git reset -q --hard origin/main
'

test_expect_success 'the hotfix route: hotfix/ into main by pull request' '
	cd work && git checkout -q -b hotfix/urgent-login-fix main && commit_file hotfix.c &&
	push_accepted origin hotfix/urgent-login-fix && git checkout -q main &&
	git merge -q --no-ff -m "Merge hotfix" hotfix/urgent-login-fix &&
	pr_push push_accepted origin main
'

test_expect_success 'main may flow back into develop' '
	cd work && git fetch -q origin && git checkout -q develop && git reset -q --hard origin/develop &&
	git merge -q --no-ff -m "Back-merge main" main &&
	pr_push push_accepted origin develop
'

test_expect_success 'a pull-request merge may still not force-push main' '
	cd work && git checkout -q main && git reset -q --hard HEAD~1 &&
	pr_push push_rejected "$ROOT/alice/app.git" origin +main &&
	test_grep "\[force-push\]" "$TRASH/push.out" &&
	git reset -q --hard origin/main
'

test_expect_success 'GITEA_PUSH_TRIGGER alone marks a pull-request merge' '
	cd work && git checkout -q -b fix/typo develop && commit_file typo.c &&
	push_accepted origin fix/typo && git checkout -q develop &&
	git merge -q --no-ff -m "Merge fix" fix/typo &&
	GITEA_PUSH_TRIGGER=pr-merge-to-base push_accepted origin develop
'

test_expect_success 'GITEA_PR_ID=0 is not a pull-request merge' '
	cd work && git checkout -q -b fix/zero develop && commit_file zero.c &&
	push_accepted origin fix/zero && git checkout -q develop &&
	git merge -q --no-ff -m "Merge zero" fix/zero &&
	GITEA_PR_ID=0 push_rejected "$ROOT/alice/app.git" origin develop &&
	test_grep "\[direct-push\]" "$TRASH/push.out"
'

test_done
