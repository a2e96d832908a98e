/* test_costs.c — the cost library: exact rebasing, a swapped cost file that
 * moves money and nothing else, crime's cost-split refusal, and the exact
 * wording of each load error (golden files in tests/data/costs/: <case>.cfg
 * and <case>.expected).
 *
 * Set PLACESIM_UPDATE_GOLDEN=1 to rewrite the .expected files from the
 * current output (then read the diff before keeping it). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "costs.h"
#include "crime.h"
#include "engine.h"
#include "housing.h"
#include "reoffending.h"
#include "test_files.h"
#include "test_golden.h"
#include "test_support.h"

#define DIR "tests/data/costs/"

static int setup(void **state)
{
    (void)state;
    /* Relative paths keep the file names in messages stable. */
    return chdir(PLACESIM_SOURCE_DIR) == 0 ? 0 : -1;
}

/* Compares err (plus a final newline) with DIR<name>.expected. */
static void assert_golden_error(const char *name, const char *err)
{
    char path[256], got[8192];
    snprintf(path, sizeof path, DIR "%s.expected", name);
    snprintf(got, sizeof got, "%s\n", err);
    assert_golden(path, got);
}

/* Loading `name`.cfg fails with exactly the lines of `name`.expected. */
static void assert_load_error(const char *name)
{
    char path[256], err[8192] = "";
    snprintf(path, sizeof path, DIR "%s.cfg", name);
    cost_library *lib = (cost_library *)1;
    assert_int_equal(cost_library_load(path, &lib, err, sizeof err), -1);
    assert_null(lib);
    assert_golden_error(name, err);
}

static void price_year_not_in_deflator(void **state)
{
    (void)state;
    assert_load_error("bad_year");
}

static void bad_grade(void **state)
{
    (void)state;
    assert_load_error("bad_grade");
}

/* The deflator's grade is checked as a cost's is, and its release and
 * source are required: a library says where its deflator comes from. */
static void bad_deflator_provenance(void **state)
{
    (void)state;
    assert_load_error("bad_deflator_provenance");
}

static void unknown_key(void **state)
{
    (void)state;
    assert_load_error("unknown_key");
}

static void missing_needed_cost(void **state)
{
    (void)state;
    cost_library *lib;
    char err[4096] = "";
    assert_int_equal(cost_library_load(DIR "small.cfg", &lib, err, sizeof err), 0);
    const model_def *models[] = { &reoffending_model };
    assert_int_equal(model_check_costs(lib, models, 1, err, sizeof err), -1);
    assert_golden_error("missing_needed", err);
    cost_library_free(lib);
}

static scenario *load_scenario(const char *path)
{
    scenario *s = NULL;
    char err[4096] = "";
    if (scenario_load(path, &engine_param_table, 1, NULL, 0, &s, err, sizeof err) != 0) {
        fail_msg("%s", err);
    }
    return s;
}

static void scenario_price_year_not_in_deflator(void **state)
{
    (void)state;
    scenario *s = load_scenario(DIR "scenario_bad_year.cfg");
    cost_library *lib = (cost_library *)1;
    char err[4096] = "";
    assert_int_equal(cost_library_for_scenario(s, &lib, err, sizeof err), -1);
    assert_null(lib);
    assert_golden_error("scenario_bad_year", err);
    scenario_free(s);
}

/* A cost at 2015/16 read at 2022/23 prices is value x 100 / 86.1, with the
 * library named relative to the scenario file; a cost already at the target
 * year keeps its value bit for bit. */
static void rebasing_is_exact(void **state)
{
    (void)state;
    scenario *s = load_scenario(DIR "scenario_2022.cfg");
    cost_library *lib;
    char err[4096] = "";
    if (cost_library_for_scenario(s, &lib, err, sizeof err) != 0) fail_msg("%s", err);
    assert_string_equal(cost_library_path(lib), DIR "small.cfg");
    const cost_entry *e = cost_library_find(lib, "at_2015");
    assert_non_null(e);
    double got = cost_rebased(lib, e, scenario_string(s, "price_year"));
    assert_true(got == 1000.0 * (100.0 / 86.1));
    assert_true(fabs(got - 1000.0 * 100.0 / 86.1) <= 1e-12 * got);
    const cost_entry *same = cost_library_find(lib, "at_2024");
    assert_true(cost_rebased(lib, same, "2024/25") == 250.5);
    assert_true(isnan(cost_rebased(lib, same, "2031/32")));
    assert_null(cost_library_find(lib, "at_2016"));
    cost_library_free(lib);
    scenario_free(s);
}

static char *reoffending_scenario(const char *library)
{
    char *text = malloc(1024);
    assert_non_null(text);
    snprintf(text, 1024,
             "start = \"2025-04-01\";\nyears = 3;\nwarmup_years = 2;\n"
             "areas = ( { name = \"Town\"; population = 200000; dwellings = 80000; "
             "social_dwellings = 1000; deprivation = 0.5; } );\n"
             "cost_library = \"%s\";\n",
             library);
    return text;
}

static int same_value(double a, double b) { return a == b || (isnan(a) && isnan(b)); }

/* The same runs (common random numbers) with the prison cost doubled in a
 * swapped file: demand_cost_prisons doubles (to the penny each day: the
 * ledger rounds each day's charge) and every other value of every period is
 * identical, money included. */
static void swapped_cost_file_moves_only_its_money(void **state)
{
    (void)state;
    const model_def *models[] = { &reoffending_model };
    char *text_a = reoffending_scenario("");
    char *text_b = reoffending_scenario(PLACESIM_SOURCE_DIR "/" DIR "double_prison.cfg");
    test_run a, b;
    test_run_load(&a, text_a, models, 1, NULL, 0);
    test_run_load(&b, text_b, models, 1, NULL, 0);
    test_run_reps(&a, 2, 7, 2);
    test_run_reps(&b, 2, 7, 2);
    double days = test_run_days(&a);
    for (unsigned i = 0; i < 2; i++) {
        const recorder *ra = a.results[i].rec, *rb = b.results[i].rec;
        int prisons = recorder_find(ra, "demand_cost_prisons");
        double pa = recorder_run_value(ra, prisons), pb = recorder_run_value(rb, prisons);
        printf("replication %u: demand_cost_prisons %.2f -> %.2f (x%.9f)\n", i + 1, pa, pb,
               pb / pa);
        assert_true(pa > 0);
        assert_true(fabs(pb - 2 * pa) <= 0.01 * days);
        size_t differing = 0;
        for (size_t m = 0; m < recorder_n_metrics(ra); m++) {
            if ((int)m == prisons) continue;
            for (size_t p = 0; p < recorder_n_periods(ra); p++) {
                for (size_t ar = 0; ar <= recorder_n_areas(ra); ar++) {
                    if (!same_value(recorder_value(ra, p, ar, (int)m),
                                    recorder_value(rb, p, ar, (int)m))) {
                        differing++;
                    }
                }
            }
        }
        assert_int_equal(differing, 0);
    }
    test_run_free(&a);
    test_run_free(&b);
    free(text_a);
    free(text_b);
}

/* Police and health costs above a crime's total would leave victims a
 * negative share: crime refuses to start, naming the costs and the file. */
static void crime_refuses_a_bad_cost_split(void **state)
{
    (void)state;
    const model_def *models[] = { &housing_model, &crime_model };
    char text[1024];
    snprintf(text, sizeof text,
             "years = 1;\nwarmup_years = 0;\n"
             "areas = ( { name = \"Town\"; population = 20000; dwellings = 8000; "
             "social_dwellings = 100; } );\n"
             "cost_library = \"%s\";\n",
             PLACESIM_SOURCE_DIR "/" DIR "bad_split.cfg");
    test_run t;
    test_run_load(&t, text, models, 2, NULL, 0);
    replication_result r;
    char err[1024] = "";
    assert_int_equal(engine_run_replication(&t.cfg, 1, &r, err, sizeof err), -1);
    printf("%s\n", err);
    assert_non_null(strstr(err, PLACESIM_SOURCE_DIR
                           "/" DIR "bad_split.cfg: costs: "
                           "crime_police_robbery (36386.16) and "
                           "crime.costs.health_share.robbery of crime_total_robbery "
                           "(580.07) exceed crime_total_robbery (14501.70) at 2024/25 "
                           "prices, leaving victims a negative share"));
    test_run_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rebasing_is_exact),
        cmocka_unit_test(price_year_not_in_deflator),
        cmocka_unit_test(bad_grade),
        cmocka_unit_test(bad_deflator_provenance),
        cmocka_unit_test(unknown_key),
        cmocka_unit_test(missing_needed_cost),
        cmocka_unit_test(scenario_price_year_not_in_deflator),
        cmocka_unit_test(swapped_cost_file_moves_only_its_money),
        cmocka_unit_test(crime_refuses_a_bad_cost_split),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
