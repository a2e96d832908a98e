/* test_cohort_rows.c — quarterly cohort metrics in the recorder and in
 * series.csv: one ALL row per quarter whatever the period, merged into the
 * period rows in (tick, area, declaration) order; pooled as ratios of sums. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "output.h"
#include "recorder.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quarter_rows_join_month_rows),
        cmocka_unit_test(quarter_rows_stand_alone_between_years),
        cmocka_unit_test(misuse_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
