/* report_series.c — see report_series.h. */
#include "report_series.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "dates.h"

enum { SERIES_FIELDS = 7 };
static const char series_header[] = "scenario,replication,tick,date,area,metric,value";

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Splits one CSV line in place into fields (quotes as csv_write_field
 * writes them: "..." with "" for a quote). Returns the number of fields, or
 * -1 for an unterminated quote. */
static int csv_split(char *line, char **fields, int max_fields)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max_fields) return max_fields + 1;
        char *start = p, *w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            if (*p != ',' && *p != '\0') return -1;
        } else {
            while (*p && *p != ',') *w++ = *p++;
        }
        fields[n++] = start;
        char end = *p;
        *w = '\0';
        if (end == '\0') return n;
        p++;
    }
}

/* Index of the point on `day`, inserted (all values NaN) when absent; -1
 * when out of memory. Rows arrive in date order, so the last point is
 * checked first. */
static long point_index(rseries_metric *m, size_t n_reps, int64_t day)
{
    size_t lo = 0, hi = m->n_points;
    if (hi > 0 && m->day[hi - 1] < day) {
        lo = hi;
    } else {
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->day[mid] < day) lo = mid + 1;
            else hi = mid;
        }
        if (lo < m->n_points && m->day[lo] == day) return (long)lo;
    }
    if (m->n_points == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        int64_t *days = realloc(m->day, cap * sizeof *days);
        if (!days) return -1;
        m->day = days;
        double *values = realloc(m->values, cap * n_reps * sizeof *values);
        if (!values) return -1;
        m->values = values;
        m->cap = cap;
    }
    memmove(m->day + lo + 1, m->day + lo, (m->n_points - lo) * sizeof *m->day);
    memmove(m->values + (lo + 1) * n_reps, m->values + lo * n_reps,
            (m->n_points - lo) * n_reps * sizeof *m->values);
    m->day[lo] = day;
    for (size_t r = 0; r < n_reps; r++)
        m->values[lo * n_reps + r] = NAN;
    m->n_points++;
    return (long)lo;
}

/* One data row; 0, or -1 with the reason in err (without the location). */
static int take_row(rseries *s, char **f, char *err, size_t errlen)
{
    if (strcmp(f[4], "ALL") != 0) return 0;
    size_t k = 0;
    while (k < s->n_metrics && strcmp(s->metrics[k].name, f[5]) != 0) k++;
    if (k == s->n_metrics) return 0;
    char *end;
    errno = 0;
    unsigned long long rep = strtoull(f[1], &end, 10);
    if (*f[1] < '0' || *f[1] > '9' || *end || errno || rep < 1 || rep > s->n_reps) {
        set_err(err, errlen, "replication '%s' is not between 1 and %zu (manifest.json)", f[1],
                s->n_reps);
        return -1;
    }
    int64_t day;
    if (date_parse(f[3], &day) != 0) {
        set_err(err, errlen, "date '%s' is not YYYY-MM-DD", f[3]);
        return -1;
    }
    double value = NAN;
    if (strcmp(f[6], "NA") != 0) {
        errno = 0;
        value = strtod(f[6], &end);
        if (end == f[6] || *end || errno || !isfinite(value)) {
            set_err(err, errlen, "value '%s' is not a number or NA", f[6]);
            return -1;
        }
    }
    rseries_metric *m = &s->metrics[k];
    long i = point_index(m, s->n_reps, day);
    if (i < 0) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    m->values[(size_t)i * s->n_reps + (rep - 1)] = value;
    return 0;
}

int rseries_load(const char *path, const char *const *metrics, size_t n_metrics, size_t n_reps,
                 rseries *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->n_reps = n_reps;
    out->metrics = calloc(n_metrics ? n_metrics : 1, sizeof *out->metrics);
    if (!out->metrics) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    out->n_metrics = n_metrics;
    for (size_t k = 0; k < n_metrics; k++) {
        if (!(out->metrics[k].name = strdup(metrics[k]))) {
            set_err(err, errlen, "out of memory");
            rseries_free(out);
            return -1;
        }
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
        rseries_free(out);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long line_no = 0;
    int status = 0;
    char why[256] = "";
    while (status == 0 && (len = getline(&line, &cap, f)) >= 0) {
        line_no++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (line_no == 1) {
            if (strcmp(line, series_header) != 0) {
                snprintf(why, sizeof why, "not a placesim series.csv (header is not %s)",
                         series_header);
                status = -1;
            }
            continue;
        }
        char *fields[SERIES_FIELDS];
        int n = csv_split(line, fields, SERIES_FIELDS);
        if (n != SERIES_FIELDS) {
            snprintf(why, sizeof why, "expected %d fields", SERIES_FIELDS);
            status = -1;
        } else {
            status = take_row(out, fields, why, sizeof why);
        }
    }
    if (status == 0 && ferror(f)) {
        snprintf(why, sizeof why, "read error: %s", strerror(errno));
        status = -1;
    }
    if (status == 0 && line_no == 0) {
        snprintf(why, sizeof why, "empty file");
        status = -1;
    }
    free(line);
    fclose(f);
    if (status != 0) {
        if (strcmp(why, "out of memory") == 0) set_err(err, errlen, "out of memory");
        else set_err(err, errlen, "%s:%lu: %s", path, line_no, why);
        rseries_free(out);
        return -1;
    }
    return 0;
}

void rseries_free(rseries *s)
{
    for (size_t k = 0; s->metrics && k < s->n_metrics; k++) {
        free(s->metrics[k].name);
        free(s->metrics[k].day);
        free(s->metrics[k].values);
    }
    free(s->metrics);
    memset(s, 0, sizeof *s);
}

int rseries_quantiles(const rseries_metric *m, size_t n_reps, const double *probs, size_t n_probs,
                      double *out)
{
    double *sorted = malloc((n_reps ? n_reps : 1) * sizeof *sorted);
    if (!sorted) return -1;
    for (size_t i = 0; i < m->n_points; i++) {
        size_t n = 0;
        for (size_t r = 0; r < n_reps; r++) {
            double v = m->values[i * n_reps + r];
            if (isfinite(v)) sorted[n++] = v;
        }
        gsl_sort(sorted, 1, n);
        for (size_t k = 0; k < n_probs; k++)
            out[i * n_probs + k] = n ? gsl_stats_quantile_from_sorted_data(sorted, 1, n, probs[k])
                                     : NAN;
    }
    free(sorted);
    return 0;
}

size_t rseries_difference(const rseries_metric *base, size_t base_reps, const rseries_metric *arm,
                          size_t arm_reps, int64_t *day, double *mean, double *lower,
                          double *upper)
{
    size_t n_reps = base_reps < arm_reps ? base_reps : arm_reps;
    size_t i = 0, j = 0, n_out = 0;
    while (i < base->n_points && j < arm->n_points) {
        if (base->day[i] < arm->day[j]) { i++; continue; }
        if (arm->day[j] < base->day[i]) { j++; continue; }
        /* Welford's running mean and sum of squares, for stability. */
        double mu = 0.0, m2 = 0.0;
        size_t n = 0;
        for (size_t r = 0; r < n_reps; r++) {
            double b = base->values[i * base_reps + r], a = arm->values[j * arm_reps + r];
            if (!isfinite(a) || !isfinite(b)) continue;
            double d = a - b, delta = d - mu;
            n++;
            mu += delta / (double)n;
            m2 += delta * (d - mu);
        }
        day[n_out] = base->day[i];
        mean[n_out] = n ? mu : NAN;
        lower[n_out] = upper[n_out] = NAN;
        if (n >= 2) {
            double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(m2 / (double)(n - 1)) /
                          sqrt((double)n);
            lower[n_out] = mu - half;
            upper[n_out] = mu + half;
        }
        n_out++;
        i++;
        j++;
    }
    return n_out;
}
