/* test_mllm_http.c - the HTTP server on a real socket: a table of good and
 * malformed requests with their statuses, authentication, limits (413, 431,
 * connections), pipelining and keep-alive, delayed answers that keep their
 * order, SSE framing, 429 headers, read timeouts against slow clients, and
 * garbage that must not stop it. The server runs its libuv loop in a thread
 * with mock callbacks and short timeouts; the test talks to it with
 * blocking sockets. Each test ends by checking the loop closes cleanly.
 * Without a socket: the chat-body scanner against cJSON on a table of bodies
 * and on random mutations of them, the JSON string writer, and whole
 * connections served in memory (mllm_http_serve_bytes). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mllm_http.h"

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- the server under test ------------------------------------------------------------ */

typedef struct server {
    uv_loop_t loop;
    uv_async_t stop;
    mllm_http *http;
    mllm_http_config cfg;
    pthread_t th;
    volatile int port; /* > 0 once listening, < 0 on a start error */
    int chats;         /* chat callbacks seen (server thread) */
} server;

static server S;

static void mock_chat(void *ctx, const mllm_http_chat *req, mllm_http_chat_result *res)
{
    server *s = ctx;
    s->chats++;
    const char *m = req->model;
    if (strcmp(m, "err429") == 0) {
        res->status = 429;
        snprintf(res->err.code, sizeof res->err.code, "rate_limit_exceeded");
        snprintf(res->err.message, sizeof res->err.message, "slow down");
        res->rl.limit_requests = 60;
        res->rl.remaining_requests = 0;
        res->rl.reset_s = 1;
        res->rl.retry_after_s = 2;
        return;
    }
    if (strcmp(m, "slow") == 0)
        res->latency_us = 300000;
    if (strcmp(m, "stream-slow") == 0) {
        res->latency_us = 200000;
        res->ttft_us = 50000;
    }
    /* Echo the last message so that tests can tell answers apart. */
    const mllm_http_message *last = &req->messages[req->nmessages - 1];
    mllm_http_buf_printf(res->content, "echo %s: ", req->http ? "x" : "?");
    mllm_http_buf_append(res->content, last->content, last->len);
    res->prompt_tokens = 7;
    res->completion_tokens = 5;
    snprintf(res->fingerprint, sizeof res->fingerprint, "fp_test");
    snprintf(res->request_id, sizeof res->request_id, "req_%d", s->chats);
}

static int mock_models(void *ctx, mllm_http_model *out, int max)
{
    (void)ctx;
    static const char *ids[] = {"m1", "m2"};
    int n = 0;
    for (; n < 2 && n < max; n++) {
        out[n].id = ids[n];
        out[n].owned_by = "test";
        out[n].created = 1700000000;
    }
    return n;
}

static void mock_metrics(void *ctx, mllm_http_buf *out)
{
    (void)ctx;
    mllm_http_buf_puts(out, "# HELP t_total A test.\n# TYPE t_total counter\nt_total 1\n");
}

static void mock_route(void *ctx, const mllm_http_route_req *rq, mllm_http_reply *rep)
{
    (void)ctx;
    if (strcmp(rq->path, "/admin/missing") == 0)
        return; /* the server's 404 */
    if (strcmp(rq->path, "/admin/header") == 0) {
        const char *v = mllm_http_header(rq->http, "x-mixed-case-header_`^|~z-name");
        rep->status = 200;
        mllm_http_buf_printf(rep->body, "{\"value\":\"%s\"}", v ? v : "(none)");
        return;
    }
    if (strcmp(rq->path, "/admin/teapot") == 0) {
        rep->status = 409;
        snprintf(rep->err.message, sizeof rep->err.message, "conflict here");
        return;
    }
    rep->status = 200;
    mllm_http_buf_printf(rep->body,
                         "{\"method\":\"%s\",\"path\":\"%s\",\"query\":\"%s\","
                         "\"role\":\"%s\",\"body_len\":%zu}",
                         rq->method, rq->path, rq->query, mllm_http_role_names[rq->role],
                         rq->body_len);
}

static void on_stop(uv_async_t *a)
{
    server *s = a->data;
    mllm_http_close(s->http);
    uv_close((uv_handle_t *)&s->stop, NULL);
}

static void *server_main(void *arg)
{
    server *s = arg;
    int rc = mllm_http_start(&s->loop, &s->cfg, &s->http);
    if (rc != 0) {
        s->port = -1;
        return NULL;
    }
    s->port = mllm_http_port(s->http);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    return NULL;
}

static void server_config(mllm_http_config *c)
{
    mllm_http_config_default(c);
    c->port = 0;
    c->api_key = "key-api-123";
    c->trainee_token = "tok-trainee-456";
    c->trainer_token = "tok-trainer-789";
    c->max_body_bytes = 4096;
    c->max_header_bytes = 2048;
    c->max_connections = 8;
    c->max_messages = 4;
    c->header_timeout_ms = 300;
    c->body_timeout_ms = 300;
    c->idle_timeout_ms = 400;
    c->write_timeout_ms = 1000;
    c->linger_ms = 200;
    c->cb = (mllm_http_callbacks){mock_chat, mock_models, mock_metrics, NULL, mock_route, &S};
}

static void server_start(const mllm_http_config *cfg)
{
    memset(&S, 0, sizeof S);
    S.cfg = *cfg;
    S.cfg.cb.ctx = &S;
    assert_int_equal(uv_loop_init(&S.loop), 0);
    assert_int_equal(uv_async_init(&S.loop, &S.stop, on_stop), 0);
    S.stop.data = &S;
    assert_int_equal(pthread_create(&S.th, NULL, server_main, &S), 0);
    for (int i = 0; i < 2000 && S.port == 0; i++)
        sleep_ms(1);
    assert_true(S.port > 0);
}

static void server_stop(void)
{
    uv_async_send(&S.stop);
    pthread_join(S.th, NULL);
    /* Every handle closed: the loop closes cleanly. */
    assert_int_equal(uv_loop_close(&S.loop), 0);
}

static int setup(void **state)
{
    (void)state;
    mllm_http_config c;
    server_config(&c);
    server_start(&c);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    server_stop();
    return 0;
}

/* ---- a small blocking client ---------------------------------------------------------- */

typedef struct client {
    int fd;
    char buf[256 * 1024];
    size_t len;
} client;

typedef struct resp {
    int status;
    char head[4096];
    char body[128 * 1024];
    size_t blen;
    bool eof; /* the connection ended (read returned 0 or failed) */
} resp;

static char *find_bytes(char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static client *cl_open(void)
{
    client *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c->fd >= 0);
    struct timeval tv = {5, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)S.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&a, sizeof a), 0);
    return c;
}

static void cl_close(client *c)
{
    close(c->fd);
    free(c);
}

static void cl_send(client *c, const char *data, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t k = send(c->fd, data + off, n - off, MSG_NOSIGNAL);
        if (k <= 0)
            return; /* the server may have closed: the reply tells */
        off += (size_t)k;
    }
}

static void cl_puts(client *c, const char *s)
{
    cl_send(c, s, strlen(s));
}

/* Reads more into the buffer; false at EOF or timeout. */
static bool cl_fill(client *c)
{
    if (c->len == sizeof c->buf)
        return false;
    ssize_t k = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (k <= 0)
        return false;
    c->len += (size_t)k;
    return true;
}

static void cl_consume(client *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

static const char *find_head(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
            p += 3 + n;
            while (*p == ' ')
                p++;
            return p;
        }
    return NULL;
}

/* Reads one response (skipping 1xx). status 0: nothing came before EOF. */
static void cl_read(client *c, resp *r, bool head_request)
{
    memset(r, 0, sizeof *r);
    for (;;) {
        char *end;
        while (!(end = find_bytes(c->buf, c->len, "\r\n\r\n")))
            if (!cl_fill(c)) {
                r->eof = true;
                return;
            }
        size_t hl = (size_t)(end - c->buf) + 4;
        size_t copy = hl < sizeof r->head - 1 ? hl : sizeof r->head - 1;
        memcpy(r->head, c->buf, copy);
        r->head[copy] = '\0';
        cl_consume(c, hl);
        r->status = atoi(r->head + 9);
        if (r->status >= 200)
            break;
    }
    const char *cl = find_head(r->head, "Content-Length");
    const char *te = find_head(r->head, "Transfer-Encoding");
    if (head_request || r->status == 204)
        return;
    if (cl) {
        size_t n = (size_t)strtoul(cl, NULL, 10);
        while (c->len < n)
            if (!cl_fill(c)) {
                r->eof = true;
                break;
            }
        n = n < c->len ? n : c->len;
        memcpy(r->body, c->buf, n < sizeof r->body ? n : sizeof r->body);
        r->blen = n;
        cl_consume(c, n);
    } else if (te && strncasecmp(te, "chunked", 7) == 0) {
        for (;;) {
            char *eol;
            while (!(eol = find_bytes(c->buf, c->len, "\r\n")))
                if (!cl_fill(c)) {
                    r->eof = true;
                    return;
                }
            size_t n = (size_t)strtoul(c->buf, NULL, 16);
            size_t need = (size_t)(eol - c->buf) + 2 + n + 2;
            while (c->len < need)
                if (!cl_fill(c)) {
                    r->eof = true;
                    return;
                }
            if (r->blen + n < sizeof r->body) {
                memcpy(r->body + r->blen, eol + 2, n);
                r->blen += n;
            }
            cl_consume(c, need);
            if (n == 0)
                break;
        }
    } else {
        while (cl_fill(c))
            ;
        r->eof = true;
        size_t n = c->len < sizeof r->body ? c->len : sizeof r->body - 1;
        memcpy(r->body, c->buf, n);
        r->blen = n;
        cl_consume(c, c->len);
    }
    r->body[r->blen < sizeof r->body ? r->blen : sizeof r->body - 1] = '\0';
}

/* True when the server closed the connection (EOF or reset) within ~2 s. */
static bool cl_closed(client *c)
{
    struct timeval tv = {2, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char b[4096];
    for (;;) {
        ssize_t k = recv(c->fd, b, sizeof b, 0);
        if (k == 0)
            return true;
        if (k < 0)
            return errno != EAGAIN && errno != EWOULDBLOCK;
    }
}

/* One request on a new connection; returns the status. */
static int roundtrip(const char *raw, resp *r)
{
    client *c = cl_open();
    cl_puts(c, raw);
    cl_read(c, r, strncmp(raw, "HEAD ", 5) == 0);
    cl_close(c);
    return r->status;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

#define API       "Authorization: Bearer key-api-123\r\n"
#define TRAINEE   "Authorization: Bearer tok-trainee-456\r\n"
#define TRAINER   "Authorization: Bearer tok-trainer-789\r\n"
#define CHAT_BODY "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"

static char *chat_req(char *buf, size_t n, const char *auth, const char *body, const char *extra)
{
    snprintf(buf, n,
             "POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\n%sContent-Type: application/json\r\n"
             "%sContent-Length: %zu\r\n\r\n%s",
             auth, extra ? extra : "", strlen(body), body);
    return buf;
}

/* ---- tests ---------------------------------------------------------------------------- */

typedef struct case_ {
    const char *name;
    const char *raw;
    int status;
} case_;

static void request_table_gets_expected_statuses(void **state)
{
    (void)state;
    static char big_header[3000], many_headers[4000], big_body_req[256];
    memset(big_header, 0, sizeof big_header);
    snprintf(big_header, sizeof big_header, "GET /healthz HTTP/1.1\r\nX-Big: ");
    memset(big_header + strlen(big_header), 'a', 2500);
    strcat(big_header, "\r\n\r\n");
    size_t o = (size_t)snprintf(many_headers, sizeof many_headers, "GET /healthz HTTP/1.1\r\n");
    for (int i = 0; i < 120; i++)
        o += (size_t)snprintf(many_headers + o, sizeof many_headers - o, "X%d: 1\r\n", i);
    snprintf(many_headers + o, sizeof many_headers - o, "\r\n");
    snprintf(big_body_req, sizeof big_body_req,
             "POST /v1/chat/completions HTTP/1.1\r\n" API "Content-Length: 999999\r\n\r\n");
    char c1[512], c2[512], c3[512], c4[512], c5[512], c6[512], c7[512], c8[512], c9[600];
    const case_ cases[] = {
        {"health", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 200},
        {"health HEAD", "HEAD /healthz HTTP/1.1\r\n\r\n", 200},
        {"health POST", "POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405},
        {"metrics open", "GET /metrics HTTP/1.1\r\n\r\n", 200},
        {"models", "GET /v1/models HTTP/1.1\r\n" API "\r\n", 200},
        {"one model", "GET /v1/models/m2 HTTP/1.1\r\n" API "\r\n", 200},
        {"unknown model", "GET /v1/models/zz HTTP/1.1\r\n" API "\r\n", 404},
        {"models no key", "GET /v1/models HTTP/1.1\r\n\r\n", 401},
        {"models bad key", "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer nope\r\n\r\n", 401},
        {"key prefix", "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer key-api-12\r\n\r\n", 401},
        {"key longer", "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer key-api-1234\r\n\r\n",
         401},
        {"basic auth", "GET /v1/models HTTP/1.1\r\nAuthorization: Basic a2V5\r\n\r\n", 401},
        {"bearer case", "GET /v1/models HTTP/1.1\r\nauthorization: bearer key-api-123\r\n\r\n",
         200},
        {"trainee on models", "GET /v1/models HTTP/1.1\r\n" TRAINEE "\r\n", 403},
        {"trainee on admin", "GET /admin/faults HTTP/1.1\r\n" TRAINEE "\r\n", 403},
        {"api on admin", "GET /admin/faults HTTP/1.1\r\n" API "\r\n", 403},
        {"no token on admin", "GET /admin/faults HTTP/1.1\r\n\r\n", 401},
        {"trainer on admin", "GET /admin/faults?x=1 HTTP/1.1\r\n" TRAINER "\r\n", 200},
        {"admin 404", "GET /admin/missing HTTP/1.1\r\n" TRAINER "\r\n", 404},
        {"admin 409", "GET /admin/teapot HTTP/1.1\r\n" TRAINER "\r\n", 409},
        {"trainee on drill", "GET /v1/drill/status HTTP/1.1\r\n" TRAINEE "\r\n", 200},
        {"trainer on drill", "GET /v1/drill/status HTTP/1.1\r\n" TRAINER "\r\n", 200},
        {"api on drill", "GET /v1/drill/status HTTP/1.1\r\n" API "\r\n", 403},
        {"not found", "GET /nope HTTP/1.1\r\n\r\n", 404},
        {"absolute form", "GET http://h:1/healthz HTTP/1.1\r\n\r\n", 200},
        {"chat GET", "GET /v1/chat/completions HTTP/1.1\r\n" API "\r\n", 405},
        {"chat ok", chat_req(c1, sizeof c1, API, CHAT_BODY, NULL), 200},
        {"chat no key", chat_req(c2, sizeof c2, "", CHAT_BODY, NULL), 401},
        {"chat bad json", chat_req(c3, sizeof c3, API, "{\"model\":", NULL), 400},
        {"chat empty body",
         "POST /v1/chat/completions HTTP/1.1\r\n" API "Content-Length: 0\r\n\r\n", 400},
        {"chat not object", chat_req(c4, sizeof c4, API, "[1,2]", NULL), 400},
        {"chat no messages", chat_req(c5, sizeof c5, API, "{\"model\":\"m1\"}", NULL), 400},
        {"chat n=2",
         chat_req(c6, sizeof c6, API,
                  "{\"model\":\"m1\",\"n\":2,\"messages\":[{\"role\":\"user\","
                  "\"content\":\"x\"}]}",
                  NULL),
         400},
        {"chat bad role",
         chat_req(c7, sizeof c7, API,
                  "{\"model\":\"m1\",\"messages\":[{\"role\":\"boss\","
                  "\"content\":\"x\"}]}",
                  NULL),
         400},
        {"chat too many messages",
         chat_req(c8, sizeof c8, API,
                  "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"1\"},"
                  "{\"role\":\"user\",\"content\":\"2\"},{\"role\":\"user\",\"content\":\"3\"},"
                  "{\"role\":\"user\",\"content\":\"4\"},{\"role\":\"user\",\"content\":\"5\"}]}",
                  NULL),
         400},
        {"chat parts",
         chat_req(c9, sizeof c9, API,
                  "{\"model\":\"m1\",\"temperature\":0.5,\"messages\":[{\"role\":"
                  "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                  "{\"type\":\"image_url\",\"image_url\":{}}]}]}",
                  NULL),
         200},
        {"chunked body",
         "POST /admin/x HTTP/1.1\r\n" TRAINER "Transfer-Encoding: chunked\r\n\r\n"
         "3\r\nabc\r\n0\r\n\r\n",
         200},
        {"body too large", big_body_req, 413},
        {"header too large", big_header, 431},
        {"too many headers", many_headers, 431},
        {"garbage line", "GARBAGE\r\n\r\n", 400},
        {"unknown method", "FROB /healthz HTTP/1.1\r\n\r\n", 400},
        {"header without colon", "GET /healthz HTTP/1.1\r\nNoColon\r\n\r\n", 400},
        {"bad content length", "POST /admin/x HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400},
        {"cl and te",
         "POST /admin/x HTTP/1.1\r\n" TRAINER "Content-Length: 3\r\n"
         "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
         400},
        {"bad version", "GET /healthz HTTP/x.y\r\n\r\n", 400},
        {"control in url", "GET /he\x01lthz HTTP/1.1\r\n\r\n", 400},
        {"bad chunk size",
         "POST /admin/x HTTP/1.1\r\n" TRAINER "Transfer-Encoding: chunked\r\n\r\n"
         "zz\r\n",
         400},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp r;
        int st = roundtrip(cases[i].raw, &r);
        if (st != cases[i].status)
            fail_msg("case \"%s\": got %d, want %d\n%s%s", cases[i].name, st, cases[i].status,
                     r.head, r.body);
        if (st >= 400)
            assert_non_null(strstr(r.body, "{\"error\":{\"message\":"));
    }
    /* Still serving after all that. */
    resp r;
    assert_int_equal(roundtrip("GET /healthz HTTP/1.1\r\n\r\n", &r), 200);
}

static void errors_are_openai_objects(void **state)
{
    (void)state;
    char req[512];
    resp r;
    roundtrip(chat_req(req, sizeof req, API, "{\"model\":\"m1\",\"messages\":[]}", NULL), &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "\"param\":\"messages\""));
    assert_non_null(strstr(r.body, "\"code\":\"empty_array\""));
    assert_non_null(strstr(r.body, "\"type\":\"invalid_request_error\""));
    roundtrip("GET /v1/models HTTP/1.1\r\n\r\n", &r);
    assert_int_equal(r.status, 401);
    assert_non_null(find_head(r.head, "WWW-Authenticate"));
    assert_non_null(strstr(r.body, "\"param\":null"));
    roundtrip("DELETE /healthz HTTP/1.1\r\n\r\n", &r);
    assert_int_equal(r.status, 405);
    assert_non_null(find_head(r.head, "Allow"));
}

static void chat_answer_has_openai_shape(void **state)
{
    (void)state;
    char req[512];
    resp r;
    roundtrip(chat_req(req, sizeof req, API, CHAT_BODY, NULL), &r);
    assert_int_equal(r.status, 200);
    const char *want[] = {"\"object\":\"chat.completion\"",
                          "\"model\":\"m1\"",
                          "\"system_fingerprint\":\"fp_test\"",
                          "\"role\":\"assistant\"",
                          "\"content\":\"echo x: hi\"",
                          "\"finish_reason\":\"stop\"",
                          "\"prompt_tokens\":7",
                          "\"completion_tokens\":5",
                          "\"total_tokens\":12",
                          "\"id\":\"chatcmpl-",
                          "\"created\":"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(r.body, want[i]))
            fail_msg("missing %s in %s", want[i], r.body);
    assert_non_null(find_head(r.head, "x-request-id"));
}

static void error_429_carries_rate_limit_headers(void **state)
{
    (void)state;
    char req[512];
    resp r;
    roundtrip(
        chat_req(req, sizeof req, API,
                 "{\"model\":\"err429\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                 NULL),
        &r);
    assert_int_equal(r.status, 429);
    assert_int_equal(atoi(find_head(r.head, "Retry-After")), 2);
    assert_int_equal(atoi(find_head(r.head, "x-ratelimit-limit-requests")), 60);
    assert_int_equal(atoi(find_head(r.head, "x-ratelimit-remaining-requests")), 0);
    assert_non_null(find_head(r.head, "x-ratelimit-reset-requests"));
    assert_non_null(strstr(r.body, "\"code\":\"rate_limit_exceeded\""));
    assert_non_null(strstr(r.body, "\"type\":\"requests\""));
}

static void pipelined_requests_in_one_write_answer_in_order(void **state)
{
    (void)state;
    char a[512], b[512], all[1200];
    chat_req(a, sizeof a, API,
             "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"}]}", NULL);
    chat_req(b, sizeof b, API,
             "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"second\"}]}", NULL);
    snprintf(all, sizeof all, "GET /healthz HTTP/1.1\r\n\r\n%s%s", a, b);
    client *c = cl_open();
    cl_puts(c, all);
    resp r;
    cl_read(c, &r, false);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "status"));
    cl_read(c, &r, false);
    assert_non_null(strstr(r.body, "echo x: first"));
    cl_read(c, &r, false);
    assert_non_null(strstr(r.body, "echo x: second"));
    cl_close(c);
}

static void delayed_answer_keeps_pipeline_order(void **state)
{
    (void)state;
    char a[512], b[512], all[1200];
    chat_req(a, sizeof a, API,
             "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"slow one\"}]}",
             NULL);
    chat_req(b, sizeof b, API,
             "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"fast one\"}]}",
             NULL);
    snprintf(all, sizeof all, "%s%s", a, b);
    client *c = cl_open();
    double t0 = now_ms();
    cl_puts(c, all);
    resp r;
    cl_read(c, &r, false);
    double took = now_ms() - t0;
    assert_non_null(strstr(r.body, "slow one"));
    assert_true(took >= 280 && took < 3000);
    cl_read(c, &r, false);
    assert_non_null(strstr(r.body, "fast one"));
    cl_close(c);
}

static void delay_does_not_block_other_connections(void **state)
{
    (void)state;
    char a[512];
    chat_req(a, sizeof a, API,
             "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", NULL);
    client *slow = cl_open();
    cl_puts(slow, a);
    double t0 = now_ms();
    resp r;
    assert_int_equal(roundtrip("GET /healthz HTTP/1.1\r\n\r\n", &r), 200);
    assert_true(now_ms() - t0 < 200);
    cl_read(slow, &r, false);
    assert_int_equal(r.status, 200);
    cl_close(slow);
}

static void keep_alive_serves_many_requests_on_one_connection(void **state)
{
    (void)state;
    client *c = cl_open();
    for (int i = 0; i < 20; i++) {
        char req[512];
        cl_puts(c, chat_req(req, sizeof req, API, CHAT_BODY, NULL));
        resp r;
        cl_read(c, &r, false);
        assert_int_equal(r.status, 200);
        assert_null(find_head(r.head, "Connection"));
    }
    cl_close(c);
}

static void connection_close_and_http10_end_the_connection(void **state)
{
    (void)state;
    client *c = cl_open();
    cl_puts(c, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
    resp r;
    cl_read(c, &r, false);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.head, "Connection: close"));
    assert_true(cl_closed(c));
    cl_close(c);

    c = cl_open();
    cl_puts(c, "GET /healthz HTTP/1.0\r\n\r\n");
    cl_read(c, &r, false);
    assert_int_equal(r.status, 200);
    assert_true(cl_closed(c));
    cl_close(c);

    c = cl_open();
    cl_puts(c, "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    cl_read(c, &r, false);
    assert_non_null(strstr(r.head, "Connection: keep-alive"));
    cl_puts(c, "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    cl_read(c, &r, false);
    assert_int_equal(r.status, 200);
    cl_close(c);
}

static void head_has_length_but_no_body(void **state)
{
    (void)state;
    client *c = cl_open();
    cl_puts(c, "HEAD /healthz HTTP/1.1\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n");
    resp r;
    cl_read(c, &r, true);
    assert_int_equal(r.status, 200);
    assert_true(atoi(find_head(r.head, "Content-Length")) > 0);
    cl_read(c, &r, false); /* the next response follows at once: no body was sent */
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"status\":\"ok\""));
    cl_close(c);
}

static void expect_100_continue_gets_interim_response(void **state)
{
    (void)state;
    client *c = cl_open();
    const char *body = CHAT_BODY;
    char head[256];
    snprintf(head, sizeof head,
             "POST /v1/chat/completions HTTP/1.1\r\n" API "Expect: 100-continue\r\n"
             "Content-Length: %zu\r\n\r\n",
             strlen(body));
    cl_puts(c, head);
    while (!find_bytes(c->buf, c->len, "\r\n\r\n"))
        assert_true(cl_fill(c));
    assert_memory_equal(c->buf, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    cl_puts(c, body);
    resp r;
    cl_read(c, &r, false);
    assert_int_equal(r.status, 200);
    cl_close(c);
}

static void oversized_body_gets_413_and_close(void **state)
{
    (void)state;
    client *c = cl_open();
    char head[256];
    snprintf(head, sizeof head,
             "POST /v1/chat/completions HTTP/1.1\r\n" API "Content-Length: 10000\r\n\r\n");
    cl_puts(c, head);
    char junk[10000];
    memset(junk, 'x', sizeof junk);
    cl_send(c, junk, sizeof junk); /* the server lingers, so this is no reset */
    resp r;
    cl_read(c, &r, false);
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(r.body, "request_too_large"));
    assert_true(cl_closed(c));
    cl_close(c);

    /* A chunked body that grows past the limit. */
    c = cl_open();
    cl_puts(c, "POST /admin/x HTTP/1.1\r\n" TRAINER "Transfer-Encoding: chunked\r\n\r\n");
    char chunk[2100];
    snprintf(chunk, sizeof chunk, "800\r\n");
    memset(chunk + 5, 'y', 2048);
    memcpy(chunk + 5 + 2048, "\r\n", 3);
    for (int i = 0; i < 3; i++)
        cl_puts(c, chunk);
    cl_read(c, &r, false);
    assert_int_equal(r.status, 413);
    cl_close(c);
}

static void slow_headers_time_out_with_408(void **state)
{
    (void)state;
    client *c = cl_open();
    cl_puts(c, "GET /healthz HTTP/1.1\r\nHost: slo");
    double t0 = now_ms();
    resp r;
    cl_read(c, &r, false);
    double took = now_ms() - t0;
    assert_int_equal(r.status, 408);
    assert_true(took >= 250 && took < 2000);
    assert_true(cl_closed(c));
    cl_close(c);
}

static void slowloris_cannot_extend_the_header_deadline(void **state)
{
    (void)state;
    client *c = cl_open();
    cl_puts(c, "GET /healthz HTTP/1.1\r\n");
    double t0 = now_ms();
    /* A byte every 50 ms: the deadline is from the first byte, not the last. */
    for (int i = 0; i < 30; i++) {
        if (send(c->fd, "X", 1, MSG_NOSIGNAL) <= 0)
            break;
        sleep_ms(50);
        if (now_ms() - t0 > 1200)
            break;
    }
    resp r;
    cl_read(c, &r, false);
    assert_int_equal(r.status, 408);
    assert_true(now_ms() - t0 < 1500);
    cl_close(c);
}

static void slow_body_times_out_with_408(void **state)
{
    (void)state;
    client *c = cl_open();
    cl_puts(c, "POST /admin/x HTTP/1.1\r\n" TRAINER "Content-Length: 100\r\n\r\n0123456789");
    resp r;
    cl_read(c, &r, false);
    assert_int_equal(r.status, 408);
    assert_non_null(strstr(r.body, "body"));
    cl_close(c);
}

static void idle_and_silent_connections_are_closed(void **state)
{
    (void)state;
    client *c = cl_open(); /* says nothing at all */
    double t0 = now_ms();
    assert_true(cl_closed(c));
    assert_true(now_ms() - t0 < 1500);
    cl_close(c);

    c = cl_open();
    cl_puts(c, "GET /healthz HTTP/1.1\r\n\r\n");
    resp r;
    cl_read(c, &r, false);
    assert_int_equal(r.status, 200);
    t0 = now_ms();
    assert_true(cl_closed(c)); /* idle timeout 400 ms */
    double took = now_ms() - t0;
    assert_true(took >= 300 && took < 1500);
    cl_close(c);
}

static void connections_over_the_limit_get_503(void **state)
{
    (void)state;
    client *cs[8];
    for (int i = 0; i < 8; i++) {
        cs[i] = cl_open();
        cl_puts(cs[i], "GET /healthz HTTP/1.1\r\n\r\n");
        resp r;
        cl_read(cs[i], &r, false);
        assert_int_equal(r.status, 200);
    }
    client *extra = cl_open();
    resp r;
    cl_read(extra, &r, false);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body, "too_many_connections"));
    cl_close(extra);
    for (int i = 0; i < 8; i++)
        cl_close(cs[i]);
    sleep_ms(100);
    assert_int_equal(roundtrip("GET /healthz HTTP/1.1\r\n\r\n", &r), 200);
}

static void sse_stream_is_chunked_and_ends_with_done(void **state)
{
    (void)state;
    char req[512];
    resp r;
    double t0 = now_ms();
    roundtrip(chat_req(req, sizeof req, API,
                       "{\"model\":\"stream-slow\",\"stream\":true,\"stream_options\":{"
                       "\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":"
                       "\"one two three four five six\"}]}",
                       NULL),
              &r);
    double took = now_ms() - t0;
    assert_int_equal(r.status, 200);
    assert_true(took >= 180 && took < 3000);
    assert_non_null(strstr(r.head, "text/event-stream"));
    assert_non_null(strstr(r.head, "Transfer-Encoding: chunked"));
    assert_non_null(strstr(r.body, "\"object\":\"chat.completion.chunk\""));
    assert_non_null(strstr(r.body, "\"delta\":{\"role\":\"assistant\""));
    assert_non_null(strstr(r.body, "\"delta\":{\"content\":\" six\"}"));
    assert_non_null(strstr(r.body, "\"finish_reason\":\"stop\""));
    assert_non_null(strstr(r.body, "\"usage\":{\"prompt_tokens\":7"));
    size_t n = strlen("data: [DONE]\n\n");
    assert_true(r.blen >= n);
    assert_memory_equal(r.body + r.blen - n, "data: [DONE]\n\n", n);
    /* Every event is "data: ...\n\n". */
    int events = 0;
    for (const char *p = r.body; (p = strstr(p, "data: ")); p += 6)
        events++;
    assert_int_equal(events, 1 + 8 + 1 + 1 + 1); /* role, 8 words, stop, usage, DONE */
}

static void garbage_never_stops_the_server(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 150; i++) {
        client *c = cl_open();
        char b[700];
        size_t n = 1 + (size_t)(x % 600);
        for (size_t k = 0; k < n; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[k] = (char)(x & 0xff);
        }
        /* Half of them look like the start of a request. */
        if (i % 2)
            memcpy(b, "POST /v1/chat/completions HTTP/1.1\r\n", n < 36 ? n : 36);
        cl_send(c, b, n);
        shutdown(c->fd, SHUT_WR);
        resp r;
        cl_read(c, &r, false);
        cl_close(c);
    }
    resp r;
    assert_int_equal(roundtrip("GET /healthz HTTP/1.1\r\n\r\n", &r), 200);
    char req[512];
    assert_int_equal(roundtrip(chat_req(req, sizeof req, API, CHAT_BODY, NULL), &r), 200);
}

static void client_gone_during_delay_is_harmless(void **state)
{
    (void)state;
    char req[512];
    for (int i = 0; i < 5; i++) {
        client *c = cl_open();
        cl_puts(c, chat_req(req, sizeof req, API,
                            "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":"
                            "\"x\"}]}",
                            NULL));
        cl_close(c);
        c = cl_open();
        cl_puts(c, chat_req(req, sizeof req, API,
                            "{\"model\":\"stream-slow\",\"stream\":true,\"messages\":[{\"role\":"
                            "\"user\",\"content\":\"a b c d e f g h\"}]}",
                            NULL));
        sleep_ms(60); /* mid-stream */
        cl_close(c);
    }
    sleep_ms(400);
    resp r;
    assert_int_equal(roundtrip("GET /healthz HTTP/1.1\r\n\r\n", &r), 200);
}

static void route_gets_method_path_query_role_body(void **state)
{
    (void)state;
    resp r;
    roundtrip("POST /v1/drill/actions?a=1&b=2 HTTP/1.1\r\n" TRAINEE "Content-Length: 5\r\n\r\n"
              "hello",
              &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"method\":\"POST\",\"path\":\"/v1/drill/actions\",\"query\":"
                                "\"a=1&b=2\",\"role\":\"trainee\",\"body_len\":5}");
    /* Header names are found whatever their case (only A..Z are folded). */
    roundtrip("GET /admin/header HTTP/1.1\r\n" TRAINER
              "X-Mixed-CASE-Header_`^|~Z-NAME: Some Value\r\n\r\n",
              &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"value\":\"Some Value\"}");
}

/* ---- no socket needed ------------------------------------------------------------------ */

static void put_u64_matches_printf(void **state)
{
    (void)state;
    uint64_t v[100];
    int n = 0;
    v[n++] = 0;
    v[n++] = UINT64_MAX;
    /* Every length, at its edges: 10^k - 1, 10^k, 10^k + 1. */
    for (uint64_t p = 1;; p *= 10) {
        v[n++] = p - 1;
        v[n++] = p;
        v[n++] = p + 1;
        if (p > UINT64_MAX / 10)
            break;
    }
    uint64_t x = 0x9e3779b97f4a7c15ull; /* and some others */
    while (n < 100) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v[n++] = x >> (x & 63);
    }
    for (int i = 0; i < n; i++) {
        char want[32], got[32];
        snprintf(want, sizeof want, "%llu", (unsigned long long)v[i]);
        memset(got, '#', sizeof got);
        char *end = mllm_http_put_u64(got, v[i]);
        assert_int_equal(end - got, (long)strlen(want));
        assert_memory_equal(got, want, strlen(want));
        assert_int_equal(*end, '#'); /* nothing past the digits */
    }
}

/* ---- chat bodies: the scanner against cJSON -------------------------------------------- */

/* Parses body with p in mode, from an exact-size heap copy (so that ASan
 * catches a read past the end: the body is never NUL-terminated). */
static int parse_copy(mllm_http_chat_parser *p, const char *body, size_t len,
                      mllm_http_chat_mode mode, mllm_http_chat *req, mllm_http_error *err)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, body, len);
    memset(err, 0, sizeof *err);
    int st = mllm_http_chat_parse(p, copy, len, mode, req, err);
    free(copy);
    return st;
}

/* Empty when both outcomes are the same, else what differs. */
static const char *chat_diff(int sa, const mllm_http_chat *a, const mllm_http_error *ea, int sb,
                             const mllm_http_chat *b, const mllm_http_error *eb)
{
    if (sa != sb)
        return "status";
    if (sa != 200) {
        if (strcmp(ea->message, eb->message) != 0)
            return "error message";
        if (strcmp(ea->type, eb->type) != 0 || strcmp(ea->param, eb->param) != 0 ||
            strcmp(ea->code, eb->code) != 0)
            return "error type, param or code";
        return "";
    }
    if (strcmp(a->model, b->model) != 0)
        return "model";
    if (strcmp(a->user, b->user) != 0)
        return "user";
    if (a->max_tokens != b->max_tokens || a->stream != b->stream ||
        a->include_usage != b->include_usage || a->format != b->format)
        return "max_tokens, stream, include_usage or format";
    if (a->nmessages != b->nmessages)
        return "nmessages";
    for (int i = 0; i < a->nmessages; i++) {
        const mllm_http_message *x = &a->messages[i], *y = &b->messages[i];
        if (strcmp(x->role, y->role) != 0)
            return "a role";
        if (x->len != y->len || memcmp(x->content, y->content, x->len) != 0 ||
            x->content[x->len] != '\0' || y->content[y->len] != '\0')
            return "a content";
    }
    return "";
}

enum { BY_SCAN, BY_CJSON }; /* who is expected to decide a body */

typedef struct body_case {
    const char *name;
    const char *body;
    int status;
    int by;
} body_case;

#define M1                 "\"model\":\"m1\""
#define MSG(role, content) "{\"role\":\"" role "\",\"content\":" content "}"
#define U1                 "\"messages\":[" MSG("user", "\"hi\"") "]"

/* Runs one body through the three modes of two parsers and checks they agree
 * with cJSON (and with the expected status and path). */
static void check_body(mllm_http_chat_parser *pc, mllm_http_chat_parser *ps, const char *name,
                       const char *body, size_t len, int want_status, int want_by)
{
    mllm_http_chat rc, rs, ra;
    mllm_http_error ec, es, ea;
    int sc = parse_copy(pc, body, len, MLLM_HTTP_CHAT_CJSON, &rc, &ec);
    int ss = parse_copy(ps, body, len, MLLM_HTTP_CHAT_SCAN, &rs, &es);
    if (want_status && sc != want_status)
        fail_msg("%s: cJSON says %d (%s), want %d", name, sc, ec.message, want_status);
    if (want_by == BY_SCAN && ss == 0)
        fail_msg("%s: the scanner handed it to cJSON", name);
    if (want_by == BY_CJSON && ss != 0)
        fail_msg("%s: the scanner decided it (%d), cJSON should", name, ss);
    if (ss != 0) {
        const char *d = chat_diff(sc, &rc, &ec, ss, &rs, &es);
        if (d[0])
            fail_msg("%s: scanner and cJSON differ in %s: %d '%s' / %d '%s'", name, d, ss,
                     es.message, sc, ec.message);
    }
    int sa = parse_copy(ps, body, len, MLLM_HTTP_CHAT_AUTO, &ra, &ea);
    const char *d = chat_diff(sc, &rc, &ec, sa, &ra, &ea);
    if (d[0])
        fail_msg("%s: the server's way and cJSON differ in %s", name, d);
}

static void chat_scanner_agrees_with_cjson_on_a_table_of_bodies(void **state)
{
    (void)state;
    static const body_case cases[] = {
        /* accepted */
        {"minimal", "{" M1 "," U1 "}", 200, BY_SCAN},
        {"the benchmark's",
         "{\"model\":\"nw-large\",\"messages\":[{\"role\":\"system\",\"content\":\"You are the "
         "Skyloft support assistant. Answer only from the help centre articles.\"},{\"role\":"
         "\"user\",\"content\":\"Hello, I look after our team workspace.\"},{\"role\":"
         "\"assistant\",\"content\":\"Hi! How can I help you with your Skyloft workspace "
         "today?\"},{\"role\":\"user\",\"content\":\"Can you tell me how I change the billing "
         "email address on our account, and who gets the invoices?\"}],\"max_tokens\":256,"
         "\"temperature\":0.2,\"user\":\"bench-user-0001\"}",
         200, BY_SCAN},
        {"pretty",
         "\n\t {\r\n  \"model\" : \"m1\" ,\n  \"messages\" : [ {\n \"role\" : \"user\" "
         ", \"content\" : \"hi\" } ] \n}\n",
         200, BY_SCAN},
        {"DEL is no whitespace", "\x01{\x1f\"model\"\x02:\"m1\"," U1 "\x7f}", 400, BY_CJSON},
        {"control bytes count as whitespace", "\x01{\x1f" M1 "\x02," U1 "}", 200, BY_SCAN},
        {"escapes",
         "{" M1 ",\"messages\":[" MSG("user", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\"") "]}", 200,
         BY_SCAN},
        {"unicode escapes",
         "{" M1
         ",\"messages\":[" MSG("user", "\"\\u00e9\\u4E2D\\ud83d\\ude00\\u0041\\u007f\"") "]}",
         200, BY_SCAN},
        {"raw utf-8 and bad bytes",
         "{" M1
         ",\"messages\":[" MSG("user", "\"\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 \xff\xc3\"") "]}",
         200, BY_SCAN},
        {"raw control characters in a string",
         "{" M1 ",\"messages\":[" MSG("user", "\"a\x01\tb\"") "]}", 200, BY_SCAN},
        {"content parts",
         "{" M1 ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
         "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x\"},\"text\":7},"
         "{\"text\":\"b\\n\",\"type\":\"text\",\"type\":5},{\"type\":\"texts\",\"text\":\"no\"}]}]"
         "}",
         200, BY_SCAN},
        {"empty first text part",
         "{" M1 ",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\"},"
         "{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"text\",\"text\":\"\"},"
         "{\"type\":\"text\",\"text\":\"y\"}]}]}",
         200, BY_SCAN},
        {"empty parts", "{" M1 ",\"messages\":[{\"role\":\"user\",\"content\":[]}]}", 200, BY_SCAN},
        {"assistant with tool calls",
         "{" M1 ",\"messages\":[" MSG(
             "user", "\"q\"") ",{\"role\":\"assistant\",\"tool_calls\":"
                              "[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                              "\"arguments\":\"{}\"}}]},"
                              "{\"role\":\"tool\",\"content\":null,\"tool_call_id\":\"c1\"}]}",
         200, BY_SCAN},
        {"duplicate keys: the first wins",
         "{\"model\":\"m1\",\"model\":5,\"messages\":[{\"role\":\"user\",\"role\":\"boss\","
         "\"content\":\"a\",\"content\":[1]}],\"messages\":7,\"stream\":true,\"stream\":\"x\","
         "\"stream_options\":{\"include_usage\":true,\"include_usage\":3},\"stream_options\":4}",
         200, BY_SCAN},
        {"every field",
         "{\"model\":\"m2\",\"messages\":[" MSG("developer", "\"d\"") "," MSG(
             "function",
             "\"f\"") "," MSG("user",
                              "\"u\"") "],\"max_tokens\":1e2,\"max_completion_tokens\":25,\"n\":1,"
                                       "\"temperature\":2,\"top_p\":1.0,\"presence_penalty\":-0,"
                                       "\"frequency_penalty\":-2E0,"
                                       "\"stream\":true,\"stream_options\":{\"include_usage\":"
                                       "false,\"x\":[]},"
                                       "\"response_format\":{\"json_schema\":{\"name\":\"s\","
                                       "\"schema\":{\"type\":\"object\","
                                       "\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}}}},"
                                       "\"type\":\"json_schema\"},"
                                       "\"user\":\"me\",\"seed\":-12,\"logit_bias\":{\"50256\":-"
                                       "100},\"stop\":null}",
         200, BY_SCAN},
        {"nulls",
         "{" M1 "," U1 ",\"stream\":null,\"stream_options\":null,\"max_tokens\":null,"
         "\"n\":null,\"temperature\":null,\"response_format\":null,\"user\":null}",
         200, BY_SCAN},
        {"json_object", "{" M1 "," U1 ",\"response_format\":{\"type\":\"json_object\"}}", 200,
         BY_SCAN},
        {"text format", "{" M1 "," U1 ",\"response_format\":{\"type\":\"text\"}}", 200, BY_SCAN},
        {"numbers",
         "{" M1 "," U1 ",\"temperature\":0.7,\"top_p\":1e-1,\"presence_penalty\":"
         "1.99999999999999999999,\"frequency_penalty\":-0.0000000000000000000000001,"
         "\"max_tokens\":123456789012,\"x\":[1e308,-1e-308,123456789012345678901234]}",
         0, BY_SCAN},
        {"bytes after the object are ignored", "{" M1 "," U1 "} trailing ] garbage", 200, BY_SCAN},
        {"an empty key", "{\"\":1," M1 "," U1 "}", 200, BY_SCAN},
        /* refused by the checks */
        {"empty object", "{}", 400, BY_SCAN},
        {"model missing", "{" U1 "}", 400, BY_SCAN},
        {"model null", "{\"model\":null," U1 "}", 400, BY_SCAN},
        {"model number", "{\"model\":5," U1 "}", 400, BY_SCAN},
        {"model decimal", "{\"model\":5.5," U1 "}", 400, BY_SCAN},
        {"model empty", "{\"model\":\"\"," U1 "}", 400, BY_SCAN},
        {"model array", "{\"model\":[\"m1\"]," U1 "}", 400, BY_SCAN},
        {"model object", "{\"model\":{}," U1 "}", 400, BY_SCAN},
        {"model bool", "{\"model\":false," U1 "}", 400, BY_SCAN},
        {"messages missing", "{" M1 "}", 400, BY_SCAN},
        {"messages object", "{" M1 ",\"messages\":{}}", 400, BY_SCAN},
        {"messages null", "{" M1 ",\"messages\":null}", 400, BY_SCAN},
        {"messages empty", "{" M1 ",\"messages\":[ ]}", 400, BY_SCAN},
        {"too many messages",
         "{" M1 ",\"messages\":[" MSG("user", "\"1\"") "," MSG("user", "\"2\"") "," MSG(
             "user", "\"3\"") "," MSG("user", "\"4\"") ",5]}",
         400, BY_SCAN},
        {"message not an object", "{" M1 ",\"messages\":[" MSG("user", "\"1\"") ",\"x\"]}", 400,
         BY_SCAN},
        {"message null", "{" M1 ",\"messages\":[null]}", 400, BY_SCAN},
        {"role missing", "{" M1 ",\"messages\":[{\"content\":\"x\"}]}", 400, BY_SCAN},
        {"role number", "{" M1 ",\"messages\":[{\"role\":1,\"content\":\"x\"}]}", 400, BY_SCAN},
        {"role unknown", "{" M1 ",\"messages\":[" MSG("boss", "\"x\"") "]}", 400, BY_SCAN},
        {"role long",
         "{" M1 ",\"messages\":[" MSG("assistant-but-much-much-longer-than-sixty-four-bytes-"
                                      "so-that-it-is-cut-\\u00e9\\u00e9",
                                      "\"x\"") "]}",
         400, BY_SCAN},
        {"role with escapes", "{" M1 ",\"messages\":[" MSG("us\\u0065r", "\"x\"") "]}", 200,
         BY_SCAN},
        {"content missing", "{" M1 ",\"messages\":[{\"role\":\"user\"}]}", 400, BY_SCAN},
        {"content number", "{" M1 ",\"messages\":[" MSG("user", "5") "]}", 400, BY_SCAN},
        {"content object", "{" M1 ",\"messages\":[" MSG("user", "{\"a\":1}") "]}", 400, BY_SCAN},
        {"part not an object",
         "{" M1 ",\"messages\":[" MSG("user", "[{\"type\":\"text\","
                                              "\"text\":\"a\"},[]]") "]}",
         400, BY_SCAN},
        {"part type missing", "{" M1 ",\"messages\":[" MSG("user", "[{\"text\":\"a\"}]") "]}", 400,
         BY_SCAN},
        {"part type number", "{" M1 ",\"messages\":[" MSG("user", "[{\"type\":1}]") "]}", 400,
         BY_SCAN},
        {"part text missing", "{" M1 ",\"messages\":[" MSG("user", "[{\"type\":\"text\"}]") "]}",
         400, BY_SCAN},
        {"part text null",
         "{" M1 ",\"messages\":[" MSG("user", "[{\"type\":\"text\",\"text\":"
                                              "null}]") "]}",
         400, BY_SCAN},
        {"second message bad",
         "{" M1 ",\"messages\":[" MSG("user", "\"a\"") "," MSG("user", "[{}]") "," MSG(
             "boss", "\"c\"") "]}",
         400, BY_SCAN},
        {"stream string", "{" M1 "," U1 ",\"stream\":\"yes\"}", 400, BY_SCAN},
        {"stream number", "{" M1 "," U1 ",\"stream\":1}", 400, BY_SCAN},
        {"stream_options without stream", "{" M1 "," U1 ",\"stream_options\":{}}", 400, BY_SCAN},
        {"stream_options number", "{" M1 "," U1 ",\"stream\":true,\"stream_options\":5}", 400,
         BY_SCAN},
        {"include_usage string",
         "{" M1 "," U1 ",\"stream\":true,\"stream_options\":{\"include_usage\":\"x\"}}", 400,
         BY_SCAN},
        {"max_tokens 0", "{" M1 "," U1 ",\"max_tokens\":0}", 400, BY_SCAN},
        {"max_tokens negative", "{" M1 "," U1 ",\"max_tokens\":-5}", 400, BY_SCAN},
        {"max_tokens decimal", "{" M1 "," U1 ",\"max_tokens\":1.5}", 400, BY_SCAN},
        {"max_tokens string", "{" M1 "," U1 ",\"max_tokens\":\"5\"}", 400, BY_SCAN},
        {"max_tokens huge", "{" M1 "," U1 ",\"max_tokens\":1e16}", 400, BY_SCAN},
        {"max_tokens over int", "{" M1 "," U1 ",\"max_tokens\":3000000000}", 400, BY_SCAN},
        {"max_completion_tokens 0", "{" M1 "," U1 ",\"max_completion_tokens\":0}", 400, BY_SCAN},
        {"n 2", "{" M1 "," U1 ",\"n\":2}", 400, BY_SCAN},
        {"n 129", "{" M1 "," U1 ",\"n\":129}", 400, BY_SCAN},
        {"temperature 3", "{" M1 "," U1 ",\"temperature\":3}", 400, BY_SCAN},
        {"temperature string", "{" M1 "," U1 ",\"temperature\":\"hot\"}", 400, BY_SCAN},
        {"top_p 1.5", "{" M1 "," U1 ",\"top_p\":1.5}", 400, BY_SCAN},
        {"presence_penalty -3", "{" M1 "," U1 ",\"presence_penalty\":-3}", 400, BY_SCAN},
        {"frequency_penalty 2.5", "{" M1 "," U1 ",\"frequency_penalty\":2.5}", 400, BY_SCAN},
        {"response_format number", "{" M1 "," U1 ",\"response_format\":5}", 400, BY_SCAN},
        {"response_format no type", "{" M1 "," U1 ",\"response_format\":{}}", 400, BY_SCAN},
        {"response_format type number", "{" M1 "," U1 ",\"response_format\":{\"type\":5}}", 400,
         BY_SCAN},
        {"response_format xml", "{" M1 "," U1 ",\"response_format\":{\"type\":\"xml\"}}", 400,
         BY_SCAN},
        {"json_schema missing", "{" M1 "," U1 ",\"response_format\":{\"type\":\"json_schema\"}}",
         400, BY_SCAN},
        {"json_schema not an object",
         "{" M1 "," U1 ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":\"s\"}}",
         400, BY_SCAN},
        {"user number", "{" M1 "," U1 ",\"user\":5}", 400, BY_SCAN},
        {"several errors: the first in check order", "{\"model\":5,\"messages\":5,\"n\":9}", 400,
         BY_SCAN},
        /* left to cJSON */
        {"not json", "hello", 400, BY_CJSON},
        {"truncated", "{" M1 ",\"messages\":[", 400, BY_CJSON},
        {"array", "[1,2]", 400, BY_CJSON},
        {"string", "\"x\"", 400, BY_CJSON},
        {"number", "5", 400, BY_CJSON},
        {"only spaces", "   ", 400, BY_CJSON},
        {"byte order mark", "\xef\xbb\xbf{" M1 "," U1 "}", 200, BY_CJSON},
        {"trailing comma", "{" M1 "," U1 ",}", 400, BY_CJSON},
        {"single quotes", "{'model':'m1'}", 400, BY_CJSON},
        {"escaped key", "{\"mod\\u0065l\":\"m1\"," U1 "}", 200, BY_CJSON},
        {"NUL escape in a key", "{\"model\\u0000x\":\"m1\"," U1 "}", 200, BY_CJSON},
        {"NUL escape in content", "{" M1 ",\"messages\":[" MSG("user", "\"ab\\u0000cd\"") "]}", 200,
         BY_CJSON},
        {"bad hex is a NUL to cJSON", "{" M1 ",\"messages\":[" MSG("user", "\"a\\u00zzb\"") "]}",
         200, BY_CJSON},
        {"lone low surrogate", "{" M1 ",\"messages\":[" MSG("user", "\"\\udc00\"") "]}", 400,
         BY_CJSON},
        {"high surrogate alone", "{" M1 ",\"messages\":[" MSG("user", "\"\\ud800x\"") "]}", 400,
         BY_CJSON},
        {"invalid escape", "{" M1 ",\"messages\":[" MSG("user", "\"\\x\"") "]}", 400, BY_CJSON},
        {"leading zero", "{" M1 "," U1 ",\"max_tokens\":012}", 200, BY_CJSON},
        {"bare point", "{" M1 "," U1 ",\"temperature\":-.5}", 400, BY_CJSON},
        {"point without digits", "{" M1 "," U1 ",\"temperature\":1.}", 0, BY_CJSON},
        {"exponent without digits", "{" M1 "," U1 ",\"temperature\":1e}", 400, BY_CJSON},
        {"plus sign", "{" M1 "," U1 ",\"temperature\":+1}", 400, BY_CJSON},
        {"hex number", "{" M1 "," U1 ",\"max_tokens\":0x10}", 400, BY_CJSON},
        {"long number",
         "{" M1 "," U1 ",\"max_tokens\":1000000000000000000000000000000000000000"
         "000000000000000000000000000001}",
         400, BY_CJSON},
        {"misspelt literal", "{" M1 "," U1 ",\"stream\":tru}", 400, BY_CJSON},
        {"unterminated string", "{\"model\":\"m1", 400, BY_CJSON},
        {"missing colon", "{\"model\" \"m1\"}", 400, BY_CJSON},
    };
    mllm_http_chat_parser *pc = mllm_http_chat_parser_new(4);
    mllm_http_chat_parser *ps = mllm_http_chat_parser_new(4);
    assert_non_null(pc);
    assert_non_null(ps);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_body(pc, ps, cases[i].name, cases[i].body, strlen(cases[i].body), cases[i].status,
                   cases[i].by);

    /* Bodies no literal spells: a raw NUL, deep nesting, a huge content. */
    static const char nul[] = "{" M1 ",\"messages\":[" MSG("user", "\"a\0b\"") "]}";
    check_body(pc, ps, "raw NUL", nul, sizeof nul - 1, 200, BY_CJSON);
    char deep[1200];
    for (int depth = 60; depth <= 500; depth += 440) {
        size_t o = (size_t)snprintf(deep, sizeof deep, "{" M1 "," U1 ",\"x\":");
        for (int k = 0; k < depth; k++)
            deep[o++] = '[';
        for (int k = 0; k < depth; k++)
            deep[o++] = ']';
        deep[o++] = '}';
        check_body(pc, ps, depth == 60 ? "nested 60" : "nested 500", deep, o, 200,
                   depth == 60 ? BY_SCAN : BY_CJSON);
    }
    size_t big = 300000;
    char *huge = malloc(2 * big);
    assert_non_null(huge);
    size_t o =
        (size_t)snprintf(huge, 200, "{" M1 ",\"messages\":[{\"role\":\"user\",\"content\":\"");
    for (size_t k = 0; k < big; k++)
        if (k % 997 == 0) {
            huge[o++] = '\\';
            huge[o++] = k % 2 ? 'n' : '"';
        } else
            huge[o++] = (char)('a' + k % 26);
    memcpy(huge + o, "\\u00e9\"}]}", 10);
    o += 10;
    check_body(pc, ps, "huge content", huge, o, 200, BY_SCAN);
    free(huge);
    mllm_http_chat_parser_free(pc);
    mllm_http_chat_parser_free(ps);
}

static void chat_scanner_agrees_with_cjson_on_mutated_bodies(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "{\"model\":\"nw-large\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        "{\"role\":\"user\",\"content\":\"How do I reset my password?\"}],\"max_tokens\":256,"
        "\"temperature\":0.2,\"user\":\"u-1\"}",
        "{\"model\":\"m1\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\\n\\u00e9\"}"
        ","
        "{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}}]},{\"role\":\"assistant\"}],"
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"a\":[1,2.5e3,null]}}}",
        "{\"model\":\"m1\",\"messages\":[{\"role\":\"tool\",\"content\":null}],\"n\":1,"
        "\"top_p\":0.5,\"presence_penalty\":-1,\"frequency_penalty\":1.5,"
        "\"max_completion_tokens\":7,\"response_format\":{\"type\":\"json_object\"},\"user\":null}",
    };
    static const char interesting[] = "{}[]:,\"\\ \n0123456789-+.eEnulltruefalseu0DdcC";
    mllm_http_chat_parser *pc = mllm_http_chat_parser_new(3);
    mllm_http_chat_parser *ps = mllm_http_chat_parser_new(3);
    assert_non_null(pc);
    assert_non_null(ps);
    uint64_t x = 0x2545F4914F6CDD1Dull;
    int scanned = 0, total = 6000;
    char b[1024], name[64];
    for (int it = 0; it < total; it++) {
        const char *seed = seeds[it % 3];
        size_t n = strlen(seed);
        memcpy(b, seed, n);
        int edits = 1 + it % 3;
        for (int k = 0; k < edits && n > 0; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t at = (size_t)(x % n);
            char c = (x >> 40) % 4 ? interesting[(x >> 20) % (sizeof interesting - 1)]
                                   : (char)((x >> 24) & 0xff);
            switch ((x >> 32) % 4) {
            case 0: /* replace */
                b[at] = c;
                break;
            case 1: /* insert */
                if (n + 1 < sizeof b) {
                    memmove(b + at + 1, b + at, n - at);
                    b[at] = c;
                    n++;
                }
                break;
            case 2: /* delete */
                memmove(b + at, b + at + 1, n - at - 1);
                n--;
                break;
            default: /* cut */
                n = at + 1;
                break;
            }
        }
        mllm_http_chat r;
        mllm_http_error e;
        snprintf(name, sizeof name, "mutant %d", it);
        check_body(pc, ps, name, b, n, 0, -1);
        if (mllm_http_chat_parse(ps, b, n, MLLM_HTTP_CHAT_SCAN, &r, &e) != 0)
            scanned++;
    }
    /* The mutants must exercise the scanner, not only the way to cJSON. */
    assert_true(scanned > total / 10);
    mllm_http_chat_parser_free(pc);
    mllm_http_chat_parser_free(ps);
}

/* The escaper against a byte-by-byte reference, at every alignment of every
 * special byte (the writer copies plain runs eight bytes at a time). */
static void json_str_matches_a_bytewise_reference_at_every_alignment(void **state)
{
    (void)state;
    static const char specials[] = {'"',    '\\',   '\n',   '\x01', '\x1f',
                                    '\x7f', '\xc3', '\xff', ' ',    '~'};
    mllm_http_buf b = {0}, ref = {0};
    char in[40];
    for (size_t s = 0; s < sizeof specials; s++)
        for (size_t at = 0; at < 24; at++)
            for (size_t len = at + 1; len <= 33; len += 8) {
                for (size_t i = 0; i < len; i++)
                    in[i] = (char)('a' + i % 26);
                in[at] = specials[s];
                if (specials[s] == '\xc3' && at + 1 < len)
                    in[at + 1] = '\xa9'; /* a whole two-byte sequence */
                b.len = ref.len = 0;
                mllm_http_buf_json_str(&b, in, len);
                mllm_http_buf_append(&ref, "\"", 1);
                for (size_t i = 0; i < len; i++) {
                    unsigned char c = (unsigned char)in[i];
                    char t[8];
                    if (c == '"' || c == '\\')
                        snprintf(t, sizeof t, "\\%c", c);
                    else if (c == '\n')
                        snprintf(t, sizeof t, "\\n");
                    else if (c < 0x20)
                        snprintf(t, sizeof t, "\\u%04x", c);
                    else if (c == 0xc3 && i + 1 < len && (unsigned char)in[i + 1] == 0xa9) {
                        snprintf(t, sizeof t, "\xc3\xa9");
                        i++;
                    } else if (c >= 0x80)
                        snprintf(t, sizeof t, "\\ufffd");
                    else
                        snprintf(t, sizeof t, "%c", c);
                    mllm_http_buf_puts(&ref, t);
                }
                mllm_http_buf_append(&ref, "\"", 1);
                assert_int_equal(b.len, ref.len);
                assert_memory_equal(b.data, ref.data, b.len);
            }
    /* Room made by reserve is the writer's to fill. */
    b.len = 0;
    assert_int_equal(mllm_http_buf_reserve(&b, 100000), 0);
    assert_true(b.cap >= 100000);
    assert_int_equal(mllm_http_buf_reserve(&b, MLLM_HTTP_BUF_MAX + 1), UV_ENOMEM);
    assert_true(b.failed);
    mllm_http_buf_release(&b);
    mllm_http_buf_release(&ref);
}

static void chat_bodies_for_either_parser_get_the_same_answer(void **state)
{
    (void)state;
    char req[700];
    resp a, b;
    /* The scanner reads the first, cJSON the second (an escaped key). */
    roundtrip(chat_req(req, sizeof req, API,
                       "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":"
                       "\"q \\\"x\\\" \\u00e9\\n\\ud83d\\ude00\"}]}",
                       NULL),
              &a);
    roundtrip(chat_req(req, sizeof req, API,
                       "{\"mod\\u0065l\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":"
                       "\"q \\\"x\\\" \\u00e9\\n\\ud83d\\ude00\"}]}",
                       NULL),
              &b);
    assert_int_equal(a.status, 200);
    assert_int_equal(b.status, 200);
    const char *want = "\"content\":\"echo x: q \\\"x\\\" \xc3\xa9\\n\xf0\x9f\x98\x80\"";
    if (!strstr(a.body, want) || !strstr(b.body, want))
        fail_msg("want %s in\n%s\n%s", want, a.body, b.body);
    /* Errors too. */
    roundtrip(chat_req(req, sizeof req, API,
                       "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                       "\"temperature\":9}",
                       NULL),
              &a);
    roundtrip(chat_req(req, sizeof req, API,
                       "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                       "\"temp\\u0065rature\":9}",
                       NULL),
              &b);
    assert_int_equal(a.status, 400);
    assert_string_equal(a.body, b.body);
    assert_non_null(strstr(a.body, "\"param\":\"temperature\""));
}

static void json_strings_are_escaped_and_utf8_checked(void **state)
{
    (void)state;
    mllm_http_buf b = {0};
    const char in[] = "a\"b\\c\n\t\x01 \xc3\xa9 \xff \xe2\x82";
    mllm_http_buf_json_str(&b, in, sizeof in - 1);
    mllm_http_buf_append(&b, "", 1);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\t\\u0001 \xc3\xa9 \\ufffd \\ufffd\\ufffd\"");
    b.len = 0;
    mllm_http_buf_json_num(&b, NAN);
    mllm_http_buf_printf(&b, " %d", 42);
    mllm_http_buf_append(&b, "", 1);
    assert_string_equal(b.data, "null 42");
    mllm_http_buf_release(&b);
}

static void start_refuses_missing_or_equal_tokens(void **state)
{
    (void)state;
    uv_loop_t loop;
    uv_loop_init(&loop);
    mllm_http_config c;
    server_config(&c);
    mllm_http *h;
    c.trainee_token = NULL;
    assert_int_equal(mllm_http_start(&loop, &c, &h), UV_EINVAL);
    server_config(&c);
    c.trainer_token = c.api_key;
    assert_int_equal(mllm_http_start(&loop, &c, &h), UV_EINVAL);
    server_config(&c);
    c.bind = "not-an-address";
    assert_int_equal(mllm_http_start(&loop, &c, &h), UV_EINVAL);
    server_config(&c);
    assert_int_equal(mllm_http_start(&loop, &c, &h), 0);
    int port = mllm_http_port(h);
    mllm_http *h2;
    c.port = port;
    assert_int_equal(mllm_http_start(&loop, &c, &h2), UV_EADDRINUSE);
    mllm_http_close(h);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
}

/* ---- in memory: mllm_http_serve_bytes ------------------------------------------------- */

/* Serves `in` in memory with the test config; returns the output, with the
 * parts that follow the wall clock (Date header, "created") blanked. */
static char *serve_mem(const char *in, size_t len, size_t split, size_t *outlen)
{
    mllm_http_config c;
    server_config(&c);
    memset(&S, 0, sizeof S);
    c.cb.ctx = &S;
    mllm_http_buf out = {0};
    assert_int_equal(mllm_http_serve_bytes(&c, in, len, split, &out), 0);
    assert_false(out.failed);
    mllm_http_buf_append(&out, "", 1);
    for (char *p = out.data; (p = strstr(p, "\r\nDate: ")); p += 8)
        for (char *q = p + 8; *q != '\r'; q++)
            *q = 'x';
    for (char *p = out.data; (p = strstr(p, "\"created\":")); p += 10)
        for (char *q = p + 10; *q >= '0' && *q <= '9'; q++)
            *q = '0';
    *outlen = out.len - 1;
    return out.data;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void serve_bytes_answers_the_same_whatever_the_reads(void **state)
{
    (void)state;
    char chat[512], in[2048];
    chat_req(chat, sizeof chat, API,
             "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}",
             NULL);
    int n = snprintf(in, sizeof in,
                     "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n%s"
                     "GET /v1/models HTTP/1.1\r\nHost: t\r\n" API "\r\n"
                     "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"
                     "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                     "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", /* after close: dropped */
                     chat);
    size_t len0;
    char *whole = serve_mem(in, (size_t)n, 0, &len0);
    assert_int_equal(count_of(whole, "HTTP/1.1 200 OK"), 4);
    assert_int_equal(count_of(whole, "HTTP/1.1 404 "), 1);
    assert_non_null(strstr(whole, "\"content\":\"echo x: hello there\""));
    assert_true(strstr(whole, "\"object\":\"list\"") < strstr(whole, "HTTP/1.1 404"));
    static const size_t splits[] = {1, 2, 7, 64, 1000};
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        size_t len;
        char *got = serve_mem(in, (size_t)n, splits[i], &len);
        assert_int_equal(len, len0);
        assert_memory_equal(got, whole, len);
        free(got);
    }
    free(whole);
}

static void serve_bytes_waits_for_delays_and_streams(void **state)
{
    (void)state;
    char a[512], b[512], in[1200];
    chat_req(a, sizeof a, API,
             "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"}]}", NULL);
    chat_req(b, sizeof b, API,
             "{\"model\":\"stream-slow\",\"stream\":true,\"messages\":[{\"role\":\"user\","
             "\"content\":\"one two three\"}]}",
             NULL);
    int n = snprintf(in, sizeof in, "%s%s", a, b);
    double t0 = now_ms();
    size_t len;
    char *out = serve_mem(in, (size_t)n, 0, &len);
    double took = now_ms() - t0;
    assert_true(took >= 480 && took < 5000); /* 300 ms, then a 200 ms stream */
    char *first = strstr(out, "echo x: first"), *sse = strstr(out, "text/event-stream");
    assert_non_null(first);
    assert_non_null(sse);
    assert_true(first < sse);
    assert_non_null(strstr(out, "\"delta\":{\"content\":\" three\"}"));
    assert_non_null(strstr(out, "data: [DONE]\n\n"));
    free(out);
}

static void serve_bytes_handles_garbage_truncation_and_bad_config(void **state)
{
    (void)state;
    size_t len;
    char *out = serve_mem("THIS IS NOT HTTP\r\n\r\n", 20, 3, &len);
    assert_true(strncmp(out, "HTTP/1.1 400 ", 13) == 0);
    assert_non_null(strstr(out, "\"type\":\"invalid_request_error\""));
    free(out);
    /* The client stops mid-headers: the connection ends without an answer. */
    out = serve_mem("GET /healthz HTTP/1.1\r\nHo", 25, 0, &len);
    assert_int_equal(len, 0);
    free(out);
    /* ... or mid-body. */
    out = serve_mem("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\"", 62,
                    0, &len);
    assert_int_equal(len, 0);
    free(out);
    out = serve_mem("", 0, 0, &len);
    assert_int_equal(len, 0);
    free(out);
    /* An oversized body is refused before it is read. */
    char big[8192];
    int n = snprintf(big, sizeof big,
                     "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 6000\r\n" API "\r\n");
    memset(big + n, 'a', sizeof big - (size_t)n);
    out = serve_mem(big, sizeof big, 512, &len);
    assert_true(strncmp(out, "HTTP/1.1 413 ", 13) == 0);
    assert_int_equal(count_of(out, "HTTP/1.1"), 1);
    free(out);
    mllm_http_config c;
    server_config(&c);
    c.trainer_token = c.api_key;
    mllm_http_buf o = {0};
    assert_int_equal(mllm_http_serve_bytes(&c, "x", 1, 0, &o), UV_EINVAL);
    assert_int_equal(o.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_strings_are_escaped_and_utf8_checked),
        cmocka_unit_test(put_u64_matches_printf),
        cmocka_unit_test(start_refuses_missing_or_equal_tokens),
        cmocka_unit_test(json_str_matches_a_bytewise_reference_at_every_alignment),
        cmocka_unit_test(chat_scanner_agrees_with_cjson_on_a_table_of_bodies),
        cmocka_unit_test(chat_scanner_agrees_with_cjson_on_mutated_bodies),
        cmocka_unit_test(serve_bytes_answers_the_same_whatever_the_reads),
        cmocka_unit_test(serve_bytes_waits_for_delays_and_streams),
        cmocka_unit_test(serve_bytes_handles_garbage_truncation_and_bad_config),
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(request_table_gets_expected_statuses),
        T(errors_are_openai_objects),
        T(chat_answer_has_openai_shape),
        T(error_429_carries_rate_limit_headers),
        T(pipelined_requests_in_one_write_answer_in_order),
        T(delayed_answer_keeps_pipeline_order),
        T(delay_does_not_block_other_connections),
        T(keep_alive_serves_many_requests_on_one_connection),
        T(connection_close_and_http10_end_the_connection),
        T(head_has_length_but_no_body),
        T(expect_100_continue_gets_interim_response),
        T(oversized_body_gets_413_and_close),
        T(slow_headers_time_out_with_408),
        T(slowloris_cannot_extend_the_header_deadline),
        T(slow_body_times_out_with_408),
        T(idle_and_silent_connections_are_closed),
        T(connections_over_the_limit_get_503),
        T(sse_stream_is_chunked_and_ends_with_done),
        T(garbage_never_stops_the_server),
        T(client_gone_during_delay_is_harmless),
        T(route_gets_method_path_query_role_body),
        T(chat_bodies_for_either_parser_get_the_same_answer),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
