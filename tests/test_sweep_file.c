/* test_sweep_file.c — sweep files: reading, base composition, checks against
 * the arms, the golden messages of bad sweep files (tests/data/sweeps/bad_*),
 * and unit-cost overrides (--set costs.<name>=value) in scenarios and
 * through the binary. Runs from the source directory, so that messages name
 * files as a user in it would. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "costs.h"
#include "dates.h"
#include "sweep.h"
#include "test_assert.h"
#include "test_files.h"

#ifndef PLACESIM_SOURCE_DIR
#define PLACESIM_SOURCE_DIR "."
#endif
#ifndef PLACESIM_BINARY
#define PLACESIM_BINARY "placesim"
#endif

enum { ERR_BYTES = 65536 };
static char err[ERR_BYTES];

static int to_source(void **state)
{
    (void)state;
    return chdir(PLACESIM_SOURCE_DIR);
}

static void load_ok(const char *path, sweep *s)
{
    err[0] = '\0';
    int status = sweep_load(path, s, err, sizeof err);
    if (status != 0) fprintf(stderr, "%s\n", err);
    assert_int_equal(status, 0);
}

/* expected with {SOURCE} replaced by the source directory, without its
   final newline. */
static char *expected_text(const char *path)
{
    char *raw = test_read_file(path);
    assert_non_null(raw);
    size_t n = strlen(raw);
    while (n && raw[n - 1] == '\n') raw[--n] = '\0';
    const char *mark = "{SOURCE}";
    char *out = malloc(n + 4096);
    assert_non_null(out);
    size_t used = 0;
    for (const char *p = raw; *p;) {
        const char *hit = strstr(p, mark);
        size_t len = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(out + used, p, len);
        used += len;
        if (!hit) break;
        memcpy(out + used, PLACESIM_SOURCE_DIR, strlen(PLACESIM_SOURCE_DIR));
        used += strlen(PLACESIM_SOURCE_DIR);
        p = hit + strlen(mark);
    }
    out[used] = '\0';
    free(raw);
    return out;
}

/* Every tests/data/sweeps/bad_*.cfg fails with exactly its .expected. */
static void test_bad_sweeps(void **state)
{
    (void)state;
    DIR *d = opendir("tests/data/sweeps");
    assert_non_null(d);
    int cases = 0, failed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "bad_", 4) != 0 || len < 5 || strcmp(e->d_name + len - 4, ".cfg"))
            continue;
        char path[512], expected_path[512];
        snprintf(path, sizeof path, "tests/data/sweeps/%s", e->d_name);
        snprintf(expected_path, sizeof expected_path, "tests/data/sweeps/%.*s.expected",
                 (int)(len - 4), e->d_name);
        char *expected = expected_text(expected_path);
        sweep s;
        err[0] = '\0';
        int status = sweep_load(path, &s, err, sizeof err);
        if (status == 0 || strcmp(err, expected) != 0) {
            fprintf(stderr, "%s: status %d\nexpected: %s\nactual:   %s\n", path, status, expected,
                    err);
            failed++;
            if (status == 0) sweep_free(&s);
        }
        free(expected);
        cases++;
    }
    closedir(d);
    assert_true(cases >= 10);
    assert_int_equal(failed, 0);
}

static void test_grid_file(void **state)
{
    (void)state;
    sweep s;
    load_ok("tests/data/sweeps/grid.cfg", &s);
    assert_string_equal(s.name, "grid");
    assert_int_equal(s.design, SWEEP_GRID);
    assert_int_equal(s.n_points, 9);
    assert_int_equal(s.n_params, 2);
    assert_int_equal(s.replications, 2);
    assert_int_equal(s.master_seed, 7);
    assert_true(s.params[0].whole);
    assert_false(s.params[1].whole);
    assert_string_equal(s.params[1].column, "interventions_patrols_intensity");
    assert_string_equal(s.arms[0].scenario_path, "tests/data/sweeps/small_patrols.cfg");
    /* Cartesian product, last parameter fastest. */
    const double teams[] = { 1, 2, 3 }, intensity[] = { 0, 0.5, 1 };
    for (size_t i = 0; i < 9; i++) {
        assert_true(s.points[i * 2] == teams[i / 3]);
        assert_true(s.points[i * 2 + 1] == intensity[i % 3]);
    }
    char **items;
    size_t n;
    assert_int_equal(sweep_point_overrides(&s, 5, &items, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(items[0], "housing.repair_teams=2");
    assert_string_equal(items[1], "interventions.patrols.intensity=1.0");
    sweep_overrides_free(items, n);
    /* Outputs: names, areas, windows, dates. */
    assert_int_equal(s.n_outputs, 4);
    assert_string_equal(s.outputs[0].name, "void_days_total");
    assert_string_equal(s.outputs[0].area, "ALL");
    assert_string_equal(s.outputs[0].from_year, "");
    assert_string_equal(s.outputs[1].name, "crimes_burglary_mean_per_year_North");
    assert_string_equal(s.outputs[1].from_year, "2025/26");
    assert_string_equal(s.outputs[1].to_year, "2026/27");
    assert_int_equal(s.outputs[2].summary, SWEEP_VALUE_AT);
    char day[11];
    date_format(s.outputs[2].date, day);
    assert_string_equal(day, "2026-03-31");
    assert_string_equal(s.outputs[3].name, "relet_median");
    assert_int_equal(s.outputs[3].summary, SWEEP_MEDIAN);
    assert_null(s.saltelli_sample);
    /* The text is what is hashed, and loading again gives the same hash. */
    assert_non_null(strstr(s.text, "values = [1, 2, 3];"));
    assert_int_equal(strlen(s.sha256), 64);
    sweep again;
    load_ok("tests/data/sweeps/grid.cfg", &again);
    assert_string_equal(s.sha256, again.sha256);
    sweep_free(&again);
    sweep_free(&s);
}

/* base: merged key by key (lists replaced whole), the name is the file's
   own, paths relative to the file that names them. */
static void test_base_composition(void **state)
{
    (void)state;
    sweep s;
    load_ok("tests/data/sweeps/base_child.cfg", &s);
    assert_string_equal(s.name, "base_child");
    assert_int_equal(s.replications, 3);
    assert_int_equal(s.master_seed, 7); /* the base's */
    assert_int_equal(s.n_outputs, 4);   /* the base's */
    assert_int_equal(s.n_arms, 2);
    assert_string_equal(s.arms[0].name, "plain");
    assert_string_equal(s.arms[1].name, "small_patrols"); /* default: the file's name */
    assert_int_equal(s.n_params, 1);
    assert_int_equal(s.n_points, 2);
    assert_true(s.points[0] == 1 && s.points[1] == 4);
    sweep base;
    load_ok("tests/data/sweeps/grid.cfg", &base);
    assert_string_not_equal(s.sha256, base.sha256);
    sweep_free(&base);
    sweep_free(&s);
}

static void test_list_file(void **state)
{
    (void)state;
    sweep s;
    load_ok("tests/data/sweeps/list.cfg", &s);
    assert_string_equal(s.name, "listed");
    assert_int_equal(s.design, SWEEP_LIST);
    assert_int_equal(s.n_points, 3);
    assert_true(s.master_seed == UINT64_MAX);
    assert_true(s.keep_series);
    assert_int_equal(s.replications, 10);
    const double want[] = { 1, 300, 3, 400, 2, 344 };
    for (size_t i = 0; i < 6; i++) assert_true(s.points[i] == want[i]);
    char **items;
    size_t n;
    assert_int_equal(sweep_point_overrides(&s, 1, &items, &n), 0);
    assert_string_equal(items[0], "housing.repair_teams=3");
    assert_string_equal(items[1], "costs.repair_per_team_day=400.0");
    /* The overrides load as a scenario would with --set. */
    loaded_scenario ls;
    assert_int_equal(cli_load_scenario_quiet(s.arms[0].scenario_path, (const char *const *)items, n,
                                             &ls, err, sizeof err),
                     0);
    assert_true(cost_library_find(ls.costs, "repair_per_team_day")->value == 400.0);
    assert_int_equal(scenario_int(ls.scn, "housing.repair_teams"), 3);
    cli_free_scenario(&ls);
    sweep_overrides_free(items, n);
    sweep_free(&s);
}

static void test_lhs_file(void **state)
{
    (void)state;
    sweep s;
    load_ok("tests/data/sweeps/lhs.cfg", &s);
    assert_int_equal(s.n_points, 25);
    assert_true(s.params[2].whole);
    for (size_t i = 0; i < s.n_points; i++) {
        double effect = s.points[i * 3], cost = s.points[i * 3 + 1], teams = s.points[i * 3 + 2];
        assert_in_range_double(effect, 0, 0.16);
        assert_in_range_double(cost, 250, 450);
        assert_in_range_double(teams, 1, 5);
        assert_true(teams == floor(teams));
    }
    sweep_free(&s);
}

/* A missing sweep file: one line naming it. */
static void test_missing_file(void **state)
{
    (void)state;
    sweep s;
    assert_int_equal(sweep_load("tests/data/sweeps/no_such.cfg", &s, err, sizeof err), -1);
    assert_string_equal(err,
                        "tests/data/sweeps/no_such.cfg: cannot read: No such file or directory");
}

/* --set costs.<name>=value in a scenario: the library's value, in its own
   price year, and the scenario's text says where it came from. */
static void test_cost_override(void **state)
{
    (void)state;
    const char *ov[] = { "housing.repair_teams=3", "costs.repair_per_team_day=400" };
    loaded_scenario ls;
    assert_int_equal(
        cli_load_scenario_quiet("tests/data/sweeps/small.cfg", ov, 2, &ls, err, sizeof err), 0);
    const cost_entry *e = cost_library_find(ls.costs, "repair_per_team_day");
    assert_true(e->value == 400.0);
    assert_string_equal(e->price_year, "2023/24");
    assert_int_equal(scenario_cost_override_count(ls.scn), 1);
    char *text = scenario_canonical_text(ls.scn);
    assert_non_null(strstr(text, "costs.repair_per_team_day = 400.0;\n"));
    free(text);
    char *lib = cost_library_canonical_text(ls.costs);
    assert_non_null(strstr(lib, "400"));
    free(lib);
    cli_free_scenario(&ls);

    const char *bad[] = { "costs.repair_per_team_dy=400", "costs.rent_lost_per_void_week=-1" };
    assert_int_equal(
        cli_load_scenario_quiet("tests/data/sweeps/small.cfg", bad, 2, &ls, err, sizeof err), -1);
    char want[1024];
    snprintf(want, sizeof want,
             "--set:1: costs.repair_per_team_dy: unknown cost in %s/scenarios/"
             "costs/default.cfg (did you mean costs.repair_per_team_day?)\n--set:2: "
             "costs.rent_lost_per_void_week: -1 is out of range [0, 1000000000000]",
             PLACESIM_SOURCE_DIR);
    assert_string_equal(err, want);
}

/* Runs the binary; returns its exit status with stdout and stderr. */
static int run_binary(const char *args, char **out, char **errs)
{
    char out_path[64], err_path[64], command[2048];
    snprintf(out_path, sizeof out_path, "/tmp/placesim_sweep_out.%ld", (long)getpid());
    snprintf(err_path, sizeof err_path, "/tmp/placesim_sweep_err.%ld", (long)getpid());
    snprintf(command, sizeof command, "%s %s >%s 2>%s", PLACESIM_BINARY, args, out_path, err_path);
    int status = system(command);
    *out = test_read_file(out_path);
    *errs = test_read_file(err_path);
    remove(out_path);
    remove(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_cost_override_binary(void **state)
{
    (void)state;
    char *out, *errs;
    assert_int_equal(run_binary("check tests/data/sweeps/small.cfg --set "
                                "costs.repair_per_team_day=400",
                                &out, &errs),
                     0);
    assert_non_null(strstr(out, "\ncosts.repair_per_team_day = 400.0;  # --set:1\n"));
    free(out);
    free(errs);
    assert_int_equal(
        run_binary("check tests/data/sweeps/small.cfg --set costs.no_such_cost=1", &out, &errs), 1);
    char want[512];
    snprintf(want, sizeof want,
             "--set:1: costs.no_such_cost: unknown cost in %s/scenarios/costs/"
             "default.cfg\n",
             PLACESIM_SOURCE_DIR);
    assert_string_equal(errs, want);
    assert_string_equal(out, "");
    free(out);
    free(errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_sweeps),       cmocka_unit_test(test_grid_file),
        cmocka_unit_test(test_base_composition), cmocka_unit_test(test_list_file),
        cmocka_unit_test(test_lhs_file),         cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_cost_override),    cmocka_unit_test(test_cost_override_binary),
    };
    return cmocka_run_group_tests(tests, to_source, NULL);
}
