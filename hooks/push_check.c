/*
 * push_check.c - evaluate a push against the policy, print the verdict.
 *
 * Push options reach pre-receive only, so an authorised bypass leaves a
 * single-use token per ref update in $GIT_DIR/pushgate-bypass/ for the
 * update hook that git runs next for the same push.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "hooks/push_check.h"
#include "policy/policy.h"
#include "policy/ref_check.h"
#include "policy/verdict.h"

/* A bypass token older than this is stale (the push it belonged to died). */
#define BYPASS_TOKEN_SECONDS 600

static int bypass_token_path(struct pg_buf *out, git_repository *repo,
			     const struct pg_ref_update *u)
{
	struct pg_buf key = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	char oldhex[GIT_OID_HEXSZ + 1], newhex[GIT_OID_HEXSZ + 1], hex[GIT_OID_HEXSZ + 1];
	git_oid digest;
	int error;

	git_oid_tostr(oldhex, sizeof(oldhex), &u->old_id);
	git_oid_tostr(newhex, sizeof(newhex), &u->new_id);
	if ((error = pg_buf_printf(&key, "%s %s %s", oldhex, newhex, u->ref)) < 0)
		goto out;
	if (git_odb_hash(&digest, key.ptr, key.size, GIT_OBJECT_BLOB) < 0) {
		error = pg_error_set_git("hashing a bypass token");
		goto out;
	}
	git_oid_tostr(hex, sizeof(hex), &digest);
	error = pg_buf_printf(out, "%spushgate-bypass/%s", git_repository_path(repo), hex);
out:
	pg_buf_release(&key);
	return error;
}

static int bypass_tokens_write(git_repository *repo, const struct pg_ref_updates *updates)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;
	int fd, error = 0;

	if ((error = pg_buf_printf(&path, "%spushgate-bypass", git_repository_path(repo))) < 0)
		goto out;
	if (mkdir(path.ptr, 0700) < 0 && errno != EEXIST) {
		error = pg_error_set(PG_EIO, "%s: %s", path.ptr, strerror(errno));
		goto out;
	}
	for (i = 0; i < updates->len; i++) {
		pg_buf_clear(&path);
		if ((error = bypass_token_path(&path, repo, &updates->items[i])) < 0)
			goto out;
		(void)unlink(path.ptr);
		fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			error = pg_error_set(PG_EIO, "%s: %s", path.ptr, strerror(errno));
			goto out;
		}
		close(fd);
	}
out:
	pg_buf_release(&path);
	return error;
}

/* 1 if pre-receive authorised a bypass of this very update, consuming it. */
static int bypass_token_take(git_repository *repo, const struct pg_ref_update *u)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct stat st;
	int found = 0, error;

	if ((error = bypass_token_path(&path, repo, u)) < 0)
		goto out;
	if (lstat(path.ptr, &st) == 0 && S_ISREG(st.st_mode)) {
		found = time(NULL) - st.st_mtime < BYPASS_TOKEN_SECONDS;
		(void)unlink(path.ptr);
	}
	error = found;
out:
	pg_buf_release(&path);
	return error;
}

static void print_pusher(struct pg_buf *out, const char *pusher)
{
	if (pg_buf_put_name(out, pusher ? pusher : "(unknown user)") < 0)
		pg_buf_puts(out, "(name too long)");
}

/*
 * Decide about a requested bypass: 1 authorised (tokens written), 0 not
 * (and say why).
 */
static int bypass_apply(git_repository *repo, const struct pg_policy *policy,
			const struct pg_push_facts *facts, const struct pg_ref_updates *updates,
			const char *reason)
{
	struct pg_buf who = PG_BUF_INIT(1024), why = PG_BUF_INIT(1024);
	int error;

	print_pusher(&who, facts->pusher);
	if (!*reason) {
		fprintf(stderr, "pushgate: a bypass needs a reason: git push -o %s=\"why\"\n",
			PG_BYPASS_OPTION);
		error = 0;
	} else if (!pg_policy_is_bypass_user(policy, facts->pusher)) {
		fprintf(stderr, "pushgate: %s may not bypass the policy; ask an administrator "
			"listed under bypass.users\n", who.ptr);
		error = 0;
	} else if ((error = bypass_tokens_write(repo, updates)) == 0) {
		pg_buf_put_escaped(&why, reason, strlen(reason) > 200 ? 200 : strlen(reason));
		fprintf(stderr, "pushgate: policy bypassed by %s, reason: %s\n", who.ptr, why.ptr);
		error = 1;
	}
	pg_buf_release(&who);
	pg_buf_release(&why);
	return error;
}

static int open_repository(git_repository **repo)
{
	if (git_repository_open_ext(repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0)
		return pg_error_set_git("opening the repository");
	return 0;
}

static void print_verdict(const struct pg_verdict *verdict, const struct pg_policy *policy,
			  bool rejected, bool bypassed)
{
	size_t rejections = pg_verdict_rejections(verdict);
	size_t warnings = verdict->len - rejections;

	if (!verdict->len)
		return;
	if (rejected)
		fprintf(stderr, "pushgate: push rejected: %zu problem%s (policy: %s)\n", rejections,
			rejections == 1 ? "" : "s", policy->source);
	else
		fprintf(stderr, "pushgate: push accepted with %zu warning%s (policy: %s)\n",
			verdict->len, verdict->len == 1 ? "" : "s", policy->source);
	pg_verdict_print(stderr, verdict, bypassed);
	if (rejected)
		fprintf(stderr, "pushgate: nothing was updated; fix the problems above and push again\n");
	(void)warnings;
}

int pg_push_check(const struct pg_ref_updates *updates, const char *config,
		  enum pg_hook_kind kind)
{
	git_repository *repo = NULL;
	struct pg_policy *policy = NULL;
	struct pg_verdict verdict = { 0 };
	struct pg_push_facts facts;
	const char *reason;
	bool rejected, bypassed = false;
	size_t i;
	int error;

	if (!updates->len)
		return 0;
	if ((error = open_repository(&repo)) < 0)
		goto out;
	if ((error = pg_policy_load_effective(&policy, config, git_repository_path(repo))) < 0)
		goto out;
	pg_push_facts_from_env(&facts);
	for (i = 0; i < updates->len; i++)
		if ((error = pg_ref_check(&verdict, repo, policy, &facts, &updates->items[i])) < 0)
			goto out;

	rejected = pg_verdict_rejections(&verdict) > 0;
	if (rejected && kind == PG_HOOK_UPDATE) {
		error = bypass_token_take(repo, &updates->items[0]);
		if (error < 0)
			goto out;
		if (error == 1) {
			error = 0;
			goto out; /* pre-receive already reported the bypass */
		}
	}
	reason = kind == PG_HOOK_PRE_RECEIVE ? pg_push_option(PG_BYPASS_OPTION) : NULL;
	if (rejected && reason) {
		error = bypass_apply(repo, policy, &facts, updates, reason);
		if (error < 0)
			goto out;
		bypassed = error == 1;
		rejected = !bypassed;
	}
	print_verdict(&verdict, policy, rejected, bypassed);
	error = rejected ? 1 : 0;
out:
	pg_verdict_clear(&verdict);
	pg_policy_free(policy);
	git_repository_free(repo);
	return error;
}
