/* test_draw.c — inversion samplers (sim/draw.c). */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "draw.h"
#include "rng.h"

/* The draw is the smallest k with P(X <= k) > u: checked against GSL's
 * Poisson CDF just below and above each P(X <= k), over means from tiny to
 * the inversion limit. */
static void test_poisson_is_the_quantile(void **state)
{
    (void)state;
    static const double means[] = { 1e-6, 0.01, 0.3, 1.0, 2.5, 9.0, 40.0, 99.0, 100.0 };
    for (size_t i = 0; i < sizeof means / sizeof means[0]; i++) {
        double mean = means[i];
        unsigned top = (unsigned)(mean + 12.0 * sqrt(mean) + 12.0);
        for (unsigned k = 0; k < top; k++) {
            double cdf = gsl_cdf_poisson_P(k, mean);
            if (cdf > 1.0 - 1e-9) break; /* too close to 1 for u below to mean anything */
            /* A margin inside the steps to k - 1 and k + 1, and far above
             * the summation's rounding (≈ k ulps of the cumulative). */
            double step = fmin(gsl_ran_poisson_pdf(k, mean), gsl_ran_poisson_pdf(k + 1, mean));
            double margin = 1e-3 * step;
            if (margin < 1e-12 * cdf) continue;
            assert_int_equal(draw_poisson_inversion(mean, cdf - margin), k);
            assert_int_equal(draw_poisson_inversion(mean, cdf + margin), k + 1);
        }
        assert_int_equal(draw_poisson_inversion(mean, 0.0), 0u + (exp(-mean) <= 0.0));
    }
    assert_int_equal(draw_poisson_inversion(0.0, 0.7), 0);
    assert_int_equal(draw_poisson_inversion(NAN, 0.7), 0);
}

/* Monotone in u and in the mean: what common random numbers rely on. */
static void test_poisson_is_monotone(void **state)
{
    (void)state;
    for (double mean = 0.05; mean < 100.0; mean *= 1.7) {
        unsigned last = 0;
        for (int j = 0; j < 2000; j++) {
            double u = (j + 0.5) / 2000.0;
            unsigned k = draw_poisson_inversion(mean, u);
            assert_true(k >= last);
            assert_true(draw_poisson_inversion(mean * 1.01, u) >= k);
            last = k;
        }
    }
    /* A u at the very top ends at the walk's cap, never runs away. */
    unsigned k = draw_poisson_inversion(50.0, nextafter(1.0, 0.0));
    assert_true(k > 80 && k <= (unsigned)(50.0 + 40.0 * sqrt(50.0) + 40.0));
}

/* Large means are summed from parts; the sum's mean and variance match the
 * Poisson's. 40,000 draws at mean 350 (4 parts): the sample mean's standard
 * error is sqrt(350 / 40000) = 0.094, so 5 se = 0.47; the sample variance's
 * is about 350 * sqrt(2 / 40000) = 2.5 (plus a small excess-kurtosis term),
 * so 5 se ≈ 12.5. Fixed seed. */
static void test_poisson_parts(void **state)
{
    (void)state;
    assert_int_equal(draw_poisson_parts(0.0), 1);
    assert_int_equal(draw_poisson_parts(DRAW_POISSON_INVERSION_MAX), 1);
    assert_int_equal(draw_poisson_parts(DRAW_POISSON_INVERSION_MAX * 1.0001), 2);
    double mean = 350.0;
    unsigned parts = draw_poisson_parts(mean);
    assert_int_equal(parts, 4);
    const int n = 40000;
    double sum = 0.0, sum_sq = 0.0;
    stream_id id = { .model = 9, .purpose = 1, .agent = 2, .ordinal = 3 };
    for (int i = 0; i < n; i++) {
        uint32_t out[4];
        rng_stream_block(20261128u, id, (uint32_t)i, out);
        unsigned x = 0;
        for (unsigned p = 0; p < parts; p++) {
            x += draw_poisson_inversion(mean / parts, rng_open_unit_from_u32(out[p]));
        }
        sum += x;
        sum_sq += (double)x * x;
    }
    double m = sum / n, var = (sum_sq - n * m * m) / (n - 1);
    assert_true(fabs(m - mean) < 0.47);
    assert_true(fabs(var - mean) < 12.5);
}

static void test_category(void **state)
{
    (void)state;
    double w[] = { 0.0, 1.0, 0.0, 3.0, 0.0 };
    assert_int_equal(draw_category(w, 5, 4.0, 0.0), 1);
    assert_int_equal(draw_category(w, 5, 4.0, 0.2499), 1);
    assert_int_equal(draw_category(w, 5, 4.0, 0.2501), 3);
    assert_int_equal(draw_category(w, 5, 4.0, 0.9999999), 3);
    /* u * total rounding past the sum lands on the last weighted category,
     * never on a trailing zero weight. */
    assert_int_equal(draw_category(w, 5, 4.0, 1.0), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poisson_is_the_quantile),
        cmocka_unit_test(test_poisson_is_monotone),
        cmocka_unit_test(test_poisson_parts),
        cmocka_unit_test(test_category),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
