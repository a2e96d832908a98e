/* scenario_tree.c — our own tree of scenario values: built from libconfig
 * settings, merged across base files with per-value provenance (libconfig's
 * trees cannot be merged), searched by dotted path; plus the small text
 * helpers the other scenario files share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_guard.h"
#include "scenario_internal.h"
#include "utf8.h"

/* --- text helpers -------------------------------------------------------- */

static int buf_reserve(scn_buf *b, size_t extra)
{
    if (b->failed) return -1;
    if (b->len + extra + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 128;
    while (cap < b->len + extra + 1) cap *= 2;
    char *text = realloc(b->text, cap);
    if (!text) {
        b->failed = 1;
        return -1;
    }
    b->text = text;
    b->cap = cap;
    return 0;
}

void scn_buf_printf(scn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (buf_reserve(b, (size_t)n) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->text + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void scn_buf_quoted(scn_buf *b, const char *s, int json)
{
    scn_buf_printf(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': scn_buf_printf(b, "\\\""); break;
        case '\\': scn_buf_printf(b, "\\\\"); break;
        case '\n': scn_buf_printf(b, "\\n"); break;
        case '\t': scn_buf_printf(b, "\\t"); break;
        case '\r': scn_buf_printf(b, "\\r"); break;
        case '\f': scn_buf_printf(b, "\\f"); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                scn_buf_printf(b, json ? "\\u%04x" : "\\x%02x", *p);
            } else if (json && *p >= 0x80) {
                /* File names need not be UTF-8; JSON must be. */
                size_t n = utf8_sequence_length((const char *)p);
                if (n == 0) {
                    scn_buf_printf(b, "\\ufffd");
                } else {
                    scn_buf_printf(b, "%.*s", (int)n, (const char *)p);
                    p += n - 1;
                }
            } else {
                scn_buf_printf(b, "%c", *p);
            }
        }
    }
    scn_buf_printf(b, "\"");
}

char *scn_buf_take(scn_buf *b)
{
    char *text = NULL;
    if (!b->failed) {
        /* An empty buffer still yields "" rather than NULL. */
        if (buf_reserve(b, 0) == 0) {
            b->text[b->len] = '\0';
            text = b->text;
            b->text = NULL;
        }
    }
    scn_buf_free(b);
    return text;
}

void scn_buf_free(scn_buf *b)
{
    free(b->text);
    b->text = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void scn_format_number(double v, int as_float, char buf[32])
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    if (as_float && !strpbrk(buf, ".eEn")) /* "n": inf, nan */
        strcat(buf, ".0");
}

/* --- nodes -------------------------------------------------------------- */

scn_node *scn_node_new(const char *name, scn_type type, const char *file, int line)
{
    scn_node *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    if (name && !(n->name = strdup(name))) {
        free(n);
        return NULL;
    }
    n->type = type;
    n->file = file;
    n->line = line;
    return n;
}

void scn_node_free(scn_node *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n_children; i++) scn_node_free(n->children[i]);
    free(n->children);
    free(n->name);
    free(n->string_value);
    free(n);
}

/* The children array holds at least the next power of two at or above
   n_children (only append allocates it; removal only shrinks n_children),
   so it doubles when n_children reaches a power of two: a list of n
   entries costs O(n) copying, not O(n^2) (100,000 areas under ASan). */
int scn_node_append(scn_node *parent, scn_node *child)
{
    size_t n = parent->n_children;
    if (n == 0 || (n & (n - 1)) == 0) {
        size_t cap = n ? 2 * n : 1;
        scn_node **children = cap <= SIZE_MAX / sizeof *children
                                  ? realloc(parent->children, cap * sizeof *children)
                                  : NULL;
        if (!children) {
            scn_node_free(child);
            return -1;
        }
        parent->children = children;
    }
    parent->children[parent->n_children++] = child;
    return 0;
}

static size_t child_index(const scn_node *group, const char *name)
{
    for (size_t i = 0; i < group->n_children; i++)
        if (group->children[i]->name && strcmp(group->children[i]->name, name) == 0) return i;
    return group->n_children;
}

scn_node *scn_node_child(const scn_node *group, const char *name)
{
    if (!group || group->type != SCN_GROUP) return NULL;
    size_t i = child_index(group, name);
    return i < group->n_children ? group->children[i] : NULL;
}

void scn_node_remove(scn_node *group, const char *name)
{
    size_t i = child_index(group, name);
    if (i == group->n_children) return;
    scn_node_free(group->children[i]);
    memmove(group->children + i, group->children + i + 1,
            (group->n_children - i - 1) * sizeof *group->children);
    group->n_children--;
}

int scn_node_merge(scn_node *dst, scn_node *src)
{
    int status = 0;
    for (size_t i = 0; i < src->n_children; i++) {
        scn_node *c = src->children[i];
        src->children[i] = NULL;
        size_t j = child_index(dst, c->name);
        if (j == dst->n_children) {
            if (scn_node_append(dst, c) != 0) status = -1;
        } else if (dst->children[j]->type == SCN_GROUP && c->type == SCN_GROUP) {
            if (scn_node_merge(dst->children[j], c) != 0) status = -1;
        } else {
            scn_node_free(dst->children[j]);
            dst->children[j] = c;
        }
    }
    scn_node_free(src);
    return status;
}

const char *scn_entry_name(const scn_node *entry)
{
    const scn_node *n = scn_node_child(entry, "name");
    return n && n->type == SCN_STRING && n->string_value[0] ? n->string_value : NULL;
}

scn_node *scn_list_match(const scn_node *list, const char *rest, size_t *used)
{
    scn_node *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < list->n_children; i++) {
        const char *name = scn_entry_name(list->children[i]);
        if (!name) continue;
        size_t len = strlen(name);
        if (len > best_len && strncmp(rest, name, len) == 0 &&
            (rest[len] == '.' || rest[len] == '\0')) {
            best = list->children[i];
            best_len = len;
        }
    }
    *used = best_len;
    return best;
}

scn_node *scn_node_find(const scn_node *root, const char *path)
{
    const scn_node *cur = root;
    const char *p = path;
    while (cur && *p) {
        if (cur->type == SCN_GROUP) {
            size_t len = strcspn(p, ".");
            const scn_node *next = NULL;
            for (size_t i = 0; i < cur->n_children; i++) {
                const char *name = cur->children[i]->name;
                if (name && strlen(name) == len && strncmp(name, p, len) == 0) {
                    next = cur->children[i];
                    break;
                }
            }
            cur = next;
            p += len;
        } else if (cur->type == SCN_LIST) {
            size_t len;
            cur = scn_list_match(cur, p, &len);
            p += len;
        } else {
            return NULL;
        }
        if (*p == '.') {
            p++;
            if (!*p) return NULL; /* a trailing dot names nothing */
        }
    }
    return (scn_node *)cur;
}

/* --- from libconfig ----------------------------------------------------- */

/* libconfig 1.5 records an @include'd file by the name written in the
 * directive, while we name files relative to the command line. */
static const char *setting_file(scn_load *ld, const config_setting_t *s, const char *dir)
{
    const char *file = config_setting_source_file(s);
    if (!file) return SCN_FILE_SET;
    for (size_t i = 0; i < ld->n_files; i++)
        if (strcmp(ld->files[i], file) == 0) return ld->files[i];
    /* The file itself was interned before its settings were converted, so
       only fragments get here. */
    if (file[0] == '/' || !dir[0]) return scn_intern(ld, file);
    size_t len = strlen(dir) + strlen(file) + 1;
    char *joined = malloc(len);
    if (!joined) return NULL;
    snprintf(joined, len, "%s%s", dir, file);
    const char *interned = scn_intern(ld, joined);
    free(joined);
    return interned;
}

scn_node *scn_from_setting(scn_load *ld, const config_setting_t *s, const char *dir,
                           const char *force_file, int force_line)
{
    const char *file = force_file ? force_file : setting_file(ld, s, dir);
    int line = force_file ? force_line : (int)config_setting_source_line(s);
    if (!file) {
        ld->oom = 1;
        return NULL;
    }
    scn_type type;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP: type = SCN_GROUP; break;
    case CONFIG_TYPE_ARRAY: type = SCN_ARRAY; break;
    case CONFIG_TYPE_LIST: type = SCN_LIST; break;
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: type = SCN_INT; break;
    case CONFIG_TYPE_FLOAT: type = SCN_FLOAT; break;
    case CONFIG_TYPE_BOOL: type = SCN_BOOL; break;
    default: type = SCN_STRING; break;
    }
    scn_node *n = scn_node_new(config_setting_name(s), type, file, line);
    if (!n) {
        ld->oom = 1;
        return NULL;
    }
    switch (type) {
    case SCN_INT:
        n->int_value = config_setting_get_int64(s);
        n->float_value = (double)n->int_value;
        break;
    case SCN_FLOAT: n->float_value = config_setting_get_float(s); break;
    case SCN_BOOL: n->int_value = config_setting_get_bool(s) ? 1 : 0; break;
    case SCN_STRING: {
        const char *v = config_setting_get_string(s);
        if (!(n->string_value = strdup(v ? v : ""))) {
            ld->oom = 1;
            scn_node_free(n);
            return NULL;
        }
        break;
    }
    default:
        for (int i = 0; i < config_setting_length(s); i++) {
            scn_node *c = scn_from_setting(ld, config_setting_get_elem(s, (unsigned)i), dir,
                                           force_file, force_line);
            if (!c || scn_node_append(n, c) != 0) {
                ld->oom = 1;
                scn_node_free(n);
                return NULL;
            }
        }
    }
    return n;
}

scn_node *scn_parse_value(scn_load *ld, const char *name, const char *text, const char *file,
                          int line, char *why, size_t whylen)
{
    size_t len = strlen(text) + 8;
    char *source = malloc(len);
    if (!source) {
        ld->oom = 1;
        return NULL;
    }
    snprintf(source, len, "v = %s;", text);
    config_t cfg;
    config_init(&cfg);
    scn_node *n = NULL;
    config_guard_problem problem = { NULL, -1, NULL };
    size_t source_len = strlen(source);
    config_guard_status guard = CONFIG_GUARD_OK;
    /* One line, as a command-line value is: a line break would let a value
       carry an @include directive, which libconfig would follow. */
    if (strpbrk(text, "\n\r")) {
        snprintf(why, whylen, "a value is one line (it holds a line break)");
    } else if (source_len > CONFIG_GUARD_MAX_LINE) {
        snprintf(why, whylen, "the value is %zu bytes long; values are limited to %d bytes",
                 strlen(text), CONFIG_GUARD_MAX_LINE);
    } else if ((guard = config_guard_widen_integers(file, 1, &source, &source_len, &problem)) !=
               CONFIG_GUARD_OK) {
        if (guard == CONFIG_GUARD_NO_MEMORY)
            ld->oom = 1;
        else
            /* The setting's name there is the placeholder "v": say what the
               value is instead. */
            snprintf(why, whylen, "%s", strchr(problem.why, ' ') + 1);
        config_guard_problem_free(&problem);
    } else if (!config_read_string(&cfg, source)) {
        snprintf(why, whylen, "%s", config_error_text(&cfg));
    } else if (config_setting_length(config_root_setting(&cfg)) != 1) {
        /* "1; x = 2" parses, but is not one value. */
        snprintf(why, whylen, "more than one value");
    } else {
        n = scn_from_setting(ld, config_setting_get_elem(config_root_setting(&cfg), 0), "", file,
                             line);
        if (n) {
            char *copy = strdup(name);
            if (!copy) {
                ld->oom = 1;
                scn_node_free(n);
                n = NULL;
            } else {
                free(n->name);
                n->name = copy;
            }
        }
    }
    config_destroy(&cfg);
    free(source);
    return n;
}
