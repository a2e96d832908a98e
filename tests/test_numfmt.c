/* test_numfmt.c — the fast number formatters write exactly what printf
 * writes (numfmt.h), over millions of values: random bit patterns, values
 * of every decimal scale from 1e-6 to 1e12, integers, values a rounding
 * step either side of a tie, halves, negatives, zeros, huge, tiny,
 * subnormal and non-finite ones; and the output values (output.h) keep
 * their format for money, counts and the rest. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "numfmt.h"
#include "output.h"

/* splitmix64: a fixed sequence, so a failure repeats. */
static uint64_t next_bits(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s) { return (double)(next_bits(s) >> 11) * 0x1.0p-53; }

static long checked;

static void check_g10(double v)
{
    char want[NUMFMT_MAX], got[NUMFMT_MAX];
    int n = snprintf(want, sizeof want, "%.10g", v);
    size_t len = numfmt_g10(got, v);
    if (strcmp(want, got) != 0 || (size_t)n != len)
        fail_msg("%%.10g of %a: printf \"%s\", numfmt \"%s\" (%zu)", v, want, got, len);
    checked++;
}

static void check_f0(double v)
{
    char want[NUMFMT_MAX], got[NUMFMT_MAX];
    int n = snprintf(want, sizeof want, "%.0f", v);
    size_t len = numfmt_f0(got, v);
    if (strcmp(want, got) != 0 || (size_t)n != len)
        fail_msg("%%.0f of %a: printf \"%s\", numfmt \"%s\"", v, want, got);
}

/* v and its neighbours, both signs. */
static void check_around(double v)
{
    double near[3] = { nextafter(v, -INFINITY), v, nextafter(v, INFINITY) };
    for (int i = 0; i < 3; i++) {
        check_g10(near[i]);
        check_g10(-near[i]);
    }
}

static void g10_special_values(void **state)
{
    (void)state;
    static const double values[] = {
        0.0,
        1.0,
        0.5,
        0.1,
        1e-4,
        1e-5,
        9.9999999995e-5,
        1e10,
        1e9,
        9999999999.0,
        9999999999.5,
        1e15,
        1e300,
        1e-300,
        5e-324,
        2.2250738585072014e-308,
        1.7976931348623157e308,
        0.3,
        2.5,
        12345.678905,
        1.0000000005,
        0.00012345678905,
        123456789.05,
        4294967296.0,
        2.675,
        1e16,
        -0.0,
    };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) check_around(values[i]);
    check_g10(NAN);
    check_g10(-NAN);
    check_g10(INFINITY);
    check_g10(-INFINITY);
}

static void g10_random_values(void **state)
{
    (void)state;
    uint64_t s = 12;
    checked = 0;
    /* Any bit pattern: mostly huge or tiny exponents, some NaNs. */
    for (int i = 0; i < 200000; i++) {
        uint64_t bits = next_bits(&s);
        double v;
        memcpy(&v, &bits, sizeof v);
        check_g10(v);
    }
    /* Every decimal scale the outputs use and beyond, uniformly in log. */
    for (int i = 0; i < 1000000; i++) {
        double v = pow(10.0, -7 + 20 * uniform(&s));
        check_g10(i % 2 ? -v : v);
    }
    /* Ratios and means of small counts: a / b. */
    for (int i = 0; i < 300000; i++) {
        double a = floor(uniform(&s) * 100000), b = 1 + floor(uniform(&s) * 1000);
        check_g10(a / b);
        check_g10(-a / b);
    }
    /* Whole numbers of every size up to 2^53, and halves. */
    for (int i = 0; i < 300000; i++) {
        double v = floor(pow(2.0, 53 * uniform(&s)));
        check_g10(v);
        check_g10(v + 0.5);
        check_g10(-v);
    }
    /* Ties at the tenth digit: d.ddddddddd5 x 10^k, and a step either side. */
    for (int i = 0; i < 300000; i++) {
        double digits = 1e9 + floor(uniform(&s) * 9e9);
        int k = -14 + (int)(uniform(&s) * 24);
        check_around((digits + 0.5) * pow(10.0, k));
    }
    printf("# %ld values compared with printf's %%.10g\n", checked);
}

static void f0_and_integers(void **state)
{
    (void)state;
    uint64_t s = 7;
    static const double values[] = { 0.0, -0.0, 1.0, -1.0, 9.2e18, -9.2e18, 9.3e18,   1e300,
                                     0.5, 1.5,  2.5, -2.5, 1e-300, NAN,     INFINITY, -INFINITY };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) check_f0(values[i]);
    for (int i = 0; i < 300000; i++) {
        double v = floor(pow(2.0, 70 * uniform(&s)));
        check_f0(v);
        check_f0(-v);
        check_f0(v + 0.25);
    }
    char want[32], got[32];
    static const int64_t ints[] = { 0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN, 1234567890123 };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        snprintf(want, sizeof want, "%" PRId64, ints[i]);
        assert_int_equal(numfmt_i64(got, ints[i]), strlen(want));
        assert_string_equal(got, want);
    }
    snprintf(want, sizeof want, "%" PRIu64, UINT64_MAX);
    assert_int_equal(numfmt_u64(got, UINT64_MAX), strlen(want));
    assert_string_equal(got, want);
}

/* The value column as before the fast path: money from whole pence with
 * two decimals, whole counts as integers, others %.10g, NA, no "-0". */
static void output_values_keep_their_format(void **state)
{
    (void)state;
    static const metric_spec money = { .name = "m", .kind = METRIC_MONEY, .unit = "GBP" };
    static const metric_spec count = { .name = "c", .kind = METRIC_COUNT, .unit = "cases" };
    static const metric_spec level = { .name = "l",
                                       .kind = METRIC_LEVEL_MEAN,
                                       .unit = "dwellings" };
    static const struct {
        const metric_spec *spec;
        double kept;
        const char *text;
    } cases[] = {
        { &money, 12345, "123.45" },
        { &money, -5, "-0.05" },
        { &money, -0.0, "0.00" },
        { &money, 100, "1.00" },
        { &money, 12.5, "0.12" },
        { &money, -0.4, "0.00" },
        { &count, 42, "42" },
        { &count, -0.0, "0" },
        { &count, 2.5, "2.5" },
        { &count, 1e20, "100000000000000000000" },
        { &level, 0.1, "0.1" },
        { &level, -1e-13, "-1e-13" },
        { &level, 1.0 / 3, "0.3333333333" },
        { &level, NAN, "NA" },
        { &level, -0.0, "0" },
        { &level, 1e10, "1e+10" },
    };
    assert_true(metric_is_money(&money));
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[OUTPUT_VALUE_MAX];
        size_t n = output_format_value(buf, cases[i].spec, cases[i].kept);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(g10_special_values),
        cmocka_unit_test(g10_random_values),
        cmocka_unit_test(f0_and_integers),
        cmocka_unit_test(output_values_keep_their_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
