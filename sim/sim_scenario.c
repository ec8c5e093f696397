/* sim_scenario.c - loads and checks drill scenarios and responder policies.
 *
 * One pass over the cJSON tree per file: each field is read with its type and
 * range, names are checked against the world, and the pass goes on after a
 * bad field (skipping only the checks that depend on it), so one run reports
 * many errors, each as file:line:col: json.path: message, in file order. The
 * format and its defaults are in scenarios/README.md; the JSON Schema in
 * scenarios/schema/ states the same rules for editors. */
#include "sim_scenario.h"
#include "sim_eval.h"
#include "sim_metrics.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RATE         100000.0
#define MAX_TOKENS_ARG   10000000L
#define MAX_SNAPSHOT_ARG 1000000L
#define MAX_SEED         9007199254740992L /* 2^53: exact in a double, so in JSON */
#define DAY              SIM_SEC(86400)
#define YEAR             (365 * DAY)

/* ---- name tables ---------------------------------------------------------------------- */

#define SYMPTOM_ID(name, id, title)    id,
#define SYMPTOM_TITLE(name, id, title) title,
const char *const sim_symptom_names[] = {SIM_SYMPTOM_MAP(SYMPTOM_ID) NULL};
const char *const sim_symptom_titles[] = {SIM_SYMPTOM_MAP(SYMPTOM_TITLE) NULL};
#undef SYMPTOM_ID
#undef SYMPTOM_TITLE

/* The decision table's row for each fault kind. */
const sim_symptom sim_fault_symptom[MLLM_FAULT_COUNT] = {
    [MLLM_FAULT_PROMPT_REGRESSION] = SIM_SYMPTOM_WRONG_CONSISTENT,
    [MLLM_FAULT_MODEL_CHANGE] = SIM_SYMPTOM_WRONG_CONSISTENT,
    [MLLM_FAULT_RETRIEVAL_DEGRADATION] = SIM_SYMPTOM_WRONG_RANDOM,
    [MLLM_FAULT_STALE_INDEX] = SIM_SYMPTOM_STALE,
    [MLLM_FAULT_SAFETY_UPDATE] = SIM_SYMPTOM_REFUSALS,
    [MLLM_FAULT_PROMPT_TRIGGER] = SIM_SYMPTOM_REFUSALS,
    [MLLM_FAULT_PROVIDER_SLOWDOWN] = SIM_SYMPTOM_LATENCY,
    [MLLM_FAULT_RATE_LIMITING] = SIM_SYMPTOM_LATENCY,
    [MLLM_FAULT_CONTEXT_GROWTH] = SIM_SYMPTOM_LATENCY,
    [MLLM_FAULT_API_CHANGE] = SIM_SYMPTOM_ERRORS,
    [MLLM_FAULT_SCHEMA_MISMATCH] = SIM_SYMPTOM_ERRORS,
    [MLLM_FAULT_RATE_LIMIT_ERRORS] = SIM_SYMPTOM_ERRORS,
    [MLLM_FAULT_KB_GAP] = SIM_SYMPTOM_TOPIC_HALLUCINATION,
};

#define ACTION_ID(name, id, arg)  id,
#define ACTION_ARG(name, id, arg) arg,
const char *const sim_action_names[] = {SIM_ACTION_MAP(ACTION_ID) NULL};
const char *const sim_action_arg_help[] = {SIM_ACTION_MAP(ACTION_ARG) NULL};
#undef ACTION_ID
#undef ACTION_ARG

const char *const sim_profile_names[] = {"constant", "diurnal", "bursts", NULL};
/* clang-format off */
const char *const sim_change_names[] = {
    "prompt_deploy", "model_alias", "index_refresh", "traffic_shift", "config", "kb_update", NULL};
const char *const sim_metric_names[] = {
    "request_rate",   "error_rate",     "rate_429",       "latency_p50_ms",
    "latency_p95_ms", "latency_p99_ms", "refusal_rate",   "judge_quality",
    "judge_bad_rate", "cost_per_min",   "context_tokens", "cache_hit_rate",
    "fallback_rate",  "index_age_min",  "ttft_p99_ms",    "empty_retrieval_rate",
    "cost_anomaly",   NULL};
const char *const sim_metric_units[] = {
    "req/s", "share", "share", "ms",
    "ms",    "ms",    "share", "score",
    "share", "USD/min", "tokens", "share",
    "share", "min",   "ms",    "share",
    "ratio", NULL};
const char *const sim_score_part_names[] = {
    "detect", "contain", "diagnose", "mitigate", "harm", "postmortem", NULL};
/* clang-format on */

_Static_assert(sizeof sim_symptom_names / sizeof *sim_symptom_names == SIM_SYMPTOM_COUNT + 1,
               "symptom table");
_Static_assert(sizeof sim_change_names / sizeof *sim_change_names == SIM_CHANGE_COUNT + 1,
               "change table");
_Static_assert(sizeof sim_metric_names / sizeof *sim_metric_names == SIM_M_COUNT + 1,
               "metric table");
_Static_assert(sizeof sim_metric_units / sizeof *sim_metric_units == SIM_M_COUNT + 1, "unit table");
_Static_assert(sizeof sim_score_part_names / sizeof *sim_score_part_names == SIM_PART_COUNT + 1,
               "score part table");
_Static_assert(SIM_ACT_COUNT <= 64, "needs_approval is a 64-bit mask");

static const char *const difficulty_names[] = {"easy", "medium", "hard", NULL};
static const char *const op_names[] = {">", "<", NULL};
static const char *const window_names[] = {"10s", "1m", NULL};
static const char *const severity_names[] = {"page", "ticket", NULL};
static const char *const on_off_names[] = {"on", "off", NULL};
static const char *const declare_names[] = {"sev1", "sev2", "sev3", NULL};

/* Lever actions change the service; the others are incident steps. */
static bool action_is_lever(sim_action_kind k)
{
    return k <= SIM_ACT_FLUSH_CACHE;
}

static bool action_takes_arg(sim_action_kind k)
{
    return sim_action_arg_help[k][0] != '\0';
}

/* ---- small helpers -------------------------------------------------------------------- */

static int count_names(const char *const *names)
{
    int n = 0;
    while (names[n])
        n++;
    return n;
}

/* Edit distance where swapping two neighbours counts as one edit (optimal
 * string alignment), so "agr" is one edit from "arg". O(|a| |b|). */

/* The name closest to s, or NULL when none is plausibly meant: a suggestion
 * needs s to have 3+ characters and at most one edit per three of them, and
 * never more than 3 (so "v9" suggests nothing rather than "v1"). */
static const char *closest(const char *s, const char *const *names, int n)
{
    const char *best = NULL;
    size_t len = strlen(s);
    size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
    size_t bestd = limit + 1;
    if (len < 3)
        return NULL;
    for (int i = 0; i < n; i++) {
        size_t d = mllm_edit_distance(s, names[i]);
        if (d < bestd) {
            bestd = d;
            best = names[i];
        }
    }
    return best;
}

/* Writes "a, b or c" into buf, ending in ", ..." when it does not fit. */
static void join_names(char *buf, size_t n, const char *const *names, int count)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int i = 0; i < count; i++) {
        const char *sep = i == 0 ? "" : i == count - 1 ? " or " : ", ";
        size_t need = strlen(sep) + strlen(names[i]);
        if (off + need + 6 >= n) {
            snprintf(buf + off, n - off, ", ...");
            return;
        }
        off += (size_t)snprintf(buf + off, n - off, "%s%s", sep, names[i]);
    }
}

/* "unknown WHAT "s" (did you mean "x"?)", or with the list of names. */
static void unknown_msg(char *buf, size_t n, const char *what, const char *s,
                        const char *const *names, int count)
{
    const char *best = closest(s, names, count);
    char list[160];
    if (best) {
        snprintf(buf, n, "unknown %s \"%.40s\" (did you mean \"%s\"?)", what, s, best);
    } else if (count > 0 && count <= 16) {
        join_names(list, sizeof list, names, count);
        snprintf(buf, n, "unknown %s \"%.40s\" (expected %s)", what, s, list);
    } else {
        snprintf(buf, n, "unknown %s \"%.40s\"", what, s);
    }
}


static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Copies s (known to fit, checked by the caller) into a fixed buffer. */
static void copy_str(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s);
}

/* Identifiers: lowercase ASCII letters and digits plus the characters in
 * `extra`; the first character is a letter or digit unless `any_first`. */
static bool ident_ok(const char *s, size_t maxlen, const char *extra, bool any_first)
{
    size_t len = strlen(s);
    if (len == 0 || len > maxlen)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (alnum)
            continue;
        if ((i > 0 || any_first) && strchr(extra, ch))
            continue;
        return false;
    }
    return true;
}

/* Strictly "us|ms|s|m|h|d"-suffixed decimals, e.g. "1h30m", "250ms", "1.5s". The same
 * pattern as the schema's; mllm_duration_parse alone also takes forms like "1e3s". */
static bool duration_syntax_ok(const char *s)
{
    if (!*s)
        return false;
    while (*s) {
        if (*s < '0' || *s > '9')
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
        if (*s == '.') {
            s++;
            if (*s < '0' || *s > '9')
                return false;
            while (*s >= '0' && *s <= '9')
                s++;
        }
        if (strncmp(s, "ms", 2) == 0 || strncmp(s, "us", 2) == 0)
            s += 2;
        else if (*s == 's' || *s == 'm' || *s == 'h' || *s == 'd')
            s++;
        else
            return false;
    }
    return true;
}

static void fmt_dur(sim_time t, char *buf, size_t n)
{
    mllm_duration_format(t, buf, n);
}

/* Parses a whole string of digits (at most 18) into *out. */
static bool parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    size_t len = strlen(s);
    if (len == 0 || len > 18)
        return false;
    unsigned long long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long long)(s[i] - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

/* Parses "12", "12.5" or "0.25" (no sign, exponent or hex) into *out. */
static bool parse_decimal(const char *s, double *out)
{
    const char *p = s;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p || p - s > 24)
        return false;
    *out = strtod(s, NULL);
    return isfinite(*out);
}

/* ---- world names ---------------------------------------------------------------------- */

typedef enum world_kind { W_TOPIC, W_PROMPT, W_MODEL, W_FINGERPRINT, W_DOC } world_kind;

/* Finds `s` among the world's names of a kind: topics, prompt versions, model
 * ids, fingerprints of the primary model, document ids. Returns the index, or
 * -1 with a message in msg. */
static int world_find(const mllm_world *w, world_kind kind, const char *s, char *msg, size_t n)
{
    const char *fixed[MLLM_MAX_TOPICS + MLLM_MAX_PROMPTS + 1];
    const char **names = fixed;
    int count = 0, idx = -1, pm = mllm_world_model_role(w, MLLM_ROLE_PRIMARY);
    const char *what = "name";
    switch (kind) {
    case W_TOPIC:
        idx = mllm_world_topic(w, s);
        what = "topic";
        for (int i = 0; i < w->ntopics; i++)
            fixed[count++] = w->topics[i].id;
        break;
    case W_PROMPT:
        idx = mllm_world_prompt(w, s);
        what = "prompt version";
        for (int i = 0; i < w->nprompts; i++)
            fixed[count++] = w->prompts[i].version;
        break;
    case W_MODEL:
        idx = mllm_world_model(w, s);
        what = "model";
        for (int i = 0; i < w->nmodels; i++)
            fixed[count++] = w->models[i].id;
        break;
    case W_FINGERPRINT:
        if (pm < 0) {
            snprintf(msg, n, "the world has no primary model");
            return -1;
        }
        idx = mllm_world_fingerprint(w, pm, s);
        for (int i = 0; i < w->models[pm].nversions; i++)
            fixed[count++] = w->models[pm].fingerprint[i];
        if (idx < 0) {
            char list[120];
            join_names(list, sizeof list, fixed, count);
            snprintf(msg, n, "unknown fingerprint \"%.40s\" for the primary model %s (expected %s)",
                     s, w->models[pm].id, list);
        }
        return idx;
    case W_DOC:
        idx = mllm_world_doc(w, s);
        what = "document";
        if (idx < 0 && w->ndocs > 0) {
            names = malloc(sizeof *names * (size_t)w->ndocs);
            if (names)
                for (int i = 0; i < w->ndocs; i++)
                    names[count++] = w->docs[i].id;
            else
                names = fixed;
        }
        break;
    }
    if (idx < 0)
        unknown_msg(msg, n, what, s, names, count);
    if (names != fixed)
        free(names);
    return idx;
}

/* ---- actions -------------------------------------------------------------------------- */

static int errf(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int errf(char *err, size_t n, const char *fmt, ...)
{
    if (err && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, n, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

/* Checks arg against a fixed name list; on a miss writes "kind: unknown WHAT ...". */
static int check_name(const char *kind, const char *arg, const char *const *names, const char *what,
                      char *err, size_t n)
{
    char msg[224];
    if (mllm_name_index(names, arg) >= 0)
        return 0;
    unknown_msg(msg, sizeof msg, what, arg, names, count_names(names));
    return errf(err, n, "%s: %s", kind, msg);
}

static int check_world(const char *kind, const char *arg, const mllm_world *w, world_kind wk,
                       char *err, size_t n)
{
    char msg[224];
    if (!w || world_find(w, wk, arg, msg, sizeof msg) >= 0)
        return 0;
    return errf(err, n, "%s: %s", kind, msg);
}

int sim_action_check(const sim_action_spec *a, const mllm_world *w, char *err, size_t errlen)
{
    unsigned long long u;
    double d;
    if ((unsigned)a->kind >= SIM_ACT_COUNT)
        return errf(err, errlen, "unknown action kind %d", (int)a->kind);
    const char *kind = sim_action_names[a->kind];
    const char *arg = a->arg;
    if (!memchr(arg, '\0', sizeof a->arg))
        return errf(err, errlen, "%s: argument longer than %zu characters", kind,
                    sizeof a->arg - 1);
    if (!action_takes_arg(a->kind)) {
        if (*arg)
            return errf(err, errlen, "%s takes no argument, got \"%.40s\"", kind, arg);
        return 0;
    }
    if (!*arg)
        return errf(err, errlen, "%s needs an argument (%s)", kind, sim_action_arg_help[a->kind]);
    switch (a->kind) {
    case SIM_ACT_KILL_SWITCH:
    case SIM_ACT_DISCLAIMER:
    case SIM_ACT_BACKOFF:
    case SIM_ACT_API_COMPAT:
    case SIM_ACT_PARSER_COMPAT:
        if (mllm_name_index(on_off_names, arg) < 0)
            return errf(err, errlen, "%s: expected on or off, got \"%.40s\"", kind, arg);
        return 0;
    case SIM_ACT_FALLBACK:
        return check_name(kind, arg, mllm_fallback_names, "fallback", err, errlen);
    case SIM_ACT_PROMPT:
        return check_world(kind, arg, w, W_PROMPT, err, errlen);
    case SIM_ACT_ROUTE:
        return check_name(kind, arg, mllm_role_names, "route", err, errlen);
    case SIM_ACT_PIN_MODEL:
        if (strcmp(arg, "none") == 0)
            return 0;
        return check_world(kind, arg, w, W_FINGERPRINT, err, errlen);
    case SIM_ACT_DISABLE_TYPE:
    case SIM_ACT_ENABLE_TYPE:
        return check_name(kind, arg, mllm_qtype_names, "query type", err, errlen);
    case SIM_ACT_DISABLE_TOPIC:
    case SIM_ACT_ENABLE_TOPIC:
    case SIM_ACT_ADD_DOCS:
        return check_world(kind, arg, w, W_TOPIC, err, errlen);
    case SIM_ACT_RESTORE_SNAPSHOT:
        if (strcmp(arg, "previous") == 0 || parse_uint(arg, MAX_SNAPSHOT_ARG, &u))
            return 0;
        return errf(err, errlen,
                    "%s: expected a snapshot id (an integer >= 0) or previous, "
                    "got \"%.40s\"",
                    kind, arg);
    case SIM_ACT_THROTTLE:
        if (parse_decimal(arg, &d) && d <= MAX_RATE)
            return 0;
        return errf(err, errlen,
                    "%s: expected requests/s, a number in [0, %g] (0 turns it off), "
                    "got \"%.40s\"",
                    kind, MAX_RATE, arg);
    case SIM_ACT_CONTEXT_CAP:
    case SIM_ACT_MAX_TOKENS:
        if (parse_uint(arg, (unsigned long long)MAX_TOKENS_ARG, &u))
            return 0;
        return errf(err, errlen,
                    "%s: expected tokens, an integer in [0, %ld] (0 turns it off), "
                    "got \"%.40s\"",
                    kind, MAX_TOKENS_ARG, arg);
    case SIM_ACT_DECLARE:
        if (mllm_name_index(declare_names, arg) >= 0)
            return 0;
        return errf(err, errlen, "%s: expected sev1, sev2 or sev3, got \"%.40s\"", kind, arg);
    case SIM_ACT_DIAGNOSE: {
        const char *slash = strchr(arg, '/');
        char sym[64];
        if (!slash || (size_t)(slash - arg) >= sizeof sym)
            return errf(err, errlen,
                        "%s: expected symptom/cause, e.g. "
                        "wrong_consistent/prompt_regression, got \"%.40s\"",
                        kind, arg);
        memcpy(sym, arg, (size_t)(slash - arg));
        sym[slash - arg] = '\0';
        if (check_name(kind, sym, sim_symptom_names, "symptom", err, errlen) != 0)
            return -EINVAL;
        return check_name(kind, slash + 1, mllm_fault_names, "cause", err, errlen);
    }
    case SIM_ACT_REPRODUCE:
        if (strcmp(arg, "last") == 0 || parse_uint(arg, MAX_SEED, &u))
            return 0;
        return errf(err, errlen, "%s: expected a trace id (an integer) or last, got \"%.40s\"",
                    kind, arg);
    case SIM_ACT_ACK:  /* any alert id or "*"; the responder check resolves ids */
    case SIM_ACT_NOTE: /* free text */
    default:
        return 0;
    }
}

/* As sim_action_parse; with `any_arg`, an action that takes an argument may be
 * written without one (an expected-action pattern that accepts any argument). */
static int action_parse(const char *s, const mllm_world *w, bool any_arg, sim_action_spec *out,
                        char *err, size_t errlen)
{
    char kind[32];
    if (!s || !*s)
        return errf(err, errlen, "empty action (expected \"kind\" or \"kind:arg\")");
    const char *colon = strchr(s, ':');
    size_t klen = colon ? (size_t)(colon - s) : strlen(s);
    if (klen >= sizeof kind)
        return errf(err, errlen, "unknown action \"%.40s\"", s);
    memcpy(kind, s, klen);
    kind[klen] = '\0';
    int k = mllm_name_index(sim_action_names, kind);
    if (k < 0) {
        char msg[224];
        unknown_msg(msg, sizeof msg, "action", kind, sim_action_names, SIM_ACT_COUNT);
        return errf(err, errlen, "%s", msg);
    }
    memset(out, 0, sizeof *out);
    out->kind = (sim_action_kind)k;
    if (colon) {
        if (!colon[1])
            return errf(err, errlen, "%s: empty argument after ':'", kind);
        if (strlen(colon + 1) >= sizeof out->arg)
            return errf(err, errlen, "%s: argument longer than %zu characters", kind,
                        sizeof out->arg - 1);
        copy_str(out->arg, sizeof out->arg, colon + 1);
    } else if (any_arg) {
        return 0;
    }
    return sim_action_check(out, w, err, errlen);
}

int sim_action_parse(const char *s, const mllm_world *w, sim_action_spec *out, char *err,
                     size_t errlen)
{
    return action_parse(s, w, false, out, err, errlen);
}

void sim_action_format(const sim_action_spec *a, char *buf, size_t n)
{
    const char *kind = (unsigned)a->kind < SIM_ACT_COUNT ? sim_action_names[a->kind] : "?";
    if (a->arg[0])
        snprintf(buf, n, "%s:%.*s", kind, (int)sizeof a->arg, a->arg);
    else
        snprintf(buf, n, "%s", kind);
}

/* ---- the reading context -------------------------------------------------------------- */

typedef struct ctx {
    mllm_jr r; /* document and diagnostics */
    const mllm_world *w;
    bool ok;            /* false once any error was reported */
    bool have_duration; /* the drill duration was read: times can be checked */
    bool faults_ok;     /* every fault's kind is known: causes can be checked */
    sim_time duration;
} ctx;

static bool fail(ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(ctx *c, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mllm_jdoc_error(c->r.doc, c->r.diags, path, "%s", msg);
    c->ok = false;
    return false;
}

static bool note(ctx *c, bool ok)
{
    if (!ok)
        c->ok = false;
    return ok;
}

/* Comments and editor hints are allowed everywhere: "x-..." fields, and
 * "$schema" at the root. */
static bool is_extension(const char *key, bool root)
{
    return strncmp(key, "x-", 2) == 0 || (root && strcmp(key, "$schema") == 0);
}

/* Reports fields that appear twice in obj (cJSON keeps both; readers see the
 * first). O(n^2) in the number of fields, which is small. */
static bool check_dups(ctx *c, const cJSON *obj, const char *path)
{
    bool ok = true;
    char fp[192];
    for (const cJSON *k = obj->child; k; k = k->next)
        for (const cJSON *e = obj->child; k->string && e != k; e = e->next)
            if (e->string && strcmp(e->string, k->string) == 0) {
                ok = fail(c, mllm_path(fp, sizeof fp, path, k->string, 0),
                          "field \"%.40s\" appears more than once", k->string);
                break;
            }
    return ok;
}

/* Reports duplicate fields and fields not in `allowed` (with a did-you-mean);
 * `noun` names what a field is ("field", "region", "action"). */
static bool check_keys(ctx *c, const cJSON *obj, const char *path, const char *const *allowed,
                       bool root, const char *noun)
{
    bool ok = check_dups(c, obj, path);
    const char *schema = NULL;
    if (root)
        ok &= note(c, mllm_jr_string(&c->r, obj, path, "$schema", false, &schema));
    char fp[192], msg[224];
    int n = count_names(allowed);
    for (const cJSON *k = obj->child; k; k = k->next) {
        if (!k->string || is_extension(k->string, root) || mllm_name_index(allowed, k->string) >= 0)
            continue;
        mllm_path(fp, sizeof fp, path, k->string, 0);
        unknown_msg(msg, sizeof msg, noun, k->string, allowed, n);
        ok = fail(c, fp, "%s", msg);
    }
    return ok;
}

static const cJSON *rd_obj(ctx *c, const cJSON *o, const char *path, const char *key, bool req)
{
    int before = c->r.diags->n + c->r.diags->dropped;
    const cJSON *v = mllm_jr_object(&c->r, o, path, key, req);
    if (c->r.diags->n + c->r.diags->dropped != before)
        c->ok = false;
    return v;
}

/* The array field `key` with min..max items (NULL when absent or bad). */
static const cJSON *rd_arr(ctx *c, const cJSON *o, const char *path, const char *key, bool req,
                           int min, int max, const char *what)
{
    int before = c->r.diags->n + c->r.diags->dropped;
    const cJSON *v = mllm_jr_array(&c->r, o, path, key, req);
    if (c->r.diags->n + c->r.diags->dropped != before)
        c->ok = false;
    if (!v)
        return NULL;
    int n = cJSON_GetArraySize(v);
    if (n < min || n > max) {
        char fp[192];
        mllm_path(fp, sizeof fp, path, key, 0);
        if (min == 0)
            fail(c, fp, "expected at most %d %s, got %d", max, what, n);
        else
            fail(c, fp, "expected %d to %d %s, got %d", min, max, what, n);
        return NULL;
    }
    return v;
}

/* A string of minlen..maxlen bytes. *out is untouched when the field is absent. */
static bool rd_str(ctx *c, const cJSON *o, const char *path, const char *key, bool req,
                   size_t minlen, size_t maxlen, const char **out)
{
    const char *v = NULL;
    if (!note(c, mllm_jr_string(&c->r, o, path, key, req, &v)))
        return false;
    if (!v)
        return true;
    size_t len = strlen(v);
    if (len < minlen || len > maxlen) {
        char fp[192];
        mllm_path(fp, sizeof fp, path, key, 0);
        if (len < minlen)
            return fail(c, fp, "expected a non-empty string");
        return fail(c, fp, "expected at most %zu characters, got %zu", maxlen, len);
    }
    *out = v;
    return true;
}

/* A string from `names`; *out is its index (untouched when absent). */
static bool rd_enum(ctx *c, const cJSON *o, const char *path, const char *key, bool req,
                    const char *const *names, const char *what, int *out)
{
    const char *v = NULL;
    if (!rd_str(c, o, path, key, req, 0, 4096, &v))
        return false;
    if (!v)
        return true;
    int i = mllm_name_index(names, v);
    if (i < 0) {
        char fp[192], msg[224];
        mllm_path(fp, sizeof fp, path, key, 0);
        unknown_msg(msg, sizeof msg, what, v, names, count_names(names));
        return fail(c, fp, "%s", msg);
    }
    *out = i;
    return true;
}

/* A world name (see world_find); *out is its index (untouched when absent). */
static bool rd_world(ctx *c, const cJSON *o, const char *path, const char *key, bool req,
                     world_kind kind, int *out)
{
    const char *v = NULL;
    if (!rd_str(c, o, path, key, req, 0, 4096, &v))
        return false;
    if (!v)
        return true;
    char msg[224];
    int i = world_find(c->w, kind, v, msg, sizeof msg);
    if (i < 0) {
        char fp[192];
        mllm_path(fp, sizeof fp, path, key, 0);
        return fail(c, fp, "%s", msg);
    }
    *out = i;
    return true;
}

static bool rd_num(ctx *c, const cJSON *o, const char *path, const char *key, bool req, double min,
                   double max, double *out)
{
    return note(c, mllm_jr_number(&c->r, o, path, key, req, min, max, out));
}

/* A number in (0, max]. */
static bool rd_pos(ctx *c, const cJSON *o, const char *path, const char *key, bool req, double max,
                   double *out)
{
    double v = *out;
    if (!rd_num(c, o, path, key, req, 0, max, &v))
        return false;
    if (!(v > 0)) {
        char fp[192];
        mllm_path(fp, sizeof fp, path, key, 0);
        return fail(c, fp, "expected a number > 0 and <= %g, got %g", max, v);
    }
    *out = v;
    return true;
}

static bool rd_share(ctx *c, const cJSON *o, const char *path, const char *key, double *out)
{
    return rd_num(c, o, path, key, false, 0, 1, out);
}

static bool rd_int(ctx *c, const cJSON *o, const char *path, const char *key, bool req, long min,
                   long max, int *out)
{
    long v = *out;
    if (!note(c, mllm_jr_int(&c->r, o, path, key, req, min, max, &v)))
        return false;
    *out = (int)v;
    return true;
}

static bool rd_bool(ctx *c, const cJSON *o, const char *path, const char *key, bool *out)
{
    return note(c, mllm_jr_bool(&c->r, o, path, key, false, out));
}

/* A duration string in [min, max]. `word` (may be NULL) is also accepted and
 * gives `word_value`. *out is untouched when absent. */
static bool rd_dur(ctx *c, const cJSON *o, const char *path, const char *key, bool req,
                   sim_time min, sim_time max, const char *word, sim_time word_value, sim_time *out)
{
    char fp[192], a[32], b[32];
    mllm_path(fp, sizeof fp, path, key, 0);
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (!v)
        return req ? fail(c, path, "missing required field \"%s\"", key) : true;
    if (cJSON_IsNumber(v))
        return fail(c, fp,
                    "expected a duration string with a unit such as \"90s\" or \"10m\", "
                    "got the bare number %g",
                    v->valuedouble);
    if (!cJSON_IsString(v) || !v->valuestring)
        return fail(c, fp, "expected a duration string such as \"90s\" or \"10m\", got %s",
                    mllm_json_type_name(v));
    const char *s = v->valuestring;
    if (word && strcmp(s, word) == 0) {
        *out = word_value;
        return true;
    }
    sim_time us;
    if (!duration_syntax_ok(s))
        return fail(c, fp,
                    "invalid duration \"%.40s\": expected numbers with units (ms, s, m, "
                    "h, d) such as \"90s\", \"10m\" or \"1h30m\"%s%s%s",
                    s, word ? ", or \"" : "", word ? word : "", word ? "\"" : "");
    if (mllm_duration_parse(s, &us) != 0 || us > max || us < min) {
        fmt_dur(min, a, sizeof a);
        fmt_dur(max, b, sizeof b);
        return fail(c, fp, "expected a duration in [%s, %s], got \"%.40s\"", a, b, s);
    }
    *out = us;
    return true;
}

/* A string or an array of strings joined with "\n", into a new string. */
static bool rd_text(ctx *c, const cJSON *o, const char *path, const char *key, bool req,
                    size_t maxlen, char **out)
{
    char fp[192], ip[192];
    mllm_path(fp, sizeof fp, path, key, 0);
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (!v)
        return req ? fail(c, path, "missing required field \"%s\"", key) : true;
    size_t total = 0;
    bool empty = true; /* "" or [] (as the schema's minLength / minItems see it) */
    if (cJSON_IsString(v)) {
        total = strlen(v->valuestring);
        empty = total == 0;
    } else if (cJSON_IsArray(v)) {
        empty = v->child == NULL;
        int i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            if (!cJSON_IsString(e))
                return fail(c, mllm_path(ip, sizeof ip, fp, NULL, i),
                            "expected a string (a line of text), got %s", mllm_json_type_name(e));
            total += strlen(e->valuestring) + (i > 0);
        }
    } else {
        return fail(c, fp, "expected a string or an array of strings, got %s", mllm_json_type_name(v));
    }
    if (req && empty)
        return fail(c, fp, "expected a non-empty string or array of strings");
    if (maxlen && total > maxlen)
        return fail(c, fp, "expected at most %zu characters, got %zu", maxlen, total);
    char *s = malloc(total + 1);
    if (!s)
        return fail(c, fp, "out of memory");
    if (cJSON_IsString(v)) {
        memcpy(s, v->valuestring, total + 1);
    } else {
        size_t off = 0;
        for (const cJSON *e = v->child; e; e = e->next) {
            if (e != v->child)
                s[off++] = '\n';
            size_t l = strlen(e->valuestring);
            memcpy(s + off, e->valuestring, l);
            off += l;
        }
        s[off] = '\0';
    }
    free(*out);
    *out = s;
    return true;
}

/* Stably sorts the diagnostics from index n0 on by position. */
static void sort_diags(mllm_diags *diags, int n0)
{
    for (int i = n0 + 1; i < diags->n; i++) {
        mllm_diag tmp = diags->d[i];
        int j = i - 1;
        while (j >= n0 && (diags->d[j].line > tmp.line ||
                           (diags->d[j].line == tmp.line && diags->d[j].col > tmp.col))) {
            diags->d[j + 1] = diags->d[j];
            j--;
        }
        diags->d[j + 1] = tmp;
    }
}

/* ---- defaults ------------------------------------------------------------------------- */

static const sim_time default_delay[SIM_ACT_COUNT] = {
    [SIM_ACT_PROMPT] = SIM_MIN(2),         [SIM_ACT_ROUTE] = SIM_MIN(1),
    [SIM_ACT_PIN_MODEL] = SIM_MIN(1),      [SIM_ACT_FALLBACK] = SIM_SEC(30),
    [SIM_ACT_KILL_SWITCH] = SIM_SEC(30),   [SIM_ACT_DISCLAIMER] = SIM_MIN(1),
    [SIM_ACT_THROTTLE] = SIM_SEC(30),      [SIM_ACT_CONTEXT_CAP] = SIM_MIN(1),
    [SIM_ACT_MAX_TOKENS] = SIM_MIN(1),     [SIM_ACT_BACKOFF] = SIM_MIN(2),
    [SIM_ACT_API_COMPAT] = SIM_MIN(3),     [SIM_ACT_PARSER_COMPAT] = SIM_MIN(3),
    [SIM_ACT_DISABLE_TYPE] = SIM_SEC(30),  [SIM_ACT_ENABLE_TYPE] = SIM_SEC(30),
    [SIM_ACT_DISABLE_TOPIC] = SIM_SEC(30), [SIM_ACT_ENABLE_TOPIC] = SIM_SEC(30),
    [SIM_ACT_ADD_DOCS] = SIM_MIN(5),       [SIM_ACT_RESTORE_SNAPSHOT] = SIM_MIN(2),
    [SIM_ACT_FLUSH_CACHE] = SIM_SEC(10),
};

/* The latest prompt released strictly before `day`, else the first. */
static int default_prompt(const mllm_world *w, int32_t day)
{
    int p = 0;
    for (int i = 0; i < w->nprompts; i++) {
        int32_t d = mllm_date_days(w->prompts[i].released);
        if (d >= 0 && d < day)
            p = i;
    }
    return p;
}

static void scenario_defaults(sim_scenario *s, const mllm_world *w)
{
    mllm_config_default(&s->service, w);
    s->start_day = s->service.start_day;
    s->start_second = s->service.start_second;
    s->service.controls.prompt = default_prompt(w, s->start_day);
    s->service.primary_fingerprint = 0;

    sim_traffic_spec *t = &s->traffic;
    static const double region[MLLM_REGIONS] = {0.5, 0.3, 0.2};
    static const double plan[MLLM_PLANS] = {0.45, 0.3, 0.2, 0.05};
    static const double client[MLLM_CLIENTS] = {0.35, 0.45, 0.2};
    static const double qtype[MLLM_QT_COUNT] = {0.3, 0.2, 0.18, 0.14, 0.1, 0.08};
    t->rate = 20;
    t->profile = SIM_PROFILE_CONSTANT;
    t->diurnal_amplitude = 0.3;
    memcpy(t->region, region, sizeof region);
    memcpy(t->plan, plan, sizeof plan);
    memcpy(t->client, client, sizeof client);
    memcpy(t->qtype, qtype, sizeof qtype);
    for (int i = 0; i < MLLM_MAX_TOPICS; i++)
        t->topic[i] = 1;
    t->p_continue = 0.3;
    t->tokens_per_turn = 180;
    t->max_turns = 6;

    sim_runbook *rb = &s->runbook;
    copy_str(rb->flag, sizeof rb->flag, "assistant_enabled");
    copy_str(rb->approver, sizeof rb->approver, "incident commander");
    rb->approval_takes = SIM_MIN(2);
    rb->needs_approval =
        1ull << SIM_ACT_KILL_SWITCH | 1ull << SIM_ACT_DISABLE_TYPE | 1ull << SIM_ACT_DISABLE_TOPIC;
    memcpy(rb->delay, default_delay, sizeof default_delay);

    sim_scoring *sc = &s->scoring;
    sc->target[SIM_PART_DETECT] = SIM_MIN(5);
    sc->target[SIM_PART_CONTAIN] = SIM_MIN(10);
    sc->target[SIM_PART_DIAGNOSE] = SIM_MIN(15);
    sc->target[SIM_PART_MITIGATE] = SIM_MIN(30);
    static const double weight[SIM_PART_COUNT] = {20, 25, 20, 15, 15, 5};
    memcpy(sc->weight, weight, sizeof weight);
    sc->harm_threshold_per_min = 1.0;
    sc->harm_budget = 10;
    sc->postmortem_deadline = SIM_MIN(30);

    s->judge_sample = 0.05;
    s->judge_noise = 0.12;
    s->trace_sample = 0.01;
}

typedef struct default_alert {
    const char *id;
    sim_metric metric;
    bool above;
    double threshold;
    sim_time for_;
    int severity;
    const char *description;
} default_alert;

/* The rules used when a scenario has no "alerts": one per column of the
 * decision table that a generic dashboard would watch. */
static const default_alert default_alerts[] = {
    {"error-rate", SIM_M_ERROR_RATE, true, 0.05, SIM_MIN(1), 1, "More than 5% of requests fail"},
    {"latency-p99", SIM_M_LATENCY_P99, true, 8000, SIM_MIN(2), 1, "P99 latency above 8 s"},
    {"refusal-rate", SIM_M_REFUSAL_RATE, true, 0.06, SIM_MIN(2), 2,
     "More than 6% of answers are refusals"},
    {"judge-quality", SIM_M_QUALITY, false, 0.7, SIM_MIN(3), 1, "Sampled judge quality below 0.7"},
    {"judge-bad-rate", SIM_M_JUDGE_BAD_RATE, true, 0.2, SIM_MIN(3), 2,
     "The judge marks more than 20% of sampled answers bad"},
    {"rate-429", SIM_M_RATE_429, true, 0.05, SIM_MIN(2), 2,
     "More than 5% of requests end in HTTP 429"},
};

static void add_alert(sim_scenario *s, const char *id, sim_metric m, bool above, double thr,
                      sim_time for_, int sev, const char *desc)
{
    sim_alert_rule *a = &s->alerts[s->nalerts++];
    memset(a, 0, sizeof *a);
    copy_str(a->id, sizeof a->id, id);
    a->metric = m;
    a->above = above;
    a->threshold = thr;
    a->for_ = for_;
    a->window = SIM_MIN(1);
    a->severity = sev;
    a->dim = -1;
    copy_str(a->description, sizeof a->description, desc);
}

static void default_alert_rules(sim_scenario *s)
{
    s->nalerts = 0;
    for (size_t i = 0; i < sizeof default_alerts / sizeof *default_alerts; i++) {
        const default_alert *d = &default_alerts[i];
        add_alert(s, d->id, d->metric, d->above, d->threshold, d->for_, d->severity,
                  d->description);
    }
    /* Index age: twice the refresh period (at least an hour), unless refreshes are off. */
    if (s->service.refresh_every > 0) {
        double min = 2.0 * (double)s->service.refresh_every / 60e6;
        if (min < 60)
            min = 60;
        add_alert(s, "index-age", SIM_M_INDEX_AGE, true, min, SIM_MIN(5), 2,
                  "The live index is older than two refresh periods");
    }
}

/* ---- scenario: header and baseline ---------------------------------------------------- */

/* Parses "YYYY-MM-DDTHH:MM:SSZ". */
static bool parse_start(const char *s, int32_t *day, uint32_t *second)
{
    char date[11];
    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return false;
    memcpy(date, s, 10);
    date[10] = '\0';
    int32_t d = mllm_date_days(date);
    int v[3];
    for (int i = 0; i < 3; i++) {
        const char *p = s + 11 + 3 * i;
        if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
            return false;
        v[i] = (p[0] - '0') * 10 + (p[1] - '0');
    }
    if (d < 0 || v[0] > 23 || v[1] > 59 || v[2] > 59)
        return false;
    *day = d;
    *second = (uint32_t)(v[0] * 3600 + v[1] * 60 + v[2]);
    return true;
}

static void read_header(ctx *c, const cJSON *root, sim_scenario *s, bool *start_given)
{
    const char *id = NULL, *title = NULL, *start = NULL;
    int diff = -1;
    if (rd_str(c, root, "$", "id", true, 0, 4096, &id) && id) {
        if (!ident_ok(id, sizeof s->id - 1, "-", false))
            fail(c, "id",
                 "expected an id of lowercase letters, digits and '-' (not first), "
                 "1 to %zu characters, got \"%.40s\"",
                 sizeof s->id - 1, id);
        else
            copy_str(s->id, sizeof s->id, id);
    }
    if (rd_str(c, root, "$", "title", true, 1, sizeof s->title - 1, &title) && title)
        copy_str(s->title, sizeof s->title, title);
    if (rd_enum(c, root, "$", "difficulty", true, difficulty_names, "difficulty", &diff) &&
        diff >= 0)
        copy_str(s->difficulty, sizeof s->difficulty, difficulty_names[diff]);
    rd_text(c, root, "$", "briefing", true, 0, &s->briefing);
    rd_text(c, root, "$", "trainer_notes", false, 0, &s->trainer_notes);
    long seed = 0;
    if (note(c, mllm_jr_int(&c->r, root, "$", "seed", true, 0, MAX_SEED, &seed)))
        s->seed = (uint64_t)seed;
    if (rd_dur(c, root, "$", "duration", true, SIM_MIN(1), 7 * DAY, NULL, 0, &s->duration)) {
        c->have_duration = true;
        c->duration = s->duration;
    }
    if (rd_str(c, root, "$", "start", false, 0, 4096, &start) && start) {
        if (!parse_start(start, &s->start_day, &s->start_second))
            fail(c, "start",
                 "expected a UTC time \"YYYY-MM-DDTHH:MM:SSZ\" such as "
                 "\"2026-11-30T09:00:00Z\", got \"%.40s\"",
                 start);
        else
            *start_given = true;
    }
}

/* A map of fixed names -> weight >= 0: missing names weigh 0, normalised to sum 1. */
static void read_weights(ctx *c, const cJSON *o, const char *path, const char *key,
                         const char *const *names, int n, const char *noun, double *out)
{
    const cJSON *m = rd_obj(c, o, path, key, false);
    if (!m)
        return;
    char mp[192];
    mllm_path(mp, sizeof mp, path, key, 0);
    bool ok = check_keys(c, m, mp, names, false, noun);
    double tmp[16] = {0}, sum = 0;
    assert(n <= 16);
    for (int i = 0; i < n; i++) {
        ok &= rd_num(c, m, mp, names[i], false, 0, 1e6, &tmp[i]);
        sum += tmp[i];
    }
    if (!ok)
        return;
    if (!(sum > 0)) {
        fail(c, mp, "every %s weighs 0: give at least one a weight > 0", noun);
        return;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[i] / sum;
}

/* A map of topic -> multiplier in [min, 100] (or (0, 100] when `positive`). */
static bool read_topic_map(ctx *c, const cJSON *o, const char *path, const char *key, bool positive,
                           double *out)
{
    const cJSON *m = rd_obj(c, o, path, key, false);
    if (!m)
        return true;
    char mp[192], fp[192], msg[224];
    mllm_path(mp, sizeof mp, path, key, 0);
    bool ok = check_dups(c, m, mp);
    for (const cJSON *e = m->child; e; e = e->next) {
        if (!e->string || is_extension(e->string, false))
            continue;
        mllm_path(fp, sizeof fp, mp, e->string, 0);
        int ti = world_find(c->w, W_TOPIC, e->string, msg, sizeof msg);
        if (ti < 0) {
            ok = fail(c, fp, "%s", msg);
            continue;
        }
        double v = 0;
        if (!rd_num(c, m, mp, e->string, true, 0, 100, &v)) {
            ok = false;
            continue;
        }
        if (positive && !(v > 0)) {
            ok = fail(c, fp, "expected a multiplier > 0 and <= 100, got %g", v);
            continue;
        }
        out[ti] = v;
    }
    return ok;
}

static void read_traffic(ctx *c, const cJSON *b, sim_traffic_spec *t)
{
    static const char *const keys[] = {"rate",   "profile",      "diurnal_amplitude",
                                       "bursts", "segments",     "query_types",
                                       "topics", "conversation", NULL};
    static const char *const skeys[] = {"region", "plan", "client", NULL};
    static const char *const bkeys[] = {"at", "duration", "multiplier", NULL};
    static const char *const ckeys[] = {"continue", "tokens_per_turn", "max_turns", NULL};
    const char *P = "baseline.traffic";
    const cJSON *o = rd_obj(c, b, "baseline", "traffic", false);
    if (!o)
        return;
    check_keys(c, o, P, keys, false, "field");
    rd_pos(c, o, P, "rate", false, MAX_RATE, &t->rate);
    int prof = (int)t->profile;
    bool prof_ok = rd_enum(c, o, P, "profile", false, sim_profile_names, "profile", &prof);
    t->profile = (sim_profile)prof;
    rd_share(c, o, P, "diurnal_amplitude", &t->diurnal_amplitude);

    const cJSON *bursts = rd_arr(c, o, P, "bursts", false, 0, SIM_MAX_BURSTS, "bursts");
    char bp[192], ip[192], fp[192], a[32], d[32];
    int i = 0;
    mllm_path(bp, sizeof bp, P, "bursts", 0);
    for (const cJSON *e = bursts ? bursts->child : NULL; e; e = e->next, i++) {
        mllm_path(ip, sizeof ip, bp, NULL, i);
        if (!cJSON_IsObject(e)) {
            fail(c, ip, "expected a burst object {\"at\", \"duration\", \"multiplier\"}, got %s",
                 mllm_json_type_name(e));
            continue;
        }
        check_keys(c, e, ip, bkeys, false, "field");
        sim_burst *bu = &t->bursts[t->nbursts++];
        bool at_ok = rd_dur(c, e, ip, "at", true, 0, YEAR, NULL, 0, &bu->at);
        bool du_ok =
            rd_dur(c, e, ip, "duration", true, SIM_SEC(1), 7 * DAY, NULL, 0, &bu->duration);
        rd_num(c, e, ip, "multiplier", true, 0, 100, &bu->multiplier);
        if (!c->have_duration || !at_ok)
            continue;
        fmt_dur(c->duration, d, sizeof d);
        if (bu->at >= c->duration) {
            fmt_dur(bu->at, a, sizeof a);
            fail(c, mllm_path(fp, sizeof fp, ip, "at", 0),
                 "burst starts at %s, not before the drill's end (duration %s)", a, d);
        } else if (du_ok && bu->duration > c->duration - bu->at) {
            fmt_dur(bu->at + bu->duration, a, sizeof a);
            fail(c, mllm_path(fp, sizeof fp, ip, "duration", 0),
                 "burst ends at %s, after the drill's end (duration %s)", a, d);
        }
    }
    if (prof_ok && t->nbursts > 0 && t->profile != SIM_PROFILE_BURSTS)
        fail(c, bp, "bursts need \"profile\": \"bursts\" (the profile is \"%s\")",
             sim_profile_names[t->profile]);
    if (prof_ok && t->profile == SIM_PROFILE_BURSTS && t->nbursts == 0) {
        if (!cJSON_GetObjectItemCaseSensitive(o, "bursts"))
            fail(c, mllm_path(fp, sizeof fp, P, "profile", 0),
                 "profile \"bursts\" needs at least one entry in \"bursts\"");
        else if (bursts)
            fail(c, bp, "profile \"bursts\" needs at least one entry in \"bursts\"");
    }

    const cJSON *seg = rd_obj(c, o, P, "segments", false);
    if (seg) {
        char sp[192];
        mllm_path(sp, sizeof sp, P, "segments", 0);
        check_keys(c, seg, sp, skeys, false, "field");
        read_weights(c, seg, sp, "region", mllm_region_names, MLLM_REGIONS, "region", t->region);
        read_weights(c, seg, sp, "plan", mllm_plan_names, MLLM_PLANS, "plan", t->plan);
        read_weights(c, seg, sp, "client", mllm_client_names, MLLM_CLIENTS, "client", t->client);
    }
    read_weights(c, o, P, "query_types", mllm_qtype_names, MLLM_QT_COUNT, "query type", t->qtype);
    double topic[MLLM_MAX_TOPICS];
    memcpy(topic, t->topic, sizeof topic);
    if (read_topic_map(c, o, P, "topics", false, topic) &&
        cJSON_GetObjectItemCaseSensitive(o, "topics")) {
        double sum = 0;
        for (int k = 0; k < c->w->ntopics; k++)
            sum += topic[k];
        if (!(sum > 0))
            fail(c, mllm_path(fp, sizeof fp, P, "topics", 0),
                 "every topic weighs 0: give at least one a multiplier > 0");
        memcpy(t->topic, topic, sizeof topic);
    }
    const cJSON *conv = rd_obj(c, o, P, "conversation", false);
    if (conv) {
        char cp[192];
        mllm_path(cp, sizeof cp, P, "conversation", 0);
        check_keys(c, conv, cp, ckeys, false, "field");
        rd_share(c, conv, cp, "continue", &t->p_continue);
        rd_int(c, conv, cp, "tokens_per_turn", false, 0, 100000, &t->tokens_per_turn);
        rd_int(c, conv, cp, "max_turns", false, 1, 1000, &t->max_turns);
    }
}

static void read_baseline(ctx *c, const cJSON *root, sim_scenario *s, bool start_given)
{
    static const char *const keys[] = {"traffic", "prompt", "fingerprint", "route",      "fallback",
                                       "index",   "cache",  "context_cap", "max_tokens", NULL};
    static const char *const ikeys[] = {"age", "refresh_every", "reindex_takes", NULL};
    static const char *const ckeys[] = {"ttl", "cacheable_share", NULL};
    mllm_config *cfg = &s->service;
    mllm_controls *ctl = &cfg->controls;
    cfg->seed = s->seed;
    cfg->start_day = s->start_day;
    cfg->start_second = s->start_second;
    if (start_given)
        ctl->prompt = default_prompt(c->w, s->start_day);
    const cJSON *b = rd_obj(c, root, "$", "baseline", false);
    if (!b)
        return;
    check_keys(c, b, "baseline", keys, false, "field");
    read_traffic(c, b, &s->traffic);
    rd_world(c, b, "baseline", "prompt", false, W_PROMPT, &ctl->prompt);
    rd_world(c, b, "baseline", "fingerprint", false, W_FINGERPRINT, &cfg->primary_fingerprint);
    rd_enum(c, b, "baseline", "route", false, mllm_role_names, "route", &ctl->route);
    rd_enum(c, b, "baseline", "fallback", false, mllm_fallback_names, "fallback", &ctl->fallback);
    const cJSON *ix = rd_obj(c, b, "baseline", "index", false);
    if (ix) {
        sim_time age = (sim_time)cfg->index_age_us;
        check_keys(c, ix, "baseline.index", ikeys, false, "field");
        if (rd_dur(c, ix, "baseline.index", "age", false, 0, YEAR, NULL, 0, &age))
            cfg->index_age_us = (int64_t)age;
        rd_dur(c, ix, "baseline.index", "refresh_every", false, SIM_MIN(1), YEAR, "never", 0,
               &cfg->refresh_every);
        rd_dur(c, ix, "baseline.index", "reindex_takes", false, 0, DAY, NULL, 0,
               &cfg->reindex_duration);
    }
    const cJSON *ca = rd_obj(c, b, "baseline", "cache", false);
    if (ca) {
        sim_time ttl = (sim_time)(ctl->cache_ttl_s * 1e6);
        check_keys(c, ca, "baseline.cache", ckeys, false, "field");
        if (rd_dur(c, ca, "baseline.cache", "ttl", false, 0, DAY, NULL, 0, &ttl))
            ctl->cache_ttl_s = (double)ttl / 1e6;
        rd_share(c, ca, "baseline.cache", "cacheable_share", &ctl->cacheable_share);
    }
    rd_int(c, b, "baseline", "context_cap", false, 0, MAX_TOKENS_ARG, &ctl->context_cap);
    rd_int(c, b, "baseline", "max_tokens", false, 0, MAX_TOKENS_ARG, &ctl->max_tokens);
}

/* ---- scenario: timeline and faults ---------------------------------------------------- */

/* A time inside the drill: reports at path when it is not before the end. */
static bool inside_drill(ctx *c, const char *path, sim_time t, const char *what)
{
    char a[32], d[32];
    if (!c->have_duration || t < c->duration)
        return true;
    fmt_dur(t, a, sizeof a);
    fmt_dur(c->duration, d, sizeof d);
    return fail(c, path, "%s at %s is not before the drill's end (duration %s)", what, a, d);
}

static void read_change(ctx *c, const cJSON *e, const char *ip, sim_change *ch)
{
    static const char *const by_kind[SIM_CHANGE_COUNT][8] = {
        [SIM_CHANGE_PROMPT_DEPLOY] = {"at", "change", "decoy", "text", "prompt", NULL},
        [SIM_CHANGE_MODEL_ALIAS] = {"at", "change", "decoy", "text", "fingerprint", NULL},
        [SIM_CHANGE_INDEX_REFRESH] = {"at", "change", "decoy", "text", NULL},
        [SIM_CHANGE_TRAFFIC_SHIFT] = {"at", "change", "decoy", "text", "rate_multiplier", "topics",
                                      NULL},
        [SIM_CHANGE_CONFIG] = {"at", "change", "decoy", "text", "cache_ttl", NULL},
        [SIM_CHANGE_KB_UPDATE] = {"at", "change", "decoy", "text", "doc", "version", NULL},
    };
    static const char *const all[] = {"at",        "change",      "decoy",           "text",
                                      "prompt",    "fingerprint", "rate_multiplier", "topics",
                                      "cache_ttl", "doc",         "version",         NULL};
    char fp[192];
    int kind = -1;
    memset(ch, 0, sizeof *ch);
    ch->prompt = ch->fingerprint = ch->doc = ch->version = -1;
    ch->rate_multiplier = 1;
    ch->cache_ttl_s = -1;
    bool kind_ok =
        rd_enum(c, e, ip, "change", true, sim_change_names, "change kind", &kind) && kind >= 0;
    check_keys(c, e, ip, all, false, "field");
    for (const cJSON *k = e->child; kind_ok && k; k = k->next) {
        if (!k->string || mllm_name_index(all, k->string) < 0 ||
            mllm_name_index(by_kind[kind], k->string) >= 0)
            continue;
        char list[120];
        join_names(list, sizeof list, by_kind[kind], count_names(by_kind[kind]));
        fail(c, mllm_path(fp, sizeof fp, ip, k->string, 0),
             "field \"%s\" is not used by change \"%s\" (it takes %s)", k->string,
             sim_change_names[kind], list);
    }
    if (rd_dur(c, e, ip, "at", true, 0, YEAR, NULL, 0, &ch->at))
        inside_drill(c, mllm_path(fp, sizeof fp, ip, "at", 0), ch->at, "change");
    rd_bool(c, e, ip, "decoy", &ch->decoy);
    const char *text = NULL;
    if (rd_str(c, e, ip, "text", kind == SIM_CHANGE_CONFIG, 1, sizeof ch->text - 1, &text) && text)
        copy_str(ch->text, sizeof ch->text, text);
    if (!kind_ok)
        return;
    ch->kind = (sim_change_kind)kind;
    switch (ch->kind) {
    case SIM_CHANGE_PROMPT_DEPLOY:
        rd_world(c, e, ip, "prompt", true, W_PROMPT, &ch->prompt);
        break;
    case SIM_CHANGE_MODEL_ALIAS:
        rd_world(c, e, ip, "fingerprint", true, W_FINGERPRINT, &ch->fingerprint);
        break;
    case SIM_CHANGE_TRAFFIC_SHIFT:
        rd_num(c, e, ip, "rate_multiplier", false, 0, 100, &ch->rate_multiplier);
        read_topic_map(c, e, ip, "topics", true, ch->topic);
        break;
    case SIM_CHANGE_CONFIG: {
        sim_time ttl = 0;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "cache_ttl");
        if (v && rd_dur(c, e, ip, "cache_ttl", false, 0, DAY, NULL, 0, &ttl))
            ch->cache_ttl_s = (double)ttl / 1e6;
        break;
    }
    case SIM_CHANGE_KB_UPDATE: {
        int version = -1;
        bool doc_ok = rd_world(c, e, ip, "doc", true, W_DOC, &ch->doc);
        if (!rd_int(c, e, ip, "version", false, 1, 1000000, &version) || !doc_ok || ch->doc < 0)
            break;
        const mllm_doc *d = &c->w->docs[ch->doc];
        ch->version = d->nversions - 1;
        if (version < 0)
            break;
        ch->version = -1;
        for (int k = 0; k < d->nversions; k++)
            if (d->v[k].version == version)
                ch->version = k;
        if (ch->version < 0)
            fail(c, mllm_path(fp, sizeof fp, ip, "version", 0),
                 "document \"%s\" has no version %d (it has versions %d to %d)", d->id, version,
                 d->v[0].version, d->v[d->nversions - 1].version);
        break;
    }
    case SIM_CHANGE_INDEX_REFRESH:
    case SIM_CHANGE_COUNT:
        break;
    }
}

static void read_timeline(ctx *c, const cJSON *root, sim_scenario *s)
{
    const cJSON *tl = rd_arr(c, root, "$", "timeline", false, 0, SIM_MAX_CHANGES, "changes");
    char ip[192];
    int i = 0;
    for (const cJSON *e = tl ? tl->child : NULL; e; e = e->next, i++) {
        mllm_path(ip, sizeof ip, "timeline", NULL, i);
        if (!cJSON_IsObject(e)) {
            fail(c, ip, "expected a change object {\"at\", \"change\", ...}, got %s", mllm_json_type_name(e));
            continue;
        }
        read_change(c, e, ip, &s->changes[s->nchanges++]);
    }
    /* Stable by time: the engine schedules them in this order. */
    for (int k = 1; k < s->nchanges; k++) {
        sim_change tmp = s->changes[k];
        int j = k - 1;
        while (j >= 0 && s->changes[j].at > tmp.at) {
            s->changes[j + 1] = s->changes[j];
            j--;
        }
        s->changes[j + 1] = tmp;
    }
}

/* Parameters per fault kind (the spec's table). */
static const char *const fault_params[MLLM_FAULT_COUNT][3] = {
    [MLLM_FAULT_PROMPT_REGRESSION] = {"prompt", NULL},
    [MLLM_FAULT_MODEL_CHANGE] = {"fingerprint", NULL},
    [MLLM_FAULT_RETRIEVAL_DEGRADATION] = {NULL},
    [MLLM_FAULT_STALE_INDEX] = {"docs", NULL},
    [MLLM_FAULT_SAFETY_UPDATE] = {"fingerprint", "topic", NULL},
    [MLLM_FAULT_PROMPT_TRIGGER] = {"prompt", "term", NULL},
    [MLLM_FAULT_PROVIDER_SLOWDOWN] = {"factor", NULL},
    [MLLM_FAULT_RATE_LIMITING] = {"rpm", NULL},
    [MLLM_FAULT_CONTEXT_GROWTH] = {"tokens_per_min", NULL},
    [MLLM_FAULT_API_CHANGE] = {"param", NULL},
    [MLLM_FAULT_SCHEMA_MISMATCH] = {"prompt", NULL},
    [MLLM_FAULT_RATE_LIMIT_ERRORS] = {"rpm", NULL},
    [MLLM_FAULT_KB_GAP] = {"topic", NULL},
};

static const char *const all_params[] = {"prompt", "fingerprint", "docs",           "topic", "term",
                                         "factor", "rpm",         "tokens_per_min", "param", NULL};

/* Reports params fields the kind does not take. */
static void check_params(ctx *c, const cJSON *params, const char *pp, mllm_fault_kind kind)
{
    const char *const *allowed = fault_params[kind];
    int n = count_names(allowed);
    char fp[192], list[96];
    const char *kn = mllm_fault_names[kind];
    join_names(list, sizeof list, allowed, n);
    check_dups(c, params, pp);
    for (const cJSON *k = params->child; k; k = k->next) {
        if (!k->string || is_extension(k->string, false) ||
            mllm_name_index(allowed, k->string) >= 0)
            continue;
        mllm_path(fp, sizeof fp, pp, k->string, 0);
        const char *best = closest(k->string, allowed, n);
        if (n == 0)
            fail(c, fp, "fault kind \"%s\" takes no parameters, got \"%.40s\"", kn, k->string);
        else if (best && mllm_name_index(all_params, k->string) < 0)
            fail(c, fp, "unknown parameter \"%.40s\" for fault kind \"%s\" (did you mean \"%s\"?)",
                 k->string, kn, best);
        else
            fail(c, fp, "parameter \"%.40s\" is not used by fault kind \"%s\" (it takes %s)",
                 k->string, kn, list);
    }
}

static void read_params(ctx *c, const cJSON *e, const char *ip, sim_scen_fault *sf,
                        const sim_scenario *s)
{
    mllm_fault *f = &sf->f;
    char pp[192], fp[192];
    const char *kn = mllm_fault_names[f->kind];
    mllm_path(pp, sizeof pp, ip, "params", 0);
    const cJSON *params = rd_obj(c, e, ip, "params", false);
    if (!params && cJSON_GetObjectItemCaseSensitive(e, "params"))
        return;
    if (params)
        check_params(c, params, pp, f->kind);
    /* Required parameters are reported at the params object, or at the fault when absent. */
    const char *where = params ? pp : ip;
    switch (f->kind) {
    case MLLM_FAULT_PROMPT_REGRESSION:
    case MLLM_FAULT_PROMPT_TRIGGER:
    case MLLM_FAULT_SCHEMA_MISMATCH: {
        bool req = f->kind != MLLM_FAULT_SCHEMA_MISMATCH;
        if (req && !cJSON_GetObjectItemCaseSensitive(params, "prompt")) {
            fail(c, where,
                 "fault kind \"%s\" needs params.prompt (the prompt version deployed "
                 "at start)",
                 kn);
            break;
        }
        rd_world(c, params, pp, "prompt", false, W_PROMPT, &f->prompt);
        if (f->kind != MLLM_FAULT_PROMPT_TRIGGER)
            break;
        const char *term = NULL;
        if (!cJSON_GetObjectItemCaseSensitive(params, "term")) {
            fail(c, pp,
                 "fault kind \"prompt_trigger\" needs params.term (the word that "
                 "triggers refusals)");
        } else if (rd_str(c, params, pp, "term", true, 0, 4096, &term) && term) {
            if (!ident_ok(term, sizeof f->term - 1, "", false) || strpbrk(term, "0123456789"))
                fail(c, mllm_path(fp, sizeof fp, pp, "term", 0),
                     "expected a word of 1 to %zu lowercase letters a-z, got \"%.40s\"",
                     sizeof f->term - 1, term);
            else
                copy_str(f->term, sizeof f->term, term);
        }
        break;
    }
    case MLLM_FAULT_MODEL_CHANGE:
    case MLLM_FAULT_SAFETY_UPDATE: {
        int pm = mllm_world_model_role(c->w, MLLM_ROLE_PRIMARY);
        bool fp_ok = rd_world(c, params, pp, "fingerprint", false, W_FINGERPRINT, &f->fingerprint);
        if (f->kind == MLLM_FAULT_SAFETY_UPDATE)
            rd_world(c, params, pp, "topic", false, W_TOPIC, &f->topic);
        if (!fp_ok || pm < 0)
            break;
        const mllm_model *m = &c->w->models[pm];
        int base = s->service.primary_fingerprint;
        if (f->fingerprint < 0 && base + 1 >= m->nversions)
            fail(c, where,
                 "the primary model %s has no fingerprint after \"%s\" to move to: "
                 "set params.fingerprint",
                 m->id, m->fingerprint[base]);
        else if (f->fingerprint == base)
            fail(c, mllm_path(fp, sizeof fp, pp, "fingerprint", 0),
                 "\"%s\" is already the baseline fingerprint: the fault would change nothing",
                 m->fingerprint[base]);
        break;
    }
    case MLLM_FAULT_PROVIDER_SLOWDOWN:
        f->factor = 4;
        rd_num(c, params, pp, "factor", false, 1, 100, &f->factor);
        break;
    case MLLM_FAULT_RATE_LIMITING:
    case MLLM_FAULT_RATE_LIMIT_ERRORS:
        if (!cJSON_GetObjectItemCaseSensitive(params, "rpm"))
            fail(c, where,
                 "fault kind \"%s\" needs params.rpm (the provider's new limit in "
                 "requests per minute)",
                 kn);
        else
            rd_num(c, params, pp, "rpm", true, 1, 1e7, &f->factor);
        break;
    case MLLM_FAULT_CONTEXT_GROWTH:
        f->factor = 600;
        rd_num(c, params, pp, "tokens_per_min", false, 1, 1e6, &f->factor);
        break;
    case MLLM_FAULT_API_CHANGE: {
        const char *param = "max_tokens";
        if (rd_str(c, params, pp, "param", false, 0, 4096, &param)) {
            if (!ident_ok(param, sizeof f->param - 1, "_", true))
                fail(c, mllm_path(fp, sizeof fp, pp, "param", 0),
                     "expected a request parameter name (1 to %zu of a-z, 0-9, _), got "
                     "\"%.40s\"",
                     sizeof f->param - 1, param);
            else
                copy_str(f->param, sizeof f->param, param);
        }
        break;
    }
    case MLLM_FAULT_STALE_INDEX:
        f->docs = 8;
        rd_int(c, params, pp, "docs", false, 1, 50, &f->docs);
        break;
    case MLLM_FAULT_KB_GAP:
        if (!cJSON_GetObjectItemCaseSensitive(params, "topic")) {
            fail(c, where,
                 "fault kind \"kb_gap\" needs params.topic (the topic whose documents "
                 "vanish)");
        } else if (rd_world(c, params, pp, "topic", true, W_TOPIC, &f->topic) && f->topic >= 0 &&
                   !c->w->topics[f->topic].in_kb) {
            fail(c, mllm_path(fp, sizeof fp, pp, "topic", 0),
                 "topic \"%s\" has no documents in the knowledge base (in_kb is false): a "
                 "kb_gap needs a topic whose documents can vanish",
                 c->w->topics[f->topic].id);
        }
        break;
    case MLLM_FAULT_RETRIEVAL_DEGRADATION:
    case MLLM_FAULT_COUNT:
        break;
    }
}

static void read_target(ctx *c, const cJSON *e, const char *ip, mllm_target *t)
{
    static const char *const keys[] = {"fraction", "region", "plan",  "client", "query_type",
                                       "topic",    "prompt", "model", NULL};
    char tp[192];
    mllm_path(tp, sizeof tp, ip, "target", 0);
    const cJSON *o = rd_obj(c, e, ip, "target", false);
    if (!o)
        return;
    check_keys(c, o, tp, keys, false, "field");
    rd_share(c, o, tp, "fraction", &t->fraction);
    rd_enum(c, o, tp, "region", false, mllm_region_names, "region", &t->region);
    rd_enum(c, o, tp, "plan", false, mllm_plan_names, "plan", &t->plan);
    rd_enum(c, o, tp, "client", false, mllm_client_names, "client", &t->client);
    rd_enum(c, o, tp, "query_type", false, mllm_qtype_names, "query type", &t->qtype);
    rd_world(c, o, tp, "topic", false, W_TOPIC, &t->topic);
    rd_world(c, o, tp, "prompt", false, W_PROMPT, &t->prompt);
    rd_world(c, o, tp, "model", false, W_MODEL, &t->model);
}

/* One fault object at path ip into sf. `live`: injected into a running
 * drill, where "id" and "start" may be left out (start then means now). */
static void read_fault(ctx *c, const cJSON *e, const char *ip, sim_scen_fault *sf,
                       const sim_scenario *s, bool live)
{
    static const char *const keys[] = {"id",       "kind",   "start",  "ramp",
                                       "duration", "target", "params", NULL};
    char fp[192];
    mllm_fault *f = &sf->f;
    memset(sf, 0, sizeof *sf);
    mllm_target_any(&f->target);
    f->end = MLLM_NEVER;
    f->prompt = f->fingerprint = f->topic = f->docs = -1;
    check_keys(c, e, ip, keys, false, "field");
    const char *id = live ? "live" : NULL;
    if (rd_str(c, e, ip, "id", !live, 0, 4096, &id) && id) {
        mllm_path(fp, sizeof fp, ip, "id", 0);
        if (!ident_ok(id, sizeof sf->id - 1, "_-", true)) {
            fail(c, fp,
                 "expected an id of 1 to %zu characters a-z, 0-9, '_' or '-', got "
                 "\"%.40s\"",
                 sizeof sf->id - 1, id);
        } else {
            for (int k = 0; k < s->nfaults; k++)
                if (strcmp(s->faults[k].id, id) == 0) {
                    fail(c, fp, "duplicate fault id \"%s\" (fault %d has it too)", id, k);
                    break;
                }
            copy_str(sf->id, sizeof sf->id, id);
        }
    }
    int kind = -1;
    bool kind_ok =
        rd_enum(c, e, ip, "kind", true, mllm_fault_names, "fault kind", &kind) && kind >= 0;
    if (rd_dur(c, e, ip, "start", !live, 0, YEAR, NULL, 0, &f->start) && !live)
        inside_drill(c, mllm_path(fp, sizeof fp, ip, "start", 0), f->start, "fault start");
    rd_dur(c, e, ip, "ramp", false, 0, 7 * DAY, NULL, 0, &f->ramp);
    sim_time dur = MLLM_NEVER;
    if (rd_dur(c, e, ip, "duration", false, SIM_SEC(1), YEAR, "until_mitigated", MLLM_NEVER,
               &dur) &&
        dur != MLLM_NEVER)
        f->end = f->start + dur;
    read_target(c, e, ip, &f->target);
    if (kind_ok) {
        f->kind = (mllm_fault_kind)kind;
        read_params(c, e, ip, sf, s);
    } else {
        c->faults_ok = false;
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(e, "params");
        if (p && !cJSON_IsObject(p))
            rd_obj(c, e, ip, "params", false);
    }
}

static void read_faults(ctx *c, const cJSON *root, sim_scenario *s)
{
    const cJSON *fa = rd_arr(c, root, "$", "faults", true, 1, SIM_MAX_SCEN_FAULTS, "faults");
    c->faults_ok = fa != NULL;
    char ip[192];
    int i = 0;
    for (const cJSON *e = fa ? fa->child : NULL; e; e = e->next, i++) {
        mllm_path(ip, sizeof ip, "faults", NULL, i);
        if (!cJSON_IsObject(e)) {
            fail(c, ip, "expected a fault object {\"id\", \"kind\", \"start\", ...}, got %s",
                 mllm_json_type_name(e));
            c->faults_ok = false;
            continue;
        }
        read_fault(c, e, ip, &s->faults[s->nfaults], s, false);
        s->nfaults++;
    }
    /* Stable by start: the service wants faults registered in start order. */
    for (int k = 1; k < s->nfaults; k++) {
        sim_scen_fault tmp = s->faults[k];
        int j = k - 1;
        while (j >= 0 && s->faults[j].f.start > tmp.f.start) {
            s->faults[j + 1] = s->faults[j];
            j--;
        }
        s->faults[j + 1] = tmp;
    }
}

/* ---- scenario: alerts, runbook, expected, scoring ------------------------------------- */

static bool metric_is_share(sim_metric m)
{
    return strcmp(sim_metric_units[m], "share") == 0 || strcmp(sim_metric_units[m], "score") == 0;
}

/* "filter": {"topic": "billing"} watches one slice of traffic. */
static void read_alert_filter(ctx *c, const cJSON *e, const char *ip, sim_alert_rule *a,
                              bool metric_ok)
{
    const cJSON *f = rd_obj(c, e, ip, "filter", false);
    if (!f)
        return;
    char fp[192], kp[192];
    mllm_path(fp, sizeof fp, ip, "filter", 0);
    if (!f->child || f->child->next) {
        fail(c, fp, "expected exactly one of region, plan, client, query_type, topic, prompt, "
                    "model");
        return;
    }
    const cJSON *kv = f->child;
    mllm_path(kp, sizeof kp, fp, kv->string, 0);
    int dim = mllm_name_index(sim_dim_names, kv->string);
    if (dim < 0) {
        fail(c, kp, "unknown filter \"%.40s\" (expected region, plan, client, query_type, "
                    "topic, prompt or model)", kv->string);
        return;
    }
    if (!cJSON_IsString(kv)) {
        fail(c, kp, "expected a name, got %s", mllm_json_type_name(kv));
        return;
    }
    sim_metrics *m = calloc(1, sizeof *m); /* only for its name tables */
    if (!m) {
        fail(c, kp, "out of memory");
        return;
    }
    sim_metrics_init(m, c->w);
    int v = sim_dim_value_index(m, (sim_dim)dim, kv->valuestring);
    free(m);
    if (v < 0) {
        fail(c, kp, "unknown %s \"%.40s\"%s", kv->string, kv->valuestring,
             dim == SIM_DIM_MODEL ? " (write model@fingerprint, e.g. nw-large@fp_b42d07)" : "");
        return;
    }
    if (metric_ok && !sim_metric_sliceable(a->metric)) {
        fail(c, fp, "metric %s cannot be filtered (use request_rate, error_rate, refusal_rate, "
                    "judge_bad_rate or empty_retrieval_rate)", sim_metric_names[a->metric]);
        return;
    }
    a->dim = dim;
    a->dim_value = v;
}

static void read_alerts(ctx *c, const cJSON *root, sim_scenario *s)
{
    static const char *const keys[] = {"id",     "metric",   "op",          "threshold", "for",
                                       "window", "severity", "description", "filter", NULL};
    if (!cJSON_GetObjectItemCaseSensitive(root, "alerts")) {
        default_alert_rules(s);
        return;
    }
    const cJSON *al = rd_arr(c, root, "$", "alerts", false, 0, SIM_MAX_ALERTS, "alert rules");
    char ip[192], fp[192];
    int i = 0;
    for (const cJSON *e = al ? al->child : NULL; e; e = e->next, i++) {
        mllm_path(ip, sizeof ip, "alerts", NULL, i);
        if (!cJSON_IsObject(e)) {
            fail(c, ip,
                 "expected an alert rule object {\"id\", \"metric\", \"op\", "
                 "\"threshold\", ...}, got %s",
                 mllm_json_type_name(e));
            continue;
        }
        sim_alert_rule *a = &s->alerts[s->nalerts];
        memset(a, 0, sizeof *a);
        a->for_ = SIM_MIN(1);
        a->window = SIM_MIN(1);
        a->severity = 1;
        a->dim = -1;
        check_keys(c, e, ip, keys, false, "field");
        const char *id = NULL, *desc = NULL;
        if (rd_str(c, e, ip, "id", true, 0, 4096, &id) && id) {
            mllm_path(fp, sizeof fp, ip, "id", 0);
            if (!ident_ok(id, sizeof a->id - 1, "_-", false)) {
                fail(c, fp,
                     "expected an id of 1 to %zu characters a-z, 0-9, '_' or '-' (not "
                     "first), got \"%.40s\"",
                     sizeof a->id - 1, id);
            } else {
                for (int k = 0; k < s->nalerts; k++)
                    if (strcmp(s->alerts[k].id, id) == 0) {
                        fail(c, fp, "duplicate alert id \"%s\" (alerts[%d] has it too)", id, k);
                        break;
                    }
                copy_str(a->id, sizeof a->id, id);
            }
        }
        int metric = -1, op = 0, window = 1, sev = 0;
        bool m_ok =
            rd_enum(c, e, ip, "metric", true, sim_metric_names, "metric", &metric) && metric >= 0;
        rd_enum(c, e, ip, "op", true, op_names, "operator", &op);
        a->above = op == 0;
        double thr = 0;
        if (rd_num(c, e, ip, "threshold", true, 0, 1e12, &thr) && m_ok &&
            metric_is_share((sim_metric)metric) && thr > 1)
            fail(c, mllm_path(fp, sizeof fp, ip, "threshold", 0),
                 "metric %s is a share in [0, 1]: expected a threshold in [0, 1], got %g",
                 sim_metric_names[metric], thr);
        a->threshold = thr;
        a->metric = m_ok ? (sim_metric)metric : SIM_M_ERROR_RATE;
        rd_dur(c, e, ip, "for", false, 0, DAY, NULL, 0, &a->for_);
        if (rd_enum(c, e, ip, "window", false, window_names, "window", &window))
            a->window = window == 0 ? SIM_SEC(10) : SIM_MIN(1);
        if (rd_enum(c, e, ip, "severity", false, severity_names, "severity", &sev))
            a->severity = sev + 1;
        if (rd_str(c, e, ip, "description", false, 0, sizeof a->description - 1, &desc) && desc)
            copy_str(a->description, sizeof a->description, desc);
        read_alert_filter(c, e, ip, a, m_ok);
        s->nalerts++;
    }
}

static void read_runbook(ctx *c, const cJSON *root, sim_scenario *s)
{
    static const char *const keys[] = {
        "flag", "approver", "approval_takes", "needs_approval", "delays", "notes", NULL};
    sim_runbook *rb = &s->runbook;
    const cJSON *o = rd_obj(c, root, "$", "runbook", false);
    if (!o)
        return;
    check_keys(c, o, "runbook", keys, false, "field");
    const char *flag = NULL, *approver = NULL;
    if (rd_str(c, o, "runbook", "flag", false, 1, sizeof rb->flag - 1, &flag) && flag)
        copy_str(rb->flag, sizeof rb->flag, flag);
    if (rd_str(c, o, "runbook", "approver", false, 1, sizeof rb->approver - 1, &approver) &&
        approver)
        copy_str(rb->approver, sizeof rb->approver, approver);
    rd_dur(c, o, "runbook", "approval_takes", false, 0, DAY, NULL, 0, &rb->approval_takes);
    const cJSON *na = rd_arr(c, o, "runbook", "needs_approval", false, 0, SIM_ACT_COUNT, "actions");
    if (na) {
        char ip[192], msg[224];
        int i = 0;
        rb->needs_approval = 0;
        for (const cJSON *e = na->child; e; e = e->next, i++) {
            mllm_path(ip, sizeof ip, "runbook.needs_approval", NULL, i);
            int k = cJSON_IsString(e) ? mllm_name_index(sim_action_names, e->valuestring) : -1;
            if (!cJSON_IsString(e)) {
                fail(c, ip, "expected an action name, got %s", mllm_json_type_name(e));
            } else if (k < 0) {
                unknown_msg(msg, sizeof msg, "action", e->valuestring, sim_action_names,
                            SIM_ACT_COUNT);
                fail(c, ip, "%s", msg);
            } else {
                rb->needs_approval |= 1ull << k;
            }
        }
    }
    const cJSON *dl = rd_obj(c, o, "runbook", "delays", false);
    if (dl) {
        check_keys(c, dl, "runbook.delays", sim_action_names, false, "action");
        for (int k = 0; k < SIM_ACT_COUNT; k++)
            rd_dur(c, dl, "runbook.delays", sim_action_names[k], false, 0, DAY, NULL, 0,
                   &rb->delay[k]);
    }
    char *notes = NULL;
    if (rd_text(c, o, "runbook", "notes", false, sizeof rb->notes - 1, &notes) && notes)
        copy_str(rb->notes, sizeof rb->notes, notes);
    free(notes);
}

static void read_action_list(ctx *c, const cJSON *o, const char *key, sim_action_spec *out, int *n)
{
    char ap[192], ip[192], err[224];
    const cJSON *arr = rd_arr(c, o, "expected", key, true, 1, SIM_MAX_ACCEPTED, "actions");
    mllm_path(ap, sizeof ap, "expected", key, 0);
    int i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        mllm_path(ip, sizeof ip, ap, NULL, i);
        sim_action_spec a;
        if (!cJSON_IsString(e)) {
            fail(c, ip, "expected an action string such as \"kill_switch:on\", got %s",
                 mllm_json_type_name(e));
        } else if (action_parse(e->valuestring, c->w, true, &a, err, sizeof err) != 0) {
            fail(c, ip, "%s", err);
        } else if (!action_is_lever(a.kind)) {
            fail(c, ip,
                 "\"%s\" is an incident step, not a lever: expected an action that "
                 "changes the service (kill_switch, prompt, route, reindex, ...)",
                 sim_action_names[a.kind]);
        } else {
            out[(*n)++] = a;
        }
    }
}

static void read_expected(ctx *c, const cJSON *root, sim_scenario *s)
{
    static const char *const keys[] = {"diagnosis", "contain", "fix", NULL};
    static const char *const dkeys[] = {"symptom", "cause", NULL};
    sim_expected *x = &s->expected;
    const cJSON *o = rd_obj(c, root, "$", "expected", true);
    if (!o)
        return;
    check_keys(c, o, "expected", keys, false, "field");
    const cJSON *dg = rd_arr(c, o, "expected", "diagnosis", true, 1, SIM_MAX_DIAG, "entries");
    char ip[192], fp[192];
    int i = 0;
    for (const cJSON *e = dg ? dg->child : NULL; e; e = e->next, i++) {
        mllm_path(ip, sizeof ip, "expected.diagnosis", NULL, i);
        if (!cJSON_IsObject(e)) {
            fail(c, ip, "expected {\"symptom\": ..., \"cause\": ...}, got %s", mllm_json_type_name(e));
            continue;
        }
        check_keys(c, e, ip, dkeys, false, "field");
        int sym = -1, cause = -1;
        bool ok = rd_enum(c, e, ip, "symptom", true, sim_symptom_names, "symptom", &sym);
        ok &= rd_enum(c, e, ip, "cause", true, mllm_fault_names, "cause (fault kind)", &cause);
        if (!ok || sym < 0 || cause < 0)
            continue;
        bool present = false;
        for (int k = 0; k < s->nfaults; k++)
            present |= (int)s->faults[k].f.kind == cause;
        if (!present && c->faults_ok) {
            fail(c, mllm_path(fp, sizeof fp, ip, "cause", 0),
                 "no fault of kind \"%s\" in this scenario: the expected cause must be injected",
                 mllm_fault_names[cause]);
            continue;
        }
        x->symptom[x->ndiag] = (sim_symptom)sym;
        x->cause[x->ndiag] = (mllm_fault_kind)cause;
        x->ndiag++;
    }
    read_action_list(c, o, "contain", x->contain, &x->ncontain);
    read_action_list(c, o, "fix", x->fix, &x->nfix);
}

static void read_scoring(ctx *c, const cJSON *root, sim_scenario *s)
{
    static const char *const keys[] = {
        "targets", "weights", "harm_threshold_per_min", "harm_budget", "postmortem_deadline", NULL};
    static const char *const tkeys[] = {"detect", "contain", "diagnose", "mitigate", NULL};
    sim_scoring *sc = &s->scoring;
    const cJSON *o = rd_obj(c, root, "$", "scoring", false);
    if (!o)
        return;
    check_keys(c, o, "scoring", keys, false, "field");
    const cJSON *t = rd_obj(c, o, "scoring", "targets", false);
    if (t) {
        check_keys(c, t, "scoring.targets", tkeys, false, "field");
        for (int k = 0; k <= SIM_PART_MITIGATE; k++)
            rd_dur(c, t, "scoring.targets", tkeys[k], false, SIM_SEC(1), 7 * DAY, NULL, 0,
                   &sc->target[k]);
    }
    const cJSON *wt = rd_obj(c, o, "scoring", "weights", false);
    if (wt) {
        double w[SIM_PART_COUNT];
        double sum = 0;
        bool ok = check_keys(c, wt, "scoring.weights", sim_score_part_names, false, "field");
        memcpy(w, sc->weight, sizeof w);
        for (int k = 0; k < SIM_PART_COUNT; k++) {
            ok &= rd_num(c, wt, "scoring.weights", sim_score_part_names[k], false, 0, 1000, &w[k]);
            sum += w[k];
        }
        if (ok && !(sum > 0))
            fail(c, "scoring.weights", "every weight is 0: give at least one part a weight > 0");
        else if (ok)
            for (int k = 0; k < SIM_PART_COUNT; k++)
                sc->weight[k] = w[k] * 100.0 / sum;
    }
    rd_num(c, o, "scoring", "harm_threshold_per_min", false, 0, 1e9, &sc->harm_threshold_per_min);
    rd_pos(c, o, "scoring", "harm_budget", false, 1e12, &sc->harm_budget);
    rd_dur(c, o, "scoring", "postmortem_deadline", false, SIM_MIN(1), 7 * DAY, NULL, 0,
           &sc->postmortem_deadline);
}

static void read_sampling(ctx *c, const cJSON *root, sim_scenario *s)
{
    static const char *const jkeys[] = {"sample", "noise", NULL};
    static const char *const tkeys[] = {"sample", NULL};
    const cJSON *j = rd_obj(c, root, "$", "judge", false);
    if (j) {
        check_keys(c, j, "judge", jkeys, false, "field");
        rd_share(c, j, "judge", "sample", &s->judge_sample);
        rd_num(c, j, "judge", "noise", false, 0, 1, &s->judge_noise);
    }
    const cJSON *t = rd_obj(c, root, "$", "traces", false);
    if (t) {
        check_keys(c, t, "traces", tkeys, false, "field");
        rd_share(c, t, "traces", "sample", &s->trace_sample);
    }
}

/* ---- scenario: entry points ----------------------------------------------------------- */

static sim_scenario *scenario_build(const mllm_jdoc *doc, const mllm_world *w, mllm_diags *diags)
{
    static const char *const keys[] = {
        "id",       "title",    "difficulty", "briefing", "trainer_notes", "seed",
        "duration", "start",    "baseline",   "timeline", "faults",        "alerts",
        "runbook",  "expected", "scoring",    "judge",    "traces",        NULL};
    sim_scenario *s = calloc(1, sizeof *s);
    if (!s) {
        mllm_diags_add(diags, doc->name, 0, 0, "$", "out of memory");
        return NULL;
    }
    ctx c = {{doc, diags}, w, true, false, false, 0};
    scenario_defaults(s, w);
    s->file = xstrdup(doc->name);
    s->trainer_notes = xstrdup("");
    if (!s->file || !s->trainer_notes) {
        fail(&c, "$", "out of memory");
        goto err;
    }
    const cJSON *root = doc->root;
    if (!cJSON_IsObject(root)) {
        fail(&c, "$", "expected a scenario object {\"id\": ..., \"faults\": [...], ...}, got %s",
             mllm_json_type_name(root));
        goto err;
    }
    bool start_given = false;
    check_keys(&c, root, "$", keys, true, "field");
    read_header(&c, root, s, &start_given);
    read_baseline(&c, root, s, start_given);
    read_timeline(&c, root, s);
    read_faults(&c, root, s);
    read_alerts(&c, root, s);
    read_runbook(&c, root, s);
    read_expected(&c, root, s);
    read_scoring(&c, root, s);
    read_sampling(&c, root, s);
    if (c.ok)
        return s;
err:
    sim_scenario_free(s);
    return NULL;
}

static sim_responder *responder_build(const mllm_jdoc *doc, const mllm_world *w,
                                      mllm_diags *diags);

/* Reads a document (from a file, or from text when `file` is NULL) and hands
 * it to `build`; diagnostics come out in file order. */
static void *load_with(const char *file, const char *name, const char *text, size_t len,
                       const mllm_world *w, mllm_diags *diags,
                       void *(*build)(const mllm_jdoc *, const mllm_world *, mllm_diags *))
{
    mllm_diags local;
    mllm_jdoc doc;
    assert(w);
    if (!diags) {
        mllm_diags_clear(&local);
        diags = &local;
    }
    int n0 = diags->n;
    void *out = NULL;
    int rc = file ? mllm_jdoc_load(&doc, file, diags) : mllm_jdoc_parse(&doc, name, text, len, diags);
    if (rc == 0)
        out = build(&doc, w, diags);
    sort_diags(diags, n0);
    mllm_jdoc_release(&doc);
    return out;
}

static void *build_scenario(const mllm_jdoc *doc, const mllm_world *w, mllm_diags *diags)
{
    return scenario_build(doc, w, diags);
}

static void *build_responder(const mllm_jdoc *doc, const mllm_world *w, mllm_diags *diags)
{
    return responder_build(doc, w, diags);
}

sim_scenario *sim_scenario_parse(const char *name, const char *text, size_t len,
                                 const mllm_world *w, mllm_diags *diags)
{
    return load_with(NULL, name, text, len, w, diags, build_scenario);
}

sim_scenario *sim_scenario_load(const char *file, const mllm_world *w, mllm_diags *diags)
{
    return load_with(file, NULL, NULL, 0, w, diags, build_scenario);
}

void sim_scenario_free(sim_scenario *s)
{
    if (!s)
        return;
    free(s->file);
    free(s->briefing);
    free(s->trainer_notes);
    free(s);
}

/* ---- responders ----------------------------------------------------------------------- */

static void read_step(ctx *c, const cJSON *e, const char *ip, sim_step *st)
{
    static const char *const keys[] = {"do", "arg", "at", "on", "after", NULL};
    char fp[192], err[224];
    check_keys(c, e, ip, keys, false, "field");
    int kind = -1;
    bool kind_ok = rd_enum(c, e, ip, "do", true, sim_action_names, "action", &kind) && kind >= 0;
    const char *arg = NULL;
    bool arg_ok = rd_str(c, e, ip, "arg", false, 1, sizeof st->action.arg - 1, &arg);
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(e, "at");
    const cJSON *on = cJSON_GetObjectItemCaseSensitive(e, "on");
    if (at && on) {
        fail(c, mllm_path(fp, sizeof fp, ip, "on", 0),
             "a step has either \"at\" (a time) or \"on\" (an alert), not both");
    } else if (!at && !on) {
        fail(c, ip,
             "a step needs \"at\" (a time such as \"5m\") or \"on\" (such as "
             "\"alert:error-rate\")");
    } else if (at) {
        rd_dur(c, e, ip, "at", true, 0, YEAR, NULL, 0, &st->at);
        if (cJSON_GetObjectItemCaseSensitive(e, "after"))
            fail(c, mllm_path(fp, sizeof fp, ip, "after", 0),
                 "\"after\" only applies to steps triggered \"on\" an alert");
    } else {
        const char *v = NULL;
        if (rd_str(c, e, ip, "on", true, 0, 4096, &v) && v) {
            const char *id = strncmp(v, "alert:", 6) == 0 ? v + 6 : NULL;
            if (!id ||
                !(strcmp(id, "*") == 0 || ident_ok(id, sizeof st->on_alert - 1, "_-", false)))
                fail(c, mllm_path(fp, sizeof fp, ip, "on", 0),
                     "expected \"alert:ID\" (an alert rule id) or \"alert:*\" (any alert), got "
                     "\"%.40s\"",
                     v);
            else
                copy_str(st->on_alert, sizeof st->on_alert, id);
        }
        rd_dur(c, e, ip, "after", false, 0, DAY, NULL, 0, &st->after);
    }
    if (!kind_ok || !arg_ok)
        return;
    st->action.kind = (sim_action_kind)kind;
    if (arg)
        copy_str(st->action.arg, sizeof st->action.arg, arg);
    if (sim_action_check(&st->action, c->w, err, sizeof err) != 0) {
        if (!arg && action_takes_arg(st->action.kind))
            fail(c, ip, "action \"%s\" needs \"arg\": %s", sim_action_names[kind],
                 sim_action_arg_help[kind]);
        else
            fail(c, mllm_path(fp, sizeof fp, ip, "arg", 0), "%s", err);
    }
}

const char *const sim_pm_keys[] = {"what_happened", "when_started", "why_not_caught",
                                   "hard_to_diagnose", "prevention", NULL};
const char *const sim_pm_questions[] = {
    "What happened?", "When did it start?", "Why wasn't it caught before users saw it?",
    "What made it hard to diagnose?", "What prevents it from happening again?", NULL};

static void read_responder_pm(ctx *c, const cJSON *root, sim_responder_pm *pm)
{
    static const char *const keys[] = {"after_resolve", "answers", "eval_cases", NULL};
    static const char *const ckeys[] = {"from_trace", "assertions", NULL};
    static const char *const trace_names[] = {"failing", "any", NULL};
    const cJSON *o = rd_obj(c, root, "$", "postmortem", false);
    if (!o)
        return;
    pm->present = true;
    check_keys(c, o, "postmortem", keys, false, "field");
    rd_dur(c, o, "postmortem", "after_resolve", false, 0, SIM_MIN(24 * 60), NULL, 0,
           &pm->after_resolve);
    const cJSON *ans = rd_obj(c, o, "postmortem", "answers", false);
    if (ans) {
        check_keys(c, ans, "postmortem.answers", sim_pm_keys, false, "question");
        for (int q = 0; q < SIM_PM_QUESTIONS; q++)
            rd_text(c, ans, "postmortem.answers", sim_pm_keys[q], false, 4000, &pm->answer[q]);
    }
    const cJSON *cases = rd_arr(c, o, "postmortem", "eval_cases", false, 0, SIM_PM_MAX_CASES,
                                "eval cases");
    int i = 0;
    for (const cJSON *e = cases ? cases->child : NULL; e; e = e->next, i++) {
        char ip[192], ap[192];
        mllm_path(ip, sizeof ip, "postmortem.eval_cases", NULL, i);
        if (!cJSON_IsObject(e)) {
            fail(c, ip, "expected an eval case {\"from_trace\", \"assertions\"}, got %s",
                 mllm_json_type_name(e));
            continue;
        }
        check_keys(c, e, ip, ckeys, false, "field");
        int which = 0;
        rd_enum(c, e, ip, "from_trace", false, trace_names, "trace choice", &which);
        pm->cases[pm->ncases].any_trace = which == 1;
        const cJSON *as = rd_arr(c, e, ip, "assertions", true, 1, SIM_PM_MAX_ASSERT, "assertions");
        mllm_path(ap, sizeof ap, ip, "assertions", 0);
        int k = 0;
        for (const cJSON *a = as ? as->child : NULL; a; a = a->next, k++) {
            char kp[192], err[200];
            mllm_path(kp, sizeof kp, ap, NULL, k);
            sim_assertion parsed;
            if (!cJSON_IsString(a))
                fail(c, kp, "expected an assertion string such as \"contains_fact\", got %s",
                     mllm_json_type_name(a));
            else if (strlen(a->valuestring) >= sizeof pm->cases[0].assertion[0])
                fail(c, kp, "assertion too long");
            else if (sim_assertion_parse(a->valuestring, c->w, &parsed, err, sizeof err) != 0)
                fail(c, kp, "%s", err);
            else
                copy_str(pm->cases[pm->ncases].assertion[pm->cases[pm->ncases].nassert++],
                         sizeof pm->cases[0].assertion[0], a->valuestring);
        }
        pm->ncases++;
    }
}

static sim_responder *responder_build(const mllm_jdoc *doc, const mllm_world *w, mllm_diags *diags)
{
    static const char *const keys[] = {"scenario", "description", "steps", "postmortem", NULL};
    sim_responder *r = calloc(1, sizeof *r);
    if (!r) {
        mllm_diags_add(diags, doc->name, 0, 0, "$", "out of memory");
        return NULL;
    }
    ctx c = {{doc, diags}, w, true, false, false, 0};
    copy_str(r->file, sizeof r->file, doc->name);
    const cJSON *root = doc->root;
    if (!cJSON_IsObject(root)) {
        fail(&c, "$", "expected a responder object {\"scenario\": ..., \"steps\": [...]}, got %s",
             mllm_json_type_name(root));
        goto err;
    }
    check_keys(&c, root, "$", keys, true, "field");
    const char *id = NULL, *desc = NULL;
    if (rd_str(&c, root, "$", "scenario", true, 0, 4096, &id) && id) {
        if (!ident_ok(id, sizeof r->scenario - 1, "-", false))
            fail(&c, "scenario",
                 "expected a scenario id of lowercase letters, digits and '-' "
                 "(not first), 1 to %zu characters, got \"%.40s\"",
                 sizeof r->scenario - 1, id);
        else
            copy_str(r->scenario, sizeof r->scenario, id);
    }
    if (rd_str(&c, root, "$", "description", false, 0, sizeof r->description - 1, &desc) && desc)
        copy_str(r->description, sizeof r->description, desc);
    const cJSON *steps = rd_arr(&c, root, "$", "steps", true, 1, SIM_MAX_STEPS, "steps");
    char ip[192];
    int i = 0;
    for (const cJSON *e = steps ? steps->child : NULL; e; e = e->next, i++) {
        mllm_path(ip, sizeof ip, "steps", NULL, i);
        if (!cJSON_IsObject(e)) {
            fail(&c, ip, "expected a step object {\"do\", \"at\" or \"on\", ...}, got %s",
                 mllm_json_type_name(e));
            continue;
        }
        read_step(&c, e, ip, &r->steps[r->nsteps++]);
    }
    read_responder_pm(&c, root, &r->postmortem);
    if (c.ok)
        return r;
err:
    sim_responder_free(r);
    return NULL;
}

sim_responder *sim_responder_parse(const char *name, const char *text, size_t len,
                                   const mllm_world *w, mllm_diags *diags)
{
    return load_with(NULL, name, text, len, w, diags, build_responder);
}

sim_responder *sim_responder_load(const char *file, const mllm_world *w, mllm_diags *diags)
{
    return load_with(file, NULL, NULL, 0, w, diags, build_responder);
}

void sim_responder_free(sim_responder *r)
{
    if (!r)
        return;
    for (int q = 0; q < SIM_PM_QUESTIONS; q++)
        free(r->postmortem.answer[q]);
    free(r);
}

static int find_alert(const sim_scenario *s, const char *id)
{
    for (int i = 0; i < s->nalerts; i++)
        if (strcmp(s->alerts[i].id, id) == 0)
            return i;
    return -1;
}

/* "unknown alert "x" (did you mean ...)" against the scenario's alert ids. */
static void unknown_alert(const sim_scenario *s, const char *id, char *msg, size_t n)
{
    const char *names[SIM_MAX_ALERTS];
    for (int i = 0; i < s->nalerts; i++)
        names[i] = s->alerts[i].id;
    char tmp[200];
    unknown_msg(tmp, sizeof tmp, "alert", id, names, s->nalerts);
    snprintf(msg, n, "%.170s in scenario \"%s\"", tmp, s->id);
}

int sim_responder_check(const sim_responder *r, const sim_scenario *s, mllm_diags *diags)
{
    int rc = 0;
    char path[64], msg[256], a[32], d[32];
    if (strcmp(r->scenario, s->id) != 0) {
        mllm_diags_add(diags, r->file, 0, 0, "scenario",
                       "the responder is written for scenario \"%s\", not \"%s\"", r->scenario,
                       s->id);
        rc = -EINVAL;
    }
    for (int i = 0; i < r->nsteps; i++) {
        const sim_step *st = &r->steps[i];
        if (st->on_alert[0] && strcmp(st->on_alert, "*") != 0 && find_alert(s, st->on_alert) < 0) {
            snprintf(path, sizeof path, "steps[%d].on", i);
            unknown_alert(s, st->on_alert, msg, sizeof msg);
            mllm_diags_add(diags, r->file, 0, 0, path, "%s", msg);
            rc = -EINVAL;
        }
        if (st->action.kind == SIM_ACT_ACK && strcmp(st->action.arg, "*") != 0 &&
            find_alert(s, st->action.arg) < 0) {
            snprintf(path, sizeof path, "steps[%d].arg", i);
            unknown_alert(s, st->action.arg, msg, sizeof msg);
            mllm_diags_add(diags, r->file, 0, 0, path, "%s", msg);
            rc = -EINVAL;
        }
        if (!st->on_alert[0] && st->at >= s->duration) {
            snprintf(path, sizeof path, "steps[%d].at", i);
            fmt_dur(st->at, a, sizeof a);
            fmt_dur(s->duration, d, sizeof d);
            mllm_diags_add(diags, r->file, 0, 0, path,
                           "step at %s is not before the drill's end (duration %s)", a, d);
            rc = -EINVAL;
        }
    }
    return rc;
}

int sim_fault_from_json(const char *name, const char *json, size_t len, const mllm_world *w,
                        sim_time drill_duration, sim_scen_fault *out, mllm_diags *diags)
{
    mllm_jdoc doc;
    int rc = mllm_jdoc_parse(&doc, name, json, len, diags);
    sim_scenario *tmp = NULL;
    if (rc != 0)
        goto out;
    rc = -EINVAL;
    if (!cJSON_IsObject(doc.root)) {
        mllm_jdoc_error(&doc, diags, "$", "expected a fault object {\"kind\", \"params\", ...}");
        goto out;
    }
    tmp = calloc(1, sizeof *tmp);
    if (!tmp) {
        rc = -ENOMEM;
        goto out;
    }
    scenario_defaults(tmp, w);
    tmp->duration = drill_duration;
    ctx c = {{&doc, diags}, w, true, true, true, drill_duration};
    read_fault(&c, doc.root, "$", out, tmp, true);
    if (c.ok)
        rc = 0;
out:
    free(tmp);
    mllm_jdoc_release(&doc);
    return rc;
}
