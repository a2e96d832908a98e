/* test_compare.c — `placesim compare` through the library (compare.h) on the
 * synthetic experiment in tests/data/compare/exp (make_data.py writes it).
 * Every expected number is computed by hand below from the values the
 * generator writes; the only library call the expectations use is GSL's t
 * quantile. Three replications, so a paired interval has 2 degrees of
 * freedom: t(0.975, 2) = 4.302653. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "compare.h"

#define EXP PLACESIM_SOURCE_DIR "/tests/data/compare/exp"

static const char *const run_dirs[] = { EXP "/base", EXP "/arm" };

/* The document for the two runs under opt; fails the test on an error. */
static json_t *compare_ok(const compare_options *opt)
{
    json_t *doc = NULL;
    char err[1024] = "";
    int status = compare_json(run_dirs, 2, opt, &doc, err, sizeof err);
    if (status != 0) fprintf(stderr, "compare_json: %d %s\n", status, err);
    assert_int_equal(status, 0);
    assert_non_null(doc);
    return doc;
}

static compare_options defaults(void) { return (compare_options){ .discount_rate = 0.035 }; }

static json_t *arm0(const json_t *doc) { return json_array_get(json_object_get(doc, "arms"), 0); }

static json_t *find(const json_t *list, const char *key, const char *name)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) if (strcmp(json_string_value(json_object_get(item, key)),
                                                 name) == 0) return item;
    fail_msg("no %s %s", key, name);
    return NULL;
}

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

/* Values below are short sums of small integers: exact in binary, or a few
 * ulps off after a division; 1e-9 relative is far above that and far below
 * any mistake in the method. */
static void near(double got, double want)
{
    if (fabs(got - want) > 1e-9 * (1 + fabs(want))) fail_msg("got %.12g, want %.12g", got, want);
}

/* The paired interval by hand: mean ± t(0.975, n−1) × sd / √n of the
 * per-replication differences d (sd with n − 1). */
static void expect_interval_as(const json_t *iv, const char *mean_key, const double *d, size_t n)
{
    double mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++) mean += d[i] / (double)n;
    for (size_t i = 0; i < n; i++) ss += (d[i] - mean) * (d[i] - mean);
    double half =
        gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(ss / (double)(n - 1) / (double)n);
    assert_true(json_is_object(iv));
    near(num(iv, mean_key), mean);
    near(num(iv, "lower"), mean - half);
    near(num(iv, "upper"), mean + half);
}

/* An interval object ({"mean","lower","upper"}). */
static void expect_interval(const json_t *iv, const double *d, size_t n)
{
    expect_interval_as(iv, "mean", d, n);
}

/* A metric's row (difference, lower, upper). */
static void expect_difference(const json_t *row, const double *d, size_t n)
{
    expect_interval_as(row, "difference", d, n);
}

static void default_window_is_the_whole_years_and_leaves_the_partial_year_out(void **state)
{
    (void)state;
    compare_options opt = defaults();
    json_t *doc = compare_ok(&opt);
    json_t *w = json_object_get(doc, "window");
    /* Years written: 2025/26 from 1 October (partial), 2026/27, 2027/28. */
    assert_string_equal(json_string_value(json_object_get(w, "from")), "2026/27");
    assert_string_equal(json_string_value(json_object_get(w, "to")), "2027/28");
    near(num(w, "years"), 2);
    assert_true(json_is_true(json_object_get(w, "default")));
    assert_true(json_is_true(json_object_get(doc, "paired")));
    assert_non_null(strstr(json_string_value(json_object_get(doc, "note")), "randomness only"));
    assert_string_equal(json_string_value(json_object_get(doc, "money_scope")), "whole place");
    json_decref(doc);
}

static void paired_and_welch_intervals_of_a_count(void **state)
{
    (void)state;
    compare_options opt = defaults();
    json_t *doc = compare_ok(&opt);
    json_t *m = find(json_object_get(arm0(doc), "metrics"), "metric", "void_days");
    /* void_days, ALL = North + South over 2026/27 + 2027/28:
     * base North 10+20, 12+22, 14+24 = 30, 34, 38; South 10+10 = 20:
     *      ALL 50, 54, 58 (mean 54, variance 16);
     * arm North 8+18, 9+19, 10+20 = 26, 28, 30; South 20: ALL 46, 48, 50
     *      (mean 48, variance 4); differences −4, −6, −8: mean −6, sd 2. */
    near(num(m, "base_mean"), 54);
    near(num(m, "arm_mean"), 48);
    near(num(m, "difference"), -6);
    near(num(m, "relative_change"), -6.0 / 54);
    double half_paired = gsl_cdf_tdist_Pinv(0.975, 2) * 2 / sqrt(3); /* 4.9683 */
    near(num(m, "lower"), -6 - half_paired);
    near(num(m, "upper"), -6 + half_paired);
    /* Welch: se² = 16/3 + 4/3 = 20/3; df = (20/3)² / ((16/3)²/2 + (4/3)²/2)
     * = (400/9) / (136/9) = 400/136. */
    double half_welch = gsl_cdf_tdist_Pinv(0.975, 400.0 / 136) * sqrt(20.0 / 3);
    near(num(m, "unpaired_lower"), -6 - half_welch);
    near(num(m, "unpaired_upper"), -6 + half_welch);
    near(num(m, "width_ratio"), half_paired / half_welch);
    assert_true(num(m, "width_ratio") < 1);
    assert_string_equal(json_string_value(json_object_get(m, "kind")), "count");
    assert_string_equal(json_string_value(json_object_get(m, "unit")), "dwelling-days");
    near(num(m, "replications"), 3);
    json_decref(doc);
}

static void levels_medians_and_ratios_take_the_mean_of_the_years(void **state)
{
    (void)state;
    compare_options opt = defaults();
    json_t *doc = compare_ok(&opt);
    json_t *metrics = json_object_get(arm0(doc), "metrics");
    /* voids_long (level_end): base North 4,6 / 5,7 / 6,8 plus South 1: the
     * mean of the two years 6, 7, 8; arm 3 + 1 = 4: differences −2, −3, −4. */
    json_t *m = find(metrics, "metric", "voids_long");
    near(num(m, "base_mean"), 7);
    near(num(m, "difference"), -3);
    const double d_long[] = { -2, -3, -4 };
    expect_difference(m, d_long, 3);
    /* relet_days_median, ALL: base (13 + 15) / 2 = 14, arm (11 + 13) / 2 = 12. */
    m = find(metrics, "metric", "relet_days_median");
    near(num(m, "difference"), -2);
    near(num(m, "lower"), -2); /* the same in every replication */
    assert_true(json_is_null(json_object_get(m, "width_ratio")));
    /* blight_index (ratio, weight = denominator), ALL: base (2×100 + 4×300)
     * / 400 = 3.5 each year, arm (1×100 + 4×300) / 400 = 3.25. */
    m = find(metrics, "metric", "blight_index");
    near(num(m, "base_mean"), 3.5);
    near(num(m, "difference"), -0.25);
    json_decref(doc);
}

static void a_group_of_areas_is_re_formed_from_its_parts(void **state)
{
    (void)state;
    const char *areas[] = { "North", "South" };
    const char *metrics[] = { "relet_days_mean", "relet_days_median", "blight_index", "void_days" };
    compare_options opt = defaults();
    opt.areas = areas;
    opt.n_areas = 2;
    opt.metrics = metrics;
    opt.n_metrics = 4;
    json_t *doc = compare_ok(&opt);
    json_t *list = json_object_get(arm0(doc), "metrics");
    /* relet_days_mean, event-weighted over areas and years: base North 10
     * (2 events), 20 (3); South 30 (1), NA (0): (20 + 60 + 30) / 6 = 110/6;
     * arm North 5 (2), 10 (3), South 15 (1): (10 + 30 + 15) / 6 = 55/6. */
    json_t *m = find(list, "metric", "relet_days_mean");
    near(num(m, "base_mean"), 110.0 / 6);
    near(num(m, "arm_mean"), 55.0 / 6);
    near(num(m, "difference"), -55.0 / 6);
    /* A median of two areas cannot be formed: n/a with a note. */
    m = find(list, "metric", "relet_days_median");
    assert_true(json_is_null(json_object_get(m, "difference")));
    assert_non_null(strstr(json_string_value(json_object_get(m, "note")), "median"));
    near(num(find(list, "metric", "blight_index"), "difference"), -0.25);
    near(num(find(list, "metric", "void_days"), "difference"), -6);
    json_t *names = json_object_get(doc, "areas");
    assert_int_equal(json_array_size(names), 2);
    json_decref(doc);

    /* North alone: blight 2 → 1; relet median (12 + 14) / 2 = 13 → 11. */
    opt.n_areas = 1;
    doc = compare_ok(&opt);
    list = json_object_get(arm0(doc), "metrics");
    near(num(find(list, "metric", "blight_index"), "difference"), -1);
    near(num(find(list, "metric", "relet_days_median"), "difference"), -2);
    json_decref(doc);
}

static void who_pays_who_benefits_and_pool_attribution(void **state)
{
    (void)state;
    compare_options opt = defaults();
    json_t *doc = compare_ok(&opt);
    json_t *bearers = json_object_get(arm0(doc), "bearers");
    assert_int_equal(json_array_size(bearers), 9);
    /* housing: spend arm 1000 + 500, base 0: +1500 in each replication;
     * demand arm 1500+500, 1600+400, 1700+1400 against base 2000+2000:
     * −2000, −2000, −900; net −500, −500, +600. */
    json_t *h = find(bearers, "bearer", "housing");
    const double spend[] = { 1500, 1500, 1500 }, demand[] = { -2000, -2000, -900 },
                 net[] = { -500, -500, 600 };
    expect_interval(json_object_get(h, "spend"), spend, 3);
    expect_interval(json_object_get(h, "demand"), demand, 3);
    expect_interval(json_object_get(h, "net"), net, 3);
    /* Pool: the arm put in housing 300 − 50 returned = 250 and police 50
     * (in the partial year: the agreement counts whole) + 200 = 250: half
     * each of its 400 spent. Housing 1500 + 200, police 0 + 200. */
    near(num(json_object_get(h, "spend_with_pool_share"), "mean"), 1700);
    json_t *police = find(bearers, "bearer", "police");
    near(num(json_object_get(police, "spend_with_pool_share"), "mean"), 200);
    near(num(json_object_get(police, "demand"), "mean"), -200);
    json_t *pool = find(bearers, "bearer", "pool");
    near(num(json_object_get(pool, "spend"), "mean"), 400);
    assert_true(json_is_null(json_object_get(pool, "demand")));
    assert_true(json_is_null(json_object_get(pool, "spend_with_pool_share")));
    /* victims: arm 2800 + 2000/2500/3000 against 3000 + 3000. */
    json_t *v = find(bearers, "bearer", "victims");
    const double victims[] = { -1200, -700, -200 };
    assert_true(json_is_null(json_object_get(v, "spend")));
    expect_interval(json_object_get(v, "demand"), victims, 3);
    expect_interval(json_object_get(v, "net"), victims, 3);
    json_decref(doc);
}

static void cost_benefit_npv_bcr_payback_and_cost_per_outcome(void **state)
{
    (void)state;
    compare_options opt = defaults();
    opt.discount_rate = 0.25; /* year weights 1 and 0.8: easy by hand */
    json_t *doc = compare_ok(&opt);
    json_t *cb = json_object_get(arm0(doc), "cost_benefit");
    /* Costs: spend_housing 1000, 500 and spend_pool 400, 0 (base none):
     * 1400 + 0.8 × 500 = 1800 in every replication.
     * Fiscal benefits by year (−Δ demand of housing and police): 2026/27
     * 500+100, 400+100, 300+100 = 600, 500, 400; 2027/28 1500+100,
     * 1600+100, 600+100 = 1600, 1700, 700. PV 1880, 1860, 960.
     * Social (victims): 200 each, then 1000, 500, 0: PV 1000, 600, 200. */
    const double costs[] = { 1800, 1800, 1800 }, fiscal[] = { 1880, 1860, 960 },
                 social[] = { 1000, 600, 200 }, npv_f[] = { 80, 60, -840 },
                 npv_t[] = { 1080, 660, -640 },
                 bcr_f[] = { 1880 / 1800.0, 1860 / 1800.0, 960 / 1800.0 },
                 bcr_t[] = { 2880 / 1800.0, 2460 / 1800.0, 1160 / 1800.0 };
    expect_interval(json_object_get(cb, "costs_pv"), costs, 3);
    expect_interval(json_object_get(cb, "fiscal_benefits_pv"), fiscal, 3);
    expect_interval(json_object_get(cb, "social_benefits_pv"), social, 3);
    expect_interval(json_object_get(cb, "npv_fiscal"), npv_f, 3);
    expect_interval(json_object_get(cb, "npv_total"), npv_t, 3);
    expect_interval(json_object_get(cb, "bcr_fiscal"), bcr_f, 3);
    expect_interval(json_object_get(cb, "bcr_total"), bcr_t, 3);
    /* Payback (fiscal net, cumulative, discounted, from 2026/27, the first
     * year with spend): 2026/27 600−1400 = −800, −900, −1000; 2027/28 adds
     * 0.8 × (1600−500) = 880, 0.8 × 1200 = 960, 0.8 × 200 = 160: 80, 60,
     * −840. Two pay back in 2027/28, one not: median 2027/28, share 2/3. */
    assert_string_equal(json_string_value(json_object_get(cb, "payback_year_median")), "2027/28");
    near(num(cb, "payback_share"), 2.0 / 3);
    near(num(cb, "npv_positive_share_fiscal"), 2.0 / 3);
    near(num(cb, "npv_positive_share_total"), 2.0 / 3);
    /* Cost per outcome: 1800 / 6 void-days, 1800 / 20 crimes (burglary
     * 200 → 178–182: −20, −22, −18); proven offences −1, +1, −1: the
     * interval spans 0, so n/a. */
    json_t *per = json_object_get(cb, "cost_per_outcome");
    near(num(find(per, "outcome", "void-days"), "cost_per_unit"), 300);
    json_t *crimes = find(per, "outcome", "street crimes");
    near(num(crimes, "cost_per_unit"), 90);
    const double d_crimes[] = { -20, -22, -18 };
    expect_interval(json_object_get(crimes, "change"), d_crimes, 3);
    assert_true(
        json_is_null(json_object_get(find(per, "outcome", "proven offences"), "cost_per_unit")));
    /* By year, undiscounted. */
    json_t *years = json_object_get(cb, "by_year");
    assert_int_equal(json_array_size(years), 2);
    json_t *y2 = find(years, "year", "2027/28");
    near(num(json_object_get(y2, "costs"), "mean"), 500);
    const double f2[] = { 1600, 1700, 700 };
    expect_interval(json_object_get(y2, "fiscal_benefits"), f2, 3);
    json_decref(doc);

    /* At the Green Book rate: 1400 + 500 / 1.035. */
    opt.discount_rate = 0.035;
    doc = compare_ok(&opt);
    near(num(json_object_get(json_object_get(arm0(doc), "cost_benefit"), "costs_pv"), "mean"),
         1400 + 500 / 1.035);
    json_decref(doc);
}

static void a_window_of_one_year(void **state)
{
    (void)state;
    compare_options opt = defaults();
    opt.from_year = opt.to_year = "2027/28";
    json_t *doc = compare_ok(&opt);
    json_t *w = json_object_get(doc, "window");
    assert_false(json_is_true(json_object_get(w, "default")));
    near(num(w, "years"), 1);
    /* void_days 2027/28: base 30, 32, 34; arm 28, 29, 30. */
    json_t *m = find(json_object_get(arm0(doc), "metrics"), "metric", "void_days");
    const double d[] = { -2, -3, -4 };
    expect_difference(m, d, 3);
    near(num(json_object_get(json_object_get(arm0(doc), "cost_benefit"), "costs_pv"), "mean"), 500);
    json_decref(doc);
}

static void unpaired_uses_welch_and_drops_what_needs_pairs(void **state)
{
    (void)state;
    compare_options opt = defaults();
    opt.unpaired = 1;
    json_t *doc = compare_ok(&opt);
    assert_false(json_is_true(json_object_get(doc, "paired")));
    assert_non_null(strstr(json_string_value(json_object_get(doc, "note")), "Welch"));
    json_t *m = find(json_object_get(arm0(doc), "metrics"), "metric", "void_days");
    near(num(m, "lower"), num(m, "unpaired_lower"));
    near(num(m, "upper"), num(m, "unpaired_upper"));
    assert_true(json_is_null(json_object_get(m, "width_ratio")));
    json_t *cb = json_object_get(arm0(doc), "cost_benefit");
    assert_true(json_is_null(json_object_get(cb, "bcr_fiscal")));
    assert_true(json_is_null(json_object_get(cb, "payback_share")));
    near(num(json_object_get(cb, "costs_pv"), "mean"), 1400 + 500 / 1.035);
    json_decref(doc);
}

static void an_experiment_directory_gives_the_same_document(void **state)
{
    (void)state;
    compare_options opt = defaults();
    json_t *direct = compare_ok(&opt), *doc = NULL;
    const char *exp[] = { EXP };
    char err[512];
    assert_int_equal(compare_json(exp, 1, &opt, &doc, err, sizeof err), 0);
    /* The arm's directory is found through experiment.json: EXP/arm. */
    assert_true(json_equal(direct, doc));
    json_decref(direct);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_window_is_the_whole_years_and_leaves_the_partial_year_out),
        cmocka_unit_test(paired_and_welch_intervals_of_a_count),
        cmocka_unit_test(levels_medians_and_ratios_take_the_mean_of_the_years),
        cmocka_unit_test(a_group_of_areas_is_re_formed_from_its_parts),
        cmocka_unit_test(who_pays_who_benefits_and_pool_attribution),
        cmocka_unit_test(cost_benefit_npv_bcr_payback_and_cost_per_outcome),
        cmocka_unit_test(a_window_of_one_year),
        cmocka_unit_test(unpaired_uses_welch_and_drops_what_needs_pairs),
        cmocka_unit_test(an_experiment_directory_gives_the_same_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
