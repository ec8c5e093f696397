/* fuzz_http.c - libFuzzer target: the HTTP server's request path (parse,
 * limits, auth, routing, chat checks, answers) in mockllm/mllm_http.c.
 *
 * The input is the raw bytes a client sends on one connection: any number of
 * pipelined requests, with bodies. mllm_http_serve_bytes serves it in memory
 * (no socket) with the same code as a TCP connection, split into reads of
 * various sizes, and returns once the server has closed the connection.
 *
 * The callbacks are deterministic stubs that derive their answers from the
 * request (echoes, statuses from the query string, rate limits, streams), so
 * the fuzzer reaches every answer path. The oracle: the server closes the
 * connection after the end of input; what it sends parses as HTTP/1.x
 * responses; every JSON body parses, error bodies are OpenAI error objects,
 * and every Server-Sent Event is JSON or [DONE]. The escaper the answers use,
 * mllm_http_buf_json_str, is also checked directly on the input bytes. */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>
#include <http_parser.h>
#include <uv.h>

#include "fuzz_common.h"
#include "mllm_http.h"

#define API_KEY "sk-fuzz-api"
#define TRAINEE "fuzz-trainee"
#define TRAINER "fuzz-trainer"
#define OUT_CAP (4u << 20) /* longer outputs are not parsed back */

/* ---- stub callbacks ------------------------------------------------------------------ */

static uint32_t hash_bytes(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static void stub_chat(void *ctx, const mllm_http_chat *req, mllm_http_chat_result *res)
{
    (void)ctx;
    const mllm_http_message *last = &req->messages[req->nmessages - 1];
    uint32_t h = hash_bytes(last->content, last->len) ^ hash_bytes(req->model, strlen(req->model));
    static const int statuses[] = {400, 404, 429, 500, 503};
    if (h % 8 == 7) {
        res->status = statuses[(h >> 3) % 5];
        snprintf(res->err.message, sizeof res->err.message, "stub error for %.40s", req->model);
        if (res->status == 429) {
            res->rl.limit_requests = 60;
            res->rl.remaining_requests = 0;
            res->rl.reset_s = (double)(h % 900) / 10.0;
            res->rl.retry_after_s = (int)(h % 7);
        }
        return;
    }
    /* Echo the user's words (any bytes: the escaper must cope) with some
     * plain words around them, so streams have several pieces. */
    mllm_http_buf_puts(res->content, "You said: ");
    mllm_http_buf_append(res->content, last->content, last->len < 200 ? last->len : 200);
    mllm_http_buf_puts(res->content, req->format == MLLM_HTTP_FORMAT_TEXT ? " ok then" : " {}");
    if (h & 1)
        snprintf(res->model, sizeof res->model, "nw-large");
    if (h & 2)
        snprintf(res->fingerprint, sizeof res->fingerprint, "fp_%06x", h & 0xffffff);
    if (h & 4)
        snprintf(res->request_id, sizeof res->request_id, "req-%08x", h);
    if (h & 8)
        snprintf(res->finish_reason, sizeof res->finish_reason, "length");
    if (h & 16) {
        res->rl.limit_requests = 1000;
        res->rl.remaining_requests = (long)(h % 1000);
        res->rl.reset_s = (double)(h % 100000) / 1000.0;
    }
    res->prompt_tokens = (int)(h % 5000);
    res->completion_tokens = (int)(h % 300);
}

static int stub_models(void *ctx, mllm_http_model *out, int max)
{
    (void)ctx;
    static const char *const ids[] = {"nw-large", "bb-medium", "sky-mini"};
    int n = max < 3 ? max : 3;
    for (int i = 0; i < n; i++) {
        out[i].id = ids[i];
        out[i].owned_by = i == 1 ? NULL : "firedrill";
        out[i].created = 1764460800 + i;
    }
    return n;
}

static void stub_metrics(void *ctx, mllm_http_buf *out)
{
    (void)ctx;
    mllm_http_buf_puts(out, "# TYPE fuzz_requests counter\nfuzz_requests 1\n");
}

static int stub_health(void *ctx, mllm_http_buf *out)
{
    (void)ctx;
    mllm_http_buf_puts(out, "{\"status\":\"ok\",\"fuzz\":true}");
    return 200;
}

/* Answers with the status named by "status=N" in the query (default 200)
 * and a JSON echo of the request. */
static void stub_route(void *ctx, const mllm_http_route_req *req, mllm_http_reply *rep)
{
    (void)ctx;
    const char *st = strstr(req->query, "status=");
    rep->status = st ? atoi(st + 7) : 200;
    if (rep->status >= 400)
        snprintf(rep->err.message, sizeof rep->err.message, "stub says %d for %.60s", rep->status,
                 req->path);
    if (strstr(req->query, "empty"))
        return;
    mllm_http_buf_puts(rep->body, "{\"method\":");
    mllm_http_buf_json_str(rep->body, req->method, strlen(req->method));
    mllm_http_buf_puts(rep->body, ",\"path\":");
    mllm_http_buf_json_str(rep->body, req->path, strlen(req->path));
    mllm_http_buf_puts(rep->body, ",\"query\":");
    mllm_http_buf_json_str(rep->body, req->query, strlen(req->query));
    mllm_http_buf_printf(rep->body, ",\"role\":\"%s\",\"body\":", mllm_http_role_names[req->role]);
    mllm_http_buf_json_str(rep->body, req->body, req->body_len);
    const char *ua = mllm_http_header(req->http, "user-agent");
    mllm_http_buf_puts(rep->body, ",\"ua\":");
    if (ua)
        mllm_http_buf_json_str(rep->body, ua, strlen(ua));
    else
        mllm_http_buf_puts(rep->body, "null");
    mllm_http_buf_puts(rep->body, "}");
}

static void config(mllm_http_config *cfg)
{
    mllm_http_config_default(cfg);
    cfg->port = 0;
    cfg->api_key = API_KEY;
    cfg->trainee_token = TRAINEE;
    cfg->trainer_token = TRAINER;
    /* Limits small enough for inputs of a few KiB to reach them. */
    cfg->max_header_bytes = 2048;
    cfg->max_body_bytes = 8192;
    cfg->max_messages = 16;
    cfg->header_timeout_ms = 3000;
    cfg->body_timeout_ms = 3000;
    cfg->linger_ms = 3000;
    cfg->server_name = "firedrill-fuzz";
    cfg->cb.chat = stub_chat;
    cfg->cb.models = stub_models;
    cfg->cb.metrics = stub_metrics;
    cfg->cb.health = stub_health;
    cfg->cb.route = stub_route;
}

/* ---- checking what the server sent ---------------------------------------------------- */

typedef struct reader {
    char field[64];
    size_t flen;
    bool in_ctype, in_value;
    char ctype[128];
    char *body;
    size_t blen, bcap;
    int responses;
} reader;

static int r_begin(http_parser *p)
{
    reader *r = p->data;
    r->blen = 0;
    r->ctype[0] = '\0';
    r->in_value = false;
    r->flen = 0;
    return 0;
}

static int r_field(http_parser *p, const char *at, size_t n)
{
    reader *r = p->data;
    if (r->in_value) {
        r->in_value = false;
        r->flen = 0;
    }
    size_t k = n < sizeof r->field - 1 - r->flen ? n : sizeof r->field - 1 - r->flen;
    memcpy(r->field + r->flen, at, k);
    r->flen += k;
    r->field[r->flen] = '\0';
    return 0;
}

static int r_value(http_parser *p, const char *at, size_t n)
{
    reader *r = p->data;
    if (!r->in_value) {
        r->in_value = true;
        r->in_ctype = strcasecmp(r->field, "content-type") == 0;
        if (r->in_ctype)
            r->ctype[0] = '\0';
    }
    size_t have = strlen(r->ctype), room = sizeof r->ctype - 1 - have;
    if (r->in_ctype)
        strncat(r->ctype, at, n < room ? n : room);
    return 0;
}

static int r_body(http_parser *p, const char *at, size_t n)
{
    reader *r = p->data;
    if (r->blen + n > r->bcap) {
        size_t cap = (r->blen + n) * 2;
        char *nb = realloc(r->body, cap);
        FUZZ_CHECK(nb != NULL, "out of memory");
        r->body = nb;
        r->bcap = cap;
    }
    memcpy(r->body + r->blen, at, n);
    r->blen += n;
    return 0;
}

static void check_json(const char *text, size_t n, const char *what, int status)
{
    cJSON *j = cJSON_ParseWithLength(text, n);
    FUZZ_CHECK(j != NULL, "%s of a %d response is not JSON: %.*s", what, status,
               (int)(n < 300 ? n : 300), text);
    if (status >= 400) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "type");
        FUZZ_CHECK(cJSON_IsObject(e) && cJSON_IsString(m) && cJSON_IsString(t),
                   "a %d response is not an OpenAI error object: %.*s", status,
                   (int)(n < 300 ? n : 300), text);
    }
    cJSON_Delete(j);
}

static int r_complete(http_parser *p)
{
    reader *r = p->data;
    int status = (int)p->status_code;
    r->responses++;
    FUZZ_CHECK(status >= 100 && status <= 599, "status %d", status);
    if (r->blen == 0)
        return 0;
    if (strncmp(r->ctype, "application/json", 16) == 0) {
        check_json(r->body, r->blen, "the body", status);
    } else if (strncmp(r->ctype, "text/event-stream", 17) == 0) {
        size_t i = 0;
        while (i < r->blen) {
            const char *ev = r->body + i;
            const char *end = memmem(ev, r->blen - i, "\n\n", 2);
            size_t n = end ? (size_t)(end - ev) : r->blen - i;
            FUZZ_CHECK(n >= 6 && memcmp(ev, "data: ", 6) == 0, "an SSE event without data: %.*s",
                       (int)(n < 100 ? n : 100), ev);
            if (!(n == 12 && memcmp(ev + 6, "[DONE]", 6) == 0))
                check_json(ev + 6, n - 6, "an SSE event", status);
            i += n + 2;
        }
    }
    return 0;
}

/* Checks that out[0..n) is a sequence of well-formed responses. */
static void check_responses(const char *out, size_t n)
{
    http_parser_settings st = {
        .on_message_begin = r_begin,
        .on_header_field = r_field,
        .on_header_value = r_value,
        .on_body = r_body,
        .on_message_complete = r_complete,
    };
    reader r = {0};
    http_parser p;
    http_parser_init(&p, HTTP_RESPONSE);
    p.data = &r;
    size_t got = http_parser_execute(&p, &st, out, n);
    enum http_errno e = HTTP_PARSER_ERRNO(&p);
    FUZZ_CHECK(e == HPE_OK && got == n,
               "the server's output is not HTTP at byte %zu of %zu (%s): %.*s", got, n,
               http_errno_name(e), (int)(n - got < 200 ? n - got : 200), out + got);
    http_parser_execute(&p, &st, NULL, 0); /* end of a close-delimited body */
    free(r.body);
}

/* The escaper on arbitrary bytes: always a JSON string. */
static void check_escaper(const uint8_t *data, size_t size)
{
    mllm_http_buf b = {0};
    size_t n = size < 512 ? size : 512;
    FUZZ_CHECK(mllm_http_buf_json_str(&b, (const char *)data, n) == 0, "escaper failed");
    cJSON *j = cJSON_ParseWithLength(b.data, b.len);
    FUZZ_CHECK(cJSON_IsString(j), "escaped bytes are not a JSON string: %.*s", (int)b.len, b.data);
    cJSON_Delete(j);
    mllm_http_buf_release(&b);
}

/* ---- feeding the server -------------------------------------------------------------- */

/* The server reads the input as one connection in memory: in one read for a
 * quarter of the inputs, in reads of 1..61 bytes otherwise, then the end of
 * input, as from a client that half-closes. */
static void serve(const uint8_t *data, size_t size, mllm_http_buf *out)
{
    mllm_http_config cfg;
    config(&cfg);
    size_t split = size % 4 == 0 ? 0 : size % 61 + 1;
    int rc = mllm_http_serve_bytes(&cfg, (const char *)data, size, split, out);
    FUZZ_CHECK(rc == 0, "mllm_http_serve_bytes: %s (the connection never closed?)",
               uv_strerror(rc));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_escaper(data, size);
    mllm_http_buf out = {0};
    serve(data, size, &out);
    FUZZ_CHECK(!out.failed, "response buffer failed");
    if (memmem(data, size, "HEAD", 4) != NULL) {
        /* Answers to HEAD carry a length but no body: only the start is checked. */
        FUZZ_CHECK(out.len == 0 || (out.len >= 9 && memcmp(out.data, "HTTP/1.", 7) == 0),
                   "the server's output does not start with a status line");
    } else if (out.len > 0 && out.len < OUT_CAP) {
        check_responses(out.data, out.len);
    }
    mllm_http_buf_release(&out);
    return 0;
}
