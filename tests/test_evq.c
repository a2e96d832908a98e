/* test_evq.c — the calendar queue against reference orderings.
 *
 * Random schedules (fixed GSL seeds) are pushed and drained day by day; the
 * popped sequence must equal a qsort by (time, push order) of everything
 * pushed. Events pushed while a day drains are never earlier than the event
 * just popped, so that global order is the one the queue must produce.
 * Further tests compare every single operation with a sorted array
 * (including refusals and peeks), drive a million operations, and fail
 * allocations: this executable is linked with
 * -Wl,--wrap=malloc,calloc,realloc so that the queue's allocations can be
 * made to fail (the counters are the hook's only state, so global). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "evq.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

static int alloc_armed;          /* fail some allocations */
static unsigned long alloc_tick; /* allocations while armed */
static unsigned long alloc_fail_every;
static unsigned long alloc_failed;

static int alloc_should_fail(void)
{
    if (!alloc_armed || ++alloc_tick % alloc_fail_every != 0) return 0;
    alloc_failed++;
    return 1;
}

void *__wrap_malloc(size_t n) { return alloc_should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size)
{
    return alloc_should_fail() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n)
{
    return alloc_should_fail() ? NULL : __real_realloc(p, n);
}

typedef struct ev_vec {
    sim_event *a;
    size_t n, cap;
} ev_vec;

static void vec_append(ev_vec *v, const sim_event *e)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->a = realloc(v->a, v->cap * sizeof *v->a);
        assert_non_null(v->a);
    }
    v->a[v->n++] = *e;
}

/* In the reference, `agent` holds the push order. */
static int cmp_time_order(const void *x, const void *y)
{
    const sim_event *a = x, *b = y;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    return (a->agent > b->agent) - (a->agent < b->agent);
}

typedef struct harness {
    evq *q;
    gsl_rng *rng;
    ev_vec pushed, popped;
    size_t horizon;
} harness;

static void push_at(harness *h, double t)
{
    sim_event e = { .time = t,
                    .seq = 0xDEADBEEF, /* overwritten by the queue */
                    .agent = (uint32_t)h->pushed.n,
                    .tag = (uint32_t)gsl_rng_get(h->rng),
                    .model = (uint16_t)gsl_rng_uniform_int(h->rng, 5),
                    .kind = (uint16_t)gsl_rng_uniform_int(h->rng, 9),
                    .spare = 0 };
    size_t before = evq_size(h->q);
    assert_int_equal(evq_push(h->q, &e), 0);
    assert_int_equal(evq_size(h->q), before + 1);
    vec_append(&h->pushed, &e);
}

/* A time on or after `now` (within day `day`), of a random kind. */
static double random_time(harness *h, int64_t day, double now)
{
    double u = gsl_rng_uniform(h->rng);
    double w = (double)h->horizon;
    if (u < 0.15) /* later the same day */
        return now + (day + 1 - now) * gsl_rng_uniform(h->rng);
    if (u < 0.35) /* quarter-day grid: many exact ties */
        return (double)(day + 1 + (int64_t)gsl_rng_uniform_int(h->rng, 20)) +
               0.25 * (double)gsl_rng_uniform_int(h->rng, 4);
    if (u < 0.45) /* the very start of a later day */
        return (double)(day + 1 + (int64_t)gsl_rng_uniform_int(h->rng, 3));
    if (u < 0.80) /* near future */
        return now + gsl_ran_exponential(h->rng, 5.0);
    if (u < 0.95) /* beyond the horizon: the distant heap */
        return now + w + gsl_rng_uniform(h->rng) * 4 * w;
    return now + gsl_rng_uniform(h->rng) * 2 * w; /* straddling the horizon */
}

static void harness_init(harness *h, size_t horizon, unsigned long seed)
{
    memset(h, 0, sizeof *h);
    h->q = evq_create(horizon);
    assert_non_null(h->q);
    h->rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(h->rng);
    gsl_rng_set(h->rng, seed);
    h->horizon = horizon < 64 ? 64 : horizon;
}

static void harness_free(harness *h)
{
    evq_destroy(h->q);
    gsl_rng_free(h->rng);
    free(h->pushed.a);
    free(h->popped.a);
}

/* Drains the queue day by day, pushing more events while draining, and
 * checks every popped event belongs to the current day. */
static void drain(harness *h, size_t extra_budget)
{
    size_t extra = 0;
    while (evq_size(h->q) > 0) {
        int64_t day = evq_current_day(h->q);
        sim_event e;
        while (evq_pop_today(h->q, &e)) {
            assert_true(floor(e.time) == (double)day);
            vec_append(&h->popped, &e);
            assert_int_equal(h->pushed.n, h->popped.n + evq_size(h->q));
            if (extra < extra_budget) {
                double u = gsl_rng_uniform(h->rng);
                if (u < 0.10) { /* exact tie with the event just popped */
                    push_at(h, e.time);
                    extra++;
                } else if (u < 0.25) { /* later today */
                    double t = e.time + (day + 1 - e.time) * gsl_rng_uniform(h->rng);
                    push_at(h, t < (double)(day + 1) ? t : e.time);
                    extra++;
                } else if (u < 0.45) {
                    push_at(h, random_time(h, day, e.time));
                    extra++;
                }
            }
        }
        double next = evq_peek_time(h->q);
        if (isinf(next)) {
            assert_int_equal(evq_size(h->q), 0);
            break;
        }
        int64_t next_day = (int64_t)floor(next);
        assert_true(next_day > day);
        /* Jump to the next event's day, or step one day (even when empty). */
        int64_t to = gsl_rng_uniform(h->rng) < 0.5 ? next_day : day + 1;
        if (next_day > day + 1)
            assert_int_equal(evq_advance(h->q, next_day + 1), -1); /* would skip */
        assert_int_equal(evq_advance(h->q, to), 0);
        assert_int_equal(evq_current_day(h->q), to);
    }
}

static void check_against_reference(harness *h)
{
    assert_int_equal(h->pushed.n, h->popped.n);
    assert_int_equal(evq_size(h->q), 0);
    qsort(h->pushed.a, h->pushed.n, sizeof *h->pushed.a, cmp_time_order);
    uint64_t seq0 = h->popped.n ? h->popped.a[0].seq - h->popped.a[0].agent : 0;
    for (size_t i = 0; i < h->popped.n; i++) {
        const sim_event *want = &h->pushed.a[i], *got = &h->popped.a[i];
        if (got->time != want->time || got->agent != want->agent)
            fail_msg("pop %zu: (%.17g, #%u), expected (%.17g, #%u)", i, got->time, got->agent,
                     want->time, want->agent);
        assert_int_equal(got->tag, want->tag);
        assert_int_equal(got->model, want->model);
        assert_int_equal(got->kind, want->kind);
        /* seq rises by one per push, in push order. */
        assert_true(got->seq == seq0 + got->agent);
    }
}

static void run_random_schedule(size_t horizon, unsigned long seed, size_t initial, size_t extra)
{
    harness h;
    harness_init(&h, horizon, seed);
    for (size_t i = 0; i < initial; i++)
        push_at(&h, random_time(&h, 0,
                                gsl_rng_uniform(h.rng) < 0.3 ? 0.0 : 0.5 * gsl_rng_uniform(h.rng)));
    drain(&h, extra);
    check_against_reference(&h);
    harness_free(&h);
}

static void test_reference_small_horizon(void **state)
{
    (void)state;
    for (unsigned long seed = 1; seed <= 20; seed++)
        run_random_schedule(1, seed, 500, 2000); /* rounds up to 64 days */
}

static void test_reference_larger_horizon(void **state)
{
    (void)state;
    for (unsigned long seed = 101; seed <= 110; seed++)
        run_random_schedule(1000, seed, 3000, 10000); /* 1024 days */
}

/* 200,000 initial events over 5,000 days with a 64-day horizon, so most go
 * through every level, plus 100,000 pushed while draining. */
static void test_reference_large(void **state)
{
    (void)state;
    harness h;
    harness_init(&h, 64, 4242);
    for (size_t i = 0; i < 200000; i++) {
        double t = gsl_rng_uniform(h.rng) < 0.2 ? (double)gsl_rng_uniform_int(h.rng, 5000) +
                                                      0.5 * (double)gsl_rng_uniform_int(h.rng, 2)
                                                : 5000.0 * gsl_rng_uniform(h.rng);
        push_at(&h, t);
    }
    assert_int_equal(evq_size(h.q), 200000);
    drain(&h, 100000);
    check_against_reference(&h);
    harness_free(&h);
}

/* Day-by-day stepping over a long horizon: counts always balance. */
static void test_no_event_lost(void **state)
{
    (void)state;
    evq *q = evq_create(128);
    assert_non_null(q);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    size_t pushed = 0, popped = 0;
    for (int i = 0; i < 50000; i++) {
        sim_event e = { .time = 2000.0 * gsl_rng_uniform(rng) };
        assert_int_equal(evq_push(q, &e), 0);
        pushed++;
    }
    for (int64_t day = 0; day < 3000; day++) {
        if (day > 0) assert_int_equal(evq_advance(q, day), 0);
        sim_event e;
        while (evq_pop_today(q, &e)) {
            popped++;
            assert_true(floor(e.time) == (double)day);
            /* Each pop reschedules with probability 1/2 (a branching
             * process that dies out), sometimes far ahead. */
            if (day < 2500 && gsl_rng_uniform(rng) < 0.5) {
                sim_event f = { .time = e.time + gsl_ran_exponential(rng, 100.0) };
                assert_int_equal(evq_push(q, &f), 0);
                pushed++;
            }
            assert_int_equal(pushed, popped + evq_size(q));
        }
    }
    /* Anything still pending is beyond day 2999 and still counted. */
    assert_int_equal(pushed, popped + evq_size(q));
    assert_true(evq_size(q) == 0 || evq_peek_time(q) >= 3000.0);
    gsl_rng_free(rng);
    evq_destroy(q);
}

static void test_reject_bad_times(void **state)
{
    (void)state;
    evq *q = evq_create(64);
    assert_non_null(q);
    assert_true(isinf(evq_peek_time(q)));
    sim_event e = { .time = 5.5, .agent = 1 };
    assert_int_equal(evq_advance(q, 5), 0);
    assert_int_equal(evq_push(q, &e), 0);
    const double bad[] = {
        4.999999, -1.0, 0.0, NAN, -NAN, INFINITY, -INFINITY, nextafter(5.0, 0.0)
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_event b = { .time = bad[i], .agent = 99 };
        assert_int_equal(evq_push(q, &b), -1);
        assert_int_equal(evq_size(q), 1);
        assert_true(evq_peek_time(q) == 5.5);
    }
    /* The start of the current day is allowed; an event earlier in today
     * than one already popped is allowed too and comes out next. */
    sim_event f = { .time = 5.0, .agent = 2 };
    assert_int_equal(evq_push(q, &f), 0);
    sim_event out;
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_int_equal(out.agent, 2);
    uint64_t seq_f = out.seq;
    sim_event g = { .time = 5.25, .agent = 3 };
    assert_int_equal(evq_push(q, &g), 0);
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_int_equal(out.agent, 3);
    assert_true(out.seq == seq_f + 1); /* failed pushes took no sequence number */
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_int_equal(out.agent, 1);
    assert_int_equal(evq_pop_today(q, &out), 0);
    assert_int_equal(evq_size(q), 0);
    assert_true(isinf(evq_peek_time(q)));
    evq_destroy(q);
}

static void test_advance_refusal(void **state)
{
    (void)state;
    evq *q = evq_create(64);
    assert_non_null(q);
    sim_event out;
    sim_event a = { .time = 3.5 };
    assert_int_equal(evq_push(q, &a), 0);
    assert_int_equal(evq_advance(q, 4), -1); /* day 3 would be skipped */
    assert_int_equal(evq_current_day(q), 0);
    assert_int_equal(evq_advance(q, 3), 0);
    assert_int_equal(evq_advance(q, 3), 0);  /* no move */
    assert_int_equal(evq_advance(q, 2), -1); /* backwards */
    assert_int_equal(evq_advance(q, 4), -1); /* today still holds it */
    assert_int_equal(evq_current_day(q), 3);
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_int_equal(evq_advance(q, 4), 0);

    /* An event in the distant heap (beyond the 64-day horizon). */
    sim_event far = { .time = 1000.25 };
    assert_int_equal(evq_push(q, &far), 0);
    assert_true(evq_peek_time(q) == 1000.25);
    assert_int_equal(evq_advance(q, 1001), -1);
    assert_int_equal(evq_advance(q, 100000), -1);
    assert_int_equal(evq_advance(q, 1000), 0);
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_true(out.time == 1000.25);

    /* An event in the near level, skipped by a jump longer than the
     * horizon. */
    sim_event near = { .time = 1010.75 };
    assert_int_equal(evq_push(q, &near), 0);
    assert_int_equal(evq_advance(q, 5000), -1);
    assert_int_equal(evq_advance(q, 1011), -1);
    assert_int_equal(evq_current_day(q), 1000);
    assert_int_equal(evq_advance(q, 1010), 0);
    assert_int_equal(evq_pop_today(q, &out), 1);
    /* Empty: any jump is fine, and the levels still work afterwards. */
    assert_int_equal(evq_advance(q, 1000000), 0);
    sim_event later = { .time = 1000000.5 }, after = { .time = 1000070.0 };
    assert_int_equal(evq_push(q, &after), 0);
    assert_int_equal(evq_push(q, &later), 0);
    assert_true(evq_peek_time(q) == 1000000.5);
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_true(out.time == 1000000.5);
    assert_int_equal(evq_pop_today(q, &out), 0);
    assert_int_equal(evq_advance(q, 1000070), 0);
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_true(out.time == 1000070.0);
    assert_int_equal(evq_size(q), 0);
    evq_destroy(q);
}

/* Exact ties, within and across the levels: pushed order. */
static void test_ties_keep_push_order(void **state)
{
    (void)state;
    evq *q = evq_create(64);
    assert_non_null(q);
    for (uint32_t i = 0; i < 1000; i++) {
        sim_event e = { .time = i % 2 ? 100.5 : 7.25, .agent = i };
        assert_int_equal(evq_push(q, &e), 0);
    }
    sim_event out;
    assert_int_equal(evq_advance(q, 7), 0);
    for (uint32_t i = 0; i < 1000; i += 2) {
        assert_int_equal(evq_pop_today(q, &out), 1);
        assert_int_equal(out.agent, i);
    }
    assert_int_equal(evq_pop_today(q, &out), 0);
    assert_int_equal(evq_advance(q, 100), 0);
    for (uint32_t i = 1; i < 1000; i += 2) {
        assert_int_equal(evq_pop_today(q, &out), 1);
        assert_int_equal(out.agent, i);
    }
    assert_int_equal(evq_size(q), 0);
    evq_destroy(q);
}

/* A look ahead sees, among the day's sorted events, the ones the next pops
 * return, and nothing before the day is sorted or past its end. */
static void test_peek_ahead(void **state)
{
    (void)state;
    evq *q = evq_create(64);
    assert_non_null(q);
    for (uint32_t i = 0; i < 50; i++) {
        sim_event e = { .time = 3.0 + (double)((i * 37) % 50) / 50.0, .agent = i };
        assert_int_equal(evq_push(q, &e), 0);
    }
    assert_null(evq_peek_today(q, 0)); /* not sorted yet */
    assert_int_equal(evq_advance(q, 3), 0);
    sim_event out;
    assert_int_equal(evq_pop_today(q, &out), 1); /* sorts the day */
    for (size_t popped = 1; popped < 50; popped++) {
        const sim_event *ahead[4];
        for (size_t k = 0; k < 4; k++) ahead[k] = evq_peek_today(q, k);
        for (size_t k = 0; k < 4; k++) {
            if (popped + k < 50) {
                assert_non_null(ahead[k]);
            } else {
                assert_null(ahead[k]);
            }
        }
        uint32_t want = ahead[0]->agent;
        double want_time = ahead[0]->time;
        assert_int_equal(evq_pop_today(q, &out), 1);
        assert_int_equal(out.agent, want);
        assert_true(out.time == want_time);
    }
    assert_null(evq_peek_today(q, 0));
    assert_int_equal(evq_pop_today(q, &out), 0);
    evq_destroy(q);
}

/* ---- every operation against a sorted array ---- */

/* The reference: pending events sorted by (time, push order) in a[head, n);
 * a new event goes after every one of equal time, as its seq is the
 * largest. */
typedef struct ref_list {
    sim_event *a;
    size_t head, n, cap;
} ref_list;

static void ref_insert(ref_list *r, const sim_event *e)
{
    if (r->head > 0 && r->head == r->n) r->head = r->n = 0;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->a = realloc(r->a, r->cap * sizeof *r->a);
        assert_non_null(r->a);
    }
    size_t lo = r->head, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->a[mid].time <= e->time)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(r->a + lo + 1, r->a + lo, (r->n - lo) * sizeof *r->a);
    r->a[lo] = *e;
    r->n++;
}

static size_t ref_size(const ref_list *r) { return r->n - r->head; }

typedef struct online {
    evq *q;
    gsl_rng *rng;
    ref_list ref;
    uint32_t pushed;
    double now;  /* the last popped time, or the current day's start */
    double span; /* how far ahead the far events go */
    int oom;     /* fail allocations while the queue runs */
    unsigned long retries;
} online;

/* Each queue call, with allocations failing now and then when o->oom: a
 * call that fails for memory must leave the queue as it was (the
 * reference checks all that follows), and is then repeated. */
static void arm_queue(const online *o)
{
    if (!o->oom) return;
    alloc_tick = 0;
    alloc_armed = 1;
}

static void disarm_queue(void) { alloc_armed = 0; }

static int online_push_time(online *o, double t)
{
    sim_event e = { .time = t,
                    .seq = 0,
                    .agent = o->pushed,
                    .tag = (uint32_t)gsl_rng_get(o->rng),
                    .model = (uint16_t)gsl_rng_uniform_int(o->rng, 7),
                    .kind = (uint16_t)gsl_rng_uniform_int(o->rng, 11),
                    .spare = o->pushed * 3u };
    int valid = isfinite(t) && floor(t) >= (double)evq_current_day(o->q);
    size_t before = evq_size(o->q);
    arm_queue(o);
    int rc = evq_push(o->q, &e);
    disarm_queue();
    if (rc != 0 && valid && o->oom) {
        assert_int_equal(evq_size(o->q), before);
        o->retries++;
        rc = evq_push(o->q, &e);
    }
    assert_int_equal(rc, valid ? 0 : -1);
    if (!valid) {
        assert_int_equal(evq_size(o->q), before);
        return -1;
    }
    e.seq = o->pushed++;
    ref_insert(&o->ref, &e);
    assert_int_equal(evq_size(o->q), ref_size(&o->ref));
    return 0;
}

/* A time of one of the kinds the levels treat differently. */
static double online_time(online *o)
{
    double day = (double)evq_current_day(o->q);
    double u = gsl_rng_uniform(o->rng);
    if (u < 0.10) return o->now; /* for now: a tie with the last pop */
    if (u < 0.20) return o->now + (day + 1 - o->now) * gsl_rng_uniform(o->rng);
    if (u < 0.25) return day + (o->now - day) * gsl_rng_uniform(o->rng); /* before the last pop */
    if (u < 0.40) /* a grid of exact ties over the coming days */
        return day + (double)gsl_rng_uniform_int(o->rng, 6) +
               0.125 * (double)gsl_rng_uniform_int(o->rng, 8);
    if (u < 0.65) return o->now + gsl_ran_exponential(o->rng, 10.0);
    if (u < 0.85) return o->now + o->span * gsl_rng_uniform(o->rng); /* far */
    if (u < 0.95) /* block boundaries of the levels */
        return 64.0 * (floor(day / 64.0) + 1 + (double)gsl_rng_uniform_int(o->rng, 40)) -
               0.5 * (double)gsl_rng_uniform_int(o->rng, 2);
    if (u < 0.98) return o->now + 1e6 * gsl_rng_uniform(o->rng); /* distant */
    const double never[] = { 1e15, 1e300, DBL_MAX, 4.5e15 };
    return never[gsl_rng_uniform_int(o->rng, 4)];
}

static void online_pop(online *o)
{
    int64_t day = evq_current_day(o->q);
    int want = ref_size(&o->ref) > 0 && floor(o->ref.a[o->ref.head].time) == (double)day;
    sim_event got;
    arm_queue(o);
    int rc = evq_pop_today(o->q, &got);
    disarm_queue();
    if (rc < 0 && o->oom) {
        assert_int_equal(evq_size(o->q), ref_size(&o->ref));
        o->retries++;
        rc = evq_pop_today(o->q, &got);
    }
    assert_int_equal(rc, want);
    if (!want) return;
    const sim_event *exp = &o->ref.a[o->ref.head++];
    if (got.time != exp->time || got.agent != exp->agent)
        fail_msg("popped (%.17g, #%u), expected (%.17g, #%u)", got.time, got.agent, exp->time,
                 exp->agent);
    assert_int_equal(got.tag, exp->tag);
    assert_int_equal(got.model, exp->model);
    assert_int_equal(got.kind, exp->kind);
    assert_int_equal(got.spare, exp->spare);
    o->now = got.time;
    assert_int_equal(evq_size(o->q), ref_size(&o->ref));
}

static void online_advance(online *o)
{
    int64_t day = evq_current_day(o->q);
    double first = ref_size(&o->ref) > 0 ? o->ref.a[o->ref.head].time : INFINITY;
    assert_true(evq_peek_time(o->q) == first);
    int64_t to;
    double u = gsl_rng_uniform(o->rng);
    if (u < 0.6)
        to = day + 1;
    else if (u < 0.8 && first < 1e9)
        to = (int64_t)floor(first) + (gsl_rng_uniform(o->rng) < 0.8 ? 0 : 1);
    else if (u < 0.95)
        to = day + (int64_t)gsl_rng_uniform_int(o->rng, 300);
    else
        to = day - 1 - (int64_t)gsl_rng_uniform_int(o->rng, 3);
    int want = to < day || (double)to > floor(first) ? -1 : 0;
    arm_queue(o);
    int rc = evq_advance(o->q, to);
    disarm_queue();
    if (rc != 0 && want == 0 && o->oom) {
        assert_int_equal(evq_current_day(o->q), day);
        assert_true(evq_peek_time(o->q) == first);
        o->retries++;
        rc = evq_advance(o->q, to);
    }
    assert_int_equal(rc, want);
    assert_int_equal(evq_current_day(o->q), want == 0 ? to : day);
    if (want == 0 && to > day) o->now = (double)to;
    assert_int_equal(evq_size(o->q), ref_size(&o->ref));
}

static void run_online(size_t horizon, unsigned long seed, double span, size_t ops, int oom)
{
    online o;
    memset(&o, 0, sizeof o);
    o.q = evq_create(horizon);
    assert_non_null(o.q);
    o.rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(o.rng);
    gsl_rng_set(o.rng, seed);
    o.span = span;
    o.oom = oom;
    alloc_fail_every = 3;
    for (size_t i = 0; i < ops; i++) {
        double u = gsl_rng_uniform(o.rng);
        /* Pushes outnumber pops while few are pending, then balance. */
        double push_share = ref_size(&o.ref) < 2000 ? 0.55 : 0.4;
        if (u < 0.01)
            (void)online_push_time(&o, gsl_rng_uniform(o.rng) < 0.5 ? NAN : o.now - 1.5);
        else if (u < push_share)
            (void)online_push_time(&o, online_time(&o));
        else if (u < 0.93)
            online_pop(&o);
        else
            online_advance(&o);
    }
    if (oom) assert_true(o.retries > 0);
    evq_destroy(o.q); /* with events pending in every level */
    gsl_rng_free(o.rng);
    free(o.ref.a);
}

static void test_online_reference(void **state)
{
    (void)state;
    for (unsigned long seed = 1; seed <= 6; seed++) {
        run_online(64, seed, 500.0, 40000, 0); /* a far level of one block */
        run_online(1024, seed + 50, 3000.0, 40000, 0);
        run_online(65536, seed + 100, 20000.0, 40000, 0); /* the engine's horizon */
    }
}

/* Allocations fail every third time the queue asks while it runs: each
 * refused call leaves it as it was. */
static void test_allocation_failures(void **state)
{
    (void)state;
    for (unsigned long seed = 11; seed <= 14; seed++) {
        run_online(64, seed, 500.0, 30000, 1);
        run_online(65536, seed, 20000.0, 30000, 1);
    }
    evq *q = NULL;
    alloc_tick = 0;
    alloc_fail_every = 1;
    alloc_armed = 1;
    q = evq_create(64);
    alloc_armed = 0;
    assert_null(q);
    alloc_tick = 0;
    alloc_fail_every = 2; /* the queue itself, then not its far level */
    alloc_armed = 1;
    q = evq_create(64);
    alloc_armed = 0;
    assert_null(q);
}

/* One day's events sorted whichever way the day is ordered: spread over the
 * day, all tied, clustered within a hair of each other (the distribution
 * pass gives up), on day 0 (keys need a day >= 1), and more on one day than
 * the keys' index bits hold on day 1 (4,096). */
static void check_one_day(int64_t day, size_t n, int shape, unsigned long seed)
{
    evq *q = evq_create(64);
    assert_non_null(q);
    assert_int_equal(evq_advance(q, day), 0);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    sim_event *all = malloc(n * sizeof *all);
    assert_non_null(all);
    for (size_t i = 0; i < n; i++) {
        double f = shape == 0   ? gsl_rng_uniform(rng)
                   : shape == 1 ? 0.5
                   : shape == 2 ? 0.25 + 1e-9 * gsl_rng_uniform(rng)
                                : 0.125 * (double)gsl_rng_uniform_int(rng, 8);
        all[i] = (sim_event){ .time = (double)day + f, .agent = (uint32_t)i };
        assert_int_equal(evq_push(q, &all[i]), 0);
    }
    qsort(all, n, sizeof *all, cmp_time_order);
    sim_event got;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(evq_pop_today(q, &got), 1);
        if (got.time != all[i].time || got.agent != all[i].agent)
            fail_msg("day %lld, shape %d, pop %zu: (%.17g, #%u), expected (%.17g, #%u)",
                     (long long)day, shape, i, got.time, got.agent, all[i].time, all[i].agent);
    }
    assert_int_equal(evq_pop_today(q, &got), 0);
    free(all);
    gsl_rng_free(rng);
    evq_destroy(q);
}

static void test_sorting_a_day(void **state)
{
    (void)state;
    const int64_t days[] = { 0, 1, 2, 3, 63, 64, 127, 128, 1000, 4747, (int64_t)1 << 40 };
    const size_t sizes[] = { 1, 2, 15, 16, 17, 100, 3000 };
    for (size_t d = 0; d < sizeof days / sizeof days[0]; d++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            for (int shape = 0; shape < 4; shape++)
                check_one_day(days[d], sizes[s], shape, (unsigned long)(d * 100 + s * 10 + shape));
    for (int shape = 0; shape < 4; shape++) check_one_day(1, 10000, shape, 99);
    check_one_day(2, 40000, 0, 98);
}

/* A million operations around 30,000 pending events (the borough's), with
 * ties, far and distant events: the pops never go back in (time, seq) and
 * every event comes out once. Pushes are never before the last pop, so this
 * order is the one the queue must produce. */
static void test_million_operations(void **state)
{
    (void)state;
    evq *q = evq_create(65536);
    assert_non_null(q);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 2024);
    enum { MAX_EVENTS = 1100000 };
    unsigned char *seen = calloc(MAX_EVENTS, 1);
    assert_non_null(seen);
    uint32_t pushed = 0;
    size_t popped = 0, ops = 0;
    double last_time = 0;
    uint64_t last_seq = 0;
    double now = 0;
    while (pushed < 30000) {
        sim_event e = { .time = gsl_rng_uniform(rng) < 0.9 ? 2000.0 * gsl_rng_uniform(rng)
                                                           : 1e7 * gsl_rng_uniform(rng),
                        .agent = pushed++ };
        assert_int_equal(evq_push(q, &e), 0);
        ops++;
    }
    while (ops < 1000000) {
        sim_event e;
        int rc = evq_pop_today(q, &e);
        ops++;
        if (rc == 0) {
            assert_int_equal(evq_advance(q, evq_current_day(q) + 1), 0);
            now = (double)evq_current_day(q);
            continue;
        }
        assert_int_equal(rc, 1);
        if (popped > 0)
            assert_true(e.time > last_time || (e.time == last_time && e.seq > last_seq));
        last_time = e.time;
        last_seq = e.seq;
        now = e.time;
        assert_true(e.agent < pushed && !seen[e.agent]);
        seen[e.agent] = 1;
        popped++;
        /* Replace it, sometimes twice, sometimes not. */
        int more = gsl_rng_uniform(rng) < 0.5 ? 1 : gsl_rng_uniform(rng) < 0.5 ? 0 : 2;
        for (int k = 0; k < more && pushed < MAX_EVENTS; k++) {
            double u = gsl_rng_uniform(rng);
            double t = u < 0.1    ? now
                       : u < 0.3  ? now + gsl_ran_exponential(rng, 0.5)
                       : u < 0.8  ? now + gsl_ran_exponential(rng, 60.0)
                       : u < 0.97 ? now + 3000.0 * gsl_rng_uniform(rng)
                                  : now + 1e6 * gsl_rng_uniform(rng);
            sim_event f = { .time = t, .agent = pushed++ };
            assert_int_equal(evq_push(q, &f), 0);
            ops++;
        }
    }
    assert_int_equal(pushed, popped + evq_size(q));
    assert_true(evq_peek_time(q) >= now);
    free(seen);
    gsl_rng_free(rng);
    evq_destroy(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_small_horizon),
        cmocka_unit_test(test_reference_larger_horizon),
        cmocka_unit_test(test_reference_large),
        cmocka_unit_test(test_no_event_lost),
        cmocka_unit_test(test_reject_bad_times),
        cmocka_unit_test(test_advance_refusal),
        cmocka_unit_test(test_ties_keep_push_order),
        cmocka_unit_test(test_peek_ahead),
        cmocka_unit_test(test_online_reference),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_sorting_a_day),
        cmocka_unit_test(test_million_operations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
