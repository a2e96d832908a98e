/* reoffending_events.c — what happens to tracked offenders: entry,
 * offending, sentencing, custody and release, supervision, settling and
 * desistance (MODELS.md § 3).
 *
 * Every draw comes from the person's own streams, keyed by their serial and
 * an ordinal (their k-th offence, case, release), and each stream draws a
 * fixed number of uniforms in a fixed order whatever the outcome, so two
 * scenarios that differ elsewhere share these draws (common random numbers).
 * Normal variates are inverse-CDF transforms of one uniform for the same
 * reason; only the Gamma and Poisson draws, last in their stream, take a
 * variable count. */
#include "reoffending_internal.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

/* ---- small pieces ---- */

static double unit_exponential(double u) { return -log(u); }

static double lognormal_from(double u, double median, double sigma)
{
    if (median <= 0) return 0.0;
    return median * exp(sigma * gsl_cdf_ugaussian_Pinv(u));
}

/* Index i of the first cumulative[i] > u (the last one if rounding leaves u
 * beyond them all). */
static size_t pick(const double *cumulative, size_t n, double u)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (u < cumulative[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static double offending_rate(const reoffending *m, uint32_t i)
{
    const offenders *o = &m->people;
    if (o->person[i].state != OFFENDER_COMMUNITY || o->person[i].desisted) return 0.0;
    return o->person[i].lambda0 * m->p.hr_accommodation[o->person[i].accommodation] *
           (o->person[i].employed ? 1.0 : m->p.hr_unemployed) * o->person[i].hr_interventions;
}

/* HR of supervision now: 1 − (1 − HR) × min(1, limit / caseload per officer). */
static double supervision_ratio(const reoffending *m)
{
    if (m->p.officers <= 0 || m->supervised_total <= 0) {
        return m->p.officers <= 0 ? 1.0 : m->p.hr_supervised;
    }
    double per_officer = (double)m->supervised_total / m->p.officers;
    double full = per_officer <= m->p.caseload_limit ? 1.0 : m->p.caseload_limit / per_officer;
    return 1.0 - (1.0 - m->p.hr_supervised) * full;
}

double reoffending_desistance_rate(const reoffending *m, uint32_t i, double now)
{
    double age = (now - m->people.person[i].birth) / 365.25;
    return m->p.desist_per_day * m->people.person[i].desist_frailty *
           exp(m->p.desist_age_slope * (age - 25.0));
}

int reoffending_retime_offending(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    double now = sim_now(run);
    double left =
        o->person[i].offence_left - o->person[i].rate * (now - o->person[i].offence_since);
    o->person[i].offence_left = left > 0 ? left : 0.0;
    o->person[i].offence_since = now;
    o->person[i].rate = offending_rate(m, i);
    o->person[i].offence_tag++;
    /* A rate so small that the next offence lies beyond any run (Gamma
     * shapes near 0 give such people) is no offence at all. */
    double at = now + o->person[i].offence_left / o->person[i].rate;
    if (o->person[i].rate <= 0 || !isfinite(at)) return 0;
    return sim_schedule(run, at, EVENT_OFFENCE, i, o->person[i].offence_tag);
}

/* The same time change for desistance, whose rate moves with age; with an
 * age slope the rate is re-evaluated at each birthday. */
static int retime_desistance(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    double now = sim_now(run);
    double left =
        o->person[i].desist_left - o->person[i].desist_rate * (now - o->person[i].desist_since);
    o->person[i].desist_left = left > 0 ? left : 0.0;
    o->person[i].desist_since = now;
    o->person[i].desist_rate = reoffending_desistance_rate(m, i, now);
    o->person[i].desist_tag++;
    double at = now + o->person[i].desist_left / o->person[i].desist_rate;
    if (o->person[i].desist_rate > 0 && isfinite(at) &&
        sim_schedule(run, at, EVENT_DESIST, i, o->person[i].desist_tag) != 0) {
        return -1;
    }
    if (m->p.desist_age_slope == 0) return 0; /* constant hazard: birthdays change nothing */
    double years = floor((now - o->person[i].birth) / 365.25 + 1e-9) + 1.0;
    double birthday = o->person[i].birth + 365.25 * years;
    if (birthday <= now) birthday = now + 365.25;
    return sim_schedule(run, birthday, EVENT_BIRTHDAY, i, o->person[i].desist_tag);
}

int reoffending_schedule_settle(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    o->person[i].accommodation_tag++;
    if (o->person[i].accommodation == ACCOMMODATION_SETTLED || !isfinite(o->person[i].settle_at))
        return 0;
    double at = o->person[i].settle_at > sim_now(run) ? o->person[i].settle_at : sim_now(run);
    return sim_schedule(run, at, EVENT_SETTLE, i, o->person[i].accommodation_tag);
}

/* Accommodation on the first night from a housing-need score: the person's
 * propensity (the normal score of their offending rate, persistent) with
 * weight c, and their circumstances at this release (a fresh normal) with
 * weight sqrt(1 - c^2), so the score is standard normal over everyone and
 * those who offend most are more often homeless: the published gap between
 * accommodation groups is largely selection (MODELS.md § 3). */
static double housing_need(const reoffending *m, uint32_t i, double u)
{
    double c = m->p.accommodation_correlation;
    return c * m->people.person[i].propensity + sqrt(1.0 - c * c) * gsl_cdf_ugaussian_Pinv(u);
}

static uint8_t accommodation_of_need(const reoffending *m, double need)
{
    if (need < m->accommodation_threshold[0]) return ACCOMMODATION_SETTLED;
    if (need < m->accommodation_threshold[1]) return ACCOMMODATION_TEMPORARY;
    return ACCOMMODATION_HOMELESS;
}

/* Who will leave custody: the propensities of people starting a custodial
 * term in the warm-up's last two years. In a steady state each term ends
 * in one release, so they stand for the leavers' propensities, without the
 * initial prisoners (placed in custody whatever their rate) and without the
 * lag of long terms; reoffending.c sets the thresholds from them when the
 * written years start. */
static int remember_propensity(reoffending *m, sim_run *run, double propensity)
{
    if (m->thresholds_set || sim_date(run) < m->start_date - 730) return 0;
    if (m->n_warmup_propensity == m->cap_warmup_propensity) {
        size_t cap = m->cap_warmup_propensity ? 2 * m->cap_warmup_propensity : 1024;
        double *grown = realloc(m->warmup_propensity, cap * sizeof *grown);
        if (!grown) return sim_fail(run, "re-offending: out of memory");
        m->warmup_propensity = grown;
        m->cap_warmup_propensity = cap;
    }
    m->warmup_propensity[m->n_warmup_propensity++] = propensity;
    return 0;
}

static double settle_time(const reoffending *m, double now, double u)
{
    return m->p.settle_per_day > 0 ? now + unit_exponential(u) / m->p.settle_per_day : INFINITY;
}

/* ---- supervision and custody ---- */

static void supervision_on(reoffending *m, uint32_t i)
{
    offenders *o = &m->people;
    if (o->person[i].supervised) return;
    o->person[i].supervised = 1;
    m->supervised[o->person[i].home]++;
    m->supervised_total++;
}

static void supervision_off(reoffending *m, uint32_t i)
{
    offenders *o = &m->people;
    if (!o->person[i].supervised) return;
    o->person[i].supervised = 0;
    m->supervised[o->person[i].home]--;
    m->supervised_total--;
    o->person[i].supervision_tag++;
}

/* Supervision (probation or licence) until `until`, or longer if already
 * supervised for longer. */
static int supervise_until(reoffending *m, sim_run *run, uint32_t i, double until)
{
    offenders *o = &m->people;
    if (until <= sim_now(run)) return 0;
    if (o->person[i].supervised && o->person[i].supervision_end >= until) return 0;
    int starting = !o->person[i].supervised;
    supervision_on(m, i);
    o->person[i].supervision_end = until;
    o->person[i].supervision_tag++;
    if (sim_schedule(run, until, EVENT_SUPERVISION_END, i, o->person[i].supervision_tag) != 0)
        return -1;
    return starting ? reoffending_programmes_join(m, run, i, PROGRAMME_START) : 0;
}

/* Whatever follows a custodial term: licence for the rest of the sentence,
 * plus supervision after a sentence under a year. */
static double supervision_after(const reoffending *m, double start, double sentence_days)
{
    double extra = sentence_days < 365.25 ? m->p.short_supervision_days : 0.0;
    return start + sentence_days + extra;
}

/* Custody from now for `served` days of a sentence of sentence_days, for an
 * offence with `prev` proven offences before it. A sentence passed on
 * someone already in custody runs concurrently: it extends the term only if
 * it ends later (and then its offence's prev is the release's). */
static int start_custody(reoffending *m, sim_run *run, uint32_t i, double sentence_days,
                         double served, uint32_t prev)
{
    offenders *o = &m->people;
    double now = sim_now(run);
    double release = now + served;
    double supervise_to = supervision_after(m, now, sentence_days);
    if (o->person[i].state == OFFENDER_CUSTODY) {
        if (supervise_to > o->person[i].supervision_end)
            o->person[i].supervision_end = supervise_to;
        if (release <= o->person[i].release_at) return 0;
    } else {
        /* A new sentence supersedes current supervision; the longer of the
         * two runs after release. */
        double planned = o->person[i].supervised ? o->person[i].supervision_end : now;
        supervision_off(m, i);
        o->person[i].supervision_end = supervise_to > planned ? supervise_to : planned;
        m->community[o->person[i].home]--;
        m->custody[o->person[i].home]++;
        m->custody_total++;
        o->person[i].state = OFFENDER_CUSTODY;
        if (now > 0 && remember_propensity(m, run, o->person[i].propensity) != 0) return -1;
        if (reoffending_programmes_leave(m, run, i, 1) != 0 ||
            reoffending_retime_offending(m, run, i) != 0) { /* offending stops */
            return -1;
        }
    }
    o->person[i].release_at = release;
    o->person[i].sentence_days = sentence_days;
    o->person[i].custody_prev = prev;
    o->person[i].custody_tag++;
    return sim_schedule(run, release, EVENT_RELEASE, i, o->person[i].custody_tag);
}

/* An index event of the cohort measure, in the band of `prev` proven
 * offences before the index offence; a release from custody is followed by
 * the long-run measure as well. */
static int index_event(reoffending *m, sim_run *run, uint32_t i, unsigned classes, uint32_t prev,
                       int release)
{
    double now = sim_now(run);
    int64_t day = reoffending_date_of(m, now);
    classes |= 1u << cohort_prev_class(prev);
    if (cohort_index(&m->cohort, i, now, day, classes) < 0 ||
        (release && cohort_release(&m->cohort, i, now, day) < 0)) {
        return sim_fail(run, "re-offending: out of memory in the cohort measure");
    }
    return 0;
}

/* ---- cases ---- */

static int open_case(reoffending *m, sim_run *run, uint32_t i, uint32_t area, double delay_u)
{
    offenders *o = &m->people;
    uint32_t id;
    if (cases_open(&m->cases, &id) != 0) return sim_fail(run, "re-offending: out of memory");
    double now = sim_now(run);
    m->cases.at[id].slot = i;
    m->cases.at[id].serial = o->person[i].serial;
    m->cases.at[id].area = area;
    m->cases.at[id].number = o->person[i].case_number++;
    m->cases.at[id].committed = now;
    o->person[i].pending++;
    m->detected_today++;
    double delay = lognormal_from(delay_u, m->p.court_median_days, m->p.court_sigma);
    return sim_schedule(run, now + delay, EVENT_SENTENCE, id, m->cases.at[id].generation);
}

/* ---- entry ---- */

static uint32_t draw_home(const reoffending *m, double u)
{
    double total = m->home_cumulative[m->n_areas - 1];
    return (uint32_t)pick(m->home_cumulative, m->n_areas, u * total);
}

/* Places a member of the initial population in custody or under
 * supervision, part-way through their sentence or order (uniformly). Some
 * of them have desisted already while held (they serve out what holds
 * them, then leave): with probability 1 - exp(-hazard x time held so far),
 * so that the held desisters are near their stationary number from the
 * start rather than building up over the first years. */
static int place_initial(reoffending *m, sim_run *run, uint32_t i, const entry_draws *d)
{
    double now = sim_now(run);
    double held_days = 0;
    if (d->u_state < m->p.initial_custody_share) {
        double sentence =
            d->u_long < m->p.initial_long_share
                ? lognormal_from(d->u_sentence, m->p.long_median_days, m->p.long_sigma)
                : fmin(m->p.short_max_days,
                       lognormal_from(d->u_sentence, m->p.short_median_days, m->p.short_sigma));
        double custodial = m->p.release_fraction * sentence;
        double left = d->u_served * custodial;
        /* As if sentenced custodial − left days ago, for an offence after
         * their drawn record. */
        if (start_custody(m, run, i, sentence, left, m->people.person[i].prev) != 0) return -1;
        m->people.person[i].supervision_end =
            supervision_after(m, now - (custodial - left), sentence);
        held_days = custodial - left;
    } else if (d->u_state < m->p.initial_custody_share + m->p.initial_supervised_share) {
        /* Some are on licence after a long sentence: with release at the
         * share release_at_fraction, a licence lasts (1 - f) / f times the
         * custodial part, so a steady state holds that many long-licence
         * holders per long-term prisoner. Without them the caseload and the
         * desisters it holds built up for years after the warm-up. */
        double f = m->p.release_fraction;
        double long_prisoners = m->p.initial_custody_share * m->p.initial_long_share;
        double p_licence =
            m->p.initial_supervised_share > 0 && f > 0
                ? fmin(1.0, long_prisoners * (1.0 - f) / f / m->p.initial_supervised_share)
                : 0.0;
        double u_within = (d->u_state - m->p.initial_custody_share) / m->p.initial_supervised_share;
        if (u_within < p_licence) {
            double sentence = lognormal_from(d->u_sentence, m->p.long_median_days, m->p.long_sigma);
            double licence = (1.0 - f) * sentence, left = d->u_served * licence;
            if (supervise_until(m, run, i, now + left) != 0) return -1;
            held_days = f * sentence + (licence - left);
        } else {
            if (supervise_until(m, run, i, now + d->u_served * m->p.order_days) != 0) return -1;
            held_days = (1.0 - d->u_served) * m->p.order_days;
        }
    } else {
        return 0;
    }
    double hazard = reoffending_desistance_rate(m, i, now);
    if (!(d->u_desisted < 1.0 - exp(-hazard * held_days))) return 0;
    offenders *o = &m->people;
    o->person[i].desisted = 1;
    o->person[i].desist_tag++; /* its desistance is behind it */
    if (o->person[i].state != OFFENDER_COMMUNITY) return 0;
    if (reoffending_programmes_leave(m, run, i, 0) != 0) return -1;
    return reoffending_retime_offending(m, run, i);
}

/* Normal score of a Gamma(shape, 1) draw: where the person's offending
 * rate stands in the population, on a scale the housing need can use. */
static double propensity_of(double frailty, double shape)
{
    double u = gsl_cdf_gamma_P(frailty, shape, 1.0);
    u = fmin(fmax(u, 1e-12), 1.0 - 1e-12);
    return gsl_cdf_ugaussian_Pinv(u);
}

void reoffending_draw_entry(const reoffending *m, sim_run *run, enum entry_kind kind,
                            uint32_t serial, entry_draws *d)
{
    gsl_rng *r = sim_stream(run, STREAM_ATTRIBUTES, serial, 0);
    d->serial = serial;
    d->u_home = gsl_rng_uniform(r);
    d->u_age = gsl_rng_uniform_pos(r);
    d->u_employed = gsl_rng_uniform(r);
    d->u_accommodation = gsl_rng_uniform_pos(r);
    d->u_settle = gsl_rng_uniform_pos(r);
    d->u_offence = gsl_rng_uniform_pos(r);
    d->u_desist = gsl_rng_uniform_pos(r);
    d->u_state = gsl_rng_uniform(r);
    d->u_long = gsl_rng_uniform(r);
    d->u_sentence = gsl_rng_uniform_pos(r);
    d->u_served = gsl_rng_uniform(r);
    d->u_type = gsl_rng_uniform(r);
    d->u_delay = gsl_rng_uniform_pos(r);
    d->u_prevent = gsl_rng_uniform(r);
    d->u_desisted = gsl_rng_uniform(r);
    d->u_career = gsl_rng_uniform_pos(r);
    d->frailty = gsl_ran_gamma(r, m->p.rate_shape, 1.0);
    /* Desistance varies between people: a Gamma multiplier of mean 1 and
     * shape k for people starting out. The population at any moment holds
     * the slow desisters longer (time active is 1 / hazard), so its
     * multipliers are Gamma with shape k - 1 and mean (k - 1) / k: the
     * initial population is drawn from that, which keeps it stationary. */
    double k = m->p.desist_shape;
    int initial = kind == ENTRY_INITIAL;
    d->desist_frailty = isinf(k)  ? 1.0
                        : initial ? gsl_ran_gamma(r, k - 1.0, 1.0 / k)
                                  : gsl_ran_gamma(r, k, 1.0 / k);
    d->age =
        18.0 + lognormal_from(d->u_age, initial ? m->p.initial_age_median : m->p.entrant_age_median,
                              initial ? m->p.initial_age_sigma : m->p.entrant_age_sigma);
    d->lambda0 = m->p.rate_mean_per_day / m->p.rate_shape * d->frailty;
    /* A record for the initial population: proven offences at their own
     * rate over their career so far. In a stationary population the time
     * since a person started offending is exponential at their desistance
     * hazard (memoryless), capped by the years since 18; a record drawn
     * over all the years since 18 would leave the population's records, and
     * so who gets custody, drifting for years. */
    double career_years = d->age - 18.0;
    double hazard_per_year = 365.25 * m->p.desist_per_day * d->desist_frailty;
    if (hazard_per_year > 0) career_years = fmin(career_years, -log(d->u_career) / hazard_per_year);
    double prev_mean =
        initial ? d->lambda0 * 365.25 * m->p.initial_prev_detection * career_years : 0;
    d->prev = gsl_ran_poisson(r, prev_mean);
}

uint32_t reoffending_entry_home(const reoffending *m, const entry_draws *d)
{
    return draw_home(m, d->u_home);
}

size_t reoffending_entry_offence_type(const reoffending *m, const entry_draws *d)
{
    return pick(m->p.mix_cumulative, OFFENCE_TYPES, d->u_type);
}

int reoffending_enter(reoffending *m, sim_run *run, enum entry_kind kind, const entry_draws *d,
                      uint32_t home_area)
{
    offenders *o = &m->people;
    uint32_t i;
    if (offenders_take(o, &i) != 0 || cohort_reserve(&m->cohort, o->cap) != 0) {
        return sim_fail(run, "re-offending: out of memory for %zu offenders", o->alive + 1);
    }
    cohort_forget(&m->cohort, i);
    double now = sim_now(run);
    int initial = kind == ENTRY_INITIAL;

    o->person[i].serial = d->serial;
    o->person[i].home = initial ? draw_home(m, d->u_home) : home_area;
    o->person[i].state = OFFENDER_COMMUNITY;
    o->person[i].employed = d->u_employed < m->p.p_employed;
    o->person[i].lambda0 = d->lambda0;
    o->person[i].propensity = (float)propensity_of(d->frailty, m->p.rate_shape);
    o->person[i].desist_frailty = d->desist_frailty;
    o->person[i].accommodation = o->person[i].accommodation_drawn =
        accommodation_of_need(m, housing_need(m, i, d->u_accommodation));
    o->person[i].settle_at = settle_time(m, now, d->u_settle);
    o->person[i].prev = d->prev;
    o->person[i].hr_interventions = 1.0;
    o->person[i].birth = now - d->age * 365.25;
    o->person[i].offence_left = unit_exponential(d->u_offence);
    o->person[i].offence_since = now;
    o->person[i].desist_left = unit_exponential(d->u_desist);
    o->person[i].desist_since = now;
    m->community[o->person[i].home]++;

    if (retime_desistance(m, run, i) != 0 || reoffending_schedule_settle(m, run, i) != 0 ||
        reoffending_retime_offending(m, run, i) != 0) {
        return -1;
    }
    if (initial) return place_initial(m, run, i, d);

    recorder *rec = sim_recorder(run);
    uint32_t home = o->person[i].home;
    recorder_add(rec, reoffending_metric_id(m, REOFFENDING_NEW_OFFENDERS), home, 1);
    if (kind == ENTRY_FIRST_TIME) {
        /* The offence that brings them in is a crime of its type at home,
         * committed and detected; the caller counted the attempt and found
         * it not prevented (the crime model already counted those it hands
         * over). */
        size_t type = reoffending_entry_offence_type(m, d);
        recorder_add(rec, reoffending_metric_id(m, REOFFENDING_OFFENCES_COMMITTED), home, 1);
        if (type != OFFENCE_OTHER) {
            shared_of(run)->tracked_detected[(size_t)home * CRIME_TYPES + (type - 1)]++;
        }
    }
    return open_case(m, run, i, home, d->u_delay);
}

/* ---- events ---- */

static uint32_t offence_area(const reoffending *m, sim_run *run, uint32_t home, size_t type,
                             double u_home, double u_neighbour)
{
    const area *a = &sim_place(run)->areas[home];
    if (u_home < m->p.p_offend_home || a->n_neighbours == 0) return home;
    if (type == OFFENCE_OTHER) {
        /* Not a street crime: blight and patrols do not draw it. */
        size_t k = (size_t)(u_neighbour * (double)a->n_neighbours);
        return a->neighbours[k < a->n_neighbours ? k : a->n_neighbours - 1];
    }
    const double *attraction = shared_of(run)->crime_attraction;
    double total = 0;
    for (size_t n = 0; n < a->n_neighbours; n++) {
        total += attraction[(size_t)a->neighbours[n] * CRIME_TYPES + type - 1];
    }
    if (!(total > 0))
        return a->neighbours[(size_t)(u_neighbour * (double)a->n_neighbours) % a->n_neighbours];
    double target = u_neighbour * total, sum = 0;
    for (size_t n = 0; n < a->n_neighbours; n++) {
        sum += attraction[(size_t)a->neighbours[n] * CRIME_TYPES + type - 1];
        if (target < sum) return a->neighbours[n];
    }
    return a->neighbours[a->n_neighbours - 1];
}

int reoffending_attempt_prevented(sim_run *run, uint32_t area, size_t type, double u_prevent)
{
    if (type == OFFENCE_OTHER) return 0;
    shared_state *ps = shared_of(run);
    size_t at = (size_t)area * CRIME_TYPES + (type - 1);
    ps->tracked_attempted[at]++;
    if (u_prevent < ps->crime_keep[area]) return 0;
    ps->tracked_prevented[at]++;
    return 1;
}

static int on_offence(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    gsl_rng *r =
        sim_stream(run, STREAM_OFFENCE, o->person[i].serial, o->person[i].offence_number++);
    double u_thin = gsl_rng_uniform(r), u_type = gsl_rng_uniform(r);
    double u_home = gsl_rng_uniform(r), u_neighbour = gsl_rng_uniform(r);
    double u_prevent = gsl_rng_uniform(r), u_detect = gsl_rng_uniform(r);
    double u_delay = gsl_rng_uniform_pos(r), u_next = gsl_rng_uniform_pos(r);

    /* The next offence: a fresh unit exponential at the unchanged rate. */
    o->person[i].offence_left = unit_exponential(u_next);
    o->person[i].offence_since = sim_now(run);
    if (reoffending_retime_offending(m, run, i) != 0) return -1;

    /* Supervision thins offences drawn at its bound (HR = 1). */
    if (o->person[i].supervised && u_thin >= supervision_ratio(m)) return 0;

    size_t type = pick(m->p.mix_cumulative, OFFENCE_TYPES, u_type);
    uint32_t a = offence_area(m, run, o->person[i].home, type, u_home, u_neighbour);
    shared_state *ps = shared_of(run);
    double detect = m->p.detect_other;
    if (reoffending_attempt_prevented(run, a, type, u_prevent)) {
        return 0; /* prevented: not committed, nothing to prove */
    }
    if (type != OFFENCE_OTHER) {
        size_t at = (size_t)a * CRIME_TYPES + (type - 1);
        detect = m->crime_running ? ps->detect_probability[at] : m->p.detect_street_default;
    }
    recorder_add(sim_recorder(run), reoffending_metric_id(m, REOFFENDING_OFFENCES_COMMITTED), a, 1);
    if (u_detect >= detect) return 0;
    if (type != OFFENCE_OTHER) ps->tracked_detected[(size_t)a * CRIME_TYPES + (type - 1)]++;
    return open_case(m, run, i, a, u_delay);
}

static int free_person(reoffending *m, uint32_t i)
{
    offenders_release(&m->people, i);
    return 0;
}

/* A person in the community who is no longer followed leaves: at once, or
 * once their open cases are sentenced. */
static int leave_community(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    supervision_off(m, i);
    if (reoffending_programmes_leave(m, run, i, 0) != 0) return -1;
    m->community[o->person[i].home]--;
    if (o->person[i].pending > 0) {
        o->person[i].state = OFFENDER_DESISTED_PENDING;
        return 0;
    }
    return free_person(m, i);
}

/* The sentence of a case of person i, with `prev` proven offences before it. */
static int dispose(reoffending *m, sim_run *run, uint32_t i, uint32_t number, double prev)
{
    offenders *o = &m->people;
    double now = sim_now(run);
    gsl_rng *r = sim_stream(run, STREAM_SENTENCE, o->person[i].serial, number);
    double u_long = gsl_rng_uniform(r), u_long_length = gsl_rng_uniform_pos(r);
    double u_short = gsl_rng_uniform(r), u_short_length = gsl_rng_uniform_pos(r);
    double u_order = gsl_rng_uniform(r);

    if (u_long < m->p.p_long) {
        double sentence = lognormal_from(u_long_length, m->p.long_median_days, m->p.long_sigma);
        return start_custody(m, run, i, sentence, m->p.release_fraction * sentence, (uint32_t)prev);
    }
    double p_short = m->p.custody_first + (m->p.custody_max - m->p.custody_first) * prev /
                                              (prev + m->p.custody_prev_scale);
    if (u_short < p_short) {
        double sentence =
            fmin(m->p.short_max_days,
                 lognormal_from(u_short_length, m->p.short_median_days, m->p.short_sigma));
        return start_custody(m, run, i, sentence, m->p.release_fraction * sentence, (uint32_t)prev);
    }
    /* A community sentence passed on a prisoner runs concurrently with the
     * custodial term and is not an index event. */
    if (o->person[i].state != OFFENDER_COMMUNITY) return 0;
    /* Sentences escalate with the record: a community order rather than a
     * fine, discharge or caution, on the same scale as custody. */
    double p_order = m->p.order_first +
                     (m->p.p_order - m->p.order_first) * prev / (prev + m->p.custody_prev_scale);
    if (u_order < p_order) {
        if (supervise_until(m, run, i, now + m->p.order_days) != 0) return -1;
        return index_event(m, run, i, 1u << COHORT_CUSTODY_OR_ORDER, (uint32_t)prev, 0);
    }
    return index_event(m, run, i, 0, (uint32_t)prev, 0); /* fine, discharge or caution */
}

static int on_sentence(reoffending *m, sim_run *run, uint32_t id)
{
    offenders *o = &m->people;
    uint32_t i = m->cases.at[id].slot;
    if (o->person[i].serial != m->cases.at[id].serial || o->person[i].state == OFFENDER_FREE) {
        return sim_fail(run, "re-offending: case %u outlived its offender", id);
    }
    double committed = m->cases.at[id].committed;
    uint32_t area = m->cases.at[id].area, number = m->cases.at[id].number;
    cases_close(&m->cases, id);
    o->person[i].pending--;

    double now = sim_now(run);
    recorder *rec = sim_recorder(run);
    recorder_add(rec, reoffending_metric_id(m, REOFFENDING_PROVEN_OFFENCES), area, 1);
    m->proven_today++;
    if (!o->person[i].ever_proven) {
        o->person[i].ever_proven = 1;
        recorder_add(rec, reoffending_metric_id(m, REOFFENDING_FIRST_PROOFS), o->person[i].home, 1);
    }
    cohort_proof(&m->cohort, i, committed, reoffending_date_of(m, committed),
                 reoffending_date_of(m, now));
    double prev = (double)o->person[i].prev++;

    if (o->person[i].state == OFFENDER_DESISTED_PENDING) {
        /* Proven, but no longer followed: no disposal is modelled. */
        return o->person[i].pending == 0 ? free_person(m, i) : 0;
    }
    if (o->person[i].desisted) return 0; /* serving out a sentence: no further disposal */
    int supervised = o->person[i].state == OFFENDER_COMMUNITY && o->person[i].supervised;
    if (dispose(m, run, i, number, prev) != 0) return -1;
    /* A longer record can make someone already supervised eligible for
     * intensive supervision (a supervision this sentence starts has been
     * offered its places already). */
    return supervised ? reoffending_programmes_join(m, run, i, PROGRAMME_RECORD) : 0;
}

static int on_release(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    double now = sim_now(run);
    uint32_t home = o->person[i].home;
    m->custody[home]--;
    m->custody_total--;
    m->community[home]++;
    o->person[i].state = OFFENDER_COMMUNITY;

    gsl_rng *r =
        sim_stream(run, STREAM_RELEASE, o->person[i].serial, o->person[i].release_number++);
    double u_accommodation = gsl_rng_uniform_pos(r), u_employed = gsl_rng_uniform(r);
    double u_let = gsl_rng_uniform(r), u_settle = gsl_rng_uniform_pos(r);

    double need = housing_need(m, i, u_accommodation);
    o->person[i].accommodation = o->person[i].accommodation_drawn = accommodation_of_need(m, need);
    o->person[i].employed = u_employed < m->p.p_employed;
    o->person[i].settle_at = settle_time(m, now, u_settle);
    shared_state *ps = shared_of(run);
    if (u_let < m->p.p_social_let && m->housing_model >= 0 && ps->ready_lets[home] > 0) {
        ps->ready_lets[home]--;
        o->person[i].accommodation = ACCOMMODATION_SETTLED;
        if (sim_send(run, m->housing_model, now, MESSAGE_HOUSING_LET_TO_OFFENDER, i, home,
                     o->person[i].serial) != 0) {
            return -1;
        }
    } else if (o->person[i].accommodation != ACCOMMODATION_SETTLED) {
        /* housing_on_release comes after the baseline let, on the draws made
         * above: it houses only leavers the baseline leaves unsettled. */
        if (reoffending_programmes_house(m, run, i) != 0) return -1;
    }
    recorder *rec = sim_recorder(run);
    recorder_add(rec, reoffending_metric_id(m, REOFFENDING_RELEASES), home, 1);
    if (o->person[i].accommodation == ACCOMMODATION_HOMELESS) {
        recorder_add(rec, reoffending_metric_id(m, REOFFENDING_RELEASES_HOMELESS), home, 1);
    }
    unsigned classes = 1u << COHORT_CUSTODY_OR_ORDER;
    if (o->person[i].sentence_days < 365.25) classes |= 1u << COHORT_CUSTODY_SHORT;
    classes |= 1u << (COHORT_RELEASED_SETTLED + o->person[i].accommodation);
    if (reoffending_schedule_settle(m, run, i) != 0 ||
        supervise_until(m, run, i, o->person[i].supervision_end) != 0 ||
        reoffending_retime_offending(m, run, i) != 0 ||
        index_event(m, run, i, classes, o->person[i].custody_prev, 1) != 0) {
        return -1;
    }
    /* A release is an index event whoever is released; a desister then
     * leaves unless a licence still holds them. */
    return o->person[i].desisted && !o->person[i].supervised ? leave_community(m, run, i) : 0;
}

/* Desistance ends offending for good, but not a sentence: a prisoner serves
 * the term and any licence, and a supervised person the supervision, so the
 * prison population and the caseload (and their costs) keep the people the
 * courts gave them (MODELS.md § 3: long custody holds the prison population).
 * They leave when nothing holds them any more. */
static int on_desist(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    recorder_add(sim_recorder(run), reoffending_metric_id(m, REOFFENDING_DESISTANCES),
                 o->person[i].home, 1);
    o->person[i].desisted = 1;
    if (o->person[i].state == OFFENDER_CUSTODY) return 0;
    if (o->person[i].supervised) {
        /* Offending stops, and their places go to others. */
        if (reoffending_programmes_leave(m, run, i, 0) != 0) return -1;
        return reoffending_retime_offending(m, run, i);
    }
    return leave_community(m, run, i);
}

int reoffending_handle_event(reoffending *m, sim_run *run, const sim_event *ev)
{
    offenders *o = &m->people;
    uint32_t i = ev->agent;
    int live = ev->kind != EVENT_SENTENCE && ev->kind != EVENT_ENTRANT && i < o->used;
    uint8_t state = live ? o->person[i].state : OFFENDER_FREE;
    /* A tag that no longer matches marks an event superseded by a later
     * change of the same person, or meant for a previous holder of the slot. */
    switch ((enum reoffending_event)ev->kind) {
    case EVENT_OFFENCE:
        if (state != OFFENDER_COMMUNITY || ev->tag != o->person[i].offence_tag) return 0;
        return on_offence(m, run, i);
    case EVENT_SENTENCE:
        if (ev->agent >= m->cases.used || ev->tag != m->cases.at[ev->agent].generation) return 0;
        return on_sentence(m, run, ev->agent);
    case EVENT_RELEASE:
        if (state != OFFENDER_CUSTODY || ev->tag != o->person[i].custody_tag) return 0;
        return on_release(m, run, i);
    case EVENT_SUPERVISION_END:
        if (state != OFFENDER_COMMUNITY || ev->tag != o->person[i].supervision_tag) return 0;
        if (o->person[i].desisted) return leave_community(m, run, i);
        supervision_off(m, i);
        return reoffending_programmes_leave(m, run, i, 1);
    case EVENT_SETTLE:
        if (state != OFFENDER_COMMUNITY || ev->tag != o->person[i].accommodation_tag) return 0;
        o->person[i].accommodation = ACCOMMODATION_SETTLED;
        return reoffending_retime_offending(m, run, i);
    case EVENT_DESIST:
        if ((state != OFFENDER_COMMUNITY && state != OFFENDER_CUSTODY) ||
            ev->tag != o->person[i].desist_tag || o->person[i].desisted) {
            return 0;
        }
        return on_desist(m, run, i);
    case EVENT_BIRTHDAY:
        if ((state != OFFENDER_COMMUNITY && state != OFFENDER_CUSTODY) ||
            ev->tag != o->person[i].desist_tag || o->person[i].desisted) {
            return 0;
        }
        return retime_desistance(m, run, i);
    case EVENT_PERSISTENCE_END:
        if ((state != OFFENDER_COMMUNITY && state != OFFENDER_CUSTODY) ||
            ev->tag != o->person[i].programme_tag || !o->person[i].employment_left) {
            return 0;
        }
        return reoffending_programmes_persistence_end(m, run, i);
    case EVENT_ENTRANT: break; /* handled by the caller, which owns the arrival process */
    }
    return sim_fail(run, "re-offending: unknown event kind %u", ev->kind);
}
