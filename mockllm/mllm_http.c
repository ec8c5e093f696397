/* mllm_http.c - the HTTP/1.1 transport: connections, parsing, limits, auth, routing.
 *
 * One connection handles one request at a time: the parser pauses at the end
 * of each message, the request is answered (at once, or later from a libuv
 * timer when the answer is delayed or streamed), and only then are the bytes
 * that followed it parsed, so pipelined answers always leave in order. While
 * an answer is pending the connection stops reading. Read deadlines live in
 * each connection and one sweep timer enforces them, so a request costs no
 * timer operations. The OpenAI shapes (chat checks, answers, SSE) follow
 * the transport in the second half of the file. */
#include "mllm_http.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cJSON.h>
#include <http_parser.h>

#define MAX_HEADERS    100          /* per request; more -> 431 */
#define TOKEN_MAX      200          /* longest accepted token (a multiple of 8) */
#define KEEP_CAP       (256u << 10) /* buffers larger than this are freed after use */
#define OUT_HIGH       (1u << 20)   /* unsent output that stops parsing pipelined requests */
#define MAX_MODELS     64
#define MAX_DELAY_MS   600000u      /* cap on a delayed answer */
#define STREAM_TICK_MS 15u          /* shortest interval between SSE writes */
#define LEN_CHUNKED    ((size_t)-1) /* put_head: Transfer-Encoding: chunked */
#define LEN_NONE       ((size_t)-2) /* put_head: no length (close-delimited or 204) */

/* Where a connection is in its request cycle. */
enum phase {
    PH_FRESH,   /* accepted, nothing read yet (header timeout) */
    PH_IDLE,    /* between keep-alive requests (idle timeout) */
    PH_HEADERS, /* reading a request line and headers (header timeout) */
    PH_BODY,    /* reading a body (body timeout) */
    PH_BUSY,    /* answering: reading stops until the answer is queued */
    PH_LINGER,  /* final answer sent and write side shut: dropping input */
};
enum last_cb { L_NONE, L_URL, L_FIELD, L_VALUE };

typedef struct token {
    char key[TOKEN_MAX]; /* zero-padded */
    size_t len;
} token;

/* The request line and headers, NUL-separated: URL\0 name\0 value\0 ...
 * (names lower-cased). Reused for every request of a connection. */
struct mllm_http_request {
    char *hbuf; /* max_header_bytes + 1 */
    size_t hlen;
    int nh;
    uint32_t name_off[MAX_HEADERS];
    uint32_t val_off[MAX_HEADERS]; /* UINT32_MAX until the value starts */
};

typedef struct conn {
    uv_tcp_t tcp;
    uv_timer_t timer; /* delayed answer, SSE pacing */
    uv_write_t wreq;
    uv_shutdown_t shut;
    mllm_http *srv;
    struct conn *prev, *next; /* the server's list of open connections */
    int handles;              /* open libuv handles; freed at 0 */
    http_parser parser;
    mllm_http_request rq;
    enum last_cb last; /* last header callback, to join fragments */
    mllm_http_buf body;
    int err_status; /* a limit tripped while parsing: 413, 431, 503 */
    enum phase phase;
    uint64_t deadline;       /* loop ms for the current phase, 0 none */
    uint64_t write_deadline; /* loop ms by which the write in flight must finish */
    bool reading, writing, closing, eof;
    bool close_after; /* close once the queued output is written */
    bool blocked;     /* parsing stopped until output drains */
    bool deferred;    /* an answer is pending on the timer */
    bool keep_alive, http10, head;
    mllm_http_buf in;   /* input held back while answering */
    mllm_http_buf out;  /* output queued, not yet handed to libuv */
    mllm_http_buf wbuf; /* output in the uv_write in flight */
    size_t woff;        /* bytes of wbuf already written by uv_try_write */
    mllm_http_buf pend; /* a delayed answer, complete */
    /* SSE stream in progress */
    bool streaming, sstarted, schunked, susage;
    mllm_http_buf stext, sprefix;
    size_t spos;
    size_t sleft, sper;
    unsigned sinterval;
    int ptok, ctok;
    char sfinish[16];
    char sextra[512];
} conn;

struct mllm_http {
    uv_loop_t *loop;
    uv_tcp_t listener;
    uv_timer_t sweep; /* enforces connection deadlines */
    int handles;      /* listener + sweep still open */
    int live_conns;   /* allocated connections (closing ones included) */
    int nconns;       /* open connections */
    bool closing;
    mllm_http_config cfg; /* copied; token pointers cleared */
    token tok[3];         /* api, trainee, trainer */
    char bind[64];
    char server_name[64];
    int port;
    conn *conns;
    http_parser_settings settings;
    uint64_t next_id;
    mllm_http_stats st;
    char date[40];
    time_t date_t;
    /* Shared scratch: callbacks run one at a time on the loop thread. */
    mllm_http_buf jbuf;      /* JSON being built */
    mllm_http_buf cbuf;      /* what a callback writes */
    mllm_http_buf scratch;   /* joined message contents */
    mllm_http_message *msgs; /* the messages of the chat request being answered */
    int msgs_cap;
    char *arena; /* cJSON nodes of the body being parsed (JSON_ARENA bytes) */
    size_t arena_used;
    mllm_http_model models[MAX_MODELS];
    char slab[64 * 1024]; /* read buffer */
};

static void dispatch(conn *c);
static void resume(conn *c);

/* ---- cJSON allocations ------------------------------------------------------------------ */

/* A chat body parses into a few dozen small cJSON nodes. They are taken from a
 * per-server arena that is reset for each request, through cJSON's allocator
 * hooks, instead of as many malloc/free pairs. The hooks are process-wide
 * (installed once by mllm_http_start) but act only on the thread and during
 * the parse that set `json_arena`; every other allocation, and any arena
 * overflow, goes to malloc, and free() ignores only pointers inside the
 * arena. Under AddressSanitizer there is no arena, so that every node stays
 * checked. */
#define JSON_ARENA (64u << 10)

static _Thread_local mllm_http *json_arena; /* whose arena serves allocations now */
static _Thread_local char *json_arena_base; /* the arena whose pointers free() skips */

static void *json_malloc(size_t n)
{
    mllm_http *s = json_arena;
    if (s) {
        size_t k = (n + 15) & ~(size_t)15;
        if (k >= n && JSON_ARENA - s->arena_used >= k) {
            void *p = s->arena + s->arena_used;
            s->arena_used += k;
            return p;
        }
    }
    return malloc(n);
}

static void json_free(void *p)
{
    char *b = json_arena_base;
    if (b && (char *)p >= b && (char *)p < b + JSON_ARENA)
        return; /* reclaimed when the arena is reset */
    free(p);
}

/* Parses a request body into the arena; release with json_release. */
static cJSON *json_parse(mllm_http *s, const char *text, size_t len)
{
    s->arena_used = 0;
    json_arena = s->arena ? s : NULL;
    json_arena_base = s->arena;
    cJSON *j = cJSON_ParseWithLength(text, len);
    json_arena = NULL;
    return j;
}

static void json_release(mllm_http *s, cJSON *j)
{
    json_arena_base = s->arena;
    cJSON_Delete(j);
    json_arena_base = NULL;
}

const char *const mllm_http_role_names[] = {"none", "api", "trainee", "trainer", NULL};

/* ---- buffers -------------------------------------------------------------------------- */

static int buf_reserve(mllm_http_buf *b, size_t extra)
{
    if (b->failed)
        return UV_ENOMEM;
    if (extra > MLLM_HTTP_BUF_MAX - b->len) {
        b->failed = true;
        return UV_ENOMEM;
    }
    size_t need = b->len + extra;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 512;
    while (cap < need)
        cap *= 2;
    if (cap > MLLM_HTTP_BUF_MAX)
        cap = MLLM_HTTP_BUF_MAX;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return UV_ENOMEM;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int mllm_http_buf_append(mllm_http_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return b->failed ? UV_ENOMEM : 0;
    if (buf_reserve(b, n) != 0)
        return UV_ENOMEM;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int mllm_http_buf_puts(mllm_http_buf *b, const char *s)
{
    return mllm_http_buf_append(b, s, strlen(s));
}

int mllm_http_buf_printf(mllm_http_buf *b, const char *fmt, ...)
{
    if (b->failed)
        return UV_ENOMEM;
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        b->failed = true;
        return UV_EINVAL;
    }
    if ((size_t)n >= room) {
        if (buf_reserve(b, (size_t)n + 1) != 0) {
            va_end(ap2);
            return UV_ENOMEM;
        }
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
    return 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

int mllm_http_buf_json_str(mllm_http_buf *b, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    /* Worst case 6 bytes per input byte, plus the quotes. */
    if (n > (MLLM_HTTP_BUF_MAX - 2) / 6 || buf_reserve(b, n * 6 + 2) != 0) {
        b->failed = true;
        return UV_ENOMEM;
    }
    char *o = b->data + b->len;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        /* Copy a run of plain ASCII at once: most answers are nothing else. */
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            memcpy(o, s + i, run - i);
            o += run - i;
            i = run;
            continue;
        }
        unsigned char c = s[i];
        if (c < 0x80) {
            *o++ = '\\';
            switch (c) {
            case '"':
                *o++ = '"';
                break;
            case '\\':
                *o++ = '\\';
                break;
            case '\n':
                *o++ = 'n';
                break;
            case '\r':
                *o++ = 'r';
                break;
            case '\t':
                *o++ = 't';
                break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
            i++;
        } else {
            size_t k = utf8_len(s + i, n - i);
            if (k) {
                memcpy(o, s + i, k);
                o += k;
                i += k;
            } else {
                memcpy(o, "\\ufffd", 6);
                o += 6;
                i++;
            }
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    return 0;
}

int mllm_http_buf_u64(mllm_http_buf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return mllm_http_buf_append(b, tmp + i, sizeof tmp - i);
}

#define PUT_LIT(b, lit) mllm_http_buf_append((b), (lit), sizeof(lit) - 1)

int mllm_http_buf_json_num(mllm_http_buf *b, double v)
{
    if (!isfinite(v))
        return mllm_http_buf_append(b, "null", 4);
    if (v == floor(v) && fabs(v) < 1e15)
        return mllm_http_buf_printf(b, "%.0f", v);
    return mllm_http_buf_printf(b, "%.10g", v);
}

void mllm_http_buf_release(mllm_http_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static void buf_reset(mllm_http_buf *b)
{
    b->len = 0;
    b->failed = false;
    /* Do not keep one huge answer's memory for the connection's lifetime. */
    if (b->cap > KEEP_CAP)
        mllm_http_buf_release(b);
}

/* ---- small tables ---------------------------------------------------------------------- */

const char *mllm_http_reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Unknown";
    }
}

const char *mllm_http_error_type(int status)
{
    switch (status) {
    case 401:
        return "invalid_request_error"; /* as OpenAI, with code invalid_api_key */
    case 403:
        return "permission_error";
    case 404:
        return "invalid_request_error";
    case 429:
        return "requests";
    default:
        return status >= 500 ? "server_error" : "invalid_request_error";
    }
}

static void err_set(mllm_http_error *e, const char *type, const char *param, const char *code,
                    const char *fmt, ...)
{
    memset(e, 0, sizeof *e);
    snprintf(e->type, sizeof e->type, "%s", type ? type : "");
    snprintf(e->param, sizeof e->param, "%s", param ? param : "");
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

/* ---- response writing ------------------------------------------------------------------ */

static const char *http_date(mllm_http *s)
{
    time_t now = time(NULL);
    if (now != s->date_t) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(s->date, sizeof s->date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        s->date_t = now;
    }
    return s->date;
}

static void put_head(conn *c, mllm_http_buf *to, int status, const char *ctype, size_t clen,
                     const char *extra)
{
    mllm_http *s = c->srv;
    /* Plain appends, no printf: this runs for every response. */
    PUT_LIT(to, "HTTP/1.1 ");
    mllm_http_buf_u64(to, (uint64_t)status);
    PUT_LIT(to, " ");
    mllm_http_buf_puts(to, mllm_http_reason(status));
    PUT_LIT(to, "\r\nDate: ");
    mllm_http_buf_puts(to, http_date(s));
    PUT_LIT(to, "\r\n");
    if (s->server_name[0]) {
        PUT_LIT(to, "Server: ");
        mllm_http_buf_puts(to, s->server_name);
        PUT_LIT(to, "\r\n");
    }
    if (ctype) {
        PUT_LIT(to, "Content-Type: ");
        mllm_http_buf_puts(to, ctype);
        PUT_LIT(to, "\r\n");
    }
    if (clen == LEN_CHUNKED)
        PUT_LIT(to, "Transfer-Encoding: chunked\r\n");
    else if (clen != LEN_NONE) {
        PUT_LIT(to, "Content-Length: ");
        mllm_http_buf_u64(to, clen);
        PUT_LIT(to, "\r\n");
    }
    if (!c->keep_alive)
        PUT_LIT(to, "Connection: close\r\n");
    else if (c->http10)
        PUT_LIT(to, "Connection: keep-alive\r\n");
    if (extra)
        mllm_http_buf_puts(to, extra);
    PUT_LIT(to, "\r\n");
    if (status >= 100 && status < 600)
        s->st.responses[status / 100]++;
}

static void send_body(conn *c, mllm_http_buf *to, int status, const char *ctype, const char *extra,
                      const char *body, size_t len)
{
    put_head(c, to, status, ctype, len, extra);
    if (!c->head)
        mllm_http_buf_append(to, body, len);
}

static void error_json(mllm_http_buf *b, int status, const mllm_http_error *e)
{
    const char *msg = e && e->message[0] ? e->message : mllm_http_reason(status);
    const char *type = e && e->type[0] ? e->type : mllm_http_error_type(status);
    mllm_http_buf_puts(b, "{\"error\":{\"message\":");
    mllm_http_buf_json_str(b, msg, strlen(msg));
    mllm_http_buf_puts(b, ",\"type\":");
    mllm_http_buf_json_str(b, type, strlen(type));
    mllm_http_buf_puts(b, ",\"param\":");
    if (e && e->param[0])
        mllm_http_buf_json_str(b, e->param, strlen(e->param));
    else
        mllm_http_buf_puts(b, "null");
    mllm_http_buf_puts(b, ",\"code\":");
    if (e && e->code[0])
        mllm_http_buf_json_str(b, e->code, strlen(e->code));
    else
        mllm_http_buf_puts(b, "null");
    mllm_http_buf_puts(b, "}}");
}

static void send_error(conn *c, mllm_http_buf *to, int status, const mllm_http_error *e,
                       const char *extra)
{
    mllm_http *s = c->srv;
    mllm_http_buf *j = &s->jbuf;
    buf_reset(j);
    error_json(j, status, e);
    send_body(c, to, status, "application/json", extra, j->data, j->len);
}

static void fail(conn *c, int status, const char *type, const char *param, const char *code,
                 const char *fmt, ...)
{
    mllm_http_error e;
    err_set(&e, type, param, code, "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    send_error(c, &c->out, status, &e, status == 401 ? "WWW-Authenticate: Bearer\r\n" : NULL);
}

/* ---- connection lifetime -------------------------------------------------------------- */

static void on_write(uv_write_t *w, int status);
static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);
static void process(conn *c, const char *data, size_t len);
static void maybe_free_server(mllm_http *s);

static void on_conn_closed(uv_handle_t *h)
{
    conn *c = h->data;
    if (--c->handles > 0)
        return;
    mllm_http *s = c->srv;
    free(c->rq.hbuf);
    mllm_http_buf_release(&c->body);
    mllm_http_buf_release(&c->in);
    mllm_http_buf_release(&c->out);
    mllm_http_buf_release(&c->wbuf);
    mllm_http_buf_release(&c->pend);
    mllm_http_buf_release(&c->stext);
    mllm_http_buf_release(&c->sprefix);
    free(c);
    s->live_conns--;
    maybe_free_server(s);
}

static void conn_close(conn *c)
{
    if (c->closing)
        return;
    mllm_http *s = c->srv;
    c->closing = true;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    s->nconns--;
    if (c->deferred) {
        c->deferred = false;
        s->st.pending_responses--;
    }
    uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
    uv_close((uv_handle_t *)&c->timer, on_conn_closed);
}

static void read_pause(conn *c)
{
    if (c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = false;
    }
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    conn *c = h->data;
    (void)hint;
    /* One slab for the whole server: libuv calls read_cb right after
     * alloc_cb, and whatever a read leaves unparsed is copied out. */
    buf->base = c->srv->slab;
    buf->len = sizeof c->srv->slab;
}

static void read_resume(conn *c)
{
    if (c->reading || c->closing || c->eof)
        return;
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        conn_close(c);
        return;
    }
    c->reading = true;
}

static void on_shutdown(uv_shutdown_t *r, int status)
{
    conn *c = r->data;
    if (c->closing)
        return;
    if (status < 0 || c->eof) {
        conn_close(c);
        return;
    }
    /* Lingering close: read and drop what the client still sends (the rest of
     * a refused body) so that our answer is not lost to a reset. */
    read_resume(c);
}

static void start_linger(conn *c)
{
    if (c->closing || c->phase == PH_LINGER)
        return;
    c->phase = PH_LINGER;
    c->deadline = uv_now(c->srv->loop) + c->srv->cfg.linger_ms;
    c->shut.data = c;
    if (uv_shutdown(&c->shut, (uv_stream_t *)&c->tcp, on_shutdown) != 0)
        conn_close(c);
}

/* Everything queued has been written. */
static void write_idle(conn *c)
{
    if (c->closing)
        return;
    if (c->close_after && !c->deferred) {
        start_linger(c);
        return;
    }
    if (c->blocked) {
        c->blocked = false;
        resume(c);
    }
}

static void flush(conn *c)
{
    if (c->closing || c->writing)
        return;
    if (c->out.failed) { /* an answer lost to out-of-memory: never send half of it */
        conn_close(c);
        return;
    }
    if (c->out.len == 0) {
        write_idle(c);
        return;
    }
    mllm_http *s = c->srv;
    uv_buf_t b = uv_buf_init(c->out.data, (unsigned)c->out.len);
    int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    if (n == UV_EAGAIN || n == UV_ENOSYS)
        n = 0;
    if (n < 0) {
        conn_close(c);
        return;
    }
    s->st.bytes_out += (uint64_t)n;
    if ((size_t)n == c->out.len) {
        c->out.len = 0;
        write_idle(c);
        return;
    }
    /* The rest goes through uv_write from the other buffer, so that new
     * output can be queued while it is in flight. */
    mllm_http_buf t = c->wbuf;
    c->wbuf = c->out;
    c->out = t;
    c->out.len = 0;
    c->out.failed = false;
    c->woff = (size_t)n;
    uv_buf_t wb = uv_buf_init(c->wbuf.data + n, (unsigned)(c->wbuf.len - (size_t)n));
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &wb, 1, on_write) != 0) {
        conn_close(c);
        return;
    }
    c->writing = true;
    c->write_deadline = uv_now(s->loop) + s->cfg.write_timeout_ms;
}

static void on_write(uv_write_t *w, int status)
{
    conn *c = w->data;
    c->writing = false;
    c->write_deadline = 0;
    if (status < 0 || c->closing) {
        conn_close(c);
        return;
    }
    c->srv->st.bytes_out += c->wbuf.len - c->woff;
    c->wbuf.len = 0;
    if (c->wbuf.cap > KEEP_CAP)
        mllm_http_buf_release(&c->wbuf);
    flush(c);
}

/* ---- the request cycle ----------------------------------------------------------------- */

static void request_reset(conn *c)
{
    c->rq.hlen = 0;
    c->rq.nh = 0;
    c->last = L_NONE;
    c->err_status = 0;
    c->head = false;
    buf_reset(&c->body);
}

static void finish(conn *c)
{
    mllm_http *s = c->srv;
    if (c->deferred) {
        c->deferred = false;
        s->st.pending_responses--;
    }
    request_reset(c);
    if (!c->keep_alive)
        c->close_after = true;
    if (!c->close_after) {
        c->phase = PH_IDLE;
        c->deadline = uv_now(s->loop) + s->cfg.idle_timeout_ms;
    }
    flush(c);
}

static void resume(conn *c)
{
    if (c->closing || c->close_after || c->phase == PH_BUSY)
        return;
    if (c->in.len) {
        mllm_http_buf in = c->in;
        memset(&c->in, 0, sizeof c->in);
        process(c, in.data, in.len);
        if (c->in.data == NULL) {
            in.len = 0;
            c->in = in;
        } else
            mllm_http_buf_release(&in);
    }
    if (!c->closing && !c->close_after && c->phase != PH_BUSY && !c->blocked && !c->in.len)
        read_resume(c);
}

static void stash(conn *c, const char *data, size_t len)
{
    if (mllm_http_buf_append(&c->in, data, len) != 0)
        conn_close(c);
    read_pause(c);
}

static void bad_request(conn *c, enum http_errno e)
{
    mllm_http *s = c->srv;
    int status = c->err_status ? c->err_status : e == HPE_HEADER_OVERFLOW ? 431 : 400;
    c->phase = PH_BUSY;
    c->keep_alive = false;
    c->close_after = true;
    c->deadline = 0;
    c->head = false;
    if (status == 413)
        fail(c, 413, NULL, NULL, "request_too_large",
             "Request body too large: the limit is %zu bytes.", s->cfg.max_body_bytes);
    else if (status == 431)
        fail(c, 431, NULL, NULL, "headers_too_large",
             "Request line and headers too large: the limit is %zu bytes and %d headers.",
             s->cfg.max_header_bytes, MAX_HEADERS);
    else if (status == 400) {
        s->st.parse_errors++;
        fail(c, 400, NULL, NULL, "malformed_request", "Malformed HTTP request: %s.",
             http_errno_description(e));
    } else
        fail(c, status, NULL, NULL, NULL, "%s", mllm_http_reason(status));
    flush(c);
}

static void process(conn *c, const char *data, size_t len)
{
    mllm_http *s = c->srv;
    while (len > 0) {
        if (c->closing || c->close_after || c->phase == PH_LINGER)
            return; /* what follows a final answer is dropped */
        if (c->phase == PH_BUSY) {
            stash(c, data, len);
            return;
        }
        if (c->out.len + c->wbuf.len > OUT_HIGH) {
            c->blocked = true;
            stash(c, data, len);
            return;
        }
        size_t n = http_parser_execute(&c->parser, &s->settings, data, len);
        enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);
        if (n > len)
            n = len;
        data += n;
        len -= n;
        if (e == HPE_PAUSED) {
            http_parser_pause(&c->parser, 0);
            dispatch(c);
            continue;
        }
        if (e != HPE_OK || (n == 0 && len > 0)) {
            bad_request(c, e);
            return;
        }
    }
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    conn *c = st->data;
    if (nread == 0 || c->closing)
        return;
    if (nread < 0) {
        c->eof = true;
        read_pause(c);
        if (c->phase != PH_LINGER &&
            (c->writing || c->deferred || c->out.len || c->phase == PH_BUSY)) {
            c->keep_alive = false;
            c->close_after = true; /* deliver what is pending, then close */
            return;
        }
        conn_close(c);
        return;
    }
    c->srv->st.bytes_in += (uint64_t)nread;
    if (c->phase == PH_LINGER)
        return;
    process(c, buf->base, (size_t)nread);
}

/* ---- parser callbacks ------------------------------------------------------------------ */

static int hput(conn *c, const char *p, size_t n, bool lower)
{
    if (c->rq.hlen + n + 1 > c->srv->cfg.max_header_bytes) {
        c->err_status = 431;
        return -1;
    }
    char *o = c->rq.hbuf + c->rq.hlen;
    if (lower)
        for (size_t i = 0; i < n; i++)
            o[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] + 32) : p[i];
    else
        memcpy(o, p, n);
    c->rq.hlen += n;
    return 0;
}

static int on_message_begin(http_parser *p)
{
    conn *c = p->data;
    mllm_http *s = c->srv;
    request_reset(c);
    c->phase = PH_HEADERS;
    c->deadline = uv_now(s->loop) + s->cfg.header_timeout_ms;
    if (!c->rq.hbuf) {
        c->rq.hbuf = malloc(s->cfg.max_header_bytes + 1);
        if (!c->rq.hbuf) {
            c->err_status = 503;
            return -1;
        }
    }
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t n)
{
    conn *c = p->data;
    c->last = L_URL;
    return hput(c, at, n, false);
}

static int on_header_field(http_parser *p, const char *at, size_t n)
{
    conn *c = p->data;
    if (c->last != L_FIELD) {
        if (c->rq.nh == MAX_HEADERS) {
            c->err_status = 431;
            return -1;
        }
        if (hput(c, "", 1, false) != 0) /* ends the URL or the previous value */
            return -1;
        c->rq.name_off[c->rq.nh] = (uint32_t)c->rq.hlen;
        c->rq.val_off[c->rq.nh] = UINT32_MAX;
        c->rq.nh++;
        c->last = L_FIELD;
    }
    return hput(c, at, n, true);
}

static int on_header_value(http_parser *p, const char *at, size_t n)
{
    conn *c = p->data;
    if (c->last != L_VALUE) {
        if (hput(c, "", 1, false) != 0)
            return -1;
        c->rq.val_off[c->rq.nh - 1] = (uint32_t)c->rq.hlen;
        c->last = L_VALUE;
    }
    return hput(c, at, n, false);
}

static int on_headers_complete(http_parser *p)
{
    conn *c = p->data;
    mllm_http *s = c->srv;
    if (c->last == L_FIELD) { /* a name without a value */
        if (hput(c, "", 1, false) != 0)
            return -1;
        c->rq.val_off[c->rq.nh - 1] = (uint32_t)c->rq.hlen;
    }
    if (c->last == L_NONE) /* no URL at all */
        c->rq.hbuf[c->rq.hlen] = '\0';
    else if (hput(c, "", 1, false) != 0)
        return -1;
    c->rq.hbuf[c->rq.hlen] = '\0';
    c->phase = PH_BODY;
    c->deadline = uv_now(s->loop) + s->cfg.body_timeout_ms;
    if (p->content_length != ULLONG_MAX && p->content_length > s->cfg.max_body_bytes) {
        c->err_status = 413;
        return -1;
    }
    const char *expect = mllm_http_header(&c->rq, "expect");
    if (expect && strcasecmp(expect, "100-continue") == 0 && p->http_major == 1 &&
        p->http_minor >= 1) {
        mllm_http_buf_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
        s->st.responses[1]++;
        flush(c);
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t n)
{
    conn *c = p->data;
    if (c->body.len + n > c->srv->cfg.max_body_bytes) {
        c->err_status = 413;
        return -1;
    }
    if (mllm_http_buf_append(&c->body, at, n) != 0) {
        c->err_status = 503;
        return -1;
    }
    return 0;
}

static int on_message_complete(http_parser *p)
{
    /* Stop here: the request is answered before the next one is parsed. */
    http_parser_pause(p, 1);
    return 0;
}

const char *mllm_http_header(const mllm_http_request *r, const char *name)
{
    for (int i = 0; i < r->nh; i++)
        if (r->val_off[i] != UINT32_MAX && r->hbuf[r->name_off[i]] == name[0] &&
            strcmp(r->hbuf + r->name_off[i], name) == 0)
            return r->hbuf + r->val_off[i];
    return NULL;
}

/* ---- authentication -------------------------------------------------------------------- */

/* Constant time in the configured token: the presented token, zero-padded to
 * TOKEN_MAX, is compared word by word with the whole padded key, whatever
 * the input. */
static bool token_eq(const unsigned char *in, size_t alen, const token *k)
{
    uint64_t d = (uint64_t)(alen ^ k->len);
    for (size_t i = 0; i < TOKEN_MAX; i += 8) {
        uint64_t a, b;
        memcpy(&a, in + i, 8);
        memcpy(&b, k->key + i, 8);
        d |= a ^ b;
    }
    return d == 0;
}

static mllm_http_role role_of(const conn *c)
{
    const char *h = mllm_http_header(&c->rq, "authorization");
    if (!h)
        return MLLM_HTTP_ROLE_NONE;
    while (*h == ' ' || *h == '\t')
        h++;
    if (strncasecmp(h, "bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
        return MLLM_HTTP_ROLE_NONE;
    h += 6;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = strlen(h);
    while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    if (n == 0 || n > TOKEN_MAX)
        return MLLM_HTTP_ROLE_NONE;
    unsigned char in[TOKEN_MAX];
    memset(in, 0, sizeof in);
    memcpy(in, h, n);
    const mllm_http *s = c->srv;
    bool api = token_eq(in, n, &s->tok[0]);
    bool trainee = token_eq(in, n, &s->tok[1]);
    bool trainer = token_eq(in, n, &s->tok[2]);
    return trainer   ? MLLM_HTTP_ROLE_TRAINER
           : trainee ? MLLM_HTTP_ROLE_TRAINEE
           : api     ? MLLM_HTTP_ROLE_API
                     : MLLM_HTTP_ROLE_NONE;
}

/* ---- timeouts -------------------------------------------------------------------------- */

static void on_sweep(uv_timer_t *t)
{
    mllm_http *s = t->data;
    uint64_t now = uv_now(s->loop);
    conn *next;
    for (conn *c = s->conns; c; c = next) {
        next = c->next;
        if (c->writing && c->write_deadline && now >= c->write_deadline) {
            s->st.timeouts++;
            conn_close(c);
            continue;
        }
        if (!c->deadline || now < c->deadline)
            continue;
        c->deadline = 0;
        switch (c->phase) {
        case PH_HEADERS:
        case PH_BODY: {
            bool body = c->phase == PH_BODY;
            s->st.timeouts++;
            c->phase = PH_BUSY;
            c->keep_alive = false;
            c->close_after = true;
            c->head = false;
            read_pause(c);
            fail(c, 408, NULL, NULL, "request_timeout",
                 "The request was not received in time (%s timeout, %u ms).",
                 body ? "body" : "header",
                 body ? s->cfg.body_timeout_ms : s->cfg.header_timeout_ms);
            flush(c);
            break;
        }
        case PH_FRESH:
        case PH_IDLE:
            if (c->writing) { /* answers still leaving: the write deadline governs */
                c->deadline = now + s->cfg.idle_timeout_ms;
                break;
            }
            s->st.timeouts++;
            conn_close(c);
            break;
        case PH_LINGER:
            conn_close(c);
            break;
        default:
            break;
        }
    }
}

/* ---- accepting ------------------------------------------------------------------------- */

static void on_connection(uv_stream_t *server, int status)
{
    mllm_http *s = server->data;
    if (status < 0 || s->closing)
        return;
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return; /* stays in the backlog; retried on the next connection */
    c->srv = s;
    uv_tcp_init(s->loop, &c->tcp);
    uv_timer_init(s->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->handles = 2;
    s->live_conns++;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        conn_close(c);
        return;
    }
    s->st.connections_total++;
    uv_tcp_nodelay(&c->tcp, 1);
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    c->keep_alive = true;
    c->phase = PH_FRESH;
    c->deadline = uv_now(s->loop) + s->cfg.header_timeout_ms;
    if (s->nconns > s->cfg.max_connections) {
        s->st.connections_rejected++;
        if (s->nconns > 2 * s->cfg.max_connections) {
            conn_close(c);
            return;
        }
        c->phase = PH_BUSY;
        c->keep_alive = false;
        c->close_after = true;
        fail(c, 503, NULL, NULL, "too_many_connections",
             "The server is at its limit of %d connections; retry later.", s->cfg.max_connections);
        flush(c);
        return;
    }
    read_resume(c);
}

/* ---- routing --------------------------------------------------------------------------- */

static bool path_under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

#define ROLE_BIT(r) (1u << (r))

static const char *route_needs(unsigned mask)
{
    if (mask == ROLE_BIT(MLLM_HTTP_ROLE_TRAINER))
        return "the trainer token";
    if (mask & ROLE_BIT(MLLM_HTTP_ROLE_TRAINEE))
        return "the trainee or trainer token";
    return "the API key";
}

/* Returns the role when it opens the route (a bit in mask), else answers 401
 * or 403 and returns MLLM_HTTP_ROLE_NONE. */
static mllm_http_role authorize(conn *c, unsigned mask)
{
    mllm_http_role r = role_of(c);
    if (r != MLLM_HTTP_ROLE_NONE && (mask & ROLE_BIT(r)))
        return r;
    const char *need = route_needs(mask);
    if (r != MLLM_HTTP_ROLE_NONE)
        fail(c, 403, NULL, NULL, "insufficient_permissions",
             "This route needs %s; the %s token does not open it.", need, mllm_http_role_names[r]);
    else if (!mllm_http_header(&c->rq, "authorization"))
        fail(c, 401, NULL, NULL, "missing_api_key",
             "You didn't provide a token. This route needs %s in an Authorization header "
             "using Bearer auth (i.e. Authorization: Bearer YOUR_TOKEN).",
             need);
    else
        fail(c, 401, NULL, NULL, "invalid_api_key",
             "Incorrect token provided. This route needs %s (printed by `firedrill serve` at "
             "start, or set with its options).",
             need);
    return MLLM_HTTP_ROLE_NONE;
}

static void method_not_allowed(conn *c, const char *path, const char *allow)
{
    char extra[96];
    snprintf(extra, sizeof extra, "Allow: %s\r\n", allow);
    mllm_http_error e;
    err_set(&e, NULL, NULL, "method_not_allowed", "Method %s is not allowed on %s; use %s.",
            http_method_str(c->parser.method), path, allow);
    send_error(c, &c->out, 405, &e, extra);
}

static void not_found(conn *c, const char *path)
{
    fail(c, 404, NULL, NULL, "unknown_url", "Invalid URL (%s %s)",
         http_method_str(c->parser.method), path);
}

static void do_health(conn *c)
{
    mllm_http *s = c->srv;
    buf_reset(&s->cbuf);
    int status = 200;
    if (s->cfg.cb.health)
        status = s->cfg.cb.health(s->cfg.cb.ctx, &s->cbuf);
    else
        mllm_http_buf_puts(&s->cbuf, "{\"status\":\"ok\"}");
    if (s->cbuf.failed) {
        fail(c, 500, NULL, NULL, NULL, "The health check could not be written.");
        return;
    }
    if (status < 200 || status > 599)
        status = 500;
    send_body(c, &c->out, status, "application/json", NULL, s->cbuf.data ? s->cbuf.data : "",
              s->cbuf.len);
}

static void do_metrics(conn *c)
{
    mllm_http *s = c->srv;
    buf_reset(&s->cbuf);
    if (s->cfg.cb.metrics)
        s->cfg.cb.metrics(s->cfg.cb.ctx, &s->cbuf);
    if (s->cbuf.failed) {
        fail(c, 500, NULL, NULL, NULL, "The metrics could not be written.");
        return;
    }
    send_body(c, &c->out, 200, "text/plain; version=0.0.4; charset=utf-8", NULL,
              s->cbuf.data ? s->cbuf.data : "", s->cbuf.len);
}

static void model_json(mllm_http_buf *j, const mllm_http_model *m)
{
    mllm_http_buf_puts(j, "{\"id\":");
    mllm_http_buf_json_str(j, m->id, strlen(m->id));
    mllm_http_buf_printf(
        j, ",\"object\":\"model\",\"created\":%lld,\"owned_by\":", (long long)m->created);
    const char *by = m->owned_by ? m->owned_by : "system";
    mllm_http_buf_json_str(j, by, strlen(by));
    mllm_http_buf_puts(j, "}");
}

static void do_models(conn *c, const char *id)
{
    mllm_http *s = c->srv;
    int n = s->cfg.cb.models ? s->cfg.cb.models(s->cfg.cb.ctx, s->models, MAX_MODELS) : 0;
    n = n < 0 ? 0 : n > MAX_MODELS ? MAX_MODELS : n;
    mllm_http_buf *j = &s->jbuf;
    buf_reset(j);
    if (id) {
        int i = 0;
        while (i < n && (!s->models[i].id || strcmp(s->models[i].id, id) != 0))
            i++;
        if (i == n) {
            fail(c, 404, NULL, "model", "model_not_found",
                 "The model '%s' does not exist or you do not have access to it.", id);
            return;
        }
        model_json(j, &s->models[i]);
    } else {
        mllm_http_buf_puts(j, "{\"object\":\"list\",\"data\":[");
        for (int i = 0, k = 0; i < n; i++) {
            if (!s->models[i].id)
                continue;
            if (k++)
                mllm_http_buf_puts(j, ",");
            model_json(j, &s->models[i]);
        }
        mllm_http_buf_puts(j, "]}");
    }
    if (j->failed) {
        fail(c, 500, NULL, NULL, NULL, "The model list could not be written.");
        return;
    }
    send_body(c, &c->out, 200, "application/json", NULL, j->data, j->len);
}

static void do_route(conn *c, mllm_http_role role, const char *path, const char *query)
{
    mllm_http *s = c->srv;
    mllm_http_route_req rq = {
        .method = http_method_str(c->parser.method),
        .path = path,
        .query = query,
        .body = c->body.data ? c->body.data : "",
        .body_len = c->body.len,
        .role = role,
        .http = &c->rq,
    };
    mllm_http_reply rep;
    memset(&rep, 0, sizeof rep);
    rep.status = 404;
    buf_reset(&s->cbuf);
    rep.body = &s->cbuf;
    if (s->cfg.cb.route)
        s->cfg.cb.route(s->cfg.cb.ctx, &rq, &rep);
    if (s->cbuf.failed) {
        fail(c, 500, NULL, NULL, NULL, "The answer could not be written.");
        return;
    }
    if (rep.status >= 200 && rep.status < 300) {
        if (rep.status == 204) {
            put_head(c, &c->out, 204, NULL, LEN_NONE, NULL);
            return;
        }
        if (s->cbuf.len == 0)
            mllm_http_buf_puts(&s->cbuf, "{}");
        send_body(c, &c->out, rep.status, "application/json", NULL, s->cbuf.data, s->cbuf.len);
        return;
    }
    if (rep.status < 400 || rep.status > 599)
        rep.status = 500;
    if (rep.status == 404 && !rep.err.message[0])
        err_set(&rep.err, NULL, NULL, "unknown_url", "Invalid URL (%s %s)", rq.method, path);
    send_error(c, &c->out, rep.status, &rep.err, NULL);
}

static void do_chat(conn *c);

/* A complete request: answer it now, or start a delayed answer. */
static void dispatch(conn *c)
{
    mllm_http *s = c->srv;
    c->phase = PH_BUSY;
    c->deadline = 0;
    s->st.requests_total++;
    c->keep_alive = http_should_keep_alive(&c->parser) && !c->parser.upgrade && !s->closing;
    c->http10 = c->parser.http_major == 1 && c->parser.http_minor == 0;
    int m = c->parser.method;
    c->head = m == HTTP_HEAD;
    bool get = m == HTTP_GET || m == HTTP_HEAD;
    char *path = c->rq.hbuf;
    const char *query = "";
    char *q = strchr(path, '?');
    if (q) {
        *q = '\0';
        query = q + 1;
    }
    if (path[0] != '/' && (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0)) {
        char *slash = strchr(strstr(path, "//") + 2, '/'); /* absolute form */
        path = slash ? slash : (char *)"/";
    }
    const unsigned api = ROLE_BIT(MLLM_HTTP_ROLE_API);
    const unsigned trainer = ROLE_BIT(MLLM_HTTP_ROLE_TRAINER);
    const unsigned trainee = ROLE_BIT(MLLM_HTTP_ROLE_TRAINEE) | trainer;
    mllm_http_role role;
    if (strcmp(path, "/v1/chat/completions") == 0) { /* the hot path first */
        if (authorize(c, api) == MLLM_HTTP_ROLE_NONE)
            ;
        else if (m != HTTP_POST)
            method_not_allowed(c, path, "POST");
        else
            do_chat(c);
    } else if (strcmp(path, "/healthz") == 0) {
        if (!get)
            method_not_allowed(c, path, "GET, HEAD");
        else
            do_health(c);
    } else if (strcmp(path, "/metrics") == 0) {
        if (s->cfg.metrics_need_key && authorize(c, api) == MLLM_HTTP_ROLE_NONE)
            ;
        else if (!get)
            method_not_allowed(c, path, "GET, HEAD");
        else
            do_metrics(c);
    } else if (path_under(path, "/admin")) {
        if ((role = authorize(c, trainer)) != MLLM_HTTP_ROLE_NONE)
            do_route(c, role, path, query);
    } else if (path_under(path, "/v1/drill")) {
        if ((role = authorize(c, trainee)) != MLLM_HTTP_ROLE_NONE)
            do_route(c, role, path, query);
    } else if (strcmp(path, "/v1/models") == 0 ||
               (strncmp(path, "/v1/models/", 11) == 0 && path[11])) {
        if (authorize(c, api) == MLLM_HTTP_ROLE_NONE)
            ;
        else if (!get)
            method_not_allowed(c, path, "GET, HEAD");
        else
            do_models(c, path[10] == '/' ? path + 11 : NULL);
    } else {
        not_found(c, path);
    }
    if (!c->deferred)
        finish(c);
}

/* ---- chat completions: checking the request ------------------------------------------- */

static const char *json_type_name(const cJSON *j)
{
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsArray(j))
        return "an array";
    if (cJSON_IsObject(j))
        return "an object";
    if (cJSON_IsNumber(j))
        return j->valuedouble == floor(j->valuedouble) ? "an integer" : "a number";
    return "an unknown value";
}

static bool bad_type(mllm_http_error *e, const char *param, const char *want, const cJSON *got)
{
    err_set(e, NULL, param, "invalid_type",
            "Invalid type for '%s': expected %s, but got %s instead.", param, want,
            json_type_name(got));
    return false;
}

/* An optional integer in [lo, hi] (j NULL when absent); absent or null leaves *out. */
static bool opt_int(const cJSON *j, const char *name, long lo, long hi, long *out,
                    mllm_http_error *e)
{
    if (!j || cJSON_IsNull(j))
        return true;
    if (!cJSON_IsNumber(j) || j->valuedouble != floor(j->valuedouble) ||
        fabs(j->valuedouble) > 1e15)
        return bad_type(e, name, "an integer", j);
    if (j->valuedouble < (double)lo) {
        err_set(e, NULL, name, "integer_below_min_value",
                "Invalid '%s': integer below minimum value. Expected a value >= %ld, but got %.0f "
                "instead.",
                name, lo, j->valuedouble);
        return false;
    }
    if (j->valuedouble > (double)hi) {
        err_set(e, NULL, name, "integer_above_max_value",
                "Invalid '%s': integer above maximum value. Expected a value <= %ld, but got %.0f "
                "instead.",
                name, hi, j->valuedouble);
        return false;
    }
    *out = (long)j->valuedouble;
    return true;
}

static bool opt_number(const cJSON *j, const char *name, double lo, double hi, mllm_http_error *e)
{
    if (!j || cJSON_IsNull(j))
        return true;
    if (!cJSON_IsNumber(j))
        return bad_type(e, name, "a number", j);
    if (j->valuedouble < lo || j->valuedouble > hi) {
        err_set(e, NULL, name,
                j->valuedouble < lo ? "decimal_below_min_value" : "decimal_above_max_value",
                "Invalid '%s': expected a value between %g and %g, but got %g instead.", name, lo,
                hi, j->valuedouble);
        return false;
    }
    return true;
}

static const char *const chat_roles[] = {"system", "developer", "user", "assistant",
                                         "tool",   "function",  NULL};

/* The JSON path of a message field for error messages ("messages[2].content[0].text");
 * j < 0 leaves out the part index. Only formatted when there is an error. */
static const char *mpath(char *p, size_t n, int i, int j, const char *field)
{
    if (j < 0)
        snprintf(p, n, "messages[%d]%s%s", i, field[0] ? "." : "", field);
    else
        snprintf(p, n, "messages[%d].content[%d]%s%s", i, j, field[0] ? "." : "", field);
    return p;
}

static bool missing(mllm_http_error *e, const char *param)
{
    err_set(e, NULL, param, "missing_required_parameter", "Missing required parameter: '%s'.",
            param);
    return false;
}

/* Checks one message; adds to *joined the bytes its content needs when it
 * is an array of parts. */
static bool check_message(const cJSON *m, int i, size_t *joined, mllm_http_error *e)
{
    char p[80];
    if (!cJSON_IsObject(m))
        return bad_type(e, mpath(p, sizeof p, i, -1, ""), "an object", m);
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(m, "role");
    if (!role)
        return missing(e, mpath(p, sizeof p, i, -1, "role"));
    if (!cJSON_IsString(role))
        return bad_type(e, mpath(p, sizeof p, i, -1, "role"), "a string", role);
    int k = 0;
    while (chat_roles[k] && strcmp(chat_roles[k], role->valuestring) != 0)
        k++;
    if (!chat_roles[k]) {
        err_set(e, NULL, mpath(p, sizeof p, i, -1, "role"), "invalid_value",
                "Invalid value: '%.64s'. Supported values are: 'system', 'assistant', 'user', "
                "'function', 'tool', and 'developer'.",
                role->valuestring);
        return false;
    }
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
    if (!content) {
        if (strcmp(role->valuestring, "assistant") == 0)
            return true; /* tool calls only */
        return missing(e, mpath(p, sizeof p, i, -1, "content"));
    }
    if (cJSON_IsString(content) || cJSON_IsNull(content))
        return true;
    if (!cJSON_IsArray(content))
        return bad_type(e, mpath(p, sizeof p, i, -1, "content"),
                        "one of a string or array of objects", content);
    int j = 0;
    const cJSON *part;
    cJSON_ArrayForEach(part, content)
    {
        if (!cJSON_IsObject(part))
            return bad_type(e, mpath(p, sizeof p, i, j, ""), "an object", part);
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(part, "type");
        if (!type)
            return missing(e, mpath(p, sizeof p, i, j, "type"));
        if (!cJSON_IsString(type))
            return bad_type(e, mpath(p, sizeof p, i, j, "type"), "a string", type);
        if (strcmp(type->valuestring, "text") == 0) {
            const cJSON *text = cJSON_GetObjectItemCaseSensitive(part, "text");
            if (!text)
                return missing(e, mpath(p, sizeof p, i, j, "text"));
            if (!cJSON_IsString(text))
                return bad_type(e, mpath(p, sizeof p, i, j, "text"), "a string", text);
            *joined += strlen(text->valuestring) + 1;
        }
        j++;
    }
    *joined += 1;
    return true;
}

/* Fills msgs[i] with the text of message m (joined into s->scratch, which
 * was reserved for every joined content beforehand). */
static void message_text(mllm_http *s, const cJSON *m, mllm_http_message *out)
{
    out->role = cJSON_GetObjectItemCaseSensitive(m, "role")->valuestring;
    const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
    out->content = "";
    out->len = 0;
    if (cJSON_IsString(content)) {
        out->content = content->valuestring;
        out->len = strlen(content->valuestring);
        return;
    }
    if (!cJSON_IsArray(content))
        return;
    char *start = s->scratch.data + s->scratch.len;
    size_t n = 0;
    const cJSON *part;
    cJSON_ArrayForEach(part, content)
    {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(part, "type");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(part, "text");
        if (strcmp(type->valuestring, "text") != 0)
            continue;
        if (n)
            start[n++] = '\n';
        size_t k = strlen(text->valuestring);
        memcpy(start + n, text->valuestring, k);
        n += k;
    }
    start[n] = '\0';
    s->scratch.len += n + 1;
    out->content = start;
    out->len = n;
}

/* The top-level fields of a chat request, found in one pass over the object
 * (the first of duplicate keys wins, as with cJSON_GetObjectItem). */
typedef struct chat_fields {
    const cJSON *model, *messages, *stream, *stream_options, *max_tokens, *mct, *n, *temperature,
        *top_p, *presence_penalty, *frequency_penalty, *response_format, *user;
} chat_fields;

static void chat_fields_find(const cJSON *root, chat_fields *f)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"model", offsetof(chat_fields, model)},
        {"messages", offsetof(chat_fields, messages)},
        {"stream", offsetof(chat_fields, stream)},
        {"stream_options", offsetof(chat_fields, stream_options)},
        {"max_tokens", offsetof(chat_fields, max_tokens)},
        {"max_completion_tokens", offsetof(chat_fields, mct)},
        {"n", offsetof(chat_fields, n)},
        {"temperature", offsetof(chat_fields, temperature)},
        {"top_p", offsetof(chat_fields, top_p)},
        {"presence_penalty", offsetof(chat_fields, presence_penalty)},
        {"frequency_penalty", offsetof(chat_fields, frequency_penalty)},
        {"response_format", offsetof(chat_fields, response_format)},
        {"user", offsetof(chat_fields, user)},
    };
    memset(f, 0, sizeof *f);
    for (const cJSON *j = root->child; j; j = j->next) {
        if (!j->string)
            continue;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            if (j->string[0] == keys[k].key[0] && strcmp(j->string, keys[k].key) == 0) {
                const cJSON **slot = (const cJSON **)((char *)f + keys[k].off);
                if (!*slot)
                    *slot = j;
                break;
            }
    }
}

static bool check_chat(conn *c, const cJSON *root, mllm_http_chat *req, mllm_http_message **msgs,
                       mllm_http_error *e)
{
    mllm_http *s = c->srv;
    if (!cJSON_IsObject(root)) {
        err_set(e, NULL, NULL, "invalid_type",
                "Invalid request body: expected a JSON object, but got %s instead.",
                json_type_name(root));
        return false;
    }
    chat_fields f;
    chat_fields_find(root, &f);
    const cJSON *model = f.model;
    if (!model || cJSON_IsNull(model)) {
        err_set(e, NULL, "model", "missing_required_parameter",
                "You must provide a model parameter.");
        return false;
    }
    if (!cJSON_IsString(model) || !model->valuestring[0])
        return cJSON_IsString(model)
                   ? (err_set(e, NULL, "model", "invalid_value", "Invalid 'model': empty string."),
                      false)
                   : bad_type(e, "model", "a string", model);
    const cJSON *messages = f.messages;
    if (!messages) {
        err_set(e, NULL, "messages", "missing_required_parameter",
                "Missing required parameter: 'messages'.");
        return false;
    }
    if (!cJSON_IsArray(messages))
        return bad_type(e, "messages", "an array", messages);
    int n = cJSON_GetArraySize(messages);
    if (n == 0) {
        err_set(e, NULL, "messages", "empty_array",
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but "
                "got an empty array instead.");
        return false;
    }
    if (n > s->cfg.max_messages) {
        err_set(e, NULL, "messages", "array_above_max_length",
                "Invalid 'messages': array too long. Expected an array with maximum length %d, "
                "but got an array with length %d instead.",
                s->cfg.max_messages, n);
        return false;
    }
    size_t joined = 0;
    int i = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, messages)
    {
        if (!check_message(m, i++, &joined, e))
            return false;
    }
    const cJSON *stream = f.stream;
    if (stream && !cJSON_IsBool(stream) && !cJSON_IsNull(stream))
        return bad_type(e, "stream", "a boolean", stream);
    req->stream = cJSON_IsTrue(stream);
    const cJSON *so = f.stream_options;
    if (so && !cJSON_IsNull(so)) {
        if (!cJSON_IsObject(so))
            return bad_type(e, "stream_options", "an object", so);
        if (!req->stream) {
            err_set(e, NULL, "stream_options", "invalid_value",
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
            return false;
        }
        const cJSON *iu = cJSON_GetObjectItemCaseSensitive(so, "include_usage");
        if (iu && !cJSON_IsBool(iu) && !cJSON_IsNull(iu))
            return bad_type(e, "stream_options.include_usage", "a boolean", iu);
        req->include_usage = cJSON_IsTrue(iu);
    }
    long max_tokens = 0, mct = 0, nchoices = 1;
    if (!opt_int(f.max_tokens, "max_tokens", 1, INT_MAX, &max_tokens, e) ||
        !opt_int(f.mct, "max_completion_tokens", 1, INT_MAX, &mct, e) ||
        !opt_int(f.n, "n", 1, 128, &nchoices, e) ||
        !opt_number(f.temperature, "temperature", 0, 2, e) ||
        !opt_number(f.top_p, "top_p", 0, 1, e) ||
        !opt_number(f.presence_penalty, "presence_penalty", -2, 2, e) ||
        !opt_number(f.frequency_penalty, "frequency_penalty", -2, 2, e))
        return false;
    if (nchoices != 1) {
        err_set(e, NULL, "n", "unsupported_value",
                "Unsupported value: 'n' must be 1 here (one choice per request).");
        return false;
    }
    req->max_tokens = (int)(mct ? mct : max_tokens);
    const cJSON *rf = f.response_format;
    req->format = MLLM_HTTP_FORMAT_TEXT;
    if (rf && !cJSON_IsNull(rf)) {
        if (!cJSON_IsObject(rf))
            return bad_type(e, "response_format", "an object", rf);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(rf, "type");
        if (!cJSON_IsString(t))
            return t ? bad_type(e, "response_format.type", "a string", t)
                     : (err_set(e, NULL, "response_format.type", "missing_required_parameter",
                                "Missing required parameter: 'response_format.type'."),
                        false);
        if (strcmp(t->valuestring, "json_object") == 0)
            req->format = MLLM_HTTP_FORMAT_JSON_OBJECT;
        else if (strcmp(t->valuestring, "json_schema") == 0) {
            req->format = MLLM_HTTP_FORMAT_JSON_SCHEMA;
            const cJSON *js = cJSON_GetObjectItemCaseSensitive(rf, "json_schema");
            if (!cJSON_IsObject(js)) {
                err_set(e, NULL, "response_format.json_schema", "missing_required_parameter",
                        "Missing required parameter: 'response_format.json_schema'.");
                return false;
            }
        } else if (strcmp(t->valuestring, "text") != 0) {
            err_set(e, NULL, "response_format.type", "invalid_value",
                    "Invalid value: '%.64s'. Supported values are: 'text', 'json_object', and "
                    "'json_schema'.",
                    t->valuestring);
            return false;
        }
    }
    const cJSON *user = f.user;
    if (user && !cJSON_IsString(user) && !cJSON_IsNull(user))
        return bad_type(e, "user", "a string", user);
    req->user = cJSON_IsString(user) ? user->valuestring : "";
    req->model = model->valuestring;

    if (n > s->msgs_cap) {
        mllm_http_message *m2 = realloc(s->msgs, sizeof *m2 * (size_t)n);
        if (m2) {
            s->msgs = m2;
            s->msgs_cap = n;
        }
    }
    *msgs = n <= s->msgs_cap ? s->msgs : NULL;
    buf_reset(&s->scratch);
    if (!*msgs || buf_reserve(&s->scratch, joined + 1) != 0) {
        err_set(e, "server_error", NULL, NULL, "Out of memory.");
        return false;
    }
    i = 0;
    cJSON_ArrayForEach(m, messages)
    {
        message_text(s, m, &(*msgs)[i++]);
    }
    req->messages = *msgs;
    req->nmessages = n;
    req->http = &c->rq;
    return true;
}

/* ---- chat completions: answering ------------------------------------------------------- */

static uint64_t delay_ms(uint64_t us)
{
    uint64_t ms = (us + 500) / 1000;
    return ms > MAX_DELAY_MS ? MAX_DELAY_MS : ms;
}

static void on_deferred(uv_timer_t *t)
{
    conn *c = t->data;
    if (c->closing)
        return;
    mllm_http_buf_append(&c->out, c->pend.data, c->pend.len);
    buf_reset(&c->pend);
    finish(c);
    resume(c);
}

static void defer(conn *c, uint64_t ms)
{
    c->deferred = true;
    c->srv->st.pending_responses++;
    uv_timer_start(&c->timer, on_deferred, ms, 0);
}

/* Writes one SSE event: "data: " + prefix + tail + "\n\n", framed as an
 * HTTP chunk when the stream is chunked. */
static void sse_event(conn *c, const char *prefix, size_t plen, const char *tail, size_t tlen)
{
    size_t n = 6 + plen + tlen + 2;
    if (c->schunked) {
        static const char hex[] = "0123456789abcdef";
        char h[20];
        size_t i = sizeof h;
        h[--i] = '\n';
        h[--i] = '\r';
        do {
            h[--i] = hex[n & 15];
            n >>= 4;
        } while (n);
        mllm_http_buf_append(&c->out, h + i, sizeof h - i);
    }
    mllm_http_buf_append(&c->out, "data: ", 6);
    mllm_http_buf_append(&c->out, prefix, plen);
    mllm_http_buf_append(&c->out, tail, tlen);
    mllm_http_buf_append(&c->out, "\n\n", 2);
    if (c->schunked)
        mllm_http_buf_append(&c->out, "\r\n", 2);
}

/* Next piece of a streamed answer from pos: a word with the spaces before it. */
static size_t next_piece(const char *t, size_t len, size_t pos)
{
    size_t i = pos;
    while (i < len && (t[i] == ' ' || t[i] == '\n'))
        i++;
    while (i < len && t[i] != ' ' && t[i] != '\n')
        i++;
    return i;
}

static void stream_step(uv_timer_t *t)
{
    conn *c = t->data;
    mllm_http *s = c->srv;
    if (c->closing)
        return;
    mllm_http_buf *j = &s->jbuf;
    const char *usage_null = c->susage ? ",\"usage\":null}" : "}";
    if (!c->sstarted) {
        c->sstarted = true;
        char extra[640];
        snprintf(extra, sizeof extra, "Cache-Control: no-cache\r\n%s", c->sextra);
        put_head(c, &c->out, 200, "text/event-stream; charset=utf-8",
                 c->schunked ? LEN_CHUNKED : LEN_NONE, extra);
        buf_reset(j);
        PUT_LIT(j, "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                   "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]");
        mllm_http_buf_puts(j, usage_null);
        sse_event(c, c->sprefix.data, c->sprefix.len, j->data, j->len);
    }
    size_t k = c->sinterval ? c->sper : c->sleft;
    for (; k > 0 && c->sleft > 0; k--, c->sleft--) {
        size_t end = next_piece(c->stext.data, c->stext.len, c->spos);
        buf_reset(j);
        PUT_LIT(j, "{\"index\":0,\"delta\":{\"content\":");
        mllm_http_buf_json_str(j, c->stext.data + c->spos, end - c->spos);
        PUT_LIT(j, "},\"logprobs\":null,\"finish_reason\":null}]");
        mllm_http_buf_puts(j, usage_null);
        sse_event(c, c->sprefix.data, c->sprefix.len, j->data, j->len);
        c->spos = end;
    }
    if (c->sleft > 0) {
        flush(c);
        if (!c->closing)
            uv_timer_start(&c->timer, stream_step, c->sinterval, 0);
        return;
    }
    buf_reset(j);
    PUT_LIT(j, "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":");
    mllm_http_buf_json_str(j, c->sfinish, strlen(c->sfinish));
    PUT_LIT(j, "}]");
    mllm_http_buf_puts(j, usage_null);
    sse_event(c, c->sprefix.data, c->sprefix.len, j->data, j->len);
    if (c->susage) {
        buf_reset(j);
        PUT_LIT(j, "],\"usage\":{\"prompt_tokens\":");
        mllm_http_buf_u64(j, (uint64_t)c->ptok);
        PUT_LIT(j, ",\"completion_tokens\":");
        mllm_http_buf_u64(j, (uint64_t)c->ctok);
        PUT_LIT(j, ",\"total_tokens\":");
        mllm_http_buf_u64(j, (uint64_t)c->ptok + (uint64_t)c->ctok);
        PUT_LIT(j, "}}");
        sse_event(c, c->sprefix.data, c->sprefix.len, j->data, j->len);
    }
    if (c->schunked) {
        mllm_http_buf_puts(&c->out, "e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
    } else {
        mllm_http_buf_puts(&c->out, "data: [DONE]\n\n");
        c->keep_alive = false; /* the end of the stream is the end of the connection */
    }
    c->streaming = false;
    buf_reset(&c->stext);
    buf_reset(&c->sprefix);
    finish(c);
    resume(c);
}

static void start_stream(conn *c, const mllm_http_chat *req, const mllm_http_chat_result *res,
                         const char *model, long long created, const char *extra)
{
    const char *id = res->id;
    mllm_http *s = c->srv;
    buf_reset(&c->stext);
    buf_reset(&c->sprefix);
    mllm_http_buf_append(&c->stext, res->content->data ? res->content->data : "",
                         res->content->len);
    mllm_http_buf *p = &c->sprefix;
    mllm_http_buf_puts(p, "{\"id\":");
    mllm_http_buf_json_str(p, id, strlen(id));
    mllm_http_buf_printf(
        p, ",\"object\":\"chat.completion.chunk\",\"created\":%lld,\"model\":", created);
    mllm_http_buf_json_str(p, model, strlen(model));
    mllm_http_buf_puts(p, ",\"system_fingerprint\":");
    if (res->fingerprint[0])
        mllm_http_buf_json_str(p, res->fingerprint, strlen(res->fingerprint));
    else
        mllm_http_buf_puts(p, "null");
    mllm_http_buf_puts(p, ",\"choices\":[");
    if (c->stext.failed || p->failed) {
        fail(c, 500, NULL, NULL, NULL, "Out of memory.");
        return;
    }
    snprintf(c->sextra, sizeof c->sextra, "%s", extra);
    snprintf(c->sfinish, sizeof c->sfinish, "%s",
             res->finish_reason[0] ? res->finish_reason : "stop");
    c->susage = req->include_usage;
    c->ptok = res->prompt_tokens > 0 ? res->prompt_tokens : 0;
    c->ctok = res->completion_tokens > 0 ? res->completion_tokens : 0;
    c->schunked = !c->http10;
    c->sstarted = false;
    c->streaming = true;
    c->spos = 0;
    size_t n = 0;
    for (size_t pos = 0; pos < c->stext.len; n++)
        pos = next_piece(c->stext.data, c->stext.len, pos);
    c->sleft = n;
    uint64_t ttft = delay_ms(res->ttft_us < res->latency_us ? res->ttft_us : res->latency_us);
    uint64_t total = delay_ms(res->latency_us);
    uint64_t gen = total > ttft ? total - ttft : 0;
    /* The first piece goes with the first chunk at ttft, the last at latency:
     * n - 1 gaps in between. */
    if (n <= 1 || gen == 0) {
        c->sinterval = 0;
        c->sper = n;
    } else if (gen / (n - 1) >= STREAM_TICK_MS) {
        c->sinterval = (unsigned)(gen / (n - 1));
        c->sper = 1;
    } else {
        c->sinterval = STREAM_TICK_MS;
        c->sper = (size_t)(((n - 1) * STREAM_TICK_MS + gen - 1) / gen);
    }
    c->deferred = true;
    s->st.pending_responses++;
    uv_timer_start(&c->timer, stream_step, ttft, 0);
}

/* A bounded string builder for header lines (no printf on the hot path). */
typedef struct sbuild {
    char *p;
    size_t n, len;
} sbuild;

static void sb_put(sbuild *b, const char *s, size_t k)
{
    if (b->len + k >= b->n)
        k = b->n - 1 - b->len;
    memcpy(b->p + b->len, s, k);
    b->len += k;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuild *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_u64(sbuild *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sb_put(b, tmp + i, sizeof tmp - i);
}

/* A duration as OpenAI writes reset times: "120ms", "1s", "6m0s". */
static void sb_duration(sbuild *b, double s)
{
    uint64_t ms = s > 0 ? (uint64_t)(s * 1000 + 0.5) : 0;
    if (ms < 1000) {
        sb_u64(b, ms);
        sb_puts(b, "ms");
    } else if (ms < 60000) {
        sb_u64(b, (ms + 999) / 1000);
        sb_puts(b, "s");
    } else {
        uint64_t t = (ms + 999) / 1000;
        sb_u64(b, t / 60);
        sb_puts(b, "m");
        sb_u64(b, t % 60);
        sb_puts(b, "s");
    }
}

static void answer_chat(conn *c, const mllm_http_chat *req, mllm_http_chat_result *res)
{
    mllm_http *s = c->srv;
    char extra[512];
    sbuild x = {extra, sizeof extra, 0};
    extra[0] = '\0';
    if (res->request_id[0]) {
        sb_puts(&x, "x-request-id: ");
        sb_puts(&x, res->request_id);
        sb_puts(&x, "\r\n");
    }
    const mllm_http_ratelimit *rl = &res->rl;
    if (rl->limit_requests > 0) {
        sb_puts(&x, "x-ratelimit-limit-requests: ");
        sb_u64(&x, (uint64_t)rl->limit_requests);
        sb_puts(&x, "\r\nx-ratelimit-remaining-requests: ");
        sb_u64(&x, rl->remaining_requests > 0 ? (uint64_t)rl->remaining_requests : 0);
        sb_puts(&x, "\r\nx-ratelimit-reset-requests: ");
        sb_duration(&x, rl->reset_s);
        sb_puts(&x, "\r\n");
    }
    if (rl->retry_after_s > 0) {
        sb_puts(&x, "Retry-After: ");
        sb_u64(&x, (uint64_t)rl->retry_after_s);
        sb_puts(&x, "\r\n");
    }
    uint64_t lat = delay_ms(res->latency_us);
    mllm_http_buf *to = lat ? &c->pend : &c->out;
    if (res->status != 200) {
        int status = res->status >= 400 && res->status <= 599 ? res->status : 500;
        send_error(c, to, status, &res->err, extra);
        if (lat)
            defer(c, lat);
        return;
    }
    if (!res->id[0])
        snprintf(res->id, sizeof res->id, "chatcmpl-%016llx", (unsigned long long)++s->next_id);
    const char *model = res->model[0] ? res->model : req->model;
    long long created = (long long)time(NULL);
    if (req->stream) {
        start_stream(c, req, res, model, created, extra);
        return;
    }
    const char *finish = res->finish_reason[0] ? res->finish_reason : "stop";
    mllm_http_buf *j = &s->jbuf;
    buf_reset(j);
    PUT_LIT(j, "{\"id\":");
    mllm_http_buf_json_str(j, res->id, strlen(res->id));
    PUT_LIT(j, ",\"object\":\"chat.completion\",\"created\":");
    mllm_http_buf_u64(j, (uint64_t)created);
    PUT_LIT(j, ",\"model\":");
    mllm_http_buf_json_str(j, model, strlen(model));
    PUT_LIT(j, ",\"system_fingerprint\":");
    if (res->fingerprint[0])
        mllm_http_buf_json_str(j, res->fingerprint, strlen(res->fingerprint));
    else
        PUT_LIT(j, "null");
    PUT_LIT(j, ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    mllm_http_buf_json_str(j, res->content->data ? res->content->data : "", res->content->len);
    PUT_LIT(j, ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":");
    mllm_http_buf_json_str(j, finish, strlen(finish));
    PUT_LIT(j, "}],\"usage\":{\"prompt_tokens\":");
    mllm_http_buf_u64(j, (uint64_t)(res->prompt_tokens > 0 ? res->prompt_tokens : 0));
    PUT_LIT(j, ",\"completion_tokens\":");
    mllm_http_buf_u64(j, (uint64_t)(res->completion_tokens > 0 ? res->completion_tokens : 0));
    PUT_LIT(j, ",\"total_tokens\":");
    mllm_http_buf_u64(j, (uint64_t)((res->prompt_tokens > 0 ? res->prompt_tokens : 0) +
                                    (res->completion_tokens > 0 ? res->completion_tokens : 0)));
    PUT_LIT(j, "}}");
    if (j->failed) {
        fail(c, 500, NULL, NULL, NULL, "Out of memory.");
        return;
    }
    send_body(c, to, 200, "application/json", extra, j->data, j->len);
    if (lat)
        defer(c, lat);
}

static void do_chat(conn *c)
{
    mllm_http *s = c->srv;
    if (c->body.len == 0) {
        fail(c, 400, NULL, NULL, NULL,
             "We could not parse the JSON body of your request: the body is empty. (The API "
             "expects a JSON payload.)");
        return;
    }
    cJSON *root = json_parse(s, c->body.data, c->body.len);
    if (!root) {
        fail(c, 400, NULL, NULL, NULL,
             "We could not parse the JSON body of your request. (HINT: This likely means you "
             "aren't using your HTTP library correctly. The API expects a JSON payload, but what "
             "was sent was not valid JSON.)");
        return;
    }
    mllm_http_chat req;
    mllm_http_message *msgs = NULL;
    mllm_http_error e;
    memset(&req, 0, sizeof req);
    memset(&e, 0, sizeof e);
    if (!check_chat(c, root, &req, &msgs, &e)) {
        send_error(c, &c->out, e.type[0] && strcmp(e.type, "server_error") == 0 ? 500 : 400, &e,
                   NULL);
        goto out;
    }
    mllm_http_chat_result res;
    memset(&res, 0, sizeof res);
    res.status = 200;
    buf_reset(&s->cbuf);
    res.content = &s->cbuf;
    if (!s->cfg.cb.chat) {
        fail(c, 503, NULL, NULL, "unavailable", "No model is being served.");
        goto out;
    }
    s->cfg.cb.chat(s->cfg.cb.ctx, &req, &res);
    if (s->cbuf.failed) {
        fail(c, 500, NULL, NULL, NULL, "The answer could not be written.");
        goto out;
    }
    answer_chat(c, &req, &res);
out:
    json_release(s, root);
}

/* ---- the server ------------------------------------------------------------------------ */

void mllm_http_config_default(mllm_http_config *c)
{
    memset(c, 0, sizeof *c);
    c->bind = "127.0.0.1";
    c->max_header_bytes = 16 * 1024;
    c->max_body_bytes = 1024 * 1024;
    c->max_connections = 1024;
    c->max_messages = 1024;
    c->header_timeout_ms = 10000;
    c->body_timeout_ms = 30000;
    c->idle_timeout_ms = 30000;
    c->write_timeout_ms = 30000;
    c->linger_ms = 2000;
}

static int set_token(token *t, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0 || n > TOKEN_MAX)
        return UV_EINVAL;
    memset(t, 0, sizeof *t);
    memcpy(t->key, v, n);
    t->len = n;
    return 0;
}

int mllm_http_start(uv_loop_t *loop, const mllm_http_config *cfg, mllm_http **out)
{
    *out = NULL;
    if (!loop || !cfg || cfg->max_header_bytes < 64 || cfg->max_connections < 1 ||
        cfg->max_messages < 1 || cfg->port < 0 || cfg->port > 65535)
        return UV_EINVAL;
    /* A client that goes away mid-answer must cost an EPIPE, not the process. */
    struct sigaction sa;
    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
    static bool hooks_installed;
    if (!hooks_installed) {
        cJSON_Hooks hooks = {json_malloc, json_free};
        cJSON_InitHooks(&hooks);
        hooks_installed = true;
    }
    mllm_http *s = calloc(1, sizeof *s);
    if (!s)
        return UV_ENOMEM;
#ifndef __SANITIZE_ADDRESS__
    s->arena = malloc(JSON_ARENA); /* NULL: bodies are parsed with malloc */
#endif
    s->loop = loop;
    s->cfg = *cfg;
    int rc = UV_EINVAL;
    if (set_token(&s->tok[0], cfg->api_key) || set_token(&s->tok[1], cfg->trainee_token) ||
        set_token(&s->tok[2], cfg->trainer_token) ||
        strcmp(cfg->api_key, cfg->trainee_token) == 0 ||
        strcmp(cfg->api_key, cfg->trainer_token) == 0 ||
        strcmp(cfg->trainee_token, cfg->trainer_token) == 0)
        goto err_free;
    snprintf(s->bind, sizeof s->bind, "%s", cfg->bind ? cfg->bind : "127.0.0.1");
    snprintf(s->server_name, sizeof s->server_name, "%s", cfg->server_name ? cfg->server_name : "");
    s->cfg.bind = s->bind;
    s->cfg.api_key = s->cfg.trainee_token = s->cfg.trainer_token = NULL;
    s->settings.on_message_begin = on_message_begin;
    s->settings.on_url = on_url;
    s->settings.on_header_field = on_header_field;
    s->settings.on_header_value = on_header_value;
    s->settings.on_headers_complete = on_headers_complete;
    s->settings.on_body = on_body;
    s->settings.on_message_complete = on_message_complete;

    struct sockaddr_storage addr;
    if (uv_ip4_addr(s->bind, cfg->port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(s->bind, cfg->port, (struct sockaddr_in6 *)&addr) != 0)
        goto err_free;
    uv_tcp_init(loop, &s->listener);
    uv_timer_init(loop, &s->sweep);
    s->listener.data = s;
    s->sweep.data = s;
    s->handles = 2;
    rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&s->listener, 511, on_connection);
    if (rc != 0)
        goto err_close;
    struct sockaddr_storage got;
    int len = sizeof got;
    uv_tcp_getsockname(&s->listener, (struct sockaddr *)&got, &len);
    s->port = got.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&got)->sin6_port)
                                        : ntohs(((struct sockaddr_in *)&got)->sin_port);
    unsigned tmin = cfg->header_timeout_ms;
    unsigned others[] = {cfg->body_timeout_ms, cfg->idle_timeout_ms, cfg->write_timeout_ms,
                         cfg->linger_ms};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (others[i] < tmin)
            tmin = others[i];
    uint64_t every = tmin / 4;
    every = every < 5 ? 5 : every > 1000 ? 1000 : every;
    uv_timer_start(&s->sweep, on_sweep, every, every);
    uv_unref((uv_handle_t *)&s->sweep); /* the listener alone keeps the loop alive */
    *out = s;
    return 0;
err_close:
    s->closing = true;
    uv_close((uv_handle_t *)&s->listener, NULL);
    uv_close((uv_handle_t *)&s->sweep, NULL);
    /* The handles are embedded in s: let libuv finish closing them first. */
    uv_run(loop, UV_RUN_NOWAIT);
err_free:
    free(s->arena);
    free(s);
    return rc;
}

int mllm_http_port(const mllm_http *s)
{
    return s->port;
}

static void maybe_free_server(mllm_http *s)
{
    if (!s->closing || s->handles > 0 || s->live_conns > 0)
        return;
    mllm_http_buf_release(&s->jbuf);
    mllm_http_buf_release(&s->cbuf);
    mllm_http_buf_release(&s->scratch);
    free(s->msgs);
    free(s->arena);
    free(s);
}

static void on_server_closed(uv_handle_t *h)
{
    mllm_http *s = h->data;
    s->handles--;
    maybe_free_server(s);
}

void mllm_http_close(mllm_http *s)
{
    if (!s || s->closing)
        return;
    s->closing = true;
    while (s->conns)
        conn_close(s->conns);
    uv_close((uv_handle_t *)&s->listener, on_server_closed);
    uv_close((uv_handle_t *)&s->sweep, on_server_closed);
}

void mllm_http_get_stats(const mllm_http *s, mllm_http_stats *st)
{
    *st = s->st;
    st->connections_open = s->nconns;
}
