/* sim_traces.h - sampled request traces in a fixed ring.
 *
 * Every failing request (error, refusal, judged bad, or slower than 10 s) is
 * kept up to SIM_TRACE_FAIL_CAP per 10 s, plus a random sample of the rest.
 * A trace is compact (request + response, no text); its answer text is
 * rendered on demand by the service. Traces never carry the truth label to
 * trainee-facing code: read them through sim_trace_view. */
#ifndef SIM_TRACES_H
#define SIM_TRACES_H

#include "mllm_service.h"
#include "sim_queue.h"

#define SIM_TRACE_CAP 4096
#define SIM_TRACE_FAIL_CAP 40

typedef enum sim_trace_why { SIM_TRACE_FAILING, SIM_TRACE_SAMPLED, SIM_TRACE_REPRODUCED } sim_trace_why;

typedef struct sim_trace {
    uint64_t id;         /* the request id */
    mllm_request req;    /* free_text is NULL: free-text requests keep it in `text` */
    mllm_response resp;
    float judge;         /* judge score, -1 when not judged */
    uint8_t why;         /* sim_trace_why */
    char text[160];      /* free-text question (HTTP), "" for catalogue texts */
} sim_trace;

typedef struct sim_traces {
    sim_trace *ring;     /* SIM_TRACE_CAP */
    uint64_t written;    /* traces ever written; the newest is (written - 1) % CAP */
    sim_time fail_bucket;
    int fail_in_bucket;
    uint64_t dropped_failing;
} sim_traces;

int sim_traces_init(sim_traces *tr);  /* 0 or -ENOMEM */
void sim_traces_release(sim_traces *tr);
/* Is this response failing as the trainee would see it? */
bool sim_trace_failing(const mllm_response *r, double judge);
/* Offers a response; keeps it when failing (under the cap) or `sampled`. */
void sim_traces_offer(sim_traces *tr, const mllm_request *req, const mllm_response *r,
                      double judge, bool sampled, sim_trace_why why_override);
/* The i-th newest trace (0 = newest), NULL past the end. */
const sim_trace *sim_traces_get(const sim_traces *tr, uint64_t i);
size_t sim_traces_count(const sim_traces *tr);
/* Finds a trace by request id (newest first), NULL when gone. O(CAP). */
const sim_trace *sim_traces_find(const sim_traces *tr, uint64_t id);

#endif
