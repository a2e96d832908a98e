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
#if defined(__linux__)
#define _GNU_SOURCE /* MADV_HUGEPAGE */
#endif
#include "alloc_tuning.h"

#include <stdint.h>
#include <stdlib.h> /* defines __GLIBC__ on glibc */
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

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

/* Below this a block may share pages with others in malloc's heap; it is
 * also the mmap threshold above, so every block advised is a mapping of
 * its own. */
enum { HUGE_ADVICE_MIN_BYTES = 4 * 1024 * 1024 };

/* At England's scale the first touch of 1.2 GB in 4 KiB pages is about
 * 300,000 page faults, each costly on a virtual machine, and the agents'
 * random access misses the TLB as well as the caches. The borough tiled 16x
 * with huge pages: 36,300 -> ~5,000 faults and 17% less time (glibc's own
 * glibc.malloc.hugetlb=1 tunable, which needs the environment, gave the
 * same). */
void alloc_advise_huge(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p == NULL || bytes < HUGE_ADVICE_MIN_BYTES) return;
    /* Asked each time (only for blocks of megabytes, so rarely): a cached
     * value would be shared by the replications' threads. */
    long page_bytes = sysconf(_SC_PAGESIZE);
    if (page_bytes <= 0) return;
    uintptr_t mask = (uintptr_t)page_bytes - 1;
    uintptr_t start = ((uintptr_t)p + mask) & ~mask;
    uintptr_t end = ((uintptr_t)p + bytes) & ~mask;
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}
