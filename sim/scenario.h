/* scenario.h — scenario files: parameter tables, loading, composition,
 * validation and resolved values.
 *
 * A parameter table (param_spec[]) is the single source of truth for every
 * scenario key: name, type, unit, range, default, source. The loader reads a
 * libconfig 1.5 file, follows `base = "relative/path.cfg";` recursively (the
 * base first, this file on top: groups merge key by key, lists and arrays are
 * replaced whole; `name` is never inherited), applies `--set key.path=value`
 * overrides, validates everything against the tables and fills defaults. Each
 * resolved value remembers the file and line that set it. */
#ifndef PLACESIM_SCENARIO_H
#define PLACESIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum param_type {
    PARAM_INT,   /* integer literal */
    PARAM_FLOAT, /* number; an integer literal is accepted */
    PARAM_BOOL,
    PARAM_STRING,
    PARAM_ENUM,    /* a string among `choices` */
    PARAM_DATE,    /* a string "YYYY-MM-DD" */
    PARAM_STRINGS, /* an array of strings: ["a", "b"] */
    PARAM_GROUP,   /* a group { … } whose members have their own specs */
    PARAM_LIST     /* a list ( {…}, {…} ) of groups, each with a unique
                      string member `name`; members are specified as
                      "<list path>.*.<member>" */
} param_type;

typedef struct param_spec {
    const char *path; /* dotted key, e.g. "budgets.pool_share.police",
                                  "areas.*.population" */
    param_type type;
    const char *unit;          /* e.g. "per dwelling-year", "days", "GBP"; "" if none */
    double min, max;           /* inclusive bounds for INT and FLOAT */
    const char *default_value; /* default as text ("0.06", "true", "lognormal",
                                  "2025-04-01", "[]"); NULL: required key
                                  (list members: required in each entry) */
    const char *choices;       /* ENUM: "fifo|longest_void_first|target_areas_first" */
    const char *source;        /* where the default comes from, or "assumption" */
    const char *doc;           /* one line: what it is */
} param_spec;

typedef struct param_table {
    const char *owner; /* "engine", or a model's name */
    const param_spec *specs;
    size_t n_specs; /* from the array's size, never written by hand */
} param_table;

/* One row of a parameter table per type: each macro takes the fields its
 * type uses, in the order of param_spec, and leaves the rest zero (min and
 * max outside INT and FLOAT, choices outside ENUM) or "" (the unit of types
 * that have none), so that a row says what it is and no field hides in a
 * positional tuple. `default_` is text, NULL for a required key; a group's
 * or a list's default is "" (or "()") when it may be left out. */
#define PARAM_ROW_(path_, type_, unit_, min_, max_, default_, choices_, source_, doc_)             \
    {                                                                                              \
        .path = (path_), .type = (type_), .unit = (unit_), .min = (min_), .max = (max_),           \
        .default_value = (default_), .choices = (choices_), .source = (source_), .doc = (doc_)     \
    }
#define PARAM_INT_ROW(path_, unit_, min_, max_, default_, source_, doc_)                           \
    PARAM_ROW_(path_, PARAM_INT, unit_, min_, max_, default_, NULL, source_, doc_)
#define PARAM_FLOAT_ROW(path_, unit_, min_, max_, default_, source_, doc_)                         \
    PARAM_ROW_(path_, PARAM_FLOAT, unit_, min_, max_, default_, NULL, source_, doc_)
#define PARAM_BOOL_ROW(path_, default_, source_, doc_)                                             \
    PARAM_ROW_(path_, PARAM_BOOL, "", 0, 0, default_, NULL, source_, doc_)
#define PARAM_STRING_ROW(path_, unit_, default_, source_, doc_)                                    \
    PARAM_ROW_(path_, PARAM_STRING, unit_, 0, 0, default_, NULL, source_, doc_)
#define PARAM_ENUM_ROW(path_, default_, choices_, source_, doc_)                                   \
    PARAM_ROW_(path_, PARAM_ENUM, "", 0, 0, default_, choices_, source_, doc_)
#define PARAM_DATE_ROW(path_, unit_, default_, source_, doc_)                                      \
    PARAM_ROW_(path_, PARAM_DATE, unit_, 0, 0, default_, NULL, source_, doc_)
#define PARAM_STRINGS_ROW(path_, unit_, default_, source_, doc_)                                   \
    PARAM_ROW_(path_, PARAM_STRINGS, unit_, 0, 0, default_, NULL, source_, doc_)
#define PARAM_GROUP_ROW(path_, default_, source_, doc_)                                            \
    PARAM_ROW_(path_, PARAM_GROUP, "", 0, 0, default_, NULL, source_, doc_)
#define PARAM_LIST_ROW(path_, default_, source_, doc_)                                             \
    PARAM_ROW_(path_, PARAM_LIST, "", 0, 0, default_, NULL, source_, doc_)

/* A param_table of a static array of rows, counted by the compiler. */
#define PARAM_TABLE(owner_, specs_)                                                                \
    {                                                                                              \
        .owner = (owner_), .specs = (specs_), .n_specs = sizeof(specs_) / sizeof(specs_)[0]        \
    }

typedef enum scn_type {
    SCN_GROUP,
    SCN_LIST,
    SCN_ARRAY,
    SCN_INT,
    SCN_FLOAT,
    SCN_BOOL,
    SCN_STRING
} scn_type;

typedef struct scn_node scn_node;
struct scn_node {
    char *name; /* key; NULL for list and array elements */
    scn_type type;
    int64_t int_value;   /* SCN_INT, and SCN_BOOL (0/1) */
    double float_value;  /* SCN_FLOAT; for SCN_INT also set to the value */
    char *string_value;  /* SCN_STRING */
    scn_node **children; /* GROUP members in key order of first setting,
                              LIST/ARRAY elements in order */
    size_t n_children;
    const char *file; /* file that set the value, named as on the command
                              line (a base: its directory joined to the path);
                              "--set" for an override; "default" for a default */
    int line;         /* that file's line; N for the N-th --set (1-based);
                              0 for a default */
};

typedef struct scenario scenario;

/* Loads `path` against the given tables, applies the n_overrides strings
 * "key.path=value" (values in libconfig syntax; a bare word is taken as a
 * string for STRING, ENUM and DATE keys), validates and resolves.
 *
 * Returns 0 and a scenario the caller frees with scenario_free, or -1 and
 * *out = NULL with every error found written to err (at most errlen bytes,
 * NUL-terminated), one per line, each of the form
 *     FILE:LINE: key.path: what is wrong
 * (--set errors as "--set:N: key.path: what is wrong"). See the golden files
 * in tests/data/ for the exact wording of each kind of error. */
int scenario_load(const char *path, const param_table *tables, size_t n_tables,
                  const char *const *overrides, size_t n_overrides, scenario **out, char *err,
                  size_t errlen);

/* scenario_load for a file that a setting of another file names (a cost
 * library named by `cost_library`): when the file cannot be read, or is
 * the other kind of file, the error is reported at that setting,
 * "NAMED_FILE:NAMED_LINE: NAMED_KEY: cannot read "PATH": reason", as for a
 * base. named_file NULL: exactly scenario_load. */
int scenario_load_named(const char *path, const char *named_file, int named_line,
                        const char *named_key, const param_table *tables, size_t n_tables,
                        const char *const *overrides, size_t n_overrides, scenario **out, char *err,
                        size_t errlen);

/* Reads `path` and its chain of bases exactly as scenario_load does (the
 * guard's limits, @include rules, `base` composition, provenance, the same
 * error lines) but checks nothing against the tables beyond the kind of
 * file (tables[0].owner names the kind: a scenario given where a sweep file
 * is expected is refused in one line), and takes no overrides. For files
 * that check their own keys (sweep files, sweep_file.c). Same returns as
 * scenario_load; the getters that abort on a missing key must not be used
 * on the result: walk scenario_root and scenario_find instead. */
int scenario_load_composed(const char *path, const param_table *tables, size_t n_tables,
                           scenario **out, char *err, size_t errlen);

/* Unit-cost overrides: `--set costs.NAME=VALUE` given to scenario_load of
 * a scenario (whose tables hold no key `costs`) is not a scenario key; it is
 * kept with the scenario and applied to the cost library the scenario names
 * (cost_library_for_scenario calls this): that cost's `value`, in its own
 * price year, becomes VALUE, checked as the library's own values are
 * (costs.*.value of the library's table). lib is the library loaded as a
 * scenario; from is the scenario. 0, or -1 with one
 * "--set:N: costs.NAME: what is wrong" line per bad override in err (an
 * unknown cost is named with the nearest cost's name); "PATH: out of
 * memory" when allocation fails. */
int scenario_apply_cost_overrides(scenario *lib, const scenario *from, char *err, size_t errlen);

/* How many unit-cost overrides scenario s was loaded with. */
size_t scenario_cost_override_count(const scenario *s);

void scenario_free(scenario *s);

/* Appends one error line "FILE:LINE: message" (line < 0: "FILE: message")
 * to the NUL-terminated err of errlen bytes, after a newline when err is
 * not empty: the form every loader and check reports in. Text that does
 * not fit is cut. */
void scenario_error_append(char *err, size_t errlen, const char *file, int line, const char *fmt,
                           ...) __attribute__((format(printf, 5, 6)));

/* The scenario's `name`: the top file's own `name` key, else the file's base
 * name without directory or ".cfg". */
const char *scenario_name(const scenario *s);

/* The path given to scenario_load. */
const char *scenario_path(const scenario *s);

/* The resolved root group. */
const scn_node *scenario_root(const scenario *s);

/* Node at a dotted path in the resolved tree (entries of named lists by name:
 * "areas.Northgate.deprivation"); NULL if absent. */
const scn_node *scenario_find(const scenario *s, const char *path);

/* Values at a path that the tables declare. After a successful load every
 * declared key has a value (its default if unset), so these cannot fail for a
 * declared path; an undeclared path is a programming error and aborts with a
 * message naming it. */
int64_t scenario_int(const scenario *s, const char *path);
double scenario_float(const scenario *s, const char *path); /* INT or FLOAT */
int scenario_bool(const scenario *s, const char *path);
const char *scenario_string(const scenario *s, const char *path); /* STRING, ENUM, DATE */
int64_t scenario_date(const scenario *s, const char *path);       /* day number */

/* Members of a group node (e.g. one entry of a list); same contract. */
const scn_node *scn_member(const scn_node *group, const char *name);
int64_t scn_member_int(const scn_node *group, const char *name);
double scn_member_float(const scn_node *group, const char *name);
const char *scn_member_string(const scn_node *group, const char *name);

/* Writes the resolved scenario, one "key.path = value;  # FILE:LINE" line per
 * value, in table order (list entries by name). Used by `placesim check`. */
void scenario_print(const scenario *s, FILE *out);

/* Writes the resolved values as a JSON object, key path → {"value": …,
 * "file": "…", "line": N}, indented by `indent` spaces. For manifest.json. */
void scenario_write_json(const scenario *s, FILE *out, int indent);

/* Canonical text of the resolved values (what scenario_print writes, without
 * provenance): the input of the manifest's content hash. Caller frees. */
char *scenario_canonical_text(const scenario *s);

/* Writes a table's parameters for `placesim describe`: path, type, unit,
 * range or choices, default, source, doc. */
void param_table_describe(const param_table *table, FILE *out);

/* The valid key nearest to `key` by edit distance among the tables' paths
 * (list members as spelt in the table), or NULL when none is close. */
const char *param_nearest_key(const param_table *tables, size_t n_tables, const char *key);

#endif
