/*
 * regex.c - compile and run PCRE2 patterns with limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/regex.h"

int pg_regex_compile(struct pg_regex *re, const char *source, uint32_t options)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	int errcode;

	re->source = NULL;
	re->code = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED, options,
				 &errcode, &erroff, NULL);
	if (!re->code) {
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "invalid pattern");
		return pg_error_set(PG_EINVAL, "invalid regular expression at offset %zu: %s",
				    (size_t)erroff, (char *)msg);
	}
	/*
	 * No JIT: these patterns (allowlists, names) run a few times per
	 * finding or ref, where compiling machine code costs more than it saves.
	 */
	re->source = strdup(source);
	if (!re->source) {
		pcre2_code_free(re->code);
		re->code = NULL;
		return pg_error_oom();
	}
	return 0;
}

void pg_regex_clear(struct pg_regex *re)
{
	pcre2_code_free(re->code);
	free(re->source);
	re->code = NULL;
	re->source = NULL;
}

int pg_regex_search(const struct pg_regex *re, const char *s, size_t len)
{
	pcre2_match_context *mctx = NULL;
	pcre2_match_data *md = NULL;
	int rc, result;

	if (!re->code)
		return 1;
	md = pcre2_match_data_create_from_pattern(re->code, NULL);
	mctx = pcre2_match_context_create(NULL);
	if (!md || !mctx) {
		result = pg_error_oom();
		goto out;
	}
	pcre2_set_match_limit(mctx, PG_REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, PG_REGEX_DEPTH_LIMIT);
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, mctx);
	if (rc >= 0)
		result = 1;
	else if (rc == PCRE2_ERROR_NOMATCH)
		result = 0;
	else if (rc == PCRE2_ERROR_NOMEMORY)
		result = pg_error_oom();
	else
		result = pg_error_set(PG_ELIMIT, "regular expression '%s' hit a matching limit (%d)",
				      re->source, rc);
out:
	pcre2_match_context_free(mctx);
	pcre2_match_data_free(md);
	return result;
}
