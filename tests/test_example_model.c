/* test_example_model.c — the example of models/README.md, "Adding a
 * model": a model that lives in the tests only (tests/example_model.c),
 * runs with the real models, reads a value housing shares and brings an
 * intervention type of its own, which the interventions model pays for
 * from the catalogue like any other. No file in sim/ knows it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crime.h"
#include "example_model.h"
#include "housing.h"
#include "interventions.h"
#include "reoffending.h"
#include "test_support.h"

/* The default library plus the wardens' unit cost (GBP 150 a warden-day at
 * 2024/25 prices, the borough's price year). Caller frees the path. */
static char *library_with_wardens(const char *dir)
{
    FILE *in = fopen(PLACESIM_SOURCE_DIR "/scenarios/costs/default.cfg", "r");
    assert_non_null(in);
    char *path = malloc(256);
    assert_non_null(path);
    snprintf(path, 256, "%s/wardens_costs.cfg", dir);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    char line[4096];
    int added = 0;
    while (fgets(line, sizeof line, in)) {
        fputs(line, out);
        if (!added && strncmp(line, "costs = (", 9) == 0) {
            fputs("    { name = \"example_warden_day\"; value = 150.0; unit = \"GBP per "
                  "warden-day\";\n"
                  "      price_year = \"2024/25\"; grade = \"C\"; source = \"test\"; },\n",
                  out);
            added = 1;
        }
    }
    fclose(in);
    fclose(out);
    assert_true(added);
    return path;
}

static void wardens_act_are_paid_and_read_blight(void **state)
{
    (void)state;
    char dir[] = "/tmp/placesim-wardens-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *library = library_with_wardens(dir);
    char text[2048];
    snprintf(
        text, sizeof text,
        "base = \"%s/scenarios/borough.cfg\";\n"
        "cost_library = \"%s\";\n"
        "years = 1;\nwarmup_years = 1;\n"
        "budgets = { council = 1000000.0; };\n"
        "interventions = (\n"
        "  { name = \"east_wardens\"; type = \"neighbourhood_wardens\"; areas = [\"Northgate\"];\n"
        "    start = \"2025-07-01\"; end = \"2026-03-31\"; funder = \"council\"; capacity = 3.0; "
        "}\n"
        ");\n",
        PLACESIM_SOURCE_DIR, library);
    const model_def *const models[] = { &housing_model, &crime_model, &reoffending_model,
                                        &interventions_model, &wardens_model };
    test_run t;
    test_run_load(&t, text, models, 5, NULL, 0);
    test_run_reps(&t, 1, 1, 1);
    const recorder *rec = t.results[0].rec;

    /* It acts: 274 days (1 July to 31 March) x 3 wardens x 4 visits, in
     * Northgate only. */
    int visits = recorder_find(rec, "warden_visits");
    assert_true(visits >= 0);
    assert_float_equal(recorder_run_value(rec, visits), 274 * 3 * 4, 0);
    double northgate = 0, elsewhere = 0;
    for (size_t p = 0; p < recorder_n_periods(rec); p++) {
        for (size_t a = 0; a < recorder_n_areas(rec); a++) {
            double v = recorder_value(rec, p, a, visits);
            if (strcmp(recorder_area_name(rec, a), "Northgate") == 0)
                northgate += v;
            else
                elsewhere += v;
        }
        /* April to June: nothing yet. */
        if (p < 3) assert_float_equal(recorder_value(rec, p, 0, visits), 0, 0);
    }
    assert_float_equal(northgate, 274 * 3 * 4, 0);
    assert_float_equal(elsewhere, 0, 0);

    /* It is paid for: the interventions model charged the council
     * 274 warden-days x 3 at GBP 150, from the type's unit cost. */
    assert_float_equal(test_run_value(&t, 0, "spend_council"), 274 * 3 * 150.0, 1e-6);
    assert_float_equal(test_run_value(&t, 0, "refusals_east_wardens"), 0, 0);

    /* It read the value housing shares: the blight index it saw each day is
     * housing's own, area by area. */
    int seen = recorder_find(rec, "warden_blight_seen");
    int blight = recorder_find(rec, "blight_index");
    double total = 0;
    for (size_t p = 0; p < recorder_n_periods(rec); p++) {
        for (size_t a = 0; a < recorder_n_areas(rec); a++) {
            double want = recorder_value(rec, p, a, blight);
            assert_float_equal(recorder_value(rec, p, a, seen), want, 1e-9 * (1 + want));
            total += want;
        }
    }
    assert_true(total > 0); /* a comparison of zeros would prove nothing */

    test_run_free(&t);
    unlink(library);
    free(library);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wardens_act_are_paid_and_read_blight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
