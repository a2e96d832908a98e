/* scenario_validate.c — checks a composed tree against the parameter tables,
 * fills defaults, and finds the nearest valid key for a misspelling. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "scenario_internal.h"
#include "utf8.h"

const param_spec *scn_spec_find(const param_table *tables, size_t n_tables, const char *pattern)
{
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n_specs; i++)
            if (strcmp(tables[t].specs[i].path, pattern) == 0) return &tables[t].specs[i];
    return NULL;
}

/* --- nearest key -------------------------------------------------------- */

/* The edit distance of a and b if it is below `cutoff`, else cutoff (any
   distance from cutoff up is as far as a caller cares). Only cells within
   cutoff - 1 of the diagonal can hold less than cutoff, so only those are
   computed, and a row that holds nothing below cutoff ends the search:
   rejecting a far key costs O(cutoff x length), not O(length^2), which
   matters when a file holds many unknown keys. row has lb + 1 cells. */
static size_t levenshtein_below(const char *a, size_t la, const char *b, size_t lb, size_t cutoff,
                                size_t *row)
{
    if ((la > lb ? la - lb : lb - la) >= cutoff) return cutoff;
    for (size_t j = 0; j <= lb; j++) row[j] = j < cutoff ? j : cutoff;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i >= cutoff ? i - cutoff + 1 : 1;
        size_t hi = i + cutoff - 1 < lb ? i + cutoff - 1 : lb;
        size_t diag = row[lo - 1];
        row[lo - 1] = lo == 1 ? (i < cutoff ? i : cutoff) : cutoff;
        size_t best = row[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v) v = up + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            if (v > cutoff) v = cutoff;
            row[j] = v;
            diag = up;
            if (v < best) best = v;
        }
        if (hi < lb) row[hi + 1] = cutoff;
        if (best >= cutoff) return cutoff;
    }
    return row[lb];
}

const char *param_nearest_key(const param_table *tables, size_t n_tables, const char *key)
{
    /* "Close" scales with the last segment, the part a typo is usually in: a
       distance over the whole path would let a long shared prefix make any
       unknown member "close" to every sibling. */
    const char *last = strrchr(key, '.');
    size_t seg = strlen(last ? last + 1 : key);
    size_t limit = (seg + 2) / 3;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;

    size_t longest = 0;
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n_specs; i++)
            if (strlen(tables[t].specs[i].path) > longest)
                longest = strlen(tables[t].specs[i].path);
    size_t *row = malloc((longest + 1) * sizeof *row);
    if (!row) return NULL;
    const char *best = NULL;
    size_t best_d = limit + 1, lk = strlen(key);
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n_specs; i++) {
            const char *path = tables[t].specs[i].path;
            size_t d = levenshtein_below(key, lk, path, strlen(path), best_d, row);
            if (d < best_d && d > 0) {
                best = path;
                best_d = d;
            }
        }
    free(row);
    return best;
}

char *scn_nearest_display(const param_table *tables, size_t n_tables, const char *pattern,
                          const char *pattern_prefix, const char *display_prefix)
{
    const char *near = param_nearest_key(tables, n_tables, pattern);
    if (!near) return NULL;
    size_t lp = strlen(pattern_prefix);
    scn_buf b = { 0 };
    if (lp && strncmp(near, pattern_prefix, lp) == 0)
        scn_buf_printf(&b, "%s%s", display_prefix, near + lp);
    else
        scn_buf_printf(&b, "%s", near);
    return scn_buf_take(&b);
}

/* --- checks ------------------------------------------------------------- */

/* Checking stops after this many errors. A file within the loader's limits
   can still hold millions of mistakes (every entry of a long list missing
   its keys), and finding, wording and sorting each costs microseconds: 1.4
   million empty entries took 28 s. Nobody reads past the first screenful;
   a last error says that checking stopped. */
#define MAX_ERRORS 1000

static int enough_errors(const scn_load *ld) { return ld->n_errors >= MAX_ERRORS; }

const char *scn_type_phrase(const scn_node *n)
{
    switch (n->type) {
    case SCN_GROUP: return "a group";
    case SCN_LIST: return "a list";
    case SCN_ARRAY: return "an array";
    case SCN_INT: return "an integer";
    case SCN_FLOAT: return "a float";
    case SCN_BOOL: return "a boolean";
    case SCN_STRING: return "a string";
    }
    return "a value";
}

static const char *expected_phrase(param_type t)
{
    switch (t) {
    case PARAM_INT: return "an integer";
    case PARAM_FLOAT: return "a number";
    case PARAM_BOOL: return "true or false";
    case PARAM_STRING: return "a string";
    case PARAM_ENUM: return "a string";
    case PARAM_DATE: return "a date string \"YYYY-MM-DD\"";
    case PARAM_STRINGS: return "an array of strings";
    case PARAM_GROUP: return "a group { ... }";
    case PARAM_LIST: return "a list of groups ( { ... }, ... )";
    }
    return "a value";
}

static char *join(const char *prefix, const char *name)
{
    scn_buf b = { 0 };
    scn_buf_printf(&b, "%s%s%s", prefix, prefix[0] ? "." : "", name);
    return scn_buf_take(&b);
}

static int choice_ok(const char *choices, const char *value)
{
    size_t len = strlen(value);
    for (const char *p = choices; p; p = strchr(p, '|')) {
        if (*p == '|') p++;
        size_t n = strcspn(p, "|");
        if (n == len && strncmp(p, value, len) == 0) return 1;
    }
    return 0;
}

static void choices_text(scn_buf *b, const char *choices)
{
    for (const char *p = choices; *p; p++) scn_buf_printf(b, *p == '|' ? ", " : "%c", *p);
}

/* Where a "missing" error points: the nearest ancestor that some file or
   override set (a group made up to hold defaults has no line of its own). */
typedef struct anchor {
    const char *file;
    int line;
} anchor;

static void check_group(scn_load *ld, scn_node *group, const char *pat, const char *disp, anchor at,
                        int is_entry);

static void range_error(scn_load *ld, const scn_node *n, const char *disp, const param_spec *spec,
                        double v, int is_int)
{
    char value[32], lo[32], hi[32];
    if (is_int)
        snprintf(value, sizeof value, "%lld", (long long)n->int_value);
    else
        scn_format_number(v, 0, value);
    scn_format_number(spec->min, 0, lo);
    scn_format_number(spec->max, 0, hi);
    scn_error_add(ld, n->file, n->line, "%s: %s is out of range [%s, %s]", disp, value, lo, hi);
}

/* Table bounds of 0 and 0 mean "no bounds": a range of only zero is never
   what a table author means. */
static int out_of_range(const param_spec *spec, double v)
{
    if (spec->min == 0 && spec->max == 0) return 0;
    return v < spec->min || v > spec->max;
}

/* An entry's name and position, for sorting: qsort has no context
   argument. */
typedef struct named_entry {
    const char *name;
    size_t index;
} named_entry;

static int compare_named(const void *a, const void *b)
{
    const named_entry *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return (x->index > y->index) - (x->index < y->index);
}

/* For each entry of list, the index of the first earlier entry with the same
   name, or SIZE_MAX: a malloc'd array (NULL when out of memory). Sorting the
   names makes this O(n log n) whatever the names, where comparing every pair
   made 40,000 areas take a minute. */
static size_t *first_of_names(const scn_node *list)
{
    size_t n = list->n_children;
    size_t *first = malloc((n ? n : 1) * sizeof *first);
    named_entry *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!first || !sorted) {
        free(first);
        free(sorted);
        return NULL;
    }
    size_t n_named = 0;
    for (size_t i = 0; i < n; i++) {
        first[i] = SIZE_MAX;
        const char *name = scn_entry_name(list->children[i]);
        if (name) sorted[n_named++] = (named_entry){ name, i };
    }
    qsort(sorted, n_named, sizeof *sorted, compare_named);
    for (size_t k = 1; k < n_named; k++) {
        /* Equal names are adjacent, lowest index first. */
        size_t head = k - 1;
        if (strcmp(sorted[head].name, sorted[k].name) == 0)
            first[sorted[k].index] = first[sorted[head].index] == SIZE_MAX
                                         ? sorted[head].index
                                         : first[sorted[head].index];
    }
    free(sorted);
    return first;
}

/* The first control character (a byte below 0x20, or 0x7f) of s, or NULL. */
static const char *control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return s;
    return NULL;
}

/* Records "KEY: "value" <what is wrong>" for the string node n, the value
   quoted (and escaped) as in the file. */
static void string_error(scn_load *ld, const scn_node *n, const char *disp, const char *tail)
{
    scn_buf b = { 0 };
    scn_buf_printf(&b, "%s: ", disp);
    scn_buf_quoted(&b, n->string_value, 0);
    scn_buf_printf(&b, "%s", tail);
    char *text = scn_buf_take(&b);
    scn_error_add(ld, n->file, n->line, "%s", text ? text : "");
    free(text);
}

/* Strings are one line of printable UTF-8 text: a line break or other
   control character in a value would be echoed into messages, CSV rows and
   paths, and bytes that are not UTF-8 would make manifest.json invalid JSON.
   Returns 1 after recording the error. */
static int control_error(scn_load *ld, const scn_node *n, const char *disp)
{
    if (control_char(n->string_value)) {
        string_error(ld, n, disp,
                     " contains a control character; strings are one line of printable text");
        return 1;
    }
    if (!utf8_valid(n->string_value)) {
        /* Quoted with every byte above 0x7f as \xNN: the message itself
           must stay UTF-8. */
        scn_buf b = { 0 };
        scn_buf_printf(&b, "%s: \"", disp);
        for (const unsigned char *p = (const unsigned char *)n->string_value; *p; p++) {
            if (*p >= 0x80)
                scn_buf_printf(&b, "\\x%02x", *p);
            else
                scn_buf_printf(&b, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
        }
        scn_buf_printf(&b, "\" is not UTF-8 text; scenario files are UTF-8");
        char *text = scn_buf_take(&b);
        scn_error_add(ld, n->file, n->line, "%s", text ? text : "");
        free(text);
        return 1;
    }
    return 0;
}

static void check_list(scn_load *ld, scn_node *list, const char *pat, const char *disp)
{
    char *entry_pat = join(pat, "*");
    size_t *first_same = first_of_names(list);
    if (!entry_pat || !first_same) {
        free(entry_pat);
        free(first_same);
        ld->oom = 1;
        return;
    }
    for (size_t i = 0; i < list->n_children && !enough_errors(ld); i++) {
        scn_node *e = list->children[i];
        const char *name = scn_entry_name(e);
        scn_buf b = { 0 };
        /* A name with a control character is reported (as the entry's
           name value) and not spelt out in key paths, which would break
           the one-line messages. */
        if (name && !control_char(name) && utf8_valid(name))
            scn_buf_printf(&b, "%s.%s", disp, name);
        else
            scn_buf_printf(&b, "%s[%zu]", disp, i + 1);
        char *entry_disp = scn_buf_take(&b);
        if (!entry_disp) {
            ld->oom = 1;
            break;
        }
        if (e->type != SCN_GROUP) {
            scn_error_add(ld, e->file, e->line,
                          "%s: expected a group { ... } as a list entry, got %s", entry_disp,
                          scn_type_phrase(e));
        } else {
            const scn_node *nm = scn_node_child(e, "name");
            if (!nm)
                scn_error_add(ld, e->file, e->line, "%s: entry has no name", entry_disp);
            else if (nm->type == SCN_STRING && !nm->string_value[0])
                scn_error_add(ld, nm->file, nm->line, "%s: entry has an empty name", entry_disp);
            if (name && first_same[i] != SIZE_MAX) {
                const scn_node *first = scn_node_child(list->children[first_same[i]], "name");
                scn_error_add(ld, nm->file, nm->line, "%s: duplicate entry name (first at %s:%d)",
                              entry_disp, first->file, first->line);
            }
            check_group(ld, e, entry_pat, entry_disp, (anchor){ e->file, e->line }, 1);
        }
        free(entry_disp);
    }
    free(first_same);
    free(entry_pat);
}

/* Whether node type fits spec's type (before its value is looked at). */
static int type_fits(const param_spec *spec, const scn_node *n)
{
    switch (spec->type) {
    case PARAM_INT: return n->type == SCN_INT;
    case PARAM_FLOAT: return n->type == SCN_INT || n->type == SCN_FLOAT;
    case PARAM_BOOL: return n->type == SCN_BOOL;
    case PARAM_STRING:
    case PARAM_ENUM:
    case PARAM_DATE: return n->type == SCN_STRING;
    case PARAM_GROUP: return n->type == SCN_GROUP;
    case PARAM_STRINGS: return n->type == SCN_ARRAY || n->type == SCN_LIST;
    /* An array holds scalars only, so only an empty one ([]) can stand for
       a list of groups; a non-empty one is one mistake, not one per element. */
    case PARAM_LIST: return n->type == SCN_LIST || (n->type == SCN_ARRAY && !n->n_children);
    default: return 0;
    }
}

static void type_error(scn_load *ld, const scn_node *n, const param_spec *spec, const char *disp)
{
    if (spec->type != PARAM_ENUM) {
        scn_error_add(ld, n->file, n->line, "%s: expected %s, got %s", disp,
                      expected_phrase(spec->type), scn_type_phrase(n));
        return;
    }
    scn_buf b = { 0 };
    choices_text(&b, spec->choices ? spec->choices : "");
    char *choices = scn_buf_take(&b);
    scn_error_add(ld, n->file, n->line, "%s: expected one of %s, got %s", disp,
                  choices ? choices : "", scn_type_phrase(n));
    free(choices);
}

static void check_enum(scn_load *ld, const scn_node *n, const param_spec *spec, const char *disp)
{
    if (choice_ok(spec->choices ? spec->choices : "", n->string_value)) return;
    scn_buf b = { 0 };
    scn_buf_printf(&b, "%s: ", disp);
    scn_buf_quoted(&b, n->string_value, 0);
    scn_buf_printf(&b, " is not one of ");
    choices_text(&b, spec->choices ? spec->choices : "");
    char *text = scn_buf_take(&b);
    scn_error_add(ld, n->file, n->line, "%s", text ? text : "");
    free(text);
}

/* Every element a string without control characters: the first that is
   not is reported. */
static void check_strings(scn_load *ld, const scn_node *n, const char *disp)
{
    for (size_t i = 0; i < n->n_children; i++) {
        if (n->children[i]->type != SCN_STRING) {
            scn_error_add(ld, n->children[i]->file, n->children[i]->line,
                          "%s: expected an array of strings, got %s containing %s", disp,
                          scn_type_phrase(n), scn_type_phrase(n->children[i]));
            return;
        }
        if (control_error(ld, n->children[i], disp)) return;
    }
}

/* Checks n against spec; disp is its key path as the user writes it. */
static void check_value(scn_load *ld, scn_node *n, const param_spec *spec, const char *pat,
                        const char *disp)
{
    if (!type_fits(spec, n)) {
        type_error(ld, n, spec, disp);
        return;
    }
    if (n->type == SCN_STRING && control_error(ld, n, disp)) return;
    int64_t day;
    switch (spec->type) {
    case PARAM_INT:
        if (out_of_range(spec, (double)n->int_value)) range_error(ld, n, disp, spec, 0, 1);
        break;
    case PARAM_FLOAT:
        /* Canonically a float, so "budget = 100" and "budget = 100.0" hash
           alike. */
        n->type = SCN_FLOAT;
        if (out_of_range(spec, n->float_value)) range_error(ld, n, disp, spec, n->float_value, 0);
        break;
    case PARAM_ENUM: check_enum(ld, n, spec, disp); break;
    case PARAM_DATE:
        if (date_parse(n->string_value, &day) != 0)
            string_error(ld, n, disp, " is not a date (YYYY-MM-DD)");
        break;
    case PARAM_STRINGS: check_strings(ld, n, disp); break;
    case PARAM_GROUP: check_group(ld, n, pat, disp, (anchor){ n->file, n->line }, 0); break;
    case PARAM_LIST: check_list(ld, n, pat, disp); break;
    default: break;
    }
}

/* The default of spec as a node named name; NULL if the table's text does not
   parse (ld->oom tells an allocation failure apart). */
static scn_node *default_node(scn_load *ld, const param_spec *spec, const char *name)
{
    const char *text = spec->default_value;
    scn_node *n = NULL;
    char why[128] = "";
    char *end;
    switch (spec->type) {
    case PARAM_INT:
        n = scn_node_new(name, SCN_INT, SCN_FILE_DEFAULT, 0);
        if (n) {
            n->int_value = strtoll(text, &end, 10);
            n->float_value = (double)n->int_value;
            if (end == text || *end) {
                scn_node_free(n);
                return NULL;
            }
        }
        break;
    case PARAM_FLOAT:
        n = scn_node_new(name, SCN_FLOAT, SCN_FILE_DEFAULT, 0);
        if (n) {
            n->float_value = strtod(text, &end);
            if (end == text || *end) {
                scn_node_free(n);
                return NULL;
            }
        }
        break;
    case PARAM_BOOL:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) return NULL;
        n = scn_node_new(name, SCN_BOOL, SCN_FILE_DEFAULT, 0);
        if (n) n->int_value = strcmp(text, "true") == 0;
        break;
    case PARAM_STRING:
    case PARAM_ENUM:
    case PARAM_DATE:
        n = scn_node_new(name, SCN_STRING, SCN_FILE_DEFAULT, 0);
        if (n && !(n->string_value = strdup(text))) {
            scn_node_free(n);
            n = NULL;
        }
        break;
    case PARAM_GROUP: n = scn_node_new(name, SCN_GROUP, SCN_FILE_DEFAULT, 0); break;
    case PARAM_STRINGS:
    case PARAM_LIST:
        /* An array's or list's default is written in libconfig syntax. */
        return scn_parse_value(ld, name, text, SCN_FILE_DEFAULT, 0, why, sizeof why);
    }
    if (!n) ld->oom = 1;
    return n;
}

/* 1 if a member of group that no table declares is the misspelling whose
   nearest key is spec_path: its "unknown key (did you mean ...?)" already
   says what is missing, and a second line would only repeat it. */
static int misspelt_as(const scn_load *ld, const scn_node *group, const char *pat,
                       const char *spec_path)
{
    for (size_t i = 0; i < group->n_children; i++) {
        char *c_pat = join(pat, group->children[i]->name);
        int hit = c_pat && !scn_spec_find(ld->tables, ld->n_tables, c_pat);
        if (hit) {
            const char *near = param_nearest_key(ld->tables, ld->n_tables, c_pat);
            hit = near && strcmp(near, spec_path) == 0;
        }
        free(c_pat);
        if (hit) return 1;
    }
    return 0;
}

/* Fills the defaults of the members of group, or reports them missing. */
static void fill_defaults(scn_load *ld, scn_node *group, const char *pat, const char *disp,
                          anchor at, int is_entry)
{
    size_t lp = strlen(pat);
    for (size_t t = 0; t < ld->n_tables; t++)
        for (size_t i = 0; i < ld->tables[t].n_specs && !enough_errors(ld); i++) {
            const param_spec *spec = &ld->tables[t].specs[i];
            const char *member = spec->path;
            if (lp) {
                if (strncmp(member, pat, lp) != 0 || member[lp] != '.') continue;
                member += lp + 1;
            }
            if (strchr(member, '.') || scn_node_child(group, member)) continue;
            char *path = join(disp, member);
            if (!path) {
                ld->oom = 1;
                return;
            }
            if (spec->type != PARAM_GROUP && !spec->default_value) {
                /* An entry without a name was reported as such already. */
                if (!ld->incomplete && !(is_entry && strcmp(member, "name") == 0) &&
                    !misspelt_as(ld, group, pat, spec->path))
                    scn_error_add(ld, at.file, at.line, "%s: missing (required)", path);
            } else {
                scn_node *n = default_node(ld, spec, member);
                if (!n) {
                    if (!ld->oom)
                        scn_error_add(ld, SCN_FILE_DEFAULT, 0,
                                      "%s: the table's default \"%s\" is not %s", path,
                                      spec->default_value, expected_phrase(spec->type));
                } else if (scn_node_append(group, n) != 0) {
                    ld->oom = 1;
                } else {
                    /* A default is checked like a value: a bad table default
                       surfaces here instead of as a wrong run. */
                    char *member_pat = join(pat, member);
                    if (!member_pat)
                        ld->oom = 1;
                    else if (spec->type == PARAM_GROUP)
                        check_group(ld, n, member_pat, path, at, 0);
                    else
                        check_value(ld, n, spec, member_pat, path);
                    free(member_pat);
                }
            }
            free(path);
        }
}

static void check_group(scn_load *ld, scn_node *group, const char *pat, const char *disp, anchor at,
                        int is_entry)
{
    for (size_t i = 0; i < group->n_children && !ld->oom && !enough_errors(ld); i++) {
        scn_node *c = group->children[i];
        char *c_pat = join(pat, c->name);
        char *c_disp = join(disp, c->name);
        if (!c_pat || !c_disp) {
            ld->oom = 1;
        } else {
            const param_spec *spec = scn_spec_find(ld->tables, ld->n_tables, c_pat);
            if (spec) {
                check_value(ld, c, spec, c_pat, c_disp);
            } else {
                char *near = scn_nearest_display(ld->tables, ld->n_tables, c_pat, pat, disp);
                if (near)
                    scn_error_add(ld, c->file, c->line, "%s: unknown key (did you mean %s?)",
                                  c_disp, near);
                else
                    scn_error_add(ld, c->file, c->line, "%s: unknown key", c_disp);
                free(near);
            }
        }
        free(c_pat);
        free(c_disp);
    }
    fill_defaults(ld, group, pat, disp, at, is_entry);
}

void scn_validate(scn_load *ld, scn_node *root, const char *top_file)
{
    /* The root has no line of its own; a key missing from the whole scenario
       is reported at the top file's first line. */
    check_group(ld, root, "", "", (anchor){ top_file, 1 }, 0);
    if (enough_errors(ld))
        scn_error_add(ld, top_file, -1, "checking stopped after %d errors", MAX_ERRORS);
}
