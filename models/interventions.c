/* interventions.c — the scenario's interventions (MODELS.md § 4): which act
 * on each day, and what they cost.
 *
 * This model decides; the service models carry the effects out. At the start
 * of each written day (prepare_day, before any model's begin_day) it pays
 * each intervention's set-up on its first day (one that cannot pay never
 * starts), then the day's capacity cost (one that cannot pay pauses until
 * the next financial year), and publishes shared_state.interventions, one
 * intervention_view each, which housing, crime and re-offending read the
 * same day. Nothing acts in the warm-up. */
#include "interventions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

static const char *const common_keys[] = {
    "name",   "type",       "areas",        "start",         "end",
    "funder", "cost_setup", "cost_per_day", "cost_per_unit", NULL,
};

enum phase { PHASE_WAITING, PHASE_RUNNING, PHASE_PAUSED, PHASE_NEVER, PHASE_OVER };

typedef struct intervention {
    enum phase phase;
    int64_t start, end; /* day numbers, inclusive */
    int paused_fy;      /* the financial year a pause lasts to the end of */
    size_t n_covered;   /* areas covered */
    double cost_setup, cost_per_day, cost_per_unit;
} intervention;

typedef struct interventions {
    size_t n;
    intervention *items;
    intervention_view *views;
    uint8_t *masks;        /* n × n_areas */
    unsigned char *params; /* n × params_stride: each type's parameter struct */
} interventions;

static int funder_of(const char *name)
{
    for (int b = BEARER_HOUSING; b <= BEARER_HEALTH; b++) {
        if (strcmp(bearer_names[b], name) == 0) return b;
    }
    return FUNDER_POOL;
}

/* The type called `name` among the catalogues of `models`, or NULL; the
 * model that declares it in *carrier (when carrier is not NULL). */
static const intervention_type *find_type_of(const model_def *const *models, size_t n_models,
                                             const char *name, const model_def **carrier)
{
    for (size_t m = 0; m < n_models; m++) {
        for (size_t t = 0; t < models[m]->n_intervention_types; t++) {
            const intervention_type *type = models[m]->intervention_types[t];
            if (strcmp(type->name, name) != 0) continue;
            if (carrier) *carrier = models[m];
            return type;
        }
    }
    return NULL;
}

static const intervention_type *find_type(const model_def *const *models, size_t n_models,
                                          const char *name)
{
    return find_type_of(models, n_models, name, NULL);
}

const model_def *interventions_type_carrier(const char *name)
{
    size_t n;
    const model_def *const *models = model_registry(&n);
    const model_def *carrier = NULL;
    return find_type_of(models, n, name, &carrier) ? carrier : NULL;
}

/* The registry's type called `name` (check and describe, before any run). */
static const intervention_type *registered_type(const char *name)
{
    size_t n;
    const model_def *const *models = model_registry(&n);
    return find_type(models, n, name);
}

static int listed(const char *const *keys, const char *key)
{
    for (size_t i = 0; keys[i]; i++) {
        if (strcmp(keys[i], key) == 0) return 1;
    }
    return 0;
}

/* Type t's own row for `key`, or NULL. */
static const param_spec *own_key(const intervention_type *t, const char *key)
{
    for (size_t i = 0; i < t->n_keys; i++) {
        if (strcmp(t->keys[i].path, key) == 0) return &t->keys[i];
    }
    return NULL;
}

/* Whether an intervention of type t takes `key`: the common keys (but
 * cost_per_unit only with a unit cost) and its own. */
static int type_takes(const intervention_type *t, const char *key)
{
    if (strcmp(key, "cost_per_unit") == 0) return t->unit_cost != NULL;
    return listed(common_keys, key) || own_key(t, key) != NULL;
}

static int interventions_entry_key_applies(const char *list, const scn_node *entry, const char *key)
{
    if (strcmp(list, "interventions") != 0) return 1;
    const scn_node *type = scn_member(entry, "type");
    if (!type || type->type != SCN_STRING) return 1;
    const intervention_type *t = registered_type(type->string_value);
    return !t || type_takes(t, key);
}

/* "capacity and cost_per_unit": what type t takes besides the common keys. */
static void own_keys_text(const intervention_type *t, char *out, size_t outlen)
{
    size_t n = t->n_keys + (t->unit_cost != NULL), o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && o < outlen; i++) {
        o += (size_t)snprintf(out + o, outlen - o, "%s%s",
                              i == 0       ? ""
                              : i + 1 == n ? " and "
                                           : ", ",
                              i < t->n_keys ? t->keys[i].path : "cost_per_unit");
    }
}

/* A key written (by a file or --set, not a default) that its type does not
 * take: most likely meant for another type, and silently unused if
 * accepted. */
static int check_keys(const scn_node *e, const intervention_type *t, const char *name, char *err,
                      size_t errlen)
{
    for (size_t k = 0; k < e->n_children; k++) {
        const scn_node *c = e->children[k];
        if (c->line <= 0 || type_takes(t, c->name)) continue;
        char own[160];
        own_keys_text(t, own, sizeof own);
        snprintf(err, errlen,
                 "%s:%d: interventions.%s.%s: does not apply to %s, which takes %s "
                 "besides name, type, areas, start, end, funder, cost_setup and cost_per_day",
                 c->file, c->line, name, c->name, t->name, own);
        return -1;
    }
    return 0;
}

/* A `type` that no registered model carries out: the same line the table
 * gave when the types were a fixed list of choices. */
static int unknown_type(const scn_node *type, const char *name, char *err, size_t errlen)
{
    size_t n, o;
    const model_def *const *models = model_registry(&n);
    o = (size_t)snprintf(err, errlen, "%s:%d: interventions.%s.type: \"%s\" is not one of ",
                         type->file, type->line, name, type->string_value);
    const char *sep = "";
    for (size_t m = 0; m < n; m++) {
        for (size_t t = 0; t < models[m]->n_intervention_types && o < errlen; t++) {
            o += (size_t)snprintf(err + o, errlen - o, "%s%s", sep,
                                  models[m]->intervention_types[t]->name);
            sep = ", ";
        }
    }
    return -1;
}

/* Written values of t's own keys outside t's range (the scenario's table
 * holds the widest range of all types); -1 is "the type's default". */
static int check_ranges(const scn_node *e, const intervention_type *t, const char *name, char *err,
                        size_t errlen)
{
    for (size_t i = 0; i < t->n_keys; i++) {
        const param_spec *row = &t->keys[i];
        const scn_node *n = scn_member(e, row->path);
        if (!n || (n->type != SCN_FLOAT && n->type != SCN_INT)) continue;
        double v = n->type == SCN_INT ? (double)n->int_value : n->float_value;
        if (v == -1 || (v >= row->min && v <= row->max)) continue;
        snprintf(err, errlen, "%s:%d: interventions.%s.%s: %g is out of range for %s", n->file,
                 n->line, name, row->path, v, t->name);
        return -1;
    }
    return 0;
}

typedef void (*warning_sink)(void *ctx, const char *text);

/* Keys that are valid but surely not what was meant: a funder with no
 * money, an intervention that costs nothing (its effects free, so a
 * comparison credits it with savings at no cost), an agreement for a pool
 * that a siloed scenario does not have. types[i] is intervention i's type
 * (NULL: the registry's of that name); unit_cost[i] its library cost of a
 * unit, or NULL when not known (check: a library cost is taken to be
 * non-zero). */
static void scenario_warnings(const scenario *s, const intervention_type *const *types,
                              const double *unit_cost, warning_sink sink, void *ctx)
{
    static const char *const holders[] = { "housing", "police",  "probation",
                                           "prisons", "council", "health" };
    char text[512];
    int pooled = strcmp(scenario_string(s, "budgets.regime"), "pooled") == 0;
    double into_pool = 0;
    for (size_t h = 0; h < sizeof holders / sizeof holders[0]; h++) {
        char budget[64], share[64];
        snprintf(budget, sizeof budget, "budgets.%s", holders[h]);
        snprintf(share, sizeof share, "budgets.pool_share.%s", holders[h]);
        into_pool += scenario_float(s, budget) * scenario_float(s, share);
    }
    const scn_node *list = scenario_find(s, "interventions");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *e = list->children[i];
        const char *name = scn_member_string(e, "name");
        const scn_node *funder = scn_member(e, "funder");
        const char *who = funder->string_value;
        if (strcmp(who, "pool") == 0) {
            if (pooled && into_pool == 0) {
                snprintf(text, sizeof text,
                         "%s:%d: interventions.%s.funder: the pool has no "
                         "shares (no holder with a budget has a budgets.pool_share above 0), so "
                         "%s can pay for nothing",
                         funder->file, funder->line, name, name);
                sink(ctx, text);
            }
        } else {
            char budget[64];
            snprintf(budget, sizeof budget, "budgets.%s", who);
            if (scenario_float(s, budget) == 0) {
                snprintf(text, sizeof text,
                         "%s:%d: interventions.%s.funder: %s has no budget "
                         "(%s = 0), so %s can pay for nothing",
                         funder->file, funder->line, name, who, budget, name);
                sink(ctx, text);
            }
        }
        const intervention_type *t =
            types ? types[i] : registered_type(scn_member_string(e, "type"));
        int has_unit = t && t->unit_cost;
        double unit = scn_member_float(e, "cost_per_unit");
        int unit_free = !has_unit || unit == 0 || (unit == -1 && unit_cost && unit_cost[i] == 0);
        if (scn_member_float(e, "cost_setup") == 0 && scn_member_float(e, "cost_per_day") == 0 &&
            unit_free) {
            snprintf(text, sizeof text,
                     "%s:%d: interventions.%s: costs nothing (no set-up, no "
                     "cost per day%s): its effects come free",
                     e->file, e->line, name, has_unit ? ", cost_per_unit 0" : "");
            sink(ctx, text);
        }
    }
    if (!pooled) {
        static const char *const years[] = { "budgets.pool_years.from", "budgets.pool_years.to" };
        for (size_t k = 0; k < 2; k++) {
            const scn_node *n = scenario_find(s, years[k]);
            if (n && n->line > 0) {
                snprintf(text, sizeof text,
                         "%s:%d: %s: ignored: budgets.regime is \"siloed\", "
                         "so there is no pool to agree on",
                         n->file, n->line, years[k]);
                sink(ctx, text);
                break;
            }
        }
    }
}

static void print_warning(void *ctx, const char *text)
{
    fprintf((FILE *)ctx, "# warning: %s\n", text);
}

static void run_warning(void *ctx, const char *text)
{
    sim_warn((sim_run *)ctx, "interventions: %s", text);
}

/* `placesim check` shows the warnings that the run writes to manifest.json. */
static void interventions_check_notes(const scenario *s, const place *p, FILE *out)
{
    (void)p;
    scenario_warnings(s, NULL, NULL, print_warning, out);
}

/* What the parameter table cannot check: a type some model carries out,
 * keys that the type takes, area names, date order, a pool in the pooled
 * regime only, values in their type's range. */
static int interventions_check(const scenario *s, const place *p, char *err, size_t errlen)
{
    const scn_node *list = scenario_find(s, "interventions");
    int pooled = strcmp(scenario_string(s, "budgets.regime"), "pooled") == 0;
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *e = list->children[i];
        const char *name = scn_member_string(e, "name");
        const scn_node *type = scn_member(e, "type");
        const intervention_type *t = registered_type(type->string_value);
        if (!t) return unknown_type(type, name, err, errlen);
        if (check_keys(e, t, name, err, errlen) != 0) return -1;
        const scn_node *areas = scn_member(e, "areas");
        for (size_t k = 0; k < areas->n_children; k++) {
            if (place_area_index(p, areas->children[k]->string_value) < 0) {
                snprintf(err, errlen, "%s:%d: interventions.%s.areas: \"%s\" is not an area",
                         areas->file, areas->line, name, areas->children[k]->string_value);
                return -1;
            }
        }
        const scn_node *end = scn_member(e, "end");
        int64_t first, last;
        date_parse(scn_member_string(e, "start"), &first);
        date_parse(end->string_value, &last);
        if (last < first) {
            snprintf(err, errlen, "%s:%d: interventions.%s.end: %s is before its start", end->file,
                     end->line, name, end->string_value);
            return -1;
        }
        const scn_node *funder = scn_member(e, "funder");
        if (!pooled && strcmp(funder->string_value, "pool") == 0) {
            snprintf(err, errlen,
                     "%s:%d: interventions.%s.funder: \"pool\" needs budgets.regime = "
                     "\"pooled\"",
                     funder->file, funder->line, name);
            return -1;
        }
        if (check_ranges(e, t, name, err, errlen) != 0) return -1;
    }
    return 0;
}

static void interventions_destroy(void *state)
{
    interventions *m = state;
    if (!m) return;
    free(m->items);
    free(m->views);
    free(m->masks);
    free(m->params);
    free(m);
}

/* Each intervention's type from the run's catalogue, else the registry's
 * (a type whose model does not run is paid for and acts on nothing; an
 * unknown one fails the run: `check` refuses it before), its unit cost,
 * and the widest parameter struct, rounded up to keep each aligned. */
static int resolve_types(sim_run *run, const scn_node *list, size_t n,
                         const intervention_type **types, double *unit_cost, size_t *stride)
{
    size_t n_models;
    const model_def *const *models = sim_models(run, &n_models);
    *stride = sizeof(double);
    for (size_t i = 0; i < n; i++) {
        const scn_node *e = list->children[i];
        const char *type = scn_member_string(e, "type");
        types[i] = find_type(models, n_models, type);
        if (!types[i]) types[i] = registered_type(type);
        if (!types[i]) {
            return sim_fail(run, "interventions: %s: no model carries out type \"%s\"",
                            scn_member_string(e, "name"), type);
        }
        unit_cost[i] = types[i]->unit_cost ? sim_unit_cost(run, types[i]->unit_cost) : 0.0;
        if (isnan(unit_cost[i])) return -1;
        size_t size = types[i]->params_size;
        size = (size + sizeof(double) - 1) / sizeof(double) * sizeof(double);
        if (size > *stride) *stride = size;
    }
    return 0;
}

/* Intervention i's record and view from its entry (type t, its unit cost). */
static int set_up_one(interventions *m, sim_run *run, size_t i, const scn_node *e,
                      const intervention_type *t, double type_cost, size_t stride)
{
    const place *p = sim_place(run);
    size_t areas = p->n_areas ? p->n_areas : 1;
    intervention *iv = &m->items[i];
    intervention_view *v = &m->views[i];
    uint8_t *mask = m->masks + i * areas;
    void *params = m->params + i * stride;
    v->name = scn_member_string(e, "name");
    v->type = t;
    v->funder = funder_of(scn_member_string(e, "funder"));
    v->in_area = mask;
    const scn_node *named = scn_member(e, "areas");
    for (size_t a = 0; a < p->n_areas; a++) mask[a] = named->n_children == 0;
    for (size_t k = 0; k < named->n_children; k++) {
        long a = place_area_index(p, named->children[k]->string_value);
        if (a >= 0) mask[a] = 1;
    }
    for (size_t a = 0; a < p->n_areas; a++) iv->n_covered += mask[a];
    if (t->read) t->read(t, e, params);
    v->params = params;
    double unit = scn_member_float(e, "cost_per_unit");
    iv->cost_per_unit = unit != -1 ? unit : type_cost;
    iv->cost_setup = scn_member_float(e, "cost_setup");
    iv->cost_per_day = scn_member_float(e, "cost_per_day");
    v->cost_per_case = t->payment == PAY_PER_CASE ? iv->cost_per_unit : 0.0;
    date_parse(scn_member_string(e, "start"), &iv->start);
    date_parse(scn_member_string(e, "end"), &iv->end);
    return sim_register_intervention(run, v->name, v->funder) == (long)i ? 0 : -1;
}

static int interventions_create(sim_run *run, void **out)
{
    const scenario *s = sim_scenario(run);
    const place *p = sim_place(run);
    const scn_node *list = scenario_find(s, "interventions");
    interventions *m = calloc(1, sizeof *m);
    if (!m) return sim_fail(run, "out of memory");
    *out = m;
    m->n = list ? list->n_children : 0;
    size_t n = m->n ? m->n : 1, areas = p->n_areas ? p->n_areas : 1, stride;
    const intervention_type **types = calloc(n, sizeof *types);
    double *unit_cost = calloc(n, sizeof *unit_cost);
    int status = types && unit_cost ? 0 : sim_fail(run, "out of memory");
    if (status == 0) status = resolve_types(run, list, m->n, types, unit_cost, &stride);
    if (status == 0) {
        scenario_warnings(s, types, unit_cost, run_warning, run);
        m->items = calloc(n, sizeof *m->items);
        m->views = calloc(n, sizeof *m->views);
        m->masks = calloc(n * areas, sizeof *m->masks);
        m->params = calloc(n, stride);
        if (!m->items || !m->views || !m->masks || !m->params)
            status = sim_fail(run, "out of memory");
    }
    for (size_t i = 0; status == 0 && i < m->n; i++) {
        status = set_up_one(m, run, i, list->children[i], types[i], unit_cost[i], stride);
    }
    free(types);
    free(unit_cost);
    if (status != 0) return -1;
    shared_state *st = shared_of(run);
    st->interventions = m->n ? m->views : NULL;
    st->n_interventions = m->n;
    return 0;
}

/* The capacity cost of one day while running. */
static double day_cost(const intervention *iv, const intervention_view *v)
{
    const intervention_type *t = v->type;
    double units = t->payment == PAY_PER_DAY && t->units_per_day
                       ? t->units_per_day(v->params, v->used, iv->n_covered)
                       : 0;
    return iv->cost_per_day + units * iv->cost_per_unit;
}

static int interventions_prepare_day(void *state, sim_run *run)
{
    interventions *m = state;
    if (!sim_written(run)) return 0;
    int64_t today = sim_date(run);
    int fy = date_financial_year(today);
    int new_year = today == date_financial_year_start(fy);
    for (size_t i = 0; i < m->n; i++) {
        intervention *iv = &m->items[i];
        intervention_view *v = &m->views[i];
        if (new_year && v->type->cases_per_year) v->used = 0;
        v->active = 0;
        if (iv->phase == PHASE_NEVER || iv->phase == PHASE_OVER) continue;
        if (today > iv->end) {
            iv->phase = PHASE_OVER;
            continue;
        }
        if (today < iv->start) continue; /* one that began before the run starts with it */
        if (iv->phase == PHASE_WAITING) {
            int paid = sim_fund_setup(run, i, iv->cost_setup);
            if (paid < 0) return -1;
            if (!paid) {
                iv->phase = PHASE_NEVER;
                continue;
            }
            iv->phase = PHASE_RUNNING;
        }
        if (iv->phase == PHASE_PAUSED && fy == iv->paused_fy) {
            if (sim_paused_day(run, i, 0) != 0) return -1;
            continue;
        }
        /* Capacity is paid a day at a time; without the money it pauses to
         * the end of the financial year. */
        int paid = sim_fund_day(run, i, day_cost(iv, v));
        if (paid < 0) return -1;
        if (!paid) {
            iv->phase = PHASE_PAUSED;
            iv->paused_fy = fy;
            if (sim_paused_day(run, i, 1) != 0) return -1;
            continue;
        }
        iv->phase = PHASE_RUNNING;
        v->active = 1;
    }
    return 0;
}

/* One row per member for every type: the loader validates, and the
 * manifest hashes, one row per key. A member's meaning, unit, range and
 * default for each type are the type's own (its `keys`, model.h), shown by
 * `placesim describe` under the model that carries it out; these rows hold
 * the widest range, and -1 for "the type's default". */
static const param_spec interventions_params[] = {
    PARAM_LIST_ROW(
        "interventions", "()", "—",
        "named interventions; any number, overlapping in time and place (MODELS.md section 4)"),
    PARAM_STRING_ROW("interventions.*.name", "", NULL, "—", "unique name"),
    PARAM_STRING_ROW(
        "interventions.*.type", "", NULL, "MODELS.md section 4",
        "what it does: an intervention type of a running model (placesim describe lists them "
        "under INTERVENTION TYPES)"),
    PARAM_STRINGS_ROW(
        "interventions.*.areas", "area names", "[]", "scenario",
        "areas it covers; empty: all (re-offending types: by the person's home area)"),
    PARAM_DATE_ROW("interventions.*.start", "date", NULL, "scenario",
                   "first day it acts (set-up is paid then)"),
    PARAM_DATE_ROW("interventions.*.end", "date", NULL, "scenario", "last day it acts"),
    PARAM_ENUM_ROW("interventions.*.funder", NULL,
                   "housing|police|probation|prisons|council|health|pool", "scenario",
                   "who pays: a budget holder, or the pool (pooled regime)"),
    PARAM_FLOAT_ROW("interventions.*.capacity", "teams | leavers a year | places | officers", 0,
                    1e6, "0", "scenario", "how much of it there is, in the type's unit"),
    PARAM_FLOAT_ROW("interventions.*.intensity", "0-1", 0, 1, "1",
                    "MODELS.md section 2: 1 is a full hot-spot dose", "how strongly it acts, 0-1"),
    PARAM_FLOAT_ROW("interventions.*.effect", "depends on type", -1, 1e6, "-1",
                    "-1: the type's default (with its source, under INTERVENTION TYPES)",
                    "what it does to what it acts on, in the type's unit"),
    PARAM_FLOAT_ROW("interventions.*.persistence_days", "days", 0, 3650, "365", "assumption",
                    "how long its effect lasts after a person leaves it"),
    PARAM_FLOAT_ROW("interventions.*.min_previous", "proven offences", 0, 1000, "5",
                    "assumption (prolific offenders: MoJ 11+ previous offences re-offend at 47%)",
                    "people are eligible from this many previous proven offences"),
    PARAM_FLOAT_ROW("interventions.*.caseload_per_officer", "people", 1, 1000, "30",
                    "assumption (intensive caseloads well under probation's 50)",
                    "places per officer"),
    PARAM_FLOAT_ROW("interventions.*.cost_setup", "GBP", 0, 1e12, "0", "scenario",
                    "paid on its first day; if it cannot be paid the intervention never starts"),
    PARAM_FLOAT_ROW("interventions.*.cost_per_day", "GBP per day", 0, 1e12, "0", "scenario",
                    "fixed running cost each day it acts"),
    PARAM_FLOAT_ROW(
        "interventions.*.cost_per_unit", "GBP per unit", -1, 1e12, "-1",
        "-1: the type's unit cost in the cost library (under INTERVENTION TYPES; placesim "
        "describe costs), at the scenario's price_year; a value here is taken as at price_year",
        "per unit of the type (a team-day, a case, …), paid daily or per case at intake"),
};

static const param_table interventions_param_table =
    PARAM_TABLE("interventions", interventions_params);

/* One record, one view, one area mask and one parameter struct (at most
 * 64 bytes) per intervention; no events. */
static void interventions_memory(const scenario *s, const place *p, model_memory *out)
{
    const scn_node *list = scenario_find(s, "interventions");
    double n = list && list->n_children ? (double)list->n_children : 1;
    double areas = (double)(p->n_areas ? p->n_areas : 1);
    memset(out, 0, sizeof *out);
    out->state_bytes =
        (double)sizeof(interventions) +
        n * ((double)(sizeof(intervention) + sizeof(intervention_view)) + areas + 64);
}

const model_def interventions_model = {
    .name = "interventions",
    .stream_id = 3,
    .needs = interventions_needs,
    .always_runs = 1,
    .doc = "Decides which interventions act each day and pays for them from their funder's "
           "budget or the pool (MODELS.md sections 4 and 5); the models that carry them out "
           "declare their types (INTERVENTION TYPES under each model: the keys each takes "
           "besides name, type, areas, start, end, funder, cost_setup and cost_per_day, and "
           "cost_per_unit when it has a unit cost; a key a type does not take is refused). "
           "Capacity paid daily pauses to the next financial year when its funder is empty; "
           "cases that do not fit are refused; a set-up that cannot be paid stops the "
           "intervention from starting.",
    .params = &interventions_param_table,
    .metrics = &model_no_metrics, /* the engine's budgets record what it spends */
    .check = interventions_check,
    .create = interventions_create,
    .destroy = interventions_destroy,
    .prepare_day = interventions_prepare_day,
    .memory = interventions_memory,
    .check_notes = interventions_check_notes,
    .entry_key_applies = interventions_entry_key_applies,
    .pays_interventions = 1,
};
