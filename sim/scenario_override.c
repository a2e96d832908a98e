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
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
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
        if (end != c->value && *end == '\0' && isfinite(v))
            scn_format_number(v, 1, num);
        scn_buf_printf(b, "costs.%s = %s;", c->name,
                       end != c->value && *end == '\0' && isfinite(v) ? num : c->value);
        if (provenance)
            scn_buf_printf(b, "  # %s:%d", SCN_FILE_SET, c->n);
        scn_buf_printf(b, "\n");
    }
}

size_t scenario_cost_override_count(const scenario *s) { return s->n_cost_sets; }

/* The entry of the library's list `costs` named name, or NULL. */
static scn_node *cost_entry_node(const scn_node *list, const char *name)
{
    for (size_t i = 0; i < list->n_children; i++) {
        const char *entry = scn_entry_name(list->children[i]);
        if (entry && strcmp(entry, name) == 0)
            return list->children[i];
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
        if (entry)
            specs[n++] = (param_spec){.path = entry, .type = PARAM_FLOAT};
    }
    param_table table = {"costs", specs, n};
    const char *near = param_nearest_key(&table, 1, name);
    free(specs);
    return near; /* points into the library's tree, not into specs */
}

int scenario_apply_cost_overrides(scenario *lib, const scenario *from, char *err, size_t errlen)
{
    if (from->n_cost_sets == 0)
        return 0;
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
        scn_load ld = {.tables = lib->tables, .n_tables = lib->n_tables};
        char why[128] = "";
        scn_node *v = scn_parse_value(&ld, "value", c->value, SCN_FILE_SET, c->n, why,
                                      sizeof why);
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

void scn_apply_override(scn_load *ld, scn_node *root, const char *ov, int n)
{
    const char *eq = strchr(ov, '=');
    char *key = eq ? trimmed(ov, eq) : NULL;
    char *value = eq ? trimmed(eq + 1, eq + strlen(eq)) : NULL;
    scn_buf pat = {0}, disp = {0};
    scn_buf_printf(&pat, "%s", "");
    scn_buf_printf(&disp, "%s", "");
    if (eq && (!key || !value || pat.failed || disp.failed)) {
        ld->oom = 1;
        goto done;
    }
    if (!eq || !key[0] || !value[0]) {
        scn_buf b = {0};
        scn_buf_quoted(&b, ov, 0);
        char *q = scn_buf_take(&b);
        scn_error_add(ld, SCN_FILE_SET, n, "%s: expected key.path=value", q ? q : "");
        free(q);
        goto done;
    }
    /* A unit cost, when these tables are a scenario's (a cost library's own
       tables hold `costs`, and its overrides are ordinary). */
    if (strncmp(key, "costs.", 6) == 0 && !scn_spec_find(ld->tables, ld->n_tables, "costs")) {
        keep_cost_set(ld, key + 6, value, n);
        goto done;
    }

    scn_node *cur = root;
    int in_list = 0;
    const char *p = key;
    for (;;) {
        if (in_list) {
            size_t used;
            scn_node *entry = scn_list_match(cur, p, &used);
            if (!entry) {
                size_t len = strcspn(p, ".");
                scn_error_add(ld, SCN_FILE_SET, n, "%s: no entry named \"%.*s\" in %s", key,
                              (int)len, p, disp.text);
                goto done;
            }
            scn_buf_printf(&pat, ".*");
            scn_buf_printf(&disp, ".%s", scn_entry_name(entry));
            p += used;
            if (*p != '.' || !p[1]) {
                scn_error_add(ld, SCN_FILE_SET, n,
                              "%s: a list entry cannot be set whole; set its members", key);
                goto done;
            }
            p++;
            cur = entry;
            in_list = 0;
            continue;
        }
        size_t len = strcspn(p, ".");
        char *seg = trimmed(p, p + len);
        scn_buf seg_pat = {0};
        scn_buf_printf(&seg_pat, "%s%s%s", pat.text, pat.len ? "." : "", seg ? seg : "");
        char *sp = scn_buf_take(&seg_pat);
        const param_spec *spec = sp ? scn_spec_find(ld->tables, ld->n_tables, sp) : NULL;
        if (!seg || !sp) {
            ld->oom = 1;
        } else if (!spec || (p[len] == '.' && spec->type != PARAM_GROUP
                             && spec->type != PARAM_LIST)) {
            scn_buf full = {0};
            scn_buf_printf(&full, "%s%s", sp, p + len);
            char *fp = scn_buf_take(&full);
            char *near = fp ? scn_nearest_display(ld->tables, ld->n_tables, fp, pat.text,
                                                  disp.text)
                            : NULL;
            if (near)
                scn_error_add(ld, SCN_FILE_SET, n, "%s: unknown key (did you mean %s?)", key, near);
            else
                scn_error_add(ld, SCN_FILE_SET, n, "%s: unknown key", key);
            free(near);
            free(fp);
            spec = NULL;
        }
        if (!spec) {
            free(seg);
            free(sp);
            goto done;
        }
        scn_buf_printf(&pat, "%s%s", pat.len ? "." : "", seg);
        scn_buf_printf(&disp, "%s%s", disp.len ? "." : "", seg);
        free(sp);
        scn_node *child = scn_node_child(cur, seg);

        if (p[len] != '.') {
            scn_node *v = NULL;
            char why[128] = "";
            if ((spec->type == PARAM_STRING || spec->type == PARAM_ENUM
                 || spec->type == PARAM_DATE) && value[0] != '"') {
                /* A bare word: `--set budgets.regime=pooled`. */
                v = scn_node_new(seg, SCN_STRING, SCN_FILE_SET, n);
                if (v && !(v->string_value = strdup(value))) {
                    scn_node_free(v);
                    v = NULL;
                }
                if (!v)
                    ld->oom = 1;
            } else {
                v = scn_parse_value(ld, seg, value, SCN_FILE_SET, n, why, sizeof why);
                if (!v && !ld->oom) {
                    scn_buf b = {0};
                    scn_buf_quoted(&b, value, 0);
                    char *q = scn_buf_take(&b);
                    scn_error_add(ld, SCN_FILE_SET, n, "%s: cannot parse %s: %s", key,
                                  q ? q : "", why);
                    free(q);
                }
            }
            if (v) {
                if (child) {
                    for (size_t i = 0; i < cur->n_children; i++)
                        if (cur->children[i] == child)
                            cur->children[i] = v;
                    scn_node_free(child);
                } else if (scn_node_append(cur, v) != 0) {
                    ld->oom = 1;
                }
            }
            free(seg);
            goto done;
        }

        if (spec->type == PARAM_GROUP) {
            if (!child) {
                /* Setting a member of a group the files left out. */
                child = scn_node_new(seg, SCN_GROUP, SCN_FILE_SET, n);
                if (!child || scn_node_append(cur, child) != 0) {
                    ld->oom = 1;
                    free(seg);
                    goto done;
                }
            } else if (child->type != SCN_GROUP) {
                scn_error_add(ld, SCN_FILE_SET, n, "%s: %s is not a group", key, disp.text);
                free(seg);
                goto done;
            }
        } else if (!child || (child->type != SCN_LIST && child->type != SCN_ARRAY)) {
            scn_error_add(ld, SCN_FILE_SET, n, "%s: %s has no entries", key, disp.text);
            free(seg);
            goto done;
        } else {
            in_list = 1;
        }
        free(seg);
        cur = child;
        p += len + 1;
    }
done:
    scn_buf_free(&pat);
    scn_buf_free(&disp);
    free(key);
    free(value);
}
