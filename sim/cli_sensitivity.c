/* cli_sensitivity.c — `placesim sensitivity RESULTS.db --metric M`: first-order
 * and total Sobol indices of one kept output of a Saltelli sweep, ranked by
 * total index, as a table on stdout and optionally CSV and JSON files. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "sobol.h"

static const char sensitivity_help[] =
    "usage: placesim sensitivity RESULTS.db --metric M [options]\n"
    "\n"
    "First-order (Saltelli et al. 2010) and total (Jansen 1999) Sobol indices of\n"
    "one kept output of a finished Saltelli sweep, with 95% bootstrap percentile\n"
    "intervals, ranked by total index. The model output at a point is the mean\n"
    "over its ok replications. Estimators and intervals: README.md.\n"
    "\n"
    "  --metric M      the output: its name in the store, or its metric\n"
    "  --summary S     total | mean_per_year | value_at | median, when the metric\n"
    "                  has several outputs\n"
    "  --arm A         the arm (default: the first, base arm)\n"
    "  --difference    the arm's paired difference against the base arm instead\n"
    "                  of its value (needs --arm naming another arm)\n"
    "  --bootstrap N   resamples for the intervals (default 1000, 100 to 1000000)\n"
    "  --seed S        seed of the resampling generator, gsl_rng_mt19937\n"
    "                  (default 1, 1 to 4294967295)\n"
    "  --csv FILE      also write the indices as CSV (columns: README.md)\n"
    "  --json FILE     also write them as JSON (keys: README.md)\n";

typedef struct sensitivity_cli {
    sensitivity_request req;
    unsigned long long bootstrap, seed;
    const char *csv, *json;
} sensitivity_cli;

/* 0, EXIT_USAGE after a message, or -1 after --help. */
static int parse(int argc, char **argv, sensitivity_cli *c)
{
    c->bootstrap = SOBOL_BOOTSTRAP_DEFAULT;
    c->seed = SOBOL_SEED_DEFAULT;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *value;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(sensitivity_help, stdout);
            return -1;
        } else if (strcmp(arg, "--difference") == 0) {
            c->req.difference = 1;
        } else if (cli_is_option(arg, "--bootstrap")) {
            if (cli_option_count("sensitivity", argc, argv, &i, "--bootstrap", 100, 1000000,
                                 &c->bootstrap) != 0)
                return EXIT_USAGE;
        } else if (cli_is_option(arg, "--seed")) {
            /* mt19937 takes a 32-bit seed, and maps 0 to its default seed */
            if (cli_option_count("sensitivity", argc, argv, &i, "--seed", 1, 4294967295ULL,
                                 &c->seed) != 0)
                return EXIT_USAGE;
        } else if (arg[0] == '-' && arg[1] == '-') {
            static const char *const valued[] = { "--metric", "--summary", "--arm", "--csv",
                                                  "--json" };
            size_t k = 0;
            while (k < 5 && !cli_is_option(arg, valued[k])) k++;
            if (k == 5) return cli_usage_error("sensitivity", "unknown option '%s'", arg);
            if (!(value = cli_option_value(argc, argv, &i, valued[k])) || !*value)
                return cli_usage_error("sensitivity", "%s needs a value", valued[k]);
            if (k == 0)
                c->req.metric = value;
            else if (k == 1)
                c->req.summary = value;
            else if (k == 2)
                c->req.arm = value;
            else if (k == 3)
                c->csv = value;
            else
                c->json = value;
        } else if (c->req.db_path) {
            return cli_usage_error("sensitivity", "one results database only ('%s' and '%s')",
                                   c->req.db_path, arg);
        } else {
            c->req.db_path = arg;
        }
    }
    if (!c->req.db_path)
        return cli_usage_error("sensitivity", "give a results database (RESULTS.db)");
    if (!c->req.metric) return cli_usage_error("sensitivity", "give the output with --metric");
    if (c->req.difference && !c->req.arm)
        return cli_usage_error("sensitivity", "--difference needs --arm naming a non-base arm");
    return 0;
}

/* Parameter order by total index, largest first (ties: sweep order). */
typedef struct ranked {
    const sobol_index *x;
    size_t j;
} ranked;

static int by_total(const void *a, const void *b)
{
    const ranked *p = a, *q = b;
    if (p->x[p->j].st != q->x[q->j].st) return p->x[p->j].st > q->x[q->j].st ? -1 : 1;
    return p->j < q->j ? -1 : p->j > q->j;
}

/* The whole result as one JSON document (the table and the CSV are printed
 * from it, so the three agree). NULL when out of memory. */
static json_t *result_json(const sensitivity_cli *c, const sensitivity_data *d,
                           const sobol_index *idx, const sobol_moments *m, const ranked *order)
{
    json_t *rows = json_array();
    double sum_s1 = 0.0;
    for (size_t r = 0; rows && r < d->k; r++) {
        const sobol_index *x = &idx[order[r].j];
        sum_s1 += x->s1;
        json_t *row = json_pack("{s:I, s:s, s:f, s:f, s:f, s:f, s:f, s:f}", "rank",
                                (json_int_t)(r + 1), "parameter", d->params[order[r].j], "s1",
                                x->s1, "s1_low", x->s1_low, "s1_high", x->s1_high, "st", x->st,
                                "st_low", x->st_low, "st_high", x->st_high);
        if (!row || json_array_append_new(rows, row) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    if (!rows) return NULL;
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, "
        "s:I, s:f, s:f, s:{s:s, s:s}, s:{s:s, s:I, s:s, s:I, s:i}, s:f, s:o}",
        "database", c->req.db_path, "sweep", d->sweep_name, "output", d->output_name, "metric",
        d->metric, "summary", d->summary, "area", d->area, "arm", d->arm, "difference",
        c->req.difference, "samples", (json_int_t)d->n_design, "samples_used", (json_int_t)d->n,
        "samples_dropped", (json_int_t)d->dropped, "parameters", (json_int_t)d->k, "points",
        (json_int_t)(d->n_design * (d->k + 2)), "replications", (json_int_t)d->replications,
        "failed_runs", (json_int_t)d->failed_runs, "mean", m->mean, "variance", m->variance,
        "estimators", "first_order", "Saltelli et al. 2010", "total", "Jansen 1999", "intervals",
        "method", "bootstrap percentile over base samples", "resamples", (json_int_t)c->bootstrap,
        "rng", "gsl_rng_mt19937", "seed", (json_int_t)c->seed, "level_percent", 95, "sum_s1",
        sum_s1, "indices", rows);
}

static int write_csv(FILE *f, const json_t *doc)
{
    if (fputs("rank,parameter,S1,S1_low,S1_high,ST,ST_low,ST_high\n", f) == EOF) return -1;
    size_t r;
    json_t *row;
    json_array_foreach(json_object_get(doc, "indices"), r, row)
    {
        /* parameter keys are scenario keys (letters, digits, '_', '.'):
         * no CSV quoting needed */
        if (fprintf(f, "%lld,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n",
                    (long long)json_integer_value(json_object_get(row, "rank")),
                    json_string_value(json_object_get(row, "parameter")),
                    json_real_value(json_object_get(row, "s1")),
                    json_real_value(json_object_get(row, "s1_low")),
                    json_real_value(json_object_get(row, "s1_high")),
                    json_real_value(json_object_get(row, "st")),
                    json_real_value(json_object_get(row, "st_low")),
                    json_real_value(json_object_get(row, "st_high"))) < 0)
            return -1;
    }
    return 0;
}

static const char *text(const json_t *doc, const char *key)
{
    return json_string_value(json_object_get(doc, key));
}

static long long whole(const json_t *doc, const char *key)
{
    return (long long)json_integer_value(json_object_get(doc, key));
}

static double real(const json_t *doc, const char *key)
{
    return json_real_value(json_object_get(doc, key));
}

static int write_table(FILE *out, const json_t *doc)
{
    const json_t *rows = json_object_get(doc, "indices"), *iv = json_object_get(doc, "intervals");
    int width = (int)strlen("parameter");
    size_t r;
    json_t *row;
    json_array_foreach(rows, r, row)
    {
        int len = (int)strlen(json_string_value(json_object_get(row, "parameter")));
        if (len > width) width = len;
    }
    fprintf(out, "Sobol indices of %s (%s, %s, area %s) %s arm %s\n", text(doc, "output"),
            text(doc, "metric"), text(doc, "summary"), text(doc, "area"),
            json_is_true(json_object_get(doc, "difference")) ? "as the difference of" : "in",
            text(doc, "arm"));
    fprintf(out,
            "sweep %s: N = %lld base samples, %lld parameters, %lld points (N(k+2)), "
            "%lld replications each\n",
            text(doc, "sweep"), whole(doc, "samples"), whole(doc, "parameters"),
            whole(doc, "points"), whole(doc, "replications"));
    fprintf(out,
            "model output at a point: the mean over its ok replications; over the A and B "
            "points, mean %.6g, variance %.6g\n",
            real(doc, "mean"), real(doc, "variance"));
    if (whole(doc, "samples_dropped") > 0)
        fprintf(out,
                "%lld of %lld base samples left out: a point of theirs has no value (NA "
                "or failed in every replication)\n",
                whole(doc, "samples_dropped"), whole(doc, "samples"));
    if (whole(doc, "failed_runs") > 0)
        fprintf(out, "failed runs (left out of the means): %lld\n", whole(doc, "failed_runs"));
    fprintf(out,
            "S1: first order (Saltelli et al. 2010); ST: total (Jansen 1999); [95%%]: "
            "bootstrap percentile interval, %lld resamples of the base samples (%s, seed %lld)\n\n",
            whole(iv, "resamples"), text(iv, "rng"), whole(iv, "seed"));
    fprintf(out, "rank  %-*s  %7s  %-18s  %7s  %s\n", width, "parameter", "S1", "[95%]", "ST",
            "[95%]");
    json_array_foreach(rows, r, row)
    {
        char s1_iv[64], st_iv[64];
        snprintf(s1_iv, sizeof s1_iv, "[%.3f, %.3f]", real(row, "s1_low"), real(row, "s1_high"));
        snprintf(st_iv, sizeof st_iv, "[%.3f, %.3f]", real(row, "st_low"), real(row, "st_high"));
        fprintf(out, "%4lld  %-*s  %7.3f  %-18s  %7.3f  %s\n", whole(row, "rank"), width,
                text(row, "parameter"), real(row, "s1"), s1_iv, real(row, "st"), st_iv);
    }
    double sum = real(doc, "sum_s1");
    fprintf(out,
            "\nsum of S1: %.3f (1 - sum = %.3f: the share of the variance due to "
            "interactions between parameters)\n",
            sum, 1.0 - sum);
    return ferror(out) ? -1 : 0;
}

/* 0, or EXIT_FAILURE_DATA after a message. */
static int write_file(const char *path, const json_t *doc, int as_json)
{
    FILE *f = fopen(path, "w");
    int status = f ? 0 : -1;
    if (f && as_json)
        status = json_dumpf(doc, f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF;
    else if (f)
        status = write_csv(f, doc);
    if (f && fclose(f) != 0) status = -1;
    if (status != 0) {
        fprintf(stderr, "placesim sensitivity: %s: cannot write (%s)\n", path, strerror(errno));
        return EXIT_FAILURE_DATA;
    }
    return 0;
}

int cli_sensitivity(int argc, char **argv)
{
    sensitivity_cli c = { 0 };
    int status = parse(argc, argv, &c);
    if (status != 0) return status < 0 ? 0 : status;
    sensitivity_data d = { 0 };
    char err[4096] = "";
    status = sensitivity_read(&c.req, &d, err, sizeof err);
    if (status != 0) {
        if (status == EXIT_USAGE)
            fprintf(stderr, "placesim sensitivity: %s (try placesim sensitivity --help)\n", err);
        else
            fprintf(stderr, "placesim sensitivity: %s\n", err);
        return status;
    }
    sobol_index *idx = calloc(d.k, sizeof *idx);
    ranked *order = calloc(d.k, sizeof *order);
    json_t *doc = NULL;
    sobol_moments m = { 0 };
    sobol_outputs o = { d.fa, d.fb, d.fab, d.n, d.k };
    if (!idx || !order) {
        snprintf(err, sizeof err, "out of memory");
        status = EXIT_FAILURE_DATA;
    } else if (sobol_estimate(&o, (unsigned)c.bootstrap, (unsigned long)c.seed, idx, &m, err,
                              sizeof err) != 0) {
        status = EXIT_FAILURE_DATA;
    } else {
        for (size_t j = 0; j < d.k; j++) order[j] = (ranked){ idx, j };
        qsort(order, d.k, sizeof *order, by_total);
        doc = result_json(&c, &d, idx, &m, order);
        if (!doc) {
            snprintf(err, sizeof err, "out of memory");
            status = EXIT_FAILURE_DATA;
        }
    }
    if (status != 0)
        fprintf(stderr, "placesim sensitivity: %s: %s: %s\n", c.req.db_path, d.output_name, err);
    if (status == 0 && c.csv) status = write_file(c.csv, doc, 0);
    if (status == 0 && c.json) status = write_file(c.json, doc, 1);
    if (status == 0 && (write_table(stdout, doc) != 0 || fflush(stdout) != 0)) {
        fprintf(stderr, "placesim sensitivity: cannot write the table (%s)\n", strerror(errno));
        status = EXIT_FAILURE_DATA;
    }
    json_decref(doc);
    free(idx);
    free(order);
    sensitivity_data_free(&d);
    return status;
}
