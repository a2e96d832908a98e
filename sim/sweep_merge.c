/* sweep_merge.c — `placesim merge`: one results database from the shard
 * databases of one sweep.
 *
 * The merged rows are those a single unsharded sweep writes: the sweep's
 * own rows (parameters, arms, points, outputs) come from the first shard,
 * which holds them all (every shard writes the whole sweep's description),
 * and each shard adds its runs, summaries and series. The output is built
 * under OUT.db.merging and renamed when complete, so an interrupted merge
 * never leaves a plausible OUT.db. It is written with a rollback journal,
 * not WAL: it is one self-contained file when done, and may then be copied
 * to a network disk (a --resume turns WAL back on). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sweep_store.h"
#include "sweep_store_internal.h"

typedef struct merge_state {
    sqlite3 *db;
    const char *out, *tmp;
    const char *const *shards;
    size_t n;
    char sha256[65], version[64], name[128];
    int has_series, has_money, attached;
    char *err;
    size_t errlen;
} merge_state;

static int exec(merge_state *m, const char *sql, const char *path, const char *what)
{
    return sweep_store_exec(m->db, sql, path, what, m->err, m->errlen);
}

/* Copies text into a fixed buffer ("" for NULL); refuses what does not fit. */
static int copy_text(char *dst, size_t size, const unsigned char *src)
{
    const char *s = src ? (const char *)src : "";
    if (strlen(s) >= size) return -1;
    strcpy(dst, s);
    return 0;
}

/* Attaches shard k as `shard` and reads what identifies its sweep. */
static int attach(merge_state *m, size_t k, char sha[65], char version[64], char name[128],
                  int *has_series, int *has_money)
{
    const char *path = m->shards[k];
    struct stat sb;
    /* ATTACH would create a missing file. */
    if (stat(path, &sb) != 0)
        return sweep_store_error(m->err, m->errlen, "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return sweep_store_error(m->err, m->errlen, "%s: not a regular file", path);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(m->db, "ATTACH DATABASE ?1 AS shard", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_DONE) {
        sweep_store_sql_error(m->err, m->errlen, path, "cannot open", m->db);
        sqlite3_finalize(q);
        return -1;
    }
    sqlite3_finalize(q);
    m->attached = 1;
    int version_no = -1;
    if (sqlite3_prepare_v2(m->db, "PRAGMA shard.user_version", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        sweep_store_sql_error(m->err, m->errlen, path, "cannot read it", m->db);
        sqlite3_finalize(q);
        return -1;
    }
    version_no = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (version_no != SWEEP_STORE_SCHEMA_VERSION)
        return sweep_store_error(m->err, m->errlen,
                                 "%s: not a placesim sweep database of "
                                 "schema version %d (user_version %d)",
                                 path, SWEEP_STORE_SCHEMA_VERSION, version_no);
    int rc = -1;
    if (sqlite3_prepare_v2(m->db,
                           "SELECT sha256, program_version, name,"
                           " (SELECT count(*) FROM shard.sqlite_master WHERE type = 'table'"
                           " AND name = 'series'),"
                           " (SELECT count(*) FROM shard.sqlite_master WHERE type = 'table'"
                           " AND name = 'money') FROM shard.sweep WHERE id = 1",
                           -1, &q, NULL) != SQLITE_OK) {
        sweep_store_sql_error(m->err, m->errlen, path, "not a placesim sweep database", m->db);
    } else if (sqlite3_step(q) != SQLITE_ROW) {
        sweep_store_error(m->err, m->errlen, "%s: not a placesim sweep database (no sweep row)",
                          path);
    } else if (copy_text(sha, 65, sqlite3_column_text(q, 0)) ||
               copy_text(version, 64, sqlite3_column_text(q, 1))) {
        sweep_store_error(m->err, m->errlen, "%s: not a placesim sweep database (bad sweep row)",
                          path);
    } else {
        if (copy_text(name, 128, sqlite3_column_text(q, 2))) strcpy(name, "?");
        *has_series = sqlite3_column_int(q, 3) > 0;
        *has_money = sqlite3_column_int(q, 4) > 0;
        rc = 0;
    }
    sqlite3_finalize(q);
    return rc;
}

static int detach(merge_state *m, const char *path)
{
    if (!m->attached) return 0;
    m->attached = 0;
    return exec(m, "DETACH DATABASE shard", path, "cannot close");
}

/* The first shard gives the tables and the sweep's description. */
static int copy_description(merge_state *m)
{
    const char *path = m->shards[0];
    char version[64];
    snprintf(version, sizeof version, "PRAGMA main.user_version = %d", SWEEP_STORE_SCHEMA_VERSION);
    if (exec(m, "BEGIN IMMEDIATE", m->tmp, "cannot begin") != 0) return -1;
    if (sweep_store_schema_create(m->db, m->has_series, m->has_money, m->tmp, m->err, m->errlen) !=
            0 ||
        exec(m,
             "INSERT INTO main.sweep SELECT * FROM shard.sweep;"
             "INSERT INTO main.parameters SELECT * FROM shard.parameters;"
             "INSERT INTO main.arms SELECT * FROM shard.arms;"
             "INSERT INTO main.points SELECT * FROM shard.points;"
             "INSERT INTO main.point_values SELECT * FROM shard.point_values;"
             "INSERT INTO main.outputs SELECT * FROM shard.outputs;",
             path, "cannot copy the sweep's description") != 0 ||
        exec(m, version, m->tmp, "cannot set the schema version") != 0 ||
        /* Which shard each run came from, to name both files of a duplicate. */
        exec(m,
             "CREATE TEMP TABLE origin (point_id INTEGER, arm_id INTEGER, replication INTEGER,"
             " shard INTEGER, PRIMARY KEY (point_id, arm_id, replication))",
             m->tmp, "cannot create a temporary table") != 0 ||
        exec(m, "COMMIT", m->tmp, "cannot commit") != 0)
        return -1;
    return 0;
}

/* Refuses a run of shard k already merged from an earlier shard. */
static int check_duplicates(merge_state *m, size_t k)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(m->db,
                           "SELECT o.shard, r.point_id, a.name, r.replication"
                           " FROM shard.runs r JOIN temp.origin o USING (point_id, arm_id,"
                           " replication) LEFT JOIN main.arms a ON a.arm_id = r.arm_id"
                           " ORDER BY r.point_id, r.arm_id, r.replication LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK)
        return sweep_store_sql_error(m->err, m->errlen, m->shards[k], "cannot read its runs",
                                     m->db);
    int rc = sqlite3_step(q), result = 0;
    if (rc == SQLITE_ROW) {
        sqlite3_int64 first = sqlite3_column_int64(q, 0);
        const char *arm = (const char *)sqlite3_column_text(q, 2);
        result = sweep_store_error(m->err, m->errlen,
                                   "run (point %lld, arm %s, replication "
                                   "%lld) is in both %s and %s: refusing to merge duplicates",
                                   (long long)sqlite3_column_int64(q, 1), arm ? arm : "?",
                                   (long long)sqlite3_column_int64(q, 3),
                                   first >= 0 && (size_t)first < m->n ? m->shards[first] : "?",
                                   m->shards[k]);
    } else if (rc != SQLITE_DONE) {
        result =
            sweep_store_sql_error(m->err, m->errlen, m->shards[k], "cannot read its runs", m->db);
    }
    sqlite3_finalize(q);
    return result;
}

static int copy_runs(merge_state *m, size_t k)
{
    const char *path = m->shards[k];
    char origin[160];
    snprintf(origin, sizeof origin,
             "INSERT INTO temp.origin SELECT point_id, arm_id, "
             "replication, %zu FROM shard.runs",
             k);
    if (exec(m, "BEGIN IMMEDIATE", m->tmp, "cannot begin") != 0) return -1;
    if (check_duplicates(m, k) != 0 || exec(m, origin, path, "cannot read its runs") != 0 ||
        exec(m,
             "INSERT INTO main.runs SELECT * FROM shard.runs;"
             "INSERT INTO main.summaries SELECT * FROM shard.summaries;",
             path, "cannot copy its runs") != 0 ||
        (m->has_series && exec(m, "INSERT INTO main.series SELECT * FROM shard.series", path,
                               "cannot copy its series") != 0) ||
        (m->has_money && exec(m,
                              "INSERT INTO main.run_years SELECT * FROM shard.run_years;"
                              "INSERT INTO main.money SELECT * FROM shard.money;",
                              path, "cannot copy its money") != 0) ||
        exec(m, "COMMIT", m->tmp, "cannot commit") != 0)
        return -1;
    return 0;
}

static int finish_sweep_row(merge_state *m)
{
    char created[32];
    sweep_store_now(created);
    char *sql = sqlite3_mprintf("UPDATE main.sweep SET shard = 'merged from %llu shard%s',"
                                " created = %Q, failed_runs = (SELECT count(*) FROM main.runs"
                                " WHERE status = 'failed')",
                                (unsigned long long)m->n, m->n == 1 ? "" : "s", created);
    if (!sql) return sweep_store_error(m->err, m->errlen, "%s: out of memory", m->tmp);
    int rc = exec(m, "BEGIN IMMEDIATE", m->tmp, "cannot begin");
    if (rc == 0) rc = exec(m, sql, m->tmp, "cannot update the sweep row");
    sqlite3_free(sql);
    if (rc == 0) rc = sweep_store_schema_view(m->db, m->tmp, m->err, m->errlen);
    if (rc == 0) rc = exec(m, "COMMIT", m->tmp, "cannot commit");
    return rc;
}

static int merge_all(merge_state *m)
{
    for (size_t k = 0; k < m->n; k++) {
        char sha[65], version[64], name[128];
        int has_series = 0, has_money = 0;
        if (attach(m, k, sha, version, name, &has_series, &has_money) != 0) return -1;
        if (k == 0) {
            strcpy(m->sha256, sha);
            strcpy(m->version, version);
            strcpy(m->name, name);
            m->has_series = has_series;
            m->has_money = has_money;
            if (copy_description(m) != 0) return -1;
        } else if (strcmp(sha, m->sha256) != 0) {
            return sweep_store_error(m->err, m->errlen,
                                     "%s: a shard of another sweep ('%s', "
                                     "sha256 %s) than %s ('%s', sha256 %s)",
                                     m->shards[k], name, sha, m->shards[0], m->name, m->sha256);
        } else if (strcmp(version, m->version) != 0) {
            return sweep_store_error(m->err, m->errlen,
                                     "%s: written by placesim %s, but %s by "
                                     "placesim %s (results may differ)",
                                     m->shards[k], version, m->shards[0], m->version);
        }
        if (copy_runs(m, k) != 0 || detach(m, m->shards[k]) != 0) return -1;
    }
    return finish_sweep_row(m);
}

int sweep_store_merge(const char *out_path, const char *const *shards, size_t n, char *err,
                      size_t errlen)
{
    if (!out_path || !*out_path || (n && !shards))
        return sweep_store_error(err, errlen, "sweep_store_merge: no output or shards");
    if (n == 0) return sweep_store_error(err, errlen, "%s: no shard databases to merge", out_path);
    struct stat sb;
    if (stat(out_path, &sb) == 0)
        return sweep_store_error(err, errlen,
                                 "%s: already exists (merge writes a new "
                                 "database)",
                                 out_path);
    size_t len = strlen(out_path);
    char *tmp = malloc(len + sizeof ".merging");
    if (!tmp) return sweep_store_error(err, errlen, "%s: out of memory", out_path);
    memcpy(tmp, out_path, len);
    memcpy(tmp + len, ".merging", sizeof ".merging");
    if (stat(tmp, &sb) == 0) {
        sweep_store_error(err, errlen, "%s: exists (left by an interrupted merge? remove it)", tmp);
        free(tmp);
        return -1;
    }
    if (sweep_store_create_file(tmp, err, errlen) != 0) {
        free(tmp);
        return -1;
    }
    merge_state m = {
        .out = out_path, .tmp = tmp, .shards = shards, .n = n, .err = err, .errlen = errlen
    };
    int rc = -1;
    if (sqlite3_open_v2(tmp, &m.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sweep_store_sql_error(err, errlen, tmp, "cannot open", m.db);
    } else {
        sqlite3_extended_result_codes(m.db, 1);
        sqlite3_busy_timeout(m.db, 30000);
        rc = merge_all(&m);
        if (rc != 0) {
            if (sqlite3_get_autocommit(m.db) == 0) sqlite3_exec(m.db, "ROLLBACK", NULL, NULL, NULL);
            if (m.attached) sqlite3_exec(m.db, "DETACH DATABASE shard", NULL, NULL, NULL);
        }
    }
    if (sqlite3_close(m.db) != SQLITE_OK) {
        if (rc == 0) rc = sweep_store_sql_error(err, errlen, tmp, "cannot close", m.db);
        sqlite3_close_v2(m.db);
    }
    if (rc == 0 && stat(out_path, &sb) == 0)
        rc = sweep_store_error(err, errlen,
                               "%s: appeared while merging; the merge is left "
                               "in %s",
                               out_path, tmp);
    else if (rc == 0 && rename(tmp, out_path) != 0)
        rc = sweep_store_error(err, errlen, "%s: cannot rename %s to it: %s", out_path, tmp,
                               strerror(errno));
    else if (rc != 0)
        sweep_store_remove_files(tmp);
    free(tmp);
    return rc;
}
