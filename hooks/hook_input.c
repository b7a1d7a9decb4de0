/*
 * hook_input.c - parse pre-receive lines, update arguments, push options
 * and Gitea's environment.
 *
 * Strict on purpose: a truncated or padded line must never be read as a
 * different ref than the one git is about to update.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/text.h"
#include "hooks/hook_input.h"

static size_t hex_run(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			break;
	return i;
}

static int line_error(size_t line_no, const char *line, size_t len, const char *why)
{
	struct pg_buf shown = PG_BUF_INIT(200);

	/* Show the start of the line only: it may be megabytes long. */
	pg_buf_put_escaped(&shown, line, len > 60 ? 60 : len);
	pg_error_set(PG_EINVAL, "malformed hook input line %zu (%s%s): %s", line_no, shown.ptr,
		     len > 60 ? "..." : "", why);
	pg_buf_release(&shown);
	return PG_EINVAL;
}

static int parse_id(git_oid *out, bool *zero, const char *s, size_t len)
{
	if (git_oid_fromstrn(out, s, len) < 0)
		return -1;
	*zero = git_oid_is_zero(out);
	return 0;
}

static int updates_push(struct pg_ref_updates *out, const struct pg_ref_update *u)
{
	struct pg_ref_update *items;
	size_t n;

	if (out->len == out->alloc) {
		n = out->alloc ? out->alloc * 2 : 16;
		items = realloc(out->items, n * sizeof(*items));
		if (!items)
			return pg_error_oom();
		out->items = items;
		out->alloc = n;
	}
	out->items[out->len++] = *u;
	return 0;
}

static int parse_line(struct pg_ref_updates *out, size_t line_no, const char *line, size_t len)
{
	struct pg_ref_update u = { 0 };
	size_t idlen = hex_run(line, len), i;
	const char *ref;
	int valid = 0;

	if (idlen == 64 && len > 129 && line[64] == ' ' && hex_run(line + 65, 64) == 64)
		return pg_error_set(PG_EINVAL, "hook input line %zu: this repository uses SHA-256 "
				    "object ids, which pushgate cannot read (libgit2 1.5 reads SHA-1 "
				    "only); pushes are rejected until it can check them", line_no);
	if (idlen != 40 || len < 83 || line[40] != ' ')
		return line_error(line_no, line, len, "expected '<old-id> <new-id> <ref>' with 40-digit ids");
	if (hex_run(line + 41, 40) != 40 || line[81] != ' ')
		return line_error(line_no, line, len, "the new id is not 40 hex digits");
	ref = line + 82;
	for (i = 0; i < len - 82; i++)
		if ((unsigned char)ref[i] < 0x20 || ref[i] == 0x7f || ref[i] == ' ')
			return line_error(line_no, line, len, "the ref name contains a control character or space");
	if (parse_id(&u.old_id, &u.old_zero, line, 40) < 0 ||
	    parse_id(&u.new_id, &u.new_zero, line + 41, 40) < 0)
		return line_error(line_no, line, len, "bad object id");
	u.ref = strndup(ref, len - 82);
	if (!u.ref)
		return pg_error_oom();
	if (git_reference_name_is_valid(&valid, u.ref) < 0 || !valid ||
	    strncmp(u.ref, "refs/", 5)) {
		free(u.ref);
		return line_error(line_no, line, len, "not a valid ref name");
	}
	if (updates_push(out, &u) < 0) {
		free(u.ref);
		return PG_ENOMEM;
	}
	return 0;
}

int pg_hook_input_parse(struct pg_ref_updates *out, const char *data, size_t len)
{
	const char *line = data, *nl;
	size_t line_no = 0, rest;
	int error;

	while (line < data + len) {
		rest = (size_t)(data + len - line);
		nl = memchr(line, '\n', rest);
		line_no++;
		if ((error = parse_line(out, line_no, line, nl ? (size_t)(nl - line) : rest)) < 0) {
			pg_ref_updates_clear(out);
			return error;
		}
		line = nl ? nl + 1 : data + len;
	}
	return 0;
}

int pg_hook_input_read(struct pg_ref_updates *out)
{
	struct pg_buf in = PG_BUF_INIT(PG_HOOK_INPUT_LIMIT);
	int error;

	if ((error = pg_file_read(&in, "-")) == 0)
		error = pg_hook_input_parse(out, in.ptr, in.size);
	pg_buf_release(&in);
	return error;
}

int pg_hook_input_from_args(struct pg_ref_updates *out, const char *ref,
			    const char *old_hex, const char *new_hex)
{
	struct pg_buf line = PG_BUF_INIT(PG_HOOK_INPUT_LIMIT);
	int error;

	/* One update only: a newline in an argument must not make a second. */
	if (strchr(ref, '\n') || strchr(old_hex, '\n') || strchr(new_hex, '\n'))
		return pg_error_set(PG_EINVAL, "malformed update hook arguments: a newline in an argument");
	if ((error = pg_buf_printf(&line, "%s %s %s", old_hex, new_hex, ref)) == 0)
		error = pg_hook_input_parse(out, line.ptr, line.size);
	pg_buf_release(&line);
	return error;
}

static bool env_is(const char *name, const char *value)
{
	const char *v = getenv(name);

	return v && !strcmp(v, value);
}

/* A positive decimal number, digits only. */
static bool is_positive_id(const char *s)
{
	bool nonzero = false;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		nonzero |= *s != '0';
	}
	return nonzero;
}

void pg_push_facts_from_env(struct pg_push_facts *facts)
{
	const char *trigger = getenv("GITEA_PUSH_TRIGGER");
	const char *pusher = getenv("GITEA_PUSHER_NAME");

	facts->pusher = pusher && *pusher ? pusher : NULL;
	/*
	 * Gitea also sets GITEA_PR_ID when its "update branch" button writes
	 * a pull request's head branch (trigger pr-update-with-base): only a
	 * merge into the base counts. Without a trigger, the id decides.
	 */
	if (trigger && *trigger)
		facts->pr_merge = !strcmp(trigger, "pr-merge-to-base");
	else
		facts->pr_merge = is_positive_id(getenv("GITEA_PR_ID"));
	facts->internal = env_is("GITEA_INTERNAL_PUSH", "true");
	facts->wiki = env_is("GITEA_REPO_IS_WIKI", "true");
	facts->repo_owner = getenv("GITEA_REPO_USER_NAME");
	facts->repo_name = getenv("GITEA_REPO_NAME");
}

const char *pg_push_option(const char *name)
{
	const char *count = getenv("GIT_PUSH_OPTION_COUNT"), *opt;
	size_t len = strlen(name);
	char var[64], *end;
	long n, i;

	if (!count)
		return NULL;
	n = strtol(count, &end, 10);
	if (*end || n < 0)
		return NULL;
	for (i = 0; i < n && i < 10000; i++) {
		snprintf(var, sizeof(var), "GIT_PUSH_OPTION_%ld", i);
		opt = getenv(var);
		if (!opt || strncmp(opt, name, len))
			continue;
		if (opt[len] == '=')
			return opt + len + 1;
		if (opt[len] == '\0')
			return "";
	}
	return NULL;
}
