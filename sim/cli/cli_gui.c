/* cli_gui.c - `firedrill gui`: the SDL2 control panel (issue 4).
 *
 * Loads the world, the scenario and (optionally) a responder, then either
 * opens the window or, with --screenshot, runs the drill fast to --at and
 * renders one panel offscreen into a PNG. Without a display and without
 * --screenshot it says so and exits 2 (use `firedrill run` there). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef FIREDRILL_HAVE_GUI
int cli_gui(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "firedrill gui: this build has no GUI (configure with -DFIREDRILL_GUI=ON)\n");
    return 2;
}
#else
#include "gui_app.h"

static const char gui_usage[] =
    "usage: firedrill gui [SCENARIO] [options]\n"
    "\n"
    "Opens the control panel on a live drill: the trainee watches the dashboard, pulls the\n"
    "levers, diagnoses and resolves, then writes the post-mortem.\n"
    "\n"
    "  SCENARIO              a scenario file or id (default: " CLI_DEFAULT_SCENARIO ")\n"
    "  --trainer             the trainer view: start / pause, speed, live faults, decoys,\n"
    "                        ground truth and the live score\n"
    "  --speed X             drill seconds per wall second, 1 .. 60 (default 1)\n"
    "  --responder FILE      a scripted responder acts alongside you (window default: none;\n"
    "                        --screenshot default: the scenario's reference responder)\n"
    "  --no-responder        no scripted responder, also for --screenshot\n"
    "  --postmortem-out F    where the post-mortem form is saved (default ./postmortem.json)\n"
    "  --log FILE            write the drill's event log (JSON lines)\n"
    "  --out FILE            write the drill's result (JSON, as `firedrill run --out`) when\n"
    "                        the window closes (or at --at with --screenshot)\n"
    "  --software            use SDL's software renderer for the window\n"
    "  --size WxH            window size (default 1600x900) or screenshot size\n"
    "                        (default 1920x1080)\n"
    "  --screenshot OUT.png  run the drill fast to --at, render one panel offscreen, save it\n"
    "                        as PNG and exit (no display needed)\n"
    "  --at TIME             drill time of the screenshot, e.g. 15m, 1h5m (default 15m)\n"
    "  --panel NAME          the panel to render (default dashboard), or help\n"
    "\n"
    "Exit status: 0 when the window closed or the screenshot was saved, 2 on bad input or\n"
    "when there is no display (use --screenshot, or `firedrill run` for a headless drill).\n";

typedef struct gui_opts {
    char scenario[1024];
    char responder[1024];
    bool no_responder, trainer, software;
    double speed;
    int w, h;
    const char *shot, *panel, *pm_out, *log, *out;
    sim_time at;
} gui_opts;

static void print_help(void)
{
    fputs(gui_usage, stdout);
    printf("\nPanels (--panel NAME, key, tab):\n");
    for (int i = 0; gui_panel_names[i]; i++)
        printf("  %c  %-11s %s%s\n", gui_panel_keys[i], gui_panel_names[i], gui_panel_titles[i],
               i == GUI_P_TRAINER ? " (with --trainer)" : "");
    printf("\nKeyboard shortcuts (also F1 in the window):\n");
    for (int i = 0; gui_shortcuts[i].keys; i++)
        printf("  %-22s %s\n", gui_shortcuts[i].keys, gui_shortcuts[i].what);
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (*end != 'x' && *end != 'X')
        return -1;
    long b = strtol(end + 1, &end, 10);
    if (*end || a < 320 || b < 240 || a > 8192 || b > 8192)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_args(int argc, char **argv, gui_opts *o)
{
    memset(o, 0, sizeof *o);
    o->speed = 1;
    o->at = SIM_MIN(15);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool next = i + 1 < argc;
        if (strcmp(a, "--trainer") == 0)
            o->trainer = true;
        else if (strcmp(a, "--software") == 0)
            o->software = true;
        else if (strcmp(a, "--no-responder") == 0)
            o->no_responder = true;
        else if (strcmp(a, "--responder") == 0 && next)
            snprintf(o->responder, sizeof o->responder, "%s", argv[++i]);
        else if (strcmp(a, "--speed") == 0 && next) {
            o->speed = atof(argv[++i]);
            if (!(o->speed >= 1 && o->speed <= 60)) {
                fprintf(stderr, "firedrill gui: --speed wants 1 .. 60, got \"%s\"\n", argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--size") == 0 && next) {
            if (parse_size(argv[++i], &o->w, &o->h) != 0) {
                fprintf(stderr, "firedrill gui: --size wants WxH (e.g. 1920x1080), got \"%s\"\n",
                        argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--screenshot") == 0 && next)
            o->shot = argv[++i];
        else if (strcmp(a, "--at") == 0 && next) {
            uint64_t us;
            if (mllm_duration_parse(argv[++i], &us) != 0) {
                fprintf(stderr, "firedrill gui: --at wants a drill time such as 15m, got \"%s\"\n",
                        argv[i]);
                return -1;
            }
            o->at = us;
        } else if (strcmp(a, "--panel") == 0 && next)
            o->panel = argv[++i];
        else if (strcmp(a, "--postmortem-out") == 0 && next)
            o->pm_out = argv[++i];
        else if (strcmp(a, "--log") == 0 && next)
            o->log = argv[++i];
        else if (strcmp(a, "--out") == 0 && next)
            o->out = argv[++i];
        else if (a[0] == '-') {
            fprintf(stderr, "firedrill gui: unknown or incomplete option \"%s\" (see --help)\n", a);
            return -1;
        } else if (!o->scenario[0])
            cli_scenario_path(a, o->scenario, sizeof o->scenario);
        else {
            fprintf(stderr, "firedrill gui: one scenario at a time (got \"%s\")\n", a);
            return -1;
        }
    }
    if (o->panel && !o->shot) {
        fprintf(stderr, "firedrill gui: --panel goes with --screenshot\n");
        return -1;
    }
    return 0;
}

static bool have_display(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && (strcmp(drv, "dummy") == 0 || strcmp(drv, "offscreen") == 0))
        return true;
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wl && *wl);
}

/* The drill stopped here (window closed, screenshot taken): cli_stopped_result,
 * saying where the result went. 0, or 1 when it could not be written. */
static int write_result(gui_app *app, const sim_responder *rp, const sim_scenario *sc,
                        const mllm_world *w, const char *out)
{
    int rc = cli_stopped_result("gui", gui_app_drill(app), rp, sc, w, out, false);
    if (rc == 0 && out)
        fprintf(stderr, "firedrill gui: result written to %s\n", out);
    return rc == 0 ? 0 : 1;
}

int cli_gui(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_help();
            return 0;
        }
    gui_opts o;
    if (parse_args(argc, argv, &o) != 0)
        return 2;
    if (o.panel) {
        bool known = strcmp(o.panel, "help") == 0;
        for (int i = 0; gui_panel_names[i]; i++)
            known |= strcmp(gui_panel_names[i], o.panel) == 0;
        if (!known) {
            fprintf(stderr, "firedrill gui: no panel \"%s\" (see --help for the list)\n", o.panel);
            return 2;
        }
        if (strcmp(o.panel, "trainer") == 0)
            o.trainer = true;
    }
    if (!o.shot && !have_display()) {
        fprintf(stderr, "firedrill gui: no display (DISPLAY and WAYLAND_DISPLAY are unset).\n"
                        "  Render a panel offscreen:  firedrill gui SCENARIO --screenshot OUT.png "
                        "--at 15m\n"
                        "  Or run the drill headless: firedrill run SCENARIO\n");
        return 2;
    }
    if (!o.scenario[0])
        snprintf(o.scenario, sizeof o.scenario, "%s/%s", cli_data_dir(), CLI_DEFAULT_SCENARIO);
    if (o.shot && !o.responder[0] && !o.no_responder)
        cli_responder_for(o.scenario, o.responder, sizeof o.responder);
    if (o.no_responder)
        o.responder[0] = '\0';

    bool out_created = false; /* found out now, not when the drill is over */
    if (o.out && cli_out_check("gui", o.out, &out_created) != 0)
        return 2;
    int status = 2;
    sim_scenario *sc = NULL;
    sim_responder *rp = NULL;
    gui_app *app = NULL;
    mllm_world *w = cli_load_world();
    if (!w)
        goto out;
    if (cli_load_inputs(o.scenario, o.responder, w, &sc, &rp) != 0)
        goto out;
    gui_app_opts ao = {
        .world = w,
        .scenario = sc,
        .responder = rp,
        .scenario_path = o.scenario,
        .responder_path = o.responder[0] ? o.responder : NULL,
        .log_path = o.log,
        .postmortem_out = o.pm_out ? o.pm_out : "postmortem.json",
        .trainer = o.trainer,
        .speed = o.speed,
        .width = o.w      ? o.w
                 : o.shot ? 1920
                          : 1600,
        .height = o.h      ? o.h
                  : o.shot ? 1080
                           : 900,
        .offscreen = o.shot != NULL,
        .software = o.software,
    };
    char theme[1100];
    snprintf(theme, sizeof theme, "%s/assets/theme.json", cli_data_dir());
    if (access(theme, R_OK) == 0)
        ao.theme_path = theme;
    char err[600];
    app = gui_app_new(&ao, err, sizeof err);
    if (!app) {
        fprintf(stderr, "firedrill gui: %s\n", err);
        goto out;
    }
    if (o.shot) {
        gui_app_advance_to(app, o.at);
        if (!gui_app_set_panel(app, o.panel ? o.panel : "dashboard")) {
            fprintf(stderr, "firedrill gui: panel \"%s\" needs --trainer\n", o.panel);
            goto out;
        }
        if (strcmp(o.panel ? o.panel : "", "traces") == 0)
            gui_pick_failing_trace(gui_app_state(app));
        gui_app_frame(app); /* the first frame measures scroll regions and popups */
        gui_app_frame(app);
        if (gui_app_save_png(app, o.shot) != 0) {
            fprintf(stderr, "firedrill gui: cannot save %s: %s\n", o.shot, SDL_GetError());
            goto out;
        }
        char tb[24];
        fprintf(stderr, "firedrill gui: %s panel at T+%s saved to %s (%dx%d)\n",
                o.panel ? o.panel : "dashboard",
                gui_time_str(sim_drill_now(gui_app_drill(app)), tb, sizeof tb), o.shot, ao.width,
                ao.height);
        status = write_result(app, rp, sc, w, o.out);
        goto out;
    }
    fprintf(stderr, "firedrill gui: drill %s, seed %llu, %s view at %gx (F1 for help)\n", sc->id,
            (unsigned long long)sc->seed, o.trainer ? "trainer" : "trainee", o.speed);
    status = gui_app_run(app);
    if (status == 0)
        status = write_result(app, rp, sc, w, o.out);
out:
    if (status == 2)
        cli_out_discard(o.out, out_created);
    gui_app_free(app);
    sim_responder_free(rp);
    sim_scenario_free(sc);
    mllm_world_free(w);
    return status;
}
#endif
