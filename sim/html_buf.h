/* html_buf.h — a growing text buffer for building an HTML page in memory,
 * with the one escaping rule the page needs.
 *
 * Out of memory is sticky: the first failed growth sets `failed`, later
 * appends do nothing, and the builder checks `failed` once at the end
 * (so that page code is not a check after every line). */
#ifndef PLACESIM_HTML_BUF_H
#define PLACESIM_HTML_BUF_H

#include <stddef.h>

typedef struct hbuf {
    char *data; /* NUL-terminated when len > 0 or after any append */
    size_t len, cap;
    int failed; /* nonzero: an allocation failed; data is incomplete */
} hbuf;

void hbuf_init(hbuf *b);
void hbuf_free(hbuf *b);

/* Appends markup as is: only for text the program itself wrote. */
void hbuf_puts(hbuf *b, const char *text);
void hbuf_printf(hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends text from a file, a scenario or the command line, escaped for
 * HTML element content and quoted attribute values alike: & < > " ' become
 * entities; a byte outside a valid UTF-8 sequence and a control character
 * other than tab and newline become U+FFFD, so that the page is valid UTF-8
 * whatever the input. NULL appends nothing. */
void hbuf_escape(hbuf *b, const char *text);

#endif
