/* test_crn.c — common random numbers: a model's draws do not depend on how
 * many draws another model makes, nor on when its events fall.
 *
 * A test-only "noise" model schedules its own events and draws from its own
 * streams; changing how much it draws (and how many events it schedules)
 * must leave every housing value of every period, area and replication
 * identical, bit for bit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <gsl/gsl_randist.h>

#include "housing.h"
#include "test_support.h"

static const param_spec noise_params[] = {
    PARAM_GROUP_ROW("noise", "", "test", "test-only model"),
    PARAM_INT_ROW("noise.draws_per_event", "draws", 0, 1000, "1", "test",
                  "uniforms drawn at each of its events"),
    PARAM_FLOAT_ROW("noise.events_per_day", "events", 0, 100, "1", "test",
                    "mean of its Poisson events a day"),
};
static const param_table noise_param_table = PARAM_TABLE("noise", noise_params);

static const metric_spec noise_metrics[] = {
    METRIC_ROW("noise_sum", METRIC_COUNT, "", "sum of its draws"),
};
static const metric_table noise_metric_table = METRIC_TABLE(noise_metrics);

typedef struct noise {
    int64_t draws_per_event;
    double events_per_day;
    uint32_t draws;
} noise;

static int noise_create(sim_run *run, void **state)
{
    noise *n = calloc(1, sizeof *n);
    if (!n) return sim_fail(run, "out of memory");
    *state = n;
    n->draws_per_event = scenario_int(sim_scenario(run), "noise.draws_per_event");
    n->events_per_day = scenario_float(sim_scenario(run), "noise.events_per_day");
    return 0;
}

static void noise_destroy(void *state) { free(state); }

/* Each day: a Poisson number of events at uniform times in the day. */
static int noise_begin_day(void *state, sim_run *run)
{
    noise *n = state;
    gsl_rng *r = sim_stream(run, 0, 0, (uint32_t)sim_today(run));
    unsigned k = gsl_ran_poisson(r, n->events_per_day);
    double times[128];
    for (unsigned i = 0; i < k && i < 128; i++) times[i] = sim_now(run) + gsl_rng_uniform(r);
    for (unsigned i = 0; i < k && i < 128; i++) {
        if (sim_schedule(run, times[i], 0, i, 0) != 0) return -1;
    }
    return 0;
}

static int noise_handle(void *state, sim_run *run, const sim_event *ev)
{
    noise *n = state;
    gsl_rng *r = sim_stream(run, 1, ev->agent, n->draws++);
    double sum = 0;
    for (int64_t i = 0; i < n->draws_per_event; i++) sum += gsl_rng_uniform(r);
    recorder_add(sim_recorder(run), sim_metric_base(run), 0, sum);
    return 0;
}

static const model_def noise_model = {
    .name = "noise",
    .stream_id = 102, /* test-only: an id no real model uses */
    .doc = "test-only consumer of random numbers",
    .params = &noise_param_table,
    .metrics = &noise_metric_table,
    .create = noise_create,
    .destroy = noise_destroy,
    .handle = noise_handle,
    .begin_day = noise_begin_day,
};

static const char scenario_text[] =
    "start = \"2025-04-01\"; years = 4; warmup_years = 1;\n"
    "areas = ( { name = \"North\"; population = 9000; dwellings = 4000; social_dwellings = 1500;"
    " deprivation = 0.7; neighbours = [\"South\"]; },\n"
    "          { name = \"South\"; population = 8000; dwellings = 3500; social_dwellings = 900;"
    " deprivation = 0.2; neighbours = [\"North\"]; } );\n"
    "housing = { repair_teams = 3; damage = { hazard_per_day = 0.01; }; };\n";

/* Every housing value of two runs, compared exactly; returns how many differ. */
static size_t housing_differences(const test_run *a, const test_run *b)
{
    size_t differ = 0;
    for (size_t m = 0; m < housing_metric_table.n_specs; m++) {
        differ += test_metric_differences(a, b, housing_metric_table.specs[m].name, TEST_WHOLE_RUN);
    }
    return differ;
}

static void housing_draws_ignore_other_models(void **state)
{
    (void)state;
    const model_def *const models[] = { &housing_model, &noise_model };
    const char *light[] = { "noise.draws_per_event=1", "noise.events_per_day=1" };
    const char *heavy[] = { "noise.draws_per_event=7", "noise.events_per_day=9" };
    test_run a, b;
    test_run_load(&a, scenario_text, models, 2, light, 2);
    test_run_load(&b, scenario_text, models, 2, heavy, 2);
    test_run_reps(&a, 3, 42, 1);
    test_run_reps(&b, 3, 42, 2);
    /* The noise itself did change: otherwise the test proves nothing. */
    assert_true(test_run_value(&a, 0, "noise_sum") != test_run_value(&b, 0, "noise_sum"));
    assert_true(test_run_value(&a, 0, "void_starts") > 100);
    assert_int_equal(housing_differences(&a, &b), 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* The control: a different seed does change housing, so the comparison above
 * can detect a difference. */
static void another_seed_changes_housing(void **state)
{
    (void)state;
    const model_def *const models[] = { &housing_model, &noise_model };
    test_run a, b;
    test_run_load(&a, scenario_text, models, 2, NULL, 0);
    test_run_load(&b, scenario_text, models, 2, NULL, 0);
    test_run_reps(&a, 3, 42, 1);
    test_run_reps(&b, 3, 43, 1);
    assert_true(housing_differences(&a, &b) > 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* Replications are pure functions of (scenario, seed, replication): thread
 * count changes nothing. */
static void thread_count_changes_nothing(void **state)
{
    (void)state;
    const model_def *const models[] = { &housing_model };
    test_run a, b;
    test_run_load(&a, scenario_text, models, 1, NULL, 0);
    test_run_load(&b, scenario_text, models, 1, NULL, 0);
    test_run_reps(&a, 4, 5, 1);
    test_run_reps(&b, 4, 5, 3);
    assert_int_equal(housing_differences(&a, &b), 0);
    test_run_free(&a);
    test_run_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(housing_draws_ignore_other_models),
        cmocka_unit_test(another_seed_changes_housing),
        cmocka_unit_test(thread_count_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
