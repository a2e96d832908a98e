/* output.h — the files of a run directory (the directory itself: outdir.h). */
#ifndef PLACESIM_OUTPUT_H
#define PLACESIM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "numfmt.h"
#include "outbuf.h"
#include "recorder.h"

/* Which metrics and areas a run writes (--metric, --area); ALL rows are
 * always written. A NULL filter, or a NULL array, selects everything. */
typedef struct output_filter {
    const unsigned char *metric_on; /* by metric id, n_metrics entries */
    size_t n_metrics;
    const unsigned char *area_on; /* by area index, one per area */
} output_filter;

/* Nonzero when the filter selects metric id m / area a (a >= n_areas,
 * ALL, always). */
int output_filter_metric(const output_filter *f, size_t m);
int output_filter_area(const output_filter *f, size_t a, size_t n_areas);

/* The header line of series.csv. */
extern const char series_csv_header[];

/* Writes series.csv: the header
 *     scenario,replication,tick,date,area,metric,value
 * then, for replication 1…n (reps[i] is replication i+1), each period, each
 * area in scenario order then ALL, each metric in declaration order (skipping
 * areas for all_only metrics), one row. tick = period's last day − start_day;
 * date = that day. Values as output_write_value. Returns 0 or -1 on a
 * write error. */
int series_write_csv(FILE *out, const char *scenario_name, const recorder *const *reps,
                     size_t n_reps, int64_t start_day);

/* The rows of one replication (no header), those the filter selects,
 * appended to out. Returns 0, or -1 when out of memory (out failed). */
int series_format_replication(outbuf *out, const char *scenario, const recorder *r,
                              size_t replication, int64_t start_day, const output_filter *filter);

/* The same rows written to out. Returns 0 or -1 on a write error (or out
 * of memory). */
int series_write_replication(FILE *out, const char *scenario, const recorder *r, size_t replication,
                             int64_t start_day, const output_filter *filter);

/* The fields that begin and end every row of a replication's series.csv
 * and years.csv, quoted once: text holds "scenario,replication," (its first
 * prefix_len bytes), then each metric's field and a comma, metric m at
 * [metric_at[m], metric_at[m + 1]). */
typedef struct output_row_parts {
    outbuf text;
    size_t prefix_len;
    size_t *metric_at; /* recorder_n_metrics + 1 offsets */
} output_row_parts;

/* 0, or -1 when out of memory (nothing to free). */
int output_row_parts_init(output_row_parts *p, const char *scenario, size_t replication,
                          const recorder *r);
void output_row_parts_free(output_row_parts *p);

/* Writes a value kept by the recorder (recorder_value_kept: pence for
 * money) as the output files do: money with exactly two decimals from its
 * integer pence, whole counts as integers, others "%.10g", NaN as "NA";
 * never a negative zero ("-0", "-0.00"). */
void output_write_value(FILE *out, const metric_spec *spec, double kept);

/* The same text and a NUL into buf (OUTPUT_VALUE_MAX bytes); its length. */
enum { OUTPUT_VALUE_MAX = NUMFMT_MAX };
size_t output_format_value(char *buf, const metric_spec *spec, double kept);

/* years.csv (years_writer.c): its header line, and the rows of one
 * replication (no header): each financial year (recorder_n_years), each
 * area the filter selects in scenario order then ALL, each metric it
 * selects in declaration order (all_only metrics: ALL only), as
 *     scenario,replication,year,first_date,last_date,area,metric,value,weight
 * year "YYYY/YY", first_date and last_date the written days of that year,
 * value as output_write_value, weight (recorder_year_value) empty for none.
 * years_format_replication appends them to out: 0, or -1 when out of
 * memory. years_write_replication writes them: 0 or -1 on a write error. */
extern const char years_csv_header[];
int years_format_replication(outbuf *out, const char *scenario, const recorder *r,
                             size_t replication, const output_filter *filter);
int years_write_replication(FILE *out, const char *scenario, const recorder *r, size_t replication,
                            const output_filter *filter);

/* The financial-year label of a day, "2026/27", into label (8 bytes). */
void years_format_label(int64_t day, char label[8]);

/* Writes s as one CSV field, quoted (RFC 4180) when it holds a comma, a
 * quote or a line break. */
void csv_write_field(FILE *out, const char *s);

/* Splits one CSV line in place into at most max_fields fields (quotes as
 * csv_write_field writes them; no line break inside a field). Returns the
 * number of fields, max_fields + 1 when there are more, or -1 for a
 * malformed quote. */
int csv_split_line(char *line, char **fields, int max_fields);

/* Writes s as a JSON string literal (quotes and escapes). */
void json_write_string(FILE *out, const char *s);

#endif
