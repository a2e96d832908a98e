/* cli.h — the subcommands of the placesim binary. Each takes the arguments
 * after its name and returns the process exit status: 0 success, 2 usage
 * error, 1 bad data or failure (always after a one-line reason on stderr). */
#ifndef PLACESIM_CLI_H
#define PLACESIM_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "costs.h"
#include "engine.h"
#include "place.h"
#include "scenario.h"

enum { EXIT_USAGE = 2, EXIT_FAILURE_DATA = 1 };

int cli_run(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_describe(int argc, char **argv);
int cli_calibrate(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_sensitivity(int argc, char **argv);

/* A scenario loaded against the registry's tables, with its place built and
 * every model's own checks passed. */
typedef struct loaded_scenario {
    scenario *scn;
    place place;
    const model_def *const *models; /* the models it runs (its `models` key), owned */
    size_t n_models;
    cost_library *costs; /* the library it names, holding every cost the models need */
} loaded_scenario;

/* Loads and checks; on failure prints every error line to stderr and
 * returns -1 (nothing to free). */
int cli_load_scenario(const char *path, const char *const *overrides, size_t n_overrides,
                      loaded_scenario *out);
void cli_free_scenario(loaded_scenario *ls);

/* cli_load_scenario without printing: 0, or -1 (nothing to free) with every
 * error line in err (errlen > 0). For loaders of their own (sweeps) that
 * report the scenario's errors in their own terms. */
int cli_load_scenario_quiet(const char *path, const char *const *overrides, size_t n_overrides,
                            loaded_scenario *out, char *err, size_t errlen);

/* --- arguments (cli_args.c): one syntax for every subcommand ------------ */

enum { CLI_MAX_OVERRIDES = 256 };

/* The --set overrides of one command line, in order. */
typedef struct cli_overrides {
    const char *items[CLI_MAX_OVERRIDES];
    size_t n;
} cli_overrides;

/* 1 if arg is the option `name`, alone or as "name=value". */
int cli_is_option(const char *arg, const char *name);

/* The value of option `name` at argv[*i]: after '=' or the next argument
 * (then *i advances); NULL when it has none. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name);

/* Prints "placesim COMMAND: <message> (try placesim COMMAND --help)" and
 * returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses a whole number written in decimal digits only (no sign, no space)
 * and at most max; 0, or -1 leaving *value untouched. */
int cli_parse_count(const char *text, unsigned long long max, unsigned long long *value);

/* Takes option `name`'s value at argv[*i] as a whole number in [min, max]:
 * 0, or EXIT_USAGE after a message stating the range. */
int cli_option_count(const char *command, int argc, char **argv, int *i, const char *name,
                     unsigned long long min, unsigned long long max, unsigned long long *value);

/* Takes the --set at argv[*i] into o: 0, or EXIT_USAGE after a message
 * (no value; more than CLI_MAX_OVERRIDES). */
int cli_overrides_add(const char *command, int argc, char **argv, int *i, cli_overrides *o);

/* --- memory (cli_memory.c): the limit stated up front --------------------- */

typedef struct cli_memory_limit {
    size_t bytes; /* the limit given */
    int given;    /* 0: the machine's available memory at the time of the check */
} cli_memory_limit;

/* Parses a size: a number with an optional K, M, G or T (powers of 1024;
 * "8G", "8GB", "8GiB" and "1.5G" are accepted). 0, or -1 leaving *bytes. */
int cli_parse_size(const char *text, size_t *bytes);

/* Takes --max-memory's value at argv[*i]: 0, or EXIT_USAGE after a message. */
int cli_option_size(const char *command, int argc, char **argv, int *i, const char *name,
                    cli_memory_limit *limit);

/* "9.5 GiB", "512 bytes". */
void cli_format_bytes(size_t bytes, char *buf, size_t buflen);

/* Memory that can be allocated now without swapping: the kernel's
 * MemAvailable, or less under a cgroup v2 limit; 0 if unknown. */
size_t cli_available_memory(void);

/* Estimates the peak memory of reps replications of cfg on threads threads
 * (cfg's dates filled) and compares it with the limit (given, or what is
 * available now). With note, writes a "# memory: ..." line there. Returns 0
 * when it fits; -1 after a one-line refusal on stderr stating the estimate,
 * the limit and the largest -j (or replication count) that would fit. */
int cli_memory_check(const char *command, const run_config *cfg, unsigned reps, unsigned threads,
                     const cli_memory_limit *limit, FILE *note);

#endif
