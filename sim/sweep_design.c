/* sweep_design.c — a sweep's points: the grid, the Latin hypercube and the
 * Saltelli design (on GSL's Sobol sequence), the mapping of quantiles to
 * values by distribution, each point's overrides and seed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sweep_internal.h"

static const char *const design_names[] = { "list", "grid", "lhs", "saltelli" };
static const char *const summary_names[] = { "total", "mean_per_year", "value_at", "median" };
static const char *const distribution_names[] = { "values", "uniform", "log_uniform", "normal" };

const char *sweep_design_name(sweep_design_kind k) { return design_names[k]; }
const char *sweep_summary_name(sweep_summary_kind k) { return summary_names[k]; }
const char *sweep_distribution_name(sweep_distribution d) { return distribution_names[d]; }

void sweep_free(sweep *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_arms; i++) {
        free(s->arms[i].name);
        free(s->arms[i].scenario_path);
    }
    for (size_t i = 0; i < s->n_params; i++) {
        free(s->params[i].key);
        free(s->params[i].column);
        free(s->params[i].values);
    }
    for (size_t i = 0; i < s->n_outputs; i++) {
        free(s->outputs[i].name);
        free(s->outputs[i].metric);
        free(s->outputs[i].area);
    }
    free(s->arms);
    free(s->params);
    free(s->outputs);
    free(s->points);
    free(s->saltelli_sample);
    free(s->saltelli_matrix);
    free(s->saltelli_column);
    free(s->path);
    free(s->name);
    free(s->text);
    memset(s, 0, sizeof *s);
}

/* SplitMix64's finaliser (as rng_replication_seed uses). */
static uint64_t mix64(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xBF58476D1CE4E5B9ULL;
    z ^= z >> 27;
    z *= 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return z;
}

/* The point's seed is mix(master + C (point + 1)) with an odd constant other
 * than the replications' golden-ratio one, so point seeds do not line up
 * with the replication seeds derived from them. */
uint64_t sweep_point_seed(uint64_t master_seed, size_t point)
{
    return mix64(master_seed + 0xD1B54A32D192ED03ULL * ((uint64_t)point + 1));
}

uint64_t sweep_run_master_seed(const sweep *s, size_t point)
{
    return s->seeds_per_point ? sweep_point_seed(s->master_seed, point) : s->master_seed;
}

/* Rounds v to a whole number within [min, max] (NaN bounds: no bound). */
static double whole_within(const sweep_parameter *p, double v)
{
    double r = round(v);
    if (!isnan(p->min) && r < ceil(p->min)) r = ceil(p->min);
    if (!isnan(p->max) && r > floor(p->max)) r = floor(p->max);
    return r;
}

/* The truncated normal's inverse CDF, taken from the tail nearer the range
 * so that a range far out in one tail keeps its precision. */
static double truncated_normal(const sweep_parameter *p, double u)
{
    double x;
    if (p->min > p->mean) {
        double qa = gsl_cdf_gaussian_Q(p->min - p->mean, p->sd);
        double qb = gsl_cdf_gaussian_Q(p->max - p->mean, p->sd);
        x = p->mean + gsl_cdf_gaussian_Qinv(qa - u * (qa - qb), p->sd);
    } else {
        double pa = gsl_cdf_gaussian_P(p->min - p->mean, p->sd);
        double pb = gsl_cdf_gaussian_P(p->max - p->mean, p->sd);
        x = p->mean + gsl_cdf_gaussian_Pinv(pa + u * (pb - pa), p->sd);
    }
    if (!(x >= p->min)) x = p->min; /* also NaN, from an infinite inverse */
    if (x > p->max) x = p->max;
    return x;
}

double sweep_parameter_value(const sweep_parameter *p, double u)
{
    double v;
    switch (p->distribution) {
    case SWEEP_LOG_UNIFORM:
        v = exp(log(p->min) + u * (log(p->max) - log(p->min)));
        if (v < p->min) v = p->min;
        if (v > p->max) v = p->max;
        break;
    case SWEEP_NORMAL: v = truncated_normal(p, u); break;
    default: v = p->min + u * (p->max - p->min); break;
    }
    return p->whole ? whole_within(p, v) : v;
}

void sweep_value_text(const sweep_parameter *p, double v, char buf[40])
{
    if (p->whole) {
        snprintf(buf, 40, "%lld", (long long)llround(v));
        return;
    }
    /* The shortest form that reads back as v, and a float to libconfig. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    if (!strpbrk(buf, ".eEn")) strcat(buf, ".0");
}

int sweep_point_overrides(const sweep *s, size_t point, char ***items, size_t *n)
{
    *items = NULL;
    *n = 0;
    char **out = calloc(s->n_params ? s->n_params : 1, sizeof *out);
    if (!out) return -1;
    for (size_t j = 0; j < s->n_params; j++) {
        char value[40];
        sweep_value_text(&s->params[j], s->points[point * s->n_params + j], value);
        size_t len = strlen(s->params[j].key) + 1 + strlen(value) + 1;
        out[j] = malloc(len);
        if (!out[j]) {
            sweep_overrides_free(out, j);
            return -1;
        }
        snprintf(out[j], len, "%s=%s", s->params[j].key, value);
    }
    *items = out;
    *n = s->n_params;
    return 0;
}

void sweep_overrides_free(char **items, size_t n)
{
    for (size_t i = 0; items && i < n; i++) free(items[i]);
    free(items);
}

/* --- designs --------------------------------------------------------------- */

static int grid(sweep *s, char *err, size_t errlen)
{
    size_t n = 1, k = s->n_params;
    for (size_t j = 0; j < k; j++) {
        if (s->params[j].n_values == 0 || n > SWEEP_MAX_POINTS / s->params[j].n_values) {
            snprintf(err, errlen, "%s: the grid has more than %d points", s->path,
                     SWEEP_MAX_POINTS);
            return -1;
        }
        n *= s->params[j].n_values;
    }
    s->points = malloc(n * k * sizeof *s->points);
    if (!s->points) return -2;
    s->n_points = n;
    for (size_t i = 0; i < n; i++) {
        /* Mixed-radix digits of i, the last parameter the fastest. */
        size_t rest = i;
        for (size_t j = k; j-- > 0;) {
            size_t m = s->params[j].n_values;
            s->points[i * k + j] = s->params[j].values[rest % m];
            rest /= m;
        }
    }
    return 0;
}

/* The LHS generator's seed: from the master seed, apart from every point
 * seed (those use point + 1 >= 1). */
static unsigned long lhs_seed(uint64_t master)
{
    return (unsigned long)sweep_point_seed(master ^ 0x4C4853ULL, 0);
}

static int lhs(sweep *s)
{
    size_t n = s->samples, k = s->n_params;
    s->points = malloc(n * k * sizeof *s->points);
    size_t *perm = malloc(n * sizeof *perm);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!s->points || !perm || !rng) {
        free(perm);
        if (rng) gsl_rng_free(rng);
        return -2;
    }
    gsl_rng_set(rng, lhs_seed(s->master_seed));
    s->n_points = n;
    for (size_t j = 0; j < k; j++) {
        for (size_t i = 0; i < n; i++) perm[i] = i;
        gsl_ran_shuffle(rng, perm, n, sizeof *perm);
        for (size_t i = 0; i < n; i++) {
            /* Stratum perm[i], a uniform position inside it. */
            double u = ((double)perm[i] + gsl_rng_uniform(rng)) / (double)n;
            s->points[i * k + j] = sweep_parameter_value(&s->params[j], u);
        }
    }
    free(perm);
    gsl_rng_free(rng);
    return 0;
}

static int saltelli(sweep *s, char *err, size_t errlen)
{
    size_t n = s->samples, k = s->n_params;
    if (k > SWEEP_SALTELLI_MAX_PARAMS) {
        snprintf(err, errlen, "%s: a saltelli design takes at most %d parameters; this one has %zu",
                 s->path, SWEEP_SALTELLI_MAX_PARAMS, k);
        return -1;
    }
    if (n > SWEEP_MAX_POINTS / (k + 2)) {
        snprintf(err, errlen, "%s: the saltelli design has more than %d points", s->path,
                 SWEEP_MAX_POINTS);
        return -1;
    }
    size_t np = n * (k + 2);
    s->points = malloc(np * k * sizeof *s->points);
    s->saltelli_sample = malloc(np * sizeof *s->saltelli_sample);
    s->saltelli_matrix = malloc(np);
    s->saltelli_column = malloc(np * sizeof *s->saltelli_column);
    double *x = malloc(2 * k * sizeof *x);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    if (!s->points || !s->saltelli_sample || !s->saltelli_matrix || !s->saltelli_column || !x ||
        !q) {
        free(x);
        if (q) gsl_qrng_free(q);
        return -2;
    }
    s->n_points = np;
    /* The sequence from index M, the smallest power of two >= max(N, 4)
       (as SALib does since 1.4): its first points are degenerate (GSL
       starts after the all-zeros point, at 0.5, ...; the next two have
       A_i == B_i), and a start at a power of two keeps the N points
       balanced. GSL omits index 0, so M - 1 of its points are skipped. */
    size_t m = 4;
    while (m < n) m *= 2;
    int status = 0;
    for (size_t i = 0; i + 1 < m && status == 0; i++) status = gsl_qrng_get(q, x);
    for (size_t i = 0; i < n && status == 0; i++) {
        status = gsl_qrng_get(q, x);
        size_t base = i * (k + 2);
        for (size_t r = 0; r < k + 2; r++) {
            size_t p = base + r;
            s->saltelli_sample[p] = i;
            s->saltelli_matrix[p] = r == 0 ? 'A' : r == 1 ? 'B' : 'C';
            s->saltelli_column[p] = r < 2 ? -1 : (int)(r - 2);
            for (size_t j = 0; j < k; j++) {
                /* A_ij = x_j, B_ij = x_{k+j}; AB^(c) is A with column c from B. */
                int from_b = r == 1 || (r >= 2 && j == r - 2);
                double u = x[from_b ? k + j : j];
                s->points[p * k + j] = sweep_parameter_value(&s->params[j], u);
            }
        }
    }
    free(x);
    gsl_qrng_free(q);
    if (status != 0) {
        snprintf(err, errlen, "%s: the Sobol sequence failed (gsl_qrng_get)", s->path);
        return -1;
    }
    return 0;
}

/* Forgets a built design (a list design's points are the file's own). */
static void design_clear(sweep *s)
{
    if (s->design != SWEEP_LIST) {
        free(s->points);
        s->points = NULL;
        s->n_points = 0;
    }
    free(s->saltelli_sample);
    free(s->saltelli_matrix);
    free(s->saltelli_column);
    s->saltelli_sample = NULL;
    s->saltelli_matrix = NULL;
    s->saltelli_column = NULL;
}

int sweep_design_build(sweep *s, char *err, size_t errlen)
{
    design_clear(s);
    if (s->n_params == 0) {
        snprintf(err, errlen, "%s: no parameters to vary", s->path);
        return -1;
    }
    int status = 0;
    switch (s->design) {
    case SWEEP_LIST:
        for (size_t i = 0; i < s->n_points; i++) {
            for (size_t j = 0; j < s->n_params; j++) {
                if (s->params[j].whole)
                    s->points[i * s->n_params + j] = round(s->points[i * s->n_params + j]);
            }
        }
        break;
    case SWEEP_GRID: status = grid(s, err, errlen); break;
    case SWEEP_LHS: status = lhs(s); break;
    case SWEEP_SALTELLI: status = saltelli(s, err, errlen); break;
    }
    if (status == -2) snprintf(err, errlen, "%s: out of memory building the design", s->path);
    if (status != 0) {
        design_clear(s);
        return -1;
    }
    return 0;
}
