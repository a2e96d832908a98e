/* sweep_run.h — running a sweep: its runs on threads into the store, the
 * summaries kept per run, and the progress line.
 *
 * A run is one (point, arm, replication). Runs are taken point-major by
 * whichever thread is free (shared counter), each point's scenario loaded
 * once per arm with the point's overrides; one writer (the calling thread)
 * records finished runs through the store, so that writing never holds up
 * the threads that simulate. Replications are 0-based here and in the
 * store's API (the database counts them from 1, as series.csv does);
 * replication r is `placesim run`'s replication r + 1 under master seed
 * sweep_point_seed(seed, point). */
#ifndef PLACESIM_SWEEP_RUN_H
#define PLACESIM_SWEEP_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "recorder.h"
#include "sweep.h"
#include "sweep_store.h"

/* ---- summaries (sweep_summary.c) ---------------------------------------- */

/* Checks before any run that output o can be formed from a run whose
 * recorder declares the metrics of `declared` (engine_declared_metrics) and
 * writes first_day … last_day: the metric and area exist, the summary suits
 * the metric's kind, the window (or value_at's date) is written. Returns 0,
 * or -1 with a one-line reason naming the output in err. */
int sweep_summary_check(const sweep_output *o, const recorder *declared, int64_t first_day,
                        int64_t last_day, char *err, size_t errlen);

/* Output o of a finished replication (monthly periods): *value in the
 * metric's unit (money in pounds), NaN for NA. Returns 0, or -1 with a
 * one-line reason (what sweep_summary_check would refuse for this run's
 * dates, or out of memory for a median). */
int sweep_summary_value(const sweep_output *o, const recorder *rec, double *value, char *err,
                        size_t errlen);

/* ---- progress (sweep_progress.c) ---------------------------------------- */

typedef enum sweep_progress_mode {
    SWEEP_PROGRESS_NONE, /* --quiet */
    SWEEP_PROGRESS_BAR,  /* a terminal: one line redrawn in place */
    SWEEP_PROGRESS_LINES /* not a terminal: a plain line every ~5 s */
} sweep_progress_mode;

typedef struct sweep_progress {
    FILE *out;
    sweep_progress_mode mode;
    size_t total; /* runs to make in this call */
    size_t done, failed;
    struct timespec t0, shown;
    int drawn; /* a bar is on screen */
} sweep_progress;

/* Starts counting total runs now; nothing is written yet. */
void sweep_progress_begin(sweep_progress *p, FILE *out, sweep_progress_mode mode, size_t total);

/* done runs finished so far (failed of them failed): redraws the bar (at
 * most ~10 times a second) or writes a line when ~5 s have passed. */
void sweep_progress_update(sweep_progress *p, size_t done, size_t failed);

/* Clears the bar (or writes a last line); the count stays in p. */
void sweep_progress_end(sweep_progress *p);

/* The progress text without decoration: "12/60 runs (1 failed), 3.4 runs/s,
 * ETA 14 s". Always NUL-terminated. */
void sweep_progress_format(char *buf, size_t buflen, size_t done, size_t total, size_t failed,
                           double elapsed_seconds);

/* ---- the work loop (sweep_run.c) ----------------------------------------- */

typedef struct sweep_run_options {
    unsigned threads;                  /* >= 1 */
    unsigned shard_k, shard_n;         /* points with point % shard_n == shard_k - 1; 1/1: all */
    const volatile sig_atomic_t *stop; /* optional: stop between days once non-zero */
    sweep_progress *progress;          /* optional: updated by the writer */
} sweep_run_options;

typedef struct sweep_run_totals {
    size_t runs;       /* runs of this shard */
    size_t skipped;    /* already recorded as ok (--resume) */
    size_t ok, failed; /* recorded by this call */
    int stopped;       /* *stop was set: runs in progress were dropped */
    double wall_seconds;
} sweep_run_totals;

/* Before any run: loads point 0 of each arm (the shard's first point) and
 * checks every output against it (sweep_summary_check). 0, or -1 after the
 * reasons on stderr (a scenario that does not load prints its own). */
int sweep_run_check(const sweep *s, const sweep_run_options *o);

/* Runs every run of the shard not already recorded as ok in st, on
 * o->threads threads, recording each (failed ones with their reason) as it
 * finishes. A run's failure does not stop the sweep. Returns 0 when every
 * run was attempted (t->failed may be > 0), or when *o->stop ended it early
 * (t->stopped; what finished is recorded); -1 with err when the sweep itself
 * failed (the store could not record, out of memory): runs recorded so far
 * stay. */
int sweep_run(const sweep *s, sweep_store *st, const sweep_run_options *o, sweep_run_totals *t,
              char *err, size_t errlen);

/* Where finished runs go and which are already done: the store for
 * sweep_run, a message to rank 0 under MPI (sweep_mpi.c). Both callbacks are
 * called from the calling thread only. */
typedef struct sweep_run_sink {
    void *ctx;
    /* Nonzero when (point, arm, replication) is already recorded as ok. */
    int (*done)(void *ctx, size_t point, size_t arm, unsigned replication);
    /* Takes one finished run; series is its recorder when the sweep keeps
     * series (else NULL), starting on start_day. 0, or -1 with err. */
    int (*record)(void *ctx, const sweep_run_record *r, const recorder *series, int64_t start_day,
                  char *err, size_t errlen);
} sweep_run_sink;

/* sweep_run's work loop on an explicit list of points (sweep indices,
 * ascending) instead of a shard: the runs not done per sink->done, on
 * o->threads threads (o's shard fields are ignored), each handed to
 * sink->record as it finishes. Same results and return as sweep_run. */
int sweep_run_points(const sweep *s, const size_t *points, size_t n_points,
                     const sweep_run_sink *sink, const sweep_run_options *o, sweep_run_totals *t,
                     char *err, size_t errlen);

#endif
