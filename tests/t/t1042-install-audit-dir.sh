#!/bin/bash
# install.sh --gitea prepares the audit log's directory: the hooks create
# the log but never its directory, and refuse a bypass they cannot
# record. As root it creates the directory for ROOT's owner (the Gitea
# user), mode 0750, only under root-held parents; otherwise it checks.
. "$(dirname "$0")/lib-gitea.sh"

GUID=65534

inst() {
	"$TOP/install.sh" --prefix "$PREFIX" --binary "$PUSHGATE" "$@"
}

as_gitea() {
	setpriv --reuid $GUID --regid $GUID --clear-groups -- "$@"
}

owner_mode() {
	stat -c "%u:%g %a" "$1"
}

test_expect_success 'setup: a Gitea root owned by the Gitea user' '
	if [ "$(id -u)" != 0 ]; then echo "not root"; fi &&
	chmod 0755 "$TRASH" &&
	git config --global --add safe.directory "*" &&
	mkdir -p "$TRASH/gtmp" && chown $GUID "$TRASH/gtmp" &&
	gitea_repo alice app &&
	chown -R $GUID:$GUID "$ROOT"
'

if [ "$(id -u)" != 0 ] || ! setpriv --reuid $GUID --regid $GUID --clear-groups -- true 2>/dev/null; then
	test_expect_success 'the root cases' '
		test_skip "not root, or setpriv cannot switch to user $GUID"
	'
	test_done
fi

test_expect_success '--audit-log: missing directories are created, the last for the Gitea user' '
	inst --audit-log "$TRASH/var/log/pushgate/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test_grep "created $TRASH/var/log/pushgate for the audit log (owner $GUID:$GUID, mode 0750)" out &&
	test "$(owner_mode "$TRASH/var/log/pushgate")" = "$GUID:$GUID 750" &&
	test "$(owner_mode "$TRASH/var/log")" = "0:0 755" &&
	test "$(owner_mode "$TRASH/var")" = "0:0 755" &&
	test ! -e "$TRASH/var/log/pushgate/audit.jsonl" &&
	test -x "$ROOT/alice/app.git/hooks/pre-receive.d/50-pushgate"
'

test_expect_success 'the Gitea user can now pass policy check and record a bypass' '
	printf "version: 1\nextends: default\nbypass:\n  users: [ops]\naudit_log: %s\n" \
		"$TRASH/var/log/pushgate/audit.jsonl" >policy.yml && chmod 0644 policy.yml &&
	as_gitea "$PUSHGATE" policy check --config "$TRASH/policy.yml" >out 2>err &&
	test ! -s err &&
	cp policy.yml "$ROOT/alice/app.git/pushgate.yml" && chown $GUID "$ROOT/alice/app.git/pushgate.yml" &&
	git clone -q "file://$ROOT/alice/app.git" work 2>/dev/null && cd work &&
	git -C "$ROOT/alice/app.git" config receive.advertisePushOptions true &&
	commit_file a.txt && git branch -m Trunk && chown -R $GUID . &&
	GITEA_PUSHER_NAME=ops as_gitea git push -o pushgate.bypass="release night" origin Trunk >"$TRASH/push.out" 2>&1 &&
	test_grep "policy bypassed by ops" "$TRASH/push.out" &&
	test_grep "\"event\":\"bypass\"" "$TRASH/var/log/pushgate/audit.jsonl" &&
	test "$(stat -c %u "$TRASH/var/log/pushgate/audit.jsonl")" = $GUID
'

test_expect_success 'running it again changes nothing' '
	chmod 0750 "$TRASH/var/log/pushgate" &&
	inst --audit-log "$TRASH/var/log/pushgate/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test_grep_not "created" out && test ! -s err &&
	test "$(owner_mode "$TRASH/var/log/pushgate")" = "$GUID:$GUID 750"
'

test_expect_success 'an existing directory is left alone, with a note when another user owns it' '
	mkdir -p "$TRASH/rootlog" &&
	inst --audit-log "$TRASH/rootlog/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test_grep "note: $TRASH/rootlog (the audit log.s directory) is not owned by $GUID:$GUID" err &&
	test "$(owner_mode "$TRASH/rootlog")" = "0:0 755"
'

test_expect_success '--policy: audit_log is read from the policy, quotes and all' '
	printf "version: 1\naudit_log: \"%s/it'"'"'s/audit.jsonl\"\n" "$TRASH" >quoted.yml &&
	"$PUSHGATE" policy check quoted.yml >printed 2>/dev/null &&
	test_grep "^audit_log: .*it'"''"'s" printed &&
	inst --policy quoted.yml --gitea "$ROOT" >out 2>err &&
	test "$(owner_mode "$TRASH/it'"'"'s")" = "$GUID:$GUID 750"
'

test_expect_success 'no policy file, or one without audit_log: nothing to prepare' '
	inst --policy "$TRASH/no-such-policy.yml" --gitea "$ROOT" >out 2>err &&
	test ! -s err &&
	printf "version: 1\n" >plain.yml &&
	inst --policy plain.yml --gitea "$ROOT" >out 2>err &&
	test ! -s err && test_grep_not created out
'

test_expect_success 'an invalid policy: reported, exit 2, the hooks still installed' '
	printf "version: 1\nnope: 1\n" >bad.yml &&
	rm "$ROOT/alice/app.git/hooks/update.d/50-pushgate" &&
	test_expect_code 2 inst --policy bad.yml --gitea "$ROOT" >out 2>err &&
	test_grep "bad.yml:2:1: unknown key" err &&
	test_grep "bad.yml is not a valid policy" err &&
	test -x "$ROOT/alice/app.git/hooks/update.d/50-pushgate"
'

test_expect_success 'a parent the Gitea user owns, or a linked one, is refused: nothing created or chowned' '
	mkdir -p "$TRASH/gitea-home" && chown $GUID "$TRASH/gitea-home" &&
	test_expect_code 2 inst --audit-log "$TRASH/gitea-home/log/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test_grep "$TRASH/gitea-home is not a root-owned directory only root can write" err &&
	test ! -e "$TRASH/gitea-home/log" &&
	mkdir -p "$TRASH/elsewhere" &&
	ln -s "$TRASH/elsewhere" "$TRASH/linked" &&
	test_expect_code 2 inst --audit-log "$TRASH/linked/log/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test_grep "$TRASH/linked is a symbolic link" err &&
	test -z "$(ls -A "$TRASH/elsewhere")" &&
	test_expect_code 2 inst --audit-log "$TRASH/linked/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test_grep "$TRASH/linked is a symbolic link" err &&
	test "$(owner_mode "$TRASH/elsewhere")" = "0:0 755"
'

test_expect_success 'relative and dot-dot paths are refused' '
	test_expect_code 2 inst --audit-log logs/audit.jsonl --gitea "$ROOT" 2>err &&
	test_grep "is relative" err &&
	test_expect_code 2 inst --audit-log "$TRASH/var/../x/audit.jsonl" --gitea "$ROOT" 2>err &&
	test_grep "without . or .. components" err && test ! -e "$TRASH/x"
'

test_expect_success 'not root: only checked, and a missing directory is a failure' '
	chown -R $GUID "$PREFIX" &&
	export TMPDIR="$TRASH/gtmp" &&
	test_expect_code 2 as_gitea "$TOP/install.sh" --prefix "$PREFIX" --binary "$PUSHGATE" \
		--audit-log "$TRASH/nowhere/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test_grep "$TRASH/nowhere does not exist or .* cannot write to it" err &&
	as_gitea "$TOP/install.sh" --prefix "$PREFIX" --binary "$PUSHGATE" \
		--audit-log "$TRASH/var/log/pushgate/audit.jsonl" --gitea "$ROOT" >out 2>err &&
	test ! -s err
'

test_expect_success '--uninstall and --repo leave audit directories alone' '
	inst --audit-log "$TRASH/unused/audit.jsonl" --repo "$ROOT/alice/app.git" >out &&
	inst --uninstall --audit-log "$TRASH/unused/audit.jsonl" --gitea "$ROOT" >out &&
	test ! -e "$TRASH/unused"
'

test_done
