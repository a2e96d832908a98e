/* test_interventions_people.c — the re-offending model carries out the
 * interventions on people (MODELS.md § 4): housing_on_release,
 * employment_support and intensive_supervision, read from
 * shared_state.interventions.
 *
 * The test-only model "ivtest" (ivtest_model.h), registered after
 * re-offending, stands in for the interventions model: one view built from
 * its keys (ivtest.*), registered with the budget (so that sim_fund_case
 * knows it), its `used` reset on 1 April for housing_on_release, and the
 * places in use recorded.
 *
 * The effect tests use an exact property of re-timing (a Poisson process
 * whose rate is multiplied by h from time τ is the same process run h times
 * slower): with common random numbers, a person's offences before their
 * enrolment are the same in every run, and given the N offences that run A
 * (no intervention) has after enrolments, run B (ratio h) has Binomial(N, h)
 * of them. Run C (ratio 0) has only those before, so (B − C) / (A − C)
 * estimates h with standard error sqrt(h (1 − h) / (A − C)), whatever the
 * frailty. Tolerance: 4 standard errors. Other comparisons are exact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "dates.h"
#include "housing.h"
#include "ivtest_model.h"
#include "reoffending.h"
#include "test_support.h"

/* ---- helpers ---- */

/* Values of the named metrics (every period and area, or only `area` when
 * it is not -1, and every quarterly row) that differ between two runs'
 * replications, counting only periods ending before day `before`. */
static size_t differences(const test_run *a, const test_run *b, const metric_spec *specs,
                          size_t n_specs, long area, int64_t before)
{
    /* Quarterly rows are whole-run ALL rows: compared only without filters. */
    test_window w = { INT64_MIN, before, area >= 0 ? 1ULL << area : ~0ULL,
                      area < 0 && before == INT64_MAX };
    size_t differ = 0;
    for (size_t m = 0; m < n_specs; m++) differ += test_metric_differences(a, b, specs[m].name, w);
    return differ;
}

/* Sum over replications of an ALL count in periods ending in [from, to]. */
static double sum_between(const test_run *t, const char *metric, int64_t from, int64_t to)
{
    double sum = 0;
    for (unsigned i = 0; i < t->n_reps; i++) {
        const recorder *rec = t->results[i].rec;
        int m = recorder_find(rec, metric);
        assert_true(m >= 0);
        for (size_t p = 0; p < recorder_n_periods(rec); p++) {
            int64_t last = recorder_period_last_day(rec, p);
            if (last >= from && last <= to) sum += recorder_value(rec, p, recorder_n_areas(rec), m);
        }
    }
    return sum;
}

static double total(const test_run *t, const char *metric)
{
    return sum_between(t, metric, INT64_MIN, INT64_MAX);
}

static void run_people(test_run *t, const char *text, const model_def *const *models, size_t n,
                       const char *const *overrides, size_t n_overrides, unsigned reps)
{
    test_run_load(t, text, models, n, overrides, n_overrides);
    test_run_reps(t, reps, 11, 2);
}

/* ---- employment support and intensive supervision ---- */

/* Two identical areas of 10,000 offenders each, everyone in the community,
 * settled and unsupervised at the start; every offence `other`, committed at
 * home, detected with probability 0.2 and sentenced at once to a ten-year
 * community order (no custody, no desistance, no inflow), and supervision
 * itself neutral (HR 1): a person's first proof starts supervision, which
 * lasts the run. */
static const char people_text[] =
    "start = \"2025-04-01\"; years = 3; warmup_years = 0;\n"
    "areas = ( { name = \"North\"; population = 500000; dwellings = 200000;"
    " social_dwellings = 1000; deprivation = 0.5; },\n"
    "          { name = \"South\"; population = 500000; dwellings = 200000;"
    " social_dwellings = 1000; deprivation = 0.5; } );\n"
    "reoffending = { rate_shape = 0.5; rate_mean_per_year = 2.0;"
    " offenders_initial_per_resident = 0.02;"
    " offence_mix = { other = 1.0; burglary = 0.0; robbery = 0.0; theft_person = 0.0;"
    " criminal_damage = 0.0; violence_injury = 0.0; }; detect_other = 0.2; p_offend_home = 1.0;"
    " court_delay = { median_days = 0.0; }; custody_max = 0.0; custody_first = 0.0;"
    " p_long_custody = 0.0; p_community_order_first = 1.0;"
    " p_community_order = 1.0; community_order_months = 120.0;"
    " desist_per_year = 0.0; first_time_entrants_per_year = 0.0;"
    " initial_custody_share = 0.0; initial_supervised_share = 0.0;"
    " release_accommodation = { settled = 1.0; temporary = 0.0; homeless = 0.0; };"
    " hazard_ratio = { supervised = 1.0; }; };\n";

static const model_def *const reo_only[] = { &reoffending_model };
static const model_def *const reo_ivtest[] = { &reoffending_model, &ivtest_model };

/* (B − C) / (A − C) against h, as the header explains. */
static void assert_ratio(const char *what, double a, double b, double c, double h)
{
    double n = a - c, ratio = (b - c) / n, se = sqrt(h * (1 - h) / n);
    printf("%s: offences A %.0f, B %.0f, C %.0f; after enrolment %.0f; ratio %.4f "
           "(h %.2f, se %.4f)\n",
           what, a, b, c, n, ratio, h, se);
    assert_true(n > 10000);
    assert_true(fabs(ratio - h) < 4 * se);
}

static void employment_support_without_effect_changes_nothing(void **state)
{
    (void)state;
    const char *none[] = { "ivtest.type=\"employment_support\"", "ivtest.capacity=0",
                           "ivtest.effect=1.0" };
    const char *neutral[] = { "ivtest.type=\"employment_support\"", "ivtest.capacity=1e9",
                              "ivtest.effect=1.0", "ivtest.persistence_days=100" };
    test_run a, b, c;
    run_people(&a, people_text, reo_only, 1, NULL, 0, 2);
    run_people(&b, people_text, reo_ivtest, 2, none, 3, 2);
    run_people(&c, people_text, reo_ivtest, 2, neutral, 4, 2);
    assert_int_equal(differences(&a, &b, reoffending_metric_table.specs,
                                 reoffending_metric_table.n_specs, -1, INT64_MAX),
                     0);
    /* Places with a ratio of 1 are taken up and change no one's offending. */
    double enrolled = total(&c, "enrolments_employment");
    printf("ratio 1: %.0f enrolments, offences %.0f and %.0f\n", enrolled,
           total(&a, "offences_committed"), total(&c, "offences_committed"));
    assert_true(enrolled > 1000);
    assert_true(total(&a, "offences_committed") == total(&c, "offences_committed"));
    assert_true(total(&a, "proven_offences") == total(&c, "proven_offences"));
    test_run_free(&a);
    test_run_free(&b);
    test_run_free(&c);
}

static void employment_support_scales_offending_by_its_ratio(void **state)
{
    (void)state;
    const char *half[] = { "ivtest.capacity=1e9", "ivtest.effect=0.5" };
    const char *zero[] = { "ivtest.capacity=1e9", "ivtest.effect=0.0" };
    test_run a, b, c;
    run_people(&a, people_text, reo_only, 1, NULL, 0, 2);
    run_people(&b, people_text, reo_ivtest, 2, half, 2, 2);
    run_people(&c, people_text, reo_ivtest, 2, zero, 2, 2);
    assert_ratio("employment_support h 0.5", total(&a, "offences_committed"),
                 total(&b, "offences_committed"), total(&c, "offences_committed"), 0.5);
    /* Everyone proven is enrolled once: their first proof starts supervision
     * that lasts the run. */
    assert_true(total(&b, "enrolments_employment") == total(&b, "offenders_first_proven"));
    assert_true(total(&c, "ivtest_over_capacity_days") == 0);
    test_run_free(&a);
    test_run_free(&b);
    test_run_free(&c);
}

/* With ratio 0 nobody offends while the ratio holds, so persistence of D
 * days after a 6-month order must give exactly the offending of a 12-month
 * order without persistence when D is 6 months. */
static void employment_support_persists_after_supervision(void **state)
{
    (void)state;
    const char *short_persisting[] = { "ivtest.capacity=1e9", "ivtest.effect=0.0",
                                       "reoffending.community_order_months=6.0",
                                       "ivtest.persistence_days=182.625" };
    const char *long_order[] = { "ivtest.capacity=1e9", "ivtest.effect=0.0",
                                 "reoffending.community_order_months=12.0" };
    const char *short_only[] = { "ivtest.capacity=1e9", "ivtest.effect=0.0",
                                 "reoffending.community_order_months=6.0" };
    test_run a, b, c;
    run_people(&a, people_text, reo_ivtest, 2, short_persisting, 4, 2);
    run_people(&b, people_text, reo_ivtest, 2, long_order, 3, 2);
    run_people(&c, people_text, reo_ivtest, 2, short_only, 3, 2);
    printf("persistence: offences %.0f (6 months + 182.625 days), %.0f (12 months), "
           "%.0f (6 months)\n",
           total(&a, "offences_committed"), total(&b, "offences_committed"),
           total(&c, "offences_committed"));
    assert_true(total(&a, "offences_committed") == total(&b, "offences_committed"));
    assert_true(total(&a, "proven_offences") == total(&b, "proven_offences"));
    assert_true(total(&c, "offences_committed") > total(&a, "offences_committed") + 1000);
    test_run_free(&a);
    test_run_free(&b);
    test_run_free(&c);
}

static void intensive_supervision_acts_from_min_previous(void **state)
{
    (void)state;
    const char *nobody[] = { "ivtest.type=\"intensive_supervision\"", "ivtest.capacity=1e9",
                             "ivtest.effect=0.5", "ivtest.min_previous=1e6" };
    const char *half[] = { "ivtest.type=\"intensive_supervision\"", "ivtest.capacity=1e9",
                           "ivtest.effect=0.5", "ivtest.min_previous=4" };
    const char *zero[] = { "ivtest.type=\"intensive_supervision\"", "ivtest.capacity=1e9",
                           "ivtest.effect=0.0", "ivtest.min_previous=4" };
    const char *zero_all[] = { "ivtest.type=\"intensive_supervision\"", "ivtest.capacity=1e9",
                               "ivtest.effect=0.0", "ivtest.min_previous=0" };
    test_run a, n, b, c, c0;
    run_people(&a, people_text, reo_only, 1, NULL, 0, 2);
    run_people(&n, people_text, reo_ivtest, 2, nobody, 4, 2);
    run_people(&b, people_text, reo_ivtest, 2, half, 4, 2);
    run_people(&c, people_text, reo_ivtest, 2, zero, 4, 2);
    run_people(&c0, people_text, reo_ivtest, 2, zero_all, 4, 2);
    /* Nobody with that record: nothing changes. */
    assert_int_equal(differences(&a, &n, reoffending_metric_table.specs,
                                 reoffending_metric_table.n_specs, -1, INT64_MAX),
                     0);
    assert_ratio("intensive_supervision h 0.5, prev >= 4", total(&a, "offences_committed"),
                 total(&b, "offences_committed"), total(&c, "offences_committed"), 0.5);
    /* Those under the threshold keep offending when the eligible stop. */
    printf("intensive, ratio 0: offences %.0f from 4 previous, %.0f from 0; enrolments %.0f "
           "and %.0f\n",
           total(&c, "offences_committed"), total(&c0, "offences_committed"),
           total(&c, "enrolments_intensive"), total(&c0, "enrolments_intensive"));
    assert_true(total(&c, "offences_committed") > total(&c0, "offences_committed") + 1000);
    assert_true(total(&c, "enrolments_intensive") < total(&c0, "enrolments_intensive"));
    test_run_free(&a);
    test_run_free(&n);
    test_run_free(&b);
    test_run_free(&c);
    test_run_free(&c0);
}

/* Few places and supervision that ends (6-month orders): the places never
 * hold more than their capacity, and the queue refills the ones freed. */
static void intensive_supervision_fills_freed_places(void **state)
{
    (void)state;
    const char *few[] = { "ivtest.type=\"intensive_supervision\"", "ivtest.capacity=300",
                          "ivtest.effect=0.85", "reoffending.community_order_months=6.0" };
    test_run t;
    run_people(&t, people_text, reo_ivtest, 2, few, 4, 2);
    double days = test_run_days(&t) * t.n_reps;
    double mean_used = total(&t, "ivtest_place_days") / days;
    printf("intensive, 300 places: %.1f in use on average, %.0f enrolments\n", mean_used,
           total(&t, "enrolments_intensive"));
    assert_true(total(&t, "ivtest_over_capacity_days") == 0);
    assert_true(mean_used > 0.95 * 300);
    /* More enrolments than places: freed places were given again. */
    assert_true(total(&t, "enrolments_intensive") > 3 * 300 * t.n_reps);
    test_run_free(&t);
}

/* Outside its dates and areas it changes nothing: before its start every
 * value is as without it; in an area it does not cover every value is as
 * without it; where and when it acts, values change. */
static void programmes_act_only_in_their_dates_and_areas(void **state)
{
    (void)state;
    const char *later[] = { "ivtest.capacity=1e9", "ivtest.effect=0.5", "ivtest.start_day=365" };
    const char *north[] = { "ivtest.capacity=1e9", "ivtest.effect=0.5", "ivtest.areas=1" };
    test_run a, b, c;
    run_people(&a, people_text, reo_only, 1, NULL, 0, 2);
    run_people(&b, people_text, reo_ivtest, 2, later, 3, 2);
    run_people(&c, people_text, reo_ivtest, 2, north, 3, 2);
    int64_t start = a.cfg.start_date + 365;
    assert_int_equal(differences(&a, &b, reoffending_metric_table.specs,
                                 reoffending_metric_table.n_specs, -1, start),
                     0);
    assert_true(differences(&a, &b, reoffending_metric_table.specs,
                            reoffending_metric_table.n_specs, -1, INT64_MAX) > 0);
    assert_true(sum_between(&b, "enrolments_employment", INT64_MIN, start - 1) == 0);
    assert_int_equal(differences(&a, &c, reoffending_metric_table.specs,
                                 reoffending_metric_table.n_specs, 1, INT64_MAX),
                     0);
    assert_true(differences(&a, &c, reoffending_metric_table.specs,
                            reoffending_metric_table.n_specs, 0, INT64_MAX) > 0);
    test_run_free(&a);
    test_run_free(&b);
    test_run_free(&c);
}

/* A programme that stops takes its effect away at once: with ratio 0 for
 * its first year, offending afterwards runs at the rate without it (every
 * rate is back to λ, so the expected offences a day are the same; the
 * difference of two such totals has a standard error below sqrt(A + B)). */
static void a_stopped_programme_loses_its_effect(void **state)
{
    (void)state;
    const char *first_year[] = { "ivtest.capacity=1e9", "ivtest.effect=0.0", "ivtest.end_day=365" };
    test_run a, b;
    run_people(&a, people_text, reo_only, 1, NULL, 0, 2);
    run_people(&b, people_text, reo_ivtest, 2, first_year, 3, 2);
    int64_t stop = a.cfg.start_date + 365;
    double during_a = sum_between(&a, "offences_committed", INT64_MIN, stop - 1);
    double during_b = sum_between(&b, "offences_committed", INT64_MIN, stop - 1);
    double after_a = sum_between(&a, "offences_committed", stop + 31, INT64_MAX);
    double after_b = sum_between(&b, "offences_committed", stop + 31, INT64_MAX);
    printf("stopped: first year %.0f vs %.0f without; afterwards %.0f vs %.0f (4 se %.0f)\n",
           during_b, during_a, after_b, after_a, 4 * sqrt(after_a + after_b));
    assert_true(during_b < 0.7 * during_a);
    assert_true(fabs(after_b - after_a) < 4 * sqrt(after_a + after_b));
    /* No place is held once it has stopped. */
    assert_true(sum_between(&b, "ivtest_place_days", stop + 31, INT64_MAX) == 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* The budget refuses cases beyond what it holds: GBP 20,000 a year at GBP
 * 1,000 a case pays for 20 enrolments each financial year. */
static void employment_support_cases_are_paid(void **state)
{
    (void)state;
    const char *paid[] = { "ivtest.capacity=1e9", "ivtest.effect=0.67", "ivtest.cost_per_case=1000",
                           "budgets.probation=20000" };
    test_run t;
    run_people(&t, people_text, reo_ivtest, 2, paid, 4, 2);
    for (int fy = 0; fy < 3; fy++) {
        int64_t from = date_add_years(t.cfg.start_date, fy);
        int64_t to = date_add_years(t.cfg.start_date, fy + 1) - 1;
        double enrolled = sum_between(&t, "enrolments_employment", from, to);
        printf("financial year %d: %.0f enrolments over %u replications\n", fy + 1, enrolled,
               t.n_reps);
        assert_true(enrolled == 20.0 * t.n_reps);
    }
    assert_true(total(&t, "refusals_ivtest_programme") > 100);
    test_run_free(&t);
}

/* ---- housing on release ---- */

static const char leavers_text[] =
    "start = \"2025-04-01\"; years = 3; warmup_years = 1;\n"
    "areas = ( { name = \"North\"; population = 60000; dwellings = 24000; social_dwellings = 2500;"
    " deprivation = 0.8; neighbours = [\"South\"]; },\n"
    "          { name = \"South\"; population = 50000; dwellings = 21000; social_dwellings = 900;"
    " deprivation = 0.2; neighbours = [\"North\"]; } );\n"
    "housing = { repair_teams = 6; };\n"
    "reoffending = { p_release_social_let = 0.0; p_offend_home = 1.0;"
    " offenders_initial_per_resident = 0.04; hazard_ratio = { supervised = 1.0; }; };\n";

static const model_def *const housing_reo[] = { &housing_model, &reoffending_model };
static const model_def *const housing_reo_ivtest[] = { &housing_model, &reoffending_model,
                                                       &ivtest_model };

static void housing_on_release_without_effect_changes_nothing(void **state)
{
    (void)state;
    const char *none[] = { "ivtest.type=\"housing_on_release\"", "ivtest.capacity=0" };
    test_run a, b;
    run_people(&a, leavers_text, housing_reo, 2, NULL, 0, 3);
    run_people(&b, leavers_text, housing_reo_ivtest, 3, none, 2, 3);
    assert_int_equal(differences(&a, &b, reoffending_metric_table.specs,
                                 reoffending_metric_table.n_specs, -1, INT64_MAX),
                     0);
    assert_int_equal(differences(&a, &b, housing_metric_table.specs, housing_metric_table.n_specs,
                                 -1, INT64_MAX),
                     0);
    test_run_free(&a);
    test_run_free(&b);
}

/* 30 leavers a financial year are housed (there are more leavers and lets
 * than that: twice the default tracked population makes sure of it), no
 * more; each is a let to a leaver in housing's count, and
 * fewer leavers are homeless: a housed leaver was drawn temporary or
 * homeless, homeless with probability 0.16 / 0.40, so the expected fall is
 * 0.4 × housed (binomial se sqrt(housed × 0.24); the later course of the
 * leavers, who offend less once settled, also moves the count a little). */
static void housing_on_release_houses_its_capacity(void **state)
{
    (void)state;
    const char *thirty[] = { "ivtest.type=\"housing_on_release\"", "ivtest.capacity=30" };
    test_run a, b;
    run_people(&a, leavers_text, housing_reo, 2, NULL, 0, 3);
    run_people(&b, leavers_text, housing_reo_ivtest, 3, thirty, 2, 3);
    for (int fy = 0; fy < 3; fy++) {
        int64_t from = date_add_years(b.cfg.start_date, fy);
        int64_t to = date_add_years(b.cfg.start_date, fy + 1) - 1;
        double housed = sum_between(&b, "releases_housed_by_intervention", from, to);
        printf("financial year %d: %.0f leavers housed over %u replications\n", fy + 1, housed,
               b.n_reps);
        assert_true(housed == 30.0 * b.n_reps);
    }
    double housed = total(&b, "releases_housed_by_intervention");
    assert_true(total(&b, "relets_to_leavers") == housed);
    assert_true(total(&a, "relets_to_leavers") == 0);
    double fall = total(&a, "releases_homeless") - total(&b, "releases_homeless");
    double se = sqrt(housed * 0.24);
    printf("homeless leavers %.0f without, %.0f with: fall %.0f (expected %.1f, se %.1f) of "
           "%.0f releases\n",
           total(&a, "releases_homeless"), total(&b, "releases_homeless"), fall, 0.4 * housed, se,
           total(&b, "releases"));
    assert_true(fabs(fall - 0.4 * housed) < 4 * se + 0.02 * total(&a, "releases_homeless"));
    assert_true(fall > 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* Only leavers living in a covered area are housed, and nothing changes in
 * the other area. Housing's repair teams serve the whole borough, so with a
 * queue for them a let in North moves South's repairs too; with teams always
 * free the areas share nothing. */
static void housing_on_release_only_in_its_areas(void **state)
{
    (void)state;
    const char *base[] = { "housing.repair_teams=100000" };
    const char *north[] = { "housing.repair_teams=100000", "ivtest.type=\"housing_on_release\"",
                            "ivtest.capacity=30", "ivtest.areas=1" };
    test_run a, b;
    run_people(&a, leavers_text, housing_reo, 2, base, 1, 3);
    run_people(&b, leavers_text, housing_reo_ivtest, 3, north, 4, 3);
    assert_true(total(&b, "releases_housed_by_intervention") > 0);
    assert_true(differences(&a, &b, reoffending_metric_table.specs,
                            reoffending_metric_table.n_specs, 0, INT64_MAX) > 0);
    assert_int_equal(differences(&a, &b, reoffending_metric_table.specs,
                                 reoffending_metric_table.n_specs, 1, INT64_MAX),
                     0);
    assert_int_equal(
        differences(&a, &b, housing_metric_table.specs, housing_metric_table.n_specs, 1, INT64_MAX),
        0);
    test_run_free(&a);
    test_run_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(employment_support_without_effect_changes_nothing),
        cmocka_unit_test(employment_support_scales_offending_by_its_ratio),
        cmocka_unit_test(employment_support_persists_after_supervision),
        cmocka_unit_test(intensive_supervision_acts_from_min_previous),
        cmocka_unit_test(intensive_supervision_fills_freed_places),
        cmocka_unit_test(programmes_act_only_in_their_dates_and_areas),
        cmocka_unit_test(a_stopped_programme_loses_its_effect),
        cmocka_unit_test(employment_support_cases_are_paid),
        cmocka_unit_test(housing_on_release_without_effect_changes_nothing),
        cmocka_unit_test(housing_on_release_houses_its_capacity),
        cmocka_unit_test(housing_on_release_only_in_its_areas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
