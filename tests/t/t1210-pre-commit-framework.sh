#!/bin/sh
# t1210-pre-commit-framework: this repository's .pre-commit-hooks.yaml as
# the pre-commit framework uses it (Debian's `pre-commit` package): the
# manifest loads, `pushgate` stops staged secrets, `pushgate-files` scans
# the files pre-commit passes (--all-files, odd names, many files), and a
# real `git commit` through `pre-commit install` with `rev:` pinned to a tag.
# Offline: language: system hooks only, git limited to local clones.
. "$(dirname "$0")/lib.sh"

if ! command -v pre-commit >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
	command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pre-commit >"$TRASH/apt.log" 2>&1
fi
if ! command -v pre-commit >/dev/null 2>&1; then
	test_expect_success 'the pre-commit framework' '
		test_skip "the pre-commit command is missing and could not be installed" \
			"(apt-get install pre-commit; .ci/deps installs it when run as root)"
	'
	test_done
fi

GEN="python3 $TOP/tests/t/lib-scan.py"
GHP=$($GEN ghp)
HOOKS=$TRASH/hooks
OUT=$TRASH/pre-commit.out  # outside the repositories pre-commit looks at
export PRE_COMMIT_HOME="$TRASH/pre-commit-home"
export GIT_ALLOW_PROTOCOL=file
mkdir -p "$TRASH/bin"
ln -s "$PUSHGATE" "$TRASH/bin/pushgate"
export PATH="$TRASH/bin:$PATH"

# pre-commit try-repo HOOK-ID [ARGS...], from inside app/.
try_repo() {
	pre-commit try-repo --color never "$HOOKS" "$@"
}

test_expect_success 'setup: the hooks repository, with this checkout'\''s manifest' '
	{ git clone -q "$TOP" "$HOOKS" 2>/dev/null || git init -q "$HOOKS"; } &&
	cp "$TOP/.pre-commit-hooks.yaml" "$HOOKS/" &&
	git -C "$HOOKS" add .pre-commit-hooks.yaml &&
	{ git -C "$HOOKS" diff --cached --quiet ||
		git -C "$HOOKS" commit -q -m "the manifest under test"; } &&
	git -C "$HOOKS" tag -f v0.1.0 >/dev/null &&
	git init -q app && echo "print(1)" >app/main.py &&
	git -C app add main.py && git -C app commit -q -m clean
'

test_expect_success 'the manifest loads on this pre-commit, without warnings' '
	pre-commit --version >version && cat version &&
	pre-commit validate-manifest "$HOOKS/.pre-commit-hooks.yaml" >"$OUT" 2>&1 &&
	test_grep_not "WARNING\|deprecated" "$OUT" &&
	# pre-commit 3.2 renamed the stages: neither spelling loads without
	# an error (before 3.2) or a warning (after) everywhere.
	test_grep_not "^ *stages:.*\(commit\|push\)" "$HOOKS/.pre-commit-hooks.yaml" &&
	grep "^- id: " "$HOOKS/.pre-commit-hooks.yaml" >ids &&
	printf "%s\n" "- id: pushgate" "- id: pushgate-files" | cmp - ids
'

test_expect_success 'pushgate: a staged secret fails the hook' '
	cd app && printf "api_token = \"%s\"\n" "$GHP" >conf.py && git add conf.py &&
	test_expect_code 1 try_repo pushgate >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in staged changes)\.*Failed$" "$OUT" &&
	test_grep "commit stopped: 1 secret in the staged changes" "$OUT" &&
	test_grep "conf.py:1:14: github-pat: ghp_.*(redacted)" "$OUT" &&
	test_grep_not "$GHP" "$OUT" &&
	test_grep_not "Installing environment" "$OUT"
'

test_expect_success 'pushgate: clean staged content passes' '
	cd app && git rm -q --cached conf.py && rm conf.py &&
	echo "print(2)" >two.py && git add two.py &&
	test_expect_code 0 try_repo pushgate >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in staged changes)\.*Passed$" "$OUT" &&
	git commit -q -m two
'

test_expect_success 'a committed secret: pushgate passes --all-files, pushgate-files fails' '
	cd app && printf "x\ntoken: %s\n" "$GHP" >old.yml && git add old.yml &&
	git commit -q -m "a secret from before the hooks" &&
	test_expect_code 0 try_repo pushgate --all-files >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in staged changes)\.*Passed$" "$OUT" &&
	test_expect_code 1 try_repo pushgate-files --all-files >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in files)\.*Failed$" "$OUT" &&
	test_grep "^old.yml:2:8: github-pat: ghp_.*(redacted)" "$OUT" &&
	test_grep "^1 finding in 1 file (scanned 3 files" "$OUT" &&
	test_grep_not "$GHP" "$OUT"
'

test_expect_success 'pushgate-files: --files passes only the files named' '
	cd app &&
	test_expect_code 0 try_repo pushgate-files --files main.py two.py >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in files)\.*Passed$" "$OUT" &&
	test_expect_code 1 try_repo pushgate-files --files main.py old.yml >"$OUT" 2>&1 &&
	test_grep "^old.yml:2:8: github-pat: " "$OUT"
'

test_expect_success 'pushgate-files: a clean tree passes --all-files' '
	cd app && git rm -q old.yml && git commit -q -m "secret removed" &&
	test_expect_code 0 try_repo pushgate-files --all-files >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in files)\.*Passed$" "$OUT"
'

test_expect_success 'pushgate-files: odd names and many files, one report' '
	cd app && mkdir -p "sp ace" many &&
	for i in $(seq 1 300); do echo "line $i" >"many/f$i.txt"; done &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >-dash.py &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >"sp ace/ünï cödé.py" &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >--help &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >./- &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >many/f150.txt &&
	git add -A && git commit -q -m "odd names" &&
	test_expect_code 1 try_repo pushgate-files --all-files >"$OUT" 2>&1 &&
	test_grep "^-dash.py:1:6: github-pat: " "$OUT" &&
	test_grep "^sp ace/ünï cödé.py:1:6: github-pat: " "$OUT" &&
	test_grep "^--help:1:6: github-pat: " "$OUT" &&
	test_grep "^\./-:1:6: github-pat: " "$OUT" &&
	test_grep "^many/f150.txt:1:6: github-pat: " "$OUT" &&
	test_grep "^5 findings in 5 files (scanned 306 files" "$OUT" &&
	test $(grep -c "findings\? in\|^no findings" "$OUT") = 1
'

test_expect_success 'git commit through pre-commit install, rev: v0.1.0' '
	git init -q dev && cd dev &&
	cat >.pre-commit-config.yaml <<-EOF &&
	repos:
	  - repo: $HOOKS
	    rev: v0.1.0
	    hooks:
	      - id: pushgate
	      - id: pushgate-files
	EOF
	pre-commit install >"$OUT" && test_grep "pre-commit installed" "$OUT" &&
	git add .pre-commit-config.yaml && git commit -q -m config 2>err &&
	printf "api_token = \"%s\"\n" "$GHP" >conf.py && git add conf.py &&
	test_must_fail git commit -q -m secret >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in staged changes)\.*Failed$" "$OUT" &&
	test_grep "^pushgate (secrets in files)\.*Failed$" "$OUT" &&
	test_grep "conf.py:1:14: github-pat: " "$OUT" &&
	test_grep_not "WARNING" "$OUT" &&
	test_must_fail git rev-parse -q --verify HEAD~1 &&
	git rm -q --cached conf.py && echo "ok = 1" >conf.py && git add conf.py &&
	git commit -q -m clean >"$OUT" 2>&1 &&
	test_grep "^pushgate (secrets in staged changes)\.*Passed$" "$OUT" &&
	test "$(git log --format=%s -1)" = clean
'

test_done
