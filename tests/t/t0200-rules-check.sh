#!/bin/sh
# pushgate rules list / rules check: the default set, a small complete
# fixture, and files that must be rejected with FILE:LINE.
. "$(dirname "$0")/lib.sh"

FIX=$TOP/tests/fixtures/rules

test_expect_success 'rules check accepts a complete fixture' '
	"$PUSHGATE" rules check "$FIX/basic.yml" >out 2>err &&
	test_grep "^4 rules ok" out
'

test_expect_success 'rules check writes and then reuses the cache' '
	ls "$XDG_CACHE_HOME/pushgate/"*.hsdb >list &&
	test "$(wc -l <list)" -ge 1 &&
	"$PUSHGATE" rules check --rules "$FIX/basic.yml" >out &&
	test_grep "^4 rules ok" out
'

test_expect_success 'rules check works without any cache' '
	PUSHGATE_CACHE_DIR= "$PUSHGATE" rules check "$FIX/basic.yml" >out &&
	test_grep "^4 rules ok" out
'

test_expect_success 'rules list prints ids, severities, confidences and descriptions' '
	"$PUSHGATE" rules list --rules "$FIX/basic.yml" >out &&
	test "$(wc -l <out)" = 4 &&
	test_grep "^github-pat  *critical  *high  *GitHub personal access token" out &&
	test_grep "^generic-password  *medium  *low  *" out
'

test_expect_success 'failing examples: exit 1, FILE:LINE, secrets redacted' '
	test_expect_code 1 "$PUSHGATE" rules check "$FIX/bad-examples.yml" >out 2>err &&
	test_grep "bad-examples.yml:4: rule .demo-token.: example 2 does not match: dmo_SE\.\.\.(redacted)" out &&
	test_grep "bad-examples.yml:4: rule .demo-token.: negative example 1 matches: " out &&
	test_grep "2 of 3 examples failed" out &&
	test_grep_not "SECRETSECRET" out &&
	test_grep_not "fedcba9876543210" out
'

test_expect_success 'unknown key: exit 2 with FILE:LINE:COL' '
	printf "rules:\n  - id: a\n    description: d\n    pattern: abc\n    severty: low\n" >unknown.yml &&
	test_expect_code 2 "$PUSHGATE" rules check unknown.yml 2>err &&
	test_grep "unknown.yml:5:5: unknown key .severty." err
'

test_expect_success 'invalid pattern: exit 2 naming the rule' '
	printf "rules:\n  - id: broken\n    description: d\n    pattern: \"ab(c\"\n" >regex.yml &&
	test_expect_code 2 "$PUSHGATE" rules check regex.yml 2>err &&
	test_grep "regex.yml:4:14: rule .broken.: invalid pattern: " err
'

test_expect_success 'duplicate id and empty match: exit 2' '
	printf "rules:\n  - {id: a, description: d, pattern: x1}\n  - {id: a, description: d, pattern: x2}\n" >dup.yml &&
	test_expect_code 2 "$PUSHGATE" rules check dup.yml 2>err &&
	test_grep "dup.yml:3:.*rule .a.: duplicate id" err &&
	printf "rules:\n  - {id: e, description: d, pattern: \"x?\"}\n" >empty.yml &&
	test_expect_code 2 "$PUSHGATE" rules list --rules empty.yml 2>err &&
	test_grep "empty.yml:2:.*rule .e.: invalid pattern: it matches the empty string" err
'

test_expect_success 'Hyperscan-only failure: exit 2 naming the rule' '
	printf "rules:\n  - {id: ok, description: d, pattern: abc}\n  - {id: g-anchor, description: d, pattern: \"x\\\\\\\\Gy\"}\n" >hs.yml &&
	test_expect_code 2 "$PUSHGATE" rules check hs.yml 2>err &&
	test_grep "hs.yml:3: rule .g-anchor.: Hyperscan cannot compile" err
'

test_expect_success 'a prefilter that misses an example fails rules check' '
	cat >pre.yml <<-\EOF &&
	rules:
	  - id: conn
	    description: d
	    pattern: "host=[^;]{1,200};pwd=([a-z]{6,})"
	    prefilter: "pwd="
	    examples: ["host=db.internal;pwd=hunter"]
	  - id: missed
	    description: d
	    pattern: "tok_[0-9]{6}"
	    prefilter: "key_"
	    examples: ["tok_123456"]
	EOF
	test_expect_code 1 "$PUSHGATE" rules check pre.yml >out 2>err &&
	test_grep "pre.yml:7: rule .missed.: example 1 does not match" out &&
	test_grep_not "rule .conn." out &&
	printf "rules:\n  - {id: bad, description: d, pattern: abc, prefilter: \"ab(\"}\n" >pre-bad.yml &&
	test_expect_code 2 "$PUSHGATE" rules check pre-bad.yml 2>err &&
	test_grep "pre-bad.yml:2: rule .bad.: Hyperscan cannot compile the prefilter" err
'

test_expect_success 'missing file and usage errors exit 2' '
	test_expect_code 2 "$PUSHGATE" rules check no-such.yml 2>err &&
	test_grep "no-such.yml" err &&
	test_expect_code 2 "$PUSHGATE" rules 2>err &&
	test_expect_code 2 "$PUSHGATE" rules frobnicate 2>err &&
	test_expect_code 2 "$PUSHGATE" rules check a.yml b.yml 2>err &&
	"$PUSHGATE" rules --help >out &&
	test_grep "usage: pushgate rules list" out
'

test_expect_success 'extends: default adds rules, replaces by id, disables; scan and rules check agree' '
	cat >ext.yml <<-\EOF &&
	version: 1
	extends: default
	disable: [aws-access-key-id]
	rules:
	  - id: acme-key
	    description: ACME key
	    pattern: acme_[a-z0-9]{20}
	    examples: ["k = acme_q8v2m4x7r1t9w3k6p0zd"]
	EOF
	"$PUSHGATE" rules check ext.yml >out && test_grep "rules ok" out &&
	"$PUSHGATE" rules list >base && "$PUSHGATE" rules list --rules ext.yml >list &&
	test "$(wc -l <list)" = "$(wc -l <base)" &&
	test_grep "^acme-key " list && test_grep_not "^aws-access-key-id " list &&
	printf "a = acme_q8v2m4x7r1t9w3k6p0zd\nb = \"%s\"\nc = AKIAIOSFODNN7EXAMPLQ\n" "$(python3 "$TOP/tests/t/lib-scan.py" ghp)" >f.txt &&
	for run in cold warm; do
		test_expect_code 1 env PUSHGATE_CACHE_DIR="$TRASH/ext-cache" "$PUSHGATE" scan --rules ext.yml f.txt >$run || return 1
	done &&
	test "$(sed "\$d" cold)" = "$(sed "\$d" warm)" &&
	test_grep "f.txt:1:5: acme-key" cold && test_grep "f.txt:2:6: github-pat" cold &&
	test_grep_not "aws-access-key-id" cold &&
	printf "version: 1\nextends: default\ndisable: [aws-acess-key-id]\n" >typo.yml &&
	test_expect_code 2 "$PUSHGATE" rules check typo.yml 2>err &&
	test_grep "typo.yml:3:11: disable: no rule .aws-acess-key-id." err
'

test_expect_success 'the embedded default set passes rules check' '
	"$PUSHGATE" rules check >out 2>err || { cat out err; false; } &&
	test_grep "^[0-9][0-9]* rules ok" out &&
	n=$(sed -n "s/^\([0-9]*\) rules ok.*/\1/p" out) &&
	"$PUSHGATE" rules list >list &&
	test "$(wc -l <list)" = "$n" &&
	test "$n" -ge 100
'

test_done
