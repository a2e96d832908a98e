/* cost_metrics.c — the list of cost_metrics.h, built from the bearers and
 * the registry so that a new holder, bearer or outcome joins it unasked. */
#include "cost_metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "model.h"

static int add(cost_metrics *m, size_t cap, const char *prefix, const char *name)
{
    size_t bytes = strlen(prefix) + strlen(name) + 1;
    char *metric = malloc(bytes);
    if (!metric) return -1;
    snprintf(metric, bytes, "%s%s", prefix, name);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->names[i], metric) == 0) {
            free(metric); /* an outcome metric listed twice: once is enough */
            return 0;
        }
    if (m->n == cap) {
        free(metric);
        return -1;
    }
    m->names[m->n++] = metric;
    return 0;
}

int cost_metrics_list(cost_metrics *out)
{
    static const char *const holder_prefixes[] = { "spend_", "pool_in_", "pool_return_" };
    out->names = NULL;
    out->n = 0;
    size_t n_models, cap = 3 * BUDGET_HOLDERS + 1 + BEARERS;
    const model_def *const *models = model_registry(&n_models);
    for (size_t m = 0; m < n_models; m++)
        for (size_t o = 0; o < models[m]->n_outcomes; o++) cap += models[m]->outcomes[o].n_metrics;
    if (!(out->names = malloc(cap * sizeof *out->names))) return -1;
    int status = 0;
    for (size_t p = 0; p < 3 && status == 0; p++)
        for (int h = 0; h < BUDGET_HOLDERS && status == 0; h++)
            status = add(out, cap, holder_prefixes[p], bearer_names[h]);
    if (status == 0) status = add(out, cap, "spend_", "pool");
    for (int b = 0; b < BEARERS && status == 0; b++)
        status = add(out, cap, "demand_cost_", bearer_names[b]);
    for (size_t m = 0; m < n_models && status == 0; m++)
        for (size_t o = 0; o < models[m]->n_outcomes && status == 0; o++)
            for (size_t k = 0; k < models[m]->outcomes[o].n_metrics && status == 0; k++)
                status = add(out, cap, "", models[m]->outcomes[o].metrics[k]);
    if (status != 0) cost_metrics_free(out);
    return status;
}

void cost_metrics_free(cost_metrics *m)
{
    for (size_t i = 0; m->names && i < m->n; i++) free(m->names[i]);
    free(m->names);
    m->names = NULL;
    m->n = 0;
}
