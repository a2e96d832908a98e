/* scenario_write.c — the resolved scenario as text: `placesim check` output,
 * the canonical text hashed into manifest.json, JSON, and the parameter
 * tables for `placesim describe`. All of them walk the values in table order
 * so that the output does not depend on the order of keys in the files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

typedef void (*value_fn)(void *ctx, const char *path, const scn_node *n);

/* Calls f for every resolved value under `node`, whose key path is disp and
   whose table pattern is pat ("" for the root), in table order; a list's
   entries are visited one after another, each by name; an empty list is
   itself a value. */
static void visit(const scenario *s, const char *pat, const scn_node *node, const char *disp,
                  value_fn f, void *ctx)
{
    size_t lp = strlen(pat);
    for (size_t t = 0; t < s->n_tables; t++)
        for (size_t i = 0; i < s->tables[t].n_specs; i++) {
            const param_spec *spec = &s->tables[t].specs[i];
            const char *rest = spec->path;
            if (lp) {
                if (strncmp(rest, pat, lp) != 0 || rest[lp] != '.') continue;
                rest += lp + 1;
            }
            if (strchr(rest, '*') || spec->type == PARAM_GROUP) continue;
            const scn_node *n = scn_node_find(node, rest);
            if (!n) continue;
            scn_buf path = { 0 };
            scn_buf_printf(&path, "%s%s%s", disp, disp[0] ? "." : "", rest);
            if (path.failed) {
                scn_buf_free(&path);
                continue;
            }
            if (spec->type != PARAM_LIST || n->n_children == 0) {
                f(ctx, path.text, n);
            } else {
                scn_buf entry_pat = { 0 };
                scn_buf_printf(&entry_pat, "%s.*", spec->path);
                for (size_t e = 0; e < n->n_children && !entry_pat.failed; e++) {
                    const char *name = scn_entry_name(n->children[e]);
                    scn_buf entry = { 0 };
                    scn_buf_printf(&entry, "%s.%s", path.text, name ? name : "?");
                    if (!entry.failed) visit(s, entry_pat.text, n->children[e], entry.text, f, ctx);
                    scn_buf_free(&entry);
                }
                scn_buf_free(&entry_pat);
            }
            scn_buf_free(&path);
        }
}

static void put_value(scn_buf *b, const scn_node *n, int json)
{
    char num[32];
    switch (n->type) {
    case SCN_INT:
        /* Beyond 32 bits libconfig needs the L suffix to read it back. */
        if (!json && (n->int_value > INT32_MAX || n->int_value < INT32_MIN))
            scn_buf_printf(b, "%lldL", (long long)n->int_value);
        else
            scn_buf_printf(b, "%lld", (long long)n->int_value);
        break;
    case SCN_FLOAT:
        if (json && !isfinite(n->float_value)) {
            scn_buf_printf(b, "null");
        } else {
            scn_format_number(n->float_value, 1, num);
            scn_buf_printf(b, "%s", num);
        }
        break;
    case SCN_BOOL: scn_buf_printf(b, "%s", n->int_value ? "true" : "false"); break;
    case SCN_STRING: scn_buf_quoted(b, n->string_value, json); break;
    case SCN_GROUP: scn_buf_printf(b, json ? "{}" : "{ }"); break;
    case SCN_ARRAY:
    case SCN_LIST: {
        int list = n->type == SCN_LIST && !json;
        scn_buf_printf(b, "%s", list ? "(" : "[");
        for (size_t i = 0; i < n->n_children; i++) {
            scn_buf_printf(b, "%s", i ? ", " : "");
            put_value(b, n->children[i], json);
        }
        scn_buf_printf(b, "%s", list ? ")" : "]");
        break;
    }
    }
}

typedef struct text_ctx {
    scn_buf buf;
    int provenance;
} text_ctx;

static void text_line(void *ctx, const char *path, const scn_node *n)
{
    text_ctx *c = ctx;
    scn_buf_printf(&c->buf, "%s = ", path);
    put_value(&c->buf, n, 0);
    scn_buf_printf(&c->buf, ";");
    if (c->provenance) {
        if (n->line > 0)
            scn_buf_printf(&c->buf, "  # %s:%d", n->file, n->line);
        else
            scn_buf_printf(&c->buf, "  # %s", n->file);
    }
    scn_buf_printf(&c->buf, "\n");
}

/* Values are written as they are in the files, in libconfig syntax, so the
   output could itself be read back as a scenario of flat keys. */
void scenario_print(const scenario *s, FILE *out)
{
    text_ctx c = { .provenance = 1 };
    visit(s, "", s->root, "", text_line, &c);
    scn_cost_sets_text(&c.buf, s, 1);
    char *text = scn_buf_take(&c.buf);
    if (text)
        fputs(text, out);
    else
        fputs("placesim: out of memory writing the scenario\n", out);
    free(text);
}

char *scenario_canonical_text(const scenario *s)
{
    text_ctx c = { .provenance = 0 };
    visit(s, "", s->root, "", text_line, &c);
    scn_cost_sets_text(&c.buf, s, 0);
    return scn_buf_take(&c.buf);
}

typedef struct json_ctx {
    scn_buf buf;
    int indent;
    size_t count;
} json_ctx;

static void json_entry(void *ctx, const char *path, const scn_node *n)
{
    json_ctx *c = ctx;
    scn_buf_printf(&c->buf, "%s%*s", c->count ? ",\n" : "", c->indent + 2, "");
    scn_buf_quoted(&c->buf, path, 1);
    scn_buf_printf(&c->buf, ": {\"value\": ");
    put_value(&c->buf, n, 1);
    scn_buf_printf(&c->buf, ", \"file\": ");
    scn_buf_quoted(&c->buf, n->file, 1);
    scn_buf_printf(&c->buf, ", \"line\": %d}", n->line);
    c->count++;
}

/* The object starts where the caller's output is (after `"scenario": `, say);
   its members are indented by indent + 2 and its closing brace by indent,
   with no newline after it, so it nests inside a larger document. */
void scenario_write_json(const scenario *s, FILE *out, int indent)
{
    json_ctx c = { .indent = indent < 0 ? 0 : indent };
    scn_buf_printf(&c.buf, "{\n");
    visit(s, "", s->root, "", json_entry, &c);
    scn_buf_printf(&c.buf, "\n%*s}", c.indent, "");
    char *text = scn_buf_take(&c.buf);
    if (text)
        fputs(text, out);
    else
        fputs("{\"error\": \"out of memory\"}", out);
    free(text);
}

/* --- describe ----------------------------------------------------------- */

#define DESCRIBE_WIDTH 78

static const char *type_word(param_type t)
{
    switch (t) {
    case PARAM_INT: return "integer";
    case PARAM_FLOAT: return "number";
    case PARAM_BOOL: return "boolean";
    case PARAM_STRING: return "string";
    case PARAM_ENUM: return "choice";
    case PARAM_DATE: return "date";
    case PARAM_STRINGS: return "strings";
    case PARAM_GROUP: return "group";
    case PARAM_LIST: return "list";
    }
    return "value";
}

/* Writes text word by word, breaking lines at DESCRIBE_WIDTH; a word longer
   than a line is written whole rather than cut. */
static void wrap(FILE *out, int indent, const char *label, const char *text)
{
    int col = fprintf(out, "%*s%s", indent, "", label);
    int at_start = 1;
    const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        int len = (int)strcspn(p, " ");
        if (!at_start && col + 1 + len > DESCRIBE_WIDTH) {
            col = fprintf(out, "\n%*s", indent + (int)strlen(label), "") - 1;
            at_start = 1;
        }
        col += fprintf(out, "%s%.*s", at_start ? "" : " ", len, p);
        at_start = 0;
        p += len;
    }
    fputc('\n', out);
}

void param_table_describe(const param_table *table, FILE *out)
{
    /* The caller titles the table (it knows the owner's description). */
    for (size_t i = 0; i < table->n_specs; i++) {
        const param_spec *sp = &table->specs[i];
        char lo[32], hi[32];
        scn_buf b = { 0 };
        fprintf(out, "%s  %s  (%s%s%s)\n", i ? "\n" : "", sp->path, type_word(sp->type),
                sp->unit && sp->unit[0] ? ", " : "", sp->unit ? sp->unit : "");
        if (sp->type == PARAM_INT || sp->type == PARAM_FLOAT) {
            if (sp->min == 0 && sp->max == 0) {
                scn_buf_printf(&b, "any value");
            } else {
                scn_format_number(sp->min, 0, lo);
                scn_format_number(sp->max, 0, hi);
                scn_buf_printf(&b, "range [%s, %s]", lo, hi);
            }
        } else if (sp->type == PARAM_ENUM) {
            scn_buf_printf(&b, "one of ");
            for (const char *p = sp->choices ? sp->choices : ""; *p; p++)
                scn_buf_printf(&b, *p == '|' ? ", " : "%c", *p);
        } else if (sp->type == PARAM_DATE) {
            scn_buf_printf(&b, "YYYY-MM-DD");
        } else if (sp->type == PARAM_LIST) {
            scn_buf_printf(&b, "entries named by \"name\", members %s.*.<member>", sp->path);
        }
        if (sp->type != PARAM_GROUP) {
            scn_buf_printf(&b, "%s", b.len ? "; " : "");
            if (!sp->default_value)
                scn_buf_printf(&b, "required");
            else if (sp->type == PARAM_STRING || sp->type == PARAM_ENUM || sp->type == PARAM_DATE) {
                scn_buf_printf(&b, "default ");
                scn_buf_quoted(&b, sp->default_value, 0);
            } else {
                scn_buf_printf(&b, "default %s", sp->default_value);
            }
        }
        char *line = scn_buf_take(&b);
        if (line && line[0]) wrap(out, 4, "", line);
        free(line);
        if (sp->doc && sp->doc[0]) wrap(out, 4, "", sp->doc);
        if (sp->source && sp->source[0]) wrap(out, 4, "source: ", sp->source);
    }
}
