#!/usr/bin/env bash
# run.sh - `make bench`: pushgate side by side with ripgrep, git, git-secrets
# and secretlint, on corpora it builds itself, every timed run verified.
#
#   bash tests/bench/run.sh [BUILD_DIR]        (make bench)
#   BENCH_QUICK=1 bash tests/bench/run.sh      (make bench BENCH_QUICK=1)
#
# Corpora (cached in ${PUSHGATE_BENCH_CACHE:-$HOME/.cache/pushgate-bench},
# built on the first run; nothing is downloaded but Debian and npm packages):
#   tree     Debian's linux-source-6.1, extracted once, secrets planted
#   history  a bare repository generated from the kernel tree with git
#            fast-import (adds, modifications, renames, deletions, merges),
#            secrets planted in some commits; one with the shape of a
#            long-lived project (small edits to a few hundred big files,
#            repacked with deep delta chains); and a mirror of this
#            repository with one commit of planted secrets on top
#   push     a Gitea-layout bare repository of 100k commits and 10k refs
#            (refs/pull/*/head, feature branches, tags), pushgate installed
#            by install.sh as in production; pushes of planted secrets
# Cases, each run at least 5 times after a warm-up, the contenders
# alternating (tests/bench/timeit.py): tree scan, other scanners on a
# subset, history scan, small push, big push, start-up; then each rule
# alone on the subset (tests/bench/rule_cost.py). Results go to
# BENCHMARKS.md and BENCHMARKS.json at the top of the tree (quick mode:
# BUILD_DIR/BENCHMARKS.quick.md and .json, so a quick run in CI never
# replaces the full results). BENCH_QUICK=1 uses small corpora (one kernel
# subdirectory, 2k commits, a 10k-commit push repository with 1k refs).
# BENCH_RUNS=N changes the number of timed runs (at least 5);
# BENCH_PROFILE=0/1 turns the perf profiles off/on (default: on in the
# full run, off in the quick one). BENCH_SECRETLINT=0 leaves secretlint
# out (no npm): CI's network may end at Debian's mirrors.
set -euo pipefail

bench_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$bench_top/$build ;; esac
pushgate=$build/pushgate
quick=${BENCH_QUICK:-0}
with_secretlint=${BENCH_SECRETLINT:-1}
[ "$quick" = 0 ] && quick=""
runs=${BENCH_RUNS:-5}
[ "$runs" -ge 5 ] || { echo "bench: BENCH_RUNS must be at least 5" >&2; exit 2; }
profile=${BENCH_PROFILE:-$([ -n "$quick" ] && echo 0 || echo 1)}

. "$bench_top/tests/bench/lib.sh"

[ -x "$pushgate" ] || die "build $pushgate first (make)"
patterns=$(dirname "$bench_top")/shared/bench/rg_secrets21.txt
[ -r "$patterns" ] || die "$patterns is missing: the shared ripgrep patterns file (rg_secrets21.txt) must sit in ../shared/bench/ next to the repository"
command -v python3 >/dev/null || die "python3 is needed; run: sudo apt-get install -y python3"
need_tools git:git ripgrep:rg git-secrets:git-secrets time:/usr/bin/time xz-utils:xz
[ "$profile" = 1 ] && need_tools linux-perf:perf
pgb_run_build

if [ -n "$quick" ]; then
	mode=quick
	out_md=$build/BENCHMARKS.quick.md
	out_json=$build/BENCHMARKS.quick.json
	tree_sub=fs              # the tree case: one kernel subdirectory
	tools_sub=kernel/sched   # git-secrets and secretlint
	hist_commits=2000 hist_secrets=12
	real_commits=1000 real_files=150 real_secrets=8
	big_push=1000
	push_commits=10000 push_refs=1000
else
	mode=full
	out_md=$bench_top/BENCHMARKS.md
	out_json=$bench_top/BENCHMARKS.json
	tree_sub=""
	tools_sub=kernel
	hist_commits=${BENCH_HISTORY_COMMITS:-20000} hist_secrets=28
	real_commits=${BENCH_REAL_COMMITS:-8000} real_files=300 real_secrets=16
	big_push=5000
	push_commits=${BENCH_PUSH_COMMITS:-100000} push_refs=${BENCH_PUSH_REFS:-10000}
fi

mkdir -p "$bench_cache"
work=$(mktemp -d "$bench_cache/run.XXXXXX")
keep=${PUSHGATE_BENCH_KEEP:-}
trap '[ -n "$keep" ] && echo "# kept $work" || rm -rf "$work"' EXIT
results=$work/results
mkdir -p "$results" "$work/out"
pgb_floor_build
t_start=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "make bench ($mode): $pushgate; cache $bench_cache"
say "load average at start: $load_start"

# A clean, known git and pushgate environment for every command timed.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$work/gitconfig
git config --global user.name "Bench"
git config --global user.email "bench@kernel.invalid"
git config --global init.defaultBranch main
git config --global protocol.file.allow always
git config --global advice.detachedHead false
git secrets --register-aws --global >/dev/null
export PUSHGATE_CACHE_DIR=$work/pgcache   # the compiled-rules cache, warm after the first run
unset PUSHGATE_CONFIG
for v in $(env | sed -n 's/^\(GITEA_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export work pushgate pgb_run bench_top
BENCH_LIB=$bench_top/tests/bench/lib.sh
export BENCH_LIB

timeit() { python3 "$bench_dir/timeit.py" "$pgb_run" "$results"; }
# q STRING: STRING quoted for a timeit.py spec line (shlex / bash).
q() { printf '%q' "$1"; }

# ---- corpora -------------------------------------------------------------
kernel_tree
history_repo "history-$hist_commits" "$hist_commits" 0 200000 2000 "$hist_secrets"
khist_repo=$hist_repo khist_info=$hist_info khist_marks=$hist_marks
big_sha=$(python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))["main"]
print(next(x for x in m if x[1] >= int(sys.argv[2]))[0])' "$khist_info" "$big_push")
big_count=$(python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))["main"]
print(next(x for x in m if x[1] >= int(sys.argv[2]))[1])' "$khist_info" "$big_push")
big_sha=$(mark_sha "$big_sha")
history_repo "realhist-$real_commits" "$real_commits" 0 400000 "$real_files" "$real_secrets" real
rhist_repo=$hist_repo rhist_info=$hist_info rhist_marks=$hist_marks
history_repo "push-$push_commits-$push_refs" "$push_commits" "$push_refs" 16000 3000 0
push_pristine=$hist_repo
hist_repo=$khist_repo hist_marks=$khist_marks

# This repository's own history: a mirror (a snapshot: others may commit
# while the benchmark runs) plus one commit of planted secrets.
git clone -q --mirror "$bench_top" "$work/self.git"
self_head=$(git -C "$work/self.git" symbolic-ref HEAD)
python3 "$corpus_py" plant-commit "$work/self.git" "$self_head" "$work/self-planted.json"

# Corpus facts for the report.
tree_dir=$kernel${tree_sub:+/$tree_sub}
tools_dir=$kernel/$tools_sub
python3 - "$results/corpus.json" <<PY
import json, os, subprocess, sys
def tree(d):
    files = size = hidden = 0
    for root, dirs, names in os.walk(d):
        for n in names:
            p = os.path.join(root, n)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            s = os.path.getsize(p)
            files += 1; size += s
            if n.startswith(".") or any(x.startswith(".") for x in os.path.relpath(p, d).split("/")[:-1]):
                hidden += s
    return {"files": files, "bytes": size, "hidden_bytes": hidden}
def repo(r):
    g = lambda *a: subprocess.run(["git", "-C", r] + list(a), check=True, stdout=subprocess.PIPE, text=True).stdout
    size = sum(os.path.getsize(os.path.join(dp, n)) for dp, _, ns in os.walk(os.path.join(r, "objects")) for n in ns)
    return {"commits": int(g("rev-list", "--all", "--count")), "refs": len(g("for-each-ref").splitlines()),
            "objects_bytes": size}
def packed(r):
    # The shape of the pack: the blobs, the files of the newest tree, the delta chains.
    g = lambda *a: subprocess.run(["git", "-C", r] + list(a), check=True, stdout=subprocess.PIPE, text=True).stdout
    d = repo(r)
    blobs = depths = 0
    deepest = 0
    for idx in sorted(os.listdir(os.path.join(r, "objects", "pack"))):
        if not idx.endswith(".idx"):
            continue
        for line in g("verify-pack", "-v", os.path.join("objects", "pack", idx)).splitlines():
            f = line.split()
            if len(f) >= 7 and f[1] == "blob":
                blobs += 1
                if len(f) >= 7 and f[5].isdigit() and len(f) == 7:
                    depths += int(f[5])
                    deepest = max(deepest, int(f[5]))
    files = len(g("ls-tree", "-r", "--name-only", "HEAD").splitlines())
    d.update(blobs=blobs, files=files, max_depth=deepest, mean_depth=depths / max(blobs, 1),
             merges=int(g("rev-list", "--all", "--merges", "--count")))
    return d
json.dump({
    "mode": "$mode",
    "tree": dict(tree("$tree_dir"), path="linux-source-6.1/$tree_sub", planted=sum(1 for p in json.load(open("$kernel_manifest")) if p["path"].startswith("$tree_sub"))),
    "tools": dict(tree("$tools_dir"), path="linux-source-6.1/$tools_sub"),
    "history": dict(repo("$khist_repo"), planted=len(json.load(open("$khist_info"))["planted"])),
    "history_real": dict(packed("$rhist_repo"), planted=len(json.load(open("$rhist_info"))["planted"])),
    "self": dict(repo("$work/self.git"), planted=len(json.load(open("$work/self-planted.json"))["planted"])),
    "push": repo("$push_pristine"),
    "big_push": {"commits": $big_count, "planted": sum(1 for p in json.load(open("$khist_info"))["planted"] if p["seq"] <= $big_count)},
}, open(sys.argv[1], "w"), indent=1)
PY

# ---- 1. tree scan ---------------------------------------------------------
cores=$(nproc)
o=$work/out
tree_under=${tree_sub:+--under $tree_sub}
timeit <<SPEC
case tree
title Tree scan of linux-source-6.1${tree_sub:+/$tree_sub}: full default rules against ripgrep with 21 patterns and the I/O floor
runs $runs
contender pg_jall pushgate scan --jobs $cores
cmd $pushgate scan --format json --jobs $cores $(q "$tree_dir")
stdout $o/tree-pg.json
verify [ "\$BENCH_RC" = 1 ]; python3 $corpus_py verify-report $o/tree-pg.json $kernel_manifest $tree_under
contender pg_j1 pushgate scan --jobs 1
cmd $pushgate scan --format json --jobs 1 $(q "$tree_dir")
stdout $o/tree-pg.json
verify [ "\$BENCH_RC" = 1 ]; python3 $corpus_py verify-report $o/tree-pg.json $kernel_manifest $tree_under
contender rg rg -f rg_secrets21.txt
cmd rg -f $(q "$patterns") $(q "$tree_dir")
stdout $o/tree-rg.out
verify [ "\$BENCH_RC" = 0 ]; python3 $corpus_py verify-text $o/tree-rg.out $kernel_manifest $tree_under
contender rg_j1 rg -j1 -f rg_secrets21.txt
cmd rg -j1 -f $(q "$patterns") $(q "$tree_dir")
stdout $o/tree-rg.out
verify [ "\$BENCH_RC" = 0 ]; python3 $corpus_py verify-text $o/tree-rg.out $kernel_manifest $tree_under
contender rg_floor rg -F NEVERMATCHES_3f9a (I/O floor)
cmd rg -F NEVERMATCHES_3f9a $(q "$tree_dir")
stdout $o/tree-floor.out
verify [ "\$BENCH_RC" = 1 ] && [ ! -s $o/tree-floor.out ]
SPEC

# ---- 2. other scanners, on a subset ----------------------------------------
secretlint_spec=
if [ "$with_secretlint" = 1 ]; then
	node_tools
	secretlint_spec="contender secretlint secretlint (preset-recommend)
cmd $secretlint --secretlintrc $secretlintrc --format json $tools_sub/**/*
cwd $kernel
stdout $o/tools-sl.json
verify [ \"\$BENCH_RC\" = 1 ]; python3 $corpus_py verify-secretlint $o/tools-sl.json $kernel_manifest --root $(q "$kernel") --under $tools_sub --kinds ghp,glpat,slack,npm"
fi
timeit <<SPEC
case tools
title Other scanners on linux-source-6.1/$tools_sub (pushgate: all default rules; git-secrets: its AWS patterns$([ "$with_secretlint" = 1 ] && echo "; secretlint: preset-recommend"))
runs $runs
contender pg_jall pushgate scan --jobs $cores
cmd $pushgate scan --format json --jobs $cores $(q "$tools_dir")
stdout $o/tools-pg.json
verify [ "\$BENCH_RC" = 1 ]; python3 $corpus_py verify-report $o/tools-pg.json $kernel_manifest --under $tools_sub
contender git_secrets git secrets --scan -r (AWS patterns)
cmd git secrets --scan -r $tools_sub
cwd $kernel
stdout $o/tools-gs.out
stderr &1
verify [ "\$BENCH_RC" = 1 ]; python3 $corpus_py verify-text $o/tools-gs.out $kernel_manifest --under $tools_sub --kinds aws
$secretlint_spec
SPEC

# ---- 3. history scan -------------------------------------------------------
# BENCH_BASELINE=BINARY adds another pushgate build (the one before a
# change; BENCH_BASELINE_NAME labels it) to the history cases, side by
# side in the same rounds.
hist_case() {
	local id=$1 title=$2 repo=$3 check=$4 baseline_spec=
	if [ -n "${BENCH_BASELINE:-}" ]; then
		baseline_spec="contender pg_base_j1 ${BENCH_BASELINE_NAME:-baseline} scan --git --jobs 1
cmd $BENCH_BASELINE scan --git --jobs 1 --format json --repo $(q "$repo")
stdout $o/$id-base1.json
verify [ \"\$BENCH_RC\" = 1 ]; python3 $corpus_py verify-report $o/$id-base1.json $check
contender pg_base ${BENCH_BASELINE_NAME:-baseline} scan --git
cmd $BENCH_BASELINE scan --git --format json --repo $(q "$repo")
stdout $o/$id-base.json
verify [ \"\$BENCH_RC\" = 1 ]; python3 $corpus_py verify-report $o/$id-base.json $check"
	fi
	timeit <<SPEC
case $id
title $title
runs $runs
contender pg_git pushgate scan --git
cmd $pushgate scan --git --format json --repo $(q "$repo")
stdout $o/$id-pg.json
verify [ "\$BENCH_RC" = 1 ]; python3 $corpus_py verify-report $o/$id-pg.json $check
contender pg_git_j1 pushgate scan --git --jobs 1
cmd $pushgate scan --git --jobs 1 --format json --repo $(q "$repo")
stdout $o/$id-pg1.json
verify [ "\$BENCH_RC" = 1 ]; python3 $corpus_py verify-report $o/$id-pg1.json $check; [ ! -e $o/$id-pg.json ] || cmp -s $o/$id-pg.json $o/$id-pg1.json || python3 -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); [d["stats"].pop("seconds") for d in (a, b)]; sys.exit(a != b)' $o/$id-pg.json $o/$id-pg1.json
$baseline_spec
contender log_rg git log -p -U0 --all | rg -f rg_secrets21.txt
cmd bash -c $(q "set -o pipefail; git -C $(q "$repo") log -p -U0 --all | rg -f $(q "$patterns")")
stdout $o/$id-rg.out
verify [ "\$BENCH_RC" = 0 ]; python3 $corpus_py verify-text $o/$id-rg.out ${check%% *}
contender log git log -p -U0 --all > /dev/null
cmd git -C $(q "$repo") log -p -U0 --all
stdout /dev/null
verify [ "\$BENCH_RC" = 0 ]
SPEC
}
hist_case history "History scan of a generated repository ($hist_commits commits from the kernel tree)" \
	"$khist_repo" "$khist_info --marks $khist_marks"
hist_case history_real "History scan of a generated repository with the shape of a long-lived project ($real_commits commits, deep delta chains)" \
	"$rhist_repo" "$rhist_info --marks $rhist_marks"
hist_case history_self "History scan of this repository (a mirror, one commit of planted secrets on top)" \
	"$work/self.git" "$work/self-planted.json"

# ---- 4. small push ----------------------------------------------------------
export GITEA_PUSHER_NAME=bench-dev GITEA_PUSHER_ID=7 GITEA_PUSHER_EMAIL=dev@kernel.invalid
export GITEA_REPO_USER_NAME=bench GITEA_REPO_ID=1 GITEA_REPO_IS_WIKI=false GITEA_KEY_ID=3
names=w$(seq -s, 0 "$runs" | sed 's/^0//')
new_push_repo pg small-pg "$push_pristine"
new_push_repo noop small-noop "$push_pristine"
pg_small=$work/gitea/bench/small-pg.git noop_small=$work/gitea/bench/small-noop.git
git init -q --bare "$work/client.git"
echo "$push_pristine/objects" >"$work/client.git/objects/info/alternates"
base=$(git -C "$push_pristine" rev-parse refs/heads/main)
python3 "$corpus_py" push-commits "$work/client.git" "$base" "$kernel" "$work/small.json" --names "$names"
push="git -C $work/client.git push -q"
hook_metrics="python3 $corpus_py hook-metrics"
timeit <<SPEC
case push_small
title Small push (1 commit, 3 files) to a new feature branch of a Gitea repository of $push_commits commits and $push_refs refs
runs $runs
contender pg pushgate installed
cmd $push file://$pg_small bench/clean-{run}:refs/heads/feature/bench-{run}
stderr $o/push-small-pg.err
env GITEA_REPO_NAME=small-pg
verify [ "\$BENCH_RC" = 0 ]; [ "\$(git -C $pg_small rev-parse feature/bench-{run})" = "\$(git -C $work/client.git rev-parse bench/clean-{run})" ]; $hook_metrics $pg_small
contender noop no-op pre-receive.d and update.d hook
cmd $push file://$noop_small bench/clean-{run}:refs/heads/feature/bench-{run}
stderr $o/push-small-noop.err
env GITEA_REPO_NAME=small-noop
verify [ "\$BENCH_RC" = 0 ]; [ "\$(git -C $noop_small rev-parse feature/bench-{run})" = "\$(git -C $work/client.git rev-parse bench/clean-{run})" ]; $hook_metrics $noop_small
contender pg_secret pushgate installed, the same push with 3 planted secrets (rejected)
cmd $push file://$pg_small bench/secret-{run}:refs/heads/feature/leak-{run}
stderr $o/push-small-secret.err
env GITEA_REPO_NAME=small-pg
verify [ "\$BENCH_RC" = 1 ]; [ -z "\$(git -C $pg_small for-each-ref refs/heads/feature/leak-{run})" ]; grep -q 'secrets in the pushed commits (3)' $o/push-small-secret.err; python3 $corpus_py verify-audit $pg_small/audit.jsonl $work/small.json --select {run}; $hook_metrics $pg_small
SPEC

# ---- 5. big push into an empty repository ------------------------------------
timeit <<SPEC
case push_big
title Push of $big_count commits (the first of the generated history) into an empty Gitea repository
runs $runs
contender pg pushgate installed (rejects: the commits carry planted secrets)
prepare rm -rf $work/gitea/bench/big-*; source \$BENCH_LIB; new_push_repo pg big-pg-{run}
cmd git -C $(q "$khist_repo") push -q file://$work/gitea/bench/big-pg-{run}.git $big_sha:refs/heads/main
stderr $o/push-big-pg.err
env GITEA_REPO_NAME=big-pg
verify [ "\$BENCH_RC" = 1 ]; [ -z "\$(git -C $work/gitea/bench/big-pg-{run}.git for-each-ref refs/heads/main)" ]; python3 $corpus_py verify-audit $work/gitea/bench/big-pg-{run}.git/audit.jsonl $khist_info --max-seq $big_count; $hook_metrics $work/gitea/bench/big-pg-{run}.git
contender noop no-op pre-receive.d and update.d hook
prepare rm -rf $work/gitea/bench/big-*; source \$BENCH_LIB; new_push_repo noop big-noop-{run}
cmd git -C $(q "$khist_repo") push -q file://$work/gitea/bench/big-noop-{run}.git $big_sha:refs/heads/main
stderr $o/push-big-noop.err
env GITEA_REPO_NAME=big-noop
verify [ "\$BENCH_RC" = 0 ]; [ "\$(git -C $work/gitea/bench/big-noop-{run}.git rev-parse main)" = $big_sha ]; $hook_metrics $work/gitea/bench/big-noop-{run}.git
SPEC
rm -rf "$work"/gitea/bench/big-*

# ---- 6. start-up ---------------------------------------------------------------
mkdir -p "$work/small"
python3 "$corpus_py" small-file "$kernel" "$work/small/config.c" "$work/small.planted.json"
timeit <<SPEC
case startup
title Start-up: pushgate scan of one small file (a few hundred bytes, one planted secret)
runs $runs
contender warm warm compiled-rules cache
cmd $pushgate scan --format json config.c
cwd $work/small
stdout $o/startup-warm.json
verify [ "\$BENCH_RC" = 1 ]; python3 $corpus_py verify-report $o/startup-warm.json $work/small.planted.json
contender cold cold cache (compiles the rules)
prepare rm -rf $work/coldcache
cmd $pushgate scan --format json config.c
cwd $work/small
env PUSHGATE_CACHE_DIR=$work/coldcache
stdout $o/startup-cold.json
verify [ "\$BENCH_RC" = 1 ]; [ -n "\$(ls -A $work/coldcache)" ]; python3 $corpus_py verify-report $o/startup-cold.json $work/small.planted.json
contender rg rg -f rg_secrets21.txt (process start reference)
cmd rg -f $(q "$patterns") config.c
cwd $work/small
stdout $o/startup-rg.out
verify [ "\$BENCH_RC" = 0 ]; python3 $corpus_py verify-text $o/startup-rg.out $work/small.planted.json
contender version pushgate version (its libraries and its own start, no rules)
cmd $pushgate version
verify [ "\$BENCH_RC" = 0 ]
contender floor_init an empty program linked as pushgate is, calling git_libgit2_init()
cmd $floor_init
verify [ "\$BENCH_RC" = 0 ]
contender floor_libs an empty program linked as pushgate is (its libraries loaded)
cmd $floor_libs
verify [ "\$BENCH_RC" = 0 ]
contender floor_none an empty program, no libraries
cmd $floor_none
verify [ "\$BENCH_RC" = 0 ]
SPEC

# ---- 7. profiles ----------------------------------------------------------------
if [ "$profile" = 1 ]; then
	mkdir -p "$results/profiles"
	if perf record -q -o "$work/perf.test" true >/dev/null 2>&1; then
		prof() {
			local name=$1
			shift
			say "profiling $name"
			perf record -q -F 199 --call-graph dwarf,16384 -o "$work/perf.$name" -- "$@" >/dev/null 2>&1 || true
			{
				echo "== self time (perf report --no-children --sort dso,symbol)"
				perf report -i "$work/perf.$name" --stdio --no-children --sort dso,symbol --percent-limit 1.5 2>/dev/null |
					grep -E '^ +[0-9.]+%' | head -15
				echo "== inclusive time of named functions (perf report --children --sort symbol)"
				perf report -i "$work/perf.$name" --stdio --children --sort symbol --percent-limit 3 2>/dev/null |
					grep -E '^ +[0-9.]+% +[0-9.]+% +\[\.\] [A-Za-z_]' | grep -v -E '\] (_start|__libc_start|main )' | head -25
			} | sed 's/[[:space:]]*$//' >"$results/profiles/$name.txt"
			rm -f "$work/perf.$name"
		}
		prof tree_j1 "$pushgate" scan --format json --jobs 1 "$tree_dir"
		prof history "$pushgate" scan --git --format json --repo "$khist_repo"
		prof history_real_j1 "$pushgate" scan --git --jobs 1 --format json --repo "$rhist_repo"
		# The big push's hook, run directly in the quarantine-less case:
		# the pushed objects are in the repository, no ref names them.
		new_push_repo noop prof-big
		git -C "$khist_repo" push -q "$work/gitea/bench/prof-big.git" "$big_sha:refs/bench/tmp"
		git -C "$work/gitea/bench/prof-big.git" update-ref -d refs/bench/tmp
		rm -f "$work"/gitea/bench/prof-big.git/bench-*
		echo "0000000000000000000000000000000000000000 $big_sha refs/heads/main" >"$work/prof-big.stdin"
		(cd "$work/gitea/bench/prof-big.git" && export GIT_DIR=. GITEA_REPO_NAME=prof-big &&
			prof push_big_hook "$pushgate" pre-receive <"$work/prof-big.stdin")
	else
		echo "perf cannot record here (perf_event_paranoid?): no profiles" >"$results/profiles/none.txt"
	fi
fi

# ---- recall ---------------------------------------------------------------------------
say "recall on the labelled corpus"
PUSHGATE_CACHE_DIR="$bench_cache/recall-cache" python3 "$bench_top/tests/corpus/recall/score.py" \
	"$pushgate" >"$results/recall.md" || die "tests/corpus/recall/score.py failed"

# ---- the cost of each rule ----------------------------------------------------------------
say "the cost of each rule, one at a time, on ${tools_dir#"$bench_cache"/}"
python3 "$bench_dir/rule_cost.py" "$pushgate" "$tools_dir" "$results/rule_cost" ||
	die "tests/bench/rule_cost.py failed"

# ---- report -------------------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average at end: $load_end"
{
	machine_facts
	echo "load_start=$load_start"
	echo "load_end=$load_end"
	echo "uptime_end=$(uptime)"
	echo "seconds=$(($(date +%s) - t_start))"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "mode=$mode"
	echo "runs=$runs"
	echo "pushgate=$("$pushgate" version | sed -n 1p)"
	echo "bench_cache=$bench_cache"
	echo "bench_top=$bench_top"
	echo "commit=$(git -C "$bench_top" rev-parse --short HEAD 2>/dev/null)$(git -C "$bench_top" diff --quiet HEAD 2>/dev/null || echo '+uncommitted changes')"
	echo "ripgrep=$(rg --version | sed -n 1p)"
	echo "git=$(git --version)"
	echo "git_secrets=$(dpkg-query -W -f '${Version}' git-secrets 2>/dev/null)"
	echo "secretlint=$([ "$with_secretlint" = 1 ] && "$secretlint" --version || echo "not run")"
	echo "hyperscan=$(pkg-config --modversion libhs 2>/dev/null)"
	echo "libgit2=$(pkg-config --modversion libgit2 2>/dev/null)"
} >"$results/machine.env"
python3 "$bench_dir/report.py" "$results" "$out_md" "$out_json"
say "wrote $out_md and $out_json in $(($(date +%s) - t_start)) s"
