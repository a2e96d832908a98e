/* report_format.h — numbers as the report's tables print them, and the
 * comparison document's values read through its keys (CONTRACTS.md § 6),
 * where null or a missing key means n/a. */
#ifndef PLACESIM_REPORT_FORMAT_H
#define PLACESIM_REPORT_FORMAT_H

#include <stddef.h>
#include <jansson.h>
#include "html_buf.h"

/* "1,234,567" for |v| ≥ 1000 (rounded to whole units), else 4 significant
 * digits ("0.3137", "12.5"); a minus is U+2212; "£" in front when money. */
void rfmt_number(double v, int money, char *buf, size_t buflen);

/* "12.5%" of a share 0.125. */
void rfmt_percent(double share, char *buf, size_t buflen);

/* A number of the document: 1 and *v when key holds a JSON number, 0 when
 * it is null, missing or not a number. */
int rfmt_get_number(const json_t *obj, const char *key, double *v);

/* Appends an interval {"mean","lower","upper"} as "mean (lower to upper)",
 * or "n/a" when it is null or incomplete. */
void rfmt_interval(hbuf *out, const json_t *interval, int money);

/* The same from three keys of one object (a metric row's "difference",
 * "lower", "upper"). */
void rfmt_interval_keys(hbuf *out, const json_t *obj, const char *mean_key, const char *lower_key,
                        const char *upper_key, int money);

/* Appends obj[key] as a number, a percentage (percent), or "n/a". */
void rfmt_value(hbuf *out, const json_t *obj, const char *key, int money, int percent);

/* Appends a string of the document escaped, or "n/a". */
void rfmt_string(hbuf *out, const json_t *obj, const char *key);

#endif
