/* test_interventions_place.c — the place interventions carried out by the
 * housing and crime models (MODELS.md § 4): repair_teams, void_security,
 * fast_letting, hotspot_patrols.
 *
 * The test-only model "ivtest" (ivtest_model.h), registered after housing
 * and crime, stands in for the interventions model: up to two views of one
 * type, their areas (bit masks), their value (teams, days, cut or
 * intensity) and their dates from its keys.
 *
 * Each comparison runs the same scenario and seeds with and without ivtest:
 * housing and crime draw from streams keyed by dwelling or by area and day,
 * so whatever an intervention does not touch is identical bit for bit, and
 * what it touches is compared with sampling error (tolerances stated where
 * used: 4 standard errors, a false failure rate of about 6e-5 each). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "crime.h"
#include "housing.h"
#include "ivtest_model.h"
#include "test_support.h"

static const model_def *const without_models[] = { &housing_model, &crime_model };
static const model_def *const with_models[] = { &housing_model, &crime_model, &ivtest_model };

/* ---- scenario and runs ---- */

enum { AREA_A, AREA_B, AREA_C, N_AREAS, REPS = 4 };

/* Three areas of 3,000 social homes each (A: social_a); A is the most
 * deprived. */
static char *scenario_text_sized(const char *housing_block, const char *crime_block, int social_a)
{
    static const char head[] =
        "start = \"2025-04-01\"; years = 3; warmup_years = 1;\n"
        "areas = ( { name = \"A\"; population = 20000; dwellings = 8000; social_dwellings = %d;"
        " deprivation = 0.6; neighbours = [\"B\"]; },\n"
        "          { name = \"B\"; population = 20000; dwellings = 8000; social_dwellings = 3000;"
        " deprivation = 0.3; neighbours = [\"A\", \"C\"]; },\n"
        "          { name = \"C\"; population = 20000; dwellings = 8000; social_dwellings = 3000;"
        " deprivation = 0.0; neighbours = [\"B\"]; } );\n"
        "housing = { %s };\ncrime = { %s };\n";
    size_t n = sizeof head + strlen(housing_block) + strlen(crime_block) + 16;
    char *text = malloc(n);
    snprintf(text, n, head, social_a, housing_block, crime_block);
    return text;
}

static char *scenario_text(const char *housing_block, const char *crime_block)
{
    return scenario_text_sized(housing_block, crime_block, 3000);
}

/* The same scenario and seed without ivtest (*base) and with it (*iv). */
static void run_pair(test_run *base, test_run *iv, const char *text, const char *const *overrides,
                     size_t n_overrides, uint64_t seed)
{
    test_run_load(base, text, without_models, 2, NULL, 0);
    test_run_load(iv, text, with_models, 3, overrides, n_overrides);
    test_run_reps(base, REPS, seed, 2);
    test_run_reps(iv, REPS, seed, 2);
}

static void free_pair(test_run *base, test_run *iv)
{
    test_run_free(base);
    test_run_free(iv);
}

static int64_t period_first_day(const recorder *r, size_t p, int64_t start_date)
{
    return p == 0 ? start_date : recorder_period_last_day(r, p - 1) + 1;
}

/* Values of the given metrics that differ between the runs, over periods
 * lying wholly in [from, to) (day numbers) and the areas with bit a of
 * `areas` set (bit N_AREAS: the ALL row). */
static size_t differences(const test_run *a, const test_run *b, const metric_spec *specs,
                          size_t n_specs, int64_t from, int64_t to, unsigned areas)
{
    test_window w = { from, to, areas, 0 };
    size_t differ = 0;
    for (size_t m = 0; m < n_specs; m++) differ += test_metric_differences(a, b, specs[m].name, w);
    return differ;
}

/* Every housing and crime value, as above. */
static size_t all_differences(const test_run *a, const test_run *b, int64_t from, int64_t to,
                              unsigned areas)
{
    return differences(a, b, housing_metric_table.specs, housing_metric_table.n_specs, from, to,
                       areas) +
           differences(a, b, crime_metric_table.specs, crime_metric_table.n_specs, from, to, areas);
}

enum { EVERY_AREA = (1u << (N_AREAS + 1)) - 1 };

/* Sum over replications and over periods lying wholly in [from, to) of a
 * count metric in an area; with `weight`, of metric × weight (an event mean
 * times its event count gives the sum of the events). */
static double period_sum(const test_run *t, const char *metric, const char *weight, size_t area,
                         int64_t from, int64_t to)
{
    double sum = 0;
    for (unsigned i = 0; i < t->n_reps; i++) {
        const recorder *r = t->results[i].rec;
        int m = recorder_find(r, metric), w = weight ? recorder_find(r, weight) : -1;
        assert_true(m >= 0 && (!weight || w >= 0));
        for (size_t p = 0; p < recorder_n_periods(r); p++) {
            if (period_first_day(r, p, t->cfg.start_date) < from ||
                recorder_period_last_day(r, p) >= to) {
                continue;
            }
            double x = recorder_value(r, p, area, m);
            double n = w >= 0 ? recorder_value(r, p, area, w) : 1.0;
            if (n > 0 && !isnan(x)) sum += x * n;
        }
    }
    return sum;
}

static double all_crimes(const test_run *t, size_t area, int64_t from, int64_t to)
{
    double sum = 0;
    for (int k = 0; k < CRIME_TYPES; k++) {
        sum += period_sum(t, crime_metric_table.specs[CRIME_METRIC_CRIMES + k].name, NULL, area,
                          from, to);
    }
    return sum;
}

/* ---- (a) no effect, no change ---- */

/* Housing with a queue (utilisation ~0.9), damage and blight: every path an
 * intervention could disturb is exercised. */
static const char busy_housing[] =
    "turnover = 0.06; repair_teams = 16; damage = { hazard_per_day = 0.01; };";

static void neutral_interventions_change_nothing(void **state)
{
    (void)state;
    char *text = scenario_text(busy_housing, "");
    static const char *const neutral[][3] = {
        { "ivtest.type=\"repair_teams\"", "ivtest.value=0", "ivtest.areas=7" },
        { "ivtest.type=\"void_security\"", "ivtest.value=1000000", "ivtest.areas=7" },
        { "ivtest.type=\"fast_letting\"", "ivtest.value=0", "ivtest.areas=7" },
        { "ivtest.type=\"hotspot_patrols\"", "ivtest.value=0", "ivtest.areas=7" },
    };
    test_run base;
    test_run_load(&base, text, without_models, 2, NULL, 0);
    test_run_reps(&base, 2, 21, 2);
    assert_true(test_run_value(&base, 0, "void_starts") > 1000);
    assert_true(test_run_value(&base, 0, "damage_incidents") > 100);
    for (size_t i = 0; i < sizeof neutral / sizeof neutral[0]; i++) {
        test_run iv;
        test_run_load(&iv, text, with_models, 3, neutral[i], 3);
        test_run_reps(&iv, 2, 21, 2);
        size_t differ = all_differences(&base, &iv, INT64_MIN, INT64_MAX, EVERY_AREA);
        printf("%s: %zu values differ\n", neutral[i][0], differ);
        assert_int_equal(differ, 0);
        assert_true(test_run_value(&iv, 0, "repair_jobs_by_interventions") == 0.0);
        assert_true(test_run_value(&iv, 0, "ivtest_used") == 0.0);
        test_run_free(&iv);
    }
    test_run_free(&base);
    free(text);
}

/* ---- hotspot_patrols ---- */

static const char patrol_crime[] =
    "detection_uplift = 0.0; blight_elasticity = { burglary = 0.0; robbery = 0.0;"
    " theft_person = 0.0; criminal_damage = 0.0; violence_injury = 0.0; };";

/* Patrols at intensity i in A from the second written year: crime in A falls
 * by e × i (e = 0.081). The attempts are the same draws in both runs, so the
 * committed share is Binomial(attempts, 1 − e·i): its standard error is
 * sqrt(e·i (1 − e·i) / attempts). B and C (no diffusion, no displacement)
 * and everything before the start are identical. */
static void patrols_lower_crime_by_effect_times_intensity(void **state)
{
    (void)state;
    char *text = scenario_text("damage = { hazard_per_day = 0.0; };", patrol_crime);
    const char *iv_set[] = { "ivtest.type=\"hotspot_patrols\"", "ivtest.value=0.5",
                             "ivtest.areas=1", "ivtest.start_day=365" };
    test_run base, iv;
    run_pair(&base, &iv, text, iv_set, 4, 31);
    int64_t start = base.cfg.start_date + 365;

    assert_int_equal(all_differences(&base, &iv, INT64_MIN, start, EVERY_AREA), 0);
    assert_int_equal(all_differences(&base, &iv, INT64_MIN, INT64_MAX, 1u << AREA_B | 1u << AREA_C),
                     0);
    assert_true(all_differences(&base, &iv, start, INT64_MAX, 1u << AREA_A) > 0);

    double attempts = all_crimes(&base, AREA_A, start, INT64_MAX);
    double committed = all_crimes(&iv, AREA_A, start, INT64_MAX);
    double keep = 1.0 - 0.081 * 0.5;
    double se = sqrt(keep * (1 - keep) / attempts);
    printf("patrols 0.5 in A: crime ratio %.4f (expected %.4f, se %.4f, %.0f attempts)\n",
           committed / attempts, keep, se, attempts);
    assert_true(fabs(committed / attempts - keep) < 4 * se);
    assert_true(se < 0.2 * (1 - keep)); /* the test has power */
    /* Prevented crimes are the difference, counted as such. */
    double prevented = 0;
    for (int k = 0; k < CRIME_TYPES; k++) {
        prevented += period_sum(&iv, crime_metric_table.specs[CRIME_METRIC_PREVENTED + k].name,
                                NULL, AREA_A, start, INT64_MAX);
    }
    assert_true(prevented == attempts - committed);
    free_pair(&base, &iv);
    free(text);
}

/* Two patrols of 0.7 in A add to 1.4, capped at a full dose: crime falls by
 * e, not 1.4 e. Tolerance as above. */
static void patrols_add_capped_at_a_full_dose(void **state)
{
    (void)state;
    char *text = scenario_text("damage = { hazard_per_day = 0.0; };", patrol_crime);
    const char *iv_set[] = { "ivtest.type=\"hotspot_patrols\"",
                             "ivtest.count=2",
                             "ivtest.value=0.7",
                             "ivtest.value2=0.7",
                             "ivtest.areas=1",
                             "ivtest.areas2=1" };
    test_run base, iv;
    run_pair(&base, &iv, text, iv_set, 6, 37);
    double attempts = all_crimes(&base, AREA_A, INT64_MIN, INT64_MAX);
    double committed = all_crimes(&iv, AREA_A, INT64_MIN, INT64_MAX);
    double keep = 1.0 - 0.081;
    double se = sqrt(keep * (1 - keep) / attempts);
    printf("patrols 0.7 + 0.7 in A: crime ratio %.4f (expected %.4f, se %.4f)\n",
           committed / attempts, keep, se);
    assert_true(fabs(committed / attempts - keep) < 4 * se);
    free_pair(&base, &iv);
    free(text);
}

/* ---- fast_letting ---- */

/* Plenty of teams and no repair work: a void lasts exactly its letting delay,
 * and areas share nothing (no queue), so areas outside the mask are
 * identical. */
static const char instant_repairs[] =
    "turnover = 0.1; repair_teams = 200; damage = { hazard_per_day = 0.0; };"
    " repair_work = { median_team_days = 0.0; };";

/* A fixed delay: every re-let in A whose delay was drawn while f = 0.5 was
 * active (all re-lets of periods starting 30 days after it, the delay being
 * 10 e^(0.245) × 1.6 ≈ 20 days) lasts exactly half as long. */
static void fast_letting_halves_a_fixed_delay(void **state)
{
    (void)state;
    char block[512];
    snprintf(block, sizeof block, "%s letting_delay = { distribution = \"fixed\"; };",
             instant_repairs);
    char *text = scenario_text(block, "");
    const char *iv_set[] = { "ivtest.type=\"fast_letting\"", "ivtest.value=0.5", "ivtest.areas=1",
                             "ivtest.start_day=365" };
    test_run base, iv;
    run_pair(&base, &iv, text, iv_set, 4, 41);
    int64_t start = base.cfg.start_date + 365;
    assert_int_equal(all_differences(&base, &iv, INT64_MIN, start, EVERY_AREA), 0);
    assert_int_equal(all_differences(&base, &iv, INT64_MIN, INT64_MAX, 1u << AREA_B | 1u << AREA_C),
                     0);
    double delay = 10.0 * exp(0.5 * 0.7 * 0.7) * (1.0 + 0.6);
    for (unsigned i = 0; i < REPS; i++) {
        const recorder *rb = base.results[i].rec, *ri = iv.results[i].rec;
        int m = recorder_find(rb, "relet_days_mean");
        for (size_t p = 0; p < recorder_n_periods(rb); p++) {
            if (period_first_day(rb, p, base.cfg.start_date) < start + 30) continue;
            assert_float_equal(recorder_value(rb, p, AREA_A, m), delay, 1e-9 * delay);
            assert_float_equal(recorder_value(ri, p, AREA_A, m), 0.5 * delay, 1e-9 * delay);
        }
    }
    free_pair(&base, &iv);
    free(text);
}

/* The default lognormal delay, f = 0.5 from the start, and a second
 * intervention of f = 0.5 in A and B: the factors multiply, so A's mean delay
 * is × 0.25 and B's × 0.5, C's unchanged. Each void's delay is the same draw
 * in both runs, scaled, so the ratio of means is exact up to which voids fall
 * in the run; the tolerance is nevertheless that of independent samples, 4
 * relative standard errors of a ratio of two means, 4 × cv × sqrt(2 / n)
 * with the lognormal's cv = sqrt(e^(σ²) − 1) = 0.795. */
static void fast_letting_factors_multiply(void **state)
{
    (void)state;
    char *text = scenario_text(instant_repairs, "");
    const char *iv_set[] = { "ivtest.type=\"fast_letting\"",
                             "ivtest.count=2",
                             "ivtest.value=0.5",
                             "ivtest.areas=1",
                             "ivtest.value2=0.5",
                             "ivtest.areas2=3" };
    test_run base, iv;
    run_pair(&base, &iv, text, iv_set, 6, 43);
    int64_t from = base.cfg.start_date + 60; /* delays drawn in the warm-up have ended */
    double expected[N_AREAS] = { 0.25, 0.5, 1.0 };
    for (size_t a = 0; a < N_AREAS; a++) {
        double n = period_sum(&base, "relets", NULL, a, from, INT64_MAX);
        double before = period_sum(&base, "relet_days_mean", "relets", a, from, INT64_MAX) / n;
        double after = period_sum(&iv, "relet_days_mean", "relets", a, from, INT64_MAX) /
                       period_sum(&iv, "relets", NULL, a, from, INT64_MAX);
        double rel_se = sqrt(exp(0.7 * 0.7) - 1) * sqrt(2.0 / n);
        printf("fast_letting, area %zu: mean days %.3f -> %.3f, ratio %.4f (expected %.2f, "
               "relative se %.4f)\n",
               a, before, after, after / before, expected[a], rel_se);
        assert_true(fabs(after / before / expected[a] - 1) < 4 * rel_se);
    }
    assert_int_equal(all_differences(&base, &iv, INT64_MIN, INT64_MAX, 1u << AREA_C), 0);
    free_pair(&base, &iv);
    free(text);
}

/* ---- void_security ---- */

/* A constant damage hazard (no exposure step), plenty of teams (no coupling
 * between areas), baseline securing off. */
static const char damaged_voids[] =
    "turnover = 0.3; repair_teams = 300; repair_work = { major_share = 0.0; };"
    " damage = { hazard_per_day = 0.05; exposed_multiplier = 1.0; secured_divisor = 5.0; };";

/* Securing at age 0 in A, active from day 180 to day 900 of the written
 * years: A's damage per void-day over those periods falls by the divisor 5
 * (Poisson counts: relative standard error of the ratio sqrt(1/n1 + 1/n2));
 * B and C, and everything before day 180, are identical. Intervention-secured
 * voids are not housing's security cost; the view's `used` is the number
 * secured, which is every secured void here; after the end they stay
 * secured until re-let, none is added, so `used` only falls. */
static void void_security_divides_damage_where_it_acts(void **state)
{
    (void)state;
    char *text = scenario_text(damaged_voids, "");
    const char *iv_set[] = { "ivtest.type=\"void_security\"", "ivtest.value=0", "ivtest.areas=1",
                             "ivtest.start_day=180", "ivtest.end_day=900" };
    test_run base, iv;
    run_pair(&base, &iv, text, iv_set, 5, 47);
    int64_t start = base.cfg.start_date + 180, end = base.cfg.start_date + 900;
    assert_int_equal(all_differences(&base, &iv, INT64_MIN, start, EVERY_AREA), 0);
    assert_int_equal(all_differences(&base, &iv, INT64_MIN, INT64_MAX, 1u << AREA_B | 1u << AREA_C),
                     0);

    /* periods wholly inside the active dates (at age 0 the voids already
     * there are secured on the first day, so no settling is needed) */
    double open_damage = period_sum(&base, "damage_incidents", NULL, AREA_A, start, end);
    double open_days = period_sum(&base, "void_days", NULL, AREA_A, start, end);
    double secured_damage = period_sum(&iv, "damage_incidents", NULL, AREA_A, start, end);
    double secured_days = period_sum(&iv, "void_days", NULL, AREA_A, start, end);
    double ratio = (open_damage / open_days) / (secured_damage / secured_days);
    double rel_se = sqrt(1.0 / open_damage + 1.0 / secured_damage);
    printf("void_security at 0 days in A: damage rate ratio %.3f (expected 5, relative se %.3f; "
           "%.0f and %.0f incidents)\n",
           ratio, rel_se, open_damage, secured_damage);
    assert_true(fabs(ratio / 5.0 - 1.0) < 4 * rel_se);
    assert_true(rel_se < 0.1); /* the test has power */

    for (unsigned i = 0; i < REPS; i++) {
        const recorder *r = iv.results[i].rec;
        assert_true(test_run_value(&iv, i, "security_cost") == 0.0);
        assert_true(test_run_value(&iv, i, "ivtest_used") > 0);
        /* used is every secured void: both are daily levels of the same count */
        assert_true(test_run_value(&iv, i, "ivtest_used") ==
                    test_run_value(&iv, i, "ivtest_secured_voids"));
        int used = recorder_find(r, "ivtest_used");
        size_t n_areas = recorder_n_areas(r);
        double last = INFINITY;
        int after_end = 0;
        for (size_t p = 0; p < recorder_n_periods(r); p++) {
            double u = recorder_value(r, p, n_areas, used);
            if (recorder_period_last_day(r, p) < start) assert_true(u == 0.0);
            if (period_first_day(r, p, iv.cfg.start_date) < end) continue;
            if (after_end++ == 0) assert_true(u > 0); /* still secured just after the end */
            assert_true(u <= last);
            last = u;
        }
        assert_true(after_end > 2);
    }
    free_pair(&base, &iv);
    free(text);
}

/* ---- repair_teams ---- */

/* Fixed work (8.26 team-days a void), no damage: a job's length is known. */
static const char fixed_work[] = "damage = { hazard_per_day = 0.0; };"
                                 " repair_work = { distribution = \"fixed\"; major_share = 0.0; };";

/* No base teams: only the intervention's teams repair, so the landlord's
 * repair_cost (demand) is 0 while voids are repaired and re-let. Two
 * interventions of 10 teams, for A and for B: both areas are repaired, C
 * never is (its voids wait from the start of the warm-up). */
static void repair_teams_serve_their_areas_and_are_not_demand(void **state)
{
    (void)state;
    char block[512];
    snprintf(block, sizeof block, "%s turnover = 0.06; repair_teams = 0;", fixed_work);
    char *text = scenario_text(block, "");
    const char *iv_set[] = { "ivtest.type=\"repair_teams\"",
                             "ivtest.count=2",
                             "ivtest.value=10",
                             "ivtest.areas=1",
                             "ivtest.value2=10",
                             "ivtest.areas2=2" };
    test_run base, iv;
    run_pair(&base, &iv, text, iv_set, 6, 53);
    for (unsigned i = 0; i < REPS; i++) {
        assert_true(test_run_value(&base, i, "relets") == 0.0);
        assert_true(test_run_value(&iv, i, "repair_cost") == 0.0);
        double used = test_run_value(&iv, i, "ivtest_used");
        assert_in_range_double(used, nextafter(0, 1), 20); /* (0, 20] */
    }
    double jobs_a =
        period_sum(&iv, "repair_jobs_by_interventions", NULL, AREA_A, INT64_MIN, INT64_MAX);
    double jobs_b =
        period_sum(&iv, "repair_jobs_by_interventions", NULL, AREA_B, INT64_MIN, INT64_MAX);
    double jobs_c =
        period_sum(&iv, "repair_jobs_by_interventions", NULL, AREA_C, INT64_MIN, INT64_MAX);
    double relets_a = period_sum(&iv, "relets", NULL, AREA_A, INT64_MIN, INT64_MAX);
    double relets_c = period_sum(&iv, "relets", NULL, AREA_C, INT64_MIN, INT64_MAX);
    printf("repair_teams 10 in A, 10 in B, no base teams: jobs A %.0f, B %.0f, C %.0f; relets A "
           "%.0f, C %.0f\n",
           jobs_a, jobs_b, jobs_c, relets_a, relets_c);
    /* 10 teams do 10 / 8.26 × 365 ≈ 442 jobs a year, the area's voids ~180 a
     * year plus the warm-up's backlog of ~180: all of them, in 3 years. */
    assert_true(jobs_a > REPS * 400 && jobs_b > REPS * 400);
    assert_true(jobs_c == 0.0 && relets_c == 0.0);
    assert_true(relets_a > REPS * 400);
    free_pair(&base, &iv);
    free(text);
}

/* When it stops, its busy teams finish their jobs (8.26 days) and take no
 * new one: with 20 teams for every area active for the first written year
 * only and no base teams, jobs end in the month after the end and never
 * later, although voids still wait. */
static void repair_teams_finish_their_jobs_when_stopped(void **state)
{
    (void)state;
    char block[512];
    snprintf(block, sizeof block, "%s turnover = 0.06; repair_teams = 0;", fixed_work);
    char *text = scenario_text(block, "");
    const char *iv_set[] = { "ivtest.type=\"repair_teams\"", "ivtest.value=20", "ivtest.areas=7",
                             "ivtest.end_day=365" };
    test_run t;
    test_run_load(&t, text, with_models, 3, iv_set, 4);
    test_run_reps(&t, 2, 59, 2);
    int64_t end = t.cfg.start_date + 365;
    double during = period_sum(&t, "repair_jobs_by_interventions", NULL, N_AREAS, INT64_MIN, end);
    double finishing = period_sum(&t, "repair_jobs_by_interventions", NULL, N_AREAS, end, end + 30);
    double later =
        period_sum(&t, "repair_jobs_by_interventions", NULL, N_AREAS, end + 30, INT64_MAX);
    double waiting = period_sum(&t, "repair_queue", NULL, N_AREAS, end + 30, INT64_MAX);
    printf("repair_teams stopped: jobs during %.0f, in the month after %.0f, later %.0f\n", during,
           finishing, later);
    assert_true(during > 0 && finishing > 0);
    assert_true(finishing <= 2 * 20);
    assert_true(later == 0.0);
    assert_true(waiting > 0);
    assert_true(test_run_value(&t, 0, "repair_cost") == 0.0);
    test_run_free(&t);
    free(text);
}

/* A small area A (600 social homes, a load of about 1 team) among two large
 * ones, 12 base teams for a load of 11.2, and two extra teams for A from the
 * second written year. Nothing changes before the start. The wait falls
 * everywhere (A's voids no longer take base teams' time), so the test is the
 * contrast between areas: without the intervention the areas wait alike (one
 * FIFO queue), with it A waits less than B and C, whose voids still queue for
 * the base teams. Each replication gives one contrast, mean wait of B and C
 * minus A's; over 12 replications it must exceed the same contrast of the
 * run without by 4 standard errors of the paired difference, and A's own
 * wait must fall by 4 standard errors. */
static void repair_teams_shorten_the_wait_where_they_serve(void **state)
{
    (void)state;
    enum { N = 12 };
    char block[512];
    snprintf(block, sizeof block, "%s repair_teams = 12; turnover = 0.075;", fixed_work);
    char *text = scenario_text_sized(block, "", 600);
    const char *iv_set[] = { "ivtest.type=\"repair_teams\"", "ivtest.value=2", "ivtest.areas=1",
                             "ivtest.start_day=365" };
    test_run base, iv;
    test_run_load(&base, text, without_models, 2, NULL, 0);
    test_run_load(&iv, text, with_models, 3, iv_set, 4);
    test_run_reps(&base, N, 61, 2);
    test_run_reps(&iv, N, 61, 2);
    int64_t start = base.cfg.start_date + 365;
    assert_int_equal(all_differences(&base, &iv, INT64_MIN, start, EVERY_AREA), 0);

    /* A period's mean wait weighted by its void starts (each void, undamaged,
     * starts one job once): the mean over the jobs, near enough. */
    double fall_a[N], gain[N], wait[2][N_AREAS];
    for (unsigned i = 0; i < N; i++) {
        for (int r = 0; r < 2; r++) {
            test_run one = r == 0 ? base : iv;
            one.results = &(r == 0 ? base : iv).results[i];
            one.n_reps = 1;
            for (size_t a = 0; a < N_AREAS; a++) {
                wait[r][a] =
                    period_sum(&one, "repair_wait_days_mean", "void_starts", a, start, INT64_MAX) /
                    period_sum(&one, "void_starts", NULL, a, start, INT64_MAX);
            }
        }
        fall_a[i] = wait[0][AREA_A] - wait[1][AREA_A];
        double contrast_iv = 0.5 * (wait[1][AREA_B] + wait[1][AREA_C]) - wait[1][AREA_A];
        double contrast_base = 0.5 * (wait[0][AREA_B] + wait[0][AREA_C]) - wait[0][AREA_A];
        gain[i] = contrast_iv - contrast_base;
    }
    double fall_mean, fall_se, gain_mean, gain_se;
    mean_and_se(fall_a, N, &fall_mean, &fall_se);
    mean_and_se(gain, N, &gain_mean, &gain_se);
    printf("repair_teams 2 in A: A's wait falls by %.2f days (se %.2f); A waits %.2f days less "
           "than B and C, relative to the run without (se %.2f)\n",
           fall_mean, fall_se, gain_mean, gain_se);
    assert_true(fall_mean > 4 * fall_se);
    assert_true(gain_mean > 4 * gain_se);
    test_run_free(&base);
    test_run_free(&iv);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(neutral_interventions_change_nothing),
        cmocka_unit_test(patrols_lower_crime_by_effect_times_intensity),
        cmocka_unit_test(patrols_add_capped_at_a_full_dose),
        cmocka_unit_test(fast_letting_halves_a_fixed_delay),
        cmocka_unit_test(fast_letting_factors_multiply),
        cmocka_unit_test(void_security_divides_damage_where_it_acts),
        cmocka_unit_test(repair_teams_serve_their_areas_and_are_not_demand),
        cmocka_unit_test(repair_teams_finish_their_jobs_when_stopped),
        cmocka_unit_test(repair_teams_shorten_the_wait_where_they_serve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
