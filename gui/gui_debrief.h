/* gui_debrief.h - the debrief plot of a finished (or killed) drill, read back
 * from its event log.
 *
 * The log's "minute" lines give the key metrics over the drill (the harm the
 * fault caused, which only the debrief shows, judge quality, error shares,
 * latency, and traffic or cost when there is room), its "fault", "alert" and
 * "action" lines the marks drawn across every chart; the scenario adds the
 * alert thresholds and the response-time targets, a result file (R.json) the
 * scored response times and the score. The plot is stacked gui_chart panels
 * over one time axis, an event lane with short labels above them, and bars
 * of the response times against their targets; gui_debrief_png renders it
 * offscreen with SDL's software renderer (no display needed).
 *
 * Ownership: gui_debrief_from_log copies what it needs from the lines and
 * the scenario; neither has to outlive the debrief. */
#ifndef GUI_DEBRIEF_H
#define GUI_DEBRIEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui_ui.h"
#include "sim_scenario.h"

#define GUI_DEBRIEF_PANELS  8     /* time charts at most */
#define GUI_DEBRIEF_MARKS   256   /* events kept; later ones are counted, not kept */
#define GUI_DEBRIEF_MAX_MIN 20160 /* minutes of metrics kept (two weeks) */
#define GUI_DEBRIEF_MIN_W   800   /* smallest picture that still reads */
#define GUI_DEBRIEF_MIN_H   500

typedef struct gui_debrief gui_debrief;

/* What a mark is; each kind has its colour (gui_debrief_layout.color). */
typedef enum gui_debrief_kind {
    GUI_DB_FAULT_START, /* a fault began (ground truth) */
    GUI_DB_FAULT_END,   /* a fault ended or the trainer cleared it (dashed) */
    GUI_DB_ALERT_FIRES,
    GUI_DB_ALERT_RESOLVES, /* dashed */
    GUI_DB_LEVER,          /* a lever took effect (kill switch, prompt, ...) */
    GUI_DB_STEP,           /* an incident step: ack, declare, diagnose, resolve */
    GUI_DB_CHANGE,         /* a visible change (listed, not drawn on the charts) */
    GUI_DB_KIND_COUNT
} gui_debrief_kind;

typedef struct gui_debrief_mark {
    double t;       /* seconds since the drill started */
    int kind;       /* gui_debrief_kind */
    int line;       /* 1-based line of the log it comes from */
    char label[40]; /* short, for the event lane: "kill on", "prompt v2", "diagnose" */
    char text[160]; /* the event in words, for the timeline list */
} gui_debrief_mark;

/* Response times, indexed by sim_score_part DETECT .. MITIGATE. */
#define GUI_DEBRIEF_TIMES (SIM_PART_MITIGATE + 1)
typedef struct gui_debrief_times {
    bool onset_known;                 /* a fault harmed users */
    bool scored;                      /* from a result file; else estimated from the log */
    double onset;                     /* seconds since the start (when onset_known) */
    double took[GUI_DEBRIEF_TIMES];   /* seconds from onset, < 0 never */
    double target[GUI_DEBRIEF_TIMES]; /* seconds, < 0 unknown */
    double score;                     /* 0..100; < 0 unknown */
} gui_debrief_times;

/* Where the last gui_debrief_draw put things: what a test or a caller needs
 * to find an event in the picture. */
typedef struct gui_debrief_layout {
    double x_min, x_max; /* drill seconds across every plot */
    int npanels;
    gui_rect panel[GUI_DEBRIEF_PANELS];       /* each chart's card */
    gui_rect plot[GUI_DEBRIEF_PANELS];        /* each chart's plot area (same x and w for all) */
    const char *panel_id[GUI_DEBRIEF_PANELS]; /* "harm", "judge", "errors", "latency", ... */
    gui_rect lane;                            /* the labelled event lane above the charts */
    gui_rect bars;                            /* the response-time bars */
    gui_rect list;                            /* the timeline list (w == 0: not drawn) */
    gui_color color[GUI_DB_KIND_COUNT];       /* each kind's mark colour (opaque) */
    int mark_alpha;                           /* marks are blended at this alpha over... */
    gui_color plot_bg;                        /* ...the plot's background */
} gui_debrief_layout;

/* Reads a drill's event log (lines as sim_log_read returns them). s (may be
 * NULL) is the scenario the log names: thresholds, targets, which levers
 * contain and fix. Returns a new debrief, or NULL with a message in err
 * ("line 3: ...") when the lines are not a firedrill event log or out of
 * memory. */
gui_debrief *gui_debrief_from_log(char **lines, long n, const sim_scenario *s, char *err,
                                  size_t errlen);
void gui_debrief_free(gui_debrief *db); /* NULL is a no-op */

/* Takes the scored response times, targets and score from a result file
 * (`firedrill run --out R.json`) of the same drill. Returns 0, or -EINVAL
 * with a message in err when the file is not a result, is of another
 * scenario, or its log_sha256 is not the log's digest; -errno when it
 * cannot be read. */
int gui_debrief_read_result(gui_debrief *db, const char *path, char *err, size_t errlen);

/* Read access. */
const gui_debrief_times *gui_debrief_times_of(const gui_debrief *db);
int gui_debrief_marks(const gui_debrief *db, const gui_debrief_mark **out); /* time order */
double gui_debrief_duration(const gui_debrief *db);                         /* seconds */
const char *gui_debrief_scenario(const gui_debrief *db);                    /* its id */

/* Draws the whole debrief in area. lo (may be NULL) receives the layout. No
 * allocation: everything goes through the core's frame buffers. */
void gui_debrief_draw(gui_ctx *c, gui_rect area, const gui_debrief *db, gui_debrief_layout *lo);

/* Renders the debrief at w x h (GUI_DEBRIEF_MIN_W x GUI_DEBRIEF_MIN_H ..
 * 8192 x 8192) offscreen and saves it as a PNG. theme_path
 * (may be NULL) is a theme file (assets/theme.json) over the built-in
 * palette. lo (may be NULL) receives the layout. Returns 0, or -1 with a
 * message in err (a bad theme, SDL or the font, the file). */
int gui_debrief_png(const gui_debrief *db, int w, int h, const char *theme_path, const char *path,
                    gui_debrief_layout *lo, char *err, size_t errlen);

/* The pixel column of drill time t (seconds) in every plot of the layout:
 * where the marks at t are drawn. */
int gui_debrief_x_of(const gui_debrief_layout *lo, double t);

#endif
