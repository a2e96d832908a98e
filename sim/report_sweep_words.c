/* report_sweep_words.c — how the sweep report names and prints things:
 * parameters, outputs and their units in words, parameter values, a
 * point's mean and interval. */
#include "report_sweep_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "report_format.h"

void rsw_cell_interval(const rsw_cell *c, double *mean, double *lower, double *upper)
{
    *mean = c->n ? c->mean : NAN;
    *lower = *upper = NAN;
    if (c->n < 2) return;
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(c->n - 1)) *
                  sqrt(c->m2 / (double)(c->n - 1) / (double)c->n);
    *lower = c->mean - half;
    *upper = c->mean + half;
}

void rsw_format_value(double v, char *buf, size_t buflen) { rfmt_number(v, 0, buf, buflen); }

void rsw_words(const char *name, char *buf, size_t buflen)
{
    if (buflen == 0) return;
    size_t w = 0;
    for (const char *p = name ? name : ""; *p && w + 1 < buflen; p++)
        buf[w++] = *p == '_' || *p == '.' ? ' ' : *p;
    buf[w] = '\0';
    if (w > 0 && buf[0] >= 'a' && buf[0] <= 'z') buf[0] = (char)toupper((unsigned char)buf[0]);
}

void rsw_param_label(const rsw_param *p, char *buf, size_t buflen)
{
    char words[256];
    rsw_words(p->key, words, sizeof words);
    if (p->unit)
        snprintf(buf, buflen, "%s (%s)", words, p->unit);
    else
        snprintf(buf, buflen, "%s", words);
}

void rsw_output_unit(const rsw_output *o, char *buf, size_t buflen)
{
    const char *unit = o->unit ? o->unit : "";
    int per_year = o->flow && strcmp(o->summary, "mean_per_year") == 0;
    snprintf(buf, buflen, "%s%s", unit, per_year && *unit ? " a year" : "");
}

void rsw_output_title(const rsw_output *o, char *buf, size_t buflen)
{
    char words[256], window[96] = "";
    rsw_words(o->metric, words, sizeof words);
    const char *summary = strcmp(o->summary, "total") == 0           ? "total"
                          : strcmp(o->summary, "mean_per_year") == 0 ? "mean per year"
                          : strcmp(o->summary, "value_at") == 0      ? "value"
                          : strcmp(o->summary, "median") == 0        ? "median of events"
                                                                     : o->summary;
    if (strcmp(o->summary, "value_at") == 0)
        snprintf(window, sizeof window, " on %s", o->date ? o->date : "?");
    else if (o->from_year && o->to_year && strcmp(o->from_year, o->to_year) == 0)
        snprintf(window, sizeof window, " in %s", o->from_year);
    else if (o->from_year || o->to_year)
        snprintf(window, sizeof window, " %s to %s", o->from_year ? o->from_year : "first year",
                 o->to_year ? o->to_year : "last year");
    else
        snprintf(window, sizeof window, " over the written years");
    const char *area = !o->area || strcmp(o->area, "ALL") == 0 ? "whole place" : o->area;
    snprintf(buf, buflen, "%s, %s%s, %s", words, summary, window, area);
}

void rsw_point_tip(hbuf *out, const rsw_data *d, size_t a, size_t o, size_t p, int diff)
{
    const rsw_cell *c = diff ? rsw_diff(d, a, o, p) : rsw_value(d, a, o, p);
    double m, lo, hi;
    rsw_cell_interval(c, &m, &lo, &hi);
    char a_text[64], b_text[64], c_text[64];
    rfmt_number(m, d->outputs[o].money, a_text, sizeof a_text);
    hbuf_escape(out, d->arms[a].name);
    hbuf_printf(out, "%s, point %zu: %s %s", diff ? " minus base" : "", p,
                diff ? "mean difference" : "mean", a_text);
    if (isfinite(lo)) {
        rfmt_number(lo, d->outputs[o].money, b_text, sizeof b_text);
        rfmt_number(hi, d->outputs[o].money, c_text, sizeof c_text);
        hbuf_printf(out, " (95%% interval %s to %s)", b_text, c_text);
    }
    hbuf_printf(out, " over %u replication%s, at ", c->n, c->n == 1 ? "" : "s");
    for (size_t j = 0; j < d->n_params; j++) {
        char v[64];
        rsw_format_value(d->values[p * d->n_params + j], v, sizeof v);
        hbuf_puts(out, j ? ", " : "");
        hbuf_escape(out, d->params[j].key);
        hbuf_printf(out, " = %s", v);
    }
}
