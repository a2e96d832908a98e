/* ledger.h — every pound of a replication, in integer pence (MODELS.md § 5).
 *
 * An entry is (day, agency, category, item, amount), signed from the
 * agency's side: received positive, paid or borne negative. The ledger keeps
 * entries summed per output period (what ledger.csv holds) and, per agency,
 * the running sum of its non-demand entries, which must equal the agency's
 * budget_left at every moment (the identity the budget module checks). */
#ifndef PLACESIM_LEDGER_H
#define PLACESIM_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "dates.h"
#include "outbuf.h"

/* Agencies in ledger order: the budget holders, the two bearers without
 * budgets, then the pool. The first eight match enum bearer (model.h). */
enum ledger_agency {
    LEDGER_HOUSING,
    LEDGER_POLICE,
    LEDGER_PROBATION,
    LEDGER_PRISONS,
    LEDGER_COUNCIL,
    LEDGER_HEALTH,
    LEDGER_COURTS,
    LEDGER_VICTIMS,
    LEDGER_POOL,
    LEDGER_AGENCIES
};
extern const char *const ledger_agency_names[LEDGER_AGENCIES];

/* Categories in ledger order (MODELS.md § 5): the order of a 31 March too,
 * where rollover into the pool, the pool's return at the end of its
 * agreement and the lapse of what is left follow one another. */
enum ledger_category {
    LEDGER_BUDGET,
    LEDGER_POOL_IN,
    LEDGER_ROLLOVER,
    LEDGER_POOL_RETURN,
    LEDGER_LAPSE,
    LEDGER_INTERVENTION,
    LEDGER_DEMAND,
    LEDGER_CATEGORIES
};
extern const char *const ledger_category_names[LEDGER_CATEGORIES];

typedef struct ledger ledger;

/* A ledger writing days first_day … last_day in periods of `period` (the
 * run's output periods). NULL when out of memory. */
ledger *ledger_create(int64_t first_day, int64_t last_day, period_kind period);
void ledger_destroy(ledger *l);

/* Posts an entry on `day` (a written day, in order). Returns 0, or -1 when
 * out of memory or the day is outside the ledger. */
int ledger_post(ledger *l, int64_t day, enum ledger_agency agency, enum ledger_category category,
                const char *item, int64_t pence);

/* Σ of the agency's non-demand entries so far, in pence. */
int64_t ledger_balance(const ledger *l, enum ledger_agency agency);

/* Σ over the written days so far (closed periods and the open one) of the
 * entries of `category` and `item` (NULL: any item) of `agency` (-1: any
 * agency), in pence. */
int64_t ledger_total(const ledger *l, int agency, enum ledger_category category, const char *item);

/* Closes the periods that end on or before `day` (call after the day's
 * last posting). Returns 0 or -1 when out of memory. */
int ledger_end_day(ledger *l, int64_t day);

/* Writes ledger.csv rows of one replication (no header): one row per
 * period, agency, category and item with entries, sorted in that order
 * (items alphabetically), amounts in pounds with two decimals. 0, or -1 on
 * a write error or out of memory. ledger_format_rows appends the same rows
 * to out: 0, or -1 when out of memory. */
int ledger_format_rows(outbuf *out, const char *scenario, size_t replication, const ledger *l,
                       int64_t start_day);
int ledger_write_rows(FILE *out, const char *scenario, size_t replication, const ledger *l,
                      int64_t start_day);

/* The header line of ledger.csv. */
extern const char ledger_csv_header[];

/* Pence as "[-]pounds.pp" (buf of at least 32 bytes). */
void ledger_format_pence(int64_t pence, char *buf);

#endif
