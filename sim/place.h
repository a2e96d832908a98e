/* place.h — the place: its areas, fixed for a run. What the models share
 * about them is theirs (models/shared.h), passed through by the engine. */
#ifndef PLACESIM_PLACE_H
#define PLACESIM_PLACE_H

#include <stddef.h>
#include <stdint.h>
#include "scenario.h"

typedef struct area {
    const char *name;   /* owned by the scenario */
    int64_t population; /* residents */
    int64_t dwellings;  /* all tenures */
    int64_t social_dwellings;
    double deprivation;   /* 0–1 */
    uint32_t *neighbours; /* indices into place.areas */
    size_t n_neighbours;
} area;

typedef struct place {
    area *areas;
    size_t n_areas;
    int64_t population; /* sums over areas */
    int64_t dwellings;
    int64_t social_dwellings;
    uint32_t *by_name; /* area indices sorted by name (ties by index),
                                  for place_area_index; NULL: a linear scan */
} place;

/* Builds the place from the scenario's `areas` list: checks what the
 * parameter table cannot (neighbours name existing areas and not the area
 * itself, social_dwellings <= dwellings). Returns 0, or -1 with
 * "FILE:LINE: key: what is wrong" lines in err. */
int place_build(const scenario *s, place *out, char *err, size_t errlen);
void place_free(place *p);

/* Index of the area called `name` (the first, should two share it), or -1.
 * O(log n_areas) on a place from place_build. */
long place_area_index(const place *p, const char *name);

#endif
