/* bench_queue.c - the event-queue-only ceiling of the drill engine.
 *
 * Simulates a Poisson arrival process (default 50/s for 24 simulated hours, ~4.32M arrivals):
 * each arrival schedules the next arrival and its own departure after an exponential service
 * time (no queueing, so ~rate * service events are pending). Whatever the full drill does per
 * request, it cannot beat these rates. A second run, the classic "hold" model with precomputed
 * increments, isolates bare push+pop cost. Wall time comes from CLOCK_MONOTONIC here only;
 * the simulation never sees it. The last line is machine-readable. */
#include "sim_queue.h"
#include "sim_rng.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct arrivals {
    sim_rng rng;            /* SIM_STREAM_TRAFFIC of the run's seed */
    double gap_mean_us;     /* mean inter-arrival time */
    double service_mean_us; /* mean service time */
    sim_time horizon;       /* no arrival is scheduled after this */
    uint64_t arrivals;      /* arrival events fired */
    uint64_t departures;    /* departure events fired */
    uint64_t checksum;      /* folds every departure time, to show runs are identical */
    size_t max_pending;     /* high-water mark of the queue */
} arrivals;

typedef struct run_result {
    double wall_s;
    uint64_t events;
    uint64_t arrivals;
} run_result;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static sim_time draw_us(sim_rng *r, double mean_us)
{
    return (sim_time)(sim_rng_exp(r, mean_us) + 0.5);
}

static void on_departure(sim_queue *q, void *ctx, uint64_t arg)
{
    arrivals *a = ctx;
    a->departures++;
    a->checksum = (a->checksum ^ sim_queue_now(q) ^ arg) * 0x100000001b3u;
}

static void on_arrival(sim_queue *q, void *ctx, uint64_t arg)
{
    arrivals *a = ctx;
    sim_time now = sim_queue_now(q);
    a->arrivals++;
    int rc = sim_queue_push(q, now + draw_us(&a->rng, a->service_mean_us), 0, on_departure, a, arg,
                            NULL);
    sim_time next = now + draw_us(&a->rng, a->gap_mean_us);
    if (rc == 0 && next <= a->horizon)
        rc = sim_queue_push(q, next, 0, on_arrival, a, arg + 1, NULL);
    if (rc < 0) {
        fprintf(stderr, "bench_queue: push failed (%d)\n", rc);
        exit(1);
    }
    size_t pending = sim_queue_pending(q);
    if (pending > a->max_pending)
        a->max_pending = pending;
}

static run_result run_arrivals(uint64_t seed, double rate, double service_s, double hours,
                               arrivals *a)
{
    memset(a, 0, sizeof *a);
    sim_rng_init(&a->rng, seed, SIM_STREAM_TRAFFIC);
    a->gap_mean_us = 1e6 / rate;
    a->service_mean_us = service_s * 1e6;
    a->horizon = (sim_time)(hours * 3600.0 * 1e6);
    sim_queue *q = sim_queue_new();
    if (!q || sim_queue_push(q, draw_us(&a->rng, a->gap_mean_us), 0, on_arrival, a, 0, NULL)) {
        fprintf(stderr, "bench_queue: out of memory\n");
        exit(1);
    }
    double t0 = now_s();
    while (sim_queue_step(q))
        ;
    double t1 = now_s();
    run_result r = {.wall_s = t1 - t0, .events = sim_queue_fired(q), .arrivals = a->arrivals};
    sim_queue_free(q);
    return r;
}

static void on_hold(sim_queue *q, void *ctx, uint64_t arg)
{
    (void)q;
    (void)arg;
    ++*(uint64_t *)ctx;
}

/* Hold model: `pending` events in the queue; each step pops the earliest and pushes one at
 * now + a precomputed random increment, so only queue work is timed. */
static run_result run_hold(uint64_t seed, size_t pending, uint64_t ops)
{
    enum { NINC = 4096 };
    sim_time inc[NINC];
    sim_rng r;
    sim_rng_init(&r, seed, SIM_STREAM_ACTION);
    for (int i = 0; i < NINC; i++)
        inc[i] = draw_us(&r, 1e6);
    uint64_t fired = 0;
    sim_queue *q = sim_queue_new();
    if (!q) {
        fprintf(stderr, "bench_queue: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < pending; i++)
        sim_queue_push(q, inc[i % NINC], 0, on_hold, &fired, 0, NULL);
    double t0 = now_s();
    for (uint64_t i = 0; i < ops; i++) {
        sim_queue_step(q);
        sim_queue_push(q, sim_queue_now(q) + inc[i % NINC], 0, on_hold, &fired, 0, NULL);
    }
    double t1 = now_s();
    sim_queue_free(q);
    return (run_result){.wall_s = t1 - t0, .events = fired, .arrivals = 0};
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_queue [-H hours] [-r rate_per_s] [-s service_mean_s]"
                    " [-n repeats] [-S seed]\n");
}

int main(int argc, char **argv)
{
    double hours = 24.0, rate = 50.0, service_s = 2.0;
    int repeats = 3;
    uint64_t seed = 42;
    int opt;
    while ((opt = getopt(argc, argv, "H:r:s:n:S:h")) != -1) {
        switch (opt) {
        case 'H':
            hours = strtod(optarg, NULL);
            break;
        case 'r':
            rate = strtod(optarg, NULL);
            break;
        case 's':
            service_s = strtod(optarg, NULL);
            break;
        case 'n':
            repeats = atoi(optarg);
            break;
        case 'S':
            seed = strtoull(optarg, NULL, 0);
            break;
        default:
            usage();
            return opt == 'h' ? 0 : 2;
        }
    }
    if (!(hours > 0) || !(rate > 0) || !(service_s >= 0) || repeats < 1 || repeats > 100) {
        usage();
        return 2;
    }

    printf("bench_queue: seed=%" PRIu64 " rate=%.3g/s service_mean=%.3gs hours=%.3g"
           " repeats=%d\n",
           seed, rate, service_s, hours, repeats);
    printf("%-8s %10s %10s %9s %12s %12s %9s %8s %16s\n", "run", "arrivals", "events", "wall_s",
           "events/s", "arrivals/s", "ns/event", "maxpend", "checksum");
    double ev_rate[100], ar_rate[100];
    for (int i = 0; i < repeats; i++) {
        arrivals a;
        run_result r = run_arrivals(seed, rate, service_s, hours, &a);
        ev_rate[i] = (double)r.events / r.wall_s;
        ar_rate[i] = (double)r.arrivals / r.wall_s;
        printf("poisson%-1d %10" PRIu64 " %10" PRIu64 " %9.3f %12.0f %12.0f %9.1f %8zu"
               " %016" PRIx64 "\n",
               i + 1, r.arrivals, r.events, r.wall_s, ev_rate[i], ar_rate[i],
               r.wall_s * 1e9 / (double)r.events, a.max_pending, a.checksum);
    }

    run_result h = run_hold(seed, 100, 20000000);
    printf("%-8s %10s %10" PRIu64 " %9.3f %12.0f %12s %9.1f %8d   (push+pop pairs, 100 pending)\n",
           "hold100", "-", h.events, h.wall_s, (double)h.events / h.wall_s, "-",
           h.wall_s * 1e9 / (double)h.events, 100);

    qsort(ev_rate, (size_t)repeats, sizeof ev_rate[0], cmp_double);
    qsort(ar_rate, (size_t)repeats, sizeof ar_rate[0], cmp_double);
    printf("median of %d poisson runs; hold100 is the bare push+pop ceiling\n", repeats);
    printf("queue_events_per_s=%.0f queue_arrivals_per_s=%.0f\n", ev_rate[repeats / 2],
           ar_rate[repeats / 2]);
    return 0;
}
