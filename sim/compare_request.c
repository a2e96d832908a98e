/* compare_request.c — what compare reads from a years.csv (slots), what a
 * metric is (kind and unit, from the registry), near names and year labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "compare_internal.h"
#include "model.h"

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy) memcpy(copy, s, n);
    return copy;
}

/* "area\nmetric": neither holds a newline (a CSV field with one is refused). */
static char *slot_key(const char *metric, const char *area)
{
    size_t la = strlen(area), lm = strlen(metric);
    char *key = malloc(la + lm + 2);
    if (!key) return NULL;
    memcpy(key, area, la);
    key[la] = '\n';
    memcpy(key + la + 1, metric, lm + 1);
    return key;
}

long cmp_request_find(const cmp_request *req, const char *metric, const char *area)
{
    if (!req->index) return -1;
    char *key = slot_key(metric, area);
    if (!key) return -1;
    json_t *v = json_object_get(req->index, key);
    free(key);
    return v ? (long)json_integer_value(v) : -1;
}

long cmp_request_add(cmp_request *req, const char *metric, const char *area)
{
    long found = cmp_request_find(req, metric, area);
    if (found >= 0) return found;
    if (!req->index && !(req->index = json_object())) return -1;
    if (req->n == req->cap) {
        size_t cap = req->cap ? 2 * req->cap : 32;
        char **m = realloc(req->metric, cap * sizeof *m);
        if (!m) return -1;
        req->metric = m;
        char **a = realloc(req->area, cap * sizeof *a);
        if (!a) return -1;
        req->area = a;
        int *k = realloc(req->kind, cap * sizeof *k);
        if (!k) return -1;
        req->kind = k;
        req->cap = cap;
    }
    char *key = slot_key(metric, area);
    char *m = dup_string(metric), *a = dup_string(area);
    json_t *index = json_integer((json_int_t)req->n);
    /* _nocheck: names from a file need not be UTF-8 to be looked up. */
    if (!key || !m || !a || !index || json_object_set_new_nocheck(req->index, key, index) != 0) {
        free(key);
        free(m);
        free(a);
        return -1;
    }
    free(key);
    metric_kind kind;
    const char *unit;
    req->metric[req->n] = m;
    req->area[req->n] = a;
    req->kind[req->n] = cmp_metric_kind(metric, &kind, &unit) == 0 ? (int)kind : -1;
    return (long)req->n++;
}

void cmp_request_free(cmp_request *req)
{
    for (size_t i = 0; i < req->n; i++) {
        free(req->metric[i]);
        free(req->area[i]);
    }
    free(req->metric);
    free(req->area);
    free(req->kind);
    json_decref(req->index);
    memset(req, 0, sizeof *req);
}

static const metric_spec *find_in(const metric_spec *specs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(specs[i].name, name) == 0) return &specs[i];
    return NULL;
}

static const metric_spec *registry_spec(const char *name)
{
    size_t n;
    const metric_spec *specs = budget_money_metrics(&n);
    const metric_spec *spec = find_in(specs, n, name);
    specs = budget_demand_metrics(&n);
    if (!spec) spec = find_in(specs, n, name);
    const model_def *const *models = model_registry(&n);
    for (size_t m = 0; !spec && m < n; m++)
        spec = find_in(models[m]->metrics->specs, models[m]->metrics->n_specs, name);
    return spec;
}

int cmp_metric_all_only(const char *name)
{
    const metric_spec *spec = registry_spec(name);
    metric_kind kind;
    const char *unit;
    /* The metrics declared at run time are all ALL-only. */
    return spec ? spec->all_only != 0 : cmp_metric_kind(name, &kind, &unit) == 0;
}

int cmp_metric_kind(const char *name, metric_kind *kind, const char **unit)
{
    const metric_spec *spec = registry_spec(name);
    if (spec) {
        *kind = spec->kind;
        *unit = spec->unit;
        return 0;
    }
    /* Metrics declared at run time, one per budget holder or intervention
     * (the engine's, not a model's: MODELS.md § 5; CONTRACTS.md § 4). */
    static const struct {
        const char *prefix;
        metric_kind kind;
        const char *unit;
    } runtime[] = {
        { "pool_in_", METRIC_MONEY, "GBP" },
        { "pool_return_", METRIC_MONEY, "GBP" },
        { "refusals_", METRIC_COUNT, "cases" },
        { "paused_days_", METRIC_COUNT, "days" },
    };
    for (size_t i = 0; i < sizeof runtime / sizeof runtime[0]; i++) {
        size_t lp = strlen(runtime[i].prefix);
        if (strncmp(name, runtime[i].prefix, lp) == 0 && name[lp]) {
            *kind = runtime[i].kind;
            *unit = runtime[i].unit;
            return 0;
        }
    }
    return -1;
}

/* Edit distance (names here are short: a plain two-row table). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 200 || lb > 200) return (size_t)-1;
    size_t prev[201], cur[201];
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            cur[j] = v;
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

const char *cmp_nearest(const json_t *set, const char *name)
{
    /* A third of the name, 1 to 3 edits: the scale of a typo, as for keys. */
    size_t limit = (strlen(name) + 2) / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    const char *best = NULL, *key;
    size_t best_d = limit + 1;
    json_t *v;
    json_object_foreach((json_t *)set, key, v)
    {
        size_t d = distance(name, key);
        if (d < best_d) {
            best = key;
            best_d = d;
        }
    }
    return best;
}

int cmp_parse_year_label(const char *text, int *fy)
{
    if (strlen(text) != 7 || text[4] != '/') return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (text[i] < '0' || text[i] > '9')) return -1;
    int year = atoi(text);
    int next = (text[5] - '0') * 10 + (text[6] - '0');
    if (year < 1000 || (year + 1) % 100 != next) return -1;
    *fy = year;
    return 0;
}

void cmp_format_year_label(int fy, char out[8])
{
    /* Labels are parsed from 1000/01 on, so fy has four digits. */
    unsigned year = (unsigned)fy % 10000u;
    snprintf(out, 8, "%04u/%02u", year, (year + 1) % 100u);
}
