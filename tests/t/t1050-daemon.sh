#!/bin/bash
# Pushes over the git protocol (git daemon --enable=receive-pack on
# 127.0.0.1). The daemon's own environment is what reaches the hooks, so
# the Gitea variables are set when the daemon starts.
. "$(dirname "$0")/lib-gitea.sh"

DAEMON_PID=
# `git daemon` runs the real daemon as a child: stop both, by pid file too.
stop_daemon() {
	[ -f "$TRASH/daemon.pid" ] && kill "$(cat "$TRASH/daemon.pid")" 2>/dev/null
	[ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null
	rm -f "$TRASH/daemon.pid"
	DAEMON_PID=
	return 0
}
trap 'stop_daemon; cleanup' EXIT

# start_daemon [VAR=value...]: git daemon on a free port, sets $URL.
start_daemon() {
	stop_daemon
	for try in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + RANDOM % 40000))
		env "$@" git daemon --enable=receive-pack --export-all --reuseaddr \
			--base-path="$ROOT" --listen=127.0.0.1 --port=$port \
			--pid-file="$TRASH/daemon.pid" "$ROOT" >"$TRASH/daemon.log" 2>&1 &
		DAEMON_PID=$!
		for i in $(seq 1 50); do
			if git ls-remote "git://127.0.0.1:$port/alice/app.git" >/dev/null 2>&1; then
				URL=git://127.0.0.1:$port
				return 0
			fi
			kill -0 "$DAEMON_PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_daemon
	done
	echo "git daemon did not start"; cat "$TRASH/daemon.log"; return 1
}

test_expect_success 'setup: repository and daemon' '
	gitea_repo alice app &&
	start_daemon GITEA_PUSHER_NAME=alice &&
	echo "$URL" >url
'

test_expect_success 'creating main over git:// is accepted' '
	git init -q work && cd work && commit_file README.md &&
	push_accepted "$(cat ../url)/alice/app.git" main
'

test_expect_success 'a bad branch name over git:// is rejected, refs unchanged' '
	cd work && git branch Bad_Name &&
	push_rejected "$ROOT/alice/app.git" "$(cat ../url)/alice/app.git" Bad_Name &&
	test_grep "remote:.*\[branch-name\]" "$TRASH/push.out"
'

test_expect_success 'a direct push to main over git:// is rejected' '
	cd work && commit_file more.txt &&
	push_rejected "$ROOT/alice/app.git" "$(cat ../url)/alice/app.git" main &&
	test_grep "\[direct-push\]" "$TRASH/push.out"
'

test_expect_success 'the daemon environment carries Gitea facts: a pull-request merge' '
	start_daemon GITEA_PUSHER_NAME=alice GITEA_PR_ID=9 GITEA_PUSH_TRIGGER=pr-merge-to-base &&
	echo "$URL" >url && cd work && git reset -q --hard HEAD~1 &&
	git checkout -q -b develop && push_accepted "$(cat ../url)/alice/app.git" develop &&
	git checkout -q -b hotfix/quick-fix main && commit_file fix.c &&
	push_accepted "$(cat ../url)/alice/app.git" hotfix/quick-fix &&
	git checkout -q main && git merge -q --no-ff -m "Merge hotfix" hotfix/quick-fix &&
	push_accepted "$(cat ../url)/alice/app.git" main
'

test_done
