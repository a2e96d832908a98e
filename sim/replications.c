/* replications.c — replications on a pool of threads.
 *
 * Each replication is a pure function of (scenario, master seed, replication
 * number): its streams are keyed by its own seed and it shares nothing
 * mutable with the others, so results are identical for any thread count;
 * only which thread computes which replication varies. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

typedef struct pool {
    const run_config *cfg;
    unsigned n_reps;
    unsigned next;            /* next replication to hand out, 0-based */
    unsigned done;
    int failed;
    char *err;
    size_t errlen;
    replication_result *results;
    pthread_mutex_t lock;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    char err[1024];
    for (;;) {
        pthread_mutex_lock(&p->lock);
        unsigned i = p->failed ? p->n_reps : p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n_reps) return NULL;

        int status = engine_run_replication(p->cfg, i + 1, &p->results[i], err, sizeof err);
        pthread_mutex_lock(&p->lock);
        if (status != 0) {
            /* The first failure stops the hand-out; later ones are its echoes. */
            if (!p->failed) snprintf(p->err, p->errlen, "%s", err);
            p->failed = 1;
        } else if (p->cfg->progress) {
            p->cfg->progress(p->cfg->progress_ctx, ++p->done, p->n_reps);
        }
        pthread_mutex_unlock(&p->lock);
    }
}

int engine_run_replications(const run_config *cfg, unsigned n_reps, unsigned threads,
                            replication_result *results, char *err, size_t errlen)
{
    memset(results, 0, n_reps * sizeof *results);
    pool p = { .cfg = cfg, .n_reps = n_reps, .err = err, .errlen = errlen, .results = results };
    if (pthread_mutex_init(&p.lock, NULL) != 0) {
        snprintf(err, errlen, "cannot create a mutex");
        return -1;
    }
    if (threads < 1) threads = 1;
    if (threads > n_reps) threads = n_reps;

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
    pthread_mutex_destroy(&p.lock);

    if (p.failed) {
        for (unsigned i = 0; i < n_reps; i++) replication_result_free(&results[i]);
        return -1;
    }
    return 0;
}
