/* sweep_store_schema.c — the results database's tables, the rows that
 * describe the sweep, and the results_wide view (README.md § "Sweep results
 * (SQLite)" is the contract; keep the two in step). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dates.h"
#include "sweep_store.h"
#include "sweep_store_internal.h"

#ifndef PLACESIM_VERSION
#define PLACESIM_VERSION "unknown"
#endif

/* ids are 0-based sweep indices, not rowids, so that a merged database has
 * the same rows as one written by a single process. */
static const char schema_sql[] =
    "CREATE TABLE sweep (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT, path TEXT, text TEXT,"
    " sha256 TEXT, program_version TEXT, master_seed TEXT, replications INTEGER, design TEXT,"
    " samples INTEGER, n_points INTEGER, n_arms INTEGER, shard TEXT, created TEXT,"
    " failed_runs INTEGER);\n"
    "CREATE TABLE parameters (param_id INTEGER PRIMARY KEY, key TEXT UNIQUE, column_name TEXT "
    "UNIQUE,"
    " whole INTEGER, distribution TEXT, min REAL, max REAL, mean REAL, sd REAL);\n"
    "CREATE TABLE arms (arm_id INTEGER PRIMARY KEY, name TEXT UNIQUE, scenario TEXT);\n"
    "CREATE TABLE points (point_id INTEGER PRIMARY KEY, seed TEXT,"
    " saltelli_sample INTEGER, saltelli_matrix TEXT, saltelli_column INTEGER);\n"
    "CREATE TABLE point_values (point_id INTEGER, param_id INTEGER, value REAL,"
    " PRIMARY KEY (point_id, param_id));\n"
    "CREATE TABLE outputs (output_id INTEGER PRIMARY KEY, name TEXT UNIQUE, metric TEXT, area TEXT,"
    " summary TEXT, from_year TEXT, to_year TEXT, date TEXT);\n"
    "CREATE TABLE runs (point_id INTEGER, arm_id INTEGER, replication INTEGER, seed TEXT,"
    " status TEXT CHECK (status IN ('ok','failed')), error TEXT, wall_seconds REAL, events INTEGER,"
    " PRIMARY KEY (point_id, arm_id, replication));\n"
    "CREATE TABLE summaries (point_id INTEGER, arm_id INTEGER, replication INTEGER, output_id "
    "INTEGER,"
    " value REAL, difference REAL, PRIMARY KEY (point_id, arm_id, replication, output_id));\n"
    /* "this summary across all points": output first, then arm and point. */
    "CREATE INDEX summaries_by_output ON summaries (output_id, arm_id, point_id);\n";

static const char series_sql[] =
    "CREATE TABLE series (point_id INTEGER, arm_id INTEGER, replication INTEGER, tick INTEGER,"
    " date TEXT, area TEXT, metric TEXT, value REAL);\n"
    /* A retried run replaces its rows; readers select runs. */
    "CREATE INDEX series_by_run ON series (point_id, arm_id, replication);\n";

/* A run's money by financial year (cost_benefit): its years, and the
 * cost_metrics.h values that are not 0 (an absent row is 0, which most
 * holders' spend and pool flows are in most years). Keys lead with the
 * run, so one point's rows are one index range. */
static const char money_sql[] =
    "CREATE TABLE run_years (point_id INTEGER, arm_id INTEGER, replication INTEGER, year TEXT,"
    " first_date TEXT, last_date TEXT, PRIMARY KEY (point_id, arm_id, replication, year))"
    " WITHOUT ROWID;\n"
    "CREATE TABLE money (point_id INTEGER, arm_id INTEGER, replication INTEGER, year TEXT,"
    " metric TEXT, value REAL, PRIMARY KEY (point_id, arm_id, replication, year, metric))"
    " WITHOUT ROWID;\n";

int sweep_store_schema_create(sqlite3 *db, int with_series, int with_money, const char *path,
                              char *err, size_t errlen)
{
    if (sweep_store_exec(db, schema_sql, path, "cannot create the tables", err, errlen) != 0)
        return -1;
    if (with_series &&
        sweep_store_exec(db, series_sql, path, "cannot create the series table", err, errlen) != 0)
        return -1;
    if (with_money &&
        sweep_store_exec(db, money_sql, path, "cannot create the money tables", err, errlen) != 0)
        return -1;
    return 0;
}

/* NaN (not given, or NA) is NULL: SQL aggregates then skip it. */
static int bind_real(sqlite3_stmt *st, int i, double v)
{
    return isnan(v) ? sqlite3_bind_null(st, i) : sqlite3_bind_double(st, i, v);
}

/* An empty or NULL text is NULL. */
static int bind_text(sqlite3_stmt *st, int i, const char *text)
{
    return text && *text ? sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT)
                         : sqlite3_bind_null(st, i);
}

/* Steps an INSERT once and resets it for the next row. */
static int insert_row(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int fill_sweep_row(sqlite3_stmt *st, const sweep *s, const char *shard)
{
    char seed[24], created[32];
    snprintf(seed, sizeof seed, "%" PRIu64, s->master_seed);
    sweep_store_now(created);
    int has_samples = s->design == SWEEP_LHS || s->design == SWEEP_SALTELLI;
    if (bind_text(st, 1, s->name) || bind_text(st, 2, s->path) || bind_text(st, 3, s->text) ||
        bind_text(st, 4, s->sha256) || bind_text(st, 5, PLACESIM_VERSION) ||
        bind_text(st, 6, seed) || sqlite3_bind_int64(st, 7, s->replications) ||
        bind_text(st, 8, sweep_design_name(s->design)) ||
        (has_samples ? sqlite3_bind_int64(st, 9, (sqlite3_int64)s->samples)
                     : sqlite3_bind_null(st, 9)) ||
        sqlite3_bind_int64(st, 10, (sqlite3_int64)s->n_points) ||
        sqlite3_bind_int64(st, 11, (sqlite3_int64)s->n_arms) || bind_text(st, 12, shard) ||
        bind_text(st, 13, created))
        return -1;
    return insert_row(st);
}

static int fill_parameters(sqlite3_stmt *st, const sweep *s)
{
    for (size_t i = 0; i < s->n_params; i++) {
        const sweep_parameter *p = &s->params[i];
        if (sqlite3_bind_int64(st, 1, (sqlite3_int64)i) || bind_text(st, 2, p->key) ||
            bind_text(st, 3, p->column) || sqlite3_bind_int(st, 4, p->whole != 0) ||
            bind_text(st, 5, sweep_distribution_name(p->distribution)) ||
            bind_real(st, 6, p->min) || bind_real(st, 7, p->max) || bind_real(st, 8, p->mean) ||
            bind_real(st, 9, p->sd) || insert_row(st))
            return -1;
    }
    return 0;
}

static int fill_arms(sqlite3_stmt *st, const sweep *s)
{
    for (size_t i = 0; i < s->n_arms; i++) {
        if (sqlite3_bind_int64(st, 1, (sqlite3_int64)i) || bind_text(st, 2, s->arms[i].name) ||
            bind_text(st, 3, s->arms[i].scenario_path) || insert_row(st))
            return -1;
    }
    return 0;
}

/* Each point's seed is stored so a run can be reproduced by hand
 * (`placesim run ARM --set ... --seed S`); as text, being 64-bit unsigned. */
static int fill_points(sqlite3_stmt *st, const sweep *s)
{
    for (size_t p = 0; p < s->n_points; p++) {
        char seed[24];
        snprintf(seed, sizeof seed, "%" PRIu64, sweep_run_master_seed(s, p));
        int saltelli = s->saltelli_sample && s->saltelli_matrix && s->saltelli_column;
        char matrix[2] = { saltelli ? s->saltelli_matrix[p] : 0, 0 };
        if (sqlite3_bind_int64(st, 1, (sqlite3_int64)p) || bind_text(st, 2, seed) ||
            (saltelli ? sqlite3_bind_int64(st, 3, (sqlite3_int64)s->saltelli_sample[p])
                      : sqlite3_bind_null(st, 3)) ||
            bind_text(st, 4, matrix) ||
            (saltelli ? sqlite3_bind_int(st, 5, s->saltelli_column[p])
                      : sqlite3_bind_null(st, 5)) ||
            insert_row(st))
            return -1;
    }
    return 0;
}

static int fill_point_values(sqlite3_stmt *st, const sweep *s)
{
    for (size_t p = 0; p < s->n_points; p++)
        for (size_t k = 0; k < s->n_params; k++)
            if (sqlite3_bind_int64(st, 1, (sqlite3_int64)p) ||
                sqlite3_bind_int64(st, 2, (sqlite3_int64)k) ||
                bind_real(st, 3, s->points[p * s->n_params + k]) || insert_row(st))
                return -1;
    return 0;
}

static int fill_outputs(sqlite3_stmt *st, const sweep *s)
{
    for (size_t i = 0; i < s->n_outputs; i++) {
        const sweep_output *o = &s->outputs[i];
        char date[11] = "";
        if (o->summary == SWEEP_VALUE_AT) date_format(o->date, date);
        if (sqlite3_bind_int64(st, 1, (sqlite3_int64)i) || bind_text(st, 2, o->name) ||
            bind_text(st, 3, o->metric) || bind_text(st, 4, o->area ? o->area : "ALL") ||
            bind_text(st, 5, sweep_summary_name(o->summary)) || bind_text(st, 6, o->from_year) ||
            bind_text(st, 7, o->to_year) || bind_text(st, 8, date) || insert_row(st))
            return -1;
    }
    return 0;
}

int sweep_store_schema_fill(sqlite3 *db, const sweep *s, const char *shard, const char *path,
                            char *err, size_t errlen)
{
    static const struct {
        const char *table, *sql;
    } inserts[] = {
        { "sweep", "INSERT INTO sweep VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)" },
        { "parameters", "INSERT INTO parameters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" },
        { "arms", "INSERT INTO arms VALUES (?, ?, ?)" },
        { "points", "INSERT INTO points VALUES (?, ?, ?, ?, ?)" },
        { "point_values", "INSERT INTO point_values VALUES (?, ?, ?)" },
        { "outputs", "INSERT INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)" },
    };
    for (size_t i = 0; i < sizeof inserts / sizeof inserts[0]; i++) {
        sqlite3_stmt *st = NULL;
        char what[64];
        snprintf(what, sizeof what, "cannot write the %s rows", inserts[i].table);
        if (sqlite3_prepare_v2(db, inserts[i].sql, -1, &st, NULL) != SQLITE_OK)
            return sweep_store_sql_error(err, errlen, path, what, db);
        int rc = i == 0   ? fill_sweep_row(st, s, shard)
                 : i == 1 ? fill_parameters(st, s)
                 : i == 2 ? fill_arms(st, s)
                 : i == 3 ? fill_points(st, s)
                 : i == 4 ? fill_point_values(st, s)
                          : fill_outputs(st, s);
        if (rc != 0) {
            sweep_store_sql_error(err, errlen, path, what, db);
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_finalize(st);
    }
    char version[64];
    snprintf(version, sizeof version, "PRAGMA user_version = %d", SWEEP_STORE_SCHEMA_VERSION);
    return sweep_store_exec(db, version, path, "cannot set the schema version", err, errlen);
}

/* Two view columns whose names differ only in case would be one to SQL
 * (and SQLite would silently rename the second): refuse them, and empty
 * names, before building the view. */
static const char clash_sql[] =
    "WITH cols(name) AS (VALUES ('point_id'), ('arm'), ('replication'), ('seed'), ('status')"
    " UNION ALL SELECT column_name FROM parameters UNION ALL SELECT name FROM outputs"
    " UNION ALL SELECT name || '_diff' FROM outputs WHERE (SELECT count(*) FROM arms) > 1)"
    " SELECT group_concat(coalesce(name, ''), ''' and '''), count(*) FROM cols GROUP BY lower(name)"
    " HAVING count(*) > 1 OR coalesce(name, '') = '' LIMIT 1";

static int check_column_names(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, clash_sql, -1, &st, NULL) != SQLITE_OK)
        return sweep_store_sql_error(err, errlen, path, "cannot check the view's columns", db);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *name = sqlite3_column_text(st, 0);
        if (!name || !*name)
            sweep_store_error(err, errlen, "%s: a parameter or output has an empty column name",
                              path);
        else
            sweep_store_error(err, errlen,
                              "%s: results_wide would have columns '%s', one name to SQL (names "
                              "ignore case; give the output another name)",
                              path, (const char *)name);
        sqlite3_finalize(st);
        return -1;
    }
    if (rc != SQLITE_DONE) {
        sweep_store_sql_error(err, errlen, path, "cannot check the view's columns", db);
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

/* Appends one column per row of `select` (id, name): the correlated
 * subquery `value` formatted with the id, named name + suffix. Correlated
 * subqueries rather than joins: each is one primary-key lookup, and SQLite
 * joins at most 64 tables. */
static int append_columns(sqlite3 *db, sqlite3_str *q, const char *select, const char *value,
                          const char *suffix)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, select, -1, &st, NULL) != SQLITE_OK) return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_str_appendf(q, ",\n  (%s%lld) AS \"%w%s\"", value,
                            (long long)sqlite3_column_int64(st, 0),
                            (const char *)sqlite3_column_text(st, 1), suffix);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sweep_store_schema_view(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    if (check_column_names(db, path, err, errlen) != 0) return -1;
    sqlite3_stmt *st = NULL;
    int n_arms = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM arms", -1, &st, NULL) != SQLITE_OK)
        return sweep_store_sql_error(err, errlen, path, "cannot count the arms", db);
    if (sqlite3_step(st) == SQLITE_ROW) n_arms = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);

    static const char summary_of_run[] =
        " FROM summaries s WHERE s.point_id = r.point_id AND s.arm_id = r.arm_id"
        " AND s.replication = r.replication AND s.output_id = ";
    char value[256], difference[256];
    snprintf(value, sizeof value, "SELECT s.value%s", summary_of_run);
    snprintf(difference, sizeof difference, "SELECT s.difference%s", summary_of_run);

    sqlite3_str *q = sqlite3_str_new(db);
    sqlite3_str_appendall(q, "CREATE VIEW results_wide AS SELECT r.point_id, a.name AS arm,"
                             " r.replication, r.seed, r.status");
    int rc = append_columns(db, q, "SELECT param_id, column_name FROM parameters ORDER BY param_id",
                            "SELECT v.value FROM point_values v WHERE v.point_id = r.point_id"
                            " AND v.param_id = ",
                            "");
    if (rc == 0)
        rc = append_columns(db, q, "SELECT output_id, name FROM outputs ORDER BY output_id", value,
                            "");
    if (rc == 0 && n_arms > 1)
        rc = append_columns(db, q, "SELECT output_id, name FROM outputs ORDER BY output_id",
                            difference, "_diff");
    /* Rows in run order whatever order the runs finished in. */
    sqlite3_str_appendall(q, "\nFROM runs r JOIN arms a USING (arm_id)"
                             "\nORDER BY r.point_id, r.arm_id, r.replication");
    int str_rc = sqlite3_str_errcode(q);
    char *sql = sqlite3_str_finish(q);
    if (rc != 0 || str_rc != SQLITE_OK || !sql) {
        sqlite3_free(sql);
        if (str_rc == SQLITE_NOMEM || (rc == 0 && !sql))
            return sweep_store_error(err, errlen,
                                     "%s: cannot build the results_wide view: "
                                     "out of memory",
                                     path);
        return sweep_store_sql_error(err, errlen, path, "cannot build the results_wide view", db);
    }
    rc = sweep_store_exec(db, sql, path, "cannot create the results_wide view", err, errlen);
    sqlite3_free(sql);
    return rc;
}
