/* test_recorder.c — period aggregation of each metric kind, with expected
 * values worked out by hand from fixed daily inputs. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dates.h"
#include "recorder.h"

#define NA NAN

static int64_t ymd(int y, int m, int d) { return date_from_civil(y, m, d); }

/* Equal to a relative 1e-12, or both NA. cmocka's assert_float_equal
 * works in float, too coarse for these values. */
static void check_near(double got, double want, const char *what, int line)
{
    if (isnan(want)) {
        if (!isnan(got)) fail_msg("line %d, %s: got %.17g, want NA", line, what, got);
        return;
    }
    if (isnan(got) || fabs(got - want) > 1e-12 * fmax(1.0, fabs(want)))
        fail_msg("line %d, %s: got %.17g, want %.17g", line, what, got, want);
}

/* One period's values of a metric: the areas, then ALL. */
static void check_row(const recorder *r, size_t period, int metric, const double *want, int line)
{
    size_t n = recorder_n_areas(r);
    for (size_t a = 0; a <= n; a++) {
        char what[96];
        snprintf(what, sizeof what, "period %zu, %s, %s", period, recorder_area_name(r, a),
                 recorder_metric(r, metric)->name);
        check_near(recorder_value(r, period, a, metric), want[a], what, line);
    }
}

#define CHECK_ROW(r, period, metric, ...)                                                          \
    check_row((r), (period), (metric), (const double[]){ __VA_ARGS__ }, __LINE__)
#define CHECK_RUN(r, metric, want)                                                                 \
    check_near(recorder_run_value((r), (metric)), (want), "run value", __LINE__)

static const char *const two_areas[] = { "North", "South" };

enum {
    M_CRIMES,
    M_SPEND,
    M_VOIDS,
    M_STOCK,
    M_QUEUE,
    M_WAIT_MEAN,
    M_WAIT_MEDIAN,
    M_BUDGET,
    M_FUND,
    M_N
};

static const metric_spec month_specs[M_N] = {
    [M_CRIMES] = METRIC_ROW("crimes", METRIC_COUNT, "crimes", "count"),
    [M_SPEND] = METRIC_ROW("spend", METRIC_MONEY, "GBP", "money"),
    [M_VOIDS] = METRIC_ROW("voids", METRIC_LEVEL_END, "dwellings", "level at period end"),
    [M_STOCK] = METRIC_ROW("stock", METRIC_LEVEL_END, "dwellings", "set in the warm-up only"),
    [M_QUEUE] = METRIC_ROW("queue", METRIC_LEVEL_MEAN, "jobs", "mean level"),
    [M_WAIT_MEAN] = METRIC_ROW("wait_mean", METRIC_EVENT_MEAN, "days", "event mean"),
    [M_WAIT_MEDIAN] = METRIC_ROW("wait_median", METRIC_EVENT_MEDIAN, "days", "event median"),
    [M_BUDGET] = METRIC_ALL_ONLY_ROW("budget", METRIC_MONEY, "GBP", "ALL only"),
    [M_FUND] = METRIC_ALL_ONLY_ROW("fund", METRIC_LEVEL_END, "GBP", "ALL only level"),
};

static void both_events(recorder *r, size_t area, double v)
{
    recorder_event(r, M_WAIT_MEAN, area, v);
    recorder_event(r, M_WAIT_MEDIAN, area, v);
}

/* Month periods over 2025-01-30 … 2025-03-02, after three warm-up days
 * (27-29 January): a partial January (30-31, 2 days), a full February (28
 * days) and a partial March (1-2, 2 days). k is the day index from
 * 2025-01-30, so k = 0…31.
 *
 * Daily inputs on written days:
 *   crimes   North +1, South +1 twice            (2 calls: South 2 a day)
 *   spend    North +1.25, South +0.50
 *   voids    North k, South 10
 *   queue    North k, South 2k
 *   events   k=0: North 4, 1; k=1: North 7, South 10, 2; k=30: North 3
 *   budget   +3.00 a day, ALL only (area argument 1 is ignored)
 *   fund     level 100 + k, ALL only
 * Warm-up days add crimes 100, spend 9, events 1000, budget 50 (all to be
 * ignored), set voids to 500 (overwritten later) and set stock to North 7,
 * South 3, which is never set again and must persist. */
static void test_month_all_kinds(void **state)
{
    (void)state;
    int64_t first = ymd(2025, 1, 30), last = ymd(2025, 3, 2);
    recorder *r = recorder_create(two_areas, 2, first, last, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, month_specs, M_N), 0);

    for (int64_t d = ymd(2025, 1, 27); d <= last; d++) {
        int64_t k = d - first;
        recorder_begin_day(r, d);
        if (k < 0) {
            recorder_add(r, M_CRIMES, 0, 100);
            recorder_add(r, M_SPEND, 1, 9);
            both_events(r, 0, 1000);
            both_events(r, 1, 1000);
            recorder_add(r, M_BUDGET, 0, 50);
            recorder_level(r, M_VOIDS, 0, 500);
            recorder_level(r, M_STOCK, 0, 7);
            recorder_level(r, M_STOCK, 1, 3);
        } else {
            recorder_add(r, M_CRIMES, 0, 1);
            recorder_add(r, M_CRIMES, 1, 1);
            recorder_add(r, M_CRIMES, 1, 1);
            recorder_add(r, M_SPEND, 0, 1.25);
            recorder_add(r, M_SPEND, 1, 0.5);
            recorder_level(r, M_VOIDS, 0, (double)k);
            recorder_level(r, M_VOIDS, 1, 10);
            recorder_level(r, M_QUEUE, 0, (double)k);
            recorder_level(r, M_QUEUE, 1, 2.0 * (double)k);
            if (k == 0) {
                both_events(r, 0, 4);
                both_events(r, 0, 1);
            } else if (k == 1) {
                both_events(r, 0, 7);
                both_events(r, 1, 10);
                both_events(r, 1, 2);
            } else if (k == 30) {
                both_events(r, 0, 3);
            }
            recorder_add(r, M_BUDGET, 1, 3.0);
            recorder_level(r, M_FUND, 1, 100.0 + (double)k);
        }
        assert_int_equal(recorder_end_day(r), 0);
    }

    assert_int_equal(recorder_n_periods(r), 3);
    assert_int_equal(recorder_period_last_day(r, 0), ymd(2025, 1, 31));
    assert_int_equal(recorder_period_last_day(r, 1), ymd(2025, 2, 28));
    assert_int_equal(recorder_period_last_day(r, 2), ymd(2025, 3, 2)); /* clipped */

    /* crimes: days × (1, 2); ALL sums the areas. Jan 2 days, Feb 28, Mar 2. */
    CHECK_ROW(r, 0, M_CRIMES, 2, 4, 6);
    CHECK_ROW(r, 1, M_CRIMES, 28, 56, 84);
    CHECK_ROW(r, 2, M_CRIMES, 2, 4, 6);
    /* spend: days × (1.25, 0.50). */
    CHECK_ROW(r, 0, M_SPEND, 2.5, 1.0, 3.5);
    CHECK_ROW(r, 1, M_SPEND, 35.0, 14.0, 49.0);
    CHECK_ROW(r, 2, M_SPEND, 2.5, 1.0, 3.5);
    /* voids at the last day: k = 1 (31 Jan), 29 (28 Feb), 31 (2 Mar). */
    CHECK_ROW(r, 0, M_VOIDS, 1, 10, 11);
    CHECK_ROW(r, 1, M_VOIDS, 29, 10, 39);
    CHECK_ROW(r, 2, M_VOIDS, 31, 10, 41);
    /* stock: set in the warm-up only, kept through every period. */
    CHECK_ROW(r, 0, M_STOCK, 7, 3, 10);
    CHECK_ROW(r, 2, M_STOCK, 7, 3, 10);
    /* queue, mean of end-of-day values: Jan k = 0,1 → 0.5, South 1, ALL
     * (0 + 3)/2 = 1.5; Feb k = 2…29 → 15.5, 31, 46.5; Mar k = 30,31 →
     * 30.5, 61, 91.5. */
    CHECK_ROW(r, 0, M_QUEUE, 0.5, 1.0, 1.5);
    CHECK_ROW(r, 1, M_QUEUE, 15.5, 31.0, 46.5);
    CHECK_ROW(r, 2, M_QUEUE, 30.5, 61.0, 91.5);
    /* Events. Jan: North {4,1,7} mean 4 median 4; South {10,2} mean 6,
     * median (2+10)/2 = 6; ALL {4,1,7,10,2} mean 24/5 = 4.8, median of
     * 1,2,4,7,10 = 4. Feb: none, NA everywhere. Mar: North {3}, South none. */
    CHECK_ROW(r, 0, M_WAIT_MEAN, 4, 6, 4.8);
    CHECK_ROW(r, 1, M_WAIT_MEAN, NA, NA, NA);
    CHECK_ROW(r, 2, M_WAIT_MEAN, 3, NA, 3);
    CHECK_ROW(r, 0, M_WAIT_MEDIAN, 4, 6, 4);
    CHECK_ROW(r, 1, M_WAIT_MEDIAN, NA, NA, NA);
    CHECK_ROW(r, 2, M_WAIT_MEDIAN, 3, NA, 3);
    /* ALL only: areas are NA. budget 3 a day: 6, 84, 6. fund at 31 Jan
     * 100 + 1, 28 Feb 100 + 29, 2 Mar 100 + 31. */
    CHECK_ROW(r, 0, M_BUDGET, NA, NA, 6);
    CHECK_ROW(r, 1, M_BUDGET, NA, NA, 84);
    CHECK_ROW(r, 2, M_BUDGET, NA, NA, 6);
    CHECK_ROW(r, 0, M_FUND, NA, NA, 101);
    CHECK_ROW(r, 1, M_FUND, NA, NA, 129);
    CHECK_ROW(r, 2, M_FUND, NA, NA, 131);

    /* Whole run, 32 written days: crimes 32 × 3 = 96; spend 32 × 1.75 = 56;
     * voids mean of (k + 10) over k = 0…31 = 25.5; stock 10; queue mean of
     * 3k = 46.5; events {4,1,7,10,2,3}: mean 27/6 = 4.5, median of
     * 1,2,3,4,7,10 = (3+4)/2 = 3.5; budget 96; fund mean of 100 + k = 115.5. */
    CHECK_RUN(r, M_CRIMES, 96);
    CHECK_RUN(r, M_SPEND, 56);
    CHECK_RUN(r, M_VOIDS, 25.5);
    CHECK_RUN(r, M_STOCK, 10);
    CHECK_RUN(r, M_QUEUE, 46.5);
    CHECK_RUN(r, M_WAIT_MEAN, 4.5);
    CHECK_RUN(r, M_WAIT_MEDIAN, 3.5);
    CHECK_RUN(r, M_BUDGET, 96);
    CHECK_RUN(r, M_FUND, 115.5);

    /* The pooled events in the order recorded, warm-up ones left out. */
    static const double order[] = { 4, 1, 7, 10, 2, 3 };
    size_t n = 0;
    const double *ev = recorder_run_events(r, M_WAIT_MEDIAN, &n);
    assert_int_equal(n, 6);
    assert_memory_equal(ev, order, sizeof order);
    ev = recorder_run_events(r, M_WAIT_MEAN, &n);
    assert_int_equal(n, 6);
    assert_memory_equal(ev, order, sizeof order);
    assert_null(recorder_run_events(r, M_CRIMES, &n));
    assert_int_equal(n, 0);

    recorder_destroy(r);
}

static const metric_spec one_count[] = { METRIC_ROW("days", METRIC_COUNT, "days", "one a day") };

/* Adds 1 a day to area 0 over first … last and returns the recorder. */
static recorder *count_days(int64_t first, int64_t last, period_kind period)
{
    recorder *r = recorder_create(two_areas, 2, first, last, period);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, one_count, 1), 0);
    for (int64_t d = first; d <= last; d++) {
        recorder_begin_day(r, d);
        recorder_add(r, 0, 0, 1);
        assert_int_equal(recorder_end_day(r), 0);
    }
    return r;
}

/* Weeks run Monday to Sunday. 2025-01-01 is a Wednesday, so 1-15 January
 * is Wed 1 – Sun 5 (5 days), Mon 6 – Sun 12 (7), Mon 13 – Wed 15 (3). */
static void test_week_periods(void **state)
{
    (void)state;
    recorder *r = count_days(ymd(2025, 1, 1), ymd(2025, 1, 15), PERIOD_WEEK);
    assert_int_equal(recorder_n_periods(r), 3);
    assert_int_equal(recorder_period_last_day(r, 0), ymd(2025, 1, 5));
    assert_int_equal(recorder_period_last_day(r, 1), ymd(2025, 1, 12));
    assert_int_equal(recorder_period_last_day(r, 2), ymd(2025, 1, 15));
    CHECK_ROW(r, 0, 0, 5, 0, 5);
    CHECK_ROW(r, 1, 0, 7, 0, 7);
    CHECK_ROW(r, 2, 0, 3, 0, 3);
    CHECK_RUN(r, 0, 15);
    recorder_destroy(r);
}

/* Financial years run April to March. 2024-03-01 … 2025-04-10 is March
 * 2024 (31 days, fy 2023's tail), 2024-04-01 … 2025-03-31 (365 days: the
 * leap day, 29 Feb 2024, falls in fy 2023) and 1-10 April 2025 (10 days). */
static void test_fy_periods(void **state)
{
    (void)state;
    recorder *r = count_days(ymd(2024, 3, 1), ymd(2025, 4, 10), PERIOD_FY);
    assert_int_equal(recorder_n_periods(r), 3);
    assert_int_equal(recorder_period_last_day(r, 0), ymd(2024, 3, 31));
    assert_int_equal(recorder_period_last_day(r, 1), ymd(2025, 3, 31));
    assert_int_equal(recorder_period_last_day(r, 2), ymd(2025, 4, 10));
    CHECK_ROW(r, 0, 0, 31, 0, 31);
    CHECK_ROW(r, 1, 0, 365, 0, 365);
    CHECK_ROW(r, 2, 0, 10, 0, 10);
    CHECK_RUN(r, 0, 406);
    recorder_destroy(r);
}

/* A run shorter than one period: one period, closed at last_day. */
static void test_single_partial_period(void **state)
{
    (void)state;
    recorder *r = count_days(ymd(2025, 6, 10), ymd(2025, 6, 12), PERIOD_YEAR);
    assert_int_equal(recorder_n_periods(r), 1);
    assert_int_equal(recorder_period_last_day(r, 0), ymd(2025, 6, 12));
    CHECK_ROW(r, 0, 0, 3, 0, 3);
    recorder_destroy(r);
}

/* A ratio level (blight per 100 dwellings), three days in one month period.
 *            North num/den  value   South num/den  value   ALL Σnum/Σden
 *   day 1       1 / 1       100        0 / 3         0     100 × 1/4 =  25
 *   day 2       1 / 2        50        2 / 2       100     100 × 3/4 =  75
 *   day 3       5 / 0         0        1 / 4        25     100 × 6/4 = 150
 * (a zero denominator gives 0). level_mean: North (100+50+0)/3 = 50, South
 * (0+100+25)/3 = 125/3, ALL (25+75+150)/3 = 250/3 = 83.33…, which is not
 * the mean of the area values, (50 + 125/3)/2 = 45.83…: ALL is recomputed
 * from the sums each day. level_end: North 0, South 25, ALL 150. */
static void test_ratio_levels(void **state)
{
    (void)state;
    static const metric_spec specs[] = {
        METRIC_RATIO_ROW("blight", METRIC_LEVEL_MEAN, "per 100 dwellings", 100, "mean ratio"),
        METRIC_RATIO_ROW("blight_end", METRIC_LEVEL_END, "per 100 dwellings", 100, "ratio at end"),
    };
    static const double num[3][2] = { { 1, 0 }, { 1, 2 }, { 5, 1 } };
    static const double den[3][2] = { { 1, 3 }, { 2, 2 }, { 0, 4 } };
    int64_t first = ymd(2025, 6, 1);
    recorder *r = recorder_create(two_areas, 2, first, first + 2, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 2), 0);
    for (int i = 0; i < 3; i++) {
        recorder_begin_day(r, first + i);
        for (size_t a = 0; a < 2; a++) {
            recorder_ratio(r, 0, a, num[i][a], den[i][a]);
            recorder_ratio(r, 1, a, num[i][a], den[i][a]);
        }
        assert_int_equal(recorder_end_day(r), 0);
    }
    assert_int_equal(recorder_n_periods(r), 1);
    CHECK_ROW(r, 0, 0, 50.0, 125.0 / 3, 250.0 / 3);
    double mean_of_areas = (recorder_value(r, 0, 0, 0) + recorder_value(r, 0, 1, 0)) / 2;
    assert_true(fabs(recorder_value(r, 0, 2, 0) - mean_of_areas) > 30);
    CHECK_ROW(r, 0, 1, 0.0, 25.0, 150.0);
    /* Run values: the mean of the daily ALL values for both kinds. */
    CHECK_RUN(r, 0, 250.0 / 3);
    CHECK_RUN(r, 1, 250.0 / 3);
    recorder_destroy(r);
}

/* Medians over day periods: odd count, even count (mean of the two middle
 * values), duplicates, and NA for a day without events.
 *   day 1: North {5,1,3} → 3;     South {9}     → 9; ALL {5,1,3,9}     → (3+5)/2 = 4
 *   day 2: North {4,1,3,2} → 2.5; South {}      → NA; ALL = North     → 2.5
 *   day 3: none                   → NA, NA, NA
 *   day 4: North {2,2,9,2} → 2;   South {2,-1}  → 0.5; ALL {2,2,9,2,2,-1} → 2
 * Whole run: 1,3,5,9,1,2,3,4,-1,2,2,2,2,9 sorted
 * -1,1,1,2,2,2,2,2,3,3,4,5,9,9: 14 values, middle pair 2 and 2 → 2. */
static void test_event_median(void **state)
{
    (void)state;
    static const metric_spec spec[] = { METRIC_ROW("wait", METRIC_EVENT_MEDIAN, "days", "median") };
    int64_t first = ymd(2025, 2, 3);
    recorder *r = recorder_create(two_areas, 2, first, first + 3, PERIOD_DAY);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, spec, 1), 0);
    static const struct {
        int day;
        size_t area;
        double v;
    } ev[] = {
        { 0, 0, 5 }, { 0, 0, 1 }, { 0, 1, 9 }, { 0, 0, 3 }, { 1, 0, 4 }, { 1, 0, 1 },  { 1, 0, 3 },
        { 1, 0, 2 }, { 3, 0, 2 }, { 3, 0, 2 }, { 3, 1, 2 }, { 3, 0, 9 }, { 3, 1, -1 }, { 3, 0, 2 },
    };
    size_t j = 0;
    for (int i = 0; i < 4; i++) {
        recorder_begin_day(r, first + i);
        for (; j < sizeof ev / sizeof ev[0] && ev[j].day == i; j++)
            recorder_event(r, 0, ev[j].area, ev[j].v);
        assert_int_equal(recorder_end_day(r), 0);
    }
    assert_int_equal(recorder_n_periods(r), 4);
    CHECK_ROW(r, 0, 0, 3, 9, 4);
    CHECK_ROW(r, 1, 0, 2.5, NA, 2.5);
    CHECK_ROW(r, 2, 0, NA, NA, NA);
    CHECK_ROW(r, 3, 0, 2, 0.5, 2);
    CHECK_RUN(r, 0, 2);
    recorder_destroy(r);
}

/* No events at all: NA in every period and for the run. */
static void test_event_none(void **state)
{
    (void)state;
    static const metric_spec spec[] = {
        METRIC_ROW("wait", METRIC_EVENT_MEDIAN, "days", "median"),
        METRIC_ROW("wait_mean", METRIC_EVENT_MEAN, "days", "mean"),
    };
    int64_t first = ymd(2025, 2, 3);
    recorder *r = recorder_create(two_areas, 2, first, first + 1, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, spec, 2), 0);
    for (int i = 0; i < 2; i++) {
        recorder_begin_day(r, first + i);
        assert_int_equal(recorder_end_day(r), 0);
    }
    CHECK_ROW(r, 0, 0, NA, NA, NA);
    CHECK_ROW(r, 0, 1, NA, NA, NA);
    CHECK_RUN(r, 0, NA);
    CHECK_RUN(r, 1, NA);
    size_t n = 99;
    recorder_run_events(r, 0, &n);
    assert_int_equal(n, 0);
    recorder_destroy(r);
}

/* Warm-up: counts, money and events before first_day add nothing, and so do
 * calls made before any day has begun; levels set then are kept, and a
 * level_mean averages only written days. Warm-up: 4 days of crimes +5 and
 * events 100, level 42 (North). Written: 2 days, crimes +1, level_mean of
 * North = 42 both days (never set again) → 42; event 7 on day 2. */
static void test_warmup_ignored(void **state)
{
    (void)state;
    static const metric_spec specs[] = {
        METRIC_ROW("crimes", METRIC_COUNT, "crimes", ""),
        METRIC_ROW("level", METRIC_LEVEL_MEAN, "x", ""),
        METRIC_ROW("wait", METRIC_EVENT_MEAN, "days", ""),
    };
    int64_t first = ymd(2025, 5, 5);
    recorder *r = recorder_create(two_areas, 2, first, first + 1, PERIOD_WEEK);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 3), 0);
    recorder_add(r, 0, 0, 1000); /* before any day: ignored */
    recorder_event(r, 2, 0, 1000);
    for (int64_t d = first - 4; d <= first + 1; d++) {
        recorder_begin_day(r, d);
        if (d < first) {
            recorder_add(r, 0, 0, 5);
            recorder_event(r, 2, 1, 100);
            recorder_level(r, 1, 0, 42);
        } else {
            recorder_add(r, 0, 1, 1);
            if (d == first + 1) recorder_event(r, 2, 0, 7);
        }
        assert_int_equal(recorder_end_day(r), 0);
    }
    assert_int_equal(recorder_n_periods(r), 1);
    CHECK_ROW(r, 0, 0, 0, 2, 2);
    CHECK_ROW(r, 0, 1, 42, 0, 42);
    CHECK_ROW(r, 0, 2, 7, NA, 7);
    CHECK_RUN(r, 0, 2);
    /* Days after last_day are not written either. */
    recorder_begin_day(r, first + 2);
    recorder_add(r, 0, 0, 1);
    assert_int_equal(recorder_end_day(r), 0);
    assert_int_equal(recorder_n_periods(r), 1);
    CHECK_RUN(r, 0, 2);
    recorder_destroy(r);
}

/* all_only metrics of every kind: the area argument (even out of range) is
 * ignored, values go to ALL, areas are NA. Two days, one day period each
 * (day periods): count 2 then 3; level_mean 10 then 20 → 10, 20; ratio
 * level_end scale 1: 1/4 then 3/4; event_mean {2,4} → 3 then none → NA;
 * event_median {1,5,9} → 5 then {8} → 8. */
static void test_all_only(void **state)
{
    (void)state;
    static const metric_spec specs[] = {
        METRIC_ALL_ONLY_ROW("cohort", METRIC_COUNT, "people", ""),
        METRIC_ALL_ONLY_ROW("budget", METRIC_LEVEL_MEAN, "GBP", ""),
        { .name = "share",
          .kind = METRIC_LEVEL_END,
          .unit = "",
          .all_only = 1,
          .ratio_scale = 1,
          .doc = "" },
        METRIC_ALL_ONLY_ROW("days_mean", METRIC_EVENT_MEAN, "days", ""),
        METRIC_ALL_ONLY_ROW("days_median", METRIC_EVENT_MEDIAN, "days", ""),
    };
    int64_t first = ymd(2025, 7, 1);
    recorder *r = recorder_create(two_areas, 2, first, first + 1, PERIOD_DAY);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 5), 0);

    recorder_begin_day(r, first);
    recorder_add(r, 0, 0, 1);
    recorder_add(r, 0, 77, 1);
    recorder_level(r, 1, 1, 10);
    recorder_ratio(r, 2, 0, 1, 4);
    recorder_event(r, 3, 0, 2);
    recorder_event(r, 3, 1, 4);
    recorder_event(r, 4, 5, 9);
    recorder_event(r, 4, 0, 1);
    recorder_event(r, 4, 1, 5);
    assert_int_equal(recorder_end_day(r), 0);

    recorder_begin_day(r, first + 1);
    recorder_add(r, 0, 1, 3);
    recorder_level(r, 1, 0, 20);
    recorder_ratio(r, 2, 1, 3, 4);
    recorder_event(r, 4, 0, 8);
    assert_int_equal(recorder_end_day(r), 0);

    CHECK_ROW(r, 0, 0, NA, NA, 2);
    CHECK_ROW(r, 1, 0, NA, NA, 3);
    CHECK_ROW(r, 0, 1, NA, NA, 10);
    CHECK_ROW(r, 1, 1, NA, NA, 20);
    CHECK_ROW(r, 0, 2, NA, NA, 0.25);
    CHECK_ROW(r, 1, 2, NA, NA, 0.75);
    CHECK_ROW(r, 0, 3, NA, NA, 3);
    CHECK_ROW(r, 1, 3, NA, NA, NA);
    CHECK_ROW(r, 0, 4, NA, NA, 5);
    CHECK_ROW(r, 1, 4, NA, NA, 8);
    /* Run: count 5; budget mean 15; share mean 0.5; mean 3; median of
     * {9,1,5,8} = (5+8)/2 = 6.5. */
    CHECK_RUN(r, 0, 5);
    CHECK_RUN(r, 1, 15);
    CHECK_RUN(r, 2, 0.5);
    CHECK_RUN(r, 3, 3);
    CHECK_RUN(r, 4, 6.5);
    recorder_destroy(r);
}

/* Declarations: ids in order across calls, duplicates refused (within one
 * call and across calls), lookup by name, spec strings copied, and no
 * declaring once days have begun. Bad calls do not write anywhere. */
static void test_declare_and_lookup(void **state)
{
    (void)state;
    char name[] = "alpha";
    metric_spec a[] = { METRIC_ROW(name, METRIC_COUNT, "u", "d"),
                        METRIC_ROW("beta", METRIC_MONEY, "GBP", NULL) };
    metric_spec dup[] = { METRIC_ROW("gamma", METRIC_COUNT, "u", ""),
                          METRIC_ROW("gamma", METRIC_COUNT, "u", "") };
    metric_spec again[] = { METRIC_ROW("beta", METRIC_COUNT, "u", "") };
    metric_spec c[] = { METRIC_ROW("gamma", METRIC_LEVEL_END, "u", "") };
    metric_spec late[] = { METRIC_ROW("late", METRIC_COUNT, "", "") };

    recorder *r = recorder_create(two_areas, 2, 10, 20, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, a, 2), 0);
    assert_int_equal(recorder_declare(r, dup, 2), -1);
    assert_int_equal(recorder_declare(r, again, 1), -1);
    assert_int_equal(recorder_declare(r, c, 1), 2);
    assert_int_equal(recorder_n_metrics(r), 3);
    name[0] = 'X'; /* the recorder kept its own copy */
    assert_int_equal(recorder_find(r, "alpha"), 0);
    assert_int_equal(recorder_find(r, "gamma"), 2);
    assert_int_equal(recorder_find(r, "nope"), -1);
    assert_string_equal(recorder_metric(r, 1)->unit, "GBP");
    assert_null(recorder_metric(r, 1)->doc);
    assert_null(recorder_metric(r, 3));
    assert_int_equal(recorder_n_areas(r), 2);
    assert_string_equal(recorder_area_name(r, 1), "South");
    assert_string_equal(recorder_area_name(r, 2), "ALL");
    assert_null(recorder_area_name(r, 3));

    recorder_begin_day(r, 10);
    assert_int_equal(recorder_declare(r, late, 1), -1);
    recorder_add(r, 7, 0, 1); /* no such metric */
    recorder_add(r, -1, 0, 1);
    recorder_add(r, 0, 2, 1);   /* area out of range */
    recorder_level(r, 0, 0, 5); /* wrong kind */
    recorder_event(r, 2, 0, 5);
    recorder_add(r, 0, 1, 4);
    assert_int_equal(recorder_end_day(r), 0);
    assert_int_equal(recorder_n_periods(r), 0);
    assert_true(isnan(recorder_value(r, 0, 0, 0))); /* not closed yet */
    recorder_destroy(r);
}

/* An empty run (last_day before first_day) has no periods and no values. */
static void test_empty_run(void **state)
{
    (void)state;
    recorder *r = recorder_create(NULL, 0, 100, 99, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, one_count, 1), 0);
    recorder_begin_day(r, 100);
    recorder_add(r, 0, 0, 1);
    assert_int_equal(recorder_end_day(r), 0);
    assert_int_equal(recorder_n_periods(r), 0);
    CHECK_RUN(r, 0, 0);
    recorder_destroy(r);
    recorder_destroy(NULL);
}

/* Financial years, worked by hand. Written days 2025-03-30 (a Sunday) …
 * 2026-04-02, k = 0 … 368, in weeks (the week of 31 March – 6 April spans
 * the financial-year boundary). Years: 2024/25 partial (30-31 March, 2
 * days), 2025/26 whole (365 days), 2026/27 partial (1-2 April, 2 days).
 *   count     North +1 a day                  → 2, 365, 2; South 0
 *   money     North +0.126 a day (13 pence)   → 26, 4745, 26 pence
 *   end       North level k, South 10         → at each year's last day
 *   mean      North level k                   → mean of k over the year
 *   ratio     North 1/4, South 3/6 (× 100)    → 25 (weight 4), 50 (6),
 *                                               ALL 100 × 4/10 = 40 (10)
 *   median    k=1: North 5, 1; k=2: North 100, South 7
 *   balance   ALL only GBP level 426,610,877.13 (exact pence)
 *   rate/size quarterly: the four quarters of 2025/26 (1,4) (2,4) (3,4)
 *             (0,4), and the quarter ending 31 March 2025 only for 2024/25 */
static void test_financial_years(void **state)
{
    (void)state;
    enum { COUNT, MONEY, END, MEAN, RATIO, MEDIAN, BALANCE, RATE, SIZE, N };
    static const metric_spec specs[N] = {
        [COUNT] = METRIC_ROW("count", METRIC_COUNT, "events", ""),
        [MONEY] = METRIC_ROW("money", METRIC_MONEY, "GBP", ""),
        [END] = METRIC_ROW("end", METRIC_LEVEL_END, "things", ""),
        [MEAN] = METRIC_ROW("mean", METRIC_LEVEL_MEAN, "things", ""),
        [RATIO] = METRIC_RATIO_ROW("ratio", METRIC_LEVEL_MEAN, "per 100", 100, ""),
        [MEDIAN] = METRIC_ROW("median", METRIC_EVENT_MEDIAN, "days", ""),
        [BALANCE] = METRIC_ALL_ONLY_ROW("balance", METRIC_LEVEL_END, "GBP", ""),
        [RATE] = METRIC_QUARTERLY_ROW("rate", METRIC_EVENT_MEAN, "share", ""),
        [SIZE] = METRIC_QUARTERLY_ROW("size", METRIC_COUNT, "people", ""),
    };
    int64_t first = ymd(2025, 3, 30), last = ymd(2026, 4, 2);
    recorder *r = recorder_create(two_areas, 2, first, last, PERIOD_WEEK);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, N), 0);
    for (int64_t d = first; d <= last; d++) {
        double k = (double)(d - first);
        recorder_begin_day(r, d);
        recorder_add(r, COUNT, 0, 1);
        recorder_add(r, MONEY, 0, 0.126);
        recorder_level(r, END, 0, k);
        recorder_level(r, END, 1, 10);
        recorder_level(r, MEAN, 0, k);
        recorder_ratio(r, RATIO, 0, 1, 4);
        recorder_ratio(r, RATIO, 1, 3, 6);
        recorder_level(r, BALANCE, 0, 426610877.13);
        if (k == 1) {
            recorder_event(r, MEDIAN, 0, 5);
            recorder_event(r, MEDIAN, 0, 1);
        } else if (k == 2) {
            recorder_event(r, MEDIAN, 0, 100);
            recorder_event(r, MEDIAN, 1, 7);
        }
        assert_int_equal(recorder_end_day(r), 0);
    }
    static const int quarter_end[][3] = {
        { 2025, 3, 31 }, { 2025, 6, 30 }, { 2025, 9, 30 }, { 2025, 12, 31 }, { 2026, 3, 31 }
    };
    static const double rate_num[] = { 1, 1, 2, 3, 0 };
    for (int q = 4; q >= 0; q--) { /* any order */
        int64_t day = ymd(quarter_end[q][0], quarter_end[q][1], quarter_end[q][2]);
        assert_int_equal(recorder_quarter(r, RATE, day, rate_num[q], 4), 0);
        assert_int_equal(recorder_quarter(r, SIZE, day, 4, 0), 0);
    }

    assert_int_equal(recorder_n_years(r), 3);
    assert_int_equal(recorder_year_first_day(r, 0), first);
    assert_int_equal(recorder_year_last_day(r, 0), ymd(2025, 3, 31));
    assert_int_equal(recorder_year_first_day(r, 1), ymd(2025, 4, 1));
    assert_int_equal(recorder_year_last_day(r, 1), ymd(2026, 3, 31));
    assert_int_equal(recorder_year_first_day(r, 2), ymd(2026, 4, 1));
    assert_int_equal(recorder_year_last_day(r, 2), last);

    /* value, weight for year y, area a (2 = ALL) */
#define YEAR(y, a, m, want, want_weight)                                                           \
    do {                                                                                           \
        double w_;                                                                                 \
        check_near(recorder_year_value(r, (y), (a), (m), &w_), (want), #m, __LINE__);              \
        check_near(w_, (want_weight), #m " weight", __LINE__);                                     \
    } while (0)
    YEAR(0, 0, COUNT, 2, NA);
    YEAR(1, 0, COUNT, 365, NA);
    YEAR(2, 0, COUNT, 2, NA);
    YEAR(1, 1, COUNT, 0, NA);
    YEAR(1, 2, COUNT, 365, NA);
    /* Money in pence: 0.126 rounds to 13 pence each day. */
    YEAR(0, 0, MONEY, 26, NA);
    YEAR(1, 2, MONEY, 4745, NA);
    YEAR(2, 2, MONEY, 26, NA);
    /* level_end at each year's last day: k = 1, 366, 368. */
    YEAR(0, 0, END, 1, NA);
    YEAR(1, 0, END, 366, NA);
    YEAR(1, 1, END, 10, NA);
    YEAR(1, 2, END, 376, NA);
    YEAR(2, 2, END, 378, NA);
    /* level_mean: mean of k over 0…1, 2…366, 367…368. */
    YEAR(0, 0, MEAN, 0.5, NA);
    YEAR(1, 0, MEAN, 184, NA);
    YEAR(2, 0, MEAN, 367.5, NA);
    /* ratio level_mean with the mean daily denominator as its weight. */
    YEAR(1, 0, RATIO, 25, 4);
    YEAR(1, 1, RATIO, 50, 6);
    YEAR(1, 2, RATIO, 40, 10);
    YEAR(0, 2, RATIO, 40, 10);
    /* Medians by year, weight the number of events: 2024/25 North {5, 1}
     * → 3, ALL 3; 2025/26 North {100}, South {7}, ALL (7 + 100)/2; 2026/27
     * none. The week of 31 March – 6 April pools {5, 1, 100, 7} → 6. */
    YEAR(0, 0, MEDIAN, 3, 2);
    YEAR(0, 1, MEDIAN, NA, 0);
    YEAR(0, 2, MEDIAN, 3, 2);
    YEAR(1, 0, MEDIAN, 100, 1);
    YEAR(1, 1, MEDIAN, 7, 1);
    YEAR(1, 2, MEDIAN, 53.5, 2);
    YEAR(2, 2, MEDIAN, NA, 0);
    check_near(recorder_value(r, 1, 2, MEDIAN), 6, "week median", __LINE__);
    check_near(recorder_value(r, 1, 0, MEDIAN), 5, "week median North", __LINE__);
    /* A money level: exact pence, ALL only. */
    YEAR(1, 2, BALANCE, 42661087713.0, NA);
    YEAR(1, 0, BALANCE, NA, NA);
    check_near(recorder_value(r, 0, 2, BALANCE), 426610877.13, "balance in pounds", __LINE__);
    /* Quarterly: only 2025/26 has its four quarters: 6/16 with weight 16,
     * and a count of 16. 2024/25 has one quarter, 2026/27 none: NA. */
    YEAR(1, 2, RATE, 6.0 / 16, 16);
    YEAR(1, 2, SIZE, 16, NA);
    YEAR(0, 2, RATE, NA, NA);
    YEAR(0, 2, SIZE, NA, NA);
    YEAR(2, 2, RATE, NA, NA);
#undef YEAR

    /* Released: no period or year values, run values intact. */
    recorder_release(r);
    assert_true(isnan(recorder_year_value(r, 1, 2, COUNT, NULL)));
    assert_true(isnan(recorder_value(r, 0, 2, COUNT)));
    CHECK_RUN(r, COUNT, 369);
    CHECK_RUN(r, MONEY, 369 * 0.13);
    CHECK_RUN(r, MEDIAN, 6);
    recorder_destroy(r);
}

/* Money is rounded to the penny on entry, once per call, halves away from
 * zero; counts are not rounded. */
static void test_money_pence(void **state)
{
    (void)state;
    static const metric_spec specs[] = {
        METRIC_ROW("spend", METRIC_MONEY, "GBP", ""),
        METRIC_ROW("count", METRIC_COUNT, "things", ""),
        METRIC_ROW("left", METRIC_LEVEL_END, "GBP", ""),
    };
    int64_t day = ymd(2025, 6, 1);
    recorder *r = recorder_create(two_areas, 2, day, day, PERIOD_DAY);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 3), 0);
    assert_true(metric_is_money(&specs[0]) && !metric_is_money(&specs[1]) &&
                metric_is_money(&specs[2]));
    recorder_begin_day(r, day);
    for (int i = 0; i < 1000; i++) recorder_add(r, 0, 0, 0.004); /* 0 pence each */
    recorder_add(r, 0, 1, 0.125);                                /* 12.5 → 13 */
    recorder_add(r, 0, 1, -0.125);                               /* -12.5 → -13 */
    recorder_add(r, 0, 1, 2.675); /* 2.675 × 100 is 267.5 in doubles → 268 */
    recorder_add(r, 0, 1, 1.005); /* 1.005 × 100 is 100.4999… → 100 (as llround) */
    recorder_add(r, 1, 0, 0.25);
    recorder_level(r, 2, 0, 1234567890123.456);
    assert_int_equal(recorder_end_day(r), 0);
    check_near(recorder_value_kept(r, 0, 0, 0), 0, "0.4p × 1000", __LINE__);
    check_near(recorder_value_kept(r, 0, 1, 0), 368, "halves away from zero", __LINE__);
    check_near(recorder_value(r, 0, 1, 0), 3.68, "in pounds", __LINE__);
    check_near(recorder_value(r, 0, 0, 1), 0.25, "counts unrounded", __LINE__);
    check_near(recorder_value_kept(r, 0, 0, 2), 123456789012346.0, "level pence", __LINE__);
    recorder_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_month_all_kinds), cmocka_unit_test(test_week_periods),
        cmocka_unit_test(test_fy_periods),      cmocka_unit_test(test_single_partial_period),
        cmocka_unit_test(test_ratio_levels),    cmocka_unit_test(test_event_median),
        cmocka_unit_test(test_event_none),      cmocka_unit_test(test_warmup_ignored),
        cmocka_unit_test(test_all_only),        cmocka_unit_test(test_declare_and_lookup),
        cmocka_unit_test(test_empty_run),       cmocka_unit_test(test_financial_years),
        cmocka_unit_test(test_money_pence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
