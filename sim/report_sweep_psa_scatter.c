/* report_sweep_psa_scatter.c — each point's net present value (fiscal +
 * social, and fiscal only, with the 95% interval over its replications)
 * against each swept parameter's value: which parameters tip the answer
 * across zero. From compare_sweep_json's document, through svg_scatter. */
#include "report_sweep_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "svg.h"

static const char total_color[] = "#0072b2", fiscal_color[] = "#e69f00";
static const char *const npv_keys[2] = { "npv_total", "npv_fiscal" };

typedef struct npv_tip {
    const json_t *doc, *points;
    long long replications;
} npv_tip;

static double number(const json_t *v) { return json_is_number(v) ? json_number_value(v) : NAN; }

/* "point 3: NPV fiscal + social −£383,410 (95% interval … to …) over 3
 * replications, at key = v, ...". */
static void tip(hbuf *out, const void *ctx, size_t s, size_t i)
{
    const npv_tip *t = ctx;
    const json_t *p = json_array_get(t->points, i);
    char key[40], a[64], b[64], c[64];
    rfmt_number(number(json_object_get(p, npv_keys[s])), 1, a, sizeof a);
    hbuf_printf(out, "point %lld: NPV %s %s",
                (long long)json_integer_value(json_object_get(p, "point_id")),
                s == 0 ? "fiscal + social" : "fiscal", a);
    snprintf(key, sizeof key, "%s_lower", npv_keys[s]);
    double lo = number(json_object_get(p, key));
    snprintf(key, sizeof key, "%s_upper", npv_keys[s]);
    double hi = number(json_object_get(p, key));
    if (isfinite(lo) && isfinite(hi)) {
        rfmt_number(lo, 1, b, sizeof b);
        rfmt_number(hi, 1, c, sizeof c);
        hbuf_printf(out, " (95%% interval %s to %s)", b, c);
    }
    hbuf_printf(out, " over %lld replication%s, at ", t->replications,
                t->replications == 1 ? "" : "s");
    rsw_psa_point_values(out, t->doc, p);
}

/* The axis title of the document's parameter k: the store's words and unit
 * when the keys agree. */
static void x_label(const rsw_data *d, const char *key, char *buf, size_t buflen)
{
    for (size_t j = 0; j < d->n_params; j++)
        if (key && strcmp(d->params[j].key, key) == 0) {
            rsw_param_label(&d->params[j], buf, buflen);
            return;
        }
    rsw_words(key, buf, buflen);
}

static void chart(hbuf *out, const rsw_data *d, const json_t *doc, const json_t *arm, size_t k,
                  double *arrays)
{
    const json_t *points = json_object_get(arm, "points");
    size_t n = json_array_size(points);
    svg_scatter_series series[2];
    for (int s = 0; s < 2; s++) {
        double *x = arrays + (size_t)s * 4 * n, *y = x + n, *lo = y + n, *hi = lo + n;
        char lower[40], upper[40];
        snprintf(lower, sizeof lower, "%s_lower", npv_keys[s]);
        snprintf(upper, sizeof upper, "%s_upper", npv_keys[s]);
        for (size_t i = 0; i < n; i++) {
            const json_t *p = json_array_get(points, i);
            x[i] = number(json_array_get(json_object_get(p, "values"), k));
            y[i] = number(json_object_get(p, npv_keys[s]));
            lo[i] = number(json_object_get(p, lower));
            hi[i] = number(json_object_get(p, upper));
        }
        series[s] = (svg_scatter_series){
            .color = s == 0 ? total_color : fiscal_color, .n = n, .x = x, .y = y, .lo = lo, .hi = hi
        };
    }
    const char *key = json_string_value(json_array_get(json_object_get(doc, "parameters"), k));
    char title[1024], label[320];
    x_label(d, key, label, sizeof label);
    snprintf(title, sizeof title, "NPV at each point by %s: %s minus %s", label,
             json_string_value(json_object_get(arm, "arm")),
             json_string_value(json_object_get(doc, "base")));
    npv_tip t = { .doc = doc,
                  .points = points,
                  .replications = (long long)json_integer_value(
                      json_object_get(json_object_get(doc, "sweep"), "replications")) };
    svg_scatter_chart c = { .css_class = "chart chart-npv",
                            .title = title,
                            .x_label = label,
                            .y_label = "net present value (£)",
                            .money = 1,
                            .zero_line = 1,
                            .series = series,
                            .n_series = 2,
                            .tip = tip,
                            .tip_ctx = &t };
    hbuf_puts(out, "<figure><figcaption><b>");
    hbuf_escape(out, title);
    hbuf_puts(out, "</b></figcaption>");
    svg_scatter_chart_write(out, &c);
    hbuf_puts(out, "</figure>");
}

void rsw_psa_scatter(hbuf *out, const rsw_data *d, const json_t *doc, const json_t *arm,
                     size_t *charts_left)
{
    size_t n_params = json_array_size(json_object_get(doc, "parameters"));
    size_t n = json_array_size(json_object_get(arm, "points"));
    size_t shown = n_params < *charts_left ? n_params : *charts_left;
    if (n_params == 0) return;
    hbuf_printf(out,
                "<h4>Which parameters tip the answer</h4><ul class=\"legend\"><li><span "
                "class=\"swatch\" style=\"background:%s\"></span>NPV fiscal + social</li><li>"
                "<span class=\"swatch\" style=\"background:%s\"></span>NPV fiscal only</li></ul>",
                total_color, fiscal_color);
    if (shown < n_params)
        hbuf_printf(out,
                    "<p class=\"note\">This page shows the NPV against %zu of the %zu "
                    "parameters here, to stay readable (at most %d such charts a page). Every "
                    "point's figures are in <code>placesim compare RESULTS.db --csv -</code>."
                    "</p>",
                    shown, n_params, RSW_MAX_CHARTS);
    if (shown == 0) return;
    double *arrays = malloc(2 * 4 * (n ? n : 1) * sizeof *arrays);
    if (!arrays) {
        out->failed = 1;
        return;
    }
    hbuf_puts(out, "<div class=\"pair two\">");
    for (size_t k = 0; k < shown; k++) chart(out, d, doc, arm, k, arrays);
    hbuf_puts(out, "</div><p class=\"how\">Each dot is one point of the design: its NPV, the mean "
                   "over its replications, with the 95% interval of that mean (the runs' noise). "
                   "Above the dashed line the arm pays back more than it costs; a slope from left "
                   "to right is that parameter moving the answer, dots spread up and down at one "
                   "value the other parameters.</p>");
    *charts_left -= shown;
    free(arrays);
}
