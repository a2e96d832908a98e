/* output.c — series.csv, CSV fields and JSON string literals. The run
 * directory is in outdir.c, SHA-256 in sha256.c. */
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "numfmt.h"
#include "utf8.h"

/* ---- series.csv ---- */

const char series_csv_header[] = "scenario,replication,tick,date,area,metric,value\n";

/* A CSV field, quoted (RFC 4180) only when it has to be. */
void csv_write_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* Drops the sign of a zero from buf (length n; returns the new length): a
 * negative zero, or rounding noise such as -1e-13 that prints as "-0.00",
 * would read as a sign that means nothing. */
static size_t unsigned_zero(char *buf, size_t n)
{
    if (buf[0] == '-' && strspn(buf + 1, "0.") == n - 1) {
        memmove(buf, buf + 1, n); /* with the NUL */
        return n - 1;
    }
    return n;
}

size_t output_format_value(char *buf, const metric_spec *spec, double v)
{
    if (isnan(v)) return (size_t)(memcpy(buf, "NA", 3), 2);
    size_t n;
    if (metric_is_money(spec) && isfinite(v) && v == floor(v) && fabs(v) < 9.2e18) {
        /* Whole pence, written from the integer: exact at any size. */
        long long pence = (long long)v;
        unsigned long long magnitude =
            pence < 0 ? 0ULL - (unsigned long long)pence : (unsigned long long)pence;
        n = 0;
        if (pence < 0) buf[n++] = '-';
        n += numfmt_u64(buf + n, magnitude / 100);
        buf[n++] = '.';
        buf[n++] = (char)('0' + magnitude % 100 / 10);
        buf[n++] = (char)('0' + magnitude % 10);
        buf[n] = '\0';
    } else if (metric_is_money(spec) && isfinite(v)) {
        /* A mean of pence (a money level_mean) is not whole. */
        int k = snprintf(buf, OUTPUT_VALUE_MAX, "%.2f", v / 100.0);
        n = k > 0 ? (size_t)k : 0;
    } else if (spec->kind == METRIC_COUNT && isfinite(v) && v == floor(v)) {
        /* A count that is not whole (a model bug) keeps its value rather
         * than being rounded into a plausible integer. */
        n = numfmt_f0(buf, v);
    } else {
        n = numfmt_g10(buf, v);
    }
    return unsigned_zero(buf, n);
}

void output_write_value(FILE *out, const metric_spec *spec, double v)
{
    char buf[OUTPUT_VALUE_MAX];
    output_format_value(buf, spec, v);
    fputs(buf, out);
}

int output_filter_metric(const output_filter *f, size_t metric)
{
    return !f || !f->metric_on || (metric < f->n_metrics && f->metric_on[metric]);
}

int output_filter_area(const output_filter *f, size_t area, size_t n_areas)
{
    return area >= n_areas || !f || !f->area_on || f->area_on[area];
}

int output_row_parts_init(output_row_parts *p, const char *scenario, size_t replication,
                          const recorder *r)
{
    size_t M = recorder_n_metrics(r);
    *p = (output_row_parts){ .text = OUTBUF_EMPTY };
    p->metric_at = malloc((M + 1) * sizeof *p->metric_at);
    if (!p->metric_at) return -1;
    char digits[NUMFMT_MAX];
    outbuf_put_csv_field(&p->text, scenario ? scenario : "");
    outbuf_putc(&p->text, ',');
    outbuf_put(&p->text, digits, numfmt_u64(digits, replication));
    outbuf_putc(&p->text, ',');
    p->prefix_len = p->text.len;
    for (size_t m = 0; m < M; m++) {
        p->metric_at[m] = p->text.len;
        outbuf_put_csv_field(&p->text, recorder_metric(r, (int)m)->name);
        outbuf_putc(&p->text, ',');
    }
    p->metric_at[M] = p->text.len;
    if (p->text.failed) {
        output_row_parts_free(p);
        return -1;
    }
    return 0;
}

void output_row_parts_free(output_row_parts *p)
{
    outbuf_free(&p->text);
    free(p->metric_at);
    p->metric_at = NULL;
}

/* One row of series.csv: the replication's prefix, then `middle` (this
 * day's "tick,date," and this area's field and comma), the metric's field
 * and comma, and the value. */
static void put_row(outbuf *out, const output_row_parts *parts, const outbuf *middle,
                    const metric_spec *spec, size_t m, double value)
{
    char buf[OUTPUT_VALUE_MAX];
    size_t n = output_format_value(buf, spec, value);
    outbuf_put(out, parts->text.data, parts->prefix_len);
    outbuf_put(out, middle->data, middle->len);
    outbuf_put(out, parts->text.data + parts->metric_at[m],
               parts->metric_at[m + 1] - parts->metric_at[m]);
    buf[n] = '\n';
    outbuf_put(out, buf, n + 1);
}

/* Quarterly cohort metrics add ALL rows at their quarters' last days: on a
 * period's last day they join its ALL row in declaration order; on other
 * days they are the only rows of that tick. The rows of one replication are
 * therefore a merge, by day, of period ends and quarter ends. */
int series_format_replication(outbuf *out, const char *scenario, const recorder *r,
                              size_t replication, int64_t start_day, const output_filter *filter)
{
    if (!out || !r) return -1;
    size_t A = recorder_n_areas(r), M = recorder_n_metrics(r), P = recorder_n_periods(r);
    size_t *cursor = calloc(M ? M : 1, sizeof *cursor); /* next quarter row per metric */
    output_row_parts parts;
    if (!cursor || output_row_parts_init(&parts, scenario, replication, r) != 0) {
        free(cursor);
        return -1;
    }
    outbuf middle = OUTBUF_EMPTY; /* "tick,date,area," */
    size_t p = 0;
    for (;;) {
        /* The next day with rows: the earlier of the next period end and the
         * next quarter of any cohort metric. */
        int64_t day = p < P ? recorder_period_last_day(r, p) : INT64_MAX;
        for (size_t m = 0; m < M; m++) {
            if (cursor[m] < recorder_n_quarters(r, (int)m)) {
                int64_t q;
                double v;
                recorder_quarter_row(r, (int)m, cursor[m], &q, &v);
                if (q < day) day = q;
            }
        }
        if (day == INT64_MAX) break;
        int period_ends = p < P && recorder_period_last_day(r, p) == day;
        char date[11], tick[NUMFMT_MAX];
        date_format(day, date);
        size_t tick_len = numfmt_i64(tick, day - start_day);
        for (size_t a = 0; a <= A; a++) {
            if ((a < A && !period_ends) || !output_filter_area(filter, a, A)) continue;
            middle.len = 0;
            outbuf_put(&middle, tick, tick_len);
            outbuf_putc(&middle, ',');
            outbuf_put(&middle, date, 10);
            outbuf_putc(&middle, ',');
            outbuf_put_csv_field(&middle, recorder_area_name(r, a));
            outbuf_putc(&middle, ',');
            for (size_t m = 0; m < M; m++) {
                const metric_spec *spec = recorder_metric(r, (int)m);
                int selected = output_filter_metric(filter, m);
                if (spec->quarterly) {
                    int64_t q;
                    double v;
                    if (a < A || cursor[m] >= recorder_n_quarters(r, (int)m)) continue;
                    recorder_quarter_row(r, (int)m, cursor[m], &q, &v);
                    if (q != day) continue;
                    cursor[m]++; /* selected or not, so that the merge moves on */
                    if (selected) put_row(out, &parts, &middle, spec, m, v);
                } else if (selected && period_ends && !(a < A && spec->all_only)) {
                    put_row(out, &parts, &middle, spec, m, recorder_value_kept(r, p, a, (int)m));
                }
            }
        }
        if (period_ends) p++;
        /* Stop at the first failed allocation rather than format on. */
        if (out->failed || middle.failed) break;
    }
    int failed = out->failed || middle.failed;
    outbuf_free(&middle);
    output_row_parts_free(&parts);
    free(cursor);
    return failed ? -1 : 0;
}

int series_write_replication(FILE *out, const char *scenario, const recorder *r, size_t replication,
                             int64_t start_day, const output_filter *filter)
{
    if (!out || !r) return -1;
    outbuf text = OUTBUF_EMPTY;
    int status = series_format_replication(&text, scenario, r, replication, start_day, filter);
    if (status == 0 && text.len && fwrite(text.data, 1, text.len, out) != text.len) status = -1;
    outbuf_free(&text);
    return status != 0 || ferror(out) ? -1 : 0;
}

int series_write_csv(FILE *out, const char *scenario_name, const recorder *const *reps,
                     size_t n_reps, int64_t start_day)
{
    if (!out || (n_reps && !reps)) return -1;
    const char *scenario = scenario_name ? scenario_name : "";
    fputs(series_csv_header, out);
    for (size_t i = 0; i < n_reps; i++) {
        if (!reps[i] ||
            series_write_replication(out, scenario, reps[i], i + 1, start_day, NULL) != 0)
            return -1;
    }
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

/* A NULL string is written as JSON null. Valid UTF-8 passes through. */
void json_write_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20) {
                fprintf(out, "\\u%04x", (unsigned)*p);
            } else if (*p >= 0x80) {
                /* A file name or argument need not be UTF-8, but JSON must
                   be: a byte outside a valid sequence becomes U+FFFD. */
                size_t n = utf8_sequence_length((const char *)p);
                if (n == 0) {
                    fputs("\\ufffd", out);
                } else {
                    fwrite(p, 1, n, out);
                    p += n - 1;
                }
            } else {
                fputc(*p, out);
            }
        }
    }
    fputc('"', out);
}

/* Splits one CSV line in place into fields (quotes as csv_write_field
 * writes them: "..." with "" for a quote; no line break inside a field).
 * Returns the number of fields, max_fields + 1 when there are more, or -1
 * for a malformed quote. */
int csv_split_line(char *line, char **fields, int max_fields)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max_fields) return max_fields + 1;
        char *start = p, *w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') return -1;
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            if (*p != ',' && *p != '\0') return -1;
        } else {
            while (*p && *p != ',') *w++ = *p++;
        }
        fields[n++] = start;
        char end = *p;
        *w = '\0';
        if (end == '\0') return n;
        p++;
    }
}
