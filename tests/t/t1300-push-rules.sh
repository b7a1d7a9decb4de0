#!/bin/bash
# files: and commits: rules through real pushes: file size, forbidden
# key files, protected paths, commit messages, e-mails, sign-off, commit
# count; Gitea's merge commits are exempt from message rules.
. "$(dirname "$0")/lib-gitea.sh"

REPO=$ROOT/alice/app.git

policy() {
	{ printf "version: 1\nextends: default\n"; cat; } >"$REPO/pushgate.yml"
}

test_expect_success 'setup' '
	gitea_repo alice app &&
	git clone -q "file://$REPO" work 2>/dev/null &&
	cd work && commit_file README.md && git branch develop && push_accepted origin main develop
'

test_expect_success 'max_file_size: a file over the limit is rejected with sizes' '
	policy <<-\EOF &&
	files:
	  - branches: ["**"]
	    max_file_size: 2048
	EOF
	cd work && git checkout -q -b feature/big develop && head -c 5000 /dev/urandom >blob.dat &&
	git add blob.dat && git commit -q -m big &&
	push_rejected "$REPO" origin feature/big &&
	test_grep "\[file-size\] blob.dat is 4.9 KiB, over the 2.0 KiB limit for .feature/big." "$TRASH/push.out" &&
	test_grep "Git LFS" "$TRASH/push.out"
'

test_expect_success 'the same file under the limit passes' '
	cd work && git reset -q --hard develop && head -c 1000 /dev/urandom >blob.dat &&
	git add blob.dat && git commit -q -m small && push_accepted origin feature/big
'

test_expect_success 'forbidden_names: default stops key files but allows .env.example' '
	policy <<-\EOF &&
	files:
	  - branches: ["**"]
	    forbidden_names: default
	EOF
	cd work && git checkout -q -b feature/keys develop &&
	mkdir -p deploy && echo k >deploy/id_rsa && echo e >.env.production && echo x >.env.example &&
	echo c >server.pem && git add . && git commit -q -m keys &&
	push_rejected "$REPO" origin feature/keys &&
	test_grep "\[file-name\] deploy/id_rsa: key and credential files must not be committed" "$TRASH/push.out" &&
	test_grep "\[file-name\] .env.production" "$TRASH/push.out" &&
	test_grep "\[file-name\] server.pem" "$TRASH/push.out" &&
	test_grep_not "\.env\.example" "$TRASH/push.out" &&
	git rm -q --cached deploy/id_rsa .env.production server.pem && git commit -q --amend -m "keys gone" &&
	push_accepted origin feature/keys
'

test_expect_success 'a fast-forward that brings a forbidden file into develop is caught' '
	policy <<-\EOF &&
	files:
	  - branches: [develop]
	    forbidden_names: ["*.p12"]
	EOF
	cd work && git checkout -q -b feature/cert develop && echo p >cert.p12 && git add cert.p12 &&
	git commit -q -m cert && push_accepted origin feature/cert &&
	git checkout -q develop && git merge -q --ff-only feature/cert &&
	GITEA_PR_ID=3 push_rejected "$REPO" origin develop &&
	test_grep "\[file-name\] cert.p12" "$TRASH/push.out"
'

test_expect_success 'protected paths: only listed users may change them' '
	policy <<-\EOF &&
	files:
	  - branches: ["**"]
	    protected_paths:
	      - paths: [".gitea/workflows/**", "deploy/**"]
	        users: [ops-lead]
	EOF
	cd work && git checkout -q -b feature/ci develop && mkdir -p .gitea/workflows &&
	echo "on: push" >.gitea/workflows/ci.yml && git add .gitea && git commit -q -m ci &&
	GITEA_PUSHER_NAME=bob push_rejected "$REPO" origin feature/ci &&
	test_grep "\[protected-path\] .gitea/workflows/ci.yml is protected on .feature/ci.; bob may not change it" "$TRASH/push.out" &&
	test_grep "fix: ask one of these to make the change: ops-lead" "$TRASH/push.out" &&
	GITEA_PUSHER_NAME=ops-lead push_accepted origin feature/ci
'

test_expect_success 'deleting or renaming a protected file counts as changing it' '
	cd work && git mv .gitea/workflows/ci.yml .gitea/workflows/build.yml && git commit -q -m mv &&
	GITEA_PUSHER_NAME=bob push_rejected "$REPO" origin feature/ci &&
	test_grep "\[protected-path\] .gitea/workflows/build.yml" "$TRASH/push.out" &&
	git reset -q --hard origin/feature/ci && git rm -q .gitea/workflows/ci.yml && git commit -q -m rm &&
	GITEA_PUSHER_NAME=bob push_rejected "$REPO" origin feature/ci &&
	test_grep "\[protected-path\] .gitea/workflows/ci.yml" "$TRASH/push.out"
'

test_expect_success 'commit message pattern with its hint; WIP rejected' '
	policy <<-\EOF &&
	commits:
	  - branches: ["feature/**"]
	    message_pattern: "^(feat|fix|docs|chore)(\\(.+\\))?: .+"
	    message_hint: "Conventional Commits, e.g. feat: add login"
	    message_reject: "(?i)^(wip|fixup!)"
	EOF
	cd work && git checkout -q -b feature/msg develop && echo a >a.txt && git add a.txt &&
	git commit -q -m "added stuff" && echo b >b.txt && git add b.txt && git commit -q -m "WIP: half" &&
	push_rejected "$REPO" origin feature/msg &&
	test_grep "\[commit-message\] commit $(git rev-parse --short=7 HEAD~1) has a message the policy does not accept" "$TRASH/push.out" &&
	test_grep "fix: reword it (git rebase -i, reword) to: Conventional Commits, e.g. feat: add login" "$TRASH/push.out" &&
	test_grep "commit $(git rev-parse --short=7 HEAD) has a message the policy rejects" "$TRASH/push.out" &&
	git reset -q --hard develop && echo a >a.txt && git add a.txt && git commit -q -m "feat: add a" &&
	push_accepted origin feature/msg
'

test_expect_success 'author e-mail and DCO sign-off' '
	policy <<-\EOF &&
	commits:
	  - branches: ["**"]
	    author_email: "@example\\.com$"
	    signed_off: true
	EOF
	cd work && git checkout -q -b feature/dco develop && echo d >d.txt && git add d.txt &&
	git -c user.email=dev@gmail.invalid commit -q -m "no sign-off" &&
	push_rejected "$REPO" origin feature/dco &&
	test_grep "\[commit-email\] commit $(git rev-parse --short=7 HEAD) has an author e-mail" "$TRASH/push.out" &&
	test_grep "\[signed-off\] commit $(git rev-parse --short=7 HEAD) has no Signed-off-by: line" "$TRASH/push.out" &&
	git commit -q --amend -s --reset-author -m "signed" && push_accepted origin feature/dco
'

test_expect_success 'Gitea merge commits are exempt from message rules unless include_merges' '
	policy <<-\EOF &&
	commits:
	  - branches: [develop]
	    message_pattern: "^feat: "
	EOF
	cd work && git checkout -q develop && git reset -q --hard origin/develop &&
	git merge -q --no-ff -m "Merge pull request 9" origin/feature/msg &&
	GITEA_PR_ID=9 push_accepted origin develop &&
	policy <<-\EOF &&
	commits:
	  - branches: [develop]
	    message_pattern: "^feat: "
	    include_merges: true
	EOF
	git merge -q --no-ff -m "Merge pull request 10" origin/feature/dco &&
	GITEA_PR_ID=10 push_rejected "$REPO" origin develop &&
	test_grep "\[commit-message\] commit $(git rev-parse --short=7 HEAD)" "$TRASH/push.out"
'

test_expect_success 'max_commits guards against history dumps; listing is capped' '
	policy <<-\EOF &&
	commits:
	  - branches: ["**"]
	    max_commits: 20
	    signed_off: true
	EOF
	cd work && git checkout -q -b feature/dump origin/develop &&
	for i in $(seq 1 25); do echo $i >n.txt; git add n.txt; git commit -q -m "c$i"; done &&
	push_rejected "$REPO" origin feature/dump &&
	test_grep "\[max-commits\] the push brings 25 new commits to .feature/dump., more than the 20 allowed" "$TRASH/push.out" &&
	test $(grep -c "\[signed-off\] commit" "$TRASH/push.out") = 10 &&
	test_grep "\[signed-off\] ... and 15 more like this" "$TRASH/push.out"
'

test_expect_success 'policy check prints the sections back and they reload' '
	"$PUSHGATE" policy check "$REPO/pushgate.yml" >printed.yml &&
	test_grep "max_commits: 20" printed.yml && test_grep "signed_off: true" printed.yml &&
	"$PUSHGATE" policy check printed.yml >/dev/null
'

test_expect_success 'bad entries are FILE:LINE:COL errors' '
	printf "version: 1\nfiles:\n  - max_file_size: 10\n" >bad1.yml &&
	test_expect_code 2 "$PUSHGATE" policy check bad1.yml 2>err && test_grep "bad1.yml:3:5: files entry needs .branches." err &&
	printf "version: 1\nfiles:\n  - branches: [x]\n    forbidden_names: some\n" >bad2.yml &&
	test_expect_code 2 "$PUSHGATE" policy check bad2.yml 2>err && test_grep "bad2.yml:4:22: forbidden_names must be .default. or a list" err &&
	printf "version: 1\ncommits:\n  - branches: [x]\n    message_pattern: \"(\"\n" >bad3.yml &&
	test_expect_code 2 "$PUSHGATE" policy check bad3.yml 2>err && test_grep "bad3.yml:4:22: message_pattern" err &&
	printf "version: 1\nworkflows:\n  secret_to_log: maybe\n" >bad4.yml &&
	test_expect_code 2 "$PUSHGATE" policy check bad4.yml 2>err && test_grep "bad4.yml:3:18:" err
'

test_done
