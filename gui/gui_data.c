/* gui_data.c - cached reads of the engine for the panels: chart rings, alert
 * transitions, change detection, time formatting.
 *
 * Every value here comes from an engine accessor (sim_metrics_value,
 * sim_drill_alerts, sim_drill_history, ...); nothing is simulated. */
#include "gui_data.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const sim_metric gui_series_metric[GUI_S_COUNT] = {
    [GUI_S_RATE] = SIM_M_REQUEST_RATE,     [GUI_S_ERRORS] = SIM_M_ERROR_RATE,
    [GUI_S_P50] = SIM_M_LATENCY_P50,       [GUI_S_P99] = SIM_M_LATENCY_P99,
    [GUI_S_REFUSALS] = SIM_M_REFUSAL_RATE, [GUI_S_QUALITY] = SIM_M_QUALITY,
    [GUI_S_COST] = SIM_M_COST_PER_MIN,     [GUI_S_CONTEXT] = SIM_M_CONTEXT_TOKENS,
    [GUI_S_CACHE] = SIM_M_CACHE_HIT_RATE,  [GUI_S_429] = SIM_M_RATE_429,
};

void gui_data_init(gui_data *g, const sim_drill *d)
{
    memset(g, 0, sizeof *g);
    g->d = d;
    for (int s = 0; s < GUI_S_COUNT; s++)
        for (int i = 0; i < GUI_RING; i++)
            g->v[s][i] = NAN;
    for (int a = 0; a < SIM_MAX_ALERTS; a++)
        g->resolved_at[a] = SIM_TIME_NEVER;
}

static int slot(sim_time end)
{
    return (int)((end / GUI_STEP) % GUI_RING);
}

static void push_event(gui_data *g, sim_time t, int alert, bool firing)
{
    if (g->nev == GUI_MAX_ALERT_EVENTS) {
        memmove(g->ev, g->ev + 1, sizeof g->ev[0] * (GUI_MAX_ALERT_EVENTS - 1));
        g->nev--;
    }
    g->ev[g->nev++] = (gui_alert_event){t, alert, firing};
}

bool gui_data_sync(gui_data *g)
{
    const sim_drill *d = g->d;
    bool changed = false;
    sim_time now = sim_drill_now(d);
    sim_time last = now - now % GUI_STEP;
    const sim_metrics *m = sim_drill_metrics(d);
    /* New complete buckets: evaluate each series once. */
    sim_time from = g->done;
    if (last > from + (sim_time)GUI_RING * GUI_STEP)
        from = last - (sim_time)GUI_RING * GUI_STEP;
    for (sim_time end = from + GUI_STEP; end <= last; end += GUI_STEP) {
        for (int s = 0; s < GUI_S_COUNT; s++) {
            double v = sim_metrics_value(m, gui_series_metric[s], end, SIM_MIN(1));
            g->v[s][slot(end)] = (float)v;
        }
        changed = true;
    }
    if (last > g->done)
        g->done = last;

    const sim_alerts *al = sim_drill_alerts(d);
    for (int a = 0; a < al->n && a < SIM_MAX_ALERTS; a++) {
        const sim_alert *x = &al->a[a];
        bool fired = x->episodes > g->episodes[a];
        bool resolved = x->resolved_at != g->resolved_at[a] && x->resolved_at != SIM_TIME_NEVER;
        if (fired && resolved && x->resolved_at < x->fired_at) {
            push_event(g, x->resolved_at, a, false);
            resolved = false;
        }
        if (fired)
            push_event(g, x->fired_at, a, true);
        if (resolved)
            push_event(g, x->resolved_at, a, false);
        changed |= fired || resolved || x->state == SIM_ALERT_PENDING;
        g->episodes[a] = x->episodes;
        g->resolved_at[a] = x->resolved_at;
    }

    const sim_action_rec *h;
    int nh = sim_drill_history(d, &h), pending = 0;
    for (int i = 0; i < nh; i++)
        pending += h[i].effective == SIM_TIME_NEVER;
    const sim_change_rec *ch;
    int nc = sim_drill_changes(d, &ch);
    size_t nt = sim_traces_count(sim_drill_traces(d));
    bool declared = sim_drill_incident_declared(d, NULL);
    bool resolved = sim_drill_resolved(d);
    if (nh != g->nhist || pending != g->npending || nc != g->nchanges || declared != g->declared ||
        resolved != g->resolved)
        changed = true;
    g->nhist = nh;
    g->npending = pending;
    g->nchanges = nc;
    g->ntraces = nt;
    g->declared = declared;
    g->resolved = resolved;
    if (changed)
        g->gen++;
    return changed;
}

float gui_data_point(const gui_data *g, int s, sim_time end)
{
    if (end == 0 || end > g->done || end % GUI_STEP != 0 ||
        g->done - end >= (sim_time)GUI_RING * GUI_STEP)
        return NAN;
    return g->v[s][slot(end)];
}

int gui_data_series(const gui_data *g, int s, sim_time from, sim_time to, float *out, int max)
{
    int n = 0;
    for (sim_time end = from + GUI_STEP; end <= to && n < max; end += GUI_STEP)
        out[n++] = gui_data_point(g, s, end);
    return n;
}

float gui_data_last(const gui_data *g, int s)
{
    return g->done ? gui_data_point(g, s, g->done) : NAN;
}

const char *gui_time_str(sim_time t, char *buf, size_t n)
{
    if (t == SIM_TIME_NEVER) {
        snprintf(buf, n, "--:--");
        return buf;
    }
    unsigned long long s = t / 1000000u;
    if (s >= 3600)
        snprintf(buf, n, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%02llu:%02llu", s / 60, s % 60);
    return buf;
}

const char *gui_calendar_str(const sim_scenario *sc, sim_time t, char *buf, size_t n)
{
    static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    uint64_t secs = (uint64_t)sc->start_second + t / 1000000u;
    int64_t day = sc->start_day + (int64_t)(secs / 86400);
    secs %= 86400;
    char date[11];
    mllm_date_format((int32_t)day, date);
    snprintf(buf, n, "%s %s %02u:%02u:%02u", wd[((day % 7) + 7) % 7], date, (unsigned)(secs / 3600),
             (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
    return buf;
}

void gui_action_eta(const sim_scenario *sc, const sim_action_rec *h, gui_pending *p)
{
    const sim_runbook *rb = &sc->runbook;
    p->approval_end = h->requested + (h->needs_approval ? rb->approval_takes : 0);
    p->eta = p->approval_end + rb->delay[h->a.kind];
}
