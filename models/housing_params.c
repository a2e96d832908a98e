/* housing_params.c — the voids model's parameters and metrics, each default
 * with its source (MODELS.md § 1, ../shared/data/reference-figures.md). */
#include "housing.h"

#define DURATION_CHOICES "lognormal|exponential|fixed"

static const param_spec housing_params[] = {
    PARAM_GROUP_ROW("housing", "", "—", "social-housing voids model"),
    PARAM_FLOAT_ROW("housing.turnover", "tenancy ends per dwelling-year", 0, 1, "0.06",
                    "MHCLG Social housing lettings 2023/24: ~5.4% of social stock re-let a year, "
                    "6.8% of council stock",
                    "rate at which tenancies end (exponential tenancy lengths)"),
    PARAM_INT_ROW("housing.repair_teams", "teams", 0, 100000, "50",
                  "assumption for ~25,000 social homes (utilisation ~0.9); scenarios size it for "
                  "a repair utilisation of ~0.8 (MODELS.md section 1; the borough: 57, "
                  "models/README.md)",
                  "repair servers working on voids in parallel, one void each"),
    PARAM_ENUM_ROW("housing.queue_order", "fifo", "fifo|longest_void_first|target_areas_first",
                   "MODELS.md § 1", "order in which waiting voids get a repair team"),
    PARAM_STRINGS_ROW("housing.target_areas", "area names", "[]", "scenario",
                      "areas served first under target_areas_first"),

    PARAM_GROUP_ROW("housing.repair_work", "", "—", "repair work per void"),
    PARAM_ENUM_ROW("housing.repair_work.distribution", "lognormal", DURATION_CHOICES,
                   "MODELS.md § 1 (exponential and fixed keep the lognormal's mean, for checks "
                   "against theory)",
                   "distribution of work per void"),
    PARAM_FLOAT_ROW("housing.repair_work.median_team_days", "team-days", 0, 365, "6", "assumption",
                    "median work per void"),
    PARAM_FLOAT_ROW("housing.repair_work.sigma", "log-scale", 0, 3, "0.8", "assumption",
                    "lognormal shape of work per void"),
    PARAM_FLOAT_ROW("housing.repair_work.major_share", "share", 0, 1, "0.1", "assumption",
                    "share of voids needing major works"),
    PARAM_FLOAT_ROW("housing.repair_work.major_multiplier", "x", 1, 100, "4", "assumption",
                    "work multiplier for major works"),

    PARAM_GROUP_ROW("housing.letting_delay", "", "—", "delay from ready-to-let to a new tenancy"),
    PARAM_ENUM_ROW("housing.letting_delay.distribution", "lognormal", DURATION_CHOICES,
                   "MODELS.md § 1", "distribution of the letting delay"),
    PARAM_FLOAT_ROW("housing.letting_delay.median_days", "days", 0, 365, "10", "assumption",
                    "median letting delay at deprivation 0"),
    PARAM_FLOAT_ROW("housing.letting_delay.sigma", "log-scale", 0, 3, "0.7", "assumption",
                    "lognormal shape of the letting delay"),
    PARAM_FLOAT_ROW("housing.letting_delay.deprivation_factor", "x", 0, 10, "1",
                    "assumption (MODELS.md: delay x (1 + deprivation))",
                    "the delay is multiplied by 1 + factor x the area's deprivation"),

    PARAM_GROUP_ROW("housing.damage", "", "—", "damage to unsecured voids"),
    PARAM_FLOAT_ROW("housing.damage.hazard_per_day", "per void-day", 0, 1, "0.002", "assumption",
                    "damage hazard of an unsecured void"),
    PARAM_FLOAT_ROW("housing.damage.exposure_after_days", "days", 0, 3650, "28", "assumption",
                    "void age after which the hazard is multiplied"),
    PARAM_FLOAT_ROW("housing.damage.exposed_multiplier", "x", 0, 100, "3", "assumption",
                    "hazard multiplier once a void is older than exposure_after_days"),
    PARAM_FLOAT_ROW("housing.damage.secured_divisor", "x", 1, 1000, "5",
                    "assumption (Spelman 1993: securing open buildings was cost-effective)",
                    "securing divides the damage hazard by this"),
    PARAM_ENUM_ROW("housing.damage.work_distribution", "lognormal", DURATION_CHOICES,
                   "MODELS.md § 1", "distribution of work added per incident"),
    PARAM_FLOAT_ROW("housing.damage.work_median_team_days", "team-days", 0, 365, "2", "assumption",
                    "median repair work added per damage incident"),
    PARAM_FLOAT_ROW("housing.damage.work_sigma", "log-scale", 0, 3, "0.8",
                    "assumption (same shape as repair work)", "lognormal shape of added work"),

    PARAM_GROUP_ROW("housing.securing", "", "—", "baseline securing of voids"),
    PARAM_BOOL_ROW("housing.securing.enabled", "false",
                   "assumption: no routine securing at baseline (void_security is an intervention)",
                   "secure every void once it is older than after_days"),
    PARAM_FLOAT_ROW("housing.securing.after_days", "days", 0, 3650, "14", "assumption",
                    "void age at which a void is secured"),

    PARAM_FLOAT_ROW("housing.blight_after_days", "days", 0, 3650, "42", "assumption (six weeks)",
                    "a void older than this is long and blights its area"),
    PARAM_FLOAT_ROW("housing.secured_blight_weight", "weight", 0, 1, "0.25", "assumption",
                    "weight of a secured long void in the blight index"),
    /* Unit costs (rent lost per void-week, repair per team-day, security
     * per void-week) are in the cost library, scenarios/costs/default.cfg. */
};

static const metric_spec housing_metrics[] = {
    [HOUSING_VOIDS] = METRIC_ROW("voids", METRIC_LEVEL_END, "dwellings",
                                 "void social dwellings at the end of the period"),
    [HOUSING_VOIDS_LONG] = METRIC_ROW("voids_long", METRIC_LEVEL_END, "dwellings",
                                      "voids older than blight_after_days"),
    [HOUSING_VOID_STARTS] = METRIC_ROW("void_starts", METRIC_COUNT, "events", "tenancies ended"),
    [HOUSING_RELETS] = METRIC_ROW("relets", METRIC_COUNT, "events", "voids re-let"),
    [HOUSING_DAMAGE_INCIDENTS] = METRIC_ROW("damage_incidents", METRIC_COUNT, "events",
                                            "damage to void dwellings (criminal damage)"),
    [HOUSING_VOID_DAYS] = METRIC_ROW("void_days", METRIC_COUNT, "dwelling-days",
                                     "voids counted at the end of each day"),
    [HOUSING_RELET_DAYS_MEAN] = METRIC_ROW("relet_days_mean", METRIC_EVENT_MEAN, "days",
                                           "days vacant before re-let, over re-lets in the period"),
    [HOUSING_RELET_DAYS_MEDIAN] = METRIC_ROW("relet_days_median", METRIC_EVENT_MEDIAN, "days",
                                             "median days vacant before re-let"),
    [HOUSING_BLIGHT_INDEX] = METRIC_RATIO_ROW(
        "blight_index", METRIC_LEVEL_MEAN, "long voids per 1,000 dwellings", 1000.0,
        "long voids (secured ones weighted) per 1,000 dwellings of all tenures"),
    [HOUSING_LOST_RENT] = METRIC_ROW("lost_rent", METRIC_MONEY, "GBP", "rent lost on voids"),
    [HOUSING_REPAIR_COST] = METRIC_ROW("repair_cost", METRIC_MONEY, "GBP",
                                       "repair work completed, at the team-day cost"),
    [HOUSING_SECURITY_COST] =
        METRIC_ROW("security_cost", METRIC_MONEY, "GBP", "cost of secured voids"),
    [HOUSING_REPAIR_QUEUE] = METRIC_ROW("repair_queue", METRIC_LEVEL_END, "dwellings",
                                        "voids waiting for a repair team"),
    [HOUSING_REPAIR_WAIT_DAYS_MEAN] =
        METRIC_ROW("repair_wait_days_mean", METRIC_EVENT_MEAN, "days",
                   "days from joining the repair queue to a team starting"),
    [HOUSING_REPAIR_TEAMS_BUSY] =
        METRIC_ALL_ONLY_ROW("repair_teams_busy", METRIC_LEVEL_MEAN, "teams",
                            "repair teams at work (utilisation = this / repair_teams)"),
    [HOUSING_RELETS_TO_LEAVERS] =
        METRIC_ROW("relets_to_leavers", METRIC_COUNT, "events",
                   "ready lets taken by prison leavers (also counted in relets)"),
    [HOUSING_REPAIR_JOBS_BY_INTERVENTIONS] =
        METRIC_ROW("repair_jobs_by_interventions", METRIC_COUNT, "events",
                   "repair jobs completed by repair_teams interventions (not in repair_cost)"),
};

_Static_assert(sizeof housing_metrics / sizeof housing_metrics[0] == HOUSING_N_METRICS,
               "a row of housing_metrics for each enum housing_metric, none more");

const param_table housing_param_table = PARAM_TABLE("housing", housing_params);
const metric_table housing_metric_table = METRIC_TABLE(housing_metrics);
