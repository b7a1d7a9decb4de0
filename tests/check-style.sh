#!/bin/sh
# Banned calls and comment style (STYLE.md section 8). Prints offending
# lines and exits 1 if there are any.
set -u
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null; find $(sed -n 's/^LAYERS := //p' Makefile) tests -name '*.[ch]' 2>/dev/null)
files=$(printf '%s\n' $files | sort -u)
bad=0
banned='\<(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atof|strncpy|gets|system|popen)[[:space:]]*\('
if grep -nE "$banned" $files; then
	echo "check-style: banned call (use pg_buf, strtol, explicit lengths)"
	bad=1
fi
if grep -nE '(^|[^:"])//' $files | grep -vE '"[^"]*//[^"]*"'; then
	echo "check-style: use /* */ comments"
	bad=1
fi
sh tests/check-layers.sh || bad=1
[ "$bad" = 0 ] && echo "check-style: ok"
exit $bad
