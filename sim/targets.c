/* targets.c — calibration targets: check, pool, report. */
#include "targets.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "output.h"
#include "summary.h"

static const metric_spec *find_metric(const model_def *const *models, size_t n_models,
                                      const char *name)
{
    size_t n;
    const metric_spec *engine = budget_demand_metrics(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(engine[i].name, name) == 0) return &engine[i];
    }
    engine = budget_money_metrics(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(engine[i].name, name) == 0) return &engine[i];
    }
    for (size_t m = 0; m < n_models; m++) {
        for (size_t i = 0; i < models[m]->metrics->n_specs; i++) {
            if (strcmp(models[m]->metrics->specs[i].name, name) == 0)
                return &models[m]->metrics->specs[i];
        }
    }
    return NULL;
}

int targets_check(const scenario *s, const model_def *const *models, size_t n_models, char *err,
                  size_t errlen)
{
    const scn_node *list = scenario_find(s, "targets");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *entry = list->children[i];
        const scn_node *metric = scn_member(entry, "metric");
        if (!find_metric(models, n_models, metric->string_value)) {
            snprintf(err, errlen,
                     "%s:%d: targets.%s.metric: \"%s\" is not a metric "
                     "(placesim describe lists them)",
                     metric->file, metric->line, scn_member_string(entry, "name"),
                     metric->string_value);
            return -1;
        }
    }
    return 0;
}

static target_bound bound_of(const scn_node *entry)
{
    /* The table's enum check let only these three through. */
    const char *text = scn_member_string(entry, "bound");
    if (strcmp(text, "at_least") == 0) return TARGET_AT_LEAST;
    if (strcmp(text, "at_most") == 0) return TARGET_AT_MOST;
    return TARGET_TWO_SIDED;
}

/* How far achieved is on the wrong side of the target, in the achieved
 * value's unit: 0 on the right side of a one-sided target. */
static double shortfall(const target_result *t)
{
    double gap = t->achieved - t->target;
    if (t->bound == TARGET_AT_LEAST) return gap < 0 ? gap : 0;
    if (t->bound == TARGET_AT_MOST) return gap > 0 ? gap : 0;
    return gap;
}

static int is_met(const target_result *t)
{
    if (isnan(t->achieved)) return 0;
    if (t->bound == TARGET_TWO_SIDED) return fabs(t->achieved - t->target) <= t->tolerance;
    return shortfall(t) == 0;
}

/* One replication's value of the metric, in the target's unit. */
static double replication_value(const recorder *rec, int metric, double years)
{
    const metric_spec *spec = recorder_metric(rec, metric);
    double v = recorder_run_value(rec, metric);
    if (spec->kind == METRIC_COUNT || spec->kind == METRIC_MONEY) v /= years;
    return v;
}

long targets_evaluate(const run_config *cfg, const replication_result *results, unsigned n,
                      target_result **out)
{
    *out = NULL;
    const scn_node *list = scenario_find(cfg->scn, "targets");
    size_t count = list ? list->n_children : 0;
    if (count == 0) return 0;
    target_result *t = calloc(count, sizeof *t);
    if (!t) return -1;
    double years = (double)(cfg->last_date - cfg->start_date + 1) / 365.25;
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        const scn_node *entry = list->children[i];
        /* targets_check found the metric in the registry: one this run lacks
         * belongs to a model the scenario's `models` key leaves out. */
        int metric = n ? recorder_find(results[0].rec, scn_member_string(entry, "metric")) : -1;
        if (n && metric < 0) continue;
        target_result *r = &t[kept++];
        r->name = scn_member_string(entry, "name");
        r->metric = scn_member_string(entry, "metric");
        r->source = scn_member_string(entry, "source");
        r->target = scn_member_float(entry, "value");
        r->tolerance = scn_member_float(entry, "tolerance");
        r->bound = bound_of(entry);
        r->replications = n;
        r->achieved = r->se = NAN;
        if (metric < 0) continue;
        metric_kind kind = recorder_metric(results[0].rec, metric)->kind;

        if (kind == METRIC_EVENT_MEDIAN) {
            double unused_se;
            if (summary_pooled(results, n, r->metric, &r->achieved, &unused_se) != 0) {
                r->achieved = NAN; /* no event at all, or out of memory: undefined */
            }
        } else if (kind == METRIC_COUNT || kind == METRIC_MONEY) {
            double sum = 0;
            for (unsigned k = 0; k < n; k++)
                sum += replication_value(results[k].rec, metric, years);
            r->achieved = sum / n;
        } else {
            double num = 0, den = 0;
            for (unsigned k = 0; k < n; k++) {
                double a, b;
                if (recorder_run_sums(results[k].rec, metric, &a, &b) == 0) {
                    num += a;
                    den += b;
                }
            }
            r->achieved = den > 0 ? num / den : NAN;
        }
        double s = 0, ss = 0;
        unsigned defined = 0;
        for (unsigned k = 0; k < n; k++) {
            double v = replication_value(results[k].rec, metric, years);
            if (isnan(v)) continue;
            s += v;
            ss += v * v;
            defined++;
        }
        if (defined >= 2) {
            double mean = s / defined;
            double var = (ss - defined * mean * mean) / (defined - 1);
            r->se = sqrt(var > 0 ? var : 0) / sqrt((double)defined);
        }
        r->met = is_met(r);
    }
    *out = t;
    return (long)kept;
}

double targets_distance(const target_result *t, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(t[i].achieved)) return INFINITY;
        double tol = t[i].tolerance > 0 ? t[i].tolerance : 1e-12;
        double z = shortfall(&t[i]) / tol;
        d += z * z;
    }
    return d;
}

void targets_print(FILE *out, const target_result *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "target %s (%s): ", t[i].name, t[i].metric);
        if (t[i].bound == TARGET_TWO_SIDED)
            fprintf(out, "%.4g +/- %.4g", t[i].target, t[i].tolerance);
        else
            fprintf(out, "%s %.4g (tolerance %.4g)",
                    t[i].bound == TARGET_AT_LEAST ? "at least" : "at most", t[i].target,
                    t[i].tolerance);
        fprintf(out, ", achieved %.4g (se %.2g, %u replications): %s\n", t[i].achieved, t[i].se,
                t[i].replications, t[i].met ? "met" : "NOT met");
    }
}

static void write_number(FILE *out, double v)
{
    if (isnan(v) || isinf(v))
        fputs("null", out);
    else
        fprintf(out, "%.10g", v);
}

void targets_write_json(FILE *out, const target_result *t, size_t n, int indent)
{
    fputs("{", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s\n%*s", i ? "," : "", indent + 2, "");
        json_write_string(out, t[i].name);
        fputs(": {\"metric\": ", out);
        json_write_string(out, t[i].metric);
        fputs(", \"target\": ", out);
        write_number(out, t[i].target);
        fputs(", \"achieved\": ", out);
        write_number(out, t[i].achieved);
        fputs(", \"tolerance\": ", out);
        write_number(out, t[i].tolerance);
        if (t[i].bound != TARGET_TWO_SIDED)
            fprintf(out, ", \"bound\": \"%s\"",
                    t[i].bound == TARGET_AT_LEAST ? "at_least" : "at_most");
        fputs(", \"se\": ", out);
        write_number(out, t[i].se);
        fprintf(out,
                ", \"met\": %s, \"replications\": %u, \"source\": ", t[i].met ? "true" : "false",
                t[i].replications);
        json_write_string(out, t[i].source);
        fputs("}", out);
    }
    if (n)
        fprintf(out, "\n%*s}", indent, "");
    else
        fputs("}", out);
}
