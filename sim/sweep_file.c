/* sweep_file.c — reading a sweep file into a struct sweep: composed with
 * its bases by the scenario loader (the guard's limits, @include rules and
 * `base` merging of scenario files, scenario_load_composed), then each key
 * checked here, every problem reported as "FILE:LINE: key: what is wrong".
 * The file's own checks only: the arms, keys and values are checked
 * against the scenarios in sweep_validate.c. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "engine.h"
#include "sweep_internal.h"

/* The top-level keys: what kind of file this is (a scenario given as a
 * sweep is named as such) and the nearest key to a misspelt one. */
static const param_spec sweep_specs[] = {
    PARAM_STRING_ROW("name", "", "", "sweep file", "the sweep's name"),
    PARAM_LIST_ROW("arms", NULL, "sweep file", "the scenarios run at every point"),
    PARAM_INT_ROW("replications", "", 1, 1000000, "10", "sweep file",
                  "replications per point and arm"),
    PARAM_INT_ROW("seed", "", 0, 0, "1", "sweep file", "master seed"),
    PARAM_GROUP_ROW("design", NULL, "sweep file", "list, grid, lhs or saltelli"),
    PARAM_LIST_ROW("parameters", NULL, "sweep file", "the keys varied"),
    PARAM_LIST_ROW("outputs", NULL, "sweep file", "the summaries kept"),
    PARAM_BOOL_ROW("series", "false", "sweep file", "keep full series"),
    PARAM_BOOL_ROW("cost_benefit", "true with two or more arms", "sweep file",
                   "keep each run's money by financial year, for placesim compare RESULTS.db"),
    PARAM_STRING_ROW("seeds", "", "common", "sweep file",
                     "common (every point the same replication seeds) or per_point"),
};
static const param_table sweep_table = { "sweep", sweep_specs,
                                         sizeof sweep_specs / sizeof sweep_specs[0] };

enum { MAX_REPLICATIONS = 1000000, MAX_SAMPLES = 1000000 };

/* Columns of results_wide that are not parameters or outputs. */
static const char *const reserved_columns[] = { "point_id", "arm", "replication", "seed",
                                                "status" };

typedef struct reader {
    const char *top; /* the sweep file as given */
    char *err;
    size_t errlen;
    int failed;
    int oom;
} reader;

static sweep_where at_node(const scn_node *n) { return (sweep_where){ n->file, n->line }; }

void sweep_error(char *err, size_t errlen, sweep_where at, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    scenario_error_append(err, errlen, at.file, at.line, "%s", msg);
}

static void problem(reader *r, sweep_where at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(reader *r, sweep_where at, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sweep_error(r->err, r->errlen, at, "%s", msg);
    r->failed = 1;
}

static char *dup_text(reader *r, const char *s)
{
    char *d = strdup(s);
    if (!d) r->oom = 1;
    return d;
}

static int is_number(const scn_node *n) { return n->type == SCN_INT || n->type == SCN_FLOAT; }

static const char *type_phrase(const scn_node *n)
{
    switch (n->type) {
    case SCN_GROUP: return "a group";
    case SCN_LIST: return "a list";
    case SCN_ARRAY: return "an array";
    case SCN_INT: return "an integer";
    case SCN_FLOAT: return "a float";
    case SCN_BOOL: return "a boolean";
    default: return "a string";
    }
}

/* Member `name` of group as a string; NULL (reported) when of another type. */
static const char *member_string(reader *r, const scn_node *group, const char *name,
                                 const char *disp)
{
    const scn_node *n = scn_member(group, name);
    if (!n) return NULL;
    if (n->type != SCN_STRING) {
        problem(r, at_node(n), "%s: expected a string, got %s", disp, type_phrase(n));
        return NULL;
    }
    return n->string_value;
}

/* Member `name` as a finite number into *v: 1 found, 0 absent, -1 bad
 * (reported). */
static int member_number(reader *r, const scn_node *group, const char *name, const char *disp,
                         double *v)
{
    const scn_node *n = scn_member(group, name);
    if (!n) return 0;
    if (!is_number(n) || !isfinite(n->float_value)) {
        problem(r, at_node(n), "%s: expected a number, got %s", disp, type_phrase(n));
        return -1;
    }
    *v = n->float_value;
    return 1;
}

/* Refuses members of group that are not among `known` ("a|b|c"). */
static void unknown_members(reader *r, const scn_node *group, const char *known, const char *disp)
{
    for (size_t i = 0; i < group->n_children; i++) {
        const scn_node *c = group->children[i];
        const char *name = c->name ? c->name : "";
        size_t len = strlen(name);
        int ok = 0;
        for (const char *k = known; *k;) {
            size_t kl = strcspn(k, "|");
            if (kl == len && strncmp(k, name, len) == 0) ok = 1;
            k += kl + (k[kl] == '|');
        }
        if (!ok) {
            char list[160];
            size_t k = 0;
            for (const char *q = known; *q && k + 3 < sizeof list; q++) {
                if (*q == '|') {
                    list[k++] = ',';
                    list[k++] = ' ';
                } else {
                    list[k++] = *q;
                }
            }
            list[k] = '\0';
            problem(r, at_node(c), "%s.%s: unknown key (keys here: %s)", disp, name, list);
        }
    }
}

/* A name usable as an SQL column without quoting. */
static int sql_safe(const char *s)
{
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_') return 0;
    }
    return 1;
}

/* s with every character outside [A-Za-z0-9_] as '_' (and "p_" before a
 * leading digit): a column name. NULL when out of memory. */
static char *sql_name(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 3);
    if (!out) return NULL;
    size_t k = 0;
    if (!(isalpha((unsigned char)s[0]) || s[0] == '_')) {
        out[k++] = 'p';
        out[k++] = '_';
    }
    for (const char *p = s; *p; p++) {
        out[k++] = isalnum((unsigned char)*p) || *p == '_' ? *p : '_';
    }
    out[k] = '\0';
    return out;
}

/* The directory part of file including its '/', joined to rel (absolute
 * rel as is): paths in a sweep file are relative to the file naming them. */
static char *relative_to(const char *file, const char *rel)
{
    const char *slash = strrchr(file, '/');
    size_t dir = rel[0] == '/' || !slash ? 0 : (size_t)(slash - file) + 1;
    char *path = malloc(dir + strlen(rel) + 1);
    if (!path) return NULL;
    memcpy(path, file, dir);
    strcpy(path + dir, rel);
    return path;
}

static int financial_year_form(const char *y)
{
    if (strlen(y) != 7 || y[4] != '/') return 0;
    for (int i = 0; i < 7; i++) {
        if (i != 4 && !isdigit((unsigned char)y[i])) return 0;
    }
    return atoi(y + 5) == (atoi(y) + 1) % 100;
}

/* --- top-level scalars --------------------------------------------------- */

static int known_top(const char *name)
{
    for (size_t i = 0; i < sweep_table.n_specs; i++) {
        if (strcmp(sweep_specs[i].path, name) == 0) return 1;
    }
    return 0;
}

static void read_scalars(reader *r, const scenario *file, sweep *s)
{
    const scn_node *root = scenario_root(file);
    sweep_where top = { r->top, 1 };
    const scn_node *name = scn_member(root, "name");
    if (name && name->type != SCN_STRING) {
        problem(r, at_node(name), "name: expected a string, got %s", type_phrase(name));
    } else {
        const char *text = scenario_name(file);
        const char *why = engine_name_problem(text);
        if (why)
            problem(r, name ? at_node(name) : top, "name: \"%s\" is not a safe name: %s", text,
                    why);
        s->name = dup_text(r, text);
    }

    s->replications = 10;
    const scn_node *reps = scn_member(root, "replications");
    if (reps) {
        if (reps->type != SCN_INT)
            problem(r, at_node(reps), "replications: expected an integer, got %s",
                    type_phrase(reps));
        else if (reps->int_value < 1 || reps->int_value > MAX_REPLICATIONS)
            problem(r, at_node(reps), "replications: %lld is out of range [1, %d]",
                    (long long)reps->int_value, MAX_REPLICATIONS);
        else
            s->replications = (unsigned)reps->int_value;
    }

    /* 64-bit as `run --seed`: an integer, or a decimal string for seeds
       above what libconfig's signed integers hold. */
    s->master_seed = 1;
    const scn_node *seed = scn_member(root, "seed");
    if (seed) {
        if (seed->type == SCN_INT && seed->int_value >= 0) {
            s->master_seed = (uint64_t)seed->int_value;
        } else if (seed->type == SCN_STRING && seed->string_value[0] &&
                   strspn(seed->string_value, "0123456789") == strlen(seed->string_value)) {
            errno = 0;
            unsigned long long v = strtoull(seed->string_value, NULL, 10);
            if (errno == ERANGE)
                problem(r, at_node(seed), "seed: \"%s\" is above 18446744073709551615",
                        seed->string_value);
            s->master_seed = v;
        } else {
            problem(r, at_node(seed),
                    "seed: expected a whole number 0 to 18446744073709551615 "
                    "(an integer, or a decimal string)");
        }
    }

    /* Common random numbers across points by default, as across arms. */
    const scn_node *seeds = scn_member(root, "seeds");
    if (seeds) {
        if (seeds->type == SCN_STRING && strcmp(seeds->string_value, "per_point") == 0)
            s->seeds_per_point = 1;
        else if (!(seeds->type == SCN_STRING && strcmp(seeds->string_value, "common") == 0))
            problem(r, at_node(seeds), "seeds: expected \"common\" or \"per_point\"");
    }

    const scn_node *series = scn_member(root, "series");
    if (series && series->type != SCN_BOOL)
        problem(r, at_node(series), "series: expected a boolean, got %s", type_phrase(series));
    s->keep_series = series && series->type == SCN_BOOL ? (int)series->int_value : 0;

    const scn_node *money = scn_member(root, "cost_benefit");
    if (money && money->type != SCN_BOOL)
        problem(r, at_node(money), "cost_benefit: expected a boolean, got %s", type_phrase(money));
    s->keep_money = money && money->type == SCN_BOOL ? (int)money->int_value : -1;

    for (size_t i = 0; i < root->n_children; i++) {
        const scn_node *c = root->children[i];
        if (known_top(c->name)) continue;
        const char *near = param_nearest_key(&sweep_table, 1, c->name);
        if (near)
            problem(r, at_node(c), "%s: unknown key (did you mean %s?)", c->name, near);
        else
            problem(r, at_node(c), "%s: unknown key", c->name);
    }
}

/* A list of groups at root key `key`: its node, or NULL (reported when
   present but not a list, or empty, or absent and required). */
static const scn_node *group_list(reader *r, const scn_node *root, const char *key,
                                  const char *what)
{
    const scn_node *list = scn_member(root, key);
    if (!list) {
        problem(r, (sweep_where){ r->top, 1 }, "%s: missing (%s)", key, what);
        return NULL;
    }
    if (list->type != SCN_LIST && !(list->type == SCN_ARRAY && list->n_children == 0)) {
        problem(r, at_node(list), "%s: expected a list ( {...}, ... ), got %s", key,
                type_phrase(list));
        return NULL;
    }
    if (list->n_children == 0) {
        problem(r, at_node(list), "%s: empty (%s)", key, what);
        return NULL;
    }
    for (size_t i = 0; i < list->n_children; i++) {
        if (list->children[i]->type != SCN_GROUP) {
            problem(r, at_node(list->children[i]), "%s[%zu]: expected a group { ... }, got %s", key,
                    i + 1, type_phrase(list->children[i]));
            return NULL;
        }
    }
    return list;
}

/* --- arms ------------------------------------------------------------------ */

static void read_arms(reader *r, const scn_node *root, sweep *s, sweep_source *src)
{
    const scn_node *list = group_list(r, root, "arms", "one or more { name; scenario; }");
    if (!list) return;
    s->arms = calloc(list->n_children, sizeof *s->arms);
    src->arm_at = calloc(list->n_children, sizeof *src->arm_at);
    if (!s->arms || !src->arm_at) {
        r->oom = 1;
        return;
    }
    s->n_arms = list->n_children;
    for (size_t i = 0; i < list->n_children; i++) {
        const scn_node *e = list->children[i];
        char disp[48];
        snprintf(disp, sizeof disp, "arms[%zu]", i + 1);
        unknown_members(r, e, "name|scenario", disp);
        const scn_node *scn = scn_member(e, "scenario");
        const char *path = member_string(r, e, "scenario", "scenario");
        src->arm_at[i] = at_node(scn ? scn : e);
        if (!scn) {
            problem(r, at_node(e), "%s.scenario: missing (the arm's scenario file)", disp);
            continue;
        }
        if (!path) continue;
        if (!path[0]) {
            problem(r, at_node(scn), "%s.scenario: empty path", disp);
            continue;
        }
        s->arms[i].scenario_path = relative_to(scn->file, path);
        if (!s->arms[i].scenario_path) r->oom = 1;
        /* Default name: the scenario file's name without ".cfg". */
        const char *name = member_string(r, e, "name", "name");
        const scn_node *name_node = scn_member(e, "name");
        char *def = NULL;
        if (!name_node) {
            const char *slash = strrchr(path, '/');
            def = dup_text(r, slash ? slash + 1 : path);
            if (def && strlen(def) > 4 && strcmp(def + strlen(def) - 4, ".cfg") == 0)
                def[strlen(def) - 4] = '\0';
            name = def;
        }
        if (!name) continue;
        const char *why = engine_name_problem(name);
        if (why) {
            problem(r, at_node(name_node ? name_node : scn),
                    "%s.name: \"%s\" is not a safe name: %s", disp, name, why);
        }
        for (size_t k = 0; k < i; k++) {
            if (s->arms[k].name && strcmp(s->arms[k].name, name) == 0)
                problem(r, at_node(name_node ? name_node : scn),
                        "%s.name: \"%s\" names two arms (first at %s:%d)", disp, name,
                        src->arm_at[k].file, src->arm_at[k].line);
        }
        s->arms[i].name = def ? def : dup_text(r, name);
    }
}

/* --- design ---------------------------------------------------------------- */

static const char *const design_names[] = { "list", "grid", "lhs", "saltelli" };

static void read_design(reader *r, const scn_node *root, sweep *s, sweep_source *src)
{
    const scn_node *d = scn_member(root, "design");
    if (!d) {
        problem(r, (sweep_where){ r->top, 1 },
                "design: missing ({ type = \"grid\"; }, or list, "
                "lhs, saltelli)");
        s->design = SWEEP_GRID;
        return;
    }
    if (d->type != SCN_GROUP) {
        problem(r, at_node(d), "design: expected a group { type = ...; }, got %s", type_phrase(d));
        return;
    }
    unknown_members(r, d, "type|samples|points", "design");
    const scn_node *type = scn_member(d, "type");
    src->design_at = at_node(type ? type : d);
    const char *t = member_string(r, d, "type", "design.type");
    if (!type) {
        problem(r, at_node(d), "design.type: missing (list, grid, lhs or saltelli)");
        return;
    }
    if (!t) return;
    int found = 0;
    for (int k = 0; k < 4; k++) {
        if (strcmp(t, design_names[k]) == 0) {
            s->design = (sweep_design_kind)k;
            found = 1;
        }
    }
    if (!found) {
        problem(r, at_node(type), "design.type: \"%s\" is not one of list, grid, lhs, saltelli", t);
        return;
    }
    const scn_node *samples = scn_member(d, "samples");
    src->samples_at = at_node(samples ? samples : type);
    int sampled = s->design == SWEEP_LHS || s->design == SWEEP_SALTELLI;
    if (sampled && !samples) {
        problem(r, at_node(d), "design.samples: missing (the number of %s samples N)", t);
    } else if (!sampled && samples) {
        problem(r, at_node(samples), "design.samples: only lhs and saltelli designs take samples");
    } else if (samples) {
        long long min = s->design == SWEEP_SALTELLI ? 2 : 1;
        if (samples->type != SCN_INT)
            problem(r, at_node(samples), "design.samples: expected an integer, got %s",
                    type_phrase(samples));
        else if (samples->int_value < min || samples->int_value > MAX_SAMPLES)
            problem(r, at_node(samples), "design.samples: %lld is out of range [%lld, %d]",
                    (long long)samples->int_value, min, MAX_SAMPLES);
        else
            s->samples = (size_t)samples->int_value;
    }
    const scn_node *points = scn_member(d, "points");
    if (s->design != SWEEP_LIST && points)
        problem(r, at_node(points), "design.points: only a list design takes points");
    if (s->design == SWEEP_LIST && !points)
        problem(r, at_node(d),
                "design.points: missing (a list design lists its points: "
                "( [v1, v2, ...], ... ) in parameter order)");
}

/* The list design's points, once the parameters are known. */
static void read_points(reader *r, const scn_node *root, sweep *s, sweep_source *src)
{
    const scn_node *d = scn_member(root, "design");
    const scn_node *points = d && d->type == SCN_GROUP ? scn_member(d, "points") : NULL;
    if (!points || s->n_params == 0) return;
    if (points->type != SCN_LIST && points->type != SCN_ARRAY) {
        problem(r, at_node(points),
                "design.points: expected a list of arrays ( [v1, v2, ...], "
                "... ), got %s",
                type_phrase(points));
        return;
    }
    if (points->n_children == 0) {
        problem(r, at_node(points), "design.points: empty (one or more points)");
        return;
    }
    size_t n = points->n_children, k = s->n_params;
    s->points = calloc(n * k, sizeof *s->points);
    src->point_at = calloc(n, sizeof *src->point_at);
    if (!s->points || !src->point_at) {
        r->oom = 1;
        return;
    }
    s->n_points = n;
    for (size_t i = 0; i < n; i++) {
        const scn_node *p = points->children[i];
        src->point_at[i] = at_node(p);
        if (p->type != SCN_ARRAY && p->type != SCN_LIST) {
            problem(r, at_node(p), "design.points[%zu]: expected an array [v1, v2, ...], got %s",
                    i + 1, type_phrase(p));
            continue;
        }
        if (p->n_children != k) {
            problem(r, at_node(p), "design.points[%zu]: %zu values for %zu parameters", i + 1,
                    p->n_children, k);
            continue;
        }
        for (size_t j = 0; j < k; j++) {
            const scn_node *v = p->children[j];
            if (!is_number(v) || !isfinite(v->float_value)) {
                problem(r, at_node(v), "design.points[%zu]: value %zu (%s) is not a number", i + 1,
                        j + 1, s->params[j].key);
                continue;
            }
            s->points[i * k + j] = v->float_value;
        }
    }
}

/* --- parameters ------------------------------------------------------------ */

static const char *const distribution_names[] = { "values", "uniform", "log_uniform", "normal" };

/* A grid parameter's `values`: an array of numbers. */
static void read_values(reader *r, const scn_node *e, sweep_parameter *p, const char *disp)
{
    const scn_node *values = scn_member(e, "values");
    if (!values) {
        problem(r, at_node(e), "%s.values: missing (a grid varies each parameter over its values)",
                disp);
        return;
    }
    if (values->type != SCN_ARRAY && values->type != SCN_LIST) {
        problem(r, at_node(values), "%s.values: expected an array of numbers, got %s", disp,
                type_phrase(values));
        return;
    }
    if (values->n_children == 0) {
        problem(r, at_node(values), "%s.values: empty (one or more numbers)", disp);
        return;
    }
    p->values = calloc(values->n_children, sizeof *p->values);
    if (!p->values) {
        r->oom = 1;
        return;
    }
    for (size_t i = 0; i < values->n_children; i++) {
        const scn_node *v = values->children[i];
        if (!is_number(v) || !isfinite(v->float_value)) {
            problem(r, at_node(v), "%s.values: value %zu is %s, not a number", disp, i + 1,
                    type_phrase(v));
            return;
        }
        p->values[i] = v->float_value;
    }
    p->n_values = values->n_children;
}

/* A sampled parameter's range and distribution. */
static void read_range(reader *r, const scn_node *e, sweep_parameter *p, const char *disp)
{
    const char *dist = member_string(r, e, "distribution", "distribution");
    p->distribution = SWEEP_UNIFORM;
    if (dist) {
        int found = 0;
        for (int k = 1; k < 4; k++) {
            if (strcmp(dist, distribution_names[k]) == 0) {
                p->distribution = (sweep_distribution)k;
                found = 1;
            }
        }
        if (!found) {
            problem(r, at_node(scn_member(e, "distribution")),
                    "%s.distribution: \"%s\" is not one of uniform, log_uniform, normal", disp,
                    dist);
            return;
        }
    }
    int has_min = member_number(r, e, "min", "min", &p->min);
    int has_max = member_number(r, e, "max", "max", &p->max);
    int has_mean = member_number(r, e, "mean", "mean", &p->mean);
    int has_sd = member_number(r, e, "sd", "sd", &p->sd);
    if (has_min < 0 || has_max < 0 || has_mean < 0 || has_sd < 0) return;
    if (!has_min || !has_max) {
        problem(r, at_node(e), "%s: min and max are required (the range sampled%s)", disp,
                p->distribution == SWEEP_NORMAL ? ", to which the normal is truncated" : "");
        return;
    }
    const scn_node *max_node = scn_member(e, "max");
    if (!(p->min < p->max)) {
        problem(r, at_node(max_node), "%s: invalid range: min %g is not below max %g", disp, p->min,
                p->max);
        return;
    }
    if (p->distribution == SWEEP_LOG_UNIFORM && p->min <= 0) {
        problem(r, at_node(scn_member(e, "min")),
                "%s: invalid range: a log_uniform range needs min > 0, not %g", disp, p->min);
    }
    if (p->distribution == SWEEP_NORMAL) {
        if (!has_mean || !has_sd) {
            problem(r, at_node(e), "%s: a normal distribution needs mean and sd", disp);
        } else if (!(p->sd > 0)) {
            problem(r, at_node(scn_member(e, "sd")), "%s.sd: %g is not above 0", disp, p->sd);
        }
    } else if (has_mean || has_sd) {
        problem(r, at_node(scn_member(e, has_mean ? "mean" : "sd")),
                "%s: mean and sd are for distribution = \"normal\" only", disp);
    }
}

static void read_parameters(reader *r, const scn_node *root, sweep *s, sweep_source *src)
{
    const scn_node *list =
        group_list(r, root, "parameters", "one or more { key = \"...\"; ... } to vary");
    if (!list) return;
    size_t n = list->n_children;
    s->params = calloc(n, sizeof *s->params);
    src->param_at = calloc(n, sizeof *src->param_at);
    if (!s->params || !src->param_at) {
        r->oom = 1;
        return;
    }
    s->n_params = n;
    int sampled = s->design == SWEEP_LHS || s->design == SWEEP_SALTELLI;
    for (size_t i = 0; i < n; i++) {
        const scn_node *e = list->children[i];
        sweep_parameter *p = &s->params[i];
        p->min = p->max = p->mean = p->sd = NAN;
        char disp[300];
        const scn_node *key_node = scn_member(e, "key");
        const char *key = member_string(r, e, "key", "key");
        src->param_at[i] = at_node(key_node ? key_node : e);
        if (!key_node) {
            problem(r, at_node(e),
                    "parameters[%zu].key: missing (the key to vary, as --set takes "
                    "it, or costs.<name>)",
                    i + 1);
            continue;
        }
        if (!key) continue;
        snprintf(disp, sizeof disp, "%s", key);
        if (!key[0] || strpbrk(key, "= \t\n\r")) {
            problem(r, at_node(key_node), "parameters[%zu].key: \"%s\" is not a key path", i + 1,
                    key);
            continue;
        }
        p->key = dup_text(r, key);
        p->column = sql_name(key);
        if (!p->column) r->oom = 1;
        for (size_t k = 0; k < i; k++) {
            if (s->params[k].key && strcmp(s->params[k].key, key) == 0)
                problem(r, at_node(key_node), "%s: varied twice (first at %s:%d)", disp,
                        src->param_at[k].file, src->param_at[k].line);
            else if (s->params[k].column && p->column &&
                     strcmp(s->params[k].column, p->column) == 0)
                problem(r, at_node(key_node), "%s: its column %s is also %s's", disp, p->column,
                        s->params[k].key);
        }
        for (size_t k = 0; p->column && k < sizeof reserved_columns / sizeof *reserved_columns;
             k++) {
            if (strcmp(p->column, reserved_columns[k]) == 0)
                problem(r, at_node(key_node), "%s: its column %s is one of results_wide's own",
                        disp, p->column);
        }
        if (sampled) {
            unknown_members(r, e, "key|min|max|distribution|mean|sd", disp);
            read_range(r, e, p, disp);
        } else if (s->design == SWEEP_GRID) {
            unknown_members(r, e, "key|values", disp);
            p->distribution = SWEEP_VALUES;
            read_values(r, e, p, disp);
        } else {
            unknown_members(r, e, "key", disp);
            p->distribution = SWEEP_VALUES;
        }
    }
    if (s->design == SWEEP_SALTELLI && n > SWEEP_SALTELLI_MAX_PARAMS) {
        problem(
            r, src->design_at,
            "design.type: a saltelli design takes at most %d parameters "
            "(GSL's Sobol sequence has at most 40 dimensions, 2 per parameter); this one has %zu",
            SWEEP_SALTELLI_MAX_PARAMS, n);
    }
}

/* --- outputs --------------------------------------------------------------- */

static const char *const summary_names[] = { "total", "mean_per_year", "value_at", "median" };

/* An output entry's string members as written (NULL: absent, or not a
 * string, which member_string reported). */
typedef struct output_text {
    const char *metric, *summary, *area, *from, *to, *date, *name;
} output_text;

/* The entry's members, each of another type than string reported, in
 * this order. */
static output_text output_members(reader *r, const scn_node *e, const char *disp)
{
    unknown_members(r, e, "metric|summary|area|from|to|date|name", disp);
    output_text ot;
    ot.metric = member_string(r, e, "metric", "metric");
    ot.summary = member_string(r, e, "summary", "summary");
    ot.area = member_string(r, e, "area", "area");
    ot.from = member_string(r, e, "from", "from");
    ot.to = member_string(r, e, "to", "to");
    ot.date = member_string(r, e, "date", "date");
    ot.name = member_string(r, e, "name", "name");
    return ot;
}

/* metric and summary are required; summary is one of summary_names. */
static void read_output_summary(reader *r, const scn_node *e, sweep_output *o,
                                const output_text *ot, const char *disp)
{
    if (!scn_member(e, "metric") || (ot->metric && !ot->metric[0]))
        problem(r, at_node(e), "%s.metric: missing (placesim describe lists the metrics)", disp);
    if (!scn_member(e, "summary")) {
        problem(r, at_node(e), "%s.summary: missing (total, mean_per_year, value_at, median)",
                disp);
    } else if (ot->summary) {
        int found = 0;
        for (int k = 0; k < 4; k++) {
            if (strcmp(ot->summary, summary_names[k]) == 0) {
                o->summary = (sweep_summary_kind)k;
                found = 1;
            }
        }
        if (!found)
            problem(r, at_node(scn_member(e, "summary")),
                    "%s.summary: \"%s\" is not one of total, mean_per_year, value_at, median", disp,
                    ot->summary);
    }
}

/* from and to: financial years YYYY/YY, from not after to. */
static void read_output_window(reader *r, const scn_node *e, sweep_output *o, const output_text *ot,
                               const char *disp)
{
    const char *years[2] = { ot->from, ot->to };
    char *slots[2] = { o->from_year, o->to_year };
    for (int k = 0; k < 2; k++) {
        if (!years[k]) continue;
        const scn_node *y = scn_member(e, k ? "to" : "from");
        if (!financial_year_form(years[k]))
            problem(r, at_node(y), "%s.%s: \"%s\" is not a financial year YYYY/YY", disp,
                    k ? "to" : "from", years[k]);
        else
            memcpy(slots[k], years[k], 8);
    }
    if (o->from_year[0] && o->to_year[0] && strcmp(o->from_year, o->to_year) > 0)
        problem(r, at_node(scn_member(e, "to")),
                "%s: the window ends (%s) before it "
                "begins (%s)",
                disp, o->to_year, o->from_year);
}

/* value_at's date: required, the last day of a month, and no window;
 * another summary takes no date. */
static void read_output_date(reader *r, const scn_node *e, sweep_output *o, const output_text *ot,
                             const char *disp)
{
    const scn_node *date_node = scn_member(e, "date");
    if (!(o->summary == SWEEP_VALUE_AT && ot->summary && strcmp(ot->summary, "value_at") == 0)) {
        if (date_node) problem(r, at_node(date_node), "%s.date: only value_at takes a date", disp);
        return;
    }
    if (!date_node) {
        problem(r, at_node(e),
                "%s.date: missing (value_at takes the value at the end of "
                "a date, the last day of a month)",
                disp);
    } else if (ot->date) {
        int64_t day;
        int y, m, d, y2, m2, d2;
        if (date_parse(ot->date, &day) != 0) {
            problem(r, at_node(date_node), "%s.date: \"%s\" is not a date (YYYY-MM-DD)", disp,
                    ot->date);
        } else {
            date_to_civil(day, &y, &m, &d);
            date_to_civil(day + 1, &y2, &m2, &d2);
            if (m2 == m)
                problem(r, at_node(date_node),
                        "%s.date: %s is not the last day of a "
                        "month (summaries are taken from monthly periods)",
                        disp, ot->date);
            o->date = day;
        }
    }
    if (ot->from || ot->to)
        problem(r, at_node(scn_member(e, ot->from ? "from" : "to")),
                "%s: value_at takes a date, not a window (from, to)", disp);
}

/* The output's column: its name, or metric_summary[_area]. */
static void name_output(reader *r, const scn_node *e, sweep_output *o, const output_text *ot,
                        const char *disp)
{
    if (ot->name) {
        if (!sql_safe(ot->name))
            problem(r, at_node(scn_member(e, "name")),
                    "%s.name: \"%s\" is not a column "
                    "name (letters, digits and _, not starting with a digit)",
                    disp, ot->name);
        o->name = dup_text(r, ot->name);
    } else if (ot->metric && ot->summary) {
        char buf[512];
        if (strcmp(o->area ? o->area : "ALL", "ALL") == 0)
            snprintf(buf, sizeof buf, "%s_%s", ot->metric, ot->summary);
        else
            snprintf(buf, sizeof buf, "%s_%s_%s", ot->metric, ot->summary, o->area);
        o->name = sql_name(buf);
        if (!o->name) r->oom = 1;
    }
}

/* Output entry e (the i-th, 0-based) into o. */
static void read_output(reader *r, const scn_node *e, size_t i, sweep_output *o)
{
    char disp[48];
    snprintf(disp, sizeof disp, "outputs[%zu]", i + 1);
    output_text ot = output_members(r, e, disp);
    read_output_summary(r, e, o, &ot, disp);
    o->metric = dup_text(r, ot.metric ? ot.metric : "");
    o->area = dup_text(r, ot.area && ot.area[0] ? ot.area : "ALL");
    read_output_window(r, e, o, &ot, disp);
    read_output_date(r, e, o, &ot, disp);
    name_output(r, e, o, &ot, disp);
}

static void read_outputs(reader *r, const scn_node *root, sweep *s, sweep_source *src)
{
    const scn_node *list =
        group_list(r, root, "outputs", "one or more { metric; summary; } to keep per run");
    if (!list) return;
    size_t n = list->n_children;
    s->outputs = calloc(n, sizeof *s->outputs);
    src->output_at = calloc(n, sizeof *src->output_at);
    if (!s->outputs || !src->output_at) {
        r->oom = 1;
        return;
    }
    s->n_outputs = n;
    for (size_t i = 0; i < n; i++) {
        src->output_at[i] = at_node(list->children[i]);
        read_output(r, list->children[i], i, &s->outputs[i]);
    }
}

/* Output column names: unique among themselves, their _diff twins, the
   parameters' columns and results_wide's own. */
static void check_columns(reader *r, const sweep *s, const sweep_source *src)
{
    for (size_t i = 0; i < s->n_outputs; i++) {
        const char *name = s->outputs[i].name;
        if (!name) continue;
        char msg[160] = "";
        for (size_t k = 0; k < sizeof reserved_columns / sizeof *reserved_columns; k++) {
            if (strcmp(name, reserved_columns[k]) == 0)
                snprintf(msg, sizeof msg, "one of results_wide's own columns");
        }
        for (size_t k = 0; k < s->n_params; k++) {
            if (s->params[k].column && strcmp(name, s->params[k].column) == 0)
                snprintf(msg, sizeof msg, "also parameter %s's column", s->params[k].key);
        }
        for (size_t k = 0; k < s->n_outputs; k++) {
            const char *other = s->outputs[k].name;
            if (k == i || !other) continue;
            size_t lo = strlen(other);
            if (k < i && strcmp(name, other) == 0)
                snprintf(msg, sizeof msg, "also outputs[%zu]'s (give one a name = \"...\")", k + 1);
            else if (s->n_arms > 1 && strncmp(name, other, lo) == 0 &&
                     strcmp(name + lo, "_diff") == 0)
                snprintf(msg, sizeof msg, "also outputs[%zu]'s difference column", k + 1);
        }
        if (msg[0]) problem(r, src->output_at[i], "outputs[%zu].name: %s is %s", i + 1, name, msg);
    }
}

/* --- the whole file -------------------------------------------------------- */

void sweep_source_free(sweep_source *src)
{
    if (src->file) scenario_free(src->file);
    free(src->param_at);
    free(src->arm_at);
    free(src->output_at);
    free(src->point_at);
    free(src->arm_sha256);
    memset(src, 0, sizeof *src);
}

int sweep_file_read(const char *path, sweep *out, sweep_source *src, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    memset(src, 0, sizeof *src);
    if (errlen) err[0] = '\0';
    if (scenario_load_composed(path, &sweep_table, 1, &src->file, err, errlen) != 0) return -1;
    reader r = { .top = path, .err = err, .errlen = errlen };
    out->path = dup_text(&r, path);
    const scn_node *root = scenario_root(src->file);
    read_scalars(&r, src->file, out);
    read_arms(&r, root, out, src);
    /* Money is what a cost-benefit of one arm against another needs. */
    if (out->keep_money < 0) out->keep_money = out->n_arms >= 2;
    read_design(&r, root, out, src);
    read_parameters(&r, root, out, src);
    if (out->design == SWEEP_LIST) read_points(&r, root, out, src);
    read_outputs(&r, root, out, src);
    check_columns(&r, out, src);
    if (r.oom) {
        snprintf(err, errlen, "%s: out of memory", path);
        r.failed = 1;
    }
    if (r.failed) {
        sweep_free(out);
        sweep_source_free(src);
        return -1;
    }
    return 0;
}
