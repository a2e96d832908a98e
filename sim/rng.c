/* rng.c — Philox-4x32-10 counter-based streams as a gsl_rng_type.
 *
 * The 64-bit seed is the Philox key: key[0] = its low 32 bits, key[1] = its
 * high 32 bits. The counter layout is the one documented in rng.h. */
#include "rng.h"

#include <assert.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u /* golden ratio */
#define PHILOX_W1 0xBB67AE85u /* sqrt(3) - 1 */

/* 2^32 blocks of 4 outputs each. */
#define STREAM_BLOCKS ((uint64_t)1 << 32)
#define NO_BLOCK      UINT64_MAX

typedef struct philox_state {
    uint64_t position;  /* index of the next output within the stream */
    uint64_t buf_block; /* block held in buf, or NO_BLOCK */
    uint32_t key[2];
    uint32_t ctr_hi[3]; /* c1..c3: the stream id; c0 is the block index */
    uint32_t buf[4];
    int exhausted;
} philox_state;

void rng_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
    uint32_t k0 = key[0], k1 = key[1];
    /* Unrolled: the loop's counter and branch were a tenth of a block. */
#pragma GCC unroll 10
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
        uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
        uint32_t n1 = (uint32_t)p1;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        uint32_t n3 = (uint32_t)p0;
        c0 = n0;
        c1 = n1;
        c2 = n2;
        c3 = n3;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

static void fill_block(philox_state *s, uint64_t block)
{
    if (block >= STREAM_BLOCKS) s->exhausted = 1;
    /* Past the end the counter would wrap onto the stream's own start; the
     * draws are flagged as untrustworthy, but they must still vary, or a
     * rejection sampler (gsl_rng_uniform_pos, gsl_ran_*) could loop forever.
     * So the block index is truncated and the key perturbed. */
    uint32_t ctr[4] = { (uint32_t)block, s->ctr_hi[0], s->ctr_hi[1], s->ctr_hi[2] };
    uint32_t key[2] = { s->key[0], s->key[1] };
    if (block >= STREAM_BLOCKS) {
        key[0] ^= (uint32_t)(block >> 32) * PHILOX_W0;
        key[1] = ~key[1];
    }
    rng_philox4x32_10(ctr, key, s->buf);
    s->buf_block = block;
}

static inline uint32_t next_output(philox_state *s)
{
    uint64_t block = s->position >> 2;
    if (block != s->buf_block) fill_block(s, block);
    return s->buf[s->position++ & 3];
}

static void philox_set(void *vstate, unsigned long seed)
{
    philox_state *s = vstate;
    s->position = 0;
    s->buf_block = NO_BLOCK;
    s->key[0] = (uint32_t)seed;
    s->key[1] = 0;
    s->ctr_hi[0] = s->ctr_hi[1] = s->ctr_hi[2] = 0;
    s->exhausted = 0;
}

static unsigned long philox_get(void *vstate) { return next_output(vstate); }

static double philox_get_double(void *vstate)
{
    return (double)next_output(vstate) * (1.0 / 4294967296.0);
}

static const gsl_rng_type philox_type = {
    "placesim_philox4x32", 0xffffffffUL, 0, sizeof(philox_state), philox_set, philox_get,
    philox_get_double,
};

const gsl_rng_type *rng_stream_type = &philox_type;

uint64_t rng_replication_seed(uint64_t master_seed, unsigned replication)
{
    uint64_t z = master_seed + UINT64_C(0x9E3779B97F4A7C15) * (uint64_t)replication;
    z ^= z >> 30;
    z *= UINT64_C(0xBF58476D1CE4E5B9);
    z ^= z >> 27;
    z *= UINT64_C(0x94D049BB133111EB);
    z ^= z >> 31;
    return z;
}

void rng_stream_seek(gsl_rng *r, uint64_t seed, stream_id id, uint64_t position)
{
    assert(r->type == &philox_type);
    philox_state *s = r->state;
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)(seed >> 32);
    s->ctr_hi[0] = id.ordinal;
    s->ctr_hi[1] = id.agent;
    s->ctr_hi[2] = (uint32_t)id.model << 16 | id.purpose;
    s->position = position;
    s->buf_block = NO_BLOCK;
    s->exhausted = 0;
}

void rng_stream_block(uint64_t seed, stream_id id, uint32_t block, uint32_t out[4])
{
    uint32_t ctr[4] = { block, id.ordinal, id.agent, (uint32_t)id.model << 16 | id.purpose };
    uint32_t key[2] = { (uint32_t)seed, (uint32_t)(seed >> 32) };
    rng_philox4x32_10(ctr, key, out);
}

uint64_t rng_stream_tell(const gsl_rng *r)
{
    assert(r->type == &philox_type);
    const philox_state *s = r->state;
    return s->position;
}

int rng_stream_exhausted(const gsl_rng *r)
{
    assert(r->type == &philox_type);
    const philox_state *s = r->state;
    return s->exhausted;
}
