#!/bin/bash
# t0110-policy-check-warnings: `pushgate policy check` warns (exit 0,
# FILE:LINE:COL on stderr) about rules that can never apply and about
# on_branch / merge_sources names no rule lets anyone create; an audit
# log the hooks could not write is an error for the effective policy; the
# README's policy example is quiet and lets release branches reach main;
# the documented defaults of the sections the default file leaves out
# are what the binary prints.
. "$(dirname "$0")/lib-gitea.sh"

# Run setpriv as root without the capabilities that ignore file modes.
as_plain_user() {
	setpriv --reuid 65534 --regid 65534 --clear-groups -- "$@"
}

test_expect_success 'the default and the documented shape give no warnings' '
	"$PUSHGATE" policy check >out 2>err && test ! -s err &&
	python3 - "$TOP/docs/policy-format.md" >shape.yml <<-\PY &&
	import sys
	doc = open(sys.argv[1]).read()
	start = doc.index("```yaml") + len("```yaml")
	print(doc[start:doc.index("```", start)])
	PY
	sed -i "s|^audit_log: .*|audit_log: $TRASH/audit.jsonl|" shape.yml &&
	"$PUSHGATE" policy check shape.yml >out 2>err &&
	test ! -s err
'

test_expect_success 'a second match: main after the first can never apply' '
	cat >twice.yml <<-\EOF &&
	version: 1
	extends: default
	branches:
	  - match: main
	    direct_push: deny
	  - match: develop
	  - match: main
	    merge_sources: [develop]
	EOF
	test_expect_code 0 "$PUSHGATE" policy check twice.yml >out 2>err &&
	test_grep "^# source: twice.yml$" out &&
	test_grep "^pushgate: warning: twice.yml:7:12: branch rule .main. (line 7) can never apply: branch rule .main. (line 4) comes first" err &&
	test "$(wc -l <err)" = 1
'

test_expect_success 'wider globs shadow narrower ones; narrower first is fine' '
	cat >globs.yml <<-\EOF &&
	version: 1
	branches:
	  - match: "release/*"
	  - match: "release/2.*"
	  - match: "release/**"
	  - match: "team-?/**"
	  - match: "team-a/x/y"
	  - match: "ops/**/deploy"
	  - match: "ops/deploy"
	  - match: "**"
	  - match: "anything"
	tags:
	  - match: "v*"
	  - match: "v1.*"
	  - match: "x*"
	  - match: "x*/y"
	  - match: "lib-?"
	  - match: "lib-[ab]"
	  - match: "lib-[ab]x"
	EOF
	"$PUSHGATE" policy check globs.yml >out 2>err &&
	cat err &&
	test_grep "globs.yml:4:12: branch rule .release/2\.\*. (line 4) can never apply: branch rule .release/\*. (line 3)" err &&
	test_grep "globs.yml:7:12: branch rule .team-a/x/y. (line 7) can never apply: branch rule .team-?/\*\*. (line 6)" err &&
	test_grep "globs.yml:9:12: branch rule .ops/deploy. (line 9) can never apply: branch rule .ops/\*\*/deploy. (line 8)" err &&
	test_grep "globs.yml:11:12: branch rule .anything. (line 11) can never apply: branch rule .\*\*. (line 10)" err &&
	test_grep "globs.yml:14:12: tag rule .v1\.\*. (line 14) can never apply: tag rule .v\*. (line 13)" err &&
	test_grep "globs.yml:18:12: tag rule .lib-\[ab\]. (line 18) can never apply: tag rule .lib-?. (line 17)" err &&
	test "$(wc -l <err)" = 6
'

test_expect_success 'merge_sources and on_branch that no rule lets anyone create' '
	cat >names.yml <<-\EOF &&
	version: 1
	extends: default
	branches:
	  - match: main
	    merge_sources: [develop, "hotfix/*", "release/*", "feature/Upper", trunk]
	tags:
	  - match: "v*"
	    on_branch: stable
	EOF
	"$PUSHGATE" policy check names.yml >out 2>err &&
	cat err &&
	test_grep "names.yml:5:42: merge_sources .release/\*. of branch rule .main. (line 4): no rule lets anyone create a branch of that name (branch rule .\*\*. (in the default policy) denies creating it)" err &&
	test_grep "names.yml:5:55: merge_sources .feature/Upper. .*branch rule .feature/\*\*. (in the default policy) refuses the name by its name_pattern" err &&
	test_grep "names.yml:5:72: merge_sources .trunk." err &&
	test_grep "names.yml:8:16: on_branch .stable. of tag rule .v\*. (line 7)" err &&
	test "$(wc -l <err)" = 4
'

test_expect_success 'a rule that lets them be created silences those warnings' '
	cat >names-ok.yml <<-\EOF &&
	version: 1
	extends: default
	branches:
	  - match: main
	    merge_sources: [develop, "hotfix/*", "release/*"]
	  - match: "release/*"
	    name_pattern: "^release/[0-9]+\\.[0-9]+$"
	  - match: stable
	tags:
	  - match: "v*"
	    on_branch: stable
	EOF
	"$PUSHGATE" policy check names-ok.yml >out 2>err &&
	test ! -s err
'

test_expect_success 'the hooks ignore the warnings: a push under such a policy works' '
	gitea_repo alice app &&
	cp twice.yml "$ROOT/alice/app.git/pushgate.yml" &&
	git clone -q "file://$ROOT/alice/app.git" work 2>/dev/null &&
	cd work && commit_file README.md && push_accepted origin main &&
	test_grep_not "warning" "$TRASH/push.out"
'

test_expect_success 'audit_log: a missing directory fails the effective check, warns for a FILE' '
	printf "version: 1\naudit_log: %s/no-such-dir/audit.jsonl\n" "$TRASH" >nodir.yml &&
	test_expect_code 2 "$PUSHGATE" policy check --config nodir.yml >out 2>err &&
	test_grep "^audit_log: " out &&
	test_grep "^pushgate: error: audit_log $TRASH/no-such-dir/audit.jsonl: its directory $TRASH/no-such-dir does not exist" err &&
	test_grep "every bypass is refused: create the directory, owned by the user Gitea runs as, mode 0750" err &&
	test_expect_code 2 env PUSHGATE_CONFIG=nodir.yml "$PUSHGATE" policy check >out 2>err &&
	test_grep "does not exist" err &&
	test_expect_code 0 "$PUSHGATE" policy check nodir.yml >out 2>err &&
	test_grep "^pushgate: warning: audit_log .*does not exist.*(an error when checking the effective policy" err &&
	test ! -e no-such-dir
'

test_expect_success 'audit_log: a writable directory passes and no file is left behind' '
	mkdir -p logs &&
	printf "version: 1\naudit_log: %s/logs/audit.jsonl\n" "$TRASH" >ok.yml &&
	"$PUSHGATE" policy check --config ok.yml >out 2>err &&
	test ! -s err &&
	test ! -e logs/audit.jsonl &&
	printf "{}\n" >logs/audit.jsonl &&
	"$PUSHGATE" policy check --config ok.yml >out 2>err &&
	test ! -s err && test "$(cat logs/audit.jsonl)" = "{}"
'

test_expect_success 'audit_log: a symbolic link, a directory, a FIFO are errors' '
	mkdir -p odd && ln -s "$TRASH/logs/audit.jsonl" odd/link.jsonl &&
	mkdir odd/dir.jsonl && mkfifo odd/fifo.jsonl &&
	for f in link dir fifo; do
		printf "version: 1\naudit_log: %s/odd/%s.jsonl\n" "$TRASH" $f >$f.yml &&
		test_expect_code 2 "$PUSHGATE" policy check --config $f.yml >out 2>err || exit 1
	done &&
	test_grep "is not a regular file" err &&
	test_expect_code 2 "$PUSHGATE" policy check --config link.yml 2>err &&
	test_grep "is a symbolic link" err &&
	test_expect_code 2 "$PUSHGATE" policy check --config fifo.yml 2>err &&
	test_grep "is not a regular file" err
'

test_expect_success 'audit_log: what the user running the check cannot write is an error' '
	if ! as_plain_user true 2>/dev/null; then test_skip "setpriv cannot switch users"; fi &&
	mkdir -p ro && chmod 0755 ro && chmod 0755 "$TRASH" &&
	printf "version: 1\naudit_log: %s/ro/audit.jsonl\n" "$TRASH" >ro.yml && chmod 0644 ro.yml &&
	test_expect_code 2 as_plain_user "$PUSHGATE" policy check --config ro.yml >out 2>err &&
	test_grep "this user cannot create files in $TRASH/ro" err &&
	: >ro/audit.jsonl && chmod 0644 ro/audit.jsonl &&
	test_expect_code 2 as_plain_user "$PUSHGATE" policy check --config ro.yml >out 2>err &&
	test_grep "audit_log $TRASH/ro/audit.jsonl cannot be written by this user" err &&
	chown 65534 ro/audit.jsonl &&
	as_plain_user "$PUSHGATE" policy check --config ro.yml >out 2>err &&
	test ! -s err
'

# The README's example, as printed there.
readme_policy() {
	awk '/^    # \/etc\/pushgate\/policy.yml$/ { p = 1 }
	     p && !/^    / { exit }
	     p { sub(/^    /, ""); print }' "$TOP/README.md"
}

test_expect_success 'the README example: quiet, and release/* may reach main' '
	readme_policy >readme.yml &&
	test_grep "^extends: default" readme.yml &&
	sed -i "s|^audit_log: .*|audit_log: $TRASH/logs/audit.jsonl|" readme.yml &&
	"$PUSHGATE" policy check readme.yml >printed.yml 2>err &&
	test ! -s err &&
	sed -n "/^  - match: .main.$/,/^  - match/p" printed.yml >main-rule &&
	test_grep "merge_sources: .*release/\*" main-rule
'

pr_push() {
	GITEA_PR_ID=7 GITEA_PR_INDEX=7 GITEA_PUSH_TRIGGER=pr-merge-to-base \
	GITEA_PUSHER_NAME=alice "$@"
}

test_expect_success 'the README example end to end: a release branch merges into main' '
	gitea_repo alice rel &&
	cp readme.yml "$ROOT/alice/rel.git/pushgate.yml" &&
	git clone -q "file://$ROOT/alice/rel.git" rel 2>/dev/null && cd rel &&
	commit_file README.md && git branch develop &&
	push_accepted origin main develop &&
	git checkout -q -b release/2.4 develop && commit_file version.txt 2.4.0 &&
	push_accepted origin release/2.4 &&
	git checkout -q -b release-bad develop &&
	push_rejected "$ROOT/alice/rel.git" origin release-bad &&
	git checkout -q main && git merge -q --no-ff -m "Merge release/2.4" release/2.4 &&
	pr_push push_accepted origin main
'

test_expect_success 'without the main rule (the old example) the same merge is refused' '
	grep -v "^    \(create\|delete\|force_push\|direct_push\|merge_sources\): \|^  - match: main" readme.yml >old.yml &&
	test_grep_not "release/\*.\]" old.yml &&
	cp old.yml "$ROOT/alice/rel.git/pushgate.yml" &&
	cd rel && git checkout -q release/2.4 && commit_file version.txt 2.4.1 &&
	push_accepted origin release/2.4 &&
	git checkout -q main && git merge -q --no-ff -m "Merge release/2.4 again" release/2.4 &&
	pr_push push_rejected "$ROOT/alice/rel.git" origin main &&
	test_grep "\[merge-source\]" "$TRASH/push.out"
'

test_expect_success 'docs/policy-format.md: the default files:, commits:, workflows: are what policy check prints' '
	awk "/^Sections the embedded default leaves out/ { f = 1; next }
	     f && /^\`\`\`yaml/ { p = 1; next }
	     p && /^\`\`\`/ { exit }
	     p" "$TOP/docs/policy-format.md" >documented &&
	test_grep "^files:" documented && test_grep "^workflows:" documented &&
	"$PUSHGATE" policy check >whole && sed -n "/^files:/,\$p" whole >printed &&
	diff -u documented printed
'

test_done
