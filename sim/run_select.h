/* run_select.h — `run --metric NAME --area NAME`: which metrics and areas
 * series.csv and years.csv hold (ALL rows always). */
#ifndef PLACESIM_RUN_SELECT_H
#define PLACESIM_RUN_SELECT_H

#include <stddef.h>
#include "output.h"
#include "recorder.h"

typedef struct run_select {
    output_filter filter;
    unsigned char *metric_on; /* owned; NULL: every metric */
    unsigned char *area_on;   /* owned; NULL: every area */
} run_select;

/* Builds the filter for the named metrics (of rec, as declared by
 * engine_declared_metrics) and areas ("ALL" selects ALL alone). No names:
 * everything. Returns 0; 2 with "unknown metric 'X' (did you mean Y?)" or
 * the same for an area in err; -1 when out of memory. */
int run_select_build(run_select *s, const recorder *rec, const char *const *metrics,
                     size_t n_metrics, const char *const *areas, size_t n_areas, char *err,
                     size_t errlen);
void run_select_free(run_select *s);

#endif
