/* test_dates.c — civil dates, financial years and period ends. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dates.h"
#include "test_assert.h"

static int64_t ymd(int y, int m, int d) { return date_from_civil(y, m, d); }

static int test_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Known day numbers, checked against Python's datetime.date. */
static void test_known_dates(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        int64_t n;
        int wd;
    } known[] = {
        { 1970, 1, 1, 0, 3 },        { 1969, 12, 31, -1, 2 },      { 2000, 2, 29, 11016, 1 },
        { 2000, 3, 1, 11017, 2 },    { 1900, 2, 28, -25509, 2 },   { 1900, 3, 1, -25508, 3 },
        { 1600, 2, 29, -135081, 1 }, { 2024, 2, 29, 19782, 3 },    { 2025, 4, 1, 20179, 1 },
        { 2026, 3, 31, 20543, 1 },   { 9999, 12, 31, 2932896, 4 }, { 1, 1, 1, -719162, 0 },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_int_equal(ymd(known[i].y, known[i].m, known[i].d), known[i].n);
        assert_int_equal(date_weekday(known[i].n), known[i].wd);
        int y, m, d;
        date_to_civil(known[i].n, &y, &m, &d);
        assert_int_equal(y, known[i].y);
        assert_int_equal(m, known[i].m);
        assert_int_equal(d, known[i].d);
    }
}

/* Every day over ~11,000 years: the round trip holds, and day n+1 is the
 * calendar successor of day n (an independent check of month lengths). */
static void test_round_trip_and_successor(void **state)
{
    (void)state;
    int py, pm, pd;
    date_to_civil(-2000000, &py, &pm, &pd);
    for (int64_t n = -2000000 + 1; n <= 2000000; n++) {
        int y, m, d;
        date_to_civil(n, &y, &m, &d);
        assert_int_equal(date_from_civil(y, m, d), n);
        int ey = py, em = pm, ed = pd + 1;
        static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int len = pm == 2 && test_is_leap(py) ? 29 : mdays[pm - 1];
        if (ed > len) {
            ed = 1;
            if (++em > 12) {
                em = 1;
                ey++;
            }
        }
        if (y != ey || m != em || d != ed)
            fail_msg("day %lld: %d-%d-%d, expected %d-%d-%d", (long long)n, y, m, d, ey, em, ed);
        assert_int_equal(date_weekday(n), (date_weekday(n - 1) + 1) % 7);
        py = y;
        pm = m;
        pd = d;
    }
}

static void test_leap_years(void **state)
{
    (void)state;
    int64_t n;
    assert_int_equal(date_parse("2000-02-29", &n), 0);
    assert_int_equal(date_parse("2024-02-29", &n), 0);
    assert_int_equal(date_parse("1600-02-29", &n), 0);
    n = 42;
    assert_int_equal(date_parse("1900-02-29", &n), -1);
    assert_int_equal(date_parse("2100-02-29", &n), -1);
    assert_int_equal(date_parse("2023-02-29", &n), -1);
    assert_int_equal(n, 42);
    assert_int_equal(ymd(2024, 3, 1) - ymd(2024, 2, 28), 2);
    assert_int_equal(ymd(2023, 3, 1) - ymd(2023, 2, 28), 1);
    assert_int_equal(ymd(2001, 1, 1) - ymd(2000, 1, 1), 366);
    assert_int_equal(ymd(1901, 1, 1) - ymd(1900, 1, 1), 365);
}

static void test_parse_valid_and_format(void **state)
{
    (void)state;
    static const char *const good[] = { "1970-01-01", "2025-04-01", "2026-03-31", "0001-01-01",
                                        "9999-12-31", "2000-02-29", "1999-12-31", "2024-11-30" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t n = -12345;
        assert_int_equal(date_parse(good[i], &n), 0);
        char buf[11];
        memset(buf, 'x', sizeof buf);
        date_format(n, buf);
        assert_string_equal(buf, good[i]);
    }
    int64_t n;
    assert_int_equal(date_parse("2025-04-01", &n), 0);
    assert_int_equal(n, 20179);
    /* Years beyond 9999 do not fit the fixed form: a sentinel that never parses. */
    char buf[11];
    date_format(ymd(10000, 1, 1), buf);
    assert_string_equal(buf, "####-##-##");
    assert_int_equal(date_parse(buf, &n), -1);
    assert_int_equal(n, 20179);
}

static void test_parse_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",           "2025-4-01",   "2025-04-1",   "25-04-01",
        "2025/04/01", "2025-04-01 ", " 2025-04-01", "2025-04-01T00",
        "2025-00-10", "2025-13-01",  "2025-04-00",  "2025-04-31",
        "2025-06-31", "2025-01-32",  "+025-04-01",  "-025-04-01",
        "2025-0a-01", "2025--4-01",  "20250401",    "2025-04-011",
        "2025-+4-01", "2025-04- 1",  "abcd-ef-gh",  "2025-02-30",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t n = 777;
        if (date_parse(bad[i], &n) != -1) fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(n, 777);
    }
    int64_t n = 777;
    assert_int_equal(date_parse(NULL, &n), -1);
    assert_int_equal(n, 777);
}

static void test_add_years(void **state)
{
    (void)state;
    assert_int_equal(date_add_years(ymd(2024, 2, 29), 1), ymd(2025, 2, 28));
    assert_int_equal(date_add_years(ymd(2024, 2, 29), -1), ymd(2023, 2, 28));
    assert_int_equal(date_add_years(ymd(2024, 2, 29), 4), ymd(2028, 2, 29));
    assert_int_equal(date_add_years(ymd(2024, 2, 29), -3), ymd(2021, 2, 28));
    assert_int_equal(date_add_years(ymd(2000, 2, 29), 100), ymd(2100, 2, 28));
    assert_int_equal(date_add_years(ymd(2000, 2, 29), -400), ymd(1600, 2, 29));
    assert_int_equal(date_add_years(ymd(2025, 4, 1), -3), ymd(2022, 4, 1));
    assert_int_equal(date_add_years(ymd(2023, 3, 1), 1), ymd(2024, 3, 1));
    assert_int_equal(date_add_years(ymd(2023, 12, 31), 0), ymd(2023, 12, 31));
}

static void test_financial_years(void **state)
{
    (void)state;
    assert_int_equal(date_financial_year(ymd(2025, 4, 1)), 2025);
    assert_int_equal(date_financial_year(ymd(2025, 3, 31)), 2024);
    assert_int_equal(date_financial_year(ymd(2026, 3, 31)), 2025);
    assert_int_equal(date_financial_year(ymd(2025, 12, 31)), 2025);
    assert_int_equal(date_financial_year(ymd(2026, 1, 1)), 2025);
    assert_int_equal(date_financial_year_start(2025), ymd(2025, 4, 1));
    for (int fy = 1990; fy < 2100; fy++) {
        int64_t s = date_financial_year_start(fy);
        assert_int_equal(date_financial_year(s), fy);
        assert_int_equal(date_financial_year(s - 1), fy - 1);
        assert_int_equal(period_last_day(PERIOD_FY, s), ymd(fy + 1, 3, 31));
        assert_int_equal(period_last_day(PERIOD_FY, s - 1), s - 1);
    }
}

static void test_period_names(void **state)
{
    (void)state;
    static const period_kind kinds[] = { PERIOD_DAY,     PERIOD_WEEK, PERIOD_MONTH,
                                         PERIOD_QUARTER, PERIOD_YEAR, PERIOD_FY };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        period_kind k = PERIOD_DAY;
        assert_int_equal(period_parse(period_name(kinds[i]), &k), 0);
        assert_int_equal(k, kinds[i]);
    }
    period_kind k = PERIOD_YEAR;
    assert_int_equal(period_parse("Month", &k), -1);
    assert_int_equal(period_parse("months", &k), -1);
    assert_int_equal(period_parse("", &k), -1);
    assert_int_equal(k, PERIOD_YEAR);
    assert_string_equal(period_name(PERIOD_FY), "fy");
    assert_string_equal(period_name(PERIOD_QUARTER), "quarter");
}

static void test_period_last_day(void **state)
{
    (void)state;
    assert_int_equal(period_last_day(PERIOD_DAY, ymd(2025, 5, 7)), ymd(2025, 5, 7));
    /* Months, Feb in leap and non-leap years and the century rules. */
    assert_int_equal(period_last_day(PERIOD_MONTH, ymd(2024, 2, 1)), ymd(2024, 2, 29));
    assert_int_equal(period_last_day(PERIOD_MONTH, ymd(2024, 2, 29)), ymd(2024, 2, 29));
    assert_int_equal(period_last_day(PERIOD_MONTH, ymd(2023, 2, 14)), ymd(2023, 2, 28));
    assert_int_equal(period_last_day(PERIOD_MONTH, ymd(1900, 2, 1)), ymd(1900, 2, 28));
    assert_int_equal(period_last_day(PERIOD_MONTH, ymd(2000, 2, 1)), ymd(2000, 2, 29));
    assert_int_equal(period_last_day(PERIOD_MONTH, ymd(2025, 4, 30)), ymd(2025, 4, 30));
    assert_int_equal(period_last_day(PERIOD_MONTH, ymd(2025, 12, 1)), ymd(2025, 12, 31));
    /* Weeks Monday-Sunday, crossing month and year ends. 2025-12-29 is a
     * Monday; its week ends on Sunday 2026-01-04. */
    assert_int_equal(date_weekday(ymd(2025, 12, 29)), 0);
    assert_int_equal(period_last_day(PERIOD_WEEK, ymd(2025, 12, 29)), ymd(2026, 1, 4));
    assert_int_equal(period_last_day(PERIOD_WEEK, ymd(2026, 1, 1)), ymd(2026, 1, 4));
    assert_int_equal(period_last_day(PERIOD_WEEK, ymd(2026, 1, 4)), ymd(2026, 1, 4));
    assert_int_equal(period_last_day(PERIOD_WEEK, ymd(2026, 1, 5)), ymd(2026, 1, 11));
    assert_int_equal(period_last_day(PERIOD_WEEK, ymd(2024, 2, 27)), ymd(2024, 3, 3));
    assert_int_equal(period_last_day(PERIOD_WEEK, ymd(1970, 1, 1)), ymd(1970, 1, 4));
    assert_int_equal(period_last_day(PERIOD_WEEK, ymd(1969, 12, 29)), ymd(1970, 1, 4));
    for (int64_t n = -1000; n < 1000; n++) {
        int64_t e = period_last_day(PERIOD_WEEK, n);
        assert_int_equal(date_weekday(e), 6);
        assert_in_range_double(e - n, 0, 6);
    }
    /* Quarters. */
    assert_int_equal(period_last_day(PERIOD_QUARTER, ymd(2024, 1, 1)), ymd(2024, 3, 31));
    assert_int_equal(period_last_day(PERIOD_QUARTER, ymd(2024, 3, 31)), ymd(2024, 3, 31));
    assert_int_equal(period_last_day(PERIOD_QUARTER, ymd(2024, 4, 1)), ymd(2024, 6, 30));
    assert_int_equal(period_last_day(PERIOD_QUARTER, ymd(2024, 8, 15)), ymd(2024, 9, 30));
    assert_int_equal(period_last_day(PERIOD_QUARTER, ymd(2024, 10, 1)), ymd(2024, 12, 31));
    /* Years and financial years. */
    assert_int_equal(period_last_day(PERIOD_YEAR, ymd(2024, 1, 1)), ymd(2024, 12, 31));
    assert_int_equal(period_last_day(PERIOD_YEAR, ymd(2024, 12, 31)), ymd(2024, 12, 31));
    assert_int_equal(period_last_day(PERIOD_FY, ymd(2025, 3, 31)), ymd(2025, 3, 31));
    assert_int_equal(period_last_day(PERIOD_FY, ymd(2025, 4, 1)), ymd(2026, 3, 31));
    assert_int_equal(period_last_day(PERIOD_FY, ymd(2026, 1, 15)), ymd(2026, 3, 31));
    /* Every period end is a fixed point, and the next day starts a new period. */
    static const period_kind kinds[] = { PERIOD_DAY,     PERIOD_WEEK, PERIOD_MONTH,
                                         PERIOD_QUARTER, PERIOD_YEAR, PERIOD_FY };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (int64_t n = ymd(1999, 1, 1); n < ymd(2031, 1, 1); n++) {
            int64_t e = period_last_day(kinds[k], n);
            assert_true(e >= n);
            assert_int_equal(period_last_day(kinds[k], e), e);
            assert_true(period_last_day(kinds[k], e + 1) > e);
            if (n < e) assert_int_equal(period_last_day(kinds[k], n + 1), e);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_dates),     cmocka_unit_test(test_round_trip_and_successor),
        cmocka_unit_test(test_leap_years),      cmocka_unit_test(test_parse_valid_and_format),
        cmocka_unit_test(test_parse_invalid),   cmocka_unit_test(test_add_years),
        cmocka_unit_test(test_financial_years), cmocka_unit_test(test_period_names),
        cmocka_unit_test(test_period_last_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
