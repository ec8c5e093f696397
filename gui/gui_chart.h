/* gui_chart.h - line charts over drill time, drawn through the immediate-mode core.
 *
 * A chart is a plain description (series of floats at a fixed step, alert
 * thresholds, time markers for changes, actions or faults) that
 * gui_chart_draw turns into core commands: it knows nothing of the engine or
 * of SDL, so the same chart draws in a window, in a test, or offscreen into a
 * PNG (gui_sdl_draw_png) for a debrief report. Times are seconds since the
 * drill started; the x axis is labelled in drill minutes. */
#ifndef GUI_CHART_H
#define GUI_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "gui_ui.h"

#define GUI_CHART_SERIES 8
#define GUI_CHART_THRESH 4

/* How values are written on the axis and in hover text. */
typedef enum gui_vfmt_kind {
    GUI_VF_NUM,   /* 12.3 */
    GUI_VF_PCT,   /* share 0..1 as 12.3% */
    GUI_VF_MS,    /* 850 ms, 8.2 s */
    GUI_VF_USD,   /* $0.42 */
    GUI_VF_SCORE, /* 0.85 */
    GUI_VF_INT,   /* 1234 */
} gui_vfmt_kind;

typedef struct gui_series {
    const float *v; /* n values for t0, t0 + dt, ...; NaN is a gap */
    int n;
    gui_color color;
    const char *name; /* legend and hover text */
    bool thin;        /* 1 px instead of 2 */
} gui_series;

typedef struct gui_threshold {
    double v;
    gui_color color;
    const char *label; /* e.g. "alert > 8000 ms" */
} gui_threshold;

typedef struct gui_marker {
    double t; /* seconds */
    gui_color color;
    const char *glyph; /* one short mark drawn at the top, e.g. "A" */
    const char *tip;   /* shown when the mouse is on the marker */
    bool dashed;
} gui_marker;

typedef struct gui_chart {
    const char *id; /* widget id (hover, tooltips) */
    const char *title;
    const char *value; /* current value beside the title (NULL: none) */
    gui_color value_color;
    const char *badge; /* e.g. "FIRING" (NULL: none) */
    gui_color badge_color;
    const char *tip;     /* tooltip on the title */
    int fmt;             /* gui_vfmt */
    double t0, dt;       /* time of each series' v[0], and the step */
    double x_min, x_max; /* time range shown */
    int nseries;
    gui_series series[GUI_CHART_SERIES];
    int nthr;
    gui_threshold thr[GUI_CHART_THRESH];
    int nmarkers;
    const gui_marker *markers;
    double y_min, y_max; /* y_max <= y_min: automatic, from 0 */
    int axis_w;          /* least width of the y-axis labels (0: what they need); charts
                            stacked over one time axis give the same value, so that their
                            plots line up (see gui_chart_axis_width) */
} gui_chart;

/* Draws the chart in r. */
void gui_chart_draw(gui_ctx *c, gui_rect r, const gui_chart *ch);

/* Geometry, for callers that draw beside a chart or stack several over one
 * time axis. All three measure exactly as gui_chart_draw(c, r, ch) draws. */
/* Width the chart's y-axis labels need in r (ignoring ch->axis_w). */
int gui_chart_axis_width(gui_ctx *c, gui_rect r, const gui_chart *ch);
/* The plot area inside r: where series, thresholds and markers are drawn
 * (w == 0 when r is too small for axes). */
gui_rect gui_chart_plot_rect(gui_ctx *c, gui_rect r, const gui_chart *ch);
/* The pixel column of drill time t (seconds) in a plot showing [x_min, x_max]:
 * where a marker at t and a time tick at t are drawn. */
int gui_chart_x_of(gui_rect plot, double x_min, double x_max, double t);

/* Formats v in a gui_vfmt ("—" for NaN). */
void gui_fmt_value(char *buf, size_t n, double v, int fmt);
/* Formats drill seconds as "12:34", or "1:02:03" past an hour. */
void gui_fmt_clock(char *buf, size_t n, double seconds);

#endif
