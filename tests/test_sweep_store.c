/* test_sweep_store.c — the SQLite results store (sim/sweep_store.h): the
 * schema and view as README.md states them, NaN as NULL, 64-bit seeds as
 * text, one transaction per run (a SIGKILLed writer loses only the run in
 * progress), resume refusals, merge, and failures (allocation, I/O) that
 * return -1 with a message. Sweeps are built by hand, not loaded. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "dates.h"
#include "recorder.h"
#include "cost_metrics.h"
#include "sweep.h"
#include "sweep_money.h"
#include "sweep_store.h"
#include "test_files.h"

/* ---- a sweep built by hand: 3 x 2 grid, 2 replications ---- */

enum { N_PARAMS = 2, N_POINTS = 6, N_REPS = 2, N_OUTPUTS = 2 };

/* Above 2^63: SQLite's INTEGER would overflow. */
#define MASTER_SEED (UINT64_MAX - 5)

typedef struct fixture {
    char dir[64];
    sweep s;
    sweep_arm arms[2];
    sweep_parameter params[N_PARAMS];
    double points[N_POINTS * N_PARAMS];
    sweep_output outputs[N_OUTPUTS];
    char text[64];
} fixture;

static double teams[] = { 37, 41, 46 }, intensity[] = { 0.0, 1.0 };

static void make_sweep(fixture *f, size_t n_arms, int keep_series)
{
    sweep *s = &f->s;
    memset(s, 0, sizeof *s);
    f->arms[0] = (sweep_arm){ "siloed", "../borough.cfg" };
    f->arms[1] = (sweep_arm){ "pooled", "../pooled.cfg" };
    f->params[0] = (sweep_parameter){ .key = "housing.repair_teams",
                                      .column = "housing_repair_teams",
                                      .whole = 1,
                                      .distribution = SWEEP_VALUES,
                                      .min = NAN,
                                      .max = NAN,
                                      .mean = NAN,
                                      .sd = NAN,
                                      .values = teams,
                                      .n_values = 3 };
    f->params[1] = (sweep_parameter){ .key = "interventions.patrols.intensity",
                                      .column = "interventions_patrols_intensity",
                                      .distribution = SWEEP_VALUES,
                                      .min = NAN,
                                      .max = NAN,
                                      .mean = NAN,
                                      .sd = NAN,
                                      .values = intensity,
                                      .n_values = 2 };
    for (size_t p = 0; p < N_POINTS; p++) {
        f->points[p * N_PARAMS] = teams[p / 2];
        f->points[p * N_PARAMS + 1] = intensity[p % 2];
    }
    f->outputs[0] = (sweep_output){ .name = "void_days_total",
                                    .metric = "void_days",
                                    .area = "ALL",
                                    .summary = SWEEP_TOTAL,
                                    .from_year = "2026/27",
                                    .to_year = "2028/29" };
    f->outputs[1] = (sweep_output){ .name = "voids_value_at",
                                    .metric = "voids",
                                    .area = "ALL",
                                    .summary = SWEEP_VALUE_AT,
                                    .date = date_from_civil(2029, 3, 31) };
    snprintf(f->text, sizeof f->text, "name = \"grid\"; # %zu arms", n_arms);
    s->path = "sweeps/grid.cfg";
    s->name = "grid";
    s->text = f->text;
    memset(s->sha256, 'a', 64);
    s->sha256[64] = '\0';
    s->arms = f->arms;
    s->n_arms = n_arms;
    s->params = f->params;
    s->n_params = N_PARAMS;
    s->design = SWEEP_GRID;
    s->points = f->points;
    s->n_points = N_POINTS;
    s->replications = N_REPS;
    s->master_seed = MASTER_SEED;
    s->outputs = f->outputs;
    s->n_outputs = N_OUTPUTS;
    s->keep_series = keep_series;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    strcpy(f->dir, "/tmp/placesim_store_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    make_sweep(f, 1, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    test_remove_tree(f->dir);
    free(f);
    return 0;
}

static const char *in_dir(const fixture *f, const char *name, char buf[256])
{
    snprintf(buf, 256, "%s/%s", f->dir, name);
    return buf;
}

/* ---- runs with values known from their key ---- */

static double run_value(size_t point, size_t arm, unsigned rep, size_t output)
{
    if (output == 1 && point == 1) return NAN; /* an NA summary */
    return 1000.0 * (double)point + 100.0 * (double)arm + 10.0 * rep + (double)output + 0.25;
}

static uint64_t run_seed(size_t point, unsigned rep)
{
    return UINT64_MAX - 1000 * point - rep; /* all above 2^63 */
}

static int record_err(sweep_store *st, size_t n_arms, size_t point, size_t arm, unsigned rep,
                      int ok, char *err, size_t errlen)
{
    double values[N_OUTPUTS], diffs[N_OUTPUTS];
    for (size_t o = 0; o < N_OUTPUTS; o++) {
        values[o] = run_value(point, arm, rep, o);
        diffs[o] = values[o] - run_value(point, 0, rep, o);
    }
    sweep_run_record r = { .point = point,
                           .arm = arm,
                           .replication = rep,
                           .seed = run_seed(point, rep),
                           .ok = ok,
                           .error = ok ? NULL : "scenario: something failed",
                           .wall_seconds = 0.5,
                           .events = 12345,
                           .values = ok ? values : NULL,
                           .differences = ok && arm > 0 && n_arms > 1 ? diffs : NULL };
    return sweep_store_record(st, &r, err, errlen);
}

static int record(sweep_store *st, size_t n_arms, size_t point, size_t arm, unsigned rep, int ok)
{
    char err[512] = "";
    int rc = record_err(st, n_arms, point, arm, rep, ok, err, sizeof err);
    if (rc != 0) print_error("record: %s\n", err);
    return rc;
}

static sweep_store *open_store(const fixture *f, const char *path, const char *shard, int resume)
{
    sweep_store *st = NULL;
    char err[512] = "";
    if (sweep_store_open(path, &f->s, shard, resume, &st, err, sizeof err) != 0)
        fail_msg("open %s: %s", path, err);
    return st;
}

static void close_store(sweep_store *st, long want_failed)
{
    char err[512] = "";
    long failed = -1;
    if (sweep_store_close(st, &failed, err, sizeof err) != 0) fail_msg("close: %s", err);
    assert_int_equal(failed, want_failed);
}

/* ---- reading the database directly ---- */

static sqlite3 *db_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

/* The first column of the first row as text ("" for NULL, "(none)" for no row). */
static char *db_text(sqlite3 *db, const char *sql)
{
    static char buf[512];
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "");
    } else {
        snprintf(buf, sizeof buf, "(none)");
    }
    sqlite3_finalize(q);
    return buf;
}

static long long db_int(sqlite3 *db, const char *sql)
{
    return strtoll(db_text(db, sql), NULL, 10);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---- create, record, done ---- */

static void test_create_record_done(void **state)
{
    fixture *f = *state;
    char path[256], err[512];
    in_dir(f, "r.db", path);
    sweep_store *st = open_store(f, path, NULL, 0);
    assert_false(sweep_store_done(st, 0, 0, 0));
    assert_int_equal(record(st, 1, 0, 0, 0, 1), 0);
    assert_int_equal(record(st, 1, 0, 0, 1, 0), 0);
    assert_int_equal(record(st, 1, 3, 0, 1, 1), 0);
    assert_true(sweep_store_done(st, 0, 0, 0));
    assert_false(sweep_store_done(st, 0, 0, 1)); /* failed: run again on resume */
    assert_true(sweep_store_done(st, 3, 0, 1));
    assert_false(sweep_store_done(st, 3, 0, 0));

    /* Each run is committed when recorded: another connection sees it. */
    sqlite3 *db = db_open(path);
    assert_int_equal(db_int(db, "SELECT count(*) FROM runs"), 3);
    assert_string_equal(db_text(db, "PRAGMA journal_mode"), "wal");
    sqlite3_close(db);

    /* Outside the sweep. */
    err[0] = '\0';
    sweep_run_record bad = { .point = N_POINTS, .ok = 0, .error = "x" };
    assert_int_equal(sweep_store_record(st, &bad, err, sizeof err), -1);
    assert_non_null(strstr(err, "outside the sweep"));
    close_store(st, 1);

    /* A failed run recorded again as ok replaces its row. */
    st = open_store(f, path, NULL, 1);
    assert_true(sweep_store_done(st, 0, 0, 0));
    assert_int_equal(record(st, 1, 0, 0, 1, 1), 0);
    assert_true(sweep_store_done(st, 0, 0, 1));
    close_store(st, 0);

    db = db_open(path);
    assert_int_equal(db_int(db, "SELECT count(*) FROM runs"), 3);
    assert_string_equal(
        db_text(db, "SELECT error FROM runs WHERE point_id = 0 AND replication = 2"), "");
    assert_string_equal(db_text(db, "SELECT sha256 FROM sweep"), f->s.sha256);
    assert_string_equal(db_text(db, "SELECT design FROM sweep"), "grid");
    assert_string_equal(db_text(db, "SELECT failed_runs FROM sweep"), "0");
    assert_string_equal(db_text(db, "SELECT coalesce(shard, 'NULL') FROM sweep"), "NULL");
    assert_int_equal(db_int(db, "SELECT count(*) FROM points"), N_POINTS);
    assert_int_equal(db_int(db, "SELECT count(*) FROM point_values"), N_POINTS * N_PARAMS);
    assert_string_equal(db_text(db, "SELECT value FROM point_values WHERE point_id = 5 AND "
                                    "param_id = 0"),
                        "46.0");
    assert_string_equal(db_text(db, "SELECT date FROM outputs WHERE output_id = 1"), "2029-03-31");
    assert_string_equal(db_text(db, "SELECT from_year || '-' || to_year FROM outputs WHERE "
                                    "output_id = 0"),
                        "2026/27-2028/29");
    assert_string_equal(db_text(db, "SELECT coalesce(min, 'NULL') FROM parameters WHERE "
                                    "param_id = 0"),
                        "NULL");
    char version[16];
    snprintf(version, sizeof version, "%d", SWEEP_STORE_SCHEMA_VERSION);
    assert_string_equal(db_text(db, "PRAGMA user_version"), version);
    assert_int_equal(SWEEP_STORE_SCHEMA_VERSION, 2);
    assert_string_equal(db_text(db, "PRAGMA integrity_check"), "ok");
    assert_int_equal(db_int(db, "SELECT count(*) FROM sqlite_master WHERE name = "
                                "'summaries_by_output'"),
                     1);
    sqlite3_close(db);

    /* An existing file is refused without resume and left alone. */
    err[0] = '\0';
    st = NULL;
    assert_int_equal(sweep_store_open(path, &f->s, NULL, 0, &st, err, sizeof err), -1);
    assert_null(st);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "already exists"));
    assert_true(file_exists(path));
}

/* ---- resume refusals and I/O errors ---- */

static void expect_open_error(const fixture *f, const sweep *s, const char *path, const char *shard,
                              int resume, const char *want1, const char *want2)
{
    char err[1024] = "";
    sweep_store *st = NULL;
    assert_int_equal(sweep_store_open(path, s, shard, resume, &st, err, sizeof err), -1);
    assert_null(st);
    if (!strstr(err, want1) || (want2 && !strstr(err, want2)))
        fail_msg("error '%s' does not name '%s' and '%s'", err, want1, want2 ? want2 : "");
    assert_null(strchr(err, '\n'));
    (void)f;
}

static void test_resume_refusals(void **state)
{
    fixture *f = *state;
    char path[256], other[256];
    in_dir(f, "r.db", path);
    sweep_store *st = open_store(f, path, "1/2", 0);
    assert_int_equal(record(st, 1, 0, 0, 0, 1), 0);
    close_store(st, 0);

    /* Another sweep: both sha256 named. */
    sweep changed = f->s;
    memset(changed.sha256, 'b', 64);
    expect_open_error(f, &changed, path, "1/2", 1, f->s.sha256, changed.sha256);
    /* Another shard, or no shard. */
    expect_open_error(f, &f->s, path, "2/2", 1, "1/2", "2/2");
    expect_open_error(f, &f->s, path, NULL, 1, "1/2", "none");
    /* The same sweep and shard resumes with its runs. */
    st = open_store(f, path, "1/2", 1);
    assert_true(sweep_store_done(st, 0, 0, 0));
    close_store(st, 0);

    /* Runs of another placesim version (whose draws may differ): both
     * versions named. */
    sqlite3 *vdb = NULL;
    assert_int_equal(sqlite3_open(path, &vdb), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(vdb, "UPDATE sweep SET program_version = '0.1.0'", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(vdb);
    expect_open_error(f, &f->s, path, "1/2", 1, "placesim 0.1.0",
                      "this placesim " PLACESIM_VERSION);

    /* Not a database; not a placesim one; a directory; no such directory. */
    in_dir(f, "text.db", other);
    FILE *fp = fopen(other, "w");
    assert_non_null(fp);
    fputs("this is not a database, just some text long enough to have a header\n", fp);
    fclose(fp);
    expect_open_error(f, &f->s, other, NULL, 1, other, "not a database");
    assert_true(file_exists(other)); /* not ours: left alone */

    /* A database, but not a placesim one. */
    in_dir(f, "plain.db", other);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    expect_open_error(f, &f->s, other, NULL, 1, other, "not a placesim sweep database");

    /* A directory; a directory that does not exist. */
    expect_open_error(f, &f->s, f->dir, NULL, 1, f->dir, "not a regular file");
    in_dir(f, "no/such/dir.db", other);
    expect_open_error(f, &f->s, other, NULL, 0, other, "cannot create");

    /* Resume of a file that does not exist creates it. */
    in_dir(f, "fresh.db", other);
    st = open_store(f, other, NULL, 1);
    assert_false(sweep_store_done(st, 0, 0, 0));
    close_store(st, 0);
}

/* ---- the results_wide view ---- */

/* The view's column names, comma-separated. */
static char *view_columns(sqlite3 *db)
{
    static char buf[1024];
    buf[0] = '\0';
    sqlite3_stmt *q = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('results_wide')", -1, &q, NULL),
        SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (buf[0]) strcat(buf, ",");
        strcat(buf, (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    return buf;
}

static void test_view_columns(void **state)
{
    fixture *f = *state;
    char path[256];
    in_dir(f, "one.db", path);
    sweep_store *st = open_store(f, path, NULL, 0);
    assert_int_equal(record(st, 1, 2, 0, 1, 1), 0);
    close_store(st, 0);
    sqlite3 *db = db_open(path);
    assert_string_equal(view_columns(db),
                        "point_id,arm,replication,seed,status,housing_repair_teams,"
                        "interventions_patrols_intensity,void_days_total,voids_value_at");
    assert_string_equal(db_text(db, "SELECT arm || ' ' || housing_repair_teams || ' ' || "
                                    "interventions_patrols_intensity || ' ' || void_days_total "
                                    "FROM results_wide"),
                        "siloed 41.0 0.0 2010.25");
    sqlite3_close(db);

    make_sweep(f, 2, 0);
    in_dir(f, "two.db", path);
    st = open_store(f, path, NULL, 0);
    for (size_t arm = 0; arm < 2; arm++)
        for (unsigned rep = 0; rep < N_REPS; rep++)
            assert_int_equal(record(st, 2, 1, arm, rep, 1), 0);
    close_store(st, 0);
    db = db_open(path);
    assert_string_equal(view_columns(db),
                        "point_id,arm,replication,seed,status,housing_repair_teams,"
                        "interventions_patrols_intensity,void_days_total,voids_value_at,"
                        "void_days_total_diff,voids_value_at_diff");
    assert_int_equal(db_int(db, "SELECT count(*) FROM results_wide"), 4);
    /* Rows in run order; the base arm has no difference; NA is NULL. */
    assert_string_equal(db_text(db, "SELECT group_concat(arm || ':' || replication || ':' || "
                                    "coalesce(void_days_total_diff, 'NULL') || ':' || "
                                    "coalesce(voids_value_at, 'NULL'), ' ') FROM results_wide"),
                        "siloed:1:NULL:NULL siloed:2:NULL:NULL pooled:1:100.0:NULL "
                        "pooled:2:100.0:NULL");
    sqlite3_close(db);

    /* Two columns of one name (SQL names ignore case) are refused, and the
     * file created for them removed. */
    f->outputs[1].name = "Housing_Repair_Teams";
    in_dir(f, "clash.db", path);
    expect_open_error(f, &f->s, path, NULL, 0, "'housing_repair_teams' and 'Housing_Repair_Teams'",
                      "one name to SQL");
    assert_false(file_exists(path));
    f->outputs[1].name = "void_days_total_diff"; /* clashes with output 0's difference */
    expect_open_error(f, &f->s, path, NULL, 0, path, "void_days_total_diff");
    assert_false(file_exists(path));
    /* A name needing quotes is a column all the same. */
    f->outputs[1].name = "odd \"name\"";
    st = open_store(f, path, NULL, 0);
    close_store(st, 0);
    db = db_open(path);
    assert_non_null(strstr(view_columns(db), ",odd \"name\","));
    sqlite3_close(db);
}

/* ---- NaN and seeds ---- */

static void test_nan_null_and_seeds(void **state)
{
    fixture *f = *state;
    char path[256], want[32], sql[160];
    f->s.seeds_per_point = 1; /* points.seed is then each point's own seed */
    in_dir(f, "r.db", path);
    sweep_store *st = open_store(f, path, NULL, 0);
    assert_int_equal(record(st, 1, 0, 0, 0, 1), 0);
    assert_int_equal(record(st, 1, 1, 0, 1, 1), 0);
    close_store(st, 0);
    sqlite3 *db = db_open(path);
    assert_string_equal(db_text(db, "SELECT typeof(value) FROM summaries WHERE point_id = 1 AND "
                                    "output_id = 1"),
                        "null");
    assert_string_equal(db_text(db, "SELECT typeof(value) FROM summaries WHERE point_id = 1 AND "
                                    "output_id = 0"),
                        "real");
    assert_string_equal(db_text(db, "SELECT typeof(voids_value_at) FROM results_wide WHERE "
                                    "point_id = 1"),
                        "null");
    /* 64-bit unsigned seeds as decimal text, exactly. */
    assert_string_equal(db_text(db, "SELECT typeof(seed) FROM runs WHERE point_id = 0"), "text");
    assert_string_equal(db_text(db, "SELECT seed FROM runs WHERE point_id = 0"),
                        "18446744073709551615");
    assert_true(strtoull(db_text(db, "SELECT seed FROM results_wide WHERE point_id = 1"), NULL,
                         10) == run_seed(1, 1));
    assert_string_equal(db_text(db, "SELECT master_seed FROM sweep"), "18446744073709551610");
    for (size_t p = 0; p < N_POINTS; p++) {
        snprintf(want, sizeof want, "%" PRIu64, sweep_point_seed(f->s.master_seed, p));
        snprintf(sql, sizeof sql, "SELECT seed FROM points WHERE point_id = %zu", p);
        assert_string_equal(db_text(db, sql), want);
    }
    sqlite3_close(db);
}

/* ---- series, and a writer killed with SIGKILL ---- */

enum { SERIES_ROWS_PER_RUN = 2 * 3 * 2 }; /* months x (2 areas + ALL) x metrics */

static recorder *make_recorder(int64_t *start_day)
{
    static const char *const areas[] = { "North", "South" };
    static const metric_spec specs[] = {
        METRIC_ROW("void_starts", METRIC_COUNT, "events", 0),
        METRIC_ROW("voids", METRIC_LEVEL_END, "dwellings", 0),
    };
    int64_t first = date_from_civil(2026, 1, 1), last = date_from_civil(2026, 2, 28);
    recorder *r = recorder_create(areas, 2, first, last, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 2), 0);
    for (int64_t d = first; d <= last; d++) {
        recorder_begin_day(r, d);
        recorder_add(r, 0, 0, 1);
        recorder_add(r, 0, 1, 2);
        recorder_level(r, 1, 0, (double)(d - first));
        recorder_level(r, 1, 1, 3);
        assert_int_equal(recorder_end_day(r), 0);
    }
    *start_day = first;
    return r;
}

/* The one failed run of the merge and kill tests. */
static int run_ok(size_t point, size_t arm, unsigned rep)
{
    return !(point == 4 && arm == 1 && rep == 0);
}

/* A run with its series, in the store's one transaction. */
static int record_with_series(sweep_store *st, size_t n_arms, size_t point, size_t arm,
                              unsigned rep, const recorder *rec, int64_t start_day)
{
    sweep_run_record r = { .point = point, .arm = arm, .replication = rep };
    char err[512] = "";
    if (sweep_store_record_series(st, &r, rec, start_day, err, sizeof err) != 0) {
        print_error("series: %s\n", err);
        return -1;
    }
    return record(st, n_arms, point, arm, rep, run_ok(point, arm, rep));
}

typedef struct unit {
    size_t point, arm;
    unsigned rep;
} unit;

static unit unit_at(size_t n_arms, size_t i)
{
    return (unit){ i / (n_arms * N_REPS), i / N_REPS % n_arms, (unsigned)(i % N_REPS) };
}

/* All rows of a query as text, one line each. */
static int dump_row(void *ctx, int n, char **values, char **names)
{
    char **buf = ctx;
    (void)names;
    for (int i = 0; i < n; i++) {
        const char *v = values[i] ? values[i] : "NULL";
        size_t len = strlen(*buf), add = strlen(v) + 2;
        char *grown = realloc(*buf, len + add + 1);
        if (!grown) return 1;
        snprintf(grown + len, add + 1, "%s%c", v, i + 1 < n ? '|' : '\n');
        *buf = grown;
    }
    return 0;
}

static char *dump(const char *path, const char *sql)
{
    sqlite3 *db = db_open(path);
    char *buf = calloc(1, 1);
    assert_non_null(buf);
    if (sqlite3_exec(db, sql, dump_row, &buf, NULL) != SQLITE_OK)
        fail_msg("%s: %s: %s", path, sql, sqlite3_errmsg(db));
    sqlite3_close(db);
    return buf;
}

/* The same rows, every table and the view (sweep: but for shard, created). */
static void assert_same_rows(const char *a, const char *b, int with_series)
{
    static const char *const queries[] = {
        "SELECT name, path, text, sha256, program_version, master_seed, replications, design, "
        "samples, n_points, n_arms, failed_runs FROM sweep",
        "SELECT * FROM parameters ORDER BY param_id",
        "SELECT * FROM arms ORDER BY arm_id",
        "SELECT * FROM points ORDER BY point_id",
        "SELECT * FROM point_values ORDER BY point_id, param_id",
        "SELECT * FROM outputs ORDER BY output_id",
        "SELECT * FROM runs ORDER BY point_id, arm_id, replication",
        "SELECT * FROM summaries ORDER BY point_id, arm_id, replication, output_id",
        "SELECT * FROM results_wide",
        "SELECT * FROM series ORDER BY point_id, arm_id, replication, tick, area, metric",
    };
    size_t n = sizeof queries / sizeof queries[0] - (with_series ? 0 : 1);
    for (size_t i = 0; i < n; i++) {
        char *x = dump(a, queries[i]), *y = dump(b, queries[i]);
        if (strcmp(x, y) != 0) fail_msg("%s differs:\n%s:\n%s\n%s:\n%s", queries[i], a, x, b, y);
        assert_true(strlen(x) > 0);
        free(x);
        free(y);
    }
}

enum { KILL_AFTER = 5 };

static void test_sigkill_loses_only_run_in_progress(void **state)
{
    fixture *f = *state;
    make_sweep(f, 2, 1);
    size_t n_units = N_POINTS * 2 * N_REPS;
    char path[256], straight[256], wal[300];
    in_dir(f, "killed.db", path);
    in_dir(f, "straight.db", straight);
    int64_t start_day;
    recorder *rec = make_recorder(&start_day);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sweep_store *st = NULL;
        char err[512];
        if (sweep_store_open(path, &f->s, NULL, 0, &st, err, sizeof err) != 0) _exit(2);
        for (size_t i = 0; i < KILL_AFTER; i++) {
            unit u = unit_at(2, i);
            if (record_with_series(st, 2, u.point, u.arm, u.rep, rec, start_day) != 0) _exit(3);
        }
        /* The run in progress: its series written, not yet committed. */
        unit u = unit_at(2, KILL_AFTER);
        sweep_run_record r = { .point = u.point, .arm = u.arm, .replication = u.rep };
        if (sweep_store_record_series(st, &r, rec, start_day, err, sizeof err) != 0) _exit(4);
        raise(SIGKILL);
        _exit(5);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_true(file_exists(wal)); /* the commits were in the WAL, never checkpointed */

    /* Exactly the committed runs, and a sound database. */
    sqlite3 *db = db_open(path);
    assert_string_equal(db_text(db, "PRAGMA integrity_check"), "ok");
    assert_int_equal(db_int(db, "SELECT count(*) FROM runs"), KILL_AFTER);
    assert_int_equal(db_int(db, "SELECT count(*) FROM summaries"), KILL_AFTER * N_OUTPUTS);
    assert_int_equal(db_int(db, "SELECT count(*) FROM series"), KILL_AFTER * SERIES_ROWS_PER_RUN);
    sqlite3_close(db);

    sweep_store *st = open_store(f, path, NULL, 1);
    for (size_t i = 0; i < n_units; i++) {
        unit u = unit_at(2, i);
        assert_int_equal(sweep_store_done(st, u.point, u.arm, u.rep) != 0, i < KILL_AFTER);
        if (i >= KILL_AFTER)
            assert_int_equal(record_with_series(st, 2, u.point, u.arm, u.rep, rec, start_day), 0);
    }
    close_store(st, 1);

    st = open_store(f, straight, NULL, 0);
    for (size_t i = 0; i < n_units; i++) {
        unit u = unit_at(2, i);
        assert_int_equal(record_with_series(st, 2, u.point, u.arm, u.rep, rec, start_day), 0);
    }
    close_store(st, 1);
    assert_same_rows(path, straight, 1);
    assert_false(file_exists(wal)); /* checkpointed at close */
    /* Series rows as series.csv has them: money in pounds, per area then ALL. */
    db = db_open(straight);
    assert_string_equal(db_text(db, "SELECT group_concat(tick || ' ' || date || ' ' || area || ' '"
                                    " || metric || ' ' || value, ', ') FROM series WHERE "
                                    "point_id = 0 AND arm_id = 0 AND replication = 1 AND "
                                    "area = 'ALL'"),
                        "30 2026-01-31 ALL void_starts 93.0, 30 2026-01-31 ALL voids 33.0, "
                        "58 2026-02-28 ALL void_starts 84.0, 58 2026-02-28 ALL voids 61.0");
    sqlite3_close(db);
    recorder_destroy(rec);
}

/* ---- threads ---- */

typedef struct thread_job {
    sweep_store *st;
    size_t first;
    int rc;
} thread_job;

static void *record_half(void *arg)
{
    thread_job *job = arg;
    for (size_t i = job->first; i < N_POINTS * N_REPS; i += 2) {
        unit u = unit_at(1, i);
        if (record(job->st, 1, u.point, u.arm, u.rep, 1) != 0) job->rc = -1;
    }
    return NULL;
}

static void test_threads_record_concurrently(void **state)
{
    fixture *f = *state;
    char path[256];
    in_dir(f, "threads.db", path);
    sweep_store *st = open_store(f, path, NULL, 0);
    thread_job jobs[2] = { { st, 0, 0 }, { st, 1, 0 } };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, record_half, &jobs[i]), 0);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].rc, 0);
    }
    for (size_t i = 0; i < N_POINTS * N_REPS; i++) {
        unit u = unit_at(1, i);
        assert_true(sweep_store_done(st, u.point, u.arm, u.rep));
    }
    close_store(st, 0);
}

/* ---- merge ---- */

/* Records every unit of shard k of n (k 0-based; 0 of 1 is the whole sweep). */
static void write_db(fixture *f, const char *path, const char *shard, size_t k, size_t n,
                     const recorder *rec, int64_t start_day)
{
    sweep_store *st = open_store(f, path, shard, 0);
    size_t n_units = N_POINTS * f->s.n_arms * N_REPS;
    for (size_t i = 0; i < n_units; i++) {
        unit u = unit_at(f->s.n_arms, i);
        if (u.point % n != k) continue;
        if (rec)
            assert_int_equal(
                record_with_series(st, f->s.n_arms, u.point, u.arm, u.rep, rec, start_day), 0);
        else
            assert_int_equal(
                record(st, f->s.n_arms, u.point, u.arm, u.rep, run_ok(u.point, u.arm, u.rep)), 0);
    }
    close_store(st, (k == 0 && n == 2) || n == 1 ? 1 : 0);
}

static void expect_merge_error(const char *out, const char *const *shards, size_t n,
                               const char *want1, const char *want2)
{
    char err[1024] = "", tmp[300];
    assert_int_equal(sweep_store_merge(out, shards, n, err, sizeof err), -1);
    if (!strstr(err, want1) || (want2 && !strstr(err, want2)))
        fail_msg("error '%s' does not name '%s' and '%s'", err, want1, want2 ? want2 : "");
    assert_false(file_exists(out));
    snprintf(tmp, sizeof tmp, "%s.merging", out);
    assert_false(file_exists(tmp));
}

static void test_merge(void **state)
{
    fixture *f = *state;
    make_sweep(f, 2, 1);
    char single[256], s1[256], s2[256], out[256], other[256], err[512] = "";
    in_dir(f, "single.db", single);
    in_dir(f, "shard1.db", s1);
    in_dir(f, "shard2.db", s2);
    in_dir(f, "merged.db", out);
    int64_t start_day;
    recorder *rec = make_recorder(&start_day);
    write_db(f, single, NULL, 0, 1, rec, start_day);
    write_db(f, s1, "1/2", 0, 2, rec, start_day);
    write_db(f, s2, "2/2", 1, 2, rec, start_day);

    /* Shard order does not matter. */
    const char *shards[] = { s2, s1 };
    if (sweep_store_merge(out, shards, 2, err, sizeof err) != 0) fail_msg("merge: %s", err);
    assert_same_rows(single, out, 1);
    sqlite3 *db = db_open(out);
    assert_string_equal(db_text(db, "SELECT shard FROM sweep"), "merged from 2 shards");
    assert_string_equal(db_text(db, "SELECT failed_runs FROM sweep"), "1");
    assert_string_equal(db_text(db, "PRAGMA integrity_check"), "ok");
    sqlite3_close(db);
    /* A merged database resumes as the whole sweep. */
    sweep_store *st = open_store(f, out, NULL, 1);
    assert_true(sweep_store_done(st, 5, 1, 1));
    close_store(st, 1);
    expect_open_error(f, &f->s, out, "1/2", 1, "merged from 2 shards", "1/2");

    /* OUT exists. */
    err[0] = '\0';
    assert_int_equal(sweep_store_merge(out, shards, 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "already exists"));
    recorder_destroy(rec);

    /* A run in two shards, named with both files. */
    in_dir(f, "refused.db", out);
    const char *twice[] = { s1, s1 };
    expect_merge_error(out, twice, 2, "run (point 0, arm siloed, replication 1) is in both", s1);
    const char *overlap[] = { s2, single };
    expect_merge_error(out, overlap, 2, "(point 1, arm siloed, replication 1)", single);

    /* A shard of another sweep. */
    make_sweep(f, 2, 0);
    memset(f->s.sha256, 'c', 64);
    in_dir(f, "other.db", other);
    st = open_store(f, other, "2/2", 0);
    close_store(st, 0);
    const char *mixed[] = { s1, other };
    expect_merge_error(out, mixed, 2, "another sweep", f->s.sha256);

    /* Missing, not a database, none. */
    char missing[256];
    in_dir(f, "missing.db", missing);
    const char *gone[] = { s1, missing };
    expect_merge_error(out, gone, 2, missing, "cannot open");
    const char *dir[] = { s1, f->dir };
    expect_merge_error(out, dir, 2, f->dir, "not a regular file");
    char text[256];
    in_dir(f, "text.db", text);
    FILE *fp = fopen(text, "w");
    assert_non_null(fp);
    fputs("not a database but text, long enough to fill a header of a hundred bytes or so....\n",
          fp);
    fclose(fp);
    const char *not_db[] = { s1, text };
    expect_merge_error(out, not_db, 2, text, "not a database");
    expect_merge_error(out, shards, 0, out, "no shard");
}

/* ---- allocation failures inside SQLite ---- */

typedef struct failing_alloc {
    sqlite3_mem_methods real;
    long count, fail_at;
} failing_alloc;

/* SQLite's allocator hooks take no context for the failure count. */
static failing_alloc alloc_state;

static void *failing_malloc(int n)
{
    return ++alloc_state.count == alloc_state.fail_at ? NULL : alloc_state.real.xMalloc(n);
}

static void *failing_realloc(void *p, int n)
{
    return ++alloc_state.count == alloc_state.fail_at ? NULL : alloc_state.real.xRealloc(p, n);
}

static void install_failing_alloc(void)
{
    assert_int_equal(sqlite3_shutdown(), SQLITE_OK);
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &alloc_state.real), SQLITE_OK);
    sqlite3_mem_methods m = alloc_state.real;
    m.xMalloc = failing_malloc;
    m.xRealloc = failing_realloc;
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &m), SQLITE_OK);
    assert_int_equal(sqlite3_initialize(), SQLITE_OK);
}

static void restore_alloc(void)
{
    assert_int_equal(sqlite3_shutdown(), SQLITE_OK);
    assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &alloc_state.real), SQLITE_OK);
    assert_int_equal(sqlite3_initialize(), SQLITE_OK);
}

static void expect_message(int rc, const char *err, const char *what, long fail_at)
{
    if (rc != 0 && (!err[0] || strchr(err, '\n')))
        fail_msg("%s failed at allocation %ld without a one-line message: '%s'", what, fail_at,
                 err);
}

/* Fails SQLite's n-th allocation for n = 1, 2, ... until a sweep's open,
 * record and close (and a merge) pass untouched: each failure returns -1
 * with a message, leaves no file it created, and leaks nothing (ASan). */
static void test_allocation_failures(void **state)
{
    fixture *f = *state;
    make_sweep(f, 2, 0);
    /* Some thousands of databases: on tmpfs when there is one, where the
     * store's fsyncs cost nothing. */
    char shm[64] = "/dev/shm/placesim_store_XXXXXX";
    if (mkdtemp(shm)) {
        test_remove_tree(f->dir);
        strcpy(f->dir, shm);
    }
    char path[256], s1[256], s2[256], out[256];
    in_dir(f, "s1.db", s1);
    in_dir(f, "s2.db", s2);
    write_db(f, s1, "1/2", 0, 2, NULL, 0);
    write_db(f, s2, "2/2", 1, 2, NULL, 0);
    install_failing_alloc();
    int opened_clean = 0, merged_clean = 0;
    long failures = 0;
    long n_last = 0;
    for (long n = 1; n < 20000 && !(opened_clean && merged_clean); n++) {
        char err[512] = "";
        n_last = n;
        alloc_state.count = 0;
        alloc_state.fail_at = n;
        if (!opened_clean) {
            snprintf(path, sizeof path, "%s/oom.db", f->dir);
            sweep_store *st = NULL;
            int rc = sweep_store_open(path, &f->s, NULL, 0, &st, err, sizeof err);
            expect_message(rc, err, "open", n);
            if (rc != 0) {
                assert_false(file_exists(path));
            } else {
                for (size_t arm = 0; arm < 2 && rc == 0; arm++) {
                    err[0] = '\0';
                    rc = record_err(st, 2, 0, arm, 0, 1, err, sizeof err);
                    expect_message(rc, err, "record", n);
                }
                long failed;
                err[0] = '\0';
                int close_rc = sweep_store_close(st, &failed, err, sizeof err);
                expect_message(close_rc, err, "close", n);
                opened_clean = alloc_state.count < n;
                unlink(path);
            }
            failures += rc != 0;
        }
        if (!merged_clean) {
            alloc_state.count = 0;
            snprintf(out, sizeof out, "%s/oom_merged.db", f->dir);
            const char *shards[] = { s1, s2 };
            err[0] = '\0';
            int rc = sweep_store_merge(out, shards, 2, err, sizeof err);
            expect_message(rc, err, "merge", n);
            if (rc != 0) assert_false(file_exists(out));
            merged_clean = rc == 0 && alloc_state.count < n;
            unlink(out);
        }
    }
    restore_alloc();
    print_message("allocation failures: %ld iterations\n", n_last);
    assert_true(opened_clean && merged_clean);
    assert_true(failures > 10); /* the failures did reach the store */
}

/* A run's money (cost_benefit): a row per non-zero value of a metric the
 * run declares, NA as NULL, zeros and undeclared metrics absent; one
 * run_years row per year with its written days; a failed run's rows go;
 * a retried run replaces them. */
static void test_money_rows(void **state)
{
    fixture *f = *state;
    make_sweep(f, 2, 0);
    f->s.keep_money = 1;
    char path[256];
    in_dir(f, "money.db", path);
    sweep_store *st = open_store(f, path, NULL, 0);
    cost_metrics list;
    assert_int_equal(cost_metrics_list(&list), 0);
    sweep_run_money m;
    assert_int_equal(sweep_money_alloc(&m, 2, list.n), 0);
    m.first_day[0] = date_from_civil(2026, 1, 1); /* 2025/26, partial */
    m.last_day[0] = date_from_civil(2026, 3, 31);
    m.first_day[1] = date_from_civil(2026, 4, 1); /* 2026/27, whole */
    m.last_day[1] = date_from_civil(2027, 3, 31);
    for (size_t k = 0; k < list.n; k++) m.declared[k] = k != 1; /* metric 1: not run */
    m.value[0 * list.n + 0] = 1234.56;                          /* kept */
    m.value[0 * list.n + 1] = 99;                               /* undeclared: no row */
    m.value[1 * list.n + 2] = NAN;                              /* NA: a NULL row */
    /* every other value 0: no row */
    double values[N_OUTPUTS] = { 1, 2 }, diffs[N_OUTPUTS] = { 0, 0 };
    sweep_run_record r = { .point = 3,
                           .arm = 1,
                           .replication = 0,
                           .seed = 9,
                           .ok = 1,
                           .wall_seconds = 1,
                           .events = 1,
                           .values = values,
                           .differences = diffs,
                           .money = &m };
    char err[512] = "";
    if (sweep_store_record(st, &r, err, sizeof err) != 0) fail_msg("record: %s", err);
    /* An ok run without its money is refused: the sweep keeps money. */
    sweep_run_record bare = r;
    bare.point = 4;
    bare.money = NULL;
    assert_int_equal(sweep_store_record(st, &bare, err, sizeof err), -1);
    assert_non_null(strstr(err, "no money by year"));
    close_store(st, 0);

    sqlite3 *db = db_open(path);
    assert_int_equal(db_int(db, "SELECT count(*) FROM money"), 2);
    char want[256];
    snprintf(want, sizeof want,
             "SELECT value FROM money WHERE point_id = 3 AND arm_id = 1 AND "
             "replication = 1 AND year = '2025/26' AND metric = '%s'",
             list.names[0]);
    assert_string_equal(db_text(db, want), "1234.56");
    snprintf(want, sizeof want,
             "SELECT coalesce(value, 'NULL') FROM money WHERE year = "
             "'2026/27' AND metric = '%s'",
             list.names[2]);
    assert_string_equal(db_text(db, want), "NULL");
    assert_string_equal(db_text(db, "SELECT group_concat(year || ' ' || first_date || ' ' || "
                                    "last_date, ';') FROM run_years"),
                        "2025/26 2026-01-01 2026-03-31;2026/27 2026-04-01 2027-03-31");
    sqlite3_close(db);

    /* Retried as failed: its money and years go with its summaries. */
    st = open_store(f, path, NULL, 1);
    r.ok = 0;
    r.error = "failed this time";
    r.values = r.differences = NULL;
    r.money = NULL;
    if (sweep_store_record(st, &r, err, sizeof err) != 0) fail_msg("record: %s", err);
    close_store(st, 1);
    db = db_open(path);
    assert_int_equal(db_int(db, "SELECT count(*) FROM money"), 0);
    assert_int_equal(db_int(db, "SELECT count(*) FROM run_years"), 0);
    sqlite3_close(db);
    sweep_money_free(&m);
    cost_metrics_free(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_record_done, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nan_null_and_seeds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_loses_only_run_in_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_record_concurrently, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_money_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
