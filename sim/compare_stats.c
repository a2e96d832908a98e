/* compare_stats.c — intervals over replications (paired t, Welch) and a
 * metric's value over the comparison window. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>

#include "compare_internal.h"

/* The 97.5% point of Student's t with df degrees of freedom. */
static double t975(double df) { return gsl_cdf_tdist_Pinv(0.975, df); }

double cmp_mean(const double *x, size_t n)
{
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            sum += x[i];
            k++;
        }
    return k ? sum / (double)k : NAN;
}

/* Mean and sample variance (n − 1) of the defined values; *k counts them. */
static void moments(const double *x, size_t n, double *mean, double *var, size_t *k)
{
    *mean = cmp_mean(x, n);
    double ss = 0;
    *k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            ss += (x[i] - *mean) * (x[i] - *mean);
            (*k)++;
        }
    *var = *k > 1 ? ss / (double)(*k - 1) : NAN;
}

cmp_interval cmp_mean_interval(const double *x, size_t n)
{
    double mean, var;
    size_t k;
    moments(x, n, &mean, &var, &k);
    cmp_interval iv = { mean, NAN, NAN, k };
    if (k > 1) {
        double half = t975((double)(k - 1)) * sqrt(var / (double)k);
        iv.lower = mean - half;
        iv.upper = mean + half;
    }
    return iv;
}

cmp_interval cmp_paired(const double *arm, const double *base, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (!d) return (cmp_interval){ NAN, NAN, NAN, 0 };
    for (size_t i = 0; i < n; i++) d[i] = arm[i] - base[i]; /* NaN when either is */
    cmp_interval iv = cmp_mean_interval(d, n);
    free(d);
    return iv;
}

cmp_interval cmp_welch(const double *arm, size_t n_arm, const double *base, size_t n_base)
{
    double ma, va, mb, vb;
    size_t ka, kb;
    moments(arm, n_arm, &ma, &va, &ka);
    moments(base, n_base, &mb, &vb, &kb);
    cmp_interval iv = { ma - mb, NAN, NAN, ka < kb ? ka : kb };
    if (ka < 2 || kb < 2) return iv;
    double sa = va / (double)ka, sb = vb / (double)kb, se2 = sa + sb;
    if (se2 == 0) {
        /* No spread on either side: the difference is exact. */
        iv.lower = iv.upper = iv.mean;
        return iv;
    }
    double df = se2 * se2 / (sa * sa / (double)(ka - 1) + sb * sb / (double)(kb - 1));
    double half = t975(df) * sqrt(se2);
    iv.lower = iv.mean - half;
    iv.upper = iv.mean + half;
    return iv;
}

json_t *cmp_number(double x) { return isfinite(x) ? json_real(x) : json_null(); }

json_t *cmp_interval_json(cmp_interval iv)
{
    if (!isfinite(iv.mean)) return json_null();
    json_t *o = json_object();
    if (!o || json_object_set_new(o, "mean", cmp_number(iv.mean)) != 0 ||
        json_object_set_new(o, "lower", cmp_number(iv.lower)) != 0 ||
        json_object_set_new(o, "upper", cmp_number(iv.upper)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

double cmp_money(const cmp_run *run, long slot, size_t year, size_t rep)
{
    if (slot < 0 || !run->present[slot]) return 0.0; /* absent from the run (CONTRACTS.md § 4) */
    size_t cell = (year * run->n_reps + rep) * run->n_slots + (size_t)slot;
    return run->value[cell];
}

/* One year's value of the group: sums, or Σ value × weight / Σ weight for
 * weighted rows (event means, ratio levels). *w gets the group's weight
 * (NaN when the rows carry none). */
static double group_year(const cmp_run *run, const long *slots, size_t n_slots, size_t year,
                         size_t rep, double *w)
{
    double sum = 0, vw = 0, ww = 0;
    int weighted = 0, undefined = 0;
    for (size_t a = 0; a < n_slots; a++) {
        size_t cell = (year * run->n_reps + rep) * run->n_slots + (size_t)slots[a];
        double v = run->value[cell], wt = run->weight[cell];
        if (!isnan(wt)) {
            weighted = 1;
            if (!isnan(v) && wt > 0) {
                vw += v * wt;
                ww += wt;
            }
        }
        if (isnan(v)) undefined = 1;
        sum += v;
    }
    if (n_slots == 1) {
        /* One area: its value as written (a weight of 0 goes with NA). */
        *w = run->weight[(year * run->n_reps + rep) * run->n_slots + (size_t)slots[0]];
        return run->value[(year * run->n_reps + rep) * run->n_slots + (size_t)slots[0]];
    }
    if (weighted) {
        *w = ww;
        return ww > 0 ? vw / ww : NAN;
    }
    *w = NAN;
    return undefined ? NAN : sum;
}

void cmp_window_values(const cmp_run *run, const long *slots, size_t n_slots, metric_kind kind,
                       size_t y0, size_t y1, double *out, const char **note)
{
    *note = NULL;
    if (kind == METRIC_EVENT_MEDIAN && n_slots > 1) {
        *note = "a median of several areas cannot be formed from their medians";
        for (size_t r = 0; r < run->n_reps; r++) out[r] = NAN;
        return;
    }
    for (size_t r = 0; r < run->n_reps; r++) {
        double sum = 0, vw = 0, ww = 0;
        size_t defined = 0, years = 0;
        for (size_t y = y0; y <= y1; y++, years++) {
            double w, v = group_year(run, slots, n_slots, y, r, &w);
            if (isnan(v)) continue;
            defined++;
            sum += v;
            if (!isnan(w) && w > 0) {
                vw += v * w;
                ww += w;
            }
        }
        if (kind == METRIC_COUNT || kind == METRIC_MONEY)
            out[r] = defined == years ? sum : NAN; /* a sum with a missing year is no sum */
        else if (kind == METRIC_EVENT_MEAN)
            out[r] = ww > 0 ? vw / ww : NAN; /* the window's events, pooled */
        else
            out[r] = defined ? sum / (double)defined : NAN;
    }
}
