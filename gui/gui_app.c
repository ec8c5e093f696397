/* gui_app.c - window, loop, pacing, shortcuts and screenshots of the control panel.
 *
 * One thread: each turn of the loop moves the drill to the pacer's target
 * (bounded work), redraws when something visible changed, then sleeps until
 * the next reason to draw (input, the next 10 s point at the current speed,
 * the clock's half second, a tooltip). Shortcuts are read from key-down
 * events only while no text field has the keyboard; the text event a
 * printable shortcut also produces is dropped. */
#include "gui_app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gui_sdl.h"
#include "gui_theme.h"

#define MIN_W 960
#define MIN_H 600

struct gui_app {
    gui_app_opts o;
    sim_drill *d;
    SDL_Window *win;
    SDL_Renderer *ren;
    gui_sdl_offscreen off;
    gui_sdl *be;
    gui_ctx *ui;
    gui_state s;
    bool video;     /* we initialised SDL's video */
    char drop_char; /* the text event a printable shortcut key also produces */
    bool dirty;
    bool flash_pending; /* a shortcut's highlight is showing */
    uint64_t gen_drawn;
    uint64_t last_draw_ns;
    uint64_t t0_ns;
    double split[3]; /* last frame: build, render, present (ms) */
    bool direct;     /* SDL's software renderer: big fills go to its surface */
};

uint64_t gui_app_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t ms_now(const gui_app *a)
{
    return (uint32_t)((gui_app_wall_ns() - a->t0_ns) / 1000000u);
}

static int setup_backend(gui_app *a, SDL_Renderer *r, char *err, size_t errlen)
{
    a->be = gui_sdl_new(r, gui_sdl_px_for(a->s.win_w, a->s.win_h), err, errlen);
    if (!a->be)
        return -1;
    int fh[GUI_FONT_COUNT];
    gui_sdl_font_heights(a->be, fh);
    a->ui = gui_ctx_new(NULL, gui_sdl_text_width, a->be, fh);
    if (!a->ui) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

gui_app *gui_app_new(const gui_app_opts *o, char *err, size_t errlen)
{
    gui_app *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    a->o = *o;
    a->t0_ns = gui_app_wall_ns();
    int w = o->width > 0 ? o->width : 1600, h = o->height > 0 ? o->height : 900;
    sim_drill_opts dopts = {.log_path = o->log_path,
                            .responder = o->responder,
                            .scenario_path = o->scenario_path,
                            .responder_path = o->responder_path};
    a->d = sim_drill_new(o->scenario, o->world, &dopts, err, errlen);
    if (!a->d)
        goto fail;
    gui_state_init(&a->s, a->d, o->trainer);
    a->s.win_w = w;
    a->s.win_h = h;
    a->s.speed = o->speed > 0 ? o->speed : 1;
    if (o->postmortem_out && *o->postmortem_out)
        snprintf(a->s.pm_path, sizeof a->s.pm_path, "%s", o->postmortem_out);
    if (o->offscreen) {
        if (gui_sdl_offscreen_init(&a->off, w, h) != 0) {
            snprintf(err, errlen, "cannot create an offscreen renderer: %s", SDL_GetError());
            goto fail;
        }
        a->ren = a->off.renderer;
    } else {
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
            snprintf(err, errlen, "cannot open a display: %s", SDL_GetError());
            goto fail;
        }
        a->video = true;
        if (o->software) {
            SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
            /* Present through the window system's own framebuffer (XShm on X11), not
               through a GL texture that a software GL would emulate. */
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        }
        char title[200];
        snprintf(title, sizeof title, "Firedrill \xE2\x80\x94 %s%s", o->scenario->title,
                 o->trainer ? " (trainer)" : "");
        a->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                                  SDL_WINDOW_RESIZABLE);
        if (!a->win) {
            snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
            goto fail;
        }
        SDL_SetWindowMinimumSize(a->win, MIN_W, MIN_H);
        a->ren = SDL_CreateRenderer(a->win, -1, o->software ? SDL_RENDERER_SOFTWARE : 0);
        if (!a->ren)
            a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
        if (!a->ren) {
            snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
            goto fail;
        }
        int ow, oh;
        if (SDL_GetRendererOutputSize(a->ren, &ow, &oh) == 0) {
            a->s.win_w = ow;
            a->s.win_h = oh;
        }
        SDL_StartTextInput();
    }
    if (setup_backend(a, a->ren, err, errlen) != 0)
        goto fail;
    if (o->theme_path && *o->theme_path) {
        mllm_diags diags;
        mllm_diags_clear(&diags);
        if (gui_theme_load(gui_theme_mut(a->ui), o->theme_path, &diags) != 0) {
            const mllm_diag *dg = diags.n ? &diags.d[0] : NULL;
            if (dg)
                snprintf(err, errlen, "%s:%d:%d: %s: %s", dg->file, dg->line, dg->col, dg->path,
                         dg->msg);
            else
                snprintf(err, errlen, "cannot read the theme %s", o->theme_path);
            goto fail;
        }
    }
    SDL_RendererInfo ri;
    a->direct = SDL_GetRendererInfo(a->ren, &ri) == 0 && strcmp(ri.name, "software") == 0;
    sim_pacer_init(&a->s.pacer, a->s.speed, gui_app_wall_ns(), 0);
    if (!a->s.running)
        sim_pacer_pause(&a->s.pacer, true, gui_app_wall_ns());
    gui_data_sync(&a->s.data);
    a->dirty = true;
    if (o->trainer)
        gui_say(&a->s, false,
                "Trainer view: press Space or Start (Trainer panel, 0) to run the "
                "drill");
    return a;
fail:
    gui_app_free(a);
    return NULL;
}

void gui_app_free(gui_app *a)
{
    if (!a)
        return;
    gui_ctx_free(a->ui);
    gui_sdl_free(a->be);
    if (a->win) {
        SDL_DestroyRenderer(a->ren);
        SDL_DestroyWindow(a->win);
    }
    gui_sdl_offscreen_release(&a->off);
    if (a->video)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    sim_drill_free(a->d);
    free(a);
}

sim_drill *gui_app_drill(gui_app *a)
{
    return a->d;
}

gui_state *gui_app_state(gui_app *a)
{
    return &a->s;
}

gui_ctx *gui_app_ui(gui_app *a)
{
    return a->ui;
}

/* ---- the drill ---------------------------------------------------------------------------- */

static void step_to(gui_app *a, sim_time t)
{
    sim_time now = sim_drill_now(a->d);
    while (now < t && !sim_drill_finished(a->d)) {
        sim_time next = (now / GUI_STEP + 1) * GUI_STEP;
        if (next > t)
            next = t;
        sim_drill_run_until(a->d, next);
        gui_data_sync(&a->s.data);
        sim_time after = sim_drill_now(a->d);
        if (after == now)
            break;
        now = after;
    }
    gui_data_sync(&a->s.data);
}

void gui_app_advance_to(gui_app *a, sim_time t)
{
    step_to(a, t);
}

void gui_app_pace(gui_app *a, uint64_t wall_ns, int budget_ms)
{
    if (!a->s.running || sim_drill_finished(a->d))
        return;
    sim_time target = sim_pacer_target(&a->s.pacer, wall_ns);
    uint64_t start = gui_app_wall_ns();
    while (sim_drill_now(a->d) < target && !sim_drill_finished(a->d)) {
        sim_time now = sim_drill_now(a->d);
        sim_time next = (now / GUI_STEP + 1) * GUI_STEP;
        step_to(a, next < target ? next : target);
        if (sim_drill_now(a->d) == now)
            break;
        if (gui_app_wall_ns() - start > (uint64_t)budget_ms * 1000000u)
            break;
    }
}

static void set_speed(gui_app *a, double speed)
{
    if (speed < 1)
        speed = 1;
    if (speed > 60)
        speed = 60;
    a->s.speed = speed;
    sim_pacer_set_speed(&a->s.pacer, speed, gui_app_wall_ns());
    gui_say(&a->s, false, "Speed %gx", speed);
}

static void set_running(gui_app *a, bool run)
{
    a->s.running = run;
    sim_pacer_pause(&a->s.pacer, !run, gui_app_wall_ns());
    /* Re-anchor at the drill's actual time so a slow catch-up is not replayed. */
    a->s.pacer.virt0 = sim_drill_now(a->d);
    gui_say(&a->s, false, run ? "Running at %gx" : "Paused (Space resumes)", a->s.speed);
}

/* ---- frames ------------------------------------------------------------------------------- */

void gui_app_frame(gui_app *a)
{
    gui_state *s = &a->s;
    /* The trainer's start / pause and speed controls change state directly. */
    bool was_running = s->running;
    double was_speed = s->speed;
    s->now_ms = ms_now(a);
    uint64_t t0 = gui_app_wall_ns();
    gui_begin(a->ui, s->win_w, s->win_h, s->now_ms);
    gui_frame(a->ui, s);
    gui_end(a->ui);
    if (s->running != was_running) {
        s->running = was_running;
        set_running(a, !was_running);
    }
    if (s->speed != was_speed) {
        double sp = s->speed;
        s->speed = was_speed;
        set_speed(a, sp);
    }
    uint64_t t1 = gui_app_wall_ns();
    gui_sdl_set_direct(a->be,
                       a->direct ? (a->win ? SDL_GetWindowSurface(a->win) : a->off.surface) : NULL);
    gui_sdl_render(a->be, a->ui);
    uint64_t t2 = gui_app_wall_ns();
    if (a->win)
        SDL_RenderPresent(a->ren);
    uint64_t t3 = gui_app_wall_ns();
    a->split[0] = (double)(t1 - t0) / 1e6;
    a->split[1] = (double)(t2 - t1) / 1e6;
    a->split[2] = (double)(t3 - t2) / 1e6;
    a->gen_drawn = s->data.gen;
    a->last_draw_ns = gui_app_wall_ns();
    a->dirty = gui_input_used(a->ui);
}

void gui_app_frame_split(const gui_app *a, double *build, double *render, double *present)
{
    *build = a->split[0];
    *render = a->split[1];
    *present = a->split[2];
}

int gui_app_save_png(gui_app *a, const char *path)
{
    /* Render the frame again: a window's renderer may have presented it away. */
    gui_sdl_set_direct(a->be,
                       a->direct ? (a->win ? SDL_GetWindowSurface(a->win) : a->off.surface) : NULL);
    gui_sdl_render(a->be, a->ui);
    return gui_sdl_save_png(a->ren, path);
}

bool gui_app_set_panel(gui_app *a, const char *name)
{
    for (int i = 0; gui_panel_names[i]; i++)
        if (strcmp(gui_panel_names[i], name) == 0) {
            if (i == GUI_P_TRAINER && !a->s.trainer)
                return false;
            a->s.panel = (gui_panel)i;
            a->dirty = true;
            return true;
        }
    if (strcmp(name, "help") == 0) {
        a->s.help = true;
        return true;
    }
    return false;
}

static bool center_of(gui_app *a, gui_id id, int *x, int *y);

bool gui_app_widget_center(gui_app *a, const char *id, int *x, int *y)
{
    return center_of(a, gui_id_global(id), x, y);
}

static bool center_of(gui_app *a, gui_id id, int *x, int *y)
{
    gui_rect r;
    if (!gui_widget_rect(a->ui, id, &r))
        return false;
    *x = r.x + r.w / 2;
    *y = r.y + r.h / 2;
    return true;
}

bool gui_app_tab_center(gui_app *a, int panel, int *x, int *y)
{
    return center_of(a, gui_tab_id("tabs", panel), x, y);
}

bool gui_app_item_center(gui_app *a, const char *select_id, int i, int *x, int *y)
{
    return center_of(a, gui_select_item_id(gui_id_global(select_id), i), x, y);
}

void gui_app_text_stats(gui_app *a, long *hits, long *misses, int *textures)
{
    gui_sdl_stats st;
    gui_sdl_stats_get(a->be, &st);
    *hits = st.hits;
    *misses = st.misses;
    *textures = st.textures;
}

uint32_t gui_app_window_id(gui_app *a)
{
    return a->win ? SDL_GetWindowID(a->win) : 0;
}

int gui_app_resize(gui_app *a, int w, int h)
{
    if (w < 200 || h < 200)
        return -1;
    if (a->win) {
        SDL_SetWindowSize(a->win, w, h);
        int ow, oh;
        if (SDL_GetRendererOutputSize(a->ren, &ow, &oh) == 0) {
            w = ow;
            h = oh;
        }
    } else {
        gui_sdl_offscreen nw;
        if (gui_sdl_offscreen_init(&nw, w, h) != 0)
            return -1;
        gui_ctx_free(a->ui);
        gui_sdl_free(a->be);
        a->ui = NULL;
        a->be = NULL;
        gui_sdl_offscreen_release(&a->off);
        a->off = nw;
        a->ren = nw.renderer;
        a->s.win_w = w;
        a->s.win_h = h;
        char err[256];
        if (setup_backend(a, a->ren, err, sizeof err) != 0)
            return -1;
    }
    a->s.win_w = w;
    a->s.win_h = h;
    int px = gui_sdl_px_for(w, h);
    if (px != gui_sdl_px(a->be) && gui_sdl_set_px(a->be, px) == 0) {
        int fh[GUI_FONT_COUNT];
        gui_sdl_font_heights(a->be, fh);
        gui_set_font_heights(a->ui, fh);
    }
    a->dirty = true;
    return 0;
}

/* ---- shortcuts ---------------------------------------------------------------------------- */

static void point_at(gui_app *a, gui_panel p, const char *id, int how)
{
    gui_state *s = &a->s;
    s->panel = p;
    s->flash = gui_id_global(id);
    s->flash_until = ms_now(a) + 1500;
    a->flash_pending = true;
    if (how == 1)
        gui_open_popup(a->ui, gui_id_global(id));
    else if (how == 2)
        gui_set_focus(a->ui, gui_id_global(id));
}

static void toggle_lever(gui_app *a, sim_action_kind k, bool on)
{
    gui_act(&a->s, k, on ? "off" : "on");
}

static void screenshot(gui_app *a)
{
    char path[128];
    snprintf(path, sizeof path, "firedrill-%s.png", gui_panel_names[a->s.panel]);
    if (gui_app_save_png(a, path) == 0)
        gui_say(&a->s, false, "Saved %s", path);
    else
        gui_say(&a->s, true, "Cannot save %s: %s", path, SDL_GetError());
}

/* Returns true when the key was a shortcut. */
static bool shortcut(gui_app *a, SDL_Keycode k, Uint16 mod)
{
    gui_state *s = &a->s;
    const mllm_controls *ct = mllm_service_controls(sim_drill_service(a->d));
    bool shift = mod & KMOD_SHIFT;
    int npanels = s->trainer ? GUI_P_COUNT : GUI_P_COUNT - 1;
    if (k >= SDLK_0 && k <= SDLK_9) {
        int p = k == SDLK_0 ? 9 : (int)(k - SDLK_1);
        if (p < npanels)
            s->panel = (gui_panel)p;
        return true;
    }
    switch (k) {
    case SDLK_TAB:
        s->panel = (gui_panel)(((int)s->panel + (shift ? npanels - 1 : 1)) % npanels);
        return true;
    case SDLK_SLASH:
        if (shift) {
            s->help = !s->help;
            return true;
        }
        point_at(a, GUI_P_TRACES, "tr.search", 2);
        return true;
    case SDLK_k:
        if (gui_pending_of(s, SIM_ACT_KILL_SWITCH, NULL)) {
            gui_say(s, false, "A kill switch request is already pending");
        } else if (ct->kill_switch) {
            gui_ask(s, SIM_ACT_KILL_SWITCH, "off", "Turn the kill switch off?",
                    "Traffic goes back to the assistant. Do it once the cause is fixed.",
                    "Turn off");
        } else {
            gui_ask(s, SIM_ACT_KILL_SWITCH, "on", "Turn the kill switch on?",
                    gui_fmt(a->ui,
                            "Every request gets the %s fallback instead of the "
                            "assistant. %s",
                            mllm_fallback_names[ct->fallback],
                            (s->sc->runbook.needs_approval >> SIM_ACT_KILL_SWITCH) & 1u
                                ? "The runbook needs approval first."
                                : ""),
                    "Turn on");
        }
        return true;
    case SDLK_f:
        point_at(a, GUI_P_CONTROLS, "ctl.fallback", 1);
        return true;
    case SDLK_p:
        point_at(a, GUI_P_CONTROLS, "ctl.prompt", 1);
        return true;
    case SDLK_m:
        point_at(a, GUI_P_CONTROLS, "ctl.route", 1);
        return true;
    case SDLK_v:
        point_at(a, GUI_P_CONTROLS, "ctl.pin", 1);
        return true;
    case SDLK_s:
        point_at(a, GUI_P_CONTROLS, "ctl.snapshot", 1);
        return true;
    case SDLK_t:
        point_at(a, GUI_P_CONTROLS, "ctl.types", 0);
        return true;
    case SDLK_o:
        point_at(a, GUI_P_CONTROLS, "ctl.topics", 0);
        return true;
    case SDLK_h:
        point_at(a, GUI_P_CONTROLS, "ctl.throttle", 2);
        return true;
    case SDLK_c:
        point_at(a, GUI_P_CONTROLS, "ctl.ctxcap", 2);
        return true;
    case SDLK_j:
        point_at(a, GUI_P_CONTROLS, "ctl.maxtok", 2);
        return true;
    case SDLK_d:
        toggle_lever(a, SIM_ACT_DISCLAIMER, ct->disclaimer);
        return true;
    case SDLK_b:
        toggle_lever(a, SIM_ACT_BACKOFF, ct->backoff);
        return true;
    case SDLK_g:
        toggle_lever(a, SIM_ACT_API_COMPAT, ct->api_compat);
        return true;
    case SDLK_u:
        toggle_lever(a, SIM_ACT_PARSER_COMPAT, ct->parser_lenient);
        return true;
    case SDLK_x:
        gui_ask(s, SIM_ACT_REINDEX, "", "Rebuild the index?",
                "Reindexing reads the current sources into a new snapshot; the job takes a few "
                "minutes and the old snapshot stays available for a restore.",
                "Reindex");
        return true;
    case SDLK_l:
        gui_ask(s, SIM_ACT_FLUSH_CACHE, "", "Flush the response cache?",
                "Every cached answer is dropped; the next requests go to the model.", "Flush");
        return true;
    case SDLK_a:
        gui_act(s, SIM_ACT_ACK, "*");
        return true;
    case SDLK_i:
        point_at(a, GUI_P_INCIDENT, "inc.declare", 0);
        return true;
    case SDLK_n:
        point_at(a, GUI_P_INCIDENT, "inc.note", 2);
        return true;
    case SDLK_r:
        gui_reproduce_selected(s);
        return true;
    case SDLK_e:
        gui_eval_selected(s);
        return true;
    case SDLK_SPACE:
        if (s->trainer)
            set_running(a, !s->running);
        return s->trainer;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
    case SDLK_MINUS:
    case SDLK_KP_MINUS: {
        if (!s->trainer)
            return false;
        static const double steps[] = {1, 2, 5, 10, 20, 30, 60};
        int i = 0;
        while (i < 6 && steps[i] < s->speed - 1e-9)
            i++;
        bool up = k == SDLK_PLUS || k == SDLK_EQUALS || k == SDLK_KP_PLUS;
        i = up ? (i < 6 ? i + 1 : 6) : (i > 0 ? i - 1 : 0);
        set_speed(a, steps[i]);
        return true;
    }
    default:
        return false;
    }
}

bool gui_app_event(gui_app *a, const SDL_Event *e)
{
    gui_state *s = &a->s;
    switch (e->type) {
    case SDL_QUIT:
        s->quit = true;
        return false;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            e->window.event == SDL_WINDOWEVENT_RESIZED) {
            int ow, oh;
            if (SDL_GetRendererOutputSize(a->ren, &ow, &oh) == 0) {
                a->s.win_w = ow;
                a->s.win_h = oh;
                int px = gui_sdl_px_for(ow, oh);
                if (px != gui_sdl_px(a->be) && gui_sdl_set_px(a->be, px) == 0) {
                    int fh[GUI_FONT_COUNT];
                    gui_sdl_font_heights(a->be, fh);
                    gui_set_font_heights(a->ui, fh);
                }
            }
        }
        a->dirty = true;
        return true;
    case SDL_KEYDOWN: {
        SDL_Keycode k = e->key.keysym.sym;
        Uint16 mod = e->key.keysym.mod;
        a->drop_char = 0;
        a->dirty = true;
        if ((mod & KMOD_CTRL) && (k == SDLK_q || k == SDLK_w)) {
            s->quit = true;
            return true;
        }
        if (k == SDLK_F1) {
            s->help = !s->help;
            return true;
        }
        if (k == SDLK_F12) {
            screenshot(a);
            return true;
        }
        if (k == SDLK_ESCAPE && s->help && !s->confirm_open) {
            s->help = false;
            return true;
        }
        bool modal = s->confirm_open || s->help;
        if (!modal && !gui_wants_keyboard(a->ui) && !(mod & (KMOD_CTRL | KMOD_ALT)) &&
            shortcut(a, k, mod)) {
            a->drop_char = k > ' ' && k < 127 ? (char)k : 0;
            return true;
        }
        gui_sdl_feed(a->ui, e);
        return true;
    }
    case SDL_TEXTINPUT: {
        char dc = a->drop_char;
        a->drop_char = 0;
        if (dc && e->text.text[1] == '\0' &&
            (e->text.text[0] == dc || e->text.text[0] == dc - 'a' + 'A'))
            return false;
        if (!gui_wants_keyboard(a->ui)) {
            if (strcmp(e->text.text, "?") == 0 && !s->confirm_open) {
                s->help = !s->help;
                a->dirty = true;
                return true;
            }
            return false;
        }
        gui_sdl_feed(a->ui, e);
        a->dirty = true;
        return true;
    }
    default:
        if (e->type == SDL_MOUSEBUTTONDOWN)
            a->drop_char = 0;
        if (gui_sdl_feed(a->ui, e)) {
            a->dirty = true;
            return true;
        }
        return false;
    }
}

bool gui_app_pump(gui_app *a)
{
    SDL_Event e;
    bool any = false;
    while (SDL_PollEvent(&e))
        any |= gui_app_event(a, &e);
    return any;
}

/* ---- the loop ----------------------------------------------------------------------------- */

/* Milliseconds until the next reason to redraw without input. */
static int wait_ms(gui_app *a)
{
    gui_state *s = &a->s;
    int ms = 1000;
    if (s->running && !sim_drill_finished(a->d)) {
        sim_time now = sim_drill_now(a->d);
        sim_time next = (now / GUI_STEP + 1) * GUI_STEP;
        double wall = (double)(next - now) / 1000.0 / s->speed;
        if (wall < ms)
            ms = (int)wall + 1;
        uint64_t since = (gui_app_wall_ns() - a->last_draw_ns) / 1000000u;
        int clock = since >= 500 ? 0 : 500 - (int)since;
        if (clock < ms)
            ms = clock;
    }
    uint32_t due = gui_redraw_at(a->ui);
    if (due) {
        uint32_t now = ms_now(a);
        int d = (int32_t)(due - now) > 0 ? (int)(due - now) : 0;
        if (d < ms)
            ms = d;
    }
    if (a->flash_pending) {
        int d = (int32_t)(s->flash_until - ms_now(a)) > 0 ? (int)(s->flash_until - ms_now(a)) : 0;
        if (d + 5 < ms)
            ms = d + 5;
    }
    return ms < 0 ? 0 : ms;
}

int gui_app_run(gui_app *a)
{
    gui_state *s = &a->s;
    while (!s->quit) {
        uint64_t now = gui_app_wall_ns();
        gui_app_pace(a, now, 30);
        if (s->data.gen != a->gen_drawn)
            a->dirty = true;
        if (s->running && !sim_drill_finished(a->d) &&
            gui_app_wall_ns() - a->last_draw_ns >= 500000000ull)
            a->dirty = true;
        uint32_t due = gui_redraw_at(a->ui);
        if (due && (int32_t)(ms_now(a) - due) >= 0)
            a->dirty = true;
        if (a->flash_pending && (int32_t)(ms_now(a) - s->flash_until) >= 0) {
            a->flash_pending = false;
            a->dirty = true;
        }
        if (a->dirty)
            gui_app_frame(a);
        if (s->quit)
            break;
        /* Behind the pacer (a slow catch-up): keep going without sleeping. */
        bool behind =
            s->running && !sim_drill_finished(a->d) &&
            sim_drill_now(a->d) + GUI_STEP < sim_pacer_target(&s->pacer, gui_app_wall_ns());
        int ms = a->dirty || behind ? 0 : wait_ms(a);
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, ms)) {
            gui_app_event(a, &e);
            gui_app_pump(a);
        }
    }
    return 0;
}
