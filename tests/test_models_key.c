/* test_models_key.c — the scenario's `models` key: which service models a
 * run holds, what each needs from the others, and what a run without some
 * models writes. Scenarios build on the borough, as a user's would, and are
 * loaded as the command line loads them (cli_load_scenario_quiet). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli.h"
#include "targets.h"
#include "test_files.h"
#include "test_support.h"

static char dir[64];
static char path[128];
static char err[4096];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/placesim_models_key_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/scenario.cfg", dir);
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    return test_remove_tree(dir);
}

/* Writes the borough, shortened, with `extra` lines on top (line 3 on),
 * and loads it with the overrides. 0, or -1 with the errors in err. */
static int load(const char *extra, const char *const *overrides, size_t n, loaded_scenario *ls)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "base = \"%s/scenarios/borough.cfg\";\nyears = 2; warmup_years = 1;\n%s",
            PLACESIM_SOURCE_DIR, extra);
    assert_int_equal(fclose(f), 0);
    err[0] = '\0';
    return cli_load_scenario_quiet(path, overrides, n, ls, err, sizeof err);
}

/* The names of the models ls runs, ", "-separated. */
static const char *names_of(const loaded_scenario *ls)
{
    static char text[256];
    text[0] = '\0';
    for (size_t i = 0; i < ls->n_models; i++) {
        strcat(text, i ? ", " : "");
        strcat(text, ls->models[i]->name);
    }
    return text;
}

/* ls's replications, in a test_run so that test_support's helpers apply. */
static void run(const loaded_scenario *ls, test_run *t, unsigned reps)
{
    memset(t, 0, sizeof *t);
    t->cfg = (run_config){ .scn = ls->scn,
                           .place = &ls->place,
                           .models = ls->models,
                           .n_models = ls->n_models,
                           .costs = ls->costs,
                           .master_seed = 3,
                           .period = PERIOD_MONTH };
    run_config_dates(&t->cfg);
    t->n_reps = reps;
    t->results = calloc(reps, sizeof *t->results);
    assert_non_null(t->results);
    char why[1024];
    if (engine_run_replications(&t->cfg, reps, 2, t->results, why, sizeof why) != 0) {
        fail_msg("run failed: %s", why);
    }
}

static void free_run(test_run *t)
{
    for (unsigned i = 0; i < t->n_reps; i++) replication_result_free(&t->results[i]);
    free(t->results);
}

/* The registered model that declares metric `name`, or "" (the engine's
 * money, budgets and the interventions' own). */
static const char *owner_of(const char *name)
{
    size_t n;
    const model_def *const *registry = model_registry(&n);
    const model_def *m = engine_model_of_metric(registry, n, name);
    return m ? m->name : "";
}

/* How many metrics of the run belong to model `name`. */
static size_t metrics_of(const test_run *t, const char *name)
{
    const recorder *rec = t->results[0].rec;
    size_t k = 0;
    for (size_t m = 0; m < recorder_n_metrics(rec); m++) {
        k += strcmp(owner_of(recorder_metric(rec, (int)m)->name), name) == 0;
    }
    return k;
}

static void every_model_runs_by_default(void **state)
{
    (void)state;
    loaded_scenario ls;
    assert_int_equal(load("", NULL, 0, &ls), 0);
    assert_string_equal(names_of(&ls), "housing, crime, reoffending, interventions");
    cli_free_scenario(&ls);
    /* An empty list is the default: every model. */
    assert_int_equal(load("models = [];\n", NULL, 0, &ls), 0);
    assert_string_equal(names_of(&ls), "housing, crime, reoffending, interventions");
    cli_free_scenario(&ls);
}

/* Housing alone writes housing's metrics and the engine's money, nothing of
 * crime or re-offending, and, with no leavers taking its lets, exactly the
 * numbers housing writes in a run of every model. */
static void housing_alone_writes_housing_only(void **state)
{
    (void)state;
    loaded_scenario alone, all;
    assert_int_equal(load("models = [\"housing\"];\n", NULL, 0, &alone), 0);
    assert_string_equal(names_of(&alone), "housing, interventions");
    const char *no_lets[] = { "reoffending.p_release_social_let=0" };
    assert_int_equal(load("", no_lets, 1, &all), 0);
    test_run a, b;
    run(&alone, &a, 2);
    run(&all, &b, 2);

    size_t n;
    const model_def *const *registry = model_registry(&n);
    assert_int_equal(metrics_of(&a, "housing"), registry[0]->metrics->n_specs);
    assert_int_equal(metrics_of(&a, "crime"), 0);
    assert_int_equal(metrics_of(&a, "reoffending"), 0);
    assert_true(metrics_of(&a, "") > 10); /* budgets, spend, demand costs */
    assert_true(metrics_of(&b, "crime") > 0);
    for (size_t k = 0; k < registry[0]->metrics->n_specs; k++) {
        assert_int_equal(
            test_metric_differences(&a, &b, registry[0]->metrics->specs[k].name, TEST_WHOLE_RUN),
            0);
    }
    /* Crime and re-offending cost police, courts and prisons: not here. */
    assert_true(test_run_value(&a, 0, "demand_cost_police") == 0);
    assert_true(test_run_value(&b, 0, "demand_cost_police") > 0);
    assert_true(test_run_value(&a, 0, "void_days") > 1000);
    free_run(&a);
    free_run(&b);
    cli_free_scenario(&alone);
    cli_free_scenario(&all);
}

/* The list's order is not the run's: models run in the registry's phase
 * order. Housing and crime write theirs, not re-offending's. */
static void housing_and_crime_run_in_phase_order(void **state)
{
    (void)state;
    loaded_scenario ls;
    assert_int_equal(load("models = [\"crime\", \"housing\"];\n", NULL, 0, &ls), 0);
    assert_string_equal(names_of(&ls), "housing, crime, interventions");
    test_run t;
    run(&ls, &t, 1);
    assert_true(metrics_of(&t, "housing") > 0);
    assert_true(metrics_of(&t, "crime") > 0);
    assert_int_equal(metrics_of(&t, "reoffending"), 0);
    assert_true(test_run_value(&t, 0, "crimes_burglary") > 100);

    /* A target of a model not run is valid but not evaluated. */
    target_result *targets;
    long count = targets_evaluate(&t.cfg, t.results, 1, &targets);
    assert_int_equal(count, 1);
    assert_string_equal(targets[0].metric, "relet_days_median");
    free(targets);
    free_run(&t);
    cli_free_scenario(&ls);
}

/* Each refusal: file, line, the models key, and the model that is missing. */
static void unmet_needs_are_refused(void **state)
{
    (void)state;
    loaded_scenario ls;
    /* Line 3 is the models key. Release lets are on by default. */
    assert_int_equal(load("models = [\"reoffending\"];\n", NULL, 0, &ls), -1);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "%s:3: models: reoffending needs housing, which is not listed: "
             "reoffending.p_release_social_let = 0.02 (the default) gives leavers housing's ready "
             "lets; set it to 0 to run without housing",
             path);
    assert_string_equal(err, expected);

    assert_int_equal(load("models = [\"reoffending\"];\n"
                          "reoffending = { p_release_social_let = 0.05; };\n",
                          NULL, 0, &ls),
                     -1);
    snprintf(expected, sizeof expected,
             "%s:3: models: reoffending needs housing, which is not listed: "
             "reoffending.p_release_social_let = 0.05 (%s:4) gives leavers housing's ready "
             "lets; set it to 0 to run without housing",
             path, path);
    assert_string_equal(err, expected);

    const char *no_lets[] = { "reoffending.p_release_social_let=0" };
    assert_int_equal(load("models = [\"reoffending\"];\n", no_lets, 1, &ls), 0);
    assert_string_equal(names_of(&ls), "reoffending, interventions");
    cli_free_scenario(&ls);

    /* Leavers housed by an intervention need housing too. */
    assert_int_equal(load("models = [\"reoffending\"];\n"
                          "interventions = ( { name = \"homes\"; type = \"housing_on_release\";\n"
                          "  start = \"2025-06-01\"; end = \"2026-03-31\"; funder = \"probation\";"
                          " capacity = 10.0; } );\n",
                          no_lets, 1, &ls),
                     -1);
    snprintf(expected, sizeof expected,
             "%s:3: models: reoffending needs housing, which is not listed: intervention homes "
             "(%s:4) is a housing_on_release, which gives leavers housing's ready lets; leave it "
             "out to run without housing",
             path, path);
    assert_string_equal(err, expected);

    /* An intervention needs the model that carries it out. */
    assert_int_equal(load("models = [\"housing\"];\n"
                          "interventions = ( { name = \"patrols\"; type = \"hotspot_patrols\";\n"
                          "  start = \"2025-06-01\"; end = \"2026-03-31\"; funder = \"police\";"
                          " intensity = 0.5; } );\n",
                          NULL, 0, &ls),
                     -1);
    snprintf(expected, sizeof expected,
             "%s:3: models: interventions needs crime, which is not listed: intervention patrols "
             "(%s:4) is a hotspot_patrols, which crime carries out; leave it out to run without "
             "crime",
             path, path);
    assert_string_equal(err, expected);
}

static void names_are_checked(void **state)
{
    (void)state;
    loaded_scenario ls;
    assert_int_equal(load("models = [\"housing\",\n  \"crme\"];\n", NULL, 0, &ls), -1);
    char expected[1024];
    snprintf(expected, sizeof expected,
             "%s:4: models: unknown model \"crme\" (did you mean "
             "crime?); the models are housing, crime, reoffending",
             path);
    assert_string_equal(err, expected);

    assert_int_equal(load("models = [\"policing\"];\n", NULL, 0, &ls), -1);
    snprintf(expected, sizeof expected,
             "%s:3: models: unknown model \"policing\"; the models "
             "are housing, crime, reoffending",
             path);
    assert_string_equal(err, expected);

    assert_int_equal(load("models = [\"housing\", \"housing\"];\n", NULL, 0, &ls), -1);
    snprintf(expected, sizeof expected, "%s:3: models: housing is listed twice", path);
    assert_string_equal(err, expected);

    assert_int_equal(load("models = [\"housing\", \"interventions\"];\n", NULL, 0, &ls), -1);
    snprintf(expected, sizeof expected,
             "%s:3: models: interventions always runs and cannot be "
             "listed; the models to choose from are housing, crime, reoffending",
             path);
    assert_string_equal(err, expected);

    /* --set goes through the same checks, and is named as such. */
    const char *set[] = { "models=[\"housing\", \"reoffending\", \"hosing\"]" };
    assert_int_equal(load("", set, 1, &ls), -1);
    assert_string_equal(err, "--set:1: models: unknown model \"hosing\" (did you mean housing?); "
                             "the models are housing, crime, reoffending");
}

/* compare between a run of every model and one of housing alone: what
 * housing alone lacks is n/a, not a fall to 0, and no outcome of a model
 * missing from one run is priced. */
static void compare_copes_with_a_model_not_run(void **state)
{
    (void)state;
    char args[512];
    snprintf(args, sizeof args, "run tests/data/sweeps/small.cfg --reps 3 -o %s/all", dir);
    assert_int_equal(test_placesim(dir, args), 0);
    snprintf(args, sizeof args, "run tests/data/sweeps/small_housing.cfg --reps 3 -o %s/housing",
             dir);
    assert_int_equal(test_placesim(dir, args), 0);
    snprintf(args, sizeof args, "compare %s/all %s/housing", dir, dir);
    assert_int_equal(test_placesim(dir, args), 0);
    char *out = test_read_in(dir, "stdout");
    assert_non_null(out);
    const char *row = strstr(out, "\ncrimes_burglary ");
    assert_non_null(row);
    const char *end = strchr(row + 1, '\n');
    assert_non_null(end);
    assert_non_null(strstr(end, "note: not in sweep_small_housing's years.csv: crime did not run "
                                "there (or --metric left it out)"));
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)(end - row), row);
    assert_non_null(strstr(line, "n/a  [n/a, n/a]"));
    assert_null(strstr(out, "street crimes")); /* crime's outcome: not priced */
    assert_null(strstr(out, "proven offences"));
    assert_non_null(strstr(out, "    void-days ")); /* housing's: priced */
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_model_runs_by_default),
        cmocka_unit_test(housing_alone_writes_housing_only),
        cmocka_unit_test(housing_and_crime_run_in_phase_order),
        cmocka_unit_test(unmet_needs_are_refused),
        cmocka_unit_test(names_are_checked),
        cmocka_unit_test(compare_copes_with_a_model_not_run),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
