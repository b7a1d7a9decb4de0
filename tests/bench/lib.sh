# lib.sh - helpers of tests/bench/run.sh (sourced; bash).
#
# Tools, the cache directory and the corpora that take long to build:
# everything here is built once and reused from
# ${PUSHGATE_BENCH_CACHE:-$HOME/.cache/pushgate-bench}; a stamp file next
# to each corpus records how it was made, and a corpus whose recipe
# changed is rebuilt.

bench_cache=${PUSHGATE_BENCH_CACHE:-$HOME/.cache/pushgate-bench}
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus_py=$bench_dir/corpus.py

say() { printf '# %s\n' "$*"; }
die() {
	printf 'bench: %s\n' "$*" >&2
	exit 2
}

# need_tools PKG:CMD... installs the Debian packages whose command is
# missing (as root), or stops with the exact command to run.
need_tools() {
	local missing=() spec
	for spec in "$@"; do
		command -v "${spec#*:}" >/dev/null 2>&1 || missing+=("${spec%%:*}")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
			die "apt-get install -y ${missing[*]} failed"
	else
		die "missing tools; run: sudo apt-get install -y ${missing[*]}"
	fi
}

# need_file PATH [PKG]: the Debian package that ships PATH.
need_file() {
	[ -e "$1" ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing $2"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null ||
			die "apt-get install -y $2 failed"
	else
		die "$1 missing; run: sudo apt-get install -y $2"
	fi
	[ -e "$1" ] || die "$1 still missing after installing $2"
}

# stamp_ok DIR RECIPE: DIR was built by RECIPE.
stamp_ok() { [ -f "$1/.bench-stamp" ] && [ "$(cat "$1/.bench-stamp")" = "$2" ]; }
stamp_set() { printf '%s\n' "$2" >"$1/.bench-stamp"; }

# Bump when corpus.py's plant-tree changes (the planted tree is rebuilt)
# or its history generator does (the repositories are).
plant_version=2
gen_version=2

# kernel_tree: extract Debian's linux-source-6.1 once into the cache and
# plant secrets in it; sets $kernel (the tree) and $kernel_manifest. The
# tree is the corpus itself: nothing else writes into it.
kernel_tree() {
	local tarball=/usr/src/linux-source-6.1.tar.xz recipe dir
	need_file "$tarball" linux-source-6.1
	need_tools xz-utils:xz
	recipe="$(stat -c '%s %Y' "$tarball") plant=$plant_version"
	dir=$bench_cache/kernel
	kernel=$dir/linux-source-6.1
	kernel_manifest=$dir/planted.json
	if ! stamp_ok "$dir" "$recipe"; then
		say "extracting $tarball into $dir (once)"
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -C "$dir" -xJf "$tarball"
		[ -d "$kernel" ] || die "$tarball has no linux-source-6.1/ directory"
		say "planting secrets in the kernel tree"
		python3 "$corpus_py" plant-tree "$kernel" "$kernel_manifest"
		stamp_set "$dir" "$recipe"
	fi
}

# history_repo NAME COMMITS REFS MAXFILE INITIAL SECRETS [SHAPE]: a bare
# repository generated from the kernel tree with git fast-import; sets
# $hist_repo, $hist_info (corpus.py's INFO) and $hist_marks (mark -> commit
# id). SHAPE "real" (corpus.py --shape real) is packed the way `git gc
# --aggressive` leaves a long-lived project: deep delta chains whose bases
# are the newest versions.
history_repo() {
	local name=$1 commits=$2 refs=$3 maxfile=$4 initial=$5 secrets=$6 shape=${7:-mixed} recipe dir t0
	recipe="v$gen_version commits=$commits refs=$refs maxfile=$maxfile initial=$initial secrets=$secrets kernel=$(cat "$bench_cache/kernel/.bench-stamp")"
	[ "$shape" = mixed ] || recipe="$recipe shape=$shape"
	dir=$bench_cache/$name
	hist_repo=$dir/repo.git
	hist_info=$dir/info.json
	hist_marks=$dir/marks
	if ! stamp_ok "$dir" "$recipe"; then
		say "generating $name: $commits commits, $refs extra refs (once; git fast-import)"
		t0=$(date +%s)
		rm -rf "$dir"
		mkdir -p "$dir"
		git init -q --bare "$hist_repo"
		git -C "$hist_repo" config gc.auto 0
		python3 "$corpus_py" history "$kernel" "$hist_info" --commits "$commits" \
			--refs "$refs" --max-file "$maxfile" --initial "$initial" --secrets "$secrets" --seed 11 \
			--shape "$shape" |
			git -C "$hist_repo" fast-import --quiet --export-marks="$hist_marks"
		git -C "$hist_repo" update-ref -d refs/bench/tmp 2>/dev/null || true
		git -C "$hist_repo" symbolic-ref HEAD refs/heads/main
		# What a Gitea server's periodic `git gc` leaves: packed refs, one
		# pack, a commit-graph.
		git -C "$hist_repo" pack-refs --all
		if [ "$shape" = real ]; then
			git -C "$hist_repo" repack -a -d -f -q --depth=50 --window=250
		else
			git -C "$hist_repo" repack -a -d -q
		fi
		git -C "$hist_repo" commit-graph write --reachable 2>/dev/null
		stamp_set "$dir" "$recipe"
		say "$name generated in $(($(date +%s) - t0)) s"
	fi
}

# mark_sha MARK: the commit id of a mark of the last history_repo.
mark_sha() { awk -v m=":$1" '$1 == m { print $2 }' "$hist_marks"; }

# node_tools: secretlint and its recommended preset, in the cache.
node_tools() {
	local dir=$bench_cache/node recipe="secretlint+preset-recommend v1"
	secretlint=$dir/node_modules/.bin/secretlint
	need_tools nodejs:node npm:npm
	if ! stamp_ok "$dir" "$recipe" || [ ! -x "$secretlint" ]; then
		say "installing secretlint into $dir (npm)"
		mkdir -p "$dir"
		(cd "$dir" && [ -f package.json ] || echo '{"name":"pushgate-bench","private":true}' >"$dir/package.json")
		npm install --prefix "$dir" --no-audit --no-fund --silent \
			secretlint @secretlint/secretlint-rule-preset-recommend >/dev/null ||
			die "npm install --prefix $dir secretlint @secretlint/secretlint-rule-preset-recommend failed"
		stamp_set "$dir" "$recipe"
	fi
	cat >"$dir/secretlintrc.json" <<'JSON'
{"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}
JSON
	secretlintrc=$dir/secretlintrc.json
}

# pgb_run: build the timer (tests/bench/pgb-run.c) into the cache.
pgb_run_build() {
	# Named for its output (wall, RSS, status, CPU): the cache is shared
	# with checkouts whose timeit.py reads three fields.
	pgb_run=$bench_cache/bin/pgb-run-cpu
	if [ ! -x "$pgb_run" ] || [ "$bench_dir/pgb-run.c" -nt "$pgb_run" ]; then
		mkdir -p "$bench_cache/bin"
		${CC:-cc} -O2 -Wall -Wextra -o "$pgb_run" "$bench_dir/pgb-run.c" || die "cannot build pgb-run"
	fi
}

# The start-up floors (startup-floor.c) into $floor_none, $floor_libs and
# $floor_init, linked with the libraries $build/config.mk gives pushgate.
pgb_floor_build() {
	local libs src=$bench_dir/startup-floor.c
	libs=$(sed -n 's/^DEP_LIBS := //p' "$build/config.mk" 2>/dev/null)
	[ -n "$libs" ] || die "no DEP_LIBS in $build/config.mk: build pushgate with make first"
	floor_none=$work/floor-none floor_libs=$work/floor-libs floor_init=$work/floor-init
	# shellcheck disable=SC2086 # $libs is a list of flags
	${CC:-cc} -O2 -o "$floor_none" "$src" &&
		${CC:-cc} -O2 -o "$floor_libs" "$src" -Wl,--no-as-needed $libs &&
		${CC:-cc} -O2 -DWITH_GIT_INIT -o "$floor_init" "$src" -Wl,--no-as-needed $libs ||
		die "cannot build the start-up floors (tests/bench/startup-floor.c)"
}

# Machine facts, as key=value lines.
machine_facts() {
	local flags
	flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E -x 'sse4_2|avx|avx2|avx512[a-z0-9_]*|bmi2|popcnt' | sort -u | tr '\n' ' ')
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "cores=$(nproc)"
	echo "simd=${flags% }"
	echo "mem_gb=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)"
	echo "kernel=$(uname -r)"
	echo "os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
}

# ---- Gitea-layout repositories for the push cases ------------------------
# (used by run.sh and by the prepare steps of its push cases, which source
# this file with $work, $pushgate, $pgb_run and $bench_top exported)

# wrap_hooks REPO: each hooks/<hook>.d/50-* file becomes a wrapper that
# runs the installed file under pgb-run (wall time, peak RSS of the hook
# process tree, into REPO/bench-<hook>.log) and /usr/bin/time -f %M (into
# REPO/bench-<hook>.rss); the installed file moves to hooks/bench-orig/.
wrap_hooks() {
	local repo=$1 hook f name
	mkdir -p "$repo/hooks/bench-orig"
	for hook in pre-receive update; do
		for f in "$repo/hooks/$hook.d"/50-*; do
			[ -f "$f" ] || continue
			name=${f##*/}
			mv "$f" "$repo/hooks/bench-orig/$hook-$name"
			printf '#!/bin/sh\nexec "%s" "%s" /usr/bin/time -f %%M -a -o "%s" "%s" "$@"\n' \
				"$pgb_run" "$repo/bench-$hook.log" "$repo/bench-$hook.rss" \
				"$repo/hooks/bench-orig/$hook-$name" >"$f"
			chmod +x "$f"
		done
	done
}

# new_push_repo KIND NAME [PRISTINE]: $work/gitea/bench/NAME.git laid out
# as Gitea does (tests/t/gitea-layout.sh), with PRISTINE's objects
# (hard links: git never rewrites a pack) and refs, and either pushgate
# installed by install.sh with an audit log (KIND pg) or a no-op
# pre-receive.d and update.d hook (KIND noop); hooks wrapped for timing.
new_push_repo() {
	local kind=$1 name=$2 pristine=${3:-} repo
	. "$bench_top/tests/t/gitea-layout.sh"
	rm -rf "$work/gitea/bench/$name.git"
	gitea_layout_repo "$work/gitea" bench "$name" >/dev/null
	if [ -n "$pristine" ]; then
		cp -al "$pristine/objects/." "$repo/objects/"
		cp "$pristine/packed-refs" "$repo/packed-refs"
	fi
	git -C "$repo" symbolic-ref HEAD refs/heads/main
	case $kind in
	pg)
		"$bench_top/install.sh" --repo "$repo" --prefix "$work/prefix" --binary "$pushgate" >/dev/null
		printf 'version: 1\nextends: default\naudit_log: %s\n' "$repo/audit.jsonl" >"$repo/pushgate.yml"
		;;
	noop)
		printf '#!/bin/sh\ncat >/dev/null\n' >"$repo/hooks/pre-receive.d/50-noop"
		printf '#!/bin/sh\nexit 0\n' >"$repo/hooks/update.d/50-noop"
		chmod +x "$repo/hooks/pre-receive.d/50-noop" "$repo/hooks/update.d/50-noop"
		;;
	esac
	wrap_hooks "$repo"
}
