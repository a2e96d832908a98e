/* engine.c — the day loop of one replication, and the services models use. */
#include "engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "budget.h"
#include "evq.h"
#include "rng.h"

/* The event list's horizon, about 180 years: everything a run can reach
 * (tenancies of ~17 years included) is scheduled in O(1) buckets; only
 * "never" events (a rate near zero) wait in its heap, which they never
 * leave. */
enum { EVQ_HORIZON_DAYS = 65536 };

struct sim_run {
    const run_config *cfg;
    evq *queue;
    double now;
    int64_t today;     /* days since the warm-up's first day */
    int64_t start_day; /* the first written day, as such an index */
    int written;
    void *shared; /* the models' (model_shared_create), opaque */
    recorder *rec;
    gsl_rng *rng;
    uint64_t seed;
    void **model_states;
    int *metric_base;
    budget budget;
    size_t current_model;
    uint64_t events;
    char *error; /* first failure, owned */
    char **warnings;
    size_t n_warnings;
};

void run_config_dates(run_config *cfg)
{
    int64_t start = scenario_date(cfg->scn, "start");
    int years = (int)scenario_int(cfg->scn, "years");
    int warmup = (int)scenario_int(cfg->scn, "warmup_years");
    cfg->start_date = start;
    cfg->last_date = date_add_years(start, years) - 1;
    cfg->warmup_first_date = date_add_years(start, -warmup);
}

void engine_param_tables(const model_def *const *models, size_t n_models, param_table *tables)
{
    tables[0] = engine_param_table;
    for (size_t i = 0; i < n_models; i++) {
        tables[i + 1] = *models[i]->params;
    }
}

/* ---- services to models ---- */

double sim_now(const sim_run *run) { return run->now; }
int64_t sim_today(const sim_run *run) { return run->today; }
int64_t sim_date(const sim_run *run) { return run->cfg->warmup_first_date + run->today; }
int64_t sim_start_date(const sim_run *run) { return run->cfg->start_date; }
int sim_written(const sim_run *run) { return run->written; }
const scenario *sim_scenario(const sim_run *run) { return run->cfg->scn; }
const place *sim_place(const sim_run *run) { return run->cfg->place; }
void *sim_shared(sim_run *run) { return run->shared; }
recorder *sim_recorder(sim_run *run) { return run->rec; }
int sim_metric_base(const sim_run *run) { return run->metric_base[run->current_model]; }

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return NULL;
    char *text = malloc((size_t)n + 1);
    if (text) vsnprintf(text, (size_t)n + 1, fmt, ap);
    return text;
}

int sim_fail(sim_run *run, const char *fmt, ...)
{
    if (run->error) return -1; /* the first failure is the cause; keep it */
    va_list ap;
    va_start(ap, fmt);
    run->error = vformat(fmt, ap);
    va_end(ap);
    if (!run->error) run->error = strdup("out of memory");
    return -1;
}

void sim_warn(sim_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = vformat(fmt, ap);
    va_end(ap);
    if (!text) return;
    char **grown = realloc(run->warnings, (run->n_warnings + 1) * sizeof *grown);
    if (!grown) {
        free(text);
        return;
    }
    run->warnings = grown;
    run->warnings[run->n_warnings++] = text;
}

static int push_event(sim_run *run, size_t model, double time, uint16_t kind, uint32_t agent,
                      uint32_t tag, uint32_t spare)
{
    sim_event ev = { .time = time,
                     .agent = agent,
                     .tag = tag,
                     .model = (uint16_t)model,
                     .kind = kind,
                     .spare = spare };
    /* Events before now would run out of order (the queue only refuses days
     * already past), so they are a model bug and fail the run. */
    if (!(time >= run->now) || evq_push(run->queue, &ev) != 0) {
        const model_def *from = run->cfg->models[run->current_model];
        if (!(time >= run->now) || !isfinite(time)) {
            return sim_fail(run,
                            "model %s scheduled event kind %u for agent %u at day %.6f, "
                            "before now (%.6f)",
                            from->name, kind, agent, time, run->now);
        }
        return sim_fail(run, "out of memory scheduling an event of model %s", from->name);
    }
    return 0;
}

int sim_schedule(sim_run *run, double time, uint16_t kind, uint32_t agent, uint32_t tag)
{
    return push_event(run, run->current_model, time, kind, agent, tag, 0);
}

const model_def *const *sim_models(const sim_run *run, size_t *n_models)
{
    *n_models = run->cfg->n_models;
    return run->cfg->models;
}

int sim_model_index(const sim_run *run, const char *name)
{
    for (size_t i = 0; i < run->cfg->n_models; i++) {
        if (strcmp(run->cfg->models[i]->name, name) == 0) return (int)i;
    }
    return -1;
}

int sim_send(sim_run *run, int model, double time, uint16_t kind, uint32_t agent, uint32_t tag,
             uint32_t spare)
{
    if (model < 0 || (size_t)model >= run->cfg->n_models) {
        return sim_fail(run, "model %s sent a message to a model that is not running",
                        run->cfg->models[run->current_model]->name);
    }
    return push_event(run, (size_t)model, time, kind, agent, tag, spare);
}

double sim_unit_cost(sim_run *run, const char *name)
{
    const cost_library *lib = run->cfg->costs;
    const cost_entry *e = lib ? cost_library_find(lib, name) : NULL;
    const char *year = scenario_string(run->cfg->scn, "price_year");
    double value = e ? cost_rebased(lib, e, year) : NAN;
    if (!e) {
        sim_fail(run, "model %s asked for unit cost \"%s\", which %s lacks",
                 run->cfg->models[run->current_model]->name, name,
                 lib ? cost_library_path(lib) : "the run (no cost library)");
    } else if (isnan(value)) {
        sim_fail(run, "unit cost \"%s\": price year %s or %s is not in the deflator of %s", name,
                 e->price_year, year, cost_library_path(lib));
    }
    return value;
}

const char *sim_cost_library_path(const sim_run *run)
{
    return run->cfg->costs ? cost_library_path(run->cfg->costs) : "(no cost library)";
}

const char *const bearer_names[BEARERS] = {
    "housing", "police", "probation", "prisons", "council", "health", "courts", "victims",
};

void sim_charge_demand(sim_run *run, enum bearer bearer, const char *item, double pounds)
{
    /* Only the written years are accounted; a warm-up cost belongs to no
     * financial year of the run. */
    if (!run->written || (unsigned)bearer >= BEARERS || pounds == 0) return;
    /* Rounded to the penny here, once, as recorder_add rounds the model's
     * own money metric given the same amount: so Σ areas of lost_rent is
     * the ledger's lost_rent to the penny; the budget sums whole pence. */
    double pence = money_round_pence(pounds);
    if (pence == 0) return;
    if (budget_demand(&run->budget, (int)bearer, item, (int64_t)pence) != 0) {
        sim_fail(run, "out of memory recording demand costs");
    }
}

long sim_register_intervention(sim_run *run, const char *name, int funder)
{
    int agency = funder == FUNDER_POOL ? LEDGER_POOL : funder;
    if (agency != LEDGER_POOL && (agency < 0 || agency >= BUDGET_HOLDERS)) {
        sim_fail(run, "intervention %s: funder %d is not a budget holder or the pool", name,
                 funder);
        return -1;
    }
    long k = budget_register(&run->budget, name, agency);
    if (k < 0)
        sim_fail(run, "intervention %s: cannot register (declared twice, or out of memory)", name);
    return k;
}

static int fund(sim_run *run, size_t k, double pounds, int count_refusal, const char *refusal)
{
    int paid = budget_pay(&run->budget, sim_date(run), k, pounds, count_refusal, refusal);
    if (paid < 0) return sim_fail(run, "%s", run->budget.error);
    return paid;
}

int sim_fund_case(sim_run *run, size_t intervention, double pounds)
{
    return fund(run, intervention, pounds, 1, "refused: a case does not fit the budget left");
}

int sim_fund_setup(sim_run *run, size_t intervention, double pounds)
{
    return fund(run, intervention, pounds, 1,
                "not started: its set-up does not fit the budget left");
}

int sim_fund_day(sim_run *run, size_t intervention, double pounds)
{
    return fund(run, intervention, pounds, 0, NULL);
}

int sim_paused_day(sim_run *run, size_t intervention, int first_day_of_pause)
{
    if (budget_paused_day(&run->budget, sim_date(run), intervention, first_day_of_pause) != 0) {
        return sim_fail(run, "%s", run->budget.error);
    }
    return 0;
}

/* Stream (calling model, purpose, agent, ordinal). The model's own id, not
 * its place in the run: inserting a model elsewhere in the order must not
 * move another model's draws. */
static stream_id model_stream(const sim_run *run, uint16_t purpose, uint32_t agent,
                              uint32_t ordinal)
{
    return (stream_id){ run->cfg->models[run->current_model]->stream_id, purpose, agent, ordinal };
}

gsl_rng *sim_stream_at(sim_run *run, uint16_t purpose, uint32_t agent, uint32_t ordinal,
                       uint64_t position)
{
    rng_stream_seek(run->rng, run->seed, model_stream(run, purpose, agent, ordinal), position);
    return run->rng;
}

gsl_rng *sim_stream(sim_run *run, uint16_t purpose, uint32_t agent, uint32_t ordinal)
{
    return sim_stream_at(run, purpose, agent, ordinal, 0);
}

void sim_draw_block(sim_run *run, uint16_t purpose, uint32_t agent, uint32_t ordinal,
                    uint32_t block, uint32_t out[4])
{
    rng_stream_block(run->seed, model_stream(run, purpose, agent, ordinal), block, out);
}

/* ---- one replication ---- */

static void run_release(sim_run *run)
{
    for (size_t i = 0; i < run->cfg->n_models; i++) {
        if (run->model_states && run->model_states[i]) {
            run->cfg->models[i]->destroy(run->model_states[i]);
        }
    }
    free(run->model_states);
    free(run->metric_base);
    if (run->rng) gsl_rng_free(run->rng);
    if (run->queue) evq_destroy(run->queue);
    model_shared_free(run->shared);
    budget_free(&run->budget);
    if (run->rec) recorder_destroy(run->rec);
    for (size_t i = 0; i < run->n_warnings; i++) free(run->warnings[i]);
    free(run->warnings);
    free(run->error);
}

typedef int (*model_hook)(void *state, sim_run *run);
enum hook_name { HOOK_PREPARE_DAY, HOOK_BEGIN_DAY, HOOK_END_DAY, HOOK_END_WARMUP };

static model_hook hook_of(const model_def *m, enum hook_name name)
{
    switch (name) {
    case HOOK_PREPARE_DAY: return m->prepare_day;
    case HOOK_BEGIN_DAY: return m->begin_day;
    case HOOK_END_DAY: return m->end_day;
    case HOOK_END_WARMUP: return m->end_warmup;
    }
    return NULL;
}

/* Calls an optional hook of every model, in registry order. */
static int call_hooks(sim_run *run, enum hook_name name)
{
    for (size_t i = 0; i < run->cfg->n_models; i++) {
        model_hook hook = hook_of(run->cfg->models[i], name);
        if (!hook) continue;
        run->current_model = i;
        if (hook(run->model_states[i], run) != 0) return -1;
    }
    return 0;
}

/* One day, in the order its phases happen: budgets open (allocations on 1
 * April), interventions decide and pay for the day, aggregate draws, the
 * day's events in (time, insertion) order, end-of-day levels, budgets close
 * (demand posted, rollover and lapse on 31 March), the recorder folds it. */
/* How many events ahead of the one being handled its model is asked to
 * prefetch the agent's record: far enough for a miss to memory (~100 ns)
 * to overlap a few events' work, near enough that the line is still there. */
enum { PREFETCH_AHEAD = 4 };

static void prefetch_ahead(sim_run *run)
{
    const sim_event *next = evq_peek_today(run->queue, PREFETCH_AHEAD - 1);
    if (next == NULL || next->model >= run->cfg->n_models) return;
    const model_def *m = run->cfg->models[next->model];
    if (m->prefetch) m->prefetch(run->model_states[next->model], next);
}

static int simulate_day(sim_run *run)
{
    recorder_begin_day(run->rec, sim_date(run));
    run->now = (double)run->today;
    if (run->written && budget_open_day(&run->budget, sim_date(run)) != 0) {
        return sim_fail(run, "%s", run->budget.error);
    }
    if (call_hooks(run, HOOK_PREPARE_DAY) != 0) return -1;
    if (call_hooks(run, HOOK_BEGIN_DAY) != 0) return -1;

    sim_event ev;
    int popped;
    while ((popped = evq_pop_today(run->queue, &ev)) > 0) {
        prefetch_ahead(run);
        run->now = ev.time;
        run->current_model = ev.model;
        run->events++;
        const model_def *m = run->cfg->models[ev.model];
        if (m->handle(run->model_states[ev.model], run, &ev) != 0) return -1;
    }
    if (popped < 0) return sim_fail(run, "out of memory sorting the events of a day");
    run->now = (double)run->today + 1.0;
    if (call_hooks(run, HOOK_END_DAY) != 0) return -1;
    if (run->written && budget_close_day(&run->budget, sim_date(run)) != 0) {
        return sim_fail(run, "%s", run->budget.error);
    }
    if (run->error) return -1; /* a failure from a service with no status to return */
    if (recorder_end_day(run->rec) != 0)
        return sim_fail(run, "out of memory recording day %lld", (long long)run->today);
    return 0;
}

static int run_setup(sim_run *run, const run_config *cfg, unsigned replication)
{
    run->cfg = cfg;
    run->seed = rng_replication_seed(cfg->master_seed, replication);
    run->start_day = cfg->start_date - cfg->warmup_first_date;
    char why[256];
    if (engine_check_models(cfg->models, cfg->n_models, why, sizeof why) != 0) {
        return sim_fail(run, "%s", why);
    }

    const place *p = cfg->place;
    const char **names = malloc((p->n_areas ? p->n_areas : 1) * sizeof *names);
    if (!names) return sim_fail(run, "out of memory");
    for (size_t a = 0; a < p->n_areas; a++) names[a] = p->areas[a].name;
    run->rec = recorder_create(names, p->n_areas, cfg->start_date, cfg->last_date, cfg->period);
    free(names);

    run->queue = evq_create(EVQ_HORIZON_DAYS);
    run->rng = gsl_rng_alloc(rng_stream_type);
    run->model_states = calloc(cfg->n_models ? cfg->n_models : 1, sizeof *run->model_states);
    run->metric_base = calloc(cfg->n_models ? cfg->n_models : 1, sizeof *run->metric_base);
    run->shared = model_shared_create(p);
    if (!run->rec || !run->queue || !run->rng || !run->model_states || !run->metric_base ||
        !run->shared) {
        return sim_fail(run, "out of memory");
    }

    if (budget_init(&run->budget, cfg->scn, run->rec, cfg->start_date, cfg->last_date,
                    cfg->period) != 0) {
        return sim_fail(run, "out of memory");
    }
    for (size_t i = 0; i < cfg->n_models; i++) {
        const model_def *m = cfg->models[i];
        run->metric_base[i] = recorder_declare(run->rec, m->metrics->specs, m->metrics->n_specs);
        if (run->metric_base[i] < 0) {
            return sim_fail(run, "model %s declares a metric twice (or out of memory)", m->name);
        }
    }
    for (size_t i = 0; i < cfg->n_models; i++) {
        run->current_model = i;
        /* run->error too: a service without a status (sim_unit_cost) may
         * have failed the run. */
        if (cfg->models[i]->create(run, &run->model_states[i]) != 0 || run->error) {
            return sim_fail(run, "model %s failed to start", cfg->models[i]->name);
        }
    }
    return 0;
}

/* The budget's refusals and pauses as manifest lines ("DATE NAME: WHAT (xN)"),
 * owned by the result. */
static int collect_events(const budget *b, replication_result *out)
{
    if (b->n_events == 0) return 0;
    out->budget_events = calloc(b->n_events, sizeof *out->budget_events);
    if (!out->budget_events) return -1;
    for (size_t i = 0; i < b->n_events; i++) {
        const budget_event *e = &b->events[i];
        char date[11], line[512];
        date_format(e->day, date);
        int n = snprintf(line, sizeof line, "%s %s: %s", date,
                         b->interventions[e->intervention].name, e->what);
        if (e->count > 1 && n > 0 && (size_t)n < sizeof line) {
            snprintf(line + n, sizeof line - (size_t)n, " (x%llu)", (unsigned long long)e->count);
        }
        out->budget_events[i] = strdup(line);
        if (!out->budget_events[i]) return -1;
        out->n_budget_events = i + 1;
    }
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

int engine_run_replication(const run_config *cfg, unsigned replication, replication_result *out,
                           char *err, size_t errlen)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(out, 0, sizeof *out);
    sim_run run;
    memset(&run, 0, sizeof run);

    int status = run_setup(&run, cfg, replication);
    int64_t last_day = cfg->last_date - cfg->warmup_first_date;
    for (int64_t day = 0; status == 0 && day <= last_day; day++) {
        run.today = day;
        if (day == run.start_day) {
            run.now = (double)day;
            status = call_hooks(&run, HOOK_END_WARMUP);
            run.written = 1;
            if (status != 0) break;
        }
        /* A day is tens of microseconds: stopping between days answers an
         * interrupt at once and never leaves a day half done. */
        if (cfg->stop && *cfg->stop) {
            status = sim_fail(&run, "interrupted");
            break;
        }
        status = simulate_day(&run);
        if (status == 0 && day < last_day && evq_advance(run.queue, day + 1) != 0) {
            status = sim_fail(
                &run,
                "event list refused to leave day %lld (an event left behind, or out of memory)",
                (long long)day);
        }
        if (status == 0 && rng_stream_exhausted(run.rng)) {
            status =
                sim_fail(&run, "a random stream ran past 2^34 draws on day %lld", (long long)day);
        }
    }

    if (status != 0) {
        char date[11];
        date_format(sim_date(&run), date);
        snprintf(err, errlen, "replication %u, %s: %s", replication, date,
                 run.error ? run.error : "failed");
        run_release(&run);
        return -1;
    }
    out->replication = replication;
    out->seed = run.seed;
    out->rec = run.rec;
    out->warnings = run.warnings;
    out->n_warnings = run.n_warnings;
    out->events = run.events;
    out->ledger = run.budget.ledger;
    run.budget.ledger = NULL;
    if (collect_events(&run.budget, out) != 0) {
        snprintf(err, errlen, "replication %u: out of memory", replication);
        /* out owns the recorder and the warnings now: freed once, there. */
        replication_result_free(out);
        run.rec = NULL;
        run.warnings = NULL;
        run.n_warnings = 0;
        run_release(&run);
        return -1;
    }
    run.rec = NULL;
    run.warnings = NULL;
    run.n_warnings = 0;
    run_release(&run);
    out->wall_seconds = seconds_since(&t0);
    return 0;
}

recorder *engine_declared_metrics(const run_config *cfg, char *err, size_t errlen)
{
    sim_run run;
    memset(&run, 0, sizeof run);
    if (run_setup(&run, cfg, 1) != 0) {
        snprintf(err, errlen, "%s", run.error ? run.error : "failed to start");
        run_release(&run);
        return NULL;
    }
    recorder *rec = run.rec;
    run.rec = NULL;
    run_release(&run);
    return rec;
}

void replication_result_free_formatted(replication_result *r)
{
    for (size_t i = 0; i < r->n_formatted; i++) free(r->formatted[i].data);
    free(r->formatted);
    r->formatted = NULL;
    r->n_formatted = 0;
}

void replication_result_free(replication_result *r)
{
    if (r->rec) recorder_destroy(r->rec);
    ledger_destroy(r->ledger);
    for (size_t i = 0; i < r->n_budget_events; i++) free(r->budget_events[i]);
    free(r->budget_events);
    for (size_t i = 0; i < r->n_warnings; i++) free(r->warnings[i]);
    free(r->warnings);
    replication_result_free_formatted(r);
    memset(r, 0, sizeof *r);
}
