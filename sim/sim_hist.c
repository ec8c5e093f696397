/* sim_hist.c - log-bucket histogram with integer-exact bucket edges.
 *
 * Bucket 0 holds 0; buckets 1..510 split each octave [2^k, 2^(k+1)), k = 0..29, into 17
 * geometric steps of 2^(1/17) (4.16% wide); bucket 511 holds everything from 2^30 us
 * (~17.9 min) up. Edges come from a table of 2^(j/17) in 32.32 fixed point, so bucketing is
 * integer arithmetic only: bit-identical on every platform, no libm, O(1) per value. */
#include "sim_hist.h"

#include <assert.h>
#include <string.h>

#define STEPS      17 /* buckets per octave */
#define OCTAVES    30 /* octaves covered before the overflow bucket */
#define TOP_BUCKET (SIM_HIST_BUCKETS - 1)
#define TOP_VALUE  ((uint64_t)1 << OCTAVES) /* first value of the overflow bucket */

_Static_assert(1 + STEPS * OCTAVES + 1 == SIM_HIST_BUCKETS, "bucket layout must fill the array");

/* floor(2^(j/17) * 2^32): the lower edge of step j of an octave, relative to its start. */
static const uint64_t EDGE[STEPS] = {
    4294967296u, 4473706700u, 4659884526u, 4853810330u, 5055806552u, 5266209052u,
    5485367664u, 5713646783u, 5951425968u, 6199100575u, 6457082410u, 6725800421u,
    7005701403u, 7297250747u, 7600933212u, 7917253729u, 8246738245u,
};

/* floor(2^((j + 0.5)/17) * 2^32): the geometric midpoint of step j, relative likewise. */
static const uint64_t MID[STEPS] = {
    4383426054u, 4565846759u, 4755859086u, 4953778969u, 5159935487u, 5374671417u,
    5598343800u, 5831324535u, 6074000999u, 6326776690u, 6590071896u, 6864324398u,
    7149990195u, 7447544264u, 7757481345u, 8080316771u, 8416587320u,
};

/* v > 0. Both branches give the same answer; the builtin is just one instruction. */
static inline int floor_log2(uint64_t v)
{
#if defined(__GNUC__)
    return 63 - __builtin_clzll(v);
#else
    int k = 0;
    while (v >>= 1)
        k++;
    return k;
#endif
}

void sim_hist_clear(sim_hist *h)
{
    memset(h, 0, sizeof *h);
}

int sim_hist_bucket_of(uint64_t value)
{
    if (value == 0)
        return 0;
    if (value >= TOP_VALUE)
        return TOP_BUCKET;
    int k = floor_log2(value);
    /* value scaled into [2^32, 2^33): exact, since value < 2^30 leaves room for the shift. */
    uint64_t m = value << (32 - k);
    /* Largest j with EDGE[j] <= m by binary search (EDGE[0] = 2^32 <= m always holds). */
    int j = 0;
    for (int step = 16; step > 0; step >>= 1)
        if (j + step < STEPS && EDGE[j + step] <= m)
            j += step;
    return 1 + STEPS * k + j;
}

uint64_t sim_hist_bucket_lower(int bucket)
{
    if (bucket <= 0)
        return 0;
    if (bucket >= TOP_BUCKET)
        return TOP_VALUE;
    int k = (bucket - 1) / STEPS;
    int j = (bucket - 1) % STEPS;
    /* ceil(2^k * EDGE[j] / 2^32): the smallest integer at or above the real edge. */
    return ((EDGE[j] << k) + 0xffffffffu) >> 32;
}

void sim_hist_record(sim_hist *h, uint64_t value)
{
    int b = sim_hist_bucket_of(value);
    /* A bucket saturates rather than wraps after 2^32 - 1 values; count stays exact. */
    if (h->n[b] != UINT32_MAX)
        h->n[b]++;
    h->count++;
    h->sum += (double)value;
    if (value > h->max)
        h->max = value;
}

void sim_hist_merge(sim_hist *into, const sim_hist *from)
{
    for (int b = 0; b < SIM_HIST_BUCKETS; b++) {
        uint64_t n = (uint64_t)into->n[b] + from->n[b];
        into->n[b] = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    }
    into->count += from->count;
    into->sum += from->sum;
    if (from->max > into->max)
        into->max = from->max;
}

/* The value reported for a bucket: its geometric midpoint rounded to an integer and kept
 * inside the integers the bucket holds. The overflow bucket has no upper edge, so the caller
 * reports the recorded maximum instead. */
static uint64_t bucket_mid(int bucket)
{
    assert(bucket > 0 && bucket < TOP_BUCKET);
    int k = (bucket - 1) / STEPS;
    int j = (bucket - 1) % STEPS;
    uint64_t mid = ((MID[j] << k) + 0x80000000u) >> 32;
    uint64_t lo = sim_hist_bucket_lower(bucket);
    uint64_t hi = sim_hist_bucket_lower(bucket + 1); /* exclusive */
    if (mid < lo)
        mid = lo;
    if (hi > lo && mid >= hi)
        mid = hi - 1;
    return mid;
}

uint64_t sim_hist_quantile(const sim_hist *h, double q)
{
    if (h->count == 0)
        return 0;
    if (!(q > 0.0)) /* also catches NaN */
        q = 0.0;
    if (q > 1.0)
        q = 1.0;
    /* Rank of the wanted value, 1-based: the smallest r with r >= q * count. */
    double want = q * (double)h->count;
    uint64_t rank = (uint64_t)want;
    if ((double)rank < want)
        rank++;
    if (rank == 0)
        rank = 1;
    uint64_t seen = 0;
    int b = 0, last = 0;
    for (; b < SIM_HIST_BUCKETS; b++) {
        if (h->n[b] == 0)
            continue;
        last = b;
        seen += h->n[b];
        if (seen >= rank)
            break;
    }
    /* Falls through only when buckets saturated; report the highest non-empty one. */
    if (b == SIM_HIST_BUCKETS)
        b = last;
    if (b == 0)
        return 0;
    if (b == TOP_BUCKET)
        return h->max;
    uint64_t v = bucket_mid(b);
    return v > h->max ? h->max : v;
}
