/* sha256.h — SHA-256 (FIPS 180-4) as hex, for the content hashes that
 * manifest.json and the results store record (sha256.c). */
#ifndef PLACESIM_SHA256_H
#define PLACESIM_SHA256_H

#include <stddef.h>

/* SHA-256 of data, as 64 lowercase hex digits and a NUL in hex (65 bytes). */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
