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

/* Per-area fields that one model writes and others read. Each field's writer
 * is named; readers treat it as read-only. */
typedef struct place_state {
    double *blight_index;      /* housing: long voids per 1,000 dwellings */
    double *patrol_intensity;  /* crime and interventions: 0–1 */
} place_state;

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
