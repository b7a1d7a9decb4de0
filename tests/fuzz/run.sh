#!/bin/sh
# Run the libFuzzer targets built by tests/fuzz/fuzz.mk.
#
#   run.sh fuzz BUILD SECONDS TARGET...    fuzz each target in turn on a copy of
#                                          its seeds and past crashes
#                                          (BUILD/corpus/<target>)
#   run.sh regress BUILD 0 TARGET...       run each target once over its seeds
#                                          and tests/fuzz/regress/<target>/
#
# Prints one line per target; exits 1 if any target crashed, leaked, timed
# out or printed a sanitizer report. Logs and crashing inputs stay in
# BUILD/logs and BUILD/artifacts/<target>/. The checked-in corpus is never
# written to.
set -u
mode=$1 build=$2 seconds=$3
shift 3
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

# The Hyperscan cache: compiling the default rules takes seconds.
: "${PUSHGATE_CACHE_DIR:=$top/$build/hs-cache}"
export PUSHGATE_CACHE_DIR
mkdir -p "$PUSHGATE_CACHE_DIR" "$build/logs" && chmod 700 "$PUSHGATE_CACHE_DIR"
# UBSan aborts (fuzz.mk builds with -fno-sanitize-recover); ASan reports leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Per-target libFuzzer options: longer inputs where chunk boundaries matter.
options() {
	case $1 in
	scan) echo "-max_len=16384" ;;
	scan_chunks) echo "-max_len=24576" ;;
	*) echo "-max_len=4096" ;;
	esac
}

sanitizer_report() {
	grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$1"
}

# The first line saying why a target failed: its own check or a sanitizer.
reason() {
	grep -m 1 -E '^fuzz_[a-z_]+: |ERROR: |runtime error:|ALARM:' "$1" | sed 's/^/  /'
}

failed=0
for t in "$@"; do
	bin=$build/fuzz_$t
	log=$build/logs/$t.$mode.log
	seeds=tests/fuzz/corpus/$t
	if [ ! -x "$bin" ]; then
		echo "fuzz_$t: FAIL: $bin not built"
		failed=1
		continue
	fi
	case $mode in
	fuzz)
		work=$build/corpus/$t
		mkdir -p "$work" "$build/artifacts/$t"
		# Seeds and past crashes are copied in; what the fuzzer adds stays in build/.
		# FUZZ_SEEDS_ONLY=1 leaves the past crashes out, to measure while a bug is open.
		regress=tests/fuzz/regress/$t
		if [ "${FUZZ_SEEDS_ONLY:-0}" = 1 ]; then
			for f in "$regress"/*; do
				[ -f "$f" ] && rm -f "$work/$(basename "$f")"
			done
			regress=
		fi
		for d in "$seeds" $regress; do
			[ -d "$d" ] && cp -p "$d"/* "$work"/ 2>/dev/null
		done
		start=$(date +%s)
		"$bin" $(options "$t") -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
			-print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" \
			"$work" >"$log" 2>&1
		rc=$?
		secs=$(( $(date +%s) - start ))
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		persec=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
		final=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
		cov=$(printf '%s\n' "$final" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
		ft=$(printf '%s\n' "$final" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
		corp=$(printf '%s\n' "$final" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
		if [ "$rc" -ne 0 ] || sanitizer_report "$log"; then
			status="FAIL (exit $rc; see $log and $build/artifacts/$t/)"
			failed=1
		else
			status=ok
		fi
		echo "fuzz_$t: ${execs:-?} execs in ${secs}s (${persec:-?}/s), cov: ${cov:-?} ft: ${ft:-?} corp: ${corp:-?}: $status"
		[ "$status" = ok ] || reason "$log"
		;;
	regress)
		# Files, not directories: each input runs once, whole, and nothing is added.
		files=$(find "$seeds" "tests/fuzz/regress/$t" -type f 2>/dev/null | sort)
		n=$(printf '%s\n' "$files" | grep -c .)
		if [ "$n" -eq 0 ]; then
			echo "fuzz_$t: no inputs"
			continue
		fi
		# shellcheck disable=SC2086
		"$bin" -rss_limit_mb=2048 -timeout=10 $files >"$log" 2>&1
		rc=$?
		if [ "$rc" -ne 0 ] || sanitizer_report "$log"; then
			echo "fuzz_$t: $n inputs: FAIL (exit $rc; see $log)"
			grep -E '^Running: ' "$log" | tail -n 1
			reason "$log"
			failed=1
		else
			echo "fuzz_$t: $n inputs: ok"
		fi
		;;
	*)
		echo "run.sh: unknown mode '$mode'" >&2
		exit 2
		;;
	esac
done
exit $failed
