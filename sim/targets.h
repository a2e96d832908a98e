/* targets.h — calibration targets: declared in a scenario's `targets` list,
 * pooled over the written years and replications, reported after a run and
 * in manifest.json, and minimised by `placesim calibrate`.
 *
 * Pooling (ARCHITECTURE.md § Outputs): event_mean metrics (shares and means,
 * the quarterly cohort rates included) as a ratio of sums over replications;
 * event_median as the median of every event; levels as the mean of daily
 * values; count and money as the mean total per written year. se is the
 * standard deviation of the per-replication values over sqrt(R). */
#ifndef PLACESIM_TARGETS_H
#define PLACESIM_TARGETS_H

#include <stddef.h>
#include <stdio.h>
#include "engine.h"

/* Which side of the value meets a target: both within the tolerance (the
 * default), or one side only, for a published figure that is a floor or a
 * ceiling rather than a point (e.g. a rate known to be no lower than an
 * older method's). */
typedef enum target_bound { TARGET_TWO_SIDED, TARGET_AT_LEAST, TARGET_AT_MOST } target_bound;

typedef struct target_result {
    const char *name, *metric, *source; /* owned by the scenario */
    double target, tolerance;
    target_bound bound;
    double achieved, se; /* NaN when undefined */
    int met;
    unsigned replications;
} target_result;

/* Checks that every target names a metric of the engine or of one of the
 * models (give every registered model: a target of a model not run is
 * valid, and left out by targets_evaluate). Returns 0, or -1 with "FILE:LINE: key: what is wrong" lines. */
int targets_check(const scenario *s, const model_def *const *models, size_t n_models, char *err,
                  size_t errlen);

/* Evaluates the scenario's targets on finished replications, leaving out
 * those whose metric the replications do not have (a metric of a model the
 * `models` key leaves out). Returns the number of targets evaluated
 * (results in *out, caller frees) or -1 when out of memory. */
long targets_evaluate(const run_config *cfg, const replication_result *results, unsigned n,
                      target_result **out);

/* Σ ((achieved − target) / tolerance)², a one-sided target adding its term
 * only on the wrong side of its value (at_least: achieved < target);
 * +inf when a value is undefined (a zero tolerance counts as 1e-12). */
double targets_distance(const target_result *t, size_t n);

/* One line per target: name, target ± tolerance (one-sided: "at least" or
 * "at most" the target, with its tolerance), achieved (se), met. */
void targets_print(FILE *out, const target_result *t, size_t n);

/* The manifest's "targets" object: name → {metric, target, achieved,
 * tolerance, [bound,] se, met, replications, source}; "bound" ("at_least" or
 * "at_most") only for a one-sided target, so two-sided ones read as before. */
void targets_write_json(FILE *out, const target_result *t, size_t n, int indent);

#endif
