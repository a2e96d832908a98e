/* costs.h — the cost library: unit costs as data (MODELS.md § 5).
 *
 * A cost library is a libconfig file (scenarios/costs/default.cfg is the
 * default) with a GDP deflator table (and the release it is from, how it was
 * read and its grade) and a list of unit costs, each with a value, unit,
 * price year, source and grade. A scenario names its library
 * (`cost_library`) and the price year of its outputs (`price_year`); every
 * cost a model reads is rebased to that year by the deflator. */
#ifndef PLACESIM_COSTS_H
#define PLACESIM_COSTS_H

#include <stddef.h>
#include <stdio.h>
#include "scenario.h"

typedef struct cost_entry {
    const char *name, *unit, *price_year, *grade, *source; /* owned by the library */
    double value;                                          /* GBP at price_year */
    double price_index;                                    /* the deflator's index of price_year */
} cost_entry;

typedef struct cost_library cost_library;

/* Where a library's deflator comes from (its deflator_release,
 * deflator_source and deflator_grade keys), owned by the library; the grade
 * is "A" (read from the release's own table), "B" (from a secondary copy)
 * or "C" (reconstructed or not confirmed), as for a cost. */
typedef struct cost_deflator_provenance {
    const char *release, *source, *grade;
} cost_deflator_provenance;

/* Loads and checks the library at `path` (each price year a financial year
 * "YYYY/YY" that the deflator holds). Returns 0 and a library the caller
 * frees with cost_library_free, or -1 and *out = NULL with every error found
 * in err, one "FILE:LINE: key.path: what is wrong" line each. */
int cost_library_load(const char *path, cost_library **out, char *err, size_t errlen);

void cost_library_free(cost_library *lib);

/* The library scenario `s` names (its `cost_library`, relative to the file
 * that set it; "" the compiled-in default), loaded and checked, with the
 * unit costs s overrides (--set costs.NAME=value: that cost's value in its
 * own price year; scenario_apply_cost_overrides) applied, and the
 * scenario's `price_year` checked against its deflator. Same returns as
 * cost_library_load. */
int cost_library_for_scenario(const scenario *s, cost_library **out, char *err, size_t errlen);

/* A unit cost someone reads, and who: for cost_library_check_needed. */
typedef struct cost_need {
    const char *name;      /* the library's name of the cost */
    const char *needed_by; /* who reads it (a model's name), for the message */
} cost_need;

/* Refuses a library that lacks one of the n_needs costs: 0, or -1 with one
 * "FILE: costs: \"NAME\" is missing (needed by model NEEDED_BY)" line per
 * missing cost in err (model_check_costs, model.h, lists what the models
 * need). */
int cost_library_check_needed(const cost_library *lib, const cost_need *needs, size_t n_needs,
                              char *err, size_t errlen);

const char *cost_library_path(const cost_library *lib);
const cost_deflator_provenance *cost_library_deflator(const cost_library *lib);
size_t cost_library_count(const cost_library *lib);
const cost_entry *cost_library_entry(const cost_library *lib, size_t i);
const cost_entry *cost_library_find(const cost_library *lib, const char *name);

/* The deflator's index for a price year ("2024/25"), or 0 if it has none. */
double cost_library_index(const cost_library *lib, const char *price_year);

/* A cost's value at price year `year` (which the deflator must hold; NAN if
 * not): value x index(year) / index(its price year). */
double cost_rebased(const cost_library *lib, const cost_entry *e, const char *year);

/* Canonical text of the library's resolved values (no provenance), for a
 * content hash in manifest.json. Caller frees; NULL when out of memory. */
char *cost_library_canonical_text(const cost_library *lib);

/* Writes the library for `placesim describe costs`: the deflator's years,
 * grade, release and source, then each cost's name, value, unit, price
 * year, grade, value at `year`, source. */
void cost_library_describe(const cost_library *lib, const char *year, FILE *out);

#endif
