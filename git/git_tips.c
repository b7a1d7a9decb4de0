/*
 * git_tips.c - match commit ids against the branch and tag tips in the
 * files ref store (see git_tips.h for why not through libgit2).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/sha1.h"
#include "git/git_tips.h"
#include "git/oidset.h"

/* packed-refs larger than this read as "no" (every ref is hidden instead). */
#define PACKED_REFS_LIMIT ((size_t)256 << 20)

struct tips {
	const char *commondir;
	struct pg_oidset want;
	struct pg_oidset found;
	bool first[256];          /* first bytes of the wanted ids: most lines stop there */
};

/* 40 lower-case hex digits, as git writes ids into refs. */
static bool id_parse(git_oid *out, const char *s, size_t len)
{
	memset(out, 0, sizeof(*out));
	return len >= GIT_OID_HEXSZ && pg_sha1_from_hex(out->id, s);
}

static int note(struct tips *t, const git_oid *id)
{
	if (!pg_oidset_contains(&t->want, id))
		return 0;
	return pg_oidset_insert(&t->found, id) < 0 ? PG_ENOMEM : 0;
}

/* A loose ref: "<40 hex>\n"; a symbolic ref ("ref: ...") points at no id. */
static int loose_read(struct tips *t, const char *path)
{
	char data[GIT_OID_HEXSZ + 2];
	git_oid id;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, data, sizeof(data));
	close(fd);
	if (n < GIT_OID_HEXSZ || (n > GIT_OID_HEXSZ && data[GIT_OID_HEXSZ] != '\n'))
		return 0;
	if (!id_parse(&id, data, (size_t)n))
		return 0;
	return note(t, &id);
}

/* Every loose ref under `path` (a directory); `path` is restored on return. */
static int loose_walk(struct tips *t, struct pg_buf *path)
{
	size_t len = path->size, namelen;
	struct dirent *de;
	struct stat st;
	unsigned char type;
	DIR *dir;
	int error = 0;

	dir = opendir(path->ptr);
	if (!dir)
		return 0;
	while (!error && (de = readdir(dir))) {
		/* Not refs: dot files, and a ref being written (git's "<name>.lock"). */
		namelen = strlen(de->d_name);
		if (de->d_name[0] == '.' ||
		    (namelen >= 5 && !strcmp(de->d_name + namelen - 5, ".lock")))
			continue;
		if ((error = pg_buf_printf(path, "/%s", de->d_name)) < 0)
			break;
		type = de->d_type;
		if (type == DT_UNKNOWN && lstat(path->ptr, &st) == 0)
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		if (type == DT_DIR)
			error = loose_walk(t, path);
		else if (type == DT_REG)
			error = loose_read(t, path->ptr);
		path->size = len;
		path->ptr[len] = '\0';
	}
	closedir(dir);
	return error == PG_ELIMIT ? 0 : error;
}

/* Is there a loose ref (or anything) named `name`? Then it overrides the packed one. */
static bool loose_exists(const struct tips *t, const char *name, size_t len)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct stat st;
	bool exists = true; /* if we cannot tell, the packed entry does not count */

	if (pg_buf_puts(&path, t->commondir) == 0 && pg_buf_put(&path, name, len) == 0)
		exists = lstat(path.ptr, &st) == 0 || errno != ENOENT;
	pg_buf_release(&path);
	return exists;
}

static bool is_tip_name(const char *name, size_t len)
{
	return (len > 11 && !memcmp(name, "refs/heads/", 11)) ||
	       (len > 10 && !memcmp(name, "refs/tags/", 10));
}

/* packed-refs: "<40 hex> <name>" lines; '#' header, '^' peeled tag targets. */
static int packed_read(struct tips *t)
{
	struct pg_buf data = PG_BUF_INIT(PACKED_REFS_LIMIT), path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *p, *end, *eol, *name;
	unsigned char first;
	git_oid id;
	int error;

	if ((error = pg_buf_printf(&path, "%spacked-refs", t->commondir)) < 0)
		goto out;
	if ((error = pg_file_read(&data, path.ptr)) < 0) {
		error = error == PG_ENOMEM ? error : 0;
		goto out;
	}
	for (p = data.ptr, end = data.ptr + data.size; p < end; p = eol + 1) {
		if (!(eol = memchr(p, '\n', (size_t)(end - p))))
			eol = end;
		if (eol - p < GIT_OID_HEXSZ + 2 || p[GIT_OID_HEXSZ] != ' ' ||
		    !pg_sha1_from_hex_byte(&first, p) || !t->first[first] ||
		    !id_parse(&id, p, GIT_OID_HEXSZ) || !pg_oidset_contains(&t->want, &id))
			continue;
		name = p + GIT_OID_HEXSZ + 1;
		if (is_tip_name(name, (size_t)(eol - name)) &&
		    !loose_exists(t, name, (size_t)(eol - name)) && (error = note(t, &id)) < 0)
			goto out;
	}
out:
	pg_buf_release(&path);
	pg_buf_release(&data);
	return error;
}

int pg_git_tips_cover(bool *all, const char *commondir, const git_oid *ids, size_t n)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct tips t = { commondir, { 0 }, { 0 }, { false } };
	size_t i;
	int error = 0;

	*all = false;
	for (i = 0; i < n; i++) {
		if ((error = pg_oidset_insert(&t.want, &ids[i])) < 0)
			goto out;
		t.first[ids[i].id[0]] = true;
	}
	if ((error = pg_buf_printf(&path, "%srefs/heads", commondir)) < 0 ||
	    (error = loose_walk(&t, &path)) < 0)
		goto out;
	pg_buf_clear(&path);
	if ((error = pg_buf_printf(&path, "%srefs/tags", commondir)) < 0 ||
	    (error = loose_walk(&t, &path)) < 0 || (error = packed_read(&t)) < 0)
		goto out;
	*all = t.found.len + (size_t)t.found.has_zero == t.want.len + (size_t)t.want.has_zero;
out:
	pg_buf_release(&path);
	pg_oidset_clear(&t.want);
	pg_oidset_clear(&t.found);
	return error < 0 ? error : 0;
}
