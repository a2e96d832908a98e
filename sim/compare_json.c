/* compare_json.c — compare_json (compare.h): loads the runs, checks that
 * they can be compared, settles the window, the areas and the metrics, and
 * builds the document that the table, the CSV and `--json` all show. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "engine.h"
#include "model.h"
#include "utf8.h"

#ifndef PLACESIM_VERSION
#define PLACESIM_VERSION "unknown"
#endif

static const char note_paired[] =
    "Intervals express the runs' randomness only (paired replications, common seeds), "
    "not uncertainty in the parameters.";
static const char note_unpaired[] =
    "Intervals express the runs' randomness only (Welch intervals, unpaired replications), "
    "not uncertainty in the parameters.";

json_t *cmp_json_string(const char *s)
{
    if (utf8_valid(s)) return json_string(s);
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (!copy) return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_sequence_length(s + i);
        if (len == 0) {
            copy[w++] = '?';
            i++;
        } else {
            memcpy(copy + w, s + i, len);
            w += len;
            i += len;
        }
    }
    copy[w] = '\0';
    json_t *j = json_string(copy);
    free(copy);
    return j;
}

static int set(json_t *o, const char *key, json_t *v)
{
    return v ? json_object_set_new(o, key, v) : -1;
}

static const char *kind_name(metric_kind kind)
{
    static const char *const names[] = { "count",      "money",      "level_end",
                                         "level_mean", "event_mean", "event_median" };
    return names[kind];
}

typedef struct compare_state {
    const compare_options *opt;
    cmp_run *runs;
    size_t n_runs;
    cmp_request req;
    const char **areas; /* the group: the --area names, or ALL */
    size_t n_areas;
    const char **metrics; /* those shown */
    size_t n_metrics;
    int from_fy, to_fy, window_default;
    char (*labels)[8];
    char *err;
    size_t errlen;
} compare_state;

static int fail(compare_state *st, int status, const char *fmt, const char *a, const char *b)
{
    snprintf(st->err, st->errlen, fmt, a, b);
    return status;
}

/* Paired replications need the same seeds, replication by replication. */
static int check_pairing(compare_state *st)
{
    const cmp_run *base = &st->runs[0];
    for (size_t i = 1; i < st->n_runs; i++) {
        const cmp_run *arm = &st->runs[i];
        char what[512];
        if (strcmp(base->master_seed, arm->master_seed) != 0)
            snprintf(what, sizeof what, "master seeds differ (%s: %s, %s: %s)", base->dir,
                     base->master_seed, arm->dir, arm->master_seed);
        else if (base->n_reps != arm->n_reps)
            snprintf(what, sizeof what, "replication counts differ (%s: %zu, %s: %zu)", base->dir,
                     base->n_reps, arm->dir, arm->n_reps);
        else {
            size_t r = 0;
            while (r < base->n_reps && strcmp(base->seeds[r], arm->seeds[r]) == 0) r++;
            if (r == base->n_reps) continue;
            snprintf(what, sizeof what, "replication %zu's seeds differ (%s, %s)", r + 1, base->dir,
                     arm->dir);
        }
        return fail(st, CMP_DATA,
                    "runs cannot be paired: %s; --unpaired compares them with "
                    "Welch intervals%s",
                    what, "");
    }
    return 0;
}

/* The areas and metrics asked for, before any years.csv is read. */
static int plan(compare_state *st)
{
    const compare_options *opt = st->opt;
    static const char *const all[] = { "ALL" };
    st->areas = opt->n_areas ? (const char **)opt->areas : (const char **)all;
    st->n_areas = opt->n_areas ? opt->n_areas : 1;
    for (size_t i = 0; i < opt->n_areas; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(opt->areas[i], opt->areas[j]) == 0)
                return fail(st, CMP_USAGE, "--area %s given twice%s", opt->areas[i], "");
    if (opt->n_areas > 1)
        for (size_t i = 0; i < opt->n_areas; i++)
            if (strcmp(opt->areas[i], "ALL") == 0)
                return fail(st, CMP_USAGE,
                            "--area ALL is the whole place: it cannot join a group "
                            "of areas%s%s",
                            "", "");
    size_t n_models, cap = opt->n_metrics;
    const model_def *const *models = model_registry(&n_models);
    for (size_t m = 0; m < n_models; m++) cap += models[m]->n_headline_metrics;
    st->metrics = malloc((cap ? cap : 1) * sizeof *st->metrics);
    if (!st->metrics) return fail(st, CMP_DATA, "out of memory%s%s", "", "");
    for (size_t i = 0; i < opt->n_metrics; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(opt->metrics[i], opt->metrics[j]) == 0)
                return fail(st, CMP_USAGE, "--metric %s given twice%s", opt->metrics[i], "");
        st->metrics[st->n_metrics++] = opt->metrics[i];
    }
    for (size_t m = 0; !opt->n_metrics && m < n_models; m++)
        for (size_t k = 0; k < models[m]->n_headline_metrics; k++)
            st->metrics[st->n_metrics++] = models[m]->headline_metrics[k];
    for (size_t i = 0; i < st->n_metrics; i++)
        for (size_t a = 0; a < st->n_areas; a++)
            if (cmp_request_add(&st->req, st->metrics[i], st->areas[a]) < 0)
                return fail(st, CMP_DATA, "out of memory%s%s", "", "");
    if (cmp_request_money(&st->req) != 0) return fail(st, CMP_DATA, "out of memory%s%s", "", "");
    if (opt->from_year && cmp_parse_year_label(opt->from_year, &st->from_fy) != 0)
        return fail(st, CMP_USAGE, "--from '%s' is not a financial year such as 2026/27%s",
                    opt->from_year, "");
    if (opt->to_year && cmp_parse_year_label(opt->to_year, &st->to_fy) != 0)
        return fail(st, CMP_USAGE, "--to '%s' is not a financial year such as 2026/27%s",
                    opt->to_year, "");
    if (!isfinite(opt->discount_rate) || opt->discount_rate <= -1 || opt->discount_rate > 1)
        return fail(st, CMP_USAGE,
                    "the discount rate must be above -1 and at most 1 (0.035 is "
                    "3.5%% a year)%s%s",
                    "", "");
    return 0;
}

static int any_run_has(const compare_state *st, const char *metric)
{
    for (size_t i = 0; i < st->n_runs; i++)
        if (json_object_get(st->runs[i].metrics_seen, metric)) return 1;
    return 0;
}

/* After the files: areas and metrics that exist, by the runs' own names. */
static int check_names(compare_state *st)
{
    for (size_t a = 0; a < st->n_areas; a++)
        for (size_t i = 0; i < st->n_runs; i++) {
            if (json_object_get(st->runs[i].areas_seen, st->areas[a])) continue;
            if (i > 0)
                return fail(st, CMP_DATA,
                            "area %s is not in %s/years.csv (the runs have "
                            "different places)",
                            st->areas[a], st->runs[i].dir);
            const char *near = cmp_nearest(st->runs[0].areas_seen, st->areas[a]);
            char hint[300] = "";
            if (near) snprintf(hint, sizeof hint, " (did you mean %s?)", near);
            return fail(st, CMP_USAGE, "unknown area '%s'%s", st->areas[a], hint);
        }
    size_t kept = 0;
    for (size_t m = 0; m < st->n_metrics; m++) {
        const char *name = st->metrics[m];
        metric_kind kind;
        const char *unit;
        if (!any_run_has(st, name)) {
            if (!st->opt->n_metrics) continue; /* a headline metric of a model not run */
            const char *near = cmp_nearest(st->runs[0].metrics_seen, name);
            char hint[300] = "";
            if (near) snprintf(hint, sizeof hint, " (did you mean %s?)", near);
            return fail(st, CMP_USAGE, "unknown metric '%s'%s", name, hint);
        }
        if (cmp_metric_kind(name, &kind, &unit) != 0)
            return fail(st, CMP_DATA,
                        "metric %s in years.csv is not one placesim %s knows "
                        "(its kind is unknown)",
                        name, PLACESIM_VERSION);
        st->metrics[kept++] = name;
    }
    st->n_metrics = kept;
    return 0;
}

/* The whole years of every run in common, or the years asked for, each
 * wholly written in every run. */
static int settle_window(compare_state *st)
{
    int lo = 1, hi = 0;
    for (size_t i = 0; i < st->n_runs; i++)
        if (cmp_window_narrow(&st->runs[i], i == 0, &lo, &hi) != 0) break;
    st->window_default = !st->opt->from_year && !st->opt->to_year;
    if (!st->opt->from_year) st->from_fy = lo;
    if (!st->opt->to_year) st->to_fy = hi;
    if (st->window_default && lo > hi)
        return fail(st, CMP_DATA,
                    "no financial year is wholly written in every run (compare "
                    "works in whole financial years from 1 April to 31 March)%s%s",
                    "", "");
    char from[8], to[8];
    cmp_format_year_label(st->from_fy, from);
    cmp_format_year_label(st->to_fy, to);
    if (st->from_fy > st->to_fy)
        return fail(st, CMP_USAGE, "the window's first year %s is after its last %s", from, to);
    for (size_t i = 0; i < st->n_runs; i++)
        if (cmp_window_check(&st->runs[i], st->from_fy, st->to_fy, st->err, st->errlen) != 0)
            return CMP_USAGE;
    st->labels = malloc((size_t)(st->to_fy - st->from_fy + 1) * sizeof *st->labels);
    if (!st->labels) return fail(st, CMP_DATA, "out of memory%s%s", "", "");
    for (int fy = st->from_fy; fy <= st->to_fy; fy++)
        cmp_format_year_label(fy, st->labels[fy - st->from_fy]);
    return 0;
}

/* One metric's row for an arm. */
static json_t *metric_json(const compare_state *st, const cmp_run *arm, const char *name)
{
    const cmp_run *base = &st->runs[0];
    metric_kind kind;
    const char *unit, *note = NULL;
    cmp_metric_kind(name, &kind, &unit);
    long slots[st->n_areas ? st->n_areas : 1];
    for (size_t a = 0; a < st->n_areas; a++)
        slots[a] = cmp_request_find(&st->req, name, st->areas[a]);
    double *v[2] = { malloc(base->n_reps * sizeof *v[0]), malloc(arm->n_reps * sizeof *v[1]) };
    const cmp_run *runs[2] = { base, arm };
    char note_buf[400];
    json_t *row = json_object();
    for (int k = 0; k < 2 && v[0] && v[1]; k++) {
        const cmp_run *run = runs[k];
        size_t y0 = (size_t)cmp_year_index(run, st->from_fy),
               y1 = y0 + (size_t)(st->to_fy - st->from_fy);
        int present = 1;
        for (size_t a = 0; a < st->n_areas; a++) present &= run->present[slots[a]];
        const char *why = NULL;
        if (present) {
            cmp_window_values(run, slots, st->n_areas, kind, y0, y1, v[k], &why);
        } else {
            /* Absent from this run: a count or money that never happened is
             * 0 (an intervention the base lacks); anything else is n/a, and
             * so is a model's metric: that model did not run there. */
            int in_file = json_object_get(run->metrics_seen, name) != NULL;
            int all_only = cmp_metric_all_only(name);
            size_t n_models;
            const model_def *const *models = model_registry(&n_models);
            const model_def *owner =
                in_file ? NULL : engine_model_of_metric(models, n_models, name);
            int zero = !in_file && !all_only && (kind == METRIC_COUNT || kind == METRIC_MONEY);
            if (!in_file && all_only && st->n_areas == 1 && strcmp(st->areas[0], "ALL") == 0)
                zero = kind == METRIC_COUNT || kind == METRIC_MONEY;
            if (owner) zero = 0;
            for (size_t r = 0; r < run->n_reps; r++) v[k][r] = zero ? 0.0 : NAN;
            if (!note) {
                if (owner)
                    snprintf(note_buf, sizeof note_buf,
                             "not in %s's years.csv: %s did not run "
                             "there (or --metric left it out)",
                             run->name, owner->name);
                else if (zero)
                    snprintf(note_buf, sizeof note_buf, "not in %s's years.csv: taken as 0",
                             run->name);
                else if (all_only && strcmp(st->areas[0], "ALL") != 0)
                    snprintf(note_buf, sizeof note_buf, "recorded for ALL only");
                else if (in_file)
                    snprintf(note_buf, sizeof note_buf, "not recorded for these areas in %s",
                             run->name);
                else
                    snprintf(note_buf, sizeof note_buf, "not in %s's years.csv", run->name);
                why = note_buf;
            }
        }
        if (why && !note) note = why;
    }
    if (!row || !v[0] || !v[1]) {
        free(v[0]);
        free(v[1]);
        json_decref(row);
        return NULL;
    }
    cmp_interval welch = cmp_welch(v[1], arm->n_reps, v[0], base->n_reps);
    cmp_interval paired = st->opt->unpaired ? welch : cmp_paired(v[1], v[0], base->n_reps);
    double base_mean = cmp_mean(v[0], base->n_reps), arm_mean = cmp_mean(v[1], arm->n_reps);
    double ratio = NAN;
    if (!st->opt->unpaired && welch.upper > welch.lower)
        ratio = (paired.upper - paired.lower) / (welch.upper - welch.lower);
    size_t want = base->n_reps < arm->n_reps ? base->n_reps : arm->n_reps;
    if (!note && paired.n < want && paired.n > 0) {
        snprintf(note_buf, sizeof note_buf, "defined in %zu of %zu replications", paired.n, want);
        note = note_buf;
    } else if (!note && paired.n == 0) {
        note = "undefined in every replication (no events in the window)";
    }
    free(v[0]);
    free(v[1]);
    if (set(row, "metric", cmp_json_string(name)) || set(row, "unit", json_string(unit)) ||
        set(row, "kind", json_string(kind_name(kind))) ||
        set(row, "base_mean", cmp_number(base_mean)) ||
        set(row, "arm_mean", cmp_number(arm_mean)) ||
        set(row, "difference", cmp_number(paired.mean)) ||
        set(row, "lower", cmp_number(paired.lower)) ||
        set(row, "upper", cmp_number(paired.upper)) ||
        set(row, "relative_change",
            base_mean != 0 ? cmp_number(paired.mean / base_mean) : json_null()) ||
        set(row, "unpaired_lower", cmp_number(welch.lower)) ||
        set(row, "unpaired_upper", cmp_number(welch.upper)) ||
        set(row, "width_ratio", cmp_number(ratio)) ||
        set(row, "replications", json_integer((json_int_t)paired.n)) ||
        set(row, "note", note ? cmp_json_string(note) : json_null())) {
        json_decref(row);
        return NULL;
    }
    return row;
}

static json_t *run_json(const cmp_run *run)
{
    json_t *o = json_object();
    if (!o || set(o, "name", cmp_json_string(run->name)) ||
        set(o, "dir", cmp_json_string(run->dir)) ||
        set(o, "replications", json_integer((json_int_t)run->n_reps)) ||
        set(o, "master_seed", cmp_json_string(run->master_seed)) ||
        set(o, "scenario_sha256", cmp_json_string(run->sha256))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *arm_json(const compare_state *st, const cmp_run *arm)
{
    json_t *o = run_json(arm), *metrics = json_array();
    cmp_pair pair = { .base = &st->runs[0],
                      .arm = arm,
                      .req = &st->req,
                      .base_y0 = (size_t)cmp_year_index(&st->runs[0], st->from_fy),
                      .arm_y0 = (size_t)cmp_year_index(arm, st->from_fy),
                      .n_years = (size_t)(st->to_fy - st->from_fy + 1),
                      .labels = (const char *const *)NULL,
                      .discount_rate = st->opt->discount_rate,
                      .paired = !st->opt->unpaired };
    const char *labels[pair.n_years];
    for (size_t t = 0; t < pair.n_years; t++) labels[t] = st->labels[t];
    pair.labels = labels;
    int status = o && metrics ? 0 : -1;
    for (size_t m = 0; status == 0 && m < st->n_metrics; m++) {
        json_t *row = metric_json(st, arm, st->metrics[m]);
        status = row ? json_array_append_new(metrics, row) : -1;
    }
    if (status != 0 || set(o, "metrics", metrics) || set(o, "bearers", cmp_bearers(&pair)) ||
        set(o, "cost_benefit", cmp_cost_benefit(&pair))) {
        if (status != 0) json_decref(metrics);
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *document(const compare_state *st)
{
    json_t *doc = json_object(), *window = json_object(), *areas = json_array(),
           *arms = json_array();
    int status = doc && window && areas && arms ? 0 : -1;
    if (status) {
        json_decref(window);
        json_decref(areas);
        json_decref(arms);
    }
    if (status == 0 && (set(window, "from", json_string(st->labels[0])) ||
                        set(window, "to", json_string(st->labels[st->to_fy - st->from_fy])) ||
                        set(window, "years", json_integer(st->to_fy - st->from_fy + 1)) ||
                        set(window, "default", json_boolean(st->window_default))))
        status = -1;
    for (size_t a = 0; status == 0 && a < st->n_areas; a++)
        status = json_array_append_new(areas, cmp_json_string(st->areas[a]));
    for (size_t i = 1; status == 0 && i < st->n_runs; i++) {
        json_t *arm = arm_json(st, &st->runs[i]);
        status = arm ? json_array_append_new(arms, arm) : -1;
    }
    if (status != 0 || set(doc, "program", json_string("placesim")) ||
        set(doc, "version", json_string(PLACESIM_VERSION)) || set(doc, "window", window) ||
        set(doc, "areas", areas) || set(doc, "discount_rate", json_real(st->opt->discount_rate)) ||
        set(doc, "paired", json_boolean(!st->opt->unpaired)) ||
        set(doc, "note", json_string(st->opt->unpaired ? note_unpaired : note_paired)) ||
        set(doc, "money_scope", json_string("whole place")) ||
        set(doc, "base", run_json(&st->runs[0])) || set(doc, "arms", arms)) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int compare_json(const char *const *dirs, size_t n_dirs, const compare_options *opt, json_t **out,
                 char *err, size_t errlen)
{
    *out = NULL;
    compare_state st = { .opt = opt, .err = err, .errlen = errlen };
    char **paths = NULL;
    size_t n_paths = 0;
    int status = cmp_resolve_dirs(dirs, n_dirs, &paths, &n_paths, err, errlen);
    if (status == 0 && !(st.runs = calloc(n_paths, sizeof *st.runs)))
        status = fail(&st, CMP_DATA, "out of memory%s%s", "", "");
    for (size_t i = 0; status == 0 && i < n_paths; i++) {
        status = cmp_load_manifest(&st.runs[i], paths[i], err, errlen);
        st.n_runs = i + 1;
    }
    if (status == 0 && !opt->unpaired) status = check_pairing(&st);
    if (status == 0) status = plan(&st);
    for (size_t i = 0; status == 0 && i < st.n_runs; i++)
        status = cmp_load_years(&st.runs[i], &st.req, err, errlen);
    if (status == 0) status = check_names(&st);
    if (status == 0) status = settle_window(&st);
    if (status == 0 && !(*out = document(&st)))
        status = fail(&st, CMP_DATA, "out of memory%s%s", "", "");
    for (size_t i = 0; i < st.n_runs; i++) cmp_run_free(&st.runs[i]);
    for (size_t i = 0; paths && i < n_paths; i++) free(paths[i]);
    free(paths);
    free(st.runs);
    free(st.metrics);
    free(st.labels);
    cmp_request_free(&st.req);
    return status;
}
