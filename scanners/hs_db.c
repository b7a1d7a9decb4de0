/*
 * hs_db.c - compile a rule set into one Hyperscan database and cache it.
 *
 * Owns the pattern flags (HS_FLAG_PREFILTER fallback, never SOM or
 * ALLOWEMPTY), the cache key and file format, and the checks that run
 * before any cached byte reaches hs_deserialize_database(). It must never
 * fail a scan because of the cache: every cache problem means "compile".
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/sha1.h"
#include "scanners/hs_db.h"

/*
 * Cache file layout (integers little-endian):
 *   8   magic "PGHSDB\r\n"
 *   4   format version
 *   20  key: SHA-1 of (rules digest, hs_version(), platform, format version)
 *   8   payload length
 *   ... payload: u32 rule count, one flag byte per rule, u32 max width per rule,
 *       hs_serialize_database() bytes
 *   8   checksum64() of the payload
 */
#define CACHE_MAGIC "PGHSDB\r\n"
#define CACHE_MAGIC_LEN 8
#define CACHE_HEADER_LEN (CACHE_MAGIC_LEN + 4 + 20 + 8)
#define CACHE_TRAILER_LEN 8
#define CACHE_PAYLOAD_MAX ((uint64_t)1 << 30)

static void put_le(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/*
 * Catches torn and corrupted files; nobody else can write the cache
 * directory (cache_dir_usable()), so it need not resist forgery. A
 * multiply per word: SHA-1 of the payload was a quarter of a warm start.
 */
static uint64_t checksum64(const unsigned char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, p + i, len - i);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 33);
}

static int cache_key(unsigned char key[20], const struct pg_rules *rules,
		     const hs_platform_info_t *plat)
{
	struct pg_buf m = PG_BUF_INIT(4096);
	unsigned char num[8];
	int error;

	put_le(num, PG_HS_DB_FORMAT_VERSION, 4);
	if ((error = pg_buf_puts(&m, "pushgate hsdb")) < 0 ||
	    (error = pg_buf_put(&m, num, 4)) < 0 ||
	    (error = pg_buf_put(&m, rules->digest, sizeof(rules->digest))) < 0 ||
	    (error = pg_buf_printf(&m, "%s%c", hs_version(), 0)) < 0)
		goto out;
	put_le(num, plat->tune, 4);
	if ((error = pg_buf_put(&m, num, 4)) < 0)
		goto out;
	put_le(num, plat->cpu_features, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	put_le(num, plat->reserved1, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	put_le(num, plat->reserved2, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	put_le(num, rules->len, 8);
	if ((error = pg_buf_put(&m, num, 8)) < 0)
		goto out;
	pg_sha1_blob(key, m.ptr, m.size);
out:
	pg_buf_release(&m);
	return error;
}

int pg_hs_db_cache_dir(struct pg_buf *out, const char *cache_dir)
{
	const char *env;

	pg_buf_clear(out);
	if (cache_dir)
		return pg_buf_puts(out, cache_dir);
	env = getenv("PUSHGATE_CACHE_DIR");
	if (env)
		return pg_buf_puts(out, env);
	env = getenv("XDG_CACHE_HOME");
	if (env && env[0] == '/')
		return pg_buf_printf(out, "%s/pushgate", env);
	env = getenv("HOME");
	if (env && env[0] == '/')
		return pg_buf_printf(out, "%s/.cache/pushgate", env);
	return 0;
}

/*
 * Create `dir` and missing parents (0700) and check that only we can
 * write to it: a cache entry is code for Hyperscan's loader, so a
 * directory others can write to is not used at all.
 */
static bool cache_dir_usable(const char *dir)
{
	struct stat st;
	char path[4096];
	size_t len = strlen(dir), i;

	if (!len || len >= sizeof(path))
		return false;
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return false;
		path[i] = i < len ? '/' : '\0';
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	return st.st_uid == geteuid() && !(st.st_mode & 022);
}

static int read_all(int fd, unsigned char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Validate a whole cache file in memory and deserialize it.
 * @return 1 loaded, 0 not usable (out untouched), PG_ENOMEM
 */
static int cache_parse(struct pg_hs_db *out, const unsigned char *file, size_t size,
		       const unsigned char key[20], size_t nrules)
{
	const unsigned char *payload, *flags, *widths, *ser;
	hs_database_t *db = NULL;
	unsigned char *prefilter = NULL;
	unsigned int *max_width = NULL;
	char *info = NULL;
	size_t ser_len, dbsize, i;
	uint64_t plen;
	int result = 0;

	if (size < CACHE_HEADER_LEN + CACHE_TRAILER_LEN ||
	    memcmp(file, CACHE_MAGIC, CACHE_MAGIC_LEN) ||
	    get_le(file + CACHE_MAGIC_LEN, 4) != PG_HS_DB_FORMAT_VERSION ||
	    memcmp(file + CACHE_MAGIC_LEN + 4, key, 20))
		goto out;
	plen = get_le(file + CACHE_MAGIC_LEN + 24, 8);
	if (plen > CACHE_PAYLOAD_MAX || plen != size - CACHE_HEADER_LEN - CACHE_TRAILER_LEN)
		goto out;
	payload = file + CACHE_HEADER_LEN;
	if (checksum64(payload, (size_t)plen) != get_le(payload + plen, CACHE_TRAILER_LEN))
		goto out;
	if (plen < 4 + 5 * (uint64_t)nrules || get_le(payload, 4) != nrules)
		goto out;
	flags = payload + 4;
	for (i = 0; i < nrules; i++)
		if (flags[i] > 1)
			goto out;
	widths = flags + nrules;
	ser = widths + 4 * nrules;
	ser_len = (size_t)plen - 4 - 5 * nrules;
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
		max_width[i] = (unsigned int)get_le(widths + 4 * i, 4);
	if (hs_deserialize_database((const char *)ser, ser_len, &db) != HS_SUCCESS)
		goto out;
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
	if (db)
		(void)hs_free_database(db);
	return result;
}

/* @return 1 loaded, 0 no usable entry, PG_ENOMEM */
static int cache_load(struct pg_hs_db *out, const char *path, const unsigned char key[20],
		      size_t nrules)
{
	unsigned char *file = NULL;
	struct stat st;
	int fd, result = 0;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_size < CACHE_HEADER_LEN + CACHE_TRAILER_LEN ||
	    (uint64_t)st.st_size > CACHE_PAYLOAD_MAX + CACHE_HEADER_LEN + CACHE_TRAILER_LEN)
		goto out;
	file = malloc((size_t)st.st_size);
	if (!file) {
		result = pg_error_oom();
		goto out;
	}
	if (read_all(fd, file, (size_t)st.st_size) < 0)
		goto out;
	result = cache_parse(out, file, (size_t)st.st_size, key, nrules);
out:
	free(file);
	close(fd);
	return result;
}

/* Best effort: on any failure the entry is simply not written. */
static void cache_store(struct pg_hs_db *db, const char *dir, const char *path,
			const unsigned char key[20])
{
	unsigned char header[CACHE_HEADER_LEN], count[4], sum[CACHE_TRAILER_LEN], width[4];
	struct pg_buf payload = PG_BUF_INIT(CACHE_PAYLOAD_MAX);
	char tmp[4200];
	char *ser = NULL;
	size_t ser_len, i;
	int fd = -1, dfd;
	bool created = false;

	if (hs_serialize_database(db->db, &ser, &ser_len) != HS_SUCCESS)
		goto out;
	put_le(count, db->len, 4);
	if (pg_buf_put(&payload, count, 4) < 0 ||
	    pg_buf_put(&payload, db->prefilter, db->len) < 0)
		goto out;
	for (i = 0; i < db->len; i++) {
		put_le(width, db->max_width[i], 4);
		if (pg_buf_put(&payload, width, 4) < 0)
			goto out;
	}
	if (pg_buf_put(&payload, ser, ser_len) < 0)
		goto out;
	put_le(sum, checksum64((const unsigned char *)payload.ptr, payload.size), sizeof(sum));
	memcpy(header, CACHE_MAGIC, CACHE_MAGIC_LEN);
	put_le(header + CACHE_MAGIC_LEN, PG_HS_DB_FORMAT_VERSION, 4);
	memcpy(header + CACHE_MAGIC_LEN + 4, key, 20);
	put_le(header + CACHE_MAGIC_LEN + 24, payload.size, 8);

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.%ld.tmp", path, (long)getpid(),
			     (long)gettid()) >= sizeof(tmp))
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	created = true;
	if (write_all(fd, header, sizeof(header)) < 0 ||
	    write_all(fd, payload.ptr, payload.size) < 0 ||
	    write_all(fd, sum, sizeof(sum)) < 0 || fsync(fd) < 0)
		goto out;
	if (close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto out;
	created = false;
	db->cache_written = true;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
out:
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp);
	free(ser);
	pg_buf_release(&payload);
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

		error = pg_error_set(PG_EINVAL, "%s:%u: rule '%s': Hyperscan cannot compile the pattern: %s",
				     rules->source, rule->line, rule->id, cerr->message);
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
		prefilter[i] = 0;
		if (hs_expression_info(rules->rules[i].pattern, flags[i], &info, &cerr) == HS_SUCCESS) {
			max_width[i] = info->max_width;
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
		if (hs_expression_info(rules->rules[i].pattern, flags[i], &info, &cerr) != HS_SUCCESS) {
			if (cerr && is_out_of_memory(cerr))
				return out_of_memory(cerr);
			return cerr ? compile_error(rules, cerr, (int)i)
				    : pg_error_set(PG_EINVAL, "%s:%u: rule '%s': Hyperscan cannot compile the pattern",
						   rules->source, rules->rules[i].line, rules->rules[i].id);
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
		exprs[i] = rules->rules[i].pattern;
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
	struct pg_buf dir = PG_BUF_INIT(4000);
	hs_platform_info_t plat;
	unsigned char key[20];
	char hex[PG_SHA1_HEX_LEN + 1];
	bool use_cache = false;
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
	if ((error = pg_hs_db_cache_dir(&dir, cache_dir)) < 0) {
		if (error != PG_ELIMIT)
			goto out;
		pg_buf_clear(&dir);
		error = 0;
	}
	if (dir.size && cache_dir_usable(dir.ptr)) {
		if ((error = cache_key(key, rules, &plat)) < 0)
			goto out;
		pg_sha1_hex(hex, key);
		use_cache = (size_t)snprintf(out->cache_path, sizeof(out->cache_path), "%s/%s.hsdb",
					     dir.ptr, hex) < sizeof(out->cache_path);
	}
	if (use_cache) {
		if ((error = cache_load(out, out->cache_path, key, rules->len)) < 0)
			goto out;
		if (error == 1) {
			error = 0;
			goto out;
		}
	} else {
		out->cache_path[0] = '\0';
	}
	if ((error = compile_db(out, rules, &plat)) < 0)
		goto out;
	if (use_cache)
		cache_store(out, dir.ptr, out->cache_path, key);
out:
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
