/* compare_sweep_table.c — a compare_sweep_json document as the terminal
 * table and as CSV (one row per arm and point). Both read the document
 * only, so they cannot disagree with --json. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_internal.h"
#include "output.h"

/* Per-point tables longer than this are left to --csv and --json (the
 * table says so). */
enum { TABLE_MAX_POINTS = 50, TABLE_MAX_SKIPPED = 10 };

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

static const struct {
    const char *key, *label;
    int money;
} rows[] = {
    { "costs_pv", "costs", 1 },
    { "fiscal_benefits_pv", "fiscal benefits", 1 },
    { "social_benefits_pv", "social benefits", 1 },
    { "npv_fiscal", "NPV fiscal", 1 },
    { "npv_total", "NPV fiscal + social", 1 },
    { "bcr_fiscal", "BCR fiscal", 0 },
    { "bcr_total", "BCR fiscal + social", 0 },
};

static void cell(double x, int money, char *out, size_t outlen)
{
    if (money)
        cmp_format_money(x, out, outlen);
    else
        cmp_format_number(x, out, outlen);
}

static void table_summary(FILE *out, const json_t *arm)
{
    const json_t *summary = json_object_get(arm, "summary");
    fprintf(out, "%-22s %13s %13s %13s %13s %13s %13s %9s %7s\n", "measure", "mean", "sd",
            "5th pct", "95th pct", "min", "max", "> 0", "points");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const json_t *d = json_object_get(summary, rows[i].key);
        static const char *const parts[] = { "mean", "sd", "p05", "p95", "min", "max" };
        char text[6][64], share[32];
        for (size_t k = 0; k < 6; k++)
            cell(num(d, parts[k]), rows[i].money, text[k], sizeof text[k]);
        double sp = num(d, "share_positive");
        if (isfinite(sp))
            snprintf(share, sizeof share, "%.0f%%", 100 * sp);
        else
            snprintf(share, sizeof share, "n/a");
        fprintf(out, "%-22s %13s %13s %13s %13s %13s %13s %9s %7lld\n", rows[i].label, text[0],
                text[1], text[2], text[3], text[4], text[5], share, (long long)num(d, "n"));
    }
    const json_t *se = json_object_get(arm, "replication_se_mean");
    char f[64], t[64];
    cmp_format_money(num(se, "npv_fiscal"), f, sizeof f);
    cmp_format_money(num(se, "npv_total"), t, sizeof t);
    fprintf(out,
            "The runs' randomness at a point (standard error of its mean over replications, "
            "mean over points): NPV fiscal %s; NPV fiscal + social %s\n",
            f, t);
}

static void table_points(FILE *out, const json_t *doc, const json_t *arm)
{
    const json_t *params = json_object_get(doc, "parameters"),
                 *points = json_object_get(arm, "points");
    size_t n = json_array_size(points), i;
    if (n > TABLE_MAX_POINTS) {
        fprintf(out, "\n%zu points: each point's figures are in --csv FILE and --json FILE\n", n);
        return;
    }
    fprintf(out, "\nBy point (each its mean over replications; [95%%] the runs' randomness):\n");
    json_t *p;
    json_array_foreach(params, i, p) fprintf(out, "  p%zu = %s\n", i + 1, json_string_value(p));
    fprintf(out, "%6s", "point");
    for (i = 0; i < json_array_size(params); i++) fprintf(out, " %11s%-2zu", "p", i + 1);
    fprintf(out, " %13s %13s %-34s %9s\n", "costs", "NPV fiscal", "  NPV fiscal + social [95%]",
            "BCR total");
    json_array_foreach(points, i, p)
    {
        fprintf(out, "%6lld", (long long)num(p, "point_id"));
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(p, "values"), k, v)
        {
            char text[64];
            cmp_format_number(json_is_number(v) ? json_number_value(v) : NAN, text, sizeof text);
            fprintf(out, " %13s", text);
        }
        char c[64], f[64], t[64], l[64], u[64], b[64], iv[200];
        cmp_format_money(num(p, "costs_pv"), c, sizeof c);
        cmp_format_money(num(p, "npv_fiscal"), f, sizeof f);
        cmp_format_money(num(p, "npv_total"), t, sizeof t);
        cmp_format_money(num(p, "npv_total_lower"), l, sizeof l);
        cmp_format_money(num(p, "npv_total_upper"), u, sizeof u);
        cmp_format_number(num(p, "bcr_total"), b, sizeof b);
        snprintf(iv, sizeof iv, "%s [%s, %s]", t, l, u);
        fprintf(out, " %13s %13s   %-32s %9s\n", c, f, iv, b);
    }
}

static void table_skipped(FILE *out, const json_t *arm)
{
    const json_t *skipped = json_object_get(arm, "skipped");
    size_t i;
    json_t *s;
    json_array_foreach(skipped, i, s)
    {
        if (i == TABLE_MAX_SKIPPED) {
            fprintf(out, "  and %zu more skipped points (--json lists them)\n",
                    json_array_size(skipped) - i);
            break;
        }
        fprintf(out, "  skipped point %lld: %s\n", (long long)num(s, "point_id"), str(s, "reason"));
    }
}

int compare_sweep_write_table(FILE *out, const json_t *doc)
{
    const json_t *sweep = json_object_get(doc, "sweep"), *window = json_object_get(doc, "window");
    size_t i;
    json_t *arm;
    json_array_foreach(json_object_get(doc, "arms"), i, arm)
    {
        fprintf(out,
                "%s%s against %s across the points of sweep %s (%s design, %lld points, %lld "
                "paired replications a point)\n",
                i ? "\n\n" : "", str(arm, "arm"), str(doc, "base"), str(sweep, "name"),
                str(sweep, "design"), (long long)num(sweep, "n_points"),
                (long long)num(sweep, "replications"));
        fprintf(out, "window: %s to %s (%lld whole financial years%s)\n", str(window, "from"),
                str(window, "to"), (long long)num(window, "years"),
                json_is_true(json_object_get(window, "default"))
                    ? "; the default: every whole financial year written in every compared run"
                    : "; as asked");
        fprintf(out,
                "points: %lld used, %lld skipped (a point is used when every replication "
                "of both arms is ok)\n",
                (long long)num(arm, "points_used"), (long long)num(arm, "points_skipped"));
        table_skipped(out, arm);
        fprintf(out,
                "\nCost-benefit: whole place, GBP present value at %.4g%% a year, arm - base;"
                " across points (the parameters' uncertainty) of each point's mean over its "
                "replications\n",
                100 * num(doc, "discount_rate"));
        table_summary(out, arm);
        table_points(out, doc, arm);
    }
    return ferror(out) ? -1 : 0;
}

/* ---- CSV ---- */

static const char *const csv_numbers[] = {
    "costs_pv",
    "fiscal_benefits_pv",
    "social_benefits_pv",
    "npv_fiscal",
    "npv_fiscal_lower",
    "npv_fiscal_upper",
    "npv_total",
    "npv_total_lower",
    "npv_total_upper",
    "bcr_fiscal",
    "bcr_total",
    "npv_positive_share_fiscal",
    "npv_positive_share_total",
    "npv_fiscal_se",
    "npv_total_se",
};

static void put_number(FILE *out, double x)
{
    if (isfinite(x))
        fprintf(out, ",%.17g", x);
    else
        fputc(',', out);
}

/* One row: a used point (its figures) or a skipped one (its reason). */
static void csv_point(FILE *out, const json_t *doc, const json_t *arm, const json_t *p, int used)
{
    const json_t *window = json_object_get(doc, "window");
    csv_write_field(out, str(doc, "base"));
    fputc(',', out);
    csv_write_field(out, str(arm, "arm"));
    fprintf(out, ",%s-%s,%lld", str(window, "from"), str(window, "to"),
            (long long)num(p, "point_id"));
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(p, "values"), k, v)
        put_number(out, json_is_number(v) ? json_number_value(v) : NAN);
    for (size_t i = 0; i < sizeof csv_numbers / sizeof csv_numbers[0]; i++)
        put_number(out, used ? num(p, csv_numbers[i]) : NAN);
    fputc(',', out);
    csv_write_field(out, used ? "" : str(p, "reason"));
    fputc('\n', out);
}

int compare_sweep_write_csv(FILE *out, const json_t *doc)
{
    fputs("base,arm,window,point_id", out);
    size_t i;
    json_t *v, *arm;
    json_array_foreach(json_object_get(doc, "parameters"), i, v)
    {
        fputc(',', out);
        csv_write_field(out, json_string_value(v));
    }
    for (i = 0; i < sizeof csv_numbers / sizeof csv_numbers[0]; i++)
        fprintf(out, ",%s", csv_numbers[i]);
    fputs(",skipped\n", out);
    json_array_foreach(json_object_get(doc, "arms"), i, arm)
    {
        /* Both lists are in point order: merged, every point once. */
        const json_t *used = json_object_get(arm, "points"),
                     *skipped = json_object_get(arm, "skipped");
        size_t u = 0, s = 0;
        while (u < json_array_size(used) || s < json_array_size(skipped)) {
            const json_t *pu = json_array_get(used, u), *ps = json_array_get(skipped, s);
            int take_used = pu && (!ps || num(pu, "point_id") < num(ps, "point_id"));
            csv_point(out, doc, arm, take_used ? pu : ps, take_used);
            if (take_used)
                u++;
            else
                s++;
        }
    }
    return ferror(out) ? -1 : 0;
}
