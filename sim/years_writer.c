/* years_writer.c — years.csv: one row per replication, financial year,
 * area and metric, with the weight that lets a group of areas be re-formed
 * from its parts (README "Outputs (contract)"). The values themselves are
 * formed in the recorder, from the events and days of each year. */
#include "output.h"

#include <math.h>

#include "dates.h"
#include "numfmt.h"

const char years_csv_header[] =
    "scenario,replication,year,first_date,last_date,area,metric,value,weight\n";

/* Empty for no weight; a whole number as an integer. */
static void put_weight(outbuf *out, double w)
{
    if (isnan(w)) return;
    char buf[NUMFMT_MAX];
    if (isfinite(w) && w == floor(w) && fabs(w) < 1e15)
        outbuf_put(out, buf, numfmt_f0(buf, w));
    else
        outbuf_put(out, buf, numfmt_g10(buf, w));
}

void years_format_label(int64_t day, char label[8])
{
    /* Years 1-9999 (the engine's range); the modulo keeps the compiler
     * sure that the label fits. */
    int fy = date_financial_year(day);
    unsigned start = (unsigned)fy % 10000u, next = (unsigned)(fy + 1) % 100u;
    snprintf(label, 8, "%04u/%02u", start, next);
}

int years_format_replication(outbuf *out, const char *scenario, const recorder *r,
                             size_t replication, const output_filter *filter)
{
    if (!out || !r) return -1;
    size_t A = recorder_n_areas(r), M = recorder_n_metrics(r);
    output_row_parts parts;
    if (output_row_parts_init(&parts, scenario, replication, r) != 0) return -1;
    outbuf middle = OUTBUF_EMPTY; /* "year,first_date,last_date,area," */
    for (size_t y = 0; y < recorder_n_years(r); y++) {
        char label[8], first[11], last[11];
        int64_t last_day = recorder_year_last_day(r, y);
        years_format_label(last_day, label);
        date_format(recorder_year_first_day(r, y), first);
        date_format(last_day, last);
        for (size_t a = 0; a <= A; a++) {
            if (!output_filter_area(filter, a, A)) continue;
            middle.len = 0;
            outbuf_puts(&middle, label);
            outbuf_putc(&middle, ',');
            outbuf_put(&middle, first, 10);
            outbuf_putc(&middle, ',');
            outbuf_put(&middle, last, 10);
            outbuf_putc(&middle, ',');
            outbuf_put_csv_field(&middle, recorder_area_name(r, a));
            outbuf_putc(&middle, ',');
            for (size_t m = 0; m < M; m++) {
                const metric_spec *spec = recorder_metric(r, (int)m);
                if ((a < A && spec->all_only) || !output_filter_metric(filter, m)) continue;
                double weight;
                double value = recorder_year_value(r, y, a, (int)m, &weight);
                char buf[OUTPUT_VALUE_MAX];
                size_t n = output_format_value(buf, spec, value);
                outbuf_put(out, parts.text.data, parts.prefix_len);
                outbuf_put(out, middle.data, middle.len);
                outbuf_put(out, parts.text.data + parts.metric_at[m],
                           parts.metric_at[m + 1] - parts.metric_at[m]);
                buf[n] = ',';
                outbuf_put(out, buf, n + 1);
                put_weight(out, weight);
                outbuf_putc(out, '\n');
            }
        }
        /* Stop at the first failed allocation rather than format on. */
        if (out->failed || middle.failed) break;
    }
    int failed = out->failed || middle.failed;
    outbuf_free(&middle);
    output_row_parts_free(&parts);
    return failed ? -1 : 0;
}

int years_write_replication(FILE *out, const char *scenario, const recorder *r, size_t replication,
                            const output_filter *filter)
{
    if (!out || !r) return -1;
    outbuf text = OUTBUF_EMPTY;
    int status = years_format_replication(&text, scenario, r, replication, filter);
    if (status == 0 && text.len && fwrite(text.data, 1, text.len, out) != text.len) status = -1;
    outbuf_free(&text);
    return status != 0 || ferror(out) ? -1 : 0;
}
