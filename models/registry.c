/* registry.c — every model, in the order the engine calls them in each phase
 * of a day. The only place that knows the models by name. The order is phase
 * order only: a model's random streams are keyed by its own stream_id, so a
 * model may be inserted anywhere without changing another's draws. Stream
 * ids in use: housing 0, crime 1, reoffending 2, interventions 3 (their old
 * positions, so that no output changed); a new model takes the next free one. */
#include "crime.h"
#include "housing.h"
#include "interventions.h"
#include "reoffending.h"
#include "shared.h"

static const model_def *const registry[] = {
    &housing_model,
    &crime_model,
    &reoffending_model,
    /* It acts in prepare_day, before every model's begin_day. */
    &interventions_model,
};

const model_def *const *model_registry(size_t *n_models)
{
    *n_models = sizeof registry / sizeof registry[0];
    return registry;
}

void *model_shared_create(const place *p) { return shared_create(p); }

void model_shared_free(void *shared) { shared_free(shared); }

double model_shared_bytes_per_area(void) { return shared_bytes_per_area(); }
