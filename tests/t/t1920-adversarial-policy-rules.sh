#!/bin/bash
# Adversarial policies and rules through real pushes: catastrophic
# regexes (PCRE2 limits hit, reported, no hang), a policy file that is
# missing, unreadable, a directory, a FIFO, a symlink (good, dangling,
# looping), invalid YAML at every level, and broken rules files.
# Whatever is wrong, the push is rejected with the reason and no ref
# moves: pushgate never falls back to a weaker policy.
. "$(dirname "$0")/lib-gitea.sh"

REPO=$ROOT/alice/app.git
POLICY=$REPO/pushgate.yml

case $BUILD in */sanitize) SLOW=6 ;; *) SLOW=1 ;; esac

# Run "$@" as root without the capabilities that ignore file modes, so
# that chmod 000 means unreadable here too (a no-op for other users).
without_dac() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --bounding-set -dac_override,-dac_read_search -- "$@"
	else
		"$@"
	fi
}

# push_rejected, bounded in time: a hook that hangs fails the test.
push_rejected_within() {
	local secs=$1 rc
	shift
	refs_of "$REPO" >"$TRASH/refs-before"
	timeout $((secs * SLOW)) git push "$@" >"$TRASH/push.out" 2>&1 && rc=0 || rc=$?
	cat "$TRASH/push.out"
	[ "$rc" != 124 ] || { echo "the push hung (killed after $((secs * SLOW)) s)"; return 1; }
	[ "$rc" != 0 ] || { echo "expected the push to be rejected"; return 1; }
	refs_of "$REPO" >"$TRASH/refs-after"
	cmp "$TRASH/refs-before" "$TRASH/refs-after" || { echo "refs changed by a rejected push"; return 1; }
}

# Let a hook that hangs reading FIFO $1 go (it reads end-of-file), then
# remove the FIFO.
release_fifo() {
	timeout 2 sh -c ': >"$1"' _ "$1" 2>/dev/null
	sleep 0.2
	rm -f "$1"
}

# A new work branch with one new file, for the next push: new_branch NAME [TEXT]
new_branch() {
	git checkout -q -b "$1" develop && commit_file "$1.txt" "${2:-hello}"
}

test_expect_success 'setup' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

# ---- catastrophic regular expressions ----

# (?:a+)+b backtracks exponentially on a run of a's that is not followed
# by b. The line also holds a real match ("aab"): pushgate must neither
# hang nor accept the line without saying that it could not check it.
test_expect_success 'a catastrophic rule regex: the PCRE2 limit is hit, reported, no hang, not accepted' '
	cat >"$TRASH/evil-rules.yml" <<-\EOF &&
	version: 1
	rules:
	  - id: evil-nested
	    description: nested quantifier
	    pattern: (?:a+)+b
	    secret_group: 0
	EOF
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/evil-rules.yml" >"$POLICY" &&
	cd work && git checkout -q -b feature/redos develop &&
	python3 -c "print(\"a\" * 40 + \"c aab\")" >redos.txt && git add redos.txt && git commit -q -m redos &&
	push_rejected_within 20 origin feature/redos &&
	test_grep "evil-nested" "$TRASH/push.out" &&
	test_grep "PCRE2 limit" "$TRASH/push.out"
'

test_expect_success 'the same rule without the catastrophic prefix finds the match (control)' '
	cd work && git checkout -q -b feature/redos-control develop &&
	echo "x aab" >plain.txt && git add plain.txt && git commit -q -m plain &&
	push_rejected_within 20 origin feature/redos-control &&
	test_grep "x \[evil-nested\] plain.txt:1:3 in" "$TRASH/push.out"
'

test_expect_success 'the PCRE2 limit in a pushed tag of a blob (no commits in the push) is not accepted either' '
	printf "version: 1\nextends: default\ntags:\n  - match: \"**\"\nsecrets:\n  rules: %s\n" \
		"$TRASH/evil-rules.yml" >"$POLICY" &&
	cd work && blob=$(python3 -c "print(\"a\" * 40 + \"c aab\")" | git hash-object -w --stdin) &&
	git tag redos-blob "$blob" &&
	push_rejected_within 20 origin refs/tags/redos-blob &&
	test_grep "evil-nested" "$TRASH/push.out" &&
	test_grep "PCRE2 limit" "$TRASH/push.out"
'

test_expect_success 'a catastrophic name_pattern: the branch-name check fails closed, no hang' '
	cat >"$POLICY" <<-\EOF &&
	version: 1
	branches:
	  - match: "**"
	    name_pattern: "^(a|a)+$"
	    name_hint: "only a"
	EOF
	cd work && git branch -f "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" develop &&
	push_rejected_within 20 origin "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" &&
	test_grep "pushgate: error: .*matching limit\|\[branch-name\]" "$TRASH/push.out"
'

test_expect_success 'a catastrophic tag pattern: fails closed, no hang' '
	cat >"$POLICY" <<-\EOF &&
	version: 1
	tags:
	  - match: "**"
	    pattern: "^(x+x+)+y$"
	EOF
	cd work && git tag "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxz" develop &&
	push_rejected_within 20 origin "refs/tags/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxz" &&
	test_grep "pushgate: error: .*matching limit\|\[tag-name\]" "$TRASH/push.out"
'

# ---- the policy file itself ----

test_expect_success 'no policy file: the default applies' '
	rm -f "$POLICY" && cd work && new_branch feature/no-policy &&
	push_accepted origin feature/no-policy && git branch -f No_Policy develop &&
	push_rejected_within 20 origin No_Policy && test_grep "\[branch-name\]" "$TRASH/push.out"
'

test_expect_success '$PUSHGATE_CONFIG naming a missing file is an error, not the default' '
	cd work && new_branch feature/env-missing &&
	PUSHGATE_CONFIG=$TRASH/nope.yml push_rejected_within 20 origin feature/env-missing &&
	test_grep "pushgate: error: .*nope.yml.*no such policy file" "$TRASH/push.out"
'

test_expect_success 'an unreadable policy file rejects every push, naming the file' '
	printf "version: 1\nextends: default\n" >"$POLICY" && chmod 000 "$POLICY" &&
	cd work && new_branch feature/unreadable &&
	if without_dac cat "$POLICY" 2>/dev/null; then echo "still readable"; exit 1; fi &&
	rc=0 && without_dac git push origin feature/unreadable >"$TRASH/push.out" 2>&1 || rc=$?
	cat "$TRASH/push.out" && chmod 644 "$POLICY" &&
	test $rc != 0 &&
	test_must_fail git -C "$REPO" rev-parse --verify -q feature/unreadable &&
	test_grep "pushgate: error: .*pushgate.yml: Permission denied" "$TRASH/push.out"
'

test_expect_success 'a policy path that is a directory rejects (via $PUSHGATE_CONFIG too)' '
	rm -f "$POLICY" && mkdir "$POLICY" &&
	cd work && new_branch feature/dir-policy &&
	push_rejected_within 20 origin feature/dir-policy &&
	test_grep "pushgate: error: .*pushgate.yml: is a directory" "$TRASH/push.out" &&
	rmdir "$POLICY" && mkdir "$TRASH/policy-dir" &&
	PUSHGATE_CONFIG=$TRASH/policy-dir push_rejected_within 20 origin feature/dir-policy &&
	test_grep "pushgate: error: .*policy-dir: is a directory" "$TRASH/push.out"
'

test_expect_success 'a policy path that is a FIFO rejects with a message, and does not hang' '
	mkfifo "$POLICY" &&
	cd work && new_branch feature/fifo-policy &&
	rc=0 && push_rejected_within 5 origin feature/fifo-policy || rc=$?
	release_fifo "$POLICY" && test $rc = 0 &&
	test_grep "pushgate: error: .*pushgate.yml" "$TRASH/push.out"
'

test_expect_success 'a policy symlinked to a good file is used (its freeze applies)' '
	printf "version: 1\nextends: default\nfreeze:\n  branches: [\"feature/*\"]\n  message: via symlink\n" \
		>"$TRASH/real-policy.yml" &&
	ln -s "$TRASH/real-policy.yml" "$POLICY" &&
	cd work && new_branch feature/symlinked &&
	push_rejected_within 20 origin feature/symlinked &&
	test_grep "\[freeze\] .feature/symlinked. is frozen: via symlink" "$TRASH/push.out" &&
	rm "$POLICY"
'

test_expect_success 'a dangling policy symlink rejects every push' '
	ln -s "$TRASH/gone.yml" "$POLICY" &&
	cd work && new_branch feature/dangling &&
	push_rejected_within 20 origin feature/dangling &&
	test_grep "pushgate: error: .*pushgate.yml (repository policy): exists but cannot be opened (dangling symlink?)" "$TRASH/push.out" &&
	rm "$POLICY"
'

test_expect_success 'a policy symlink loop rejects every push' '
	ln -s pushgate.yml "$POLICY" &&
	cd work && new_branch feature/loop &&
	push_rejected_within 20 origin feature/loop &&
	test_grep "pushgate: error: .*pushgate.yml" "$TRASH/push.out" &&
	rm "$POLICY"
'

test_expect_success 'a policy symlinked to /dev/zero is refused at the size limit' '
	ln -s /dev/zero "$POLICY" &&
	cd work && new_branch feature/zero &&
	push_rejected_within 20 origin feature/zero &&
	test_grep "pushgate: error: .*pushgate.yml: larger than 1048576 bytes" "$TRASH/push.out" &&
	rm "$POLICY"
'

# ---- the audit log ----

test_expect_success 'the audit log is created 0600 and holds no secret' '
	printf "version: 1\nextends: default\naudit_log: %s\n" "$TRASH/audit.jsonl" >"$POLICY" &&
	cd work && git checkout -q -B feature/audited develop &&
	printf "k = \"%s\"\n" "$(python3 "$TOP/tests/t/lib-scan.py" ghp)" >k.py && git add k.py && git commit -q -m k &&
	push_rejected_within 20 origin feature/audited &&
	test "$(stat -c %a "$TRASH/audit.jsonl")" = 600 &&
	test_grep "\"event\":\"reject\"" "$TRASH/audit.jsonl" &&
	test_grep_not "ghp_" "$TRASH/audit.jsonl"
'

test_expect_success 'an audit log path that is a symlink is not followed; the verdict stands' '
	echo precious >"$TRASH/audit-victim" && ln -s "$TRASH/audit-victim" "$TRASH/audit-link.jsonl" &&
	printf "version: 1\nextends: default\naudit_log: %s\n" "$TRASH/audit-link.jsonl" >"$POLICY" &&
	cd work && push_rejected_within 20 origin feature/audited &&
	test_grep "x \[github-pat\]" "$TRASH/push.out" &&
	test_grep "could not write the audit log" "$TRASH/push.out" &&
	test "$(cat "$TRASH/audit-victim")" = precious
'

test_expect_success 'an audit log path that is a FIFO does not hang the push' '
	mkfifo "$TRASH/audit-fifo" &&
	printf "version: 1\nextends: default\naudit_log: %s\n" "$TRASH/audit-fifo" >"$POLICY" &&
	cd work && rc=0 && push_rejected_within 5 origin feature/audited || rc=$?
	timeout 2 cat "$TRASH/audit-fifo" >/dev/null 2>&1 || :; sleep 0.2; rm -f "$TRASH/audit-fifo"
	test $rc = 0 && test_grep "x \[github-pat\]" "$TRASH/push.out"
'

# A bypass is "audited" (docs/architecture.md, "A push"): one that cannot be recorded must not
# go through unrecorded.
test_expect_success 'a bypass whose audit record cannot be written is refused' '
	printf "version: 1\nextends: default\nbypass:\n  users: [admin]\naudit_log: %s\n" \
		"$TRASH/no/such/dir/audit.jsonl" >"$POLICY" &&
	cd work && GITEA_PUSHER_NAME=admin \
		push_rejected_within 20 -o "pushgate.bypass=unrecorded" origin feature/audited &&
	test_grep "could not write the audit log" "$TRASH/push.out" &&
	rm "$POLICY"
'

test_expect_success 'a refused bypass does not also claim to be bypassed and recorded' '
	test_grep "bypass was refused" "$TRASH/push.out" &&
	test_grep_not "policy bypassed by admin" "$TRASH/push.out" &&
	test_grep_not "(recorded)" "$TRASH/push.out"
'

test_expect_success 'a bypass with no audit_log configured does not claim "(recorded)"' '
	printf "version: 1\nextends: default\nbypass:\n  users: [admin]\n" >"$POLICY" &&
	cd work && git checkout -q -B feature/unlogged develop && commit_file unlogged.txt &&
	git branch -f Unlogged_Bad HEAD &&
	refs_of "$REPO" >before &&
	st=0 && GITEA_PUSHER_NAME=admin git push -o "pushgate.bypass=no log" origin Unlogged_Bad \
		>"$TRASH/push.out" 2>&1 || st=$?
	cat "$TRASH/push.out" && rm "$POLICY" && refs_of "$REPO" >after &&
	if [ $st = 0 ]; then
		test "$(git -C "$REPO" rev-parse Unlogged_Bad)" = "$(git rev-parse HEAD)" &&
		test_grep "! bypassed \[branch-name\] .Unlogged_Bad." "$TRASH/push.out"
	else
		cmp before after && test_grep "\[branch-name\] .Unlogged_Bad." "$TRASH/push.out"
	fi &&
	test_grep_not "(recorded)" "$TRASH/push.out"
'

# ---- invalid YAML at every level: each rejects, naming FILE:LINE:COL ----

bad_policy() {
	n=$((${n:-0} + 1))
	printf "%b" "$1" >"$TRASH/bad-policy-$n.yml"
	test_expect_success "invalid policy rejects: $(printf "%s" "$1" | head -c 60)" '
		cp "$TRASH/bad-policy-'"$n"'.yml" "$POLICY" &&
		cd work && git checkout -q develop && git branch -f feature/bad-'"$n"' develop &&
		push_rejected_within 20 origin feature/bad-'"$n"' &&
		test_grep "pushgate: error: $REPO/pushgate.yml:'"$2"'" "$TRASH/push.out" &&
		test_grep "forward this message to your administrator" "$TRASH/push.out" &&
		rm "$POLICY"
	'
}

bad_policy '' '1:1: the file is empty'
bad_policy '# only a comment\n' '1:1: the file is empty'
bad_policy 'just a scalar\n' '1:1: the policy must be a mapping, not a scalar'
bad_policy '- version: 1\n' '1:1: the policy must be a mapping, not a list'
bad_policy 'version: 1\n---\nversion: 1\n' '3:1: more than one YAML document'
bad_policy 'version: 1\nbranches: [\n' '3:1: invalid YAML'
bad_policy 'version: 1\nfreeze:\n  message: "unclosed\n' '4:1: invalid YAML: .*quoted scalar'
bad_policy 'version: 1\nbranches:\n\t- match: x\n' '3:1: invalid YAML'
bad_policy 'version: 1\n\001\n' '1:1: invalid YAML: control characters are not allowed'
bad_policy 'version: 1\nfreeze:\n  message: "\377"\n' '1:1: invalid YAML: invalid leading UTF-8 octet'
bad_policy 'branches: []\n' '1:1: missing .version: 1.'
bad_policy 'version: 2\n' '1:10: unsupported policy version 2'
bad_policy 'version: 1\nversions: 1\n' '2:1: unknown key .versions.'
bad_policy 'version: 1\nextends: stricter\n' '2:10: extends must be default'
bad_policy 'version: 1\nfreeze:\n  branches: ["*"]\nfreeze:\n  branches: []\n' '4:1: duplicate key .freeze.'
bad_policy 'version: 1\nbranches: {match: main}\n' '2:11: branches must be a list'
bad_policy 'version: 1\nbranches:\n  - main\n' '3:5: branch rule must be a mapping'
bad_policy 'version: 1\nbranches:\n  - delete: deny\n' '3:5: branch rule needs a .match. glob'
bad_policy 'version: 1\nbranches:\n  - match: main\n    delete: nope\n' '4:13: delete must be allow or deny'
bad_policy 'version: 1\nbranches:\n  - match: main\n    delete: deny\n    delete: allow\n' '5:5: duplicate key .delete.'
bad_policy 'version: 1\nbranches:\n  - match: "[a-"\n' '3:12: match: invalid glob'
bad_policy 'version: 1\nbranches:\n  - match: main\n    name_pattern: "(unclosed"\n' '4:19: name_pattern: invalid regular expression'
bad_policy 'version: 1\nbranches:\n  - match: main\n    merge_sources: develop\n' '4:20: merge_sources must be a list'
bad_policy 'version: 1\nbranches:\n  - match: main\n    merge_sources: [[develop]]\n' '4:21: items of merge_sources must be strings'
bad_policy 'version: 1\nbranches:\n  - &r\n    match: main\n  - <<: *r\n    match: develop\n' '5:5: unknown key .<<.'
bad_policy 'version: 1\ntags:\n  - match: "*"\n    immutable: "sometimes"\n' '4:16: immutable must be true or false'
bad_policy 'version: 1\ntags:\n  - match: "*"\n    on_branch: ""\n' '4:16: on_branch must name a branch'
bad_policy 'version: 1\nfreeze: ["*"]\n' '2:9: freeze must be a mapping'
bad_policy 'version: 1\nfreeze:\n  branches: [{a: b}]\n' '3:14: items of freeze branches must be strings'
bad_policy 'version: 1\nbypass:\n  users: [""]\n' '3:11: bypass users: a user name must not be empty'
bad_policy 'version: 1\nbypass: &b\n  users: [x]\nfreeze: *b\n' '3:3: unknown key .users. in freeze'
bad_policy 'version: 1\nsecrets:\n  scan: maybe\n' '3:9: secrets scan must be true or false'
bad_policy 'version: 1\nsecrets:\n  max_blob_size: -1\n' '3:18: secrets max_blob_size must be a whole number'
bad_policy 'version: 1\nsecrets:\n  max_blob_size: 0\n' '3:18: secrets max_blob_size must be at least 1'
bad_policy 'version: 1\nsecrets:\n  max_blob_size: 99999999999999999999999\n' '3:18: secrets max_blob_size must be a whole number from 0 to'
bad_policy 'version: 1\nsecrets:\n  too_large: ignore\n' '3:14: secrets too_large must be reject or warn'
bad_policy 'version: 1\nsecrets:\n  rules: ""\n' '3:10: secrets rules: give a file name'
bad_policy 'version: 1\naudit_log: [a, b]\n' '2:12: audit_log must be a string'

test_expect_success 'a policy over 1 MiB is refused with the limit' '
	{ printf "version: 1\nfreeze:\n  message: \""; head -c 1100000 /dev/zero | tr "\0" m; printf "\"\n"; } >"$POLICY" &&
	cd work && git branch -f feature/huge-policy develop &&
	push_rejected_within 20 origin feature/huge-policy &&
	test_grep "pushgate: error: .*pushgate.yml: larger than 1048576 bytes" "$TRASH/push.out" &&
	rm "$POLICY"
'

# libyaml's scanner is quadratic in the nesting depth: 100k levels fit
# in 200 KB, far under the 1 MiB limit.
test_expect_success 'deeply nested YAML (100k levels) is refused quickly' '
	python3 -c "print(\"version: 1\nbranches: \" + \"[\" * 100000 + \"]\" * 100000)" >"$POLICY" &&
	cd work && git branch -f feature/deep-policy develop &&
	push_rejected_within 5 origin feature/deep-policy &&
	test_grep "pushgate: error: .*pushgate.yml" "$TRASH/push.out" &&
	rm "$POLICY"
'

test_expect_success 'an alias bomb in the policy is refused quickly' '
	python3 - "$POLICY" <<-\PY &&
	import sys
	lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
	for i in range(1, 9):
	    lines.append("a%d: &a%d [%s]" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10)))
	lines.append("bypass:\n  users: *a8")
	open(sys.argv[1], "w").write("\n".join(lines) + "\n")
	PY
	cd work && git branch -f feature/alias-bomb develop &&
	push_rejected_within 10 origin feature/alias-bomb &&
	test_grep "pushgate: error: .*pushgate.yml:2:1: unknown key .a0." "$TRASH/push.out" &&
	rm "$POLICY"
'

# ---- rules files named by the policy ----

bad_rules() {
	m=$((${m:-0} + 1))
	printf "%b" "$1" >"$TRASH/bad-rules-$m.yml"
	test_expect_success "invalid rules file rejects: $(printf "%s" "$1" | tr "\n" " " | head -c 70)" '
		printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/bad-rules-'"$m"'.yml" >"$POLICY" &&
		cd work && git checkout -q -B feature/bad-rules-'"$m"' develop && commit_file r-'"$m"'.txt &&
		push_rejected_within 20 origin feature/bad-rules-'"$m"' &&
		test_grep "pushgate: error: .*bad-rules-'"$m"'.yml'"$2"'" "$TRASH/push.out" &&
		rm "$POLICY"
	'
}

bad_rules '' ':1:1: the file is empty'
bad_rules 'version: 1\nrules: {}\n' ':2:8: rules must be a list'
bad_rules 'version: 1\nrules:\n  - id: a\n    description: d\n    pattern: "x+"\n    colour: red\n' ':6:5: unknown key'
bad_rules 'version: 1\nrules:\n  - id: a\n    description: d\n    pattern: "ab+c"\n  - id: a\n    description: d\n    pattern: "de+f"\n' ':6:9: rule .a.: duplicate id'
bad_rules 'version: 1\nrules:\n  - id: a\n    description: d\n    pattern: "x*"\n' ':5:14: rule .a.: invalid pattern: it matches the empty string'
bad_rules 'version: 1\nrules:\n  - id: a\n    description: d\n    pattern: "(*UTF)abc"\n' ':5:14: rule .a.: invalid pattern: using UTF is disabled'
bad_rules 'version: 1\nrules:\n  - id: a\n    description: d\n    pattern: "(unclosed"\n' ':5:14: rule .a.: invalid pattern: missing closing parenthesis'
bad_rules 'version: 1\nrules:\n  - id: a\n    description: d\n    pattern: "(a)\\\\1x"\n    secret_group: 7\n' ':6:19: rule .a.: secret_group 7 but the pattern has 1 capture group'
bad_rules 'version: 1\nrules:\n  - id: Bad_Id\n    description: d\n    pattern: "abc"\n' ':3:9: rule .Bad_Id.: id must be lower-case'

test_expect_success 'a missing or directory rules file rejects every push' '
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/no-rules.yml" >"$POLICY" &&
	cd work && new_branch feature/no-rules &&
	push_rejected_within 20 origin feature/no-rules &&
	test_grep "pushgate: error: .*no-rules.yml" "$TRASH/push.out" &&
	mkdir "$TRASH/rules-dir" &&
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/rules-dir" >"$POLICY" &&
	push_rejected_within 20 origin feature/no-rules &&
	test_grep "pushgate: error: .*rules-dir: is a directory" "$TRASH/push.out"
'

test_expect_success 'a rules file that is a FIFO rejects with a message, and does not hang' '
	mkfifo "$TRASH/rules-fifo" &&
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/rules-fifo" >"$POLICY" &&
	cd work && new_branch feature/fifo-rules &&
	rc=0 && push_rejected_within 5 origin feature/fifo-rules || rc=$?
	release_fifo "$TRASH/rules-fifo" && test $rc = 0 &&
	test_grep "pushgate: error: .*rules-fifo" "$TRASH/push.out"
'

test_expect_success 'a good rules file through a symlink works' '
	cp "$TRASH/evil-rules.yml" "$TRASH/good-rules.yml" &&
	sed -i "s/(?:a+)+b/zz[0-9]{6}zz/; s/evil-nested/zz-token/" "$TRASH/good-rules.yml" &&
	ln -s "$TRASH/good-rules.yml" "$TRASH/rules-link.yml" &&
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/rules-link.yml" >"$POLICY" &&
	cd work && new_branch feature/rules-link "id zz123456zz" &&
	push_rejected_within 20 origin feature/rules-link &&
	test_grep "x \[zz-token\] feature/rules-link.txt:1:4 in" "$TRASH/push.out" &&
	rm "$POLICY"
'

test_done
