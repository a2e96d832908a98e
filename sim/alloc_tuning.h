/* alloc_tuning.h — the process's allocator settings for many replications. */
#ifndef PLACESIM_ALLOC_TUNING_H
#define PLACESIM_ALLOC_TUNING_H

/* Keeps freed memory in the process for the next replication instead of
 * handing it back to the system (glibc: a fixed mmap threshold and a trim
 * threshold of their own; nothing elsewhere). Call once, first thing in
 * main. */
void alloc_tune_for_replications(void);

#endif
