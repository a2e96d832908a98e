/* svg.h — the report's charts as inline SVG (no script, no external
 * reference): axis ticks, a time chart of lines with bands, and a
 * horizontal bar chart with intervals.
 *
 * Every drawn data element carries the class "mark" (the browser test
 * counts the marks of each chart that have a non-zero size). Charts scale
 * to their container through viewBox; text is in viewBox units. */
#ifndef PLACESIM_SVG_H
#define PLACESIM_SVG_H

#include <stddef.h>
#include "html_buf.h"

/* Widens [*lo, *hi] to round numbers (1, 2 or 5 × 10^k steps) so that about
 * `target` steps cover it, and returns the step. An empty or degenerate
 * range (lo == hi, non-finite) is widened around its value first. */
double svg_nice_range(double *lo, double *hi, int target);

/* The ticks lo, lo + step, … ≤ hi (+ rounding) of a nice range, into ticks
 * (at most cap); returns how many. A value within step/1e9 of 0 is 0. */
size_t svg_ticks(double lo, double hi, double step, double *ticks, size_t cap);

/* A tick label for v on an axis with this step whose largest magnitude is
 * axis_max: in millions ("1.5m") from 10^6, thousands ("250k") from 10^4,
 * else plain ("0.25"), with as many decimals as the step needs; a minus is
 * U+2212 and money has "£" in front. */
void svg_format_tick(double v, double step, double axis_max, int money, char *buf, size_t buflen);

/* Opens a chart: <svg class="css_class" viewBox="0 0 width height"
 * role="img"> and its accessible <title> (title escaped here). */
void svg_open(hbuf *out, const char *css_class, const char *title, int width, int height);

/* A vertical grid line at x from y top to y bottom, with its tick label
 * (program text) centred 16 units below bottom - 4. */
void svg_x_grid_tick(hbuf *out, double x, int top, int bottom, const char *label);

/* A horizontal grid line at y from x left to right, with its tick label
 * (program text) right-aligned just left of left. */
void svg_y_grid_tick(hbuf *out, double y, int left, int right, const char *label);

/* The axis titles of a plot spanning left..right and top..bottom: x_label
 * centred at y = x_title_y, y_label turned up the left edge (both escaped). */
void svg_axis_titles(hbuf *out, int left, int right, int top, int bottom, int x_title_y,
                     const char *x_label, const char *y_label);

/* Writes one data element's tooltip text (escaped by the writer) inside its
 * <title>: element i of series s. */
typedef void (*svg_tip_fn)(hbuf *out, const void *ctx, size_t s, size_t i);

/* One line with optional bands over time. x are day numbers (dates.h); a
 * NaN in mid ends the line there (a gap), a NaN band bound the band. */
typedef struct svg_band_series {
    const char *color; /* a colour the program chose ("#0072b2") */
    size_t n;
    const double *x;
    const double *mid;                 /* the median, or the mean difference */
    const double *inner_lo, *inner_hi; /* the darker band (50%); NULL: none */
    const double *outer_lo, *outer_hi; /* the lighter band (90% or 95%); NULL: none */
} svg_band_series;

typedef struct svg_time_chart {
    const char *css_class; /* e.g. "chart chart-levels" (program text) */
    const char *title;     /* accessible title (escaped here) */
    const char *y_label;   /* the unit (escaped here) */
    int money;             /* ticks in £ */
    int zero_line;         /* include 0 and draw it dashed (differences) */
    const svg_band_series *series;
    size_t n_series;
} svg_time_chart;

/* Appends the chart as an <svg> element. Returns the number of series
 * points drawn (0: nothing finite to draw, the chart says so). */
size_t svg_time_chart_write(hbuf *out, const svg_time_chart *c);

/* A horizontal bar chart: one row of bars per item, one bar per measure,
 * each with its interval as a whisker. */
enum { SVG_BAR_MAX_MEASURES = 4 };

typedef struct svg_bar_value {
    int have; /* 0: n/a (printed as such, no bar) */
    double mean, lower, upper;
    int have_interval;
} svg_bar_value;

typedef struct svg_bar_item {
    const char *label; /* escaped here */
    svg_bar_value values[SVG_BAR_MAX_MEASURES];
} svg_bar_item;

typedef struct svg_bar_chart {
    const char *css_class;
    const char *title;                        /* escaped here */
    const char *colors[SVG_BAR_MAX_MEASURES]; /* program colours */
    size_t n_measures;
    int money;
    const svg_bar_item *items;
    size_t n_items;
    int label_width; /* room for the item labels, viewBox units (0: 84) */
} svg_bar_chart;

/* Appends the chart; returns the number of bars drawn. */
size_t svg_bar_chart_write(hbuf *out, const svg_bar_chart *c);

/* ---- svg_scatter.c: points with whiskers against a numeric x ---------- */

typedef struct svg_scatter_series {
    const char *color; /* program colour */
    size_t n;
    const double *x, *y;   /* a NaN x or y: the point is not drawn */
    const double *lo, *hi; /* the whisker (NaN: none); NULL: no whiskers */
} svg_scatter_series;

typedef struct svg_scatter_chart {
    const char *css_class;
    const char *title;             /* escaped here */
    const char *x_label, *y_label; /* axis titles, escaped here */
    int money;                     /* y ticks in £ */
    int zero_line;                 /* include 0 on y and draw it dashed */
    const svg_scatter_series *series;
    size_t n_series; /* several: each drawn a little apart on x, so that
                                   series at the same x stay visible */
    svg_tip_fn tip;  /* NULL: no tooltips */
    const void *tip_ctx;
} svg_scatter_chart;

/* Appends the chart; returns the number of points drawn (each a circle of
 * class "mark point"; 0: nothing finite, the chart says so). */
size_t svg_scatter_chart_write(hbuf *out, const svg_scatter_chart *c);

/* ---- svg_heatmap.c: a grid of coloured cells with a colour legend ------ */

typedef struct svg_heatmap {
    const char *css_class;
    const char *title, *x_label, *y_label, *value_label; /* escaped here */
    size_t nx, ny;
    const char *const *x_ticks, *const *y_ticks; /* column and row labels, escaped here */
    const double *z;                             /* z[iy * nx + ix]; NaN: no value (hatched grey) */
    int diverging;                               /* colours centred on 0 (differences) */
    int money;                                   /* legend in £ */
    svg_tip_fn label;    /* a cell's short text, printed in it when cells are
                                   large enough; NULL: none (s = iy, i = ix) */
    svg_tip_fn tip;      /* a cell's tooltip (s = iy, i = ix); NULL: none */
    const void *tip_ctx; /* for both */
} svg_heatmap;

/* Appends the heat map, rows from the bottom (y ascending upwards); each
 * cell with a value is a rect of class "mark cell". Returns the number of
 * cells with a value. */
size_t svg_heatmap_write(hbuf *out, const svg_heatmap *h);

/* ---- svg_histogram.c: how many values fall in each bin ---------------- */

/* A bin's tooltip text (escaped by the writer): count values in [lo, hi). */
typedef void (*svg_bin_tip_fn)(hbuf *out, const void *ctx, size_t count, double lo, double hi);

typedef struct svg_histogram {
    const char *css_class;
    const char *title, *x_label, *count_label; /* escaped here */
    const char *color;                         /* program colour of the bars */
    int money;                                 /* x ticks in £ */
    const double *values;                      /* NaN and infinities are not counted */
    size_t n;
    double mean;               /* a solid line (NaN: none) */
    double range_lo, range_hi; /* shaded behind the bars (NaN: none), e.g. the 90% range */
    int zero_line;             /* a dashed line at 0: on the axis when 0 is within twice
                                   the bins' width of them, else a note of its side */
    svg_bin_tip_fn tip;        /* NULL: no tooltips */
    const void *tip_ctx;
} svg_histogram;

/* Appends the histogram: bins of a round width (1, 2 or 5 x 10^k) over the
 * finite values, about 2 sqrt(n) of them (5 to 20); a value on a bin's edge
 * is counted in the bin above it, the largest in the last. Each bin with
 * values is a rect of class "mark bar" whose data-count is its count of
 * the values v with data-from <= v < data-to (17 significant digits; the
 * last bin's data-to is "inf": it also holds its upper edge).
 * Returns the number of values counted (the sum of the data-counts; 0:
 * nothing finite, the chart says so). */
size_t svg_histogram_write(hbuf *out, const svg_histogram *h);

#endif
