/* test_crime.c — the street-crime model (MODELS.md § 2), run in-process
 * with housing (and, in two tests, a stand-in for re-offending).
 *
 * Crime counts are Poisson given the blight path (crime never feeds back
 * into housing), so tolerances are 4 Poisson standard errors unless stated:
 * a false failure rate of about 6e-5 per comparison if the model is right.
 * Seeds are fixed, so the figures printed are reproducible. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "crime.h"
#include "housing.h"
#include "test_files.h"
#include "test_support.h"

static const model_def *const housing_crime[] = { &housing_model, &crime_model };

/* ---- helpers ---- */

/* Whole written run of a count metric for one area (n_areas: ALL). */
static double area_total(const test_run *t, unsigned rep, size_t area, const char *metric)
{
    const recorder *rec = t->results[rep].rec;
    int m = recorder_find(rec, metric);
    if (m < 0) {
        fprintf(stderr, "no metric %s\n", metric);
        abort();
    }
    double sum = 0;
    for (size_t p = 0; p < recorder_n_periods(rec); p++) sum += recorder_value(rec, p, area, m);
    return sum;
}

/* Whole written run of a level_mean metric for one area: the periods'
 * means weighted by their days, i.e. the mean of every day's value. */
static double area_level_mean(const test_run *t, unsigned rep, size_t area, const char *metric)
{
    const recorder *rec = t->results[rep].rec;
    int m = recorder_find(rec, metric);
    if (m < 0) {
        fprintf(stderr, "no metric %s\n", metric);
        abort();
    }
    double sum = 0, days = 0;
    int64_t previous = t->cfg.start_date - 1;
    for (size_t p = 0; p < recorder_n_periods(rec); p++) {
        int64_t last = recorder_period_last_day(rec, p);
        sum += recorder_value(rec, p, area, m) * (double)(last - previous);
        days += (double)(last - previous);
        previous = last;
    }
    return sum / days;
}

/* The deprivation weights D_a of MODELS.md § 2, normalised over residents. */
static void deprivation_weights(const place *p, double gamma, double *d)
{
    double weighted = 0, residents = 0;
    for (size_t a = 0; a < p->n_areas; a++) {
        weighted += (double)p->areas[a].population * exp(gamma * p->areas[a].deprivation);
        residents += (double)p->areas[a].population;
    }
    for (size_t a = 0; a < p->n_areas; a++) {
        d[a] = exp(gamma * p->areas[a].deprivation) * residents / weighted;
    }
}

static char *read_borough(void)
{
    char *text = test_read_file(PLACESIM_SOURCE_DIR "/scenarios/borough.cfg");
    assert_non_null(text);
    return text;
}

/* Number of (metric, period, area, replication) cells where two runs' crime
 * metrics differ. */
static size_t crime_differences(const test_run *a, const test_run *b)
{
    size_t differ = 0;
    for (size_t m = 0; m < crime_metric_table.n_specs; m++) {
        differ += test_metric_differences(a, b, crime_metric_table.specs[m].name, TEST_WHOLE_RUN);
    }
    return differ;
}

/* ---- pure pieces ---- */

static void keep_probability_formula(void **state)
{
    (void)state;
    assert_float_equal(crime_keep_probability(0.081, 0.0, 1.0, 0.0), 0.919, 1e-12);
    assert_float_equal(crime_keep_probability(0.16, 0.5, 0.5, 1.0), 1 - 0.08 - 0.08, 1e-12);
    assert_float_equal(crime_keep_probability(0.0, 1.0, 1.0, 1.0), 1.0, 0);
    /* Never negative, however strong the dose. */
    assert_float_equal(crime_keep_probability(0.5, 1.0, 1.0, 1.0), 0.0, 0);
}

/* The check hook names the file, the line and the entry of a patrol in no
 * area (the scenario loader cannot know area names). */
static void patrol_in_unknown_area_is_an_error(void **state)
{
    (void)state;
    const char *text = "areas = ( { name = \"West\"; population = 1000; dwellings = 400; } );\n"
                       "crime = { patrols = ( { name = \"West\"; intensity = 0.5; },\n"
                       "                      { name = \"Nowhere\"; intensity = 0.5; } ); };\n";
    test_run t;
    test_run_load(&t, text, housing_crime, 2, NULL, 0);
    char err[512] = "", expected[512];
    assert_int_equal(crime_model.check(t.scn, &t.place, err, sizeof err), -1);
    snprintf(expected, sizeof expected, "%s:3: crime.patrols.Nowhere: \"Nowhere\" is not an area",
             t.path);
    assert_string_equal(err, expected);
    test_run_free(&t);
}

/* ---- patrols ---- */

/* Four areas in a line, West - Centre - East - Far, 100,000 residents each
 * and no social housing (so no blight or void damage). */
static const char patrol_scenario[] =
    "start = \"2025-04-01\"; years = 10; warmup_years = 1;\n"
    "areas = (\n"
    " { name = \"West\"; population = 100000; dwellings = 40000; neighbours = [\"Centre\"]; },\n"
    " { name = \"Centre\"; population = 100000; dwellings = 40000; neighbours = [\"West\", "
    "\"East\"]; },\n"
    " { name = \"East\"; population = 100000; dwellings = 40000; neighbours = [\"Centre\", "
    "\"Far\"]; },\n"
    " { name = \"Far\"; population = 100000; dwellings = 40000; neighbours = [\"East\"]; } );\n"
    "crime = { patrol_effect = 0.16; diffusion = 0.5; detection_uplift = %s;\n"
    "  blight_elasticity = { burglary = 0.0; robbery = 0.0; theft_person = 0.0;\n"
    "                        criminal_damage = 0.0; violence_injury = 0.0; };\n"
    "  patrols = ( %s ); };\n";

enum { PATROL_REPS = 8 };

static void load_patrol_run(test_run *t, const char *uplift, const char *patrols)
{
    char text[2048];
    snprintf(text, sizeof text, patrol_scenario, uplift, patrols);
    test_run_load(t, text, housing_crime, 2, NULL, 0);
    test_run_reps(t, PATROL_REPS, 17, 2);
}

/* Intensity 0.75 in Centre: Centre keeps 1 − e·i = 0.88 of its crime; West
 * (one neighbour, Centre) 1 − 0.5·e·0.75 = 0.94; East (Centre and Far, mean
 * 0.375) 0.97; Far (whose neighbour East is unpatrolled) all of it.
 *
 * Tolerance: the ratio of two Poisson totals of N₁ and N₀ crimes has a
 * relative standard error √(1/N₁ + 1/N₀) if the runs are independent (≈0.3%
 * here with ~200,000 crimes an area). The runs share every draw of attempted
 * crime (common random numbers: the attempts do not depend on patrols), so
 * the true error is the binomial error of thinning, √(P(1−P)/N₀)/P ≈ 0.08%;
 * both are asserted. Attempted = committed + prevented holds exactly, and
 * (common random numbers again) no crime is detected under patrols that is
 * not detected without them. */
static void patrols_prevent_crime_here_and_next_door(void **state)
{
    (void)state;
    test_run none, patrolled;
    load_patrol_run(&none, "0.0", "");
    load_patrol_run(&patrolled, "0.0", "{ name = \"Centre\"; intensity = 0.75; }");
    const char *names[] = { "West", "Centre", "East", "Far" };
    const double keep[] = { 1 - 0.5 * 0.16 * 0.75, 1 - 0.16 * 0.75, 1 - 0.5 * 0.16 * 0.375, 1.0 };
    for (size_t a = 0; a < 4; a++) {
        double n0 = 0, n1 = 0, detected = 0;
        for (unsigned i = 0; i < PATROL_REPS; i++) {
            for (int k = 0; k < CRIME_TYPES; k++) {
                char crimes[64], prevented[64], det[64];
                snprintf(crimes, sizeof crimes, "crimes_%s", crime_type_names[k]);
                snprintf(prevented, sizeof prevented, "prevented_%s", crime_type_names[k]);
                snprintf(det, sizeof det, "detected_%s", crime_type_names[k]);
                double c0 = area_total(&none, i, a, crimes),
                       c1 = area_total(&patrolled, i, a, crimes);
                double p1 = area_total(&patrolled, i, a, prevented);
                assert_true(area_total(&none, i, a, prevented) == 0.0);
                assert_true(c1 + p1 == c0); /* same attempts in both runs */
                /* Each attempt's detection draw is its own, so the patrolled
                 * run detects a subset of the crimes the other detects. */
                assert_true(area_total(&patrolled, i, a, det) <= area_total(&none, i, a, det));
                n0 += c0;
                n1 += c1;
                detected += area_total(&patrolled, i, a, det);
            }
        }
        double ratio = n1 / n0;
        double poisson_se = ratio * sqrt(1 / n1 + 1 / n0);
        double binomial_se = sqrt(keep[a] * (1 - keep[a]) / n0);
        double share = detected / n1, share_se = sqrt(0.06 * 0.94 / n1);
        printf("patrols: %-6s crime ratio %.5f, expected %.5f (Poisson se %.5f, CRN se %.5f); "
               "detected share %.4f (expected 0.06, se %.4f)\n",
               names[a], ratio, keep[a], poisson_se, binomial_se, share, share_se);
        assert_true(n0 > 150000);
        assert_true(fabs(ratio - keep[a]) < 4 * poisson_se);
        assert_true(fabs(ratio - keep[a]) <= 4 * binomial_se);
        assert_true(fabs(share - 0.06) < 4 * share_se); /* no uplift in this test */
    }
    test_run_free(&none);
    test_run_free(&patrolled);
}

/* With an uplift of 0.2, Centre's crimes are detected with probability
 * 0.06 × (1 + 0.2 × 0.75) = 0.069 and West's (unpatrolled) with 0.06:
 * binomial standard errors. */
static void patrols_raise_detection(void **state)
{
    (void)state;
    test_run t;
    load_patrol_run(&t, "0.2", "{ name = \"Centre\"; intensity = 0.75; }");
    const double expected[] = { 0.06, 0.069 };
    for (size_t a = 0; a < 2; a++) {
        double crimes = 0, detected = 0;
        for (unsigned i = 0; i < PATROL_REPS; i++) {
            for (int k = 0; k < CRIME_TYPES; k++) {
                char name[64];
                snprintf(name, sizeof name, "crimes_%s", crime_type_names[k]);
                crimes += area_total(&t, i, a, name);
                snprintf(name, sizeof name, "detected_%s", crime_type_names[k]);
                detected += area_total(&t, i, a, name);
            }
        }
        double share = detected / crimes;
        double se = sqrt(expected[a] * (1 - expected[a]) / crimes);
        printf("detection: area %zu share %.5f, expected %.3f (se %.5f)\n", a, share, expected[a],
               se);
        assert_true(fabs(share - expected[a]) < 4 * se);
    }
    test_run_free(&t);
}

/* ---- independence from voids, with common random numbers ---- */

/* Two areas of 3,000 social dwellings each and 12 repair teams: at turnover
 * 0.06 the queue is stable, at 0.12 it is not, and blight rises steeply. */
static const char void_scenario[] =
    "start = \"2025-04-01\"; years = 5; warmup_years = 2;\n"
    "areas = (\n"
    " { name = \"North\"; population = 15000; dwellings = 6000; social_dwellings = 3000;\n"
    "   deprivation = 0.8; neighbours = [\"South\"]; },\n"
    " { name = \"South\"; population = 15000; dwellings = 6000; social_dwellings = 3000;\n"
    "   deprivation = 0.2; neighbours = [\"North\"]; } );\n"
    "housing = { turnover = %s; repair_teams = 12; damage = { hazard_per_day = 0.0; }; };\n"
    "crime = { blight_elasticity = { burglary = %s; robbery = %s; theft_person = %s;\n"
    "          criminal_damage = %s; violence_injury = %s; }; };\n";

static void load_void_run(test_run *t, const char *turnover, const char *beta, unsigned threads)
{
    char text[2048];
    snprintf(text, sizeof text, void_scenario, turnover, beta, beta, beta, beta, beta);
    test_run_load(t, text, housing_crime, 2, NULL, 0);
    test_run_reps(t, 3, 23, threads);
}

/* With every blight elasticity 0 (and no void damage), crime's draws depend
 * only on (area, type, day): doubling turnover changes housing but leaves
 * every crime value of every period, area and replication identical. With
 * elasticities of 0.05 the same change moves crime: the control. */
static void zero_blight_elasticity_makes_crime_ignore_voids(void **state)
{
    (void)state;
    test_run low, high, low_beta, high_beta;
    load_void_run(&low, "0.06", "0.0", 2);
    load_void_run(&high, "0.12", "0.0", 2);
    load_void_run(&low_beta, "0.06", "0.05", 2);
    load_void_run(&high_beta, "0.12", "0.05", 2);
    double blight_low = test_run_value(&low, 0, "blight_index");
    double blight_high = test_run_value(&high, 0, "blight_index");
    printf(
        "voids: blight %.2f at turnover 0.06, %.2f at 0.12; violence %.0f vs %.0f at beta 0.05\n",
        blight_low, blight_high, test_run_value(&low_beta, 0, "crimes_violence_injury"),
        test_run_value(&high_beta, 0, "crimes_violence_injury"));
    assert_true(blight_high > blight_low + 1.0); /* housing did change */
    assert_true(test_run_value(&low, 0, "crimes_violence_injury") > 1000);
    assert_int_equal(crime_differences(&low, &high), 0);
    assert_true(crime_differences(&low_beta, &high_beta) > 0);
    test_run_free(&low);
    test_run_free(&high);
    test_run_free(&low_beta);
    test_run_free(&high_beta);
}

/* ---- the borough ---- */

enum { BOROUGH_REPS = 10 };

/* Expected recorded crimes of type k a year in one replication, given its
 * blight: Σ_a r_k pop_a/1000 D_a (1 + β_k b̄_a). Void damage and blight
 * overlap only in criminal damage, where the error (damage × β × b̄, a few
 * crimes in 2,500) is far below the tolerance. */
static double expected_per_year(const test_run *t, unsigned rep, const double *d, double rate,
                                double beta)
{
    double sum = 0;
    for (size_t a = 0; a < t->place.n_areas; a++) {
        double blight = area_level_mean(t, rep, a, "blight_index");
        sum += rate * (double)t->place.areas[a].population / 1000.0 * d[a] * (1 + beta * blight);
    }
    return sum;
}

/* In the default borough, all three models running, each type's recorded
 * rate per 1,000 residents a year (ALL, written years, mean of 10
 * replications) is within 10% of its configured rate; in fact within 4 standard errors (between replications,
 * so the noise of the warm-up's measured damage is included) of the rate
 * with the borough's small blight added (β_k × b̄ ≈ 0.1-0.2%). */
static void borough_meets_configured_rates(void **state)
{
    (void)state;
    static const double rates[CRIME_TYPES] = { 4.4, 1.3, 2.5, 9.0, 8.7 };
    static const double betas[CRIME_TYPES] = { 0.005, 0.005, 0.005, 0.005, 0.01 };
    char *text = read_borough();
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    test_run t;
    test_run_load(&t, text, models, n_models, NULL, 0);
    test_run_reps(&t, BOROUGH_REPS, 1, 2);
    double years = test_run_days(&t) / 365.25;
    double thousands = (double)t.place.population / 1000.0;
    double *d = malloc(t.place.n_areas * sizeof *d);
    deprivation_weights(&t.place, 1.1, d);
    for (int k = 0; k < CRIME_TYPES; k++) {
        char name[64];
        snprintf(name, sizeof name, "crimes_%s", crime_type_names[k]);
        double measured[BOROUGH_REPS], expected = 0;
        for (unsigned i = 0; i < BOROUGH_REPS; i++) {
            measured[i] = test_run_value(&t, i, name) / years / thousands;
            expected += expected_per_year(&t, i, d, rates[k], betas[k]) / thousands / BOROUGH_REPS;
        }
        double mean, se;
        mean_and_se(measured, BOROUGH_REPS, &mean, &se);
        printf("borough: %-16s %.4f per 1,000 a year (configured %.1f, %+.2f%%; with blight "
               "%.4f; se %.4f = %.2f%%)\n",
               crime_type_names[k], mean, rates[k], 100 * (mean / rates[k] - 1), expected, se,
               100 * se / mean);
        assert_true(fabs(mean / rates[k] - 1) < 0.10);
        assert_true(fabs(mean - expected) < 4 * se);
    }
    free(d);
    test_run_free(&t);
    free(text);
}

/* Raising turnover from 0.06 to 0.063 overloads 49 repair teams (the
 * borough's former size: utilisation 0.93 at 0.06, about 0.98 at 0.063):
 * voids queue and blight rises several-fold. The borough's own 57 teams
 * (utilisation 0.8) take the same rise with blight moving only from about
 * 0.24 to 0.26, a violence ratio of about 1.0007 against a Poisson se of
 * 0.003: no power, so the test sets 49 teams in both runs. With β = 0.05 for
 * violence (and no tracked offenders, so its background is the whole rate),
 * each replication's expected violence is Σ_a base_a (1 + β b̄_a) with b̄_a
 * its own mean blight; the measured ratio of the two runs' totals must match
 * the ratio of these predictions. Tolerance: 4 × the ratio's relative
 * Poisson error √(1/N₁ + 1/N₀), which treats the runs as independent; they
 * share their draws (common random numbers), so the real error is smaller. */
static void blight_raises_violence_as_predicted(void **state)
{
    (void)state;
    char *text = read_borough();
    /* The borough's models, with no tracked offenders at all. */
    const char *low_set[] = { "housing.turnover=0.06", "housing.repair_teams=49",
                              "crime.blight_elasticity.violence_injury=0.05",
                              "reoffending.offenders_initial_per_resident=0",
                              "reoffending.first_time_entrants_per_year=0" };
    const char *high_set[] = { "housing.turnover=0.063", "housing.repair_teams=49",
                               "crime.blight_elasticity.violence_injury=0.05",
                               "reoffending.offenders_initial_per_resident=0",
                               "reoffending.first_time_entrants_per_year=0" };
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    test_run low, high;
    test_run_load(&low, text, models, n_models, low_set, 5);
    test_run_load(&high, text, models, n_models, high_set, 5);
    test_run_reps(&low, BOROUGH_REPS, 5, 2);
    test_run_reps(&high, BOROUGH_REPS, 5, 2);
    double *d = malloc(low.place.n_areas * sizeof *d);
    deprivation_weights(&low.place, 1.1, d);
    double years = test_run_days(&low) / 365.25;
    double n0 = 0, n1 = 0, e0 = 0, e1 = 0;
    for (unsigned i = 0; i < BOROUGH_REPS; i++) {
        n0 += test_run_value(&low, i, "crimes_violence_injury");
        n1 += test_run_value(&high, i, "crimes_violence_injury");
        e0 += expected_per_year(&low, i, d, 8.7, 0.05) * years;
        e1 += expected_per_year(&high, i, d, 8.7, 0.05) * years;
    }
    double ratio = n1 / n0, predicted = e1 / e0, se = ratio * sqrt(1 / n1 + 1 / n0);
    printf("coupling: blight %.3f -> %.3f; violence ratio %.5f, predicted %.5f (se %.5f); "
           "totals %.0f vs expected %.0f, %.0f vs %.0f\n",
           test_run_value(&low, 0, "blight_index"), test_run_value(&high, 0, "blight_index"), ratio,
           predicted, se, n0, e0, n1, e1);
    assert_true(predicted > 1 + 10 * se); /* the test has power */
    assert_true(fabs(ratio - predicted) < 4 * se);
    /* Each total on its own: Poisson given the blight path. */
    assert_true(fabs(n0 - e0) < 4 * sqrt(e0));
    assert_true(fabs(n1 - e1) < 4 * sqrt(e1));
    free(d);
    test_run_free(&low);
    test_run_free(&high);
    free(text);
}

/* Replications are pure functions of (scenario, seed, replication): one
 * thread or two, every crime value and every demand cost is the same. The
 * costs are the default library's unit costs rebased to 2024/25 (its
 * deflator, HM Treasury March 2026, 2024/25 = 100: police costs at 2008/09,
 * 66.8397; totals at 2015/16, 74.5804) times the crimes: health 4% of
 * violence and robbery, victims the rest. */
static void thread_count_changes_nothing(void **state)
{
    (void)state;
    test_run a, b;
    load_void_run(&a, "0.08", "0.05", 1);
    load_void_run(&b, "0.08", "0.05", 2);
    assert_int_equal(crime_differences(&a, &b), 0);
    static const double total[CRIME_TYPES] = { 5930, 11320, 1380, 1350, 14050 };
    static const double police[CRIME_TYPES] = { 752, 2550, 752, 209, 428 };
    static const double health[CRIME_TYPES] = { 0, 0.04, 0, 0, 0.04 };
    for (unsigned i = 0; i < a.n_reps; i++) {
        double want_police = 0, want_health = 0, want_all = 0;
        for (int k = 0; k < CRIME_TYPES; k++) {
            char name[64];
            snprintf(name, sizeof name, "crimes_%s", crime_type_names[k]);
            double n = test_run_value(&a, i, name);
            want_police += n * police[k] * 100.0 / 66.8397;
            want_health += n * health[k] * total[k] * 100.0 / 74.5804;
            want_all += n * total[k] * 100.0 / 74.5804;
        }
        double got_police = test_run_value(&a, i, "demand_cost_police");
        double got_health = test_run_value(&a, i, "demand_cost_health");
        double got_victims = test_run_value(&a, i, "demand_cost_victims");
        assert_true(got_victims == test_run_value(&b, i, "demand_cost_victims"));
        /* The ledger rounds each day's charge of a bearer and item (one item
         * per type) to the penny; rebased unit costs are not whole pennies,
         * so each bearer is within half a penny per item-day. */
        double pennies = 0.005 * CRIME_TYPES * test_run_days(&a);
        assert_true(fabs(got_police - want_police) <= pennies + 1e-9 * want_all);
        assert_true(fabs(got_health - want_health) <= pennies + 1e-9 * want_all);
        assert_true(fabs(got_police + got_health + got_victims - want_all) <=
                    3 * pennies + 1e-9 * want_all);
    }
    test_run_free(&a);
    test_run_free(&b);
}

/* ---- tracked offenders, through a stand-in for re-offending ---- */

/* A test-only model registered after crime that reports, each day at noon,
 * a fixed number of violent offences by tracked offenders in area 0, as
 * re-offending will (prevention and detection already applied). It fails
 * the run if crime has not zeroed yesterday's tallies. */
static const param_spec tracked_params[] = {
    PARAM_GROUP_ROW("tracked", "", "test", "test-only tracked offences"),
    PARAM_INT_ROW("tracked.attempted", "a day", 0, 1000, "0", "test", "attempted"),
    PARAM_INT_ROW("tracked.prevented", "a day", 0, 1000, "0", "test", "prevented"),
    PARAM_INT_ROW("tracked.detected", "a day", 0, 1000, "0", "test", "detected"),
};
static const param_table tracked_param_table = PARAM_TABLE("tracked", tracked_params);

typedef struct tracked {
    int64_t attempted, prevented, detected;
} tracked;

static int tracked_create(sim_run *run, void **state)
{
    tracked *tr = calloc(1, sizeof *tr);
    if (!tr) return sim_fail(run, "out of memory");
    *state = tr;
    tr->attempted = scenario_int(sim_scenario(run), "tracked.attempted");
    tr->prevented = scenario_int(sim_scenario(run), "tracked.prevented");
    tr->detected = scenario_int(sim_scenario(run), "tracked.detected");
    return 0;
}

static void tracked_destroy(void *state) { free(state); }

static int tracked_begin_day(void *state, sim_run *run)
{
    (void)state;
    shared_state *st = shared_of(run);
    for (size_t i = 0; i < st->n_areas * CRIME_TYPES; i++) {
        if (st->tracked_attempted[i] || st->tracked_prevented[i] || st->tracked_detected[i]) {
            return sim_fail(run, "tracked tallies were not zeroed");
        }
    }
    return sim_schedule(run, sim_now(run) + 0.5, 0, 0, 0);
}

static int tracked_handle(void *state, sim_run *run, const sim_event *ev)
{
    (void)ev;
    tracked *tr = state;
    shared_state *st = shared_of(run);
    st->tracked_attempted[CRIME_VIOLENCE_INJURY] += tr->attempted;
    st->tracked_prevented[CRIME_VIOLENCE_INJURY] += tr->prevented;
    st->tracked_detected[CRIME_VIOLENCE_INJURY] += tr->detected;
    return 0;
}

static const model_def tracked_model = {
    .name = "tracked",
    .stream_id = 101, /* test-only: an id no real model uses */
    .doc = "test-only stand-in for re-offending",
    .params = &tracked_param_table,
    .metrics = &model_no_metrics,
    .create = tracked_create,
    .destroy = tracked_destroy,
    .handle = tracked_handle,
    .begin_day = tracked_begin_day,
};

static const model_def *const with_tracked[] = { &housing_model, &crime_model, &tracked_model };

static const char tracked_scenario[] =
    "start = \"2025-04-01\"; years = 10; warmup_years = %d;\n"
    "areas = ( { name = \"Town\"; population = %d; dwellings = 80000; deprivation = 0.5; } );\n"
    "tracked = { attempted = %d; prevented = %d; detected = %d; };\n";

static int has_warning(const replication_result *r, const char *text)
{
    for (size_t i = 0; i < r->n_warnings; i++) {
        if (strstr(r->warnings[i], text)) return 1;
    }
    return 0;
}

static void load_tracked_run(test_run *t, int warmup, int population, int attempted, int prevented,
                             int detected, unsigned reps)
{
    char text[1024];
    snprintf(text, sizeof text, tracked_scenario, warmup, population, attempted, prevented,
             detected);
    test_run_load(t, text, with_tracked, 3, NULL, 0);
    test_run_reps(t, reps, 29, 2);
}

/* Tracked offences are part of the configured rate: 2 a day (730.5 a year)
 * of the 1,740 violent crimes a year of 200,000 residents, so the
 * background is 1,009.5 a year and recorded violence still 1,740 a year.
 * Only the background is random: tolerance 4 √(background count). */
static void tracked_offences_count_towards_the_rate(void **state)
{
    (void)state;
    enum { REPS = 4 };
    test_run t;
    load_tracked_run(&t, 1, 200000, 2, 0, 0, REPS);
    double years = test_run_days(&t) / 365.25, crimes = 0;
    for (unsigned i = 0; i < REPS; i++) crimes += test_run_value(&t, i, "crimes_violence_injury");
    double expected = 1740.0 * years * REPS, background = 1009.5 * years * REPS;
    printf("tracked: violence %.0f, expected %.0f (se %.0f)\n", crimes, expected, sqrt(background));
    assert_true(fabs(crimes - expected) < 4 * sqrt(background));
    assert_int_equal(t.results[0].n_warnings, 0);
    test_run_free(&t);
}

/* When tracked offences alone exceed the rate (365 a day against 8.7 a year
 * for 1,000 residents), the background is 0 and the run warns; then every
 * recorded violent crime is a tracked one: exact counts. */
static void tracked_offences_above_the_rate_leave_no_background(void **state)
{
    (void)state;
    test_run t;
    load_tracked_run(&t, 1, 1000, 3, 1, 1, 1);
    double days = test_run_days(&t);
    assert_true(test_run_value(&t, 0, "crimes_violence_injury") == 2 * days);
    assert_true(test_run_value(&t, 0, "prevented_violence_injury") == days);
    assert_true(test_run_value(&t, 0, "detected_violence_injury") == days);
    assert_true(has_warning(&t.results[0], "alone exceed the violence_injury rate"));
    test_run_free(&t);
}

/* Without a warm-up nothing is measured: the background runs at the full
 * rate, the tracked offences come on top, and the run says so. */
static void no_warmup_means_full_background_and_a_warning(void **state)
{
    (void)state;
    enum { REPS = 4 };
    test_run t;
    load_tracked_run(&t, 0, 200000, 2, 0, 0, REPS);
    double years = test_run_days(&t) / 365.25, crimes = 0;
    for (unsigned i = 0; i < REPS; i++) crimes += test_run_value(&t, i, "crimes_violence_injury");
    double expected = (1740.0 + 730.5) * years * REPS, background = 1740.0 * years * REPS;
    assert_true(fabs(crimes - expected) < 4 * sqrt(background));
    assert_true(has_warning(&t.results[0], "warm-up is shorter than a year"));
    test_run_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keep_probability_formula),
        cmocka_unit_test(patrol_in_unknown_area_is_an_error),
        cmocka_unit_test(patrols_prevent_crime_here_and_next_door),
        cmocka_unit_test(patrols_raise_detection),
        cmocka_unit_test(zero_blight_elasticity_makes_crime_ignore_voids),
        cmocka_unit_test(borough_meets_configured_rates),
        cmocka_unit_test(blight_raises_violence_as_predicted),
        cmocka_unit_test(thread_count_changes_nothing),
        cmocka_unit_test(tracked_offences_count_towards_the_rate),
        cmocka_unit_test(tracked_offences_above_the_rate_leave_no_background),
        cmocka_unit_test(no_warmup_means_full_background_and_a_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
