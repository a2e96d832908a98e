/* report_inputs.c — what a report reads: the runs (from run directories or
 * an experiment directory), the metrics to chart, their series. */
#include "report_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model.h"

/* A JSON file larger than this is not one placesim wrote (a manifest lists
 * every parameter: about 40 KB for the borough, 100,000 areas ~ 100 MB). */
enum { REPORT_JSON_MAX_BYTES = 512 * 1024 * 1024 };

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Loads a JSON object file: the object, or NULL with err (1 = bad data). */
static json_t *load_json(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > REPORT_JSON_MAX_BYTES) {
        set_err(err, errlen, "%s is not a placesim file (%s)", path,
                S_ISREG(st.st_mode) ? "too large" : "not a regular file");
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr);
    if (!root) {
        set_err(err, errlen, "%s:%d: not valid JSON: %s", path, jerr.line, jerr.text);
        return NULL;
    }
    const char *program = json_string_value(json_object_get(root, "program"));
    if (!json_is_object(root) || !program || strcmp(program, "placesim") != 0) {
        set_err(err, errlen, "%s was not written by placesim (no \"program\": \"placesim\")", path);
        json_decref(root);
        return NULL;
    }
    return root;
}

/* Reads dir/manifest.json into run: 0, or 1 with err. */
static int load_run(report_run *run, const char *dir, char *err, size_t errlen)
{
    if (!(run->dir = strdup(dir))) {
        set_err(err, errlen, "out of memory");
        return 1;
    }
    char *path = join_path(dir, "manifest.json");
    if (!path) {
        set_err(err, errlen, "out of memory");
        return 1;
    }
    run->manifest = load_json(path, err, errlen);
    if (!run->manifest) {
        free(path);
        return 1;
    }
    run->name =
        json_string_value(json_object_get(json_object_get(run->manifest, "scenario"), "name"));
    run->n_reps = json_array_size(json_object_get(run->manifest, "replications"));
    int status = 0;
    if (!run->name) {
        set_err(err, errlen, "%s: no \"scenario\": {\"name\": …}", path);
        status = 1;
    } else if (run->n_reps == 0 || run->n_reps > REPORT_MAX_REPS) {
        set_err(err, errlen, "%s: \"replications\" must list 1 to %d replications", path,
                REPORT_MAX_REPS);
        status = 1;
    }
    free(path);
    return status;
}

/* 1 if an experiment's arm "dir" is one safe path component (the contract
 * makes it the scenario name), so that the report reads only inside the
 * experiment directory. */
static int safe_component(const char *s)
{
    if (!s || !*s || *s == '.' || strlen(s) > 100) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int load_experiment(report_ctx *ctx, const char *dir, const char *path, char *err,
                           size_t errlen)
{
    json_t *exp = load_json(path, err, errlen);
    if (!exp) return 1;
    json_t *arms = json_object_get(exp, "arms");
    size_t n = json_array_size(arms);
    int status = 0;
    if (n < 2) {
        set_err(err, errlen, "%s: \"arms\" must list a base and at least one arm", path);
        status = 1;
    } else if (!(ctx->runs = calloc(n, sizeof *ctx->runs))) {
        set_err(err, errlen, "out of memory");
        status = 1;
    }
    for (size_t i = 0; status == 0 && i < n; i++) {
        const char *arm_dir = json_string_value(json_object_get(json_array_get(arms, i), "dir"));
        if (!safe_component(arm_dir)) {
            set_err(err, errlen,
                    "%s: arms[%zu].dir must be a directory name inside the "
                    "experiment directory",
                    path, i);
            status = 1;
            break;
        }
        char *run_dir = join_path(dir, arm_dir);
        if (!run_dir) {
            set_err(err, errlen, "out of memory");
            status = 1;
            break;
        }
        ctx->n_runs = i + 1;
        status = load_run(&ctx->runs[i], run_dir, err, errlen);
        free(run_dir);
    }
    json_decref(exp);
    ctx->experiment_dir = dir;
    return status;
}

int report_load_runs(report_ctx *ctx, const char *const *dirs, size_t n_dirs, char *err,
                     size_t errlen)
{
    if (n_dirs == 1) {
        char *path = join_path(dirs[0], "experiment.json");
        if (!path) {
            set_err(err, errlen, "out of memory");
            return 1;
        }
        struct stat st;
        int is_experiment = stat(path, &st) == 0;
        int status = is_experiment ? load_experiment(ctx, dirs[0], path, err, errlen) : 2;
        if (status == 2)
            set_err(err, errlen,
                    "%s is not an experiment directory (no experiment.json): give "
                    "the base's and the arms' run directories, base first",
                    dirs[0]);
        free(path);
        return status;
    }
    if (!(ctx->runs = calloc(n_dirs, sizeof *ctx->runs))) {
        set_err(err, errlen, "out of memory");
        return 1;
    }
    for (size_t i = 0; i < n_dirs; i++) {
        ctx->n_runs = i + 1;
        if (load_run(&ctx->runs[i], dirs[i], err, errlen) != 0) return 1;
    }
    return 0;
}

/* The registry's spec of metric `name`, or NULL. */
static const metric_spec *find_metric(const char *name)
{
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    for (size_t m = 0; m < n_models; m++)
        for (size_t k = 0; k < models[m]->metrics->n_specs; k++)
            if (strcmp(models[m]->metrics->specs[k].name, name) == 0)
                return &models[m]->metrics->specs[k];
    return NULL;
}

static int in_names(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return 1;
    return 0;
}

static int add_metric(report_ctx *ctx, size_t cap, const metric_spec *spec)
{
    for (size_t k = 0; k < ctx->n_metrics; k++)
        if (strcmp(ctx->metrics[k].name, spec->name) == 0) return 0;
    if (ctx->n_metrics == cap) return -1;
    int additive = spec->kind == METRIC_COUNT || spec->kind == METRIC_MONEY ||
                   spec->kind == METRIC_LEVEL_END ||
                   (spec->kind == METRIC_LEVEL_MEAN && !(spec->ratio_scale > 0.0));
    ctx->metrics[ctx->n_metrics++] =
        (report_metric){ spec->name, spec->unit, spec->kind, additive && !spec->all_only };
    return 0;
}

int report_resolve_metrics(report_ctx *ctx, char *err, size_t errlen)
{
    size_t n_models, cap = 0;
    const model_def *const *models = model_registry(&n_models);
    const report_options *opt = ctx->opt;
    if (opt->n_metrics) {
        cap = opt->n_metrics;
    } else {
        for (size_t m = 0; m < n_models; m++) cap += models[m]->n_headline_metrics;
    }
    if (!(ctx->metrics = calloc(cap ? cap : 1, sizeof *ctx->metrics))) {
        set_err(err, errlen, "out of memory");
        return 1;
    }
    for (size_t i = 0; i < opt->n_metrics; i++) {
        const metric_spec *spec = find_metric(opt->metrics[i]);
        if (!spec) {
            set_err(err, errlen, "unknown metric '%s' (placesim describe lists them)",
                    opt->metrics[i]);
            return 2;
        }
        add_metric(ctx, cap, spec);
    }
    for (size_t m = 0; !opt->n_metrics && m < n_models; m++) {
        for (size_t k = 0; k < models[m]->n_headline_metrics; k++) {
            const metric_spec *spec = find_metric(models[m]->headline_metrics[k]);
            if (spec) add_metric(ctx, cap, spec);
        }
    }
    return 0;
}

int report_resolve_areas(report_ctx *ctx, char *err, size_t errlen)
{
    const compare_options *c = &ctx->opt->compare;
    if (c->n_areas == 0 || (c->n_areas == 1 && strcmp(c->areas[0], "ALL") == 0)) return 0;
    if (!(ctx->areas = calloc(c->n_areas, sizeof *ctx->areas))) {
        set_err(err, errlen, "out of memory");
        return 1;
    }
    const json_t *params = json_object_get(ctx->runs[0].manifest, "parameters");
    for (size_t i = 0; i < c->n_areas; i++) {
        const char *area = c->areas[i];
        if (in_names(area, ctx->areas, ctx->n_areas)) continue;
        /* Every area of a scenario has the resolved key areas.<name>.name. */
        char *key = malloc(strlen(area) + sizeof "areas..name");
        if (!key) {
            set_err(err, errlen, "out of memory");
            return 1;
        }
        sprintf(key, "areas.%s.name", area);
        int known = json_object_get(params, key) != NULL;
        free(key);
        if (!known) {
            set_err(err, errlen, "unknown area '%s' (not an area of %s)", area, ctx->runs[0].name);
            return 2;
        }
        ctx->areas[ctx->n_areas++] = area;
    }
    return 0;
}

int report_load_series(report_ctx *ctx, char *err, size_t errlen)
{
    size_t n = ctx->n_metrics ? ctx->n_metrics : 1;
    const char **names = calloc(n, sizeof *names);
    int *sum_areas = calloc(n, sizeof *sum_areas);
    if (!names || !sum_areas) {
        free(names);
        free(sum_areas);
        set_err(err, errlen, "out of memory");
        return 1;
    }
    for (size_t k = 0; k < ctx->n_metrics; k++) {
        names[k] = ctx->metrics[k].name;
        sum_areas[k] = ctx->metrics[k].summable;
    }
    rseries_select sel = { names, ctx->n_metrics, ctx->areas, ctx->n_areas, sum_areas };
    int status = 0;
    for (size_t i = 0; status == 0 && i < ctx->n_runs; i++) {
        report_run *run = &ctx->runs[i];
        char *path = join_path(run->dir, "series.csv");
        if (!path) {
            set_err(err, errlen, "out of memory");
            status = 1;
        } else if (rseries_load(path, &sel, run->n_reps, &run->series, err, errlen) != 0) {
            status = 1;
        }
        free(path);
    }
    free(names);
    free(sum_areas);
    return status;
}

void report_ctx_free(report_ctx *ctx)
{
    for (size_t i = 0; ctx->runs && i < ctx->n_runs; i++) {
        free(ctx->runs[i].dir);
        json_decref(ctx->runs[i].manifest);
        rseries_free(&ctx->runs[i].series);
    }
    free(ctx->runs);
    free(ctx->metrics);
    free(ctx->areas);
    json_decref(ctx->comparison);
    memset(ctx, 0, sizeof *ctx);
}

const char *report_run_color(size_t i)
{
    /* Okabe & Ito's palette (colour-blind safe), the base in grey. */
    static const char *const palette[] = { "#0072b2", "#d55e00", "#009e73",
                                           "#cc79a7", "#e69f00", "#56b4e9" };
    return i == 0 ? "#555555" : palette[(i - 1) % (sizeof palette / sizeof palette[0])];
}
