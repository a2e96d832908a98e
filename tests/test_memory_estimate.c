/* test_memory_estimate.c — the memory estimate of a run (memory_estimate.h):
 * its structure (linear in social dwellings, in replications for the kept
 * part, in threads for the working part; a model without the hook counts
 * 0; sizes saturate instead of wrapping) and, for one small scenario run in
 * this process, that it is at least the growth of the peak resident set.
 * No timing is asserted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <sys/resource.h>

#include "memory_estimate.h"
#include "run_files.h"
#include "test_support.h"

/* Repair teams enough that the voids never queue for long, so that every
 * part grows in proportion (a backlog would add a constant). */
static const char scenario_text[] =
    "start = \"2025-04-01\"; years = 2; warmup_years = 1;\n"
    "areas = (\n"
    "  { name = \"North\"; population = 60000; dwellings = 60000; social_dwellings = 40000;"
    "    deprivation = 0.8; neighbours = [\"South\"]; },\n"
    "  { name = \"South\"; population = 40000; dwellings = 40000; social_dwellings = 20000;"
    "    deprivation = 0.3; neighbours = [\"North\"]; } );\n"
    "housing = { repair_teams = 1000; };\n";

static void load(test_run *t, const char *const *overrides, size_t n)
{
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    test_run_load(t, scenario_text, models, n_models, overrides, n);
}

static memory_estimate estimate_with(const char *const *overrides, size_t n, unsigned reps,
                                     unsigned threads)
{
    test_run t;
    load(&t, overrides, n);
    memory_estimate e = memory_estimate_run(&t.cfg, reps, threads);
    test_run_free(&t);
    return e;
}

static void grows_linearly_in_social_dwellings(void **state)
{
    (void)state;
    const char *one[] = { "areas.North.social_dwellings=10000" };
    const char *two[] = { "areas.North.social_dwellings=20000" };
    const char *three[] = { "areas.North.social_dwellings=30000" };
    memory_estimate a = estimate_with(one, 1, 4, 2);
    memory_estimate b = estimate_with(two, 1, 4, 2);
    memory_estimate c = estimate_with(three, 1, 4, 2);
    double step1 = (double)b.working - (double)a.working;
    double step2 = (double)c.working - (double)b.working;
    /* Per dwelling: its fields (78 bytes) and its pending event (32). */
    assert_in_open_range_double(step1 / 10000, 100, 200);
    assert_true(fabs(step2 - step1) <= 4); /* rounding up to whole bytes */
    /* Relets are recorded, so the kept part grows too, in proportion. */
    double kept1 = (double)b.kept - (double)a.kept, kept2 = (double)c.kept - (double)b.kept;
    assert_true(kept1 > 0);
    assert_true(fabs(kept2 - kept1) <= 4);
    assert_true(c.total > b.total && b.total > a.total);
    assert_int_equal(a.fixed, c.fixed);
}

static void kept_grows_with_replications_working_with_threads(void **state)
{
    (void)state;
    memory_estimate e = estimate_with(NULL, 0, 10, 2);
    assert_int_equal(e.reps, 10);
    assert_int_equal(e.threads, 2);
    assert_int_equal(e.total, memory_estimate_total(&e, 10, 2));
    assert_true(e.working > 0 && e.kept > 0 && e.fixed > 0);

    /* Without streaming, replications add their kept and streamed parts
     * each, whatever the thread count. */
    assert_false(e.streaming);
    assert_true(e.streamed > 0);
    for (unsigned reps = 10; reps < 20; reps++) {
        assert_int_equal(memory_estimate_total(&e, reps + 1, 1) -
                             memory_estimate_total(&e, reps, 1),
                         e.kept + e.streamed);
    }
    /* Streaming (`run`): only 2 x threads replications hold their period
     * values, so a replication adds its kept part only, and a thread two
     * more streamed parts. */
    memory_estimate s = e;
    s.streaming = 1;
    for (unsigned reps = 10; reps < 20; reps++) {
        assert_int_equal(
            memory_estimate_total(&s, reps + 1, 2) - memory_estimate_total(&s, reps, 2), s.kept);
    }
    for (unsigned threads = 2; threads < 8; threads++) {
        assert_int_equal(memory_estimate_total(&s, 100, threads + 1) -
                             memory_estimate_total(&s, 100, threads),
                         s.working + s.reuse + 2 * s.streamed);
    }
    /* One thread writes each replication before it starts the next. */
    assert_int_equal(memory_estimate_total(&s, 3, 1),
                     s.fixed + s.working + s.reuse + 3 * s.kept + s.streamed);
    /* Formatting in the workers (`run`): the running hold their period
     * values, and the 2 x threads in flight their rows as text instead. */
    memory_estimate f = s;
    f.formats = 1;
    assert_true(f.formatted > f.streamed);
    for (unsigned reps = 10; reps < 20; reps++) {
        assert_int_equal(
            memory_estimate_total(&f, reps + 1, 2) - memory_estimate_total(&f, reps, 2), f.kept);
    }
    for (unsigned threads = 2; threads < 8; threads++) {
        assert_int_equal(memory_estimate_total(&f, 100, threads + 1) -
                             memory_estimate_total(&f, 100, threads),
                         f.working + f.reuse + f.streamed + 2 * f.formatted);
    }
    assert_int_equal(memory_estimate_total(&f, 3, 1),
                     f.fixed + f.working + f.reuse + 3 * f.kept + f.streamed + f.formatted);
    /* Threads add their working part each (and, since every thread runs
     * more than one of 100 replications, its reuse). */
    for (unsigned threads = 1; threads < 8; threads++) {
        assert_int_equal(memory_estimate_total(&e, 100, threads + 1) -
                             memory_estimate_total(&e, 100, threads),
                         e.working + e.reuse);
    }
    /* One replication per thread: no reuse. */
    assert_int_equal(memory_estimate_total(&e, 3, 3),
                     e.fixed + 3 * e.working + 3 * e.kept + 3 * e.streamed);
    /* A run uses no more threads than replications. */
    assert_int_equal(memory_estimate_total(&e, 2, 64), memory_estimate_total(&e, 2, 2));
    memory_estimate capped = estimate_with(NULL, 0, 2, 64);
    assert_int_equal(capped.threads, 2);
    /* 0 counts as 1. */
    assert_int_equal(memory_estimate_total(&e, 0, 0), memory_estimate_total(&e, 1, 1));

    /* A day period keeps a value per day, area and metric (at least the
     * 50 metrics of the models and the budget) where a year keeps three. */
    test_run t;
    load(&t, NULL, 0);
    t.cfg.period = PERIOD_YEAR;
    memory_estimate yearly = memory_estimate_run(&t.cfg, 10, 2);
    t.cfg.period = PERIOD_DAY;
    memory_estimate daily = memory_estimate_run(&t.cfg, 10, 2);
    test_run_free(&t);
    assert_true(daily.streamed - yearly.streamed > (731 - 3) * 3 * 50 * sizeof(double));
    assert_int_equal(daily.working, yearly.working);
}

static void max_threads_is_the_largest_that_fits(void **state)
{
    (void)state;
    memory_estimate e = estimate_with(NULL, 0, 12, 4);
    size_t at3 = memory_estimate_total(&e, 12, 3);
    assert_int_equal(memory_estimate_max_threads(&e, 12, at3), 3);
    assert_int_equal(memory_estimate_max_threads(&e, 12, at3 - 1), 2);
    assert_int_equal(memory_estimate_max_threads(&e, 12, memory_estimate_total(&e, 12, 1) - 1), 0);
    assert_int_equal(memory_estimate_max_threads(&e, 12, SIZE_MAX), 12);
    assert_int_equal(memory_estimate_max_threads(&e, 12, 0), 0);
}

/* ---- models with and without the hook ---- */

static model_memory fake;

static void fake_memory(const scenario *s, const place *p, model_memory *out)
{
    (void)s;
    (void)p;
    *out = fake;
}

static const model_def without_hook = { .name = "without_hook",
                                        .params = &model_no_params,
                                        .metrics = &model_no_metrics };
static const model_def with_hook = { .name = "with_hook",
                                     .params = &model_no_params,
                                     .metrics = &model_no_metrics,
                                     .memory = fake_memory };

/* The estimate of the registry's models plus `extra`. */
static memory_estimate estimate_plus(const model_def *extra)
{
    test_run t;
    load(&t, NULL, 0);
    size_t n;
    const model_def *const *registry = model_registry(&n);
    const model_def *models[16];
    assert_true(n < 16);
    for (size_t i = 0; i < n; i++) models[i] = registry[i];
    models[n] = extra;
    t.cfg.models = models;
    t.cfg.n_models = n + (extra != NULL);
    memory_estimate e = memory_estimate_run(&t.cfg, 4, 2);
    test_run_free(&t);
    return e;
}

static void a_model_without_the_hook_counts_zero(void **state)
{
    (void)state;
    memory_estimate base = estimate_plus(NULL);
    memory_estimate plus = estimate_plus(&without_hook);
    assert_memory_equal(&base, &plus, sizeof base);

    /* What a hook declares is added: its bytes as they are, its events
     * and values at least at their size. */
    fake = (model_memory){ .state_bytes = 1e6 };
    memory_estimate state_only = estimate_plus(&with_hook);
    assert_true(state_only.working >= base.working + 1000000 &&
                state_only.working <= base.working + 1000002);
    assert_int_equal(state_only.kept, base.kept);

    fake = (model_memory){ .pending_events = 1e5 };
    memory_estimate events = estimate_plus(&with_hook);
    assert_true(events.working + 1 >= base.working + 100000 * sizeof(sim_event));
    assert_int_equal(events.kept, base.kept);

    fake = (model_memory){ .event_values = 1e5, .median_values = 1e5 };
    memory_estimate values = estimate_plus(&with_hook);
    assert_int_equal(values.working, base.working);
    assert_true(values.kept + 1 >= base.kept + 100000 * sizeof(double));
    assert_true(values.pooled + 1 >= base.pooled + 100000 * sizeof(double)); /* rounding */

    /* Negative or NaN declarations count as nothing. */
    fake = (model_memory){ .state_bytes = -1e9, .pending_events = NAN };
    memory_estimate odd = estimate_plus(&with_hook);
    assert_memory_equal(&base, &odd, sizeof base);
}

static void huge_sizes_saturate(void **state)
{
    (void)state;
    fake = (model_memory){ .state_bytes = 1e30, .event_values = 1e30 };
    memory_estimate e = estimate_plus(&with_hook);
    assert_int_equal(e.working, SIZE_MAX);
    assert_int_equal(e.kept, SIZE_MAX);
    assert_int_equal(e.total, SIZE_MAX);
    assert_int_equal(memory_estimate_max_threads(&e, 4, SIZE_MAX - 1), 0);

    /* A real huge place: 10^8 social dwellings on one area is gigabytes a
     * thread (issue 7: about 9.5 GB measured), never a wrapped small figure. */
    const char *big[] = { "areas.North.social_dwellings=100000000",
                          "areas.North.dwellings=100000000" };
    memory_estimate h = estimate_with(big, 2, 1, 1);
    assert_true(h.working > (size_t)9e9);
    assert_true(h.total >= h.working);
}

/* ---- against the process's own peak ---- */

static size_t peak_resident_bytes(void)
{
    struct rusage u;
    assert_int_equal(getrusage(RUSAGE_SELF, &u), 0);
    return (size_t)u.ru_maxrss * 1024; /* kilobytes on Linux */
}

static void estimate_covers_a_run_in_this_process(void **state)
{
    (void)state;
    test_run t;
    load(&t, NULL, 0);
    memory_estimate e = memory_estimate_run(&t.cfg, 2, 1);
    size_t before = peak_resident_bytes();
    test_run_reps(&t, 2, 1, 1);
    size_t after = peak_resident_bytes();
    assert_true(test_run_value(&t, 0, "relets") > 1000);
    test_run_free(&t);
    size_t growth = after > before ? after - before : 0;
    size_t bound = memory_estimate_total(&e, 2, 1) - e.fixed;
    printf("# peak resident growth %.1f MB; estimate without the fixed part %.1f MB "
           "(total %.1f MB)\n",
           (double)growth / 1048576, (double)bound / 1048576, (double)e.total / 1048576);
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer's redzones, quarantine and shadow memory are not the
     * run's: the comparison holds for ordinary builds only. */
    (void)growth;
    (void)bound;
#else
    assert_true(growth > 4 * 1048576); /* the run was big enough to show */
    assert_true(growth <= bound);
#endif
}

/* The text of a replication's rows, as `run` formats them in its workers,
 * is within its estimate, for a run of months and one of days. */
static void formatted_rows_are_within_their_estimate(void **state)
{
    (void)state;
    period_kind periods[] = { PERIOD_MONTH, PERIOD_DAY };
    for (size_t k = 0; k < 2; k++) {
        test_run t;
        load(&t, NULL, 0);
        t.cfg.period = periods[k];
        t.cfg.on_result = run_files_sink; /* only read as set */
        t.cfg.on_format = run_files_format;
        memory_estimate e = memory_estimate_run(&t.cfg, 2, 1);
        t.cfg.on_result = NULL;
        t.cfg.on_format = NULL;
        test_run_reps(&t, 1, 1, 1);
        run_files rf = { .scenario = "test", .start_day = t.cfg.start_date };
        char err[256];
        assert_int_equal(run_files_format(&rf, &t.results[0], err, sizeof err), 0);
        size_t bytes = 0;
        for (size_t i = 0; i < t.results[0].n_formatted; i++)
            bytes += t.results[0].formatted[i].len;
        printf("# %s: %zu bytes of rows, estimated %zu\n", period_name(periods[k]), bytes,
               e.formatted);
        assert_true(e.formats);
        assert_true(bytes > 10000);
        assert_true(bytes <= e.formatted);
        test_run_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First, while the process's peak is still that of loading. */
        cmocka_unit_test(estimate_covers_a_run_in_this_process),
        cmocka_unit_test(grows_linearly_in_social_dwellings),
        cmocka_unit_test(kept_grows_with_replications_working_with_threads),
        cmocka_unit_test(max_threads_is_the_largest_that_fits),
        cmocka_unit_test(a_model_without_the_hook_counts_zero),
        cmocka_unit_test(huge_sizes_saturate),
        cmocka_unit_test(formatted_rows_are_within_their_estimate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
