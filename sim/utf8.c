/* utf8.c — see utf8.h (RFC 3629). */
#include "utf8.h"

size_t utf8_sequence_length(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    size_t n = c < 0x80                   ? 0
               : (c >= 0xC2 && c <= 0xDF) ? 1
               : (c >= 0xE0 && c <= 0xEF) ? 2
               : (c >= 0xF0 && c <= 0xF4) ? 3
                                          : 4;
    if (n == 4) return 0;
    unsigned cp = n == 0 ? c : c & (0x3Fu >> n);
    for (size_t k = 1; k <= n; k++) {
        /* A NUL ends the string before any continuation byte is read past it. */
        if ((p[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n + 1;
}

int utf8_valid(const char *s)
{
    while (*s) {
        size_t n = utf8_sequence_length(s);
        if (n == 0) return 0;
        s += n;
    }
    return 1;
}
