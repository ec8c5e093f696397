/* gui_app.h - the control panel application: window, event loop, pacing,
 * shortcuts, screenshots.
 *
 * The app owns the drill (built from a loaded scenario and world it borrows)
 * and the wall clock: it advances the drill with sim_pacer in steps of at
 * most 10 s of drill time, so every alert transition is seen, then redraws
 * only when something changed (a new 10 s point, an action, input, the
 * clock's half second, a tooltip due) and otherwise sleeps in
 * SDL_WaitEventTimeout, so an idle panel costs almost no CPU. The drill keeps
 * its pace while the GUI draws because its target time comes from the wall
 * clock, not from frames. With `offscreen` the app draws into a software
 * renderer on a surface: no window, no display (screenshots, tests). The
 * hooks below let tests and the benchmark drive it frame by frame. */
#ifndef GUI_APP_H
#define GUI_APP_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui_panels.h"
#include "gui_ui.h"
#include "sim_drill.h"

typedef struct gui_app_opts {
    const mllm_world *world;        /* borrowed; must outlive the app */
    const sim_scenario *scenario;   /* borrowed */
    const sim_responder *responder; /* borrowed, NULL: the trainee responds */
    const char *scenario_path;      /* for the event log's start line */
    const char *responder_path;
    const char *log_path;       /* event log, NULL: none */
    const char *postmortem_out; /* where the post-mortem form is saved */
    const char *theme_path;     /* colour overrides (assets/theme.json), NULL: none */
    bool trainer;               /* the trainer view (--trainer) */
    double speed;               /* drill seconds per wall second (1 .. 60) */
    int width, height;          /* window or surface size */
    bool offscreen;             /* draw into a surface: no window */
    bool software;              /* window: ask SDL for the software renderer */
} gui_app_opts;

typedef struct gui_app gui_app;

/* Creates the drill and the window (or surface). NULL with a message in err
 * (no display, no font, out of memory). */
gui_app *gui_app_new(const gui_app_opts *o, char *err, size_t errlen);
void gui_app_free(gui_app *a); /* NULL is a no-op */
/* Runs the interactive loop until the window closes. Returns 0. */
int gui_app_run(gui_app *a);

/* ---- hooks for screenshots, tests and the benchmark ------------------------------------- */

sim_drill *gui_app_drill(gui_app *a);
gui_state *gui_app_state(gui_app *a);
gui_ctx *gui_app_ui(gui_app *a);
/* Runs the drill as fast as possible to drill time t, syncing every 10 s. */
void gui_app_advance_to(gui_app *a, sim_time t);
/* Advances by the pacer to the wall time now (ns), at most budget_ms of work. */
void gui_app_pace(gui_app *a, uint64_t wall_ns, int budget_ms);
/* Handles every queued SDL event. Returns true when one asked for a redraw. */
bool gui_app_pump(gui_app *a);
/* Handles one event (as the loop does). */
bool gui_app_event(gui_app *a, const SDL_Event *e);
/* Builds, renders and presents one frame. */
void gui_app_frame(gui_app *a);
/* How the last frame's time split: building (panels and core), rendering
 * (the backend's draw calls), presenting (SDL_RenderPresent), in ms. */
void gui_app_frame_split(const gui_app *a, double *build, double *render, double *present);
/* Saves the last frame as PNG. Returns 0 or -1. */
int gui_app_save_png(gui_app *a, const char *path);
/* Sets the panel by its --panel name; false when there is no such panel. */
bool gui_app_set_panel(gui_app *a, const char *name);
/* Centre of widget `id` (as the panels name it) in the last frame. */
bool gui_app_widget_center(gui_app *a, const char *id, int *x, int *y);
/* Centre of the tab of panel p in the last frame. */
bool gui_app_tab_center(gui_app *a, int panel, int *x, int *y);
/* Centre of item i of the select `id` while it is open. */
bool gui_app_item_center(gui_app *a, const char *select_id, int i, int *x, int *y);
/* Text cache counters of the backend. */
void gui_app_text_stats(gui_app *a, long *hits, long *misses, int *textures);
/* SDL window id (0 offscreen), for synthetic events. */
uint32_t gui_app_window_id(gui_app *a);
/* Resizes the window or surface (as a window resize would). Returns 0 or -1. */
int gui_app_resize(gui_app *a, int w, int h);
/* Monotonic wall clock in ns. */
uint64_t gui_app_wall_ns(void);

#endif
