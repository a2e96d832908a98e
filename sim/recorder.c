/* recorder.c — metrics of one replication, aggregated into output periods.
 *
 * The period ends are known from the start (calendar aligned, clipped to
 * first_day … last_day), so the results are one block of
 * periods × (areas + 1) × metrics doubles, laid out in the row order of
 * series.csv (period, area with ALL last, metric), NaN standing for NA.
 *
 * Work per call: add, level, ratio and event are O(1) (amortised for the
 * event vectors); recorder_end_day is O(areas) per level metric and O(1) for
 * the others; a period close is O(areas × metrics) plus sorting that period's
 * events for medians.
 *
 * Rules the header leaves open, settled here:
 * - Metrics are declared before the first recorder_begin_day: the result block
 *   is sized by the metric count, and a metric declared mid-run would have no
 *   values for the periods already closed. A later declare returns -1.
 * - A call naming an unknown metric, an area out of range, or a metric of the
 *   wrong kind (recorder_add on a level, recorder_level on a ratio metric) is
 *   a programming error; it is ignored rather than allowed to write out of
 *   bounds, since these functions have no status to return.
 * - An event vector that cannot grow (out of memory) marks the recorder
 *   failed; recorder_end_day then returns -1, so the run fails loudly rather
 *   than writing a median over a silently shortened list.
 * - The run-wide median of an event_median metric is computed when the last
 *   period closes; before that recorder_run_value returns NaN for it. */
#include "recorder.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct dvec {
    double *v;
    size_t n, cap;
} dvec;

static int dvec_reserve(dvec *d, size_t want)
{
    if (want <= d->cap)
        return 0;
    size_t cap = d->cap ? d->cap : 16;
    while (cap < want) {
        if (cap > SIZE_MAX / 2 / sizeof *d->v)
            return -1;
        cap *= 2;
    }
    double *v = realloc(d->v, cap * sizeof *v);
    if (!v)
        return -1;
    d->v = v;
    d->cap = cap;
    return 0;
}

static int dvec_push(dvec *d, double x)
{
    if (d->n == d->cap && dvec_reserve(d, d->n + 1) != 0)
        return -1;
    d->v[d->n++] = x;
    return 0;
}

typedef struct metric_state {
    metric_spec spec;   /* its strings are owned copies */
    /* Four arrays of n_areas + 1 in one allocation (acc); index n_areas is
     * the ALL slot, used directly by all_only metrics and pooled events. */
    double *acc;
    double *level;      /* current level, or the ratio numerator */
    double *den;        /* ratio denominator */
    double *sum;        /* period accumulator: sum of adds, of daily levels, of events */
    double *cnt;        /* events in the period (event_mean) */
    dvec *area_events;  /* event_median, per area: this period's values */
    /* Event kinds: every written event, pooled, in the order recorded. The
     * current period's events are its suffix from period_start, which gives
     * the pooled median of a period without a second copy. */
    dvec run_events;
    size_t period_start;
    double run_sum;     /* count/money: total; levels: sum of daily ALL; events: sum */
    double run_n;       /* levels: days; events: events */
    double run_median;
    /* quarterly metrics: one row per quarter, kept sorted by day; run_sum and
     * run_n hold the sums of numerators and denominators. */
    struct quarter_row { int64_t day; double num, den; } *quarters;
    size_t n_quarters, cap_quarters;
} metric_state;

struct recorder {
    char **area_names;
    size_t n_areas;
    int64_t first_day, last_day;
    period_kind period;
    int64_t *period_end;    /* last day of each period, clipped to last_day */
    size_t n_periods;       /* periods in first_day … last_day */
    size_t n_closed;
    metric_state *metrics;
    size_t n_metrics;
    double *results;        /* n_periods × (n_areas + 1) × n_metrics */
    int64_t day;
    int started;            /* a day has begun: no more declarations */
    int writing;            /* the current day is a written day */
    size_t days_in_period;
    dvec scratch;           /* the pooled events of a period, for sorting */
    int failed;             /* out of memory while recording an event */
};

static char *copy_string(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

static int is_level(metric_kind k)
{
    return k == METRIC_LEVEL_END || k == METRIC_LEVEL_MEAN;
}

static int is_event(metric_kind k)
{
    return k == METRIC_EVENT_MEAN || k == METRIC_EVENT_MEDIAN;
}

static int is_ratio(const metric_state *ms)
{
    return is_level(ms->spec.kind) && ms->spec.ratio_scale > 0;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    /* NaN sorts last so that the order is total and qsort well defined. */
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

/* Median of v[0..n), reordering v; NaN when n is 0. */
static double median_inplace(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median of v[0..n) without reordering v, through r->scratch. */
static int median_copy(recorder *r, const double *v, size_t n, double *out)
{
    if (dvec_reserve(&r->scratch, n) != 0)
        return -1;
    if (n)
        memcpy(r->scratch.v, v, n * sizeof *v);
    *out = median_inplace(r->scratch.v, n);
    return 0;
}

recorder *recorder_create(const char *const *area_names, size_t n_areas,
                          int64_t first_day, int64_t last_day, period_kind period)
{
    if ((n_areas && !area_names) || n_areas >= SIZE_MAX / sizeof(char *))
        return NULL;
    recorder *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->first_day = first_day;
    r->last_day = last_day;
    r->period = period;

    r->area_names = calloc(n_areas ? n_areas : 1, sizeof *r->area_names);
    if (!r->area_names)
        goto fail;
    for (size_t a = 0; a < n_areas; a++) {
        r->area_names[a] = copy_string(area_names[a] ? area_names[a] : "");
        if (!r->area_names[a]) {
            r->n_areas = a;
            goto fail;
        }
    }
    r->n_areas = n_areas;

    /* Count the periods, then record their ends. A period_last_day before
     * the day itself would be a bug in dates.c; clamp so this cannot loop. */
    size_t n = 0;
    for (int64_t d = first_day; d <= last_day; n++) {
        int64_t e = period_last_day(period, d);
        if (e < d)
            e = d;
        if (e >= last_day)
            d = last_day + 1; /* rather than e + 1, which could overflow */
        else
            d = e + 1;
    }
    r->period_end = malloc((n ? n : 1) * sizeof *r->period_end);
    if (!r->period_end)
        goto fail;
    size_t i = 0;
    for (int64_t d = first_day; i < n; i++) {
        int64_t e = period_last_day(period, d);
        if (e < d)
            e = d;
        if (e > last_day)
            e = last_day;
        r->period_end[i] = e;
        d = e + 1;
    }
    r->n_periods = n;
    return r;

fail:
    recorder_destroy(r);
    return NULL;
}

static void metric_state_free(metric_state *ms, size_t n_areas)
{
    free((char *)ms->spec.name);
    free((char *)ms->spec.unit);
    free((char *)ms->spec.doc);
    free(ms->acc);
    if (ms->area_events) {
        for (size_t a = 0; a < n_areas; a++)
            free(ms->area_events[a].v);
        free(ms->area_events);
    }
    free(ms->run_events.v);
    free(ms->quarters);
}

void recorder_destroy(recorder *r)
{
    if (!r)
        return;
    for (size_t a = 0; a < r->n_areas; a++)
        free(r->area_names[a]);
    free(r->area_names);
    free(r->period_end);
    for (size_t m = 0; m < r->n_metrics; m++)
        metric_state_free(&r->metrics[m], r->n_areas);
    free(r->metrics);
    free(r->results);
    free(r->scratch.v);
    free(r);
}

static int metric_state_init(metric_state *ms, const metric_spec *spec, size_t n_areas)
{
    memset(ms, 0, sizeof *ms);
    ms->spec = *spec;
    ms->spec.name = copy_string(spec->name);
    ms->spec.unit = copy_string(spec->unit);
    ms->spec.doc = copy_string(spec->doc);
    ms->run_median = NAN;
    size_t k = n_areas + 1;
    ms->acc = calloc(4 * k, sizeof *ms->acc);
    if (spec->kind == METRIC_EVENT_MEDIAN && !spec->all_only && n_areas)
        ms->area_events = calloc(n_areas, sizeof *ms->area_events);
    if (!ms->spec.name || (spec->unit && !ms->spec.unit) || (spec->doc && !ms->spec.doc) ||
        !ms->acc || (spec->kind == METRIC_EVENT_MEDIAN && !spec->all_only && n_areas &&
                     !ms->area_events)) {
        metric_state_free(ms, 0);
        return -1;
    }
    ms->level = ms->acc;
    ms->den = ms->acc + k;
    ms->sum = ms->acc + 2 * k;
    ms->cnt = ms->acc + 3 * k;
    return 0;
}

int recorder_declare(recorder *r, const metric_spec *specs, size_t n)
{
    if (!r || (n && !specs) || r->started)
        return -1;
    if (n > (size_t)INT_MAX - r->n_metrics)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!specs[i].name || (unsigned)specs[i].kind > METRIC_EVENT_MEDIAN ||
            recorder_find(r, specs[i].name) >= 0)
            return -1;
        /* A cohort metric is a whole-place share or count by quarter. */
        if (specs[i].quarterly && (!specs[i].all_only || (specs[i].kind != METRIC_COUNT &&
                                                          specs[i].kind != METRIC_EVENT_MEAN)))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(specs[i].name, specs[j].name) == 0)
                return -1;
    }
    int first = (int)r->n_metrics;
    if (n == 0)
        return first;

    size_t total = r->n_metrics + n;
    size_t k = r->n_areas + 1;
    if (total > SIZE_MAX / sizeof(metric_state) ||
        (r->n_periods && k > SIZE_MAX / sizeof(double) / r->n_periods / total))
        return -1;
    metric_state *ms = realloc(r->metrics, total * sizeof *ms);
    if (!ms)
        return -1;
    r->metrics = ms;
    size_t cells = r->n_periods * k * total;
    if (cells) {
        /* No period is closed yet (declarations precede the first day), so
         * the block holds nothing to keep and may change its layout. */
        double *res = realloc(r->results, cells * sizeof *res);
        if (!res)
            return -1;
        r->results = res;
    }
    for (size_t i = 0; i < n; i++) {
        if (metric_state_init(&r->metrics[r->n_metrics + i], &specs[i], r->n_areas) != 0) {
            for (size_t j = 0; j < i; j++)
                metric_state_free(&r->metrics[r->n_metrics + j], r->n_areas);
            return -1;
        }
    }
    r->n_metrics = total;
    return first;
}

void recorder_begin_day(recorder *r, int64_t day)
{
    if (!r)
        return;
    r->started = 1;
    r->day = day;
    r->writing = day >= r->first_day && day <= r->last_day && r->n_closed < r->n_periods;
}

static metric_state *metric_at(recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics)
        return NULL;
    return &r->metrics[metric];
}

/* The accumulator slot of a call, or SIZE_MAX when the area is out of range. */
static size_t slot_of(const recorder *r, const metric_state *ms, size_t area)
{
    if (ms->spec.all_only)
        return r->n_areas;
    return area < r->n_areas ? area : SIZE_MAX;
}

void recorder_add(recorder *r, int metric, size_t area, double amount)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !r->writing || ms->spec.quarterly ||
        (ms->spec.kind != METRIC_COUNT && ms->spec.kind != METRIC_MONEY))
        return;
    size_t s = slot_of(r, ms, area);
    if (s != SIZE_MAX)
        ms->sum[s] += amount;
}

void recorder_level(recorder *r, int metric, size_t area, double value)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !is_level(ms->spec.kind) || is_ratio(ms))
        return;
    size_t s = slot_of(r, ms, area);
    if (s != SIZE_MAX)
        ms->level[s] = value;
}

void recorder_ratio(recorder *r, int metric, size_t area, double numerator, double denominator)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !is_ratio(ms))
        return;
    size_t s = slot_of(r, ms, area);
    if (s != SIZE_MAX) {
        ms->level[s] = numerator;
        ms->den[s] = denominator;
    }
}

void recorder_event(recorder *r, int metric, size_t area, double value)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !r->writing || ms->spec.quarterly || !is_event(ms->spec.kind))
        return;
    size_t s = slot_of(r, ms, area);
    if (s == SIZE_MAX)
        return;
    size_t all = r->n_areas;
    if (ms->spec.kind == METRIC_EVENT_MEAN) {
        ms->sum[s] += value;
        ms->cnt[s] += 1;
        if (s != all) {
            ms->sum[all] += value;
            ms->cnt[all] += 1;
        }
    } else if (s != all && dvec_push(&ms->area_events[s], value) != 0) {
        r->failed = 1;
        return;
    }
    if (dvec_push(&ms->run_events, value) != 0) {
        r->failed = 1;
        return;
    }
    ms->run_sum += value;
    ms->run_n += 1;
}

/* End-of-day value of a level metric for one area (or the ALL slot). */
static double level_value(const metric_state *ms, size_t slot)
{
    if (!is_ratio(ms))
        return ms->level[slot];
    return ms->den[slot] != 0 ? ms->spec.ratio_scale * ms->level[slot] / ms->den[slot] : 0.0;
}

/* End-of-day ALL value of a level metric: the sum of the areas, or a ratio
 * recomputed from the summed numerators and denominators (a mean of area
 * ratios would weight a small area like a large one). */
static double level_all(const recorder *r, const metric_state *ms)
{
    size_t all = r->n_areas;
    if (ms->spec.all_only)
        return level_value(ms, all);
    double num = 0, den = 0;
    for (size_t a = 0; a < all; a++) {
        num += ms->level[a];
        den += ms->den[a];
    }
    if (!is_ratio(ms))
        return num;
    return den != 0 ? ms->spec.ratio_scale * num / den : 0.0;
}

static int close_period(recorder *r)
{
    size_t A = r->n_areas, M = r->n_metrics, k = A + 1;
    double *row = r->results + r->n_closed * k * M;
    double days = (double)r->days_in_period;
    for (size_t m = 0; m < M; m++) {
        metric_state *ms = &r->metrics[m];
        int only = ms->spec.all_only;
        double all = NAN;
        if (ms->spec.quarterly) {
            for (size_t a = 0; a <= A; a++)
                row[a * M + m] = NAN;
            continue;
        }
        switch (ms->spec.kind) {
        case METRIC_COUNT:
        case METRIC_MONEY:
            if (only) {
                all = ms->sum[A];
            } else {
                all = 0;
                for (size_t a = 0; a < A; a++) {
                    row[a * M + m] = ms->sum[a];
                    all += ms->sum[a];
                }
            }
            ms->run_sum += all;
            memset(ms->sum, 0, k * sizeof *ms->sum);
            break;
        case METRIC_LEVEL_END:
            for (size_t a = 0; a < A && !only; a++)
                row[a * M + m] = level_value(ms, a);
            all = level_all(r, ms);
            break;
        case METRIC_LEVEL_MEAN:
            for (size_t a = 0; a < A && !only; a++)
                row[a * M + m] = ms->sum[a] / days;
            all = ms->sum[A] / days;
            memset(ms->sum, 0, k * sizeof *ms->sum);
            break;
        case METRIC_EVENT_MEAN:
            for (size_t a = 0; a < A && !only; a++)
                row[a * M + m] = ms->cnt[a] > 0 ? ms->sum[a] / ms->cnt[a] : NAN;
            all = ms->cnt[A] > 0 ? ms->sum[A] / ms->cnt[A] : NAN;
            memset(ms->sum, 0, k * sizeof *ms->sum);
            memset(ms->cnt, 0, k * sizeof *ms->cnt);
            break;
        case METRIC_EVENT_MEDIAN:
            for (size_t a = 0; a < A && !only; a++) {
                dvec *ev = &ms->area_events[a];
                row[a * M + m] = median_inplace(ev->v, ev->n);
                ev->n = 0;
            }
            size_t n_new = ms->run_events.n - ms->period_start;
            if (median_copy(r, n_new ? ms->run_events.v + ms->period_start : NULL, n_new,
                            &all) != 0)
                return -1;
            ms->period_start = ms->run_events.n;
            break;
        }
        if (only)
            for (size_t a = 0; a < A; a++)
                row[a * M + m] = NAN;
        row[A * M + m] = all;
    }
    r->n_closed++;
    r->days_in_period = 0;

    if (r->n_closed == r->n_periods) {
        for (size_t m = 0; m < M; m++) {
            metric_state *ms = &r->metrics[m];
            if (ms->spec.kind == METRIC_EVENT_MEDIAN &&
                median_copy(r, ms->run_events.v, ms->run_events.n, &ms->run_median) != 0)
                return -1;
        }
    }
    return 0;
}

int recorder_quarter(recorder *r, int metric, int64_t quarter_last_day,
                     double numerator, double denominator)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !ms->spec.quarterly ||
        period_last_day(PERIOD_QUARTER, quarter_last_day) != quarter_last_day)
        return -1;
    if (quarter_last_day < r->first_day || quarter_last_day > r->last_day)
        return 0;
    size_t at = ms->n_quarters;
    while (at > 0 && ms->quarters[at - 1].day > quarter_last_day)
        at--;
    if (at > 0 && ms->quarters[at - 1].day == quarter_last_day)
        return -1; /* each quarter once */
    if (ms->n_quarters == ms->cap_quarters) {
        size_t cap = ms->cap_quarters ? 2 * ms->cap_quarters : 64;
        struct quarter_row *grown = realloc(ms->quarters, cap * sizeof *grown);
        if (!grown)
            return -1;
        ms->quarters = grown;
        ms->cap_quarters = cap;
    }
    memmove(ms->quarters + at + 1, ms->quarters + at,
            (ms->n_quarters - at) * sizeof *ms->quarters);
    ms->quarters[at] = (struct quarter_row){ quarter_last_day, numerator, denominator };
    ms->n_quarters++;
    ms->run_sum += numerator;
    ms->run_n += ms->spec.kind == METRIC_COUNT ? 1 : denominator;
    return 0;
}

size_t recorder_n_quarters(const recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics)
        return 0;
    return r->metrics[metric].n_quarters;
}

void recorder_quarter_row(const recorder *r, int metric, size_t i, int64_t *quarter_last_day,
                          double *value)
{
    *quarter_last_day = INT64_MIN;
    *value = NAN;
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics ||
        i >= r->metrics[metric].n_quarters)
        return;
    const metric_state *ms = &r->metrics[metric];
    const struct quarter_row *q = &ms->quarters[i];
    *quarter_last_day = q->day;
    if (ms->spec.kind == METRIC_COUNT)
        *value = q->num;
    else
        *value = q->den != 0 ? q->num / q->den : NAN;
}

int recorder_run_sums(const recorder *r, int metric, double *numerator, double *denominator)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics)
        return -1;
    const metric_state *ms = &r->metrics[metric];
    switch (ms->spec.kind) {
    case METRIC_EVENT_MEDIAN:
        return -1;
    case METRIC_COUNT:
    case METRIC_MONEY:
        *numerator = ms->run_sum;
        *denominator = 1;
        return 0;
    default:
        *numerator = ms->run_sum;
        *denominator = ms->run_n;
        return 0;
    }
}

int recorder_end_day(recorder *r)
{
    if (!r || r->failed)
        return -1;
    if (!r->writing)
        return 0;
    r->writing = 0;
    r->days_in_period++;
    size_t A = r->n_areas;
    for (size_t m = 0; m < r->n_metrics; m++) {
        metric_state *ms = &r->metrics[m];
        if (!is_level(ms->spec.kind))
            continue;
        double all = level_all(r, ms);
        ms->run_sum += all;
        ms->run_n += 1;
        if (ms->spec.kind == METRIC_LEVEL_MEAN) {
            for (size_t a = 0; a < A && !ms->spec.all_only; a++)
                ms->sum[a] += level_value(ms, a);
            ms->sum[A] += all;
        }
    }
    if (r->day >= r->period_end[r->n_closed] && close_period(r) != 0) {
        r->failed = 1;
        return -1;
    }
    return 0;
}

/* ---- results ---- */

size_t recorder_n_metrics(const recorder *r)
{
    return r ? r->n_metrics : 0;
}

const metric_spec *recorder_metric(const recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics)
        return NULL;
    return &r->metrics[metric].spec;
}

int recorder_find(const recorder *r, const char *name)
{
    if (!r || !name)
        return -1;
    for (size_t m = 0; m < r->n_metrics; m++)
        if (strcmp(r->metrics[m].spec.name, name) == 0)
            return (int)m;
    return -1;
}

size_t recorder_n_areas(const recorder *r)
{
    return r ? r->n_areas : 0;
}

/* area == n_areas names the whole place, "ALL", as series.csv does. */
const char *recorder_area_name(const recorder *r, size_t area)
{
    if (!r || area > r->n_areas)
        return NULL;
    return area == r->n_areas ? "ALL" : r->area_names[area];
}

size_t recorder_n_periods(const recorder *r)
{
    return r ? r->n_closed : 0;
}

/* INT64_MIN for a period that does not exist. */
int64_t recorder_period_last_day(const recorder *r, size_t period)
{
    if (!r || period >= r->n_periods)
        return INT64_MIN;
    return r->period_end[period];
}

double recorder_value(const recorder *r, size_t period, size_t area, int metric)
{
    if (!r || period >= r->n_closed || area > r->n_areas || metric < 0 ||
        (size_t)metric >= r->n_metrics)
        return NAN;
    return r->results[(period * (r->n_areas + 1) + area) * r->n_metrics + (size_t)metric];
}

double recorder_run_value(const recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics)
        return NAN;
    const metric_state *ms = &r->metrics[metric];
    if (ms->spec.quarterly && ms->spec.kind == METRIC_EVENT_MEAN)
        return ms->run_n > 0 ? ms->run_sum / ms->run_n : NAN;
    switch (ms->spec.kind) {
    case METRIC_COUNT:
    case METRIC_MONEY:
        return ms->run_sum;
    case METRIC_LEVEL_END:
    case METRIC_LEVEL_MEAN:
    case METRIC_EVENT_MEAN:
        return ms->run_n > 0 ? ms->run_sum / ms->run_n : NAN;
    case METRIC_EVENT_MEDIAN:
        return ms->run_median;
    }
    return NAN;
}

const double *recorder_run_events(const recorder *r, int metric, size_t *n)
{
    if (n)
        *n = 0;
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics ||
        !is_event(r->metrics[metric].spec.kind))
        return NULL;
    if (n)
        *n = r->metrics[metric].run_events.n;
    return r->metrics[metric].run_events.v;
}
