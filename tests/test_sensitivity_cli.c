/* test_sensitivity_cli.c — `placesim sensitivity` on results databases
 * written by the store (sweep_store_open / sweep_store_record) for a
 * Saltelli design built by the sweep's own design code
 * (sweep_design_build), the model being the Ishigami function instead of
 * the simulator: the table, --csv and --json agree with sobol_estimate on
 * the same outputs and with the analytic indices; --arm, --difference,
 * failed runs and NA summaries are handled as README.md says; and every
 * refusal is one line on stderr, nothing on stdout, no file written, exit
 * status 1 (bad data) or 2 (usage).
 *
 * cli_sensitivity runs in a forked child with stdout and stderr redirected
 * to files, so the test does not depend on the binary's dispatch table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "sobol.h"
#include "sweep.h"
#include "sweep_store.h"
#include "test_files.h"

/* Declared in cli.h once the lead adds the subcommand; repeated here so
 * that this test builds before. */
int cli_sensitivity(int argc, char **argv);

enum { N_BASE = 256, K = 3, REPS = 2, N_OUT = 3 };
/* The point and replication of the one failed run (base arm), and the point
 * whose z summary is NA in every replication (its base sample is dropped
 * for z). */
enum { FAILED_POINT = 3, NA_POINT = 7 };

static char work[64];

static double ishigami(const double *x)
{
    return sin(x[0]) + 7.0 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

/* Replication r's value of output o for arm a at x (NaN = NA). The two
 * replications straddle the model by +-0.25, so their mean is the model;
 * arm 1 adds 2 x3, so the paired difference is 2 x3 alone. */
static double value(size_t o, size_t a, unsigned r, const double *x, size_t point)
{
    double noise = r == 0 ? 0.25 : -0.25;
    if (o == 0) return ishigami(x) + (a == 1 ? 2.0 * x[2] : 0.0) + noise;
    if (o == 1) return x[0] + noise;                      /* only x1 matters */
    return point == NA_POINT ? NAN : x[1] * x[1] + noise; /* z: only x2 */
}

static sweep_parameter test_params[K] = {
    { "ishigami.x1", "ishigami_x1", 0, SWEEP_UNIFORM, -3.14159265358979323846,
      3.14159265358979323846, NAN, NAN, NULL, 0 },
    { "ishigami.x2", "ishigami_x2", 0, SWEEP_UNIFORM, -3.14159265358979323846,
      3.14159265358979323846, NAN, NAN, NULL, 0 },
    { "ishigami.x3", "ishigami_x3", 0, SWEEP_UNIFORM, -3.14159265358979323846,
      3.14159265358979323846, NAN, NAN, NULL, 0 },
};
static sweep_output test_outputs[N_OUT] = {
    { "y_total", "y", "ALL", SWEEP_TOTAL, "", "", 0 },
    { "y_median", "y", "ALL", SWEEP_MEDIAN, "", "", 0 },
    { "z_mean_per_year", "z", "ALL", SWEEP_MEAN_PER_YEAR, "", "", 0 },
};
static sweep_arm test_arms[2] = { { "base", "base.cfg" }, { "alt", "alt.cfg" } };
static double grid_values[2] = { -1.0, 1.0 };

/* The sweep of the tests: a Saltelli design of N_BASE samples, or a grid. */
static sweep make_sweep(sweep_design_kind design)
{
    sweep s = { 0 };
    s.path = "ishigami.cfg";
    s.name = "ishigami";
    s.text = design == SWEEP_SALTELLI ? "ishigami saltelli" : "ishigami grid";
    memset(s.sha256, 'a', 64);
    s.arms = test_arms;
    s.n_arms = 2;
    s.params = test_params;
    s.n_params = K;
    for (size_t j = 0; j < K; j++) {
        test_params[j].values = design == SWEEP_GRID ? grid_values : NULL;
        test_params[j].n_values = design == SWEEP_GRID ? 2 : 0;
    }
    s.design = design;
    s.samples = design == SWEEP_SALTELLI ? N_BASE : 0;
    s.replications = REPS;
    s.master_seed = 1;
    s.outputs = test_outputs;
    s.n_outputs = N_OUT;
    char err[512] = "";
    if (sweep_design_build(&s, err, sizeof err) != 0) fail_msg("sweep_design_build: %s", err);
    return s;
}

static void free_sweep(sweep *s)
{
    free(s->points);
    free(s->saltelli_sample);
    free(s->saltelli_matrix);
    free(s->saltelli_column);
}

/* Writes work/name for s, every run recorded but those of the first
 * `skip_points` points. */
static void write_db(const char *name, const sweep *s, size_t skip_points)
{
    char path[256], err[1024] = "";
    snprintf(path, sizeof path, "%s/%s", work, name);
    sweep_store *st = NULL;
    if (sweep_store_open(path, s, NULL, 0, &st, err, sizeof err) != 0)
        fail_msg("sweep_store_open: %s", err);
    for (size_t p = skip_points; p < s->n_points; p++) {
        const double *x = s->points + p * s->n_params;
        for (unsigned r = 0; r < REPS; r++) {
            double values[2][N_OUT], diff[N_OUT];
            for (size_t a = 0; a < 2; a++)
                for (size_t o = 0; o < N_OUT; o++) values[a][o] = value(o, a, r, x, p);
            for (size_t o = 0; o < N_OUT; o++) diff[o] = values[1][o] - values[0][o];
            for (size_t a = 0; a < 2; a++) {
                int failed = a == 0 && p == FAILED_POINT && r == 1;
                sweep_run_record rec = { .point = p,
                                         .arm = a,
                                         .replication = r,
                                         .seed = 1000 + p,
                                         .ok = !failed,
                                         .error = failed ? "scenario failed" : NULL,
                                         .wall_seconds = 0.01,
                                         .events = 100,
                                         .values = failed ? NULL : values[a],
                                         .differences = a == 1 ? diff : NULL };
                if (sweep_store_record(st, &rec, err, sizeof err) != 0)
                    fail_msg("sweep_store_record: %s", err);
            }
        }
    }
    assert_int_equal(sweep_store_close(st, NULL, err, sizeof err), 0);
}

static const sweep *saltelli_sweep;

static int setup(void **state)
{
    (void)state;
    snprintf(work, sizeof work, "/tmp/placesim_sensitivity_XXXXXX");
    if (!mkdtemp(work)) return -1;
    static sweep salt, grid;
    salt = make_sweep(SWEEP_SALTELLI);
    grid = make_sweep(SWEEP_GRID);
    saltelli_sweep = &salt;
    write_db("results.db", &salt, 0);
    write_db("grid.db", &grid, 0);
    salt.text = "ishigami unfinished";
    write_db("unfinished.db", &salt, 7);
    char path[128];
    snprintf(path, sizeof path, "%s/not.db", work);
    FILE *f = fopen(path, "w");
    if (!f || fputs("rank,parameter\n", f) == EOF || fclose(f) != 0) return -1;
    free_sweep(&grid);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free_sweep((sweep *)saltelli_sweep);
    return test_remove_tree(work);
}

/* Runs cli_sensitivity with the space-separated args (WORK is replaced by
 * the work directory) in a child, stdout and stderr to work/stdout and
 * work/stderr; its exit status. */
static int sensitivity(const char *args)
{
    char line[2048], *argv[32];
    int argc = 0;
    snprintf(line, sizeof line, "%s", args);
    static char expanded[32][256];
    for (char *tok = strtok(line, " "); tok && argc < 32; tok = strtok(NULL, " ")) {
        char *at = strstr(tok, "WORK");
        if (at)
            snprintf(expanded[argc], sizeof expanded[argc], "%.*s%s%s", (int)(at - tok), tok, work,
                     at + 4);
        else
            snprintf(expanded[argc], sizeof expanded[argc], "%s", tok);
        argv[argc] = expanded[argc];
        argc++;
    }
    char out[128], err[128];
    snprintf(out, sizeof out, "%s/stdout", work);
    snprintf(err, sizeof err, "%s/stderr", work);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr)) _exit(99);
        int status = cli_sensitivity(argc, argv);
        fflush(NULL);
        _exit(status);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *work_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", work, name);
    return test_read_file(path);
}

/* The model outputs the store should give for output o of arm a (or the
 * difference): each point's mean over its ok replications, base samples
 * with an NA point left out; then sobol_estimate with the defaults. */
static void expected(size_t o, size_t a, int difference, sobol_index *out, size_t *used)
{
    const sweep *s = saltelli_sweep;
    double *f = malloc(s->n_points * sizeof *f);
    double *fa = malloc(N_BASE * sizeof *fa), *fb = malloc(N_BASE * sizeof *fb);
    double *fab = malloc(N_BASE * K * sizeof *fab);
    assert_true(f && fa && fb && fab);
    for (size_t p = 0; p < s->n_points; p++) {
        const double *x = s->points + p * K;
        double sum = 0.0;
        unsigned n = 0;
        for (unsigned r = 0; r < REPS; r++) {
            if (a == 0 && p == FAILED_POINT && r == 1) continue;
            double v =
                difference ? value(o, 1, r, x, p) - value(o, 0, r, x, p) : value(o, a, r, x, p);
            if (isnan(v)) continue;
            sum += v;
            n++;
        }
        f[p] = n ? sum / n : NAN;
    }
    /* points are ordered A_i, B_i, AB_i^(0..k-1) (sweep.h) */
    size_t kept = 0;
    for (size_t i = 0; i < N_BASE; i++) {
        const double *g = f + i * (K + 2);
        int ok = 1;
        for (size_t c = 0; c < K + 2; c++) ok = ok && !isnan(g[c]);
        if (!ok) continue;
        fa[kept] = g[0];
        fb[kept] = g[1];
        memcpy(fab + kept * K, g + 2, K * sizeof *fab);
        kept++;
    }
    sobol_outputs so = { fa, fb, fab, kept, K };
    char err[256];
    assert_int_equal(sobol_estimate(&so, SOBOL_BOOTSTRAP_DEFAULT, SOBOL_SEED_DEFAULT, out, NULL,
                                    err, sizeof err),
                     0);
    *used = kept;
    free(f);
    free(fa);
    free(fb);
    free(fab);
}

/* The CSV's rows against the expected indices, parameter by parameter. */
static void check_csv(const char *csv, const sobol_index *want)
{
    const char *line = strchr(csv, '\n');
    assert_non_null(line);
    assert_int_equal(strncmp(csv, "rank,parameter,S1,S1_low,S1_high,ST,ST_low,ST_high\n", 51), 0);
    double last_st = INFINITY;
    for (int r = 1; r <= K; r++) {
        int rank;
        char key[64];
        double v[6];
        assert_int_equal(sscanf(line + 1, "%d,%63[^,],%lf,%lf,%lf,%lf,%lf,%lf", &rank, key, &v[0],
                                &v[1], &v[2], &v[3], &v[4], &v[5]),
                         8);
        assert_int_equal(rank, r);
        size_t j = (size_t)(key[strlen(key) - 1] - '1');
        assert_true(j < K);
        assert_string_equal(key, test_params[j].key);
        const double w[6] = { want[j].s1, want[j].s1_low, want[j].s1_high,
                              want[j].st, want[j].st_low, want[j].st_high };
        for (int c = 0; c < 6; c++)
            if (fabs(v[c] - w[c]) > 1e-12)
                fail_msg("%s column %d: %.17g, expected %.17g", key, c, v[c], w[c]);
        assert_true(v[3] <= last_st); /* ranked by total index */
        last_st = v[3];
        line = strchr(line + 1, '\n');
        assert_non_null(line);
    }
    assert_string_equal(line, "\n");
}

static void test_table_csv_json(void **state)
{
    (void)state;
    assert_int_equal(sensitivity("WORK/results.db --metric y --summary total --csv WORK/s.csv "
                                 "--json WORK/s.json"),
                     0);
    sobol_index want[K];
    size_t used;
    expected(0, 0, 0, want, &used);
    assert_int_equal(used, N_BASE);
    char *csv = work_file("s.csv"), *out = work_file("stdout"), *err = work_file("stderr");
    assert_non_null(csv);
    check_csv(csv, want);
    assert_string_equal(err, "");
    printf("%s", out);

    /* The table: the ranked rows, rounded, in the order x1, x2, x3 (ST
     * 0.558, 0.442, 0.244), each within 4 bootstrap standard errors of the
     * analytic index (se = interval width / 3.92, as in test_sobol.c). */
    assert_non_null(strstr(out, "Sobol indices of y_total (y, total, area ALL) in arm base\n"));
    assert_non_null(strstr(out, "N = 256 base samples, 3 parameters, 1280 points (N(k+2)), "
                                "2 replications each"));
    assert_non_null(strstr(out, "failed runs (left out of the means): 1"));
    assert_non_null(strstr(out, "1000 resamples of the base samples (gsl_rng_mt19937, seed 1)"));
    const double s1_true[K] = { 0.3139, 0.4424, 0.0 }, st_true[K] = { 0.5576, 0.4424, 0.2437 };
    const char *row = strstr(out, "rank  parameter");
    assert_non_null(row);
    for (int r = 0; r < K; r++) {
        row = strchr(row, '\n') + 1;
        int rank;
        char key[64];
        double s1, s1_lo, s1_hi, st, st_lo, st_hi;
        assert_int_equal(sscanf(row, "%d %63s %lf [%lf, %lf] %lf [%lf, %lf]", &rank, key, &s1,
                                &s1_lo, &s1_hi, &st, &st_lo, &st_hi),
                         8);
        assert_int_equal(rank, r + 1);
        assert_string_equal(key, test_params[r].key);
        assert_true(fabs(s1 - want[r].s1) <= 0.0005 && fabs(st_hi - want[r].st_high) <= 0.0005);
        double se1 = (want[r].s1_high - want[r].s1_low) / 3.92;
        double set = (want[r].st_high - want[r].st_low) / 3.92;
        printf("  x%d: S1 %.4f (analytic %.4f, %.2f se)  ST %.4f (analytic %.4f, %.2f se)\n", r + 1,
               want[r].s1, s1_true[r], fabs(want[r].s1 - s1_true[r]) / se1, want[r].st, st_true[r],
               fabs(want[r].st - st_true[r]) / set);
        assert_true(fabs(want[r].s1 - s1_true[r]) < 4 * se1);
        assert_true(fabs(want[r].st - st_true[r]) < 4 * set);
    }
    double sum = want[0].s1 + want[1].s1 + want[2].s1;
    char sum_line[64];
    snprintf(sum_line, sizeof sum_line, "sum of S1: %.3f", sum);
    assert_non_null(strstr(out, sum_line));

    /* JSON: the same numbers as the CSV, and the run's description. */
    json_error_t jerr;
    char json_path[128];
    snprintf(json_path, sizeof json_path, "%s/s.json", work);
    json_t *doc = json_load_file(json_path, 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "output")), "y_total");
    assert_string_equal(json_string_value(json_object_get(doc, "arm")), "base");
    assert_int_equal(json_integer_value(json_object_get(doc, "samples_used")), N_BASE);
    assert_int_equal(json_integer_value(json_object_get(doc, "failed_runs")), 1);
    json_t *iv = json_object_get(doc, "intervals");
    assert_string_equal(json_string_value(json_object_get(iv, "rng")), "gsl_rng_mt19937");
    assert_int_equal(json_integer_value(json_object_get(iv, "resamples")), 1000);
    json_t *rows = json_object_get(doc, "indices");
    assert_int_equal(json_array_size(rows), K);
    for (size_t r = 0; r < K; r++) {
        json_t *x = json_array_get(rows, r);
        assert_string_equal(json_string_value(json_object_get(x, "parameter")), test_params[r].key);
        assert_true(json_real_value(json_object_get(x, "s1")) == want[r].s1);
        assert_true(json_real_value(json_object_get(x, "st_low")) == want[r].st_low);
    }
    assert_true(fabs(json_real_value(json_object_get(doc, "sum_s1")) - sum) < 1e-12);
    json_decref(doc);
    free(csv);
    free(out);
    free(err);
}

/* An output by name; another arm; the paired difference (2 x3: x3 alone
 * matters); an output with an NA point (its base sample dropped). */
static void test_selection(void **state)
{
    (void)state;
    sobol_index want[K];
    size_t used;
    char *csv;

    assert_int_equal(sensitivity("WORK/results.db --metric y_median --csv WORK/m.csv"), 0);
    expected(1, 0, 0, want, &used);
    check_csv(csv = work_file("m.csv"), want);
    free(csv);
    assert_true(want[0].s1 > 0.99 && want[0].st > 0.99); /* f = x1 */

    assert_int_equal(sensitivity("WORK/results.db --metric y --summary total --arm alt "
                                 "--csv WORK/a.csv"),
                     0);
    expected(0, 1, 0, want, &used);
    check_csv(csv = work_file("a.csv"), want);
    free(csv);

    assert_int_equal(sensitivity("WORK/results.db --metric y_total --arm alt --difference "
                                 "--csv WORK/d.csv"),
                     0);
    expected(0, 1, 1, want, &used);
    check_csv(csv = work_file("d.csv"), want);
    free(csv);
    char *out = work_file("stdout");
    assert_non_null(strstr(out, "as the difference of arm alt"));
    free(out);
    /* x3 explains it all, within 4 bootstrap se; x1 and x2 nothing, but for
     * rounding (f(AB^(1)) - f(A) is 0 up to the rounding of the difference) */
    assert_true(fabs(want[2].s1 - 1.0) < 4 * (want[2].s1_high - want[2].s1_low) / 3.92);
    assert_true(fabs(want[2].st - 1.0) < 4 * (want[2].st_high - want[2].st_low) / 3.92);
    for (int j = 0; j < 2; j++) assert_true(fabs(want[j].s1) < 1e-9 && fabs(want[j].st) < 1e-9);

    assert_int_equal(sensitivity("WORK/results.db --metric z --json WORK/z.json --csv WORK/z.csv"),
                     0);
    expected(2, 0, 0, want, &used);
    assert_int_equal(used, N_BASE - 1);
    check_csv(csv = work_file("z.csv"), want);
    free(csv);
    out = work_file("stdout");
    assert_non_null(strstr(out, "1 of 256 base samples left out"));
    free(out);
}

/* A refusal: status, one line on stderr holding `want`, nothing on stdout,
 * no CSV written. */
static void refused(const char *args, int status, const char *want)
{
    char path[128];
    snprintf(path, sizeof path, "%s/refused.csv", work);
    unlink(path);
    char with_csv[1024];
    snprintf(with_csv, sizeof with_csv, "%s --csv WORK/refused.csv", args);
    int got = sensitivity(with_csv);
    char *err = work_file("stderr"), *out = work_file("stdout");
    assert_non_null(err);
    if (got != status || !strstr(err, want)) fail_msg("sensitivity %s: %d %s", args, got, err);
    printf("  %d: %s", got, err);
    assert_non_null(strchr(err, '\n'));
    assert_string_equal(strchr(err, '\n'), "\n");
    assert_int_equal(strncmp(err, "placesim sensitivity: ", 22), 0);
    assert_string_equal(out, "");
    assert_int_equal(access(path, F_OK), -1);
    free(err);
    free(out);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("WORK/grid.db --metric y_total", 1,
            "sweep 'ishigami' has a grid design: Sobol indices need a saltelli design");
    refused("WORK/unfinished.db --metric y_total", 1,
            "the sweep is not finished: 7 of 1280 points have fewer than 2 runs of arm 'base'");
    refused("WORK/results.db --metric nothing", 2,
            "no output 'nothing' (the sweep's outputs: y_total (y total), y_median (y median), "
            "z_mean_per_year (z mean_per_year))");
    refused("WORK/results.db --metric y", 2,
            "metric 'y' has 2 outputs (y_total, y_median): "
            "give --summary");
    refused("WORK/results.db --metric y --summary value_at", 2,
            "metric 'y' is kept with no summary 'value_at'");
    refused("WORK/results.db --metric y --summary sum", 2, "unknown summary 'sum'");
    refused("WORK/results.db --metric y_total --arm other", 2,
            "no arm 'other' (the sweep's arms: base, alt)");
    refused("WORK/results.db --metric y_total --arm base --difference", 2,
            "--difference is against the base arm 'base'");
    refused("WORK/results.db --metric y_total --difference", 2, "--difference needs --arm");
    refused("WORK/results.db --metric y_total --bootstrap 10", 2,
            "--bootstrap needs a whole "
            "number from 100 to 1000000");
    refused("WORK/results.db --metric y_total --seed 0", 2, "--seed needs a whole number");
    refused("WORK/results.db", 2, "give the output with --metric");
    refused("WORK/missing.db --metric y_total", 1, "missing.db: no such results database");
    refused("WORK/not.db --metric y_total", 1, "not a placesim results database");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_csv_json),
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
