#!/bin/bash
# pushgate scan --git: lines each commit adds, attributed to the commit
# that introduced them, each blob once; renames and clean merges do not
# re-report; --range, --repo, bare repositories, JSON and SARIF.
. "$(dirname "$0")/lib.sh"

GEN="python3 $TOP/tests/t/lib-scan.py"
GHP=$($GEN ghp)
AWS=$($GEN aws)

json_findings() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["rule"], f["path"], f["line"], f["column"], (f["commit"] or "-")[:12])' "$1"
}

test_expect_success 'setup: a history that adds, edits, renames and merges' '
	git init -q repo && cd repo &&
	printf "a\nb\ntoken = \"%s\"\n" "$GHP" >app.py && git add app.py && git commit -q -m add &&
	git rev-parse HEAD >../c_add &&
	printf "c\n" >>app.py && git commit -q -am edit &&
	git mv app.py main.py && git commit -q -m rename &&
	git checkout -q -b side && printf "aws = \"%s\"\n" "$AWS" >cloud.cfg && git add cloud.cfg &&
	git commit -q -m cloud && git rev-parse HEAD >../c_cloud &&
	git checkout -q main && echo other >other.txt && git add other.txt && git commit -q -m other &&
	git merge -q --no-ff -m "merge side" side
'

test_expect_success 'each secret once, at the commit and line that added it' '
	cd repo && test_expect_code 1 "$PUSHGATE" scan --git --format json >../r.json &&
	json_findings ../r.json >../got &&
	printf "aws-access-key-id cloud.cfg 1 8 %s\ngithub-pat app.py 3 10 %s\n" \
		"$(cut -c1-12 ../c_cloud)" "$(cut -c1-12 ../c_add)" | sort >../want &&
	sort ../got >../got.sorted && diff -u ../want ../got.sorted
'

test_expect_success 'an evil merge is attributed to the merge commit' '
	cd repo && git checkout -q -b side2 HEAD~1 && echo s >s.txt && git add s.txt && git commit -q -m s &&
	git checkout -q main && git merge -q --no-ff --no-commit side2 &&
	printf "k = \"%s\"\n" "$($GEN ghp)" >>other.txt && git add other.txt && git commit -q -m "evil merge" &&
	test_expect_code 1 "$PUSHGATE" scan --git --format json >../r2.json &&
	json_findings ../r2.json | grep "github-pat other.txt 2 6 $(git rev-parse HEAD | cut -c1-12)"
'

test_expect_success 'a rename with an edit reports only the edited line, not the file again' '
	git init -q rn && cd rn &&
	printf "x\ntoken = \"%s\"\ny\n" "$GHP" >a.py && git add a.py && git commit -q -m add &&
	git mv a.py b.py && printf "aws = \"%s\"\n" "$AWS" >>b.py && git commit -q -am "move and edit" &&
	printf "z\n" >>b.py && echo new >n.txt && git add n.txt && git commit -q -am "edit, add" &&
	test_expect_code 1 "$PUSHGATE" scan --git --format json >../rn.json &&
	json_findings ../rn.json | sort >../got &&
	printf "aws-access-key-id b.py 4 8 %s\ngithub-pat a.py 2 10 %s\n" \
		"$(git rev-parse HEAD~1 | cut -c1-12)" "$(git rev-parse HEAD~2 | cut -c1-12)" >../want &&
	diff -u ../want ../got
'

test_expect_success 'tree order: foo.c, foo/ and foo-bar side by side; a file that becomes a directory' '
	git init -q order && cd order &&
	mkdir foo && echo a >foo/a.txt && echo c >foo.c && echo d >foo-bar && echo x >x &&
	git add . && git commit -q -m one &&
	printf "k = \"%s\"\n" "$GHP" >>foo/a.txt && echo c2 >>foo.c && git commit -q -am two &&
	git rm -q x && mkdir x && printf "aws = \"%s\"\n" "$AWS" >x/s.txt && git add x &&
	git commit -q -m three &&
	test_expect_code 1 "$PUSHGATE" scan --git --format json >../order.json &&
	json_findings ../order.json | sort >../got &&
	printf "aws-access-key-id x/s.txt 1 8 %s\ngithub-pat foo/a.txt 2 6 %s\n" \
		"$(git rev-parse HEAD | cut -c1-12)" "$(git rev-parse HEAD~1 | cut -c1-12)" >../want &&
	diff -u ../want ../got
'

test_expect_success '--range limits the commits' '
	cd repo && "$PUSHGATE" scan --git --range "$(cat ../c_cloud)..$(cat ../c_cloud)" &&
	test_expect_code 1 "$PUSHGATE" scan --git --range "$(cat ../c_add)" --format json >../r3.json &&
	test "$(json_findings ../r3.json | wc -l)" = 1 &&
	test_expect_code 1 "$PUSHGATE" scan --git --range "$(cat ../c_add)..side" --format json >../r4.json &&
	json_findings ../r4.json | grep "^aws-access-key-id" && ! json_findings ../r4.json | grep github-pat
'

test_expect_success 'a bad --range is a usage or git error, exit 2' '
	cd repo && test_expect_code 2 "$PUSHGATE" scan --git --range nosuchrev 2>err &&
	test_grep "pushgate: error: reading --range" err &&
	test_expect_code 2 "$PUSHGATE" scan --git --range "main...side" 2>err &&
	test_grep "A...B" err
'

test_expect_success '--repo DIR and bare repositories work; paths are repository-relative' '
	git clone -q --bare repo bare.git &&
	test_expect_code 1 "$PUSHGATE" scan --git --repo bare.git --format json >r5.json &&
	json_findings r5.json | grep "github-pat app.py 3 10"
'

test_expect_success 'a detached HEAD commit is scanned by default' '
	cd repo && git checkout -q --detach && printf "d = \"%s\"\n" "$($GEN aws)" >det.cfg &&
	git add det.cfg && git commit -q -m detached &&
	test_expect_code 1 "$PUSHGATE" scan --git --format json >../r6.json &&
	json_findings ../r6.json | grep "det.cfg" && git checkout -q main
'

test_expect_success 'SARIF carries the commit-relative locations, redacted' '
	cd repo && test_expect_code 1 "$PUSHGATE" scan --git --format sarif >../r.sarif &&
	python3 "$TOP/tests/t/lib-sarif.py" ../r.sarif &&
	python3 -c "import json,sys
d = json.load(open(sys.argv[1]))
res = d[\"runs\"][0][\"results\"]
uris = sorted(r[\"locations\"][0][\"physicalLocation\"][\"artifactLocation\"][\"uri\"] for r in res)
assert \"app.py\" in uris and \"cloud.cfg\" in uris, uris" ../r.sarif &&
	test_grep_not "$GHP" ../r.sarif && test_grep_not "$AWS" ../r.sarif
'

test_expect_success 'blobs over the policy limit are counted as too large, not scanned' '
	printf "version: 1\nsecrets:\n  max_blob_size: 100\n" >small.yml &&
	git init -q big && cd big && head -c 5000 /dev/zero | tr "\0" x >big.txt &&
	printf "t = \"%s\"\n" "$GHP" >>big.txt && git add big.txt && git commit -q -m big &&
	"$PUSHGATE" scan --git --config ../small.yml --format json >../r7.json &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"stats\"][\"skipped\"][\"too_large\"]==1, d" ../r7.json
'

test_expect_success 'binary blobs are scanned whole, findings at their byte offset' '
	git init -q bin && cd bin && printf "\0\1%s\0" "$GHP" >b.bin && git add b.bin && git commit -q -m b &&
	test_expect_code 1 "$PUSHGATE" scan --git --format json >../r8.json &&
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); f=d[\"findings\"]; assert d[\"stats\"][\"skipped\"][\"binary\"]==0 and len(f)==1 and f[0][\"path\"]==\"b.bin\" and f[0][\"offset\"]==2, d" ../r8.json &&
	test_expect_code 1 "$PUSHGATE" scan --git >../r8.txt &&
	test_grep "b.bin:byte 2: github-pat" ../r8.txt
'

test_expect_success 'each --git finding names the author and date of the commit that added it' '
	git init -q authored && cd authored &&
	printf "t = \"%s\"\n" "$(python3 "$TOP/tests/t/lib-scan.py" ghp)" >a.py && git add a.py &&
	GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL=ada@example.org \
		GIT_AUTHOR_DATE="2026-03-04T05:06:07Z" git commit -q -m add &&
	test_expect_code 1 "$PUSHGATE" scan --git --format json >../a.json &&
	python3 -c "import json; f = json.load(open(\"../a.json\"))[\"findings\"][0]
assert f[\"author\"] == \"Ada Lovelace <ada@example.org>\", f
assert f[\"date\"] == \"2026-03-04T05:06:07Z\", f" &&
	test_expect_code 1 "$PUSHGATE" scan --git >../a.txt &&
	test_grep "; by Ada Lovelace <ada@example.org> on 2026-03-04T05:06:07Z\]$" ../a.txt &&
	test_expect_code 1 "$PUSHGATE" scan --git --format sarif >../a.sarif &&
	python3 -c "import json; p = json.load(open(\"../a.sarif\"))[\"runs\"][0][\"results\"][0][\"properties\"]
assert p[\"author\"] == \"Ada Lovelace <ada@example.org>\" and p[\"date\"] == \"2026-03-04T05:06:07Z\", p" &&
	test_expect_code 1 "$PUSHGATE" scan --format json a.py >../files.json &&
	python3 -c "import json; f = json.load(open(\"../files.json\"))[\"findings\"][0]
assert \"author\" not in f and \"date\" not in f, f"
'

test_expect_success 'usage errors: --git with paths, --range without --git' '
	test_expect_code 2 "$PUSHGATE" scan --git some/path 2>err && test_grep "takes no PATH" err &&
	test_expect_code 2 "$PUSHGATE" scan --range HEAD 2>err && test_grep "goes with --git" err &&
	test_expect_code 2 "$PUSHGATE" scan --git --staged 2>err && test_grep "exclude each other" err
'

test_expect_success 'outside a repository: a clear error' '
	mkdir -p empty && cd empty && GIT_CEILING_DIRECTORIES=$TRASH test_expect_code 2 "$PUSHGATE" scan --git 2>err &&
	test_grep "pushgate: error: finding the repository" err
'

test_done
