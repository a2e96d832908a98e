/* reoffending.c — the re-offending model (MODELS.md § 3): parameters, the
 * initial population, the inflow of new offenders, the day's levels and
 * costs, messages from housing, and the cohort measure's quarterly rows.
 * The people's own events are in reoffending_events.c. */
#include "reoffending_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

static const char *const mix_keys[OFFENCE_TYPES] = {
    "reoffending.offence_mix.other",           "reoffending.offence_mix.burglary",
    "reoffending.offence_mix.robbery",         "reoffending.offence_mix.theft_person",
    "reoffending.offence_mix.criminal_damage", "reoffending.offence_mix.violence_injury",
};
static const char *const accommodation_keys[ACCOMMODATIONS] = {
    "reoffending.release_accommodation.settled",
    "reoffending.release_accommodation.temporary",
    "reoffending.release_accommodation.homeless",
};

/* Shares must sum to 1 within this: a typo should not be renormalised away. */
static const double SHARE_TOLERANCE = 1e-6;

static double months_to_days(double months) { return months * 365.25 / 12.0; }

/* Cumulated shares, scaled to end at exactly 1. */
static void cumulate(const scenario *s, const char *const *keys, size_t n, double *out)
{
    double sum = 0;
    for (size_t k = 0; k < n; k++) {
        sum += scenario_float(s, keys[k]);
        out[k] = sum;
    }
    for (size_t k = 0; k < n; k++) out[k] = sum > 0 ? out[k] / sum : (double)(k + 1) / (double)n;
}

static int64_t initial_population(const scenario *s, const place *p)
{
    return llround(scenario_float(s, "reoffending.offenders_initial_per_resident") *
                   (double)p->population);
}

/* A desistance shape this large is no heterogeneity at all (every
 * multiplier 1). */
static const double DESIST_SHAPE_HOMOGENEOUS = 1e6;

static double desist_shape_of(const scenario *s)
{
    double k = scenario_float(s, "reoffending.desist_shape");
    return k >= DESIST_SHAPE_HOMOGENEOUS ? INFINITY : k;
}

double reoffending_entrants_per_year(const scenario *s, const place *p)
{
    double configured = scenario_float(s, "reoffending.first_time_entrants_per_year");
    if (configured >= 0) return configured;
    /* The population's mean multiplier is (k - 1) / k; the few initial
     * people who have desisted while held are left out of the run's
     * exact figure, so this is a little above it. */
    double k = desist_shape_of(s);
    double mean_multiplier = isinf(k) ? 1.0 : (k - 1.0) / k;
    return scenario_float(s, "reoffending.desist_per_year") * mean_multiplier *
           (double)initial_population(s, p);
}

static void read_params(reoffending_values *q, const scenario *s)
{
    q->rate_shape = scenario_float(s, "reoffending.rate_shape");
    q->rate_mean_per_day = scenario_float(s, "reoffending.rate_mean_per_year") / 365.25;
    q->custody_prev_scale = scenario_float(s, "reoffending.custody_prev_scale");
    cumulate(s, mix_keys, OFFENCE_TYPES, q->mix_cumulative);
    q->detect_other = scenario_float(s, "reoffending.detect_other");
    q->detect_street_default = scenario_float(s, "reoffending.detect_street_without_crime");
    q->p_offend_home = scenario_float(s, "reoffending.p_offend_home");
    q->home_gradient = scenario_float(s, "reoffending.home_deprivation_gradient");
    q->court_median_days = scenario_float(s, "reoffending.court_delay.median_days");
    q->court_sigma = scenario_float(s, "reoffending.court_delay.sigma");
    q->p_long = scenario_float(s, "reoffending.p_long_custody");
    q->long_median_days = 365.25 * scenario_float(s, "reoffending.long_sentence.median_years");
    q->long_sigma = scenario_float(s, "reoffending.long_sentence.sigma");
    q->custody_max = scenario_float(s, "reoffending.custody_max");
    q->custody_first = scenario_float(s, "reoffending.custody_first");
    q->short_median_days = scenario_float(s, "reoffending.short_sentence.median_days");
    q->short_sigma = scenario_float(s, "reoffending.short_sentence.sigma");
    q->short_max_days = scenario_float(s, "reoffending.short_sentence.max_days");
    q->p_order = scenario_float(s, "reoffending.p_community_order");
    q->order_first = scenario_float(s, "reoffending.p_community_order_first");
    q->order_days = months_to_days(scenario_float(s, "reoffending.community_order_months"));
    q->release_fraction = scenario_float(s, "reoffending.release_at_fraction");
    q->short_supervision_days =
        months_to_days(scenario_float(s, "reoffending.short_sentence_supervision_months"));
    cumulate(s, accommodation_keys, ACCOMMODATIONS, q->accommodation_cumulative);
    q->settle_per_day = scenario_float(s, "reoffending.settle_per_year") / 365.25;
    q->p_social_let = scenario_float(s, "reoffending.p_release_social_let");
    q->p_employed = scenario_float(s, "reoffending.p_employed");
    q->hr_accommodation[ACCOMMODATION_SETTLED] = 1.0;
    q->hr_accommodation[ACCOMMODATION_TEMPORARY] =
        scenario_float(s, "reoffending.hazard_ratio.temporary");
    q->hr_accommodation[ACCOMMODATION_HOMELESS] =
        scenario_float(s, "reoffending.hazard_ratio.homeless");
    q->hr_unemployed = scenario_float(s, "reoffending.hazard_ratio.unemployed");
    q->hr_supervised = scenario_float(s, "reoffending.hazard_ratio.supervised");
    q->caseload_limit = scenario_float(s, "reoffending.caseload_limit");
    q->officers = scenario_float(s, "reoffending.probation_officers");
    q->desist_per_day = scenario_float(s, "reoffending.desist_per_year") / 365.25;
    q->desist_age_slope = scenario_float(s, "reoffending.desist_age_slope");
    q->desist_shape = desist_shape_of(s);
    q->accommodation_correlation =
        scenario_float(s, "reoffending.release_accommodation.need_correlation");
    q->initial_custody_share = scenario_float(s, "reoffending.initial_custody_share");
    q->initial_supervised_share = scenario_float(s, "reoffending.initial_supervised_share");
    q->initial_long_share = scenario_float(s, "reoffending.initial_custody_long_share");
    q->initial_prev_detection = scenario_float(s, "reoffending.initial_prev_detection");
    q->entrants_configured_per_day =
        scenario_float(s, "reoffending.first_time_entrants_per_year") / 365.25;
    q->initial_age_median = scenario_float(s, "reoffending.initial_age.median_years_over_18");
    q->initial_age_sigma = scenario_float(s, "reoffending.initial_age.sigma");
    q->entrant_age_median = scenario_float(s, "reoffending.entrant_age.median_years_over_18");
    q->entrant_age_sigma = scenario_float(s, "reoffending.entrant_age.sigma");
}

/* ---- check ---- */

/* `placesim check` shows the first-time entrant rate a run will use, since
 * its default is derived (MODELS.md § 3). */
static void reoffending_check_notes(const scenario *s, const place *p, FILE *out)
{
    int stationary = scenario_float(s, "reoffending.first_time_entrants_per_year") < 0;
    fprintf(out, "# reoffending: first-time entrants %s%.1f a year (%s)\n",
            stationary ? "about " : "", reoffending_entrants_per_year(s, p),
            stationary ? "stationary: the rate at which the initial active population desists"
                       : "reoffending.first_time_entrants_per_year");
}

static int check_sum(const scenario *s, const char *group, const char *const *keys, size_t n,
                     char *err, size_t errlen)
{
    double sum = 0;
    for (size_t k = 0; k < n; k++) sum += scenario_float(s, keys[k]);
    if (fabs(sum - 1.0) <= SHARE_TOLERANCE) return 0;
    /* Point at a share the user set, if any: that is where the typo is. */
    const scn_node *at = scenario_find(s, keys[0]);
    for (size_t k = 0; k < n; k++) {
        const scn_node *node = scenario_find(s, keys[k]);
        if (node && node->line > 0) {
            at = node;
            break;
        }
    }
    snprintf(err, errlen, "%s:%d: %s: shares sum to %.6g, not 1", at ? at->file : "default",
             at ? at->line : 0, group, sum);
    return -1;
}

static int reoffending_check(const scenario *s, const place *p, char *err, size_t errlen)
{
    (void)p;
    if (check_sum(s, "reoffending.offence_mix", mix_keys, OFFENCE_TYPES, err, errlen) != 0 ||
        check_sum(s, "reoffending.release_accommodation", accommodation_keys, ACCOMMODATIONS, err,
                  errlen) != 0) {
        return -1;
    }
    double custody = scenario_float(s, "reoffending.initial_custody_share");
    double supervised = scenario_float(s, "reoffending.initial_supervised_share");
    if (custody + supervised > 1.0 + SHARE_TOLERANCE) {
        const scn_node *at = scenario_find(s, "reoffending.initial_supervised_share");
        snprintf(err, errlen,
                 "%s:%d: reoffending.initial_supervised_share: with initial_custody_share "
                 "it exceeds 1 (%.6g)",
                 at ? at->file : "default", at ? at->line : 0, custody + supervised);
        return -1;
    }
    return 0;
}

/* ---- life cycle ---- */

static void reoffending_destroy(void *state)
{
    reoffending *m = state;
    if (!m) return;
    offenders_free(&m->people);
    cases_free(&m->cases);
    cohort_free(&m->cohort);
    reoffending_programmes_free(m);
    free(m->home_cumulative);
    free(m->warmup_propensity);
    free(m->community);
    free(m->supervised);
    free(m->custody);
    free(m);
}

static int schedule_entrant(reoffending *m, sim_run *run)
{
    if (!(m->entrants_per_day > 0)) return 0;
    gsl_rng *r = sim_stream(run, STREAM_ENTRANTS, 0, m->entrants);
    double gap = -log(gsl_rng_uniform_pos(r)) / m->entrants_per_day;
    return sim_schedule(run, sim_now(run) + gap, EVENT_ENTRANT, m->entrants, 0);
}

static int reoffending_create(sim_run *run, void **out)
{
    const place *p = sim_place(run);
    const scenario *s = sim_scenario(run);
    reoffending *m = calloc(1, sizeof *m);
    if (!m) return sim_fail(run, "out of memory");
    *out = m;
    read_params(&m->p, s);
    reoffending_values *q = &m->p;
    q->prison_per_day = sim_unit_cost(run, "prison_per_prisoner_year") / 365.25;
    q->probation_per_day = sim_unit_cost(run, "probation_per_case_year") / 365.25;
    q->court_per_proof = sim_unit_cost(run, "court_per_proven_offence");
    q->police_per_detection = sim_unit_cost(run, "police_per_arrest");
    if (isnan(q->prison_per_day + q->probation_per_day + q->court_per_proof +
              q->police_per_detection)) {
        return -1;
    }
    char err[512];
    if (reoffending_check(s, p, err, sizeof err) != 0) return sim_fail(run, "%s", err);
    m->metric_base = sim_metric_base(run);
    m->crime_running = sim_model_index(run, "crime") >= 0;
    m->housing_model = sim_model_index(run, "housing");
    m->warmup_first_date = sim_date(run) - sim_today(run);
    m->start_date = sim_start_date(run);
    m->last_date = date_add_years(scenario_date(s, "start"), (int)scenario_int(s, "years")) - 1;
    m->n_areas = p->n_areas;
    size_t n = p->n_areas ? p->n_areas : 1;
    m->home_cumulative = calloc(n, sizeof *m->home_cumulative);
    m->community = calloc(n, sizeof *m->community);
    m->supervised = calloc(n, sizeof *m->supervised);
    m->custody = calloc(n, sizeof *m->custody);
    if (!m->home_cumulative || !m->community || !m->supervised || !m->custody ||
        cohort_init(&m->cohort, m->warmup_first_date) != 0) {
        return sim_fail(run, "out of memory");
    }
    /* The long-run measure follows only the releases whose quarter a row
     * can be written for: those record_cohorts writes for k = 1. */
    cohort_follow_releases(&m->cohort, m->start_date, m->last_date);
    /* Homes ∝ population × D_a, D_a = exp(gradient × deprivation) (MODELS.md § 2–3). */
    double sum = 0;
    for (size_t a = 0; a < p->n_areas; a++) {
        sum += (double)p->areas[a].population * exp(m->p.home_gradient * p->areas[a].deprivation);
        m->home_cumulative[a] = sum;
    }
    int64_t initial = initial_population(s, p);
    if (initial > 0 && !(sum > 0)) {
        return sim_fail(run, "re-offending: offenders need residents to live among");
    }
    if (initial >= (int64_t)SERIAL_FROM_CRIME)
        return sim_fail(run, "re-offending: too many offenders");
    for (size_t k = 0; k + 1 < ACCOMMODATIONS; k++) {
        m->accommodation_threshold[k] = gsl_cdf_ugaussian_Pinv(q->accommodation_cumulative[k]);
    }
    if (offenders_reserve(&m->people, (size_t)initial) != 0 ||
        cohort_reserve(&m->cohort, m->people.cap) != 0) {
        return sim_fail(run, "re-offending: out of memory for %lld offenders", (long long)initial);
    }
    entry_draws d;
    for (int64_t k = 0; k < initial; k++) {
        reoffending_draw_entry(m, run, ENTRY_INITIAL, m->next_serial++, &d);
        if (reoffending_enter(m, run, ENTRY_INITIAL, &d, 0) != 0) return -1;
    }
    m->first_entrant_serial = m->next_serial;
    m->entrants_per_day = q->entrants_configured_per_day;
    if (m->entrants_per_day < 0) {
        /* Stationary: entrants replace the exits of the active population
         * as it stands, each at their own desistance hazard. */
        m->entrants_per_day = 0;
        for (uint32_t i = 0; i < m->people.used; i++) {
            if (m->people.person[i].state != OFFENDER_FREE && !m->people.person[i].desisted) {
                m->entrants_per_day += reoffending_desistance_rate(m, i, sim_now(run));
            }
        }
    }
    return schedule_entrant(m, run);
}

/* ---- the day ---- */

/* Interventions as they stand today, then the detected background offenders
 * handed over by the crime model. */
/* Share of leavers with propensities x_j whose need c x_j + sqrt(1 - c^2) e
 * (e standard normal) lies below t. */
static double share_below(const double *x, size_t n, double c, double t)
{
    double s = sqrt(1.0 - c * c), sum = 0;
    for (size_t j = 0; j < n; j++) sum += gsl_cdf_ugaussian_P((t - c * x[j]) / s);
    return sum / (double)n;
}

/* At the first written day: the thresholds on housing need that give
 * leavers with the propensities of the warm-up's later custodial terms
 * exactly the configured first-night shares (by bisection: the share is
 * increasing in t). Fewer than 100 terms (a short or no warm-up) keep the
 * standard normal's. */
static void set_accommodation_thresholds(reoffending *m)
{
    m->thresholds_set = 1;
    const double *x = m->warmup_propensity;
    size_t n = m->n_warmup_propensity;
    double c = m->p.accommodation_correlation;
    for (size_t k = 0; n >= 100 && k + 1 < ACCOMMODATIONS; k++) {
        double lo = -10, hi = 10, want = m->p.accommodation_cumulative[k];
        for (int step = 0; step < 60; step++) {
            double mid = 0.5 * (lo + hi);
            if (share_below(x, n, c, mid) < want)
                lo = mid;
            else
                hi = mid;
        }
        m->accommodation_threshold[k] = 0.5 * (lo + hi);
    }
    free(m->warmup_propensity);
    m->warmup_propensity = NULL;
    m->n_warmup_propensity = m->cap_warmup_propensity = 0;
}

static int reoffending_begin_day(void *state, sim_run *run)
{
    reoffending *m = state;
    if (!m->thresholds_set && sim_date(run) >= m->start_date) set_accommodation_thresholds(m);
    if (reoffending_programmes_begin_day(m, run) != 0) return -1;
    shared_state *ps = shared_of(run);
    for (uint32_t a = 0; a < m->n_areas; a++) {
        for (int64_t k = 0; k < ps->new_offenders_pending[a]; k++) {
            entry_draws d;
            reoffending_draw_entry(m, run, ENTRY_FROM_CRIME,
                                   SERIAL_FROM_CRIME | m->next_crime_serial++, &d);
            if (reoffending_enter(m, run, ENTRY_FROM_CRIME, &d, a) != 0) return -1;
        }
        ps->new_offenders_pending[a] = 0;
    }
    return 0;
}

_Static_assert(REOFFENDING_WITHIN_9Y_CUSTODY - REOFFENDING_WITHIN_1Y_CUSTODY + 1 ==
                   COHORT_LONGRUN_YEARS,
               "a reoffended_within_<k>y_custody metric for each year of the long-run measure");

/* The quarterly cohort rows, once every quarter's follow-up is inside the
 * run: quarters of index events from the first written one whose follow-up
 * (12 + 6 months after its last day) ends by the last written day; the
 * long-run measure's k-year rows for those whose k years + 6 months do. */
static int record_cohorts(reoffending *m, sim_run *run)
{
    static const struct {
        enum reoffending_metric rate, size;
        enum cohort_class c;
    } rows[] = {
        { REOFFENDING_RATE_CUSTODY_SHORT, REOFFENDING_SIZE_CUSTODY_SHORT, COHORT_CUSTODY_SHORT },
        { REOFFENDING_RATE_CUSTODY_OR_ORDER, REOFFENDING_SIZE_CUSTODY_OR_ORDER,
          COHORT_CUSTODY_OR_ORDER },
        { REOFFENDING_RATE_ALL, REOFFENDING_SIZE_ALL, COHORT_ALL },
        { REOFFENDING_RATE_RELEASED_SETTLED, REOFFENDING_SIZE_RELEASED_SETTLED,
          COHORT_RELEASED_SETTLED },
        { REOFFENDING_RATE_RELEASED_TEMPORARY, REOFFENDING_SIZE_RELEASED_TEMPORARY,
          COHORT_RELEASED_TEMPORARY },
        { REOFFENDING_RATE_RELEASED_HOMELESS, REOFFENDING_SIZE_RELEASED_HOMELESS,
          COHORT_RELEASED_HOMELESS },
        { REOFFENDING_RATE_PREV_0, REOFFENDING_SIZE_PREV_0, COHORT_PREV_0 },
        { REOFFENDING_RATE_PREV_1_2, REOFFENDING_SIZE_PREV_1_2, COHORT_PREV_1_2 },
        { REOFFENDING_RATE_PREV_3_6, REOFFENDING_SIZE_PREV_3_6, COHORT_PREV_3_6 },
        { REOFFENDING_RATE_PREV_7_10, REOFFENDING_SIZE_PREV_7_10, COHORT_PREV_7_10 },
        { REOFFENDING_RATE_PREV_11PLUS, REOFFENDING_SIZE_PREV_11PLUS, COHORT_PREV_11PLUS },
    };
    recorder *rec = sim_recorder(run);
    static const cohort_tally none;
    for (int64_t q = cohort_quarter_of(m->start_date);; q++) {
        int64_t last_day = cohort_quarter_last_day(q);
        if (cohort_followup_last_day(last_day) > m->last_date) break;
        const cohort_tally *t = cohort_tally_of(&m->cohort, last_day);
        if (!t) t = &none;
        int status = 0;
        for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
            status |=
                recorder_quarter(rec, reoffending_metric_id(m, rows[k].rate), last_day,
                                 (double)t->reoffenders[rows[k].c], (double)t->size[rows[k].c]);
            if (rows[k].size != REOFFENDING_N_METRICS) {
                status |= recorder_quarter(rec, reoffending_metric_id(m, rows[k].size), last_day,
                                           (double)t->size[rows[k].c], 1.0);
            }
        }
        status |=
            recorder_quarter(rec, reoffending_metric_id(m, REOFFENDING_REOFFENCES_PER_REOFFENDER),
                             last_day, (double)t->reoffences, (double)t->reoffenders[COHORT_ALL]);
        for (int k = 1; k <= COHORT_LONGRUN_YEARS; k++) {
            if (cohort_followup_last_day_years(last_day, k) > m->last_date) break;
            int metric = reoffending_metric_id(m, REOFFENDING_WITHIN_1Y_CUSTODY) + (k - 1);
            status |= recorder_quarter(rec, metric, last_day, (double)t->reoffended_within[k - 1],
                                       (double)t->released);
        }
        if (status != 0) return sim_fail(run, "re-offending: could not record cohort quarters");
    }
    return 0;
}

static int reoffending_end_day(void *state, sim_run *run)
{
    reoffending *m = state;
    recorder *rec = sim_recorder(run);
    shared_state *ps = shared_of(run);
    for (uint32_t a = 0; a < m->n_areas; a++) {
        ps->offenders_resident[a] = m->community[a];
        recorder_level(rec, reoffending_metric_id(m, REOFFENDING_OFFENDERS_COMMUNITY), a,
                       (double)m->community[a]);
        recorder_level(rec, reoffending_metric_id(m, REOFFENDING_PROBATION_CASELOAD), a,
                       (double)m->supervised[a]);
        recorder_level(rec, reoffending_metric_id(m, REOFFENDING_PRISON_POPULATION), a,
                       (double)m->custody[a]);
    }
    /* Daily aggregates of levels and counts, never per person. */
    sim_charge_demand(run, BEARER_PRISONS, "prison_days",
                      (double)m->custody_total * m->p.prison_per_day);
    sim_charge_demand(run, BEARER_PROBATION, "probation_days",
                      (double)m->supervised_total * m->p.probation_per_day);
    sim_charge_demand(run, BEARER_POLICE, "arrests",
                      (double)m->detected_today * m->p.police_per_detection);
    sim_charge_demand(run, BEARER_COURTS, "convictions",
                      (double)m->proven_today * m->p.court_per_proof);
    m->detected_today = 0;
    m->proven_today = 0;
    if (sim_date(run) == m->last_date) return record_cohorts(m, run);
    return 0;
}

/* ---- events and messages ---- */

/* A first-time entrant's first proven offence. A street crime in a
 * patrolled area can be prevented like any other attempt: then there is no
 * offence and no entrant (their first offence is a later arrival), so the
 * entrant rate is the rate of first proven offences without patrols. The
 * entrant's serial follows the arrival, prevented or not, so the people who
 * do enter draw the same in every scenario. */
static int on_entrant(reoffending *m, sim_run *run)
{
    entry_draws d;
    reoffending_draw_entry(m, run, ENTRY_FIRST_TIME, m->first_entrant_serial + m->entrants, &d);
    m->entrants++;
    uint32_t home = reoffending_entry_home(m, &d);
    size_t type = reoffending_entry_offence_type(m, &d);
    if (!reoffending_attempt_prevented(run, home, type, d.u_prevent) &&
        reoffending_enter(m, run, ENTRY_FIRST_TIME, &d, home) != 0) {
        return -1;
    }
    return schedule_entrant(m, run);
}

/* A message names a slot and the serial of the person it is about; a slot
 * since given to someone else, or a person no longer in the community, makes
 * it moot. */
static int addressee(const reoffending *m, const sim_event *ev)
{
    const offenders *o = &m->people;
    return ev->agent < o->used && o->person[ev->agent].serial == ev->spare &&
           o->person[ev->agent].state == OFFENDER_COMMUNITY;
}

/* A person's record is three cache lines; an event reads from all three. */
static void reoffending_prefetch(const void *state, const sim_event *ev)
{
    const reoffending *m = state;
    const offenders *o = &m->people;
    if (ev->agent >= o->used) return;
    const char *record = (const char *)&o->person[ev->agent];
    for (size_t line = 0; line < sizeof(offender); line += 64) __builtin_prefetch(record + line);
}

static int reoffending_handle(void *state, sim_run *run, const sim_event *ev)
{
    reoffending *m = state;
    offenders *o = &m->people;
    uint32_t i = ev->agent;
    switch (ev->kind) {
    case EVENT_ENTRANT: return on_entrant(m, run);
    case MESSAGE_REOFFENDING_LET_REFUSED:
        if (!addressee(m, ev)) return 0;
        o->person[i].accommodation = o->person[i].accommodation_drawn;
        if (o->person[i].accommodation != ACCOMMODATION_SETTLED &&
            o->person[i].settle_at <= sim_now(run)) {
            o->person[i].accommodation = ACCOMMODATION_SETTLED;
        }
        if (reoffending_schedule_settle(m, run, i) != 0) return -1;
        return reoffending_retime_offending(m, run, i);
    case MESSAGE_REOFFENDING_TENANCY_ENDED: {
        if (!addressee(m, ev)) return 0;
        gsl_rng *r =
            sim_stream(run, STREAM_RESETTLE, o->person[i].serial, (uint32_t)sim_today(run));
        double u = gsl_rng_uniform_pos(r);
        o->person[i].accommodation = ACCOMMODATION_TEMPORARY;
        o->person[i].settle_at =
            m->p.settle_per_day > 0 ? sim_now(run) - log(u) / m->p.settle_per_day : INFINITY;
        if (reoffending_schedule_settle(m, run, i) != 0) return -1;
        return reoffending_retime_offending(m, run, i);
    }
    default: return reoffending_handle_event(m, run, ev);
    }
}

/* ---- memory (model_def.memory) ---- */

/* Slots of a struct of arrays that starts at `first` and doubles. */
static double doubled_capacity(double first, double needed)
{
    double cap = first;
    while (cap < needed) cap *= 2;
    return cap;
}

/* An upper bound on the detected background offenders the crime model
 * hands over a year (crime.p_new_offender, 0 by default): every street
 * crime at its rate raised by the worst blight the place could have (every
 * social dwelling a long void), and every void damaged at the exposed
 * hazard, detected with the full patrol uplift. 0 when crime is not in the
 * scenario. */
static double crime_inflow_per_year(const scenario *s, const place *p)
{
    if (!scenario_find(s, "crime.p_new_offender")) return 0;
    double p_new = scenario_float(s, "crime.p_new_offender");
    if (!(p_new > 0)) return 0;
    double uplift = 1.0 + scenario_float(s, "crime.detection_uplift");
    double blight =
        p->dwellings > 0 ? 1000.0 * (double)p->social_dwellings / (double)p->dwellings : 0;
    double detected = 0;
    char key[96];
    for (int k = 0; k < CRIME_TYPES; k++) {
        snprintf(key, sizeof key, "crime.rate_per_1000.%s", crime_type_names[k]);
        double rate = scenario_float(s, key) * (double)p->population / 1000.0;
        snprintf(key, sizeof key, "crime.blight_elasticity.%s", crime_type_names[k]);
        rate *= 1.0 + scenario_float(s, key) * blight;
        snprintf(key, sizeof key, "crime.detect.%s", crime_type_names[k]);
        detected += rate * fmin(1.0, scenario_float(s, key) * uplift);
    }
    if (scenario_find(s, "housing.damage.hazard_per_day")) {
        double years = (double)scenario_int(s, "warmup_years") + (double)scenario_int(s, "years");
        double voids =
            fmin(1.0, scenario_float(s, "housing.turnover") * years) * (double)p->social_dwellings;
        double damage = voids * 365.25 * scenario_float(s, "housing.damage.hazard_per_day") *
                        fmax(1.0, scenario_float(s, "housing.damage.exposed_multiplier"));
        detected += damage * fmin(1.0, scenario_float(s, "crime.detect.criminal_damage") * uplift);
    }
    return p_new * detected;
}

/* The tracked population starts at offenders_initial_per_resident x
 * residents and moves towards inflow / desistance (stationary at the
 * defaults), so its peak is the larger of the start and the end of the
 * run, at the slowest desistance any age gives; people who desisted stay
 * while custody, supervision or a case holds them (measured: the borough
 * holds 6-11% more than the start), hence the margin. Slot arrays double
 * from 1,024 and are zeroed as they grow; the cohort measure keeps a ring
 * of index events per slot used, two words per slot for the long-run
 * measure's lists, and the pool of its followed releases (below). Pending
 * events: a few per person (next offence, desistance, settling, release,
 * supervision end, sentences) and, for people who have left, the
 * superseded far-future offences that stay in the event list until their
 * time (measured: 2.8 a person held and 0.44 a person gone). */
static void reoffending_memory(const scenario *s, const place *p, model_memory *out)
{
    memset(out, 0, sizeof *out);
    double years = (double)scenario_int(s, "warmup_years") + (double)scenario_int(s, "years");
    double initial = (double)initial_population(s, p);
    double inflow = fmax(0.0, reoffending_entrants_per_year(s, p)) + crime_inflow_per_year(s, p);
    double slope = scenario_float(s, "reoffending.desist_age_slope");
    double desist = scenario_float(s, "reoffending.desist_per_year") *
                    fmin(exp(slope * (18.0 - 25.0)), exp(slope * (80.0 - 25.0)));
    double at_end =
        desist > 0 ? initial * exp(-desist * years) + inflow / desist * (1.0 - exp(-desist * years))
                   : initial + inflow * years;
    double active = fmax(initial, at_end);
    double held = 1.15 * active + 3.0 * sqrt(active) + 64.0;
    double ever = initial + inflow * years;
    double gone = fmax(0.0, ever - active);

    /* Open cases: detected offences waiting for court, at the fastest
     * offending the hazard ratios allow. */
    double hr = fmax(1.0, fmax(scenario_float(s, "reoffending.hazard_ratio.temporary"),
                               scenario_float(s, "reoffending.hazard_ratio.homeless"))) *
                fmax(1.0, scenario_float(s, "reoffending.hazard_ratio.unemployed"));
    double court_sigma = scenario_float(s, "reoffending.court_delay.sigma");
    double court_days = scenario_float(s, "reoffending.court_delay.median_days") *
                        exp(0.5 * court_sigma * court_sigma);
    double detect = fmax(0.3, scenario_float(s, "reoffending.detect_other"));
    double proofs_per_year =
        held * scenario_float(s, "reoffending.rate_mean_per_year") * hr * detect;
    double open_cases = 2.0 * proofs_per_year * court_days / 365.25;
    double case_bytes = (double)(sizeof(offence_case) + sizeof(uint32_t)); /* + a free slot */

    /* The long-run measure's pool: at most every release it follows (each
     * ends a custodial sentence of the written years, at most
     * p_long_custody + custody_max of the proofs, or an initial prisoner's
     * term), and in practice far fewer, since an entry goes once nothing
     * can change it: measured at its peak, 0.11 a person held in the
     * borough (about 700 of 3,600 releases followed) and 0.12 with no
     * desistance; one a person held leaves a wide margin. */
    double custodial = fmin(1.0, scenario_float(s, "reoffending.p_long_custody") +
                                     scenario_float(s, "reoffending.custody_max"));
    double followed = proofs_per_year * custodial * (double)scenario_int(s, "years") +
                      initial * scenario_float(s, "reoffending.initial_custody_share");
    double release_entries = fmin(followed, held) + 1; /* [0] is never used */

    /* Programmes on people list their enrolled and queued slots. */
    const scn_node *list = scenario_find(s, "interventions");
    double programmes = 0;
    for (size_t i = 0; list && i < list->n_children; i++) {
        const char *type = scn_member_string(list->children[i], "type");
        programmes +=
            strcmp(type, "employment_support") == 0 || strcmp(type, "intensive_supervision") == 0;
    }

    double slots = doubled_capacity(1024, held);
    double areas = (double)(p->n_areas ? p->n_areas : 1);
    out->state_bytes =
        (double)sizeof(reoffending) + areas * 4 * sizeof(int64_t) +
        slots * (double)offenders_bytes_per_slot() +
        held * COHORT_RING * (double)sizeof(cohort_entry) + slots * (double)sizeof(cohort_person) +
        doubled_capacity(256, release_entries) * (double)sizeof(cohort_release_entry) +
        64 * (double)sizeof(cohort_tally) + doubled_capacity(256, open_cases) * case_bytes +
        programmes * (2.0 * held * 3 * sizeof(uint32_t) + sizeof(reoffending_programme)) +
        /* the propensities of custodial terms begun in the warm-up's last
         * two years (measured: 0.15 a person held), in a doubling array */
        0.5 * held * (double)sizeof(double);
    out->pending_events = 3.0 * held + 0.5 * gone + open_cases + programmes * held;
}

static const char *const reoffending_summary[] = {
    "reoffending_rate_12m_custody_short",
    "reoffending_rate_12m_custody_or_order",
    "reoffending_rate_12m_all",
    "prison_population",
    "probation_caseload",
};

/* What an evaluator of an offender programme looks at first (MODELS.md § 3). */
static const char *const reoffending_headline[] = { "proven_offences", "releases_homeless",
                                                    "prison_population",
                                                    "reoffending_rate_12m_all" };
static const char *const reoffending_outcome_proven[] = { "proven_offences" };
static const comparison_outcome reoffending_outcomes[] = {
    { "proven offences", "offences", reoffending_outcome_proven, 1 },
};

/* From the cost library, rebased to the scenario's price year. */
static const intervention_type *const reoffending_intervention_types[] = {
    &reoffending_housing_on_release,
    &reoffending_employment_support,
    &reoffending_intensive_supervision,
};

static const char *const reoffending_unit_costs[] = {
    "prison_per_prisoner_year",
    "probation_per_case_year",
    "court_per_proven_offence",
    "police_per_arrest",
};

/* Where a value was set, for messages: "FILE:LINE" or "the default". */
static void reoffending_where(const scn_node *n, char *out, size_t outlen)
{
    if (n->line > 0)
        snprintf(out, outlen, "%s:%d", n->file, n->line);
    else
        snprintf(out, outlen, "the default");
}

/* Leavers take housing's ready lets when p_release_social_let > 0 and
 * through housing_on_release; without housing they could take none, and
 * the run would differ from what the scenario says without a word. Crime
 * is not needed: without it, detection is detect_street_default. */
static const char *reoffending_needs(const scenario *s, const char *const *running,
                                     size_t n_running, char *why, size_t whylen)
{
    if (model_list_has(running, n_running, "housing")) return NULL;
    char where[512];
    const scn_node *p_let = scenario_find(s, "reoffending.p_release_social_let");
    double p = scenario_float(s, "reoffending.p_release_social_let");
    if (p > 0) {
        reoffending_where(p_let, where, sizeof where);
        snprintf(why, whylen,
                 "reoffending.p_release_social_let = %g (%s) gives leavers housing's "
                 "ready lets; set it to 0 to run without housing",
                 p, where);
        return "housing";
    }
    const scn_node *list = scenario_find(s, "interventions");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *e = list->children[i];
        if (strcmp(scn_member_string(e, "type"), "housing_on_release") != 0) continue;
        reoffending_where(e, where, sizeof where);
        snprintf(why, whylen,
                 "intervention %s (%s) is a housing_on_release, which gives leavers "
                 "housing's ready lets; leave it out to run without housing",
                 scn_member_string(e, "name"), where);
        return "housing";
    }
    return NULL;
}

const model_def reoffending_model = {
    .name = "reoffending",
    .stream_id = 2,
    .needs = reoffending_needs,
    .doc = "Re-offending: tracked offenders (about 1.9% of residents) offend as Poisson "
           "processes with Gamma-distributed rates and hazard ratios for accommodation, "
           "employment and supervision; detected offences are sentenced after a court delay "
           "to custody, a community order or another disposal, escalating with the record; "
           "leavers are released into settled, temporary or homeless accommodation by a "
           "housing need that rises with their offending propensity; people desist at hazards "
           "that vary between them; the Ministry of Justice 12-month proven re-offending rates "
           "are measured on quarterly cohorts (MODELS.md section 3). First-time entrants "
           "arrive at the rate at which the initial population desists, which holds it "
           "stationary; patrols can prevent their first offences.",
    .params = &reoffending_param_table,
    .metrics = &reoffending_metric_table,
    .check = reoffending_check,
    .check_notes = reoffending_check_notes,
    .create = reoffending_create,
    .destroy = reoffending_destroy,
    .handle = reoffending_handle,
    .prefetch = reoffending_prefetch,
    .begin_day = reoffending_begin_day,
    .end_day = reoffending_end_day,
    .summary_metrics = reoffending_summary,
    .n_summary_metrics = sizeof reoffending_summary / sizeof reoffending_summary[0],
    .headline_metrics = reoffending_headline,
    .n_headline_metrics = sizeof reoffending_headline / sizeof reoffending_headline[0],
    .outcomes = reoffending_outcomes,
    .n_outcomes = sizeof reoffending_outcomes / sizeof reoffending_outcomes[0],
    .unit_costs = reoffending_unit_costs,
    .n_unit_costs = sizeof reoffending_unit_costs / sizeof reoffending_unit_costs[0],
    .intervention_types = reoffending_intervention_types,
    .n_intervention_types =
        sizeof reoffending_intervention_types / sizeof reoffending_intervention_types[0],
    .memory = reoffending_memory,
};
