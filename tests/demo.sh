#!/bin/bash
# make demo: a Gitea-layout repository in a temporary directory, pushgate
# installed with install.sh and the embedded default policy, then real
# pushes accepted and rejected, with what a developer sees.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
. "$top/tests/t/gitea-layout.sh"

demo=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
export HOME=$demo/home GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Dana Developer"
git config --global user.email dana@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false
for v in $(env | sed -n 's/^\(GITEA_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export GITEA_PUSHER_NAME=dana
failures=0

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@" 2>&1 | sed 's/^/  /'; return "${PIPESTATUS[0]}"; }
expect() {
	want=$1
	shift
	run "$@"
	got=$?
	if [ "$want" = accept ] && [ "$got" = 0 ]; then echo "  -> accepted, as the policy says"
	elif [ "$want" = reject ] && [ "$got" != 0 ]; then echo "  -> rejected, as the policy says"
	else echo "  -> UNEXPECTED: wanted $want"; failures=$((failures + 1)); fi
}

say "A Gitea repository root with one repository: $demo/gitea-repositories/acme/shop.git"
gitea_layout_repo "$demo/gitea-repositories" acme shop
run "$top/install.sh" --gitea "$demo/gitea-repositories" --prefix "$demo/prefix" --binary "$build/pushgate"
run ls "$repo/hooks/pre-receive.d" "$repo/hooks/update.d"

cd "$demo" && git clone -q "file://$repo" shop 2>/dev/null && cd shop
echo "# shop" >README.md && git add README.md && git commit -q -m "Initial commit"

say "First push creates main and develop"
expect accept git push -q origin main
git branch develop
expect accept git push -q origin develop

say "A feature branch with a good name"
git checkout -q -b feature/cart-total develop
echo "total()" >cart.py && git add cart.py && git commit -q -m "Add cart total"
expect accept git push -q origin feature/cart-total

say "A branch name the team does not use"
git branch Feature/Cart_Total
expect reject git push -q origin Feature/Cart_Total

say "Committing straight to develop and pushing"
git checkout -q develop
echo "quick" >quick.txt && git add quick.txt && git commit -q -m "Quick change"
expect reject git push -q origin develop
git reset -q --hard origin/develop

say "Gitea merges the pull request feature/cart-total -> develop (GITEA_PR_ID set by Gitea)"
git merge -q --no-ff -m "Merge pull request #1 from feature/cart-total" feature/cart-total
GITEA_PR_ID=1 GITEA_PUSH_TRIGGER=pr-merge-to-base expect accept git push -q origin develop

say "A pull request from a feature branch straight into main"
git checkout -q -b feature/shortcut main
echo "x" >x.txt && git add x.txt && git commit -q -m "Shortcut"
git push -q origin feature/shortcut 2>/dev/null
git checkout -q main && git merge -q --no-ff -m "Merge shortcut" feature/shortcut
GITEA_PR_ID=2 GITEA_PUSH_TRIGGER=pr-merge-to-base expect reject git push -q origin main
git reset -q --hard origin/main

say "Release: develop -> main by pull request, then tag it"
git merge -q --no-ff -m "Release 1.0.0" origin/develop
GITEA_PR_ID=3 GITEA_PUSH_TRIGGER=pr-merge-to-base expect accept git push -q origin main
git tag v1.0.0 && expect accept git push -q origin v1.0.0
git tag release-2 && expect reject git push -q origin release-2

say "Rewriting main's history"
git commit -q --amend -m "Rewritten release"
expect reject git push -q --force origin main

echo
if [ "$failures" = 0 ]; then
	echo "demo finished: every push was accepted or rejected as the default policy says."
else
	echo "demo finished with $failures unexpected outcome(s)"
	exit 1
fi
