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

/* What a type is: its defaults (the table's -1 means "the type's") and the
 * keys it takes besides those every intervention takes (common_keys). The
 * keys are declared here, with the type, so that `check` can list and
 * accept only those (interventions_entry_key_applies). */
typedef struct type_info {
    double effect;         /* see intervention_view.effect; NAN: none */
    const char *unit_cost; /* the cost library's entry (what a unit is depends
                              on the type); NULL: no unit cost, per day only */
    const char *const keys[6]; /* NULL-terminated */
} type_info;

static const char *const common_keys[] = {
    "name", "type", "areas", "start", "end", "funder", "cost_setup", "cost_per_day", NULL,
};

/* The unit costs' values and sources are in scenarios/costs/default.cfg. */
static const type_info types[INTERVENTION_TYPES] = {
    [INTERVENTION_REPAIR_TEAMS] = { NAN, "intervention_repair_team_day",
                                    { "capacity", "cost_per_unit", NULL } },
    /* secure after 14 days (assumption) */
    [INTERVENTION_VOID_SECURITY] = { 14.0, "intervention_secured_void_week",
                                     { "effect", "cost_per_unit", NULL } },
    /* letting delay x (1 - 0.3) (assumption); no unit: paid per day only */
    [INTERVENTION_FAST_LETTING] = { 0.3, NULL, { "effect", NULL } },
    [INTERVENTION_HOTSPOT_PATROLS] = { NAN, "intervention_patrol_area_day",
                                       { "intensity", "cost_per_unit", NULL } },
    [INTERVENTION_HOUSING_ON_RELEASE] = { NAN, "intervention_release_case",
                                          { "capacity", "cost_per_unit", NULL } },
    /* hazard ratio 0.67 (Justice Data Lab: 19% vs 26% one-year rates ~ HR
     * 0.67 under frailty, MODELS.md § 4) */
    [INTERVENTION_EMPLOYMENT_SUPPORT] = { 0.67, "intervention_employment_place",
                                          { "capacity", "effect", "persistence_days",
                                            "cost_per_unit", NULL } },
    /* hazard ratio 0.85 (assumption) */
    [INTERVENTION_INTENSIVE_SUPERVISION] = { 0.85, "intervention_officer_day",
                                             { "capacity", "effect", "min_previous",
                                               "caseload_per_officer", "cost_per_unit", NULL } },
};

/* Every type's library cost, for model_def.unit_costs. */
static const char *const interventions_unit_costs[] = {
    "intervention_repair_team_day", "intervention_secured_void_week",
    "intervention_patrol_area_day", "intervention_release_case",
    "intervention_employment_place", "intervention_officer_day",
};

enum phase { PHASE_WAITING, PHASE_RUNNING, PHASE_PAUSED, PHASE_NEVER, PHASE_OVER };

typedef struct intervention {
    enum phase phase;
    int64_t start, end;        /* day numbers, inclusive */
    int paused_fy;             /* the financial year a pause lasts to the end of */
    size_t n_covered;          /* areas covered */
    double officers;           /* intensive_supervision: capacity in officers */
    double cost_setup, cost_per_day, cost_per_unit;
} intervention;

typedef struct interventions {
    size_t n;
    intervention *items;
    intervention_view *views;
    uint8_t *masks;            /* n × n_areas */
} interventions;

static int funder_of(const char *name)
{
    for (int b = BEARER_HOUSING; b <= BEARER_HEALTH; b++) {
        if (strcmp(bearer_names[b], name) == 0) return b;
    }
    return FUNDER_POOL;
}

static enum intervention_type type_of(const char *name)
{
    for (int t = 0; t < INTERVENTION_TYPES; t++) {
        if (strcmp(intervention_type_names[t], name) == 0) return (enum intervention_type)t;
    }
    return INTERVENTION_TYPES;
}

static int listed(const char *const *keys, const char *key)
{
    for (size_t i = 0; keys[i]; i++) {
        if (strcmp(keys[i], key) == 0) return 1;
    }
    return 0;
}

/* Whether an intervention of type t takes `key`. */
static int type_takes(enum intervention_type t, const char *key)
{
    return listed(common_keys, key) || (t < INTERVENTION_TYPES && listed(types[t].keys, key));
}

static int interventions_entry_key_applies(const char *list, const scn_node *entry,
                                           const char *key)
{
    if (strcmp(list, "interventions") != 0) return 1;
    const scn_node *type = scn_member(entry, "type");
    if (!type || type->type != SCN_STRING) return 1;
    enum intervention_type t = type_of(type->string_value);
    return t == INTERVENTION_TYPES || type_takes(t, key);
}

/* "capacity and cost_per_unit": what type t takes besides the common keys. */
static void own_keys_text(enum intervention_type t, char *out, size_t outlen)
{
    size_t n = 0, o = 0;
    while (types[t].keys[n]) n++;
    out[0] = '\0';
    for (size_t i = 0; i < n && o < outlen; i++) {
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
                              types[t].keys[i]);
    }
}

/* A key written (by a file or --set, not a default) that its type does not
 * take: most likely meant for another type, and silently unused if
 * accepted. */
static int check_keys(const scn_node *e, const char *name, char *err, size_t errlen)
{
    enum intervention_type t = type_of(scn_member_string(e, "type"));
    if (t == INTERVENTION_TYPES) return 0;
    for (size_t k = 0; k < e->n_children; k++) {
        const scn_node *c = e->children[k];
        if (c->line <= 0 || type_takes(t, c->name)) continue;
        char own[160];
        own_keys_text(t, own, sizeof own);
        snprintf(err, errlen, "%s:%d: interventions.%s.%s: does not apply to %s, which takes %s "
                 "besides name, type, areas, start, end, funder, cost_setup and cost_per_day",
                 c->file, c->line, name, c->name, intervention_type_names[t], own);
        return -1;
    }
    return 0;
}

typedef void (*warning_sink)(void *ctx, const char *text);

/* Keys that are valid but surely not what was meant: a funder with no
 * money, an intervention that costs nothing (its effects free, so a
 * comparison credits it with savings at no cost), an agreement for a pool
 * that a siloed scenario does not have. unit_cost[t] is type t's library
 * cost, or NULL when not known (check: a library cost is taken to be
 * non-zero). */
static void scenario_warnings(const scenario *s, const double *unit_cost, warning_sink sink,
                              void *ctx)
{
    static const char *const holders[] = { "housing", "police", "probation", "prisons",
                                           "council", "health" };
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
                snprintf(text, sizeof text, "%s:%d: interventions.%s.funder: the pool has no "
                         "shares (no holder with a budget has a budgets.pool_share above 0), so "
                         "%s can pay for nothing", funder->file, funder->line, name, name);
                sink(ctx, text);
            }
        } else {
            char budget[64];
            snprintf(budget, sizeof budget, "budgets.%s", who);
            if (scenario_float(s, budget) == 0) {
                snprintf(text, sizeof text, "%s:%d: interventions.%s.funder: %s has no budget "
                         "(%s = 0), so %s can pay for nothing", funder->file, funder->line,
                         name, who, budget, name);
                sink(ctx, text);
            }
        }
        enum intervention_type t = type_of(scn_member_string(e, "type"));
        double unit = scn_member_float(e, "cost_per_unit");
        int unit_free = t == INTERVENTION_TYPES || !types[t].unit_cost ||
                        unit == 0 || (unit == -1 && unit_cost && unit_cost[t] == 0);
        if (scn_member_float(e, "cost_setup") == 0 && scn_member_float(e, "cost_per_day") == 0 &&
            unit_free) {
            snprintf(text, sizeof text, "%s:%d: interventions.%s: costs nothing (no set-up, no "
                     "cost per day%s): its effects come free", e->file, e->line, name,
                     t < INTERVENTION_TYPES && types[t].unit_cost ? ", cost_per_unit 0" : "");
            sink(ctx, text);
        }
    }
    if (!pooled) {
        static const char *const years[] = { "budgets.pool_years.from", "budgets.pool_years.to" };
        for (size_t k = 0; k < 2; k++) {
            const scn_node *n = scenario_find(s, years[k]);
            if (n && n->line > 0) {
                snprintf(text, sizeof text, "%s:%d: %s: ignored: budgets.regime is \"siloed\", "
                         "so there is no pool to agree on", n->file, n->line, years[k]);
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
    scenario_warnings(s, NULL, print_warning, out);
}

/* What the parameter table cannot check: area names, date order, a pool in
 * the pooled regime only, effects in their type's range, keys that the type
 * takes. */
static int interventions_check(const scenario *s, const place *p, char *err, size_t errlen)
{
    const scn_node *list = scenario_find(s, "interventions");
    int pooled = strcmp(scenario_string(s, "budgets.regime"), "pooled") == 0;
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *e = list->children[i];
        const char *name = scn_member_string(e, "name");
        if (check_keys(e, name, err, errlen) != 0) return -1;
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
            snprintf(err, errlen, "%s:%d: interventions.%s.end: %s is before its start",
                     end->file, end->line, name, end->string_value);
            return -1;
        }
        const scn_node *funder = scn_member(e, "funder");
        if (!pooled && strcmp(funder->string_value, "pool") == 0) {
            snprintf(err, errlen, "%s:%d: interventions.%s.funder: \"pool\" needs budgets.regime = "
                     "\"pooled\"", funder->file, funder->line, name);
            return -1;
        }
        enum intervention_type type = type_of(scn_member_string(e, "type"));
        const scn_node *effect = scn_member(e, "effect");
        double v = effect->float_value;
        int bad = 0;
        if (v != -1) {
            if (type == INTERVENTION_FAST_LETTING) bad = v < 0 || v > 1;
            else if (type == INTERVENTION_EMPLOYMENT_SUPPORT ||
                     type == INTERVENTION_INTENSIVE_SUPERVISION) bad = v < 0 || v > 10;
            else if (type == INTERVENTION_VOID_SECURITY) bad = v < 0;
        }
        if (bad) {
            snprintf(err, errlen, "%s:%d: interventions.%s.effect: %g is out of range for %s",
                     effect->file, effect->line, name, v, intervention_type_names[type]);
            return -1;
        }
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
    free(m);
}

static int interventions_create(sim_run *run, void **out)
{
    const scenario *s = sim_scenario(run);
    const place *p = sim_place(run);
    const scn_node *list = scenario_find(s, "interventions");
    interventions *m = calloc(1, sizeof *m);
    if (!m) return sim_fail(run, "out of memory");
    *out = m;
    double type_cost[INTERVENTION_TYPES];
    for (int k = 0; k < INTERVENTION_TYPES; k++) {
        type_cost[k] = types[k].unit_cost ? sim_unit_cost(run, types[k].unit_cost) : 0.0;
        if (isnan(type_cost[k])) return -1;
    }
    scenario_warnings(s, type_cost, run_warning, run);
    m->n = list ? list->n_children : 0;
    size_t n = m->n ? m->n : 1, areas = p->n_areas ? p->n_areas : 1;
    m->items = calloc(n, sizeof *m->items);
    m->views = calloc(n, sizeof *m->views);
    m->masks = calloc(n * areas, sizeof *m->masks);
    if (!m->items || !m->views || !m->masks) return sim_fail(run, "out of memory");

    for (size_t i = 0; i < m->n; i++) {
        const scn_node *e = list->children[i];
        intervention *iv = &m->items[i];
        intervention_view *v = &m->views[i];
        uint8_t *mask = m->masks + i * areas;
        v->name = scn_member_string(e, "name");
        v->type = type_of(scn_member_string(e, "type"));
        v->funder = funder_of(scn_member_string(e, "funder"));
        v->in_area = mask;
        const scn_node *named = scn_member(e, "areas");
        for (size_t a = 0; a < p->n_areas; a++) mask[a] = named->n_children == 0;
        for (size_t k = 0; k < named->n_children; k++) {
            long a = place_area_index(p, named->children[k]->string_value);
            if (a >= 0) mask[a] = 1;
        }
        for (size_t a = 0; a < p->n_areas; a++) iv->n_covered += mask[a];
        v->capacity = scn_member_float(e, "capacity");
        v->intensity = scn_member_float(e, "intensity");
        double effect = scn_member_float(e, "effect");
        v->effect = effect == -1 ? types[v->type].effect : effect;
        v->persistence_days = scn_member_float(e, "persistence_days");
        v->min_previous = scn_member_float(e, "min_previous");
        if (v->type == INTERVENTION_INTENSIVE_SUPERVISION) {
            iv->officers = v->capacity;
            v->capacity *= scn_member_float(e, "caseload_per_officer");
        }
        double unit = scn_member_float(e, "cost_per_unit");
        iv->cost_per_unit = unit != -1 ? unit : type_cost[v->type];
        iv->cost_setup = scn_member_float(e, "cost_setup");
        iv->cost_per_day = scn_member_float(e, "cost_per_day");
        v->cost_per_case = (v->type == INTERVENTION_HOUSING_ON_RELEASE ||
                            v->type == INTERVENTION_EMPLOYMENT_SUPPORT) ? iv->cost_per_unit : 0.0;
        date_parse(scn_member_string(e, "start"), &iv->start);
        date_parse(scn_member_string(e, "end"), &iv->end);
        if (sim_register_intervention(run, v->name, v->funder) != (long)i) return -1;
    }
    shared_state *st = shared_of(run);
    st->interventions = m->n ? m->views : NULL;
    st->n_interventions = m->n;
    return 0;
}

/* The capacity cost of one day while running. */
static double day_cost(const intervention *iv, const intervention_view *v)
{
    double units = 0;
    switch (v->type) {
    case INTERVENTION_REPAIR_TEAMS: units = v->capacity; break;
    case INTERVENTION_VOID_SECURITY: units = v->used / 7.0; break; /* per secured void-week */
    case INTERVENTION_HOTSPOT_PATROLS: units = v->intensity * (double)iv->n_covered; break;
    case INTERVENTION_INTENSIVE_SUPERVISION: units = iv->officers; break;
    case INTERVENTION_FAST_LETTING:
    case INTERVENTION_HOUSING_ON_RELEASE:
    case INTERVENTION_EMPLOYMENT_SUPPORT:
    case INTERVENTION_TYPES: units = 0; break;
    }
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
        if (new_year && v->type == INTERVENTION_HOUSING_ON_RELEASE) v->used = 0;
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

#define TYPE_CHOICES                                                                               \
    "repair_teams|void_security|fast_letting|hotspot_patrols|housing_on_release|"                  \
    "employment_support|intensive_supervision"

const param_spec interventions_params[INTERVENTIONS_N_PARAMS] = {
    { "interventions", PARAM_LIST, "", 0, 0, "()", NULL, "—",
      "named interventions; any number, overlapping in time and place (MODELS.md section 4)" },
    { "interventions.*.name", PARAM_STRING, "", 0, 0, NULL, NULL, "—", "unique name" },
    { "interventions.*.type", PARAM_ENUM, "", 0, 0, NULL, TYPE_CHOICES, "MODELS.md section 4",
      "what it does" },
    { "interventions.*.areas", PARAM_STRINGS, "area names", 0, 0, "[]", NULL, "scenario",
      "areas it covers; empty: all (re-offending types: by the person's home area)" },
    { "interventions.*.start", PARAM_DATE, "date", 0, 0, NULL, NULL, "scenario",
      "first day it acts (set-up is paid then)" },
    { "interventions.*.end", PARAM_DATE, "date", 0, 0, NULL, NULL, "scenario", "last day it acts" },
    { "interventions.*.funder", PARAM_ENUM, "", 0, 0, NULL,
      "housing|police|probation|prisons|council|health|pool", "scenario",
      "who pays: a budget holder, or the pool (pooled regime)" },
    { "interventions.*.capacity", PARAM_FLOAT, "teams | leavers a year | places | officers", 0, 1e6,
      "0", NULL, "scenario",
      "repair_teams: extra teams; housing_on_release: leavers a financial year; "
      "employment_support: places; intensive_supervision: officers" },
    { "interventions.*.intensity", PARAM_FLOAT, "0-1", 0, 1, "1", NULL,
      "MODELS.md section 2: 1 is a full hot-spot dose", "hotspot_patrols: patrol intensity" },
    { "interventions.*.effect", PARAM_FLOAT, "depends on type", -1, 1e6, "-1", NULL,
      "-1: the type's default: void_security 14 days (assumption); fast_letting 0.3 (assumption); "
      "employment_support hazard ratio 0.67 (Justice Data Lab 19% vs 26%); "
      "intensive_supervision hazard ratio 0.85 (assumption)",
      "void_security: secure voids older than this many days; fast_letting: f, delay x (1 - f); "
      "employment_support, intensive_supervision: hazard ratio" },
    { "interventions.*.persistence_days", PARAM_FLOAT, "days", 0, 3650, "365", NULL, "assumption",
      "employment_support: the hazard ratio lasts this long after leaving a place" },
    { "interventions.*.min_previous", PARAM_FLOAT, "proven offences", 0, 1000, "5", NULL,
      "assumption (prolific offenders: MoJ 11+ previous offences re-offend at 47%)",
      "intensive_supervision: eligible from this many previous proven offences" },
    { "interventions.*.caseload_per_officer", PARAM_FLOAT, "people", 1, 1000, "30", NULL,
      "assumption (intensive caseloads well under probation's 50)",
      "intensive_supervision: places per officer" },
    { "interventions.*.cost_setup", PARAM_FLOAT, "GBP", 0, 1e12, "0", NULL, "scenario",
      "paid on its first day; if it cannot be paid the intervention never starts" },
    { "interventions.*.cost_per_day", PARAM_FLOAT, "GBP per day", 0, 1e12, "0", NULL, "scenario",
      "fixed running cost each day it acts" },
    { "interventions.*.cost_per_unit", PARAM_FLOAT, "GBP per unit", -1, 1e12, "-1", NULL,
      "-1: the type's cost in the cost library, at the scenario's price_year: "
      "intervention_repair_team_day, intervention_secured_void_week, "
      "intervention_patrol_area_day, intervention_release_case, intervention_employment_place, "
      "intervention_officer_day (placesim describe costs); a value here is taken as at price_year",
      "repair_teams: per team-day; void_security: per secured void-week; hotspot_patrols: per "
      "area-day at full intensity; housing_on_release, employment_support: per case at intake; "
      "intensive_supervision: per officer-day" },
};

/* One record, one view and one area mask per intervention; no events. */
static void interventions_memory(const scenario *s, const place *p, model_memory *out)
{
    const scn_node *list = scenario_find(s, "interventions");
    double n = list && list->n_children ? (double)list->n_children : 1;
    double areas = (double)(p->n_areas ? p->n_areas : 1);
    memset(out, 0, sizeof *out);
    out->state_bytes = (double)sizeof(interventions) +
                       n * ((double)(sizeof(intervention) + sizeof(intervention_view)) + areas);
}

const model_def interventions_model = {
    .name = "interventions",
    .doc = "Decides which interventions act each day and pays for them from their funder's "
           "budget or the pool (MODELS.md sections 4 and 5); housing, crime and re-offending carry "
           "the effects out.\n\n"
           "  TYPES (the keys each takes; all take name, type, areas, start, end, funder, "
           "cost_setup, cost_per_day, and all but fast_letting cost_per_unit; a key a type does "
           "not take is refused)\n"
           "    repair_teams            capacity = extra teams for its areas; their work is not "
           "charged as demand; unit = team-day of capacity, paid daily\n"
           "    void_security           effect = secure voids older than N days (14); damage "
           "hazard / secured_divisor, blight weight secured_blight_weight; unit = secured "
           "void-week, paid daily\n"
           "    fast_letting            effect = f (0.3): letting delay x (1 - f); per day only\n"
           "    hotspot_patrols         intensity (0-1) added to the areas' patrol intensity, "
           "capped at 1; unit = area-day at full intensity, paid daily\n"
           "    housing_on_release      capacity = leavers a financial year given a ready social "
           "let and settled; unit = case, paid at intake\n"
           "    employment_support      capacity = places at the start of supervision; effect = "
           "hazard ratio (0.67) while enrolled and persistence_days after; unit = place, paid at "
           "intake\n"
           "    intensive_supervision   capacity = officers (x caseload_per_officer places) for "
           "people with >= min_previous proven offences; effect = hazard ratio (0.85); unit = "
           "officer-day, paid daily\n"
           "  Capacity paid daily pauses to the next financial year when its funder is empty; "
           "cases that do not fit are refused; a set-up that cannot be paid stops the "
           "intervention from starting.",
    .params = interventions_params,
    .n_params = INTERVENTIONS_N_PARAMS,
    .check = interventions_check,
    .create = interventions_create,
    .destroy = interventions_destroy,
    .prepare_day = interventions_prepare_day,
    .unit_costs = interventions_unit_costs,
    .n_unit_costs = sizeof interventions_unit_costs / sizeof interventions_unit_costs[0],
    .memory = interventions_memory,
    .check_notes = interventions_check_notes,
    .entry_key_applies = interventions_entry_key_applies,
};
