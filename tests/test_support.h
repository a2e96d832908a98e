/* test_support.h — helpers shared by the model and end-to-end tests:
 * a scenario from text, replications run in-process, pooled values, and
 * the range assertions of test_assert.h. Include after cmocka.h. */
#ifndef PLACESIM_TEST_SUPPORT_H
#define PLACESIM_TEST_SUPPORT_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PLACESIM_SOURCE_DIR
#define PLACESIM_SOURCE_DIR "."
#endif

#include "engine.h"
#include "place.h"
#include "scenario.h"
#include "test_assert.h"

typedef struct test_run {
    char dir[64];
    char path[96];
    char costs_link[96];
    scenario *scn;
    cost_library *costs;
    place place;
    run_config cfg;
    replication_result *results;
    unsigned n_reps;
} test_run;

/* The engine's and the given models' parameter tables, as scenario_load
 * takes them: n_models + 1 of them, sized from the list (the caller frees
 * the array). Aborts when out of memory. */
static inline param_table *test_param_tables(const model_def *const *models, size_t n_models)
{
    param_table *tables = calloc(n_models + 1, sizeof *tables);
    if (!tables) {
        perror("calloc");
        abort();
    }
    engine_param_tables(models, n_models, tables);
    return tables;
}

/* Writes text to a temporary .cfg file, loads it against the engine's and
 * the given models' tables, loads the cost library it names (the default
 * one unless it sets cost_library) and checks it holds what the models
 * need, builds the place. The file lives in a temporary directory whose
 * "costs" links to scenarios/costs/, so that a scenario copied from
 * scenarios/ finds its library where it says; give other libraries by
 * absolute path. Fails the test on error. */
static inline void test_run_load(test_run *t, const char *text, const model_def *const *models,
                                 size_t n_models, const char *const *overrides, size_t n_overrides)
{
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/placesim_test_XXXXXX");
    if (!mkdtemp(t->dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(t->path, sizeof t->path, "%s/scenario.cfg", t->dir);
    snprintf(t->costs_link, sizeof t->costs_link, "%s/costs", t->dir);
    if (symlink(PLACESIM_SOURCE_DIR "/scenarios/costs", t->costs_link) != 0) {
        perror(t->costs_link);
        abort();
    }
    FILE *f = fopen(t->path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(t->path);
        abort();
    }
    param_table *tables = test_param_tables(models, n_models);
    char err[4096] = "";
    int loaded = scenario_load(t->path, tables, n_models + 1, overrides, n_overrides, &t->scn, err,
                               sizeof err);
    free(tables);
    if (loaded != 0 || cost_library_for_scenario(t->scn, &t->costs, err, sizeof err) != 0 ||
        model_check_costs(t->costs, models, n_models, err, sizeof err) != 0 ||
        place_build(t->scn, &t->place, err, sizeof err) != 0) {
        fprintf(stderr, "test scenario did not load:\n%s\n", err);
        abort();
    }
    t->cfg = (run_config){ .scn = t->scn,
                           .place = &t->place,
                           .models = models,
                           .costs = t->costs,
                           .n_models = n_models,
                           .master_seed = 1,
                           .period = PERIOD_MONTH };
    run_config_dates(&t->cfg);
}

/* Runs n replications with master seed `seed` on `threads` threads. */
static inline void test_run_reps(test_run *t, unsigned n, uint64_t seed, unsigned threads)
{
    t->cfg.master_seed = seed;
    t->n_reps = n;
    t->results = calloc(n, sizeof *t->results);
    char err[1024];
    if (!t->results ||
        engine_run_replications(&t->cfg, n, threads, t->results, err, sizeof err) != 0) {
        fprintf(stderr, "test run failed: %s\n", err);
        abort();
    }
}

static inline void test_run_free(test_run *t)
{
    for (unsigned i = 0; t->results && i < t->n_reps; i++) replication_result_free(&t->results[i]);
    free(t->results);
    place_free(&t->place);
    cost_library_free(t->costs);
    if (t->scn) scenario_free(t->scn);
    unlink(t->path);
    unlink(t->costs_link);
    rmdir(t->dir);
    memset(t, 0, sizeof *t);
}

/* Whole-run ALL value of a metric in replication i (0-based). */
static inline double test_run_value(const test_run *t, unsigned i, const char *metric)
{
    const recorder *rec = t->results[i].rec;
    int m = recorder_find(rec, metric);
    if (m < 0) {
        fprintf(stderr, "no metric %s\n", metric);
        abort();
    }
    return recorder_run_value(rec, m);
}

/* Number of written days of the run. */
static inline double test_run_days(const test_run *t)
{
    return (double)(t->cfg.last_date - t->cfg.start_date + 1);
}

/* Which cells test_metric_differences compares. */
typedef struct test_window {
    int64_t from, to;         /* periods lying wholly in [from, to) (day numbers) */
    unsigned long long areas; /* bit a: area a; bit n_areas: the ALL row */
    int quarters;             /* also every quarterly row (whole run) */
} test_window;

/* Every period, every row, and the quarterly rows. */
static const test_window TEST_WHOLE_RUN = { INT64_MIN, INT64_MAX, ~0ULL, 1 };

/* Cells of metric `name` that differ between two runs of the same
 * replications, compared exactly (NA equals NA): period values inside the
 * window, and quarterly rows when asked. A metric, a period or a quarter
 * that only one run has counts as a difference. */
static inline size_t test_metric_differences(const test_run *a, const test_run *b, const char *name,
                                             test_window w)
{
    size_t differ = 0;
    for (unsigned i = 0; i < a->n_reps; i++) {
        const recorder *ra = a->results[i].rec, *rb = b->results[i].rec;
        int ma = recorder_find(ra, name), mb = recorder_find(rb, name);
        if (ma < 0 || mb < 0) {
            differ += ma != mb;
            continue;
        }
        size_t periods = recorder_n_periods(ra);
        if (periods != recorder_n_periods(rb)) differ++;
        if (recorder_n_periods(rb) < periods) periods = recorder_n_periods(rb);
        for (size_t p = 0; p < periods; p++) {
            int64_t first = p == 0 ? a->cfg.start_date : recorder_period_last_day(ra, p - 1) + 1;
            if (first < w.from || recorder_period_last_day(ra, p) >= w.to) continue;
            for (size_t area = 0; area <= recorder_n_areas(ra); area++) {
                if (area >= 64 || !((w.areas >> area) & 1)) continue;
                double x = recorder_value(ra, p, area, ma), y = recorder_value(rb, p, area, mb);
                if (!(x == y || (isnan(x) && isnan(y)))) differ++;
            }
        }
        if (!w.quarters) continue;
        size_t quarters = recorder_n_quarters(ra, ma);
        if (quarters != recorder_n_quarters(rb, mb)) differ++;
        if (recorder_n_quarters(rb, mb) < quarters) quarters = recorder_n_quarters(rb, mb);
        for (size_t q = 0; q < quarters; q++) {
            int64_t da, db;
            double x, y;
            recorder_quarter_row(ra, ma, q, &da, &x);
            recorder_quarter_row(rb, mb, q, &db, &y);
            if (da != db || !(x == y || (isnan(x) && isnan(y)))) differ++;
        }
    }
    return differ;
}

/* Mean and standard error (sd/sqrt(n)) of n values. */
static inline void mean_and_se(const double *x, unsigned n, double *mean, double *se)
{
    double s = 0, ss = 0;
    for (unsigned i = 0; i < n; i++) s += x[i];
    *mean = s / n;
    for (unsigned i = 0; i < n; i++) ss += (x[i] - *mean) * (x[i] - *mean);
    *se = n > 1 ? sqrt(ss / (n - 1) / n) : INFINITY;
}

#endif
