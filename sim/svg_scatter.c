/* svg_scatter.c — points with whiskers against a numeric x (svg.h): the
 * sweep report's point means against a parameter's value. */
#include "svg.h"

#include <math.h>
#include <stdio.h>

enum { SC_WIDTH = 480, SC_HEIGHT = 280, SC_LEFT = 70, SC_RIGHT = 14, SC_TOP = 14, SC_BOTTOM = 46 };

/* Series drawn this many viewBox units apart on x (centred on the value). */
static const double series_offset = 5.0;

typedef struct sc_frame {
    double x0, x1, y0, y1;
} sc_frame;

static double sc_x(const sc_frame *f, double x)
{
    return SC_LEFT + (x - f->x0) / (f->x1 - f->x0) * (SC_WIDTH - SC_LEFT - SC_RIGHT);
}

static double sc_y(const sc_frame *f, double y)
{
    return SC_HEIGHT - SC_BOTTOM - (y - f->y0) / (f->y1 - f->y0) * (SC_HEIGHT - SC_TOP - SC_BOTTOM);
}

static void widen(double v, double *lo, double *hi)
{
    if (!isfinite(v)) return;
    if (v < *lo) *lo = v;
    if (v > *hi) *hi = v;
}

static void sc_extent(const svg_scatter_chart *c, sc_frame *f)
{
    *f = (sc_frame){ INFINITY, -INFINITY, INFINITY, -INFINITY };
    for (size_t k = 0; k < c->n_series; k++) {
        const svg_scatter_series *s = &c->series[k];
        for (size_t i = 0; i < s->n; i++) {
            if (!isfinite(s->x[i]) || !isfinite(s->y[i])) continue;
            widen(s->x[i], &f->x0, &f->x1);
            widen(s->y[i], &f->y0, &f->y1);
            if (s->lo && s->hi && isfinite(s->lo[i]) && isfinite(s->hi[i])) {
                widen(s->lo[i], &f->y0, &f->y1);
                widen(s->hi[i], &f->y0, &f->y1);
            }
        }
    }
    if (c->zero_line && isfinite(f->y0)) widen(0.0, &f->y0, &f->y1);
}

static void sc_axes(hbuf *out, const svg_scatter_chart *c, sc_frame *f)
{
    double ystep = svg_nice_range(&f->y0, &f->y1, 5);
    double xstep = svg_nice_range(&f->x0, &f->x1, 6);
    double ticks[32];
    size_t n = svg_ticks(f->y0, f->y1, ystep, ticks, 32);
    for (size_t i = 0; i < n; i++) {
        char label[48];
        svg_format_tick(ticks[i], ystep, fmax(fabs(f->y0), fabs(f->y1)), c->money, label,
                        sizeof label);
        double y = sc_y(f, ticks[i]);
        svg_y_grid_tick(out, y, SC_LEFT, SC_WIDTH - SC_RIGHT, label);
    }
    n = svg_ticks(f->x0, f->x1, xstep, ticks, 32);
    for (size_t i = 0; i < n; i++) {
        char label[48];
        svg_format_tick(ticks[i], xstep, fmax(fabs(f->x0), fabs(f->x1)), 0, label, sizeof label);
        double x = sc_x(f, ticks[i]);
        svg_x_grid_tick(out, x, SC_TOP, SC_HEIGHT - SC_BOTTOM, label);
    }
    if (c->zero_line)
        hbuf_printf(out, "<line class=\"zero\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    SC_LEFT, sc_y(f, 0.0), SC_WIDTH - SC_RIGHT, sc_y(f, 0.0));
    svg_axis_titles(out, SC_LEFT, SC_WIDTH - SC_RIGHT, SC_TOP, SC_HEIGHT - SC_BOTTOM, SC_HEIGHT - 8,
                    c->x_label, c->y_label);
}

static size_t sc_points(hbuf *out, const svg_scatter_chart *c, const sc_frame *f)
{
    size_t drawn = 0;
    for (size_t k = 0; k < c->n_series; k++) {
        const svg_scatter_series *s = &c->series[k];
        double dx = ((double)k - (double)(c->n_series - 1) / 2.0) * series_offset;
        for (size_t i = 0; i < s->n; i++) {
            if (!isfinite(s->x[i]) || !isfinite(s->y[i])) continue;
            double x = sc_x(f, s->x[i]) + dx, y = sc_y(f, s->y[i]);
            if (s->lo && s->hi && isfinite(s->lo[i]) && isfinite(s->hi[i]))
                hbuf_printf(out,
                            "<path class=\"whisker\" stroke=\"%s\" d=\"M%.1f %.1fV%.1f"
                            "M%.1f %.1fH%.1fM%.1f %.1fH%.1f\"/>",
                            s->color, x, sc_y(f, s->lo[i]), sc_y(f, s->hi[i]), x - 2.5,
                            sc_y(f, s->lo[i]), x + 2.5, x - 2.5, sc_y(f, s->hi[i]), x + 2.5);
            hbuf_printf(out,
                        "<circle class=\"mark point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                        "fill=\"%s\" fill-opacity=\"0.85\">",
                        x, y, s->color);
            if (c->tip) {
                hbuf_puts(out, "<title>");
                c->tip(out, c->tip_ctx, k, i);
                hbuf_puts(out, "</title>");
            }
            hbuf_puts(out, "</circle>");
            drawn++;
        }
    }
    return drawn;
}

size_t svg_scatter_chart_write(hbuf *out, const svg_scatter_chart *c)
{
    sc_frame f;
    sc_extent(c, &f);
    svg_open(out, c->css_class, c->title, SC_WIDTH, SC_HEIGHT);
    if (!isfinite(f.x0) || !isfinite(f.y0)) {
        hbuf_printf(out,
                    "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                    "no values to draw</text></svg>",
                    SC_WIDTH / 2, SC_HEIGHT / 2);
        return 0;
    }
    sc_axes(out, c, &f);
    size_t drawn = sc_points(out, c, &f);
    hbuf_printf(out, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></svg>",
                SC_LEFT, SC_TOP, SC_WIDTH - SC_LEFT - SC_RIGHT, SC_HEIGHT - SC_TOP - SC_BOTTOM);
    return drawn;
}
