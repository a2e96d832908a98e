/* housing_interventions.c — who repairs which void, and the place
 * interventions that housing carries out (MODELS.md § 4): repair_teams,
 * void_security and fast_letting.
 *
 * Housing knows the interventions only through shared_state.interventions,
 * which the interventions model publishes each evening for the next day.
 * Housing reads the views at the start of each day and acts only on a
 * change (an intervention starting, stopping, or pausing for want of
 * money), so a day without a change costs nothing here and a run without
 * interventions takes exactly the path it took before they existed. */
#include "housing_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A view whose in_area is NULL covers every area. */
static int covers(const intervention_view *v, size_t a)
{
    return !v->in_area || v->in_area[a];
}

/* The number that governs what housing does for an intervention of its
 * three types; a change of it (or of `active`) is acted upon. */
static double governing_value(const intervention_view *v)
{
    switch (v->type) {
    case INTERVENTION_REPAIR_TEAMS: return v->capacity;
    case INTERVENTION_VOID_SECURITY:
    case INTERVENTION_FAST_LETTING: return v->effect;
    default: return 0.0;
    }
}

/* Whole teams only: a fraction of a team cannot take a void. */
static int64_t teams_of(const intervention_view *v)
{
    return v->capacity >= 1.0 ? (int64_t)floor(v->capacity) : 0;
}

/* ---- repair dispatch ---- */

static int start_job(housing *h, sim_run *run, uint32_t d, uint16_t by)
{
    double now = sim_now(run);
    uint32_t a = h->area[d];
    h->queued[a]--;
    h->state[d] = IN_REPAIR;
    h->repaired_by[d] = by;
    recorder_event(sim_recorder(run), housing_metric_id(h, HOUSING_REPAIR_WAIT_DAYS_MEAN), a,
                   now - h->queued_at[d]);
    h->repair_end[d] = now + h->work_team_days[d];
    return sim_schedule(run, h->repair_end[d], EVENT_REPAIR_DONE, d, h->phase_tag[d]);
}

/* Intervention teams go first: they are paid by the day whether busy or not
 * and cost housing nothing per job, and every void they take in their areas
 * leaves a base team free for the areas they do not serve. Only one kind of
 * server is ever free while a void it may take waits, so the order matters
 * only when a void arrives to find both kinds free. */
int housing_start_repairs(housing *h, sim_run *run)
{
    uint32_t d;
    const intervention_view *v = shared_of(run)->interventions;
    for (size_t i = 0; v && i < h->n_repair_iv; i++) {
        size_t k = h->repair_iv[i];
        if (!h->iv_active[k]) continue;
        int64_t teams = teams_of(&v[k]);
        while (h->iv_busy[k] < teams && repair_queues_pop(&h->queue, v[k].in_area, &d)) {
            h->iv_busy[k]++;
            if (start_job(h, run, d, (uint16_t)(k + 1)) != 0) return -1;
        }
    }
    while (h->teams_free > 0 && repair_queues_pop(&h->queue, NULL, &d)) {
        h->teams_free--;
        if (start_job(h, run, d, BY_BASELINE) != 0) return -1;
    }
    return 0;
}

/* A team of a stopped intervention finishes its job and is simply not
 * given another (start_repairs skips inactive interventions). */
int housing_release_team(housing *h, uint16_t by)
{
    if (by == BY_BASELINE) {
        h->teams_free++;
        return 1;
    }
    h->iv_busy[by - 1]--;
    return 0;
}

/* ---- void_security ---- */

int housing_iv_new_void(housing *h, sim_run *run, uint32_t d)
{
    double age = h->secure_age[h->area[d]];
    if (!isfinite(age)) return 0;
    return sim_schedule(run, h->void_start[d] + age, EVENT_SECURE_INTERVENTION, d,
                        h->void_number[d]);
}

/* The event was scheduled under the securing age of its day; the age that
 * applies now may be larger (the covering intervention with the smallest
 * age stopped: wait for the new age) or gone (none covers the area now). */
int housing_iv_on_secure(housing *h, sim_run *run, uint32_t d)
{
    uint32_t a = h->area[d];
    double age = h->secure_age[a];
    if (!isfinite(age)) return 0;
    double due = h->void_start[d] + age;
    if (sim_now(run) < due) {
        return sim_schedule(run, due, EVENT_SECURE_INTERVENTION, d, h->void_number[d]);
    }
    return housing_secure(h, run, d, h->secure_by[a]);
}

void housing_iv_unsecure(housing *h, uint32_t d)
{
    uint16_t by = h->secured_by[d];
    if (by == BY_BASELINE) return;
    h->iv_secured[by - 1]--;
    h->secured_iv[h->area[d]]--;
    h->secured_by[d] = BY_BASELINE;
}

/* A smaller securing age now covers area a: the voids already there are
 * secured now if old enough, else at that age. One pass over the area's
 * dwellings, only when an intervention starts (or its age falls). */
static int secure_existing(housing *h, sim_run *run, uint32_t a)
{
    double now = sim_now(run);
    double age = h->secure_age[a];
    uint32_t first = h->first_dwelling[a];
    uint32_t last = a + 1 < h->n_areas ? h->first_dwelling[a + 1] : (uint32_t)h->n_dwellings;
    for (uint32_t d = first; d < last; d++) {
        if (h->state[d] == OCCUPIED || (h->flags[d] & FLAG_SECURED)) continue;
        double due = h->void_start[d] + age;
        int status = due <= now ? housing_secure(h, run, d, h->secure_by[a])
                                : sim_schedule(run, due, EVENT_SECURE_INTERVENTION, d,
                                               h->void_number[d]);
        if (status != 0) return -1;
    }
    return 0;
}

/* The smallest age of the active void_security interventions covering each
 * area (ties to the first listed). Voids secured stay so until re-let,
 * whatever happens to the intervention afterwards. */
static int update_securing(housing *h, sim_run *run, const intervention_view *v)
{
    for (size_t k = 0; k < h->n_iv; k++) {
        if (v[k].type == INTERVENTION_VOID_SECURITY && h->iv_active[k] && !(v[k].effect >= 0)) {
            return sim_fail(run, "housing: void_security \"%s\" secures at age %g days, "
                                 "not a number of days >= 0", v[k].name, v[k].effect);
        }
    }
    for (uint32_t a = 0; a < h->n_areas; a++) {
        double age = INFINITY;
        uint16_t by = BY_BASELINE;
        for (size_t k = 0; k < h->n_iv; k++) {
            if (v[k].type == INTERVENTION_VOID_SECURITY && h->iv_active[k] && covers(&v[k], a) &&
                v[k].effect < age) {
                age = v[k].effect;
                by = (uint16_t)(k + 1);
            }
        }
        double before = h->secure_age[a];
        h->secure_age[a] = age;
        h->secure_by[a] = by;
        if (age < before && secure_existing(h, run, a) != 0) return -1;
    }
    return 0;
}

/* ---- fast_letting ---- */

static int update_letting(housing *h, sim_run *run, const intervention_view *v)
{
    for (size_t a = 0; a < h->n_areas; a++) h->letting_multiplier[a] = 1.0;
    for (size_t k = 0; k < h->n_iv; k++) {
        if (v[k].type != INTERVENTION_FAST_LETTING || !h->iv_active[k]) continue;
        double f = v[k].effect;
        if (!(f >= 0 && f <= 1)) {
            return sim_fail(run, "housing: fast_letting \"%s\" has f = %g, outside 0-1",
                            v[k].name, f);
        }
        for (size_t a = 0; a < h->n_areas; a++) {
            if (covers(&v[k], a)) h->letting_multiplier[a] *= 1.0 - f;
        }
    }
    return 0;
}

/* ---- the day ---- */

/* Sizes the per-intervention state on first sight of the views (the
 * interventions model is created after housing). Their number is fixed for
 * a run; it may only appear late, never shrink. */
static int size_for(housing *h, sim_run *run, const intervention_view *v, size_t n)
{
    if (n < h->n_iv) {
        return sim_fail(run, "housing: the interventions fell from %zu to %zu", h->n_iv, n);
    }
    if (n > MAX_INTERVENTIONS) return sim_fail(run, "housing: more than %d interventions",
                                               MAX_INTERVENTIONS);
    uint8_t *active = realloc(h->iv_active, n * sizeof *active);
    if (active) h->iv_active = active;
    int64_t *busy = realloc(h->iv_busy, n * sizeof *busy);
    if (busy) h->iv_busy = busy;
    int64_t *secured = realloc(h->iv_secured, n * sizeof *secured);
    if (secured) h->iv_secured = secured;
    double *value = realloc(h->iv_value, n * sizeof *value);
    if (value) h->iv_value = value;
    size_t *repair = realloc(h->repair_iv, n * sizeof *repair);
    if (repair) h->repair_iv = repair;
    if (!active || !busy || !secured || !value || !repair) return sim_fail(run, "out of memory");
    for (size_t k = h->n_iv; k < n; k++) {
        active[k] = 0;
        busy[k] = secured[k] = 0;
        value[k] = governing_value(&v[k]);
    }
    h->n_iv = n;
    h->n_repair_iv = 0;
    for (size_t k = 0; k < n; k++) {
        if (v[k].type == INTERVENTION_REPAIR_TEAMS) repair[h->n_repair_iv++] = k;
    }
    return 0;
}

int housing_iv_begin_day(housing *h, sim_run *run)
{
    shared_state *st = shared_of(run);
    const intervention_view *v = st->interventions;
    size_t n = v ? st->n_interventions : 0;
    if (n == 0) return 0;
    if (n != h->n_iv && size_for(h, run, v, n) != 0) return -1;

    int teams = 0, securing = 0, letting = 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t active = v[k].active != 0;
        double value = governing_value(&v[k]);
        if (active == h->iv_active[k] && value == h->iv_value[k]) continue;
        h->iv_active[k] = active;
        h->iv_value[k] = value;
        switch (v[k].type) {
        case INTERVENTION_REPAIR_TEAMS:
            if (!(value >= 0)) {
                return sim_fail(run, "housing: repair_teams \"%s\" has %g teams", v[k].name,
                                value);
            }
            teams = 1;
            break;
        case INTERVENTION_VOID_SECURITY: securing = 1; break;
        case INTERVENTION_FAST_LETTING: letting = 1; break;
        default: break;
        }
    }
    if (letting && update_letting(h, run, v) != 0) return -1;
    if (securing && update_securing(h, run, v) != 0) return -1;
    /* Teams that start (or grow) take waiting voids at once. */
    if (teams) return housing_start_repairs(h, run);
    return 0;
}

void housing_iv_end_day(housing *h, sim_run *run)
{
    shared_state *st = shared_of(run);
    if (st->secured_voids) {
        for (size_t a = 0; a < h->n_areas; a++) st->secured_voids[a] = h->secured[a];
    }
    intervention_view *v = st->interventions;
    size_t n = v && st->n_interventions < h->n_iv ? st->n_interventions : h->n_iv;
    for (size_t k = 0; v && k < n; k++) {
        if (v[k].type == INTERVENTION_REPAIR_TEAMS) v[k].used = (double)h->iv_busy[k];
        else if (v[k].type == INTERVENTION_VOID_SECURITY) v[k].used = (double)h->iv_secured[k];
    }
}

/* ---- life cycle ---- */

int housing_iv_allocate(housing *h)
{
    size_t m = h->n_areas ? h->n_areas : 1;
    h->letting_multiplier = malloc(m * sizeof *h->letting_multiplier);
    h->secure_age = malloc(m * sizeof *h->secure_age);
    h->secure_by = calloc(m, sizeof *h->secure_by);
    if (!h->letting_multiplier || !h->secure_age || !h->secure_by) return -1;
    for (size_t a = 0; a < m; a++) {
        h->letting_multiplier[a] = 1.0;
        h->secure_age[a] = INFINITY;
    }
    return 0;
}

void housing_iv_free(housing *h)
{
    free(h->iv_active); free(h->iv_busy); free(h->iv_secured); free(h->iv_value);
    free(h->repair_iv);
    free(h->letting_multiplier); free(h->secure_age); free(h->secure_by);
}
