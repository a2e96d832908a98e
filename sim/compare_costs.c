/* compare_costs.c — who pays, who benefits, and the cost-benefit of an arm
 * against the base (MODELS.md § 6), all whole-place money from the ALL
 * rows of years.csv, per replication, then summarised over replications. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "cost_metrics.h"
#include "model.h"

enum { HOLDERS = 6, MAX_TERMS = 16 };

static long slot_of(const cmp_request *req, const char *prefix, const char *name)
{
    char metric[128];
    snprintf(metric, sizeof metric, "%s%s", prefix, name);
    return cmp_request_find(req, metric, "ALL");
}

int cmp_request_money(cmp_request *req)
{
    cost_metrics list;
    if (cost_metrics_list(&list) != 0) return -1;
    int status = 0;
    for (size_t i = 0; i < list.n && status == 0; i++)
        if (cmp_request_add(req, list.names[i], "ALL") < 0) status = -1;
    cost_metrics_free(&list);
    return status;
}

/* A signed sum of ALL money (or count) slots over the window (or one year
 * of it), optionally discounted: year t of the window weighted (1 + r)^−t. */
typedef struct money_expr {
    long slot[MAX_TERMS];
    double sign[MAX_TERMS];
    size_t n;
    int discounted;
    long year; /* -1: every year of the window */
} money_expr;

static void expr_add(money_expr *e, const cmp_request *req, const char *prefix, const char *name,
                     double sign)
{
    e->slot[e->n] = slot_of(req, prefix, name);
    e->sign[e->n++] = sign;
}

static double expr_value(const cmp_pair *p, const money_expr *e, const cmp_run *run, size_t y0,
                         size_t rep)
{
    double total = 0;
    for (size_t t = 0; t < p->n_years; t++) {
        if (e->year >= 0 && (size_t)e->year != t) continue;
        double year = 0;
        for (size_t k = 0; k < e->n; k++)
            year += e->sign[k] * cmp_money(run, e->slot[k], y0 + t, rep);
        total += e->discounted ? year * pow(1.0 + p->discount_rate, -(double)t) : year;
    }
    return total;
}

/* The expression's value in every replication of the base and the arm. */
static int expr_vectors(const cmp_pair *p, const money_expr *e, double **arm, double **base)
{
    *arm = malloc(p->arm->n_reps * sizeof **arm);
    *base = malloc(p->base->n_reps * sizeof **base);
    if (!*arm || !*base) {
        free(*arm);
        free(*base);
        return -1;
    }
    for (size_t r = 0; r < p->arm->n_reps; r++) (*arm)[r] = expr_value(p, e, p->arm, p->arm_y0, r);
    for (size_t r = 0; r < p->base->n_reps; r++)
        (*base)[r] = expr_value(p, e, p->base, p->base_y0, r);
    return 0;
}

static cmp_interval diff(const cmp_pair *p, const double *arm, const double *base)
{
    return p->paired ? cmp_paired(arm, base, p->arm->n_reps)
                     : cmp_welch(arm, p->arm->n_reps, base, p->base->n_reps);
}

/* arm − base of an expression, as an interval (NULL out of memory). */
static json_t *expr_json(const cmp_pair *p, const money_expr *e, cmp_interval *iv_out)
{
    double *a, *b;
    if (expr_vectors(p, e, &a, &b) != 0) return NULL;
    cmp_interval iv = diff(p, a, b);
    free(a);
    free(b);
    if (iv_out) *iv_out = iv;
    return cmp_interval_json(iv);
}

/* The holder's own spend plus its share of the pool's spend, the share
 * being what it put in net of what came back (pool_in_<h> already counts
 * rollovers: CONTRACTS.md § 4) over every written year of the run, since
 * the pool's agreement as a whole funds what it spends in the window. NaN
 * when the pool spent with nothing put in. */
static double attributed(const cmp_pair *p, const cmp_run *run, size_t y0, size_t rep, int h)
{
    const cmp_request *req = p->req;
    money_expr own = { .n = 0, .year = -1 }, pool = { .n = 0, .year = -1 };
    expr_add(&own, req, "spend_", bearer_names[h], 1);
    expr_add(&pool, req, "spend_", "pool", 1);
    double spend_pool = expr_value(p, &pool, run, y0, rep);
    double mine = expr_value(p, &own, run, y0, rep);
    if (spend_pool == 0) return mine;
    double put[HOLDERS], total = 0;
    for (int k = 0; k < HOLDERS; k++) {
        long in = slot_of(req, "pool_in_", bearer_names[k]);
        long back = slot_of(req, "pool_return_", bearer_names[k]);
        put[k] = 0;
        for (size_t y = 0; y < run->n_years; y++)
            put[k] += cmp_money(run, in, y, rep) - cmp_money(run, back, y, rep);
        total += put[k];
    }
    return total > 0 ? mine + spend_pool * put[h] / total : NAN;
}

static json_t *attributed_json(const cmp_pair *p, int h)
{
    double *a = malloc(p->arm->n_reps * sizeof *a), *b = malloc(p->base->n_reps * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return NULL;
    }
    int undefined = 0;
    for (size_t r = 0; r < p->arm->n_reps; r++)
        undefined |= isnan(a[r] = attributed(p, p->arm, p->arm_y0, r, h));
    for (size_t r = 0; r < p->base->n_reps; r++)
        undefined |= isnan(b[r] = attributed(p, p->base, p->base_y0, r, h));
    cmp_interval iv = diff(p, a, b);
    free(a);
    free(b);
    return undefined ? json_null() : cmp_interval_json(iv);
}

static int set(json_t *o, const char *key, json_t *v)
{
    return v ? json_object_set_new(o, key, v) : -1;
}

json_t *cmp_bearers(const cmp_pair *p)
{
    static const char *const names[] = { "housing", "police", "probation", "prisons", "council",
                                         "health",  "pool",   "courts",    "victims" };
    json_t *list = json_array();
    for (size_t i = 0; list && i < sizeof names / sizeof names[0]; i++) {
        int holder = i < HOLDERS, pool = strcmp(names[i], "pool") == 0;
        money_expr spend = { .year = -1 }, demand = { .year = -1 }, net = { .year = -1 };
        if (holder || pool) {
            expr_add(&spend, p->req, "spend_", names[i], 1);
            expr_add(&net, p->req, "spend_", names[i], 1);
        }
        if (!pool) {
            expr_add(&demand, p->req, "demand_cost_", names[i], 1);
            expr_add(&net, p->req, "demand_cost_", names[i], 1);
        }
        json_t *b = json_object();
        if (!b || json_array_append_new(list, b) != 0 ||
            set(b, "bearer", json_string(names[i])) != 0 ||
            set(b, "spend", spend.n ? expr_json(p, &spend, NULL) : json_null()) != 0 ||
            set(b, "demand", demand.n ? expr_json(p, &demand, NULL) : json_null()) != 0 ||
            set(b, "net", expr_json(p, &net, NULL)) != 0 ||
            set(b, "spend_with_pool_share", holder ? attributed_json(p, (int)i) : json_null()) !=
                0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

/* Costs (+), fiscal benefits and social benefits (demand costs avoided)
 * and the NPVs (cmp_cb_measure), in one year t or (year -1) the window,
 * discounted or not. */

static money_expr cb_expr(const cmp_pair *p, int what, long year, int discounted)
{
    money_expr e = { .n = 0, .year = year, .discounted = discounted };
    int costs = what == CMP_CB_COSTS || what == CMP_CB_NPV_FISCAL || what == CMP_CB_NPV_TOTAL;
    int fiscal = what == CMP_CB_FISCAL || what == CMP_CB_NPV_FISCAL || what == CMP_CB_NPV_TOTAL;
    int social = what == CMP_CB_SOCIAL || what == CMP_CB_NPV_TOTAL;
    double cost_sign = what == CMP_CB_COSTS ? 1 : -1;
    if (costs) {
        for (int h = 0; h < HOLDERS; h++)
            expr_add(&e, p->req, "spend_", bearer_names[h], cost_sign);
        expr_add(&e, p->req, "spend_", "pool", cost_sign);
    }
    for (int b = 0; b < BEARERS; b++)
        if ((b == BEARER_VICTIMS && social) || (b != BEARER_VICTIMS && fiscal))
            expr_add(&e, p->req, "demand_cost_", bearer_names[b], -1);
    return e;
}

/* Per replication (paired), arm − base of cb_expr(what, year, discounted). */
static int cb_deltas(const cmp_pair *p, int what, long year, int discounted, double *out)
{
    money_expr e = cb_expr(p, what, year, discounted);
    double *a, *b;
    if (expr_vectors(p, &e, &a, &b) != 0) return -1;
    for (size_t r = 0; r < p->arm->n_reps; r++) out[r] = a[r] - b[r];
    free(a);
    free(b);
    return 0;
}

int cmp_cost_benefit_replications(const cmp_pair *p, cmp_cb_measure what, double *out)
{
    return cb_deltas(p, (int)what, -1, 1, out);
}

/* The replication's payback: the index of the first window year, counting
 * from the first with extra spend, after which the cumulative discounted
 * fiscal net stays >= 0; n_years when it does not pay back in the window. */
static size_t payback_index(const double *cost, const double *fiscal, size_t stride,
                            const double *disc, size_t T)
{
    size_t s = 0;
    while (s < T && !(cost[s * stride] > 0)) s++;
    if (s == T) s = 0; /* no extra spend: counted from the first year */
    size_t pay = s;
    double cum = 0;
    for (size_t t = s; t < T; t++) {
        cum += disc[t] * (fiscal[t * stride] - cost[t * stride]);
        if (cum < 0) pay = t + 1;
    }
    return pay;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static double share_positive(const double *x, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += x[i] > 0;
    return (double)k / (double)n;
}

/* The paired-only figures: ratios, payback and shares, per replication. */
static int cb_paired(const cmp_pair *p, json_t *cb)
{
    size_t R = p->arm->n_reps, T = p->n_years;
    double *buf = malloc((7 * R + 2 * T * R + T) * sizeof *buf);
    size_t *pay = malloc(R * sizeof *pay);
    if (!buf || !pay) {
        free(buf);
        free(pay);
        return -1;
    }
    double *c = buf, *f = c + R, *s = f + R, *bcr_f = s + R, *bcr_t = bcr_f + R;
    double *npv_f = bcr_t + R, *npv_t = npv_f + R;
    double *yc = npv_t + R, *yf = yc + T * R, *disc = yf + T * R;
    int status = cb_deltas(p, CMP_CB_COSTS, -1, 1, c) | cb_deltas(p, CMP_CB_FISCAL, -1, 1, f) |
                 cb_deltas(p, CMP_CB_SOCIAL, -1, 1, s);
    for (size_t t = 0; t < T && status == 0; t++) {
        disc[t] = pow(1.0 + p->discount_rate, -(double)t);
        status = cb_deltas(p, CMP_CB_COSTS, (long)t, 0, yc + t * R) |
                 cb_deltas(p, CMP_CB_FISCAL, (long)t, 0, yf + t * R);
    }
    int ratios = 1; /* BCR only when every replication's PV of costs is > 0 */
    for (size_t r = 0; r < R; r++) {
        ratios &= c[r] > 0;
        bcr_f[r] = f[r] / c[r];
        bcr_t[r] = (f[r] + s[r]) / c[r];
        npv_f[r] = f[r] - c[r];
        npv_t[r] = f[r] + s[r] - c[r];
        pay[r] = payback_index(yc + r, yf + r, R, disc, T);
    }
    size_t paid = 0;
    for (size_t r = 0; r < R; r++) paid += pay[r] < T;
    qsort(pay, R, sizeof *pay, cmp_size);
    /* The median year: the first by which at least half have paid back. */
    size_t median = pay[(R + 1) / 2 - 1];
    if (status == 0 &&
        (set(cb, "bcr_fiscal",
             ratios ? cmp_interval_json(cmp_mean_interval(bcr_f, R)) : json_null()) ||
         set(cb, "bcr_total",
             ratios ? cmp_interval_json(cmp_mean_interval(bcr_t, R)) : json_null()) ||
         set(cb, "payback_year_median",
             median < T ? json_string(p->labels[median]) : json_null()) ||
         set(cb, "payback_share", json_real((double)paid / (double)R)) ||
         set(cb, "npv_positive_share_fiscal", json_real(share_positive(npv_f, R))) ||
         set(cb, "npv_positive_share_total", json_real(share_positive(npv_t, R)))))
        status = -1;
    free(buf);
    free(pay);
    return status ? -1 : 0;
}

static json_t *outcomes_json(const cmp_pair *p, double costs_pv_mean)
{
    json_t *list = json_array();
    size_t n;
    const model_def *const *models = model_registry(&n);
    for (size_t m = 0; list && m < n; m++)
        for (size_t o = 0; o < models[m]->n_outcomes; o++) {
            const comparison_outcome *oc = &models[m]->outcomes[o];
            money_expr e = { .n = 0, .year = -1 };
            int in_base = 0, in_arm = 0;
            for (size_t k = 0; k < oc->n_metrics && e.n < MAX_TERMS; k++) {
                expr_add(&e, p->req, oc->metrics[k], "", 1);
                long slot = e.slot[e.n - 1];
                in_base |= slot >= 0 && p->base->present[slot];
                in_arm |= slot >= 0 && p->arm->present[slot];
            }
            /* A model that did not run in one of the runs (its `models`
             * key): its outcome has no change to price, not a change to 0. */
            if (!in_base || !in_arm) continue;
            cmp_interval iv;
            json_t *change = expr_json(p, &e, &iv), *item = json_object();
            /* Per unit avoided: a fall in the outcome is what costs buy. */
            int spans =
                !(isfinite(iv.lower) && isfinite(iv.upper)) || (iv.lower <= 0 && iv.upper >= 0);
            if (!item || json_array_append_new(list, item) != 0 ||
                set(item, "outcome", json_string(oc->label)) ||
                set(item, "unit", json_string(oc->unit)) || set(item, "change", change) ||
                set(item, "cost_per_unit",
                    spans ? json_null() : cmp_number(costs_pv_mean / -iv.mean))) {
                json_decref(list);
                return NULL;
            }
        }
    return list;
}

static json_t *by_year_json(const cmp_pair *p)
{
    json_t *list = json_array();
    static const char *const keys[] = { "costs", "fiscal_benefits", "social_benefits" };
    for (size_t t = 0; list && t < p->n_years; t++) {
        json_t *year = json_object();
        if (!year || json_array_append_new(list, year) != 0 ||
            set(year, "year", json_string(p->labels[t]))) {
            json_decref(list);
            return NULL;
        }
        for (int k = CMP_CB_COSTS; k <= CMP_CB_SOCIAL; k++) {
            money_expr e = cb_expr(p, k, (long)t, 0);
            if (set(year, keys[k], expr_json(p, &e, NULL))) {
                json_decref(list);
                return NULL;
            }
        }
    }
    return list;
}

json_t *cmp_cost_benefit(const cmp_pair *p)
{
    static const char *const keys[] = { "costs_pv", "fiscal_benefits_pv", "social_benefits_pv",
                                        "npv_fiscal", "npv_total" };
    json_t *cb = json_object();
    cmp_interval costs = { NAN, NAN, NAN, 0 };
    for (int k = CMP_CB_COSTS; cb && k <= CMP_CB_NPV_TOTAL; k++) {
        money_expr e = cb_expr(p, k, -1, 1);
        cmp_interval iv;
        if (set(cb, keys[k], expr_json(p, &e, &iv))) goto fail;
        if (k == CMP_CB_COSTS) costs = iv;
    }
    if (!cb) return NULL;
    if (p->paired) {
        if (cb_paired(p, cb) != 0) goto fail;
    } else {
        /* Ratios, payback and shares are per replication: without pairs
         * there are none. */
        static const char *const none[] = { "bcr_fiscal",
                                            "bcr_total",
                                            "payback_year_median",
                                            "payback_share",
                                            "npv_positive_share_fiscal",
                                            "npv_positive_share_total" };
        for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
            if (set(cb, none[i], json_null())) goto fail;
    }
    if (set(cb, "payback_net", json_string("fiscal")) ||
        set(cb, "cost_per_outcome", outcomes_json(p, costs.mean)) ||
        set(cb, "by_year", by_year_json(p)))
        goto fail;
    return cb;
fail:
    json_decref(cb);
    return NULL;
}
