/* mllm_http.h - an OpenAI-compatible HTTP/1.1 server on libuv + http-parser + cJSON.
 *
 * The server owns the transport: connections, keep-alive and pipelining,
 * limits and timeouts, Bearer authentication, OpenAI-shaped request checks,
 * responses and errors, Server-Sent Events, and delayed answers on libuv
 * timers. It knows nothing of what it serves: a struct of callbacks (below)
 * answers chat completions, lists models, writes metrics and health, and
 * handles the JSON routes under /admin/ and /v1/drill/. The executable wires
 * those callbacks to the drill engine.
 *
 * Threading: everything runs on the one uv_loop_t given to mllm_http_start;
 * callbacks are called on that loop's thread, one at a time, and must not
 * block (a delay is returned as a number, never slept). Nothing here is
 * thread-safe.
 *
 * Routes and credentials (each an `Authorization: Bearer TOKEN` header,
 * compared in constant time against the configured tokens):
 *
 *   GET  /healthz                   open
 *   GET  /metrics                   open, or the API key when metrics_need_key
 *   POST /v1/chat/completions       API key
 *   GET  /v1/models, /v1/models/ID  API key
 *   ANY  /v1/drill/...              trainee or trainer token   -> route callback
 *   ANY  /admin/...                 trainer token              -> route callback
 *
 * A missing or unknown token gets 401; a known token on a route it does not
 * open gets 403. HEAD is answered like GET without a body. Every error is an
 * OpenAI error object {"error":{"message","type","param","code"}}. */
#ifndef MLLM_HTTP_H
#define MLLM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

typedef struct mllm_http mllm_http;
typedef struct mllm_http_request mllm_http_request; /* one parsed request (opaque) */

/* ---- growable byte buffers (what callbacks write into) -------------------------------- */

/* A byte buffer the server owns and lends to a callback, which appends to it.
 * Appends past MLLM_HTTP_BUF_MAX, or when out of memory, set `failed` and
 * are dropped; the server then answers 500. The data is not NUL-terminated
 * unless the writer adds one. */
typedef struct mllm_http_buf {
    char *data;
    size_t len, cap;
    bool failed; /* an append was dropped */
} mllm_http_buf;
#define MLLM_HTTP_BUF_MAX (64u << 20)

int mllm_http_buf_append(mllm_http_buf *b, const void *p, size_t n); /* 0 or UV_ENOMEM */
int mllm_http_buf_puts(mllm_http_buf *b, const char *s);
int mllm_http_buf_printf(mllm_http_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s[0..n) as a quoted JSON string: control characters, quotes and
 * backslashes escaped, invalid UTF-8 replaced by U+FFFD. */
int mllm_http_buf_json_str(mllm_http_buf *b, const char *s, size_t n);
/* Appends v in decimal (no printf: this is on every response's path). */
int mllm_http_buf_u64(mllm_http_buf *b, uint64_t v);
/* Writes v in decimal at o, which has room for 20 bytes (no NUL); returns
 * the end. */
char *mllm_http_put_u64(char *o, uint64_t v);
/* Appends a JSON number; NaN and infinities become null. */
int mllm_http_buf_json_num(mllm_http_buf *b, double v);
void mllm_http_buf_release(mllm_http_buf *b); /* frees the data; the struct can be reused */
/* Makes room for n more bytes, so that a writer can put them at data + len
 * itself (then add them to len): 0, or UV_ENOMEM with `failed` set. */
int mllm_http_buf_reserve(mllm_http_buf *b, size_t n);

/* ---- what callbacks receive and return ------------------------------------------------ */

typedef enum mllm_http_role {
    MLLM_HTTP_ROLE_NONE, /* no token, or an unknown one */
    MLLM_HTTP_ROLE_API,  /* the API key (the simulated service) */
    MLLM_HTTP_ROLE_TRAINEE,
    MLLM_HTTP_ROLE_TRAINER,
} mllm_http_role;
extern const char *const mllm_http_role_names[]; /* "none", "api", "trainee", "trainer" */

/* Value of request header `name` (lower case), NUL-terminated, or NULL when
 * absent. Valid until the callback returns. */
const char *mllm_http_header(const mllm_http_request *r, const char *name);

/* An error as OpenAI shapes it. An empty param or code is sent as null; an
 * empty type defaults by status (mllm_http_error_type: invalid_request_error
 * for 4xx, permission_error for 403, requests for 429, server_error for 5xx). */
typedef struct mllm_http_error {
    char message[512];
    char type[40];
    char param[64];
    char code[64];
} mllm_http_error;

/* Rate-limit headers: sent when limit_requests > 0 (x-ratelimit-limit-requests,
 * x-ratelimit-remaining-requests, x-ratelimit-reset-requests as "Ns") and,
 * when retry_after_s > 0, Retry-After. */
typedef struct mllm_http_ratelimit {
    long limit_requests;
    long remaining_requests;
    double reset_s;
    int retry_after_s;
} mllm_http_ratelimit;

typedef enum mllm_http_format {
    MLLM_HTTP_FORMAT_TEXT,
    MLLM_HTTP_FORMAT_JSON_OBJECT,
    MLLM_HTTP_FORMAT_JSON_SCHEMA,
} mllm_http_format;

/* One chat message; content is the text (an array of content parts is
 * joined with newlines), NUL-terminated, "" for a null content. */
typedef struct mllm_http_message {
    const char *role; /* system, developer, user, assistant, tool, function */
    const char *content;
    size_t len;
} mllm_http_message;

/* A checked POST /v1/chat/completions request. Every pointer is valid until
 * the callback returns. The server has already checked the shapes: model is
 * a non-empty string, 1..max_messages messages with known roles, max_tokens
 * >= 1 when given, n == 1, response_format one of the three. */
typedef struct mllm_http_chat {
    const char *model;
    const mllm_http_message *messages;
    int nmessages;
    int max_tokens; /* max_tokens or max_completion_tokens; 0 when absent */
    bool stream;
    bool include_usage;            /* stream_options.include_usage */
    mllm_http_format format;       /* response_format.type */
    const char *user;              /* "" when absent */
    const mllm_http_request *http; /* for mllm_http_header() */
} mllm_http_chat;

/* ---- chat request bodies, on their own ------------------------------------------------- */

/* What the server does with the body of POST /v1/chat/completions, callable
 * without a server (tests, tools). A scanner that never allocates reads the
 * body in one pass and extracts only the fields of mllm_http_chat, unescaping
 * strings into the parser's scratch buffer; a body it does not handle (a JSON
 * syntax error, a number or escape outside its plain forms, keys with
 * escapes, nesting deeper than 64, a NUL in a string, a top level that is not
 * an object) goes to cJSON, which gives the same answers, only slower. Both
 * paths share the checks, so that errors (message, param, code) are the same
 * whoever parsed the body. */
typedef struct mllm_http_chat_parser mllm_http_chat_parser;

typedef enum mllm_http_chat_mode {
    MLLM_HTTP_CHAT_AUTO,  /* the scanner, cJSON for what it does not handle (the server's way) */
    MLLM_HTTP_CHAT_SCAN,  /* the scanner only */
    MLLM_HTTP_CHAT_CJSON, /* cJSON only */
} mllm_http_chat_mode;

/* A parser for requests of at most max_messages messages (>= 1); NULL when
 * out of memory or max_messages < 1. Installs the cJSON hooks of
 * mllm_http_start when they are not yet installed. */
mllm_http_chat_parser *mllm_http_chat_parser_new(int max_messages);
void mllm_http_chat_parser_free(mllm_http_chat_parser *p); /* NULL is a no-op */
/* Parses and checks `body` (len bytes, not NUL-terminated) as the server
 * does. Returns 200 and fills *req, whose pointers stay valid until the next
 * call on p or its free (req->http is NULL); or the status of the error the
 * server would send (400; 500 when out of memory) and fills *err. In
 * MLLM_HTTP_CHAT_SCAN mode, returns 0 for a body the scanner hands to cJSON. */
int mllm_http_chat_parse(mllm_http_chat_parser *p, const char *body, size_t len,
                         mllm_http_chat_mode mode, mllm_http_chat *req, mllm_http_error *err);

/* What the chat callback fills. The server zeroes it and sets status 200
 * before the call; `content` is a server buffer to append the answer to. */
typedef struct mllm_http_chat_result {
    int status;          /* 200, or an error status (400, 404, 429, 500, 503) */
    mllm_http_error err; /* when status != 200 */
    mllm_http_ratelimit rl;
    mllm_http_buf *content; /* the assistant's answer (UTF-8) */
    char id[64];            /* "" -> "chatcmpl-<counter>" */
    char request_id[64];    /* x-request-id header; "" -> none */
    char model[64];         /* the model that answered; "" -> the requested one */
    char fingerprint[64];   /* system_fingerprint; "" -> null */
    char finish_reason[16]; /* "" -> "stop" */
    int prompt_tokens, completion_tokens;
    /* Wall-clock delays, applied on libuv timers (capped at 600 s): the
     * whole answer (or an error) after latency_us; a stream's first chunk
     * after ttft_us and its last at latency_us, the tokens spread between. */
    uint64_t latency_us, ttft_us;
} mllm_http_chat_result;

typedef struct mllm_http_model {
    const char *id;
    const char *owned_by;
    int64_t created; /* unix seconds */
} mllm_http_model;

/* A request to a JSON route (/admin/..., /v1/drill/...), already
 * authenticated. `path` excludes the query string; `query` is the raw text
 * after '?' ("" when none). The body is not NUL-terminated. */
typedef struct mllm_http_route_req {
    const char *method; /* "GET", "POST", "DELETE", ... */
    const char *path;
    const char *query;
    const char *body;
    size_t body_len;
    mllm_http_role role; /* the token that matched */
    const mllm_http_request *http;
} mllm_http_route_req;

/* What a route callback fills: the server sets status 404 and an empty body
 * before the call. A 2xx status sends `body` (JSON, written by the callback);
 * an error status sends `err` as an error object (a default message when
 * err.message is empty). */
typedef struct mllm_http_reply {
    int status;
    mllm_http_buf *body;
    mllm_http_error err;
} mllm_http_reply;

/* The callbacks the executable wires. Any may be NULL: then chat answers 503,
 * models lists nothing, metrics is empty, health says {"status":"ok"} and
 * routes are 404. ctx is passed back untouched and never owned. */
typedef struct mllm_http_callbacks {
    void (*chat)(void *ctx, const mllm_http_chat *req, mllm_http_chat_result *res);
    /* Fills up to `max` models; returns how many. Strings must stay valid
     * until the callback's next call. */
    int (*models)(void *ctx, mllm_http_model *out, int max);
    /* Appends Prometheus text exposition (format 0.0.4) to out. */
    void (*metrics)(void *ctx, mllm_http_buf *out);
    /* Appends a JSON object to out; returns the status (200 or 503). */
    int (*health)(void *ctx, mllm_http_buf *out);
    void (*route)(void *ctx, const mllm_http_route_req *req, mllm_http_reply *rep);
    void *ctx;
} mllm_http_callbacks;

/* ---- the server ----------------------------------------------------------------------- */

typedef struct mllm_http_config {
    const char *bind; /* IPv4 or IPv6 address; default "127.0.0.1" */
    int port;         /* 0: a free port (see mllm_http_port) */
    /* Tokens (copied; 1..200 bytes, pairwise different). All three are
     * required: the server is never open by accident. */
    const char *api_key, *trainee_token, *trainer_token;
    bool metrics_need_key;      /* /metrics wants the API key (default open) */
    size_t max_header_bytes;    /* request line + headers; over -> 431 (default 16 KiB) */
    size_t max_body_bytes;      /* over -> 413 (default 1 MiB) */
    int max_connections;        /* more are answered 503 and closed (default 1024) */
    int max_messages;           /* per chat request (default 1024) */
    unsigned header_timeout_ms; /* first byte to end of headers -> 408 (default 10000) */
    unsigned body_timeout_ms;   /* end of headers to end of body -> 408 (default 30000) */
    unsigned idle_timeout_ms;   /* keep-alive wait for the next request (default 30000) */
    unsigned write_timeout_ms;  /* a write the client does not read (default 30000) */
    unsigned linger_ms;         /* read and drop input after a final response (default 2000) */
    const char *server_name;    /* Server header; NULL: none */
    mllm_http_callbacks cb;
} mllm_http_config;

/* Fills the defaults above (no tokens, no callbacks). */
void mllm_http_config_default(mllm_http_config *c);

/* Binds and listens on `loop`. Ignores SIGPIPE when it is at its default
 * disposition (a client gone mid-answer is then an EPIPE on its connection).
 * The first call installs process-wide cJSON allocator hooks (the chat bodies
 * cJSON parses go into a per-server arena; every other cJSON allocation still
 * goes to malloc/free): make it before other threads use cJSON.
 * Returns 0 and sets *out, or a negative libuv
 * error (uv_strerror): UV_EINVAL for a bad config (missing or equal tokens,
 * bad address), UV_EADDRINUSE, UV_ENOMEM... The config is copied. */
int mllm_http_start(uv_loop_t *loop, const mllm_http_config *cfg, mllm_http **out);
/* The bound port (the chosen one when port 0 was asked for). */
int mllm_http_port(const mllm_http *s);
/* Stops listening, drops every connection and pending response, and frees
 * the server once libuv has closed its handles: run the loop afterwards
 * until it returns. NULL is a no-op; `s` is invalid after the call. */
void mllm_http_close(mllm_http *s);

/* One connection served in memory, without a socket (tests, fuzzing): a
 * server with cfg's limits, tokens and callbacks (bind and port unused) on a
 * private libuv loop reads in[0..len) in reads of `split` bytes (0: one
 * read), then the end of input, exactly as from a client that sent the bytes
 * and half-closed; everything the server writes is appended to out. Returns
 * once the server has closed the connection: 0; UV_EINVAL for a bad config;
 * UV_ENOMEM (also when an append to out failed); UV_ETIMEDOUT when the server would keep the
 * connection open with nothing left to do (a bug). Delays the callbacks ask for are real waits on
 * the private loop. Header and body read timeouts do not apply: the input
 * always ends. */
#define MLLM_HTTP_HAVE_SERVE_BYTES 1
int mllm_http_serve_bytes(const mllm_http_config *cfg, const char *in, size_t len, size_t split,
                          mllm_http_buf *out);

/* Counters for the executable's /metrics. */
typedef struct mllm_http_stats {
    uint64_t connections_total;    /* accepted */
    uint64_t connections_rejected; /* over max_connections */
    int connections_open;
    uint64_t requests_total; /* complete requests answered */
    uint64_t responses[6];   /* by class: [1]=1xx .. [5]=5xx */
    uint64_t parse_errors;   /* malformed requests */
    uint64_t timeouts;       /* header, body, idle or write timeouts */
    uint64_t bytes_in, bytes_out;
    int pending_responses; /* delayed answers and streams in progress */
} mllm_http_stats;
void mllm_http_get_stats(const mllm_http *s, mllm_http_stats *st);

/* Default error type for an HTTP status (see mllm_http_error). */
const char *mllm_http_error_type(int status);
/* Reason phrase for a status ("Not Found"); "Unknown" for others. */
const char *mllm_http_reason(int status);

#endif
