/* test_budgets.c — budgets, the pool and the ledger (MODELS.md § 5), with
 * the interventions model and a test-only case-based payer.
 *
 * All figures are exact (integer pence): a budget of GBP 36,500 a year is
 * GBP 100 a day, so every day on which money runs out is known in advance. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "budget.h"
#include "interventions.h"
#include "ledger.h"
#include "test_support.h"

/* ---- a test-only model that takes one case a day ---- */

typedef struct caser {
    long k;
    double cost;
} caser;

static int caser_create(sim_run *run, void **state)
{
    caser *c = calloc(1, sizeof *c);
    if (!c) return sim_fail(run, "out of memory");
    *state = c;
    c->cost = scenario_float(sim_scenario(run), "caser.cost_per_case");
    c->k = sim_register_intervention(run, "cases", BEARER_HOUSING);
    return c->k < 0 ? -1 : 0;
}

static void caser_destroy(void *state) { free(state); }

static int caser_begin_day(void *state, sim_run *run)
{
    caser *c = state;
    if (!sim_written(run)) return 0;
    return sim_fund_case(run, (size_t)c->k, c->cost) < 0 ? -1 : 0;
}

static const param_spec caser_params[] = {
    PARAM_GROUP_ROW("caser", "", "test", ""),
    PARAM_FLOAT_ROW("caser.cost_per_case", "GBP", 0, 1e9, "150", "test", ""),
};
static const param_table caser_param_table = PARAM_TABLE("caser", caser_params);

static const model_def caser_model = {
    .name = "caser",
    .stream_id = 100, /* test-only: an id no real model uses */
    .doc = "test-only: one case a day",
    .params = &caser_param_table,
    .metrics = &model_no_metrics,
    .create = caser_create,
    .destroy = caser_destroy,
    .begin_day = caser_begin_day,
};

static const char place_text[] =
    "areas = ( { name = \"North\"; population = 1000; dwellings = 400; social_dwellings = 0; } );\n"
    "warmup_years = 0;\n";

static char *scenario_with(const char *rest)
{
    size_t n = strlen(place_text) + strlen(rest) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s", place_text, rest);
    return text;
}

/* Σ over the written days of a whole-run metric, in pence. */
static int64_t total_pence(const test_run *t, unsigned rep, const char *metric)
{
    return (int64_t)llround(100.0 * test_run_value(t, rep, metric));
}

/* Value of an ALL metric in the period ending on `date`. */
static double value_on(const test_run *t, unsigned rep, const char *metric, const char *date)
{
    const recorder *r = t->results[rep].rec;
    int64_t day;
    assert_int_equal(date_parse(date, &day), 0);
    for (size_t p = 0; p < recorder_n_periods(r); p++) {
        if (recorder_period_last_day(r, p) == day) {
            return recorder_value(r, p, recorder_n_areas(r), recorder_find(r, metric));
        }
    }
    fail_msg("no period ends on %s", date);
    return NAN;
}

/* GBP 36,500 a year is GBP 100 a day; a GBP 150 case a day exhausts it on
 * the 244th day of the year (243 × 150 = 36,450, 50 left), so cases are
 * refused from 30 November to 31 March and taken again from 1 April. */
static void exhaustion_refuses_cases_until_the_next_year(void **state)
{
    (void)state;
    char *text = scenario_with("start = \"2025-04-01\"; years = 2;\n"
                               "budgets = { housing = 36500.0; };\n");
    const model_def *const models[] = { &caser_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 1, 1, 1);
    /* 2025-04-01 + 243 days = 2025-11-30: the first refusal. */
    assert_float_equal(value_on(&t, 0, "refusals_cases", "2025-10-31"), 0, 0);
    assert_float_equal(value_on(&t, 0, "refusals_cases", "2025-11-30"), 1, 0);
    assert_float_equal(value_on(&t, 0, "refusals_cases", "2025-12-31"), 31, 0);
    /* 1 April: a new allocation, cases taken again. */
    assert_float_equal(value_on(&t, 0, "refusals_cases", "2026-04-30"), 0, 0);
    assert_float_equal(value_on(&t, 0, "spend_housing", "2026-04-30"), 30 * 150.0, 1e-9);
    /* Two years of 243 cases; refusals: 122 days in each year (30 Nov - 31
     * Mar; neither has a 29 February). */
    assert_int_equal(total_pence(&t, 0, "spend_housing"), 2 * 243 * 15000);
    assert_float_equal(test_run_value(&t, 0, "refusals_cases"), 122 + 122, 0);
    /* What is left on 31 March lapses. */
    assert_float_equal(value_on(&t, 0, "budget_left_housing", "2026-03-31"), 0, 0);
    assert_float_equal(value_on(&t, 0, "budget_left_housing", "2026-02-28"), 50, 1e-9);
    assert_non_null(t.results[0].budget_events);
    assert_non_null(strstr(t.results[0].budget_events[0], "2025-11-30 cases: refused"));
    test_run_free(&t);
    free(text);
}

/* Starting on 1 October, the first year gets 182 of its 365 days. */
static void a_partial_first_year_is_pro_rata(void **state)
{
    (void)state;
    char *text = scenario_with("start = \"2025-10-01\"; years = 1;\n"
                               "budgets = { housing = 36500.0; police = 1000.0; };\n"
                               "caser = { cost_per_case = 0.0; };\n");
    const model_def *const models[] = { &caser_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 1, 1, 1);
    assert_float_equal(value_on(&t, 0, "budget_left_housing", "2025-10-31"), 18200.0, 1e-9);
    /* 1000 × 182 / 365 = 498.630… → GBP 498.63 */
    assert_float_equal(value_on(&t, 0, "budget_left_police", "2025-10-31"), 498.63, 1e-9);
    assert_float_equal(value_on(&t, 0, "budget_left_housing", "2026-04-30"), 36500.0, 1e-9);
    test_run_free(&t);
    free(text);
}

/* A place with one patrol intervention "p" from 1 June 2025 to 31 May 2026
 * at GBP 100 a day (intensity 1 in the one area, GBP 100 per area-day). */
static char *patrol_scenario(const char *budgets, const char *funder, double setup)
{
    char rest[1024];
    snprintf(rest, sizeof rest,
             "start = \"2025-04-01\"; years = 2;\n%s\n"
             "interventions = ( { name = \"p\"; type = \"hotspot_patrols\"; start = \"2025-06-01\";"
             " end = \"2026-05-31\"; funder = \"%s\"; intensity = 1.0; cost_per_unit = 100.0;"
             " cost_setup = %.2f; } );\n",
             budgets, funder, setup);
    return scenario_with(rest);
}

/* A set-up the funder cannot pay: the intervention never starts. */
static void an_unaffordable_set_up_never_starts(void **state)
{
    (void)state;
    char *text = patrol_scenario("budgets = { police = 36500.0; };", "police", 40000.0);
    const model_def *const models[] = { &interventions_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 1, 1, 1);
    assert_int_equal(total_pence(&t, 0, "spend_police"), 0);
    assert_float_equal(test_run_value(&t, 0, "refusals_p"), 1, 0);
    assert_float_equal(test_run_value(&t, 0, "paused_days_p"), 0, 0);
    assert_non_null(strstr(t.results[0].budget_events[0], "2025-06-01 p: not started"));
    test_run_free(&t);
    free(text);
}

/* At GBP 150 a day from 1 June, the year's GBP 36,500 less the GBP 5,000
 * set-up lasts exactly 210 days, to 27 December: it pauses from 28
 * December to 31 March and resumes with the new allocation on 1 April. */
static void capacity_pauses_when_the_money_is_gone(void **state)
{
    (void)state;
    char *text = patrol_scenario("budgets = { police = 36500.0; };", "police", 5000.0);
    const char *dearer[] = { "interventions.p.cost_per_unit=150.0" };
    const model_def *const models[] = { &interventions_model };
    test_run t;
    test_run_load(&t, text, models, 1, dearer, 1);
    test_run_reps(&t, 1, 1, 1);
    assert_float_equal(value_on(&t, 0, "paused_days_p", "2025-12-31"), 4, 0); /* 28-31 Dec */
    assert_float_equal(value_on(&t, 0, "paused_days_p", "2026-03-31"), 31, 0);
    assert_float_equal(value_on(&t, 0, "paused_days_p", "2026-04-30"), 0, 0);
    assert_float_equal(value_on(&t, 0, "spend_police", "2026-04-30"), 30 * 150.0, 1e-9);
    assert_int_equal(total_pence(&t, 0, "spend_police"),
                     500000 + 210 * 15000 + (30 + 31) * 15000 /* April and May 2026 */);
    test_run_free(&t);
    free(text);
}

/* The same package spends the same in both regimes when no one runs out. */
static void pooled_and_siloed_spend_the_same(void **state)
{
    (void)state;
    char *a_text = patrol_scenario("budgets = { police = 100000.0; };", "police", 5000.0);
    char *b_text = patrol_scenario("budgets = { regime = \"pooled\"; police = 100000.0;"
                                   " pool_share = { police = 0.6; }; rollover_share = 0.5; };",
                                   "pool", 5000.0);
    const model_def *const models[] = { &interventions_model };
    test_run a, b;
    test_run_load(&a, a_text, models, 1, NULL, 0);
    test_run_load(&b, b_text, models, 1, NULL, 0);
    test_run_reps(&a, 1, 1, 1);
    test_run_reps(&b, 1, 1, 1);
    int64_t siloed_spend = total_pence(&a, 0, "spend_police");
    int64_t pooled_spend = total_pence(&b, 0, "spend_pool");
    assert_int_equal(siloed_spend, 500000 + 365 * 10000); /* set-up + 365 days at GBP 100 */
    assert_int_equal(pooled_spend, siloed_spend);
    assert_int_equal(total_pence(&b, 0, "spend_police"), 0);
    /* The pool: 60,000 in, 5,000 set-up and 304 days (1 June - 31 March)
     * out, then half the police's unspent 40,000 rolled in on 31 March. */
    assert_float_equal(value_on(&b, 0, "pool_balance", "2026-03-31"),
                       60000.0 - 5000.0 - 304 * 100.0 + 20000.0, 1e-9);
    assert_float_equal(value_on(&b, 0, "budget_left_police", "2026-03-31"), 0.0, 0);
    test_run_free(&a);
    test_run_free(&b);
    free(a_text);
    free(b_text);
}

/* Σ over the run of a ledger category's entries for one agency (-1: all). */
static int64_t ledger_sum(const test_run *t, int agency, enum ledger_category category)
{
    return ledger_total(t->results[0].ledger, agency, category, NULL);
}

/* The pool's agreement and its return, with balances above GBP 1 bn and
 * uneven contributions, every figure computed by hand (integer pence):
 *
 * Run 2025/26 to 2028/29; agreement 2026/27 to 2027/28; one pool-funded
 * patrol "p" at GBP 100 a day through the agreement (365 + 366 days:
 * 29 February 2028 is in 2027/28), so the pool spends 731 x 10,000 =
 * 7,310,000 p. Budgets in pounds: housing 1.5 bn, police 700,000,000.03,
 * health 11,000, council 11,000. What each puts in, in pence (contributions
 * each 1 April of the agreement, rollover of half the unspent on 31 March
 * 2027, none on 31 March 2028, its last year):
 *   housing   75,000,000,000 + 37,500,000,000 + 75,000,000,000 = 187,500,000,000
 *   police    70,000,000,003 x 0.3 = 21,000,000,000.9 -> 21,000,000,001;
 *             unspent 49,000,000,002 x 0.5 = 24,500,000,001;
 *             21,000,000,001 + 24,500,000,001 + 21,000,000,001 = 66,500,000,003
 *   health    550,000 + 275,000 + 550,000 = 1,375,000
 *   council   the same, 1,375,000
 *   total C = 254,002,750,003; balance at the end T = C - 7,310,000
 *           = 253,995,440,003.
 * Shares T x c / C, to the nearest penny:
 *   housing   187,494,603,897.005… -> 187,494,603,897
 *   police     66,498,086,185.138… ->  66,498,086,185
 *   health      1,374,960.429…     ->       1,374,960
 *   council     the same           ->       1,374,960
 * They sum to T - 1: the remaining penny goes to housing, the largest
 * contributor: 187,494,603,898. */
static void the_pool_returns_what_is_left_at_the_end_of_its_agreement(void **state)
{
    (void)state;
    char rest[1024];
    snprintf(
        rest, sizeof rest,
        "start = \"2025-04-01\"; years = 4;\n"
        "budgets = { regime = \"pooled\"; housing = 1500000000.0; police = 700000000.03;\n"
        "  health = 11000.0; council = 11000.0;\n"
        "  pool_share = { housing = 0.5; police = 0.3; health = 0.5; council = 0.5; };\n"
        "  rollover_share = 0.5;\n"
        "  pool_years = { from = \"2026/27\"; to = \"2027/28\"; }; };\n"
        "interventions = ( { name = \"p\"; type = \"hotspot_patrols\"; start = \"2026-04-01\";"
        " end = \"2028-03-31\"; funder = \"pool\"; intensity = 1.0; cost_per_unit = 100.0; } );\n");
    char *text = scenario_with(rest);
    const model_def *const models[] = { &interventions_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    test_run_reps(&t, 1, 1, 1);
    assert_int_equal(total_pence(&t, 0, "spend_pool"), 7310000);
    /* Contributions only in the agreement: nothing in 2025/26 or 2028/29. */
    assert_int_equal(total_pence(&t, 0, "pool_in_housing"), 187500000000LL);
    assert_int_equal(total_pence(&t, 0, "pool_in_police"), 66500000003LL);
    assert_int_equal(total_pence(&t, 0, "pool_in_health"), 1375000);
    assert_int_equal(total_pence(&t, 0, "pool_in_council"), 1375000);
    assert_int_equal(total_pence(&t, 0, "pool_in_probation"), 0);
    assert_float_equal(value_on(&t, 0, "pool_in_housing", "2025-04-30"), 0, 0);
    assert_float_equal(value_on(&t, 0, "pool_in_housing", "2028-04-30"), 0, 0);
    assert_int_equal(ledger_sum(&t, LEDGER_POOL, LEDGER_POOL_IN) +
                         ledger_sum(&t, LEDGER_POOL, LEDGER_ROLLOVER),
                     254002750003LL);
    /* After the rollover of 31 March 2027: 96,001,100,001 in, 62,000,550,001
     * rolled over, 365 days spent. */
    assert_float_equal(value_on(&t, 0, "pool_balance", "2027-03-31"), 1579980000.02, 1e-3);
    /* The day before the return: T and March's 31 days of spend. */
    assert_float_equal(value_on(&t, 0, "pool_balance", "2028-02-29"), 2539957500.03, 1e-3);
    /* The return, to the penny, and the pool at zero from then on. */
    assert_int_equal(total_pence(&t, 0, "pool_return_housing"), 187494603898LL);
    assert_int_equal(total_pence(&t, 0, "pool_return_police"), 66498086185LL);
    assert_int_equal(total_pence(&t, 0, "pool_return_health"), 1374960);
    assert_int_equal(total_pence(&t, 0, "pool_return_council"), 1374960);
    assert_int_equal(total_pence(&t, 0, "pool_return_probation"), 0);
    assert_int_equal(ledger_sum(&t, LEDGER_POOL, LEDGER_POOL_RETURN), -253995440003LL);
    assert_int_equal(ledger_sum(&t, LEDGER_HOUSING, LEDGER_POOL_RETURN), 187494603898LL);
    assert_float_equal(value_on(&t, 0, "pool_balance", "2028-03-31"), 0, 0);
    assert_float_equal(value_on(&t, 0, "pool_balance", "2029-03-31"), 0, 0);
    assert_int_equal(ledger_total(t.results[0].ledger, LEDGER_POOL, LEDGER_POOL_IN, NULL) +
                         ledger_total(t.results[0].ledger, LEDGER_POOL, LEDGER_ROLLOVER, NULL) +
                         ledger_total(t.results[0].ledger, LEDGER_POOL, LEDGER_POOL_RETURN, NULL) +
                         ledger_total(t.results[0].ledger, LEDGER_POOL, LEDGER_INTERVENTION, NULL),
                     0);
    /* Then it lapses from the holders like any unspent budget: housing's
     * 2027/28 lapse is its 75,000,000,000 kept plus the return. */
    assert_float_equal(value_on(&t, 0, "budget_left_housing", "2028-02-29"), 750000000.0, 1e-3);
    assert_float_equal(value_on(&t, 0, "budget_left_housing", "2028-03-31"), 0, 0);
    assert_int_equal(ledger_sum(&t, LEDGER_HOUSING, LEDGER_LAPSE),
                     -(150000000000LL /* 2025/26, no pool */ + 37500000000LL /* 2026/27 */ +
                       75000000000LL + 187494603898LL /* 2027/28 */ +
                       150000000000LL /* 2028/29 */));
    /* Every non-demand entry of every agency sums to what it holds (the run
     * checks this at every posting): at the end, nothing. */
    for (int a = 0; a <= LEDGER_POOL; a++) {
        if (a == LEDGER_COURTS || a == LEDGER_VICTIMS) continue;
        assert_int_equal(ledger_balance(t.results[0].ledger, (enum ledger_agency)a), 0);
    }
    test_run_free(&t);
    free(text);
}

/* A siloed run has no pool metrics; a pooled one with no pool-funded
 * intervention and no agreement pays nothing into the pool. */
static void no_agreement_no_pool(void **state)
{
    (void)state;
    char *siloed = patrol_scenario("budgets = { police = 36500.0; };", "police", 0.0);
    char *pooled = patrol_scenario("budgets = { regime = \"pooled\"; police = 36500.0;"
                                   " pool_share = { police = 0.5; }; rollover_share = 0.5; };",
                                   "police", 0.0);
    const model_def *const models[] = { &interventions_model };
    test_run a, b;
    test_run_load(&a, siloed, models, 1, NULL, 0);
    test_run_load(&b, pooled, models, 1, NULL, 0);
    test_run_reps(&a, 1, 1, 1);
    test_run_reps(&b, 1, 1, 1);
    assert_int_equal(recorder_find(a.results[0].rec, "pool_in_police"), -1);
    assert_int_equal(recorder_find(a.results[0].rec, "pool_return_police"), -1);
    assert_true(recorder_find(b.results[0].rec, "pool_in_police") >= 0);
    assert_int_equal(total_pence(&b, 0, "pool_in_police"), 0);
    assert_int_equal(ledger_sum(&b, LEDGER_POOL, LEDGER_POOL_IN), 0);
    assert_int_equal(ledger_sum(&b, LEDGER_POOL, LEDGER_ROLLOVER), 0);
    test_run_free(&a);
    test_run_free(&b);
    free(siloed);
    free(pooled);
}

/* Financial-year labels. */
static void year_labels(void **state)
{
    (void)state;
    int fy = 0;
    assert_int_equal(budget_year_label_parse("2026/27", &fy), 0);
    assert_int_equal(fy, 2026);
    assert_int_equal(budget_year_label_parse("1999/00", &fy), 0);
    assert_int_equal(fy, 1999);
    static const char *const bad[] = { "2026/28", "2026-27",  "2026/2027", "26/27",
                                       "",        "2026/27 ", "abcd/ef",   "0000/01" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(budget_year_label_parse(bad[i], &fy), -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exhaustion_refuses_cases_until_the_next_year),
        cmocka_unit_test(a_partial_first_year_is_pro_rata),
        cmocka_unit_test(an_unaffordable_set_up_never_starts),
        cmocka_unit_test(capacity_pauses_when_the_money_is_gone),
        cmocka_unit_test(pooled_and_siloed_spend_the_same),
        cmocka_unit_test(the_pool_returns_what_is_left_at_the_end_of_its_agreement),
        cmocka_unit_test(no_agreement_no_pool),
        cmocka_unit_test(year_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
