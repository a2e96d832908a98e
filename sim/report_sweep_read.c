/* report_sweep_read.c — the sweep report's reading of a results store
 * (README.md § "Sweep results (SQLite)"), read-only: the sweep, its
 * parameters, arms and outputs, every point's values, and per point, arm
 * and output the mean and spread of the ok replications' values and paired
 * differences. */
#include "report_sweep_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "engine.h"
#include "model.h"
#include "sweep_store.h"

/* Cells held in memory: 2 x points x arms x outputs; beyond this the page
 * would be unreadable anyway and the memory large (24 bytes a cell). */
enum { RSW_MAX_CELLS = 50 * 1000 * 1000 };

typedef struct rsw_reader {
    sqlite3 *db;
    const char *path;
    char *err;
    size_t errlen;
} rsw_reader;

static int fail(rsw_reader *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(rsw_reader *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, r->errlen, fmt, ap);
    va_end(ap);
    return status;
}

static int sql_fail(rsw_reader *r, const char *what)
{
    return fail(r, 1, "%s: %s: %s", r->path, what, sqlite3_errmsg(r->db));
}

/* A column's text copied (NULL stays NULL); *oom set when the copy fails. */
static char *col_text(sqlite3_stmt *st, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t) return NULL;
    char *copy = strdup((const char *)t);
    if (!copy) *oom = 1;
    return copy;
}

static double col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

static int prepare(rsw_reader *r, const char *sql, sqlite3_stmt **st, const char *what)
{
    if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) == SQLITE_OK) return 0;
    /* A table missing: not one of our stores (or a damaged one). */
    return fail(r, 1, "%s: not a placesim results database (%s: %s)", r->path, what,
                sqlite3_errmsg(r->db));
}

static int has_table(rsw_reader *r, const char *name, int *out);

static int read_version(rsw_reader *r, rsw_data *d)
{
    int is_store = 0;
    if (has_table(r, "sweep", &is_store) != 0) return 1;
    if (!is_store)
        return fail(r, 1, "%s: not a placesim results database (no sweep table)", r->path);
    sqlite3_stmt *st = NULL;
    if (prepare(r, "PRAGMA user_version", &st, "schema version") != 0) return 1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) d->schema_version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return sql_fail(r, "reading the schema version");
    if (d->schema_version != SWEEP_STORE_SCHEMA_VERSION)
        return fail(r, 2,
                    "%s: results database schema version %d; this placesim reads version "
                    "%d (make the report with the placesim that wrote it, or run the sweep "
                    "again)",
                    r->path, d->schema_version, SWEEP_STORE_SCHEMA_VERSION);
    return 0;
}

static int read_sweep(rsw_reader *r, rsw_data *d)
{
    sqlite3_stmt *st = NULL;
    if (prepare(r,
                "SELECT name, path, sha256, program_version, master_seed, design, shard, "
                "created, replications, samples, n_points FROM sweep WHERE id = 1",
                &st, "the sweep table") != 0)
        return 1;
    int rc = sqlite3_step(st), oom = 0, status = 0;
    if (rc == SQLITE_ROW) {
        char **texts[] = { &d->name,        &d->sweep_path, &d->sha256, &d->program_version,
                           &d->master_seed, &d->design,     &d->shard,  &d->created };
        for (int i = 0; i < 8; i++) *texts[i] = col_text(st, i, &oom);
        d->replications = sqlite3_column_int64(st, 8);
        d->samples = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 9);
        d->n_points = sqlite3_column_int64(st, 10);
        if (oom)
            status = fail(r, 1, "out of memory");
        else if (!d->name || !d->design)
            status = fail(r, 1, "%s: the sweep row has no name or design", r->path);
        else if (d->replications < 1 || d->replications > 1000000 || d->n_points < 1 ||
                 d->n_points > RSW_MAX_CELLS)
            status = fail(r, 1,
                          "%s: the sweep row's %lld points x %lld replications cannot be "
                          "right",
                          r->path, d->n_points, d->replications);
    } else {
        status = rc == SQLITE_DONE
                     ? fail(r, 1, "%s: not a placesim results database (no sweep row)", r->path)
                     : sql_fail(r, "reading the sweep row");
    }
    sqlite3_finalize(st);
    return status;
}

/* The unit of a parameter key from the parameter tables: the key itself,
 * or with a list entry's name as "*" (LIST.NAME.MEMBER). */
static const char *param_unit(const char *key)
{
    if (strncmp(key, "costs.", 6) == 0) return "GBP, the cost's price year";
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    char pattern[512];
    for (size_t star = 0; star < 8; star++) {
        /* star 0: the key as is; star s: its s-th segment (1-based) as "*". */
        size_t seg = 0, w = 0;
        int skipped = 0;
        for (const char *p = key; *p && w + 2 < sizeof pattern; p++) {
            if (*p == '.') seg++;
            if (star && seg == star && *p != '.') {
                if (!skipped) pattern[w++] = '*';
                skipped = 1;
                continue;
            }
            pattern[w++] = *p;
        }
        pattern[w] = '\0';
        if (star && !skipped) break;
        for (size_t t = 0; t <= n_models; t++) {
            const param_table *table = t ? models[t - 1]->params : &engine_param_table;
            for (size_t i = 0; i < table->n_specs; i++)
                if (strcmp(table->specs[i].path, pattern) == 0)
                    return table->specs[i].unit && *table->specs[i].unit ? table->specs[i].unit
                                                                         : NULL;
        }
    }
    return NULL;
}

static int read_parameters(rsw_reader *r, rsw_data *d)
{
    sqlite3_stmt *st = NULL;
    if (prepare(r,
                "SELECT param_id, key, column_name, distribution, whole, min, max, mean, sd "
                "FROM parameters ORDER BY param_id",
                &st, "the parameters table") != 0)
        return 1;
    int rc, status = 0, oom = 0;
    while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_int64(st, 0) != (long long)d->n_params) {
            status = fail(r, 1, "%s: parameters: param_id %lld where %zu was expected", r->path,
                          sqlite3_column_int64(st, 0), d->n_params);
            break;
        }
        rsw_param *grown = realloc(d->params, (d->n_params + 1) * sizeof *grown);
        if (!grown) {
            status = fail(r, 1, "out of memory");
            break;
        }
        d->params = grown;
        rsw_param *p = &d->params[d->n_params++];
        *p = (rsw_param){ .key = col_text(st, 1, &oom),
                          .column = col_text(st, 2, &oom),
                          .distribution = col_text(st, 3, &oom),
                          .whole = sqlite3_column_int(st, 4) != 0,
                          .min = col_real(st, 5),
                          .max = col_real(st, 6),
                          .mean = col_real(st, 7),
                          .sd = col_real(st, 8) };
        if (oom)
            status = fail(r, 1, "out of memory");
        else if (!p->key)
            status = fail(r, 1, "%s: parameter %zu has no key", r->path, d->n_params - 1);
        else
            p->unit = param_unit(p->key);
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "reading the parameters");
    sqlite3_finalize(st);
    return status;
}

static int read_arms(rsw_reader *r, rsw_data *d)
{
    sqlite3_stmt *st = NULL;
    if (prepare(r, "SELECT arm_id, name, scenario FROM arms ORDER BY arm_id", &st,
                "the arms table") != 0)
        return 1;
    int rc, status = 0, oom = 0;
    while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_int64(st, 0) != (long long)d->n_arms) {
            status = fail(r, 1, "%s: arms: arm_id %lld where %zu was expected", r->path,
                          sqlite3_column_int64(st, 0), d->n_arms);
            break;
        }
        rsw_arm *grown = realloc(d->arms, (d->n_arms + 1) * sizeof *grown);
        if (!grown) {
            status = fail(r, 1, "out of memory");
            break;
        }
        d->arms = grown;
        rsw_arm *a = &d->arms[d->n_arms++];
        *a = (rsw_arm){ .name = col_text(st, 1, &oom), .scenario = col_text(st, 2, &oom) };
        if (oom)
            status = fail(r, 1, "out of memory");
        else if (!a->name)
            status = fail(r, 1, "%s: arm %zu has no name", r->path, d->n_arms - 1);
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "reading the arms");
    if (status == 0 && d->n_arms == 0) status = fail(r, 1, "%s: the sweep has no arm", r->path);
    sqlite3_finalize(st);
    return status;
}

static const metric_spec *find_metric(const char *name)
{
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    for (size_t m = 0; m < n_models; m++)
        for (size_t k = 0; k < models[m]->metrics->n_specs; k++)
            if (strcmp(models[m]->metrics->specs[k].name, name) == 0)
                return &models[m]->metrics->specs[k];
    return NULL;
}

static int read_outputs(rsw_reader *r, rsw_data *d)
{
    sqlite3_stmt *st = NULL;
    if (prepare(r,
                "SELECT output_id, name, metric, area, summary, from_year, to_year, date "
                "FROM outputs ORDER BY output_id",
                &st, "the outputs table") != 0)
        return 1;
    int rc, status = 0, oom = 0;
    while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_int64(st, 0) != (long long)d->n_outputs) {
            status = fail(r, 1, "%s: outputs: output_id %lld where %zu was expected", r->path,
                          sqlite3_column_int64(st, 0), d->n_outputs);
            break;
        }
        rsw_output *grown = realloc(d->outputs, (d->n_outputs + 1) * sizeof *grown);
        if (!grown) {
            status = fail(r, 1, "out of memory");
            break;
        }
        d->outputs = grown;
        rsw_output *o = &d->outputs[d->n_outputs++];
        *o = (rsw_output){ .name = col_text(st, 1, &oom),
                           .metric = col_text(st, 2, &oom),
                           .area = col_text(st, 3, &oom),
                           .summary = col_text(st, 4, &oom),
                           .from_year = col_text(st, 5, &oom),
                           .to_year = col_text(st, 6, &oom),
                           .date = col_text(st, 7, &oom) };
        if (oom) {
            status = fail(r, 1, "out of memory");
        } else if (!o->name || !o->metric || !o->summary) {
            status = fail(r, 1, "%s: output %zu has no name, metric or summary", r->path,
                          d->n_outputs - 1);
        } else {
            const metric_spec *spec = find_metric(o->metric);
            o->unit = spec && spec->unit && *spec->unit ? spec->unit : NULL;
            o->money = spec && metric_is_money(spec);
            o->flow = spec && (spec->kind == METRIC_COUNT || spec->kind == METRIC_MONEY);
        }
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "reading the outputs");
    sqlite3_finalize(st);
    return status;
}

static int read_points(rsw_reader *r, rsw_data *d)
{
    sqlite3_stmt *st = NULL;
    if (prepare(r, "SELECT count(*) FROM points", &st, "the points table") != 0) return 1;
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (n != d->n_points)
        return fail(r, 1, "%s: the points table has %lld rows; the sweep row says %lld points",
                    r->path, n, d->n_points);
    size_t n_values = (size_t)d->n_points * (d->n_params ? d->n_params : 1);
    if (!(d->values = malloc(n_values * sizeof *d->values))) return fail(r, 1, "out of memory");
    for (size_t i = 0; i < n_values; i++) d->values[i] = NAN;
    if (prepare(r, "SELECT point_id, param_id, value FROM point_values", &st,
                "the point_values table") != 0)
        return 1;
    int rc, status = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long p = sqlite3_column_int64(st, 0), j = sqlite3_column_int64(st, 1);
        if (p < 0 || p >= d->n_points || j < 0 || (size_t)j >= d->n_params) {
            status = fail(r, 1,
                          "%s: point_values: point %lld, parameter %lld is outside the "
                          "sweep's %lld points and %zu parameters",
                          r->path, p, j, d->n_points, d->n_params);
            break;
        }
        d->values[(size_t)p * d->n_params + (size_t)j] = col_real(st, 2);
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "reading the point values");
    sqlite3_finalize(st);
    return status;
}

/* Runs ok and failed per arm, and the first failures' reasons. */
static int read_runs(rsw_reader *r, rsw_data *d)
{
    sqlite3_stmt *st = NULL;
    if (prepare(r, "SELECT arm_id, status, count(*) FROM runs GROUP BY arm_id, status", &st,
                "the runs table") != 0)
        return 1;
    int rc, status = 0, oom = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long a = sqlite3_column_int64(st, 0);
        const char *s = (const char *)sqlite3_column_text(st, 1);
        if (a < 0 || (size_t)a >= d->n_arms) {
            status = fail(r, 1, "%s: runs of arm %lld, outside the sweep's %zu arms", r->path, a,
                          d->n_arms);
            break;
        }
        if (s && strcmp(s, "ok") == 0)
            d->arms[a].runs_ok += sqlite3_column_int64(st, 2);
        else
            d->arms[a].runs_failed += sqlite3_column_int64(st, 2);
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "counting the runs");
    sqlite3_finalize(st);
    if (status != 0) return status;
    if (prepare(r,
                "SELECT point_id, arm_id, replication, error FROM runs WHERE status <> 'ok' "
                "ORDER BY point_id, arm_id, replication LIMIT 5",
                &st, "the runs table") != 0)
        return 1;
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW &&
           d->n_failures < RSW_MAX_FAILURES_SHOWN) {
        rsw_failure *f = &d->failures[d->n_failures++];
        *f = (rsw_failure){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                            sqlite3_column_int64(st, 2), col_text(st, 3, &oom) };
    }
    if (oom)
        status = fail(r, 1, "out of memory");
    else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        status = sql_fail(r, "reading failed runs");
    sqlite3_finalize(st);
    return status;
}

static void cell_add(rsw_cell *c, double v)
{
    c->n++;
    double delta = v - c->mean;
    c->mean += delta / c->n;
    c->m2 += delta * (v - c->mean);
}

/* Every ok run's summaries into the cells. */
static int read_summaries(rsw_reader *r, rsw_data *d)
{
    size_t per_kind = (size_t)d->n_points * d->n_arms * (d->n_outputs ? d->n_outputs : 1);
    if (per_kind > RSW_MAX_CELLS / 2)
        return fail(r, 1, "%s: %lld points x %zu arms x %zu outputs are too many to report",
                    r->path, d->n_points, d->n_arms, d->n_outputs);
    d->cells = calloc(per_kind, sizeof *d->cells);
    d->diffs = calloc(per_kind, sizeof *d->diffs);
    if (!d->cells || !d->diffs) return fail(r, 1, "out of memory");
    sqlite3_stmt *st = NULL;
    if (prepare(r,
                "SELECT s.point_id, s.arm_id, s.output_id, s.value, s.difference "
                "FROM summaries s JOIN runs r ON r.point_id = s.point_id AND r.arm_id = s.arm_id "
                "AND r.replication = s.replication WHERE r.status = 'ok'",
                &st, "the summaries table") != 0)
        return 1;
    int rc, status = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long p = sqlite3_column_int64(st, 0), a = sqlite3_column_int64(st, 1),
                  o = sqlite3_column_int64(st, 2);
        if (p < 0 || p >= d->n_points || a < 0 || (size_t)a >= d->n_arms || o < 0 ||
            (size_t)o >= d->n_outputs) {
            status = fail(r, 1,
                          "%s: summaries: point %lld, arm %lld, output %lld is outside "
                          "the sweep",
                          r->path, p, a, o);
            break;
        }
        size_t at = ((size_t)a * d->n_outputs + (size_t)o) * d->n_points + (size_t)p;
        double v = col_real(st, 3), diff = col_real(st, 4);
        if (isfinite(v)) cell_add(&d->cells[at], v);
        if (a > 0 && isfinite(diff)) cell_add(&d->diffs[at], diff);
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "reading the summaries");
    sqlite3_finalize(st);
    return status;
}

static int has_table(rsw_reader *r, const char *name, int *out)
{
    sqlite3_stmt *st = NULL;
    if (prepare(r, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", &st,
                "sqlite_master") != 0)
        return 1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sql_fail(r, "reading the schema");
    *out = rc == SQLITE_ROW;
    return 0;
}

int rsw_read(const char *path, rsw_data *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    rsw_reader r = { NULL, path, err, errlen };
    struct stat sb;
    int status;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        status = fail(&r, 1, "%s: no such results database", path);
    } else if (sqlite3_open_v2(path, &r.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        status = r.db ? sql_fail(&r, "cannot open") : fail(&r, 1, "%s: out of memory", path);
    } else {
        sqlite3_busy_timeout(r.db, 5000);
        status = read_version(&r, d);
        if (status == 0) status = read_sweep(&r, d);
        if (status == 0) status = read_parameters(&r, d);
        if (status == 0) status = read_arms(&r, d);
        if (status == 0) status = read_outputs(&r, d);
        if (status == 0) status = read_points(&r, d);
        if (status == 0) status = read_runs(&r, d);
        if (status == 0) status = read_summaries(&r, d);
        if (status == 0) status = has_table(&r, "money", &d->has_money);
        d->runs_expected = (long)(d->n_points * d->replications * (long long)d->n_arms);
    }
    sqlite3_close(r.db);
    if (status != 0) rsw_data_free(d);
    return status;
}

void rsw_data_free(rsw_data *d)
{
    char **texts[] = { &d->name,        &d->sweep_path, &d->sha256, &d->program_version,
                       &d->master_seed, &d->design,     &d->shard,  &d->created };
    for (int i = 0; i < 8; i++) free(*texts[i]);
    for (size_t j = 0; j < d->n_params; j++) {
        free(d->params[j].key);
        free(d->params[j].column);
        free(d->params[j].distribution);
    }
    for (size_t a = 0; a < d->n_arms; a++) {
        free(d->arms[a].name);
        free(d->arms[a].scenario);
    }
    for (size_t o = 0; o < d->n_outputs; o++) {
        rsw_output *x = &d->outputs[o];
        char *texts_o[] = { x->name,      x->metric,  x->area, x->summary,
                            x->from_year, x->to_year, x->date };
        for (int i = 0; i < 7; i++) free(texts_o[i]);
    }
    for (size_t f = 0; f < d->n_failures; f++) free(d->failures[f].error);
    free(d->params);
    free(d->arms);
    free(d->outputs);
    free(d->values);
    free(d->cells);
    free(d->diffs);
    memset(d, 0, sizeof *d);
}
