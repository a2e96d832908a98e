/* reoffending.h — the re-offending model (MODELS.md § 3).
 *
 * Tracked offenders offend as Poisson processes in the community, are
 * detected, sentenced after a court delay, serve custody or supervision, are
 * released into settled, temporary or homeless accommodation and desist; the
 * Ministry of Justice cohort measure is computed from their index events and
 * proofs. Included by the registry and the tests only. */
#ifndef PLACESIM_REOFFENDING_H
#define PLACESIM_REOFFENDING_H

#include "shared.h"

extern const model_def reoffending_model;

/* Its parameter table (models/reoffending_params.c); the compiler checks
 * that the definition has exactly this many entries. */
#define REOFFENDING_N_PARAMS 59
extern const param_spec reoffending_params[REOFFENDING_N_PARAMS];

/* Its metrics, in declaration order; the enum indexes reoffending_metrics. */
enum reoffending_metric {
    REO_OFFENDERS_COMMUNITY,
    REO_PROBATION_CASELOAD,
    REO_PRISON_POPULATION,
    REO_RELEASES,
    REO_RELEASES_HOMELESS,
    REO_OFFENCES_COMMITTED,
    REO_PROVEN_OFFENCES,
    REO_NEW_OFFENDERS,
    REO_DESISTANCES,
    REO_FIRST_PROOFS,
    /* take-up of the interventions on people (MODELS.md § 4) */
    REO_ENROLMENTS_EMPLOYMENT,
    REO_ENROLMENTS_INTENSIVE,
    REO_RELEASES_HOUSED,
    /* quarterly cohort metrics (ALL only) */
    REO_RATE_CUSTODY_SHORT,
    REO_RATE_CUSTODY_OR_ORDER,
    REO_RATE_ALL,
    REO_SIZE_CUSTODY_SHORT,
    REO_SIZE_CUSTODY_OR_ORDER,
    REO_SIZE_ALL,
    REO_REOFFENCES_PER_REOFFENDER,
    REO_RATE_RELEASED_SETTLED,
    REO_RATE_RELEASED_TEMPORARY,
    REO_RATE_RELEASED_HOMELESS,
    REO_N_METRICS
};
extern const metric_spec reoffending_metrics[REO_N_METRICS];

/* First-time entrants a year that hold the tracked population stationary
 * when reoffending.first_time_entrants_per_year is negative (its default):
 *     desist_per_year × round(offenders_initial_per_resident × population),
 * the yearly number of desistances from the initial population. Returns the
 * configured value when it is 0 or more. For `placesim check` to print. */
double reoffending_entrants_per_year(const scenario *s, const place *p);

/* The intervention types re-offending carries out (MODELS.md § 4,
 * reoffending_programmes.c), and their parameters as a view's `params`. */
extern const intervention_type reoffending_housing_on_release;
extern const intervention_type reoffending_employment_support;
extern const intervention_type reoffending_intensive_supervision;

typedef struct reoffending_housing_on_release_params {
    double leavers_per_year;    /* housed a financial year, at most */
} reoffending_housing_on_release_params;

typedef struct reoffending_employment_support_params {
    double places;
    double hazard_ratio;        /* on offending while enrolled … */
    double persistence_days;    /* … and this long after leaving a place */
} reoffending_employment_support_params;

typedef struct reoffending_intensive_supervision_params {
    double officers;            /* paid by the officer-day */
    double places;              /* officers × caseload_per_officer */
    double hazard_ratio;
    double min_previous;        /* eligible from this many previous proven offences */
} reoffending_intensive_supervision_params;

#endif
