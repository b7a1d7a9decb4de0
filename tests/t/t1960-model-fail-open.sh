#!/bin/bash
# Model-based property test: content a pusher controls never switches the
# secret check off. tests/t/lib-model.py builds random small histories from
# a vocabulary of tricks (binary/text toggles, LFS-looking headers, renames
# in and out of allowlisted paths, one blob at several paths, merges,
# deletions, commit and tag messages) with synthetic secrets planted at
# known places, pushes them into a Gitea-layout repository with pushgate
# installed, and checks pre-receive, `scan --git` and pre-commit against
# what the history holds. Reproduce with the printed MODEL_SEED (and
# MODEL_ONLY=K for one history); MODEL_TRICKS=lfs,binary,... restricts the
# vocabulary; MODEL_HISTORIES sets the length of the main run (`make
# fuzz-model` runs 500).
. "$(dirname "$0")/lib-gitea.sh"

REPO=$ROOT/model/template.git
MODEL_SEED=${MODEL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
export MODEL_SEED
echo "# MODEL_SEED=$MODEL_SEED"

# The secret check is under test, not the tag rules: tags need not be on main.
# Nor the confidence mapping: the model's generic secrets (low confidence,
# which only warns by default) must reject too, on the server and in
# pre-commit alike, so the policy comes from PUSHGATE_CONFIG.
export PUSHGATE_CONFIG=$TRASH/model-policy.yml
test_expect_success 'setup: a template repository with pushgate installed' '
	gitea_repo model template &&
	cat >"$PUSHGATE_CONFIG" <<-\EOF &&
	version: 1
	extends: default
	secrets:
	  confidence: {low: reject}
	tags:
	  - match: "**"
	    pattern: "^v[0-9]+\\.[0-9]+\\.[0-9]+$"
	    immutable: true
	EOF
	cp "$PUSHGATE_CONFIG" "$REPO/pushgate.yml" &&
	"$PUSHGATE" policy check "$REPO/pushgate.yml" >/dev/null &&
	echo x | "$PUSHGATE" scan - >/dev/null
'

# model LABEL ENV...: one run of the driver, its TAP lines numbered on.
model() {
	label=$1
	shift
	mkdir -p "$TRASH/model/$label"
	env "$@" python3 "$TOP/tests/t/lib-model.py" run --pushgate "$PUSHGATE" --template "$REPO" \
		--dir "$TRASH/model/$label" --first $((test_count + 1)) --label "$label" \
		--counts "$TRASH/model/$label.counts"
	if read -r n bad <"$TRASH/model/$label.counts" 2>/dev/null; then
		test_count=$((test_count + n))
		test_failed=$((test_failed + bad))
	else
		test_count=$((test_count + 1))
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $label: the model driver died"
	fi
}

# The harness first: plain text-file secrets are all rejected, and with
# no secret anywhere every push is accepted. Then the whole vocabulary.
model harness-text MODEL_TRICKS=text MODEL_HISTORIES=${MODEL_HARNESS_HISTORIES:-3}
model harness-clean MODEL_NO_SECRETS=1 MODEL_HISTORIES=${MODEL_HARNESS_HISTORIES:-3} \
	MODEL_TRICKS=${MODEL_TRICKS:-text,binary,lfs,rename,sameblob,merge,delete,message,tag}
model model MODEL_HISTORIES=${MODEL_HISTORIES:-16}

test_done
