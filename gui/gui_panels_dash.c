/* gui_panels_dash.c - the dashboard: eight live charts with alert thresholds,
 * markers for changes and actions, and a strip of firing alerts, recent
 * changes and actions in flight.
 *
 * Ids: "dash.ack" acknowledges every firing alert. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gui_panels.h"

typedef struct dash_chart {
    const char *id, *title, *tip;
    int s1, s2;
    const char *n1, *n2;
    int fmt;
    sim_metric m[3];
    int nm;
    double ymin, ymax;
} dash_chart;

static const dash_chart charts[8] = {
    {"dash.rate",
     "Request rate",
     "Requests per second served (1-minute window, 10 s steps)",
     GUI_S_RATE,
     -1,
     "req/s",
     NULL,
     GUI_VF_NUM,
     {SIM_M_REQUEST_RATE},
     1,
     0,
     0},
    {"dash.errors",
     "Error rate",
     "Share of requests answered with an error status (400, 429, 500, 503); 429s separately",
     GUI_S_ERRORS,
     GUI_S_429,
     "errors",
     "429s",
     GUI_VF_PCT,
     {SIM_M_ERROR_RATE, SIM_M_RATE_429},
     2,
     0,
     0},
    {"dash.latency",
     "Latency P50 / P99",
     "End-to-end latency percentiles (1-minute window)",
     GUI_S_P50,
     GUI_S_P99,
     "P50",
     "P99",
     GUI_VF_MS,
     {SIM_M_LATENCY_P50, SIM_M_LATENCY_P95, SIM_M_LATENCY_P99},
     3,
     0,
     0},
    {"dash.refusals",
     "Refusal rate",
     "Share of requests the model refused",
     GUI_S_REFUSALS,
     -1,
     "refusals",
     NULL,
     GUI_VF_PCT,
     {SIM_M_REFUSAL_RATE},
     1,
     0,
     0},
    {"dash.quality",
     "Judge quality",
     "Mean score of the sampling LLM judge (a noisy estimate over a sample of requests)",
     GUI_S_QUALITY,
     -1,
     "quality",
     NULL,
     GUI_VF_SCORE,
     {SIM_M_QUALITY},
     1,
     0,
     1},
    {"dash.cost",
     "Cost per minute",
     "Provider cost in USD per minute",
     GUI_S_COST,
     -1,
     "USD/min",
     NULL,
     GUI_VF_USD,
     {SIM_M_COST_PER_MIN},
     1,
     0,
     0},
    {"dash.context",
     "Mean context tokens",
     "Mean tokens sent to the model per request (system prompt, history, retrieved chunks)",
     GUI_S_CONTEXT,
     -1,
     "tokens",
     NULL,
     GUI_VF_INT,
     {SIM_M_CONTEXT_TOKENS},
     1,
     0,
     0},
    {"dash.cache",
     "Cache hit rate",
     "Share of requests answered from the response cache",
     GUI_S_CACHE,
     -1,
     "hits",
     NULL,
     GUI_VF_PCT,
     {SIM_M_CACHE_HIT_RATE},
     1,
     0,
     0},
};

static float series_buf[8][2][GUI_RING];

static void draw_chart(gui_ctx *c, gui_state *s, int k, gui_rect r, sim_time x_min, sim_time x_max)
{
    const gui_theme *t = gui_theme_of(c);
    const dash_chart *dc = &charts[k];
    const gui_data *g = &s->data;
    gui_chart ch;
    memset(&ch, 0, sizeof ch);
    ch.id = dc->id;
    ch.title = dc->title;
    ch.tip = dc->tip;
    ch.fmt = dc->fmt;
    ch.t0 = (double)(x_min + GUI_STEP) / 1e6;
    ch.dt = (double)GUI_STEP / 1e6;
    ch.x_min = (double)x_min / 1e6;
    ch.x_max = (double)x_max / 1e6;
    ch.y_min = dc->ymin;
    ch.y_max = dc->ymax;
    int sid[2] = {dc->s1, dc->s2};
    const char *names[2] = {dc->n1, dc->n2};
    char val[64] = "";
    size_t vo = 0;
    for (int i = 0; i < 2; i++) {
        if (sid[i] < 0)
            continue;
        int n = gui_data_series(g, sid[i], x_min, g->done, series_buf[k][i], GUI_RING);
        ch.series[ch.nseries++] =
            (gui_series){series_buf[k][i], n, t->series[i == 0 ? 0 : 1], names[i], false};
        char b[32];
        gui_fmt_value(b, sizeof b, gui_data_last(g, sid[i]), dc->fmt);
        vo += (size_t)snprintf(val + vo, sizeof val - vo, "%s%s%s%s", vo ? "  " : "",
                               dc->s2 >= 0 ? names[i] : "", dc->s2 >= 0 ? " " : "", b);
        if (vo >= sizeof val)
            vo = sizeof val - 1;
    }
    ch.value = gui_fmt(c, "%s", val);
    ch.value_color = t->series[0];
    /* Thresholds and state from the scenario's alert rules on these metrics. */
    const sim_alerts *al = sim_drill_alerts(s->d);
    int worst = SIM_ALERT_OK;
    for (int a = 0; a < al->n; a++) {
        const sim_alert_rule *rule = al->a[a].rule;
        bool mine = false;
        for (int m = 0; m < dc->nm; m++)
            mine |= rule->metric == dc->m[m];
        if (!mine)
            continue;
        if ((int)al->a[a].state > worst)
            worst = (int)al->a[a].state;
        if (ch.nthr < GUI_CHART_THRESH) {
            char b[32];
            gui_fmt_value(b, sizeof b, rule->threshold, dc->fmt);
            ch.thr[ch.nthr++] =
                (gui_threshold){rule->threshold, rule->severity == 1 ? t->bad : t->warn,
                                gui_fmt(c, "%s %s %s", rule->id, rule->above ? ">" : "<", b)};
        }
    }
    if (worst == SIM_ALERT_FIRING) {
        ch.badge = "\xE2\x96\xB2 FIRING";
        ch.badge_color = t->bad;
    } else if (worst == SIM_ALERT_PENDING) {
        ch.badge = "pending";
        ch.badge_color = t->warn;
    }
    ch.markers = s->markers;
    ch.nmarkers = s->nmarkers;
    gui_chart_draw(c, r, &ch);
}

static void strip_alerts(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_card(c, r, "Alerts");
    gui_rect b = gui_card_body(c, r);
    gui_layout_begin(c, b);
    const sim_alerts *al = sim_drill_alerts(s->d);
    int lh = gui_font_height(c, GUI_FONT_BODY) + 4, shown = 0;
    int room = (b.h - gui_style_of(c)->row_h) / lh - 1;
    for (int a = 0; a < al->n && shown < room; a++) {
        const sim_alert *x = &al->a[a];
        if (x->state == SIM_ALERT_OK)
            continue;
        bool fire = x->state == SIM_ALERT_FIRING;
        gui_row(c, 3, (int[]){110, 0, 90}, lh);
        gui_label_ex(c, fire ? "\xE2\x96\xB2 FIRING" : "\xE2\x97\x8B pending", GUI_FONT_BOLD,
                     fire ? t->bad : t->warn, 0);
        gui_label_ex(c,
                     gui_fmt(c, "%s  %s (now %s)", x->rule->id, x->acked ? "[acked]" : "",
                             gui_metric_str(c, x->rule->metric, x->value)),
                     GUI_FONT_BODY, t->text, 0);
        gui_label_ex(c, fire ? gui_t(c, x->fired_at) : gui_t(c, x->pending_since), GUI_FONT_SMALL,
                     t->dim, GUI_ALIGN_RIGHT);
        shown++;
    }
    if (!shown) {
        gui_row(c, 1, NULL, lh);
        gui_label_ex(c, "\xE2\x9C\x93 nothing firing", GUI_FONT_BODY, t->ok, 0);
    }
    gui_row(c, 2, (int[]){0, 190}, 0);
    gui_label_ex(c, gui_fmt(c, "%d rule%s", al->n, al->n == 1 ? "" : "s"), GUI_FONT_SMALL, t->dim,
                 0);
    if (gui_button_ex(c, "dash.ack", "Acknowledge all (A)",
                      sim_alerts_firing(al) ? 0 : GUI_DISABLED,
                      "Acknowledge every firing alert: tells the team someone is on it (this "
                      "counts as detection)"))
        gui_act(s, SIM_ACT_ACK, "*");
    gui_layout_end(c);
}

static void strip_changes(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_card(c, r, "What changed recently");
    gui_rect b = gui_card_body(c, r);
    gui_layout_begin(c, b);
    const sim_change_rec *ch;
    int nc = sim_drill_changes(s->d, &ch);
    int lh = gui_font_height(c, GUI_FONT_BODY) + 4, shown = 0, room = b.h / lh;
    for (int i = nc - 1; i >= 0 && shown < room; i--) {
        if (!ch[i].visible)
            continue;
        gui_row(c, 2, (int[]){70, 0}, lh);
        gui_label_ex(c, gui_t(c, ch[i].t), GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c, gui_fmt(c, "%s: %s", mllm_change_names[ch[i].kind], ch[i].text),
                     GUI_FONT_BODY, t->text, 0);
        shown++;
    }
    if (!shown) {
        gui_row(c, 1, NULL, lh);
        gui_label_ex(c, "no change recorded yet", GUI_FONT_BODY, t->dim, 0);
    }
    gui_layout_end(c);
}

static void strip_actions(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_card(c, r, "Actions in flight");
    gui_rect b = gui_card_body(c, r);
    gui_layout_begin(c, b);
    const sim_action_rec *h;
    int nh = sim_drill_history(s->d, &h);
    int lh = gui_font_height(c, GUI_FONT_BODY) + 4, shown = 0, room = b.h / lh;
    sim_time now = sim_drill_now(s->d);
    for (int i = nh - 1; i >= 0 && shown < room; i--) {
        if (h[i].effective != SIM_TIME_NEVER)
            continue;
        gui_pending p;
        gui_action_eta(s->sc, &h[i], &p);
        char spec[140];
        sim_action_format(&h[i].a, spec, sizeof spec);
        gui_row(c, 2, (int[]){0, 150}, lh);
        gui_label_ex(c, spec, GUI_FONT_BODY, t->warn, 0);
        gui_label_ex(
            c,
            now < p.approval_end
                ? "awaiting approval"
                : gui_fmt(c, "in %llus",
                          (unsigned long long)((p.eta > now ? p.eta - now : 0) / 1000000u)),
            GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
        shown++;
    }
    for (int i = nh - 1; i >= 0 && shown < room; i--) {
        if (h[i].effective == SIM_TIME_NEVER || strcmp(h[i].by, "trainer") == 0)
            continue;
        char spec[140];
        sim_action_format(&h[i].a, spec, sizeof spec);
        gui_row(c, 2, (int[]){0, 150}, lh);
        gui_label_ex(c,
                     gui_fmt(c, "\xE2\x9C\x93 %s%s%s", spec, h[i].note[0] ? " \xE2\x80\x94 " : "",
                             h[i].note),
                     GUI_FONT_BODY, h[i].status < 0 ? t->bad : t->text, 0);
        gui_label_ex(c, gui_t(c, h[i].effective), GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
        shown++;
    }
    if (!shown) {
        gui_row(c, 1, NULL, lh);
        gui_label_ex(c, "no action yet (levers: Controls panel, 5)", GUI_FONT_BODY, t->dim, 0);
    }
    gui_layout_end(c);
}

void gui_panel_dashboard(gui_ctx *c, gui_state *s, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    int strip_h = r.h / 4;
    if (strip_h < 150)
        strip_h = 150;
    if (strip_h > 240)
        strip_h = 240;
    gui_rect strip = gui_cut_bottom(&r, strip_h);
    gui_cut_bottom(&r, pad);
    int cols = r.w >= 1100 ? 4 : 2, rows = 8 / cols;
    sim_time done = s->data.done;
    sim_time x_min = done > SIM_MIN(60) ? done - SIM_MIN(60) : 0;
    sim_time x_max = done > x_min + SIM_MIN(15) ? done : x_min + SIM_MIN(15);
    int cw = (r.w - (cols - 1) * pad) / cols, chh = (r.h - (rows - 1) * pad) / rows;
    for (int k = 0; k < 8; k++) {
        int col = k % cols, row = k / cols;
        gui_rect cr = {r.x + col * (cw + pad), r.y + row * (chh + pad), cw, chh};
        draw_chart(c, s, k, cr, x_min, x_max);
    }
    int w3 = (strip.w - 2 * pad) / 3;
    strip_alerts(c, s, (gui_rect){strip.x, strip.y, w3, strip.h});
    strip_changes(c, s, (gui_rect){strip.x + w3 + pad, strip.y, w3, strip.h});
    strip_actions(c, s,
                  (gui_rect){strip.x + 2 * (w3 + pad), strip.y, strip.w - 2 * (w3 + pad), strip.h});
}
