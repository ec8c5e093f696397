/* sim_alerts.c - rule evaluation with pending/firing/resolved states. */
#include "sim_alerts.h"

#include <math.h>
#include <string.h>

const char *const sim_alert_state_names[] = {"ok", "pending", "firing", NULL};

void sim_alerts_init(sim_alerts *al, const sim_scenario *s, sim_alert_fn fn, void *ctx)
{
    memset(al, 0, sizeof *al);
    al->fn = fn;
    al->ctx = ctx;
    al->n = s->nalerts;
    for (int i = 0; i < s->nalerts; i++) {
        al->a[i].rule = &s->alerts[i];
        al->a[i].fired_at = SIM_TIME_NEVER;
        al->a[i].first_fired_at = SIM_TIME_NEVER;
        al->a[i].resolved_at = SIM_TIME_NEVER;
        al->a[i].value = NAN;
    }
}

void sim_alerts_eval(sim_alerts *al, const sim_metrics *m, sim_time now)
{
    for (int i = 0; i < al->n; i++) {
        sim_alert *a = &al->a[i];
        const sim_alert_rule *r = a->rule;
        double v;
        if (r->dim >= 0) {
            int minutes = (int)(r->window / SIM_MIN(1));
            v = sim_metrics_slice_value(m, r->metric, (sim_dim)r->dim, r->dim_value, now,
                                        minutes > 0 ? minutes : 1);
        } else {
            v = sim_metrics_value(m, r->metric, now, r->window);
        }
        a->value = v;
        if (isnan(v))
            continue;
        bool cond = r->above ? v > r->threshold : v < r->threshold;
        switch (a->state) {
        case SIM_ALERT_OK:
            if (cond) {
                a->state = SIM_ALERT_PENDING;
                a->pending_since = now;
            }
            break;
        case SIM_ALERT_PENDING:
            if (!cond)
                a->state = SIM_ALERT_OK;
            break;
        case SIM_ALERT_FIRING:
            if (!cond) {
                a->state = SIM_ALERT_OK;
                a->resolved_at = now;
                if (al->fn)
                    al->fn(al->ctx, now, i, a, false);
            }
            break;
        }
        if (a->state == SIM_ALERT_PENDING && now - a->pending_since >= r->for_) {
            a->state = SIM_ALERT_FIRING;
            a->fired_at = now;
            if (a->first_fired_at == SIM_TIME_NEVER)
                a->first_fired_at = now;
            a->acked = false;
            a->episodes++;
            if (al->fn)
                al->fn(al->ctx, now, i, a, true);
        }
    }
}

int sim_alerts_ack(sim_alerts *al, const char *id, sim_time now)
{
    int n = 0;
    bool all = strcmp(id, "*") == 0;
    for (int i = 0; i < al->n; i++) {
        sim_alert *a = &al->a[i];
        if ((all || strcmp(a->rule->id, id) == 0) && a->state == SIM_ALERT_FIRING && !a->acked) {
            a->acked = true;
            a->acked_at = now;
            n++;
        }
    }
    return n;
}

int sim_alerts_firing(const sim_alerts *al)
{
    int n = 0;
    for (int i = 0; i < al->n; i++)
        n += al->a[i].state == SIM_ALERT_FIRING;
    return n;
}

int sim_alerts_find(const sim_alerts *al, const char *id)
{
    for (int i = 0; i < al->n; i++)
        if (strcmp(al->a[i].rule->id, id) == 0)
            return i;
    return -1;
}
