/* housing.h — the social-housing voids model (MODELS.md § 1).
 *
 * Every social dwelling is an agent: occupied → void awaiting repair → in
 * repair → ready to let → occupied. Included by the registry only. */
#ifndef PLACESIM_HOUSING_H
#define PLACESIM_HOUSING_H

#include "shared.h"

extern const model_def housing_model;

/* Its parameter table (models/housing_params.c); the compiler checks that
 * the definition has exactly this many entries. */
#define HOUSING_N_PARAMS 29
extern const param_spec housing_params[HOUSING_N_PARAMS];

/* Its metrics, in declaration order; the enum indexes housing_metrics. */
enum housing_metric {
    HOUSING_VOIDS,
    HOUSING_VOIDS_LONG,
    HOUSING_VOID_STARTS,
    HOUSING_RELETS,
    HOUSING_DAMAGE_INCIDENTS,
    HOUSING_VOID_DAYS,
    HOUSING_RELET_DAYS_MEAN,
    HOUSING_RELET_DAYS_MEDIAN,
    HOUSING_BLIGHT_INDEX,
    HOUSING_LOST_RENT,
    HOUSING_REPAIR_COST,
    HOUSING_SECURITY_COST,
    HOUSING_REPAIR_QUEUE,
    HOUSING_REPAIR_WAIT_DAYS_MEAN,
    HOUSING_REPAIR_TEAMS_BUSY,
    HOUSING_RELETS_TO_LEAVERS,
    HOUSING_REPAIR_JOBS_BY_INTERVENTIONS,
    HOUSING_N_METRICS
};
extern const metric_spec housing_metrics[HOUSING_N_METRICS];

/* The intervention types housing carries out (MODELS.md § 4,
 * housing_interventions.c), and their parameters as a view's `params`. */
extern const intervention_type housing_repair_teams;
extern const intervention_type housing_void_security;
extern const intervention_type housing_fast_letting;

typedef struct housing_repair_teams_params {
    double teams;               /* extra teams for its areas; whole teams work */
} housing_repair_teams_params;

typedef struct housing_void_security_params {
    double secure_after_days;   /* voids in its areas are secured at this age */
} housing_void_security_params;

typedef struct housing_fast_letting_params {
    double delay_cut;           /* f: a letting delay drawn in its areas × (1 − f) */
} housing_fast_letting_params;

#endif
