/* budget.h — budgets, the pool and the money flows of MODELS.md § 5, inside
 * the engine (internal: the models see sim_fund_case and friends in
 * model.h). One budget per replication. */
#ifndef PLACESIM_BUDGET_H
#define PLACESIM_BUDGET_H

#include <stddef.h>
#include <stdint.h>
#include "ledger.h"
#include "recorder.h"
#include "scenario.h"

enum { BUDGET_HOLDERS = 6 }; /* housing … health: ledger agencies 0–5 */

/* A refusal or pause, for manifest.json; same-day repeats are counted. */
typedef struct budget_event {
    int64_t day;
    size_t intervention;
    const char *what;          /* a static string */
    uint64_t count;
} budget_event;

typedef struct budget_intervention {
    const char *name;          /* owned by the scenario */
    int agency;                /* ledger agency that pays: 0–5 or LEDGER_POOL */
    int refusals_metric, paused_metric;
} budget_intervention;

/* Per (bearer, item), the demand costs of the day, posted at its end. */
typedef struct demand_accumulator {
    int bearer;
    const char *item;          /* a string the model keeps alive (a literal) */
    double pounds;
} demand_accumulator;

typedef struct budget {
    int64_t first_day;               /* the first written day */
    int pooled;
    int64_t annual_pence[BUDGET_HOLDERS];
    double pool_share[BUDGET_HOLDERS];
    double rollover_share;
    int64_t left[LEDGER_AGENCIES];   /* holders and the pool (index LEDGER_POOL) */
    ledger *ledger;
    recorder *rec;
    int spend_metric, left_metric, pool_metric, demand_metric;
    budget_intervention *interventions;
    size_t n_interventions, cap_interventions;
    budget_event *events;
    size_t n_events, cap_events;
    demand_accumulator *demand;
    size_t n_demand, cap_demand;
    char error[512];           /* the reason of the last -1 */
} budget;

/* The metrics budget_init declares (for checking target names). */
const metric_spec *budget_money_metrics(size_t *n);
const metric_spec *budget_demand_metrics(size_t *n);

/* Reads budgets.* from the scenario, creates the ledger and declares the
 * money metrics (spend_<agency or pool>, budget_left_<holder>,
 * pool_balance, demand_cost_<bearer>) in rec. 0, or -1 when out of memory. */
int budget_init(budget *b, const scenario *s, recorder *rec, int64_t first_day,
                int64_t last_day, period_kind period);
void budget_free(budget *b);

/* Registers an intervention (before the first day): declares
 * refusals_<name> and paused_days_<name>. Returns its index or -1. */
long budget_register(budget *b, const char *name, int agency);

/* The written day opens: on the first written day and each 1 April,
 * allocations (pro rata for a partial year) and pool contributions. */
int budget_open_day(budget *b, int64_t day);

/* Pays `pounds` for intervention k on `day`: 1 paid, 0 refused (counted
 * when count_refusal), -1 with b->error set (an identity break). */
int budget_pay(budget *b, int64_t day, size_t k, double pounds, int count_refusal,
               const char *refusal);

/* Adds to today's demand costs. */
int budget_demand(budget *b, int bearer, const char *item, double pounds);

/* The written day closes: demand posted, on 31 March rollover and lapse,
 * levels recorded, ledger periods closed. 0 or -1 with b->error. */
int budget_close_day(budget *b, int64_t day);

/* Records a pause event (and a paused day) of intervention k. */
int budget_paused_day(budget *b, int64_t day, size_t k, int first_day_of_pause);

#endif
