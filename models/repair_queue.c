/* repair_queue.c — binary heaps of waiting voids, one per area. */
#include "repair_queue.h"

#include <stdlib.h>

static int entry_before(const repair_queue_entry *a, const repair_queue_entry *b)
{
    if (a->priority_class != b->priority_class) return a->priority_class < b->priority_class;
    if (a->key != b->key) return a->key < b->key;
    return a->seq < b->seq;
}

/* The winner tree's order: that of the entries, an empty area last. */
static int head_before(const repair_queue_head *a, const repair_queue_head *b)
{
    if (a->priority_class != b->priority_class) return a->priority_class < b->priority_class;
    if (a->key != b->key) return a->key < b->key;
    return a->seq < b->seq;
}

/* Area a's first void changed (or it emptied): its leaf, then each node
 * above it, takes the first of its children. */
static void tree_update(repair_queues *q, uint32_t a)
{
    const repair_queue *h = &q->by_area[a];
    size_t i = q->leaves + a;
    q->tree[i] = h->size > 0 ? (repair_queue_head){ h->heap[0].key, h->heap[0].seq, a,
                                                    h->heap[0].priority_class }
                             : (repair_queue_head){ 0.0, 0, a, UINT32_MAX };
    for (i /= 2; i >= 1; i /= 2) {
        const repair_queue_head *l = &q->tree[2 * i], *r = &q->tree[2 * i + 1];
        q->tree[i] = head_before(r, l) ? *r : *l;
    }
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
    q->leaves = 1;
    while (q->leaves < n_areas) q->leaves *= 2;
    q->tree = malloc(2 * q->leaves * sizeof *q->tree);
    if (!q->by_area || !q->tree) return -1;
    /* Every leaf empty (the padding leaves past n_areas stay so). */
    for (size_t i = 0; i < 2 * q->leaves; i++) {
        q->tree[i] = (repair_queue_head){ 0.0, 0, 0, UINT32_MAX };
    }
    return 0;
}

int repair_queues_push(repair_queues *q, uint32_t area, uint32_t dwelling, uint32_t priority_class,
                       double key)
{
    repair_queue_entry e = { key, q->next_seq, dwelling, priority_class };
    repair_queue *h = &q->by_area[area];
    if (heap_push(h, &e) != 0) return -1;
    q->next_seq++;
    q->size++;
    if (h->heap[0].seq == e.seq) tree_update(q, area); /* a new first void */
    return 0;
}

int repair_queues_pop(repair_queues *q, const uint8_t *allowed, uint32_t *dwelling)
{
    if (q->size == 0) return 0;
    if (!allowed) {
        /* The same void as the scan below would choose: sequences are
         * unique, so the order is total. */
        uint32_t a = q->tree[1].area;
        *dwelling = heap_pop(&q->by_area[a]);
        q->size--;
        tree_update(q, a);
        return 1;
    }
    repair_queue *best = NULL;
    for (size_t a = 0; a < q->n_areas; a++) {
        repair_queue *h = &q->by_area[a];
        if (h->size == 0 || (allowed && !allowed[a])) continue;
        if (!best || entry_before(&h->heap[0], &best->heap[0])) best = h;
    }
    if (!best) return 0;
    *dwelling = heap_pop(best);
    q->size--;
    tree_update(q, (uint32_t)(best - q->by_area));
    return 1;
}

void repair_queues_free(repair_queues *q)
{
    for (size_t a = 0; q->by_area && a < q->n_areas; a++) free(q->by_area[a].heap);
    free(q->by_area);
    free(q->tree);
    q->by_area = NULL;
    q->tree = NULL;
    q->n_areas = q->size = 0;
}
