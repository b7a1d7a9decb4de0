#!/bin/sh
# The layer check (docs/architecture.md, "Layers"): a source file may
# include headers of its own layer and of the layers before it in the
# Makefile's LAYERS, never of a later one; and the project's headers
# must not include each other in a circle. Prints each offending
# include and exits 1 if there is any.
set -u
cd "$(dirname "$0")/.."
layers=$(sed -n 's/^LAYERS := //p' Makefile)
if [ -z "$layers" ]; then
	echo "check-layers: no LAYERS := line in the Makefile"
	exit 1
fi
files=$(for l in $layers; do find "$l" -name '*.[ch]'; done | sort)

# "file included-header" for every project include in a layer's file.
edges=$(for f in $files; do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r h; do printf '%s %s\n' "$f" "$h"; done
done)

bad=$(printf '%s\n' "$edges" | awk -v layers="$layers" '
	BEGIN { n = split(layers, l, " "); for (i = 1; i <= n; i++) rank[l[i]] = i }
	NF == 2 {
		split($1, a, "/"); split($2, b, "/")
		if (!(b[1] in rank) || b[2] == "") {
			print $1 ": includes \"" $2 "\", which is in no layer"
		} else if (rank[b[1]] > rank[a[1]]) {
			print $1 ": includes \"" $2 "\": " b[1] "/ is above " a[1] "/"
		}
	}')
status=0
if [ -n "$bad" ]; then
	printf '%s\n' "$bad"
	echo "check-layers: an include points up a layer (order: $layers)"
	status=1
fi

# Header to header edges; tsort names a circle when there is one.
circle=$(printf '%s\n' "$edges" | awk '$1 ~ /\.h$/ { print $1, $2 }' | tsort 2>&1 >/dev/null)
if [ -n "$circle" ]; then
	printf '%s\n' "$circle"
	echo "check-layers: headers include each other in a circle"
	status=1
fi
[ "$status" = 0 ] && echo "check-layers: ok"
exit $status
