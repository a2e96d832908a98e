/* evq.c — the future-event list: a calendar queue of day buckets.
 *
 * Invariants (d0 = current day, W = window_days):
 *   - bucket[d & (W-1)] holds only events of day d, for d in [d0, d0 + W);
 *   - the overflow heap holds the rest, all of day >= d0, normally all of
 *     day >= d0 + W. Only a failed allocation while migrating at evq_advance
 *     leaves nearer events there, so evq_pop_today, evq_advance and
 *     evq_peek_time also look at the overflow's top: nothing is lost and the
 *     order holds either way, and the next advance retries the migration.
 * Each event is moved at most once (overflow -> bucket). */
#include "evq.h"

#include <math.h>
#include <stdlib.h>

typedef struct ev_heap {
    sim_event *a;
    size_t n, cap;
} ev_heap;

struct evq {
    int64_t day;
    size_t nbuckets; /* power of two */
    ev_heap *buckets;
    ev_heap overflow;
    size_t size;
    uint64_t next_seq;
};

/* A bucket left behind keeps a small array for reuse; a larger one is freed
 * so that memory follows the pending events, not the busiest day ever seen. */
#define BUCKET_KEEP_CAP 64
#define HEAP_MIN_CAP    8

static inline int ev_less(const sim_event *x, const sim_event *y)
{
    return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static int heap_reserve_one(ev_heap *h)
{
    if (h->n < h->cap) return 0;
    size_t cap = h->cap ? h->cap * 2 : HEAP_MIN_CAP;
    if (cap < h->cap || cap > SIZE_MAX / sizeof(sim_event)) return -1;
    sim_event *a = realloc(h->a, cap * sizeof(sim_event));
    if (a == NULL) return -1;
    h->a = a;
    h->cap = cap;
    return 0;
}

/* Capacity must be reserved. Sift up with a hole instead of swaps. */
static void heap_insert(ev_heap *h, const sim_event *ev)
{
    sim_event *a = h->a;
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ev_less(ev, &a[parent])) break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = *ev;
}

static void heap_remove_top(ev_heap *h, sim_event *out)
{
    sim_event *a = h->a;
    *out = a[0];
    size_t n = --h->n;
    if (n == 0) return;
    sim_event last = a[n];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && ev_less(&a[child + 1], &a[child])) child++;
        if (!ev_less(&a[child], &last)) break;
        a[i] = a[child];
        i = child;
    }
    a[i] = last;
}

static void heap_free(ev_heap *h)
{
    free(h->a);
    h->a = NULL;
    h->n = h->cap = 0;
}

/* Shrinks a heap whose array is mostly empty (at most a quarter full). */
static void heap_trim(ev_heap *h)
{
    if (h->cap <= BUCKET_KEEP_CAP || h->n > h->cap / 4) return;
    if (h->n == 0) {
        heap_free(h);
        return;
    }
    size_t cap = h->n * 2;
    sim_event *a = realloc(h->a, cap * sizeof(sim_event));
    if (a != NULL) { /* on failure the larger array simply stays */
        h->a = a;
        h->cap = cap;
    }
}

static inline ev_heap *bucket_of(evq *q, int64_t day)
{
    return &q->buckets[(uint64_t)day & (q->nbuckets - 1)];
}

/* End of the window as a double: events at or after it go to the overflow. */
static inline double window_end(const evq *q) { return (double)q->day + (double)q->nbuckets; }

evq *evq_create(size_t window_days)
{
    size_t n = 64;
    while (n < window_days) {
        if (n > SIZE_MAX / 2 / sizeof(ev_heap)) return NULL;
        n *= 2;
    }
    evq *q = calloc(1, sizeof *q);
    if (q == NULL) return NULL;
    q->buckets = calloc(n, sizeof *q->buckets);
    if (q->buckets == NULL) {
        free(q);
        return NULL;
    }
    q->nbuckets = n;
    return q;
}

void evq_destroy(evq *q)
{
    if (q == NULL) return;
    for (size_t i = 0; i < q->nbuckets; i++) free(q->buckets[i].a);
    free(q->buckets);
    free(q->overflow.a);
    free(q);
}

int evq_push(evq *q, const sim_event *ev)
{
    double t = ev->time;
    if (!isfinite(t)) return -1;
    double fday = floor(t);
    if (fday < (double)q->day) return -1;
    ev_heap *h = fday < window_end(q) ? bucket_of(q, (int64_t)fday) : &q->overflow;
    if (heap_reserve_one(h) != 0) return -1;
    sim_event e = *ev;
    e.seq = q->next_seq++;
    heap_insert(h, &e);
    q->size++;
    return 0;
}

int evq_pop_today(evq *q, sim_event *out)
{
    ev_heap *b = bucket_of(q, q->day);
    ev_heap *o = &q->overflow;
    int from_overflow = o->n > 0 && o->a[0].time < (double)q->day + 1.0 &&
                        (b->n == 0 || ev_less(&o->a[0], &b->a[0]));
    if (from_overflow)
        heap_remove_top(o, out);
    else if (b->n > 0)
        heap_remove_top(b, out);
    else
        return 0;
    q->size--;
    return 1;
}

int evq_advance(evq *q, int64_t day)
{
    if (day < q->day) return -1;
    if (day == q->day) return 0;
    ev_heap *o = &q->overflow;
    if (o->n > 0 && o->a[0].time < (double)day) return -1;
    /* Days that leave the window: at most W buckets, and only when the ring
     * holds events is each one looked at twice. */
    int64_t leave_end = day - q->day < (int64_t)q->nbuckets ? day : q->day + (int64_t)q->nbuckets;
    if (q->size > o->n) {
        for (int64_t d = q->day; d < leave_end; d++)
            if (bucket_of(q, d)->n > 0) return -1;
    }
    for (int64_t d = q->day; d < leave_end; d++) heap_trim(bucket_of(q, d));
    q->day = day;

    double end = window_end(q);
    while (o->n > 0 && o->a[0].time < end) {
        ev_heap *b = bucket_of(q, (int64_t)floor(o->a[0].time));
        if (heap_reserve_one(b) != 0)
            break; /* stays in the overflow, still found there (see top) */
        sim_event e;
        heap_remove_top(o, &e);
        heap_insert(b, &e);
    }
    heap_trim(o);
    return 0;
}

int64_t evq_current_day(const evq *q) { return q->day; }

size_t evq_size(const evq *q) { return q->size; }

double evq_peek_time(const evq *q)
{
    double best = q->overflow.n > 0 ? q->overflow.a[0].time : INFINITY;
    if (q->size > q->overflow.n) {
        /* The first non-empty bucket from today holds the ring's minimum. */
        for (size_t i = 0; i < q->nbuckets; i++) {
            const ev_heap *b = &q->buckets[((uint64_t)q->day + i) & (q->nbuckets - 1)];
            if (b->n > 0) {
                if (b->a[0].time < best) best = b->a[0].time;
                break;
            }
        }
    }
    return best;
}
