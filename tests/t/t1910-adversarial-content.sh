#!/bin/bash
# Adversarial content through real pushes: a 200 MB blob (bounded memory,
# the policy's too_large decision), the max_blob_size boundary, long
# lines without newlines, invalid UTF-8, NUL bytes, symlinks, gitlinks,
# control-character and non-UTF-8 paths, an empty repository, orphan
# branches, tags of blobs and trees, and a SHA-256 repository.
. "$(dirname "$0")/lib-gitea.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
REPO=$ROOT/alice/app.git
GHP=$($GEN ghp)
AWS=$($GEN aws)
ESC=$(printf '\033')

# Sanitizer builds use several times the memory (shadow memory).
case $BUILD in */sanitize) RSS_LIMIT_KB=300000 ;; *) RSS_LIMIT_KB=65536 ;; esac

# Replace the pre-receive hook file of $1 by one that runs pushgate under
# a parent that records its peak RSS (KB) in $TRASH/rss and its exit
# status in $TRASH/hook-rc (128+N for signal N).
measure_hook() {
	cat >"$TRASH/measure.py" <<-\PY
	import resource, subprocess, sys
	rc = subprocess.call(sys.argv[3:])
	open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
	open(sys.argv[2], "w").write("%d\n" % (128 - rc if rc < 0 else rc))
	sys.exit(128 - rc if rc < 0 else rc)
	PY
	printf '#!/bin/sh\nexec python3 "%s" "%s" "%s" "%s" pre-receive\n' \
		"$TRASH/measure.py" "$TRASH/rss" "$TRASH/hook-rc" "$PREFIX/bin/pushgate" \
		>"$1/hooks/pre-receive.d/50-pushgate"
}

# Commit a 200 MiB blob of "a" (no newline) at path $1 without a
# work-tree copy; it is hashed once and reused.
commit_big_blob() {
	if ! test -s "$TRASH/big-blob-id"; then
		head -c 209715200 /dev/zero | tr '\0' a | git hash-object -w --stdin >"$TRASH/big-blob-id"
	fi &&
	git update-index --add --cacheinfo 100644,"$(cat "$TRASH/big-blob-id")","$1" &&
	git commit -q -m "big $1"
}

test_expect_success 'setup: main, develop' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

test_expect_success 'a 200 MB blob is rejected as too large (default 50 MiB limit), memory bounded' '
	measure_hook "$REPO" &&
	cd work && git checkout -q -b feature/huge develop &&
	commit_big_blob data/huge.txt &&
	push_rejected "$REPO" origin feature/huge &&
	test "$(cat "$TRASH/hook-rc")" = 1 &&
	test_grep "files too large to scan for secrets (limit 52428800 bytes)" "$TRASH/push.out" &&
	test_grep "x data/huge.txt (209715200 bytes, commit $(git rev-parse --short=7 HEAD))" "$TRASH/push.out" &&
	test_grep "nothing was updated" "$TRASH/push.out" &&
	echo "peak RSS of the hook: $(cat "$TRASH/rss") KB" &&
	test "$(cat "$TRASH/rss")" -lt $RSS_LIMIT_KB
'

test_expect_success 'a 200 MB blob replacing a deleted file (rename detection bait) stays bounded' '
	cd work && git checkout -q -b feature/huge-rename develop &&
	head -c 300000 /dev/zero | tr "\0" a >data.txt && git add data.txt && git commit -q -m data &&
	push_accepted origin feature/huge-rename &&
	git rm -q data.txt && commit_big_blob moved.txt &&
	push_rejected "$REPO" origin feature/huge-rename &&
	test_grep "x moved.txt (209715200 bytes" "$TRASH/push.out" &&
	echo "peak RSS of the hook: $(cat "$TRASH/rss") KB" &&
	test "$(cat "$TRASH/rss")" -lt $RSS_LIMIT_KB
'

test_expect_success 'with too_large: warn the 200 MB blob is accepted with a warning, still bounded' '
	printf "version: 1\nextends: default\nsecrets:\n  too_large: warn\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q feature/huge &&
	push_accepted origin feature/huge &&
	test_grep "push accepted with 1 warning" "$TRASH/push.out" &&
	test_grep "! warning data/huge.txt (209715200 bytes" "$TRASH/push.out" &&
	test "$(git -C "$REPO" rev-parse feature/huge)" = "$(git rev-parse HEAD)" &&
	test "$(cat "$TRASH/rss")" -lt $RSS_LIMIT_KB &&
	rm "$REPO/pushgate.yml" && push_accepted origin :feature/huge :feature/huge-rename
'

test_expect_success 'max_blob_size boundary: a secret in the last bytes of a blob of exactly the limit is found' '
	printf "version: 1\nextends: default\nsecrets:\n  max_blob_size: 100000\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/edge develop &&
	{ head -c $((100000 - 41)) /dev/zero | tr "\0" "x"; printf " %s" "$GHP"; } >edge.txt &&
	test $(wc -c <edge.txt) = 100000 &&
	git add edge.txt && git commit -q -m edge &&
	push_rejected "$REPO" origin feature/edge &&
	test_grep "x \[github-pat\] edge.txt:1:99961 in" "$TRASH/push.out" &&
	test_grep_not "too large" "$TRASH/push.out" &&
	printf "y" >>edge.txt && git commit -q -a -m "one byte more" &&
	push_rejected "$REPO" origin feature/edge &&
	test_grep "x edge.txt (100001 bytes" "$TRASH/push.out" &&
	rm "$REPO/pushgate.yml"
'

test_expect_success 'an 8 MB line without a newline hides no secret at its end' '
	cd work && git checkout -q -b feature/long-line develop &&
	{ head -c 8388608 /dev/zero | tr "\0" "q"; printf " key=%s" "$AWS"; } >long.min &&
	git add long.min && git commit -q -m long &&
	start=$(date +%s) &&
	push_rejected "$REPO" origin feature/long-line &&
	test $(( $(date +%s) - start )) -lt 30 &&
	test_grep "x \[aws-access-key-id\] long.min:1:8388614 in" "$TRASH/push.out"
'

test_expect_success 'invalid UTF-8 around a secret: found, and the output stays escaped' '
	cd work && git checkout -q -b feature/bad-utf8 develop &&
	printf "\377\376 caf\351 \300\200 token=%s \355\240\200\n" "$GHP" >latin1.txt &&
	git add latin1.txt && git commit -q -m latin1 &&
	push_rejected "$REPO" origin feature/bad-utf8 &&
	test_grep "x \[github-pat\] latin1.txt:1:" "$TRASH/push.out" &&
	test_grep_not "$GHP" "$TRASH/push.out"
'

test_expect_success 'a NUL byte after the binary probe does not hide a later secret' '
	cd work && git checkout -q -b feature/nul develop &&
	{ head -c 20000 /dev/zero | tr "\0" "\n"; printf "\0\n"; printf "tok = \"%s\"\n" "$GHP"; } >nul.txt &&
	git add nul.txt && git commit -q -m nul &&
	push_rejected "$REPO" origin feature/nul &&
	test_grep "x \[github-pat\] nul.txt:20002:" "$TRASH/push.out"
'

test_expect_success 'a symlink is never followed on the server (its target is not read)' '
	printf "stolen = \"%s\"\n" "$GHP" >"$TRASH/server-only-secret.txt" &&
	cd work && git checkout -q -b feature/link develop &&
	ln -s "$TRASH/server-only-secret.txt" abs-link &&
	ln -s ../../../../../../../../../../../../..$TRASH/server-only-secret.txt rel-link &&
	git add abs-link rel-link && git commit -q -m links &&
	push_accepted origin feature/link &&
	test_grep_not "secret" "$TRASH/push.out"
'

test_expect_success 'a symlink whose target text is a secret is scanned like any added blob' '
	cd work && git checkout -q -b feature/link-secret develop &&
	ln -s "$GHP" token-link && git add token-link && git commit -q -m "link to a token" &&
	push_rejected "$REPO" origin feature/link-secret &&
	test_grep "x \[github-pat\] token-link:1:1 in" "$TRASH/push.out"
'

test_expect_success 'a gitlink to a commit the server does not have is accepted; .gitmodules is scanned' '
	cd work && git checkout -q -b feature/submodule develop &&
	git update-index --add --cacheinfo 160000,1234567890123456789012345678901234567890,vendor/lib &&
	printf "[submodule \"lib\"]\n\tpath = vendor/lib\n\turl = https://example.invalid/lib.git\n" >.gitmodules &&
	git add .gitmodules && git commit -q -m submodule &&
	push_accepted origin feature/submodule &&
	test "$(git -C "$REPO" rev-parse feature/submodule)" = "$(git rev-parse HEAD)" &&
	printf "[submodule \"lib\"]\n\tpath = vendor/lib\n\turl = https://x-access-token:%s@github.com/o/lib.git\n" "$GHP" >.gitmodules &&
	git commit -q -a -m "credential in the submodule url" &&
	push_rejected "$REPO" origin feature/submodule &&
	test_grep "x \[github-pat\] .gitmodules:3:" "$TRASH/push.out"
'

test_expect_success 'control characters in a path are escaped, never sent raw to the terminal' '
	cd work && git checkout -q -b feature/ctl-path develop &&
	name=$(printf "evil\033]0;pwned\007\033[2J\r\nname.txt") &&
	printf "t = \"%s\"\n" "$GHP" >"$name" && git add -A && git commit -q -m ctl &&
	push_rejected "$REPO" origin feature/ctl-path &&
	test_grep "x \[github-pat\] evil\\\\x1b\]0;pwned\\\\x07\\\\x1b\[2J\\\\r\\\\nname.txt:1:6 in" "$TRASH/push.out" &&
	test_grep_not "$ESC" "$TRASH/push.out" &&
	test_grep_not "$(printf "\007")" "$TRASH/push.out"
'

test_expect_success 'a non-UTF-8 path with a secret is found and shown escaped' '
	cd work && git checkout -q -b feature/latin1-path develop &&
	name=$(printf "caf\351-\377.env") &&
	printf "AWS=%s\n" "$AWS" >"$name" && git add -A && git commit -q -m latin1 &&
	push_rejected "$REPO" origin feature/latin1-path &&
	test_grep "x \[aws-access-key-id\] caf\\\\xe9-\\\\xff.env:1:5 in" "$TRASH/push.out"
'

test_expect_success 'a control-character path that is too large is escaped in that list too' '
	printf "version: 1\nextends: default\nsecrets:\n  max_blob_size: 10\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/ctl-big develop &&
	name=$(printf "big\033[31m.txt") && echo "more than ten bytes" >"$name" &&
	git add -A && git commit -q -m big &&
	push_rejected "$REPO" origin feature/ctl-big &&
	test_grep "x big\\\\x1b\[31m.txt (20 bytes" "$TRASH/push.out" &&
	test_grep_not "$ESC" "$TRASH/push.out" &&
	rm "$REPO/pushgate.yml"
'

test_expect_success 'empty repository: a first push carrying a secret is rejected and leaves it empty' '
	gitea_repo alice empty &&
	git init -q first && cd first &&
	printf "k = \"%s\"\n" "$GHP" >conf.py && git add conf.py && git commit -q -m first &&
	push_rejected "$ROOT/alice/empty.git" "file://$ROOT/alice/empty.git" main &&
	test_grep "x \[github-pat\] conf.py:1:6 in" "$TRASH/push.out" &&
	test -z "$(git -C "$ROOT/alice/empty.git" for-each-ref)" &&
	test_must_fail git -C "$ROOT/alice/empty.git" cat-file -e "$(git rev-parse HEAD)" &&
	git rm -q conf.py && git commit -q --amend -m clean --allow-empty &&
	echo fine >a.txt && git add a.txt && git commit -q --amend -m clean &&
	push_accepted "file://$ROOT/alice/empty.git" main &&
	test "$(git -C "$ROOT/alice/empty.git" rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'an orphan branch (unrelated root commit) is scanned in full' '
	cd work && git checkout -q --orphan feature/orphan && git rm -rqf . && git clean -fdxq &&
	mkdir -p deep/er && printf "x\ny = \"%s\"\n" "$AWS" >deep/er/root.cfg &&
	git add deep && git commit -q -m "orphan root" &&
	push_rejected "$REPO" origin feature/orphan &&
	test_grep "x \[aws-access-key-id\] deep/er/root.cfg:2:6 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" &&
	test_must_fail git -C "$REPO" cat-file -e "$(git rev-parse HEAD)" &&
	printf "x\n" >deep/er/root.cfg && git add deep && git commit -q --amend -m "clean orphan" &&
	push_accepted origin feature/orphan
'

test_expect_success '.gitattributes in the push cannot turn scanning off (binary, -diff, -text)' '
	cd work && git checkout -q -b feature/attrs develop &&
	printf "*.py binary\n*.cfg -diff\n*.env -text diff=none\n" >.gitattributes &&
	printf "a = \"%s\"\n" "$GHP" >a.py && printf "b = %s\n" "$AWS" >b.cfg && printf "C=%s\n" "$GHP" >c.env &&
	git add .gitattributes a.py b.cfg c.env && git commit -q -m attrs &&
	push_rejected "$REPO" origin feature/attrs &&
	test_grep "secrets in the pushed commits (3)" "$TRASH/push.out" &&
	test_grep "x \[github-pat\] a.py:1:6" "$TRASH/push.out" &&
	test_grep "x \[aws-access-key-id\] b.cfg:1:5" "$TRASH/push.out" &&
	test_grep "x \[github-pat\] c.env:1:3" "$TRASH/push.out"
'

# Gitea copies a pull request's commits (e.g. from a fork, whose hooks
# may not be installed yet) into refs/pull/N/head with an internal push,
# which pushgate lets through unscanned. Those commits were never
# scanned here: a ref that reaches them must not vouch for them.
test_expect_success 'commits parked in refs/pull/ by an internal push are scanned when a branch takes them' '
	cd work && git checkout -q -b feature/from-fork develop &&
	printf "t = \"%s\"\n" "$GHP" >fork.py && git add fork.py && git commit -q -m "from a fork" &&
	GITEA_INTERNAL_PUSH=true push_accepted origin HEAD:refs/pull/7/head &&
	push_rejected "$REPO" origin feature/from-fork &&
	test_grep "x \[github-pat\] fork.py:1:6 in $(git rev-parse --short=7 HEAD)" "$TRASH/push.out" &&
	git checkout -q develop && git merge -q --no-ff -m "Merge pull request 7" feature/from-fork &&
	GITEA_PR_ID=7 GITEA_PUSH_TRIGGER=pr-merge-to-base push_rejected "$REPO" origin develop &&
	test_grep "x \[github-pat\] fork.py:1:6" "$TRASH/push.out" &&
	git reset -q --hard origin/develop
'

# Tag rules are the administrator's choice; the secret scan is not.
test_expect_success 'a tag of a blob carrying a secret is scanned (policy without on_branch)' '
	cat >"$REPO/pushgate.yml" <<-\EOF &&
	version: 1
	extends: default
	tags:
	  - match: "**"
	    immutable: true
	EOF
	cd work && git checkout -q develop &&
	blob=$(printf "password = \"%s\"\n" "$GHP" | git hash-object -w --stdin) &&
	git tag raw-blob "$blob" &&
	push_rejected "$REPO" origin refs/tags/raw-blob &&
	test_grep "github-pat" "$TRASH/push.out" &&
	test_must_fail git -C "$REPO" cat-file -e "$blob"
'

test_expect_success 'a tag of a tree carrying a secret is scanned (policy without on_branch)' '
	cd work &&
	blob=$(printf "password = \"%s\"\n" "$AWS" | git hash-object -w --stdin) &&
	tree=$(printf "100644 blob %s\tcreds.txt\n" "$blob" | git mktree) &&
	git tag -a -m "a tree" raw-tree "$tree" &&
	push_rejected "$REPO" origin refs/tags/raw-tree &&
	test_grep "aws-access-key-id" "$TRASH/push.out" &&
	rm "$REPO/pushgate.yml"
'

test_expect_success 'SHA-256 repository: pushes are rejected with a clear reason, refs unchanged' '
	git init -q --bare --object-format=sha256 "$ROOT/alice/sha256.git" &&
	"$TOP/install.sh" --repo "$ROOT/alice/sha256.git" --prefix "$PREFIX" --binary "$PUSHGATE" >/dev/null &&
	git init -q --object-format=sha256 s256 && cd s256 && commit_file README.md &&
	push_rejected "$ROOT/alice/sha256.git" "file://$ROOT/alice/sha256.git" main &&
	test_grep "SHA-256" "$TRASH/push.out" &&
	test_grep "pushgate: error:" "$TRASH/push.out" &&
	test -z "$(git -C "$ROOT/alice/sha256.git" for-each-ref)"
'

test_expect_success 'the repository is intact after all of the above' '
	git -C "$REPO" fsck --no-progress 2>&1 | tee fsck.out &&
	test_grep_not "error\|missing\|broken" fsck.out
'

test_done
