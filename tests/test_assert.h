/* test_assert.h — assertions that say what failed, beside cmocka's own.
 * Include after cmocka.h (test_support.h includes it). */
#ifndef PLACESIM_TEST_ASSERT_H
#define PLACESIM_TEST_ASSERT_H

/* Range assertions that print the expression, its value and the bounds
 * when they fail (assert_true(lo <= x && x <= hi) prints only the
 * expression's text). x, lo and hi are taken as doubles (integers are
 * exact up to 2^53); a NaN fails:
 *   assert_in_range_double(x, lo, hi)            lo <= x <= hi
 *   assert_in_open_range_double(x, lo, hi)       lo <  x <  hi
 *   assert_in_half_open_range_double(x, lo, hi)  lo <= x <  hi */
#define assert_in_range_double(x, lo, hi)                                                          \
    test_assert_in_range((double)(x), (double)(lo), 0, (double)(hi), 0, #x, __FILE__, __LINE__)
#define assert_in_open_range_double(x, lo, hi)                                                     \
    test_assert_in_range((double)(x), (double)(lo), 1, (double)(hi), 1, #x, __FILE__, __LINE__)
#define assert_in_half_open_range_double(x, lo, hi)                                                \
    test_assert_in_range((double)(x), (double)(lo), 0, (double)(hi), 1, #x, __FILE__, __LINE__)

static inline void test_assert_in_range(double x, double lo, int lo_open, double hi, int hi_open,
                                        const char *expr, const char *file, int line)
{
    int above = lo_open ? x > lo : x >= lo, below = hi_open ? x < hi : x <= hi;
    if (above && below) return;
    print_error("%s is %.17g, not in %c%.17g, %.17g%c\n", expr, x, lo_open ? '(' : '[', lo, hi,
                hi_open ? ')' : ']');
    _fail(file, line);
}

#endif
