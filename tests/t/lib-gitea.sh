# lib-gitea.sh - Gitea-layout repositories for end-to-end tests.
#
# gitea_repo OWNER NAME creates $ROOT/OWNER/NAME.git as Gitea lays it out
# (see gitea-layout.sh), then installs pushgate with install.sh, as an
# admin would.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/t/gitea-layout.sh"

ROOT=$TRASH/gitea-repositories
PREFIX=$TRASH/prefix
mkdir -p "$ROOT"

gitea_repo() {
	gitea_layout_repo "$ROOT" "$1" "$2"
	"$TOP/install.sh" --repo "$repo" --prefix "$PREFIX" --binary "$PUSHGATE" >/dev/null
}

# Every ref of a repository, to compare before and after a push.
refs_of() {
	git -C "$1" for-each-ref --format='%(objectname) %(refname)'
}

# Push and expect a rejection that changed no ref: push_rejected REPO ARGS...
push_rejected() {
	repo=$1
	shift
	refs_of "$repo" >"$TRASH/refs-before"
	test_must_fail git push "$@" >"$TRASH/push.out" 2>&1 || { cat "$TRASH/push.out"; return 1; }
	cat "$TRASH/push.out"
	refs_of "$repo" >"$TRASH/refs-after"
	cmp "$TRASH/refs-before" "$TRASH/refs-after" || { echo "refs changed by a rejected push"; return 1; }
}

# Push and expect success: push_accepted ARGS...
push_accepted() {
	git push "$@" >"$TRASH/push.out" 2>&1 || { cat "$TRASH/push.out"; return 1; }
	cat "$TRASH/push.out"
}

# A commit on the current branch of the work tree in $PWD: commit_file PATH [TEXT]
commit_file() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "${2:-$1 $(date +%s%N)}" >>"$1"
	git add "$1"
	git commit -q -m "change $1"
}
