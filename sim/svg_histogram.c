/* svg_histogram.c — how many values fall in each bin of round width
 * (svg.h), with the mean, a range and zero marked: the sweep report's
 * distribution of each point's net present value across the points. */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    HI_WIDTH = 480,
    HI_HEIGHT = 280,
    HI_LEFT = 52,
    HI_RIGHT = 30,
    HI_TOP = 22,
    HI_BOTTOM = 46,
    HI_MAX_BINS = 40
};

typedef struct hi_frame {
    double x0, x1; /* the axis */
    double y1;     /* the count at the top */
    double bin_lo, bin_step;
    size_t n_bins;
    size_t counts[HI_MAX_BINS];
} hi_frame;

static double hi_x(const hi_frame *f, double x)
{
    return HI_LEFT + (x - f->x0) / (f->x1 - f->x0) * (HI_WIDTH - HI_LEFT - HI_RIGHT);
}

static double hi_y(const hi_frame *f, double count)
{
    return HI_HEIGHT - HI_BOTTOM - count / f->y1 * (HI_HEIGHT - HI_TOP - HI_BOTTOM);
}

/* Bins of a round width over the finite values (about 2√n of them, 5
 * to 20); a value on an edge goes to the bin above it, the largest to the
 * last. Returns how many values were binned (0: nothing to draw). */
static size_t hi_bin(const svg_histogram *h, hi_frame *f)
{
    double lo = INFINITY, hi = -INFINITY;
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        if (isfinite(h->values[i])) {
            lo = fmin(lo, h->values[i]);
            hi = fmax(hi, h->values[i]);
            n++;
        }
    if (n == 0) return 0;
    int target = (int)ceil(2.0 * sqrt((double)n));
    target = target < 5 ? 5 : target > 20 ? 20 : target;
    f->bin_step = svg_nice_range(&lo, &hi, target);
    f->bin_lo = lo;
    double bins = round((hi - lo) / f->bin_step);
    f->n_bins = bins < 1 ? 1 : bins > HI_MAX_BINS ? HI_MAX_BINS : (size_t)bins;
    for (size_t b = 0; b < HI_MAX_BINS; b++) f->counts[b] = 0;
    size_t top = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (!isfinite(h->values[i])) continue;
        double v = h->values[i], k = floor((v - lo) / f->bin_step);
        size_t b = k < 0 ? 0 : k >= (double)f->n_bins ? f->n_bins - 1 : (size_t)k;
        /* The edges as the bars state them decide, not the division's rounding. */
        while (b > 0 && v < lo + (double)b * f->bin_step) b--;
        while (b + 1 < f->n_bins && v >= lo + (double)(b + 1) * f->bin_step) b++;
        if (++f->counts[b] > top) top = f->counts[b];
    }
    /* The axis: the bins, and 0 when it is near enough to read against. */
    f->x0 = lo;
    f->x1 = lo + (double)f->n_bins * f->bin_step;
    double width = f->x1 - f->x0;
    if (h->zero_line && f->x0 > 0 && f->x0 <= 2 * width) f->x0 = 0;
    if (h->zero_line && f->x1 < 0 && -f->x1 <= 2 * width) f->x1 = 0;
    f->y1 = (double)top;
    return n;
}

static void hi_axes(hbuf *out, const svg_histogram *h, hi_frame *f)
{
    double y0 = 0, y1 = f->y1;
    double ystep = svg_nice_range(&y0, &y1, 4);
    if (ystep < 1) { /* counts are whole */
        ystep = 1;
        y1 = ceil(f->y1);
    }
    f->y1 = y1;
    double ticks[32];
    size_t n = svg_ticks(0, y1, ystep, ticks, 32);
    for (size_t i = 0; i < n; i++) {
        char label[32];
        snprintf(label, sizeof label, "%.0f", ticks[i]);
        svg_y_grid_tick(out, hi_y(f, ticks[i]), HI_LEFT, HI_WIDTH - HI_RIGHT, label);
    }
    double x0 = f->x0, x1 = f->x1;
    double xstep = svg_nice_range(&x0, &x1, 5);
    n = svg_ticks(x0, x1, xstep, ticks, 32);
    for (size_t i = 0; i < n; i++) {
        if (ticks[i] < f->x0 - xstep * 1e-9 || ticks[i] > f->x1 + xstep * 1e-9) continue;
        char label[48];
        svg_format_tick(ticks[i], xstep, fmax(fabs(f->x0), fabs(f->x1)), h->money, label,
                        sizeof label);
        double x = hi_x(f, ticks[i]);
        svg_x_grid_tick(out, x, HI_TOP, HI_HEIGHT - HI_BOTTOM, label);
    }
    svg_axis_titles(out, HI_LEFT, HI_WIDTH - HI_RIGHT, HI_TOP, HI_HEIGHT - HI_BOTTOM, HI_HEIGHT - 8,
                    h->x_label, h->count_label);
}

/* The 90% range shaded behind the bars. */
static void hi_range(hbuf *out, const svg_histogram *h, const hi_frame *f)
{
    if (!isfinite(h->range_lo) || !isfinite(h->range_hi)) return;
    double a = hi_x(f, fmax(h->range_lo, f->x0)), b = hi_x(f, fmin(h->range_hi, f->x1));
    hbuf_printf(out,
                "<rect class=\"range\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                "fill=\"#000\" fill-opacity=\"0.07\"/>",
                a, HI_TOP, fmax(b - a, 1.0), HI_HEIGHT - HI_TOP - HI_BOTTOM);
}

static size_t hi_bars(hbuf *out, const svg_histogram *h, const hi_frame *f)
{
    size_t drawn = 0;
    for (size_t b = 0; b < f->n_bins; b++) {
        if (f->counts[b] == 0) continue;
        double lo = f->bin_lo + (double)b * f->bin_step, hi = lo + f->bin_step;
        double x = hi_x(f, lo), w = hi_x(f, hi) - x, y = hi_y(f, (double)f->counts[b]);
        hbuf_printf(out,
                    "<rect class=\"mark bar\" data-count=\"%zu\" data-from=\"%.17g\" "
                    "data-to=\"%.17g\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    "fill=\"%s\" fill-opacity=\"0.8\" stroke=\"#fff\" stroke-width=\"0.5\">",
                    f->counts[b], lo, b + 1 == f->n_bins ? INFINITY : hi, x + 0.5, y,
                    fmax(w - 1.0, 0.5), HI_HEIGHT - HI_BOTTOM - y, h->color);
        if (h->tip) {
            hbuf_puts(out, "<title>");
            h->tip(out, h->tip_ctx, f->counts[b], lo, hi);
            hbuf_puts(out, "</title>");
        }
        hbuf_puts(out, "</rect>");
        drawn += f->counts[b];
    }
    return drawn;
}

/* The mean (solid) and zero (dashed) as vertical lines, or, when 0 is off
 * the axis, which side it lies on. */
static void hi_lines(hbuf *out, const svg_histogram *h, const hi_frame *f)
{
    if (isfinite(h->mean) && h->mean >= f->x0 && h->mean <= f->x1)
        hbuf_printf(out,
                    "<line class=\"mean\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    "stroke=\"#111\" stroke-width=\"1.6\"/><text x=\"%.1f\" y=\"%d\" "
                    "text-anchor=\"middle\">mean</text>",
                    hi_x(f, h->mean), HI_TOP, hi_x(f, h->mean), HI_HEIGHT - HI_BOTTOM,
                    hi_x(f, h->mean), HI_TOP - 6);
    if (!h->zero_line) return;
    if (f->x0 <= 0 && f->x1 >= 0)
        hbuf_printf(out, "<line class=\"zero\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
                    hi_x(f, 0), HI_TOP, hi_x(f, 0), HI_HEIGHT - HI_BOTTOM);
    else if (f->x1 < 0)
        hbuf_printf(out,
                    "<text class=\"na\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0 is further "
                    "right &#8594;</text>",
                    HI_WIDTH - HI_RIGHT - 4, HI_TOP + 12);
    else
        hbuf_printf(out, "<text class=\"na\" x=\"%d\" y=\"%d\">&#8592; 0 is further left</text>",
                    HI_LEFT + 4, HI_TOP + 12);
}

size_t svg_histogram_write(hbuf *out, const svg_histogram *h)
{
    hi_frame f = { 0 };
    svg_open(out, h->css_class, h->title, HI_WIDTH, HI_HEIGHT);
    if (hi_bin(h, &f) == 0) {
        hbuf_printf(out,
                    "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                    "no values to draw</text></svg>",
                    HI_WIDTH / 2, HI_HEIGHT / 2);
        return 0;
    }
    hi_axes(out, h, &f);
    hi_range(out, h, &f);
    size_t drawn = hi_bars(out, h, &f);
    hi_lines(out, h, &f);
    hbuf_printf(out, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></svg>",
                HI_LEFT, HI_TOP, HI_WIDTH - HI_LEFT - HI_RIGHT, HI_HEIGHT - HI_TOP - HI_BOTTOM);
    return drawn;
}
