/* test_housing.c — invariants and queueing theory for the voids model.
 *
 * Statistical tests use fixed seeds and compare against theory with a
 * tolerance of 4 standard errors of the between-replication mean (a false
 * failure rate of about 6e-5 per comparison if the model is right). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "housing.h"
#include "test_support.h"

static const model_def *const models[] = { &housing_model };

/* One area of `dwellings` social dwellings; the housing block is appended. */
static char *scenario_text_sized(const char *housing_block, int years, int dwellings)
{
    static const char head[] = "start = \"2025-04-01\";\nyears = %d;\nwarmup_years = 3;\n"
                               "areas = ( { name = \"Estate\"; population = 7000; dwellings = %d; "
                               "social_dwellings = %d; deprivation = 0.0; } );\n"
                               "housing = { %s };\n";
    size_t n = sizeof head + strlen(housing_block) + 48;
    char *text = malloc(n);
    snprintf(text, n, head, years, dwellings, dwellings, housing_block);
    return text;
}

static char *scenario_text(const char *housing_block, int years)
{
    return scenario_text_sized(housing_block, years, 3000);
}

static void zero_turnover_gives_zero_voids(void **state)
{
    (void)state;
    char *text = scenario_text("turnover = 0.0;", 5);
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 2, 7, 1);
    for (unsigned i = 0; i < 2; i++) {
        assert_true(test_run_value(&t, i, "voids") == 0.0);
        assert_true(test_run_value(&t, i, "void_starts") == 0.0);
        assert_true(test_run_value(&t, i, "void_days") == 0.0);
        assert_true(test_run_value(&t, i, "lost_rent") == 0.0);
        assert_true(isnan(test_run_value(&t, i, "relet_days_median")));
    }
    test_run_free(&t);
    free(text);
}

/* Little's law, L = lambda W: the time-mean number of voids equals the rate
 * of void starts times the mean days vacant. Each replication gives one
 * estimate of (L - lambda W) / L; its boundary effects (voids straddling the
 * start or end) cancel in expectation at steady state, so the mean over
 * replications must be 0 within 4 standard errors. Eight teams keep the
 * queue stable (offered load ~6.1 teams including damage work); with six the
 * queue grows without bound and the law, a steady-state result, fails. */
static void littles_law_holds(void **state)
{
    (void)state;
    char *text = scenario_text("turnover = 0.06; repair_teams = 8;", 10);
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    enum { REPS = 16 };
    test_run_reps(&t, REPS, 11, 2);
    double gap[REPS];
    for (unsigned i = 0; i < REPS; i++) {
        double voids = test_run_value(&t, i, "voids");
        double rate = test_run_value(&t, i, "void_starts") / test_run_days(&t);
        double duration = test_run_value(&t, i, "relet_days_mean");
        gap[i] = (voids - rate * duration) / voids;
    }
    double mean, se;
    mean_and_se(gap, REPS, &mean, &se);
    printf("Little's law: mean relative gap %.4f, se %.4f\n", mean, se);
    assert_true(fabs(mean) < 4 * se);
    assert_true(se < 0.05); /* the test has power */
    test_run_free(&t);
    free(text);
}

/* Erlang C mean wait in queue of M/M/c with offered load a = lambda / mu. */
static double erlang_c_wait(double lambda, double mean_service, int c)
{
    double a = lambda * mean_service;
    double term = 1.0, sum = 0.0;
    for (int k = 0; k < c; k++) {
        sum += term;
        term *= a / (k + 1);
    }
    double tail = term * c / (c - a); /* a^c / c! × c / (c − a) */
    double p_wait = tail / (sum + tail);
    return p_wait * mean_service / (c - a);
}

/* Exponential work, no major works, FIFO, no damage, no letting delay: the
 * repair queue is M/M/c. Arrivals come from the occupied homes, a finite
 * source; with 30,000 homes at turnover 0.006 the arrival rate moves by
 * under 0.1% as voids come and go, and the finite-source (machine-repair)
 * wait differs from Erlang C by about 0.1% — far inside the tolerance. The
 * rate used is that of the homes actually occupied on average. Each
 * replication's mean wait is one estimate; their mean must match Erlang C
 * within 4 standard errors. */
static void repair_queue_matches_erlang_c(void **state)
{
    (void)state;
    char *text = scenario_text_sized(
        "turnover = 0.006; repair_teams = 5; queue_order = \"fifo\";\n"
        "repair_work = { distribution = \"exponential\"; median_team_days = 6.0; sigma = 0.8;"
        " major_share = 0.0; };\n"
        "letting_delay = { median_days = 0.0; };\n"
        "damage = { hazard_per_day = 0.0; };",
        40, 30000);
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    enum { REPS = 32 };
    test_run_reps(&t, REPS, 3, 2);
    double mean_service = 6.0 * exp(0.5 * 0.8 * 0.8);
    double excess[REPS], theory = 0;
    for (unsigned i = 0; i < REPS; i++) {
        double occupied = 30000.0 - test_run_value(&t, i, "voids");
        double lambda = occupied * 0.006 / 365.25;
        double wait = test_run_value(&t, i, "repair_wait_days_mean");
        theory = erlang_c_wait(lambda, mean_service, 5);
        excess[i] = wait - theory;
    }
    double mean, se;
    mean_and_se(excess, REPS, &mean, &se);
    printf("Erlang C: theory %.3f days, simulated - theory %.3f (se %.3f)\n", theory, mean, se);
    assert_true(fabs(mean) < 4 * se);
    assert_true(se < 0.05 * theory); /* the test has power */
    test_run_free(&t);
    free(text);
}

/* With no damage and securing off, nothing is secured or damaged; blight
 * stays within its definition (1000 × long voids / dwellings). */
static void blight_index_follows_long_voids(void **state)
{
    (void)state;
    char *text =
        scenario_text("turnover = 0.06; repair_teams = 4; damage = { hazard_per_day = 0.0; };", 5);
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 1, 5, 1);
    double long_voids = test_run_value(&t, 0, "voids_long");
    double blight = test_run_value(&t, 0, "blight_index");
    assert_true(long_voids > 0);
    /* Both are means of daily end-of-day values: blight = 1000 × long / 3000. */
    assert_float_equal(blight, 1000.0 * long_voids / 3000.0, 1e-9 * blight);
    assert_true(test_run_value(&t, 0, "damage_incidents") == 0.0);
    assert_true(test_run_value(&t, 0, "security_cost") == 0.0);
    test_run_free(&t);
    free(text);
}

/* Securing every void from day 0 divides the damage hazard by the divisor:
 * damage incidents per void-day fall by that factor (Poisson counts: the
 * tolerance is 4 standard errors of each count's ratio). */
static void securing_divides_damage(void **state)
{
    (void)state;
    const char *common =
        "turnover = 0.06; repair_teams = 4;"
        "damage = { hazard_per_day = 0.02; exposed_multiplier = 1.0; secured_divisor = 5.0; };";
    char block[512];
    snprintf(block, sizeof block, "%s securing = { enabled = false; };", common);
    char *open_text = scenario_text(block, 10);
    snprintf(block, sizeof block, "%s securing = { enabled = true; after_days = 0.0; };", common);
    char *secured_text = scenario_text(block, 10);
    test_run open_run, secured_run;
    test_run_load(&open_run, open_text, models, 1, NULL, 0);
    test_run_load(&secured_run, secured_text, models, 1, NULL, 0);
    test_run_reps(&open_run, 4, 9, 2);
    test_run_reps(&secured_run, 4, 9, 2);
    double open_damage = 0, open_days = 0, secured_damage = 0, secured_days = 0;
    for (unsigned i = 0; i < 4; i++) {
        open_damage += test_run_value(&open_run, i, "damage_incidents");
        open_days += test_run_value(&open_run, i, "void_days");
        secured_damage += test_run_value(&secured_run, i, "damage_incidents");
        secured_days += test_run_value(&secured_run, i, "void_days");
    }
    double ratio = (open_damage / open_days) / (secured_damage / secured_days);
    double rel_se = sqrt(1.0 / open_damage + 1.0 / secured_damage);
    printf("securing: damage rate ratio %.3f (expected 5, relative se %.3f)\n", ratio, rel_se);
    assert_true(fabs(ratio / 5.0 - 1.0) < 4 * rel_se);
    assert_true(test_run_value(&secured_run, 0, "security_cost") > 0);
    test_run_free(&open_run);
    test_run_free(&secured_run);
    free(open_text);
    free(secured_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zero_turnover_gives_zero_voids),
        cmocka_unit_test(littles_law_holds),
        cmocka_unit_test(repair_queue_matches_erlang_c),
        cmocka_unit_test(blight_index_follows_long_voids),
        cmocka_unit_test(securing_divides_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
