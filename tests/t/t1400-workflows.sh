#!/bin/bash
# CI workflow files through real pushes: secrets written to the log are
# rejected, risky forms warn, the recommended forms pass; a literal
# credential in a workflow is a secret finding that says where it is.
. "$(dirname "$0")/lib-gitea.sh"

REPO=$ROOT/alice/app.git
FIX=$TOP/tests/fixtures/workflows
GEN="python3 $TOP/tests/t/lib-scan.py"

add_workflow() {
	mkdir -p .gitea/workflows && cp "$FIX/$1" ".gitea/workflows/$2" &&
	git add .gitea && git commit -q -m "workflow $2"
}

test_expect_success 'setup' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

test_expect_success 'a workflow echoing a secret to the log is rejected with file, line, job, step' '
	cd work && git checkout -q -b feature/leaky develop && add_workflow echo-secret.yml leak.yml &&
	push_rejected "$REPO" origin feature/leaky &&
	test_grep "x \[workflow-secret-to-log\] .gitea/workflows/leak.yml:9: job .build., step .Print token.: .*secrets.DEPLOY_TOKEN" "$TRASH/push.out" &&
	test_grep "leak.yml:15: job .build., step .Print env." "$TRASH/push.out" &&
	test_grep "fix: pass secrets through env:" "$TRASH/push.out"
'

test_expect_success 'the recommended forms (env: and --password-stdin) pass' '
	cd work && git checkout -q -b feature/stdin develop && add_workflow password-stdin.yml deploy.yml &&
	push_accepted origin feature/stdin && test_grep_not "workflow-" "$TRASH/push.out"
'

test_expect_success 'risky forms warn but are accepted' '
	cd work && git checkout -q -b feature/risky develop &&
	add_workflow ssh-no-host-key.yml ssh.yml && add_workflow remote-script.yml install.yml &&
	add_workflow args-interpolation.yml args.yml &&
	push_accepted origin feature/risky &&
	test_grep "push accepted with" "$TRASH/push.out" &&
	test_grep "! warning \[workflow-no-host-key-check\] .gitea/workflows/ssh.yml" "$TRASH/push.out" &&
	test_grep "! warning \[workflow-remote-script\] .gitea/workflows/install.yml" "$TRASH/push.out" &&
	test_grep "! warning \[workflow-secret-in-args\] .gitea/workflows/args.yml" "$TRASH/push.out"
'

test_expect_success 'the seed pipeline deploy-hub.yml warns about StrictHostKeyChecking' '
	cd work && git checkout -q -b feature/hub develop && add_workflow deploy-hub.yml deploy-hub.yml &&
	push_accepted origin feature/hub &&
	test_grep "\[workflow-no-host-key-check\] .gitea/workflows/deploy-hub.yml:16: job .deploy." "$TRASH/push.out"
'

test_expect_success 'severities come from the policy; check: false turns it off' '
	printf "version: 1\nextends: default\nworkflows:\n  no_host_key_check: reject\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/strict develop && add_workflow ssh-no-host-key.yml strict.yml &&
	push_rejected "$REPO" origin feature/strict &&
	test_grep "x \[workflow-no-host-key-check\]" "$TRASH/push.out" &&
	printf "version: 1\nextends: default\nworkflows:\n  check: false\n" >"$REPO/pushgate.yml" &&
	git checkout -q -b feature/unchecked develop && add_workflow echo-secret.yml leak.yml &&
	push_accepted origin feature/unchecked && rm "$REPO/pushgate.yml"
'

test_expect_success 'a workflow that does not parse is reported, not skipped' '
	cd work && git checkout -q -b feature/broken develop && add_workflow unparsable.yml broken.yml &&
	push_accepted origin feature/broken &&
	test_grep "! warning \[workflow-unparsable\] .gitea/workflows/broken.yml" "$TRASH/push.out"
'

test_expect_success 'a literal credential in a workflow is a secret finding that says so' '
	cd work && git checkout -q -b feature/literal develop && mkdir -p .github/workflows &&
	printf "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: deploy --token %s\n" "$($GEN ghp)" \
		>.github/workflows/deploy.yml && git add .github && git commit -q -m literal &&
	push_rejected "$REPO" origin feature/literal &&
	test_grep "x \[github-pat\] .github/workflows/deploy.yml:6:.*(in a CI workflow file: use \${{ secrets.NAME }})" "$TRASH/push.out"
'

test_expect_success 'workflow files outside the workflow directories are not checked' '
	cd work && git checkout -q -b feature/elsewhere develop && mkdir -p docs &&
	cp "$FIX/echo-secret.yml" docs/example.yml && git add docs && git commit -q -m docs &&
	push_accepted origin feature/elsewhere && test_grep_not "workflow-" "$TRASH/push.out"
'

test_done
