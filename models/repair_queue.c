/* repair_queue.c — a binary heap of waiting voids. */
#include "repair_queue.h"

#include <stdlib.h>

static int entry_before(const repair_queue_entry *a, const repair_queue_entry *b)
{
    if (a->priority_class != b->priority_class) return a->priority_class < b->priority_class;
    if (a->key != b->key) return a->key < b->key;
    return a->seq < b->seq;
}

int repair_queue_push(repair_queue *q, uint32_t dwelling, uint32_t priority_class, double key)
{
    if (q->size == q->capacity) {
        size_t capacity = q->capacity ? 2 * q->capacity : 64;
        repair_queue_entry *grown = realloc(q->heap, capacity * sizeof *grown);
        if (!grown) return -1;
        q->heap = grown;
        q->capacity = capacity;
    }
    repair_queue_entry e = { key, q->next_seq++, dwelling, priority_class };
    size_t i = q->size++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!entry_before(&e, &q->heap[parent])) break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = e;
    return 0;
}

int repair_queue_pop(repair_queue *q, uint32_t *dwelling)
{
    if (q->size == 0) return 0;
    *dwelling = q->heap[0].dwelling;
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
    return 1;
}

void repair_queue_free(repair_queue *q)
{
    free(q->heap);
    q->heap = NULL;
    q->size = q->capacity = 0;
}
