/*
 * scan_stats.c - what a scan looked at, counted as it goes (scan_stats.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/error.h"
#include "scanners/scan_stats.h"

void pg_scan_stats_release(struct pg_scan_stats *stats)
{
	free(stats->limit_hits);
	memset(stats, 0, sizeof(*stats));
}

int pg_scan_stats_add_limit_hits(struct pg_scan_stats *stats, const uint64_t *counts,
				 size_t len)
{
	uint64_t *hits;
	size_t i;

	if (!len)
		return 0;
	if (len > stats->limit_hits_len) {
		if (len > SIZE_MAX / sizeof(*hits))
			return pg_error_oom();
		if (!(hits = realloc(stats->limit_hits, len * sizeof(*hits))))
			return pg_error_oom();
		memset(hits + stats->limit_hits_len, 0,
		       (len - stats->limit_hits_len) * sizeof(*hits));
		stats->limit_hits = hits;
		stats->limit_hits_len = len;
	}
	for (i = 0; i < len; i++)
		stats->limit_hits[i] += counts[i];
	return 0;
}

double pg_scan_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pg_progress_init(struct pg_progress *p, FILE *out, bool terminal)
{
	p->out = out;
	p->terminal = terminal;
	p->start = pg_scan_clock();
	atomic_init(&p->last_ms, (long long)(p->start * 1000));
	atomic_init(&p->shown, false);
}

/* One writer per interval: the thread that moves last_ms forward writes. */
static bool progress_due(struct pg_progress *p, double now)
{
	long long now_ms = (long long)(now * 1000), last = atomic_load(&p->last_ms);
	long long every = p->terminal ? 250 : 10000;

	return now_ms - last >= every &&
	       atomic_compare_exchange_strong(&p->last_ms, &last, now_ms);
}

void pg_progress_update(struct pg_progress *p, const char *what, uint64_t items,
			uint64_t bytes, uint64_t findings, bool last)
{
	double now, secs;

	if (!p || !p->out)
		return;
	now = pg_scan_clock();
	secs = now - p->start;
	if (last ? !atomic_load(&p->shown) && secs < 1.0 : !progress_due(p, now))
		return;
	atomic_store(&p->shown, true);
	fprintf(p->out, "%spushgate: %llu %s, %.1f MB, %llu finding%s, %.1f MB/s%s%s",
		p->terminal ? "\r" : "", (unsigned long long)items, what, (double)bytes / 1e6,
		(unsigned long long)findings, findings == 1 ? "" : "s",
		secs > 0 ? (double)bytes / 1e6 / secs : 0.0, last ? " (done)" : "",
		!p->terminal ? "\n" : last ? "\033[K\n" : "\033[K");
	fflush(p->out);
}
