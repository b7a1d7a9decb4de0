#!/bin/bash
# Resource exhaustion: the hook run with a low address-space limit
# (ulimit -v) or few file descriptors (ulimit -n) must fail closed with a
# message: the push is rejected and says why, it never crashes (a signal
# rejects the push too, but silently) and never lets a secret through.
#
# AddressSanitizer reserves terabytes of shadow address space, so an ASan
# build cannot start under ulimit -v at all: the ulimit -v tests are
# skipped for such a build ($PUSHGATE_BUILD ending in /sanitize, or a
# binary linked with libasan).
. "$(dirname "$0")/lib-gitea.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
REPO=$ROOT/alice/app.git
Z=0000000000000000000000000000000000000000

asan=
case $BUILD in */sanitize) asan=yes ;; esac
if nm "$PUSHGATE" 2>/dev/null | grep -q __asan_init || ldd "$PUSHGATE" 2>/dev/null | grep -q libasan; then
	asan=yes
fi

# The limits at which the direct runs did not reach a verdict are the
# interesting ones for real pushes (the hook's address space is much the
# same); a few fixed ones otherwise.
tight_limits() {
	{ sort -n "$TRASH/tight-limits" 2>/dev/null | tail -n 8; echo 24576; echo 30720; } | sort -nu
}

# Run pushgate with `ulimit $1` in the bare repository: limited LIMIT CMD...
# Exit status in $TRASH/rc, stderr in $TRASH/err.
limited() {
	lim=$1
	shift
	(cd "$REPO" && ulimit $lim && GIT_DIR=. exec "$PUSHGATE" "$@") 2>"$TRASH/err" && rc=0 || rc=$?
	echo $rc >"$TRASH/rc"
}

# Check the outcome of one limited run. $1: what a run with enough
# resources does (0 accept, 1 reject); $2: grep pattern its output has.
# A run short of resources must exit 1 with "pushgate: error:" (or the
# dynamic loader's own message, before pushgate runs at all).
check_outcome() {
	rc=$(cat "$TRASH/rc")
	if [ "$rc" -gt 128 ]; then
		echo "$lim: pushgate died of signal $((rc - 128))"; cat "$TRASH/err"; return 1
	fi
	if grep -q "error while loading shared libraries" "$TRASH/err"; then
		[ "$rc" = 127 ] && return 0
	fi
	if grep -q "pushgate: error:" "$TRASH/err"; then
		[ "$rc" = 1 ] || { echo "$lim: error but exit $rc"; return 1; }
		grep -q "forward this message to your administrator" "$TRASH/err" || return 1
		return 0
	fi
	[ "$rc" = "$1" ] || { echo "$lim: exit $rc, expected $1"; cat "$TRASH/err"; return 1; }
	[ -z "$2" ] || grep -q "$2" "$TRASH/err" || { echo "$lim: no '$2' in:"; cat "$TRASH/err"; return 1; }
}

# Install a pre-receive hook file that runs pushgate under `ulimit
# $PG_TEST_ULIMIT` (when set) and records its exit status.
limited_hook() {
	cat >"$REPO/hooks/pre-receive.d/50-pushgate" <<-EOF
	#!/bin/sh
	(
		[ -z "\${PG_TEST_ULIMIT:-}" ] || ulimit \$PG_TEST_ULIMIT
		exec "$PREFIX/bin/pushgate" pre-receive
	)
	rc=\$?
	echo \$rc >"$TRASH/hook-rc"
	exit \$rc
	EOF
}

test_expect_success 'setup: a secret and a clean commit the repository has but no ref reaches' '
	gitea_repo alice app && limited_hook &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop &&
	git checkout -q -b feature/secret develop &&
	printf "t = \"%s\"\n" "$($GEN ghp)" >s.py && git add s.py && git commit -q -m s &&
	git checkout -q -b feature/clean develop && commit_file clean.txt &&
	git -C "$REPO" fetch -q "$TRASH/work" feature/secret feature/clean &&
	echo "$Z $(git rev-parse feature/secret) refs/heads/feature/secret" >"$TRASH/in-secret" &&
	echo "$Z $(git rev-parse feature/clean) refs/heads/feature/clean" >"$TRASH/in-clean" &&
	(cd "$REPO" && GIT_DIR=. test_expect_code 1 "$PUSHGATE" pre-receive <"$TRASH/in-secret" 2>"$TRASH/err") &&
	test_grep "x \[github-pat\] s.py:1:6" "$TRASH/err" &&
	(cd "$REPO" && GIT_DIR=. "$PUSHGATE" pre-receive <"$TRASH/in-clean") &&
	rm -rf "$REPO/pushgate-accepted"
'

test_expect_success "pre-receive under ulimit -v 16..64 MB: a secret is never accepted, no crash" '
	if [ -n "$asan" ]; then test_skip "ASan builds cannot run under ulimit -v"; fi
	: >"$TRASH/tight-limits" &&
	for kb in $(seq 16384 512 65536); do
		limited "-v $kb" pre-receive <"$TRASH/in-secret" &&
		{ grep -q github-pat "$TRASH/err" || echo $kb >>"$TRASH/tight-limits"; } &&
		check_outcome 1 "x \[github-pat\] s.py:1:6" || exit 1
	done
'

test_expect_success "pre-receive under ulimit -v 16..64 MB: a clean push is accepted or fails closed, no crash" '
	if [ -n "$asan" ]; then test_skip "ASan builds cannot run under ulimit -v"; fi
	for kb in $(seq 16384 512 65536); do
		limited "-v $kb" pre-receive <"$TRASH/in-clean" &&
		check_outcome 0 "" || exit 1
		rm -rf "$REPO/pushgate-accepted"
	done
'

test_expect_success "update under ulimit -v 16..48 MB: fails closed, no crash" '
	if [ -n "$asan" ]; then test_skip "ASan builds cannot run under ulimit -v"; fi
	set -- $(cat "$TRASH/in-secret") &&
	for kb in $(seq 16384 1024 49152); do
		limited "-v $kb" update "$3" "$1" "$2" </dev/null &&
		check_outcome 1 "x \[github-pat\] s.py:1:6" || exit 1
	done
'

test_expect_success "pre-receive without a usable rules cache (compiling) under ulimit -v: no crash" '
	if [ -n "$asan" ]; then test_skip "ASan builds cannot run under ulimit -v"; fi
	for kb in 36000 44000 52000 58000; do
		PUSHGATE_CACHE_DIR= limited "-v $kb" pre-receive <"$TRASH/in-secret" &&
		check_outcome 1 "x \[github-pat\] s.py:1:6" || exit 1
	done
'

test_expect_success "a real push under a low memory limit is rejected with a message" '
	if [ -n "$asan" ]; then test_skip "ASan builds cannot run under ulimit -v"; fi
	cd work && git checkout -q feature/secret &&
	for kb in $(tight_limits); do
		PG_TEST_ULIMIT="-v $kb" push_rejected "$REPO" origin feature/secret || exit 1
		rc=$(cat "$TRASH/hook-rc") &&
		{ [ "$rc" -le 128 ] || { echo "$kb: hook died of signal $((rc - 128))"; exit 1; }; } &&
		{ grep -q "x \[github-pat\] s.py:1:6\|pushgate: error\|error while loading shared libraries" "$TRASH/push.out" ||
			{ echo "$kb: no reason given"; exit 1; }; } || exit 1
	done
'

test_expect_success 'few file descriptors (ulimit -n 3..16): a secret is never accepted, no crash' '
	for n in 3 4 5 6 7 8 9 10 12 16; do
		limited "-n $n" pre-receive <"$TRASH/in-secret" &&
		check_outcome 1 "x \[github-pat\] s.py:1:6" || exit 1
	done
'

test_expect_success 'few file descriptors: a real push is rejected with a reason' '
	cd work && git checkout -q feature/secret &&
	PG_TEST_ULIMIT="-n 4" push_rejected "$REPO" origin feature/secret &&
	test "$(cat "$TRASH/hook-rc")" -le 128 &&
	test_grep "x \[github-pat\] s.py:1:6\|pushgate: error" "$TRASH/push.out"
'

test_expect_success 'an unwritable accepted-update token directory fails closed with a message' '
	rm -rf "$REPO/pushgate-accepted" && echo "not a directory" >"$REPO/pushgate-accepted" &&
	cd work && git checkout -q feature/clean &&
	push_rejected "$REPO" origin feature/clean &&
	test_grep "pushgate: error: .*pushgate-accepted" "$TRASH/push.out" &&
	rm "$REPO/pushgate-accepted" && push_accepted origin feature/clean
'

test_expect_success 'the repository is intact' '
	git -C "$REPO" fsck --no-progress --no-dangling 2>&1 | tee fsck.out &&
	test_grep_not "error\|missing\|broken" fsck.out
'

test_done
