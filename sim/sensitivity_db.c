/* sensitivity_db.c — the model outputs of a Saltelli sweep, read from its
 * results store (README.md § "Sweep results (SQLite)") for sobol_estimate. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "sobol.h"

/* Status of a refusal: the request names something the store lacks
 * (a usage error), or the store cannot give the indices (bad data). */
enum { SENS_USAGE = 2, SENS_DATA = 1 };

typedef struct reader {
    sqlite3 *db;
    const char *path;
    char *err;
    size_t errlen;
} reader;

static int fail(reader *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(reader *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, r->errlen, fmt, ap);
    va_end(ap);
    return status;
}

static int sql_fail(reader *r, const char *what)
{
    return fail(r, SENS_DATA, "%s: %s: %s", r->path, what, sqlite3_errmsg(r->db));
}

static char *dup_text(const unsigned char *text)
{
    const char *s = text ? (const char *)text : "";
    char *copy = malloc(strlen(s) + 1);
    if (copy) strcpy(copy, s);
    return copy;
}

/* Appends ", text" (or "text" first) to a list being built in buf. */
static void list_add(char *buf, size_t buflen, const char *text)
{
    size_t used = strlen(buf);
    if (used + 1 < buflen) snprintf(buf + used, buflen - used, "%s%s", used ? ", " : "", text);
}

typedef struct sweep_row {
    char *name, *design;
    long long samples, n_points, replications;
} sweep_row;

static int read_sweep(reader *r, sweep_row *s)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT name, design, samples, n_points, replications "
                           "FROM sweep WHERE id = 1",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(r, SENS_DATA, "%s: not a placesim results database (%s)", r->path,
                    sqlite3_errmsg(r->db));
    int rc = sqlite3_step(st), status = 0;
    if (rc == SQLITE_ROW) {
        s->name = dup_text(sqlite3_column_text(st, 0));
        s->design = dup_text(sqlite3_column_text(st, 1));
        s->samples = sqlite3_column_int64(st, 2);
        s->n_points = sqlite3_column_int64(st, 3);
        s->replications = sqlite3_column_int64(st, 4);
        if (!s->name || !s->design) status = fail(r, SENS_DATA, "out of memory");
    } else if (rc == SQLITE_DONE) {
        status = fail(r, SENS_DATA, "%s: not a placesim results database (no sweep row)", r->path);
    } else {
        status = sql_fail(r, "reading the sweep row");
    }
    sqlite3_finalize(st);
    return status;
}

/* The parameter keys in param_id order (0..k-1). */
static int read_parameters(reader *r, sensitivity_data *d)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT param_id, key FROM parameters ORDER BY param_id", -1, &st,
                           NULL) != SQLITE_OK)
        return sql_fail(r, "reading the parameters");
    int rc, status = 0;
    while (status == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_int64(st, 0) != (long long)d->k) {
            status = fail(r, SENS_DATA, "%s: parameters: param_id %lld where %zu was expected",
                          r->path, sqlite3_column_int64(st, 0), d->k);
            break;
        }
        char **grown = realloc(d->params, (d->k + 1) * sizeof *grown);
        char *key = dup_text(sqlite3_column_text(st, 1));
        if (grown) d->params = grown;
        if (!grown || !key) {
            free(key);
            status = fail(r, SENS_DATA, "out of memory");
            break;
        }
        d->params[d->k++] = key;
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "reading the parameters");
    if (status == 0 && d->k == 0)
        status = fail(r, SENS_DATA, "%s: the sweep varies no parameter", r->path);
    sqlite3_finalize(st);
    return status;
}

/* The arm asked for (default arm 0) into *arm_id and d->arm. */
static int resolve_arm(reader *r, const sensitivity_request *req, sensitivity_data *d,
                       long long *arm_id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT arm_id, name FROM arms ORDER BY arm_id", -1, &st, NULL) !=
        SQLITE_OK)
        return sql_fail(r, "reading the arms");
    char names[1024] = "", base[256] = "";
    long long found = -1, n_arms = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (!name) name = "";
        long long id = sqlite3_column_int64(st, 0);
        if (n_arms++ == 0) snprintf(base, sizeof base, "%s", name);
        list_add(names, sizeof names, name);
        if (found < 0 && (req->arm ? strcmp(req->arm, name) == 0 : id == 0)) {
            found = id;
            free(d->arm);
            d->arm = dup_text((const unsigned char *)name);
        }
    }
    sqlite3_finalize(st);
    if (found < 0 && req->arm)
        return fail(r, SENS_USAGE, "%s: no arm '%s' (the sweep's arms: %s)", r->path, req->arm,
                    names);
    if (found < 0) return fail(r, SENS_DATA, "%s: the sweep has no arm 0", r->path);
    if (!d->arm) return fail(r, SENS_DATA, "out of memory");
    if (req->difference && found == 0)
        return fail(r, SENS_USAGE,
                    "--difference is against the base arm '%s': name another arm "
                    "with --arm (the sweep's arms: %s)",
                    base, names);
    *arm_id = found;
    return 0;
}

static int known_summary(const char *s)
{
    static const char *const kinds[] = { "total", "mean_per_year", "value_at", "median" };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(s, kinds[i]) == 0) return 1;
    return 0;
}

/* The output asked for: by name, else by metric (and summary when given). */
static int resolve_output(reader *r, const sensitivity_request *req, sensitivity_data *d,
                          long long *output_id)
{
    if (req->summary && !known_summary(req->summary))
        return fail(r, SENS_USAGE,
                    "unknown summary '%s' (total, mean_per_year, value_at, "
                    "median)",
                    req->summary);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT output_id, name, metric, summary, area FROM outputs "
                           "ORDER BY output_id",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(r, "reading the outputs");
    char all[2048] = "", matching[1024] = "";
    size_t n_matching = 0, n_metric = 0;
    long long found = -1;
    int by_name = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1),
                   *metric = (const char *)sqlite3_column_text(st, 2),
                   *summary = (const char *)sqlite3_column_text(st, 3);
        if (!name || !metric || !summary) continue;
        char entry[512];
        snprintf(entry, sizeof entry, "%s (%s %s)", name, metric, summary);
        list_add(all, sizeof all, entry);
        int named = strcmp(name, req->metric) == 0;
        int metric_match = strcmp(metric, req->metric) == 0;
        n_metric += metric_match;
        int summary_ok = !req->summary || strcmp(summary, req->summary) == 0;
        if (by_name || !summary_ok || !(named || metric_match)) continue;
        if (named) { /* a name is unique: it wins over metric matches */
            by_name = 1;
            n_matching = 0;
            matching[0] = '\0';
        }
        n_matching++;
        list_add(matching, sizeof matching, name);
        if (found < 0 || named) {
            found = sqlite3_column_int64(st, 0);
            free(d->output_name);
            free(d->metric);
            free(d->summary);
            free(d->area);
            d->output_name = dup_text(sqlite3_column_text(st, 1));
            d->metric = dup_text(sqlite3_column_text(st, 2));
            d->summary = dup_text(sqlite3_column_text(st, 3));
            d->area = dup_text(sqlite3_column_text(st, 4));
        }
    }
    sqlite3_finalize(st);
    if (n_matching == 0 && n_metric > 0)
        return fail(r, SENS_USAGE,
                    "%s: metric '%s' is kept with no summary '%s' (the sweep's "
                    "outputs: %s)",
                    r->path, req->metric, req->summary, all);
    if (n_matching == 0)
        return fail(r, SENS_USAGE, "%s: no output '%s' (the sweep's outputs: %s)", r->path,
                    req->metric, all);
    if (n_matching > 1)
        return fail(r, SENS_USAGE,
                    "%s: metric '%s' has %zu outputs (%s): give --summary, or one "
                    "output's name as --metric",
                    r->path, req->metric, n_matching, matching);
    if (!d->output_name || !d->metric || !d->summary || !d->area)
        return fail(r, SENS_DATA, "out of memory");
    *output_id = found;
    return 0;
}

/* Where each point's output goes: slot[p] = i (A_i), n + i (B_i) or
 * 2n + i*k + j (AB_i^(j)), over the 2n + n*k outputs. */
static int read_points(reader *r, size_t n, size_t k, size_t n_points, size_t *slot)
{
    size_t n_slots = n * (k + 2);
    unsigned char *taken = calloc(n_slots, 1);
    if (!taken) return fail(r, SENS_DATA, "out of memory");
    for (size_t p = 0; p < n_points; p++) slot[p] = SIZE_MAX;
    sqlite3_stmt *st = NULL;
    int status = 0, rc = SQLITE_DONE;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT point_id, saltelli_sample, saltelli_matrix, "
                           "saltelli_column FROM points ORDER BY point_id",
                           -1, &st, NULL) != SQLITE_OK) {
        status = sql_fail(r, "reading the points");
        goto done;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long p = sqlite3_column_int64(st, 0), i = sqlite3_column_int64(st, 1),
                  j = sqlite3_column_int64(st, 3);
        const char *m = (const char *)sqlite3_column_text(st, 2);
        size_t s = SIZE_MAX;
        int typed = sqlite3_column_type(st, 1) == SQLITE_INTEGER;
        if (typed && m && p >= 0 && (size_t)p < n_points && i >= 0 && (size_t)i < n) {
            if (strcmp(m, "A") == 0 && j == -1)
                s = (size_t)i;
            else if (strcmp(m, "B") == 0 && j == -1)
                s = n + (size_t)i;
            else if (strcmp(m, "C") == 0 && j >= 0 && (size_t)j < k)
                s = 2 * n + (size_t)i * k + (size_t)j;
        }
        if (s == SIZE_MAX || taken[s]) {
            status = fail(r, SENS_DATA,
                          "%s: point %lld: its Saltelli place (sample %lld, matrix "
                          "%s, column %lld) is %s",
                          r->path, p, i, m ? m : "NULL", j,
                          s == SIZE_MAX ? "outside the design" : "another point's too");
            goto done;
        }
        taken[s] = 1;
        slot[p] = s;
    }
    if (rc != SQLITE_DONE) {
        status = sql_fail(r, "reading the points");
        goto done;
    }
    for (size_t p = 0; p < n_points; p++)
        if (slot[p] == SIZE_MAX) {
            status = fail(r, SENS_DATA, "%s: point %zu of %zu is missing from the points table",
                          r->path, p, n_points);
            goto done;
        }
done:
    sqlite3_finalize(st);
    free(taken);
    return status;
}

/* Per point: runs recorded, and the sum and count of the ok replications'
 * values (or differences). */
typedef struct point_tally {
    unsigned runs;
    unsigned values;
    double sum;
} point_tally;

static int read_values(reader *r, long long arm_id, long long output_id, int difference,
                       size_t n_points, point_tally *tally, long *failed)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT r.point_id, r.status, s.value, s.difference FROM runs r "
                           "LEFT JOIN summaries s ON s.point_id = r.point_id AND s.arm_id = "
                           "r.arm_id AND s.replication = r.replication AND s.output_id = ?1 "
                           "WHERE r.arm_id = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return sql_fail(r, "reading the summaries");
    sqlite3_bind_int64(st, 1, output_id);
    sqlite3_bind_int64(st, 2, arm_id);
    int rc, status = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long p = sqlite3_column_int64(st, 0);
        if (p < 0 || (size_t)p >= n_points) {
            status = fail(r, SENS_DATA, "%s: a run of point %lld, outside the sweep's %zu points",
                          r->path, p, n_points);
            break;
        }
        point_tally *t = &tally[p];
        t->runs++;
        const char *run_status = (const char *)sqlite3_column_text(st, 1);
        if (!run_status || strcmp(run_status, "ok") != 0) {
            (*failed)++;
            continue;
        }
        int col = difference ? 3 : 2;
        if (sqlite3_column_type(st, col) == SQLITE_NULL) continue; /* NA */
        t->sum += sqlite3_column_double(st, col);
        t->values++;
    }
    if (status == 0 && rc != SQLITE_DONE) status = sql_fail(r, "reading the summaries");
    sqlite3_finalize(st);
    return status;
}

/* The outputs into d->fa, fb, fab, keeping the base samples whose k+2
 * points all have a value. */
static int gather(reader *r, sensitivity_data *d, const double *f)
{
    size_t n = d->n_design, k = d->k;
    d->fa = malloc(n * sizeof *d->fa);
    d->fb = malloc(n * sizeof *d->fb);
    d->fab = malloc(n * k * sizeof *d->fab);
    if (!d->fa || !d->fb || !d->fab) return fail(r, SENS_DATA, "out of memory");
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int complete = isfinite(f[i]) && isfinite(f[n + i]);
        for (size_t j = 0; j < k; j++) complete = complete && isfinite(f[2 * n + i * k + j]);
        if (!complete) continue;
        d->fa[kept] = f[i];
        d->fb[kept] = f[n + i];
        memcpy(d->fab + kept * k, f + 2 * n + i * k, k * sizeof *d->fab);
        kept++;
    }
    d->n = kept;
    d->dropped = n - kept;
    if (kept < 2)
        return fail(r, SENS_DATA,
                    "%s: %s has a value at every point of only %zu of the %zu base "
                    "samples: at least 2 are needed",
                    r->path, d->output_name, kept, n);
    return 0;
}

static int read_all(reader *r, const sensitivity_request *req, sensitivity_data *d)
{
    sweep_row sw = { 0 };
    size_t *slot = NULL;
    point_tally *tally = NULL;
    double *f = NULL;
    long long arm_id = 0, output_id = 0;
    int status = read_sweep(r, &sw);
    if (status == 0 && strcmp(sw.design, "saltelli") != 0)
        status = fail(r, SENS_DATA,
                      "%s: sweep '%s' has a %s design: Sobol indices need a "
                      "saltelli design (design = { type = \"saltelli\"; samples = N; })",
                      r->path, sw.name, sw.design);
    if (status == 0) {
        d->sweep_name = sw.name;
        sw.name = NULL;
        status = read_parameters(r, d);
    }
    if (status == 0) status = resolve_output(r, req, d, &output_id);
    if (status == 0) status = resolve_arm(r, req, d, &arm_id);
    if (status != 0) goto done;
    /* The design's size: N base samples, k + 2 points each. */
    size_t n = (size_t)sw.samples, k = d->k;
    if (sw.samples < 1 || sw.replications < 1 || sw.replications > UINT32_MAX ||
        n > SIZE_MAX / (k + 2) / sizeof(double) || sw.n_points != (long long)(n * (k + 2))) {
        status = fail(r, SENS_DATA,
                      "%s: the sweep row's saltelli design does not add up: "
                      "N = %lld samples, k = %zu parameters, %lld replications, %lld points "
                      "(N(k+2) expected)",
                      r->path, sw.samples, k, sw.replications, sw.n_points);
        goto done;
    }
    d->n_design = n;
    d->replications = (unsigned)sw.replications;
    size_t n_points = n * (k + 2);
    slot = malloc(n_points * sizeof *slot);
    tally = calloc(n_points, sizeof *tally);
    f = malloc(n_points * sizeof *f);
    if (!slot || !tally || !f) {
        status = fail(r, SENS_DATA, "out of memory for %zu points", n_points);
        goto done;
    }
    status = read_points(r, n, k, n_points, slot);
    if (status == 0)
        status =
            read_values(r, arm_id, output_id, req->difference, n_points, tally, &d->failed_runs);
    if (status != 0) goto done;
    size_t unfinished = 0;
    for (size_t p = 0; p < n_points; p++) {
        unfinished += tally[p].runs < d->replications;
        f[slot[p]] = tally[p].values ? tally[p].sum / tally[p].values : NAN;
    }
    if (unfinished > 0) {
        status = fail(r, SENS_DATA,
                      "%s: the sweep is not finished: %zu of %zu points have fewer "
                      "than %u runs of arm '%s' (resume it with placesim sweep --resume, or "
                      "merge its shards, first)",
                      r->path, unfinished, n_points, d->replications, d->arm);
        goto done;
    }
    status = gather(r, d, f);
done:
    free(sw.name);
    free(sw.design);
    free(slot);
    free(tally);
    free(f);
    return status;
}

int sensitivity_read(const sensitivity_request *req, sensitivity_data *out, char *err,
                     size_t errlen)
{
    sensitivity_data d = { 0 };
    reader r = { NULL, req->db_path, err, errlen };
    struct stat sb;
    int status;
    /* Opening read-only never creates a file; stat first for a plain message. */
    if (stat(req->db_path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        status = fail(&r, SENS_DATA, "%s: no such results database", req->db_path);
    } else if (sqlite3_open_v2(req->db_path, &r.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        status = r.db ? sql_fail(&r, "cannot open")
                      : fail(&r, SENS_DATA, "%s: cannot open (out of memory)", req->db_path);
    } else {
        sqlite3_busy_timeout(r.db, 5000);
        status = read_all(&r, req, &d);
    }
    sqlite3_close(r.db);
    if (status != 0) {
        sensitivity_data_free(&d);
        return status;
    }
    *out = d;
    return 0;
}

void sensitivity_data_free(sensitivity_data *d)
{
    if (!d) return;
    free(d->sweep_name);
    free(d->output_name);
    free(d->metric);
    free(d->summary);
    free(d->area);
    free(d->arm);
    for (size_t j = 0; j < d->k; j++) free(d->params[j]);
    free(d->params);
    free(d->fa);
    free(d->fb);
    free(d->fab);
    memset(d, 0, sizeof *d);
}
