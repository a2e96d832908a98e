/* test_lets.c — housing lets ready dwellings to prison leavers on request
 * (MODELS.md § 3) and reports when those tenancies end.
 *
 * A test-only model registered under the name "reoffending" (the name
 * housing looks for) claims ready lets and counts the messages it gets back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <gsl/gsl_randist.h>

#include "housing.h"
#include "test_support.h"

typedef struct leavers {
    int64_t claims, refused, ended, never_negative;
    uint32_t next_serial;
} leavers;

static leavers last_run; /* copied out at destroy: the test reads it after the run */

static int leavers_create(sim_run *run, void **state)
{
    leavers *l = calloc(1, sizeof *l);
    if (!l) return sim_fail(run, "out of memory");
    l->never_negative = 1;
    *state = l;
    return 0;
}

static void leavers_destroy(void *state)
{
    last_run = *(leavers *)state;
    free(state);
}

/* Each day, each area with a ready let: one leaver claims it with
 * probability 0.5 (a draw from this model's own stream). */
static int leavers_begin_day(void *state, sim_run *run)
{
    leavers *l = state;
    shared_state *ps = shared_of(run);
    int housing = sim_model_index(run, "housing");
    for (size_t a = 0; a < ps->n_areas; a++) {
        if (ps->ready_lets[a] < 0) l->never_negative = 0;
        gsl_rng *r = sim_stream(run, 0, (uint32_t)a, (uint32_t)sim_today(run));
        if (ps->ready_lets[a] > 0 && gsl_rng_uniform(r) < 0.5) {
            ps->ready_lets[a]--;
            l->claims++;
            uint32_t serial = l->next_serial++;
            if (sim_send(run, housing, sim_now(run), MESSAGE_HOUSING_LET_TO_OFFENDER, serial % 100,
                         (uint32_t)a, serial) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

static int leavers_handle(void *state, sim_run *run, const sim_event *ev)
{
    leavers *l = state;
    (void)run;
    if (ev->kind == MESSAGE_REOFFENDING_LET_REFUSED)
        l->refused++;
    else if (ev->kind == MESSAGE_REOFFENDING_TENANCY_ENDED)
        l->ended++;
    else
        return sim_fail(run, "unexpected event kind %u", ev->kind);
    return 0;
}

static const model_def leavers_model = {
    .name = "reoffending",
    .stream_id = 104, /* test-only: an id no real model uses */
    .doc = "test-only claimant of ready lets",
    .params = &model_no_params,
    .metrics = &model_no_metrics,
    .create = leavers_create,
    .destroy = leavers_destroy,
    .handle = leavers_handle,
    .begin_day = leavers_begin_day,
};

static const char scenario_text[] =
    "start = \"2025-04-01\"; years = 3; warmup_years = 0;\n"
    "areas = ( { name = \"North\"; population = 9000; dwellings = 4000; social_dwellings = 1500;"
    " deprivation = 0.7; neighbours = [\"South\"]; },\n"
    "          { name = \"South\"; population = 8000; dwellings = 3500; social_dwellings = 900;"
    " deprivation = 0.2; neighbours = [\"North\"]; } );\n"
    "housing = { turnover = 0.3; repair_teams = 20; damage = { hazard_per_day = 0.01; }; };\n";

static void leavers_take_ready_lets_and_hear_when_they_end(void **state)
{
    (void)state;
    const model_def *const models[] = { &housing_model, &leavers_model };
    test_run t;
    test_run_load(&t, scenario_text, models, 2, NULL, 0);
    test_run_reps(&t, 1, 3, 1);
    double to_leavers = test_run_value(&t, 0, "relets_to_leavers");
    double relets = test_run_value(&t, 0, "relets");
    test_run_free(&t); /* copies the leavers' tallies into last_run */

    printf("claims %lld, refused %lld, ended %lld; relets %.0f, to leavers %.0f\n",
           (long long)last_run.claims, (long long)last_run.refused, (long long)last_run.ended,
           relets, to_leavers);
    /* No warm-up: every claim falls in the written years. */
    assert_true(last_run.claims > 100);
    assert_int_equal(last_run.refused, 0);
    assert_true(to_leavers == (double)last_run.claims);
    assert_true(relets > to_leavers);
    /* Turnover 0.3 a year: about 1 - exp(-0.3 × 1.5) ≈ 36% of these tenancies
     * (1.5 years on average left in the run) end inside it. */
    assert_true(last_run.ended > 0.2 * (double)last_run.claims);
    assert_true(last_run.ended < (double)last_run.claims);
    assert_true(last_run.never_negative);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(leavers_take_ready_lets_and_hear_when_they_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
