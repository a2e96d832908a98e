/* recorder.h — metrics of one replication, aggregated into output periods.
 *
 * Each metric is declared once (metric_spec) with its kind, which fixes how a
 * period's value and the `ALL` row are formed (ARCHITECTURE.md § Outputs):
 *   count, money   sum over the period's days; ALL sums the areas
 *   level_end      the value at the end of the period's last day; ALL sums
 *   level_mean     mean of the end-of-day values over the period's days; ALL
 *                  is the mean of the daily ALL values (the sum of areas, or
 *                  for a ratio metric scale × Σnumerator / Σdenominator)
 *   event_mean     mean of the values of events completed in the period;
 *                  ALL pools the events; NA when there are none
 *   event_median   the same with the median
 *
 * Days are day numbers (dates.h). Only days from first_day to last_day are
 * written; calls on other days (the warm-up) change levels but add nothing.
 *
 * Alongside the output periods, the same calls are aggregated by UK
 * financial year (years.csv): the year's value is formed by the metric's
 * kind from the events and days themselves, never from the period values,
 * so that a year's median is exact whatever the output period.
 *
 * Money (metric_is_money: kind money, or a level whose unit is "GBP") is
 * kept in integer pence, held in doubles (exact up to 2^53 pence, about
 * £90 trillion): recorder_add and recorder_level round each amount to the
 * penny once (money_round_pence), the same rounding sim_charge_demand uses,
 * so that a money metric is the sum of the same pence as the ledger. */
#ifndef PLACESIM_RECORDER_H
#define PLACESIM_RECORDER_H

#include <stddef.h>
#include <stdint.h>
#include "dates.h"

typedef enum metric_kind {
    METRIC_COUNT,
    METRIC_MONEY,
    METRIC_LEVEL_END,
    METRIC_LEVEL_MEAN,
    METRIC_EVENT_MEAN,
    METRIC_EVENT_MEDIAN
} metric_kind;

typedef struct metric_spec {
    const char *name; /* as written in series.csv */
    metric_kind kind;
    const char *unit;
    int all_only;       /* nonzero: only an ALL row (area argument ignored) */
    double ratio_scale; /* > 0 for a ratio level (recorder_ratio): the value
                              is ratio_scale × numerator / denominator, 0 when
                              the denominator is 0 */
    const char *doc;
    int quarterly; /* nonzero: a cohort metric (ALL only, kind count or
                              event_mean) written as one row per calendar
                              quarter through recorder_quarter, whatever the
                              output period; not part of period rows */
} metric_spec;

/* A model's metrics, in declaration order (ids are the model's metric base +
 * index). */
typedef struct metric_table {
    const metric_spec *specs;
    size_t n_specs; /* from the array's size, never written by hand */
} metric_table;

/* One row of a metric table per shape, so that a row says whether it is
 * ALL-only, a ratio or quarterly instead of hiding it in a positional
 * `0, 0,`: a metric per area (and ALL); ALL only; a ratio level
 * (ratio_scale × numerator ÷ denominator, per area); a quarterly cohort
 * metric (ALL only). */
#define METRIC_ROW(name_, kind_, unit_, doc_)                                                      \
    {                                                                                              \
        .name = (name_), .kind = (kind_), .unit = (unit_), .doc = (doc_)                           \
    }
#define METRIC_ALL_ONLY_ROW(name_, kind_, unit_, doc_)                                             \
    {                                                                                              \
        .name = (name_), .kind = (kind_), .unit = (unit_), .all_only = 1, .doc = (doc_)            \
    }
#define METRIC_RATIO_ROW(name_, kind_, unit_, ratio_scale_, doc_)                                  \
    {                                                                                              \
        .name = (name_), .kind = (kind_), .unit = (unit_), .ratio_scale = (ratio_scale_),          \
        .doc = (doc_)                                                                              \
    }
#define METRIC_QUARTERLY_ROW(name_, kind_, unit_, doc_)                                            \
    {                                                                                              \
        .name = (name_), .kind = (kind_), .unit = (unit_), .all_only = 1, .doc = (doc_),           \
        .quarterly = 1                                                                             \
    }

/* A metric_table of a static array of rows, counted by the compiler. */
#define METRIC_TABLE(specs_)                                                                       \
    {                                                                                              \
        .specs = (specs_), .n_specs = sizeof(specs_) / sizeof(specs_)[0]                           \
    }

/* Nonzero for a money metric: kind money, or a level kind (not a ratio)
 * whose unit is "GBP". */
int metric_is_money(const metric_spec *spec);

/* pounds rounded to the nearest penny, in pence (halves away from zero, as
 * llround): the one rounding of money shared by the recorder and the
 * ledger's demand postings. NaN and infinities pass through. */
double money_round_pence(double pounds);

typedef struct recorder recorder;

/* A recorder for n_areas areas (names copied) writing days first_day …
 * last_day (inclusive) in periods of `period`. NULL when out of memory. */
recorder *recorder_create(const char *const *area_names, size_t n_areas, int64_t first_day,
                          int64_t last_day, period_kind period);
void recorder_destroy(recorder *r);

/* Declares n metrics (each name once across the recorder). Returns the id of
 * the first; the others follow in order. -1 on a duplicate name or no memory. */
int recorder_declare(recorder *r, const metric_spec *specs, size_t n);

/* The day about to be simulated; must be called once a day, in order. */
void recorder_begin_day(recorder *r, int64_t day);

/* count and money: adds amount to the area (ignored before first_day);
 * money is rounded to the penny first. */
void recorder_add(recorder *r, int metric, size_t area, double amount);

/* level kinds: sets the area's current level (kept through the warm-up);
 * a money level is rounded to the penny. */
void recorder_level(recorder *r, int metric, size_t area, double value);

/* ratio levels: sets the area's numerator and denominator. */
void recorder_ratio(recorder *r, int metric, size_t area, double numerator, double denominator);

/* event kinds: one completed event with its value. */
void recorder_event(recorder *r, int metric, size_t area, double value);

/* quarterly metrics: the value for the calendar quarter ending on
 * quarter_last_day (a day number): for event_mean numerator / denominator
 * (NA when the denominator is 0), for count the numerator. Each quarter at
 * most once; any order. Quarters ending outside first_day … last_day are
 * ignored. Returns 0, or -1 when out of memory or misused. */
int recorder_quarter(recorder *r, int metric, int64_t quarter_last_day, double numerator,
                     double denominator);

/* Folds the day begun by recorder_begin_day (levels as they stand now) and
 * closes a period on its last day or on last_day. Returns -1 when out of
 * memory, else 0. */
int recorder_end_day(recorder *r);

/* ---- results (after the last day) ---- */

size_t recorder_n_metrics(const recorder *r);
const metric_spec *recorder_metric(const recorder *r, int metric);
int recorder_find(const recorder *r, const char *name); /* -1 if none */
size_t recorder_n_areas(const recorder *r);
const char *recorder_area_name(const recorder *r, size_t area);
size_t recorder_n_periods(const recorder *r);
int64_t recorder_period_last_day(const recorder *r, size_t period);

/* Value of a metric in a period for an area (area == n_areas means ALL);
 * NaN stands for NA, and for every period after recorder_release. Money in
 * pounds. */
double recorder_value(const recorder *r, size_t period, size_t area, int metric);

/* The same in the unit it is kept in: pence for a money metric (a whole
 * number of pence except for a money level_mean), else as recorder_value. */
double recorder_value_kept(const recorder *r, size_t period, size_t area, int metric);

/* ---- financial years (after the last day) ----
 * Every financial year that overlaps first_day … last_day, in date order,
 * clipped to the written days. */
size_t recorder_n_years(const recorder *r);
/* First and last written day of financial year y (INT64_MIN if none). */
int64_t recorder_year_first_day(const recorder *r, size_t year);
int64_t recorder_year_last_day(const recorder *r, size_t year);

/* Financial year y's value of a metric for an area (n_areas = ALL), in the
 * unit it is kept in (pence for money), NaN for NA; *weight (if not NULL)
 * gets the weight years.csv writes, NaN for none: the number of events for
 * event kinds, the mean daily denominator for a ratio level_mean. Quarterly
 * metrics: from the year's four calendar quarters (Σ numerators / Σ
 * denominators with weight Σ denominators, or the sum for count), NA with
 * no weight unless all four were recorded. NaN after recorder_release. */
double recorder_year_value(const recorder *r, size_t year, size_t area, int metric, double *weight);

/* Frees the period and financial-year values (once they are written);
 * the run values (recorder_run_*), the quarters and the metrics stay. */
void recorder_release(recorder *r);

/* Whole written run, ALL: for count/money the total; for level kinds the mean
 * of the daily ALL values; for event kinds the mean or median of every event.
 * NaN when undefined. */
double recorder_run_value(const recorder *r, int metric);

/* Whole written run, ALL, as a ratio of sums for pooling across
 * replications: event_mean: Σ values and the number of events (quarterly:
 * Σ numerators and Σ denominators); count and money: the total and 1; levels:
 * Σ of daily ALL values and the number of days. Returns 0, or -1 for an
 * event_median metric or an unknown one. */
int recorder_run_sums(const recorder *r, int metric, double *numerator, double *denominator);

/* quarterly metrics: number of quarters recorded, and the i-th in order of
 * its last day (its value NaN for NA). */
size_t recorder_n_quarters(const recorder *r, int metric);
void recorder_quarter_row(const recorder *r, int metric, size_t i, int64_t *quarter_last_day,
                          double *value);

/* Every event value of an event metric over the written run, ALL pooled, in
 * the order recorded (for pooling medians across replications). */
const double *recorder_run_events(const recorder *r, int metric, size_t *n);

#endif
