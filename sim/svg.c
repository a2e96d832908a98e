/* svg.c — see svg.h. */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dates.h"

/* The time chart's frame, in viewBox units: narrow enough that two charts
 * side by side on an A4 page keep legible text. */
enum { TC_WIDTH = 480, TC_HEIGHT = 250, TC_LEFT = 62, TC_RIGHT = 14, TC_TOP = 14, TC_BOTTOM = 34 };
enum {
    BAR_WIDTH = 480,
    BAR_LEFT = 84,
    BAR_RIGHT = 16,
    BAR_TOP = 10,
    BAR_BOTTOM = 30,
    BAR_THICK = 7,
    BAR_GAP = 9
};
static const char minus_sign[] = "\xE2\x88\x92"; /* U+2212 */

double svg_nice_range(double *lo, double *hi, int target)
{
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = 0.0;
        *hi = 1.0;
    }
    if (*hi < *lo) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    if (*hi - *lo <= 1e-12 * fmax(fabs(*lo), fabs(*hi))) {
        double half = *lo == 0.0 ? 1.0 : fabs(*lo) * 0.1;
        *lo -= half;
        *hi += half;
    }
    if (target < 1) target = 1;
    double raw = (*hi - *lo) / target;
    double magnitude = pow(10.0, floor(log10(raw)));
    double norm = raw / magnitude;
    double step = norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0;
    step *= magnitude;
    /* A small tolerance, so that a bound already on a tick stays there. */
    *lo = floor(*lo / step + 1e-9) * step;
    *hi = ceil(*hi / step - 1e-9) * step;
    return step;
}

size_t svg_ticks(double lo, double hi, double step, double *ticks, size_t cap)
{
    size_t n = 0;
    if (!(step > 0.0)) return 0;
    for (double k = 0.0; n < cap; k += 1.0) {
        double v = lo + k * step;
        if (v > hi + step * 1e-9) break;
        if (fabs(v) < step * 1e-9) v = 0.0;
        ticks[n++] = v;
    }
    return n;
}

void svg_format_tick(double v, double step, double axis_max, int money, char *buf, size_t buflen)
{
    double scale = 1.0;
    const char *suffix = "";
    if (fabs(axis_max) >= 1e6) {
        scale = 1e6;
        suffix = "m";
    } else if (fabs(axis_max) >= 1e4) {
        scale = 1e3;
        suffix = "k";
    }
    int decimals = 0;
    double s = fabs(step) / scale;
    while (decimals < 6 && fabs(s * pow(10.0, decimals) - round(s * pow(10.0, decimals))) > 1e-6)
        decimals++;
    double x = v / scale;
    if (fabs(x) < 0.5 * pow(10.0, -decimals)) {
        snprintf(buf, buflen, "%s0", money ? "\xC2\xA3" : "");
        return;
    }
    snprintf(buf, buflen, "%s%s%.*f%s", x < 0 ? minus_sign : "", money ? "\xC2\xA3" : "", decimals,
             fabs(x), suffix);
}

/* ---- time chart ---- */

typedef struct tc_frame {
    double x0, x1, y0, y1; /* data ranges */
} tc_frame;

static double tc_x(const tc_frame *f, double x)
{
    return TC_LEFT + (x - f->x0) / (f->x1 - f->x0) * (TC_WIDTH - TC_LEFT - TC_RIGHT);
}

static double tc_y(const tc_frame *f, double y)
{
    return TC_HEIGHT - TC_BOTTOM - (y - f->y0) / (f->y1 - f->y0) * (TC_HEIGHT - TC_TOP - TC_BOTTOM);
}

static void widen(double v, double *lo, double *hi)
{
    if (!isfinite(v)) return;
    if (v < *lo) *lo = v;
    if (v > *hi) *hi = v;
}

/* A band's outline over points [a, b): upper bounds forward, lower back. */
static void tc_band(hbuf *out, const tc_frame *f, const svg_band_series *s, const double *lo,
                    const double *hi, size_t a, size_t b, const char *cls, double opacity)
{
    hbuf_printf(out,
                "<path class=\"mark %s\" fill=\"%s\" fill-opacity=\"%.2f\" "
                "stroke=\"none\" d=\"",
                cls, s->color, opacity);
    for (size_t i = a; i < b; i++)
        hbuf_printf(out, "%c%.1f %.1f", i == a ? 'M' : 'L', tc_x(f, s->x[i]), tc_y(f, hi[i]));
    for (size_t i = b; i-- > a;) hbuf_printf(out, "L%.1f %.1f", tc_x(f, s->x[i]), tc_y(f, lo[i]));
    hbuf_puts(out, "Z\"/>");
}

/* Draws one band over each run of points where both bounds are finite. */
static void tc_bands(hbuf *out, const tc_frame *f, const svg_band_series *s, const double *lo,
                     const double *hi, const char *cls, double opacity)
{
    if (!lo || !hi) return;
    size_t i = 0;
    while (i < s->n) {
        while (i < s->n && !(isfinite(lo[i]) && isfinite(hi[i]))) i++;
        size_t a = i;
        while (i < s->n && isfinite(lo[i]) && isfinite(hi[i])) i++;
        if (i - a >= 2) tc_band(out, f, s, lo, hi, a, i, cls, opacity);
    }
}

/* The median line over each run of finite points; a lone point a dot. */
static size_t tc_line(hbuf *out, const tc_frame *f, const svg_band_series *s)
{
    size_t drawn = 0, i = 0;
    while (i < s->n) {
        while (i < s->n && !isfinite(s->mid[i])) i++;
        size_t a = i;
        while (i < s->n && isfinite(s->mid[i])) i++;
        if (i - a == 1) {
            hbuf_printf(out,
                        "<circle class=\"mark point\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
                        "fill=\"%s\"/>",
                        tc_x(f, s->x[a]), tc_y(f, s->mid[a]), s->color);
        } else if (i - a >= 2) {
            hbuf_printf(out,
                        "<path class=\"mark line\" fill=\"none\" stroke=\"%s\" "
                        "stroke-width=\"1.8\" d=\"",
                        s->color);
            for (size_t k = a; k < i; k++)
                hbuf_printf(out, "%c%.1f %.1f", k == a ? 'M' : 'L', tc_x(f, s->x[k]),
                            tc_y(f, s->mid[k]));
            hbuf_puts(out, "\"/>");
        }
        drawn += i - a;
    }
    return drawn;
}

/* Date ticks: every 1 April (every k-th when there are many), or quarter
 * starts when the span holds fewer than two 1 Aprils. */
static void tc_date_axis(hbuf *out, const tc_frame *f)
{
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int y0, m0, d0, y1, m1, d1;
    date_to_civil((int64_t)floor(f->x0), &y0, &m0, &d0);
    date_to_civil((int64_t)ceil(f->x1), &y1, &m1, &d1);
    int april_count = 0;
    for (int y = y0; y <= y1; y++) {
        double day = (double)date_from_civil(y, 4, 1);
        if (day >= f->x0 && day <= f->x1) april_count++;
    }
    int month_step = april_count >= 2 ? 12 : 3;
    int every = april_count > 8 ? (april_count + 7) / 8 : 1;
    int k = 0;
    for (int y = y0; y <= y1; y++) {
        for (int m = month_step == 12 ? 4 : 1; m <= 12; m += month_step) {
            double day = (double)date_from_civil(y, m, 1);
            if (day < f->x0 || day > f->x1) continue;
            if (k++ % every != 0) continue;
            double x = tc_x(f, day);
            char label[16];
            snprintf(label, sizeof label, "%s %d", months[m - 1], y);
            svg_x_grid_tick(out, x, TC_TOP, TC_HEIGHT - TC_BOTTOM, label);
        }
    }
}

void svg_open(hbuf *out, const char *css_class, const char *title, int width, int height)
{
    hbuf_printf(out,
                "<svg class=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" "
                "preserveAspectRatio=\"xMidYMid meet\"><title>",
                css_class, width, height);
    hbuf_escape(out, title);
    hbuf_puts(out, "</title>");
}

void svg_x_grid_tick(hbuf *out, double x, int top, int bottom, const char *label)
{
    hbuf_printf(out,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                x, top, x, bottom + 4, x, bottom + 16, label);
}

void svg_y_grid_tick(hbuf *out, double y, int left, int right, const char *label)
{
    hbuf_printf(out,
                "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                left, y, right, y, left - 5, y + 3.5, label);
}

void svg_axis_titles(hbuf *out, int left, int right, int top, int bottom, int x_title_y,
                     const char *x_label, const char *y_label)
{
    hbuf_printf(out, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
                (left + right) / 2, x_title_y);
    hbuf_escape(out, x_label);
    hbuf_printf(out,
                "</text><text class=\"axis-label\" transform=\"translate(13 %d) rotate(-90)\" "
                "text-anchor=\"middle\">",
                (top + bottom) / 2);
    hbuf_escape(out, y_label);
    hbuf_puts(out, "</text>");
}

size_t svg_time_chart_write(hbuf *out, const svg_time_chart *c)
{
    tc_frame f = { INFINITY, -INFINITY, INFINITY, -INFINITY };
    for (size_t k = 0; k < c->n_series; k++) {
        const svg_band_series *s = &c->series[k];
        for (size_t i = 0; i < s->n; i++) {
            if (!isfinite(s->mid[i])) continue;
            widen(s->x[i], &f.x0, &f.x1);
            widen(s->mid[i], &f.y0, &f.y1);
            if (s->outer_lo) widen(s->outer_lo[i], &f.y0, &f.y1);
            if (s->outer_hi) widen(s->outer_hi[i], &f.y0, &f.y1);
            if (s->inner_lo) widen(s->inner_lo[i], &f.y0, &f.y1);
            if (s->inner_hi) widen(s->inner_hi[i], &f.y0, &f.y1);
        }
    }
    svg_open(out, c->css_class, c->title, TC_WIDTH, TC_HEIGHT);
    if (!isfinite(f.x0)) {
        hbuf_printf(out,
                    "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                    "no values to draw</text></svg>",
                    TC_WIDTH / 2, TC_HEIGHT / 2);
        return 0;
    }
    if (c->zero_line) widen(0.0, &f.y0, &f.y1);
    if (f.x1 <= f.x0) {
        f.x0 -= 15.0;
        f.x1 += 15.0;
    }
    double step = svg_nice_range(&f.y0, &f.y1, 5);
    double ticks[32];
    size_t n_ticks = svg_ticks(f.y0, f.y1, step, ticks, 32);
    for (size_t i = 0; i < n_ticks; i++) {
        char label[48];
        svg_format_tick(ticks[i], step, fmax(fabs(f.y0), fabs(f.y1)), c->money, label,
                        sizeof label);
        double y = tc_y(&f, ticks[i]);
        svg_y_grid_tick(out, y, TC_LEFT, TC_WIDTH - TC_RIGHT, label);
    }
    tc_date_axis(out, &f);
    if (c->zero_line)
        hbuf_printf(out, "<line class=\"zero\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>",
                    TC_LEFT, tc_y(&f, 0.0), TC_WIDTH - TC_RIGHT, tc_y(&f, 0.0));
    hbuf_printf(out, "<text class=\"unit\" x=\"%d\" y=\"%d\">", 4, TC_HEIGHT - 4);
    hbuf_escape(out, c->y_label);
    hbuf_puts(out, "</text>");
    size_t drawn = 0;
    for (size_t k = 0; k < c->n_series; k++) {
        const svg_band_series *s = &c->series[k];
        tc_bands(out, &f, s, s->outer_lo, s->outer_hi, "band-outer", 0.16);
        tc_bands(out, &f, s, s->inner_lo, s->inner_hi, "band-inner", 0.30);
    }
    for (size_t k = 0; k < c->n_series; k++) drawn += tc_line(out, &f, &c->series[k]);
    hbuf_printf(out, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></svg>",
                TC_LEFT, TC_TOP, TC_WIDTH - TC_LEFT - TC_RIGHT, TC_HEIGHT - TC_TOP - TC_BOTTOM);
    return drawn;
}

/* ---- bar chart ---- */

static double bar_x(double x0, double x1, double v, int left)
{
    return left + (v - x0) / (x1 - x0) * (BAR_WIDTH - left - BAR_RIGHT);
}

size_t svg_bar_chart_write(hbuf *out, const svg_bar_chart *c)
{
    size_t n_measures = c->n_measures > SVG_BAR_MAX_MEASURES ? SVG_BAR_MAX_MEASURES : c->n_measures;
    double x0 = 0.0, x1 = 0.0; /* 0 is always on the axis */
    for (size_t i = 0; i < c->n_items; i++) {
        for (size_t m = 0; m < n_measures; m++) {
            const svg_bar_value *v = &c->items[i].values[m];
            if (!v->have) continue;
            widen(v->mean, &x0, &x1);
            if (v->have_interval) {
                widen(v->lower, &x0, &x1);
                widen(v->upper, &x0, &x1);
            }
        }
    }
    double step = svg_nice_range(&x0, &x1, 5);
    int left = c->label_width > 0 && c->label_width < BAR_WIDTH / 2 ? c->label_width : BAR_LEFT;
    int row = (int)n_measures * BAR_THICK + BAR_GAP;
    int height = BAR_TOP + (int)c->n_items * row + BAR_BOTTOM;
    svg_open(out, c->css_class, c->title, BAR_WIDTH, height);
    double ticks[32];
    size_t n_ticks = svg_ticks(x0, x1, step, ticks, 32);
    int axis_y = height - BAR_BOTTOM;
    for (size_t i = 0; i < n_ticks; i++) {
        char label[48];
        svg_format_tick(ticks[i], step, fmax(fabs(x0), fabs(x1)), c->money, label, sizeof label);
        double x = bar_x(x0, x1, ticks[i], left);
        hbuf_printf(out,
                    "<line class=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    ticks[i] == 0.0 ? "zero" : "grid", x, BAR_TOP - 4, x, axis_y + 4, x,
                    axis_y + 16, label);
    }
    size_t drawn = 0;
    double zero_x = bar_x(x0, x1, 0.0, left);
    for (size_t i = 0; i < c->n_items; i++) {
        const svg_bar_item *it = &c->items[i];
        int top = BAR_TOP + (int)i * row + BAR_GAP / 2;
        hbuf_printf(out, "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", left - 6,
                    top + n_measures * BAR_THICK / 2.0 + 3.5);
        hbuf_escape(out, it->label);
        hbuf_puts(out, "</text>");
        for (size_t m = 0; m < n_measures; m++) {
            const svg_bar_value *v = &it->values[m];
            int y = top + (int)m * BAR_THICK;
            if (!v->have || !isfinite(v->mean)) {
                hbuf_printf(out, "<text class=\"na\" x=\"%.1f\" y=\"%d\">n/a</text>", zero_x + 3,
                            y + BAR_THICK - 1);
                continue;
            }
            double xv = bar_x(x0, x1, v->mean, left);
            double bar_left = xv < zero_x ? xv : zero_x;
            hbuf_printf(out,
                        "<rect class=\"mark bar\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                        "height=\"%d\" fill=\"%s\"/>",
                        bar_left, y, fabs(xv - zero_x), BAR_THICK - 1, c->colors[m]);
            drawn++;
            if (v->have_interval && isfinite(v->lower) && isfinite(v->upper)) {
                double a = bar_x(x0, x1, v->lower, left), b = bar_x(x0, x1, v->upper, left);
                double mid = y + (BAR_THICK - 1) / 2.0;
                hbuf_printf(out,
                            "<path class=\"whisker\" d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1f"
                            "M%.1f %.1fV%.1f\"/>",
                            a, mid, b, a, mid - 2.5, mid + 2.5, b, mid - 2.5, mid + 2.5);
            }
        }
    }
    hbuf_puts(out, "</svg>");
    return drawn;
}
