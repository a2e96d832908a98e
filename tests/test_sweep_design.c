/* test_sweep_design.c — the designs of sweep_design.c on sweeps built in
 * memory (no scenario involved): grid order, Latin hypercube strata,
 * Saltelli layout and its limit, the distributions' mappings and ranges,
 * whole-number rounding, point seeds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "sweep.h"
#include "test_assert.h"

/* A sweep of k parameters, each uniform on [0, 1), with design d. */
static sweep *make(sweep_design_kind d, size_t k, size_t samples)
{
    sweep *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->path = strdup("memory.cfg");
    s->design = d;
    s->samples = samples;
    s->master_seed = 42;
    s->n_params = k;
    s->params = calloc(k, sizeof *s->params);
    assert_non_null(s->params);
    for (size_t j = 0; j < k; j++) {
        char key[32];
        snprintf(key, sizeof key, "p%zu", j);
        s->params[j].key = strdup(key);
        s->params[j].column = strdup(key);
        s->params[j].distribution = SWEEP_UNIFORM;
        s->params[j].min = 0;
        s->params[j].max = 1;
        s->params[j].mean = s->params[j].sd = NAN;
    }
    return s;
}

static void destroy(sweep *s)
{
    sweep_free(s);
    free(s);
}

static void build_ok(sweep *s)
{
    char err[256] = "";
    int status = sweep_design_build(s, err, sizeof err);
    if (status) fprintf(stderr, "%s\n", err);
    assert_int_equal(status, 0);
}

static void test_grid_order(void **state)
{
    (void)state;
    sweep *s = make(SWEEP_GRID, 3, 0);
    const size_t sizes[3] = { 2, 3, 4 };
    for (size_t j = 0; j < 3; j++) {
        s->params[j].distribution = SWEEP_VALUES;
        s->params[j].n_values = sizes[j];
        s->params[j].values = calloc(sizes[j], sizeof(double));
        for (size_t v = 0; v < sizes[j]; v++) s->params[j].values[v] = 10.0 * (double)j + (double)v;
    }
    build_ok(s);
    assert_int_equal(s->n_points, 24);
    /* Point i = (a, b, c) with i = (a * 3 + b) * 4 + c: the last the fastest. */
    for (size_t i = 0; i < 24; i++) {
        size_t a = i / 12, b = (i / 4) % 3, c = i % 4;
        assert_true(s->points[i * 3] == (double)a);
        assert_true(s->points[i * 3 + 1] == 10.0 + (double)b);
        assert_true(s->points[i * 3 + 2] == 20.0 + (double)c);
    }
    destroy(s);
}

/* In each dimension every one of the N strata holds exactly one point. */
static void test_lhs_strata(void **state)
{
    (void)state;
    const size_t n = 37, k = 5;
    sweep *s = make(SWEEP_LHS, k, n);
    /* Uniform on [0, N): stratum = floor(value). A normal dimension is
       checked through its truncated CDF. */
    for (size_t j = 0; j < k; j++) s->params[j].max = (double)n;
    sweep_parameter *normal = &s->params[4];
    normal->distribution = SWEEP_NORMAL;
    normal->mean = 10.0;
    normal->sd = 8.0;
    normal->min = 0.0;
    normal->max = 30.0;
    build_ok(s);
    assert_int_equal(s->n_points, n);
    double pa = gsl_cdf_gaussian_P(normal->min - normal->mean, normal->sd);
    double pb = gsl_cdf_gaussian_P(normal->max - normal->mean, normal->sd);
    for (size_t j = 0; j < k; j++) {
        int *hits = calloc(n, sizeof *hits);
        for (size_t i = 0; i < n; i++) {
            double v = s->points[i * k + j];
            double u = j == 4 ? (gsl_cdf_gaussian_P(v - normal->mean, normal->sd) - pa) / (pb - pa)
                              : v / (double)n;
            size_t stratum = (size_t)floor(u * (double)n);
            assert_true(stratum < n);
            hits[stratum]++;
        }
        for (size_t t = 0; t < n; t++) assert_int_equal(hits[t], 1);
        free(hits);
    }
    /* The same seed gives the same design; another seed another. */
    double *first = malloc(n * k * sizeof *first);
    memcpy(first, s->points, n * k * sizeof *first);
    build_ok(s);
    assert_memory_equal(first, s->points, n * k * sizeof *first);
    s->master_seed = 43;
    build_ok(s);
    assert_true(memcmp(first, s->points, n * k * sizeof *first) != 0);
    free(first);
    destroy(s);
}

/* Points A_i, B_i, AB_i^(0..k-1) per base sample; AB^(j) is A with column j
   from B; A and B differ. */
static void test_saltelli_layout(void **state)
{
    (void)state;
    const size_t n = 16, k = 3;
    sweep *s = make(SWEEP_SALTELLI, k, n);
    build_ok(s);
    assert_int_equal(s->n_points, n * (k + 2));
    for (size_t i = 0; i < n; i++) {
        size_t base = i * (k + 2);
        const double *a = &s->points[base * k], *b = &s->points[(base + 1) * k];
        assert_int_equal(s->saltelli_matrix[base], 'A');
        assert_int_equal(s->saltelli_matrix[base + 1], 'B');
        assert_int_equal(s->saltelli_column[base], -1);
        assert_int_equal(s->saltelli_column[base + 1], -1);
        int differs = 0;
        for (size_t j = 0; j < k; j++) {
            assert_in_half_open_range_double(a[j], 0, 1);
            assert_in_half_open_range_double(b[j], 0, 1);
            differs |= a[j] != b[j];
        }
        assert_true(differs);
        for (size_t c = 0; c < k; c++) {
            size_t p = base + 2 + c;
            assert_int_equal(s->saltelli_sample[p], i);
            assert_int_equal(s->saltelli_matrix[p], 'C');
            assert_int_equal(s->saltelli_column[p], (int)c);
            for (size_t j = 0; j < k; j++)
                assert_true(s->points[p * k + j] == (j == c ? b[j] : a[j]));
        }
        assert_int_equal(s->saltelli_sample[base], i);
    }
    /* Quasi-random: every column of A fills [0, 1) evenly; N = 16 points of
       a Sobol sequence from index 16 put exactly one in each 1/16. */
    for (size_t j = 0; j < 2 * k; j++) {
        int hits[16] = { 0 };
        for (size_t i = 0; i < n; i++) {
            size_t row = i * (k + 2) + (j < k ? 0 : 1);
            hits[(int)floor(s->points[row * k + j % k] * 16)]++;
        }
        for (int t = 0; t < 16; t++) assert_int_equal(hits[t], 1);
    }
    destroy(s);
}

static void test_saltelli_limit(void **state)
{
    (void)state;
    sweep *s = make(SWEEP_SALTELLI, 20, 4);
    build_ok(s);
    assert_int_equal(s->n_points, 4 * 22);
    destroy(s);
    s = make(SWEEP_SALTELLI, 21, 4);
    char err[256] = "";
    assert_int_equal(sweep_design_build(s, err, sizeof err), -1);
    assert_string_equal(err, "memory.cfg: a saltelli design takes at most 20 parameters; this "
                             "one has 21");
    assert_null(s->points);
    destroy(s);
}

/* The list design keeps its points; whole keys are rounded. */
static void test_list_points(void **state)
{
    (void)state;
    sweep *s = make(SWEEP_LIST, 2, 0);
    s->params[0].whole = 1;
    s->n_points = 2;
    s->points = malloc(4 * sizeof *s->points);
    const double given[] = { 3.0, 0.25, 7.0, 0.5 };
    memcpy(s->points, given, sizeof given);
    build_ok(s);
    assert_int_equal(s->n_points, 2);
    assert_memory_equal(s->points, given, sizeof given);
    char **items;
    size_t n;
    assert_int_equal(sweep_point_overrides(s, 1, &items, &n), 0);
    assert_string_equal(items[0], "p0=7");
    assert_string_equal(items[1], "p1=0.5");
    sweep_overrides_free(items, n);
    destroy(s);
}

static void test_distributions(void **state)
{
    (void)state;
    sweep_parameter p = {
        .distribution = SWEEP_UNIFORM, .min = 2, .max = 6, .mean = NAN, .sd = NAN
    };
    assert_true(sweep_parameter_value(&p, 0.0) == 2.0);
    assert_true(sweep_parameter_value(&p, 0.5) == 4.0);
    /* Log-uniform: the median is the geometric mean; always within range. */
    p.distribution = SWEEP_LOG_UNIFORM;
    p.min = 250;
    p.max = 450;
    assert_true(fabs(sweep_parameter_value(&p, 0.5) - sqrt(250.0 * 450.0)) < 1e-9);
    for (int i = 0; i < 1000; i++) {
        double v = sweep_parameter_value(&p, i / 1000.0);
        assert_in_range_double(v, 250, 450);
    }
    /* Truncated normal: within range, the CDF inverted on the truncated
       range (u = 0.5 is the truncated median), also far in a tail. */
    p.distribution = SWEEP_NORMAL;
    p.mean = 0.081;
    p.sd = 0.04;
    p.min = 0;
    p.max = 0.16;
    double prev = -1;
    for (int i = 0; i < 1000; i++) {
        double v = sweep_parameter_value(&p, i / 1000.0);
        assert_in_range_double(v, 0, 0.16);
        assert_true(v >= prev);
        prev = v;
    }
    double pa = gsl_cdf_gaussian_P(-0.081, 0.04), pb = gsl_cdf_gaussian_P(0.16 - 0.081, 0.04);
    double med = sweep_parameter_value(&p, 0.5);
    assert_true(fabs(gsl_cdf_gaussian_P(med - 0.081, 0.04) - (pa + pb) / 2) < 1e-12);
    p.mean = 0;
    p.sd = 1;
    p.min = 8;
    p.max = 9; /* 8 to 9 sd above the mean: P would round to 1 */
    for (int i = 0; i < 100; i++) {
        double v = sweep_parameter_value(&p, i / 100.0);
        assert_in_range_double(v, 8, 9);
        if (i == 50) assert_in_open_range_double(v, 8.0, 8.2); /* most mass near 8 */
    }
    /* Whole keys: rounded, within [min, max]. */
    p = (sweep_parameter){ .distribution = SWEEP_UNIFORM, .min = 0.6, .max = 3.4, .whole = 1 };
    int seen[5] = { 0 };
    for (int i = 0; i < 1000; i++) {
        double v = sweep_parameter_value(&p, i / 1000.0);
        assert_true(v == floor(v));
        assert_in_range_double(v, 1, 3);
        seen[(int)v]++;
    }
    assert_true(seen[1] && seen[2] && seen[3]);
}

static void test_point_seeds(void **state)
{
    (void)state;
    enum { N = 2000 };
    uint64_t seeds[N];
    for (size_t p = 0; p < N; p++) {
        seeds[p] = sweep_point_seed(1, p);
        assert_true(seeds[p] == sweep_point_seed(1, p));
        for (size_t q = 0; q < p; q++) assert_true(seeds[q] != seeds[p]);
    }
    assert_true(sweep_point_seed(2, 0) != seeds[0]);
    /* A known value, so that a change of the derivation is noticed: the
       README documents it for reproducing a run with `placesim run`. */
    assert_true(sweep_point_seed(1, 0) == 10029422582870753883ULL);
}

/* Common seeds (the default): every point runs under the sweep's seed;
 * per_point: each its own. */
static void test_run_master_seeds(void **state)
{
    (void)state;
    sweep s = { .master_seed = 5 };
    for (size_t p = 0; p < 10; p++) assert_true(sweep_run_master_seed(&s, p) == 5);
    s.seeds_per_point = 1;
    for (size_t p = 0; p < 10; p++)
        assert_true(sweep_run_master_seed(&s, p) == sweep_point_seed(5, p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order),     cmocka_unit_test(test_run_master_seeds),
        cmocka_unit_test(test_lhs_strata),     cmocka_unit_test(test_saltelli_layout),
        cmocka_unit_test(test_saltelli_limit), cmocka_unit_test(test_list_points),
        cmocka_unit_test(test_distributions),  cmocka_unit_test(test_point_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
