/* reoffending_internal.h — the re-offending model's state, shared by its
 * files (reoffending.c: life cycle, days, messages; reoffending_events.c:
 * the people's own events). Not for other models. */
#ifndef PLACESIM_REOFFENDING_INTERNAL_H
#define PLACESIM_REOFFENDING_INTERNAL_H

#include "cohort.h"
#include "offenders.h"
#include "reoffending.h"

/* Offence types: `other`, then the street-crime types of place.h shifted by one. */
enum { OFFENCE_OTHER, OFFENCE_TYPES = CRIME_TYPES + 1 };

enum reoffending_event {
    EVENT_OFFENCE,         /* agent slot, tag offence_tag */
    EVENT_SENTENCE,        /* agent case, tag the case's generation */
    EVENT_RELEASE,         /* agent slot, tag custody_tag */
    EVENT_SUPERVISION_END, /* agent slot, tag supervision_tag */
    EVENT_SETTLE,          /* agent slot, tag accommodation_tag */
    EVENT_DESIST,          /* agent slot, tag desist_tag */
    EVENT_BIRTHDAY,        /* agent slot, tag desist_tag */
    EVENT_ENTRANT,         /* agent the entrant's number */
    EVENT_PERSISTENCE_END  /* agent slot, tag programme_tag */
};

/* Stream purposes. Agent = the person's serial; ordinal as stated. */
enum reoffending_stream {
    STREAM_ATTRIBUTES, /* ordinal 0: everything drawn when a person enters */
    STREAM_OFFENCE,    /* ordinal: the person's k-th offence event */
    STREAM_SENTENCE,   /* ordinal: the person's k-th case */
    STREAM_RELEASE,    /* ordinal: the person's k-th release */
    STREAM_ENTRANTS,   /* agent 0, ordinal: the k-th entrant's arrival gap */
    STREAM_RESETTLE    /* ordinal: the day a tenancy from a social let ended */
};

/* Serials of people made tracked by the crime model (detected background
 * offenders) live in their own half of the 32-bit space, so that a change in
 * that inflow does not shift the serials, hence the draws, of first-time
 * entrants. */
#define SERIAL_FROM_CRIME 0x80000000u

enum entry_kind { ENTRY_INITIAL, ENTRY_FIRST_TIME, ENTRY_FROM_CRIME };

typedef struct reoffending_values {
    double rate_shape, rate_mean_per_day;
    double custody_prev_scale;
    double mix_cumulative[OFFENCE_TYPES];
    double detect_other, detect_street_default;
    double p_offend_home, home_gradient;
    double court_median_days, court_sigma;
    double p_long, long_median_days, long_sigma;
    double custody_max, custody_first;
    double short_median_days, short_sigma, short_max_days;
    double p_order, order_first, order_days;
    double release_fraction, short_supervision_days;
    double accommodation_cumulative[ACCOMMODATIONS];
    double settle_per_day, p_social_let, p_employed;
    double hr_accommodation[ACCOMMODATIONS], hr_unemployed, hr_supervised;
    double caseload_limit, officers;
    double desist_per_day, desist_age_slope, desist_shape;
    double accommodation_correlation; /* of a leaver's housing need with their propensity */
    double initial_custody_share, initial_supervised_share, initial_long_share;
    double initial_prev_detection;
    double entrants_configured_per_day; /* negative: stationary (entrants_per_day below) */
    double initial_age_median, initial_age_sigma, entrant_age_median, entrant_age_sigma;
    double prison_per_day, probation_per_day, court_per_proof, police_per_detection;
} reoffending_values;

/* What the model keeps of one intervention of shared_state.interventions (same
 * index). Employment support and intensive supervision list their enrolled
 * slots, so that a deactivation touches only them; intensive supervision
 * queues eligible people who found no place (slot and serial: an entry whose
 * person has gone is skipped when reached). */
typedef struct reoffending_programme {
    int active_seen; /* `active` as of the previous day */
    uint32_t *enrolled;
    size_t n_enrolled, cap_enrolled;
    uint32_t *queue_slot, *queue_serial;
    size_t queue_head, queue_len, cap_queue; /* entries queue_head … queue_len − 1 */
} reoffending_programme;

typedef struct reoffending {
    reoffending_values p;
    offenders people;
    cases cases;
    cohort cohort;

    size_t n_areas;
    double *home_cumulative;                   /* population x D_a, cumulated, for drawing homes */
    int64_t *community, *supervised, *custody; /* levels by home area */
    int64_t supervised_total, custody_total;
    int64_t detected_today, proven_today;

    /* Accommodation on the first night: settled below threshold[0],
     * temporary below threshold[1], else homeless, on a leaver's normal
     * housing-need score; re-set at the end of the warm-up so that leavers
     * with the propensities of the warm-up's later custodial terms meet the
     * configured shares. */
    double accommodation_threshold[ACCOMMODATIONS - 1];
    double *warmup_propensity; /* of those terms, until the thresholds are set */
    size_t n_warmup_propensity, cap_warmup_propensity;
    int thresholds_set;

    uint32_t next_serial;          /* the initial population */
    uint32_t first_entrant_serial; /* entrant k (from 0) has serial first_entrant_serial + k */
    uint32_t next_crime_serial;    /* | SERIAL_FROM_CRIME */
    uint32_t entrants;             /* arrivals of first-time entrants so far (prevented ones too) */
    double entrants_per_day;       /* stationary: the initial active population's desistance */
    int crime_running;
    int housing_model;                 /* its index, or -1 */
    reoffending_programme *programmes; /* [n_programmes]: as many as the views seen so far */
    size_t n_programmes;
    int64_t warmup_first_date, start_date, last_date;
    int metric_base;
} reoffending;

static inline int reoffending_metric_id(const reoffending *m, enum reoffending_metric k)
{
    return m->metric_base + (int)k;
}

/* Day number of an event time. */
static inline int64_t reoffending_date_of(const reoffending *m, double time)
{
    return m->warmup_first_date + (int64_t)time;
}

/* ---- reoffending_events.c ---- */

/* What a person entering the tracked population draws, all from their own
 * attribute stream (keyed by serial), before anything is decided. */
typedef struct entry_draws {
    uint32_t serial;
    double u_home, u_age, u_employed, u_accommodation, u_settle, u_offence, u_desist;
    double u_state, u_long, u_sentence, u_served, u_type, u_delay, u_prevent, u_desisted, u_career;
    double frailty, desist_frailty;
    double age, lambda0; /* years; committed offences per day at hazard ratio 1 */
    unsigned prev;       /* proven offences before entry */
} entry_draws;

/* Draws the attributes of the person with this serial. */
void reoffending_draw_entry(const reoffending *m, sim_run *run, enum entry_kind kind,
                            uint32_t serial, entry_draws *d);

/* The home area and offence type a first-time entrant's draws give. */
uint32_t reoffending_entry_home(const reoffending *m, const entry_draws *d);
size_t reoffending_entry_offence_type(const reoffending *m, const entry_draws *d);

/* A new tracked person entering now with draws d: the initial population is
 * placed in its states, entrants start in the community with an open case
 * for the offence that brought them in (home_area is their home for
 * ENTRY_FIRST_TIME and ENTRY_FROM_CRIME). Returns 0, or -1 after sim_fail. */
int reoffending_enter(reoffending *m, sim_run *run, enum entry_kind kind, const entry_draws *d,
                      uint32_t home_area);

/* An attempted offence of `type` in `area`: a street crime is counted as
 * attempted for the crime model and prevented by patrols when u_prevent is
 * at or above the area's crime_keep (then counted as prevented). Returns 1
 * when prevented; an `other` offence never is. */
int reoffending_attempt_prevented(sim_run *run, uint32_t area, size_t type, double u_prevent);

/* The desistance hazard per day of person i now. */
double reoffending_desistance_rate(const reoffending *m, uint32_t i, double now);

/* The model's own events (kinds of enum reoffending_event). Returns 0, or -1 after
 * sim_fail. */
int reoffending_handle_event(reoffending *m, sim_run *run, const sim_event *ev);

/* Re-times the person's next offence after a change of rate (exact for a
 * Poisson process: the unit-exponential mass left is kept, the rate
 * changes). Returns 0, or -1 after sim_fail. */
int reoffending_retime_offending(reoffending *m, sim_run *run, uint32_t i);

/* Schedules the settling of an unsettled person at settle_at. */
int reoffending_schedule_settle(reoffending *m, sim_run *run, uint32_t i);

/* ---- reoffending_programmes.c: the interventions on people (MODELS.md § 4) ---- */

/* Start of the day: takes up new views, and compares each view's `active`
 * with the day before: a programme that stops drops its enrolled people (their
 * ratio goes at once), one that starts or has free places fills them from
 * its queue. Returns 0, or -1 after sim_fail. */
int reoffending_programmes_begin_day(reoffending *m, sim_run *run);

/* Person i has just started supervision (PROGRAMME_START: employment support
 * and intensive supervision), or gained a proven offence while supervised
 * (PROGRAMME_RECORD: intensive supervision only): enrols them where eligible
 * and re-times their offending if their ratio changed. Returns 0, or -1 after
 * sim_fail. */
enum { PROGRAMME_START, PROGRAMME_RECORD };
int reoffending_programmes_join(reoffending *m, sim_run *run, uint32_t i, int why);

/* Person i leaves their places: at the end of supervision or on entering
 * custody (persist: employment support's ratio persists), or on desisting or
 * leaving the tracked population (no persistence: they no longer offend).
 * Freed places of intensive supervision go to its queue. Re-times i's
 * offending if the ratio changed. Returns 0, or -1 after sim_fail. */
int reoffending_programmes_leave(reoffending *m, sim_run *run, uint32_t i, int persist);

/* At a release that the draw and the baseline let left unsettled: offers the
 * leaver housing_on_release. A paid case claims a ready let at home (as the
 * baseline let does) and makes the person settled. Returns 0, or -1 after
 * sim_fail. */
int reoffending_programmes_house(reoffending *m, sim_run *run, uint32_t i);

/* The person's persistence of employment support has run out. */
int reoffending_programmes_persistence_end(reoffending *m, sim_run *run, uint32_t i);

void reoffending_programmes_free(reoffending *m);

#endif
