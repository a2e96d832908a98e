/* example_model.c — the wardens model (example_model.h): the walkthrough of
 * models/README.md, "Adding a model", as code. */
#include "example_model.h"

#include <stdlib.h>
#include <string.h>

typedef struct wardens {
    size_t n_areas;
    double visits_per_warden_day;
    int metric_base;
} wardens;

static const param_spec wardens_params[] = {
    PARAM_GROUP_ROW("wardens", "", "—", "neighbourhood wardens (test example)"),
    PARAM_FLOAT_ROW("wardens.visits_per_warden_day", "visits", 0, 100, "4", "assumption",
                    "homes a warden visits in a day"),
};
static const param_table wardens_param_table = PARAM_TABLE("wardens", wardens_params);

static const metric_spec wardens_metrics[] = {
    [WARDENS_VISITS] =
        METRIC_ROW("warden_visits", METRIC_COUNT, "visits", "visits by neighbourhood wardens"),
    [WARDENS_BLIGHT_SEEN] =
        METRIC_ROW("warden_blight_seen", METRIC_LEVEL_MEAN, "per 1,000 dwellings",
                   "the blight index as the wardens read it from the shared state"),
};
_Static_assert(sizeof wardens_metrics / sizeof wardens_metrics[0] == WARDENS_N_METRICS,
               "a row of wardens_metrics for each enum wardens_metric, none more");
static const metric_table wardens_metric_table = METRIC_TABLE(wardens_metrics);

static int wardens_create(sim_run *run, void **out)
{
    wardens *w = calloc(1, sizeof *w);
    if (!w) return sim_fail(run, "out of memory");
    *out = w;
    w->n_areas = sim_place(run)->n_areas;
    w->visits_per_warden_day = scenario_float(sim_scenario(run), "wardens.visits_per_warden_day");
    w->metric_base = sim_metric_base(run);
    return 0;
}

static void wardens_destroy(void *state) { free(state); }

static int wardens_handle(void *state, sim_run *run, const sim_event *ev)
{
    (void)state;
    return sim_fail(run, "wardens: unexpected event kind %u", ev->kind);
}

/* Its own interventions act on the day the interventions model says they do. */
static int wardens_begin_day(void *state, sim_run *run)
{
    wardens *w = state;
    const shared_state *st = shared_of(run);
    for (size_t k = 0; st->interventions && k < st->n_interventions; k++) {
        const intervention_view *v = &st->interventions[k];
        if (v->type != &wardens_neighbourhood_wardens || !v->active) continue;
        const wardens_neighbourhood_params *p = v->params;
        for (size_t a = 0; a < w->n_areas; a++) {
            if (v->in_area && !v->in_area[a]) continue;
            recorder_add(sim_recorder(run), w->metric_base + WARDENS_VISITS, a,
                         p->wardens * w->visits_per_warden_day);
        }
    }
    return 0;
}

/* The shared value: housing's blight index, as it stands at the end of the
 * day (housing runs first). */
static int wardens_end_day(void *state, sim_run *run)
{
    wardens *w = state;
    const shared_state *st = shared_of(run);
    for (size_t a = 0; a < w->n_areas; a++) {
        recorder_level(sim_recorder(run), w->metric_base + WARDENS_BLIGHT_SEEN, a,
                       st->blight_index[a]);
    }
    return 0;
}

static void read_neighbourhood_wardens(const intervention_type *t, const scn_node *e, void *params)
{
    ((wardens_neighbourhood_params *)params)->wardens = intervention_param(t, e, "capacity");
}

/* Paid by the warden-day. */
static double warden_days(const void *params, double used, size_t n_areas_covered)
{
    (void)used;
    (void)n_areas_covered;
    return ((const wardens_neighbourhood_params *)params)->wardens;
}

static const param_spec neighbourhood_wardens_keys[] = {
    PARAM_FLOAT_ROW("capacity", "wardens", 0, 1e6, "0", "scenario", "wardens on patrol"),
};

const intervention_type wardens_neighbourhood_wardens = {
    .name = "neighbourhood_wardens",
    .doc = "capacity = wardens visiting homes in its areas; unit = warden-day, paid daily",
    .keys = neighbourhood_wardens_keys,
    .n_keys = 1,
    .params_size = sizeof(wardens_neighbourhood_params),
    .read = read_neighbourhood_wardens,
    .unit_cost = "example_warden_day",
    .payment = PAY_PER_DAY,
    .units_per_day = warden_days,
};

static const intervention_type *const wardens_types[] = { &wardens_neighbourhood_wardens };

const model_def wardens_model = {
    .name = "wardens",
    .stream_id = 200, /* its own for good: the real models hold 0-3 */
    .doc = "Neighbourhood wardens (a test example): visits while a neighbourhood_wardens "
           "intervention acts, and the blight index housing shares.",
    .params = &wardens_param_table,
    .metrics = &wardens_metric_table,
    .create = wardens_create,
    .destroy = wardens_destroy,
    .handle = wardens_handle,
    .begin_day = wardens_begin_day,
    .end_day = wardens_end_day,
    .intervention_types = wardens_types,
    .n_intervention_types = 1,
};
