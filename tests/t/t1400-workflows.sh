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

# A workflow at PATH whose one step has env T: ${{ secrets.X }} and runs
# the lines on standard input (one command per line): gen_workflow PATH
gen_workflow() {
	mkdir -p "$(dirname "$1")" &&
	{
		printf 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n'
		printf '      - name: Gen\n        env:\n          T: ${{ secrets.X }}\n        run: |\n'
		sed 's/^/          /'
	} >"$1" && git add "$1" && git commit -q -m "workflow $1"
}

# Every push's output, to check at the end that no planted token got out.
keep_out() {
	cat "$TRASH/push.out" >>"$TRASH/all.out"
}

# Encoders a secret may be piped through on its way to the log.
ENCODERS="base64|base64 -w0|xxd -p|od -c|hexdump -C|rev|tr a-z A-Z|sed s/x/y/|openssl enc -base64|openssl base64|gzip | base64|base32|cat | base64|base64 | tee out.txt"

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

test_expect_success 'a secret piped through an encoder into the log is rejected, every encoder' '
	cd work && git checkout -q -b feature/encoded develop &&
	echo "$ENCODERS" | tr "|" "\n" >/dev/null &&
	IFS="
" && for e in $(echo "$ENCODERS" | sed "s/|\([^ ]\)/\n\1/g"); do
		echo "echo \"\$T\" | $e"
		echo "printf %s \${{ secrets.Y }} | $e"
	done | gen_workflow .gitea/workflows/encoded.yml &&
	n=$(grep -c "" .gitea/workflows/encoded.yml) &&
	push_rejected "$REPO" origin feature/encoded && keep_out &&
	count=$(grep -c "x \[workflow-secret-to-log\] .gitea/workflows/encoded.yml:[0-9]*: job .build., step .Gen.: .* is written to the log, encoded or changed, by " "$TRASH/push.out") &&
	test "$count" = $((n - 9)) &&
	test_grep "encoded.yml:10: .*\$T (set from secrets.X) .* by echo | base64; Gitea masks only the exact value" "$TRASH/push.out" &&
	test_grep "encoded.yml:11: .*secrets.Y .* by printf | base64" "$TRASH/push.out"
'

test_expect_success 'environment dumps in a step with a secret in its env are rejected' '
	cd work && git checkout -q -b feature/dumps develop &&
	printf "%s\n" printenv env "env | sort" set "export -p" "declare -p" "declare -x" \
		"cat /proc/self/environ" "printenv T" | gen_workflow .gitea/workflows/dumps.yml &&
	push_rejected "$REPO" origin feature/dumps && keep_out &&
	for l in 10 11 12 13 14 15 16 17; do
		test_grep "x \[workflow-secret-to-log\] .gitea/workflows/dumps.yml:$l: .* writes every .* variable.* to the log, \$T (set from secrets.X) among them" "$TRASH/push.out" || exit 1
	done &&
	test_grep "dumps.yml:18: .*\$T (set from secrets.X) is written to the log by printenv" "$TRASH/push.out"
'

test_expect_success 'actions/github-script logging a secret is rejected, any version' '
	cd work && git checkout -q -b feature/gh-script develop && mkdir -p .gitea/workflows &&
	cat >.gitea/workflows/script.yml <<-\EOF &&
	on: push
	jobs:
	  notify:
	    runs-on: ubuntu-latest
	    steps:
	      - name: Log direct
	        uses: actions/github-script@v7
	        with:
	          script: console.log("${{ secrets.API_KEY }}")
	      - name: Log through a variable
	        uses: https://github.com/actions/github-script@v6
	        env:
	          TOKEN: ${{ secrets.DEPLOY_TOKEN }}
	        with:
	          script: |
	            const t = process.env.TOKEN;
	            core.info(`token is ${t}`);
	EOF
	git add .gitea && git commit -q -m script &&
	push_rejected "$REPO" origin feature/gh-script && keep_out &&
	test_grep "x \[workflow-secret-to-log\] .gitea/workflows/script.yml:9: job .notify., step .Log direct.: secrets.API_KEY is written to the log by console.log" "$TRASH/push.out" &&
	test_grep "x \[workflow-secret-to-log\] .gitea/workflows/script.yml:17: job .notify., step .Log through a variable.: t (set from secrets.DEPLOY_TOKEN) is written to the log by core.info" "$TRASH/push.out"
'

test_expect_success 'workflow files in subfolders and every workflow directory are checked' '
	cd work && git checkout -q -b feature/nested develop &&
	for f in .gitea/workflows/sub/ci.yml .github/workflows/deploy/prod/release.yaml \
		 .forgejo/workflows/ci.yml .gitea/workflows/a/b/c/.yml; do
		echo "echo \"\$T\"" | gen_workflow "$f" || exit 1
	done &&
	push_rejected "$REPO" origin feature/nested && keep_out &&
	test_grep "x \[workflow-secret-to-log\] .gitea/workflows/sub/ci.yml:10: job .build." "$TRASH/push.out" &&
	test_grep "x \[workflow-secret-to-log\] .github/workflows/deploy/prod/release.yaml:10:" "$TRASH/push.out" &&
	test_grep "x \[workflow-secret-to-log\] .forgejo/workflows/ci.yml:10:" "$TRASH/push.out" &&
	test_grep "x \[workflow-secret-to-log\] .gitea/workflows/a/b/c/.yml:10:" "$TRASH/push.out"
'

test_expect_success 'a policy with files: rules still checks workflow subfolders' '
	printf "version: 1\nextends: default\nfiles:\n  - branches: [\"*\"]\n    max_file_size: 1000000\n" >"$REPO/pushgate.yml" &&
	cd work && git checkout -q -b feature/nested-files develop &&
	echo "echo \"\$T\" | base64" | gen_workflow .gitea/workflows/x/y.yml &&
	push_rejected "$REPO" origin feature/nested-files && keep_out && rm "$REPO/pushgate.yml" &&
	test_grep "x \[workflow-secret-to-log\] .gitea/workflows/x/y.yml:10:" "$TRASH/push.out"
'

test_expect_success 'consumers, files, hashes and secret-free steps pass' '
	cd work && git checkout -q -b feature/fine develop &&
	printf "%s\n" \
		"echo \"\$T\" | docker login -u ci --password-stdin" \
		"echo \"\$T\" | base64 | docker login -u ci --password-stdin" \
		"printf %s \"\$T\" | base64 -w0 > \"\$RUNNER_TEMP/t\"" \
		"echo \"\$T\" | sha256sum" \
		"AUTH=\$(echo -n \"ci:\$T\" | base64)" \
		"deploy --config deploy.yml" \
		"env > \"\$RUNNER_TEMP/env\"" \
		"printenv HOME" \
		"set -euo pipefail" | gen_workflow .gitea/workflows/fine.yml &&
	cat >.gitea/workflows/quiet.yml <<-\EOF &&
	on: push
	jobs:
	  misc:
	    runs-on: ubuntu-latest
	    steps:
	      - name: Dump without secrets
	        run: env | sort
	      - name: Script using the secret
	        uses: actions/github-script@v7
	        env:
	          TOKEN: ${{ secrets.DEPLOY_TOKEN }}
	        with:
	          github-token: ${{ secrets.GITHUB_TOKEN }}
	          script: |
	            const t = process.env.TOKEN;
	            await github.request("POST /hooks", { headers: { authorization: t } });
	            core.info(`token length ${t.length}`);
	EOF
	git add .gitea && git commit -q -m quiet &&
	push_accepted origin feature/fine && keep_out && test_grep_not "workflow-" "$TRASH/push.out"
'

test_expect_success 'a token pasted into names the messages quote is shown redacted' '
	cd work && git checkout -q -b feature/token-names develop &&
	tok=$($GEN ghp) && gen=Zq7$(echo "$tok" | cut -c5-24)Xy9 &&
	printf "%s\n%s\n" "$tok" "$gen" >"$TRASH/tokens" &&
	mkdir -p .gitea/workflows &&
	printf "on: push\njobs:\n  %s:\n    runs-on: x\n    steps:\n      - name: step %s\n        run: echo \${{ secrets.X }}\n" \
		"$tok" "$gen" >.gitea/workflows/names.yml &&
	git add .gitea && git commit -q -m names &&
	push_rejected "$REPO" origin feature/token-names && keep_out &&
	test_grep "x \[workflow-secret-to-log\] .gitea/workflows/names.yml:7: job .ghp_[A-Za-z0-9]\{2\}...(redacted)., step .step Zq7[A-Za-z0-9]\{3\}...(redacted).: secrets.X" "$TRASH/push.out" &&
	test_grep_not "$tok" "$TRASH/push.out" && test_grep_not "$gen" "$TRASH/push.out"
'

test_expect_success 'no output of this script carries a planted token whole' '
	test -s "$TRASH/all.out" && test -s "$TRASH/tokens" &&
	while read -r t; do
		test_grep_not "$t" "$TRASH/all.out" || exit 1
	done <"$TRASH/tokens"
'

test_done
