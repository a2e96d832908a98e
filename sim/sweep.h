/* sweep.h — sweep files and their designs.
 *
 * A sweep file (libconfig, README.md "Sweeps") names one or more arms (each
 * a scenario), the parameters to vary (any key --set reaches, and unit
 * costs as costs.<name>), a design (an explicit list of points, a full
 * grid, a Latin hypercube, or a Saltelli design on GSL's Sobol sequence),
 * replications, a master seed and the summaries to keep. sweep_load reads
 * it (sweep_file.c), builds the points (sweep_design.c) and validates every
 * point for every arm through the scenario loader (sweep_validate.c), so
 * that a bad value is refused before the first run. */
#ifndef PLACESIM_SWEEP_H
#define PLACESIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>

typedef enum sweep_design_kind {
    SWEEP_LIST,
    SWEEP_GRID,
    SWEEP_LHS,
    SWEEP_SALTELLI
} sweep_design_kind;
typedef enum sweep_summary_kind {
    SWEEP_TOTAL,
    SWEEP_MEAN_PER_YEAR,
    SWEEP_VALUE_AT,
    SWEEP_MEDIAN
} sweep_summary_kind;
typedef enum sweep_distribution {
    SWEEP_VALUES,
    SWEEP_UNIFORM,
    SWEEP_LOG_UNIFORM,
    SWEEP_NORMAL
} sweep_distribution;

typedef struct sweep_parameter {
    char *key;    /* as --set takes it, or costs.<name> */
    char *column; /* SQL-safe column name in results_wide (key with . -> _) */
    int whole;    /* integer key: whole values */
    sweep_distribution distribution;
    double min, max, mean, sd; /* as given (NAN when not given) */
    double *values;
    size_t n_values; /* grid/list values */
} sweep_parameter;

typedef struct sweep_output {
    char *name;          /* SQL-safe column name, unique */
    char *metric, *area; /* area "ALL" by default */
    sweep_summary_kind summary;
    char from_year[8], to_year[8]; /* "" = default window */
    int64_t date;                  /* value_at: day number (dates.h); else 0 */
} sweep_output;

typedef struct sweep_arm {
    char *name;
    char *scenario_path;
} sweep_arm;

typedef struct sweep {
    char *path; /* as given */
    char *name;
    char *text;      /* the resolved sweep, canonical text (what is hashed) */
    char sha256[65]; /* of text: --resume and merge compare it */
    sweep_arm *arms;
    size_t n_arms;
    sweep_parameter *params;
    size_t n_params;
    sweep_design_kind design;
    size_t samples; /* lhs, saltelli: N */
    double *points; /* n_points x n_params, row-major */
    size_t n_points;
    /* saltelli only (else NULL): per point, its base sample index, its matrix
     * ('A', 'B' or 'C' for AB_j) and j (0-based, -1 for A and B). Points are
     * ordered, for i = 0..N-1: A_i, B_i, AB_i^(0), ..., AB_i^(k-1). */
    size_t *saltelli_sample;
    char *saltelli_matrix;
    int *saltelli_column;
    unsigned replications;
    uint64_t master_seed;
    int seeds_per_point; /* seeds = "per_point": each point its own seeds;
                               default "common": every point the master seed's */
    sweep_output *outputs;
    size_t n_outputs;
    int keep_series;
    int keep_money; /* cost_benefit: each run's cost_metrics.h money by
                               financial year (default: with two or more arms) */
} sweep;

/* Loads, resolves and validates a sweep file: every point's values pass the
 * same validation as scenario values, for every arm, before anything runs
 * (errors name file, line and key). 0, or -1 with one line per problem. */
int sweep_load(const char *path, sweep *out, char *err, size_t errlen);
void sweep_free(sweep *s);

/* Point p's overrides in --set form ("key=value"), for scenario loading.
 * The caller frees with sweep_overrides_free. 0 or -1 (out of memory). */
int sweep_point_overrides(const sweep *s, size_t point, char ***items, size_t *n);
void sweep_overrides_free(char **items, size_t n);

/* A run's master seed: depends only on the sweep's seed and the point (the
 * replication seeds derive from it as in `run`: rng_replication_seed), so a
 * run can be reproduced with `placesim run ARM --set ... --seed S`. */
uint64_t sweep_point_seed(uint64_t master_seed, size_t point);

/* The master seed point p's runs use: with common seeds (the default) the
 * sweep's own seed, so replication r draws the same random numbers at every
 * point wherever the scenarios agree (common random numbers: differences
 * between points are the parameters' effects, not noise); with
 * seeds = "per_point", sweep_point_seed. */
uint64_t sweep_run_master_seed(const sweep *s, size_t point);

/* --- beyond the contract: names and the pieces, for the store and tests - */

/* The names used in sweep files and in the store ("list", "grid", "lhs",
 * "saltelli"; "total", "mean_per_year", "value_at", "median"; "values",
 * "uniform", "log_uniform", "normal"). Static strings. */
const char *sweep_design_name(sweep_design_kind k);
const char *sweep_summary_name(sweep_summary_kind k);
const char *sweep_distribution_name(sweep_distribution d);

/* Parameter p's value at quantile u in [0, 1): uniform min + u (max - min);
 * log_uniform exp(ln min + u (ln max - ln min)); normal the inverse CDF of
 * N(mean, sd) truncated to [min, max] (gsl_cdf_gaussian_Pinv on the
 * truncated range, from the nearer tail); whole keys rounded to the nearest
 * whole number within [min, max]. */
double sweep_parameter_value(const sweep_parameter *p, double u);

/* Builds s->points (and, for Saltelli, the saltelli_* arrays) from
 * s->design, s->params, s->samples and s->master_seed, replacing any points
 * already there except for SWEEP_LIST, whose points the file gives (they
 * are only rounded for whole keys). Designs:
 *   grid      the Cartesian product of the values in parameter order, the
 *             last parameter varying fastest;
 *   lhs       N samples; in each dimension the N strata [k/N, (k+1)/N) are
 *             each hit once (a random permutation per dimension, a uniform
 *             draw within the stratum; gsl_rng_mt19937 seeded from the
 *             master seed), mapped by sweep_parameter_value;
 *   saltelli  N base samples of a 2k-dimensional Sobol sequence
 *             (gsl_qrng_sobol from index M, the smallest power of two at
 *             or above max(N, 4); index 0 is the all-zeros point): A the
 *             first k coordinates, B the last k, AB^(j) A with column j
 *             from B; points ordered A_i, B_i, AB_i^(0..k-1) for each i,
 *             N (k + 2) points. At most SWEEP_SALTELLI_MAX_PARAMS.
 * 0, or -1 with a one-line reason in err (out of memory; too many
 * parameters or points). */
enum { SWEEP_SALTELLI_MAX_PARAMS = 20, SWEEP_MAX_POINTS = 10000000 };
int sweep_design_build(sweep *s, char *err, size_t errlen);

#endif
