#!/bin/sh
# install.sh - install pushgate and its hooks into Gitea (or plain git)
# repositories. Idempotent: running it again changes nothing.
#
# It runs as root over directories the Gitea user owns, so every file it
# writes there is first created under a fresh, unguessable name (never a
# name someone could have planted a symbolic link at), already complete
# and with its final mode, outside the hooks/<name>.d directories whose
# executables Gitea runs, and then renamed over the target: a symbolic
# link at the target is replaced, never written through. The one
# directory it creates for the Gitea user (the audit log's, with --gitea)
# is made with mkdir, component by component, under root-owned parents.
set -eu
umask 022

usage() {
	cat <<'USAGE'
usage: install.sh [--prefix DIR] [--binary FILE] [--force] --repo DIR...
       install.sh [--prefix DIR] [--binary FILE] [--force]
                  [--policy FILE | --audit-log PATH] --gitea ROOT
       install.sh [--prefix DIR] [--binary FILE] --pre-commit [CLONE]
       install.sh --uninstall (--repo DIR... | --gitea ROOT | --pre-commit [CLONE])

Installs the pushgate binary as PREFIX/bin/pushgate (default /usr/local)
and, in each bare repository, the hook files
  hooks/pre-receive.d/50-pushgate   -> pushgate pre-receive
  hooks/update.d/50-pushgate        -> pushgate update "$1" "$2" "$3"
Gitea's own files (hooks/pre-receive, hooks/update, hooks/*.d/gitea) are
never touched. A repository without a hooks/<name>.d wrapper (a plain git
server) gets one; a foreign hooks/pre-receive or hooks/update is kept
running from hooks/<name>.d/40-previous, but only with --force.

On a developer's clone, --pre-commit installs a pre-commit hook that runs
`pushgate pre-commit` (where core.hooksPath points, if set); an existing
pre-commit hook keeps running first, as pre-commit.pushgate-previous.

Options:
  --repo DIR     one bare repository (may be repeated)
  --pre-commit [CLONE]  a working clone (default: the current directory)
  --gitea ROOT   every ROOT/<owner>/<repo>.git, wikis included
  --prefix DIR   install the binary into DIR/bin; without it, the prefix
                 the targets' existing hooks run pushgate from is kept
                 (/usr/local when none has hooks yet)
  --binary FILE  install this binary instead of build/pushgate
  --policy FILE  with --gitea: the server policy whose audit_log directory
                 to prepare (default /etc/pushgate/policy.yml, if it exists)
  --audit-log PATH  with --gitea: prepare this audit log's directory instead
  --uninstall    remove pushgate's hook files (the binary stays)
  --force        replace a foreign hooks/pre-receive or hooks/update
  -h, --help     show this help

A repository that cannot be done is reported on stderr and the others are
still done; the exit status is then 2.

With --gitea, the audit log's directory must exist for the hooks to
record bypasses (they refuse a bypass they cannot record). Run as root,
install.sh creates it, owned by ROOT's owner (the Gitea user), mode 0750;
only under root-owned parents that are not symbolic links. An existing
directory is left as it is. Run as another user, it checks that the
directory exists and that this user can write to it.

Gitea has no global hooks: repositories created later are covered by
running `install.sh --gitea ROOT` again (e.g. from cron every few minutes;
it keeps the prefix the existing hooks use).
USAGE
}

die() {
	echo "install.sh: $*" >&2
	exit 2
}

# One target failed: say which and why; the caller goes on with the rest.
fail() {
	echo "install.sh: $*" >&2
	return 1
}

src=$(cd "$(dirname "$0")" && pwd)
prefix=
binary=
force=0
uninstall=0
repos=
clones=
gitea_root=
policy_file=/etc/pushgate/policy.yml
audit_log=
nl='
'
default_ifs=$IFS

while [ $# -gt 0 ]; do
	case $1 in
	--repo) [ $# -ge 2 ] || die "--repo needs a directory"; repos="$repos$2$nl"; shift 2 ;;
	--gitea) [ $# -ge 2 ] || die "--gitea needs a directory"; gitea_root=$2; shift 2 ;;
	--pre-commit)
		shift
		if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
			clones="$clones$1$nl"
			shift
		else
			clones="$clones.$nl"
		fi ;;
	--prefix)
		[ $# -ge 2 ] && [ -n "$2" ] || die "--prefix needs a directory"
		prefix=$2
		shift 2 ;;
	--binary) [ $# -ge 2 ] || die "--binary needs a file"; binary=$2; shift 2 ;;
	--policy) [ $# -ge 2 ] && [ -n "$2" ] || die "--policy needs a file"; policy_file=$2; shift 2 ;;
	--audit-log) [ $# -ge 2 ] && [ -n "$2" ] || die "--audit-log needs a path"; audit_log=$2; shift 2 ;;
	--force) force=1; shift ;;
	--uninstall) uninstall=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

if [ -n "$gitea_root" ]; then
	[ -d "$gitea_root" ] || die "$gitea_root: not a directory"
	for r in "$gitea_root"/*/*.git; do
		[ -d "$r" ] && repos="$repos$r$nl"
	done
fi
[ -n "$repos" ] || [ -n "$gitea_root" ] || [ -n "$clones" ] ||
	die "nothing to do: give --repo DIR, --gitea ROOT or --pre-commit [CLONE] (see --help)"

# Temporaries: $work is a private directory for staging file contents; $tmp
# is the one temporary that may exist next to a target, between its
# creation and its rename. Both go on every way out.
work=
tmp=
cleanup() {
	[ -z "$tmp" ] || rm -f "$tmp"
	[ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
work=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-install.XXXXXXXXXX") ||
	die "cannot create a temporary directory"

# Succeed when $2 is a regular file (not a symbolic link) of mode $1.
has_mode() {
	case $2 in -*) set -- "$1" "./$2" ;; esac
	[ -n "$(find "$2" -prune -type f -perm "$1" -print 2>/dev/null)" ]
}

# Make $1 (the file $2 in the private directory, whose mode is $3) the file
# at path $1, unless it is that already (same bytes, same mode, not a link:
# its mtime is then kept). The copy is created in directory $4 under a new
# random dot-name that no hook runner picks up: cp creates a file that does
# not exist yet with O_EXCL and the source's mode, so nothing is written
# or chmod-ed through a link; then one rename puts it in place. Sets
# $changed.
install_file() {
	changed=0
	if has_mode "$3" "$1" && cmp -s "$2" "$1"; then
		return 0
	fi
	[ ! -L "$4" ] || fail "$4 is a symbolic link; not writing through it" || return 1
	tmp=$(mktemp -u "$4/.pushgate-tmp.XXXXXXXXXX") || { tmp=; return 1; }
	if [ -L "$1" ]; then
		echo "install.sh: replacing the symbolic link $1 (not writing through it)" >&2
	fi
	if [ -e "$tmp" ] || [ -L "$tmp" ] || ! cp "$2" "$tmp" || ! mv -f -T "$tmp" "$1"; then
		rm -f "$tmp"
		tmp=
		fail "could not write $1"
		return 1
	fi
	tmp=
	changed=1
}

# Write text $3 and a newline as file $1 with mode $2, staged in $4.
put_file() {
	printf '%s\n' "$3" >"$work/file" && chmod "$2" "$work/file" || return 1
	install_file "$1" "$work/file" "$2" "$4"
}

# A directory we are about to write into, inside a repository the Gitea
# user owns: it must be a real directory, not a link to somewhere else.
safe_dir() {
	if [ -L "$1" ]; then
		fail "$1 is a symbolic link; refusing to write through it"
	elif [ -e "$1" ] && [ ! -d "$1" ]; then
		fail "$1 is not a directory"
	elif [ ! -d "$1" ]; then
		mkdir "$1" || fail "could not create $1"
	fi
}

# The prefix our hook file $1 runs pushgate from, if it is one of ours.
hook_prefix() {
	[ -f "$1" ] && [ ! -L "$1" ] || return 0
	sed -n "s|^exec '\\(/[^']*\\)/bin/pushgate' .*|\\1|p" "$1" | head -n 1
}

clone_hooks() {
	git -C "$1" rev-parse --path-format=absolute --git-path hooks 2>/dev/null
}

# Every prefix the targets' existing hooks use, one per line.
installed_prefixes() {
	IFS=$nl
	set -f
	{
		for repo in $repos; do
			hook_prefix "$repo/hooks/pre-receive.d/50-pushgate"
			hook_prefix "$repo/hooks/update.d/50-pushgate"
		done
		for clone in $clones; do
			hooks=$(clone_hooks "$clone") || continue
			hook_prefix "$hooks/pre-commit"
		done
	} | sort -u
}

# Without --prefix, keep the prefix the hooks already run pushgate from:
# a re-run (from cron, say) must not quietly point them at another binary.
choose_prefix() {
	found=$(installed_prefixes)
	if [ -n "$prefix" ]; then
		case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
		while [ "$prefix" != / ] && [ "${prefix%/}" != "$prefix" ]; do
			prefix=${prefix%/}
		done
		printf '%s\n' "$found" | while IFS= read -r old; do
			[ -z "$old" ] || [ "$old" = "$prefix" ] ||
				echo "moving hooks from $old/bin/pushgate to $prefix/bin/pushgate (--prefix $prefix)"
		done
		return 0
	fi
	case $found in
	'')
		prefix=/usr/local ;;
	*"$nl"*)
		die "the existing hooks run pushgate from several prefixes:$nl$found${nl}re-run with --prefix DIR to point them all at DIR/bin/pushgate" ;;
	*)
		prefix=$found
		[ -f "$prefix/bin/pushgate" ] && [ -x "$prefix/bin/pushgate" ] ||
			die "the installed hooks run $prefix/bin/pushgate, which is missing; re-run with --prefix $prefix to install it there again, or with --prefix DIR to move the hooks to DIR/bin/pushgate"
		[ "$prefix" = /usr/local ] ||
			echo "keeping the installed prefix $prefix (--prefix DIR changes it)" ;;
	esac
}

install_binary() {
	if [ -z "$binary" ]; then
		binary=$src/build/pushgate
		if [ ! -x "$binary" ]; then
			echo "install.sh: building pushgate first (make)" >&2
			make -C "$src" >&2 || die "the build failed"
		fi
	fi
	[ -f "$binary" ] && [ -x "$binary" ] || die "$binary: not an executable"
	mkdir -p "$prefix/bin" || die "cannot create $prefix/bin"
	rm -f "$bin.pushgate-tmp" # an older install.sh's temporary
	cp "$binary" "$work/pushgate" && chmod 0755 "$work/pushgate" ||
		die "cannot read $binary"
	install_file "$bin" "$work/pushgate" 0755 "$prefix/bin" ||
		die "cannot install $bin"
	rm -f "$work/pushgate"
	[ "$changed" = 0 ] || echo "installed $bin"
}

wrapper_script() {
	cat <<'WRAPPER'
#!/bin/sh
# pushgate hook wrapper: runs every executable file in hooks/<name>.d/ in
# name order with the same input, and fails if any of them fails.
hookname=$(basename "$0")
dir=$(cd "$(dirname "$0")" && pwd)/$hookname.d
input=$(mktemp) || exit 1
trap 'rm -f "$input"' EXIT
cat >"$input"
status=0
for hook in "$dir"/*; do
	[ -f "$hook" ] && [ -x "$hook" ] || continue
	"$hook" "$@" <"$input"
	rc=$?
	[ "$status" != 0 ] || status=$rc
done
exit "$status"
WRAPPER
}

# Make sure hooks/$2 runs hooks/$2.d/*; keep a foreign hook only with --force.
ensure_wrapper() {
	repo=$1
	name=$2
	hook=$repo/hooks/$name
	safe_dir "$hook.d" || return 1
	# An interrupted run of an older install.sh could leave an executable
	# temporary inside the .d directory, where Gitea would run it.
	rm -f "$hook.d/50-pushgate.pushgate-tmp" "$hook.pushgate-tmp"
	if [ -f "$hook" ]; then
		if grep -qF -e "$name.d" -e 'hookname}.d' -e 'AUTO GENERATED BY GITEA' \
			-e 'pushgate hook wrapper' "$hook" 2>/dev/null; then
			return 0
		fi
		[ "$force" = 1 ] || fail "$hook is not a hooks/$name.d runner; re-run with --force to keep it as $name.d/40-previous and install one" || return 1
		mv -f -T "$hook" "$hook.d/40-previous" || fail "could not move $hook to $hook.d/40-previous" || return 1
		echo "moved $hook to $hook.d/40-previous"
	elif [ -e "$hook" ]; then
		fail "$hook is not a regular file"
		return 1
	fi
	put_file "$hook" 0755 "$(wrapper_script)" "$repo/hooks"
}

install_repo() {
	repo=$1
	[ -d "$repo/objects" ] && [ -f "$repo/HEAD" ] || fail "$repo: not a bare git repository" || return 1
	safe_dir "$repo/hooks" || return 1
	ensure_wrapper "$repo" pre-receive || return 1
	ensure_wrapper "$repo" update || return 1
	put_file "$repo/hooks/pre-receive.d/50-pushgate" 0755 "#!/bin/sh
# Installed by pushgate's install.sh; re-run it instead of editing.
exec '$bin' pre-receive" "$repo/hooks" || return 1
	put_file "$repo/hooks/update.d/50-pushgate" 0755 "#!/bin/sh
# Installed by pushgate's install.sh; re-run it instead of editing.
exec '$bin' update \"\$1\" \"\$2\" \"\$3\"" "$repo/hooks" || return 1
	echo "hooks installed in $repo"
}

uninstall_repo() {
	repo=$1
	[ ! -L "$repo/hooks" ] || fail "$repo/hooks is a symbolic link; not touching it" || return 1
	for name in pre-receive update; do
		[ ! -L "$repo/hooks/$name.d" ] || fail "$repo/hooks/$name.d is a symbolic link; not touching it" || return 1
		rm -f "$repo/hooks/$name.d/50-pushgate" || fail "could not remove $repo/hooks/$name.d/50-pushgate" || return 1
		if [ -f "$repo/hooks/$name" ] && grep -q 'pushgate hook wrapper' "$repo/hooks/$name"; then
			if [ -f "$repo/hooks/$name.d/40-previous" ]; then
				mv -f -T "$repo/hooks/$name.d/40-previous" "$repo/hooks/$name" ||
					fail "could not restore $repo/hooks/$name" || return 1
			elif [ -z "$(ls -A "$repo/hooks/$name.d" 2>/dev/null)" ]; then
				rm -f "$repo/hooks/$name"
				rmdir "$repo/hooks/$name.d" 2>/dev/null || true
			fi
		fi
	done
	echo "hooks removed from $repo"
}

# The client hook: chain an existing pre-commit hook instead of replacing it.
install_pre_commit() {
	hooks=$(clone_hooks "$1") || fail "$1: not a git working clone" || return 1
	hook=$hooks/pre-commit
	mkdir -p "$hooks" || fail "could not create $hooks" || return 1
	if [ -f "$hook" ] && ! grep -q 'pushgate pre-commit hook' "$hook"; then
		{ [ ! -e "$hook.pushgate-previous" ] && [ ! -L "$hook.pushgate-previous" ]; } || [ "$force" = 1 ] ||
			fail "$hook.pushgate-previous exists already; re-run with --force to replace it" || return 1
		mv -f -T "$hook" "$hook.pushgate-previous" || fail "could not move $hook aside" || return 1
		echo "kept the existing hook as $hook.pushgate-previous (it runs first)"
	fi
	put_file "$hook" 0755 "#!/bin/sh
# pushgate pre-commit hook, installed by install.sh --pre-commit.
# An earlier pre-commit hook runs first, as pre-commit.pushgate-previous.
previous=\"\$(dirname \"\$0\")/pre-commit.pushgate-previous\"
if [ -x \"\$previous\" ]; then \"\$previous\" \"\$@\" || exit \$?; fi
exec '$bin' pre-commit" "$hooks" || return 1
	echo "pre-commit hook installed in $hooks"
}

uninstall_pre_commit() {
	hooks=$(clone_hooks "$1") || fail "$1: not a git working clone" || return 1
	hook=$hooks/pre-commit
	if [ -f "$hook" ] && grep -q 'pushgate pre-commit hook' "$hook"; then
		rm -f "$hook"
		[ ! -f "$hook.pushgate-previous" ] || mv -f -T "$hook.pushgate-previous" "$hook" ||
			fail "could not restore $hook" || return 1
	fi
	echo "pre-commit hook removed from $hooks"
}

if [ "$uninstall" = 0 ]; then
	choose_prefix
	bin=$prefix/bin/pushgate
	case $bin in *"'"*) die "the prefix may not contain a single quote" ;; esac
	install_binary
fi

# The audit_log the server policy names, or nothing: `policy check FILE`
# prints the policy with every value quoted ('it''s'). A missing audit
# directory only makes it warn, which is why we are here.
policy_audit_log() {
	if [ -n "$audit_log" ]; then
		printf '%s\n' "$audit_log"
		return 0
	fi
	[ -e "$policy_file" ] || [ -L "$policy_file" ] || return 0
	if ! "$bin" policy check "$policy_file" >"$work/policy.out" 2>"$work/policy.err"; then
		cat "$work/policy.err" >&2
		fail "$policy_file is not a valid policy (see above); its audit_log directory was not prepared"
		return 1
	fi
	line=$(sed -n 's/^audit_log: //p' "$work/policy.out")
	case $line in
	'') ;;
	\'*\') line=${line#\'}; printf '%s\n' "${line%\'}" | sed "s/''/'/g" ;;
	*) fail "cannot read audit_log from $policy_file ($line); pass --audit-log PATH" ;;
	esac
}

# Succeed when directory $1 is root-owned and only root may add names to
# it (or it is sticky, like /tmp, where nobody can replace root's names).
root_held() {
	[ -n "$(find "$1" -prune -user 0 \( -perm -1000 -o \( ! -perm -020 ! -perm -002 \) \) -print 2>/dev/null)" ]
}

# The hooks create the audit log but never its directory, and refuse a
# bypass they cannot record. As root, make the directory for the Gitea
# user (ROOT's owner): every existing parent must be a real, root-held
# directory and every missing one is made with mkdir, which never
# follows a link, so the chown cannot be steered somewhere else.
prepare_audit_dir() {
	log=$(policy_audit_log) || return 1
	[ -n "$log" ] || return 0
	case $log in
	/*) ;;
	*) fail "audit_log $log is relative: the hooks would look for it in each repository; make it absolute"; return 1 ;;
	esac
	dir=$(dirname "$log")
	case /$dir/ in
	*/./*|*/../*) fail "audit_log $log: use a path without . or .. components"; return 1 ;;
	esac
	if [ "$(id -u)" != 0 ]; then
		[ -d "$dir" ] && [ -w "$dir" ] ||
			fail "audit_log $log: $dir does not exist or $(id -un) cannot write to it; run install.sh --gitea as root to create it, or create it owned by the Gitea user, mode 0750" || return 1
		return 0
	fi
	owner=$(ls -ldnL "$gitea_root" | awk '{ print $3 ":" $4 }')
	IFS=/
	set -f
	# shellcheck disable=SC2086 # split the path into its components
	set -- ${dir#/}
	IFS=$default_ifs
	set +f
	path=
	for comp; do
		shift
		[ -n "$comp" ] || continue
		path=$path/$comp
		if [ -L "$path" ]; then
			fail "audit_log $log: $path is a symbolic link; create $dir yourself, owned by the Gitea user, mode 0750"
			return 1
		elif [ -d "$path" ]; then
			if [ $# = 0 ]; then
				[ "$(ls -ldn "$path" | awk '{ print $3 ":" $4 }')" = "$owner" ] ||
					echo "install.sh: note: $path (the audit log's directory) is not owned by $owner like $gitea_root; make sure the Gitea user can write to it" >&2
				return 0
			fi
			root_held "$path" ||
				fail "audit_log $log: $path is not a root-owned directory only root can write; create $dir yourself, owned by the Gitea user, mode 0750" || return 1
		elif [ -e "$path" ]; then
			fail "audit_log $log: $path is not a directory"
			return 1
		else
			mkdir "$path" || fail "could not create $path" || return 1
			[ $# = 0 ] || continue
			chown "$owner" "$path" && chmod 0750 "$path" ||
				fail "could not give $path to $owner" || return 1
			echo "created $path for the audit log (owner $owner, mode 0750)"
		fi
	done
}

# Every target is tried, whatever became of the ones before it.
total=0
failed=0
audit_failed=0
if [ "$uninstall" = 0 ] && [ -n "$gitea_root" ]; then
	prepare_audit_dir || audit_failed=1
fi
# each_target LIST INSTALL UNINSTALL: run INSTALL (or UNINSTALL) on every
# line of LIST, counting the targets and the failures.
each_target() {
	install_fn=$2
	uninstall_fn=$3
	IFS=$nl
	set -f
	# shellcheck disable=SC2086 # one target per line
	set -- $1
	IFS=$default_ifs
	set +f
	for target; do
		total=$((total + 1))
		if [ "$uninstall" = 1 ]; then
			"$uninstall_fn" "$target"
		else
			"$install_fn" "$target"
		fi || failed=$((failed + 1))
	done
}
each_target "$repos" install_repo uninstall_repo
each_target "$clones" install_pre_commit uninstall_pre_commit
if [ "$failed" != 0 ]; then
	if [ "$failed" = "$total" ]; then
		echo "install.sh: $failed of $total targets failed (see above)" >&2
	else
		echo "install.sh: $failed of $total targets failed (see above); the others are done" >&2
	fi
	exit 2
fi
if [ "$audit_failed" != 0 ]; then
	echo "install.sh: the hooks are installed, but the audit log's directory is not ready (see above)" >&2
	exit 2
fi
