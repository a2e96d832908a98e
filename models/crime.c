/* crime.c — the street-crime model (MODELS.md § 2).
 *
 * Crime is counted, not simulated person by person: every day, for each
 * area, a Poisson number of background crimes is attempted, each of a type
 * chosen in proportion to the types' means, and thinned by patrols; in the
 * evening the void damage reported by housing and the offences of tracked
 * offenders reported by re-offending join them. (A Poisson total split
 * multinomially is the same law as independent Poisson counts per type.)
 * The draws sit at fixed places in streams keyed by (area, day), so a
 * scenario that changes nothing about an area's crime leaves its draws as
 * they were (common random numbers). A day costs O(areas + crimes). */
#include "crime.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "draw.h"

/* Stream purposes; ordinal = the day index, so each day's draws start afresh
 * whatever happened before.
 *
 * Background crime (agent = area): STREAM_BACKGROUND holds the uniforms of
 * the day's attempted total, an output for each inversion (one inversion up
 * to a mean of DRAW_POISSON_INVERSION_MAX); STREAM_BACKGROUND_CRIME's
 * block j holds the j-th attempted crime's four: its type, whether patrols
 * prevent it, whether it is detected, whether its offender becomes tracked.
 * Each step reads its own output, so a change to one step (patrols thinning
 * more) leaves the draws of the others where they were: the attempted crimes
 * of a patrol scenario are those of its baseline, and each crime's detection
 * draw is the same whether or not another crime was prevented.
 *
 * Void damage (agent = area × 256 + type) is thinned by binomials. */
enum crime_stream {
    STREAM_BACKGROUND,
    STREAM_DAMAGE,
    STREAM_BACKGROUND_CRIME,
    STREAM_RETIRED_3, /* background detection before the per-crime layout */
    STREAM_RETIRED_4, /* background new offenders before it */
    STREAM_DAMAGE_NEW_OFFENDER
};
enum { STREAM_AREA_STRIDE = 256 };

/* The warm-up's last year, over which tracked offences and void damage are
 * measured to set the background rates. */
enum { DAYS_MEASURED = 365 };

typedef struct crime {
    /* parameters, per type */
    double rate[CRIME_TYPES]; /* recorded crimes per 1,000 residents a year */
    double beta[CRIME_TYPES];
    double detect[CRIME_TYPES];
    double cost_police[CRIME_TYPES]; /* at the scenario's price year */
    double cost_health[CRIME_TYPES];
    double cost_victims[CRIME_TYPES];
    double gradient, effect, diffusion, displacement, uplift, p_new_offender;

    /* areas; per-type arrays are [a * CRIME_TYPES + k] as in shared_state */
    size_t n_areas;
    double *baseline_intensity;  /* from crime.patrols */
    double *neighbour_intensity; /* ī_a today */
    double *target;              /* r_k × pop_a / 1000 × D_a, a year */
    double *base;                /* background crimes a year at b = 0, P = 1 */
    int64_t *measured_tracked;   /* tracked attempts over the measured year */
    int64_t *measured_damage;    /* [a] void damage over the measured year */

    /* today's tallies, recorded and zeroed at the end of the day */
    int64_t *committed, *detected, *prevented;
    int64_t *new_offenders; /* [a] */

    int64_t start_day;    /* first written day, as a day index */
    int64_t measure_from; /* first measured day; < 0: none */
    int metric_base;
} crime;

/* ---- pure pieces ---- */

double crime_keep_probability(double effect, double diffusion, double intensity,
                              double neighbour_intensity)
{
    double keep = 1.0 - effect * intensity - diffusion * effect * neighbour_intensity;
    return keep > 0.0 ? keep : 0.0;
}

/* Binomial thinning of n with probability p on stream (purpose, agent,
 * day). It draws, and seeks the stream, only when the answer is uncertain:
 * most area-type-days have nothing to thin, a seek costs a Philox block, and
 * GSL's binomial is not defined at p = 0 or 1 in every version. */
static unsigned thin_from(sim_run *run, uint16_t purpose, uint32_t agent, uint32_t day, double p,
                          unsigned n)
{
    if (n == 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    return gsl_ran_binomial(sim_stream(run, purpose, agent, day), p, n);
}

/* ---- parameters ---- */

static double type_param(const scenario *s, const char *group, int k)
{
    char path[96];
    snprintf(path, sizeof path, "crime.%s.%s", group, crime_type_names[k]);
    return scenario_float(s, path);
}

static void read_params(crime *c, const scenario *s)
{
    for (int k = 0; k < CRIME_TYPES; k++) {
        c->rate[k] = type_param(s, "rate_per_1000", k);
        c->beta[k] = type_param(s, "blight_elasticity", k);
        c->detect[k] = type_param(s, "detect", k);
    }
    c->gradient = scenario_float(s, "crime.deprivation_gradient");
    c->effect = scenario_float(s, "crime.patrol_effect");
    c->diffusion = scenario_float(s, "crime.diffusion");
    c->displacement = scenario_float(s, "crime.displacement");
    c->uplift = scenario_float(s, "crime.detection_uplift");
    c->p_new_offender = scenario_float(s, "crime.p_new_offender");
}

/* Each crime's cost by bearer at the scenario's price year: police's from
 * the library, health's a share of the total, victims' the rest. The police
 * and total costs come from different sources and price years, so a library
 * can make them inconsistent: a negative victims' share fails the run. */
static int read_costs(crime *c, sim_run *run)
{
    const scenario *s = sim_scenario(run);
    for (int k = 0; k < CRIME_TYPES; k++) {
        char total_name[64], police_name[64];
        snprintf(total_name, sizeof total_name, "crime_total_%s", crime_type_names[k]);
        snprintf(police_name, sizeof police_name, "crime_police_%s", crime_type_names[k]);
        double total = sim_unit_cost(run, total_name);
        c->cost_police[k] = sim_unit_cost(run, police_name);
        if (isnan(total) || isnan(c->cost_police[k])) return -1;
        c->cost_health[k] = type_param(s, "costs.health_share", k) * total;
        c->cost_victims[k] = total - c->cost_police[k] - c->cost_health[k];
        if (c->cost_victims[k] < 0) {
            return sim_fail(run,
                            "%s: costs: %s (%.2f) and crime.costs.health_share.%s of %s "
                            "(%.2f) exceed %s (%.2f) at %s prices, leaving victims a negative "
                            "share",
                            sim_cost_library_path(run), police_name, c->cost_police[k],
                            crime_type_names[k], total_name, c->cost_health[k], total_name, total,
                            scenario_string(s, "price_year"));
        }
    }
    return 0;
}

/* The first patrol entry that names no area, or NULL. */
static const scn_node *unknown_patrol_area(const scenario *s, const place *p)
{
    const scn_node *list = scenario_find(s, "crime.patrols");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *name = scn_member(list->children[i], "name");
        if (place_area_index(p, name->string_value) < 0) return name;
    }
    return NULL;
}

static int crime_check(const scenario *s, const place *p, char *err, size_t errlen)
{
    const scn_node *bad = unknown_patrol_area(s, p);
    if (bad) {
        snprintf(err, errlen, "%s:%d: crime.patrols.%s: \"%s\" is not an area", bad->file,
                 bad->line, bad->string_value, bad->string_value);
        return -1;
    }
    (void)errlen;
    return 0;
}

/* ---- the patrol fields of the place state ---- */

/* The active hotspot_patrols interventions (MODELS.md § 4), as published
 * the evening before, add their intensity in the areas they cover, capped
 * at a full dose. Areas no active patrol covers keep their baseline value
 * exactly, so a run without interventions is unchanged bit for bit. */
static void add_patrol_interventions(const crime *c, shared_state *st)
{
    const intervention_view *v = st->interventions;
    size_t n = v ? st->n_interventions : 0;
    for (size_t k = 0; k < n; k++) {
        if (v[k].type != &crime_hotspot_patrols || !v[k].active) continue;
        double intensity = ((const crime_hotspot_patrols_params *)v[k].params)->intensity;
        for (size_t a = 0; a < c->n_areas; a++) {
            if (!v[k].in_area || v[k].in_area[a]) st->patrol_intensity[a] += intensity;
        }
    }
    for (size_t a = 0; n > 0 && a < c->n_areas; a++) {
        if (st->patrol_intensity[a] > 1.0) st->patrol_intensity[a] = 1.0;
    }
}

/* Writes patrol_intensity, crime_keep, detect_probability and
 * crime_attraction for today, from the baseline patrols, the patrol
 * interventions and the blight as it stands at the start of the day. */
static void update_patrol_state(crime *c, sim_run *run)
{
    shared_state *st = shared_of(run);
    const place *p = sim_place(run);
    for (size_t a = 0; a < c->n_areas; a++) st->patrol_intensity[a] = c->baseline_intensity[a];
    add_patrol_interventions(c, st);
    for (size_t a = 0; a < c->n_areas; a++) {
        const area *ar = &p->areas[a];
        double sum = 0;
        for (size_t j = 0; j < ar->n_neighbours; j++)
            sum += st->patrol_intensity[ar->neighbours[j]];
        double ibar = ar->n_neighbours ? sum / (double)ar->n_neighbours : 0.0;
        double i = st->patrol_intensity[a];
        double keep = crime_keep_probability(c->effect, c->diffusion, i, ibar);
        c->neighbour_intensity[a] = ibar;
        st->crime_keep[a] = keep;
        for (int k = 0; k < CRIME_TYPES; k++) {
            size_t ak = a * CRIME_TYPES + (size_t)k;
            double detect = c->detect[k] * (1.0 + c->uplift * i);
            st->detect_probability[ak] = detect < 1.0 ? detect : 1.0;
            st->crime_attraction[ak] = (1.0 + c->beta[k] * st->blight_index[a]) * keep;
        }
    }
}

/* ---- the day ---- */

/* Background crime: attempts at the un-thinned mean, thinned by patrols, so
 * that prevented = attempted − committed is measured; then detection and
 * the rare offender who becomes tracked. */
static void draw_background(crime *c, sim_run *run)
{
    shared_state *st = shared_of(run);
    uint32_t day = (uint32_t)sim_today(run);
    for (size_t a = 0; a < c->n_areas; a++) {
        double displaced = 1.0 + c->displacement * c->effect * c->neighbour_intensity[a];
        double mean[CRIME_TYPES];
        double total = 0.0;
        for (int k = 0; k < CRIME_TYPES; k++) {
            size_t ak = a * CRIME_TYPES + (size_t)k;
            double m = c->base[ak] / 365.25 * (1.0 + c->beta[k] * st->blight_index[a]) * displaced;
            mean[k] = m > 0.0 ? m : 0.0;
            total += mean[k];
        }
        if (!(total > 0.0)) continue;
        uint32_t area = (uint32_t)a;
        unsigned parts = draw_poisson_parts(total);
        unsigned attempted = 0;
        uint32_t out[4];
        for (unsigned i = 0; i < parts; i++) {
            if (i % 4 == 0) sim_draw_block(run, STREAM_BACKGROUND, area, day, i / 4, out);
            attempted += draw_poisson_inversion(total / parts, rng_open_unit_from_u32(out[i % 4]));
        }
        for (unsigned j = 0; j < attempted; j++) {
            sim_draw_block(run, STREAM_BACKGROUND_CRIME, area, day, j, out);
            unsigned k = draw_category(mean, CRIME_TYPES, total, rng_open_unit_from_u32(out[0]));
            size_t ak = a * CRIME_TYPES + k;
            if (rng_open_unit_from_u32(out[1]) >= st->crime_keep[a]) {
                c->prevented[ak]++;
                continue;
            }
            c->committed[ak]++;
            if (rng_open_unit_from_u32(out[2]) >= st->detect_probability[ak]) continue;
            c->detected[ak]++;
            if (rng_open_unit_from_u32(out[3]) < c->p_new_offender) c->new_offenders[a]++;
        }
    }
}

static int measuring(const crime *c, int64_t today)
{
    return c->measure_from >= 0 && today >= c->measure_from && today < c->start_day;
}

/* Housing's damage incidents: background criminal damage that patrols do not
 * thin (MODELS.md § 1), detected like any other. */
static int tally_damage(crime *c, sim_run *run)
{
    shared_state *st = shared_of(run);
    int64_t today = sim_today(run);
    for (size_t a = 0; a < c->n_areas; a++) {
        int64_t n = st->damage_today[a];
        if (n == 0) continue;
        if (n < 0 || n > UINT_MAX) {
            return sim_fail(run, "crime: %lld damage incidents in area %zu in a day", (long long)n,
                            a);
        }
        size_t ak = a * CRIME_TYPES + CRIME_CRIMINAL_DAMAGE;
        uint32_t agent = (uint32_t)(a * STREAM_AREA_STRIDE + CRIME_CRIMINAL_DAMAGE);
        unsigned detected = thin_from(run, STREAM_DAMAGE, agent, (uint32_t)today,
                                      st->detect_probability[ak], (unsigned)n);
        c->committed[ak] += n;
        c->detected[ak] += detected;
        c->new_offenders[a] += thin_from(run, STREAM_DAMAGE_NEW_OFFENDER, agent, (uint32_t)today,
                                         c->p_new_offender, detected);
        if (measuring(c, today)) c->measured_damage[a] += n;
        st->damage_today[a] = 0;
    }
    return 0;
}

/* Tracked offenders' offences: re-offending has already applied prevention
 * and detection (with crime_keep and detect_probability). */
static int tally_tracked(crime *c, sim_run *run)
{
    shared_state *st = shared_of(run);
    int64_t today = sim_today(run);
    size_t n = c->n_areas * CRIME_TYPES;
    for (size_t ak = 0; ak < n; ak++) {
        int64_t attempted = st->tracked_attempted[ak];
        int64_t prevented = st->tracked_prevented[ak];
        int64_t detected = st->tracked_detected[ak];
        if (attempted == 0 && prevented == 0 && detected == 0) continue;
        if (prevented < 0 || detected < 0 || prevented > attempted ||
            detected > attempted - prevented) {
            return sim_fail(run,
                            "crime: tracked offences in area %zu, %s: %lld attempted, %lld "
                            "prevented, %lld detected do not add up",
                            ak / CRIME_TYPES, crime_type_names[ak % CRIME_TYPES],
                            (long long)attempted, (long long)prevented, (long long)detected);
        }
        c->committed[ak] += attempted - prevented;
        c->prevented[ak] += prevented;
        c->detected[ak] += detected;
        if (measuring(c, today)) c->measured_tracked[ak] += attempted;
        st->tracked_attempted[ak] = 0;
        st->tracked_prevented[ak] = 0;
        st->tracked_detected[ak] = 0;
    }
    return 0;
}

/* Metrics, costs by bearer, and the offenders who become tracked; then the
 * tallies start again. */
static void record_day(crime *c, sim_run *run)
{
    recorder *rec = sim_recorder(run);
    shared_state *st = shared_of(run);
    const place *p = sim_place(run);
    int64_t committed_by_type[CRIME_TYPES] = { 0 };
    for (size_t a = 0; a < c->n_areas; a++) {
        for (int k = 0; k < CRIME_TYPES; k++) {
            size_t ak = a * CRIME_TYPES + (size_t)k;
            if (c->committed[ak]) {
                recorder_add(rec, c->metric_base + CRIME_METRIC_CRIMES + k, a,
                             (double)c->committed[ak]);
            }
            if (c->detected[ak]) {
                recorder_add(rec, c->metric_base + CRIME_METRIC_DETECTED + k, a,
                             (double)c->detected[ak]);
            }
            if (c->prevented[ak]) {
                recorder_add(rec, c->metric_base + CRIME_METRIC_PREVENTED + k, a,
                             (double)c->prevented[ak]);
            }
            committed_by_type[k] += c->committed[ak];
            c->committed[ak] = c->detected[ak] = c->prevented[ak] = 0;
        }
        recorder_level(rec, c->metric_base + CRIME_METRIC_RESIDENTS, a,
                       (double)p->areas[a].population);
        st->new_offenders_pending[a] += c->new_offenders[a];
        c->new_offenders[a] = 0;
    }
    for (int k = 0; k < CRIME_TYPES; k++) {
        double n = (double)committed_by_type[k];
        if (n == 0) continue;
        const char *item = crime_type_names[k];
        sim_charge_demand(run, BEARER_POLICE, item, n * c->cost_police[k]);
        if (c->cost_health[k] > 0)
            sim_charge_demand(run, BEARER_HEALTH, item, n * c->cost_health[k]);
        sim_charge_demand(run, BEARER_VICTIMS, item, n * c->cost_victims[k]);
    }
}

static int crime_begin_day(void *state, sim_run *run)
{
    crime *c = state;
    update_patrol_state(c, run);
    draw_background(c, run);
    return 0;
}

/* Runs after every event of the day: housing's damage and re-offending's
 * tracked offences are complete. */
static int crime_end_day(void *state, sim_run *run)
{
    crime *c = state;
    if (tally_damage(c, run) != 0) return -1;
    if (tally_tracked(c, run) != 0) return -1;
    record_day(c, run);
    return 0;
}

/* Sets the background so that, at b = 0 and P = 1, background + tracked
 * offences + void damage (as measured over the warm-up's last year) equal
 * the configured rate. */
static int crime_end_warmup(void *state, sim_run *run)
{
    crime *c = state;
    const place *p = sim_place(run);
    if (c->measure_from < 0) {
        sim_warn(run, "crime: the warm-up is shorter than a year, so tracked offenders' offences "
                      "and void damage were not measured: background crime runs at the full "
                      "configured rates and recorded crime exceeds them by those crimes");
        return 0;
    }
    double per_year = 365.25 / DAYS_MEASURED;
    for (size_t a = 0; a < c->n_areas; a++) {
        for (int k = 0; k < CRIME_TYPES; k++) {
            size_t ak = a * CRIME_TYPES + (size_t)k;
            double tracked = (double)c->measured_tracked[ak] * per_year;
            double damage =
                k == CRIME_CRIMINAL_DAMAGE ? (double)c->measured_damage[a] * per_year : 0;
            double background = c->target[ak] - tracked - damage;
            if (background < 0) {
                sim_warn(run,
                         "crime: in %s, tracked offenders (%.1f a year) and void damage "
                         "(%.1f a year) alone exceed the %s rate (%.1f a year): its "
                         "background is 0",
                         p->areas[a].name, tracked, damage, crime_type_names[k], c->target[ak]);
                background = 0;
            }
            c->base[ak] = background;
        }
    }
    return 0;
}

/* ---- life cycle ---- */

static void crime_destroy(void *state)
{
    crime *c = state;
    if (!c) return;
    free(c->baseline_intensity);
    free(c->neighbour_intensity);
    free(c->target);
    free(c->base);
    free(c->measured_tracked);
    free(c->measured_damage);
    free(c->committed);
    free(c->detected);
    free(c->prevented);
    free(c->new_offenders);
    free(c);
}

static int allocate(crime *c)
{
    size_t n = c->n_areas ? c->n_areas : 1;
    size_t nk = n * CRIME_TYPES;
    c->baseline_intensity = calloc(n, sizeof *c->baseline_intensity);
    c->neighbour_intensity = calloc(n, sizeof *c->neighbour_intensity);
    c->target = calloc(nk, sizeof *c->target);
    c->base = calloc(nk, sizeof *c->base);
    c->measured_tracked = calloc(nk, sizeof *c->measured_tracked);
    c->measured_damage = calloc(n, sizeof *c->measured_damage);
    c->committed = calloc(nk, sizeof *c->committed);
    c->detected = calloc(nk, sizeof *c->detected);
    c->prevented = calloc(nk, sizeof *c->prevented);
    c->new_offenders = calloc(n, sizeof *c->new_offenders);
    return (c->baseline_intensity && c->neighbour_intensity && c->target && c->base &&
            c->measured_tracked && c->measured_damage && c->committed && c->detected &&
            c->prevented && c->new_offenders)
               ? 0
               : -1;
}

/* Targets r_k × pop_a / 1000 × D_a with D_a = exp(γ × deprivation_a)
 * normalised so that Σ pop_a D_a = Σ pop_a: the place as a whole keeps the
 * configured rates. The background starts at the full target and is reduced
 * at the end of the warm-up. */
static void set_targets(crime *c, const place *p)
{
    double weighted = 0, residents = 0;
    for (size_t a = 0; a < c->n_areas; a++) {
        weighted += (double)p->areas[a].population * exp(c->gradient * p->areas[a].deprivation);
        residents += (double)p->areas[a].population;
    }
    double norm = weighted > 0 ? residents / weighted : 1.0;
    for (size_t a = 0; a < c->n_areas; a++) {
        double d = exp(c->gradient * p->areas[a].deprivation) * norm;
        for (int k = 0; k < CRIME_TYPES; k++) {
            size_t ak = a * CRIME_TYPES + (size_t)k;
            c->target[ak] = c->rate[k] * (double)p->areas[a].population / 1000.0 * d;
            c->base[ak] = c->target[ak];
        }
    }
}

static int crime_create(sim_run *run, void **out)
{
    const place *p = sim_place(run);
    const scenario *s = sim_scenario(run);
    crime *c = calloc(1, sizeof *c);
    if (!c) return sim_fail(run, "out of memory");
    *out = c;
    read_params(c, s);
    if (read_costs(c, run) != 0) return -1;
    c->metric_base = sim_metric_base(run);
    c->n_areas = p->n_areas;
    if (c->n_areas > UINT32_MAX / STREAM_AREA_STRIDE) return sim_fail(run, "crime: too many areas");
    if (allocate(c) != 0) return sim_fail(run, "out of memory");

    /* The check hook reports these with file and line; a run started
     * without it still refuses them. */
    const scn_node *bad = unknown_patrol_area(s, p);
    if (bad) return sim_fail(run, "crime.patrols.%s: not an area", bad->string_value);

    const scn_node *patrols = scenario_find(s, "crime.patrols");
    for (size_t i = 0; patrols && i < patrols->n_children; i++) {
        const scn_node *entry = patrols->children[i];
        long a = place_area_index(p, scn_member_string(entry, "name"));
        c->baseline_intensity[a] = scn_member_float(entry, "intensity");
    }
    set_targets(c, p);

    /* create runs on day 0, the warm-up's first day. */
    c->start_day = sim_start_date(run) - sim_date(run);
    c->measure_from = c->start_day >= DAYS_MEASURED ? c->start_day - DAYS_MEASURED : -1;
    if (c->p_new_offender > 0) {
        sim_warn(run,
                 "crime: p_new_offender is %g, so detected background offenders join the "
                 "tracked population, which grows beyond its calibrated inflow",
                 c->p_new_offender);
    }
    /* Other models may read the patrol fields before the first day begins. */
    update_patrol_state(c, run);
    return 0;
}

/* Recorded crime per 1,000 residents a year, mean over replications: the
 * figures the configured rates are calibrated to (MODELS.md § 2). */
static void crime_summarise(FILE *out, const recorder *const *recs, size_t n, double years)
{
    if (n == 0) return;
    int residents = recorder_find(recs[0], "residents");
    fputs("; crimes per 1,000 residents a year:", out);
    for (int k = 0; k < CRIME_TYPES; k++) {
        char name[64];
        snprintf(name, sizeof name, "crimes_%s", crime_type_names[k]);
        int metric = recorder_find(recs[0], name);
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            sum += 1000.0 * recorder_run_value(recs[i], metric) / years /
                   recorder_run_value(recs[i], residents);
        }
        fprintf(out, " %s %.3g", crime_type_names[k], sum / (double)n);
    }
}

/* Street crime (MODELS.md § 2): the five recorded types, as an evaluator
 * of patrols or of blight would read them. */
static const char *const crime_headline[] = { "crimes_burglary", "crimes_robbery",
                                              "crimes_theft_person", "crimes_criminal_damage",
                                              "crimes_violence_injury" };
static const comparison_outcome crime_outcomes[] = {
    { "street crimes", "crimes", crime_headline, sizeof crime_headline / sizeof crime_headline[0] },
};

/* From the cost library, in crime_type_names order. */
static const char *const crime_unit_costs[] = {
    "crime_total_burglary",         "crime_total_robbery",         "crime_total_theft_person",
    "crime_total_criminal_damage",  "crime_total_violence_injury", "crime_police_burglary",
    "crime_police_robbery",         "crime_police_theft_person",   "crime_police_criminal_damage",
    "crime_police_violence_injury",
};

static void read_hotspot_patrols(const intervention_type *t, const scn_node *e, void *params)
{
    ((crime_hotspot_patrols_params *)params)->intensity = intervention_param(t, e, "intensity");
}

/* Paid per covered area-day at full intensity. */
static double patrol_area_days(const void *params, double used, size_t n_areas_covered)
{
    (void)used;
    return ((const crime_hotspot_patrols_params *)params)->intensity * (double)n_areas_covered;
}

static const param_spec hotspot_patrols_keys[] = {
    PARAM_FLOAT_ROW("intensity", "0-1", 0, 1, "1", "MODELS.md section 2: 1 is a full hot-spot dose",
                    "patrol intensity added in its areas"),
};

const intervention_type crime_hotspot_patrols = {
    .name = "hotspot_patrols",
    .doc = "intensity (0-1) added to the areas' patrol intensity, capped at 1; unit = area-day "
           "at full intensity, paid daily",
    .keys = hotspot_patrols_keys,
    .n_keys = sizeof hotspot_patrols_keys / sizeof hotspot_patrols_keys[0],
    .params_size = sizeof(crime_hotspot_patrols_params),
    .read = read_hotspot_patrols,
    .unit_cost = "intervention_patrol_area_day",
    .payment = PAY_PER_DAY,
    .units_per_day = patrol_area_days,
};

static const intervention_type *const crime_intervention_types[] = { &crime_hotspot_patrols };

/* Crime is counted per area and type, never per person, and schedules no
 * events: its memory is the per-area arrays of allocate(). */
static void crime_memory(const scenario *s, const place *p, model_memory *out)
{
    (void)s;
    const crime *c = NULL; /* for the sizes of its fields only */
    double per_area = (double)(sizeof *c->baseline_intensity + sizeof *c->neighbour_intensity +
                               sizeof *c->measured_damage + sizeof *c->new_offenders);
    double per_area_type =
        (double)(sizeof *c->target + sizeof *c->base + sizeof *c->measured_tracked +
                 sizeof *c->committed + sizeof *c->detected + sizeof *c->prevented);
    double areas = (double)(p->n_areas ? p->n_areas : 1);
    memset(out, 0, sizeof *out);
    out->state_bytes = (double)sizeof(crime) + areas * (per_area + CRIME_TYPES * per_area_type);
}

const model_def crime_model = {
    .name = "crime",
    .stream_id = 1,
    .doc = "Street crime: daily background crime per area and type, scaled by deprivation and "
           "blight and thinned by hot-spot patrols, plus void damage and tracked offenders' "
           "offences; detection, and costs to police, health and victims (MODELS.md section 2).",
    .params = &crime_param_table,
    .metrics = &crime_metric_table,
    .check = crime_check,
    .create = crime_create,
    .destroy = crime_destroy,
    .begin_day = crime_begin_day,
    .end_day = crime_end_day,
    .end_warmup = crime_end_warmup,
    .summarise = crime_summarise,
    .headline_metrics = crime_headline,
    .n_headline_metrics = sizeof crime_headline / sizeof crime_headline[0],
    .outcomes = crime_outcomes,
    .n_outcomes = sizeof crime_outcomes / sizeof crime_outcomes[0],
    .unit_costs = crime_unit_costs,
    .n_unit_costs = sizeof crime_unit_costs / sizeof crime_unit_costs[0],
    .memory = crime_memory,
    .intervention_types = crime_intervention_types,
    .n_intervention_types = 1,
};
