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

#include "median.h"
#include "alloc_tuning.h"

typedef struct dvec {
    double *v;
    size_t n, cap;
} dvec;

static int dvec_reserve(dvec *d, size_t want)
{
    if (want <= d->cap) return 0;
    size_t cap = d->cap ? d->cap : 16;
    while (cap < want) {
        if (cap > SIZE_MAX / 2 / sizeof *d->v) return -1;
        cap *= 2;
    }
    double *v = realloc(d->v, cap * sizeof *v);
    if (!v) return -1;
    d->v = v;
    d->cap = cap;
    return 0;
}

static int dvec_push(dvec *d, double x)
{
    if (d->n == d->cap && dvec_reserve(d, d->n + 1) != 0) return -1;
    d->v[d->n++] = x;
    return 0;
}

/* One metric's accumulators in one aggregation scheme (output periods or
 * financial years): each array has n_areas + 1 slots, ALL last. */
typedef struct metric_acc {
    double *sum;         /* adds, daily levels, or event values */
    double *cnt;         /* events (event kinds); Σ daily denominators (ratios) */
    dvec *area_events;   /* event_median, per area: the period's values */
    size_t pooled_start; /* where the period's pooled events begin in run_events */
} metric_acc;

enum { SCHEME_PERIOD, SCHEME_YEAR, SCHEMES };

typedef struct metric_state {
    metric_spec spec; /* its strings are owned copies */
    int money;        /* metric_is_money: values in integer pence */
    /* Six arrays of n_areas + 1 in one allocation (acc); index n_areas is
     * the ALL slot, used directly by all_only metrics and pooled events. */
    double *acc;
    double *level; /* current level, or the ratio numerator */
    double *den;   /* ratio denominator */
    metric_acc agg[SCHEMES];
    /* Event kinds: every written event, pooled, in the order recorded. A
     * period's events are the suffix from its pooled_start, which gives
     * the pooled median of a period without a second copy. */
    dvec run_events;
    double run_sum; /* count/money: total; levels: sum of daily ALL; events: sum */
    double run_n;   /* levels: days; events: events */
    double run_median;
    /* quarterly metrics: one row per quarter, kept sorted by day; run_sum and
     * run_n hold the sums of numerators and denominators. */
    struct quarter_row {
        int64_t day;
        double num, den;
    } * quarters;
    size_t n_quarters, cap_quarters;
} metric_state;

/* A fixed sequence of periods over first_day … last_day and their values. */
typedef struct scheme {
    int64_t *end; /* last day of each period, clipped to last_day */
    size_t n, closed;
    size_t days;     /* written days in the open period */
    double *values;  /* n × (n_areas + 1) × n_metrics, NaN for NA */
    double *weights; /* the same shape, or NULL (no weights kept) */
} scheme;

struct recorder {
    char **area_names;
    size_t n_areas;
    int64_t first_day, last_day;
    scheme sch[SCHEMES];
    metric_state *metrics;
    size_t n_metrics;
    int64_t day;
    int started;  /* a day has begun: no more declarations */
    int writing;  /* the current day is a written day */
    int released; /* recorder_release: no period values */
    dvec scratch; /* the pooled events of a period, for sorting */
    int failed;   /* out of memory while recording an event */
};

static char *copy_string(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c) memcpy(c, s, n);
    return c;
}

static int is_level(metric_kind k) { return k == METRIC_LEVEL_END || k == METRIC_LEVEL_MEAN; }

static int is_event(metric_kind k) { return k == METRIC_EVENT_MEAN || k == METRIC_EVENT_MEDIAN; }

static int is_ratio(const metric_state *ms)
{
    return is_level(ms->spec.kind) && ms->spec.ratio_scale > 0;
}

/* Median of v[0..n), reordering v; NaN when n is 0. */
static double median_inplace(double *v, size_t n) { return median_select(v, n); }

/* Median of v[0..n) without reordering v, through r->scratch. */
static int median_copy(recorder *r, const double *v, size_t n, double *out)
{
    if (dvec_reserve(&r->scratch, n) != 0) return -1;
    if (n) memcpy(r->scratch.v, v, n * sizeof *v);
    *out = median_inplace(r->scratch.v, n);
    return 0;
}

int metric_is_money(const metric_spec *spec)
{
    if (!spec) return 0;
    if (spec->kind == METRIC_MONEY) return 1;
    return is_level(spec->kind) && !(spec->ratio_scale > 0) && spec->unit &&
           strcmp(spec->unit, "GBP") == 0;
}

double money_round_pence(double pounds)
{
    return isfinite(pounds) ? round(pounds * 100.0) : pounds;
}

/* Counts the periods of `period` in first … last and records their ends. */
static int scheme_init(scheme *s, int64_t first_day, int64_t last_day, period_kind period)
{
    /* A period_last_day before the day itself would be a bug in dates.c;
     * clamp so this cannot loop. */
    size_t n = 0;
    for (int64_t d = first_day; d <= last_day; n++) {
        int64_t e = period_last_day(period, d);
        if (e < d) e = d;
        if (e >= last_day)
            d = last_day + 1; /* rather than e + 1, which could overflow */
        else
            d = e + 1;
    }
    s->end = malloc((n ? n : 1) * sizeof *s->end);
    if (!s->end) return -1;
    size_t i = 0;
    for (int64_t d = first_day; i < n; i++) {
        int64_t e = period_last_day(period, d);
        if (e < d) e = d;
        if (e > last_day) e = last_day;
        s->end[i] = e;
        d = e + 1;
    }
    s->n = n;
    return 0;
}

recorder *recorder_create(const char *const *area_names, size_t n_areas, int64_t first_day,
                          int64_t last_day, period_kind period)
{
    if ((n_areas && !area_names) || n_areas >= SIZE_MAX / sizeof(char *)) return NULL;
    recorder *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->first_day = first_day;
    r->last_day = last_day;

    r->area_names = calloc(n_areas ? n_areas : 1, sizeof *r->area_names);
    if (!r->area_names) goto fail;
    for (size_t a = 0; a < n_areas; a++) {
        r->area_names[a] = copy_string(area_names[a] ? area_names[a] : "");
        if (!r->area_names[a]) {
            r->n_areas = a;
            goto fail;
        }
    }
    r->n_areas = n_areas;
    if (scheme_init(&r->sch[SCHEME_PERIOD], first_day, last_day, period) != 0 ||
        scheme_init(&r->sch[SCHEME_YEAR], first_day, last_day, PERIOD_FY) != 0)
        goto fail;
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
    for (int k = 0; k < SCHEMES; k++) {
        if (ms->agg[k].area_events) {
            for (size_t a = 0; a < n_areas; a++) free(ms->agg[k].area_events[a].v);
            free(ms->agg[k].area_events);
        }
    }
    free(ms->run_events.v);
    free(ms->quarters);
}

static void scheme_free_values(scheme *s)
{
    free(s->values);
    free(s->weights);
    s->values = s->weights = NULL;
}

void recorder_destroy(recorder *r)
{
    if (!r) return;
    for (size_t a = 0; a < r->n_areas; a++) free(r->area_names[a]);
    free(r->area_names);
    for (int k = 0; k < SCHEMES; k++) {
        free(r->sch[k].end);
        scheme_free_values(&r->sch[k]);
    }
    for (size_t m = 0; m < r->n_metrics; m++) metric_state_free(&r->metrics[m], r->n_areas);
    free(r->metrics);
    free(r->scratch.v);
    free(r);
}

void recorder_release(recorder *r)
{
    if (!r) return;
    for (int k = 0; k < SCHEMES; k++) scheme_free_values(&r->sch[k]);
    r->released = 1;
}

static int metric_state_init(metric_state *ms, const metric_spec *spec, size_t n_areas)
{
    memset(ms, 0, sizeof *ms);
    ms->spec = *spec;
    ms->spec.name = copy_string(spec->name);
    ms->spec.unit = copy_string(spec->unit);
    ms->spec.doc = copy_string(spec->doc);
    ms->money = metric_is_money(spec);
    ms->run_median = NAN;
    size_t k = n_areas + 1;
    ms->acc = calloc(2 * (1 + SCHEMES) * k, sizeof *ms->acc);
    int by_area = spec->kind == METRIC_EVENT_MEDIAN && !spec->all_only && n_areas;
    int ok =
        ms->spec.name && (!spec->unit || ms->spec.unit) && (!spec->doc || ms->spec.doc) && ms->acc;
    for (int s = 0; s < SCHEMES && ok && by_area; s++) {
        ms->agg[s].area_events = calloc(n_areas, sizeof *ms->agg[s].area_events);
        ok = ms->agg[s].area_events != NULL;
    }
    if (!ok) {
        metric_state_free(ms, 0);
        return -1;
    }
    ms->level = ms->acc;
    ms->den = ms->acc + k;
    for (int s = 0; s < SCHEMES; s++) {
        ms->agg[s].sum = ms->acc + (2 + 2 * (size_t)s) * k;
        ms->agg[s].cnt = ms->acc + (3 + 2 * (size_t)s) * k;
    }
    return 0;
}

/* Grows a scheme's value block (and weights) for `total` metrics. */
static int scheme_resize(scheme *s, size_t k, size_t total, int weights)
{
    size_t cells = s->n * k * total;
    if (!cells) return 0;
    double *v = realloc(s->values, cells * sizeof *v);
    if (!v) return -1;
    s->values = v;
    alloc_advise_huge(v, cells * sizeof *v);
    if (weights) {
        double *w = realloc(s->weights, cells * sizeof *w);
        if (!w) return -1;
        s->weights = w;
        alloc_advise_huge(w, cells * sizeof *w);
    }
    return 0;
}

int recorder_declare(recorder *r, const metric_spec *specs, size_t n)
{
    if (!r || (n && !specs) || r->started) return -1;
    if (n > (size_t)INT_MAX - r->n_metrics) return -1;
    for (size_t i = 0; i < n; i++) {
        if (!specs[i].name || (unsigned)specs[i].kind > METRIC_EVENT_MEDIAN ||
            recorder_find(r, specs[i].name) >= 0)
            return -1;
        /* A cohort metric is a whole-place share or count by quarter. */
        if (specs[i].quarterly && (!specs[i].all_only || (specs[i].kind != METRIC_COUNT &&
                                                          specs[i].kind != METRIC_EVENT_MEAN)))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(specs[i].name, specs[j].name) == 0) return -1;
    }
    int first = (int)r->n_metrics;
    if (n == 0) return first;

    size_t total = r->n_metrics + n;
    size_t k = r->n_areas + 1;
    size_t most = r->sch[SCHEME_PERIOD].n > r->sch[SCHEME_YEAR].n ? r->sch[SCHEME_PERIOD].n
                                                                  : r->sch[SCHEME_YEAR].n;
    if (total > SIZE_MAX / sizeof(metric_state) ||
        (most && k > SIZE_MAX / sizeof(double) / most / total))
        return -1;
    metric_state *ms = realloc(r->metrics, total * sizeof *ms);
    if (!ms) return -1;
    r->metrics = ms;
    /* No period is closed yet (declarations precede the first day), so the
     * blocks hold nothing to keep and may change their layout. */
    if (scheme_resize(&r->sch[SCHEME_PERIOD], k, total, 0) != 0 ||
        scheme_resize(&r->sch[SCHEME_YEAR], k, total, 1) != 0)
        return -1;
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
    if (!r) return;
    r->started = 1;
    r->day = day;
    r->writing = day >= r->first_day && day <= r->last_day &&
                 r->sch[SCHEME_PERIOD].closed < r->sch[SCHEME_PERIOD].n;
}

static metric_state *metric_at(recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics) return NULL;
    return &r->metrics[metric];
}

/* The accumulator slot of a call, or SIZE_MAX when the area is out of range. */
static size_t slot_of(const recorder *r, const metric_state *ms, size_t area)
{
    if (ms->spec.all_only) return r->n_areas;
    return area < r->n_areas ? area : SIZE_MAX;
}

void recorder_add(recorder *r, int metric, size_t area, double amount)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !r->writing || ms->spec.quarterly ||
        (ms->spec.kind != METRIC_COUNT && ms->spec.kind != METRIC_MONEY))
        return;
    size_t s = slot_of(r, ms, area);
    if (s == SIZE_MAX) return;
    if (ms->money) amount = money_round_pence(amount);
    for (int k = 0; k < SCHEMES; k++) ms->agg[k].sum[s] += amount;
}

void recorder_level(recorder *r, int metric, size_t area, double value)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !is_level(ms->spec.kind) || is_ratio(ms)) return;
    size_t s = slot_of(r, ms, area);
    if (s != SIZE_MAX) ms->level[s] = ms->money ? money_round_pence(value) : value;
}

void recorder_ratio(recorder *r, int metric, size_t area, double numerator, double denominator)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !is_ratio(ms)) return;
    size_t s = slot_of(r, ms, area);
    if (s != SIZE_MAX) {
        ms->level[s] = numerator;
        ms->den[s] = denominator;
    }
}

void recorder_event(recorder *r, int metric, size_t area, double value)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !r->writing || ms->spec.quarterly || !is_event(ms->spec.kind)) return;
    size_t s = slot_of(r, ms, area);
    if (s == SIZE_MAX) return;
    size_t all = r->n_areas;
    for (int k = 0; k < SCHEMES; k++) {
        metric_acc *g = &ms->agg[k];
        if (ms->spec.kind == METRIC_EVENT_MEAN) {
            g->sum[s] += value;
            if (s != all) g->sum[all] += value;
        } else if (s != all && dvec_push(&g->area_events[s], value) != 0) {
            r->failed = 1;
            return;
        }
        /* Counted for both kinds: the weight of years.csv. */
        g->cnt[s] += 1;
        if (s != all) g->cnt[all] += 1;
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
    if (!is_ratio(ms)) return ms->level[slot];
    return ms->den[slot] != 0 ? ms->spec.ratio_scale * ms->level[slot] / ms->den[slot] : 0.0;
}

/* End-of-day ALL value of a level metric: the sum of the areas, or a ratio
 * recomputed from the summed numerators and denominators (a mean of area
 * ratios would weight a small area like a large one). *den_all gets the
 * day's ALL denominator. */
static double level_all(const recorder *r, const metric_state *ms, double *den_all)
{
    size_t all = r->n_areas;
    if (ms->spec.all_only) {
        *den_all = ms->den[all];
        return level_value(ms, all);
    }
    double num = 0, den = 0;
    for (size_t a = 0; a < all; a++) {
        num += ms->level[a];
        den += ms->den[a];
    }
    *den_all = den;
    if (!is_ratio(ms)) return num;
    return den != 0 ? ms->spec.ratio_scale * num / den : 0.0;
}

/* One metric's cells in the row of the period being closed: value of area
 * a at val[a * M], its weight (when the scheme keeps weights) at
 * wgt[a * M]; a = A is ALL. */
typedef struct period_cells {
    double *val, *wgt; /* wgt NULL: no weights */
    size_t A, M;
    int only;    /* all_only: the area cells stay NA */
    double days; /* days in the period */
} period_cells;

/* Count and money: the period's sums; ALL is the sum of the areas (or the
 * ALL slot of an all_only metric). Returns ALL. */
static double close_sum(const metric_acc *g, period_cells *c)
{
    if (c->only) return g->sum[c->A];
    double all = 0;
    for (size_t a = 0; a < c->A; a++) {
        c->val[a * c->M] = g->sum[a];
        all += g->sum[a];
    }
    return all;
}

/* Level at the period's end: the last day's levels. Returns ALL. */
static double close_level_end(const recorder *r, const metric_state *ms, period_cells *c)
{
    for (size_t a = 0; a < c->A && !c->only; a++) c->val[a * c->M] = level_value(ms, a);
    double den_unused;
    return level_all(r, ms, &den_unused);
}

/* Mean level over the period's days; a ratio's weight is its mean
 * denominator. Returns ALL. */
static double close_level_mean(const metric_state *ms, const metric_acc *g, period_cells *c)
{
    int weigh = c->wgt && is_ratio(ms);
    for (size_t a = 0; a < c->A && !c->only; a++) {
        c->val[a * c->M] = g->sum[a] / c->days;
        if (weigh) c->wgt[a * c->M] = g->cnt[a] / c->days;
    }
    if (weigh) c->wgt[c->A * c->M] = g->cnt[c->A] / c->days;
    return g->sum[c->A] / c->days;
}

/* Mean of the period's events (NA without any), weighted by their number.
 * Returns ALL. */
static double close_event_mean(const metric_acc *g, period_cells *c)
{
    for (size_t a = 0; a < c->A && !c->only; a++) {
        c->val[a * c->M] = g->cnt[a] > 0 ? g->sum[a] / g->cnt[a] : NAN;
        if (c->wgt) c->wgt[a * c->M] = g->cnt[a];
    }
    if (c->wgt) c->wgt[c->A * c->M] = g->cnt[c->A];
    return g->cnt[c->A] > 0 ? g->sum[c->A] / g->cnt[c->A] : NAN;
}

/* Median of the period's events per area (emptying each area's list), and
 * ALL's (into *all) from the run's events since the last close. 0, or -1
 * out of memory. */
static int close_event_median(recorder *r, metric_state *ms, metric_acc *g, period_cells *c,
                              double *all)
{
    for (size_t a = 0; a < c->A && !c->only; a++) {
        dvec *ev = &g->area_events[a];
        c->val[a * c->M] = median_inplace(ev->v, ev->n);
        if (c->wgt) c->wgt[a * c->M] = (double)ev->n;
        ev->n = 0;
    }
    size_t n_new = ms->run_events.n - g->pooled_start;
    if (median_copy(r, n_new ? ms->run_events.v + g->pooled_start : NULL, n_new, all) != 0)
        return -1;
    if (c->wgt) c->wgt[c->A * c->M] = (double)n_new;
    g->pooled_start = ms->run_events.n;
    return 0;
}

/* Metric m's cells of the period scheme k closes (NA first: quarterly
 * metrics and all_only areas stay so), then its accumulators reset. 0, or
 * -1 out of memory. */
static int close_metric(recorder *r, int k, size_t m, period_cells *c)
{
    metric_state *ms = &r->metrics[m];
    metric_acc *g = &ms->agg[k];
    size_t slots = c->A + 1;
    double all = NAN;
    for (size_t a = 0; a < slots; a++) {
        c->val[a * c->M] = NAN;
        if (c->wgt) c->wgt[a * c->M] = NAN;
    }
    if (ms->spec.quarterly) return 0;
    switch (ms->spec.kind) {
    case METRIC_COUNT:
    case METRIC_MONEY:
        all = close_sum(g, c);
        if (k == SCHEME_PERIOD) ms->run_sum += all;
        break;
    case METRIC_LEVEL_END: all = close_level_end(r, ms, c); break;
    case METRIC_LEVEL_MEAN: all = close_level_mean(ms, g, c); break;
    case METRIC_EVENT_MEAN: all = close_event_mean(g, c); break;
    case METRIC_EVENT_MEDIAN:
        if (close_event_median(r, ms, g, c, &all) != 0) return -1;
        break;
    }
    c->val[c->A * c->M] = all;
    memset(g->sum, 0, slots * sizeof *g->sum);
    memset(g->cnt, 0, slots * sizeof *g->cnt);
    return 0;
}

/* Once the last written period has closed: each event median's median
 * over the whole run. 0, or -1 out of memory. */
static int close_run_medians(recorder *r)
{
    for (size_t m = 0; m < r->n_metrics; m++) {
        metric_state *ms = &r->metrics[m];
        if (ms->spec.kind == METRIC_EVENT_MEDIAN &&
            median_copy(r, ms->run_events.v, ms->run_events.n, &ms->run_median) != 0)
            return -1;
    }
    return 0;
}

/* Closes the open period of scheme k: its values (and weights) for every
 * metric, then resets the accumulators. 0, or -1 out of memory. */
static int close_period(recorder *r, int k)
{
    scheme *sc = &r->sch[k];
    size_t A = r->n_areas, M = r->n_metrics;
    size_t base = sc->closed * (A + 1) * M;
    for (size_t m = 0; m < M; m++) {
        period_cells c = { sc->values + base + m,
                           sc->weights ? sc->weights + base + m : NULL,
                           A,
                           M,
                           r->metrics[m].spec.all_only,
                           (double)sc->days };
        if (close_metric(r, k, m, &c) != 0) return -1;
    }
    sc->closed++;
    sc->days = 0;
    if (k == SCHEME_PERIOD && sc->closed == sc->n) return close_run_medians(r);
    return 0;
}

int recorder_quarter(recorder *r, int metric, int64_t quarter_last_day, double numerator,
                     double denominator)
{
    metric_state *ms = metric_at(r, metric);
    if (!ms || !ms->spec.quarterly ||
        period_last_day(PERIOD_QUARTER, quarter_last_day) != quarter_last_day)
        return -1;
    if (quarter_last_day < r->first_day || quarter_last_day > r->last_day) return 0;
    size_t at = ms->n_quarters;
    while (at > 0 && ms->quarters[at - 1].day > quarter_last_day) at--;
    if (at > 0 && ms->quarters[at - 1].day == quarter_last_day) return -1; /* each quarter once */
    if (ms->n_quarters == ms->cap_quarters) {
        size_t cap = ms->cap_quarters ? 2 * ms->cap_quarters : 64;
        struct quarter_row *grown = realloc(ms->quarters, cap * sizeof *grown);
        if (!grown) return -1;
        ms->quarters = grown;
        ms->cap_quarters = cap;
    }
    memmove(ms->quarters + at + 1, ms->quarters + at, (ms->n_quarters - at) * sizeof *ms->quarters);
    ms->quarters[at] = (struct quarter_row){ quarter_last_day, numerator, denominator };
    ms->n_quarters++;
    ms->run_sum += numerator;
    ms->run_n += ms->spec.kind == METRIC_COUNT ? 1 : denominator;
    return 0;
}

size_t recorder_n_quarters(const recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics) return 0;
    return r->metrics[metric].n_quarters;
}

void recorder_quarter_row(const recorder *r, int metric, size_t i, int64_t *quarter_last_day,
                          double *value)
{
    *quarter_last_day = INT64_MIN;
    *value = NAN;
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics || i >= r->metrics[metric].n_quarters)
        return;
    const metric_state *ms = &r->metrics[metric];
    const struct quarter_row *q = &ms->quarters[i];
    *quarter_last_day = q->day;
    if (ms->spec.kind == METRIC_COUNT)
        *value = q->num;
    else
        *value = q->den != 0 ? q->num / q->den : NAN;
}

/* Pounds from the unit a metric is kept in. */
static double in_pounds(const metric_state *ms, double kept)
{
    return ms->money ? kept / 100.0 : kept;
}

int recorder_run_sums(const recorder *r, int metric, double *numerator, double *denominator)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics) return -1;
    const metric_state *ms = &r->metrics[metric];
    switch (ms->spec.kind) {
    case METRIC_EVENT_MEDIAN: return -1;
    case METRIC_COUNT:
    case METRIC_MONEY:
        *numerator = in_pounds(ms, ms->run_sum);
        *denominator = 1;
        return 0;
    default:
        *numerator = in_pounds(ms, ms->run_sum);
        *denominator = ms->run_n;
        return 0;
    }
}

int recorder_end_day(recorder *r)
{
    if (!r || r->failed) return -1;
    if (!r->writing) return 0;
    r->writing = 0;
    size_t A = r->n_areas;
    for (int k = 0; k < SCHEMES; k++) r->sch[k].days++;
    for (size_t m = 0; m < r->n_metrics; m++) {
        metric_state *ms = &r->metrics[m];
        if (!is_level(ms->spec.kind)) continue;
        double den_all;
        double all = level_all(r, ms, &den_all);
        ms->run_sum += all;
        ms->run_n += 1;
        if (ms->spec.kind != METRIC_LEVEL_MEAN) continue;
        for (int k = 0; k < SCHEMES; k++) {
            metric_acc *g = &ms->agg[k];
            for (size_t a = 0; a < A && !ms->spec.all_only; a++) {
                g->sum[a] += level_value(ms, a);
                g->cnt[a] += ms->den[a];
            }
            g->sum[A] += all;
            g->cnt[A] += den_all;
        }
    }
    for (int k = 0; k < SCHEMES; k++) {
        scheme *sc = &r->sch[k];
        if (sc->closed < sc->n && r->day >= sc->end[sc->closed] && close_period(r, k) != 0) {
            r->failed = 1;
            return -1;
        }
    }
    return 0;
}

/* ---- results ---- */

size_t recorder_n_metrics(const recorder *r) { return r ? r->n_metrics : 0; }

const metric_spec *recorder_metric(const recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics) return NULL;
    return &r->metrics[metric].spec;
}

int recorder_find(const recorder *r, const char *name)
{
    if (!r || !name) return -1;
    for (size_t m = 0; m < r->n_metrics; m++)
        if (strcmp(r->metrics[m].spec.name, name) == 0) return (int)m;
    return -1;
}

size_t recorder_n_areas(const recorder *r) { return r ? r->n_areas : 0; }

/* area == n_areas names the whole place, "ALL", as series.csv does. */
const char *recorder_area_name(const recorder *r, size_t area)
{
    if (!r || area > r->n_areas) return NULL;
    return area == r->n_areas ? "ALL" : r->area_names[area];
}

size_t recorder_n_periods(const recorder *r) { return r ? r->sch[SCHEME_PERIOD].closed : 0; }

/* INT64_MIN for a period that does not exist. */
int64_t recorder_period_last_day(const recorder *r, size_t period)
{
    if (!r || period >= r->sch[SCHEME_PERIOD].n) return INT64_MIN;
    return r->sch[SCHEME_PERIOD].end[period];
}

double recorder_value_kept(const recorder *r, size_t period, size_t area, int metric)
{
    if (!r || r->released || period >= r->sch[SCHEME_PERIOD].closed || area > r->n_areas ||
        metric < 0 || (size_t)metric >= r->n_metrics)
        return NAN;
    return r->sch[SCHEME_PERIOD]
        .values[(period * (r->n_areas + 1) + area) * r->n_metrics + (size_t)metric];
}

double recorder_value(const recorder *r, size_t period, size_t area, int metric)
{
    double v = recorder_value_kept(r, period, area, metric);
    return isnan(v) ? v : in_pounds(&r->metrics[metric], v);
}

size_t recorder_n_years(const recorder *r) { return r ? r->sch[SCHEME_YEAR].closed : 0; }

int64_t recorder_year_last_day(const recorder *r, size_t year)
{
    if (!r || year >= r->sch[SCHEME_YEAR].n) return INT64_MIN;
    return r->sch[SCHEME_YEAR].end[year];
}

int64_t recorder_year_first_day(const recorder *r, size_t year)
{
    if (!r || year >= r->sch[SCHEME_YEAR].n) return INT64_MIN;
    return year == 0 ? r->first_day : r->sch[SCHEME_YEAR].end[year - 1] + 1;
}

/* A quarterly metric's financial year: its four calendar quarters ending
 * 30 June, 30 September, 31 December and 31 March. */
static double year_of_quarters(const metric_state *ms, int64_t year_last_day, double *weight)
{
    int64_t first = date_financial_year_start(date_financial_year(year_last_day));
    double num = 0, den = 0;
    int found = 0;
    for (size_t i = 0; i < ms->n_quarters; i++) {
        const struct quarter_row *q = &ms->quarters[i];
        if (q->day < first || q->day > year_last_day) continue;
        num += q->num;
        den += q->den;
        found++;
    }
    if (found != 4 || year_last_day != period_last_day(PERIOD_FY, year_last_day)) return NAN;
    if (ms->spec.kind == METRIC_COUNT) return num;
    *weight = den;
    return den != 0 ? num / den : NAN;
}

double recorder_year_value(const recorder *r, size_t year, size_t area, int metric, double *weight)
{
    double unused;
    if (!weight) weight = &unused;
    *weight = NAN;
    if (!r || r->released || year >= r->sch[SCHEME_YEAR].closed || area > r->n_areas ||
        metric < 0 || (size_t)metric >= r->n_metrics)
        return NAN;
    const metric_state *ms = &r->metrics[metric];
    if (ms->spec.quarterly) {
        if (area != r->n_areas) return NAN;
        /* A year whose first quarter began before the written days cannot
         * have all four of its quarters. */
        if (recorder_year_first_day(r, year) !=
            date_financial_year_start(date_financial_year(recorder_year_last_day(r, year))))
            return NAN;
        return year_of_quarters(ms, recorder_year_last_day(r, year), weight);
    }
    size_t at = (year * (r->n_areas + 1) + area) * r->n_metrics + (size_t)metric;
    *weight = r->sch[SCHEME_YEAR].weights[at];
    return r->sch[SCHEME_YEAR].values[at];
}

double recorder_run_value(const recorder *r, int metric)
{
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics) return NAN;
    const metric_state *ms = &r->metrics[metric];
    if (ms->spec.quarterly && ms->spec.kind == METRIC_EVENT_MEAN)
        return ms->run_n > 0 ? ms->run_sum / ms->run_n : NAN;
    switch (ms->spec.kind) {
    case METRIC_COUNT:
    case METRIC_MONEY: return in_pounds(ms, ms->run_sum);
    case METRIC_LEVEL_END:
    case METRIC_LEVEL_MEAN:
    case METRIC_EVENT_MEAN: return ms->run_n > 0 ? in_pounds(ms, ms->run_sum) / ms->run_n : NAN;
    case METRIC_EVENT_MEDIAN: return ms->run_median;
    }
    return NAN;
}

const double *recorder_run_events(const recorder *r, int metric, size_t *n)
{
    if (n) *n = 0;
    if (!r || metric < 0 || (size_t)metric >= r->n_metrics ||
        !is_event(r->metrics[metric].spec.kind))
        return NULL;
    if (n) *n = r->metrics[metric].run_events.n;
    return r->metrics[metric].run_events.v;
}
