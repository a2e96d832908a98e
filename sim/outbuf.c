/* outbuf.c — a growing byte buffer for formatted rows. */
#include "outbuf.h"

#include <stdint.h>
#include <stdlib.h>

int outbuf_grow(outbuf *b, size_t more)
{
    if (b->failed) return -1;
    if (b->cap - b->len >= more) return 0;
    if (more > SIZE_MAX - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + more;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : 2 * cap;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void outbuf_put_csv_field(outbuf *b, const char *s)
{
    size_t n = strcspn(s, ",\"\r\n");
    if (s[n] == '\0') {
        outbuf_put(b, s, n);
        return;
    }
    outbuf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') outbuf_putc(b, '"');
        outbuf_putc(b, *s);
    }
    outbuf_putc(b, '"');
}

void outbuf_free(outbuf *b)
{
    free(b->data);
    *b = OUTBUF_EMPTY;
}
