/* test_gui_ui.c - the immediate-mode core without SDL: layout, clicks from
 * synthetic input, text editing, selects, scrolling, wrapping, tooltips,
 * modals, command order, and no allocation per frame (allocator hooks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gui_theme.h"
#include "gui_ui.h"

#ifndef FIREDRILL_BUILD_DIR
#define FIREDRILL_BUILD_DIR "."
#endif

/* ---- fixture: a fixed-width fake font and counting allocator ------------------------------ */

static int fake_width(void *ud, int font, const char *s, int len)
{
    (void)ud;
    (void)s;
    return len * (font == GUI_FONT_SMALL ? 6 : 8);
}

static const int heights[GUI_FONT_COUNT] = {16, 14, 16, 16, 20};
static int nalloc, nfree;

static void *count_malloc(size_t n)
{
    nalloc++;
    return malloc(n);
}

static void count_free(void *p)
{
    if (p)
        nfree++;
    free(p);
}

static gui_ctx *new_ctx(void)
{
    gui_ctx *c = gui_ctx_new(NULL, fake_width, NULL, heights);
    assert_non_null(c);
    return c;
}

static uint32_t now_ms;

static void frame_begin(gui_ctx *c)
{
    now_ms += 16;
    gui_begin(c, 800, 600, now_ms);
    gui_layout_begin(c, gui_rect_make(10, 10, 400, 580));
}

static void frame_end(gui_ctx *c)
{
    gui_layout_end(c);
    gui_end(c);
}

static void click_at(gui_ctx *c, int x, int y)
{
    gui_input_mousemove(c, x, y);
    gui_input_mousedown(c, x, y, GUI_MOUSE_LEFT);
    gui_input_mouseup(c, x, y, GUI_MOUSE_LEFT);
}

static void click_id(gui_ctx *c, const char *id)
{
    gui_rect r;
    assert_true(gui_widget_rect(c, gui_id_global(id), &r));
    click_at(c, r.x + r.w / 2, r.y + r.h / 2);
}

static bool has_bytes(const char *s, int len, const char *needle)
{
    int n = (int)strlen(needle);
    for (int i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, (size_t)n) == 0)
            return true;
    return false;
}

static int count_text(const gui_ctx *c, const char *needle, int layer)
{
    int it = 0, n = 0;
    const gui_cmd *k;
    while (gui_cmd_next(c, &it, &k))
        if (k->type == GUI_CMD_TEXT && (layer < 0 || k->layer == layer) &&
            has_bytes(k->text, k->len, needle))
            n++;
    return n;
}

/* ---- layout ------------------------------------------------------------------------------- */

static void layout_places_cells_left_to_right_then_wraps(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    const gui_style *st = gui_style_of(c);
    gui_begin(c, 800, 600, 0);
    gui_layout_begin(c, gui_rect_make(0, 0, 400 + 2 * st->spacing, 600));
    gui_row(c, 3, (int[]){100, 0, -25}, 30);
    gui_rect a = gui_next(c), b = gui_next(c), d = gui_next(c), e = gui_next(c);
    assert_int_equal(a.x, 0);
    assert_int_equal(a.w, 100);
    assert_int_equal(a.h, 30);
    assert_int_equal(d.w, 100); /* 25% of 400 */
    assert_int_equal(b.w, 200); /* what is left */
    assert_int_equal(b.x, 100 + st->spacing);
    assert_int_equal(d.x, b.x + b.w + st->spacing);
    assert_int_equal(e.x, 0); /* the fourth cell starts a new row */
    assert_int_equal(e.y, 30 + st->spacing);
    gui_layout_end(c);
    gui_end(c);
    gui_ctx_free(c);
}

static void rect_cuts_split_without_overlap(void **state)
{
    (void)state;
    gui_rect r = gui_rect_make(0, 0, 100, 50);
    gui_rect top = gui_cut_top(&r, 10), left = gui_cut_left(&r, 30);
    gui_rect right = gui_cut_right(&r, 20), bottom = gui_cut_bottom(&r, 5);
    assert_int_equal(top.h, 10);
    assert_int_equal(left.y, 10);
    assert_int_equal(left.w, 30);
    assert_int_equal(right.x, 80);
    assert_int_equal(bottom.y, 45);
    assert_int_equal(r.x, 30);
    assert_int_equal(r.w, 50);
    assert_int_equal(r.h, 35);
    gui_rect big = gui_cut_top(&r, 1000); /* clamped */
    assert_int_equal(big.h, 35);
    assert_int_equal(r.h, 0);
}

/* ---- buttons ------------------------------------------------------------------------------ */

static void button_fires_once_per_click(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    int fired = 0;
    for (int f = 0; f < 4; f++) {
        if (f == 1)
            click_id(c, "ok");
        frame_begin(c);
        fired += gui_button(c, "ok", "a tooltip");
        gui_button(c, "other", NULL);
        frame_end(c);
    }
    assert_int_equal(fired, 1);
    gui_ctx_free(c);
}

static void disabled_button_ignores_clicks(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    int fired = 0;
    for (int f = 0; f < 3; f++) {
        if (f == 1)
            click_id(c, "off");
        frame_begin(c);
        fired += gui_button_ex(c, "off", "Off", GUI_DISABLED, NULL);
        frame_end(c);
    }
    assert_int_equal(fired, 0);
    gui_ctx_free(c);
}

static void modal_blocks_the_page_beneath(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    int page = 0, ok = 0;
    for (int f = 0; f < 5; f++) {
        if (f == 2)
            click_id(c, "behind");
        if (f == 3)
            click_id(c, "confirm.ok");
        frame_begin(c);
        gui_row(c, 1, NULL, 580);
        page += gui_button(c, "behind", NULL); /* fills the page */
        gui_layout_end(c);
        if (f >= 1 && !ok) /* drawn after the page, as the app does */
            ok += gui_confirm(c, "Sure?", "Text of the question.", "OK", NULL) == 1;
        gui_end(c);
    }
    assert_int_equal(page, 0);
    assert_int_equal(ok, 1);
    gui_ctx_free(c);
}

static void confirm_answers_enter_and_escape(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    gui_begin(c, 800, 600, 0);
    assert_int_equal(gui_confirm(c, "T", "x", "OK", NULL), 0);
    gui_end(c);
    gui_input_key(c, GUI_KEY_ENTER, 0);
    gui_begin(c, 800, 600, 10);
    assert_int_equal(gui_confirm(c, "T", "x", "OK", NULL), 1);
    gui_end(c);
    gui_input_key(c, GUI_KEY_ESCAPE, 0);
    gui_begin(c, 800, 600, 20);
    assert_int_equal(gui_confirm(c, "T", "x", "OK", NULL), -1);
    gui_end(c);
    gui_ctx_free(c);
}

static void checkbox_and_tabs_respond_to_clicks(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    bool on = false;
    int tab = 0;
    static const char *const tabs[] = {"one", "two", "three"};
    for (int f = 0; f < 3; f++) {
        if (f == 1) {
            click_id(c, "box");
        }
        frame_begin(c);
        gui_checkbox(c, "box", "a box", &on, 0, NULL);
        tab = gui_tabs(c, gui_rect_make(0, 500, 600, 30), "tabs", tabs, 3, tab, NULL);
        frame_end(c);
    }
    assert_true(on);
    gui_rect r;
    assert_true(gui_widget_rect(c, gui_tab_id("tabs", 2), &r));
    click_at(c, r.x + r.w / 2, r.y + r.h / 2);
    frame_begin(c);
    tab = gui_tabs(c, gui_rect_make(0, 500, 600, 30), "tabs", tabs, 3, tab, NULL);
    frame_end(c);
    assert_int_equal(tab, 2);
    gui_ctx_free(c);
}

/* ---- text input --------------------------------------------------------------------------- */

static int draw_box(gui_ctx *c, char *buf, size_t n, int flags)
{
    frame_begin(c);
    int r = gui_textbox(c, "field", buf, n, flags, NULL);
    frame_end(c);
    return r;
}

static void textbox_edits_at_the_cursor(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    char buf[32] = "";
    draw_box(c, buf, sizeof buf, 0);
    click_id(c, "field");
    draw_box(c, buf, sizeof buf, 0);
    assert_true(gui_wants_keyboard(c));
    gui_input_text(c, "hello");
    assert_int_equal(draw_box(c, buf, sizeof buf, 0) & GUI_RES_CHANGE, GUI_RES_CHANGE);
    assert_string_equal(buf, "hello");
    gui_input_key(c, GUI_KEY_LEFT, 0);
    gui_input_key(c, GUI_KEY_LEFT, 0); /* both in one frame count once: one left */
    draw_box(c, buf, sizeof buf, 0);
    gui_input_key(c, GUI_KEY_BACKSPACE, 0);
    draw_box(c, buf, sizeof buf, 0);
    assert_string_equal(buf, "helo");
    gui_input_text(c, "L");
    draw_box(c, buf, sizeof buf, 0);
    assert_string_equal(buf, "helLo");
    gui_input_key(c, GUI_KEY_HOME, 0);
    draw_box(c, buf, sizeof buf, 0);
    gui_input_key(c, GUI_KEY_DELETE, 0);
    draw_box(c, buf, sizeof buf, 0);
    assert_string_equal(buf, "elLo");
    gui_input_key(c, GUI_KEY_END, 0);
    draw_box(c, buf, sizeof buf, 0);
    gui_input_text(c, "\xC3\xA9"); /* é: two bytes */
    draw_box(c, buf, sizeof buf, 0);
    gui_input_key(c, GUI_KEY_BACKSPACE, 0);
    draw_box(c, buf, sizeof buf, 0);
    assert_string_equal(buf, "elLo");
    gui_input_key(c, GUI_KEY_ENTER, 0);
    assert_int_equal(draw_box(c, buf, sizeof buf, 0) & GUI_RES_SUBMIT, GUI_RES_SUBMIT);
    gui_input_key(c, GUI_KEY_ESCAPE, 0);
    draw_box(c, buf, sizeof buf, 0);
    assert_false(gui_wants_keyboard(c));
    gui_ctx_free(c);
}

static void textbox_never_overflows_its_buffer(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    char buf[8] = "ab";
    draw_box(c, buf, 6, 0);
    click_id(c, "field");
    draw_box(c, buf, 6, 0);
    gui_input_text(c, "cd");
    draw_box(c, buf, 6, 0);
    gui_input_text(c, "efgh"); /* would pass 5 characters: refused whole */
    draw_box(c, buf, 6, 0);
    assert_string_equal(buf, "abcd");
    gui_input_text(c, "e");
    draw_box(c, buf, 6, 0);
    assert_string_equal(buf, "abcde");
    assert_int_equal(buf[6], '\0');
    gui_ctx_free(c);
}

static void numeric_textbox_refuses_letters_and_multiline_takes_newlines(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    char num[16] = "", text[64] = "";
    draw_box(c, num, sizeof num, GUI_NUMERIC);
    click_id(c, "field");
    draw_box(c, num, sizeof num, GUI_NUMERIC);
    gui_input_text(c, "12a");
    draw_box(c, num, sizeof num, GUI_NUMERIC);
    gui_input_text(c, "2.5");
    draw_box(c, num, sizeof num, GUI_NUMERIC);
    assert_string_equal(num, "2.5");
    gui_set_focus(c, gui_id_global("field"));
    gui_input_text(c, "line one");
    draw_box(c, text, sizeof text, GUI_MULTILINE);
    gui_input_key(c, GUI_KEY_ENTER, 0);
    int r = draw_box(c, text, sizeof text, GUI_MULTILINE);
    assert_int_equal(r & GUI_RES_SUBMIT, 0);
    gui_input_text(c, "two");
    draw_box(c, text, sizeof text, GUI_MULTILINE);
    assert_string_equal(text, "line one\ntwo");
    gui_input_key(c, GUI_KEY_ENTER, GUI_MOD_CTRL);
    r = draw_box(c, text, sizeof text, GUI_MULTILINE);
    assert_int_equal(r & GUI_RES_SUBMIT, GUI_RES_SUBMIT);
    gui_ctx_free(c);
}

static void click_elsewhere_drops_focus(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    char buf[16] = "";
    draw_box(c, buf, sizeof buf, 0);
    click_id(c, "field");
    draw_box(c, buf, sizeof buf, 0);
    assert_true(gui_wants_keyboard(c));
    click_at(c, 700, 500);
    draw_box(c, buf, sizeof buf, 0);
    assert_false(gui_wants_keyboard(c));
    gui_ctx_free(c);
}

/* ---- select, slider ----------------------------------------------------------------------- */

static const char *const items[] = {"alpha", "beta", "gamma", "delta"};

static bool draw_select(gui_ctx *c, int *sel)
{
    frame_begin(c);
    bool changed = gui_select(c, "pick", items, 4, sel, 0, NULL);
    gui_button(c, "below", NULL);
    frame_end(c);
    return changed;
}

static void select_opens_and_picks_by_mouse_and_keyboard(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    int sel = 0;
    draw_select(c, &sel);
    click_id(c, "pick");
    assert_false(draw_select(c, &sel));
    gui_rect r;
    assert_true(gui_widget_rect(c, gui_select_item_id(gui_id_global("pick"), 2), &r));
    click_at(c, r.x + 5, r.y + r.h / 2);
    assert_true(draw_select(c, &sel));
    assert_int_equal(sel, 2);
    /* closed again: the items are gone */
    draw_select(c, &sel);
    assert_false(gui_widget_rect(c, gui_select_item_id(gui_id_global("pick"), 2), &r));
    /* keyboard: open from a shortcut, Down, Enter */
    gui_open_popup(c, gui_id_global("pick"));
    draw_select(c, &sel);
    gui_input_key(c, GUI_KEY_DOWN, 0);
    draw_select(c, &sel);
    gui_input_key(c, GUI_KEY_ENTER, 0);
    assert_true(draw_select(c, &sel));
    assert_int_equal(sel, 3);
    gui_ctx_free(c);
}

static void open_select_shields_the_widget_under_its_list(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    int sel = 0, below = 0;
    frame_begin(c);
    gui_select(c, "pick", items, 4, &sel, 0, NULL);
    gui_button(c, "below", NULL);
    frame_end(c);
    click_id(c, "pick");
    for (int f = 0; f < 2; f++) {
        frame_begin(c);
        gui_select(c, "pick", items, 4, &sel, 0, NULL);
        below += gui_button(c, "below", NULL);
        frame_end(c);
        if (f == 0)
            click_id(c, "below"); /* the list covers it */
    }
    assert_int_equal(below, 0);
    assert_int_equal(sel, 0); /* the click chose the item on top instead */
    gui_ctx_free(c);
}

static void slider_follows_the_mouse_and_clamps(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    double v = 1;
    frame_begin(c);
    gui_slider(c, "speed", &v, 1, 60, 1, "%.0fx", 0, NULL);
    frame_end(c);
    gui_rect r;
    assert_true(gui_widget_rect(c, gui_id_global("speed"), &r));
    click_at(c, r.x + r.w - 2, r.y + r.h / 2);
    frame_begin(c);
    assert_true(gui_slider(c, "speed", &v, 1, 60, 1, "%.0fx", 0, NULL));
    frame_end(c);
    assert_true(v >= 59 && v <= 60);
    gui_input_mousemove(c, r.x + r.w / 2, r.y + r.h / 2);
    gui_input_scroll(c, -100);
    frame_begin(c);
    gui_slider(c, "speed", &v, 1, 60, 1, "%.0fx", 0, NULL);
    frame_end(c);
    assert_true(v == 1);
    gui_ctx_free(c);
}

/* ---- scrolling ---------------------------------------------------------------------------- */

static void draw_list(gui_ctx *c, int rows)
{
    frame_begin(c);
    gui_scroll_begin(c, "list", gui_rect_make(10, 10, 300, 200));
    for (int i = 0; i < rows; i++) {
        gui_push_id(c, i);
        gui_list_item(c, "row", "a row", false, NULL);
        gui_pop_id(c);
    }
    gui_scroll_end(c);
    frame_end(c);
}

static void list_scrolls_with_the_wheel_within_its_content(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    draw_list(c, 100);
    assert_int_equal(gui_scroll_get(c, "list"), 0);
    gui_input_mousemove(c, 100, 100);
    gui_input_scroll(c, -2);
    draw_list(c, 100);
    int y = gui_scroll_get(c, "list");
    assert_true(y > 0);
    gui_input_scroll(c, -10000);
    draw_list(c, 100);
    int max = gui_scroll_get(c, "list");
    gui_input_scroll(c, -10);
    draw_list(c, 100);
    assert_int_equal(gui_scroll_get(c, "list"), max); /* clamped at the end */
    const gui_style *st = gui_style_of(c);
    int content = 100 * (st->row_h + st->spacing);
    assert_true(max > content - 200 - 2 * st->row_h && max <= content);
    gui_input_scroll(c, 10000);
    draw_list(c, 100);
    assert_int_equal(gui_scroll_get(c, "list"), 0);
    /* A short list does not scroll. */
    gui_input_scroll(c, -5);
    draw_list(c, 3);
    draw_list(c, 3);
    assert_int_equal(gui_scroll_get(c, "list"), 0);
    gui_ctx_free(c);
}

static void scrolled_rows_outside_the_view_are_clipped_and_not_clickable(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    draw_list(c, 50);
    gui_rect r;
    gui_push_id(c, 40);
    gui_id far = gui_id_of(c, "row");
    gui_pop_id(c);
    assert_true(gui_widget_rect(c, far, &r));
    assert_true(r.y > 210); /* laid out below the view */
    click_at(c, r.x + 5, r.y + 2);
    frame_begin(c);
    gui_scroll_begin(c, "list", gui_rect_make(10, 10, 300, 200));
    int hits = 0;
    for (int i = 0; i < 50; i++) {
        gui_push_id(c, i);
        hits += gui_list_item(c, "row", "a row", false, NULL);
        gui_pop_id(c);
    }
    gui_scroll_end(c);
    frame_end(c);
    assert_int_equal(hits, 0);
    gui_ctx_free(c);
}

/* ---- text and commands -------------------------------------------------------------------- */

static int nlines;
static void count_line(void *ud, const char *s, int len)
{
    (void)ud;
    (void)s;
    assert_true(len * 8 <= 80);
    nlines++;
}

static void wrap_breaks_at_spaces_newlines_and_long_words(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    nlines = 0;
    /* 80 px = 10 characters per line */
    int n = gui_wrap(c, GUI_FONT_BODY, "one two three four", 80, count_line, NULL);
    assert_int_equal(n, 2); /* "one two", "three four" */
    assert_int_equal(gui_wrap(c, GUI_FONT_BODY, "a\n\nb", 80, NULL, NULL), 3);
    assert_int_equal(gui_wrap(c, GUI_FONT_BODY, "abcdefghijklmnopqrstuvwxyz", 80, count_line, NULL),
                     3);
    assert_int_equal(gui_wrap(c, GUI_FONT_BODY, "", 80, NULL, NULL), 0);
    assert_int_equal(gui_wrap(c, GUI_FONT_BODY, "end\n", 80, NULL, NULL), 1);
    gui_ctx_free(c);
}

static void popups_and_tooltips_draw_after_the_page(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    int sel = 0;
    gui_open_popup(c, gui_id_global("pick"));
    for (int f = 0; f < 2; f++) {
        frame_begin(c);
        gui_select(c, "pick", items, 4, &sel, 0, NULL);
        gui_label(c, "page text after the select");
        frame_end(c);
    }
    int it = 0, last_layer = 0, page_pos = -1, item_pos = -1, pos = 0;
    const gui_cmd *k;
    while (gui_cmd_next(c, &it, &k)) {
        assert_true(k->layer >= last_layer); /* layers come in order */
        last_layer = k->layer;
        if (k->type == GUI_CMD_TEXT && k->len == 26 && !memcmp(k->text, "page text", 9))
            page_pos = pos;
        if (k->type == GUI_CMD_TEXT && k->len == 5 && !memcmp(k->text, "gamma", 5))
            item_pos = pos;
        pos++;
    }
    assert_true(page_pos >= 0 && item_pos > page_pos);
    gui_ctx_free(c);
}

static void tooltip_shows_after_the_hover_delay(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    frame_begin(c);
    gui_button(c, "hover me", "the tip text");
    frame_end(c);
    gui_rect r;
    assert_true(gui_widget_rect(c, gui_id_global("hover me"), &r));
    gui_input_mousemove(c, r.x + 3, r.y + 3);
    uint32_t t0 = now_ms;
    frame_begin(c);
    gui_button(c, "hover me", "the tip text");
    frame_end(c);
    assert_int_equal(count_text(c, "the tip text", 2), 0);
    assert_true(gui_redraw_at(c) > t0); /* the app is told when to come back */
    now_ms += 1000;
    frame_begin(c);
    gui_button(c, "hover me", "the tip text");
    frame_end(c);
    assert_int_equal(count_text(c, "the tip text", 2), 1);
    gui_ctx_free(c);
}

static void frames_never_allocate(void **state)
{
    (void)state;
    nalloc = nfree = 0;
    gui_alloc hooks = {count_malloc, count_free};
    gui_ctx *c = gui_ctx_new(&hooks, fake_width, NULL, heights);
    assert_non_null(c);
    assert_int_equal(nalloc, 1);
    char buf[64] = "text";
    int sel = 1;
    bool on = false;
    double v = 3;
    gui_set_focus(c, gui_id_global("field"));
    gui_open_popup(c, gui_id_global("pick"));
    for (int f = 0; f < 300; f++) {
        gui_input_mousemove(c, f % 800, (f * 7) % 600);
        if (f % 7 == 0)
            gui_input_text(c, "x");
        if (f % 5 == 0)
            gui_input_key(c, GUI_KEY_BACKSPACE, 0);
        frame_begin(c);
        gui_labelf(c, "frame %d", f);
        gui_text(c,
                 "A paragraph that wraps over a few lines of the layout width, drawn every "
                 "frame.",
                 GUI_FONT_BODY, gui_theme_of(c)->text);
        gui_button(c, "a button", "tip");
        gui_checkbox(c, "box", "box", &on, 0, "tip");
        gui_select(c, "pick", items, 4, &sel, 0, "tip");
        gui_textbox(c, "field", buf, sizeof buf, 0, "tip");
        gui_slider(c, "slide", &v, 0, 10, 1, "%.0f", 0, "tip");
        gui_scroll_begin(c, "list", gui_rect_make(10, 300, 300, 200));
        for (int i = 0; i < 40; i++) {
            gui_push_id(c, i);
            gui_list_item(c, "row", gui_fmt(c, "row %d", i), i == 3, "tip");
            gui_pop_id(c);
        }
        gui_scroll_end(c);
        gui_point pts[64];
        for (int i = 0; i < 64; i++)
            pts[i] = (gui_point){(float)i * 5, (float)(i % 9) * 3};
        gui_draw_lines(c, pts, 64, gui_theme_of(c)->accent);
        frame_end(c);
    }
    assert_int_equal(nalloc, 1);
    gui_ctx_free(c);
    assert_int_equal(nfree, 1);
}

static void full_buffers_degrade_instead_of_failing(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    static char big[4096];
    memset(big, 'x', sizeof big - 1);
    frame_begin(c);
    for (int i = 0; i < 200; i++)
        gui_draw_text(c, GUI_FONT_BODY, 0, 10, gui_theme_of(c)->text, big, -1);
    for (int i = 0; i < 20000; i++)
        gui_draw_rect(c, gui_rect_make(i % 700, 10, 3, 3), gui_theme_of(c)->text);
    frame_end(c);
    gui_stats st;
    gui_frame_stats(c, &st);
    assert_true(st.dropped > 0);
    assert_true(st.text_bytes <= GUI_TEXT_ARENA);
    assert_true(st.cmds <= GUI_MAX_CMDS);
    /* The next frame starts clean. */
    frame_begin(c);
    gui_label(c, "fine");
    frame_end(c);
    gui_frame_stats(c, &st);
    assert_int_equal(st.dropped, 0);
    gui_ctx_free(c);
}

static void fmt_writes_into_the_frame_arena(void **state)
{
    (void)state;
    gui_ctx *c = new_ctx();
    frame_begin(c);
    const char *a = gui_fmt(c, "%d-%s", 42, "x");
    const char *b = gui_fmt(c, "%s", "second");
    assert_string_equal(a, "42-x");
    assert_string_equal(b, "second");
    frame_end(c);
    gui_ctx_free(c);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void theme_file_overrides_colours_and_rejects_typos(void **state)
{
    (void)state;
    gui_color col;
    assert_int_equal(gui_color_parse("#d55e00", &col), 0);
    assert_int_equal(col.r, 0xd5);
    assert_int_equal(col.a, 255);
    assert_int_equal(gui_color_parse("#00000096", &col), 0);
    assert_int_equal(col.a, 0x96);
    assert_int_equal(gui_color_parse("d55e00", &col), -1);
    assert_int_equal(gui_color_parse("#d55e0", &col), -1);
    assert_int_equal(gui_color_parse("#gg5e00", &col), -1);

    gui_ctx *c = new_ctx();
    gui_theme *t = gui_theme_mut(c);
    gui_color old_ok = t->ok;
    char path[1100];
    snprintf(path, sizeof path, "%s/test-theme.json", FIREDRILL_BUILD_DIR);
    write_file(path, "{\"x-note\": \"hi\", \"colors\": {\"bad\": \"#ff0000\"}, "
                     "\"series\": [\"#010203\"]}");
    mllm_diags d;
    mllm_diags_clear(&d);
    assert_int_equal(gui_theme_load(t, path, &d), 0);
    assert_int_equal(t->bad.r, 255);
    assert_int_equal(t->series[0].b, 3);
    assert_int_equal(t->ok.g, old_ok.g); /* untouched */
    write_file(path, "{\"colors\": {\"bda\": \"#ff0000\", \"ok\": \"green\"}}");
    mllm_diags_clear(&d);
    assert_true(gui_theme_load(t, path, &d) < 0);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.d[0].line, 1);
    assert_true(strstr(d.d[0].path, "bda") || strstr(d.d[1].path, "bda"));
    assert_int_equal(t->bad.r, 255); /* unchanged on error */
    remove(path);
    gui_ctx_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_places_cells_left_to_right_then_wraps),
        cmocka_unit_test(rect_cuts_split_without_overlap),
        cmocka_unit_test(button_fires_once_per_click),
        cmocka_unit_test(disabled_button_ignores_clicks),
        cmocka_unit_test(modal_blocks_the_page_beneath),
        cmocka_unit_test(confirm_answers_enter_and_escape),
        cmocka_unit_test(checkbox_and_tabs_respond_to_clicks),
        cmocka_unit_test(textbox_edits_at_the_cursor),
        cmocka_unit_test(textbox_never_overflows_its_buffer),
        cmocka_unit_test(numeric_textbox_refuses_letters_and_multiline_takes_newlines),
        cmocka_unit_test(click_elsewhere_drops_focus),
        cmocka_unit_test(select_opens_and_picks_by_mouse_and_keyboard),
        cmocka_unit_test(open_select_shields_the_widget_under_its_list),
        cmocka_unit_test(slider_follows_the_mouse_and_clamps),
        cmocka_unit_test(list_scrolls_with_the_wheel_within_its_content),
        cmocka_unit_test(scrolled_rows_outside_the_view_are_clipped_and_not_clickable),
        cmocka_unit_test(wrap_breaks_at_spaces_newlines_and_long_words),
        cmocka_unit_test(popups_and_tooltips_draw_after_the_page),
        cmocka_unit_test(tooltip_shows_after_the_hover_delay),
        cmocka_unit_test(frames_never_allocate),
        cmocka_unit_test(full_buffers_degrade_instead_of_failing),
        cmocka_unit_test(fmt_writes_into_the_frame_arena),
        cmocka_unit_test(theme_file_overrides_colours_and_rejects_typos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
