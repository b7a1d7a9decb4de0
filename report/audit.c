/*
 * audit.c - append events to the JSON-lines audit log (see audit.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/error.h"
#include "common/json.h"
#include "report/audit.h"

static int set_string(json_t *obj, const char *key, const char *value)
{
	return pg_json_set(obj, key, value ? pg_json_text(value, strlen(value)) : json_null());
}

static int append_string(json_t *arr, const char *value)
{
	return pg_json_append(arr, pg_json_text(value, strlen(value)));
}

static int append_unique(json_t *arr, const char *value)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), value))
			return 0;
	return append_string(arr, value);
}

/* Where each finding is, without the secret: rule, confidence, fingerprint, path, commit. */
static int put_locations(json_t *obj, const struct pg_findings *findings)
{
	json_t *arr = json_array(), *loc;
	size_t i;
	int error = 0;

	if (!arr)
		return pg_error_oom();
	for (i = 0; !error && findings && i < findings->len; i++) {
		const struct pg_finding *f = &findings->items[i];

		loc = json_object();
		if ((error = pg_json_append(arr, loc)) < 0)
			break;
		if ((error = set_string(loc, "rule", f->rule->id)) == 0 &&
		    (error = set_string(loc, "confidence", pg_confidence_name(f->confidence))) == 0 &&
		    (error = set_string(loc, "fingerprint", f->fingerprint)) == 0 &&
		    (error = set_string(loc, "path", f->path)) == 0)
			error = set_string(loc, "commit", f->commit);
	}
	if (!error && json_object_set(obj, "findings", arr) < 0)
		error = pg_error_oom();
	json_decref(arr);
	return error;
}

static int build_event(json_t **out, const struct pg_audit_event *ev)
{
	json_t *obj = json_object(), *refs = json_array(), *rules = json_array(),
	       *prints = json_array();
	char when[32];
	struct tm tm;
	time_t now = time(NULL);
	size_t i;
	int error = 0;

	if (!obj || !refs || !rules || !prints) {
		error = pg_error_oom();
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (i = 0; !error && i < ev->updates_len; i++)
		error = append_string(refs, ev->updates[i].ref);
	for (i = 0; !error && ev->verdict && i < ev->verdict->len; i++)
		error = append_unique(rules, ev->verdict->items[i].check);
	for (i = 0; !error && ev->findings && i < ev->findings->len; i++) {
		error = append_unique(rules, ev->findings->items[i].rule->id);
		if (!error)
			error = append_string(prints, ev->findings->items[i].fingerprint);
	}
	if (error ||
	    (error = set_string(obj, "time", when)) < 0 ||
	    (error = set_string(obj, "event", ev->event)) < 0 ||
	    (error = set_string(obj, "hook", ev->hook)) < 0 ||
	    (error = set_string(obj, "user", ev->facts->pusher)) < 0 ||
	    (error = set_string(obj, "owner", ev->facts->repo_owner)) < 0 ||
	    (error = set_string(obj, "repository", ev->facts->repo_name)) < 0 ||
	    (error = set_string(obj, "git_dir", ev->git_dir)) < 0 ||
	    (error = set_string(obj, "reason", ev->reason)) < 0 ||
	    (error = put_locations(obj, ev->findings)) < 0)
		goto out;
	if (json_object_set(obj, "refs", refs) < 0 || json_object_set(obj, "rules", rules) < 0 ||
	    json_object_set(obj, "fingerprints", prints) < 0) {
		error = pg_error_oom();
		goto out;
	}
	*out = obj;
	obj = NULL;
out:
	json_decref(obj);
	json_decref(refs);
	json_decref(rules);
	json_decref(prints);
	return error;
}

int pg_audit_append(const char *path, const struct pg_audit_event *event)
{
	json_t *obj = NULL;
	char *line = NULL;
	struct stat st;
	size_t len;
	ssize_t n;
	int fd = -1, error;

	if ((error = build_event(&obj, event)) < 0)
		goto out;
	line = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!line) {
		error = pg_error_oom();
		goto out;
	}
	len = strlen(line);
	line[len++] = '\n'; /* json_dumps' NUL becomes the line end */
	/* O_NONBLOCK: a FIFO at the path must not hang the push. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0) {
		error = pg_error_set(PG_EIO, "audit log %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		error = pg_error_set(PG_EIO, "audit log %s: not a regular file", path);
		goto out;
	}
	n = write(fd, line, len);
	if (n < 0 || (size_t)n != len) {
		error = pg_error_set(PG_EIO, "audit log %s: %s", path,
				     n < 0 ? strerror(errno) : "short write");
		goto out;
	}
	error = 0;
out:
	if (fd >= 0 && close(fd) < 0 && !error)
		error = pg_error_set(PG_EIO, "audit log %s: %s", path, strerror(errno));
	free(line);
	json_decref(obj);
	return error;
}
