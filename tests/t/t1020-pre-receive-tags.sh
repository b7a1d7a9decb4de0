#!/bin/bash
# Release tags: vMAJOR.MINOR.PATCH[-prerelease], on a commit of main,
# never moved or deleted.
. "$(dirname "$0")/lib-gitea.sh"

test_expect_success 'setup: main and a feature branch ahead of it' '
	gitea_repo alice app &&
	git clone -q "file://$ROOT/alice/app.git" work 2>/dev/null &&
	cd work && commit_file README.md && commit_file CHANGES.md &&
	push_accepted origin main &&
	git checkout -q -b feature/next && commit_file next.c &&
	push_accepted origin feature/next && git checkout -q main
'

test_expect_success 'a lightweight v1.0.0 on main is accepted' '
	cd work && git tag v1.0.0 main && push_accepted origin v1.0.0 &&
	git -C "$ROOT/alice/app.git" rev-parse --verify refs/tags/v1.0.0
'

test_expect_success 'an annotated prerelease tag on an older main commit is accepted' '
	cd work && git tag -a -m "rc" v1.1.0-rc.1 main~1 && push_accepted origin v1.1.0-rc.1
'

for bad in v1.0 1.0.0 release-1 v1.0.0.1 v01.2.3 V1.2.3 v1.2.3- v1.2.3-rc_1; do
	test_expect_success "tag '$bad' is rejected with the expected format" '
		cd work && git tag "'"$bad"'" main &&
		push_rejected "$ROOT/alice/app.git" origin "refs/tags/'"$bad"'" &&
		test_grep "\[tag-name\]" "$TRASH/push.out" &&
		test_grep "fix: .*vMAJOR.MINOR.PATCH" "$TRASH/push.out"
	'
done

test_expect_success 'a tag on a commit that is not on main is rejected' '
	cd work && git tag v2.0.0 feature/next &&
	push_rejected "$ROOT/alice/app.git" origin v2.0.0 &&
	test_grep "\[tag-branch\] tag .v2.0.0. must be on main, but the tagged commit is not on it" "$TRASH/push.out"
'

test_expect_success 'a tag on a tree is rejected' '
	cd work && git tag v3.0.0 "main^{tree}" &&
	push_rejected "$ROOT/alice/app.git" origin v3.0.0 &&
	test_grep "does not point at a commit" "$TRASH/push.out"
'

test_expect_success 'moving an existing tag is rejected' '
	cd work && git tag -f v1.0.0 main~1 &&
	push_rejected "$ROOT/alice/app.git" origin +v1.0.0 &&
	test_grep "\[tag-immutable\] tag .v1.0.0. already exists and may not be moved" "$TRASH/push.out"
'

test_expect_success 'deleting an existing tag is rejected' '
	cd work && push_rejected "$ROOT/alice/app.git" origin :refs/tags/v1.0.0 &&
	test_grep "may not be deleted" "$TRASH/push.out"
'

test_done
