/* sim_alerts.h - alert rules that fire and resolve like a real monitor's.
 *
 * Each rule is evaluated at every 10 s tick over its window; a rule whose
 * condition holds for its for-duration fires, and resolves when it stops
 * holding. A missing value (no data, e.g. nothing judged) keeps the state.
 * Acknowledging is per firing episode. Transitions are reported through a
 * callback so that the drill can log them and trigger responder steps. */
#ifndef SIM_ALERTS_H
#define SIM_ALERTS_H

#include "sim_metrics.h"
#include "sim_scenario.h"

typedef enum sim_alert_state { SIM_ALERT_OK, SIM_ALERT_PENDING, SIM_ALERT_FIRING } sim_alert_state;
extern const char *const sim_alert_state_names[];

typedef struct sim_alert {
    const sim_alert_rule *rule;  /* borrowed from the scenario */
    sim_alert_state state;
    sim_time pending_since;
    sim_time fired_at;           /* last firing start; SIM_TIME_NEVER if never */
    sim_time first_fired_at;     /* first firing start; SIM_TIME_NEVER if never */
    sim_time resolved_at;        /* last resolve; SIM_TIME_NEVER if never */
    bool acked;                  /* acknowledged during the current/last episode */
    sim_time acked_at;
    int episodes;                /* times it fired */
    double value;                /* last evaluated value (NaN: no data) */
} sim_alert;

typedef void (*sim_alert_fn)(void *ctx, sim_time t, int index, const sim_alert *a, bool firing);

typedef struct sim_alerts {
    int n;
    sim_alert a[SIM_MAX_ALERTS];
    sim_alert_fn fn;
    void *ctx;
} sim_alerts;

void sim_alerts_init(sim_alerts *al, const sim_scenario *s, sim_alert_fn fn, void *ctx);
/* Evaluates every rule at `now` (a 10 s boundary). */
void sim_alerts_eval(sim_alerts *al, const sim_metrics *m, sim_time now);
/* Acknowledges alert `id` ("*" = every firing one). Returns how many. */
int sim_alerts_ack(sim_alerts *al, const char *id, sim_time now);
int sim_alerts_firing(const sim_alerts *al);
int sim_alerts_find(const sim_alerts *al, const char *id); /* index or -1 */

#endif
