/* report_internal.h — what the report's parts share (report_inputs.c
 * loads, report_page.c and report_sections.c write). Not a public API. */
#ifndef PLACESIM_REPORT_INTERNAL_H
#define PLACESIM_REPORT_INTERNAL_H

#include <stddef.h>
#include <jansson.h>
#include "html_buf.h"
#include "recorder.h"
#include "report.h"
#include "report_series.h"

/* As many replications as `placesim run --reps` allows. */
enum { REPORT_MAX_REPS = 100000 };

typedef struct report_run {
    char *dir;        /* the run directory as read (experiment dir + arm dir) */
    json_t *manifest; /* program checked; other keys read where shown */
    const char *name; /* scenario.name */
    size_t n_reps;    /* replications listed in the manifest */
    rseries series;   /* the charted metrics' ALL rows */
} report_run;

typedef struct report_metric {
    const char *name; /* the registry's spelling (static) */
    const char *unit;
    metric_kind kind;
    int summable; /* a group of areas is the sum of their rows (counts, money,
                             levels); 0: only ALL can be shown (means, medians, ratios,
                             ALL-only metrics) */
} report_metric;

typedef struct report_ctx {
    report_run *runs; /* base first */
    size_t n_runs;
    const char *experiment_dir; /* the experiment directory, or NULL */
    report_metric *metrics;
    size_t n_metrics;
    const char **areas; /* --area, distinct, checked against the base; none: ALL */
    size_t n_areas;
    json_t *comparison; /* compare_json's document */
    const report_options *opt;
} report_ctx;

/* Fills ctx->runs from dirs (run directories, or one experiment
 * directory): 0, or 1/2 with a reason in err. */
int report_load_runs(report_ctx *ctx, const char *const *dirs, size_t n_dirs, char *err,
                     size_t errlen);

/* Resolves the metrics to chart (opt->metrics or the registry's headline
 * metrics): 0, or 2 for an unknown metric / 1 out of memory, with err. */
int report_resolve_metrics(report_ctx *ctx, char *err, size_t errlen);

/* Takes --area (opt->compare.areas) into ctx->areas, without repeats;
 * "ALL" alone means the whole place. Each name must be an area of the base
 * (its manifest's parameters): 0, or 2 with err (1 out of memory). */
int report_resolve_areas(report_ctx *ctx, char *err, size_t errlen);

/* Loads every run's series of ctx->metrics: 0, or 1 with err. */
int report_load_series(report_ctx *ctx, char *err, size_t errlen);

void report_ctx_free(report_ctx *ctx);

/* The colour of run i (0 the base): a colour-blind-safe palette. */
const char *report_run_color(size_t i);

/* The page's stylesheet and its one script (it only counts each chart's
 * drawn marks into data-drawn, for the browser test), shared by the sweep
 * report (report_page.c). */
extern const char report_page_style[];
extern const char report_page_script[];

/* Appends a command-line argument as a shell would need it, escaped for
 * HTML (report_page.c). */
void report_shell_word(hbuf *out, const char *arg);

/* Sections of the page (report_sections.c, report_money.c). */
void report_section_over_time(hbuf *out, const report_ctx *ctx);
void report_section_summary(hbuf *out, const report_ctx *ctx);
void report_section_who_pays(hbuf *out, const report_ctx *ctx);
void report_section_cost_benefit(hbuf *out, const report_ctx *ctx);

#endif
