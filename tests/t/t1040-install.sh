#!/bin/bash
# install.sh: one repository, a whole Gitea root, plain git servers,
# idempotence, foreign hooks, uninstall; Gitea's own files never change.
. "$(dirname "$0")/lib-gitea.sh"

inst() {
	"$TOP/install.sh" --prefix "$PREFIX" --binary "$PUSHGATE" "$@"
}

gitea_files_sum() {
	(cd "$ROOT" && find . -path '*/hooks/*' \( -name gitea -o -name pre-receive -o -name update -o -name post-receive \) -type f |
		sort | xargs sha1sum)
}

test_expect_success '--help explains the options and cron for new repositories' '
	"$TOP/install.sh" --help >out && test_grep "[-][-]gitea ROOT" out && test_grep "cron" out
'

test_expect_success 'no target is a usage error' '
	test_expect_code 2 "$TOP/install.sh" --prefix "$PREFIX" 2>err && test_grep "nothing to do" err
'

test_expect_success 'setup: a Gitea root with repositories and a wiki' '
	gitea_repo alice app && gitea_repo alice lib && gitea_repo bob tool &&
	gitea_repo bob tool.wiki && rm "$ROOT/bob/tool.wiki.git/hooks/update.d/50-pushgate" &&
	rm -rf "$ROOT/alice/lib.git/hooks/pre-receive.d/50-pushgate" "$ROOT/alice/lib.git/hooks/update.d/50-pushgate" &&
	gitea_files_sum >sum-before
'

test_expect_success '--gitea installs into every repository and wiki' '
	inst --gitea "$ROOT" >out &&
	for r in alice/app alice/lib bob/tool bob/tool.wiki; do
		test -x "$ROOT/$r.git/hooks/pre-receive.d/50-pushgate" &&
		test -x "$ROOT/$r.git/hooks/update.d/50-pushgate" || exit 1
	done &&
	grep -q "exec .$PREFIX/bin/pushgate. pre-receive" "$ROOT/alice/lib.git/hooks/pre-receive.d/50-pushgate" &&
	grep -q "update \"\$1\" \"\$2\" \"\$3\"" "$ROOT/alice/lib.git/hooks/update.d/50-pushgate" &&
	cmp "$PUSHGATE" "$PREFIX/bin/pushgate"
'

test_expect_success 'Gitea own hook files are untouched' '
	gitea_files_sum >sum-after && cmp sum-before sum-after
'

test_expect_success 'running it again changes nothing' '
	find "$ROOT" "$PREFIX" -type f -newer sum-after >/dev/null &&
	touch -d "2000-01-01" stamp && find "$ROOT" "$PREFIX" -type f -exec touch -d "2001-01-01" {} + &&
	inst --gitea "$ROOT" >out &&
	test_grep_not "installed $PREFIX" out &&
	test -z "$(find "$ROOT" "$PREFIX" -type f -newer stamp -newermt "2002-01-01")"
'

test_expect_success 'the installed hooks reject a bad push in every repository' '
	git clone -q "file://$ROOT/bob/tool.git" work 2>/dev/null && cd work &&
	commit_file a.txt && git branch -m Master &&
	push_rejected "$ROOT/bob/tool.git" origin Master
'

test_expect_success 'a plain git repository gets a .d runner' '
	git init -q --bare plain.git && inst --repo plain.git >out &&
	test_grep "pushgate hook wrapper" plain.git/hooks/pre-receive &&
	git clone -q "file://$TRASH/plain.git" pw 2>/dev/null && cd pw && commit_file x &&
	git branch -m trunk && push_rejected "$TRASH/plain.git" origin trunk &&
	git branch -m main && push_accepted origin main
'

test_expect_success 'a foreign pre-receive hook is refused without --force' '
	git init -q --bare foreign.git &&
	printf "#!/bin/sh\necho foreign ran >&2\nexit 0\n" >foreign.git/hooks/pre-receive &&
	chmod +x foreign.git/hooks/pre-receive &&
	test_expect_code 2 inst --repo foreign.git 2>err &&
	test_grep "not a hooks/pre-receive.d runner; re-run with --force" err &&
	test_grep "foreign ran" foreign.git/hooks/pre-receive
'

test_expect_success 'with --force the foreign hook keeps running from the .d directory' '
	inst --force --repo foreign.git >out &&
	test_grep "foreign ran" foreign.git/hooks/pre-receive.d/40-previous &&
	git clone -q "file://$TRASH/foreign.git" fw 2>/dev/null && cd fw && commit_file y &&
	push_accepted origin main && test_grep "foreign ran" "$TRASH/push.out"
'

test_expect_success '--uninstall removes only pushgate files and restores a foreign hook' '
	inst --uninstall --repo foreign.git --repo "$ROOT/alice/app.git" >out &&
	test_grep "foreign ran" foreign.git/hooks/pre-receive &&
	test ! -e foreign.git/hooks/pre-receive.d/50-pushgate &&
	test ! -e "$ROOT/alice/app.git/hooks/pre-receive.d/50-pushgate" &&
	test -x "$ROOT/alice/app.git/hooks/pre-receive.d/gitea" &&
	gitea_files_sum >sum-final && cmp sum-before sum-final
'

test_expect_success 'a directory that is not a bare repository is refused' '
	mkdir notrepo && test_expect_code 2 inst --repo notrepo 2>err &&
	test_grep "not a bare git repository" err
'

test_done
