#!/bin/sh
# quick.sh - `make bench-quick`: scanner throughput against ripgrep.
#
# Builds a ~200 MB corpus of C headers (copies of /usr/include, so it is
# the same on every run of a machine) with a few planted fake secrets,
# then times, alternating, 5 runs each after a warm-up:
#   pushgate scan --format json --jobs 1 / --jobs <all CPUs>
#   rg -c -f ../shared/bench/rg_secrets21.txt (same job, regex engine)
#   rg -c -F NEVERMATCHES_3f9a (I/O and walking floor)
# and prints medians, MB/s and ratios, and checks the planted secrets
# were found. Usage: sh tests/bench/quick.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
pushgate=$build/pushgate
patterns=$(dirname "$top")/shared/bench/rg_secrets21.txt
target_mb=${PUSHGATE_BENCH_MB:-200}
runs=5
# PUSHGATE_BENCH_RULES=FILE times another rules file (no spaces in FILE).
rules_opt=${PUSHGATE_BENCH_RULES:+--rules $PUSHGATE_BENCH_RULES}

[ -x "$pushgate" ] || { echo "bench-quick: build $pushgate first"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
corpus=$work/corpus
mkdir -p "$corpus" "$work/cache"

# --- corpus ---------------------------------------------------------------
corpus_bytes() { find "$corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d\n", s }'; }
echo "# building a ${target_mb} MB corpus in $corpus"
(cd /usr/include 2>/dev/null && find . -name '*.h' -type f | LC_ALL=C sort) >"$work/headers"
bytes=0
k=0
while [ "$bytes" -lt $((target_mb * 1000000)) ]; do
	mkdir "$corpus/c$k"
	if [ -s "$work/headers" ]; then
		(cd /usr/include && tar -cf - -T "$work/headers") | (cd "$corpus/c$k" && tar -xf -)
	else
		# No headers here: deterministic source-like text instead.
		awk 'BEGIN { for (i = 0; i < 400000; i++)
			printf "static int value_%d = compute(%d, \"name_%d\"); /* line */\n", i, i * 7, i }' \
			>"$corpus/c$k/gen.c"
	fi
	bytes=$(corpus_bytes)
	k=$((k + 1))
done
# Fake secrets from a fixed seed: the same corpus every time, and no
# secret-looking literal in this script.
mkdir "$corpus/planted"
awk 'BEGIN {
	srand(20240607); b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	an = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for (f = 0; f < 5; f++) {
		s = "AKIA"; for (i = 0; i < 16; i++) s = s substr(b32, int(rand() * 32) + 1, 1)
		t = "ghp_"; for (i = 0; i < 36; i++) t = t substr(an, int(rand() * 62) + 1, 1)
		file = "'"$corpus"'/planted/p" f ".c"
		printf "/* config */\nstatic const char *id = \"%s\";\n", s > file
		printf "int x%d;\nconst char *tok = \"%s\";\n", f, t > file
		close(file)
	}
}'
planted=10
bytes=$(corpus_bytes)
files=$(find "$corpus" -type f | wc -l)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "# corpus: $files files, $mb MB, $planted planted secrets"

# --- machine --------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
cores=$(nproc 2>/dev/null || echo 1)
simd=$(grep -o -w -E 'avx2|avx512[a-z0-9_]*' /proc/cpuinfo 2>/dev/null | sort -u | tr '\n' ' ')
echo "# machine: ${cpu:-unknown CPU}; $cores cores; SIMD: ${simd:-none of avx2/avx512}"
echo "# $("$pushgate" version)"

# --- what to run ----------------------------------------------------------
have_rg=1
if ! command -v rg >/dev/null 2>&1; then
	echo "# note: rg (Debian package ripgrep) not installed: ripgrep runs skipped"
	have_rg=0
elif [ ! -r "$patterns" ]; then
	echo "# note: $patterns missing: ripgrep runs skipped"
	have_rg=0
else
	echo "# $(rg --version 2>/dev/null | sed -n 1p)"
fi

names="pg_j1 pg_jall"
[ "$have_rg" = 1 ] && names="$names rg_secrets rg_j1_secrets rg_floor"

run() {
	case $1 in
	pg_j1) "$pushgate" scan --format json --jobs 1 $rules_opt --cache-dir "$work/cache" "$corpus" >"$work/out.json" ;;
	pg_jall) "$pushgate" scan --format json --jobs "$cores" $rules_opt --cache-dir "$work/cache" "$corpus" >"$work/out.json" ;;
	rg_secrets) rg -c -f "$patterns" "$corpus" >"$work/rg.out" ;;
	rg_j1_secrets) rg -j1 -c -f "$patterns" "$corpus" >"$work/rg.out" ;;
	rg_floor) rg -c -F NEVERMATCHES_3f9a "$corpus" >"$work/rg.out" ;;
	esac
}

describe() {
	case $1 in
	pg_j1) echo "pushgate scan --format json --jobs 1" ;;
	pg_jall) echo "pushgate scan --format json --jobs $cores" ;;
	rg_secrets) echo "rg -c -f rg_secrets21.txt" ;;
	rg_j1_secrets) echo "rg -j1 -c -f rg_secrets21.txt" ;;
	rg_floor) echo "rg -c -F NEVERMATCHES_3f9a (floor)" ;;
	esac
}

now_ns() { date +%s%N; }

# Warm-up: page cache, compiled-rules cache; also the correctness check.
rc=0
for n in $names; do
	run "$n"
	status=$?
	case $n in
	pg_*) [ "$status" -le 1 ] || { echo "# FAIL: $(describe "$n") exited $status"; rc=1; } ;;
	esac
done
found=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(sum(1 for f in r["findings"] if f["path"].startswith("planted/")))' "$work/out.json" 2>/dev/null)
if [ "${found:-0}" = "$planted" ]; then
	echo "# planted secrets found: $found of $planted"
else
	echo "# FAIL: planted secrets found: ${found:-?} of $planted"
	rc=1
fi
total=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/out.json" 2>/dev/null)
echo "# pushgate findings in the corpus: ${total:-?} (headers included)"

i=0
while [ "$i" -lt "$runs" ]; do
	for n in $names; do
		t0=$(now_ns)
		run "$n"
		t1=$(now_ns)
		echo $((t1 - t0)) >>"$work/times.$n"
	done
	i=$((i + 1))
done

median() { sort -n "$1" | sed -n "$(((runs + 1) / 2))p"; }

echo
printf '%-40s %10s %10s %12s\n' "command" "median s" "MB/s" "vs rg -f"
ref=""
[ "$have_rg" = 1 ] && ref=$(median "$work/times.rg_secrets")
for n in $names; do
	m=$(median "$work/times.$n")
	awk -v m="$m" -v b="$bytes" -v ref="$ref" -v name="$(describe "$n")" 'BEGIN {
		s = m / 1e9
		ratio = ref == "" ? "-" : sprintf("%.2fx", m / ref)
		printf "%-40s %10.3f %10.1f %12s\n", name, s, b / 1e6 / s, ratio
	}'
done
echo "# ratio > 1: slower than ripgrep with the same 21 secret patterns"
exit $rc
