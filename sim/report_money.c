/* report_money.c — the report's money sections, from the comparison
 * document (CONTRACTS.md § 6): who pays and who benefits by bearer, and the
 * cost-benefit table. Every value is read through its key; null = n/a. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "svg.h"

static const char *const bar_colors[3] = { "#d55e00", "#0072b2", "#333333" };
static const char *const bar_keys[3] = { "spend", "demand", "net" };

static svg_bar_value bar_value(const json_t *interval)
{
    svg_bar_value v = { 0 };
    v.have = rfmt_get_number(interval, "mean", &v.mean);
    v.have_interval = v.have && rfmt_get_number(interval, "lower", &v.lower) &&
                      rfmt_get_number(interval, "upper", &v.upper);
    return v;
}

static void bearer_chart(hbuf *out, const json_t *arm)
{
    const json_t *bearers = json_object_get(arm, "bearers");
    size_t n = json_array_size(bearers);
    if (n == 0) {
        hbuf_puts(out, "<p class=\"empty\">The comparison lists no bearers.</p>");
        return;
    }
    svg_bar_item *items = calloc(n, sizeof *items);
    if (!items) {
        out->failed = 1;
        return;
    }
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *b = json_array_get(bearers, i);
        const char *label = json_string_value(json_object_get(b, "bearer"));
        items[i].label = label ? label : "n/a";
        for (int k = 0; k < 3; k++) {
            items[i].values[k] = bar_value(json_object_get(b, bar_keys[k]));
            any |= items[i].values[k].have;
        }
    }
    if (any) {
        char title[300];
        const char *name = json_string_value(json_object_get(arm, "name"));
        snprintf(title, sizeof title, "%.200s: change in spend, in demand costs and net, by bearer",
                 name ? name : "arm");
        svg_bar_chart c = { .css_class = "chart chart-bearers",
                            .title = title,
                            .colors = { bar_colors[0], bar_colors[1], bar_colors[2] },
                            .n_measures = 3,
                            .money = 1,
                            .items = items,
                            .n_items = n };
        svg_bar_chart_write(out, &c);
    } else {
        hbuf_puts(out, "<p class=\"empty\">No money values by bearer (all n/a).</p>");
    }
    free(items);
}

static void bearer_table(hbuf *out, const json_t *arm)
{
    hbuf_puts(out, "<table class=\"bearers\"><thead><tr><th>bearer</th>"
                   "<th class=\"num\">&#916; spend</th><th class=\"num\">&#916; demand costs</th>"
                   "<th class=\"num\">net</th><th class=\"num\">&#916; spend with pool share</th>"
                   "</tr></thead><tbody>");
    size_t i;
    const json_t *b;
    json_array_foreach(json_object_get(arm, "bearers"), i, b)
    {
        hbuf_puts(out, "<tr><td>");
        rfmt_string(out, b, "bearer");
        static const char *const keys[4] = { "spend", "demand", "net", "spend_with_pool_share" };
        for (int k = 0; k < 4; k++) {
            hbuf_puts(out, "</td><td class=\"num\">");
            rfmt_interval(out, json_object_get(b, keys[k]), 1);
        }
        hbuf_puts(out, "</td></tr>");
    }
    hbuf_puts(out, "</tbody></table>");
}

void report_section_who_pays(hbuf *out, const report_ctx *ctx)
{
    const json_t *doc = ctx->comparison;
    hbuf_puts(out, "<section id=\"who-pays\"><h2>Who pays, who benefits</h2><p>By bearer over "
                   "the comparison window, arm minus base per replication: the mean and its 95% "
                   "interval. <b>Spend</b> is the change in intervention spend, <b>demand</b> the "
                   "change in demand costs (negative = a saving), <b>net</b> their sum. Money by "
                   "bearer covers the ");
    const char *scope = json_string_value(json_object_get(doc, "money_scope"));
    hbuf_escape(out, scope ? scope : "whole place");
    hbuf_puts(out, " whatever areas the comparison names.</p><ul class=\"legend\">");
    static const char *const names[3] = { "&#916; spend", "&#916; demand costs", "net" };
    for (int k = 0; k < 3; k++)
        hbuf_printf(out, "<li><span class=\"swatch\" style=\"background:%s\"></span>%s</li>",
                    bar_colors[k], names[k]);
    hbuf_puts(out, "<li><span class=\"whisker-key\"></span>95% interval</li></ul>");
    size_t i;
    const json_t *arm;
    json_array_foreach(json_object_get(doc, "arms"), i, arm)
    {
        hbuf_puts(out, "<figure class=\"bearers\"><figcaption><b>");
        rfmt_string(out, arm, "name");
        hbuf_puts(out, "</b> minus <b>");
        rfmt_string(out, json_object_get(doc, "base"), "name");
        hbuf_puts(out, "</b></figcaption><div class=\"single\">");
        bearer_chart(out, arm);
        hbuf_puts(out, "</div>");
        bearer_table(out, arm);
        hbuf_puts(out, "</figure>");
    }
    hbuf_puts(out, "</section>");
}

/* ---- cost-benefit ---- */

typedef enum cb_format { CB_MONEY, CB_RATIO, CB_SHARE, CB_TEXT } cb_format;

static const struct cb_row {
    const char *label, *key;
    cb_format format;
    int interval;
} cb_rows[] = {
    { "Costs (present value)", "costs_pv", CB_MONEY, 1 },
    { "Fiscal benefits (present value)", "fiscal_benefits_pv", CB_MONEY, 1 },
    { "Social benefits (present value, not cashable)", "social_benefits_pv", CB_MONEY, 1 },
    { "Net present value, fiscal", "npv_fiscal", CB_MONEY, 1 },
    { "Net present value, fiscal + social", "npv_total", CB_MONEY, 1 },
    { "Benefit-cost ratio, fiscal", "bcr_fiscal", CB_RATIO, 1 },
    { "Benefit-cost ratio, fiscal + social", "bcr_total", CB_RATIO, 1 },
    { "Payback year (median)", "payback_year_median", CB_TEXT, 0 },
    { "Replications paying back within the window", "payback_share", CB_SHARE, 0 },
    { "Replications with positive NPV, fiscal", "npv_positive_share_fiscal", CB_SHARE, 0 },
    { "Replications with positive NPV, fiscal + social", "npv_positive_share_total", CB_SHARE, 0 },
};

static void cb_cell(hbuf *out, const json_t *cb, const struct cb_row *row)
{
    if (row->interval)
        rfmt_interval(out, json_object_get(cb, row->key), row->format == CB_MONEY);
    else if (row->format == CB_TEXT)
        rfmt_string(out, cb, row->key);
    else
        rfmt_value(out, cb, row->key, 0, row->format == CB_SHARE);
}

/* The cost per outcome of `label` in an arm's list, as "£x per unit" with
 * the change it divides by. */
static void outcome_cell(hbuf *out, const json_t *cb, const char *label)
{
    size_t i;
    const json_t *o;
    json_array_foreach(json_object_get(cb, "cost_per_outcome"), i, o)
    {
        const char *name = json_string_value(json_object_get(o, "outcome"));
        if (!name || strcmp(name, label) != 0) continue;
        double v;
        if (rfmt_get_number(o, "cost_per_unit", &v)) {
            rfmt_value(out, o, "cost_per_unit", 1, 0);
            hbuf_puts(out, " per ");
            rfmt_string(out, o, "unit");
        } else {
            hbuf_puts(out, "n/a");
        }
        hbuf_puts(out, "<br><span class=\"ci\">change ");
        rfmt_interval(out, json_object_get(o, "change"), 0);
        hbuf_puts(out, "</span>");
        return;
    }
    hbuf_puts(out, "n/a");
}

static void by_year_tables(hbuf *out, const json_t *arms)
{
    size_t i;
    const json_t *arm;
    json_array_foreach(arms, i, arm)
    {
        const json_t *years = json_object_get(json_object_get(arm, "cost_benefit"), "by_year");
        if (json_array_size(years) == 0) continue;
        hbuf_puts(out, "<table class=\"by-year\"><caption>");
        rfmt_string(out, arm, "name");
        hbuf_puts(out, " by financial year (undiscounted)</caption><thead><tr><th>year</th>"
                       "<th class=\"num\">costs</th><th class=\"num\">fiscal benefits</th>"
                       "<th class=\"num\">social benefits</th></tr></thead><tbody>");
        size_t j;
        const json_t *y;
        json_array_foreach(years, j, y)
        {
            hbuf_puts(out, "<tr><td>");
            rfmt_string(out, y, "year");
            static const char *const keys[3] = { "costs", "fiscal_benefits", "social_benefits" };
            for (int k = 0; k < 3; k++) {
                hbuf_puts(out, "</td><td class=\"num\">");
                rfmt_interval(out, json_object_get(y, keys[k]), 1);
            }
            hbuf_puts(out, "</td></tr>");
        }
        hbuf_puts(out, "</tbody></table>");
    }
}

void report_section_cost_benefit(hbuf *out, const report_ctx *ctx)
{
    const json_t *doc = ctx->comparison;
    const json_t *arms = json_object_get(doc, "arms");
    hbuf_puts(out, "<section id=\"cost-benefit\"><h2>Was it worth it? Cost-benefit</h2>"
                   "<p>Arm minus base per replication over the comparison window, discounted at ");
    rfmt_value(out, doc, "discount_rate", 0, 1);
    hbuf_puts(out, " a year (the first year undiscounted); mean and 95% interval. Costs are the "
                   "change in intervention spend; fiscal benefits the fall in the public bearers' "
                   "demand costs; social benefits the fall in victims' costs.</p>"
                   "<table class=\"cost-benefit\"><thead><tr><th></th>");
    size_t i;
    const json_t *arm;
    json_array_foreach(arms, i, arm)
    {
        hbuf_puts(out, "<th class=\"num\">");
        rfmt_string(out, arm, "name");
        hbuf_puts(out, "</th>");
    }
    hbuf_puts(out, "</tr></thead><tbody>");
    for (size_t r = 0; r < sizeof cb_rows / sizeof cb_rows[0]; r++) {
        hbuf_printf(out, "<tr><th scope=\"row\">%s</th>", cb_rows[r].label);
        json_array_foreach(arms, i, arm)
        {
            hbuf_puts(out, "<td class=\"num\">");
            cb_cell(out, json_object_get(arm, "cost_benefit"), &cb_rows[r]);
            hbuf_puts(out, "</td>");
        }
        hbuf_puts(out, "</tr>");
    }
    /* Cost per outcome: the outcomes of the first arm (every arm has the
     * same models' outcomes). */
    const json_t *first = json_object_get(json_array_get(arms, 0), "cost_benefit");
    const json_t *o;
    json_array_foreach(json_object_get(first, "cost_per_outcome"), i, o)
    {
        const char *label = json_string_value(json_object_get(o, "outcome"));
        if (!label) continue;
        hbuf_puts(out, "<tr><th scope=\"row\">Cost per outcome: ");
        hbuf_escape(out, label);
        hbuf_puts(out, "</th>");
        size_t j;
        json_array_foreach(arms, j, arm)
        {
            hbuf_puts(out, "<td class=\"num\">");
            outcome_cell(out, json_object_get(arm, "cost_benefit"), label);
            hbuf_puts(out, "</td>");
        }
        hbuf_puts(out, "</tr>");
    }
    hbuf_puts(out, "</tbody></table>");
    by_year_tables(out, arms);
    hbuf_puts(out, "</section>");
}
