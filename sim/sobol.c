/* sobol.c — Sobol indices from a Saltelli design's outputs: Saltelli (2010)
 * first order, Jansen (1999) total, bootstrap percentile intervals over the
 * base samples. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sobol.h"

/* The indices of the base samples idx[0..n-1] (idx NULL: 0..n-1) into
 * s1[0..k-1] and st[0..k-1]; returns the output variance V (0: undefined,
 * s1 and st then unset). f(B_i) is centred on the mean of the 2N A and B
 * outputs first: the expectation of Saltelli's estimator is unchanged (the
 * centring term has expectation 0), but its variance no longer grows with
 * the square of the output's level (SALib centres the same way). */
static double estimate_pass(const sobol_outputs *o, const size_t *idx, double *s1, double *st,
                            double *mean_out)
{
    size_t n = o->n, k = o->k;
    double sum = 0.0;
    for (size_t r = 0; r < n; r++) {
        size_t i = idx ? idx[r] : r;
        sum += o->fa[i] + o->fb[i];
    }
    double mean = sum / (2.0 * (double)n), ss = 0.0;
    for (size_t r = 0; r < n; r++) {
        size_t i = idx ? idx[r] : r;
        double da = o->fa[i] - mean, db = o->fb[i] - mean;
        ss += da * da + db * db;
    }
    double variance = ss / (2.0 * (double)n);
    if (mean_out) *mean_out = mean;
    if (!(variance > 0.0)) return 0.0;
    for (size_t j = 0; j < k; j++) s1[j] = st[j] = 0.0;
    for (size_t r = 0; r < n; r++) {
        size_t i = idx ? idx[r] : r;
        double a = o->fa[i], b = o->fb[i] - mean;
        const double *ab = o->fab + i * k;
        for (size_t j = 0; j < k; j++) {
            double d = ab[j] - a;
            s1[j] += b * d;
            st[j] += d * d;
        }
    }
    for (size_t j = 0; j < k; j++) {
        s1[j] /= (double)n * variance;
        st[j] /= 2.0 * (double)n * variance;
    }
    return variance;
}

static int all_finite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* A resample's draws before giving up on one whose variance is not zero:
 * only a design of a few samples, nearly all equal, gets there. */
enum { SOBOL_MAX_REDRAWS = 1000 };

/* Fills out[j]'s intervals from `bootstrap` resamples. 0, or -1 with err. */
static int bootstrap_intervals(const sobol_outputs *o, unsigned bootstrap, unsigned long seed,
                               sobol_index *out, char *err, size_t errlen)
{
    size_t n = o->n, k = o->k;
    if (bootstrap > SIZE_MAX / sizeof(double) / k) {
        snprintf(err, errlen, "%u bootstrap resamples of %zu parameters are too many", bootstrap,
                 k);
        return -1;
    }
    size_t *idx = malloc(n * sizeof *idx);
    double *s1 = malloc(k * sizeof *s1), *st = malloc(k * sizeof *st);
    /* per parameter, its `bootstrap` values: [j * bootstrap + b] */
    double *boot_s1 = malloc(k * bootstrap * sizeof *boot_s1);
    double *boot_st = malloc(k * bootstrap * sizeof *boot_st);
    /* A named generator, never gsl_rng_env_setup: an environment variable
     * must not change the intervals. */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int status = -1;
    if (!idx || !s1 || !st || !boot_s1 || !boot_st || !rng) {
        snprintf(err, errlen, "out of memory for %u bootstrap resamples of %zu parameters",
                 bootstrap, k);
        goto done;
    }
    gsl_rng_set(rng, seed);
    for (unsigned b = 0; b < bootstrap; b++) {
        unsigned draws = 0;
        double variance;
        do {
            for (size_t r = 0; r < n; r++) idx[r] = (size_t)gsl_rng_uniform_int(rng, n);
            variance = estimate_pass(o, idx, s1, st, NULL);
        } while (variance == 0.0 && ++draws < SOBOL_MAX_REDRAWS);
        if (variance == 0.0) {
            snprintf(err, errlen,
                     "the output varies too little for a bootstrap over %zu base "
                     "samples (resamples without variance)",
                     n);
            goto done;
        }
        for (size_t j = 0; j < k; j++) {
            boot_s1[j * bootstrap + b] = s1[j];
            boot_st[j * bootstrap + b] = st[j];
        }
    }
    for (size_t j = 0; j < k; j++) {
        double *x = boot_s1 + j * bootstrap, *y = boot_st + j * bootstrap;
        gsl_sort(x, 1, bootstrap);
        gsl_sort(y, 1, bootstrap);
        out[j].s1_low = gsl_stats_quantile_from_sorted_data(x, 1, bootstrap, 0.025);
        out[j].s1_high = gsl_stats_quantile_from_sorted_data(x, 1, bootstrap, 0.975);
        out[j].st_low = gsl_stats_quantile_from_sorted_data(y, 1, bootstrap, 0.025);
        out[j].st_high = gsl_stats_quantile_from_sorted_data(y, 1, bootstrap, 0.975);
    }
    status = 0;
done:
    gsl_rng_free(rng);
    free(idx);
    free(s1);
    free(st);
    free(boot_s1);
    free(boot_st);
    return status;
}

int sobol_estimate(const sobol_outputs *o, unsigned bootstrap, unsigned long seed, sobol_index *out,
                   sobol_moments *moments, char *err, size_t errlen)
{
    size_t n = o->n, k = o->k;
    if (n < 2 || k == 0) {
        snprintf(err, errlen,
                 "Sobol indices need at least 2 base samples and 1 parameter "
                 "(have %zu and %zu)",
                 n, k);
        return -1;
    }
    if (k > SIZE_MAX / n || !all_finite(o->fa, n) || !all_finite(o->fb, n) ||
        !all_finite(o->fab, n * k)) {
        snprintf(err, errlen, "a model output is not a finite number");
        return -1;
    }
    sobol_index *est = calloc(k, sizeof *est);
    double *s1 = malloc(k * sizeof *s1), *st = malloc(k * sizeof *st);
    int status = -1;
    double mean = 0.0, variance = 0.0;
    if (!est || !s1 || !st) {
        snprintf(err, errlen, "out of memory for %zu parameters", k);
        goto done;
    }
    variance = estimate_pass(o, NULL, s1, st, &mean);
    if (variance == 0.0) {
        snprintf(err, errlen,
                 "the output is the same at every A and B point (%g): "
                 "its variance is zero and the indices are undefined",
                 mean);
        goto done;
    }
    for (size_t j = 0; j < k; j++) est[j] = (sobol_index){ s1[j], NAN, NAN, st[j], NAN, NAN };
    if (bootstrap > 0 && bootstrap_intervals(o, bootstrap, seed, est, err, errlen) != 0) goto done;
    memcpy(out, est, k * sizeof *out);
    if (moments) *moments = (sobol_moments){ mean, variance };
    status = 0;
done:
    free(est);
    free(s1);
    free(st);
    return status;
}
