/* test_mllm_http.c - the HTTP server on a real socket: a table of good and
 * malformed requests with their statuses, authentication, limits (413, 431,
 * connections), pipelining and keep-alive, delayed answers that keep their
 * order, SSE framing, 429 headers, read timeouts against slow clients, and
 * garbage that must not stop it. The server runs its libuv loop in a thread
 * with mock callbacks and short timeouts; the test talks to it with
 * blocking sockets. Each test ends by checking the loop closes cleanly. */
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
}

/* ---- no socket needed ------------------------------------------------------------------ */

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_strings_are_escaped_and_utf8_checked),
        cmocka_unit_test(start_refuses_missing_or_equal_tokens),
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
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
