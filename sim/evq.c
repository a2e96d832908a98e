/* evq.c — the future-event list: a calendar queue in three levels.
 *
 * Invariants (d0 = current day, b0 = d0 / 64, F = far blocks):
 *   - near[d & 127] holds only events of day d, for d in [d0, 64 (b0 + 2)),
 *     in no particular order; once today is sorted its bucket is empty and
 *     its events are in `today` (in the order of `keys`, from today_next
 *     on) and in `late`;
 *   - far[k & (F-1)] holds only events of block k (days [64k, 64k + 64)),
 *     for k in [b0 + 2, b0 + 2 + F), in no particular order;
 *   - distant holds the rest: every event of day >= 64 (b0 + 2 + F);
 *   - every list's chunks are full but its tail.
 * Each event is copied at most four times (distant -> far -> near -> today),
 * each in O(1) but the distant heap's O(log n) beyond the horizon. Order
 * comes only from sorting a day by (time, seq) (see order_today), so where
 * an event waited does not matter.
 *
 * Why levels rather than one ring of day buckets: a model schedules most
 * events days or weeks ahead, but tenancies and sentences years ahead and
 * some "never" events at astronomic times. One ring spanning years keeps
 * most of its buckets empty, and a heap for the rest costs O(log n) per
 * event; a 64-day block is appended to in O(1) and handed down whole. */
#include "evq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_tuning.h"

enum {
    BLOCK_SHIFT = 6,
    BLOCK_DAYS = 1 << BLOCK_SHIFT,
    NEAR_DAYS = 2 * BLOCK_DAYS, /* the current block and the next */
    CHUNK_EVENTS = 16,          /* 512 bytes of events: a list wastes under a chunk */
    SORT_RUN = 16,              /* insertion-sorted before merging */
    HEAP_MIN_CAP = 8,
    SLAB_MIN_CHUNKS = 16,
};

/* Days beyond this are refused, so that block arithmetic stays exact in
 * doubles and int64_t (2^52 days is 10^13 years). */
#define MAX_DAY ((int64_t)1 << 52)

/* Once-a-day and once-a-chunk work kept out of line, so that the hot paths
 * of evq_push and evq_pop_today stay small (no registers to save). */
#if defined(__GNUC__)
#define EVQ_COLD __attribute__((noinline))
#else
#define EVQ_COLD
#endif

/* A distant heap left at most a quarter full keeps at most this room. */
#define HEAP_KEEP_CAP 64

/* A chunk holds no count of its own: every chunk of a list is full but the
 * tail, whose count follows from the list's (list_tail_count). A push then
 * touches only the list and the slot it writes, not the chunk's first cache
 * line as well (perf: the load of that count was most of evq_push's time). */
typedef struct ev_chunk {
    struct ev_chunk *next;
    sim_event ev[CHUNK_EVENTS];
} ev_chunk;

typedef struct ev_list {
    ev_chunk *head, *tail;
    size_t n;
} ev_list;

/* Chunks come from slabs, each as large as all before it together, handed
 * out in order and recycled through a free list: no allocation per event,
 * and a slab's unused tail is never written (so not resident). */
typedef struct ev_slab {
    struct ev_slab *next;
    size_t n, used;
    ev_chunk chunk[];
} ev_slab;

typedef struct ev_heap {
    sim_event *a;
    size_t n, cap;
} ev_heap;

struct evq {
    int64_t day;
    int64_t block;   /* day >> BLOCK_SHIFT */
    double near_end; /* the first day of the far level */
    double far_end;  /* the first day of the distant heap */
    size_t size;
    uint64_t next_seq;

    /* Today once sorted: the events today[keys[i] & key_index] for i in
     * [today_next, today_n), in order, and the heap of events pushed for
     * today since. scratch and key_tmp are the merge sorts' other halves. */
    int today_sorted;
    sim_event *today, *scratch;
    uint64_t *keys, *key_tmp;
    uint32_t *counts;
    uint64_t key_index;
    size_t today_cap, scratch_cap, keys_cap, key_tmp_cap, counts_cap, today_n, today_next;
    ev_heap late;

    ev_list near[NEAR_DAYS];
    size_t near_n;
    ev_list *far;
    size_t nfar, far_n; /* nfar: a power of two */
    ev_heap distant;

    ev_chunk *free_chunks;
    size_t n_free;
    ev_slab *slabs; /* newest first; chunks are handed out from the newest */
    size_t pool_chunks;
};

static inline int ev_less(const sim_event *x, const sim_event *y)
{
    return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

/* ---- binary heaps (today's late arrivals, the distant future) ---- */

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

/* Shrinks a heap whose array is mostly empty (at most a quarter full). */
static void heap_trim(ev_heap *h)
{
    if (h->cap <= HEAP_KEEP_CAP || h->n > h->cap / 4) return;
    if (h->n == 0) {
        free(h->a);
        h->a = NULL;
        h->cap = 0;
        return;
    }
    size_t cap = h->n * 2;
    sim_event *a = realloc(h->a, cap * sizeof(sim_event));
    if (a != NULL) { /* on failure the larger array simply stays */
        h->a = a;
        h->cap = cap;
    }
}

/* Events before `bound` in the subtree at i: the heap order prunes the
 * rest, so this costs O(the count); the depth is the heap's height. */
static size_t heap_count_below(const ev_heap *h, size_t i, double bound)
{
    if (i >= h->n || !(h->a[i].time < bound)) return 0;
    return 1 + heap_count_below(h, 2 * i + 1, bound) + heap_count_below(h, 2 * i + 2, bound);
}

/* ---- the chunk pool ---- */

static size_t pool_available(const evq *q)
{
    return q->n_free + (q->slabs ? q->slabs->n - q->slabs->used : 0);
}

/* Makes at least `need` chunks available. Returns -1, with nothing
 * observable changed, when out of memory. */
static int pool_reserve(evq *q, size_t need)
{
    if (pool_available(q) >= need) return 0;
    size_t n = q->pool_chunks > SLAB_MIN_CHUNKS ? q->pool_chunks : SLAB_MIN_CHUNKS;
    if (n < need) n = need;
    if (n > (SIZE_MAX - sizeof(ev_slab)) / sizeof(ev_chunk)) return -1;
    ev_slab *s = malloc(sizeof(ev_slab) + n * sizeof(ev_chunk));
    if (s == NULL) return -1;
    alloc_advise_huge(s, sizeof(ev_slab) + n * sizeof(ev_chunk));
    /* The old slab's unused chunks move to the free list, as new slabs are
     * handed out from. */
    ev_slab *old = q->slabs;
    while (old != NULL && old->used < old->n) {
        ev_chunk *c = &old->chunk[old->used++];
        c->next = q->free_chunks;
        q->free_chunks = c;
        q->n_free++;
    }
    s->n = n;
    s->used = 0;
    s->next = q->slabs;
    q->slabs = s;
    q->pool_chunks += n;
    return 0;
}

EVQ_COLD static ev_chunk *chunk_get(evq *q)
{
    ev_chunk *c = q->free_chunks;
    if (c != NULL) {
        q->free_chunks = c->next;
        q->n_free--;
    } else {
        if (pool_reserve(q, 1) != 0) return NULL;
        c = &q->slabs->chunk[q->slabs->used++];
    }
    c->next = NULL;
    return c;
}

static void chunk_put(evq *q, ev_chunk *c)
{
    c->next = q->free_chunks;
    q->free_chunks = c;
    q->n_free++;
}

/* ---- buckets: lists of chunks ---- */

/* Appends a chunk to the list. Returns it, or NULL, with the list
 * unchanged, when no chunk can be had. */
EVQ_COLD static ev_chunk *list_extend(evq *q, ev_list *b)
{
    ev_chunk *fresh = chunk_get(q);
    if (fresh == NULL) return NULL;
    if (b->tail != NULL)
        b->tail->next = fresh;
    else
        b->head = fresh;
    b->tail = fresh;
    return fresh;
}

/* The list's next free slot, now counted in it; NULL, with the list
 * unchanged, when no chunk can be had. */
static inline sim_event *list_slot(evq *q, ev_list *b)
{
    size_t used = b->n % CHUNK_EVENTS; /* 0: no tail, or a full one */
    ev_chunk *c = b->tail;
    if (used == 0) {
        c = list_extend(q, b);
        if (c == NULL) return NULL;
    }
    b->n++;
    return &c->ev[used];
}

/* Events in chunk c of list b. */
static inline size_t chunk_count(const ev_list *b, const ev_chunk *c)
{
    return c->next != NULL ? CHUNK_EVENTS : (b->n - 1) % CHUNK_EVENTS + 1;
}

static inline int list_append(evq *q, ev_list *b, const sim_event *e)
{
    sim_event *slot = list_slot(q, b);
    if (slot == NULL) return -1;
    *slot = *e;
    return 0;
}

/* Gives a list's chunks back to the pool in one splice (all are full but
 * the tail, so their number follows from the count). */
static void list_release(evq *q, ev_list *b)
{
    if (b->head != NULL) {
        b->tail->next = q->free_chunks;
        q->free_chunks = b->head;
        q->n_free += (b->n + CHUNK_EVENTS - 1) / CHUNK_EVENTS;
    }
    b->head = b->tail = NULL;
    b->n = 0;
}

static double list_min_time(const ev_list *b)
{
    double best = INFINITY;
    for (const ev_chunk *c = b->head; c != NULL; c = c->next)
        for (size_t i = 0, n = chunk_count(b, c); i < n; i++)
            if (c->ev[i].time < best) best = c->ev[i].time;
    return best;
}

/* The bucket of an event at time t >= 0 (the conversion truncates, which
 * is floor for t >= 0) within the near or the far level. */
static inline ev_list *near_list(evq *q, double t)
{
    return &q->near[(uint64_t)t & (NEAR_DAYS - 1)];
}

static inline ev_list *far_list(evq *q, double t)
{
    return &q->far[((uint64_t)t >> BLOCK_SHIFT) & (q->nfar - 1)];
}

/* ---- sorting a day: insertion-sorted runs, then bottom-up merges ---- */

static void sort_run(sim_event *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (!ev_less(&a[i], &a[i - 1])) continue;
        sim_event x = a[i];
        size_t j = i;
        do {
            a[j] = a[j - 1];
            j--;
        } while (j > 0 && ev_less(&x, &a[j - 1]));
        a[j] = x;
    }
}

static void merge(const sim_event *a, size_t na, const sim_event *b, size_t nb, sim_event *out)
{
    while (na > 0 && nb > 0) {
        if (ev_less(b, a)) {
            *out++ = *b++;
            nb--;
        } else {
            *out++ = *a++;
            na--;
        }
    }
    if (na > 0) memcpy(out, a, na * sizeof *a);
    if (nb > 0) memcpy(out, b, nb * sizeof *b);
}

/* Sorts a[0, n) by (time, seq) using tmp (room for n); returns whichever
 * of a and tmp holds the result. */
static sim_event *sort_events(sim_event *a, sim_event *tmp, size_t n)
{
    for (size_t i = 0; i < n; i += SORT_RUN) sort_run(a + i, n - i < SORT_RUN ? n - i : SORT_RUN);
    sim_event *src = a, *dst = tmp;
    for (size_t w = SORT_RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = n - lo > w ? lo + w : n;
            size_t hi = n - mid > w ? mid + w : n;
            /* Runs already in order, common when a day's events were
             * scheduled in time order, are copied without comparing. */
            if (mid == hi || !ev_less(&src[mid], &src[mid - 1]))
                memcpy(dst + lo, src + lo, (hi - lo) * sizeof *src);
            else
                merge(src + lo, mid - lo, src + mid, hi - mid, dst + lo);
        }
        sim_event *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

/* Sorts a[0, n) using tmp (room for n); returns whichever holds the result.
 * The merge picks with a conditional move, as the keys come in no order. */
static uint64_t *sort_keys(uint64_t *a, uint64_t *tmp, size_t n)
{
    for (size_t lo = 0; lo < n; lo += SORT_RUN) {
        size_t hi = n - lo < SORT_RUN ? n : lo + SORT_RUN;
        for (size_t i = lo + 1; i < hi; i++) {
            uint64_t x = a[i];
            size_t j = i;
            while (j > lo && a[j - 1] > x) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
    }
    uint64_t *src = a, *dst = tmp;
    for (size_t w = SORT_RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = n - lo > w ? lo + w : n;
            size_t hi = n - mid > w ? mid + w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                uint64_t x = src[i], y = src[j];
                int take_y = y < x;
                dst[k++] = take_y ? y : x;
                j += (size_t)take_y;
                i += (size_t)!take_y;
            }
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

static int grow_array(void **a, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap) return 0;
    size_t want = *cap * 2 > n ? *cap * 2 : n;
    if (want > SIZE_MAX / size) return -1;
    void *p = realloc(*a, want * size);
    if (p == NULL) return -1;
    *a = p;
    *cap = want;
    return 0;
}

#define GROW(q, arr, cap, n) grow_array((void **)&(q)->arr, &(q)->cap, (n), sizeof *(q)->arr)

/* Keys for days >= 1: every time in [d, d + 1) has d's binary exponent e,
 * so its bit pattern less d's is below 2^(52 - e), and as unsigned integers
 * these differences order the times (they are the time past midnight in
 * units of the last place). Shifted up by 12 + e bits (at most 40) they
 * leave room for an index of 4,096 events on day 1, a million on day 256. */
static unsigned day_exponent(int64_t day)
{
    unsigned e = 0;
    while ((day >> e) > 1) e++;
    return e;
}

static uint64_t double_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* Sorts the keys a[0, n) (each `width` bits) into tmp, returning whichever
 * of a and tmp holds the result; NULL when out of memory. A counting sort on
 * the keys' top bits, n to 2n slices of the day, leaves each slice about one
 * event, which an insertion pass puts in order: O(n) for times spread over
 * the day. Times clustered within a slice would make that pass quadratic,
 * so past 4n moves it gives up for a merge sort. */
static uint64_t *distribute_keys(evq *q, uint64_t *a, uint64_t *tmp, size_t n, unsigned width)
{
    unsigned slice_bits = 0;
    while (((size_t)1 << slice_bits) < n) slice_bits++;
    size_t m = (size_t)1 << slice_bits;
    if (GROW(q, counts, counts_cap, m + 1) != 0) return NULL;
    uint32_t *count = q->counts;
    unsigned shift = width - slice_bits;
    memset(count, 0, (m + 1) * sizeof *count);
    for (size_t i = 0; i < n; i++) count[(a[i] >> shift) + 1]++;
    for (size_t s = 1; s <= m; s++) count[s] += count[s - 1];
    for (size_t i = 0; i < n; i++) tmp[count[a[i] >> shift]++] = a[i];

    size_t budget = 4 * n;
    for (size_t i = 1; i < n; i++) {
        uint64_t x = tmp[i];
        size_t j = i;
        while (j > 0 && tmp[j - 1] > x) {
            tmp[j] = tmp[j - 1];
            j--;
        }
        tmp[j] = x;
        if (i - j > budget) return sort_keys(tmp, a, n); /* still a permutation */
        budget -= i - j;
    }
    return tmp;
}

/* Orders today[0, n) through keys: (time, position) packed in one integer,
 * so sorting moves 8 bytes and compares once. Position stands for seq: a
 * bucket receives events of equal time in push order (each level is filled
 * from the one above before anything is pushed into it, the distant heap
 * handing them down in order), and the check after the sort falls back to
 * sorting the events themselves should that ever not hold. Returns -1 when
 * out of memory. */
static int order_today(evq *q, size_t n)
{
    unsigned e = day_exponent(q->day);
    unsigned bits = 12 + e < 40 ? 12 + e : 40;
    if (GROW(q, keys, keys_cap, n) != 0) return -1;
    if (q->day >= 1 && n <= ((size_t)1 << bits) && n < UINT32_MAX) {
        if (GROW(q, key_tmp, key_tmp_cap, n) != 0) return -1;
        unsigned width = 52 - e + bits; /* of the keys; e <= 52 as day <= MAX_DAY */
        uint64_t base = double_bits((double)q->day);
        for (size_t i = 0; i < n; i++)
            q->keys[i] = (double_bits(q->today[i].time) - base) << bits | i;
        uint64_t *sorted = q->keys;
        if (n > 1 && (sorted = distribute_keys(q, q->keys, q->key_tmp, n, width)) == NULL)
            return -1;
        if (sorted != q->keys) {
            uint64_t *t = q->keys;
            size_t cap = q->keys_cap;
            q->keys = q->key_tmp;
            q->keys_cap = q->key_tmp_cap;
            q->key_tmp = t;
            q->key_tmp_cap = cap;
        }
        uint64_t index = ((uint64_t)1 << bits) - 1;
        size_t i = 1;
        for (; i < n; i++) {
            if ((q->keys[i] ^ q->keys[i - 1]) <= index && /* equal times */
                q->today[q->keys[i - 1] & index].seq > q->today[q->keys[i] & index].seq)
                break;
        }
        if (i >= n) {
            q->key_index = index;
            return 0;
        }
    }
    /* Day 0 (its times span many exponents), a day too busy for the index
     * bits, or ties out of push order: sort the events themselves. */
    if (n > SORT_RUN && GROW(q, scratch, scratch_cap, n) != 0) return -1;
    if (sort_events(q->today, q->scratch, n) != q->today) {
        sim_event *t = q->today;
        size_t cap = q->today_cap;
        q->today = q->scratch;
        q->today_cap = q->scratch_cap;
        q->scratch = t;
        q->scratch_cap = cap;
    }
    for (size_t i = 0; i < n; i++) q->keys[i] = i;
    q->key_index = UINT64_MAX;
    return 0;
}

/* Moves today's bucket into `today`, ordered. Returns -1, with the queue
 * unchanged, when out of memory. */
EVQ_COLD static int today_sort(evq *q)
{
    ev_list *b = near_list(q, (double)q->day);
    size_t n = b->n;
    if (GROW(q, today, today_cap, n) != 0) return -1;
    size_t k = 0;
    for (const ev_chunk *c = b->head; c != NULL; c = c->next) {
        size_t in_chunk = chunk_count(b, c);
        memcpy(q->today + k, c->ev, in_chunk * sizeof(sim_event));
        k += in_chunk;
    }
    if (order_today(q, n) != 0) return -1;
    list_release(q, b);
    q->near_n -= n;
    q->today_n = n;
    q->today_next = 0;
    q->today_sorted = 1;
    return 0;
}

/* ---- the public functions ---- */

evq *evq_create(size_t horizon_days)
{
    size_t n = 64;
    while (n < horizon_days) {
        if (n > SIZE_MAX / 2 / sizeof(ev_list) || n >= ((size_t)1 << 40)) return NULL;
        n *= 2;
    }
    evq *q = calloc(1, sizeof *q);
    if (q == NULL) return NULL;
    q->nfar = n / BLOCK_DAYS;
    q->far = calloc(q->nfar, sizeof *q->far);
    if (q->far == NULL) {
        free(q);
        return NULL;
    }
    q->near_end = NEAR_DAYS;
    q->far_end = q->near_end + (double)q->nfar * BLOCK_DAYS;
    return q;
}

void evq_destroy(evq *q)
{
    if (q == NULL) return;
    for (ev_slab *s = q->slabs, *next; s != NULL; s = next) {
        next = s->next;
        free(s);
    }
    free(q->far);
    free(q->today);
    free(q->scratch);
    free(q->keys);
    free(q->key_tmp);
    free(q->counts);
    free(q->late.a);
    free(q->distant.a);
    free(q);
}

/* evq_push into a heap (today's late arrivals, the distant future). */
EVQ_COLD static int push_heap(evq *q, ev_heap *h, const sim_event *ev)
{
    if (heap_reserve_one(h) != 0) return -1;
    sim_event e = *ev;
    e.seq = q->next_seq++;
    heap_insert(h, &e);
    q->size++;
    return 0;
}

int evq_push(evq *q, const sim_event *ev)
{
    /* Day boundaries are whole numbers, so comparing the time itself with
     * them places it without a floor(); NaN fails the first test. */
    double t = ev->time;
    if (!(t >= (double)q->day) || t == INFINITY) return -1;
    sim_event *slot;
    if (t < q->near_end) {
        if (q->today_sorted && t < (double)q->day + 1.0) return push_heap(q, &q->late, ev);
        slot = list_slot(q, near_list(q, t));
        if (slot == NULL) return -1;
        q->near_n++;
    } else if (t < q->far_end) {
        slot = list_slot(q, far_list(q, t));
        if (slot == NULL) return -1;
        q->far_n++;
    } else {
        return push_heap(q, &q->distant, ev);
    }
    *slot = *ev;
    slot->seq = q->next_seq++;
    q->size++;
    return 0;
}

const sim_event *evq_peek_today(const evq *q, size_t ahead)
{
    if (!q->today_sorted || ahead >= q->today_n - q->today_next) return NULL;
    return &q->today[q->keys[q->today_next + ahead] & q->key_index];
}

int evq_pop_today(evq *q, sim_event *out)
{
    if (!q->today_sorted && today_sort(q) != 0) return -1;
    if (q->today_next < q->today_n) {
        const sim_event *a = &q->today[q->keys[q->today_next] & q->key_index];
        if (q->late.n == 0 || ev_less(a, &q->late.a[0])) {
            *out = *a;
            q->today_next++;
            q->size--;
            return 1;
        }
    } else if (q->late.n == 0) {
        return 0;
    }
    heap_remove_top(&q->late, out);
    q->size--;
    return 1;
}

static int today_pending(const evq *q)
{
    if (q->today_sorted) return q->today_next < q->today_n || q->late.n > 0;
    return q->near[(uint64_t)q->day & (NEAR_DAYS - 1)].n > 0;
}

/* Hands a far block down to the day buckets, giving each chunk back once
 * read: with BLOCK_DAYS + 2 chunks reserved this cannot run out (each day
 * bucket starts empty, so holds at most one chunk not yet full). */
static void far_to_near(evq *q, ev_list *f)
{
    for (ev_chunk *c = f->head, *next; c != NULL; c = next) {
        for (size_t i = 0, n = chunk_count(f, c); i < n; i++)
            (void)list_append(q, near_list(q, c->ev[i].time), &c->ev[i]);
        next = c->next;
        chunk_put(q, c);
    }
    q->near_n += f->n;
    q->far_n -= f->n;
    f->head = f->tail = NULL;
    f->n = 0;
}

int evq_advance(evq *q, int64_t day)
{
    if (day < q->day || day > MAX_DAY) return -1;
    if (day == q->day) return 0;
    if (today_pending(q)) return -1;
    /* Stepping one day skips only today, checked above. */
    if (day > q->day + 1 && q->size > 0 && evq_peek_time(q) < (double)day) return -1;

    int64_t block = day >> BLOCK_SHIFT;
    double near_end = ((double)block + 2) * BLOCK_DAYS;
    double far_end = near_end + (double)q->nfar * BLOCK_DAYS;
    /* The far blocks that become near: the new block and the next, those
     * of them the far level holds now (blocks in between are empty). */
    int64_t first = block > q->block + 2 ? block : q->block + 2;
    int64_t far_last = q->block + 1 + (int64_t)q->nfar;
    int64_t last = block + 1 < far_last ? block + 1 : far_last;
    size_t need = 0;
    for (int64_t k = first; k <= last; k++)
        if (q->far[(uint64_t)k & (q->nfar - 1)].n > 0) need += BLOCK_DAYS + 2;
    size_t moving = 0;
    if (q->distant.n > 0 && q->distant.a[0].time < far_end) {
        moving = heap_count_below(&q->distant, 0, far_end);
        /* A chunk per CHUNK_EVENTS events plus one not yet full per bucket
         * touched. */
        size_t buckets = NEAR_DAYS + q->nfar;
        need += moving / CHUNK_EVENTS + (moving < buckets ? moving : buckets) + 1;
    }
    if (need > 0 && pool_reserve(q, need) != 0) return -1;

    /* Nothing below can fail. */
    q->today_sorted = 0;
    q->today_n = q->today_next = 0;
    q->day = day;
    q->block = block;
    q->near_end = near_end;
    q->far_end = far_end;
    for (int64_t k = first; k <= last; k++) {
        ev_list *f = &q->far[(uint64_t)k & (q->nfar - 1)];
        if (f->n > 0) far_to_near(q, f);
    }
    if (moving > 0) {
        while (q->distant.n > 0 && q->distant.a[0].time < far_end) {
            sim_event e;
            heap_remove_top(&q->distant, &e);
            if (e.time < near_end) {
                (void)list_append(q, near_list(q, e.time), &e);
                q->near_n++;
            } else {
                (void)list_append(q, far_list(q, e.time), &e);
                q->far_n++;
            }
        }
        heap_trim(&q->distant);
    }
    return 0;
}

int64_t evq_current_day(const evq *q) { return q->day; }

size_t evq_size(const evq *q) { return q->size; }

double evq_peek_time(const evq *q)
{
    if (q->size == 0) return INFINITY;
    if (q->today_sorted) {
        double best = q->today_next < q->today_n
                          ? q->today[q->keys[q->today_next] & q->key_index].time
                          : INFINITY;
        if (q->late.n > 0 && q->late.a[0].time < best) best = q->late.a[0].time;
        if (best < INFINITY) return best;
    }
    /* The levels hold ever later days, and so does each level's order. */
    if (q->near_n > 0) {
        for (int64_t d = q->day; (double)d < q->near_end; d++) {
            const ev_list *b = &q->near[(uint64_t)d & (NEAR_DAYS - 1)];
            if (b->n > 0) return list_min_time(b);
        }
    }
    if (q->far_n > 0) {
        for (int64_t k = q->block + 2; k < q->block + 2 + (int64_t)q->nfar; k++) {
            const ev_list *f = &q->far[(uint64_t)k & (q->nfar - 1)];
            if (f->n > 0) return list_min_time(f);
        }
    }
    return q->distant.n > 0 ? q->distant.a[0].time : INFINITY;
}
