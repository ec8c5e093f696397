/* sim_traffic.c - arrivals, segments, query mix and conversations.
 *
 * The query mix is a cumulative table over every catalogue wording (query
 * weight x topic multiplier x type share / type weight), searched by
 * bisection: O(log texts) per request. */
#include "sim_traffic.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int build_mix(sim_traffic *t)
{
    const mllm_world *w = t->w;
    double type_total[MLLM_QT_COUNT] = {0};
    for (int i = 0; i < w->nqueries; i++) {
        const mllm_query *q = &w->queries[i];
        type_total[q->type] += q->weight * t->spec.topic[q->topic];
    }
    double *cum = realloc(t->cum, sizeof *cum * (size_t)(w->ntexts > 0 ? w->ntexts : 1));
    if (!cum)
        return -ENOMEM;
    t->cum = cum;
    double acc = 0;
    for (int i = 0; i < w->nqueries; i++) {
        const mllm_query *q = &w->queries[i];
        double wq = type_total[q->type] > 0 ?
                        q->weight * t->spec.topic[q->topic] * t->spec.qtype[q->type] /
                            type_total[q->type] :
                        0;
        for (int k = 0; k < q->ntexts; k++) {
            /* The main wording is the most common; paraphrases share the rest. */
            double share = q->ntexts == 1 ? 1.0 : (k == 0 ? 0.5 : 0.5 / (q->ntexts - 1));
            acc += wq * share;
            cum[q->first_text + k] = acc;
        }
    }
    t->ncum = w->ntexts;
    if (acc <= 0)
        return -EINVAL;
    return 0;
}

/* Index drawn from a cumulative table whose last entry is the total. */
static int pick(sim_rng *r, const double *cum, int n)
{
    double u = sim_rng_uniform(r) * cum[n - 1];
    for (int i = 0; i < n - 1; i++)
        if (u < cum[i])
            return i;
    return n - 1;
}

static void cumulate(const double *w, double *cum, int n)
{
    double acc = 0;
    for (int i = 0; i < n; i++) {
        acc += w[i] > 0 ? w[i] : 0;
        cum[i] = acc;
    }
    if (acc <= 0)
        for (int i = 0; i < n; i++)
            cum[i] = i + 1; /* all zero: uniform */
}

int sim_traffic_init(sim_traffic *t, const sim_scenario *s, const mllm_world *w)
{
    memset(t, 0, sizeof *t);
    t->w = w;
    t->spec = s->traffic;
    t->rate_multiplier = 1.0;
    t->start_second = (int32_t)s->start_second;
    sim_rng_init(&t->rng, s->seed, SIM_STREAM_TRAFFIC);
    sim_rng_init(&t->convo_rng, s->seed, SIM_STREAM_CONVO);
    for (int i = 0; i < MLLM_MAX_TOPICS; i++)
        if (t->spec.topic[i] < 0)
            t->spec.topic[i] = 0;
    cumulate(t->spec.region, t->cum_region, MLLM_REGIONS);
    cumulate(t->spec.plan, t->cum_plan, MLLM_PLANS);
    cumulate(t->spec.client, t->cum_client, MLLM_CLIENTS);
    return build_mix(t);
}

void sim_traffic_release(sim_traffic *t)
{
    free(t->cum);
    t->cum = NULL;
}

double sim_traffic_rate(const sim_traffic *t, sim_time now)
{
    double r = t->spec.rate * t->rate_multiplier;
    if (t->spec.profile == SIM_PROFILE_DIURNAL) {
        double sec = fmod((double)t->start_second + (double)now / 1e6, 86400.0);
        /* Peak mid-afternoon, trough before dawn. */
        r *= 1.0 + t->spec.diurnal_amplitude * sin(2 * 3.14159265358979323846 * (sec / 86400.0 - 0.375));
    }
    for (int i = 0; i < t->spec.nbursts; i++) {
        const sim_burst *b = &t->spec.bursts[i];
        if (now >= b->at && now < b->at + b->duration)
            r *= b->multiplier;
    }
    return r > 1e-9 ? r : 1e-9;
}

sim_time sim_traffic_next(sim_traffic *t, sim_time now)
{
    double rate = sim_traffic_rate(t, now);
    double gap = sim_rng_exp(&t->rng, 1e6 / rate);
    if (gap > 3600e6)
        gap = 3600e6; /* a paused profile re-checks hourly */
    sim_time g = (sim_time)gap;
    return now + (g ? g : 1);
}

static int pick_text(sim_traffic *t)
{
    double total = t->cum[t->ncum - 1];
    double u = sim_rng_uniform(&t->rng) * total;
    int lo = 0, hi = t->ncum - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (t->cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void sim_traffic_make(sim_traffic *t, sim_time now, mllm_request *req)
{
    memset(req, 0, sizeof *req);
    req->id = ++t->next_id;
    req->t = now;
    req->text = pick_text(t);
    /* Draw segments and continuation unconditionally so the traffic stream
     * advances the same way whatever the conversation pool holds. */
    int region = pick(&t->rng, t->cum_region, MLLM_REGIONS);
    int plan = pick(&t->rng, t->cum_plan, MLLM_PLANS);
    int client = pick(&t->rng, t->cum_client, MLLM_CLIENTS);
    double u = sim_rng_uniform(&t->convo_rng);
    int slot = (int)sim_rng_below(&t->convo_rng, SIM_CONVO_POOL);
    sim_convo *c = &t->pool[slot];
    if (u < t->spec.p_continue && c->live) {
        c->turn++;
        c->history_tokens += t->spec.tokens_per_turn;
        req->region = c->region;
        req->plan = c->plan;
        req->client = c->client;
        req->turn = c->turn;
        req->history_tokens = c->history_tokens;
        if (c->turn + 1 >= t->spec.max_turns) {
            c->live = false;
            t->live_convos--;
        }
    } else {
        req->region = region;
        req->plan = plan;
        req->client = client;
        if (!c->live)
            t->live_convos++;
        c->live = t->spec.max_turns > 1;
        if (!c->live)
            t->live_convos--;
        c->region = region;
        c->plan = plan;
        c->client = client;
        c->turn = 0;
        c->history_tokens = 0;
    }
}

int sim_traffic_shift(sim_traffic *t, double rate_multiplier, const double *topic_mult)
{
    if (rate_multiplier > 0)
        t->rate_multiplier = rate_multiplier;
    bool any = false;
    for (int i = 0; topic_mult && i < MLLM_MAX_TOPICS; i++)
        if (topic_mult[i] > 0) {
            t->spec.topic[i] = topic_mult[i];
            any = true;
        }
    return any ? build_mix(t) : 0;
}
