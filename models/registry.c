/* registry.c — every service model, in the order the engine calls them.
 * The only place that knows the models by name. */
#include "crime.h"
#include "housing.h"
#include "reoffending.h"

static const model_def *const registry[] = {
    &housing_model,
    &crime_model,
    &reoffending_model,
};

const model_def *const *model_registry(size_t *n_models)
{
    *n_models = sizeof registry / sizeof registry[0];
    return registry;
}
