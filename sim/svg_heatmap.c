/* svg_heatmap.c — a grid of coloured cells with a colour legend (svg.h):
 * the sweep report's point means over a two-parameter grid. */
#include "svg.h"

#include <math.h>
#include <stdio.h>

enum {
    HM_WIDTH = 480,
    HM_LEFT = 70,
    HM_PLOT_WIDTH = 300,
    HM_TOP = 30,
    HM_BOTTOM = 46,
    HM_LEGEND_X = 394,
    HM_LEGEND_W = 14,
    HM_LEGEND_STEPS = 40,
    HM_MAX_LABELS = 12
};

/* Colour scales as anchors evenly spaced over [0, 1]: viridis (sequential,
 * colour-blind safe, dark = low) and blue-white-orange (diverging, for
 * differences: white is 0). */
static const unsigned char viridis[9][3] = { { 68, 1, 84 },    { 71, 44, 122 },  { 59, 81, 139 },
                                             { 44, 113, 142 }, { 33, 144, 141 }, { 39, 173, 129 },
                                             { 92, 200, 99 },  { 170, 220, 50 }, { 253, 231, 37 } };
static const unsigned char diverging[5][3] = {
    { 33, 102, 172 }, { 146, 197, 222 }, { 247, 247, 247 }, { 244, 165, 130 }, { 179, 88, 6 }
};

/* The colour of t in [0, 1] as rgb; its luminance into *light. */
static void hm_color(int div, double t, int rgb[3], double *light)
{
    const unsigned char(*a)[3] = div ? diverging : viridis;
    int n = div ? 5 : 9;
    if (!(t >= 0.0)) t = 0.0;
    if (t > 1.0) t = 1.0;
    double pos = t * (n - 1);
    int i = (int)floor(pos);
    if (i >= n - 1) i = n - 2;
    double f = pos - i;
    for (int k = 0; k < 3; k++) rgb[k] = (int)lround(a[i][k] + f * (a[i + 1][k] - a[i][k]));
    *light = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255.0;
}

typedef struct hm_layout {
    double cell_w, cell_h;
    int height, plot_h;
    double z0, z1, step; /* the colour scale's range (nice) and its tick step */
} hm_layout;

static int hm_layout_of(const svg_heatmap *h, hm_layout *l)
{
    double lo = INFINITY, hi = -INFINITY;
    size_t cells = h->nx * h->ny;
    for (size_t i = 0; i < cells; i++)
        if (isfinite(h->z[i])) {
            lo = fmin(lo, h->z[i]);
            hi = fmax(hi, h->z[i]);
        }
    if (!isfinite(lo)) return 0;
    if (h->diverging) {
        double m = fmax(fabs(lo), fabs(hi));
        lo = -m;
        hi = m;
    }
    l->step = svg_nice_range(&lo, &hi, 5);
    if (h->diverging) { /* keep 0 in the middle after rounding */
        double m = fmax(fabs(lo), fabs(hi));
        lo = -m;
        hi = m;
    }
    l->z0 = lo;
    l->z1 = hi;
    l->cell_w = (double)HM_PLOT_WIDTH / (double)h->nx;
    /* Rows of 10 to 80 units, the plot at least 160 high so that the legend reads. */
    l->cell_h = fmin(80.0, fmax(10.0, 240.0 / (double)h->ny));
    if (l->cell_h * (double)h->ny < 160.0) l->cell_h = 160.0 / (double)h->ny;
    l->plot_h = (int)ceil(l->cell_h * (double)h->ny);
    l->height = HM_TOP + l->plot_h + HM_BOTTOM;
    return 1;
}

static void hm_cell(hbuf *out, const svg_heatmap *h, const hm_layout *l, size_t ix, size_t iy)
{
    double x = HM_LEFT + ix * l->cell_w;
    double y = HM_TOP + l->plot_h - (iy + 1) * l->cell_h;
    double z = h->z[iy * h->nx + ix];
    if (!isfinite(z)) {
        hbuf_printf(out,
                    "<rect class=\"nocell\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                    "height=\"%.1f\" fill=\"#ddd\"><title>no value</title></rect>",
                    x, y, l->cell_w, l->cell_h);
        return;
    }
    int rgb[3];
    double light;
    hm_color(h->diverging, (z - l->z0) / (l->z1 - l->z0), rgb, &light);
    hbuf_printf(out,
                "<rect class=\"mark cell\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\" fill=\"#%02x%02x%02x\" stroke=\"#fff\" stroke-width=\"0.5\">",
                x, y, l->cell_w, l->cell_h, rgb[0], rgb[1], rgb[2]);
    if (h->tip) {
        hbuf_puts(out, "<title>");
        h->tip(out, h->tip_ctx, iy, ix);
        hbuf_puts(out, "</title>");
    }
    hbuf_puts(out, "</rect>");
    if (h->label && l->cell_w >= 42.0 && l->cell_h >= 15.0) {
        hbuf_printf(out,
                    "<text class=\"cell-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "style=\"fill:%s\">",
                    x + l->cell_w / 2, y + l->cell_h / 2 + 3.5, light < 0.5 ? "#fff" : "#111");
        h->label(out, h->tip_ctx, iy, ix);
        hbuf_puts(out, "</text>");
    }
}

/* Row and column labels (every k-th when there are many) and axis titles. */
static void hm_labels(hbuf *out, const svg_heatmap *h, const hm_layout *l)
{
    size_t every_x = (h->nx + HM_MAX_LABELS - 1) / HM_MAX_LABELS;
    size_t every_y = (h->ny + 2 * HM_MAX_LABELS - 1) / (2 * HM_MAX_LABELS);
    int axis_y = HM_TOP + l->plot_h;
    for (size_t ix = 0; ix < h->nx; ix += every_x) {
        hbuf_printf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
                    HM_LEFT + (ix + 0.5) * l->cell_w, axis_y + 14);
        hbuf_escape(out, h->x_ticks[ix]);
        hbuf_puts(out, "</text>");
    }
    for (size_t iy = 0; iy < h->ny; iy += every_y) {
        hbuf_printf(out, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
                    HM_LEFT - 5, axis_y - (iy + 0.5) * l->cell_h + 3.5);
        hbuf_escape(out, h->y_ticks[iy]);
        hbuf_puts(out, "</text>");
    }
    hbuf_printf(out, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
                HM_LEFT + HM_PLOT_WIDTH / 2, l->height - 8);
    hbuf_escape(out, h->x_label);
    /* Above the rows, level: a long name does not fit up the side of a short grid. */
    hbuf_puts(out, "</text><text class=\"axis-label\" x=\"4\" y=\"13\">&#8593; ");
    hbuf_escape(out, h->y_label);
    hbuf_puts(out, "</text>");
}

/* The colour legend: a vertical bar of HM_LEGEND_STEPS slices, low at the
 * bottom, with the scale's ticks and the value's name above. */
static void hm_legend(hbuf *out, const svg_heatmap *h, const hm_layout *l)
{
    double slice = (double)l->plot_h / HM_LEGEND_STEPS;
    for (int k = 0; k < HM_LEGEND_STEPS; k++) {
        int rgb[3];
        double light;
        hm_color(h->diverging, (k + 0.5) / HM_LEGEND_STEPS, rgb, &light);
        hbuf_printf(out,
                    "<rect class=\"legend-slice\" x=\"%d\" y=\"%.2f\" width=\"%d\" "
                    "height=\"%.2f\" fill=\"#%02x%02x%02x\"/>",
                    HM_LEGEND_X, HM_TOP + l->plot_h - (k + 1) * slice, HM_LEGEND_W, slice + 0.3,
                    rgb[0], rgb[1], rgb[2]);
    }
    double ticks[32];
    size_t n = svg_ticks(l->z0, l->z1, l->step, ticks, 32);
    for (size_t i = 0; i < n; i++) {
        char label[48];
        svg_format_tick(ticks[i], l->step, fmax(fabs(l->z0), fabs(l->z1)), h->money, label,
                        sizeof label);
        double y = HM_TOP + l->plot_h - (ticks[i] - l->z0) / (l->z1 - l->z0) * l->plot_h;
        hbuf_printf(out,
                    "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                    "<text class=\"tick\" x=\"%d\" y=\"%.1f\">%s</text>",
                    HM_LEGEND_X + HM_LEGEND_W, y, HM_LEGEND_X + HM_LEGEND_W + 3, y,
                    HM_LEGEND_X + HM_LEGEND_W + 5, y + 3.5, label);
    }
    hbuf_printf(out, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">colour: ",
                HM_WIDTH - 4, HM_TOP - 8);
    hbuf_escape(out, h->value_label);
    hbuf_puts(out, "</text>");
}

size_t svg_heatmap_write(hbuf *out, const svg_heatmap *h)
{
    hm_layout l;
    if (h->nx == 0 || h->ny == 0 || !hm_layout_of(h, &l)) {
        svg_open(out, h->css_class, h->title, HM_WIDTH, 120);
        hbuf_printf(out,
                    "<text class=\"empty\" x=\"%d\" y=\"60\" text-anchor=\"middle\">"
                    "no values to draw</text></svg>",
                    HM_WIDTH / 2);
        return 0;
    }
    svg_open(out, h->css_class, h->title, HM_WIDTH, l.height);
    size_t drawn = 0;
    for (size_t iy = 0; iy < h->ny; iy++)
        for (size_t ix = 0; ix < h->nx; ix++) {
            hm_cell(out, h, &l, ix, iy);
            drawn += isfinite(h->z[iy * h->nx + ix]) != 0;
        }
    hm_labels(out, h, &l);
    hm_legend(out, h, &l);
    hbuf_puts(out, "</svg>");
    return drawn;
}
