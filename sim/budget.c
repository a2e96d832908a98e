/* budget.c — allocations, the pool, spending, rollover and lapse, with the
 * ledger identity checked at every posting (MODELS.md § 5). */
#include "budget.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

static const metric_spec money_metrics[] = {
    METRIC_ALL_ONLY_ROW("spend_housing", METRIC_MONEY, "GBP",
                        "intervention spend from the housing budget"),
    METRIC_ALL_ONLY_ROW("spend_police", METRIC_MONEY, "GBP",
                        "intervention spend from the police budget"),
    METRIC_ALL_ONLY_ROW("spend_probation", METRIC_MONEY, "GBP",
                        "intervention spend from the probation budget"),
    METRIC_ALL_ONLY_ROW("spend_prisons", METRIC_MONEY, "GBP",
                        "intervention spend from the prisons budget"),
    METRIC_ALL_ONLY_ROW("spend_council", METRIC_MONEY, "GBP",
                        "intervention spend from the council budget"),
    METRIC_ALL_ONLY_ROW("spend_health", METRIC_MONEY, "GBP",
                        "intervention spend from the health budget"),
    METRIC_ALL_ONLY_ROW("spend_pool", METRIC_MONEY, "GBP", "intervention spend from the pool"),
    METRIC_ALL_ONLY_ROW("budget_left_housing", METRIC_LEVEL_END, "GBP", "housing's unspent budget"),
    METRIC_ALL_ONLY_ROW("budget_left_police", METRIC_LEVEL_END, "GBP",
                        "the police's unspent budget"),
    METRIC_ALL_ONLY_ROW("budget_left_probation", METRIC_LEVEL_END, "GBP",
                        "probation's unspent budget"),
    METRIC_ALL_ONLY_ROW("budget_left_prisons", METRIC_LEVEL_END, "GBP", "prisons' unspent budget"),
    METRIC_ALL_ONLY_ROW("budget_left_council", METRIC_LEVEL_END, "GBP",
                        "the council's unspent budget"),
    METRIC_ALL_ONLY_ROW("budget_left_health", METRIC_LEVEL_END, "GBP", "health's unspent budget"),
    METRIC_ALL_ONLY_ROW("pool_balance", METRIC_LEVEL_END, "GBP", "the pooled fund's balance"),
};
/* Where money_metrics' rows start: each holder's spend (in ledger agency
 * order), the pool's spend, each holder's unspent budget, the pool's
 * balance. */
enum {
    SPEND_POOL_ROW = BUDGET_HOLDERS,
    LEFT_ROW,
    POOL_BALANCE_ROW = LEFT_ROW + BUDGET_HOLDERS,
    MONEY_ROWS
};
_Static_assert(
    sizeof money_metrics / sizeof money_metrics[0] == MONEY_ROWS,
    "money_metrics: a spend and an unspent budget per holder, the pool's spend and balance");

static const metric_spec demand_metrics[] = {
    METRIC_ALL_ONLY_ROW("demand_cost_housing", METRIC_MONEY, "GBP",
                        "demand costs borne by housing"),
    METRIC_ALL_ONLY_ROW("demand_cost_police", METRIC_MONEY, "GBP",
                        "demand costs borne by the police"),
    METRIC_ALL_ONLY_ROW("demand_cost_probation", METRIC_MONEY, "GBP",
                        "demand costs borne by probation"),
    METRIC_ALL_ONLY_ROW("demand_cost_prisons", METRIC_MONEY, "GBP",
                        "demand costs borne by prisons"),
    METRIC_ALL_ONLY_ROW("demand_cost_council", METRIC_MONEY, "GBP",
                        "demand costs borne by the council"),
    METRIC_ALL_ONLY_ROW("demand_cost_health", METRIC_MONEY, "GBP", "demand costs borne by health"),
    METRIC_ALL_ONLY_ROW("demand_cost_courts", METRIC_MONEY, "GBP",
                        "demand costs borne by the courts"),
    METRIC_ALL_ONLY_ROW("demand_cost_victims", METRIC_MONEY, "GBP",
                        "costs borne by victims (social value, never a cashable saving)"),
};

/* Pooled runs only: what each holder put into the pool and got back. */
static const metric_spec pool_metrics[] = {
    METRIC_ALL_ONLY_ROW("pool_in_housing", METRIC_MONEY, "GBP",
                        "put into the pool by housing (pool_in + rollover)"),
    METRIC_ALL_ONLY_ROW("pool_in_police", METRIC_MONEY, "GBP",
                        "put into the pool by the police (pool_in + rollover)"),
    METRIC_ALL_ONLY_ROW("pool_in_probation", METRIC_MONEY, "GBP",
                        "put into the pool by probation (pool_in + rollover)"),
    METRIC_ALL_ONLY_ROW("pool_in_prisons", METRIC_MONEY, "GBP",
                        "put into the pool by prisons (pool_in + rollover)"),
    METRIC_ALL_ONLY_ROW("pool_in_council", METRIC_MONEY, "GBP",
                        "put into the pool by the council (pool_in + rollover)"),
    METRIC_ALL_ONLY_ROW("pool_in_health", METRIC_MONEY, "GBP",
                        "put into the pool by health (pool_in + rollover)"),
    METRIC_ALL_ONLY_ROW("pool_return_housing", METRIC_MONEY, "GBP",
                        "returned by the pool to housing at the end of its agreement"),
    METRIC_ALL_ONLY_ROW("pool_return_police", METRIC_MONEY, "GBP",
                        "returned by the pool to the police at the end of its agreement"),
    METRIC_ALL_ONLY_ROW("pool_return_probation", METRIC_MONEY, "GBP",
                        "returned by the pool to probation at the end of its agreement"),
    METRIC_ALL_ONLY_ROW("pool_return_prisons", METRIC_MONEY, "GBP",
                        "returned by the pool to prisons at the end of its agreement"),
    METRIC_ALL_ONLY_ROW("pool_return_council", METRIC_MONEY, "GBP",
                        "returned by the pool to the council at the end of its agreement"),
    METRIC_ALL_ONLY_ROW("pool_return_health", METRIC_MONEY, "GBP",
                        "returned by the pool to health at the end of its agreement"),
};
_Static_assert(sizeof pool_metrics / sizeof pool_metrics[0] == 2 * BUDGET_HOLDERS,
               "pool_metrics: a pool_in then a pool_return per holder");

const metric_spec *budget_pool_metrics(size_t *n)
{
    *n = sizeof pool_metrics / sizeof pool_metrics[0];
    return pool_metrics;
}

const metric_spec *budget_money_metrics(size_t *n)
{
    *n = sizeof money_metrics / sizeof money_metrics[0];
    return money_metrics;
}

const metric_spec *budget_demand_metrics(size_t *n)
{
    *n = sizeof demand_metrics / sizeof demand_metrics[0];
    return demand_metrics;
}

static int64_t to_pence(double pounds) { return (int64_t)llround(pounds * 100.0); }

int budget_year_label_parse(const char *label, int *fy)
{
    for (int i = 0; i < 7; i++) {
        if (i == 4 ? label[i] != '/' : !isdigit((unsigned char)label[i])) return -1;
    }
    if (label[7] != '\0') return -1;
    int year = atoi(label);
    int next = (label[5] - '0') * 10 + (label[6] - '0');
    if (year < 1 || year > 9998 || next != (year + 1) % 100) return -1;
    *fy = year;
    return 0;
}

/* Whether intervention entry e is funded by the pool (with dates that
 * parse), and then its first and last financial years. */
static int pool_funded_span(const scn_node *e, int *first_fy, int *last_fy)
{
    const scn_node *funder = scn_member(e, "funder");
    int64_t start, end;
    if (!funder || funder->type != SCN_STRING || strcmp(funder->string_value, "pool") != 0 ||
        date_parse(scn_member_string(e, "start"), &start) != 0 ||
        date_parse(scn_member_string(e, "end"), &end) != 0) {
        return 0;
    }
    *first_fy = date_financial_year(start);
    *last_fy = date_financial_year(end);
    return 1;
}

/* Each pool-funded intervention's first and last financial years. Returns
 * how many there are. */
static size_t pool_funded_years(const scenario *s, int *first_fy, int *last_fy)
{
    const scn_node *list = scenario_find(s, "interventions");
    size_t n = 0;
    for (size_t i = 0; list && i < list->n_children; i++) {
        int a, z;
        if (!pool_funded_span(list->children[i], &a, &z)) continue;
        if (n == 0 || a < *first_fy) *first_fy = a;
        if (n == 0 || z > *last_fy) *last_fy = z;
        n++;
    }
    return n;
}

int budget_agreement(const scenario *s, int *from_fy, int *to_fy)
{
    if (strcmp(scenario_string(s, "budgets.regime"), "pooled") != 0) return 0;
    const char *from = scenario_string(s, "budgets.pool_years.from");
    const char *to = scenario_string(s, "budgets.pool_years.to");
    int first = 0, last = 0;
    size_t funded = pool_funded_years(s, &first, &last);
    if (!funded && !from[0] && !to[0]) return 0;
    if (!from[0] || budget_year_label_parse(from, from_fy) != 0) *from_fy = funded ? first : 0;
    if (!to[0] || budget_year_label_parse(to, to_fy) != 0) *to_fy = funded ? last : 0;
    /* One end given and no intervention to default the other from: a
     * one-year agreement. */
    if (!funded && !from[0]) *from_fy = *to_fy;
    if (!funded && !to[0]) *to_fy = *from_fy;
    return 1;
}

static void label_of(int fy, char out[16]) { snprintf(out, 16, "%04d/%02d", fy, (fy + 1) % 100); }

void budget_check_scenario(const scenario *s, char *err, size_t errlen)
{
    static const char *const keys[2] = { "budgets.pool_years.from", "budgets.pool_years.to" };
    int fy[2] = { 0, 0 }, bad = 0;
    for (int k = 0; k < 2; k++) {
        const scn_node *n = scenario_find(s, keys[k]);
        if (!n || n->type != SCN_STRING || !n->string_value[0]) continue;
        if (budget_year_label_parse(n->string_value, &fy[k]) != 0) {
            scenario_error_append(err, errlen, n->file, n->line,
                                  "%s: \"%s\" is not a financial year; write it as \"2026/27\" "
                                  "(1 April 2026 to 31 March 2027)",
                                  keys[k], n->string_value);
            bad = 1;
        }
    }
    if (bad) return;
    int from, to;
    if (!budget_agreement(s, &from, &to)) return;
    if (from > to) {
        const scn_node *n = scenario_find(s, keys[0]);
        char a[16], z[16];
        label_of(from, a);
        label_of(to, z);
        scenario_error_append(err, errlen, n->file, n->line,
                              "%s: the agreement's first year %s is after its last, %s", keys[0], a,
                              z);
        return;
    }
    const scn_node *list = scenario_find(s, "interventions");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *e = list->children[i];
        int a, z;
        if (!pool_funded_span(e, &a, &z) || (a >= from && z <= to)) continue;
        const scn_node *at = scn_member(e, a < from ? "start" : "end");
        char lo[16], hi[16];
        label_of(from, lo);
        label_of(to, hi);
        scenario_error_append(err, errlen, at->file, at->line,
                              "interventions.%s.%s: %s is outside the pool's agreement (budgets."
                              "pool_years %s to %s); a pool-funded intervention can only be "
                              "active while the pool is",
                              scn_member_string(e, "name"), a < from ? "start" : "end",
                              at->string_value, lo, hi);
    }
}

int budget_init(budget *b, const scenario *s, recorder *rec, int64_t first_day, int64_t last_day,
                period_kind period)
{
    memset(b, 0, sizeof *b);
    static const char *const holder_keys[BUDGET_HOLDERS] = {
        "budgets.housing", "budgets.police",  "budgets.probation",
        "budgets.prisons", "budgets.council", "budgets.health",
    };
    static const char *const share_keys[BUDGET_HOLDERS] = {
        "budgets.pool_share.housing", "budgets.pool_share.police",  "budgets.pool_share.probation",
        "budgets.pool_share.prisons", "budgets.pool_share.council", "budgets.pool_share.health",
    };
    b->pooled = strcmp(scenario_string(s, "budgets.regime"), "pooled") == 0;
    for (int h = 0; h < BUDGET_HOLDERS; h++) {
        b->annual_pence[h] = to_pence(scenario_float(s, holder_keys[h]));
        b->pool_share[h] = b->pooled ? scenario_float(s, share_keys[h]) : 0.0;
    }
    b->rollover_share = b->pooled ? scenario_float(s, "budgets.rollover_share") : 0.0;
    b->has_agreement = budget_agreement(s, &b->agreement_from, &b->agreement_to);
    b->pool_in_metric = b->pool_return_metric = -1;
    b->rec = rec;
    b->first_day = first_day;
    b->ledger = ledger_create(first_day, last_day, period);
    if (!b->ledger) return -1;
    b->demand_metric =
        recorder_declare(rec, demand_metrics, sizeof demand_metrics / sizeof demand_metrics[0]);
    b->spend_metric = recorder_declare(rec, money_metrics, MONEY_ROWS);
    if (b->demand_metric < 0 || b->spend_metric < 0) return -1;
    b->left_metric = b->spend_metric + LEFT_ROW;
    b->pool_metric = b->spend_metric + POOL_BALANCE_ROW;
    if (b->pooled) {
        b->pool_in_metric =
            recorder_declare(rec, pool_metrics, sizeof pool_metrics / sizeof pool_metrics[0]);
        if (b->pool_in_metric < 0) return -1;
        b->pool_return_metric = b->pool_in_metric + BUDGET_HOLDERS;
    }
    return 0;
}

void budget_free(budget *b)
{
    ledger_destroy(b->ledger);
    for (size_t k = 0; k < b->n_interventions; k++) free((char *)b->interventions[k].name);
    free(b->interventions);
    free(b->events);
    free(b->demand);
    memset(b, 0, sizeof *b);
}

long budget_register(budget *b, const char *name, int agency)
{
    if (b->n_interventions == b->cap_interventions) {
        size_t cap = b->cap_interventions ? 2 * b->cap_interventions : 8;
        budget_intervention *grown = realloc(b->interventions, cap * sizeof *grown);
        if (!grown) return -1;
        b->interventions = grown;
        b->cap_interventions = cap;
    }
    char refusals[300], paused[300];
    snprintf(refusals, sizeof refusals, "refusals_%s", name);
    snprintf(paused, sizeof paused, "paused_days_%s", name);
    metric_spec specs[2] = {
        METRIC_ALL_ONLY_ROW(refusals, METRIC_COUNT, "cases",
                            "cases refused (or set-up unpaid) for want of money"),
        METRIC_ALL_ONLY_ROW(paused, METRIC_COUNT, "days",
                            "days paused because its funder had run out"),
    };
    int first = recorder_declare(b->rec, specs, 2);
    char *copy = malloc(strlen(name) + 1);
    if (first < 0 || !copy) {
        free(copy);
        return -1;
    }
    strcpy(copy, name);
    b->interventions[b->n_interventions] = (budget_intervention){ copy, agency, first, first + 1 };
    return (long)b->n_interventions++;
}

/* Posts an entry and checks the identity for its agency: the sum of its
 * non-demand entries must equal what the budget holds. */
static int post(budget *b, int64_t day, int agency, enum ledger_category category, const char *item,
                int64_t pence)
{
    if (ledger_post(b->ledger, day, (enum ledger_agency)agency, category, item, pence) != 0) {
        snprintf(b->error, sizeof b->error, "ledger: cannot post %s %s %s (out of memory?)",
                 ledger_agency_names[agency], ledger_category_names[category], item);
        return -1;
    }
    if (category != LEDGER_DEMAND) b->left[agency] += pence;
    if (agency != LEDGER_COURTS && agency != LEDGER_VICTIMS &&
        ledger_balance(b->ledger, (enum ledger_agency)agency) != b->left[agency]) {
        char amount[32], date[11];
        ledger_format_pence(pence, amount);
        date_format(day, date);
        snprintf(b->error, sizeof b->error,
                 "ledger identity broken at %s %s %s %s %s: entries sum to %lld pence, "
                 "budget_left is %lld",
                 date, ledger_agency_names[agency], ledger_category_names[category], item, amount,
                 (long long)ledger_balance(b->ledger, (enum ledger_agency)agency),
                 (long long)b->left[agency]);
        return -1;
    }
    return 0;
}

static int is_first_of_april(int64_t day)
{
    int y, m, d;
    date_to_civil(day, &y, &m, &d);
    return m == 4 && d == 1;
}

static int is_31_march(int64_t day)
{
    int y, m, d;
    date_to_civil(day, &y, &m, &d);
    return m == 3 && d == 31;
}

/* 1 when financial year fy is one of the pool's agreement. */
static int in_agreement(const budget *b, int fy)
{
    return b->has_agreement && fy >= b->agreement_from && fy <= b->agreement_to;
}

/* Holder h pays `pence` into the pool (pool_in or rollover), counted
 * towards its share of the pool's return. */
static int pay_into_pool(budget *b, int64_t day, int h, enum ledger_category category,
                         const char *item, int64_t pence)
{
    if (post(b, day, h, category, item, -pence) != 0 ||
        post(b, day, LEDGER_POOL, category, ledger_agency_names[h], pence) != 0) {
        return -1;
    }
    b->contributed[h] += pence;
    recorder_add(b->rec, b->pool_in_metric + h, 0, (double)pence / 100.0);
    return 0;
}

/* Allocations for the financial year that starts today, pro rata by days
 * for a partial first year, then, in the agreement's years, the pool's
 * shares. */
int budget_open_day(budget *b, int64_t day)
{
    if (day != b->first_day && !is_first_of_april(day)) return 0;
    int fy = date_financial_year(day);
    int contributing = in_agreement(b, fy);
    double days_in_year =
        (double)(date_financial_year_start(fy + 1) - date_financial_year_start(fy));
    double days_left = (double)(date_financial_year_start(fy + 1) - day);
    for (int h = 0; h < BUDGET_HOLDERS; h++) {
        if (b->annual_pence[h] == 0) continue;
        int64_t allocation =
            (int64_t)llround((double)b->annual_pence[h] * days_left / days_in_year);
        if (post(b, day, h, LEDGER_BUDGET, "allocation", allocation) != 0) return -1;
        int64_t share = contributing ? (int64_t)llround((double)allocation * b->pool_share[h]) : 0;
        if (share != 0 && pay_into_pool(b, day, h, LEDGER_POOL_IN, "contribution", share) != 0) {
            return -1;
        }
    }
    return 0;
}

static int add_event(budget *b, int64_t day, size_t k, const char *what)
{
    if (b->n_events > 0) {
        budget_event *last = &b->events[b->n_events - 1];
        if (last->day == day && last->intervention == k && strcmp(last->what, what) == 0) {
            last->count++;
            return 0;
        }
    }
    if (b->n_events == b->cap_events) {
        size_t cap = b->cap_events ? 2 * b->cap_events : 64;
        budget_event *grown = realloc(b->events, cap * sizeof *grown);
        if (!grown) return -1;
        b->events = grown;
        b->cap_events = cap;
    }
    b->events[b->n_events++] = (budget_event){ day, k, what, 1 };
    return 0;
}

int budget_pay(budget *b, int64_t day, size_t k, double pounds, int count_refusal,
               const char *refusal)
{
    if (k >= b->n_interventions) {
        snprintf(b->error, sizeof b->error, "payment for unknown intervention %zu", k);
        return -1;
    }
    if (day < b->first_day) {
        snprintf(b->error, sizeof b->error, "intervention %s paid during the warm-up",
                 b->interventions[k].name);
        return -1;
    }
    int64_t pence = to_pence(pounds);
    if (pence <= 0) return 1;
    const budget_intervention *iv = &b->interventions[k];
    if (b->left[iv->agency] < pence) {
        if (count_refusal) {
            recorder_add(b->rec, iv->refusals_metric, 0, 1);
            if (add_event(b, day, k, refusal) != 0) {
                snprintf(b->error, sizeof b->error, "out of memory");
                return -1;
            }
        }
        return 0;
    }
    if (post(b, day, iv->agency, LEDGER_INTERVENTION, iv->name, -pence) != 0) return -1;
    int spend = iv->agency == LEDGER_POOL ? SPEND_POOL_ROW : iv->agency;
    recorder_add(b->rec, b->spend_metric + spend, 0, (double)pence / 100.0);
    return 1;
}

int budget_paused_day(budget *b, int64_t day, size_t k, int first_day_of_pause)
{
    if (k >= b->n_interventions) return -1;
    recorder_add(b->rec, b->interventions[k].paused_metric, 0, 1);
    if (first_day_of_pause && add_event(b, day, k, "paused: its funder has run out") != 0) {
        snprintf(b->error, sizeof b->error, "out of memory");
        return -1;
    }
    return 0;
}

int budget_demand(budget *b, int bearer, const char *item, int64_t pence)
{
    /* Items are literals the models keep alive, so the same pointer is the
     * same item; the same text at another address (a literal of another
     * file) is found by the second loop. */
    for (size_t i = 0; i < b->n_demand; i++) {
        if (b->demand[i].bearer == bearer && b->demand[i].item == item) {
            b->demand[i].pence += pence;
            return 0;
        }
    }
    for (size_t i = 0; i < b->n_demand; i++) {
        if (b->demand[i].bearer == bearer && strcmp(b->demand[i].item, item) == 0) {
            b->demand[i].pence += pence;
            return 0;
        }
    }
    if (b->n_demand == b->cap_demand) {
        size_t cap = b->cap_demand ? 2 * b->cap_demand : 32;
        demand_accumulator *grown = realloc(b->demand, cap * sizeof *grown);
        if (!grown) return -1;
        b->demand = grown;
        b->cap_demand = cap;
    }
    b->demand[b->n_demand++] = (demand_accumulator){ bearer, item, pence };
    return 0;
}

/* The end of the agreement: the pool's balance goes back to the holders in
 * proportion to what each put in over the agreement, each share rounded to
 * the nearest penny (halves up) and the pennies that rounding leaves over
 * or takes (at most one per holder) given to or taken from the largest
 * contributor (the first in holder order on a tie), so the pool ends at
 * exactly zero. The products are formed in 128 bits: a pool of a billion
 * pounds times a contribution of a billion is 10^22 pence squared. */
static int return_pool(budget *b, int64_t day)
{
    int64_t balance = b->left[LEDGER_POOL], total = 0;
    int largest = 0;
    for (int h = 0; h < BUDGET_HOLDERS; h++) {
        total += b->contributed[h];
        if (b->contributed[h] > b->contributed[largest]) largest = h;
    }
    if (balance == 0 || total <= 0) return 0;
    int64_t share[BUDGET_HOLDERS], given = 0;
    for (int h = 0; h < BUDGET_HOLDERS; h++) {
        __int128 twice = (__int128)2 * balance * b->contributed[h];
        share[h] = (int64_t)((twice + total) / ((__int128)2 * total));
        given += share[h];
    }
    share[largest] += balance - given;
    for (int h = 0; h < BUDGET_HOLDERS; h++) {
        if (share[h] == 0) continue;
        if (post(b, day, LEDGER_POOL, LEDGER_POOL_RETURN, ledger_agency_names[h], -share[h]) != 0 ||
            post(b, day, h, LEDGER_POOL_RETURN, "from_pool", share[h]) != 0) {
            return -1;
        }
        recorder_add(b->rec, b->pool_return_metric + h, 0, (double)share[h] / 100.0);
    }
    return 0;
}

int budget_close_day(budget *b, int64_t day)
{
    /* Demand costs: one entry per (bearer, item) a day, the sum of charges
     * each rounded to the penny once (sim_charge_demand), and the series take
     * the same pence, so they sum to the ledger. */
    for (size_t i = 0; i < b->n_demand; i++) {
        demand_accumulator *d = &b->demand[i];
        int64_t pence = d->pence;
        d->pence = 0;
        if (pence == 0) continue;
        if (post(b, day, d->bearer, LEDGER_DEMAND, d->item, -pence) != 0) return -1;
        recorder_add(b->rec, b->demand_metric + d->bearer, 0, (double)pence / 100.0);
    }
    if (is_31_march(day)) {
        /* Rollover, the pool's return, then the lapse of what is left: the
         * category order of the ledger. */
        int fy = date_financial_year(day);
        int rolling = in_agreement(b, fy) && fy < b->agreement_to;
        for (int h = 0; rolling && h < BUDGET_HOLDERS; h++) {
            int64_t roll = (int64_t)llround((double)b->left[h] * b->rollover_share);
            if (roll != 0 && pay_into_pool(b, day, h, LEDGER_ROLLOVER, "to_pool", roll) != 0) {
                return -1;
            }
        }
        if (b->has_agreement && fy == b->agreement_to && return_pool(b, day) != 0) return -1;
        for (int h = 0; h < BUDGET_HOLDERS; h++) {
            if (b->left[h] != 0 && post(b, day, h, LEDGER_LAPSE, "unspent", -b->left[h]) != 0) {
                return -1;
            }
        }
    }
    for (int h = 0; h < BUDGET_HOLDERS; h++) {
        recorder_level(b->rec, b->left_metric + h, 0, (double)b->left[h] / 100.0);
    }
    recorder_level(b->rec, b->pool_metric, 0, (double)b->left[LEDGER_POOL] / 100.0);
    if (ledger_end_day(b->ledger, day) != 0) {
        snprintf(b->error, sizeof b->error, "ledger: out of memory");
        return -1;
    }
    return 0;
}
