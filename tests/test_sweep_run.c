/* test_sweep_run.c — the sweep runner: summaries against values worked out
 * by hand on a small recorder; the progress text; then `placesim sweep`
 * through the binary: serial, -j 2 and two merged shards give the same
 * summaries; a sweep killed with SIGKILL and resumed gives the same runs
 * and summaries as one straight through; a failing run gives exit 3 and is
 * counted; --resume of another sweep's database is refused. */
#include <math.h>
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "cost_metrics.h"
#include "dates.h"
#include "recorder.h"
#include "sweep_run.h"
#include "test_files.h"

#ifndef PLACESIM_SOURCE_DIR
#define PLACESIM_SOURCE_DIR "."
#endif
#ifndef PLACESIM_BINARY
#define PLACESIM_BINARY "placesim"
#endif

static int64_t ymd(int y, int m, int d) { return date_from_civil(y, m, d); }

/* ---- a small recorder ----
 *
 * Two areas (North, South), written from 2025-01-01 (financial year 2024/25
 * is partial: 90 days) to 2027-03-31 (2025/26 and 2026/27 whole, 365 days
 * each), monthly periods. Daily inputs:
 *   crimes   North +1, South +2
 *   spend    +2.50 (money, ALL only)
 *   voids    North: days since 2025-01-01, South: 10 (level_end)
 *   wait     events (event_median), by financial year:
 *            2024/25  North 100, 200          (outside the default window)
 *            2025/26  North 1, 5, 3; South 4, 2
 *            2026/27  South 10, 7; North 8
 *   stay     the same events as an event_mean metric */
enum { M_CRIMES, M_SPEND, M_VOIDS, M_WAIT, M_STAY, M_N };

static const metric_spec specs[M_N] = {
    [M_CRIMES] = METRIC_ROW("crimes", METRIC_COUNT, "crimes", "count"),
    [M_SPEND] = METRIC_ALL_ONLY_ROW("spend", METRIC_MONEY, "GBP", "money, ALL only"),
    [M_VOIDS] = METRIC_ROW("voids", METRIC_LEVEL_END, "dwellings", "level"),
    [M_WAIT] = METRIC_ROW("wait", METRIC_EVENT_MEDIAN, "days", "event median"),
    [M_STAY] = METRIC_ROW("stay", METRIC_EVENT_MEAN, "days", "event mean"),
};

typedef struct event_at {
    int y, m, d;
    size_t area;
    double value;
} event_at;

static const event_at events[] = {
    { 2025, 2, 10, 0, 100 }, { 2025, 3, 5, 0, 200 }, { 2025, 4, 1, 0, 1 },  { 2025, 6, 30, 1, 4 },
    { 2025, 9, 1, 0, 5 },    { 2025, 12, 24, 1, 2 }, { 2026, 3, 31, 0, 3 }, { 2026, 4, 1, 1, 10 },
    { 2026, 8, 8, 0, 8 },    { 2027, 3, 31, 1, 7 },
};

static recorder *small_recorder(void)
{
    static const char *const areas[] = { "North", "South" };
    int64_t first = ymd(2025, 1, 1), last = ymd(2027, 3, 31);
    recorder *r = recorder_create(areas, 2, first, last, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, M_N), 0);
    for (int64_t d = first; d <= last; d++) {
        recorder_begin_day(r, d);
        recorder_add(r, M_CRIMES, 0, 1);
        recorder_add(r, M_CRIMES, 1, 2);
        recorder_add(r, M_SPEND, 0, 2.5);
        recorder_level(r, M_VOIDS, 0, (double)(d - first));
        recorder_level(r, M_VOIDS, 1, 10);
        for (size_t i = 0; i < sizeof events / sizeof *events; i++) {
            if (ymd(events[i].y, events[i].m, events[i].d) != d) continue;
            recorder_event(r, M_WAIT, events[i].area, events[i].value);
            recorder_event(r, M_STAY, events[i].area, events[i].value);
        }
        assert_int_equal(recorder_end_day(r), 0);
    }
    return r;
}

static sweep_output output(const char *metric, sweep_summary_kind kind, const char *area,
                           const char *from, const char *to, int64_t date)
{
    sweep_output o = { .name = (char *)"out",
                       .metric = (char *)metric,
                       .area = (char *)(area ? area : "ALL"),
                       .summary = kind,
                       .date = date };
    snprintf(o.from_year, sizeof o.from_year, "%s", from ? from : "");
    snprintf(o.to_year, sizeof o.to_year, "%s", to ? to : "");
    return o;
}

static void summary_is(const recorder *r, sweep_output o, double want, int line)
{
    double got;
    char err[512] = "";
    if (sweep_summary_value(&o, r, &got, err, sizeof err) != 0)
        fail_msg("line %d: refused: %s", line, err);
    if (isnan(want) ? !isnan(got) : !(fabs(got - want) <= 1e-9 * fmax(1, fabs(want))))
        fail_msg("line %d: got %.17g, want %.17g", line, got, want);
}
#define EXPECT(r, o, want) summary_is((r), (o), (want), __LINE__)

/* Refused both before the run (check) and after it (value), naming `words`. */
static void summary_refused(const recorder *r, sweep_output o, const char *words, int line)
{
    char err[512] = "";
    double v;
    if (sweep_summary_check(&o, r, ymd(2025, 1, 1), ymd(2027, 3, 31), err, sizeof err) == 0)
        fail_msg("line %d: check accepted", line);
    if (!strstr(err, words)) fail_msg("line %d: check said '%s', not '%s'", line, err, words);
    err[0] = '\0';
    if (sweep_summary_value(&o, r, &v, err, sizeof err) == 0)
        fail_msg("line %d: value accepted", line);
    if (!strstr(err, words)) fail_msg("line %d: value said '%s', not '%s'", line, err, words);
}
#define REFUSED(r, o, words) summary_refused((r), (o), (words), __LINE__)

static void test_totals_and_means(void **state)
{
    (void)state;
    recorder *r = small_recorder();
    /* Default window: the whole years 2025/26 and 2026/27, 730 days. */
    EXPECT(r, output("crimes", SWEEP_TOTAL, NULL, NULL, NULL, 0), 3.0 * 730);
    EXPECT(r, output("crimes", SWEEP_TOTAL, "South", NULL, NULL, 0), 2.0 * 730);
    EXPECT(r, output("crimes", SWEEP_TOTAL, NULL, "2026/27", NULL, 0), 3.0 * 365);
    EXPECT(r, output("crimes", SWEEP_TOTAL, NULL, NULL, "2025/26", 0), 3.0 * 365);
    EXPECT(r, output("crimes", SWEEP_MEAN_PER_YEAR, "North", NULL, NULL, 0), 365.0);
    /* Money: years are kept in pence; the summary is in pounds. */
    EXPECT(r, output("spend", SWEEP_TOTAL, NULL, NULL, NULL, 0), 2.5 * 730);
    EXPECT(r, output("spend", SWEEP_MEAN_PER_YEAR, NULL, "2025/26", "2025/26", 0), 2.5 * 365);
    /* A level's mean per year: the mean of its years.csv values (the level
     * at each year's end): North 454 + 819 days from 2025-01-01, +10 South. */
    double end_2026 = (double)(ymd(2026, 3, 31) - ymd(2025, 1, 1));
    double end_2027 = (double)(ymd(2027, 3, 31) - ymd(2025, 1, 1));
    EXPECT(r, output("voids", SWEEP_MEAN_PER_YEAR, NULL, NULL, NULL, 0),
           (end_2026 + 10 + end_2027 + 10) / 2);
    /* An event mean per year: years 2025/26 (15/5 = 3) and 2026/27 (25/3). */
    EXPECT(r, output("stay", SWEEP_MEAN_PER_YEAR, NULL, NULL, NULL, 0), (3.0 + 25.0 / 3) / 2);
    recorder_destroy(r);
}

static void test_value_at(void **state)
{
    (void)state;
    recorder *r = small_recorder();
    EXPECT(r, output("voids", SWEEP_VALUE_AT, NULL, NULL, NULL, ymd(2026, 3, 31)),
           (double)(ymd(2026, 3, 31) - ymd(2025, 1, 1)) + 10);
    EXPECT(r, output("voids", SWEEP_VALUE_AT, "South", NULL, NULL, ymd(2025, 1, 31)), 10);
    EXPECT(r, output("voids", SWEEP_VALUE_AT, "North", NULL, NULL, ymd(2025, 1, 31)), 30);
    /* A count's value at a month end is that month's count. */
    EXPECT(r, output("crimes", SWEEP_VALUE_AT, NULL, NULL, NULL, ymd(2025, 2, 28)), 3.0 * 28);
    recorder_destroy(r);
}

static void test_medians(void **state)
{
    (void)state;
    recorder *r = small_recorder();
    /* 2025/26 + 2026/27 pooled over areas: 1 2 3 4 | 5 7 8 10 -> 4.5; the
     * partial year's 100 and 200 would move it to 5 or more. */
    EXPECT(r, output("wait", SWEEP_MEDIAN, NULL, NULL, NULL, 0), 4.5);
    EXPECT(r, output("wait", SWEEP_MEDIAN, NULL, "2026/27", "2026/27", 0), 8);
    EXPECT(r, output("wait", SWEEP_MEDIAN, NULL, "2025/26", "2025/26", 0), 3);
    /* The same events as an event_mean metric have the same median. */
    EXPECT(r, output("stay", SWEEP_MEDIAN, NULL, NULL, NULL, 0), 4.5);
    /* One area, one year: North 2025/26 is 1 3 5. */
    EXPECT(r, output("wait", SWEEP_MEDIAN, "North", "2025/26", "2025/26", 0), 3);
    EXPECT(r, output("wait", SWEEP_MEDIAN, "South", "2026/27", "2026/27", 0), 8.5);
    recorder_destroy(r);
}

/* A median over a window without events is NA, not 0. */
static void test_median_without_events(void **state)
{
    (void)state;
    static const char *const areas[] = { "North" };
    int64_t first = ymd(2025, 4, 1), last = ymd(2026, 3, 31);
    recorder *r = recorder_create(areas, 1, first, last, PERIOD_MONTH);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, M_N), 0);
    for (int64_t d = first; d <= last; d++) {
        recorder_begin_day(r, d);
        assert_int_equal(recorder_end_day(r), 0);
    }
    EXPECT(r, output("wait", SWEEP_MEDIAN, NULL, NULL, NULL, 0), NAN);
    EXPECT(r, output("stay", SWEEP_MEAN_PER_YEAR, NULL, NULL, NULL, 0), NAN);
    EXPECT(r, output("crimes", SWEEP_TOTAL, NULL, NULL, NULL, 0), 0);
    recorder_destroy(r);
}

static void test_refusals(void **state)
{
    (void)state;
    recorder *r = small_recorder();
    REFUSED(r, output("nothing", SWEEP_TOTAL, NULL, NULL, NULL, 0), "no metric is named");
    REFUSED(r, output("crimes", SWEEP_TOTAL, "Nowhere", NULL, NULL, 0), "no area is named");
    REFUSED(r, output("spend", SWEEP_TOTAL, "North", NULL, NULL, 0), "only an ALL row");
    REFUSED(r, output("voids", SWEEP_TOTAL, NULL, NULL, NULL, 0), "count or money");
    REFUSED(r, output("crimes", SWEEP_MEDIAN, NULL, NULL, NULL, 0), "metric of events");
    REFUSED(r, output("voids", SWEEP_VALUE_AT, NULL, NULL, NULL, ymd(2026, 3, 30)),
            "not the last day of a month written");
    REFUSED(r, output("voids", SWEEP_VALUE_AT, NULL, NULL, NULL, ymd(2027, 4, 30)),
            "not the last day of a month written");
    REFUSED(r, output("crimes", SWEEP_TOTAL, NULL, "2024/25", NULL, 0), "not all written whole");
    REFUSED(r, output("crimes", SWEEP_TOTAL, NULL, NULL, "2027/28", 0), "not all written whole");
    REFUSED(r, output("crimes", SWEEP_TOTAL, NULL, "2026/27", "2025/26", 0), "is after");
    REFUSED(r, output("crimes", SWEEP_TOTAL, NULL, "2026/28", NULL, 0), "not a financial year");
    REFUSED(r, output("wait", SWEEP_MEDIAN, "North", NULL, NULL, 0), "single financial year");
    REFUSED(r, output("stay", SWEEP_MEDIAN, "North", "2025/26", "2025/26", 0),
            "single financial year");
    recorder_destroy(r);
}

static void test_progress_text(void **state)
{
    (void)state;
    char text[160];
    sweep_progress_format(text, sizeof text, 10, 40, 1, 5.0);
    assert_string_equal(text, "10/40 runs (1 failed), 2.0 runs/s, ETA 15 s");
    sweep_progress_format(text, sizeof text, 0, 40, 0, 0.0);
    assert_string_equal(text, "0/40 runs, 0.0 runs/s, ETA unknown");
    sweep_progress_format(text, sizeof text, 40, 40, 0, 8.0);
    assert_string_equal(text, "40/40 runs, 5.0 runs/s, done in 8 s");
}

/* ---- through the binary ---- */

#define SWEEPS PLACESIM_SOURCE_DIR "/tests/data/sweeps_run/"

typedef struct work {
    char dir[64];
} work;

static void work_make(work *w)
{
    snprintf(w->dir, sizeof w->dir, "/tmp/placesim_sweep_XXXXXX");
    assert_non_null(mkdtemp(w->dir));
}

static void work_done(work *w) { assert_int_equal(test_remove_tree(w->dir), 0); }

/* Runs `placesim ARGS` in w (output in w/LOG); the exit status. */
static int placesim(const work *w, const char *log, const char *fmt, ...)
{
    char args[2048], command[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(command, sizeof command, "cd '%s' && '%s' %s >'%s' 2>&1", w->dir, PLACESIM_BINARY,
             args, log);
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *work_file(const work *w, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", w->dir, name);
    return test_read_file(path);
}

static void print_log(const work *w, const char *log)
{
    char *text = work_file(w, log);
    fprintf(stderr, "--- %s:\n%s\n", log, text ? text : "(none)");
    free(text);
}

#define EXPECT_EXIT(w, want, log, ...)                                                             \
    do {                                                                                           \
        int got_ = placesim((w), (log), __VA_ARGS__);                                              \
        if (got_ != (want)) {                                                                      \
            print_log((w), (log));                                                                 \
            fail_msg("exit %d, want %d", got_, (want));                                            \
        }                                                                                          \
    } while (0)

/* Every row of a query, as text (reals to 17 digits, NULL as NULL). */
static char *query(const work *w, const char *db_name, const char *sql)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", w->dir, db_name);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail_msg("%s: %s", path, sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s: %s", path, sql, sqlite3_errmsg(db));
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_NULL: fputs("NULL", out); break;
            case SQLITE_INTEGER:
                fprintf(out, "%lld", (long long)sqlite3_column_int64(st, c));
                break;
            case SQLITE_FLOAT: fprintf(out, "%.17g", sqlite3_column_double(st, c)); break;
            default: fprintf(out, "'%s'", (const char *)sqlite3_column_text(st, c)); break;
            }
            fputc(c + 1 < sqlite3_column_count(st) ? '|' : '\n', out);
        }
    }
    if (rc != SQLITE_DONE) fail_msg("%s: %s: %s", path, sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    fclose(out);
    return text;
}

static long query_long(const work *w, const char *db_name, const char *sql)
{
    char *text = query(w, db_name, sql);
    long v = strtol(text, NULL, 10);
    free(text);
    return v;
}

static const char summaries_sql[] =
    "SELECT point_id, arm_id, replication, output_id, value, difference FROM summaries "
    "ORDER BY point_id, arm_id, replication, output_id";
static const char money_sql[] =
    "SELECT point_id, arm_id, replication, year, metric, value FROM money "
    "ORDER BY point_id, arm_id, replication, year, metric";
static const char run_years_sql[] =
    "SELECT point_id, arm_id, replication, year, first_date, last_date FROM run_years "
    "ORDER BY point_id, arm_id, replication, year";
static const char runs_sql[] =
    "SELECT point_id, arm_id, replication, seed, status, error, events FROM runs "
    "ORDER BY point_id, arm_id, replication";

static void same_rows(const work *w, const char *a, const char *b, const char *sql)
{
    char *x = query(w, a, sql), *y = query(w, b, sql);
    if (strcmp(x, y) != 0) fail_msg("%s and %s differ on %s:\n%s---\n%s", a, b, sql, x, y);
    free(x);
    free(y);
}

/* Serial, -j 2 and two shards merged give the same runs and summaries; the
 * summaries are complete (one per run and output, differences for the
 * second arm only, defined for every run of this sweep). */
static void test_serial_threads_shards(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    EXPECT_EXIT(&w, 0, "serial.log", "sweep " SWEEPS "tiny.cfg -o serial.db -j 1 --quiet");
    EXPECT_EXIT(&w, 0, "threads.log", "sweep " SWEEPS "tiny.cfg -o threads.db -j 2 --quiet");
    EXPECT_EXIT(&w, 0, "s1.log", "sweep " SWEEPS "tiny.cfg -o s1.db -j 2 --shard 1/2 --quiet");
    EXPECT_EXIT(&w, 0, "s2.log", "sweep " SWEEPS "tiny.cfg -o s2.db --shard=2/2 --quiet");
    char s1[256], s2[256], merged[256];
    snprintf(s1, sizeof s1, "%s/s1.db", w.dir);
    snprintf(s2, sizeof s2, "%s/s2.db", w.dir);
    snprintf(merged, sizeof merged, "%s/merged.db", w.dir);
    const char *shards[] = { s1, s2 };
    char err[1024] = "";
    if (sweep_store_merge(merged, shards, 2, err, sizeof err) != 0) fail_msg("merge: %s", err);

    /* 2 points x 2 arms x 2 replications, 5 outputs. */
    assert_int_equal(query_long(&w, "serial.db", "SELECT count(*) FROM runs WHERE status = 'ok'"),
                     8);
    assert_int_equal(query_long(&w, "serial.db", "SELECT count(*) FROM summaries"), 40);
    assert_int_equal(query_long(&w, "serial.db",
                                "SELECT count(*) FROM summaries WHERE "
                                "(difference IS NULL) != (arm_id = 0)"),
                     0);
    assert_int_equal(query_long(&w, "serial.db",
                                "SELECT count(*) FROM summaries WHERE "
                                "value IS NULL"),
                     0);
    /* The shards hold their own points only. */
    assert_int_equal(query_long(&w, "s1.db", "SELECT count(*) FROM runs WHERE point_id != 0"), 0);
    assert_int_equal(query_long(&w, "s2.db", "SELECT count(*) FROM runs WHERE point_id != 1"), 0);
    same_rows(&w, "serial.db", "threads.db", summaries_sql);
    same_rows(&w, "serial.db", "merged.db", summaries_sql);
    same_rows(&w, "serial.db", "threads.db", runs_sql);
    same_rows(&w, "serial.db", "merged.db", runs_sql);
    same_rows(&w, "serial.db", "threads.db", money_sql);
    same_rows(&w, "serial.db", "merged.db", money_sql);
    same_rows(&w, "serial.db", "threads.db", run_years_sql);
    same_rows(&w, "serial.db", "merged.db", run_years_sql);
    /* Two arms keep money by default: every ok run has its years, and some
     * non-zero money (each run's demand costs, at least). */
    assert_int_equal(query_long(&w, "merged.db",
                                "SELECT count(*) FROM runs r WHERE NOT EXISTS "
                                "(SELECT 1 FROM money m WHERE m.point_id = r.point_id AND "
                                "m.arm_id = r.arm_id AND m.replication = r.replication)"),
                     0);
    assert_int_equal(query_long(&w, "merged.db",
                                "SELECT count(DISTINCT point_id || '/' || "
                                "arm_id || '/' || replication) FROM run_years"),
                     8);
    /* A difference is the arm's value less the base's, same point and
     * replication. */
    assert_int_equal(query_long(&w, "serial.db",
                                "SELECT count(*) FROM summaries a JOIN summaries b USING "
                                "(point_id, replication, output_id) WHERE a.arm_id = 1 AND "
                                "b.arm_id = 0 AND a.difference != a.value - b.value"),
                     0);
    char *out = work_file(&w, "serial.log");
    assert_non_null(strstr(out, "8 runs (0 already recorded), 8 ok, 0 failed"));
    free(out);
    work_done(&w);
}

/* A run of the sweep is `placesim run ARM --set KEY=VALUE --seed S` with S
 * the point's seed: its years.csv gives the same total as the database. */
static void test_run_reproduces_a_sweep_run(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    EXPECT_EXIT(&w, 0, "sweep.log", "sweep " SWEEPS "tiny.cfg -o t.db -j 2 --quiet");
    /* tiny.cfg keeps the default common seeds: every point runs under the
     * sweep's seed, 7. */
    unsigned long long seed = 7;
    EXPECT_EXIT(&w, 0, "run.log",
                "run " SWEEPS "short_borough.cfg --set housing.repair_teams=55 "
                "--seed %llu --reps 2 -j 1 -o run --metric void_days",
                seed);
    char *years = work_file(&w, "run/years.csv");
    assert_non_null(years);
    /* Columns scenario,replication,year,first_date,last_date,area,metric,value,
     * weight: replication 2 (the database's replication 2 too), ALL, each year. */
    assert_non_null(strstr(years, "scenario,replication,year,first_date,last_date,area,metric,"
                                  "value,weight\n"));
    double total = 0;
    int rows = 0;
    for (char *line = strtok(years, "\n"); line; line = strtok(NULL, "\n")) {
        char fields[9][64] = { { 0 } };
        int n = 0;
        for (char *p = line, *q; n < 9 && p; p = q ? q + 1 : NULL, n++) {
            q = strchr(p, ',');
            size_t k = q ? (size_t)(q - p) : strlen(p);
            snprintf(fields[n], sizeof fields[n], "%.*s", (int)(k < 63 ? k : 63), p);
        }
        if (strcmp(fields[1], "2") != 0 || strcmp(fields[5], "ALL") != 0 ||
            strcmp(fields[6], "void_days") != 0)
            continue;
        total += strtod(fields[7], NULL);
        rows++;
    }
    free(years);
    assert_int_equal(rows, 2);
    char *db = query(&w, "t.db",
                     "SELECT value FROM summaries WHERE point_id = 1 AND arm_id = 0 "
                     "AND replication = 2 AND output_id = 0");
    if (fabs(strtod(db, NULL) - total) > 1e-9 * total)
        fail_msg("database %s, placesim run %.17g", db, total);
    free(db);
    work_done(&w);
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* text's lines in byte order, as a new string. */
static char *sort_lines(const char *text)
{
    size_t n = 0, len = strlen(text);
    for (size_t i = 0; i < len; i++) n += text[i] == '\n';
    char *copy = strdup(text), **lines = calloc(n + 1, sizeof *lines), *out = malloc(len + 1);
    assert_true(copy && lines && out);
    size_t k = 0;
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) lines[k++] = line;
    qsort(lines, k, sizeof *lines, compare_lines);
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) strcat(strcat(out, lines[i]), "\n");
    free(lines);
    free(copy);
    return out;
}

/* The money a sweep keeps of a run (two arms: kept by default) is, row for
 * row, the area-ALL cost-benefit rows of that run's years.csv through
 * `placesim run` (zeros omitted), and its run_years are that file's years. */
static void test_money_is_years_csv(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    EXPECT_EXIT(&w, 0, "sweep.log", "sweep " SWEEPS "tiny.cfg -o t.db -j 2 --quiet");
    EXPECT_EXIT(&w, 0, "run.log",
                "run " SWEEPS "short_patrols.cfg --set housing.repair_teams=55 "
                "--seed 7 --reps 2 -j 1 -o run");
    cost_metrics list;
    assert_int_equal(cost_metrics_list(&list), 0);
    char *years = work_file(&w, "run/years.csv");
    assert_non_null(years);
    char *want_money = NULL, *want_years = NULL;
    size_t money_len = 0, years_len = 0;
    FILE *money = open_memstream(&want_money, &money_len);
    FILE *spans = open_memstream(&want_years, &years_len);
    assert_true(money && spans);
    char last_span[320] = "";
    for (char *line = strtok(years, "\n"); line; line = strtok(NULL, "\n")) {
        char f[9][64] = { { 0 } };
        int n = 0;
        for (char *p = line, *q; n < 9 && p; p = q ? q + 1 : NULL, n++) {
            q = strchr(p, ',');
            size_t k = q ? (size_t)(q - p) : strlen(p);
            snprintf(f[n], sizeof f[n], "%.*s", (int)(k < 63 ? k : 63), p);
        }
        if (strcmp(f[5], "ALL") != 0) continue;
        char span[320];
        snprintf(span, sizeof span, "1|1|%s|'%s'|'%s'|'%s'\n", f[1], f[2], f[3], f[4]);
        if (strcmp(span, last_span) != 0) fputs(span, spans);
        snprintf(last_span, sizeof last_span, "%s", span);
        int cost = 0;
        for (size_t k = 0; k < list.n && !cost; k++) cost = strcmp(list.names[k], f[6]) == 0;
        double v = strtod(f[7], NULL);
        if (cost && v != 0) fprintf(money, "1|1|%s|'%s'|'%s'|%.17g\n", f[1], f[2], f[6], v);
    }
    fclose(money);
    fclose(spans);
    free(years);
    cost_metrics_free(&list);
    /* years.csv lists a year's metrics in declaration order; sort both. */
    char *got_money = query(&w, "t.db",
                            "SELECT point_id, arm_id, replication, year, metric, "
                            "value FROM money WHERE point_id = 1 AND arm_id = 1 "
                            "ORDER BY replication, year, metric");
    char *got_years = query(&w, "t.db",
                            "SELECT point_id, arm_id, replication, year, first_date, "
                            "last_date FROM run_years WHERE point_id = 1 AND arm_id = 1 "
                            "ORDER BY replication, year");
    char *sorted = sort_lines(want_money);
    if (strcmp(sorted, got_money) != 0)
        fail_msg("money differs from years.csv:\n%s---\n%s", sorted, got_money);
    if (strcmp(want_years, got_years) != 0)
        fail_msg("run_years differ from years.csv:\n%s---\n%s", want_years, got_years);
    assert_true(strlen(got_money) > 0);
    free(sorted);
    free(want_money);
    free(want_years);
    free(got_money);
    free(got_years);
    work_done(&w);
}

/* cost_benefit: kept with two arms unless false, not kept with one arm
 * unless true; anything but a boolean is refused before any run. */
static void test_cost_benefit_key(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    static const struct {
        const char *name, *text;
        long tables;
    } cases[] = {
        { "off.cfg", "cost_benefit = false;\n", 0 },
        { "one.cfg",
          "arms = ( { name = \"base\"; scenario = \"" SWEEPS "short_borough.cfg\"; } );\n", 0 },
        { "one_on.cfg",
          "arms = ( { name = \"base\"; scenario = \"" SWEEPS "short_borough.cfg\"; } );\n"
          "cost_benefit = true;\n",
          2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256], db[64];
        snprintf(path, sizeof path, "%s/%s", w.dir, cases[i].name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f,
                "base = \"" SWEEPS "tiny.cfg\";\nparameters = ( { key = \"housing.repair_teams\"; "
                "values = [40]; } );\nreplications = 1;\n%s",
                cases[i].text);
        fclose(f);
        snprintf(db, sizeof db, "%s.db", cases[i].name);
        EXPECT_EXIT(&w, 0, "cb.log", "sweep %s -o %s --quiet -j 2", cases[i].name, db);
        if (query_long(&w, db,
                       "SELECT count(*) FROM sqlite_master WHERE name IN "
                       "('money', 'run_years')") != cases[i].tables)
            fail_msg("%s: want %ld money tables", cases[i].name, cases[i].tables);
    }
    char path[256];
    snprintf(path, sizeof path, "%s/bad.cfg", w.dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "base = \"" SWEEPS "tiny.cfg\";\ncost_benefit = \"yes\";\n");
    fclose(f);
    EXPECT_EXIT(&w, 1, "bad.log", "sweep bad.cfg -o bad.db --quiet");
    char *out = work_file(&w, "bad.log");
    assert_non_null(strstr(out, "bad.cfg:2: cost_benefit: expected a boolean"));
    free(out);
    work_done(&w);
}

/* SIGKILL part-way, then --resume: the same runs and summaries as a sweep
 * straight through, none lost, none twice. */
static void test_kill_and_resume(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    EXPECT_EXIT(&w, 0, "straight.log", "sweep " SWEEPS "longer.cfg -o straight.db -j 2 --quiet");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (chdir(w.dir) != 0) _exit(127);
        execl(PLACESIM_BINARY, PLACESIM_BINARY, "sweep", SWEEPS "longer.cfg", "-o", "killed.db",
              "-j", "2", "--quiet", (char *)NULL);
        _exit(127);
    }
    /* Kill once a few runs are committed (24 in all). */
    char path[256];
    snprintf(path, sizeof path, "%s/killed.db", w.dir);
    long recorded = 0;
    for (int i = 0; i < 3000 && recorded < 5; i++) {
        struct timespec pause = { 0, 5000000 };
        nanosleep(&pause, NULL);
        struct stat st;
        if (stat(path, &st) != 0 || st.st_size == 0) continue;
        char *n = query(&w, "killed.db", "SELECT count(*) FROM sqlite_master WHERE name = 'runs'");
        int ready = atoi(n) == 1;
        free(n);
        if (ready) recorded = query_long(&w, "killed.db", "SELECT count(*) FROM runs");
    }
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    long kept = query_long(&w, "killed.db", "SELECT count(*) FROM runs");
    if (kept < 5 || kept >= 24) fail_msg("killed with %ld of 24 runs recorded", kept);
    EXPECT_EXIT(&w, 0, "resumed.log", "sweep " SWEEPS "longer.cfg -o killed.db --resume -j 2");
    char *out = work_file(&w, "resumed.log");
    char want[96];
    snprintf(want, sizeof want, "24 runs (%ld already recorded), %ld ok", kept, 24 - kept);
    if (!strstr(out, want)) fail_msg("'%s' not in:\n%s", want, out);
    free(out);
    assert_int_equal(query_long(&w, "killed.db", "SELECT count(*) FROM runs"), 24);
    same_rows(&w, "straight.db", "killed.db", runs_sql);
    same_rows(&w, "straight.db", "killed.db", summaries_sql);
    same_rows(&w, "straight.db", "killed.db", money_sql);
    same_rows(&w, "straight.db", "killed.db", run_years_sql);
    work_done(&w);
}

/* SIGTERM: exit 143, what finished kept; --resume completes it. */
static void test_sigterm_then_resume(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    char log[256];
    snprintf(log, sizeof log, "%s/term.log", w.dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (chdir(w.dir) != 0 || !freopen(log, "w", stderr)) _exit(127);
        execl(PLACESIM_BINARY, PLACESIM_BINARY, "sweep", SWEEPS "longer.cfg", "-o", "term.db", "-j",
              "2", (char *)NULL);
        _exit(127);
    }
    struct timespec pause = { 0, 400000000 };
    nanosleep(&pause, NULL);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 143) {
        print_log(&w, "term.log");
        fail_msg("status %d, want exit 143", status);
    }
    char *text = work_file(&w, "term.log");
    assert_non_null(strstr(text, "interrupted by SIGTERM"));
    free(text);
    EXPECT_EXIT(&w, 0, "resumed.log", "sweep " SWEEPS "longer.cfg -o term.db --resume --quiet");
    assert_int_equal(query_long(&w, "term.db", "SELECT count(*) FROM runs WHERE status = 'ok'"),
                     24);
    work_done(&w);
}

/* --resume of a database made from another sweep is refused, untouched. */
static void test_resume_of_another_sweep(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    EXPECT_EXIT(&w, 0, "first.log", "sweep " SWEEPS "tiny.cfg -o t.db --quiet");
    char *before = query(&w, "t.db", runs_sql);
    EXPECT_EXIT(&w, 1, "other.log", "sweep " SWEEPS "other_seed.cfg -o t.db --resume --quiet");
    /* Without --resume an existing database is refused too. */
    EXPECT_EXIT(&w, 1, "again.log", "sweep " SWEEPS "tiny.cfg -o t.db --quiet");
    char *after = query(&w, "t.db", runs_sql);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* The same sweep resumes, with nothing left to do. */
    EXPECT_EXIT(&w, 0, "same.log", "sweep " SWEEPS "tiny.cfg -o t.db --resume --quiet");
    char *out = work_file(&w, "same.log");
    assert_non_null(strstr(out, "8 runs (8 already recorded), 0 ok, 0 failed"));
    free(out);
    work_done(&w);
}

/* A run that fails after validation (failing.cfg: point 1 writes one year,
 * so its value_at date is not written) is recorded with its error, the
 * sweep goes on, and exits 3 with the count; --resume runs it again. */
static void test_failed_runs(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    EXPECT_EXIT(&w, 3, "f.log", "sweep " SWEEPS "failing.cfg -o f.db -j 2 --quiet");
    char *log = work_file(&w, "f.log");
    assert_non_null(strstr(log, "placesim sweep: 2 runs failed"));
    assert_non_null(strstr(log, "4 runs (0 already recorded), 2 ok, 2 failed"));
    free(log);
    assert_int_equal(query_long(&w, "f.db", "SELECT failed_runs FROM sweep"), 2);
    char *failed = query(&w, "f.db",
                         "SELECT point_id, replication, error FROM runs WHERE "
                         "status = 'failed' ORDER BY point_id, replication");
    assert_string_equal(
        failed,
        "1|1|'output voids_value_at (value_at of voids): date 2027-03-31 is not the last day "
        "of a month written (2025-04-01 to 2026-03-31)'\n"
        "1|2|'output voids_value_at (value_at of voids): date 2027-03-31 is not the last day "
        "of a month written (2025-04-01 to 2026-03-31)'\n");
    free(failed);
    /* A failed run keeps no summaries; the point that ran has all of them. */
    assert_int_equal(query_long(&w, "f.db", "SELECT count(*) FROM summaries WHERE point_id = 1"),
                     0);
    assert_int_equal(query_long(&w, "f.db", "SELECT count(*) FROM summaries WHERE point_id = 0"),
                     10);
    EXPECT_EXIT(&w, 3, "r.log", "sweep " SWEEPS "failing.cfg -o f.db --resume --quiet");
    log = work_file(&w, "r.log");
    assert_non_null(strstr(log, "4 runs (2 already recorded), 0 ok, 2 failed"));
    free(log);
    assert_int_equal(query_long(&w, "f.db", "SELECT count(*) FROM runs"), 4);
    assert_int_equal(query_long(&w, "f.db", "SELECT failed_runs FROM sweep"), 2);
    work_done(&w);
}

static void test_usage(void **state)
{
    (void)state;
    work w;
    work_make(&w);
    EXPECT_EXIT(&w, 2, "u.log", "sweep " SWEEPS "tiny.cfg");
    EXPECT_EXIT(&w, 2, "u.log", "sweep -o x.db");
    EXPECT_EXIT(&w, 2, "u.log", "sweep " SWEEPS "tiny.cfg -o x.db --shard 3/2");
    EXPECT_EXIT(&w, 2, "u.log", "sweep " SWEEPS "tiny.cfg -o x.db --shard 0/2");
    EXPECT_EXIT(&w, 2, "u.log", "sweep " SWEEPS "tiny.cfg -o x.db --shard 2");
    EXPECT_EXIT(&w, 2, "u.log", "sweep " SWEEPS "tiny.cfg -o x.db -j 0");
    EXPECT_EXIT(&w, 2, "u.log", "sweep " SWEEPS "tiny.cfg -o x.db --bogus");
    EXPECT_EXIT(&w, 0, "u.log", "sweep --help");
    /* Nothing was written. */
    struct stat st;
    char path[256];
    snprintf(path, sizeof path, "%s/x.db", w.dir);
    assert_int_not_equal(stat(path, &st), 0);
    work_done(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_and_means),
        cmocka_unit_test(test_value_at),
        cmocka_unit_test(test_medians),
        cmocka_unit_test(test_median_without_events),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_progress_text),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_serial_threads_shards),
        cmocka_unit_test(test_run_reproduces_a_sweep_run),
        cmocka_unit_test(test_money_is_years_csv),
        cmocka_unit_test(test_cost_benefit_key),
        cmocka_unit_test(test_kill_and_resume),
        cmocka_unit_test(test_sigterm_then_resume),
        cmocka_unit_test(test_resume_of_another_sweep),
        cmocka_unit_test(test_failed_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
