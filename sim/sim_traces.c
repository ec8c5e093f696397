/* sim_traces.c - the trace ring. */
#include "sim_traces.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sim_traces_init(sim_traces *tr)
{
    memset(tr, 0, sizeof *tr);
    tr->ring = calloc(SIM_TRACE_CAP, sizeof *tr->ring);
    tr->fail_bucket = SIM_TIME_NEVER;
    return tr->ring ? 0 : -ENOMEM;
}

void sim_traces_release(sim_traces *tr)
{
    free(tr->ring);
    tr->ring = NULL;
}

bool sim_trace_failing(const mllm_response *r, double judge)
{
    return r->status != 200 || r->refusal || (judge >= 0 && judge < 0.5) ||
           r->latency_us > 10000000u;
}

void sim_traces_offer(sim_traces *tr, const mllm_request *req, const mllm_response *r,
                      double judge, bool sampled, sim_trace_why why_override)
{
    bool failing = sim_trace_failing(r, judge);
    uint8_t why = failing ? SIM_TRACE_FAILING : SIM_TRACE_SAMPLED;
    if (why_override == SIM_TRACE_REPRODUCED) {
        why = SIM_TRACE_REPRODUCED;
    } else if (failing) {
        sim_time b = req->t - req->t % 10000000u;
        if (b != tr->fail_bucket) {
            tr->fail_bucket = b;
            tr->fail_in_bucket = 0;
        }
        if (tr->fail_in_bucket >= SIM_TRACE_FAIL_CAP) {
            tr->dropped_failing++;
            if (!sampled)
                return;
            why = SIM_TRACE_SAMPLED;
        } else {
            tr->fail_in_bucket++;
        }
    } else if (!sampled) {
        return;
    }
    sim_trace *t = &tr->ring[tr->written % SIM_TRACE_CAP];
    tr->written++;
    t->id = req->id;
    t->req = *req;
    t->req.free_text = NULL;
    t->text[0] = '\0';
    if (req->free_text) {
        strncpy(t->text, req->free_text, sizeof t->text - 1);
        t->text[sizeof t->text - 1] = '\0';
    }
    t->resp = *r;
    t->judge = (float)judge;
    t->why = why;
}

const sim_trace *sim_traces_get(const sim_traces *tr, uint64_t i)
{
    uint64_t n = sim_traces_count(tr);
    if (i >= n)
        return NULL;
    return &tr->ring[(tr->written - 1 - i) % SIM_TRACE_CAP];
}

size_t sim_traces_count(const sim_traces *tr)
{
    return tr->written < SIM_TRACE_CAP ? (size_t)tr->written : SIM_TRACE_CAP;
}

const sim_trace *sim_traces_find(const sim_traces *tr, uint64_t id)
{
    size_t n = sim_traces_count(tr);
    for (size_t i = 0; i < n; i++) {
        const sim_trace *t = sim_traces_get(tr, i);
        if (t->id == id)
            return t;
    }
    return NULL;
}
