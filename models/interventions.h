/* interventions.h — the interventions model (MODELS.md § 4): decides which
 * of the scenario's interventions act each day and pays for them; the
 * service models read the result in shared_state.interventions. Included by
 * the registry only. */
#ifndef PLACESIM_INTERVENTIONS_H
#define PLACESIM_INTERVENTIONS_H

#include "shared.h"

extern const model_def interventions_model;

/* The registered model whose catalogue (model_def.intervention_types)
 * declares the type called `name`, or NULL. */
const model_def *interventions_type_carrier(const char *name);

/* model_def.needs (interventions_needs.c): the model that carries out each
 * of the scenario's interventions must run. */
const char *interventions_needs(const scenario *s, const char *const *running, size_t n_running,
                                char *why, size_t whylen);

#endif
