/* shared.h — what the service models share: the per-area fields one model
 * writes and others read, the street-crime types, the messages between
 * models and the interventions as the models that carry them out see them.
 *
 * The engine knows none of this: the registry creates the shared state
 * (model_shared_create, model.h), the engine holds it as a `void *` and
 * hands it back through sim_shared, and the models reach it with
 * shared_of. With events, it is the only channel between models. */
#ifndef PLACESIM_SHARED_H
#define PLACESIM_SHARED_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* The street-crime types (MODELS.md § 2), shared vocabulary of the crime
 * and re-offending models. Per-type arrays are indexed [area * CRIME_TYPES + type]. */
enum crime_type {
    CRIME_BURGLARY,
    CRIME_ROBBERY,
    CRIME_THEFT_PERSON,
    CRIME_CRIMINAL_DAMAGE,
    CRIME_VIOLENCE_INJURY,
    CRIME_TYPES
};
extern const char *const crime_type_names[CRIME_TYPES]; /* "burglary", … */

/* Per-area fields that one model writes and others read: with events, the
 * only channel between models. Each field names its writer and when it is
 * written; readers treat it as read-only, except the daily tallies, which
 * their consumer zeroes after reading. Models run in registry order
 * (housing, crime, re-offending) within each phase of a day. */
typedef struct shared_state {
    size_t n_areas;

    /* housing, live */
    double *blight_index; /* long voids per 1,000 dwellings */
    int64_t *ready_lets;  /* dwellings ready to let and not yet claimed;
                                    a model that claims one decrements it and
                                    sends MESSAGE_HOUSING_LET_TO_OFFENDER */
    /* housing, during the day; crime reads and zeroes it at end of day */
    int64_t *damage_today; /* damage incidents to voids (criminal damage) */

    /* crime, at the start of each day (before any event of the day) */
    double *patrol_intensity;   /* 0–1 */
    double *crime_keep;         /* P_a: probability an attempted crime is not
                                    prevented by patrols (1 without patrols) */
    double *detect_probability; /* [a*CRIME_TYPES+k]: per recorded crime today,
                                    patrol uplift included */
    double *crime_attraction;   /* [a*CRIME_TYPES+k]: (1 + beta_k × b_a) × P_a,
                                    for choosing where an offence happens */

    /* re-offending, during the day; crime reads and zeroes them at end of day */
    int64_t
        *tracked_attempted; /* [a*CRIME_TYPES+k] street offences attempted by tracked offenders */
    int64_t *tracked_prevented; /* … of which prevented by patrols */
    int64_t *tracked_detected;  /* … of which committed and detected */

    /* crime, at end of day; re-offending reads and zeroes it at its next start of day */
    int64_t *new_offenders_pending; /* detected background offenders who become tracked */

    /* re-offending, at end of day */
    int64_t *offenders_resident; /* tracked offenders in the community living in the area */

    /* housing, at end of day: secured voids by area (void_security pays by them) */
    int64_t *secured_voids;

    /* the interventions model: every intervention of the scenario, in its
     * order, as it stands for the coming day (written at the end of the
     * warm-up and at the end of each day, after every other model) */
    struct intervention_view *interventions;
    size_t n_interventions;
} shared_state;

/* The run's shared state (valid inside a model's callbacks). */
static inline shared_state *shared_of(sim_run *run) { return (shared_state *)sim_shared(run); }

/* Zeroed shared state for p's areas (crime_keep and crime_attraction 1:
 * without a crime model nothing is prevented or attracted elsewhere).
 * Caller frees with shared_free; NULL when out of memory. */
shared_state *shared_create(const place *p);
void shared_free(shared_state *st);

/* Bytes shared_create allocates per area, for the memory estimate. */
double shared_bytes_per_area(void);

/* One intervention as the models that carry it out see it. The interventions
 * model owns every field but `used`; `active` already accounts for its
 * dates, its set-up having been paid, and a pause for want of money. Effects
 * act only while active, only in areas with in_area[a] set, and combine as
 * MODELS.md § 4 says (hazard ratios multiply, patrol intensities add capped
 * at 1, letting factors multiply, repair teams add, the smallest securing
 * age applies). A carrying model finds its own by comparing `type` with the
 * address of its intervention_type (model.h) and reads `params` as that
 * type's struct. */
typedef struct intervention_view {
    const char *name;
    const intervention_type *type;
    int funder; /* BEARER_HOUSING … BEARER_HEALTH or FUNDER_POOL */
    int active;
    const uint8_t *in_area; /* [n_areas] */
    const void *params;     /* the type's parameter struct (type->read) */
    double cost_per_case;   /* GBP charged at intake for PAY_PER_CASE types,
                                    through sim_fund_case */
    double used;            /* written by the model that carries it out: places
                                    in use, or cases taken this financial year */
} intervention_view;

/* Member `key` of an interventions entry as type t reads it: the value,
 * or t's default (its key row's default_value) when the value is -1, the
 * "the type's default" of the scenario's table. For the types' readers. */
double intervention_param(const intervention_type *t, const scn_node *entry, const char *key);

/* Messages between models: event kinds at or above MESSAGE_BASE, sent with
 * sim_send. Each names its receiver, its agent and its tag. */
enum model_message {
    /* to housing: let a ready dwelling in area `tag` to offender slot `agent`
     * (the sender has already decremented ready_lets[tag]). Housing answers
     * MESSAGE_REOFFENDING_LET_REFUSED if it has none after all. The event's
     * `spare` carries the offender's serial id. */
    MESSAGE_HOUSING_LET_TO_OFFENDER = MESSAGE_BASE,
    /* to re-offending: the let could not be made (agent = slot, spare = serial) */
    MESSAGE_REOFFENDING_LET_REFUSED,
    /* to re-offending: the tenancy of an offender housed by the above ended
     * (agent = slot, spare = serial): their accommodation becomes temporary */
    MESSAGE_REOFFENDING_TENANCY_ENDED
};

#endif
