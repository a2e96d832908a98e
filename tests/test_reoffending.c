/* test_reoffending.c — the re-offending model against theory, invariants,
 * and common random numbers.
 *
 * Statistical tests use fixed seeds and a tolerance of 4 standard errors of
 * the sampling error stated at each test (a false failure rate of about 6e-5
 * per comparison if the model is right). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "crime.h"
#include "housing.h"
#include "cohort.h"
#include "reoffending.h"
#include "test_support.h"

/* One area of `population` residents; the reoffending block is appended. */
static char *scenario_text(int population, int warmup, int years, const char *block)
{
    static const char head[] = "start = \"2025-04-01\";\nyears = %d;\nwarmup_years = %d;\n"
                               "areas = ( { name = \"Town\"; population = %d; dwellings = 400000; "
                               "social_dwellings = 1000; deprivation = 0.5; } );\n"
                               "reoffending = { %s };\n";
    size_t n = sizeof head + strlen(block) + 64;
    char *text = malloc(n);
    snprintf(text, n, head, years, warmup, population, block);
    return text;
}

/* Sum of an ALL count over the periods ending on or before `last_day`. */
static double sum_to(const recorder *rec, const char *metric, int64_t last_day)
{
    int m = recorder_find(rec, metric);
    assert_true(m >= 0);
    double sum = 0;
    for (size_t p = 0; p < recorder_n_periods(rec); p++) {
        if (recorder_period_last_day(rec, p) > last_day) break;
        sum += recorder_value(rec, p, recorder_n_areas(rec), m);
    }
    return sum;
}

/* A population drawn directly: n offenders with Gamma(a, scale s) rates of
 * committed offences, everyone homeless (so hazard ratio h applies to all,
 * and nobody settles), no sentences that interrupt offending (no custody, no
 * orders, sentencing at once), no desistance, no inflow, every offence
 * `other` and detected with probability p. A person's proven offences by t
 * are then Poisson(λ h p t) given λ, hence negative binomial:
 *     P(at least one by t) = 1 − (1 + h s p t)^(−a)
 *     proven offences per re-offender = a h s p t / P.
 * Measured from the model's own outputs with no warm-up: people proven for
 * the first time by t (offenders_first_proven) and proven offences. */
static void proven_offending_matches_gamma_poisson(void **state)
{
    (void)state;
    const double a = 0.5, mean = 2.0, h = 1.5, p = 0.2, s = mean / a;
    const int n = 20000;
    char *text = scenario_text(
        1000000, 0, 2,
        "rate_shape = 0.5; rate_mean_per_year = 2.0; offenders_initial_per_resident = 0.02;"
        "offence_mix = { other = 1.0; burglary = 0.0; robbery = 0.0; theft_person = 0.0;"
        " criminal_damage = 0.0; violence_injury = 0.0; }; detect_other = 0.2;"
        "court_delay = { median_days = 0.0; }; custody_max = 0.0; custody_first = 0.0;"
        "p_long_custody = 0.0;"
        "p_community_order = 0.0; desist_per_year = 0.0; first_time_entrants_per_year = 0.0;"
        "initial_custody_share = 0.0; initial_supervised_share = 0.0;"
        "release_accommodation = { settled = 0.0; temporary = 0.0; homeless = 1.0; };"
        "settle_per_year = 0.0; hazard_ratio = { homeless = 1.5; unemployed = 1.0; };");
    const model_def *const models[] = { &reoffending_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 1, 17, 1);
    const recorder *rec = t.results[0].rec;
    static const int months[] = { 3, 6, 12, 24 };
    for (size_t k = 0; k < sizeof months / sizeof months[0]; k++) {
        int64_t last = cohort_add_months(t.cfg.start_date, months[k]) - 1;
        double years = (double)(last - t.cfg.start_date + 1) / 365.25;
        double x = h * s * p * years;
        double share = 1.0 - pow(1.0 + x, -a);
        double expected_n = a * x; /* E[N] */
        double per_reoffender = expected_n / share;
        double proven_people = sum_to(rec, "offenders_first_proven", last);
        double proven = sum_to(rec, "proven_offences", last);
        /* Binomial error of the share; delta-method error of the ratio
         * ΣN / ΣI: Var(N − R I) = Var N − 2 R E[N](1 − P) + R² P (1 − P),
         * Var N = E[N] + E[N]² / a (negative binomial). */
        double se_share = sqrt(share * (1 - share) / n);
        double var_n = expected_n + expected_n * expected_n / a;
        double var_ratio = var_n - 2 * per_reoffender * expected_n * (1 - share) +
                           per_reoffender * per_reoffender * share * (1 - share);
        double se_ratio = sqrt(n * var_ratio) / (n * share);
        printf("t = %2d months: share proven %.4f (theory %.4f, se %.4f); per re-offender "
               "%.4f (theory %.4f, se %.4f)\n",
               months[k], proven_people / n, share, se_share, proven / proven_people,
               per_reoffender, se_ratio);
        assert_true(fabs(proven_people / n - share) < 4 * se_share);
        assert_true(fabs(proven / proven_people - per_reoffender) < 4 * se_ratio);
    }
    assert_true(test_run_value(&t, 0, "prison_population") == 0.0);
    assert_true(test_run_value(&t, 0, "desistances") == 0.0);
    test_run_free(&t);
    free(text);
}

/* No offending and no inflow: nothing is committed or proven in the written
 * years, and once the initial prisoners (short sentences only, served
 * within half a year) are out, custody stays empty. */
static void zero_offending_gives_zero_proofs(void **state)
{
    (void)state;
    char *text = scenario_text(200000, 1, 3,
                               "rate_mean_per_year = 0.0; first_time_entrants_per_year = 0.0;"
                               "initial_custody_long_share = 0.0;");
    const model_def *const models[] = { &reoffending_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 2, 3, 2);
    for (unsigned i = 0; i < 2; i++) {
        const recorder *rec = t.results[i].rec;
        assert_true(test_run_value(&t, i, "offences_committed") == 0.0);
        assert_true(test_run_value(&t, i, "proven_offences") == 0.0);
        assert_true(test_run_value(&t, i, "releases") == 0.0);
        assert_true(test_run_value(&t, i, "new_offenders") == 0.0);
        assert_true(test_run_value(&t, i, "desistances") > 0.0); /* the run did something */
        int prison = recorder_find(rec, "prison_population");
        for (size_t p = 0; p < recorder_n_periods(rec); p++) {
            assert_true(recorder_value(rec, p, recorder_n_areas(rec), prison) == 0.0);
        }
        int size = recorder_find(rec, "cohort_size_all");
        assert_true(recorder_n_quarters(rec, size) > 0);
        for (size_t q = 0; q < recorder_n_quarters(rec, size); q++) {
            int64_t day;
            double value;
            recorder_quarter_row(rec, size, q, &day, &value);
            assert_true(value == 0.0);
        }
    }
    test_run_free(&t);
    free(text);
}

/* Pooled one-year rates of leavers settled and homeless on the first night,
 * with their difference's standard error (two independent proportions). */
static void leaver_rates(const test_run *t, double *settled, double *homeless, double *se)
{
    double ns = 0, ds = 0, nh = 0, dh = 0;
    for (unsigned i = 0; i < t->n_reps; i++) {
        const recorder *rec = t->results[i].rec;
        double num, den;
        assert_int_equal(
            recorder_run_sums(rec, recorder_find(rec, "reoffending_rate_12m_released_settled"),
                              &num, &den),
            0);
        ns += num;
        ds += den;
        assert_int_equal(
            recorder_run_sums(rec, recorder_find(rec, "reoffending_rate_12m_released_homeless"),
                              &num, &den),
            0);
        nh += num;
        dh += den;
    }
    *settled = ns / ds;
    *homeless = nh / dh;
    *se = sqrt(*settled * (1 - *settled) / ds + *homeless * (1 - *homeless) / dh);
    printf("leavers: settled %.4f of %.0f, homeless %.4f of %.0f (se of difference %.4f)\n",
           *settled, ds, *homeless, dh, *se);
}

/* Accommodation that changes nothing (hazard ratios 1), drawn without
 * regard to the person (need_correlation 0), leaves homeless and settled
 * leavers with the same re-offending rate: the two groups are drawn alike.
 * With a large hazard ratio the same comparison detects the gap (the test
 * has power). The sampling error treats leavers as independent; people
 * released in several quarters make it somewhat optimistic, which 4
 * standard errors absorbs. */
static void accommodation_without_effect_gives_equal_rates(void **state)
{
    (void)state;
    char *equal =
        scenario_text(1500000, 3, 6,
                      "hazard_ratio = { temporary = 1.0; homeless = 1.0; }; rate_shape = 0.5;"
                      "release_accommodation = { need_correlation = 0.0; };");
    char *unequal =
        scenario_text(1500000, 3, 6,
                      "hazard_ratio = { temporary = 1.0; homeless = 3.0; }; rate_shape = 0.5;"
                      "release_accommodation = { need_correlation = 0.0; };");
    const model_def *const models[] = { &reoffending_model };
    test_run a, b;
    test_run_load(&a, equal, models, 1, NULL, 0);
    test_run_load(&b, unequal, models, 1, NULL, 0);
    test_run_reps(&a, 4, 23, 2);
    test_run_reps(&b, 4, 23, 2);
    double settled, homeless, se;
    leaver_rates(&a, &settled, &homeless, &se);
    assert_true(fabs(settled - homeless) < 4 * se);
    assert_true(se < 0.03);
    leaver_rates(&b, &settled, &homeless, &se);
    assert_true(homeless - settled > 4 * se);
    test_run_free(&a);
    test_run_free(&b);
    free(equal);
    free(unequal);
}

/* Sum over replications of an ALL count's written-years total. */
static double total_of(const test_run *t, const char *metric)
{
    double sum = 0;
    for (unsigned i = 0; i < t->n_reps; i++) sum += test_run_value(t, i, metric);
    return sum;
}

/* Selection alone: with hazard ratios 1 but housing need correlated with
 * the offending propensity (the default 0.5), homeless leavers re-offend
 * more than settled ones, although accommodation changes nobody's rate.
 * The first-night shares still hold: the thresholds are set from the
 * propensities of custodial terms begun in the warm-up's last two years
 * (about as many as the releases of two years), so a written share differs
 * from the configured one by the sampling error of those thresholds plus
 * its own (binomial, each sqrt(p (1 - p) / n)); 4 times their sum is the
 * tolerance. */
static void accommodation_selects_who_is_homeless(void **state)
{
    (void)state;
    char *text =
        scenario_text(1500000, 3, 6, "hazard_ratio = { temporary = 1.0; homeless = 1.0; };");
    const model_def *const models[] = { &reoffending_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 4, 23, 2);
    double settled, homeless, se;
    leaver_rates(&t, &settled, &homeless, &se);
    assert_true(homeless - settled > 4 * se);

    double releases = total_of(&t, "releases");
    double share = total_of(&t, "releases_homeless") / releases;
    /* The warm-up's last two years hold about 2/6 as many releases a
     * replication as the six written years. */
    double n_warmup = releases / 3.0;
    double tolerance = 4 * (sqrt(0.16 * 0.84 / n_warmup) + sqrt(0.16 * 0.84 / releases));
    printf("selection: homeless share of leavers %.4f of %.0f (configured 0.16, tolerance "
           "%.4f)\n",
           share, releases, tolerance);
    assert_in_range_double(share, 0.16 - tolerance, 0.16 + tolerance);
    test_run_free(&t);
    free(text);
}

/* Least-squares slope (per year) of the tracked population (in the
 * community or in custody, desisters still held included) over the written
 * months of replication i. */
static double tracked_trend_per_year(const test_run *t, unsigned i)
{
    const recorder *rec = t->results[i].rec;
    int community = recorder_find(rec, "offenders_community");
    int custody = recorder_find(rec, "prison_population");
    size_t n = recorder_n_periods(rec), all = recorder_n_areas(rec);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t p = 0; p < n; p++) {
        double x = (double)(recorder_period_last_day(rec, p) - t->cfg.start_date) / 365.25;
        double y = recorder_value(rec, p, all, community) + recorder_value(rec, p, all, custody);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    return (sxy - sx * sy / (double)n) / (sxx - sx * sx / (double)n);
}

/* Nothing changes, so the tracked population is stationary: first-time
 * entrants replace the exits (desistance, at each person's own hazard), and
 * the initial population holds its stationary share of desisters still
 * serving a sentence. The mean of the replications' ten-year trends must be
 * within 4 standard errors (between replications) of zero, and the test
 * must be able to see the old drift of about 0.3% a year. */
static void tracked_population_is_stationary(void **state)
{
    (void)state;
    enum { REPS = 6 };
    char *text = scenario_text(1000000, 3, 10, "");
    const model_def *const models[] = { &reoffending_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, REPS, 41, 2);
    double trend[REPS], mean, se;
    for (unsigned i = 0; i < REPS; i++) trend[i] = tracked_trend_per_year(&t, i);
    mean_and_se(trend, REPS, &mean, &se);
    const recorder *rec = t.results[0].rec;
    double level =
        recorder_value(rec, 0, recorder_n_areas(rec), recorder_find(rec, "offenders_community"));
    printf("stationary: tracked population %.0f, trend %.2f a year (se %.2f; 0.3%% a year is "
           "%.1f)\n",
           level, mean, se, 0.003 * level);
    assert_in_range_double(mean, -4 * se, 4 * se);
    assert_true(4 * se < 0.003 * level); /* the test has power */
    test_run_free(&t);
    free(text);
}

/* Patrols prevent first-time entrants' first offences like any other
 * attempt. One area patrolled at full intensity keeps 1 - e = 0.919 of its
 * attempted street crime (e = crime.patrol_effect 0.081, no neighbours).
 * Every committed offence here is a burglary, and first-time entrants bring
 * about a quarter of the attempts (about 2,900 a year against 10,000
 * burglaries), so if their first offences escaped the patrols the committed
 * share would be about 0.919 + 0.25 x 0.081 = 0.94. Committed and prevented
 * burglaries are counted by the crime model; the share is binomial given the
 * attempts, se sqrt(k (1 - k) / attempts). */
static void patrols_prevent_first_offences(void **state)
{
    (void)state;
    static const char text[] =
        "start = \"2025-04-01\"; years = 5; warmup_years = 1;\n"
        "areas = ( { name = \"Town\"; population = 1000000; dwellings = 400000; "
        "social_dwellings = 0; deprivation = 0.5; } );\n"
        "crime = { rate_per_1000 = { burglary = 10.0; robbery = 0.0; theft_person = 0.0;"
        " criminal_damage = 0.0; violence_injury = 0.0; }; detection_uplift = 0.0;"
        " patrols = ( { name = \"Town\"; intensity = 1.0; } ); };\n"
        "reoffending = { rate_mean_per_year = 0.05; p_release_social_let = 0.0;"
        " offence_mix = { other = 0.0; burglary = 1.0; robbery = 0.0; theft_person = 0.0;"
        " criminal_damage = 0.0; violence_injury = 0.0; }; };\n";
    const model_def *const models[] = { &crime_model, &reoffending_model };
    test_run t;
    test_run_load(&t, text, models, 2, NULL, 0);
    test_run_reps(&t, 4, 43, 2);
    double committed = total_of(&t, "crimes_burglary");
    double prevented = total_of(&t, "prevented_burglary");
    double entrants = total_of(&t, "new_offenders");
    double attempts = committed + prevented, keep = 1.0 - 0.081;
    double se = sqrt(keep * (1 - keep) / attempts);
    printf("patrols and entrants: committed share %.5f (expected %.5f, se %.5f); entrants "
           "%.0f of %.0f attempts\n",
           committed / attempts, keep, se, entrants / keep, attempts);
    assert_in_range_double(committed / attempts, keep - 4 * se, keep + 4 * se);
    /* Power: first offences that escaped would move the share by this much. */
    assert_true(entrants / keep / attempts * 0.081 > 8 * se);
    test_run_free(&t);
}

/* ---- determinism and common random numbers, with housing ---- */

static const char two_areas[] =
    "start = \"2025-04-01\"; years = 4; warmup_years = 2;\n"
    "areas = ( { name = \"North\"; population = 60000; dwellings = 24000; social_dwellings = 2500;"
    " deprivation = 0.8; neighbours = [\"South\"]; },\n"
    "          { name = \"South\"; population = 50000; dwellings = 21000; social_dwellings = 900;"
    " deprivation = 0.2; neighbours = [\"North\"]; } );\n"
    "housing = { repair_teams = 6; };\n";

/* Values of the named model's metrics (every period and area, and every
 * quarterly row) that differ between two runs. */
static size_t differences(const test_run *a, const test_run *b, const metric_spec *specs,
                          size_t n_specs)
{
    size_t differ = 0;
    for (size_t m = 0; m < n_specs; m++) {
        differ += test_metric_differences(a, b, specs[m].name, TEST_WHOLE_RUN);
    }
    return differ;
}

static void thread_count_changes_nothing(void **state)
{
    (void)state;
    const model_def *const models[] = { &housing_model, &reoffending_model };
    const char *lets[] = { "reoffending.p_release_social_let=0.5" };
    test_run a, b;
    test_run_load(&a, two_areas, models, 2, lets, 1);
    test_run_load(&b, two_areas, models, 2, lets, 1);
    test_run_reps(&a, 3, 5, 1);
    test_run_reps(&b, 3, 5, 2);
    assert_true(test_run_value(&a, 0, "releases") > 50);
    assert_int_equal(
        differences(&a, &b, reoffending_metric_table.specs, reoffending_metric_table.n_specs), 0);
    assert_int_equal(differences(&a, &b, housing_metric_table.specs, housing_metric_table.n_specs),
                     0);
    test_run_free(&a);
    test_run_free(&b);
}

/* Without social lets to leavers the models share nothing: a change of a
 * re-offending parameter leaves every housing value identical, while the
 * re-offending values do change (the comparison can see a difference). */
static void reoffending_change_leaves_housing_alone(void **state)
{
    (void)state;
    const model_def *const models[] = { &housing_model, &reoffending_model };
    const char *base[] = { "reoffending.p_release_social_let=0.0" };
    const char *changed[] = { "reoffending.p_release_social_let=0.0",
                              "reoffending.desist_per_year=0.2" };
    test_run a, b;
    test_run_load(&a, two_areas, models, 2, base, 1);
    test_run_load(&b, two_areas, models, 2, changed, 2);
    test_run_reps(&a, 3, 9, 2);
    test_run_reps(&b, 3, 9, 2);
    assert_true(test_run_value(&a, 0, "void_starts") > 100);
    assert_int_equal(differences(&a, &b, housing_metric_table.specs, housing_metric_table.n_specs),
                     0);
    assert_true(
        differences(&a, &b, reoffending_metric_table.specs, reoffending_metric_table.n_specs) > 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* Leavers given social lets occupy ready dwellings: relets happen without
 * the model failing, and housing's answers (refusals, tenancy ends) are
 * handled. */
static void social_lets_to_leavers_run(void **state)
{
    (void)state;
    const model_def *const models[] = { &housing_model, &reoffending_model };
    const char *lets[] = { "reoffending.p_release_social_let=1.0" };
    test_run t;
    test_run_load(&t, two_areas, models, 2, lets, 1);
    test_run_reps(&t, 2, 4, 2);
    for (unsigned i = 0; i < 2; i++) {
        assert_true(test_run_value(&t, i, "releases") > 50);
        assert_true(test_run_value(&t, i, "relets") > 0);
    }
    test_run_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(proven_offending_matches_gamma_poisson),
        cmocka_unit_test(zero_offending_gives_zero_proofs),
        cmocka_unit_test(accommodation_without_effect_gives_equal_rates),
        cmocka_unit_test(accommodation_selects_who_is_homeless),
        cmocka_unit_test(tracked_population_is_stationary),
        cmocka_unit_test(patrols_prevent_first_offences),
        cmocka_unit_test(thread_count_changes_nothing),
        cmocka_unit_test(reoffending_change_leaves_housing_alone),
        cmocka_unit_test(social_lets_to_leavers_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
