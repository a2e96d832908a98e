/* report_series.h — what `placesim report` draws over time: a run's
 * series.csv ALL rows of chosen metrics, one value per replication and
 * period, and the summaries the charts show (quantiles across
 * replications, paired differences with a t interval). */
#ifndef PLACESIM_REPORT_SERIES_H
#define PLACESIM_REPORT_SERIES_H

#include <stddef.h>
#include <stdint.h>

typedef struct rseries_metric {
    char *name;
    int summed; /* 1: the sum of the selected areas' rows; 0: the ALL rows */
    size_t n_points, cap;
    int64_t *day;     /* each point's date (its period's last day), ascending */
    double *values;   /* n_points × n_reps, row-major; NaN: no row or NA */
    unsigned *counts; /* while loading a summed metric: rows added per value */
} rseries_metric;

typedef struct rseries {
    size_t n_reps;
    rseries_metric *metrics; /* in the order asked */
    size_t n_metrics;
} rseries;

/* What to read: metrics, and optionally a group of areas. */
typedef struct rseries_select {
    const char *const *metrics;
    size_t n_metrics;
    const char *const *areas; /* distinct names; none: every metric from its ALL rows */
    size_t n_areas;
    const int *sum_areas; /* per metric: 1 sums the areas' rows (a kind that adds up
                                  across areas), 0 reads ALL; NULL: all 0 */
} rseries_select;

/* Reads from series.csv at path, for replications 1…n_reps, each selected
 * metric's ALL rows, or the sum of the selected areas' rows (a value is NaN
 * unless every area has a row there, and none is NA). A metric without
 * rows has no points (the run may not have it). Returns 0 (free with
 * rseries_free), or -1 with a one-line reason in err ("PATH:LINE: what is
 * wrong", or out of memory); on -1 *out holds nothing. */
int rseries_load(const char *path, const rseries_select *sel, size_t n_reps, rseries *out,
                 char *err, size_t errlen);
void rseries_free(rseries *s);

/* For each point of m, the quantiles probs[0…n_probs) (GSL's definition:
 * linear interpolation between order statistics) of its finite values
 * across the n_reps replications, into out[point × n_probs + k]; NaN where a
 * point has no finite value. Returns 0, or -1 when out of memory. */
int rseries_quantiles(const rseries_metric *m, size_t n_reps, const double *probs, size_t n_probs,
                      double *out);

/* The difference arm − base at every date both have, into day, mean,
 * lower and upper (arrays of room min(base->n_points, arm->n_points));
 * returns the number of dates. Paired: per date the mean over the
 * replications where both values are finite (replications 1…min(base_reps,
 * arm_reps), paired by number: common seeds), with the 95% interval mean ±
 * t(0.975, n−1) · sd / √n. Unpaired: the difference of the two means over
 * each run's finite values, with Welch's 95% interval (Welch–Satterthwaite
 * degrees of freedom). Bounds are NaN when an interval cannot be formed
 * (fewer than two values), the mean too when there is no value. */
size_t rseries_difference(const rseries_metric *base, size_t base_reps, const rseries_metric *arm,
                          size_t arm_reps, int paired, int64_t *day, double *mean, double *lower,
                          double *upper);

#endif
