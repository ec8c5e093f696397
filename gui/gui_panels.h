/* gui_panels.h - the panels of the control panel and the state they share.
 *
 * Panels read the engine (through gui_data and the sim_drill accessors) and
 * send actions (gui_act, gui_ask): they simulate nothing. Each panel is a
 * function that lays out widgets in a rectangle; gui_frame draws the whole
 * window (status bar, tabs, the current panel, help overlay, confirmation).
 * The trainee view never shows truth labels, fault ids or decoy flags; the
 * trainer panel (gui_state.trainer) does. Widget ids used by shortcuts and
 * tests are listed with each panel. */
#ifndef GUI_PANELS_H
#define GUI_PANELS_H

#include <stdbool.h>
#include <stdint.h>

#include "gui_chart.h"
#include "gui_data.h"
#include "gui_pm.h"
#include "gui_ui.h"
#include "sim_drill.h"

typedef enum gui_panel {
    GUI_P_DASHBOARD,
    GUI_P_ALERTS,
    GUI_P_BREAKDOWN,
    GUI_P_TRACES,
    GUI_P_CONTROLS,
    GUI_P_INCIDENT,
    GUI_P_BRIEFING,
    GUI_P_SCORECARD,
    GUI_P_POSTMORTEM,
    GUI_P_TRAINER,
    GUI_P_COUNT
} gui_panel;
extern const char *const gui_panel_names[];  /* --panel names, NULL-terminated */
extern const char *const gui_panel_titles[]; /* tab labels */
extern const char gui_panel_keys[];          /* shortcut per panel: '1'..'9', '0' */

/* Shortcut table (shown by --help and the help overlay). */
typedef struct gui_shortcut {
    const char *keys;
    const char *what;
} gui_shortcut;
extern const gui_shortcut gui_shortcuts[]; /* ends with {NULL, NULL} */

#define GUI_MAX_MARKERS 256
#define GUI_NAMES       48

typedef struct gui_state {
    /* the engine */
    sim_drill *d;
    const sim_scenario *sc;
    const mllm_world *w;
    gui_data data;
    bool trainer;
    /* pacing (owned by the app) */
    sim_pacer pacer;
    bool running;
    double speed;
    /* view */
    gui_panel panel;
    bool help;
    bool quit;
    int win_w, win_h; /* window size in pixels */
    uint32_t now_ms;  /* the frame's clock (gui_begin) */
    gui_id flash;     /* a control a shortcut pointed at */
    uint32_t flash_until;
    /* message line */
    char status[256];
    bool status_err;
    /* confirmation modal */
    bool confirm_open;
    char confirm_title[96], confirm_text[600], confirm_ok[48];
    sim_action_spec confirm_action;
    /* traces */
    char tr_search[64];
    int tr_filter, tr_qtype, tr_topic, tr_prompt;
    uint64_t tr_sel;
    int tr_sel_why;
    bool tr_scroll_to_sel;
    /* controls */
    char in_throttle[16], in_ctxcap[16], in_maxtok[16];
    int sel_snapshot, sel_add_docs;
    /* incident */
    int sev, symptom, cause;
    char in_note[200];
    /* breakdowns */
    int bd_measure, bd_window;
    /* post-mortem */
    gui_pm pm;
    char pm_path[1024];
    /* trainer: live injection */
    int inj_kind, inj_region, inj_plan, inj_client, inj_qtype, inj_topic, inj_tprompt;
    int inj_prompt, inj_fp, inj_ptopic;
    double inj_fraction, inj_factor, inj_docs, inj_ramp_s, inj_minutes;
    char inj_term[32], inj_param[32];
    char decoy[160];
    int injected;
    /* names for selects (built once) */
    const char *topic_ids[MLLM_MAX_TOPICS + 1];
    const char *any_topics[MLLM_MAX_TOPICS + 2];
    const char *prompt_ids[MLLM_MAX_PROMPTS + 1];
    const char *any_prompts[MLLM_MAX_PROMPTS + 2];
    char prompt_items[MLLM_MAX_PROMPTS][64];
    const char *prompt_labels[MLLM_MAX_PROMPTS + 1];
    const char *fp_ids[MLLM_MAX_FINGERPRINTS + 2];
    const char *any_qtypes[MLLM_QT_COUNT + 2];
    const char *any_regions[MLLM_REGIONS + 2], *any_plans[MLLM_PLANS + 2];
    const char *any_clients[MLLM_CLIENTS + 2];
    int primary_model;
    /* chart markers of this frame */
    gui_marker markers[GUI_MAX_MARKERS];
    int nmarkers;
} gui_state;

/* Plain words for each fault kind (mllm_fault_kind), and what evidence the
 * decision table points at for each symptom (sim_symptom). */
extern const char *const gui_fault_titles[MLLM_FAULT_COUNT];
extern const char *const gui_symptom_evidence[SIM_SYMPTOM_COUNT];

/* Sets up the panel state over drill d (fills the name tables). */
void gui_state_init(gui_state *s, sim_drill *d, bool trainer);

/* Requests an action as the trainee; writes the outcome to the message line.
 * Returns the action's sequence number or a negative error. */
long gui_act(gui_state *s, sim_action_kind kind, const char *arg);
/* Opens the confirmation modal for an action (blunt levers, resolve). */
void gui_ask(gui_state *s, sim_action_kind kind, const char *arg, const char *title,
             const char *text, const char *ok);
void gui_say(gui_state *s, bool err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The newest history record of this kind still pending, or NULL. */
const sim_action_rec *gui_pending_of(const gui_state *s, sim_action_kind kind, const char *arg);
/* One line describing what is pending for a lever ("" when nothing). */
const char *gui_pending_text(gui_ctx *c, const gui_state *s, sim_action_kind kind, const char *arg);
/* The trace the explorer has selected, or NULL. */
const sim_trace *gui_selected_trace(const gui_state *s);
/* Selects the newest failing trace seen while an alert was firing (else the
 * newest failing one). Returns false when there is none. */
bool gui_pick_failing_trace(gui_state *s);
/* True when some alert was firing at drill time t. */
bool gui_during_alert(const gui_state *s, sim_time t);
/* The window of the incident: from 10 min before the first alert to the
 * resolve (or now). */
void gui_incident_window(const gui_state *s, sim_time *from, sim_time *to);
/* Reproduces the selected trace / adds it to the post-mortem. */
void gui_reproduce_selected(gui_state *s);
void gui_eval_selected(gui_state *s);

/* Draws the whole window for one frame. */
void gui_frame(gui_ctx *c, gui_state *s);

/* The panels. */
void gui_panel_dashboard(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_alerts(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_breakdown(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_traces(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_controls(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_incident(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_briefing(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_scorecard(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_postmortem(gui_ctx *c, gui_state *s, gui_rect r);
void gui_panel_trainer(gui_ctx *c, gui_state *s, gui_rect r);

/* Shared drawing helpers. */
/* Outlines r in the accent colour while s->flash == id (a shortcut's target). */
void gui_flash(gui_ctx *c, const gui_state *s, gui_id id, gui_rect r);
void gui_card(gui_ctx *c, gui_rect r, const char *title); /* a titled box */
gui_rect gui_card_body(gui_ctx *c, gui_rect r);           /* its inside */
/* Chart markers for changes and actions (and faults in the trainer view). */
void gui_build_markers(gui_ctx *c, gui_state *s);
/* The value format of a metric (gui_vfmt). */
int gui_metric_fmt(sim_metric m);
/* An alert rule as words: "judge_quality < 0.70 over 1m, for 3m". */
const char *gui_alert_cond(gui_ctx *c, const sim_alert_rule *r);
/* A value of metric m as text, in the frame arena. */
const char *gui_metric_str(gui_ctx *c, sim_metric m, double v);
/* Time from drill start in the "T+12:34" form, in the frame arena. */
const char *gui_t(gui_ctx *c, sim_time t);

#endif
