/* test_evq.c — the calendar queue against a reference ordering.
 *
 * Random schedules (fixed GSL seeds) are pushed and drained day by day; the
 * popped sequence must equal a qsort by (time, push order) of everything
 * pushed. Events pushed while a day drains are never earlier than the event
 * just popped, so that global order is the one the queue must produce. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "evq.h"

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
    size_t window;
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
    double w = (double)h->window;
    if (u < 0.15) /* later the same day */
        return now + (day + 1 - now) * gsl_rng_uniform(h->rng);
    if (u < 0.35) /* quarter-day grid: many exact ties */
        return (double)(day + 1 + (int64_t)gsl_rng_uniform_int(h->rng, 20)) +
               0.25 * (double)gsl_rng_uniform_int(h->rng, 4);
    if (u < 0.45) /* the very start of a later day */
        return (double)(day + 1 + (int64_t)gsl_rng_uniform_int(h->rng, 3));
    if (u < 0.80) /* near future */
        return now + gsl_ran_exponential(h->rng, 5.0);
    if (u < 0.95) /* beyond the window: the overflow */
        return now + w + gsl_rng_uniform(h->rng) * 4 * w;
    return now + gsl_rng_uniform(h->rng) * 2 * w; /* straddling the window end */
}

static void harness_init(harness *h, size_t window, unsigned long seed)
{
    memset(h, 0, sizeof *h);
    h->q = evq_create(window);
    assert_non_null(h->q);
    h->rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(h->rng);
    gsl_rng_set(h->rng, seed);
    h->window = window < 64 ? 64 : window;
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

static void run_random_schedule(size_t window, unsigned long seed, size_t initial, size_t extra)
{
    harness h;
    harness_init(&h, window, seed);
    for (size_t i = 0; i < initial; i++)
        push_at(&h, random_time(&h, 0,
                                gsl_rng_uniform(h.rng) < 0.3 ? 0.0 : 0.5 * gsl_rng_uniform(h.rng)));
    drain(&h, extra);
    check_against_reference(&h);
    harness_free(&h);
}

static void test_reference_small_window(void **state)
{
    (void)state;
    for (unsigned long seed = 1; seed <= 20; seed++)
        run_random_schedule(1, seed, 500, 2000); /* rounds up to 64 days */
}

static void test_reference_larger_window(void **state)
{
    (void)state;
    for (unsigned long seed = 101; seed <= 110; seed++)
        run_random_schedule(1000, seed, 3000, 10000); /* 1024 days */
}

/* 200,000 initial events over 5,000 days with a 64-day window, so most go
 * through the overflow, plus 100,000 pushed while draining. */
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

    /* An event in the overflow (beyond the 64-day window). */
    sim_event far = { .time = 1000.25 };
    assert_int_equal(evq_push(q, &far), 0);
    assert_true(evq_peek_time(q) == 1000.25);
    assert_int_equal(evq_advance(q, 1001), -1);
    assert_int_equal(evq_advance(q, 100000), -1);
    assert_int_equal(evq_advance(q, 1000), 0);
    assert_int_equal(evq_pop_today(q, &out), 1);
    assert_true(out.time == 1000.25);

    /* An event in the ring, skipped by a jump longer than the window. */
    sim_event near = { .time = 1010.75 };
    assert_int_equal(evq_push(q, &near), 0);
    assert_int_equal(evq_advance(q, 5000), -1);
    assert_int_equal(evq_advance(q, 1011), -1);
    assert_int_equal(evq_current_day(q), 1000);
    assert_int_equal(evq_advance(q, 1010), 0);
    assert_int_equal(evq_pop_today(q, &out), 1);
    /* Empty: any jump is fine, and the ring still works afterwards. */
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

/* Exact ties, within and across the ring and the overflow: pushed order. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_small_window),
        cmocka_unit_test(test_reference_larger_window),
        cmocka_unit_test(test_reference_large),
        cmocka_unit_test(test_no_event_lost),
        cmocka_unit_test(test_reject_bad_times),
        cmocka_unit_test(test_advance_refusal),
        cmocka_unit_test(test_ties_keep_push_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
