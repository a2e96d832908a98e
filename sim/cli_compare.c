/* cli_compare.c — `placesim compare`: arms against a base over whole
 * financial years, as a table on stdout and optionally CSV and JSON files;
 * given a sweep's results database, the cost-benefit at every point and its
 * distribution across points. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"

static const char compare_help[] =
    "usage: placesim compare BASE_DIR ARM_DIR... [options]\n"
    "       placesim compare EXPERIMENT_DIR [options]\n"
    "       placesim compare RESULTS.db [--arm NAME] [--from FY] [--to FY] [--discount R]\n"
    "                        [--csv FILE|-] [--json FILE|-]\n"
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
    "  --csv FILE      also write the numbers as CSV (columns: README.md); - for\n"
    "                  stdout instead of the table\n"
    "  --json FILE     also write them as JSON (keys: README.md); - for stdout\n"
    "\n"
    "Given a sweep's results database (a SQLite file from placesim sweep, with two\n"
    "or more arms and its money kept), a probabilistic sensitivity analysis: each\n"
    "other arm's cost-benefit against the base arm at every point (each point's\n"
    "mean over its paired replications, with their 95% interval), and the\n"
    "distribution of those means across points (mean, sd, 5th and 95th\n"
    "percentiles, min, max, share > 0): the parameters' uncertainty beside the\n"
    "runs' own. --area, --metric and --unpaired do not apply to a database.\n"
    "  --arm NAME      only this arm against the base (default: every other arm)\n"
    "  --csv FILE      one row per arm and point (columns: README.md)\n";

typedef struct compare_cli {
    const char **dirs, **areas, **metrics;
    size_t n_dirs, n_areas, n_metrics;
    const char *csv, *json, *arm;
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
            static const char *const valued[] = { "--from",     "--to",  "--area", "--metric",
                                                  "--discount", "--csv", "--json", "--arm" };
            size_t k = 0;
            while (k < 8 && !cli_is_option(arg, valued[k])) k++;
            if (k == 8) return cli_usage_error("compare", "unknown option '%s'", arg);
            if (!(value = cli_option_value(argc, argv, &i, valued[k])) || !*value)
                return cli_usage_error("compare", "%s needs a value", valued[k]);
            if (k == 0)
                c->opt.from_year = value;
            else if (k == 1)
                c->opt.to_year = value;
            else if (k == 2)
                c->areas[c->n_areas++] = value;
            else if (k == 3)
                c->metrics[c->n_metrics++] = value;
            else if (k == 5)
                c->csv = value;
            else if (k == 6)
                c->json = value;
            else if (k == 7)
                c->arm = value;
            else {
                char *end;
                errno = 0;
                c->opt.discount_rate = strtod(value, &end);
                if (*end || errno || !isfinite(c->opt.discount_rate))
                    return cli_usage_error("compare",
                                           "--discount '%s' is not a number "
                                           "(0.035 is 3.5%% a year)",
                                           value);
            }
        } else {
            c->dirs[c->n_dirs++] = arg;
        }
    }
    if (c->n_dirs == 0)
        return cli_usage_error("compare", "give a base and arm run directories, an experiment "
                                          "directory, or a sweep's results database");
    if (c->csv && c->json && strcmp(c->csv, "-") == 0 && strcmp(c->json, "-") == 0)
        return cli_usage_error("compare", "--csv - and --json - cannot both go to stdout");
    c->opt.areas = c->areas;
    c->opt.n_areas = c->n_areas;
    c->opt.metrics = c->metrics;
    c->opt.n_metrics = c->n_metrics;
    return 0;
}

typedef int (*doc_writer)(FILE *out, const json_t *doc);

static int write_json(FILE *out, const json_t *doc)
{
    return json_dumpf(doc, out, JSON_INDENT(2)) != 0 || fputc('\n', out) == EOF ? -1 : 0;
}

/* Writes the document with `write` to path ("-": stdout), atomically: a
 * temporary file beside path, renamed over it when complete. 0, or
 * EXIT_FAILURE_DATA after a message (path untouched). */
static int write_file(const char *path, const json_t *doc, doc_writer write)
{
    if (strcmp(path, "-") == 0) {
        if (write(stdout, doc) == 0 && fflush(stdout) == 0) return 0;
        fprintf(stderr, "placesim compare: cannot write to stdout (%s)\n", strerror(errno));
        return EXIT_FAILURE_DATA;
    }
    size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
    char *tmp = malloc(n);
    int fd = -1;
    if (tmp) {
        snprintf(tmp, n, "%s.tmp-XXXXXX", path);
        fd = mkstemp(tmp);
    }
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int status = f ? 0 : -1;
    if (!f && fd >= 0) close(fd);
    /* mkstemp makes 0600; the file is an ordinary output, as umask allows. */
    mode_t mask = umask(022);
    umask(mask);
    if (f && (fchmod(fd, 0666 & ~mask) != 0 || write(f, doc) != 0)) status = -1;
    if (f && fclose(f) != 0) status = -1;
    int saved = errno;
    if (status == 0 && rename(tmp, path) != 0) status = -1, saved = errno;
    if (status != 0) {
        if (fd >= 0) unlink(tmp);
        fprintf(stderr, "placesim compare: %s: cannot write (%s)\n", path,
                tmp ? strerror(saved) : "out of memory");
    }
    free(tmp);
    return status ? EXIT_FAILURE_DATA : 0;
}

/* The comparison document of the arguments: run directories, or a sweep's
 * results database. 0, or the exit status after a message. */
static int build(const compare_cli *c, json_t **doc)
{
    char err[2048] = "out of memory";
    int database = 0, status;
    for (size_t i = 0; i < c->n_dirs; i++)
        if (compare_is_database(c->dirs[i])) {
            if (c->n_dirs > 1)
                return cli_usage_error("compare", "%s is a results database: give it alone",
                                       c->dirs[i]);
            database = 1;
        }
    struct stat sb;
    if (!database && c->n_dirs == 1 && stat(c->dirs[0], &sb) == 0 && S_ISREG(sb.st_mode)) {
        fprintf(stderr,
                "placesim compare: %s: not a results database (the SQLite file placesim "
                "sweep writes), nor a run or experiment directory\n",
                c->dirs[0]);
        return EXIT_FAILURE_DATA;
    }
    if (!database && c->arm)
        return cli_usage_error("compare", "--arm names an arm of a results database; for run "
                                          "directories give the arms' directories");
    if (database)
        status = compare_sweep_json(c->dirs[0], &c->opt, c->arm, doc, err, sizeof err);
    else
        status = compare_json(c->dirs, c->n_dirs, &c->opt, doc, err, sizeof err);
    if (status == EXIT_USAGE)
        fprintf(stderr, "placesim compare: %s (try placesim compare --help)\n", err);
    else if (status != 0)
        fprintf(stderr, "placesim compare: %s\n", err);
    return status;
}

int cli_compare(int argc, char **argv)
{
    compare_cli c = { 0 };
    size_t cap = argc > 0 ? (size_t)argc : 1;
    c.dirs = malloc(cap * sizeof *c.dirs);
    c.areas = malloc(cap * sizeof *c.areas);
    c.metrics = malloc(cap * sizeof *c.metrics);
    int status = c.dirs && c.areas && c.metrics ? parse(argc, argv, &c) : EXIT_FAILURE_DATA;
    if (status == EXIT_FAILURE_DATA) fprintf(stderr, "placesim compare: out of memory\n");
    json_t *doc = NULL;
    if (status == 0) status = build(&c, &doc);
    int sweep = doc && json_object_get(doc, "kind");
    doc_writer csv = sweep ? compare_sweep_write_csv : compare_write_csv;
    doc_writer table = sweep ? compare_sweep_write_table : compare_write_table;
    if (status == 0 && c.csv) status = write_file(c.csv, doc, csv);
    if (status == 0 && c.json) status = write_file(c.json, doc, write_json);
    int to_stdout = (c.csv && strcmp(c.csv, "-") == 0) || (c.json && strcmp(c.json, "-") == 0);
    if (status == 0 && !to_stdout && (table(stdout, doc) != 0 || fflush(stdout) != 0)) {
        fprintf(stderr, "placesim compare: cannot write the table (%s)\n", strerror(errno));
        status = EXIT_FAILURE_DATA;
    }
    json_decref(doc);
    free(c.dirs);
    free(c.areas);
    free(c.metrics);
    return status < 0 ? 0 : status;
}
