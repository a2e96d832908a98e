/* reoffending_params.c — the re-offending model's parameters and metrics,
 * each default with its source (MODELS.md § 3,
 * ../shared/data/reference-figures.md). */
#include "reoffending.h"

static const param_spec reoffending_params[] = {
    PARAM_GROUP_ROW("reoffending", "", "—", "re-offending model"),

    /* The population's rates: the three that `placesim calibrate` fits. */
    PARAM_FLOAT_ROW(
        "reoffending.rate_shape", "Gamma shape", 0.005, 10, "0.025",
        "calibrated (models/README.md; this default is where placesim calibrate starts, from a "
        "hand search): MODELS.md's prototype had shape ~0.2, which gives 1.9 re-offences per "
        "re-offender against the 2.9 floor",
        "shape a of the Gamma distribution of lambda0 over offenders (individual frailty)"),
    PARAM_FLOAT_ROW(
        "reoffending.rate_mean_per_year", "committed offences per year", 0, 100, "1.64",
        "calibrated (as rate_shape; MODELS.md § 3's prototype derived 1.08: proven rate 0.25 a "
        "year / mean detection 0.165 / mean hazard-ratio product ~1.4)",
        "mean of lambda0: committed offences a year at hazard ratio 1"),
    PARAM_FLOAT_ROW(
        "reoffending.custody_prev_scale", "offences", 0.01, 1000, "0.84",
        "calibrated (MODELS.md § 3: 10, assumption)",
        "short custody with probability custody_first + (custody_max - custody_first) x prev / "
        "(prev + custody_prev_scale)"),

    PARAM_GROUP_ROW("reoffending.offence_mix", "", "—",
                    "shares of committed offences by type (must sum to 1)"),
    PARAM_FLOAT_ROW("reoffending.offence_mix.other", "share", 0, 1, "0.75",
                    "assumption (MODELS.md § 3)",
                    "shoplifting, drugs, motoring, ...: not a street crime"),
    PARAM_FLOAT_ROW("reoffending.offence_mix.burglary", "share", 0, 1, "0.05",
                    "assumption (MODELS.md § 3)", "street crime: burglary"),
    PARAM_FLOAT_ROW("reoffending.offence_mix.robbery", "share", 0, 1, "0.02",
                    "assumption (MODELS.md § 3)", "street crime: robbery"),
    PARAM_FLOAT_ROW("reoffending.offence_mix.theft_person", "share", 0, 1, "0.04",
                    "assumption (MODELS.md § 3)", "street crime: theft from the person"),
    PARAM_FLOAT_ROW("reoffending.offence_mix.criminal_damage", "share", 0, 1, "0.07",
                    "assumption (MODELS.md § 3)", "street crime: criminal damage"),
    PARAM_FLOAT_ROW("reoffending.offence_mix.violence_injury", "share", 0, 1, "0.07",
                    "assumption (MODELS.md § 3)", "street crime: violence with injury"),
    PARAM_FLOAT_ROW("reoffending.detect_other", "probability", 0, 1, "0.2",
                    "assumption (MODELS.md § 3)", "detection probability of an `other` offence"),
    PARAM_FLOAT_ROW(
        "reoffending.detect_street_without_crime", "probability", 0, 1, "0.06",
        "MODELS.md § 2 detect_k: 5.7% of recorded crime charged or summonsed in 2023/24, plus "
        "cautions",
        "detection of a street offence when the crime model is not running (else the crime "
        "model's detect_probability)"),
    PARAM_FLOAT_ROW(
        "reoffending.p_offend_home", "probability", 0, 1, "0.7", "assumption (MODELS.md § 3)",
        "an offence happens in the home area; otherwise in a neighbour chosen by crime attraction"),
    PARAM_FLOAT_ROW(
        "reoffending.home_deprivation_gradient", "per unit deprivation", 0, 10, "1.1",
        "assumption (MODELS.md § 2: D_a = exp(1.1 x deprivation), the same gradient as crime)",
        "home areas are drawn in proportion to population x exp(gradient x deprivation)"),

    PARAM_GROUP_ROW("reoffending.court_delay", "", "—", "detection to sentence (lognormal)"),
    PARAM_FLOAT_ROW("reoffending.court_delay.median_days", "days", 0, 3650, "60",
                    "assumption (MODELS.md § 3)", "median court delay; 0 sentences at once"),
    PARAM_FLOAT_ROW("reoffending.court_delay.sigma", "log-scale", 0, 3, "0.5",
                    "assumption (MODELS.md § 3)", "lognormal shape of the court delay"),

    PARAM_FLOAT_ROW("reoffending.p_long_custody", "probability", 0, 1, "0.125",
                    "calibrated to the prison population anchor of ~400 (MODELS.md § 3: 0.06, "
                    "assumption)",
                    "a proven offence gets a long custodial sentence"),
    PARAM_GROUP_ROW("reoffending.long_sentence", "", "—", "long custodial sentence (lognormal)"),
    PARAM_FLOAT_ROW("reoffending.long_sentence.median_years", "years", 0, 50, "4",
                    "assumption (MODELS.md § 3)", "median long sentence"),
    PARAM_FLOAT_ROW("reoffending.long_sentence.sigma", "log-scale", 0, 3, "0.5",
                    "assumption (MODELS.md § 3)", "lognormal shape of long sentences"),
    PARAM_FLOAT_ROW("reoffending.custody_max", "probability", 0, 1, "0.6",
                    "assumption (MODELS.md § 3)",
                    "short-custody probability as prev grows without bound"),
    PARAM_FLOAT_ROW(
        "reoffending.custody_first", "probability", 0, 1, "0.075",
        "assumption (MODELS.md § 3's rule has 0; calibrated: offences serious enough for custody "
        "on a first conviction)",
        "short-custody probability with no previous offences; it rises towards custody_max as "
        "custody_first + (custody_max - custody_first) x prev / (prev + custody_prev_scale)"),
    PARAM_GROUP_ROW("reoffending.short_sentence", "", "—",
                    "short custodial sentence (lognormal, under a year)"),
    PARAM_FLOAT_ROW("reoffending.short_sentence.median_days", "days", 0, 364, "90",
                    "assumption (MODELS.md § 3)", "median short sentence"),
    PARAM_FLOAT_ROW("reoffending.short_sentence.sigma", "log-scale", 0, 3, "0.5",
                    "assumption (MODELS.md § 3)", "lognormal shape of short sentences"),
    PARAM_FLOAT_ROW("reoffending.short_sentence.max_days", "days", 1, 364, "364",
                    "MODELS.md § 3 (short sentences are under a year)",
                    "longer draws are cut to this (about 0.3% of draws at the defaults)"),
    PARAM_FLOAT_ROW("reoffending.p_community_order", "probability", 0, 1, "0.83",
                    "assumption (MODELS.md § 3 has 0.25 for everyone; calibrated)",
                    "a non-custodial sentence is a community order, as prev grows without bound"),
    PARAM_FLOAT_ROW(
        "reoffending.p_community_order_first", "probability", 0, 1, "0.435",
        "assumption (first offenders mostly get fines, discharges or cautions; calibrated)",
        "the same with no previous offences; in between p_community_order_first + "
        "(p_community_order - p_community_order_first) x prev / (prev + custody_prev_scale)"),
    PARAM_FLOAT_ROW("reoffending.community_order_months", "months", 0, 120, "12",
                    "assumption (MODELS.md § 3)", "probation supervision of a community order"),
    PARAM_FLOAT_ROW("reoffending.release_at_fraction", "share of sentence", 0, 1, "0.5",
                    "assumption (MODELS.md § 3: release at the half-way point)",
                    "custody ends after this share of the sentence; licence runs for the rest"),
    PARAM_FLOAT_ROW("reoffending.short_sentence_supervision_months", "months", 0, 120, "12",
                    "assumption (MODELS.md § 3: 12 months' supervision after a short sentence)",
                    "supervision added after the licence of a short sentence"),

    PARAM_GROUP_ROW("reoffending.release_accommodation", "", "—",
                    "accommodation on the first night after release (shares summing to 1)"),
    PARAM_FLOAT_ROW(
        "reoffending.release_accommodation.settled", "share", 0, 1, "0.60",
        "assumption from MoJ Offender accommodation outcomes (84-86% housed on the first night) "
        "and PQ HL13695 (13.7% homeless among high-risk releases)",
        "settled on the first night"),
    PARAM_FLOAT_ROW("reoffending.release_accommodation.temporary", "share", 0, 1, "0.24",
                    "assumption (as settled)", "temporary accommodation on the first night"),
    PARAM_FLOAT_ROW("reoffending.release_accommodation.homeless", "share", 0, 1, "0.16",
                    "assumption (as settled)", "homeless on the first night"),
    PARAM_FLOAT_ROW(
        "reoffending.release_accommodation.need_correlation", "correlation", 0, 0.99, "0.5",
        "assumption (MODELS.md § 3: who is housed depends on the person; the published gap "
        "between accommodation groups is largely selection): a moderate correlation",
        "correlation of a leaver's housing need with their offending propensity (the normal "
        "score of lambda0); thresholds set at the end of the warm-up keep the shares above; "
        "sweep 0-0.9"),
    PARAM_FLOAT_ROW(
        "reoffending.settle_per_year", "per year", 0, 100, "1.65",
        "MoJ Offender accommodation outcomes YE Mar 2024: 73.5% settled at three months "
        "(derived hazard)",
        "hazard at which temporary or homeless people become settled"),
    PARAM_FLOAT_ROW("reoffending.p_release_social_let", "probability", 0, 1, "0.02",
                    "assumption (MODELS.md § 3)",
                    "a leaver is given a ready social let in their home area (if one is ready)"),
    PARAM_FLOAT_ROW("reoffending.p_employed", "probability", 0, 1, "0.15",
                    "MoJ (via BBC, Nov 2024): ~15% of prison leavers in work at six weeks "
                    "(assumption for others)",
                    "employed at release (and on entering the tracked population)"),

    PARAM_GROUP_ROW(
        "reoffending.hazard_ratio", "", "—",
        "hazard ratios of offending (all assumptions; published gaps are largely selection)"),
    PARAM_FLOAT_ROW(
        "reoffending.hazard_ratio.temporary", "x", 0, 10, "1.25",
        "assumption (published one-year rates 45% temporary vs 32% settled, mostly selection)",
        "temporary accommodation against settled; sweep 1-1.4"),
    PARAM_FLOAT_ROW("reoffending.hazard_ratio.homeless", "x", 0, 10, "1.5",
                    "assumption (published 62% homeless vs 32% settled, mostly selection)",
                    "homeless against settled; sweep 1-2"),
    PARAM_FLOAT_ROW("reoffending.hazard_ratio.unemployed", "x", 0, 10, "1.5",
                    "assumption (published 35% unemployed vs 17% in work)",
                    "unemployed against employed; sweep 1-2"),
    PARAM_FLOAT_ROW("reoffending.hazard_ratio.supervised", "x", 0, 1, "0.9",
                    "assumption (MODELS.md § 3)",
                    "supervision at or under caseload_limit; diluted towards 1 above it"),
    PARAM_FLOAT_ROW("reoffending.caseload_limit", "cases per officer", 1, 10000, "50",
                    "assumption (MODELS.md § 3)",
                    "HR_supervision = 1 - (1 - supervised) x min(1, limit / caseload per officer)"),
    PARAM_FLOAT_ROW("reoffending.probation_officers", "officers", 0, 100000, "22",
                    "assumption (MODELS.md § 3: ~1,100 cases / 50)",
                    "probation officers supervising the caseload"),

    PARAM_FLOAT_ROW("reoffending.desist_per_year", "per year", 0, 10, "0.3",
                    "assumption (MODELS.md § 3, the prototype)",
                    "mean desistance hazard at age 25 of people starting out (first-time "
                    "entrants)"),
    PARAM_FLOAT_ROW(
        "reoffending.desist_shape", "Gamma shape", 1.05, 1e6, "2",
        "assumption (MODELS.md § 3: desistance varies between people): shape k makes an "
        "entrant cohort's hazard fall as persisters remain, halving by k / desist_per_year years "
        "(6.7 at the defaults); 1e6 or more is one rate for all",
        "Gamma shape of the person's desistance multiplier (mean 1 at entry); the population "
        "holds slow desisters longer, so its multipliers have shape - 1"),
    PARAM_FLOAT_ROW("reoffending.desist_age_slope", "per year of age", -1, 1, "0",
                    "assumption (MODELS.md § 3)",
                    "desistance hazard x exp(slope x (age - 25)), re-evaluated at birthdays"),

    PARAM_FLOAT_ROW(
        "reoffending.offenders_initial_per_resident", "per resident", 0, 1, "0.019",
        "assumption scaled from a prison population of ~87,000 and a probation caseload of "
        "~240,000 in England and Wales (MODELS.md § 3: ~5,300 in the borough)",
        "tracked offenders at the start of the warm-up, per resident"),
    PARAM_FLOAT_ROW("reoffending.initial_custody_share", "share", 0, 1, "0.075",
                    "assumption (MODELS.md § 3: ~400 of ~5,300 in custody)",
                    "share of the initial population in custody"),
    PARAM_FLOAT_ROW("reoffending.initial_supervised_share", "share", 0, 1, "0.21",
                    "assumption (MODELS.md § 3: ~1,100 of ~5,300 on probation or licence)",
                    "share of the initial population on probation or licence"),
    PARAM_FLOAT_ROW("reoffending.initial_custody_long_share", "share", 0, 1, "0.8",
                    "assumption (MODELS.md § 3: long custody holds ~320 of ~400, short ~80)",
                    "share of the initial prisoners serving a long sentence"),
    PARAM_FLOAT_ROW("reoffending.initial_prev_detection", "proven per committed", 0, 1, "0.165",
                    "assumption (the mean detection at the defaults)",
                    "initial prev ~ Poisson(lambda0 x this x years since 18)"),
    PARAM_FLOAT_ROW(
        "reoffending.first_time_entrants_per_year", "per year", -1, 1e6, "-1",
        "MODELS.md § 3: negative means desist_per_year x the initial population (stationary)",
        "first-time entrants (a Poisson process)"),
    PARAM_GROUP_ROW("reoffending.initial_age", "", "—",
                    "age of the initial population: 18 + lognormal"),
    PARAM_FLOAT_ROW("reoffending.initial_age.median_years_over_18", "years", 0, 80, "12",
                    "assumption (median age ~30)", "median of age - 18"),
    PARAM_FLOAT_ROW("reoffending.initial_age.sigma", "log-scale", 0, 3, "0.6", "assumption",
                    "lognormal shape of age - 18"),
    PARAM_GROUP_ROW("reoffending.entrant_age", "", "—",
                    "age of first-time entrants: 18 + lognormal"),
    PARAM_FLOAT_ROW("reoffending.entrant_age.median_years_over_18", "years", 0, 80, "5",
                    "assumption (median age ~23)", "median of age - 18"),
    PARAM_FLOAT_ROW("reoffending.entrant_age.sigma", "log-scale", 0, 3, "0.8", "assumption",
                    "lognormal shape of age - 18"),
    /* Criminal-justice unit costs (prison, probation, court, police per
     * arrest) are in the cost library, scenarios/costs/default.cfg. */
};

static const metric_spec reoffending_metrics[] = {
    [REOFFENDING_OFFENDERS_COMMUNITY] =
        METRIC_ROW("offenders_community", METRIC_LEVEL_END, "people",
                   "tracked offenders in the community, by home area"),
    [REOFFENDING_PROBATION_CASELOAD] = METRIC_ROW("probation_caseload", METRIC_LEVEL_END, "people",
                                                  "on probation or licence, by home area"),
    [REOFFENDING_PRISON_POPULATION] = METRIC_ROW("prison_population", METRIC_LEVEL_END, "people",
                                                 "tracked offenders in custody, by home area"),
    [REOFFENDING_RELEASES] =
        METRIC_ROW("releases", METRIC_COUNT, "events", "releases from custody, by home area"),
    [REOFFENDING_RELEASES_HOMELESS] =
        METRIC_ROW("releases_homeless", METRIC_COUNT, "events",
                   "releases homeless on the first night, by home area"),
    [REOFFENDING_OFFENCES_COMMITTED] = METRIC_ROW(
        "offences_committed", METRIC_COUNT, "events",
        "offences committed by tracked offenders (not prevented), by area of the offence"),
    [REOFFENDING_PROVEN_OFFENCES] =
        METRIC_ROW("proven_offences", METRIC_COUNT, "events",
                   "offences sentenced or cautioned, by area of the offence"),
    [REOFFENDING_NEW_OFFENDERS] =
        METRIC_ROW("new_offenders", METRIC_COUNT, "events",
                   "people entering the tracked population, by home area"),
    [REOFFENDING_DESISTANCES] = METRIC_ROW("desistances", METRIC_COUNT, "events",
                                           "tracked offenders desisting, by home area"),
    [REOFFENDING_FIRST_PROOFS] =
        METRIC_ROW("offenders_first_proven", METRIC_COUNT, "people",
                   "people proven for the first time in the run, by home area "
                   "(without a warm-up: the initial population's survival curve)"),
    [REOFFENDING_ENROLMENTS_EMPLOYMENT] =
        METRIC_ROW("enrolments_employment", METRIC_COUNT, "people",
                   "people enrolled in employment_support (a paid case), by home area"),
    [REOFFENDING_ENROLMENTS_INTENSIVE] =
        METRIC_ROW("enrolments_intensive", METRIC_COUNT, "people",
                   "people given a place in intensive_supervision, by home area"),
    [REOFFENDING_RELEASES_HOUSED] =
        METRIC_ROW("releases_housed_by_intervention", METRIC_COUNT, "events",
                   "releases given a social let by housing_on_release (a paid "
                   "case), by home area"),
    [REOFFENDING_RATE_CUSTODY_SHORT] =
        METRIC_QUARTERLY_ROW("reoffending_rate_12m_custody_short", METRIC_EVENT_MEAN, "share",
                             "proven re-offending, released from sentences "
                             "under 12 months (quarterly cohorts)"),
    [REOFFENDING_RATE_CUSTODY_OR_ORDER] =
        METRIC_QUARTERLY_ROW("reoffending_rate_12m_custody_or_order", METRIC_EVENT_MEAN, "share",
                             "proven re-offending, released from custody "
                             "or starting a community order (quarterly cohorts)"),
    [REOFFENDING_RATE_ALL] =
        METRIC_QUARTERLY_ROW("reoffending_rate_12m_all", METRIC_EVENT_MEAN, "share",
                             "proven re-offending, every index event (quarterly cohorts)"),
    [REOFFENDING_SIZE_CUSTODY_SHORT] =
        METRIC_QUARTERLY_ROW("cohort_size_custody_short", METRIC_COUNT, "people",
                             "people in the custody_short cohort of the quarter"),
    [REOFFENDING_SIZE_CUSTODY_OR_ORDER] =
        METRIC_QUARTERLY_ROW("cohort_size_custody_or_order", METRIC_COUNT, "people",
                             "people in the custody_or_order cohort of the quarter"),
    [REOFFENDING_SIZE_ALL] = METRIC_QUARTERLY_ROW("cohort_size_all", METRIC_COUNT, "people",
                                                  "people with an index event in the quarter"),
    [REOFFENDING_REOFFENCES_PER_REOFFENDER] =
        METRIC_QUARTERLY_ROW("reoffences_per_reoffender_all", METRIC_EVENT_MEAN, "offences",
                             "proven re-offences per re-offender of the all cohort"),
    [REOFFENDING_RATE_RELEASED_SETTLED] =
        METRIC_QUARTERLY_ROW("reoffending_rate_12m_released_settled", METRIC_EVENT_MEAN, "share",
                             "proven re-offending of leavers settled on "
                             "the first night (quarterly cohorts)"),
    [REOFFENDING_RATE_RELEASED_TEMPORARY] =
        METRIC_QUARTERLY_ROW("reoffending_rate_12m_released_temporary", METRIC_EVENT_MEAN, "share",
                             "proven re-offending of leavers in temporary accommodation "
                             "on the first night (quarterly cohorts)"),
    [REOFFENDING_RATE_RELEASED_HOMELESS] =
        METRIC_QUARTERLY_ROW("reoffending_rate_12m_released_homeless", METRIC_EVENT_MEAN, "share",
                             "proven re-offending of leavers homeless on "
                             "the first night (quarterly cohorts)"),
    [REOFFENDING_SIZE_RELEASED_SETTLED] =
        METRIC_QUARTERLY_ROW("cohort_size_released_settled", METRIC_COUNT, "people",
                             "people in the released_settled cohort of the quarter"),
    [REOFFENDING_SIZE_RELEASED_TEMPORARY] =
        METRIC_QUARTERLY_ROW("cohort_size_released_temporary", METRIC_COUNT, "people",
                             "people in the released_temporary cohort of the quarter"),
    [REOFFENDING_SIZE_RELEASED_HOMELESS] =
        METRIC_QUARTERLY_ROW("cohort_size_released_homeless", METRIC_COUNT, "people",
                             "people in the released_homeless cohort of the quarter"),
    [REOFFENDING_RATE_PREV_0] =
        METRIC_QUARTERLY_ROW("reoffending_rate_12m_prev_0", METRIC_EVENT_MEAN, "share",
                             "proven re-offending, index offence after no previous proven offence "
                             "(band fixed at the index event; quarterly cohorts)"),
    [REOFFENDING_RATE_PREV_1_2] = METRIC_QUARTERLY_ROW(
        "reoffending_rate_12m_prev_1_2", METRIC_EVENT_MEAN, "share",
        "proven re-offending, index offence after 1 or 2 previous proven offences "
        "(band fixed at the index event; quarterly cohorts)"),
    [REOFFENDING_RATE_PREV_3_6] = METRIC_QUARTERLY_ROW(
        "reoffending_rate_12m_prev_3_6", METRIC_EVENT_MEAN, "share",
        "proven re-offending, index offence after 3 to 6 previous proven offences "
        "(band fixed at the index event; quarterly cohorts)"),
    [REOFFENDING_RATE_PREV_7_10] = METRIC_QUARTERLY_ROW(
        "reoffending_rate_12m_prev_7_10", METRIC_EVENT_MEAN, "share",
        "proven re-offending, index offence after 7 to 10 previous proven offences "
        "(band fixed at the index event; quarterly cohorts)"),
    [REOFFENDING_RATE_PREV_11PLUS] = METRIC_QUARTERLY_ROW(
        "reoffending_rate_12m_prev_11plus", METRIC_EVENT_MEAN, "share",
        "proven re-offending, index offence after 11 or more previous proven offences "
        "(band fixed at the index event; quarterly cohorts)"),
    [REOFFENDING_SIZE_PREV_0] = METRIC_QUARTERLY_ROW("cohort_size_prev_0", METRIC_COUNT, "people",
                                                     "people in the prev_0 cohort of the quarter"),
    [REOFFENDING_SIZE_PREV_1_2] =
        METRIC_QUARTERLY_ROW("cohort_size_prev_1_2", METRIC_COUNT, "people",
                             "people in the prev_1_2 cohort of the quarter"),
    [REOFFENDING_SIZE_PREV_3_6] =
        METRIC_QUARTERLY_ROW("cohort_size_prev_3_6", METRIC_COUNT, "people",
                             "people in the prev_3_6 cohort of the quarter"),
    [REOFFENDING_SIZE_PREV_7_10] =
        METRIC_QUARTERLY_ROW("cohort_size_prev_7_10", METRIC_COUNT, "people",
                             "people in the prev_7_10 cohort of the quarter"),
    [REOFFENDING_SIZE_PREV_11PLUS] =
        METRIC_QUARTERLY_ROW("cohort_size_prev_11plus", METRIC_COUNT, "people",
                             "people in the prev_11plus cohort of the quarter"),
    [REOFFENDING_WITHIN_1Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_1y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 1 "
        "year: committed within 1 year, proven within 1 year 6 months; only quarters "
        "whose last day + 1 year 6 months is written (a run from a quarter's "
        "first day needs 1 year 9 months for one)"),
    [REOFFENDING_WITHIN_2Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_2y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 2 "
        "years: committed within 2 years, proven within 2 years 6 months; only quarters "
        "whose last day + 2 years 6 months is written (a run from a quarter's "
        "first day needs 2 years 9 months for one)"),
    [REOFFENDING_WITHIN_3Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_3y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 3 "
        "years: committed within 3 years, proven within 3 years 6 months; only quarters "
        "whose last day + 3 years 6 months is written (a run from a quarter's "
        "first day needs 3 years 9 months for one)"),
    [REOFFENDING_WITHIN_4Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_4y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 4 "
        "years: committed within 4 years, proven within 4 years 6 months; only quarters "
        "whose last day + 4 years 6 months is written (a run from a quarter's "
        "first day needs 4 years 9 months for one)"),
    [REOFFENDING_WITHIN_5Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_5y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 5 "
        "years: committed within 5 years, proven within 5 years 6 months; only quarters "
        "whose last day + 5 years 6 months is written (a run from a quarter's "
        "first day needs 5 years 9 months for one)"),
    [REOFFENDING_WITHIN_6Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_6y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 6 "
        "years: committed within 6 years, proven within 6 years 6 months; only quarters "
        "whose last day + 6 years 6 months is written (a run from a quarter's "
        "first day needs 6 years 9 months for one)"),
    [REOFFENDING_WITHIN_7Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_7y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 7 "
        "years: committed within 7 years, proven within 7 years 6 months; only quarters "
        "whose last day + 7 years 6 months is written (a run from a quarter's "
        "first day needs 7 years 9 months for one)"),
    [REOFFENDING_WITHIN_8Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_8y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 8 "
        "years: committed within 8 years, proven within 8 years 6 months; only quarters "
        "whose last day + 8 years 6 months is written (a run from a quarter's "
        "first day needs 8 years 9 months for one)"),
    [REOFFENDING_WITHIN_9Y_CUSTODY] = METRIC_QUARTERLY_ROW(
        "reoffended_within_9y_custody", METRIC_EVENT_MEAN, "share",
        "custody leavers (first release of the quarter) proven to re-offend within 9 "
        "years: committed within 9 years, proven within 9 years 6 months; only quarters "
        "whose last day + 9 years 6 months is written (a run from a quarter's "
        "first day needs 9 years 9 months for one)"),
};

_Static_assert(sizeof reoffending_metrics / sizeof reoffending_metrics[0] == REOFFENDING_N_METRICS,
               "a row of reoffending_metrics for each enum reoffending_metric, none more");

const param_table reoffending_param_table = PARAM_TABLE("reoffending", reoffending_params);
const metric_table reoffending_metric_table = METRIC_TABLE(reoffending_metrics);
