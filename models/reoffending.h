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

/* Its parameter and metric tables (models/reoffending_params.c). */
extern const param_table reoffending_param_table;
extern const metric_table reoffending_metric_table;

/* Its metrics, in declaration order: the enum indexes
 * reoffending_metric_table (each row is written at its enum's index, and a
 * static assertion in reoffending_params.c checks a row for each;
 * REOFFENDING_N_METRICS is the enum's count, for that check). */
enum reoffending_metric {
    REOFFENDING_OFFENDERS_COMMUNITY,
    REOFFENDING_PROBATION_CASELOAD,
    REOFFENDING_PRISON_POPULATION,
    REOFFENDING_RELEASES,
    REOFFENDING_RELEASES_HOMELESS,
    REOFFENDING_OFFENCES_COMMITTED,
    REOFFENDING_PROVEN_OFFENCES,
    REOFFENDING_NEW_OFFENDERS,
    REOFFENDING_DESISTANCES,
    REOFFENDING_FIRST_PROOFS,
    /* take-up of the interventions on people (MODELS.md § 4) */
    REOFFENDING_ENROLMENTS_EMPLOYMENT,
    REOFFENDING_ENROLMENTS_INTENSIVE,
    REOFFENDING_RELEASES_HOUSED,
    /* quarterly cohort metrics (ALL only) */
    REOFFENDING_RATE_CUSTODY_SHORT,
    REOFFENDING_RATE_CUSTODY_OR_ORDER,
    REOFFENDING_RATE_ALL,
    REOFFENDING_SIZE_CUSTODY_SHORT,
    REOFFENDING_SIZE_CUSTODY_OR_ORDER,
    REOFFENDING_SIZE_ALL,
    REOFFENDING_REOFFENCES_PER_REOFFENDER,
    REOFFENDING_RATE_RELEASED_SETTLED,
    REOFFENDING_RATE_RELEASED_TEMPORARY,
    REOFFENDING_RATE_RELEASED_HOMELESS,
    REOFFENDING_SIZE_RELEASED_SETTLED,
    REOFFENDING_SIZE_RELEASED_TEMPORARY,
    REOFFENDING_SIZE_RELEASED_HOMELESS,
    /* by previous proven offences before the index offence */
    REOFFENDING_RATE_PREV_0,
    REOFFENDING_RATE_PREV_1_2,
    REOFFENDING_RATE_PREV_3_6,
    REOFFENDING_RATE_PREV_7_10,
    REOFFENDING_RATE_PREV_11PLUS,
    REOFFENDING_SIZE_PREV_0,
    REOFFENDING_SIZE_PREV_1_2,
    REOFFENDING_SIZE_PREV_3_6,
    REOFFENDING_SIZE_PREV_7_10,
    REOFFENDING_SIZE_PREV_11PLUS,
    /* the long-run measure of custody leavers: within 1 … 9 years, in order */
    REOFFENDING_WITHIN_1Y_CUSTODY,
    REOFFENDING_WITHIN_2Y_CUSTODY,
    REOFFENDING_WITHIN_3Y_CUSTODY,
    REOFFENDING_WITHIN_4Y_CUSTODY,
    REOFFENDING_WITHIN_5Y_CUSTODY,
    REOFFENDING_WITHIN_6Y_CUSTODY,
    REOFFENDING_WITHIN_7Y_CUSTODY,
    REOFFENDING_WITHIN_8Y_CUSTODY,
    REOFFENDING_WITHIN_9Y_CUSTODY,
    REOFFENDING_N_METRICS
};

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
    double leavers_per_year; /* housed a financial year, at most */
} reoffending_housing_on_release_params;

typedef struct reoffending_employment_support_params {
    double places;
    double hazard_ratio;     /* on offending while enrolled … */
    double persistence_days; /* … and this long after leaving a place */
} reoffending_employment_support_params;

typedef struct reoffending_intensive_supervision_params {
    double officers; /* paid by the officer-day */
    double places;   /* officers × caseload_per_officer */
    double hazard_ratio;
    double min_previous; /* eligible from this many previous proven offences */
} reoffending_intensive_supervision_params;

#endif
