/* scenario_override.c — `--set key.path=value`: finds the key (entries of
 * lists by name), parses the value and puts it in the composed tree with
 * provenance "--set", N. Checking the value is left to validation, so an
 * override meets exactly the checks a file's value does. */
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
                /* A bare word: `--set housing.queue_order=fifo`. */
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
