/* cli_serve.c - `firedrill serve`: the running drill's simulated service over HTTP.
 *
 * Wiring only: a drill paced by the wall clock on a libuv timer, and the
 * callbacks of the HTTP server (mockllm/mllm_http.h) answered from it - chat
 * completions through sim_drill_serve, the model list from the world,
 * Prometheus metrics from the drill's monitoring, and the trainee
 * (/v1/drill/...) and trainer (/admin/...) JSON routes. Ground truth appears
 * only on trainer routes. Every route is documented in docs/http-api.md. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <uv.h>

#include "cli.h"
#include "mllm_http.h"

static const char serve_usage[] =
    "usage: firedrill serve [SCENARIO] [options]\n"
    "\n"
    "Serves the simulated assistant of a live drill over HTTP: an OpenAI-compatible\n"
    "API (POST /v1/chat/completions, GET /v1/models), Prometheus metrics (/metrics),\n"
    "a trainee API (/v1/drill/...) and a trainer API (/admin/...). See docs/http-api.md.\n"
    "\n"
    "  --scenario F          scenario file or id (default: " CLI_DEFAULT_SCENARIO ")\n"
    "  --bind ADDR           address to listen on (default 127.0.0.1)\n"
    "  --port N              port (default 8080; 0 picks a free one, printed at start)\n"
    "  --speed X             simulated seconds per wall second (default 1)\n"
    "  --seed N              override the scenario's seed\n"
    "  --responder FILE      run a scripted responder too (default: nobody responds)\n"
    "  --log FILE            write the event log (JSON lines)\n"
    "  --out FILE            write the drill's result (JSON, as `firedrill run --out`) when\n"
    "                        the server stops\n"
    "  --api-key K           key for /v1 (else $FIREDRILL_API_KEY, else generated)\n"
    "  --trainee-token T     token for /v1/drill (else $FIREDRILL_TRAINEE_TOKEN, else generated)\n"
    "  --trainer-token T     token for /admin (else $FIREDRILL_TRAINER_TOKEN, else generated)\n"
    "  --metrics-auth        /metrics needs the API key (default: open)\n"
    "  --no-delay            answer at once instead of after the simulated latency\n"
    "  --no-retrieval        no BM25 search per request: a question outside the query\n"
    "                        catalogue is served as a catalogue question chosen by its hash\n"
    "                        (whose retrieval is memoized), e.g. for benchmarks\n"
    "  --max-connections N   concurrent connections (default 1024)\n"
    "  --max-body BYTES      largest request body (default 1048576)\n"
    "  --quiet               print only the tokens and the listening line\n"
    "\n"
    "Tokens not given are generated at start and printed once. Stop with Ctrl-C.\n"
    "Exit status: 0 after a clean stop, 2 on bad input or when the port is taken.\n";

#define PACE_MS  50
#define MAX_STEP SIM_MIN(10) /* longest single advance, so no 10 s bucket leaves its ring */
#define LE_COUNT 12

static const double le_seconds[LE_COUNT] = {0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120};

typedef struct serve_opts {
    char scenario[1024];
    char responder[1024];
    const char *bind;
    int port;
    double speed;
    bool have_seed;
    uint64_t seed;
    const char *log, *out;
    const char *api_key, *trainee_token, *trainer_token;
    bool metrics_auth, no_delay, no_retrieval, quiet;
    int max_connections;
    size_t max_body;
} serve_opts;

/* Monitoring totals since the drill began, folded from closed 10 s buckets
 * so that Prometheus counters never go down however long the drill runs. */
typedef struct totals {
    uint64_t requests, status[SIM_ST_COUNT], refusals, fallbacks, cache_hits;
    double cost;
    sim_hist latency, ttft;
} totals;

typedef struct serve {
    uv_loop_t loop;
    uv_timer_t pace;
    uv_signal_t sigint, sigterm;
    mllm_http *http;
    const mllm_world *w;
    const sim_scenario *sc;
    sim_drill *d;
    sim_pacer pacer;
    bool no_delay, no_retrieval, quiet, stopping, finished_noted;
    mllm_status st; /* refreshed every pacing tick */
    totals tot;
    sim_time folded;      /* buckets starting before this are in tot */
    uint64_t advanced_ms; /* uv_now() of the last advance */
    int le_cut[LE_COUNT]; /* last sim_hist bucket wholly under each bound */
    char live_ids[MLLM_MAX_FAULTS][32];
    mllm_http_model models[MLLM_MAX_MODELS];
} serve;

/* ---- pacing ---------------------------------------------------------------------------- */

static void totals_add(totals *t, const sim_bucket *b)
{
    t->requests += b->requests;
    for (int i = 0; i < SIM_ST_COUNT; i++)
        t->status[i] += b->status[i];
    t->refusals += b->refusals;
    t->fallbacks += b->fallbacks;
    t->cache_hits += b->cache_hits;
    t->cost += b->cost;
    sim_hist_merge(&t->latency, &b->latency);
    sim_hist_merge(&t->ttft, &b->ttft);
}

static void fold(serve *sv)
{
    sim_time now = sim_drill_now(sv->d);
    const sim_metrics *m = sim_drill_metrics(sv->d);
    while (sv->folded + SIM_SEC(10) <= now) {
        const sim_bucket *b = sim_metrics_bucket(m, sv->folded, false);
        if (b && b->start == sv->folded)
            totals_add(&sv->tot, b);
        sv->folded += SIM_SEC(10);
    }
}

/* Brings the drill up to the wall clock (at most once per loop millisecond:
 * requests answered in the same loop turn share the drill time). */
static void advance(serve *sv)
{
    uint64_t ms = uv_now(&sv->loop);
    if (ms == sv->advanced_ms)
        return;
    sv->advanced_ms = ms;
    sim_time target = sim_pacer_target(&sv->pacer, uv_hrtime());
    while (!sim_drill_finished(sv->d) && sim_drill_now(sv->d) < target) {
        sim_time now = sim_drill_now(sv->d);
        sim_drill_run_until(sv->d, target - now > MAX_STEP ? now + MAX_STEP : target);
        fold(sv);
        if (sim_drill_now(sv->d) == now)
            break;
    }
}

static void on_pace(uv_timer_t *t)
{
    serve *sv = t->data;
    advance(sv);
    fold(sv);
    mllm_service_status(sim_drill_service(sv->d), sim_drill_now(sv->d), &sv->st);
    if (sim_drill_finished(sv->d) && !sv->finished_noted) {
        sv->finished_noted = true;
        sim_drill_flush(sv->d, true);
        if (!sv->quiet)
            fprintf(stderr, "firedrill serve: the drill has ended (still serving; Ctrl-C to "
                            "stop)\n");
    }
}

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void on_signal(uv_signal_t *h, int signum)
{
    serve *sv = h->data;
    (void)signum;
    if (sv->stopping)
        return;
    sv->stopping = true;
    if (!sv->quiet)
        fprintf(stderr, "\nfiredrill serve: stopping\n");
    mllm_http_close(sv->http);
    sv->http = NULL;
    uv_close((uv_handle_t *)&sv->pace, on_closed);
    uv_close((uv_handle_t *)&sv->sigint, on_closed);
    uv_close((uv_handle_t *)&sv->sigterm, on_closed);
}

/* ---- /v1/models and chat completions --------------------------------------------------- */

static int64_t day_seconds(const char *date)
{
    int32_t d = date ? mllm_date_days(date) : -1;
    return d < 0 ? 0 : (int64_t)d * 86400;
}

static int on_models(void *ctx, mllm_http_model *out, int max)
{
    serve *sv = ctx;
    const mllm_world *w = sv->w;
    int n = 0;
    for (int i = 0; i < w->nmodels && n < max; i++) {
        const mllm_model *m = &w->models[i];
        out[n].id = m->id;
        out[n].owned_by = w->providers[m->provider].id;
        out[n].created = day_seconds(m->nversions > 0 ? m->released[0] : NULL);
        n++;
    }
    return n;
}

static int approx_tokens(size_t len)
{
    return (int)((len + 3) / 4);
}

static int name_index(const char *const *names, int n, const char *v)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], v) == 0)
            return i;
    return -1;
}

/* A segment header (x-firedrill-region, -plan, -client); -2 when invalid. */
static int segment(const mllm_http_chat *req, const char *hdr, const char *const *names, int n,
                   int dflt)
{
    const char *v = mllm_http_header(req->http, hdr);
    if (!v)
        return dflt;
    int i = name_index(names, n, v);
    return i < 0 ? -2 : i;
}

/* snprintf-free copies for the per-request path. */
static void copy_str(char *dst, size_t n, const char *src)
{
    size_t k = strlen(src);
    if (k >= n)
        k = n - 1;
    memcpy(dst, src, k);
    dst[k] = '\0';
}

static void prefixed_u64(char *dst, size_t n, const char *prefix, uint64_t v)
{
    char tmp[24];
    *mllm_http_put_u64(tmp, v) = '\0';
    size_t p = strlen(prefix);
    if (p >= n)
        p = n - 1;
    memcpy(dst, prefix, p);
    copy_str(dst + p, n - p, tmp);
}

static void rate_headers(serve *sv, const mllm_response *r, mllm_http_ratelimit *rl, bool limited)
{
    const mllm_world *w = sv->w;
    int prov = r->model >= 0 ? w->models[r->model].provider : 0;
    double limit = prov < MLLM_MAX_PROVIDERS ? sv->st.provider_rpm_limit[prov] : 0;
    double used = prov < MLLM_MAX_PROVIDERS ? sv->st.provider_rpm[prov] : 0;
    if (strcmp(r->err_code, "throttled") == 0) {
        limit = mllm_service_controls(sim_drill_service(sv->d))->throttle_rps * 60;
        used = limit;
    }
    if (!(limit > 0) || !isfinite(limit))
        return;
    rl->limit_requests = (long)limit;
    rl->remaining_requests = limited ? 0 : (long)(limit - used > 0 ? limit - used : 0);
    rl->reset_s = 60.0 / limit;
    if (limited)
        rl->retry_after_s = 1;
}

static void on_chat(void *ctx, const mllm_http_chat *req, mllm_http_chat_result *res)
{
    serve *sv = ctx;
    const mllm_world *w = sv->w;
    const mllm_service *svc = sim_drill_service(sv->d);
    if (mllm_world_model(w, req->model) < 0) {
        res->status = 404;
        snprintf(res->err.param, sizeof res->err.param, "model");
        snprintf(res->err.code, sizeof res->err.code, "model_not_found");
        snprintf(res->err.message, sizeof res->err.message,
                 "The model `%.200s` does not exist or you do not have access to it (see GET "
                 "/v1/models).",
                 req->model);
        return;
    }
    int last = req->nmessages - 1;
    while (last >= 0 && strcmp(req->messages[last].role, "user") != 0)
        last--;
    if (last < 0) {
        res->status = 400;
        snprintf(res->err.param, sizeof res->err.param, "messages");
        snprintf(res->err.code, sizeof res->err.code, "invalid_value");
        snprintf(res->err.message, sizeof res->err.message,
                 "Invalid 'messages': at least one message must have the role 'user'.");
        return;
    }
    mllm_request mr;
    memset(&mr, 0, sizeof mr);
    mr.region = segment(req, "x-firedrill-region", mllm_region_names, MLLM_REGIONS, 0);
    mr.plan = segment(req, "x-firedrill-plan", mllm_plan_names, MLLM_PLANS, 1);
    mr.client = segment(req, "x-firedrill-client", mllm_client_names, MLLM_CLIENTS, 2);
    if (mr.region == -2 || mr.plan == -2 || mr.client == -2) {
        res->status = 400;
        snprintf(res->err.code, sizeof res->err.code, "invalid_value");
        snprintf(res->err.message, sizeof res->err.message,
                 "Invalid segment header: x-firedrill-region is one of us|eu|apac, "
                 "x-firedrill-plan one of free|team|business|enterprise, x-firedrill-client one "
                 "of web-4.8|web-4.9|api-sdk-2.");
        return;
    }
    const char *question = req->messages[last].content;
    for (int i = 0; i < last; i++) {
        mr.history_tokens += approx_tokens(req->messages[i].len);
        if (strcmp(req->messages[i].role, "user") == 0)
            mr.turn++;
    }
    mr.structured = req->format != MLLM_HTTP_FORMAT_TEXT;
    mr.max_tokens = req->max_tokens;
    uint64_t qhash;
    mr.text = mllm_service_match_text(svc, question, &qhash);
    if (mr.text < 0 && sv->no_retrieval && w->ntexts > 0)
        mr.text = (int)(qhash % (uint64_t)w->ntexts);
    mr.free_text = mr.text < 0 ? question : NULL;
    advance(sv);
    mllm_response r;
    sim_drill_serve(sv->d, &mr, &r);

    prefixed_u64(res->request_id, sizeof res->request_id, "req_", mr.id);
    memcpy(res->id, "chatcmpl-fd", 11);
    copy_str(res->id + 11, sizeof res->id - 11, res->request_id + 4);
    double speed = sv->pacer.speed > 0 ? sv->pacer.speed : 1;
    if (!sv->no_delay) {
        res->latency_us = (uint64_t)((double)r.latency_us / speed);
        res->ttft_us = (uint64_t)((double)r.ttft_us / speed);
    }
    if (r.status != 200) {
        res->status = r.status;
        char msg[256];
        mllm_service_error_message(svc, &r, msg, sizeof msg);
        snprintf(res->err.message, sizeof res->err.message, "%s", msg);
        snprintf(res->err.code, sizeof res->err.code, "%s", r.err_code);
        snprintf(res->err.type, sizeof res->err.type, "%s", mllm_http_error_type(r.status));
        if (strcmp(r.err_code, "context_length_exceeded") == 0)
            snprintf(res->err.param, sizeof res->err.param, "messages");
        else if (strcmp(r.err_code, "invalid_request_error") == 0) {
            const char *p = strstr(msg, "supplied: ");
            snprintf(res->err.param, sizeof res->err.param, "%s", p ? p + 10 : "");
        }
        if (r.status == 429) {
            /* The limit may have just changed (an injected fault): read it fresh. */
            mllm_service_status(svc, sim_drill_now(sv->d), &sv->st);
            rate_headers(sv, &r, &res->rl, true);
        }
        return;
    }
    rate_headers(sv, &r, &res->rl, false);
    /* Rendered in place into the server's answer buffer, which it reuses from
     * request to request: no copy, and no allocation once it has grown. */
    mllm_http_buf *out = res->content;
    if (mllm_http_buf_reserve(out, 4096) == 0) {
        size_t room = out->cap - out->len;
        size_t need = mllm_service_render(svc, &mr, &r, out->data + out->len, room);
        if (need < room ||
            (mllm_http_buf_reserve(out, need + 1) == 0 &&
             mllm_service_render(svc, &mr, &r, out->data + out->len, need + 1) == need))
            out->len += need;
    }
    if (r.model >= 0) {
        const mllm_model *m = &w->models[r.model];
        copy_str(res->model, sizeof res->model, m->id);
        if (r.fingerprint >= 0 && r.fingerprint < m->nversions)
            copy_str(res->fingerprint, sizeof res->fingerprint, m->fingerprint[r.fingerprint]);
    }
    copy_str(res->finish_reason, sizeof res->finish_reason, r.truncated ? "length" : "stop");
    res->prompt_tokens = r.prompt_tokens;
    res->completion_tokens = r.completion_tokens;
}

/* ---- /metrics and /healthz ------------------------------------------------------------- */

static void prom_head(mllm_http_buf *b, const char *name, const char *type, const char *help)
{
    mllm_http_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prom_num(mllm_http_buf *b, double v)
{
    if (isnan(v))
        mllm_http_buf_puts(b, "NaN");
    else if (isinf(v))
        mllm_http_buf_puts(b, v > 0 ? "+Inf" : "-Inf");
    else if (v == floor(v) && fabs(v) < 1e15)
        mllm_http_buf_printf(b, "%.0f", v);
    else
        mllm_http_buf_printf(b, "%.9g", v);
}

/* Writes a label value with the escapes the text format wants. */
static void prom_label(mllm_http_buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            mllm_http_buf_printf(b, "\\%c", *v);
        else if (*v == '\n')
            mllm_http_buf_puts(b, "\\n");
        else
            mllm_http_buf_append(b, v, 1);
    }
}

static void prom_gauge(mllm_http_buf *b, const char *name, const char *help, double v)
{
    prom_head(b, name, "gauge", help);
    mllm_http_buf_printf(b, "%s ", name);
    prom_num(b, v);
    mllm_http_buf_puts(b, "\n");
}

static void prom_hist(serve *sv, mllm_http_buf *b, const char *name, const char *help,
                      const sim_hist *h)
{
    prom_head(b, name, "histogram", help);
    uint64_t cum = 0;
    int i = 0;
    for (int k = 0; k < LE_COUNT; k++) {
        for (; i <= sv->le_cut[k]; i++)
            cum += h->n[i];
        mllm_http_buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, le_seconds[k],
                             (unsigned long long)cum);
    }
    mllm_http_buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum ", name,
                         (unsigned long long)h->count, name);
    prom_num(b, h->sum / 1e6);
    mllm_http_buf_printf(b, "\n%s_count %llu\n", name, (unsigned long long)h->count);
}

static void on_metrics(void *ctx, mllm_http_buf *b)
{
    serve *sv = ctx;
    advance(sv);
    fold(sv);
    const sim_metrics *m = sim_drill_metrics(sv->d);
    sim_time now = sim_drill_now(sv->d);
    static totals t; /* 4 KiB of histograms: kept off the stack */
    t = sv->tot;
    for (sim_time at = sv->folded; at <= now; at += SIM_SEC(10)) {
        const sim_bucket *bk = sim_metrics_bucket(m, at, false);
        if (bk && bk->start == at)
            totals_add(&t, bk);
    }
    prom_head(b, "firedrill_requests_total", "counter",
              "Requests the simulated assistant served (simulated users and HTTP), by status.");
    for (int i = 0; i < SIM_ST_COUNT; i++)
        mllm_http_buf_printf(b, "firedrill_requests_total{status=\"%s\"} %llu\n",
                             sim_status_class_names[i], (unsigned long long)t.status[i]);
    prom_head(b, "firedrill_errors_total", "counter", "Requests that failed, by status code.");
    for (int i = 1; i < SIM_ST_COUNT; i++)
        mllm_http_buf_printf(b, "firedrill_errors_total{code=\"%s\"} %llu\n",
                             sim_status_class_names[i], (unsigned long long)t.status[i]);
    prom_hist(sv, b, "firedrill_request_duration_seconds",
              "End-to-end latency of the simulated requests.", &t.latency);
    prom_hist(sv, b, "firedrill_time_to_first_token_seconds",
              "Time to the first token of the simulated requests.", &t.ttft);
    prom_head(b, "firedrill_refusals_total", "counter", "Answers that refused the request.");
    mllm_http_buf_printf(b, "firedrill_refusals_total %llu\n", (unsigned long long)t.refusals);
    prom_head(b, "firedrill_fallbacks_total", "counter",
              "Requests served by a fallback (kill switch).");
    mllm_http_buf_printf(b, "firedrill_fallbacks_total %llu\n", (unsigned long long)t.fallbacks);
    prom_head(b, "firedrill_cache_hits_total", "counter", "Answers served from the cache.");
    mllm_http_buf_printf(b, "firedrill_cache_hits_total %llu\n", (unsigned long long)t.cache_hits);
    prom_head(b, "firedrill_cost_usd_total", "counter", "Provider cost of the requests in USD.");
    mllm_http_buf_puts(b, "firedrill_cost_usd_total ");
    prom_num(b, t.cost);
    mllm_http_buf_puts(b, "\n");

    const sim_alerts *al = sim_drill_alerts(sv->d);
    prom_head(b, "firedrill_alert_firing", "gauge", "1 while an alert rule fires, else 0.");
    for (int i = 0; i < al->n; i++) {
        mllm_http_buf_puts(b, "firedrill_alert_firing{alert=\"");
        prom_label(b, al->a[i].rule->id);
        mllm_http_buf_printf(b, "\",severity=\"%s\"} %d\n",
                             al->a[i].rule->severity == 1 ? "page" : "ticket",
                             al->a[i].state == SIM_ALERT_FIRING);
    }
    sim_time end = now - now % SIM_SEC(10);
    prom_gauge(b, "firedrill_index_age_seconds", "Age of the live retrieval index.",
               ((double)now - (double)sv->st.index_built_at) / 1e6);
    prom_gauge(b, "firedrill_judge_quality",
               "Mean score of the sampling judge over the last minute (0..1; NaN: none judged).",
               sim_metrics_value(m, SIM_M_QUALITY, end, SIM_MIN(1)));
    prom_gauge(b, "firedrill_context_tokens", "Mean context tokens over the last minute.",
               sim_metrics_value(m, SIM_M_CONTEXT_TOKENS, end, SIM_MIN(1)));
    prom_head(b, "firedrill_provider_requests_per_minute", "gauge",
              "Provider call attempts in the last minute.");
    for (int p = 0; p < sv->w->nproviders && p < MLLM_MAX_PROVIDERS; p++) {
        mllm_http_buf_puts(b, "firedrill_provider_requests_per_minute{provider=\"");
        prom_label(b, sv->w->providers[p].id);
        mllm_http_buf_puts(b, "\"} ");
        prom_num(b, sv->st.provider_rpm[p]);
        mllm_http_buf_puts(b, "\n");
    }
    prom_head(b, "firedrill_provider_up", "gauge",
              "1 when the provider's status page says operational, else 0.");
    for (int p = 0; p < sv->w->nproviders && p < MLLM_MAX_PROVIDERS; p++) {
        mllm_http_buf_puts(b, "firedrill_provider_up{provider=\"");
        prom_label(b, sv->w->providers[p].id);
        mllm_http_buf_printf(b, "\"} %d\n",
                             sv->st.provider_status[p] &&
                                 strcmp(sv->st.provider_status[p], "operational") == 0);
    }
    prom_gauge(b, "firedrill_drill_time_seconds", "Simulated time since the drill began.",
               (double)now / 1e6);
    prom_gauge(b, "firedrill_drill_speed", "Simulated seconds per wall second (0 while paused).",
               sv->pacer.paused ? 0 : sv->pacer.speed);
    if (sv->http) {
        mllm_http_stats hs;
        mllm_http_get_stats(sv->http, &hs);
        prom_gauge(b, "firedrill_http_open_connections", "Open HTTP connections.",
                   hs.connections_open);
        prom_head(b, "firedrill_http_responses_total", "counter",
                  "HTTP responses of this server, by status class.");
        for (int i = 1; i <= 5; i++)
            mllm_http_buf_printf(b, "firedrill_http_responses_total{class=\"%dxx\"} %llu\n", i,
                                 (unsigned long long)hs.responses[i]);
    }
}

static int on_health(void *ctx, mllm_http_buf *b)
{
    serve *sv = ctx;
    mllm_http_buf_puts(b, "{\"status\":\"ok\",\"scenario\":");
    mllm_http_buf_json_str(b, sv->sc->id, strlen(sv->sc->id));
    mllm_http_buf_printf(b, ",\"drill_time_s\":%.3f,\"finished\":%s}",
                         (double)sim_drill_now(sv->d) / 1e6,
                         sim_drill_finished(sv->d) ? "true" : "false");
    return 200;
}

/* ---- JSON routes: helpers -------------------------------------------------------------- */

static double secs(sim_time t)
{
    return (double)t / 1e6;
}

static void add_time(cJSON *o, const char *k, sim_time t)
{
    if (t == SIM_TIME_NEVER)
        cJSON_AddNullToObject(o, k);
    else
        cJSON_AddNumberToObject(o, k, secs(t));
}

static void add_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void reply_json(mllm_http_reply *rep, int status, cJSON *j)
{
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!s) {
        rep->status = 500;
        snprintf(rep->err.message, sizeof rep->err.message, "out of memory");
        return;
    }
    rep->status = status;
    mllm_http_buf_puts(rep->body, s);
    free(s);
}

static void reply_err(mllm_http_reply *rep, int status, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void reply_err(mllm_http_reply *rep, int status, const char *param, const char *fmt, ...)
{
    rep->status = status;
    snprintf(rep->err.param, sizeof rep->err.param, "%s", param ? param : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->err.message, sizeof rep->err.message, fmt, ap);
    va_end(ap);
}

static bool want(const mllm_http_route_req *rq, mllm_http_reply *rep, const char *method)
{
    if (strcmp(rq->method, method) == 0)
        return true;
    reply_err(rep, 405, NULL, "Method %s is not allowed on %s; use %s.", rq->method, rq->path,
              method);
    snprintf(rep->err.code, sizeof rep->err.code, "method_not_allowed");
    return false;
}

/* The body of a POST as a JSON object, or NULL after an error reply (405
 * for another method, 400 for a body that is not an object). */
static cJSON *post_object(const mllm_http_route_req *rq, mllm_http_reply *rep)
{
    if (!want(rq, rep, "POST"))
        return NULL;
    cJSON *j = cJSON_ParseWithLength(rq->body, rq->body_len);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        reply_err(rep, 400, NULL, "The body must be a JSON object.");
        return NULL;
    }
    return j;
}

/* Value of `key` in a query string ("a=1&b=2"), copied into out. */
static bool query_get(const char *q, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);
    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        if (len > kl && strncmp(q, key, kl) == 0 && q[kl] == '=') {
            snprintf(out, n, "%.*s", (int)(len - kl - 1), q + kl + 1);
            return true;
        }
        if (len == kl && strncmp(q, key, kl) == 0) {
            snprintf(out, n, "1");
            return true;
        }
        q = amp ? amp + 1 : NULL;
    }
    return false;
}

/* ---- trainee routes -------------------------------------------------------------------- */

static cJSON *action_json(const sim_action_rec *h)
{
    char spec[160];
    sim_action_format(&h->a, spec, sizeof spec);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)h->seq);
    cJSON_AddStringToObject(o, "action", spec);
    cJSON_AddStringToObject(o, "do", sim_action_names[h->a.kind]);
    cJSON_AddStringToObject(o, "arg", h->a.arg);
    cJSON_AddStringToObject(o, "by", h->by);
    add_time(o, "requested_at_s", h->requested);
    add_time(o, "effective_at_s", h->effective);
    cJSON_AddBoolToObject(o, "needs_approval", h->needs_approval);
    cJSON_AddStringToObject(o, "status",
                            h->effective == SIM_TIME_NEVER ? "pending"
                            : h->status == 0               ? "done"
                                                           : "failed");
    cJSON_AddStringToObject(o, "note", h->note);
    return o;
}

static void r_actions(serve *sv, const mllm_http_route_req *rq, mllm_http_reply *rep)
{
    const sim_action_rec *hist;
    if (strcmp(rq->method, "GET") == 0) {
        int n = sim_drill_history(sv->d, &hist);
        cJSON *a = cJSON_CreateArray();
        for (int i = 0; i < n; i++)
            cJSON_AddItemToArray(a, action_json(&hist[i]));
        reply_json(rep, 200, a);
        return;
    }
    cJSON *j = post_object(rq, rep);
    if (!j)
        return;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "do");
    const cJSON *arg = cJSON_GetObjectItemCaseSensitive(j, "arg");
    if (!cJSON_IsString(d) || (arg && !cJSON_IsString(arg) && !cJSON_IsNumber(arg))) {
        cJSON_Delete(j);
        reply_err(rep, 400, "do",
                  "Expected {\"do\": action, \"arg\": string}, e.g. "
                  "{\"do\":\"kill_switch\",\"arg\":\"on\"}.");
        return;
    }
    char spec[256], err[256] = "";
    char num[32] = "";
    if (cJSON_IsNumber(arg))
        snprintf(num, sizeof num, "%g", arg->valuedouble);
    const char *a = cJSON_IsString(arg) ? arg->valuestring : num;
    snprintf(spec, sizeof spec, "%s%s%s", d->valuestring, a[0] ? ":" : "", a);
    cJSON_Delete(j);
    sim_action_spec as;
    if (sim_action_parse(spec, sv->w, &as, err, sizeof err) != 0) {
        reply_err(rep, 400, "do", "%s", err);
        return;
    }
    advance(sv);
    const char *by = rq->role == MLLM_HTTP_ROLE_TRAINER ? "trainer" : "trainee";
    long seq = sim_drill_act(sv->d, &as, by, err, sizeof err);
    if (seq <= 0) {
        reply_err(rep, sim_drill_finished(sv->d) ? 409 : 400, NULL, "%s", err);
        return;
    }
    int n = sim_drill_history(sv->d, &hist);
    cJSON *o = seq <= n ? action_json(&hist[seq - 1]) : cJSON_CreateObject();
    const sim_runbook *rb = &sv->sc->runbook;
    sim_time delay =
        rb->delay[as.kind] + (seq <= n && hist[seq - 1].needs_approval ? rb->approval_takes : 0);
    cJSON_AddNumberToObject(o, "takes_effect_after_s", secs(delay));
    reply_json(rep, 202, o);
}

static void r_alerts(serve *sv, mllm_http_reply *rep)
{
    const sim_alerts *al = sim_drill_alerts(sv->d);
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < al->n; i++) {
        const sim_alert *x = &al->a[i];
        const sim_alert_rule *r = x->rule;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", r->id);
        cJSON_AddStringToObject(o, "metric", sim_metric_names[r->metric]);
        cJSON_AddStringToObject(o, "op", r->above ? ">" : "<");
        cJSON_AddNumberToObject(o, "threshold", r->threshold);
        cJSON_AddNumberToObject(o, "for_s", secs(r->for_));
        cJSON_AddNumberToObject(o, "window_s", secs(r->window));
        cJSON_AddStringToObject(o, "severity", r->severity == 1 ? "page" : "ticket");
        cJSON_AddStringToObject(o, "description", r->description);
        cJSON_AddStringToObject(o, "state", sim_alert_state_names[x->state]);
        add_num(o, "value", x->value);
        add_time(o, "fired_at_s", x->fired_at);
        add_time(o, "resolved_at_s", x->resolved_at);
        cJSON_AddBoolToObject(o, "acked", x->acked);
        cJSON_AddNumberToObject(o, "episodes", x->episodes);
        cJSON_AddItemToArray(a, o);
    }
    reply_json(rep, 200, a);
}

static void r_changes(serve *sv, mllm_http_reply *rep, bool trainer)
{
    const sim_change_rec *ch;
    int n = sim_drill_changes(sv->d, &ch);
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        if (!trainer && !ch[i].visible)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "t_s", secs(ch[i].t));
        cJSON_AddStringToObject(o, "kind", mllm_change_names[ch[i].kind]);
        cJSON_AddStringToObject(o, "text", ch[i].text);
        if (trainer) {
            cJSON_AddBoolToObject(o, "visible", ch[i].visible);
            cJSON_AddBoolToObject(o, "decoy", ch[i].decoy);
        }
        cJSON_AddItemToArray(a, o);
    }
    reply_json(rep, 200, a);
}

static const char *const why_names[] = {"failing", "sampled", "reproduced"};

static cJSON *trace_json(serve *sv, const sim_trace *t, bool trainer)
{
    const mllm_world *w = sv->w;
    const mllm_response *r = &t->resp;
    cJSON *o = cJSON_CreateObject();
    char id[24];
    snprintf(id, sizeof id, "%llu", (unsigned long long)t->id);
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddNumberToObject(o, "t_s", secs(t->req.t));
    cJSON_AddStringToObject(o, "why", t->why < 3 ? why_names[t->why] : "sampled");
    const char *q = t->text[0] ? t->text : t->req.text >= 0 ? mllm_world_text(w, t->req.text) : "";
    cJSON_AddStringToObject(o, "question", q ? q : "");
    cJSON_AddStringToObject(o, "region", mllm_region_names[t->req.region]);
    cJSON_AddStringToObject(o, "plan", mllm_plan_names[t->req.plan]);
    cJSON_AddStringToObject(o, "client", mllm_client_names[t->req.client]);
    cJSON_AddNumberToObject(o, "turn", t->req.turn);
    cJSON_AddStringToObject(o, "query_type", mllm_qtype_names[r->qtype]);
    if (r->topic >= 0 && r->topic < w->ntopics)
        cJSON_AddStringToObject(o, "topic", w->topics[r->topic].id);
    else
        cJSON_AddNullToObject(o, "topic");
    cJSON_AddNumberToObject(o, "status", r->status);
    cJSON_AddStringToObject(o, "error", r->err_code);
    char msg[256];
    cJSON_AddStringToObject(
        o, "error_message",
        mllm_service_error_message(sim_drill_service(sv->d), r, msg, sizeof msg));
    cJSON_AddNumberToObject(o, "latency_ms", r->latency_us / 1000.0);
    cJSON_AddNumberToObject(o, "ttft_ms", r->ttft_us / 1000.0);
    cJSON *stages = cJSON_AddObjectToObject(o, "stage_ms");
    for (int i = 0; i < MLLM_STAGE_COUNT; i++)
        cJSON_AddNumberToObject(stages, mllm_stage_names[i], r->stage_us[i] / 1000.0);
    if (r->model >= 0) {
        const mllm_model *m = &w->models[r->model];
        cJSON_AddStringToObject(o, "model", m->id);
        if (r->fingerprint >= 0 && r->fingerprint < m->nversions)
            cJSON_AddStringToObject(o, "fingerprint", m->fingerprint[r->fingerprint]);
        else
            cJSON_AddNullToObject(o, "fingerprint");
    } else {
        cJSON_AddNullToObject(o, "model");
        cJSON_AddNullToObject(o, "fingerprint");
    }
    cJSON_AddStringToObject(o, "route", mllm_role_names[r->route]);
    if (r->prompt >= 0)
        cJSON_AddStringToObject(o, "prompt", w->prompts[r->prompt].version);
    else
        cJSON_AddNullToObject(o, "prompt");
    cJSON_AddNumberToObject(o, "snapshot", r->snapshot);
    cJSON *chunks = cJSON_AddArrayToObject(o, "chunks");
    for (int i = 0; i < r->nchunks && i < MLLM_TOPK; i++) {
        const mllm_chunk *ch = &w->chunks[r->chunk[i]];
        const mllm_doc *doc = &w->docs[ch->doc];
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "doc", doc->id);
        cJSON_AddNumberToObject(c, "version", doc->v[ch->version_index].version);
        cJSON_AddStringToObject(c, "updated_at", doc->v[ch->version_index].updated_at);
        cJSON_AddNumberToObject(c, "score", r->score[i]);
        cJSON_AddItemToArray(chunks, c);
    }
    cJSON_AddBoolToObject(o, "refusal", r->refusal);
    cJSON_AddBoolToObject(o, "cache_hit", r->cache_hit);
    cJSON_AddBoolToObject(o, "fallback", r->fallback);
    cJSON_AddBoolToObject(o, "gated", r->gated);
    cJSON_AddBoolToObject(o, "throttled", r->throttled);
    cJSON_AddBoolToObject(o, "disclaimer", r->disclaimer);
    cJSON_AddBoolToObject(o, "structured", r->structured);
    cJSON_AddBoolToObject(o, "truncated", r->truncated);
    cJSON_AddNumberToObject(o, "retries", r->retries);
    cJSON *tok = cJSON_AddObjectToObject(o, "tokens");
    cJSON_AddNumberToObject(tok, "prompt", r->prompt_tokens);
    cJSON_AddNumberToObject(tok, "completion", r->completion_tokens);
    cJSON_AddNumberToObject(tok, "context", r->context_tokens);
    cJSON_AddNumberToObject(tok, "history", r->history_tokens);
    cJSON_AddNumberToObject(o, "cost_usd", r->cost);
    if (t->judge >= 0)
        cJSON_AddNumberToObject(o, "judge", t->judge);
    else
        cJSON_AddNullToObject(o, "judge");
    char answer[4096];
    mllm_service_render(sim_drill_service(sv->d), &t->req, r, answer, sizeof answer);
    cJSON_AddStringToObject(o, "answer", answer);
    if (trainer) {
        cJSON_AddStringToObject(o, "label", mllm_label_names[r->label]);
        cJSON *f = cJSON_AddArrayToObject(o, "faults");
        const mllm_service *svc = sim_drill_service(sv->d);
        for (int i = 0; i < mllm_service_fault_count(svc) && i < 32; i++)
            if ((r->fault_mask >> i) & 1u)
                cJSON_AddItemToArray(f, cJSON_CreateNumber(i));
    }
    return o;
}

static void r_traces(serve *sv, const mllm_http_route_req *rq, mllm_http_reply *rep, bool trainer)
{
    char v[32];
    bool failing = query_get(rq->query, "failing", v, sizeof v) && strcmp(v, "0") != 0 &&
                   strcmp(v, "false") != 0;
    long limit = 20;
    if (query_get(rq->query, "limit", v, sizeof v)) {
        char *end;
        limit = strtol(v, &end, 10);
        if (*end || limit < 1 || limit > 500) {
            reply_err(rep, 400, "limit", "limit is an integer from 1 to 500, got \"%s\".", v);
            return;
        }
    }
    const sim_traces *tr = sim_drill_traces(sv->d);
    cJSON *a = cJSON_CreateArray();
    long n = 0;
    for (uint64_t i = 0; n < limit; i++) {
        const sim_trace *t = sim_traces_get(tr, i);
        if (!t)
            break;
        if (failing && !sim_trace_failing(&t->resp, t->judge))
            continue;
        cJSON_AddItemToArray(a, trace_json(sv, t, trainer));
        n++;
    }
    reply_json(rep, 200, a);
}

static cJSON *names_of_bits(uint32_t bits, const char *(*name)(const serve *, int), const serve *sv,
                            int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n && i < 32; i++)
        if ((bits >> i) & 1u)
            cJSON_AddItemToArray(a, cJSON_CreateString(name(sv, i)));
    return a;
}

static const char *qtype_name(const serve *sv, int i)
{
    (void)sv;
    return mllm_qtype_names[i];
}

static const char *topic_name(const serve *sv, int i)
{
    return sv->w->topics[i].id;
}

static void r_status(serve *sv, mllm_http_reply *rep)
{
    const sim_scenario *sc = sv->sc;
    const mllm_world *w = sv->w;
    sim_time now = sim_drill_now(sv->d);
    cJSON *o = cJSON_CreateObject();
    cJSON *s = cJSON_AddObjectToObject(o, "scenario");
    cJSON_AddStringToObject(s, "id", sc->id);
    cJSON_AddStringToObject(s, "title", sc->title);
    cJSON_AddStringToObject(s, "difficulty", sc->difficulty);
    cJSON_AddStringToObject(s, "briefing", sc->briefing ? sc->briefing : "");
    cJSON *d = cJSON_AddObjectToObject(o, "drill");
    cJSON_AddNumberToObject(d, "now_s", secs(now));
    cJSON_AddNumberToObject(d, "duration_s", secs(sim_drill_duration(sv->d)));
    cJSON_AddBoolToObject(d, "finished", sim_drill_finished(sv->d));
    cJSON_AddBoolToObject(d, "paused", sv->pacer.paused);
    cJSON_AddNumberToObject(d, "speed", sv->pacer.speed);
    int sev = 0;
    bool declared = sim_drill_incident_declared(sv->d, &sev);
    cJSON *inc = cJSON_AddObjectToObject(o, "incident");
    cJSON_AddBoolToObject(inc, "declared", declared);
    if (declared)
        cJSON_AddNumberToObject(inc, "severity", sev);
    else
        cJSON_AddNullToObject(inc, "severity");
    cJSON_AddBoolToObject(inc, "resolved", sim_drill_resolved(sv->d));

    const mllm_controls *c = mllm_service_controls(sim_drill_service(sv->d));
    cJSON *svc = cJSON_AddObjectToObject(o, "service");
    cJSON_AddBoolToObject(svc, "kill_switch", c->kill_switch);
    cJSON_AddStringToObject(svc, "fallback", mllm_fallback_names[c->fallback]);
    cJSON_AddStringToObject(svc, "prompt", w->prompts[c->prompt].version);
    cJSON_AddStringToObject(svc, "route", mllm_role_names[c->route]);
    int primary = mllm_world_model_role(w, MLLM_ROLE_PRIMARY);
    if (c->pin_fingerprint >= 0 && primary >= 0)
        cJSON_AddStringToObject(svc, "pinned_fingerprint",
                                w->models[primary].fingerprint[c->pin_fingerprint]);
    else
        cJSON_AddNullToObject(svc, "pinned_fingerprint");
    cJSON_AddItemToObject(svc, "disabled_types",
                          names_of_bits(c->disabled_types, qtype_name, sv, MLLM_QT_COUNT));
    cJSON_AddItemToObject(svc, "disabled_topics",
                          names_of_bits(c->disabled_topics, topic_name, sv, w->ntopics));
    cJSON_AddBoolToObject(svc, "disclaimer", c->disclaimer);
    cJSON_AddNumberToObject(svc, "throttle_rps", c->throttle_rps);
    cJSON_AddNumberToObject(svc, "context_cap", c->context_cap);
    cJSON_AddNumberToObject(svc, "max_tokens", c->max_tokens);
    cJSON_AddBoolToObject(svc, "backoff", c->backoff);
    cJSON_AddBoolToObject(svc, "api_compat", c->api_compat);
    cJSON_AddBoolToObject(svc, "parser_compat", c->parser_lenient);

    const mllm_status *st = &sv->st;
    cJSON *ix = cJSON_AddObjectToObject(o, "index");
    cJSON_AddNumberToObject(ix, "live_snapshot", st->live_snapshot);
    cJSON_AddNumberToObject(ix, "age_s", ((double)now - (double)st->index_built_at) / 1e6);
    cJSON_AddBoolToObject(ix, "reindex_running", st->reindex_running);
    add_time(ix, "next_refresh_s",
             st->next_refresh == MLLM_NEVER ? SIM_TIME_NEVER : st->next_refresh);
    cJSON *pa = cJSON_AddArrayToObject(o, "providers");
    for (int p = 0; p < w->nproviders && p < MLLM_MAX_PROVIDERS; p++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", w->providers[p].id);
        cJSON_AddStringToObject(x, "status", st->provider_status[p] ? st->provider_status[p] : "");
        cJSON_AddNumberToObject(x, "requests_per_minute", st->provider_rpm[p]);
        add_num(x, "rpm_limit", st->provider_rpm_limit[p]);
        cJSON_AddItemToArray(pa, x);
    }
    cJSON *mm = cJSON_AddObjectToObject(o, "last_minute");
    const sim_metrics *m = sim_drill_metrics(sv->d);
    sim_time end = now - now % SIM_SEC(10);
    for (int i = 0; i < SIM_M_COUNT; i++)
        add_num(mm, sim_metric_names[i], sim_metrics_value(m, (sim_metric)i, end, SIM_MIN(1)));
    cJSON_AddNumberToObject(o, "alerts_firing", sim_alerts_firing(sim_drill_alerts(sv->d)));
    reply_json(rep, 200, o);
}

/* ---- trainer routes -------------------------------------------------------------------- */

static const char *fault_id(serve *sv, int i)
{
    if (i < sv->sc->nfaults)
        return sv->sc->faults[i].id;
    return i < MLLM_MAX_FAULTS && sv->live_ids[i][0] ? sv->live_ids[i] : "live";
}

static void r_faults_list(serve *sv, mllm_http_reply *rep)
{
    const mllm_service *svc = sim_drill_service(sv->d);
    const mllm_world *w = sv->w;
    sim_time now = sim_drill_now(sv->d);
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < mllm_service_fault_count(svc); i++) {
        const mllm_fault *f = mllm_service_fault(svc, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "index", i);
        cJSON_AddStringToObject(o, "id", fault_id(sv, i));
        cJSON_AddStringToObject(o, "kind", mllm_fault_names[f->kind]);
        cJSON_AddBoolToObject(o, "scenario", i < sv->sc->nfaults);
        cJSON_AddNumberToObject(o, "start_s", secs(f->start));
        add_time(o, "end_s", f->end == MLLM_NEVER ? SIM_TIME_NEVER : f->end);
        cJSON_AddNumberToObject(o, "ramp_s", secs(f->ramp));
        cJSON_AddBoolToObject(o, "active", mllm_service_fault_active(svc, i, now));
        cJSON *t = cJSON_AddObjectToObject(o, "target");
        cJSON_AddNumberToObject(t, "fraction", f->target.fraction);
        if (f->target.region >= 0)
            cJSON_AddStringToObject(t, "region", mllm_region_names[f->target.region]);
        if (f->target.plan >= 0)
            cJSON_AddStringToObject(t, "plan", mllm_plan_names[f->target.plan]);
        if (f->target.client >= 0)
            cJSON_AddStringToObject(t, "client", mllm_client_names[f->target.client]);
        if (f->target.qtype >= 0)
            cJSON_AddStringToObject(t, "query_type", mllm_qtype_names[f->target.qtype]);
        if (f->target.topic >= 0)
            cJSON_AddStringToObject(t, "topic", w->topics[f->target.topic].id);
        if (f->target.prompt >= 0)
            cJSON_AddStringToObject(t, "prompt", w->prompts[f->target.prompt].version);
        if (f->target.model >= 0)
            cJSON_AddStringToObject(t, "model", w->models[f->target.model].id);
        cJSON *p = cJSON_AddObjectToObject(o, "params");
        if (f->prompt >= 0)
            cJSON_AddStringToObject(p, "prompt", w->prompts[f->prompt].version);
        int primary = mllm_world_model_role(w, MLLM_ROLE_PRIMARY);
        if (f->fingerprint >= 0 && primary >= 0 && f->fingerprint < w->models[primary].nversions)
            cJSON_AddStringToObject(p, "fingerprint",
                                    w->models[primary].fingerprint[f->fingerprint]);
        if (f->topic >= 0)
            cJSON_AddStringToObject(p, "topic", w->topics[f->topic].id);
        if (f->factor > 0) /* named as in scenario files */
            cJSON_AddNumberToObject(p,
                                    f->kind == MLLM_FAULT_RATE_LIMITING ||
                                            f->kind == MLLM_FAULT_RATE_LIMIT_ERRORS
                                        ? "rpm"
                                    : f->kind == MLLM_FAULT_CONTEXT_GROWTH ? "tokens_per_min"
                                                                           : "factor",
                                    f->factor);
        if (f->docs > 0)
            cJSON_AddNumberToObject(p, "docs", f->docs);
        if (f->term[0])
            cJSON_AddStringToObject(p, "term", f->term);
        if (f->param[0])
            cJSON_AddStringToObject(p, "param", f->param);
        cJSON_AddItemToArray(a, o);
    }
    reply_json(rep, 200, a);
}

static void r_faults_add(serve *sv, const mllm_http_route_req *rq, mllm_http_reply *rep)
{
    mllm_diags diags;
    mllm_diags_clear(&diags);
    sim_scen_fault sf;
    memset(&sf, 0, sizeof sf);
    /* As a scenario's fault object; "id" and "start" (now) are optional. */
    int rc = sim_fault_from_json("<request body>", rq->body, rq->body_len, sv->w,
                                 sim_drill_duration(sv->d), &sf, &diags);
    if (rc != 0 || diags.n > 0) {
        char msg[512] = "invalid fault object";
        size_t off = 0;
        for (int i = 0; i < diags.n && off < sizeof msg - 1; i++)
            off +=
                (size_t)snprintf(msg + off, sizeof msg - off, "%sbody:%d:%d: %s: %s", i ? "; " : "",
                                 diags.d[i].line, diags.d[i].col, diags.d[i].path, diags.d[i].msg);
        reply_err(rep, 400, diags.n ? diags.d[0].path : NULL, "%s", msg);
        return;
    }
    advance(sv);
    if (sim_drill_finished(sv->d)) {
        reply_err(rep, 409, NULL, "The drill has ended: no fault can be injected.");
        return;
    }
    int fi = sim_drill_inject(sv->d, &sf.f, sf.id);
    if (fi < 0) {
        reply_err(rep, 409, NULL, "cannot inject the fault: %s", mllm_strerror(fi));
        return;
    }
    if (fi < MLLM_MAX_FAULTS)
        snprintf(sv->live_ids[fi], sizeof sv->live_ids[fi], "%s", sf.id[0] ? sf.id : "live");
    const mllm_fault *f = mllm_service_fault(sim_drill_service(sv->d), fi);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", fi);
    cJSON_AddStringToObject(o, "id", fault_id(sv, fi));
    cJSON_AddStringToObject(o, "kind", mllm_fault_names[f->kind]);
    cJSON_AddNumberToObject(o, "start_s", secs(f->start));
    add_time(o, "end_s", f->end == MLLM_NEVER ? SIM_TIME_NEVER : f->end);
    reply_json(rep, 201, o);
}

static void r_fault_clear(serve *sv, const mllm_http_route_req *rq, mllm_http_reply *rep,
                          const char *arg)
{
    if (!want(rq, rep, "DELETE"))
        return;
    char *end;
    long i = strtol(arg, &end, 10);
    if (!*arg || *end || i < 0 || i >= mllm_service_fault_count(sim_drill_service(sv->d))) {
        reply_err(rep, 404, NULL, "No fault with index \"%s\" (see GET /admin/faults).", arg);
        return;
    }
    advance(sv);
    int rc = sim_drill_clear_fault(sv->d, (int)i);
    if (rc != 0) {
        reply_err(rep, 409, NULL, "cannot clear fault %ld: %s", i, mllm_strerror(rc));
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", (double)i);
    cJSON_AddStringToObject(o, "id", fault_id(sv, (int)i));
    cJSON_AddNumberToObject(o, "cleared_at_s", secs(sim_drill_now(sv->d)));
    reply_json(rep, 200, o);
}

static void r_truth(serve *sv, mllm_http_reply *rep)
{
    sim_result r;
    sim_drill_result(sv->d, &r);
    const sim_scenario *sc = sv->sc;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", r.scenario);
    cJSON_AddNumberToObject(o, "seed", (double)r.seed);
    cJSON_AddNumberToObject(o, "now_s", secs(sim_drill_now(sv->d)));
    cJSON *lab = cJSON_AddObjectToObject(o, "labels");
    for (int i = 0; i < MLLM_LABEL_COUNT; i++)
        cJSON_AddNumberToObject(lab, mllm_label_names[i], (double)r.labels[i]);
    cJSON_AddNumberToObject(o, "requests", (double)r.requests);
    cJSON_AddNumberToObject(o, "bad_responses", (double)r.bad_responses);
    add_num(o, "harm", r.harm);
    add_num(o, "fault_harm", r.fault_harm);
    add_num(o, "cost_usd", r.cost);
    add_time(o, "onset_s", r.onset);
    add_time(o, "detect_s", r.detect);
    add_time(o, "diagnose_s", r.diagnose);
    add_time(o, "resolve_s", r.resolve);
    cJSON_AddStringToObject(o, "diagnosis", r.diagnosis);
    cJSON_AddBoolToObject(o, "symptom_correct", r.symptom_correct);
    cJSON_AddBoolToObject(o, "cause_correct", r.cause_correct);
    cJSON_AddBoolToObject(o, "contained", r.contained);
    cJSON_AddNumberToObject(o, "wrong_levers", r.wrong_levers);
    cJSON *ex = cJSON_AddObjectToObject(o, "expected");
    cJSON *dg = cJSON_AddArrayToObject(ex, "diagnosis");
    for (int i = 0; i < sc->expected.ndiag; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "symptom", sim_symptom_names[sc->expected.symptom[i]]);
        cJSON_AddStringToObject(x, "cause", mllm_fault_names[sc->expected.cause[i]]);
        cJSON_AddItemToArray(dg, x);
    }
    char spec[160];
    cJSON *ct = cJSON_AddArrayToObject(ex, "contain");
    for (int i = 0; i < sc->expected.ncontain; i++) {
        sim_action_format(&sc->expected.contain[i], spec, sizeof spec);
        cJSON_AddItemToArray(ct, cJSON_CreateString(spec));
    }
    cJSON *fx = cJSON_AddArrayToObject(ex, "fix");
    for (int i = 0; i < sc->expected.nfix; i++) {
        sim_action_format(&sc->expected.fix[i], spec, sizeof spec);
        cJSON_AddItemToArray(fx, cJSON_CreateString(spec));
    }
    cJSON *sco = cJSON_AddObjectToObject(o, "score");
    add_num(sco, "total", r.score.total);
    cJSON *parts = cJSON_AddObjectToObject(sco, "parts");
    for (int i = 0; i < SIM_PART_COUNT; i++)
        add_num(parts, sim_score_part_names[i], r.score.part[i]);
    add_num(sco, "penalty_levers", r.score.penalty_levers);
    add_num(sco, "penalty_availability", r.score.penalty_availability);
    reply_json(rep, 200, o);
}

static void r_drill(serve *sv, const mllm_http_route_req *rq, mllm_http_reply *rep)
{
    if (strcmp(rq->method, "GET") == 0) {
        r_status(sv, rep);
        return;
    }
    cJSON *j = post_object(rq, rep);
    if (!j)
        return;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "action");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "value");
    uint64_t wall = uv_hrtime();
    advance(sv);
    if (cJSON_IsString(a) && strcmp(a->valuestring, "pause") == 0)
        sim_pacer_pause(&sv->pacer, true, wall);
    else if (cJSON_IsString(a) && strcmp(a->valuestring, "resume") == 0)
        sim_pacer_pause(&sv->pacer, false, wall);
    else if (cJSON_IsString(a) && strcmp(a->valuestring, "speed") == 0 && cJSON_IsNumber(v) &&
             v->valuedouble > 0 && v->valuedouble <= 100000)
        sim_pacer_set_speed(&sv->pacer, v->valuedouble, wall);
    else {
        cJSON_Delete(j);
        reply_err(rep, 400, "action",
                  "Expected {\"action\": \"pause\"|\"resume\"} or "
                  "{\"action\": \"speed\", \"value\": X} with 0 < X <= 100000.");
        return;
    }
    cJSON_Delete(j);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "paused", sv->pacer.paused);
    cJSON_AddNumberToObject(o, "speed", sv->pacer.speed);
    cJSON_AddNumberToObject(o, "now_s", secs(sim_drill_now(sv->d)));
    reply_json(rep, 200, o);
}

static void r_decoy(serve *sv, const mllm_http_route_req *rq, mllm_http_reply *rep)
{
    cJSON *j = post_object(rq, rep);
    if (!j)
        return;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "text");
    if (!cJSON_IsString(t) || !t->valuestring[0] || strlen(t->valuestring) >= 200) {
        cJSON_Delete(j);
        reply_err(rep, 400, "text", "Expected {\"text\": \"...\"} (1..199 bytes).");
        return;
    }
    advance(sv);
    sim_drill_decoy(sv->d, t->valuestring);
    cJSON_Delete(j);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "t_s", secs(sim_drill_now(sv->d)));
    reply_json(rep, 201, o);
}

static void on_route(void *ctx, const mllm_http_route_req *rq, mllm_http_reply *rep)
{
    serve *sv = ctx;
    const char *p = rq->path;
    bool get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    advance(sv);
    if (strcmp(p, "/v1/drill/actions") == 0) {
        r_actions(sv, rq, rep);
    } else if (strcmp(p, "/v1/drill/alerts") == 0) {
        if (get || want(rq, rep, "GET"))
            r_alerts(sv, rep);
    } else if (strcmp(p, "/v1/drill/changes") == 0) {
        if (get || want(rq, rep, "GET"))
            r_changes(sv, rep, false);
    } else if (strcmp(p, "/v1/drill/traces") == 0) {
        if (get || want(rq, rep, "GET"))
            r_traces(sv, rq, rep, false);
    } else if (strcmp(p, "/v1/drill/status") == 0) {
        if (get || want(rq, rep, "GET"))
            r_status(sv, rep);
    } else if (strcmp(p, "/admin/faults") == 0) {
        if (get)
            r_faults_list(sv, rep);
        else if (want(rq, rep, "POST"))
            r_faults_add(sv, rq, rep);
    } else if (strncmp(p, "/admin/faults/", 14) == 0) {
        r_fault_clear(sv, rq, rep, p + 14);
    } else if (strcmp(p, "/admin/truth") == 0) {
        if (get || want(rq, rep, "GET"))
            r_truth(sv, rep);
    } else if (strcmp(p, "/admin/drill") == 0) {
        r_drill(sv, rq, rep);
    } else if (strcmp(p, "/admin/decoy") == 0) {
        r_decoy(sv, rq, rep);
    } else if (strcmp(p, "/admin/changes") == 0) {
        if (get || want(rq, rep, "GET"))
            r_changes(sv, rep, true);
    } else if (strcmp(p, "/admin/traces") == 0) {
        if (get || want(rq, rep, "GET"))
            r_traces(sv, rq, rep, true);
    }
    /* else: the server's 404 */
}

/* ---- start-up -------------------------------------------------------------------------- */

static int random_token(const char *prefix, char *out, size_t n)
{
    unsigned char b[24];
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f)
        return -1;
    size_t got = fread(b, 1, sizeof b, f);
    fclose(f);
    if (got != sizeof b)
        return -1;
    size_t off = (size_t)snprintf(out, n, "%s", prefix);
    for (size_t i = 0; i < sizeof b && off + 2 < n; i++)
        off += (size_t)snprintf(out + off, n - off, "%02x", b[i]);
    return 0;
}

/* Option, else environment, else generated (then *generated is set). */
static int pick_token(const char *opt, const char *env, const char *prefix, char *out, size_t n,
                      bool *generated)
{
    const char *e = getenv(env);
    *generated = false;
    if (opt && *opt)
        snprintf(out, n, "%s", opt);
    else if (e && *e)
        snprintf(out, n, "%s", e);
    else {
        *generated = true;
        return random_token(prefix, out, n);
    }
    return 0;
}

static int parse_args(int argc, char **argv, serve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->port = 8080;
    o->speed = 1;
    o->max_connections = 1024;
    o->max_body = 1024 * 1024;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (strcmp(a, "--scenario") == 0 && v) {
            cli_scenario_path(v, o->scenario, sizeof o->scenario);
            i++;
        } else if (strcmp(a, "--responder") == 0 && v) {
            snprintf(o->responder, sizeof o->responder, "%s", v);
            i++;
        } else if (strcmp(a, "--bind") == 0 && v) {
            o->bind = v;
            i++;
        } else if (strcmp(a, "--port") == 0 && v) {
            long p = strtol(v, &end, 10);
            if (*end || p < 0 || p > 65535) {
                fprintf(stderr, "firedrill serve: --port wants 0..65535, got \"%s\"\n", v);
                return -1;
            }
            o->port = (int)p;
            i++;
        } else if (strcmp(a, "--speed") == 0 && v) {
            o->speed = strtod(v, &end);
            if (*end || !(o->speed > 0 && o->speed <= 100000)) {
                fprintf(stderr,
                        "firedrill serve: --speed wants a factor in (0, 100000], got "
                        "\"%s\"\n",
                        v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--seed") == 0 && v) {
            o->seed = strtoull(v, &end, 10);
            if (*end || !*v) {
                fprintf(stderr, "firedrill serve: --seed wants an integer, got \"%s\"\n", v);
                return -1;
            }
            o->have_seed = true;
            i++;
        } else if (strcmp(a, "--log") == 0 && v) {
            o->log = v;
            i++;
        } else if (strcmp(a, "--out") == 0 && v) {
            o->out = v;
            i++;
        } else if (strcmp(a, "--api-key") == 0 && v) {
            o->api_key = v;
            i++;
        } else if (strcmp(a, "--trainee-token") == 0 && v) {
            o->trainee_token = v;
            i++;
        } else if (strcmp(a, "--trainer-token") == 0 && v) {
            o->trainer_token = v;
            i++;
        } else if (strcmp(a, "--max-connections") == 0 && v) {
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 100000) {
                fprintf(stderr, "firedrill serve: --max-connections wants 1..100000\n");
                return -1;
            }
            o->max_connections = (int)n;
            i++;
        } else if (strcmp(a, "--max-body") == 0 && v) {
            unsigned long long n = strtoull(v, &end, 10);
            if (*end || n < 1024 || n > (64ull << 20)) {
                fprintf(stderr, "firedrill serve: --max-body wants 1024..67108864 bytes\n");
                return -1;
            }
            o->max_body = (size_t)n;
            i++;
        } else if (strcmp(a, "--metrics-auth") == 0)
            o->metrics_auth = true;
        else if (strcmp(a, "--no-delay") == 0)
            o->no_delay = true;
        else if (strcmp(a, "--no-retrieval") == 0)
            o->no_retrieval = true;
        else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
            o->quiet = true;
        else if (a[0] == '-') {
            fprintf(stderr, "firedrill serve: unknown or incomplete option \"%s\" (see --help)\n",
                    a);
            return -1;
        } else if (!o->scenario[0])
            cli_scenario_path(a, o->scenario, sizeof o->scenario);
        else {
            fprintf(stderr, "firedrill serve: one scenario at a time (got \"%s\")\n", a);
            return -1;
        }
    }
    return 0;
}

static void le_cuts(serve *sv)
{
    for (int k = 0; k < LE_COUNT; k++) {
        uint64_t le_us = (uint64_t)(le_seconds[k] * 1e6);
        int cut = -1;
        /* Bucket i holds [lower(i), lower(i+1)); it is under the bound when
         * its largest value is. The overflow bucket is never. */
        for (int i = 0; i < SIM_HIST_BUCKETS - 1; i++)
            if (sim_hist_bucket_lower(i + 1) - 1 <= le_us)
                cut = i;
        sv->le_cut[k] = cut;
    }
}

int cli_serve(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, serve_usage) == 0)
        return 0;
    serve_opts o;
    if (parse_args(argc, argv, &o) != 0)
        return 2;
    int status = 2;
    mllm_world *w = NULL;
    sim_scenario *sc = NULL;
    sim_responder *rp = NULL;
    static serve sv; /* large (histograms); one per process */
    memset(&sv, 0, sizeof sv);
    bool loop_ok = false;
    char key[256], trainee[256], trainer[256];
    bool gen_key, gen_trainee, gen_trainer;
    if (pick_token(o.api_key, "FIREDRILL_API_KEY", "sk-fd-", key, sizeof key, &gen_key) ||
        pick_token(o.trainee_token, "FIREDRILL_TRAINEE_TOKEN", "fdtn-", trainee, sizeof trainee,
                   &gen_trainee) ||
        pick_token(o.trainer_token, "FIREDRILL_TRAINER_TOKEN", "fdtr-", trainer, sizeof trainer,
                   &gen_trainer)) {
        fprintf(stderr, "firedrill serve: cannot read /dev/urandom to make tokens\n");
        return 2;
    }
    if (strcmp(key, trainee) == 0 || strcmp(key, trainer) == 0 || strcmp(trainee, trainer) == 0 ||
        strlen(key) > 200 || strlen(trainee) > 200 || strlen(trainer) > 200) {
        fprintf(stderr, "firedrill serve: the API key, trainee token and trainer token must be "
                        "different and at most 200 bytes each\n");
        return 2;
    }
    if (!o.scenario[0])
        snprintf(o.scenario, sizeof o.scenario, "%s/%s", cli_data_dir(), CLI_DEFAULT_SCENARIO);
    bool out_created = false; /* found out now, not at the end of the drill */
    if (o.out && cli_out_check("serve", o.out, &out_created) != 0)
        return 2;
    w = cli_load_world();
    if (!w)
        goto out;
    if (cli_load_inputs(o.scenario, o.responder, w, &sc, &rp) != 0)
        goto out;
    if (o.have_seed) {
        sc->seed = o.seed;
        sc->service.seed = o.seed;
    }
    sim_drill_opts dopts = {.log_path = o.log,
                            .responder = rp,
                            .scenario_path = o.scenario,
                            .responder_path = o.responder[0] ? o.responder : NULL};
    char err[256];
    sv.d = sim_drill_new(sc, w, &dopts, err, sizeof err);
    if (!sv.d) {
        fprintf(stderr, "firedrill serve: %s\n", err);
        goto out;
    }
    sv.w = w;
    sv.sc = sc;
    sv.no_delay = o.no_delay;
    sv.no_retrieval = o.no_retrieval;
    sv.quiet = o.quiet;
    sv.folded = 0;
    sim_hist_clear(&sv.tot.latency);
    sim_hist_clear(&sv.tot.ttft);
    le_cuts(&sv);
    if (uv_loop_init(&sv.loop) != 0) {
        fprintf(stderr, "firedrill serve: cannot start the event loop\n");
        goto out;
    }
    loop_ok = true;
    sim_pacer_init(&sv.pacer, o.speed, uv_hrtime(), 0);
    mllm_service_status(sim_drill_service(sv.d), 0, &sv.st);

    mllm_http_config cfg;
    mllm_http_config_default(&cfg);
    cfg.bind = o.bind;
    cfg.port = o.port;
    cfg.api_key = key;
    cfg.trainee_token = trainee;
    cfg.trainer_token = trainer;
    cfg.metrics_need_key = o.metrics_auth;
    cfg.max_connections = o.max_connections;
    cfg.max_body_bytes = o.max_body;
    cfg.server_name = "firedrill/" FIREDRILL_VERSION;
    cfg.cb = (mllm_http_callbacks){.chat = on_chat,
                                   .models = on_models,
                                   .metrics = on_metrics,
                                   .health = on_health,
                                   .route = on_route,
                                   .ctx = &sv};
    int rc = mllm_http_start(&sv.loop, &cfg, &sv.http);
    if (rc != 0) {
        fprintf(stderr, "firedrill serve: cannot listen on %s:%d: %s\n", o.bind, o.port,
                uv_strerror(rc));
        goto out;
    }
    uv_timer_init(&sv.loop, &sv.pace);
    sv.pace.data = &sv;
    uv_timer_start(&sv.pace, on_pace, PACE_MS, PACE_MS);
    uv_signal_init(&sv.loop, &sv.sigint);
    uv_signal_init(&sv.loop, &sv.sigterm);
    sv.sigint.data = sv.sigterm.data = &sv;
    uv_signal_start(&sv.sigint, on_signal, SIGINT);
    uv_signal_start(&sv.sigterm, on_signal, SIGTERM);

    if (!o.quiet)
        printf("firedrill serve: drill %s, seed %llu, %llu simulated minutes at %gx%s%s\n", sc->id,
               (unsigned long long)sc->seed, (unsigned long long)(sc->duration / 60000000u),
               o.speed, o.no_delay ? ", no delay" : "", o.no_retrieval ? ", no retrieval" : "");
    printf("api key:       %s%s\n", key,
           gen_key ? "   (generated; --api-key or FIREDRILL_API_KEY)" : "");
    printf("trainee token: %s%s\n", trainee,
           gen_trainee ? "   (generated; --trainee-token or FIREDRILL_TRAINEE_TOKEN)" : "");
    printf("trainer token: %s%s\n", trainer,
           gen_trainer ? "   (generated; --trainer-token or FIREDRILL_TRAINER_TOKEN)" : "");
    bool v6 = strchr(o.bind, ':') != NULL;
    if (strncmp(o.bind, "127.", 4) != 0 && strcmp(o.bind, "::1") != 0)
        fprintf(stderr, "firedrill serve: warning: listening on %s, not loopback: anyone who "
                        "can reach it and holds a token can use it\n", o.bind);
    printf("listening on http://%s%s%s:%d\n", v6 ? "[" : "", o.bind, v6 ? "]" : "",
           mllm_http_port(sv.http));
    fflush(stdout);

    uv_run(&sv.loop, UV_RUN_DEFAULT);
    advance(&sv);
    int rrc = cli_stopped_result("serve", sv.d, rp, sc, w, o.out, !o.quiet);
    if (rrc >= 0)
        status = rrc;
out:
    if (loop_ok) {
        if (sv.http) {
            mllm_http_close(sv.http);
            uv_run(&sv.loop, UV_RUN_DEFAULT);
        }
        if (uv_loop_close(&sv.loop) != 0)
            fprintf(stderr, "firedrill serve: the event loop did not close cleanly\n");
    }
    if (status == 2)
        cli_out_discard(o.out, out_created);
    sim_drill_free(sv.d);
    sim_responder_free(rp);
    sim_scenario_free(sc);
    mllm_world_free(w);
    return status;
}
