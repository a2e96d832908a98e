/* example_model.h — a fourth service model that lives in the tests only
 * (models/README.md, "Adding a model"): neighbourhood wardens. It reads a
 * value another model shares (housing's blight_index) and carries out an
 * intervention type of its own (neighbourhood_wardens), touching no file
 * in sim/ and registered only in its test's run config. */
#ifndef PLACESIM_EXAMPLE_MODEL_H
#define PLACESIM_EXAMPLE_MODEL_H

#include "shared.h"

extern const model_def wardens_model;

/* Its intervention type, and its parameters as a view's `params`. */
extern const intervention_type wardens_neighbourhood_wardens;

typedef struct wardens_neighbourhood_params {
    double wardens; /* on patrol in its areas each day it acts */
} wardens_neighbourhood_params;

enum wardens_metric { WARDENS_VISITS, WARDENS_BLIGHT_SEEN, WARDENS_N_METRICS };

#endif
