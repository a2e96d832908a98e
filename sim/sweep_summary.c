/* sweep_summary.c — the summaries a sweep keeps per run (CONTRACTS.md § 1),
 * from the replication's recorder.
 *
 * Windows are whole financial years, taken from the recorder's financial
 * years (the values years.csv writes), never from the monthly periods, so
 * that a summary is the same whatever the output period. The median of a
 * window over ALL is exact: the recorder keeps every written event pooled in
 * the order recorded, which is date order, and each year's event count (its
 * years.csv weight) says where that year's events lie in that list. */
#include "sweep_run.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static const char *const summary_names[] = { "total", "mean_per_year", "value_at", "median" };

static const char *summary_name(sweep_summary_kind k)
{
    return (unsigned)k < sizeof summary_names / sizeof *summary_names ? summary_names[k] : "?";
}

__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t errlen,
                                                      const sweep_output *o, const char *fmt, ...)
{
    int n = snprintf(err, errlen, "output %s (%s of %s): ", o->name, summary_name(o->summary),
                     o->metric);
    if (n >= 0 && (size_t)n < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* "2026/27" -> 2026; -1 when it is not such a label. */
static int parse_year_label(const char *label)
{
    if (strlen(label) != 7 || label[4] != '/') return -1;
    int fy = 0;
    for (int i = 0; i < 4; i++) {
        if (label[i] < '0' || label[i] > '9') return -1;
        fy = fy * 10 + (label[i] - '0');
    }
    if (label[5] < '0' || label[5] > '9' || label[6] < '0' || label[6] > '9') return -1;
    if ((label[5] - '0') * 10 + (label[6] - '0') != (fy + 1) % 100) return -1;
    return fy;
}

static void fy_label(int fy, char label[8])
{
    years_format_label(date_financial_year_start(fy), label);
}

/* The window of o as financial years fy0 … fy1 (named by their first
 * calendar year), all whole and written in first_day … last_day. */
static int window_years(const sweep_output *o, int64_t first_day, int64_t last_day, int *fy0,
                        int *fy1, char *err, size_t errlen)
{
    int first = date_financial_year(first_day), last = date_financial_year(last_day);
    if (date_financial_year_start(first) != first_day) first++;
    if (date_financial_year_start(last + 1) - 1 != last_day) last--;
    if (first > last) {
        return fail(err, errlen, o, "the run writes no whole financial year");
    }
    char a[8], b[8];
    fy_label(first, a);
    fy_label(last, b);
    int from = first, to = last;
    if (o->from_year[0] && (from = parse_year_label(o->from_year)) < 0)
        return fail(err, errlen, o, "from = \"%s\" is not a financial year such as \"%s\"",
                    o->from_year, a);
    if (o->to_year[0] && (to = parse_year_label(o->to_year)) < 0)
        return fail(err, errlen, o, "to = \"%s\" is not a financial year such as \"%s\"",
                    o->to_year, b);
    if (from > to)
        return fail(err, errlen, o, "from = \"%s\" is after to = \"%s\"", o->from_year, o->to_year);
    if (from < first || to > last) {
        return fail(err, errlen, o,
                    "the window %s%s%s is not all written whole (the run writes "
                    "whole financial years %s to %s)",
                    o->from_year[0] ? o->from_year : a, " to ", o->to_year[0] ? o->to_year : b, a,
                    b);
    }
    *fy0 = from;
    *fy1 = to;
    return 0;
}

/* The area slot of o (n_areas for ALL), or -1 after a message. */
static long area_slot(const sweep_output *o, const recorder *r, const metric_spec *spec, char *err,
                      size_t errlen)
{
    size_t n = recorder_n_areas(r);
    const char *area = o->area && o->area[0] ? o->area : "ALL";
    if (strcmp(area, "ALL") == 0) return (long)n;
    if (spec->all_only) {
        fail(err, errlen, o, "%s has only an ALL row, not one for area \"%s\"", spec->name, area);
        return -1;
    }
    for (size_t a = 0; a < n; a++)
        if (strcmp(recorder_area_name(r, a), area) == 0) return (long)a;
    fail(err, errlen, o, "no area is named \"%s\"", area);
    return -1;
}

/* Metric id, after checking the summary suits its kind; -1 after a message. */
static int metric_for(const sweep_output *o, const recorder *r, long *slot, int *fy0, int *fy1,
                      int64_t first_day, int64_t last_day, char *err, size_t errlen)
{
    int m = recorder_find(r, o->metric);
    if (m < 0) return fail(err, errlen, o, "no metric is named \"%s\"", o->metric);
    const metric_spec *spec = recorder_metric(r, m);
    int event = spec->kind == METRIC_EVENT_MEAN || spec->kind == METRIC_EVENT_MEDIAN;
    switch (o->summary) {
    case SWEEP_TOTAL:
        if (spec->kind != METRIC_COUNT && spec->kind != METRIC_MONEY)
            return fail(err, errlen, o,
                        "a total needs a count or money metric; use mean_per_year, "
                        "value_at or median");
        break;
    case SWEEP_MEAN_PER_YEAR: break;
    case SWEEP_VALUE_AT:
        if (spec->quarterly)
            return fail(err, errlen, o, "%s is kept by quarter, not by month", spec->name);
        break;
    case SWEEP_MEDIAN:
        if (!event || spec->quarterly)
            return fail(err, errlen, o,
                        "a median needs a metric of events (event_mean or "
                        "event_median)");
        break;
    default: return fail(err, errlen, o, "unknown summary");
    }
    if ((*slot = area_slot(o, r, spec, err, errlen)) < 0) return -1;
    if (o->summary == SWEEP_VALUE_AT) {
        if (o->date < first_day || o->date > last_day ||
            period_last_day(PERIOD_MONTH, o->date) != o->date) {
            char d[11], a[11], b[11];
            date_format(o->date, d);
            date_format(first_day, a);
            date_format(last_day, b);
            return fail(err, errlen, o,
                        "date %s is not the last day of a month written "
                        "(%s to %s)",
                        d, a, b);
        }
        return m;
    }
    if (window_years(o, first_day, last_day, fy0, fy1, err, errlen) != 0) return -1;
    /* The recorder keeps one area's events only a year at a time. */
    if (o->summary == SWEEP_MEDIAN && (size_t)*slot != recorder_n_areas(r) &&
        (spec->kind != METRIC_EVENT_MEDIAN || *fy0 != *fy1))
        return fail(err, errlen, o,
                    "the median of one area is kept for a single financial "
                    "year of an event_median metric: set from = to, or area = \"ALL\"");
    return m;
}

int sweep_summary_check(const sweep_output *o, const recorder *declared, int64_t first_day,
                        int64_t last_day, char *err, size_t errlen)
{
    long slot;
    int fy0, fy1;
    return metric_for(o, declared, &slot, &fy0, &fy1, first_day, last_day, err, errlen) < 0 ? -1
                                                                                            : 0;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Exact median of the ALL events of years y0 … y1 (recorder indices). */
static int pooled_median(const sweep_output *o, const recorder *r, int m, size_t y0, size_t y1,
                         double *value, char *err, size_t errlen)
{
    size_t n_events, at = 0, from = 0, to = 0, all = recorder_n_areas(r);
    const double *events = recorder_run_events(r, m, &n_events);
    for (size_t y = 0; y < recorder_n_years(r); y++) {
        double count;
        recorder_year_value(r, y, all, m, &count);
        if (isnan(count)) count = 0;
        if (y == y0) from = at;
        at += (size_t)count;
        if (y == y1) to = at;
    }
    if (at != n_events || to < from)
        return fail(err, errlen, o,
                    "the year counts of %s (%zu events) do not add up to its %zu "
                    "events",
                    o->metric, at, n_events);
    if (to == from) {
        *value = NAN;
        return 0;
    }
    double *v = malloc((to - from) * sizeof *v);
    if (!v) return fail(err, errlen, o, "out of memory");
    memcpy(v, events + from, (to - from) * sizeof *v);
    size_t n = to - from;
    qsort(v, n, sizeof *v, cmp_double);
    *value = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    free(v);
    return 0;
}

int sweep_summary_value(const sweep_output *o, const recorder *rec, double *value, char *err,
                        size_t errlen)
{
    *value = NAN;
    size_t n_years = recorder_n_years(rec);
    int64_t first_day = n_years ? recorder_year_first_day(rec, 0) : 0;
    int64_t last_day = n_years ? recorder_year_last_day(rec, n_years - 1) : -1;
    long slot;
    int fy0 = 0, fy1 = -1;
    int m = metric_for(o, rec, &slot, &fy0, &fy1, first_day, last_day, err, errlen);
    if (m < 0) return -1;
    const metric_spec *spec = recorder_metric(rec, m);
    size_t area = (size_t)slot;

    if (o->summary == SWEEP_VALUE_AT) {
        for (size_t p = 0; p < recorder_n_periods(rec); p++) {
            if (recorder_period_last_day(rec, p) == o->date) {
                *value = recorder_value(rec, p, area, m);
                return 0;
            }
        }
        return fail(err, errlen, o, "the run has no monthly period ending on that date");
    }
    size_t y0 = SIZE_MAX, y1 = 0;
    for (size_t y = 0; y < n_years; y++) {
        int fy = date_financial_year(recorder_year_last_day(rec, y));
        if (fy < fy0 || fy > fy1) continue;
        if (y0 == SIZE_MAX) y0 = y;
        y1 = y;
    }
    if (y0 == SIZE_MAX || y1 - y0 != (size_t)(fy1 - fy0))
        return fail(err, errlen, o, "the run's financial years do not cover the window");

    double scale = metric_is_money(spec) ? 0.01 : 1.0; /* years are kept in pence */
    switch (o->summary) {
    case SWEEP_TOTAL: {
        double sum = 0;
        for (size_t y = y0; y <= y1; y++) sum += recorder_year_value(rec, y, area, m, NULL);
        *value = sum * scale;
        return 0;
    }
    case SWEEP_MEAN_PER_YEAR: {
        /* A year with no value (an event mean without events) is left out. */
        double sum = 0;
        size_t n = 0;
        for (size_t y = y0; y <= y1; y++) {
            double v = recorder_year_value(rec, y, area, m, NULL);
            if (isnan(v)) continue;
            sum += v;
            n++;
        }
        *value = n ? sum / (double)n * scale : NAN;
        return 0;
    }
    case SWEEP_MEDIAN:
        if (area != recorder_n_areas(rec)) {
            *value = recorder_year_value(rec, y0, area, m, NULL); /* one year: checked */
            return 0;
        }
        return pooled_median(o, rec, m, y0, y1, value, err, errlen);
    default: return fail(err, errlen, o, "unknown summary");
    }
}
