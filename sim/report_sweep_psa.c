/* report_sweep_psa.c — the sweep report's cost-benefit across the points
 * (a probabilistic sensitivity analysis): for each non-base arm, the
 * distribution across points of each point's net present value, from
 * compare_sweep_json's document (README.md "Across a sweep"), never
 * recomputed here: a histogram of the NPV (fiscal + social, and fiscal
 * only) with its mean, 90% range and zero; the summary measures; the
 * spread across points beside the runs' own noise; each point's NPV
 * against each swept parameter; the skipped points and why. */
#include "report_sweep_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report_format.h"
#include "svg.h"

static const char total_color[] = "#0072b2", fiscal_color[] = "#e69f00";

typedef struct psa_measure {
    const char *key, *words;
    int money;
} psa_measure;

static const psa_measure measures[] = {
    { "costs_pv", "Costs (present value)", 1 },
    { "fiscal_benefits_pv", "Fiscal benefits (present value)", 1 },
    { "social_benefits_pv", "Social benefits (present value)", 1 },
    { "npv_fiscal", "NPV fiscal", 1 },
    { "npv_total", "NPV fiscal + social", 1 },
    { "bcr_fiscal", "BCR fiscal", 0 },
    { "bcr_total", "BCR fiscal + social", 0 },
};

enum { PSA_MAX_SKIPPED_SHOWN = 10 };

int rsw_psa_prepare(const char *db_path, const rsw_data *d, const report_sweep_options *opt,
                    json_t **doc, char *why, size_t whylen, char *err, size_t errlen)
{
    *doc = NULL;
    if (!rsw_has_cost_benefit(d)) {
        snprintf(why, whylen, "%s",
                 d->n_arms < 2
                     ? "the sweep has one arm, and a cost-benefit compares an arm with a base"
                     : "the sweep kept no money (cost_benefit = false); set cost_benefit = true in "
                       "the sweep file and run it again for one");
        if (!opt->money_option) return 0;
        snprintf(err, errlen,
                 "%s: %s applies to a sweep's cost-benefit, and this one has none: "
                 "%s",
                 db_path, opt->money_option, why);
        return 2;
    }
    compare_options c = { .from_year = opt->from_year,
                          .to_year = opt->to_year,
                          .discount_rate = opt->discount_rate };
    char msg[1024];
    int status = compare_sweep_json(db_path, &c, NULL, doc, msg, sizeof msg);
    if (status == 0) return 0;
    /* A usage problem (the window, the rate) is the reader's to fix; a
     * sweep with no complete point yet still has its other sections. */
    if (status == 2 || strcmp(msg, "out of memory") == 0) {
        if (strncmp(msg, db_path, strlen(db_path)) == 0)
            snprintf(err, errlen, "%s", msg);
        else
            snprintf(err, errlen, "%s: %s", db_path, msg);
        return status;
    }
    snprintf(why, whylen, "%s", msg);
    return 0;
}

/* ---- words ---- */

static double number(const json_t *v) { return json_is_number(v) ? json_number_value(v) : NAN; }

static double get(const json_t *o, const char *key) { return number(json_object_get(o, key)); }

static double summary_of(const json_t *arm, const char *measure, const char *key)
{
    return get(json_object_get(json_object_get(arm, "summary"), measure), key);
}

static void money_text(double v, char *buf, size_t buflen) { rfmt_number(v, 1, buf, buflen); }

/* "at 7 of 12 points (58%)", "at none of the 12 points", "at every one of
 * the 12 points". */
static void count_words(hbuf *out, double share, double n)
{
    if (!isfinite(share) || !(n >= 1)) {
        hbuf_puts(out, "at no point with a value");
        return;
    }
    long k = lround(share * n), total = lround(n);
    if (k == 0)
        hbuf_printf(out, "at none of the %ld point%s", total, total == 1 ? "" : "s");
    else if (total == 1)
        hbuf_puts(out, "at the one point");
    else if (k == total)
        hbuf_printf(out, "at every one of the %ld points", total);
    else
        hbuf_printf(out, "at %ld of %ld points (%.0f%%)", k, total, share * 100.0);
}

/* "four times", "1.3 times", "23 times". */
static void times_words(hbuf *out, double ratio)
{
    static const char *const words[] = { "",    "",      "two",   "three", "four", "five",
                                         "six", "seven", "eight", "nine",  "ten" };
    if (ratio >= 1.95 && ratio < 10.5)
        hbuf_printf(out, "%s times", words[lround(ratio)]);
    else if (ratio >= 10.5)
        hbuf_printf(out, "%.0f times", ratio);
    else
        hbuf_printf(out, "%.1f times", ratio);
}

static void npv_sentence(hbuf *out, const json_t *arm, const char *measure)
{
    char mean[64], lo[64], hi[64];
    money_text(summary_of(arm, measure, "mean"), mean, sizeof mean);
    money_text(summary_of(arm, measure, "p05"), lo, sizeof lo);
    money_text(summary_of(arm, measure, "p95"), hi, sizeof hi);
    count_words(out, summary_of(arm, measure, "share_positive"), summary_of(arm, measure, "n"));
    hbuf_printf(out, "</b>: mean %s, 90%% of points between %s and %s", mean, lo, hi);
}

/* The spread across points against the runs' own noise, and what that says. */
static void noise_sentence(hbuf *out, const json_t *arm, long long replications)
{
    double sd = summary_of(arm, "npv_total", "sd");
    double se = get(json_object_get(arm, "replication_se_mean"), "npv_total");
    char sd_text[64], se_text[64];
    money_text(sd, sd_text, sizeof sd_text);
    money_text(se, se_text, sizeof se_text);
    if (!isfinite(sd)) return;
    if (!isfinite(se) || se <= 0) {
        hbuf_printf(out,
                    " With %s, the runs' own noise is not measured here: the spread across "
                    "points (sd %s) holds both the parameters' effects and the runs' noise.",
                    replications == 1 ? "one replication a point"
                                      : "no spread between "
                                        "replications",
                    sd_text);
        return;
    }
    double ratio = sd / se;
    hbuf_printf(out, " The spread across points (sd %s) is ", sd_text);
    times_words(out, ratio);
    hbuf_printf(out,
                " the runs' own noise (the standard error of a point's mean over its %lld "
                "replications, %s on average)",
                replications, se_text);
    if (ratio >= 3)
        hbuf_puts(out, ": the uncertain parameters, not the runs, drive the answer.");
    else if (ratio >= 1.5)
        hbuf_puts(out, ": the parameters drive most of it, but the runs' noise is not "
                       "negligible; more replications would sharpen each point.");
    else
        hbuf_puts(out, ": differences between points are largely the runs' noise; run more "
                       "replications before reading the parameters' effects.");
}

static void headline(hbuf *out, const json_t *doc, const json_t *arm)
{
    const char *name = json_string_value(json_object_get(arm, "arm"));
    hbuf_puts(out, "<p class=\"lead\"><b>Counting fiscal and social benefits, ");
    hbuf_escape(out, name ? name : "?");
    hbuf_puts(out, " pays (NPV &gt; 0) ");
    npv_sentence(out, arm, "npv_total");
    hbuf_puts(out, ". <b>Counting only fiscal benefits</b> (cash back to the public purse), it "
                   "pays <b>");
    npv_sentence(out, arm, "npv_fiscal");
    hbuf_puts(out, ".");
    json_int_t reps =
        json_integer_value(json_object_get(json_object_get(doc, "sweep"), "replications"));
    noise_sentence(out, arm, (long long)reps);
    hbuf_puts(out, "</p>");
}

/* ---- charts ---- */

static void bin_tip(hbuf *out, const void *ctx, size_t count, double lo, double hi)
{
    (void)ctx;
    char a[64], b[64];
    money_text(lo, a, sizeof a);
    money_text(hi, b, sizeof b);
    hbuf_printf(out, "%zu point%s with a mean NPV from %s to %s", count, count == 1 ? "" : "s", a,
                b);
}

static void histogram(hbuf *out, const json_t *doc, const json_t *arm, const char *measure,
                      double *values)
{
    const json_t *points = json_object_get(arm, "points");
    size_t n = json_array_size(points);
    for (size_t i = 0; i < n; i++) values[i] = get(json_array_get(points, i), measure);
    int total = strcmp(measure, "npv_total") == 0;
    char title[512];
    snprintf(title, sizeof title, "NPV %s at each point: %s minus %s",
             total ? "fiscal + social" : "fiscal only",
             json_string_value(json_object_get(arm, "arm")),
             json_string_value(json_object_get(doc, "base")));
    svg_histogram h = { .css_class = "chart chart-histogram",
                        .title = title,
                        .count_label = "points",
                        .x_label = total ? "net present value, fiscal + social (£)"
                                         : "net present value, fiscal only (£)",
                        .color = total ? total_color : fiscal_color,
                        .money = 1,
                        .values = values,
                        .n = n,
                        .mean = summary_of(arm, measure, "mean"),
                        .range_lo = summary_of(arm, measure, "p05"),
                        .range_hi = summary_of(arm, measure, "p95"),
                        .zero_line = 1,
                        .tip = bin_tip };
    hbuf_puts(out, "<figure><figcaption><b>");
    hbuf_escape(out, title);
    hbuf_puts(out, "</b></figcaption>");
    svg_histogram_write(out, &h);
    hbuf_puts(out, "</figure>");
}

static void histograms(hbuf *out, const json_t *doc, const json_t *arm)
{
    size_t n = json_array_size(json_object_get(arm, "points"));
    double *values = malloc((n ? n : 1) * sizeof *values);
    if (!values) {
        out->failed = 1;
        return;
    }
    hbuf_puts(out, "<div class=\"pair\">");
    histogram(out, doc, arm, "npv_total", values);
    histogram(out, doc, arm, "npv_fiscal", values);
    hbuf_puts(out,
              "</div><p class=\"how\">Each bar counts the points whose NPV (the mean over "
              "their replications) falls in its range. The solid line is the mean across "
              "points, the shaded band the 90% range (5th to 95th percentile), the dashed line "
              "zero: to its right the arm pays back more than it costs.</p>");
    free(values);
}

/* ---- tables ---- */

static void summary_table(hbuf *out, const json_t *arm)
{
    hbuf_puts(out,
              "<table class=\"psa\"><caption>Across the points (each point the mean over "
              "its replications), arm minus base, present values</caption><thead><tr>"
              "<th>measure</th><th class=\"num\">mean</th><th class=\"num\">90% range (5th to "
              "95th percentile)</th><th class=\"num\">sd</th><th class=\"num\">share of points "
              "&gt; 0</th><th class=\"num\">points</th></tr></thead><tbody>");
    const json_t *summary = json_object_get(arm, "summary");
    for (size_t m = 0; m < sizeof measures / sizeof measures[0]; m++) {
        const json_t *s = json_object_get(summary, measures[m].key);
        char mean[64], lo[64], hi[64], sd[64], share[32];
        int money = measures[m].money;
        rfmt_number(get(s, "mean"), money, mean, sizeof mean);
        rfmt_number(get(s, "p05"), money, lo, sizeof lo);
        rfmt_number(get(s, "p95"), money, hi, sizeof hi);
        rfmt_number(get(s, "sd"), money, sd, sizeof sd);
        rfmt_percent(get(s, "share_positive"), share, sizeof share);
        hbuf_printf(out,
                    "<tr data-measure=\"%s\"><th scope=\"row\">%s</th><td class=\"num\">%s"
                    "</td><td class=\"num\">%s to %s</td><td class=\"num\">%s</td><td "
                    "class=\"num\">%s</td><td class=\"num\">%lld</td></tr>",
                    measures[m].key, measures[m].words, mean, lo, hi, sd, share,
                    (long long)json_integer_value(json_object_get(s, "n")));
    }
    hbuf_puts(out, "</tbody></table>");
}

static void noise_table(hbuf *out, const json_t *arm)
{
    hbuf_puts(out, "<table class=\"psa-noise\"><caption>The parameters' spread beside the runs' "
                   "own noise</caption><thead><tr><th>measure</th><th class=\"num\">spread across "
                   "points (sd)</th><th class=\"num\">the runs' noise (a point's standard error, "
                   "mean over points)</th><th class=\"num\">ratio</th></tr></thead><tbody>");
    const char *keys[] = { "npv_fiscal", "npv_total" },
               *words[] = { "NPV fiscal", "NPV fiscal + social" };
    for (int k = 0; k < 2; k++) {
        double sd = summary_of(arm, keys[k], "sd");
        double se = get(json_object_get(arm, "replication_se_mean"), keys[k]);
        char a[64], b[64], r[64];
        money_text(sd, a, sizeof a);
        money_text(se, b, sizeof b);
        rfmt_number(se > 0 ? sd / se : NAN, 0, r, sizeof r);
        hbuf_printf(out,
                    "<tr data-measure=\"%s\"><th scope=\"row\">%s</th><td class=\"num\">%s"
                    "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>",
                    keys[k], words[k], a, b, r);
    }
    hbuf_puts(out, "</tbody></table>");
}

void rsw_psa_point_values(hbuf *out, const json_t *doc, const json_t *point)
{
    const json_t *keys = json_object_get(doc, "parameters"),
                 *values = json_object_get(point, "values");
    for (size_t k = 0; k < json_array_size(keys); k++) {
        char v[64];
        rsw_format_value(number(json_array_get(values, k)), v, sizeof v);
        hbuf_puts(out, k ? ", " : "");
        hbuf_escape(out, json_string_value(json_array_get(keys, k)));
        hbuf_printf(out, " = %s", v);
    }
}

static void skipped_list(hbuf *out, const json_t *doc, const json_t *arm)
{
    const json_t *skipped = json_object_get(arm, "skipped");
    size_t n = json_array_size(skipped);
    if (n == 0) return;
    hbuf_printf(out,
                "<p class=\"note\"><b>%zu point%s skipped</b>: a point counts only when "
                "every replication of the arm and of the base is ok there.</p>"
                "<ul class=\"skipped\">",
                n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n && i < PSA_MAX_SKIPPED_SHOWN; i++) {
        const json_t *s = json_array_get(skipped, i);
        hbuf_printf(out, "<li>point %lld (",
                    (long long)json_integer_value(json_object_get(s, "point_id")));
        rsw_psa_point_values(out, doc, s);
        hbuf_puts(out, "): ");
        rfmt_string(out, s, "reason");
        hbuf_puts(out, "</li>");
    }
    if (n > PSA_MAX_SKIPPED_SHOWN)
        hbuf_printf(out,
                    "<li>&#8230; and %zu more (<code>placesim compare RESULTS.db --csv -"
                    "</code> lists every one)</li>",
                    n - PSA_MAX_SKIPPED_SHOWN);
    hbuf_puts(out, "</ul>");
}

static void psa_arm(hbuf *out, const rsw_data *d, const json_t *doc, const json_t *arm,
                    size_t *charts_left)
{
    hbuf_puts(out, "<h3>");
    rfmt_string(out, arm, "arm");
    hbuf_puts(out, " against ");
    rfmt_string(out, doc, "base");
    hbuf_printf(out, " <span class=\"meta\">(%lld points used, %lld skipped)</span></h3>",
                (long long)json_integer_value(json_object_get(arm, "points_used")),
                (long long)json_integer_value(json_object_get(arm, "points_skipped")));
    if (json_integer_value(json_object_get(arm, "points_used")) == 0) {
        hbuf_puts(out, "<p class=\"empty\">No point has every replication of this arm and of "
                       "the base ok, so it has no cost-benefit yet.</p>");
    } else {
        headline(out, doc, arm);
        histograms(out, doc, arm);
        summary_table(out, arm);
        noise_table(out, arm);
        rsw_psa_scatter(out, d, doc, arm, charts_left);
    }
    skipped_list(out, doc, arm);
}

static void intro(hbuf *out, const json_t *doc)
{
    const json_t *window = json_object_get(doc, "window");
    char rate[32];
    rfmt_percent(get(doc, "discount_rate"), rate, sizeof rate);
    hbuf_puts(out, "<p>Each arm against the base (");
    rfmt_string(out, doc, "base");
    hbuf_printf(out,
                ") at every point of the sweep, as <code>placesim compare RESULTS.db</code> "
                "computes it: the whole place's money, arm minus base over paired replications "
                "(same seeds), present values at %s a year ",
                rate);
    const char *from = json_string_value(json_object_get(window, "from")),
               *to = json_string_value(json_object_get(window, "to"));
    hbuf_puts(out, from && to && strcmp(from, to) == 0 ? "in " : "over ");
    rfmt_string(out, window, "from");
    if (!(from && to && strcmp(from, to) == 0)) {
        hbuf_puts(out, " to ");
        rfmt_string(out, window, "to");
    }
    json_int_t years = json_integer_value(json_object_get(window, "years"));
    hbuf_printf(out,
                " (%lld whole financial year%s; %s). A point's figures are the means over "
                "its replications; their spread across the points is what the swept "
                "parameters' uncertainty does to the answer.</p>",
                (long long)years, years == 1 ? "" : "s",
                json_is_true(json_object_get(window, "default"))
                    ? "every financial year wholly written in every compared run"
                    : "chosen with --from and --to");
}

void rsw_section_psa(hbuf *out, const rsw_data *d, const json_t *doc, const char *why)
{
    if (!rsw_has_cost_benefit(d)) return;
    hbuf_puts(out, "<section id=\"cost-benefit\"><h2>Cost-benefit across the points</h2>");
    if (!doc) {
        hbuf_puts(out, "<p class=\"empty\">No cost-benefit yet: ");
        hbuf_escape(out, why);
        hbuf_puts(out, "</p></section>");
        return;
    }
    intro(out, doc);
    const json_t *arms = json_object_get(doc, "arms");
    size_t charts_left = RSW_MAX_CHARTS;
    for (size_t i = 0; i < json_array_size(arms); i++)
        psa_arm(out, d, doc, json_array_get(arms, i), &charts_left);
    hbuf_puts(out, "</section>");
}
