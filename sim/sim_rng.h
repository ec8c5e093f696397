/* sim_rng.h - seeded random streams and counter-based hashing.
 *
 * One seed per run; each component draws from its own stream derived from
 * (seed, stream id), so a trainee action that draws from one stream never
 * shifts another (traffic stays the same whatever the trainee does).
 * sim_rng_hash() gives a stateless uniform draw for (seed, stream, counter,
 * salt), used for per-request decisions. The generator is xoshiro256** seeded
 * through splitmix64; state can be saved and restored by copying the struct.
 * No function keeps hidden state. Integer draws are bit-identical everywhere;
 * exp and normal go through libm (log1p, log, sqrt), so they are identical
 * for one libm, which is what replaying a run on one build needs. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

typedef enum sim_stream {
    SIM_STREAM_TRAFFIC = 1, /* arrivals, users, queries, segments */
    SIM_STREAM_CONVO,       /* conversation continuation */
    SIM_STREAM_MODEL,       /* mock model decisions */
    SIM_STREAM_JUDGE,       /* judge sampling and noise */
    SIM_STREAM_TRACE,       /* trace sampling */
    SIM_STREAM_FAULT,       /* fault targeting */
    SIM_STREAM_ACTION,      /* anything an action needs */
} sim_stream;

typedef struct sim_rng {
    uint64_t s[4];
} sim_rng;

/* Seeds `r` for (seed, stream). Two different streams of one seed are
 * independent for all practical purposes. */
void sim_rng_init(sim_rng *r, uint64_t seed, uint64_t stream);
uint64_t sim_rng_u64(sim_rng *r);
double sim_rng_uniform(sim_rng *r);              /* [0, 1) with 53 bits */
/* [0, n), unbiased (Lemire's multiply-and-reject: usually one draw); 0 and no
 * draw when n == 0. */
uint64_t sim_rng_below(sim_rng *r, uint64_t n);
double sim_rng_exp(sim_rng *r, double mean);     /* exponential with that mean */
double sim_rng_normal(sim_rng *r);               /* standard normal (polar method) */
/* Index drawn with probability weights[i] / sum(weights), by a linear scan
 * (O(n), one draw); zero weights are never drawn. Returns -EINVAL without
 * drawing when n <= 0, a weight is negative, NaN or infinite, or all are 0. */
int sim_rng_weighted(sim_rng *r, const double *weights, int n);

/* Advances *state and returns the next splitmix64 output. */
uint64_t sim_splitmix64(uint64_t *state);
/* Stateless: a well-mixed 64-bit hash of the four inputs (a chain of
 * splitmix64 finalisers). With any three inputs fixed it is a bijection of the
 * fourth, so distinct counters never collide. */
uint64_t sim_rng_hash(uint64_t seed, uint64_t stream, uint64_t counter, uint64_t salt);
/* Stateless uniform [0, 1) from sim_rng_hash. */
double sim_rng_hash_uniform(uint64_t seed, uint64_t stream, uint64_t counter, uint64_t salt);

#endif
