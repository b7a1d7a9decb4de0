#!/bin/bash
# The default policy's branch rows, through real pushes into a
# Gitea-layout repository: naming, protection of main and develop, free
# work branches, and that a rejected push leaves every ref unchanged.
. "$(dirname "$0")/lib-gitea.sh"

test_expect_success 'setup: Gitea repository with pushgate, a clone' '
	gitea_repo alice app &&
	test -x "$ROOT/alice/app.git/hooks/pre-receive.d/50-pushgate" &&
	test -x "$ROOT/alice/app.git/hooks/update.d/50-pushgate" &&
	git clone -q "file://$ROOT/alice/app.git" work 2>/dev/null &&
	cd work && commit_file README.md "hello"
'

test_expect_success 'creating main in an empty repository is accepted' '
	cd work && push_accepted origin main &&
	git -C "$ROOT/alice/app.git" rev-parse --verify refs/heads/main
'

test_expect_success 'Gitea own hook still runs next to pushgate' '
	grep "gitea pre-receive" "$ROOT/alice/app.git/gitea-hook.log" &&
	grep "gitea update refs/heads/main" "$ROOT/alice/app.git/gitea-hook.log"
'

test_expect_success 'creating develop from existing commits is accepted' '
	cd work && git branch develop main && push_accepted origin develop
'

test_expect_success 'feature/ with lowercase kebab-case is accepted' '
	cd work && git checkout -q -b feature/login-form main &&
	commit_file login.txt && push_accepted origin feature/login-form
'

test_expect_success 'fix/ and hotfix/ branches are accepted' '
	cd work && git branch fix/null-pointer main && git branch hotfix/urgent-login-fix main &&
	push_accepted origin fix/null-pointer hotfix/urgent-login-fix
'

for bad in Feature/login feature/Login_Form feature/login--form fix/a_b hotfix/UPPER \
	master random/thing feature-x feature/a/b; do
	test_expect_success "new branch '$bad' is rejected with a hint" '
		cd work && git branch -f "'"$bad"'" main 2>/dev/null || git update-ref "refs/heads/'"$bad"'" main &&
		push_rejected "$ROOT/alice/app.git" origin "refs/heads/'"$bad"'" &&
		test_grep "\[branch-name\]" "$TRASH/push.out" &&
		test_grep "fix: .*kebab-case" "$TRASH/push.out" &&
		test_grep "nothing was updated" "$TRASH/push.out"
	'
done

test_expect_success 'direct push to develop is rejected' '
	cd work && git checkout -q develop && commit_file direct.txt &&
	push_rejected "$ROOT/alice/app.git" origin develop &&
	test_grep "\[direct-push\] direct pushes to .develop. are not allowed" "$TRASH/push.out" &&
	test_grep "fix: push your work to a feature/" "$TRASH/push.out"
'

test_expect_success 'direct push to main is rejected, also naming the foreign commit' '
	cd work && git checkout -q main && commit_file direct-main.txt &&
	push_rejected "$ROOT/alice/app.git" origin main &&
	test_grep "\[direct-push\]" "$TRASH/push.out" &&
	test_grep "\[merge-source\] 1 commit would reach .main. from outside develop, hotfix/\*: $(git rev-parse --short=7 HEAD)" "$TRASH/push.out"
'

test_expect_success 'force push to main is rejected' '
	cd work && git checkout -q main && git reset -q --hard origin/main &&
	git commit -q --amend -m "rewritten" &&
	push_rejected "$ROOT/alice/app.git" origin +main &&
	test_grep "\[force-push\]" "$TRASH/push.out"
'

test_expect_success 'deleting main and develop is rejected' '
	cd work && push_rejected "$ROOT/alice/app.git" origin :main &&
	test_grep "\[delete\] deleting .main. is not allowed" "$TRASH/push.out" &&
	push_rejected "$ROOT/alice/app.git" origin :develop &&
	test_grep "\[delete\] deleting .develop." "$TRASH/push.out"
'

test_expect_success 'feature branches may be force-pushed and deleted' '
	cd work && git checkout -q feature/login-form && git commit -q --amend -m "reworded" &&
	push_accepted origin +feature/login-form &&
	push_accepted origin :feature/login-form &&
	test_must_fail git -C "$ROOT/alice/app.git" rev-parse --verify -q refs/heads/feature/login-form
'

test_expect_success 'a push of several refs with one bad ref creates none' '
	cd work && git branch feature/good-one main && git branch Bad-Name main &&
	push_rejected "$ROOT/alice/app.git" origin feature/good-one Bad-Name &&
	test_must_fail git -C "$ROOT/alice/app.git" rev-parse --verify -q refs/heads/feature/good-one &&
	test_grep "Bad-Name" "$TRASH/push.out"
'

test_expect_success 'every problem of a push is listed, grouped by ref' '
	cd work && git checkout -q develop && git reset -q --hard origin/develop &&
	commit_file again.txt && git branch UPPER main &&
	push_rejected "$ROOT/alice/app.git" origin develop UPPER &&
	test_grep "^remote:   refs/heads/develop" "$TRASH/push.out" &&
	test_grep "^remote:   refs/heads/UPPER" "$TRASH/push.out" &&
	test_grep "push rejected: 3 problems" "$TRASH/push.out"
'

test_done
