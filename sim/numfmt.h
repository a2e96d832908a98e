/* numfmt.h — numbers as text, fast and byte for byte what printf writes.
 *
 * The output files hold a hundred thousand values a replication, and
 * snprintf's general path (locale, format parsing, exact big-number
 * arithmetic) costs microseconds a value. These write the same bytes in a
 * few dozen instructions for the values the outputs hold, and hand the
 * rest (exponents, near-ties, non-finite values) to snprintf itself. */
#ifndef PLACESIM_NUMFMT_H
#define PLACESIM_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for any of the texts below: "%.0f" of the largest double has 309
 * digits. */
enum { NUMFMT_MAX = 400 };

/* Each writes its text and a terminating NUL into buf (NUMFMT_MAX bytes,
 * 21 are enough for the integer ones) and returns its length. */
size_t numfmt_u64(char *buf, uint64_t v); /* "%" PRIu64 */
size_t numfmt_i64(char *buf, int64_t v);  /* "%" PRId64 */
size_t numfmt_g10(char *buf, double v);   /* "%.10g" */
size_t numfmt_f0(char *buf, double v);    /* "%.0f" */

#endif
