/*
 * diff_pool.c - changed files diffed on several threads, delivered in
 * order (see diff_pool.h).
 *
 * Jobs sit in a ring of slots, numbered as submitted. Threads claim them
 * in that order, a file's consecutive versions together; the submitting
 * thread delivers them in that order and, rather than wait for the
 * oldest, runs queued jobs itself, so with one thread per core nothing
 * sits idle. The other threads start only
 * once there is work enough to repay opening their repositories: a
 * push of a few files runs on the caller's thread alone.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/array.h"
#include "common/error.h"
#include "git/diff_pool.h"

/* Past this, the walk and the scan on the caller's thread are the limit. */
#define MAX_DEFAULT_THREADS 4
/* Queued jobs per thread: enough that no thread waits for the next, and
   room for runs of one file's versions (MAX_RUN). */
#define SLOTS_PER_THREAD 16
/* Jobs the caller's thread runs alone before the others start. */
#define START_AFTER 16
/* Jobs of one file one thread claims at once (see claim()). */
#define MAX_RUN 16
/* ... and the caller's thread, which has the walk to get on with. */
#define CALLER_RUN 1
/* A delivered job keeps its buffers for the next one up to this size. */
#define RETAIN_BYTES ((size_t)64 << 10)

struct job {
	struct pg_diff_job pub;
	bool done;                 /* run; whether queued or running follows from `claimed` */
	char *path, *scope_from;   /* owned: what pub.change points at */
	git_oid *others;
	size_t path_alloc, scope_from_alloc, others_alloc;
	int error;                 /* what running it returned */
	char message[512];         /* its thread's error message */
};

/* What one thread runs jobs with. */
struct runner {
	struct pg_blob_differ *differ;
	void *prescan_state;
};

struct worker {
	pthread_t thread;
	struct pg_diff_pool *pool;
	git_repository *repo;
	struct runner runner;
};

struct pg_diff_pool {
	git_repository *repo;
	struct runner runner;           /* the caller's thread's */
	const struct pg_diff_prescan *prescan;
	bool from_env;
	bool keep_last;
	unsigned int threads;
	size_t max_blob_size;
	pg_diff_pool_deliver_cb deliver;
	void *payload;
	struct job *slots;
	size_t nslots;
	size_t submitted, claimed, delivered; /* job numbers; job n is in slot n % nslots */
	pthread_mutex_t lock;
	pthread_cond_t work;       /* a job was queued, or stop */
	pthread_cond_t done;       /* a job finished */
	bool stop;
	struct worker *workers;
	size_t nworkers;
	int error;                 /* sticky: the first error stops the pool */
};

static struct job *slot(struct pg_diff_pool *pool, size_t n)
{
	return &pool->slots[n % pool->nslots];
}

/*
 * Only the other threads run the prescan: it is there to take work off
 * the caller's thread, which scans at delivery what it finds, so on that
 * thread (and in a pool of one) it would only add a second pass.
 */
static int prescan_job(struct pg_diff_pool *pool, struct runner *r, struct job *job)
{
	const struct pg_diff_prescan *prescan = pool->prescan;
	const struct pg_blob_added *a = &job->pub.added;
	int rc;

	if (!prescan || r == &pool->runner ||
	    (a->outcome != PG_BLOB_ADDED && a->outcome != PG_BLOB_BINARY))
		return 0;
	if ((rc = prescan->run(a->text.ptr, a->text.size, &r->prescan_state, prescan->payload)) < 0)
		return rc;
	job->pub.clean = rc == 0;
	return 0;
}

static void run_job(struct pg_diff_pool *pool, struct runner *r, struct job *job)
{
	job->pub.clean = false;
	job->error = pg_blob_differ_run(r->differ, &job->pub.change, &job->pub.added);
	if (job->error >= 0)
		job->error = prescan_job(pool, r, job);
	if (job->error < 0)
		snprintf(job->message, sizeof(job->message), "%s", pg_error_last());
}

static void runner_release(struct pg_diff_pool *pool, struct runner *r)
{
	pg_blob_differ_free(r->differ);
	if (r->prescan_state)
		pool->prescan->state_free(r->prescan_state);
}

/*
 * Take the oldest queued job and those queued after it that continue
 * its file (each one's old blob the one before's new blob), up to
 * MAX_RUN; with the lock held. Returns the first job's number and sets
 * *count. One thread diffs a file's versions one after the other: it
 * has the last blob at hand (pg_blob_differ_keep_last()), and the other
 * threads read other files instead of the same delta chains again.
 */
static size_t claim(struct pg_diff_pool *pool, size_t max, size_t *count)
{
	size_t first = pool->claimed, n = first + 1;

	while (n < pool->submitted && n - first < max &&
	       git_oid_equal(&slot(pool, n)->pub.change.old_id,
			     &slot(pool, n - 1)->pub.change.new_id))
		n++;
	pool->claimed = n;
	*count = n - first;
	return first;
}

/* Run jobs first .. first + count - 1, claimed; with the lock held, released meanwhile. */
static void run_claimed(struct pg_diff_pool *pool, struct runner *r, size_t first, size_t count)
{
	struct job *job;
	size_t n;

	for (n = first; n < first + count; n++) {
		job = slot(pool, n);
		pthread_mutex_unlock(&pool->lock);
		run_job(pool, r, job);
		pthread_mutex_lock(&pool->lock);
		job->done = true;
		pthread_cond_signal(&pool->done);
	}
}

static int worker_open(struct worker *w)
{
	git_repository *repo = w->pool->repo;
	int rc;

	if (w->pool->from_env)
		rc = git_repository_open_ext(&w->repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	else
		rc = git_repository_open_ext(&w->repo, git_repository_path(repo),
					     GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc < 0)
		return pg_error_set_git("opening the repository for a diff thread");
	if ((rc = pg_blob_differ_new(&w->runner.differ, w->repo, w->pool->max_blob_size)) < 0)
		return rc;
	pg_blob_differ_keep_last(w->runner.differ, w->pool->keep_last);
	return 0;
}

/*
 * A thread that cannot open the repository (short of memory, say) just
 * ends: the others, the caller's at least, do its share.
 */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pg_diff_pool *pool = w->pool;
	size_t first, count;

	if (worker_open(w) < 0)
		return NULL;
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (!pool->stop && pool->claimed == pool->submitted)
			pthread_cond_wait(&pool->work, &pool->lock);
		if (pool->stop)
			break;
		first = claim(pool, MAX_RUN, &count);
		run_claimed(pool, &w->runner, first, count);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

/* Hand the oldest job to the caller; with the lock held, released meanwhile. */
static int deliver_oldest(struct pg_diff_pool *pool)
{
	struct job *job = slot(pool, pool->delivered);
	int error = job->error;

	pthread_mutex_unlock(&pool->lock);
	if (error < 0)
		pg_error_set(error, "%s", job->message);
	else
		error = pool->deliver(&job->pub, pool->payload);
	if (job->pub.added.text.asize > RETAIN_BYTES ||
	    job->pub.added.starts_alloc * sizeof(size_t) > RETAIN_BYTES)
		pg_blob_added_release(&job->pub.added);
	pthread_mutex_lock(&pool->lock);
	pool->delivered++;
	return error;
}

/*
 * Deliver in order until at most `keep` jobs are outstanding, running
 * queued jobs here instead of waiting; then whatever else is finished.
 */
static int settle(struct pg_diff_pool *pool, size_t keep)
{
	size_t first, count;
	int error = 0;

	pthread_mutex_lock(&pool->lock);
	while (!error && pool->submitted - pool->delivered > keep) {
		if (slot(pool, pool->delivered)->done) {
			error = deliver_oldest(pool);
		} else if (pool->claimed < pool->submitted) {
			first = claim(pool, MAX_RUN, &count);
			run_claimed(pool, &pool->runner, first, count);
		} else {
			pthread_cond_wait(&pool->done, &pool->lock);
		}
	}
	while (!error && pool->delivered < pool->submitted &&
	       slot(pool, pool->delivered)->done)
		error = deliver_oldest(pool);
	pthread_mutex_unlock(&pool->lock);
	if (error)
		pool->error = error;
	return error;
}

static unsigned int default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > MAX_DEFAULT_THREADS ? MAX_DEFAULT_THREADS : (unsigned int)n;
}

/* Without them (no memory, no threads) the caller's thread does it all. */
static void start_workers(struct pg_diff_pool *pool)
{
	size_t i;

	pool->workers = calloc(pool->threads - 1, sizeof(*pool->workers));
	if (!pool->workers)
		return;
	for (i = 0; i + 1 < pool->threads; i++) {
		pool->workers[i].pool = pool;
		if (pthread_create(&pool->workers[i].thread, NULL, worker_main, &pool->workers[i]))
			break;
		pool->nworkers++;
	}
}

int pg_diff_pool_new(struct pg_diff_pool **out, git_repository *repo,
		     const struct pg_diff_pool_opts *opts, pg_diff_pool_deliver_cb deliver,
		     void *payload)
{
	unsigned int threads = opts->threads ? opts->threads : default_threads();
	struct pg_diff_pool *pool;
	size_t i;
	int error;

	*out = NULL;
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return pg_error_oom();
	pool->repo = repo;
	pool->from_env = opts->from_env;
	pool->keep_last = opts->keep_last;
	pool->prescan = opts->prescan;
	pool->threads = threads;
	pool->max_blob_size = opts->max_blob_size;
	pool->deliver = deliver;
	pool->payload = payload;
	pool->nslots = threads > 1 ? (size_t)threads * SLOTS_PER_THREAD : 1;
	pool->slots = calloc(pool->nslots, sizeof(*pool->slots));
	if (!pool->slots) {
		free(pool);
		return pg_error_oom();
	}
	for (i = 0; i < pool->nslots; i++)
		pg_blob_added_init(&pool->slots[i].pub.added, opts->max_blob_size);
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->work, NULL);
	pthread_cond_init(&pool->done, NULL);
	if ((error = pg_blob_differ_new(&pool->runner.differ, repo, opts->max_blob_size)) < 0) {
		pg_diff_pool_free(pool);
		return error;
	}
	pg_blob_differ_keep_last(pool->runner.differ, opts->keep_last);
	*out = pool;
	return 0;
}

/* Copy `src` (NULL: nothing) into *dst, growing it. */
static int copy_string(char **dst, size_t *alloc, const char *src)
{
	size_t len;
	char *p;

	if (!src)
		return 0;
	len = strlen(src) + 1;
	if (!(p = pg_array_grow(*dst, alloc, len, 1)))
		return pg_error_oom();
	*dst = p;
	memcpy(p, src, len);
	return 0;
}

static int job_fill(struct job *job, const git_oid *commit, const struct pg_blob_change *change)
{
	struct pg_blob_change *c = &job->pub.change;
	git_oid *copy;
	int error;

	if ((error = copy_string(&job->path, &job->path_alloc, change->path)) < 0 ||
	    (error = copy_string(&job->scope_from, &job->scope_from_alloc, change->scope_from)) < 0)
		return error;
	c->path = job->path;
	c->scope_from = change->scope_from ? job->scope_from : NULL;
	if (change->nothers) {
		if (!(copy = pg_array_grow(job->others, &job->others_alloc, change->nothers,
					   sizeof(*copy))))
			return pg_error_oom();
		job->others = copy;
		memcpy(copy, change->others, change->nothers * sizeof(*copy));
	}
	c->others = job->others;
	c->nothers = change->nothers;
	if (commit)
		git_oid_cpy(&job->pub.commit, commit);
	else
		memset(&job->pub.commit, 0, sizeof(job->pub.commit));
	git_oid_cpy(&c->old_id, &change->old_id);
	git_oid_cpy(&c->new_id, &change->new_id);
	job->error = 0;
	return 0;
}

int pg_diff_pool_submit(struct pg_diff_pool *pool, const git_oid *commit,
			const struct pg_blob_change *change)
{
	struct job *job;
	int error;

	if (pool->error)
		return pool->error;
	if (pool->threads > 1 && !pool->workers && pool->submitted == START_AFTER)
		start_workers(pool);
	/* Room for this one: the slot after the newest must be delivered. */
	if ((error = settle(pool, pool->nslots - 1)) != 0)
		return error;
	job = slot(pool, pool->submitted);
	if ((error = job_fill(job, commit, change)) < 0)
		return pool->error = error;
	pthread_mutex_lock(&pool->lock);
	job->done = false;
	pool->submitted++;
	pthread_cond_signal(&pool->work);
	pthread_mutex_unlock(&pool->lock);
	return pool->nworkers ? 0 : settle(pool, 0);
}

int pg_diff_pool_poll(struct pg_diff_pool *pool)
{
	int error = 0;
	bool room;

	if (pool->error)
		return pool->error;
	if (!pool->nworkers)
		return 1;
	pthread_mutex_lock(&pool->lock);
	while (!error && pool->delivered < pool->submitted && slot(pool, pool->delivered)->done)
		error = deliver_oldest(pool);
	room = pool->submitted - pool->delivered < pool->nslots;
	pthread_mutex_unlock(&pool->lock);
	if (error)
		return pool->error = error;
	return room;
}

int pg_diff_pool_finish(struct pg_diff_pool *pool)
{
	if (pool->error)
		return pool->error;
	return settle(pool, 0);
}

void pg_diff_pool_free(struct pg_diff_pool *pool)
{
	size_t i;

	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stop = true;
	pthread_cond_broadcast(&pool->work);
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < pool->nworkers; i++) {
		pthread_join(pool->workers[i].thread, NULL);
		runner_release(pool, &pool->workers[i].runner);
		git_repository_free(pool->workers[i].repo);
	}
	free(pool->workers);
	for (i = 0; i < pool->nslots; i++) {
		free(pool->slots[i].path);
		free(pool->slots[i].scope_from);
		free(pool->slots[i].others);
		pg_blob_added_release(&pool->slots[i].pub.added);
	}
	free(pool->slots);
	runner_release(pool, &pool->runner);
	pthread_cond_destroy(&pool->done);
	pthread_cond_destroy(&pool->work);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
}
