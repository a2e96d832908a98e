/* report_sweep.c — report_sweep_build: reads a sweep's results store
 * (report_sweep_read.c) and writes the page: head, what was swept, the
 * charts (report_sweep_charts.c, report_sweep_sobol.c), the cost-benefit
 * across points (report_sweep_psa*.c), provenance, and the
 * run report's stylesheet and mark-counting script (report_page.c). */
#include "report_sweep_internal.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_format.h"
#include "report_internal.h"
#include "sweep_store.h"

#ifndef PLACESIM_VERSION
#define PLACESIM_VERSION "unknown"
#endif

/* What the sweep report adds to the run report's stylesheet. */
static const char sweep_style[] =
    ".how{color:#444;font-size:.85rem;margin:.3rem 0 0}"
    "svg .axis-label{font-size:11px;fill:#222}svg .cell-label{font-size:10px}"
    "table.params td,table.outputs td{max-width:22rem}"
    ".pair.two{grid-template-columns:1fr 1fr}";

int report_sweep_is_database(const char *path)
{
    static const char header[16] = "SQLite format 3"; /* and its NUL */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    char head[16];
    ssize_t got = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) got = read(fd, head, sizeof head);
    close(fd);
    return got == (ssize_t)sizeof head && memcmp(head, header, sizeof head) == 0;
}

/* "a full grid of 6 points" ("A ..." when capital). */
static void design_words(hbuf *out, const rsw_data *d, int capital)
{
    long long n = d->n_points;
    const char *a = capital ? "A" : "a";
    if (strcmp(d->design, "grid") == 0)
        hbuf_printf(out, "%s full grid of %lld points", a, n);
    else if (strcmp(d->design, "list") == 0)
        hbuf_printf(out, "%s list of %lld points", a, n);
    else if (strcmp(d->design, "lhs") == 0)
        hbuf_printf(out, "%s Latin hypercube of %lld points", a, n);
    else if (strcmp(d->design, "saltelli") == 0)
        hbuf_printf(out, "%s Saltelli design of %lld base samples (%lld points)", a, d->samples, n);
    else {
        hbuf_escape(out, d->design);
        hbuf_printf(out, " design of %lld points", n);
    }
}

/* The values a parameter takes at the design's points, or its range. */
static void param_range(hbuf *out, const rsw_data *d, size_t j)
{
    const rsw_param *p = &d->params[j];
    char a[64], b[64];
    if (p->distribution && strcmp(p->distribution, "values") != 0) {
        rsw_format_value(p->min, a, sizeof a);
        rsw_format_value(p->max, b, sizeof b);
        hbuf_printf(out, "%s to %s", a, b);
        if (isfinite(p->mean)) {
            rsw_format_value(p->mean, a, sizeof a);
            rsw_format_value(p->sd, b, sizeof b);
            hbuf_printf(out, " (mean %s, sd %s)", a, b);
        }
        return;
    }
    /* Listed values: the distinct ones, in the order the points meet them. */
    size_t shown = 0, distinct = 0;
    for (size_t q = 0; q < (size_t)d->n_points; q++) {
        double v = d->values[q * d->n_params + j];
        int seen = 0;
        for (size_t r = 0; r < q && !seen; r++) seen = d->values[r * d->n_params + j] == v;
        if (seen) continue;
        distinct++;
        if (shown++ >= 12) continue;
        rsw_format_value(v, a, sizeof a);
        hbuf_printf(out, "%s%s", shown > 1 ? ", " : "", a);
    }
    if (distinct > 12) hbuf_printf(out, " &#8230; (%zu values)", distinct);
}

static void params_table(hbuf *out, const rsw_data *d)
{
    hbuf_puts(out, "<table class=\"params\"><caption>Swept parameters</caption><thead><tr>"
                   "<th>parameter</th><th>in words</th><th>unit</th><th>distribution</th>"
                   "<th>values or range</th></tr></thead><tbody>");
    for (size_t j = 0; j < d->n_params; j++) {
        char words[256];
        rsw_words(d->params[j].key, words, sizeof words);
        hbuf_puts(out, "<tr><td><code>");
        hbuf_escape(out, d->params[j].key);
        hbuf_puts(out, "</code></td><td>");
        hbuf_escape(out, words);
        hbuf_puts(out, "</td><td>");
        hbuf_escape(out, d->params[j].unit ? d->params[j].unit : "");
        hbuf_puts(out, "</td><td>");
        hbuf_escape(out, d->params[j].distribution ? d->params[j].distribution : "n/a");
        hbuf_puts(out, d->params[j].whole ? " (whole numbers)</td><td>" : "</td><td>");
        param_range(out, d, j);
        hbuf_puts(out, "</td></tr>");
    }
    hbuf_puts(out, "</tbody></table>");
}

static void arms_table(hbuf *out, const rsw_data *d)
{
    long per_arm = (long)(d->n_points * d->replications);
    hbuf_puts(out, "<table class=\"arms\"><caption>Arms (scenarios run at every point, with the "
                   "same seeds)</caption><thead><tr><th>arm</th><th>scenario</th><th class=\"num\">"
                   "runs ok</th><th class=\"num\">failed</th><th class=\"num\">not yet run</th>"
                   "</tr></thead><tbody>");
    for (size_t a = 0; a < d->n_arms; a++) {
        const rsw_arm *arm = &d->arms[a];
        long missing = per_arm - arm->runs_ok - arm->runs_failed;
        hbuf_puts(out, "<tr><td>");
        hbuf_escape(out, arm->name);
        hbuf_puts(out, a == 0 ? " (base)</td><td class=\"path\">" : "</td><td class=\"path\">");
        hbuf_escape(out, arm->scenario ? arm->scenario : "n/a");
        hbuf_printf(out,
                    "</td><td class=\"num\">%ld</td><td class=\"num\">%ld</td>"
                    "<td class=\"num\">%ld</td></tr>",
                    arm->runs_ok, arm->runs_failed, missing > 0 ? missing : 0);
    }
    hbuf_puts(out, "</tbody></table>");
}

static void outputs_table(hbuf *out, const rsw_data *d)
{
    hbuf_puts(out, "<table class=\"outputs\"><caption>Kept outputs (one value per run)</caption>"
                   "<thead><tr><th>column</th><th>in words</th><th>unit</th></tr></thead><tbody>");
    for (size_t o = 0; o < d->n_outputs; o++) {
        char words[512], unit[160];
        rsw_output_title(&d->outputs[o], words, sizeof words);
        rsw_output_unit(&d->outputs[o], unit, sizeof unit);
        hbuf_puts(out, "<tr><td><code>");
        hbuf_escape(out, d->outputs[o].name);
        hbuf_puts(out, "</code></td><td>");
        hbuf_escape(out, words);
        hbuf_puts(out, "</td><td>");
        hbuf_escape(out, unit);
        hbuf_puts(out, "</td></tr>");
    }
    hbuf_puts(out, "</tbody></table>");
}

static void failures(hbuf *out, const rsw_data *d)
{
    long failed = 0, ok = 0;
    for (size_t a = 0; a < d->n_arms; a++) {
        failed += d->arms[a].runs_failed;
        ok += d->arms[a].runs_ok;
    }
    if (ok + failed < d->runs_expected)
        hbuf_printf(out,
                    "<p class=\"note\"><b>Unfinished:</b> %ld of the sweep's %ld runs are "
                    "recorded. Points without runs have no dots; resume the sweep "
                    "(<code>placesim sweep --resume</code>) or merge its shards for the whole "
                    "picture.</p>",
                    ok + failed, d->runs_expected);
    if (failed == 0) return;
    hbuf_printf(out,
                "<p class=\"note\"><b>%ld run%s failed</b> and %s left out of every mean. "
                "The first:</p><ul>",
                failed, failed == 1 ? "" : "s", failed == 1 ? "is" : "are");
    for (size_t f = 0; f < d->n_failures; f++) {
        const rsw_failure *x = &d->failures[f];
        hbuf_printf(out, "<li>point %lld, arm ", x->point);
        hbuf_escape(out, x->arm >= 0 && (size_t)x->arm < d->n_arms ? d->arms[x->arm].name : "?");
        hbuf_printf(out, ", replication %lld: ", x->replication);
        hbuf_escape(out, x->error ? x->error : "no reason recorded");
        hbuf_puts(out, "</li>");
    }
    hbuf_puts(out, "</ul>");
}

static void section_what(hbuf *out, const rsw_data *d, const char *no_cost_benefit)
{
    hbuf_puts(out, "<section id=\"what\"><h2>What was swept</h2><p>");
    design_words(out, d, 1);
    hbuf_printf(out,
                " over %zu parameter%s, each point run %lld time%s (replications) for "
                "each of %zu arm%s: %ld runs. The outputs are summaries of each run; a point's "
                "value in the charts is the mean over its replications.</p>",
                d->n_params, d->n_params == 1 ? "" : "s", d->replications,
                d->replications == 1 ? "" : "s", d->n_arms, d->n_arms == 1 ? "" : "s",
                d->runs_expected);
    failures(out, d);
    params_table(out, d);
    arms_table(out, d);
    outputs_table(out, d);
    if (!rsw_has_cost_benefit(d)) {
        hbuf_puts(out, "<p class=\"meta\" id=\"no-cost-benefit\">No cost-benefit: ");
        hbuf_escape(out, no_cost_benefit);
        hbuf_puts(out, ".</p>");
    }
    hbuf_puts(out, "</section>");
}

static void provenance_row(hbuf *out, const char *label, const char *value, int path)
{
    hbuf_printf(out, "<tr><th scope=\"row\">%s</th><td%s>", label, path ? " class=\"path\"" : "");
    hbuf_escape(out, value ? value : "n/a");
    hbuf_puts(out, "</td></tr>");
}

static void section_provenance(hbuf *out, const rsw_data *d, const report_sweep_options *opt)
{
    hbuf_puts(out, "<section id=\"provenance\"><h2>Provenance</h2><p>This report: <code>");
    for (int i = 0; i < opt->argc; i++) {
        if (i) hbuf_puts(out, " ");
        report_shell_word(out, opt->argv[i]);
    }
    hbuf_puts(out, "</code>, placesim " PLACESIM_VERSION ".</p><table class=\"runs\"><tbody>");
    char version[32];
    snprintf(version, sizeof version, "%d", d->schema_version);
    provenance_row(out, "results database", d->path, 1);
    provenance_row(out, "sweep", d->name, 0);
    provenance_row(out, "sweep file", d->sweep_path, 1);
    provenance_row(out, "sweep SHA-256 (resolved text)", d->sha256, 1);
    provenance_row(out, "placesim version of the runs", d->program_version, 0);
    provenance_row(out, "master seed", d->master_seed, 0);
    provenance_row(out, "created (UTC)", d->created, 0);
    provenance_row(out, "shard", d->shard ? d->shard : "whole sweep", 0);
    provenance_row(out, "schema version", version, 0);
    hbuf_puts(out, "</tbody></table><p class=\"meta\">Each point's seed and every run's seed are "
                   "in the database (<code>points.seed</code>, <code>runs.seed</code>): a run is "
                   "reproduced by <code>placesim run ARM.cfg --set KEY=VALUE ... --seed "
                   "POINT_SEED</code>.</p></section>");
}

static void page_head(hbuf *out, const rsw_data *d)
{
    hbuf_puts(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" REPORT_GENERATOR_META
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\"><title>placesim sweep report: ");
    hbuf_escape(out, d->name);
    hbuf_printf(out, "</title><style>%s%s</style></head><body><header><h1>Sweep ",
                report_page_style, sweep_style);
    hbuf_escape(out, d->name);
    hbuf_puts(out, ": what moves the results</h1><p class=\"meta\">placesim " PLACESIM_VERSION
                   " report &#183; ");
    design_words(out, d, 0);
    hbuf_printf(out, " &#183; %lld replications &#183; %zu arm%s &#183; master seed ",
                d->replications, d->n_arms, d->n_arms == 1 ? "" : "s");
    hbuf_escape(out, d->master_seed ? d->master_seed : "n/a");
    hbuf_puts(out, "</p></header><p class=\"note\"><b>Read with care:</b> each point's whisker "
                   "is the 95% interval of its mean over its replications: the runs' own "
                   "randomness. Differences between points are the swept parameters' effects, "
                   "within the ranges swept; they say nothing of values outside them.</p><nav><ul>"
                   "<li><a href=\"#what\">What was swept</a></li>"
                   "<li><a href=\"#by-parameter\">Each output against each parameter</a></li>");
    if (strcmp(d->design, "grid") == 0 && d->n_params == 2)
        hbuf_puts(out, "<li><a href=\"#heat-maps\">The grid at a glance</a></li>");
    if (strcmp(d->design, "saltelli") == 0)
        hbuf_puts(out, "<li><a href=\"#sobol\">Which parameters matter most</a></li>");
    if (rsw_has_cost_benefit(d))
        hbuf_puts(out, "<li><a href=\"#cost-benefit\">Cost-benefit across the points</a></li>");
    hbuf_puts(out, "<li><a href=\"#provenance\">Provenance</a></li></ul></nav>");
}

int report_sweep_build(const char *db_path, const report_sweep_options *opt, hbuf *out, char *err,
                       size_t errlen)
{
    rsw_data d;
    int status = rsw_read(db_path, &d, err, errlen);
    if (status != 0) return status;
    json_t *psa = NULL;
    char why[1024] = "";
    status = rsw_psa_prepare(db_path, &d, opt, &psa, why, sizeof why, err, errlen);
    if (status != 0) {
        rsw_data_free(&d);
        return status;
    }
    page_head(out, &d);
    section_what(out, &d, why);
    rsw_section_scatter(out, &d);
    rsw_section_heatmap(out, &d);
    rsw_section_sobol(out, &d);
    rsw_section_psa(out, &d, psa, why);
    json_decref(psa);
    section_provenance(out, &d, opt);
    hbuf_printf(out, "<script>%s</script></body></html>\n", report_page_script);
    if (out->failed) {
        snprintf(err, errlen, "out of memory");
        status = 1;
    }
    rsw_data_free(&d);
    return status;
}
