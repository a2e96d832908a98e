/* output.h — the run directory and the files in it.
 *
 * A run directory is built under a temporary name beside its final one and
 * renamed into place only when every file is complete, so a failed or killed
 * run never leaves a half-written directory under the final name. */
#ifndef PLACESIM_OUTPUT_H
#define PLACESIM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "recorder.h"

/* Checks `dir` may be written (absent, empty, or force) and creates a fresh
 * temporary directory beside it ("DIR.tmp-XXXXXX"), whose path is written to
 * tmp (tmplen bytes). Returns 0, or -1 with a one-line reason in err. */
int outdir_begin(const char *dir, int force, char *tmp, size_t tmplen,
                 char *err, size_t errlen);

/* Renames the complete temporary directory to `dir`, first moving an existing
 * `dir` aside (allowed only with force) and removing it after. Returns 0 or -1
 * with a reason in err (the temporary directory is then left for inspection). */
int outdir_commit(const char *tmp, const char *dir, int force, char *err, size_t errlen);

/* Removes a temporary directory and its files (after a failure). */
void outdir_abandon(const char *tmp);

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
