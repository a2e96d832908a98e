/* compare.h — `placesim compare` as a library call (CONTRACTS.md § 5, issue 8).
 *
 * TEMPORARY in the report branch (issue8-d): written exactly as the contract
 * so that `placesim report` builds; the compare branch (issue8-c) owns this
 * header and replaces it at merge. */
#ifndef PLACESIM_COMPARE_H
#define PLACESIM_COMPARE_H

#include <stddef.h>
#include <jansson.h>

typedef struct compare_options {
    const char *from_year, *to_year;          /* "2026/27"; NULL: the default window */
    const char *const *areas; size_t n_areas; /* none: ALL */
    const char *const *metrics; size_t n_metrics; /* none: every model's headline metrics */
    double discount_rate;                      /* default 0.035 */
    int unpaired;                              /* Welch instead of paired */
} compare_options;

/* Loads dirs (base first: run directories, or one experiment directory),
 * compares every arm with the base and returns the document that
 * `placesim compare --json FILE` writes (new reference in *out). Returns 0;
 * 2 for a usage problem (unknown metric or area, window outside the run, bad
 * year label) or 1 for bad data (missing/corrupt manifest.json or years.csv,
 * mismatched seeds or replications without unpaired), each with a one-line
 * reason in err. */
int compare_json(const char *const *dirs, size_t n_dirs, const compare_options *opt,
                 json_t **out, char *err, size_t errlen);

#endif
