/* sobol.h — first-order and total Sobol indices from the model outputs of a
 * Saltelli design, with bootstrap percentile intervals; and the reading of
 * those outputs from a sweep's results store (sensitivity_db.c).
 *
 * The design (Saltelli et al. 2010): two N x k matrices A and B of base
 * samples, and for each parameter j the matrix AB^(j), A with column j taken
 * from B. The model is evaluated at the N(k+2) rows A_i, B_i, AB_i^(j). */
#ifndef PLACESIM_SOBOL_H
#define PLACESIM_SOBOL_H

#include <stddef.h>

/* The default number of bootstrap resamples and the default seed of the
 * resampling generator (gsl_rng_mt19937). */
enum { SOBOL_BOOTSTRAP_DEFAULT = 1000 };
#define SOBOL_SEED_DEFAULT 1UL

/* One parameter's indices: point estimates and 95% percentile intervals
 * (NaN bounds when no bootstrap was asked). */
typedef struct sobol_index {
    double s1, s1_low, s1_high; /* first order (Saltelli 2010) */
    double st, st_low, st_high; /* total (Jansen 1999) */
} sobol_index;

/* The model outputs of one Saltelli design: fa[i] = f(A_i), fb[i] = f(B_i),
 * fab[i * k + j] = f(AB_i^(j)), for i < n, j < k. */
typedef struct sobol_outputs {
    const double *fa, *fb, *fab;
    size_t n, k;
} sobol_outputs;

/* The output's mean and variance over the 2N outputs of A and B
 * (population variance: divided by 2N). */
typedef struct sobol_moments {
    double mean, variance;
} sobol_moments;

/* Estimates every parameter's indices into out[0..k-1]:
 *   V    = variance of the 2N outputs f(A_i), f(B_i)
 *   S_j  = (1/N) sum_i (f(B_i) - m) (f(AB_i^j) - f(A_i)) / V   (Saltelli 2010)
 *   ST_j = (1/2N) sum_i (f(A_i) - f(AB_i^j))^2 / V             (Jansen 1999)
 * m the mean of the 2N outputs (centring: see sobol.c).
 * With bootstrap > 0, the 95% intervals are the 2.5% and 97.5% percentiles
 * (linear interpolation, gsl_stats_quantile_from_sorted_data) of the indices
 * recomputed on `bootstrap` resamples of the N base samples drawn with
 * replacement by gsl_rng_mt19937 seeded with `seed` (the same seed gives the
 * same intervals). A resample whose output variance is zero is drawn again.
 * Every output must be finite. Returns 0; or -1 with err (n < 2, a
 * non-finite output, zero variance: the indices are undefined, out of
 * memory), out then untouched. moments may be NULL. */
int sobol_estimate(const sobol_outputs *o, unsigned bootstrap, unsigned long seed, sobol_index *out,
                   sobol_moments *moments, char *err, size_t errlen);

/* --- outputs from a results store (sensitivity_db.c) --------------------- */

/* What to read: the store's output (by its name, or by metric and optional
 * summary), the arm (NULL: the base arm), and whether to take the paired
 * difference against the base arm instead of the value. */
typedef struct sensitivity_request {
    const char *db_path;
    const char *metric;  /* an outputs.name, or an outputs.metric */
    const char *summary; /* NULL, or total | mean_per_year | value_at | median */
    const char *arm;     /* NULL: the first (base) arm */
    int difference;      /* arm minus base arm, per point and replication */
} sensitivity_request;

/* The outputs of a finished Saltelli sweep, ready for sobol_estimate. */
typedef struct sensitivity_data {
    char *sweep_name, *output_name, *metric, *summary, *area, *arm;
    char **params;   /* parameter keys, param_id order */
    size_t k;        /* parameters */
    size_t n_design; /* the sweep's N (base samples) */
    size_t n;        /* base samples used: those whose k+2 points all have a value */
    size_t dropped;  /* n_design - n */
    unsigned replications;
    long failed_runs;      /* failed runs of the arm */
    double *fa, *fb, *fab; /* n, n and n*k model outputs (see sobol_outputs) */
} sensitivity_data;

/* Reads the request's outputs: the model output at a point is the mean over
 * the point's ok replications (of the arm) of the output's value, or of its
 * difference against the base arm; replications whose summary is NA are left
 * out of the mean, and a base sample any of whose k+2 points has no value is
 * dropped (counted in `dropped`). Returns 0 and fills out (free with
 * sensitivity_data_free); 2 after err when the request names an unknown
 * output, summary or arm, or asks the base arm's difference (err lists what
 * the store has); 1 after err when the file is not a results store, the
 * design is not saltelli, points are unfinished (err says how many), fewer
 * than 2 base samples remain, or SQLite fails. On failure out is untouched.
 * The file is opened read-only. */
int sensitivity_read(const sensitivity_request *req, sensitivity_data *out, char *err,
                     size_t errlen);
void sensitivity_data_free(sensitivity_data *d);

#endif
