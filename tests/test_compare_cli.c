/* test_compare_cli.c — `placesim compare` through the binary: the table,
 * --csv and --json agree; every refusal is one line with exit status 1
 * (bad data) or 2 (usage); and, on real runs, the paired interval of a
 * small intervention is narrower than the unpaired one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "compare.h"
#include "test_files.h"

#define EXP PLACESIM_SOURCE_DIR "/tests/data/compare/exp"

static char work[64];

/* Runs `placesim ARGS` from the source directory, output in work/stdout
 * and work/stderr; the exit status. */
static int placesim(const char *args) { return test_placesim(work, args); }

static char *work_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", work, name);
    return test_read_file(path);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A run directory work/name: the arm's files, with manifest.json and
 * years.csv edited by the shell command `edit` (run inside it). */
static void make_run(const char *name, const char *edit)
{
    char command[2048];
    snprintf(command, sizeof command,
             "mkdir -p %s/%s && cp %s/arm/manifest.json %s/arm/years.csv "
             "%s/%s/ && cd %s/%s && %s",
             work, name, EXP, EXP, work, name, work, name, edit);
    assert_int_equal(system(command), 0);
}

/* The refusal: exit status `status`, exactly one line on stderr holding
 * `want`, nothing on stdout. */
static void refused(const char *args, int status, const char *want)
{
    int got = placesim(args);
    char *err = work_file("stderr"), *out = work_file("stdout");
    assert_non_null(err);
    if (got != status || !strstr(err, want)) fail_msg("placesim %s: %d %s", args, got, err);
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n'), "\n"); /* one line */
    assert_int_equal(strncmp(err, "placesim compare: ", 18), 0);
    assert_string_equal(out, "");
    free(err);
    free(out);
}

static int setup(void **state)
{
    (void)state;
    snprintf(work, sizeof work, "/tmp/placesim_compare_XXXXXX");
    return mkdtemp(work) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(work);
}

/* The CSV row of a section and name (and measure): its fields, split in
 * place (no field here is quoted). */
static int csv_row(char *csv, const char *section, const char *name, const char *measure,
                   char *fields[19])
{
    for (char *line = strtok(csv, "\n"); line; line = strtok(NULL, "\n")) {
        size_t n = 0;
        for (char *p = line; n < 19; n++) {
            fields[n] = p;
            p += strcspn(p, ",");
            if (*p) *p++ = '\0';
        }
        if (strcmp(fields[4], section) == 0 && strcmp(fields[5], name) == 0 &&
            (!measure || strcmp(fields[6], measure) == 0))
            return 0;
    }
    return -1;
}

static void table_csv_and_json_agree(void **state)
{
    (void)state;
    char args[1024];
    snprintf(args, sizeof args, "compare %s --discount 0.25 --csv %s/c.csv --json %s/c.json", EXP,
             work, work);
    assert_int_equal(placesim(args), 0);
    char *table = work_file("stdout"), *csv = work_file("c.csv");
    char path[256];
    snprintf(path, sizeof path, "%s/c.json", work);
    json_error_t jerr;
    json_t *file = json_load_file(path, 0, &jerr);
    assert_non_null(file);

    /* The file is the library's document. */
    const char *dirs[] = { EXP };
    compare_options opt = { .discount_rate = 0.25 };
    json_t *doc = NULL;
    char err[512];
    assert_int_equal(compare_json(dirs, 1, &opt, &doc, err, sizeof err), 0);
    assert_true(json_equal(file, doc));

    /* void_days: −6 [−6 ∓ 4.968] (test_compare.c), as the table rounds it;
     * the CSV carries the JSON's numbers exactly (%.17g). */
    const json_t *m = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "arms"), 0), "metrics"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "metric")), "void_days");
    const char *line = strstr(table, "\nvoid_days ");
    assert_non_null(line);
    assert_non_null(strstr(line, "-6.00  [-10.97, -1.03]"));
    assert_non_null(strstr(line, "-11.1%"));
    char *f[19];
    char *copy = strdup(csv);
    assert_int_equal(csv_row(copy, "metric", "void_days", NULL, f), 0);
    assert_true(strtod(f[10], NULL) == json_number_value(json_object_get(m, "difference")));
    assert_true(strtod(f[11], NULL) == json_number_value(json_object_get(m, "lower")));
    assert_true(strtod(f[16], NULL) == json_number_value(json_object_get(m, "width_ratio")));
    free(copy);
    /* Cost-benefit: PV of costs 1800, BCR fiscal 4700/5400 = 0.87, payback
     * 2027/28 in 2 of 3 replications, cost per void-day 300. */
    assert_non_null(strstr(table, "costs                      1,800 [1,800, 1,800]"));
    assert_non_null(strstr(table, "BCR fiscal                 0.87"));
    assert_non_null(strstr(table, "median 2027/28; 67% of replications"));
    assert_non_null(strstr(table, "GBP 300.0 per one avoided"));
    copy = strdup(csv);
    assert_int_equal(csv_row(copy, "cost_benefit", "bcr_fiscal", NULL, f), 0);
    const json_t *cb =
        json_object_get(json_array_get(json_object_get(doc, "arms"), 0), "cost_benefit");
    assert_true(strtod(f[10], NULL) ==
                json_number_value(json_object_get(json_object_get(cb, "bcr_fiscal"), "mean")));
    free(copy);
    copy = strdup(csv);
    assert_int_equal(csv_row(copy, "bearer", "housing", "spend_with_pool_share", f), 0);
    assert_true(strtod(f[10], NULL) == 1700);
    free(copy);
    copy = strdup(csv);
    assert_int_equal(csv_row(copy, "cost_benefit", "payback_year_median", NULL, f), 0);
    assert_string_equal(f[18], "2027/28");
    free(copy);
    assert_non_null(strstr(table, "randomness only"));
    json_decref(file);
    json_decref(doc);
    free(table);
    free(csv);
}

static void help_and_area_scope(void **state)
{
    (void)state;
    assert_int_equal(placesim("compare --help"), 0);
    char *out = work_file("stdout");
    assert_non_null(strstr(out, "--unpaired"));
    free(out);
    assert_int_equal(placesim("compare " EXP " --area North"), 0);
    out = work_file("stdout");
    assert_non_null(strstr(out, "areas: North"));
    assert_non_null(strstr(out, "money by bearer exists only for ALL"));
    free(out);
}

static void usage_errors_exit_2(void **state)
{
    (void)state;
    refused("compare", 2, "give a base");
    refused("compare " EXP "/base", 2, "one run directory");
    refused("compare " EXP " --bogus", 2, "unknown option '--bogus'");
    refused("compare " EXP " --from 2026-27", 2, "not a financial year such as 2026/27");
    refused("compare " EXP " --from 2030/31 --to 2031/32", 2,
            "outside the run: " EXP "/base has no 2030/31 (it writes 2025/26 to 2027/28)");
    refused("compare " EXP " --from 2025/26", 2,
            "2025/26 is only partly written in " EXP "/base (2025-10-01 to 2026-03-31");
    refused("compare " EXP " --from 2027/28 --to 2026/27", 2, "after its last");
    refused("compare " EXP " --area Nrth", 2, "unknown area 'Nrth' (did you mean North?)");
    refused("compare " EXP " --metric void_dayz", 2,
            "unknown metric 'void_dayz' (did you mean void_days?)");
    refused("compare " EXP " --discount x", 2, "--discount 'x' is not a number");
    refused("compare " EXP " " EXP "/arm", 2, "is an experiment directory: give it alone");
}

static void data_errors_exit_1(void **state)
{
    (void)state;
    char args[1024];
    /* Seeds, replications. */
    make_run("seed8", "sed -i 's/\"master_seed\": \"7\"/\"master_seed\": \"8\"/' manifest.json");
    snprintf(args, sizeof args, "compare %s/base %s/seed8", EXP, work);
    refused(args, 1, "master seeds differ");
    refused(args, 1, "--unpaired");
    snprintf(args, sizeof args, "compare %s/base %s/seed8 --unpaired", EXP, work);
    assert_int_equal(placesim(args), 0); /* Welch instead */
    make_run("two_reps", "true");
    char path[256];
    snprintf(path, sizeof path, "%s/two_reps/manifest.json", work);
    write_file(
        path, "{\"program\": \"placesim\", \"scenario\": {\"name\": \"arm\", \"hash\": \"b\"},\n"
              "\"master_seed\": \"7\", \"replications\": [{\"replication\": 1, \"seed\": \"11\"},\n"
              "{\"replication\": 2, \"seed\": \"22\"}]}\n");
    snprintf(args, sizeof args, "compare %s/base %s/two_reps", EXP, work);
    refused(args, 1, "replication counts differ");
    make_run("other_place", "sed -i 's/,North,/,Nord,/' years.csv");
    snprintf(args, sizeof args, "compare %s/base %s/other_place --area North", EXP, work);
    refused(args, 1, "other_place/years.csv (the runs have different places)");
    /* manifest.json missing, corrupt; years.csv missing, corrupt, cut short. */
    make_run("no_manifest", "rm manifest.json");
    snprintf(args, sizeof args, "compare %s/base %s/no_manifest", EXP, work);
    refused(args, 1, "no_manifest/manifest.json: cannot open");
    make_run("bad_manifest", "head -c 60 manifest.json > m && mv m manifest.json");
    snprintf(args, sizeof args, "compare %s/base %s/bad_manifest", EXP, work);
    refused(args, 1, "bad_manifest/manifest.json:");
    refused(args, 1, "not valid JSON");
    make_run("no_years", "rm years.csv");
    snprintf(args, sizeof args, "compare %s/base %s/no_years", EXP, work);
    refused(args, 1, "no_years/years.csv: cannot open");
    make_run("bad_value", "sed -i '5s/,0,1$/,abc,1/' years.csv");
    snprintf(args, sizeof args, "compare %s/base %s/bad_value", EXP, work);
    refused(args, 1, "bad_value/years.csv:5: value 'abc' is neither a number nor NA");
    make_run("bad_header", "sed -i '1s/weight/weights/' years.csv");
    snprintf(args, sizeof args, "compare %s/base %s/bad_header", EXP, work);
    refused(args, 1, "bad_header/years.csv:1: the header is not");
    make_run("short", "head -n 200 years.csv > y && mv y years.csv");
    snprintf(args, sizeof args, "compare %s/base %s/short", EXP, work);
    refused(args, 1, "short/years.csv: no row for replication 3");
    /* An experiment.json that points outside the experiment. */
    snprintf(path, sizeof path, "%s/experiment.json", work);
    write_file(path, "{\"program\": \"placesim\", \"arms\": [{\"name\": \"a\", \"dir\": \"/etc\"}, "
                     "{\"name\": \"b\", \"dir\": \"b\"}]}");
    snprintf(args, sizeof args, "compare %s", work);
    refused(args, 1, "arms[0].dir must be a directory inside the experiment");
}

/* NEEDS years.csv FROM `placesim run` (branch issue8-a): skipped, with a
 * message, while run does not write it. Two real runs with common seeds
 * (the borough and its estate voids programme, 6 replications, 3 years):
 * for void_days on the estates, the paired interval must be narrower than
 * the Welch interval the same replications would give unpaired. */
static void paired_interval_narrower_than_unpaired_on_real_runs(void **state)
{
    (void)state;
    char args[1024];
    snprintf(args, sizeof args,
             "run scenarios/borough.cfg -o %s/real_base --reps 6 -j 2 "
             "--set years=3",
             work);
    assert_int_equal(placesim(args), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/real_base/years.csv", work);
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr,
                "SKIPPED paired_interval_narrower_than_unpaired_on_real_runs: "
                "placesim run writes no years.csv yet (CONTRACTS.md § 1, branch issue8-a)\n");
        skip();
    }
    snprintf(args, sizeof args,
             "run scenarios/interventions/estate_voids.cfg -o %s/real_arm "
             "--reps 6 -j 2 --set years=3",
             work);
    assert_int_equal(placesim(args), 0);
    snprintf(args, sizeof args,
             "compare %s/real_base %s/real_arm --from 2026/27 --to 2027/28 "
             "--area Northgate --area Riverside --area Southmoor --json %s/real.json",
             work, work, work);
    assert_int_equal(placesim(args), 0);
    snprintf(path, sizeof path, "%s/real.json", work);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    assert_non_null(doc);
    size_t i;
    json_t *m, *void_days = NULL;
    json_array_foreach(json_object_get(json_array_get(json_object_get(doc, "arms"), 0), "metrics"),
                       i, m)
    {
        json_t *ratio = json_object_get(m, "width_ratio");
        if (json_is_number(ratio))
            fprintf(stderr, "paired/unpaired width, %s: %.3g\n",
                    json_string_value(json_object_get(m, "metric")), json_number_value(ratio));
        else
            fprintf(stderr, "paired/unpaired width, %s: n/a\n",
                    json_string_value(json_object_get(m, "metric")));
        if (strcmp(json_string_value(json_object_get(m, "metric")), "void_days") == 0)
            void_days = m;
    }
    assert_non_null(void_days);
    assert_true(json_is_number(json_object_get(void_days, "width_ratio")));
    assert_true(json_number_value(json_object_get(void_days, "width_ratio")) < 1);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_csv_and_json_agree),
        cmocka_unit_test(help_and_area_scope),
        cmocka_unit_test(usage_errors_exit_2),
        cmocka_unit_test(data_errors_exit_1),
        cmocka_unit_test(paired_interval_narrower_than_unpaired_on_real_runs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
