/* model.h — what a service model is, and what the engine offers it.
 *
 * A model is a value of model_def (a table of function pointers plus its
 * parameter and metric tables) registered in models/registry.c. The engine
 * never includes a model's header: it calls these functions through the
 * table. Models talk to each other only through the state they share
 * (declared in models/shared.h, created through the registry and passed
 * through the engine as an opaque pointer, sim_shared) and events, never
 * through each other's structs. */
#ifndef PLACESIM_MODEL_H
#define PLACESIM_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_rng.h>
#include "costs.h"
#include "evq.h"
#include "place.h"
#include "recorder.h"
#include "rng.h"
#include "scenario.h"

typedef struct sim_run sim_run;

/* What one replication of a model holds at its peak, for the run's memory
 * estimate (memory_estimate.h). Doubles, so that a huge scenario cannot
 * wrap; each an upper bound with a margin, from the scenario alone. */
typedef struct model_memory {
    double state_bytes;    /* its own state: what create allocates and what
                               grows later (populations, queues), as touched */
    double pending_events; /* its events pending at once in the event list,
                               superseded ones included (the engine prices them) */
    double event_values;   /* values it passes to recorder_event over the
                               written days, all its event metrics together:
                               the recorder keeps them until the run ends */
    double median_values;  /* of those, the values of its event_median metrics */
} model_memory;

/* An outcome for cost per outcome in `placesim compare` (MODELS.md § 6):
 * the present value of costs ÷ the change in the sum of these metrics (ALL,
 * over the comparison window). Declared by the model, so that the comparison
 * code names no model's metric. */
typedef struct comparison_outcome {
    const char *label;          /* what is counted, as printed */
    const char *unit;           /* its unit, e.g. "incidents" */
    const char *const *metrics; /* summed (count kinds) */
    size_t n_metrics;
} comparison_outcome;

/* ---- intervention types (MODELS.md § 4) ----
 *
 * An intervention type is declared by the model that carries it out, in its
 * model_def, and nowhere else: the model that pays for interventions
 * (pays_interventions, below) keeps what every intervention has — name, type, areas,
 * start and end, funder, cost_setup, cost_per_day, cost_per_unit: the
 * generic life cycle and its money — and reads the rest from this catalogue
 * of the running models. The engine only carries the catalogue; nothing in
 * sim/ reads it except `placesim describe`.
 *
 *   name, doc       the `type` an entry names; one paragraph for describe
 *   keys            the entry keys it takes besides the common ones, as
 *                   param_spec rows whose path is the member's name
 *                   ("capacity"), with the unit, range, default, source and
 *                   doc of this type's reading. The scenario's table has one
 *                   row per member for all types (in the paying model's
 *                   table: the loader validates and hashes one row per key); `check`
 *                   refuses a written value outside this type's range and a
 *                   written key the type does not take, and a value of -1
 *                   (written or the table's default) stands for this row's
 *                   default (intervention_param, models/shared.h).
 *   params_size,    its typed parameter struct (declared in the carrying
 *   read            model's header) and the function that fills it from a
 *                   checked entry; the view's `params` points at it.
 *   unit_cost       the cost library's name of one unit (declared needed
 *                   with the model's unit costs), or NULL: no unit, and
 *                   cost_per_unit does not apply.
 *   payment         how units are paid (below).
 *   units_per_day   PAY_PER_DAY: the units bought for one day, from its
 *                   parameters, `used` as the carrying model left it and
 *                   the number of areas covered.
 *   cases_per_year  nonzero: `used` counts the cases taken this financial
 *                   year, zeroed on 1 April by the interventions model.
 *
 * The entry keys that apply to a type are the common ones, its keys, and
 * cost_per_unit when it has a unit cost. */
typedef enum intervention_payment {
    /* units_per_day × the unit cost (+ cost_per_day) each day before the
     * day's effects; unpaid, it pauses to the next financial year */
    PAY_PER_DAY,
    /* the unit cost per case at intake, charged by the carrying model
     * through sim_fund_case (view.cost_per_case); cost_per_day still daily */
    PAY_PER_CASE
} intervention_payment;

typedef struct intervention_type {
    const char *name;
    const char *doc;
    const param_spec *keys;
    size_t n_keys;
    size_t params_size;
    void (*read)(const struct intervention_type *type, const scn_node *entry, void *params);
    const char *unit_cost;
    intervention_payment payment;
    double (*units_per_day)(const void *params, double used, size_t n_areas_covered);
    int cases_per_year;
} intervention_type;

typedef struct model_def {
    const char *name; /* also the group of its parameters */
    const char *doc;  /* one paragraph for `placesim describe` */
    /* Its number in the random-stream keys (rng.h), fixed for good: draws
     * depend on it, not on the model's place in the registry or the run, so
     * a model may be added anywhere in the phase order without changing
     * another model's draws. Unique among the models of a run (checked). */
    uint16_t stream_id;
    /* Its parameter table (owner: its name), exported ready by its
     * *_params.c; and its metrics, declared in this order (ids are the
     * model's metric base + index). Neither NULL: a model without
     * keys or metrics points at model_no_params or model_no_metrics. */
    const param_table *params;
    const metric_table *metrics;

    /* Optional: derived values worth showing in `placesim check` (e.g. a
     * stationary inflow), as "# …" lines. */
    void (*check_notes)(const scenario *s, const place *p, FILE *out);

    /* Optional: checks what the parameter table cannot (names of areas,
     * relations between keys) before any run. Returns 0, or -1 with
     * "FILE:LINE: key: what is wrong" in err. */
    int (*check)(const scenario *s, const place *p, char *err, size_t errlen);

    /* Optional: what it needs from other models, given the scenario, when
     * the `models` key leaves some out. running holds the names of the
     * models that run. Returns NULL when everything it needs runs, else the
     * name of a model it needs that does not, with why in `why` (a clause
     * naming the key and the FILE:LINE that makes it needed, and how to do
     * without), for the refusal of the scenario. */
    const char *(*needs)(const scenario *s, const char *const *running, size_t n_running, char *why,
                         size_t whylen);
    /* Nonzero: not a service model that the `models` key chooses but a part
     * of every run (one that acts only through the models it serves, such
     * as deciding what others carry out). */
    int always_runs;

    /* Reads its parameters, allocates its state and schedules its first
     * events (time 0 is the start of the warm-up). Returns 0, or -1 after
     * sim_fail. */
    int (*create)(sim_run *run, void **state);
    void (*destroy)(void *state);

    /* One of its own events. Returns 0, or -1 after sim_fail. */
    int (*handle)(void *state, sim_run *run, const sim_event *ev);

    /* Optional: a hint that `ev`, one of its own events, will be handled
     * soon: start loading the agent's record into the cache
     * (__builtin_prefetch), changing nothing. At England's scale an agent's
     * record is a cache miss per event; the engine calls this a few events
     * ahead so that the miss overlaps the events before. */
    void (*prefetch)(const void *state, const sim_event *ev);

    /* Optional: the first phase of a day, before any model's begin_day:
     * decisions others read the same day (which interventions act). */
    int (*prepare_day)(void *state, sim_run *run);
    /* Optional: before the day's events (aggregate daily draws). */
    int (*begin_day)(void *state, sim_run *run);
    /* Optional: after the day's events (levels, daily money). */
    int (*end_day)(void *state, sim_run *run);
    /* Optional: at the end of the warm-up, before the first written day. */
    int (*end_warmup)(void *state, sim_run *run);

    /* Metrics worth a place in the one-line run summary (ALL, pooled over
     * the written years and replications). */
    const char *const *summary_metrics;
    size_t n_summary_metrics;

    /* The metrics `placesim compare` and `placesim report` show when the
     * user names none (in this order), and the outcomes of cost per outcome. */
    const char *const *headline_metrics;
    size_t n_headline_metrics;
    const comparison_outcome *outcomes;
    size_t n_outcomes;

    /* The unit costs (cost library names) it reads with sim_unit_cost: a
     * library without one of them is refused before any run. */
    const char *const *unit_costs;
    size_t n_unit_costs;

    /* Optional: further text for the one-line summary (starting "; "), from
     * the finished replications' recorders over `years` written years. */
    void (*summarise)(FILE *out, const recorder *const *recs, size_t n, double years);

    /* Optional: the peak memory of one replication of the model, from the
     * scenario and place alone (called before any run, so it must not rely
     * on create having run). Fills every field of *out. A model without it
     * counts as 0 in the estimate. */
    void (*memory)(const scenario *s, const place *p, model_memory *out);

    /* Optional: whether member `key` of `entry`, an entry of the model's
     * list `list` (e.g. "interventions"), applies to that entry, as the
     * entry's kind declares (an intervention's type): 1 or 0. `placesim
     * check` lists only the members that apply; the model's check refuses a
     * written one that does not. Without it every member applies. */
    int (*entry_key_applies)(const char *list, const scn_node *entry, const char *key);

    /* The intervention types it carries out (above), in the order
     * `placesim describe` lists them. */
    const intervention_type *const *intervention_types;
    size_t n_intervention_types;

    /* Nonzero for the model that pays for interventions: it reads the unit
     * cost of every intervention type (the running models' and the
     * registry's), so those count among its needed unit costs. */
    int pays_interventions;
} model_def;

/* The registry, in models/registry.c: every model, in phase order (the
 * order the engine calls them in each phase of a day). */
const model_def *const *model_registry(size_t *n_models);

/* 1 if `name` is among the n names (for a model's needs callback). */
int model_list_has(const char *const *names, size_t n, const char *name);

/* Checks that the cost library holds every unit cost the models read: each
 * model's unit_costs, and for a model that pays_interventions, the unit
 * costs of the intervention types (of the running models, then of the
 * registry's others), once each. Same returns and messages as
 * cost_library_check_needed; "out of memory" in err on that failure. */
int model_check_costs(const cost_library *lib, const model_def *const *models, size_t n_models,
                      char *err, size_t errlen);

/* The models' shared state for one replication on place p, created and
 * freed by the registry (its shape is the models' business): the engine
 * holds it and hands it to models through sim_shared. NULL when out of
 * memory; model_shared_free(NULL) does nothing. */
void *model_shared_create(const place *p);
void model_shared_free(void *shared);

/* Bytes of shared state per area, for the memory estimate. */
double model_shared_bytes_per_area(void);

/* The tables of a model that has no scenario keys or records no metrics
 * of its own (model_def.params and .metrics are never NULL). */
extern const param_table model_no_params;
extern const metric_table model_no_metrics;

/* The engine's own parameters (start, years, warmup_years, areas, …). */
extern const param_table engine_param_table;

/* ---- the engine's services to a model (valid inside its callbacks) ---- */

/* Current event time, in days since the start of the warm-up. */
double sim_now(const sim_run *run);

/* Current day: days since the start of the warm-up (the tick of sim_now). */
int64_t sim_today(const sim_run *run);

/* Day number (dates.h) of the current day, and of the written start. */
int64_t sim_date(const sim_run *run);
int64_t sim_start_date(const sim_run *run);

/* Nonzero once the written years have begun. */
int sim_written(const sim_run *run);

const scenario *sim_scenario(const sim_run *run);
const place *sim_place(const sim_run *run);
/* The models' shared state (model_shared_create), as an opaque pointer. */
void *sim_shared(sim_run *run);
recorder *sim_recorder(sim_run *run);

/* Id of the calling model's first metric in the recorder. */
int sim_metric_base(const sim_run *run);

/* Schedules an event of the calling model at `time` (>= now). Returns 0, or
 * -1 after sim_fail (a time in the past is a model bug and fails the run:
 * no event is ever dropped). */
int sim_schedule(sim_run *run, double time, uint16_t kind, uint32_t agent, uint32_t tag);

/* The models of this run, in phase order (n_models set). */
const model_def *const *sim_models(const sim_run *run, size_t *n_models);

/* Index of the model called `name` in this run, or -1 when it is not
 * running (a model must then do without it). */
int sim_model_index(const sim_run *run, const char *name);

/* Event kinds at or above this are messages between models (sim_send); the
 * models number their messages from it. */
enum { MESSAGE_BASE = 0x8000 };

/* Sends an event (a message, kind >= MESSAGE_BASE) to model
 * `model` at `time` (>= now); `spare` travels in the event's spare field.
 * Returns 0, or -1 after sim_fail. */
int sim_send(sim_run *run, int model, double time, uint16_t kind, uint32_t agent, uint32_t tag,
             uint32_t spare);

/* Who bears a cost (MODELS.md § 5): the budget holders, then two bearers
 * without budgets. */
enum bearer {
    BEARER_HOUSING,
    BEARER_POLICE,
    BEARER_PROBATION,
    BEARER_PRISONS,
    BEARER_COUNCIL,
    BEARER_HEALTH,
    BEARER_COURTS,
    BEARER_VICTIMS,
    BEARERS
};
extern const char *const bearer_names[BEARERS]; /* "housing", … */

/* Who pays an intervention: a budget holder (BEARER_HOUSING …
 * BEARER_HEALTH) or the pool. */
enum { FUNDER_POOL = 100 };

/* Charges a demand cost (a service's response, days in custody, income lost, …) of
 * `pounds` at today's date to its bearer, for the item named (e.g.
 * "prison_days"), rounded to the penny once (money_round_pence, recorder.h).
 * Recorded in the ALL-only money metric demand_cost_<bearer>; never drawn
 * from a budget. A model that also records the cost in its own money metric
 * passes the same amount to recorder_add, which rounds it the same way, so
 * that metric sums to the ledger's entries to the penny. */
void sim_charge_demand(sim_run *run, enum bearer bearer, const char *item, double pounds);

/* Unit cost `name` from the run's cost library, rebased to the scenario's
 * price_year: value x deflator[price_year] / deflator[the cost's price
 * year]. Read it once, in create. A name the library lacks is a model bug
 * (declare it in model_def.unit_costs and the library is checked before the
 * run): it fails the run and returns NAN, never a silent 0. */
double sim_unit_cost(sim_run *run, const char *name);

/* The cost library's path, for messages about its costs. */
const char *sim_cost_library_path(const sim_run *run);

/* Case-based interventions (MODELS.md § 5): charges a case's full cost at
 * intake to intervention k's funder (k: its sim_register_intervention index),
 * as one `intervention` ledger entry in today's financial year. Returns 1
 * when paid, 0 when it does not fit what is left (nothing is charged; the
 * refusal is counted in refusals_<name> and listed in manifest.json), -1
 * after sim_fail. */
int sim_fund_case(sim_run *run, size_t intervention, double pounds);

/* Interventions (the interventions model): registers intervention `name`
 * paid by `funder` (BEARER_HOUSING … BEARER_HEALTH or FUNDER_POOL) before
 * the first day, in the scenario's order, declaring refusals_<name> and
 * paused_days_<name>. Returns its index (0, 1, … in the order registered)
 * or -1 after sim_fail. */
long sim_register_intervention(sim_run *run, const char *name, int funder);

/* Pays an intervention's set-up (refusal counted and listed: it does not
 * start) or one day of its capacity (not counted: the caller pauses and
 * reports sim_paused_day). Same returns as sim_fund_case. */
int sim_fund_setup(sim_run *run, size_t intervention, double pounds);
int sim_fund_day(sim_run *run, size_t intervention, double pounds);

/* Counts a paused day of an intervention (and lists the pause in
 * manifest.json on its first day). 0, or -1 after sim_fail. */
int sim_paused_day(sim_run *run, size_t intervention, int first_day_of_pause);

/* The run's generator positioned at the start of stream
 * (calling model, purpose, agent, ordinal) under the replication's seed. The
 * generator is shared: draw from it before asking for another stream. */
gsl_rng *sim_stream(sim_run *run, uint16_t purpose, uint32_t agent, uint32_t ordinal);

/* The same, positioned at `position` 32-bit outputs into the stream, for a
 * stream drawn from over several events: keep rng_stream_tell() after the
 * draws and pass it back next time. */
gsl_rng *sim_stream_at(sim_run *run, uint16_t purpose, uint32_t agent, uint32_t ordinal,
                       uint64_t position);

/* Block `block` (4 outputs of 32 bits) of stream (calling model, purpose,
 * agent, ordinal) under the replication's seed, without touching the shared
 * generator: the cheap path for a fixed layout of draws (rng.h,
 * rng_stream_block). */
void sim_draw_block(sim_run *run, uint16_t purpose, uint32_t agent, uint32_t ordinal,
                    uint32_t block, uint32_t out[4]);

/* Records an error (printf-style) for the run and returns -1. */
int sim_fail(sim_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records a warning for manifest.json (printf-style). */
void sim_warn(sim_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
