/* test_sobol.c — the Sobol estimators (sobol.c) against analytic indices,
 * without the simulator: the Ishigami function, a purely additive function
 * (S = ST) and one with a parameter without effect (S = ST = 0 exactly), on
 * the Saltelli design the sweeps use (sweep.h, sweep_design_build:
 * gsl_qrng_sobol in 2k dimensions, its first point skipped; A from the first
 * k coordinates, B from the last k, AB^(j) = A with column j from B); and
 * the intervals' coverage over independent designs.
 *
 * Tolerance: each estimate must lie within 4 standard errors of the analytic
 * value, the standard error taken from the bootstrap, se = (width of the 95%
 * percentile interval) / (2 x 1.96). The bootstrap treats base samples as
 * independent draws, so for the quasi-random design it overstates the error
 * (quasi-random integration converges faster than 1/sqrt(N)); the same test
 * on a plain Monte Carlo design (independent uniforms), where the bootstrap
 * standard error is the right scale, keeps the bound honest. The errors
 * measured are printed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include "sobol.h"
#include "test_assert.h"

/* pi to double precision (M_PI is not in strict C11). */
static const double PI = 3.14159265358979323846;

typedef double (*model_fn)(const double *x);

/* The model's outputs on a Saltelli design of n base samples in k
 * dimensions, each parameter uniform on [lo, hi]: quasi-random (Sobol,
 * 2k dimensions) or, with mc_seed != 0, independent uniforms. */
typedef struct design {
    size_t n, k;
    double *fa, *fb, *fab;
} design;

static design make_design(size_t n, size_t k, double lo, double hi, model_fn f,
                          unsigned long mc_seed)
{
    design d = { n, k, malloc(n * sizeof(double)), malloc(n * sizeof(double)),
                 malloc(n * k * sizeof(double)) };
    assert_true(d.fa && d.fb && d.fab && 2 * k <= 40);
    gsl_qrng *q = mc_seed ? NULL : gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    gsl_rng *r = mc_seed ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    assert_true(q || r);
    if (r) gsl_rng_set(r, mc_seed);
    double u[40], a[20], b[20], ab[20];
    /* as sweep_design_build (sweep.h): the sequence's first point skipped */
    if (q) assert_int_equal(gsl_qrng_get(q, u), 0);
    for (size_t i = 0; i < n; i++) {
        if (q)
            assert_int_equal(gsl_qrng_get(q, u), 0);
        else
            for (size_t c = 0; c < 2 * k; c++) u[c] = gsl_rng_uniform(r);
        for (size_t j = 0; j < k; j++) {
            a[j] = lo + (hi - lo) * u[j];
            b[j] = lo + (hi - lo) * u[k + j];
        }
        d.fa[i] = f(a);
        d.fb[i] = f(b);
        for (size_t j = 0; j < k; j++) {
            memcpy(ab, a, k * sizeof *ab);
            ab[j] = b[j];
            d.fab[i * k + j] = f(ab);
        }
    }
    if (q) gsl_qrng_free(q);
    if (r) gsl_rng_free(r);
    return d;
}

static void free_design(design *d)
{
    free(d->fa);
    free(d->fb);
    free(d->fab);
}

static void estimate(const design *d, unsigned bootstrap, sobol_index *out)
{
    sobol_outputs o = { d->fa, d->fb, d->fab, d->n, d->k };
    char err[256] = "";
    if (sobol_estimate(&o, bootstrap, SOBOL_SEED_DEFAULT, out, NULL, err, sizeof err) != 0)
        fail_msg("sobol_estimate: %s", err);
}

/* |estimate - truth| < 4 se, se from the 95% interval; prints the figures. */
static void check_within(const char *what, double est, double low, double high, double truth)
{
    double se = (high - low) / (2.0 * 1.96), error = est - truth;
    printf("  %-10s %8.4f  analytic %6.4f  error %+8.5f  se %.5f  |error|/se %.2f\n", what, est,
           truth, error, se, se > 0 ? fabs(error) / se : 0.0);
    assert_in_range_double(est, low, high);
    if (!(fabs(error) < 4.0 * se))
        fail_msg("%s: %g is %g from %g, more than 4 se = %g", what, est, error, truth, 4.0 * se);
}

/* Ishigami, a = 7, b = 0.1, x_i ~ U(-pi, pi). */
static double ishigami(const double *x)
{
    return sin(x[0]) + 7.0 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

/* The analytic indices (Ishigami and Homma 1990; Saltelli et al. 2008 §
 * 4.4): V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2,
 * V2 = a^2/8, V3 = 0, V13 = b^2 pi^8 (1/18 - 1/50). */
static void ishigami_truth(double s1[3], double st[3])
{
    double a = 7.0, b = 0.1, pi4 = pow(PI, 4), pi8 = pow(PI, 8);
    double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8,
           v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0.0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
}

static void check_ishigami(unsigned long mc_seed)
{
    double s1[3], st[3];
    ishigami_truth(s1, st);
    /* The rounded figures, so that a wrong formula above shows. */
    const double quoted_s1[3] = { 0.314, 0.442, 0.0 }, quoted_st[3] = { 0.558, 0.442, 0.244 };
    for (int j = 0; j < 3; j++) {
        assert_true(fabs(s1[j] - quoted_s1[j]) < 0.0006);
        assert_true(fabs(st[j] - quoted_st[j]) < 0.0006);
    }
    design d = make_design(8192, 3, -PI, PI, ishigami, mc_seed);
    sobol_index out[3];
    estimate(&d, SOBOL_BOOTSTRAP_DEFAULT, out);
    printf("Ishigami, N = 8192, %s design, %d bootstrap resamples:\n",
           mc_seed ? "Monte Carlo" : "Sobol quasi-random", SOBOL_BOOTSTRAP_DEFAULT);
    const char *names_s1[3] = { "S1", "S2", "S3" }, *names_st[3] = { "ST1", "ST2", "ST3" };
    for (int j = 0; j < 3; j++) {
        check_within(names_s1[j], out[j].s1, out[j].s1_low, out[j].s1_high, s1[j]);
        check_within(names_st[j], out[j].st, out[j].st_low, out[j].st_high, st[j]);
    }
    free_design(&d);
}

static void test_ishigami_quasi_random(void **state)
{
    (void)state;
    check_ishigami(0);
}

static void test_ishigami_monte_carlo(void **state)
{
    (void)state;
    check_ishigami(20260101);
}

/* f = x1 + 2 x2 + 3 x3 on [0, 1]^3: V_j proportional to 1, 4, 9 and no
 * interactions, so S_j = ST_j = (1, 4, 9) / 14. */
static double additive(const double *x) { return x[0] + 2.0 * x[1] + 3.0 * x[2]; }

static void test_additive(void **state)
{
    (void)state;
    design d = make_design(4096, 3, 0.0, 1.0, additive, 0);
    sobol_index out[3];
    estimate(&d, SOBOL_BOOTSTRAP_DEFAULT, out);
    const double weights[3] = { 1.0, 4.0, 9.0 };
    printf("additive, N = 4096:\n");
    for (int j = 0; j < 3; j++) {
        char name[16];
        snprintf(name, sizeof name, "S%d", j + 1);
        check_within(name, out[j].s1, out[j].s1_low, out[j].s1_high, weights[j] / 14.0);
        snprintf(name, sizeof name, "ST%d", j + 1);
        check_within(name, out[j].st, out[j].st_low, out[j].st_high, weights[j] / 14.0);
    }
    free_design(&d);
}

/* f = x1 + x2^2 (x3 unused): AB^(3) evaluates f at A's values of x1 and x2,
 * so f(AB_i^3) = f(A_i) exactly and both estimators give exactly 0, their
 * intervals too. */
static double third_unused(const double *x) { return x[0] + x[1] * x[1]; }

static void test_no_effect(void **state)
{
    (void)state;
    design d = make_design(1024, 3, 0.0, 1.0, third_unused, 0);
    sobol_index out[3];
    estimate(&d, 200, out);
    assert_true(out[2].s1 == 0.0 && out[2].s1_low == 0.0 && out[2].s1_high == 0.0);
    assert_true(out[2].st == 0.0 && out[2].st_low == 0.0 && out[2].st_high == 0.0);
    /* the other two do matter: Var(x1) = 1/12, Var(x2^2) = 4/45 */
    double v = 1.0 / 12 + 4.0 / 45;
    check_within("S1", out[0].s1, out[0].s1_low, out[0].s1_high, 1.0 / 12 / v);
    check_within("S2", out[1].s1, out[1].s1_low, out[1].s1_high, 4.0 / 45 / v);
    free_design(&d);
}

/* The intervals are reproducible from the seed, and another seed moves them. */
static void test_bootstrap_seeded(void **state)
{
    (void)state;
    design d = make_design(512, 3, -PI, PI, ishigami, 0);
    sobol_outputs o = { d.fa, d.fb, d.fab, d.n, d.k };
    sobol_index x[3], y[3], z[3];
    char err[256];
    assert_int_equal(sobol_estimate(&o, 300, 7, x, NULL, err, sizeof err), 0);
    assert_int_equal(sobol_estimate(&o, 300, 7, y, NULL, err, sizeof err), 0);
    assert_int_equal(sobol_estimate(&o, 300, 8, z, NULL, err, sizeof err), 0);
    assert_memory_equal(x, y, sizeof x);
    assert_true(x[0].s1 == z[0].s1 && x[0].s1_low != z[0].s1_low);
    /* no bootstrap: estimates alone, NaN bounds */
    assert_int_equal(sobol_estimate(&o, 0, 7, z, NULL, err, sizeof err), 0);
    assert_true(z[1].st == x[1].st && isnan(z[1].st_low) && isnan(z[1].st_high));
    free_design(&d);
}

/* What the intervals mean: over independent Monte Carlo designs, the 95%
 * percentile interval holds the analytic index in 95% of them. 400 designs
 * of N = 256 (400 resamples each); each index's coverage must lie within 4
 * binomial standard errors of 0.95, sqrt(0.95 x 0.05 / 400) = 0.0109, so in
 * [0.906, 0.994]. */
static void test_interval_coverage(void **state)
{
    (void)state;
    enum { DESIGNS = 400 };
    double s1[3], st[3];
    ishigami_truth(s1, st);
    unsigned hits_s1[3] = { 0 }, hits_st[3] = { 0 };
    for (unsigned t = 0; t < DESIGNS; t++) {
        design d = make_design(256, 3, -PI, PI, ishigami, 1000 + t);
        sobol_outputs o = { d.fa, d.fb, d.fab, d.n, d.k };
        sobol_index out[3];
        char err[256];
        assert_int_equal(sobol_estimate(&o, 400, t + 1, out, NULL, err, sizeof err), 0);
        for (int j = 0; j < 3; j++) {
            hits_s1[j] += out[j].s1_low <= s1[j] && s1[j] <= out[j].s1_high;
            hits_st[j] += out[j].st_low <= st[j] && st[j] <= out[j].st_high;
        }
        free_design(&d);
    }
    double half = 4.0 * sqrt(0.95 * 0.05 / DESIGNS);
    for (int j = 0; j < 3; j++) {
        double c1 = (double)hits_s1[j] / DESIGNS, ct = (double)hits_st[j] / DESIGNS;
        printf("  coverage S%d %.3f  ST%d %.3f  (accepted %.3f to %.3f)\n", j + 1, c1, j + 1, ct,
               0.95 - half, 0.95 + half);
        assert_true(fabs(c1 - 0.95) < half);
        assert_true(fabs(ct - 0.95) < half);
    }
}

/* Undefined indices are refused, not printed as NaN. */
static void test_refusals(void **state)
{
    (void)state;
    double fa[4] = { 2, 2, 2, 2 }, fb[4] = { 2, 2, 2, 2 }, fab[4] = { 1, 2, 3, 4 };
    sobol_outputs o = { fa, fb, fab, 4, 1 };
    sobol_index out[1] = { { 9, 9, 9, 9, 9, 9 } };
    char err[256] = "";
    assert_int_equal(sobol_estimate(&o, 10, 1, out, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "variance is zero"));
    assert_true(out[0].s1 == 9); /* untouched */
    fb[1] = NAN;
    assert_int_equal(sobol_estimate(&o, 10, 1, out, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a finite number"));
    o.n = 1;
    assert_int_equal(sobol_estimate(&o, 10, 1, out, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "at least 2 base samples"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ishigami_quasi_random),
        cmocka_unit_test(test_ishigami_monte_carlo),
        cmocka_unit_test(test_additive),
        cmocka_unit_test(test_no_effect),
        cmocka_unit_test(test_bootstrap_seeded),
        cmocka_unit_test(test_interval_coverage),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
