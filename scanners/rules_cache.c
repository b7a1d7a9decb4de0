/*
 * rules_cache.c - encode a parsed rule set into a cache entry and back
 * (see rules_cache.h for why).
 *
 * Entry payload, integers little-endian, a string as u32 length + bytes
 * (no NUL), a list as u32 count + strings:
 *   u32 rule count
 *   allowlist (global), list generic_paths
 *   per rule: id, description, u8 severity, pattern, prefilter ("" for
 *     none), u32 secret_group,
 *     u64 min_entropy (IEEE 754 bits), list keywords, list paths,
 *     u8 generic, u8 confidence, allowlist, list examples, list negative_examples, u32 line
 *   u32 number of PCRE2 codes, u64 length, pcre2_serialize_encode() bytes:
 *     every rule's pattern, then the allowlist regexes, global first
 * allowlist: list stopwords, list regex sources, list paths
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/sha1.h"
#include "scanners/cache_file.h"
#include "scanners/rules_cache.h"

static const struct pg_cache_kind cache_kind = {
	"PGRULES\n", PG_RULES_CACHE_FORMAT_VERSION, ".rules"
};

/* ---- encode -------------------------------------------------------------- */

static int put_u(struct pg_buf *b, uint64_t v, size_t n)
{
	unsigned char num[8];

	pg_cache_put_le(num, v, n);
	return pg_buf_put(b, num, n);
}

static int put_str(struct pg_buf *b, const char *s)
{
	size_t len = strlen(s);
	int error;

	if (len > UINT32_MAX)
		return pg_error_set(PG_ELIMIT, "string too long for the cache");
	if ((error = put_u(b, len, 4)) < 0)
		return error;
	return pg_buf_put(b, s, len);
}

static int put_list(struct pg_buf *b, const struct pg_strlist *list)
{
	size_t i;
	int error;

	if ((error = put_u(b, list->len, 4)) < 0)
		return error;
	for (i = 0; i < list->len; i++)
		if ((error = put_str(b, list->items[i])) < 0)
			return error;
	return 0;
}

static int put_allow(struct pg_buf *b, const struct pg_allowlist *allow)
{
	size_t i;
	int error;

	if ((error = put_list(b, &allow->stopwords)) < 0 ||
	    (error = put_u(b, allow->regexes_len, 4)) < 0)
		return error;
	for (i = 0; i < allow->regexes_len; i++)
		if ((error = put_str(b, allow->regexes[i].source)) < 0)
			return error;
	return put_list(b, &allow->paths);
}

static int put_rule(struct pg_buf *b, const struct pg_rule *r)
{
	uint64_t bits;
	int error;

	memcpy(&bits, &r->min_entropy, sizeof(bits));
	if ((error = put_str(b, r->id)) < 0 || (error = put_str(b, r->description)) < 0 ||
	    (error = put_u(b, (uint64_t)r->severity, 1)) < 0 ||
	    (error = put_str(b, r->pattern)) < 0 ||
	    (error = put_str(b, r->prefilter ? r->prefilter : "")) < 0 ||
	    (error = put_u(b, r->secret_group, 4)) < 0 ||
	    (error = put_u(b, bits, 8)) < 0 || (error = put_list(b, &r->keywords)) < 0 ||
	    (error = put_list(b, &r->paths)) < 0 || (error = put_u(b, r->generic, 1)) < 0 ||
	    (error = put_u(b, (uint64_t)r->confidence, 1)) < 0 ||
	    (error = put_allow(b, &r->allow)) < 0 || (error = put_list(b, &r->examples)) < 0 ||
	    (error = put_list(b, &r->negative_examples)) < 0)
		return error;
	return put_u(b, r->line, 4);
}

static size_t codes_count(const struct pg_rules *rules)
{
	size_t i, n = rules->len + rules->allow.regexes_len;

	for (i = 0; i < rules->len; i++)
		n += rules->rules[i].allow.regexes_len;
	return n;
}

static void exchange(pcre2_code **slot, pcre2_code **code, bool into_rules)
{
	if (into_rules)
		*slot = *code;
	else
		*code = *slot;
}

/*
 * Every compiled pattern, in the order the payload lists them: copied
 * into `codes` (encode), or from `codes` into the rules (decode; the
 * rules own them after).
 */
static void codes_exchange(struct pg_rules *rules, pcre2_code **codes, bool into_rules)
{
	size_t i, j, k = 0;

	for (i = 0; i < rules->len; i++)
		exchange(&rules->rules[i].code, &codes[k++], into_rules);
	for (j = 0; j < rules->allow.regexes_len; j++)
		exchange(&rules->allow.regexes[j].code, &codes[k++], into_rules);
	for (i = 0; i < rules->len; i++)
		for (j = 0; j < rules->rules[i].allow.regexes_len; j++)
			exchange(&rules->rules[i].allow.regexes[j].code, &codes[k++], into_rules);
}

static int encode(struct pg_buf *b, struct pg_rules *rules)
{
	pcre2_code **codes = NULL;
	uint8_t *bytes = NULL;
	PCRE2_SIZE size;
	size_t i, n;
	int error;

	if ((error = put_u(b, rules->len, 4)) < 0 || (error = put_allow(b, &rules->allow)) < 0 ||
	    (error = put_list(b, &rules->generic_paths)) < 0)
		return error;
	for (i = 0; i < rules->len; i++)
		if ((error = put_rule(b, &rules->rules[i])) < 0)
			return error;
	n = codes_count(rules);
	if (!(codes = malloc(n * sizeof(*codes))))
		return pg_error_oom();
	codes_exchange(rules, codes, false);
	if (n > INT32_MAX || pcre2_serialize_encode((const pcre2_code **)codes, (int32_t)n, &bytes,
						    &size, NULL) < 0) {
		error = pg_error_set(PG_ERROR, "PCRE2 cannot encode the patterns");
		goto out;
	}
	if ((error = put_u(b, n, 4)) == 0 && (error = put_u(b, size, 8)) == 0)
		error = pg_buf_put(b, bytes, size);
out:
	pcre2_serialize_free(bytes);
	free(codes);
	return error;
}

/* ---- decode -------------------------------------------------------------- */

/* A cursor over the payload; `bad` once anything did not fit. */
struct reader {
	const unsigned char *p;
	size_t left;
	bool bad;
};

static uint64_t get_u(struct reader *r, size_t n)
{
	uint64_t v;

	if (r->bad || r->left < n) {
		r->bad = true;
		return 0;
	}
	v = pg_cache_get_le(r->p, n);
	r->p += n;
	r->left -= n;
	return v;
}

/* NULL when the payload is bad or memory ran out (then *oom). */
static char *get_str(struct reader *r, bool *oom)
{
	uint64_t len = get_u(r, 4);
	char *s;

	if (r->bad || len > r->left || memchr(r->p, '\0', (size_t)len)) {
		r->bad = true;
		return NULL;
	}
	s = malloc((size_t)len + 1);
	if (!s) {
		*oom = r->bad = true;
		return NULL;
	}
	memcpy(s, r->p, (size_t)len);
	s[len] = '\0';
	r->p += len;
	r->left -= (size_t)len;
	return s;
}

static void get_list(struct reader *r, struct pg_strlist *list, bool *oom)
{
	uint64_t n = get_u(r, 4), i;
	char *s;

	if (n > r->left / 4) {
		r->bad = true;
		return;
	}
	for (i = 0; i < n && !r->bad; i++) {
		if (!(s = get_str(r, oom)))
			return;
		if (pg_strlist_add(list, s) < 0)
			*oom = r->bad = true;
		free(s);
	}
}

static void get_allow(struct reader *r, struct pg_allowlist *allow, bool *oom)
{
	uint64_t n, i;

	get_list(r, &allow->stopwords, oom);
	n = get_u(r, 4);
	if (r->bad || n > r->left / 4) {
		r->bad = true;
		return;
	}
	if (n && !(allow->regexes = calloc((size_t)n, sizeof(*allow->regexes)))) {
		*oom = r->bad = true;
		return;
	}
	allow->regexes_len = (size_t)n;
	for (i = 0; i < n && !r->bad; i++)
		allow->regexes[i].source = get_str(r, oom);
	get_list(r, &allow->paths, oom);
}

static void get_rule(struct reader *r, struct pg_rule *rule, bool *oom)
{
	uint64_t sev, conf, bits;

	rule->id = get_str(r, oom);
	rule->description = get_str(r, oom);
	sev = get_u(r, 1);
	rule->pattern = get_str(r, oom);
	rule->prefilter = get_str(r, oom);
	if (rule->prefilter && !*rule->prefilter) {
		free(rule->prefilter);
		rule->prefilter = NULL;
	}
	rule->secret_group = (uint32_t)get_u(r, 4);
	bits = get_u(r, 8);
	memcpy(&rule->min_entropy, &bits, sizeof(bits));
	get_list(r, &rule->keywords, oom);
	get_list(r, &rule->paths, oom);
	rule->generic = get_u(r, 1) != 0;
	conf = get_u(r, 1);
	get_allow(r, &rule->allow, oom);
	get_list(r, &rule->examples, oom);
	get_list(r, &rule->negative_examples, oom);
	rule->line = (unsigned int)get_u(r, 4);
	if (sev > PG_RULE_LOW || conf >= PG_CONFIDENCE_LEVELS || !(rule->min_entropy >= 0 && rule->min_entropy <= 8))
		r->bad = true;
	rule->severity = (enum pg_rule_severity)sev;
	rule->confidence = (enum pg_confidence)conf;
}

/*
 * PCRE2 trusts serialized bytes (a corrupt encoding can crash it): they
 * reach it only from an entry whose checksum held, in a directory only
 * this user can write (cache_file.c).
 */
static int decode_codes(struct reader *r, struct pg_rules *rules)
{
	uint64_t n = get_u(r, 4), size = get_u(r, 8);
	pcre2_code **codes;
	uint32_t captures;
	size_t i;
	int32_t rc;

	/* 16: the serialization's own header (magic, version, config, count). */
	if (r->bad || n != codes_count(rules) || n > INT32_MAX || size != r->left || size < 16 ||
	    pcre2_serialize_get_number_of_codes(r->p) != (int32_t)n)
		return 0;
	codes = calloc((size_t)n, sizeof(*codes));
	if (!codes)
		return pg_error_oom();
	rc = pcre2_serialize_decode(codes, (int32_t)n, r->p, NULL);
	if (rc != (int32_t)n) {
		for (i = 0; rc > 0 && i < (size_t)rc; i++)
			pcre2_code_free(codes[i]);
		free(codes);
		return rc == PCRE2_ERROR_NOMEMORY ? pg_error_oom() : 0;
	}
	codes_exchange(rules, codes, true);
	free(codes);
	for (i = 0; i < rules->len; i++)
		if (pcre2_pattern_info(rules->rules[i].code, PCRE2_INFO_CAPTURECOUNT, &captures) != 0 ||
		    rules->rules[i].secret_group > captures)
			return 0;
	return 1;
}

/* @return 1 decoded into *out, 0 the payload is not usable, PG_ENOMEM */
static int decode(struct pg_rules **out, const unsigned char *payload, size_t len,
		  const char *name, const unsigned char digest[PG_SHA1_LEN])
{
	struct reader r = { payload, len, false };
	struct pg_rules *rules;
	bool oom = false;
	uint64_t n, i;
	int result = 0;

	rules = calloc(1, sizeof(*rules));
	if (!rules || !(rules->source = strdup(name))) {
		free(rules);
		return pg_error_oom();
	}
	memcpy(rules->digest, digest, PG_SHA1_LEN);
	rules->cached = true;
	n = get_u(&r, 4);
	if (n == 0 || n > r.left / 16)
		goto out;
	get_allow(&r, &rules->allow, &oom);
	get_list(&r, &rules->generic_paths, &oom);
	if (r.bad)
		goto out;
	if (!(rules->rules = calloc((size_t)n, sizeof(*rules->rules)))) {
		oom = true;
		goto out;
	}
	rules->len = (size_t)n;
	for (i = 0; i < n && !r.bad; i++)
		get_rule(&r, &rules->rules[i], &oom);
	if (r.bad)
		goto out;
	if ((result = decode_codes(&r, rules)) == 1) {
		*out = rules;
		return 1;
	}
out:
	pg_rules_free(rules);
	if (oom)
		return pg_error_oom();
	return result;
}

/* ---- load ---------------------------------------------------------------- */

static int cache_key(unsigned char key[PG_SHA1_LEN], const unsigned char digest[PG_SHA1_LEN])
{
	struct pg_buf m = PG_BUF_INIT(4096);
	char version[64];
	int error;

	if (pcre2_config(PCRE2_CONFIG_VERSION, version) < 0)
		version[0] = '\0';
	if ((error = pg_buf_printf(&m, "pushgate rules %d %zu %s%c", PG_RULES_CACHE_FORMAT_VERSION,
				   sizeof(void *), version, 0)) == 0 &&
	    (error = pg_buf_put(&m, digest, PG_SHA1_LEN)) == 0)
		pg_sha1_blob(key, m.ptr, m.size);
	pg_buf_release(&m);
	return error;
}

/* Best effort: a rule set that cannot be encoded or written is just not cached. */
static void store(struct pg_rules *rules, const char *dir, const char *path,
		  const unsigned char key[PG_SHA1_LEN])
{
	struct pg_buf payload = PG_BUF_INIT(PG_CACHE_PAYLOAD_MAX);

	if (encode(&payload, rules) == 0)
		(void)pg_cache_entry_write(dir, path, &cache_kind, key, payload.ptr, payload.size);
	pg_buf_release(&payload);
}

static int load(struct pg_rules **out, const char *name, const char *data, size_t len,
		const unsigned char digest[PG_SHA1_LEN], const char *cache_dir)
{
	struct pg_buf dir = PG_BUF_INIT(4000), file = PG_BUF_INIT(PG_CACHE_PAYLOAD_MAX + 64);
	unsigned char key[PG_SHA1_LEN];
	const unsigned char *payload;
	char path[4200];
	size_t plen;
	int error;

	if ((error = cache_key(key, digest)) < 0 ||
	    (error = pg_cache_entry_path(&dir, path, sizeof(path), cache_dir, &cache_kind, key)) < 0 ||
	    (error = pg_cache_entry_read(&file, &payload, &plen, path, &cache_kind, key)) < 0)
		goto out;
	if (error == 1 && (error = decode(out, payload, plen, name, digest)) != 0) {
		if (error == 1)
			error = 0;
		goto out;
	}
	if ((error = pg_rules_load_buffer_digest(out, name, data, len, digest)) < 0)
		goto out;
	store(*out, dir.ptr, path, key);
out:
	pg_buf_release(&file);
	pg_buf_release(&dir);
	return error;
}

int pg_rules_load_cached(struct pg_rules **out, const char *rules_file, const char *cache_dir)
{
	struct pg_buf data = PG_BUF_INIT(PG_RULES_FILE_LIMIT);
	unsigned char digest[PG_SHA1_LEN];
	const char *text;
	size_t len;
	int error;

	*out = NULL;
	if (!rules_file) {
		pg_rules_default_text(&text, &len, digest);
		return load(out, "<default>", text, len, digest, cache_dir);
	}
	if ((error = pg_file_read(&data, rules_file)) == 0) {
		pg_rules_file_digest(digest, data.ptr, data.size);
		error = load(out, rules_file, data.ptr, data.size, digest, cache_dir);
	}
	pg_buf_release(&data);
	return error;
}
