/* gui_panels_brief.c - the scenario's briefing and runbook, and the decision
 * table as a reference card. Trainer notes never show here (trainer panel). */
#include <stdio.h>
#include <string.h>

#include "gui_panels.h"

static void briefing_card(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_scenario *sc = s->sc;
    gui_card(c, r, "Briefing");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "brief.text", b);
    gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_TITLE) + 6);
    gui_label_ex(c, sc->title, GUI_FONT_TITLE, t->text, 0);
    char cal[48], dur[16];
    mllm_duration_format(sc->duration, dur, sizeof dur);
    gui_row(c, 1, NULL, 0);
    gui_label_ex(c,
                 gui_fmt(c, "%s \xC2\xB7 %s drill \xC2\xB7 starts %s \xC2\xB7 scenario %s",
                         sc->difficulty, dur, gui_calendar_str(sc, 0, cal, sizeof cal), sc->id),
                 GUI_FONT_SMALL, t->dim, 0);
    gui_space(c, 6);
    gui_text(c, sc->briefing ? sc->briefing : "", GUI_FONT_BODY, t->text);
    gui_space(c, 12);
    gui_heading(c, "The playbook");
    gui_text(c,
             "1. Contain first (first 10 minutes): kill switch or fallback. Wrong answers served "
             "to users are worse than no answers.\n"
             "2. Characterise: when did it start, which segment and what fraction, what failing "
             "requests look like (reproduce three), what changed.\n"
             "3. Diagnose with the decision table below.\n"
             "4. Mitigate fast and safely: roll back, switch model, disable a type or topic, "
             "disclaimer, reindex or restore, throttle or cap context. Each lever has a delay "
             "and side effects.\n"
             "5. Post-mortem: the five questions, and an eval case that would have caught it.",
             GUI_FONT_BODY, t->text);
    gui_space(c, 12);
    gui_heading(c, "Decision table");
    for (int k = 0; k < SIM_SYMPTOM_COUNT; k++) {
        char causes[256] = "";
        size_t o = 0;
        for (int f = 0; f < MLLM_FAULT_COUNT; f++)
            if (sim_fault_symptom[f] == (sim_symptom)k && o < sizeof causes)
                o += (size_t)snprintf(causes + o, sizeof causes - o, "%s%s", o ? "; " : "",
                                      gui_fault_titles[f]);
        gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_BOLD) + 4);
        gui_label_ex(c, sim_symptom_titles[k], GUI_FONT_BOLD, t->accent, 0);
        gui_text(c, gui_fmt(c, "causes: %s\nevidence: %s", causes, gui_symptom_evidence[k]),
                 GUI_FONT_SMALL, t->dim);
        gui_space(c, 4);
    }
    gui_scroll_end(c);
}

static void runbook_card(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_runbook *rb = &s->sc->runbook;
    gui_card(c, r, "Runbook");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "brief.runbook", b);
    char ap[16];
    mllm_duration_format(rb->approval_takes, ap, sizeof ap);
    gui_row(c, 2, (int[]){170, 0}, 0);
    gui_label_ex(c, "kill switch flag", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, rb->flag[0] ? rb->flag : "-", GUI_FONT_BODY, t->text, 0);
    gui_label_ex(c, "approver", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, rb->approver[0] ? gui_fmt(c, "%s (approval takes %s)", rb->approver, ap) : "-",
                 GUI_FONT_BODY, t->text, 0);
    char need[512] = "";
    size_t o = 0;
    for (int k = 0; k < SIM_ACT_COUNT && o < sizeof need; k++)
        if ((rb->needs_approval >> k) & 1u)
            o += (size_t)snprintf(need + o, sizeof need - o, "%s%s", o ? ", " : "",
                                  sim_action_names[k]);
    gui_label_ex(c, "needs approval", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, need[0] ? need : "nothing", GUI_FONT_BODY, t->warn, 0);
    if (rb->notes[0]) {
        gui_space(c, 6);
        gui_heading(c, "Notes");
        gui_text(c, rb->notes, GUI_FONT_BODY, t->text);
    }
    gui_space(c, 6);
    gui_heading(c, "How long each lever takes");
    gui_row(c, 4, (int[]){0, 70, 0, 70}, gui_font_height(c, GUI_FONT_BODY) + 4);
    for (int k = 0; k <= SIM_ACT_FLUSH_CACHE; k++) {
        char d[16];
        mllm_duration_format(rb->delay[k], d, sizeof d);
        gui_label_ex(c, sim_action_names[k], GUI_FONT_BODY, t->text, 0);
        gui_label_ex(c, gui_fmt(c, "%s%s", d, (rb->needs_approval >> k) & 1u ? " +A" : ""),
                     GUI_FONT_BODY, (rb->needs_approval >> k) & 1u ? t->warn : t->dim,
                     GUI_ALIGN_RIGHT);
    }
    gui_row(c, 1, NULL, 0);
    gui_label_ex(c, "+A: after the approval wait. Reindex: the job itself takes minutes more.",
                 GUI_FONT_SMALL, t->dim, 0);
    gui_space(c, 6);
    gui_heading(c, "Alert rules");
    const sim_alerts *al = sim_drill_alerts(s->d);
    for (int a = 0; a < al->n; a++) {
        gui_row(c, 2, (int[]){170, 0}, 0);
        gui_label_ex(c, al->a[a].rule->id, GUI_FONT_BODY, t->text, 0);
        gui_label_ex(c, gui_alert_cond(c, al->a[a].rule), GUI_FONT_SMALL, t->dim, 0);
    }
    gui_scroll_end(c);
}

void gui_panel_briefing(gui_ctx *c, gui_state *s, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    gui_rect right = gui_cut_right(&r, r.w * 45 / 100);
    gui_cut_right(&r, pad);
    briefing_card(c, s, r);
    runbook_card(c, s, right);
}
