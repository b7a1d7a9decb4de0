#!/bin/sh
# Run every unit test binary and every end-to-end script, two at a time,
# then print each failure's log and one summary line: "N passed, N failed".
# Each test is one "ok"/"not ok" line (TAP); a program that dies without
# reporting counts as one failure.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
logs=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-run.XXXXXX")
jobs=${PUSHGATE_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
export PUSHGATE_BUILD="$build"
export CMOCKA_MESSAGE_OUTPUT=TAP

list=$(find "$build/tests/unit" -type f -perm -u+x 2>/dev/null | sort)
list="$list $(ls "$top"/tests/t/t[0-9]*.sh 2>/dev/null)"
if [ -n "${T:-}" ]; then
	# T: words, a test runs when its path contains one of them
	list=$(for t in $list; do for w in $T; do
		case $t in *$w*) echo "$t"; break ;; esac
	done; done)
fi

run_one() {
	name=$(echo "$1" | sed "s|^$build/||; s|^$top/||; s|/|_|g")
	case $1 in
	*.sh) bash "$1" >"$logs/$name.log" 2>&1 ;;
	*) "$1" >"$logs/$name.log" 2>&1 ;;
	esac
	echo $? >"$logs/$name.rc"
}

n=0
for t in $list; do
	run_one "$t" &
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		wait
		n=0
	fi
done
wait

passed=0
failed=0
for t in $list; do
	name=$(echo "$t" | sed "s|^$build/||; s|^$top/||; s|/|_|g")
	log=$logs/$name.log
	rc=$(cat "$logs/$name.rc")
	ok=$(grep -c '^ok ' "$log")
	bad=$(grep -c '^not ok ' "$log")
	if [ "$rc" != 0 ] && [ "$bad" = 0 ]; then
		bad=1
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" != 0 ]; then
		echo "--- FAIL: $name (exit $rc)"
		cat "$log"
	else
		echo "ok: $name ($ok)"
	fi
done
rm -rf "$logs"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
