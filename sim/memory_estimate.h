/* memory_estimate.h — a run's peak memory, estimated from the scenario
 * before any replication starts, so that a run too big for the machine is
 * refused up front rather than killed half-way.
 *
 * A run's memory has three parts:
 *   working  what one running replication holds besides its result: the
 *            models' states (model_def.memory), their pending events in the
 *            event list, the place state, the streams, the thread's own
 *            allocator overhead; one per thread;
 *   kept     what a replication's result holds from its first day to the
 *            end of the run: its recorder's state and recorded event
 *            values (for the summary and targets) and its ledger; one per
 *            replication;
 *   streamed its period values and financial-year values: held from its
 *            first day until its rows are written. `run` writes each
 *            replication's rows as soon as it and every earlier one have
 *            finished, and hands out a replication only while fewer than
 *            2 x threads wait to be written, so at most min(reps,
 *            2 x threads) hold them at once (one with one thread:
 *            streaming); `calibrate` and
 *            in-process callers keep every one;
 *   formatted the text of its rows: `run` has the thread that simulated a
 *            replication format its rows (run_config.on_format) and free
 *            its period values, so a replication holds its streamed part
 *            while it runs and its text from then until its rows are
 *            written: t x streamed + h x formatted instead of h x streamed;
 *   fixed    once per run: the process, the loaded scenario and place.
 * At the end of the run the working parts are gone but the summary pools
 * every replication's event_median values into one array (pooled). A thread
 * that runs a second replication holds somewhat more than for its first
 * (reuse): glibc raises its mmap threshold as large blocks are freed, so
 * the second replication's arrays of up to 32 MB come from the arena,
 * where the first one's growth left holes.
 *
 * The figures are upper bounds calibrated against measured peak resident
 * memory (tools/memory_check.sh); they are estimates of what the run will
 * touch, not of what it reserves. */
#ifndef PLACESIM_MEMORY_ESTIMATE_H
#define PLACESIM_MEMORY_ESTIMATE_H

#include <stddef.h>
#include "engine.h"

typedef struct memory_estimate {
    size_t working;   /* bytes per running replication (per thread) */
    size_t reuse;     /* bytes more per thread once it runs a second replication:
                         the allocator keeps the first one's freed blocks, and
                         the second's do not all fit in them */
    size_t kept;      /* bytes per replication, kept to the end of the run */
    size_t streamed;  /* bytes per replication until its rows are written */
    int streaming;    /* the run writes as replications finish (cfg->on_result set) */
    size_t formatted; /* bytes per replication of its rows as text, until written */
    int formats;      /* workers format the rows (streaming, cfg->on_format set) */
    size_t pooled;    /* bytes per replication copied to pool medians at the end */
    size_t fixed;     /* bytes once per run */
    unsigned reps;    /* as asked (at least 1) */
    unsigned threads; /* as asked, capped at reps as the run caps it (at least 1) */
    size_t total;     /* peak for reps and threads: memory_estimate_total */
} memory_estimate;

/* Estimates the peak memory of running `reps` replications of cfg on
 * `threads` threads. cfg needs scn, place, models, n_models, period and
 * the dates (run_config_dates), and on_result set when the run streams
 * its rows and on_format when workers format them (only whether they are
 * NULL is read); nothing else of it is read. A model whose
 * model_def.memory is NULL counts as 0 bytes. Pure computation from the
 * scenario: it allocates nothing, cannot fail, and sizes that would not
 * fit in size_t saturate at SIZE_MAX. reps or threads of 0 count as 1. */
memory_estimate memory_estimate_run(const run_config *cfg, unsigned reps, unsigned threads);

/* Peak bytes of e's run with `reps` replications on `threads` threads:
 *   max(fixed + t x working + min(t, reps - t) x reuse + reps x kept
 *           + h x streamed (or, when formats, t x streamed + h x formatted),
 *       fixed + reps x (kept + pooled [+ streamed when not streaming])),
 *   t = min(threads, reps), h = min(reps, 2t) when streaming (1 for one
 *   thread, which writes each replication before the next), else reps,
 * saturating at SIZE_MAX. reps or threads of 0 count as 1. */
size_t memory_estimate_total(const memory_estimate *e, unsigned reps, unsigned threads);

/* How many replications hold their period values at once (h above). */
unsigned memory_estimate_held(const memory_estimate *e, unsigned reps, unsigned threads);

/* The largest thread count t (1 <= t <= reps; a run uses no more threads
 * than replications) whose memory_estimate_total(e, reps, t) is at most
 * `limit`, or 0 when not even one thread fits. */
unsigned memory_estimate_max_threads(const memory_estimate *e, unsigned reps, size_t limit);

/* The largest replication count r (1 <= r <= reps) whose
 * memory_estimate_total(e, r, threads) is at most `limit`, or 0 when not
 * even one fits. */
unsigned memory_estimate_max_reps(const memory_estimate *e, unsigned threads, unsigned reps,
                                  size_t limit);

#endif
