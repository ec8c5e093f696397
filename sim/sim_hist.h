/* sim_hist.h - log-bucket histogram for latencies (and any positive value).
 *
 * Fixed memory: SIM_HIST_BUCKETS counters. Bucket 0 holds the value 0;
 * buckets 1..510 hold [b(i), b(i+1)) with b(i) = 2^((i-1)/17) rounded up, so
 * each is 4.16% wide and they span 1 us .. 2^30 us (~17.9 min); bucket 511
 * holds every larger value. Reported quantiles are a bucket's geometric
 * midpoint rounded to an integer: exact below 32 us, within 3.2% of the
 * exact value above that and within 2.1% from 1 ms up. Histograms of equal
 * layout can be added (per-minute = sum of six 10 s histograms). Recording
 * is O(1) with no allocation and integer-only bucketing, identical on every
 * platform. A bucket saturates at UINT32_MAX values; `count` stays exact. */
#ifndef SIM_HIST_H
#define SIM_HIST_H

#include <stdint.h>

#define SIM_HIST_BUCKETS 512

typedef struct sim_hist {
    uint32_t n[SIM_HIST_BUCKETS]; /* counts per bucket */
    uint64_t count;               /* total values recorded */
    double sum;                   /* sum of values, for the mean */
    uint64_t max;                 /* largest value recorded */
} sim_hist;

void sim_hist_clear(sim_hist *h);
void sim_hist_record(sim_hist *h, uint64_t value);
void sim_hist_merge(sim_hist *into, const sim_hist *from);
/* Quantile q in [0, 1] (0.5 = median; q outside is clamped), as the
 * representative value of the bucket holding the ceil(q * count)-th smallest
 * value: its geometric midpoint, clamped to max; for the overflow bucket,
 * max itself. 0 when empty. O(SIM_HIST_BUCKETS). */
uint64_t sim_hist_quantile(const sim_hist *h, double q);
int sim_hist_bucket_of(uint64_t value);        /* 0 .. SIM_HIST_BUCKETS-1 */
/* Smallest value in the bucket (the bucket's edge rounded up). 54 buckets
 * below 19 us hold no integer and share their edge with the next one. */
uint64_t sim_hist_bucket_lower(int bucket);

#endif
