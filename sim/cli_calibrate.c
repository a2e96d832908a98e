/* cli_calibrate.c — `placesim calibrate`: fit the scenario's free parameters
 * to its targets.
 *
 * The objective is Σ ((achieved − target) / tolerance)² over the targets (a
 * one-sided target's term only on its wrong side: targets_distance), each
 * evaluation running the same replications with the same seeds (common
 * random numbers), so the objective is a smooth-ish deterministic function of
 * the parameters and the search is reproducible. GSL's Nelder–Mead simplex
 * (nmsimplex2) searches an unbounded space mapped onto each parameter's
 * [min, max] by a logistic, so bounds hold without penalties. `--free KEY`
 * fits a subset of calibration.free, so that one model's keys can be
 * refitted without moving another's fit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_multimin.h>

#include "cli.h"
#include "targets.h"

enum { MAX_FREE = 16 };

typedef struct free_param {
    const char *key;
    double min, max;
} free_param;

typedef struct calibration {
    const char *path;
    cli_overrides user;
    cli_memory_limit max_memory;
    free_param free[MAX_FREE];
    char keys[MAX_FREE][256];
    size_t n_free;
    /* --free KEY: fit only these of calibration.free (none given: all). */
    const char *only[MAX_FREE];
    size_t n_only;
    /* The keys of calibration.free that --free leaves out, at the
     * scenario's values (printed, never overridden). */
    char kept_keys[MAX_FREE][256];
    double kept_values[MAX_FREE];
    size_t n_kept;
    unsigned long long reps, seed, threads, max_evals;
    unsigned evals;
    int failed;
} calibration;

static const char calibrate_help[] =
    "usage: placesim calibrate SCENARIO [--reps N] [--seed S] [-j N] [--max-evals N]\n"
    "                          [--free KEY]... [--set key=value]... [--max-memory SIZE]\n"
    "\n"
    "Fits the scenario's free parameters (its calibration.free list: each a\n"
    "real-valued key with a search range; a scenario without one is refused)\n"
    "to its targets with GSL's Nelder-Mead simplex, every evaluation running the same N "
    "replications (default 20)\n"
    "from the same seed (default 1). The search starts from each parameter's\n"
    "table default (placesim describe), not the scenario's value, so a scenario\n"
    "that holds a fit reproduces it. Prints each improvement, then the fitted\n"
    "values (3 significant figures) and the fit of every target. The same seed\n"
    "gives the same values, whatever -j.\n"
    "\n"
    "  --free KEY   fit only this key of calibration.free (repeatable; default:\n"
    "               every key); the others keep the scenario's values. A key\n"
    "               that calibration.free does not list is refused.\n";

static double to_value(const free_param *p, double x)
{
    return p->min + (p->max - p->min) / (1.0 + exp(-x));
}

static double to_search(const free_param *p, double v)
{
    double u = (v - p->min) / (p->max - p->min);
    if (!(u > 1e-6)) u = 1e-6;
    if (!(u < 1 - 1e-6)) u = 1 - 1e-6;
    return log(u / (1 - u));
}

/* Runs the replications at parameter values `values`; returns the distance,
 * and prints every target's fit to `report` when it is not NULL (while the
 * scenario that owns the targets' names is alive). */
static double evaluate(calibration *c, const double *values, FILE *report)
{
    char texts[MAX_FREE][320];
    const char *overrides[CLI_MAX_OVERRIDES + MAX_FREE];
    size_t n = 0;
    for (size_t i = 0; i < c->user.n; i++) overrides[n++] = c->user.items[i];
    for (size_t i = 0; i < c->n_free; i++) {
        snprintf(texts[i], sizeof texts[i], "%s=%.17g", c->free[i].key, values[i]);
        overrides[n++] = texts[i];
    }
    c->evals++;
    loaded_scenario ls;
    if (cli_load_scenario(c->path, overrides, n, &ls) != 0) {
        c->failed = 1;
        return INFINITY;
    }
    run_config cfg = { .scn = ls.scn,
                       .place = &ls.place,
                       .models = ls.models,
                       .costs = ls.costs,
                       .n_models = ls.n_models,
                       .master_seed = c->seed,
                       .period = PERIOD_YEAR };
    run_config_dates(&cfg);
    unsigned reps = (unsigned)c->reps;
    replication_result *results = calloc(reps, sizeof *results);
    char err[1024];
    double distance = INFINITY;
    if (!results ||
        engine_run_replications(&cfg, reps, (unsigned)c->threads, results, err, sizeof err) != 0) {
        fprintf(stderr, "placesim calibrate: %s\n", results ? err : "out of memory");
        c->failed = 1;
    } else {
        target_result *t = NULL;
        long count = targets_evaluate(&cfg, results, reps, &t);
        if (count < 0) {
            c->failed = 1;
        } else {
            distance = targets_distance(t, (size_t)count);
        }
        if (report && count > 0) targets_print(report, t, (size_t)count);
        free(t);
        for (unsigned i = 0; i < reps; i++) replication_result_free(&results[i]);
    }
    free(results);
    cli_free_scenario(&ls);
    return distance;
}

static double objective(const gsl_vector *x, void *params)
{
    calibration *c = params;
    double values[MAX_FREE];
    for (size_t i = 0; i < c->n_free; i++) values[i] = to_value(&c->free[i], gsl_vector_get(x, i));
    double d = evaluate(c, values, NULL);
    return isfinite(d) ? d : GSL_POSINF;
}

/* The parameter table's default of `key` (engine or a model), or NaN. The
 * search starts there rather than at the scenario's value, so that it does
 * not depend on the scenario's own values of the free parameters (which
 * every evaluation overrides): a scenario that already holds a fit
 * reproduces it exactly. */
static double table_default(const model_def *const *models, size_t n_models, const char *key)
{
    for (size_t m = 0; m < n_models; m++) {
        for (size_t i = 0; i < models[m]->params->n_specs; i++) {
            const param_spec *spec = &models[m]->params->specs[i];
            if (strcmp(spec->path, key) == 0 && spec->default_value) {
                return strtod(spec->default_value, NULL);
            }
        }
    }
    return NAN;
}

/* Whether calibration.free's `key` is to be fitted: every key without
 * --free, else only those it names. */
static int is_chosen(const calibration *c, const char *key)
{
    if (c->n_only == 0) return 1;
    for (size_t k = 0; k < c->n_only; k++) {
        if (strcmp(c->only[k], key) == 0) return 1;
    }
    return 0;
}

/* Every --free names a key of calibration.free (`list`, non-empty): 0, or
 * -1 after a message naming the first that does not, with the keys it
 * could have named. */
static int check_chosen(const calibration *c, const scn_node *list)
{
    for (size_t k = 0; k < c->n_only; k++) {
        size_t i = 0;
        while (i < list->n_children &&
               strcmp(scn_member_string(list->children[i], "name"), c->only[k]) != 0)
            i++;
        if (i < list->n_children) continue;
        fprintf(stderr, "%s:%d: calibration.free: --free %s is not one of its keys (", list->file,
                list->line, c->only[k]);
        for (i = 0; i < list->n_children; i++)
            fprintf(stderr, "%s%s", i ? ", " : "", scn_member_string(list->children[i], "name"));
        fprintf(stderr, ")\n");
        return -1;
    }
    return 0;
}

/* Reads the free parameters from the scenario's calibration.free (the
 * engine has no defaults: what to fit is the scenario's choice), keeps those
 * --free chooses and checks each is a real-valued key with a sensible
 * range. A key left out is not overridden: it keeps the scenario's value,
 * which is printed. 0, or -1 after a message. */
static int read_free(calibration *c, const loaded_scenario *ls, double *start)
{
    const scenario *s = ls->scn;
    const scn_node *list = scenario_find(s, "calibration.free");
    size_t n = list ? list->n_children : 0;
    if (n == 0) {
        fprintf(
            stderr,
            "%s: calibration.free: no free parameters to fit (declare them: "
            "calibration = { free = ( { name = \"GROUP.KEY\"; min = 0.1; max = 10.0; } ); };)\n",
            scenario_path(s));
        return -1;
    }
    if (n > MAX_FREE) {
        fprintf(stderr, "%s:%d: calibration.free: at most %d free parameters\n", list->file,
                list->line, MAX_FREE);
        return -1;
    }
    if (check_chosen(c, list) != 0) return -1;
    c->n_free = c->n_kept = 0;
    for (size_t i = 0; i < n; i++) {
        /* Every entry is checked, chosen or not, so that --free does not
         * change which scenarios are refused. */
        const scn_node *entry = list->children[i];
        free_param p = { scn_member_string(entry, "name"), scn_member_float(entry, "min"),
                         scn_member_float(entry, "max") };
        const char *file = entry->file;
        int line = entry->line;
        const scn_node *node = scenario_find(s, p.key);
        if (!node || node->type != SCN_FLOAT) {
            fprintf(stderr, "%s:%d: calibration.free.%s: %s\n", file, line, p.key,
                    !node ? "no such parameter in this scenario"
                          : "not a real-valued parameter (fit whole numbers by a 1-D search)");
            return -1;
        }
        if (!(p.min < p.max)) {
            fprintf(stderr, "%s:%d: calibration.free.%s: min must be below max\n", file, line,
                    p.key);
            return -1;
        }
        if (!is_chosen(c, p.key)) {
            snprintf(c->kept_keys[c->n_kept], sizeof c->kept_keys[c->n_kept], "%s", p.key);
            c->kept_values[c->n_kept++] = node->float_value;
            continue;
        }
        size_t f = c->n_free++;
        snprintf(c->keys[f], sizeof c->keys[f], "%s", p.key);
        p.key = c->keys[f];
        c->free[f] = p;
        double v = table_default(ls->models, ls->n_models, p.key);
        if (!(v > p.min && v < p.max)) v = 0.5 * (p.min + p.max);
        start[f] = to_search(&c->free[f], v);
    }
    return 0;
}

static int parse(int argc, char **argv, calibration *c)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    c->reps = 20;
    c->seed = 1;
    c->threads = cores > 0 ? (unsigned long long)cores : 1;
    c->max_evals = 300;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int status = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(calibrate_help, stdout);
            return 1;
        } else if (cli_is_option(a, "--reps")) {
            status = cli_option_count("calibrate", argc, argv, &i, "--reps", 1, 100000, &c->reps);
        } else if (cli_is_option(a, "--seed")) {
            status =
                cli_option_count("calibrate", argc, argv, &i, "--seed", 0, UINT64_MAX, &c->seed);
        } else if (cli_is_option(a, "-j")) {
            status = cli_option_count("calibrate", argc, argv, &i, "-j", 1, 4096, &c->threads);
        } else if (cli_is_option(a, "--max-evals")) {
            status = cli_option_count("calibrate", argc, argv, &i, "--max-evals", 1, 100000,
                                      &c->max_evals);
        } else if (cli_is_option(a, "--free")) {
            const char *key = cli_option_value(argc, argv, &i, "--free");
            if (!key || !*key) return cli_usage_error("calibrate", "--free needs a parameter key");
            if (c->n_only == MAX_FREE)
                return cli_usage_error("calibrate", "at most %d --free keys", MAX_FREE);
            c->only[c->n_only++] = key;
        } else if (cli_is_option(a, "--set")) {
            status = cli_overrides_add("calibrate", argc, argv, &i, &c->user);
        } else if (cli_is_option(a, "--max-memory")) {
            status = cli_option_size("calibrate", argc, argv, &i, "--max-memory", &c->max_memory);
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("calibrate", "unknown option '%s'", a);
        } else if (c->path) {
            return cli_usage_error("calibrate", "one SCENARIO only; '%s' is a second", a);
        } else {
            c->path = a;
        }
        if (status != 0) return status;
    }
    if (!c->path) return cli_usage_error("calibrate", "missing SCENARIO");
    return 0;
}

int cli_calibrate(int argc, char **argv)
{
    calibration c;
    memset(&c, 0, sizeof c);
    int parsed = parse(argc, argv, &c);
    if (parsed != 0) return parsed == 1 ? 0 : parsed;

    loaded_scenario ls;
    if (cli_load_scenario(c.path, c.user.items, c.user.n, &ls) != 0) return EXIT_FAILURE_DATA;
    double start[MAX_FREE];
    int status = read_free(&c, &ls, start);
    const scn_node *targets = scenario_find(ls.scn, "targets");
    if (status == 0 && (!targets || targets->n_children == 0)) {
        fprintf(stderr, "%s: no targets to calibrate to (declare a targets list)\n", c.path);
        status = -1;
    }
    if (status == 0) {
        /* Every evaluation runs the same replications: check them once. */
        run_config cfg = { .scn = ls.scn,
                           .place = &ls.place,
                           .models = ls.models,
                           .n_models = ls.n_models,
                           .costs = ls.costs,
                           .period = PERIOD_YEAR };
        run_config_dates(&cfg);
        status = cli_memory_check("calibrate", &cfg, (unsigned)c.reps, (unsigned)c.threads,
                                  &c.max_memory, NULL);
    }
    cli_free_scenario(&ls);
    if (status != 0) return EXIT_FAILURE_DATA;

    printf("calibrating %zu parameter%s of %s to its targets: %llu replications, seed %llu\n",
           c.n_free, c.n_free == 1 ? "" : "s", c.path, c.reps, c.seed);
    for (size_t i = 0; i < c.n_kept; i++)
        printf("  %s = %.6g kept: the scenario's value (not a --free key)\n", c.kept_keys[i],
               c.kept_values[i]);
    gsl_multimin_function f = { objective, c.n_free, &c };
    gsl_vector *x = gsl_vector_alloc(c.n_free), *step = gsl_vector_alloc(c.n_free);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, c.n_free);
    if (!x || !step || !m) {
        fprintf(stderr, "placesim calibrate: out of memory\n");
        status = -1;
    }
    for (size_t i = 0; status == 0 && i < c.n_free; i++) {
        gsl_vector_set(x, i, start[i]);
        gsl_vector_set(step, i, 0.5);
    }
    if (status == 0 && gsl_multimin_fminimizer_set(m, &f, x, step) != GSL_SUCCESS) {
        fprintf(stderr, "placesim calibrate: the minimiser could not start\n");
        status = -1;
    }
    double best = INFINITY;
    for (unsigned iteration = 1; status == 0 && !c.failed && c.evals < c.max_evals; iteration++) {
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS) break;
        double size = gsl_multimin_fminimizer_size(m);
        if (m->fval < best) {
            best = m->fval;
            printf("  iteration %u, %u runs: distance %.6g at", iteration, c.evals, best);
            for (size_t i = 0; i < c.n_free; i++) {
                printf(" %s=%.6g", c.free[i].key, to_value(&c.free[i], gsl_vector_get(m->x, i)));
            }
            printf("\n");
            fflush(stdout);
        }
        if (gsl_multimin_test_size(size, 1e-3) == GSL_SUCCESS) break;
    }
    if (c.failed) status = -1;

    if (status == 0) {
        double values[MAX_FREE];
        for (size_t i = 0; i < c.n_free; i++)
            values[i] = to_value(&c.free[i], gsl_vector_get(m->x, i));
        printf("fitted after %u runs:\n", c.evals);
        for (size_t i = 0; i < c.n_free; i++) printf("  %s = %.3g\n", c.free[i].key, values[i]);
        double d = evaluate(&c, values, stdout);
        printf("distance %.4g (sum of squared (achieved - target) / tolerance)\n", d);
        if (c.failed) status = -1;
    }
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(x);
    gsl_vector_free(step);
    return status == 0 ? 0 : EXIT_FAILURE_DATA;
}
