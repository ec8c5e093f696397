/* bench_drill.c - fast-mode speed of the whole drill engine.
 *
 * Runs a 24-hour scenario at 50 requests/s (~4.3M requests) through the full
 * pipeline - traffic, the simulated service with a fault, metrics, judge,
 * alerts, traces, event log digest - and reports simulated requests per
 * second of wall time and peak RSS. Beside it: the event-queue-only ceiling
 * (the same arrival process with a trivial service step, in C), and SimPy
 * (Debian's python3-simpy) running that arrival process, as the peer a
 * modeller would otherwise pick. The last line is key=value figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim_drill.h"
#include "sim_rng.h"

static const char scenario_json[] =
    "{\"id\":\"bench-24h\",\"title\":\"24 hours at 50 requests/s\",\"difficulty\":\"hard\","
    "\"briefing\":\"benchmark\",\"seed\":42,\"duration\":\"24h\","
    "\"baseline\":{\"traffic\":{\"rate\":50,\"profile\":\"constant\"}},"
    "\"faults\":[{\"id\":\"rd\",\"kind\":\"retrieval_degradation\",\"start\":\"2h\","
    "\"duration\":\"3h\",\"target\":{\"fraction\":0.3}},"
    "{\"id\":\"slow\",\"kind\":\"provider_slowdown\",\"start\":\"10h\",\"duration\":\"1h\","
    "\"params\":{\"factor\":4}}],"
    "\"expected\":{\"diagnosis\":[{\"symptom\":\"wrong_random\",\"cause\":"
    "\"retrieval_degradation\"}],\"contain\":[\"disclaimer:on\"],\"fix\":[\"reindex\"]}}";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct qonly {
    sim_rng rng;
    double gap_us;
    sim_time end;
    uint64_t n;
} qonly;

static void q_arrival(sim_queue *q, void *ctx, uint64_t arg)
{
    qonly *a = ctx;
    (void)arg;
    a->n++;
    sim_time next = sim_queue_now(q) + (sim_time)(sim_rng_exp(&a->rng, a->gap_us) + 1);
    if (next < a->end)
        sim_queue_push(q, next, 5, q_arrival, a, 0, NULL);
}

/* The same arrival process with nothing behind it: the ceiling. */
static double queue_only(sim_time end, double rate)
{
    sim_queue *q = sim_queue_new();
    qonly a;
    sim_rng_init(&a.rng, 42, SIM_STREAM_TRAFFIC);
    a.gap_us = 1e6 / rate;
    a.end = end;
    a.n = 0;
    sim_queue_push(q, 1, 5, q_arrival, &a, 0, NULL);
    double t0 = now_s();
    while (sim_queue_step(q))
        ;
    double dt = now_s() - t0;
    sim_queue_free(q);
    return (double)a.n / dt;
}

static double simpy_rate(void)
{
    FILE *p = popen("/usr/bin/python3 " FIREDRILL_DATA_DIR "/tests/bench/simpy_peer.py 2 2>/dev/null",
                    "r");
    if (!p)
        return 0;
    char line[512], last[512] = "";
    while (fgets(line, sizeof line, p))
        snprintf(last, sizeof last, "%s", line);
    pclose(p);
    const char *k = strstr(last, "simpy_arrivals_per_s=");
    return k ? atof(k + strlen("simpy_arrivals_per_s=")) : 0;
}

int main(void)
{
    mllm_diags diags;
    mllm_diags_clear(&diags);
    mllm_world *w = mllm_world_load(FIREDRILL_DATA_DIR "/assets", &diags);
    if (!w) {
        mllm_diags_print(&diags, stderr);
        return 2;
    }
    sim_scenario *sc = sim_scenario_parse("<bench>", scenario_json, sizeof scenario_json - 1, w,
                                          &diags);
    if (!sc) {
        mllm_diags_print(&diags, stderr);
        return 2;
    }
    char err[256];
    sim_drill_opts o = {0};
    sim_drill *d = sim_drill_new(sc, w, &o, err, sizeof err);
    if (!d) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    double t0 = now_s();
    sim_drill_run(d, NULL, NULL);
    double dt = now_s() - t0;
    sim_result r;
    sim_drill_result(d, &r);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rss_mb = (double)ru.ru_maxrss / 1024.0;
    double rate = (double)r.requests / dt;
    double ceiling = queue_only(sc->duration, 50);
    double simpy = simpy_rate();
    printf("full drill: %llu simulated requests in %.2f s wall = %.0f requests/s "
           "(24 simulated hours at 50/s; traces kept %zu, log sha256 %.12s...)\n",
           (unsigned long long)r.requests, dt, rate, sim_traces_count(sim_drill_traces(d)),
           r.log_sha256);
    printf("event-queue-only ceiling (same arrivals, trivial service): %.0f arrivals/s "
           "(full drill = %.2fx of it)\n", ceiling, rate / ceiling);
    if (simpy > 0)
        printf("SimPy (python3-simpy) same arrival process, trivial service: %.0f arrivals/s; "
               "full drill = %.1fx SimPy\n", simpy, rate / simpy);
    else
        printf("SimPy peer not available (install python3-simpy)\n");
    printf("peak RSS %.1f MB\n", rss_mb);
    printf("sim_requests_per_s=%.0f peak_rss_mb=%.1f queue_only_per_s=%.0f simpy_per_s=%.0f "
           "ratio_vs_simpy=%.2f ratio_vs_queue_only=%.3f\n",
           rate, rss_mb, ceiling, simpy, simpy > 0 ? rate / simpy : 0, rate / ceiling);
    sim_drill_free(d);
    sim_scenario_free(sc);
    mllm_world_free(w);
    return 0;
}
