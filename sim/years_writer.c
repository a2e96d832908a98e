/* years_writer.c — years.csv: one row per replication, financial year,
 * area and metric, with the weight that lets a group of areas be re-formed
 * from its parts (README "Outputs (contract)"). The values themselves are
 * formed in the recorder, from the events and days of each year. */
#include "output.h"

#include <math.h>

#include "dates.h"

const char years_csv_header[] =
    "scenario,replication,year,first_date,last_date,area,metric,value,weight\n";

/* Empty for no weight; a whole number as an integer. */
static void put_weight(FILE *out, double w)
{
    if (isnan(w)) return;
    if (isfinite(w) && w == floor(w) && fabs(w) < 1e15)
        fprintf(out, "%.0f", w);
    else
        fprintf(out, "%.10g", w);
}

void years_format_label(int64_t day, char label[8])
{
    /* Years 1-9999 (the engine's range); the modulo keeps the compiler
     * sure that the label fits. */
    int fy = date_financial_year(day);
    unsigned start = (unsigned)fy % 10000u, next = (unsigned)(fy + 1) % 100u;
    snprintf(label, 8, "%04u/%02u", start, next);
}

int years_write_replication(FILE *out, const char *scenario, const recorder *r, size_t replication,
                            const output_filter *filter)
{
    if (!out || !r) return -1;
    if (!scenario) scenario = "";
    size_t A = recorder_n_areas(r), M = recorder_n_metrics(r);
    for (size_t y = 0; y < recorder_n_years(r); y++) {
        char label[8], first[11], last[11];
        int64_t last_day = recorder_year_last_day(r, y);
        years_format_label(last_day, label);
        date_format(recorder_year_first_day(r, y), first);
        date_format(last_day, last);
        for (size_t a = 0; a <= A; a++) {
            if (!output_filter_area(filter, a, A)) continue;
            const char *area = recorder_area_name(r, a);
            for (size_t m = 0; m < M; m++) {
                const metric_spec *spec = recorder_metric(r, (int)m);
                if ((a < A && spec->all_only) || !output_filter_metric(filter, m)) continue;
                double weight;
                double value = recorder_year_value(r, y, a, (int)m, &weight);
                csv_write_field(out, scenario);
                fprintf(out, ",%zu,%s,%s,%s,", replication, label, first, last);
                csv_write_field(out, area);
                fputc(',', out);
                csv_write_field(out, spec->name);
                fputc(',', out);
                output_write_value(out, spec, value);
                fputc(',', out);
                put_weight(out, weight);
                fputc('\n', out);
            }
        }
        /* Stop at the first failed year rather than format a whole run
         * into a full disk. */
        if (ferror(out)) return -1;
    }
    return ferror(out) ? -1 : 0;
}
