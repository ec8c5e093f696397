/* sim_score.c - response times and the 0..100 score. */
#include "sim_score.h"

#include <math.h>
#include <string.h>

#define SLOT SIM_SEC(10)

double sim_score_time(sim_time dt, bool reached, sim_time target)
{
    if (!reached)
        return 0;
    if (target == 0)
        return dt == 0 ? 1 : 0;
    if (dt <= target)
        return 1;
    double over = (double)(dt - target) / (3.0 * (double)target);
    return over >= 1 ? 0 : 1 - over;
}

/* Harm in the one-minute window ending at slot end (exclusive). */
static double window_harm(const sim_score_in *in, size_t end)
{
    double h = 0;
    for (size_t k = end >= 6 ? end - 6 : 0; k < end; k++)
        h += in->fault_harm[k];
    return h;
}

/* First slot s >= from such that every full minute window ending after s
 * stays within the threshold (and, with `no_blunt`, no blunt lever is on from
 * s on). Returns n + 1 when there is none. */
static size_t settled_from(const sim_score_in *in, size_t from, bool no_blunt)
{
    double thr = in->cfg->harm_threshold_per_min;
    size_t candidate = in->n + 1;
    /* Walk backwards: the suffix that stays good. */
    for (size_t s = in->n; s-- > from;) {
        bool ok = window_harm(in, s + 1) <= thr + 1e-9;
        if (no_blunt && in->blunt[s])
            ok = false;
        if (!ok)
            break;
        candidate = s;
    }
    if (candidate > in->n)
        return in->n + 1;
    /* The window ending at `candidate` may still hold older harm: move on
     * until the first window that contains only good slots. */
    return candidate;
}

void sim_score_compute(const sim_score_in *in, sim_score_out *out)
{
    memset(out, 0, sizeof *out);
    out->contain = out->mitigate = SIM_TIME_NEVER;
    out->detect_s = out->contain_s = out->diagnose_s = out->mitigate_s = -1;
    const sim_scoring *c = in->cfg;
    bool onset = in->onset != SIM_TIME_NEVER;
    sim_time on = onset ? in->onset : 0;

    if (onset && in->detect != SIM_TIME_NEVER && in->detect >= on)
        out->detect_s = (double)(in->detect - on) / 1e6;
    if (onset && in->first_lever != SIM_TIME_NEVER && in->n > 0) {
        size_t from = (size_t)(in->first_lever / SLOT);
        size_t s = settled_from(in, from, false);
        if (s <= in->n) {
            out->contain = (sim_time)s * SLOT;
            if (out->contain < in->first_lever)
                out->contain = in->first_lever;
            out->contain_s = (double)(out->contain - on) / 1e6;
        }
    }
    if (onset && in->diagnose != SIM_TIME_NEVER && in->diagnose >= on)
        out->diagnose_s = (double)(in->diagnose - on) / 1e6;
    if (onset && in->fix_effect != SIM_TIME_NEVER && in->n > 0) {
        size_t from = (size_t)(in->fix_effect / SLOT);
        size_t s = settled_from(in, from, true);
        if (s <= in->n) {
            out->mitigate = (sim_time)s * SLOT;
            if (out->mitigate < in->fix_effect)
                out->mitigate = in->fix_effect;
            out->mitigate_s = (double)(out->mitigate - on) / 1e6;
        }
    }
    out->part[SIM_PART_DETECT] = sim_score_time(in->detect - on, out->detect_s >= 0,
                                                c->target[SIM_PART_DETECT]);
    out->part[SIM_PART_CONTAIN] = sim_score_time(out->contain - on, out->contain_s >= 0,
                                                 c->target[SIM_PART_CONTAIN]);
    double dq = (in->symptom_correct ? 0.4 : 0) + (in->cause_correct ? 0.6 : 0);
    out->part[SIM_PART_DIAGNOSE] =
        dq * sim_score_time(in->diagnose - on, out->diagnose_s >= 0, c->target[SIM_PART_DIAGNOSE]);
    out->part[SIM_PART_MITIGATE] = sim_score_time(out->mitigate - on, out->mitigate_s >= 0,
                                                  c->target[SIM_PART_MITIGATE]);
    /* The budget is in minutes of harm to all traffic, so one scenario's
     * numbers mean the same at 5 or 500 requests/s. */
    double budget = (c->harm_budget > 0 ? c->harm_budget : 10) *
                    (in->mean_rate > 0 ? in->mean_rate * 60.0 : 1.0);
    out->part[SIM_PART_HARM] = onset ? exp(-(in->harm > 0 ? in->harm : 0) / budget) : 1;
    out->part[SIM_PART_POSTMORTEM] = in->postmortem_done ? (in->postmortem_eval_ok ? 1.0 : 0.5) : 0;
    if (!onset && !in->incident_ahead) {
        /* Nothing went wrong that anyone could respond to: full marks for the
         * response-time parts, so a quiet drill is not a failed one. (One
         * stopped before its incident did harm keeps them at 0.) */
        for (int p = SIM_PART_DETECT; p <= SIM_PART_MITIGATE; p++)
            out->part[p] = 1;
    }
    double total = 0;
    for (int p = 0; p < SIM_PART_COUNT; p++) {
        double v = out->part[p];
        if (!(v >= 0))
            v = 0;
        if (v > 1)
            v = 1;
        out->part[p] = v;
        double wgt = c->weight[p] >= 0 ? c->weight[p] : 0;
        out->points[p] = v * wgt;
        total += out->points[p];
    }
    out->penalty_levers = in->wrong_levers > 0 ? 2.0 * in->wrong_levers : 0;
    if (out->penalty_levers > 10)
        out->penalty_levers = 10;
    double outage_min = in->mean_rate > 0 ? (double)in->unavailable / (in->mean_rate * 60.0) : 0;
    out->penalty_availability = outage_min * 0.5;
    if (out->penalty_availability > 10)
        out->penalty_availability = 10;
    total -= out->penalty_levers + out->penalty_availability;
    if (!(total >= 0))
        total = 0;
    if (total > 100)
        total = 100;
    out->total = total;
}
