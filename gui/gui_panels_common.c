/* gui_panels_common.c - the window frame (status bar, tabs, message line,
 * help overlay, confirmation) and what every panel shares: sending actions,
 * pending delays, chart markers, the selected trace.
 *
 * Ids: tabs are gui_tab_id("tabs", panel); the confirmation buttons are
 * "confirm.ok" and "confirm.cancel"; the help overlay's close button is
 * "help.close". */
#include "gui_panels.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const gui_panel_names[] = {"dashboard",  "alerts",   "breakdowns", "traces",
                                       "controls",   "incident", "briefing",   "scorecard",
                                       "postmortem", "trainer",  NULL};
const char *const gui_panel_titles[] = {
    "Dashboard", "Alerts & changes", "Breakdowns",  "Traces",  "Controls", "Incident",
    "Briefing",  "Scorecard",        "Post-mortem", "Trainer", NULL};
const char gui_panel_keys[] = "1234567890";

static const char *const panel_tips[] = {
    "Live charts of the service with alert thresholds and markers for changes and actions "
    "(key 1)",
    "Alert rules firing and resolved, acknowledge; what changed recently (key 2)",
    "Which segment, query type, topic, prompt or model version is affected, and what fraction "
    "(key 3)",
    "Sampled requests: query, retrieved chunks, prompt, model, latency per stage, answer; "
    "reproduce (key 4)",
    "Every lever of the service with its state and pending delay (key 5)",
    "Declare, diagnose with the decision table, notes, timeline, resolve (key 6)",
    "The scenario's briefing and runbook (key 7)",
    "Response times against targets and the score, after resolve (key 8)",
    "The five questions and eval cases from failing traces (key 9)",
    "Trainer: pace, live faults, decoys, ground truth and the live score (key 0)",
};

const gui_shortcut gui_shortcuts[] = {
    {"F1 or ?", "show or hide this help"},
    {"1 .. 9, 0", "panels: 1 Dashboard, 2 Alerts, 3 Breakdowns, 4 Traces, 5 Controls,"},
    {"", "6 Incident, 7 Briefing, 8 Scorecard, 9 Post-mortem, 0 Trainer (--trainer)"},
    {"Tab, Shift+Tab", "next, previous panel"},
    {"K", "kill switch on / off (asks for confirmation, then waits for approval)"},
    {"F", "fallback the kill switch serves (cached, simplified, unavailable)"},
    {"P", "prompt version (roll back or deploy)"},
    {"M", "model route (primary, backup, simplified)"},
    {"V", "pin the primary model version"},
    {"T, O", "disable or enable a query type, a topic (Controls)"},
    {"D", "disclaimer on / off"},
    {"X", "reindex from the sources (asks for confirmation)"},
    {"S", "restore an index snapshot"},
    {"H, C, J", "throttle (requests/s), context cap, max tokens: type a value, Enter"},
    {"B, G, U", "client backoff, API compatibility pin, lenient output parser"},
    {"L", "flush the response cache"},
    {"A", "acknowledge every firing alert"},
    {"I", "declare an incident (Incident panel)"},
    {"N", "write an incident note"},
    {"/", "search the traces"},
    {"Up, Down, PgUp, PgDn", "move through the trace list"},
    {"R", "reproduce the selected trace on today's configuration"},
    {"E", "add the selected trace to the post-mortem as an eval case"},
    {"Space", "trainer: start / pause"},
    {"+, -", "trainer: faster, slower (1x .. 60x)"},
    {"F12", "save a PNG of this panel (firedrill-PANEL.png)"},
    {"Esc", "close a menu, dialog or this help; leave a text field"},
    {"Ctrl+Q", "quit"},
    {NULL, NULL},
};

const char *const gui_fault_titles[MLLM_FAULT_COUNT] = {
    [MLLM_FAULT_PROMPT_REGRESSION] = "prompt regression",
    [MLLM_FAULT_MODEL_CHANGE] = "model version change",
    [MLLM_FAULT_RETRIEVAL_DEGRADATION] = "retrieval degradation",
    [MLLM_FAULT_STALE_INDEX] = "index not updated (stale)",
    [MLLM_FAULT_SAFETY_UPDATE] = "model safety update",
    [MLLM_FAULT_PROMPT_TRIGGER] = "prompt wording triggers refusals",
    [MLLM_FAULT_PROVIDER_SLOWDOWN] = "provider slowdown",
    [MLLM_FAULT_RATE_LIMITING] = "provider rate limits (retries, queueing)",
    [MLLM_FAULT_CONTEXT_GROWTH] = "context growth",
    [MLLM_FAULT_API_CHANGE] = "provider API change",
    [MLLM_FAULT_SCHEMA_MISMATCH] = "structured-output schema mismatch",
    [MLLM_FAULT_RATE_LIMIT_ERRORS] = "rate-limit errors (429s surfaced)",
    [MLLM_FAULT_KB_GAP] = "knowledge-base gap or retrieval miss",
};

const char *const gui_symptom_evidence[SIM_SYMPTOM_COUNT] = {
    [SIM_SYMPTOM_WRONG_CONSISTENT] = "a prompt deploy or a new model fingerprint in the change "
                                     "log and in the traces; the same wrong pattern across types",
    [SIM_SYMPTOM_WRONG_RANDOM] = "failing traces carry irrelevant, low-score chunks; a random "
                                 "subset of requests",
    [SIM_SYMPTOM_STALE] = "index age past its schedule; chunk dates older than the sources",
    [SIM_SYMPTOM_REFUSALS] = "refusal rate up; refusals cluster on a term, a topic or a prompt "
                             "version; a fingerprint change",
    [SIM_SYMPTOM_LATENCY] = "P99 and time to first token; provider status; 429s and retries; "
                            "mean context tokens",
    [SIM_SYMPTOM_ERRORS] = "error codes and messages in traces (400 parameter, parse errors, "
                           "429 limit headers)",
    [SIM_SYMPTOM_TOPIC_HALLUCINATION] = "judge quality low on one topic; empty or off-topic "
                                        "retrievals there; documents missing",
};

void gui_state_init(gui_state *s, sim_drill *d, bool trainer)
{
    memset(s, 0, sizeof *s);
    s->d = d;
    s->sc = sim_drill_scenario(d);
    s->w = sim_drill_world(d);
    s->trainer = trainer;
    s->speed = 1;
    s->running = !trainer;
    gui_data_init(&s->data, d);
    gui_pm_init(&s->pm);
    const mllm_world *w = s->w;
    s->any_topics[0] = "any topic";
    for (int i = 0; i < w->ntopics; i++)
        s->topic_ids[i] = s->any_topics[i + 1] = w->topics[i].id;
    s->any_prompts[0] = "any prompt";
    for (int i = 0; i < w->nprompts; i++) {
        s->prompt_ids[i] = s->any_prompts[i + 1] = w->prompts[i].version;
        snprintf(s->prompt_items[i], sizeof s->prompt_items[i], "%s  (%s, %s)",
                 w->prompts[i].version, w->prompts[i].released, w->prompts[i].author);
        s->prompt_labels[i] = s->prompt_items[i];
    }
    s->primary_model = mllm_world_model_role(w, MLLM_ROLE_PRIMARY);
    s->fp_ids[0] = "none (follow the alias)";
    if (s->primary_model >= 0)
        for (int i = 0; i < w->models[s->primary_model].nversions; i++)
            s->fp_ids[i + 1] = w->models[s->primary_model].fingerprint[i];
    s->any_qtypes[0] = "any type";
    for (int i = 0; i < MLLM_QT_COUNT; i++)
        s->any_qtypes[i + 1] = mllm_qtype_names[i];
    s->any_regions[0] = "any region";
    for (int i = 0; i < MLLM_REGIONS; i++)
        s->any_regions[i + 1] = mllm_region_names[i];
    s->any_plans[0] = "any plan";
    for (int i = 0; i < MLLM_PLANS; i++)
        s->any_plans[i + 1] = mllm_plan_names[i];
    s->any_clients[0] = "any client";
    for (int i = 0; i < MLLM_CLIENTS; i++)
        s->any_clients[i + 1] = mllm_client_names[i];
    s->sev = 1;
    s->symptom = -1;
    s->cause = -1;
    s->bd_window = 1;
    s->inj_fraction = 1;
    s->inj_factor = 4;
    s->inj_docs = 8;
    s->inj_prompt = s->inj_fp = s->inj_ptopic = 0;
    snprintf(s->inj_term, sizeof s->inj_term, "refund");
    snprintf(s->inj_param, sizeof s->inj_param, "max_tokens");
    snprintf(s->pm_path, sizeof s->pm_path, "postmortem.json");
}

void gui_say(gui_state *s, bool err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->status, sizeof s->status, fmt, ap);
    va_end(ap);
    s->status_err = err;
}

static void fmt_dur(char *buf, size_t n, sim_time us)
{
    unsigned long long sec = (us + 999999u) / 1000000u;
    if (sec >= 60 && sec % 60)
        snprintf(buf, n, "%llum%02llus", sec / 60, sec % 60);
    else if (sec >= 60)
        snprintf(buf, n, "%llum", sec / 60);
    else
        snprintf(buf, n, "%llus", sec);
}

long gui_act(gui_state *s, sim_action_kind kind, const char *arg)
{
    sim_action_spec a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    snprintf(a.arg, sizeof a.arg, "%s", arg ? arg : "");
    char err[160] = "", spec[140];
    sim_action_format(&a, spec, sizeof spec);
    long seq = sim_drill_act(s->d, &a, "trainee", err, sizeof err);
    if (seq < 0) {
        gui_say(s, true, "%s refused: %s", spec, err);
        return seq;
    }
    const sim_action_rec *h;
    int nh = sim_drill_history(s->d, &h);
    const sim_action_rec *rec = seq <= nh ? &h[seq - 1] : NULL;
    if (rec && rec->effective == SIM_TIME_NEVER) {
        gui_pending p;
        gui_action_eta(s->sc, rec, &p);
        char d1[24], d2[24];
        fmt_dur(d2, sizeof d2, p.eta - p.approval_end);
        if (rec->needs_approval) {
            fmt_dur(d1, sizeof d1, p.approval_end - rec->requested);
            gui_say(s, false,
                    "%s requested: waiting for approval from %s (%s), then %s to take "
                    "effect",
                    spec, s->sc->runbook.approver[0] ? s->sc->runbook.approver : "the approver", d1,
                    d2);
        } else {
            gui_say(s, false, "%s requested: takes effect in %s", spec, d2);
        }
    } else if (rec && rec->status < 0) {
        gui_say(s, true, "%s failed: %s", spec, rec->note);
    } else if (rec && rec->note[0]) {
        gui_say(s, false, "%s: %s", spec, rec->note);
    } else {
        gui_say(s, false, "%s done", spec);
    }
    gui_data_sync(&s->data);
    return seq;
}

void gui_ask(gui_state *s, sim_action_kind kind, const char *arg, const char *title,
             const char *text, const char *ok)
{
    memset(&s->confirm_action, 0, sizeof s->confirm_action);
    s->confirm_action.kind = kind;
    snprintf(s->confirm_action.arg, sizeof s->confirm_action.arg, "%s", arg ? arg : "");
    snprintf(s->confirm_title, sizeof s->confirm_title, "%s", title);
    snprintf(s->confirm_text, sizeof s->confirm_text, "%s", text);
    snprintf(s->confirm_ok, sizeof s->confirm_ok, "%s", ok);
    s->confirm_open = true;
}

const sim_action_rec *gui_pending_of(const gui_state *s, sim_action_kind kind, const char *arg)
{
    const sim_action_rec *h;
    int n = sim_drill_history(s->d, &h);
    for (int i = n - 1; i >= 0; i--)
        if (h[i].a.kind == kind && h[i].effective == SIM_TIME_NEVER &&
            (!arg || strcmp(h[i].a.arg, arg) == 0))
            return &h[i];
    return NULL;
}

const char *gui_pending_text(gui_ctx *c, const gui_state *s, sim_action_kind kind, const char *arg)
{
    const sim_action_rec *h = gui_pending_of(s, kind, arg);
    if (!h)
        return "";
    gui_pending p;
    gui_action_eta(s->sc, h, &p);
    sim_time now = sim_drill_now(s->d);
    char d1[24], d2[24];
    const char *what = h->a.arg[0] ? h->a.arg : sim_action_names[kind];
    if (now < p.approval_end) {
        fmt_dur(d1, sizeof d1, p.approval_end - now);
        fmt_dur(d2, sizeof d2, p.eta - p.approval_end);
        return gui_fmt(c, "pending \xE2\x86\x92 %s: awaiting approval %s, then %s", what, d1, d2);
    }
    fmt_dur(d1, sizeof d1, p.eta > now ? p.eta - now : 0);
    return gui_fmt(c, "pending \xE2\x86\x92 %s: rolling out, %s left", what, d1);
}

const sim_trace *gui_selected_trace(const gui_state *s)
{
    if (!s->tr_sel)
        return NULL;
    const sim_traces *tr = sim_drill_traces(s->d);
    const sim_trace *t;
    for (uint64_t i = 0; (t = sim_traces_get(tr, i)); i++)
        if (t->id == s->tr_sel && t->why == s->tr_sel_why)
            return t;
    return NULL;
}

void gui_incident_window(const gui_state *s, sim_time *from, sim_time *to)
{
    sim_time first = SIM_TIME_NEVER;
    for (int i = 0; i < s->data.nev; i++)
        if (s->data.ev[i].firing && s->data.ev[i].t < first)
            first = s->data.ev[i].t;
    *from = first == SIM_TIME_NEVER ? 0 : first > SIM_MIN(10) ? first - SIM_MIN(10) : 0;
    *to = sim_drill_now(s->d);
    const sim_action_rec *h;
    int n = sim_drill_history(s->d, &h);
    for (int i = 0; i < n; i++)
        if (h[i].a.kind == SIM_ACT_RESOLVE && h[i].effective != SIM_TIME_NEVER)
            *to = h[i].effective;
}

bool gui_during_alert(const gui_state *s, sim_time t)
{
    for (int k = 0; k < s->data.nev; k++) {
        const gui_alert_event *e = &s->data.ev[k];
        if (!e->firing || e->t > t)
            continue;
        sim_time end = SIM_TIME_NEVER;
        for (int j = k + 1; j < s->data.nev; j++)
            if (s->data.ev[j].alert == e->alert && !s->data.ev[j].firing) {
                end = s->data.ev[j].t;
                break;
            }
        if (t < end)
            return true;
    }
    return false;
}

bool gui_pick_failing_trace(gui_state *s)
{
    const sim_traces *tr = sim_drill_traces(s->d);
    const sim_trace *t, *any = NULL;
    sim_time from, to;
    gui_incident_window(s, &from, &to);
    for (uint64_t i = 0; (t = sim_traces_get(tr, i)); i++) {
        if (t->why == SIM_TRACE_REPRODUCED || !sim_trace_failing(&t->resp, t->judge))
            continue;
        if (!any)
            any = t;
        bool firing = gui_during_alert(s, t->req.t);
        if (firing && t->req.t >= from && t->req.t <= to && t->judge >= 0 && t->judge < 0.5f) {
            any = t;
            break;
        }
    }
    if (!any)
        return false;
    s->tr_sel = any->id;
    s->tr_sel_why = any->why;
    s->tr_scroll_to_sel = true;
    return true;
}

void gui_reproduce_selected(gui_state *s)
{
    const sim_trace *t = gui_selected_trace(s);
    if (!t) {
        gui_say(s, true, "Select a trace first (Traces panel)");
        return;
    }
    char arg[32];
    snprintf(arg, sizeof arg, "%llu", (unsigned long long)t->id);
    uint64_t id = t->id;
    if (gui_act(s, SIM_ACT_REPRODUCE, arg) > 0) {
        s->tr_sel = id;
        s->tr_sel_why = SIM_TRACE_REPRODUCED;
        s->tr_scroll_to_sel = true;
    }
}

void gui_eval_selected(gui_state *s)
{
    const sim_trace *t = gui_selected_trace(s);
    if (!t) {
        gui_say(s, true, "Select a failing trace first (Traces panel)");
        return;
    }
    int i = gui_pm_add_trace(&s->pm, s->d, t);
    if (i < 0)
        gui_say(s, true, "Trace %llu is already an eval case, or the form holds %d already",
                (unsigned long long)t->id, GUI_PM_MAX_CASES);
    else
        gui_say(s, false, "Trace %llu added to the post-mortem as eval case %d (key 9 to edit)",
                (unsigned long long)t->id, i + 1);
}

const char *gui_t(gui_ctx *c, sim_time t)
{
    char b[24];
    return gui_fmt(c, "T+%s", gui_time_str(t, b, sizeof b));
}

int gui_metric_fmt(sim_metric m)
{
    switch (m) {
    case SIM_M_ERROR_RATE:
    case SIM_M_RATE_429:
    case SIM_M_REFUSAL_RATE:
    case SIM_M_JUDGE_BAD_RATE:
    case SIM_M_CACHE_HIT_RATE:
    case SIM_M_FALLBACK_RATE:
    case SIM_M_EMPTY_RETRIEVAL_RATE:
        return GUI_VF_PCT;
    case SIM_M_LATENCY_P50:
    case SIM_M_LATENCY_P95:
    case SIM_M_LATENCY_P99:
    case SIM_M_TTFT_P99:
        return GUI_VF_MS;
    case SIM_M_QUALITY:
        return GUI_VF_SCORE;
    case SIM_M_COST_PER_MIN:
        return GUI_VF_USD;
    case SIM_M_CONTEXT_TOKENS:
        return GUI_VF_INT;
    default:
        return GUI_VF_NUM;
    }
}

const char *gui_metric_str(gui_ctx *c, sim_metric m, double v)
{
    char b[32];
    gui_fmt_value(b, sizeof b, v, gui_metric_fmt(m));
    return gui_fmt(c, "%s", b);
}

const char *gui_alert_cond(gui_ctx *c, const sim_alert_rule *r)
{
    char w[16], f[16];
    mllm_duration_format(r->window, w, sizeof w);
    mllm_duration_format(r->for_, f, sizeof f);
    return gui_fmt(c, "%s %s %s over %s, for %s", sim_metric_names[r->metric], r->above ? ">" : "<",
                   gui_metric_str(c, r->metric, r->threshold), w, f);
}

/* ---- shared drawing ----------------------------------------------------------------------- */

void gui_card(gui_ctx *c, gui_rect r, const char *title)
{
    const gui_theme *t = gui_theme_of(c);
    gui_draw_rect(c, r, t->panel);
    gui_draw_box(c, r, t->border);
    if (title) {
        int fb = gui_font_height(c, GUI_FONT_BOLD), pad = gui_style_of(c)->pad;
        gui_draw_text_in(c, GUI_FONT_BOLD, (gui_rect){r.x + pad, r.y + 2, r.w - 2 * pad, fb + 4},
                         t->text, title, 0);
        gui_draw_rect(c, (gui_rect){r.x + 1, r.y + fb + 7, r.w - 2, 1}, t->border);
    }
}

void gui_flash(gui_ctx *c, const gui_state *s, gui_id id, gui_rect r)
{
    if (s->flash != id || (int32_t)(s->now_ms - s->flash_until) > 0)
        return;
    gui_color a = gui_theme_of(c)->yellow;
    gui_draw_box(c, r, a);
    gui_draw_box(c, gui_inset(r, 1), a);
}

gui_rect gui_card_body(gui_ctx *c, gui_rect r)
{
    int fb = gui_font_height(c, GUI_FONT_BOLD), pad = gui_style_of(c)->pad;
    return (gui_rect){r.x + pad, r.y + fb + 8 + pad / 2, r.w - 2 * pad, r.h - fb - 8 - pad};
}

static void add_marker(gui_state *s, double t, gui_color col, const char *glyph, const char *tip,
                       bool dashed)
{
    if (s->nmarkers < GUI_MAX_MARKERS)
        s->markers[s->nmarkers++] = (gui_marker){t, col, glyph, tip, dashed};
}

void gui_build_markers(gui_ctx *c, gui_state *s)
{
    const gui_theme *t = gui_theme_of(c);
    s->nmarkers = 0;
    const sim_change_rec *ch;
    int nc = sim_drill_changes(s->d, &ch);
    for (int i = 0; i < nc; i++) {
        if (!ch[i].visible)
            continue;
        add_marker(s, (double)ch[i].t / 1e6, t->purple, "C",
                   gui_fmt(c, "%s change (%s)%s: %s", gui_t(c, ch[i].t),
                           mllm_change_names[ch[i].kind],
                           s->trainer && ch[i].decoy ? " [decoy]" : "", ch[i].text),
                   true);
    }
    const sim_action_rec *h;
    int nh = sim_drill_history(s->d, &h);
    for (int i = 0; i < nh; i++) {
        if (strcmp(h[i].by, "trainer") == 0 || h[i].a.kind == SIM_ACT_NOTE ||
            h[i].a.kind == SIM_ACT_REPRODUCE || h[i].a.kind == SIM_ACT_ACK)
            continue;
        char spec[140];
        sim_action_format(&h[i].a, spec, sizeof spec);
        bool lever = h[i].a.kind <= SIM_ACT_FLUSH_CACHE;
        if (h[i].effective == SIM_TIME_NEVER)
            add_marker(s, (double)h[i].requested / 1e6, t->dim, NULL,
                       gui_fmt(c, "%s %s requested (pending)", gui_t(c, h[i].requested), spec),
                       true);
        else
            add_marker(s, (double)h[i].effective / 1e6, lever ? t->accent : t->yellow,
                       lever ? "A" : "I",
                       gui_fmt(c, "%s %s %s (requested %s)", gui_t(c, h[i].effective), spec,
                               lever ? "took effect" : "recorded", gui_t(c, h[i].requested)),
                       false);
    }
    if (s->trainer) {
        const mllm_service *svc = sim_drill_service(s->d);
        for (int i = 0; i < mllm_service_fault_count(svc); i++) {
            const mllm_fault *f = mllm_service_fault(svc, i);
            if (f->start > sim_drill_now(s->d))
                continue;
            add_marker(s, (double)f->start / 1e6, t->bad, "F",
                       gui_fmt(c, "%s fault %s starts [trainer]", gui_t(c, f->start),
                               mllm_fault_names[f->kind]),
                       false);
        }
    }
}

/* ---- the frame ---------------------------------------------------------------------------- */

static void badge(gui_ctx *c, int *x, int y, int h, gui_color bg, gui_color fg, const char *s,
                  const char *tip)
{
    int w = gui_text_width(c, GUI_FONT_BOLD, s, -1) + 16;
    *x -= w;
    gui_rect r = {*x, y, w, h};
    gui_draw_rect(c, r, bg);
    gui_draw_text_in(c, GUI_FONT_BOLD, r, fg, s, GUI_ALIGN_CENTER);
    gui_tooltip(c, gui_id_of(c, s), r, tip);
    *x -= 8;
}

static void status_bar(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const gui_style *st = gui_style_of(c);
    gui_draw_rect(c, r, t->panel);
    gui_draw_rect(c, (gui_rect){r.x, r.y + r.h - 1, r.w, 1}, t->border);
    int ft = gui_font_height(c, GUI_FONT_TITLE);
    int y = r.y + (r.h - ft) / 2;
    int x = r.x + st->pad * 2;
    gui_draw_text(c, GUI_FONT_TITLE, x, y, t->warn, "FIREDRILL", -1);
    x += gui_text_width(c, GUI_FONT_TITLE, "FIREDRILL", -1) + st->pad * 2;
    const char *title =
        gui_fmt(c, "%s%s", s->sc->title, s->trainer ? "  \xE2\x80\x94  trainer view" : "");
    int tw = gui_text_width(c, GUI_FONT_BODY, title, -1);
    gui_draw_text_in(c, GUI_FONT_BODY, (gui_rect){x, r.y, tw < r.w / 4 ? tw : r.w / 4, r.h},
                     t->text, title, 0);
    x += (tw < r.w / 4 ? tw : r.w / 4) + st->pad * 3;

    sim_time now = sim_drill_now(s->d);
    char b1[24], b2[24], cal[48];
    const char *clock = gui_fmt(c, "T+%s / %s", gui_time_str(now, b1, sizeof b1),
                                gui_time_str(sim_drill_duration(s->d), b2, sizeof b2));
    gui_draw_text(c, GUI_FONT_TITLE, x, y, t->text, clock, -1);
    gui_rect cr = {x, r.y, gui_text_width(c, GUI_FONT_TITLE, clock, -1), r.h};
    gui_tooltip(c, gui_id_of(c, "bar.clock"), cr,
                "Drill time since the start / drill length. The simulation runs on its own "
                "virtual clock, paced by the wall clock at the speed shown.");
    x += cr.w + st->pad * 2;
    gui_draw_text_in(c, GUI_FONT_SMALL, (gui_rect){x, r.y, 240, r.h}, t->dim,
                     gui_calendar_str(s->sc, now, cal, sizeof cal), 0);
    x += gui_text_width(c, GUI_FONT_SMALL, cal, -1) + st->pad * 2;
    const char *pace = sim_drill_finished(s->d) ? "ENDED"
                       : !s->running            ? "PAUSED"
                                                : gui_fmt(c, "%gx", s->speed);
    gui_color pc = sim_drill_finished(s->d) || !s->running ? t->warn : t->dim;
    gui_draw_text(c, GUI_FONT_BOLD, x, r.y + (r.h - gui_font_height(c, GUI_FONT_BOLD)) / 2, pc,
                  pace, -1);

    /* Right side: alerts, incident, score. */
    int rx = r.x + r.w - st->pad * 2;
    int bh = gui_font_height(c, GUI_FONT_BOLD) + 6, by = r.y + (r.h - bh) / 2;
    badge(c, &rx, by, bh, t->raised, t->text, "F1 help", "Keyboard shortcuts and panels (F1 or ?)");
    if (s->trainer) {
        sim_result res;
        sim_drill_result(s->d, &res);
        badge(c, &rx, by, bh, t->info, (gui_color){255, 255, 255, 255},
              gui_fmt(c, "score %.1f", res.score.total),
              "Live score as of now (trainer only): response times, harm, diagnosis");
    }
    int sev = 0;
    bool declared = sim_drill_incident_declared(s->d, &sev);
    if (sim_drill_resolved(s->d))
        badge(c, &rx, by, bh, t->ok, (gui_color){255, 255, 255, 255}, "\xE2\x9C\x93 resolved",
              "The incident is resolved: see the scorecard (8) and write the post-mortem (9)");
    else if (declared)
        badge(c, &rx, by, bh, t->warn, t->on_accent, gui_fmt(c, "SEV%d declared", sev),
              "An incident is declared; resolve it from the Incident panel (6)");
    else
        badge(c, &rx, by, bh, t->raised, t->dim, "no incident",
              "No incident declared yet (Incident panel, key I)");
    int firing = sim_alerts_firing(sim_drill_alerts(s->d));
    if (firing)
        badge(c, &rx, by, bh, t->bad, (gui_color){255, 255, 255, 255},
              gui_fmt(c, "\xE2\x96\xB2 %d FIRING", firing),
              "Alerts firing now: see the Alerts panel (2); A acknowledges them all");
    else
        badge(c, &rx, by, bh, t->raised, t->ok, "\xE2\x9C\x93 no alerts", "No alert is firing");
}

static void help_overlay(gui_ctx *c, gui_state *s)
{
    const gui_theme *t = gui_theme_of(c);
    int rows = 0;
    while (gui_shortcuts[rows].keys)
        rows++;
    int lh = gui_font_height(c, GUI_FONT_BODY) + 3;
    const gui_style *st = gui_style_of(c);
    gui_modal_begin(c, "Keyboard shortcuts and panels", 940,
                    rows * (lh + st->spacing) + 2 * st->row_h +
                        3 * gui_font_height(c, GUI_FONT_SMALL) +
                        gui_font_height(c, GUI_FONT_TITLE) + 8 * st->pad);
    int kw = 220;
    for (int i = 0; i < rows; i++) {
        gui_row(c, 2, (int[]){kw, 0}, lh);
        gui_label_ex(c, gui_shortcuts[i].keys, GUI_FONT_BOLD, t->accent, 0);
        gui_label_ex(c, gui_shortcuts[i].what, GUI_FONT_BODY, t->text, 0);
    }
    gui_space(c, 8);
    gui_text(c,
             "Every control shows a tooltip when you hover it. Levers act through the service's "
             "runbook: they take effect after their delay, and blunt ones wait for approval.",
             GUI_FONT_SMALL, t->dim);
    gui_row(c, 2, (int[]){0, 160}, 0);
    gui_next(c);
    if (gui_button_ex(c, "help.close", "Close (Esc)", GUI_PRIMARY, "Close this help"))
        s->help = false;
    if (gui_keys(c) & GUI_KEY_ESCAPE) {
        s->help = false;
        gui_consume_keys(c, GUI_KEY_ESCAPE);
    }
    gui_modal_end(c);
}

void gui_frame(gui_ctx *c, gui_state *s)
{
    const gui_theme *t = gui_theme_of(c);
    const gui_style *st = gui_style_of(c);
    gui_rect all = {0, 0, s->win_w, s->win_h};
    gui_rect bar = gui_cut_top(&all, gui_font_height(c, GUI_FONT_TITLE) + 3 * st->pad);
    status_bar(c, s, bar);
    gui_rect tabs = gui_cut_top(&all, st->row_h + 4);
    static char labels[GUI_P_COUNT][48];
    static const char *lp[GUI_P_COUNT];
    int n = s->trainer ? GUI_P_COUNT : GUI_P_COUNT - 1;
    for (int i = 0; i < n; i++) {
        snprintf(labels[i], sizeof labels[i], "%c  %s", gui_panel_keys[i], gui_panel_titles[i]);
        lp[i] = labels[i];
    }
    int p = gui_tabs(c, tabs, "tabs", lp, n, (int)s->panel, panel_tips);
    if (p != (int)s->panel)
        s->panel = (gui_panel)p;
    gui_rect msg = gui_cut_bottom(&all, gui_font_height(c, GUI_FONT_SMALL) + st->pad + 2);
    gui_draw_rect(c, msg, t->panel);
    gui_draw_text_in(c, GUI_FONT_SMALL, gui_inset(msg, 2), s->status_err ? t->bad : t->dim,
                     s->status[0] ? s->status
                                  : "Ready. F1 lists the shortcuts; every control has "
                                    "a tooltip.",
                     0);
    gui_rect body = gui_inset(all, st->pad);
    gui_build_markers(c, s);
    switch (s->panel) {
    case GUI_P_DASHBOARD:
        gui_panel_dashboard(c, s, body);
        break;
    case GUI_P_ALERTS:
        gui_panel_alerts(c, s, body);
        break;
    case GUI_P_BREAKDOWN:
        gui_panel_breakdown(c, s, body);
        break;
    case GUI_P_TRACES:
        gui_panel_traces(c, s, body);
        break;
    case GUI_P_CONTROLS:
        gui_panel_controls(c, s, body);
        break;
    case GUI_P_INCIDENT:
        gui_panel_incident(c, s, body);
        break;
    case GUI_P_BRIEFING:
        gui_panel_briefing(c, s, body);
        break;
    case GUI_P_SCORECARD:
        gui_panel_scorecard(c, s, body);
        break;
    case GUI_P_POSTMORTEM:
        gui_panel_postmortem(c, s, body);
        break;
    case GUI_P_TRAINER:
        if (s->trainer)
            gui_panel_trainer(c, s, body);
        break;
    default:
        break;
    }
    if (s->confirm_open) {
        int r = gui_confirm(c, s->confirm_title, s->confirm_text, s->confirm_ok,
                            "Send this action to the service (it follows the runbook)");
        if (r == 1) {
            s->confirm_open = false;
            gui_act(s, s->confirm_action.kind, s->confirm_action.arg);
            if (s->confirm_action.kind == SIM_ACT_RESOLVE)
                s->panel = GUI_P_SCORECARD;
        } else if (r == -1) {
            s->confirm_open = false;
            gui_say(s, false, "Cancelled");
        }
    } else if (s->help) {
        help_overlay(c, s);
    }
}
