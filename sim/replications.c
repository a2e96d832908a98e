/* replications.c — replications on a pool of threads.
 *
 * Each replication is a pure function of (scenario, master seed, replication
 * number): its streams are keyed by its own seed and it shares nothing
 * mutable with the others, so results are identical for any thread count;
 * only which thread computes which replication varies.
 *
 * With a sink (run_config.on_result), finished replications are handed to
 * it in replication order: whichever thread finds the next one in order
 * finished becomes the writer until it finds one not yet finished, while
 * the others go on simulating. So that out-of-order replications cannot
 * pile up behind a slow one, a replication is handed out only while it is
 * fewer than 2 × threads ahead of the next to write. The costly part of
 * writing, turning values into text (run_config.on_format), is done by the
 * thread that simulated the replication, before it takes the lock, so that
 * threads format in parallel and the one writer only copies bytes: with
 * formatting in the sink, the writer was busy for about a third of each
 * replication's time and -j 2 stalled behind it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

typedef struct pool {
    const run_config *cfg;
    unsigned n_reps;
    unsigned next; /* next replication to hand out, 0-based */
    unsigned done;
    unsigned next_written;   /* next replication for the sink, 0-based */
    unsigned ahead;          /* how far next may run ahead of next_written */
    int writing;             /* a thread is in the sink */
    unsigned char *finished; /* per replication: simulated, not yet sunk */
    int failed;
    char *err;
    size_t errlen;
    replication_result *results;
    pthread_mutex_t lock;
    pthread_cond_t moved; /* next_written advanced, or the run failed */
} pool;

/* Fails the run (under the lock) with the first reason; wakes the waiting. */
static void fail_locked(pool *p, const char *reason)
{
    if (!p->failed) snprintf(p->err, p->errlen, "%s", reason);
    p->failed = 1;
    pthread_cond_broadcast(&p->moved);
}

/* Under the lock: hands the replications that are next in order and
 * finished to the sink, one at a time, with the lock released meanwhile. */
static void sink_in_order(pool *p)
{
    char err[1024];
    while (!p->failed && !p->writing && p->next_written < p->n_reps &&
           p->finished[p->next_written]) {
        unsigned k = p->next_written;
        p->writing = 1;
        pthread_mutex_unlock(&p->lock);
        err[0] = '\0';
        int status = p->cfg->on_result(p->cfg->on_result_ctx, &p->results[k], err, sizeof err);
        pthread_mutex_lock(&p->lock);
        p->writing = 0;
        p->finished[k] = 0;
        p->next_written++;
        if (status != 0) fail_locked(p, err[0] ? err : "cannot write the results");
        pthread_cond_broadcast(&p->moved);
    }
}

static void *worker(void *arg)
{
    pool *p = arg;
    char err[1024];
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (!p->failed && p->cfg->on_result && p->next < p->n_reps &&
               p->next >= p->next_written + p->ahead) {
            pthread_cond_wait(&p->moved, &p->lock);
        }
        unsigned i = p->failed ? p->n_reps : p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n_reps) return NULL;

        int status = engine_run_replication(p->cfg, i + 1, &p->results[i], err, sizeof err);
        if (status == 0 && p->cfg->on_result && p->cfg->on_format) {
            err[0] = '\0';
            status = p->cfg->on_format(p->cfg->on_format_ctx, &p->results[i], err, sizeof err);
            if (status != 0 && !err[0]) snprintf(err, sizeof err, "cannot format the results");
        }
        pthread_mutex_lock(&p->lock);
        if (status != 0) {
            /* The first failure stops the hand-out; later ones are its echoes. */
            fail_locked(p, err);
        } else {
            if (p->cfg->progress) p->cfg->progress(p->cfg->progress_ctx, ++p->done, p->n_reps);
            if (p->cfg->on_result) {
                p->finished[i] = 1;
                sink_in_order(p);
            }
        }
        pthread_mutex_unlock(&p->lock);
    }
}

int engine_run_replications(const run_config *cfg, unsigned n_reps, unsigned threads,
                            replication_result *results, char *err, size_t errlen)
{
    memset(results, 0, n_reps * sizeof *results);
    if (threads < 1) threads = 1;
    if (threads > n_reps) threads = n_reps;
    pool p = { .cfg = cfg,
               .n_reps = n_reps,
               .err = err,
               .errlen = errlen,
               .results = results,
               .ahead = 2 * (threads ? threads : 1) };
    p.finished = calloc(n_reps ? n_reps : 1, 1);
    if (!p.finished) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (pthread_mutex_init(&p.lock, NULL) != 0) {
        snprintf(err, errlen, "cannot create a mutex");
        free(p.finished);
        return -1;
    }
    if (pthread_cond_init(&p.moved, NULL) != 0) {
        snprintf(err, errlen, "cannot create a condition variable");
        pthread_mutex_destroy(&p.lock);
        free(p.finished);
        return -1;
    }

    pthread_t *ids = calloc(threads ? threads : 1, sizeof *ids);
    unsigned started = 0;
    if (ids) {
        for (; started + 1 < threads; started++) {
            if (pthread_create(&ids[started], NULL, worker, &p) != 0) break;
        }
    }
    worker(&p); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++) pthread_join(ids[t], NULL);
    free(ids);
    pthread_cond_destroy(&p.moved);
    pthread_mutex_destroy(&p.lock);
    free(p.finished);

    if (!p.failed && cfg->on_result && p.next_written != n_reps) {
        snprintf(err, errlen, "replications finished out of order were not written");
        p.failed = 1;
    }
    if (p.failed) {
        for (unsigned i = 0; i < n_reps; i++) replication_result_free(&results[i]);
        return -1;
    }
    return 0;
}
