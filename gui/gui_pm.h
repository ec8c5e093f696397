/* gui_pm.h - the post-mortem form: five answers, a drafted timeline, and
 * failing traces turned into eval cases; saved as JSON for the eval runner.
 *
 * The saved shape (the eval runner reads exactly these names):
 *   {"scenario": id,
 *    "answers": {"what_happened", "when_started", "why_not_caught",
 *                "hard_to_diagnose", "prevention"},      (strings)
 *    "eval_cases": [{"trace_id": N, "query": text, "query_id": "q0001" | null,
 *                    "region", "plan", "client", "history_tokens", "structured",
 *                    "assertions": [...]}]}
 * with assertions among {"type":"contains_fact","fact":key},
 * {"type":"not_refusal"}, {"type":"no_error"},
 * {"type":"cites_doc_not_older_than","date":"YYYY-MM-DD"},
 * {"type":"latency_under_ms","ms":N}, {"type":"valid_json"}.
 * ("history_tokens" and "structured" let the runner replay the request as it
 * was; sim_eval_case_parse reads this shape.)
 * The form is a plain struct (no allocation); only gui_pm_write allocates,
 * through cJSON, and frees before it returns. */
#ifndef GUI_PM_H
#define GUI_PM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui_data.h"
#include "sim_drill.h"

#define GUI_PM_QUESTIONS 5
#define GUI_PM_ANSWER    2048
#define GUI_PM_MAX_CASES 8

extern const char *const gui_pm_keys[GUI_PM_QUESTIONS];      /* JSON names */
extern const char *const gui_pm_questions[GUI_PM_QUESTIONS]; /* what the form asks */

typedef struct gui_pm_case {
    uint64_t trace_id;
    char query[200];
    int qidx; /* catalogue query index, -1 free text */
    int region, plan, client;
    int history_tokens; /* conversation length of the request */
    bool structured;    /* JSON output asked for */
    sim_time at;        /* when the traced request failed: the eval check runs then */
    int nfacts;
    int fact[MLLM_MAX_QUERY_FACTS]; /* world fact ids of the catalogue query */
    bool use_fact[MLLM_MAX_QUERY_FACTS];
    bool not_refusal, no_error, valid_json, cites_on, latency_on;
    char date[16];       /* cites_doc_not_older_than */
    char latency_ms[16]; /* latency_under_ms */
    /* what the failing trace showed, for the form */
    int status;
    bool refusal;
    uint32_t latency_us;
} gui_pm_case;

typedef struct gui_pm {
    char answer[GUI_PM_QUESTIONS][GUI_PM_ANSWER];
    int ncases;
    gui_pm_case cases[GUI_PM_MAX_CASES];
    bool drafted;
    bool submitted;
    char msg[256]; /* last save result or what is missing */
} gui_pm;

void gui_pm_init(gui_pm *pm);
/* Prefills a draft timeline (alerts, visible changes, actions) into the first
 * answer and the first signals into the second. Overwrites both. */
void gui_pm_draft(gui_pm *pm, const sim_drill *d, const gui_data *g);
/* Adds trace t as an eval case with default assertions (facts of its
 * catalogue query, not_refusal, no_error, valid_json for structured output,
 * a latency bound when it was slow). Returns its index, or -1 when the form
 * is full or the trace is already there. */
int gui_pm_add_trace(gui_pm *pm, const sim_drill *d, const sim_trace *t);
void gui_pm_remove(gui_pm *pm, int i);
/* Whether the form can be submitted; otherwise why, in `why`. */
bool gui_pm_complete(const gui_pm *pm, char *why, size_t n);
/* Number of assertions case i would save. */
int gui_pm_assertions(const gui_pm_case *c);
/* Writes the JSON above to path. Returns 0 or a negative errno. */
int gui_pm_write(const gui_pm *pm, const sim_scenario *sc, const mllm_world *w, const char *path);

#endif
