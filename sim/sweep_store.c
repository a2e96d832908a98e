/* sweep_store.c — opening the results database, recording runs, closing.
 *
 * Durability: WAL with synchronous=FULL. In WAL mode a commit is appended to
 * the -wal file before sqlite3_step returns, so a SIGKILL after it loses
 * nothing and a SIGKILL before it loses that run only (it is rolled back on
 * the next open); FULL also fsyncs the WAL at each commit, so a committed
 * run survives a power cut or kernel crash, which NORMAL does not promise.
 * The cost is one fsync per run, small beside a run's own seconds. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cost_metrics.h"
#include "dates.h"
#include "output.h"
#include "recorder.h"
#include "sweep_money.h"
#include "sweep_store.h"
#include "sweep_store_internal.h"

/* Long enough for a reader (the sqlite3 shell, pandas) holding a lock on
 * a checkpoint; a sweep that still finds the database busy then fails. */
enum { STORE_BUSY_TIMEOUT_MS = 30000 };

enum store_statement {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_DONE,
    ST_RUN,
    ST_SUMMARY_DELETE,
    ST_SUMMARY,
    ST_SERIES_DELETE,
    ST_SERIES,
    ST_YEARS_DELETE,
    ST_YEAR,
    ST_MONEY_DELETE,
    ST_MONEY,
    ST_COUNT
};

/* Prepared once, reused for every run. */
static const char *const statement_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_DONE] = "SELECT 1 FROM runs WHERE point_id = ?1 AND arm_id = ?2 AND replication = ?3"
                " AND status = 'ok'",
    [ST_RUN] = "INSERT OR REPLACE INTO runs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_SUMMARY_DELETE] = "DELETE FROM summaries WHERE point_id = ?1 AND arm_id = ?2"
                          " AND replication = ?3",
    [ST_SUMMARY] = "INSERT INTO summaries VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_SERIES_DELETE] = "DELETE FROM series WHERE point_id = ?1 AND arm_id = ?2"
                         " AND replication = ?3",
    [ST_SERIES] = "INSERT INTO series VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_YEARS_DELETE] = "DELETE FROM run_years WHERE point_id = ?1 AND arm_id = ?2"
                        " AND replication = ?3",
    [ST_YEAR] = "INSERT INTO run_years VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_MONEY_DELETE] = "DELETE FROM money WHERE point_id = ?1 AND arm_id = ?2"
                        " AND replication = ?3",
    [ST_MONEY] = "INSERT INTO money VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

struct sweep_store {
    sqlite3 *db;
    char *path;
    size_t n_points, n_arms, n_outputs;
    unsigned replications;
    int keep_series, keep_money;
    cost_metrics money_metrics; /* keep_money: the money table's metrics */
    sqlite3_stmt *stmt[ST_COUNT];
    /* Error-checking, so that a thread holding it (between record_series
     * and record) is told so instead of deadlocking. */
    pthread_mutex_t lock;
    /* Set while a series transaction waits for its run's record. */
    int series_open;
    size_t series_point, series_arm;
    unsigned series_replication;
};

/* ---- helpers shared with the schema and merge ---- */

int sweep_store_error(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sweep_store_sql_error(char *err, size_t errlen, const char *path, const char *what, sqlite3 *db)
{
    const char *why = db ? sqlite3_errmsg(db) : "out of memory";
    return sweep_store_error(err, errlen, "%s: %s: %s", path, what, why);
}

int sweep_store_exec(sqlite3 *db, const char *sql, const char *path, const char *what, char *err,
                     size_t errlen)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sweep_store_sql_error(err, errlen, path, what, db);
    return 0;
}

int sweep_store_pragmas(sqlite3 *db, const char *path, const char *synchronous, char *err,
                        size_t errlen)
{
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK)
        return sweep_store_sql_error(err, errlen, path, "cannot set WAL mode", db);
    int rc = sqlite3_step(st);
    const unsigned char *mode = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    int wal = mode && strcmp((const char *)mode, "wal") == 0;
    if (!wal) {
        if (rc == SQLITE_ROW)
            sweep_store_error(err, errlen,
                              "%s: cannot use WAL mode (a network file system? "
                              "write to a local disk, then merge)",
                              path);
        else
            sweep_store_sql_error(err, errlen, path, "cannot set WAL mode", db);
    }
    sqlite3_finalize(st);
    if (!wal) return -1;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA synchronous = %s", synchronous);
    return sweep_store_exec(db, sql, path, "cannot set synchronous", err, errlen);
}

int sweep_store_create_file(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return sweep_store_error(err, errlen, "%s: cannot create: %s", path, strerror(errno));
    close(fd);
    return 0;
}

void sweep_store_remove_files(const char *path)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    size_t n = strlen(path);
    char *name = malloc(n + 16);
    if (!name) {
        unlink(path);
        return;
    }
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(name, n + 16, "%s%s", path, suffixes[i]);
        unlink(name);
    }
    free(name);
}

void sweep_store_now(char buf[32])
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm)) strcpy(buf, "");
}

/* ---- open ---- */

static void store_free(sweep_store *st)
{
    for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(st->stmt[i]);
    sqlite3_close(st->db);
    pthread_mutex_destroy(&st->lock);
    cost_metrics_free(&st->money_metrics);
    free(st->path);
    free(st);
}

/* Nonzero when the database holds no table at all: a new file, or one left
 * by a sweep killed before its creation committed. */
static int is_empty_database(sqlite3 *db, int *empty)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) *empty = sqlite3_column_int64(q, 0) == 0;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int create_contents(sweep_store *st, const sweep *s, const char *shard, char *err,
                           size_t errlen)
{
    if (sweep_store_exec(st->db, "BEGIN IMMEDIATE", st->path, "cannot begin", err, errlen) != 0)
        return -1;
    if (sweep_store_schema_create(st->db, s->keep_series, s->keep_money, st->path, err, errlen) !=
            0 ||
        sweep_store_schema_fill(st->db, s, shard, st->path, err, errlen) != 0 ||
        sweep_store_schema_view(st->db, st->path, err, errlen) != 0 ||
        sweep_store_exec(st->db, "COMMIT", st->path, "cannot commit", err, errlen) != 0) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

static const char *shard_text(const char *shard)
{
    return shard && *shard ? shard : "none (whole sweep)";
}

/* A reopened database must hold this schema version, this sweep, this shard
 * (a merged one stands for the whole sweep) and runs made by this version of
 * placesim: another version may draw differently (0.2.0 changed the random
 * draws), and a resumed sweep would mix its runs with ours. */
static int check_existing(sweep_store *st, const sweep *s, const char *shard, char *err,
                          size_t errlen)
{
    sqlite3_stmt *q = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return sweep_store_sql_error(err, errlen, st->path, "cannot read it", st->db);
    if (sqlite3_step(q) == SQLITE_ROW) version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (version != SWEEP_STORE_SCHEMA_VERSION)
        return sweep_store_error(err, errlen,
                                 "%s: not a placesim sweep database of schema "
                                 "version %d (user_version %d)",
                                 st->path, SWEEP_STORE_SCHEMA_VERSION, version);
    if (sqlite3_prepare_v2(st->db,
                           "SELECT sha256, name, shard, program_version FROM sweep WHERE id = 1",
                           -1, &q, NULL) != SQLITE_OK)
        return sweep_store_sql_error(err, errlen, st->path, "not a placesim sweep database",
                                     st->db);
    int rc = sqlite3_step(q), ok = -1;
    if (rc != SQLITE_ROW) {
        sweep_store_error(err, errlen, "%s: not a placesim sweep database (no sweep row)",
                          st->path);
    } else {
        const char *sha = (const char *)sqlite3_column_text(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        const char *db_shard = (const char *)sqlite3_column_text(q, 2);
        const char *db_version = (const char *)sqlite3_column_text(q, 3);
        int merged = db_shard && strncmp(db_shard, "merged", 6) == 0;
        int same_shard = (!db_shard && !(shard && *shard)) ||
                         (db_shard && shard && strcmp(db_shard, shard) == 0) ||
                         (merged && !(shard && *shard));
        if (!sha || strcmp(sha, s->sha256) != 0)
            sweep_store_error(err, errlen,
                              "%s: made from another sweep ('%s', sha256 %s), not "
                              "this one ('%s' %s, sha256 %s); --resume continues only the same "
                              "sweep",
                              st->path, name ? name : "", sha ? sha : "none",
                              s->name ? s->name : "", s->path ? s->path : "", s->sha256);
        else if (!same_shard)
            sweep_store_error(err, errlen, "%s: holds shard %s, not shard %s", st->path,
                              shard_text(db_shard), shard_text(shard));
        else if (!db_version || strcmp(db_version, PLACESIM_VERSION) != 0)
            sweep_store_error(err, errlen,
                              "%s: its runs were made by placesim %s, not this placesim %s, "
                              "whose random draws may differ; --resume continues only a sweep "
                              "of the same version (start it again under a new name)",
                              st->path, db_version ? db_version : "(unknown)", PLACESIM_VERSION);
        else
            ok = 0;
    }
    sqlite3_finalize(q);
    return ok;
}

static int prepare_statements(sweep_store *st, char *err, size_t errlen)
{
    for (int i = 0; i < ST_COUNT; i++) {
        if (!st->keep_series && (i == ST_SERIES || i == ST_SERIES_DELETE)) continue;
        if (!st->keep_money && i >= ST_YEARS_DELETE && i <= ST_MONEY) continue;
        if (sqlite3_prepare_v3(st->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &st->stmt[i], NULL) != SQLITE_OK)
            return sweep_store_sql_error(err, errlen, st->path, "cannot prepare", st->db);
    }
    return 0;
}

int sweep_store_open(const char *path, const sweep *s, const char *shard, int resume,
                     sweep_store **out, char *err, size_t errlen)
{
    if (out) *out = NULL;
    if (!path || !*path || !s || !out)
        return sweep_store_error(err, errlen, "sweep_store_open: no path, sweep or result");
    struct stat sb;
    int exists = stat(path, &sb) == 0, created = 0;
    if (exists && !resume)
        return sweep_store_error(err, errlen,
                                 "%s: already exists (--resume continues it; or "
                                 "choose another file)",
                                 path);
    if (exists && !S_ISREG(sb.st_mode))
        return sweep_store_error(err, errlen, "%s: not a regular file", path);
    if (!exists) {
        if (sweep_store_create_file(path, err, errlen) != 0) return -1;
        created = 1;
    }
    sweep_store *st = calloc(1, sizeof *st);
    char *path_copy = st ? malloc(strlen(path) + 1) : NULL;
    pthread_mutexattr_t attr;
    int attr_ok = st && path_copy && pthread_mutexattr_init(&attr) == 0;
    if (!attr_ok || pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK) != 0 ||
        pthread_mutex_init(&st->lock, &attr) != 0) {
        if (attr_ok) pthread_mutexattr_destroy(&attr);
        free(path_copy);
        free(st);
        if (created) sweep_store_remove_files(path);
        return sweep_store_error(err, errlen, "%s: out of memory", path);
    }
    pthread_mutexattr_destroy(&attr);
    st->path = strcpy(path_copy, path);
    st->n_points = s->n_points;
    st->n_arms = s->n_arms;
    st->n_outputs = s->n_outputs;
    st->replications = s->replications;
    st->keep_series = s->keep_series;
    st->keep_money = s->keep_money;
    if (st->keep_money && cost_metrics_list(&st->money_metrics) != 0) {
        store_free(st);
        if (created) sweep_store_remove_files(path);
        return sweep_store_error(err, errlen, "%s: out of memory", path);
    }

    int rc = -1, empty = 0;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sweep_store_sql_error(err, errlen, path, "cannot open", st->db);
    } else if (is_empty_database(st->db, &empty) != 0) {
        sweep_store_sql_error(err, errlen, path, "cannot read it", st->db);
    } else if (sweep_store_pragmas(st->db, path, "FULL", err, errlen) == 0) {
        if (empty)
            rc = create_contents(st, s, shard, err, errlen);
        else
            rc = check_existing(st, s, shard, err, errlen);
        if (rc == 0) rc = prepare_statements(st, err, errlen);
    }
    if (rc != 0) {
        store_free(st);
        if (created) sweep_store_remove_files(path);
        return -1;
    }
    *out = st;
    return 0;
}

/* ---- runs ---- */

/* Locks the store, or finds it already locked by this thread's open series
 * transaction (*held). 0 or -1. */
static int store_lock(sweep_store *st, int *held)
{
    int rc = pthread_mutex_lock(&st->lock);
    *held = rc == EDEADLK;
    return rc == 0 || rc == EDEADLK ? 0 : -1;
}

static int step_reset(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc;
}

/* The API counts replications from 0, as the runner's loops do; the
 * database counts them from 1, as series.csv, years.csv and `placesim run`
 * do, so that replication r of a point is replication r of `placesim run
 * --seed <points.seed>`. */
static int bind_run_key(sqlite3_stmt *q, size_t point, size_t arm, unsigned replication)
{
    return sqlite3_bind_int64(q, 1, (sqlite3_int64)point) ||
           sqlite3_bind_int64(q, 2, (sqlite3_int64)arm) ||
           sqlite3_bind_int64(q, 3, (sqlite3_int64)replication + 1);
}

static int bind_real(sqlite3_stmt *q, int i, const double *v)
{
    return !v || isnan(*v) ? sqlite3_bind_null(q, i) : sqlite3_bind_double(q, i, *v);
}

int sweep_store_done(sweep_store *st, size_t point, size_t arm, unsigned replication)
{
    int held;
    if (!st || store_lock(st, &held) != 0) return 0;
    sqlite3_stmt *q = st->stmt[ST_DONE];
    int done = bind_run_key(q, point, arm, replication) == SQLITE_OK && step_reset(q) == SQLITE_ROW;
    if (!held) pthread_mutex_unlock(&st->lock);
    return done;
}

static int check_run(const sweep_store *st, const sweep_run_record *r, char *err, size_t errlen)
{
    if (r->point >= st->n_points || r->arm >= st->n_arms || r->replication >= st->replications)
        return sweep_store_error(err, errlen,
                                 "%s: run (point %zu, arm %zu, replication %u) is "
                                 "outside the sweep (%zu points, %zu arms, %u replications)",
                                 st->path, r->point, r->arm, r->replication + 1, st->n_points,
                                 st->n_arms, st->replications);
    if (r->ok && st->n_outputs && !r->values)
        return sweep_store_error(err, errlen,
                                 "%s: run (point %zu, arm %zu, replication %u) "
                                 "has no summary values",
                                 st->path, r->point, r->arm, r->replication + 1);
    if (r->ok && st->keep_money && (!r->money || r->money->n_metrics != st->money_metrics.n))
        return sweep_store_error(err, errlen,
                                 "%s: run (point %zu, arm %zu, replication %u) "
                                 "has no money by year, which this sweep keeps",
                                 st->path, r->point, r->arm, r->replication + 1);
    return 0;
}

/* Deletes the rows of the run that statement q (a *_DELETE) holds. */
static int delete_run_rows(sqlite3_stmt *q, const sweep_run_record *r)
{
    int rc = bind_run_key(q, r->point, r->arm, r->replication);
    return rc != SQLITE_OK ? rc : step_reset(q);
}

/* The run's run_years rows and its non-zero money rows (sweep_money.h). */
static int write_money(sweep_store *st, const sweep_run_record *r)
{
    const sweep_run_money *m = r->money;
    int rc = SQLITE_DONE;
    for (size_t y = 0; y < m->n_years && rc == SQLITE_DONE; y++) {
        char label[8], first[11], last[11];
        years_format_label(m->first_day[y], label);
        date_format(m->first_day[y], first);
        date_format(m->last_day[y], last);
        sqlite3_stmt *q = st->stmt[ST_YEAR];
        rc = bind_run_key(q, r->point, r->arm, r->replication) ||
             sqlite3_bind_text(q, 4, label, -1, SQLITE_TRANSIENT) ||
             sqlite3_bind_text(q, 5, first, -1, SQLITE_TRANSIENT) ||
             sqlite3_bind_text(q, 6, last, -1, SQLITE_TRANSIENT);
        rc = rc != SQLITE_OK ? rc : step_reset(q);
        q = st->stmt[ST_MONEY];
        for (size_t k = 0; k < m->n_metrics && rc == SQLITE_DONE; k++) {
            const double *v = &m->value[y * m->n_metrics + k];
            if (!m->declared[k] || *v == 0) continue;
            rc = bind_run_key(q, r->point, r->arm, r->replication) ||
                 sqlite3_bind_text(q, 4, label, -1, SQLITE_TRANSIENT) ||
                 sqlite3_bind_text(q, 5, st->money_metrics.names[k], -1, SQLITE_STATIC) ||
                 bind_real(q, 6, v);
            rc = rc != SQLITE_OK ? rc : step_reset(q);
        }
    }
    return rc;
}

/* The run's rows, inside the open transaction. SQLite status. */
static int write_run(sweep_store *st, const sweep_run_record *r)
{
    char seed[24];
    snprintf(seed, sizeof seed, "%" PRIu64, r->seed);
    sqlite3_stmt *q = st->stmt[ST_RUN];
    sqlite3_int64 events = r->events > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)r->events;
    int rc = bind_run_key(q, r->point, r->arm, r->replication) ||
             sqlite3_bind_text(q, 4, seed, -1, SQLITE_TRANSIENT) ||
             sqlite3_bind_text(q, 5, r->ok ? "ok" : "failed", -1, SQLITE_STATIC) ||
             (r->ok || !r->error ? sqlite3_bind_null(q, 6)
                                 : sqlite3_bind_text(q, 6, r->error, -1, SQLITE_TRANSIENT)) ||
             bind_real(q, 7, &r->wall_seconds) || sqlite3_bind_int64(q, 8, events);
    if (rc != SQLITE_OK || (rc = step_reset(q)) != SQLITE_DONE) return rc;
    /* A retried run replaces whatever an earlier attempt left. */
    q = st->stmt[ST_SUMMARY_DELETE];
    if ((rc = bind_run_key(q, r->point, r->arm, r->replication)) != SQLITE_OK ||
        (rc = step_reset(q)) != SQLITE_DONE)
        return rc;
    if (st->keep_series && !st->series_open) {
        q = st->stmt[ST_SERIES_DELETE];
        if ((rc = bind_run_key(q, r->point, r->arm, r->replication)) != SQLITE_OK ||
            (rc = step_reset(q)) != SQLITE_DONE)
            return rc;
    }
    if (st->keep_money && ((rc = delete_run_rows(st->stmt[ST_YEARS_DELETE], r)) != SQLITE_DONE ||
                           (rc = delete_run_rows(st->stmt[ST_MONEY_DELETE], r)) != SQLITE_DONE))
        return rc;
    if (!r->ok) return SQLITE_DONE;
    if (st->keep_money && (rc = write_money(st, r)) != SQLITE_DONE) return rc;
    q = st->stmt[ST_SUMMARY];
    for (size_t i = 0; i < st->n_outputs; i++) {
        if ((rc = bind_run_key(q, r->point, r->arm, r->replication)) != SQLITE_OK ||
            (rc = sqlite3_bind_int64(q, 4, (sqlite3_int64)i)) != SQLITE_OK ||
            (rc = bind_real(q, 5, &r->values[i])) != SQLITE_OK ||
            (rc = bind_real(q, 6, r->differences ? &r->differences[i] : NULL)) != SQLITE_OK ||
            (rc = step_reset(q)) != SQLITE_DONE)
            return rc;
    }
    return SQLITE_DONE;
}

/* Ends the run's transaction (commit or rollback) and unlocks. */
static int finish(sweep_store *st, int commit, const sweep_run_record *r, char *err, size_t errlen)
{
    int rc = 0;
    if (commit && step_reset(st->stmt[ST_COMMIT]) != SQLITE_DONE) {
        rc = sweep_store_error(err, errlen,
                               "%s: cannot commit run (point %zu, arm %zu, "
                               "replication %u): %s",
                               st->path, r->point, r->arm, r->replication + 1,
                               sqlite3_errmsg(st->db));
        commit = 0;
    }
    if (!commit && sqlite3_get_autocommit(st->db) == 0) step_reset(st->stmt[ST_ROLLBACK]);
    st->series_open = 0;
    pthread_mutex_unlock(&st->lock);
    return rc;
}

int sweep_store_record(sweep_store *st, const sweep_run_record *r, char *err, size_t errlen)
{
    if (!st || !r) return sweep_store_error(err, errlen, "sweep_store_record: no store or run");
    int held;
    if (store_lock(st, &held) != 0)
        return sweep_store_error(err, errlen, "%s: cannot lock the store", st->path);
    if (held && !st->series_open)
        return sweep_store_error(err, errlen, "%s: store locked by this thread", st->path);
    if (check_run(st, r, err, errlen) != 0) {
        finish(st, 0, r, NULL, 0);
        return -1;
    }
    if (st->series_open && (st->series_point != r->point || st->series_arm != r->arm ||
                            st->series_replication != r->replication)) {
        sweep_store_error(err, errlen,
                          "%s: run (point %zu, arm %zu, replication %u) recorded "
                          "after the series of another run",
                          st->path, r->point, r->arm, r->replication + 1);
        finish(st, 0, r, NULL, 0);
        return -1;
    }
    int rc = SQLITE_DONE;
    if (!st->series_open) rc = step_reset(st->stmt[ST_BEGIN]);
    if (rc == SQLITE_DONE) rc = write_run(st, r);
    if (rc != SQLITE_DONE) {
        sweep_store_error(err, errlen,
                          "%s: cannot record run (point %zu, arm %zu, replication "
                          "%u): %s",
                          st->path, r->point, r->arm, r->replication + 1, sqlite3_errmsg(st->db));
        finish(st, 0, r, NULL, 0);
        return -1;
    }
    return finish(st, 1, r, err, errlen);
}

/* One series row; SQLite status. */
static int put_series_row(sqlite3_stmt *q, const sweep_run_record *r, int64_t tick,
                          const char *date, const char *area, const char *metric, double value)
{
    int rc = bind_run_key(q, r->point, r->arm, r->replication) || sqlite3_bind_int64(q, 4, tick) ||
             sqlite3_bind_text(q, 5, date, -1, SQLITE_TRANSIENT) ||
             sqlite3_bind_text(q, 6, area, -1, SQLITE_STATIC) ||
             sqlite3_bind_text(q, 7, metric, -1, SQLITE_STATIC) || bind_real(q, 8, &value);
    return rc != SQLITE_OK ? rc : step_reset(q);
}

/* The rows series.csv holds (output.c, series_write_replication): each
 * period's rows for every area then ALL, and the quarterly metrics' ALL
 * rows merged in by day. */
static int write_series(sweep_store *st, const sweep_run_record *r, const recorder *rec,
                        int64_t start_day)
{
    sqlite3_stmt *q = st->stmt[ST_SERIES];
    size_t A = recorder_n_areas(rec), M = recorder_n_metrics(rec), P = recorder_n_periods(rec);
    size_t *cursor = calloc(M ? M : 1, sizeof *cursor);
    if (!cursor) return SQLITE_NOMEM;
    int rc = SQLITE_DONE;
    for (size_t p = 0; rc == SQLITE_DONE;) {
        int64_t day = p < P ? recorder_period_last_day(rec, p) : INT64_MAX, qday;
        double v;
        for (size_t m = 0; m < M; m++) {
            if (cursor[m] < recorder_n_quarters(rec, (int)m)) {
                recorder_quarter_row(rec, (int)m, cursor[m], &qday, &v);
                if (qday < day) day = qday;
            }
        }
        if (day == INT64_MAX) break;
        int period_ends = p < P && recorder_period_last_day(rec, p) == day;
        char date[11];
        date_format(day, date);
        for (size_t a = 0; a <= A && rc == SQLITE_DONE; a++) {
            if (a < A && !period_ends) continue;
            const char *area = recorder_area_name(rec, a);
            for (size_t m = 0; m < M && rc == SQLITE_DONE; m++) {
                const metric_spec *spec = recorder_metric(rec, (int)m);
                if (spec->quarterly) {
                    if (a < A || cursor[m] >= recorder_n_quarters(rec, (int)m)) continue;
                    recorder_quarter_row(rec, (int)m, cursor[m], &qday, &v);
                    if (qday != day) continue;
                    cursor[m]++;
                    rc = put_series_row(q, r, day - start_day, date, area, spec->name, v);
                } else if (period_ends && !(a < A && spec->all_only)) {
                    rc = put_series_row(q, r, day - start_day, date, area, spec->name,
                                        recorder_value(rec, p, a, (int)m));
                }
            }
        }
        if (period_ends) p++;
    }
    free(cursor);
    return rc;
}

int sweep_store_record_series(sweep_store *st, const sweep_run_record *r,
                              const struct recorder *rec, int64_t start_day, char *err,
                              size_t errlen)
{
    if (!st || !r || !rec)
        return sweep_store_error(err, errlen,
                                 "sweep_store_record_series: no store, run or "
                                 "recorder");
    if (!st->keep_series)
        return sweep_store_error(err, errlen, "%s: this sweep keeps no series", st->path);
    int held;
    if (store_lock(st, &held) != 0)
        return sweep_store_error(err, errlen, "%s: cannot lock the store", st->path);
    if (held)
        return sweep_store_error(err, errlen,
                                 "%s: series of run (point %zu, arm %zu, "
                                 "replication %u) before the previous run was recorded",
                                 st->path, r->point, r->arm, r->replication + 1);
    if (check_run(st, r, err, errlen) != 0) {
        finish(st, 0, r, NULL, 0);
        return -1;
    }
    int rc = step_reset(st->stmt[ST_BEGIN]);
    sqlite3_stmt *del = st->stmt[ST_SERIES_DELETE];
    if (rc == SQLITE_DONE && (rc = bind_run_key(del, r->point, r->arm, r->replication)) == 0)
        rc = step_reset(del);
    if (rc == SQLITE_DONE) rc = write_series(st, r, rec, start_day);
    if (rc != SQLITE_DONE) {
        sweep_store_error(err, errlen,
                          "%s: cannot record the series of run (point %zu, arm %zu, "
                          "replication %u): %s",
                          st->path, r->point, r->arm, r->replication + 1,
                          rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(st->db));
        finish(st, 0, r, NULL, 0);
        return -1;
    }
    st->series_open = 1;
    st->series_point = r->point;
    st->series_arm = r->arm;
    st->series_replication = r->replication;
    return 0; /* still locked: sweep_store_record commits */
}

/* ---- close ---- */

int sweep_store_close(sweep_store *st, long *failed_runs, char *err, size_t errlen)
{
    if (failed_runs) *failed_runs = 0;
    if (!st) return 0;
    int held;
    store_lock(st, &held);
    if (sqlite3_get_autocommit(st->db) == 0) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->series_open = 0;
    int rc = sweep_store_exec(st->db,
                              "UPDATE sweep SET failed_runs = (SELECT count(*) FROM runs "
                              "WHERE status = 'failed')",
                              st->path, "cannot count the failed runs", err, errlen);
    sqlite3_stmt *q = NULL;
    if (rc == 0 &&
        sqlite3_prepare_v2(st->db, "SELECT failed_runs FROM sweep", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        if (failed_runs) *failed_runs = (long)sqlite3_column_int64(q, 0);
    } else if (rc == 0) {
        rc = sweep_store_sql_error(err, errlen, st->path, "cannot count the failed runs", st->db);
    }
    sqlite3_finalize(q);
    for (int i = 0; i < ST_COUNT; i++) {
        sqlite3_finalize(st->stmt[i]);
        st->stmt[i] = NULL;
    }
    /* The last connection's close checkpoints the WAL into the database
     * and removes the -wal file. */
    if (sqlite3_close(st->db) != SQLITE_OK) {
        if (rc == 0) rc = sweep_store_sql_error(err, errlen, st->path, "cannot close", st->db);
        sqlite3_close_v2(st->db); /* frees it once nothing uses it */
    }
    st->db = NULL;
    pthread_mutex_unlock(&st->lock);
    pthread_mutex_destroy(&st->lock);
    cost_metrics_free(&st->money_metrics);
    free(st->path);
    free(st);
    return rc;
}
