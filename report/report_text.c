/*
 * report_text.c - the human-readable report and the format dispatcher.
 *
 * One escaped line per finding and a summary; colour only on a terminal
 * without NO_COLOR. Secrets are printed only redacted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "report/report.h"

#define COLOR_PATH "\033[35m"
#define COLOR_POS "\033[32m"
#define COLOR_RULE "\033[1;31m"
#define COLOR_RESET "\033[m"

int pg_report_format_parse(enum pg_report_format *out, const char *name)
{
	if (!strcmp(name, "text"))
		*out = PG_REPORT_TEXT;
	else if (!strcmp(name, "json"))
		*out = PG_REPORT_JSON;
	else if (!strcmp(name, "sarif"))
		*out = PG_REPORT_SARIF;
	else
		return pg_error_set(PG_EUSAGE, "unknown format '%s' (text, json or sarif)", name);
	return 0;
}

int pg_report_write(FILE *out, enum pg_report_format fmt,
		    const struct pg_findings *findings, const struct pg_scan_stats *stats)
{
	switch (fmt) {
	case PG_REPORT_TEXT:
		return pg_report_text_write(out, findings, stats);
	case PG_REPORT_JSON:
		return pg_report_json_write(out, findings, stats);
	case PG_REPORT_SARIF:
		return pg_report_sarif_write(out, findings, stats);
	}
	return pg_error_set(PG_EINVAL, "unknown report format %d", (int)fmt);
}

static int put_finding(struct pg_buf *b, const struct pg_finding *f, int color)
{
	int error;

	if (f->commit) {
		if ((error = pg_buf_puts_escaped(b, f->commit)) < 0 ||
		    (error = pg_buf_putc(b, ':')) < 0)
			return error;
	}
	if ((color && (error = pg_buf_puts(b, COLOR_PATH)) < 0) ||
	    (error = pg_buf_puts_escaped(b, f->path)) < 0 ||
	    (color && (error = pg_buf_puts(b, COLOR_RESET)) < 0) ||
	    (error = (f->binary ? pg_buf_printf(b, ":%sbyte %zu%s: %s", color ? COLOR_POS : "",
						f->offset, color ? COLOR_RESET : "",
						color ? COLOR_RULE : "")
				: pg_buf_printf(b, ":%s%zu:%zu%s: %s", color ? COLOR_POS : "",
						f->line, f->column, color ? COLOR_RESET : "",
						color ? COLOR_RULE : ""))) < 0 ||
	    (error = pg_buf_puts_escaped(b, f->rule->id)) < 0 ||
	    (error = pg_buf_printf(b, "%s: ", color ? COLOR_RESET : "")) < 0 ||
	    (error = pg_buf_put_redacted(b, f->secret, f->secret_len)) < 0 ||
	    (error = pg_buf_puts(b, " (")) < 0 ||
	    (error = pg_buf_puts_escaped(b, f->rule->description)) < 0 ||
	    (error = pg_buf_printf(b, ") [confidence: %s", pg_confidence_name(f->confidence))) < 0 ||
	    (f->lowered && ((error = pg_buf_puts(b, ", lowered: ")) < 0 ||
			    (error = pg_finding_lowered_put(b, f->lowered)) < 0)) ||
	    (f->author && ((error = pg_buf_puts(b, "; by ")) < 0 ||
			   (error = pg_buf_puts_escaped(b, f->author)) < 0 ||
			   (error = pg_buf_printf(b, " on %s", f->date)) < 0)) ||
	    (error = pg_buf_puts(b, "]\n")) < 0)
		return error;
	return 0;
}

static size_t count_files(const struct pg_findings *findings)
{
	const struct pg_finding *f, *prev = NULL;
	size_t i, n = 0;

	/* Sorted by path, so each file's findings are adjacent. */
	for (i = 0; i < findings->len; i++) {
		f = &findings->items[i];
		if (!prev || strcmp(prev->path, f->path) ||
		    strcmp(prev->commit ? prev->commit : "", f->commit ? f->commit : ""))
			n++;
		prev = f;
	}
	return n;
}

static int put_skipped(struct pg_buf *b, const struct pg_scan_stats *st)
{
	const char *sep = "; skipped ";
	const struct {
		uint64_t n;
		const char *what;
	} kinds[] = {
		{ st->skipped_binary, "binary" },
		{ st->skipped_unreadable, "unreadable" },
		{ st->skipped_symlink, "symlink" },
		{ st->skipped_too_large, "too large" },
	};
	size_t i;
	int error;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!kinds[i].n)
			continue;
		if ((error = pg_buf_printf(b, "%s%llu %s", sep, (unsigned long long)kinds[i].n,
					   kinds[i].what)) < 0)
			return error;
		sep = ", ";
	}
	return 0;
}

static int put_summary(struct pg_buf *b, const struct pg_findings *findings,
		       const struct pg_scan_stats *st)
{
	size_t i, files = count_files(findings);
	int error;

	for (i = 0; st->rules && i < st->limit_hits_len && i < st->rules->len; i++) {
		if (!st->limit_hits[i])
			continue;
		if ((error = pg_buf_puts(b, "warning: rule ")) < 0 ||
		    (error = pg_buf_puts_escaped(b, st->rules->rules[i].id)) < 0 ||
		    (error = pg_buf_printf(b, ": %llu candidate(s) not confirmed: PCRE2 limit reached\n",
					   (unsigned long long)st->limit_hits[i])) < 0)
			return error;
	}
	if (findings->len)
		error = pg_buf_printf(b, "%zu finding%s in %zu file%s", findings->len,
				      findings->len == 1 ? "" : "s", files, files == 1 ? "" : "s");
	else
		error = pg_buf_puts(b, "no findings");
	if (error < 0 ||
	    (error = pg_buf_printf(b, " (scanned %llu file%s, %llu bytes in %.3f s",
				   (unsigned long long)st->files, st->files == 1 ? "" : "s",
				   (unsigned long long)st->bytes, st->seconds)) < 0 ||
	    (error = put_skipped(b, st)) < 0 ||
	    (error = pg_buf_puts(b, ")\n")) < 0)
		return error;
	return 0;
}

int pg_report_text_write(FILE *out, const struct pg_findings *findings,
			 const struct pg_scan_stats *stats)
{
	struct pg_buf line = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *no_color = getenv("NO_COLOR");
	int fd = fileno(out), color, error = 0;
	size_t i;

	color = fd >= 0 && isatty(fd) && !(no_color && *no_color);
	for (i = 0; i < findings->len; i++) {
		pg_buf_clear(&line);
		if ((error = put_finding(&line, &findings->items[i], color)) < 0)
			goto out;
		if (fwrite(line.ptr, 1, line.size, out) != line.size)
			break;
	}
	pg_buf_clear(&line);
	if ((error = put_summary(&line, findings, stats)) < 0)
		goto out;
	fwrite(line.ptr, 1, line.size, out);
	if (fflush(out) || ferror(out))
		error = pg_error_set(PG_EIO, "cannot write the report");
out:
	pg_buf_release(&line);
	return error;
}
