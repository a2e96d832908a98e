/* repair_queue.h — voids waiting for a repair team, in a chosen order.
 *
 * A binary heap on (class, key, arrival sequence): FIFO uses one class keyed
 * by arrival time; longest-void-first keys by the void's start time;
 * target-areas-first puts target areas in class 0 and the rest in class 1,
 * each FIFO. The sequence makes equal keys leave in arrival order.
 *
 * The voids are held in one heap per area sharing one arrival sequence, so
 * that a team allowed only some areas (an intervention's repair team) takes
 * the first void among those areas, and a team allowed every area takes
 * exactly the void that a single heap of all voids would give. A winner
 * tree over the areas' first voids finds that void in O(log areas): a scan
 * of every area at each start of a repair cost more than the rest of the
 * void's events together at England's 300 areas (and grew with them). */
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
} repair_queue;

/* An area's first void as the winner tree holds it (`area` where the entry
 * has its dwelling; an empty area has priority_class UINT32_MAX). */
typedef struct repair_queue_head {
    double key;
    uint64_t seq;
    uint32_t area;
    uint32_t priority_class;
} repair_queue_head;

typedef struct repair_queues {
    repair_queue *by_area; /* [n_areas] */
    size_t n_areas;
    /* Winner tree: leaves [leaves + a] hold area a's first void (or none),
     * each inner node [i] the first of its two children [2i], [2i + 1]; [1]
     * is the first void of all. */
    repair_queue_head *tree; /* [2 * leaves] */
    size_t leaves;           /* a power of two, >= n_areas */
    size_t size;             /* voids waiting, all areas */
    uint64_t next_seq;
} repair_queues;

/* Empty queues for n_areas areas. Returns 0, or -1 when out of memory (then
 * repair_queues_free is still safe). */
int repair_queues_init(repair_queues *q, size_t n_areas);

/* Adds a dwelling of area `area` (< n_areas). Returns 0, or -1 when out of
 * memory (queues unchanged). */
int repair_queues_push(repair_queues *q, uint32_t area, uint32_t dwelling, uint32_t priority_class,
                       double key);

/* Removes the first dwelling among the areas with allowed[a] nonzero (every
 * area when allowed is NULL) into *dwelling; returns 1, or 0 when none of
 * those areas has a void waiting. Costs O(log n_areas + log of the area's
 * voids) for every area, O(n_areas + …) for some. */
int repair_queues_pop(repair_queues *q, const uint8_t *allowed, uint32_t *dwelling);

void repair_queues_free(repair_queues *q);

#endif
