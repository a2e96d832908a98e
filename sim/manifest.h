/* manifest.h — manifest.json: what was run, from what, with which seeds. */
#ifndef PLACESIM_MANIFEST_H
#define PLACESIM_MANIFEST_H

#include <stdio.h>
#include "engine.h"
#include "targets.h"

typedef struct manifest_info {
    const char *version;
    const char *subcommand; /* "run" */
    int argc;               /* its arguments, recorded as given */
    char *const *argv;
    const run_config *cfg;
    const replication_result *results;
    unsigned n_reps;
    double wall_seconds;
    const target_result *targets;
    size_t n_targets;
} manifest_info;

/* Writes the manifest as one JSON object. Returns 0, or -1 on a write error
 * or when out of memory. */
int manifest_write(FILE *out, const manifest_info *info);

#endif
