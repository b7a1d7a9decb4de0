/*
 * hs_db.c - compile a rule set into one Hyperscan database and cache it.
 *
 * Owns the pattern flags (HS_FLAG_PREFILTER fallback, never SOM or
 * ALLOWEMPTY), the cache key and file format, and the checks that run
 * before any cached byte reaches hs_deserialize_database(). It must never
 * fail a scan because of the cache: every cache problem means "compile".
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/file.h"
#include "common/sha1.h"
#include "scanners/cache_file.h"
#include "scanners/hs_db.h"

/*
 * Cache entry payload (cache_file.h; integers little-endian): u32 rule
 * count, one flag byte per rule, u32 max width per rule, then the
 * hs_serialize_database() bytes.
 */
static const struct pg_cache_kind cache_kind = { "PGHSDB\r\n", PG_HS_DB_FORMAT_VERSION, ".hsdb" };

static int cache_key(unsigned char key[20], const struct pg_rules *rules,
		     const hs_platform_info_t *plat)
{
	struct pg_buf m = PG_BUF_INIT(4096);
	unsigned char num[8];
	int error;

	pg_cache_put_le(num, PG_HS_DB_FORMAT_VERSION, 4);
	if ((error = pg_buf_puts(&m, "pushgate hsdb")) < 0 ||
	    (error = pg_buf_put(&m, num, 4)) < 0 ||
	    (error = pg_buf_put(&m, rules->digest, sizeof(rules->digest))) < 0 ||
	    (error = pg_buf_printf(&m, "%s%c", hs_version(), 0)) < 0)
		goto out;
	pg_cache_put_le(num, plat->tune, 4);
	if ((error = pg_buf_put(&m, num, 4)) < 0)
		goto out;
	pg_cache_put_le(num, plat->cpu_features, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	pg_cache_put_le(num, plat->reserved1, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	pg_cache_put_le(num, plat->reserved2, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	pg_cache_put_le(num, rules->len, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	pg_sha1_blob(key, m.ptr, m.size);
out:
	pg_buf_release(&m);
	return error;
}

/*
 * Check a valid entry's payload against the rules and deserialize it.
 * @return 1 loaded, 0 not usable (out untouched), PG_ENOMEM
 */
static int cache_parse(struct pg_hs_db *out, const unsigned char *payload, size_t plen,
		       size_t nrules)
{
	const unsigned char *flags, *widths, *ser;
	hs_database_t *db = NULL, *mem = NULL;
	unsigned char *prefilter = NULL;
	unsigned int *max_width = NULL;
	char *info = NULL;
	size_t ser_len, dbsize, i;
	int result = 0;

	if (plen < 4 + 5 * (uint64_t)nrules || pg_cache_get_le(payload, 4) != nrules)
		goto out;
	flags = payload + 4;
	for (i = 0; i < nrules; i++)
		if (flags[i] > 1)
			goto out;
	widths = flags + nrules;
	ser = widths + 4 * nrules;
	ser_len = plen - 4 - 5 * nrules;
	if (hs_serialized_database_info((const char *)ser, ser_len, &info) != HS_SUCCESS)
		goto out;
	if (!strstr(info, "Mode: BLOCK"))
		goto out;
	if (hs_serialized_database_size((const char *)ser, ser_len, &dbsize) != HS_SUCCESS)
		goto out;
	prefilter = malloc(nrules ? nrules : 1);
	max_width = malloc((nrules ? nrules : 1) * sizeof(*max_width));
	if (!prefilter || !max_width) {
		result = pg_error_oom();
		goto out;
	}
	memcpy(prefilter, flags, nrules);
	for (i = 0; i < nrules; i++)
		max_width[i] = (unsigned int)pg_cache_get_le(widths + 4 * i, 4);
	/*
	 * Into memory of our own, faulted in at once (a warm start's page
	 * faults were a third of its time). malloc-family memory, as
	 * Hyperscan's own databases are (hs_set_database_allocator() is never
	 * called), so hs_free_database() frees either.
	 */
	if (!(mem = aligned_alloc(64, (dbsize + 63) & ~(size_t)63))) {
		result = pg_error_oom();
		goto out;
	}
	pg_mem_prefault(mem, dbsize);
	if (hs_deserialize_database_at((const char *)ser, ser_len, mem) != HS_SUCCESS)
		goto out;
	db = mem;
	mem = NULL;
	out->db = db;
	out->prefilter = prefilter;
	out->max_width = max_width;
	out->len = nrules;
	out->origin = PG_HS_DB_CACHED;
	db = NULL;
	prefilter = NULL;
	max_width = NULL;
	result = 1;
out:
	/* Hyperscan's misc allocator is malloc unless hs_set_misc_allocator() was called; it is not. */
	free(info);
	free(prefilter);
	free(max_width);
	free(mem);
	if (db)
		(void)hs_free_database(db);
	return result;
}

/* Best effort: on any failure the entry is simply not written. */
static void cache_store(struct pg_hs_db *db, const char *dir, const unsigned char key[20])
{
	struct pg_buf payload = PG_BUF_INIT(PG_CACHE_PAYLOAD_MAX);
	unsigned char count[4], width[4];
	char *ser = NULL;
	size_t ser_len, i;

	if (hs_serialize_database(db->db, &ser, &ser_len) != HS_SUCCESS)
		goto out;
	pg_cache_put_le(count, db->len, 4);
	if (pg_buf_put(&payload, count, 4) < 0 ||
	    pg_buf_put(&payload, db->prefilter, db->len) < 0)
		goto out;
	for (i = 0; i < db->len; i++) {
		pg_cache_put_le(width, db->max_width[i], 4);
		if (pg_buf_put(&payload, width, 4) < 0)
			goto out;
	}
	if (pg_buf_put(&payload, ser, ser_len) < 0)
		goto out;
	db->cache_written = pg_cache_entry_write(dir, db->cache_path, &cache_kind, key,
						 payload.ptr, payload.size);
out:
	free(ser);
	pg_buf_release(&payload);
}

/* What Hyperscan looks for: the rule's prefilter, else its pattern. */
static const char *hs_expression(const struct pg_rule *rule)
{
	return rule->prefilter ? rule->prefilter : rule->pattern;
}

/* Its name in messages. */
static const char *hs_expression_kind(const struct pg_rule *rule)
{
	return rule->prefilter ? "prefilter" : "pattern";
}

/*
 * `which`: the rule the error is about, or -1 to take it from the error.
 * Hyperscan's out-of-memory error is a read-only static object, so the
 * rule index is never written into it.
 */
static int compile_error(const struct pg_rules *rules, hs_compile_error_t *cerr, int which)
{
	int error;

	if (which < 0)
		which = cerr->expression;
	if (which >= 0 && (size_t)which < rules->len) {
		const struct pg_rule *rule = &rules->rules[which];

		error = pg_error_set(PG_EINVAL, "%s:%u: rule '%s': Hyperscan cannot compile the %s: %s",
				     rules->source, rule->line, rule->id,
				     hs_expression_kind(rule), cerr->message);
	} else {
		error = pg_error_set(PG_EINVAL, "%s: Hyperscan cannot compile the rules: %s",
				     rules->source, cerr->message);
	}
	(void)hs_free_compile_error(cerr);
	return error;
}

/*
 * Hyperscan reports a failed allocation as a compile error (its static
 * "Unable to allocate memory." object); only the message tells it apart,
 * since single-pattern errors also carry expression -1.
 */
static bool is_out_of_memory(const hs_compile_error_t *cerr)
{
	return strstr(cerr->message, "allocate memory") != NULL;
}

static int out_of_memory(hs_compile_error_t *cerr)
{
	int error = pg_error_set(PG_ENOMEM, "Hyperscan: %s", cerr->message);

	(void)hs_free_compile_error(cerr);
	return error;
}

/*
 * Try each pattern alone first: a pattern Hyperscan cannot take exactly
 * (backreferences, lookarounds, atomic groups) is retried as a
 * prefilter, whose hits PCRE2 confirms anyway.
 */
static int choose_flags(const struct pg_rules *rules, unsigned int *flags, unsigned char *prefilter,
			unsigned int *max_width)
{
	hs_compile_error_t *cerr = NULL;
	hs_expr_info_t *info = NULL;
	size_t i;

	for (i = 0; i < rules->len; i++) {
		flags[i] = 0;
		/* A rule's own prefilter matches only part of what PCRE2 confirms. */
		prefilter[i] = rules->rules[i].prefilter != NULL;
		if (hs_expression_info(hs_expression(&rules->rules[i]), flags[i], &info,
				       &cerr) == HS_SUCCESS) {
			max_width[i] = prefilter[i] ? UINT_MAX : info->max_width;
			free(info);
			continue;
		}
		/* Not about the pattern (out of memory): no point in a prefilter. */
		if (cerr && is_out_of_memory(cerr))
			return out_of_memory(cerr);
		(void)hs_free_compile_error(cerr);
		cerr = NULL;
		flags[i] = HS_FLAG_PREFILTER;
		prefilter[i] = 1;
		if (hs_expression_info(hs_expression(&rules->rules[i]), flags[i], &info,
				       &cerr) != HS_SUCCESS) {
			if (cerr && is_out_of_memory(cerr))
				return out_of_memory(cerr);
			return cerr ? compile_error(rules, cerr, (int)i)
				    : pg_error_set(PG_EINVAL, "%s:%u: rule '%s': Hyperscan cannot compile the %s",
						   rules->source, rules->rules[i].line, rules->rules[i].id,
						   hs_expression_kind(&rules->rules[i]));
		}
		/* A prefilter's width is the approximation's, not the pattern's. */
		max_width[i] = UINT_MAX;
		free(info);
	}
	return 0;
}

static int compile_db(struct pg_hs_db *out, const struct pg_rules *rules,
		      const hs_platform_info_t *plat)
{
	const char **exprs = NULL;
	unsigned int *flags = NULL, *ids = NULL;
	hs_compile_error_t *cerr = NULL;
	size_t i, n = rules->len;
	int error = 0;
	hs_error_t rc;

	if (n > UINT32_MAX)
		return pg_error_set(PG_ELIMIT, "%s: too many rules", rules->source);
	exprs = calloc(n ? n : 1, sizeof(*exprs));
	flags = calloc(n ? n : 1, sizeof(*flags));
	ids = calloc(n ? n : 1, sizeof(*ids));
	out->prefilter = calloc(n ? n : 1, 1);
	out->max_width = calloc(n ? n : 1, sizeof(*out->max_width));
	if (!exprs || !flags || !ids || !out->prefilter || !out->max_width) {
		error = pg_error_oom();
		goto out;
	}
	out->len = n;
	for (i = 0; i < n; i++) {
		exprs[i] = hs_expression(&rules->rules[i]);
		ids[i] = (unsigned int)i;
	}
	if ((error = choose_flags(rules, flags, out->prefilter, out->max_width)) < 0)
		goto out;
	for (;;) {
		rc = hs_compile_multi(exprs, flags, ids, (unsigned int)n, HS_MODE_BLOCK, plat,
				      &out->db, &cerr);
		if (rc == HS_SUCCESS)
			break;
		if (!cerr) {
			error = pg_error_set(PG_ENOMEM, "Hyperscan compile failed (%d)", (int)rc);
			goto out;
		}
		/* The whole-database compile can reject what the per-pattern check let by. */
		if (!is_out_of_memory(cerr) && cerr->expression >= 0 && (size_t)cerr->expression < n &&
		    !out->prefilter[cerr->expression]) {
			flags[cerr->expression] |= HS_FLAG_PREFILTER;
			out->prefilter[cerr->expression] = 1;
			out->max_width[cerr->expression] = UINT_MAX;
			(void)hs_free_compile_error(cerr);
			cerr = NULL;
			continue;
		}
		error = is_out_of_memory(cerr) ? out_of_memory(cerr) : compile_error(rules, cerr, -1);
		goto out;
	}
	out->origin = PG_HS_DB_COMPILED;
out:
	free(exprs);
	free(flags);
	free(ids);
	return error;
}

int pg_hs_db_build(struct pg_hs_db *out, const struct pg_rules *rules, const char *cache_dir)
{
	struct pg_buf dir = PG_BUF_INIT(4000), file = PG_BUF_INIT(PG_CACHE_PAYLOAD_MAX + 64);
	const unsigned char *payload;
	hs_platform_info_t plat;
	unsigned char key[20];
	size_t len;
	int error;

	memset(out, 0, sizeof(*out));
	if (hs_populate_platform(&plat) != HS_SUCCESS) {
		error = pg_error_set(PG_ERROR, "Hyperscan cannot identify this CPU");
		goto out;
	}
	if (hs_valid_platform() != HS_SUCCESS) {
		error = pg_error_set(PG_ERROR, "Hyperscan does not support this CPU (it needs SSSE3)");
		goto out;
	}
	if ((error = cache_key(key, rules, &plat)) < 0 ||
	    (error = pg_cache_entry_path(&dir, out->cache_path, sizeof(out->cache_path), cache_dir,
					 &cache_kind, key)) < 0 ||
	    (error = pg_cache_entry_read(&file, &payload, &len, out->cache_path, &cache_kind,
					 key)) < 0)
		goto out;
	if (error == 1 && (error = cache_parse(out, payload, len, rules->len)) != 0) {
		if (error == 1)
			error = 0;
		goto out;
	}
	if ((error = compile_db(out, rules, &plat)) < 0)
		goto out;
	cache_store(out, dir.ptr, key);
out:
	pg_buf_release(&file);
	pg_buf_release(&dir);
	if (error < 0)
		pg_hs_db_release(out);
	return error;
}

void pg_hs_db_release(struct pg_hs_db *db)
{
	if (db->db)
		(void)hs_free_database(db->db);
	free(db->prefilter);
	free(db->max_width);
	memset(db, 0, sizeof(*db));
}
