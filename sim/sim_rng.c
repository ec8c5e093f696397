/* sim_rng.c - xoshiro256** streams, splitmix64 seeding and a stateless 64-bit hash.
 *
 * Every function is a pure function of its arguments and the caller's sim_rng: there is no
 * static state, so streams can be saved, restored and replayed by copying the struct. The
 * integer paths are bit-exact on every platform; the floating-point ones (exp, normal) are
 * deterministic for one libm, which is what replaying a run on one build needs. */
#include "sim_rng.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15u /* splitmix64 increment, 2^64 / phi */
#define SEED_SALT    0x5eed5eed5eed5eedu /* separates seeding from sim_rng_hash() users */

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The splitmix64 output function: a bijection of 64-bit words with good avalanche. */
static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* 53 high bits to a double in [0, 1); exact, no rounding. */
static inline double to_unit(uint64_t x)
{
    return (double)(x >> 11) * 0x1.0p-53;
}

/* High and low words of the 128-bit product a * b, computed the same way everywhere so
 * sim_rng_below() gives identical draws with or without a native 128-bit type. */
static inline uint64_t mul_hi_lo(uint64_t a, uint64_t b, uint64_t *lo)
{
    uint64_t a_lo = (uint32_t)a, a_hi = a >> 32;
    uint64_t b_lo = (uint32_t)b, b_hi = b >> 32;
    uint64_t ll = a_lo * b_lo;
    uint64_t lh = a_lo * b_hi;
    uint64_t hl = a_hi * b_lo;
    uint64_t hh = a_hi * b_hi;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl; /* < 3 * 2^32, no overflow */
    *lo = (mid << 32) | (uint32_t)ll;
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

uint64_t sim_splitmix64(uint64_t *state)
{
    *state += GOLDEN_GAMMA;
    return mix64(*state);
}

uint64_t sim_rng_hash(uint64_t seed, uint64_t stream, uint64_t counter, uint64_t salt)
{
    /* Each round mixes one input into the running word through a bijection, so for any three
     * inputs held fixed the hash is a bijection of the fourth: distinct counters never collide.
     * The odd additive constants keep all-zero inputs away from the fixed point mix64(0) = 0. */
    uint64_t h = mix64(seed + GOLDEN_GAMMA);
    h = mix64(h ^ (stream + 0xd1b54a32d192ed03u));
    h = mix64(h ^ (counter + 0x8cb92ba72f3d8dd7u));
    h = mix64(h ^ (salt + 0xaef17502108ef2d9u));
    return h;
}

double sim_rng_hash_uniform(uint64_t seed, uint64_t stream, uint64_t counter, uint64_t salt)
{
    return to_unit(sim_rng_hash(seed, stream, counter, salt));
}

void sim_rng_init(sim_rng *r, uint64_t seed, uint64_t stream)
{
    /* Hash (seed, stream) to a splitmix64 starting point, then take four of its outputs. They
     * come from four distinct states of a bijection, so at most one can be zero and the
     * xoshiro state is never the all-zero word it cannot leave. */
    uint64_t st = sim_rng_hash(seed, stream, 0, SEED_SALT);
    for (int i = 0; i < 4; i++)
        r->s[i] = sim_splitmix64(&st);
    assert((r->s[0] | r->s[1] | r->s[2] | r->s[3]) != 0);
}

uint64_t sim_rng_u64(sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double sim_rng_uniform(sim_rng *r)
{
    return to_unit(sim_rng_u64(r));
}

uint64_t sim_rng_below(sim_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    /* Lemire's multiply-and-reject: the high word of x * n is uniform on [0, n) once the
     * low words that would over-represent some results are rejected. The modulo runs only
     * when a rejection is possible at all, i.e. rarely for small n. */
    uint64_t lo;
    uint64_t hi = mul_hi_lo(sim_rng_u64(r), n, &lo);
    if (lo < n) {
        uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
        while (lo < threshold)
            hi = mul_hi_lo(sim_rng_u64(r), n, &lo);
    }
    return hi;
}

double sim_rng_exp(sim_rng *r, double mean)
{
    /* u in [0, 1), so log1p(-u) is finite and the result is in [0, ~37 * mean]. */
    return -mean * log1p(-sim_rng_uniform(r));
}

double sim_rng_normal(sim_rng *r)
{
    /* Marsaglia's polar method. Its second variate is dropped rather than cached, so the
     * stream stays a plain struct with no hidden state. Accepts with probability pi/4. */
    for (;;) {
        double u = 2.0 * sim_rng_uniform(r) - 1.0;
        double v = 2.0 * sim_rng_uniform(r) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * log(s) / s);
    }
}

int sim_rng_weighted(sim_rng *r, const double *weights, int n)
{
    if (!weights || n <= 0)
        return -EINVAL;
    double sum = 0.0;
    int last = -1; /* last index with positive weight: the fallback for rounding */
    for (int i = 0; i < n; i++) {
        double w = weights[i];
        if (!(w >= 0.0) || isinf(w)) /* negative, NaN or infinite */
            return -EINVAL;
        if (w > 0.0)
            last = i;
        sum += w;
    }
    if (last < 0 || isinf(sum))
        return -EINVAL;
    double target = sim_rng_uniform(r) * sum;
    double acc = 0.0;
    for (int i = 0; i < n; i++) {
        acc += weights[i];
        if (target < acc)
            return i;
    }
    return last;
}
