/* repair_queue.h — voids waiting for a repair team, in a chosen order.
 *
 * A binary heap on (class, key, arrival sequence): FIFO uses one class keyed
 * by arrival time; longest-void-first keys by the void's start time;
 * target-areas-first puts target areas in class 0 and the rest in class 1,
 * each FIFO. The sequence makes equal keys leave in arrival order. */
#ifndef PLACESIM_REPAIR_QUEUE_H
#define PLACESIM_REPAIR_QUEUE_H

#include <stddef.h>
#include <stdint.h>

typedef struct repair_queue_entry {
    double key;
    uint64_t seq;
    uint32_t dwelling;
    uint32_t priority_class;
} repair_queue_entry;

typedef struct repair_queue {
    repair_queue_entry *heap;
    size_t size;
    size_t capacity;
    uint64_t next_seq;
} repair_queue;

/* Adds a dwelling. Returns 0, or -1 when out of memory (queue unchanged). */
int repair_queue_push(repair_queue *q, uint32_t dwelling, uint32_t priority_class, double key);

/* Removes the first dwelling into *dwelling; returns 0 when empty, else 1. */
int repair_queue_pop(repair_queue *q, uint32_t *dwelling);

void repair_queue_free(repair_queue *q);

#endif
