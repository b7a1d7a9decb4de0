# lib.sh - what every end-to-end test script sources.
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'what it checks' '
#       commands, each of which must succeed
#   '
#   test_done
#
# Each body runs in a subshell under `set -e` in a fresh trash directory
# shared by the script. `! cmd` does not fail under set -e: use
# test_must_fail. A body that cannot run here (not root, a missing tool)
# calls test_skip REASON, which reports "ok N - ... # SKIP REASON".
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${PUSHGATE_BUILD:-$TOP/build}
PUSHGATE=$BUILD/pushgate
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-t.XXXXXX")
test_count=0
test_failed=0

cleanup() {
	if [ "$test_failed" = 0 ] && [ -z "${PUSHGATE_KEEP:-}" ]; then
		rm -rf "$TRASH"
	else
		echo "# trash kept in $TRASH"
	fi
}
trap cleanup EXIT

# A clean, predictable environment: no user config, no Gitea variables.
export HOME="$TRASH/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
export XDG_CACHE_HOME="$TRASH/cache"
unset PUSHGATE_CONFIG GIT_DIR GIT_WORK_TREE
for v in $(env | sed -n 's/^\(GITEA_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
git config --global user.name "Test User"
git config --global user.email "test@example.com"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global protocol.file.allow always
cd "$TRASH" || exit 1

test_expect_success() {
	test_count=$((test_count + 1))
	rm -f "$TRASH/.skip"
	(
		set -e
		eval "$2"
	) >"$TRASH/.log" 2>&1
	rc=$?
	if [ "$rc" = 0 ] && [ -f "$TRASH/.skip" ]; then
		echo "ok $test_count - $1 # SKIP $(cat "$TRASH/.skip")"
	elif [ "$rc" = 0 ]; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/.log"
	fi
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" = 0 ]
	exit $?
}

# In a test body: stop here and report the test as skipped, for REASON
# (one line, no "#").
test_skip() {
	echo "$*" >"$TRASH/.skip"
	exit 0
}

# Run a command that must fail with a non-zero status other than a crash.
test_must_fail() {
	"$@" && { echo "expected failure: $*"; return 1; }
	rc=$?
	if [ "$rc" -gt 128 ]; then
		echo "died of signal $((rc - 128)): $*"
		return 1
	fi
	return 0
}

# Expect an exact exit status.
test_expect_code() {
	want=$1
	shift
	"$@" && got=0 || got=$?
	[ "$got" = "$want" ] || { echo "exit $got, expected $want: $*"; return 1; }
}

# Fail unless file $2 contains a line matching grep pattern $1.
# A random value for a generic assignment (API_KEY = "..."), which only
# the generic rules catch, and they not under vendor/, node_modules/ and
# the other generic paths: 32 letters and digits, at least 4 of each kind.
generic_value() {
	python3 -c 'import random, string
r = random.SystemRandom()
while True:
    v = "".join(r.choice(string.ascii_letters + string.digits) for _ in range(32))
    if sum(c.isdigit() for c in v) >= 4 and sum(c.isupper() for c in v) >= 4:
        print(v)
        break'
}

test_grep() {
	grep -q -e "$1" "$2" || { echo "no '$1' in $2:"; sed 's/^/| /' "$2"; return 1; }
}

# Fail if file $2 contains a line matching grep pattern $1.
test_grep_not() {
	! grep -q -e "$1" "$2" || { echo "unexpected '$1' in $2:"; sed 's/^/| /' "$2"; return 1; }
}
