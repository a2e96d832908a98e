/* test_compare_sweep.c — `placesim compare RESULTS.db` (README.md "Across a
 * sweep: probabilistic sensitivity analysis") through the built binary, on
 * a real sweep: the Total Place twins (siloed the base, pooled, and the
 * borough without either) at three budget levels, 3 replications each.
 *
 * - A point's figures are those of `placesim compare` on run directories
 *   that reproduce the point (`placesim run BASE ARM --set ... --seed
 *   <points.seed> --reps 3`), for the default window and another.
 * - Every point's NPV is recomputed here from the money table with SQL (an
 *   independent reading of the store), and the summary across points from
 *   the per-point values (mean, sd, type-7 percentiles, min, max, share > 0);
 *   the replication standard error from each point's 95% interval.
 * - A point with a failed or missing replication is skipped, with a reason,
 *   and the CSV still has one row per (arm, point).
 * - Refusals: one arm, no money, unknown or base --arm, another schema
 *   version, a file that is not a database, a SQLite file that is not a
 *   store, a corrupt store, --area; each one line on stderr, nothing on
 *   stdout, no output file, the database unchanged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_cdf.h>
#include <jansson.h>
#include <sqlite3.h>

#include "test_files.h"

enum { POINTS = 3, REPS = 3 };
static const double housing[POINTS] = { 225000, 450000, 675000 };
static const double police[POINTS] = { 700000, 1400000, 2100000 };

static char work[64];
static char db[128];

static const char *const cb_keys[] = { "costs_pv",   "fiscal_benefits_pv", "social_benefits_pv",
                                       "npv_fiscal", "npv_total",          "bcr_fiscal",
                                       "bcr_total" };

/* Writes a sweep file of the twins into work/NAME.cfg. */
static void write_sweep(const char *name, const char *arms, const char *extra, int points)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.cfg", work, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "name = \"%s\";\narms = (%s);\nreplications = %d;\nseed = 1;\n%s\n"
            "parameters = ( { key = \"budgets.housing\"; }, { key = \"budgets.police\"; } );\n"
            "outputs = ( { metric = \"void_days\"; summary = \"total\"; } );\ndesign = { type = "
            "\"list\"; points = (",
            name, arms, points == POINTS ? REPS : 2, extra);
    for (int p = 0; p < points; p++)
        fprintf(f, "%s[%.1f, %.1f]", p ? ", " : "", housing[p], police[p]);
    fprintf(f, "); };\n");
    fclose(f);
}

static const char *arm_text(char *buf, size_t len, const char *name, const char *scenario)
{
    snprintf(buf, len, "{ name = \"%s\"; scenario = \"%s/scenarios/%s\"; }", name,
             PLACESIM_SOURCE_DIR, scenario);
    return buf;
}

static int sweep(const char *name)
{
    char args[512];
    snprintf(args, sizeof args, "sweep %s/%s.cfg -o %s/%s.db -j 2 --quiet", work, name, work, name);
    return test_placesim(work, args);
}

static int group_setup(void **state)
{
    (void)state;
    strcpy(work, "/tmp/placesim_psa_XXXXXX");
    if (!mkdtemp(work)) return -1;
    char a[3][256], arms[800];
    arm_text(a[0], sizeof a[0], "siloed", "interventions/total_place_siloed.cfg");
    arm_text(a[1], sizeof a[1], "pooled", "interventions/total_place.cfg");
    arm_text(a[2], sizeof a[2], "borough", "borough.cfg");
    snprintf(arms, sizeof arms, "%s, %s, %s", a[0], a[1], a[2]);
    write_sweep("twins", arms, "", POINTS);
    snprintf(db, sizeof db, "%s/twins.db", work);
    if (sweep("twins") != 0) return -1;
    snprintf(arms, sizeof arms, "%s", a[1]);
    write_sweep("one_arm", arms, "cost_benefit = true;", 1);
    snprintf(arms, sizeof arms, "%s, %s", a[0], a[1]);
    write_sweep("no_money", arms, "cost_benefit = false;", 1);
    return sweep("one_arm") == 0 && sweep("no_money") == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return test_remove_tree(work);
}

static int compare(const char *args)
{
    char command[1024];
    snprintf(command, sizeof command, "compare %s", args);
    return test_placesim(work, command);
}

static json_t *load_json(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", work, name);
    json_error_t e;
    json_t *doc = json_load_file(path, 0, &e);
    if (!doc) print_error("%s: %s\n", path, e.text);
    assert_non_null(doc);
    return doc;
}

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const json_t *arm_of(const json_t *doc, const char *name)
{
    size_t i;
    json_t *arm;
    json_array_foreach(json_object_get(doc, "arms"), i,
                       arm) if (strcmp(json_string_value(json_object_get(arm, "arm")), name) ==
                                0) return arm;
    fail_msg("no arm %s in the document", name);
    return NULL;
}

/* Equal to the penny, or to 1e-9 relative (ratios and shares). */
static void assert_same(double a, double b, const char *what)
{
    if (isnan(a) && isnan(b)) return;
    double tol = fmax(1e-9 * fmax(fabs(a), fabs(b)), 1e-12);
    if (!(fabs(a - b) <= tol)) fail_msg("%s: %.17g against %.17g", what, a, b);
}

static char *query_text(const char *path, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *text = strdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(h);
    return text;
}

/* Runs sql on a copy (work/NAME) of the store (or a new database). */
static void sql_on_copy(const char *name, int copy, const char *sql)
{
    char path[256], command[512];
    snprintf(path, sizeof path, "%s/%s", work, name);
    snprintf(command, sizeof command, "cp %s %s", db, path);
    if (copy) assert_int_equal(system(command), 0);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* Point 1 reproduced as an experiment directory, compared both ways, over
 * the default window and over one year. */
static void test_point_matches_run_directories(void **state)
{
    (void)state;
    char *seed = query_text(db, "SELECT seed FROM points WHERE point_id = 1");
    char args[1024];
    snprintf(args, sizeof args,
             "run scenarios/interventions/total_place_siloed.cfg "
             "scenarios/interventions/total_place.cfg --set budgets.housing=%.1f --set "
             "budgets.police=%.1f --seed %s --reps %d -j 2 -o %s/exp1",
             housing[1], police[1], seed, REPS, work);
    free(seed);
    assert_int_equal(test_placesim(work, args), 0);
    static const char *const windows[] = { "", "--from 2027/28 --to 2027/28" };
    for (size_t w = 0; w < 2; w++) {
        snprintf(args, sizeof args, "%s/exp1 %s --json %s/dir.json", work, windows[w], work);
        assert_int_equal(compare(args), 0);
        snprintf(args, sizeof args, "%s %s --json %s/db.json", db, windows[w], work);
        assert_int_equal(compare(args), 0);
        json_t *dir = load_json("dir.json"), *sw = load_json("db.json");
        const json_t *cb =
            json_object_get(json_array_get(json_object_get(dir, "arms"), 0), "cost_benefit");
        const json_t *point = json_array_get(json_object_get(arm_of(sw, "pooled"), "points"), 1);
        assert_int_equal((int)num(point, "point_id"), 1);
        assert_true(json_equal(json_object_get(dir, "window"), json_object_get(sw, "window")));
        for (size_t k = 0; k < 7; k++)
            assert_same(num(json_object_get(cb, cb_keys[k]), "mean"), num(point, cb_keys[k]),
                        cb_keys[k]);
        assert_same(num(json_object_get(cb, "npv_total"), "lower"), num(point, "npv_total_lower"),
                    "npv_total_lower");
        assert_same(num(json_object_get(cb, "npv_total"), "upper"), num(point, "npv_total_upper"),
                    "npv_total_upper");
        assert_same(num(cb, "npv_positive_share_total"), num(point, "npv_positive_share_total"),
                    "npv_positive_share_total");
        /* Not a comparison of zeros: the pooled arm spends at this point. */
        assert_true(fabs(num(point, "costs_pv")) > 1000);
        print_message("point 1, window %s: npv_total %.2f (runs) = %.2f (store)\n",
                      w ? windows[w] : "default", num(json_object_get(cb, "npv_total"), "mean"),
                      num(point, "npv_total"));
        json_decref(dir);
        json_decref(sw);
    }
}

/* Per replication, Σ over the window's years (discounted) of Σ spend and
 * demand costs, arm − base, negated: the NPV fiscal + social, straight
 * from the money table. Returns the mean over replications. */
static double npv_total_by_sql(sqlite3 *h, int point, int arm, int from_fy, int years, double rate)
{
    static const char sql[] =
        "SELECT replication, CAST(substr(year, 1, 4) AS INTEGER) AS fy, arm_id, sum(value) "
        "FROM money WHERE point_id = ?1 AND arm_id IN (0, ?2) AND (metric LIKE 'spend\\_%' "
        "ESCAPE '\\' OR metric LIKE 'demand\\_cost\\_%' ESCAPE '\\') GROUP BY 1, 2, 3";
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_int(q, 1, point);
    sqlite3_bind_int(q, 2, arm);
    double npv[REPS] = { 0 };
    while (sqlite3_step(q) == SQLITE_ROW) {
        int r = sqlite3_column_int(q, 0), t = sqlite3_column_int(q, 1) - from_fy;
        if (t < 0 || t >= years) continue;
        double sign = sqlite3_column_int(q, 2) == 0 ? 1 : -1; /* −(arm − base) */
        npv[r - 1] += sign * sqlite3_column_double(q, 3) * pow(1 + rate, -t);
    }
    sqlite3_finalize(q);
    return (npv[0] + npv[1] + npv[2]) / REPS;
}

/* The 5th or 95th percentile, linear between order statistics (R type 7). */
static double percentile(double *sorted, size_t n, double f)
{
    double h = (double)(n - 1) * f;
    size_t lo = (size_t)floor(h);
    return lo + 1 < n ? sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void check_summary(const json_t *arm)
{
    const json_t *points = json_object_get(arm, "points");
    const json_t *summary = json_object_get(arm, "summary");
    for (size_t k = 0; k < 7; k++) {
        double x[POINTS], sum = 0, ss = 0;
        size_t n = 0, positive = 0;
        for (size_t p = 0; p < json_array_size(points); p++) {
            double v = num(json_array_get(points, p), cb_keys[k]);
            if (isnan(v)) continue;
            x[n++] = v;
            sum += v;
            positive += v > 0;
        }
        const json_t *d = json_object_get(summary, cb_keys[k]);
        assert_int_equal((size_t)num(d, "n"), n);
        if (n == 0) continue;
        qsort(x, n, sizeof *x, by_value);
        double mean = sum / (double)n;
        for (size_t i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
        assert_same(num(d, "mean"), mean, "mean");
        assert_same(num(d, "sd"), n > 1 ? sqrt(ss / (double)(n - 1)) : NAN, "sd");
        assert_same(num(d, "p05"), percentile(x, n, 0.05), "p05");
        assert_same(num(d, "p95"), percentile(x, n, 0.95), "p95");
        assert_same(num(d, "min"), x[0], "min");
        assert_same(num(d, "max"), x[n - 1], "max");
        assert_same(num(d, "share_positive"), (double)positive / (double)n, "share_positive");
    }
    /* The replication SE from each point's 95% t interval over R pairs. */
    double t = gsl_cdf_tdist_Pinv(0.975, REPS - 1), se = 0;
    for (size_t p = 0; p < json_array_size(points); p++) {
        const json_t *pt = json_array_get(points, p);
        se += (num(pt, "npv_total_upper") - num(pt, "npv_total_lower")) / (2 * t);
    }
    se /= (double)json_array_size(points);
    assert_same(num(json_object_get(arm, "replication_se_mean"), "npv_total"), se, "se");
}

static void test_points_and_summary(void **state)
{
    (void)state;
    char args[512];
    snprintf(args, sizeof args, "%s --json %s/all.json", db, work);
    assert_int_equal(compare(args), 0);
    json_t *doc = load_json("all.json");
    assert_string_equal(json_string_value(json_object_get(doc, "kind")), "sweep_cost_benefit");
    assert_string_equal(json_string_value(json_object_get(doc, "base")), "siloed");
    assert_int_equal(json_array_size(json_object_get(doc, "arms")), 2);
    const json_t *window = json_object_get(doc, "window");
    int from_fy = atoi(json_string_value(json_object_get(window, "from")));
    int years = (int)num(window, "years");
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char *const arms[] = { "pooled", "borough" };
    for (int a = 0; a < 2; a++) {
        const json_t *arm = arm_of(doc, arms[a]), *points = json_object_get(arm, "points");
        assert_int_equal((int)num(arm, "points_used"), POINTS);
        assert_int_equal((int)num(arm, "points_skipped"), 0);
        assert_int_equal(json_array_size(points), POINTS);
        for (int p = 0; p < POINTS; p++) {
            const json_t *pt = json_array_get(points, (size_t)p);
            assert_same(num(pt, "npv_total"), npv_total_by_sql(h, p, a + 1, from_fy, years, 0.035),
                        "npv_total by SQL");
            assert_same(json_number_value(json_array_get(json_object_get(pt, "values"), 0)),
                        housing[p], "value");
        }
        check_summary(arm);
    }
    sqlite3_close(h);
    /* --arm gives that arm's entry alone, the same figures. */
    snprintf(args, sizeof args, "%s --arm pooled --json %s/pooled.json", db, work);
    assert_int_equal(compare(args), 0);
    json_t *one = load_json("pooled.json");
    assert_int_equal(json_array_size(json_object_get(one, "arms")), 1);
    assert_true(json_equal(json_array_get(json_object_get(one, "arms"), 0), arm_of(doc, "pooled")));
    json_decref(one);
    json_decref(doc);
}

static char *read_in(const char *name)
{
    char *text = test_read_in(work, name);
    assert_non_null(text);
    return text;
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *c = text; *c; c++) n += *c == '\n';
    return n;
}

static const char csv_header[] =
    "base,arm,window,point_id,budgets.housing,budgets.police,costs_pv,fiscal_benefits_pv,"
    "social_benefits_pv,npv_fiscal,npv_fiscal_lower,npv_fiscal_upper,npv_total,npv_total_lower,"
    "npv_total_upper,bcr_fiscal,bcr_total,npv_positive_share_fiscal,npv_positive_share_total,"
    "npv_fiscal_se,npv_total_se,skipped\n";

/* A copy of the store with one replication failed and one missing. */
static void damaged_copy(void)
{
    sql_on_copy("damaged.db", 1,
                "UPDATE runs SET status = 'failed', error = 'test failure' "
                "WHERE point_id = 2 AND arm_id = 1 AND replication = 2; DELETE FROM runs WHERE "
                "point_id = 0 AND arm_id = 0 AND replication = 3");
}

static void test_csv_and_skipped_points(void **state)
{
    (void)state;
    char args[512];
    snprintf(args, sizeof args, "%s --csv %s/all.csv --json %s/all.json", db, work, work);
    assert_int_equal(compare(args), 0);
    char *csv = read_in("all.csv");
    assert_memory_equal(csv, csv_header, strlen(csv_header));
    assert_int_equal(count_lines(csv), 1 + 2 * POINTS);
    /* The npv_total column is the JSON's, digit for digit. */
    json_t *doc = load_json("all.json");
    const json_t *p2 = json_array_get(json_object_get(arm_of(doc, "borough"), "points"), 2);
    char row[256];
    snprintf(row, sizeof row, "\nsiloed,borough,%s-%s,2,675000,2100000,",
             json_string_value(json_object_get(json_object_get(doc, "window"), "from")),
             json_string_value(json_object_get(json_object_get(doc, "window"), "to")));
    char *line = strstr(csv, row);
    assert_non_null(line);
    double fields[16];
    char *f = line + strlen(row);
    for (int i = 0; i < 7; i++) fields[i] = strtod(f, &f), f++;
    assert_true(fields[6] == num(p2, "npv_total"));
    free(csv);
    json_decref(doc);

    damaged_copy();
    snprintf(args, sizeof args, "%s/damaged.db --csv %s/damaged.csv --json %s/damaged.json", work,
             work, work);
    assert_int_equal(compare(args), 0);
    doc = load_json("damaged.json");
    const json_t *pooled = arm_of(doc, "pooled"), *borough = arm_of(doc, "borough");
    /* Point 0 lacks a base replication: skipped for both arms; point 2 a
     * pooled one: skipped for pooled only. */
    assert_int_equal((int)num(pooled, "points_used"), 1);
    assert_int_equal((int)num(pooled, "points_skipped"), 2);
    assert_int_equal((int)num(borough, "points_used"), 2);
    assert_int_equal((int)num(borough, "points_skipped"), 1);
    const json_t *skip = json_array_get(json_object_get(pooled, "skipped"), 1);
    assert_int_equal((int)num(skip, "point_id"), 2);
    assert_non_null(strstr(json_string_value(json_object_get(skip, "reason")), "test failure"));
    check_summary(borough);
    csv = read_in("damaged.csv");
    assert_int_equal(count_lines(csv), 1 + 2 * POINTS);
    /* A skipped point's row: its values, empty figures, the reason. */
    assert_non_null(strstr(csv, ",2,675000,2100000,,,,,,,,,,,,,,,,arm pooled replication 2 "
                                "failed (test failure)\n"));
    assert_non_null(strstr(csv, ",0,225000,700000,,,,,,,,,,,,,,,,arm siloed: 2 of 3 "
                                "replications recorded"));
    free(csv);
    json_decref(doc);
}

/* A shard's database: the other shards' points are skipped as such, not as
 * an unfinished sweep; an unfinished point of its own shard still is. */
static void test_shard_points(void **state)
{
    (void)state;
    sql_on_copy("shard.db", 1,
                "UPDATE sweep SET shard = '1/2'; DELETE FROM runs WHERE "
                "point_id = 1; DELETE FROM runs WHERE point_id = 2 AND arm_id = 0 AND "
                "replication = 1");
    char args[512];
    snprintf(args, sizeof args, "%s/shard.db --json %s/shard.json", work, work);
    assert_int_equal(compare(args), 0);
    json_t *doc = load_json("shard.json");
    const json_t *skipped = json_object_get(arm_of(doc, "pooled"), "skipped");
    assert_int_equal(json_array_size(skipped), 2);
    const char *other = json_string_value(json_object_get(json_array_get(skipped, 0), "reason"));
    const char *own = json_string_value(json_object_get(json_array_get(skipped, 1), "reason"));
    assert_non_null(strstr(other, "in another shard (this database is shard 1/2"));
    assert_non_null(strstr(own, "unfinished sweep"));
    json_decref(doc);
}

/* `placesim compare ARGS` refused: the status, one line on stderr holding
 * `expect`, nothing on stdout, no output file. */
static void refused(const char *args, int status, const char *expect)
{
    char command[1024], out[256];
    snprintf(out, sizeof out, "%s/refused.json", work);
    unlink(out);
    snprintf(command, sizeof command, "%s --json %s", args, out);
    assert_int_equal(compare(command), status);
    char *err = read_in("stderr"), *std = read_in("stdout");
    if (!strstr(err, expect)) fail_msg("'%s' not in: %s", expect, err);
    assert_int_equal(count_lines(err), 1);
    assert_string_equal(std, "");
    assert_int_not_equal(access(out, F_OK), 0);
    free(err);
    free(std);
}

static void test_refusals(void **state)
{
    (void)state;
    char args[600], command[600];
    snprintf(command, sizeof command, "cp %s %s/before.db", db, work);
    assert_int_equal(system(command), 0);
    snprintf(args, sizeof args, "%s/one_arm.db", work);
    refused(args, 2, "has one arm (pooled)");
    snprintf(args, sizeof args, "%s/no_money.db", work);
    refused(args, 2, "kept no money: set cost_benefit = true in the sweep file");
    snprintf(args, sizeof args, "%s --arm nope", db);
    refused(args, 2, "no arm 'nope' (the sweep's arms: siloed, pooled, borough)");
    snprintf(args, sizeof args, "%s --arm siloed", db);
    refused(args, 2, "'siloed' is the base arm");
    snprintf(args, sizeof args, "%s --area Northgate", db);
    refused(args, 2, "--area does not apply to a results database");
    snprintf(args, sizeof args, "%s --unpaired", db);
    refused(args, 2, "--unpaired does not apply to a results database");
    snprintf(args, sizeof args, "%s --from 2020/21", db);
    refused(args, 2, "is outside the run");
    snprintf(args, sizeof args, "%s/twins.cfg", work);
    refused(args, 1, "not a results database");
    snprintf(args, sizeof args, "%s %s/exp1", db, work);
    refused(args, 2, "is a results database: give it alone");
    /* Another schema version; a SQLite file that is not a store; a store
     * cut short. */
    sql_on_copy("v1.db", 1, "PRAGMA user_version = 1");
    snprintf(args, sizeof args, "%s/v1.db", work);
    refused(args, 2, "schema version 1");
    sql_on_copy("other.db", 0, "CREATE TABLE t (x)");
    snprintf(args, sizeof args, "%s/other.db", work);
    refused(args, 1, "not a placesim results database");
    snprintf(command, sizeof command, "head -c 8192 %s > %s/cut.db", db, work);
    assert_int_equal(system(command), 0);
    snprintf(args, sizeof args, "%s/cut.db", work);
    refused(args, 1, "cut.db");
    /* Nothing above wrote the store. */
    snprintf(command, sizeof command, "cmp -s %s %s/before.db", db, work);
    assert_int_equal(system(command), 0);
}

/* --json - writes the document alone on stdout; the table otherwise. */
static void test_stdout(void **state)
{
    (void)state;
    char args[512];
    snprintf(args, sizeof args, "%s --json -", db);
    assert_int_equal(compare(args), 0);
    json_t *doc = load_json("stdout");
    assert_int_equal(json_array_size(json_object_get(doc, "arms")), 2);
    json_decref(doc);
    assert_int_equal(compare(db), 0);
    char *table = read_in("stdout");
    assert_non_null(strstr(table, "pooled against siloed across the points of sweep twins"));
    assert_non_null(strstr(table, "NPV fiscal + social"));
    free(table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_matches_run_directories),
        cmocka_unit_test(test_points_and_summary),
        cmocka_unit_test(test_csv_and_skipped_points),
        cmocka_unit_test(test_shard_points),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_stdout),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
