/* gui_panels_alerts.c - alert rules (firing, pending, resolved; acknowledge),
 * the alert history, and the change log ("what changed recently").
 *
 * Decoy changes look like any other change here: only the trainer view marks
 * them. Ids: "al.ackall", "al.ack.<rule id>". */
#include <stdio.h>
#include <string.h>

#include "gui_panels.h"

static void alerts_table(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_alerts *al = sim_drill_alerts(s->d);
    gui_card(c, r, "Alert rules");
    gui_rect b = gui_card_body(c, r);
    gui_layout_begin(c, b);
    static const int cols[7] = {120, 0, -34, 90, 120, 70, 90};
    gui_row(c, 7, cols, gui_font_height(c, GUI_FONT_SMALL) + 6);
    const char *heads[7] = {"state", "alert", "condition", "now", "since", "episodes", ""};
    for (int i = 0; i < 7; i++)
        gui_label_ex(c, heads[i], GUI_FONT_SMALL, t->dim, 0);
    for (int a = 0; a < al->n; a++) {
        const sim_alert *x = &al->a[a];
        gui_row(c, 7, cols, 0);
        gui_color col = x->state == SIM_ALERT_FIRING    ? t->bad
                        : x->state == SIM_ALERT_PENDING ? t->warn
                                                        : t->ok;
        const char *st = x->state == SIM_ALERT_FIRING    ? "\xE2\x96\xB2 FIRING"
                         : x->state == SIM_ALERT_PENDING ? "\xE2\x97\x8B pending"
                         : x->episodes                   ? "\xE2\x9C\x93 resolved"
                                                         : "\xE2\x9C\x93 ok";
        gui_label_ex(c, st, GUI_FONT_BOLD, col, 0);
        gui_rect ir = gui_next(c);
        gui_draw_text_in(
            c, GUI_FONT_BODY, ir, t->text,
            gui_fmt(c, "%s  (%s)", x->rule->id, x->rule->severity == 1 ? "page" : "ticket"), 0);
        gui_tooltip(c, gui_id_of(c, gui_fmt(c, "al.desc.%d", a)), ir,
                    x->rule->description[0] ? x->rule->description : x->rule->id);
        gui_label_ex(c, gui_alert_cond(c, x->rule), GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c, gui_metric_str(c, x->rule->metric, x->value), GUI_FONT_BODY, col, 0);
        const char *since = x->state == SIM_ALERT_FIRING       ? gui_t(c, x->fired_at)
                            : x->state == SIM_ALERT_PENDING    ? gui_t(c, x->pending_since)
                            : x->resolved_at != SIM_TIME_NEVER ? gui_t(c, x->resolved_at)
                                                               : "";
        gui_label_ex(c, since, GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c, gui_fmt(c, "%d", x->episodes), GUI_FONT_SMALL, t->dim, 0);
        if (x->state == SIM_ALERT_FIRING && !x->acked) {
            if (gui_button_ex(c, gui_fmt(c, "al.ack.%s", x->rule->id), "Ack", 0,
                              "Acknowledge this alert: you are on it (counts as detection)"))
                gui_act(s, SIM_ACT_ACK, x->rule->id);
        } else {
            gui_label_ex(c, x->acked ? "acked" : "", GUI_FONT_SMALL, t->dim, 0);
        }
    }
    gui_space(c, 6);
    gui_row(c, 2, (int[]){220, 0}, 0);
    if (gui_button_ex(c, "al.ackall", "Acknowledge all firing (A)",
                      sim_alerts_firing(al) ? 0 : GUI_DISABLED,
                      "Acknowledge every firing alert at once"))
        gui_act(s, SIM_ACT_ACK, "*");
    gui_label_ex(c, "Conditions are evaluated every 10 s over the window shown.", GUI_FONT_SMALL,
                 t->dim, 0);
    gui_layout_end(c);
}

static void alert_history(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_alerts *al = sim_drill_alerts(s->d);
    gui_card(c, r, "Alert history");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "al.hist", b);
    int lh = gui_font_height(c, GUI_FONT_BODY) + 4;
    const gui_data *g = &s->data;
    for (int i = g->nev - 1; i >= 0; i--) {
        const gui_alert_event *e = &g->ev[i];
        gui_row(c, 3, (int[]){80, 110, 0}, lh);
        gui_label_ex(c, gui_t(c, e->t), GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c, e->firing ? "\xE2\x96\xB2 FIRING" : "\xE2\x9C\x93 resolved", GUI_FONT_BOLD,
                     e->firing ? t->bad : t->ok, 0);
        gui_label_ex(c, al->a[e->alert].rule->id, GUI_FONT_BODY, t->text, 0);
    }
    if (!g->nev) {
        gui_row(c, 1, NULL, lh);
        gui_label_ex(c, "no alert has fired yet", GUI_FONT_BODY, t->dim, 0);
    }
    gui_scroll_end(c);
}

static void change_log(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_card(c, r, "What changed recently (newest first)");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "al.changes", b);
    const sim_change_rec *ch;
    int nc = sim_drill_changes(s->d, &ch);
    int shown = 0;
    for (int i = nc - 1; i >= 0; i--) {
        if (!ch[i].visible && !s->trainer)
            continue;
        gui_row(c, 2, (int[]){80, 0}, gui_font_height(c, GUI_FONT_SMALL) + 4);
        gui_label_ex(c, gui_t(c, ch[i].t), GUI_FONT_SMALL, t->dim, 0);
        gui_color kc = ch[i].kind == MLLM_CHANGE_PROMPT_DEPLOY          ? t->purple
                       : ch[i].kind == MLLM_CHANGE_MODEL_ALIAS          ? t->accent
                       : ch[i].kind == MLLM_CHANGE_INDEX_REFRESH_FAILED ? t->warn
                                                                        : t->dim;
        gui_label_ex(c,
                     gui_fmt(c, "%s%s%s", mllm_change_names[ch[i].kind],
                             s->trainer && ch[i].decoy ? "  [decoy, trainer only]" : "",
                             s->trainer && !ch[i].visible ? "  [hidden from trainee]" : ""),
                     GUI_FONT_BOLD, kc, 0);
        gui_text(c, ch[i].text, GUI_FONT_BODY, ch[i].visible ? t->text : t->faint);
        gui_space(c, 4);
        shown++;
    }
    if (!shown) {
        gui_row(c, 1, NULL, 0);
        gui_label_ex(c, "no change recorded yet", GUI_FONT_BODY, t->dim, 0);
    }
    gui_scroll_end(c);
}

void gui_panel_alerts(gui_ctx *c, gui_state *s, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    gui_rect right = gui_cut_right(&r, r.w * 2 / 5);
    gui_cut_right(&r, pad);
    const sim_alerts *al = sim_drill_alerts(s->d);
    int row = gui_style_of(c)->row_h + gui_style_of(c)->spacing;
    int table_h = (al->n + 2) * row + 3 * row;
    if (table_h > r.h * 2 / 3)
        table_h = r.h * 2 / 3;
    gui_rect table = gui_cut_top(&r, table_h);
    gui_cut_top(&r, pad);
    alerts_table(c, s, table);
    alert_history(c, s, r);
    change_log(c, s, right);
}
