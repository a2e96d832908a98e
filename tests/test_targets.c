/* test_targets.c — the calibration distance, the target line and the
 * manifest's target object, for two-sided and one-sided targets, on
 * hand-made results (no simulation: the values are exact). Whether a target
 * read from a scenario is met is checked end to end in test_cli.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"
#include "test_assert.h"

/* x within eps of v (eps 0: exactly v). */
#define assert_close(x, v, eps) assert_in_range_double(x, (v) - (eps), (v) + (eps))

static target_result result(target_bound bound, double target, double tolerance, double achieved)
{
    target_result t = { .name = "t",
                        .metric = "m",
                        .source = "s",
                        .target = target,
                        .tolerance = tolerance,
                        .bound = bound,
                        .achieved = achieved,
                        .se = 0.01,
                        .replications = 20 };
    return t;
}

static void two_sided_target_counts_both_sides(void **state)
{
    (void)state;
    target_result below = result(TARGET_TWO_SIDED, 29, 3, 23);
    target_result above = result(TARGET_TWO_SIDED, 29, 3, 35);
    assert_close(targets_distance(&below, 1), 4.0, 1e-12);
    assert_close(targets_distance(&above, 1), 4.0, 1e-12);
}

static void at_least_counts_only_a_shortfall(void **state)
{
    (void)state;
    /* (2.9 - 2.7) / 0.1 = 2, squared 4; above the value: nothing. */
    target_result short_of = result(TARGET_AT_LEAST, 2.9, 0.1, 2.7);
    target_result beyond = result(TARGET_AT_LEAST, 2.9, 0.1, 3.5);
    target_result on = result(TARGET_AT_LEAST, 2.9, 0.1, 2.9);
    assert_close(targets_distance(&short_of, 1), 4.0, 1e-9);
    assert_close(targets_distance(&beyond, 1), 0.0, 0.0);
    assert_close(targets_distance(&on, 1), 0.0, 0.0);
}

static void at_most_counts_only_an_excess(void **state)
{
    (void)state;
    target_result over = result(TARGET_AT_MOST, 10, 2, 16);
    target_result under = result(TARGET_AT_MOST, 10, 2, 1);
    assert_close(targets_distance(&over, 1), 9.0, 1e-12);
    assert_close(targets_distance(&under, 1), 0.0, 0.0);
    /* Terms add, and an undefined value is infinitely far whatever its side. */
    target_result both[2] = { over, result(TARGET_TWO_SIDED, 29, 3, 23) };
    assert_close(targets_distance(both, 2), 13.0, 1e-12);
    both[1] = result(TARGET_AT_MOST, 10, 2, NAN);
    assert_true(isinf(targets_distance(both, 2)));
}

/* The targets' lines (json: the manifest's object) as a string; caller frees. */
static char *written(const target_result *t, size_t n, int json)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    if (json)
        targets_write_json(out, t, n, 2);
    else
        targets_print(out, t, n);
    fclose(out);
    return text;
}

static void line_and_manifest_name_the_bound(void **state)
{
    (void)state;
    target_result t[3] = { result(TARGET_TWO_SIDED, 29, 3, 29.1),
                           result(TARGET_AT_LEAST, 2.9, 0.1, 3.1),
                           result(TARGET_AT_MOST, 10, 2, 11) };
    t[0].met = 1;
    t[1].met = 1;
    char *line = written(t, 3, 0);
    assert_string_equal(line,
                        "target t (m): 29 +/- 3, achieved 29.1 (se 0.01, 20 replications): met\n"
                        "target t (m): at least 2.9 (tolerance 0.1), achieved 3.1 (se 0.01, 20 "
                        "replications): met\n"
                        "target t (m): at most 10 (tolerance 2), achieved 11 (se 0.01, 20 "
                        "replications): NOT met\n");
    free(line);
    char *json = written(t, 3, 1);
    /* A two-sided target's object is as before the bound existed. */
    assert_non_null(strstr(json, "\"t\": {\"metric\": \"m\", \"target\": 29, \"achieved\": 29.1, "
                                 "\"tolerance\": 3, \"se\": 0.01, \"met\": true"));
    assert_non_null(strstr(json, "\"tolerance\": 0.1, \"bound\": \"at_least\", \"se\""));
    assert_non_null(strstr(json, "\"tolerance\": 2, \"bound\": \"at_most\", \"se\""));
    assert_null(strstr(json, "two_sided"));
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_sided_target_counts_both_sides),
        cmocka_unit_test(at_least_counts_only_a_shortfall),
        cmocka_unit_test(at_most_counts_only_an_excess),
        cmocka_unit_test(line_and_manifest_name_the_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
