/*
 * json.c - jansson helpers shared by the reports and the audit log
 * (json.h).
 */
#include "common/buf.h"
#include "common/error.h"
#include "common/json.h"
#include "common/text.h"

int pg_json_set(json_t *obj, const char *key, json_t *value)
{
	/* json_object_set_new() frees `value` on failure and fails on NULL. */
	if (json_object_set_new(obj, key, value) < 0)
		return pg_error_oom();
	return 0;
}

int pg_json_append(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, value) < 0)
		return pg_error_oom();
	return 0;
}

json_t *pg_json_text(const char *s, size_t len)
{
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	json_t *v;

	if ((v = json_stringn(s, len)))
		return v;
	if (pg_buf_put_escaped(&b, s, len) == 0)
		v = json_stringn(b.ptr, b.size);
	pg_buf_release(&b);
	return v;
}
