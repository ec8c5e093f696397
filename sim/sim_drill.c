/* sim_drill.c - the drill engine: events, actions, monitoring, log and scoring.
 *
 * Event priorities at equal times (lower first): service jobs 0, timeline
 * changes 1, fault starts/ends 2, action effects 3, action requests and
 * responder steps 4, arrivals 5, ticks 6, end 9. Within a priority, events fire
 * in the order they were pushed. Actions are logged when their request event
 * fires, so a replay that pushes every action up front logs them in the same
 * place as the live run did. */
#include "sim_drill.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "sim_rng.h"

/* Requests served outside the traffic (HTTP) run last at their time, after
 * everything the clock had reached when they came. */
enum { PRIO_SERVICE, PRIO_CHANGE, PRIO_FAULT, PRIO_EFFECT, PRIO_REQUEST, PRIO_ARRIVAL, PRIO_TICK,
       PRIO_END = 9, PRIO_SERVED = 10 };
#define SERVED_NOW UINT64_MAX /* ev_served's argument for the request being served live */

/* A served request scheduled by a replay: the request and its own copy of the text. */
typedef struct served_req {
    mllm_request req;
    char *text;
} served_req;

#define TICK SIM_SEC(10)

struct sim_drill {
    const sim_scenario *sc;
    const mllm_world *w;
    sim_drill_opts o;
    sim_queue *q;
    mllm_service *svc;
    sim_traffic tr;
    sim_metrics *m;
    sim_alerts al;
    sim_traces traces;
    sim_log log;
    uint64_t svc_handle;
    sim_time svc_at;
    bool finished;
    /* actions */
    sim_action_rec *hist;
    int nhist;
    bool declared, resolved;
    int severity;
    bool step_fired[SIM_MAX_STEPS];
    /* changes */
    sim_change_rec *changes;
    int nchanges;
    bool applying_decoy;
    /* scoring */
    sim_time onset;
    double *harm10;
    uint8_t *blunt10;
    size_t nslots;
    bool postmortem_done, postmortem_eval_ok;
    uint64_t http_ids;      /* ids for requests served outside the traffic */
    mllm_request *serving;  /* the request sim_drill_serve is serving, and its answer */
    mllm_response *served;
    served_req *replayed;   /* served requests a replay scheduled */
    int nreplayed, capreplayed;
    bool log_served;        /* served requests are logged: a log file, or a replay of one */
    char fault_ids[MLLM_MAX_FAULTS][32];
    sim_trainer_op *ops;    /* trainer operations (inject, clear, decoy) */
    int nops;
};

/* ---- logging helpers ------------------------------------------------------------------ */

static void fmt_num(char *buf, size_t n, double v)
{
    if (isnan(v) || isinf(v))
        snprintf(buf, n, "null");
    else
        snprintf(buf, n, "%.6g", v);
}

static void on_change(void *ctx, mllm_time t, mllm_change_kind kind, bool visible,
                      const char *text)
{
    sim_drill *d = ctx;
    char esc[512];
    sim_json_escape(text, esc, sizeof esc);
    sim_log_line(&d->log,
                 "{\"type\":\"change\",\"t\":%llu,\"kind\":\"%s\",\"visible\":%s,\"decoy\":%s,"
                 "\"text\":%s}",
                 (unsigned long long)t, mllm_change_names[kind], visible ? "true" : "false",
                 d->applying_decoy ? "true" : "false", esc);
    if (d->nchanges == SIM_MAX_CHANGELOG) {
        memmove(d->changes, d->changes + 1, sizeof *d->changes * (SIM_MAX_CHANGELOG - 1));
        d->nchanges--;
    }
    sim_change_rec *c = &d->changes[d->nchanges++];
    c->t = t;
    c->kind = kind;
    c->visible = visible;
    c->decoy = d->applying_decoy;
    snprintf(c->text, sizeof c->text, "%s", text);
}

static void svc_resched(sim_drill *d);

static void ev_service(sim_queue *q, void *ctx, uint64_t arg)
{
    sim_drill *d = ctx;
    (void)arg;
    d->svc_handle = 0;
    d->svc_at = SIM_TIME_NEVER;
    mllm_service_advance(d->svc, sim_queue_now(q));
    svc_resched(d);
}

static void svc_resched(sim_drill *d)
{
    sim_time next = mllm_service_next_event(d->svc);
    sim_time now = sim_queue_now(d->q);
    if (next != MLLM_NEVER && next < now)
        next = now;
    if (next > d->sc->duration)
        next = SIM_TIME_NEVER;
    if (next == d->svc_at)
        return;
    if (d->svc_handle)
        sim_queue_cancel(d->q, d->svc_handle);
    d->svc_handle = 0;
    d->svc_at = next;
    if (next != SIM_TIME_NEVER)
        sim_queue_push(d->q, next, PRIO_SERVICE, ev_service, d, 0, &d->svc_handle);
}

/* ---- serving -------------------------------------------------------------------------- */

static void record(sim_drill *d, const mllm_request *req, const mllm_response *r, bool traffic)
{
    const sim_scenario *s = d->sc;
    double judge = sim_judge(s->seed, req->id, r, s->judge_sample, s->judge_noise);
    sim_metrics_record(d->m, req->t, req, r, judge);
    bool sampled = !traffic ||
                   sim_rng_hash_uniform(s->seed, SIM_STREAM_TRACE, req->id, 0) < s->trace_sample;
    sim_traces_offer(&d->traces, req, r, judge, sampled, SIM_TRACE_FAILING);
    if (d->onset == SIM_TIME_NEVER && r->fault_mask && sim_harm(r) > 0)
        d->onset = req->t;
    if (d->o.log_requests)
        sim_log_line(&d->log,
                     "{\"type\":\"request\",\"t\":%llu,\"id\":%llu,\"text\":%d,\"status\":%d,"
                     "\"label\":\"%s\",\"latency_us\":%u}",
                     (unsigned long long)req->t, (unsigned long long)req->id, req->text,
                     r->status, mllm_label_names[r->label], r->latency_us);
}

static void ev_arrival(sim_queue *q, void *ctx, uint64_t arg)
{
    sim_drill *d = ctx;
    (void)arg;
    sim_time now = sim_queue_now(q);
    mllm_request req;
    mllm_response r;
    sim_traffic_make(&d->tr, now, &req);
    mllm_service_handle(d->svc, &req, &r);
    record(d, &req, &r, true);
    sim_time next = sim_traffic_next(&d->tr, now);
    if (next < d->sc->duration)
        sim_queue_push(q, next, PRIO_ARRIVAL, ev_arrival, d, 0, NULL);
}

/* Logs a served request with everything a replay needs to serve it again
 * (the id as a string: JSON readers keep only 53 bits of a number). */
static void log_served(sim_drill *d, const mllm_request *req)
{
    char small[512], *esc = small;
    const char *text = req->text < 0 && req->free_text ? req->free_text : NULL;
    size_t need = text ? strlen(text) * 6 + 16 : 8;
    if (need > sizeof small && !(esc = malloc(need)))
        return; /* out of memory: the log loses this line, the drill goes on */
    if (text)
        sim_json_escape(text, esc, need);
    else
        snprintf(esc, need, "null");
    sim_log_line(&d->log,
                 "{\"type\":\"served\",\"t\":%llu,\"id\":\"%llu\",\"text\":%d,\"free_text\":%s,"
                 "\"region\":%d,\"plan\":%d,\"client\":%d,\"turn\":%d,\"history_tokens\":%d,"
                 "\"structured\":%s,\"max_tokens\":%d}",
                 (unsigned long long)req->t, (unsigned long long)req->id, req->text, esc,
                 req->region, req->plan, req->client, req->turn, req->history_tokens,
                 req->structured ? "true" : "false", req->max_tokens);
    if (esc != small)
        free(esc);
}

/* Once the drill is over a request is answered but no longer part of it
 * (neither logged nor counted), so that the result stays the replay's. */
static void serve_now(sim_drill *d, mllm_request *req, mllm_response *resp)
{
    bool counts = !req->dry_run && !d->finished;
    req->t = sim_queue_now(d->q);
    if (!req->id)
        req->id = (1ull << 62) + ++d->http_ids;
    if (counts && d->log_served)
        log_served(d, req);
    mllm_service_handle(d->svc, req, resp);
    if (counts)
        record(d, req, resp, false);
}

static void ev_served(sim_queue *q, void *ctx, uint64_t arg)
{
    sim_drill *d = ctx;
    (void)q;
    if (arg == SERVED_NOW) {
        if (d->serving)
            serve_now(d, d->serving, d->served);
        d->serving = NULL;
        return;
    }
    served_req *sr = &d->replayed[arg];
    mllm_response r;
    serve_now(d, &sr->req, &r);
    free(sr->text);
    sr->text = NULL;
}

void sim_drill_serve(sim_drill *d, mllm_request *req, mllm_response *resp)
{
    /* When the drill logs them (it writes a log file), a request that changes
     * the service goes through the queue, as the last event at the current
     * time, exactly where a replay of the log puts it. Otherwise it is served
     * at once: without a file nobody can replay the drill, and the log line
     * (its digest) and the queue would be a cost on every HTTP request. */
    sim_time now = sim_queue_now(d->q);
    if (req->dry_run || d->finished || !d->log_served ||
        sim_queue_push(d->q, now, PRIO_SERVED, ev_served, d, SERVED_NOW, NULL) != 0) {
        serve_now(d, req, resp);
        return;
    }
    d->serving = req;
    d->served = resp;
    sim_drill_run_until(d, now);
    if (d->serving) { /* the drill ended at this very time, before the request ran */
        d->serving = NULL;
        serve_now(d, req, resp);
    }
}

/* ---- stops ---------------------------------------------------------------------------- */

static void ev_stopped(sim_queue *q, void *ctx, uint64_t arg)
{
    sim_drill *d = ctx;
    (void)arg;
    sim_log_line(&d->log, "{\"type\":\"stopped\",\"t\":%llu}",
                 (unsigned long long)sim_queue_now(q));
}

int sim_drill_mark_stopped_at(sim_drill *d, sim_time t)
{
    if (t < sim_queue_now(d->q))
        return -EINVAL;
    return sim_queue_push(d->q, t, PRIO_SERVED, ev_stopped, d, 0, NULL);
}

void sim_drill_mark_stopped(sim_drill *d)
{
    sim_time now = sim_queue_now(d->q);
    /* An ended drill's log already ends with it. */
    if (!d->finished && sim_drill_mark_stopped_at(d, now) == 0)
        sim_drill_run_until(d, now);
    sim_log_flush(&d->log, true);
}

int sim_drill_serve_at(sim_drill *d, sim_time t, const mllm_request *req)
{
    if (t < sim_queue_now(d->q) || req->dry_run)
        return -EINVAL;
    d->log_served = true;
    if (d->nreplayed == d->capreplayed) {
        int cap = d->capreplayed ? d->capreplayed * 2 : 64;
        served_req *nr = realloc(d->replayed, sizeof *nr * (size_t)cap);
        if (!nr)
            return -ENOMEM;
        d->replayed = nr;
        d->capreplayed = cap;
    }
    served_req *sr = &d->replayed[d->nreplayed];
    sr->req = *req;
    sr->text = NULL;
    if (req->text < 0 && req->free_text && !(sr->text = strdup(req->free_text)))
        return -ENOMEM;
    sr->req.free_text = sr->text;
    int rc = sim_queue_push(d->q, t, PRIO_SERVED, ev_served, d, (uint64_t)d->nreplayed, NULL);
    if (rc != 0) {
        free(sr->text);
        return rc;
    }
    d->nreplayed++;
    return 0;
}

/* ---- ticks ---------------------------------------------------------------------------- */

static double index_age_min(const sim_drill *d, sim_time now)
{
    mllm_status st;
    mllm_service_status(d->svc, now, &st);
    return ((double)now - (double)st.index_built_at) / 60e6;
}

static void log_minute(sim_drill *d, sim_time end)
{
    const sim_bucket *b = sim_metrics_bucket(d->m, end - SIM_MIN(1), true);
    if (!b)
        return;
    char p50[32], p99[32], q[32], cost[32], ctxt[32], harm[32], fharm[32], age[32];
    fmt_num(p50, sizeof p50, sim_bucket_value(b, SIM_M_LATENCY_P50, 60));
    fmt_num(p99, sizeof p99, sim_bucket_value(b, SIM_M_LATENCY_P99, 60));
    fmt_num(q, sizeof q, sim_bucket_value(b, SIM_M_QUALITY, 60));
    fmt_num(cost, sizeof cost, b->cost);
    fmt_num(ctxt, sizeof ctxt, sim_bucket_value(b, SIM_M_CONTEXT_TOKENS, 60));
    fmt_num(harm, sizeof harm, b->harm);
    fmt_num(fharm, sizeof fharm, b->fault_harm);
    fmt_num(age, sizeof age, b->index_age_min);
    char labels[256];
    size_t o = 0;
    for (int i = 0; i < MLLM_LABEL_COUNT; i++)
        o += (size_t)snprintf(labels + o, sizeof labels - o, "%s%u", i ? "," : "", b->labels[i]);
    sim_log_line(&d->log,
                 "{\"type\":\"minute\",\"t\":%llu,\"start\":%llu,\"requests\":%u,\"errors\":%u,\"s429\":%u,"
                 "\"refusals\":%u,\"fallbacks\":%u,\"cache_hits\":%u,\"judged\":%u,"
                 "\"judged_bad\":%u,\"quality\":%s,\"p50_ms\":%s,\"p99_ms\":%s,\"cost\":%s,"
                 "\"context_tokens\":%s,\"index_age_min\":%s,\"harm\":%s,\"fault_harm\":%s,"
                 "\"labels\":[%s]}",
                 (unsigned long long)end, (unsigned long long)b->start, b->requests, b->errors, b->status[SIM_ST_429],
                 b->refusals, b->fallbacks, b->cache_hits, b->judged, b->judged_bad, q, p50, p99,
                 cost, ctxt, age, harm, fharm, labels);
}

static void ev_tick(sim_queue *q, void *ctx, uint64_t arg)
{
    sim_drill *d = ctx;
    (void)arg;
    sim_time now = sim_queue_now(q);
    sim_metrics_roll(d->m, now, index_age_min(d, now));
    if (now >= TICK) {
        size_t slot = (size_t)((now - TICK) / TICK);
        const sim_bucket *b = sim_metrics_bucket(d->m, now - TICK, false);
        if (slot < d->nslots) {
            d->harm10[slot] = b ? b->fault_harm : 0;
            const mllm_controls *c = mllm_service_controls(d->svc);
            d->blunt10[slot] = c->kill_switch || c->disabled_types || c->disabled_topics;
        }
        sim_alerts_eval(&d->al, d->m, now);
    }
    if (now >= SIM_MIN(1) && now % SIM_MIN(1) == 0)
        log_minute(d, now);
    if (now + TICK <= d->sc->duration)
        sim_queue_push(q, now + TICK, PRIO_TICK, ev_tick, d, 0, NULL);
}

/* ---- actions -------------------------------------------------------------------------- */

static bool is_lever(sim_action_kind k)
{
    return k <= SIM_ACT_FLUSH_CACHE;
}

static bool on_arg(const char *a)
{
    return strcasecmp(a, "on") == 0 || strcmp(a, "1") == 0 || strcasecmp(a, "true") == 0;
}

static int name_or_index(const char *const *names, const char *s)
{
    int i = mllm_name_index(names, s);
    return i;
}

static int previous_snapshot(const sim_drill *d)
{
    mllm_status st;
    mllm_service_status(d->svc, sim_queue_now(d->q), &st);
    int best = -1;
    for (int i = 0; i < st.nsnapshots; i++)
        if (st.snapshots[i].id < st.live_snapshot && st.snapshots[i].id > best)
            best = st.snapshots[i].id;
    return best;
}

/* Maps a lever action to the service lever. Returns 0 or -EINVAL. */
static int to_lever(const sim_drill *d, const sim_action_spec *a, mllm_lever *l)
{
    const mllm_world *w = d->w;
    memset(l, 0, sizeof *l);
    switch (a->kind) {
    case SIM_ACT_KILL_SWITCH:
        l->kind = MLLM_LEVER_KILL_SWITCH;
        l->arg = on_arg(a->arg);
        return 0;
    case SIM_ACT_FALLBACK:
        l->kind = MLLM_LEVER_FALLBACK;
        l->arg = name_or_index(mllm_fallback_names, a->arg);
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_PROMPT:
        l->kind = MLLM_LEVER_PROMPT;
        l->arg = mllm_world_prompt(w, a->arg);
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_ROUTE:
        l->kind = MLLM_LEVER_ROUTE;
        l->arg = name_or_index(mllm_role_names, a->arg);
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_PIN_MODEL:
        l->kind = MLLM_LEVER_PIN_MODEL;
        l->arg = strcmp(a->arg, "none") == 0 || !a->arg[0] ?
                     -1 :
                     mllm_world_fingerprint(w, mllm_world_model_role(w, MLLM_ROLE_PRIMARY), a->arg);
        return l->arg < -1 || (l->arg == -1 && strcmp(a->arg, "none") != 0 && a->arg[0]) ?
                   -EINVAL : 0;
    case SIM_ACT_DISABLE_TYPE:
    case SIM_ACT_ENABLE_TYPE:
        l->kind = MLLM_LEVER_DISABLE_TYPE;
        l->arg = name_or_index(mllm_qtype_names, a->arg);
        l->value = a->kind == SIM_ACT_DISABLE_TYPE;
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_DISABLE_TOPIC:
    case SIM_ACT_ENABLE_TOPIC:
        l->kind = MLLM_LEVER_DISABLE_TOPIC;
        l->arg = mllm_world_topic(w, a->arg);
        l->value = a->kind == SIM_ACT_DISABLE_TOPIC;
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_DISCLAIMER:
        l->kind = MLLM_LEVER_DISCLAIMER;
        l->arg = on_arg(a->arg);
        return 0;
    case SIM_ACT_REINDEX:
        l->kind = MLLM_LEVER_REINDEX;
        return 0;
    case SIM_ACT_RESTORE_SNAPSHOT:
        l->kind = MLLM_LEVER_RESTORE_SNAPSHOT;
        l->arg = strcmp(a->arg, "previous") == 0 || !a->arg[0] ? previous_snapshot(d) :
                                                                  atoi(a->arg);
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_THROTTLE:
        l->kind = MLLM_LEVER_THROTTLE;
        l->value = atof(a->arg);
        return l->value < 0 ? -EINVAL : 0;
    case SIM_ACT_CONTEXT_CAP:
        l->kind = MLLM_LEVER_CONTEXT_CAP;
        l->arg = atoi(a->arg);
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_MAX_TOKENS:
        l->kind = MLLM_LEVER_MAX_TOKENS;
        l->arg = atoi(a->arg);
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_BACKOFF:
        l->kind = MLLM_LEVER_BACKOFF;
        l->arg = on_arg(a->arg);
        return 0;
    case SIM_ACT_API_COMPAT:
        l->kind = MLLM_LEVER_API_COMPAT;
        l->arg = on_arg(a->arg);
        return 0;
    case SIM_ACT_PARSER_COMPAT:
        l->kind = MLLM_LEVER_PARSER_COMPAT;
        l->arg = on_arg(a->arg);
        return 0;
    case SIM_ACT_ADD_DOCS:
        l->kind = MLLM_LEVER_ADD_DOCS;
        l->arg = mllm_world_topic(w, a->arg);
        return l->arg < 0 ? -EINVAL : 0;
    case SIM_ACT_FLUSH_CACHE:
        l->kind = MLLM_LEVER_FLUSH_CACHE;
        return 0;
    default:
        return -EINVAL;
    }
}

static void log_action(sim_drill *d, const sim_action_rec *h, const char *event)
{
    char arg[256], note[256];
    sim_json_escape(h->a.arg, arg, sizeof arg);
    sim_json_escape(h->note, note, sizeof note);
    sim_log_line(&d->log,
                 "{\"type\":\"action\",\"t\":%llu,\"event\":\"%s\",\"seq\":%llu,\"by\":\"%s\","
                 "\"do\":\"%s\",\"arg\":%s,\"status\":%d,\"note\":%s}",
                 (unsigned long long)sim_queue_now(d->q), event, (unsigned long long)h->seq,
                 h->by, sim_action_names[h->a.kind], arg, h->status, note);
}

static void apply_action(sim_drill *d, sim_action_rec *h)
{
    sim_time now = sim_queue_now(d->q);
    h->effective = now;
    h->status = 0;
    if (is_lever(h->a.kind)) {
        mllm_lever l;
        int rc = to_lever(d, &h->a, &l);
        if (rc == 0)
            rc = mllm_service_lever(d->svc, &l, now);
        h->status = rc;
        if (rc != 0)
            snprintf(h->note, sizeof h->note, "failed: %s", mllm_strerror(rc));
        else if (h->a.kind == SIM_ACT_REINDEX) {
            mllm_status st;
            mllm_service_status(d->svc, now, &st);
            snprintf(h->note, sizeof h->note, "reindex running, done in %llus",
                     (unsigned long long)((st.reindex_done_at - now) / 1000000u));
        }
        svc_resched(d);
        return;
    }
    switch (h->a.kind) {
    case SIM_ACT_ACK: {
        int n = sim_alerts_ack(&d->al, h->a.arg[0] ? h->a.arg : "*", now);
        snprintf(h->note, sizeof h->note, "%d alert%s acknowledged", n, n == 1 ? "" : "s");
        break;
    }
    case SIM_ACT_DECLARE:
        d->declared = true;
        d->severity = h->a.arg[0] == 's' ? atoi(h->a.arg + 3) : 2;
        break;
    case SIM_ACT_RESOLVE:
        d->resolved = true;
        break;
    case SIM_ACT_REPRODUCE: {
        const sim_trace *t = NULL;
        if (strcmp(h->a.arg, "last") == 0 || !h->a.arg[0]) {
            for (size_t i = 0; (t = sim_traces_get(&d->traces, i)); i++)
                if (t->why == SIM_TRACE_FAILING)
                    break;
        } else {
            t = sim_traces_find(&d->traces, strtoull(h->a.arg, NULL, 10));
        }
        if (!t) {
            h->status = -ENOENT;
            snprintf(h->note, sizeof h->note, "no such trace");
            break;
        }
        mllm_request req = t->req;
        req.free_text = t->text[0] ? t->text : NULL;
        req.t = now;
        req.dry_run = true;
        mllm_response r;
        mllm_service_handle(d->svc, &req, &r);
        sim_traces_offer(&d->traces, &req, &r, -1, true, SIM_TRACE_REPRODUCED);
        snprintf(h->note, sizeof h->note, "trace %llu reproduced: status %d%s%s",
                 (unsigned long long)t->id, r.status, r.refusal ? ", refusal" : "",
                 r.err_code[0] ? ", error" : "");
        break;
    }
    default:
        break;
    }
}

static void ev_effect(sim_queue *q, void *ctx, uint64_t idx)
{
    sim_drill *d = ctx;
    (void)q;
    sim_action_rec *h = &d->hist[idx];
    apply_action(d, h);
    log_action(d, h, "effect");
}

static sim_time action_delay(const sim_drill *d, const sim_action_rec *h)
{
    const sim_runbook *rb = &d->sc->runbook;
    sim_time delay = rb->delay[h->a.kind];
    if (h->needs_approval)
        delay += rb->approval_takes;
    return delay;
}

static void ev_request(sim_queue *q, void *ctx, uint64_t idx)
{
    sim_drill *d = ctx;
    sim_action_rec *h = &d->hist[idx];
    sim_time delay = action_delay(d, h);
    /* Turning a blunt lever off needs no approval. */
    log_action(d, h, delay ? "requested" : "done");
    if (delay == 0) {
        apply_action(d, h);
        if (h->note[0] || h->status)
            log_action(d, h, "effect");
    } else {
        sim_queue_push(q, sim_queue_now(q) + delay, PRIO_EFFECT, ev_effect, d, idx, NULL);
    }
    if (strcmp(h->by, "responder") != 0)
        sim_log_flush(&d->log, true);
}

long sim_drill_act_at(sim_drill *d, sim_time t, const sim_action_spec *a, const char *by,
                      char *err, size_t errlen)
{
    char e[160] = "";
    if (d->finished) {
        snprintf(err, errlen, "the drill has ended");
        return -EINVAL;
    }
    if (t < sim_queue_now(d->q))
        t = sim_queue_now(d->q);
    if (sim_action_check(a, d->w, e, sizeof e) != 0) {
        snprintf(err, errlen, "%s", e);
        return -EINVAL;
    }
    if (d->nhist >= SIM_MAX_HISTORY) {
        snprintf(err, errlen, "too many actions (at most %d per drill)", SIM_MAX_HISTORY);
        return -EINVAL;
    }
    sim_action_rec *h = &d->hist[d->nhist];
    memset(h, 0, sizeof *h);
    h->seq = (uint64_t)d->nhist + 1;
    h->a = *a;
    snprintf(h->by, sizeof h->by, "%s", by ? by : "trainee");
    h->requested = t;
    h->effective = SIM_TIME_NEVER;
    bool off = (a->kind == SIM_ACT_KILL_SWITCH && !on_arg(a->arg));
    h->needs_approval = !off && ((d->sc->runbook.needs_approval >> a->kind) & 1u);
    int rc = sim_queue_push(d->q, t, PRIO_REQUEST, ev_request, d, (uint64_t)d->nhist, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "cannot schedule the action");
        return rc;
    }
    d->nhist++;
    return (long)h->seq;
}

long sim_drill_act(sim_drill *d, const sim_action_spec *a, const char *by, char *err,
                   size_t errlen)
{
    sim_time t = sim_queue_now(d->q) + 1;
    long seq = sim_drill_act_at(d, t, a, by, err, errlen);
    if (seq > 0)
        sim_drill_run_until(d, t); /* log and flush it before returning */
    return seq;
}

static void ev_step(sim_queue *q, void *ctx, uint64_t idx)
{
    sim_drill *d = ctx;
    const sim_step *st = &d->o.responder->steps[idx];
    char err[160];
    sim_drill_act_at(d, sim_queue_now(q), &st->action, "responder", err, sizeof err);
}

static void on_alert(void *ctx, sim_time t, int index, const sim_alert *a, bool firing)
{
    sim_drill *d = ctx;
    char desc[256];
    sim_json_escape(a->rule->description, desc, sizeof desc);
    char v[32];
    fmt_num(v, sizeof v, a->value);
    sim_log_line(&d->log,
                 "{\"type\":\"alert\",\"t\":%llu,\"id\":\"%s\",\"state\":\"%s\",\"value\":%s,"
                 "\"threshold\":%.6g,\"severity\":%d}",
                 (unsigned long long)t, a->rule->id, firing ? "firing" : "resolved", v,
                 a->rule->threshold, a->rule->severity);
    (void)index;
    if (!firing || !d->o.responder)
        return;
    const sim_responder *r = d->o.responder;
    for (int i = 0; i < r->nsteps; i++) {
        const sim_step *st = &r->steps[i];
        if (d->step_fired[i] || !st->on_alert[0])
            continue;
        if (strcmp(st->on_alert, "*") == 0 || strcmp(st->on_alert, a->rule->id) == 0) {
            d->step_fired[i] = true;
            sim_queue_push(d->q, t + st->after, PRIO_REQUEST, ev_step, d, (uint64_t)i, NULL);
        }
    }
}

/* ---- timeline and faults -------------------------------------------------------------- */

static void ev_change(sim_queue *q, void *ctx, uint64_t idx)
{
    sim_drill *d = ctx;
    const sim_change *c = &d->sc->changes[idx];
    sim_time now = sim_queue_now(q);
    d->applying_decoy = c->decoy;
    mllm_service_advance(d->svc, now);
    switch (c->kind) {
    case SIM_CHANGE_PROMPT_DEPLOY: {
        mllm_lever l = {MLLM_LEVER_PROMPT, c->prompt, 0};
        mllm_service_lever(d->svc, &l, now);
        break;
    }
    case SIM_CHANGE_MODEL_ALIAS:
        mllm_service_move_alias(d->svc, c->fingerprint, now);
        if (c->text[0])
            mllm_service_note_change(d->svc, now, MLLM_CHANGE_PROVIDER_NOTICE, c->text);
        break;
    case SIM_CHANGE_INDEX_REFRESH:
        mllm_service_refresh(d->svc, now);
        break;
    case SIM_CHANGE_TRAFFIC_SHIFT:
        sim_traffic_shift(&d->tr, c->rate_multiplier, c->topic);
        mllm_service_note_change(d->svc, now, MLLM_CHANGE_CONFIG,
                                 c->text[0] ? c->text : "traffic pattern changed");
        break;
    case SIM_CHANGE_CONFIG:
        if (c->cache_ttl_s >= 0)
            mllm_service_set_cache_ttl(d->svc, c->cache_ttl_s);
        mllm_service_note_change(d->svc, now, MLLM_CHANGE_CONFIG, c->text);
        break;
    case SIM_CHANGE_KB_UPDATE:
        mllm_service_publish(d->svc, c->doc,
                             c->version >= 0 ? c->version : d->w->docs[c->doc].nversions - 1, now);
        if (c->text[0])
            mllm_service_note_change(d->svc, now, MLLM_CHANGE_KB_UPDATE, c->text);
        break;
    default:
        break;
    }
    d->applying_decoy = false;
    svc_resched(d);
}

static void ev_fault(sim_queue *q, void *ctx, uint64_t arg)
{
    sim_drill *d = ctx;
    int fi = (int)(arg >> 1);
    bool end = arg & 1;
    sim_time now = sim_queue_now(q);
    const mllm_fault *f = mllm_service_fault(d->svc, fi);
    if (!f)
        return;
    if (!end)
        mllm_service_advance(d->svc, now);
    sim_log_line(&d->log,
                 "{\"type\":\"fault\",\"t\":%llu,\"id\":\"%s\",\"kind\":\"%s\",\"event\":\"%s\"}",
                 (unsigned long long)now, d->fault_ids[fi], mllm_fault_names[f->kind],
                 end ? "end" : "start");
    svc_resched(d);
}

/* Trainer operations run as events, like trainee actions, so that a replay
 * that schedules them up front logs them in the same place. */
enum { OP_INJECT, OP_CLEAR, OP_DECOY };

static void log_inject(sim_drill *d, int fi, const mllm_fault *g)
{
    char term[80], param[80];
    sim_json_escape(g->term, term, sizeof term);
    sim_json_escape(g->param, param, sizeof param);
    const mllm_target *t = &g->target;
    sim_log_line(&d->log,
                 "{\"type\":\"inject\",\"t\":%llu,\"id\":\"%s\",\"kind\":\"%s\",\"start\":%llu,"
                 "\"end\":%lld,\"ramp\":%llu,\"fraction\":%.17g,\"region\":%d,\"plan\":%d,"
                 "\"client\":%d,\"qtype\":%d,\"topic\":%d,\"prompt\":%d,\"model\":%d,"
                 "\"p_prompt\":%d,\"p_fingerprint\":%d,\"p_topic\":%d,\"p_factor\":%.17g,"
                 "\"p_docs\":%d,\"p_term\":%s,\"p_param\":%s}",
                 (unsigned long long)sim_queue_now(d->q), d->fault_ids[fi],
                 mllm_fault_names[g->kind], (unsigned long long)g->start,
                 g->end == MLLM_NEVER ? -1ll : (long long)g->end, (unsigned long long)g->ramp,
                 t->fraction, t->region, t->plan, t->client, t->qtype, t->topic, t->prompt,
                 t->model, g->prompt, g->fingerprint, g->topic, g->factor, g->docs, term, param);
}

static void ev_trainer(sim_queue *q, void *ctx, uint64_t idx)
{
    sim_drill *d = ctx;
    sim_trainer_op *op = &d->ops[idx];
    sim_time now = sim_queue_now(q);
    switch (op->type) {
    case OP_INJECT: {
        mllm_fault g = op->f;
        sim_time len = g.end == MLLM_NEVER ? 0 : g.end - g.start;
        if (g.start < now)
            g.start = now;
        g.end = op->f.end == MLLM_NEVER ? MLLM_NEVER : g.start + len;
        int fi = mllm_service_fault_add(d->svc, &g);
        op->result = fi;
        if (fi < 0)
            return;
        snprintf(d->fault_ids[fi], sizeof d->fault_ids[fi], "%s", op->id[0] ? op->id : "live");
        log_inject(d, fi, &g);
        sim_queue_push(q, g.start, PRIO_FAULT, ev_fault, d, (uint64_t)fi << 1, NULL);
        if (g.end != MLLM_NEVER && g.end <= d->sc->duration)
            sim_queue_push(q, g.end, PRIO_FAULT, ev_fault, d, ((uint64_t)fi << 1) | 1, NULL);
        svc_resched(d);
        break;
    }
    case OP_CLEAR:
        op->result = mllm_service_fault_clear(d->svc, op->index, now);
        if (op->result == 0)
            sim_log_line(&d->log,
                         "{\"type\":\"fault\",\"t\":%llu,\"id\":\"%s\",\"kind\":\"%s\","
                         "\"event\":\"cleared\",\"index\":%d}",
                         (unsigned long long)now, d->fault_ids[op->index],
                         mllm_fault_names[mllm_service_fault(d->svc, op->index)->kind], op->index);
        break;
    case OP_DECOY: {
        char text[420];
        sim_json_escape(op->text, text, sizeof text);
        sim_log_line(&d->log, "{\"type\":\"decoy\",\"t\":%llu,\"text\":%s}",
                     (unsigned long long)now, text);
        d->applying_decoy = true;
        mllm_service_note_change(d->svc, now, MLLM_CHANGE_CONFIG, op->text);
        d->applying_decoy = false;
        op->result = 0;
        break;
    }
    default:
        break;
    }
    sim_log_flush(&d->log, true); /* a trainer's move is as precious as a trainee's */
}

static sim_trainer_op *new_op(sim_drill *d, int type, sim_time t)
{
    if (d->nops >= SIM_MAX_TRAINER_OPS || d->finished)
        return NULL;
    sim_trainer_op *op = &d->ops[d->nops];
    memset(op, 0, sizeof *op);
    op->type = type;
    op->t = t < sim_queue_now(d->q) ? sim_queue_now(d->q) : t;
    op->result = -EINVAL;
    if (sim_queue_push(d->q, op->t, PRIO_REQUEST, ev_trainer, d, (uint64_t)d->nops, NULL) != 0)
        return NULL;
    d->nops++;
    return op;
}

int sim_drill_inject_at(sim_drill *d, sim_time t, const mllm_fault *f, const char *id)
{
    sim_trainer_op *op = new_op(d, OP_INJECT, t);
    if (!op)
        return -ENOMEM;
    op->f = *f;
    snprintf(op->id, sizeof op->id, "%s", id ? id : "");
    return 0;
}

int sim_drill_clear_fault_at(sim_drill *d, sim_time t, int index)
{
    if (index < 0 || index >= mllm_service_fault_count(d->svc) + d->nops)
        return -ENOENT;
    sim_trainer_op *op = new_op(d, OP_CLEAR, t);
    if (!op)
        return -ENOMEM;
    op->index = index;
    return 0;
}

int sim_drill_decoy_at(sim_drill *d, sim_time t, const char *text)
{
    sim_trainer_op *op = new_op(d, OP_DECOY, t);
    if (!op)
        return -ENOMEM;
    snprintf(op->text, sizeof op->text, "%s", text ? text : "");
    return 0;
}

/* Runs a just-scheduled trainer op now and returns its result. */
static int run_op(sim_drill *d, int rc)
{
    if (rc != 0)
        return rc;
    sim_trainer_op *op = &d->ops[d->nops - 1];
    sim_drill_run_until(d, op->t);
    return op->result;
}

int sim_drill_inject(sim_drill *d, const mllm_fault *f, const char *id)
{
    return run_op(d, sim_drill_inject_at(d, sim_queue_now(d->q) + 1, f, id));
}

int sim_drill_clear_fault(sim_drill *d, int index)
{
    return run_op(d, sim_drill_clear_fault_at(d, sim_queue_now(d->q) + 1, index));
}

int sim_drill_decoy(sim_drill *d, const char *text)
{
    return run_op(d, sim_drill_decoy_at(d, sim_queue_now(d->q) + 1, text));
}

/* ---- construction --------------------------------------------------------------------- */

static void ev_end(sim_queue *q, void *ctx, uint64_t arg)
{
    sim_drill *d = ctx;
    (void)arg;
    char harm[32], cost[32];
    fmt_num(harm, sizeof harm, d->m->total_harm);
    fmt_num(cost, sizeof cost, d->m->total_cost);
    sim_log_line(&d->log,
                 "{\"type\":\"end\",\"t\":%llu,\"requests\":%llu,\"harm\":%s,\"cost\":%s}",
                 (unsigned long long)sim_queue_now(q), (unsigned long long)d->m->total_requests,
                 harm, cost);
    sim_log_flush(&d->log, true);
    d->finished = true;
}

sim_drill *sim_drill_new(const sim_scenario *s, const mllm_world *w, const sim_drill_opts *o,
                         char *err, size_t errlen)
{
    sim_drill *d = calloc(1, sizeof *d);
    if (!d)
        goto err_nomem;
    d->sc = s;
    d->w = w;
    if (o)
        d->o = *o;
    d->onset = SIM_TIME_NEVER;
    d->svc_at = SIM_TIME_NEVER;
    d->q = sim_queue_new();
    d->m = malloc(sizeof *d->m);
    d->hist = calloc(SIM_MAX_HISTORY, sizeof *d->hist);
    d->changes = calloc(SIM_MAX_CHANGELOG, sizeof *d->changes);
    d->ops = calloc(SIM_MAX_TRAINER_OPS, sizeof *d->ops);
    d->nslots = (size_t)(s->duration / TICK) + 1;
    d->harm10 = calloc(d->nslots, sizeof *d->harm10);
    d->blunt10 = calloc(d->nslots, 1);
    if (!d->q || !d->m || !d->hist || !d->changes || !d->ops || !d->harm10 || !d->blunt10)
        goto err_nomem;
    if (sim_traces_init(&d->traces) != 0 || sim_traffic_init(&d->tr, s, w) != 0)
        goto err_nomem;
    sim_metrics_init(d->m, w);
    sim_alerts_init(&d->al, s, on_alert, d);
    int rc = sim_log_open(&d->log, d->o.log_path);
    d->log_served = d->o.log_path != NULL;
    if (rc != 0) {
        snprintf(err, errlen, "cannot write the event log %s: %s", d->o.log_path, strerror(-rc));
        goto err;
    }
    d->svc = mllm_service_new(w, &s->service, on_change, d);
    if (!d->svc)
        goto err_nomem;

    char scen[600], resp[600];
    sim_json_escape(d->o.scenario_path ? d->o.scenario_path : "", scen, sizeof scen);
    sim_json_escape(d->o.responder_path ? d->o.responder_path : "", resp, sizeof resp);
    sim_log_line(&d->log,
                 "{\"type\":\"start\",\"version\":1,\"scenario\":\"%s\",\"seed\":%llu,"
                 "\"duration_us\":%llu,\"scenario_file\":%s,\"responder_file\":%s}",
                 s->id, (unsigned long long)s->seed, (unsigned long long)s->duration, scen, resp);
    /* The start line names what to resume from: make it durable at once. */
    sim_log_flush(&d->log, true);
    for (int i = 0; i < s->nfaults; i++) {
        int fi = mllm_service_fault_add(d->svc, &s->faults[i].f);
        if (fi < 0) {
            snprintf(err, errlen, "fault %s: %s", s->faults[i].id, mllm_strerror(fi));
            goto err;
        }
        snprintf(d->fault_ids[fi], sizeof d->fault_ids[fi], "%s", s->faults[i].id);
        sim_queue_push(d->q, s->faults[i].f.start, PRIO_FAULT, ev_fault, d, (uint64_t)fi << 1,
                       NULL);
        if (s->faults[i].f.end != MLLM_NEVER && s->faults[i].f.end <= s->duration)
            sim_queue_push(d->q, s->faults[i].f.end, PRIO_FAULT, ev_fault, d,
                           ((uint64_t)fi << 1) | 1, NULL);
    }
    for (int i = 0; i < s->nchanges; i++)
        sim_queue_push(d->q, s->changes[i].at, PRIO_CHANGE, ev_change, d, (uint64_t)i, NULL);
    if (d->o.responder)
        for (int i = 0; i < d->o.responder->nsteps; i++)
            if (!d->o.responder->steps[i].on_alert[0]) {
                d->step_fired[i] = true;
                sim_queue_push(d->q, d->o.responder->steps[i].at, PRIO_REQUEST, ev_step, d,
                               (uint64_t)i, NULL);
            }
    sim_queue_push(d->q, 0, PRIO_SERVICE, ev_service, d, 0, &d->svc_handle);
    d->svc_at = 0;
    sim_queue_push(d->q, sim_traffic_next(&d->tr, 0), PRIO_ARRIVAL, ev_arrival, d, 0, NULL);
    sim_queue_push(d->q, 0, PRIO_TICK, ev_tick, d, 0, NULL);
    sim_queue_push(d->q, s->duration, PRIO_END, ev_end, d, 0, NULL);
    return d;
err_nomem:
    snprintf(err, errlen, "out of memory");
err:
    sim_drill_free(d);
    return NULL;
}

void sim_drill_free(sim_drill *d)
{
    if (!d)
        return;
    sim_log_close(&d->log);
    mllm_service_free(d->svc);
    sim_traces_release(&d->traces);
    sim_traffic_release(&d->tr);
    sim_queue_free(d->q);
    free(d->m);
    free(d->hist);
    free(d->changes);
    free(d->ops);
    for (int i = 0; i < d->nreplayed; i++)
        free(d->replayed[i].text);
    free(d->replayed);
    free(d->harm10);
    free(d->blunt10);
    free(d);
}

/* ---- running -------------------------------------------------------------------------- */

uint64_t sim_drill_run_until(sim_drill *d, sim_time t)
{
    if (t > d->sc->duration)
        t = d->sc->duration;
    uint64_t before = d->m->total_requests;
    while (!d->finished) {
        sim_time next = sim_queue_next_time(d->q);
        if (next == SIM_TIME_NEVER || next > t)
            break;
        sim_queue_step(d->q);
    }
    if (!d->finished && sim_queue_now(d->q) < t)
        sim_queue_run_until(d->q, t);
    return d->m->total_requests - before;
}

void sim_drill_run(sim_drill *d, void (*progress)(void *, sim_time, sim_time), void *ctx)
{
    sim_time step = SIM_MIN(1);
    for (sim_time t = step; !d->finished; t += step) {
        sim_drill_run_until(d, t);
        if (progress)
            progress(ctx, sim_queue_now(d->q), d->sc->duration);
        if (t >= d->sc->duration)
            sim_drill_run_until(d, d->sc->duration);
    }
}

bool sim_drill_finished(const sim_drill *d)
{
    return d->finished;
}

sim_time sim_drill_now(const sim_drill *d)
{
    return sim_queue_now(d->q);
}

sim_time sim_drill_duration(const sim_drill *d)
{
    return d->sc->duration;
}

const sim_scenario *sim_drill_scenario(const sim_drill *d)
{
    return d->sc;
}
const mllm_world *sim_drill_world(const sim_drill *d)
{
    return d->w;
}
const mllm_service *sim_drill_service(const sim_drill *d)
{
    return d->svc;
}
mllm_service *sim_drill_service_mut(sim_drill *d)
{
    return d->svc;
}
const sim_metrics *sim_drill_metrics(const sim_drill *d)
{
    return d->m;
}
const sim_alerts *sim_drill_alerts(const sim_drill *d)
{
    return &d->al;
}
const sim_traces *sim_drill_traces(const sim_drill *d)
{
    return &d->traces;
}
int sim_drill_history(const sim_drill *d, const sim_action_rec **out)
{
    *out = d->hist;
    return d->nhist;
}
int sim_drill_changes(const sim_drill *d, const sim_change_rec **out)
{
    *out = d->changes;
    return d->nchanges;
}
bool sim_drill_incident_declared(const sim_drill *d, int *severity)
{
    if (severity)
        *severity = d->severity;
    return d->declared;
}
bool sim_drill_resolved(const sim_drill *d)
{
    return d->resolved;
}
void sim_drill_postmortem(sim_drill *d, bool done, bool eval_ok)
{
    d->postmortem_done = done;
    d->postmortem_eval_ok = eval_ok;
}
static void postmortem_logged(sim_drill *d, bool done, bool eval_ok)
{
    sim_drill_postmortem(d, done, eval_ok);
    sim_log_line(&d->log, "{\"type\":\"postmortem\",\"t\":%llu,\"done\":%s,\"eval_ok\":%s}",
                 (unsigned long long)sim_queue_now(d->q), done ? "true" : "false",
                 eval_ok ? "true" : "false");
    sim_log_flush(&d->log, true);
}

static void ev_postmortem(sim_queue *q, void *ctx, uint64_t arg)
{
    (void)q;
    postmortem_logged(ctx, arg & 1, arg & 2);
}

int sim_drill_postmortem_at(sim_drill *d, sim_time t, bool done, bool eval_ok)
{
    sim_time now = sim_queue_now(d->q);
    if (t < now)
        return -EINVAL;
    if (d->finished) { /* after the "end" line, which is at the drill's last time */
        if (t != now)
            return -EINVAL;
        postmortem_logged(d, done, eval_ok);
        return 0;
    }
    /* Last at its time, like a stop: where a replay puts it too. */
    return sim_queue_push(d->q, t, PRIO_SERVED, ev_postmortem, d,
                          (done ? 1u : 0u) | (eval_ok ? 2u : 0u), NULL);
}

void sim_drill_postmortem_record(sim_drill *d, bool done, bool eval_ok)
{
    sim_time now = sim_queue_now(d->q);
    if (sim_drill_postmortem_at(d, now, done, eval_ok) == 0)
        sim_drill_run_until(d, now);
    else
        sim_drill_postmortem(d, done, eval_ok); /* out of memory: credited, unlogged */
}

void sim_drill_log_digest(const sim_drill *d, char hex[65])
{
    sim_log_digest(&d->log, hex);
}
int sim_drill_flush(sim_drill *d, bool durable)
{
    return sim_log_flush(&d->log, durable);
}

/* ---- results -------------------------------------------------------------------------- */

static bool spec_matches(const sim_action_spec *got, const sim_action_spec *want)
{
    return got->kind == want->kind && (!want->arg[0] || strcasecmp(got->arg, want->arg) == 0);
}

/* Levers that undo or only soften: never counted as wrong. */
static bool neutral_lever(const sim_action_spec *a)
{
    switch (a->kind) {
    case SIM_ACT_KILL_SWITCH:
    case SIM_ACT_DISCLAIMER:
    case SIM_ACT_BACKOFF:
    case SIM_ACT_API_COMPAT:
    case SIM_ACT_PARSER_COMPAT:
        return !on_arg(a->arg);
    case SIM_ACT_ROUTE:
        return strcmp(a->arg, "primary") == 0;
    case SIM_ACT_PIN_MODEL:
        return strcmp(a->arg, "none") == 0 || !a->arg[0];
    case SIM_ACT_THROTTLE:
    case SIM_ACT_CONTEXT_CAP:
    case SIM_ACT_MAX_TOKENS:
        return atof(a->arg) == 0;
    case SIM_ACT_ENABLE_TYPE:
    case SIM_ACT_ENABLE_TOPIC:
    case SIM_ACT_FALLBACK:
    case SIM_ACT_FLUSH_CACHE:
        return true;
    default:
        return false;
    }
}

/* Is an incident still to come or under way unseen: the drill not over, no
 * harm yet, and a fault (the scenario's or one injected live, cleared ones
 * ended) that has not ended, or a live injection not yet run? */
static bool incident_ahead(const sim_drill *d, sim_time now)
{
    if (d->finished || d->onset != SIM_TIME_NEVER)
        return false;
    for (int i = 0; i < mllm_service_fault_count(d->svc); i++) {
        const mllm_fault *f = mllm_service_fault(d->svc, i);
        if (f->end > now && f->start < d->sc->duration)
            return true;
    }
    for (int i = 0; i < d->nops; i++)
        if (d->ops[i].type == OP_INJECT && d->ops[i].t > now)
            return true;
    return false;
}

void sim_drill_result(sim_drill *d, sim_result *r)
{
    const sim_scenario *s = d->sc;
    const sim_expected *ex = &s->expected;
    memset(r, 0, sizeof *r);
    snprintf(r->scenario, sizeof r->scenario, "%s", s->id);
    r->seed = s->seed;
    r->duration = s->duration;
    r->onset = d->onset;
    r->detect = r->diagnose = r->resolve = SIM_TIME_NEVER;
    sim_time first_lever = SIM_TIME_NEVER, fix_effect = SIM_TIME_NEVER;
    /* Reacting to early signs (before users were harmed, after the fault
     * began) counts as detection at the onset itself. */
    sim_time fault_start = SIM_TIME_NEVER;
    for (int i = 0; i < mllm_service_fault_count(d->svc); i++)
        if (mllm_service_fault(d->svc, i)->start < fault_start)
            fault_start = mllm_service_fault(d->svc, i)->start;
    bool sym_ok = false;
    uint32_t causes_named = 0;
    for (int i = 0; i < d->nhist; i++) {
        const sim_action_rec *h = &d->hist[i];
        if (h->requested > sim_queue_now(d->q))
            continue; /* scheduled for later (replay) */
        bool after_onset = d->onset != SIM_TIME_NEVER && h->requested >= d->onset;
        switch (h->a.kind) {
        case SIM_ACT_ACK:
        case SIM_ACT_DECLARE:
            if (d->onset != SIM_TIME_NEVER && r->detect == SIM_TIME_NEVER &&
                fault_start != SIM_TIME_NEVER && h->requested >= fault_start)
                r->detect = h->requested > d->onset ? h->requested : d->onset;
            break;
        case SIM_ACT_DIAGNOSE: {
            char sym[48] = "", cause[48] = "";
            const char *slash = strchr(h->a.arg, '/');
            if (slash) {
                snprintf(sym, sizeof sym, "%.*s", (int)(slash - h->a.arg), h->a.arg);
                snprintf(cause, sizeof cause, "%s", slash + 1);
            }
            snprintf(r->diagnosis, sizeof r->diagnosis, "%s", h->a.arg);
            for (int k = 0; k < ex->ndiag; k++) {
                if (strcmp(sym, sim_symptom_names[ex->symptom[k]]) == 0)
                    sym_ok = true;
                if (strcmp(cause, mllm_fault_names[ex->cause[k]]) == 0)
                    causes_named |= 1u << k;
            }
            bool all = causes_named == (1u << ex->ndiag) - 1;
            if (after_onset && (r->diagnose == SIM_TIME_NEVER || (all && !r->cause_correct)))
                r->diagnose = h->requested;
            r->cause_correct = all;
            break;
        }
        case SIM_ACT_RESOLVE:
            if (r->resolve == SIM_TIME_NEVER)
                r->resolve = h->requested;
            break;
        default:
            break;
        }
        if (is_lever(h->a.kind)) {
            bool accepted = false, fix = false;
            for (int k = 0; k < ex->ncontain; k++)
                accepted |= spec_matches(&h->a, &ex->contain[k]);
            for (int k = 0; k < ex->nfix; k++)
                if (spec_matches(&h->a, &ex->fix[k]))
                    accepted = fix = true;
            if (after_onset && first_lever == SIM_TIME_NEVER && !neutral_lever(&h->a))
                first_lever = h->requested;
            if (fix && h->effective != SIM_TIME_NEVER && h->status == 0 &&
                (fix_effect == SIM_TIME_NEVER || h->effective < fix_effect))
                fix_effect = h->effective;
            if (!accepted && !neutral_lever(&h->a))
                r->wrong_levers++;
        }
        r->actions++;
    }
    /* A manual reindex takes effect when its job completes. */
    if (fix_effect != SIM_TIME_NEVER) {
        for (int i = 0; i < d->nhist; i++)
            if (d->hist[i].a.kind == SIM_ACT_REINDEX && d->hist[i].effective == fix_effect)
                fix_effect += s->service.reindex_duration;
    }
    r->symptom_correct = sym_ok;
    const sim_metrics *m = d->m;
    r->requests = m->total_requests;
    r->bad_responses = m->total_bad;
    r->harm = m->total_harm;
    r->fault_harm = m->total_fault_harm;
    r->cost = m->total_cost;
    r->unavailable = m->total_labels[MLLM_LABEL_UNAVAILABLE];
    memcpy(r->labels, m->total_labels, sizeof r->labels);
    r->symptom_appeared = d->onset != SIM_TIME_NEVER;

    sim_time now = sim_queue_now(d->q);
    r->incident_ahead = incident_ahead(d, now);
    size_t n = (size_t)(now / TICK);
    if (n > d->nslots)
        n = d->nslots;
    sim_score_in in = {
        .cfg = &s->scoring,
        .duration = s->duration,
        .onset = d->onset,
        .detect = r->detect,
        .diagnose = r->diagnose,
        .symptom_correct = r->symptom_correct,
        .cause_correct = r->cause_correct,
        .first_lever = first_lever,
        .fix_effect = fix_effect,
        .resolve = r->resolve,
        .incident_ahead = r->incident_ahead,
        .postmortem_done = d->postmortem_done,
        .postmortem_eval_ok = d->postmortem_eval_ok,
        .fault_harm = d->harm10,
        .blunt = d->blunt10,
        .n = n,
        .harm = m->total_fault_harm,
        .unavailable = r->unavailable,
        .mean_rate = now > 0 ? (double)m->total_requests / ((double)now / 1e6) : 0,
        .wrong_levers = r->wrong_levers,
    };
    sim_score_compute(&in, &r->score);
    r->contained = r->score.contain != SIM_TIME_NEVER;
    r->postmortem_done = d->postmortem_done;
    r->postmortem_eval_ok = d->postmortem_eval_ok;
    sim_log_digest(&d->log, r->log_sha256);
}

/* ---- result output -------------------------------------------------------------------- */

static double secs_or(sim_time t, sim_time from)
{
    return (double)(t - from) / 1e6;
}

static cJSON *num_or_null(double v)
{
    return v < 0 || isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(round(v * 10) / 10);
}

int sim_result_write(const sim_result *r, const sim_scenario *s, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -ENOMEM;
    cJSON_AddStringToObject(root, "scenario", r->scenario);
    if (r->trainee[0])
        cJSON_AddStringToObject(root, "trainee", r->trainee);
    cJSON_AddStringToObject(root, "title", s->title);
    cJSON_AddNumberToObject(root, "seed", (double)r->seed);
    cJSON_AddNumberToObject(root, "duration_s", (double)r->duration / 1e6);
    cJSON *score = cJSON_AddObjectToObject(root, "score");
    cJSON_AddNumberToObject(score, "total", round(r->score.total * 10) / 10);
    cJSON *parts = cJSON_AddObjectToObject(score, "parts");
    cJSON *points = cJSON_AddObjectToObject(score, "points");
    for (int p = 0; p < SIM_PART_COUNT; p++) {
        cJSON_AddNumberToObject(parts, sim_score_part_names[p], round(r->score.part[p] * 1000) / 1000);
        cJSON_AddNumberToObject(points, sim_score_part_names[p], round(r->score.points[p] * 10) / 10);
    }
    cJSON *pen = cJSON_AddObjectToObject(score, "penalties");
    cJSON_AddNumberToObject(pen, "wrong_levers", r->score.penalty_levers);
    cJSON_AddNumberToObject(pen, "availability", round(r->score.penalty_availability * 10) / 10);
    cJSON *times = cJSON_AddObjectToObject(root, "times");
    cJSON_AddItemToObject(times, "onset_s", r->onset == SIM_TIME_NEVER ? cJSON_CreateNull() :
                                                cJSON_CreateNumber(secs_or(r->onset, 0)));
    cJSON_AddItemToObject(times, "detect_s", num_or_null(r->score.detect_s));
    cJSON_AddItemToObject(times, "contain_s", num_or_null(r->score.contain_s));
    cJSON_AddItemToObject(times, "diagnose_s", num_or_null(r->score.diagnose_s));
    cJSON_AddItemToObject(times, "mitigate_s", num_or_null(r->score.mitigate_s));
    cJSON *targets = cJSON_AddObjectToObject(times, "targets_s");
    for (int p = 0; p <= SIM_PART_MITIGATE; p++)
        cJSON_AddNumberToObject(targets, sim_score_part_names[p],
                                (double)s->scoring.target[p] / 1e6);
    cJSON *harm = cJSON_AddObjectToObject(root, "harm");
    cJSON_AddNumberToObject(harm, "bad_responses", (double)r->bad_responses);
    cJSON_AddNumberToObject(harm, "weighted", round(r->harm * 10) / 10);
    cJSON_AddNumberToObject(harm, "fault_weighted", round(r->fault_harm * 10) / 10);
    cJSON_AddNumberToObject(harm, "unavailable", (double)r->unavailable);
    cJSON *labels = cJSON_AddObjectToObject(harm, "labels");
    for (int l = 0; l < MLLM_LABEL_COUNT; l++)
        cJSON_AddNumberToObject(labels, mllm_label_names[l], (double)r->labels[l]);
    cJSON *diag = cJSON_AddObjectToObject(root, "diagnosis");
    cJSON_AddStringToObject(diag, "recorded", r->diagnosis);
    cJSON_AddBoolToObject(diag, "symptom_correct", r->symptom_correct);
    cJSON_AddBoolToObject(diag, "cause_correct", r->cause_correct);
    cJSON *exp = cJSON_AddArrayToObject(diag, "expected");
    for (int k = 0; k < s->expected.ndiag; k++) {
        char buf[96];
        snprintf(buf, sizeof buf, "%s/%s", sim_symptom_names[s->expected.symptom[k]],
                 mllm_fault_names[s->expected.cause[k]]);
        cJSON_AddItemToArray(exp, cJSON_CreateString(buf));
    }
    cJSON_AddNumberToObject(root, "requests", (double)r->requests);
    cJSON_AddNumberToObject(root, "cost_usd", round(r->cost * 100) / 100);
    cJSON_AddNumberToObject(root, "actions", r->actions);
    cJSON_AddNumberToObject(root, "wrong_levers", r->wrong_levers);
    cJSON_AddBoolToObject(root, "symptom_appeared", r->symptom_appeared);
    if (r->incident_ahead)
        cJSON_AddBoolToObject(root, "stopped_before_incident", true);
    cJSON_AddBoolToObject(root, "contained", r->contained);
    cJSON *pm = cJSON_AddObjectToObject(root, "postmortem");
    cJSON_AddBoolToObject(pm, "complete_in_time", r->postmortem_done);
    cJSON_AddNumberToObject(pm, "eval_cases", r->eval_cases);
    cJSON_AddNumberToObject(pm, "eval_cases_proven", r->eval_proven);
    cJSON_AddStringToObject(root, "log_sha256", r->log_sha256);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -ENOMEM;
    int rc = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f) {
        rc = -errno;
    } else {
        if (fprintf(f, "%s\n", text) < 0)
            rc = -EIO;
        if (f != stdout && fclose(f) != 0 && !rc)
            rc = -errno;
    }
    cJSON_free(text);
    return rc;
}

static void print_time(FILE *f, const char *what, double s, sim_time target)
{
    if (s < 0)
        fprintf(f, "  %-10s   never        (target %llum%02llus)\n", what,
                (unsigned long long)(target / 60000000u),
                (unsigned long long)(target / 1000000u % 60));
    else
        fprintf(f, "  %-10s  %4.0fm%02.0fs  %s  (target %llum%02llus)\n", what, floor(s / 60),
                fmod(s, 60), s * 1e6 <= (double)target ? "ok  " : "late",
                (unsigned long long)(target / 60000000u),
                (unsigned long long)(target / 1000000u % 60));
}

void sim_result_print(const sim_result *r, const sim_scenario *s, FILE *f)
{
    fprintf(f, "\n%s — %s  (seed %llu, %llu simulated minutes)\n", s->id, s->title,
            (unsigned long long)r->seed, (unsigned long long)(r->duration / 60000000u));
    fprintf(f, "  requests served %llu, cost $%.2f\n", (unsigned long long)r->requests, r->cost);
    if (r->incident_ahead)
        fprintf(f, "  stopped before the incident began: the response parts earn nothing\n");
    else if (r->onset == SIM_TIME_NEVER)
        fprintf(f, "  no fault ever reached a user\n");
    else
        fprintf(f, "  fault onset at %.0fm%02.0fs; bad responses %llu (weighted harm %.1f)\n",
                floor((double)r->onset / 60e6), fmod((double)r->onset / 1e6, 60),
                (unsigned long long)r->bad_responses, r->fault_harm);
    fprintf(f, "  response times from onset:\n");
    print_time(f, "detect", r->score.detect_s, s->scoring.target[SIM_PART_DETECT]);
    print_time(f, "contain", r->score.contain_s, s->scoring.target[SIM_PART_CONTAIN]);
    print_time(f, "diagnose", r->score.diagnose_s, s->scoring.target[SIM_PART_DIAGNOSE]);
    print_time(f, "mitigate", r->score.mitigate_s, s->scoring.target[SIM_PART_MITIGATE]);
    fprintf(f, "  diagnosis: %s (symptom %s, cause %s)\n",
            r->diagnosis[0] ? r->diagnosis : "none recorded",
            r->symptom_correct ? "right" : "wrong", r->cause_correct ? "right" : "wrong");
    fprintf(f, "  score %.1f / 100  [", r->score.total);
    for (int p = 0; p < SIM_PART_COUNT; p++)
        fprintf(f, "%s%s %.1f", p ? ", " : "", sim_score_part_names[p], r->score.points[p]);
    fprintf(f, "; penalties -%.1f]\n", r->score.penalty_levers + r->score.penalty_availability);
    if (r->postmortem_done || r->eval_cases)
        fprintf(f, "  post-mortem: %s; eval cases %d, %d of them catch the incident\n",
                r->postmortem_done ? "complete, in time" : "incomplete or late", r->eval_cases,
                r->eval_proven);
    fprintf(f, "  event log sha256 %s\n", r->log_sha256);
}

/* ---- pacer ---------------------------------------------------------------------------- */

void sim_pacer_init(sim_pacer *p, double speed, uint64_t wall_now_ns, sim_time virt_now)
{
    p->speed = speed > 0 ? speed : 1;
    p->paused = false;
    p->wall0_ns = wall_now_ns;
    p->virt0 = virt_now;
}

sim_time sim_pacer_target(const sim_pacer *p, uint64_t wall_now_ns)
{
    if (p->paused || wall_now_ns < p->wall0_ns)
        return p->virt0;
    double dt_us = (double)(wall_now_ns - p->wall0_ns) / 1000.0 * p->speed;
    return p->virt0 + (sim_time)dt_us;
}

static void pacer_anchor(sim_pacer *p, uint64_t wall_now_ns)
{
    p->virt0 = sim_pacer_target(p, wall_now_ns);
    p->wall0_ns = wall_now_ns;
}

void sim_pacer_set_speed(sim_pacer *p, double speed, uint64_t wall_now_ns)
{
    pacer_anchor(p, wall_now_ns);
    if (speed > 0)
        p->speed = speed;
}

void sim_pacer_pause(sim_pacer *p, bool paused, uint64_t wall_now_ns)
{
    pacer_anchor(p, wall_now_ns);
    p->paused = paused;
}
