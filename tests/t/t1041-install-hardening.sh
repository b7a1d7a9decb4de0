#!/bin/bash
# install.sh runs as root over directories the Gitea user owns: links
# planted at the names it writes must not redirect its writes, no
# executable temporary may be left where Gitea's runner would run it, one
# bad repository must not leave the others unprotected, and a re-run
# without --prefix must not re-point the hooks at another binary.
. "$(dirname "$0")/lib-gitea.sh"

inst() {
	"$TOP/install.sh" --prefix "$PREFIX" --binary "$PUSHGATE" "$@"
}

# Files outside every repository that links point at: they must never change.
outside_setup() {
	printf "precious\n" >"$TRASH/outside" && chmod 0600 "$TRASH/outside" &&
		mkdir -p "$TRASH/outside-dir"
}
outside_unchanged() {
	test "$(cat "$TRASH/outside")" = precious &&
		test "$(stat -c %a "$TRASH/outside")" = 600 &&
		test -z "$(ls -A "$TRASH/outside-dir")" &&
		test ! -e "$TRASH/created-through-link" || {
		echo "a file outside the repositories changed:"
		ls -la "$TRASH/outside" "$TRASH/outside-dir"
		return 1
	}
}

# Our hook file $1 is a real executable file running $2/bin/pushgate.
our_hook() {
	test -f "$1" && test ! -L "$1" && test -x "$1" &&
		grep -q "^exec .$2/bin/pushgate. " "$1" || {
		echo "not our hook for $2: $1"
		ls -la "$1"
		cat "$1"
		return 1
	}
}

# Files Gitea's runner would run in a .d directory, other than ours and Gitea's.
strays_in_d_dirs() {
	find "$1" -path "*/hooks/*.d/*" \( -type f -o -type l \) \
		! -name gitea ! -name 50-pushgate ! -name 40-previous -print
}

test_expect_success 'setup' '
	outside_setup
'

test_expect_success 'links planted at the hook files and the old temporaries are replaced, never written through' '
	R=$TRASH/links && gitea_layout_repo "$R" alice app &&
	d=$R/alice/app.git/hooks &&
	ln -s "$TRASH/outside" "$d/pre-receive.d/50-pushgate" &&
	ln -s "$TRASH/outside-dir" "$d/update.d/50-pushgate" &&
	ln -s "$TRASH/outside" "$d/pre-receive.d/50-pushgate.pushgate-tmp" &&
	ln -s "$TRASH/outside" "$d/update.d/50-pushgate.pushgate-tmp" &&
	mkdir -p "$PREFIX/bin" &&
	ln -s "$TRASH/outside" "$PREFIX/bin/pushgate.pushgate-tmp" &&
	inst --gitea "$R" >out 2>err &&
	outside_unchanged &&
	our_hook "$d/pre-receive.d/50-pushgate" "$PREFIX" &&
	our_hook "$d/update.d/50-pushgate" "$PREFIX" &&
	test_grep "replacing the symbolic link" err &&
	test -z "$(strays_in_d_dirs "$R")" &&
	cmp "$PUSHGATE" "$PREFIX/bin/pushgate"
'

test_expect_success 'a link at the installed binary is replaced, not written through' '
	rm -f "$PREFIX/bin/pushgate" && ln -s "$TRASH/outside" "$PREFIX/bin/pushgate" &&
	inst --repo "$TRASH/links/alice/app.git" >out 2>err &&
	outside_unchanged &&
	test ! -L "$PREFIX/bin/pushgate" && cmp "$PUSHGATE" "$PREFIX/bin/pushgate" &&
	test -x "$PREFIX/bin/pushgate"
'

test_expect_success 'a plain repository: links at the wrapper and its temporary' '
	git init -q --bare plain.git &&
	ln -s "$TRASH/created-through-link" plain.git/hooks/pre-receive &&
	ln -s "$TRASH/outside" plain.git/hooks/update.pushgate-tmp &&
	ln -s "$TRASH/outside" plain.git/hooks/pre-receive.pushgate-tmp &&
	inst --repo plain.git >out 2>err &&
	outside_unchanged &&
	test ! -L plain.git/hooks/pre-receive &&
	test_grep "pushgate hook wrapper" plain.git/hooks/pre-receive &&
	test_grep "pushgate hook wrapper" plain.git/hooks/update &&
	our_hook plain.git/hooks/update.d/50-pushgate "$PREFIX"
'

test_expect_success 'with --force, a link at 40-previous is replaced by the foreign hook' '
	git init -q --bare foreign.git &&
	printf "#!/bin/sh\nexit 0\n" >foreign.git/hooks/pre-receive && chmod +x foreign.git/hooks/pre-receive &&
	mkdir foreign.git/hooks/pre-receive.d &&
	ln -s "$TRASH/outside-dir" foreign.git/hooks/pre-receive.d/40-previous &&
	inst --force --repo foreign.git >out 2>err &&
	outside_unchanged &&
	test -f foreign.git/hooks/pre-receive.d/40-previous &&
	test ! -L foreign.git/hooks/pre-receive.d/40-previous
'

test_expect_success 'a clone: links at the pre-commit hook and its temporaries' '
	git init -q clone &&
	ln -s "$TRASH/created-through-link" clone/.git/hooks/pre-commit &&
	ln -s "$TRASH/outside" clone/.git/hooks/pre-commit.pushgate-tmp &&
	inst --pre-commit clone >out 2>err &&
	outside_unchanged &&
	test ! -L clone/.git/hooks/pre-commit &&
	test_grep "pushgate pre-commit hook" clone/.git/hooks/pre-commit
'

test_expect_success 'a clone: a link at pre-commit.pushgate-previous is replaced with --force' '
	git init -q clone2 &&
	printf "#!/bin/sh\nexit 0\n" >clone2/.git/hooks/pre-commit && chmod +x clone2/.git/hooks/pre-commit &&
	ln -s "$TRASH/outside-dir" clone2/.git/hooks/pre-commit.pushgate-previous &&
	test_expect_code 2 inst --pre-commit clone2 >out 2>err &&
	test_grep "exists already; re-run with --force" err &&
	inst --force --pre-commit clone2 >out 2>err &&
	outside_unchanged &&
	test -f clone2/.git/hooks/pre-commit.pushgate-previous &&
	test ! -L clone2/.git/hooks/pre-commit.pushgate-previous
'

test_expect_success 'a linked hooks or .d directory is refused, not written through' '
	R=$TRASH/linkdirs && gitea_layout_repo "$R" alice app && gitea_layout_repo "$R" bob tool &&
	rm -rf "$R/alice/app.git/hooks/update.d" &&
	ln -s "$TRASH/outside-dir" "$R/alice/app.git/hooks/update.d" &&
	rm -rf "$R/bob/tool.git/hooks" && ln -s "$TRASH/outside-dir" "$R/bob/tool.git/hooks" &&
	test_expect_code 2 inst --gitea "$R" >out 2>err &&
	outside_unchanged &&
	test_grep "alice/app.git/hooks/update.d is a symbolic link" err &&
	test_grep "bob/tool.git/hooks is a symbolic link" err
'

test_expect_success 'a predictable temporary name with a link at it is refused' '
	R=$TRASH/guess && gitea_layout_repo "$R" alice app &&
	mkdir fake && cat >fake/mktemp <<-EOF &&
	#!/bin/sh
	case "\$1" in
	-u) echo "\${2%/*}/.pushgate-tmp.GUESSED" ;;
	*) exec /usr/bin/mktemp "\$@" ;;
	esac
	EOF
	chmod +x fake/mktemp &&
	ln -s "$TRASH/outside" "$R/alice/app.git/hooks/.pushgate-tmp.GUESSED" &&
	PATH=$TRASH/fake:$PATH test_expect_code 2 inst --repo "$R/alice/app.git" >out 2>err &&
	outside_unchanged &&
	test_grep "could not write $R/alice/app.git/hooks/pre-receive.d/50-pushgate" err &&
	test ! -e "$R/alice/app.git/hooks/pre-receive.d/50-pushgate"
'

test_expect_success 'setup: a Gitea root with bad repositories in the middle' '
	R=$TRASH/bad &&
	for r in alice/app alice/lib bob/tool bob/wiki carol/zed; do
		gitea_layout_repo "$R" "${r%/*}" "${r#*/}" || exit 1
	done &&
	rm -rf "$R/alice/lib.git/hooks" && echo not a directory >"$R/alice/lib.git/hooks" &&
	rm -rf "$R/bob/tool.git/hooks/update.d" && echo not a directory >"$R/bob/tool.git/hooks/update.d" &&
	mkdir "$R/bob/wiki.git/hooks/pre-receive.d/50-pushgate"
'

test_expect_success '--gitea does every good repository and names each bad one' '
	R=$TRASH/bad &&
	test_expect_code 2 inst --gitea "$R" >out 2>err &&
	for r in alice/app carol/zed; do
		our_hook "$R/$r.git/hooks/pre-receive.d/50-pushgate" "$PREFIX" &&
		our_hook "$R/$r.git/hooks/update.d/50-pushgate" "$PREFIX" || exit 1
	done &&
	test_grep "alice/lib.git/hooks is not a directory" err &&
	test_grep "bob/tool.git/hooks/update.d is not a directory" err &&
	test_grep "could not write $R/bob/wiki.git/hooks/pre-receive.d/50-pushgate" err &&
	test_grep "3 of 5 targets failed" err &&
	test_grep "hooks installed in $R/carol/zed.git" out
'

test_expect_success 'several --repo: the same' '
	R=$TRASH/bad && rm -rf "$R/alice/app.git/hooks/pre-receive.d/50-pushgate" "$R/carol/zed.git/hooks/update.d/50-pushgate" &&
	test_expect_code 2 inst --repo "$R/alice/app.git" --repo "$R/alice/lib.git" --repo notthere \
		--repo "$R/carol/zed.git" >out 2>err &&
	our_hook "$R/alice/app.git/hooks/pre-receive.d/50-pushgate" "$PREFIX" &&
	our_hook "$R/carol/zed.git/hooks/update.d/50-pushgate" "$PREFIX" &&
	test_grep "alice/lib.git/hooks is not a directory" err &&
	test_grep "notthere: not a bare git repository" err &&
	test_grep "2 of 4 targets failed" err
'

test_expect_success 'a failed run leaves no temporary behind' '
	test -z "$(find "$TRASH/bad" "$TRASH/guess" "$TRASH/links" plain.git foreign.git "$PREFIX" -name "*pushgate-tmp*" ! -name .pushgate-tmp.GUESSED)" &&
	test -z "$(strays_in_d_dirs "$TRASH/bad")"
'

# A fake mv that delivers signal $1 to install.sh as it is about to put a
# hook file in place, as a stopped cron job or a closed terminal would (the
# tests run in the background, where SIGINT is ignored and cannot be
# trapped, so ^C is not tried here; install.sh traps it the same way).
fake_mv() {
	mkdir -p "$TRASH/fake-$1" &&
	cat >"$TRASH/fake-$1/mv" <<-EOF &&
	#!/bin/sh
	case "\$*" in
	*50-pushgate*) kill -$1 \$PPID; sleep 1; exit 1 ;;
	esac
	exec /bin/mv "\$@"
	EOF
	chmod +x "$TRASH/fake-$1/mv"
}

test_expect_success 'an interrupted run (TERM, HUP) leaves no temporary behind' '
	for sig in TERM:143 HUP:129; do
		code=${sig#*:} && sig=${sig%:*} &&
		R=$TRASH/int-$sig && gitea_layout_repo "$R" alice app && fake_mv $sig &&
		test_expect_code $code env PATH="$TRASH/fake-$sig:$PATH" "$TOP/install.sh" --prefix "$PREFIX" \
			--binary "$PUSHGATE" --gitea "$R" >out 2>err &&
		test -z "$(find "$R" -name "*pushgate-tmp*")" &&
		test -z "$(strays_in_d_dirs "$R")" || exit 1
	done
'

test_expect_success 'a run killed outright leaves nothing Gitea would run' '
	R=$TRASH/killed && gitea_layout_repo "$R" alice app && fake_mv KILL &&
	mkdir -p "$TRASH/tmp" &&
	test_expect_code 137 env TMPDIR="$TRASH/tmp" PATH="$TRASH/fake-KILL:$PATH" "$TOP/install.sh" --prefix "$PREFIX" \
		--binary "$PUSHGATE" --gitea "$R" >out 2>err &&
	test -z "$(strays_in_d_dirs "$R")" &&
	for f in $(find "$R" -name "*pushgate-tmp*"); do
		case $f in */hooks/.pushgate-tmp.*) ;; *) echo "temporary at $f"; exit 1 ;; esac
	done
'

test_expect_success 'setup: repositories installed with a non-default prefix' '
	R=$TRASH/pfx && gitea_layout_repo "$R" alice app && gitea_layout_repo "$R" alice lib &&
	"$TOP/install.sh" --prefix "$TRASH/pfx-a" --binary "$PUSHGATE" --gitea "$R" >out &&
	our_hook "$R/alice/app.git/hooks/pre-receive.d/50-pushgate" "$TRASH/pfx-a"
'

test_expect_success 'a re-run without --prefix keeps the installed prefix, for new repositories too' '
	R=$TRASH/pfx && gitea_layout_repo "$R" bob new &&
	{ ls -l /usr/local/bin/pushgate >usr-local-before 2>&1 || true; } &&
	"$TOP/install.sh" --binary "$PUSHGATE" --gitea "$R" >out &&
	test_grep "keeping the installed prefix $TRASH/pfx-a" out &&
	for r in alice/app alice/lib bob/new; do
		our_hook "$R/$r.git/hooks/pre-receive.d/50-pushgate" "$TRASH/pfx-a" &&
		our_hook "$R/$r.git/hooks/update.d/50-pushgate" "$TRASH/pfx-a" || exit 1
	done &&
	{ ls -l /usr/local/bin/pushgate >usr-local-after 2>&1 || true; } &&
	cmp usr-local-before usr-local-after
'

test_expect_success 'hooks that disagree about the prefix: refused without --prefix, nothing changes' '
	R=$TRASH/pfx &&
	"$TOP/install.sh" --prefix "$TRASH/pfx-b" --binary "$PUSHGATE" --repo "$R/alice/lib.git" >out &&
	find "$R" -type f -exec sha1sum {} + | sort >sum-before &&
	test_expect_code 2 "$TOP/install.sh" --binary "$PUSHGATE" --gitea "$R" >out 2>err &&
	test_grep "several prefixes" err && test_grep "$TRASH/pfx-a" err && test_grep "$TRASH/pfx-b" err &&
	test_grep "re-run with --prefix DIR" err &&
	find "$R" -type f -exec sha1sum {} + | sort >sum-after && cmp sum-before sum-after
'

test_expect_success 'an explicit --prefix moves every hook deliberately' '
	R=$TRASH/pfx &&
	"$TOP/install.sh" --prefix "$TRASH/pfx-b" --binary "$PUSHGATE" --gitea "$R" >out &&
	test_grep "moving hooks from $TRASH/pfx-a/bin/pushgate to $TRASH/pfx-b/bin/pushgate" out &&
	for r in alice/app alice/lib bob/new; do
		our_hook "$R/$r.git/hooks/pre-receive.d/50-pushgate" "$TRASH/pfx-b" &&
		our_hook "$R/$r.git/hooks/update.d/50-pushgate" "$TRASH/pfx-b" || exit 1
	done &&
	"$TOP/install.sh" --binary "$PUSHGATE" --gitea "$R" >out &&
	our_hook "$R/alice/app.git/hooks/update.d/50-pushgate" "$TRASH/pfx-b"
'

test_expect_success 'a remembered prefix whose binary is gone is refused' '
	R=$TRASH/pfx && rm "$TRASH/pfx-b/bin/pushgate" &&
	test_expect_code 2 "$TOP/install.sh" --binary "$PUSHGATE" --gitea "$R" >out 2>err &&
	test_grep "run $TRASH/pfx-b/bin/pushgate, which is missing; re-run with --prefix $TRASH/pfx-b" err &&
	test ! -e "$TRASH/pfx-b/bin/pushgate" &&
	"$TOP/install.sh" --prefix "$TRASH/pfx-b" --binary "$PUSHGATE" --gitea "$R" >out &&
	cmp "$PUSHGATE" "$TRASH/pfx-b/bin/pushgate"
'

test_expect_success 'a clone remembers its prefix too' '
	git init -q devclone &&
	"$TOP/install.sh" --prefix "$TRASH/pfx-dev" --binary "$PUSHGATE" --pre-commit devclone >out &&
	"$TOP/install.sh" --binary "$PUSHGATE" --pre-commit devclone >out &&
	grep -q "^exec .$TRASH/pfx-dev/bin/pushgate. pre-commit" devclone/.git/hooks/pre-commit
'

test_expect_success 'the hooks still work after all this' '
	R=$TRASH/pfx && git clone -q "file://$R/bob/new.git" w 2>/dev/null && cd w &&
	commit_file a.txt && git branch -m Bad-Name &&
	push_rejected "$R/bob/new.git" origin Bad-Name &&
	git branch -m main && push_accepted origin main
'

test_done
