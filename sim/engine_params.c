/* engine_params.c — the engine's scenario keys: the run's dates and the place. */
#include "model.h"

static const param_spec engine_params[] = {
    { "name", PARAM_STRING, "", 0, 0, "", NULL, "—",
      "scenario name written in outputs; empty: the file's name without .cfg (never inherited from a base)" },
    { "start", PARAM_DATE, "date", 0, 0, "2025-04-01", NULL,
      "assumption: the start of a UK financial year",
      "first written day" },
    { "years", PARAM_INT, "years", 1, 100, "10", NULL, "ARCHITECTURE.md (run length)",
      "written years from start" },
    { "warmup_years", PARAM_INT, "years", 0, 50, "3", NULL, "ARCHITECTURE.md (warm-up)",
      "years simulated before start and not written, so queues and populations settle" },
    { "areas", PARAM_LIST, "", 0, 0, NULL, NULL, "—",
      "the place's neighbourhoods" },
    { "areas.*.name", PARAM_STRING, "", 0, 0, NULL, NULL, "—", "unique area name" },
    { "areas.*.population", PARAM_INT, "residents", 0, 1e8, NULL, NULL, "scenario",
      "residents" },
    { "areas.*.dwellings", PARAM_INT, "dwellings", 0, 1e8, NULL, NULL, "scenario",
      "dwellings of all tenures" },
    { "areas.*.social_dwellings", PARAM_INT, "dwellings", 0, 1e8, "0", NULL, "scenario",
      "social-housing dwellings (at most dwellings)" },
    { "areas.*.deprivation", PARAM_FLOAT, "0-1", 0, 1, "0.5", NULL, "scenario",
      "deprivation, e.g. an IMD rank scaled to 0-1" },
    { "areas.*.neighbours", PARAM_STRINGS, "area names", 0, 0, "[]", NULL, "scenario",
      "adjacent areas" },
    { "targets", PARAM_LIST, "", 0, 0, "()", NULL, "—",
      "calibration targets: the run reports each against its pooled achieved value" },
    { "targets.*.name", PARAM_STRING, "", 0, 0, NULL, NULL, "—", "unique target name" },
    { "targets.*.metric", PARAM_STRING, "metric name", 0, 0, NULL, NULL, "—",
      "the metric compared (ALL, pooled over the written years and replications)" },
    { "targets.*.value", PARAM_FLOAT, "the metric's unit (counts and money: per year)", -1e15, 1e15,
      NULL, NULL, "scenario", "target value" },
    { "targets.*.tolerance", PARAM_FLOAT, "the metric's unit", 0, 1e15, NULL, NULL, "scenario",
      "met when |achieved - value| <= tolerance" },
    { "targets.*.source", PARAM_STRING, "", 0, 0, NULL, NULL, "—",
      "where the target comes from" },
    { "calibration", PARAM_GROUP, "", 0, 0, "", NULL, "—", "what `placesim calibrate` fits" },
    { "calibration.free", PARAM_LIST, "", 0, 0, "()", NULL, "—",
      "free parameters, named by their key; empty: the re-offending defaults "
      "(reoffending.rate_shape, reoffending.rate_mean_per_year, reoffending.custody_prev_scale)" },
    { "calibration.free.*.name", PARAM_STRING, "parameter key", 0, 0, NULL, NULL, "—",
      "a numeric scenario key" },
    { "calibration.free.*.min", PARAM_FLOAT, "the key's unit", -1e15, 1e15, NULL, NULL, "scenario",
      "lower bound of the search" },
    { "calibration.free.*.max", PARAM_FLOAT, "the key's unit", -1e15, 1e15, NULL, NULL, "scenario",
      "upper bound of the search" },
};

const param_table engine_param_table = {
    "engine", engine_params, sizeof engine_params / sizeof engine_params[0]
};
