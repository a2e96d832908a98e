/* costs.c — the cost library: loading, checks, rebasing, description. */
#include "costs.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifndef PLACESIM_DEFAULT_COSTS
#define PLACESIM_DEFAULT_COSTS "scenarios/costs/default.cfg"
#endif

static const param_spec cost_specs[] = {
    PARAM_LIST_ROW("deflator", NULL, "—",
                   "GDP deflator: one index per financial year, any base year"),
    PARAM_STRING_ROW("deflator.*.name", "financial year", NULL, "—", "the year, \"YYYY/YY\""),
    PARAM_FLOAT_ROW("deflator.*.index", "index", 1e-9, 1e9, NULL, "cost file",
                    "the deflator's value for the year"),
    PARAM_STRING_ROW("deflator_release", "", NULL, "cost file",
                     "the published release the deflator is from: publisher, title, date, URL"),
    PARAM_STRING_ROW("deflator_source", "", NULL, "cost file",
                     "how the series was read: the release's own table, or which copy of it"),
    PARAM_ENUM_ROW("deflator_grade", NULL, "A|B|C", "cost file",
                   "A read from the release's own table, B from a secondary copy, C "
                   "reconstructed or not confirmed"),
    PARAM_LIST_ROW("costs", NULL, "—", "unit costs"),
    PARAM_STRING_ROW("costs.*.name", "", NULL, "—",
                     "the name models ask for (model_def.unit_costs, intervention_type.unit_cost)"),
    PARAM_FLOAT_ROW("costs.*.value", "GBP per unit at price_year", 0, 1e12, NULL, "cost file",
                    "the unit cost"),
    PARAM_STRING_ROW("costs.*.unit", "", NULL, "cost file", "what one unit is"),
    PARAM_STRING_ROW("costs.*.price_year", "financial year", NULL, "cost file",
                     "the prices the value is in, \"YYYY/YY\""),
    PARAM_ENUM_ROW("costs.*.grade", NULL, "A|B|C", "cost file",
                   "A confirmed, B secondary, C assumption"),
    PARAM_STRING_ROW("costs.*.source", "", NULL, "cost file", "where the value comes from"),
};

static const param_table cost_table = { "costs", cost_specs,
                                        sizeof cost_specs / sizeof cost_specs[0] };

struct cost_library {
    scenario *scn; /* the loaded file; owns every string below */
    cost_entry *entries;
    size_t n;
    const char **years; /* the deflator, in file order */
    double *index;
    size_t n_years;
    cost_deflator_provenance deflator;
};

/* Appends one line to err (which always stays NUL-terminated). */
static void add_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_error(char *err, size_t errlen, const char *fmt, ...)
{
    size_t used = strnlen(err, errlen);
    if (used + 1 >= errlen) return;
    if (used > 0) {
        err[used++] = '\n';
        err[used] = '\0';
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, errlen - used, fmt, ap);
    va_end(ap);
}

/* "YYYY/YY" where YY is the year after YYYY: the form of a UK financial
 * year, so that "2022/23" and "2022-23" cannot both name one year. */
static int financial_year_form(const char *y)
{
    if (strlen(y) != 7 || y[4] != '/') return 0;
    for (int i = 0; i < 7; i++) {
        if (i != 4 && !isdigit((unsigned char)y[i])) return 0;
    }
    int first = atoi(y) % 100, second = atoi(y + 5);
    return second == (first + 1) % 100;
}

double cost_library_index(const cost_library *lib, const char *price_year)
{
    for (size_t i = 0; i < lib->n_years; i++) {
        if (strcmp(lib->years[i], price_year) == 0) return lib->index[i];
    }
    return 0;
}

/* Checks the years and fills the tables; 0, or -1 with errors in err. */
static int build(cost_library *lib, char *err, size_t errlen)
{
    const scn_node *deflator = scenario_find(lib->scn, "deflator");
    const scn_node *costs = scenario_find(lib->scn, "costs");
    lib->n_years = deflator->n_children;
    lib->n = costs->n_children;
    lib->deflator.release = scenario_string(lib->scn, "deflator_release");
    lib->deflator.source = scenario_string(lib->scn, "deflator_source");
    lib->deflator.grade = scenario_string(lib->scn, "deflator_grade");
    lib->years = calloc(lib->n_years ? lib->n_years : 1, sizeof *lib->years);
    lib->index = calloc(lib->n_years ? lib->n_years : 1, sizeof *lib->index);
    lib->entries = calloc(lib->n ? lib->n : 1, sizeof *lib->entries);
    if (!lib->years || !lib->index || !lib->entries) {
        add_error(err, errlen, "%s: out of memory", scenario_path(lib->scn));
        return -1;
    }
    int status = 0;
    for (size_t i = 0; i < lib->n_years; i++) {
        const scn_node *name = scn_member(deflator->children[i], "name");
        lib->years[i] = name->string_value;
        lib->index[i] = scn_member_float(deflator->children[i], "index");
        if (!financial_year_form(name->string_value)) {
            add_error(err, errlen, "%s:%d: deflator.%s: \"%s\" is not a financial year YYYY/YY",
                      name->file, name->line, name->string_value, name->string_value);
            status = -1;
        }
    }
    for (size_t i = 0; i < lib->n; i++) {
        const scn_node *c = costs->children[i];
        cost_entry *e = &lib->entries[i];
        e->name = scn_member_string(c, "name");
        e->value = scn_member_float(c, "value");
        e->unit = scn_member_string(c, "unit");
        e->price_year = scn_member_string(c, "price_year");
        e->grade = scn_member_string(c, "grade");
        e->source = scn_member_string(c, "source");
        e->price_index = cost_library_index(lib, e->price_year);
        const scn_node *year = scn_member(c, "price_year");
        if (!financial_year_form(e->price_year)) {
            add_error(err, errlen,
                      "%s:%d: costs.%s.price_year: \"%s\" is not a financial year "
                      "YYYY/YY",
                      year->file, year->line, e->name, e->price_year);
            status = -1;
        } else if (e->price_index == 0) {
            add_error(err, errlen,
                      "%s:%d: costs.%s.price_year: \"%s\" is not in the deflator table", year->file,
                      year->line, e->name, e->price_year);
            status = -1;
        }
    }
    return status;
}

/* Loads the library at path; named (a scenario's cost_library setting, or
 * NULL) is where problems with the file as a whole are reported; the unit
 * costs that scenario `from` (or NULL) overrides with --set costs.NAME=value
 * are applied before the entries are read. */
static int load(const char *path, const scn_node *named, const scenario *from, cost_library **out,
                char *err, size_t errlen)
{
    *out = NULL;
    if (errlen) err[0] = '\0';
    cost_library *lib = calloc(1, sizeof *lib);
    if (!lib) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (scenario_load_named(path, named ? named->file : NULL, named ? named->line : 0,
                            "cost_library", &cost_table, 1, NULL, 0, &lib->scn, err, errlen) != 0 ||
        (from && scenario_apply_cost_overrides(lib->scn, from, err, errlen) != 0) ||
        build(lib, err, errlen) != 0) {
        cost_library_free(lib);
        return -1;
    }
    *out = lib;
    return 0;
}

int cost_library_load(const char *path, cost_library **out, char *err, size_t errlen)
{
    return load(path, NULL, NULL, out, err, errlen);
}

void cost_library_free(cost_library *lib)
{
    if (!lib) return;
    free(lib->entries);
    free(lib->years);
    free(lib->index);
    if (lib->scn) scenario_free(lib->scn);
    free(lib);
}

/* The path of the library `s` names: as base paths are, relative to the
 * directory of the file that set it (an --set value: to the working
 * directory). Caller frees; NULL when out of memory. */
static char *library_path(const scenario *s)
{
    const scn_node *n = scenario_find(s, "cost_library");
    const char *rel = n->string_value;
    if (rel[0] == '\0') return strdup(PLACESIM_DEFAULT_COSTS);
    const char *slash = strrchr(n->file, '/');
    size_t dir = rel[0] == '/' || n->line == 0 || strcmp(n->file, "--set") == 0 || !slash
                     ? 0
                     : (size_t)(slash - n->file) + 1;
    char *path = malloc(dir + strlen(rel) + 1);
    if (!path) return NULL;
    memcpy(path, n->file, dir);
    strcpy(path + dir, rel);
    return path;
}

int cost_library_for_scenario(const scenario *s, cost_library **out, char *err, size_t errlen)
{
    *out = NULL;
    char *path = library_path(s);
    if (!path) {
        snprintf(err, errlen, "%s: out of memory", scenario_path(s));
        return -1;
    }
    /* A library that cannot be read (or is a scenario) is the fault of the
     * setting that names it, and is reported there; the default library
     * is named by no line. */
    const scn_node *named = scenario_find(s, "cost_library");
    cost_library *lib;
    int status = load(path, named->line > 0 ? named : NULL, s, &lib, err, errlen);
    free(path);
    if (status != 0) return -1;
    const scn_node *year = scenario_find(s, "price_year");
    if (!financial_year_form(year->string_value)) {
        snprintf(err, errlen, "%s:%d: price_year: \"%s\" is not a financial year YYYY/YY",
                 year->file, year->line, year->string_value);
        cost_library_free(lib);
        return -1;
    }
    if (cost_library_index(lib, year->string_value) == 0) {
        snprintf(err, errlen, "%s:%d: price_year: \"%s\" is not in the deflator table of %s",
                 year->file, year->line, year->string_value, scenario_path(lib->scn));
        cost_library_free(lib);
        return -1;
    }
    *out = lib;
    return 0;
}

int cost_library_check_needed(const cost_library *lib, const cost_need *needs, size_t n_needs,
                              char *err, size_t errlen)
{
    if (errlen) err[0] = '\0';
    int status = 0;
    for (size_t i = 0; i < n_needs; i++) {
        if (cost_library_find(lib, needs[i].name)) continue;
        add_error(err, errlen, "%s: costs: \"%s\" is missing (needed by model %s)",
                  scenario_path(lib->scn), needs[i].name, needs[i].needed_by);
        status = -1;
    }
    return status;
}

const char *cost_library_path(const cost_library *lib) { return scenario_path(lib->scn); }
const cost_deflator_provenance *cost_library_deflator(const cost_library *lib)
{
    return &lib->deflator;
}
size_t cost_library_count(const cost_library *lib) { return lib->n; }
const cost_entry *cost_library_entry(const cost_library *lib, size_t i) { return &lib->entries[i]; }

const cost_entry *cost_library_find(const cost_library *lib, const char *name)
{
    for (size_t i = 0; i < lib->n; i++) {
        if (strcmp(lib->entries[i].name, name) == 0) return &lib->entries[i];
    }
    return NULL;
}

double cost_rebased(const cost_library *lib, const cost_entry *e, const char *year)
{
    double target = cost_library_index(lib, year);
    if (target == 0 || e->price_index == 0) return NAN;
    /* The ratio first, so that a cost already at the target year keeps its
     * value bit for bit. */
    return e->value * (target / e->price_index);
}

char *cost_library_canonical_text(const cost_library *lib)
{
    return scenario_canonical_text(lib->scn);
}

void cost_library_describe(const cost_library *lib, const char *year, FILE *out)
{
    fprintf(out, "cost library: %s\n", cost_library_path(lib));
    fprintf(out, "deflator: %zu financial years", lib->n_years);
    if (lib->n_years) fprintf(out, ", %s to %s", lib->years[0], lib->years[lib->n_years - 1]);
    fprintf(out, ", grade %s; values rebased to %s (the default price_year)\n", lib->deflator.grade,
            year);
    fprintf(out, "  release: %s\n  source: %s\n", lib->deflator.release, lib->deflator.source);
    for (size_t i = 0; i < lib->n; i++) {
        const cost_entry *e = &lib->entries[i];
        fprintf(out, "\n%s\n  %.2f %s, %s prices, grade %s; at %s prices: %.2f\n  source: %s\n",
                e->name, e->value, e->unit, e->price_year, e->grade, year,
                cost_rebased(lib, e, year), e->source);
    }
}
