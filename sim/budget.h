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
    const char *what; /* a static string */
    uint64_t count;
} budget_event;

typedef struct budget_intervention {
    const char *name; /* owned by the scenario */
    int agency;       /* ledger agency that pays: 0–5 or LEDGER_POOL */
    int refusals_metric, paused_metric;
} budget_intervention;

/* Per (bearer, item), the demand costs of the day, posted at its end. */
typedef struct demand_accumulator {
    int bearer;
    const char *item; /* a string the model keeps alive (a literal) */
    int64_t pence;    /* whole pence: the day's sum is exact */
} demand_accumulator;

typedef struct budget {
    int64_t first_day; /* the first written day */
    int pooled;
    int64_t annual_pence[BUDGET_HOLDERS];
    double pool_share[BUDGET_HOLDERS];
    double rollover_share;
    int64_t left[LEDGER_AGENCIES]; /* holders and the pool (index LEDGER_POOL) */
    /* The pool's agreement (pooled regime): financial years agreement_from
     * … agreement_to; none when has_agreement is 0. */
    int has_agreement, agreement_from, agreement_to;
    int64_t contributed[BUDGET_HOLDERS]; /* pool_in + rollover over the agreement, pence */
    ledger *ledger;
    recorder *rec;
    int spend_metric, left_metric, pool_metric, demand_metric;
    int pool_in_metric, pool_return_metric; /* pooled only, else -1 */
    budget_intervention *interventions;
    size_t n_interventions, cap_interventions;
    budget_event *events;
    size_t n_events, cap_events;
    demand_accumulator *demand;
    size_t n_demand, cap_demand;
    char error[512]; /* the reason of the last -1 */
} budget;

/* The metrics budget_init declares (for checking target names). */
const metric_spec *budget_money_metrics(size_t *n);
const metric_spec *budget_demand_metrics(size_t *n);
/* … and, in the pooled regime only, pool_in_<holder> and pool_return_<holder>. */
const metric_spec *budget_pool_metrics(size_t *n);

/* Parses a financial-year label "YYYY/YY" (2026/27: 1 April 2026 to 31
 * March 2027, the second part the next year's last two digits) into the
 * year it starts in. 0, or -1 when it is not such a label. */
int budget_year_label_parse(const char *label, int *fy);

/* The pool's agreement of scenario s (whose labels budget_check_scenario
 * has accepted): budgets.pool_years, each end defaulting to the first or
 * last financial year in which a pool-funded intervention is active.
 * Returns 1 with *from_fy and *to_fy set, or 0 when there is none (siloed,
 * or pooled with no pool-funded intervention and no years given). */
int budget_agreement(const scenario *s, int *from_fy, int *to_fy);

/* What the parameter table cannot check of budgets.*: the labels of
 * budgets.pool_years, from not after to, and every pool-funded
 * intervention active only within the agreement. Appends one
 * "FILE:LINE: key: what is wrong" line per problem to err (see
 * scenario_error_append). */
void budget_check_scenario(const scenario *s, char *err, size_t errlen);

/* Reads budgets.* from the scenario, creates the ledger and declares the
 * money metrics (spend_<agency or pool>, budget_left_<holder>,
 * pool_balance, demand_cost_<bearer>) in rec. 0, or -1 when out of memory. */
int budget_init(budget *b, const scenario *s, recorder *rec, int64_t first_day, int64_t last_day,
                period_kind period);
void budget_free(budget *b);

/* Registers an intervention (before the first day): declares
 * refusals_<name> and paused_days_<name>. Returns its index or -1. */
long budget_register(budget *b, const char *name, int agency);

/* The written day opens: on the first written day and each 1 April,
 * allocations (pro rata for a partial year) and, in the agreement's years,
 * pool contributions. */
int budget_open_day(budget *b, int64_t day);

/* Pays `pounds` for intervention k on `day`: 1 paid, 0 refused (counted
 * when count_refusal), -1 with b->error set (an identity break). */
int budget_pay(budget *b, int64_t day, size_t k, double pounds, int count_refusal,
               const char *refusal);

/* Adds `pence` (each charge already rounded to the penny) to today's demand
 * costs of (bearer, item). 0, or -1 when out of memory. */
int budget_demand(budget *b, int bearer, const char *item, int64_t pence);

/* The written day closes: demand posted; on 31 March rollover into the pool
 * (within the agreement, not at the end of its last year), the pool's return
 * to its contributors (at the end of the agreement's last year) and the
 * lapse of what each holder has left; levels recorded, ledger periods
 * closed. 0 or -1 with b->error. */
int budget_close_day(budget *b, int64_t day);

/* Records a pause event (and a paused day) of intervention k. */
int budget_paused_day(budget *b, int64_t day, size_t k, int first_day_of_pause);

#endif
