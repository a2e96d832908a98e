/* crime_params.c — the street-crime model's parameters and metrics, each
 * default with its source (MODELS.md § 2, ../shared/data/reference-figures.md).
 * Unit costs are in the cost library (scenarios/costs/default.cfg); the
 * health shares here split them. */
#include "crime.h"

#define PER_1000    "recorded crimes per 1,000 residents a year"
#define BLIGHT_UNIT "per long void per 1,000 dwellings"

static const param_spec crime_params[] = {
    PARAM_GROUP_ROW("crime", "", "—", "street-crime model"),

    PARAM_GROUP_ROW(
        "crime.rate_per_1000", "", "—",
        "recorded rate r_k of each type without blight or patrols (all sources together)"),
    PARAM_FLOAT_ROW("crime.rate_per_1000.burglary", PER_1000, 0, 1000, "4.4",
                    "derived: 266,489 police-recorded burglaries, E&W 2023/24 (Home Office tables, "
                    "secondary copy) "
                    "/ ~60.9 m residents (population not confirmed)",
                    "recorded burglaries"),
    PARAM_FLOAT_ROW("crime.rate_per_1000.robbery", PER_1000, 0, 1000, "1.3",
                    "derived: 81,019 police-recorded robberies, E&W 2023/24 (secondary copy) / "
                    "~60.9 m residents",
                    "recorded robberies"),
    PARAM_FLOAT_ROW("crime.rate_per_1000.theft_person", PER_1000, 0, 1000, "2.5",
                    "derived: 152,416 police-recorded thefts from the person, E&W 2024 (ONS via "
                    "press) / ~60.9 m",
                    "recorded thefts from the person"),
    PARAM_FLOAT_ROW(
        "crime.rate_per_1000.criminal_damage", PER_1000, 0, 1000, "9.0",
        "assumption (police-recorded criminal damage counts not retrieved); includes void damage",
        "recorded criminal damage"),
    PARAM_FLOAT_ROW("crime.rate_per_1000.violence_injury", PER_1000, 0, 1000, "8.7",
                    "derived: 512,631 police-recorded violence with injury, E&W 2017/18 (ONS "
                    "bulletin, secondary "
                    "copy) / ~59.1 m residents",
                    "recorded violence with injury"),

    PARAM_FLOAT_ROW("crime.deprivation_gradient", "per unit of deprivation", 0, 10, "1.1",
                    "assumption (crime concentrates in deprived places); sweep 0-2",
                    "gamma: an area's rate is proportional to exp(gamma x deprivation), normalised "
                    "to average 1 "
                    "over residents"),

    PARAM_GROUP_ROW("crime.blight_elasticity", "", "—",
                    "beta_k: background crime x (1 + beta_k x blight_index)"),
    PARAM_FLOAT_ROW(
        "crime.blight_elasticity.burglary", BLIGHT_UNIT, 0, 0.1, "0.005",
        "assumption: property crime responds less than violence (Cui & Walsh 2015); sweep 0-0.05",
        "blight elasticity of burglary"),
    PARAM_FLOAT_ROW("crime.blight_elasticity.robbery", BLIGHT_UNIT, 0, 0.1, "0.005",
                    "assumption (as burglary); sweep 0-0.05", "blight elasticity of robbery"),
    PARAM_FLOAT_ROW("crime.blight_elasticity.theft_person", BLIGHT_UNIT, 0, 0.1, "0.005",
                    "assumption (as burglary); sweep 0-0.05",
                    "blight elasticity of theft from the person"),
    PARAM_FLOAT_ROW("crime.blight_elasticity.criminal_damage", BLIGHT_UNIT, 0, 0.1, "0.005",
                    "assumption (as burglary; void damage itself comes from housing); sweep 0-0.05",
                    "blight elasticity of background criminal damage"),
    PARAM_FLOAT_ROW(
        "crime.blight_elasticity.violence_injury", BLIGHT_UNIT, 0, 0.1, "0.01",
        "assumption at the low end of Cui & Walsh 2015 (+19% violence near a vacant home), Spelman "
        "1993 (2x crime on blocks with open abandoned buildings), Branas et al. 2016 (-39% firearm "
        "violence after remediation): 0.01-0.05 at ~50 dwellings a block; sweep 0-0.05",
        "blight elasticity of violence with injury"),

    PARAM_FLOAT_ROW("crime.patrol_effect", "share prevented at full intensity", 0, 0.5, "0.081",
                    "Braga & Weisburd 2020, J Quant Criminol (53 studies: d = 0.12 ~ 8.1% "
                    "reduction); sweep 0-0.16 "
                    "(log rate ratio ~16%)",
                    "e: hot-spot patrols at intensity i prevent a share e x i of attempted crimes"),
    PARAM_FLOAT_ROW(
        "crime.diffusion", "share", 0, 1, "0",
        "assumption (Braga et al. 2019: diffusion of benefits exceeds displacement, size unknown); "
        "sweep 0-0.5",
        "neighbours' patrols prevent a further diffusion x e x their mean intensity"),
    PARAM_FLOAT_ROW("crime.displacement", "share", 0, 1, "0", "assumption; sweep 0-0.5",
                    "background crime x (1 + displacement x e x the neighbours' mean intensity)"),

    PARAM_GROUP_ROW(
        "crime.detect", "", "—",
        "detect_k: probability that a recorded crime is detected (charge, summons or caution)"),
    PARAM_FLOAT_ROW("crime.detect.burglary", "probability", 0, 1, "0.06",
                    "5.7% of recorded crime charged or summonsed, E&W 2023/24 (Home Office "
                    "outcomes, secondary), "
                    "plus cautions: assumption",
                    "detection probability of burglary"),
    PARAM_FLOAT_ROW("crime.detect.robbery", "probability", 0, 1, "0.06", "as burglary (assumption)",
                    "detection probability of robbery"),
    PARAM_FLOAT_ROW("crime.detect.theft_person", "probability", 0, 1, "0.06",
                    "as burglary (assumption)", "detection probability of theft from the person"),
    PARAM_FLOAT_ROW("crime.detect.criminal_damage", "probability", 0, 1, "0.06",
                    "as burglary (assumption)", "detection probability of criminal damage"),
    PARAM_FLOAT_ROW("crime.detect.violence_injury", "probability", 0, 1, "0.06",
                    "as burglary (assumption)", "detection probability of violence with injury"),
    PARAM_FLOAT_ROW("crime.detection_uplift", "per unit of intensity", 0, 10, "0.2",
                    "assumption; sweep 0-0.5",
                    "detection probability x (1 + uplift x patrol intensity), capped at 1"),
    PARAM_FLOAT_ROW(
        "crime.p_new_offender", "probability", 0, 1, "0",
        "assumption: new offenders come from the re-offending model's inflow (MODELS.md section "
        "3); "
        "above 0 the tracked population grows and the run warns",
        "a detected background crime makes its offender a tracked offender with this probability"),

    PARAM_LIST_ROW(
        "crime.patrols", "()",
        "assumption: no hot-spot patrols at baseline (hotspot_patrols is an intervention)",
        "baseline hot-spot patrols, one entry per area"),
    PARAM_STRING_ROW("crime.patrols.*.name", "area name", NULL, "scenario", "the patrolled area"),
    PARAM_FLOAT_ROW("crime.patrols.*.intensity", "0-1 (1 = a full hot-spot dose)", 0, 1, NULL,
                    "scenario", "patrol intensity in the area"),

    PARAM_GROUP_ROW(
        "crime.costs", "", "—",
        "how a crime's cost splits between police, health and victims (MODELS.md section 2): the "
        "total and police costs are in the cost library (crime_total_<type>, crime_police_<type>); "
        "criminal-justice costs come from re-offending, per proven offence"),
    PARAM_GROUP_ROW("crime.costs.health_share", "", "—",
                    "health's share of each total; victims bear the rest after police and health"),
    PARAM_FLOAT_ROW("crime.costs.health_share.burglary", "share of total", 0, 1, "0",
                    "assumption (MODELS.md section 2 split), grade C",
                    "health share of a burglary's cost"),
    PARAM_FLOAT_ROW("crime.costs.health_share.robbery", "share of total", 0, 1, "0.04",
                    "assumption (MODELS.md section 2 split), grade C",
                    "health share of a robbery's cost"),
    PARAM_FLOAT_ROW("crime.costs.health_share.theft_person", "share of total", 0, 1, "0",
                    "assumption (MODELS.md section 2 split), grade C",
                    "health share of a theft's cost"),
    PARAM_FLOAT_ROW("crime.costs.health_share.criminal_damage", "share of total", 0, 1, "0",
                    "assumption (MODELS.md section 2 split), grade C",
                    "health share of a criminal damage's cost"),
    PARAM_FLOAT_ROW("crime.costs.health_share.violence_injury", "share of total", 0, 1, "0.04",
                    "assumption (MODELS.md section 2 split), grade C",
                    "health share of a violence's cost"),
};

#define COUNT(metric_name, text) METRIC_ROW(metric_name, METRIC_COUNT, "crimes", text)

static const metric_spec crime_metrics[] = {
    [CRIME_METRIC_CRIMES + CRIME_BURGLARY] =
        COUNT("crimes_burglary", "recorded (committed) burglaries, all sources"),
    [CRIME_METRIC_CRIMES + CRIME_ROBBERY] =
        COUNT("crimes_robbery", "recorded (committed) robberies, all sources"),
    [CRIME_METRIC_CRIMES + CRIME_THEFT_PERSON] =
        COUNT("crimes_theft_person", "recorded (committed) thefts from the person, all sources"),
    [CRIME_METRIC_CRIMES + CRIME_CRIMINAL_DAMAGE] = COUNT(
        "crimes_criminal_damage", "recorded (committed) criminal damage, void damage included"),
    [CRIME_METRIC_CRIMES + CRIME_VIOLENCE_INJURY] =
        COUNT("crimes_violence_injury", "recorded (committed) violence with injury, all sources"),
    [CRIME_METRIC_DETECTED + CRIME_BURGLARY] =
        COUNT("detected_burglary", "recorded burglaries detected"),
    [CRIME_METRIC_DETECTED + CRIME_ROBBERY] =
        COUNT("detected_robbery", "recorded robberies detected"),
    [CRIME_METRIC_DETECTED + CRIME_THEFT_PERSON] =
        COUNT("detected_theft_person", "recorded thefts from the person detected"),
    [CRIME_METRIC_DETECTED + CRIME_CRIMINAL_DAMAGE] =
        COUNT("detected_criminal_damage", "recorded criminal damage detected"),
    [CRIME_METRIC_DETECTED + CRIME_VIOLENCE_INJURY] =
        COUNT("detected_violence_injury", "recorded violence with injury detected"),
    [CRIME_METRIC_PREVENTED + CRIME_BURGLARY] =
        COUNT("prevented_burglary", "burglaries attempted but prevented by patrols"),
    [CRIME_METRIC_PREVENTED + CRIME_ROBBERY] =
        COUNT("prevented_robbery", "robberies attempted but prevented by patrols"),
    [CRIME_METRIC_PREVENTED + CRIME_THEFT_PERSON] = COUNT(
        "prevented_theft_person", "thefts from the person attempted but prevented by patrols"),
    [CRIME_METRIC_PREVENTED + CRIME_CRIMINAL_DAMAGE] =
        COUNT("prevented_criminal_damage", "criminal damage attempted but prevented by patrols"),
    [CRIME_METRIC_PREVENTED + CRIME_VIOLENCE_INJURY] = COUNT(
        "prevented_violence_injury", "violence with injury attempted but prevented by patrols"),
    [CRIME_METRIC_RESIDENTS] =
        METRIC_ROW("residents", METRIC_LEVEL_END, "people", "residents of the area"),
};

_Static_assert(sizeof crime_metrics / sizeof crime_metrics[0] == CRIME_N_METRICS,
               "a row of crime_metrics for each enum crime_metric, none more");

const param_table crime_param_table = PARAM_TABLE("crime", crime_params);
const metric_table crime_metric_table = METRIC_TABLE(crime_metrics);
