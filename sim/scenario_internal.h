/* scenario_internal.h — what the scenario*.c files share: the node tree, the
 * state of one load (interned file names, collected errors) and the walks over
 * the parameter tables. Not a public API: include scenario.h instead. */
#ifndef PLACESIM_SCENARIO_INTERNAL_H
#define PLACESIM_SCENARIO_INTERNAL_H

#include <libconfig.h>
#include <stdarg.h>

#include "scenario.h"

/* Provenance of values that did not come from a file. */
#define SCN_FILE_SET     "--set"
#define SCN_FILE_DEFAULT "default"

/* A growable string. On allocation failure `failed` is set and later appends
 * are ignored, so callers check once at the end. */
typedef struct scn_buf {
    char *text;
    size_t len, cap;
    int failed;
} scn_buf;

/* Appends formatted text to b. */
void scn_buf_printf(scn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends s as a double-quoted string in libconfig syntax (json != 0: JSON). */
void scn_buf_quoted(scn_buf *b, const char *s, int json);

/* Takes the text out of b (caller frees; NULL if an append failed) and
 * resets b. */
char *scn_buf_take(scn_buf *b);

void scn_buf_free(scn_buf *b);

/* Writes the shortest "%.{15,16,17}g" form of v that reads back as v into
 * buf (32 bytes); as_float adds ".0" to integral values so the text stays a
 * float in libconfig and JSON readers that distinguish. */
void scn_format_number(double v, int as_float, char buf[32]);

/* A --set of a unit cost, "costs.<name>=value": the scenario's tables do not
 * hold unit costs, so it is kept aside for cost_library_for_scenario, which
 * applies it to the library the scenario names. */
typedef struct scn_cost_set {
    char *name;  /* the cost's name (after "costs.") */
    char *value; /* the value text as given, trimmed */
    int n;       /* the N-th --set (1-based), for messages */
} scn_cost_set;

typedef struct scn_error {
    char *file; /* for ordering (a copy) */
    int line;
    size_t seq; /* order found, to keep the sort stable */
    char *text; /* the whole line, without newline */
} scn_error;

/* One call of scenario_load. */
typedef struct scn_load {
    const param_table *tables;
    size_t n_tables;
    char **files; /* interned file names, in the order first met, which
                          is composition order: a base before its includer */
    size_t n_files, cap_files;
    scn_error *errors;
    size_t n_errors, cap_errors;
    int oom;                 /* an allocation failed: the load fails */
    int incomplete;          /* a base could not be read: "missing" errors would
                          only repeat that, so they are not reported */
    scn_cost_set *cost_sets; /* --set costs.<name>=value, in order */
    size_t n_cost_sets;
} scn_load;

struct scenario {
    scn_node *root;
    char *path;
    char *default_name;  /* path's base name without ".cfg" */
    param_table *tables; /* copies of the table headers given to load */
    size_t n_tables;
    char **files; /* interned file names the nodes point into */
    size_t n_files;
    scn_cost_set *cost_sets; /* unit-cost overrides (scn_load's, moved) */
    size_t n_cost_sets;
};

/* The interned copy of a file name (same pointer for equal names), or NULL
 * when out of memory. */
const char *scn_intern(scn_load *ld, const char *file);

/* Records "FILE:LINE: " + message (line < 0: "FILE: " + message). */
void scn_error_add(scn_load *ld, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* --- nodes (scenario_tree.c) ------------------------------------------- */

/* A new node with a copy of name (may be NULL); NULL when out of memory. */
scn_node *scn_node_new(const char *name, scn_type type, const char *file, int line);

void scn_node_free(scn_node *n);

/* Appends child to parent, taking ownership. Returns 0, or -1 (child freed)
 * when out of memory. */
int scn_node_append(scn_node *parent, scn_node *child);

/* Group member by key, or NULL. */
scn_node *scn_node_child(const scn_node *group, const char *name);

/* Removes and frees the member `name` of group if present. */
void scn_node_remove(scn_node *group, const char *name);

/* Puts src on top of dst (both groups), taking ownership of src: groups merge
 * key by key, anything else replaces the old value in its old position.
 * Returns 0 or -1 when out of memory. */
int scn_node_merge(scn_node *dst, scn_node *src);

/* The string `name` member of a list entry, or NULL. */
const char *scn_entry_name(const scn_node *entry);

/* The entry of a list whose name is the longest prefix of `rest` that ends at
 * a '.' or at the end of rest (names may contain dots); *used gets the length
 * of that name. NULL when no entry matches. */
scn_node *scn_list_match(const scn_node *list, const char *rest, size_t *used);

/* Converts a libconfig setting (recursively). File names are interned; a
 * setting from an @include'd fragment is named relative to `dir` (the
 * including file's directory, "" if none). With force_file set, every node
 * gets force_file and force_line instead (overrides). NULL when out of
 * memory. */
scn_node *scn_from_setting(scn_load *ld, const config_setting_t *s, const char *dir,
                           const char *force_file, int force_line);

/* Parses text as one libconfig value ("0.5", "\"a\"", "[\"a\", \"b\"]", "()")
 * into a node named name, every node with the given file and line. Returns
 * NULL with a reason in why when it does not parse (or when out of memory:
 * ld->oom is then set). */
scn_node *scn_parse_value(scn_load *ld, const char *name, const char *text, const char *file,
                          int line, char *why, size_t whylen);

/* The node at a dotted path, entries of lists by name; NULL if absent. */
scn_node *scn_node_find(const scn_node *root, const char *path);

/* --- overrides (scenario_override.c) ----------------------------------- */

/* Applies override text ov ("key.path=value"), the n-th (1-based), to root;
 * problems with the key or the text are recorded in ld, and the value is
 * left for scn_validate to check. */
void scn_apply_override(scn_load *ld, scn_node *root, const char *ov, int n);

void scn_cost_sets_free(scn_cost_set *sets, size_t n);

/* Appends one line per unit-cost override of s to b, as scenario_print
 * writes values: "costs.NAME = VALUE;" and, with provenance, "  # --set:N". */
void scn_cost_sets_text(scn_buf *b, const scenario *s, int provenance);

/* --- tables and validation (scenario_validate.c) ------------------------ */

/* The spec whose path is exactly `pattern` ("areas.*.population"), or NULL. */
const param_spec *scn_spec_find(const param_table *tables, size_t n_tables, const char *pattern);

/* The nearest valid key to `pattern` (list entries as "*"), rewritten so that
 * its first len(pattern_prefix) characters read display_prefix instead;
 * malloc'd, or NULL when none is close. */
char *scn_nearest_display(const param_table *tables, size_t n_tables, const char *pattern,
                          const char *pattern_prefix, const char *display_prefix);

/* Checks the whole tree against the tables, recording every error in ld, and
 * fills defaults; FLOAT keys given an integer become floats. */
void scn_validate(scn_load *ld, scn_node *root, const char *top_file);

/* Describes a node's type for messages: "an integer", "a string", … */
const char *scn_type_phrase(const scn_node *n);

#endif
