/* registry.c — every service model, in the order the engine calls them.
 * The only place that knows the models by name. A model's position is also
 * its number in the random stream keys: append, never reorder. */
#include "crime.h"
#include "housing.h"
#include "interventions.h"
#include "reoffending.h"
#include "shared.h"

static const model_def *const registry[] = {
    &housing_model,
    &crime_model,
    &reoffending_model,
    /* Last, so the others' random streams keep their model numbers; it acts
     * in prepare_day, before every model's begin_day. */
    &interventions_model,
};

const model_def *const *model_registry(size_t *n_models)
{
    *n_models = sizeof registry / sizeof registry[0];
    return registry;
}

void *model_shared_create(const place *p)
{
    return shared_create(p);
}

void model_shared_free(void *shared)
{
    shared_free(shared);
}

double model_shared_bytes_per_area(void)
{
    return shared_bytes_per_area();
}
