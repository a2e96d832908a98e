/* compare.h — `placesim compare`: an arm against a base, over whole
 * financial years, from the runs' years.csv (MODELS.md § 6; the document's
 * keys are a contract, README.md "Comparing runs"). */
#ifndef PLACESIM_COMPARE_H
#define PLACESIM_COMPARE_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

typedef struct compare_options {
    const char *from_year, *to_year; /* "2026/27"; NULL: the default window */
    const char *const *areas;
    size_t n_areas; /* none: ALL */
    const char *const *metrics;
    size_t n_metrics;     /* none: every model's headline metrics */
    double discount_rate; /* default 0.035 */
    int unpaired;         /* Welch instead of paired */
} compare_options;

/* Loads dirs (base first: run directories, or one experiment directory),
 * compares every arm with the base and returns the document that
 * `placesim compare --json FILE` writes (new reference in *out). Returns 0;
 * 2 for a usage problem (unknown metric or area, window outside the run, bad
 * year label) or 1 for bad data (missing/corrupt manifest.json or years.csv,
 * mismatched seeds or replications without unpaired), each with a one-line
 * reason in err. */
int compare_json(const char *const *dirs, size_t n_dirs, const compare_options *opt, json_t **out,
                 char *err, size_t errlen);

/* The terminal table of a compare_json document (its numbers rounded for
 * reading, nothing recomputed). Returns 0, or -1 when out fails. */
int compare_write_table(FILE *out, const json_t *doc);

/* The same numbers as CSV (columns: README.md "Comparing runs"), at full
 * precision. Returns 0, or -1 when out fails. */
int compare_write_csv(FILE *out, const json_t *doc);

/* --- a sweep's results database (README.md "Across a sweep") --- */

/* 1 when path is a regular file starting with SQLite's 16-byte header
 * "SQLite format 3\0" (a sweep's results database), else 0. */
int compare_is_database(const char *path);

/* The cost-benefit of every non-base arm (or only `arm`, when not NULL)
 * against the base arm (arm 0) at every point of the sweep database
 * db_path, and its distribution across points: the document of
 * `placesim compare RESULTS.db --json` (new reference in *out). The
 * database is opened read-only and never written; memory holds one point's
 * runs at a time. opt's window and discount rate apply; areas, metrics and
 * unpaired are refused. Returns 0; 2 for a usage problem (schema version,
 * one arm, no money kept, unknown or base --arm, bad window) or 1 for bad
 * data (not a readable results database, rows that do not add up, no
 * point with every replication ok), each with a one-line reason in err. */
int compare_sweep_json(const char *db_path, const compare_options *opt, const char *arm,
                       json_t **out, char *err, size_t errlen);

/* The terminal table of a compare_sweep_json document. 0, or -1 when out
 * fails. */
int compare_sweep_write_table(FILE *out, const json_t *doc);

/* The per-point figures as CSV, one row per (arm, point) (columns: README.md
 * "Across a sweep"), at full precision. 0, or -1 when out fails. */
int compare_sweep_write_csv(FILE *out, const json_t *doc);

#endif
