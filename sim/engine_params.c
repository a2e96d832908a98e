/* engine_params.c — the engine's scenario keys: the run's dates and the place. */
#include "model.h"

static const param_spec engine_params[] = {
    PARAM_STRING_ROW("name", "", "", "—",
                     "scenario name written in outputs; empty: the file's name without .cfg (never "
                     "inherited from a base)"),
    PARAM_DATE_ROW("start", "date", "2025-04-01", "assumption: the start of a UK financial year",
                   "first written day"),
    PARAM_INT_ROW("years", "years", 1, 100, "10", "ARCHITECTURE.md (run length)",
                  "written years from start"),
    PARAM_INT_ROW("warmup_years", "years", 0, 50, "3", "ARCHITECTURE.md (warm-up)",
                  "years simulated before start and not written, so queues and populations settle"),
    PARAM_STRING_ROW(
        "price_year", "financial year YYYY/YY", "2024/25",
        "assumption: the last full financial year before the default start",
        "the price year of every money value in outputs (unit costs are rebased to it by the "
        "cost library's GDP deflator)"),
    PARAM_STRING_ROW(
        "cost_library", "file path", "", "—",
        "the cost library (unit costs and deflator), relative to the file that sets it; "
        "empty: the default library, scenarios/costs/default.cfg"),
    PARAM_STRINGS_ROW(
        "models", "model names", "[]", "—",
        "the service models to run (placesim describe lists them), in any order: they run in the "
        "registry's phase order; each must have what it needs from the others; empty: every one"),
    PARAM_LIST_ROW("areas", NULL, "—", "the place's neighbourhoods"),
    PARAM_STRING_ROW("areas.*.name", "", NULL, "—", "unique area name"),
    PARAM_INT_ROW("areas.*.population", "residents", 0, 1e8, NULL, "scenario", "residents"),
    PARAM_INT_ROW("areas.*.dwellings", "dwellings", 0, 1e8, NULL, "scenario",
                  "dwellings of all tenures"),
    PARAM_INT_ROW("areas.*.social_dwellings", "dwellings", 0, 1e8, "0", "scenario",
                  "social-housing dwellings (at most dwellings)"),
    PARAM_FLOAT_ROW("areas.*.deprivation", "0-1", 0, 1, "0.5", "scenario",
                    "deprivation, e.g. an IMD rank scaled to 0-1"),
    PARAM_STRINGS_ROW("areas.*.neighbours", "area names", "[]", "scenario", "adjacent areas"),
    PARAM_LIST_ROW("targets", "()", "—",
                   "calibration targets: the run reports each against its pooled achieved value"),
    PARAM_STRING_ROW("targets.*.name", "", NULL, "—", "unique target name"),
    PARAM_STRING_ROW("targets.*.metric", "metric name", NULL, "—",
                     "the metric compared (ALL, pooled over the written years and replications)"),
    PARAM_FLOAT_ROW("targets.*.value", "the metric's unit (counts and money: per year)", -1e15,
                    1e15, NULL, "scenario", "target value"),
    PARAM_FLOAT_ROW("targets.*.tolerance", "the metric's unit", 0, 1e15, NULL, "scenario",
                    "two-sided: met when |achieved - value| <= tolerance; the scale of the "
                    "target's term ((value - achieved) / tolerance)^2 in the calibration distance"),
    PARAM_ENUM_ROW("targets.*.bound", "two_sided", "two_sided|at_least|at_most",
                   "scenario (two_sided: a published point figure)",
                   "at_least: met when achieved >= value, and the distance counts only a "
                   "shortfall; at_most: met when achieved <= value, counting only an excess"),
    PARAM_STRING_ROW("targets.*.source", "", NULL, "—", "where the target comes from"),
    PARAM_GROUP_ROW("budgets", "", "—",
                    "discretionary budgets for interventions (MODELS.md section 5); demand costs "
                    "never draw on them"),
    PARAM_ENUM_ROW("budgets.regime", "siloed", "siloed|pooled", "MODELS.md section 5",
                   "siloed: each intervention spends its funder's budget; pooled: holders put "
                   "shares into a pool"),
    PARAM_FLOAT_ROW("budgets.housing", "GBP per financial year", 0, 1e12, "0",
                    "scenario (0: no discretionary money unless a scenario gives it)",
                    "housing's budget"),
    PARAM_FLOAT_ROW("budgets.police", "GBP per financial year", 0, 1e12, "0", "scenario",
                    "the police's budget"),
    PARAM_FLOAT_ROW("budgets.probation", "GBP per financial year", 0, 1e12, "0", "scenario",
                    "probation's budget"),
    PARAM_FLOAT_ROW("budgets.prisons", "GBP per financial year", 0, 1e12, "0", "scenario",
                    "prisons' budget"),
    PARAM_FLOAT_ROW("budgets.council", "GBP per financial year", 0, 1e12, "0", "scenario",
                    "the council's budget"),
    PARAM_FLOAT_ROW("budgets.health", "GBP per financial year", 0, 1e12, "0", "scenario",
                    "health's budget"),
    PARAM_GROUP_ROW("budgets.pool_share", "", "—",
                    "pooled regime: share of each holder's allocation put into the pool"),
    PARAM_FLOAT_ROW("budgets.pool_share.housing", "share", 0, 1, "0", "scenario", ""),
    PARAM_FLOAT_ROW("budgets.pool_share.police", "share", 0, 1, "0", "scenario", ""),
    PARAM_FLOAT_ROW("budgets.pool_share.probation", "share", 0, 1, "0", "scenario", ""),
    PARAM_FLOAT_ROW("budgets.pool_share.prisons", "share", 0, 1, "0", "scenario", ""),
    PARAM_FLOAT_ROW("budgets.pool_share.council", "share", 0, 1, "0", "scenario", ""),
    PARAM_FLOAT_ROW("budgets.pool_share.health", "share", 0, 1, "0", "scenario", ""),
    PARAM_FLOAT_ROW("budgets.rollover_share", "share", 0, 1, "0", "scenario",
                    "pooled regime: share of a holder's unspent budget sent to the pool on 31 "
                    "March (the rest lapses)"),
    PARAM_GROUP_ROW(
        "budgets.pool_years", "", "MODELS.md section 5",
        "pooled regime: the pool's agreement, in financial years; contributions and rollovers "
        "happen "
        "only in them, and at the end of the last (31 March) the unspent pool returns to the "
        "contributors in proportion to what each put in, then lapses"),
    PARAM_STRING_ROW(
        "budgets.pool_years.from", "financial year YYYY/YY", "",
        "empty: the first financial year in which a pool-funded intervention is active",
        "first financial year of the agreement"),
    PARAM_STRING_ROW("budgets.pool_years.to", "financial year YYYY/YY", "",
                     "empty: the last financial year in which a pool-funded intervention is active",
                     "last financial year of the agreement"),
    PARAM_GROUP_ROW("calibration", "", "—", "what `placesim calibrate` fits"),
    PARAM_LIST_ROW(
        "calibration.free", "()", "—",
        "free parameters, named by their key; `placesim calibrate` refuses a scenario without "
        "any"),
    PARAM_STRING_ROW("calibration.free.*.name", "parameter key", NULL, "—",
                     "a numeric scenario key"),
    PARAM_FLOAT_ROW("calibration.free.*.min", "the key's unit", -1e15, 1e15, NULL, "scenario",
                    "lower bound of the search"),
    PARAM_FLOAT_ROW("calibration.free.*.max", "the key's unit", -1e15, 1e15, NULL, "scenario",
                    "upper bound of the search"),
};

const param_table engine_param_table = { "engine", engine_params,
                                         sizeof engine_params / sizeof engine_params[0] };
