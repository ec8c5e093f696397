/* gui_chart.c - line charts: nice axis ticks, gaps, dashed thresholds, time
 * markers and a hover read-out, all as core drawing commands.
 *
 * Cost is O(points) per series with no allocation: points go through a
 * fixed stack buffer in runs between gaps. */
#include "gui_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN 512 /* points per polyline command */

void gui_fmt_value(char *buf, size_t n, double v, int fmt)
{
    if (isnan(v)) {
        snprintf(buf, n, "\xE2\x80\x94");
        return;
    }
    switch (fmt) {
    case GUI_VF_PCT:
        if (v != 0 && fabs(v) < 0.01)
            snprintf(buf, n, "%.2f%%", v * 100);
        else
            snprintf(buf, n, "%.1f%%", v * 100);
        break;
    case GUI_VF_MS:
        if (v >= 10000)
            snprintf(buf, n, "%.0f s", v / 1000);
        else if (v >= 1000)
            snprintf(buf, n, "%.1f s", v / 1000);
        else
            snprintf(buf, n, "%.0f ms", v);
        break;
    case GUI_VF_USD:
        snprintf(buf, n, v < 10 ? "$%.2f" : "$%.1f", v);
        break;
    case GUI_VF_SCORE:
        snprintf(buf, n, "%.2f", v);
        break;
    case GUI_VF_INT:
        snprintf(buf, n, "%.0f", v);
        break;
    default:
        if (fabs(v) >= 100)
            snprintf(buf, n, "%.0f", v);
        else if (fabs(v) >= 10)
            snprintf(buf, n, "%.1f", v);
        else
            snprintf(buf, n, "%.2f", v);
        break;
    }
}

void gui_fmt_clock(char *buf, size_t n, double seconds)
{
    if (seconds < 0 || isnan(seconds))
        seconds = 0;
    long s = (long)seconds;
    if (s >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%02ld:%02ld", s / 60, s % 60);
}

/* A tick step of 1, 2 or 5 x 10^k covering `range` in about `want` steps. */
static double nice_step(double range, int want)
{
    if (range <= 0 || want <= 0)
        return 1;
    double raw = range / want;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    double step = norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10;
    return step * mag;
}

static double time_step(double range, int px)
{
    static const double steps[] = {10,   30,   60,   120,   300,   600,  900,
                                   1800, 3600, 7200, 21600, 43200, 86400};
    int want = px / 90 > 1 ? px / 90 : 1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (range / steps[i] <= want)
            return steps[i];
    return 86400;
}

static void fmt_time_tick(char *buf, size_t n, double t)
{
    long s = (long)(t + 0.5);
    if (s % 60 != 0)
        snprintf(buf, n, "%ldm%02lds", s / 60, s % 60);
    else if (s >= 3600)
        snprintf(buf, n, "%ldh%02ld", s / 3600, s / 60 % 60);
    else
        snprintf(buf, n, "%ldm", s / 60);
}

static void data_range(const gui_chart *ch, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    bool any = false;
    for (int s = 0; s < ch->nseries; s++)
        for (int i = 0; i < ch->series[s].n; i++) {
            double v = ch->series[s].v[i];
            double t = ch->t0 + i * ch->dt;
            if (isnan(v) || t < ch->x_min || t > ch->x_max)
                continue;
            if (!any || v > *hi)
                *hi = v;
            if (v < *lo)
                *lo = v;
            any = true;
        }
    for (int k = 0; k < ch->nthr; k++) {
        if (ch->thr[k].v > *hi)
            *hi = ch->thr[k].v;
        if (ch->thr[k].v < *lo)
            *lo = ch->thr[k].v;
    }
    if (*hi <= *lo)
        *hi = *lo + (ch->fmt == GUI_VF_PCT ? 0.05 : 1);
    *hi += (*hi - *lo) * 0.12;
}

static void draw_series(gui_ctx *c, const gui_chart *ch, const gui_series *s, gui_rect p, double y0,
                        double y1)
{
    gui_point pts[RUN];
    int np = 0;
    /* The same time-to-x mapping as gui_chart_x_of: series and markers line up. */
    double xs = (p.w - 1) / (ch->x_max - ch->x_min), ys = p.h / (y1 - y0);
    for (int i = 0; i <= s->n; i++) {
        double v = i < s->n ? s->v[i] : NAN;
        double t = ch->t0 + i * ch->dt;
        bool in = i < s->n && !isnan(v) && t >= ch->x_min - ch->dt && t <= ch->x_max + ch->dt;
        if (in) {
            double yv = v < y0 ? y0 : v > y1 ? y1 : v;
            pts[np].x = (float)(p.x + (t - ch->x_min) * xs);
            pts[np].y = (float)(p.y + p.h - 1 - (yv - y0) * ys);
            np++;
        }
        if ((!in || np == RUN) && np > 0) {
            if (np == 1) {
                gui_draw_rect(c, (gui_rect){(int)pts[0].x - 1, (int)pts[0].y - 1, 3, 3}, s->color);
            } else {
                gui_draw_lines(c, pts, np, s->color);
                if (!s->thin) {
                    for (int k = 0; k < np; k++)
                        pts[k].y -= 1;
                    gui_draw_lines(c, pts, np, s->color);
                    for (int k = 0; k < np; k++)
                        pts[k].y += 1;
                }
            }
            if (np == RUN) { /* continue the line from the last point */
                pts[0] = pts[np - 1];
                np = 1;
            } else {
                np = 0;
            }
        }
    }
}

/* Where the parts of a chart go in r: the one computation gui_chart_draw and
 * gui_chart_plot_rect share, so that what a caller is told is what is drawn. */
typedef struct chart_geo {
    gui_rect in;         /* inside the padding */
    gui_rect head;       /* title, value, badge */
    gui_rect legend;     /* h == 0: no legend */
    gui_rect p;          /* the plot */
    double y0, y1, step; /* value range and tick step */
    int lw;              /* width of the y-axis labels */
    bool ok;             /* false: too small to draw axes */
} chart_geo;

static int axis_label_width(gui_ctx *c, const gui_chart *ch, double y0, double y1, double step)
{
    char lab[32];
    int lw = 0;
    for (double v = ceil(y0 / step) * step; v <= y1 + 1e-9; v += step) {
        gui_fmt_value(lab, sizeof lab, v, ch->fmt);
        int w = gui_text_width(c, GUI_FONT_SMALL, lab, -1);
        lw = w > lw ? w : lw;
    }
    return lw;
}

static void chart_geometry(gui_ctx *c, gui_rect r, const gui_chart *ch, chart_geo *g)
{
    const gui_style *st = gui_style_of(c);
    int fs = gui_font_height(c, GUI_FONT_SMALL), fb = gui_font_height(c, GUI_FONT_BOLD);
    memset(g, 0, sizeof *g);
    g->in = gui_inset(r, st->pad);
    if (g->in.w < 40 || g->in.h < 40)
        return;
    gui_rect in = g->in;
    g->head = gui_cut_top(&in, fb + 4);
    if (ch->nseries > 1)
        g->legend = gui_cut_top(&in, fs + 2);
    g->y0 = ch->y_min;
    g->y1 = ch->y_max;
    if (!(g->y1 > g->y0))
        data_range(ch, &g->y0, &g->y1);
    g->step = nice_step(g->y1 - g->y0, in.h > 160 ? 4 : 3);
    g->lw = axis_label_width(c, ch, g->y0, g->y1, g->step);
    if (ch->axis_w > g->lw)
        g->lw = ch->axis_w;
    g->p = in;
    gui_cut_left(&g->p, g->lw + 6);
    gui_cut_bottom(&g->p, fs + 4);
    gui_cut_right(&g->p, 4);
    gui_cut_top(&g->p, fs / 2);
    g->ok = g->p.w >= 20 && g->p.h >= 20 && ch->x_max > ch->x_min;
}

int gui_chart_axis_width(gui_ctx *c, gui_rect r, const gui_chart *ch)
{
    gui_chart probe = *ch;
    probe.axis_w = 0;
    chart_geo g;
    chart_geometry(c, r, &probe, &g);
    return g.lw;
}

gui_rect gui_chart_plot_rect(gui_ctx *c, gui_rect r, const gui_chart *ch)
{
    chart_geo g;
    chart_geometry(c, r, ch, &g);
    return g.ok ? g.p : (gui_rect){0, 0, 0, 0};
}

int gui_chart_x_of(gui_rect plot, double x_min, double x_max, double t)
{
    if (!(x_max > x_min))
        return plot.x;
    return plot.x + (int)((t - x_min) / (x_max - x_min) * (plot.w - 1));
}

void gui_chart_draw(gui_ctx *c, gui_rect r, const gui_chart *ch)
{
    const gui_theme *t = gui_theme_of(c);
    const gui_style *st = gui_style_of(c);
    int fs = gui_font_height(c, GUI_FONT_SMALL);
    gui_id id = gui_id_of(c, ch->id ? ch->id : ch->title);
    gui_draw_rect(c, r, t->panel);
    gui_draw_box(c, r, ch->badge ? ch->badge_color : t->border);
    chart_geo g;
    chart_geometry(c, r, ch, &g);
    gui_rect in = g.in;
    if (in.w < 40 || in.h < 40)
        return;

    /* Header: title, current value, badge, legend. */
    gui_rect head = g.head;
    int tw = gui_text_width(c, GUI_FONT_BOLD, ch->title, -1);
    gui_draw_text(c, GUI_FONT_BOLD, head.x, head.y, t->text, ch->title, -1);
    gui_tooltip(c, id ^ 0x77u, (gui_rect){head.x, head.y, tw, head.h}, ch->tip);
    int x = head.x + tw + st->pad * 2;
    if (ch->value) {
        gui_draw_text(c, GUI_FONT_BOLD, x, head.y, ch->value_color.a ? ch->value_color : t->text,
                      ch->value, -1);
        x += gui_text_width(c, GUI_FONT_BOLD, ch->value, -1) + st->pad * 2;
    }
    if (ch->badge) {
        int bw = gui_text_width(c, GUI_FONT_SMALL, ch->badge, -1) + 10;
        gui_rect br = {head.x + head.w - bw, head.y + 1, bw, fs + 2};
        gui_draw_rect(c, br, ch->badge_color);
        gui_draw_text_in(c, GUI_FONT_SMALL, br, (gui_color){255, 255, 255, 255}, ch->badge,
                         GUI_ALIGN_CENTER);
    }
    if (g.legend.h > 0) {
        gui_rect lg = g.legend;
        int lx = lg.x;
        for (int s = 0; s < ch->nseries; s++) {
            const char *nm = ch->series[s].name ? ch->series[s].name : "";
            gui_draw_rect(c, (gui_rect){lx, lg.y + fs / 2 - 1, 12, 3}, ch->series[s].color);
            gui_draw_text(c, GUI_FONT_SMALL, lx + 15, lg.y, t->dim, nm, -1);
            lx += 15 + gui_text_width(c, GUI_FONT_SMALL, nm, -1) + 12;
        }
    }

    /* Axes. */
    double y0 = g.y0, y1 = g.y1, ystep = g.step;
    char lab[32];
    int lw = g.lw;
    gui_rect p = g.p;
    if (!g.ok)
        return;
    /* The plot shares the card colour: another full fill would cost the software
       renderer a screen-sized write per frame. */
    for (double v = ceil(y0 / ystep) * ystep; v <= y1 + 1e-9; v += ystep) {
        int y = p.y + p.h - 1 - (int)((v - y0) / (y1 - y0) * (p.h - 1));
        gui_draw_rect(c, (gui_rect){p.x, y, p.w, 1}, t->raised);
        gui_fmt_value(lab, sizeof lab, v, ch->fmt);
        gui_draw_text_in(c, GUI_FONT_SMALL, (gui_rect){in.x, y - fs / 2, lw, fs}, t->dim, lab,
                         GUI_ALIGN_RIGHT);
    }
    double xrange = ch->x_max - ch->x_min;
    double xstep = time_step(xrange, p.w);
    for (double tt = ceil(ch->x_min / xstep) * xstep; tt <= ch->x_max + 1e-9; tt += xstep) {
        int xx = gui_chart_x_of(p, ch->x_min, ch->x_max, tt);
        gui_draw_rect(c, (gui_rect){xx, p.y, 1, p.h}, t->raised);
        gui_draw_rect(c, (gui_rect){xx, p.y + p.h, 1, 3}, t->faint);
        fmt_time_tick(lab, sizeof lab, tt);
        int w = gui_text_width(c, GUI_FONT_SMALL, lab, -1);
        int lx = xx - w / 2;
        if (lx < p.x - lw)
            lx = p.x - lw;
        if (lx + w > in.x + in.w)
            lx = in.x + in.w - w;
        gui_draw_text(c, GUI_FONT_SMALL, lx, p.y + p.h + 3, t->dim, lab, -1);
    }
    gui_draw_box(c, (gui_rect){p.x - 1, p.y - 1, p.w + 2, p.h + 2}, t->border);

    gui_push_clip(c, p);
    /* Markers under the data. */
    int mx, my;
    gui_mouse_pos(c, &mx, &my);
    const gui_marker *hover_marker = NULL;
    for (int i = 0; i < ch->nmarkers; i++) {
        const gui_marker *m = &ch->markers[i];
        if (m->t < ch->x_min || m->t > ch->x_max)
            continue;
        int xx = gui_chart_x_of(p, ch->x_min, ch->x_max, m->t);
        gui_color col = m->color;
        col.a = 200;
        if (m->dashed)
            gui_draw_vdash(c, xx, p.y, p.y + p.h, 4, 3, col);
        else
            gui_draw_rect(c, (gui_rect){xx, p.y, 1, p.h}, col);
        if (m->glyph) {
            int gw = gui_text_width(c, GUI_FONT_SMALL, m->glyph, -1);
            gui_rect gr = {xx - gw / 2 - 2, p.y, gw + 4, fs};
            gui_draw_rect(c, gr, m->color);
            gui_draw_text(c, GUI_FONT_SMALL, gr.x + 2, gr.y, t->on_accent, m->glyph, -1);
        }
        if (m->tip && abs(mx - xx) <= 3 && gui_mouse_over(c, p))
            hover_marker = m;
    }
    int used_y[GUI_CHART_THRESH], nused = 0;
    for (int k = 0; k < ch->nthr; k++) {
        const gui_threshold *th = &ch->thr[k];
        if (th->v < y0 || th->v > y1)
            continue;
        int y = p.y + p.h - 1 - (int)((th->v - y0) / (y1 - y0) * (p.h - 1));
        gui_draw_hdash(c, p.x, p.x + p.w, y, 6, 4, 2, th->color);
        if (th->label) {
            int w = gui_text_width(c, GUI_FONT_SMALL, th->label, -1);
            int ly = y - fs - 1 < p.y ? y + 2 : y - fs - 1;
            /* Labels of close thresholds stack instead of overlapping. */
            for (int u = 0; u < nused; u++)
                if (abs(used_y[u] - ly) < fs)
                    ly = used_y[u] + fs + 1;
            if (nused < GUI_CHART_THRESH)
                used_y[nused++] = ly;
            gui_draw_rect(c, (gui_rect){p.x + p.w - w - 6, ly, w + 4, fs}, t->bg);
            gui_draw_text(c, GUI_FONT_SMALL, p.x + p.w - w - 4, ly, th->color, th->label, -1);
        }
    }
    for (int s = 0; s < ch->nseries; s++)
        draw_series(c, ch, &ch->series[s], p, y0, y1);

    /* Hover: a crosshair and the values under it. */
    if (gui_mouse_over(c, p)) {
        double tm = ch->x_min + (double)(mx - p.x) / (p.w - 1) * xrange;
        int i = ch->dt > 0 ? (int)floor((tm - ch->t0) / ch->dt + 0.5) : -1;
        gui_draw_rect(c, (gui_rect){mx, p.y, 1, p.h}, t->dim);
        char clk[24];
        gui_fmt_clock(clk, sizeof clk, ch->t0 + i * ch->dt);
        char buf[512];
        size_t o = (size_t)snprintf(buf, sizeof buf, "T+%s", clk);
        for (int s = 0; s < ch->nseries && o < sizeof buf; s++) {
            const gui_series *se = &ch->series[s];
            double v = i >= 0 && i < se->n ? se->v[i] : NAN;
            gui_fmt_value(lab, sizeof lab, v, ch->fmt);
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\n%s: %s", se->name ? se->name : "",
                                  lab);
        }
        if (hover_marker && o < sizeof buf)
            snprintf(buf + o, sizeof buf - o, "\n%s", hover_marker->tip);
        gui_tooltip(c, id, p, gui_fmt(c, "%s", buf));
    }
    gui_pop_clip(c);
}
