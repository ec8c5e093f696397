/* gui_panels_breakdown.c - which segment, query type, topic, prompt or model
 * version is affected, and what fraction.
 *
 * For one failure measure over the last N minutes, each dimension's values
 * are listed worst first with their share of traffic, their failure rate (a
 * bar against the overall rate) and their share of all failures. The harm
 * column is truth and shows in the trainer view only. Ids: "bd.measure",
 * "bd.window". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui_panels.h"

typedef struct measure {
    const char *name;
    int num, den;
} measure;

static const measure measures[] = {
    {"judged bad", SIM_BD_JUDGED_BAD, SIM_BD_JUDGED},
    {"errors", SIM_BD_ERRORS, SIM_BD_REQUESTS},
    {"refusals", SIM_BD_REFUSALS, SIM_BD_REQUESTS},
    {"slow (> 10 s)", SIM_BD_SLOW, SIM_BD_REQUESTS},
    {"empty or weak retrievals", SIM_BD_EMPTY, SIM_BD_REQUESTS},
};
static const char *const measure_names[] = {"judged bad", "errors", "refusals", "slow (> 10 s)",
                                            "empty or weak retrievals"};
static const char *const window_names[] = {"last 5 minutes", "last 15 minutes", "last 30 minutes",
                                           "last 60 minutes"};
static const int window_min[] = {5, 15, 30, 60};
static const char *const dim_titles[SIM_DIM_COUNT] = {
    "by region", "by plan",           "by client",       "by query type",
    "by topic",  "by prompt version", "by model version"};

static uint32_t counts[SIM_BD_SLOTS][SIM_BD_COUNT];

typedef struct row {
    int v;
    double rate;
} row;

static int row_cmp(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->rate != y->rate)
        return x->rate < y->rate ? 1 : -1;
    return x->v - y->v;
}

static void dim_card(gui_ctx *c, gui_state *s, sim_dim dim, gui_rect r, const measure *ms,
                     int minutes)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_metrics *m = sim_drill_metrics(s->d);
    gui_card(c, r, dim_titles[dim]);
    gui_rect b = gui_card_body(c, r);
    int nv = sim_metrics_breakdown(m, dim, sim_drill_now(s->d), minutes, counts, SIM_BD_SLOTS);
    uint64_t tot_req = 0, tot_num = 0, tot_den = 0;
    row rows[SIM_BD_SLOTS];
    int nr = 0;
    for (int v = 0; v < nv; v++) {
        tot_req += counts[v][SIM_BD_REQUESTS];
        tot_num += counts[v][ms->num];
        tot_den += counts[v][ms->den];
        if (counts[v][SIM_BD_REQUESTS] == 0)
            continue;
        double den = counts[v][ms->den];
        rows[nr].v = v;
        rows[nr].rate = den > 0 ? counts[v][ms->num] / den : -1;
        nr++;
    }
    qsort(rows, (size_t)nr, sizeof rows[0], row_cmp);
    double overall = tot_den ? (double)tot_num / (double)tot_den : 0;
    gui_scroll_begin(c, gui_fmt(c, "bd.card.%d", dim), b);
    int lh = gui_font_height(c, GUI_FONT_BODY) + 4;
    bool harm = s->trainer;
    int cols_t[6] = {0, 46, 44, -24, 46, 46};
    int ncol = harm ? 6 : 5;
    gui_row(c, ncol, cols_t, gui_font_height(c, GUI_FONT_SMALL) + 4);
    gui_label_ex(c, "value", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, "traffic", GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
    gui_label_ex(c, "n", GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
    gui_label_ex(c, ms->name, GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, "of all", GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
    if (harm)
        gui_label_ex(c, "harm", GUI_FONT_SMALL, t->purple, GUI_ALIGN_RIGHT);
    char nb[64];
    for (int i = 0; i < nr; i++) {
        int v = rows[i].v;
        uint32_t *k = counts[v];
        gui_row(c, ncol, cols_t, lh);
        bool hot = rows[i].rate >= 0 && k[ms->num] >= 3 && rows[i].rate >= 1.5 * overall &&
                   rows[i].rate > 0.02;
        const char *name = sim_dim_value_name(m, dim, v, nb, sizeof nb);
        gui_label_ex(c, gui_fmt(c, "%s%s", hot ? "\xE2\x96\xB2 " : "", name),
                     hot ? GUI_FONT_BOLD : GUI_FONT_BODY, hot ? t->warn : t->text, 0);
        gui_label_ex(c, gui_fmt(c, "%.0f%%", tot_req ? 100.0 * k[SIM_BD_REQUESTS] / tot_req : 0),
                     GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
        gui_label_ex(c, gui_fmt(c, "%u", k[ms->den]), GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
        gui_rect br = gui_next(c);
        double rate = rows[i].rate < 0 ? 0 : rows[i].rate;
        double scale = overall * 3 > 0.1 ? overall * 3 : 0.1;
        int bw = (int)((br.w - 50) * (rate > scale ? 1 : rate / scale));
        gui_draw_rect(c, (gui_rect){br.x, br.y + 3, br.w - 50, br.h - 6}, t->pressed);
        gui_draw_rect(c, (gui_rect){br.x, br.y + 3, bw, br.h - 6}, hot ? t->warn : t->accent);
        int ox = br.x + (int)((br.w - 50) * (overall / scale));
        gui_draw_rect(c, (gui_rect){ox, br.y + 1, 2, br.h - 2}, t->text);
        gui_draw_text_in(c, GUI_FONT_SMALL, (gui_rect){br.x + br.w - 48, br.y, 48, br.h}, t->text,
                         rows[i].rate < 0 ? "\xE2\x80\x94" : gui_fmt(c, "%.1f%%", rate * 100),
                         GUI_ALIGN_RIGHT);
        gui_tooltip(c, gui_id_of(c, gui_fmt(c, "bd.bar.%d.%d", dim, v)), br,
                    gui_fmt(c, "%s: %u of %u (%.1f%%); overall %.1f%% (white mark)", name,
                            k[ms->num], k[ms->den], rate * 100, overall * 100));
        gui_label_ex(c, gui_fmt(c, "%.0f%%", tot_num ? 100.0 * k[ms->num] / tot_num : 0),
                     GUI_FONT_SMALL, t->text, GUI_ALIGN_RIGHT);
        if (harm)
            gui_label_ex(c, gui_fmt(c, "%.0f", k[SIM_BD_HARM] / 10.0), GUI_FONT_SMALL, t->purple,
                         GUI_ALIGN_RIGHT);
    }
    if (!nr) {
        gui_row(c, 1, NULL, lh);
        gui_label_ex(c, "no complete minute yet", GUI_FONT_BODY, t->dim, 0);
    }
    gui_scroll_end(c);
}

void gui_panel_breakdown(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    int pad = gui_style_of(c)->pad;
    gui_rect top = gui_cut_top(&r, gui_style_of(c)->row_h + pad);
    gui_layout_begin(c, top);
    gui_row(c, 5, (int[]){90, 240, 60, 200, 0}, 0);
    gui_label_ex(c, "Failure:", GUI_FONT_BOLD, t->text, 0);
    gui_select(c, "bd.measure", measure_names, 5, &s->bd_measure, 0,
               "Which failure to break down. Judged bad is the sampling judge's verdict (noisy, "
               "a sample); the others count every request.");
    gui_label_ex(c, "over", GUI_FONT_BODY, t->dim, GUI_ALIGN_CENTER);
    gui_select(c, "bd.window", window_names, 4, &s->bd_window, 0,
               "Complete minutes before now that the breakdown covers");
    const measure *ms = &measures[s->bd_measure];
    uint32_t tot[SIM_BD_COUNT] = {0};
    int nv = sim_metrics_breakdown(sim_drill_metrics(s->d), SIM_DIM_REGION, sim_drill_now(s->d),
                                   window_min[s->bd_window], counts, SIM_BD_SLOTS);
    for (int v = 0; v < nv; v++)
        for (int k = 0; k < SIM_BD_COUNT; k++)
            tot[k] += counts[v][k];
    gui_label_ex(c,
                 gui_fmt(c,
                         "%u requests; %s overall %.1f%% (%u of %u). \xE2\x96\xB2 marks values "
                         "at 1.5x the overall rate or more.",
                         tot[SIM_BD_REQUESTS], ms->name,
                         tot[ms->den] ? 100.0 * tot[ms->num] / tot[ms->den] : 0.0, tot[ms->num],
                         tot[ms->den]),
                 GUI_FONT_SMALL, t->dim, 0);
    gui_layout_end(c);
    int cols = r.w >= 1500 ? 4 : 3, rows = (SIM_DIM_COUNT + cols - 1) / cols;
    int cw = (r.w - (cols - 1) * pad) / cols, chh = (r.h - (rows - 1) * pad) / rows;
    static const sim_dim order[SIM_DIM_COUNT] = {SIM_DIM_QTYPE, SIM_DIM_TOPIC,  SIM_DIM_PROMPT,
                                                 SIM_DIM_MODEL, SIM_DIM_REGION, SIM_DIM_PLAN,
                                                 SIM_DIM_CLIENT};
    for (int i = 0; i < SIM_DIM_COUNT; i++) {
        int col = i % cols, rw = i / cols;
        gui_rect cr = {r.x + col * (cw + pad), r.y + rw * (chh + pad), cw, chh};
        dim_card(c, s, order[i], cr, ms, window_min[s->bd_window]);
    }
}
