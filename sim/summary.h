/* summary.h — pooled results of a run: the one-line summary and the values
 * calibration and tests read. Pooling follows ARCHITECTURE.md § Outputs:
 * event metrics pool every event of every replication (mean of all, median
 * of all); other metrics average the replications' whole-run values. */
#ifndef PLACESIM_SUMMARY_H
#define PLACESIM_SUMMARY_H

#include <stdio.h>
#include "engine.h"

/* The pooled whole-run value of metric `name` (ALL) over n replications, and
 * the standard error of the per-replication values (sd / sqrt(n); NaN for
 * n < 2). Returns 0, or -1 when no such metric or no value. */
int summary_pooled(const replication_result *results, unsigned n, const char *name, double *value,
                   double *se);

/* One line: scenario, replications, years, each model's summary metrics,
 * spend by who paid, wall time, output directory; then, when the run has
 * interventions, one line each (spend from the replications' ledgers,
 * paused days and refusals, means per replication over the run), and the
 * number of warnings when there are any (the warnings themselves are in
 * manifest.json). */
void print_run_summary(FILE *out, const run_config *cfg, const replication_result *results,
                       unsigned n, double wall_seconds, const char *out_dir);

#endif
