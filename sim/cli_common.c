/* cli_common.c — what several subcommands share: loading a scenario against
 * the registry's parameter tables and checking it whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "targets.h"

enum { ERROR_TEXT_BYTES = 16384 };

int cli_load_scenario_quiet(const char *path, const char *const *overrides, size_t n_overrides,
                            loaded_scenario *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    err[0] = '\0';
    size_t n_registry;
    const model_def *const *registry = model_registry(&n_registry);
    param_table *tables = calloc(n_registry + 1, sizeof *tables);
    if (!tables) {
        snprintf(err, errlen, "placesim: out of memory");
        return -1;
    }
    /* Every model's keys are valid, whichever run: a scenario built on the
     * borough may run one model alone and keep the others' settings. */
    engine_param_tables(registry, n_registry, tables);
    int status =
        scenario_load(path, tables, n_registry + 1, overrides, n_overrides, &out->scn, err, errlen);
    free(tables);
    const model_def **run = NULL;
    if (status == 0)
        status =
            engine_select_models(out->scn, registry, n_registry, &run, &out->n_models, err, errlen);
    out->models = run;
    if (status == 0) status = cost_library_for_scenario(out->scn, &out->costs, err, errlen);
    if (status == 0)
        status = model_check_costs(out->costs, out->models, out->n_models, err, errlen);
    if (status == 0) status = place_build(out->scn, &out->place, err, errlen);
    if (status == 0) status = engine_check_scenario(out->scn, &out->place, err, errlen);
    /* Against every model: a target of a model that does not run is a
     * real metric, not evaluated (targets_evaluate). */
    if (status == 0) status = targets_check(out->scn, registry, n_registry, err, errlen);
    for (size_t i = 0; status == 0 && i < out->n_models; i++) {
        if (out->models[i]->check) {
            status = out->models[i]->check(out->scn, &out->place, err, errlen);
        }
    }
    if (status != 0) {
        if (!err[0]) snprintf(err, errlen, "placesim: the scenario could not be loaded");
        cli_free_scenario(out);
        return -1;
    }
    return 0;
}

int cli_load_scenario(const char *path, const char *const *overrides, size_t n_overrides,
                      loaded_scenario *out)
{
    char *err = malloc(ERROR_TEXT_BYTES);
    if (!err) {
        memset(out, 0, sizeof *out);
        fprintf(stderr, "placesim: out of memory\n");
        return -1;
    }
    int status = cli_load_scenario_quiet(path, overrides, n_overrides, out, err, ERROR_TEXT_BYTES);
    if (status != 0) fprintf(stderr, "%s\n", err);
    free(err);
    return status;
}

void cli_free_scenario(loaded_scenario *ls)
{
    free((void *)ls->models); /* the array engine_select_models made, not the models */
    ls->models = NULL;
    ls->n_models = 0;
    place_free(&ls->place);
    cost_library_free(ls->costs);
    ls->costs = NULL;
    if (ls->scn) scenario_free(ls->scn);
    ls->scn = NULL;
}
