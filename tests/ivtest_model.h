/* ivtest_model.h — a test-only stand-in for the interventions model,
 * shared by the tests of the interventions the service models carry out
 * (test_interventions_place.c, test_interventions_people.c).
 *
 * "ivtest", registered after the models it serves, owns one or two
 * intervention_views of one type, built from its own keys (ivtest.*, none
 * of the real interventions model's checks or money): it registers them
 * with the budget in order (so that sim_fund_case knows view k), publishes
 * them through shared_state.interventions at create, and in its end_day
 * sets `active` for the next day from its dates (days counted from the
 * written start), as the real model does each evening, and zeroes `used`
 * on 1 April for a type that counts cases a year. It draws nothing, so the
 * models' draws are the same with and without it.
 *
 * Keys: type (any of the real models' seven); count (1 or 2 views); areas,
 * areas2 (bit masks of area indices, 0: every area); value, value2 (the
 * one number of a place type: repair_teams' teams, void_security's
 * secure_after_days, fast_letting's delay_cut, hotspot_patrols' intensity);
 * capacity, effect, persistence_days, min_previous, cost_per_case (a people
 * type's: places or leavers a year, hazard ratio, …); start_day, end_day
 * (active on start_day … end_day − 1). */
#ifndef PLACESIM_IVTEST_MODEL_H
#define PLACESIM_IVTEST_MODEL_H

#include "shared.h"

extern const model_def ivtest_model;

/* Its metrics (ALL only): ivtest_used (level mean: the views' used summed),
 * ivtest_secured_voids (level mean: shared_state.secured_voids summed),
 * ivtest_place_days (count: places in use, over the days, of types that
 * do not count cases a year) and ivtest_over_capacity_days (count: days on
 * which a view used more than `capacity`). */

#endif
