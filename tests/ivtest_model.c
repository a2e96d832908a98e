/* ivtest_model.c — the test-only stand-in for the interventions model
 * (ivtest_model.h says what it does and which keys it takes). */
#include "ivtest_model.h"

#include <stdlib.h>
#include <string.h>

#include "crime.h"
#include "dates.h"
#include "housing.h"
#include "reoffending.h"

#define TYPE_CHOICES                                                                               \
    "repair_teams|void_security|fast_letting|hotspot_patrols|housing_on_release|"                  \
    "employment_support|intensive_supervision"

static const param_spec ivtest_params[] = {
    PARAM_GROUP_ROW("ivtest", "", "test", "test-only interventions"),
    PARAM_ENUM_ROW("ivtest.type", "employment_support", TYPE_CHOICES, "test", "type of every view"),
    PARAM_INT_ROW("ivtest.count", "", 1, 2, "1", "test", "views"),
    PARAM_INT_ROW("ivtest.areas", "bit mask", 0, 1e9, "0", "test",
                  "areas of the first (bit a: area a); 0: every area"),
    PARAM_INT_ROW("ivtest.areas2", "bit mask", 0, 1e9, "0", "test",
                  "areas of the second; 0: every area"),
    PARAM_FLOAT_ROW("ivtest.value", "", 0, 1e7, "0", "test",
                    "a place type's one number (teams, days, cut or intensity), first view"),
    PARAM_FLOAT_ROW("ivtest.value2", "", 0, 1e7, "0", "test", "the same, second view"),
    PARAM_FLOAT_ROW("ivtest.capacity", "", 0, 1e12, "0", "test",
                    "a people type's places (leavers a year for housing_on_release)"),
    PARAM_FLOAT_ROW("ivtest.effect", "", 0, 10, "1", "test", "a people type's hazard ratio"),
    PARAM_FLOAT_ROW("ivtest.persistence_days", "days", 0, 1e6, "0", "test",
                    "employment_support's persistence"),
    PARAM_FLOAT_ROW("ivtest.min_previous", "", 0, 1e9, "0", "test",
                    "intensive_supervision's eligibility"),
    PARAM_FLOAT_ROW("ivtest.cost_per_case", "GBP", 0, 1e9, "0", "test",
                    "charged at intake by a per-case type"),
    PARAM_INT_ROW("ivtest.start_day", "days after the written start", 0, 1e6, "0", "test",
                  "first active day"),
    PARAM_INT_ROW("ivtest.end_day", "days after the written start", 0, 1e6, "1000000", "test",
                  "first day no longer active"),
};
static const param_table ivtest_param_table = PARAM_TABLE("ivtest", ivtest_params);

enum { IV_USED, IV_SECURED, IV_PLACE_DAYS, IV_OVER_CAPACITY_DAYS, IV_N_METRICS };
static const metric_spec ivtest_metrics[] = {
    [IV_USED] = METRIC_ALL_ONLY_ROW("ivtest_used", METRIC_LEVEL_MEAN, "", "sum of the views' used"),
    [IV_SECURED] = METRIC_ALL_ONLY_ROW("ivtest_secured_voids", METRIC_LEVEL_MEAN, "",
                                       "sum of shared_state.secured_voids"),
    [IV_PLACE_DAYS] =
        METRIC_ALL_ONLY_ROW("ivtest_place_days", METRIC_COUNT, "place-days",
                            "places in use (types without cases a year) summed over days"),
    [IV_OVER_CAPACITY_DAYS] = METRIC_ALL_ONLY_ROW("ivtest_over_capacity_days", METRIC_COUNT, "days",
                                                  "days with more in use than the capacity"),
};
_Static_assert(sizeof ivtest_metrics / sizeof ivtest_metrics[0] == IV_N_METRICS,
               "a row of ivtest_metrics for each metric");
static const metric_table ivtest_metric_table = METRIC_TABLE(ivtest_metrics);

enum { MAX_IV = 2 };

typedef union ivtest_values { /* a view's params, as its type reads them */
    housing_repair_teams_params teams;
    housing_void_security_params security;
    housing_fast_letting_params letting;
    crime_hotspot_patrols_params patrols;
    reoffending_housing_on_release_params housing;
    reoffending_employment_support_params employment;
    reoffending_intensive_supervision_params intensive;
} ivtest_values;

typedef struct ivtest {
    intervention_view views[MAX_IV];
    ivtest_values params[MAX_IV];
    uint8_t *in_area[MAX_IV];
    size_t n;
    double capacity;
    int64_t first, end; /* dates: active on first … end − 1 */
    shared_state *st;
    int metric_base;
} ivtest;

static const intervention_type *type_named(const char *name)
{
    static const intervention_type *const types[] = {
        &housing_repair_teams,
        &housing_void_security,
        &housing_fast_letting,
        &crime_hotspot_patrols,
        &reoffending_housing_on_release,
        &reoffending_employment_support,
        &reoffending_intensive_supervision,
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(types[i]->name, name) == 0) return types[i];
    }
    return NULL; /* the key's choices are exactly these names */
}

/* View k's parameter struct: a place type's one number is `value`, a
 * people type's numbers are the capacity, effect, … keys. */
static void set_params(ivtest *m, size_t k, const scenario *s, double value)
{
    const intervention_type *t = m->views[k].type;
    ivtest_values *p = &m->params[k];
    double effect = scenario_float(s, "ivtest.effect");
    if (t == &housing_repair_teams)
        p->teams.teams = value;
    else if (t == &housing_void_security)
        p->security.secure_after_days = value;
    else if (t == &housing_fast_letting)
        p->letting.delay_cut = value;
    else if (t == &crime_hotspot_patrols)
        p->patrols.intensity = value;
    else if (t == &reoffending_housing_on_release)
        p->housing.leavers_per_year = m->capacity;
    else if (t == &reoffending_intensive_supervision) {
        p->intensive = (reoffending_intensive_supervision_params){ .officers = 0,
                                                                   .places = m->capacity,
                                                                   .hazard_ratio = effect,
                                                                   .min_previous = scenario_float(
                                                                       s, "ivtest.min_previous") };
    } else {
        p->employment = (reoffending_employment_support_params){
            .places = m->capacity,
            .hazard_ratio = effect,
            .persistence_days = scenario_float(s, "ivtest.persistence_days")
        };
    }
    m->views[k].params = p;
}

static void set_active(ivtest *m, int64_t date)
{
    for (size_t k = 0; k < m->n; k++) m->views[k].active = date >= m->first && date < m->end;
}

/* View k from its keys, registered with the budget as intervention k. */
static int add_view(ivtest *m, size_t k, sim_run *run)
{
    static const char *const names[MAX_IV] = { "ivtest_programme", "ivtest_programme2" };
    static const char *const masks[MAX_IV] = { "ivtest.areas", "ivtest.areas2" };
    static const char *const values[MAX_IV] = { "ivtest.value", "ivtest.value2" };
    const scenario *s = sim_scenario(run);
    size_t n_areas = sim_place(run)->n_areas;
    if (!(m->in_area[k] = calloc(n_areas ? n_areas : 1, 1))) return sim_fail(run, "out of memory");
    int64_t bits = scenario_int(s, masks[k]);
    for (size_t a = 0; a < n_areas; a++) m->in_area[k][a] = !bits || (a < 63 && ((bits >> a) & 1));
    intervention_view *v = &m->views[k];
    v->name = names[k];
    v->type = type_named(scenario_string(s, "ivtest.type"));
    v->funder = BEARER_PROBATION;
    v->in_area = m->in_area[k];
    v->cost_per_case = scenario_float(s, "ivtest.cost_per_case");
    set_params(m, k, s, scenario_float(s, values[k]));
    long index = sim_register_intervention(run, v->name, v->funder);
    if (index < 0) return -1;
    return index == (long)k ? 0 : sim_fail(run, "ivtest: view %zu registered as %ld", k, index);
}

static int ivtest_create(sim_run *run, void **state)
{
    const scenario *s = sim_scenario(run);
    ivtest *m = calloc(1, sizeof *m);
    if (!m) return sim_fail(run, "out of memory");
    *state = m;
    m->n = (size_t)scenario_int(s, "ivtest.count");
    m->capacity = scenario_float(s, "ivtest.capacity");
    for (size_t k = 0; k < m->n; k++) {
        if (add_view(m, k, run) != 0) return -1;
    }
    m->first = sim_start_date(run) + scenario_int(s, "ivtest.start_day");
    m->end = sim_start_date(run) + scenario_int(s, "ivtest.end_day");
    set_active(m, sim_date(run));
    m->metric_base = sim_metric_base(run);
    m->st = shared_of(run);
    m->st->interventions = m->views;
    m->st->n_interventions = m->n;
    return 0;
}

/* Models are destroyed before the shared state: take back the views it lent. */
static void ivtest_destroy(void *state)
{
    ivtest *m = state;
    if (!m) return;
    if (m->st && m->st->interventions == m->views) {
        m->st->interventions = NULL;
        m->st->n_interventions = 0;
    }
    for (size_t k = 0; k < MAX_IV; k++) free(m->in_area[k]);
    free(m);
}

static int ivtest_handle(void *state, sim_run *run, const sim_event *ev)
{
    (void)state;
    return sim_fail(run, "ivtest: unexpected event kind %u", ev->kind);
}

/* Runs after the served models' end_day: reads what they wrote, then
 * publishes the views for tomorrow. */
static int ivtest_end_day(void *state, sim_run *run)
{
    ivtest *m = state;
    shared_state *st = shared_of(run);
    recorder *rec = sim_recorder(run);
    double used = 0, secured = 0;
    for (size_t k = 0; k < m->n; k++) {
        const intervention_view *v = &m->views[k];
        used += v->used;
        if (!v->type->cases_per_year) recorder_add(rec, m->metric_base + IV_PLACE_DAYS, 0, v->used);
        if (v->used > m->capacity) recorder_add(rec, m->metric_base + IV_OVER_CAPACITY_DAYS, 0, 1);
    }
    for (size_t a = 0; a < st->n_areas; a++) secured += (double)st->secured_voids[a];
    recorder_level(rec, m->metric_base + IV_USED, 0, used);
    recorder_level(rec, m->metric_base + IV_SECURED, 0, secured);
    int64_t tomorrow = sim_date(run) + 1;
    set_active(m, tomorrow);
    if (tomorrow == date_financial_year_start(date_financial_year(tomorrow))) {
        for (size_t k = 0; k < m->n; k++) {
            if (m->views[k].type->cases_per_year) m->views[k].used = 0;
        }
    }
    return 0;
}

const model_def ivtest_model = {
    .name = "ivtest",
    .stream_id = 103, /* test-only: an id no real model uses */
    .doc = "test-only stand-in for the interventions model",
    .params = &ivtest_param_table,
    .metrics = &ivtest_metric_table,
    .create = ivtest_create,
    .destroy = ivtest_destroy,
    .handle = ivtest_handle,
    .end_day = ivtest_end_day,
};
