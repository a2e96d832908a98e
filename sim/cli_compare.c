/* cli_compare.c — `placesim compare`: arms against a base over whole
 * financial years, as a table on stdout and optionally CSV and JSON files. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"

static const char compare_help[] =
    "usage: placesim compare BASE_DIR ARM_DIR... [options]\n"
    "       placesim compare EXPERIMENT_DIR [options]\n"
    "\n"
    "Compares each arm with the base over whole financial years, from the runs'\n"
    "years.csv: per metric the difference with its 95% interval from paired\n"
    "replications; who pays and who benefits by bearer; the cost-benefit (PV of\n"
    "costs, fiscal and social benefits, NPV, BCR, payback, cost per outcome).\n"
    "Intervals express the runs' randomness only, not parameter uncertainty.\n"
    "\n"
    "  --from FY --to FY  the window, as financial years such as 2026/27 (default:\n"
    "                  every financial year wholly written in every run)\n"
    "  --area NAME     an area (repeatable: the areas are summed as one group;\n"
    "                  default ALL); money by bearer is always the whole place\n"
    "  --metric NAME   a metric (repeatable; default the models' headline metrics)\n"
    "  --discount RATE the discount rate a year (default 0.035, HM Treasury Green Book)\n"
    "  --unpaired      compare runs whose seeds or replications differ, with Welch\n"
    "                  intervals (no ratios, payback or shares)\n"
    "  --csv FILE      also write the numbers as CSV (columns: README.md)\n"
    "  --json FILE     also write them as JSON (keys: README.md)\n";

typedef struct compare_cli {
    const char **dirs, **areas, **metrics;
    size_t n_dirs, n_areas, n_metrics;
    const char *csv, *json;
    compare_options opt;
} compare_cli;

/* 0, EXIT_USAGE after a message, or -1 after --help. */
static int parse(int argc, char **argv, compare_cli *c)
{
    c->opt.discount_rate = 0.035;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *value;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(compare_help, stdout);
            return -1;
        } else if (strcmp(arg, "--unpaired") == 0) {
            c->opt.unpaired = 1;
        } else if (arg[0] == '-' && arg[1] == '-') {
            static const char *const valued[] = { "--from", "--to", "--area", "--metric",
                                                  "--discount", "--csv", "--json" };
            size_t k = 0;
            while (k < 7 && !cli_is_option(arg, valued[k])) k++;
            if (k == 7) return cli_usage_error("compare", "unknown option '%s'", arg);
            if (!(value = cli_option_value(argc, argv, &i, valued[k])) || !*value)
                return cli_usage_error("compare", "%s needs a value", valued[k]);
            if (k == 0) c->opt.from_year = value;
            else if (k == 1) c->opt.to_year = value;
            else if (k == 2) c->areas[c->n_areas++] = value;
            else if (k == 3) c->metrics[c->n_metrics++] = value;
            else if (k == 5) c->csv = value;
            else if (k == 6) c->json = value;
            else {
                char *end;
                errno = 0;
                c->opt.discount_rate = strtod(value, &end);
                if (*end || errno || !isfinite(c->opt.discount_rate))
                    return cli_usage_error("compare", "--discount '%s' is not a number "
                                           "(0.035 is 3.5%% a year)", value);
            }
        } else {
            c->dirs[c->n_dirs++] = arg;
        }
    }
    if (c->n_dirs == 0)
        return cli_usage_error("compare", "give a base and arm run directories, or an experiment directory");
    c->opt.areas = c->areas;
    c->opt.n_areas = c->n_areas;
    c->opt.metrics = c->metrics;
    c->opt.n_metrics = c->n_metrics;
    return 0;
}

/* Writes the document to path with `write`: 0, or EXIT_FAILURE_DATA after a message. */
static int write_file(const char *path, const json_t *doc, int as_json)
{
    FILE *f = fopen(path, "w");
    int status = f ? 0 : -1;
    if (f && as_json) status = json_dumpf(doc, f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF;
    else if (f) status = compare_write_csv(f, doc);
    if (f && fclose(f) != 0) status = -1;
    if (status != 0) {
        fprintf(stderr, "placesim compare: %s: cannot write (%s)\n", path, strerror(errno));
        return EXIT_FAILURE_DATA;
    }
    return 0;
}

int cli_compare(int argc, char **argv)
{
    compare_cli c = { 0 };
    size_t cap = argc > 0 ? (size_t)argc : 1;
    c.dirs = malloc(cap * sizeof *c.dirs);
    c.areas = malloc(cap * sizeof *c.areas);
    c.metrics = malloc(cap * sizeof *c.metrics);
    int status = c.dirs && c.areas && c.metrics ? parse(argc, argv, &c) : EXIT_FAILURE_DATA;
    json_t *doc = NULL;
    char err[2048] = "out of memory";
    if (status == 0) {
        status = compare_json(c.dirs, c.n_dirs, &c.opt, &doc, err, sizeof err);
        if (status == EXIT_USAGE)
            fprintf(stderr, "placesim compare: %s (try placesim compare --help)\n", err);
        else if (status != 0)
            fprintf(stderr, "placesim compare: %s\n", err);
    } else if (status == EXIT_FAILURE_DATA) {
        fprintf(stderr, "placesim compare: %s\n", err);
    }
    if (status == 0 && c.csv) status = write_file(c.csv, doc, 0);
    if (status == 0 && c.json) status = write_file(c.json, doc, 1);
    if (status == 0 && (compare_write_table(stdout, doc) != 0 || fflush(stdout) != 0)) {
        fprintf(stderr, "placesim compare: cannot write the table (%s)\n", strerror(errno));
        status = EXIT_FAILURE_DATA;
    }
    json_decref(doc);
    free(c.dirs);
    free(c.areas);
    free(c.metrics);
    return status < 0 ? 0 : status;
}
