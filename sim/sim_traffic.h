/* sim_traffic.h - simulated users: Poisson arrivals with a rate profile,
 * user segments, the query mix from the catalogue, and multi-turn
 * conversations whose history grows.
 *
 * All draws come from the traffic and conversation streams only, so nothing a
 * trainee does changes the arrivals that follow. Conversations live in a fixed
 * pool (no allocation per request). */
#ifndef SIM_TRAFFIC_H
#define SIM_TRAFFIC_H

#include "mllm_service.h"
#include "sim_queue.h"
#include "sim_rng.h"
#include "sim_scenario.h"

#define SIM_CONVO_POOL 2048

typedef struct sim_convo {
    int region, plan, client;
    int turn;
    int history_tokens;
    int topic;
    bool live;
} sim_convo;

typedef struct sim_traffic {
    const mllm_world *w;
    sim_traffic_spec spec;       /* copy; traffic shifts change it */
    double rate_multiplier;      /* from traffic shifts */
    sim_rng rng, convo_rng;
    double *cum;                 /* cumulative weights over catalogue texts */
    double cum_region[MLLM_REGIONS], cum_plan[MLLM_PLANS], cum_client[MLLM_CLIENTS];
    int ncum;
    uint64_t next_id;
    sim_convo pool[SIM_CONVO_POOL];
    int live_convos;
    int32_t start_second;        /* second of day at t=0, for the diurnal profile */
} sim_traffic;

/* Sets up traffic for scenario `s` over world `w`. Returns 0 or -ENOMEM. */
int sim_traffic_init(sim_traffic *t, const sim_scenario *s, const mllm_world *w);
void sim_traffic_release(sim_traffic *t);

/* Requests/s at time `now` (profile, bursts and shifts applied). */
double sim_traffic_rate(const sim_traffic *t, sim_time now);
/* Time of the next arrival after `now`. */
sim_time sim_traffic_next(sim_traffic *t, sim_time now);
/* Fills the next request arriving at `now`. */
void sim_traffic_make(sim_traffic *t, sim_time now, mllm_request *req);
/* Applies a traffic_shift change: rate multiplier (0 = unchanged) and topic
 * multipliers (0 = unchanged). Returns 0 or -ENOMEM. */
int sim_traffic_shift(sim_traffic *t, double rate_multiplier, const double *topic_mult);

#endif
