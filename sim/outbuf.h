/* outbuf.h — text built in memory, to be written in one piece later.
 *
 * A run's rows are formatted by the worker thread that simulated the
 * replication, into an outbuf, and written by whichever thread writes them
 * in replication order (replications.c, run_files.c). An allocation that
 * fails marks the buffer failed; everything appended after is dropped, so
 * a writer checks once, at the end. */
#ifndef PLACESIM_OUTBUF_H
#define PLACESIM_OUTBUF_H

#include <stddef.h>
#include <string.h>

typedef struct outbuf {
    char *data; /* not NUL-terminated */
    size_t len, cap;
    int failed; /* an allocation failed: the text is incomplete */
} outbuf;

#define OUTBUF_EMPTY ((outbuf){ NULL, 0, 0, 0 })

/* Makes room for `more` bytes after len (growing by doubling). 0, or -1
 * with b->failed set. */
int outbuf_grow(outbuf *b, size_t more);

static inline void outbuf_put(outbuf *b, const char *s, size_t n)
{
    /* memcpy with a NULL pointer is undefined even for 0 bytes, and an
     * empty (or failed) buffer has one. */
    if (n == 0) return;
    if (b->cap - b->len < n && outbuf_grow(b, n) != 0) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static inline void outbuf_puts(outbuf *b, const char *s) { outbuf_put(b, s, strlen(s)); }

static inline void outbuf_putc(outbuf *b, char c)
{
    if (b->cap == b->len && outbuf_grow(b, 1) != 0) return;
    b->data[b->len++] = c;
}

/* s as one CSV field, quoted (RFC 4180) when it holds a comma, a quote or
 * a line break: the bytes csv_write_field (output.h) writes. */
void outbuf_put_csv_field(outbuf *b, const char *s);

void outbuf_free(outbuf *b);

#endif
