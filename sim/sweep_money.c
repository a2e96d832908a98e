/* sweep_money.c — a run's cost-benefit money out of its recorder
 * (sweep_money.h). */
#include "sweep_money.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int sweep_money_alloc(sweep_run_money *m, size_t n_years, size_t n_metrics)
{
    memset(m, 0, sizeof *m);
    if (n_metrics && n_years > SIZE_MAX / 4 / sizeof(double) / n_metrics) return -1;
    size_t days = 2 * n_years * sizeof(int64_t), values = n_years * n_metrics * sizeof(double);
    size_t bytes = days + values + n_metrics;
    if (!(m->block = calloc(bytes ? bytes : 1, 1))) return -1;
    unsigned char *p = m->block;
    m->n_years = n_years;
    m->n_metrics = n_metrics;
    m->first_day = (int64_t *)(void *)p;
    m->last_day = m->first_day + n_years;
    m->value = (double *)(void *)(p + days);
    m->declared = p + days + values;
    m->block_bytes = bytes;
    return 0;
}

int sweep_money_take(const recorder *rec, const cost_metrics *list, sweep_run_money *out)
{
    size_t n_years = recorder_n_years(rec), all = recorder_n_areas(rec);
    if (sweep_money_alloc(out, n_years, list->n) != 0) return -1;
    for (size_t y = 0; y < n_years; y++) {
        out->first_day[y] = recorder_year_first_day(rec, y);
        out->last_day[y] = recorder_year_last_day(rec, y);
    }
    for (size_t k = 0; k < list->n; k++) {
        int metric = recorder_find(rec, list->names[k]);
        out->declared[k] = metric >= 0;
        if (metric < 0) continue;
        /* Money is kept in whole pence: pounds for the store, as years.csv
         * writes them. A division (not × 0.01) is correctly rounded, so the
         * value is the double that years.csv's text reads back as. */
        double per_unit = metric_is_money(recorder_metric(rec, metric)) ? 100.0 : 1.0;
        for (size_t y = 0; y < n_years; y++)
            out->value[y * list->n + k] = recorder_year_value(rec, y, all, metric, NULL) / per_unit;
    }
    return 0;
}

void sweep_money_free(sweep_run_money *m)
{
    free(m->block);
    memset(m, 0, sizeof *m);
}
