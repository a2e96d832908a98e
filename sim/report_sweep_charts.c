/* report_sweep_charts.c — the sweep report's charts of point means: each
 * kept output against each swept parameter (a scatter with whiskers per
 * output and parameter, every arm in it, and each arm's paired difference
 * against the base), and for a two-parameter grid a heat map per output. */
#include "report_sweep_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "report_internal.h"
#include "svg.h"

/* What a chart's tooltips need: which output, and whether the series are
 * values (arm s) or differences (arm s + 1). */
typedef struct tip_ctx {
    const rsw_data *d;
    size_t output;
    int diff;
    size_t arm;             /* heat maps: the one arm shown */
    const size_t *point_at; /* heat maps: point of cell iy * nx + ix (SIZE_MAX: none) */
    size_t nx;
} tip_ctx;

static void scatter_tip(hbuf *out, const void *ctx, size_t s, size_t i)
{
    const tip_ctx *t = ctx;
    rsw_point_tip(out, t->d, t->diff ? s + 1 : s, t->output, i, t->diff);
}

/* One scatter chart: output o against parameter j, values of every arm or
 * differences of every non-base arm. arrays: room for 4 x n_points per
 * series. */
static void scatter_chart(hbuf *out, const rsw_data *d, size_t o, size_t j, int diff,
                          double *arrays, svg_scatter_series *series)
{
    size_t n = (size_t)d->n_points, n_series = diff ? d->n_arms - 1 : d->n_arms;
    for (size_t s = 0; s < n_series; s++) {
        size_t arm = diff ? s + 1 : s;
        double *x = arrays + s * 4 * n, *y = x + n, *lo = y + n, *hi = lo + n;
        for (size_t p = 0; p < n; p++) {
            x[p] = d->values[p * d->n_params + j];
            rsw_cell_interval(diff ? rsw_diff(d, arm, o, p) : rsw_value(d, arm, o, p), &y[p],
                              &lo[p], &hi[p]);
        }
        series[s] = (svg_scatter_series){
            .color = report_run_color(arm), .n = n, .x = x, .y = y, .lo = lo, .hi = hi
        };
    }
    char title[1200], x_label[320], y_label[320], unit[160], words[256];
    rsw_output_title(&d->outputs[o], words, sizeof words);
    rsw_param_label(&d->params[j], x_label, sizeof x_label);
    rsw_output_unit(&d->outputs[o], unit, sizeof unit);
    snprintf(title, sizeof title, "%s%s, by %s", words, diff ? ": difference from the base" : "",
             x_label);
    if (diff)
        snprintf(y_label, sizeof y_label, "difference%s%s%s", *unit ? " (" : "", unit,
                 *unit ? ")" : "");
    else
        snprintf(y_label, sizeof y_label, "%s", *unit ? unit : "value");
    tip_ctx t = { .d = d, .output = o, .diff = diff };
    svg_scatter_chart c = { .css_class = diff ? "chart chart-scatter-diff" : "chart chart-scatter",
                            .title = title,
                            .x_label = x_label,
                            .y_label = y_label,
                            .money = d->outputs[o].money,
                            .zero_line = diff,
                            .series = series,
                            .n_series = n_series,
                            .tip = scatter_tip,
                            .tip_ctx = &t };
    hbuf_puts(out, "<figure><figcaption><b>");
    hbuf_escape(out, title);
    hbuf_puts(out, "</b></figcaption>");
    svg_scatter_chart_write(out, &c);
    char key[160];
    rsw_words(d->params[j].key, key, sizeof key);
    hbuf_puts(out, "<p class=\"how\">");
    if (diff) {
        hbuf_puts(out,
                  "Each dot is one point of the design: the mean over its replications of "
                  "the arm minus the base (same seeds), with its 95% interval. Above the dashed "
                  "line the arm is higher than the base.");
    } else {
        hbuf_puts(out, "Each dot is one point of the design: the mean over its replications, with "
                       "its 95% interval. A slope from left to right is the effect of ");
        hbuf_escape(out, key);
        hbuf_puts(out, d->n_params > 1 ? "; dots spread up and down at one value show the other "
                                         "parameters' effects."
                                       : ".");
    }
    hbuf_puts(out, "</p></figure>");
}

static void arm_legend(hbuf *out, const rsw_data *d, int diff)
{
    if (d->n_arms < 2) return;
    hbuf_puts(out, "<ul class=\"legend\">");
    for (size_t a = diff ? 1 : 0; a < d->n_arms; a++) {
        hbuf_printf(out, "<li><span class=\"swatch\" style=\"background:%s\"></span>",
                    report_run_color(a));
        hbuf_escape(out, d->arms[a].name);
        hbuf_puts(out, diff ? " minus " : a == 0 ? " (base)" : "");
        if (diff) hbuf_escape(out, d->arms[0].name);
        hbuf_puts(out, "</li>");
    }
    hbuf_puts(out, "</ul>");
}

static void cap_note(hbuf *out, const char *what, size_t shown, size_t total)
{
    if (shown >= total) return;
    hbuf_printf(out,
                "<p class=\"note\">This page shows the first %zu of %zu %s, to stay "
                "readable. Every point's values are in the database's <code>results_wide</code> "
                "view (one row per run).</p>",
                shown, total, what);
}

void rsw_section_scatter(hbuf *out, const rsw_data *d)
{
    hbuf_puts(out, "<section id=\"by-parameter\"><h2>Each output against each swept parameter"
                   "</h2>");
    size_t total = d->n_outputs * d->n_params, n = (size_t)d->n_points;
    if (total == 0) {
        hbuf_puts(out, "<p class=\"empty\">The sweep keeps no output or varies no parameter."
                       "</p></section>");
        return;
    }
    double *arrays = malloc(d->n_arms * 4 * n * sizeof *arrays);
    svg_scatter_series *series = calloc(d->n_arms, sizeof *series);
    if (!arrays || !series) {
        out->failed = 1;
        free(arrays);
        free(series);
        return;
    }
    size_t shown = total < RSW_MAX_CHARTS ? total : RSW_MAX_CHARTS;
    cap_note(out, "output and parameter pairs", shown, total);
    arm_legend(out, d, 0);
    /* One arm: an output's charts side by side. Several: a row per parameter,
     * the arms' values beside their differences from the base. */
    int rows = d->n_arms > 1;
    for (size_t k = 0; k < shown; k++) {
        size_t o = k / d->n_params, j = k % d->n_params;
        if (j == 0 || k == 0) {
            char words[256];
            rsw_output_title(&d->outputs[o], words, sizeof words);
            hbuf_puts(out, k && !rows ? "</div><h3>" : "<h3>");
            hbuf_escape(out, words);
            hbuf_puts(out, " <code>");
            hbuf_escape(out, d->outputs[o].name);
            hbuf_puts(out, rows ? "</code></h3>" : "</code></h3><div class=\"pair\">");
        }
        if (rows) hbuf_puts(out, "<div class=\"pair two\">");
        scatter_chart(out, d, o, j, 0, arrays, series);
        if (rows) {
            scatter_chart(out, d, o, j, 1, arrays, series);
            hbuf_puts(out, "</div>");
        }
    }
    if (!rows) hbuf_puts(out, "</div>");
    if (d->n_arms > 1) arm_legend(out, d, 1);
    hbuf_puts(out, "</section>");
    free(arrays);
    free(series);
}

/* ---- heat maps ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The distinct finite values of parameter j, ascending, into vals; count. */
static size_t distinct_values(const rsw_data *d, size_t j, double *vals)
{
    size_t n = 0;
    for (size_t p = 0; p < (size_t)d->n_points; p++) {
        double v = d->values[p * d->n_params + j];
        if (isfinite(v)) vals[n++] = v;
    }
    qsort(vals, n, sizeof *vals, cmp_double);
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (w == 0 || vals[i] != vals[w - 1]) vals[w++] = vals[i];
    return w;
}

static size_t index_of(const double *vals, size_t n, double v)
{
    const double *hit = bsearch(&v, vals, n, sizeof *vals, cmp_double);
    return hit ? (size_t)(hit - vals) : SIZE_MAX;
}

static void heat_tip(hbuf *out, const void *ctx, size_t iy, size_t ix)
{
    const tip_ctx *t = ctx;
    size_t p = t->point_at[iy * t->nx + ix];
    if (p != SIZE_MAX) rsw_point_tip(out, t->d, t->arm, t->output, p, t->diff);
}

static void heat_label(hbuf *out, const void *ctx, size_t iy, size_t ix)
{
    const tip_ctx *t = ctx;
    size_t p = t->point_at[iy * t->nx + ix];
    const rsw_cell *c =
        t->diff ? rsw_diff(t->d, t->arm, t->output, p) : rsw_value(t->d, t->arm, t->output, p);
    char text[64];
    rfmt_number(c->n ? c->mean : NAN, t->d->outputs[t->output].money, text, sizeof text);
    hbuf_puts(out, text);
}

typedef struct grid_axes {
    double *xv, *yv;
    size_t nx, ny;
    char **x_ticks, **y_ticks; /* each a 32-byte label */
    size_t *point_at;          /* nx * ny */
    double *z;
} grid_axes;

static void grid_free(grid_axes *g)
{
    free(g->xv);
    free(g->yv);
    free(g->x_ticks);
    free(g->y_ticks);
    free(g->point_at);
    free(g->z);
}

/* The grid's columns (parameter 0) and rows (parameter 1); 0, -1 when out
 * of memory, -2 when two points share a cell (not a grid). */
static int grid_build(const rsw_data *d, grid_axes *g)
{
    size_t n = (size_t)d->n_points;
    g->xv = malloc(n * sizeof *g->xv);
    g->yv = malloc(n * sizeof *g->yv);
    if (!g->xv || !g->yv) return -1;
    g->nx = distinct_values(d, 0, g->xv);
    g->ny = distinct_values(d, 1, g->yv);
    size_t cells = g->nx * g->ny;
    g->point_at = malloc((cells ? cells : 1) * sizeof *g->point_at);
    g->z = malloc((cells ? cells : 1) * sizeof *g->z);
    g->x_ticks = malloc((g->nx + 1) * (sizeof(char *) + 32));
    g->y_ticks = malloc((g->ny + 1) * (sizeof(char *) + 32));
    if (!g->point_at || !g->z || !g->x_ticks || !g->y_ticks) return -1;
    char *xt = (char *)(g->x_ticks + g->nx), *yt = (char *)(g->y_ticks + g->ny);
    for (size_t i = 0; i < g->nx; i++) {
        g->x_ticks[i] = xt + 32 * i;
        rsw_format_value(g->xv[i], g->x_ticks[i], 32);
    }
    for (size_t i = 0; i < g->ny; i++) {
        g->y_ticks[i] = yt + 32 * i;
        rsw_format_value(g->yv[i], g->y_ticks[i], 32);
    }
    for (size_t c = 0; c < cells; c++) g->point_at[c] = SIZE_MAX;
    for (size_t p = 0; p < n; p++) {
        size_t ix = index_of(g->xv, g->nx, d->values[p * 2]);
        size_t iy = index_of(g->yv, g->ny, d->values[p * 2 + 1]);
        if (ix == SIZE_MAX || iy == SIZE_MAX || g->point_at[iy * g->nx + ix] != SIZE_MAX) return -2;
        g->point_at[iy * g->nx + ix] = p;
    }
    return 0;
}

static void heat_chart(hbuf *out, const rsw_data *d, grid_axes *g, size_t o, size_t arm, int diff)
{
    for (size_t c = 0; c < g->nx * g->ny; c++) {
        size_t p = g->point_at[c];
        const rsw_cell *cell = p == SIZE_MAX ? NULL
                               : diff        ? rsw_diff(d, arm, o, p)
                                             : rsw_value(d, arm, o, p);
        g->z[c] = cell && cell->n ? cell->mean : NAN;
    }
    char title[1200], x_label[320], y_label[320], unit[160], value_label[200], words[256];
    rsw_output_title(&d->outputs[o], words, sizeof words);
    rsw_param_label(&d->params[0], x_label, sizeof x_label);
    rsw_param_label(&d->params[1], y_label, sizeof y_label);
    rsw_output_unit(&d->outputs[o], unit, sizeof unit);
    snprintf(value_label, sizeof value_label, "%s%s", diff ? "difference " : "",
             *unit ? unit : "value");
    snprintf(title, sizeof title, "%s: %s%s%s", words, d->arms[arm].name, diff ? " minus " : "",
             diff ? d->arms[0].name : "");
    tip_ctx t = {
        .d = d, .output = o, .diff = diff, .arm = arm, .point_at = g->point_at, .nx = g->nx
    };
    svg_heatmap h = { .css_class = "chart chart-heatmap",
                      .title = title,
                      .x_label = x_label,
                      .y_label = y_label,
                      .value_label = value_label,
                      .nx = g->nx,
                      .ny = g->ny,
                      .x_ticks = (const char *const *)g->x_ticks,
                      .y_ticks = (const char *const *)g->y_ticks,
                      .z = g->z,
                      .diverging = diff,
                      .money = d->outputs[o].money,
                      .label = heat_label,
                      .tip = heat_tip,
                      .tip_ctx = &t };
    hbuf_puts(out, "<figure><figcaption><b>");
    hbuf_escape(out, title);
    hbuf_puts(out, "</b></figcaption>");
    svg_heatmap_write(out, &h);
    hbuf_puts(out, diff ? "<p class=\"how\">Each cell is one point of the grid: the mean "
                          "difference over its replications (arm minus base, same seeds). Orange "
                          "is higher than the base, blue lower, white no difference.</p>"
                        : "<p class=\"how\">Each cell is one point of the grid: the mean over its "
                          "replications, darker for lower values and yellow for the highest. "
                          "Read along a row for the effect of the parameter across, along a "
                          "column for the one up the side.</p>");
    hbuf_puts(out, "</figure>");
}

void rsw_section_heatmap(hbuf *out, const rsw_data *d)
{
    if (strcmp(d->design, "grid") != 0 || d->n_params != 2) return;
    hbuf_puts(out, "<section id=\"heat-maps\"><h2>The grid at a glance</h2>");
    grid_axes g = { 0 };
    int built = grid_build(d, &g);
    if (built != 0) {
        if (built == -1)
            out->failed = 1;
        else
            hbuf_puts(out, "<p class=\"empty\">The points do not form a grid of the two "
                           "parameters' values, so no heat map is drawn.</p>");
        grid_free(&g);
        hbuf_puts(out, "</section>");
        return;
    }
    size_t per_output = d->n_arms + (d->n_arms - 1), total = d->n_outputs * per_output;
    size_t shown = total < RSW_MAX_CHARTS ? total : RSW_MAX_CHARTS;
    cap_note(out, "heat maps", shown, total);
    hbuf_puts(out, "<div class=\"pair\">");
    for (size_t k = 0; k < shown; k++) {
        size_t o = k / per_output, r = k % per_output;
        /* per output: each arm's values, then each non-base arm's difference */
        heat_chart(out, d, &g, o, r < d->n_arms ? r : r - d->n_arms + 1, r >= d->n_arms);
    }
    hbuf_puts(out, "</div></section>");
    grid_free(&g);
}
