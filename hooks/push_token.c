/*
 * push_token.c - pre-receive's "already decided" tokens for the update
 * hook (push_token.h).
 *
 * Push options reach pre-receive only, and git runs the update hook for
 * each ref right after an accepted pre-receive. So pre-receive leaves a
 * single-use token per accepted ref update in $GIT_DIR/pushgate-accepted/,
 * and the update hook that finds one accepts at once: a bypass holds,
 * and nothing is scanned twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/sha1.h"
#include "hooks/push_token.h"

/* A token older than this is stale (the push it belonged to died). */
#define TOKEN_SECONDS 600

#define TOKEN_DIR "pushgate-accepted"

/* GITDIR/pushgate-accepted/<SHA-1 of "OLD NEW REF">: one update's token. */
static int token_path(struct pg_buf *out, const char *gitdir, const char *oldhex,
		      const char *newhex, const char *ref)
{
	struct pg_buf key = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	unsigned char digest[PG_SHA1_LEN];
	char hex[PG_SHA1_HEX_LEN + 1];
	size_t n = strlen(gitdir);
	int error;

	if ((error = pg_buf_printf(&key, "%s %s %s", oldhex, newhex, ref)) < 0)
		goto out;
	pg_sha1_blob(digest, key.ptr, key.size);
	pg_sha1_hex(hex, digest);
	error = pg_buf_printf(out, "%s%s" TOKEN_DIR "/%s", gitdir,
			      n && gitdir[n - 1] == '/' ? "" : "/", hex);
out:
	pg_buf_release(&key);
	return error;
}

static int token_path_of(struct pg_buf *out, git_repository *repo, const struct pg_ref_update *u)
{
	char oldhex[GIT_OID_HEXSZ + 1], newhex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(oldhex, sizeof(oldhex), &u->old_id);
	git_oid_tostr(newhex, sizeof(newhex), &u->new_id);
	return token_path(out, git_repository_path(repo), oldhex, newhex, u->ref);
}

int pg_push_tokens_write(git_repository *repo, const struct pg_ref_updates *updates)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;
	int fd, error;

	if ((error = pg_buf_printf(&path, "%s" TOKEN_DIR, git_repository_path(repo))) < 0)
		goto out;
	if (mkdir(path.ptr, 0700) < 0 && errno != EEXIST) {
		error = pg_error_set(PG_EIO, "%s: %s", path.ptr, strerror(errno));
		goto out;
	}
	for (i = 0; i < updates->len; i++) {
		pg_buf_clear(&path);
		if ((error = token_path_of(&path, repo, &updates->items[i])) < 0)
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

/* 1 if the token at `path` was fresh (it is used up either way). */
static int token_take_path(const char *path)
{
	struct stat st;
	int found = 0;

	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		found = time(NULL) - st.st_mtime < TOKEN_SECONDS;
		(void)unlink(path);
	}
	return found;
}

int pg_push_token_take_update(git_repository *repo, const struct pg_ref_update *u)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = token_path_of(&path, repo, u)) == 0)
		error = token_take_path(path.ptr);
	pg_buf_release(&path);
	return error;
}

static bool is_full_hex_id(const char *s)
{
	unsigned char id[PG_SHA1_LEN];

	return pg_sha1_from_hex(id, s) && s[PG_SHA1_HEX_LEN] == '\0';
}

int pg_push_token_take(const char *ref, const char *oldhex, const char *newhex)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *gitdir = getenv("GIT_DIR");
	int error;

	/* Only git's own spelling of the ids: anything else takes the full path. */
	if (!gitdir || !*gitdir || !is_full_hex_id(oldhex) || !is_full_hex_id(newhex))
		return 0;
	if ((error = token_path(&path, gitdir, oldhex, newhex, ref)) == 0)
		error = token_take_path(path.ptr);
	pg_buf_release(&path);
	return error;
}
