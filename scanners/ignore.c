/*
 * ignore.c - read .pushgateignore and take out the findings it covers
 * (ignore.h).
 *
 * An entry is whole-line: a fingerprint names one secret at one path
 * under one rule, a glob names paths. A line that is neither (an
 * unterminated '[') is an error with its line number, never skipped: a
 * typo must not quietly ignore more, or less, than was written.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/glob.h"
#include "common/sha1.h"
#include "scanners/ignore.h"

/* A .pushgateignore is a short list; this bounds what a push can make us read. */
#define IGNORE_FILE_LIMIT ((size_t)1 << 20)

/* 40 hex digits in either case: made lower-case, as reports print fingerprints. */
static bool fingerprint_normalize(char *entry, size_t len)
{
	unsigned char id[PG_SHA1_LEN];
	char lower[PG_SHA1_HEX_LEN + 1];
	size_t i;

	if (len != PG_SHA1_HEX_LEN)
		return false;
	for (i = 0; i <= len; i++)
		lower[i] = (char)tolower((unsigned char)entry[i]);
	if (!pg_sha1_from_hex(id, lower))
		return false;
	memcpy(entry, lower, len);
	return true;
}

/* One line without its newline: trimmed, '#' comments dropped. */
static int entry_add(struct pg_ignore *ign, const char *name, size_t lineno, const char *s,
		     size_t len)
{
	const char *hash = memchr(s, '#', len);
	char *entry;
	int error;

	if (hash)
		len = (size_t)(hash - s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	if (!len)
		return 0;
	if (memchr(s, '\0', len))
		return pg_error_set(PG_EINVAL, "%s:%zu: not a fingerprint or a path glob", name,
				    lineno);
	if (!(entry = strndup(s, len)))
		return pg_error_oom();
	if (fingerprint_normalize(entry, len))
		error = pg_strlist_add(&ign->fingerprints, entry);
	else if (!pg_glob_valid(entry))
		error = pg_error_set(PG_EINVAL, "%s:%zu: invalid glob (unterminated '[')", name,
				     lineno);
	else
		error = pg_strlist_add(&ign->globs, entry);
	free(entry);
	return error;
}

int pg_ignore_parse(struct pg_ignore *ign, const char *name, const char *data, size_t len)
{
	const char *line = data, *end = data + len, *nl;
	size_t lineno = 1;
	int error;

	for (; line < end; line = nl + 1, lineno++) {
		if (!(nl = memchr(line, '\n', (size_t)(end - line))))
			nl = end;
		if ((error = entry_add(ign, name, lineno, line, (size_t)(nl - line))) < 0)
			return error;
	}
	return 0;
}

int pg_ignore_load_file(struct pg_ignore *ign, const char *path)
{
	struct pg_buf data = PG_BUF_INIT(IGNORE_FILE_LIMIT);
	int error = pg_file_read(&data, path);

	if (error == PG_ENOTFOUND)
		error = 0;
	else if (error == 0)
		error = pg_ignore_parse(ign, path, data.ptr, data.size);
	pg_buf_release(&data);
	return error;
}

static int load_blob(struct pg_ignore *ign, git_repository *repo, const git_oid *id,
		     const char *name)
{
	git_blob *blob = NULL;
	int error;

	if (git_blob_lookup(&blob, repo, id) < 0)
		return pg_error_set_git("reading " PG_IGNORE_FILE);
	if ((size_t)git_blob_rawsize(blob) > IGNORE_FILE_LIMIT)
		error = pg_error_set(PG_ELIMIT, "%s: larger than %zu bytes", name,
				     IGNORE_FILE_LIMIT);
	else
		error = pg_ignore_parse(ign, name, git_blob_rawcontent(blob),
					(size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

int pg_ignore_load_commit(struct pg_ignore *ign, git_repository *repo, const git_oid *commit_id)
{
	char hex[GIT_OID_HEXSZ + 1], name[GIT_OID_HEXSZ + sizeof(":" PG_IGNORE_FILE)];
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	const git_tree_entry *entry;
	int error = 0;

	if (git_commit_lookup(&commit, repo, commit_id) < 0 || git_commit_tree(&tree, commit) < 0) {
		error = pg_error_set_git("reading a commit's " PG_IGNORE_FILE);
		goto out;
	}
	if (!(entry = git_tree_entry_byname(tree, PG_IGNORE_FILE)))
		goto out;
	snprintf(name, sizeof(name), "%s:" PG_IGNORE_FILE,
		 git_oid_tostr(hex, sizeof(hex), commit_id));
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		error = pg_error_set(PG_EINVAL, "%s: not a file", name);
	else
		error = load_blob(ign, repo, git_tree_entry_id(entry), name);
out:
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

int pg_ignore_load_index(struct pg_ignore *ign, git_repository *repo)
{
	const git_index_entry *entry;
	git_index *index = NULL;
	int error = 0;

	if (git_repository_index(&index, repo) < 0)
		return pg_error_set_git("reading the index");
	if ((entry = git_index_get_bypath(index, PG_IGNORE_FILE, 0)))
		error = load_blob(ign, repo, &entry->id, ":" PG_IGNORE_FILE " (staged)");
	git_index_free(index);
	return error;
}

bool pg_ignore_matches(const struct pg_ignore *ign, const struct pg_finding *f)
{
	size_t i;

	for (i = 0; i < ign->fingerprints.len; i++)
		if (!strcmp(ign->fingerprints.items[i], f->fingerprint))
			return true;
	return pg_strlist_glob_match_path(&ign->globs, f->path);
}

int pg_ignore_apply(const struct pg_ignore *ign, struct pg_findings *findings,
		    struct pg_findings *allowed)
{
	struct pg_findings taken = { 0 };
	size_t i, kept = 0;
	int error;

	if (!findings->len || (!ign->fingerprints.len && !ign->globs.len))
		return 0;
	if (!(taken.items = calloc(findings->len, sizeof(*taken.items))))
		return pg_error_oom();
	taken.alloc = findings->len;
	for (i = 0; i < findings->len; i++) {
		if (pg_ignore_matches(ign, &findings->items[i]))
			taken.items[taken.len++] = findings->items[i];
		else
			findings->items[kept++] = findings->items[i];
	}
	findings->len = kept;
	error = (int)taken.len;
	if (allowed && taken.len && pg_findings_move(allowed, &taken) < 0)
		error = pg_error_oom();
	pg_findings_clear(&taken);
	return error;
}

void pg_ignore_clear(struct pg_ignore *ign)
{
	pg_strlist_clear(&ign->fingerprints);
	pg_strlist_clear(&ign->globs);
}
