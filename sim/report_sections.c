/* report_sections.c — the report's sections about outcomes: the headline
 * metrics over time (from series.csv) and the comparison's metric table. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "svg.h"

/* One run's quantile series of one metric, for the levels chart. */
typedef struct level_arrays {
    double *x, *q;   /* q: n × 5 (5%, 25%, 50%, 75%, 95%) */
    double *cols[5]; /* q de-interleaved, as the chart takes them */
} level_arrays;

static const double level_probs[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };

static void level_free(level_arrays *a)
{
    free(a->x);
    free(a->q);
    for (int k = 0; k < 5; k++) free(a->cols[k]);
    memset(a, 0, sizeof *a);
}

/* 0, or -1 when out of memory. */
static int level_fill(level_arrays *a, const rseries_metric *m, size_t n_reps)
{
    size_t n = m->n_points ? m->n_points : 1;
    a->x = malloc(n * sizeof *a->x);
    a->q = malloc(n * 5 * sizeof *a->q);
    for (int k = 0; k < 5; k++) a->cols[k] = malloc(n * sizeof *a->cols[k]);
    for (int k = 0; k < 5; k++)
        if (!a->cols[k]) return -1;
    if (!a->x || !a->q || rseries_quantiles(m, n_reps, level_probs, 5, a->q) != 0) return -1;
    for (size_t i = 0; i < m->n_points; i++) {
        a->x[i] = (double)m->day[i];
        for (int k = 0; k < 5; k++) a->cols[k][i] = a->q[i * 5 + k];
    }
    return 0;
}

static int any_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) return 1;
    return 0;
}

static void empty_note(hbuf *out, const char *what, const char *metric)
{
    hbuf_puts(out, "<p class=\"empty\">");
    hbuf_puts(out, what);
    hbuf_puts(out, " <code>");
    hbuf_escape(out, metric);
    hbuf_puts(out, "</code>.</p>");
}

static void levels_chart(hbuf *out, const report_ctx *ctx, size_t k)
{
    const report_metric *rm = &ctx->metrics[k];
    level_arrays *arrays = calloc(ctx->n_runs, sizeof *arrays);
    svg_band_series *series = calloc(ctx->n_runs, sizeof *series);
    size_t n_series = 0;
    int drawable = 0;
    if (!arrays || !series) out->failed = 1;
    for (size_t i = 0; !out->failed && i < ctx->n_runs; i++) {
        const report_run *run = &ctx->runs[i];
        const rseries_metric *m = &run->series.metrics[k];
        if (level_fill(&arrays[i], m, run->n_reps) != 0) {
            out->failed = 1;
            break;
        }
        if (m->n_points == 0) continue;
        drawable |= any_finite(arrays[i].cols[2], m->n_points);
        series[n_series++] = (svg_band_series){ .color = report_run_color(i),
                                                .n = m->n_points,
                                                .x = arrays[i].x,
                                                .mid = arrays[i].cols[2],
                                                .inner_lo = arrays[i].cols[1],
                                                .inner_hi = arrays[i].cols[3],
                                                .outer_lo = arrays[i].cols[0],
                                                .outer_hi = arrays[i].cols[4] };
    }
    if (!out->failed && drawable) {
        char title[256];
        snprintf(title, sizeof title, "%s: median across replications, 50%% and 90%% bands",
                 rm->name);
        svg_time_chart c = { .css_class = "chart chart-levels",
                             .title = title,
                             .y_label = rm->unit,
                             .money = rm->kind == METRIC_MONEY,
                             .series = series,
                             .n_series = n_series };
        svg_time_chart_write(out, &c);
    } else if (!out->failed) {
        empty_note(out, "No values in the runs' series.csv (ALL rows) for", rm->name);
    }
    for (size_t i = 0; arrays && i < ctx->n_runs; i++) level_free(&arrays[i]);
    free(arrays);
    free(series);
}

static void difference_chart(hbuf *out, const report_ctx *ctx, size_t k)
{
    const report_metric *rm = &ctx->metrics[k];
    size_t n_arms = ctx->n_runs - 1;
    svg_band_series *series = calloc(n_arms ? n_arms : 1, sizeof *series);
    double **blocks = calloc(n_arms ? n_arms : 1, sizeof *blocks);
    size_t n_series = 0;
    int drawable = 0;
    const report_run *base = &ctx->runs[0];
    const rseries_metric *bm = &base->series.metrics[k];
    if (!series || !blocks) out->failed = 1;
    for (size_t a = 0; !out->failed && a < n_arms; a++) {
        const report_run *arm = &ctx->runs[a + 1];
        const rseries_metric *am = &arm->series.metrics[k];
        size_t room = bm->n_points < am->n_points ? bm->n_points : am->n_points;
        /* One block: days, x, mean, lower, upper. */
        int64_t *days = malloc((room ? room : 1) * sizeof *days);
        blocks[a] = malloc((room ? room : 1) * 4 * sizeof **blocks);
        if (!days || !blocks[a]) {
            free(days);
            out->failed = 1;
            break;
        }
        double *x = blocks[a], *mean = x + room, *lo = mean + room, *hi = lo + room;
        int paired = !ctx->opt->compare.unpaired;
        size_t n =
            rseries_difference(bm, base->n_reps, am, arm->n_reps, paired, days, mean, lo, hi);
        for (size_t i = 0; i < n; i++) x[i] = (double)days[i];
        free(days);
        if (n == 0) continue;
        drawable |= any_finite(mean, n);
        series[n_series++] = (svg_band_series){ .color = report_run_color(a + 1),
                                                .n = n,
                                                .x = x,
                                                .mid = mean,
                                                .outer_lo = lo,
                                                .outer_hi = hi };
    }
    if (!out->failed && drawable) {
        char title[256];
        snprintf(title, sizeof title, "%s: difference from the base with 95%% interval (%s)",
                 rm->name, ctx->opt->compare.unpaired ? "Welch" : "paired replications");
        svg_time_chart c = { .css_class = "chart chart-difference",
                             .title = title,
                             .y_label = rm->unit,
                             .money = rm->kind == METRIC_MONEY,
                             .zero_line = 1,
                             .series = series,
                             .n_series = n_series };
        svg_time_chart_write(out, &c);
    } else if (!out->failed) {
        empty_note(out, "No dates that the base and an arm share with values of", rm->name);
    }
    for (size_t a = 0; blocks && a < n_arms; a++) free(blocks[a]);
    free(blocks);
    free(series);
}

static void run_legend(hbuf *out, const report_ctx *ctx)
{
    hbuf_puts(out, "<ul class=\"legend\">");
    for (size_t i = 0; i < ctx->n_runs; i++) {
        hbuf_printf(out, "<li><span class=\"swatch\" style=\"background:%s\"></span>",
                    report_run_color(i));
        hbuf_escape(out, ctx->runs[i].name);
        hbuf_puts(out, i == 0 ? " (base)</li>" : "</li>");
    }
    hbuf_puts(out, "</ul>");
}

/* "Northgate + Riverside". */
static void area_group(hbuf *out, const report_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_areas; i++) {
        if (i) hbuf_puts(out, " + ");
        hbuf_escape(out, ctx->areas[i]);
    }
}

void report_section_over_time(hbuf *out, const report_ctx *ctx)
{
    hbuf_puts(out, "<section id=\"over-time\"><h2>Headline metrics over time</h2><p>");
    if (ctx->n_areas) {
        hbuf_puts(out, "The areas ");
        area_group(out, ctx);
        hbuf_puts(out,
                  " (the sum of their rows in each run's <code>series.csv</code>) for "
                  "counts, money and levels; a mean, a median or a ratio cannot be re-formed "
                  "from the areas' rows of <code>series.csv</code>, and some metrics exist only "
                  "for the whole place, so their charts show the whole place (<code>ALL</code>), "
                  "as their captions say. ");
    } else {
        hbuf_puts(out, "The whole place (the <code>ALL</code> rows of each run's "
                       "<code>series.csv</code>). ");
    }
    hbuf_puts(out,
              "Values per output period. <b>Left:</b> each run's median "
              "across replications (line) with the 50% (darker) and 90% (lighter) bands of its "
              "replications. <b>Right:</b> each arm minus the base with its 95% interval: ");
    hbuf_puts(out, ctx->opt->compare.unpaired
                       ? "the difference of the two means, Welch's interval (unpaired, as "
                         "asked).</p>"
                       : "the mean over paired replications (common seeds), t with R&#8722;1 "
                         "degrees of freedom.</p>");
    run_legend(out, ctx);
    for (size_t k = 0; k < ctx->n_metrics && !out->failed; k++) {
        hbuf_puts(out, "<figure class=\"metric\"><figcaption><b>");
        hbuf_escape(out, ctx->metrics[k].name);
        hbuf_puts(out, "</b> (");
        hbuf_escape(out, ctx->metrics[k].unit);
        hbuf_puts(out, ")");
        if (ctx->n_areas && ctx->metrics[k].summable) {
            hbuf_puts(out, ", areas ");
            area_group(out, ctx);
        } else if (ctx->n_areas) {
            hbuf_puts(out, ", <b>whole place</b>");
        }
        hbuf_puts(out, "</figcaption><div class=\"pair\"><div>");
        levels_chart(out, ctx, k);
        hbuf_puts(out, "</div><div>");
        difference_chart(out, ctx, k);
        hbuf_puts(out, "</div></div></figure>");
    }
    hbuf_puts(out, "</section>");
}

/* ---- the comparison's metric table ---- */

static void window_line(hbuf *out, const json_t *doc)
{
    const json_t *w = json_object_get(doc, "window");
    hbuf_puts(out, "<p class=\"window\">Comparison window: financial years ");
    rfmt_string(out, w, "from");
    hbuf_puts(out, " to ");
    rfmt_string(out, w, "to");
    hbuf_puts(out, " (");
    rfmt_value(out, w, "years", 0, 0);
    hbuf_puts(out, json_is_true(json_object_get(w, "default"))
                       ? " years, the default: every whole financial year written)"
                       : " years, as asked)");
    hbuf_puts(out, "; areas: ");
    const json_t *areas = json_object_get(doc, "areas");
    size_t i;
    const json_t *a;
    json_array_foreach(areas, i, a)
    {
        if (i) hbuf_puts(out, ", ");
        hbuf_escape(out, json_string_value(a));
    }
    if (json_array_size(areas) == 0) hbuf_puts(out, "n/a");
    hbuf_puts(out, json_is_false(json_object_get(doc, "paired"))
                       ? "; unpaired (Welch) intervals.</p>"
                       : "; paired replications.</p>");
}

void report_section_summary(hbuf *out, const report_ctx *ctx)
{
    const json_t *doc = ctx->comparison;
    hbuf_puts(out, "<section id=\"summary\"><h2>Did it work? Differences over the window</h2>");
    window_line(out, doc);
    size_t i;
    const json_t *arm;
    json_array_foreach(json_object_get(doc, "arms"), i, arm)
    {
        hbuf_puts(out, "<h3>");
        rfmt_string(out, arm, "name");
        hbuf_puts(out, " minus ");
        rfmt_string(out, json_object_get(doc, "base"), "name");
        hbuf_puts(out, "</h3><table class=\"metrics\"><thead><tr><th>metric</th><th>unit</th>"
                       "<th class=\"num\">base mean</th><th class=\"num\">arm mean</th>"
                       "<th class=\"num\">difference (95% interval)</th>"
                       "<th class=\"num\">relative change</th>"
                       "<th class=\"num\">paired ÷ unpaired width</th></tr></thead><tbody>");
        size_t j;
        const json_t *m;
        json_array_foreach(json_object_get(arm, "metrics"), j, m)
        {
            const char *kind = json_string_value(json_object_get(m, "kind"));
            int money = kind && strcmp(kind, "money") == 0;
            hbuf_puts(out, "<tr><td>");
            rfmt_string(out, m, "metric");
            hbuf_puts(out, "</td><td>");
            rfmt_string(out, m, "unit");
            hbuf_puts(out, "</td><td class=\"num\">");
            rfmt_value(out, m, "base_mean", money, 0);
            hbuf_puts(out, "</td><td class=\"num\">");
            rfmt_value(out, m, "arm_mean", money, 0);
            hbuf_puts(out, "</td><td class=\"num\">");
            rfmt_interval_keys(out, m, "difference", "lower", "upper", money);
            hbuf_puts(out, "</td><td class=\"num\">");
            rfmt_value(out, m, "relative_change", 0, 1);
            hbuf_puts(out, "</td><td class=\"num\">");
            rfmt_value(out, m, "width_ratio", 0, 0);
            hbuf_puts(out, "</td></tr>");
        }
        hbuf_puts(out, "</tbody></table>");
    }
    hbuf_puts(out, "</section>");
}
