/* compare_table.c — a compare_json document as the terminal table and as
 * CSV. Both read the document only, so they cannot disagree with --json. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_internal.h"
#include "output.h"

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* "-1,234,567" from a whole number of at most 400 characters. */
static void group_digits(const char *digits, char *out, size_t outlen)
{
    size_t w = 0, start = digits[0] == '-' ? 1 : 0, len = strlen(digits) - start;
    if (start && w + 1 < outlen) out[w++] = '-';
    for (size_t i = 0; i < len && w + 2 < outlen; i++) {
        if (i && (len - i) % 3 == 0) out[w++] = ',';
        out[w++] = digits[start + i];
    }
    out[w] = '\0';
}

/* A number for reading: n/a for NaN, thousands grouped from 1,000, and
 * three significant digits or more below (a table shows, --csv and --json
 * keep every digit). */
void cmp_format_number(double x, char *out, size_t outlen)
{
    char buf[420];
    if (!isfinite(x)) {
        snprintf(out, outlen, "n/a");
        return;
    }
    double a = fabs(x);
    if (a >= 1000) {
        snprintf(buf, sizeof buf, "%.0f", x);
        group_digits(buf, out, outlen);
        return;
    }
    if (a >= 100)
        snprintf(buf, sizeof buf, "%.1f", x);
    else if (a >= 1)
        snprintf(buf, sizeof buf, "%.2f", x);
    else
        snprintf(buf, sizeof buf, "%.3g", x);
    /* A difference that rounds to zero is 0, not "-0.00". */
    const char *text = buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1) ? buf + 1 : buf;
    size_t len = strlen(text) < outlen ? strlen(text) : outlen - 1;
    memcpy(out, text, len);
    out[len] = '\0';
}

/* Pounds, whole and grouped (a table of money reads in pounds). */
void cmp_format_money(double x, char *out, size_t outlen)
{
    char buf[420];
    if (!isfinite(x)) {
        snprintf(out, outlen, "n/a");
        return;
    }
    snprintf(buf, sizeof buf, "%.0f", x);
    group_digits(strcmp(buf, "-0") == 0 ? "0" : buf, out, outlen);
}

/* "mean [lower, upper]" of an interval object (of money: in pounds), or n/a. */
static void fmt_interval(const json_t *iv, int money, char *out, size_t outlen)
{
    char m[64], l[64], u[64];
    void (*f)(double, char *, size_t) = money ? cmp_format_money : cmp_format_number;
    if (!json_is_object(iv)) {
        snprintf(out, outlen, "n/a");
        return;
    }
    f(num(iv, "mean"), m, sizeof m);
    f(num(iv, "lower"), l, sizeof l);
    f(num(iv, "upper"), u, sizeof u);
    snprintf(out, outlen, "%s [%s, %s]", m, l, u);
}

static void fmt_share(double x, char *out, size_t outlen)
{
    if (isfinite(x))
        snprintf(out, outlen, "%.0f%%", 100 * x);
    else
        snprintf(out, outlen, "n/a");
}

static void table_metrics(FILE *out, const json_t *arm, int paired)
{
    fprintf(out, "%-28s %12s %12s %12s  %-28s %8s  %-22s unit\n", "metric", "base mean", "arm mean",
            "difference", paired ? "95% interval" : "95% interval (Welch)", "change",
            paired ? "paired/unpaired width" : "");
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(arm, "metrics"), i, row)
    {
        char b[64], a[64], d[64], l[64], u[64], iv[140], rel[64], w[64];
        cmp_format_number(num(row, "base_mean"), b, sizeof b);
        cmp_format_number(num(row, "arm_mean"), a, sizeof a);
        cmp_format_number(num(row, "difference"), d, sizeof d);
        cmp_format_number(num(row, "lower"), l, sizeof l);
        cmp_format_number(num(row, "upper"), u, sizeof u);
        snprintf(iv, sizeof iv, "[%s, %s]", l, u);
        double r = num(row, "relative_change");
        if (isfinite(r))
            snprintf(rel, sizeof rel, "%+.1f%%", 100 * r);
        else
            snprintf(rel, sizeof rel, "n/a");
        double ratio = num(row, "width_ratio");
        if (!isfinite(ratio))
            snprintf(w, sizeof w, paired ? "n/a" : "");
        else if (ratio < 0.995)
            snprintf(w, sizeof w, "%.2f (%.0f%% narrower)", ratio, 100 * (1 - ratio));
        else if (ratio > 1.005)
            snprintf(w, sizeof w, "%.2f (%.0f%% wider)", ratio, 100 * (ratio - 1));
        else
            snprintf(w, sizeof w, "%.2f", ratio);
        fprintf(out, "%-28s %12s %12s %12s  %-28s %8s  %-22s %s\n", str(row, "metric"), b, a, d, iv,
                rel, w, str(row, "unit"));
        if (json_is_string(json_object_get(row, "note")))
            fprintf(out, "%-28s   note: %s\n", "", str(row, "note"));
    }
}

static void table_bearers(FILE *out, const json_t *doc, const json_t *arm)
{
    const json_t *areas = json_object_get(doc, "areas");
    int whole = json_array_size(areas) == 1 &&
                strcmp(json_string_value(json_array_get(areas, 0)), "ALL") == 0;
    fprintf(out,
            "\nWho pays, who benefits: whole place%s, GBP over the window, undiscounted, "
            "arm - base (demand: negative = saving)\n",
            whole ? "" : " (money by bearer exists only for ALL, not for the areas above)");
    fprintf(out, "%-10s %-38s %-38s %-38s %s\n", "bearer", "spend [95%]", "demand [95%]",
            "net [95%]", "spend with pool share [95%]");
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(arm, "bearers"), i, b)
    {
        char s[140], d[140], n[140], p[140];
        fmt_interval(json_object_get(b, "spend"), 1, s, sizeof s);
        fmt_interval(json_object_get(b, "demand"), 1, d, sizeof d);
        fmt_interval(json_object_get(b, "net"), 1, n, sizeof n);
        fmt_interval(json_object_get(b, "spend_with_pool_share"), 1, p, sizeof p);
        fprintf(out, "%-10s %-38s %-38s %-38s %s\n", str(b, "bearer"), s, d, n, p);
    }
}

static void table_costs(FILE *out, const json_t *doc, const json_t *arm)
{
    const json_t *cb = json_object_get(arm, "cost_benefit");
    const json_t *window = json_object_get(doc, "window");
    char text[200], share[2][32];
    fprintf(out,
            "\nCost-benefit: whole place, GBP present value at %.4g%% a year (%s undiscounted), "
            "arm - base\n",
            100 * num(doc, "discount_rate"), str(window, "from"));
    static const struct {
        const char *key, *label;
    } rows[] = {
        { "costs_pv", "costs" },
        { "fiscal_benefits_pv", "fiscal benefits" },
        { "social_benefits_pv", "social benefits" },
        { "npv_fiscal", "NPV fiscal" },
        { "npv_total", "NPV fiscal + social" },
        { "bcr_fiscal", "BCR fiscal" },
        { "bcr_total", "BCR fiscal + social" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fmt_interval(json_object_get(cb, rows[i].key), i < 5, text, sizeof text);
        fprintf(out, "  %-26s %s\n", rows[i].label, text);
    }
    if (!json_object_get(cb, "bcr_fiscal") || json_is_null(json_object_get(cb, "bcr_fiscal")))
        fprintf(out,
                "  %-26s BCR n/a: the PV of costs is <= 0 in some replication (or runs unpaired)\n",
                "");
    const char *year = json_string_value(json_object_get(cb, "payback_year_median"));
    fmt_share(num(cb, "payback_share"), share[0], sizeof share[0]);
    fprintf(out, "  %-26s median %s; %s of replications pay back within the window\n",
            "payback (fiscal net)", year ? year : "not within the window", share[0]);
    fmt_share(num(cb, "npv_positive_share_fiscal"), share[0], sizeof share[0]);
    fmt_share(num(cb, "npv_positive_share_total"), share[1], sizeof share[1]);
    fprintf(out, "  %-26s fiscal %s of replications; fiscal + social %s\n", "NPV > 0", share[0],
            share[1]);
    size_t i;
    json_t *o;
    fprintf(out, "  cost per outcome (PV of costs / the outcome's fall over the window)\n");
    json_array_foreach(json_object_get(cb, "cost_per_outcome"), i, o)
    {
        char cost[64];
        fmt_interval(json_object_get(o, "change"), 0, text, sizeof text);
        cmp_format_number(num(o, "cost_per_unit"), cost, sizeof cost);
        if (isfinite(num(o, "cost_per_unit")))
            fprintf(out, "    %-24s change %s %s: GBP %s per one avoided\n", str(o, "outcome"),
                    text, str(o, "unit"), cost);
        else
            fprintf(out, "    %-24s change %s %s: n/a (the change's interval spans 0)\n",
                    str(o, "outcome"), text, str(o, "unit"));
    }
    fprintf(out, "  by year (undiscounted)     %-38s %-38s %s\n", "costs", "fiscal benefits",
            "social benefits");
    json_array_foreach(json_object_get(cb, "by_year"), i, o)
    {
        char c[140], f[140], s[140];
        fmt_interval(json_object_get(o, "costs"), 1, c, sizeof c);
        fmt_interval(json_object_get(o, "fiscal_benefits"), 1, f, sizeof f);
        fmt_interval(json_object_get(o, "social_benefits"), 1, s, sizeof s);
        fprintf(out, "  %-26s %-38s %-38s %s\n", str(o, "year"), c, f, s);
    }
}

int compare_write_table(FILE *out, const json_t *doc)
{
    const json_t *window = json_object_get(doc, "window"), *base = json_object_get(doc, "base");
    int paired = json_is_true(json_object_get(doc, "paired"));
    size_t i;
    json_t *arm, *area;
    json_array_foreach(json_object_get(doc, "arms"), i, arm)
    {
        fprintf(out, "%s%s against %s: %lld %s replications, master seed %s\n", i ? "\n\n" : "",
                str(arm, "name"), str(base, "name"), (long long)num(arm, "replications"),
                paired ? "paired" : "unpaired", str(arm, "master_seed"));
        fprintf(out,
                "window: %s to %s (%lld whole financial years%s)\nareas: ", str(window, "from"),
                str(window, "to"), (long long)num(window, "years"),
                json_is_true(json_object_get(window, "default"))
                    ? "; the default: every whole financial year written in every run"
                    : "; as asked");
        size_t a;
        json_array_foreach(json_object_get(doc, "areas"), a, area)
            fprintf(out, "%s%s", a ? " + " : "", json_string_value(area));
        fprintf(out, "\n%s\n\n", str(doc, "note"));
        table_metrics(out, arm, paired);
        table_bearers(out, doc, arm);
        table_costs(out, doc, arm);
    }
    return ferror(out) ? -1 : 0;
}

/* ---- CSV ---- */

typedef struct csv_row {
    const char *section, *name, *measure, *unit;
    double base_mean, arm_mean, difference, lower, upper, relative_change, unpaired_lower,
        unpaired_upper, width_ratio, replications;
    const char *note;
} csv_row;

static void put_number(FILE *out, double x)
{
    if (isfinite(x))
        fprintf(out, ",%.17g", x);
    else
        fputc(',', out);
}

static void put_row(FILE *out, const json_t *doc, const json_t *arm, const csv_row *r)
{
    const json_t *window = json_object_get(doc, "window");
    char span[32];
    snprintf(span, sizeof span, "%s-%s", str(window, "from"), str(window, "to"));
    csv_write_field(out, str(json_object_get(doc, "base"), "name"));
    fputc(',', out);
    csv_write_field(out, str(arm, "name"));
    fprintf(out, ",%s,", span);
    size_t i;
    json_t *area;
    char areas[2048] = "";
    json_array_foreach(json_object_get(doc, "areas"), i, area)
    {
        size_t len = strlen(areas);
        snprintf(areas + len, sizeof areas - len, "%s%s", i ? "+" : "", json_string_value(area));
    }
    csv_write_field(out, areas);
    const char *text[] = { r->section, r->name, r->measure, r->unit };
    for (size_t k = 0; k < 4; k++) {
        fputc(',', out);
        csv_write_field(out, text[k] ? text[k] : "");
    }
    const double nums[] = { r->base_mean,      r->arm_mean,       r->difference,
                            r->lower,          r->upper,          r->relative_change,
                            r->unpaired_lower, r->unpaired_upper, r->width_ratio,
                            r->replications };
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) put_number(out, nums[k]);
    fputc(',', out);
    csv_write_field(out, r->note ? r->note : "");
    fputc('\n', out);
}

/* A row for an interval object: difference, lower, upper. */
static csv_row interval_row(const char *section, const char *name, const char *measure,
                            const char *unit, const json_t *iv)
{
    return (csv_row){
        section, name, measure, unit, NAN, NAN, num(iv, "mean"), num(iv, "lower"), num(iv, "upper"),
        NAN,     NAN,  NAN,     NAN,  NAN, NULL
    };
}

static csv_row value_row(const char *section, const char *name, const char *unit, double value,
                         const char *note)
{
    return (csv_row){ section, name, "",  unit, NAN, NAN, value, NAN,
                      NAN,     NAN,  NAN, NAN,  NAN, NAN, note };
}

static void csv_arm(FILE *out, const json_t *doc, const json_t *arm)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(arm, "metrics"), i, o)
    {
        csv_row r = { "metric",
                      str(o, "metric"),
                      str(o, "kind"),
                      str(o, "unit"),
                      num(o, "base_mean"),
                      num(o, "arm_mean"),
                      num(o, "difference"),
                      num(o, "lower"),
                      num(o, "upper"),
                      num(o, "relative_change"),
                      num(o, "unpaired_lower"),
                      num(o, "unpaired_upper"),
                      num(o, "width_ratio"),
                      num(o, "replications"),
                      json_string_value(json_object_get(o, "note")) };
        put_row(out, doc, arm, &r);
    }
    static const char *const bearer_measures[] = { "spend", "demand", "net",
                                                   "spend_with_pool_share" };
    json_array_foreach(json_object_get(arm, "bearers"), i, o) for (size_t k = 0; k < 4; k++)
    {
        csv_row r = interval_row("bearer", str(o, "bearer"), bearer_measures[k], "GBP",
                                 json_object_get(o, bearer_measures[k]));
        put_row(out, doc, arm, &r);
    }
    const json_t *cb = json_object_get(arm, "cost_benefit");
    static const char *const cb_keys[] = { "costs_pv",   "fiscal_benefits_pv", "social_benefits_pv",
                                           "npv_fiscal", "npv_total",          "bcr_fiscal",
                                           "bcr_total" };
    for (size_t k = 0; k < 7; k++) {
        csv_row r = interval_row("cost_benefit", cb_keys[k], "", k < 5 ? "GBP" : "ratio",
                                 json_object_get(cb, cb_keys[k]));
        put_row(out, doc, arm, &r);
    }
    csv_row r = value_row("cost_benefit", "payback_year_median", "financial year", NAN,
                          json_string_value(json_object_get(cb, "payback_year_median")));
    put_row(out, doc, arm, &r);
    static const char *const shares[] = { "payback_share", "npv_positive_share_fiscal",
                                          "npv_positive_share_total" };
    for (size_t k = 0; k < 3; k++) {
        r = value_row("cost_benefit", shares[k], "share", num(cb, shares[k]), NULL);
        put_row(out, doc, arm, &r);
    }
    json_array_foreach(json_object_get(cb, "cost_per_outcome"), i, o)
    {
        r = interval_row("cost_per_outcome", str(o, "outcome"), "change", str(o, "unit"),
                         json_object_get(o, "change"));
        put_row(out, doc, arm, &r);
        r = value_row("cost_per_outcome", str(o, "outcome"), "GBP per unit avoided",
                      num(o, "cost_per_unit"), NULL);
        r.measure = "cost_per_unit";
        put_row(out, doc, arm, &r);
    }
    static const char *const year_measures[] = { "costs", "fiscal_benefits", "social_benefits" };
    json_array_foreach(json_object_get(cb, "by_year"), i, o) for (size_t k = 0; k < 3; k++)
    {
        r = interval_row("by_year", str(o, "year"), year_measures[k], "GBP",
                         json_object_get(o, year_measures[k]));
        put_row(out, doc, arm, &r);
    }
}

int compare_write_csv(FILE *out, const json_t *doc)
{
    fputs("base,arm,window,areas,section,name,measure,unit,base_mean,arm_mean,difference,lower,"
          "upper,relative_change,unpaired_lower,unpaired_upper,width_ratio,replications,note\n",
          out);
    size_t i;
    json_t *arm;
    json_array_foreach(json_object_get(doc, "arms"), i, arm) csv_arm(out, doc, arm);
    return ferror(out) ? -1 : 0;
}
