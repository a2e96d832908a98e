/* test_report_svg.c — the report's pieces: HTML escaping, axis ticks and
 * their labels, series.csv reading, quantile bands and the paired
 * difference interval and histogram bins on data whose answers are known
 * by hand. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "html_buf.h"
#include "report_series.h"
#include "svg.h"
#include "test_assert.h"
#include "test_files.h"

static char *escaped(const char *text)
{
    hbuf b;
    hbuf_init(&b);
    hbuf_escape(&b, text);
    assert_false(b.failed);
    char *s = strdup(b.data ? b.data : "");
    hbuf_free(&b);
    return s;
}

static void test_escape_markup_and_quotes(void **state)
{
    (void)state;
    char *s = escaped("<script>alert(\"x\" & 'y')</script>");
    assert_string_equal(s, "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
    free(s);
    s = escaped("plain text, 100% safe");
    assert_string_equal(s, "plain text, 100% safe");
    free(s);
}

static void test_escape_keeps_utf8_replaces_bad_bytes(void **state)
{
    (void)state;
    /* "£5 – é" is valid UTF-8 and stays; a stray 0xff, a truncated
     * sequence and control characters become U+FFFD; tab and newline stay. */
    char *s = escaped("\xC2\xA3"
                      "5 \xE2\x80\x93 \xC3\xA9");
    assert_string_equal(s, "\xC2\xA3"
                           "5 \xE2\x80\x93 \xC3\xA9");
    free(s);
    s = escaped("a\xff"
                "b\xE2\x80"
                "c\x01"
                "d\te\nf\x7f");
    assert_string_equal(s, "a\xEF\xBF\xBD"
                           "b\xEF\xBF\xBD\xEF\xBF\xBD"
                           "c\xEF\xBF\xBD"
                           "d\te\nf"
                           "\xEF\xBF\xBD");
    free(s);
}

static void test_escape_null_and_printf(void **state)
{
    (void)state;
    hbuf b;
    hbuf_init(&b);
    hbuf_escape(&b, NULL);
    hbuf_printf(&b, "<%s %d>", "svg", 42);
    assert_string_equal(b.data, "<svg 42>");
    /* Growth past the first block keeps every byte. */
    for (int i = 0; i < 5000; i++) hbuf_puts(&b, "0123456789");
    assert_int_equal(b.len, 8 + 50000);
    assert_int_equal(b.data[b.len - 1], '9');
    hbuf_free(&b);
}

static void check_ticks(double lo, double hi, double step_want, const double *want, size_t n_want)
{
    double step = svg_nice_range(&lo, &hi, 5);
    assert_float_equal(step, step_want, step_want * 1e-12);
    double ticks[32];
    size_t n = svg_ticks(lo, hi, step, ticks, 32);
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++) assert_float_equal(ticks[i], want[i], step * 1e-9);
}

static void test_nice_ticks(void **state)
{
    (void)state;
    /* 97 / 5 = 19.4 → step 20 (1.94 rounds to 2), range widened to 0–100. */
    check_ticks(0.0, 97.0, 20.0, (const double[]){ 0, 20, 40, 60, 80, 100 }, 6);
    /* 11.1 / 5 = 2.22 → 2; −3.2 … 7.9 widens to −4 … 8. */
    check_ticks(-3.2, 7.9, 2.0, (const double[]){ -4, -2, 0, 2, 4, 6, 8 }, 7);
    /* Money: 480,000 / 5 = 96,000 → 100,000. */
    check_ticks(-180000.0, 300000.0, 100000.0,
                (const double[]){ -200000, -100000, 0, 100000, 200000, 300000 }, 6);
    /* Small values: 0.15 / 5 = 0.03 → 0.05 (3 rounds up to 5). */
    check_ticks(0.05, 0.2, 0.05, (const double[]){ 0.05, 0.1, 0.15, 0.2 }, 4);
    /* A flat series (all 5) is widened by 10% either side: 4.5 … 5.5. */
    check_ticks(5.0, 5.0, 0.2, (const double[]){ 4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6 }, 7);
    /* All zero: widened to −1 … 1. */
    check_ticks(0.0, 0.0, 0.5, (const double[]){ -1, -0.5, 0, 0.5, 1 }, 5);
}

static void test_tick_labels(void **state)
{
    (void)state;
    char buf[64];
    svg_format_tick(1500000.0, 500000.0, 1500000.0, 1, buf, sizeof buf);
    assert_string_equal(buf, "\xC2\xA3"
                             "1.5m");
    svg_format_tick(-200000.0, 100000.0, 500000.0, 1, buf, sizeof buf);
    assert_string_equal(buf, "\xE2\x88\x92\xC2\xA3"
                             "200k");
    svg_format_tick(-40.0, 20.0, 100.0, 0, buf, sizeof buf);
    assert_string_equal(buf, "\xE2\x88\x92"
                             "40");
    svg_format_tick(0.25, 0.05, 0.3, 0, buf, sizeof buf);
    assert_string_equal(buf, "0.25");
    svg_format_tick(1e-17, 0.05, 0.3, 1, buf, sizeof buf);
    assert_string_equal(buf, "\xC2\xA3"
                             "0");
    /* On an axis to £1.5m, 500k is written in millions too. */
    svg_format_tick(500000.0, 500000.0, 1500000.0, 1, buf, sizeof buf);
    assert_string_equal(buf, "\xC2\xA3"
                             "0.5m");
    svg_format_tick(6000.0, 1000.0, 9000.0, 0, buf, sizeof buf);
    assert_string_equal(buf, "6000");
}

/* A series.csv in a fresh temporary directory; returns its path. */
static char *write_series(const char *rows)
{
    char dir[] = "/tmp/placesim-test-report-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = malloc(strlen(dir) + 16);
    sprintf(path, "%s/series.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("scenario,replication,tick,date,area,metric,value\n", f);
    fputs(rows, f);
    fclose(f);
    return path;
}

static void remove_series(char *path)
{
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
    free(path);
}

/* Five replications at one date, values 5, 1, 4, 2, 3 (rows out of order
 * across dates too); an area row and another metric are ignored. */
static const char known_rows[] = "b,1,59,2025-05-31,ALL,m,50\n"
                                 "b,1,29,2025-04-30,ALL,m,5\n"
                                 "b,1,29,2025-04-30,North,m,999\n"
                                 "b,1,29,2025-04-30,ALL,other,999\n"
                                 "b,2,29,2025-04-30,ALL,m,1\n"
                                 "b,3,29,2025-04-30,ALL,m,4\n"
                                 "b,4,29,2025-04-30,ALL,m,2\n"
                                 "b,5,29,2025-04-30,ALL,m,3\n"
                                 "b,2,59,2025-05-31,ALL,m,NA\n"
                                 "b,3,59,2025-05-31,\"ALL\",m,30\n";

static void test_series_quantiles_known(void **state)
{
    (void)state;
    char *path = write_series(known_rows);
    rseries s;
    char err[512];
    const char *names[] = { "m", "absent" };
    assert_int_equal(rseries_load(path, &(rseries_select){ .metrics = names, .n_metrics = 2 }, 5,
                                  &s, err, sizeof err),
                     0);
    const rseries_metric *m = &s.metrics[0];
    assert_int_equal(m->n_points, 2);
    int64_t april = 20208, may = 20239; /* 2025-04-30, 2025-05-31 */
    assert_int_equal(m->day[0], april);
    assert_int_equal(m->day[1], may);
    assert_int_equal(s.metrics[1].n_points, 0);
    /* GSL's quantile (R type 7) of 1..5: h = (n−1)p, so 5% → 1.2, 25% → 2,
     * 50% → 3, 75% → 4, 95% → 4.8. */
    const double probs[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
    double q[2 * 5];
    assert_int_equal(rseries_quantiles(m, 5, probs, 5, q), 0);
    const double want[5] = { 1.2, 2.0, 3.0, 4.0, 4.8 };
    for (int k = 0; k < 5; k++) assert_float_equal(q[k], want[k], 1e-12);
    /* The second date: NA and missing replications are left out, so the
     * quantiles are over {50, 30}: median 40, 25% 35. */
    assert_float_equal(q[5 + 2], 40.0, 1e-12);
    assert_float_equal(q[5 + 1], 35.0, 1e-12);
    rseries_free(&s);
    remove_series(path);
}

static void test_series_difference_known(void **state)
{
    (void)state;
    /* Base 10, 20, 30, 40, 50; arm adds 1, 2, 3, 4, 5: differences with
     * mean 3 and sd √2.5; t(0.975, 4) = 2.776445 (tables), so the half
     * width is 2.776445 × √2.5 / √5 = 1.963243. At the second date only
     * one replication pairs: a mean and no interval. The arm's third
     * date has no base partner and is left out. */
    char *bp = write_series("b,1,29,2025-04-30,ALL,m,10\nb,2,29,2025-04-30,ALL,m,20\n"
                            "b,3,29,2025-04-30,ALL,m,30\nb,4,29,2025-04-30,ALL,m,40\n"
                            "b,5,29,2025-04-30,ALL,m,50\nb,1,59,2025-05-31,ALL,m,7\n");
    char *ap = write_series("a,1,29,2025-04-30,ALL,m,11\na,2,29,2025-04-30,ALL,m,22\n"
                            "a,3,29,2025-04-30,ALL,m,33\na,4,29,2025-04-30,ALL,m,44\n"
                            "a,5,29,2025-04-30,ALL,m,55\na,1,59,2025-05-31,ALL,m,9\n"
                            "a,2,59,2025-05-31,ALL,m,NA\na,1,90,2025-06-30,ALL,m,1\n");
    rseries b, a;
    char err[512];
    const char *names[] = { "m" };
    assert_int_equal(rseries_load(bp, &(rseries_select){ .metrics = names, .n_metrics = 1 }, 5, &b,
                                  err, sizeof err),
                     0);
    assert_int_equal(rseries_load(ap, &(rseries_select){ .metrics = names, .n_metrics = 1 }, 5, &a,
                                  err, sizeof err),
                     0);
    int64_t day[3];
    double mean[3], lo[3], hi[3];
    size_t n = rseries_difference(&b.metrics[0], 5, &a.metrics[0], 5, 1, day, mean, lo, hi);
    assert_int_equal(n, 2);
    assert_float_equal(mean[0], 3.0, 1e-12);
    assert_float_equal(lo[0], 3.0 - 1.963243, 1e-5);
    assert_float_equal(hi[0], 3.0 + 1.963243, 1e-5);
    assert_float_equal(mean[1], 2.0, 1e-12);
    assert_true(isnan(lo[1]) && isnan(hi[1]));

    /* Unpaired (Welch) at the first date: base 10…50 (mean 30, variance
     * 250), arm 11…55 (mean 33, variance 302.5), n = 5 each: difference 3,
     * se² = 50 + 60.5 = 110.5, df = 110.5² / (50²/4 + 60.5²/4) = 7.928
     * (by hand); the half width is t(0.975, 7.928) × √110.5, with t from
     * GSL at that df, which must lie between the tables' 2.306 (8 degrees
     * of freedom) and 2.365 (7). At the second date each run has one
     * value: a mean, no interval. */
    n = rseries_difference(&b.metrics[0], 5, &a.metrics[0], 5, 0, day, mean, lo, hi);
    assert_int_equal(n, 2);
    assert_float_equal(mean[0], 3.0, 1e-12);
    double half = hi[0] - 3.0;
    assert_float_equal(3.0 - lo[0], half, 1e-9);
    double t = half / sqrt(110.5);
    assert_in_open_range_double(t, 2.306, 2.365);
    assert_float_equal(t, gsl_cdf_tdist_Pinv(0.975, 110.5 * 110.5 / (2500.0 / 4 + 3660.25 / 4)),
                       1e-9);
    assert_float_equal(mean[1], 2.0, 1e-12);
    assert_true(isnan(lo[1]) && isnan(hi[1]));
    rseries_free(&b);
    rseries_free(&a);
    remove_series(bp);
    remove_series(ap);
}

static void test_series_area_sums(void **state)
{
    (void)state;
    /* North + South per replication and date; East and ALL are ignored. A
     * value is missing when an area has no row, NA when one is NA. */
    char *path = write_series("b,1,29,2025-04-30,North,m,3\nb,1,29,2025-04-30,South,m,4\n"
                              "b,1,29,2025-04-30,East,m,100\nb,1,29,2025-04-30,ALL,m,107\n"
                              "b,2,29,2025-04-30,North,m,5\n"
                              "b,1,59,2025-05-31,North,m,NA\nb,1,59,2025-05-31,South,m,1\n"
                              "b,2,59,2025-05-31,South,m,2\nb,2,59,2025-05-31,North,m,0.5\n");
    const char *names[] = { "m" }, *areas[] = { "North", "South" };
    int sum[] = { 1 };
    rseries s;
    char err[512];
    assert_int_equal(
        rseries_load(path, &(rseries_select){ names, 1, areas, 2, sum }, 2, &s, err, sizeof err),
        0);
    const rseries_metric *m = &s.metrics[0];
    assert_int_equal(m->n_points, 2);
    assert_float_equal(m->values[0], 7.0, 1e-12);
    assert_true(isnan(m->values[1])); /* replication 2: no South row */
    assert_true(isnan(m->values[2])); /* replication 1: North NA */
    assert_float_equal(m->values[3], 2.5, 1e-12);
    assert_null(m->counts);
    rseries_free(&s);
    /* Not summed (a mean): the ALL rows, whatever the areas. */
    sum[0] = 0;
    assert_int_equal(
        rseries_load(path, &(rseries_select){ names, 1, areas, 2, sum }, 2, &s, err, sizeof err),
        0);
    assert_int_equal(s.metrics[0].n_points, 1);
    assert_float_equal(s.metrics[0].values[0], 107.0, 1e-12);
    rseries_free(&s);
    remove_series(path);
}

static void expect_load_error(const char *rows, size_t n_reps, const char *want)
{
    char *path = write_series(rows);
    rseries s;
    char err[512] = "";
    const char *names[] = { "m" };
    rseries_select sel = { .metrics = names, .n_metrics = 1 };
    assert_int_equal(rseries_load(path, &sel, n_reps, &s, err, sizeof err), -1);
    if (!strstr(err, want)) fail_msg("error '%s' does not contain '%s'", err, want);
    assert_non_null(strstr(err, path));
    assert_null(s.metrics);
    remove_series(path);
}

static void test_series_bad_rows(void **state)
{
    (void)state;
    expect_load_error("b,6,29,2025-04-30,ALL,m,1\n", 5, ":2: replication '6' is not between 1");
    expect_load_error("b,1,29,2025-04-30,ALL,m,1\nb,1,29,2025-04-31,ALL,m,1\n", 5,
                      ":3: date '2025-04-31'");
    expect_load_error("b,1,29,2025-04-30,ALL,m,lots\n", 5, ":2: value 'lots'");
    expect_load_error("b,1,29,2025-04-30,ALL,m\n", 5, ":2: expected 7 fields");
    expect_load_error("b,1,29,2025-04-30,\"ALL,m,1\n", 5, ":2: expected 7 fields");
    /* A file that is not a series. */
    char *path = write_series("");
    FILE *f = fopen(path, "w");
    fputs("year,value\n", f);
    fclose(f);
    rseries s;
    char err[512];
    const char *names[] = { "m" };
    assert_int_equal(rseries_load(path, &(rseries_select){ .metrics = names, .n_metrics = 1 }, 5,
                                  &s, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, ":1: not a placesim series.csv"));
    /* A FIFO in its place is refused at once, not waited on. */
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(rseries_load(path, &(rseries_select){ .metrics = names, .n_metrics = 1 }, 5,
                                  &s, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "not a regular file"));
    remove_series(path);
}

/* Counts occurrences of needle in hay. */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

static void test_time_chart_gaps_and_bands(void **state)
{
    (void)state;
    /* Points 0–2 finite, 3 missing (NaN), 4 alone: one line of three
     * points, one dot, and one band per run of two or more points. */
    double x[5] = { 20000, 20030, 20060, 20090, 20120 };
    double mid[5] = { 1, 2, 3, NAN, 5 };
    double lo[5] = { 0, 1, 2, NAN, 4 }, hi[5] = { 2, 3, 4, NAN, 6 };
    svg_band_series s = {
        .color = "#0072b2", .n = 5, .x = x, .mid = mid, .outer_lo = lo, .outer_hi = hi
    };
    svg_time_chart c = { .css_class = "chart chart-levels",
                         .title = "t <&>",
                         .y_label = "u\"",
                         .series = &s,
                         .n_series = 1 };
    hbuf b;
    hbuf_init(&b);
    assert_int_equal(svg_time_chart_write(&b, &c), 4);
    assert_false(b.failed);
    assert_int_equal(count(b.data, "class=\"mark line\""), 1);
    assert_int_equal(count(b.data, "class=\"mark point\""), 1);
    assert_int_equal(count(b.data, "class=\"mark band-outer\""), 1);
    assert_non_null(strstr(b.data, "<title>t &lt;&amp;&gt;</title>"));
    assert_non_null(strstr(b.data, ">u&quot;</text>"));
    assert_null(strstr(b.data, "NaN"));
    assert_null(strstr(b.data, "nan"));
    assert_int_equal(count(b.data, "<svg"), 1);
    assert_int_equal(count(b.data, "</svg>"), 1);
    hbuf_free(&b);

    /* Nothing finite: no marks, and the chart says so. */
    double none[2] = { NAN, NAN };
    svg_band_series e = { .color = "#000", .n = 2, .x = x, .mid = none };
    c.series = &e;
    hbuf_init(&b);
    assert_int_equal(svg_time_chart_write(&b, &c), 0);
    assert_null(strstr(b.data, "mark"));
    assert_non_null(strstr(b.data, "no values to draw"));
    hbuf_free(&b);
}

static void test_bar_chart(void **state)
{
    (void)state;
    svg_bar_item items[2] = {
        { .label = "<housing>", .values = { { 1, 400, 390, 410, 1 }, { 1, -50, -70, -30, 1 } } },
        { .label = "pool", .values = { { 0 }, { 1, 20, 0, 0, 0 } } },
    };
    svg_bar_chart c = { .css_class = "chart chart-bearers",
                        .title = "b",
                        .colors = { "#d55e00", "#0072b2" },
                        .n_measures = 2,
                        .money = 1,
                        .items = items,
                        .n_items = 2 };
    hbuf b;
    hbuf_init(&b);
    assert_int_equal(svg_bar_chart_write(&b, &c), 3);
    assert_int_equal(count(b.data, "class=\"mark bar\""), 3);
    assert_int_equal(count(b.data, "class=\"whisker\""), 2);
    assert_int_equal(count(b.data, ">n/a<"), 1);
    assert_non_null(strstr(b.data, ">&lt;housing&gt;</text>"));
    assert_null(strstr(b.data, "<housing>"));
    hbuf_free(&b);
}

/* Sums the data-count of every bar; *bars gets how many bars. */
static int bar_counts(const char *svg, int *bars)
{
    int sum = 0;
    *bars = 0;
    for (const char *p = strstr(svg, "data-count=\""); p; p = strstr(p + 1, "data-count=\"")) {
        sum += atoi(p + strlen("data-count=\""));
        ++*bars;
    }
    return sum;
}

/* Histogram bins by hand: 0..9 in bins of 1 (a value on an edge counts in
 * the bin above, the largest in the last); equal values in one bar; zero
 * far from the values noted, not drawn; nothing finite said so. */
static void test_histogram(void **state)
{
    (void)state;
    double v[11] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, NAN };
    svg_histogram h = { .css_class = "chart chart-histogram",
                        .title = "t",
                        .x_label = "<x>",
                        .count_label = "points",
                        .color = "#0072b2",
                        .money = 1,
                        .values = v,
                        .n = 11,
                        .mean = 4.5,
                        .range_lo = 0.45,
                        .range_hi = 8.55,
                        .zero_line = 1 };
    hbuf b;
    hbuf_init(&b);
    assert_int_equal(svg_histogram_write(&b, &h), 10);
    int bars, sum = bar_counts(b.data, &bars);
    assert_int_equal(sum, 10);
    assert_int_equal(bars, 9); /* [0,1) ... [7,8) one each; [8,9] two */
    assert_non_null(strstr(b.data, "data-count=\"2\" data-from=\"8\" data-to=\"inf\""));
    assert_non_null(strstr(b.data, "data-count=\"1\" data-from=\"0\" data-to=\"1\""));
    assert_int_equal(count(b.data, "class=\"mean\""), 1);
    assert_int_equal(count(b.data, "class=\"zero\""), 1);
    assert_int_equal(count(b.data, "class=\"range\""), 1);
    assert_non_null(strstr(b.data, "&lt;x&gt;"));
    hbuf_free(&b);

    double same[3] = { 5, 5, 5 };
    h.values = same;
    h.n = 3;
    h.mean = 5;
    hbuf_init(&b);
    assert_int_equal(svg_histogram_write(&b, &h), 3);
    assert_int_equal(bar_counts(b.data, &bars), 3);
    assert_int_equal(bars, 1);
    hbuf_free(&b);

    double far[3] = { 1000, 1001, 1002 };
    h.values = far;
    h.mean = 1001;
    hbuf_init(&b);
    assert_int_equal(svg_histogram_write(&b, &h), 3);
    assert_int_equal(count(b.data, "class=\"zero\""), 0);
    assert_non_null(strstr(b.data, "0 is further left"));
    hbuf_free(&b);

    double none[2] = { NAN, INFINITY };
    h.values = none;
    h.n = 2;
    hbuf_init(&b);
    assert_int_equal(svg_histogram_write(&b, &h), 0);
    assert_non_null(strstr(b.data, "no values to draw"));
    assert_int_equal(count(b.data, "class=\"mark"), 0);
    hbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_markup_and_quotes),
        cmocka_unit_test(test_escape_keeps_utf8_replaces_bad_bytes),
        cmocka_unit_test(test_escape_null_and_printf),
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_tick_labels),
        cmocka_unit_test(test_series_quantiles_known),
        cmocka_unit_test(test_series_difference_known),
        cmocka_unit_test(test_series_area_sums),
        cmocka_unit_test(test_series_bad_rows),
        cmocka_unit_test(test_time_chart_gaps_and_bands),
        cmocka_unit_test(test_bar_chart),
        cmocka_unit_test(test_histogram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
