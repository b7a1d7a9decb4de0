#!/bin/bash
# Adversarial hook input: 50k ref updates through `pushgate pre-receive`
# with a real repository (timed loosely: it must finish, not hang),
# endless and unreadable stdin, many refs in one real push, objects that
# are not there, and what the pusher and Gitea's environment control
# (push options, user names, PR and internal-push variables).
# Malformed lines, CRLF, NUL, short ids and a 1 MB line are in t1030 and
# tests/unit/hooks/hook_input.c.
. "$(dirname "$0")/lib-gitea.sh"

REPO=$ROOT/alice/app.git
Z=0000000000000000000000000000000000000000
ESC=$(printf '\033')

# Sanitizer builds run several times slower.
case $BUILD in */sanitize) SLOW=6 ;; *) SLOW=1 ;; esac

# The hook as git runs it, in the bare repository.
hook() {
	(cd "$REPO" && GIT_DIR=. "$PUSHGATE" "$@")
}

# N pre-receive lines creating refs/heads/$2-<i> at commit $3.
many_lines() {
	awk -v n="$1" -v name="$2" -v z=$Z -v id="$3" \
		'BEGIN { for (i = 0; i < n; i++) printf "%s %s refs/heads/%s-%d\n", z, id, name, i }'
}

# Run the pre-receive hook on file $1 with a loose time bound of $2
# seconds (scaled for slow builds; an idle machine needs a tenth of it); exit status in $TRASH/rc, seconds in $TRASH/secs,
# stderr in $TRASH/err.
timed_pre_receive() {
	start=$(date +%s%N)
	timeout $(($2 * SLOW * 2)) bash -c 'cd "$1" && GIT_DIR=. exec "$2" pre-receive' _ "$REPO" "$PUSHGATE" \
		<"$1" >"$TRASH/out" 2>"$TRASH/err" && rc=0 || rc=$?
	echo $rc >"$TRASH/rc"
	echo $(( ($(date +%s%N) - start) / 1000000000 )) >"$TRASH/secs"
	echo "exit $rc after $(cat "$TRASH/secs") s (bound $(($2 * SLOW)) s), $(wc -c <"$TRASH/err") bytes on stderr"
	[ "$rc" -lt 124 ] || { echo "timed out or killed"; return 1; }
	[ "$(cat "$TRASH/secs")" -le $(($2 * SLOW)) ] || { echo "too slow"; return 1; }
}

test_expect_success 'setup' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

test_expect_success '50k ref updates that the policy allows are accepted, in bounded time' '
	main=$(git -C "$REPO" rev-parse main) &&
	many_lines 50000 feature/r $main >in50k &&
	test $(wc -l <in50k) = 50000 &&
	refs_of "$REPO" >before &&
	timed_pre_receive in50k 20 &&
	test "$(cat "$TRASH/rc")" = 0 &&
	refs_of "$REPO" >after && cmp before after &&
	rm -rf "$REPO/pushgate-accepted"
'

test_expect_success '50k ref updates with one bad name at the end: rejected, naming it' '
	main=$(git -C "$REPO" rev-parse main) &&
	{ many_lines 49999 feature/r $main; echo "$Z $main refs/heads/Last_Bad"; } >in50k-one &&
	rm -rf "$REPO/pushgate-accepted" && timed_pre_receive in50k-one 20 &&
	test "$(cat "$TRASH/rc")" = 1 &&
	test_grep "push rejected: 1 problem " "$TRASH/err" &&
	test_grep "\[branch-name\] .Last_Bad. is not an allowed branch name" "$TRASH/err" &&
	test_grep "nothing was updated" "$TRASH/err" &&
	test ! -d "$REPO/pushgate-accepted" -o -z "$(ls "$REPO/pushgate-accepted" 2>/dev/null)"
'

test_expect_success '50k rejected ref updates: rejected in bounded time' '
	main=$(git -C "$REPO" rev-parse main) &&
	many_lines 50000 Bad/r $main >in50k-bad &&
	rm -rf "$REPO/pushgate-accepted" && timed_pre_receive in50k-bad 20 &&
	cp "$TRASH/err" "$TRASH/err-50k-bad" &&
	test "$(cat "$TRASH/rc")" = 1 &&
	test_grep "push rejected: 50000 problems" "$TRASH/err" &&
	test_grep "Bad/r-0. is not an allowed branch name" "$TRASH/err"
'

# Gitea relays every line as "remote: ..."; ten findings are shown for
# secrets, and a ref report should be as bounded.
test_expect_success '50k rejected ref updates: the report stays readable (under 256 KB)' '
	test -s "$TRASH/err-50k-bad" &&
	echo "$(wc -c <"$TRASH/err-50k-bad") bytes, $(wc -l <"$TRASH/err-50k-bad") lines" &&
	test $(wc -c <"$TRASH/err-50k-bad") -lt 262144 &&
	test_grep "nothing was updated" "$TRASH/err-50k-bad"
'

test_expect_success 'endless stdin stops at the 64 MiB input limit with a message' '
	start=$(date +%s) &&
	test_expect_code 1 hook pre-receive </dev/zero 2>err &&
	test $(( $(date +%s) - start )) -le $((10 * SLOW)) &&
	test_grep "pushgate: error: <stdin>: larger than 67108864 bytes" err &&
	test_grep "forward this message to your administrator" err
'

test_expect_success '64 MiB of well-formed lines (just over the limit) are refused, not cut' '
	main=$(git -C "$REPO" rev-parse main) &&
	yes "$Z $main refs/heads/feature/ok" | head -c 67108900 >in-big &&
	test_expect_code 1 hook pre-receive <in-big 2>err &&
	test_grep "larger than 67108864 bytes" err
'

test_expect_success 'closed or unreadable stdin fails closed with a message' '
	test_expect_code 1 hook pre-receive <&- 2>err &&
	test_grep "pushgate: error: <stdin>:" err &&
	mkdir adir && test_expect_code 1 hook pre-receive <adir 2>err &&
	test_grep "pushgate: error: <stdin>:" err
'

test_expect_success 'a rejection still exits 1 when stderr is closed or a broken pipe' '
	main=$(git -C "$REPO" rev-parse main) &&
	echo "$Z $main refs/heads/Bad" >in &&
	test_expect_code 1 hook pre-receive <in 2>&- &&
	{ hook pre-receive <in 2>&1 >/dev/null; echo $? >rc; } | head -c 0 &&
	test "$(cat rc)" != 0
'

test_expect_success 'a new id the repository does not have fails closed, naming it' '
	echo "$Z 1234567890abcdef1234567890abcdef12345678 refs/heads/feature/ghost" >in &&
	test_expect_code 1 hook pre-receive <in 2>err &&
	test_grep "pushgate: error: pushed object 1234567890abcdef1234567890abcdef12345678 is missing" err
'

test_expect_success 'an old id that does not exist cannot make a force push look fast-forward' '
	main=$(git -C "$REPO" rev-parse main) &&
	echo "1234567890abcdef1234567890abcdef12345678 $main refs/heads/develop" >in &&
	test_expect_code 1 hook pre-receive <in 2>err &&
	test_grep "pushgate: error:\|\[force-push\]\|\[direct-push\]" err
'

test_expect_success '50 refs in one real push are all checked and applied' '
	rm -rf "$REPO/pushgate-accepted" &&
	cd work && for i in $(seq 1 50); do echo "create refs/heads/feature/many-$i HEAD"; done |
		git update-ref --stdin &&
	push_accepted origin "refs/heads/feature/many-*" &&
	test $(git -C "$REPO" for-each-ref refs/heads/feature/ | wc -l) = 50 &&
	test -z "$(ls "$REPO/pushgate-accepted")"
'

test_expect_success '50 refs in one real push, one of them bad: none is applied' '
	cd work && for i in $(seq 1 50); do echo "create refs/heads/feature/more-$i HEAD"; done |
		git update-ref --stdin && git branch More_Bad &&
	push_rejected "$REPO" origin "refs/heads/feature/more-*" More_Bad &&
	test_grep "\[branch-name\] .More_Bad." "$TRASH/push.out" &&
	test $(git -C "$REPO" for-each-ref refs/heads/feature/more-* | wc -l) = 0
'

test_expect_success 'the pusher name from the environment is escaped in messages' '
	printf "version: 1\nextends: default\nbypass:\n  users: [admin]\n" >"$REPO/pushgate.yml" &&
	cd work && git branch -f Bad2 main &&
	GITEA_PUSHER_NAME="$(printf "ev\033[2Jil\nremote: pushgate: push accepted")" \
		push_rejected "$REPO" -o "pushgate.bypass=please" origin Bad2 &&
	test_grep "ev\\\\x1b\[2Jil\\\\nremote: pushgate: push accepted may not bypass" "$TRASH/push.out" &&
	test_grep_not "$ESC" "$TRASH/push.out"
'

test_expect_success 'a bypass reason with control characters is escaped in output and audit log' '
	printf "version: 1\nextends: default\nbypass:\n  users: [admin]\naudit_log: %s\n" "$TRASH/audit.jsonl" \
		>"$REPO/pushgate.yml" &&
	cd work && GITEA_PUSHER_NAME=admin \
		push_accepted -o "pushgate.bypass=$(printf "ok\033]0;owned\007 \302\233 \377")" origin Bad2 &&
	test_grep "policy bypassed by admin, reason: ok\\\\x1b\]0;owned\\\\x07 \\\\xc2\\\\x9b \\\\xff (recorded in the audit log)" "$TRASH/push.out" &&
	test_grep_not "$ESC" "$TRASH/push.out" &&
	python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$TRASH/audit.jsonl" &&
	test_grep_not "$ESC" "$TRASH/audit.jsonl" &&
	rm "$REPO/pushgate.yml" && push_accepted origin :Bad2
'

test_expect_success 'a huge GIT_PUSH_OPTION_COUNT without options is harmless' '
	main=$(git -C "$REPO" rev-parse main) &&
	echo "$Z $main refs/heads/Bad3" >in &&
	(cd "$REPO" && GIT_DIR=. GIT_PUSH_OPTION_COUNT=99999999999999999999 GITEA_PUSHER_NAME=admin \
		test_expect_code 1 "$PUSHGATE" pre-receive <"$TRASH/in" 2>"$TRASH/err") &&
	test_grep "\[branch-name\]" err && test_grep_not "bypassed" err
'

for pr in "PR_ID=0" "PR_ID=-1" "PR_ID=1e3" "PR_ID= 1" "PR_ID=0x1" "PR_ID=1 " \
	"PUSH_TRIGGER=pr-merge-to-base " "PUSH_TRIGGER=PR-MERGE-TO-BASE" "PUSH_TRIGGER=pr-update-with-base" \
	"INTERNAL_PUSH=TRUE" "INTERNAL_PUSH=1" "INTERNAL_PUSH=true " "INTERNAL_PUSH=yes"; do
	test_expect_success "GITEA_$pr does not make a direct push to develop a PR merge" '
		cd work && git checkout -q develop && commit_file "direct-$RANDOM.txt" &&
		export "GITEA_'"$pr"'" && push_rejected "$REPO" origin develop &&
		test_grep "\[direct-push\] direct pushes to .develop." "$TRASH/push.out" &&
		git reset -q --hard origin/develop
	'
done

test_expect_success 'the repository is intact' '
	git -C "$REPO" fsck --no-progress 2>&1 | tee fsck.out &&
	test_grep_not "error\|missing\|broken" fsck.out
'

test_done
