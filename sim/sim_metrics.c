/* sim_metrics.c - ring-buffered monitoring, breakdowns, truth counters and the judge.
 *
 * A bucket slot is reused when its ring wraps: the slot for time t is
 * (t / width) % ring, and a slot whose start differs from the wanted one is
 * stale and cleared on first write. */
#include "sim_metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim_rng.h"

const char *const sim_status_class_names[] = {"200", "400", "429", "500", "503", NULL};
const char *const sim_dim_names[] = {"region", "plan", "client", "query_type", "topic",
                                     "prompt", "model", NULL};

#define W10 SIM_SEC(10)
#define W1M SIM_MIN(1)

static void bucket_clear(sim_bucket *b, sim_time start)
{
    memset(b, 0, sizeof *b);
    b->start = start;
}

void sim_metrics_init(sim_metrics *m, const mllm_world *w)
{
    memset(m, 0, sizeof *m);
    m->w = w;
    for (int i = 0; i < SIM_RING_10S; i++)
        m->b10[i].start = SIM_TIME_NEVER;
    for (int i = 0; i < SIM_RING_1M; i++)
        m->b1m[i].start = SIM_TIME_NEVER;
    for (int i = 0; i < SIM_BD_RING; i++)
        m->bd[i].start = SIM_TIME_NEVER;
    int sizes[SIM_DIM_COUNT] = {MLLM_REGIONS, MLLM_PLANS, MLLM_CLIENTS, MLLM_QT_COUNT,
                                w->ntopics, w->nprompts, 0};
    for (int i = 0; i < w->nmodels; i++)
        sizes[SIM_DIM_MODEL] += w->models[i].nversions;
    int base = 0;
    for (int d = 0; d < SIM_DIM_COUNT; d++) {
        m->dim_base[d] = base;
        base += sizes[d];
    }
    m->dim_base[SIM_DIM_COUNT] = base < SIM_BD_SLOTS ? base : SIM_BD_SLOTS;
}

static sim_bucket *slot_for(sim_bucket *ring, int n, sim_time width, sim_time t)
{
    sim_time start = t - t % width;
    sim_bucket *b = &ring[(start / width) % (sim_time)n];
    if (b->start != start)
        bucket_clear(b, start);
    return b;
}

static sim_bd_minute *bd_for(sim_metrics *m, sim_time t)
{
    sim_time start = t - t % W1M;
    sim_bd_minute *b = &m->bd[(start / W1M) % SIM_BD_RING];
    if (b->start != start) {
        memset(b, 0, sizeof *b);
        b->start = start;
    }
    return b;
}

static int status_class(int status)
{
    switch (status) {
    case 200:
        return SIM_ST_OK;
    case 400:
        return SIM_ST_400;
    case 429:
        return SIM_ST_429;
    case 503:
        return SIM_ST_503;
    default:
        return SIM_ST_500;
    }
}

bool sim_label_harmful(mllm_label l)
{
    return l == MLLM_LABEL_WRONG || l == MLLM_LABEL_STALE || l == MLLM_LABEL_HALLUCINATION ||
           l == MLLM_LABEL_REFUSAL || l == MLLM_LABEL_NOANSWER || l == MLLM_LABEL_ERROR;
}

double sim_harm(const mllm_response *r)
{
    double content = r->disclaimer ? 0.5 : 1.0;
    switch (r->label) {
    case MLLM_LABEL_WRONG:
    case MLLM_LABEL_HALLUCINATION:
        return 1.0 * content;
    case MLLM_LABEL_STALE:
        return 0.7 * content;
    case MLLM_LABEL_REFUSAL:
        return 0.3;
    case MLLM_LABEL_NOANSWER:
        return 0.2;
    case MLLM_LABEL_ERROR:
        return 0.3;
    case MLLM_LABEL_UNAVAILABLE:
        return 0.1;
    case MLLM_LABEL_FALLBACK:
        return 0.05;
    default:
        /* A right answer that came too late still costs the user. */
        return r->slow ? 0.2 : 0.0;
    }
}

double sim_judge(uint64_t seed, uint64_t req_id, const mllm_response *r, double sample,
                 double noise)
{
    if (r->status != 200 || sample <= 0 ||
        sim_rng_hash_uniform(seed, SIM_STREAM_JUDGE, req_id, 1) >= sample)
        return -1;
    /* The judge reads the answer, not the label: its mean tracks quality. */
    double mean;
    switch (r->label) {
    case MLLM_LABEL_CORRECT:
        mean = r->smalltalk ? 0.85 : 0.88;
        break;
    case MLLM_LABEL_FALLBACK:
        mean = 0.75;
        break;
    case MLLM_LABEL_UNKNOWN:
        mean = 0.7;
        break;
    case MLLM_LABEL_STALE:
        mean = 0.45;
        break;
    case MLLM_LABEL_NOANSWER:
        mean = 0.4;
        break;
    case MLLM_LABEL_UNAVAILABLE:
        mean = 0.35;
        break;
    case MLLM_LABEL_REFUSAL:
        mean = 0.2;
        break;
    case MLLM_LABEL_WRONG:
        mean = 0.22;
        break;
    case MLLM_LABEL_HALLUCINATION:
        mean = 0.25;
        break;
    default:
        mean = 0.5;
        break;
    }
    double u1 = sim_rng_hash_uniform(seed, SIM_STREAM_JUDGE, req_id, 2);
    double u2 = sim_rng_hash_uniform(seed, SIM_STREAM_JUDGE, req_id, 3);
    if (u1 < 1e-12)
        u1 = 1e-12;
    double z = sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979323846 * u2);
    double s = mean + noise * z;
    return s < 0 ? 0 : s > 1 ? 1 : s;
}

static void bucket_add(sim_bucket *b, const mllm_response *r, double judge, double harm)
{
    b->requests++;
    b->status[status_class(r->status)]++;
    b->errors += r->status != 200;
    b->refusals += r->refusal;
    b->fallbacks += r->fallback;
    b->gated += r->gated;
    b->cache_hits += r->cache_hit;
    if (r->snapshot >= 0 && !r->cache_hit) {
        b->retrieved++;
        b->empty_retrievals += r->nchunks == 0 || r->score[0] < 2.0f;
    }
    if (judge >= 0) {
        b->judged++;
        b->judge_sum += judge;
        b->judged_bad += judge < 0.5;
    }
    b->cost += r->cost;
    b->context_tokens += r->context_tokens;
    sim_hist_record(&b->latency, r->latency_us);
    if (r->status == 200 && !r->gated && !(r->fallback && !r->cache_hit && r->route == 0))
        sim_hist_record(&b->ttft, r->ttft_us);
    b->labels[r->label]++;
    b->harm += harm;
    if (r->fault_mask)
        b->fault_harm += harm;
    b->unavailable += r->label == MLLM_LABEL_UNAVAILABLE;
}

static int model_slot(const mllm_world *w, int model, int fp)
{
    int k = 0;
    for (int i = 0; i < model && i < w->nmodels; i++)
        k += w->models[i].nversions;
    return k + (fp > 0 ? fp : 0);
}

void sim_metrics_record(sim_metrics *m, sim_time t, const mllm_request *req,
                        const mllm_response *r, double judge_score)
{
    double harm = sim_harm(r);
    bucket_add(slot_for(m->b10, SIM_RING_10S, W10, t), r, judge_score, harm);
    bucket_add(slot_for(m->b1m, SIM_RING_1M, W1M, t), r, judge_score, harm);
    m->total_requests++;
    m->total_labels[r->label]++;
    m->total_bad += sim_label_harmful(r->label);
    m->total_harm += harm;
    if (r->fault_mask)
        m->total_fault_harm += harm;
    m->total_cost += r->cost;

    sim_bd_minute *bd = bd_for(m, t);
    int slots[SIM_DIM_COUNT], ns = 0;
    slots[ns++] = m->dim_base[SIM_DIM_REGION] + req->region;
    slots[ns++] = m->dim_base[SIM_DIM_PLAN] + req->plan;
    slots[ns++] = m->dim_base[SIM_DIM_CLIENT] + req->client;
    slots[ns++] = m->dim_base[SIM_DIM_QTYPE] + r->qtype;
    if (r->topic >= 0)
        slots[ns++] = m->dim_base[SIM_DIM_TOPIC] + r->topic;
    if (r->prompt >= 0)
        slots[ns++] = m->dim_base[SIM_DIM_PROMPT] + r->prompt;
    if (r->model >= 0)
        slots[ns++] = m->dim_base[SIM_DIM_MODEL] + model_slot(m->w, r->model, r->fingerprint);
    bool slow = r->latency_us > 10000000u;
    bool empty = r->snapshot >= 0 && !r->cache_hit && (r->nchunks == 0 || r->score[0] < 2.0f);
    uint32_t harm_units = (uint32_t)(harm * 10 + 0.5);
    for (int i = 0; i < ns; i++) {
        if (slots[i] < 0 || slots[i] >= SIM_BD_SLOTS)
            continue;
        uint32_t *c = bd->n[slots[i]];
        c[SIM_BD_REQUESTS]++;
        c[SIM_BD_ERRORS] += r->status != 200;
        c[SIM_BD_REFUSALS] += r->refusal;
        c[SIM_BD_JUDGED] += judge_score >= 0;
        c[SIM_BD_JUDGED_BAD] += judge_score >= 0 && judge_score < 0.5;
        c[SIM_BD_SLOW] += slow;
        c[SIM_BD_EMPTY] += empty;
        c[SIM_BD_HARM] += harm_units;
    }
}

void sim_metrics_roll(sim_metrics *m, sim_time now, double index_age_min)
{
    /* Stamp the bucket that just closed with the index age, and open the next. */
    if (now >= W10) {
        sim_bucket *b = slot_for(m->b10, SIM_RING_10S, W10, now - W10);
        b->index_age_min = index_age_min;
    }
    if (now >= W1M && now % W1M == 0) {
        sim_bucket *b = slot_for(m->b1m, SIM_RING_1M, W1M, now - W1M);
        b->index_age_min = index_age_min;
    }
    slot_for(m->b10, SIM_RING_10S, W10, now);
    slot_for(m->b1m, SIM_RING_1M, W1M, now);
    bd_for(m, now);
    m->now_10s = now - now % W10;
    m->now_1m = now - now % W1M;
}

const sim_bucket *sim_metrics_bucket(const sim_metrics *m, sim_time t, bool minute)
{
    sim_time width = minute ? W1M : W10;
    int n = minute ? SIM_RING_1M : SIM_RING_10S;
    const sim_bucket *ring = minute ? m->b1m : m->b10;
    sim_time start = t - t % width;
    const sim_bucket *b = &ring[(start / width) % (sim_time)n];
    return b->start == start ? b : NULL;
}

double sim_bucket_value(const sim_bucket *b, sim_metric metric, double secs)
{
    double n = b->requests;
    switch (metric) {
    case SIM_M_REQUEST_RATE:
        return n / secs;
    case SIM_M_ERROR_RATE:
        return n ? b->errors / n : 0;
    case SIM_M_RATE_429:
        return n ? b->status[SIM_ST_429] / n : 0;
    case SIM_M_LATENCY_P50:
        return b->latency.count ? sim_hist_quantile(&b->latency, 0.50) / 1000.0 : NAN;
    case SIM_M_LATENCY_P95:
        return b->latency.count ? sim_hist_quantile(&b->latency, 0.95) / 1000.0 : NAN;
    case SIM_M_LATENCY_P99:
        return b->latency.count ? sim_hist_quantile(&b->latency, 0.99) / 1000.0 : NAN;
    case SIM_M_TTFT_P99:
        return b->ttft.count ? sim_hist_quantile(&b->ttft, 0.99) / 1000.0 : NAN;
    case SIM_M_REFUSAL_RATE:
        return n ? b->refusals / n : 0;
    case SIM_M_QUALITY:
        return b->judged ? b->judge_sum / b->judged : NAN;
    case SIM_M_JUDGE_BAD_RATE:
        return b->judged ? (double)b->judged_bad / b->judged : NAN;
    case SIM_M_COST_PER_MIN:
        return b->cost * 60.0 / secs;
    case SIM_M_CONTEXT_TOKENS:
        return n ? b->context_tokens / n : NAN;
    case SIM_M_CACHE_HIT_RATE:
        return n ? b->cache_hits / n : 0;
    case SIM_M_FALLBACK_RATE:
        return n ? b->fallbacks / n : 0;
    case SIM_M_INDEX_AGE:
        return b->index_age_min;
    case SIM_M_EMPTY_RETRIEVAL_RATE:
        return b->retrieved ? (double)b->empty_retrievals / b->retrieved : 0;
    case SIM_M_COST_ANOMALY: /* needs history: see sim_metrics_value */
    default:
        return NAN;
    }
}

double sim_metrics_value(const sim_metrics *m, sim_metric metric, sim_time end, sim_time window)
{
    if (metric == SIM_M_COST_ANOMALY) {
        sim_time base = SIM_MIN(30);
        if (window < W10)
            window = W10;
        if (end < window + SIM_MIN(5))
            return NAN; /* too early to know what normal is */
        if (base > end - window)
            base = (end - window) - (end - window) % W10;
        double now = sim_metrics_value(m, SIM_M_COST_PER_MIN, end, window);
        double before = sim_metrics_value(m, SIM_M_COST_PER_MIN, end - window, base);
        return before > 0 ? now / before : NAN;
    }
    if (window <= W10) {
        if (end < W10)
            return NAN;
        const sim_bucket *b = sim_metrics_bucket(m, end - W10, false);
        return b ? sim_bucket_value(b, metric, 10.0) : NAN;
    }
    /* Merge the 10 s buckets of the window. Histograms are merged only for
     * quantile metrics (the costly part). */
    static _Thread_local sim_bucket acc;
    bool quant = metric == SIM_M_LATENCY_P50 || metric == SIM_M_LATENCY_P95 ||
                 metric == SIM_M_LATENCY_P99 || metric == SIM_M_TTFT_P99;
    memset(&acc, 0, quant ? sizeof acc : offsetof(sim_bucket, latency));
    if (!quant) {
        acc.index_age_min = 0;
        memset(&acc.labels, 0, sizeof acc.labels);
    }
    int got = 0;
    sim_time secs = 0;
    for (sim_time t = end >= window ? end - window : 0; t + W10 <= end; t += W10) {
        const sim_bucket *b = sim_metrics_bucket(m, t, false);
        secs += 10;
        if (!b)
            continue;
        got++;
        acc.requests += b->requests;
        for (int i = 0; i < SIM_ST_COUNT; i++)
            acc.status[i] += b->status[i];
        acc.errors += b->errors;
        acc.refusals += b->refusals;
        acc.fallbacks += b->fallbacks;
        acc.gated += b->gated;
        acc.cache_hits += b->cache_hits;
        acc.cacheable += b->cacheable;
        acc.empty_retrievals += b->empty_retrievals;
        acc.retrieved += b->retrieved;
        acc.judged += b->judged;
        acc.judged_bad += b->judged_bad;
        acc.judge_sum += b->judge_sum;
        acc.cost += b->cost;
        acc.context_tokens += b->context_tokens;
        acc.index_age_min = b->index_age_min;
        if (quant) {
            sim_hist_merge(&acc.latency, &b->latency);
            sim_hist_merge(&acc.ttft, &b->ttft);
        }
    }
    if (!got)
        return NAN;
    return sim_bucket_value(&acc, metric, (double)secs);
}

double sim_metrics_fault_harm(const sim_metrics *m, sim_time from, sim_time to)
{
    double h = 0;
    for (sim_time t = from - from % W10; t < to; t += W10) {
        const sim_bucket *b = sim_metrics_bucket(m, t, false);
        if (b)
            h += b->fault_harm;
    }
    return h;
}

int sim_metrics_breakdown(const sim_metrics *m, sim_dim dim, sim_time now, int minutes,
                          uint32_t counts[][SIM_BD_COUNT], int max_values)
{
    int base = m->dim_base[dim], end = m->dim_base[dim + 1];
    int nv = end - base;
    if (nv > max_values)
        nv = max_values;
    memset(counts, 0, sizeof(uint32_t) * SIM_BD_COUNT * (size_t)nv);
    if (minutes > SIM_BD_RING)
        minutes = SIM_BD_RING;
    sim_time cur = now - now % W1M;
    for (int k = 1; k <= minutes; k++) {
        if (cur < (sim_time)k * W1M)
            break;
        sim_time start = cur - (sim_time)k * W1M;
        const sim_bd_minute *b = &m->bd[(start / W1M) % SIM_BD_RING];
        if (b->start != start)
            continue;
        for (int v = 0; v < nv; v++)
            for (int c = 0; c < SIM_BD_COUNT; c++)
                counts[v][c] += b->n[base + v][c];
    }
    return nv;
}

bool sim_metric_sliceable(sim_metric metric)
{
    return metric == SIM_M_REQUEST_RATE || metric == SIM_M_ERROR_RATE ||
           metric == SIM_M_REFUSAL_RATE || metric == SIM_M_JUDGE_BAD_RATE ||
           metric == SIM_M_EMPTY_RETRIEVAL_RATE;
}

double sim_metrics_slice_value(const sim_metrics *m, sim_metric metric, sim_dim dim, int v,
                               sim_time now, int minutes)
{
    uint32_t counts[SIM_BD_SLOTS][SIM_BD_COUNT];
    int nv = sim_metrics_breakdown(m, dim, now, minutes, counts, SIM_BD_SLOTS);
    if (v < 0 || v >= nv || !sim_metric_sliceable(metric))
        return NAN;
    const uint32_t *c = counts[v];
    double n = c[SIM_BD_REQUESTS];
    switch (metric) {
    case SIM_M_REQUEST_RATE:
        return n / (60.0 * minutes);
    case SIM_M_ERROR_RATE:
        return n ? c[SIM_BD_ERRORS] / n : NAN;
    case SIM_M_REFUSAL_RATE:
        return n ? c[SIM_BD_REFUSALS] / n : NAN;
    case SIM_M_JUDGE_BAD_RATE:
        return c[SIM_BD_JUDGED] ? (double)c[SIM_BD_JUDGED_BAD] / c[SIM_BD_JUDGED] : NAN;
    case SIM_M_EMPTY_RETRIEVAL_RATE:
        return n ? c[SIM_BD_EMPTY] / n : NAN;
    default:
        return NAN;
    }
}

int sim_dim_value_index(const sim_metrics *m, sim_dim dim, const char *name)
{
    char buf[96];
    int nv = m->dim_base[dim + 1] - m->dim_base[dim];
    for (int v = 0; v < nv; v++)
        if (strcmp(sim_dim_value_name(m, dim, v, buf, sizeof buf), name) == 0)
            return v;
    return -1;
}

const char *sim_dim_value_name(const sim_metrics *m, sim_dim dim, int v, char *buf, size_t n)
{
    const mllm_world *w = m->w;
    switch (dim) {
    case SIM_DIM_REGION:
        return mllm_region_names[v];
    case SIM_DIM_PLAN:
        return mllm_plan_names[v];
    case SIM_DIM_CLIENT:
        return mllm_client_names[v];
    case SIM_DIM_QTYPE:
        return mllm_qtype_names[v];
    case SIM_DIM_TOPIC:
        return w->topics[v].id;
    case SIM_DIM_PROMPT:
        return w->prompts[v].version;
    case SIM_DIM_MODEL:
        for (int i = 0; i < w->nmodels; i++) {
            if (v < w->models[i].nversions) {
                snprintf(buf, n, "%s@%s", w->models[i].id, w->models[i].fingerprint[v]);
                return buf;
            }
            v -= w->models[i].nversions;
        }
        return "?";
    default:
        return "?";
    }
}
