/* report_series.c — see report_series.h. */
#include "report_series.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "dates.h"
#include "output.h"

enum { SERIES_FIELDS = 7 };
static const char series_header[] = "scenario,replication,tick,date,area,metric,value";

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Index of the point on `day`, inserted (all values NaN, counts 0) when
 * absent; -1 when out of memory. Rows arrive in date order, so the last
 * point is checked first. */
static long point_index(rseries_metric *m, size_t n_reps, int64_t day)
{
    size_t lo = 0, hi = m->n_points;
    if (hi > 0 && m->day[hi - 1] < day) {
        lo = hi;
    } else {
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->day[mid] < day)
                lo = mid + 1;
            else
                hi = mid;
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
        if (m->summed) {
            unsigned *counts = realloc(m->counts, cap * n_reps * sizeof *counts);
            if (!counts) return -1;
            m->counts = counts;
        }
        m->cap = cap;
    }
    memmove(m->day + lo + 1, m->day + lo, (m->n_points - lo) * sizeof *m->day);
    memmove(m->values + (lo + 1) * n_reps, m->values + lo * n_reps,
            (m->n_points - lo) * n_reps * sizeof *m->values);
    if (m->summed)
        memmove(m->counts + (lo + 1) * n_reps, m->counts + lo * n_reps,
                (m->n_points - lo) * n_reps * sizeof *m->counts);
    m->day[lo] = day;
    for (size_t r = 0; r < n_reps; r++) {
        m->values[lo * n_reps + r] = m->summed ? 0.0 : NAN;
        if (m->summed) m->counts[lo * n_reps + r] = 0;
    }
    m->n_points++;
    return (long)lo;
}

/* A summed metric's values once every row is in: NaN where an area's row
 * is missing or NA (counted as more than the number of areas). */
static void finish_sums(rseries_metric *m, size_t n_reps, size_t n_areas)
{
    if (!m->summed) return;
    for (size_t i = 0; i < m->n_points * n_reps; i++)
        if (m->counts[i] != n_areas) m->values[i] = NAN;
    free(m->counts);
    m->counts = NULL;
}

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return 1;
    return 0;
}

/* One data row; 0, or -1 with the reason in err (without the location). */
static int take_row(rseries *s, const rseries_select *sel, char **f, char *err, size_t errlen)
{
    size_t k = 0;
    while (k < s->n_metrics && strcmp(s->metrics[k].name, f[5]) != 0) k++;
    if (k == s->n_metrics) return 0;
    rseries_metric *m = &s->metrics[k];
    if (m->summed ? !in_list(f[4], sel->areas, sel->n_areas) : strcmp(f[4], "ALL") != 0) return 0;
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
    long i = point_index(m, s->n_reps, day);
    if (i < 0) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    size_t cell = (size_t)i * s->n_reps + (rep - 1);
    if (!m->summed) {
        m->values[cell] = value;
    } else if (isnan(value)) {
        m->counts[cell] += (unsigned)sel->n_areas + 1;
    } else {
        m->values[cell] += value;
        m->counts[cell]++;
    }
    return 0;
}

int rseries_load(const char *path, const rseries_select *sel, size_t n_reps, rseries *out,
                 char *err, size_t errlen)
{
    const char *const *metrics = sel->metrics;
    size_t n_metrics = sel->n_metrics;
    memset(out, 0, sizeof *out);
    out->n_reps = n_reps;
    out->metrics = calloc(n_metrics ? n_metrics : 1, sizeof *out->metrics);
    if (!out->metrics) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    out->n_metrics = n_metrics;
    for (size_t k = 0; k < n_metrics; k++) {
        out->metrics[k].summed = sel->n_areas > 0 && sel->sum_areas && sel->sum_areas[k];
        if (!(out->metrics[k].name = strdup(metrics[k]))) {
            set_err(err, errlen, "out of memory");
            rseries_free(out);
            return -1;
        }
    }
    /* Never block on a FIFO nor read a device: a regular file only. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    FILE *f = NULL;
    if (fd < 0) {
        set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
    } else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        set_err(err, errlen, "cannot read %s: not a regular file", path);
    } else if (!(f = fdopen(fd, "r"))) {
        set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
    }
    if (!f) {
        if (fd >= 0) close(fd);
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
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (line_no == 1) {
            if (strcmp(line, series_header) != 0) {
                snprintf(why, sizeof why, "not a placesim series.csv (header is not %s)",
                         series_header);
                status = -1;
            }
            continue;
        }
        char *fields[SERIES_FIELDS];
        int n = csv_split_line(line, fields, SERIES_FIELDS);
        if (n != SERIES_FIELDS) {
            snprintf(why, sizeof why, "expected %d fields", SERIES_FIELDS);
            status = -1;
        } else {
            status = take_row(out, sel, fields, why, sizeof why);
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
    for (size_t k = 0; status == 0 && k < n_metrics; k++)
        finish_sums(&out->metrics[k], n_reps, sel->n_areas);
    if (status != 0) {
        if (strcmp(why, "out of memory") == 0)
            set_err(err, errlen, "out of memory");
        else
            set_err(err, errlen, "%s:%lu: %s", path, line_no, why);
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
        free(s->metrics[k].counts);
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
            out[i * n_probs + k] =
                n ? gsl_stats_quantile_from_sorted_data(sorted, 1, n, probs[k]) : NAN;
    }
    free(sorted);
    return 0;
}

/* Running mean and sum of squared deviations (Welford), for stability. */
typedef struct running {
    size_t n;
    double mean, m2;
} running;

static void running_add(running *r, double x)
{
    double delta = x - r->mean;
    r->n++;
    r->mean += delta / (double)r->n;
    r->m2 += delta * (x - r->mean);
}

static void paired_point(const double *b, const double *a, size_t n_reps, double *mean,
                         double *lower, double *upper)
{
    running d = { 0 };
    for (size_t r = 0; r < n_reps; r++)
        if (isfinite(a[r]) && isfinite(b[r])) running_add(&d, a[r] - b[r]);
    *mean = d.n ? d.mean : NAN;
    *lower = *upper = NAN;
    if (d.n >= 2) {
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(d.n - 1)) *
                      sqrt(d.m2 / (double)(d.n - 1)) / sqrt((double)d.n);
        *lower = d.mean - half;
        *upper = d.mean + half;
    }
}

static void welch_point(const double *b, size_t base_reps, const double *a, size_t arm_reps,
                        double *mean, double *lower, double *upper)
{
    running rb = { 0 }, ra = { 0 };
    for (size_t r = 0; r < base_reps; r++)
        if (isfinite(b[r])) running_add(&rb, b[r]);
    for (size_t r = 0; r < arm_reps; r++)
        if (isfinite(a[r])) running_add(&ra, a[r]);
    *mean = ra.n && rb.n ? ra.mean - rb.mean : NAN;
    *lower = *upper = NAN;
    if (ra.n < 2 || rb.n < 2) return;
    double va = ra.m2 / (double)(ra.n - 1) / (double)ra.n;
    double vb = rb.m2 / (double)(rb.n - 1) / (double)rb.n;
    double se2 = va + vb;
    if (se2 == 0.0) {
        *lower = *upper = *mean;
        return;
    }
    double df = se2 * se2 / (va * va / (double)(ra.n - 1) + vb * vb / (double)(rb.n - 1));
    double half = gsl_cdf_tdist_Pinv(0.975, df) * sqrt(se2);
    *lower = *mean - half;
    *upper = *mean + half;
}

size_t rseries_difference(const rseries_metric *base, size_t base_reps, const rseries_metric *arm,
                          size_t arm_reps, int paired, int64_t *day, double *mean, double *lower,
                          double *upper)
{
    size_t i = 0, j = 0, n_out = 0;
    while (i < base->n_points && j < arm->n_points) {
        if (base->day[i] < arm->day[j]) {
            i++;
            continue;
        }
        if (arm->day[j] < base->day[i]) {
            j++;
            continue;
        }
        const double *b = base->values + i * base_reps, *a = arm->values + j * arm_reps;
        day[n_out] = base->day[i];
        if (paired)
            paired_point(b, a, base_reps < arm_reps ? base_reps : arm_reps, &mean[n_out],
                         &lower[n_out], &upper[n_out]);
        else
            welch_point(b, base_reps, a, arm_reps, &mean[n_out], &lower[n_out], &upper[n_out]);
        n_out++;
        i++;
        j++;
    }
    return n_out;
}
