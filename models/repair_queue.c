/* repair_queue.c — binary heaps of waiting voids, one per area. */
#include "repair_queue.h"

#include <stdlib.h>

static int entry_before(const repair_queue_entry *a, const repair_queue_entry *b)
{
    if (a->priority_class != b->priority_class) return a->priority_class < b->priority_class;
    if (a->key != b->key) return a->key < b->key;
    return a->seq < b->seq;
}

static int heap_push(repair_queue *q, const repair_queue_entry *e)
{
    if (q->size == q->capacity) {
        size_t capacity = q->capacity ? 2 * q->capacity : 64;
        repair_queue_entry *grown = realloc(q->heap, capacity * sizeof *grown);
        if (!grown) return -1;
        q->heap = grown;
        q->capacity = capacity;
    }
    size_t i = q->size++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!entry_before(e, &q->heap[parent])) break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = *e;
    return 0;
}

static uint32_t heap_pop(repair_queue *q)
{
    uint32_t dwelling = q->heap[0].dwelling;
    repair_queue_entry last = q->heap[--q->size];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= q->size) break;
        if (child + 1 < q->size && entry_before(&q->heap[child + 1], &q->heap[child])) child++;
        if (!entry_before(&q->heap[child], &last)) break;
        q->heap[i] = q->heap[child];
        i = child;
    }
    if (q->size > 0) q->heap[i] = last;
    return dwelling;
}

int repair_queues_init(repair_queues *q, size_t n_areas)
{
    q->by_area = calloc(n_areas ? n_areas : 1, sizeof *q->by_area);
    q->n_areas = n_areas;
    q->size = 0;
    q->next_seq = 0;
    return q->by_area ? 0 : -1;
}

int repair_queues_push(repair_queues *q, uint32_t area, uint32_t dwelling, uint32_t priority_class,
                       double key)
{
    repair_queue_entry e = { key, q->next_seq, dwelling, priority_class };
    if (heap_push(&q->by_area[area], &e) != 0) return -1;
    q->next_seq++;
    q->size++;
    return 0;
}

int repair_queues_pop(repair_queues *q, const uint8_t *allowed, uint32_t *dwelling)
{
    if (q->size == 0) return 0;
    repair_queue *best = NULL;
    for (size_t a = 0; a < q->n_areas; a++) {
        repair_queue *h = &q->by_area[a];
        if (h->size == 0 || (allowed && !allowed[a])) continue;
        if (!best || entry_before(&h->heap[0], &best->heap[0])) best = h;
    }
    if (!best) return 0;
    *dwelling = heap_pop(best);
    q->size--;
    return 1;
}

void repair_queues_free(repair_queues *q)
{
    for (size_t a = 0; q->by_area && a < q->n_areas; a++) free(q->by_area[a].heap);
    free(q->by_area);
    q->by_area = NULL;
    q->n_areas = q->size = 0;
}
