/* test_rng.c — Philox-4x32-10 streams: known answers, stream layout,
 * reproducibility, seeking, exhaustion and basic statistical sanity.
 * All seeds are fixed, so every statistical check is deterministic; the
 * tolerances are chosen so a correct generator fails each with probability
 * below about 1e-4 over the choice of seed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "rng.h"
#include "test_assert.h"

static const uint64_t SEED = UINT64_C(0x0123456789ABCDEF);

/* Random123's kat_vectors for philox4x32_10. */
static void test_known_answers(void **state)
{
    (void)state;
    static const struct {
        uint32_t ctr[4], key[2], out[4];
    } kat[] = {
        { { 0, 0, 0, 0 }, { 0, 0 }, { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
        { { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
          { 0xffffffff, 0xffffffff },
          { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
        { { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 },
          { 0xa4093822, 0x299f31d0 },
          { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
    };
    for (size_t i = 0; i < sizeof kat / sizeof kat[0]; i++) {
        uint32_t out[4];
        rng_philox4x32_10(kat[i].ctr, kat[i].key, out);
        for (int j = 0; j < 4; j++) assert_int_equal(out[j], kat[i].out[j]);
    }
}

/* The stream's outputs are the Philox blocks of the documented counter. */
static void test_stream_layout(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_stream_type);
    assert_non_null(r);
    stream_id id = {
        .model = 0x1234, .purpose = 0x5678, .agent = 0x9ABCDEF0u, .ordinal = 0x0FEDCBA9u
    };
    rng_stream_seek(r, SEED, id, 0);
    const uint32_t key[2] = { 0x89ABCDEFu, 0x01234567u };
    for (uint32_t block = 0; block < 3; block++) {
        uint32_t ctr[4] = { block, 0x0FEDCBA9u, 0x9ABCDEF0u, 0x12345678u }, out[4];
        rng_philox4x32_10(ctr, key, out);
        for (int j = 0; j < 4; j++) assert_int_equal(gsl_rng_get(r), out[j]);
    }
    /* The last block of the stream, read just before the end. */
    rng_stream_seek(r, SEED, id, (UINT64_C(1) << 34) - 4);
    uint32_t ctr[4] = { 0xFFFFFFFFu, 0x0FEDCBA9u, 0x9ABCDEF0u, 0x12345678u }, out[4];
    rng_philox4x32_10(ctr, key, out);
    for (int j = 0; j < 4; j++) assert_int_equal(gsl_rng_get(r), out[j]);
    assert_false(rng_stream_exhausted(r));
    gsl_rng_free(r);
}

static void test_type_properties(void **state)
{
    (void)state;
    assert_string_equal(rng_stream_type->name, "placesim_philox4x32");
    gsl_rng *r = gsl_rng_alloc(rng_stream_type);
    gsl_rng *s = gsl_rng_alloc(rng_stream_type);
    assert_non_null(r);
    assert_non_null(s);
    assert_string_equal(gsl_rng_name(r), "placesim_philox4x32");
    assert_int_equal(gsl_rng_max(r), 0xFFFFFFFFUL);
    assert_int_equal(gsl_rng_min(r), 0);

    /* After alloc: key 0, stream (0,0,0,0), position 0 (gsl_rng_default_seed
     * is 0 since the tests never call gsl_rng_env_setup). */
    stream_id zero = { 0, 0, 0, 0 };
    rng_stream_seek(s, 0, zero, 0);
    assert_int_equal(rng_stream_tell(r), 0);
    for (int i = 0; i < 10; i++) assert_int_equal(gsl_rng_get(r), gsl_rng_get(s));

    /* gsl_rng_set keys by the low 32 bits of the seed. */
    unsigned long big = (unsigned long)0x12345678UL;
#if ULONG_MAX > 0xFFFFFFFFUL
    big |= 0xABCDEF00UL << 32;
#endif
    gsl_rng_set(r, big);
    rng_stream_seek(s, 0x12345678u, zero, 0);
    assert_int_equal(rng_stream_tell(r), 0);
    for (int i = 0; i < 10; i++) assert_int_equal(gsl_rng_get(r), gsl_rng_get(s));

    /* A clone continues the same sequence. */
    gsl_rng *c = gsl_rng_clone(r);
    assert_non_null(c);
    assert_int_equal(rng_stream_tell(c), rng_stream_tell(r));
    for (int i = 0; i < 10; i++) assert_int_equal(gsl_rng_get(r), gsl_rng_get(c));
    gsl_rng_free(c);
    gsl_rng_free(r);
    gsl_rng_free(s);
}

static void test_reproducible_and_seek(void **state)
{
    (void)state;
    gsl_rng *a = gsl_rng_alloc(rng_stream_type);
    gsl_rng *b = gsl_rng_alloc(rng_stream_type);
    stream_id id = { .model = 3, .purpose = 7, .agent = 123456, .ordinal = 9 };
    rng_stream_seek(a, SEED, id, 0);
    rng_stream_seek(b, SEED, id, 0);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
        assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b));
    }
    assert_int_equal(rng_stream_tell(a), 2000);

    /* Seeking to k equals drawing k then continuing, at every offset in a
     * block and across block boundaries. */
    static const uint64_t ks[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65, 1001, 4096 };
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        rng_stream_seek(a, SEED, id, 0);
        for (uint64_t j = 0; j < ks[i]; j++) (void)gsl_rng_get(a);
        rng_stream_seek(b, SEED, id, ks[i]);
        assert_int_equal(rng_stream_tell(a), ks[i]);
        assert_int_equal(rng_stream_tell(b), ks[i]);
        for (int j = 0; j < 37; j++) assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
        assert_int_equal(rng_stream_tell(a), ks[i] + 37);
    }
    /* Reseeking back reproduces a sequence already read. */
    rng_stream_seek(a, SEED, id, 10);
    unsigned long first[20];
    for (int j = 0; j < 20; j++) first[j] = gsl_rng_get(a);
    rng_stream_seek(a, SEED, id, 10);
    for (int j = 0; j < 20; j++) assert_int_equal(gsl_rng_get(a), first[j]);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_get_double(void **state)
{
    (void)state;
    gsl_rng *a = gsl_rng_alloc(rng_stream_type);
    gsl_rng *b = gsl_rng_alloc(rng_stream_type);
    stream_id id = { .model = 1, .purpose = 2, .agent = 3, .ordinal = 4 };
    rng_stream_seek(a, SEED, id, 1); /* crosses block boundaries below */
    rng_stream_seek(b, SEED, id, 1);
    for (int i = 0; i < 1000; i++) {
        double u = gsl_rng_uniform(a);
        uint32_t x = (uint32_t)gsl_rng_get(b);
        assert_true(u == (double)x / 4294967296.0);
        assert_true(u >= 0.0 && u < 1.0);
    }
    assert_int_equal(rng_stream_tell(a), 1001);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* A block read directly is the stream's outputs 4b … 4b+3, as a seek reads
 * them; and the open-interval uniform stays strictly inside (0, 1). */
static void test_stream_block(void **state)
{
    (void)state;
    gsl_rng *a = gsl_rng_alloc(rng_stream_type);
    stream_id id = { .model = 5, .purpose = 6, .agent = 77, .ordinal = 8 };
    static const uint32_t blocks[] = { 0, 1, 2, 1000, 4294967295u };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        uint32_t out[4];
        rng_stream_block(SEED, id, blocks[i], out);
        rng_stream_seek(a, SEED, id, 4 * (uint64_t)blocks[i]);
        for (int j = 0; j < 4; j++) assert_int_equal(out[j], (uint32_t)gsl_rng_get(a));
    }
    assert_true(rng_open_unit_from_u32(0) > 0.0);
    assert_true(rng_open_unit_from_u32(UINT32_MAX) < 1.0);
    assert_true(rng_open_unit_from_u32(2147483648u) > 0.5);
    gsl_rng_free(a);
}

static void first_outputs(gsl_rng *r, uint64_t seed, stream_id id, uint32_t out[8])
{
    rng_stream_seek(r, seed, id, 0);
    for (int i = 0; i < 8; i++) out[i] = (uint32_t)gsl_rng_get(r);
}

/* Changing any one field of the key or the stream id changes the stream. */
static void test_distinct_streams(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_stream_type);
    const stream_id base = { .model = 5, .purpose = 6, .agent = 1000, .ordinal = 20 };
    enum { NV = 11 };
    uint32_t out[NV][8];
    stream_id v[NV];
    uint64_t seeds[NV];
    for (int i = 0; i < NV; i++) {
        v[i] = base;
        seeds[i] = SEED;
    }
    v[1].model++;
    v[2].purpose++;
    v[3].agent++;
    v[4].ordinal++;
    seeds[5] ^= 1;                    /* low key word */
    seeds[6] ^= UINT64_C(1) << 32;    /* high key word */
    v[7].model = 6, v[7].purpose = 5; /* swapped fields */
    v[8].agent = 20, v[8].ordinal = 1000;
    v[9].purpose = (uint16_t)(base.purpose + 1), v[9].model = (uint16_t)(base.model - 1);
    seeds[10] = SEED + 1;
    for (int i = 0; i < NV; i++) first_outputs(r, seeds[i], v[i], out[i]);
    for (int i = 0; i < NV; i++)
        for (int j = i + 1; j < NV; j++)
            if (memcmp(out[i], out[j], sizeof out[i]) == 0)
                fail_msg("variants %d and %d give the same stream", i, j);
    gsl_rng_free(r);
}

static void test_exhaustion(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_stream_type);
    stream_id id = { .model = 1, .purpose = 1, .agent = 1, .ordinal = 1 };
    const uint64_t end = UINT64_C(1) << 34;
    rng_stream_seek(r, SEED, id, end - 3);
    for (int i = 0; i < 3; i++) (void)gsl_rng_get(r);
    assert_int_equal(rng_stream_tell(r), end);
    assert_false(rng_stream_exhausted(r));
    unsigned long past = gsl_rng_get(r);
    assert_true(rng_stream_exhausted(r));
    assert_int_equal(rng_stream_tell(r), end + 1);
    /* Never wrapped onto the stream's start. */
    rng_stream_seek(r, SEED, id, 0);
    assert_false(rng_stream_exhausted(r));
    assert_int_not_equal(gsl_rng_get(r), past);
    /* Past the end the draws still vary, so samplers that reject terminate. */
    rng_stream_seek(r, SEED, id, end);
    double sum = 0;
    for (int i = 0; i < 1000; i++) sum += gsl_rng_uniform_pos(r);
    assert_true(sum > 0);
    assert_true(rng_stream_exhausted(r));
    gsl_rng_free(r);
}

/* 1e6 uniforms in [0, 1); exponential mean 2.0 within 4 standard errors
 * (sd of the mean = 2/sqrt(1e6) = 0.002, tolerance 0.008: a correct generator
 * fails with probability 6e-5). */
static void test_uniform_and_distributions(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_stream_type);
    stream_id id = { .model = 2, .purpose = 1, .agent = 42, .ordinal = 0 };
    rng_stream_seek(r, SEED, id, 0);
    const int n = 1000000;
    double lo = 1, hi = 0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        if (!(u >= 0.0 && u < 1.0)) fail_msg("uniform %.17g out of [0,1)", u);
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
    }
    assert_true(lo < 1e-5 && hi > 1 - 1e-5);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += gsl_ran_exponential(r, 2.0);
    double mean = sum / n;
    double se = 2.0 / sqrt((double)n);
    if (fabs(mean - 2.0) > 4 * se)
        fail_msg("exponential mean %.6f, expected 2 +- %.6f", mean, 4 * se);
    /* A couple more distributions, only for sanity of the plumbing. */
    unsigned long k = 0;
    for (int i = 0; i < 1000; i++) k += gsl_ran_poisson(r, 3.0);
    assert_in_range_double(k, 2501, 3499); /* mean 3000, sd 55 */
    for (int i = 0; i < 1000; i++) assert_true(gsl_rng_uniform_int(r, 10) < 10);
    gsl_rng_free(r);
}

static double correlation(gsl_rng *a, gsl_rng *b, int n)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
    return cov / sqrt(vx * vy);
}

/* Streams one agent (or one ordinal, or one purpose) apart: under
 * independence the sample correlation of n pairs is about N(0, 1/n), so
 * |r| < 4/sqrt(n) fails a correct generator with probability 6e-5 each. */
static void test_adjacent_streams_uncorrelated(void **state)
{
    (void)state;
    gsl_rng *a = gsl_rng_alloc(rng_stream_type);
    gsl_rng *b = gsl_rng_alloc(rng_stream_type);
    const int n = 100000;
    const double bound = 4.0 / sqrt((double)n);
    stream_id x = { .model = 4, .purpose = 2, .agent = 77777, .ordinal = 3 };
    stream_id ys[3] = { x, x, x };
    ys[0].agent++;
    ys[1].ordinal++;
    ys[2].purpose++;
    for (int i = 0; i < 3; i++) {
        rng_stream_seek(a, SEED, x, 0);
        rng_stream_seek(b, SEED, ys[i], 0);
        double rho = correlation(a, b, n);
        if (fabs(rho) >= bound) fail_msg("variant %d: correlation %.5f, bound %.5f", i, rho, bound);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static double chisq_100(const unsigned *count, double expected)
{
    double x2 = 0;
    for (int i = 0; i < 100; i++) {
        double d = count[i] - expected;
        x2 += d * d / expected;
    }
    return x2;
}

/* Chi-square on 100 equal bins, 99 degrees of freedom, rejected above the
 * upper 1e-4 quantile (about 160.06): once along one long stream, once across
 * the first draws of 100,000 consecutive agents' streams. */
static void test_chisq_uniformity(void **state)
{
    (void)state;
    const double threshold = gsl_cdf_chisq_Qinv(1e-4, 99);
    assert_in_open_range_double(threshold, 155, 165);
    gsl_rng *r = gsl_rng_alloc(rng_stream_type);
    unsigned count[100];
    const int n = 1000000;

    memset(count, 0, sizeof count);
    stream_id id = { .model = 7, .purpose = 3, .agent = 5, .ordinal = 0 };
    rng_stream_seek(r, SEED, id, 0);
    for (int i = 0; i < n; i++) count[(int)(gsl_rng_uniform(r) * 100)]++;
    double x2 = chisq_100(count, n / 100.0);
    if (x2 > threshold) fail_msg("one stream: chi-square %.2f > %.2f", x2, threshold);

    memset(count, 0, sizeof count);
    for (uint32_t agent = 0; agent < 100000; agent++) {
        id.agent = agent;
        rng_stream_seek(r, SEED, id, 0);
        for (int j = 0; j < 10; j++) count[(int)(gsl_rng_uniform(r) * 100)]++;
    }
    x2 = chisq_100(count, n / 100.0);
    if (x2 > threshold) fail_msg("across agents: chi-square %.2f > %.2f", x2, threshold);
    gsl_rng_free(r);
}

/* The documented formula, written out again independently. */
static uint64_t reference_seed(uint64_t master, unsigned rep)
{
    uint64_t z = master + UINT64_C(0x9E3779B97F4A7C15) * rep;
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static void test_replication_seed(void **state)
{
    (void)state;
    /* Master 0 gives SplitMix64's well-known first outputs from state 0. */
    assert_true(rng_replication_seed(0, 1) == UINT64_C(0xE220A8397B1DCDAF));
    assert_true(rng_replication_seed(0, 2) == UINT64_C(0x6E789E6AA1B965F4));
    assert_true(rng_replication_seed(0, 3) == UINT64_C(0x06C45D188009454F));
    static const uint64_t masters[] = { 0, 1, 20250401, UINT64_MAX };
    uint64_t seeds[1000];
    for (size_t m = 0; m < sizeof masters / sizeof masters[0]; m++) {
        for (unsigned rep = 1; rep <= 1000; rep++) {
            seeds[rep - 1] = rng_replication_seed(masters[m], rep);
            assert_true(seeds[rep - 1] == reference_seed(masters[m], rep));
        }
        qsort(seeds, 1000, sizeof seeds[0], cmp_u64);
        for (int i = 1; i < 1000; i++) assert_true(seeds[i] != seeds[i - 1]);
    }
    assert_true(rng_replication_seed(1, 1) != rng_replication_seed(2, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_stream_layout),
        cmocka_unit_test(test_type_properties),
        cmocka_unit_test(test_reproducible_and_seek),
        cmocka_unit_test(test_get_double),
        cmocka_unit_test(test_stream_block),
        cmocka_unit_test(test_distinct_streams),
        cmocka_unit_test(test_exhaustion),
        cmocka_unit_test(test_uniform_and_distributions),
        cmocka_unit_test(test_adjacent_streams_uncorrelated),
        cmocka_unit_test(test_chisq_uniformity),
        cmocka_unit_test(test_replication_seed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
