/* sim_scenario.h - a drill scenario as trainers author it (JSON files in scenarios/).
 *
 * The loader checks every field against the format (the same rules as
 * scenarios/schema/scenario.schema.json) and the semantics the schema cannot
 * express (names that must exist in the world, times inside the drill,
 * duplicate ids), reporting each error as file:line:col: json.path: message.
 * A loaded scenario owns all its strings; free it with sim_scenario_free. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "mllm_json.h"
#include "mllm_service.h"
#include "mllm_world.h"
#include "sim_queue.h"

#define SIM_MAX_BURSTS 8
#define SIM_MAX_CHANGES 32
#define SIM_MAX_ALERTS 16
#define SIM_MAX_SCEN_FAULTS 8
#define SIM_MAX_ACCEPTED 12
#define SIM_MAX_DIAG 4
#define SIM_MAX_STEPS 64

/* ---- decision table ------------------------------------------------------------------- */

#define SIM_SYMPTOM_MAP(X)                                                                     \
    X(WRONG_CONSISTENT, "wrong_consistent", "wrong answers, consistent pattern")               \
    X(WRONG_RANDOM, "wrong_random", "wrong answers, random subset")                            \
    X(STALE, "stale", "stale / outdated information")                                          \
    X(REFUSALS, "refusals", "increased refusals")                                              \
    X(LATENCY, "latency", "latency spike")                                                     \
    X(ERRORS, "errors", "errors / exceptions")                                                 \
    X(TOPIC_HALLUCINATION, "topic_hallucination", "hallucinations on one topic")
#define SIM_SYMPTOM_ENUM(name, id, title) SIM_SYMPTOM_##name,
typedef enum sim_symptom { SIM_SYMPTOM_MAP(SIM_SYMPTOM_ENUM) SIM_SYMPTOM_COUNT } sim_symptom;
#undef SIM_SYMPTOM_ENUM
extern const char *const sim_symptom_names[];  /* ids, NULL-terminated */
extern const char *const sim_symptom_titles[]; /* table wording */
/* The table's symptom row for each fault kind (mllm_fault_kind -> sim_symptom). */
extern const sim_symptom sim_fault_symptom[MLLM_FAULT_COUNT];

/* ---- actions (trainee levers and incident steps) --------------------------------------- */

#define SIM_ACTION_MAP(X)                                                                      \
    X(KILL_SWITCH, "kill_switch", "on|off")                                                    \
    X(FALLBACK, "fallback", "cached|simplified|unavailable")                                   \
    X(PROMPT, "prompt", "prompt version, e.g. v2")                                             \
    X(ROUTE, "route", "primary|backup|simplified")                                             \
    X(PIN_MODEL, "pin_model", "fingerprint, or none")                                          \
    X(DISABLE_TYPE, "disable_type", "query type")                                              \
    X(ENABLE_TYPE, "enable_type", "query type")                                                \
    X(DISABLE_TOPIC, "disable_topic", "topic")                                                 \
    X(ENABLE_TOPIC, "enable_topic", "topic")                                                   \
    X(DISCLAIMER, "disclaimer", "on|off")                                                      \
    X(REINDEX, "reindex", "")                                                                  \
    X(RESTORE_SNAPSHOT, "restore_snapshot", "snapshot id, or previous")                        \
    X(THROTTLE, "throttle", "requests/s, 0 off")                                               \
    X(CONTEXT_CAP, "context_cap", "history tokens, 0 off")                                     \
    X(MAX_TOKENS, "max_tokens", "completion tokens, 0 off")                                    \
    X(BACKOFF, "backoff", "on|off")                                                            \
    X(API_COMPAT, "api_compat", "on|off")                                                      \
    X(PARSER_COMPAT, "parser_compat", "on|off")                                                \
    X(ADD_DOCS, "add_docs", "topic")                                                           \
    X(FLUSH_CACHE, "flush_cache", "")                                                          \
    X(ACK, "ack", "alert id, or * for every firing alert")                                     \
    X(DECLARE, "declare", "sev1|sev2|sev3")                                                    \
    X(DIAGNOSE, "diagnose", "symptom/cause, e.g. wrong_consistent/prompt_regression")          \
    X(NOTE, "note", "free text")                                                               \
    X(REPRODUCE, "reproduce", "trace id")                                                      \
    X(RESOLVE, "resolve", "")
#define SIM_ACTION_ENUM(name, id, arg) SIM_ACT_##name,
typedef enum sim_action_kind { SIM_ACTION_MAP(SIM_ACTION_ENUM) SIM_ACT_COUNT } sim_action_kind;
#undef SIM_ACTION_ENUM
extern const char *const sim_action_names[];    /* ids, NULL-terminated */
extern const char *const sim_action_arg_help[]; /* what the argument is */

/* An action with its argument text, e.g. {PROMPT, "v2"}. */
typedef struct sim_action_spec {
    sim_action_kind kind;
    char arg[96];
} sim_action_spec;

/* Parses "kind" or "kind:arg" (e.g. "prompt:v2", "kill_switch:on"). Returns 0
 * or -EINVAL with a message in err. Checks the argument against the world
 * (names are not checked when w is NULL). An action that takes an argument
 * needs one here; "reindex", "flush_cache" and "resolve" take none. */
int sim_action_parse(const char *s, const mllm_world *w, sim_action_spec *out, char *err,
                     size_t errlen);
/* Checks a kind + argument pair against the world (w may be NULL: names are
 * then not checked). The arguments per kind are those of sim_action_arg_help:
 * on|off; fallback, route and query-type names; prompt versions; topics; a
 * fingerprint of the primary model or "none"; throttle a number >= 0;
 * context_cap and max_tokens integers >= 0; restore_snapshot an integer or
 * "previous"; declare sev1..sev3; diagnose "symptom/cause"; ack an alert id
 * or "*"; note any text; reproduce a trace id or "last". */
int sim_action_check(const sim_action_spec *a, const mllm_world *w, char *err, size_t errlen);
void sim_action_format(const sim_action_spec *a, char *buf, size_t n); /* "kind:arg" */

/* ---- the scenario --------------------------------------------------------------------- */

typedef enum sim_profile { SIM_PROFILE_CONSTANT, SIM_PROFILE_DIURNAL, SIM_PROFILE_BURSTS } sim_profile;
extern const char *const sim_profile_names[];

typedef struct sim_burst {
    sim_time at, duration;
    double multiplier;
} sim_burst;

typedef struct sim_traffic_spec {
    double rate;                        /* requests/s at baseline */
    sim_profile profile;
    double diurnal_amplitude;           /* 0..1: rate x (1 + a sin(...)) over the day */
    int nbursts;
    sim_burst bursts[SIM_MAX_BURSTS];
    double region[MLLM_REGIONS];        /* shares, normalised */
    double plan[MLLM_PLANS];
    double client[MLLM_CLIENTS];
    double qtype[MLLM_QT_COUNT];        /* shares of query types */
    double topic[MLLM_MAX_TOPICS];      /* weight multipliers per topic, default 1 */
    /* bursts are only allowed with profile SIM_PROFILE_BURSTS (which needs at least
       one); that profile is the constant rate with these multipliers on top. */
    double p_continue;                  /* share of arrivals that continue a conversation */
    int tokens_per_turn;                /* history growth per turn */
    int max_turns;
} sim_traffic_spec;

typedef enum sim_change_kind {
    SIM_CHANGE_PROMPT_DEPLOY,
    SIM_CHANGE_MODEL_ALIAS,
    SIM_CHANGE_INDEX_REFRESH,
    SIM_CHANGE_TRAFFIC_SHIFT,
    SIM_CHANGE_CONFIG,
    SIM_CHANGE_KB_UPDATE,
    SIM_CHANGE_COUNT
} sim_change_kind;
extern const char *const sim_change_names[];

typedef struct sim_change {
    sim_time at;
    sim_change_kind kind;
    bool decoy;           /* authored as a red herring (trainer view only) */
    int prompt;           /* prompt_deploy */
    int fingerprint;      /* model_alias */
    int doc;              /* kb_update */
    int version;          /* kb_update: version index into the doc's versions (default newest) */
    double rate_multiplier;             /* traffic_shift */
    double topic[MLLM_MAX_TOPICS];      /* traffic_shift: multipliers (> 0), 0 = unchanged */
    double cache_ttl_s;                 /* config: new TTL, <0 unchanged */
    char text[200];       /* what the change log shows (config; optional otherwise) */
} sim_change;

typedef struct sim_scen_fault {
    char id[32];
    mllm_fault f;         /* kind, target, start, end, ramp, parameters */
} sim_scen_fault;

typedef enum sim_metric {
    SIM_M_REQUEST_RATE,   /* requests/s */
    SIM_M_ERROR_RATE,     /* share of requests with an error status */
    SIM_M_RATE_429,       /* share with status 429 */
    SIM_M_LATENCY_P50,    /* ms */
    SIM_M_LATENCY_P95,
    SIM_M_LATENCY_P99,
    SIM_M_REFUSAL_RATE,
    SIM_M_QUALITY,        /* judge's mean score 0..1 */
    SIM_M_JUDGE_BAD_RATE, /* share of judged requests the judge marks bad */
    SIM_M_COST_PER_MIN,   /* USD/min */
    SIM_M_CONTEXT_TOKENS, /* mean */
    SIM_M_CACHE_HIT_RATE,
    SIM_M_FALLBACK_RATE,
    SIM_M_INDEX_AGE,      /* minutes */
    SIM_M_TTFT_P99,       /* ms */
    SIM_M_EMPTY_RETRIEVAL_RATE,
    SIM_M_COST_ANOMALY,   /* cost/min over the window / its mean over the 30 min before */
    SIM_M_COUNT
} sim_metric;
extern const char *const sim_metric_names[];
extern const char *const sim_metric_units[];

typedef struct sim_alert_rule {
    char id[48];
    sim_metric metric;
    bool above;           /* fire when value > threshold (else <) */
    double threshold;
    sim_time for_;        /* condition must hold this long */
    sim_time window;      /* 10s or 1m evaluation window */
    int severity;         /* 1 page, 2 ticket */
    char description[160];
    int dim;              /* filter: a sim_dim (0 region .. 6 model), -1 for all traffic */
    int dim_value;        /* filter: the value's index in that dimension */
} sim_alert_rule;

typedef struct sim_runbook {
    char flag[160];        /* where the kill switch lives */
    char approver[96];     /* who approves blunt levers */
    sim_time approval_takes;
    uint64_t needs_approval; /* bit per sim_action_kind */
    sim_time delay[SIM_ACT_COUNT]; /* time for a lever to take effect */
    char notes[600];
} sim_runbook;

/* Ground truth. contain and fix list levers only (kill_switch .. flush_cache);
 * an entry whose arg is "" was written without one ("throttle") and accepts
 * the action with any argument. Every cause is the kind of a scenario fault. */
typedef struct sim_expected {
    int ndiag;
    sim_symptom symptom[SIM_MAX_DIAG];
    mllm_fault_kind cause[SIM_MAX_DIAG];
    int ncontain;
    sim_action_spec contain[SIM_MAX_ACCEPTED];
    int nfix;
    sim_action_spec fix[SIM_MAX_ACCEPTED];
} sim_expected;

typedef enum sim_score_part {
    SIM_PART_DETECT,
    SIM_PART_CONTAIN,
    SIM_PART_DIAGNOSE,
    SIM_PART_MITIGATE,
    SIM_PART_HARM,
    SIM_PART_POSTMORTEM,
    SIM_PART_COUNT
} sim_score_part;
extern const char *const sim_score_part_names[];

typedef struct sim_scoring {
    sim_time target[SIM_PART_MITIGATE + 1]; /* response-time targets after onset */
    double weight[SIM_PART_COUNT];          /* normalised to sum 100 */
    double harm_threshold_per_min;          /* contained: weighted harm/min at or below this */
    double harm_budget;                     /* minutes of harm to all traffic at which the
                                               harm part scores 1/e (default 10) */
    sim_time postmortem_deadline;           /* after resolve */
} sim_scoring;

typedef struct sim_scenario {
    char *file;
    char id[64];
    char title[128];
    char difficulty[16];
    char *briefing;
    char *trainer_notes;
    uint64_t seed;
    sim_time duration;
    int32_t start_day;     /* calendar day of t=0 */
    uint32_t start_second;
    sim_traffic_spec traffic;
    mllm_config service;   /* baseline controls, index, model versions */
    int nchanges;
    sim_change changes[SIM_MAX_CHANGES];
    int nfaults;
    sim_scen_fault faults[SIM_MAX_SCEN_FAULTS];
    int nalerts;
    sim_alert_rule alerts[SIM_MAX_ALERTS];
    sim_runbook runbook;
    sim_expected expected;
    sim_scoring scoring;
    double judge_sample;   /* share of requests judged */
    double judge_noise;    /* std-dev of the judge's score noise */
    double trace_sample;   /* share of healthy requests traced */
} sim_scenario;

/* Loads and checks a scenario. Returns NULL with diagnostics on any error;
 * the diagnostics this call adds are sorted by position in the file. The
 * loaded scenario has every default filled (alert rules, runbook delays,
 * service config from mllm_config_default plus the baseline), shares and
 * weights normalised, and changes and faults stably sorted by time. The world
 * must be the one the scenario is run with (indices point into it). */
sim_scenario *sim_scenario_load(const char *file, const mllm_world *w, mllm_diags *diags);
/* As sim_scenario_load, from JSON text; `name` labels diagnostics. */
sim_scenario *sim_scenario_parse(const char *name, const char *text, size_t len,
                                 const mllm_world *w, mllm_diags *diags);
void sim_scenario_free(sim_scenario *s); /* NULL is a no-op */

/* Parses one fault object, as a scenario's "faults" entries but with "id"
 * (default "live") and "start" (default 0: now) optional, for injection into
 * a running drill of length `drill_duration`. Returns 0 or a negative error
 * with diagnostics. */
int sim_fault_from_json(const char *name, const char *json, size_t len, const mllm_world *w,
                        sim_time drill_duration, sim_scen_fault *out, mllm_diags *diags);

/* ---- responder policies (scenarios/responders/X.json) ----------------------------------- */

typedef struct sim_step {
    sim_time at;           /* absolute trigger time, when on_alert is empty */
    char on_alert[48];     /* "" (time), an alert id, or "*" for the first alert of any kind */
    sim_time after;        /* delay after the trigger */
    sim_action_spec action;
} sim_step;

#define SIM_PM_QUESTIONS 5
#define SIM_PM_MAX_CASES 4
#define SIM_PM_MAX_ASSERT 8
extern const char *const sim_pm_keys[];      /* "what_happened", ..., "prevention" */
extern const char *const sim_pm_questions[]; /* the five questions as people read them */

/* What a scripted responder writes after the drill: the five answers and eval
 * cases made from a failing trace, with assertions as strings parsed by
 * sim_assertion_parse ("contains_fact", "no_error", "latency_under_ms:5000"). */
typedef struct sim_responder_pm {
    bool present;
    sim_time after_resolve;             /* written this long after the resolve */
    char *answer[SIM_PM_QUESTIONS];     /* owned; NULL when unanswered */
    int ncases;
    struct {
        bool any_trace;                 /* from_trace "any" (else the newest failing one) */
        int nassert;
        char assertion[SIM_PM_MAX_ASSERT][48];
    } cases[SIM_PM_MAX_CASES];
} sim_responder_pm;

typedef struct sim_responder {
    char file[256];        /* file name or label it was loaded from */
    char scenario[64];
    char description[256];
    int nsteps;
    sim_step steps[SIM_MAX_STEPS];
    sim_responder_pm postmortem;
} sim_responder;

/* Loads a responder policy. Returns NULL with diagnostics on error. */
sim_responder *sim_responder_load(const char *file, const mllm_world *w, mllm_diags *diags);
sim_responder *sim_responder_parse(const char *name, const char *text, size_t len,
                                   const mllm_world *w, mllm_diags *diags);
void sim_responder_free(sim_responder *r); /* NULL is a no-op */
/* Checks a loaded responder against its scenario: the scenario id matches,
 * every "on" alert and ack argument names an alert of the scenario, and every
 * timed step falls inside the drill. Diagnostics carry the responder's file
 * and JSON path with line 0 (positions are not kept). Returns 0 or -EINVAL. */
int sim_responder_check(const sim_responder *r, const sim_scenario *s, mllm_diags *diags);

#endif
