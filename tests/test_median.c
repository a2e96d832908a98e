/* test_median.c — medians by selection (sim/median.c) against sorting. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "median.h"

static int nan_last(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    if (isnan(a) || isnan(b)) return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

static double median_by_sorting(const double *v, size_t n)
{
    if (n == 0) return NAN;
    double *c = malloc(n * sizeof *c);
    assert_non_null(c);
    memcpy(c, v, n * sizeof *c);
    qsort(c, n, sizeof *c, nan_last);
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 11;
}

static void same(double a, double b)
{
    if (isnan(a) || isnan(b)) {
        assert_true(isnan(a) && isnan(b));
    } else {
        assert_true(a == b);
    }
}

/* Random arrays of every small size and some large ones, of distinct
 * values, of a few repeated values (whole days), sorted, reversed and with
 * NaNs: the selection gives exactly the sorted median. */
static void matches_sorting(void **state)
{
    (void)state;
    uint64_t seed = 20261128u;
    double v[5000], copy[5000];
    for (int shape = 0; shape < 5; shape++) {
        for (size_t n = 0; n < 5000; n = n < 64 ? n + 1 : n * 3 / 2) {
            for (size_t i = 0; i < n; i++) {
                switch (shape) {
                case 0: v[i] = (double)next(&seed) / 9007199254740992.0 - 0.5; break;
                case 1: v[i] = (double)(next(&seed) % 7); break;
                case 2: v[i] = (double)i; break;
                case 3: v[i] = (double)(n - i) * 0.5; break;
                default: v[i] = next(&seed) % 5 == 0 ? NAN : (double)(next(&seed) % 30); break;
                }
            }
            memcpy(copy, v, n * sizeof *v);
            same(median_select(copy, n), median_by_sorting(v, n));
        }
    }
}

static void small_cases(void **state)
{
    (void)state;
    double none[1] = { 0 };
    assert_true(isnan(median_select(none, 0)));
    double one[] = { 4.5 };
    assert_true(median_select(one, 1) == 4.5);
    double two[] = { 9, 1 };
    assert_true(median_select(two, 2) == 5);
    double nan_two[] = { NAN, 3 };
    assert_true(isnan(median_select(nan_two, 2)));
    double nan_three[] = { NAN, 3, 1 };
    assert_true(median_select(nan_three, 3) == 3);
    double equal[] = { 2, 2, 2, 2 };
    assert_true(median_select(equal, 4) == 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_sorting),
        cmocka_unit_test(small_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
