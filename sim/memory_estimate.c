/* memory_estimate.c — a run's peak memory from the scenario, before it runs.
 *
 * The engine's own parts are priced here from what the engine allocates
 * (recorder, ledger, event list, place state); each model prices its own
 * state through model_def.memory and reports how many events it keeps
 * pending and how many event values it records, which the engine prices
 * as the event list and the recorder store them. Everything is computed in
 * doubles and saturated into size_t at the end, so that a scenario of 10^9
 * dwellings gives a huge number, not a wrapped small one.
 *
 * The constants are calibrated against peak resident memory measured by
 * tools/memory_check.sh (the figures are in that script's header); each
 * says where it comes from. */
#include "memory_estimate.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "budget.h"
#include "dates.h"
#include "evq.h"

/* The process before any scenario: program, GSL, libconfig, libc, stdio
 * buffers (measured: `placesim check` of a one-area scenario peaks at
 * 2.9 MB resident). */
static const double PROCESS_BYTES = 4.0 * 1024 * 1024;

/* Per area, once: the scenario tree (libconfig's and ours, which coexist
 * while loading), the place and the names (measured: `check` grows by
 * 2.2 kB an area from 1 to 10,000 areas). */
static const double SCENARIO_BYTES_PER_AREA = 3000;

/* Per running thread: its stack, its malloc arena's bookkeeping and the
 * replication's small allocations (sim_run, streams, budget). */
static const double THREAD_BYTES = 512.0 * 1024;

/* The event list (evq.c): 128 day buckets and engine.c's EVQ_HORIZON_DAYS
 * / 64 block buckets, each a list of three words whose last chunk (16
 * events and a header, 528 bytes) is counted whole, as a small place may
 * put only a few events in each; pending events in chunks from slabs that
 * grow by doubling but are written only as far as used, so they cost their
 * size with a margin for the chunks' headers and the sorted day. */
static const double EVQ_LISTS = 128 + 65536 / 64;
static const double EVQ_LIST_BYTES = 3 * sizeof(size_t) + 16 * sizeof(sim_event) + 16;
static const double EVENT_MARGIN = 1.1;

/* A thread's later replications (memory_estimate.h): measured +12 MB on
 * 62 MB of working memory (the borough x 10), +11 MB on 670 MB (x 100),
 * +1 and +10 MB for the second and third on 143 MB (one area of 10^6
 * social dwellings): the holes are those of arrays that grow up to glibc's
 * largest mmap threshold (32 MB), not a share of the whole. The share stays
 * below 1, so that the total keeps growing with the thread count (which
 * memory_estimate_max_threads relies on). */
static const double REUSE_SHARE = 0.25;
static const double REUSE_MAX_BYTES = 24.0 * 1024 * 1024;

/* The recorder (recorder.c): per metric its state (spec copy, pointers,
 * run vectors), its strings, and four accumulators per area and ALL. */
static const double METRIC_STATE_BYTES = 256;
static const double MALLOC_OVERHEAD = 16;
/* Event values live in vectors that grow by doubling (dvec): at most twice
 * their count is reserved, of which the part written is resident. */
static const double EVENT_VALUE_BYTES = 1.5 * sizeof(double);
/* A median metric keeps each area's values of the current period; a
 * vector starts with room for 16. */
static const double MEDIAN_AREA_MIN_BYTES = 16 * sizeof(double);

/* The ledger (ledger.c): one 24-byte row per (period, agency, category,
 * item) posted, in an array that grows by doubling. Items posted in a
 * period: the models' demand items (22 with the registry's models) and
 * one per intervention; once a financial
 * year, the allocations, pool contributions, rollover and lapse (at most
 * 36 rows); plus the item names and the open period's cells. */
static const double LEDGER_ROW_BYTES = 24;
static const double LEDGER_ROWS_PER_PERIOD = 24;
static const double LEDGER_ROWS_PER_YEAR = 36;
static const double LEDGER_SLACK = 2.0;
static const double LEDGER_FIXED_BYTES = 64.0 * 1024;

/* What a run keeps per replication besides the recorder and ledger: its
 * result (replication_result, seeds and wall time in the manifest). */
static const double RESULT_BYTES = 256;

/* A replication's rows as text (run_files_format): per row its fields, the
 * names counted from the scenario, a value's text (measured on the borough:
 * 2.4 bytes on average, whole counts; money and fractions up to 13, so 12 is
 * near an upper bound), a years.csv weight (measured 0.3; 4) and a ledger
 * row's agency, category, item and amount (measured 63 bytes a row in all,
 * of which 24 are its first four fields; 48). The blocks grow by doubling
 * and are reused from one replication to the next (run_files.c), so the
 * part written, about one text, is what is resident. */
static const double VALUE_TEXT_BYTES = 12;
static const double WEIGHT_TEXT_BYTES = 4;
static const double LEDGER_ROW_TEXT_BYTES = 48;
static const double INTERVENTION_METRIC_NAME_BYTES = 24;

static size_t to_size(double bytes)
{
    if (!(bytes > 0)) return 0;
    bytes = ceil(bytes);
    /* (double)SIZE_MAX rounds up to 2^64, which no size_t holds. */
    if (bytes >= (double)SIZE_MAX) return SIZE_MAX;
    return (size_t)bytes;
}

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

static size_t mul_sat(size_t a, size_t b) { return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b; }

/* Output periods from first to last day, as recorder_create counts them. */
static double count_periods(period_kind period, int64_t first, int64_t last)
{
    if (last < first) return 0;
    if (period == PERIOD_DAY) return (double)(last - first + 1);
    double n = 0;
    for (int64_t d = first; d <= last; n++) {
        int64_t e = period_last_day(period, d);
        if (e < d) e = d;
        d = e >= last ? last + 1 : e + 1;
    }
    return n;
}

/* The longest period of a kind, in days. */
static double period_days(period_kind period)
{
    switch (period) {
    case PERIOD_DAY: return 1;
    case PERIOD_WEEK: return 7;
    case PERIOD_MONTH: return 31;
    case PERIOD_QUARTER: return 92;
    case PERIOD_YEAR:
    case PERIOD_FY: return 366;
    }
    return 366;
}

static double strings_bytes(const metric_spec *m)
{
    double n = 0;
    if (m->name) n += (double)strlen(m->name) + 1 + MALLOC_OVERHEAD;
    if (m->unit) n += (double)strlen(m->unit) + 1 + MALLOC_OVERHEAD;
    if (m->doc) n += (double)strlen(m->doc) + 1 + MALLOC_OVERHEAD;
    return n;
}

/* The metrics the recorder will hold: what the models declare, what the
 * budget declares, and two per intervention (refusals_, paused_days_). */
typedef struct metric_census {
    double count, spec_bytes;
    double all_only;       /* metrics with an ALL row only (quarterly ones included) */
    double name_bytes;     /* their names' lengths, summed */
    double quarterly;      /* quarterly metrics */
    double median_by_area; /* event_median metrics with area rows */
} metric_census;

static void census_add(metric_census *c, const metric_spec *specs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        c->count += 1;
        c->spec_bytes += METRIC_STATE_BYTES + strings_bytes(&specs[i]);
        if (specs[i].all_only) c->all_only += 1;
        if (specs[i].name) c->name_bytes += (double)strlen(specs[i].name);
        if (specs[i].quarterly) c->quarterly += 1;
        if (specs[i].kind == METRIC_EVENT_MEDIAN && !specs[i].all_only) c->median_by_area += 1;
    }
}

static metric_census metric_census_of(const run_config *cfg, double n_interventions)
{
    metric_census c = { 0 };
    for (size_t m = 0; m < cfg->n_models; m++) {
        census_add(&c, cfg->models[m]->metrics->specs, cfg->models[m]->metrics->n_specs);
    }
    size_t n;
    const metric_spec *specs = budget_money_metrics(&n);
    census_add(&c, specs, n);
    specs = budget_demand_metrics(&n);
    census_add(&c, specs, n);
    c.count += 2 * n_interventions;
    c.all_only += 2 * n_interventions;
    c.name_bytes += 2 * n_interventions * INTERVENTION_METRIC_NAME_BYTES;
    c.spec_bytes += 2 * n_interventions * (METRIC_STATE_BYTES + 3 * 64 + 3 * MALLOC_OVERHEAD);
    return c;
}

memory_estimate memory_estimate_run(const run_config *cfg, unsigned reps, unsigned threads)
{
    memory_estimate e;
    memset(&e, 0, sizeof e);
    e.reps = reps ? reps : 1;
    e.threads = threads ? threads : 1;
    if (e.threads > e.reps) e.threads = e.reps;

    const place *p = cfg->place;
    double areas = (double)p->n_areas;
    const scn_node *ivs = scenario_find(cfg->scn, "interventions");
    double n_interventions = ivs ? (double)ivs->n_children : 0;
    double written_days = (double)(cfg->last_date - cfg->start_date + 1);
    if (written_days < 1) written_days = 1;
    double periods = count_periods(cfg->period, cfg->start_date, cfg->last_date);

    /* ---- what the models say ---- */
    model_memory models = { 0 };
    for (size_t m = 0; m < cfg->n_models; m++) {
        if (!cfg->models[m]->memory) continue;
        model_memory one = { 0 };
        cfg->models[m]->memory(cfg->scn, p, &one);
        models.state_bytes += one.state_bytes > 0 ? one.state_bytes : 0;
        models.pending_events += one.pending_events > 0 ? one.pending_events : 0;
        models.event_values += one.event_values > 0 ? one.event_values : 0;
        models.median_values += one.median_values > 0 ? one.median_values : 0;
    }

    /* ---- working: per running replication ---- */
    double working = THREAD_BYTES + models.state_bytes + EVQ_LISTS * EVQ_LIST_BYTES +
                     models.pending_events * (double)sizeof(sim_event) * EVENT_MARGIN +
                     areas * model_shared_bytes_per_area() + /* the models' shared state */
                     n_interventions * 256;                  /* budget and views per intervention */

    /* ---- kept: the recorder and the ledger of each replication ---- */
    metric_census mc = metric_census_of(cfg, n_interventions);
    double cells = periods * (areas + 1) * mc.count;
    double fy_count = count_periods(PERIOD_FY, cfg->start_date, cfg->last_date);
    double fy_cells = fy_count * (areas + 1) * mc.count;
    double names = 0;
    for (size_t a = 0; a < p->n_areas; a++) {
        names += (double)strlen(p->areas[a].name) + 1 + MALLOC_OVERHEAD + sizeof(char *);
    }
    /* A period's (and a financial year's) share of the median values,
     * twice the average for the busiest one, held per area in vectors that
     * grow by doubling. */
    double period_share = fmin(1.0, 2.0 * period_days(cfg->period) / written_days);
    double year_share = fmin(1.0, 2.0 * 366 / written_days);
    double recorder = 4096 + names + mc.spec_bytes +
                      mc.count * 6 * (areas + 1) * sizeof(double) + /* accumulators */
                      (periods + fy_count) * sizeof(int64_t) +      /* period ends */
                      models.event_values * EVENT_VALUE_BYTES +     /* run values */
                      models.median_values * sizeof(double) +       /* median scratch */
                      2 * mc.median_by_area * areas * MEDIAN_AREA_MIN_BYTES +
                      models.median_values * (period_share + year_share) * 2 * sizeof(double) +
                      mc.quarterly * fmax(64, written_days / 91) * 24;
    /* The period values, and the financial years' values and weights, of
     * a replication: held until its rows are written. */
    double streamed = cells * sizeof(double) + fy_cells * 2 * sizeof(double);
    double years = written_days / 365.25 + 2;
    double ledger_rows =
        periods * (LEDGER_ROWS_PER_PERIOD + n_interventions) + years * LEDGER_ROWS_PER_YEAR;
    double ledger = LEDGER_FIXED_BYTES + LEDGER_SLACK * LEDGER_ROW_BYTES * ledger_rows;
    double kept = recorder + ledger + RESULT_BYTES;

    /* The rows of series.csv, years.csv and ledger.csv as text: rows per
     * period (each metric's ALL row, and an area row for those not
     * ALL-only) times what a row holds. */
    double area_name_bytes = 0;
    for (size_t a = 0; a < p->n_areas; a++) area_name_bytes += (double)strlen(p->areas[a].name);
    double mean_area = (area_name_bytes + 3) / (areas + 1); /* ALL among them */
    double mean_metric = mc.count > 0 ? mc.name_bytes / mc.count : 0;
    double rows_per_period = mc.count + areas * (mc.count - mc.all_only);
    const char *name = scenario_name(cfg->scn);
    double prefix = (name ? (double)strlen(name) : 0) + 2 + floor(log10((double)e.reps)) + 1;
    double tick = floor(log10(written_days)) + 2;
    double field_bytes = mean_area + 1 + mean_metric + 1 + VALUE_TEXT_BYTES + 1;
    double series_rows = periods * rows_per_period + mc.quarterly * (written_days / 91 + 1);
    double formatted =
        series_rows * (prefix + tick + 11 + field_bytes) +
        fy_count * rows_per_period * (prefix + 30 + field_bytes + WEIGHT_TEXT_BYTES + 1) +
        ledger_rows * (prefix + tick + 11 + LEDGER_ROW_TEXT_BYTES);

    /* ---- pooled: the summary's copy of every median value ---- */
    double pooled = models.median_values * sizeof(double);

    /* ---- fixed: once per run ---- */
    double fixed = PROCESS_BYTES + areas * SCENARIO_BYTES_PER_AREA;

    e.working = to_size(working);
    e.reuse = to_size(fmin(REUSE_SHARE * working, REUSE_MAX_BYTES));
    e.kept = to_size(kept);
    e.streamed = to_size(streamed);
    e.streaming = cfg->on_result != NULL;
    e.formats = e.streaming && cfg->on_format != NULL;
    e.formatted = to_size(formatted);
    e.pooled = to_size(pooled);
    e.fixed = to_size(fixed);
    e.total = memory_estimate_total(&e, e.reps, e.threads);
    return e;
}

unsigned memory_estimate_held(const memory_estimate *e, unsigned reps, unsigned threads)
{
    if (reps == 0) reps = 1;
    if (threads == 0) threads = 1;
    if (threads > reps) threads = reps;
    /* Streaming: at most 2 x threads replications are handed out and not
     * yet written (replications.c), and one thread writes each replication
     * before it takes the next; without, every one keeps its values. */
    unsigned in_flight = threads == 1 ? 1 : threads <= UINT_MAX / 2 ? 2 * threads : UINT_MAX;
    return e->streaming && in_flight < reps ? in_flight : reps;
}

size_t memory_estimate_total(const memory_estimate *e, unsigned reps, unsigned threads)
{
    if (reps == 0) reps = 1;
    if (threads == 0) threads = 1;
    if (threads > reps) threads = reps;
    unsigned second = reps - threads < threads ? reps - threads : threads;
    unsigned held = memory_estimate_held(e, reps, threads);
    size_t per_rep_end = add_sat(e->kept, e->pooled);
    if (!e->streaming) per_rep_end = add_sat(per_rep_end, e->streamed);
    size_t running = add_sat(add_sat(e->fixed, mul_sat(threads, e->working)),
                             add_sat(mul_sat(second, e->reuse), mul_sat(reps, e->kept)));
    if (e->formats) {
        /* The running hold their values; the held, running or waiting,
         * their rows' text, which the running make from the values. */
        running = add_sat(running, mul_sat(threads, e->streamed));
        running = add_sat(running, mul_sat(held, e->formatted));
    } else {
        running = add_sat(running, mul_sat(held, e->streamed));
    }
    size_t ending = add_sat(e->fixed, mul_sat(reps, per_rep_end));
    return running > ending ? running : ending;
}

/* The largest k in [1, hi] with total(k) <= limit, or 0 when k = 1 does
 * not fit: the total grows with k, so bisection (hi can be large). */
static unsigned largest_fitting(const memory_estimate *e, unsigned hi, size_t limit,
                                size_t (*total)(const memory_estimate *, unsigned, unsigned),
                                unsigned fixed)
{
    if (total(e, 1, fixed) > limit) return 0;
    unsigned lo = 1;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo + 1) / 2;
        if (total(e, mid, fixed) <= limit)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static size_t total_by_threads(const memory_estimate *e, unsigned threads, unsigned reps)
{
    return memory_estimate_total(e, reps, threads);
}

static size_t total_by_reps(const memory_estimate *e, unsigned reps, unsigned threads)
{
    return memory_estimate_total(e, reps, threads);
}

unsigned memory_estimate_max_threads(const memory_estimate *e, unsigned reps, size_t limit)
{
    if (reps == 0) reps = 1;
    return largest_fitting(e, reps, limit, total_by_threads, reps);
}

unsigned memory_estimate_max_reps(const memory_estimate *e, unsigned threads, unsigned reps,
                                  size_t limit)
{
    if (reps == 0) reps = 1;
    if (threads == 0) threads = 1;
    return largest_fitting(e, reps, limit, total_by_reps, threads);
}
