#!/bin/bash
# Eight clients pushing to the same Gitea-layout repository at once,
# three rounds: each client pushes a new branch of its own (some carry a
# secret) and force-pushes a shared branch (some carry a secret). Every
# accepted push must be present, every rejected one absent (no ref, no
# object), and the repository uncorrupted (git fsck), with no quarantine
# directory, lock file or accepted-update token left behind.
. "$(dirname "$0")/lib-gitea.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
REPO=$ROOT/alice/app.git
CLIENTS=8
ROUNDS=3

# One client's round: client I R. Appends "KIND BRANCH COMMIT SECRET RC"
# lines to $TRASH/c$I/log; each push's output goes to push-<kind>-<round>.out.
client() {
	i=$1 r=$2
	cd "$TRASH/c$i" || return 1
	for kind in own shared; do
		if [ $kind = own ]; then branch=feature/c$i-r$r; else branch=feature/shared; fi
		secret=0
		case $kind in
		own) [ $(((i + r) % 3)) = 0 ] && secret=1 ;;
		shared) [ $(((i + r) % 4)) = 0 ] && secret=1 ;;
		esac
		git checkout -q -B "$branch" origin/develop || return 1
		if [ $secret = 1 ]; then
			printf 'token = "%s"\n' "$($GEN ghp)" >"$kind-$i-$r.py"
		else
			printf 'print(%d, %d, "%s")\n' "$i" "$r" "$kind" >"$kind-$i-$r.py"
		fi
		git add "$kind-$i-$r.py" && git commit -q -m "client $i round $r $kind" || return 1
		git push origin "+$branch" >"push-$kind-$r.out" 2>&1 && rc=0 || rc=$?
		echo "$kind $branch $(git rev-parse HEAD) $secret $rc" >>log
	done
}

test_expect_success 'setup: repository, develop, eight clones (the rules cache is warm)' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	(cd work && commit_file README.md && git branch develop && push_accepted origin main develop) &&
	for i in $(seq 1 $CLIENTS); do
		git clone -q "file://$REPO" "c$i" 2>/dev/null && : >"c$i/log" || exit 1
	done &&
	test -n "$(ls "$XDG_CACHE_HOME/pushgate/"*.hsdb)"
'

for r in $(seq 1 $ROUNDS); do
	test_expect_success "round $r: $CLIENTS clients push at once" '
		for i in $(seq 1 $CLIENTS); do client $i '"$r"' & done; wait &&
		for i in $(seq 1 $CLIENTS); do
			test $(grep -c " " "c$i/log") = $(('"$r"' * 2)) || { echo "client $i did not finish"; exit 1; }
		done
	'
done

test_expect_success 'every push with a secret was rejected for it, and left nothing behind' '
	n=0 &&
	for i in $(seq 1 $CLIENTS); do
		r=0
		while read -r kind branch commit secret rc; do
			[ $kind = own ] && r=$((r + 1))
			[ "$secret" = 1 ] || continue
			n=$((n + 1))
			[ "$rc" != 0 ] || { echo "c$i: $kind push of $commit with a secret was accepted"; exit 1; }
			grep -q "x \[github-pat\] $kind-$i-$r.py:1:10" "c$i/push-$kind-$r.out" ||
				{ echo "c$i: no finding in:"; cat "c$i/push-$kind-$r.out"; exit 1; }
			grep -q "nothing was updated" "c$i/push-$kind-$r.out" || exit 1
			if git -C "$REPO" cat-file -e "$commit" 2>/dev/null; then
				echo "c$i: rejected commit $commit is in the repository"; exit 1
			fi
			if [ $kind = own ] && git -C "$REPO" rev-parse -q --verify "$branch" >/dev/null; then
				echo "c$i: rejected branch $branch exists"; exit 1
			fi
		done <"c$i/log"
	done &&
	echo "$n rejected pushes checked" && test $n -gt 0
'

test_expect_success 'every clean push to its own branch was accepted and is present' '
	n=0 &&
	for i in $(seq 1 $CLIENTS); do
		while read -r kind branch commit secret rc; do
			[ $kind = own ] && [ "$secret" = 0 ] || continue
			n=$((n + 1))
			[ "$rc" = 0 ] || { echo "c$i: clean push of $branch failed:"; cat "c$i/push-own-"*.out; exit 1; }
			test "$(git -C "$REPO" rev-parse "$branch")" = "$commit" ||
				{ echo "c$i: $branch is not at $commit"; exit 1; }
		done <"c$i/log"
	done &&
	echo "$n accepted pushes checked" && test $n -gt 0
'

test_expect_success 'the shared branch: accepted pushes are present, its tip is one of them' '
	: >accepted-shared &&
	for i in $(seq 1 $CLIENTS); do
		while read -r kind branch commit secret rc; do
			[ $kind = shared ] && [ "$rc" = 0 ] || continue
			git -C "$REPO" cat-file -e "$commit" || { echo "c$i: accepted $commit is missing"; exit 1; }
			echo "$commit" >>accepted-shared
		done <"c$i/log"
	done &&
	echo "$(wc -l <accepted-shared) accepted pushes to the shared branch" &&
	test -s accepted-shared &&
	grep -qx "$(git -C "$REPO" rev-parse feature/shared)" accepted-shared
'

test_expect_success 'a clean push to the shared branch fails only by losing the ref race, never by pushgate' '
	for i in $(seq 1 $CLIENTS); do
		for f in c$i/push-shared-*.out; do
			if grep -q "pushgate: error" "$f"; then cat "$f"; exit 1; fi
		done
	done
'

test_expect_success 'the repository is intact: fsck clean, no quarantine, lock or token left' '
	rc=0 && git -C "$REPO" fsck --strict --no-dangling --no-progress >fsck.out 2>&1 || rc=$?
	cat fsck.out && test $rc = 0 && test_grep_not "error\|missing\|broken\|corrupt" fsck.out &&
	test -z "$(find "$REPO/objects" -maxdepth 1 -name "tmp_objdir-*" -o -maxdepth 1 -name "incoming-*")" &&
	test -z "$(find "$REPO" -name "*.lock")" &&
	test -z "$(ls -A "$REPO/pushgate-accepted")"
'

test_expect_success 'after the storm a normal push still works' '
	cd c1 && git checkout -q -B feature/after origin/develop && commit_file after.txt &&
	push_accepted origin feature/after &&
	test "$(git -C "$REPO" rev-parse feature/after)" = "$(git rev-parse HEAD)"
'

test_done
