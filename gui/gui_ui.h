/* gui_ui.h - the immediate-mode core of the control panel; it knows nothing of SDL.
 *
 * Each frame the caller feeds input (gui_input_*), calls gui_begin(), runs
 * its widget code, and gui_end(); the frame's drawing is then a list of
 * commands (filled rect, text, clip, polyline) that a backend walks
 * with gui_cmd_next(); plus single pixels, so a dashed line is one command). The
 * backend also lends a text measuring function. All
 * memory (commands, the frame's text and points, widget state) is allocated
 * once by gui_ctx_new: a frame never allocates, and when a fixed buffer is
 * full the frame degrades (text or lines dropped, counted in gui_stats)
 * rather than failing. The model is microui; the API is ours. */
#ifndef GUI_UI_H
#define GUI_UI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUI_MAX_CMDS    16384  /* commands per frame */
#define GUI_TEXT_ARENA  262144 /* bytes of text per frame */
#define GUI_MAX_POINTS  32768  /* polyline points per frame */
#define GUI_MAX_STATES  256    /* widgets with memory (scroll regions) */
#define GUI_MAX_WIDGETS 4096   /* widget rects recorded per frame (gui_widget_rect) */
#define GUI_MAX_COLS    16
#define GUI_STACK       16

typedef uint32_t gui_id;

typedef struct gui_rect {
    int x, y, w, h;
} gui_rect;

typedef struct gui_color {
    uint8_t r, g, b, a;
} gui_color;

typedef struct gui_point {
    float x, y;
} gui_point;

/* Fonts the backend provides; the core only passes the number through. */
typedef enum gui_font {
    GUI_FONT_BODY,
    GUI_FONT_SMALL,
    GUI_FONT_BOLD,
    GUI_FONT_MONO,
    GUI_FONT_TITLE,
    GUI_FONT_COUNT
} gui_font;

typedef enum gui_cmd_type {
    GUI_CMD_RECT,
    GUI_CMD_TEXT,
    GUI_CMD_CLIP,
    GUI_CMD_LINES, /* a polyline through pts */
    GUI_CMD_POINTS /* single pixels (dashed and dotted lines in one command) */
} gui_cmd_type;

typedef struct gui_cmd {
    uint8_t type;  /* gui_cmd_type */
    uint8_t font;  /* TEXT */
    uint8_t layer; /* 0 page, 1 popups and modals, 2 tooltip */
    gui_color color;
    gui_rect rect;        /* RECT: area; CLIP: clip (w < 0: none); TEXT: top-left in x, y */
    const char *text;     /* TEXT: bytes in the frame's arena (not NUL-terminated) */
    int len;              /* TEXT: bytes; LINES, POINTS: points */
    const gui_point *pts; /* LINES, POINTS: points in the frame's arena */
} gui_cmd;

/* Keys the core understands (bits of a mask). */
enum {
    GUI_KEY_BACKSPACE = 1 << 0,
    GUI_KEY_DELETE = 1 << 1,
    GUI_KEY_LEFT = 1 << 2,
    GUI_KEY_RIGHT = 1 << 3,
    GUI_KEY_UP = 1 << 4,
    GUI_KEY_DOWN = 1 << 5,
    GUI_KEY_HOME = 1 << 6,
    GUI_KEY_END = 1 << 7,
    GUI_KEY_ENTER = 1 << 8,
    GUI_KEY_ESCAPE = 1 << 9,
    GUI_KEY_TAB = 1 << 10,
    GUI_KEY_PAGEUP = 1 << 11,
    GUI_KEY_PAGEDOWN = 1 << 12,
};
enum { GUI_MOD_SHIFT = 1, GUI_MOD_CTRL = 2 };
enum { GUI_MOUSE_LEFT = 1, GUI_MOUSE_RIGHT = 2 };

/* Widget options. */
enum {
    GUI_DISABLED = 1 << 0,  /* drawn dim, ignores input, still shows its tooltip */
    GUI_PRIMARY = 1 << 1,   /* the panel's main action */
    GUI_DANGER = 1 << 2,    /* blunt or irreversible */
    GUI_SELECTED = 1 << 3,  /* drawn as chosen (segmented buttons) */
    GUI_MULTILINE = 1 << 4, /* textbox: wraps, Enter inserts a newline */
    GUI_NUMERIC = 1 << 5,   /* textbox: digits, '.' and '-' only */
    GUI_ALIGN_RIGHT = 1 << 6,
    GUI_ALIGN_CENTER = 1 << 7,
};
/* Results of a textbox. */
enum { GUI_RES_CHANGE = 1, GUI_RES_SUBMIT = 2 };

/* The palette. Series colours are Okabe-Ito (colour-blind safe); states are
 * never told by colour alone (every state also has a word or a glyph). */
typedef struct gui_theme {
    gui_color bg, panel, raised, hover, pressed, border, text, dim, faint;
    gui_color accent; /* sky blue: focus, selection, links */
    gui_color ok;     /* bluish green */
    gui_color warn;   /* orange */
    gui_color bad;    /* vermillion */
    gui_color info;   /* blue */
    gui_color purple; /* reddish purple */
    gui_color yellow;
    gui_color on_accent; /* text on accent fills */
    gui_color shade;     /* modal backdrop */
    gui_color series[8];
} gui_theme;

typedef struct gui_style {
    int pad;        /* inside controls */
    int spacing;    /* between cells and rows */
    int row_h;      /* default control height */
    int scrollbar;  /* width of a scroll bar */
    int tooltip_ms; /* hover time before a tooltip shows */
} gui_style;

/* Text measuring lent by the backend: width in pixels of s[0..len). */
typedef int (*gui_text_width_fn)(void *ud, int font, const char *s, int len);

/* Allocator hooks (like cJSON's): NULL members mean malloc/free. */
typedef struct gui_alloc {
    void *(*malloc_fn)(size_t n);
    void (*free_fn)(void *p);
} gui_alloc;

typedef struct gui_stats {
    int cmds, text_bytes, points, widgets;
    int dropped; /* commands or text refused because a buffer was full */
} gui_stats;

typedef struct gui_ctx gui_ctx;

/* ---- lifetime --------------------------------------------------------------------------- */

/* Creates a context (about 1.2 MB, one allocation through `a` or malloc).
 * `font_h` holds each font's line height. NULL when out of memory. */
gui_ctx *gui_ctx_new(const gui_alloc *a, gui_text_width_fn tw, void *tw_ud,
                     const int font_h[GUI_FONT_COUNT]);
void gui_ctx_free(gui_ctx *c); /* NULL is a no-op */
/* New line heights (after the backend changed its font size). */
void gui_set_font_heights(gui_ctx *c, const int font_h[GUI_FONT_COUNT]);
const gui_theme *gui_theme_of(const gui_ctx *c);
gui_theme *gui_theme_mut(gui_ctx *c);
const gui_style *gui_style_of(const gui_ctx *c);
int gui_font_height(const gui_ctx *c, int font);
int gui_text_width(const gui_ctx *c, int font, const char *s, int len); /* len < 0: strlen */

/* ---- input (between frames; events accumulate until the next gui_begin) ------------------ */

void gui_input_mousemove(gui_ctx *c, int x, int y);
void gui_input_mousedown(gui_ctx *c, int x, int y, int button);
void gui_input_mouseup(gui_ctx *c, int x, int y, int button);
void gui_input_scroll(gui_ctx *c, int dy); /* wheel notches, positive = up */
void gui_input_key(gui_ctx *c, int key, int mods);
void gui_input_text(gui_ctx *c, const char *utf8);
/* True while a text box has keyboard focus (the app then holds its shortcuts). */
bool gui_wants_keyboard(const gui_ctx *c);
void gui_set_focus(gui_ctx *c, gui_id id); /* 0 drops focus */
gui_id gui_focus(const gui_ctx *c);

/* ---- frames ----------------------------------------------------------------------------- */

/* Starts a frame of w x h pixels at time now_ms (any monotonic clock). */
void gui_begin(gui_ctx *c, int w, int h, uint32_t now_ms);
void gui_end(gui_ctx *c);
/* Walks the frame's commands in drawing order (page, popups, tooltip).
 * Start with *it = 0; returns false at the end. */
bool gui_cmd_next(const gui_ctx *c, int *it, const gui_cmd **out);
void gui_frame_stats(const gui_ctx *c, gui_stats *st);
/* Time (ms, the clock of gui_begin) at which the frame wants redrawing even
 * without input (a tooltip about to show), or 0. */
uint32_t gui_redraw_at(const gui_ctx *c);
/* True when the last frame consumed input that may change what is drawn
 * (a click, typing, a scroll): draw one more frame. */
bool gui_input_used(const gui_ctx *c);

/* ---- ids -------------------------------------------------------------------------------- */

gui_id gui_id_of(const gui_ctx *c, const char *s); /* hashed with the id stack */
gui_id gui_id_global(const char *s);               /* hashed as at the top level */
gui_id gui_tab_id(const char *tabs_id, int i);     /* id of tab i of gui_tabs */
void gui_push_id(gui_ctx *c, int n);
void gui_push_id_str(gui_ctx *c, const char *s);
void gui_pop_id(gui_ctx *c);
/* Where the widget `id` was in the last complete frame (tests and shortcuts). */
bool gui_widget_rect(const gui_ctx *c, gui_id id, gui_rect *out);

/* ---- layout ----------------------------------------------------------------------------- */

gui_rect gui_rect_make(int x, int y, int w, int h);
gui_rect gui_cut_top(gui_rect *r, int h); /* removes and returns a strip */
gui_rect gui_cut_bottom(gui_rect *r, int h);
gui_rect gui_cut_left(gui_rect *r, int w);
gui_rect gui_cut_right(gui_rect *r, int w);
gui_rect gui_inset(gui_rect r, int d);
bool gui_rect_contains(gui_rect r, int x, int y);

/* Places widgets inside r (a panel area), top to bottom. */
void gui_layout_begin(gui_ctx *c, gui_rect r);
void gui_layout_end(gui_ctx *c);
/* Starts rows of n cells: widths > 0 are pixels, 0 shares what is left
 * equally, < 0 is a percentage of the row (-50 = half). height 0: the
 * default control height. Cells past the n-th wrap to a new row. */
void gui_row(gui_ctx *c, int n, const int *widths, int height);
gui_rect gui_next(gui_ctx *c);              /* the next cell */
void gui_space(gui_ctx *c, int h);          /* vertical gap */
int gui_layout_width(const gui_ctx *c);     /* width of the current layout body */
int gui_layout_y(const gui_ctx *c);         /* y of the next row */
gui_rect gui_layout_rect(const gui_ctx *c); /* the current layout body */

/* A scrolled region at r: content laid out between begin and end. */
void gui_scroll_begin(gui_ctx *c, const char *id, gui_rect r);
void gui_scroll_end(gui_ctx *c);
int gui_scroll_get(const gui_ctx *c, const char *id);
void gui_scroll_set(gui_ctx *c, const char *id, int y);
/* Reserves h pixels of content without drawing (virtual lists). */
void gui_skip(gui_ctx *c, int h);

/* ---- drawing (also for custom widgets such as charts) ------------------------------------ */

void gui_draw_rect(gui_ctx *c, gui_rect r, gui_color col);
void gui_draw_box(gui_ctx *c, gui_rect r, gui_color col); /* 1 px outline */
void gui_draw_text(gui_ctx *c, int font, int x, int y, gui_color col, const char *s, int len);
/* Text inside r, vertically centred, cut with an ellipsis when too wide. */
void gui_draw_text_in(gui_ctx *c, int font, gui_rect r, gui_color col, const char *s, int flags);
void gui_draw_lines(gui_ctx *c, const gui_point *pts, int n, gui_color col);
/* Dashed lines: `on` pixels drawn, `off` skipped, `thick` pixels wide. */
void gui_draw_hdash(gui_ctx *c, int x0, int x1, int y, int on, int off, int thick, gui_color col);
void gui_draw_vdash(gui_ctx *c, int x, int y0, int y1, int on, int off, gui_color col);
void gui_push_clip(gui_ctx *c, gui_rect r); /* intersected with the current clip */
void gui_pop_clip(gui_ctx *c);
gui_rect gui_clip(const gui_ctx *c);
/* A printf into the frame's arena (valid until the next gui_begin). */
const char *gui_fmt(gui_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *gui_vfmt(gui_ctx *c, const char *fmt, va_list ap);
/* Breaks text into lines no wider than w: calls fn(ud, start, len) for each.
 * Returns the number of lines. '\n' always breaks. */
int gui_wrap(const gui_ctx *c, int font, const char *s, int w,
             void (*fn)(void *ud, const char *start, int len), void *ud);

/* ---- interaction helpers for custom widgets --------------------------------------------- */

bool gui_mouse_over(const gui_ctx *c, gui_rect r);   /* in r, inside the clip, not blocked */
bool gui_clicked(gui_ctx *c, gui_id id, gui_rect r); /* pressed on r this frame (consumes) */
void gui_widget(gui_ctx *c, gui_id id, gui_rect r);  /* records a custom widget's rect */
void gui_mouse_pos(const gui_ctx *c, int *x, int *y);
int gui_keys(const gui_ctx *c); /* keys pressed this frame (bits) */
int gui_mods(const gui_ctx *c);
void gui_consume_keys(gui_ctx *c, int keys);
/* Shows tip beside the mouse after hovering r for the tooltip delay. */
void gui_tooltip(gui_ctx *c, gui_id id, gui_rect r, const char *tip);

/* ---- widgets (each records its rect under its id; tip may be NULL) ------------------------ */

/* Text in the next cell. */
void gui_label(gui_ctx *c, const char *text);
void gui_label_ex(gui_ctx *c, const char *text, int font, gui_color col, int flags);
void gui_labelf(gui_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A wrapped paragraph across the layout's width; returns its height. */
int gui_text(gui_ctx *c, const char *text, int font, gui_color col);
/* A section heading with a rule under it. */
void gui_heading(gui_ctx *c, const char *text);

/* Returns true when clicked. id NULL: the label is the id. */
bool gui_button(gui_ctx *c, const char *label, const char *tip);
bool gui_button_ex(gui_ctx *c, const char *id, const char *label, int flags, const char *tip);
/* A checkbox; returns true when the user flipped *on. */
bool gui_checkbox(gui_ctx *c, const char *id, const char *label, bool *on, int flags,
                  const char *tip);
/* An on/off switch showing its state in words; returns true when clicked
 * (it does not flip anything itself: levers change through the engine). */
bool gui_switch(gui_ctx *c, const char *id, const char *label, bool on, int flags, const char *tip);
/* A drop-down: returns true when *sel changed. */
bool gui_select(gui_ctx *c, const char *id, const char *const *items, int n, int *sel, int flags,
                const char *tip);
void gui_open_popup(gui_ctx *c, gui_id id);      /* opens a select from a shortcut */
gui_id gui_select_item_id(gui_id select, int i); /* id of item i of an open select */
/* A text field over buf (NUL-terminated, size bytes): GUI_RES_* bits. */
int gui_textbox(gui_ctx *c, const char *id, char *buf, size_t size, int flags, const char *tip);
/* The same with a dim placeholder shown while the field is empty and idle. */
int gui_textbox_ex(gui_ctx *c, const char *id, char *buf, size_t size, int flags,
                   const char *placeholder, const char *tip);
/* A horizontal slider; fmt formats the value (e.g. "%.0fx"). */
bool gui_slider(gui_ctx *c, const char *id, double *v, double lo, double hi, double step,
                const char *fmt, int flags, const char *tip);
/* A row of tabs across r; returns the tab clicked, or cur. */
int gui_tabs(gui_ctx *c, gui_rect r, const char *id, const char *const *labels, int n, int cur,
             const char *const *tips);
/* A selectable row of a list; returns true when clicked. */
bool gui_list_item(gui_ctx *c, const char *id, const char *text, bool selected, const char *tip);

/* A centred modal box of w x h: call begin, lay out its content, call end.
 * While a modal was open in the previous frame nothing outside it takes input. */
gui_rect gui_modal_begin(gui_ctx *c, const char *title, int w, int h);
void gui_modal_end(gui_ctx *c);
/* A confirmation modal: 1 confirmed (button or Enter), -1 cancelled (button
 * or Escape), 0 still open. */
int gui_confirm(gui_ctx *c, const char *title, const char *text, const char *ok_label,
                const char *tip);

#endif
