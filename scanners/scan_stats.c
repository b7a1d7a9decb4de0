/*
 * scan_stats.c - what a scan looked at, counted as it goes (scan_stats.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
