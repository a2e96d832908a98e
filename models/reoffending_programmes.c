/* reoffending_programmes.c — the interventions on people (MODELS.md § 4):
 * housing_on_release, employment_support and intensive_supervision, as the
 * interventions model publishes them in shared_state.interventions.
 *
 * Employment support and intensive supervision act only through a person's
 * hr_interventions (the product of the ratios of the places they hold, and of
 * an employment support they left less than its persistence ago); every change
 * of it re-times their offending. housing_on_release makes a leaver settled
 * with a ready social let. Nothing here draws a random number, and nothing
 * re-times anyone whose ratio did not change, so a run without interventions
 * is the run it was before they existed.
 *
 * Interventions act only in the written years: the warm-up is the baseline
 * the scenario starts from (and the ledger takes no payment in it). */
#include "reoffending_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A view with no area mask covers every area. */
static int covers(const intervention_view *v, uint32_t area)
{
    return !v->in_area || v->in_area[area];
}

static int acting(sim_run *run, const intervention_view *v)
{
    return v->active && sim_written(run);
}

static const reoffending_employment_support_params *employment_of(const intervention_view *v)
{
    return v->params;
}

static const reoffending_intensive_supervision_params *intensive_of(const intervention_view *v)
{
    return v->params;
}

static int is_employment(const intervention_view *v)
{
    return v->type == &reoffending_employment_support;
}

static int is_intensive(const intervention_view *v)
{
    return v->type == &reoffending_intensive_supervision;
}

/* Places of a programme (employment support or intensive supervision). */
static double places_of(const intervention_view *v)
{
    return is_intensive(v) ? intensive_of(v)->places : employment_of(v)->places;
}

static double programme_ratio(const reoffending *m, const shared_state *ps, uint32_t i)
{
    const offenders *o = &m->people;
    double hr = 1.0;
    if (o->person[i].employment)
        hr *= employment_of(&ps->interventions[o->person[i].employment - 1])->hazard_ratio;
    if (o->person[i].intensive)
        hr *= intensive_of(&ps->interventions[o->person[i].intensive - 1])->hazard_ratio;
    return hr;
}

/* Re-times i's offending if their ratio changed (and only then). */
static int update_ratio(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    double hr = programme_ratio(m, shared_of(run), i);
    if (hr == o->person[i].hr_interventions) return 0;
    o->person[i].hr_interventions = hr;
    return reoffending_retime_offending(m, run, i);
}

/* ---- lists of enrolled slots ---- */

/* Where person i stands in v's list of enrolled slots. */
static uint32_t *position_of(offenders *o, const intervention_view *v, uint32_t i)
{
    return is_intensive(v) ? &o->person[i].intensive_at : &o->person[i].employment_at;
}

static int enrol(reoffending *m, sim_run *run, size_t k, uint32_t i)
{
    offenders *o = &m->people;
    reoffending_programme *p = &m->programmes[k];
    intervention_view *v = &shared_of(run)->interventions[k];
    if (p->n_enrolled == p->cap_enrolled) {
        size_t cap = p->cap_enrolled ? 2 * p->cap_enrolled : 64;
        uint32_t *grown = realloc(p->enrolled, cap * sizeof *grown);
        if (!grown) return sim_fail(run, "re-offending: out of memory enrolling in %s", v->name);
        p->enrolled = grown;
        p->cap_enrolled = cap;
    }
    *position_of(o, v, i) = (uint32_t)p->n_enrolled;
    p->enrolled[p->n_enrolled++] = i;
    v->used = (double)p->n_enrolled;
    enum reoffending_metric metric = REOFFENDING_ENROLMENTS_INTENSIVE;
    if (is_intensive(v)) {
        o->person[i].intensive = (uint16_t)(k + 1);
    } else {
        /* A new place supersedes the persistence of an earlier one. */
        o->person[i].employment = (uint16_t)(k + 1);
        o->person[i].employment_left = 0;
        o->person[i].programme_tag++;
        metric = REOFFENDING_ENROLMENTS_EMPLOYMENT;
    }
    recorder_add(sim_recorder(run), reoffending_metric_id(m, metric), o->person[i].home, 1);
    return 0;
}

static void clear_employment(offenders *o, uint32_t i)
{
    o->person[i].employment = 0;
    o->person[i].employment_left = 0;
    o->person[i].programme_tag++; /* a pending end of persistence is moot */
}

/* Takes i off programme k's list (their fields are the caller's). */
static void unenrol(reoffending *m, shared_state *ps, size_t k, uint32_t i)
{
    offenders *o = &m->people;
    reoffending_programme *p = &m->programmes[k];
    const intervention_view *v = &ps->interventions[k];
    uint32_t at = *position_of(o, v, i);
    uint32_t last = p->enrolled[--p->n_enrolled];
    p->enrolled[at] = last;
    *position_of(o, v, last) = at;
    ps->interventions[k].used = (double)p->n_enrolled;
}

/* ---- the queue of intensive supervision ---- */

/* Whether a queued person still waits: the same person, supervised, still
 * offending and without a place (home and a record only growing keep them
 * eligible for the programme that queued them). */
static int waiting(const reoffending *m, uint32_t slot, uint32_t serial)
{
    const offenders *o = &m->people;
    return slot < o->used && o->person[slot].serial == serial &&
           o->person[slot].state == OFFENDER_COMMUNITY && o->person[slot].supervised &&
           !o->person[slot].desisted && !o->person[slot].intensive;
}

/* Appends to the queue; when full, first drops what was consumed and who no
 * longer waits, and grows only if that left it more than half full, so the
 * queue stays within twice the people waiting (amortised O(1) a push). */
static int queue_push(reoffending *m, sim_run *run, reoffending_programme *p, uint32_t slot)
{
    if (p->queue_len == p->cap_queue) {
        size_t n = 0;
        for (size_t q = p->queue_head; q < p->queue_len; q++) {
            if (!waiting(m, p->queue_slot[q], p->queue_serial[q])) continue;
            p->queue_slot[n] = p->queue_slot[q];
            p->queue_serial[n++] = p->queue_serial[q];
        }
        p->queue_head = 0;
        p->queue_len = n;
        if (2 * n >= p->cap_queue) {
            size_t cap = p->cap_queue ? 2 * p->cap_queue : 64;
            uint32_t *slots = realloc(p->queue_slot, cap * sizeof *slots);
            if (!slots) return sim_fail(run, "re-offending: out of memory queueing");
            p->queue_slot = slots;
            uint32_t *serials = realloc(p->queue_serial, cap * sizeof *serials);
            if (!serials) return sim_fail(run, "re-offending: out of memory queueing");
            p->queue_serial = serials;
            p->cap_queue = cap;
        }
    }
    p->queue_slot[p->queue_len] = slot;
    p->queue_serial[p->queue_len++] = m->people.person[slot].serial;
    return 0;
}

/* Gives free places of intensive supervision k to the people queued longest. */
static int fill_from_queue(reoffending *m, sim_run *run, size_t k)
{
    reoffending_programme *p = &m->programmes[k];
    const intervention_view *v = &shared_of(run)->interventions[k];
    while (acting(run, v) && (double)p->n_enrolled < places_of(v) && p->queue_head < p->queue_len) {
        uint32_t slot = p->queue_slot[p->queue_head];
        uint32_t serial = p->queue_serial[p->queue_head++];
        if (!waiting(m, slot, serial)) continue;
        if (enrol(m, run, k, slot) != 0 || update_ratio(m, run, slot) != 0) return -1;
    }
    if (p->queue_head == p->queue_len) p->queue_head = p->queue_len = 0;
    return 0;
}

/* ---- the day ---- */

/* A programme that stops takes its places back at once: the people in them
 * lose the ratio (no persistence: the support ended, they did not finish it).
 * Those who left employment support earlier keep their persistence. */
static int drop_all(reoffending *m, sim_run *run, size_t k)
{
    offenders *o = &m->people;
    reoffending_programme *p = &m->programmes[k];
    intervention_view *v = &shared_of(run)->interventions[k];
    while (p->n_enrolled > 0) {
        uint32_t i = p->enrolled[--p->n_enrolled];
        if (is_intensive(v)) {
            o->person[i].intensive = 0;
        } else {
            clear_employment(o, i);
        }
        if (update_ratio(m, run, i) != 0) return -1;
    }
    v->used = 0;
    return 0;
}

int reoffending_programmes_begin_day(reoffending *m, sim_run *run)
{
    shared_state *ps = shared_of(run);
    size_t n = ps->interventions ? ps->n_interventions : 0;
    if (n < m->n_programmes) {
        return sim_fail(run, "re-offending: the interventions went from %zu to %zu",
                        m->n_programmes, n);
    }
    if (n > m->n_programmes) {
        if (n >= UINT16_MAX) return sim_fail(run, "re-offending: too many interventions (%zu)", n);
        reoffending_programme *grown = realloc(m->programmes, n * sizeof *grown);
        if (!grown) return sim_fail(run, "re-offending: out of memory");
        memset(grown + m->n_programmes, 0, (n - m->n_programmes) * sizeof *grown);
        m->programmes = grown;
        m->n_programmes = n;
    }
    for (size_t k = 0; k < n; k++) {
        intervention_view *v = &ps->interventions[k];
        if (!is_employment(v) && !is_intensive(v)) continue;
        reoffending_programme *p = &m->programmes[k];
        int now = acting(run, v);
        if (p->active_seen && !now && drop_all(m, run, k) != 0) return -1;
        p->active_seen = now;
        v->used = (double)p->n_enrolled;
        if (is_intensive(v) && fill_from_queue(m, run, k) != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- people ---- */

int reoffending_programmes_join(reoffending *m, sim_run *run, uint32_t i, int why)
{
    offenders *o = &m->people;
    if (m->n_programmes == 0 || o->person[i].state != OFFENDER_COMMUNITY ||
        !o->person[i].supervised || o->person[i].desisted) {
        return 0;
    }
    shared_state *ps = shared_of(run);
    uint32_t home = o->person[i].home;
    double prev = (double)o->person[i].prev;
    for (size_t k = 0; k < m->n_programmes; k++) {
        intervention_view *v = &ps->interventions[k];
        if (!covers(v, home)) continue;
        if (is_employment(v)) {
            if (why != PROGRAMME_START ||
                (o->person[i].employment && !o->person[i].employment_left) || !acting(run, v) ||
                !((double)m->programmes[k].n_enrolled < places_of(v))) {
                continue;
            }
            int paid = sim_fund_case(run, k, v->cost_per_case);
            if (paid < 0 || (paid && enrol(m, run, k, i) != 0)) return -1;
        } else if (is_intensive(v)) {
            /* A proof adds to the queue only the person it makes eligible. */
            double min_previous = intensive_of(v)->min_previous;
            if (o->person[i].intensive || prev < min_previous ||
                (why == PROGRAMME_RECORD && prev - 1.0 >= min_previous)) {
                continue;
            }
            int status = acting(run, v) && (double)m->programmes[k].n_enrolled < places_of(v)
                             ? enrol(m, run, k, i)
                             : queue_push(m, run, &m->programmes[k], i);
            if (status != 0) return -1;
        }
    }
    return update_ratio(m, run, i);
}

int reoffending_programmes_leave(reoffending *m, sim_run *run, uint32_t i, int persist)
{
    offenders *o = &m->people;
    if (!o->person[i].employment && !o->person[i].intensive) return 0;
    shared_state *ps = shared_of(run);
    if (o->person[i].employment && !o->person[i].employment_left) {
        size_t k = o->person[i].employment - 1u;
        double days = employment_of(&ps->interventions[k])->persistence_days;
        unenrol(m, ps, k, i);
        if (persist && days > 0) {
            o->person[i].employment_left = 1;
            o->person[i].programme_tag++;
            if (isfinite(days) && sim_schedule(run, sim_now(run) + days, EVENT_PERSISTENCE_END, i,
                                               o->person[i].programme_tag) != 0) {
                return -1;
            }
        } else {
            clear_employment(o, i);
        }
    } else if (o->person[i].employment && !persist) {
        clear_employment(o, i); /* a persistence under way otherwise runs its course */
    }
    if (o->person[i].intensive) {
        size_t k = o->person[i].intensive - 1u;
        unenrol(m, ps, k, i);
        o->person[i].intensive = 0;
        if (fill_from_queue(m, run, k) != 0) return -1;
    }
    return update_ratio(m, run, i);
}

int reoffending_programmes_persistence_end(reoffending *m, sim_run *run, uint32_t i)
{
    clear_employment(&m->people, i);
    return update_ratio(m, run, i);
}

int reoffending_programmes_house(reoffending *m, sim_run *run, uint32_t i)
{
    offenders *o = &m->people;
    if (m->n_programmes == 0 || m->housing_model < 0) return 0;
    shared_state *ps = shared_of(run);
    uint32_t home = o->person[i].home;
    for (size_t k = 0; k < m->n_programmes && ps->ready_lets[home] > 0; k++) {
        intervention_view *v = &ps->interventions[k];
        if (v->type != &reoffending_housing_on_release || !acting(run, v) || !covers(v, home) ||
            !(v->used <
              ((const reoffending_housing_on_release_params *)v->params)->leavers_per_year)) {
            continue;
        }
        int paid = sim_fund_case(run, k, v->cost_per_case);
        if (paid < 0) return -1;
        if (!paid) continue;
        v->used += 1.0;
        ps->ready_lets[home]--;
        o->person[i].accommodation = ACCOMMODATION_SETTLED;
        recorder_add(sim_recorder(run), reoffending_metric_id(m, REOFFENDING_RELEASES_HOUSED), home,
                     1);
        return sim_send(run, m->housing_model, sim_now(run), MESSAGE_HOUSING_LET_TO_OFFENDER, i,
                        home, o->person[i].serial);
    }
    return 0;
}

void reoffending_programmes_free(reoffending *m)
{
    for (size_t k = 0; k < m->n_programmes; k++) {
        free(m->programmes[k].enrolled);
        free(m->programmes[k].queue_slot);
        free(m->programmes[k].queue_serial);
    }
    free(m->programmes);
    m->programmes = NULL;
    m->n_programmes = 0;
}

/* ---- the catalogue entries (model.h: intervention_type) ----
 * The unit costs' values and sources are in scenarios/costs/default.cfg. */

static void read_housing_on_release(const intervention_type *t, const scn_node *e, void *params)
{
    reoffending_housing_on_release_params *p = params;
    p->leavers_per_year = intervention_param(t, e, "capacity");
}

static const param_spec housing_on_release_keys[] = {
    PARAM_FLOAT_ROW("capacity", "leavers a year", 0, 1e6, "0", "scenario",
                    "leavers housed a financial year, at most"),
};

const intervention_type reoffending_housing_on_release = {
    .name = "housing_on_release",
    .doc = "capacity = leavers a financial year given a ready social let and settled; "
           "unit = case, paid at intake",
    .keys = housing_on_release_keys,
    .n_keys = sizeof housing_on_release_keys / sizeof housing_on_release_keys[0],
    .params_size = sizeof(reoffending_housing_on_release_params),
    .read = read_housing_on_release,
    .unit_cost = "intervention_release_case",
    .payment = PAY_PER_CASE,
    .cases_per_year = 1,
};

static void read_employment_support(const intervention_type *t, const scn_node *e, void *params)
{
    reoffending_employment_support_params *p = params;
    p->places = intervention_param(t, e, "capacity");
    p->hazard_ratio = intervention_param(t, e, "effect");
    p->persistence_days = intervention_param(t, e, "persistence_days");
}

static const param_spec employment_support_keys[] = {
    PARAM_FLOAT_ROW("capacity", "places", 0, 1e6, "0", "scenario",
                    "places, offered at the start of supervision"),
    /* Justice Data Lab: 19% vs 26% one-year rates ~ HR 0.67 under frailty
     * (MODELS.md § 4) */
    PARAM_FLOAT_ROW("effect", "hazard ratio", 0, 10, "0.67", "Justice Data Lab 19% vs 26%",
                    "on offending while enrolled"),
    PARAM_FLOAT_ROW("persistence_days", "days", 0, 3650, "365", "assumption",
                    "the hazard ratio lasts this long after leaving a place"),
};

const intervention_type reoffending_employment_support = {
    .name = "employment_support",
    .doc = "capacity = places at the start of supervision; effect = hazard ratio (0.67) while "
           "enrolled and persistence_days after; unit = place, paid at intake",
    .keys = employment_support_keys,
    .n_keys = sizeof employment_support_keys / sizeof employment_support_keys[0],
    .params_size = sizeof(reoffending_employment_support_params),
    .read = read_employment_support,
    .unit_cost = "intervention_employment_place",
    .payment = PAY_PER_CASE,
};

static void read_intensive_supervision(const intervention_type *t, const scn_node *e, void *params)
{
    reoffending_intensive_supervision_params *p = params;
    p->officers = intervention_param(t, e, "capacity");
    p->places = p->officers * intervention_param(t, e, "caseload_per_officer");
    p->hazard_ratio = intervention_param(t, e, "effect");
    p->min_previous = intervention_param(t, e, "min_previous");
}

/* Paid by the officer-day. */
static double officer_days(const void *params, double used, size_t n_areas_covered)
{
    (void)used;
    (void)n_areas_covered;
    return ((const reoffending_intensive_supervision_params *)params)->officers;
}

static const param_spec intensive_supervision_keys[] = {
    PARAM_FLOAT_ROW("capacity", "officers", 0, 1e6, "0", "scenario", "officers"),
    PARAM_FLOAT_ROW("effect", "hazard ratio", 0, 10, "0.85", "assumption",
                    "on offending while supervised"),
    PARAM_FLOAT_ROW("min_previous", "proven offences", 0, 1000, "5",
                    "assumption (prolific offenders: MoJ 11+ previous offences re-offend at 47%)",
                    "eligible from this many previous proven offences"),
    PARAM_FLOAT_ROW("caseload_per_officer", "people", 1, 1000, "30",
                    "assumption (intensive caseloads well under probation's 50)",
                    "places per officer"),
};

const intervention_type reoffending_intensive_supervision = {
    .name = "intensive_supervision",
    .doc = "capacity = officers (x caseload_per_officer places) for people with >= min_previous "
           "proven offences; effect = hazard ratio (0.85); unit = officer-day, paid daily",
    .keys = intensive_supervision_keys,
    .n_keys = sizeof intensive_supervision_keys / sizeof intensive_supervision_keys[0],
    .params_size = sizeof(reoffending_intensive_supervision_params),
    .read = read_intensive_supervision,
    .unit_cost = "intervention_officer_day",
    .payment = PAY_PER_DAY,
    .units_per_day = officer_days,
};
