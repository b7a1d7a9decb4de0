/*
 * finding.c - the list of findings: append, sort, free, fingerprint.
 *
 * Owns the copies of paths and secrets; never prints anything, so it
 * cannot leak a secret. Fingerprints are salted SHA-1 digests
 * (common/sha1.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/sha1.h"
#include "scanners/finding.h"

#define FINGERPRINT_SALT "pushgate-fingerprint-v1"

static char *copy_bytes(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void pg_finding_release(struct pg_finding *f)
{
	free(f->path);
	free(f->commit);
	free(f->author);
	if (f->secret) {
		/* Do not leave secrets lying in freed heap memory. */
		memset(f->secret, 0, f->secret_len);
		free(f->secret);
	}
	memset(f, 0, sizeof(*f));
}

int pg_finding_fingerprint(char out[41], const char *rule_id, const char *path,
			   const char *secret, size_t secret_len)
{
	size_t salt_len = sizeof(FINGERPRINT_SALT); /* with its NUL */
	size_t id_len = strlen(rule_id), path_len = strlen(path), len;
	unsigned char *data = NULL, digest[PG_SHA1_LEN];
	int error = 0;

	if (id_len > SIZE_MAX / 4 || path_len > SIZE_MAX / 4 || secret_len > SIZE_MAX / 4) {
		error = pg_error_set(PG_ELIMIT, "fingerprint input too large");
		goto out;
	}
	len = salt_len + id_len + 1 + path_len + 1 + secret_len;
	if (!(data = malloc(len))) {
		error = pg_error_oom();
		goto out;
	}
	memcpy(data, FINGERPRINT_SALT, salt_len);
	memcpy(data + salt_len, rule_id, id_len + 1);
	memcpy(data + salt_len + id_len + 1, path, path_len + 1);
	memcpy(data + salt_len + id_len + 1 + path_len + 1, secret, secret_len);
	pg_sha1_blob(digest, data, len);
	pg_sha1_hex(out, digest);
out:
	if (data) {
		memset(data, 0, len);
		free(data);
	}
	return error;
}

int pg_findings_add(struct pg_findings *list, const struct pg_rule *rule,
		    const char *path, const char *commit, size_t line, size_t column,
		    const char *secret, size_t secret_len)
{
	struct pg_finding f = { 0 }, *items;
	size_t alloc;
	int error = 0;

	if (list->len == list->alloc) {
		alloc = list->alloc ? list->alloc * 2 : 16;
		if (alloc < list->alloc || alloc > SIZE_MAX / sizeof(*items)) {
			error = pg_error_oom();
			goto out;
		}
		if (!(items = realloc(list->items, alloc * sizeof(*items)))) {
			error = pg_error_oom();
			goto out;
		}
		list->items = items;
		list->alloc = alloc;
	}
	f.rule = rule;
	f.confidence = rule->confidence;
	f.line = line;
	f.column = column;
	f.secret_len = secret_len;
	if (!(f.path = copy_bytes(path, strlen(path))) ||
	    (commit && !(f.commit = copy_bytes(commit, strlen(commit)))) ||
	    !(f.secret = copy_bytes(secret, secret_len))) {
		error = pg_error_oom();
		goto out;
	}
	if ((error = pg_finding_fingerprint(f.fingerprint, rule->id, path, secret, secret_len)) < 0)
		goto out;
	list->items[list->len++] = f;
	return 0;
out:
	pg_finding_release(&f);
	return error;
}

int pg_findings_move(struct pg_findings *dst, struct pg_findings *src)
{
	struct pg_finding *items;
	size_t alloc;

	if (!src->len)
		goto out;
	if (!dst->len) {
		free(dst->items);
		*dst = *src;
		src->items = NULL;
		src->alloc = 0;
		goto out;
	}
	if (dst->alloc - dst->len < src->len) {
		alloc = dst->len + src->len;
		if (alloc < dst->len || alloc > SIZE_MAX / sizeof(*items) / 2)
			return pg_error_oom();
		alloc *= 2;
		if (!(items = realloc(dst->items, alloc * sizeof(*items))))
			return pg_error_oom();
		dst->items = items;
		dst->alloc = alloc;
	}
	memcpy(dst->items + dst->len, src->items, src->len * sizeof(*items));
	dst->len += src->len;
out:
	src->len = 0;
	free(src->items);
	src->items = NULL;
	src->alloc = 0;
	return 0;
}

void pg_finding_lower(struct pg_finding *f, unsigned int reason)
{
	if ((f->lowered & reason) == reason)
		return;
	f->lowered |= reason;
	if (f->confidence < PG_CONFIDENCE_LOW)
		f->confidence = (enum pg_confidence)(f->confidence + 1);
}

int pg_finding_lowered_put(struct pg_buf *out, unsigned int lowered)
{
	static const char *const names[] = {
		"test path", "example path", "localisation file", "placeholder value",
		"hash-shaped value", "text value", "encrypted key", "well-known default"
	};
	size_t i;
	bool first = true;
	int error;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(lowered & (1u << i)))
			continue;
		if ((!first && (error = pg_buf_puts(out, ", ")) < 0) ||
		    (error = pg_buf_puts(out, names[i])) < 0)
			return error;
		first = false;
	}
	return 0;
}

static int compare_sizes(size_t a, size_t b)
{
	return a < b ? -1 : a > b;
}

static int compare_findings(const void *pa, const void *pb)
{
	const struct pg_finding *a = pa, *b = pb;
	size_t n;
	int c;

	if ((c = strcmp(a->path, b->path)))
		return c;
	if ((c = compare_sizes(a->line, b->line)))
		return c;
	if ((c = compare_sizes(a->column, b->column)))
		return c;
	if ((c = strcmp(a->rule->id, b->rule->id)))
		return c;
	/* The rest only makes the order total, so reports never depend on threads. */
	if ((c = strcmp(a->commit ? a->commit : "", b->commit ? b->commit : "")))
		return c;
	n = a->secret_len < b->secret_len ? a->secret_len : b->secret_len;
	if ((c = memcmp(a->secret, b->secret, n)))
		return c;
	return compare_sizes(a->secret_len, b->secret_len);
}

void pg_findings_sort(struct pg_findings *list)
{
	if (list->len > 1)
		qsort(list->items, list->len, sizeof(*list->items), compare_findings);
}

void pg_findings_clear(struct pg_findings *list)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		pg_finding_release(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->len = 0;
	list->alloc = 0;
}
