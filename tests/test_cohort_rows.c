/* test_cohort_rows.c — quarterly cohort metrics in the recorder and in
 * series.csv: one ALL row per quarter whatever the period, merged into the
 * period rows in (tick, area, declaration) order; pooled as ratios of sums.
 * Then the re-offending model's cohort rows in a run: which quarters and
 * years of the long-run measure are written, and how the sizes of the
 * cohorts by previous offences and by accommodation add up. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "dates.h"
#include "output.h"
#include "recorder.h"
#include "reoffending.h"
#include "test_support.h"

static const metric_spec specs[] = {
    METRIC_ROW("voids", METRIC_LEVEL_END, "dwellings", ""),
    METRIC_QUARTERLY_ROW("rate", METRIC_EVENT_MEAN, "share", ""),
    METRIC_QUARTERLY_ROW("size", METRIC_COUNT, "people", ""),
};

/* 2025-04-01 … 2025-09-30 with one area; quarters end 2025-06-30 and
 * 2025-09-30. */
static recorder *make(period_kind period)
{
    const char *names[] = { "North" };
    int64_t first = date_from_civil(2025, 4, 1), last = date_from_civil(2025, 9, 30);
    recorder *r = recorder_create(names, 1, first, last, period);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 3), 0);
    for (int64_t d = first; d <= last; d++) {
        recorder_begin_day(r, d);
        recorder_level(r, 0, 0, 2.0);
        assert_int_equal(recorder_end_day(r), 0);
    }
    /* Given out of order: the recorder keeps them by day. */
    assert_int_equal(recorder_quarter(r, 1, date_from_civil(2025, 9, 30), 1, 4), 0);
    assert_int_equal(recorder_quarter(r, 1, date_from_civil(2025, 6, 30), 3, 5), 0);
    assert_int_equal(recorder_quarter(r, 2, date_from_civil(2025, 6, 30), 5, 0), 0);
    assert_int_equal(recorder_quarter(r, 2, date_from_civil(2025, 9, 30), 4, 0), 0);
    return r;
}

static char *series_of(const recorder *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(series_write_csv(f, "s", &r, 1, date_from_civil(2025, 4, 1)), 0);
    fclose(f);
    return text;
}

static void quarter_rows_join_month_rows(void **state)
{
    (void)state;
    recorder *r = make(PERIOD_MONTH);
    char *text = series_of(r);
    const char *june = "s,1,90,2025-06-30,North,voids,2\n"
                       "s,1,90,2025-06-30,ALL,voids,2\n"
                       "s,1,90,2025-06-30,ALL,rate,0.6\n"
                       "s,1,90,2025-06-30,ALL,size,5\n"
                       "s,1,121,2025-07-31,North,voids,2\n";
    assert_non_null(strstr(text, june));
    assert_non_null(
        strstr(text, "s,1,182,2025-09-30,ALL,rate,0.25\ns,1,182,2025-09-30,ALL,size,4\n"));
    assert_null(strstr(text, "2025-05-31,ALL,rate"));
    free(text);

    double num, den;
    assert_int_equal(recorder_run_sums(r, 1, &num, &den), 0);
    assert_float_equal(num, 4, 0);
    assert_float_equal(den, 9, 0);
    assert_float_equal(recorder_run_value(r, 1), 4.0 / 9.0, 1e-15);
    assert_float_equal(recorder_run_value(r, 2), 9, 0);
    recorder_destroy(r);
}

static void quarter_rows_stand_alone_between_years(void **state)
{
    (void)state;
    recorder *r = make(PERIOD_YEAR); /* periods end 2025-09-30 (clipped) only */
    char *text = series_of(r);
    const char *expected = "scenario,replication,tick,date,area,metric,value\n"
                           "s,1,90,2025-06-30,ALL,rate,0.6\n"
                           "s,1,90,2025-06-30,ALL,size,5\n"
                           "s,1,182,2025-09-30,North,voids,2\n"
                           "s,1,182,2025-09-30,ALL,voids,2\n"
                           "s,1,182,2025-09-30,ALL,rate,0.25\n"
                           "s,1,182,2025-09-30,ALL,size,4\n";
    assert_string_equal(text, expected);
    free(text);
    recorder_destroy(r);
}

static void misuse_is_refused(void **state)
{
    (void)state;
    recorder *r = make(PERIOD_MONTH);
    /* not a quarter end; a quarter twice; a non-quarterly metric */
    assert_int_equal(recorder_quarter(r, 1, date_from_civil(2025, 6, 29), 1, 1), -1);
    assert_int_equal(recorder_quarter(r, 1, date_from_civil(2025, 6, 30), 1, 1), -1);
    assert_int_equal(recorder_quarter(r, 0, date_from_civil(2025, 6, 30), 1, 1), -1);
    /* outside the written days: ignored, not an error */
    assert_int_equal(recorder_quarter(r, 1, date_from_civil(2026, 3, 31), 1, 1), 0);
    assert_int_equal(recorder_n_quarters(r, 1), 2);
    recorder_destroy(r);

    const char *names[] = { "North" };
    recorder *bad = recorder_create(names, 1, 0, 10, PERIOD_MONTH);
    const metric_spec per_area[] = {
        { .name = "rate", .kind = METRIC_EVENT_MEAN, .unit = "", .doc = "", .quarterly = 1 }
    };
    const metric_spec median[] = { METRIC_QUARTERLY_ROW("m", METRIC_EVENT_MEDIAN, "", "") };
    assert_int_equal(recorder_declare(bad, per_area, 1), -1);
    assert_int_equal(recorder_declare(bad, median, 1), -1);
    recorder_destroy(bad);
}

/* ---- the re-offending model's rows in a run ---- */

/* One area of 100,000 residents (about 1,900 tracked offenders), a year of
 * warm-up, then 1 April 2025 … 31 March 2029; `block` adds to reoffending. */
static void run_model(test_run *t, const char *block)
{
    static const char head[] = "start = \"2025-04-01\";\nyears = 4;\nwarmup_years = 1;\n"
                               "areas = ( { name = \"Town\"; population = 100000; "
                               "dwellings = 200000; social_dwellings = 1000; "
                               "deprivation = 0.5; } );\n"
                               "reoffending = { p_release_social_let = 0.0; %s };\n";
    char text[1024];
    snprintf(text, sizeof text, head, block);
    static const model_def *const models[] = { &reoffending_model };
    test_run_load(t, text, models, 1, NULL, 0);
    test_run_reps(t, 1, 11, 1);
}

/* The i-th quarter row of a metric. */
static double row(const recorder *rec, int metric, size_t i, int64_t *last_day)
{
    double value;
    recorder_quarter_row(rec, metric, i, last_day, &value);
    return value;
}

static int metric_of(const recorder *rec, const char *name)
{
    int m = recorder_find(rec, name);
    assert_true(m >= 0);
    return m;
}

/* The 4-year run writes k-year rows for the quarters whose last day +
 * k years + 6 months (less a day) is by 31 March 2029: from 2025 Q2 (the
 * first written) to 2027 Q3 for k = 1 (30 September 2027 → 29 March 2029;
 * 31 December 2027 → 29 June 2029 is too late), the same quarters as every
 * 12-month rate; to 2026 Q3 for k = 2; 2025 Q2 and Q3 for k = 3; none for
 * k = 4 … 9. A quarter's share can only grow with k (same people, wider
 * windows). */
static void long_run_rows_for_the_right_quarters(void **state)
{
    (void)state;
    test_run t;
    run_model(&t, "");
    const recorder *rec = t.results[0].rec;
    static const size_t quarters[COHORT_LONGRUN_YEARS] = { 10, 6, 2, 0, 0, 0, 0, 0, 0 };
    static const int last[3][3] = { { 2027, 9, 30 }, { 2026, 9, 30 }, { 2025, 9, 30 } };
    int within[COHORT_LONGRUN_YEARS];
    for (int k = 1; k <= COHORT_LONGRUN_YEARS; k++) {
        char name[64];
        snprintf(name, sizeof name, "reoffended_within_%dy_custody", k);
        within[k - 1] = metric_of(rec, name);
        assert_int_equal(recorder_n_quarters(rec, within[k - 1]), quarters[k - 1]);
        if (quarters[k - 1] == 0) continue;
        int64_t day;
        row(rec, within[k - 1], 0, &day);
        assert_int_equal(day, date_from_civil(2025, 6, 30));
        row(rec, within[k - 1], quarters[k - 1] - 1, &day);
        assert_int_equal(day, date_from_civil(last[k - 1][0], last[k - 1][1], last[k - 1][2]));
    }
    int all = metric_of(rec, "reoffending_rate_12m_all");
    assert_int_equal(recorder_n_quarters(rec, all), quarters[0]);
    for (int k = 1; k < 3; k++) {
        for (size_t q = 0; q < quarters[k]; q++) {
            int64_t day_k, day_1;
            double share_1 = row(rec, within[k - 1], q, &day_1);
            double share_k = row(rec, within[k], q, &day_k);
            assert_int_equal(day_k, day_1);
            assert_true(share_1 > 0 && share_k >= share_1 && share_k < 1);
        }
    }
    test_run_free(&t);
}

/* Every index event is in exactly one band of previous offences, so the
 * bands' sizes sum to cohort_size_all in every quarter (and each band is
 * used, so the check is not empty). The released cohorts are the index
 * events that are releases, so their sizes sum to at most
 * cohort_size_custody_or_order; over the quarters, to at most the long-run
 * measure's denominator for k = 1 (the same quarters), which counts every
 * person's first release of the quarter, index event or not (a release
 * after a fine in the same quarter is not an index event). */
static void cohort_sizes_add_up(void **state)
{
    (void)state;
    test_run t;
    run_model(&t, "");
    const recorder *rec = t.results[0].rec;
    static const char *const bands[] = { "0", "1_2", "3_6", "7_10", "11plus" };
    static const char *const places[] = { "settled", "temporary", "homeless" };
    int all = metric_of(rec, "cohort_size_all");
    int custody_or_order = metric_of(rec, "cohort_size_custody_or_order");
    size_t n = recorder_n_quarters(rec, all);
    assert_int_equal(n, 10);
    double band_total[5] = { 0 }, released_total = 0;
    for (size_t q = 0; q < n; q++) {
        int64_t day, other;
        double size = row(rec, all, q, &day), sum = 0, released = 0;
        for (size_t b = 0; b < 5; b++) {
            char name[64];
            snprintf(name, sizeof name, "cohort_size_prev_%s", bands[b]);
            double v = row(rec, metric_of(rec, name), q, &other);
            assert_int_equal(other, day);
            sum += v;
            band_total[b] += v;
        }
        assert_true(sum == size);
        for (size_t a = 0; a < 3; a++) {
            char name[64];
            snprintf(name, sizeof name, "cohort_size_released_%s", places[a]);
            released += row(rec, metric_of(rec, name), q, &other);
        }
        assert_true(released > 0 && released <= row(rec, custody_or_order, q, &other));
        released_total += released;
    }
    for (size_t b = 0; b < 5; b++) assert_true(band_total[b] > 0);
    double num, den;
    assert_int_equal(
        recorder_run_sums(rec, metric_of(rec, "reoffended_within_1y_custody"), &num, &den), 0);
    printf("# released index events %.0f, first releases %.0f; by band %.0f %.0f %.0f %.0f %.0f\n",
           released_total, den, band_total[0], band_total[1], band_total[2], band_total[3],
           band_total[4]);
    assert_true(released_total <= den);
    test_run_free(&t);
}

/* When every sentence is custodial (p_long_custody = 1, long sentences of
 * half a year so that they end inside the run), every index event is a
 * release and a person's first index event of a quarter is their first
 * release of it: the released cohorts' sizes then sum to cohort_size_all
 * in every quarter, and over the quarters to the long-run measure's
 * denominator for k = 1 (Σ denominators of recorder_run_sums), exactly. */
static void released_sizes_are_the_first_releases(void **state)
{
    (void)state;
    test_run t;
    run_model(&t, "p_long_custody = 1.0; long_sentence = { median_years = 0.5; };");
    const recorder *rec = t.results[0].rec;
    static const char *const places[] = { "settled", "temporary", "homeless" };
    int all = metric_of(rec, "cohort_size_all");
    size_t n = recorder_n_quarters(rec, all);
    assert_int_equal(n, 10);
    double total = 0;
    for (size_t q = 0; q < n; q++) {
        int64_t day;
        double released = 0;
        for (size_t a = 0; a < 3; a++) {
            char name[64];
            snprintf(name, sizeof name, "cohort_size_released_%s", places[a]);
            released += row(rec, metric_of(rec, name), q, &day);
        }
        assert_true(released > 0);
        assert_true(released == row(rec, all, q, &day));
        total += released;
    }
    double num, den;
    assert_int_equal(
        recorder_run_sums(rec, metric_of(rec, "reoffended_within_1y_custody"), &num, &den), 0);
    printf("# released first-per-quarter %.0f, long-run denominator %.0f\n", total, den);
    assert_true(den == total);
    test_run_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quarter_rows_join_month_rows),
        cmocka_unit_test(quarter_rows_stand_alone_between_years),
        cmocka_unit_test(misuse_is_refused),
        cmocka_unit_test(long_run_rows_for_the_right_quarters),
        cmocka_unit_test(cohort_sizes_add_up),
        cmocka_unit_test(released_sizes_are_the_first_releases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
