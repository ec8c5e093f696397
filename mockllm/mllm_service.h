/* mllm_service.h - the simulated RAG assistant: the thing that breaks.
 *
 * One request runs the pipeline flag & route -> query-type/topic gate ->
 * throttle -> response cache -> retrieval (BM25 snapshot) -> prompt assembly
 * -> provider call (rate limits, retries, latency) -> post-processing
 * (structured-output parsing, disclaimer). Faults registered with a start
 * (and optional end) change what the pipeline does; levers change the
 * controls. Time is virtual and passed in by the caller; all randomness is
 * hashed from (seed, request id), so a response depends only on the seed, the
 * request and the service state - never on the order of unrelated calls.
 *
 * Every response carries a ground-truth label (mllm_label) that
 * trainee-facing output must never show. The service borrows the world (it
 * must outlive the service) and owns its index snapshots. */
#ifndef MLLM_SERVICE_H
#define MLLM_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mllm_index.h"
#include "mllm_world.h"

typedef uint64_t mllm_time; /* virtual microseconds since the drill started */

/* ---- errors --------------------------------------------------------------------------- */

#define MLLM_ERRNO_MAP(X)                                                                      \
    X(EINVAL, -22, "invalid argument")                                                         \
    X(ENOMEM, -12, "out of memory")                                                            \
    X(ERANGE, -34, "value out of range")                                                       \
    X(ENOENT, -2, "no such item")                                                              \
    X(EBUSY, -16, "a job is already running")
#define MLLM_ERR_ENUM(name, val, msg) MLLM_##name = (val),
enum { MLLM_ERRNO_MAP(MLLM_ERR_ENUM) };
#undef MLLM_ERR_ENUM
const char *mllm_strerror(int err);

/* ---- labels, segments, stages --------------------------------------------------------- */

typedef enum mllm_label {
    MLLM_LABEL_CORRECT,       /* states the current facts, or rightly declines */
    MLLM_LABEL_WRONG,         /* contradicts the context it had */
    MLLM_LABEL_STALE,         /* states facts of an older document version */
    MLLM_LABEL_HALLUCINATION, /* invents facts it had no support for */
    MLLM_LABEL_REFUSAL,       /* refuses a benign request */
    MLLM_LABEL_NOANSWER,      /* says it does not know an answerable question */
    MLLM_LABEL_ERROR,         /* the user got an error */
    MLLM_LABEL_UNAVAILABLE,   /* kill switch, disabled type, throttled */
    MLLM_LABEL_FALLBACK,      /* a correct cached answer served as fallback */
    MLLM_LABEL_UNKNOWN,       /* free text outside the catalogue */
    MLLM_LABEL_COUNT
} mllm_label;
extern const char *const mllm_label_names[]; /* "correct", ..., NULL */

#define MLLM_REGIONS 3
#define MLLM_PLANS 4
#define MLLM_CLIENTS 3
extern const char *const mllm_region_names[]; /* us, eu, apac */
extern const char *const mllm_plan_names[];   /* free, team, business, enterprise */
extern const char *const mllm_client_names[]; /* web-4.8, web-4.9, api-sdk-2 */

typedef enum mllm_stage {
    MLLM_STAGE_ROUTE,    /* flag, route, gate, throttle */
    MLLM_STAGE_CACHE,
    MLLM_STAGE_RETRIEVE,
    MLLM_STAGE_PROMPT,
    MLLM_STAGE_PROVIDER, /* queueing, retries, time to first token and generation */
    MLLM_STAGE_POST,
    MLLM_STAGE_COUNT
} mllm_stage;
extern const char *const mllm_stage_names[];

/* ---- faults --------------------------------------------------------------------------- */

#define MLLM_FAULT_MAP(X)                                                                      \
    X(PROMPT_REGRESSION, "prompt_regression")                                                  \
    X(MODEL_CHANGE, "model_change")                                                            \
    X(RETRIEVAL_DEGRADATION, "retrieval_degradation")                                          \
    X(STALE_INDEX, "stale_index")                                                              \
    X(SAFETY_UPDATE, "safety_update")                                                          \
    X(PROMPT_TRIGGER, "prompt_trigger")                                                        \
    X(PROVIDER_SLOWDOWN, "provider_slowdown")                                                  \
    X(RATE_LIMITING, "rate_limiting")                                                          \
    X(CONTEXT_GROWTH, "context_growth")                                                        \
    X(API_CHANGE, "api_change")                                                                \
    X(SCHEMA_MISMATCH, "schema_mismatch")                                                      \
    X(RATE_LIMIT_ERRORS, "rate_limit_errors")                                                  \
    X(KB_GAP, "kb_gap")
#define MLLM_FAULT_ENUM(name, str) MLLM_FAULT_##name,
typedef enum mllm_fault_kind { MLLM_FAULT_MAP(MLLM_FAULT_ENUM) MLLM_FAULT_COUNT } mllm_fault_kind;
#undef MLLM_FAULT_ENUM
extern const char *const mllm_fault_names[]; /* "prompt_regression", ..., NULL */

#define MLLM_MAX_FAULTS 32

/* Which requests a fault may touch. -1 means any. A request is touched when
 * it matches every field and its own hashed draw falls under the fraction
 * (exact: 0 touches none, 0.001 touches 0.1% of matching requests). */
typedef struct mllm_target {
    double fraction;   /* 0..1 share of matching requests */
    int region;        /* mllm_region_names index */
    int plan;          /* mllm_plan_names index */
    int client;        /* mllm_client_names index */
    int qtype;         /* mllm_qtype */
    int topic;         /* world topic index */
    int prompt;        /* only while this prompt version is live */
    int model;         /* only requests served by this model */
} mllm_target;
void mllm_target_any(mllm_target *t); /* everything, fraction 1 */

typedef struct mllm_fault {
    mllm_fault_kind kind;
    mllm_target target;
    mllm_time start;   /* when it begins */
    mllm_time end;     /* when it stops by itself; MLLM_NEVER until cleared */
    mllm_time ramp;    /* touched share grows linearly from 0 over this long */
    /* Parameters; each kind reads the ones it documents (scenarios/README.md). */
    int prompt;        /* prompt_regression, prompt_trigger, schema_mismatch: version deployed at start (-1: none) */
    int fingerprint;   /* model_change, safety_update: primary alias moves to it at start (-1: next) */
    int topic;         /* kb_gap: topic whose documents vanish; safety_update: refused topic (-1 any) */
    double factor;     /* provider_slowdown: latency x; context_growth: extra history tokens per
                          minute; rate_limiting, rate_limit_errors: provider requests/min limit */
    int docs;          /* stale_index: documents updated at start while refreshes fail */
    char term[32];     /* prompt_trigger: the word that triggers refusals */
    char param[32];    /* api_change: the request parameter the provider now rejects */
} mllm_fault;
#define MLLM_NEVER UINT64_MAX

/* ---- controls and levers -------------------------------------------------------------- */

typedef enum mllm_fallback { MLLM_FB_CACHED, MLLM_FB_SIMPLIFIED, MLLM_FB_UNAVAILABLE } mllm_fallback;
extern const char *const mllm_fallback_names[]; /* cached, simplified, unavailable */

typedef struct mllm_controls {
    bool kill_switch;        /* route everything to the fallback */
    int fallback;            /* mllm_fallback */
    int prompt;              /* live prompt version (world index) */
    int route;               /* model role serving traffic: primary, backup, simplified */
    int pin_fingerprint;     /* primary version pinned, -1 follows the provider's alias */
    uint32_t disabled_types; /* bit per mllm_qtype */
    uint32_t disabled_topics;/* bit per topic */
    bool disclaimer;         /* append an "AI-generated, may be outdated" note */
    double throttle_rps;     /* admission limit, 0 off */
    int context_cap;         /* history tokens kept, 0 no cap */
    int max_tokens;          /* completion cap, 0 none */
    bool backoff;            /* force client retry with exponential backoff on 429 */
    bool api_compat;         /* client pinned to the previous provider API */
    bool parser_lenient;     /* structured-output parser accepts both schemas */
    double cache_ttl_s;      /* response cache time to live, 0 disables the cache */
    double cacheable_share;  /* share of requests generic enough to cache */
    double timeout_ms;       /* the client gives up (504) after this long, 0 never */
    double slo_ms;           /* answers slower than this count as degraded, 0 never */
} mllm_controls;

#define MLLM_LEVER_MAP(X)                                                                      \
    X(KILL_SWITCH, "kill_switch", "arg 1 on, 0 off")                                           \
    X(FALLBACK, "fallback", "arg mllm_fallback")                                               \
    X(PROMPT, "prompt", "arg prompt version index (rollback or deploy)")                       \
    X(ROUTE, "route", "arg role: 0 primary, 1 backup, 2 simplified")                           \
    X(PIN_MODEL, "pin_model", "arg fingerprint index of the primary, -1 unpin")                \
    X(DISABLE_TYPE, "disable_type", "arg query type, value 1 disable, 0 enable")               \
    X(DISABLE_TOPIC, "disable_topic", "arg topic, value 1 disable, 0 enable")                  \
    X(DISCLAIMER, "disclaimer", "arg 1 on, 0 off")                                             \
    X(REINDEX, "reindex", "rebuild the index from the sources (a job)")                        \
    X(RESTORE_SNAPSHOT, "restore_snapshot", "arg snapshot id")                                 \
    X(THROTTLE, "throttle", "value requests/s, 0 off")                                         \
    X(CONTEXT_CAP, "context_cap", "arg history tokens, 0 off")                                 \
    X(MAX_TOKENS, "max_tokens", "arg completion tokens, 0 off")                                \
    X(BACKOFF, "backoff", "arg 1 on, 0 off")                                                   \
    X(API_COMPAT, "api_compat", "arg 1 on, 0 off")                                             \
    X(PARSER_COMPAT, "parser_compat", "arg 1 on, 0 off")                                       \
    X(ADD_DOCS, "add_docs", "arg topic whose documents are restored to the sources")           \
    X(FLUSH_CACHE, "flush_cache", "drop every cached response")
#define MLLM_LEVER_ENUM(name, str, doc) MLLM_LEVER_##name,
typedef enum mllm_lever_kind { MLLM_LEVER_MAP(MLLM_LEVER_ENUM) MLLM_LEVER_COUNT } mllm_lever_kind;
#undef MLLM_LEVER_ENUM
extern const char *const mllm_lever_names[];

typedef struct mllm_lever {
    mllm_lever_kind kind;
    int arg;
    double value;
} mllm_lever;

/* ---- requests and responses ----------------------------------------------------------- */

#define MLLM_TOPK 5
#define MLLM_ANSWER_FACTS 3

typedef struct mllm_request {
    uint64_t id;           /* unique per drill; seeds this request's randomness */
    mllm_time t;           /* arrival */
    int text;              /* catalogue text id, -1 for free text */
    const char *free_text; /* the question when text < 0 (borrowed for the call) */
    int region, plan, client;
    int turn;              /* 0 for a new conversation */
    int history_tokens;    /* conversation so far, before any cap */
    bool structured;       /* JSON output asked for (also implied by the query type) */
    int max_tokens;        /* requested completion cap, 0 none */
    bool dry_run;          /* reproduce: change no state (cache, rate windows, stats) */
} mllm_request;

typedef struct mllm_answer_fact {
    int fact;     /* fact id */
    int version;  /* version index the value comes from; -1 invented */
    uint32_t salt;/* for invented values: which wrong value */
} mllm_answer_fact;

typedef struct mllm_response {
    /* observable */
    int status;                 /* 200, 400, 429, 500, 503, 504 (client timeout) */
    char err_code[32];          /* "" or e.g. "rate_limit_exceeded", "output_parse_error" */
    int query;                  /* catalogue query, -1 free text */
    int qtype, topic;           /* as classified (topic from retrieval for free text) */
    bool refusal, cache_hit, fallback, gated, throttled, disclaimer, structured;
    bool declined;              /* "I don't know" */
    bool smalltalk;
    bool invented_topic;        /* hallucinated about an absent topic */
    int route;                  /* role that served it */
    int model, fingerprint;     /* world model index and fingerprint index; -1 none */
    int prompt;                 /* prompt version index; -1 none */
    int snapshot;               /* index snapshot id; -1 none */
    int nchunks;
    uint32_t chunk[MLLM_TOPK];  /* world chunk ids */
    float score[MLLM_TOPK];
    int nfacts;
    mllm_answer_fact facts[MLLM_ANSWER_FACTS];
    int json_schema;            /* 0 answer_sources, 1 result_citations, -1 none */
    int retries;                /* 429 retries before success or failure */
    int prompt_tokens, completion_tokens, context_tokens, history_tokens;
    double cost;                /* USD */
    uint32_t latency_us, ttft_us;
    uint32_t stage_us[MLLM_STAGE_COUNT];
    bool truncated;             /* hit max_tokens */
    bool slow;                  /* answered, but slower than the latency objective */
    /* ground truth: never shown to trainees */
    mllm_label label;
    uint32_t fault_mask;        /* bit i: fault i (registration order) changed this outcome */
} mllm_response;

/* ---- changes the service reports ------------------------------------------------------ */

typedef enum mllm_change_kind {
    MLLM_CHANGE_PROMPT_DEPLOY,
    MLLM_CHANGE_MODEL_ALIAS,    /* the provider moved the primary alias */
    MLLM_CHANGE_INDEX_REFRESH,  /* a new snapshot went live */
    MLLM_CHANGE_INDEX_REFRESH_FAILED,
    MLLM_CHANGE_KB_UPDATE,      /* sources changed */
    MLLM_CHANGE_CONFIG,         /* a control changed */
    MLLM_CHANGE_CLIENT_RELEASE,
    MLLM_CHANGE_PROVIDER_NOTICE,
    MLLM_CHANGE_COUNT
} mllm_change_kind;
extern const char *const mllm_change_names[];

/* Reported for each change. `visible` is false for what a real team would not
 * see in its change log (e.g. a silent cron failure). `text` is valid only
 * during the call. */
typedef void (*mllm_change_fn)(void *ctx, mllm_time t, mllm_change_kind kind, bool visible,
                               const char *text);

typedef struct mllm_config {
    uint64_t seed;
    int64_t index_age_us;        /* age of the live index at t=0 */
    mllm_time refresh_every;     /* scheduled index refresh period, 0 none */
    mllm_time reindex_duration;  /* how long a rebuild takes */
    int32_t start_day;           /* calendar day of t=0 (days since epoch) */
    uint32_t start_second;       /* second of that day at t=0 */
    mllm_controls controls;      /* baseline controls */
    int primary_fingerprint;     /* alias at t=0 */
    float k1, b;                 /* BM25 */
} mllm_config;

/* Fills cfg with defaults for world w: prompt = last version released before
 * the start day (else the first), primary route, cache on, refresh every 30m,
 * reindex takes 3m, index age 10m. */
void mllm_config_default(mllm_config *cfg, const mllm_world *w);

typedef struct mllm_service mllm_service;

/* Creates the service at t=0 with an index built as of -index_age. NULL when
 * out of memory. `change_fn` (may be NULL) reports changes. */
mllm_service *mllm_service_new(const mllm_world *w, const mllm_config *cfg,
                               mllm_change_fn change_fn, void *change_ctx);
void mllm_service_free(mllm_service *s); /* NULL is a no-op */

/* Registers a fault (copied). Its start actions (a prompt deploy, an alias
 * move, a KB change) run when the clock passes its start. Returns the fault id
 * (0..MLLM_MAX_FAULTS-1) or -EINVAL / -ENOMEM (table full). Must be called in
 * nondecreasing start order per kind for identical runs. */
int mllm_service_fault_add(mllm_service *s, const mllm_fault *f);
/* Ends fault `id` at `now`: healthy behaviour resumes at once. */
int mllm_service_fault_clear(mllm_service *s, int id, mllm_time now);
int mllm_service_fault_count(const mllm_service *s);
const mllm_fault *mllm_service_fault(const mllm_service *s, int id);
bool mllm_service_fault_active(const mllm_service *s, int id, mllm_time now);

/* Runs due jobs and fault starts up to `now`. Call before handle() at each new
 * time, or at the time mllm_service_next_event returns. */
void mllm_service_advance(mllm_service *s, mllm_time now);
/* Earliest time something is due (job end, scheduled refresh, fault start or
 * end); MLLM_NEVER when nothing. */
mllm_time mllm_service_next_event(const mllm_service *s);

/* Applies a lever at once. Returns 0 or -EINVAL (bad argument), -EBUSY (a
 * reindex already running). Delays and approvals belong to the caller. */
int mllm_service_lever(mllm_service *s, const mllm_lever *l, mllm_time now);
/* Starts the scheduled refresh job now (as the refresh cron would). Returns
 * 0 or -EBUSY when a rebuild is running. */
int mllm_service_refresh(mllm_service *s, mllm_time now);
/* Provider-side events that are not faults (decoys and timeline changes). */
int mllm_service_move_alias(mllm_service *s, int fingerprint, mllm_time now);
int mllm_service_publish(mllm_service *s, int doc, int version_index, mllm_time now);
const mllm_controls *mllm_service_controls(const mllm_service *s);
/* Operations' own configuration changes (not trainee levers): the response
 * cache's time to live in seconds, 0 disables the cache. Returns 0 or
 * -EINVAL. */
int mllm_service_set_cache_ttl(mllm_service *s, double seconds);
/* Reports a config change made from outside the lever set (decoy changes). */
void mllm_service_note_change(mllm_service *s, mllm_time now, mllm_change_kind kind,
                              const char *text);

/* Serves one request, filling *resp. Cost: O(1) amortized for catalogue
 * texts (retrieval is memoized per snapshot); a BM25 search for free text. */
void mllm_service_handle(mllm_service *s, const mllm_request *req, mllm_response *resp);

/* Catalogue text id whose normalized wording equals `text` (case, spaces and
 * punctuation ignored), or -1. With `hash`, also the hash of that normalized
 * wording (0 for a NULL text), for callers that map any wording to a text. */
int mllm_service_match_text(const mllm_service *s, const char *text, uint64_t *hash);

/* Writes the answer text of a response into buf (always NUL-terminated).
 * Returns the length it needed. */
size_t mllm_service_render(const mllm_service *s, const mllm_request *req,
                           const mllm_response *resp, char *buf, size_t n);
/* The error message of a failed response ("" when none). */
const char *mllm_service_error_message(const mllm_service *s, const mllm_response *resp,
                                       char *buf, size_t n);

/* ---- observable state ----------------------------------------------------------------- */

typedef struct mllm_snapshot_info {
    int id;
    int64_t built_at;        /* virtual us as of which sources were read (may be < 0) */
    int chunks;
    bool live;
} mllm_snapshot_info;

typedef struct mllm_status {
    int live_snapshot;
    int64_t index_built_at;       /* as-of time of the live snapshot */
    mllm_time last_refresh_ok;    /* last successful scheduled or manual refresh */
    mllm_time next_refresh;       /* MLLM_NEVER when none scheduled */
    bool reindex_running;
    mllm_time reindex_done_at;
    int sources_changed_since_index; /* documents whose source version differs from the index */
    int primary_alias;            /* fingerprint the provider alias points at */
    const char *provider_status[MLLM_MAX_PROVIDERS]; /* "operational", "degraded" */
    double provider_rpm[MLLM_MAX_PROVIDERS];         /* attempts in the last minute */
    double provider_rpm_limit[MLLM_MAX_PROVIDERS];
    int nsnapshots;
    mllm_snapshot_info snapshots[8];
    int cache_entries;
} mllm_status;
void mllm_service_status(const mllm_service *s, mllm_time now, mllm_status *st);

/* Which version index of doc is published in the sources (-1 removed). */
int mllm_service_source_version(const mllm_service *s, int doc);
const mllm_world *mllm_service_world(const mllm_service *s);

#endif
