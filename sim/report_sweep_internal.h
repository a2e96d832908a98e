/* report_sweep_internal.h — what the sweep report's parts share: the store
 * as read (report_sweep_read.c), and the sections that write it
 * (report_sweep.c, report_sweep_charts.c, report_sweep_sobol.c). Not a
 * public API. */
#ifndef PLACESIM_REPORT_SWEEP_INTERNAL_H
#define PLACESIM_REPORT_SWEEP_INTERNAL_H

#include <stddef.h>
#include <jansson.h>
#include "html_buf.h"
#include "report_sweep.h"

/* At most this many charts of one kind on a page (scatter charts:
 * output x parameter pairs; heat maps; Sobol charts); the page says what
 * it leaves out. */
enum { RSW_MAX_CHARTS = 12 };

typedef struct rsw_param {
    char *key, *column, *distribution;
    int whole;
    double min, max, mean, sd; /* NaN when not given */
    const char *unit;          /* from the parameter tables (static), or NULL */
} rsw_param;

typedef struct rsw_output {
    char *name, *metric, *area, *summary, *from_year, *to_year, *date;
    const char *unit; /* the metric's, from the registry (static), or NULL */
    int money;
    int flow; /* a count or money: a mean per year is "a year" */
} rsw_output;

typedef struct rsw_arm {
    char *name, *scenario;
    long runs_ok, runs_failed;
} rsw_arm;

/* One point's replications of one output (value or paired difference):
 * count, mean and the sum of squared deviations (Welford). */
typedef struct rsw_cell {
    unsigned n;
    double mean, m2;
} rsw_cell;

typedef struct rsw_failure {
    long long point, arm, replication;
    char *error;
} rsw_failure;

enum { RSW_MAX_FAILURES_SHOWN = 5 };

typedef struct rsw_data {
    const char *path;
    /* the sweep row */
    char *name, *sweep_path, *sha256, *program_version, *master_seed, *design, *shard, *created;
    long long replications, samples, n_points; /* samples: -1 when NULL */
    int schema_version;
    rsw_param *params;
    size_t n_params;
    rsw_arm *arms;
    size_t n_arms;
    rsw_output *outputs;
    size_t n_outputs;
    double *values;     /* n_points x n_params: values[p * n_params + j] */
    rsw_cell *cells;    /* values: cells[(a * n_outputs + o) * n_points + p] */
    rsw_cell *diffs;    /* the same layout, paired differences (arm 0: empty) */
    long runs_expected; /* n_points x n_arms x replications */
    rsw_failure failures[RSW_MAX_FAILURES_SHOWN];
    size_t n_failures;
    int has_money; /* the store has a money table (schema 2) */
} rsw_data;

/* Reads the whole store into d (free with rsw_data_free). 0; 2 when the
 * schema version is not SWEEP_STORE_SCHEMA_VERSION; 1 for anything else
 * wrong, with err naming the file. */
int rsw_read(const char *path, rsw_data *d, char *err, size_t errlen);
void rsw_data_free(rsw_data *d);

static inline const rsw_cell *rsw_value(const rsw_data *d, size_t arm, size_t output, size_t point)
{
    return &d->cells[(arm * d->n_outputs + output) * d->n_points + point];
}

static inline const rsw_cell *rsw_diff(const rsw_data *d, size_t arm, size_t output, size_t point)
{
    return &d->diffs[(arm * d->n_outputs + output) * d->n_points + point];
}

/* A cell's mean and 95% t interval of the mean (mean +- t(0.975, n-1) sd /
 * sqrt n); NaN bounds with one replication, everything NaN with none. */
void rsw_cell_interval(const rsw_cell *c, double *mean, double *lower, double *upper);

/* A parameter value as the page prints it, for reading as the run report
 * prints numbers (rfmt_number): "1,050,000" from 1000 on (whole units),
 * else 4 significant digits ("0.081", "284.6"); a minus is U+2212; "n/a"
 * when not finite. */
void rsw_format_value(double v, char *buf, size_t buflen);

/* A name in words: "budgets.pool_years" -> "Budgets pool years"
 * (dots and underscores as spaces, the first letter capital). Plain text. */
void rsw_words(const char *name, char *buf, size_t buflen);

/* An axis title for a parameter, "Budgets police (GBP per financial year)", its unit
 * when known. Plain text (the chart escapes it). */
void rsw_param_label(const rsw_param *p, char *buf, size_t buflen);

/* The unit of an output's values: its metric's unit, "a year" added for a
 * mean per year of a count or money ("events a year"); "" when unknown. */
void rsw_output_unit(const rsw_output *o, char *buf, size_t buflen);

/* An output in words, for titles: "Void days, total 2026/27 to 2028/29,
 * Riverside". Plain text. */
void rsw_output_title(const rsw_output *o, char *buf, size_t buflen);

/* The tooltip of point p's cell of output o in arm a (diff: its paired
 * difference against the base arm): "ARM, point P: mean M (95% interval L
 * to H) over N replications, at KEY = V, ...". Escaped. */
void rsw_point_tip(hbuf *out, const rsw_data *d, size_t a, size_t o, size_t p, int diff);

/* A cost-benefit across the points needs two arms and the money table. */
static inline int rsw_has_cost_benefit(const rsw_data *d) { return d->n_arms >= 2 && d->has_money; }

/* The cost-benefit across points (report_sweep_psa.c): compare_sweep_json's
 * document of db_path with opt's window and discount rate into *doc (new
 * reference), or NULL with why the page has none in why ("the sweep has
 * one arm, ...": the sweep has no cost-benefit; or compare's reason when
 * it has one but no point to show, e.g. no point complete yet). Returns 0;
 * 2 (err naming the file) when opt names a window or rate and the sweep has
 * no cost-benefit, or compare refuses the window or rate; 1 when out of
 * memory. */
int rsw_psa_prepare(const char *db_path, const rsw_data *d, const report_sweep_options *opt,
                    json_t **doc, char *why, size_t whylen, char *err, size_t errlen);

/* "key = value, ..." of a point of that document (its "values" in the
 * order of its "parameters"). Escaped. */
void rsw_psa_point_values(hbuf *out, const json_t *doc, const json_t *point);

/* For one arm of that document, each point's NPVs against each swept
 * parameter (report_sweep_psa_scatter.c), at most *charts_left charts
 * (decreased by those drawn; a note says what is left out). */
void rsw_psa_scatter(hbuf *out, const rsw_data *d, const json_t *doc, const json_t *arm,
                     size_t *charts_left);

/* The sections (report_sweep_charts.c, report_sweep_sobol.c,
 * report_sweep_psa.c: doc NULL, why the page has no cost-benefit). */
void rsw_section_psa(hbuf *out, const rsw_data *d, const json_t *doc, const char *why);
void rsw_section_scatter(hbuf *out, const rsw_data *d);
void rsw_section_heatmap(hbuf *out, const rsw_data *d);
void rsw_section_sobol(hbuf *out, const rsw_data *d);

#endif
