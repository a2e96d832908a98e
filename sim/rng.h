/* rng.h — counter-based random streams for common random numbers.
 *
 * Every draw of the simulation comes from a stream named by a stream_id:
 * (model, purpose, agent, ordinal). The generator is Philox-4x32-10 (Salmon,
 * Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3"),
 * keyed by the replication seed, whose 128-bit counter is
 *
 *     c0 = block index within the stream (4 outputs of 32 bits a block)
 *     c1 = ordinal     (e.g. the dwelling's k-th void, or the day)
 *     c2 = agent       (an agent's serial id, never reused; or area*256+type)
 *     c3 = model << 16 | purpose
 *
 * so distinct streams never overlap and no hashing (hence no collision) is
 * involved: the k-th draw of a stream is a pure function of
 * (replication seed, stream id, k), whatever else the run does. A stream holds
 * 2^32 blocks (2^34 outputs); running past that is reported, never wrapped.
 *
 * The generator is a gsl_rng_type, so every gsl_ran_* distribution works on
 * it unchanged. gsl_rng_uniform() on it returns one 32-bit output x as
 * x / 2^32 in [0, 1), the resolution of GSL's own 32-bit generators (mt19937
 * among them): a uniform costs a quarter of a Philox block, and no model
 * compares against probabilities finer than 2^-32. */
#ifndef PLACESIM_RNG_H
#define PLACESIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

typedef struct stream_id {
    uint16_t model;
    uint16_t purpose;
    uint32_t agent;
    uint32_t ordinal;
} stream_id;

/* The Philox-4x32-10 stream generator type ("placesim_philox4x32"). After
 * gsl_rng_alloc it is keyed by seed 0 on stream (0,0,0,0); gsl_rng_set(r, s)
 * keys it by the low 32 bits of s on stream (0,0,0,0) — prefer
 * rng_stream_seek, which takes a 64-bit key. */
extern const gsl_rng_type *rng_stream_type;

/* Replication r's (1-based) 64-bit seed from the master seed:
 *     splitmix64_mix(master + 0x9E3779B97F4A7C15 * r)
 * where splitmix64_mix is the finaliser of Steele, Lea & Flood's SplitMix64
 * (z ^= z>>30; z *= 0xBF58476D1CE4E5B9; z ^= z>>27; z *= 0x94D049BB133111EB;
 * z ^= z>>31). Documented here because users reproduce runs from it. */
uint64_t rng_replication_seed(uint64_t master_seed, unsigned replication);

/* Positions r (which must be of rng_stream_type) at output `position` of
 * stream `id` under 64-bit key `seed`. */
void rng_stream_seek(gsl_rng *r, uint64_t seed, stream_id id, uint64_t position);

/* Block `block` of stream `id` under 64-bit key `seed`: the stream's
 * outputs 4*block … 4*block+3, with no generator state, so a model that
 * needs a fixed handful of draws for (agent, ordinal) reads them where they
 * sit: draw k of the stream is out[k % 4] of block k / 4, exactly as through
 * rng_stream_seek. block must be below 2^32. */
void rng_stream_block(uint64_t seed, stream_id id, uint32_t block, uint32_t out[4]);

/* A 32-bit output as a uniform in (0, 1): (x + 1/2) / 2^32. For comparing
 * against a probability (a Bernoulli trial or a category), whose resolution
 * 2^-32 is far below any probability the models use. */
static inline double rng_open_unit_from_u32(uint32_t x)
{
    return ((double)x + 0.5) * (1.0 / 4294967296.0);
}

/* Number of 32-bit outputs taken from the current stream since position 0. */
uint64_t rng_stream_tell(const gsl_rng *r);

/* Nonzero once a stream has been read past its 2^34 outputs (the draws after
 * that are not to be trusted; the engine fails the run). */
int rng_stream_exhausted(const gsl_rng *r);

/* Philox-4x32-10 on one block: exposed for the known-answer test. */
void rng_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

#endif
