/* test_intervention_keys.c — the keys each intervention type takes, as the
 * interventions model declares them: `check` lists only those, a written
 * key that the type does not take is refused with file, line and key, and
 * a funder with no money or an intervention that costs nothing is warned
 * about in check and in the run's warnings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "interventions.h"
#include "test_support.h"

static const char place_text[] = "areas = ( { name = \"North\"; population = 1000; dwellings = "
                                 "400; social_dwellings = 100; } );\n"
                                 "warmup_years = 0; start = \"2025-04-01\"; years = 1;\n";

static char *scenario_with(const char *rest)
{
    size_t n = strlen(place_text) + strlen(rest) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s", place_text, rest);
    return text;
}

static const scn_node *entry(const test_run *t, const char *name)
{
    const scn_node *list = scenario_find(t->scn, "interventions");
    for (size_t i = 0; list && i < list->n_children; i++) {
        if (strcmp(scn_member_string(list->children[i], "name"), name) == 0) {
            return list->children[i];
        }
    }
    fail_msg("no intervention %s", name);
    return NULL;
}

/* The table of the issue: which keys each type takes. */
static void each_type_takes_its_own_keys(void **state)
{
    (void)state;
    char *text = scenario_with("interventions = (\n"
                               "  { name = \"t\"; type = \"repair_teams\"; start = \"2025-04-01\"; "
                               "end = \"2026-03-31\"; funder = \"housing\"; },\n"
                               "  { name = \"f\"; type = \"fast_letting\"; start = \"2025-04-01\"; "
                               "end = \"2026-03-31\"; funder = \"housing\"; },\n"
                               "  { name = \"s\"; type = \"intensive_supervision\"; start = "
                               "\"2025-04-01\"; end = \"2026-03-31\"; funder = \"probation\"; }\n"
                               ");\n");
    const model_def *const models[] = { &interventions_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    int (*applies)(const char *, const scn_node *, const char *) =
        interventions_model.entry_key_applies;
    assert_non_null(applies);
    const scn_node *teams = entry(&t, "t"), *fast = entry(&t, "f"), *sup = entry(&t, "s");
    static const char *const everyone[] = { "name", "type",   "areas",      "start",
                                            "end",  "funder", "cost_setup", "cost_per_day" };
    for (size_t k = 0; k < sizeof everyone / sizeof everyone[0]; k++) {
        assert_true(applies("interventions", teams, everyone[k]));
        assert_true(applies("interventions", fast, everyone[k]));
        assert_true(applies("interventions", sup, everyone[k]));
    }
    assert_true(applies("interventions", teams, "capacity"));
    assert_true(applies("interventions", teams, "cost_per_unit"));
    assert_false(applies("interventions", teams, "intensity"));
    assert_false(applies("interventions", teams, "effect"));
    assert_false(applies("interventions", teams, "min_previous"));
    assert_true(applies("interventions", fast, "effect"));
    assert_false(applies("interventions", fast, "cost_per_unit")); /* no unit: per day only */
    assert_false(applies("interventions", fast, "capacity"));
    assert_true(applies("interventions", sup, "min_previous"));
    assert_true(applies("interventions", sup, "caseload_per_officer"));
    assert_false(applies("interventions", sup, "persistence_days"));
    /* Other lists are not the model's to judge. */
    assert_true(applies("areas", teams, "intensity"));
    /* Defaults of keys that do not apply are not errors. */
    char err[512] = "";
    assert_int_equal(interventions_model.check(t.scn, &t.place, err, sizeof err), 0);
    test_run_free(&t);
    free(text);
}

/* A key written for a type that does not take it: file, line, key and
 * what the type takes; the same from --set. */
static void a_key_the_type_does_not_take_is_refused(void **state)
{
    (void)state;
    char *text = scenario_with("interventions = (\n"
                               "  { name = \"teams\"; type = \"repair_teams\"; start = "
                               "\"2025-04-01\"; end = \"2026-03-31\";\n"
                               "    funder = \"housing\"; capacity = 2.0;\n"
                               "    intensity = 0.5; }\n"
                               ");\n");
    const model_def *const models[] = { &interventions_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    char err[512] = "", want[512];
    assert_int_equal(interventions_model.check(t.scn, &t.place, err, sizeof err), -1);
    snprintf(want, sizeof want,
             "%s:6: interventions.teams.intensity: does not apply to "
             "repair_teams, which takes capacity and cost_per_unit besides name, type, areas, "
             "start, end, funder, cost_setup and cost_per_day",
             t.path);
    assert_string_equal(err, want);
    test_run_free(&t);

    const char *set[] = { "interventions.teams.intensity=1", "interventions.teams.effect=3" };
    char *clean = scenario_with(
        "interventions = ( { name = \"teams\"; type = \"repair_teams\"; start = \"2025-04-01\";"
        " end = \"2026-03-31\"; funder = \"housing\"; } );\n");
    test_run_load(&t, clean, models, 1, set + 1, 1);
    assert_int_equal(interventions_model.check(t.scn, &t.place, err, sizeof err), -1);
    assert_non_null(strstr(err, "--set:1: interventions.teams.effect: does not apply to "
                                "repair_teams"));
    test_run_free(&t);
    free(text);
    free(clean);
}

/* Collects check_notes output. */
static char *notes_of(const test_run *t)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_non_null(f);
    interventions_model.check_notes(t->scn, &t->place, f);
    assert_int_equal(fclose(f), 0);
    return text;
}

static int has_warning(const test_run *t, const char *fragment)
{
    for (size_t w = 0; w < t->results[0].n_warnings; w++) {
        if (strstr(t->results[0].warnings[w], fragment)) return 1;
    }
    return 0;
}

/* A funder with no budget, a pool with no shares, an intervention that
 * costs nothing: warned in check and in the run's warnings; a scenario
 * with money and costs has no such warning. */
static void money_that_cannot_flow_is_warned_about(void **state)
{
    (void)state;
    char *text = scenario_with("budgets = { housing = 1000.0; };\n"
                               "interventions = (\n"
                               "  { name = \"patrols\"; type = \"hotspot_patrols\"; start = "
                               "\"2025-04-01\"; end = \"2026-03-31\";\n"
                               "    funder = \"police\"; },\n"
                               "  { name = \"quick\"; type = \"fast_letting\"; start = "
                               "\"2025-04-01\"; end = \"2026-03-31\";\n"
                               "    funder = \"housing\"; }\n"
                               ");\n");
    const model_def *const models[] = { &interventions_model };
    test_run t;
    test_run_load(&t, text, models, 1, NULL, 0);
    char *notes = notes_of(&t);
    char want[512];
    snprintf(want, sizeof want,
             "# warning: %s:6: interventions.patrols.funder: police has no "
             "budget (budgets.police = 0), so patrols can pay for nothing\n",
             t.path);
    assert_non_null(strstr(notes, want));
    snprintf(want, sizeof want, "# warning: %s:7: interventions.quick: costs nothing", t.path);
    assert_non_null(strstr(notes, want));
    assert_null(strstr(notes, "interventions.patrols: costs nothing")); /* library unit cost */
    test_run_reps(&t, 1, 1, 1);
    assert_true(has_warning(&t, "interventions.patrols.funder: police has no budget"));
    assert_true(has_warning(&t, "interventions.quick: costs nothing"));
    free(notes);
    test_run_free(&t);
    free(text);

    char *pool = scenario_with("budgets = { regime = \"pooled\"; police = 1000.0; };\n"
                               "interventions = ( { name = \"patrols\"; type = "
                               "\"hotspot_patrols\"; start = \"2025-04-01\";"
                               " end = \"2026-03-31\"; funder = \"pool\"; } );\n");
    test_run_load(&t, pool, models, 1, NULL, 0);
    notes = notes_of(&t);
    assert_non_null(strstr(notes, "interventions.patrols.funder: the pool has no shares"));
    free(notes);
    test_run_free(&t);
    free(pool);

    char *fine =
        scenario_with("budgets = { police = 1000.0; pool_years = { from = \"2025/26\"; }; };\n"
                      "interventions = ( { name = \"patrols\"; type = \"hotspot_patrols\"; start = "
                      "\"2025-04-01\";"
                      " end = \"2026-03-31\"; funder = \"police\"; } );\n");
    test_run_load(&t, fine, models, 1, NULL, 0);
    notes = notes_of(&t);
    /* Only the agreement that a siloed scenario ignores. */
    snprintf(want, sizeof want,
             "# warning: %s:3: budgets.pool_years.from: ignored: "
             "budgets.regime is \"siloed\", so there is no pool to agree on\n",
             t.path);
    assert_string_equal(notes, want);
    free(notes);
    test_run_free(&t);
    free(fine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_type_takes_its_own_keys),
        cmocka_unit_test(a_key_the_type_does_not_take_is_refused),
        cmocka_unit_test(money_that_cannot_flow_is_warned_about),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
