#!/bin/bash
# Refs beyond branches and tags, Gitea's environment, hook input that is
# malformed, and failing closed when the check itself cannot run.
. "$(dirname "$0")/lib-gitea.sh"

Z=0000000000000000000000000000000000000000

test_expect_success 'setup' '
	gitea_repo alice app &&
	git clone -q "file://$ROOT/alice/app.git" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

test_expect_success 'users may not push refs/pull/' '
	cd work && push_rejected "$ROOT/alice/app.git" origin main:refs/pull/1/head &&
	test_grep "\[pull-ref\] refs/pull/ is written by Gitea only" "$TRASH/push.out"
'

test_expect_success 'Gitea internal pushes are allowed, even to refs/pull/' '
	cd work && GITEA_INTERNAL_PUSH=true push_accepted origin main:refs/pull/1/head &&
	git -C "$ROOT/alice/app.git" rev-parse --verify refs/pull/1/head
'

test_expect_success 'other ref namespaces are rejected' '
	cd work && push_rejected "$ROOT/alice/app.git" origin main:refs/keep/x &&
	test_grep "\[ref-namespace\]" "$TRASH/push.out"
'

test_expect_success 'AGit refs/for/<existing branch> is accepted, not a direct push' '
	cd work && git checkout -q -b topic main && commit_file agit.c &&
	push_accepted origin HEAD:refs/for/develop/my-topic
'

test_expect_success 'AGit refs/for/<missing branch> is rejected' '
	cd work && push_rejected "$ROOT/alice/app.git" origin HEAD:refs/for/nope &&
	test_grep "\[agit-target\] pull request target .nope. is not an existing branch" "$TRASH/push.out"
'

test_expect_success 'branch rules do not apply to wiki repositories' '
	git init -q --bare "$ROOT/alice/app.wiki.git" &&
	"$TOP/install.sh" --repo "$ROOT/alice/app.wiki.git" --prefix "$PREFIX" --binary "$PUSHGATE" >/dev/null &&
	git init -q wiki && cd wiki && commit_file Home.md && git branch -m master &&
	GITEA_REPO_IS_WIKI=true push_accepted "file://$ROOT/alice/app.wiki.git" master
'

test_expect_success 'the same push to a code repository is rejected' '
	cd wiki && push_rejected "$ROOT/alice/app.git" "file://$ROOT/alice/app.git" master
'

# Direct invocations of the hook, as git would run it.
hook() {
	(cd "$ROOT/alice/app.git" && GIT_DIR=. "$PUSHGATE" "$@")
}

test_expect_success 'a malformed input line rejects, naming the line' '
	main=$(git -C "$ROOT/alice/app.git" rev-parse main) &&
	printf "%s %s refs/heads/feature/ok\nnot a line\n" $Z $main >in &&
	test_expect_code 1 hook pre-receive <in 2>err &&
	test_grep "malformed hook input line 2" err
'

test_expect_success 'short ids, CR, NUL and missing fields are malformed' '
	main=$(git -C "$ROOT/alice/app.git" rev-parse main) &&
	printf "%s %s refs/heads/feature/ok\r\n" $Z $main >in1 &&
	printf "%s %s\n" $Z $main >in2 &&
	printf "%s %s refs/heads/feature/o\0k\n" $Z $main >in3 &&
	printf "abc %s refs/heads/feature/ok\n" $main >in4 &&
	printf "%s %s refs/heads/feature/ok extra\n" $Z $main >in5 &&
	for f in in1 in2 in3 in4 in5; do
		test_expect_code 1 hook pre-receive <$f 2>err && test_grep "malformed hook input" err || exit 1
	done
'

test_expect_success 'control characters in input are escaped in messages' '
	printf "\033]0;owned\007 x y\n" >in &&
	test_expect_code 1 hook pre-receive <in 2>err &&
	test_grep "x1b" err && test_grep_not "$(printf "\033")" err
'

test_expect_success 'a final line without newline is accepted; empty input accepts' '
	main=$(git -C "$ROOT/alice/app.git" rev-parse main) &&
	printf "%s %s refs/heads/feature/ok" $Z $main | hook pre-receive &&
	hook pre-receive </dev/null
'

test_expect_success 'a 1 MB input line is read whole and its name shown cut short' '
	main=$(git -C "$ROOT/alice/app.git" rev-parse main) &&
	{ printf "%s %s refs/heads/feature/" $Z $main; head -c 1048576 /dev/zero | tr "\0" A; echo; } >in &&
	test_expect_code 1 hook pre-receive <in 2>err &&
	test_grep "\[branch-name\] .feature/AAAA*\.\.\.. is not an allowed branch name" err &&
	test $(wc -c <err) -lt 4096 &&
	{ printf "%s %s refs/heads/feature/" $Z $main; head -c 1048576 /dev/zero | tr "\0" a; echo; } >in &&
	hook pre-receive <in
'

test_expect_success 'SHA-256 ids are rejected with the reason' '
	printf "%064d %064d refs/heads/main\n" 0 1 >in &&
	test_expect_code 1 hook pre-receive <in 2>err &&
	test_grep "SHA-256" err
'

test_expect_success 'the update hook checks one ref from its arguments' '
	main=$(git -C "$ROOT/alice/app.git" rev-parse main) &&
	test_expect_code 1 hook update refs/heads/Bad $Z $main 2>err &&
	test_grep "\[branch-name\]" err &&
	hook update refs/heads/feature/fine $Z $main &&
	test_expect_code 1 hook update refs/heads/main 2>err &&
	test_grep "update takes REF OLD NEW" err
'

test_expect_success 'an invalid policy in the repository rejects every push (fails closed)' '
	printf "version: 1\nbranchez: []\n" >"$ROOT/alice/app.git/pushgate.yml" &&
	cd work && git checkout -q -b feature/after-bad-policy main &&
	push_rejected "$ROOT/alice/app.git" origin feature/after-bad-policy &&
	test_grep "pushgate: error: .*pushgate.yml:2:1: unknown key .branchez." "$TRASH/push.out" &&
	test_grep "forward this message to your administrator" "$TRASH/push.out" &&
	rm "$ROOT/alice/app.git/pushgate.yml"
'

test_expect_success 'a policy path that is a directory fails closed' '
	mkdir "$ROOT/alice/app.git/pushgate.yml" &&
	cd work && push_rejected "$ROOT/alice/app.git" origin feature/after-bad-policy &&
	test_grep "pushgate: error:" "$TRASH/push.out" &&
	rmdir "$ROOT/alice/app.git/pushgate.yml"
'

test_expect_success 'a missing pushgate binary rejects the push' '
	mv "$PREFIX/bin/pushgate" "$PREFIX/bin/pushgate.away" &&
	cd work && git checkout -q -b feature/no-binary main &&
	refs_of "$ROOT/alice/app.git" >before &&
	test_must_fail git push origin feature/no-binary 2>out;
	rc=$?
	mv "$PREFIX/bin/pushgate.away" "$PREFIX/bin/pushgate" &&
	refs_of "$ROOT/alice/app.git" >after && cmp before after
'

test_done
