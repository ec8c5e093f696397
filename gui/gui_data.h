/* gui_data.h - what the panels read from the engine, kept up to date cheaply.
 *
 * The GUI computes nothing the engine does not: this module only caches
 * reads. Chart series are the trainee's monitoring metrics evaluated once per
 * completed 10 s bucket (over the same one-minute window the alert rules
 * use) into fixed rings, so a frame copies floats instead of merging
 * histograms. Alert transitions (firing, resolved) are collected from the
 * alert states after every sync, because the engine keeps only the latest
 * episode. A generation counter tells the app when anything visible moved.
 * Call gui_data_sync at least every 10 s of drill time to see every alert
 * episode. No allocation: gui_data is a plain struct. */
#ifndef GUI_DATA_H
#define GUI_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_drill.h"

#define GUI_RING             360 /* 10 s points kept: the last hour */
#define GUI_STEP             SIM_SEC(10)
#define GUI_MAX_ALERT_EVENTS 512

/* The series the dashboard charts. */
typedef enum gui_series_id {
    GUI_S_RATE,
    GUI_S_ERRORS,
    GUI_S_P50,
    GUI_S_P99,
    GUI_S_REFUSALS,
    GUI_S_QUALITY,
    GUI_S_COST,
    GUI_S_CONTEXT,
    GUI_S_CACHE,
    GUI_S_429,
    GUI_S_COUNT
} gui_series_id;
extern const sim_metric gui_series_metric[GUI_S_COUNT];

typedef struct gui_alert_event {
    sim_time t;
    int alert;   /* index in sim_alerts */
    bool firing; /* false: resolved */
} gui_alert_event;

typedef struct gui_data {
    const sim_drill *d;
    float v[GUI_S_COUNT][GUI_RING];
    sim_time done; /* end of the newest computed point (a 10 s boundary) */
    int nev;
    gui_alert_event ev[GUI_MAX_ALERT_EVENTS];
    int episodes[SIM_MAX_ALERTS];
    sim_time resolved_at[SIM_MAX_ALERTS];
    uint64_t gen;                  /* bumps whenever something visible changed */
    int nhist, npending, nchanges; /* what the last sync saw */
    size_t ntraces;
    bool declared, resolved;
} gui_data;

void gui_data_init(gui_data *g, const sim_drill *d);
/* Catches up with the drill. Returns true when something visible changed. */
bool gui_data_sync(gui_data *g);
/* The point of series s for the 10 s bucket ending at `end`; NaN when none. */
float gui_data_point(const gui_data *g, int s, sim_time end);
/* Copies the points ending at from+10s .. to (10 s steps) into out (oldest
 * first, at most max). Returns the count; out[i] ends at from + (i+1)*10 s. */
int gui_data_series(const gui_data *g, int s, sim_time from, sim_time to, float *out, int max);
/* The newest complete value of series s (NaN when none). */
float gui_data_last(const gui_data *g, int s);

/* Formats drill time as "12:34" (or "1:02:03"). */
const char *gui_time_str(sim_time t, char *buf, size_t n);
/* Calendar time of drill time t ("Mon 30 Nov 09:12"). */
const char *gui_calendar_str(const sim_scenario *sc, sim_time t, char *buf, size_t n);

/* Pending actions: the ETA of an action not yet effective, split into the
 * approval wait and the roll-out (from the runbook). */
typedef struct gui_pending {
    sim_time eta;          /* absolute */
    sim_time approval_end; /* absolute; == requested when no approval */
} gui_pending;
void gui_action_eta(const sim_scenario *sc, const sim_action_rec *h, gui_pending *p);

#endif
