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
} place_state;

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

/* Zeroed shared state for p's areas; 0 or -1 when out of memory. */
int place_state_init(place_state *st, const place *p);
void place_state_free(place_state *st);

#endif
