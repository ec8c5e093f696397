/* sim_eval.h - eval cases: the lasting output of an incident.
 *
 * An eval case is one user request (the words, the segment, the conversation
 * length) plus assertions its answer must meet. Cases come from failing
 * traces, live in an eval set file that only grows (append, de-duplicate,
 * keep provenance), and run against the simulated service in a given
 * configuration: "faulty" (the scenario's faults active at a time) or
 * "healthy" (the same scenario with no faults). A case runs SIM_EVAL_RUNS
 * times with different request ids and passes when at least
 * SIM_EVAL_PASS_SHARE of the runs meet every assertion, so a fault that
 * touches 70% of requests makes it fail and the service's baseline noise
 * does not. A case proves itself when it fails faulty and passes healthy. */
#ifndef SIM_EVAL_H
#define SIM_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mllm_json.h"
#include "sim_drill.h"

#define SIM_EVAL_MAX_ASSERT 8
#define SIM_EVAL_RUNS 20
#define SIM_EVAL_PASS_SHARE 0.85

typedef enum sim_assert_kind {
    SIM_ASSERT_CONTAINS_FACT,  /* the answer states the fact's current value */
    SIM_ASSERT_NOT_REFUSAL,
    SIM_ASSERT_NO_ERROR,
    SIM_ASSERT_CITES_NOT_OLDER,/* every cited document version dated on or after `day` */
    SIM_ASSERT_LATENCY_UNDER,  /* end-to-end latency under `ms` */
    SIM_ASSERT_VALID_JSON,     /* structured output parses with the fields our parser needs */
    SIM_ASSERT_COUNT
} sim_assert_kind;
extern const char *const sim_assert_names[]; /* "contains_fact", ... (JSON "type") */

typedef struct sim_assertion {
    sim_assert_kind kind;
    int fact;      /* contains_fact: world fact id */
    int32_t day;   /* cites_doc_not_older_than: days since the epoch */
    double ms;     /* latency_under_ms */
} sim_assertion;

typedef struct sim_eval_case {
    char id[48];               /* stable: derived from the content */
    char query[512];           /* the user's words */
    int text;                  /* catalogue text id, -1 for free text */
    int region, plan, client;  /* segment */
    int history_tokens;        /* conversation so far */
    bool structured;
    int nassert;
    sim_assertion a[SIM_EVAL_MAX_ASSERT];
    /* provenance */
    char drill[64];            /* scenario id */
    uint64_t seed;
    char incident[96];         /* fault kinds, e.g. "prompt_regression" */
    uint64_t trace_id;
    sim_time at;               /* when the failing request happened */
    char created_by[16];       /* "trainee", "responder" */
} sim_eval_case;

typedef struct sim_eval_set {
    int n, cap;
    sim_eval_case *cases;
} sim_eval_set;

/* Loads an eval set ({"cases": [...]}) with positioned diagnostics. With
 * `missing_ok`, a file that does not exist yields an empty set. Returns 0 or
 * a negative error. Release with sim_eval_set_release. */
int sim_eval_set_load(const char *file, const mllm_world *w, bool missing_ok, sim_eval_set *set,
                      mllm_diags *diags);
/* Parses one case from a cJSON object (the eval set and post-mortem formats
 * share it). `path` labels diagnostics. Returns true when valid. */
bool sim_eval_case_parse(const mllm_jdoc *doc, const cJSON *obj, const char *path,
                         const mllm_world *w, sim_eval_case *c, mllm_diags *diags);
/* Writes the set atomically (temporary file + rename). Returns 0 or -errno. */
int sim_eval_set_save(const sim_eval_set *set, const mllm_world *w, const char *file);
/* Appends unless an equal case (same words, segment and assertions) is there.
 * Returns 1 added, 0 duplicate, -ENOMEM. */
int sim_eval_set_add(sim_eval_set *set, const sim_eval_case *c);
void sim_eval_set_release(sim_eval_set *set);
cJSON *sim_eval_case_json(const sim_eval_case *c, const mllm_world *w);
/* Adds a case's request as eval sets and post-mortems store it (query,
 * query_id, region, plan, client, history_tokens, structured) to o. qidx is
 * the catalogue query, -1 for free text. */
void sim_eval_request_json(cJSON *o, const mllm_world *w, const char *query, int qidx,
                           int region, int plan, int client, int history_tokens,
                           bool structured);

/* Builds a case from a trace: its request, and the given assertions; a
 * contains_fact assertion with fact -1 expands to every fact the catalogue
 * query asks for. Fills the id from the content. Returns 0 or -EINVAL (free
 * text with contains_fact: there is nothing to check against). */
int sim_eval_case_from_trace(const sim_drill *d, const sim_trace *t, const sim_assertion *a,
                             int na, const char *by, sim_eval_case *c);

typedef struct sim_eval_outcome {
    int runs, passed;
    bool pass;
    char reason[200];          /* the first failing assertion, or "" */
} sim_eval_outcome;

/* Runs a case against the drill's service as it is now (dry runs: the drill
 * is not changed). */
void sim_eval_run_case(sim_drill *d, const sim_eval_case *c, sim_eval_outcome *o);
/* Runs n cases against scenario s at time `at`, with its faults (faulty) or
 * without any (healthy), nobody responding. Returns 0, or -ENOMEM / -EINVAL
 * with a message in err. */
int sim_eval_run_config(const sim_scenario *s, const mllm_world *w, bool faulty, sim_time at,
                        const sim_eval_case *cases, int n, sim_eval_outcome *out, char *err,
                        size_t errlen);
/* True when the case fails on the faulty configuration at `at` and passes on
 * the healthy one; the outcomes are filled either way. */
bool sim_eval_proves(const sim_scenario *s, const mllm_world *w, sim_time at,
                     const sim_eval_case *c, sim_eval_outcome *faulty, sim_eval_outcome *healthy);

/* Parses an assertion written as a string, as responder policies do:
 * "contains_fact" (every fact of the query), "contains_fact:KEY",
 * "not_refusal", "no_error", "valid_json", "latency_under_ms:N",
 * "cites_doc_not_older_than:YYYY-MM-DD". Returns 0 or -EINVAL with a reason. */
int sim_assertion_parse(const char *s, const mllm_world *w, sim_assertion *a, char *err,
                        size_t errlen);

#endif
