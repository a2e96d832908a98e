/* utf8.h — UTF-8 as the outputs need it: JSON and CSV readers take only
 * valid UTF-8, while file names on Linux are any bytes. */
#ifndef PLACESIM_UTF8_H
#define PLACESIM_UTF8_H

#include <stddef.h>

/* The length (1-4) of the valid UTF-8 sequence that starts at s (a
 * NUL-terminated string, *s != 0), or 0 when none does: a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate
 * or a value above U+10FFFF. */
size_t utf8_sequence_length(const char *s);

/* 1 if the whole of s is valid UTF-8. */
int utf8_valid(const char *s);

#endif
