/* sim_drill.h - the drill engine: one scenario, one seed, one service.
 *
 * The drill owns the event queue, the simulated service, traffic, metrics,
 * alerts, traces, the event log and scoring. It advances only when told:
 * sim_drill_run_until(t) processes every event up to virtual time t, as fast
 * as the CPU allows. Paced (live) drills call it with a target computed from
 * the wall clock by sim_pacer (the drill itself never reads a clock). The
 * GUI, the headless runner and the HTTP server all drive this same object.
 *
 * Event order at equal times: service jobs, timeline changes, faults, action
 * effects, action requests, arrivals, ticks, end (see sim_drill.c). Same
 * scenario + seed + actions => byte-identical event log. */
#ifndef SIM_DRILL_H
#define SIM_DRILL_H

#include <stdbool.h>
#include <stdint.h>

#include "mllm_service.h"
#include "sim_alerts.h"
#include "sim_log.h"
#include "sim_metrics.h"
#include "sim_queue.h"
#include "sim_scenario.h"
#include "sim_score.h"
#include "sim_traces.h"
#include "sim_traffic.h"

#define SIM_MAX_PENDING 64
#define SIM_MAX_HISTORY 512
#define SIM_MAX_CHANGELOG 256

typedef struct sim_drill sim_drill;

typedef struct sim_drill_opts {
    const char *log_path;            /* NULL: digest only */
    const sim_responder *responder;  /* NULL: nobody responds */
    const char *scenario_path;       /* recorded in the log's start line */
    const char *responder_path;
    bool log_requests;               /* one line per request (debugging; large) */
} sim_drill_opts;

typedef struct sim_action_rec {
    uint64_t seq;
    sim_action_spec a;
    char by[16];                 /* "trainee", "responder", "trainer" */
    sim_time requested, effective; /* effective: SIM_TIME_NEVER while pending */
    bool needs_approval;
    int status;                  /* 0 ok, < 0 failed when applied */
    char note[96];               /* result text ("3 alerts acknowledged", error) */
} sim_action_rec;

typedef struct sim_change_rec {
    sim_time t;
    int kind;                    /* mllm_change_kind */
    bool visible;                /* shown in the trainee's change log */
    bool decoy;                  /* authored as a decoy (trainer only) */
    char text[200];
} sim_change_rec;

typedef struct sim_result {
    char scenario[64];
    uint64_t seed;
    sim_time duration;
    sim_time onset, detect, diagnose, resolve;  /* absolute, SIM_TIME_NEVER when not reached */
    sim_score_out score;
    bool symptom_correct, cause_correct;
    char diagnosis[96];          /* "symptom/cause" as recorded, "" when none */
    uint64_t requests, bad_responses, unavailable;
    double harm, fault_harm, cost;
    uint64_t labels[MLLM_LABEL_COUNT];
    int actions, wrong_levers;
    bool symptom_appeared;       /* a fault caused harm at some point */
    bool incident_ahead;         /* scored before the incident: no harm yet while a fault is
                                    still to begin or under way (response parts earn nothing) */
    bool contained;              /* harm back under threshold and staying there */
    bool postmortem_done;        /* complete and within the deadline */
    bool postmortem_eval_ok;     /* one of its eval cases proved itself */
    int eval_cases, eval_proven; /* filled by whoever checked the cases */
    char trainee[64];            /* who responded ("" unknown), for leaderboards */
    char log_sha256[65];
} sim_result;

/* Creates a drill at t=0. The scenario and world must outlive it. Returns
 * NULL with a message in err when out of memory or the log cannot be opened. */
sim_drill *sim_drill_new(const sim_scenario *s, const mllm_world *w, const sim_drill_opts *o,
                         char *err, size_t errlen);
void sim_drill_free(sim_drill *d); /* NULL is a no-op */

/* Processes every event up to `t` (capped at the drill's end). Returns the
 * number of requests served. */
uint64_t sim_drill_run_until(sim_drill *d, sim_time t);
/* Runs to the end; calls progress(ctx, now, duration) about every simulated
 * minute when non-NULL. */
void sim_drill_run(sim_drill *d, void (*progress)(void *ctx, sim_time now, sim_time end),
                   void *ctx);
bool sim_drill_finished(const sim_drill *d);
sim_time sim_drill_now(const sim_drill *d);
sim_time sim_drill_duration(const sim_drill *d);

/* Requests an action now (just after the current time), as `by`. Returns the
 * action's sequence number (> 0) or -EINVAL with a message in err. Levers take
 * effect after their runbook delay (and approval when the runbook says so). */
long sim_drill_act(sim_drill *d, const sim_action_spec *a, const char *by, char *err,
                   size_t errlen);
/* The same at an explicit time >= now (replay and resume). */
long sim_drill_act_at(sim_drill *d, sim_time t, const sim_action_spec *a, const char *by,
                      char *err, size_t errlen);

#define SIM_MAX_TRAINER_OPS 128

typedef struct sim_trainer_op {
    int type;          /* inject, clear, decoy */
    sim_time t;        /* when it runs */
    mllm_fault f;      /* inject: the fault (start < t means t) */
    char id[32];       /* inject: the fault's id */
    int index;         /* clear: the fault index */
    char text[200];    /* decoy: what the change log shows */
    int result;        /* fault index, 0, or a negative error once run */
} sim_trainer_op;

/* Trainer: injects a fault live (copied; starts at max(f->start, now)), or
 * clears one; each is logged with everything a replay needs. Returns the
 * fault index or a negative error. */
int sim_drill_inject(sim_drill *d, const mllm_fault *f, const char *id);
int sim_drill_clear_fault(sim_drill *d, int index);
/* Trainer: a decoy change shown in the change log now. */
int sim_drill_decoy(sim_drill *d, const char *text);
/* The same, scheduled at an explicit time >= now (replay and resume).
 * Return 0 or a negative error; the effect happens when the clock gets there. */
int sim_drill_inject_at(sim_drill *d, sim_time t, const mllm_fault *f, const char *id);
int sim_drill_clear_fault_at(sim_drill *d, sim_time t, int index);
int sim_drill_decoy_at(sim_drill *d, sim_time t, const char *text);

/* Serves one request outside the traffic (HTTP clients, reproduce) now. It is
 * recorded in metrics and traces like any other. When the drill writes a log
 * file, a request that is not a dry run is also logged as a "served" line, so
 * that a replay serves it again at the same point. Once the drill has ended,
 * requests are answered but neither recorded nor logged. */
void sim_drill_serve(sim_drill *d, mllm_request *req, mllm_response *resp);
/* The operator stopped the drill before its end (serve, gui): logs a
 * "stopped" line at the current time, after every event at that time, and
 * flushes the log, so that a replay runs to this very point and gives the
 * same result. Once the drill has ended it only flushes the log. */
void sim_drill_mark_stopped(sim_drill *d);
/* Replay and resume: the same line at time t >= now. 0 or a negative errno. */
int sim_drill_mark_stopped_at(sim_drill *d, sim_time t);
/* Replay and resume: serves a copy of req (its text copied too) at time
 * t >= now, after every other event at t, and logs it as the original did.
 * 0 or a negative errno. */
int sim_drill_serve_at(sim_drill *d, sim_time t, const mllm_request *req);

/* Read access for faces (GUI, HTTP, CLI). Pointers stay valid until the next
 * call that advances the drill. */
const sim_scenario *sim_drill_scenario(const sim_drill *d);
const mllm_world *sim_drill_world(const sim_drill *d);
const mllm_service *sim_drill_service(const sim_drill *d);
mllm_service *sim_drill_service_mut(sim_drill *d);
const sim_metrics *sim_drill_metrics(const sim_drill *d);
const sim_alerts *sim_drill_alerts(const sim_drill *d);
const sim_traces *sim_drill_traces(const sim_drill *d);
int sim_drill_history(const sim_drill *d, const sim_action_rec **out);  /* all actions */
int sim_drill_changes(const sim_drill *d, const sim_change_rec **out);  /* oldest first */
bool sim_drill_incident_declared(const sim_drill *d, int *severity);
bool sim_drill_resolved(const sim_drill *d);
/* Scores the drill as of now (final once finished). */
void sim_drill_result(sim_drill *d, sim_result *r);
/* Marks the post-mortem as done (and whether its eval case proved itself),
 * unlogged: for credit a replay recomputes (a scripted responder's). */
void sim_drill_postmortem(sim_drill *d, bool done, bool eval_ok);
/* The same for a post-mortem a person wrote (the GUI): also logged as a
 * "postmortem" line at the current time (after the "end" line once the drill
 * has ended), durably, so that a replay credits it the same. */
void sim_drill_postmortem_record(sim_drill *d, bool done, bool eval_ok);
/* Replays a logged post-mortem: at time t, or, for one logged after the end,
 * once the drill has ended (t is then its end). Returns 0 or -EINVAL. */
int sim_drill_postmortem_at(sim_drill *d, sim_time t, bool done, bool eval_ok);
void sim_drill_log_digest(const sim_drill *d, char hex[65]);
/* Flushes the event log (durably when asked). */
int sim_drill_flush(sim_drill *d, bool durable);

/* Writes the result as JSON (the R.json format). Returns 0 or -errno. */
int sim_result_write(const sim_result *r, const sim_scenario *s, const char *path);
/* Prints a human summary. */
void sim_result_print(const sim_result *r, const sim_scenario *s, FILE *f);

/* ---- pacing for live drills ----------------------------------------------------------- */

/* Maps wall-clock time (given by the caller, in ns) to virtual time with a
 * speed factor, pause and resume. Contains no clock itself. */
typedef struct sim_pacer {
    double speed;          /* virtual seconds per wall second */
    bool paused;
    uint64_t wall0_ns;     /* wall time at the last anchor */
    sim_time virt0;        /* virtual time at the last anchor */
} sim_pacer;
void sim_pacer_init(sim_pacer *p, double speed, uint64_t wall_now_ns, sim_time virt_now);
sim_time sim_pacer_target(const sim_pacer *p, uint64_t wall_now_ns);
void sim_pacer_set_speed(sim_pacer *p, double speed, uint64_t wall_now_ns);
void sim_pacer_pause(sim_pacer *p, bool paused, uint64_t wall_now_ns);

#endif
