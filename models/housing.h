/* housing.h — the social-housing voids model (MODELS.md § 1).
 *
 * Every social dwelling is an agent: occupied → void awaiting repair → in
 * repair → ready to let → occupied. Included by the registry only. */
#ifndef PLACESIM_HOUSING_H
#define PLACESIM_HOUSING_H

#include "shared.h"

extern const model_def housing_model;

/* Its parameter and metric tables (models/housing_params.c). */
extern const param_table housing_param_table;
extern const metric_table housing_metric_table;

/* Its metrics, in declaration order: the enum indexes housing_metric_table
 * (each row is written at its enum's index, and a static assertion in
 * housing_params.c checks a row for each; HOUSING_N_METRICS is the enum's
 * count, for that check). */
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

/* The intervention types housing carries out (MODELS.md § 4,
 * housing_interventions.c), and their parameters as a view's `params`. */
extern const intervention_type housing_repair_teams;
extern const intervention_type housing_void_security;
extern const intervention_type housing_fast_letting;

typedef struct housing_repair_teams_params {
    double teams; /* extra teams for its areas; whole teams work */
} housing_repair_teams_params;

typedef struct housing_void_security_params {
    double secure_after_days; /* voids in its areas are secured at this age */
} housing_void_security_params;

typedef struct housing_fast_letting_params {
    double delay_cut; /* f: a letting delay drawn in its areas × (1 − f) */
} housing_fast_letting_params;

#endif
