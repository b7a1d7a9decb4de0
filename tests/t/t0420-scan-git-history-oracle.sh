#!/bin/bash
# scan --git over a history with every shape whose outcome the order of
# blob reads could change: long runs of small edits to big files, a
# secret added, removed and added again at one path (the first commit is
# named), renames (within a scope, into and out of vendor/), clean and
# evil merges, binary/text toggles, an oversized blob that shrinks, a
# secret in a commit message, the same blob at two paths (one scope and
# two, the allowlisted path first and last). The report (less its
# timing) must be exactly the expected one, for one, two and four
# threads: the order in which the scanner reads blobs is its own
# business, what it reports is not.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"

# Label commit HEAD as $1 (its id in ../c_$1).
label() { git rev-parse HEAD >"../c_$1"; }

# One line per finding (allowed ones marked), its commit as a label.
json_findings() {
	python3 - "$1" <<-\PY
	import glob, json, os, sys
	labels = {}
	for f in glob.glob("../c_*"):
	    labels[open(f).read().strip()] = os.path.basename(f)[2:]
	d = json.load(open(sys.argv[1]))
	for kind in ("findings", "allowed"):
	    for f in d.get(kind, []):
	        where = "offset %d" % f["offset"] if "offset" in f else "%d:%d" % (f["line"], f["column"])
	        print(kind, f["rule"], f["path"], where, labels.get(f["commit"] or "", f["commit"]))
	s = d["stats"]
	print("skipped", json.dumps(s["skipped"], sort_keys=True))
	PY
}

# The report without its timing, which is all that may differ.
json_untimed() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
d["stats"].pop("seconds", None)
print(json.dumps(d, indent=1, sort_keys=True))' "$1"
}

# $1 lines "line N of NAME".
numbered() { seq -f "line %g of $2 with some words to make it longer" 1 "$1"; }

# Insert line $3 before line $2 of file $1.
insert_at() { sed -i "$2i\\$3" "$1"; }

test_expect_success 'setup: a history of every shape' '
	printf "version: 1\nsecrets:\n  max_blob_size: 400000\n" >policy.yml &&
	git init -q repo && cd repo &&
	numbered 3000 big >big.c && numbered 800 mid >mid.c && numbered 200 other >other.txt &&
	mkdir -p lib vendor a b zz &&
	printf "API_KEY = \"%s\"\n" "$(generic_value)" >lib/k.py && cp lib/k.py vendor/k.py &&
	printf "API_KEY = \"%s\"\n" "$(generic_value)" >vendor/z.py && cp vendor/z.py zz/z.py &&
	printf "API_KEY = \"%s\"\n" "$(generic_value)" >vendor/v.txt &&
	printf "x\ntoken = \"%s\"\n" "$($GEN ghp)" >a/x.txt && cp a/x.txt b/x.txt &&
	printf "\0\1\2token=%s\0" "$($GEN ghp)" >tool.bin &&
	numbered 50 t >t.dat &&
	{ numbered 10000 huge && printf "aws = \"%s\"\n" "$($GEN aws)"; } >huge.txt &&
	git add . && git commit -q -m "initial import" && label init &&

	for i in $(seq 1 12); do
		sed -i "$((i * 200))s/.*/edited line $i of big/" big.c &&
		sed -i "$((i * 50))s/.*/edited line $i of mid/" mid.c &&
		git commit -q -am "small edit $i" || exit 1
	done &&
	AGAIN=$($GEN ghp) &&
	insert_at mid.c 100 "again = \"$AGAIN\"" && git commit -q -am "a secret in mid.c" &&
	label first && sed -i "100d" mid.c && git commit -q -am "gone" &&
	insert_at big.c 1500 "aws = \"$($GEN aws)\"" &&
	git commit -q -am "$(printf "edit with a secret\n\ntoken %s in the message" "$($GEN ghp)")" &&
	label msg &&

	git checkout -q -b side &&
	numbered 30 side >side.txt && insert_at side.txt 10 "token = \"$($GEN ghp)\"" &&
	git add side.txt && git commit -q -m "side: add" && label side1 &&
	sed -i "100s/.*/side edit of other/" other.txt && git commit -q -am "side: other" &&
	git checkout -q main &&

	git mv big.c src_big.c && insert_at src_big.c 2000 "token = \"$($GEN ghp)\"" &&
	git commit -q -am "rename with an edit" && label rename &&
	for i in $(seq 1 6); do
		sed -i "$((i * 300 + 7))s/.*/more edits $i/" src_big.c &&
		sed -i "$((i * 60 + 3))s/.*/more edits $i/" mid.c &&
		git commit -q -am "more edits $i" || exit 1
	done &&
	insert_at mid.c 300 "again = \"$AGAIN\"" && git commit -q -am "the same secret again" &&
	mkdir -p conf && git mv vendor/v.txt conf/v.txt && git commit -q -m "out of vendor" &&
	label outofvendor &&
	git mv a/x.txt vendor/x.txt && git commit -q -m "into vendor" && label intovendor &&

	printf "\0binary now\ntoken = \"%s\"\n" "$($GEN ghp)" >>t.dat &&
	git commit -q -am "t.dat turns binary" && label tobinary &&
	numbered 50 t >t.dat && printf "aws = \"%s\"\n" "$($GEN aws)" >>t.dat &&
	git commit -q -am "t.dat text again" && label totext &&
	numbered 3000 huge >huge.txt && git show HEAD:huge.txt | tail -n 1 >>huge.txt &&
	git commit -q -am "huge.txt shrinks" &&
	label shrink &&

	git merge -q --no-ff --no-commit side &&
	insert_at other.txt 150 "aws = \"$($GEN aws)\"" && git add other.txt &&
	git commit -q -m "evil merge" && label evil &&
	git checkout -q -b side2 HEAD~3 &&
	printf "token = \"%s\"\n" "$($GEN ghp)" >s2.txt && git add s2.txt &&
	git commit -q -m "side2" && label side2 &&
	git checkout -q main && git merge -q --no-ff -m "clean merge" side2 && label clean &&
	sed -i "5s/.*/last edit/" mid.c && git rm -q b/x.txt && git commit -q -am "last" &&
	git tag -a -m "release" v1
'

test_expect_success 'one thread: exactly the expected findings' '
	cd repo &&
	test_expect_code 1 "$PUSHGATE" scan --git --jobs 1 --config ../policy.yml --format json >../j1.json &&
	json_findings ../j1.json | sort >../got &&
	sort >../want <<-EOF &&
	findings generic-api-key lib/k.py 1:12 init
	findings generic-api-key zz/z.py 1:12 init
	findings github-pat a/x.txt 2:10 init
	findings github-pat tool.bin offset 9 init
	findings aws-access-key-id big.c 1500:8 msg
	findings github-pat <commit message> 3:7 msg
	findings github-pat side.txt 10:10 side1
	findings github-pat mid.c 100:10 first
	findings github-pat src_big.c 2000:10 rename
	findings generic-api-key conf/v.txt 1:12 outofvendor
	findings github-pat t.dat offset 2362 tobinary
	findings aws-access-key-id t.dat 51:8 totext
	findings aws-access-key-id huge.txt 3001:8 shrink
	findings aws-access-key-id other.txt 150:8 evil
	findings github-pat s2.txt 1:10 side2
	skipped {"binary": 0, "symlink": 0, "too_large": 1, "unreadable": 0}
	EOF
	diff -u ../want ../got
'

test_expect_success 'two and four threads write the same report, byte for byte' '
	cd repo && json_untimed ../j1.json >../want &&
	for j in 2 4; do
		test_expect_code 1 "$PUSHGATE" scan --git --jobs $j --config ../policy.yml \
			--format json >../j$j.json &&
		json_untimed ../j$j.json >../got &&
		diff -u ../want ../got || exit 1
	done
'

test_done
