/* mllm_http.c - the HTTP/1.1 transport: connections, parsing, limits, auth, routing.
 *
 * One connection handles one request at a time: the parser pauses at the end
 * of each message, the request is answered (at once, or later from a libuv
 * timer when the answer is delayed or streamed), and only then are the bytes
 * that followed it parsed, so pipelined answers always leave in order. While
 * an answer is pending the connection stops reading. Read deadlines live in
 * each connection and one sweep timer enforces them, so a request costs no
 * timer operations. The OpenAI shapes (chat checks, answers, SSE) follow
 * the transport in the second half of the file.
 *
 * Cost per request, the design's other constraint: one read and one write
 * (headers and body leave in one buffer), no timer, no allocation once the
 * buffers have grown, a chat body read by a scanner that never allocates
 * (cJSON only for what it does not handle), answers written by plain copies
 * into a reserved buffer. `BENCH_CALLGRIND=N tests/bench/bench_http.sh`
 * counts the instructions. */
#include "mllm_http.h"

#include <limits.h>
#include <locale.h>
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
    uv_tcp_t tcp;     /* unused by an in-memory connection (mem != NULL) */
    uv_timer_t timer; /* delayed answer, SSE pacing */
    mllm_http_buf *mem; /* in-memory connection (mllm_http_serve_bytes): output goes here */
    bool mem_shut;      /* ... and its write side was shut: the driver completes it */
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
    size_t tok_window;    /* bytes of a token compared: see token_eq */
    char bind[64];
    char server_name[64];
    int port;
    conn *conns;
    http_parser_settings settings;
    uint64_t next_id;
    mllm_http_stats st;
    char date[40]; /* the Date header's value */
    size_t date_len;
    time_t date_t; /* the second it shows */
    time_t wall_s; /* wall clock read at loop time wall_ms */
    uint64_t wall_ms;
    /* Shared scratch: callbacks run one at a time on the loop thread. */
    mllm_http_buf jbuf;          /* JSON being built */
    mllm_http_buf cbuf;          /* what a callback writes */
    mllm_http_chat_parser *chat; /* reads chat bodies */
    mllm_http_model models[MAX_MODELS];
    char slab[64 * 1024]; /* read buffer */
};

static void dispatch(conn *c);
static void resume(conn *c);

const char *const mllm_http_role_names[] = {"none", "api", "trainee", "trainer", NULL};

/* ---- buffers -------------------------------------------------------------------------- */

/* Eight bytes at a time (SWAR) where the byte order allows: the JSON scanner
 * and writer look for a few special bytes in long runs of plain text. Each
 * test below is non-zero when some byte of x matches, and its lowest set bit
 * marks the first match exactly (the borrows that make false marks only run
 * upwards, from a true match). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HAVE_SWAR 1
#if defined(__SSE2__)
#include <emmintrin.h> /* sixteen at a time: SSE2 is part of every x86-64 */
#define HAVE_SSE2 1
#endif
#endif
#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGH 0x8080808080808080ull

/* A byte of x is zero. */
static inline uint64_t swar_zero(uint64_t x)
{
    return (x - SWAR_ONES) & ~x & SWAR_HIGH;
}

/* A byte of x is below 0x20 or above 0x7f, or a quote or a backslash: what
 * a JSON string writer cannot copy as it is. */
static inline uint64_t swar_json_special(uint64_t x)
{
    return (x & SWAR_HIGH) | ((x - SWAR_ONES * 0x20) & ~x & SWAR_HIGH) |
           swar_zero(x ^ (SWAR_ONES * '"')) | swar_zero(x ^ (SWAR_ONES * '\\'));
}

/* x with its ASCII capital letters made small. */
static inline uint64_t swar_lower(uint64_t x)
{
    uint64_t low7 = x & ~SWAR_HIGH; /* no carry out of a byte below */
    uint64_t from_a = low7 + SWAR_ONES * (0x80 - 'A'), past_z = low7 + SWAR_ONES * (0x80 - 'Z' - 1);
    return x | ((from_a & ~past_z & ~x & SWAR_HIGH) >> 2);
}

/* Length of the run of bytes from s (n bytes) that a JSON string takes as
 * they are: printable ASCII but the quote and the backslash. */
static inline size_t json_plain_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
#ifdef HAVE_SSE2
    /* Signed, bytes from 0x80 are below 0x20 too. */
    const __m128i sp = _mm_set1_epi8(0x20), q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_cmplt_epi8(v, sp),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
#ifdef HAVE_SWAR
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t m = swar_json_special(x);
        if (m)
            return i + (size_t)(__builtin_ctzll(m) >> 3);
    }
#endif
    while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
        i++;
    return i;
}

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

/* Writes s[0..n) at o as a quoted JSON string (see mllm_http_buf_json_str);
 * o has room for 6 * n + 2 bytes. Returns the end. */
static char *w_json_str(char *o, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        /* Copy a run of plain ASCII at once: most answers are nothing else. */
        size_t run = json_plain_run(s + i, n - i);
        memcpy(o, s + i, run);
        o += run;
        i += run;
        if (i == n)
            break;
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
    return o;
}

int mllm_http_buf_json_str(mllm_http_buf *b, const char *str, size_t n)
{
    /* Worst case 6 bytes per input byte, plus the quotes. */
    if (n > (MLLM_HTTP_BUF_MAX - 2) / 6 || buf_reserve(b, n * 6 + 2) != 0) {
        b->failed = true;
        return UV_ENOMEM;
    }
    b->len = (size_t)(w_json_str(b->data + b->len, str, n) - b->data);
    return 0;
}

/* Two digits per division. */
char *mllm_http_put_u64(char *o, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char tmp[20], *p = tmp + sizeof tmp;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = pairs[d + 1];
        *--p = pairs[d];
    }
    if (v >= 10) {
        *--p = pairs[v * 2 + 1];
        *--p = pairs[v * 2];
    } else
        *--p = (char)('0' + v);
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(o, p, n);
    return o + n;
}

static char *w_mem(char *o, const void *p, size_t n)
{
    memcpy(o, p, n);
    return o + n;
}

/* Writes a string literal at o, moving o past it. */
#define W_LIT(o, lit) ((o) = w_mem((o), (lit), sizeof(lit) - 1))

int mllm_http_buf_u64(mllm_http_buf *b, uint64_t v)
{
    if (buf_reserve(b, 20) != 0)
        return UV_ENOMEM;
    b->len = (size_t)(mllm_http_put_u64(b->data + b->len, v) - b->data);
    return 0;
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

int mllm_http_buf_reserve(mllm_http_buf *b, size_t n)
{
    return buf_reserve(b, n);
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

/* Wall-clock seconds, read at most once per loop iteration (uv_now() moves
 * once per iteration): the Date header and the `created` of completions. */
static time_t wall_now(mllm_http *s)
{
    uint64_t ms = uv_now(s->loop);
    if (ms != s->wall_ms || s->wall_s == 0) {
        s->wall_ms = ms;
        s->wall_s = time(NULL);
    }
    return s->wall_s;
}

static const char *http_date(mllm_http *s)
{
    time_t now = wall_now(s);
    if (now != s->date_t) {
        struct tm tm;
        gmtime_r(&now, &tm);
        s->date_len = strftime(s->date, sizeof s->date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        s->date_t = now;
    }
    return s->date;
}

/* The status line and headers: one reservation, then plain copies (this
 * runs for every response). */
static void put_head(conn *c, mllm_http_buf *to, int status, const char *ctype, size_t clen,
                     const char *extra)
{
    mllm_http *s = c->srv;
    const char *reason = mllm_http_reason(status);
    const char *date = http_date(s);
    size_t rn = strlen(reason), sn = strlen(s->server_name), tn = ctype ? strlen(ctype) : 0;
    size_t xn = extra ? strlen(extra) : 0;
    /* 160: the fixed text below, with 20 digits for the status and the length. */
    if (buf_reserve(to, 160 + rn + s->date_len + sn + tn + xn) != 0)
        return;
    char *o = to->data + to->len;
    W_LIT(o, "HTTP/1.1 ");
    o = mllm_http_put_u64(o, (uint64_t)(status < 0 ? 0 : status));
    *o++ = ' ';
    o = w_mem(o, reason, rn);
    W_LIT(o, "\r\nDate: ");
    o = w_mem(o, date, s->date_len);
    W_LIT(o, "\r\n");
    if (sn) {
        W_LIT(o, "Server: ");
        o = w_mem(o, s->server_name, sn);
        W_LIT(o, "\r\n");
    }
    if (ctype) {
        W_LIT(o, "Content-Type: ");
        o = w_mem(o, ctype, tn);
        W_LIT(o, "\r\n");
    }
    if (clen == LEN_CHUNKED)
        W_LIT(o, "Transfer-Encoding: chunked\r\n");
    else if (clen != LEN_NONE) {
        W_LIT(o, "Content-Length: ");
        o = mllm_http_put_u64(o, clen);
        W_LIT(o, "\r\n");
    }
    if (!c->keep_alive)
        W_LIT(o, "Connection: close\r\n");
    else if (c->http10)
        W_LIT(o, "Connection: keep-alive\r\n");
    if (xn)
        o = w_mem(o, extra, xn);
    W_LIT(o, "\r\n");
    to->len = (size_t)(o - to->data);
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
    if (!c->mem)
        uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
    uv_close((uv_handle_t *)&c->timer, on_conn_closed);
}

static void read_pause(conn *c)
{
    if (c->reading) {
        if (!c->mem)
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
    if (!c->mem && uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        conn_close(c);
        return;
    }
    c->reading = true;
}

/* The write side is shut (status 0) or could not be. */
static void shut_done(conn *c, int status)
{
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

static void on_shutdown(uv_shutdown_t *r, int status)
{
    shut_done(r->data, status);
}

static void start_linger(conn *c)
{
    if (c->closing || c->phase == PH_LINGER)
        return;
    c->phase = PH_LINGER;
    c->deadline = uv_now(c->srv->loop) + c->srv->cfg.linger_ms;
    c->shut.data = c;
    if (c->mem)
        c->mem_shut = true; /* completed by mllm_http_serve_bytes, as libuv would later */
    else if (uv_shutdown(&c->shut, (uv_stream_t *)&c->tcp, on_shutdown) != 0)
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
    if (c->mem) {
        mllm_http_buf_append(c->mem, c->out.data, c->out.len);
        s->st.bytes_out += c->out.len;
        c->out.len = 0;
        write_idle(c);
        return;
    }
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

/* nread bytes at data arrived, or the end of input (nread < 0). */
static void conn_input(conn *c, ssize_t nread, const char *data)
{
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
    process(c, data, (size_t)nread);
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    conn_input(st->data, nread, buf->base);
}

/* ---- parser callbacks ------------------------------------------------------------------ */

static int hput(conn *c, const char *p, size_t n, bool lower)
{
    if (c->rq.hlen + n + 1 > c->srv->cfg.max_header_bytes) {
        c->err_status = 431;
        return -1;
    }
    char *o = c->rq.hbuf + c->rq.hlen;
    if (lower) {
        size_t i = 0;
#ifdef HAVE_SWAR
        for (; i + 8 <= n; i += 8) {
            uint64_t x;
            memcpy(&x, p + i, 8);
            x = swar_lower(x);
            memcpy(o + i, &x, 8);
        }
#endif
        for (; i < n; i++)
            o[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] + 32) : p[i];
    } else
        memcpy(o, p, n);
    c->rq.hlen += n;
    return 0;
}

/* Ends the URL, a header name or a value. */
static int hput_end(conn *c)
{
    if (c->rq.hlen + 2 > c->srv->cfg.max_header_bytes) {
        c->err_status = 431;
        return -1;
    }
    c->rq.hbuf[c->rq.hlen++] = '\0';
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
        if (hput_end(c) != 0) /* ends the URL or the previous value */
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
        if (hput_end(c) != 0)
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
        if (hput_end(c) != 0)
            return -1;
        c->rq.val_off[c->rq.nh - 1] = (uint32_t)c->rq.hlen;
    }
    if (c->last == L_NONE) /* no URL at all */
        c->rq.hbuf[c->rq.hlen] = '\0';
    else if (hput_end(c) != 0)
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

/* Constant time in the configured token: the presented token, zero-padded,
 * is compared word by word with the first `window` bytes of the padded key,
 * whatever the input. The window is the longest configured token rounded up
 * to 8 (mllm_http.tok_window): it depends on the configuration alone, and
 * covers every byte of a key and of a presented token of the same length. */
static bool token_eq(const unsigned char *in, size_t alen, const token *k, size_t window)
{
    uint64_t d = (uint64_t)(alen ^ k->len);
    for (size_t i = 0; i < window; i += 8) {
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
    const mllm_http *s = c->srv;
    size_t w = s->tok_window;
    unsigned char in[TOKEN_MAX];
    memset(in, 0, w);
    memcpy(in, h, n < w ? n : w); /* longer than every key: no match, whatever the bytes */
    bool api = token_eq(in, n, &s->tok[0], w);
    bool trainee = token_eq(in, n, &s->tok[1], w);
    bool trainer = token_eq(in, n, &s->tok[2], w);
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

/* A new connection in the server's list: over TCP (mem NULL; the caller
 * accepts into c->tcp), or in memory with its output going to mem. */
static conn *conn_new(mllm_http *s, mllm_http_buf *mem)
{
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->srv = s;
    c->mem = mem;
    if (!mem) {
        uv_tcp_init(s->loop, &c->tcp);
        c->tcp.data = c;
        c->handles++;
    }
    uv_timer_init(s->loop, &c->timer);
    c->timer.data = c;
    c->handles++;
    s->live_conns++;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    c->keep_alive = true;
    c->phase = PH_FRESH;
    c->deadline = uv_now(s->loop) + s->cfg.header_timeout_ms;
    return c;
}

static void on_connection(uv_stream_t *server, int status)
{
    mllm_http *s = server->data;
    if (status < 0 || s->closing)
        return;
    conn *c = conn_new(s, NULL);
    if (!c)
        return; /* stays in the backlog; retried on the next connection */
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        conn_close(c);
        return;
    }
    s->st.connections_total++;
    uv_tcp_nodelay(&c->tcp, 1);
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

/* ---- chat completions: reading the request -------------------------------------------- */

/* A chat body is read by one of two extractors - a scanner over the bytes, or
 * cJSON's tree for what the scanner does not handle - into one summary
 * (chat_sum: every field the checks look at, the first occurrence of each key
 * as with cJSON_GetObjectItem), and one set of checks turns the summary into
 * the request or an error. The error texts therefore cannot depend on who
 * parsed the body; tests/unit/test_mllm_http.c compares both extractors on a
 * table of bodies and on random mutations of them. */

/* A JSON value as the checks see it. */
enum jkind { JK_ABSENT, JK_NULL, JK_FALSE, JK_TRUE, JK_NUMBER, JK_STRING, JK_ARRAY, JK_OBJECT };

typedef struct jval {
    unsigned char kind;
    double num;      /* JK_NUMBER */
    const char *str; /* JK_STRING, when extracted: NUL-terminated */
    size_t len;      /* its length */
} jval;

/* What is wrong with the first faulty part of a message's content array. */
enum part_fault { PF_NONE, PF_NOT_OBJECT, PF_NO_TYPE, PF_TYPE, PF_NO_TEXT, PF_TEXT };

/* One message as the checks see it. */
typedef struct msg_sum {
    jval self;    /* the message: JK_OBJECT, or what it is instead */
    jval role;    /* its role (extracted) */
    int role_k;   /* its index in chat_roles, -1 when none */
    jval content; /* its content (kind; a string content is extracted) */
    int part;     /* index of the first faulty part (fault != PF_NONE) */
    unsigned char fault;
    jval got; /* the faulty part, or its faulty type or text */
} msg_sum;

/* The fields of a chat request, found by either extractor. */
typedef struct chat_sum {
    jval model, messages, stream, stream_options, include_usage, max_tokens, mct, n, temperature,
        top_p, presence_penalty, frequency_penalty, response_format, rf_type, rf_schema, user;
    int nmessages; /* when messages is an array */
    int bad;       /* the first message that fails its checks, or -1 */
    msg_sum bad_msg;
} chat_sum;

/* The server's chat parser: the extracted strings and messages of the body
 * parsed last (valid until the next parse), and an arena for cJSON's nodes. */
struct mllm_http_chat_parser {
    int max_messages;
    mllm_http_buf scratch;   /* extracted strings and joined contents */
    mllm_http_message *msgs; /* the messages of the request */
    int msgs_cap;
    cJSON *root; /* the tree of a body cJSON parsed, until the next parse */
    char *arena; /* cJSON nodes (JSON_ARENA bytes; NULL: malloc) */
    size_t arena_used;
};

static const char *kind_name(const jval *v)
{
    switch (v->kind) {
    case JK_STRING:
        return "a string";
    case JK_FALSE:
    case JK_TRUE:
        return "a boolean";
    case JK_NULL:
        return "null";
    case JK_ARRAY:
        return "an array";
    case JK_OBJECT:
        return "an object";
    case JK_NUMBER:
        return v->num == floor(v->num) ? "an integer" : "a number";
    default:
        return "an unknown value";
    }
}

static bool bad_type(mllm_http_error *e, const char *param, const char *want, const jval *got)
{
    err_set(e, NULL, param, "invalid_type",
            "Invalid type for '%s': expected %s, but got %s instead.", param, want, kind_name(got));
    return false;
}

/* An optional integer in [lo, hi]; absent or null leaves *out. */
static bool opt_int(const jval *j, const char *name, long lo, long hi, long *out,
                    mllm_http_error *e)
{
    if (j->kind == JK_ABSENT || j->kind == JK_NULL)
        return true;
    if (j->kind != JK_NUMBER || j->num != floor(j->num) || fabs(j->num) > 1e15)
        return bad_type(e, name, "an integer", j);
    if (j->num < (double)lo) {
        err_set(e, NULL, name, "integer_below_min_value",
                "Invalid '%s': integer below minimum value. Expected a value >= %ld, but got %.0f "
                "instead.",
                name, lo, j->num);
        return false;
    }
    if (j->num > (double)hi) {
        err_set(e, NULL, name, "integer_above_max_value",
                "Invalid '%s': integer above maximum value. Expected a value <= %ld, but got %.0f "
                "instead.",
                name, hi, j->num);
        return false;
    }
    *out = (long)j->num;
    return true;
}

static bool opt_number(const jval *j, const char *name, double lo, double hi, mllm_http_error *e)
{
    if (j->kind == JK_ABSENT || j->kind == JK_NULL)
        return true;
    if (j->kind != JK_NUMBER)
        return bad_type(e, name, "a number", j);
    if (j->num < lo || j->num > hi) {
        err_set(e, NULL, name, j->num < lo ? "decimal_below_min_value" : "decimal_above_max_value",
                "Invalid '%s': expected a value between %g and %g, but got %g instead.", name, lo,
                hi, j->num);
        return false;
    }
    return true;
}

static const char *const chat_roles[] = {"system", "developer", "user", "assistant",
                                         "tool",   "function",  NULL};

/* Index of a role (n bytes) in chat_roles, or -1. (Comparisons of constant
 * sizes, which compilers do inline.) */
static int role_index(const char *r, size_t n)
{
    switch (n) {
    case 4:
        return memcmp(r, "user", 4) == 0 ? 2 : memcmp(r, "tool", 4) == 0 ? 4 : -1;
    case 6:
        return memcmp(r, "system", 6) == 0 ? 0 : -1;
    case 8:
        return memcmp(r, "function", 8) == 0 ? 5 : -1;
    case 9:
        return memcmp(r, "assistant", 9) == 0 ? 3 : memcmp(r, "developer", 9) == 0 ? 1 : -1;
    default:
        return -1;
    }
}

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

/* The checks of message i. */
static bool check_message(const msg_sum *m, int i, mllm_http_error *e)
{
    char p[80];
    if (m->self.kind != JK_OBJECT)
        return bad_type(e, mpath(p, sizeof p, i, -1, ""), "an object", &m->self);
    if (m->role.kind == JK_ABSENT)
        return missing(e, mpath(p, sizeof p, i, -1, "role"));
    if (m->role.kind != JK_STRING)
        return bad_type(e, mpath(p, sizeof p, i, -1, "role"), "a string", &m->role);
    if (m->role_k < 0) {
        err_set(e, NULL, mpath(p, sizeof p, i, -1, "role"), "invalid_value",
                "Invalid value: '%.64s'. Supported values are: 'system', 'assistant', 'user', "
                "'function', 'tool', and 'developer'.",
                m->role.str);
        return false;
    }
    const jval *content = &m->content;
    if (content->kind == JK_ABSENT) {
        if (m->role_k == 3)
            return true; /* an assistant's tool calls only */
        return missing(e, mpath(p, sizeof p, i, -1, "content"));
    }
    if (content->kind == JK_STRING || content->kind == JK_NULL)
        return true;
    if (content->kind != JK_ARRAY)
        return bad_type(e, mpath(p, sizeof p, i, -1, "content"),
                        "one of a string or array of objects", content);
    int j = m->part;
    switch (m->fault) {
    case PF_NOT_OBJECT:
        return bad_type(e, mpath(p, sizeof p, i, j, ""), "an object", &m->got);
    case PF_NO_TYPE:
        return missing(e, mpath(p, sizeof p, i, j, "type"));
    case PF_TYPE:
        return bad_type(e, mpath(p, sizeof p, i, j, "type"), "a string", &m->got);
    case PF_NO_TEXT:
        return missing(e, mpath(p, sizeof p, i, j, "text"));
    case PF_TEXT:
        return bad_type(e, mpath(p, sizeof p, i, j, "text"), "a string", &m->got);
    default:
        return true;
    }
}

/* Notes message i when it is the first to fail its checks. */
static void note_message(chat_sum *f, const msg_sum *m, int i)
{
    mllm_http_error e;
    if (f->bad < 0 && !check_message(m, i, &e)) {
        f->bad = i;
        f->bad_msg = *m;
    }
}

/* The checks of a whole request, in the order that decides which error is
 * reported; fills what they establish into req. */
static bool check_chat(const chat_sum *f, int max_messages, mllm_http_chat *req, mllm_http_error *e)
{
    const jval *model = &f->model;
    if (model->kind == JK_ABSENT || model->kind == JK_NULL) {
        err_set(e, NULL, "model", "missing_required_parameter",
                "You must provide a model parameter.");
        return false;
    }
    if (model->kind != JK_STRING)
        return bad_type(e, "model", "a string", model);
    if (!model->str[0]) {
        err_set(e, NULL, "model", "invalid_value", "Invalid 'model': empty string.");
        return false;
    }
    if (f->messages.kind == JK_ABSENT) {
        err_set(e, NULL, "messages", "missing_required_parameter",
                "Missing required parameter: 'messages'.");
        return false;
    }
    if (f->messages.kind != JK_ARRAY)
        return bad_type(e, "messages", "an array", &f->messages);
    int n = f->nmessages;
    if (n == 0) {
        err_set(e, NULL, "messages", "empty_array",
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but "
                "got an empty array instead.");
        return false;
    }
    if (n > max_messages) {
        err_set(e, NULL, "messages", "array_above_max_length",
                "Invalid 'messages': array too long. Expected an array with maximum length %d, "
                "but got an array with length %d instead.",
                max_messages, n);
        return false;
    }
    if (f->bad >= 0)
        return check_message(&f->bad_msg, f->bad, e);
    const jval *stream = &f->stream;
    if (stream->kind != JK_ABSENT && stream->kind != JK_TRUE && stream->kind != JK_FALSE &&
        stream->kind != JK_NULL)
        return bad_type(e, "stream", "a boolean", stream);
    req->stream = stream->kind == JK_TRUE;
    const jval *so = &f->stream_options;
    if (so->kind != JK_ABSENT && so->kind != JK_NULL) {
        if (so->kind != JK_OBJECT)
            return bad_type(e, "stream_options", "an object", so);
        if (!req->stream) {
            err_set(e, NULL, "stream_options", "invalid_value",
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
            return false;
        }
        const jval *iu = &f->include_usage;
        if (iu->kind != JK_ABSENT && iu->kind != JK_TRUE && iu->kind != JK_FALSE &&
            iu->kind != JK_NULL)
            return bad_type(e, "stream_options.include_usage", "a boolean", iu);
        req->include_usage = iu->kind == JK_TRUE;
    }
    long max_tokens = 0, mct = 0, nchoices = 1;
    if (!opt_int(&f->max_tokens, "max_tokens", 1, INT_MAX, &max_tokens, e) ||
        !opt_int(&f->mct, "max_completion_tokens", 1, INT_MAX, &mct, e) ||
        !opt_int(&f->n, "n", 1, 128, &nchoices, e) ||
        !opt_number(&f->temperature, "temperature", 0, 2, e) ||
        !opt_number(&f->top_p, "top_p", 0, 1, e) ||
        !opt_number(&f->presence_penalty, "presence_penalty", -2, 2, e) ||
        !opt_number(&f->frequency_penalty, "frequency_penalty", -2, 2, e))
        return false;
    if (nchoices != 1) {
        err_set(e, NULL, "n", "unsupported_value",
                "Unsupported value: 'n' must be 1 here (one choice per request).");
        return false;
    }
    req->max_tokens = (int)(mct ? mct : max_tokens);
    const jval *rf = &f->response_format;
    req->format = MLLM_HTTP_FORMAT_TEXT;
    if (rf->kind != JK_ABSENT && rf->kind != JK_NULL) {
        if (rf->kind != JK_OBJECT)
            return bad_type(e, "response_format", "an object", rf);
        const jval *t = &f->rf_type;
        if (t->kind != JK_STRING)
            return t->kind != JK_ABSENT
                       ? bad_type(e, "response_format.type", "a string", t)
                       : (err_set(e, NULL, "response_format.type", "missing_required_parameter",
                                  "Missing required parameter: 'response_format.type'."),
                          false);
        if (strcmp(t->str, "json_object") == 0)
            req->format = MLLM_HTTP_FORMAT_JSON_OBJECT;
        else if (strcmp(t->str, "json_schema") == 0) {
            req->format = MLLM_HTTP_FORMAT_JSON_SCHEMA;
            if (f->rf_schema.kind != JK_OBJECT) {
                err_set(e, NULL, "response_format.json_schema", "missing_required_parameter",
                        "Missing required parameter: 'response_format.json_schema'.");
                return false;
            }
        } else if (strcmp(t->str, "text") != 0) {
            err_set(e, NULL, "response_format.type", "invalid_value",
                    "Invalid value: '%.64s'. Supported values are: 'text', 'json_object', and "
                    "'json_schema'.",
                    t->str);
            return false;
        }
    }
    const jval *user = &f->user;
    if (user->kind != JK_ABSENT && user->kind != JK_STRING && user->kind != JK_NULL)
        return bad_type(e, "user", "a string", user);
    req->user = user->kind == JK_STRING ? user->str : "";
    req->model = model->str;
    req->nmessages = n;
    return true;
}

/* Room for `n` messages in p->msgs. */
static bool msgs_reserve(mllm_http_chat_parser *p, int n)
{
    if (n <= p->msgs_cap)
        return true;
    int cap = p->msgs_cap ? p->msgs_cap : 8;
    while (cap < n)
        cap *= 2;
    if (cap > p->max_messages)
        cap = p->max_messages > n ? p->max_messages : n;
    mllm_http_message *m = realloc(p->msgs, sizeof *m * (size_t)cap);
    if (!m)
        return false;
    p->msgs = m;
    p->msgs_cap = cap;
    return true;
}

/* ---- the cJSON extractor ---- */

/* A chat body parses into a few dozen small cJSON nodes. They are taken from a
 * per-parser arena that is reset for each request, through cJSON's allocator
 * hooks, instead of as many malloc/free pairs. The hooks are process-wide
 * (installed once) but act only on the thread and during the parse that set
 * `json_arena`; every other allocation, and any arena overflow, goes to
 * malloc, and free() ignores only pointers inside the arena. Under
 * AddressSanitizer there is no arena, so that every node stays checked. */
#define JSON_ARENA (64u << 10)

static _Thread_local mllm_http_chat_parser *json_arena; /* whose arena serves allocations now */
static _Thread_local char *json_arena_base;             /* the arena whose pointers free() skips */

static void *json_malloc(size_t n)
{
    mllm_http_chat_parser *p = json_arena;
    if (p) {
        size_t k = (n + 15) & ~(size_t)15;
        if (k >= n && JSON_ARENA - p->arena_used >= k) {
            void *r = p->arena + p->arena_used;
            p->arena_used += k;
            return r;
        }
    }
    return malloc(n);
}

static void json_free(void *ptr)
{
    char *b = json_arena_base;
    if (b && (char *)ptr >= b && (char *)ptr < b + JSON_ARENA)
        return; /* reclaimed when the arena is reset */
    free(ptr);
}

static void json_hooks_install(void)
{
    static bool installed;
    if (!installed) {
        cJSON_Hooks hooks = {json_malloc, json_free};
        cJSON_InitHooks(&hooks);
        installed = true;
    }
}

/* Frees the tree of the last body cJSON parsed. */
static void json_release(mllm_http_chat_parser *p)
{
    if (!p->root)
        return;
    json_arena_base = p->arena;
    cJSON_Delete(p->root);
    json_arena_base = NULL;
    p->root = NULL;
}

static cJSON *json_parse(mllm_http_chat_parser *p, const char *text, size_t len)
{
    json_release(p);
    p->arena_used = 0;
    json_arena = p->arena ? p : NULL;
    json_arena_base = p->arena;
    p->root = cJSON_ParseWithLength(text, len);
    json_arena = NULL;
    json_arena_base = NULL;
    return p->root;
}

static jval jv_of(const cJSON *j)
{
    jval v = {JK_ABSENT, 0, NULL, 0};
    if (!j)
        return v;
    if (cJSON_IsNull(j))
        v.kind = JK_NULL;
    else if (cJSON_IsFalse(j))
        v.kind = JK_FALSE;
    else if (cJSON_IsTrue(j))
        v.kind = JK_TRUE;
    else if (cJSON_IsNumber(j)) {
        v.kind = JK_NUMBER;
        v.num = j->valuedouble;
    } else if (cJSON_IsString(j)) {
        v.kind = JK_STRING;
        v.str = j->valuestring;
        v.len = strlen(j->valuestring);
    } else if (cJSON_IsArray(j))
        v.kind = JK_ARRAY;
    else if (cJSON_IsObject(j))
        v.kind = JK_OBJECT;
    return v;
}

static const cJSON *item(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static void msg_from_cjson(const cJSON *m, msg_sum *ms)
{
    memset(ms, 0, sizeof *ms);
    ms->role_k = -1;
    ms->self = jv_of(m);
    if (!cJSON_IsObject(m))
        return;
    ms->role = jv_of(item(m, "role"));
    ms->role_k = ms->role.kind == JK_STRING ? role_index(ms->role.str, ms->role.len) : -1;
    const cJSON *content = item(m, "content");
    ms->content = jv_of(content);
    if (!cJSON_IsArray(content))
        return;
    int j = 0;
    const cJSON *part;
    cJSON_ArrayForEach(part, content)
    {
        const cJSON *type = item(part, "type"), *text = item(part, "text");
        ms->part = j++;
        if (!cJSON_IsObject(part)) {
            ms->fault = PF_NOT_OBJECT;
            ms->got = jv_of(part);
        } else if (!type)
            ms->fault = PF_NO_TYPE;
        else if (!cJSON_IsString(type)) {
            ms->fault = PF_TYPE;
            ms->got = jv_of(type);
        } else if (strcmp(type->valuestring, "text") == 0 && !text)
            ms->fault = PF_NO_TEXT;
        else if (strcmp(type->valuestring, "text") == 0 && !cJSON_IsString(text)) {
            ms->fault = PF_TEXT;
            ms->got = jv_of(text);
        }
        if (ms->fault != PF_NONE)
            return;
    }
}

/* The top-level fields of a chat request, found in one pass over the object
 * (the first of duplicate keys wins, as with cJSON_GetObjectItem). */
static void sum_from_cjson(const cJSON *root, int max_messages, chat_sum *f)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"model", offsetof(chat_sum, model)},
        {"messages", offsetof(chat_sum, messages)},
        {"stream", offsetof(chat_sum, stream)},
        {"stream_options", offsetof(chat_sum, stream_options)},
        {"max_tokens", offsetof(chat_sum, max_tokens)},
        {"max_completion_tokens", offsetof(chat_sum, mct)},
        {"n", offsetof(chat_sum, n)},
        {"temperature", offsetof(chat_sum, temperature)},
        {"top_p", offsetof(chat_sum, top_p)},
        {"presence_penalty", offsetof(chat_sum, presence_penalty)},
        {"frequency_penalty", offsetof(chat_sum, frequency_penalty)},
        {"response_format", offsetof(chat_sum, response_format)},
        {"user", offsetof(chat_sum, user)},
    };
    const cJSON *found[sizeof keys / sizeof keys[0]] = {0};
    memset(f, 0, sizeof *f);
    f->bad = -1;
    for (const cJSON *j = root->child; j; j = j->next) {
        if (!j->string)
            continue;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            if (j->string[0] == keys[k].key[0] && strcmp(j->string, keys[k].key) == 0) {
                if (!found[k]) {
                    found[k] = j;
                    *(jval *)((char *)f + keys[k].off) = jv_of(j);
                }
                break;
            }
    }
    const cJSON *so = found[3], *rf = found[11], *messages = found[1];
    if (cJSON_IsObject(so))
        f->include_usage = jv_of(item(so, "include_usage"));
    if (cJSON_IsObject(rf)) {
        f->rf_type = jv_of(item(rf, "type"));
        f->rf_schema = jv_of(item(rf, "json_schema"));
    }
    if (!cJSON_IsArray(messages))
        return;
    f->nmessages = cJSON_GetArraySize(messages);
    if (f->nmessages > max_messages)
        return;
    int i = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, messages)
    {
        msg_sum ms;
        msg_from_cjson(m, &ms);
        note_message(f, &ms, i++);
        if (f->bad >= 0)
            return;
    }
}

/* The text of message m (an array of content parts joined with newlines into
 * the scratch, which has room for them). */
static void message_text(mllm_http_chat_parser *p, const cJSON *m, mllm_http_message *out)
{
    const cJSON *role = item(m, "role"), *content = item(m, "content");
    out->role = chat_roles[role_index(role->valuestring, strlen(role->valuestring))];
    out->content = "";
    out->len = 0;
    if (cJSON_IsString(content)) {
        out->content = content->valuestring;
        out->len = strlen(content->valuestring);
        return;
    }
    if (!cJSON_IsArray(content))
        return;
    char *start = p->scratch.data + p->scratch.len;
    size_t n = 0;
    const cJSON *part;
    cJSON_ArrayForEach(part, content)
    {
        const cJSON *type = item(part, "type"), *text = item(part, "text");
        if (strcmp(type->valuestring, "text") != 0)
            continue;
        if (n)
            start[n++] = '\n';
        size_t k = strlen(text->valuestring);
        memcpy(start + n, text->valuestring, k);
        n += k;
    }
    start[n] = '\0';
    p->scratch.len += n + 1;
    out->content = start;
    out->len = n;
}

static int parse_cjson(mllm_http_chat_parser *p, const char *body, size_t len, mllm_http_chat *req,
                       mllm_http_error *e)
{
    const cJSON *root = json_parse(p, body, len);
    if (!root) {
        err_set(
            e, NULL, NULL, NULL,
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The API expects a JSON payload, but what "
            "was sent was not valid JSON.)");
        return 400;
    }
    if (!cJSON_IsObject(root)) {
        jval r = jv_of(root);
        err_set(e, NULL, NULL, "invalid_type",
                "Invalid request body: expected a JSON object, but got %s instead.", kind_name(&r));
        return 400;
    }
    chat_sum f;
    sum_from_cjson(root, p->max_messages, &f);
    if (!check_chat(&f, p->max_messages, req, e))
        return 400;
    const cJSON *messages = item(root, "messages");
    size_t joined = 0;
    const cJSON *m, *part;
    cJSON_ArrayForEach(m, messages)
    {
        const cJSON *content = item(m, "content");
        if (cJSON_IsArray(content))
            cJSON_ArrayForEach(part, content)
            {
                const cJSON *type = item(part, "type");
                if (strcmp(type->valuestring, "text") == 0)
                    joined += strlen(item(part, "text")->valuestring) + 1;
            }
        joined++;
    }
    buf_reset(&p->scratch);
    if (!msgs_reserve(p, req->nmessages) || buf_reserve(&p->scratch, joined + 1) != 0) {
        err_set(e, "server_error", NULL, NULL, "Out of memory.");
        return 500;
    }
    int i = 0;
    cJSON_ArrayForEach(m, messages)
    {
        message_text(p, m, &p->msgs[i++]);
    }
    req->messages = p->msgs;
    return 200;
}

/* ---- the scanner ---- */

/* The scanner reads what cJSON_ParseWithLength would accept, only faster: it
 * keeps cJSON's quirks where they matter (bytes up to 0x20 are whitespace,
 * control characters are accepted in strings, bytes after the top-level
 * value are ignored) and hands to cJSON every input whose outcome it does not
 * decide exactly the same way: syntax errors (cJSON then answers "could not
 * parse"), numbers outside the JSON grammar or longer than 63 characters
 * (cJSON's strtod window), a NUL byte or \u0000 (cJSON would cut the string
 * there), invalid \u escapes, escaped keys, nesting deeper than SCAN_DEPTH.
 * Strings are unescaped into the scratch, which the caller reserved with room
 * for every string of the body (unescaping never lengthens a string). */
#define SCAN_DEPTH 64
#ifdef __GNUC__
#define SCAN_INLINE static inline __attribute__((always_inline)) /* the per-token steps */
#else
#define SCAN_INLINE static inline
#endif

typedef struct scan {
    const unsigned char *p, *end;
    char *o; /* the scratch's next free byte */
    int depth;
} scan;

static inline void ws(scan *s)
{
    while (s->p < s->end && *s->p <= 32)
        s->p++;
}

static inline int peek(const scan *s)
{
    return s->p < s->end ? *s->p : -1;
}

/* Index of the first byte of a string run that is a quote, a backslash or a
 * NUL, from p (n bytes left); n when none. */
static inline size_t str_run(const unsigned char *p, size_t n)
{
    size_t i = 0;
#ifdef HAVE_SSE2
    const __m128i z = _mm_setzero_si128(), q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, z),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
#ifdef HAVE_SWAR
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        uint64_t m =
            swar_zero(x) | swar_zero(x ^ (SWAR_ONES * '"')) | swar_zero(x ^ (SWAR_ONES * '\\'));
        if (m)
            return i + (size_t)(__builtin_ctzll(m) >> 3);
    }
#endif
    while (i < n && p[i] != '"' && p[i] != '\\' && p[i] != 0)
        i++;
    return i;
}

static int hex4(const unsigned char *h)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int c = h[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Reads the string whose opening quote is at s->p. With out, writes its
 * first `cap` unescaped bytes there; *n is its whole unescaped length. */
static bool scan_str(scan *s, char *out, size_t cap, size_t *n)
{
    const unsigned char *p = s->p + 1, *end = s->end;
    size_t k = 0;
    for (;;) {
        size_t run = str_run(p, (size_t)(end - p));
        if (out && k < cap)
            memcpy(out + k, p, run < cap - k ? run : cap - k);
        k += run;
        p += run;
        if (p >= end || *p == 0)
            return false;
        if (*p == '"')
            break;
        /* An escape. */
        if (end - p < 2)
            return false;
        unsigned char u[4];
        size_t ulen = 1;
        switch (p[1]) {
        case 'b':
            u[0] = '\b';
            break;
        case 'f':
            u[0] = '\f';
            break;
        case 'n':
            u[0] = '\n';
            break;
        case 'r':
            u[0] = '\r';
            break;
        case 't':
            u[0] = '\t';
            break;
        case '"':
        case '\\':
        case '/':
            u[0] = p[1];
            break;
        case 'u': {
            int c1 = end - p >= 6 ? hex4(p + 2) : -1;
            if (c1 <= 0 || (c1 >= 0xDC00 && c1 <= 0xDFFF))
                return false; /* cJSON: a NUL (invalid digits too) or a failure */
            unsigned long cp = (unsigned long)c1;
            if (c1 >= 0xD800 && c1 <= 0xDBFF) {
                int c2 = end - p >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 8) : -1;
                if (c2 < 0xDC00 || c2 > 0xDFFF)
                    return false;
                cp = 0x10000 + (((unsigned long)c1 & 0x3FF) << 10 | ((unsigned long)c2 & 0x3FF));
                p += 6;
            }
            if (cp < 0x80)
                u[0] = (unsigned char)cp;
            else if (cp < 0x800) {
                u[0] = (unsigned char)(0xC0 | cp >> 6);
                u[1] = (unsigned char)(0x80 | (cp & 0x3F));
                ulen = 2;
            } else if (cp < 0x10000) {
                u[0] = (unsigned char)(0xE0 | cp >> 12);
                u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
                u[2] = (unsigned char)(0x80 | (cp & 0x3F));
                ulen = 3;
            } else {
                u[0] = (unsigned char)(0xF0 | cp >> 18);
                u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
                u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
                u[3] = (unsigned char)(0x80 | (cp & 0x3F));
                ulen = 4;
            }
            p += 4;
            break;
        }
        default:
            return false;
        }
        p += 2;
        for (size_t i = 0; i < ulen; i++, k++)
            if (out && k < cap)
                out[k] = (char)u[i];
    }
    s->p = p + 1;
    *n = k;
    return true;
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Reads a number in the JSON grammar. Its value is exact when the digits fit
 * in 2^53 and the power of ten is exact (one correctly rounded operation, as
 * strtod); otherwise strtod decides, on the same characters cJSON gives it. */
static bool scan_num(scan *s, double *v)
{
    const unsigned char *p = s->p, *end = s->end, *start = p;
    bool neg = false;
    uint64_t m = 0;
    int digits = 0, exp10 = 0;
    if (p < end && *p == '-') {
        neg = true;
        p++;
    }
    if (p >= end || *p < '0' || *p > '9')
        return false;
    if (*p == '0')
        p++;
    else
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            if (digits < 19) {
                m = m * 10 + (uint64_t)(*p - '0');
                digits += m > 0;
            } else
                exp10++;
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            if (digits < 19) {
                m = m * 10 + (uint64_t)(*p - '0');
                digits += m > 0;
                exp10--;
            }
    }
    int e = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '+' || *p == '-'))
            eneg = *p++ == '-';
        if (p >= end || *p < '0' || *p > '9')
            return false;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            if (e < 10000)
                e = e * 10 + (*p - '0');
        exp10 += eneg ? -e : e;
    }
    size_t len = (size_t)(p - start);
    /* cJSON copies at most 63 characters of [0-9+-eE.] for strtod. */
    if (len > 63 || (p < end && ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.' ||
                                 *p == 'e' || *p == 'E')))
        return false;
    if (m <= (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
        double d = (double)m;
        d = exp10 < 0 ? d / pow10_exact[-exp10] : d * pow10_exact[exp10];
        *v = neg ? -d : d;
    } else {
        char tmp[64];
        char dp = localeconv()->decimal_point[0];
        for (size_t i = 0; i < len; i++)
            tmp[i] = start[i] == '.' ? dp : (char)start[i];
        tmp[len] = '\0';
        *v = strtod(tmp, NULL);
    }
    s->p = p;
    return true;
}

static bool scan_lit(scan *s, const char *lit, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
        return false;
    s->p += n;
    return true;
}

static bool skip_val(scan *s);

/* Reads `"key"` and the colon after it; *k and *n are the raw key. */
SCAN_INLINE bool scan_key(scan *s, const unsigned char **k, size_t *n)
{
    if (peek(s) != '"')
        return false;
    const unsigned char *p = s->p + 1;
    size_t run = str_run(p, (size_t)(s->end - p));
    if (p + run >= s->end || p[run] != '"')
        return false; /* an escape or a NUL in a key: cJSON's business */
    *k = p;
    *n = run;
    s->p = p + run + 1;
    ws(s);
    if (peek(s) != ':')
        return false;
    s->p++;
    ws(s);
    return true;
}

/* After a member or element: true at a comma (consumed), false at `close`
 * (consumed); *bad on anything else. */
SCAN_INLINE bool scan_next(scan *s, int close, bool *bad)
{
    ws(s);
    int c = peek(s);
    if (c == ',') {
        s->p++;
        ws(s);
        return true;
    }
    if (c == close)
        s->p++;
    else
        *bad = true;
    return false;
}

/* Enters the container at s->p; *empty when it closes at once. */
SCAN_INLINE bool scan_open(scan *s, int close, bool *empty)
{
    if (++s->depth > SCAN_DEPTH)
        return false;
    s->p++;
    ws(s);
    *empty = peek(s) == close;
    if (*empty) {
        s->p++;
        s->depth--;
    }
    return true;
}

static bool skip_val(scan *s)
{
    size_t n;
    double d;
    bool empty, bad = false;
    switch (peek(s)) {
    case '"':
        return scan_str(s, NULL, 0, &n);
    case 'n':
        return scan_lit(s, "null", 4);
    case 't':
        return scan_lit(s, "true", 4);
    case 'f':
        return scan_lit(s, "false", 5);
    case '[':
        if (!scan_open(s, ']', &empty))
            return false;
        if (empty)
            return true;
        do
            if (!skip_val(s))
                return false;
        while (scan_next(s, ']', &bad));
        s->depth--;
        return !bad;
    case '{':
        if (!scan_open(s, '}', &empty))
            return false;
        if (empty)
            return true;
        do {
            const unsigned char *k;
            if (!scan_key(s, &k, &n) || !skip_val(s))
                return false;
        } while (scan_next(s, '}', &bad));
        s->depth--;
        return !bad;
    default:
        return scan_num(s, &d);
    }
}

/* Reads a value into v: scalars as they are (a string unescaped into the
 * scratch when `copy`), containers skipped (their kind only). */
static bool scan_val(scan *s, jval *v, bool copy)
{
    memset(v, 0, sizeof *v);
    switch (peek(s)) {
    case '"':
        v->kind = JK_STRING;
        if (!copy)
            return scan_str(s, NULL, 0, &v->len);
        if (!scan_str(s, s->o, SIZE_MAX, &v->len))
            return false;
        v->str = s->o;
        s->o[v->len] = '\0';
        s->o += v->len + 1;
        return true;
    case 'n':
        v->kind = JK_NULL;
        return scan_lit(s, "null", 4);
    case 't':
        v->kind = JK_TRUE;
        return scan_lit(s, "true", 4);
    case 'f':
        v->kind = JK_FALSE;
        return scan_lit(s, "false", 5);
    case '[':
        v->kind = JK_ARRAY;
        return skip_val(s);
    case '{':
        v->kind = JK_OBJECT;
        return skip_val(s);
    default:
        v->kind = JK_NUMBER;
        return scan_num(s, &v->num);
    }
}

#define KEY_IS(k, n, lit) ((n) == sizeof(lit) - 1 && memcmp((k), (lit), sizeof(lit) - 1) == 0)

/* One content part of message `ms` (part j), an object at s->p. Text parts
 * are joined into the scratch at s->o, a newline before each that follows
 * text already there (start: where the joined content began). */
static bool scan_part(scan *s, msg_sum *ms, int j, const char *start)
{
    char *mark = s->o;
    jval type = {JK_ABSENT, 0, NULL, 0}, text = {JK_ABSENT, 0, NULL, 0};
    bool is_text = false, empty, bad = false;
    if (!scan_open(s, '}', &empty))
        return false;
    if (!empty) {
        do {
            const unsigned char *k;
            size_t n;
            if (!scan_key(s, &k, &n))
                return false;
            if (KEY_IS(k, n, "type") && type.kind == JK_ABSENT && peek(s) == '"') {
                char t[5];
                type.kind = JK_STRING;
                if (!scan_str(s, t, sizeof t, &type.len))
                    return false;
                is_text = type.len == 4 && memcmp(t, "text", 4) == 0;
            } else if (KEY_IS(k, n, "type") && type.kind == JK_ABSENT) {
                if (!scan_val(s, &type, false))
                    return false;
            } else if (KEY_IS(k, n, "text") && text.kind == JK_ABSENT && peek(s) == '"') {
                if (s->o > start)
                    *s->o++ = '\n';
                text.kind = JK_STRING;
                if (!scan_str(s, s->o, SIZE_MAX, &text.len))
                    return false;
                s->o += text.len;
            } else if (KEY_IS(k, n, "text") && text.kind == JK_ABSENT) {
                if (!scan_val(s, &text, false))
                    return false;
            } else if (!skip_val(s))
                return false;
        } while (scan_next(s, '}', &bad));
        s->depth--;
        if (bad)
            return false;
    }
    if (ms->fault == PF_NONE) {
        ms->part = j;
        if (type.kind == JK_ABSENT)
            ms->fault = PF_NO_TYPE;
        else if (type.kind != JK_STRING) {
            ms->fault = PF_TYPE;
            ms->got = type;
        } else if (is_text && text.kind == JK_ABSENT)
            ms->fault = PF_NO_TEXT;
        else if (is_text && text.kind != JK_STRING) {
            ms->fault = PF_TEXT;
            ms->got = text;
        }
    }
    if (!is_text || text.kind != JK_STRING)
        s->o = mark; /* not a text part: its text is not kept */
    return true;
}

/* A content array at s->p: its text parts joined into the scratch. */
static bool scan_parts(scan *s, msg_sum *ms, mllm_http_message *out)
{
    char *start = s->o;
    bool empty, bad = false;
    ms->content.kind = JK_ARRAY;
    if (!scan_open(s, ']', &empty))
        return false;
    if (!empty) {
        int j = 0;
        do {
            if (peek(s) == '{') {
                if (!scan_part(s, ms, j, start))
                    return false;
            } else {
                jval v;
                if (!scan_val(s, &v, false))
                    return false;
                if (ms->fault == PF_NONE) {
                    ms->fault = PF_NOT_OBJECT;
                    ms->part = j;
                    ms->got = v;
                }
            }
            j++;
        } while (scan_next(s, ']', &bad));
        s->depth--;
        if (bad)
            return false;
    }
    out->content = start;
    out->len = (size_t)(s->o - start);
    *s->o++ = '\0';
    return true;
}

/* One message, an object at s->p. */
static bool scan_message(scan *s, msg_sum *ms, mllm_http_message *out)
{
    bool empty, bad = false;
    memset(ms, 0, sizeof *ms);
    ms->self.kind = JK_OBJECT;
    ms->role_k = -1;
    out->content = "";
    out->len = 0;
    if (!scan_open(s, '}', &empty))
        return false;
    if (empty)
        return true;
    do {
        const unsigned char *k;
        size_t n;
        if (!scan_key(s, &k, &n))
            return false;
        bool ok;
        if (KEY_IS(k, n, "role") && ms->role.kind == JK_ABSENT) {
            ok = scan_val(s, &ms->role, true);
            if (ms->role.kind == JK_STRING) {
                ms->role_k = role_index(ms->role.str, ms->role.len);
                out->role = ms->role_k >= 0 ? chat_roles[ms->role_k] : "";
            }
        } else if (KEY_IS(k, n, "content") && ms->content.kind == JK_ABSENT) {
            if (peek(s) == '[')
                ok = scan_parts(s, ms, out);
            else {
                ok = scan_val(s, &ms->content, true);
                if (ms->content.kind == JK_STRING) {
                    out->content = ms->content.str;
                    out->len = ms->content.len;
                }
            }
        } else
            ok = skip_val(s);
        if (!ok)
            return false;
    } while (scan_next(s, '}', &bad));
    s->depth--;
    return !bad;
}

/* The messages array at s->p. */
static bool scan_messages(scan *s, mllm_http_chat_parser *p, chat_sum *f)
{
    bool empty, bad = false;
    f->messages.kind = JK_ARRAY;
    if (!scan_open(s, ']', &empty))
        return false;
    if (empty)
        return true;
    int i = 0;
    do {
        if (i >= p->max_messages) {
            if (!skip_val(s))
                return false; /* too many: the count is all that matters */
        } else {
            if (!msgs_reserve(p, i + 1))
                return false;
            msg_sum ms;
            mllm_http_message *out = &p->msgs[i];
            out->role = "";
            if (peek(s) == '{') {
                if (!scan_message(s, &ms, out))
                    return false;
            } else {
                memset(&ms, 0, sizeof ms);
                ms.role_k = -1;
                if (!scan_val(s, &ms.self, false))
                    return false;
            }
            note_message(f, &ms, i);
        }
        if (i == INT_MAX)
            return false;
        i++;
    } while (scan_next(s, ']', &bad));
    s->depth--;
    f->nmessages = i;
    return !bad;
}

/* Top-level keys the checks read, by name. */
static jval *top_field(chat_sum *f, const unsigned char *k, size_t n)
{
    switch (k[0]) {
    case 'm':
        if (KEY_IS(k, n, "model"))
            return &f->model;
        if (KEY_IS(k, n, "messages"))
            return &f->messages;
        if (KEY_IS(k, n, "max_tokens"))
            return &f->max_tokens;
        if (KEY_IS(k, n, "max_completion_tokens"))
            return &f->mct;
        break;
    case 's':
        if (KEY_IS(k, n, "stream"))
            return &f->stream;
        if (KEY_IS(k, n, "stream_options"))
            return &f->stream_options;
        break;
    case 'n':
        if (KEY_IS(k, n, "n"))
            return &f->n;
        break;
    case 't':
        if (KEY_IS(k, n, "temperature"))
            return &f->temperature;
        if (KEY_IS(k, n, "top_p"))
            return &f->top_p;
        break;
    case 'p':
        if (KEY_IS(k, n, "presence_penalty"))
            return &f->presence_penalty;
        break;
    case 'f':
        if (KEY_IS(k, n, "frequency_penalty"))
            return &f->frequency_penalty;
        break;
    case 'r':
        if (KEY_IS(k, n, "response_format"))
            return &f->response_format;
        break;
    case 'u':
        if (KEY_IS(k, n, "user"))
            return &f->user;
        break;
    }
    return NULL;
}

/* An object at s->p whose members `a` and `b` (first occurrences) are read
 * into va and vb (vb may be NULL). */
static bool scan_members(scan *s, const char *a, jval *va, const char *b, jval *vb)
{
    bool empty, bad = false;
    if (!scan_open(s, '}', &empty))
        return false;
    if (empty)
        return true;
    do {
        const unsigned char *k;
        size_t n;
        if (!scan_key(s, &k, &n))
            return false;
        jval *v = n == strlen(a) && memcmp(k, a, n) == 0         ? va
                  : vb && n == strlen(b) && memcmp(k, b, n) == 0 ? vb
                                                                 : NULL;
        if (!(v && v->kind == JK_ABSENT ? scan_val(s, v, true) : skip_val(s)))
            return false;
    } while (scan_next(s, '}', &bad));
    s->depth--;
    return !bad;
}

/* Returns 1 and fills f, or 0 for a body left to cJSON. */
static int parse_scan(mllm_http_chat_parser *p, const char *body, size_t len, chat_sum *f)
{
    /* Every string's unescaped bytes and NUL fit in the body's length (a
     * string has two quotes), plus a newline per joined part. */
    buf_reset(&p->scratch);
    if (len > (MLLM_HTTP_BUF_MAX - 64) / 2 || buf_reserve(&p->scratch, 2 * len + 64) != 0)
        return 0;
    scan s = {(const unsigned char *)body, (const unsigned char *)body + len, p->scratch.data, 0};
    memset(f, 0, sizeof *f);
    f->bad = -1;
    ws(&s);
    bool empty, bad = false;
    if (peek(&s) != '{' || !scan_open(&s, '}', &empty))
        return 0; /* a BOM, or not an object: cJSON says what it is */
    if (!empty) {
        do {
            const unsigned char *k;
            size_t n;
            if (!scan_key(&s, &k, &n))
                return 0;
            jval *v = n ? top_field(f, k, n) : NULL;
            bool ok;
            if (!v || v->kind != JK_ABSENT)
                ok = skip_val(&s);
            else if (v == &f->messages && peek(&s) == '[')
                ok = scan_messages(&s, p, f);
            else if (v == &f->stream_options && peek(&s) == '{') {
                v->kind = JK_OBJECT;
                ok = scan_members(&s, "include_usage", &f->include_usage, NULL, NULL);
            } else if (v == &f->response_format && peek(&s) == '{') {
                v->kind = JK_OBJECT;
                ok = scan_members(&s, "type", &f->rf_type, "json_schema", &f->rf_schema);
            } else
                ok = scan_val(&s, v, true);
            if (!ok)
                return 0;
        } while (scan_next(&s, '}', &bad));
        if (bad)
            return 0;
    }
    p->scratch.len = (size_t)(s.o - p->scratch.data);
    return 1;
}

/* ---- parsing a chat body ---- */

static void parser_init(mllm_http_chat_parser *p, int max_messages)
{
    memset(p, 0, sizeof *p);
    p->max_messages = max_messages;
#ifndef __SANITIZE_ADDRESS__
    p->arena = malloc(JSON_ARENA); /* NULL: bodies are parsed with malloc */
#endif
}

static void parser_release(mllm_http_chat_parser *p)
{
    json_release(p);
    mllm_http_buf_release(&p->scratch);
    free(p->msgs);
    free(p->arena);
    memset(p, 0, sizeof *p);
}

mllm_http_chat_parser *mllm_http_chat_parser_new(int max_messages)
{
    if (max_messages < 1)
        return NULL;
    mllm_http_chat_parser *p = malloc(sizeof *p);
    if (!p)
        return NULL;
    json_hooks_install();
    parser_init(p, max_messages);
    return p;
}

void mllm_http_chat_parser_free(mllm_http_chat_parser *p)
{
    if (!p)
        return;
    parser_release(p);
    free(p);
}

int mllm_http_chat_parse(mllm_http_chat_parser *p, const char *body, size_t len,
                         mllm_http_chat_mode mode, mllm_http_chat *req, mllm_http_error *e)
{
    memset(req, 0, sizeof *req);
    json_release(p);
    if (len == 0) {
        err_set(e, NULL, NULL, NULL,
                "We could not parse the JSON body of your request: the body is empty. (The API "
                "expects a JSON payload.)");
        return 400;
    }
    if (mode != MLLM_HTTP_CHAT_CJSON) {
        chat_sum f;
        if (parse_scan(p, body, len, &f)) {
            if (!check_chat(&f, p->max_messages, req, e))
                return 400;
            req->messages = p->msgs;
            return 200;
        }
        if (mode == MLLM_HTTP_CHAT_SCAN)
            return 0;
    }
    return parse_cjson(p, body, len, req, e);
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

/* Writes a duration as OpenAI writes reset times ("120ms", "1s", "6m0s") at
 * o (room for 48 bytes); returns the end. */
static char *w_duration(char *o, double s)
{
    uint64_t ms = s > 0 && s < 1e15 ? (uint64_t)(s * 1000 + 0.5) : 0;
    if (ms < 1000) {
        o = mllm_http_put_u64(o, ms);
        W_LIT(o, "ms");
    } else if (ms < 60000) {
        o = mllm_http_put_u64(o, (ms + 999) / 1000);
        *o++ = 's';
    } else {
        uint64_t t = (ms + 999) / 1000;
        o = mllm_http_put_u64(o, t / 60);
        *o++ = 'm';
        o = mllm_http_put_u64(o, t % 60);
        *o++ = 's';
    }
    return o;
}

/* The headers a chat answer adds (request id, rate limits) into x, NUL-
 * terminated; x has room for 512 bytes, more than they can take. */
static void chat_headers(const mllm_http_chat_result *res, char *x)
{
    char *o = x;
    size_t idn = strnlen(res->request_id, sizeof res->request_id - 1);
    if (idn) {
        W_LIT(o, "x-request-id: ");
        o = w_mem(o, res->request_id, idn);
        W_LIT(o, "\r\n");
    }
    const mllm_http_ratelimit *rl = &res->rl;
    if (rl->limit_requests > 0) {
        W_LIT(o, "x-ratelimit-limit-requests: ");
        o = mllm_http_put_u64(o, (uint64_t)rl->limit_requests);
        W_LIT(o, "\r\nx-ratelimit-remaining-requests: ");
        o = mllm_http_put_u64(o, rl->remaining_requests > 0 ? (uint64_t)rl->remaining_requests : 0);
        W_LIT(o, "\r\nx-ratelimit-reset-requests: ");
        o = w_duration(o, rl->reset_s);
        W_LIT(o, "\r\n");
    }
    if (rl->retry_after_s > 0) {
        W_LIT(o, "Retry-After: ");
        o = mllm_http_put_u64(o, (uint64_t)rl->retry_after_s);
        W_LIT(o, "\r\n");
    }
    *o = '\0';
}

static void answer_chat(conn *c, const mllm_http_chat *req, mllm_http_chat_result *res)
{
    mllm_http *s = c->srv;
    char extra[512];
    chat_headers(res, extra);
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
    long long created = (long long)wall_now(s);
    if (req->stream) {
        start_stream(c, req, res, model, created, extra);
        return;
    }
    /* The whole answer in one reservation: every string at its worst (6
     * bytes a byte escaped, and its quotes), and 512 bytes for the rest (360
     * with the numbers at 20 digits). */
    const char *finish = res->finish_reason[0] ? res->finish_reason : "stop";
    const char *text = res->content->data ? res->content->data : "";
    size_t idn = strlen(res->id), mn = strlen(model), fpn = strlen(res->fingerprint);
    size_t fn = strlen(finish), tn = res->content->len;
    uint64_t ptok = (uint64_t)(res->prompt_tokens > 0 ? res->prompt_tokens : 0);
    uint64_t ctok = (uint64_t)(res->completion_tokens > 0 ? res->completion_tokens : 0);
    mllm_http_buf *j = &s->jbuf;
    buf_reset(j);
    if (buf_reserve(j, 512 + 6 * (idn + mn + fpn + fn + tn)) != 0) {
        fail(c, 500, NULL, NULL, NULL, "Out of memory.");
        return;
    }
    char *o = j->data;
    W_LIT(o, "{\"id\":");
    o = w_json_str(o, res->id, idn);
    W_LIT(o, ",\"object\":\"chat.completion\",\"created\":");
    o = mllm_http_put_u64(o, (uint64_t)created);
    W_LIT(o, ",\"model\":");
    o = w_json_str(o, model, mn);
    W_LIT(o, ",\"system_fingerprint\":");
    if (fpn)
        o = w_json_str(o, res->fingerprint, fpn);
    else
        W_LIT(o, "null");
    W_LIT(o, ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    o = w_json_str(o, text, tn);
    W_LIT(o, ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":");
    o = w_json_str(o, finish, fn);
    W_LIT(o, "}],\"usage\":{\"prompt_tokens\":");
    o = mllm_http_put_u64(o, ptok);
    W_LIT(o, ",\"completion_tokens\":");
    o = mllm_http_put_u64(o, ctok);
    W_LIT(o, ",\"total_tokens\":");
    o = mllm_http_put_u64(o, ptok + ctok);
    W_LIT(o, "}}");
    j->len = (size_t)(o - j->data);
    send_body(c, to, 200, "application/json", extra, j->data, j->len);
    if (lat)
        defer(c, lat);
}

static void do_chat(conn *c)
{
    mllm_http *s = c->srv;
    mllm_http_chat req;
    mllm_http_error e;
    int status = mllm_http_chat_parse(s->chat, c->body.data ? c->body.data : "", c->body.len,
                                      MLLM_HTTP_CHAT_AUTO, &req, &e);
    if (status != 200) {
        send_error(c, &c->out, status, &e, NULL);
        goto out;
    }
    req.http = &c->rq;
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
    json_release(s->chat);
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

static void server_free(mllm_http *s)
{
    mllm_http_buf_release(&s->jbuf);
    mllm_http_buf_release(&s->cbuf);
    mllm_http_chat_parser_free(s->chat);
    free(s);
}

/* A server with its config checked and copied, no handle open yet. */
static int server_new(uv_loop_t *loop, const mllm_http_config *cfg, mllm_http **out)
{
    *out = NULL;
    if (!loop || !cfg || cfg->max_header_bytes < 64 || cfg->max_connections < 1 ||
        cfg->max_messages < 1 || cfg->port < 0 || cfg->port > 65535)
        return UV_EINVAL;
    mllm_http *s = calloc(1, sizeof *s);
    if (!s)
        return UV_ENOMEM;
    s->chat = mllm_http_chat_parser_new(cfg->max_messages);
    if (!s->chat) {
        free(s);
        return UV_ENOMEM;
    }
    s->loop = loop;
    s->cfg = *cfg;
    if (set_token(&s->tok[0], cfg->api_key) || set_token(&s->tok[1], cfg->trainee_token) ||
        set_token(&s->tok[2], cfg->trainer_token) ||
        strcmp(cfg->api_key, cfg->trainee_token) == 0 ||
        strcmp(cfg->api_key, cfg->trainer_token) == 0 ||
        strcmp(cfg->trainee_token, cfg->trainer_token) == 0) {
        server_free(s);
        return UV_EINVAL;
    }
    for (int i = 0; i < 3; i++)
        if ((s->tok[i].len + 7) / 8 * 8 > s->tok_window)
            s->tok_window = (s->tok[i].len + 7) / 8 * 8;
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
    *out = s;
    return 0;
}

int mllm_http_start(uv_loop_t *loop, const mllm_http_config *cfg, mllm_http **out)
{
    mllm_http *s;
    int rc = server_new(loop, cfg, &s);
    *out = NULL;
    if (rc != 0)
        return rc;
    /* A client that goes away mid-answer must cost an EPIPE, not the process. */
    struct sigaction sa;
    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
    struct sockaddr_storage addr;
    if (uv_ip4_addr(s->bind, cfg->port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(s->bind, cfg->port, (struct sockaddr_in6 *)&addr) != 0) {
        server_free(s);
        return UV_EINVAL;
    }
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
    server_free(s);
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
    server_free(s);
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

/* ---- in memory ------------------------------------------------------------------------- */

int mllm_http_serve_bytes(const mllm_http_config *cfg, const char *in, size_t len, size_t split,
                          mllm_http_buf *out)
{
    uv_loop_t loop;
    int rc = uv_loop_init(&loop);
    if (rc != 0)
        return rc;
    mllm_http *s;
    rc = server_new(&loop, cfg, &s);
    if (rc != 0) {
        uv_loop_close(&loop);
        return rc;
    }
    conn *c = conn_new(s, out);
    if (!c) {
        server_free(s);
        uv_loop_close(&loop);
        return UV_ENOMEM;
    }
    read_resume(c);
    size_t pos = 0;
    /* s->nconns, not c->closing: a callback inside uv_run may close c, and
     * libuv may free it before uv_run returns. */
    while (s->nconns > 0) {
        if (c->mem_shut) { /* what libuv's uv_shutdown callback would do */
            c->mem_shut = false;
            shut_done(c, 0);
        } else if (c->reading) {
            if (pos < len) {
                /* Each read in a buffer of its own size, so that a read past
                 * its end is caught by the sanitizers. */
                size_t n = split && split < len - pos ? split : len - pos;
                char *chunk = malloc(n);
                if (!chunk) {
                    rc = UV_ENOMEM;
                    break;
                }
                memcpy(chunk, in + pos, n);
                pos += n;
                conn_input(c, (ssize_t)n, chunk);
                free(chunk);
            } else {
                conn_input(c, UV_EOF, NULL);
            }
        } else if (c->blocked) { /* output drains at once in memory */
            c->blocked = false;
            resume(c);
        } else if (uv_loop_alive(&loop)) {
            uv_run(&loop, UV_RUN_ONCE); /* a delayed answer or the next SSE chunk */
        } else {
            rc = UV_ETIMEDOUT; /* nothing left to do, yet the connection stays open */
            break;
        }
    }
    if (s->nconns > 0)
        conn_close(c);
    s->closing = true;
    uv_run(&loop, UV_RUN_DEFAULT); /* closes the handles, then frees c and s */
    uv_loop_close(&loop);
    if (rc == 0 && out->failed)
        rc = UV_ENOMEM;
    return rc;
}
