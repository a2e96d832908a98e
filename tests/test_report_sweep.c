/* test_report_sweep.c — `placesim report RESULTS.db` on small real sweeps
 * run by the built binary (a 2 x 3 grid with two arms, a Latin hypercube,
 * a Saltelli design of 8 base samples over 2 parameters, and a
 * probabilistic sensitivity analysis: a Latin hypercube of 8 points with
 * the borough and the Total Place package; each arm a copy of a scenario
 * shortened to 2 written years): the page's numbers against the database
 * (each point's mean recomputed with SQL over its ok replications; one
 * heat-map cell per grid point; Sobol indices as `placesim sensitivity
 * --json` gives them; the cost-benefit across points as `placesim compare
 * RESULTS.db --json` gives it, with each histogram's bars recounted from
 * its points), escaping of names taken from the database, skipped points,
 * and the refusals (a file that is not a database, a database that is not
 * a results store, another schema version, options of run reports, a
 * window for a sweep without cost-benefit or outside the runs, an existing
 * file that is not a report) and the lines saying why a sweep has no
 * cost-benefit. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

#include "report_format.h"
#include "sweep_store.h"
#include "test_files.h"

static char work[64];

static void write_text(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", work, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Runs placesim with printf-style arguments; its exit status. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return test_placesim(work, args);
}

static char *page(const char *name)
{
    char *text = test_read_in(work, name);
    assert_non_null(text);
    return text;
}

static int count(const char *hay, const char *needle, const char *end)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p && (!end || p < end); p = strstr(p + 1, needle))
        n++;
    return n;
}

static sqlite3 *open_db(const char *name, int flags)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", work, name);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, flags, NULL), SQLITE_OK);
    return db;
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(work, sizeof work, "/tmp/placesim_report_sweep_XXXXXX");
    if (!mkdtemp(work)) return -1;
    char text[1024];
    snprintf(text, sizeof text, "base = \"%s/scenarios/%%s\";\nyears = 2;\nwarmup_years = 1;\n",
             PLACESIM_SOURCE_DIR);
    char scenario[1024];
    snprintf(scenario, sizeof scenario, text, "borough.cfg");
    write_text("borough_short.cfg", scenario);
    snprintf(scenario, sizeof scenario, text, "sweeps/estate_patrols.cfg");
    write_text("patrols_short.cfg", scenario);
    snprintf(scenario, sizeof scenario, text, "interventions/total_place.cfg");
    write_text("total_place_short.cfg", scenario);
    /* Based on scenarios/sweeps/repair_patrols.cfg, effects_lhs.cfg and saltelli.cfg. */
    write_text("grid.cfg",
               "name = \"grid\";\n"
               "arms = ( { name = \"borough\"; scenario = \"borough_short.cfg\"; },\n"
               "         { name = \"patrols\"; scenario = \"patrols_short.cfg\"; } );\n"
               "replications = 3; seed = 1; design = { type = \"grid\"; };\n"
               "parameters = ( { key = \"housing.repair_teams\"; values = [45, 50, 55]; },\n"
               "  { key = \"crime.patrol_effect\"; values = [0.0, 0.1]; } );\n"
               "outputs = ( { metric = \"void_days\"; summary = \"total\"; },\n"
               "  { metric = \"crimes_criminal_damage\"; summary = \"mean_per_year\"; } );\n");
    write_text("lhs.cfg",
               "name = \"lhs\";\n"
               "arms = ( { name = \"borough\"; scenario = \"borough_short.cfg\"; } );\n"
               "replications = 2; seed = 1; design = { type = \"lhs\"; samples = 6; };\n"
               "parameters = ( { key = \"crime.patrol_effect\"; distribution = \"normal\"; "
               "mean = 0.081; sd = 0.04; min = 0.0; max = 0.16; },\n"
               "  { key = \"costs.repair_per_team_day\"; distribution = \"log_uniform\"; "
               "min = 250.0; max = 450.0; },\n"
               "  { key = \"housing.repair_teams\"; min = 40.0; max = 60.0; } );\n"
               "outputs = ( { metric = \"repair_cost\"; summary = \"total\"; } );\n");
    write_text("saltelli.cfg",
               "name = \"saltelli\";\n"
               "arms = ( { name = \"borough\"; scenario = \"borough_short.cfg\"; } );\n"
               "replications = 1; seed = 1; design = { type = \"saltelli\"; samples = 8; };\n"
               "parameters = ( { key = \"crime.blight_elasticity.criminal_damage\"; min = 0.0; "
               "max = 0.05; },\n  { key = \"crime.patrol_effect\"; min = 0.0; max = 0.16; } );\n"
               "outputs = ( { metric = \"crimes_criminal_damage\"; summary = \"total\"; },\n"
               "  { metric = \"voids\"; summary = \"value_at\"; date = \"2026-03-31\"; } );\n");
    /* Based on scenarios/sweeps/effects_lhs.cfg; a budget's values print as
     * 1,050,000, not 1.05e+06. */
    write_text("psa.cfg",
               "name = \"psa\";\n"
               "arms = ( { name = \"borough\"; scenario = \"borough_short.cfg\"; },\n"
               "         { name = \"total_place\"; scenario = \"total_place_short.cfg\"; } );\n"
               "replications = 2; seed = 1; design = { type = \"lhs\"; samples = 8; };\n"
               "parameters = ( { key = \"crime.patrol_effect\"; distribution = \"normal\"; "
               "mean = 0.081; sd = 0.04; min = 0.0; max = 0.16; },\n"
               "  { key = \"budgets.housing\"; min = 300000.0; max = 1050000.0; } );\n"
               "outputs = ( { metric = \"void_days\"; summary = \"total\"; } );\n");
    const char *sweeps[] = { "grid", "lhs", "saltelli", "psa" };
    for (int i = 0; i < 4; i++)
        if (run("sweep %s/%s.cfg -o %s/%s.db -j 2 --quiet", work, sweeps[i], work, sweeps[i]) !=
            0) {
            char *err = test_read_in(work, "stderr");
            fprintf(stderr, "placesim sweep %s failed: %s\n", sweeps[i], err ? err : "?");
            free(err);
            return -1;
        }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return test_remove_tree(work);
}

/* For every point, arm and output: the page shows the mean of the point's
 * ok replications as SQL computes it, and for the non-base arm the mean
 * paired difference. */
static void check_point_means(const char *db_name, const char *html)
{
    sqlite3 *db = open_db(db_name, SQLITE_OPEN_READONLY);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT s.point_id, a.name, s.arm_id, s.output_id, avg(s.value), avg(s.difference), "
            "count(s.value), o.metric, sum(s.value * s.value) FROM summaries s JOIN runs r USING "
            "(point_id, arm_id, "
            "replication) JOIN arms a USING (arm_id) JOIN outputs o USING (output_id) "
            "WHERE r.status = 'ok' GROUP BY s.point_id, s.arm_id, s.output_id",
            -1, &st, NULL),
        SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char mean[64], expect[512];
        int money = strcmp((const char *)sqlite3_column_text(st, 7), "repair_cost") == 0;
        rfmt_number(sqlite3_column_double(st, 4), money, mean, sizeof mean);
        /* an interval from two replications on (mean +- t sd / sqrt n); one says so */
        int n = sqlite3_column_int(st, 6);
        double m = sqlite3_column_double(st, 4), sum2 = sqlite3_column_double(st, 8);
        char interval[200] = " over 1 replication, at ", lo[48], hi[48];
        if (n > 1) {
            double half = gsl_cdf_tdist_Pinv(0.975, n - 1) *
                          sqrt(fmax(0.0, (sum2 - n * m * m) / (n - 1)) / n);
            rfmt_number(m - half, money, lo, sizeof lo);
            rfmt_number(m + half, money, hi, sizeof hi);
            snprintf(interval, sizeof interval, " (95%% interval %s to %s) over %d replications",
                     lo, hi, n);
        }
        snprintf(expect, sizeof expect, "%s, point %d: mean %s%s", sqlite3_column_text(st, 1),
                 sqlite3_column_int(st, 0), mean, interval);
        if (!strstr(html, expect)) fail_msg("%s: not on the page: %s", db_name, expect);
        if (sqlite3_column_int(st, 2) > 0) {
            rfmt_number(sqlite3_column_double(st, 5), money, mean, sizeof mean);
            snprintf(expect, sizeof expect, "%s minus base, point %d: mean difference %s",
                     sqlite3_column_text(st, 1), sqlite3_column_int(st, 0), mean);
            if (!strstr(html, expect)) fail_msg("%s: not on the page: %s", db_name, expect);
        }
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(rows > 0);
}

static void test_grid(void **state)
{
    (void)state;
    assert_int_equal(run("report %s/grid.db -o %s/grid.html", work, work), 0);
    char *html = page("grid.html");
    check_point_means("grid.db", html);
    /* 2 outputs x 2 parameters, each with the arms' values and the difference */
    assert_int_equal(count(html, "<svg class=\"chart chart-scatter\"", NULL), 4);
    assert_int_equal(count(html, "<svg class=\"chart chart-scatter-diff\"", NULL), 4);
    /* Heat maps: per output, each arm's and the difference; one cell per point. */
    const char *tag = "<svg class=\"chart chart-heatmap\"";
    assert_int_equal(count(html, tag, NULL), 6);
    for (const char *p = strstr(html, tag); p; p = strstr(p + 1, tag))
        assert_int_equal(count(p, "class=\"mark cell\"", strstr(p, "</svg>")), 6);
    /* Each scatter chart draws a dot per point and arm. */
    const char *scatter = strstr(html, "<svg class=\"chart chart-scatter\"");
    assert_int_equal(count(scatter, "class=\"mark point\"", strstr(scatter, "</svg>")), 12);
    assert_non_null(strstr(html, "A full grid of 6 points over 2 parameters"));
    assert_non_null(strstr(html, "Housing repair teams (teams)"));
    assert_null(strstr(html, "id=\"sobol\""));
    free(html);
}

static void test_lhs(void **state)
{
    (void)state;
    assert_int_equal(run("report %s/lhs.db -o %s/lhs.html", work, work), 0);
    char *html = page("lhs.html");
    check_point_means("lhs.db", html);
    assert_int_equal(count(html, "<svg class=\"chart chart-scatter\"", NULL), 3);
    assert_int_equal(count(html, "chart-heatmap", NULL), 0);
    assert_non_null(strstr(html, "A Latin hypercube of 6 points"));
    assert_non_null(strstr(html, "(mean 0.081, sd 0.04)"));
    free(html);
}

/* The Sobol table shows what `placesim sensitivity --json` computes. */
static void test_saltelli(void **state)
{
    (void)state;
    assert_int_equal(run("report %s/saltelli.db -o %s/saltelli.html", work, work), 0);
    if (run("sensitivity %s/saltelli.db --metric crimes_criminal_damage_total --json "
            "%s/sobol.json",
            work, work) != 0) {
        char *err = test_read_in(work, "stderr");
        fail_msg("placesim sensitivity: %s", err ? err : "?");
    }
    char *html = page("saltelli.html");
    char path[256];
    snprintf(path, sizeof path, "%s/sobol.json", work);
    json_t *doc = json_load_file(path, 0, NULL);
    assert_non_null(doc);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "indices"), i, row)
    {
        char v[6][64], expect[512];
        const char *keys[] = { "s1", "s1_low", "s1_high", "st", "st_low", "st_high" };
        for (int k = 0; k < 6; k++)
            rfmt_number(json_number_value(json_object_get(row, keys[k])), 0, v[k], 64);
        snprintf(expect, sizeof expect,
                 "<code>%s</code></td><td class=\"num\">%s <span "
                 "class=\"ci\">(%s to %s)</span></td><td class=\"num\">%s <span class=\"ci\">"
                 "(%s to %s)</span></td>",
                 json_string_value(json_object_get(row, "parameter")), v[0], v[1], v[2], v[3], v[4],
                 v[5]);
        if (!strstr(html, expect)) fail_msg("not on the page: %s", expect);
    }
    assert_int_equal(i, 2);
    /* One set of indices per output: a chart, or why there is none (an output
     * the same at every point has no variance to share out). */
    assert_int_equal(count(html, "<svg class=\"chart chart-sobol\"", NULL) +
                         count(html, "No indices: ", NULL),
                     2);
    assert_non_null(strstr(html, "crimes_criminal_damage_total"));
    check_point_means("saltelli.db", html);
    json_decref(doc);
    free(html);
}

/* Names from the database are escaped; a failed run is left out of the
 * means and its error shown, escaped. */
static void test_escaping_and_failures(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "cp %s/grid.db %s/hostile.db", work, work);
    assert_int_equal(system(command), 0);
    sqlite3 *db = open_db("hostile.db", SQLITE_OPEN_READWRITE);
    assert_int_equal(
        sqlite3_exec(db,
                     "UPDATE sweep SET name = '<i>sweep</i> & ''q''';"
                     "UPDATE arms SET name = '<b>pat\"rols</b>' WHERE arm_id = 1;"
                     "UPDATE runs SET status = 'failed', error = '<script>alert(1)</script>' "
                     "WHERE point_id = 2 AND arm_id = 0 AND replication = 2;"
                     "DELETE FROM summaries WHERE point_id = 2 AND arm_id = 0 AND replication = 2;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(run("report %s/hostile.db -o %s/hostile.html", work, work), 0);
    char *html = page("hostile.html");
    assert_null(strstr(html, "<i>sweep"));
    assert_null(strstr(html, "<b>pat"));
    assert_null(strstr(html, "<script>alert"));
    assert_non_null(strstr(html, "&lt;i&gt;sweep&lt;/i&gt; &amp; &#39;q&#39;"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "1 run failed"));
    /* The page's mean is that of the ok runs only. */
    db = open_db("hostile.db", SQLITE_OPEN_READONLY);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT avg(value), count(*) FROM summaries WHERE "
                                        "point_id = 2 AND arm_id = 0 AND output_id = 0",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 1), 2);
    char mean[64], expect[256];
    rfmt_number(sqlite3_column_double(st, 0), 0, mean, sizeof mean);
    snprintf(expect, sizeof expect, "borough, point 2: mean %s (95%% interval ", mean);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_non_null(strstr(html, expect));
    assert_non_null(strstr(html, "&lt;b&gt;pat&quot;rols&lt;/b&gt;, point 0: mean "));
    free(html);
}

static void test_refusals(void **state)
{
    (void)state;
    write_text("plain.db", "not a database\n");
    assert_int_equal(run("report %s/plain.db -o %s/x.html", work, work), 2);
    char *err = page("stderr");
    assert_non_null(strstr(err, "plain.db is not an experiment directory"));
    free(err);
    /* An SQLite file that is not a results store. */
    sqlite3 *db = open_db("other.db", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(run("report %s/other.db -o %s/x.html", work, work), 1);
    err = page("stderr");
    assert_non_null(strstr(err, "other.db: not a placesim results database"));
    free(err);
    /* Another schema version. */
    char command[512];
    snprintf(command, sizeof command, "cp %s/lhs.db %s/v99.db", work, work);
    assert_int_equal(system(command), 0);
    db = open_db("v99.db", SQLITE_OPEN_READWRITE);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(run("report %s/v99.db -o %s/x.html", work, work), 2);
    err = page("stderr");
    char expect[160];
    snprintf(expect, sizeof expect,
             "v99.db: results database schema version 99; this placesim "
             "reads version %d",
             SWEEP_STORE_SCHEMA_VERSION);
    assert_non_null(strstr(err, expect));
    free(err);
    /* Options of a run report, and a database among others. */
    assert_int_equal(run("report %s/lhs.db -o %s/x.html --metric void_days", work, work), 2);
    err = page("stderr");
    assert_non_null(strstr(err, "--metric applies to run directories, not to a sweep's results "
                                "database"));
    free(err);
    assert_int_equal(run("report %s/lhs.db %s/grid.db -o %s/x.html", work, work, work), 2);
    char path[256];
    snprintf(path, sizeof path, "%s/x.html", work);
    assert_int_equal(access(path, F_OK), -1);
    /* An existing file that is not a report: refused without --force. */
    write_text("notes.html", "my notes\n");
    assert_int_equal(run("report %s/lhs.db -o %s/notes.html", work, work), 1);
    err = page("stderr");
    assert_non_null(strstr(err, "notes.html exists and is not a placesim report (--force "
                                "replaces it)"));
    free(err);
    char *kept = page("notes.html");
    assert_string_equal(kept, "my notes\n");
    free(kept);
    assert_int_equal(run("report %s/lhs.db -o %s/notes.html --force", work, work), 0);
    /* ... and a sweep report is replaced without it. */
    assert_int_equal(run("report %s/grid.db -o %s/notes.html", work, work), 0);
    kept = page("notes.html");
    assert_non_null(strstr(kept, "Sweep grid: what moves the results"));
    free(kept);
}

/* ---- the cost-benefit across points ---- */

/* `placesim compare DB --json` with extra options: its document. */
static json_t *compare_doc(const char *db_name, const char *extra)
{
    if (run("compare %s/%s %s --json %s/psa.json", work, db_name, extra, work) != 0) {
        char *err = test_read_in(work, "stderr");
        fail_msg("placesim compare %s: %s", db_name, err ? err : "?");
    }
    char path[256];
    snprintf(path, sizeof path, "%s/psa.json", work);
    json_t *doc = json_load_file(path, 0, NULL);
    assert_non_null(doc);
    return doc;
}

static double jnum(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The first occurrence of needle in [from, end), or NULL. */
static const char *find_before(const char *from, const char *needle, const char *end)
{
    const char *p = strstr(from, needle);
    return p && p < end ? p : NULL;
}

/* The row of measure key in the table that starts at table: its cells
 * after the row's heading. */
static void check_row(const char *table, const char *end, const char *key, const char *cells)
{
    char tr[64];
    snprintf(tr, sizeof tr, "<tr data-measure=\"%s\">", key);
    const char *row = find_before(table, tr, end);
    if (!row) fail_msg("no row %s", key);
    const char *row_end = strstr(row, "</tr>");
    const char *hit = strstr(row, cells);
    if (!hit || hit > row_end) fail_msg("row %s is not %s", key, cells);
}

/* A histogram's bars: every point of the document counted once, in the bar
 * whose [data-from, data-to) holds its value. */
static void check_histogram(const char *svg, const json_t *points, const char *measure)
{
    const char *end = strstr(svg, "</svg>");
    int counted = 0, finite = 0;
    for (const char *bar = find_before(svg, "class=\"mark bar\"", end); bar;
         bar = find_before(bar + 1, "class=\"mark bar\"", end)) {
        int n = -1;
        double from = NAN, to = NAN;
        assert_int_equal(sscanf(bar,
                                "class=\"mark bar\" data-count=\"%d\" data-from=\"%lf\" "
                                "data-to=\"%lf\"",
                                &n, &from, &to),
                         3);
        int inside = 0;
        size_t i;
        json_t *p;
        json_array_foreach(points, i, p)
        {
            double v = jnum(p, measure);
            inside += v >= from && v < to;
        }
        assert_int_equal(n, inside);
        counted += n;
    }
    size_t i;
    json_t *p;
    json_array_foreach(points, i, p) finite += isfinite(jnum(p, measure));
    assert_int_equal(counted, finite);
    assert_true(finite > 0);
}

/* "at K of N points (P%)" etc. with K counted from the document's points. */
static void check_headline(const char *part, const char *end, const json_t *arm,
                           const char *measure)
{
    const json_t *s = json_object_get(json_object_get(arm, "summary"), measure);
    size_t i;
    json_t *p;
    int k = 0, n = 0;
    json_array_foreach(json_object_get(arm, "points"), i, p)
    {
        double v = jnum(p, measure);
        k += v > 0;
        n += isfinite(v);
    }
    assert_true(fabs(jnum(s, "share_positive") * n - k) < 1e-9);
    char expect[400], mean[64], lo[64], hi[64], count_text[96];
    if (k == 0)
        snprintf(count_text, sizeof count_text, "at none of the %d points", n);
    else if (k == n)
        snprintf(count_text, sizeof count_text, "at every one of the %d points", n);
    else
        snprintf(count_text, sizeof count_text, "at %d of %d points (%.0f%%)", k, n, 100.0 * k / n);
    rfmt_number(jnum(s, "mean"), 1, mean, sizeof mean);
    rfmt_number(jnum(s, "p05"), 1, lo, sizeof lo);
    rfmt_number(jnum(s, "p95"), 1, hi, sizeof hi);
    snprintf(expect, sizeof expect, "%s</b>: mean %s, 90%% of points between %s and %s", count_text,
             mean, lo, hi);
    if (!find_before(part, expect, end)) fail_msg("not in the headline: %s", expect);
}

/* Each arm's part of the page shows the document's numbers. */
static void check_psa(const char *html, const json_t *doc)
{
    static const char *const keys[] = { "costs_pv",   "fiscal_benefits_pv", "social_benefits_pv",
                                        "npv_fiscal", "npv_total",          "bcr_fiscal",
                                        "bcr_total" };
    const char *section = strstr(html, "<section id=\"cost-benefit\">");
    assert_non_null(section);
    const char *section_end = strstr(section, "</section>");
    size_t a;
    json_t *arm;
    json_array_foreach(json_object_get(doc, "arms"), a, arm)
    {
        char heading[256];
        snprintf(heading, sizeof heading, "<h3>%s against %s",
                 json_string_value(json_object_get(arm, "arm")),
                 json_string_value(json_object_get(doc, "base")));
        const char *part = find_before(section, heading, section_end);
        if (!part) fail_msg("no part %s", heading);
        const char *end = find_before(part + 1, "<h3>", section_end);
        end = end ? end : section_end;
        const char *table = find_before(part, "<table class=\"psa\">", end);
        assert_non_null(table);
        for (int m = 0; m < 7; m++) {
            const json_t *x = json_object_get(json_object_get(arm, "summary"), keys[m]);
            int money = m < 5;
            char v[4][64], share[32], cells[512];
            const char *stat[] = { "mean", "p05", "p95", "sd" };
            for (int k = 0; k < 4; k++) rfmt_number(jnum(x, stat[k]), money, v[k], 64);
            rfmt_percent(jnum(x, "share_positive"), share, sizeof share);
            snprintf(cells, sizeof cells,
                     "</th><td class=\"num\">%s</td><td class=\"num\">%s to "
                     "%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">"
                     "%lld</td></tr>",
                     v[0], v[1], v[2], v[3], share,
                     (long long)json_integer_value(json_object_get(x, "n")));
            check_row(table, end, keys[m], cells);
        }
        const char *noise = find_before(part, "<table class=\"psa-noise\">", end);
        assert_non_null(noise);
        for (int m = 3; m < 5; m++) {
            char sd[64], se[64], cells[256];
            rfmt_number(jnum(json_object_get(json_object_get(arm, "summary"), keys[m]), "sd"), 1,
                        sd, sizeof sd);
            rfmt_number(jnum(json_object_get(arm, "replication_se_mean"), keys[m]), 1, se,
                        sizeof se);
            snprintf(cells, sizeof cells,
                     "</th><td class=\"num\">%s</td><td class=\"num\">%s"
                     "</td>",
                     sd, se);
            check_row(noise, end, keys[m], cells);
        }
        check_headline(part, end, arm, "npv_total");
        check_headline(part, end, arm, "npv_fiscal");
        /* Two histograms, NPV total then fiscal; a scatter per parameter (2 dots a point). */
        const char *tag = "<svg class=\"chart chart-histogram\"";
        const char *h1 = find_before(part, tag, end);
        assert_non_null(h1);
        const char *h2 = find_before(h1 + 1, tag, end);
        assert_non_null(h2);
        assert_null(find_before(h2 + 1, tag, end));
        const json_t *points = json_object_get(arm, "points");
        check_histogram(h1, points, "npv_total");
        check_histogram(h2, points, "npv_fiscal");
        assert_int_equal(count(h1, "class=\"mean\"", strstr(h1, "</svg>")), 1);
        tag = "<svg class=\"chart chart-npv\"";
        int charts = 0;
        for (const char *c = find_before(part, tag, end); c; c = find_before(c + 1, tag, end)) {
            assert_int_equal(count(c, "class=\"mark point\"", strstr(c, "</svg>")),
                             2 * (int)json_array_size(points));
            charts++;
        }
        assert_int_equal(charts, (int)json_array_size(json_object_get(doc, "parameters")));
    }
}

/* The page's cost-benefit is compare's, for the default window and for
 * another window and discount rate given to both. */
static void test_psa(void **state)
{
    (void)state;
    assert_int_equal(run("report %s/psa.db -o %s/psa.html", work, work), 0);
    char *html = page("psa.html");
    json_t *doc = compare_doc("psa.db", "");
    check_psa(html, doc);
    assert_non_null(strstr(html, "<a href=\"#cost-benefit\">"));
    assert_null(strstr(html, "id=\"no-cost-benefit\""));
    /* Parameter values for reading. */
    assert_non_null(strstr(html, "<td>uniform</td><td>300,000 to 1,050,000</td>"));
    assert_null(strstr(html, "e+0"));
    double default_mean = jnum(
        json_object_get(json_object_get(json_array_get(json_object_get(doc, "arms"), 0), "summary"),
                        "npv_total"),
        "mean");
    json_decref(doc);
    free(html);

    const char *window = "--from 2026/27 --to 2026/27 --discount 0.05";
    assert_int_equal(run("report %s/psa.db -o %s/psa_window.html %s", work, work, window), 0);
    html = page("psa_window.html");
    doc = compare_doc("psa.db", window);
    check_psa(html, doc);
    assert_non_null(strstr(html, "present values at 5% a year in 2026/27 (1 whole financial "
                                 "year; chosen with --from and --to)"));
    /* The options changed the figures, so the check above could tell. */
    assert_true(
        jnum(json_object_get(
                 json_object_get(json_array_get(json_object_get(doc, "arms"), 0), "summary"),
                 "npv_total"),
             "mean") != default_mean);
    json_decref(doc);
    free(html);
}

/* The grid has two arms and kept money: its page has the cost-benefit too;
 * a point with a failed run is skipped, listed with its reason (escaped). */
static void test_psa_grid_and_skipped(void **state)
{
    (void)state;
    char *html = page("grid.html"); /* written by test_grid */
    json_t *doc = compare_doc("grid.db", "");
    check_psa(html, doc);
    json_decref(doc);
    free(html);

    html = page("hostile.html"); /* written by test_escaping_and_failures */
    doc = compare_doc("hostile.db", "");
    const json_t *arm = json_array_get(json_object_get(doc, "arms"), 0);
    assert_int_equal(json_integer_value(json_object_get(arm, "points_skipped")), 1);
    const json_t *skip = json_array_get(json_object_get(arm, "skipped"), 0);
    const json_t *values = json_object_get(skip, "values");
    char a[64], b[64], expect[512];
    rfmt_number(json_number_value(json_array_get(values, 0)), 0, a, sizeof a);
    rfmt_number(json_number_value(json_array_get(values, 1)), 0, b, sizeof b);
    snprintf(expect, sizeof expect,
             "<li>point %lld (housing.repair_teams = %s, "
             "crime.patrol_effect = %s): arm borough replication 2 failed (&lt;script&gt;"
             "alert(1)&lt;/script&gt;)</li>",
             (long long)json_integer_value(json_object_get(skip, "point_id")), a, b);
    if (!strstr(html, expect)) fail_msg("not on the page: %s", expect);
    assert_non_null(strstr(html, "<b>1 point skipped</b>"));
    assert_non_null(strstr(html, "(5 points used, 1 skipped)"));
    json_decref(doc);
    free(html);
}

/* One arm, or no money kept: no cost-benefit, one line saying why; a
 * window or rate for such a sweep, or outside the runs, is refused. */
static void test_psa_absent(void **state)
{
    (void)state;
    char *html = page("lhs.html"); /* written by test_lhs */
    assert_non_null(strstr(html, "<p class=\"meta\" id=\"no-cost-benefit\">No cost-benefit: the "
                                 "sweep has one arm, and a cost-benefit compares an arm with a "
                                 "base.</p>"));
    assert_null(strstr(html, "id=\"cost-benefit\""));
    free(html);
    char command[512];
    snprintf(command, sizeof command, "cp %s/grid.db %s/no_money.db", work, work);
    assert_int_equal(system(command), 0);
    sqlite3 *db = open_db("no_money.db", SQLITE_OPEN_READWRITE);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE money; DROP TABLE run_years;", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(run("report %s/no_money.db -o %s/no_money.html", work, work), 0);
    html = page("no_money.html");
    assert_non_null(strstr(html, "No cost-benefit: the sweep kept no money (cost_benefit = "
                                 "false); set cost_benefit = true"));
    assert_null(strstr(html, "id=\"cost-benefit\""));
    free(html);
    /* Refusals: nothing written. */
    assert_int_equal(run("report %s/lhs.db -o %s/y.html --discount 0.05", work, work), 2);
    char *err = page("stderr");
    assert_non_null(strstr(err, "lhs.db: --discount applies to a sweep's cost-benefit, and this "
                                "one has none: the sweep has one arm"));
    free(err);
    assert_int_equal(run("report %s/no_money.db -o %s/y.html --from 2025/26", work, work), 2);
    err = page("stderr");
    assert_non_null(strstr(err, "no_money.db: --from applies to a sweep's cost-benefit"));
    free(err);
    assert_int_equal(run("report %s/psa.db -o %s/y.html --from 2020/21", work, work), 2);
    err = page("stderr");
    assert_non_null(strstr(err, "psa.db"));
    assert_non_null(strstr(err, "the window 2020/21 to "));
    free(err);
    assert_int_equal(run("report %s/psa.db -o %s/y.html --discount 2", work, work), 2);
    char path[256];
    snprintf(path, sizeof path, "%s/y.html", work);
    assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_lhs),
        cmocka_unit_test(test_saltelli),
        cmocka_unit_test(test_escaping_and_failures),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_psa),
        cmocka_unit_test(test_psa_grid_and_skipped),
        cmocka_unit_test(test_psa_absent),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
