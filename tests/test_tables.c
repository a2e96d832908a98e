/* test_tables.c — every registered model's tables are whole.
 *
 * Metric rows are written at their enum's index ([HOUSING_VOIDS] = …) and a
 * static assertion in each *_params.c checks the count, so a row left out
 * in the middle would be a zero row: caught here by name. A param table's
 * owner is the group its keys live in, the model's name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

/* The first row of `t` with a NULL field, or -1; "what" names the field. */
static long hole_in_metrics(const metric_table *t, const char **what)
{
    for (size_t i = 0; i < t->n_specs; i++) {
        const metric_spec *s = &t->specs[i];
        *what = !s->name ? "name" : !s->unit ? "unit" : !s->doc ? "doc" : NULL;
        if (*what) return (long)i;
    }
    return -1;
}

static long hole_in_params(const param_table *t, const char **what)
{
    for (size_t i = 0; i < t->n_specs; i++) {
        const param_spec *s = &t->specs[i];
        *what = !s->path     ? "path"
                : !s->unit   ? "unit"
                : !s->source ? "source"
                : !s->doc    ? "doc"
                             : NULL;
        if (*what) return (long)i;
    }
    return -1;
}

static void every_row_is_written(void **state)
{
    (void)state;
    size_t n;
    const model_def *const *models = model_registry(&n);
    for (size_t m = 0; m < n; m++) {
        const char *what = NULL;
        long row = hole_in_metrics(models[m]->metrics, &what);
        if (row >= 0) fail_msg("%s: metric row %ld has no %s", models[m]->name, row, what);
        row = hole_in_params(models[m]->params, &what);
        if (row >= 0) fail_msg("%s: parameter row %ld has no %s", models[m]->name, row, what);
    }
    const char *what = NULL;
    assert_int_equal(hole_in_params(&engine_param_table, &what), -1);
}

static void a_param_table_is_owned_by_its_model(void **state)
{
    (void)state;
    size_t n;
    const model_def *const *models = model_registry(&n);
    for (size_t m = 0; m < n; m++) {
        assert_string_equal(models[m]->params->owner, models[m]->name);
        assert_string_equal(models[m]->params->specs[0].path, models[m]->name);
    }
}

/* The check itself finds a hole (a row left out in the middle). */
static void a_missing_row_is_found(void **state)
{
    (void)state;
    const metric_spec rows[3] = {
        [0] = METRIC_ROW("a", METRIC_COUNT, "events", "first"),
        [2] = METRIC_ROW("c", METRIC_COUNT, "events", "third"),
    };
    const metric_table t = METRIC_TABLE(rows);
    const char *what = NULL;
    assert_int_equal(hole_in_metrics(&t, &what), 1);
    assert_string_equal(what, "name");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_is_written),
        cmocka_unit_test(a_param_table_is_owned_by_its_model),
        cmocka_unit_test(a_missing_row_is_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
