/* housing.c — the social-housing voids model (MODELS.md § 1): its events
 * and life cycle. Who repairs which void, and the place interventions, are
 * in housing_interventions.c.
 *
 * Every state change is an event; nothing scans the stock (but one area's
 * dwellings, when a void_security intervention starts there). Draws come
 * from each dwelling's own streams, keyed by its k-th void, so a scenario
 * that changes one void's fate leaves every other draw as it was (common
 * random numbers). */
#include "housing_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "alloc_tuning.h"

/* Stream purposes. Agent = dwelling index (dwellings are never created or
 * destroyed, so the index is a serial id); ordinal = the dwelling's void
 * number k (its tenancy k ends in void k+1). */
enum housing_stream { STREAM_TENANCY, STREAM_REPAIR_WORK, STREAM_LETTING, STREAM_DAMAGE };

/* ---- parameters ---- */

static enum duration_kind duration_kind_of(const char *name)
{
    if (strcmp(name, "exponential") == 0) return DURATION_EXPONENTIAL;
    if (strcmp(name, "fixed") == 0) return DURATION_FIXED;
    return DURATION_LOGNORMAL;
}

static duration read_duration(const scenario *s, const char *kind_key, const char *median_key,
                              const char *sigma_key)
{
    return (duration){ duration_kind_of(scenario_string(s, kind_key)),
                       scenario_float(s, median_key), scenario_float(s, sigma_key) };
}

/* Exponential and fixed keep the lognormal's mean, median × exp(σ²/2), so a
 * switch of distribution changes the shape, not the load. */
static double draw_duration(gsl_rng *r, const duration *d, double scale)
{
    double mean = d->median * exp(0.5 * d->sigma * d->sigma) * scale;
    switch (d->kind) {
    case DURATION_EXPONENTIAL: return mean > 0 ? gsl_ran_exponential(r, mean) : 0.0;
    case DURATION_FIXED: return mean;
    case DURATION_LOGNORMAL: break;
    }
    if (d->median * scale <= 0) return 0.0;
    return gsl_ran_lognormal(r, log(d->median * scale), d->sigma);
}

static void read_params(housing *h, const scenario *s)
{
    double turnover = scenario_float(s, "housing.turnover");
    h->tenancy_mean_days = turnover > 0 ? 365.25 / turnover : INFINITY;
    h->repair_work =
        read_duration(s, "housing.repair_work.distribution", "housing.repair_work.median_team_days",
                      "housing.repair_work.sigma");
    h->major_share = scenario_float(s, "housing.repair_work.major_share");
    h->major_multiplier = scenario_float(s, "housing.repair_work.major_multiplier");
    h->letting_delay =
        read_duration(s, "housing.letting_delay.distribution", "housing.letting_delay.median_days",
                      "housing.letting_delay.sigma");
    h->letting_deprivation_factor = scenario_float(s, "housing.letting_delay.deprivation_factor");
    h->damage_hazard_per_day = scenario_float(s, "housing.damage.hazard_per_day");
    h->exposure_after_days = scenario_float(s, "housing.damage.exposure_after_days");
    h->exposed_multiplier = scenario_float(s, "housing.damage.exposed_multiplier");
    h->secured_divisor = scenario_float(s, "housing.damage.secured_divisor");
    h->damage_work =
        read_duration(s, "housing.damage.work_distribution", "housing.damage.work_median_team_days",
                      "housing.damage.work_sigma");
    h->securing_enabled = scenario_bool(s, "housing.securing.enabled");
    h->secure_after_days = scenario_float(s, "housing.securing.after_days");
    h->blight_after_days = scenario_float(s, "housing.blight_after_days");
    h->secured_blight_weight = scenario_float(s, "housing.secured_blight_weight");
    h->teams = scenario_int(s, "housing.repair_teams");
    h->teams_free = h->teams;
    const char *order = scenario_string(s, "housing.queue_order");
    h->order = strcmp(order, "longest_void_first") == 0   ? ORDER_LONGEST_VOID_FIRST
               : strcmp(order, "target_areas_first") == 0 ? ORDER_TARGET_AREAS_FIRST
                                                          : ORDER_FIFO;
}

/* ---- bookkeeping ---- */

static int metric(const housing *h, enum housing_metric m) { return housing_metric_id(h, m); }

static void update_blight(housing *h, sim_run *run, uint32_t a)
{
    double weighted =
        (double)h->long_unsecured[a] + h->secured_blight_weight * (double)h->long_secured[a];
    double den = h->area_dwellings[a];
    shared_of(run)->blight_index[a] = den > 0 ? 1000.0 * weighted / den : 0.0;
}

static int schedule_damage(housing *h, sim_run *run, uint32_t d)
{
    double hazard = h->damage_hazard_per_day;
    if (h->dw[d].flags & FLAG_SECURED) hazard /= h->secured_divisor;
    if (hazard <= 0) return 0;
    gsl_rng *r =
        sim_stream_at(run, STREAM_DAMAGE, d, h->dw[d].void_number, h->dw[d].damage_position);
    double e = gsl_ran_exponential(r, 1.0);
    h->dw[d].damage_position = (uint32_t)rng_stream_tell(r);

    /* Invert the cumulative hazard: h before the exposure age, h × m after. */
    double now = sim_now(run);
    double age = now - h->dw[d].void_start;
    double early = age < h->exposure_after_days ? h->exposure_after_days - age : 0.0;
    double wait;
    if (e <= hazard * early) {
        wait = e / hazard;
    } else {
        double late_hazard = hazard * h->exposed_multiplier;
        if (late_hazard <= 0) return 0;
        wait = early + (e - hazard * early) / late_hazard;
    }
    return sim_schedule(run, now + wait, EVENT_DAMAGE, d, h->dw[d].damage_tag);
}

/* Ready-to-let dwellings are listed per area (and published as
 * shared_state.ready_lets) so that a let to a prison leaver can take one. */
static void ready_add(housing *h, sim_run *run, uint32_t d)
{
    uint32_t a = h->dw[d].area;
    h->ready_position[d] = (uint32_t)h->ready_count[a];
    h->ready_list[h->first_dwelling[a] + h->ready_count[a]++] = d;
    shared_of(run)->ready_lets[a]++;
}

/* Takes d off its area's list; `claimed` when the claimant already counted
 * it off shared_state.ready_lets. */
static void ready_remove(housing *h, sim_run *run, uint32_t d, int claimed)
{
    uint32_t a = h->dw[d].area;
    uint32_t *list = h->ready_list + h->first_dwelling[a];
    uint32_t last = list[--h->ready_count[a]];
    list[h->ready_position[d]] = last;
    h->ready_position[last] = h->ready_position[d];
    if (!claimed) shared_of(run)->ready_lets[a]--;
}

static int enqueue_repair(housing *h, sim_run *run, uint32_t d)
{
    double now = sim_now(run);
    uint32_t a = h->dw[d].area;
    uint32_t priority_class = 0;
    double key = now;
    if (h->order == ORDER_LONGEST_VOID_FIRST) key = h->dw[d].void_start;
    if (h->order == ORDER_TARGET_AREAS_FIRST) priority_class = h->target_area[a] ? 0 : 1;
    if (repair_queues_push(&h->queue, a, d, priority_class, key) != 0) {
        return sim_fail(run, "out of memory in the repair queue");
    }
    h->dw[d].state = AWAITING_REPAIR;
    h->dw[d].queued_at = now;
    h->queued[a]++;
    return 0;
}

static int schedule_tenancy_end(housing *h, sim_run *run, uint32_t d)
{
    if (!isfinite(h->tenancy_mean_days)) return 0;
    gsl_rng *r = sim_stream(run, STREAM_TENANCY, d, h->dw[d].void_number);
    double length = gsl_ran_exponential(r, h->tenancy_mean_days);
    return sim_schedule(run, sim_now(run) + length, EVENT_TENANCY_END, d, 0);
}

/* ---- events ---- */

static int on_tenancy_end(housing *h, sim_run *run, uint32_t d)
{
    if (h->dw[d].state != OCCUPIED) {
        return sim_fail(run, "housing: tenancy ended in dwelling %u, which is void", d);
    }
    if (h->dw[d].tenant_slot) {
        uint32_t slot = h->dw[d].tenant_slot - 1;
        h->dw[d].tenant_slot = 0;
        if (sim_send(run, h->reoffending_model, sim_now(run), MESSAGE_REOFFENDING_TENANCY_ENDED,
                     slot, 0, h->tenant_serial[d]) != 0) {
            return -1;
        }
    }
    double now = sim_now(run);
    uint32_t a = h->dw[d].area;
    uint32_t k = ++h->dw[d].void_number;
    h->dw[d].void_start = now;
    h->dw[d].flags = 0;
    h->dw[d].letting_position = 0;
    h->dw[d].damage_position = 0;
    h->voids[a]++;
    recorder_add(sim_recorder(run), metric(h, HOUSING_VOID_STARTS), a, 1);

    /* Both draws are always made, so the stream stays aligned whatever the share. */
    gsl_rng *r = sim_stream(run, STREAM_REPAIR_WORK, d, k);
    double major = gsl_rng_uniform(r);
    double work = draw_duration(r, &h->repair_work, 1.0);
    if (major < h->major_share) work *= h->major_multiplier;
    h->dw[d].work_team_days = work;

    if (sim_schedule(run, now + h->blight_after_days, EVENT_BECOMES_LONG, d, k) != 0) return -1;
    if (h->securing_enabled &&
        sim_schedule(run, now + h->secure_after_days, EVENT_SECURE, d, k) != 0) {
        return -1;
    }
    if (housing_iv_new_void(h, run, d) != 0) return -1;
    if (schedule_damage(h, run, d) != 0) return -1;
    if (enqueue_repair(h, run, d) != 0) return -1;
    return housing_start_repairs(h, run);
}

static int on_repair_done(housing *h, sim_run *run, uint32_t d)
{
    double now = sim_now(run);
    uint32_t a = h->dw[d].area;
    if (housing_release_team(h, h->dw[d].repaired_by)) {
        /* Rounded to the penny once, so that the series and the ledger's
         * demand posting take the same pence. */
        double cost =
            money_round_pence(h->dw[d].work_team_days * h->repair_cost_per_team_day) / 100.0;
        recorder_add(sim_recorder(run), metric(h, HOUSING_REPAIR_COST), a, cost);
        sim_charge_demand(run, BEARER_HOUSING, "void_repairs", cost);
    } else {
        /* An intervention's team: paid by the team-day of capacity, so its
         * work is not demand on housing (MODELS.md § 4). */
        recorder_add(sim_recorder(run), metric(h, HOUSING_REPAIR_JOBS_BY_INTERVENTIONS), a, 1);
    }
    h->dw[d].work_team_days = 0;
    h->dw[d].state = READY_TO_LET;
    ready_add(h, run, d);

    gsl_rng *r =
        sim_stream_at(run, STREAM_LETTING, d, h->dw[d].void_number, h->dw[d].letting_position);
    /* fast_letting scales the drawn delay, so the draw itself (and every
     * other draw) is that of the run without it. */
    double delay =
        draw_duration(r, &h->letting_delay, h->letting_factor[a]) * h->letting_multiplier[a];
    h->dw[d].letting_position = (uint32_t)rng_stream_tell(r);
    if (sim_schedule(run, now + delay, EVENT_RELET, d, h->dw[d].phase_tag) != 0) return -1;
    return housing_start_repairs(h, run);
}

/* The void ends: a new tenancy starts now. */
static int occupy(housing *h, sim_run *run, uint32_t d)
{
    double now = sim_now(run);
    uint32_t a = h->dw[d].area;
    recorder *rec = sim_recorder(run);
    double days_void = now - h->dw[d].void_start;
    recorder_add(rec, metric(h, HOUSING_RELETS), a, 1);
    recorder_event(rec, metric(h, HOUSING_RELET_DAYS_MEAN), a, days_void);
    recorder_event(rec, metric(h, HOUSING_RELET_DAYS_MEDIAN), a, days_void);

    h->voids[a]--;
    if (h->dw[d].flags & FLAG_SECURED) {
        h->secured[a]--;
        housing_iv_unsecure(h, d);
    }
    if (h->dw[d].flags & FLAG_LONG) {
        if (h->dw[d].flags & FLAG_SECURED)
            h->long_secured[a]--;
        else
            h->long_unsecured[a]--;
        update_blight(h, run, a);
    }
    h->dw[d].flags = 0;
    h->dw[d].state = OCCUPIED;
    h->dw[d].phase_tag++;  /* a pending re-let lapses */
    h->dw[d].damage_tag++; /* an occupied home is not a void: its pending damage lapses */
    return schedule_tenancy_end(h, run, d);
}

static int on_relet(housing *h, sim_run *run, uint32_t d)
{
    ready_remove(h, run, d, 0);
    return occupy(h, run, d);
}

/* A prison leaver takes a ready let in area `a` (MODELS.md § 3); the sender
 * has already counted it off shared_state.ready_lets. */
static int on_let_to_offender(housing *h, sim_run *run, const sim_event *ev)
{
    uint32_t a = ev->tag;
    if (a >= h->n_areas) return sim_fail(run, "housing: let requested in unknown area %u", a);
    if (h->ready_count[a] == 0) {
        /* Only when another change took the last ready home at the very same
         * instant; the count the sender read is restored. */
        shared_of(run)->ready_lets[a]++;
        return sim_send(run, h->reoffending_model, sim_now(run), MESSAGE_REOFFENDING_LET_REFUSED,
                        ev->agent, 0, ev->spare);
    }
    uint32_t d = h->ready_list[h->first_dwelling[a]];
    ready_remove(h, run, d, 1);
    h->dw[d].tenant_slot = ev->agent + 1;
    h->tenant_serial[d] = ev->spare;
    recorder_add(sim_recorder(run), metric(h, HOUSING_RELETS_TO_LEAVERS), a, 1);
    return occupy(h, run, d);
}

static int on_becomes_long(housing *h, sim_run *run, uint32_t d)
{
    uint32_t a = h->dw[d].area;
    h->dw[d].flags |= FLAG_LONG;
    if (h->dw[d].flags & FLAG_SECURED)
        h->long_secured[a]++;
    else
        h->long_unsecured[a]++;
    update_blight(h, run, a);
    return 0;
}

int housing_secure(housing *h, sim_run *run, uint32_t d, uint16_t by)
{
    if (h->dw[d].flags & FLAG_SECURED) return 0;
    uint32_t a = h->dw[d].area;
    h->dw[d].flags |= FLAG_SECURED;
    h->secured[a]++;
    h->secured_by[d] = by;
    if (by != BY_BASELINE) {
        h->iv_secured[by - 1]++;
        h->secured_iv[a]++;
    }
    if (h->dw[d].flags & FLAG_LONG) {
        h->long_unsecured[a]--;
        h->long_secured[a]++;
        update_blight(h, run, a);
    }
    /* The hazard changed: redraw the next incident from now (exact for a
     * Poisson process). */
    h->dw[d].damage_tag++;
    return schedule_damage(h, run, d);
}

static int on_damage(housing *h, sim_run *run, uint32_t d)
{
    uint32_t a = h->dw[d].area;
    recorder_add(sim_recorder(run), metric(h, HOUSING_DAMAGE_INCIDENTS), a, 1);
    shared_of(run)->damage_today[a]++; /* a criminal damage crime, for the crime model */
    gsl_rng *r =
        sim_stream_at(run, STREAM_DAMAGE, d, h->dw[d].void_number, h->dw[d].damage_position);
    double added = draw_duration(r, &h->damage_work, 1.0);
    h->dw[d].damage_position = (uint32_t)rng_stream_tell(r);

    switch ((enum dwelling_state)h->dw[d].state) {
    case AWAITING_REPAIR: h->dw[d].work_team_days += added; break;
    case IN_REPAIR:
        h->dw[d].work_team_days += added;
        h->dw[d].repair_end += added;
        h->dw[d].phase_tag++;
        if (sim_schedule(run, h->dw[d].repair_end, EVENT_REPAIR_DONE, d, h->dw[d].phase_tag) != 0) {
            return -1;
        }
        break;
    case READY_TO_LET:
        /* Back to the repair queue; the pending re-let is cancelled. */
        ready_remove(h, run, d, 0);
        h->dw[d].phase_tag++;
        h->dw[d].work_team_days = added;
        if (enqueue_repair(h, run, d) != 0 || housing_start_repairs(h, run) != 0) return -1;
        break;
    case OCCUPIED: return sim_fail(run, "housing: damage incident in occupied dwelling %u", d);
    }
    return schedule_damage(h, run, d);
}

static void housing_prefetch(const void *state, const sim_event *ev)
{
    const housing *h = state;
    if (ev->agent < h->n_dwellings) __builtin_prefetch(&h->dw[ev->agent]);
}

static int housing_handle(void *state, sim_run *run, const sim_event *ev)
{
    housing *h = state;
    uint32_t d = ev->agent;
    /* Superseded events: a tag that no longer matches was cancelled by a
     * later change of the same dwelling. */
    if (ev->kind == MESSAGE_HOUSING_LET_TO_OFFENDER) return on_let_to_offender(h, run, ev);
    switch ((enum housing_event)ev->kind) {
    case EVENT_TENANCY_END: return on_tenancy_end(h, run, d);
    case EVENT_REPAIR_DONE:
        if (ev->tag != h->dw[d].phase_tag || h->dw[d].state != IN_REPAIR) return 0;
        return on_repair_done(h, run, d);
    case EVENT_RELET:
        if (ev->tag != h->dw[d].phase_tag || h->dw[d].state != READY_TO_LET) return 0;
        return on_relet(h, run, d);
    case EVENT_BECOMES_LONG:
        if (ev->tag != h->dw[d].void_number || h->dw[d].state == OCCUPIED) return 0;
        return on_becomes_long(h, run, d);
    case EVENT_SECURE:
        if (ev->tag != h->dw[d].void_number || h->dw[d].state == OCCUPIED) return 0;
        return housing_secure(h, run, d, BY_BASELINE);
    case EVENT_SECURE_INTERVENTION:
        if (ev->tag != h->dw[d].void_number || h->dw[d].state == OCCUPIED ||
            (h->dw[d].flags & FLAG_SECURED)) {
            return 0;
        }
        return housing_iv_on_secure(h, run, d);
    case EVENT_DAMAGE:
        if (ev->tag != h->dw[d].damage_tag || h->dw[d].state == OCCUPIED) return 0;
        return on_damage(h, run, d);
    }
    return sim_fail(run, "housing: unknown event kind %u", ev->kind);
}

/* ---- the day ---- */

static int housing_end_day(void *state, sim_run *run)
{
    housing *h = state;
    recorder *rec = sim_recorder(run);
    recorder_level(rec, metric(h, HOUSING_REPAIR_TEAMS_BUSY), 0,
                   (double)(h->teams - h->teams_free));
    for (uint32_t a = 0; a < h->n_areas; a++) {
        recorder_level(rec, metric(h, HOUSING_VOIDS), a, (double)h->voids[a]);
        recorder_level(rec, metric(h, HOUSING_VOIDS_LONG), a,
                       (double)(h->long_unsecured[a] + h->long_secured[a]));
        recorder_level(rec, metric(h, HOUSING_REPAIR_QUEUE), a, (double)h->queued[a]);
        recorder_ratio(rec, metric(h, HOUSING_BLIGHT_INDEX), a,
                       (double)h->long_unsecured[a] +
                           h->secured_blight_weight * (double)h->long_secured[a],
                       h->area_dwellings[a]);
        recorder_add(rec, metric(h, HOUSING_VOID_DAYS), a, (double)h->voids[a]);
        /* Rounded to the penny once, so that the series and the ledger's
         * demand postings take the same pence. */
        double lost_rent = money_round_pence((double)h->voids[a] * h->rent_per_day) / 100.0;
        /* Voids secured by an intervention are paid for by it, not as demand. */
        double security = money_round_pence((double)(h->secured[a] - h->secured_iv[a]) *
                                            h->security_cost_per_day) /
                          100.0;
        recorder_add(rec, metric(h, HOUSING_LOST_RENT), a, lost_rent);
        recorder_add(rec, metric(h, HOUSING_SECURITY_COST), a, security);
        sim_charge_demand(run, BEARER_HOUSING, "lost_rent", lost_rent);
        sim_charge_demand(run, BEARER_HOUSING, "void_security", security);
    }
    housing_iv_end_day(h, run);
    return 0;
}

static int housing_begin_day(void *state, sim_run *run) { return housing_iv_begin_day(state, run); }

/* ---- life cycle ---- */

static void housing_destroy(void *state)
{
    housing *h = state;
    if (!h) return;
    free(h->dw);
    free(h->ready_position);
    free(h->ready_list);
    free(h->tenant_serial);
    free(h->first_dwelling);
    free(h->ready_count);
    free(h->area_dwellings);
    free(h->letting_factor);
    free(h->target_area);
    free(h->voids);
    free(h->long_unsecured);
    free(h->long_secured);
    free(h->secured);
    free(h->queued);
    free(h->secured_by);
    free(h->secured_iv);
    repair_queues_free(&h->queue);
    housing_iv_free(h);
    free(h);
}

static int allocate(housing *h)
{
    size_t n = h->n_dwellings ? h->n_dwellings : 1;
    size_t m = h->n_areas ? h->n_areas : 1;
    /* Line-aligned so that each dwelling is one line, not two halves. */
    h->dw = aligned_alloc(64, n * sizeof *h->dw);
    alloc_advise_huge(h->dw, n * sizeof *h->dw);
    if (h->dw) memset(h->dw, 0, n * sizeof *h->dw);
    h->ready_position = calloc(n, sizeof *h->ready_position);
    h->ready_list = calloc(n, sizeof *h->ready_list);
    h->tenant_serial = calloc(n, sizeof *h->tenant_serial);
    h->first_dwelling = calloc(m, sizeof *h->first_dwelling);
    h->ready_count = calloc(m, sizeof *h->ready_count);
    h->area_dwellings = calloc(m, sizeof *h->area_dwellings);
    h->letting_factor = calloc(m, sizeof *h->letting_factor);
    h->target_area = calloc(m, sizeof *h->target_area);
    h->voids = calloc(m, sizeof *h->voids);
    h->long_unsecured = calloc(m, sizeof *h->long_unsecured);
    h->long_secured = calloc(m, sizeof *h->long_secured);
    h->secured = calloc(m, sizeof *h->secured);
    h->queued = calloc(m, sizeof *h->queued);
    h->secured_by = calloc(n, sizeof *h->secured_by);
    h->secured_iv = calloc(m, sizeof *h->secured_iv);
    if (repair_queues_init(&h->queue, h->n_areas) != 0 || housing_iv_allocate(h) != 0) return -1;
    return (h->dw && h->ready_position && h->ready_list && h->tenant_serial && h->first_dwelling &&
            h->ready_count && h->area_dwellings && h->letting_factor && h->target_area &&
            h->voids && h->long_unsecured && h->long_secured && h->secured && h->queued &&
            h->secured_by && h->secured_iv)
               ? 0
               : -1;
}

static int housing_check(const scenario *s, const place *p, char *err, size_t errlen)
{
    const scn_node *targets = scenario_find(s, "housing.target_areas");
    for (size_t i = 0; targets && i < targets->n_children; i++) {
        const char *name = targets->children[i]->string_value;
        if (place_area_index(p, name) < 0) {
            snprintf(err, errlen, "%s:%d: housing.target_areas: \"%s\" is not an area",
                     targets->file, targets->line, name);
            return -1;
        }
    }
    return 0;
}

static int housing_create(sim_run *run, void **out)
{
    const place *p = sim_place(run);
    const scenario *s = sim_scenario(run);
    housing *h = calloc(1, sizeof *h);
    if (!h) return sim_fail(run, "out of memory");
    *out = h;
    read_params(h, s);
    h->rent_per_day = sim_unit_cost(run, "rent_lost_per_void_week") / 7.0;
    h->repair_cost_per_team_day = sim_unit_cost(run, "repair_per_team_day");
    h->security_cost_per_day = sim_unit_cost(run, "security_per_void_week") / 7.0;
    if (isnan(h->rent_per_day + h->repair_cost_per_team_day + h->security_cost_per_day)) return -1;
    h->metric_base = sim_metric_base(run);
    h->n_areas = p->n_areas;
    h->n_dwellings = (size_t)p->social_dwellings;
    if (h->n_dwellings > UINT32_MAX) return sim_fail(run, "housing: too many social dwellings");
    if (allocate(h) != 0) return sim_fail(run, "out of memory for %zu dwellings", h->n_dwellings);

    for (size_t a = 0; a < p->n_areas; a++) {
        h->area_dwellings[a] = (double)p->areas[a].dwellings;
        h->letting_factor[a] = 1.0 + h->letting_deprivation_factor * p->areas[a].deprivation;
    }
    const scn_node *targets = scenario_find(s, "housing.target_areas");
    for (size_t i = 0; targets && i < targets->n_children; i++) {
        long a = place_area_index(p, targets->children[i]->string_value);
        if (a >= 0) h->target_area[a] = 1;
    }

    /* Every dwelling starts occupied; tenancy lengths are exponential, hence
     * memoryless, so the warm-up only has to fill the void pipeline. */
    h->reoffending_model = sim_model_index(run, "reoffending");
    uint32_t d = 0;
    for (size_t a = 0; a < p->n_areas; a++) {
        h->first_dwelling[a] = d;
        for (int64_t i = 0; i < p->areas[a].social_dwellings; i++, d++) {
            h->dw[d].area = (uint32_t)a;
            if (schedule_tenancy_end(h, run, d) != 0) return -1;
        }
    }
    return 0;
}

/* ---- memory (model_def.memory) ---- */

/* Mean of a duration as draw_duration makes it (every kind keeps the
 * lognormal's mean). */
static double duration_mean(const scenario *s, const char *median_key, const char *sigma_key)
{
    double sigma = scenario_float(s, sigma_key);
    return scenario_float(s, median_key) * exp(0.5 * sigma * sigma);
}

/* Repair teams of the scenario's repair_teams interventions, as if they all
 * worked all the time. */
static double intervention_teams(const scenario *s, double *void_security)
{
    const scn_node *list = scenario_find(s, "interventions");
    double teams = 0;
    *void_security = 0;
    for (size_t i = 0; list && i < list->n_children; i++) {
        const char *type = scn_member_string(list->children[i], "type");
        if (strcmp(type, "repair_teams") == 0) {
            teams += floor(scn_member_float(list->children[i], "capacity"));
        } else if (strcmp(type, "void_security") == 0) {
            *void_security += 1;
        }
    }
    return teams;
}

/* Every dwelling's fields are allocated (and touched over a run: a page
 * holds hundreds of dwellings). Voids arrive at turnover x dwellings a year
 * and leave at most as fast as the teams repair them: a void pipeline of a
 * few weeks' arrivals, plus, when the teams cannot keep up, a queue that
 * grows by the difference every day. Each dwelling has one pending event
 * (its tenancy's end, or a waiting void's next damage); a fresh void has a
 * few more (becoming long, securing, damage, repair end or re-let), and
 * those of a re-let void lapse within weeks. Relets (and repair starts) are
 * recorded as event values: three metrics, one of them a median. */
static void housing_memory(const scenario *s, const place *p, model_memory *out)
{
    const housing *h = NULL; /* for the sizes of its fields only */
    double per_dwelling =
        (double)(sizeof *h->dw + sizeof *h->ready_position + sizeof *h->ready_list +
                 sizeof *h->tenant_serial + sizeof *h->secured_by);
    double per_area =
        (double)(sizeof *h->area_dwellings + sizeof *h->letting_factor + sizeof *h->target_area +
                 sizeof *h->first_dwelling + sizeof *h->ready_count + sizeof *h->voids +
                 sizeof *h->long_unsecured + sizeof *h->long_secured + sizeof *h->secured +
                 sizeof *h->queued + sizeof *h->secured_iv + sizeof *h->letting_multiplier +
                 sizeof *h->secure_age + sizeof *h->secure_by + sizeof(repair_queue) +
                 4 * sizeof(repair_queue_head)); /* its winner tree: up to 4 nodes an area */

    double dwellings = (double)p->social_dwellings;
    double years = (double)scenario_int(s, "warmup_years") + (double)scenario_int(s, "years");
    double days = years * 365.25;
    double written_days = (double)scenario_int(s, "years") * 365.25;
    double arrivals = dwellings * scenario_float(s, "housing.turnover") / 365.25; /* a day */
    double void_security;
    double teams =
        (double)scenario_int(s, "housing.repair_teams") + intervention_teams(s, &void_security);
    double major = scenario_float(s, "housing.repair_work.major_share");
    double work =
        duration_mean(s, "housing.repair_work.median_team_days", "housing.repair_work.sigma") *
        (1.0 + major * (scenario_float(s, "housing.repair_work.major_multiplier") - 1.0));
    double repairs = work > 0 ? teams / work : INFINITY; /* a day, at most */
    double served = fmin(arrivals, repairs);

    /* Waiting voids: a queue of a few weeks' arrivals at worst when the
     * teams keep up, plus the backlog when they do not. */
    double backlog = fmax(0.0, arrivals - repairs) * days;
    double queued = fmin(dwellings, backlog + 60.0 * arrivals);

    double fresh_events =
        3.0 + (scenario_bool(s, "housing.securing.enabled") ? 1.0 : 0.0) + void_security;
    double fresh_days = fmax(scenario_float(s, "housing.blight_after_days"),
                             scenario_float(s, "housing.securing.after_days")) +
                        30.0;

    out->state_bytes = (double)sizeof(housing) + dwellings * per_dwelling +
                       (double)p->n_areas * per_area +
                       1.25 * queued * (double)sizeof(repair_queue_entry) + void_security * 64;
    out->pending_events = dwellings + fresh_events * arrivals * fresh_days;
    out->median_values = 1.1 * served * written_days + 64;
    out->event_values = 3.0 * out->median_values;
}

static const char *const housing_summary[] = { "relet_days_median", "relet_days_mean", "voids",
                                               "blight_index", "repair_teams_busy" };

/* What an evaluator of a voids programme looks at first (MODELS.md § 1). */
static const char *const housing_headline[] = { "void_days",         "voids_long",
                                                "relet_days_median", "blight_index",
                                                "damage_incidents",  "lost_rent" };
static const char *const housing_outcome_void_days[] = { "void_days" };
static const comparison_outcome housing_outcomes[] = {
    { "void-days", "dwelling-days", housing_outcome_void_days, 1 },
};

/* From the cost library, rebased to the scenario's price year. */
static const intervention_type *const housing_intervention_types[] = {
    &housing_repair_teams,
    &housing_void_security,
    &housing_fast_letting,
};

static const char *const housing_unit_costs[] = { "rent_lost_per_void_week", "repair_per_team_day",
                                                  "security_per_void_week" };

const model_def housing_model = {
    .name = "housing",
    .stream_id = 0,
    .doc = "Social-housing voids: tenancies end, voids queue for repair teams, are let "
           "after a delay, suffer damage while empty, and long voids blight their area "
           "(MODELS.md section 1).",
    .params = &housing_param_table,
    .metrics = &housing_metric_table,
    .check = housing_check,
    .create = housing_create,
    .destroy = housing_destroy,
    .handle = housing_handle,
    .prefetch = housing_prefetch,
    .begin_day = housing_begin_day,
    .end_day = housing_end_day,
    .summary_metrics = housing_summary,
    .n_summary_metrics = sizeof housing_summary / sizeof housing_summary[0],
    .headline_metrics = housing_headline,
    .n_headline_metrics = sizeof housing_headline / sizeof housing_headline[0],
    .outcomes = housing_outcomes,
    .n_outcomes = sizeof housing_outcomes / sizeof housing_outcomes[0],
    .unit_costs = housing_unit_costs,
    .n_unit_costs = sizeof housing_unit_costs / sizeof housing_unit_costs[0],
    .intervention_types = housing_intervention_types,
    .n_intervention_types =
        sizeof housing_intervention_types / sizeof housing_intervention_types[0],
    .memory = housing_memory,
};
