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
static int covers(const intervention_view *v, size_t a) { return !v->in_area || v->in_area[a]; }

/* ---- the types housing carries out ---- */

static double team_count(const intervention_view *v)
{
    return ((const housing_repair_teams_params *)v->params)->teams;
}

static double secure_age_of(const intervention_view *v)
{
    return ((const housing_void_security_params *)v->params)->secure_after_days;
}

static double delay_cut_of(const intervention_view *v)
{
    return ((const housing_fast_letting_params *)v->params)->delay_cut;
}

/* The number that governs what housing does for an intervention of its
 * three types; a change of it (or of `active`) is acted upon. */
static double governing_value(const intervention_view *v)
{
    if (v->type == &housing_repair_teams) return team_count(v);
    if (v->type == &housing_void_security) return secure_age_of(v);
    if (v->type == &housing_fast_letting) return delay_cut_of(v);
    return 0.0;
}

/* Whole teams only: a fraction of a team cannot take a void. */
static int64_t teams_of(const intervention_view *v)
{
    double teams = team_count(v);
    return teams >= 1.0 ? (int64_t)floor(teams) : 0;
}

/* ---- repair dispatch ---- */

static int start_job(housing *h, sim_run *run, uint32_t d, uint16_t by)
{
    double now = sim_now(run);
    uint32_t a = h->dw[d].area;
    h->queued[a]--;
    h->dw[d].state = IN_REPAIR;
    h->dw[d].repaired_by = by;
    recorder_event(sim_recorder(run), housing_metric_id(h, HOUSING_REPAIR_WAIT_DAYS_MEAN), a,
                   now - h->dw[d].queued_at);
    h->dw[d].repair_end = now + h->dw[d].work_team_days;
    return sim_schedule(run, h->dw[d].repair_end, EVENT_REPAIR_DONE, d, h->dw[d].phase_tag);
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
    double age = h->secure_age[h->dw[d].area];
    if (!isfinite(age)) return 0;
    return sim_schedule(run, h->dw[d].void_start + age, EVENT_SECURE_INTERVENTION, d,
                        h->dw[d].void_number);
}

/* The event was scheduled under the securing age of its day; the age that
 * applies now may be larger (the covering intervention with the smallest
 * age stopped: wait for the new age) or gone (none covers the area now). */
int housing_iv_on_secure(housing *h, sim_run *run, uint32_t d)
{
    uint32_t a = h->dw[d].area;
    double age = h->secure_age[a];
    if (!isfinite(age)) return 0;
    double due = h->dw[d].void_start + age;
    if (sim_now(run) < due) {
        return sim_schedule(run, due, EVENT_SECURE_INTERVENTION, d, h->dw[d].void_number);
    }
    return housing_secure(h, run, d, h->secure_by[a]);
}

void housing_iv_unsecure(housing *h, uint32_t d)
{
    uint16_t by = h->secured_by[d];
    if (by == BY_BASELINE) return;
    h->iv_secured[by - 1]--;
    h->secured_iv[h->dw[d].area]--;
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
        if (h->dw[d].state == OCCUPIED || (h->dw[d].flags & FLAG_SECURED)) continue;
        double due = h->dw[d].void_start + age;
        int status =
            due <= now ? housing_secure(h, run, d, h->secure_by[a])
                       : sim_schedule(run, due, EVENT_SECURE_INTERVENTION, d, h->dw[d].void_number);
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
        if (v[k].type == &housing_void_security && h->iv_active[k] &&
            !(secure_age_of(&v[k]) >= 0)) {
            return sim_fail(run,
                            "housing: void_security \"%s\" secures at age %g days, "
                            "not a number of days >= 0",
                            v[k].name, secure_age_of(&v[k]));
        }
    }
    for (uint32_t a = 0; a < h->n_areas; a++) {
        double age = INFINITY;
        uint16_t by = BY_BASELINE;
        for (size_t k = 0; k < h->n_iv; k++) {
            if (v[k].type == &housing_void_security && h->iv_active[k] && covers(&v[k], a) &&
                secure_age_of(&v[k]) < age) {
                age = secure_age_of(&v[k]);
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
        if (v[k].type != &housing_fast_letting || !h->iv_active[k]) continue;
        double f = delay_cut_of(&v[k]);
        if (!(f >= 0 && f <= 1)) {
            return sim_fail(run, "housing: fast_letting \"%s\" has f = %g, outside 0-1", v[k].name,
                            f);
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
    if (n > MAX_INTERVENTIONS)
        return sim_fail(run, "housing: more than %d interventions", MAX_INTERVENTIONS);
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
        if (v[k].type == &housing_repair_teams) repair[h->n_repair_iv++] = k;
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
        if (v[k].type == &housing_repair_teams) {
            if (!(value >= 0)) {
                return sim_fail(run, "housing: repair_teams \"%s\" has %g teams", v[k].name, value);
            }
            teams = 1;
        } else if (v[k].type == &housing_void_security) {
            securing = 1;
        } else if (v[k].type == &housing_fast_letting) {
            letting = 1;
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
        if (v[k].type == &housing_repair_teams)
            v[k].used = (double)h->iv_busy[k];
        else if (v[k].type == &housing_void_security)
            v[k].used = (double)h->iv_secured[k];
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
    free(h->iv_active);
    free(h->iv_busy);
    free(h->iv_secured);
    free(h->iv_value);
    free(h->repair_iv);
    free(h->letting_multiplier);
    free(h->secure_age);
    free(h->secure_by);
}

/* ---- the catalogue entries (model.h: intervention_type) ----
 * The unit costs' values and sources are in scenarios/costs/default.cfg. */

static void read_repair_teams(const intervention_type *t, const scn_node *e, void *params)
{
    ((housing_repair_teams_params *)params)->teams = intervention_param(t, e, "capacity");
}

/* Paid by the team-day of capacity, busy or not. */
static double repair_team_days(const void *params, double used, size_t n_areas_covered)
{
    (void)used;
    (void)n_areas_covered;
    return ((const housing_repair_teams_params *)params)->teams;
}

static const param_spec repair_teams_keys[] = {
    PARAM_FLOAT_ROW("capacity", "teams", 0, 1e6, "0", "scenario",
                    "extra teams that serve only its areas (whole teams work)"),
};

const intervention_type housing_repair_teams = {
    .name = "repair_teams",
    .doc = "capacity = extra teams for its areas; their work is not charged as demand; "
           "unit = team-day of capacity, paid daily",
    .keys = repair_teams_keys,
    .n_keys = sizeof repair_teams_keys / sizeof repair_teams_keys[0],
    .params_size = sizeof(housing_repair_teams_params),
    .read = read_repair_teams,
    .unit_cost = "intervention_repair_team_day",
    .payment = PAY_PER_DAY,
    .units_per_day = repair_team_days,
};

static void read_void_security(const intervention_type *t, const scn_node *e, void *params)
{
    ((housing_void_security_params *)params)->secure_after_days =
        intervention_param(t, e, "effect");
}

/* Paid per void-week secured under it yesterday (`used`: voids secured). */
static double secured_void_weeks(const void *params, double used, size_t n_areas_covered)
{
    (void)params;
    (void)n_areas_covered;
    return used / 7.0;
}

static const param_spec void_security_keys[] = {
    PARAM_FLOAT_ROW("effect", "days", 0, 1e6, "14", "assumption",
                    "secure voids in its areas once older than this many days"),
};

const intervention_type housing_void_security = {
    .name = "void_security",
    .doc = "effect = secure voids older than N days (14); damage hazard / secured_divisor, "
           "blight weight secured_blight_weight; unit = secured void-week, paid daily",
    .keys = void_security_keys,
    .n_keys = sizeof void_security_keys / sizeof void_security_keys[0],
    .params_size = sizeof(housing_void_security_params),
    .read = read_void_security,
    .unit_cost = "intervention_secured_void_week",
    .payment = PAY_PER_DAY,
    .units_per_day = secured_void_weeks,
};

static void read_fast_letting(const intervention_type *t, const scn_node *e, void *params)
{
    ((housing_fast_letting_params *)params)->delay_cut = intervention_param(t, e, "effect");
}

static const param_spec fast_letting_keys[] = {
    PARAM_FLOAT_ROW("effect", "share", 0, 1, "0.3", "assumption",
                    "f: a letting delay in its areas x (1 - f)"),
};

/* No unit: paid per day only (cost_per_day). */
const intervention_type housing_fast_letting = {
    .name = "fast_letting",
    .doc = "effect = f (0.3): letting delay x (1 - f); per day only",
    .keys = fast_letting_keys,
    .n_keys = sizeof fast_letting_keys / sizeof fast_letting_keys[0],
    .params_size = sizeof(housing_fast_letting_params),
    .read = read_fast_letting,
    .payment = PAY_PER_DAY,
};
