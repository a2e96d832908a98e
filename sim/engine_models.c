/* engine_models.c — which models a run holds: the scenario's `models` key
 * read against the registry, each model's needs from the others checked,
 * and a run's model list checked for what keys its streams and events (one
 * name and one stream id per model). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

const param_table model_no_params = { .owner = "", .specs = NULL, .n_specs = 0 };
const metric_table model_no_metrics = { .specs = NULL, .n_specs = 0 };

int model_list_has(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) return 1;
    }
    return 0;
}

int engine_check_models(const model_def *const *models, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            /* Two models on one stream id would draw the same numbers, and
             * two of one name would leave messages ambiguous. */
            if (strcmp(models[i]->name, models[j]->name) == 0) {
                snprintf(err, errlen, "the run holds model %s twice", models[i]->name);
                return -1;
            }
            if (models[i]->stream_id == models[j]->stream_id) {
                snprintf(err, errlen,
                         "models %s and %s have the same stream id %u; each model "
                         "needs its own",
                         models[j]->name, models[i]->name, (unsigned)models[i]->stream_id);
                return -1;
            }
        }
    }
    return 0;
}

/* The service models' names, ", "-separated, for messages. */
static void service_names(const model_def *const *registry, size_t n, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < outlen; i++) {
        if (registry[i]->always_runs) continue;
        int k = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", registry[i]->name);
        if (k < 0) break;
        used += (size_t)k;
    }
}

/* Index in the registry of `name`, or -1. */
static long registry_index(const model_def *const *registry, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(registry[i]->name, name) == 0) return (long)i;
    }
    return -1;
}

/* The registered service model nearest to `name` by edit distance, or NULL
 * (also when out of memory: the hint is only a hint). */
static const char *nearest_model(const model_def *const *registry, size_t n, const char *name)
{
    param_spec *specs = calloc(n ? n : 1, sizeof *specs);
    if (!specs) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!registry[i]->always_runs) specs[k++] = (param_spec){ .path = registry[i]->name };
    }
    param_table table = { "models", specs, k };
    const char *near = param_nearest_key(&table, 1, name);
    free(specs);
    return near; /* a model's name, not a pointer into specs */
}

/* Marks in on[] the models the key lists, refusing unknown names, models
 * that always run and names given twice (one error line each). */
static void read_list(const scn_node *list, const model_def *const *registry, size_t n,
                      unsigned char *on, char *err, size_t errlen)
{
    char names[256];
    service_names(registry, n, names, sizeof names);
    for (size_t e = 0; e < list->n_children; e++) {
        const scn_node *item = list->children[e];
        const char *name = item->string_value;
        long i = registry_index(registry, n, name);
        if (i < 0) {
            const char *near = nearest_model(registry, n, name);
            char hint[160] = "";
            if (near) snprintf(hint, sizeof hint, " (did you mean %s?)", near);
            scenario_error_append(err, errlen, item->file, item->line,
                                  "models: unknown model \"%s\"%s; the models are %s", name, hint,
                                  names);
        } else if (registry[i]->always_runs) {
            scenario_error_append(err, errlen, item->file, item->line,
                                  "models: %s always runs and cannot be listed; the models to "
                                  "choose from are %s",
                                  name, names);
        } else if (on[i]) {
            scenario_error_append(err, errlen, item->file, item->line, "models: %s is listed twice",
                                  name);
        }
        if (i >= 0) on[i] = 1;
    }
}

/* Refuses (one line each, at the `models` key) every model whose needs the
 * models that run do not meet. */
static void check_needs(const scenario *s, const scn_node *list, const model_def *const *run,
                        size_t n_run, char *err, size_t errlen)
{
    const char **names = malloc((n_run ? n_run : 1) * sizeof *names);
    if (!names) {
        scenario_error_append(err, errlen, scenario_path(s), -1, "models: out of memory");
        return;
    }
    for (size_t i = 0; i < n_run; i++) names[i] = run[i]->name;
    int written = list && list->line > 0;
    for (size_t i = 0; i < n_run; i++) {
        if (!run[i]->needs) continue;
        char why[512] = "";
        const char *missing = run[i]->needs(s, names, n_run, why, sizeof why);
        if (!missing) continue;
        scenario_error_append(
            err, errlen, written ? list->file : scenario_path(s), written ? list->line : -1,
            "models: %s needs %s, which is not listed: %s", run[i]->name, missing, why);
    }
    free(names);
}

int engine_select_models(const scenario *s, const model_def *const *registry, size_t n,
                         const model_def ***out, size_t *n_out, char *err, size_t errlen)
{
    *out = NULL;
    *n_out = 0;
    err[0] = '\0';
    unsigned char *on = calloc(n ? n : 1, 1);
    const model_def **run = calloc(n ? n : 1, sizeof *run);
    if (!on || !run) {
        free(on);
        free(run);
        scenario_error_append(err, errlen, scenario_path(s), -1, "models: out of memory");
        return -1;
    }
    const scn_node *list = scenario_find(s, "models");
    int all = !list || list->n_children == 0;
    if (!all) read_list(list, registry, n, on, err, errlen);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        /* Registry order whatever the list's order: it is the phase order. */
        if (all || on[i] || registry[i]->always_runs) run[k++] = registry[i];
    }
    free(on);
    if (!err[0]) check_needs(s, all ? NULL : list, run, k, err, errlen);
    if (!err[0]) (void)engine_check_models(run, k, err, errlen); /* a registry bug */
    if (err[0]) {
        free(run);
        return -1;
    }
    *out = run;
    *n_out = k;
    return 0;
}

const model_def *engine_model_of_metric(const model_def *const *models, size_t n,
                                        const char *metric)
{
    for (size_t m = 0; m < n; m++) {
        for (size_t i = 0; i < models[m]->metrics->n_specs; i++) {
            if (strcmp(models[m]->metrics->specs[i].name, metric) == 0) return models[m];
        }
    }
    return NULL;
}
