#!/bin/sh
# Run every unit test binary and every end-to-end script, two at a time,
# then print each failure's log and one summary line, the last:
# "N passed, N failed, N skipped"; the exit status is 1 on any failure.
#
# Each program writes TAP: one "ok"/"not ok" line per test, a skipped
# test with a "# SKIP reason" directive (cmocka 1.1 writes "not ok N #
# SKIP" for a skip, counted as a skip too), and one plan line "1..N"
# before the first test or after the last. A program fails as a whole
# (one failure more, reported with its name) when it has no plan or more
# than one, runs a number of tests other than its plan, runs none, numbers
# them out of order, or exits non-zero without a "not ok": so a script
# that stops early, a binary that crashes and one never built all fail.
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
logs=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-run.XXXXXX")
jobs=${PUSHGATE_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
export PUSHGATE_BUILD="$build"
export PUSHGATE_SRC="$top"
export CMOCKA_MESSAGE_OUTPUT=TAP

# One binary per unit test source, built or not: a missing one fails.
list=$(for src in "$top"/tests/unit/*/*.c; do
	[ -f "$src" ] || continue
	rel=${src#"$top"/}
	echo "$build/${rel%.c}"
done)
list="$list $(ls "$top"/tests/t/t[0-9]*.sh 2>/dev/null)"
unmatched=
if [ -n "${T:-}" ]; then
	# T: words, a test runs when its path contains one of them
	for w in $T; do
		case " $(echo $list) " in *$w*) ;; *) unmatched="$unmatched $w" ;; esac
	done
	list=$(for t in $list; do for w in $T; do
		case $t in *$w*) echo "$t"; break ;; esac
	done; done)
fi

test_name() {
	echo "$1" | sed "s|^$build/||; s|^$top/||; s|/|_|g"
}

run_one() {
	name=$(test_name "$1")
	case $1 in
	*.sh) bash "$1" >"$logs/$name.log" 2>&1 ;;
	*) "$1" >"$logs/$name.log" 2>&1 ;;
	esac
	echo $? >"$logs/$name.rc"
}

# Read one TAP log: prints "PASSED FAILED SKIPPED PROBLEM...", where the
# problems say why the program fails as a whole (none: it does not).
tap_count() {
	awk -v rc="$2" '
	function problem(s) { problems = problems (problems == "" ? "" : "; ") s }
	/^1\.\.[0-9]+([ \t]|$)/ {
		plans++
		planned = substr($1, 4) + 0
		if (tests > 0)
			plan_after = tests
		next
	}
	/^(not )?ok([ \t]|$)/ {
		tests++
		if (plan_after != "")
			late = 1
		bad = /^not /
		rest = $0
		sub(/^(not )?ok[ \t]*/, "", rest)
		if (rest ~ /^[0-9]+/ && rest + 0 != tests && !misnumbered)
			misnumbered = "test " tests " is numbered " (rest + 0)
		if (toupper(rest) ~ /#[ \t]*SKIP/)
			skipped++
		else if (bad)
			failed++
		else
			passed++
	}
	END {
		if (plans == 0)
			problem("no TAP plan (1..N)")
		else if (plans > 1)
			problem(plans " TAP plans")
		else if (late)
			problem("the plan is neither before the first test nor after the last")
		else if (planned != tests)
			problem("planned " planned " tests, ran " tests)
		if (tests == 0)
			problem("no tests ran")
		if (misnumbered != "")
			problem(misnumbered)
		if (rc != 0 && failed == 0)
			problem("exit status " rc " without a failing test")
		print passed + 0, failed + 0, skipped + 0, problems
	}' "$1"
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
skipped=0
for w in $unmatched; do
	echo "--- FAIL: T word '$w' matches no test"
	failed=$((failed + 1))
done
for t in $list; do
	name=$(test_name "$t")
	log=$logs/$name.log
	rc=$(cat "$logs/$name.rc")
	read -r ok bad skip problems <<-EOF
	$(tap_count "$log" "$rc")
	EOF
	[ -z "$problems" ] || bad=$((bad + 1))
	passed=$((passed + ok))
	failed=$((failed + bad))
	skipped=$((skipped + skip))
	if [ "$bad" != 0 ]; then
		echo "--- FAIL: $name (exit $rc)${problems:+: $problems}"
		cat "$log"
	elif [ "$skip" != 0 ]; then
		echo "ok: $name ($ok, $skip skipped)"
	else
		echo "ok: $name ($ok)"
	fi
done
rm -rf "$logs"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
