/* sim_metrics.h - what the trainee's monitoring sees, plus the truth beside it.
 *
 * Observations are folded into 10-second buckets and one-minute buckets held
 * in ring buffers (SIM_RING_10S and SIM_RING_1M deep), so memory is fixed
 * however long the drill runs. Each bucket has counters, a latency and a TTFT
 * histogram, the sampling judge's scores, and truth counters (labels, harm)
 * that only the trainer view and scoring read. Breakdowns by segment, query
 * type, topic, prompt and model version are kept per minute. Recording a
 * response is O(1) and allocation-free. */
#ifndef SIM_METRICS_H
#define SIM_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "mllm_service.h"
#include "sim_hist.h"
#include "sim_queue.h"
#include "sim_scenario.h"

#define SIM_RING_10S 360   /* one hour of 10-second buckets */
#define SIM_RING_1M 1440   /* one day of minute buckets */
#define SIM_BD_RING 60     /* breakdowns for the last hour */

typedef enum sim_status_class { SIM_ST_OK, SIM_ST_400, SIM_ST_429, SIM_ST_500, SIM_ST_503, SIM_ST_COUNT } sim_status_class;
extern const char *const sim_status_class_names[]; /* "200", "400", "429", "500", "503" */

typedef struct sim_bucket {
    sim_time start;              /* SIM_TIME_NEVER: empty slot */
    uint32_t requests;
    uint32_t status[SIM_ST_COUNT];
    uint32_t errors;             /* status != 200 */
    uint32_t refusals, fallbacks, gated, cache_hits, cacheable, empty_retrievals, retrieved;
    uint32_t judged, judged_bad;
    double judge_sum;
    double cost;
    double context_tokens;
    sim_hist latency;            /* end-to-end, us */
    sim_hist ttft;               /* time to first token, us */
    double index_age_min;        /* at the bucket's close */
    /* truth */
    uint32_t labels[MLLM_LABEL_COUNT];
    double harm;                 /* weighted harmful responses */
    double fault_harm;           /* ... of which a fault changed the outcome */
    uint32_t unavailable;        /* served nothing useful because of a lever */
} sim_bucket;

/* Breakdown dimensions, each with its own value count. */
typedef enum sim_dim {
    SIM_DIM_REGION, SIM_DIM_PLAN, SIM_DIM_CLIENT, SIM_DIM_QTYPE, SIM_DIM_TOPIC, SIM_DIM_PROMPT,
    SIM_DIM_MODEL, SIM_DIM_COUNT
} sim_dim;
extern const char *const sim_dim_names[];
#define SIM_BD_SLOTS 80 /* all values of all dimensions */

typedef enum sim_bd_counter {
    SIM_BD_REQUESTS, SIM_BD_ERRORS, SIM_BD_REFUSALS, SIM_BD_JUDGED, SIM_BD_JUDGED_BAD,
    SIM_BD_SLOW, SIM_BD_EMPTY, SIM_BD_HARM, SIM_BD_COUNT
} sim_bd_counter;

typedef struct sim_bd_minute {
    sim_time start;
    uint32_t n[SIM_BD_SLOTS][SIM_BD_COUNT];
} sim_bd_minute;

typedef struct sim_metrics {
    const mllm_world *w;
    sim_bucket b10[SIM_RING_10S];
    sim_bucket b1m[SIM_RING_1M];
    sim_bd_minute bd[SIM_BD_RING];
    int dim_base[SIM_DIM_COUNT + 1]; /* slot of the first value of each dimension */
    sim_time now_10s, now_1m;        /* start of the current buckets */
    /* totals over the drill */
    uint64_t total_requests, total_bad;
    double total_harm, total_fault_harm, total_cost;
    uint64_t total_labels[MLLM_LABEL_COUNT];
} sim_metrics;

void sim_metrics_init(sim_metrics *m, const mllm_world *w);
/* Records one response: judge_score < 0 when not judged. */
void sim_metrics_record(sim_metrics *m, sim_time t, const mllm_request *req,
                        const mllm_response *r, double judge_score);
/* Closes buckets up to `now` (call at every 10 s tick). */
void sim_metrics_roll(sim_metrics *m, sim_time now, double index_age_min);

/* The bucket covering time t in the 10 s (minute=false) or 1 min ring, or
 * NULL when it has left the ring or not started. */
const sim_bucket *sim_metrics_bucket(const sim_metrics *m, sim_time t, bool minute);
/* Value of `metric` over the window [end - window, end) (window a multiple
 * of 10 s). NaN when there is no data (e.g. no judged requests). */
double sim_metrics_value(const sim_metrics *m, sim_metric metric, sim_time end, sim_time window);
/* Value of `metric` from one bucket. */
double sim_bucket_value(const sim_bucket *b, sim_metric metric, double bucket_seconds);
/* Sums truth harm of the fault-touched responses over [from, to). */
double sim_metrics_fault_harm(const sim_metrics *m, sim_time from, sim_time to);

/* Breakdown of the last `minutes` complete minutes before `now`:
 * counts[value][counter] for dimension `dim`; returns the number of values. */
int sim_metrics_breakdown(const sim_metrics *m, sim_dim dim, sim_time now, int minutes,
                          uint32_t counts[][SIM_BD_COUNT], int max_values);
/* Value of `metric` over the last `minutes` complete minutes for one slice
 * of traffic (dimension `dim`, value `v`). Only request_rate, error_rate,
 * refusal_rate, judge_bad_rate and empty_retrieval_rate are kept per slice;
 * NaN for the others or when there is no data. */
double sim_metrics_slice_value(const sim_metrics *m, sim_metric metric, sim_dim dim, int v,
                               sim_time now, int minutes);
bool sim_metric_sliceable(sim_metric metric);
/* Index of the value named `name` in a dimension, or -1. */
int sim_dim_value_index(const sim_metrics *m, sim_dim dim, const char *name);
/* Name of value `v` of a dimension ("eu", "structured", "v3", "nw-large@fp_b42d07"). */
const char *sim_dim_value_name(const sim_metrics *m, sim_dim dim, int v, char *buf, size_t n);

/* ---- truth and the judge -------------------------------------------------------------- */

/* Harm weight of one response: wrong and hallucinated answers weigh most
 * (a wrong answer is worse than none), a disclaimer halves content harm. */
double sim_harm(const mllm_response *r);
bool sim_label_harmful(mllm_label l);
/* The sampling judge: a noisy quality estimate in [0, 1] for a sampled
 * response, or -1 when not sampled. Deterministic in (seed, request id). */
double sim_judge(uint64_t seed, uint64_t req_id, const mllm_response *r, double sample,
                 double noise);

#endif
