#!/bin/bash
# The labelled recall corpus (tests/corpus/recall): precision and recall
# per category must not fall below the recorded values, and the corpus on
# disk must be what generate.py writes (labels and files agree).
. "$(dirname "$0")/lib.sh"

CORPUS=$TOP/tests/corpus/recall

test_expect_success 'the committed corpus is what generate.py writes' '
	mkdir gen && cp "$CORPUS/generate.py" gen/ &&
	python3 gen/generate.py 2>/dev/null &&
	diff -r gen/files "$CORPUS/files" && cmp gen/labels.tsv "$CORPUS/labels.tsv"
'

test_expect_success 'precision and recall per category hold the recorded floor' '
	PUSHGATE_CACHE_DIR="$TRASH/cache" python3 "$CORPUS/score.py" "$PUSHGATE" \
		--check "$CORPUS/expected.json" >score.out 2>score.err ||
	{ cat score.out score.err; false; }
'

test_expect_success 'the check fails when a recorded value is out of reach' '
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
d[\"any\"][\"password\"][\"recall\"] = 1.01
json.dump(d, open(\"raised.json\", \"w\"))
" "$CORPUS/expected.json" &&
	test_must_fail env PUSHGATE_CACHE_DIR="$TRASH/cache" python3 "$CORPUS/score.py" "$PUSHGATE" \
		--check raised.json >score.out 2>score.err &&
	test_grep "any/password recall" score.err
'

test_done
