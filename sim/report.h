/* report.h — `placesim report`: one self-contained HTML page (inline CSS
 * and SVG, no external reference) that answers, for an experiment, "did it
 * work, how sure are we, who paid, who saved, and was it worth it?".
 *
 * Its inputs: run directories (base first) or one experiment directory
 * (experiment.json); each run's manifest.json and series.csv, and the
 * comparison document of compare_json (compare.h), read only through the
 * keys of CONTRACTS.md § 6 (null or missing = n/a). */
#ifndef PLACESIM_REPORT_H
#define PLACESIM_REPORT_H

#include <stddef.h>
#include "compare.h"
#include "html_buf.h"

typedef struct report_options {
    const char *const *metrics; /* --metric; none: every model's headline metrics */
    size_t n_metrics;
    compare_options compare; /* --from, --to, --area, --discount (metrics set here) */
    int argc;                /* the command line shown in the page */
    char **argv;
} report_options;

/* Builds the page for dirs into out (an initialised hbuf). Returns 0; 2 for
 * a usage problem (unknown metric, fewer than two runs, compare's usage
 * errors) or 1 for bad data (a missing or corrupt manifest.json,
 * series.csv or experiment.json, compare's data errors, out of memory),
 * each with a one-line reason in err. */
int report_build(const char *const *dirs, size_t n_dirs, const report_options *opt, hbuf *out,
                 char *err, size_t errlen);

/* The marker that the page's head carries, by which `placesim report` knows
 * a file it may replace without --force. */
#define REPORT_GENERATOR_META "<meta name=\"generator\" content=\"placesim report\">"

#endif
