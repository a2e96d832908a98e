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
    size_t n_points, cap;
    int64_t *day;      /* each point's date (its period's last day), ascending */
    double *values;    /* n_points × n_reps, row-major; NaN: no row or NA */
} rseries_metric;

typedef struct rseries {
    size_t n_reps;
    rseries_metric *metrics;   /* in the order asked */
    size_t n_metrics;
} rseries;

/* Reads the ALL rows of the given metrics from series.csv at path, for
 * replications 1…n_reps. A metric without rows has no points (the run may
 * not have it). Returns 0 (free with rseries_free), or -1 with a one-line
 * reason in err ("PATH:LINE: what is wrong", or out of memory); on -1 *out
 * holds nothing. */
int rseries_load(const char *path, const char *const *metrics, size_t n_metrics, size_t n_reps,
                 rseries *out, char *err, size_t errlen);
void rseries_free(rseries *s);

/* For each point of m, the quantiles probs[0…n_probs) (GSL's definition:
 * linear interpolation between order statistics) of its finite values
 * across the n_reps replications, into out[point × n_probs + k]; NaN where a
 * point has no finite value. Returns 0, or -1 when out of memory. */
int rseries_quantiles(const rseries_metric *m, size_t n_reps, const double *probs, size_t n_probs,
                      double *out);

/* The paired difference arm − base at every date both have: per date the
 * mean over the replications where both values are finite (replications
 * 1…min(base_reps, arm_reps), paired by number: common seeds), and its 95%
 * interval mean ± t(0.975, n−1) · sd / √n (NaN bounds when n < 2, all NaN
 * when n = 0). Arrays of room min(base->n_points, arm->n_points); returns
 * the number of dates. */
size_t rseries_difference(const rseries_metric *base, size_t base_reps, const rseries_metric *arm,
                          size_t arm_reps, int64_t *day, double *mean, double *lower,
                          double *upper);

#endif
