/* compare_internal.h — the pieces of `placesim compare` (compare.h), shared
 * by compare_*.c only. */
#ifndef PLACESIM_COMPARE_INTERNAL_H
#define PLACESIM_COMPARE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "compare.h"
#include "recorder.h"

enum { CMP_USAGE = 2, CMP_DATA = 1, CMP_SKIP = 3 };

/* A financial year of a run: its label and the days written in it. */
typedef struct cmp_year {
    char label[8]; /* "2026/27" */
    int fy;        /* 2026 */
    int64_t first_day, last_day;
    int whole; /* first_day is its 1 April and last_day its 31 March */
} cmp_year;

/* The (metric, area) pairs to keep from every years.csv: the rest of a file
 * is read, checked and dropped, so memory does not grow with the file. */
typedef struct cmp_request {
    char **metric, **area; /* slot i is (metric[i], area[i]) */
    int *kind;             /* metric_kind, or -1 when the registry does not know it */
    size_t n, cap;
    json_t *index; /* "area\nmetric" -> slot */
} cmp_request;

/* One run directory, loaded. Values are indexed [year][replication][slot]. */
typedef struct cmp_run {
    char *dir, *name, *master_seed, *sha256;
    char **seeds; /* replication r+1's seed */
    size_t n_reps;
    cmp_year *years;
    size_t n_years;
    json_t *metrics_seen;   /* every metric name in years.csv (an object used as a set) */
    json_t *areas_seen;     /* every area name, in file order */
    double *value, *weight; /* NaN: NA (value) or empty (weight) */
    unsigned char *seen;    /* a row was read for this cell */
    unsigned char *present; /* per slot: some row was read */
    size_t n_slots;
} cmp_run;

/* --- compare_load.c --- */

/* The run directories that dirs name (an experiment directory's arms, base
 * first, or dirs themselves), as new strings in *out (free each, then the
 * array). CMP_USAGE or CMP_DATA with err, or 0. */
int cmp_resolve_dirs(const char *const *dirs, size_t n_dirs, char ***out, size_t *n_out, char *err,
                     size_t errlen);

/* Reads dir/manifest.json into run (zeroed first). 0 or CMP_DATA with err. */
int cmp_load_manifest(cmp_run *run, const char *dir, char *err, size_t errlen);

/* Reads dir/years.csv keeping the request's slots. 0 or CMP_DATA with err
 * naming the file and line. */
int cmp_load_years(cmp_run *run, const cmp_request *req, char *err, size_t errlen);

void cmp_run_free(cmp_run *run);

/* --- compare_request.c --- */

/* Adds slot (metric, area) unless there; its index, or -1 out of memory. */
long cmp_request_add(cmp_request *req, const char *metric, const char *area);
/* The slot's index, or -1. */
long cmp_request_find(const cmp_request *req, const char *metric, const char *area);
void cmp_request_free(cmp_request *req);

/* The kind and unit of a metric by name, from the registry's tables and the
 * engine's money metrics: 0, or -1 when unknown. */
int cmp_metric_kind(const char *name, metric_kind *kind, const char **unit);

/* 1 when the metric has only ALL rows (its declaration says so). */
int cmp_metric_all_only(const char *name);

/* The key of `set` (a json object) nearest to name by edit distance, if
 * close enough to be a typo; NULL otherwise. */
const char *cmp_nearest(const json_t *set, const char *name);

/* Parses a financial-year label "YYYY/YY" into its first year: 0 or -1. */
int cmp_parse_year_label(const char *text, int *fy);
void cmp_format_year_label(int fy, char out[8]);

/* --- compare_window.c --- */

/* The index of financial year fy in run's years, or -1. */
long cmp_year_index(const cmp_run *run, int fy);

/* Narrows the window [*lo, *hi] to the whole financial years run writes
 * (first_run: sets it). 0, or -1 with [*lo, *hi] = [1, 0] when run writes
 * no whole year. */
int cmp_window_narrow(const cmp_run *run, int first_run, int *lo, int *hi);

/* 0 when run writes every financial year from_fy..to_fy wholly; otherwise
 * CMP_USAGE with a reason naming run->dir and the year in err. */
int cmp_window_check(const cmp_run *run, int from_fy, int to_fy, char *err, size_t errlen);

/* --- compare_json.c --- */

/* A JSON string of s; bytes that are not UTF-8 (a directory's or a file's
 * name can hold any) become '?', so the document stays JSON. NULL out of
 * memory. */
json_t *cmp_json_string(const char *s);

/* --- compare_stats.c --- */

/* A mean and its 95% interval; lower/upper NaN when there is no interval
 * (fewer than two values); mean NaN when there are no values. */
typedef struct cmp_interval {
    double mean, lower, upper;
    size_t n; /* values (pairs) used */
} cmp_interval;

/* Mean of x and its t interval (n − 1 degrees of freedom); NaNs skipped. */
cmp_interval cmp_mean_interval(const double *x, size_t n);

/* arm − base from paired replications (pairs with a NaN skipped). */
cmp_interval cmp_paired(const double *arm, const double *base, size_t n);

/* arm − base, Welch–Satterthwaite (NaNs skipped on each side). */
cmp_interval cmp_welch(const double *arm, size_t n_arm, const double *base, size_t n_base);

/* Mean of the defined values (NaN when none). */
double cmp_mean(const double *x, size_t n);

/* The interval as {"mean","lower","upper"} (null members where NaN), or
 * null when the mean is undefined. NULL out of memory. */
json_t *cmp_interval_json(cmp_interval iv);

/* A number, or null for NaN/infinite. */
json_t *cmp_number(double x);

/* The window's per-replication value of slot-based metric `kind` for the
 * group of areas (slots[0..n_slots)), years [y0, y1] of run: sums for
 * count/money, event-weighted for event_mean, else the mean of the yearly
 * values (README.md "Comparing runs"). out has run->n_reps values (NaN:
 * undefined). *note gets a reason when the whole metric is n/a. */
void cmp_window_values(const cmp_run *run, const long *slots, size_t n_slots, metric_kind kind,
                       size_t y0, size_t y1, double *out, const char **note);

/* The yearly value of one ALL money slot (0 when absent from the run). */
double cmp_money(const cmp_run *run, long slot, size_t year, size_t rep);

/* --- compare_costs.c --- */

/* What the money sections need of the base and one arm, over the window. */
typedef struct cmp_pair {
    const cmp_run *base, *arm;
    const cmp_request *req;
    size_t base_y0, arm_y0, n_years; /* the window in each run's years */
    const char *const *labels;       /* the window's year labels */
    double discount_rate;
    int paired;
} cmp_pair;

/* The slots that cmp_bearers and cmp_cost_benefit read (ALL money and the
 * outcomes' metrics): added to req. 0, or -1 out of memory. */
int cmp_request_money(cmp_request *req);

/* The cost-benefit measures, each arm − base over the window. */
typedef enum cmp_cb_measure {
    CMP_CB_COSTS,
    CMP_CB_FISCAL,
    CMP_CB_SOCIAL,
    CMP_CB_NPV_FISCAL,
    CMP_CB_NPV_TOTAL
} cmp_cb_measure;

/* Per replication (paired: p->arm->n_reps values into out), the present
 * value of measure `what` of arm − base, as cmp_cost_benefit averages it.
 * 0, or -1 out of memory. */
int cmp_cost_benefit_replications(const cmp_pair *p, cmp_cb_measure what, double *out);

/* "bearers" and "cost_benefit" of an arm. NULL out of memory. */
json_t *cmp_bearers(const cmp_pair *p);
json_t *cmp_cost_benefit(const cmp_pair *p);

/* --- compare_table.c --- */

/* A number for reading: "n/a" for NaN, thousands grouped from 1,000, three
 * significant digits or more below. */
void cmp_format_number(double x, char *out, size_t outlen);

/* Pounds, whole and grouped ("-1,234,567"), or "n/a". */
void cmp_format_money(double x, char *out, size_t outlen);

/* --- compare_sweep_load.c: a sweep's results store, read-only --- */

struct sqlite3;

/* An open store and what its sweep, arms and parameters rows say. */
typedef struct cmp_store {
    struct sqlite3 *db;
    const char *path; /* as given (not owned) */
    char *name, *sweep_path, *design, *sha256, *master_seed;
    size_t n_points, replications;
    unsigned shard_k, shard_n; /* a shard database's K/N; 0/0 for a whole sweep */
    char **arms;               /* names, arm_id order (0: the base) */
    size_t n_arms;
    char **params; /* keys, param_id order */
    size_t n_params;
} cmp_store;

/* Opens path read-only (never writing it) and checks it is a results
 * database compare can read: 0; CMP_DATA with err (not a results database,
 * unreadable, corrupt); CMP_USAGE with err (another schema version, one
 * arm, no money kept). On failure nothing is left open. */
int cmp_store_open(const char *path, cmp_store *st, char *err, size_t errlen);
void cmp_store_close(cmp_store *st);

/* Point's parameter values in param_id order into values (st->n_params;
 * NaN where none). 0, or CMP_DATA with err. */
int cmp_store_point_values(const cmp_store *st, size_t point, double *values, char *err,
                           size_t errlen);

/* Fills run (zeroed first) with arm's replications at point: seeds from
 * runs, the point's seed as master_seed, years from run_years and, when req
 * is given, req's ALL slots from money (a metric without a row in a year
 * is 0; areas_seen is {"ALL"}). 0; CMP_SKIP with the reason in err when a
 * replication is missing or failed; CMP_DATA with err for rows that do not
 * add up. On failure run holds nothing. */
int cmp_store_load_run(const cmp_store *st, size_t point, size_t arm, const cmp_request *req,
                       cmp_run *run, char *err, size_t errlen);

#endif
