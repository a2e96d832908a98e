/* compare_sweep_load.c — a sweep's results store (README.md "Sweep results
 * (SQLite)"), opened read-only, and one (point, arm)'s runs loaded from its
 * runs, run_years and money tables into a cmp_run, so that the comparison
 * of run directories works on a sweep's points unchanged. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "compare_internal.h"
#include "dates.h"
#include "sweep_store.h"

static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return status;
}

static int sql_fail(const cmp_store *st, const char *what, char *err, size_t errlen)
{
    return fail(err, errlen, CMP_DATA, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

static char *dup_text(const unsigned char *text)
{
    const char *s = text ? (const char *)text : "";
    char *copy = malloc(strlen(s) + 1);
    if (copy) strcpy(copy, s);
    return copy;
}

int compare_is_database(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char head[16];
    int is_db = fread(head, 1, sizeof head, f) == sizeof head &&
                memcmp(head, "SQLite format 3", sizeof head) == 0; /* with its NUL */
    fclose(f);
    return is_db;
}

/* One integer from a query without parameters: 0, or CMP_DATA. */
static int query_int(const cmp_store *st, const char *sql, long long *out, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        int status = sql_fail(st, "cannot read it", err, errlen);
        sqlite3_finalize(q);
        return status;
    }
    *out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return 0;
}

/* The names of one column of a table, in id order, into a new array. */
static int read_names(cmp_store *st, const char *sql, char ***out, size_t *n, char *err,
                      size_t errlen)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return sql_fail(st, "cannot read it", err, errlen);
    int rc, status = 0;
    while (status == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (sqlite3_column_int64(q, 0) != (long long)*n) {
            status =
                fail(err, errlen, CMP_DATA, "%s: ids are not 0, 1, 2, ... (%s)", st->path, sql);
            break;
        }
        char **grown = realloc(*out, (*n + 1) * sizeof *grown);
        if (grown) *out = grown;
        if (!grown || !((*out)[*n] = dup_text(sqlite3_column_text(q, 1))))
            status = fail(err, errlen, CMP_DATA, "out of memory");
        else
            (*n)++;
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(st, "cannot read it", err, errlen);
    sqlite3_finalize(q);
    return status;
}

static int read_sweep_row(cmp_store *st, char *err, size_t errlen)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT name, path, design, n_points, replications, sha256, "
                           "master_seed, shard FROM sweep WHERE id = 1",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_fail(st, "cannot read the sweep row", err, errlen);
    int status = 0;
    if (sqlite3_step(q) != SQLITE_ROW) {
        status = fail(err, errlen, CMP_DATA, "%s: not a placesim results database (no sweep row)",
                      st->path);
    } else {
        long long n_points = sqlite3_column_int64(q, 3), reps = sqlite3_column_int64(q, 4);
        st->name = dup_text(sqlite3_column_text(q, 0));
        st->sweep_path = dup_text(sqlite3_column_text(q, 1));
        st->design = dup_text(sqlite3_column_text(q, 2));
        st->sha256 = dup_text(sqlite3_column_text(q, 5));
        st->master_seed = dup_text(sqlite3_column_text(q, 6));
        if (!st->name || !st->sweep_path || !st->design || !st->sha256 || !st->master_seed)
            status = fail(err, errlen, CMP_DATA, "out of memory");
        else if (n_points < 1 || reps < 1 || reps > 1000000)
            status = fail(err, errlen, CMP_DATA,
                          "%s: the sweep row has %lld points and %lld "
                          "replications",
                          st->path, n_points, reps);
        st->n_points = (size_t)n_points;
        st->replications = (size_t)reps;
        /* A shard ("K/N") holds points p with p mod N = K - 1 only. */
        const char *shard = (const char *)sqlite3_column_text(q, 7);
        unsigned k, n;
        char tail;
        if (shard && sscanf(shard, "%u/%u%c", &k, &n, &tail) == 2 && k >= 1 && k <= n) {
            st->shard_k = k;
            st->shard_n = n;
        }
    }
    sqlite3_finalize(q);
    return status;
}

/* What makes a store one compare can read, in the order a user fixes it. */
static int check_store(cmp_store *st, char *err, size_t errlen)
{
    long long n = 0, version = 0;
    int status = query_int(st,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name IN ('sweep', 'runs', 'points', 'arms')",
                           &n, err, errlen);
    if (status == 0 && n != 4)
        return fail(err, errlen, CMP_DATA,
                    "%s: not a placesim results database (no sweep, runs, "
                    "points and arms tables)",
                    st->path);
    if (status == 0) status = query_int(st, "PRAGMA user_version", &version, err, errlen);
    if (status == 0 && version != SWEEP_STORE_SCHEMA_VERSION)
        return fail(err, errlen, CMP_USAGE,
                    "%s: results database schema version %lld; this "
                    "placesim reads version %d (run the sweep again with it)",
                    st->path, version, SWEEP_STORE_SCHEMA_VERSION);
    if (status == 0) status = read_sweep_row(st, err, errlen);
    if (status == 0)
        status = read_names(st, "SELECT arm_id, name FROM arms ORDER BY arm_id", &st->arms,
                            &st->n_arms, err, errlen);
    if (status == 0)
        status = read_names(st, "SELECT param_id, key FROM parameters ORDER BY param_id",
                            &st->params, &st->n_params, err, errlen);
    if (status == 0 && st->n_arms < 2)
        return fail(err, errlen, CMP_USAGE,
                    "%s: sweep '%s' has one arm (%s): compare needs a "
                    "base arm and at least one other",
                    st->path, st->name, st->n_arms ? st->arms[0] : "none");
    if (status == 0)
        status = query_int(st,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name IN ('run_years', 'money')",
                           &n, err, errlen);
    if (status == 0 && n != 2)
        return fail(err, errlen, CMP_USAGE,
                    "%s: sweep '%s' kept no money: set cost_benefit = "
                    "true in the sweep file and run it again",
                    st->path, st->name);
    return status;
}

int cmp_store_open(const char *path, cmp_store *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof *st);
    st->path = path;
    struct stat sb;
    /* Opening read-only never creates a file; stat first for a plain message. */
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return fail(err, errlen, CMP_DATA, "%s: no such results database", path);
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        int status = st->db ? sql_fail(st, "cannot open", err, errlen)
                            : fail(err, errlen, CMP_DATA, "%s: cannot open (out of memory)", path);
        cmp_store_close(st);
        return status;
    }
    sqlite3_busy_timeout(st->db, 5000);
    /* One read transaction: every query sees the same snapshot, even while
     * a sweep is still writing the store (WAL lets it). */
    int status = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK
                     ? check_store(st, err, errlen)
                     : sql_fail(st, "cannot read it", err, errlen);
    if (status != 0) cmp_store_close(st);
    return status;
}

void cmp_store_close(cmp_store *st)
{
    if (st->db && !sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(st->db);
    free(st->name);
    free(st->sweep_path);
    free(st->design);
    free(st->sha256);
    free(st->master_seed);
    for (size_t i = 0; i < st->n_arms; i++) free(st->arms[i]);
    free(st->arms);
    for (size_t i = 0; i < st->n_params; i++) free(st->params[i]);
    free(st->params);
    memset(st, 0, sizeof *st);
}

int cmp_store_point_values(const cmp_store *st, size_t point, double *values, char *err,
                           size_t errlen)
{
    for (size_t k = 0; k < st->n_params; k++) values[k] = NAN;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT param_id, value FROM point_values WHERE point_id = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_fail(st, "cannot read the point values", err, errlen);
    sqlite3_bind_int64(q, 1, (sqlite3_int64)point);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        long long k = sqlite3_column_int64(q, 0);
        if (k >= 0 && (size_t)k < st->n_params && sqlite3_column_type(q, 1) != SQLITE_NULL)
            values[k] = sqlite3_column_double(q, 1);
    }
    int status = rc == SQLITE_DONE ? 0 : sql_fail(st, "cannot read the point values", err, errlen);
    sqlite3_finalize(q);
    return status;
}

/* ---- one (point, arm) ---- */

typedef struct loader {
    const cmp_store *st;
    cmp_run *run;
    size_t point, arm;
    char *err;
    size_t errlen;
} loader;

/* A statement with the point as ?1 and the arm as ?2 (a statement
 * without ?2 ignores it). */
static sqlite3_stmt *prepare(loader *l, const char *sql)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(l->st->db, sql, -1, &q, NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        return NULL;
    }
    sqlite3_bind_int64(q, 1, (sqlite3_int64)l->point);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)l->arm);
    return q;
}

static int bad(loader *l, const char *what)
{
    return fail(l->err, l->errlen, CMP_DATA, "%s: point %zu, arm %s: %s", l->st->path, l->point,
                l->st->arms[l->arm], what);
}

/* The run's name, label and seeds; CMP_SKIP with the reason when a
 * replication is missing or failed. */
static int load_runs(loader *l)
{
    cmp_run *run = l->run;
    const cmp_store *st = l->st;
    size_t R = st->replications;
    char label[512];
    snprintf(label, sizeof label, "%s (point %zu, arm %s)", st->path, l->point, st->arms[l->arm]);
    if (!(run->dir = dup_text((const unsigned char *)label)) ||
        !(run->name = dup_text((const unsigned char *)st->arms[l->arm])) ||
        !(run->sha256 = dup_text((const unsigned char *)st->sha256)) ||
        !(run->seeds = calloc(R, sizeof *run->seeds)))
        return fail(l->err, l->errlen, CMP_DATA, "out of memory");
    run->n_reps = R;
    sqlite3_stmt *q = prepare(l, "SELECT seed FROM points WHERE point_id = ?1");
    if (!q || sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return bad(l, "no row in the points table");
    }
    run->master_seed = dup_text(sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (!run->master_seed) return fail(l->err, l->errlen, CMP_DATA, "out of memory");
    q = prepare(l, "SELECT replication, seed, status, error FROM runs WHERE point_id = ?1 AND "
                   "arm_id = ?2 ORDER BY replication");
    if (!q) return sql_fail(st, "cannot read the runs", l->err, l->errlen);
    size_t ok = 0, failed = 0;
    int rc, status = 0;
    while (status == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        long long r = sqlite3_column_int64(q, 0);
        const char *state = (const char *)sqlite3_column_text(q, 2);
        if (r < 1 || (size_t)r > R || run->seeds[r - 1]) {
            status = bad(l, "a runs row whose replication is outside 1..replications");
        } else if (!(run->seeds[r - 1] = dup_text(sqlite3_column_text(q, 1)))) {
            status = fail(l->err, l->errlen, CMP_DATA, "out of memory");
        } else if (state && strcmp(state, "ok") == 0) {
            ok++;
        } else if (failed++ == 0) {
            const char *why = (const char *)sqlite3_column_text(q, 3);
            snprintf(label, sizeof label, "arm %s replication %lld failed (%s)", st->arms[l->arm],
                     r, why ? why : "no reason recorded");
        }
    }
    if (status == 0 && rc != SQLITE_DONE)
        status = sql_fail(st, "cannot read the runs", l->err, l->errlen);
    sqlite3_finalize(q);
    if (status == 0 && failed)
        status = fail(l->err, l->errlen, CMP_SKIP, "%s%s", label,
                      failed > 1 ? " and more replications failed" : "");
    else if (status == 0 && ok == 0 && st->shard_n > 1 && l->point % st->shard_n != st->shard_k - 1)
        status = fail(l->err, l->errlen, CMP_SKIP,
                      "in another shard (this database is shard "
                      "%u/%u: placesim merge combines the shards)",
                      st->shard_k, st->shard_n);
    else if (status == 0 && ok < R)
        status = fail(l->err, l->errlen, CMP_SKIP,
                      "arm %s: %zu of %zu replications recorded "
                      "(an unfinished sweep: placesim sweep --resume completes it)",
                      st->arms[l->arm], ok, R);
    return status;
}

/* One run_years row (rows come by year, then replication). */
static int add_year_row(loader *l, sqlite3_stmt *q, size_t *count)
{
    cmp_run *run = l->run;
    const char *label = (const char *)sqlite3_column_text(q, 1);
    const char *first = (const char *)sqlite3_column_text(q, 2);
    const char *last = (const char *)sqlite3_column_text(q, 3);
    cmp_year y = { .fy = 0 };
    if (!label || !first || !last || strlen(label) != 7 ||
        cmp_parse_year_label(label, &y.fy) != 0 || date_parse(first, &y.first_day) != 0 ||
        date_parse(last, &y.last_day) != 0 || y.first_day > y.last_day ||
        y.first_day < date_financial_year_start(y.fy) ||
        y.last_day >= date_financial_year_start(y.fy + 1))
        return bad(l, "a run_years row is not a financial year with two of its days in order");
    memcpy(y.label, label, 8);
    y.whole = y.first_day == date_financial_year_start(y.fy) &&
              y.last_day == date_financial_year_start(y.fy + 1) - 1;
    cmp_year *prev = run->n_years ? &run->years[run->n_years - 1] : NULL;
    if (prev && prev->fy == y.fy) {
        if (prev->first_day != y.first_day || prev->last_day != y.last_day)
            return bad(l, "its replications wrote different days of one financial year");
        count[run->n_years - 1]++;
        return 0;
    }
    cmp_year *years = realloc(run->years, (run->n_years + 1) * sizeof *years);
    if (!years) return fail(l->err, l->errlen, CMP_DATA, "out of memory");
    run->years = years;
    run->years[run->n_years] = y;
    count[run->n_years++] = 1;
    return 0;
}

static int load_years(loader *l)
{
    cmp_run *run = l->run;
    sqlite3_stmt *q = prepare(l, "SELECT replication, year, first_date, last_date FROM run_years "
                                 "WHERE point_id = ?1 AND arm_id = ?2 ORDER BY year, replication");
    if (!q) return sql_fail(l->st, "cannot read run_years", l->err, l->errlen);
    /* At most one year per row; rows are bounded by the table. */
    size_t cap = 64, *count = malloc(cap * sizeof *count);
    int rc, status = count ? 0 : fail(l->err, l->errlen, CMP_DATA, "out of memory");
    while (status == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (run->n_years == cap) {
            size_t *grown = realloc(count, 2 * cap * sizeof *grown);
            if (!grown) {
                status = fail(l->err, l->errlen, CMP_DATA, "out of memory");
                break;
            }
            count = grown;
            cap *= 2;
        }
        status = add_year_row(l, q, count);
    }
    if (status == 0 && rc != SQLITE_DONE)
        status = sql_fail(l->st, "cannot read run_years", l->err, l->errlen);
    sqlite3_finalize(q);
    if (status == 0 && run->n_years == 0) status = bad(l, "no run_years rows for its ok runs");
    for (size_t y = 0; status == 0 && y < run->n_years; y++)
        if (count[y] != run->n_reps) {
            char what[200];
            snprintf(what, sizeof what, "%zu of %zu replications have run_years rows for %s",
                     count[y], run->n_reps, run->years[y].label);
            status = bad(l, what);
        }
    free(count);
    return status;
}

/* The value arrays, [year][replication][slot]: a metric with no row for a
 * year of run_years is 0 there (the store omits zeros). */
static int alloc_values(loader *l, const cmp_request *req)
{
    cmp_run *run = l->run;
    run->n_slots = req->n;
    size_t cells = run->n_years * run->n_reps * run->n_slots;
    run->metrics_seen = json_object();
    run->areas_seen = json_object();
    run->present = calloc(req->n ? req->n : 1, 1);
    run->value = calloc(cells ? cells : 1, sizeof *run->value);
    run->weight = malloc((cells ? cells : 1) * sizeof *run->weight);
    run->seen = malloc(cells ? cells : 1);
    if (!run->metrics_seen || !run->areas_seen || !run->present || !run->value || !run->weight ||
        !run->seen || json_object_set_new(run->areas_seen, "ALL", json_true()) != 0)
        return fail(l->err, l->errlen, CMP_DATA, "out of memory");
    for (size_t i = 0; i < cells; i++) run->weight[i] = NAN; /* money has no weight */
    memset(run->seen, 1, cells);
    return 0;
}

static int money_row(loader *l, const cmp_request *req, sqlite3_stmt *q, size_t *last_year)
{
    cmp_run *run = l->run;
    long long r = sqlite3_column_int64(q, 0);
    const char *label = (const char *)sqlite3_column_text(q, 1);
    const char *metric = (const char *)sqlite3_column_text(q, 2);
    if (!label || !metric || !*metric) return bad(l, "a money row without its year or metric");
    if (r < 1 || (size_t)r > run->n_reps)
        return bad(l, "a money row whose replication is outside 1..replications");
    if (!json_object_get(run->metrics_seen, metric) &&
        json_object_set_new_nocheck(run->metrics_seen, metric, json_true()) != 0)
        return fail(l->err, l->errlen, CMP_DATA, "out of memory");
    long slot = cmp_request_find(req, metric, "ALL");
    if (slot < 0) return 0;
    if (*last_year >= run->n_years || strcmp(run->years[*last_year].label, label) != 0) {
        int fy;
        long y = cmp_parse_year_label(label, &fy) == 0 ? cmp_year_index(run, fy) : -1;
        if (y < 0) {
            char what[200];
            snprintf(what, sizeof what, "a money row for %.20s, a year not in run_years", label);
            return bad(l, what);
        }
        *last_year = (size_t)y;
    }
    size_t cell = (*last_year * run->n_reps + (size_t)r - 1) * run->n_slots + (size_t)slot;
    run->value[cell] = sqlite3_column_type(q, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 3);
    run->present[slot] = 1;
    return 0;
}

static int load_money(loader *l, const cmp_request *req)
{
    int status = alloc_values(l, req);
    if (status != 0) return status;
    sqlite3_stmt *q = prepare(l, "SELECT replication, year, metric, value FROM money "
                                 "WHERE point_id = ?1 AND arm_id = ?2");
    if (!q) return sql_fail(l->st, "cannot read money", l->err, l->errlen);
    size_t last_year = SIZE_MAX;
    int rc;
    while (status == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW)
        status = money_row(l, req, q, &last_year);
    if (status == 0 && rc != SQLITE_DONE)
        status = sql_fail(l->st, "cannot read money", l->err, l->errlen);
    sqlite3_finalize(q);
    return status;
}

int cmp_store_load_run(const cmp_store *st, size_t point, size_t arm, const cmp_request *req,
                       cmp_run *run, char *err, size_t errlen)
{
    memset(run, 0, sizeof *run);
    loader l = { st, run, point, arm, err, errlen };
    int status = load_runs(&l);
    if (status == 0) status = load_years(&l);
    if (status == 0 && req) status = load_money(&l, req);
    if (status != 0) cmp_run_free(run);
    return status;
}
