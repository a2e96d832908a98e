/* output.h — the files of a run directory (the directory itself: outdir.h). */
#ifndef PLACESIM_OUTPUT_H
#define PLACESIM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "recorder.h"

/* Writes series.csv: the header
 *     scenario,replication,tick,date,area,metric,value
 * then, for replication 1…n (reps[i] is replication i+1), each period, each
 * area in scenario order then ALL, each metric in declaration order (skipping
 * areas for all_only metrics), one row. tick = period's last day − start_day;
 * date = that day. Counts are integers, money "%.2f", others "%.10g", NaN "NA".
 * Returns 0 or -1 on a write error. */
int series_write_csv(FILE *out, const char *scenario_name,
                     const recorder *const *reps, size_t n_reps, int64_t start_day);

/* Writes s as one CSV field, quoted (RFC 4180) when it holds a comma, a
 * quote or a line break. */
void csv_write_field(FILE *out, const char *s);

/* Writes s as a JSON string literal (quotes and escapes). */
void json_write_string(FILE *out, const char *s);

/* SHA-256 of data, as 64 lowercase hex digits and a NUL in hex (65 bytes). */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
