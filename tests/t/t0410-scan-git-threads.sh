#!/bin/bash
# pushgate scan --git on several threads: blobs are read and diffed in
# parallel, but the report is the one a single thread writes (same
# findings, same commits, same order), and a failure on any thread stops
# the scan with its message.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"

json_findings() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["rule"], f["path"], f["line"], f["column"], (f["commit"] or "-")[:12])' "$1"
}

# The report without its timing, which is all that may differ.
json_untimed() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
d["stats"].pop("seconds", None)
print(json.dumps(d, indent=1, sort_keys=True))' "$1"
}

short() { git rev-parse "$1" | cut -c1-12; }

# Files $1/f00.txt .. $1/f(N-1).txt of five lines each.
many_files() {
	mkdir -p "$1" && for i in $(seq -w 0 $(($2 - 1))); do
		printf "line 1 of %s\nline 2\nline 3\nline 4\nline 5\n" "$i" >"$1/f$i.txt"
	done
}

test_expect_success 'setup: a history of many files: edits, renames, deletions, a merge' '
	git init -q repo && cd repo &&
	many_files src 40 &&
	sed -i "3s/.*/token = \"$($GEN ghp)\"/" src/f07.txt &&
	sed -i "5s/.*/aws = \"$($GEN aws)\"/" src/f31.txt &&
	mkdir dup && printf "t = \"%s\"\n" "$($GEN ghp)" >dup/a.txt && cp dup/a.txt dup/b.txt &&
	git add . && git commit -q -m "many files" && short HEAD >../c_a &&
	for f in src/f*.txt; do echo "more" >>"$f"; done &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >>src/f22.txt &&
	git commit -q -am "edit every file" && short HEAD >../c_b &&
	git mv src/f38.txt src/moved38.txt && printf "aws = \"%s\"\n" "$($GEN aws)" >>src/moved38.txt &&
	git rm -q src/f39.txt && printf "\0\1%s\0" "$($GEN ghp)" >bin.dat && git add . &&
	git commit -q -m "rename, delete, binary" && short HEAD >../c_c &&
	git checkout -q -b side && many_files side 20 &&
	sed -i "2s/.*/s = \"$($GEN ghp)\"/" side/f17.txt &&
	git add side && git commit -q -m side && short HEAD >../c_s &&
	git checkout -q main && echo "main only" >>src/f01.txt && git commit -q -am "main edit" &&
	git merge -q --no-ff --no-commit side &&
	printf "e = \"%s\"\n" "$($GEN aws)" >>src/f02.txt && git add src/f02.txt &&
	git commit -q -m "evil merge" && short HEAD >../c_m
'

test_expect_success 'one thread: each secret once, at the commit that added it' '
	cd repo && test_expect_code 1 "$PUSHGATE" scan --git --jobs 1 --format json >../j1.json &&
	json_findings ../j1.json | sort >../got &&
	{
		echo "github-pat src/f07.txt 3 10 $(cat ../c_a)"
		echo "aws-access-key-id src/f31.txt 5 8 $(cat ../c_a)"
		echo "github-pat dup/a.txt 1 6 $(cat ../c_a)"
		echo "github-pat src/f22.txt 7 6 $(cat ../c_b)"
		echo "aws-access-key-id src/moved38.txt 7 8 $(cat ../c_c)"
		echo "github-pat bin.dat 1 3 $(cat ../c_c)"
		echo "github-pat side/f17.txt 2 6 $(cat ../c_s)"
		echo "aws-access-key-id src/f02.txt 7 6 $(cat ../c_m)"
	} | sort >../want &&
	diff -u ../want ../got &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"stats\"][\"skipped\"][\"binary\"]==0, d" ../j1.json
'

test_expect_success 'two, three and eight threads, and the default, write the same report' '
	cd repo && json_untimed ../j1.json >../want &&
	for j in 2 3 8 0; do
		test_expect_code 1 "$PUSHGATE" scan --git --jobs $j --format json >../j$j.json &&
		json_untimed ../j$j.json >../got &&
		diff -u ../want ../got || exit 1
	done
'

test_expect_success 'a blob missing from the repository stops every thread count with an error' '
	git init -q broken && cd broken && many_files src 40 && git add . && git commit -q -m one &&
	for f in src/f*.txt; do echo "more" >>"$f"; done && git commit -q -am two &&
	blob=$(git rev-parse HEAD:src/f35.txt) &&
	rm ".git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-)" &&
	for j in 1 2 3; do
		test_expect_code 2 "$PUSHGATE" scan --git --jobs $j >out 2>err &&
		test_grep "pushgate: error: reading a pushed blob" err &&
		test_grep "$blob" err || exit 1
	done
'

test_expect_success '--jobs must be a count' '
	cd repo && test_expect_code 2 "$PUSHGATE" scan --git --jobs -1 2>err &&
	test_grep "jobs takes a non-negative number" err
'

test_done
