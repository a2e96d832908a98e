/* report_page.c — report_build: loads the inputs, asks compare_json for the
 * comparison, and writes the page: head and print stylesheet, the sections
 * (report_sections.c, report_money.c), parameters that differ, provenance,
 * and the one inline script (it only counts each chart's drawn marks into
 * data-drawn, for the browser test; the page needs no script to read). */
#include "report_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"

#ifndef PLACESIM_VERSION
#define PLACESIM_VERSION "unknown"
#endif

const char report_page_style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#222;background:#fff;max-width:1120px;margin:0 auto;padding:1.2rem 1.5rem}"
    "h1{font-size:1.55rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:1px solid #bbb;"
    "margin-top:2rem;padding-bottom:.2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}"
    ".meta{color:#555;margin:.2rem 0}"
    ".note{background:#fff6dc;border-left:4px solid #e69f00;padding:.5rem .8rem;margin:1rem 0}"
    "nav ul{margin:.3rem 0;padding-left:1.2rem;columns:2}"
    "table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1rem}"
    "caption{text-align:left;font-weight:600;padding:.2rem 0}"
    "th,td{padding:3px 8px;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top}"
    "thead th{border-bottom:1px solid #999}.num{text-align:right;"
    "font-variant-numeric:tabular-nums}td.num{white-space:nowrap}.ci{color:#666}"
    "td .ci{display:block;font-size:.9em}"
    "code,.path{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;"
    "word-break:break-all}"
    "figure{margin:1rem 0}figcaption{margin-bottom:.3rem}"
    ".pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:1rem;"
    "align-items:start}.single{max-width:640px}"
    "svg.chart{width:100%;height:auto;display:block}"
    "svg text{font-size:11px;fill:#444}svg .grid{stroke:#e6e6e6;stroke-width:1}"
    "svg .zero{stroke:#444;stroke-dasharray:4 3;stroke-width:1}"
    "svg .frame{fill:none;stroke:#999;stroke-width:1}svg .whisker{stroke:#111;fill:none;"
    "stroke-width:1.2}svg .na{font-style:italic;fill:#777}"
    ".legend{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}"
    ".swatch{display:inline-block;width:14px;height:10px;margin-right:5px;vertical-align:middle}"
    ".whisker-key{display:inline-block;width:16px;height:8px;margin-right:5px;"
    "border:1.5px solid #111;border-top:0;border-bottom:0;background:linear-gradient(#111,#111)"
    " center/100% 1.5px no-repeat;vertical-align:middle}"
    ".empty{color:#777;font-style:italic}.seeds{font-size:.75rem;color:#555}"
    "@media print{@page{size:A4;margin:14mm 13mm}"
    "body{max-width:none;padding:0;font-size:9.5pt}nav{display:none}"
    ".pair{grid-template-columns:1fr 1fr;gap:4mm}.pair svg text{font-size:14px}"
    ".single{max-width:130mm}"
    "figure,tr{break-inside:avoid}h2,h3{break-after:avoid}table{font-size:8pt}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

const char report_page_script[] =
    "(function(){var c=document.querySelectorAll('svg.chart');"
    "for(var i=0;i<c.length;i++){var m=c[i].querySelectorAll('.mark'),n=0;"
    "for(var j=0;j<m.length;j++){var b=m[j].getBBox();if(b.width>0||b.height>0)n++;}"
    "c[i].setAttribute('data-drawn',String(n));}"
    "document.documentElement.setAttribute('data-charts',String(c.length));})();";

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void report_shell_word(hbuf *out, const char *arg)
{
    int plain = *arg != '\0';
    for (const char *p = arg; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+-@%", *p))
            plain = 0;
    if (plain) {
        hbuf_escape(out, arg);
        return;
    }
    hbuf_puts(out, "&#39;");
    for (const char *p = arg; *p;) {
        const char *q = strchr(p, '\'');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        char *part = strndup(p, n);
        if (!part) {
            out->failed = 1;
            return;
        }
        hbuf_escape(out, part);
        free(part);
        if (!q) break;
        hbuf_puts(out, "&#39;\\&#39;&#39;");
        p = q + 1;
    }
    hbuf_puts(out, "&#39;");
}

/* A value as the scenario would write it: a whole number without ".0"
 * (manifests are read with integers as reals), strings quoted inside lists. */
static void json_text(hbuf *out, const json_t *v, int top)
{
    size_t i;
    const json_t *item;
    const char *key;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (!top) hbuf_puts(out, "&quot;");
        hbuf_escape(out, json_string_value(v));
        if (!top) hbuf_puts(out, "&quot;");
        break;
    case JSON_INTEGER:
    case JSON_REAL: {
        double x = json_number_value(v);
        if (x == floor(x) && fabs(x) < 1e15)
            hbuf_printf(out, "%.0f", x);
        else
            hbuf_printf(out, "%.12g", x);
        break;
    }
    case JSON_ARRAY:
        hbuf_puts(out, "[");
        json_array_foreach(v, i, item)
        {
            hbuf_puts(out, i ? ", " : "");
            json_text(out, item, 0);
        }
        hbuf_puts(out, "]");
        break;
    case JSON_OBJECT:
        hbuf_puts(out, "{");
        i = 0;
        json_object_foreach((json_t *)v, key, item)
        {
            hbuf_puts(out, i++ ? ", " : "");
            hbuf_escape(out, key);
            hbuf_puts(out, " = ");
            json_text(out, item, 0);
        }
        hbuf_puts(out, "}");
        break;
    case JSON_TRUE: hbuf_puts(out, "true"); break;
    case JSON_FALSE: hbuf_puts(out, "false"); break;
    case JSON_NULL: hbuf_puts(out, "null"); break;
    }
}

static void param_value(hbuf *out, const json_t *entry)
{
    const json_t *v = json_object_get(entry, "value");
    if (!entry)
        hbuf_puts(out, "<span class=\"empty\">not set</span>");
    else if (!v)
        hbuf_puts(out, "n/a");
    else
        json_text(out, v, 1);
}

static void param_row(hbuf *out, const char *key, const json_t *base, const json_t *arm)
{
    hbuf_puts(out, "<tr><td><code>");
    hbuf_escape(out, key);
    hbuf_puts(out, "</code></td><td>");
    param_value(out, base);
    hbuf_puts(out, "</td><td>");
    param_value(out, arm);
    hbuf_puts(out, "</td><td class=\"path\">");
    const json_t *where = arm ? arm : base;
    const char *file = json_string_value(json_object_get(where, "file"));
    double line;
    if (file && strcmp(file, "default") == 0) {
        hbuf_puts(out, "default");
    } else {
        rfmt_string(out, where, "file");
        if (rfmt_get_number(where, "line", &line)) hbuf_printf(out, ":%.0f", line);
    }
    hbuf_puts(out, arm ? "" : " (base)");
    hbuf_puts(out, "</td></tr>");
}

static void section_parameters(hbuf *out, const report_ctx *ctx)
{
    hbuf_puts(out,
              "<section id=\"parameters\"><h2>What the arms change</h2><p>Every resolved "
              "parameter (from each run's <code>manifest.json</code>) whose value differs from the "
              "base's, with the file and line that set it.</p>");
    const json_t *base = json_object_get(ctx->runs[0].manifest, "parameters");
    for (size_t i = 1; i < ctx->n_runs; i++) {
        const json_t *arm = json_object_get(ctx->runs[i].manifest, "parameters");
        hbuf_puts(out, "<h3>");
        hbuf_escape(out, ctx->runs[i].name);
        hbuf_puts(out, "</h3>");
        size_t rows = 0;
        const char *key;
        json_t *entry;
        json_object_foreach((json_t *)arm, key, entry)
        {
            const json_t *b = json_object_get(base, key);
            if (b && json_equal(json_object_get(b, "value"), json_object_get(entry, "value")))
                continue;
            if (rows++ == 0)
                hbuf_puts(out, "<table class=\"params\"><thead><tr><th>parameter</th>"
                               "<th>base</th><th>arm</th><th>set at</th></tr></thead><tbody>");
            param_row(out, key, b, entry);
        }
        json_object_foreach((json_t *)base, key, entry)
        {
            if (json_object_get(arm, key)) continue;
            if (rows++ == 0)
                hbuf_puts(out, "<table class=\"params\"><thead><tr><th>parameter</th>"
                               "<th>base</th><th>arm</th><th>set at</th></tr></thead><tbody>");
            param_row(out, key, entry, NULL);
        }
        hbuf_puts(out, rows ? "</tbody></table>"
                            : "<p class=\"empty\">No parameter differs from the base.</p>");
    }
    hbuf_puts(out, "</section>");
}

/* The rows of the provenance table, one column per run. */
typedef enum prov_kind {
    PROV_ROLE,
    PROV_NAME,
    PROV_DIR,
    PROV_SCENARIO,
    PROV_MANIFEST,
    PROV_YEARS,
    PROV_REPS,
    PROV_COMMAND
} prov_kind;

static const struct prov_row {
    const char *label;
    prov_kind kind;
    const char *key; /* PROV_SCENARIO: of "scenario"; PROV_MANIFEST: top level */
} prov_rows[] = {
    { "role", PROV_ROLE, NULL },
    { "scenario", PROV_NAME, NULL },
    { "run directory", PROV_DIR, NULL },
    { "scenario file", PROV_SCENARIO, "path" },
    { "scenario SHA-256 (canonical)", PROV_SCENARIO, "hash" },
    { "placesim version", PROV_MANIFEST, "version" },
    { "master seed", PROV_MANIFEST, "master_seed" },
    { "replications", PROV_REPS, NULL },
    { "written from", PROV_MANIFEST, "start" },
    { "written to", PROV_MANIFEST, "end" },
    { "written years", PROV_YEARS, NULL },
    { "output period", PROV_MANIFEST, "period" },
    { "command", PROV_COMMAND, NULL },
};

static void prov_cell(hbuf *out, const report_run *run, size_t index, const struct prov_row *row)
{
    const json_t *m = run->manifest;
    size_t k;
    const json_t *item;
    switch (row->kind) {
    case PROV_ROLE: hbuf_puts(out, index == 0 ? "base" : "arm"); break;
    case PROV_NAME: hbuf_escape(out, run->name); break;
    case PROV_DIR:
        hbuf_puts(out, "<span class=\"path\">");
        hbuf_escape(out, run->dir);
        hbuf_puts(out, "</span>");
        break;
    case PROV_SCENARIO:
        hbuf_puts(out, "<span class=\"path\">");
        rfmt_string(out, json_object_get(m, "scenario"), row->key);
        hbuf_puts(out, "</span>");
        break;
    case PROV_MANIFEST: rfmt_string(out, m, row->key); break;
    case PROV_YEARS:
        rfmt_value(out, json_object_get(json_object_get(m, "parameters"), "years"), "value", 0, 0);
        break;
    case PROV_REPS:
        hbuf_printf(out, "%zu<div class=\"seeds\">seeds: ", run->n_reps);
        json_array_foreach(json_object_get(m, "replications"), k, item)
        {
            if (k) hbuf_puts(out, ", ");
            rfmt_string(out, item, "seed");
        }
        hbuf_puts(out, "</div>");
        break;
    case PROV_COMMAND:
        hbuf_puts(out, "<code>");
        json_array_foreach(json_object_get(m, "command"), k, item)
        {
            if (k) hbuf_puts(out, " ");
            report_shell_word(out, json_string_value(item) ? json_string_value(item) : "?");
        }
        hbuf_puts(out, "</code>");
        break;
    }
}

static void section_provenance(hbuf *out, const report_ctx *ctx)
{
    hbuf_puts(out, "<section id=\"provenance\"><h2>Provenance</h2><p>This report: <code>");
    for (int i = 0; i < ctx->opt->argc; i++) {
        if (i) hbuf_puts(out, " ");
        report_shell_word(out, ctx->opt->argv[i]);
    }
    hbuf_puts(out, "</code>, placesim " PLACESIM_VERSION "; comparison by placesim ");
    rfmt_string(out, ctx->comparison, "version");
    if (ctx->experiment_dir) {
        hbuf_puts(out, "; experiment directory <span class=\"path\">");
        hbuf_escape(out, ctx->experiment_dir);
        hbuf_puts(out, "</span>");
    }
    hbuf_puts(out, ".</p><table class=\"runs\"><tbody>");
    for (size_t r = 0; r < sizeof prov_rows / sizeof prov_rows[0]; r++) {
        hbuf_printf(out, "<tr><th scope=\"row\">%s</th>", prov_rows[r].label);
        for (size_t i = 0; i < ctx->n_runs; i++) {
            hbuf_puts(out, "<td>");
            prov_cell(out, &ctx->runs[i], i, &prov_rows[r]);
            hbuf_puts(out, "</td>");
        }
        hbuf_puts(out, "</tr>");
    }
    hbuf_puts(out, "</tbody></table></section>");
}

static void page_head(hbuf *out, const report_ctx *ctx)
{
    hbuf_puts(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" REPORT_GENERATOR_META
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\"><title>placesim report: ");
    for (size_t i = 1; i < ctx->n_runs; i++) {
        if (i > 1) hbuf_puts(out, ", ");
        hbuf_escape(out, ctx->runs[i].name);
    }
    hbuf_puts(out, " against ");
    hbuf_escape(out, ctx->runs[0].name);
    hbuf_printf(out, "</title><style>%s</style></head><body><header><h1>", report_page_style);
    for (size_t i = 1; i < ctx->n_runs; i++) {
        if (i > 1) hbuf_puts(out, ", ");
        hbuf_escape(out, ctx->runs[i].name);
    }
    hbuf_puts(out, " against ");
    hbuf_escape(out, ctx->runs[0].name);
    hbuf_printf(out,
                "</h1><p class=\"meta\">placesim " PLACESIM_VERSION " report &#183; %zu "
                "replications &#183; master seed ",
                ctx->runs[0].n_reps);
    rfmt_string(out, ctx->runs[0].manifest, "master_seed");
    hbuf_puts(out, " &#183; written ");
    rfmt_string(out, ctx->runs[0].manifest, "start");
    hbuf_puts(out, " to ");
    rfmt_string(out, ctx->runs[0].manifest, "end");
    hbuf_puts(out, "</p></header><p class=\"note\"><b>Read with care:</b> ");
    /* The comparison's own note when it has one: the report says the same
     * of its bands over time. */
    const char *note = json_string_value(json_object_get(ctx->comparison, "note"));
    hbuf_escape(out, note ? note
                          : "Intervals express the runs' randomness only (paired "
                            "replications, common seeds), not uncertainty in the parameters.");
    hbuf_puts(out, " So do the bands of the charts over time.</p><nav><ul>"
                   "<li><a href=\"#summary\">Did it work?</a></li>"
                   "<li><a href=\"#over-time\">Headline metrics over time</a></li>"
                   "<li><a href=\"#who-pays\">Who pays, who benefits</a></li>"
                   "<li><a href=\"#cost-benefit\">Cost-benefit</a></li>"
                   "<li><a href=\"#parameters\">What the arms change</a></li>"
                   "<li><a href=\"#provenance\">Provenance</a></li></ul></nav>");
}

int report_build(const char *const *dirs, size_t n_dirs, const report_options *opt, hbuf *out,
                 char *err, size_t errlen)
{
    report_ctx ctx = { .opt = opt };
    int status = report_resolve_metrics(&ctx, err, errlen);
    if (status == 0 && n_dirs == 0) {
        set_err(err, errlen,
                "no run directories (give the base's and the arms', or an "
                "experiment directory)");
        status = 2;
    }
    if (status == 0) status = report_load_runs(&ctx, dirs, n_dirs, err, errlen);
    if (status == 0) status = report_resolve_areas(&ctx, err, errlen);
    if (status == 0) {
        compare_options copt = opt->compare;
        copt.metrics = opt->metrics;
        copt.n_metrics = opt->n_metrics;
        /* The areas as resolved (each once; none for ALL), so that naming an
         * area twice means the same to the charts and to the comparison. */
        copt.areas = (const char *const *)ctx.areas;
        copt.n_areas = ctx.n_areas;
        status = compare_json(dirs, n_dirs, &copt, &ctx.comparison, err, errlen);
    }
    if (status == 0 && !json_is_array(json_object_get(ctx.comparison, "arms"))) {
        set_err(err, errlen, "the comparison document has no \"arms\"");
        status = 1;
    }
    if (status == 0) status = report_load_series(&ctx, err, errlen);
    if (status == 0) {
        page_head(out, &ctx);
        report_section_summary(out, &ctx);
        report_section_over_time(out, &ctx);
        report_section_who_pays(out, &ctx);
        report_section_cost_benefit(out, &ctx);
        section_parameters(out, &ctx);
        section_provenance(out, &ctx);
        hbuf_printf(out, "<script>%s</script></body></html>\n", report_page_script);
        if (out->failed) {
            set_err(err, errlen, "out of memory");
            status = 1;
        }
    }
    report_ctx_free(&ctx);
    return status;
}
