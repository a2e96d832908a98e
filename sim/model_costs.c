/* model_costs.c — the unit costs the running models read, checked against
 * the cost library before any run (the library knows no model). */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct need_list {
    cost_need *items;
    size_t n, cap;
} need_list;

/* Appends (name, by) unless name is already there. 0, or -1 when out of memory. */
static int need(need_list *l, const char *name, const char *by)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i].name, name) == 0) return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        cost_need *grown = realloc(l->items, cap * sizeof *grown);
        if (!grown) return -1;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = (cost_need){ name, by };
    return 0;
}

/* The unit costs of the intervention types of `models`, needed by `by`. */
static int type_costs(need_list *l, const model_def *const *models, size_t n, const char *by)
{
    for (size_t m = 0; m < n; m++) {
        for (size_t t = 0; t < models[m]->n_intervention_types; t++) {
            const char *unit = models[m]->intervention_types[t]->unit_cost;
            if (unit && need(l, unit, by) != 0) return -1;
        }
    }
    return 0;
}

int model_check_costs(const cost_library *lib, const model_def *const *models, size_t n_models,
                      char *err, size_t errlen)
{
    need_list l = { 0 };
    size_t n_registry;
    const model_def *const *registry = model_registry(&n_registry);
    int status = 0;
    for (size_t m = 0; status == 0 && m < n_models; m++) {
        const model_def *d = models[m];
        for (size_t i = 0; status == 0 && i < d->n_unit_costs; i++) {
            status = need(&l, d->unit_costs[i], d->name);
        }
        if (status == 0 && d->pays_interventions) {
            status = type_costs(&l, models, n_models, d->name);
            if (status == 0) status = type_costs(&l, registry, n_registry, d->name);
        }
    }
    if (status != 0)
        snprintf(err, errlen, "out of memory");
    else
        status = cost_library_check_needed(lib, l.items, l.n, err, errlen);
    free(l.items);
    return status;
}
