/* test_scenario.c — scenario loading: composition through bases, overrides,
 * defaults and provenance, and the exact wording of every kind of error
 * (golden files in tests/data/scenario/: <case>.cfg and <case>.expected).
 *
 * Set PLACESIM_UPDATE_GOLDEN=1 to rewrite the .expected files from the
 * current output (then read the diff before keeping it). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_files.h"

#include <cmocka.h>

#include "dates.h"
#include "scenario.h"
#include "test_golden.h"

#ifndef PLACESIM_SOURCE_DIR
#define PLACESIM_SOURCE_DIR "."
#endif

#define DIR "tests/data/scenario/"

/* A small copy of the real tables: an engine table and a model table, so
   that lookups span more than one table. */
static const param_spec engine_specs[] = {
    PARAM_STRING_ROW("name", "", "", "-", "scenario name; empty: the file's name"),
    PARAM_DATE_ROW("start", "date", "2025-04-01", "assumption", "first written day"),
    PARAM_INT_ROW("years", "years", 1, 100, "10", "assumption", "written years"),
    PARAM_INT_ROW(
        "warmup_years", "years", 0, 50, "3", "assumption",
        "years simulated before start and not written, so that queues and populations settle "
        "before anything is recorded"),
    PARAM_LIST_ROW("areas", NULL, "-", "the place's neighbourhoods"),
    PARAM_STRING_ROW("areas.*.name", "", NULL, "-", "unique area name"),
    PARAM_INT_ROW("areas.*.population", "residents", 0, 1e8, NULL, "scenario", "residents"),
    PARAM_INT_ROW("areas.*.dwellings", "dwellings", 0, 1e8, NULL, "scenario", "dwellings"),
    PARAM_FLOAT_ROW("areas.*.deprivation", "0-1", 0, 1, "0.5", "scenario", "deprivation"),
    PARAM_STRINGS_ROW("areas.*.neighbours", "area names", "[]", "scenario", "adjacent areas"),
};

static const param_spec housing_specs[] = {
    PARAM_GROUP_ROW("housing", NULL, "-", "social housing"),
    PARAM_FLOAT_ROW("housing.turnover", "per dwelling-year", 0, 1, "0.06", "assumption",
                    "share of tenancies ending in a year"),
    PARAM_INT_ROW("housing.repair_teams", "teams", 0, 1000, "4", "assumption", "void repair teams"),
    PARAM_ENUM_ROW("housing.queue_order", "fifo", "fifo|longest_void_first|target_areas_first",
                   "assumption", "order of the repair queue"),
    PARAM_GROUP_ROW("housing.repair_work", NULL, "-", "work per void"),
    PARAM_ENUM_ROW("housing.repair_work.distribution", "lognormal", "lognormal|gamma|fixed",
                   "assumption", "distribution of team-days per void"),
    PARAM_FLOAT_ROW("housing.repair_work.median_team_days", "days", 0.1, 365, "3", "assumption",
                    "median team-days per void"),
    PARAM_FLOAT_ROW("housing.repair_work.sigma", "", 0, 5, "0.8", "assumption",
                    "spread (log scale)"),
};

static const param_table tables[] = {
    { "engine", engine_specs, sizeof engine_specs / sizeof engine_specs[0] },
    { "housing", housing_specs, sizeof housing_specs / sizeof housing_specs[0] },
};
#define N_TABLES (sizeof tables / sizeof tables[0])

static int setup(void **state)
{
    (void)state;
    /* Relative paths keep the file names in messages stable. */
    return chdir(PLACESIM_SOURCE_DIR) == 0 ? 0 : -1;
}

static scenario *load_ok(const char *path, const char *const *ov, size_t n_ov)
{
    char err[8192];
    scenario *s = NULL;
    int rc = scenario_load(path, tables, N_TABLES, ov, n_ov, &s, err, sizeof err);
    if (rc != 0) fprintf(stderr, "unexpected errors loading %s:\n%s", path, err);
    assert_int_equal(rc, 0);
    assert_non_null(s);
    assert_string_equal(err, "");
    return s;
}

/* Loads a case that must fail and compares its errors with <case>.expected. */
static void check_errors(const char *cfg, const char *expected, const char *const *ov, size_t n_ov)
{
    char err[8192];
    scenario *s = (scenario *)0x1;
    int rc = scenario_load(cfg, tables, N_TABLES, ov, n_ov, &s, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_null(s);
    /* Lines are separated, not terminated; the golden file is ordinary text. */
    assert_true(err[0] && err[strlen(err) - 1] != '\n');
    strcat(err, "\n");
    assert_golden(expected, err);
}

#define ERROR_CASE(name, cfg)                                                                      \
    static void test_error_##name(void **state)                                                    \
    {                                                                                              \
        (void)state;                                                                               \
        check_errors(DIR cfg, DIR #name ".expected", NULL, 0);                                     \
    }

ERROR_CASE(unknown_key, "unknown_key.cfg")
ERROR_CASE(unknown_member, "unknown_member.cfg")
ERROR_CASE(wrong_type, "wrong_type.cfg")
ERROR_CASE(out_of_range, "out_of_range.cfg")
ERROR_CASE(bad_enum, "bad_enum.cfg")
ERROR_CASE(bad_date, "bad_date.cfg")
ERROR_CASE(bad_date_form, "bad_date_form.cfg")
ERROR_CASE(missing, "missing.cfg")
ERROR_CASE(missing_list, "missing_list.cfg")
ERROR_CASE(list_names, "list_names.cfg")
ERROR_CASE(multiple, "multiple.cfg")
ERROR_CASE(syntax, "syntax.cfg")
ERROR_CASE(unreadable, "no_such_file.cfg")
ERROR_CASE(base_missing, "base_missing.cfg")
ERROR_CASE(base_type, "base_type.cfg")
ERROR_CASE(base_cycle, "base_cycle_a.cfg")
ERROR_CASE(base_syntax, "base_syntax.cfg")
ERROR_CASE(base_chain_typo, "interventions/typo.cfg")
ERROR_CASE(include, "include.cfg")
ERROR_CASE(include_syntax, "include_bad.cfg")

static void test_error_set(void **state)
{
    (void)state;
    static const char *const ov[] = {
        "housing.turnover=1.5",
        "abc",
        "housing.turnovr=0.1",
        "areas.Nowhere.population=5",
        "housing.queue_order=lifo",
        "years=ten",
        "start=2025-02-30",
        "housing.turnover=1.2.3",
        "areas.Northgate.populaton=5",
        "years=5.5",
        "=3",
        "years.big=1",
        "areas.Northgate=1",
    };
    check_errors(DIR "good.cfg", DIR "set_errors.expected", ov, sizeof ov / sizeof ov[0]);
}

static void test_good_file(void **state)
{
    (void)state;
    scenario *s = load_ok(DIR "good.cfg", NULL, 0);
    assert_string_equal(scenario_name(s), "Good town");
    assert_string_equal(scenario_path(s), DIR "good.cfg");
    assert_int_equal(scenario_int(s, "years"), 5);
    assert_int_equal(scenario_int(s, "warmup_years"), 3);
    assert_int_equal(scenario_date(s, "start"), date_from_civil(2025, 4, 1));
    assert_string_equal(scenario_string(s, "housing.queue_order"), "longest_void_first");
    assert_true(scenario_float(s, "housing.turnover") == 0.08);
    assert_true(scenario_float(s, "housing.repair_work.sigma") == 0.6);
    assert_true(scenario_float(s, "housing.repair_work.median_team_days") == 3.0);
    assert_string_equal(scenario_string(s, "housing.repair_work.distribution"), "lognormal");
    assert_int_equal(scenario_int(s, "housing.repair_teams"), 4);

    /* Provenance: a value from the file, and a default. */
    const scn_node *n = scenario_find(s, "housing.turnover");
    assert_string_equal(n->file, DIR "good.cfg");
    assert_int_equal(n->line, 28);
    n = scenario_find(s, "warmup_years");
    assert_string_equal(n->file, "default");
    assert_int_equal(n->line, 0);

    /* Lists: entries in order, members by name, defaults in each entry. */
    const scn_node *areas = scenario_find(s, "areas");
    assert_int_equal(areas->type, SCN_LIST);
    assert_int_equal(areas->n_children, 3);
    const scn_node *north = areas->children[0];
    assert_string_equal(scn_member_string(north, "name"), "Northgate");
    assert_int_equal(scn_member_int(north, "population"), 12000);
    assert_true(scn_member_float(north, "deprivation") == 0.71);
    assert_int_equal(scn_member(north, "neighbours")->n_children, 2);
    const scn_node *mary = areas->children[1];
    assert_true(scn_member_float(mary, "deprivation") == 0.5);
    assert_string_equal(scn_member(mary, "deprivation")->file, "default");
    assert_int_equal(scn_member(mary, "neighbours")->n_children, 0);
    assert_null(scn_member(mary, "no_such_member"));

    /* An integer literal for a FLOAT key is a float once resolved. */
    n = scenario_find(s, "areas.Southgate.deprivation");
    assert_int_equal(n->type, SCN_FLOAT);
    assert_true(n->float_value == 1.0);
    scenario_free(s);
}

static void test_find_named_entries(void **state)
{
    (void)state;
    scenario *s = load_ok(DIR "good.cfg", NULL, 0);
    const scn_node *n = scenario_find(s, "areas.Northgate.population");
    assert_non_null(n);
    assert_int_equal(n->int_value, 12000);
    assert_int_equal(n->line, 9);
    /* Names may contain dots: the longest matching name wins. */
    n = scenario_find(s, "areas.St. Mary.population");
    assert_non_null(n);
    assert_int_equal(n->int_value, 8000);
    n = scenario_find(s, "areas.St. Mary");
    assert_non_null(n);
    assert_int_equal(n->type, SCN_GROUP);
    assert_int_equal(scenario_int(s, "areas.Southgate.dwellings"), 4100);
    assert_null(scenario_find(s, "areas.Nowhere.population"));
    assert_null(scenario_find(s, "areas.Northgate.nothing"));
    assert_null(scenario_find(s, "housing.turnover.x"));
    assert_null(scenario_find(s, "housing."));
    assert_null(scenario_find(s, "colour"));
    scenario_free(s);
}

static void test_base_composition(void **state)
{
    (void)state;
    scenario *s = load_ok(DIR "interventions/patrols.cfg", NULL, 0);
    /* `name` is not inherited: the file's own name is used. */
    assert_string_equal(scenario_name(s), "patrols");
    assert_string_equal(scenario_string(s, "name"), "");

    /* Groups merge key by key, with the provenance of whoever set each. */
    const char *borough = DIR "interventions/../borough.cfg";
    const char *patrols = DIR "interventions/patrols.cfg";
    const scn_node *n = scenario_find(s, "housing.turnover");
    assert_true(n->float_value == 0.05);
    assert_string_equal(n->file, borough);
    assert_int_equal(n->line, 11);
    n = scenario_find(s, "housing.repair_teams");
    assert_int_equal(n->int_value, 6);
    assert_string_equal(n->file, patrols);
    assert_int_equal(n->line, 6);
    n = scenario_find(s, "housing.repair_work.sigma");
    assert_true(n->float_value == 0.9);
    assert_string_equal(n->file, patrols);
    n = scenario_find(s, "housing.repair_work.distribution");
    assert_string_equal(n->string_value, "gamma");
    assert_string_equal(n->file, borough);
    assert_int_equal(scenario_int(s, "years"), 20);

    /* Lists are replaced whole. */
    const scn_node *areas = scenario_find(s, "areas");
    assert_int_equal(areas->n_children, 1);
    assert_string_equal(scn_member_string(areas->children[0], "name"), "Eastfield");
    assert_null(scenario_find(s, "areas.Northgate"));
    assert_null(scenario_find(s, "base"));
    scenario_free(s);
}

static void test_three_level_chain(void **state)
{
    (void)state;
    scenario *s = load_ok(DIR "interventions/patrols_late.cfg", NULL, 0);
    assert_string_equal(scenario_name(s), "late patrols");
    assert_int_equal(scenario_date(s, "start"), date_from_civil(2026, 4, 1));
    assert_true(scenario_float(s, "housing.turnover") == 0.07);
    assert_int_equal(scenario_int(s, "housing.repair_teams"), 6);
    assert_string_equal(scenario_find(s, "housing.repair_teams")->file,
                        DIR "interventions/patrols.cfg");
    assert_string_equal(scenario_find(s, "years")->file, DIR "interventions/../borough.cfg");
    assert_string_equal(scenario_find(s, "housing.turnover")->file,
                        DIR "interventions/patrols_late.cfg");

    /* The whole resolved scenario, as `placesim check` prints it. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    scenario_print(s, out);
    fclose(out);
    assert_golden(DIR "patrols_late.print.expected", text);
    free(text);

    char *canon = scenario_canonical_text(s);
    assert_non_null(canon);
    assert_golden(DIR "patrols_late.canonical.expected", canon);
    assert_null(strchr(canon, '#'));
    free(canon);
    scenario_free(s);
}

static void test_overrides(void **state)
{
    (void)state;
    static const char *const ov[] = {
        "areas.Northgate.deprivation=0.8",
        "housing.queue_order=target_areas_first",
        " years = 7 ",
        "name=\"from --set\"",
        "areas.St. Mary.neighbours=[\"Northgate\"]",
        "housing.repair_work.distribution=fixed",
        "start=2030-01-01",
    };
    scenario *s = load_ok(DIR "good.cfg", ov, sizeof ov / sizeof ov[0]);
    const scn_node *n = scenario_find(s, "areas.Northgate.deprivation");
    assert_true(n->float_value == 0.8);
    assert_string_equal(n->file, "--set");
    assert_int_equal(n->line, 1);
    assert_string_equal(scenario_string(s, "housing.queue_order"), "target_areas_first");
    assert_int_equal(scenario_find(s, "housing.queue_order")->line, 2);
    assert_int_equal(scenario_int(s, "years"), 7);
    assert_string_equal(scenario_name(s), "from --set");
    n = scenario_find(s, "areas.St. Mary.neighbours");
    assert_int_equal(n->n_children, 1);
    assert_string_equal(n->children[0]->string_value, "Northgate");
    assert_int_equal(n->line, 5);
    assert_string_equal(scenario_string(s, "housing.repair_work.distribution"), "fixed");
    assert_int_equal(scenario_date(s, "start"), date_from_civil(2030, 1, 1));
    /* Untouched values keep their provenance. */
    assert_string_equal(scenario_find(s, "areas.Southgate.deprivation")->file, DIR "good.cfg");
    scenario_free(s);

    /* An override may set a member of a group no file mentions. */
    static const char *const ov2[] = { "housing.repair_work.sigma=2" };
    s = load_ok(DIR "interventions/patrols_late.cfg", ov2, 1);
    assert_true(scenario_float(s, "housing.repair_work.sigma") == 2.0);
    scenario_free(s);
}

static void test_overrides_new_groups_and_lists(void **state)
{
    (void)state;
    static const char *const ov[] = {
        "housing.repair_work.sigma=1",
        "areas=({ name = \"X\"; population = 2; dwellings = 3; }, { name = \"Y\"; population = 4; "
        "dwellings = 5; })",
        "areas.Y.deprivation=0.25",
    };
    scenario *s = load_ok(DIR "minimal.cfg", ov, sizeof ov / sizeof ov[0]);
    assert_string_equal(scenario_name(s), "minimal");
    const scn_node *n = scenario_find(s, "housing.repair_work.sigma");
    assert_true(n->float_value == 1.0);
    assert_string_equal(n->file, "--set");
    assert_int_equal(n->line, 1);
    /* The groups' other members still get their defaults. */
    assert_true(scenario_float(s, "housing.turnover") == 0.06);
    assert_true(scenario_float(s, "housing.repair_work.median_team_days") == 3.0);
    /* A list given whole replaces the file's; later overrides reach into it. */
    assert_int_equal(scenario_find(s, "areas")->n_children, 2);
    assert_null(scenario_find(s, "areas.A"));
    assert_int_equal(scenario_int(s, "areas.X.dwellings"), 3);
    assert_true(scenario_float(s, "areas.Y.deprivation") == 0.25);
    assert_int_equal(scenario_find(s, "areas.Y.deprivation")->line, 3);
    assert_true(scenario_float(s, "areas.X.deprivation") == 0.5);
    scenario_free(s);
}

static void test_canonical_ignores_literal_form(void **state)
{
    (void)state;
    static const char *const a[] = { "housing.turnover=1" };
    static const char *const b[] = { "housing.turnover=1.0" };
    scenario *sa = load_ok(DIR "good.cfg", a, 1);
    scenario *sb = load_ok(DIR "good.cfg", b, 1);
    char *ta = scenario_canonical_text(sa);
    char *tb = scenario_canonical_text(sb);
    assert_string_equal(ta, tb);
    assert_non_null(strstr(ta, "housing.turnover = 1.0;\n"));
    free(ta);
    free(tb);
    scenario_free(sa);
    scenario_free(sb);
}

static void test_nearest_key(void **state)
{
    (void)state;
    assert_string_equal(param_nearest_key(tables, N_TABLES, "housing.turnovr"), "housing.turnover");
    assert_string_equal(param_nearest_key(tables, N_TABLES, "housin.turnover"), "housing.turnover");
    assert_string_equal(param_nearest_key(tables, N_TABLES, "yeas"), "years");
    assert_string_equal(param_nearest_key(tables, N_TABLES, "nmae"), "name");
    assert_string_equal(param_nearest_key(tables, N_TABLES, "areas.*.populaton"),
                        "areas.*.population");
    assert_string_equal(param_nearest_key(tables, N_TABLES, "housing.repair_work.sigmaa"),
                        "housing.repair_work.sigma");
    assert_null(param_nearest_key(tables, N_TABLES, "colour"));
    assert_null(param_nearest_key(tables, N_TABLES, "housing.repair_work.foo"));
    assert_null(param_nearest_key(tables, N_TABLES, "x"));
}

/* Checks that text is one well-formed JSON value as far as nesting and
   strings go: brackets balance, strings end, no raw control characters. */
static void assert_json_shape(const char *text)
{
    char stack[64];
    int depth = 0, in_string = 0;
    for (const char *p = text; *p; p++) {
        if (in_string) {
            assert_true((unsigned char)*p >= 0x20);
            if (*p == '\\') {
                p++;
                assert_non_null(strchr("\"\\/bfnrtu", *p));
            } else if (*p == '"') {
                in_string = 0;
            }
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '{' || *p == '[') {
            assert_true(depth < 64);
            stack[depth++] = *p;
        } else if (*p == '}' || *p == ']') {
            assert_true(depth > 0);
            assert_int_equal(stack[--depth], *p == '}' ? '{' : '[');
        }
    }
    assert_false(in_string);
    assert_int_equal(depth, 0);
}

static void test_json(void **state)
{
    (void)state;
    /* Quote and backslash need escaping in JSON; control characters are
       refused in scenario strings (test_output checks their escaping). */
    static const char *const ov[] = { "name=\"quote \\\" back \\\\ end\"" };
    scenario *s = load_ok(DIR "good.cfg", ov, 1);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    scenario_write_json(s, out, 2);
    fclose(out);
    assert_json_shape(text);
    assert_int_equal(text[0], '{');
    assert_non_null(strstr(text, "\n    \"years\": {\"value\": 5, \"file\": \"" DIR
                                 "good.cfg\", \"line\": 4}"));
    assert_non_null(strstr(text, "\"name\": {\"value\": \"quote \\\" back \\\\ end\", "
                                 "\"file\": \"--set\", \"line\": 1}"));
    assert_non_null(strstr(text, "\"areas.St. Mary.neighbours\": {\"value\": [], "
                                 "\"file\": \"default\", \"line\": 0}"));
    assert_non_null(strstr(text, "\"housing.turnover\": {\"value\": 0.08,"));
    assert_non_null(strstr(text, "\"areas.Northgate.neighbours\": {\"value\": [\"St. Mary\", "
                                 "\"Southgate\"]"));
    assert_string_equal(text + len - 4, "\n  }");
    free(text);
    scenario_free(s);
}

static void test_describe(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    for (size_t t = 0; t < N_TABLES; t++) {
        fprintf(out, "%s%s\n", t ? "\n" : "", tables[t].owner);
        param_table_describe(&tables[t], out);
    }
    fclose(out);
    assert_golden(DIR "describe.expected", text);
    for (const char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        assert_true(n <= 78);
        line += n + (line[n] == '\n');
    }
    free(text);
}

static void test_truncated_errors(void **state)
{
    (void)state;
    char err[120];
    scenario *s = NULL;
    int rc = scenario_load(DIR "multiple.cfg", tables, N_TABLES, NULL, 0, &s, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_true(strlen(err) < sizeof err);
    assert_non_null(strstr(err, "more errors not shown)"));
    assert_true(strncmp(err, DIR "multiple.cfg:2: years: ", strlen(DIR) + 23) == 0);
}

/* Runs f in a child process and checks that it aborts with msg on stderr. */
static void assert_aborts(void (*f)(const scenario *), const scenario *s, const char *msg)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        f(s);
        _exit(0);
    }
    close(fds[1]);
    char buf[512];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && (r = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)r;
    buf[got] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    assert_non_null(strstr(buf, msg));
}

static void get_undeclared(const scenario *s) { (void)scenario_int(s, "housing.turnovr"); }
static void get_absent_entry(const scenario *s)
{
    (void)scenario_float(s, "areas.Nowhere.deprivation");
}

static void test_getter_aborts(void **state)
{
    (void)state;
    scenario *s = load_ok(DIR "good.cfg", NULL, 0);
    assert_aborts(get_undeclared, s,
                  "placesim: internal error: no scenario value at housing.turnovr\n");
    assert_aborts(get_absent_entry, s,
                  "placesim: internal error: no scenario value at areas.Nowhere.deprivation\n");
    scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_find_named_entries),
        cmocka_unit_test(test_base_composition),
        cmocka_unit_test(test_three_level_chain),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_overrides_new_groups_and_lists),
        cmocka_unit_test(test_canonical_ignores_literal_form),
        cmocka_unit_test(test_nearest_key),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_truncated_errors),
        cmocka_unit_test(test_getter_aborts),
        cmocka_unit_test(test_error_unknown_key),
        cmocka_unit_test(test_error_unknown_member),
        cmocka_unit_test(test_error_wrong_type),
        cmocka_unit_test(test_error_out_of_range),
        cmocka_unit_test(test_error_bad_enum),
        cmocka_unit_test(test_error_bad_date),
        cmocka_unit_test(test_error_bad_date_form),
        cmocka_unit_test(test_error_missing),
        cmocka_unit_test(test_error_missing_list),
        cmocka_unit_test(test_error_list_names),
        cmocka_unit_test(test_error_multiple),
        cmocka_unit_test(test_error_syntax),
        cmocka_unit_test(test_error_unreadable),
        cmocka_unit_test(test_error_base_missing),
        cmocka_unit_test(test_error_base_type),
        cmocka_unit_test(test_error_base_cycle),
        cmocka_unit_test(test_error_base_syntax),
        cmocka_unit_test(test_error_base_chain_typo),
        cmocka_unit_test(test_error_include),
        cmocka_unit_test(test_error_include_syntax),
        cmocka_unit_test(test_error_set),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
