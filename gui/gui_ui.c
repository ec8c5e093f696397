/* gui_ui.c - the immediate-mode core: input latching, ids, layout, clip,
 * the command list and the widgets.
 *
 * Commands carry a layer (page, popups and modals, tooltip); gui_cmd_next()
 * walks the page first, so a popup drawn in the middle of the page still
 * lands on top. Input that reaches a widget is "consumed" so that one click
 * fires one widget; popups and modals block the page beneath them using the
 * rectangle they covered in the previous frame. Nothing here allocates after
 * gui_ctx_new. */
#include "gui_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NLAYERS        3
#define MAX_WRAP_LINES 256

typedef struct lay {
    gui_rect body; /* x and w bound the cells; y is the content top */
    int x;         /* next cell's x */
    int row_y, row_h, next_y;
    int n, col; /* cells in the row spec, cells used in this row */
    int spec[GUI_MAX_COLS];
    int w[GUI_MAX_COLS]; /* resolved widths */
    int max_y;           /* lowest edge used */
    int state;           /* scroll state index, -1 when not a scroll region */
    gui_rect view;       /* the scroll region on screen */
} lay;

typedef struct wstate {
    gui_id id;
    uint32_t frame; /* last frame it was used */
    int scroll;
    int content; /* content height measured last frame */
} wstate;

typedef struct wrec {
    gui_id id;
    gui_rect r;
} wrec;

struct gui_ctx {
    gui_alloc alloc;
    gui_text_width_fn tw;
    void *tw_ud;
    int font_h[GUI_FONT_COUNT];
    gui_theme theme;
    gui_style style;
    int w, h;
    uint32_t now, frame;

    /* input accumulated since the last frame */
    int mx, my, mdown, in_pressed, in_released, in_wheel, in_keys, in_mods;
    bool in_moved, moved;
    char in_text[128];
    int in_text_len;
    /* input of this frame (consumed by widgets) */
    int pressed, released, wheel, keys, mods;
    char text[128];
    int text_len;
    bool used;

    gui_id active; /* widget holding the mouse (drag) */
    int drag_grab;
    gui_id focus; /* text box with the keyboard */
    bool focus_seen;
    size_t cursor; /* byte offset in the focused box */
    gui_id popup;  /* open select */
    bool popup_seen;
    int popup_hl; /* highlighted item (keyboard) */
    gui_rect popup_prev, popup_now;
    bool modal_prev, modal_now;
    bool in_popup, in_modal;
    int layer;

    gui_id hover_id, hover_now;
    uint32_t hover_since, redraw_at;
    const char *tip;
    int tip_x, tip_y;

    gui_rect clips[GUI_STACK];
    int nclip;
    gui_id ids[GUI_STACK];
    int nid;
    lay lays[GUI_STACK];
    int nlay;

    gui_cmd cmds[GUI_MAX_CMDS];
    int ncmd;
    bool layer_used[NLAYERS];
    gui_cmd reset_clip;
    char arena[GUI_TEXT_ARENA];
    int narena;
    gui_point pts[GUI_MAX_POINTS];
    int npts;
    int dropped;

    wrec wid[2][GUI_MAX_WIDGETS];
    int nwid[2];
    int wcur;  /* registry being written */
    int wlast; /* registry of the last complete frame */

    wstate st[GUI_MAX_STATES];
};

/* ---- small helpers ------------------------------------------------------------------------ */

static int imin(int a, int b)
{
    return a < b ? a : b;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

static gui_rect intersect(gui_rect a, gui_rect b)
{
    int x0 = imax(a.x, b.x), y0 = imax(a.y, b.y);
    int x1 = imin(a.x + a.w, b.x + b.w), y1 = imin(a.y + a.h, b.y + b.h);
    return (gui_rect){x0, y0, imax(0, x1 - x0), imax(0, y1 - y0)};
}

static bool overlaps(gui_rect a, gui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static gui_id fnv(gui_id h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static gui_color with_alpha(gui_color c, uint8_t a)
{
    c.a = a;
    return c;
}

/* Length in bytes of the UTF-8 sequence starting at s. */
static int u8len(const char *s)
{
    unsigned char b = (unsigned char)*s;
    if (b < 0x80)
        return 1;
    if ((b & 0xE0) == 0xC0)
        return 2;
    if ((b & 0xF0) == 0xE0)
        return 3;
    if ((b & 0xF8) == 0xF0)
        return 4;
    return 1;
}

static size_t u8prev(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* ---- lifetime ----------------------------------------------------------------------------- */

static void default_theme(gui_theme *t)
{
    *t = (gui_theme){
        .bg = {24, 26, 31, 255},
        .panel = {33, 36, 43, 255},
        .raised = {48, 52, 62, 255},
        .hover = {62, 67, 80, 255},
        .pressed = {40, 43, 52, 255},
        .border = {72, 78, 92, 255},
        .text = {232, 234, 238, 255},
        .dim = {160, 166, 178, 255},
        .faint = {100, 106, 120, 255},
        .accent = {86, 180, 233, 255},  /* Okabe-Ito sky blue */
        .ok = {0, 158, 115, 255},       /* bluish green */
        .warn = {230, 159, 0, 255},     /* orange */
        .bad = {213, 94, 0, 255},       /* vermillion */
        .info = {0, 114, 178, 255},     /* blue */
        .purple = {204, 121, 167, 255}, /* reddish purple */
        .yellow = {240, 228, 66, 255},
        .on_accent = {12, 16, 22, 255},
        .shade = {0, 0, 0, 150},
        .series = {{86, 180, 233, 255},
                   {230, 159, 0, 255},
                   {0, 158, 115, 255},
                   {240, 228, 66, 255},
                   {204, 121, 167, 255},
                   {213, 94, 0, 255},
                   {0, 114, 178, 255},
                   {200, 200, 200, 255}},
    };
}

void gui_set_font_heights(gui_ctx *c, const int font_h[GUI_FONT_COUNT])
{
    memcpy(c->font_h, font_h, sizeof c->font_h);
    int fh = font_h[GUI_FONT_BODY];
    c->style.pad = imax(4, fh / 3);
    c->style.spacing = imax(4, fh / 4);
    c->style.row_h = fh + 2 * imax(4, fh / 3);
    c->style.scrollbar = imax(8, fh / 2);
    c->style.tooltip_ms = 450;
}

gui_ctx *gui_ctx_new(const gui_alloc *a, gui_text_width_fn tw, void *tw_ud,
                     const int font_h[GUI_FONT_COUNT])
{
    gui_alloc al = {malloc, free};
    if (a && a->malloc_fn && a->free_fn)
        al = *a;
    gui_ctx *c = al.malloc_fn(sizeof *c);
    if (!c)
        return NULL;
    memset(c, 0, sizeof *c);
    c->alloc = al;
    c->tw = tw;
    c->tw_ud = tw_ud;
    default_theme(&c->theme);
    gui_set_font_heights(c, font_h);
    c->reset_clip.type = GUI_CMD_CLIP;
    c->reset_clip.rect = (gui_rect){0, 0, -1, -1};
    return c;
}

void gui_ctx_free(gui_ctx *c)
{
    if (c)
        c->alloc.free_fn(c);
}

const gui_theme *gui_theme_of(const gui_ctx *c)
{
    return &c->theme;
}

gui_theme *gui_theme_mut(gui_ctx *c)
{
    return &c->theme;
}

const gui_style *gui_style_of(const gui_ctx *c)
{
    return &c->style;
}

int gui_font_height(const gui_ctx *c, int font)
{
    return c->font_h[font];
}

int gui_text_width(const gui_ctx *c, int font, const char *s, int len)
{
    if (len < 0)
        len = (int)strlen(s);
    return len ? c->tw(c->tw_ud, font, s, len) : 0;
}

/* ---- input -------------------------------------------------------------------------------- */

void gui_input_mousemove(gui_ctx *c, int x, int y)
{
    if (x != c->mx || y != c->my)
        c->in_moved = true;
    c->mx = x;
    c->my = y;
}

void gui_input_mousedown(gui_ctx *c, int x, int y, int button)
{
    gui_input_mousemove(c, x, y);
    c->mdown |= button;
    c->in_pressed |= button;
}

void gui_input_mouseup(gui_ctx *c, int x, int y, int button)
{
    gui_input_mousemove(c, x, y);
    c->mdown &= ~button;
    c->in_released |= button;
}

void gui_input_scroll(gui_ctx *c, int dy)
{
    c->in_wheel += dy;
}

void gui_input_key(gui_ctx *c, int key, int mods)
{
    c->in_keys |= key;
    c->in_mods = mods;
}

void gui_input_text(gui_ctx *c, const char *utf8)
{
    size_t n = strlen(utf8);
    if (c->in_text_len + (int)n < (int)sizeof c->in_text) {
        memcpy(c->in_text + c->in_text_len, utf8, n);
        c->in_text_len += (int)n;
        c->in_text[c->in_text_len] = '\0';
    }
}

bool gui_wants_keyboard(const gui_ctx *c)
{
    return c->focus != 0;
}

void gui_set_focus(gui_ctx *c, gui_id id)
{
    c->focus = id;
    c->cursor = (size_t)-1; /* placed at the end on first draw */
}

gui_id gui_focus(const gui_ctx *c)
{
    return c->focus;
}

/* ---- commands ----------------------------------------------------------------------------- */

static gui_cmd *push_cmd(gui_ctx *c, int type)
{
    if (c->ncmd >= GUI_MAX_CMDS) {
        c->dropped++;
        return NULL;
    }
    gui_cmd *k = &c->cmds[c->ncmd++];
    memset(k, 0, sizeof *k);
    k->type = (uint8_t)type;
    k->layer = (uint8_t)c->layer;
    c->layer_used[c->layer] = true;
    return k;
}

static const char *push_text(gui_ctx *c, const char *s, int len)
{
    if (c->narena + len > GUI_TEXT_ARENA) {
        c->dropped++;
        return NULL;
    }
    char *p = c->arena + c->narena;
    memcpy(p, s, (size_t)len);
    c->narena += len;
    return p;
}

gui_rect gui_clip(const gui_ctx *c)
{
    return c->clips[c->nclip - 1];
}

static void emit_clip(gui_ctx *c)
{
    gui_cmd *k = push_cmd(c, GUI_CMD_CLIP);
    if (k)
        k->rect = gui_clip(c);
}

void gui_push_clip(gui_ctx *c, gui_rect r)
{
    if (c->nclip >= GUI_STACK) {
        c->dropped++;
        return;
    }
    c->clips[c->nclip] = intersect(gui_clip(c), r);
    c->nclip++;
    emit_clip(c);
}

/* A clip that ignores the page's clip (popups, modals, tooltips). */
static void push_clip_abs(gui_ctx *c, gui_rect r)
{
    if (c->nclip >= GUI_STACK) {
        c->dropped++;
        return;
    }
    c->clips[c->nclip++] = r;
    emit_clip(c);
}

void gui_pop_clip(gui_ctx *c)
{
    if (c->nclip > 1) {
        c->nclip--;
        emit_clip(c);
    }
}

void gui_draw_rect(gui_ctx *c, gui_rect r, gui_color col)
{
    if (r.w <= 0 || r.h <= 0 || col.a == 0 || !overlaps(r, gui_clip(c)))
        return;
    gui_cmd *k = push_cmd(c, GUI_CMD_RECT);
    if (k) {
        k->rect = r;
        k->color = col;
    }
}

void gui_draw_box(gui_ctx *c, gui_rect r, gui_color col)
{
    if (r.w <= 0 || r.h <= 0 || !overlaps(r, gui_clip(c)))
        return;
    /* One closed polyline: a software renderer pays per command, not per pixel. */
    float x0 = (float)r.x, y0 = (float)r.y, x1 = (float)(r.x + r.w - 1),
          y1 = (float)(r.y + r.h - 1);
    gui_point p[5] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
    gui_draw_lines(c, p, 5, col);
}

void gui_draw_text(gui_ctx *c, int font, int x, int y, gui_color col, const char *s, int len)
{
    if (len < 0)
        len = (int)strlen(s);
    if (len == 0)
        return;
    gui_rect clip = gui_clip(c);
    if (y >= clip.y + clip.h || y + c->font_h[font] <= clip.y || x >= clip.x + clip.w)
        return;
    const char *t = push_text(c, s, len);
    if (!t)
        return;
    gui_cmd *k = push_cmd(c, GUI_CMD_TEXT);
    if (k) {
        k->font = (uint8_t)font;
        k->rect = (gui_rect){x, y, 0, c->font_h[font]};
        k->color = col;
        k->text = t;
        k->len = len;
    }
}

/* Bytes of s[0..len) that fit in w pixels (whole UTF-8 characters). */
static int fit_bytes(const gui_ctx *c, int font, const char *s, int len, int w)
{
    int lo = 0;
    for (int i = 0; i < len;) {
        int n = u8len(s + i);
        if (i + n > len)
            break;
        if (gui_text_width(c, font, s, i + n) > w)
            break;
        i += n;
        lo = i;
    }
    return lo;
}

void gui_draw_text_in(gui_ctx *c, int font, gui_rect r, gui_color col, const char *s, int flags)
{
    int len = (int)strlen(s);
    int tw = gui_text_width(c, font, s, len);
    int y = r.y + (r.h - c->font_h[font]) / 2;
    if (tw > r.w) {
        static const char ell[] = "\xE2\x80\xA6"; /* … */
        int ew = gui_text_width(c, font, ell, 3);
        int keep = fit_bytes(c, font, s, len, r.w - ew);
        char buf[512];
        if (keep > (int)sizeof buf - 4)
            keep = (int)sizeof buf - 4;
        memcpy(buf, s, (size_t)keep);
        memcpy(buf + keep, ell, 3);
        gui_draw_text(c, font, r.x, y, col, buf, keep + 3);
        return;
    }
    int x = r.x;
    if (flags & GUI_ALIGN_RIGHT)
        x = r.x + r.w - tw;
    else if (flags & GUI_ALIGN_CENTER)
        x = r.x + (r.w - tw) / 2;
    gui_draw_text(c, font, x, y, col, s, len);
}

void gui_draw_lines(gui_ctx *c, const gui_point *pts, int n, gui_color col)
{
    if (n < 2)
        return;
    if (c->npts + n > GUI_MAX_POINTS) {
        c->dropped++;
        return;
    }
    gui_point *p = c->pts + c->npts;
    memcpy(p, pts, sizeof *pts * (size_t)n);
    c->npts += n;
    gui_cmd *k = push_cmd(c, GUI_CMD_LINES);
    if (k) {
        k->pts = p;
        k->len = n;
        k->color = col;
    }
}

static gui_point *push_points(gui_ctx *c, int n, gui_color col)
{
    if (n <= 0)
        return NULL;
    if (c->npts + n > GUI_MAX_POINTS) {
        c->dropped++;
        return NULL;
    }
    gui_cmd *k = push_cmd(c, GUI_CMD_POINTS);
    if (!k)
        return NULL;
    gui_point *p = c->pts + c->npts;
    c->npts += n;
    k->pts = p;
    k->len = n;
    k->color = col;
    return p;
}

void gui_draw_hdash(gui_ctx *c, int x0, int x1, int y, int on, int off, int thick, gui_color col)
{
    gui_rect clip = gui_clip(c);
    if (on <= 0 || off < 0 || thick <= 0 || y >= clip.y + clip.h || y + thick <= clip.y)
        return;
    x0 = imax(x0, clip.x);
    x1 = imin(x1, clip.x + clip.w);
    int n = 0;
    for (int x = x0; x < x1; x++)
        n += (x - x0) % (on + off) < on;
    gui_point *p = push_points(c, n * thick, col);
    if (!p)
        return;
    for (int t = 0; t < thick; t++)
        for (int x = x0; x < x1; x++)
            if ((x - x0) % (on + off) < on)
                *p++ = (gui_point){(float)x, (float)(y + t)};
}

void gui_draw_vdash(gui_ctx *c, int x, int y0, int y1, int on, int off, gui_color col)
{
    gui_rect clip = gui_clip(c);
    if (on <= 0 || off < 0 || x < clip.x || x >= clip.x + clip.w)
        return;
    y0 = imax(y0, clip.y);
    y1 = imin(y1, clip.y + clip.h);
    int n = 0;
    for (int y = y0; y < y1; y++)
        n += (y - y0) % (on + off) < on;
    gui_point *p = push_points(c, n, col);
    if (!p)
        return;
    for (int y = y0; y < y1; y++)
        if ((y - y0) % (on + off) < on)
            *p++ = (gui_point){(float)x, (float)y};
}

const char *gui_vfmt(gui_ctx *c, const char *fmt, va_list ap)
{
    int room = GUI_TEXT_ARENA - c->narena;
    if (room <= 1) {
        c->dropped++;
        return "";
    }
    char *p = c->arena + c->narena;
    int n = vsnprintf(p, (size_t)room, fmt, ap);
    if (n < 0)
        n = 0;
    if (n >= room)
        n = room - 1;
    c->narena += n + 1;
    return p;
}

const char *gui_fmt(gui_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = gui_vfmt(c, fmt, ap);
    va_end(ap);
    return s;
}

bool gui_cmd_next(const gui_ctx *c, int *it, const gui_cmd **out)
{
    const int span = GUI_MAX_CMDS + 1;
    for (;;) {
        int layer = *it / span, k = *it % span;
        if (layer >= NLAYERS)
            return false;
        if (k == 0) {
            (*it)++;
            if (!c->layer_used[layer]) {
                *it = (layer + 1) * span;
                continue;
            }
            *out = &c->reset_clip;
            return true;
        }
        if (k - 1 >= c->ncmd) {
            *it = (layer + 1) * span;
            continue;
        }
        (*it)++;
        if (c->cmds[k - 1].layer == layer) {
            *out = &c->cmds[k - 1];
            return true;
        }
    }
}

void gui_frame_stats(const gui_ctx *c, gui_stats *st)
{
    st->cmds = c->ncmd;
    st->text_bytes = c->narena;
    st->points = c->npts;
    st->widgets = c->nwid[c->wlast];
    st->dropped = c->dropped;
}

uint32_t gui_redraw_at(const gui_ctx *c)
{
    return c->redraw_at;
}

bool gui_input_used(const gui_ctx *c)
{
    return c->used;
}

/* ---- ids ---------------------------------------------------------------------------------- */

gui_id gui_id_global(const char *s)
{
    return fnv(2166136261u, s, strlen(s));
}

gui_id gui_id_of(const gui_ctx *c, const char *s)
{
    gui_id seed = c->nid ? c->ids[c->nid - 1] : 2166136261u;
    return fnv(seed, s, strlen(s));
}

gui_id gui_tab_id(const char *id, int i)
{
    gui_id h = fnv(gui_id_global(id), &i, sizeof i);
    return fnv(h, "tab", 3);
}

void gui_push_id(gui_ctx *c, int n)
{
    gui_id seed = c->nid ? c->ids[c->nid - 1] : 2166136261u;
    if (c->nid < GUI_STACK)
        c->ids[c->nid++] = fnv(seed, &n, sizeof n);
}

void gui_push_id_str(gui_ctx *c, const char *s)
{
    gui_id id = gui_id_of(c, s);
    if (c->nid < GUI_STACK)
        c->ids[c->nid++] = id;
}

void gui_pop_id(gui_ctx *c)
{
    if (c->nid > 0)
        c->nid--;
}

static void record(gui_ctx *c, gui_id id, gui_rect r)
{
    int k = c->wcur;
    if (c->nwid[k] < GUI_MAX_WIDGETS)
        c->wid[k][c->nwid[k]++] = (wrec){id, r};
}

void gui_widget(gui_ctx *c, gui_id id, gui_rect r)
{
    record(c, id, r);
}

bool gui_widget_rect(const gui_ctx *c, gui_id id, gui_rect *out)
{
    int k = c->wlast;
    for (int i = 0; i < c->nwid[k]; i++)
        if (c->wid[k][i].id == id) {
            *out = c->wid[k][i].r;
            return true;
        }
    return false;
}

/* ---- frames ------------------------------------------------------------------------------- */

void gui_begin(gui_ctx *c, int w, int h, uint32_t now_ms)
{
    c->w = w;
    c->h = h;
    c->now = now_ms;
    c->frame++;
    c->pressed = c->in_pressed;
    c->released = c->in_released;
    c->wheel = c->in_wheel;
    c->keys = c->in_keys;
    c->mods = c->in_mods;
    memcpy(c->text, c->in_text, sizeof c->text);
    c->text_len = c->in_text_len;
    c->used =
        c->pressed || c->released || c->wheel || c->keys || c->text_len || (c->active && c->mdown);
    c->moved = c->in_moved;
    c->in_moved = false;
    c->in_pressed = c->in_released = c->in_wheel = c->in_keys = 0;
    c->in_text_len = 0;
    c->in_text[0] = '\0';
    if (!(c->mdown & GUI_MOUSE_LEFT) && !(c->pressed & GUI_MOUSE_LEFT))
        c->active = 0;

    c->ncmd = 0;
    c->narena = 0;
    c->npts = 0;
    c->dropped = 0;
    memset(c->layer_used, 0, sizeof c->layer_used);
    c->layer = 0;
    c->nclip = 1;
    c->clips[0] = (gui_rect){0, 0, w, h};
    c->nid = 0;
    c->nlay = 0;
    c->wcur = 1 - c->wlast;
    c->nwid[c->wcur] = 0;
    c->focus_seen = false;
    c->popup_seen = false;
    c->popup_now = (gui_rect){0, 0, 0, 0};
    c->modal_now = false;
    c->in_popup = c->in_modal = false;
    c->hover_now = 0;
    c->tip = NULL;
    c->redraw_at = 0;
}

static void draw_tooltip(gui_ctx *c)
{
    const gui_theme *t = &c->theme;
    int fh = c->font_h[GUI_FONT_SMALL], pad = c->style.pad;
    int maxw = imin(460, c->w - 2 * pad);
    struct {
        const char *s[24];
        int n[24], k;
    } lines = {{0}, {0}, 0};
    int widest = 0;
    const char *p = c->tip;
    /* Wrap into at most 24 lines. */
    while (*p && lines.k < 24) {
        int len = (int)strcspn(p, "\n");
        int keep = len;
        if (gui_text_width(c, GUI_FONT_SMALL, p, len) > maxw) {
            keep = fit_bytes(c, GUI_FONT_SMALL, p, len, maxw);
            int sp = keep;
            while (sp > 0 && p[sp] != ' ')
                sp--;
            if (sp > 0)
                keep = sp;
            if (keep <= 0)
                keep = u8len(p);
        }
        lines.s[lines.k] = p;
        lines.n[lines.k++] = keep;
        widest = imax(widest, gui_text_width(c, GUI_FONT_SMALL, p, keep));
        p += keep;
        while (*p == ' ')
            p++;
        if (*p == '\n')
            p++;
    }
    gui_rect r = {c->tip_x + 14, c->tip_y + 18, widest + 2 * pad, lines.k * fh + 2 * pad};
    if (r.x + r.w > c->w)
        r.x = imax(0, c->w - r.w - 2);
    if (r.y + r.h > c->h)
        r.y = imax(0, c->tip_y - r.h - 6);
    c->layer = 2;
    push_clip_abs(c, (gui_rect){0, 0, c->w, c->h});
    gui_draw_rect(c, (gui_rect){r.x + 3, r.y + 3, r.w, r.h}, with_alpha(t->shade, 120));
    gui_draw_rect(c, r, (gui_color){250, 250, 245, 255});
    gui_draw_box(c, r, t->border);
    for (int i = 0; i < lines.k; i++)
        gui_draw_text(c, GUI_FONT_SMALL, r.x + pad, r.y + pad + i * fh,
                      (gui_color){20, 22, 28, 255}, lines.s[i], lines.n[i]);
    gui_pop_clip(c);
    c->layer = 0;
}

void gui_end(gui_ctx *c)
{
    if (c->hover_now != c->hover_id) {
        c->hover_id = c->hover_now;
        c->hover_since = c->now;
        if (c->hover_now)
            c->redraw_at = c->now + (uint32_t)c->style.tooltip_ms;
    }
    if (c->tip && !c->mdown)
        draw_tooltip(c);
    if (!c->focus_seen)
        c->focus = 0;
    if ((c->pressed & GUI_MOUSE_LEFT) && c->focus)
        c->focus = 0; /* a click that no widget took */
    if (!c->popup_seen)
        c->popup = 0;
    c->popup_prev = c->popup ? c->popup_now : (gui_rect){0, 0, 0, 0};
    c->modal_prev = c->modal_now;
    c->wlast = c->wcur;
}

/* ---- interaction -------------------------------------------------------------------------- */

static bool blocked(const gui_ctx *c)
{
    if (c->in_popup)
        return false;
    if (c->popup_prev.w > 0 && gui_rect_contains(c->popup_prev, c->mx, c->my))
        return true;
    return c->modal_prev && !c->in_modal;
}

bool gui_mouse_over(const gui_ctx *c, gui_rect r)
{
    return !blocked(c) && gui_rect_contains(intersect(r, gui_clip(c)), c->mx, c->my);
}

bool gui_clicked(gui_ctx *c, gui_id id, gui_rect r)
{
    if (!(c->pressed & GUI_MOUSE_LEFT) || !gui_mouse_over(c, r))
        return false;
    c->pressed &= ~GUI_MOUSE_LEFT;
    c->active = id;
    c->used = true;
    return true;
}

void gui_mouse_pos(const gui_ctx *c, int *x, int *y)
{
    *x = c->mx;
    *y = c->my;
}

int gui_keys(const gui_ctx *c)
{
    return c->keys;
}

int gui_mods(const gui_ctx *c)
{
    return c->mods;
}

void gui_consume_keys(gui_ctx *c, int keys)
{
    c->keys &= ~keys;
}

void gui_tooltip(gui_ctx *c, gui_id id, gui_rect r, const char *tip)
{
    if (!gui_mouse_over(c, r))
        return;
    c->hover_now = id;
    if (!tip || !tip[0])
        return;
    if (c->hover_id == id && c->now - c->hover_since >= (uint32_t)c->style.tooltip_ms) {
        c->tip = tip;
        c->tip_x = c->mx;
        c->tip_y = c->my;
    } else if (c->hover_id == id) {
        c->redraw_at = c->hover_since + (uint32_t)c->style.tooltip_ms;
    }
}

/* ---- layout ------------------------------------------------------------------------------- */

gui_rect gui_rect_make(int x, int y, int w, int h)
{
    return (gui_rect){x, y, w, h};
}

gui_rect gui_cut_top(gui_rect *r, int h)
{
    h = imin(imax(h, 0), r->h);
    gui_rect out = {r->x, r->y, r->w, h};
    r->y += h;
    r->h -= h;
    return out;
}

gui_rect gui_cut_bottom(gui_rect *r, int h)
{
    h = imin(imax(h, 0), r->h);
    r->h -= h;
    return (gui_rect){r->x, r->y + r->h, r->w, h};
}

gui_rect gui_cut_left(gui_rect *r, int w)
{
    w = imin(imax(w, 0), r->w);
    gui_rect out = {r->x, r->y, w, r->h};
    r->x += w;
    r->w -= w;
    return out;
}

gui_rect gui_cut_right(gui_rect *r, int w)
{
    w = imin(imax(w, 0), r->w);
    r->w -= w;
    return (gui_rect){r->x + r->w, r->y, w, r->h};
}

gui_rect gui_inset(gui_rect r, int d)
{
    return (gui_rect){r.x + d, r.y + d, imax(0, r.w - 2 * d), imax(0, r.h - 2 * d)};
}

bool gui_rect_contains(gui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static lay *top(gui_ctx *c)
{
    return &c->lays[c->nlay - 1];
}

static void resolve_row(gui_ctx *c, lay *l)
{
    int avail = l->body.w - c->style.spacing * (l->n - 1);
    int used = 0, zeros = 0;
    for (int i = 0; i < l->n; i++) {
        int s = l->spec[i];
        l->w[i] = s > 0 ? s : s < 0 ? avail * -s / 100 : 0;
        used += l->w[i];
        zeros += s == 0;
    }
    int left = imax(0, avail - used);
    for (int i = 0, k = 0; i < l->n; i++)
        if (l->spec[i] == 0) {
            l->w[i] = left / zeros + (k < left % zeros ? 1 : 0);
            k++;
        }
}

static void push_layout(gui_ctx *c, gui_rect body, int state, gui_rect view)
{
    if (c->nlay >= GUI_STACK) {
        c->dropped++;
        return;
    }
    lay *l = &c->lays[c->nlay++];
    memset(l, 0, sizeof *l);
    l->body = body;
    l->x = body.x;
    l->row_y = l->next_y = l->max_y = body.y;
    l->n = 1;
    l->spec[0] = 0;
    l->col = 1;
    l->row_h = c->style.row_h;
    l->state = state;
    l->view = view;
    resolve_row(c, l);
}

void gui_layout_begin(gui_ctx *c, gui_rect r)
{
    push_layout(c, r, -1, r);
}

void gui_layout_end(gui_ctx *c)
{
    if (c->nlay > 0)
        c->nlay--;
}

void gui_row(gui_ctx *c, int n, const int *widths, int height)
{
    lay *l = top(c);
    n = imax(1, imin(n, GUI_MAX_COLS));
    l->n = n;
    for (int i = 0; i < n; i++)
        l->spec[i] = widths ? widths[i] : 0;
    l->row_h = height > 0 ? height : c->style.row_h;
    l->col = n; /* the next cell starts a new row */
    resolve_row(c, l);
}

gui_rect gui_next(gui_ctx *c)
{
    lay *l = top(c);
    if (l->col >= l->n) {
        l->row_y = l->next_y;
        l->col = 0;
        l->x = l->body.x;
        l->next_y = l->row_y + l->row_h + c->style.spacing;
    }
    gui_rect r = {l->x, l->row_y, l->w[l->col], l->row_h};
    l->x += r.w + c->style.spacing;
    l->col++;
    if (r.y + r.h > l->max_y)
        l->max_y = r.y + r.h;
    return r;
}

void gui_space(gui_ctx *c, int h)
{
    lay *l = top(c);
    if (l->col < l->n)
        l->col = l->n;
    l->next_y += h;
}

void gui_skip(gui_ctx *c, int h)
{
    lay *l = top(c);
    l->col = l->n;
    l->next_y += h;
    if (l->next_y > l->max_y)
        l->max_y = l->next_y;
}

int gui_layout_width(const gui_ctx *c)
{
    return c->lays[c->nlay - 1].body.w;
}

gui_rect gui_layout_rect(const gui_ctx *c)
{
    return c->lays[c->nlay - 1].body;
}

int gui_layout_y(const gui_ctx *c)
{
    return c->lays[c->nlay - 1].next_y;
}

static wstate *state_for(gui_ctx *c, gui_id id)
{
    int oldest = 0;
    for (int i = 0; i < GUI_MAX_STATES; i++) {
        if (c->st[i].id == id) {
            c->st[i].frame = c->frame;
            return &c->st[i];
        }
        if (c->st[i].frame < c->st[oldest].frame)
            oldest = i;
    }
    wstate *s = &c->st[oldest];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->frame = c->frame;
    return s;
}

static const wstate *state_find(const gui_ctx *c, gui_id id)
{
    for (int i = 0; i < GUI_MAX_STATES; i++)
        if (c->st[i].id == id)
            return &c->st[i];
    return NULL;
}

int gui_scroll_get(const gui_ctx *c, const char *id)
{
    const wstate *s = state_find(c, gui_id_of(c, id));
    return s ? s->scroll : 0;
}

void gui_scroll_set(gui_ctx *c, const char *id, int y)
{
    wstate *s = state_for(c, gui_id_of(c, id));
    s->scroll = imax(0, y);
}

void gui_scroll_begin(gui_ctx *c, const char *id, gui_rect r)
{
    gui_id sid = gui_id_of(c, id);
    wstate *s = state_for(c, sid);
    if (c->wheel && gui_mouse_over(c, r)) {
        s->scroll -= c->wheel * 3 * c->font_h[GUI_FONT_BODY];
        c->wheel = 0;
        c->used = true;
    }
    if (s->content > 0) /* unknown before the region's first frame */
        s->scroll = imax(0, imin(s->scroll, s->content - r.h));
    s->scroll = imax(0, s->scroll);
    record(c, sid, r);
    gui_push_clip(c, r);
    int sb = c->style.scrollbar + 2;
    push_layout(c, (gui_rect){r.x, r.y - s->scroll, imax(0, r.w - sb), 1 << 20}, (int)(s - c->st),
                r);
}

void gui_scroll_end(gui_ctx *c)
{
    lay *l = top(c);
    if (l->state < 0)
        return;
    wstate *s = &c->st[l->state];
    gui_rect v = l->view;
    s->content = l->max_y - l->body.y + c->style.spacing;
    c->nlay--;
    gui_pop_clip(c);
    if (s->content <= v.h)
        return;
    const gui_theme *t = &c->theme;
    int sbw = c->style.scrollbar;
    gui_rect track = {v.x + v.w - sbw, v.y, sbw, v.h};
    int th = imax(c->style.row_h, (int)((long)v.h * v.h / s->content));
    int range = s->content - v.h;
    int ty = v.y + (int)((long)(v.h - th) * s->scroll / range);
    gui_rect thumb = {track.x, ty, sbw, th};
    gui_id did = s->id ^ 0x5bd1e995u;
    if (gui_clicked(c, did, track)) {
        c->drag_grab = gui_rect_contains(thumb, c->mx, c->my) ? c->my - ty : th / 2;
    }
    if (c->active == did && (c->mdown & GUI_MOUSE_LEFT) && v.h > th) {
        int y = c->my - c->drag_grab - v.y;
        s->scroll = imax(0, imin(range, (int)((long)y * range / (v.h - th))));
        ty = v.y + (int)((long)(v.h - th) * s->scroll / range);
        thumb.y = ty;
    }
    gui_draw_rect(c, track, t->pressed);
    gui_draw_rect(c, gui_inset(thumb, 1), c->active == did ? t->accent : t->border);
}

/* ---- text --------------------------------------------------------------------------------- */

int gui_wrap(const gui_ctx *c, int font, const char *s, int w,
             void (*fn)(void *ud, const char *start, int len), void *ud)
{
    int n = 0;
    const char *p = s;
    if (!*p)
        return 0;
    for (;;) {
        const char *ls = p, *le = p, *q = p;
        int lw = 0;
        for (;;) {
            const char *we = q;
            while (*we == ' ')
                we++;
            if (!*we || *we == '\n') {
                q = we;
                break;
            }
            while (*we && *we != ' ' && *we != '\n')
                we++;
            int add = gui_text_width(c, font, le, (int)(we - le));
            if (lw + add <= w) {
                lw += add;
                le = q = we;
                continue;
            }
            if (le == ls) { /* a word wider than the line: cut it */
                int keep = fit_bytes(c, font, ls, (int)(we - ls), w);
                if (keep <= 0)
                    keep = u8len(ls);
                le = q = ls + keep;
            } else {
                q = le;
            }
            break;
        }
        if (fn)
            fn(ud, ls, (int)(le - ls));
        n++;
        p = q;
        while (*p == ' ')
            p++;
        if (*p == '\n')
            p++;
        else if (!*p)
            break;
        if (!*p && p[-1] == '\n')
            break;
    }
    return n;
}

typedef struct text_draw {
    gui_ctx *c;
    int font, x, y, lh;
    gui_color col;
} text_draw;

static void draw_line_cb(void *ud, const char *s, int len)
{
    text_draw *td = ud;
    gui_draw_text(td->c, td->font, td->x, td->y, td->col, s, len);
    td->y += td->lh;
}

int gui_text(gui_ctx *c, const char *text, int font, gui_color col)
{
    lay *l = top(c);
    int w = l->body.w;
    int lines = gui_wrap(c, font, text, w, NULL, NULL);
    int h = imax(1, lines) * c->font_h[font];
    lay saved = *l;
    gui_row(c, 1, NULL, h);
    gui_rect r = gui_next(c);
    text_draw td = {c, font, r.x, r.y, c->font_h[font], col};
    gui_wrap(c, font, text, w, draw_line_cb, &td);
    /* Restore the caller's row spec; the next cell starts a new row. */
    l->n = saved.n;
    memcpy(l->spec, saved.spec, sizeof l->spec);
    memcpy(l->w, saved.w, sizeof l->w);
    l->row_h = saved.row_h;
    l->col = l->n;
    return h;
}

void gui_label_ex(gui_ctx *c, const char *text, int font, gui_color col, int flags)
{
    gui_rect r = gui_next(c);
    gui_draw_text_in(c, font, r, col, text, flags);
}

void gui_label(gui_ctx *c, const char *text)
{
    gui_label_ex(c, text, GUI_FONT_BODY, c->theme.text, 0);
}

void gui_labelf(gui_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = gui_vfmt(c, fmt, ap);
    va_end(ap);
    gui_label(c, s);
}

void gui_heading(gui_ctx *c, const char *text)
{
    lay *l = top(c);
    lay saved = *l;
    gui_row(c, 1, NULL, c->font_h[GUI_FONT_BOLD] + c->style.pad);
    gui_rect r = gui_next(c);
    gui_draw_text(c, GUI_FONT_BOLD, r.x, r.y, c->theme.text, text, -1);
    gui_draw_rect(c, (gui_rect){r.x, r.y + r.h - 2, r.w, 1}, c->theme.border);
    l->n = saved.n;
    memcpy(l->spec, saved.spec, sizeof l->spec);
    memcpy(l->w, saved.w, sizeof l->w);
    l->row_h = saved.row_h;
    l->col = l->n;
}

/* ---- widgets ------------------------------------------------------------------------------ */

static void frame_fill(gui_ctx *c, gui_rect r, gui_color fill, gui_color border)
{
    gui_draw_rect(c, r, fill);
    gui_draw_box(c, r, border);
}

bool gui_button_ex(gui_ctx *c, const char *id, const char *label, int flags, const char *tip)
{
    const gui_theme *t = &c->theme;
    gui_id wid = gui_id_of(c, id ? id : label);
    gui_rect r = gui_next(c);
    record(c, wid, r);
    bool dis = flags & GUI_DISABLED;
    bool hot = gui_mouse_over(c, r);
    bool hit = !dis && gui_clicked(c, wid, r);
    gui_color fill = t->raised, fg = t->text, border = t->border;
    if (flags & GUI_SELECTED) {
        fill = t->accent;
        fg = t->on_accent;
    } else if (flags & GUI_PRIMARY) {
        fill = t->info;
        fg = (gui_color){255, 255, 255, 255};
    }
    if (flags & GUI_DANGER)
        border = t->bad;
    if (!dis && hot && !(flags & (GUI_SELECTED | GUI_PRIMARY)))
        fill = (c->active == wid && (c->mdown & GUI_MOUSE_LEFT)) ? t->pressed : t->hover;
    else if (!dis && hot)
        border = t->text;
    if (dis) {
        fill = t->panel;
        fg = t->faint;
    }
    frame_fill(c, r, fill, border);
    if (flags & GUI_DANGER && !dis)
        gui_draw_rect(c, (gui_rect){r.x + 1, r.y + 1, 3, r.h - 2}, t->bad);
    gui_draw_text_in(c, GUI_FONT_BODY, gui_inset(r, c->style.pad), fg, label, GUI_ALIGN_CENTER);
    gui_tooltip(c, wid, r, tip);
    return hit;
}

bool gui_button(gui_ctx *c, const char *label, const char *tip)
{
    return gui_button_ex(c, NULL, label, 0, tip);
}

bool gui_checkbox(gui_ctx *c, const char *id, const char *label, bool *on, int flags,
                  const char *tip)
{
    const gui_theme *t = &c->theme;
    gui_id wid = gui_id_of(c, id ? id : label);
    gui_rect r = gui_next(c);
    record(c, wid, r);
    bool dis = flags & GUI_DISABLED;
    bool hit = !dis && gui_clicked(c, wid, r);
    if (hit)
        *on = !*on;
    int bs = imin(r.h - 6, c->font_h[GUI_FONT_BODY]);
    gui_rect box = {r.x + 2, r.y + (r.h - bs) / 2, bs, bs};
    bool hot = !dis && gui_mouse_over(c, r);
    frame_fill(c, box, t->pressed, hot ? t->accent : t->border);
    if (*on) {
        gui_draw_rect(c, gui_inset(box, 3), dis ? t->faint : t->accent);
    }
    gui_rect lr = {box.x + bs + c->style.pad, r.y, r.w - bs - c->style.pad - 2, r.h};
    gui_draw_text_in(c, GUI_FONT_BODY, lr, dis ? t->faint : t->text, label, 0);
    gui_tooltip(c, wid, r, tip);
    return hit;
}

bool gui_switch(gui_ctx *c, const char *id, const char *label, bool on, int flags, const char *tip)
{
    const gui_theme *t = &c->theme;
    gui_id wid = gui_id_of(c, id ? id : label);
    gui_rect r = gui_next(c);
    record(c, wid, r);
    bool dis = flags & GUI_DISABLED;
    bool hit = !dis && gui_clicked(c, wid, r);
    bool hot = !dis && gui_mouse_over(c, r);
    int fh = c->font_h[GUI_FONT_SMALL];
    int tw = gui_text_width(c, GUI_FONT_SMALL, "OFF", 3) * 2 + 10;
    gui_rect track = {r.x + 2, r.y + 3, tw, r.h - 6};
    gui_color fill = on ? t->ok : t->pressed;
    if (dis)
        fill = t->panel;
    frame_fill(c, track, fill, hot ? t->text : (flags & GUI_DANGER ? t->bad : t->border));
    int kw = track.w / 2 - 2;
    gui_rect knob = {on ? track.x + track.w - kw - 2 : track.x + 2, track.y + 2, kw, track.h - 4};
    gui_draw_rect(c, knob, dis ? t->faint : (gui_color){230, 232, 236, 255});
    gui_rect word = {on ? track.x + 2 : track.x + track.w / 2, track.y, track.w / 2 - 2, track.h};
    (void)fh;
    gui_draw_text_in(c, GUI_FONT_SMALL, word, on ? (gui_color){255, 255, 255, 255} : t->dim,
                     on ? "ON" : "OFF", GUI_ALIGN_CENTER);
    gui_rect lr = {track.x + track.w + c->style.pad, r.y, r.w - track.w - c->style.pad - 2, r.h};
    gui_draw_text_in(c, GUI_FONT_BODY, lr, dis ? t->faint : t->text, label, 0);
    gui_tooltip(c, wid, r, tip);
    return hit;
}

gui_id gui_select_item_id(gui_id select, int i)
{
    return select ^ (gui_id)(0x9e3779b9u * (unsigned)(i + 1));
}

void gui_open_popup(gui_ctx *c, gui_id id)
{
    c->popup = id;
    c->popup_hl = -1;
}

bool gui_select(gui_ctx *c, const char *id, const char *const *items, int n, int *sel, int flags,
                const char *tip)
{
    const gui_theme *t = &c->theme;
    gui_id wid = gui_id_of(c, id);
    gui_rect r = gui_next(c);
    record(c, wid, r);
    bool dis = flags & GUI_DISABLED;
    bool open = c->popup == wid;
    bool hot = !dis && gui_mouse_over(c, r);
    if (!dis && gui_clicked(c, wid, r)) {
        c->popup = open ? 0 : wid;
        c->popup_hl = *sel;
        open = !open;
    }
    frame_fill(c, r,
               dis           ? t->panel
               : hot || open ? t->hover
                             : t->raised,
               open ? t->accent : t->border);
    const char *cur = *sel >= 0 && *sel < n ? items[*sel] : "\xE2\x80\x94"; /* — */
    int aw = gui_text_width(c, GUI_FONT_BODY, "\xE2\x96\xBE", 3);
    gui_rect tr = {r.x + c->style.pad, r.y, r.w - 2 * c->style.pad - aw - 4, r.h};
    gui_draw_text_in(c, GUI_FONT_BODY, tr, dis ? t->faint : t->text, cur, 0);
    gui_draw_text_in(c, GUI_FONT_BODY, (gui_rect){r.x + r.w - aw - c->style.pad, r.y, aw, r.h},
                     dis ? t->faint : t->dim, "\xE2\x96\xBE", 0);
    gui_tooltip(c, wid, r, open ? NULL : tip);
    if (!open || dis)
        return false;

    c->popup_seen = true;
    if (c->popup_hl < 0)
        c->popup_hl = *sel >= 0 ? *sel : 0;
    bool changed = false;
    int ih = c->style.row_h - 2, widest = r.w;
    for (int i = 0; i < n; i++)
        widest = imax(widest, gui_text_width(c, GUI_FONT_BODY, items[i], -1) + 3 * c->style.pad);
    gui_rect pr = {r.x, r.y + r.h, imin(widest, c->w - 4), n * ih + 2};
    if (pr.y + pr.h > c->h && r.y - pr.h >= 0)
        pr.y = r.y - pr.h;
    if (pr.x + pr.w > c->w)
        pr.x = imax(0, c->w - pr.w);
    if (c->keys & GUI_KEY_DOWN)
        c->popup_hl = imin(n - 1, c->popup_hl + 1);
    if (c->keys & GUI_KEY_UP)
        c->popup_hl = imax(0, c->popup_hl - 1);
    int prev_layer = c->layer;
    bool prev_in = c->in_popup;
    c->layer = 1;
    c->in_popup = true;
    push_clip_abs(c, (gui_rect){0, 0, c->w, c->h});
    gui_draw_rect(c, (gui_rect){pr.x + 3, pr.y + 3, pr.w, pr.h}, with_alpha(t->shade, 110));
    frame_fill(c, pr, t->panel, t->accent);
    for (int i = 0; i < n; i++) {
        gui_rect ir = {pr.x + 1, pr.y + 1 + i * ih, pr.w - 2, ih};
        gui_id iid = gui_select_item_id(wid, i);
        record(c, iid, ir);
        bool ih_hot = gui_mouse_over(c, ir);
        if (ih_hot && c->moved) /* the keyboard keeps the highlight until the mouse moves */
            c->popup_hl = i;
        if (i == c->popup_hl)
            gui_draw_rect(c, ir, t->hover);
        if (i == *sel)
            gui_draw_rect(c, (gui_rect){ir.x, ir.y, 3, ir.h}, t->accent);
        gui_draw_text_in(c, GUI_FONT_BODY,
                         (gui_rect){ir.x + c->style.pad + 2, ir.y, ir.w - 2 * c->style.pad, ir.h},
                         t->text, items[i], 0);
        if (gui_clicked(c, iid, ir)) {
            changed = *sel != i;
            *sel = i;
            c->popup = 0;
        }
    }
    if (c->popup == wid && (c->keys & GUI_KEY_ENTER) && c->popup_hl >= 0 && c->popup_hl < n) {
        changed = *sel != c->popup_hl;
        *sel = c->popup_hl;
        c->popup = 0;
        c->keys &= ~GUI_KEY_ENTER;
    }
    if (c->popup == wid && (c->keys & GUI_KEY_ESCAPE)) {
        c->popup = 0;
        c->keys &= ~GUI_KEY_ESCAPE;
    }
    c->keys &= ~(GUI_KEY_UP | GUI_KEY_DOWN);
    gui_pop_clip(c);
    c->layer = prev_layer;
    c->in_popup = prev_in;
    c->popup_now = pr;
    /* A click outside the list closes it (and goes on to what is under it). */
    if (c->popup == wid && (c->pressed & GUI_MOUSE_LEFT) && !gui_rect_contains(pr, c->mx, c->my))
        c->popup = 0;
    if (changed)
        c->used = true;
    return changed;
}

typedef struct line_rec {
    int start[MAX_WRAP_LINES], len[MAX_WRAP_LINES], n;
    const char *base;
} line_rec;

static void line_rec_cb(void *ud, const char *s, int len)
{
    line_rec *lr = ud;
    if (lr->n < MAX_WRAP_LINES) {
        lr->start[lr->n] = (int)(s - lr->base);
        lr->len[lr->n] = len;
        lr->n++;
    }
}

/* Byte offset in s[0..len) nearest to pixel x. */
static int offset_at(const gui_ctx *c, int font, const char *s, int len, int x)
{
    int best = 0, bestd = x < 0 ? -x : x;
    for (int i = 0; i < len;) {
        i += u8len(s + i);
        if (i > len)
            break;
        int d = gui_text_width(c, font, s, i) - x;
        if (d < 0)
            d = -d;
        if (d < bestd) {
            bestd = d;
            best = i;
        }
    }
    return best;
}

static bool numeric_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
            return false;
    return true;
}

static int edit_text(gui_ctx *c, char *buf, size_t size, int flags)
{
    int res = 0;
    size_t len = strlen(buf);
    if (c->cursor > len)
        c->cursor = len;
    if (c->text_len && (!(flags & GUI_NUMERIC) || numeric_ok(c->text))) {
        size_t n = (size_t)c->text_len;
        if (len + n < size) {
            memmove(buf + c->cursor + n, buf + c->cursor, len - c->cursor + 1);
            memcpy(buf + c->cursor, c->text, n);
            c->cursor += n;
            len += n;
            res |= GUI_RES_CHANGE;
        }
        c->text_len = 0;
    }
    int k = c->keys;
    if ((k & GUI_KEY_BACKSPACE) && c->cursor > 0) {
        size_t p = u8prev(buf, c->cursor);
        memmove(buf + p, buf + c->cursor, len - c->cursor + 1);
        len -= c->cursor - p;
        c->cursor = p;
        res |= GUI_RES_CHANGE;
    }
    if ((k & GUI_KEY_DELETE) && c->cursor < len) {
        size_t n = (size_t)u8len(buf + c->cursor);
        memmove(buf + c->cursor, buf + c->cursor + n, len - c->cursor - n + 1);
        len -= n;
        res |= GUI_RES_CHANGE;
    }
    if (k & GUI_KEY_LEFT)
        c->cursor = u8prev(buf, c->cursor);
    if ((k & GUI_KEY_RIGHT) && c->cursor < len)
        c->cursor += (size_t)u8len(buf + c->cursor);
    if (k & GUI_KEY_HOME)
        c->cursor = 0;
    if (k & GUI_KEY_END)
        c->cursor = len;
    if (k & GUI_KEY_ENTER) {
        if ((flags & GUI_MULTILINE) && !(c->mods & GUI_MOD_CTRL)) {
            if (len + 1 < size) {
                memmove(buf + c->cursor + 1, buf + c->cursor, len - c->cursor + 1);
                buf[c->cursor++] = '\n';
                res |= GUI_RES_CHANGE;
            }
        } else {
            res |= GUI_RES_SUBMIT;
        }
    }
    if (k & GUI_KEY_ESCAPE)
        c->focus = 0;
    c->keys &= ~(GUI_KEY_BACKSPACE | GUI_KEY_DELETE | GUI_KEY_LEFT | GUI_KEY_RIGHT | GUI_KEY_HOME |
                 GUI_KEY_END | GUI_KEY_ENTER | GUI_KEY_ESCAPE);
    return res;
}

int gui_textbox(gui_ctx *c, const char *id, char *buf, size_t size, int flags, const char *tip)
{
    return gui_textbox_ex(c, id, buf, size, flags, NULL, tip);
}

int gui_textbox_ex(gui_ctx *c, const char *id, char *buf, size_t size, int flags,
                   const char *placeholder, const char *tip)
{
    const gui_theme *t = &c->theme;
    gui_id wid = gui_id_of(c, id);
    gui_rect r = gui_next(c);
    record(c, wid, r);
    bool dis = flags & GUI_DISABLED;
    bool ml = flags & GUI_MULTILINE;
    int font = GUI_FONT_BODY, fh = c->font_h[font], pad = c->style.pad;
    gui_rect inner = {r.x + pad, r.y + (ml ? pad / 2 : 0), r.w - 2 * pad, r.h - (ml ? pad : 0)};
    line_rec lines;
    lines.n = 0;
    lines.base = buf;
    if (ml) {
        gui_wrap(c, font, buf, inner.w, line_rec_cb, &lines);
        if (lines.n == 0 || (buf[0] && buf[strlen(buf) - 1] == '\n' && lines.n < MAX_WRAP_LINES)) {
            lines.start[lines.n] = (int)strlen(buf);
            lines.len[lines.n] = 0;
            lines.n++;
        }
    }
    int res = 0;
    if (!dis && gui_clicked(c, wid, r)) {
        if (c->focus != wid)
            c->focus = wid;
        /* Place the cursor where the click was. */
        if (ml) {
            int li = imax(0, imin(lines.n - 1, (c->my - inner.y) / fh));
            c->cursor = (size_t)(lines.start[li] + offset_at(c, font, buf + lines.start[li],
                                                             lines.len[li], c->mx - inner.x));
        } else {
            int tw = gui_text_width(c, font, buf, -1);
            int off = imax(0, tw - inner.w);
            c->cursor = (size_t)offset_at(c, font, buf, (int)strlen(buf), c->mx - inner.x + off);
        }
    }
    bool focused = c->focus == wid && !dis;
    if (focused) {
        c->focus_seen = true;
        if (c->cursor == (size_t)-1)
            c->cursor = strlen(buf);
        res = edit_text(c, buf, size, flags);
        if (res & GUI_RES_SUBMIT)
            c->used = true;
        if (res & GUI_RES_CHANGE) {
            c->used = true;
            if (ml) {
                lines.n = 0;
                gui_wrap(c, font, buf, inner.w, line_rec_cb, &lines);
                if (lines.n == 0 ||
                    (buf[0] && buf[strlen(buf) - 1] == '\n' && lines.n < MAX_WRAP_LINES)) {
                    lines.start[lines.n] = (int)strlen(buf);
                    lines.len[lines.n] = 0;
                    lines.n++;
                }
            }
        }
    }
    bool hot = !dis && gui_mouse_over(c, r);
    frame_fill(c, r, dis ? t->panel : t->pressed, focused ? t->accent : hot ? t->dim : t->border);
    gui_push_clip(c, r);
    gui_color fg = dis ? t->faint : t->text;
    if (!ml) {
        int tw = gui_text_width(c, font, buf, -1);
        int cx = focused ? gui_text_width(c, font, buf, (int)c->cursor) : 0;
        int off = focused ? imax(0, cx - inner.w + 2) : 0;
        int ty = r.y + (r.h - fh) / 2;
        (void)tw;
        if (!buf[0] && !focused && placeholder)
            gui_draw_text(c, font, inner.x, ty, t->faint, placeholder, -1);
        gui_draw_text(c, font, inner.x - off, ty, fg, buf, -1);
        if (focused)
            gui_draw_rect(c, (gui_rect){inner.x - off + cx, ty, 2, fh}, t->accent);
    } else {
        int vis = imax(1, inner.h / fh);
        int cl = 0;
        for (int i = 0; i < lines.n; i++)
            if ((size_t)lines.start[i] <= c->cursor)
                cl = i;
        int first = focused ? imax(0, cl - vis + 1) : 0;
        for (int i = first; i < lines.n && i < first + vis; i++)
            gui_draw_text(c, font, inner.x, inner.y + (i - first) * fh, fg, buf + lines.start[i],
                          lines.len[i]);
        if (focused) {
            int cx = gui_text_width(c, font, buf + lines.start[cl],
                                    imin(lines.len[cl], (int)c->cursor - lines.start[cl]));
            gui_draw_rect(c, (gui_rect){inner.x + cx, inner.y + (cl - first) * fh, 2, fh},
                          t->accent);
        }
    }
    gui_pop_clip(c);
    gui_tooltip(c, wid, r, tip);
    return res;
}

bool gui_slider(gui_ctx *c, const char *id, double *v, double lo, double hi, double step,
                const char *fmt, int flags, const char *tip)
{
    const gui_theme *t = &c->theme;
    gui_id wid = gui_id_of(c, id);
    gui_rect r = gui_next(c);
    record(c, wid, r);
    bool dis = flags & GUI_DISABLED;
    double old = *v;
    bool hit = !dis && gui_clicked(c, wid, r);
    if (!dis && (hit || (c->active == wid && (c->mdown & GUI_MOUSE_LEFT))) && r.w > 8) {
        double f = (double)(c->mx - r.x - 4) / (double)(r.w - 8);
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        *v = lo + f * (hi - lo);
    }
    if (!dis && c->wheel && gui_mouse_over(c, r)) {
        *v += c->wheel * step;
        c->wheel = 0;
    }
    if (step > 0)
        *v = lo + step * (double)(long)((*v - lo) / step + 0.5);
    *v = *v < lo ? lo : *v > hi ? hi : *v;
    bool hot = !dis && gui_mouse_over(c, r);
    frame_fill(c, r, t->pressed, hot || c->active == wid ? t->accent : t->border);
    double f = hi > lo ? (*v - lo) / (hi - lo) : 0;
    int fw = (int)(f * (r.w - 8));
    gui_draw_rect(c, (gui_rect){r.x + 4, r.y + r.h / 2 - 2, fw, 4}, dis ? t->faint : t->info);
    gui_draw_rect(c, (gui_rect){r.x + 4 + fw - 4, r.y + 3, 8, r.h - 6}, dis ? t->faint : t->accent);
    char buf[64];
    snprintf(buf, sizeof buf, fmt ? fmt : "%.2f", *v);
    gui_rect lr = {r.x + 8, r.y, r.w - 16, r.h};
    gui_draw_text_in(c, GUI_FONT_SMALL, lr, dis ? t->faint : t->text, buf,
                     f < 0.5 ? GUI_ALIGN_RIGHT : 0);
    gui_tooltip(c, wid, r, tip);
    if (*v != old)
        c->used = true;
    return *v != old;
}

int gui_tabs(gui_ctx *c, gui_rect r, const char *id, const char *const *labels, int n, int cur,
             const char *const *tips)
{
    const gui_theme *t = &c->theme;
    gui_draw_rect(c, r, t->bg);
    int x = r.x, result = cur;
    int total = 0;
    for (int i = 0; i < n; i++)
        total += gui_text_width(c, GUI_FONT_BODY, labels[i], -1) + 3 * c->style.pad;
    int extra = n > 0 && total < r.w ? (r.w - total) / n : 0;
    if (extra > 3 * c->style.pad)
        extra = 3 * c->style.pad;
    for (int i = 0; i < n; i++) {
        int w = gui_text_width(c, GUI_FONT_BODY, labels[i], -1) + 3 * c->style.pad + extra;
        if (total > r.w)
            w = r.w / n;
        gui_rect tr = {x, r.y + 2, w - 2, r.h - 2};
        gui_id tid = gui_tab_id(id, i);
        record(c, tid, tr);
        bool hot = gui_mouse_over(c, tr);
        if (gui_clicked(c, tid, tr))
            result = i;
        gui_draw_rect(c, tr, i == cur ? t->panel : hot ? t->raised : t->bg);
        if (i == cur)
            gui_draw_rect(c, (gui_rect){tr.x, tr.y, tr.w, 3}, t->accent);
        gui_draw_text_in(c, i == cur ? GUI_FONT_BOLD : GUI_FONT_BODY, gui_inset(tr, 2),
                         i == cur ? t->text : t->dim, labels[i], GUI_ALIGN_CENTER);
        gui_tooltip(c, tid, tr, tips ? tips[i] : NULL);
        x += w;
    }
    return result;
}

bool gui_list_item(gui_ctx *c, const char *id, const char *text, bool selected, const char *tip)
{
    const gui_theme *t = &c->theme;
    gui_id wid = gui_id_of(c, id);
    gui_rect r = gui_next(c);
    record(c, wid, r);
    bool hot = gui_mouse_over(c, r);
    bool hit = gui_clicked(c, wid, r);
    if (selected)
        gui_draw_rect(c, r, (gui_color){40, 70, 95, 255});
    else if (hot)
        gui_draw_rect(c, r, t->raised);
    if (selected)
        gui_draw_rect(c, (gui_rect){r.x, r.y, 3, r.h}, t->accent);
    if (text)
        gui_draw_text_in(c, GUI_FONT_BODY,
                         (gui_rect){r.x + c->style.pad, r.y, r.w - 2 * c->style.pad, r.h}, t->text,
                         text, 0);
    gui_tooltip(c, wid, r, tip);
    return hit;
}

/* ---- modals ------------------------------------------------------------------------------- */

gui_rect gui_modal_begin(gui_ctx *c, const char *title, int w, int h)
{
    const gui_theme *t = &c->theme;
    w = imin(w, c->w - 20);
    h = imin(h, c->h - 20);
    gui_rect r = {(c->w - w) / 2, (c->h - h) / 2, w, h};
    c->layer = 1;
    c->in_modal = true;
    c->modal_now = true;
    push_clip_abs(c, (gui_rect){0, 0, c->w, c->h});
    gui_draw_rect(c, (gui_rect){0, 0, c->w, c->h}, t->shade);
    gui_draw_rect(c, (gui_rect){r.x + 5, r.y + 5, r.w, r.h}, with_alpha(t->shade, 160));
    frame_fill(c, r, t->panel, t->accent);
    int th = c->font_h[GUI_FONT_TITLE] + 2 * c->style.pad;
    gui_rect head = {r.x + 1, r.y + 1, r.w - 2, th};
    gui_draw_rect(c, head, t->raised);
    gui_draw_text_in(c, GUI_FONT_TITLE, gui_inset(head, c->style.pad), t->text, title, 0);
    gui_rect body = {r.x + 2 * c->style.pad, r.y + th + c->style.pad, r.w - 4 * c->style.pad,
                     r.h - th - 2 * c->style.pad};
    gui_push_clip(c, body);
    push_layout(c, body, -1, body);
    return body;
}

void gui_modal_end(gui_ctx *c)
{
    gui_layout_end(c);
    gui_pop_clip(c);
    gui_pop_clip(c);
    c->layer = 0;
    c->in_modal = false;
}

int gui_confirm(gui_ctx *c, const char *title, const char *text, const char *ok_label,
                const char *tip)
{
    int fh = c->font_h[GUI_FONT_BODY];
    int w = imin(620, c->w - 40);
    int lines = gui_wrap(c, GUI_FONT_BODY, text, w - 4 * c->style.pad, NULL, NULL);
    int h = c->font_h[GUI_FONT_TITLE] + (lines + 2) * fh + 2 * c->style.row_h + 6 * c->style.pad;
    gui_modal_begin(c, title, w, h);
    gui_text(c, text, GUI_FONT_BODY, c->theme.text);
    gui_space(c, c->style.pad);
    gui_row(c, 3, (int[]){0, 140, 140}, 0);
    gui_next(c);
    int res = 0;
    if (gui_button_ex(c, "confirm.cancel", "Cancel (Esc)", 0, "Close without doing anything"))
        res = -1;
    if (gui_button_ex(c, "confirm.ok", ok_label, GUI_PRIMARY, tip))
        res = 1;
    if (c->keys & GUI_KEY_ENTER) {
        res = 1;
        c->keys &= ~GUI_KEY_ENTER;
    }
    if (c->keys & GUI_KEY_ESCAPE) {
        res = -1;
        c->keys &= ~GUI_KEY_ESCAPE;
    }
    gui_modal_end(c);
    if (res)
        c->used = true;
    return res;
}
