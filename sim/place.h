/* place.h — the place: its areas (fixed for a run) and the per-area state
 * that models share (the only channel between models besides events). */
#ifndef PLACESIM_PLACE_H
#define PLACESIM_PLACE_H

#include <stddef.h>
#include <stdint.h>
#include "scenario.h"

typedef struct area {
    const char *name;          /* owned by the scenario */
    int64_t population;        /* residents */
    int64_t dwellings;         /* all tenures */
    int64_t social_dwellings;
    double deprivation;        /* 0–1 */
    uint32_t *neighbours;      /* indices into place.areas */
    size_t n_neighbours;
} area;

typedef struct place {
    area *areas;
    size_t n_areas;
    int64_t population;        /* sums over areas */
    int64_t dwellings;
    int64_t social_dwellings;
    uint32_t *by_name;         /* area indices sorted by name (ties by index),
                                  for place_area_index; NULL: a linear scan */
} place;

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
typedef struct place_state {
    size_t n_areas;

    /* housing, live */
    double *blight_index;        /* long voids per 1,000 dwellings */
    int64_t *ready_lets;         /* dwellings ready to let and not yet claimed;
                                    a model that claims one decrements it and
                                    sends MESSAGE_HOUSING_LET_TO_OFFENDER */
    /* housing, during the day; crime reads and zeroes it at end of day */
    int64_t *damage_today;       /* damage incidents to voids (criminal damage) */

    /* crime, at the start of each day (before any event of the day) */
    double *patrol_intensity;    /* 0–1 */
    double *crime_keep;          /* P_a: probability an attempted crime is not
                                    prevented by patrols (1 without patrols) */
    double *detect_probability;  /* [a*CRIME_TYPES+k]: per recorded crime today,
                                    patrol uplift included */
    double *crime_attraction;    /* [a*CRIME_TYPES+k]: (1 + beta_k × b_a) × P_a,
                                    for choosing where an offence happens */

    /* re-offending, during the day; crime reads and zeroes them at end of day */
    int64_t *tracked_attempted;  /* [a*CRIME_TYPES+k] street offences attempted by tracked offenders */
    int64_t *tracked_prevented;  /* … of which prevented by patrols */
    int64_t *tracked_detected;   /* … of which committed and detected */

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
} place_state;

/* The intervention catalogue (MODELS.md § 4). */
enum intervention_type {
    INTERVENTION_REPAIR_TEAMS,
    INTERVENTION_VOID_SECURITY,
    INTERVENTION_FAST_LETTING,
    INTERVENTION_HOTSPOT_PATROLS,
    INTERVENTION_HOUSING_ON_RELEASE,
    INTERVENTION_EMPLOYMENT_SUPPORT,
    INTERVENTION_INTENSIVE_SUPERVISION,
    INTERVENTION_TYPES
};
extern const char *const intervention_type_names[INTERVENTION_TYPES]; /* "repair_teams", … */

/* Who pays an intervention: a budget holder (enum bearer values
 * BEARER_HOUSING … BEARER_HEALTH, model.h) or the pool. */
enum { FUNDER_POOL = 100 };

/* One intervention as the models that carry it out see it. The interventions
 * model owns every field but `used`; `active` already accounts for its
 * dates, its set-up having been paid, and a pause for want of money. Effects
 * act only while active, only in areas with in_area[a] set, and combine as
 * MODELS.md § 4 says (hazard ratios multiply, patrol intensities add capped
 * at 1, letting factors multiply, repair teams add, the smallest securing
 * age applies). */
typedef struct intervention_view {
    const char *name;
    enum intervention_type type;
    int funder;                  /* BEARER_HOUSING … BEARER_HEALTH or FUNDER_POOL */
    int active;
    const uint8_t *in_area;      /* [n_areas] */
    double capacity;             /* repair_teams: teams; housing_on_release: leavers a
                                    year; employment_support: places;
                                    intensive_supervision: places (officers × caseload) */
    double intensity;            /* hotspot_patrols: 0–1 */
    double effect;               /* void_security: secure after this many days;
                                    fast_letting: f, delay × (1 − f);
                                    employment_support, intensive_supervision: hazard ratio */
    double persistence_days;     /* employment_support: the ratio lasts this long after leaving */
    double min_previous;         /* intensive_supervision: eligible from this many previous proven offences */
    double cost_per_case;        /* GBP charged at intake for case-based types
                                    (housing_on_release, employment_support), through sim_fund_case */
    double used;                 /* written by the model that carries it out: places
                                    in use, or cases taken this financial year */
} intervention_view;

/* Messages between models: event kinds at or above MESSAGE_BASE, sent with
 * sim_send. Each names its receiver, its agent and its tag. */
enum place_message {
    MESSAGE_BASE = 0x8000,
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

/* Builds the place from the scenario's `areas` list: checks what the
 * parameter table cannot (neighbours name existing areas and not the area
 * itself, social_dwellings <= dwellings). Returns 0, or -1 with
 * "FILE:LINE: key: what is wrong" lines in err. */
int place_build(const scenario *s, place *out, char *err, size_t errlen);
void place_free(place *p);

/* Index of the area called `name` (the first, should two share it), or -1.
 * O(log n_areas) on a place from place_build. */
long place_area_index(const place *p, const char *name);

/* Zeroed shared state for p's areas; 0 or -1 when out of memory. */
int place_state_init(place_state *st, const place *p);
void place_state_free(place_state *st);

#endif
