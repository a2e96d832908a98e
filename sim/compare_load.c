/* compare_load.c — run directories for compare: experiment.json,
 * manifest.json and years.csv (CONTRACTS.md §§ 1–3), read and checked,
 * every problem a one-line reason naming the file (and line). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare_internal.h"
#include "dates.h"
#include "output.h"

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

static char *join_path(const char *dir, const char *name)
{
    size_t ld = strlen(dir), ln = strlen(name);
    char *path = malloc(ld + ln + 2);
    if (!path) return NULL;
    memcpy(path, dir, ld);
    path[ld] = '/';
    memcpy(path + ld + 1, name, ln + 1);
    return path;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A JSON file: NULL after a reason (missing, unreadable, not JSON, not an
 * object). */
static json_t *load_json(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open (%s)", path, strerror(errno));
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr);
    fclose(f);
    if (!root) {
        snprintf(err, errlen, "%s:%d: not valid JSON (%s)", path, jerr.line, jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        snprintf(err, errlen, "%s: not a JSON object", path);
        json_decref(root);
        return NULL;
    }
    return root;
}

static int experiment_dirs(const char *dir, char ***out, size_t *n_out, char *err, size_t errlen)
{
    char *path = join_path(dir, "experiment.json");
    if (!path) return snprintf(err, errlen, "out of memory"), CMP_DATA;
    json_t *root = load_json(path, err, errlen);
    int status = CMP_DATA;
    json_t *arms = root ? json_object_get(root, "arms") : NULL;
    if (!root) {
        /* reason given */
    } else if (!json_is_string(json_object_get(root, "program")) ||
               strcmp(json_string_value(json_object_get(root, "program")), "placesim") != 0) {
        snprintf(err, errlen, "%s: \"program\" is not \"placesim\"", path);
    } else if (!json_is_array(arms) || json_array_size(arms) < 2) {
        snprintf(err, errlen, "%s: \"arms\" must list the base and at least one arm", path);
    } else if (!(*out = calloc(json_array_size(arms), sizeof **out))) {
        snprintf(err, errlen, "out of memory");
    } else {
        status = 0;
        for (size_t i = 0; i < json_array_size(arms) && status == 0; i++) {
            const char *d = json_string_value(json_object_get(json_array_get(arms, i), "dir"));
            /* An arm lives inside the experiment: a relative path that does
             * not climb out of it. */
            if (!d || !*d || d[0] == '/' || strstr(d, "..")) {
                snprintf(err, errlen, "%s: arms[%zu].dir must be a directory inside the experiment",
                         path, i);
                status = CMP_DATA;
            } else if (!((*out)[i] = join_path(dir, d))) {
                snprintf(err, errlen, "out of memory");
                status = CMP_DATA;
            }
            *n_out = i + 1;
        }
    }
    json_decref(root);
    free(path);
    return status;
}

int cmp_resolve_dirs(const char *const *dirs, size_t n_dirs, char ***out, size_t *n_out, char *err,
                     size_t errlen)
{
    *out = NULL;
    *n_out = 0;
    if (n_dirs == 0) return snprintf(err, errlen, "no run directories given"), CMP_USAGE;
    for (size_t i = 0; i < n_dirs; i++) {
        char *exp = join_path(dirs[i], "experiment.json");
        char *man = join_path(dirs[i], "manifest.json");
        if (!exp || !man) {
            free(exp);
            free(man);
            return snprintf(err, errlen, "out of memory"), CMP_DATA;
        }
        int experiment = is_file(exp) && !is_file(man);
        free(exp);
        free(man);
        if (experiment && n_dirs == 1) return experiment_dirs(dirs[0], out, n_out, err, errlen);
        if (experiment) {
            snprintf(err, errlen, "%s is an experiment directory: give it alone", dirs[i]);
            return CMP_USAGE;
        }
    }
    if (n_dirs == 1) {
        snprintf(err, errlen,
                 "%s: one run directory; give a base and an arm (BASE_DIR ARM_DIR...) "
                 "or an experiment directory (with experiment.json)",
                 dirs[0]);
        return CMP_USAGE;
    }
    if (!(*out = calloc(n_dirs, sizeof **out)))
        return snprintf(err, errlen, "out of memory"), CMP_DATA;
    *n_out = n_dirs;
    for (size_t i = 0; i < n_dirs; i++)
        if (!((*out)[i] = dup_string(dirs[i])))
            return snprintf(err, errlen, "out of memory"), CMP_DATA;
    return 0;
}

static const char *member_string(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

int cmp_load_manifest(cmp_run *run, const char *dir, char *err, size_t errlen)
{
    memset(run, 0, sizeof *run);
    char *path = join_path(dir, "manifest.json");
    if (!(run->dir = dup_string(dir)) || !path) {
        free(path);
        return snprintf(err, errlen, "out of memory"), CMP_DATA;
    }
    json_t *root = load_json(path, err, errlen);
    int status = CMP_DATA;
    json_t *scenario = root ? json_object_get(root, "scenario") : NULL;
    json_t *reps = root ? json_object_get(root, "replications") : NULL;
    const char *program = root ? member_string(root, "program") : NULL;
    if (!root) {
        /* reason given */
    } else if (!program || strcmp(program, "placesim") != 0) {
        snprintf(err, errlen, "%s: \"program\" is not \"placesim\"", path);
    } else if (!member_string(scenario, "name") || !member_string(scenario, "hash")) {
        snprintf(err, errlen, "%s: no \"scenario\" with \"name\" and \"hash\"", path);
    } else if (!member_string(root, "master_seed")) {
        snprintf(err, errlen, "%s: no \"master_seed\" (a decimal string)", path);
    } else if (!json_is_array(reps) || json_array_size(reps) == 0) {
        snprintf(err, errlen, "%s: \"replications\" is not a non-empty list", path);
    } else if (!(run->name = dup_string(member_string(scenario, "name"))) ||
               !(run->sha256 = dup_string(member_string(scenario, "hash"))) ||
               !(run->master_seed = dup_string(member_string(root, "master_seed"))) ||
               !(run->seeds = calloc(json_array_size(reps), sizeof *run->seeds))) {
        snprintf(err, errlen, "out of memory");
    } else {
        status = 0;
        run->n_reps = json_array_size(reps);
        for (size_t i = 0; i < run->n_reps && status == 0; i++) {
            json_t *rep = json_array_get(reps, i);
            const char *seed = member_string(rep, "seed");
            double number = json_number_value(json_object_get(rep, "replication"));
            if (!seed || number != (double)(i + 1)) {
                snprintf(err, errlen, "%s: replications[%zu] is not replication %zu with its seed",
                         path, i, i + 1);
                status = CMP_DATA;
            } else if (!(run->seeds[i] = dup_string(seed))) {
                snprintf(err, errlen, "out of memory");
                status = CMP_DATA;
            }
        }
    }
    json_decref(root);
    free(path);
    return status;
}

void cmp_run_free(cmp_run *run)
{
    for (size_t i = 0; run->seeds && i < run->n_reps; i++) free(run->seeds[i]);
    free(run->seeds);
    free(run->dir);
    free(run->name);
    free(run->master_seed);
    free(run->sha256);
    free(run->years);
    json_decref(run->metrics_seen);
    json_decref(run->areas_seen);
    free(run->value);
    free(run->weight);
    free(run->seen);
    free(run->present);
    memset(run, 0, sizeof *run);
}

/* ---- years.csv ---- */

static const char years_header[] =
    "scenario,replication,year,first_date,last_date,area,metric,value,weight";
enum { YEARS_FIELDS = 9 };

/* A finite number filling the text: 0, or -1. */
static int parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || *end || errno == ERANGE || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static int note_name(json_t *set, const char *name)
{
    if (json_object_get(set, name)) return 0;
    return json_object_set_new_nocheck(set, name, json_true());
}

/* Grows the value arrays by one year (NaN, unseen). */
static int add_year(cmp_run *run, const cmp_year *y)
{
    size_t cell = run->n_reps * run->n_slots, n = (run->n_years + 1) * cell;
    cmp_year *years = realloc(run->years, (run->n_years + 1) * sizeof *years);
    if (!years) return -1;
    run->years = years;
    if (cell) {
        double *v = realloc(run->value, n * sizeof *v);
        if (!v) return -1;
        run->value = v;
        double *w = realloc(run->weight, n * sizeof *w);
        if (!w) return -1;
        run->weight = w;
        unsigned char *s = realloc(run->seen, n);
        if (!s) return -1;
        run->seen = s;
        for (size_t i = n - cell; i < n; i++) {
            run->value[i] = NAN;
            run->weight[i] = NAN;
            run->seen[i] = 0;
        }
    }
    run->years[run->n_years++] = *y;
    return 0;
}

typedef struct years_reader {
    cmp_run *run;
    const cmp_request *req;
    const char *path;
    long line;
    size_t last_year; /* index of the previous row's year (a cache) */
    char *err;
    size_t errlen;
} years_reader;

static int bad(years_reader *r, const char *fmt, const char *what)
{
    char reason[400];
    snprintf(reason, sizeof reason, fmt, what);
    snprintf(r->err, r->errlen, "%s:%ld: %s", r->path, r->line, reason);
    return CMP_DATA;
}

/* The row's year (added when new): its index, or -1 after a reason. */
static long row_year(years_reader *r, char *const f[YEARS_FIELDS], int *status)
{
    cmp_run *run = r->run;
    if (r->last_year < run->n_years && strcmp(run->years[r->last_year].label, f[2]) == 0)
        return (long)r->last_year;
    cmp_year y = { .fy = 0 };
    if (cmp_parse_year_label(f[2], &y.fy) != 0)
        return *status = bad(r, "year '%s' is not a financial year label such as 2026/27", f[2]),
               -1;
    if (date_parse(f[3], &y.first_day) != 0 || date_parse(f[4], &y.last_day) != 0 ||
        y.first_day > y.last_day || y.first_day < date_financial_year_start(y.fy) ||
        y.last_day >= date_financial_year_start(y.fy + 1))
        return *status = bad(r, "first_date and last_date are not days of %s in order", f[2]), -1;
    memcpy(y.label, f[2], 8);
    y.whole = y.first_day == date_financial_year_start(y.fy) &&
              y.last_day == date_financial_year_start(y.fy + 1) - 1;
    for (size_t i = 0; i < run->n_years; i++) {
        if (run->years[i].fy != y.fy) continue;
        if (run->years[i].first_day != y.first_day || run->years[i].last_day != y.last_day)
            return *status = bad(r, "year %s has other dates than in earlier rows", f[2]), -1;
        r->last_year = i;
        return (long)i;
    }
    if (run->n_years && y.fy < run->years[run->n_years - 1].fy)
        return *status = bad(r, "year %s after a later year (rows must be in date order)", f[2]),
               -1;
    if (add_year(run, &y) != 0) return *status = bad(r, "%s", "out of memory"), -1;
    r->last_year = run->n_years - 1;
    return (long)r->last_year;
}

static int read_row(years_reader *r, char *line)
{
    cmp_run *run = r->run;
    char *f[YEARS_FIELDS];
    if (csv_split_line(line, f, YEARS_FIELDS) != YEARS_FIELDS)
        return bad(r, "%s", "not 9 CSV fields (scenario,replication,...,value,weight)");
    if (strcmp(f[0], run->name) != 0)
        return bad(r, "scenario '%s' is not the one manifest.json names", f[0]);
    double rep;
    if (parse_number(f[1], &rep) != 0 || rep != floor(rep) || rep < 1 || rep > (double)run->n_reps)
        return bad(r, "replication '%s' is not one that manifest.json lists", f[1]);
    int status = 0;
    long y = row_year(r, f, &status);
    if (y < 0) return status;
    if (!*f[5] || !*f[6]) return bad(r, "%s", "empty area or metric");
    if (note_name(run->areas_seen, f[5]) != 0 || note_name(run->metrics_seen, f[6]) != 0)
        return bad(r, "%s", "out of memory");
    double value = NAN, weight = NAN;
    if (strcmp(f[7], "NA") != 0 && parse_number(f[7], &value) != 0)
        return bad(r, "value '%s' is neither a number nor NA", f[7]);
    if (*f[8] && strcmp(f[8], "NA") != 0 && (parse_number(f[8], &weight) != 0 || weight < 0))
        return bad(r, "weight '%s' is not a number >= 0", f[8]);
    long slot = cmp_request_find(r->req, f[6], f[5]);
    if (slot < 0) return 0;
    int kind = r->req->kind[slot];
    if ((kind == METRIC_EVENT_MEAN || kind == METRIC_EVENT_MEDIAN) && !isnan(value) &&
        isnan(weight))
        return bad(r, "%s has a value but no weight (its number of events)", f[6]);
    size_t cell = ((size_t)y * run->n_reps + (size_t)rep - 1) * run->n_slots + (size_t)slot;
    if (run->seen[cell]) return bad(r, "%s", "the same replication, year, area and metric again");
    run->seen[cell] = 1;
    run->present[slot] = 1;
    run->value[cell] = value;
    run->weight[cell] = weight;
    return 0;
}

/* Every row of a slot that the file has at all: each replication, each
 * year (CONTRACTS.md § 1), or a truncated file would pass for data. */
static int check_complete(const cmp_run *run, const cmp_request *req, const char *path, char *err,
                          size_t errlen)
{
    for (size_t s = 0; s < run->n_slots; s++) {
        if (!run->present[s]) continue;
        for (size_t y = 0; y < run->n_years; y++)
            for (size_t r = 0; r < run->n_reps; r++)
                if (!run->seen[(y * run->n_reps + r) * run->n_slots + s]) {
                    snprintf(err, errlen,
                             "%s: no row for replication %zu, year %s, area %s, "
                             "metric %s",
                             path, r + 1, run->years[y].label, req->area[s], req->metric[s]);
                    return CMP_DATA;
                }
    }
    return 0;
}

int cmp_load_years(cmp_run *run, const cmp_request *req, char *err, size_t errlen)
{
    char *path = join_path(run->dir, "years.csv");
    run->n_slots = req->n;
    run->metrics_seen = json_object();
    run->areas_seen = json_object();
    run->present = calloc(req->n ? req->n : 1, 1);
    if (!path || !run->metrics_seen || !run->areas_seen || !run->present) {
        free(path);
        return snprintf(err, errlen, "out of memory"), CMP_DATA;
    }
    years_reader r = { run, req, path, 0, 0, err, errlen };
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open (%s)", path, strerror(errno));
        free(path);
        return CMP_DATA;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int status = 0;
    while (status == 0 && (len = getline(&line, &cap, f)) >= 0) {
        r.line++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if ((size_t)len != strlen(line)) {
            status = bad(&r, "%s", "a NUL byte in the line");
        } else if (r.line == 1) {
            if (strcmp(line, years_header) != 0)
                status = bad(&r, "the header is not '%s'", years_header);
        } else {
            status = read_row(&r, line);
        }
    }
    if (status == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        status = CMP_DATA;
    } else if (status == 0 && r.line == 0) {
        snprintf(err, errlen, "%s: empty (no header)", path);
        status = CMP_DATA;
    } else if (status == 0 && run->n_years == 0) {
        snprintf(err, errlen, "%s: no rows", path);
        status = CMP_DATA;
    }
    free(line);
    fclose(f);
    if (status == 0) status = check_complete(run, req, path, err, errlen);
    free(path);
    return status;
}
