/* compare_sweep.c — compare_sweep_json (compare.h): a probabilistic
 * sensitivity analysis. At every point of a sweep the base arm's and each
 * other arm's replications are loaded from the store (compare_sweep_load.c)
 * and compared by the same cmp_cost_benefit as run directories; the
 * per-point means over replications then have a distribution across the
 * points, which is the parameters' uncertainty (README.md "Across a
 * sweep"). One point's runs are in memory at a time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "compare_internal.h"

#ifndef PLACESIM_VERSION
#define PLACESIM_VERSION "unknown"
#endif

/* The per-point measures summarised across points, in document order. */
static const char *const measures[] = { "costs_pv",   "fiscal_benefits_pv", "social_benefits_pv",
                                        "npv_fiscal", "npv_total",          "bcr_fiscal",
                                        "bcr_total" };
enum { N_MEASURES = sizeof measures / sizeof measures[0] };

static const char note[] =
    "summary: the distribution across the sweep's points (the parameters' uncertainty) of each "
    "point's mean over its paired replications; npv_*_lower/upper and replication_se_mean: the "
    "runs' randomness at a point";

/* One compared arm, built point by point. */
typedef struct arm_acc {
    size_t arm; /* its arm_id */
    json_t *points, *skipped;
    double *v[N_MEASURES];        /* per used point */
    double *se_fiscal, *se_total; /* per used point */
    size_t n_used;
} arm_acc;

typedef struct sweep_state {
    const compare_options *opt;
    const char *db_path;
    cmp_store store;
    cmp_request req;
    arm_acc *arms;
    size_t n_arms;
    int from_fy, to_fy, window_default;
    const char **labels; /* the window's year labels */
    char (*label_text)[8];
    double *values; /* the point's parameter values */
    char *err;
    size_t errlen;
} sweep_state;

static int set(json_t *o, const char *key, json_t *v)
{
    return v ? json_object_set_new(o, key, v) : -1;
}

static int oom(sweep_state *s)
{
    snprintf(s->err, s->errlen, "out of memory");
    return CMP_DATA;
}

/* The options a database takes, and the arms it compares. */
static int plan(sweep_state *s, const char *arm)
{
    const compare_options *opt = s->opt;
    const char *refused = opt->n_areas     ? "--area"
                          : opt->n_metrics ? "--metric"
                          : opt->unpaired  ? "--unpaired"
                                           : NULL;
    if (refused)
        return snprintf(s->err, s->errlen,
                        "%s: %s does not apply to a results database (its "
                        "money is the whole place's, and its arms are paired by construction)",
                        s->db_path, refused),
               CMP_USAGE;
    if (opt->from_year && cmp_parse_year_label(opt->from_year, &s->from_fy) != 0)
        return snprintf(s->err, s->errlen, "--from '%s' is not a financial year such as 2026/27",
                        opt->from_year),
               CMP_USAGE;
    if (opt->to_year && cmp_parse_year_label(opt->to_year, &s->to_fy) != 0)
        return snprintf(s->err, s->errlen, "--to '%s' is not a financial year such as 2026/27",
                        opt->to_year),
               CMP_USAGE;
    if (!isfinite(opt->discount_rate) || opt->discount_rate <= -1 || opt->discount_rate > 1)
        return snprintf(s->err, s->errlen,
                        "the discount rate must be above -1 and at most 1 "
                        "(0.035 is 3.5%% a year)"),
               CMP_USAGE;
    int status = cmp_store_open(s->db_path, &s->store, s->err, s->errlen);
    if (status != 0) return status;
    const cmp_store *st = &s->store;
    size_t found = 0;
    for (size_t a = 0; arm && a < st->n_arms && !found; a++)
        if (strcmp(st->arms[a], arm) == 0) found = a ? a : SIZE_MAX;
    if (arm && found == 0) {
        char names[1024] = "";
        for (size_t a = 0; a < st->n_arms; a++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", a ? ", " : "",
                     st->arms[a]);
        return snprintf(s->err, s->errlen, "%s: no arm '%s' (the sweep's arms: %s)", s->db_path,
                        arm, names),
               CMP_USAGE;
    }
    if (found == SIZE_MAX)
        return snprintf(s->err, s->errlen,
                        "%s: '%s' is the base arm, which the others are "
                        "compared with: name another with --arm",
                        s->db_path, arm),
               CMP_USAGE;
    s->n_arms = arm ? 1 : st->n_arms - 1;
    s->arms = calloc(s->n_arms, sizeof *s->arms);
    s->values = malloc((st->n_params ? st->n_params : 1) * sizeof *s->values);
    if (!s->arms || !s->values || cmp_request_money(&s->req) != 0) return oom(s);
    for (size_t i = 0; i < s->n_arms; i++) {
        arm_acc *acc = &s->arms[i];
        acc->arm = arm ? found : i + 1;
        acc->points = json_array();
        acc->skipped = json_array();
        acc->se_fiscal = malloc(st->n_points * sizeof *acc->se_fiscal);
        acc->se_total = malloc(st->n_points * sizeof *acc->se_total);
        if (!acc->points || !acc->skipped || !acc->se_fiscal || !acc->se_total) return oom(s);
        for (size_t m = 0; m < N_MEASURES; m++)
            if (!(acc->v[m] = malloc(st->n_points * sizeof *acc->v[m]))) return oom(s);
    }
    return 0;
}

/* The default window: the whole years common to the runs of every point
 * that is compared (the base and an arm, every replication ok). */
static int settle_window(sweep_state *s)
{
    const cmp_store *st = &s->store;
    int lo = 1, hi = 0, any = 0, status = 0;
    char first_skip[1024] = "";
    for (size_t p = 0; p < st->n_points && status == 0; p++) {
        cmp_run base, arm;
        status = cmp_store_load_run(st, p, 0, NULL, &base, s->err, s->errlen);
        if (status == CMP_SKIP && !first_skip[0])
            snprintf(first_skip, sizeof first_skip, "point %zu: %s", p, s->err);
        if (status == CMP_SKIP) {
            status = 0;
            continue;
        }
        for (size_t i = 0; i < s->n_arms && status == 0; i++) {
            status = cmp_store_load_run(st, p, s->arms[i].arm, NULL, &arm, s->err, s->errlen);
            if (status == CMP_SKIP) {
                if (!first_skip[0])
                    snprintf(first_skip, sizeof first_skip, "point %zu: %s", p, s->err);
                status = 0;
                continue;
            }
            if (status != 0) break;
            if (cmp_window_narrow(&base, !any, &lo, &hi) == 0) cmp_window_narrow(&arm, 0, &lo, &hi);
            any = 1;
            cmp_run_free(&arm);
        }
        cmp_run_free(&base);
    }
    if (status != 0) return status;
    if (!any)
        return snprintf(s->err, s->errlen,
                        "%s: no point has every replication of the base and "
                        "an arm ok (%s)",
                        s->db_path, first_skip),
               CMP_DATA;
    s->window_default = !s->opt->from_year && !s->opt->to_year;
    if (!s->opt->from_year) s->from_fy = lo;
    if (!s->opt->to_year) s->to_fy = hi;
    if (s->window_default && lo > hi)
        return snprintf(s->err, s->errlen,
                        "%s: no financial year is wholly written in every "
                        "compared run (compare works in whole financial years from 1 April to "
                        "31 March)",
                        s->db_path),
               CMP_DATA;
    char from[8], to[8];
    cmp_format_year_label(s->from_fy, from);
    cmp_format_year_label(s->to_fy, to);
    if (s->from_fy > s->to_fy)
        return snprintf(s->err, s->errlen, "the window's first year %s is after its last %s", from,
                        to),
               CMP_USAGE;
    size_t n = (size_t)(s->to_fy - s->from_fy + 1);
    s->label_text = malloc(n * sizeof *s->label_text);
    s->labels = malloc(n * sizeof *s->labels);
    if (!s->label_text || !s->labels) return oom(s);
    for (size_t t = 0; t < n; t++) {
        cmp_format_year_label(s->from_fy + (int)t, s->label_text[t]);
        s->labels[t] = s->label_text[t];
    }
    return 0;
}

/* The point's values as a JSON array (null where none). */
static json_t *values_json(const sweep_state *s)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < s->store.n_params; k++)
        if (json_array_append_new(a, cmp_number(s->values[k])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static int add_skipped(sweep_state *s, arm_acc *acc, size_t point, const char *reason)
{
    json_t *o = json_object();
    if (!o || json_array_append_new(acc->skipped, o) != 0 ||
        set(o, "point_id", json_integer((json_int_t)point)) || set(o, "values", values_json(s)) ||
        set(o, "reason", cmp_json_string(reason)))
        return oom(s);
    return 0;
}

static double member(const json_t *cb, const char *key, const char *part)
{
    const json_t *v = json_object_get(json_object_get(cb, key), part);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The standard error of the mean over replications of a measure. */
static double replication_se(const cmp_pair *pair, cmp_cb_measure what, int *status)
{
    size_t R = pair->arm->n_reps;
    double *x = malloc(R * sizeof *x);
    if (!x || cmp_cost_benefit_replications(pair, what, x) != 0) {
        free(x);
        *status = -1;
        return NAN;
    }
    cmp_interval iv = cmp_mean_interval(x, R); /* mean and n over defined values */
    double ss = 0;
    for (size_t r = 0; r < R; r++)
        if (!isnan(x[r])) ss += (x[r] - iv.mean) * (x[r] - iv.mean);
    free(x);
    return iv.n > 1 ? sqrt(ss / (double)(iv.n - 1) / (double)iv.n) : NAN;
}

/* The point's figures for one arm, from cmp_cost_benefit (as `placesim
 * compare` on the point's run directories gives them). */
static int add_point(sweep_state *s, arm_acc *acc, size_t point, const cmp_run *base,
                     const cmp_run *arm)
{
    cmp_pair pair = { .base = base,
                      .arm = arm,
                      .req = &s->req,
                      .base_y0 = (size_t)cmp_year_index(base, s->from_fy),
                      .arm_y0 = (size_t)cmp_year_index(arm, s->from_fy),
                      .n_years = (size_t)(s->to_fy - s->from_fy + 1),
                      .labels = s->labels,
                      .discount_rate = s->opt->discount_rate,
                      .paired = 1 };
    json_t *cb = cmp_cost_benefit(&pair), *o = json_object();
    int status = cb && o ? 0 : -1;
    double se_f = replication_se(&pair, CMP_CB_NPV_FISCAL, &status);
    double se_t = replication_se(&pair, CMP_CB_NPV_TOTAL, &status);
    if (status == 0 &&
        (json_array_append_new(acc->points, o) != 0 ||
         set(o, "point_id", json_integer((json_int_t)point)) || set(o, "values", values_json(s)) ||
         set(o, "seed", cmp_json_string(base->master_seed))))
        status = -1;
    else if (status != 0)
        json_decref(o);
    for (size_t m = 0; status == 0 && m < N_MEASURES; m++) {
        acc->v[m][acc->n_used] = member(cb, measures[m], "mean");
        status = set(o, measures[m], cmp_number(acc->v[m][acc->n_used]));
        if (status == 0 && (m == 3 || m == 4)) { /* the NPVs: their replication intervals */
            char key[40];
            snprintf(key, sizeof key, "%s_lower", measures[m]);
            status = set(o, key, cmp_number(member(cb, measures[m], "lower")));
            snprintf(key, sizeof key, "%s_upper", measures[m]);
            if (status == 0) status = set(o, key, cmp_number(member(cb, measures[m], "upper")));
        }
    }
    if (status == 0 &&
        (set(o, "npv_positive_share_fiscal",
             json_copy(json_object_get(cb, "npv_positive_share_fiscal"))) ||
         set(o, "npv_positive_share_total",
             json_copy(json_object_get(cb, "npv_positive_share_total"))) ||
         set(o, "npv_fiscal_se", cmp_number(se_f)) || set(o, "npv_total_se", cmp_number(se_t))))
        status = -1;
    json_decref(cb);
    if (status != 0) return oom(s);
    acc->se_fiscal[acc->n_used] = se_f;
    acc->se_total[acc->n_used] = se_t;
    acc->n_used++;
    return 0;
}

/* One point: the base loaded once, then each arm against it. */
static int compare_point(sweep_state *s, size_t p)
{
    const cmp_store *st = &s->store;
    cmp_run base, arm;
    char why[1024];
    int status = cmp_store_point_values(st, p, s->values, s->err, s->errlen);
    if (status != 0) return status;
    status = cmp_store_load_run(st, p, 0, &s->req, &base, why, sizeof why);
    if (status == CMP_SKIP) {
        for (size_t i = 0; i < s->n_arms; i++)
            if (add_skipped(s, &s->arms[i], p, why) != 0) return CMP_DATA;
        return 0;
    }
    if (status != 0) return snprintf(s->err, s->errlen, "%s", why), status;
    status = cmp_window_check(&base, s->from_fy, s->to_fy, s->err, s->errlen);
    for (size_t i = 0; i < s->n_arms && status == 0; i++) {
        status = cmp_store_load_run(st, p, s->arms[i].arm, &s->req, &arm, why, sizeof why);
        if (status == CMP_SKIP) {
            status = add_skipped(s, &s->arms[i], p, why);
            continue;
        }
        if (status != 0) {
            snprintf(s->err, s->errlen, "%s", why);
            break;
        }
        status = cmp_window_check(&arm, s->from_fy, s->to_fy, s->err, s->errlen);
        if (status == 0) status = add_point(s, &s->arms[i], p, &base, &arm);
        cmp_run_free(&arm);
    }
    cmp_run_free(&base);
    return status;
}

/* The distribution across points of one measure's defined values (x is
 * reordered): mean, sd (n − 1), 5th and 95th percentiles (linear between
 * order statistics, gsl_stats_quantile_from_sorted_data), min, max and the
 * share of values > 0; null members where undefined. */
static json_t *distribution(double *x, size_t n)
{
    size_t k = 0, positive = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            positive += x[i] > 0;
            x[k++] = x[i];
        }
    double nan = NAN;
    double mean = k ? gsl_stats_mean(x, 1, k) : nan, sd = k > 1 ? gsl_stats_sd(x, 1, k) : nan;
    double p05 = nan, p95 = nan, min = nan, max = nan;
    if (k) {
        gsl_sort(x, 1, k);
        p05 = gsl_stats_quantile_from_sorted_data(x, 1, k, 0.05);
        p95 = gsl_stats_quantile_from_sorted_data(x, 1, k, 0.95);
        min = x[0];
        max = x[k - 1];
    }
    json_t *o = json_object();
    if (!o || set(o, "n", json_integer((json_int_t)k)) || set(o, "mean", cmp_number(mean)) ||
        set(o, "sd", cmp_number(sd)) || set(o, "p05", cmp_number(p05)) ||
        set(o, "p95", cmp_number(p95)) || set(o, "min", cmp_number(min)) ||
        set(o, "max", cmp_number(max)) ||
        set(o, "share_positive", k ? json_real((double)positive / (double)k) : json_null())) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Containers are attached to their parent as soon as they exist (set
 * takes the reference even when it fails), so one json_decref of the
 * parent frees everything on every path. */
static json_t *arm_json(sweep_state *s, arm_acc *acc)
{
    json_t *o = json_object(), *summary = json_object(), *se = json_object();
    int bad = set(o, "arm", cmp_json_string(s->store.arms[acc->arm]));
    bad |= set(o, "points_used", json_integer((json_int_t)acc->n_used));
    bad |= set(o, "points_skipped", json_integer((json_int_t)json_array_size(acc->skipped)));
    bad |= set(o, "summary", summary);
    bad |= set(o, "replication_se_mean", se);
    bad |= set(o, "points", json_incref(acc->points));
    bad |= set(o, "skipped", json_incref(acc->skipped));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    int status = 0;
    for (size_t m = 0; status == 0 && m < N_MEASURES; m++)
        status = set(summary, measures[m], distribution(acc->v[m], acc->n_used));
    if (status == 0 && (set(se, "npv_fiscal", cmp_number(cmp_mean(acc->se_fiscal, acc->n_used))) ||
                        set(se, "npv_total", cmp_number(cmp_mean(acc->se_total, acc->n_used)))))
        status = -1;
    if (status != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *document(sweep_state *s)
{
    const cmp_store *st = &s->store;
    json_t *doc = json_object(), *sweep = json_object(), *params = json_array(),
           *window = json_object(), *arms = json_array();
    size_t n_years = (size_t)(s->to_fy - s->from_fy + 1);
    int bad = set(doc, "program", json_string("placesim"));
    bad |= set(doc, "version", json_string(PLACESIM_VERSION));
    bad |= set(doc, "kind", json_string("sweep_cost_benefit"));
    bad |= set(doc, "database", cmp_json_string(s->db_path));
    bad |= set(doc, "sweep", sweep);
    bad |= set(doc, "parameters", params);
    bad |= set(doc, "window", window);
    bad |= set(doc, "discount_rate", json_real(s->opt->discount_rate));
    bad |= set(doc, "paired", json_true());
    bad |= set(doc, "money_scope", json_string("whole place"));
    bad |= set(doc, "note", json_string(note));
    bad |= set(doc, "base", cmp_json_string(st->arms[0]));
    bad |= set(doc, "arms", arms);
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    int status = 0;
    for (size_t k = 0; status == 0 && k < st->n_params; k++)
        status = json_array_append_new(params, cmp_json_string(st->params[k]));
    for (size_t i = 0; status == 0 && i < s->n_arms; i++)
        status = json_array_append_new(arms, arm_json(s, &s->arms[i]));
    if (status == 0 && (set(sweep, "name", cmp_json_string(st->name)) ||
                        set(sweep, "path", cmp_json_string(st->sweep_path)) ||
                        set(sweep, "design", cmp_json_string(st->design)) ||
                        set(sweep, "n_points", json_integer((json_int_t)st->n_points)) ||
                        set(sweep, "replications", json_integer((json_int_t)st->replications)) ||
                        set(sweep, "sha256", cmp_json_string(st->sha256)) ||
                        set(sweep, "master_seed", cmp_json_string(st->master_seed)) ||
                        set(window, "from", json_string(s->labels[0])) ||
                        set(window, "to", json_string(s->labels[n_years - 1])) ||
                        set(window, "years", json_integer((json_int_t)n_years)) ||
                        set(window, "default", json_boolean(s->window_default))))
        status = -1;
    if (status != 0) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static void state_free(sweep_state *s)
{
    for (size_t i = 0; s->arms && i < s->n_arms; i++) {
        arm_acc *acc = &s->arms[i];
        json_decref(acc->points);
        json_decref(acc->skipped);
        for (size_t m = 0; m < N_MEASURES; m++) free(acc->v[m]);
        free(acc->se_fiscal);
        free(acc->se_total);
    }
    free(s->arms);
    free(s->values);
    free(s->labels);
    free(s->label_text);
    cmp_request_free(&s->req);
    if (s->store.db) cmp_store_close(&s->store);
}

int compare_sweep_json(const char *db_path, const compare_options *opt, const char *arm,
                       json_t **out, char *err, size_t errlen)
{
    *out = NULL;
    sweep_state s = { .opt = opt, .db_path = db_path, .err = err, .errlen = errlen };
    int status = plan(&s, arm);
    if (status == 0) status = settle_window(&s);
    for (size_t p = 0; status == 0 && p < s.store.n_points; p++) status = compare_point(&s, p);
    if (status == 0 && !(*out = document(&s))) status = oom(&s);
    state_free(&s);
    return status;
}
