/*
 * diff_pool.h - changed files diffed on several threads, delivered in
 * the order they were submitted.
 *
 * The commit walk submits each changed file it decides to scan; threads
 * (the caller's among them) read and diff the blobs; the caller gets
 * each result back in submission order, so what it reports does not
 * depend on timing. Each thread reads through a repository of its own
 * (see blob_diff.h).
 */
#ifndef PG_DIFF_POOL_H
#define PG_DIFF_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "git/blob_diff.h"

struct pg_diff_pool;

/* A finished job, as its deliver callback sees it; valid during the call only. */
struct pg_diff_job {
	git_oid commit;                  /* zero for staged changes */
	struct pg_blob_change change;
	struct pg_blob_added added;
	bool clean;                      /* the prescan found nothing in added.text */
};

/*
 * A first look at each job's added text (added or binary outcome) on the
 * other thread that diffed it, so that the caller's thread, which
 * delivers, can pass over what holds nothing of interest. Jobs the
 * caller's thread runs itself are never clean.
 */
struct pg_diff_prescan {
	/*
	 * Return 0 (nothing of interest: the job is delivered clean), 1 (a
	 * closer look is needed), or a negative PG_E* code (the job fails).
	 * `state` is the calling thread's own, NULL at its first call.
	 */
	int (*run)(const char *text, size_t len, void **state, void *payload);
	void (*state_free)(void *state);  /* a thread's state, when the pool ends */
	void *payload;
};

/** Called on the submitting thread, in order. Return 0 to go on; anything else stops the pool. */
typedef int (*pg_diff_pool_deliver_cb)(const struct pg_diff_job *job, void *payload);

struct pg_diff_pool_opts {
	unsigned int threads;   /* 1: all on the caller's thread; 0: one per online CPU, at most 4 */
	bool from_env;          /* `repo` was opened from git's environment (hooks) */
	size_t max_blob_size;   /* 0: no limit */
	bool keep_last;         /* each thread keeps the last blob it read for the next job,
				   whose old blob it may be (pg_blob_differ_keep_last()) */
	const struct pg_diff_prescan *prescan; /* borrowed; NULL: none, no job is clean */
};

/**
 * Start a pool diffing through `repo` (borrowed; it must outlive the
 * pool) on the caller's thread and opts->threads - 1 more, each opening
 * the repository again: by path, or from git's environment when
 * opts->from_env (a hook sees the pushed objects in the quarantine only
 * that way).
 *
 * @return 0, PG_ENOMEM, PG_EGIT or PG_ERROR (no thread could start)
 */
int pg_diff_pool_new(struct pg_diff_pool **out, git_repository *repo,
		     const struct pg_diff_pool_opts *opts, pg_diff_pool_deliver_cb deliver,
		     void *payload);

/**
 * Queue one changed file (`change` is copied). May run jobs and deliver
 * results first when the queue is full.
 *
 * @param commit the commit that changes it; NULL for staged changes
 * @return 0, a deliver callback's non-zero value, or a negative PG_E*
 *         code (a job's error, with its message as this thread's)
 */
int pg_diff_pool_submit(struct pg_diff_pool *pool, const git_oid *commit,
			const struct pg_blob_change *change);

/**
 * Deliver the jobs already finished (in order, never waiting) and say
 * whether pg_diff_pool_submit() would now queue a job without waiting or
 * running one on this thread: so that the caller can do other work while
 * the other threads diff. With no other thread running, always 1.
 *
 * @return 1 (room), 0 (full), a deliver callback's non-zero value, or a
 *         negative PG_E* code; after an error the pool only accepts
 *         pg_diff_pool_free()
 */
int pg_diff_pool_poll(struct pg_diff_pool *pool);

/**
 * Run and deliver everything queued. Same returns as pg_diff_pool_submit();
 * after an error the pool only accepts pg_diff_pool_free().
 */
int pg_diff_pool_finish(struct pg_diff_pool *pool);

/** Stop the threads (abandoning what is queued) and free the pool; NULL is fine. */
void pg_diff_pool_free(struct pg_diff_pool *pool);

#endif
