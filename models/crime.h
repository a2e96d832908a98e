/* crime.h — the street-crime model (MODELS.md § 2).
 *
 * Crimes are counts per area, type and day: background crime drawn each
 * morning, void damage (from housing) and tracked offenders' offences (from
 * re-offending) tallied each evening. The model also writes the patrol fields
 * of the shared place state that re-offending reads. Included by the
 * registry and the tests only. */
#ifndef PLACESIM_CRIME_H
#define PLACESIM_CRIME_H

#include "shared.h"

extern const model_def crime_model;

/* Its parameter and metric tables (models/crime_params.c). */
extern const param_table crime_param_table;
extern const metric_table crime_metric_table;

/* Its metrics, in declaration order: crimes_<type> for every type in
 * enum crime_type order, then detected_<type>, then prevented_<type>, then
 * residents. Index with these helpers (each row is written at its index,
 * and a static assertion in crime_params.c checks a row for each;
 * CRIME_N_METRICS is the enum's count, for that check). */
enum crime_metric {
    CRIME_METRIC_CRIMES = 0,
    CRIME_METRIC_DETECTED = CRIME_TYPES,
    CRIME_METRIC_PREVENTED = 2 * CRIME_TYPES,
    CRIME_METRIC_RESIDENTS = 3 * CRIME_TYPES,
    CRIME_N_METRICS
};

/* The intervention type crime carries out (MODELS.md § 4), and its
 * parameters as a view's `params`. */
extern const intervention_type crime_hotspot_patrols;

typedef struct crime_hotspot_patrols_params {
    double intensity; /* 0–1, added to its areas' patrol intensity */
} crime_hotspot_patrols_params;

/* The probability that a crime attempted in an area is committed, not
 * prevented by patrols: max(0, 1 − e·i − diffusion·e·ī), for patrol effect
 * e, the area's intensity i and the mean intensity ī of its neighbours.
 * Pure; exposed for the unit tests. */
double crime_keep_probability(double effect, double diffusion, double intensity,
                              double neighbour_intensity);

#endif
