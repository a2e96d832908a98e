/* alloc_tuning.h — the process's allocator settings for many replications. */
#ifndef PLACESIM_ALLOC_TUNING_H
#define PLACESIM_ALLOC_TUNING_H

#include <stddef.h>

/* Keeps freed memory in the process for the next replication instead of
 * handing it back to the system (glibc: a fixed mmap threshold and a trim
 * threshold of their own; nothing elsewhere). Call once, first thing in
 * main. */
void alloc_tune_for_replications(void);

/* Asks the kernel to back [p, p + bytes) with huge pages (2 MiB on x86-64)
 * when it is a large block (4 MiB or more, so mmap'd whole by malloc): call
 * it on an array of agents or cells just allocated or grown, before it is
 * first written. A hint only (Linux with transparent huge pages in
 * "madvise" or "always" mode; elsewhere nothing). */
void alloc_advise_huge(void *p, size_t bytes);

#endif
