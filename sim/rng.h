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
 * it unchanged. gsl_rng_uniform() on it returns 53-bit doubles in [0, 1)
 * built from two 32-bit outputs. */
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

/* Number of 32-bit outputs taken from the current stream since position 0. */
uint64_t rng_stream_tell(const gsl_rng *r);

/* Nonzero once a stream has been read past its 2^34 outputs (the draws after
 * that are not to be trusted; the engine fails the run). */
int rng_stream_exhausted(const gsl_rng *r);

/* Philox-4x32-10 on one block: exposed for the known-answer test. */
void rng_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

#endif
