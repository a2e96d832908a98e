/* test_experiment.c — `placesim run BASE ARM...` through the binary: one
 * run directory per arm with common seeds, experiment.json, the default
 * directory, --set on every arm, refusals, and --force over an experiment. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "test_files.h"

static char work_dir[64];
static char arm_path[128];

/* Runs `placesim ARGS` from directory `cwd` with stdout and stderr captured
 * to files in work_dir; returns the exit status. */
static int placesim_in(const char *cwd, const char *args)
{
    char command[4096];
    snprintf(command, sizeof command, "cd %s && %s %s >%s/stdout 2>%s/stderr", cwd, PLACESIM_BINARY,
             args, work_dir, work_dir);
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int placesim(const char *args) { return placesim_in(PLACESIM_SOURCE_DIR, args); }

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return test_read_file(path);
}

static int exists(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(work_dir, sizeof work_dir, "/tmp/placesim_experiment_XXXXXX");
    if (!mkdtemp(work_dir)) return -1;
    /* An arm: the small place with more repair teams, under its own name. */
    snprintf(arm_path, sizeof arm_path, "%s/teams.cfg", work_dir);
    write_file(arm_path, "base = \"" PLACESIM_SOURCE_DIR "/tests/data/cli/small.cfg\";\n"
                         "name = \"small_teams\";\nhousing = { repair_teams = 6; };\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(work_dir);
}

/* The scenario hash of a run directory's manifest (caller frees). */
static char *manifest_hash(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    json_error_t error;
    json_t *root = json_load_file(path, 0, &error);
    assert_non_null(root);
    const char *hash =
        json_string_value(json_object_get(json_object_get(root, "scenario"), "hash"));
    assert_non_null(hash);
    char *copy = strdup(hash);
    json_decref(root);
    return copy;
}

static void an_experiment_is_one_run_directory_per_arm(void **state)
{
    (void)state;
    char args[1024], dir[256], base[300], arm[300], alone[256];
    snprintf(dir, sizeof dir, "%s/exp", work_dir);
    snprintf(args, sizeof args,
             "run tests/data/cli/small.cfg %s --reps 2 --seed 7 -j 2 "
             "--set years=1 -o %s",
             arm_path, dir);
    assert_int_equal(placesim(args), 0);
    char *out = slurp(work_dir, "stdout");
    assert_non_null(strstr(out, "small: 2 replications x 1 years"));
    assert_non_null(strstr(out, "small_teams: 2 replications x 1 years"));
    char wrote[400];
    snprintf(wrote, sizeof wrote, "wrote %s\n", dir);
    assert_non_null(strstr(out, wrote));
    free(out);

    /* experiment.json: the contract's keys, base first. */
    char path[512];
    snprintf(path, sizeof path, "%s/experiment.json", dir);
    json_error_t error;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
    if (!root) fail_msg("experiment.json line %d: %s", error.line, error.text);
    assert_string_equal(json_string_value(json_object_get(root, "program")), "placesim");
    assert_non_null(json_string_value(json_object_get(root, "version")));
    assert_string_equal(json_string_value(json_object_get(root, "master_seed")), "7");
    assert_int_equal(json_integer_value(json_object_get(root, "replications")), 2);
    assert_string_equal(json_string_value(json_object_get(root, "period")), "month");
    json_t *arms = json_object_get(root, "arms");
    assert_int_equal(json_array_size(arms), 2);
    static const char *const names[] = { "small", "small_teams" };
    for (size_t i = 0; i < 2; i++) {
        json_t *a = json_array_get(arms, i);
        assert_string_equal(json_string_value(json_object_get(a, "name")), names[i]);
        assert_string_equal(json_string_value(json_object_get(a, "dir")), names[i]);
        snprintf(arm, sizeof arm, "%s/%s", dir, names[i]);
        char *hash = manifest_hash(arm);
        assert_string_equal(json_string_value(json_object_get(a, "scenario_sha256")), hash);
        free(hash);
        static const char *const files[] = { "manifest.json", "series.csv", "years.csv",
                                             "ledger.csv" };
        for (size_t k = 0; k < 4; k++) assert_true(exists(arm, files[k]));
    }
    assert_string_equal(json_string_value(json_object_get(json_array_get(arms, 0), "scenario")),
                        "tests/data/cli/small.cfg");
    assert_string_equal(json_string_value(json_object_get(json_array_get(arms, 1), "scenario")),
                        arm_path);
    json_decref(root);

    /* --set applied to every arm: one financial year each. */
    snprintf(base, sizeof base, "%s/small", dir);
    snprintf(arm, sizeof arm, "%s/small_teams", dir);
    char *years = slurp(arm, "years.csv");
    assert_non_null(strstr(years, ",2025/26,"));
    assert_null(strstr(years, ",2026/27,"));
    free(years);

    /* The base arm is an ordinary run: the same bytes as a run on its own. */
    snprintf(alone, sizeof alone, "%s/alone", work_dir);
    snprintf(args, sizeof args,
             "run tests/data/cli/small.cfg --reps 2 --seed 7 -j 1 "
             "--set years=1 -o %s",
             alone);
    assert_int_equal(placesim(args), 0);
    static const char *const same[] = { "series.csv", "years.csv", "ledger.csv" };
    for (size_t k = 0; k < 3; k++) {
        char *a = slurp(base, same[k]), *b = slurp(alone, same[k]), *c = slurp(arm, same[k]);
        assert_non_null(a);
        assert_string_equal(a, b);
        assert_true(strcmp(a, c) != 0); /* the arm differs */
        free(a);
        free(b);
        free(c);
    }
}

static void the_default_directory_is_named_after_the_base(void **state)
{
    (void)state;
    char args[1024], dir[256];
    snprintf(args, sizeof args, "run %s/tests/data/cli/small.cfg %s --reps 1 --set years=1",
             PLACESIM_SOURCE_DIR, arm_path);
    assert_int_equal(placesim_in(work_dir, args), 0);
    snprintf(dir, sizeof dir, "%s/runs/small-experiment", work_dir);
    assert_true(exists(dir, "experiment.json"));
    assert_true(exists(dir, "small/series.csv"));
    assert_true(exists(dir, "small_teams/years.csv"));
}

static void two_arms_of_one_name_are_refused(void **state)
{
    (void)state;
    char args[1024], dir[256], other[256];
    snprintf(dir, sizeof dir, "%s/twins", work_dir);
    snprintf(other, sizeof other, "%s/other.cfg", work_dir);
    write_file(other, "base = \"" PLACESIM_SOURCE_DIR "/tests/data/cli/small.cfg\";\n"
                      "name = \"small\";\n");
    snprintf(args, sizeof args, "run tests/data/cli/small.cfg %s -o %s", other, dir);
    assert_int_equal(placesim(args), 2);
    char *err = slurp(work_dir, "stderr");
    char expected[1024];
    snprintf(expected, sizeof expected,
             "placesim run: tests/data/cli/small.cfg and %s are both "
             "named 'small'; the arms of an experiment need different names (try placesim run "
             "--help)\n",
             other);
    assert_string_equal(err, expected);
    free(err);
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
}

/* --force replaces an experiment directory, and refuses one with a file
 * placesim did not write (in an arm or beside them), deleting nothing. */
static void force_replaces_only_a_placesim_experiment(void **state)
{
    (void)state;
    char args[1024], dir[256], path[400];
    snprintf(dir, sizeof dir, "%s/forced", work_dir);
    snprintf(args, sizeof args, "run tests/data/cli/small.cfg %s --reps 1 --set years=1 -o %s",
             arm_path, dir);
    assert_int_equal(placesim(args), 0);
    assert_int_equal(placesim(args), 1); /* exists, not forced */
    snprintf(args, sizeof args,
             "run tests/data/cli/small.cfg %s --reps 1 --seed 3 "
             "--set years=1 --force -o %s",
             arm_path, dir);
    assert_int_equal(placesim(args), 0);
    char *json = slurp(dir, "experiment.json");
    assert_non_null(strstr(json, "\"master_seed\": \"3\""));
    free(json);

    static const char *const planted[] = { "small_teams/notes.txt", "notes.txt" };
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, planted[i]);
        write_file(path, "mine\n");
        assert_int_equal(placesim(args), 1);
        char *err = slurp(work_dir, "stderr");
        char expected[1024];
        snprintf(expected, sizeof expected,
                 "placesim run: %s%s holds notes.txt, which placesim "
                 "did not write; --force replaces only an empty directory or a placesim run "
                 "or experiment directory, so %s is left as it is\n",
                 dir, i == 0 ? "/small_teams" : "", dir);
        assert_string_equal(err, expected);
        free(err);
        char *notes = test_read_file(path);
        assert_string_equal(notes, "mine\n");
        free(notes);
        assert_true(exists(dir, "experiment.json"));
        assert_true(exists(dir, "small/series.csv"));
        assert_true(exists(dir, "small_teams/manifest.json"));
        unlink(path);
    }
    /* A directory without experiment.json is judged as a run directory. */
    snprintf(path, sizeof path, "%s/experiment.json", dir);
    char *saved = test_read_file(path);
    unlink(path);
    assert_int_equal(placesim(args), 1);
    write_file(path, saved);
    free(saved);
    assert_int_equal(placesim(args), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_experiment_is_one_run_directory_per_arm),
        cmocka_unit_test(the_default_directory_is_named_after_the_base),
        cmocka_unit_test(two_arms_of_one_name_are_refused),
        cmocka_unit_test(force_replaces_only_a_placesim_experiment),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
