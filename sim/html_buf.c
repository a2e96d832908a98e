/* html_buf.c — see html_buf.h. */
#include "html_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void hbuf_init(hbuf *b) { memset(b, 0, sizeof *b); }

void hbuf_free(hbuf *b)
{
    free(b->data);
    hbuf_init(b);
}

/* Room for n more bytes and a NUL; 0, or -1 after setting failed. */
static int hbuf_reserve(hbuf *b, size_t n)
{
    if (b->failed) return -1;
    if (n >= (size_t)-1 / 2 - b->len) {
        b->failed = 1;
        return -1;
    }
    if (b->len + n + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1) cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

static void hbuf_append(hbuf *b, const char *bytes, size_t n)
{
    if (hbuf_reserve(b, n) != 0) return;
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hbuf_puts(hbuf *b, const char *text) { hbuf_append(b, text, strlen(text)); }

void hbuf_printf(hbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (hbuf_reserve(b, (size_t)n) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void hbuf_escape(hbuf *b, const char *text)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    if (!text) return;
    const char *run = text; /* start of bytes to copy as they are */
    const char *p = text;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        const char *entity = NULL;
        size_t skip = 1;
        switch (c) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default:
            if (c >= 0x80) {
                skip = utf8_sequence_length(p);
                if (skip == 0) {
                    entity = replacement;
                    skip = 1;
                }
            } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                entity = replacement;
            }
        }
        if (entity) {
            hbuf_append(b, run, (size_t)(p - run));
            hbuf_puts(b, entity);
            run = p + skip;
        }
        p += skip;
    }
    hbuf_append(b, run, (size_t)(p - run));
}
