/* evq.h — the future-event list.
 *
 * Events are ordered by (time, insertion sequence), so ties resolve in the
 * order they were scheduled. Times are days since the start of the warm-up;
 * an event's day (tick) is floor(time).
 *
 * Layout: a calendar queue in three levels, so that scheduling and popping
 * cost O(1) each (plus sorting a day once) whatever the number pending:
 *   - near: one unsorted bucket per day for the current 64-day block and
 *     the next (64 to 128 days ahead);
 *   - far: one unsorted bucket per 64-day block up to a horizon, moved into
 *     the day buckets when its block becomes the next;
 *   - distant: a binary heap of the events beyond the horizon, moved into the
 *     levels above as the horizon reaches them.
 * The current day's bucket is sorted once, at its first pop; events pushed
 * for the current day after that wait in a small heap merged into the pops.
 * Buckets are lists of fixed chunks from a pool that grows geometrically, so
 * no event allocates. Nothing is ever dropped: push fails loudly (returns -1)
 * only for an event before the current day or out of memory. */
#ifndef PLACESIM_EVQ_H
#define PLACESIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

/* 32 bytes. `model`, `kind`, `agent` and `tag` are the owner's to interpret;
 * `tag` lets an owner recognise an event it has since superseded. */
typedef struct sim_event {
    double time;
    uint64_t seq; /* set by evq_push */
    uint32_t agent;
    uint32_t tag;
    uint16_t model;
    uint16_t kind;
    uint32_t spare;
} sim_event;

typedef struct evq evq;

/* Creates an empty queue whose current day is 0. Events at least
 * horizon_days ahead (rounded up to a power of two, at least 64) wait in
 * the distant heap. Returns NULL when out of memory; evq_destroy frees. */
evq *evq_create(size_t horizon_days);
void evq_destroy(evq *q);

/* Schedules ev (its seq is assigned here). Returns 0, or -1 when ev->time is
 * before the current day, is not finite, or memory runs out; the queue is
 * unchanged on failure. */
int evq_push(evq *q, const sim_event *ev);

/* Removes the earliest event whose day is the current day into *out and
 * returns 1; returns 0 when the current day has no more events (events pushed
 * for the current day while it is being drained are returned too), and -1,
 * with the queue unchanged, when memory to sort the day runs out. */
int evq_pop_today(evq *q, sim_event *out);

/* The event `ahead` places after the next evq_pop_today would return, among
 * the current day's events already sorted; NULL when there is none (or the
 * day is not sorted yet). A look ahead only: events pushed for the current
 * day meanwhile may come first. */
const sim_event *evq_peek_today(const evq *q, size_t ahead);

/* Moves the current day to `day` (>= the current day). Returns 0, or -1 with
 * the queue unchanged if an event would be skipped (a day before `day` still
 * holds events) or memory runs out. */
int evq_advance(evq *q, int64_t day);

int64_t evq_current_day(const evq *q);
size_t evq_size(const evq *q);

/* Earliest pending event's time, or +INFINITY when empty. Not for hot loops:
 * it may scan a bucket. */
double evq_peek_time(const evq *q);

#endif
