/* alloc_tuning.c — glibc malloc settings for runs of many replications.
 *
 * A replication allocates its agents, queues and output cells, grows them by
 * doubling and frees them all at its end. With glibc's defaults the large
 * blocks are mmap'd and unmapped, and the heap's top is trimmed, so every
 * replication faults its memory in afresh: on this project's virtual
 * machines a page fault costs microseconds, and faults were about a tenth
 * of a borough replication's time (perf: the kernel's fault path and the
 * copies of realloc). Blocks below 4 MiB now come from the heap, which is
 * trimmed only when 128 MiB lie free at its top, so the next replication
 * reuses pages already mapped (minor faults over 5 borough replications:
 * 5,546 -> 3,127). Larger blocks (England's agent arrays) stay mmap'd, which
 * keeps realloc's mremap and their memory given back: a 32 MiB threshold
 * saved no more faults on the borough but left England's heap fragmented
 * (peak +15 MiB over a 1-year run, +52 MiB over 10 years; 4 MiB: +4). */
#include "alloc_tuning.h"

#include <stdlib.h> /* defines __GLIBC__ on glibc */

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void alloc_tune_for_replications(void)
{
#if defined(__GLIBC__)
    /* Setting either turns off glibc's dynamic threshold, which would
     * otherwise raise the mmap threshold only after the first frees. */
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
#endif
}
