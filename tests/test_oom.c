/* test_oom.c — every allocation failure is survived: loading a scenario,
 * running a replication and writing its outputs fail cleanly (an error, no
 * crash, no leak: the sanitizer build checks leaks) whichever allocation
 * fails (STYLE.md habit 11).
 *
 * This executable is linked with -Wl,--wrap=malloc,calloc,realloc, so every
 * allocation made by placesim's own code (not by GSL, libconfig or libc
 * internals) goes through the wrappers below, which fail the N-th one when
 * armed. The counters are the hook's only state; a test needs them global. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "output.h"
#include "run_files.h"
#include "test_support.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

static int armed;         /* counting */
static long allocations;  /* since armed */
static long fail_at = -1; /* the allocation to fail, 0-based; -1: none */

static int should_fail(void)
{
    if (!armed) return 0;
    return allocations++ == fail_at;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return should_fail() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }

static void arm(long at)
{
    allocations = 0;
    fail_at = at;
    armed = 1;
}

static long disarm(void)
{
    armed = 0;
    fail_at = -1;
    return allocations;
}

static const char scenario_text[] =
    "start = \"2025-04-01\"; years = 1; warmup_years = 1;\n"
    "areas = ( { name = \"North\"; population = 3000; dwellings = 1200; social_dwellings = 150;"
    " deprivation = 0.7; neighbours = [\"South\"]; },\n"
    "          { name = \"South\"; population = 2500; dwellings = 1000; social_dwellings = 60;"
    " deprivation = 0.2; neighbours = [\"North\"]; } );\n"
    "housing = { repair_teams = 2; turnover = 0.2; };\n"
    "budgets = { police = 20000.0; };\n"
    "interventions = ( { name = \"p\"; type = \"hotspot_patrols\"; areas = [\"North\"];"
    " start = \"2025-06-01\"; end = \"2026-01-31\"; funder = \"police\"; } );\n";

/* One replication of every model and its series and ledger, as placesim run
 * makes them; 0 on success, and the text written in *out (caller frees). */
static int run_once(const run_config *cfg, char **out)
{
    *out = NULL;
    replication_result result;
    char err[1024];
    if (engine_run_replication(cfg, 1, &result, err, sizeof err) != 0) {
        assert_non_null(strstr(err, "out of memory"));
        return -1;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len); /* libc's allocations: not wrapped */
    const recorder *rec = result.rec;
    int status = f ? series_write_csv(f, "s", &rec, 1, cfg->start_date) : -1;
    if (status == 0) status = ledger_write_rows(f, "s", 1, result.ledger, cfg->start_date);
    if (f) fclose(f);
    /* The same rows as `run`'s workers format them (run_files_format),
     * which fails whole or gives the same text. */
    if (status == 0) {
        run_files rf = { .scenario = "s", .start_day = cfg->start_date };
        if (run_files_format(&rf, &result, err, sizeof err) != 0) {
            assert_non_null(strstr(err, "out of memory"));
            assert_int_equal(result.n_formatted, 0);
            status = -1;
        } else {
            const replication_text *t = result.formatted;
            size_t header = strlen(series_csv_header);
            assert_int_equal(len, header + t[RUN_FILE_SERIES].len + t[RUN_FILE_LEDGER].len);
            assert_memory_equal(text + header, t[RUN_FILE_SERIES].data, t[RUN_FILE_SERIES].len);
            assert_memory_equal(text + header + t[RUN_FILE_SERIES].len, t[RUN_FILE_LEDGER].data,
                                t[RUN_FILE_LEDGER].len);
        }
    }
    if (status == 0)
        *out = text;
    else
        free(text);
    replication_result_free(&result);
    return status;
}

/* Fail each allocation of a whole replication in turn: the run fails with
 * "out of memory", or (where a module can do without the memory — the event
 * list leaves events in its overflow heap when a day bucket cannot grow)
 * carries on and writes exactly what an unfailed run writes. Nothing in
 * between: no crash, no leak, no silently different result. */
static void every_allocation_of_a_run_can_fail(void **state)
{
    (void)state;
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    test_run t;
    test_run_load(&t, scenario_text, models, n_models, NULL, 0);

    char *reference;
    arm(-1);
    assert_int_equal(run_once(&t.cfg, &reference), 0);
    long total = disarm();
    printf("one replication makes %ld allocations of its own\n", total);
    assert_true(total > 50);
    long failures = 0, absorbed = 0;
    for (long k = 0; k < total; k++) {
        char *text;
        arm(k);
        int status = run_once(&t.cfg, &text);
        disarm();
        if (status != 0) {
            failures++;
        } else {
            assert_string_equal(text, reference);
            absorbed++;
        }
        free(text);
    }
    printf("%ld failed the run, %ld were absorbed with identical results\n", failures, absorbed);
    assert_true(failures > absorbed); /* the fallbacks are the exception */
    free(reference);
    test_run_free(&t);
}

/* Fail each allocation of loading and checking a scenario in turn. */
static void every_allocation_of_loading_can_fail(void **state)
{
    (void)state;
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    char dir[] = "/tmp/placesim_oom_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/s.cfg", dir);
    FILE *f = fopen(path, "w");
    fputs(scenario_text, f);
    fputs("models = [\"crime\", \"housing\"];\n", f); /* the run's list is built too */
    fclose(f);
    param_table *tables = test_param_tables(models, n_models);

    long total = 0;
    for (long k = -1; k < total || k == -1; k++) {
        char err[4096] = "";
        scenario *s = NULL;
        place p;
        arm(k);
        int status = scenario_load(path, tables, n_models + 1, NULL, 0, &s, err, sizeof err);
        if (status == 0) status = place_build(s, &p, err, sizeof err);
        const model_def **run = NULL;
        size_t n_run = 0;
        if (status == 0) {
            status = engine_select_models(s, models, n_models, &run, &n_run, err, sizeof err);
            if (status != 0) place_free(&p);
        }
        free(run);
        long made = disarm();
        if (k == -1) {
            assert_int_equal(status, 0);
            assert_int_equal(n_run, 3); /* housing, crime, interventions */
            total = made;
        } else {
            assert_int_not_equal(status, 0);
            assert_non_null(strstr(err, "out of memory"));
        }
        if (status == 0) place_free(&p);
        if (s) scenario_free(s);
    }
    printf("loading the scenario makes %ld allocations of its own\n", total);
    assert_true(total > 20);
    free(tables);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_of_a_run_can_fail),
        cmocka_unit_test(every_allocation_of_loading_can_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
