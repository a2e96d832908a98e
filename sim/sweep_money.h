/* sweep_money.h — a run's cost-benefit money (the cost_metrics.h list, area
 * ALL, by financial year), taken from its recorder for the results store's
 * `run_years` and `money` tables, so that `placesim compare RESULTS.db`
 * can do at every point what `placesim compare` does with run directories.
 *
 * The arrays live in one block (block_bytes long) so that a record crosses
 * MPI as one copy: first_day[n_years], last_day[n_years],
 * value[n_years × n_metrics] (year-major), declared[n_metrics]. */
#ifndef PLACESIM_SWEEP_MONEY_H
#define PLACESIM_SWEEP_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "cost_metrics.h"
#include "recorder.h"

typedef struct sweep_run_money {
    size_t n_years, n_metrics;
    int64_t *first_day, *last_day; /* the days of each financial year the run wrote */
    double *value;                 /* the metric's unit (pounds for money); NaN = NA */
    unsigned char *declared;       /* 0: the run does not record the metric (no rows) */
    void *block;
    size_t block_bytes;
} sweep_run_money;

/* Allocates the block for n_years × n_metrics (zeroed). 0 or -1. */
int sweep_money_alloc(sweep_run_money *m, size_t n_years, size_t n_metrics);

/* The run's money from a finished recorder (before recorder_release). 0, or
 * -1 out of memory (*out then empty). */
int sweep_money_take(const recorder *rec, const cost_metrics *list, sweep_run_money *out);

void sweep_money_free(sweep_run_money *m);

#endif
