/* report_sweep_sobol.c — the sweep report's Sobol indices for a Saltelli
 * design: per output (and arm, and non-base arm's difference against the
 * base), first-order and total indices with 95% bootstrap intervals, as
 * `placesim sensitivity` computes them (sensitivity_read, sobol_estimate,
 * the default resamples and seed), in a bar chart and a table. */
#include "report_sweep_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "sobol.h"
#include "svg.h"

/* Room for a parameter key on the chart, in characters; longer keys lose
 * their leading segments ("…pool_years.from"). */
enum { LABEL_CHARS = 32, LABEL_WIDTH = 200 };

static void short_key(const char *key, char *buf, size_t buflen)
{
    size_t n = strlen(key);
    if (n <= LABEL_CHARS) {
        snprintf(buf, buflen, "%s", key);
        return;
    }
    const char *tail = key + n - LABEL_CHARS;
    const char *dot = strchr(tail, '.');
    snprintf(buf, buflen, "\xE2\x80\xA6%s", dot && dot[1] ? dot + 1 : tail);
}

static void index_cell(hbuf *out, double v, double lo, double hi)
{
    char a[48], b[48], c[48];
    rfmt_number(v, 0, a, sizeof a);
    rfmt_number(lo, 0, b, sizeof b);
    rfmt_number(hi, 0, c, sizeof c);
    hbuf_printf(out, "<td class=\"num\">%s <span class=\"ci\">(%s to %s)</span></td>", a, b, c);
}

static void sobol_table(hbuf *out, const sensitivity_data *sd, const sobol_index *idx)
{
    hbuf_puts(out,
              "<table class=\"sobol\"><thead><tr><th>parameter</th><th class=\"num\">"
              "first-order S1 (95% interval)</th><th class=\"num\">total ST (95% interval)</th>"
              "</tr></thead><tbody>");
    double sum = 0.0;
    for (size_t j = 0; j < sd->k; j++) {
        hbuf_puts(out, "<tr><td><code>");
        hbuf_escape(out, sd->params[j]);
        hbuf_puts(out, "</code></td>");
        index_cell(out, idx[j].s1, idx[j].s1_low, idx[j].s1_high);
        index_cell(out, idx[j].st, idx[j].st_low, idx[j].st_high);
        hbuf_puts(out, "</tr>");
        sum += idx[j].s1;
    }
    char s[48];
    rfmt_number(sum, 0, s, sizeof s);
    hbuf_printf(out,
                "</tbody></table><p class=\"meta\">Sum of S1: %s (1 minus it is the share "
                "due to interactions and the runs' own randomness). %zu of %zu base samples "
                "used.</p>",
                s, sd->n, sd->n_design);
}

static void sobol_chart(hbuf *out, const sensitivity_data *sd, const sobol_index *idx,
                        const char *title)
{
    svg_bar_item *items = calloc(sd->k, sizeof *items);
    char(*labels)[LABEL_CHARS + 8] = calloc(sd->k, sizeof *labels);
    if (!items || !labels) {
        out->failed = 1;
        free(items);
        free(labels);
        return;
    }
    for (size_t j = 0; j < sd->k; j++) {
        short_key(sd->params[j], labels[j], sizeof labels[j]);
        items[j].label = labels[j];
        items[j].values[0] = (svg_bar_value){ 1, idx[j].s1, idx[j].s1_low, idx[j].s1_high, 1 };
        items[j].values[1] = (svg_bar_value){ 1, idx[j].st, idx[j].st_low, idx[j].st_high, 1 };
    }
    svg_bar_chart c = { .css_class = "chart chart-sobol",
                        .title = title,
                        .colors = { "#0072b2", "#e69f00" },
                        .n_measures = 2,
                        .items = items,
                        .n_items = sd->k,
                        .label_width = LABEL_WIDTH };
    svg_bar_chart_write(out, &c);
    free(items);
    free(labels);
}

/* One output of one arm (diff: its difference against the base arm). */
static void sobol_one(hbuf *out, const rsw_data *d, size_t o, size_t arm, int diff)
{
    char words[256], title[1024], err[1024] = "";
    rsw_output_title(&d->outputs[o], words, sizeof words);
    snprintf(title, sizeof title, "%s: %s%s%s, Sobol indices", words, d->arms[arm].name,
             diff ? " minus " : "", diff ? d->arms[0].name : "");
    hbuf_puts(out, "<figure><figcaption><b>");
    hbuf_escape(out, title);
    hbuf_puts(out, "</b></figcaption>");
    sensitivity_request req = { .db_path = d->path,
                                .metric = d->outputs[o].name,
                                .arm = d->arms[arm].name,
                                .difference = diff };
    sensitivity_data sd;
    sobol_index *idx = NULL;
    int status = sensitivity_read(&req, &sd, err, sizeof err);
    int have_data = status == 0; /* sd to free, whatever the estimate does */
    if (status == 0) {
        idx = malloc(sd.k * sizeof *idx);
        if (!idx)
            out->failed = 1;
        else if (sobol_estimate(&(sobol_outputs){ sd.fa, sd.fb, sd.fab, sd.n, sd.k },
                                SOBOL_BOOTSTRAP_DEFAULT, SOBOL_SEED_DEFAULT, idx, NULL, err,
                                sizeof err) != 0)
            status = 1;
    }
    if (status == 0 && idx) {
        hbuf_puts(out, "<ul class=\"legend\"><li><span class=\"swatch\" style=\"background:"
                       "#0072b2\"></span>first-order S1</li><li><span class=\"swatch\" style=\""
                       "background:#e69f00\"></span>total ST</li><li><span class=\"whisker-key\">"
                       "</span>95% interval</li></ul>");
        sobol_chart(out, &sd, idx, title);
        hbuf_puts(out, "<p class=\"how\">Blue: first-order index S1, the share of the output's "
                       "variance across points that the parameter explains alone. Orange: total "
                       "index ST, the share it takes part in, interactions included. Whiskers are "
                       "95% bootstrap intervals; 0 is no influence, 1 all of it.</p>");
        sobol_table(out, &sd, idx);
    } else if (!out->failed) {
        hbuf_puts(out, "<p class=\"empty\">No indices: ");
        hbuf_escape(out, err);
        hbuf_puts(out, "</p>");
    }
    if (have_data) sensitivity_data_free(&sd);
    free(idx);
    hbuf_puts(out, "</figure>");
}

void rsw_section_sobol(hbuf *out, const rsw_data *d)
{
    if (strcmp(d->design, "saltelli") != 0) return;
    hbuf_puts(out, "<section id=\"sobol\"><h2>Which parameters matter most (Sobol indices)</h2>"
                   "<p>For each output, how much of its variation across the design's points each "
                   "parameter explains, as <code>placesim sensitivity</code> computes it (Saltelli "
                   "2010 first-order, Jansen 1999 total; 1,000 bootstrap resamples, seed 1). The "
                   "model output at a point is the mean over its replications, so the runs' own "
                   "randomness lowers every S1 a little.</p>");
    size_t per_output = d->n_arms + (d->n_arms - 1), total = d->n_outputs * per_output;
    size_t shown = total < RSW_MAX_CHARTS ? total : RSW_MAX_CHARTS;
    if (shown < total)
        hbuf_printf(out,
                    "<p class=\"note\">This page shows the first %zu of %zu sets of indices, "
                    "to stay readable; <code>placesim sensitivity</code> gives any of them.</p>",
                    shown, total);
    hbuf_puts(out, "<div class=\"pair\">");
    for (size_t k = 0; k < shown; k++) {
        size_t o = k / per_output, r = k % per_output;
        sobol_one(out, d, o, r < d->n_arms ? r : r - d->n_arms + 1, r >= d->n_arms);
    }
    hbuf_puts(out, "</div></section>");
}
