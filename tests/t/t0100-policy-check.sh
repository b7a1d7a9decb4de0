#!/bin/sh
# t0100-policy-check: `pushgate policy check [FILE] [--config FILE]`
# validates a policy, prints the effective one with its source, and the
# output is itself a valid policy. Lookup precedence end to end.
. "$(dirname "$0")/lib.sh"

test_expect_success 'default policy: exit 0, source and YAML' '
	test_expect_code 0 "$PUSHGATE" policy check >out 2>err &&
	test_grep "^# source: <default>$" out &&
	test_grep "^version: 1$" out &&
	test_grep "^  - match: .main.$" out &&
	test_grep "^    merge_sources: \[.develop., .hotfix/\*.\]$" out &&
	test_grep "^    on_branch: .main.$" out &&
	test_grep "^    immutable: true$" out &&
	test_grep "^  users: \[\]$" out &&
	test ! -s err
'

test_expect_success 'printed default is accepted back and prints the same' '
	"$PUSHGATE" policy check >default.yml &&
	"$PUSHGATE" policy check default.yml >again.yml &&
	test_grep "^# source: default.yml$" again.yml &&
	sed 1d default.yml >a && sed 1d again.yml >b &&
	cmp a b
'

test_expect_success 'embedded default is the one in docs/policy-format.md' '
	awk "/^## The embedded default/ { f = 1; next }
	     f && /^\`\`\`yaml/ { p = 1; next }
	     p && /^\`\`\`/ { exit }
	     p" "$TOP/docs/policy-format.md" >documented.yml &&
	test -s documented.yml &&
	cmp documented.yml "$TOP/policy/default_policy.yml" &&
	"$PUSHGATE" policy check documented.yml >doc.out &&
	"$PUSHGATE" policy check >binary.out &&
	sed 1d doc.out >from-doc && sed 1d binary.out >from-binary &&
	cmp from-doc from-binary
'

test_expect_success 'good file with extends: exit 0, its rules first' '
	cat >good.yml <<-\EOF &&
	version: 1
	extends: default
	branches:
	  - match: "release/*"
	    create: deny
	bypass:
	  users: [alice]
	EOF
	"$PUSHGATE" policy check good.yml >out &&
	test_grep "^# source: good.yml$" out &&
	sed -n "/^branches:/{n;p;}" out >first &&
	test_grep "release/\*" first &&
	test_grep "^  users: \[.alice.\]$" out &&
	test_grep_not "extends" out &&
	"$PUSHGATE" policy check out >/dev/null
'

test_expect_success 'bad file: exit 2 and FILE:LINE:COL' '
	cat >bad.yml <<-\EOF &&
	version: 1
	branches:
	  - match: main
	    forcepush: deny
	EOF
	test_expect_code 2 "$PUSHGATE" policy check bad.yml >out 2>err &&
	test_grep "^pushgate: error: bad.yml:4:5: unknown key .forcepush." err &&
	test ! -s out
'

test_expect_success 'bad regex: exit 2, position of the pattern and PCRE2 reason' '
	printf "version: 1\nbranches:\n  - match: main\n    name_pattern: \"^(main\"\n" >re.yml &&
	test_expect_code 2 "$PUSHGATE" policy check re.yml 2>err &&
	test_grep "re.yml:4:19: name_pattern: .*missing closing parenthesis" err
'

test_expect_success 'version 2, empty file, missing file, directory: exit 2' '
	printf "version: 2\n" >v2.yml &&
	test_expect_code 2 "$PUSHGATE" policy check v2.yml 2>err &&
	test_grep "v2.yml:1:10: unsupported policy version 2" err &&
	: >empty.yml &&
	test_expect_code 2 "$PUSHGATE" policy check empty.yml 2>err &&
	test_grep "empty.yml:1:1:" err &&
	test_expect_code 2 "$PUSHGATE" policy check nosuch.yml 2>err &&
	test_grep "nosuch.yml" err &&
	mkdir -p adir &&
	test_expect_code 2 "$PUSHGATE" policy check adir 2>err &&
	test_grep "adir: is a directory" err
'

test_expect_success 'policy from standard input' '
	printf "version: 1\nbranches:\n  - match: x\n" |
	"$PUSHGATE" policy check - >out &&
	test_grep "^# source: <stdin>$" out &&
	test_grep "^  - match: .x.$" out
'

test_expect_success 'lookup: --config beats PUSHGATE_CONFIG beats GIT_DIR' '
	mkdir -p repo.git &&
	printf "version: 1\nbranches:\n  - match: from-config\n" >config.yml &&
	printf "version: 1\nbranches:\n  - match: from-env\n" >env.yml &&
	printf "version: 1\nbranches:\n  - match: from-repo\n" >repo.git/pushgate.yml &&
	GIT_DIR=repo.git PUSHGATE_CONFIG=env.yml "$PUSHGATE" policy check --config config.yml >out &&
	test_grep "^# source: config.yml$" out &&
	test_grep "from-config" out &&
	GIT_DIR=repo.git PUSHGATE_CONFIG=env.yml "$PUSHGATE" policy check >out &&
	test_grep "^# source: env.yml$" out &&
	test_grep "from-env" out &&
	GIT_DIR=repo.git "$PUSHGATE" policy check >out &&
	test_grep "^# source: repo.git/pushgate.yml$" out &&
	test_grep "from-repo" out &&
	"$PUSHGATE" policy check --config=config.yml >out &&
	test_grep "from-config" out
'

test_expect_success 'lookup: a named file must exist, a broken found file is an error' '
	test_expect_code 2 "$PUSHGATE" policy check --config missing.yml 2>err &&
	test_grep "missing.yml" err &&
	test_expect_code 2 env PUSHGATE_CONFIG=missing.yml "$PUSHGATE" policy check 2>err &&
	test_grep "PUSHGATE_CONFIG" err &&
	mkdir -p broken.git && printf "version: 1\nnope: 1\n" >broken.git/pushgate.yml &&
	test_expect_code 2 env GIT_DIR=broken.git "$PUSHGATE" policy check 2>err &&
	test_grep "broken.git/pushgate.yml:2:1: unknown key .nope." err &&
	mkdir -p dir.git/pushgate.yml &&
	test_expect_code 2 env GIT_DIR=dir.git "$PUSHGATE" policy check 2>err &&
	test_grep "dir.git/pushgate.yml" err
'

test_expect_success 'lookup: a repository without pushgate.yml falls through' '
	mkdir -p plain.git &&
	GIT_DIR=plain.git "$PUSHGATE" policy check >out &&
	if test -e /etc/pushgate/policy.yml
	then
		test_grep "^# source: /etc/pushgate/policy.yml$" out
	else
		test_grep "^# source: <default>$" out
	fi
'

test_expect_success '--help prints usage and exits 0' '
	test_expect_code 0 "$PUSHGATE" policy --help >out &&
	test_grep "^usage: pushgate policy check \[FILE\]" out &&
	test_grep "\-\-config FILE" out &&
	test_expect_code 0 "$PUSHGATE" policy check --help >out &&
	test_grep "^usage: pushgate policy check" out
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 "$PUSHGATE" policy >out 2>err &&
	test_grep "^usage: pushgate policy check" out &&
	test_expect_code 2 "$PUSHGATE" policy frobnicate 2>err &&
	test_grep "unknown subcommand" err &&
	test_expect_code 2 "$PUSHGATE" policy check a.yml b.yml 2>err &&
	test_expect_code 2 "$PUSHGATE" policy check --bogus 2>err &&
	test_grep "unknown option" err &&
	test_expect_code 2 "$PUSHGATE" policy check good.yml --config good.yml 2>err &&
	test_grep "not both" err
'

test_expect_success 'the documented policy shape (every key) is a valid policy' '
	python3 - "$TOP/docs/policy-format.md" >shape.yml <<-\PY &&
	import sys
	doc = open(sys.argv[1]).read()
	start = doc.index("```yaml") + len("```yaml")
	print(doc[start:doc.index("```", start)])
	PY
	test_grep "^workflows:" shape.yml && test_grep "^commits:" shape.yml &&
	"$PUSHGATE" policy check shape.yml >printed.yml &&
	test_grep "message_hint: .Conventional Commits" printed.yml
'

test_done
