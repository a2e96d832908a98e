/* report_sweep.h — `placesim report RESULTS.db`: one self-contained HTML
 * page about a sweep's results store (README.md § "Sweep results
 * (SQLite)"): what was swept; each kept output's point means against each
 * swept parameter with their replication spread; a heat map per output for
 * a two-parameter grid; Sobol indices for a Saltelli design; with two or
 * more arms and money kept, the cost-benefit across the points. The
 * database is opened read-only. */
#ifndef PLACESIM_REPORT_SWEEP_H
#define PLACESIM_REPORT_SWEEP_H

#include <stddef.h>
#include "html_buf.h"

typedef struct report_sweep_options {
    int argc; /* the command line shown in the page */
    char **argv;
    /* The cost-benefit across points (compare_sweep_json): the window
     * ("2026/27"; NULL: the default) and the discount rate a year (the
     * caller sets it: 0.035 is compare's default). */
    const char *from_year, *to_year;
    double discount_rate;
    const char *money_option; /* the first of --from, --to, --discount given, or NULL:
                                   refused when the sweep has no cost-benefit */
} report_sweep_options;

/* 1 when path is a regular file whose first 16 bytes are SQLite's header
 * ("SQLite format 3\0"): what `placesim report` takes for a sweep database
 * rather than a run directory. 0 otherwise (absent, a directory, shorter,
 * anything else). Never follows a symbolic link to a FIFO or blocks. */
int report_sweep_is_database(const char *path);

/* Builds the page for the results database db_path into out (an
 * initialised hbuf). Returns 0; 2 for a usage problem (a schema version
 * this program does not read; a window or discount rate refused, or given
 * for a sweep without cost-benefit), 1 for bad data (not a placesim results
 * database, inconsistent rows, SQLite errors, out of memory), each with a
 * one-line reason naming the file in err. out is then incomplete. */
int report_sweep_build(const char *db_path, const report_sweep_options *opt, hbuf *out, char *err,
                       size_t errlen);

#endif
