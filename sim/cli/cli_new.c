/* cli_new.c - `firedrill new`: a new scenario and its reference responder from templates.
 *
 * One template per fault kind, learned from the shipped scenarios (all of which pass
 * `validate --solve`): the fault with typical parameters and targeting, the baseline it
 * needs, the alert rules that catch its symptom, the expected diagnosis and the levers of
 * the decision table, and the steps a good responder takes. Templates compose: the files
 * for several kinds merge baselines, alerts and expectations, and the responder handles
 * the faults in start order. Names of the world (prompt versions, fingerprints, topics)
 * are read from assets/, and both files are loaded back through the normal loaders
 * before the command reports success. scenarios/README.md documents the templates. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "cli.h"

/* Declared in cli.h once the command is registered; repeated so this file builds alone. */
int cli_new(int argc, char **argv);

#define MAX_NEW_FAULTS 3
#define FIRST_START    SIM_MIN(8) /* a quiet baseline first, as the shipped scenarios have */
#define NEXT_START     SIM_MIN(6) /* later faults start this long after the previous one */
#define DETECT_GUESS   SIM_MIN(4) /* when a later fault's response begins (time-based) */
#define WIDTH          100        /* JSON lines are kept within this many columns */

/* ---- templates ------------------------------------------------------------------------ */

/* A responder step, `after` its trigger (the first alert, or a time). */
typedef struct step_tpl {
    const char *after, *act, *arg, *why;
} step_tpl;

/* JSON fragments below use single quotes for readability; they are turned into double
 * quotes before parsing (so they hold no apostrophes). ${NAME} is a world name filled in
 * from assets/: BASE_PROMPT, NEXT_PROMPT, SCHEMA_PROMPT, BASE_FP, NEXT_FP, GAP_TOPIC,
 * SAFETY_TOPIC. */
typedef struct kind_tpl {
    const char *kind;
    const char *fault;         /* the fault object's ramp/target/params */
    const char *baseline;      /* merged into the scenario's baseline, or NULL */
    const char *alerts;        /* alert ids (see alert_defs) added to the base set */
    const char *symptoms;      /* expected diagnosis symptoms, space-separated */
    const char *contain, *fix; /* JSON arrays of lever specs */
    step_tpl steps[10];
    const char *asserts;    /* post-mortem eval case assertions, space-separated */
    bool keeps_backup;      /* the fix leaves traffic on the backup model */
    const char *decoy;      /* a plausible, harmless config change near the start */
    const char *story;      /* trainer notes: what happens */
    const char *evidence;   /* trainer notes: what the trainee can find */
    const char *prevention; /* post-mortem: what prevents it */
} kind_tpl;

static const kind_tpl kinds[] = {
    {"prompt_regression",
     "{'ramp': '30s', 'target': {'fraction': 0.7}, 'params': {'prompt': '${NEXT_PROMPT}'}}",
     NULL,
     "",
     "wrong_consistent",
     "['kill_switch:on']",
     "['prompt:${BASE_PROMPT}']",
     {{"1m30s", "kill_switch", "on", "contain first: no answer beats a wrong one"},
      {"4m", "diagnose", "wrong_consistent/prompt_regression",
       "same wrong pattern since the deploy"},
      {"5m", "prompt", "${BASE_PROMPT}", "roll the prompt back"},
      {"7m30s", "flush_cache", NULL, "drop answers cached while it was live"},
      {"8m", "kill_switch", "off", "lift the blunt lever"}},
     "contains_fact no_error",
     false,
     "cache TTL raised from 10m to 15m (ops ticket OPS-4411)",
     "Prompt ${NEXT_PROMPT} is deployed and, for most requests, the model stops answering from "
     "the retrieved context: it states the same wrong facts for every kind of question.",
     "judge quality drops from the deploy on, across every query type; traces carry prompt "
     "${NEXT_PROMPT}; the change log shows the deploy. Fix: roll back to ${BASE_PROMPT}.",
     "run the eval set before every prompt deploy"},
    {"model_change",
     "{'ramp': '30s', 'target': {'fraction': 0.8}, 'params': {'fingerprint': '${NEXT_FP}'}}",
     "{'fingerprint': '${BASE_FP}'}",
     "",
     "wrong_consistent",
     "['kill_switch:on', 'route:backup', 'route:simplified', 'pin_model:${BASE_FP}']",
     "['pin_model:${BASE_FP}', 'route:backup']",
     {{"2m", "route", "backup", "contain: the backup model answers right"},
      {"3m15s", "flush_cache", NULL, "drop wrong answers already cached"},
      {"4m", "reproduce", "last", "the failing trace names the new fingerprint"},
      {"7m", "diagnose", "wrong_consistent/model_change", "no deploy of ours, a new fingerprint"},
      {"8m", "pin_model", "${BASE_FP}", "pin the previous model version"},
      {"10m", "route", "primary", "back to the (pinned) primary"}},
     "contains_fact",
     false,
     "api-gateway autoscaling: min replicas 4 -> 6 (PLAT-2291)",
     "The provider silently moves the model alias to fingerprint ${NEXT_FP}, which garbles "
     "answers for most requests. Nobody on our side deployed anything.",
     "a consistent wrong pattern with no deploy of ours; the fingerprint changes in traces and "
     "in the model breakdown. Fix: pin ${BASE_FP}, or route to the backup model.",
     "pin model versions in production and canary every fingerprint change with the eval set"},
    {"retrieval_degradation",
     "{'target': {'fraction': 0.35}}",
     NULL,
     "weak-retrieval",
     "wrong_random",
     "['disclaimer:on', 'kill_switch:on', 'restore_snapshot', 'reindex']",
     "['restore_snapshot', 'reindex']",
     {{"2m30s", "disclaimer", "on", "soften the harm while looking"},
      {"4m", "reproduce", "last", "failing traces carry off-topic chunks"},
      {"6m", "diagnose", "wrong_random/retrieval_degradation", "a random subset, weak retrieval"},
      {"7m", "restore_snapshot", "previous", "back to the last good index"},
      {"9m30s", "flush_cache", NULL, "drop answers built on bad chunks"},
      {"12m", "disclaimer", "off", "lift the disclaimer"}},
     "contains_fact",
     false,
     "month-end: billing traffic up 60% (no change on our side)",
     "An index refresh goes live whose retrieval returns off-topic, low-score chunks for about "
     "a third of the queries: wrong answers on a random subset.",
     "wrong answers on no particular segment; failing traces show irrelevant chunks with low "
     "scores; the empty-retrieval rate rises; the change log shows the index refresh. Fix: "
     "restore the previous snapshot, or reindex.",
     "gate index refreshes on retrieval-quality checks and keep the previous snapshot warm"},
    {"stale_index",
     "{'params': {'docs': 20}}",
     "{'index': {'age': '3m', 'refresh_every': '5m', 'reindex_takes': '2m'}}",
     "",
     "stale",
     "['disclaimer:on', 'reindex', 'kill_switch:on']",
     "['reindex']",
     {{"2m", "disclaimer", "on", "warn users while looking"},
      {"3m", "reindex", NULL, "refused while a scheduled build runs"},
      {"5m30s", "reindex", NULL, "so try again: one of two attempts starts"},
      {"7m", "diagnose", "stale/stale_index", "index age past its schedule"},
      {"10m", "flush_cache", NULL, "drop stale answers"},
      {"11m", "disclaimer", "off", "lift the disclaimer"}},
     "contains_fact",
     false,
     "support-widget CSS refresh deployed (WEB-1183)",
     "The docs team publishes updates to 20 documents while the scheduled index refresh starts "
     "failing silently: answers keep quoting the old versions.",
     "index age climbs past its 5-minute schedule; answers and cited chunks are older than the "
     "sources; no failed refresh in the change log (it is silent). Fix: a manual reindex.",
     "alert on index age and on failed refresh jobs; test that answers cite current documents"},
    {"safety_update",
     "{'ramp': '1m', 'target': {'fraction': 0.85}, 'params': {'fingerprint': '${NEXT_FP}', "
     "'topic': '${SAFETY_TOPIC}'}}",
     "{'fingerprint': '${BASE_FP}', 'traffic': {'topics': {'${SAFETY_TOPIC}': 1.5}}}",
     "",
     "refusals",
     "['route:backup', 'pin_model:${BASE_FP}', 'kill_switch:on']",
     "['pin_model:${BASE_FP}', 'route:backup']",
     {{"1m30s", "route", "backup", "the backup model does not refuse"},
      {"4m", "diagnose", "refusals/safety_update", "refusals on one topic, new fingerprint"},
      {"5m", "pin_model", "${BASE_FP}", "pin the previous version"},
      {"7m", "route", "primary", "back to the pinned primary"}},
     "not_refusal",
     false,
     "WAF rules updated: stricter bot filtering on /chat (SEC-311)",
     "The provider ships a safety update (fingerprint ${NEXT_FP}) that refuses benign "
     "${SAFETY_TOPIC} questions.",
     "the refusal rate rises, concentrated on the ${SAFETY_TOPIC} topic; the fingerprint "
     "changes in traces; no deploy of ours. Fix: pin ${BASE_FP}, or the backup model.",
     "canary provider model updates against an eval set of benign questions on every topic"},
    {"prompt_trigger",
     "{'params': {'prompt': '${NEXT_PROMPT}', 'term': 'delete'}}",
     "{'traffic': {'topics': {'accounts': 1.4, 'data_retention': 1.4}}}",
     "",
     "refusals",
     "['prompt:${BASE_PROMPT}', 'kill_switch:on', 'disable_type:howto']",
     "['prompt:${BASE_PROMPT}']",
     {{"2m", "reproduce", "last", "the refused questions share a word"},
      {"4m", "diagnose", "refusals/prompt_trigger", "refusals on one term since the deploy"},
      {"4m30s", "prompt", "${BASE_PROMPT}", "roll the prompt back"}},
     "not_refusal",
     false,
     "year-end clean-up email sent to all workspace admins",
     "Prompt ${NEXT_PROMPT} is deployed; its new wording makes the model refuse any question "
     "that mentions \"delete\" (deleting accounts, data, members).",
     "refusals cluster on questions with that word, from the deploy on; the change log shows "
     "the deploy; the backup model refuses too (same prompt). Fix: roll back to "
     "${BASE_PROMPT}.",
     "keep refusal-rate cases for sensitive-sounding benign words in the prompt eval set"},
    {"provider_slowdown",
     "{'ramp': '1m', 'params': {'factor': 5}}",
     NULL,
     "ttft-p99",
     "latency",
     "['route:backup', 'route:simplified', 'kill_switch:on']",
     "['route:backup']",
     {{"2m", "route", "backup", "the backup provider is healthy"},
      {"4m", "diagnose", "latency/provider_slowdown", "slow everywhere, provider degraded"}},
     "latency_under_ms:8000 no_error",
     true,
     "search-index nodes rotated (routine, INFRA-877)",
     "The primary provider slows down five-fold: time to first token and generation take five "
     "times longer, and the slowest answers time out.",
     "P99 latency and time to first token rise on every segment; the provider status says "
     "degraded; the backup route is healthy. Fix: route to the backup model (or wait it out).",
     "an automatic failover to the backup provider when its latency objective is breached"},
    {"rate_limiting",
     "{'params': {'rpm': 700}}",
     NULL,
     "",
     "latency errors",
     "['throttle', 'route:backup', 'kill_switch:on']",
     "['throttle', 'route:backup']",
     {{"2m", "throttle", "12", "shed load under the provider limit"},
      {"4m", "diagnose", "latency/rate_limiting", "429s retried, limit headers"},
      {"5m", "route", "backup", "move the load to the backup provider"},
      {"7m", "throttle", "0", "lift the throttle"}},
     "latency_under_ms:8000 no_error",
     true,
     "marketing newsletter sent (no product change)",
     "The provider lowers our rate limit to 700 requests a minute, below our traffic: requests "
     "are retried after 429s, queue, slow down and some fail.",
     "latency and 429 retries rise together; traces show retries and limit headers; the "
     "provider's requests per minute sit at the limit. Fix: throttle, or move to the backup.",
     "alert on provider quota headroom and keep a second provider warm"},
    {"context_growth",
     "{'target': {'client': 'web-4.9'}, 'params': {'tokens_per_min': 2500}}",
     "{'traffic': {'conversation': {'continue': 0.35, 'tokens_per_turn': 180, 'max_turns': 6}}}",
     "context-tokens=6000",
     "latency errors",
     "['context_cap', 'kill_switch:on']",
     "['context_cap']",
     {{"3m", "reproduce", "last", "huge history on one client"},
      {"4m", "diagnose", "latency/context_growth", "context tokens climbing"},
      {"5m", "context_cap", "2000", "cap the history sent"}},
     "latency_under_ms:8000 no_error",
     false,
     "feature flag widget.dark_mode -> on (web team)",
     "Client web-4.9 is released to everyone and starts sending the whole conversation "
     "history, growing by 2500 tokens a minute: latency and cost climb, then requests exceed "
     "the context window.",
     "mean context tokens climb on client web-4.9 only; cost per minute follows; later 400 "
     "context_length_exceeded errors; the change log shows the client release. Fix: cap the "
     "context.",
     "enforce a context budget in the service, whatever the client sends"},
    {"api_change",
     "{'target': {'client': 'api-sdk-2'}, 'params': {'param': 'logit_bias'}}",
     NULL,
     "",
     "errors",
     "['route:backup', 'kill_switch:on', 'api_compat:on']",
     "['api_compat:on']",
     {{"1m30s", "route", "backup", "the other provider accepts the request"},
      {"2m", "reproduce", "last", "400: unrecognized argument"},
      {"4m", "diagnose", "errors/api_change", "provider changelog, 400s with a parameter"},
      {"5m", "api_compat", "on", "pin the client to the previous API"},
      {"9m", "route", "primary", "back to the primary"}},
     "no_error",
     false,
     "web client 4.9.3 rolled out to 50% of web users",
     "The provider releases a new API version that rejects a request parameter the api-sdk-2 "
     "client still sends (logit_bias).",
     "400 errors with the parameter named in the message, only on client api-sdk-2, right "
     "after a provider changelog entry in the change log. Fix: the API compatibility pin.",
     "subscribe to provider changelogs and test the client against new API versions"},
    {"schema_mismatch",
     "{'params': {'prompt': '${SCHEMA_PROMPT}'}}",
     "{'traffic': {'query_types': {'factual': 0.28, 'howto': 0.2, 'troubleshooting': 0.16, "
     "'policy': 0.12, 'structured': 0.16, 'smalltalk': 0.08}}}",
     "",
     "errors",
     "['disable_type:structured', 'prompt:${BASE_PROMPT}', 'parser_compat:on', 'kill_switch:on']",
     "['parser_compat:on', 'prompt:${BASE_PROMPT}']",
     {{"1m30s", "disable_type", "structured", "stop the failing query type"},
      {"2m", "reproduce", "last", "output_parse_error on JSON answers"},
      {"3m30s", "diagnose", "errors/schema_mismatch", "errors only on structured output"},
      {"4m", "parser_compat", "on", "accept both JSON shapes"},
      {"8m", "enable_type", "structured", "lift the blunt lever"}},
     "no_error",
     false,
     "widget beta opened to 10% more workspaces",
     "Prompt ${SCHEMA_PROMPT} is deployed and changes the JSON shape of structured answers; "
     "our parser no longer accepts them.",
     "errors (500 output_parse_error) only on the structured query type, from the deploy on; "
     "parse messages in traces name the missing field. Fix: parser compatibility, or roll "
     "back to ${BASE_PROMPT}.",
     "contract tests between prompt output schemas and the parser"},
    {"rate_limit_errors",
     "{'params': {'rpm': 800}}",
     NULL,
     "",
     "errors",
     "['throttle', 'route:backup', 'kill_switch:on']",
     "['backoff:on', 'throttle']",
     {{"2m30s", "throttle", "12", "shed load well under the limit"},
      {"4m", "diagnose", "errors/rate_limit_errors", "429s surface as errors, no retry"},
      {"5m", "backoff", "on", "retry 429s with backoff"}},
     "no_error",
     false,
     "deploy train: search-api 2.14.0 rolled out",
     "A client release drops retries, and the provider limit (800 requests a minute) is below "
     "our traffic: 429s reach users as errors.",
     "error rate with 429 codes and rate-limit headers in traces; the change log shows the "
     "llm-client release. Fix: backoff and a throttle under the limit.",
     "keep retry-with-backoff under test in the client and alert on 429s"},
    {"kb_gap",
     "{'params': {'topic': '${GAP_TOPIC}'}}",
     "{'traffic': {'topics': {'${GAP_TOPIC}': 2.2}}}",
     "judge-quality=0.78 judge-bad-rate=0.12/2m",
     "topic_hallucination",
     "['disable_topic:${GAP_TOPIC}', 'disclaimer:on', 'kill_switch:on', 'restore_snapshot']",
     "['add_docs:${GAP_TOPIC}', 'reindex']",
     {{"3m", "disable_topic", "${GAP_TOPIC}", "stop answering the broken topic"},
      {"4m", "reproduce", "last", "empty or off-topic retrievals"},
      {"7m", "diagnose", "topic_hallucination/kb_gap", "one topic, its documents gone"},
      {"8m", "add_docs", "${GAP_TOPIC}", "restore the documents"},
      {"13m30s", "reindex", NULL, "rebuild the index with them"},
      {"17m", "flush_cache", NULL, "drop invented answers"},
      {"17m30s", "enable_topic", "${GAP_TOPIC}", "lift the blunt lever"}},
     "contains_fact",
     false,
     "CMS webhook retries 3 -> 5 (content platform)",
     "A knowledge-base sync from the CMS drops every ${GAP_TOPIC} document: the assistant "
     "invents answers about that topic.",
     "judge quality falls on the ${GAP_TOPIC} topic only; retrievals there are empty or "
     "off-topic; the change log shows the sync with fewer documents. Fix: add the documents "
     "back and reindex.",
     "check KB syncs for dropped documents before they go live"},
};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

/* Alert rules by id. The base set (the first NBASE_ALERTS) is always written; kinds add
 * the others, and may tune one as "id=THRESHOLD/FOR" (e.g. a fault that moves the judge's
 * score only a little needs a more sensitive judge-quality rule). `scale` turns the
 * threshold into the number the description shows (100 for a percentage). */
typedef struct alert_def {
    const char *id, *metric, *op;
    double threshold;
    const char *for_, *severity, *description;
    double scale;
} alert_def;

static const alert_def alert_defs[] = {
    {"error-rate", "error_rate", ">", 0.05, "1m", "page", "More than %g%% of requests fail", 100},
    {"latency-p99", "latency_p99_ms", ">", 8000, "2m", "page", "P99 latency above %g s", 0.001},
    {"refusal-rate", "refusal_rate", ">", 0.03, "2m", "ticket",
     "More than %g%% of answers are refusals", 100},
    {"judge-quality", "judge_quality", "<", 0.72, "2m", "page", "Sampled judge quality below %g",
     1},
    {"judge-bad-rate", "judge_bad_rate", ">", 0.2, "3m", "ticket",
     "The judge marks more than %g%% of sampled answers bad", 100},
    {"rate-429", "rate_429", ">", 0.03, "1m", "ticket",
     "More than %g%% of requests end in HTTP 429", 100},
    {"index-age", "index_age_min", ">", 0, "1m", "ticket",
     "The live index is older than %g minutes (its refresh schedule allows less)", 1},
    {"ttft-p99", "ttft_p99_ms", ">", 3000, "2m", "page", "P99 time to first token above %g s",
     0.001},
    {"context-tokens", "context_tokens", ">", 4000, "3m", "ticket", "Mean context above %g tokens",
     1},
    {"weak-retrieval", "empty_retrieval_rate", ">", 0.15, "2m", "page",
     "More than %g%% of retrievals are empty or weak", 100},
};
#define NBASE_ALERTS 7 /* error-rate .. index-age */

/* ---- world names ---------------------------------------------------------------------- */

typedef struct names {
    char base_prompt[32], next_prompt[32], schema_prompt[32];
    char base_fp[32], next_fp[32], gap_topic[32], safety_topic[32];
} names;

/* Picks the world names the templates use; a name the world lacks stays "" (the caller
 * refuses the kinds that need it). */
static void world_names(const mllm_world *w, const sim_scenario *defaults, names *n)
{
    memset(n, 0, sizeof *n);
    int bp = defaults->service.controls.prompt;
    const mllm_prompt *base = &w->prompts[bp];
    snprintf(n->base_prompt, sizeof n->base_prompt, "%s", base->version);
    for (int i = 0; i < w->nprompts; i++) {
        if (i == bp)
            continue;
        bool same = strcmp(w->prompts[i].json_schema, base->json_schema) == 0;
        if (same && !n->next_prompt[0] && i > bp)
            snprintf(n->next_prompt, sizeof n->next_prompt, "%s", w->prompts[i].version);
        if (!same && !n->schema_prompt[0])
            snprintf(n->schema_prompt, sizeof n->schema_prompt, "%s", w->prompts[i].version);
    }
    int pm = mllm_world_model_role(w, MLLM_ROLE_PRIMARY);
    if (pm >= 0 && w->models[pm].nversions >= 2) {
        snprintf(n->base_fp, sizeof n->base_fp, "%s", w->models[pm].fingerprint[0]);
        snprintf(n->next_fp, sizeof n->next_fp, "%s", w->models[pm].fingerprint[1]);
    }
    static const char *const gap_pref[] = {"integrations", NULL};
    static const char *const safety_pref[] = {"security", NULL};
    for (int i = 0; i < w->ntopics; i++) {
        const mllm_topic *t = &w->topics[i];
        if (t->in_kb && (!n->gap_topic[0] || mllm_name_index(gap_pref, t->id) >= 0))
            snprintf(n->gap_topic, sizeof n->gap_topic, "%s", t->id);
        if (t->in_kb && (!n->safety_topic[0] || mllm_name_index(safety_pref, t->id) >= 0))
            snprintf(n->safety_topic, sizeof n->safety_topic, "%s", t->id);
    }
}

/* The value of ${NAME}, or NULL when the world has none. */
static const char *name_value(const names *n, const char *key, size_t len)
{
    static const struct {
        const char *key;
        size_t off;
    } map[] = {
        {"BASE_PROMPT", offsetof(names, base_prompt)},
        {"NEXT_PROMPT", offsetof(names, next_prompt)},
        {"SCHEMA_PROMPT", offsetof(names, schema_prompt)},
        {"BASE_FP", offsetof(names, base_fp)},
        {"NEXT_FP", offsetof(names, next_fp)},
        {"GAP_TOPIC", offsetof(names, gap_topic)},
        {"SAFETY_TOPIC", offsetof(names, safety_topic)},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i].key) == len && strncmp(map[i].key, key, len) == 0) {
            const char *v = (const char *)n + map[i].off;
            return v[0] ? v : NULL;
        }
    return NULL;
}

/* Expands ${NAME} (and, with `quotes`, ' into ") into a new string. Sets *missing to
 * the first name the world lacks. */
static char *expand(const char *s, const names *n, bool quotes, const char **missing)
{
    size_t cap = strlen(s) * 2 + 64, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = s; *p;) {
        const char *v = NULL;
        size_t vl = 1;
        char one[2] = {*p, 0};
        if (p[0] == '$' && p[1] == '{' && strchr(p, '}')) {
            const char *end = strchr(p, '}');
            v = name_value(n, p + 2, (size_t)(end - p - 2));
            if (!v) {
                if (missing && !*missing)
                    *missing = "a world name";
                v = "?";
            }
            vl = strlen(v);
            p = end + 1;
        } else {
            if (quotes && *p == '\'')
                one[0] = '"';
            v = one;
            p++;
        }
        if (len + vl + 1 > cap) {
            char *nb = realloc(out, cap = (len + vl + 1) * 2);
            if (!nb) {
                free(out);
                return NULL;
            }
            out = nb;
        }
        memcpy(out + len, v, vl);
        len += vl;
    }
    out[len] = '\0';
    return out;
}

/* Parses a template fragment; asserts it is well formed (a bug otherwise). */
static cJSON *frag(const char *s, const names *n)
{
    const char *missing = NULL;
    char *t = expand(s, n, true, &missing);
    cJSON *j = t ? cJSON_Parse(t) : NULL;
    if (!j) {
        fprintf(stderr, "firedrill new: internal template error in: %s\n", t ? t : s);
        abort();
    }
    free(t);
    return j;
}

static char *text(const char *s, const names *n)
{
    return expand(s, n, false, NULL);
}

/* Merges object src into dst (objects recursively, other values replaced). */
static void merge(cJSON *dst, const cJSON *src)
{
    for (const cJSON *e = src->child; e; e = e->next) {
        cJSON *have = cJSON_GetObjectItemCaseSensitive(dst, e->string);
        if (have && cJSON_IsObject(have) && cJSON_IsObject(e))
            merge(have, e);
        else if (have)
            cJSON_ReplaceItemInObjectCaseSensitive(dst, e->string, cJSON_Duplicate(e, true));
        else
            cJSON_AddItemToObject(dst, e->string, cJSON_Duplicate(e, true));
    }
}

/* Adds each string of the array `items` to `arr` unless already there. */
static void add_unique(cJSON *arr, const cJSON *items)
{
    for (const cJSON *e = items->child; e; e = e->next) {
        bool have = false;
        for (const cJSON *a = arr->child; a && !have; a = a->next)
            have = strcmp(a->valuestring, e->valuestring) == 0;
        if (!have && cJSON_GetArraySize(arr) < SIM_MAX_ACCEPTED)
            cJSON_AddItemToArray(arr, cJSON_CreateString(e->valuestring));
    }
}

/* ---- JSON output, formatted for people ------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t len, cap;
    bool oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_string(buf *b, const char *s)
{
    puts_(b, "\"");
    for (; *s; s++) {
        char e[8];
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            e[0] = '\\';
            e[1] = (char)c;
            put(b, e, 2);
        } else if (c == '\n') {
            puts_(b, "\\n");
        } else if (c < 0x20) {
            snprintf(e, sizeof e, "\\u%04x", c);
            puts_(b, e);
        } else {
            put(b, (const char *)&c, 1);
        }
    }
    puts_(b, "\"");
}

static void put_compact(buf *b, const cJSON *j)
{
    char num[48];
    if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
        bool obj = cJSON_IsObject(j);
        puts_(b, obj ? "{" : "[");
        for (const cJSON *e = j->child; e; e = e->next) {
            if (obj) {
                put_string(b, e->string);
                puts_(b, ": ");
            }
            put_compact(b, e);
            if (e->next)
                puts_(b, ", ");
        }
        puts_(b, obj ? "}" : "]");
    } else if (cJSON_IsString(j)) {
        put_string(b, j->valuestring);
    } else if (cJSON_IsNumber(j)) {
        double v = j->valuedouble;
        if (v == floor(v) && fabs(v) < 1e15)
            snprintf(num, sizeof num, "%.0f", v);
        else
            snprintf(num, sizeof num, "%.10g", v);
        puts_(b, num);
    } else if (cJSON_IsBool(j)) {
        puts_(b, cJSON_IsTrue(j) ? "true" : "false");
    } else {
        puts_(b, "null");
    }
}

/* Writes j at column `col` (its key already written): on one line when it fits within
 * WIDTH, else one member per line, indented by `indent` + 2. */
static void put_pretty(buf *b, const cJSON *j, size_t indent, size_t col)
{
    buf one = {0};
    put_compact(&one, j);
    bool fits = one.p && col + one.len + 1 <= WIDTH && indent > 0;
    bool container = cJSON_IsObject(j) || cJSON_IsArray(j);
    if (fits || !container || !j->child) {
        puts_(b, one.p ? one.p : "null");
        free(one.p);
        return;
    }
    free(one.p);
    bool obj = cJSON_IsObject(j);
    /* An object of short members (an alert rule, a step) is filled onto a few lines, as
     * people write them; anything holding long or nested values gets a line per member. */
    bool fill = obj && indent > 0;
    for (const cJSON *e = j->child; e && fill; e = e->next) {
        buf m = {0};
        put_compact(&m, e);
        fill = m.p && col + 1 + m.len + strlen(e->string) + 5 <= WIDTH &&
               !(cJSON_IsObject(e) && cJSON_GetArraySize(e) > 2);
        free(m.p);
    }
    if (fill) {
        size_t c = col + 1;
        puts_(b, "{");
        for (const cJSON *e = j->child; e; e = e->next) {
            buf m = {0};
            put_string(&m, e->string);
            puts_(&m, ": ");
            put_compact(&m, e);
            size_t need = m.len + (e->next ? 1 : 2);
            if (e != j->child && c + 1 + need > WIDTH) {
                puts_(b, "\n");
                for (size_t k = 0; k < col + 1; k++)
                    puts_(b, " ");
                c = col + 1;
            } else if (e != j->child) {
                puts_(b, " ");
                c++;
            }
            puts_(b, m.p ? m.p : "");
            c += m.len;
            free(m.p);
            puts_(b, e->next ? "," : "}");
            c++;
        }
        return;
    }
    char pad[64];
    size_t in = indent + 2 < sizeof pad ? indent + 2 : sizeof pad - 1;
    memset(pad, ' ', in);
    pad[in] = '\0';
    puts_(b, obj ? "{\n" : "[\n");
    for (const cJSON *e = j->child; e; e = e->next) {
        puts_(b, pad);
        size_t c = in;
        if (obj) {
            put_string(b, e->string);
            puts_(b, ": ");
            c += strlen(e->string) + 4;
        }
        put_pretty(b, e, in, c);
        puts_(b, e->next ? ",\n" : "\n");
    }
    put(b, pad, indent);
    puts_(b, obj ? "}" : "]");
}

/* Writes j to path through a temporary file. Returns 0 or -errno. */
static int write_json(const char *path, const cJSON *j)
{
    buf b = {0};
    put_pretty(&b, j, 0, 0);
    puts_(&b, "\n");
    if (b.oom || !b.p) {
        free(b.p);
        return -ENOMEM;
    }
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int rc = 0;
    if (!f) {
        rc = -errno;
    } else {
        if (fwrite(b.p, 1, b.len, f) != b.len)
            rc = -EIO;
        if (fclose(f) != 0 && !rc)
            rc = -errno;
        if (!rc && rename(tmp, path) != 0)
            rc = -errno;
        if (rc)
            unlink(tmp);
    }
    free(b.p);
    return rc;
}

/* ---- building the files --------------------------------------------------------------- */

static const kind_tpl *find_kind(const char *k)
{
    for (int i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i].kind, k) == 0)
            return &kinds[i];
    return NULL;
}

static void dur(sim_time t, char *out, size_t n)
{
    mllm_duration_format(t, out, n);
}

static sim_time parse_dur(const char *s)
{
    uint64_t us = 0;
    if (mllm_duration_parse(s, &us) != 0)
        abort(); /* template durations are ours */
    return us;
}

/* "my-first-drill" -> "My first drill". */
static void title_of(const char *id, char *out, size_t n)
{
    snprintf(out, n, "%s", id);
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = ' ';
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

static uint64_t seed_of(const char *id)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = id; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ull;
    }
    return 20260000ull + h % 1000000ull;
}

static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* The rule `d` as the plan's kinds tune it. */
static cJSON *alert_rule(const alert_def *d, const kind_tpl *const *k, int nk,
                         sim_time refresh_every)
{
    double thr = d->threshold;
    char for_[16];
    snprintf(for_, sizeof for_, "%s", d->for_);
    if (strcmp(d->id, "index-age") == 0) {
        /* Past the refresh schedule: twice the period, or 3 minutes past a fast one. */
        thr = refresh_every ? 2.0 * (double)refresh_every / 60e6 : 720;
        if (refresh_every && refresh_every < SIM_MIN(30))
            thr = (double)refresh_every / 60e6 + 3;
    }
    /* A kind's tuning replaces the default; of several, the most sensitive wins. */
    bool above = strcmp(d->op, ">") == 0, tuned = false;
    for (int i = 0; i < nk; i++) {
        size_t idl = strlen(d->id);
        for (const char *t = k[i]->alerts; (t = strstr(t, d->id)); t += idl) {
            if ((t != k[i]->alerts && t[-1] != ' ') || t[idl] != '=')
                continue;
            char *end;
            double v = strtod(t + idl + 1, &end);
            if (!tuned || (above ? v < thr : v > thr))
                thr = v;
            tuned = true;
            if (*end == '/') {
                char f[16];
                size_t fl = strcspn(end + 1, " ");
                snprintf(f, sizeof f, "%.*s", (int)fl, end + 1);
                if (parse_dur(f) < parse_dur(for_))
                    snprintf(for_, sizeof for_, "%s", f);
            }
        }
    }
    char desc[160];
    snprintf(desc, sizeof desc, d->description, thr * d->scale);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "id", d->id);
    cJSON_AddStringToObject(a, "metric", d->metric);
    cJSON_AddStringToObject(a, "op", d->op);
    cJSON_AddNumberToObject(a, "threshold", thr);
    cJSON_AddStringToObject(a, "for", for_);
    cJSON_AddStringToObject(a, "severity", d->severity);
    cJSON_AddStringToObject(a, "description", desc);
    return a;
}

/* Does the kind's alert list name `id` (alone or tuned)? */
static bool wants_alert(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '=' || p[n] == '\0'))
            return true;
    return false;
}

typedef struct plan {
    const char *id;
    int nk;
    const kind_tpl *k[MAX_NEW_FAULTS];
    sim_time start[MAX_NEW_FAULTS];
    bool decoy;
    names n;
    char cmdline[512];
} plan;

static cJSON *build_scenario(const plan *p, sim_time duration, const char *schema_ref)
{
    const names *n = &p->n;
    cJSON *s = cJSON_CreateObject();
    char title[96], buf1[32];
    title_of(p->id, title, sizeof title);
    cJSON_AddStringToObject(s, "$schema", schema_ref);
    cJSON_AddStringToObject(s, "x-generated", p->cmdline);
    cJSON_AddStringToObject(s, "id", p->id);
    cJSON_AddStringToObject(s, "title", title);
    cJSON_AddStringToObject(s, "difficulty", p->nk > 1 ? "hard" : p->decoy ? "medium" : "easy");
    cJSON *brief = cJSON_AddArrayToObject(s, "briefing");
    cJSON_AddItemToArray(
        brief,
        cJSON_CreateString(
            "You are on call for Skyloft's support assistant, a RAG chatbot that answers customers "
            "from the help-centre knowledge base."));
    cJSON_AddItemToArray(
        brief,
        cJSON_CreateString(
            "Traffic is normal. Watch the dashboard; if something goes wrong, contain it first, "
            "then find out what changed, fix it, and write the post-mortem."));
    cJSON *notes = cJSON_AddArrayToObject(s, "trainer_notes");
    for (int i = 0; i < p->nk; i++) {
        char line[900];
        char *story = text(p->k[i]->story, n), *ev = text(p->k[i]->evidence, n);
        dur(p->start[i], buf1, sizeof buf1);
        snprintf(line, sizeof line, "At %s (%s): %s", buf1, p->k[i]->kind, story ? story : "");
        cJSON_AddItemToArray(notes, cJSON_CreateString(line));
        snprintf(line, sizeof line, "Evidence: %s", ev ? ev : "");
        cJSON_AddItemToArray(notes, cJSON_CreateString(line));
        free(story);
        free(ev);
    }
    if (p->decoy)
        cJSON_AddItemToArray(notes, cJSON_CreateString("The config change shortly before the first "
                                                       "fault is a decoy: it changes nothing."));
    cJSON_AddNumberToObject(s, "seed", (double)seed_of(p->id));
    dur(duration, buf1, sizeof buf1);
    cJSON_AddStringToObject(s, "duration", buf1);
    cJSON_AddStringToObject(s, "start", "2026-11-30T09:00:00Z");

    /* Baseline: the defaults written out, then what each kind needs. */
    cJSON *base = frag("{'traffic': {'rate': 20, 'profile': 'constant'}, "
                       "'prompt': '${BASE_PROMPT}', "
                       "'index': {'age': '20m', 'refresh_every': '6h', 'reindex_takes': '3m'}}",
                       n);
    for (int i = 0; i < p->nk; i++)
        if (p->k[i]->baseline) {
            cJSON *b = frag(p->k[i]->baseline, n);
            merge(base, b);
            cJSON_Delete(b);
        }
    cJSON_AddItemToObject(s, "baseline", base);
    sim_time refresh = parse_dur(
        cJSON_GetObjectItem(cJSON_GetObjectItem(base, "index"), "refresh_every")->valuestring);

    cJSON *tl = cJSON_AddArrayToObject(s, "timeline");
    if (p->decoy) {
        cJSON *c = cJSON_CreateObject();
        sim_time at = p->start[0] > SIM_MIN(3) ? p->start[0] - SIM_MIN(3) : p->start[0] / 2;
        dur(at, buf1, sizeof buf1);
        cJSON_AddStringToObject(c, "at", buf1);
        cJSON_AddStringToObject(c, "change", "config");
        cJSON_AddStringToObject(c, "text", p->k[0]->decoy);
        cJSON_AddBoolToObject(c, "decoy", true);
        cJSON_AddItemToArray(tl, c);
    }

    cJSON *faults = cJSON_AddArrayToObject(s, "faults");
    for (int i = 0; i < p->nk; i++) {
        cJSON *f = cJSON_CreateObject();
        char fid[32];
        snprintf(fid, sizeof fid, "%s", p->k[i]->kind);
        for (char *q = fid; *q; q++)
            if (*q == '_')
                *q = '-';
        cJSON_AddStringToObject(f, "id", fid);
        cJSON_AddStringToObject(f, "kind", p->k[i]->kind);
        dur(p->start[i], buf1, sizeof buf1);
        cJSON_AddStringToObject(f, "start", buf1);
        cJSON *body = frag(p->k[i]->fault, n);
        merge(f, body);
        cJSON_Delete(body);
        cJSON_AddItemToArray(faults, f);
    }

    cJSON *alerts = cJSON_AddArrayToObject(s, "alerts");
    for (size_t i = 0; i < sizeof alert_defs / sizeof alert_defs[0]; i++) {
        bool want = i < NBASE_ALERTS;
        for (int k = 0; k < p->nk && !want; k++)
            want = wants_alert(p->k[k]->alerts, alert_defs[i].id);
        if (want)
            cJSON_AddItemToArray(alerts, alert_rule(&alert_defs[i], p->k, p->nk, refresh));
    }

    cJSON *rb = cJSON_AddObjectToObject(s, "runbook");
    cJSON_AddStringToObject(rb, "flag", "assistant_enabled (feature-flag service)");
    cJSON_AddStringToObject(rb, "approver", "incident commander");
    cJSON_AddStringToObject(rb, "approval_takes", "2m");
    cJSON_AddItemToObject(rb, "needs_approval",
                          frag("['kill_switch', 'disable_type', 'disable_topic']", n));
    cJSON_AddStringToObject(rb, "notes",
                            "Prompt rollbacks go through the prompt registry (2 minutes). The "
                            "kill switch serves cached answers where there are any.");

    cJSON *ex = cJSON_AddObjectToObject(s, "expected");
    cJSON *dg = cJSON_AddArrayToObject(ex, "diagnosis");
    cJSON *contain = cJSON_AddArrayToObject(ex, "contain");
    cJSON *fix = cJSON_AddArrayToObject(ex, "fix");
    /* Every fault's main symptom first, then second symptoms while there is room. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < p->nk; i++) {
            char syms[64];
            snprintf(syms, sizeof syms, "%s", p->k[i]->symptoms);
            int k = 0;
            for (char *tok = strtok(syms, " "); tok; tok = strtok(NULL, " "), k++) {
                if ((pass == 0) != (k == 0) || cJSON_GetArraySize(dg) >= SIM_MAX_DIAG)
                    continue;
                cJSON *d = cJSON_CreateObject();
                cJSON_AddStringToObject(d, "symptom", tok);
                cJSON_AddStringToObject(d, "cause", p->k[i]->kind);
                cJSON_AddItemToArray(dg, d);
            }
        }
    for (int i = 0; i < p->nk; i++) {
        cJSON *c = frag(p->k[i]->contain, n), *x = frag(p->k[i]->fix, n);
        add_unique(contain, c);
        add_unique(fix, x);
        cJSON_Delete(c);
        cJSON_Delete(x);
    }

    cJSON *sc = cJSON_AddObjectToObject(s, "scoring");
    cJSON_AddItemToObject(sc, "targets",
                          frag(p->nk > 1 ? "{'detect': '5m', 'contain': '12m', 'diagnose': "
                                           "'20m', 'mitigate': '30m'}"
                                         : "{'detect': '5m', 'contain': '10m', 'diagnose': "
                                           "'15m', 'mitigate': '25m'}",
                               n));
    cJSON_AddItemToObject(sc, "weights",
                          frag("{'detect': 20, 'contain': 25, 'diagnose': 20, 'mitigate': 15, "
                               "'harm': 15, 'postmortem': 5}",
                               n));
    cJSON_AddNumberToObject(sc, "harm_threshold_per_min", 1.0);
    cJSON_AddNumberToObject(sc, "harm_budget", 10);
    cJSON_AddStringToObject(sc, "postmortem_deadline", "30m");
    cJSON_AddItemToObject(s, "judge", frag("{'sample': 0.05, 'noise': 0.12}", n));
    cJSON_AddItemToObject(s, "traces", frag("{'sample': 0.01}", n));
    return s;
}

/* Adds a step: on the first alert (`at_abs` == NEVER) `after` it, else at a drill time. */
static void add_step(cJSON *steps, sim_time at_abs, sim_time after, const char *act,
                     const char *arg, const char *why, const names *n)
{
    char d[32];
    cJSON *st = cJSON_CreateObject();
    if (at_abs == SIM_TIME_NEVER) {
        cJSON_AddStringToObject(st, "on", "alert:*");
        dur(after, d, sizeof d);
        cJSON_AddStringToObject(st, "after", d);
    } else {
        dur(at_abs + after, d, sizeof d);
        cJSON_AddStringToObject(st, "at", d);
    }
    cJSON_AddStringToObject(st, "do", act);
    if (arg) {
        char *a = text(arg, n);
        cJSON_AddStringToObject(st, "arg", a ? a : arg);
        free(a);
    }
    if (why)
        cJSON_AddStringToObject(st, "x-why", why);
    cJSON_AddItemToArray(steps, st);
}

/* The reference responder. The first fault's response is keyed to the first alert, as a
 * person on call would start; later faults' responses run at fixed times after their
 * start (alerts are shared between symptoms, so "the alert of fault 2" is not reliable).
 * *resolve_at is the estimated drill time of the resolve. */
static cJSON *build_responder(const plan *p, const char *schema_ref, sim_time *resolve_at)
{
    const names *n = &p->n;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "$schema", schema_ref);
    cJSON_AddStringToObject(r, "scenario", p->id);
    char desc[256];
    snprintf(desc, sizeof desc,
             "Reference response (firedrill new): acknowledge, declare, contain, diagnose, fix, "
             "lift blunt levers, resolve, post-mortem with an eval case.");
    cJSON_AddStringToObject(r, "description", desc);
    cJSON *steps = cJSON_AddArrayToObject(r, "steps");
    bool backup = false;
    for (int i = 0; i < p->nk; i++)
        backup |= p->k[i]->keeps_backup;
    sim_time last_end = 0;
    for (int i = 0; i < p->nk; i++) {
        sim_time trig = i == 0 ? SIM_TIME_NEVER : p->start[i] + DETECT_GUESS;
        sim_time est = i == 0 ? p->start[0] + DETECT_GUESS : trig;
        if (i == 0) {
            add_step(steps, trig, SIM_SEC(30), "ack", "*", "acknowledge the page", n);
            add_step(steps, trig, SIM_MIN(1), "declare", "sev2", "declare the incident", n);
        } else {
            add_step(steps, trig, SIM_SEC(30), "ack", "*", "a new symptom pages", n);
        }
        for (const step_tpl *st = p->k[i]->steps; st->act; st++) {
            /* With a fault whose fix keeps the backup route, never route back. */
            if (backup && strcmp(st->act, "route") == 0 && strcmp(st->arg, "primary") == 0)
                continue;
            sim_time after = parse_dur(st->after);
            add_step(steps, trig, after, st->act, st->arg, st->why, n);
            if (est + after > last_end)
                last_end = est + after;
        }
    }
    /* Resolve once every response has run. */
    sim_time resolve = last_end + SIM_MIN(2);
    if (p->nk == 1)
        add_step(steps, SIM_TIME_NEVER, resolve - (p->start[0] + DETECT_GUESS), "resolve", NULL,
                 "every fix in effect, blunt levers lifted", n);
    else
        add_step(steps, 0, resolve, "resolve", NULL, "every fix in effect, blunt levers lifted", n);
    *resolve_at = resolve;

    /* The post-mortem: five answers and one eval case from the newest failing trace. */
    cJSON *pm = cJSON_AddObjectToObject(r, "postmortem");
    cJSON_AddStringToObject(pm, "after_resolve", "10m");
    cJSON *ans = cJSON_AddObjectToObject(pm, "answers");
    char what[1400] = "", when[400] = "", hard[600], prevent[800] = "";
    size_t ow = 0, on = 0, op = 0;
    char assertions[128] = "";
    for (int i = 0; i < p->nk; i++) {
        char *story = text(p->k[i]->story, n), *prev = text(p->k[i]->prevention, n);
        char b[32];
        dur(p->start[i], b, sizeof b);
        ow += (size_t)snprintf(what + ow, ow < sizeof what ? sizeof what - ow : 0, "%s%s",
                               i ? " " : "", story ? story : "");
        on += (size_t)snprintf(when + on, on < sizeof when ? sizeof when - on : 0,
                               "%s%s at %s drill time", i ? "; " : "", p->k[i]->kind, b);
        op += (size_t)snprintf(prevent + op, op < sizeof prevent ? sizeof prevent - op : 0, "%s%s",
                               i ? "; " : "", prev ? prev : "");
        free(story);
        free(prev);
        char list[64];
        snprintf(list, sizeof list, "%s", p->k[i]->asserts);
        for (char *tok = strtok(list, " "); tok; tok = strtok(NULL, " "))
            if (!has_word(assertions, tok) &&
                strlen(assertions) + strlen(tok) + 2 < sizeof assertions)
                snprintf(assertions + strlen(assertions), sizeof assertions - strlen(assertions),
                         "%s%s", assertions[0] ? " " : "", tok);
    }
    snprintf(when + (on < sizeof when ? on : sizeof when - 1),
             sizeof when - (on < sizeof when ? on : sizeof when - 1),
             "; the first alert fired a few minutes later.");
    snprintf(hard, sizeof hard,
             "The judge samples only 5%% of requests, the symptom looked like %s, and %s.",
             p->nk > 1 ? "one incident while it was several" : "several possible causes",
             p->decoy ? "a config change just before the fault looked like the cause"
                      : "nothing in our own deploy log pointed at it at first");
    cJSON_AddStringToObject(ans, "what_happened", what);
    cJSON_AddStringToObject(ans, "when_started", when);
    cJSON_AddStringToObject(ans, "why_not_caught",
                            "No eval case or alert covered this failure before users saw it: "
                            "the change shipped without a check that would have failed.");
    cJSON_AddStringToObject(ans, "hard_to_diagnose", hard);
    char prev2[900];
    snprintf(prev2, sizeof prev2, "%s; and add the eval case below to the release gate.", prevent);
    prev2[0] = (char)(prev2[0] >= 'a' && prev2[0] <= 'z' ? prev2[0] - 'a' + 'A' : prev2[0]);
    cJSON_AddStringToObject(ans, "prevention", prev2);
    cJSON *cases = cJSON_AddArrayToObject(pm, "eval_cases");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "from_trace", "failing");
    cJSON *as = cJSON_AddArrayToObject(c, "assertions");
    for (char *tok = strtok(assertions, " "); tok; tok = strtok(NULL, " "))
        if (cJSON_GetArraySize(as) < SIM_PM_MAX_ASSERT)
            cJSON_AddItemToArray(as, cJSON_CreateString(tok));
    cJSON_AddItemToArray(cases, c);
    return r;
}

/* ---- the command ---------------------------------------------------------------------- */

static void print_usage(FILE *f)
{
    fprintf(f,
            "usage: firedrill new ID --fault KIND [--fault KIND2] [--decoy] [--out DIR] "
            "[--force]\n"
            "\n"
            "Writes a new scenario DIR/ID.json and its reference responder\n"
            "DIR/responders/ID.json, ready to edit: a healthy baseline, the fault(s) with\n"
            "typical parameters and targeting, alert rules that catch the symptom, the\n"
            "expected diagnosis and levers from the decision table, and a responder that\n"
            "acknowledges, declares, contains, diagnoses, fixes, lifts blunt levers, resolves\n"
            "and writes a post-mortem with an eval case. Both pass `firedrill validate --solve`.\n"
            "\n"
            "  ID            scenario id: lowercase letters, digits and '-' (not first), at most\n"
            "                63 characters; also the file name\n"
            "  --fault KIND  a fault kind (up to %d, each at most once; the first starts at 8m,\n"
            "                each next one 6 minutes later)\n"
            "  --decoy       add a decoy config change to the timeline 3 minutes before the\n"
            "                first fault\n"
            "  --out DIR     where to write (default: ./scenarios when it exists, else the data\n"
            "                folder's scenarios/); DIR/responders/ is created when missing\n"
            "  --force       overwrite existing files\n"
            "\n"
            "Fault kinds (symptom -> kind, as in the decision table):\n",
            MAX_NEW_FAULTS);
    for (int i = 0; i < NKINDS; i++)
        fprintf(f, "  %-22s %s\n", kinds[i].kind, kinds[i].symptoms);
    fprintf(f, "\n"
               "Then: firedrill validate --solve DIR/ID.json, and firedrill run DIR/ID.json.\n"
               "The format, every template and how to edit them: scenarios/README.md.\n"
               "Exit status: 0 written, 1 the written files failed to load (a bug), 2 bad\n"
               "input (unknown kind, invalid id, existing file without --force).\n");
}

static void list_kinds(FILE *f)
{
    fprintf(f, "known fault kinds:");
    for (int i = 0; i < NKINDS; i++)
        fprintf(f, "%s %s", i ? "," : "", kinds[i].kind);
    fprintf(f, "\n");
}

static bool id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 63 || id[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
            return false;
    return true;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int make_dir(const char *p)
{
    if (is_dir(p))
        return 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "firedrill new: cannot create the folder %s: %s\n", p, strerror(errno));
        return -1;
    }
    return 0;
}

/* $schema for a file in `dir` (sub: "" or "../"): relative when the schema is beside. */
static void schema_ref(const char *dir, const char *sub, const char *file, char *out, size_t n)
{
    char probe[1200];
    snprintf(probe, sizeof probe, "%s/schema/%s", dir, file);
    if (access(probe, R_OK) == 0)
        snprintf(out, n, "%sschema/%s", sub[0] ? sub : "./", file);
    else
        snprintf(out, n, "%s/scenarios/schema/%s", cli_data_dir(), file);
}

/* Loads both files back through the loaders. Returns 0, or 1 after printing why. */
static int check_written(const char *spath, const char *rpath, const mllm_world *w)
{
    mllm_diags d;
    mllm_diags_clear(&d);
    sim_scenario *sc = sim_scenario_load(spath, w, &d);
    sim_responder *rp = sc ? sim_responder_load(rpath, w, &d) : NULL;
    int rc = sc && rp && sim_responder_check(rp, sc, &d) == 0 ? 0 : 1;
    if (rc) {
        fprintf(stderr, "firedrill new: the written files do not load (a bug in the "
                        "templates, please report it):\n");
        mllm_diags_print(&d, stderr);
    }
    sim_responder_free(rp);
    sim_scenario_free(sc);
    return rc;
}

int cli_new(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_usage(stdout);
            return 0;
        }
    plan p;
    memset(&p, 0, sizeof p);
    const char *out = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        if (strncmp(a, "--fault=", 8) == 0)
            val = a + 8;
        else if (strcmp(a, "--fault") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "firedrill new: --fault needs a fault kind\n");
                list_kinds(stderr);
                return 2;
            }
            val = argv[++i];
        }
        if (val) {
            const kind_tpl *k = find_kind(val);
            if (!k) {
                fprintf(stderr, "firedrill new: unknown fault kind \"%s\"\n", val);
                list_kinds(stderr);
                return 2;
            }
            for (int j = 0; j < p.nk; j++)
                if (p.k[j] == k) {
                    fprintf(stderr,
                            "firedrill new: fault kind %s given twice (each kind at "
                            "most once)\n",
                            val);
                    return 2;
                }
            if (p.nk == MAX_NEW_FAULTS) {
                fprintf(stderr, "firedrill new: at most %d faults\n", MAX_NEW_FAULTS);
                return 2;
            }
            p.k[p.nk++] = k;
        } else if (strcmp(a, "--decoy") == 0) {
            p.decoy = true;
        } else if (strcmp(a, "--force") == 0) {
            force = true;
        } else if (strcmp(a, "--out") == 0 || strncmp(a, "--out=", 6) == 0) {
            if (a[5] == '=')
                out = a + 6;
            else if (i + 1 < argc)
                out = argv[++i];
            else {
                fprintf(stderr, "firedrill new: --out needs a folder\n");
                return 2;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "firedrill new: unknown option \"%s\" (see --help)\n", a);
            return 2;
        } else if (!p.id) {
            p.id = a;
        } else {
            fprintf(stderr, "firedrill new: one scenario id at a time (got \"%s\" and \"%s\")\n",
                    p.id, a);
            return 2;
        }
    }
    if (!p.id) {
        fprintf(stderr, "firedrill new: which scenario id? (see --help)\n");
        print_usage(stderr);
        return 2;
    }
    if (!id_ok(p.id)) {
        fprintf(stderr,
                "firedrill new: invalid scenario id \"%s\": use lowercase letters, digits and "
                "'-' (not first), at most 63 characters, e.g. my-first-drill\n",
                p.id);
        return 2;
    }
    if (p.nk == 0) {
        fprintf(stderr, "firedrill new: which fault? give --fault KIND\n");
        list_kinds(stderr);
        return 2;
    }
    size_t cl = (size_t)snprintf(p.cmdline, sizeof p.cmdline, "firedrill new %s", p.id);
    for (int i = 0; i < p.nk; i++) {
        p.start[i] = FIRST_START + (sim_time)i * NEXT_START;
        if (cl < sizeof p.cmdline)
            cl += (size_t)snprintf(p.cmdline + cl, sizeof p.cmdline - cl, " --fault %s",
                                   p.k[i]->kind);
    }
    if (p.decoy && cl < sizeof p.cmdline)
        snprintf(p.cmdline + cl, sizeof p.cmdline - cl, " --decoy");

    char dir[1024], spath[1200], rdir[1200], rpath[1300];
    if (out)
        snprintf(dir, sizeof dir, "%s", out);
    else if (is_dir("scenarios"))
        snprintf(dir, sizeof dir, "scenarios");
    else
        snprintf(dir, sizeof dir, "%s/scenarios", cli_data_dir());
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dir[--dl] = '\0';
    snprintf(spath, sizeof spath, "%s/%s.json", dir, p.id);
    snprintf(rdir, sizeof rdir, "%s/responders", dir);
    snprintf(rpath, sizeof rpath, "%s/%s.json", rdir, p.id);
    if (!force) {
        const char *exists = access(spath, F_OK) == 0   ? spath
                             : access(rpath, F_OK) == 0 ? rpath
                                                        : NULL;
        if (exists) {
            fprintf(stderr,
                    "firedrill new: %s already exists (use --force to overwrite it, or "
                    "choose another id)\n",
                    exists);
            return 2;
        }
    }

    mllm_world *w = cli_load_world();
    if (!w)
        return 2;
    int status = 2;
    cJSON *scen = NULL, *resp = NULL;
    /* The defaults of an empty scenario tell the baseline prompt. */
    mllm_diags d;
    mllm_diags_clear(&d);
    static const char empty[] =
        "{\"id\": \"x\", \"title\": \"x\", \"difficulty\": \"easy\", \"briefing\": \"x\", "
        "\"seed\": 1, \"duration\": \"10m\", \"faults\": [{\"id\": \"f\", \"kind\": "
        "\"provider_slowdown\", \"start\": \"1m\"}], \"expected\": {\"diagnosis\": "
        "[{\"symptom\": \"latency\", \"cause\": \"provider_slowdown\"}], \"contain\": "
        "[\"route:backup\"], \"fix\": [\"route:backup\"]}}";
    sim_scenario *defaults = sim_scenario_parse("<defaults>", empty, sizeof empty - 1, w, &d);
    if (!defaults) {
        mllm_diags_print(&d, stderr);
        goto out;
    }
    world_names(w, defaults, &p.n);
    sim_scenario_free(defaults);
    for (int i = 0; i < p.nk; i++) {
        const char *need =
            strcmp(p.k[i]->kind, "model_change") == 0 || strcmp(p.k[i]->kind, "safety_update") == 0
                ? p.n.next_fp
            : strcmp(p.k[i]->kind, "prompt_regression") == 0 ||
                    strcmp(p.k[i]->kind, "prompt_trigger") == 0
                ? p.n.next_prompt
            : strcmp(p.k[i]->kind, "schema_mismatch") == 0 ? p.n.schema_prompt
            : strcmp(p.k[i]->kind, "kb_gap") == 0          ? p.n.gap_topic
                                                           : "ok";
        if (!need[0]) {
            fprintf(stderr,
                    "firedrill new: the world in %s/assets has nothing a %s fault can "
                    "use (a second primary fingerprint, a later prompt version or a "
                    "topic with documents)\n",
                    cli_data_dir(), p.k[i]->kind);
            goto out;
        }
    }

    if (make_dir(dir) != 0 || make_dir(rdir) != 0)
        goto out;
    char sref[1200], rref[1200];
    schema_ref(dir, "", "scenario.schema.json", sref, sizeof sref);
    schema_ref(dir, "../", "responder.schema.json", rref, sizeof rref);
    sim_time resolve = 0;
    resp = build_responder(&p, rref, &resolve);
    /* The drill runs 15 minutes past the resolve, in whole 5 minutes, at least 45. */
    sim_time duration = resolve + SIM_MIN(15);
    duration += (SIM_MIN(5) - duration % SIM_MIN(5)) % SIM_MIN(5);
    if (duration < SIM_MIN(45))
        duration = SIM_MIN(45);
    scen = build_scenario(&p, duration, sref);
    const char *failed = spath;
    int rc = write_json(spath, scen);
    if (rc == 0) {
        failed = rpath;
        rc = write_json(rpath, resp);
    }
    if (rc != 0) {
        fprintf(stderr, "firedrill new: cannot write %s: %s\n", failed, strerror(-rc));
        goto out;
    }
    status = check_written(spath, rpath, w);
    if (status == 0) {
        printf("wrote %s\n      %s\n", spath, rpath);
        printf("next: firedrill validate --solve %s\n      firedrill run %s\n", spath, spath);
    }
out:
    cJSON_Delete(scen);
    cJSON_Delete(resp);
    mllm_world_free(w);
    return status;
}
