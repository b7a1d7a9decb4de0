#!/bin/bash
# The compiled-rules cache under attack, through real pushes: a
# read-only, world-writable or missing cache directory, corrupt,
# truncated, forged, foreign, symlinked and over-permissive cache files,
# and several processes rebuilding at once. A cache problem may cost
# compile time, never a verdict: every push below that carries a token
# must be rejected for it, and every clean one accepted.
#
# The cache lives in $PUSHGATE_CACHE_DIR (else $XDG_CACHE_HOME/pushgate,
# else $HOME/.cache/pushgate) as <key>.hsdb (the Hyperscan database) and
# <key>.rules (the parsed rules). Most tests use a small rules
# file (compiles in milliseconds); the first and the concurrent ones use
# the 274 default rules.
. "$(dirname "$0")/lib-gitea.sh"

REPO=$ROOT/alice/app.git
POLICY=$REPO/pushgate.yml
GEN="python3 $TOP/tests/t/lib-scan.py"
GHP=$($GEN ghp)
C=$TRASH/pgcache

# Run "$@" as root without the capabilities that ignore file modes.
without_dac() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --bounding-set -dac_override,-dac_read_search -- "$@"
	else
		"$@"
	fi
}

use_small_rules() {
	printf "version: 1\nextends: default\nsecrets:\n  rules: %s\n" "$TRASH/small-rules.yml" >"$POLICY"
}

# A new branch whose commit adds a token of the small rules: token_branch NAME
token_branch() {
	git checkout -q -B "$1" develop && mkdir -p "$(dirname "$1")" &&
	echo "id zz$(printf %06d $RANDOM)zz" >"$1.txt" &&
	git add "$1.txt" && git commit -q -m "$1"
}

# Push branch $1 (which carries a token) and expect the token rule to reject it.
push_token_rejected() {
	push_rejected "$REPO" origin "$1" &&
	test_grep "x \[zz-token\] $1.txt:1:4 in" "$TRASH/push.out" &&
	test_grep_not "pushgate: error\|warning" "$TRASH/push.out"
}

# The one cache entry of kind $2 (hsdb, the default, or rules) in
# directory $1 (fails unless there is exactly one).
entry() {
	set -- "$1"/*."${2:-hsdb}"
	[ $# = 1 ] && [ -f "$1" ] || { echo "expected one cache entry, found: $*" >&2; return 1; }
	echo "$1"
}

no_temp_files() {
	! ls -a "$1" | grep -v '\.hsdb$' | grep -v '\.rules$' | grep -v '^\.\.\?$'
}

test_expect_success 'setup: repository, small rules file' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop &&
	cat >"$TRASH/small-rules.yml" <<-\EOF
	version: 1
	rules:
	  - id: zz-token
	    description: test token
	    pattern: \b(zz[0-9]{6}zz)\b
	  - id: yy-key
	    description: test key
	    pattern: \byykey_([A-Za-z0-9]{20})\b
	EOF
'

# The first push (main) compiled the default rules into the default place.
test_expect_success 'default rules: the first scan made $XDG_CACHE_HOME/pushgate 0700, its entry 0600' '
	test "$(stat -c %a "$XDG_CACHE_HOME/pushgate")" = 700 &&
	e=$(entry "$XDG_CACHE_HOME/pushgate") && test "$(stat -c %a "$e")" = 600 &&
	test "$(stat -c %a "$(entry "$XDG_CACHE_HOME/pushgate" rules)")" = 600 &&
	no_temp_files "$XDG_CACHE_HOME/pushgate" &&
	cd work && git checkout -q -b feature/first develop &&
	printf "t = \"%s\"\n" "$GHP" >t.py && git add t.py && git commit -q -m t &&
	push_rejected "$REPO" origin feature/first &&
	test_grep "x \[github-pat\] t.py:1:6" "$TRASH/push.out" &&
	test "$(entry "$XDG_CACHE_HOME/pushgate")" = "$e"
'

test_expect_success 'small rules: the entry and missing parents are created (0700), then loaded as it is' '
	use_small_rules &&
	cd work && token_branch feature/c0 &&
	PUSHGATE_CACHE_DIR=$TRASH/nested/a/b push_token_rejected feature/c0 &&
	test "$(stat -c %a "$TRASH/nested/a/b")" = 700 && test "$(stat -c %a "$TRASH/nested/a")" = 700 &&
	test "$(stat -c %a "$(entry "$TRASH/nested/a/b")")" = 600 && cd .. &&
	export PUSHGATE_CACHE_DIR=$C &&
	cd work && token_branch feature/c1 && push_token_rejected feature/c1 &&
	e=$(entry "$C") && cp "$e" "$TRASH/good.hsdb" && ino=$(stat -c %i "$e") &&
	token_branch feature/c2 && push_token_rejected feature/c2 &&
	test "$(stat -c %i "$e")" = "$ino" && cmp "$e" "$TRASH/good.hsdb" &&
	basename "$e" >"$TRASH/entry-name" && cp "$(entry "$C" rules)" "$TRASH/good.rules"
'

# corrupt_case KIND NAME SHELL: damage the KIND entry (hsdb or rules; its
# path in $e) with SHELL, push, expect the right verdict and the entry
# rebuilt to the good bytes.
corrupt_case() {
	test_expect_success "a damaged $1 cache entry ($2) is detected and rebuilt" '
		export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C" '"$1"') && cp "$TRASH/good.'"$1"'" "$e" &&
		'"$3"' &&
		! cmp -s "$e" "$TRASH/good.'"$1"'" &&
		cd work && token_branch feature/corrupt && push_token_rejected feature/corrupt &&
		cmp "$(entry "$C" '"$1"')" "$TRASH/good.'"$1"'" && no_temp_files "$C"
	'
}

corrupt_case hsdb "empty" ': >"$e"'
corrupt_case hsdb "truncated (header only)" 'truncate -s 40 "$e"'
corrupt_case hsdb "truncated (last byte gone)" 'truncate -s -1 "$e"'
corrupt_case hsdb "bit-flipped (payload)" 'printf "\377" | dd of="$e" bs=1 seek=4000 conv=notrunc 2>/dev/null'
corrupt_case hsdb "bit-flipped (magic)" 'printf "X" | dd of="$e" bs=1 seek=0 conv=notrunc 2>/dev/null'
corrupt_case hsdb "appended-to" 'echo junk >>"$e"'
corrupt_case hsdb "huge-length-field" 'printf "\377\377\377\377\377\0\0\0" | dd of="$e" bs=1 seek=32 conv=notrunc 2>/dev/null'
corrupt_case hsdb "random-garbage" 'head -c 8338 /dev/urandom >"$e"'
corrupt_case rules "empty" ': >"$e"'
corrupt_case rules "truncated (last byte gone)" 'truncate -s -1 "$e"'
corrupt_case rules "bit-flipped (a rule id)" 'printf "Z" | dd of="$e" bs=1 seek=60 conv=notrunc 2>/dev/null'
corrupt_case rules "random-garbage" 'head -c 700 /dev/urandom >"$e"'

# The trailer is the git blob id of the payload: recompute it after
# damaging the Hyperscan bytes, so that only Hyperscan's own checks remain.
test_expect_success 'a forged entry (damaged database, checksum recomputed) is not trusted' '
	export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C") &&
	python3 - "$TRASH/good.hsdb" "$e" <<-\PY &&
	import hashlib, struct, sys
	data = bytearray(open(sys.argv[1], "rb").read())
	plen = struct.unpack("<Q", data[32:40])[0]
	payload = data[40:40 + plen]
	for off in range(len(payload) - 600, len(payload) - 40, 7):
	    payload[off] ^= 0x5a
	trailer = hashlib.sha1(b"blob %d\0" % len(payload) + bytes(payload)).digest()
	open(sys.argv[2], "wb").write(bytes(data[:40]) + bytes(payload) + trailer)
	PY
	cd work && token_branch feature/forged && push_token_rejected feature/forged &&
	cmp "$(entry "$C")" "$TRASH/good.hsdb"
'

test_expect_success 'an entry of another rule set under this key is not loaded' '
	export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C") &&
	cp "$(entry "$XDG_CACHE_HOME/pushgate")" "$e" &&
	cd work && token_branch feature/foreign && push_token_rejected feature/foreign &&
	cmp "$(entry "$C")" "$TRASH/good.hsdb"
'

test_expect_success 'an entry writable by others is not trusted; it is replaced by a 0600 one' '
	export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C") &&
	head -c 8338 /dev/urandom >"$e" && chmod 666 "$e" &&
	cd work && token_branch feature/mode && push_token_rejected feature/mode &&
	test "$(stat -c %a "$(entry "$C")")" = 600 && cmp "$(entry "$C")" "$TRASH/good.hsdb"
'

test_expect_success 'a good entry writable by others is not loaded (it is rewritten)' '
	export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C") && chmod 622 "$e" && ino=$(stat -c %i "$e") &&
	cd work && token_branch feature/mode2 && push_token_rejected feature/mode2 &&
	test "$(stat -c %i "$(entry "$C")")" != "$ino" &&
	test "$(stat -c %a "$(entry "$C")")" = 600
'

test_expect_success 'an entry owned by another user is not loaded (it is rewritten)' '
	if [ "$(id -u)" != 0 ]; then test_skip "not root: cannot chown"; fi
	export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C") && chown 65534 "$e" && ino=$(stat -c %i "$e") &&
	cd work && token_branch feature/owner && push_token_rejected feature/owner &&
	test "$(stat -c %u "$(entry "$C")")" = 0 && test "$(stat -c %i "$(entry "$C")")" != "$ino"
'

test_expect_success 'a symlinked entry is not followed: not loaded, the link replaced, its target untouched' '
	export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C") &&
	echo "precious" >"$TRASH/victim" && rm "$e" && ln -s "$TRASH/victim" "$e" &&
	cd work && token_branch feature/link && push_token_rejected feature/link &&
	test "$(cat "$TRASH/victim")" = precious &&
	test -f "$e" && test ! -L "$e" && cmp "$e" "$TRASH/good.hsdb"
'

test_expect_success 'an entry that is a directory costs compile time only' '
	export PUSHGATE_CACHE_DIR=$C && e=$(entry "$C") && rm "$e" && mkdir "$e" &&
	cd work && token_branch feature/dir-entry && push_token_rejected feature/dir-entry &&
	test -d "$e" && no_temp_files "$C" && rmdir "$e" && cp "$TRASH/good.hsdb" "$e"
'

test_expect_success 'a read-only cache directory: verdict right, nothing written, no message' '
	mkdir -m 500 "$TRASH/ro-cache" && use_small_rules &&
	cd work && token_branch feature/ro &&
	refs_of "$REPO" >before &&
	rc=0 && PUSHGATE_CACHE_DIR=$TRASH/ro-cache without_dac git push origin feature/ro >"$TRASH/push.out" 2>&1 || rc=$?
	cat "$TRASH/push.out" && test $rc != 0 &&
	refs_of "$REPO" >after && cmp before after &&
	test_grep "x \[zz-token\] feature/ro.txt:1:4 in" "$TRASH/push.out" &&
	test_grep_not "pushgate: error\|warning" "$TRASH/push.out" &&
	test -z "$(ls -A "$TRASH/ro-cache")"
'

test_expect_success 'a read-only cache directory with a damaged entry: verdict right, entry untouched' '
	chmod 700 "$TRASH/ro-cache" && head -c 5000 "$TRASH/good.hsdb" >"$TRASH/ro-cache/$(cat "$TRASH/entry-name")" &&
	cp "$TRASH/ro-cache/$(cat "$TRASH/entry-name")" "$TRASH/damaged.hsdb" &&
	chmod 500 "$TRASH/ro-cache" &&
	cd work && token_branch feature/ro2 &&
	rc=0 && PUSHGATE_CACHE_DIR=$TRASH/ro-cache without_dac git push origin feature/ro2 >"$TRASH/push.out" 2>&1 || rc=$?
	cat "$TRASH/push.out" && test $rc != 0 &&
	test_grep "x \[zz-token\] feature/ro2.txt:1:4 in" "$TRASH/push.out" &&
	test_must_fail git -C "$REPO" rev-parse -q --verify feature/ro2 &&
	cmp "$TRASH/ro-cache/$(cat "$TRASH/entry-name")" "$TRASH/damaged.hsdb"
'

test_expect_success 'a world-writable cache directory is not used at all' '
	mkdir -m 777 "$TRASH/ww-cache" && echo planted >"$TRASH/ww-cache/$(cat "$TRASH/entry-name")" &&
	cd work && token_branch feature/ww &&
	PUSHGATE_CACHE_DIR=$TRASH/ww-cache push_token_rejected feature/ww &&
	test "$(ls "$TRASH/ww-cache")" = "$(cat "$TRASH/entry-name")" &&
	test "$(cat "$TRASH/ww-cache/"*)" = planted
'

test_expect_success 'a cache path that is a regular file costs compile time only' '
	echo "not a directory" >"$TRASH/file-cache" &&
	cd work && token_branch feature/file-cache &&
	PUSHGATE_CACHE_DIR=$TRASH/file-cache push_token_rejected feature/file-cache &&
	test "$(cat "$TRASH/file-cache")" = "not a directory"
'

test_expect_success 'PUSHGATE_CACHE_DIR empty: no cache anywhere' '
	cd work && token_branch feature/no-cache &&
	XDG_CACHE_HOME=$TRASH/xdg-unused PUSHGATE_CACHE_DIR= push_token_rejected feature/no-cache &&
	test ! -e "$TRASH/xdg-unused"
'

test_expect_success 'a relative XDG_CACHE_HOME is ignored (nothing lands in the repository)' '
	cd work && token_branch feature/rel-xdg &&
	(unset PUSHGATE_CACHE_DIR; XDG_CACHE_HOME=relative-cache push_token_rejected feature/rel-xdg) &&
	test ! -e "$REPO/relative-cache" &&
	entry "$HOME/.cache/pushgate" >/dev/null
'

# Several hooks start with no cache entry and compile the default rules
# at the same time; each writes a temporary file and renames it.
test_expect_success 'two pushes rebuilding the default-rules entry at once both decide right' '
	rm -f "$POLICY" && export PUSHGATE_CACHE_DIR=$TRASH/race-cache &&
	for i in 1 2; do
		git clone -q "file://$REPO" "race$i" 2>/dev/null &&
		(cd "race$i" && git checkout -q -b "feature/race-$i" origin/develop &&
		 printf "t = \"%s\"\n" "$($GEN ghp)" >s.py && git add s.py && git commit -q -m s) || exit 1
	done &&
	refs_of "$REPO" >before &&
	for i in 1 2; do
		(cd "race$i" && git push origin "feature/race-$i" >push.out 2>&1; echo $? >rc) &
	done && wait &&
	for i in 1 2; do
		cat "race$i/push.out" && test "$(cat "race$i/rc")" != 0 &&
		grep -q "x \[github-pat\] s.py:1:6" "race$i/push.out" || exit 1
	done &&
	refs_of "$REPO" >after && cmp before after &&
	e=$(entry "$TRASH/race-cache") && no_temp_files "$TRASH/race-cache" &&
	cmp "$e" "$(entry "$XDG_CACHE_HOME/pushgate")"
'

test_expect_success 'the repository is intact' '
	git -C "$REPO" fsck --no-progress 2>&1 | tee fsck.out &&
	test_grep_not "error\|missing\|broken" fsck.out
'

test_done
