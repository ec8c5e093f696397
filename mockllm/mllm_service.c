/* mllm_service.c - the simulated RAG assistant's request pipeline, faults and levers.
 *
 * State that changes between requests: controls, document sources, index
 * snapshots (with memoized retrievals), the reindex job, provider rate
 * windows, the throttle bucket and the response cache. Everything a request
 * draws comes from hashing (seed, request id, purpose), so a decision for one
 * request never shifts another's. See mllm_service.h for the contract. */
#include "mllm_service.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SNAPSHOTS 8
#define RATE_WINDOW_S 60
#define MAX_ATTEMPTS 4
#define TEXT_HASH_BITS 12

const char *const mllm_label_names[] = {"correct", "wrong",       "stale",    "hallucination",
                                        "refusal", "no_answer",   "error",    "unavailable",
                                        "fallback", "unknown",    NULL};
const char *const mllm_region_names[] = {"us", "eu", "apac", NULL};
const char *const mllm_plan_names[] = {"free", "team", "business", "enterprise", NULL};
const char *const mllm_client_names[] = {"web-4.8", "web-4.9", "api-sdk-2", NULL};
const char *const mllm_stage_names[] = {"route", "cache", "retrieve", "prompt", "provider",
                                        "post",  NULL};
const char *const mllm_fallback_names[] = {"cached", "simplified", "unavailable", NULL};
const char *const mllm_change_names[] = {"prompt_deploy", "model_alias",   "index_refresh",
                                         "index_refresh_failed", "kb_update", "config",
                                         "client_release", "provider_notice", NULL};
#define MLLM_FAULT_STR(name, str) str,
const char *const mllm_fault_names[] = {MLLM_FAULT_MAP(MLLM_FAULT_STR) NULL};
#define MLLM_LEVER_STR(name, str, doc) str,
const char *const mllm_lever_names[] = {MLLM_LEVER_MAP(MLLM_LEVER_STR) NULL};

const char *mllm_strerror(int err)
{
#define MLLM_ERR_CASE(name, val, msg)                                                          \
    case MLLM_##name:                                                                          \
        return msg;
    switch (err) {
    case 0:
        return "success";
        MLLM_ERRNO_MAP(MLLM_ERR_CASE)
    default:
        return "unknown error";
    }
#undef MLLM_ERR_CASE
}

/* ---- state ---------------------------------------------------------------------------- */

/* Latency noise quantile tables (see noise()). */
#define NOISE_BITS 12
#define NOISE_N (1 << NOISE_BITS)
enum { NOISE_015, NOISE_020, NOISE_025, NOISE_KINDS };
static const double noise_sigma[NOISE_KINDS] = {0.15, 0.20, 0.25};

typedef struct snapshot {
    int id;              /* -1: slot unused */
    int64_t built_at;    /* as-of time of the sources it read */
    mllm_index *ix;
    int *doc_vi;         /* per document: version index indexed, -1 absent */
    int nchunks;
    bool degraded;       /* built by a retrieval_degradation fault */
    int degraded_fault;
    int8_t *memo_n;      /* per catalogue text: hits memoized, -1 unknown */
    mllm_hit *memo;      /* ntexts * MLLM_TOPK */
} snapshot;

typedef struct cache_entry {
    mllm_time created;   /* MLLM_NEVER: empty */
    mllm_response resp;  /* the response as first served */
} cache_entry;

typedef struct rate_window {
    uint32_t bucket[RATE_WINDOW_S];
    uint64_t last_sec;
    uint32_t sum;
} rate_window;

struct mllm_service {
    const mllm_world *w;
    mllm_config cfg;
    mllm_controls c;
    mllm_change_fn change_fn;
    void *change_ctx;
    bool started;             /* initial snapshot built */
    mllm_time now;
    int *source_vi;           /* per document: published version index, -1 removed */
    int *removed_vi;          /* per document: version before a kb_gap removal */
    int *held_vi;             /* per document: version a stale_index fault publishes at start */
    snapshot snaps[MAX_SNAPSHOTS];
    int live;                 /* slot of the live snapshot */
    int next_snap_id;
    bool job_running, job_scheduled;
    mllm_time job_start, job_done;
    mllm_time next_refresh, last_refresh_ok;
    int alias;                /* primary alias fingerprint */
    int model_of_role[3];
    mllm_fault faults[MLLM_MAX_FAULTS];
    bool fault_started[MLLM_MAX_FAULTS];
    int nfaults;
    rate_window rate[MLLM_MAX_PROVIDERS];
    double bucket_tokens;
    mllm_time bucket_t;
    cache_entry *cache;       /* per catalogue text */
    float noise[NOISE_KINDS][NOISE_N]; /* latency noise quantiles */
    int *text_hash;           /* open addressing: normalized text hash -> text id, -1 empty */
    uint64_t *text_key;
    int text_hash_size;
};

/* ---- hashing -------------------------------------------------------------------------- */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

/* Uniform [0,1) for (request, purpose). */
static inline double draw(const mllm_service *s, uint64_t req, uint64_t purpose)
{
    uint64_t h = mix64(s->cfg.seed ^ mix64(req * 0x9e3779b97f4a7c15ull + purpose));
    return (double)(h >> 11) * 0x1.0p-53;
}

static inline uint32_t draw32(const mllm_service *s, uint64_t req, uint64_t purpose)
{
    return (uint32_t)(mix64(s->cfg.seed ^ mix64(req * 0xd1b54a32d192ed03ull + purpose)) >> 32);
}

/* Lognormal latency noise with median 1: exp(sigma z) for a standard normal
 * z, read from a quantile table filled once per service (no libm per
 * request). 4096 levels are far finer than any chart can show. */

static double normal_quantile(double p)
{
    /* Bisection on the normal CDF: exact enough, and only run at start. */
    double lo = -9, hi = 9;
    for (int i = 0; i < 80; i++) {
        double mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / sqrt(2.0)) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

static inline double noise(const mllm_service *s, uint64_t req, uint64_t purpose, int kind)
{
    return s->noise[kind][draw32(s, req, purpose) >> (32 - NOISE_BITS)];
}

enum {
    P_FAULT = 100, /* + fault id */
    P_CACHEABLE = 200,
    P_REFUSAL,
    P_RECALL,       /* + fact slot */
    P_HALLUC = 210,
    P_RATE = 220,   /* + attempt */
    P_LAT_RET = 240,
    P_LAT_TTFT = 250,
    P_LAT_GEN = 260,
    P_DEGRADE = 270,
    P_TOKENS = 280,
    P_SALT = 290,
};

/* Bytes that count in a normalized text, lower-cased: ASCII letters and
 * digits, and every byte of a multi-byte UTF-8 character; 0 for the rest
 * (spaces, punctuation), which only separate words. Locale-independent. */
static const unsigned char norm_byte[256] = {
#define R8(a) (a), (a) + 1, (a) + 2, (a) + 3, (a) + 4, (a) + 5, (a) + 6, (a) + 7
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['A'] = R8('a'), ['I'] = R8('i'), ['Q'] = R8('q'), ['Y'] = 'y', ['Z'] = 'z',
    ['a'] = R8('a'), ['i'] = R8('i'), ['q'] = R8('q'), ['y'] = 'y', ['z'] = 'z',
    [0x80] = R8(0x80), [0x88] = R8(0x88), [0x90] = R8(0x90), [0x98] = R8(0x98),
    [0xa0] = R8(0xa0), [0xa8] = R8(0xa8), [0xb0] = R8(0xb0), [0xb8] = R8(0xb8),
    [0xc0] = R8(0xc0), [0xc8] = R8(0xc8), [0xd0] = R8(0xd0), [0xd8] = R8(0xd8),
    [0xe0] = R8(0xe0), [0xe8] = R8(0xe8), [0xf0] = R8(0xf0), [0xf8] = R8(0xf8),
#undef R8
};

/* FNV-1a of the text's words, lower-cased and joined by single spaces, so
 * that "How do I  reset my password?" and "how do i reset my password" match. */
static uint64_t text_norm_hash(const char *t)
{
    uint64_t h = 1469598103934665603ull;
    bool any = false;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        unsigned char c = norm_byte[*p];
        if (c) {
            h = (h ^ c) * 1099511628211ull;
            any = true;
        } else if (any) {
            h = (h ^ ' ') * 1099511628211ull;
            any = false;
        }
    }
    return mix64(h);
}

/* ---- snapshots ------------------------------------------------------------------------ */

static void snapshot_release(snapshot *sn)
{
    mllm_index_free(sn->ix);
    free(sn->doc_vi);
    free(sn->memo_n);
    free(sn->memo);
    memset(sn, 0, sizeof *sn);
    sn->id = -1;
}

static int live_doc_count(const mllm_service *s)
{
    int n = 0;
    for (int d = 0; d < s->w->ndocs; d++)
        n += s->source_vi[d] >= 0;
    return n;
}

/* Builds a snapshot from the current sources into a free (or the oldest
 * non-live) slot and returns the slot, or -1 when out of memory. */
static int snapshot_build(mllm_service *s, int64_t as_of, const int *doc_vi)
{
    const mllm_world *w = s->w;
    int slot = -1;
    for (int i = 0; i < MAX_SNAPSHOTS; i++)
        if (s->snaps[i].id < 0) {
            slot = i;
            break;
        }
    if (slot < 0) {
        int oldest = -1;
        for (int i = 0; i < MAX_SNAPSHOTS; i++)
            if (i != s->live && (oldest < 0 || s->snaps[i].id < s->snaps[oldest].id))
                oldest = i;
        slot = oldest;
        snapshot_release(&s->snaps[slot]);
    }
    snapshot *sn = &s->snaps[slot];
    sn->ix = mllm_index_new(s->cfg.k1, s->cfg.b, true);
    sn->doc_vi = malloc(sizeof *sn->doc_vi * (size_t)w->ndocs);
    sn->memo_n = malloc((size_t)(w->ntexts > 0 ? w->ntexts : 1));
    sn->memo = malloc(sizeof *sn->memo * (size_t)(w->ntexts > 0 ? w->ntexts : 1) * MLLM_TOPK);
    if (!sn->ix || !sn->doc_vi || !sn->memo_n || !sn->memo)
        goto err;
    memset(sn->memo_n, -1, (size_t)(w->ntexts > 0 ? w->ntexts : 1));
    for (int d = 0; d < w->ndocs; d++) {
        int vi = doc_vi[d];
        sn->doc_vi[d] = vi;
        if (vi < 0)
            continue;
        const mllm_version *v = &w->docs[d].v[vi];
        for (int k = 0; k < v->nchunks; k++) {
            const mllm_chunk *c = &w->chunks[v->first_chunk + k];
            /* Title words help retrieval, as real chunkers prepend headings. */
            char buf[4096];
            int n = snprintf(buf, sizeof buf, "%s. %.*s", w->docs[d].title, c->len, c->text);
            if (n < 0)
                goto err;
            if (mllm_index_add(sn->ix, (uint32_t)(v->first_chunk + k), buf,
                               (size_t)(n < (int)sizeof buf ? n : (int)sizeof buf - 1)) != 0)
                goto err;
            sn->nchunks++;
        }
    }
    if (mllm_index_build(sn->ix) != 0)
        goto err;
    sn->id = s->next_snap_id++;
    sn->built_at = as_of;
    sn->degraded = false;
    sn->degraded_fault = -1;
    return slot;
err:
    snapshot_release(sn);
    return -1;
}

static void change(mllm_service *s, mllm_time t, mllm_change_kind k, bool visible, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));
static void change(mllm_service *s, mllm_time t, mllm_change_kind k, bool visible, const char *fmt,
                   ...)
{
    if (!s->change_fn)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s->change_fn(s->change_ctx, t, k, visible, buf);
}

static int go_live(mllm_service *s, int slot)
{
    if (slot < 0)
        return MLLM_ENOMEM;
    s->live = slot;
    return 0;
}

/* ---- construction --------------------------------------------------------------------- */

void mllm_target_any(mllm_target *t)
{
    t->fraction = 1.0;
    t->region = t->plan = t->client = t->qtype = t->topic = t->prompt = t->model = -1;
}

void mllm_config_default(mllm_config *cfg, const mllm_world *w)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->index_age_us = 10ll * 60 * 1000000;
    cfg->refresh_every = 6ull * 3600 * 1000000;
    cfg->reindex_duration = 3ull * 60 * 1000000;
    cfg->start_day = mllm_date_days("2026-11-30");
    cfg->start_second = 9 * 3600;
    cfg->k1 = 1.2f;
    cfg->b = 0.75f;
    mllm_controls *c = &cfg->controls;
    c->fallback = MLLM_FB_CACHED;
    c->prompt = 0;
    /* The live prompt: the latest released strictly before the start day. */
    for (int i = 0; w && i < w->nprompts; i++) {
        int32_t d = mllm_date_days(w->prompts[i].released);
        if (d >= 0 && d < cfg->start_day)
            c->prompt = i;
    }
    c->route = MLLM_ROLE_PRIMARY;
    c->pin_fingerprint = -1;
    c->cache_ttl_s = 600;
    c->cacheable_share = 0.25;
    c->timeout_ms = 20000;
    c->slo_ms = 6000;
    cfg->primary_fingerprint = 0;
}

mllm_service *mllm_service_new(const mllm_world *w, const mllm_config *cfg,
                               mllm_change_fn change_fn, void *change_ctx)
{
    mllm_service *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->w = w;
    s->cfg = *cfg;
    s->c = cfg->controls;
    s->change_fn = change_fn;
    s->change_ctx = change_ctx;
    for (int i = 0; i < MAX_SNAPSHOTS; i++)
        s->snaps[i].id = -1;
    s->live = -1;
    s->alias = cfg->primary_fingerprint;
    for (int r = 0; r < 3; r++)
        s->model_of_role[r] = mllm_world_model_role(w, (mllm_role)r);
    size_t nd = (size_t)(w->ndocs > 0 ? w->ndocs : 1);
    s->source_vi = malloc(sizeof *s->source_vi * nd);
    s->removed_vi = malloc(sizeof *s->removed_vi * nd);
    s->held_vi = malloc(sizeof *s->held_vi * nd);
    size_t nt = (size_t)(w->ntexts > 0 ? w->ntexts : 1);
    s->cache = malloc(sizeof *s->cache * nt);
    s->text_hash_size = 1;
    while (s->text_hash_size < 2 * (int)nt + 16)
        s->text_hash_size <<= 1;
    s->text_hash = malloc(sizeof *s->text_hash * (size_t)s->text_hash_size);
    s->text_key = malloc(sizeof *s->text_key * (size_t)s->text_hash_size);
    if (!s->source_vi || !s->removed_vi || !s->held_vi || !s->cache || !s->text_hash ||
        !s->text_key)
        goto err;
    for (int d = 0; d < w->ndocs; d++) {
        int vi = 0;
        for (int k = 0; k < w->docs[d].nversions; k++)
            if (w->docs[d].v[k].day <= cfg->start_day)
                vi = k;
        s->source_vi[d] = vi;
        s->removed_vi[d] = -1;
        s->held_vi[d] = -1;
    }
    for (size_t i = 0; i < nt; i++)
        s->cache[i].created = MLLM_NEVER;
    for (int i = 0; i < NOISE_N; i++) {
        double z = normal_quantile((i + 0.5) / NOISE_N);
        for (int k = 0; k < NOISE_KINDS; k++)
            s->noise[k][i] = (float)exp(noise_sigma[k] * z);
    }
    for (int i = 0; i < s->text_hash_size; i++)
        s->text_hash[i] = -1;
    for (int t = 0; t < w->ntexts; t++) {
        uint64_t h = text_norm_hash(mllm_world_text(w, t));
        int m = s->text_hash_size - 1, i = (int)(h & (uint64_t)m);
        while (s->text_hash[i] >= 0 && s->text_key[i] != h)
            i = (i + 1) & m;
        if (s->text_hash[i] < 0) {
            s->text_hash[i] = t;
            s->text_key[i] = h;
        }
    }
    s->next_refresh = MLLM_NEVER;
    return s;
err:
    mllm_service_free(s);
    return NULL;
}

void mllm_service_free(mllm_service *s)
{
    if (!s)
        return;
    for (int i = 0; i < MAX_SNAPSHOTS; i++)
        if (s->snaps[i].id >= 0)
            snapshot_release(&s->snaps[i]);
    free(s->source_vi);
    free(s->removed_vi);
    free(s->held_vi);
    free(s->cache);
    free(s->text_hash);
    free(s->text_key);
    free(s);
}

/* Builds the initial snapshot on first use, so that faults registered before
 * the drill starts can shape the baseline sources (stale_index holds back). */
static void ensure_started(mllm_service *s)
{
    if (s->started)
        return;
    s->started = true;
    go_live(s, snapshot_build(s, -s->cfg.index_age_us, s->source_vi));
    s->last_refresh_ok = 0;
    if (s->cfg.refresh_every) {
        int64_t next = -s->cfg.index_age_us + (int64_t)s->cfg.refresh_every;
        s->next_refresh = next > 0 ? (mllm_time)next : 0;
    }
}

/* ---- faults --------------------------------------------------------------------------- */

int mllm_service_fault_add(mllm_service *s, const mllm_fault *f)
{
    if (!f || (int)f->kind < 0 || f->kind >= MLLM_FAULT_COUNT || f->target.fraction < 0 ||
        f->target.fraction > 1 || !(f->target.fraction == f->target.fraction) || f->end < f->start)
        return MLLM_EINVAL;
    if (s->nfaults >= MLLM_MAX_FAULTS)
        return MLLM_ENOMEM;
    const mllm_world *w = s->w;
    if ((f->prompt >= w->nprompts) || (f->topic >= w->ntopics) ||
        (f->target.topic >= w->ntopics) || (f->target.prompt >= w->nprompts) ||
        f->target.model >= w->nmodels || f->target.qtype >= MLLM_QT_COUNT ||
        f->target.region >= MLLM_REGIONS || f->target.plan >= MLLM_PLANS ||
        f->target.client >= MLLM_CLIENTS)
        return MLLM_EINVAL;
    int id = s->nfaults++;
    s->faults[id] = *f;
    s->fault_started[id] = false;
    if (f->kind == MLLM_FAULT_STALE_INDEX && !s->started) {
        /* Hold back the newest version of `docs` multi-version documents: they
         * are published at the fault's start, when refreshes begin to fail. */
        int want = f->docs > 0 ? f->docs : 8;
        for (int d = 0; d < w->ndocs && want > 0; d++) {
            if (s->source_vi[d] >= 1 && s->held_vi[d] < 0) {
                s->held_vi[d] = s->source_vi[d];
                s->source_vi[d]--;
                want--;
            }
        }
    }
    return id;
}

int mllm_service_fault_clear(mllm_service *s, int id, mllm_time now)
{
    if (id < 0 || id >= s->nfaults)
        return MLLM_ENOENT;
    mllm_fault *f = &s->faults[id];
    if (f->end > now)
        f->end = now;
    if (f->start > now)
        f->start = now;
    return 0;
}

int mllm_service_fault_count(const mllm_service *s)
{
    return s->nfaults;
}

const mllm_fault *mllm_service_fault(const mllm_service *s, int id)
{
    return id >= 0 && id < s->nfaults ? &s->faults[id] : NULL;
}

bool mllm_service_fault_active(const mllm_service *s, int id, mllm_time now)
{
    const mllm_fault *f = mllm_service_fault(s, id);
    return f && now >= f->start && now < f->end;
}

static bool any_fault_active(const mllm_service *s, mllm_fault_kind k, mllm_time now)
{
    for (int i = 0; i < s->nfaults; i++)
        if (s->faults[i].kind == k && mllm_service_fault_active(s, i, now))
            return true;
    return false;
}

static void fault_start_actions(mllm_service *s, int id)
{
    mllm_fault *f = &s->faults[id];
    const mllm_world *w = s->w;
    mllm_time t = f->start;
    switch (f->kind) {
    case MLLM_FAULT_PROMPT_REGRESSION:
    case MLLM_FAULT_PROMPT_TRIGGER:
    case MLLM_FAULT_SCHEMA_MISMATCH:
        if (f->prompt >= 0 && s->c.prompt != f->prompt) {
            s->c.prompt = f->prompt;
            change(s, t, MLLM_CHANGE_PROMPT_DEPLOY, true, "prompt %s deployed by %s: %s",
                   w->prompts[f->prompt].version, w->prompts[f->prompt].author,
                   w->prompts[f->prompt].summary);
        }
        if (f->prompt >= 0 && f->target.prompt < 0)
            f->target.prompt = f->prompt;
        break;
    case MLLM_FAULT_MODEL_CHANGE:
    case MLLM_FAULT_SAFETY_UPDATE: {
        int pm = s->model_of_role[MLLM_ROLE_PRIMARY];
        int fp = f->fingerprint;
        if (fp < 0)
            fp = (s->alias + 1) % w->models[pm].nversions;
        f->fingerprint = fp;
        if (s->alias != fp)
            mllm_service_move_alias(s, fp, t);
        break;
    }
    case MLLM_FAULT_RETRIEVAL_DEGRADATION: {
        int slot = snapshot_build(s, (int64_t)t, s->source_vi);
        if (slot >= 0) {
            s->snaps[slot].degraded = true;
            s->snaps[slot].degraded_fault = id;
            go_live(s, slot);
            s->last_refresh_ok = t;
            change(s, t, MLLM_CHANGE_INDEX_REFRESH, true,
                   "index refresh completed: snapshot #%d (%d chunks)", s->snaps[slot].id,
                   s->snaps[slot].nchunks);
        }
        break;
    }
    case MLLM_FAULT_STALE_INDEX: {
        int published = 0;
        char names[256] = "";
        size_t off = 0;
        for (int d = 0; d < w->ndocs; d++)
            if (s->held_vi[d] >= 0) {
                s->source_vi[d] = s->held_vi[d];
                s->held_vi[d] = -1;
                if (published < 3 && off < sizeof names)
                    off += (size_t)snprintf(names + off, sizeof names - off, "%s%s",
                                            published ? ", " : "", w->docs[d].id);
                published++;
            }
        if (published == 0) {
            /* Injected live: the index silently falls back to an older build in
             * which the first `docs` multi-version documents are one version
             * behind the sources. */
            int want = f->docs > 0 ? f->docs : 8;
            int *vi = malloc(sizeof *vi * (size_t)w->ndocs);
            if (vi) {
                for (int d = 0; d < w->ndocs; d++) {
                    vi[d] = s->source_vi[d];
                    if (want > 0 && vi[d] >= 1) {
                        vi[d]--;
                        want--;
                    }
                }
                int64_t as_of = (int64_t)t - (int64_t)(s->cfg.refresh_every ?
                                                           3 * s->cfg.refresh_every :
                                                           3600000000ull);
                go_live(s, snapshot_build(s, as_of, vi));
                free(vi);
                change(s, t, MLLM_CHANGE_INDEX_REFRESH_FAILED, false,
                       "index silently reverted to an old build (stale_index injected)");
            }
        } else {
            change(s, t, MLLM_CHANGE_KB_UPDATE, true,
                   "docs-team published updates to %d documents (%s%s)", published, names,
                   published > 3 ? ", ..." : "");
        }
        break;
    }
    case MLLM_FAULT_KB_GAP: {
        int removed = 0;
        for (int d = 0; d < w->ndocs; d++)
            if (w->docs[d].topic == f->topic && s->source_vi[d] >= 0) {
                s->removed_vi[d] = s->source_vi[d];
                s->source_vi[d] = -1;
                removed++;
            }
        go_live(s, snapshot_build(s, (int64_t)t, s->source_vi));
        s->last_refresh_ok = t;
        change(s, t, MLLM_CHANGE_KB_UPDATE, true,
               "knowledge-base sync from the CMS completed: snapshot #%d (%d documents)",
               s->snaps[s->live].id, live_doc_count(s));
        break;
    }
    case MLLM_FAULT_RATE_LIMIT_ERRORS:
        change(s, t, MLLM_CHANGE_CLIENT_RELEASE, true,
               "llm-client 3.2.0 rolled out (connection pooling, new retry settings)");
        break;
    case MLLM_FAULT_API_CHANGE:
        change(s, t, MLLM_CHANGE_PROVIDER_NOTICE, true,
               "%s changelog: API %s released; deprecated request fields are now rejected",
               w->providers[w->models[s->model_of_role[0]].provider].title,
               "2026-11-30");
        break;
    case MLLM_FAULT_CONTEXT_GROWTH:
        if (f->target.client >= 0)
            change(s, t, MLLM_CHANGE_CLIENT_RELEASE, true, "client %s released to 100%% of users",
                   mllm_client_names[f->target.client]);
        break;
    default:
        break;
    }
}

/* ---- jobs ----------------------------------------------------------------------------- */

static void job_finish(mllm_service *s)
{
    mllm_time t = s->job_done;
    s->job_running = false;
    if (s->job_scheduled && any_fault_active(s, MLLM_FAULT_STALE_INDEX, t)) {
        change(s, t, MLLM_CHANGE_INDEX_REFRESH_FAILED, false,
               "scheduled index refresh failed (stale_index fault)");
    } else {
        int slot = snapshot_build(s, (int64_t)s->job_start, s->source_vi);
        if (slot >= 0) {
            go_live(s, slot);
            s->last_refresh_ok = t;
            change(s, t, MLLM_CHANGE_INDEX_REFRESH, true,
                   "%s completed: snapshot #%d (%d chunks)",
                   s->job_scheduled ? "scheduled index refresh" : "manual reindex",
                   s->snaps[slot].id, s->snaps[slot].nchunks);
        }
    }
}

static void job_start(mllm_service *s, mllm_time t, bool scheduled)
{
    s->job_running = true;
    s->job_scheduled = scheduled;
    s->job_start = t;
    s->job_done = t + s->cfg.reindex_duration;
}

mllm_time mllm_service_next_event(const mllm_service *s)
{
    mllm_time next = MLLM_NEVER;
    if (s->job_running && s->job_done < next)
        next = s->job_done;
    if (s->next_refresh < next)
        next = s->next_refresh;
    for (int i = 0; i < s->nfaults; i++) {
        if (!s->fault_started[i] && s->faults[i].start < next)
            next = s->faults[i].start;
    }
    if (!s->started)
        next = 0;
    return next;
}

void mllm_service_advance(mllm_service *s, mllm_time now)
{
    ensure_started(s);
    for (;;) {
        /* Run due items in time order, faults first at equal times. */
        mllm_time best = MLLM_NEVER;
        int what = -1, fid = -1;
        for (int i = 0; i < s->nfaults; i++)
            if (!s->fault_started[i] && s->faults[i].start <= now && s->faults[i].start < best) {
                best = s->faults[i].start;
                what = 0;
                fid = i;
            }
        if (s->job_running && s->job_done <= now && s->job_done < best) {
            best = s->job_done;
            what = 1;
        }
        if (s->next_refresh <= now && s->next_refresh < best) {
            best = s->next_refresh;
            what = 2;
        }
        if (what < 0)
            break;
        if (what == 0) {
            s->fault_started[fid] = true;
            if (s->faults[fid].end > s->faults[fid].start)
                fault_start_actions(s, fid);
        } else if (what == 1) {
            job_finish(s);
        } else {
            if (!s->job_running)
                job_start(s, s->next_refresh, true);
            s->next_refresh += s->cfg.refresh_every;
        }
    }
    if (now > s->now)
        s->now = now;
}

/* ---- levers --------------------------------------------------------------------------- */

static bool arg_bool(const mllm_lever *l)
{
    return l->arg != 0;
}

int mllm_service_lever(mllm_service *s, const mllm_lever *l, mllm_time now)
{
    const mllm_world *w = s->w;
    ensure_started(s);
    mllm_controls *c = &s->c;
    switch (l->kind) {
    case MLLM_LEVER_KILL_SWITCH:
        c->kill_switch = arg_bool(l);
        break;
    case MLLM_LEVER_FALLBACK:
        if (l->arg < 0 || l->arg > MLLM_FB_UNAVAILABLE)
            return MLLM_EINVAL;
        c->fallback = l->arg;
        break;
    case MLLM_LEVER_PROMPT:
        if (l->arg < 0 || l->arg >= w->nprompts)
            return MLLM_EINVAL;
        if (c->prompt != l->arg)
            change(s, now, MLLM_CHANGE_PROMPT_DEPLOY, true, "prompt %s deployed (was %s)",
                   w->prompts[l->arg].version, w->prompts[c->prompt].version);
        c->prompt = l->arg;
        return 0;
    case MLLM_LEVER_ROUTE:
        if (l->arg < 0 || l->arg > MLLM_ROLE_SIMPLIFIED)
            return MLLM_EINVAL;
        c->route = l->arg;
        break;
    case MLLM_LEVER_PIN_MODEL:
        if (l->arg < -1 || l->arg >= w->models[s->model_of_role[0]].nversions)
            return MLLM_EINVAL;
        c->pin_fingerprint = l->arg;
        break;
    case MLLM_LEVER_DISABLE_TYPE:
        if (l->arg < 0 || l->arg >= MLLM_QT_COUNT)
            return MLLM_EINVAL;
        if (l->value != 0)
            c->disabled_types |= 1u << l->arg;
        else
            c->disabled_types &= ~(1u << l->arg);
        break;
    case MLLM_LEVER_DISABLE_TOPIC:
        if (l->arg < 0 || l->arg >= w->ntopics)
            return MLLM_EINVAL;
        if (l->value != 0)
            c->disabled_topics |= 1u << l->arg;
        else
            c->disabled_topics &= ~(1u << l->arg);
        break;
    case MLLM_LEVER_DISCLAIMER:
        c->disclaimer = arg_bool(l);
        break;
    case MLLM_LEVER_REINDEX:
        if (s->job_running)
            return MLLM_EBUSY;
        job_start(s, now, false);
        break;
    case MLLM_LEVER_RESTORE_SNAPSHOT: {
        int slot = -1;
        for (int i = 0; i < MAX_SNAPSHOTS; i++)
            if (s->snaps[i].id >= 0 && s->snaps[i].id == l->arg)
                slot = i;
        if (slot < 0)
            return MLLM_ENOENT;
        s->live = slot;
        change(s, now, MLLM_CHANGE_INDEX_REFRESH, true, "snapshot #%d restored", l->arg);
        return 0;
    }
    case MLLM_LEVER_THROTTLE:
        if (!(l->value >= 0) || l->value > 1e7)
            return MLLM_EINVAL;
        c->throttle_rps = l->value;
        s->bucket_tokens = l->value;
        s->bucket_t = now;
        break;
    case MLLM_LEVER_CONTEXT_CAP:
        if (l->arg < 0)
            return MLLM_EINVAL;
        c->context_cap = l->arg;
        break;
    case MLLM_LEVER_MAX_TOKENS:
        if (l->arg < 0)
            return MLLM_EINVAL;
        c->max_tokens = l->arg;
        break;
    case MLLM_LEVER_BACKOFF:
        c->backoff = arg_bool(l);
        break;
    case MLLM_LEVER_API_COMPAT:
        c->api_compat = arg_bool(l);
        break;
    case MLLM_LEVER_PARSER_COMPAT:
        c->parser_lenient = arg_bool(l);
        break;
    case MLLM_LEVER_ADD_DOCS: {
        if (l->arg < 0 || l->arg >= w->ntopics)
            return MLLM_EINVAL;
        int n = 0;
        for (int d = 0; d < w->ndocs; d++)
            if (w->docs[d].topic == l->arg && s->source_vi[d] < 0) {
                s->source_vi[d] = s->removed_vi[d] >= 0 ? s->removed_vi[d] : w->docs[d].nversions - 1;
                n++;
            }
        change(s, now, MLLM_CHANGE_KB_UPDATE, true, "%d %s documents restored to the sources", n,
               w->topics[l->arg].id);
        return 0;
    }
    case MLLM_LEVER_FLUSH_CACHE:
        for (int i = 0; i < w->ntexts; i++)
            s->cache[i].created = MLLM_NEVER;
        break;
    default:
        return MLLM_EINVAL;
    }
    return 0;
}

int mllm_service_refresh(mllm_service *s, mllm_time now)
{
    ensure_started(s);
    if (s->job_running)
        return MLLM_EBUSY;
    job_start(s, now, true);
    return 0;
}

int mllm_service_move_alias(mllm_service *s, int fingerprint, mllm_time now)
{
    const mllm_model *m = &s->w->models[s->model_of_role[MLLM_ROLE_PRIMARY]];
    if (fingerprint < 0 || fingerprint >= m->nversions)
        return MLLM_EINVAL;
    if (s->alias != fingerprint)
        change(s, now, MLLM_CHANGE_MODEL_ALIAS, false,
               "provider moved alias %s to %s", m->id, m->fingerprint[fingerprint]);
    s->alias = fingerprint;
    return 0;
}

int mllm_service_publish(mllm_service *s, int doc, int vi, mllm_time now)
{
    if (doc < 0 || doc >= s->w->ndocs || vi < -1 || vi >= s->w->docs[doc].nversions)
        return MLLM_EINVAL;
    s->source_vi[doc] = vi;
    change(s, now, MLLM_CHANGE_KB_UPDATE, true, "document %s %s", s->w->docs[doc].id,
           vi < 0 ? "archived" : "updated");
    return 0;
}

int mllm_service_set_cache_ttl(mllm_service *s, double seconds)
{
    if (!(seconds >= 0) || seconds > 86400.0 * 365)
        return MLLM_EINVAL;
    s->c.cache_ttl_s = seconds;
    return 0;
}

const mllm_controls *mllm_service_controls(const mllm_service *s)
{
    return &s->c;
}

void mllm_service_note_change(mllm_service *s, mllm_time now, mllm_change_kind kind,
                              const char *text)
{
    change(s, now, kind, true, "%s", text);
}

int mllm_service_source_version(const mllm_service *s, int doc)
{
    return doc >= 0 && doc < s->w->ndocs ? s->source_vi[doc] : -1;
}

const mllm_world *mllm_service_world(const mllm_service *s)
{
    return s->w;
}

int mllm_service_match_text(const mllm_service *s, const char *text, uint64_t *hash)
{
    uint64_t h = text ? text_norm_hash(text) : 0;
    if (hash)
        *hash = h;
    if (!text)
        return -1;
    int m = s->text_hash_size - 1, i = (int)(h & (uint64_t)m);
    while (s->text_hash[i] >= 0) {
        if (s->text_key[i] == h)
            return s->text_hash[i];
        i = (i + 1) & m;
    }
    return -1;
}

/* ---- the pipeline --------------------------------------------------------------------- */

static bool target_matches(const mllm_target *t, const mllm_request *req, int qtype, int topic,
                           int prompt, int model)
{
    return (t->region < 0 || t->region == req->region) && (t->plan < 0 || t->plan == req->plan) &&
           (t->client < 0 || t->client == req->client) && (t->qtype < 0 || t->qtype == qtype) &&
           (t->topic < 0 || t->topic == topic) && (t->prompt < 0 || t->prompt == prompt) &&
           (t->model < 0 || t->model == model);
}

/* Is request touched by fault `id` (given where it is routed)? */
static bool touched(const mllm_service *s, int id, const mllm_request *req, int qtype, int topic,
                    int prompt, int model)
{
    const mllm_fault *f = &s->faults[id];
    mllm_time t = req->t;
    if (!s->fault_started[id] || t < f->start || t >= f->end)
        return false;
    if (!target_matches(&f->target, req, qtype, topic, prompt, model))
        return false;
    double frac = f->target.fraction;
    if (f->ramp > 0 && t - f->start < f->ramp)
        frac *= (double)(t - f->start) / (double)f->ramp;
    return draw(s, req->id, P_FAULT + (uint64_t)id) < frac;
}

static void rate_advance(rate_window *rw, uint64_t sec)
{
    if (sec <= rw->last_sec)
        return;
    uint64_t gap = sec - rw->last_sec;
    if (gap >= RATE_WINDOW_S) {
        memset(rw->bucket, 0, sizeof rw->bucket);
        rw->sum = 0;
    } else {
        for (uint64_t k = 1; k <= gap; k++) {
            uint32_t *b = &rw->bucket[(rw->last_sec + k) % RATE_WINDOW_S];
            rw->sum -= *b;
            *b = 0;
        }
    }
    rw->last_sec = sec;
}

static double provider_limit(const mllm_service *s, int provider, const mllm_request *req,
                             int model, bool *no_retry, uint32_t *mask)
{
    const mllm_world *w = s->w;
    double limit = 1e12;
    for (int m = 0; m < w->nmodels; m++)
        if (w->models[m].provider == provider && w->models[m].rpm_limit < limit)
            limit = w->models[m].rpm_limit;
    for (int i = 0; i < s->nfaults; i++) {
        const mllm_fault *f = &s->faults[i];
        if (f->kind != MLLM_FAULT_RATE_LIMITING && f->kind != MLLM_FAULT_RATE_LIMIT_ERRORS)
            continue;
        int fm = f->target.model >= 0 ? f->target.model : s->model_of_role[0];
        if (w->models[fm].provider != provider)
            continue;
        if (!s->fault_started[i] || req->t < f->start || req->t >= f->end)
            continue;
        (void)model;
        if (f->factor > 0 && f->factor < limit)
            limit = f->factor;
        if (f->kind == MLLM_FAULT_RATE_LIMIT_ERRORS && !s->c.backoff)
            *no_retry = true;
        *mask |= 1u << i;
    }
    return limit;
}

static int approx_tokens_str(const char *s)
{
    return (int)(strlen(s) / 4) + 1;
}

static bool text_has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    if (!n)
        return false;
    for (const char *p = text; *p; p++) {
        /* A word start is enough: "delete" also matches "deleted", "deleting". */
        if ((p == text || !isalnum((unsigned char)p[-1])) && strncasecmp(p, word, n) == 0)
            return true;
    }
    return false;
}

static size_t retrieve(mllm_service *s, snapshot *sn, const mllm_request *req, const char *text,
                       mllm_hit *hits)
{
    if (req->text >= 0 && req->text < s->w->ntexts) {
        int8_t n = sn->memo_n[req->text];
        mllm_hit *m = &sn->memo[(size_t)req->text * MLLM_TOPK];
        if (n < 0) {
            n = (int8_t)mllm_index_search(sn->ix, text, strlen(text), m, MLLM_TOPK);
            sn->memo_n[req->text] = n;
        }
        memcpy(hits, m, sizeof *hits * (size_t)n);
        return (size_t)n;
    }
    return mllm_index_search(sn->ix, text, strlen(text), hits, MLLM_TOPK);
}

static void label_answer(const mllm_service *s, const mllm_query *q, mllm_response *r)
{
    if (r->status != 200) {
        r->label = MLLM_LABEL_ERROR;
        return;
    }
    if (r->refusal) {
        r->label = MLLM_LABEL_REFUSAL;
        return;
    }
    if (!q) {
        r->label = MLLM_LABEL_UNKNOWN;
        return;
    }
    if (r->smalltalk) {
        r->label = MLLM_LABEL_CORRECT;
        return;
    }
    if (r->invented_topic) {
        r->label = MLLM_LABEL_HALLUCINATION;
        return;
    }
    if (r->declined) {
        r->label = q->answerable ? MLLM_LABEL_NOANSWER : MLLM_LABEL_CORRECT;
        return;
    }
    bool stale = false;
    for (int i = 0; i < r->nfacts; i++) {
        const mllm_answer_fact *af = &r->facts[i];
        if (af->version < 0) {
            r->label = af->salt & 1u ? MLLM_LABEL_WRONG : MLLM_LABEL_HALLUCINATION;
            return;
        }
        int cur = s->source_vi[s->w->facts[af->fact].doc];
        const char *now_v = mllm_world_fact_value(s->w, af->fact, cur);
        const char *said = mllm_world_fact_value(s->w, af->fact, af->version);
        if (!now_v || !said || strcmp(now_v, said) != 0)
            stale = true;
    }
    r->label = stale ? MLLM_LABEL_STALE : MLLM_LABEL_CORRECT;
}

void mllm_service_handle(mllm_service *s, const mllm_request *req, mllm_response *r)
{
    const mllm_world *w = s->w;
    if (!s->started || req->t > s->now)
        mllm_service_advance(s, req->t);
    memset(r, 0, sizeof *r);
    r->status = 200;
    r->model = r->fingerprint = r->prompt = r->snapshot = r->json_schema = -1;
    r->query = req->text >= 0 && req->text < w->ntexts ? w->text_query[req->text] : -1;
    const mllm_query *q = r->query >= 0 ? &w->queries[r->query] : NULL;
    const char *text = q ? mllm_world_text(w, req->text) : (req->free_text ? req->free_text : "");
    const mllm_controls *c = &s->c;
    uint64_t id = req->id;
    r->qtype = q ? q->type : (req->structured ? MLLM_QT_STRUCTURED : MLLM_QT_FACTUAL);
    r->topic = q ? q->topic : -1;
    r->structured = req->structured || r->qtype == MLLM_QT_STRUCTURED;
    r->history_tokens = req->history_tokens;
    double lat[MLLM_STAGE_COUNT] = {0};
    lat[MLLM_STAGE_ROUTE] = 200 + 100 * draw(s, id, P_LAT_RET + 5);
    bool cacheable = q && c->cache_ttl_s > 0 && draw(s, id, P_CACHEABLE) < c->cacheable_share &&
                     !req->history_tokens;
    cache_entry *ce = q ? &s->cache[req->text] : NULL;
    int route = c->route;
    uint32_t slow_mask = 0, rate_mask = 0, grow_mask = 0; /* faults that may only delay it */

    /* 1. Flag and route. */
    if (c->kill_switch) {
        if (c->fallback == MLLM_FB_SIMPLIFIED) {
            route = MLLM_ROLE_SIMPLIFIED;
            r->fallback = true;
        } else {
            r->fallback = true;
            lat[MLLM_STAGE_CACHE] = 1500;
            if (c->fallback == MLLM_FB_CACHED && cacheable && q && q->answerable &&
                q->nfacts > 0) {
                /* The fallback cache holds support-approved answers to common
                 * questions (not the live response cache, which a fault may
                 * have poisoned). */
                r->cache_hit = true;
                for (int k = 0; k < q->nfacts; k++) {
                    r->facts[k].fact = q->facts[k];
                    r->facts[k].version = s->source_vi[w->facts[q->facts[k]].doc];
                    if (r->facts[k].version < 0)
                        r->facts[k].version = 0;
                }
                r->nfacts = q->nfacts;
                r->label = MLLM_LABEL_FALLBACK;
                lat[MLLM_STAGE_POST] = 500;
            } else {
                r->label = MLLM_LABEL_UNAVAILABLE;
            }
            goto done;
        }
    }
    /* 2. Gate. */
    if (((c->disabled_types >> r->qtype) & 1u) ||
        (r->topic >= 0 && ((c->disabled_topics >> r->topic) & 1u))) {
        r->gated = true;
        r->label = MLLM_LABEL_UNAVAILABLE;
        goto done;
    }
    /* 3. Throttle (token bucket, burst of one second). */
    if (c->throttle_rps > 0) {
        double tokens = s->bucket_tokens + (double)(req->t - s->bucket_t) / 1e6 * c->throttle_rps;
        if (tokens > c->throttle_rps)
            tokens = c->throttle_rps;
        if (tokens < 1.0) {
            r->throttled = true;
            r->status = 429;
            snprintf(r->err_code, sizeof r->err_code, "throttled");
            r->label = MLLM_LABEL_UNAVAILABLE;
            if (!req->dry_run) {
                s->bucket_tokens = tokens;
                s->bucket_t = req->t;
            }
            goto done;
        }
        if (!req->dry_run) {
            s->bucket_tokens = tokens - 1.0;
            s->bucket_t = req->t;
        }
    }
    /* 4. Cache. */
    if (cacheable) {
        lat[MLLM_STAGE_CACHE] = 1200 + 600 * draw(s, id, P_LAT_RET + 6);
        if (ce->created != MLLM_NEVER && req->t - ce->created < (mllm_time)(c->cache_ttl_s * 1e6)) {
            mllm_response keep = ce->resp;
            *r = keep;
            r->cache_hit = true;
            r->cost = 0;
            r->history_tokens = req->history_tokens;
            r->disclaimer = c->disclaimer;
            label_answer(s, q, r);
            lat[MLLM_STAGE_POST] = 400;
            r->fault_mask = keep.fault_mask;
            goto done;
        }
    }
    int model = s->model_of_role[route];
    const mllm_model *m = &w->models[model];
    int fp = route == MLLM_ROLE_PRIMARY ? (c->pin_fingerprint >= 0 ? c->pin_fingerprint : s->alias)
                                        : 0;
    r->route = route;
    r->model = model;
    r->fingerprint = fp;
    r->prompt = c->prompt;
    const mllm_prompt *pr = &w->prompts[c->prompt];

    /* 5. Retrieval (smalltalk skips it). */
    mllm_hit hits[MLLM_TOPK];
    size_t nh = 0;
    snapshot *sn = &s->snaps[s->live];
    r->snapshot = sn->id;
    bool small = q ? q->type == MLLM_QT_SMALLTALK : false;
    if (!small) {
        nh = retrieve(s, sn, req, text, hits);
        if (!q && nh > 0)
            r->topic = w->docs[w->chunks[hits[0].id].doc].topic;
        lat[MLLM_STAGE_RETRIEVE] = (12000 + 1500.0 * (double)nh) * noise(s, id, P_LAT_RET, NOISE_020);
        if (sn->degraded && sn->degraded_fault >= 0 &&
            touched(s, sn->degraded_fault, req, r->qtype, r->topic, c->prompt, model)) {
            /* Off-topic chunks with low scores replace the real ones. */
            int topic = r->topic;
            size_t k = 0;
            for (uint64_t tries = 0; k < 3 && tries < 64; tries++) {
                uint32_t ch = draw32(s, id, P_DEGRADE + tries) % (uint32_t)w->nchunks;
                int d = w->chunks[ch].doc;
                if (w->docs[d].topic == topic || sn->doc_vi[d] != w->chunks[ch].version_index)
                    continue;
                hits[k].id = ch;
                hits[k].score = (float)(0.4 + 1.2 * draw(s, id, P_DEGRADE + 100 + k));
                k++;
            }
            nh = k;
            r->fault_mask |= 1u << sn->degraded_fault;
        }
    }
    r->nchunks = (int)nh;
    for (size_t i = 0; i < nh; i++) {
        r->chunk[i] = hits[i].id;
        r->score[i] = hits[i].score;
    }

    /* 6. Prompt assembly. */
    int ctx = pr->system_tokens + approx_tokens_str(text);
    for (size_t i = 0; i < nh; i++)
        ctx += w->chunks[hits[i].id].tokens;
    int hist = req->history_tokens, base_hist = hist;
    for (int i = 0; i < s->nfaults; i++)
        if (s->faults[i].kind == MLLM_FAULT_CONTEXT_GROWTH &&
            touched(s, i, req, r->qtype, r->topic, c->prompt, model)) {
            double minutes = (double)(req->t - s->faults[i].start) / 60e6;
            hist += (int)(s->faults[i].factor * minutes) + 400;
            grow_mask |= 1u << i;
        }
    if (c->context_cap > 0 && hist > c->context_cap)
        hist = c->context_cap;
    if (c->context_cap > 0 && base_hist > c->context_cap)
        base_hist = c->context_cap;
    if (hist <= base_hist)
        grow_mask = 0; /* the cap absorbed the growth: the fault changes nothing */
    r->history_tokens = hist;
    ctx += hist;
    r->context_tokens = ctx;
    r->prompt_tokens = ctx;
    lat[MLLM_STAGE_PROMPT] = 300 + (double)ctx * 0.05;
    if (ctx > m->context_window) {
        r->status = 400;
        r->fault_mask |= grow_mask;
        snprintf(r->err_code, sizeof r->err_code, "context_length_exceeded");
        goto label;
    }

    /* 7. Provider call. */
    {
        int prov = m->provider;
        const mllm_model *pm = &w->models[s->model_of_role[0]];
        bool primary_provider = prov == pm->provider;
        for (int i = 0; i < s->nfaults; i++) {
            if (s->faults[i].kind == MLLM_FAULT_API_CHANGE && primary_provider && !c->api_compat &&
                touched(s, i, req, r->qtype, r->topic, c->prompt, model)) {
                r->status = 400;
                snprintf(r->err_code, sizeof r->err_code, "invalid_request_error");
                r->fault_mask |= 1u << i;
                lat[MLLM_STAGE_PROVIDER] = 80000 * noise(s, id, P_LAT_TTFT, NOISE_020);
                goto label;
            }
        }
        bool no_retry = false;
        uint32_t rmask = 0;
        double limit = provider_limit(s, prov, req, model, &no_retry, &rmask);
        rate_window *rw = &s->rate[prov];
        double wait_us = 0;
        int attempt = 0;
        for (;; attempt++) {
            mllm_time at = req->t + (mllm_time)wait_us;
            uint32_t sum = rw->sum;
            if (!req->dry_run) {
                rate_advance(rw, at / 1000000u);
                rw->bucket[(at / 1000000u) % RATE_WINDOW_S]++;
                rw->sum++;
                sum = rw->sum;
            }
            double p429 = (double)sum > limit ? 1.0 - limit / (double)sum : 0.0;
            if (draw(s, id, P_RATE + (uint64_t)attempt) >= p429)
                break;
            if (no_retry || attempt + 1 >= MAX_ATTEMPTS) {
                r->fault_mask |= rmask;
                r->status = 429;
                r->retries = attempt;
                snprintf(r->err_code, sizeof r->err_code, "rate_limit_exceeded");
                lat[MLLM_STAGE_PROVIDER] = wait_us + 30000;
                goto label;
            }
            wait_us += 1e6 * (double)(1u << attempt) * (0.75 + 0.5 * draw(s, id, P_RATE + 10 + (uint64_t)attempt));
        }
        r->retries = attempt;
        double slow = 1.0;
        rate_mask = r->retries ? rmask : 0;
        for (int i = 0; i < s->nfaults; i++)
            if (s->faults[i].kind == MLLM_FAULT_PROVIDER_SLOWDOWN) {
                int fm = s->faults[i].target.model >= 0 ? s->faults[i].target.model :
                                                          s->model_of_role[0];
                if (w->models[fm].provider == prov &&
                    touched(s, i, req, r->qtype, r->topic, c->prompt, -1)) {
                    slow *= s->faults[i].factor > 1 ? s->faults[i].factor : 4.0;
                    slow_mask |= 1u << i;
                }
            }
        double ttft = (m->ttft_ms * 1000.0 + (double)ctx * 100.0) * slow *
                      noise(s, id, P_LAT_TTFT, NOISE_025);
        r->ttft_us = (uint32_t)(wait_us + ttft);
        lat[MLLM_STAGE_PROVIDER] = wait_us + ttft;
    }

    /* 8. What the model says. */
    {
        bool refuse = draw(s, id, P_REFUSAL) < m->base_refusal;
        for (int i = 0; i < s->nfaults && !refuse; i++) {
            const mllm_fault *f = &s->faults[i];
            if (f->kind == MLLM_FAULT_SAFETY_UPDATE && route == MLLM_ROLE_PRIMARY &&
                fp == f->fingerprint && (f->topic < 0 || f->topic == r->topic) && !small &&
                touched(s, i, req, r->qtype, r->topic, c->prompt, model)) {
                refuse = true;
                r->fault_mask |= 1u << i;
            } else if (f->kind == MLLM_FAULT_PROMPT_TRIGGER && text_has_word(text, f->term) &&
                       touched(s, i, req, r->qtype, r->topic, c->prompt, model)) {
                refuse = true;
                r->fault_mask |= 1u << i;
            }
        }
        if (refuse) {
            r->refusal = true;
        } else if (small) {
            r->smalltalk = true;
        } else {
            double p_halluc = m->hallucinate_without_context * (pr->answer_from_context ? 0.15 : 1.0);
            /* Faults that make the model ignore or garble its context. */
            int wrong_fault = -1;
            for (int i = 0; i < s->nfaults && wrong_fault < 0; i++) {
                const mllm_fault *f = &s->faults[i];
                if ((f->kind == MLLM_FAULT_PROMPT_REGRESSION ||
                     (f->kind == MLLM_FAULT_MODEL_CHANGE && route == MLLM_ROLE_PRIMARY &&
                      fp == f->fingerprint)) &&
                    touched(s, i, req, r->qtype, r->topic, c->prompt, model))
                    wrong_fault = i;
            }
            if (q && !q->answerable) {
                if (draw(s, id, P_HALLUC) < p_halluc)
                    r->invented_topic = true;
                else
                    r->declined = true;
            } else if (q) {
                bool doc_retrieved = false;
                for (size_t h = 0; h < nh; h++)
                    doc_retrieved |= w->chunks[hits[h].id].doc == q->doc;
                for (int k = 0; k < q->nfacts; k++) {
                    int fact = q->facts[k];
                    int vi = -1;
                    for (size_t h = 0; h < nh && vi < 0; h++) {
                        const mllm_chunk *ch = &w->chunks[hits[h].id];
                        for (int j = 0; j < ch->nfacts; j++)
                            if (ch->facts[j] == fact)
                                vi = ch->version_index;
                    }
                    mllm_answer_fact *af = &r->facts[r->nfacts];
                    af->fact = fact;
                    af->salt = draw32(s, id, P_SALT + (uint64_t)k);
                    if (wrong_fault >= 0) {
                        /* A consistent pattern: the same wrong value every time. */
                        af->version = -1;
                        af->salt = (uint32_t)(wrong_fault * 2 + 1) |
                                   (uint32_t)(s->faults[wrong_fault].kind << 8);
                        r->fault_mask |= 1u << wrong_fault;
                        r->nfacts++;
                    } else if (vi >= 0 && draw(s, id, P_RECALL + (uint64_t)k) < m->recall) {
                        af->version = vi;
                        r->nfacts++;
                    } else if (draw(s, id, P_HALLUC + 1 + (uint64_t)k) < p_halluc) {
                        af->version = -1;
                        af->salt &= ~1u; /* even: hallucination */
                        r->nfacts++;
                    } else if (nh > 0 && !doc_retrieved &&
                               draw(s, id, P_HALLUC + 8 + (uint64_t)k) < 0.5) {
                        /* Takes a related but irrelevant context for the answer: a wrong
                         * answer when the source exists but was missed, a hallucination
                         * when the knowledge base has no source at all. */
                        af->version = -1;
                        if (q->doc >= 0 && sn->doc_vi[q->doc] >= 0)
                            af->salt |= 1u;
                        else
                            af->salt &= ~1u;
                        r->nfacts++;
                    }
                    /* else: the model leaves this fact out of its answer. */
                }
                if (r->nfacts == 0 && q->nfacts > 0)
                    r->declined = true;
                /* Faults on the index show where the answer's document was out
                 * of date (stale_index) or missing (kb_gap) in the live index. */
                bool doc_behind = q->doc >= 0 && sn->doc_vi[q->doc] >= 0 &&
                                  sn->doc_vi[q->doc] != s->source_vi[q->doc];
                bool doc_missing = q->doc >= 0 && sn->doc_vi[q->doc] < 0;
                for (int i = 0; i < s->nfaults; i++) {
                    const mllm_fault *f = &s->faults[i];
                    if (!s->fault_started[i] || req->t < f->start || req->t >= f->end)
                        continue;
                    if ((f->kind == MLLM_FAULT_STALE_INDEX && doc_behind) ||
                        (f->kind == MLLM_FAULT_KB_GAP && doc_missing && f->topic == r->topic))
                        r->fault_mask |= 1u << i;
                }
            } else {
                /* Free text: state the best chunk's facts. */
                if (nh == 0 || hits[0].score < 1.0f) {
                    r->declined = true;
                } else {
                    const mllm_chunk *ch = &w->chunks[hits[0].id];
                    for (int j = 0; j < ch->nfacts && r->nfacts < 2; j++) {
                        r->facts[r->nfacts].fact = ch->facts[j];
                        r->facts[r->nfacts].version = ch->version_index;
                        r->nfacts++;
                    }
                    if (r->nfacts == 0)
                        r->declined = true;
                }
            }
        }
        /* Completion length follows the prompt's style. */
        int out = pr->style[0] == 'v' ? 140 : pr->style[0] == 'f' ? 90 : 60;
        out += 14 * r->nfacts + (int)(30 * draw(s, id, P_TOKENS));
        if (r->structured)
            out += 20;
        int cap = c->max_tokens;
        if (req->max_tokens > 0 && (cap == 0 || req->max_tokens < cap))
            cap = req->max_tokens;
        if (cap > 0 && out > cap) {
            out = cap;
            r->truncated = true;
        }
        r->completion_tokens = out;
        double gen = (double)out / m->tokens_per_s * 1e6 * noise(s, id, P_LAT_GEN, NOISE_015);
        for (int i = 0; i < s->nfaults; i++)
            if (s->faults[i].kind == MLLM_FAULT_PROVIDER_SLOWDOWN && ((slow_mask >> i) & 1u))
                gen *= s->faults[i].factor > 1 ? s->faults[i].factor : 4.0;
        lat[MLLM_STAGE_PROVIDER] += gen;
        r->cost = (double)r->prompt_tokens / 1000.0 * m->cost_in_per_1k +
                  (double)out / 1000.0 * m->cost_out_per_1k;
    }

    /* 9. Post-processing: structured output must parse. */
    lat[MLLM_STAGE_POST] = 600;
    if (r->structured && !r->refusal) {
        lat[MLLM_STAGE_POST] += 1500;
        r->json_schema = strcmp(pr->json_schema, "result_citations") == 0 ? 1 : 0;
        bool mismatch = false;
        for (int i = 0; i < s->nfaults; i++)
            if (s->faults[i].kind == MLLM_FAULT_SCHEMA_MISMATCH && !c->parser_lenient &&
                touched(s, i, req, r->qtype, r->topic, c->prompt, model)) {
                mismatch = true;
                r->fault_mask |= 1u << i;
            }
        if (mismatch || r->truncated) {
            r->status = 500;
            snprintf(r->err_code, sizeof r->err_code, "output_parse_error");
        }
    }
    r->disclaimer = c->disclaimer;

label:
    label_answer(s, q, r);
    if (r->status == 200 && cacheable && !r->refusal && !req->dry_run) {
        ce->created = req->t;
        ce->resp = *r;
    }
done:
    if (r->label != MLLM_LABEL_ERROR && r->status != 200 && !r->throttled)
        r->label = MLLM_LABEL_ERROR;
    double total = 0;
    for (int i = 0; i < MLLM_STAGE_COUNT; i++) {
        double v = lat[i] < 0 ? 0 : lat[i] > 4e9 / MLLM_STAGE_COUNT ? 4e9 / MLLM_STAGE_COUNT : lat[i];
        r->stage_us[i] = (uint32_t)v;
        total += v;
    }
    /* The client gives up after its timeout: the user sees an error. Faults
     * that only delayed the request are to blame exactly then. */
    if (c->timeout_ms > 0 && total > c->timeout_ms * 1000.0 && r->status == 200) {
        r->status = 504;
        snprintf(r->err_code, sizeof r->err_code, "timeout");
        r->label = MLLM_LABEL_ERROR;
        r->fault_mask |= slow_mask | rate_mask | grow_mask;
        double over = total - c->timeout_ms * 1000.0;
        r->stage_us[MLLM_STAGE_PROVIDER] =
            r->stage_us[MLLM_STAGE_PROVIDER] > over ? (uint32_t)(r->stage_us[MLLM_STAGE_PROVIDER] - over) : 0;
        total = c->timeout_ms * 1000.0;
        if (!req->dry_run && ce && ce->created == req->t)
            ce->created = MLLM_NEVER; /* never cache what the user did not get */
    } else if (c->slo_ms > 0 && total > c->slo_ms * 1000.0 && r->status == 200) {
        /* Answered, but slower than the service's objective: users notice. */
        r->slow = true;
        r->fault_mask |= slow_mask | rate_mask | grow_mask;
    }
    r->latency_us = (uint32_t)total;
    if (r->ttft_us == 0 || r->ttft_us > r->latency_us)
        r->ttft_us = r->latency_us;
}

/* ---- rendering ------------------------------------------------------------------------ */

/* A plausible wrong value: the first number changed, or the last word swapped. */
static void perturb(const char *v, uint32_t salt, char *out, size_t n)
{
    const char *d = v;
    while (*d && !isdigit((unsigned char)*d))
        d++;
    if (*d) {
        char *end;
        double num = strtod(d, &end);
        static const double mult[] = {2.0, 0.5, 3.0, 1.5, 10.0, 0.25};
        double nv = num * mult[(salt >> 1) % 6];
        if (nv == num)
            nv = num + 1;
        char numbuf[32];
        if (nv == floor(nv) && nv < 1e12)
            snprintf(numbuf, sizeof numbuf, "%.0f", nv);
        else
            snprintf(numbuf, sizeof numbuf, "%.2f", nv);
        snprintf(out, n, "%.*s%s%s", (int)(d - v), v, numbuf, end);
        return;
    }
    static const char *const alt[] = {"Advanced", "Preferences", "the Admin Console", "Labs",
                                      "not available", "unlimited"};
    const char *sp = strrchr(v, ' ');
    if (sp)
        snprintf(out, n, "%.*s %s", (int)(sp - v), v, alt[(salt >> 1) % 6]);
    else
        snprintf(out, n, "%s", alt[(salt >> 1) % 6]);
}

static void humanize(const char *key, char *out, size_t n)
{
    size_t i = 0;
    for (; key[i] && i + 1 < n; i++)
        out[i] = key[i] == '_' ? ' ' : key[i];
    out[i] = '\0';
}

typedef struct sbuf {
    char *p;
    size_t n, len;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->len < b->n ? b->n - b->len : 0;
    int k = vsnprintf(room ? b->p + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        b->len += (size_t)k;
}

/* Appends k bytes as sb_printf would (truncated to the room, NUL-terminated,
 * len counting them all), without a format. */
static void sb_put(sbuf *b, const char *p, size_t k)
{
    if (b->len < b->n) {
        size_t room = b->n - b->len - 1, c = k < room ? k : room;
        memcpy(b->p + b->len, p, c);
        b->p[b->len + c] = '\0';
    }
    b->len += k;
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* Escapes a string for JSON into b. */
static void sb_json_str(sbuf *b, const char *s)
{
    sb_put(b, "\"", 1);
    while (*s) {
        size_t run = strcspn(s, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e"
                                "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                "\x1e\x1f");
        sb_put(b, s, run);
        s += run;
        if (!*s)
            break;
        if (*s == '"' || *s == '\\') {
            char e[2] = {'\\', *s};
            sb_put(b, e, 2);
        } else {
            static const char hex[] = "0123456789abcdef";
            char e[6] = {'\\', 'u', '0', '0', hex[(unsigned char)*s >> 4], hex[*s & 15]};
            sb_put(b, e, 6);
        }
        s++;
    }
    sb_put(b, "\"", 1);
}

/* Whether the comma-separated list holds the item id[0..n) (whole items only). */
static bool list_has(const char *list, const char *id, size_t n)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && memcmp(p, id, n) == 0)
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

size_t mllm_service_render(const mllm_service *s, const mllm_request *req,
                           const mllm_response *r, char *buf, size_t n)
{
    const mllm_world *w = s->w;
    sbuf b = {buf, n, 0};
    if (n)
        buf[0] = '\0';
    const mllm_query *q = r->query >= 0 ? &w->queries[r->query] : NULL;
    const char *style = r->prompt >= 0 ? w->prompts[r->prompt].style : "concise";
    bool cite = r->prompt >= 0 && w->prompts[r->prompt].cite_sources;
    (void)req;
    if (r->status != 200) {
        char e[256];
        sb_puts(&b, mllm_service_error_message(s, r, e, sizeof e));
        return b.len;
    }
    if (r->gated) {
        sb_puts(&b, "Sorry, I can't help with this kind of request right now. Please contact "
                    "Skyloft support at support@skyloft.example.");
        return b.len;
    }
    if (r->fallback && !r->cache_hit && r->label == MLLM_LABEL_UNAVAILABLE) {
        sb_puts(&b, "The Skyloft assistant is temporarily unavailable. Please try again in a "
                    "few minutes or contact support@skyloft.example.");
        return b.len;
    }
    char answer[1024];
    sbuf a = {answer, sizeof answer, 0};
    answer[0] = '\0';
    char sources[256] = "";
    size_t soff = 0;
    if (r->refusal) {
        sb_puts(&a, "I'm sorry, but I can't help with that request.");
    } else if (r->smalltalk) {
        sb_puts(&a, style[0] == 'f' ? "Hey there! I'm Sky, Skyloft's helper. What can I "
                                      "do for you today?" :
                                      "Hello! I'm the Skyloft support assistant. How can "
                                      "I help you today?");
    } else if (r->invented_topic) {
        const char *topic = r->topic >= 0 ? w->topics[r->topic].title : "That feature";
        sb_printf(&a, "Yes! %s is fully supported on every plan. You can turn it on under "
                      "Settings > Labs > %s, and it is included at no extra cost.",
                  topic, topic);
    } else if (r->declined || r->nfacts == 0) {
        sb_puts(&a, "I couldn't find that in the Skyloft documentation, so I don't want to "
                    "guess. Would you like me to connect you with a support agent?");
    } else {
        if (style[0] == 'v')
            sb_puts(&a, "Thanks for reaching out! Here is what I found. ");
        else if (style[0] == 'f')
            sb_puts(&a, "Happy to help! ");
        for (int i = 0; i < r->nfacts; i++) {
            const mllm_answer_fact *af = &r->facts[i];
            const mllm_fact *f = &w->facts[af->fact];
            char key[96], wrong[160];
            humanize(f->key, key, sizeof key);
            const char *val = wrong;
            if (af->version >= 0)
                val = mllm_world_fact_value(w, af->fact, af->version);
            else
                perturb(mllm_world_fact_value(w, af->fact, s->source_vi[f->doc] >= 0 ?
                                                               s->source_vi[f->doc] : 0),
                        af->salt, wrong, sizeof wrong);
            key[0] = (char)toupper((unsigned char)key[0]);
            sb_puts(&a, key);
            sb_put(&a, ": ", 2);
            sb_put(&a, val, strnlen(val, sizeof wrong - 1));
            sb_put(&a, ". ", i + 1 < r->nfacts ? 2 : 1);
            const char *id = w->docs[f->doc].id;
            size_t idn = strlen(id);
            if (af->version >= 0 && soff + (soff > 0) + idn < sizeof sources &&
                !list_has(sources, id, idn)) {
                if (soff)
                    sources[soff++] = ',';
                memcpy(sources + soff, id, idn + 1);
                soff += idn;
            }
        }
        if (cite && sources[0]) {
            sb_put(&a, " [", 2);
            sb_put(&a, sources, soff);
            sb_put(&a, "]", 1);
        }
    }
    if (r->structured && !r->refusal) {
        bool alt = r->json_schema == 1;
        sb_puts(&b, alt ? "{\"result\": " : "{\"answer\": ");
        sb_json_str(&b, answer);
        sb_puts(&b, alt ? ", \"citations\": [" : ", \"sources\": [");
        char *save = NULL;
        int k = 0;
        for (char *tok = strtok_r(sources, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            sb_printf(&b, "%s\"%s\"", k++ ? ", " : "", tok);
        sb_put(&b, "]}", 2);
    } else {
        sb_put(&b, answer, a.len < sizeof answer ? a.len : sizeof answer - 1);
    }
    if (r->disclaimer)
        sb_puts(&b, "\n\nNote: this answer was generated by AI and may be incomplete or out of "
                    "date. Please verify important details with Skyloft support.");
    (void)q;
    return b.len;
}

const char *mllm_service_error_message(const mllm_service *s, const mllm_response *r, char *buf,
                                       size_t n)
{
    const mllm_world *w = s->w;
    buf[0] = '\0';
    if (r->status == 200)
        return buf;
    if (strcmp(r->err_code, "invalid_request_error") == 0) {
        const char *param = "max_tokens";
        for (int i = 0; i < s->nfaults; i++)
            if (((r->fault_mask >> i) & 1u) && s->faults[i].kind == MLLM_FAULT_API_CHANGE &&
                s->faults[i].param[0])
                param = s->faults[i].param;
        snprintf(buf, n, "provider returned 400: Unrecognized request argument supplied: %s", param);
    } else if (strcmp(r->err_code, "rate_limit_exceeded") == 0) {
        int prov = r->model >= 0 ? w->models[r->model].provider : 0;
        snprintf(buf, n,
                 "provider returned 429: Rate limit reached for requests (%s); retry-after: 1s; "
                 "x-ratelimit-remaining-requests: 0 (after %d retries)",
                 w->providers[prov].id, r->retries);
    } else if (strcmp(r->err_code, "output_parse_error") == 0) {
        if (r->truncated)
            snprintf(buf, n, "structured output parse error: unexpected end of JSON input "
                             "(completion truncated at max_tokens)");
        else
            snprintf(buf, n, "structured output parse error: missing required field \"answer\" "
                             "(got keys \"result\", \"citations\")");
    } else if (strcmp(r->err_code, "context_length_exceeded") == 0) {
        int win = r->model >= 0 ? w->models[r->model].context_window : 0;
        snprintf(buf, n, "provider returned 400: This model's maximum context length is %d "
                         "tokens, but the request has %d tokens",
                 win, r->context_tokens);
    } else if (strcmp(r->err_code, "timeout") == 0) {
        snprintf(buf, n, "upstream timeout: no complete answer within %.0f s (time to first "
                         "token %.1f s)", s->c.timeout_ms / 1000.0, r->ttft_us / 1e6);
    } else if (strcmp(r->err_code, "throttled") == 0) {
        snprintf(buf, n, "request shed by the service throttle (%.0f requests/s)",
                 s->c.throttle_rps);
    } else {
        snprintf(buf, n, "error %d: %s", r->status, r->err_code);
    }
    return buf;
}

/* ---- status --------------------------------------------------------------------------- */

void mllm_service_status(const mllm_service *s, mllm_time now, mllm_status *st)
{
    const mllm_world *w = s->w;
    memset(st, 0, sizeof *st);
    const snapshot *live = s->live >= 0 ? &s->snaps[s->live] : NULL;
    st->live_snapshot = live ? live->id : -1;
    st->index_built_at = live ? live->built_at : -s->cfg.index_age_us;
    st->last_refresh_ok = s->last_refresh_ok;
    st->next_refresh = s->next_refresh;
    st->reindex_running = s->job_running;
    st->reindex_done_at = s->job_running ? s->job_done : 0;
    for (int d = 0; live && d < w->ndocs; d++)
        st->sources_changed_since_index += live->doc_vi[d] != s->source_vi[d];
    st->primary_alias = s->alias;
    for (int p = 0; p < w->nproviders && p < MLLM_MAX_PROVIDERS; p++) {
        st->provider_status[p] = "operational";
        for (int i = 0; i < s->nfaults; i++) {
            const mllm_fault *f = &s->faults[i];
            int fm = f->target.model >= 0 ? f->target.model : s->model_of_role[0];
            if (f->kind == MLLM_FAULT_PROVIDER_SLOWDOWN && w->models[fm].provider == p &&
                now >= f->start && now < f->end)
                st->provider_status[p] = "degraded performance";
        }
        rate_window rw = s->rate[p];
        rate_advance(&rw, now / 1000000u);
        st->provider_rpm[p] = rw.sum;
        bool nr = false;
        uint32_t mask = 0;
        mllm_request fake = {.t = now};
        st->provider_rpm_limit[p] = provider_limit(s, p, &fake, -1, &nr, &mask);
    }
    for (int i = 0; i < MAX_SNAPSHOTS; i++)
        if (s->snaps[i].id >= 0 && st->nsnapshots < 8) {
            mllm_snapshot_info *si = &st->snapshots[st->nsnapshots++];
            si->id = s->snaps[i].id;
            si->built_at = s->snaps[i].built_at;
            si->chunks = s->snaps[i].nchunks;
            si->live = i == s->live;
        }
    for (int i = 0; i < w->ntexts; i++)
        st->cache_entries += s->cache[i].created != MLLM_NEVER &&
                             now - s->cache[i].created < (mllm_time)(s->c.cache_ttl_s * 1e6);
}
