/* summary.c — pooled run results. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *values, size_t n)
{
    if (n == 0) return NAN;
    qsort(values, n, sizeof *values, compare_doubles);
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/* Median of every event of every replication. */
static int pooled_median(const replication_result *results, unsigned n, int metric, double *value)
{
    size_t total = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t k;
        recorder_run_events(results[i].rec, metric, &k);
        total += k;
    }
    double *all = malloc((total ? total : 1) * sizeof *all);
    if (!all) return -1;
    size_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        size_t k;
        const double *values = recorder_run_events(results[i].rec, metric, &k);
        if (k) memcpy(all + at, values, k * sizeof *all);
        at += k;
    }
    *value = median_of(all, total);
    free(all);
    return 0;
}

/* Ratio of sums over replications: every event weighs the same (for
 * quarterly cohort rates, every person of every cohort). */
static double pooled_mean(const replication_result *results, unsigned n, int metric)
{
    double num = 0, den = 0;
    for (unsigned i = 0; i < n; i++) {
        double a, b;
        if (recorder_run_sums(results[i].rec, metric, &a, &b) == 0) {
            num += a;
            den += b;
        }
    }
    return den > 0 ? num / den : NAN;
}

int summary_pooled(const replication_result *results, unsigned n, const char *name, double *value,
                   double *se)
{
    if (n == 0) return -1;
    int metric = recorder_find(results[0].rec, name);
    if (metric < 0) return -1;
    metric_kind kind = recorder_metric(results[0].rec, metric)->kind;
    if (kind == METRIC_EVENT_MEDIAN) {
        if (pooled_median(results, n, metric, value) != 0) return -1;
    } else if (kind == METRIC_EVENT_MEAN) {
        *value = pooled_mean(results, n, metric);
    }
    double sum = 0, sum_sq = 0;
    unsigned defined = 0;
    for (unsigned i = 0; i < n; i++) {
        double v = recorder_run_value(results[i].rec, metric);
        if (isnan(v)) continue;
        sum += v;
        sum_sq += v * v;
        defined++;
    }
    if (kind != METRIC_EVENT_MEDIAN && kind != METRIC_EVENT_MEAN) {
        *value = defined ? sum / defined : NAN;
    }
    if (defined >= 2) {
        double mean = sum / defined;
        double var = (sum_sq - defined * mean * mean) / (defined - 1);
        *se = sqrt(var > 0 ? var : 0) / sqrt((double)defined);
    } else {
        *se = NAN;
    }
    return isnan(*value) ? -1 : 0;
}

/* "1234567" as "1,234,567" (buf of at least 40 bytes). */
static void thousands(double value, char *buf)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(value));
    size_t n = strlen(digits), o = 0;
    if (value <= -0.5) buf[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* One line per intervention: its spend from the ledger, paused days and
 * refusals, each the mean per replication over the written years. The
 * budget declares refusals_<name> and paused_days_<name> together for each
 * intervention it registers, which is how they are found here. */
static void print_interventions(FILE *out, const replication_result *results, unsigned n)
{
    const recorder *rec = results[0].rec;
    size_t n_metrics = recorder_n_metrics(rec);
    int header = 0;
    for (size_t m = 0; m + 1 < n_metrics; m++) {
        const char *refusals = recorder_metric(rec, (int)m)->name;
        const char *paused = recorder_metric(rec, (int)m + 1)->name;
        if (strncmp(refusals, "refusals_", 9) != 0 || strncmp(paused, "paused_days_", 12) != 0 ||
            strcmp(refusals + 9, paused + 12) != 0) {
            continue;
        }
        const char *name = refusals + 9;
        double spend = 0, refused = 0, paused_days = 0;
        for (unsigned i = 0; i < n; i++) {
            if (results[i].ledger) {
                spend -=
                    (double)ledger_total(results[i].ledger, -1, LEDGER_INTERVENTION, name) / 100.0;
            }
            refused += recorder_run_value(results[i].rec, (int)m);
            paused_days += recorder_run_value(results[i].rec, (int)m + 1);
        }
        if (!header) {
            fprintf(out, "interventions (mean per replication over the run):\n");
            header = 1;
        }
        char money[40];
        thousands(spend / n, money);
        fprintf(out, "  %-24s spent GBP %s; paused %.4g days; refused %.4g\n", name, money,
                paused_days / n, refused / n);
    }
}

void print_run_summary(FILE *out, const run_config *cfg, const replication_result *results,
                       unsigned n, double wall_seconds, const char *out_dir)
{
    double years = (double)(cfg->last_date - cfg->start_date + 1) / 365.25;
    fprintf(out, "%s: %u replication%s x %.0f years", scenario_name(cfg->scn), n, n == 1 ? "" : "s",
            years);
    for (size_t m = 0; m < cfg->n_models; m++) {
        const model_def *model = cfg->models[m];
        for (size_t k = 0; k < model->n_summary_metrics; k++) {
            const char *name = model->summary_metrics[k];
            double value, se;
            if (summary_pooled(results, n, name, &value, &se) != 0) {
                fprintf(out, "; %s NA", name);
                continue;
            }
            int metric = recorder_find(results[0].rec, name);
            metric_kind kind = recorder_metric(results[0].rec, metric)->kind;
            if (kind == METRIC_COUNT || kind == METRIC_MONEY) {
                fprintf(out, "; %s %.4g/yr", name, value / years);
            } else {
                fprintf(out, "; %s %.4g", name, value);
            }
        }
        if (model->summarise) {
            const recorder **recs = malloc((n ? n : 1) * sizeof *recs);
            if (!recs) continue;
            for (unsigned i = 0; i < n; i++) recs[i] = results[i].rec;
            model->summarise(out, recs, n, years);
            free(recs);
        }
    }
    /* Intervention spend by who paid, when anything was spent. */
    static const char *const spends[] = { "spend_housing", "spend_police",  "spend_probation",
                                          "spend_prisons", "spend_council", "spend_health",
                                          "spend_pool" };
    for (size_t k = 0; k < sizeof spends / sizeof spends[0]; k++) {
        double value, se;
        if (summary_pooled(results, n, spends[k], &value, &se) == 0 && value > 0) {
            fprintf(out, "; %s GBP %.0f/yr", spends[k], value / years);
        }
    }
    fprintf(out, "; %.2f s; wrote %s\n", wall_seconds, out_dir);
    if (n > 0) print_interventions(out, results, n);
    size_t warnings = 0;
    for (unsigned i = 0; i < n; i++) warnings += results[i].n_warnings;
    if (warnings > 0) {
        fprintf(out, "%zu warning%s (listed in manifest.json)\n", warnings,
                warnings == 1 ? "" : "s");
    }
}
