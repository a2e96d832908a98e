/* cli.h — the subcommands of the placesim binary. Each takes the arguments
 * after its name and returns the process exit status: 0 success, 2 usage
 * error, 1 bad data or failure (always after a one-line reason on stderr). */
#ifndef PLACESIM_CLI_H
#define PLACESIM_CLI_H

#include <stddef.h>
#include "costs.h"
#include "engine.h"
#include "place.h"
#include "scenario.h"

enum { EXIT_USAGE = 2, EXIT_FAILURE_DATA = 1 };

int cli_run(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_describe(int argc, char **argv);
int cli_calibrate(int argc, char **argv);

/* A scenario loaded against the registry's tables, with its place built and
 * every model's own checks passed. */
typedef struct loaded_scenario {
    scenario *scn;
    place place;
    const model_def *const *models;
    size_t n_models;
    cost_library *costs;   /* the library it names, holding every cost the models need */
} loaded_scenario;

/* Loads and checks; on failure prints every error line to stderr and
 * returns -1 (nothing to free). */
int cli_load_scenario(const char *path, const char *const *overrides, size_t n_overrides,
                      loaded_scenario *out);
void cli_free_scenario(loaded_scenario *ls);

/* Parses a whole non-negative number; 0 or -1. */
int cli_parse_count(const char *text, unsigned long long max, unsigned long long *value);

#endif
