/* scenario_override.c — `--set key.path=value`: finds the key (entries of
 * lists by name), parses the value and puts it in the composed tree with
 * provenance "--set", N. Checking the value is left to validation, so an
 * override meets exactly the checks a file's value does. A unit cost,
 * `--set costs.NAME=value`, is kept aside and applied to the cost library
 * the scenario names (scenario_apply_cost_overrides). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

static char *trimmed(const char *start, const char *end)
{
    while (start < end && (*start == ' ' || *start == '\t')) start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
    char *s = malloc((size_t)(end - start) + 1);
    if (s) {
        memcpy(s, start, (size_t)(end - start));
        s[end - start] = '\0';
    }
    return s;
}

void scn_cost_sets_free(scn_cost_set *sets, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(sets[i].name);
        free(sets[i].value);
    }
    free(sets);
}

/* Keeps "costs.NAME=value" for the cost library; its checks come when the
   library is loaded, since the scenario (or a later --set) names which. */
static void keep_cost_set(scn_load *ld, const char *name, const char *value, int n)
{
    scn_cost_set *sets = realloc(ld->cost_sets, (ld->n_cost_sets + 1) * sizeof *sets);
    if (!sets) {
        ld->oom = 1;
        return;
    }
    ld->cost_sets = sets;
    scn_cost_set *c = &sets[ld->n_cost_sets];
    c->name = strdup(name);
    c->value = strdup(value);
    c->n = n;
    if (!c->name || !c->value) {
        free(c->name);
        free(c->value);
        ld->oom = 1;
        return;
    }
    ld->n_cost_sets++;
}

void scn_cost_sets_text(scn_buf *b, const scenario *s, int provenance)
{
    for (size_t i = 0; i < s->n_cost_sets; i++) {
        const scn_cost_set *c = &s->cost_sets[i];
        /* A number in its canonical form, so that "400" and "400.0" hash
           alike; anything else (refused later) as given. */
        char *end;
        double v = strtod(c->value, &end);
        char num[32];
        if (end != c->value && *end == '\0' && isfinite(v)) scn_format_number(v, 1, num);
        scn_buf_printf(b, "costs.%s = %s;", c->name,
                       end != c->value && *end == '\0' && isfinite(v) ? num : c->value);
        if (provenance) scn_buf_printf(b, "  # %s:%d", SCN_FILE_SET, c->n);
        scn_buf_printf(b, "\n");
    }
}

size_t scenario_cost_override_count(const scenario *s) { return s->n_cost_sets; }

/* The entry of the library's list `costs` named name, or NULL. */
static scn_node *cost_entry_node(const scn_node *list, const char *name)
{
    for (size_t i = 0; i < list->n_children; i++) {
        const char *entry = scn_entry_name(list->children[i]);
        if (entry && strcmp(entry, name) == 0) return list->children[i];
    }
    return NULL;
}

/* The library's cost name nearest to name, or NULL; *oom set when out of
   memory. The names are put in a table of their own so that the one
   nearest-key search (param_nearest_key) serves. */
static const char *nearest_cost(const scn_node *list, const char *name, int *oom)
{
    param_spec *specs = calloc(list->n_children ? list->n_children : 1, sizeof *specs);
    if (!specs) {
        *oom = 1;
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < list->n_children; i++) {
        const char *entry = scn_entry_name(list->children[i]);
        if (entry) specs[n++] = (param_spec){ .path = entry, .type = PARAM_FLOAT };
    }
    param_table table = { "costs", specs, n };
    const char *near = param_nearest_key(&table, 1, name);
    free(specs);
    return near; /* points into the library's tree, not into specs */
}

int scenario_apply_cost_overrides(scenario *lib, const scenario *from, char *err, size_t errlen)
{
    if (from->n_cost_sets == 0) return 0;
    scn_node *list = scn_node_find(lib->root, "costs");
    const param_spec *spec = scn_spec_find(lib->tables, lib->n_tables, "costs.*.value");
    if (!list || list->type != SCN_LIST || !spec) {
        scenario_error_append(err, errlen, lib->path, -1, "not a cost library");
        return -1;
    }
    int status = 0;
    for (size_t i = 0; i < from->n_cost_sets; i++) {
        const scn_cost_set *c = &from->cost_sets[i];
        scn_node *entry = cost_entry_node(list, c->name);
        if (!entry) {
            int oom = 0;
            const char *near = nearest_cost(list, c->name, &oom);
            if (oom) {
                snprintf(err, errlen, "%s: out of memory", lib->path);
                return -1;
            }
            if (near)
                scenario_error_append(err, errlen, SCN_FILE_SET, c->n,
                                      "costs.%s: unknown cost in %s (did you mean costs.%s?)",
                                      c->name, lib->path, near);
            else
                scenario_error_append(err, errlen, SCN_FILE_SET, c->n,
                                      "costs.%s: unknown cost in %s", c->name, lib->path);
            status = -1;
            continue;
        }
        scn_load ld = { .tables = lib->tables, .n_tables = lib->n_tables };
        char why[128] = "";
        scn_node *v = scn_parse_value(&ld, "value", c->value, SCN_FILE_SET, c->n, why, sizeof why);
        if (ld.oom) {
            scn_node_free(v);
            snprintf(err, errlen, "%s: out of memory", lib->path);
            return -1;
        }
        if (!v) {
            scenario_error_append(err, errlen, SCN_FILE_SET, c->n,
                                  "costs.%s: cannot parse \"%s\": %s", c->name, c->value, why);
            status = -1;
            continue;
        }
        if (v->type != SCN_INT && v->type != SCN_FLOAT) {
            scenario_error_append(err, errlen, SCN_FILE_SET, c->n,
                                  "costs.%s: expected a number, got %s", c->name,
                                  scn_type_phrase(v));
            scn_node_free(v);
            status = -1;
            continue;
        }
        /* The library's own rule for a value, as its file's values meet. */
        if (v->float_value < spec->min || v->float_value > spec->max) {
            char value[32], lo[32], hi[32];
            scn_format_number(v->float_value, 0, value);
            scn_format_number(spec->min, 0, lo);
            scn_format_number(spec->max, 0, hi);
            scenario_error_append(err, errlen, SCN_FILE_SET, c->n,
                                  "costs.%s: %s is out of range [%s, %s]", c->name, value, lo, hi);
            scn_node_free(v);
            status = -1;
            continue;
        }
        v->type = SCN_FLOAT;
        for (size_t k = 0; k < entry->n_children; k++) {
            if (entry->children[k]->name && strcmp(entry->children[k]->name, "value") == 0) {
                scn_node_free(entry->children[k]);
                entry->children[k] = v;
                v = NULL;
                break;
            }
        }
        scn_node_free(v); /* a validated library entry always has its value */
    }
    return status;
}

/* One --set override being applied: where the walk down its key stands. */
typedef struct override_walk {
    scn_load *ld;
    int n;                   /* the override's number, for messages */
    const char *key, *value; /* trimmed */
    scn_buf pat, disp;       /* the path so far: as the tables name it, as the user does */
    scn_node *cur;           /* the node whose member comes next */
    const char *p;           /* the rest of the key */
} override_walk;

/* In a list: the entry the key names next. 0, or -1 (reported) to stop. */
static int walk_into_entry(override_walk *w)
{
    size_t used;
    scn_node *entry = scn_list_match(w->cur, w->p, &used);
    if (!entry) {
        size_t len = strcspn(w->p, ".");
        scn_error_add(w->ld, SCN_FILE_SET, w->n, "%s: no entry named \"%.*s\" in %s", w->key,
                      (int)len, w->p, w->disp.text);
        return -1;
    }
    scn_buf_printf(&w->pat, ".*");
    scn_buf_printf(&w->disp, ".%s", scn_entry_name(entry));
    w->p += used;
    if (*w->p != '.' || !w->p[1]) {
        scn_error_add(w->ld, SCN_FILE_SET, w->n,
                      "%s: a list entry cannot be set whole; set its members", w->key);
        return -1;
    }
    w->p++;
    w->cur = entry;
    return 0;
}

/* The spec of segment seg (len bytes of w->p), or NULL after reporting an
   unknown key (or a member of what has none) or running out of memory. */
static const param_spec *segment_spec(override_walk *w, const char *seg, size_t len)
{
    scn_buf seg_pat = { 0 };
    scn_buf_printf(&seg_pat, "%s%s%s", w->pat.text, w->pat.len ? "." : "", seg);
    char *sp = scn_buf_take(&seg_pat);
    if (!sp) {
        w->ld->oom = 1;
        return NULL;
    }
    const param_spec *spec = scn_spec_find(w->ld->tables, w->ld->n_tables, sp);
    if (!spec || (w->p[len] == '.' && spec->type != PARAM_GROUP && spec->type != PARAM_LIST)) {
        scn_buf full = { 0 };
        scn_buf_printf(&full, "%s%s", sp, w->p + len);
        char *fp = scn_buf_take(&full);
        char *near =
            fp ? scn_nearest_display(w->ld->tables, w->ld->n_tables, fp, w->pat.text, w->disp.text)
               : NULL;
        if (near)
            scn_error_add(w->ld, SCN_FILE_SET, w->n, "%s: unknown key (did you mean %s?)", w->key,
                          near);
        else
            scn_error_add(w->ld, SCN_FILE_SET, w->n, "%s: unknown key", w->key);
        free(near);
        free(fp);
        spec = NULL;
    }
    free(sp);
    return spec;
}

/* The override's value as a node named seg, or NULL (reported, or out of
   memory). */
static scn_node *override_value(override_walk *w, const param_spec *spec, const char *seg)
{
    scn_load *ld = w->ld;
    if ((spec->type == PARAM_STRING || spec->type == PARAM_ENUM || spec->type == PARAM_DATE) &&
        w->value[0] != '"') {
        /* A bare word: `--set budgets.regime=pooled`. */
        scn_node *v = scn_node_new(seg, SCN_STRING, SCN_FILE_SET, w->n);
        if (v && !(v->string_value = strdup(w->value))) {
            scn_node_free(v);
            v = NULL;
        }
        if (!v) ld->oom = 1;
        return v;
    }
    char why[128] = "";
    scn_node *v = scn_parse_value(ld, seg, w->value, SCN_FILE_SET, w->n, why, sizeof why);
    if (!v && !ld->oom) {
        scn_buf b = { 0 };
        scn_buf_quoted(&b, w->value, 0);
        char *q = scn_buf_take(&b);
        scn_error_add(ld, SCN_FILE_SET, w->n, "%s: cannot parse %s: %s", w->key, q ? q : "", why);
        free(q);
    }
    return v;
}

/* Sets the last segment: its value replaces child, or joins w->cur. */
static void set_leaf(override_walk *w, const param_spec *spec, const char *seg, scn_node *child)
{
    scn_node *v = override_value(w, spec, seg);
    if (!v) return;
    if (!child) {
        if (scn_node_append(w->cur, v) != 0) w->ld->oom = 1;
        return;
    }
    for (size_t i = 0; i < w->cur->n_children; i++)
        if (w->cur->children[i] == child) w->cur->children[i] = v;
    scn_node_free(child);
}

/* Steps into child (segment seg, of spec) for the key's next segment: a
   group (made when the files left it out) or a list (*in_list). 0, or -1
   (reported, or out of memory) to stop. */
static int walk_down(override_walk *w, const param_spec *spec, const char *seg, scn_node *child,
                     int *in_list)
{
    if (spec->type == PARAM_GROUP) {
        if (!child) {
            /* Setting a member of a group the files left out. */
            child = scn_node_new(seg, SCN_GROUP, SCN_FILE_SET, w->n);
            /* scn_node_append frees the child it cannot take. */
            if (!child || scn_node_append(w->cur, child) != 0) {
                w->ld->oom = 1;
                return -1;
            }
        } else if (child->type != SCN_GROUP) {
            scn_error_add(w->ld, SCN_FILE_SET, w->n, "%s: %s is not a group", w->key, w->disp.text);
            return -1;
        }
    } else if (!child || (child->type != SCN_LIST && child->type != SCN_ARRAY)) {
        scn_error_add(w->ld, SCN_FILE_SET, w->n, "%s: %s has no entries", w->key, w->disp.text);
        return -1;
    } else {
        *in_list = 1;
    }
    w->cur = child;
    return 0;
}

/* Walks w's key down from w->cur and sets its value. */
static void walk_and_set(override_walk *w)
{
    int in_list = 0;
    for (;;) {
        if (in_list) {
            if (walk_into_entry(w) != 0) return;
            in_list = 0;
            continue;
        }
        size_t len = strcspn(w->p, ".");
        char *seg = trimmed(w->p, w->p + len);
        const param_spec *spec = seg ? segment_spec(w, seg, len) : NULL;
        if (!seg) w->ld->oom = 1;
        if (!spec) {
            free(seg);
            return;
        }
        scn_buf_printf(&w->pat, "%s%s", w->pat.len ? "." : "", seg);
        scn_buf_printf(&w->disp, "%s%s", w->disp.len ? "." : "", seg);
        scn_node *child = scn_node_child(w->cur, seg);
        int last = w->p[len] != '.', status = 0;
        if (last)
            set_leaf(w, spec, seg, child);
        else
            status = walk_down(w, spec, seg, child, &in_list);
        free(seg);
        if (last || status != 0) return;
        w->p += len + 1;
    }
}

void scn_apply_override(scn_load *ld, scn_node *root, const char *ov, int n)
{
    const char *eq = strchr(ov, '=');
    char *key = eq ? trimmed(ov, eq) : NULL;
    char *value = eq ? trimmed(eq + 1, eq + strlen(eq)) : NULL;
    override_walk w = { .ld = ld, .n = n, .key = key, .value = value, .cur = root, .p = key };
    scn_buf_printf(&w.pat, "%s", "");
    scn_buf_printf(&w.disp, "%s", "");
    if (eq && (!key || !value || w.pat.failed || w.disp.failed)) {
        ld->oom = 1;
    } else if (!eq || !key[0] || !value[0]) {
        scn_buf b = { 0 };
        scn_buf_quoted(&b, ov, 0);
        char *q = scn_buf_take(&b);
        scn_error_add(ld, SCN_FILE_SET, n, "%s: expected key.path=value", q ? q : "");
        free(q);
    } else if (strncmp(key, "costs.", 6) == 0 &&
               !scn_spec_find(ld->tables, ld->n_tables, "costs")) {
        /* A unit cost, when these tables are a scenario's (a cost library's
           own tables hold `costs`, and its overrides are ordinary). */
        keep_cost_set(ld, key + 6, value, n);
    } else {
        walk_and_set(&w);
    }
    scn_buf_free(&w.pat);
    scn_buf_free(&w.disp);
    free(key);
    free(value);
}
