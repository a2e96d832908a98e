/* evq.h — the future-event list.
 *
 * Events are ordered by (time, insertion sequence), so ties resolve in the
 * order they were scheduled. Times are days since the start of the warm-up;
 * an event's day (tick) is floor(time).
 *
 * Layout: a calendar queue of day buckets. A ring of `window_days` buckets
 * covers the days from the current day on; each bucket is a small binary heap
 * ordered by (time, seq), so scheduling costs O(log k) in the k events of that
 * day, and a day costs O(its events). Events beyond the window wait in an
 * overflow binary heap and move into their bucket as the window reaches them.
 * Nothing is ever dropped: push fails loudly (returns -1) only for an event
 * before the current day or out of memory. */
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

/* Creates an empty queue whose current day is 0. window_days is rounded up
 * to a power of two (at least 64). Returns NULL when out of memory. */
evq *evq_create(size_t window_days);
void evq_destroy(evq *q);

/* Schedules ev (its seq is assigned here). Returns 0, or -1 when ev->time is
 * before the current day, is not finite, or memory runs out; the queue is
 * unchanged on failure. */
int evq_push(evq *q, const sim_event *ev);

/* Removes the earliest event whose day is the current day into *out and
 * returns 1; returns 0 when the current day has no more events (events pushed
 * for the current day while it is being drained are returned too). */
int evq_pop_today(evq *q, sim_event *out);

/* Moves the current day to `day` (>= the current day). Returns -1 if an event
 * would be skipped (a day before `day` still holds events), 0 otherwise. */
int evq_advance(evq *q, int64_t day);

int64_t evq_current_day(const evq *q);
size_t evq_size(const evq *q);

/* Earliest pending event's time, or +INFINITY when empty. */
double evq_peek_time(const evq *q);

#endif
