/* sim_postmortem.h - the post-mortem: a draft timeline from the event log,
 * the five questions, the new eval cases, as Markdown.
 *
 * The timeline is read back from the drill's JSONL event log (so it can be
 * written after the fact, from any finished or killed drill): fault onset as
 * the ground truth shows it (the first minute a fault harmed users), first
 * alert, acknowledge, declare, containment, diagnosis, mitigation, resolve,
 * and every action in between. Answers and eval cases come from a post-mortem
 * file (what the GUI's form saves) or from a responder policy. */
#ifndef SIM_POSTMORTEM_H
#define SIM_POSTMORTEM_H

#include <stdio.h>

#include "sim_eval.h"

#define SIM_PM_MAX_EVENTS 400

typedef struct sim_pm_event {
    sim_time t;
    char kind[16];       /* "alert", "action", "change", "fault", "milestone" */
    char text[200];
} sim_pm_event;

typedef struct sim_pm_timeline {
    char scenario[64];
    uint64_t seed;
    sim_time duration;
    sim_time onset, first_alert, ack, declare, contain, diagnose, mitigate, resolve, end;
    char diagnosis[96];
    int n;
    sim_pm_event ev[SIM_PM_MAX_EVENTS];
} sim_pm_timeline;

/* Reads the timeline from log lines. `s` (may be NULL) tells which levers
 * contain and which fix. Returns 0 or -EINVAL when the lines are not a
 * firedrill log. */
int sim_pm_timeline_read(char **lines, long n, const sim_scenario *s, sim_pm_timeline *tl);

/* A written post-mortem: the GUI form's file, or built from a responder. */
typedef struct sim_pm_doc {
    char scenario[64];
    char *answer[SIM_PM_QUESTIONS];  /* owned, NULL when unanswered */
    sim_eval_set cases;
} sim_pm_doc;

/* Loads {"scenario", "answers": {...}, "eval_cases": [...]}. Returns 0 or a
 * negative error with diagnostics. */
int sim_pm_doc_load(const char *file, const mllm_world *w, sim_pm_doc *pm, mllm_diags *diags);
void sim_pm_doc_release(sim_pm_doc *pm);
/* Every question answered in at least a sentence (20 characters). */
bool sim_pm_doc_complete(const sim_pm_doc *pm);
int sim_pm_doc_save(const sim_pm_doc *pm, const mllm_world *w, const char *file);

typedef struct sim_pm_check {
    sim_eval_outcome faulty, healthy;
    bool proves;
} sim_pm_check;

/* Picks the trace an eval case is made from, as a trainee would: the newest
 * failing one (errors, refusals, judged bad, very slow) of a catalogue query
 * requested in [from, to], or with `any` the newest of all. NULL when none. */
const sim_trace *sim_pm_pick_trace(const sim_drill *d, sim_time from, sim_time to, bool any);

/* Writes the post-mortem a responder policy scripts, once its drill has run:
 * answers, eval cases from traces (checked faulty vs healthy), and the
 * credit on the drill (complete within the deadline after resolve; an eval
 * case that catches the incident). Fills pm and checks (room for
 * SIM_PM_MAX_CASES). Returns the number of cases that prove themselves, or
 * -EINVAL when the responder writes no post-mortem. */
int sim_pm_from_responder(sim_drill *d, const sim_responder *rp, sim_pm_doc *pm,
                          sim_pm_check *checks);

/* Checks every eval case of a post-mortem written now (faulty vs healthy at
 * the time of its trace) and credits the drill: complete within the
 * scenario's deadline after the resolve, and an eval case that catches the
 * incident. `written_after_resolve` is how long after the resolve it was
 * written (SIM_TIME_NEVER: take the drill's clock). With `record`, the credit
 * goes into the drill's log (sim_drill_postmortem_record: a person's
 * post-mortem, which a replay cannot rewrite). Fills checks (one per case).
 * Returns the number of cases that prove themselves. */
int sim_pm_credit(sim_drill *d, const sim_pm_doc *pm, sim_pm_check *checks,
                  sim_time written_after_resolve, bool record);

/* Writes the Markdown post-mortem. checks (may be NULL) has one entry per
 * case in pm->cases; r (may be NULL) adds the score. */
void sim_pm_markdown(FILE *f, const sim_scenario *s, const mllm_world *w,
                     const sim_pm_timeline *tl, const sim_pm_doc *pm, const sim_pm_check *checks,
                     const sim_result *r);

#endif
