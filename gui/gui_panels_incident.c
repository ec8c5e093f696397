/* gui_panels_incident.c - the incident: declare with a severity, acknowledge,
 * diagnose through the decision table (symptom, then cause), notes, a live
 * timeline, and resolve.
 *
 * Ids: "inc.sev", "inc.declare", "inc.ack", "inc.resolve", "inc.note",
 * "inc.note.add", "inc.sym.<symptom id>", "inc.cause.<fault kind>",
 * "inc.diagnose". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui_panels.h"

static const char *const sev_items[] = {"SEV1 \xE2\x80\x94 critical, all hands",
                                        "SEV2 \xE2\x80\x94 major, on-call team",
                                        "SEV3 \xE2\x80\x94 minor, business hours"};
static const char *const sev_args[] = {"sev1", "sev2", "sev3"};

typedef struct tl_ev {
    sim_time t;
    int kind; /* 0 change, 1 alert, 2 action requested, 3 action effective */
    int i;
    bool flag;
} tl_ev;

#define TL_MAX 1024
static tl_ev tl[TL_MAX];

static int tl_cmp(const void *a, const void *b)
{
    const tl_ev *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? 1 : -1; /* newest first */
    return y->kind - x->kind;
}

static void incident_card(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_card(c, r, "Incident");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "inc.left", b);
    int sev = 0;
    bool declared = sim_drill_incident_declared(s->d, &sev);
    bool resolved = sim_drill_resolved(s->d);
    const sim_action_rec *h;
    int nh = sim_drill_history(s->d, &h);
    sim_time t_decl = SIM_TIME_NEVER, t_res = SIM_TIME_NEVER;
    for (int i = 0; i < nh; i++) {
        if (h[i].a.kind == SIM_ACT_DECLARE && h[i].effective != SIM_TIME_NEVER &&
            t_decl == SIM_TIME_NEVER)
            t_decl = h[i].effective;
        if (h[i].a.kind == SIM_ACT_RESOLVE && h[i].effective != SIM_TIME_NEVER)
            t_res = h[i].effective;
    }
    gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_TITLE) + 6);
    if (resolved)
        gui_label_ex(c, gui_fmt(c, "\xE2\x9C\x93 Resolved at %s", gui_t(c, t_res)), GUI_FONT_TITLE,
                     t->ok, 0);
    else if (declared)
        gui_label_ex(c, gui_fmt(c, "SEV%d declared at %s", sev, gui_t(c, t_decl)), GUI_FONT_TITLE,
                     t->warn, 0);
    else
        gui_label_ex(c, "No incident declared", GUI_FONT_TITLE, t->dim, 0);
    gui_space(c, 4);
    int y0 = gui_layout_y(c);
    gui_row(c, 2, (int[]){0, 110}, 0);
    gui_select(c, "inc.sev", sev_items, 3, &s->sev, declared ? GUI_DISABLED : 0,
               "Severity: SEV1 for a critical outage, SEV2 for a major degradation, SEV3 for a "
               "minor one");
    if (gui_button_ex(c, "inc.declare", "Declare", declared ? GUI_DISABLED : GUI_PRIMARY,
                      declared ? "The incident is already declared"
                               : "Declare the incident (I): the team knows; counts as detection"))
        gui_act(s, SIM_ACT_DECLARE, sev_args[s->sev]);
    gui_flash(c, s, gui_id_global("inc.declare"),
              (gui_rect){gui_layout_rect(c).x - 3, y0 - 3, gui_layout_width(c) + 6,
                         gui_layout_y(c) - y0 + 2});
    gui_row(c, 1, NULL, 0);
    if (gui_button_ex(c, "inc.ack", "Acknowledge firing alerts (A)",
                      sim_alerts_firing(sim_drill_alerts(s->d)) ? 0 : GUI_DISABLED,
                      "Acknowledge every firing alert"))
        gui_act(s, SIM_ACT_ACK, "*");
    if (gui_button_ex(c, "inc.resolve", resolved ? "Resolved" : "Resolve the incident\xE2\x80\xA6",
                      resolved ? GUI_DISABLED : GUI_DANGER,
                      "Resolve: the service is healthy again and the levers you pulled are "
                      "settled. The scorecard opens; then write the post-mortem."))
        gui_ask(s, SIM_ACT_RESOLVE, "", "Resolve the incident?",
                "Resolve once the service is healthy and the fix is live (check the dashboard). "
                "The response times are then scored and the scorecard opens.",
                "Resolve");

    gui_space(c, 10);
    gui_heading(c, "Notes");
    y0 = gui_layout_y(c);
    gui_row(c, 2, (int[]){0, 80}, 0);
    int res = gui_textbox(c, "inc.note", s->in_note, 96, 0,
                          "A note for the incident timeline (N); Enter adds it");
    if ((gui_button_ex(c, "inc.note.add", "Add", 0, "Add the note to the incident timeline") ||
         (res & GUI_RES_SUBMIT))) {
        if (s->in_note[0]) {
            if (gui_act(s, SIM_ACT_NOTE, s->in_note) > 0)
                s->in_note[0] = '\0';
        } else {
            gui_say(s, true, "Type a note first");
        }
    }
    gui_flash(c, s, gui_id_global("inc.note"),
              (gui_rect){gui_layout_rect(c).x - 3, y0 - 3, gui_layout_width(c) + 6,
                         gui_layout_y(c) - y0 + 2});
    for (int i = nh - 1; i >= 0; i--) {
        if (h[i].a.kind != SIM_ACT_NOTE)
            continue;
        gui_row(c, 2, (int[]){70, 0}, 0);
        gui_label_ex(c, gui_t(c, h[i].requested), GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c, h[i].a.arg, GUI_FONT_BODY, t->text, 0);
    }
    gui_scroll_end(c);
}

static void diagnose_card(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_card(c, r, "Diagnose with the decision table");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "inc.table", b);
    gui_text(c,
             "1. Pick the symptom the evidence shows, 2. pick the likely cause, 3. record it. "
             "You may record more than one cause.",
             GUI_FONT_SMALL, t->dim);
    gui_space(c, 4);
    int fh = gui_font_height(c, GUI_FONT_BODY), fs = gui_font_height(c, GUI_FONT_SMALL);
    for (int k = 0; k < SIM_SYMPTOM_COUNT; k++) {
        char causes[256] = "";
        size_t o = 0;
        for (int f = 0; f < MLLM_FAULT_COUNT; f++)
            if (sim_fault_symptom[f] == (sim_symptom)k && o < sizeof causes)
                o += (size_t)snprintf(causes + o, sizeof causes - o, "%s%s", o ? "; " : "",
                                      gui_fault_titles[f]);
        gui_row(c, 1, NULL, fh + 2 * fs + 10);
        gui_rect rr = gui_next(c);
        gui_id id = gui_id_of(c, gui_fmt(c, "inc.sym.%s", sim_symptom_names[k]));
        gui_widget(c, id, rr);
        bool sel = s->symptom == k, hot = gui_mouse_over(c, rr);
        if (gui_clicked(c, id, rr)) {
            s->symptom = k;
            s->cause = -1;
            sel = true;
        }
        gui_draw_rect(c, rr, sel ? (gui_color){40, 70, 95, 255} : hot ? t->raised : t->pressed);
        if (sel)
            gui_draw_rect(c, (gui_rect){rr.x, rr.y, 4, rr.h}, t->accent);
        gui_draw_text(
            c, GUI_FONT_BOLD, rr.x + 10, rr.y + 3, sel ? t->accent : t->text,
            gui_fmt(c, "%s%s", sel ? "\xE2\x97\x8F " : "\xE2\x97\x8B ", sim_symptom_titles[k]), -1);
        gui_draw_text_in(c, GUI_FONT_SMALL, (gui_rect){rr.x + 26, rr.y + fh + 4, rr.w - 30, fs},
                         t->dim, gui_fmt(c, "likely: %s", causes), 0);
        gui_draw_text_in(c, GUI_FONT_SMALL,
                         (gui_rect){rr.x + 26, rr.y + fh + fs + 5, rr.w - 30, fs}, t->faint,
                         gui_fmt(c, "evidence: %s", gui_symptom_evidence[k]), 0);
        gui_tooltip(c, id, rr,
                    gui_fmt(c, "%s\nLikely causes: %s\nEvidence to look for: %s",
                            sim_symptom_titles[k], causes, gui_symptom_evidence[k]));
    }
    gui_space(c, 6);
    if (s->symptom >= 0) {
        gui_heading(c, gui_fmt(c, "Cause of \"%s\"", sim_symptom_titles[s->symptom]));
        gui_row(c, 2, NULL, 0);
        for (int f = 0; f < MLLM_FAULT_COUNT; f++) {
            if (sim_fault_symptom[f] != (sim_symptom)s->symptom)
                continue;
            if (gui_button_ex(
                    c, gui_fmt(c, "inc.cause.%s", mllm_fault_names[f]), gui_fault_titles[f],
                    s->cause == f ? GUI_SELECTED : 0,
                    gui_fmt(c, "Cause: %s (%s)", gui_fault_titles[f], mllm_fault_names[f])))
                s->cause = f;
        }
        gui_row(c, 1, NULL, 0);
        bool ready = s->cause >= 0;
        if (gui_button_ex(c, "inc.diagnose",
                          ready ? gui_fmt(c, "Record diagnosis: %s / %s",
                                          sim_symptom_names[s->symptom], mllm_fault_names[s->cause])
                                : "Pick a cause to record the diagnosis",
                          ready ? GUI_PRIMARY : GUI_DISABLED,
                          "Record the diagnosis in the incident (scored against what really "
                          "happened)"))
            gui_act(s, SIM_ACT_DIAGNOSE,
                    gui_fmt(c, "%s/%s", sim_symptom_names[s->symptom], mllm_fault_names[s->cause]));
    }
    const sim_action_rec *h;
    int nh = sim_drill_history(s->d, &h);
    bool any = false;
    for (int i = 0; i < nh; i++) {
        if (h[i].a.kind != SIM_ACT_DIAGNOSE)
            continue;
        if (!any)
            gui_heading(c, "Recorded");
        any = true;
        gui_row(c, 2, (int[]){70, 0}, 0);
        gui_label_ex(c, gui_t(c, h[i].requested), GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c, h[i].a.arg, GUI_FONT_BODY, t->text, 0);
    }
    gui_scroll_end(c);
}

static void timeline_card(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_card(c, r, "Incident timeline (newest first)");
    gui_rect b = gui_card_body(c, r);
    int n = 0;
    const sim_change_rec *ch;
    int nc = sim_drill_changes(s->d, &ch);
    for (int i = 0; i < nc && n < TL_MAX; i++)
        if (ch[i].visible)
            tl[n++] = (tl_ev){ch[i].t, 0, i, false};
    for (int i = 0; i < s->data.nev && n < TL_MAX; i++)
        tl[n++] = (tl_ev){s->data.ev[i].t, 1, i, s->data.ev[i].firing};
    const sim_action_rec *h;
    int nh = sim_drill_history(s->d, &h);
    for (int i = 0; i < nh && n < TL_MAX; i++) {
        if (strcmp(h[i].by, "trainer") == 0)
            continue;
        tl[n++] = (tl_ev){h[i].requested, 2, i, false};
        if (h[i].effective != SIM_TIME_NEVER && h[i].effective != h[i].requested && n < TL_MAX)
            tl[n++] = (tl_ev){h[i].effective, 3, i, false};
    }
    qsort(tl, (size_t)n, sizeof tl[0], tl_cmp);
    const sim_alerts *al = sim_drill_alerts(s->d);
    gui_scroll_begin(c, "inc.timeline", b);
    for (int k = 0; k < n; k++) {
        const tl_ev *e = &tl[k];
        gui_row(c, 2, (int[]){70, 0}, gui_font_height(c, GUI_FONT_BODY) + 4);
        gui_label_ex(c, gui_t(c, e->t), GUI_FONT_SMALL, t->dim, 0);
        char spec[140];
        switch (e->kind) {
        case 0:
            gui_label_ex(
                c,
                gui_fmt(c, "\xE2\x97\x86 %s: %s", mllm_change_names[ch[e->i].kind], ch[e->i].text),
                GUI_FONT_BODY, t->purple, 0);
            break;
        case 1:
            gui_label_ex(c,
                         gui_fmt(c, "%s %s",
                                 e->flag ? "\xE2\x96\xB2 FIRING" : "\xE2\x9C\x93 resolved",
                                 al->a[s->data.ev[e->i].alert].rule->id),
                         GUI_FONT_BODY, e->flag ? t->bad : t->ok, 0);
            break;
        case 2:
            sim_action_format(&h[e->i].a, spec, sizeof spec);
            gui_label_ex(c,
                         gui_fmt(c, "%s %s%s", h[e->i].by, spec,
                                 h[e->i].effective == h[e->i].requested
                                     ? (h[e->i].note[0] ? gui_fmt(c, " (%s)", h[e->i].note) : "")
                                     : " requested"),
                         GUI_FONT_BODY, h[e->i].a.kind <= SIM_ACT_FLUSH_CACHE ? t->accent : t->text,
                         0);
            break;
        default:
            sim_action_format(&h[e->i].a, spec, sizeof spec);
            gui_label_ex(c,
                         gui_fmt(c, "\xE2\x9C\x93 %s took effect%s%s", spec,
                                 h[e->i].note[0] ? ": " : "", h[e->i].note),
                         GUI_FONT_BODY, h[e->i].status < 0 ? t->bad : t->ok, 0);
            break;
        }
    }
    if (!n) {
        gui_row(c, 1, NULL, 0);
        gui_label_ex(c, "nothing yet", GUI_FONT_BODY, t->dim, 0);
    }
    gui_scroll_end(c);
}

void gui_panel_incident(gui_ctx *c, gui_state *s, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    int w1 = r.w * 28 / 100, w3 = r.w * 32 / 100;
    gui_rect left = gui_cut_left(&r, w1);
    gui_cut_left(&r, pad);
    gui_rect right = gui_cut_right(&r, w3);
    gui_cut_right(&r, pad);
    incident_card(c, s, left);
    diagnose_card(c, s, r);
    timeline_card(c, s, right);
}
