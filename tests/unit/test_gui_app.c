/* test_gui_app.c - the control panel on a real drill, driven by synthetic SDL
 * events under the dummy video driver with the software renderer.
 *
 * A whole drill: click the kill switch, confirm, wait out the approval and
 * see the engine's controls change; declare, diagnose through the decision
 * table, roll the prompt back, resolve and find the scorecard; add a failing
 * trace to the post-mortem, answer, submit and read the JSON back. Every
 * panel is saved as a PNG under FIREDRILL_BUILD_DIR/screenshots/ and checked
 * for size and for not being blank. Also: shortcuts, the help overlay,
 * resizing, the trainee view never showing truth, and steady frames creating
 * no text texture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <cJSON.h>

#include "gui_app.h"
#include "sim_eval.h"

#ifndef FIREDRILL_DATA_DIR
#define FIREDRILL_DATA_DIR "."
#endif
#ifndef FIREDRILL_BUILD_DIR
#define FIREDRILL_BUILD_DIR "."
#endif

typedef struct fixture {
    mllm_world *w;
    sim_scenario *sc;
    gui_app *app;
} fixture;

static const char *data_dir(void)
{
    const char *e = getenv("FIREDRILL_DATA_DIR");
    return e && *e ? e : FIREDRILL_DATA_DIR;
}

static gui_app *open_app(fixture *f, bool trainer, bool offscreen, int w, int h)
{
    char dir[1024], path[1100], pm[1100];
    snprintf(dir, sizeof dir, "%s/assets", data_dir());
    mllm_diags diags;
    mllm_diags_clear(&diags);
    if (!f->w) {
        f->w = mllm_world_load(dir, &diags);
        if (!f->w)
            mllm_diags_print(&diags, stderr);
        assert_non_null(f->w);
        snprintf(path, sizeof path, "%s/scenarios/friendly-prompt.json", data_dir());
        f->sc = sim_scenario_load(path, f->w, &diags);
        if (!f->sc)
            mllm_diags_print(&diags, stderr);
        assert_non_null(f->sc);
    }
    snprintf(pm, sizeof pm, "%s/screenshots/test-postmortem.json", FIREDRILL_BUILD_DIR);
    gui_app_opts o = {.world = f->w,
                      .scenario = f->sc,
                      .trainer = trainer,
                      .speed = 10,
                      .width = w,
                      .height = h,
                      .offscreen = offscreen,
                      .software = true,
                      .postmortem_out = pm};
    char err[256];
    gui_app *a = gui_app_new(&o, err, sizeof err);
    if (!a)
        fprintf(stderr, "gui_app_new: %s\n", err);
    assert_non_null(a);
    gui_app_frame(a);
    return a;
}

static int setup(void **state)
{
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return -1;
    }
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/screenshots", FIREDRILL_BUILD_DIR);
    mkdir(dir, 0777);
    fixture *f = calloc(1, sizeof *f);
    *state = f;
    return f ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gui_app_free(f->app);
    sim_scenario_free(f->sc);
    mllm_world_free(f->w);
    free(f);
    SDL_Quit();
    return 0;
}

static int after_each(void **state)
{
    fixture *f = *state;
    gui_app_free(f->app);
    f->app = NULL;
    return 0;
}

/* ---- synthetic input ---------------------------------------------------------------------- */

static void push(const SDL_Event *e)
{
    SDL_Event copy = *e;
    assert_int_equal(SDL_PushEvent(&copy), 1);
}

/* Delivers the queued events and draws twice (the click, then its effect). */
static void settle(gui_app *a)
{
    gui_app_pump(a);
    gui_app_frame(a);
    gui_app_frame(a);
}

static void click_xy(gui_app *a, int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.windowID = gui_app_window_id(a);
    e.motion.x = x;
    e.motion.y = y;
    push(&e);
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.windowID = gui_app_window_id(a);
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    push(&e);
    e.type = SDL_MOUSEBUTTONUP;
    e.button.state = SDL_RELEASED;
    push(&e);
    settle(a);
}

static void click(gui_app *a, const char *id)
{
    int x, y;
    if (!gui_app_widget_center(a, id, &x, &y))
        fail_msg("no widget \"%s\" on the %s panel", id, gui_panel_names[gui_app_state(a)->panel]);
    click_xy(a, x, y);
}

static void click_tab(gui_app *a, int panel)
{
    int x, y;
    assert_true(gui_app_tab_center(a, panel, &x, &y));
    click_xy(a, x, y);
    assert_int_equal(gui_app_state(a)->panel, panel);
}

static void key(gui_app *a, SDL_Keycode k, Uint16 mod)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.windowID = gui_app_window_id(a);
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    push(&e);
    settle(a);
}

/* Text arrives in events of at most 31 bytes, as SDL sends it. */
static void type_text(gui_app *a, const char *s)
{
    size_t n = strlen(s);
    for (size_t o = 0; o < n; o += 20) {
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_TEXTINPUT;
        e.text.windowID = gui_app_window_id(a);
        snprintf(e.text.text, sizeof e.text.text, "%.20s", s + o);
        push(&e);
    }
    settle(a);
}

static void advance(gui_app *a, sim_time dt)
{
    gui_app_advance_to(a, sim_drill_now(gui_app_drill(a)) + dt);
    gui_app_frame(a);
}

static const mllm_controls *controls(gui_app *a)
{
    return mllm_service_controls(sim_drill_service(gui_app_drill(a)));
}

static const sim_action_rec *last_action(gui_app *a, sim_action_kind k)
{
    const sim_action_rec *h;
    int n = sim_drill_history(gui_app_drill(a), &h);
    for (int i = n - 1; i >= 0; i--)
        if (h[i].a.kind == k)
            return &h[i];
    return NULL;
}

/* ---- PNG checks --------------------------------------------------------------------------- */

static int distinct_colours(SDL_Surface *s)
{
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB888, 0);
    assert_non_null(c);
    static uint32_t seen[4096];
    int n = 0;
    SDL_LockSurface(c);
    for (int y = 0; y < c->h && n < 4096; y += 3) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)c->pixels + y * c->pitch);
        for (int x = 0; x < c->w && n < 4096; x += 3) {
            uint32_t px = row[x] & 0xFFFFFFu;
            bool dup = false;
            for (int k = 0; k < n && !dup; k++)
                dup = seen[k] == px;
            if (!dup)
                seen[n++] = px;
        }
    }
    SDL_UnlockSurface(c);
    SDL_FreeSurface(c);
    return n;
}

static void save_and_check(gui_app *a, const char *name, int w, int h)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/screenshots/%s.png", FIREDRILL_BUILD_DIR, name);
    gui_app_frame(a);
    assert_int_equal(gui_app_save_png(a, path), 0);
    SDL_Surface *s = IMG_Load(path);
    assert_non_null(s);
    assert_int_equal(s->w, w);
    assert_int_equal(s->h, h);
    int colours = distinct_colours(s);
    if (colours < 24)
        fail_msg("%s looks blank: %d distinct colours", path, colours);
    SDL_FreeSurface(s);
}

static void save_every_panel(gui_app *a, const char *prefix, int w, int h)
{
    gui_state *s = gui_app_state(a);
    for (int p = 0; p < GUI_P_COUNT; p++) {
        if (p == GUI_P_TRAINER && !s->trainer)
            continue;
        s->panel = (gui_panel)p;
        if (p == GUI_P_TRACES && !gui_selected_trace(s))
            gui_pick_failing_trace(s);
        gui_app_frame(a);
        char name[128];
        snprintf(name, sizeof name, "%s%s", prefix, gui_panel_names[p]);
        save_and_check(a, name, w, h);
    }
}

/* ---- tests -------------------------------------------------------------------------------- */

static void whole_drill_by_synthetic_input(void **state)
{
    fixture *f = *state;
    gui_app *a = f->app = open_app(f, false, false, 1600, 900);
    gui_state *s = gui_app_state(a);
    sim_drill *d = gui_app_drill(a);
    advance(a, SIM_MIN(10)); /* the prompt regression starts at 8m */

    /* Kill switch: click, confirm, then the approval and the roll-out. */
    key(a, SDLK_5, 0);
    assert_int_equal(s->panel, GUI_P_CONTROLS);
    assert_false(controls(a)->kill_switch);
    click(a, "ctl.kill");
    assert_true(s->confirm_open);
    click(a, "confirm.ok");
    assert_false(s->confirm_open);
    const sim_action_rec *h = last_action(a, SIM_ACT_KILL_SWITCH);
    assert_non_null(h);
    assert_string_equal(h->a.arg, "on");
    assert_true(h->needs_approval);
    assert_int_equal(h->effective, SIM_TIME_NEVER);
    advance(a, SIM_MIN(1));
    assert_false(controls(a)->kill_switch); /* still waiting for approval */
    const sim_runbook *rb = &f->sc->runbook;
    advance(a, rb->approval_takes + rb->delay[SIM_ACT_KILL_SWITCH]);
    assert_true(controls(a)->kill_switch);

    /* Declare, then diagnose through the decision table. */
    click_tab(a, GUI_P_INCIDENT);
    click(a, "inc.declare");
    int sev = 0;
    assert_true(sim_drill_incident_declared(d, &sev));
    assert_int_equal(sev, 2);
    click(a, "inc.sym.wrong_consistent");
    assert_int_equal(s->symptom, SIM_SYMPTOM_WRONG_CONSISTENT);
    click(a, "inc.cause.prompt_regression");
    click(a, "inc.diagnose");
    h = last_action(a, SIM_ACT_DIAGNOSE);
    assert_non_null(h);
    assert_string_equal(h->a.arg, "wrong_consistent/prompt_regression");
    click(a, "inc.note");
    type_text(a, "v3 deployed at 8m");
    key(a, SDLK_RETURN, 0);
    h = last_action(a, SIM_ACT_NOTE);
    assert_non_null(h);
    assert_string_equal(h->a.arg, "v3 deployed at 8m");

    /* Roll the prompt back through the select. */
    click_tab(a, GUI_P_CONTROLS);
    click(a, "ctl.prompt");
    int v2 = mllm_world_prompt(f->w, "v2"), x, y;
    assert_true(v2 >= 0);
    assert_true(gui_app_item_center(a, "ctl.prompt", v2, &x, &y));
    click_xy(a, x, y);
    h = last_action(a, SIM_ACT_PROMPT);
    assert_non_null(h);
    assert_string_equal(h->a.arg, "v2");
    advance(a, rb->delay[SIM_ACT_PROMPT] + SIM_SEC(10));
    assert_int_equal(controls(a)->prompt, v2);

    /* Kill switch off (the K shortcut), no approval needed. */
    key(a, SDLK_k, 0);
    assert_true(s->confirm_open);
    key(a, SDLK_RETURN, 0);
    assert_false(s->confirm_open);
    advance(a, rb->delay[SIM_ACT_KILL_SWITCH] + SIM_SEC(10));
    assert_false(controls(a)->kill_switch);

    /* Resolve: the scorecard appears. */
    advance(a, SIM_MIN(3));
    click_tab(a, GUI_P_INCIDENT);
    click(a, "inc.resolve");
    assert_true(s->confirm_open);
    click(a, "confirm.ok");
    assert_true(sim_drill_resolved(d));
    assert_int_equal(s->panel, GUI_P_SCORECARD);
    gui_app_frame(a);
    int sx, sy;
    assert_true(gui_app_widget_center(a, "score.pm", &sx, &sy)); /* the resolved scorecard */
    sim_result r;
    sim_drill_result(d, &r);
    assert_true(r.symptom_correct && r.cause_correct);
    assert_true(r.score.total > 0);

    /* Post-mortem: a failing trace becomes an eval case; answer; submit. */
    key(a, SDLK_4, 0);
    assert_int_equal(s->panel, GUI_P_TRACES);
    s->tr_filter = 4; /* judged bad */
    gui_app_frame(a);
    key(a, SDLK_DOWN, 0);
    assert_non_null(gui_selected_trace(s));
    key(a, SDLK_e, 0);
    assert_int_equal(s->pm.ncases, 1);
    key(a, SDLK_r, 0); /* reproduce on today's configuration */
    const sim_trace *rt = gui_selected_trace(s);
    assert_non_null(rt);
    assert_int_equal(rt->why, SIM_TRACE_REPRODUCED);
    click(a, "tr.eval"); /* already there: refused, stays one case */
    assert_int_equal(s->pm.ncases, 1);
    click_tab(a, GUI_P_SCORECARD);
    click(a, "score.pm");
    assert_int_equal(s->panel, GUI_P_POSTMORTEM);
    gui_app_frame(a);
    assert_true(s->pm.drafted);
    assert_non_null(strstr(s->pm.answer[0], "FIRING"));
    static const char *const answers[3] = {"no eval covered answering from context",
                                           "the deploy looked cosmetic",
                                           "an eval case per prompt rule"};
    for (int q = 0; q < 3; q++) {
        char id[16];
        snprintf(id, sizeof id, "pm.q%d", q + 3);
        click(a, id);
        type_text(a, answers[q]);
        assert_string_equal(s->pm.answer[q + 2], answers[q]);
    }
    char why[160];
    assert_true(gui_pm_complete(&s->pm, why, sizeof why));
    remove(s->pm_path);
    click(a, "pm.submit");
    assert_true(s->pm.submitted);
    sim_drill_result(d, &r);
    assert_true(r.score.points[SIM_PART_POSTMORTEM] > 0);

    FILE *fp = fopen(s->pm_path, "r");
    assert_non_null(fp);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "scenario")->valuestring, "friendly-prompt");
    const cJSON *ans = cJSON_GetObjectItem(root, "answers");
    for (int q = 0; q < GUI_PM_QUESTIONS; q++)
        assert_true(cJSON_IsString(cJSON_GetObjectItem(ans, gui_pm_keys[q])));
    const cJSON *cases = cJSON_GetObjectItem(root, "eval_cases");
    assert_int_equal(cJSON_GetArraySize(cases), 1);
    const cJSON *c0 = cJSON_GetArrayItem(cases, 0);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(c0, "trace_id")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(c0, "query")));
    const cJSON *qid = cJSON_GetObjectItem(c0, "query_id");
    assert_true(cJSON_IsString(qid) || cJSON_IsNull(qid));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(c0, "region")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(c0, "plan")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(c0, "client")));
    const cJSON *as = cJSON_GetObjectItem(c0, "assertions");
    assert_true(cJSON_GetArraySize(as) >= 2);
    const cJSON *it;
    cJSON_ArrayForEach(it, as)
    {
        const char *ty = cJSON_GetObjectItem(it, "type")->valuestring;
        assert_true(strcmp(ty, "contains_fact") == 0 || strcmp(ty, "not_refusal") == 0 ||
                    strcmp(ty, "no_error") == 0 || strcmp(ty, "cites_doc_not_older_than") == 0 ||
                    strcmp(ty, "latency_under_ms") == 0 || strcmp(ty, "valid_json") == 0);
        if (strcmp(ty, "contains_fact") == 0)
            assert_true(cJSON_IsString(cJSON_GetObjectItem(it, "fact")));
    }
    /* The eval runner reads these cases. */
    mllm_jdoc doc;
    mllm_diags diags;
    mllm_diags_clear(&diags);
    assert_int_equal(mllm_jdoc_parse(&doc, "postmortem", text, n, &diags), 0);
    sim_eval_case ec;
    bool parsed = sim_eval_case_parse(
        &doc, cJSON_GetArrayItem(cJSON_GetObjectItem(doc.root, "eval_cases"), 0), "eval_cases[0]",
        f->w, &ec, &diags);
    if (!parsed)
        mllm_diags_print(&diags, stderr);
    assert_true(parsed);
    assert_true(ec.nassert >= 2);
    mllm_jdoc_release(&doc);
    cJSON_Delete(root);

    save_every_panel(a, "", 1600, 900);
}

static void every_panel_of_the_trainer_view_renders(void **state)
{
    fixture *f = *state;
    gui_app *a = f->app = open_app(f, true, false, 1920, 1080);
    gui_state *s = gui_app_state(a);
    assert_false(s->running); /* the trainer starts the clock */
    key(a, SDLK_0, 0);
    assert_int_equal(s->panel, GUI_P_TRAINER);
    click(a, "trn.run");
    assert_true(s->running);
    click(a, "trn.x30");
    assert_true(s->speed == 30);
    key(a, SDLK_SPACE, 0);
    assert_false(s->running);
    key(a, SDLK_MINUS, 0);
    assert_true(s->speed == 20);
    advance(a, SIM_MIN(12));
    /* Inject a slowdown live, then clear it. */
    int before = mllm_service_fault_count(sim_drill_service(gui_app_drill(a)));
    s->inj_kind = MLLM_FAULT_PROVIDER_SLOWDOWN;
    s->inj_factor = 6;
    gui_app_frame(a);
    click(a, "trn.inject");
    int n = mllm_service_fault_count(sim_drill_service(gui_app_drill(a)));
    assert_int_equal(n, before + 1);
    const mllm_fault *lf = mllm_service_fault(sim_drill_service(gui_app_drill(a)), n - 1);
    assert_int_equal(lf->kind, MLLM_FAULT_PROVIDER_SLOWDOWN);
    assert_true(lf->factor == 6);
    advance(a, SIM_MIN(3));
    char id[32];
    snprintf(id, sizeof id, "trn.clear.%d", n - 1);
    click(a, id);
    assert_false(mllm_service_fault_active(sim_drill_service(gui_app_drill(a)), n - 1,
                                           sim_drill_now(gui_app_drill(a))));
    click(a, "trn.decoy");
    type_text(a, "rotated the TLS certificate");
    click(a, "trn.decoy.add");
    const sim_change_rec *ch;
    int nc = sim_drill_changes(gui_app_drill(a), &ch);
    assert_true(nc > 0);
    assert_true(ch[nc - 1].decoy);
    advance(a, SIM_MIN(5));
    save_every_panel(a, "trainer-", 1920, 1080);
    s->panel = GUI_P_DASHBOARD;
    key(a, SDLK_F1, 0);
    assert_true(s->help);
    save_and_check(a, "help", 1920, 1080);
    key(a, SDLK_ESCAPE, 0);
    assert_false(s->help);
}

/* Finds text in the frame's commands. */
static bool frame_has(gui_app *a, const char *needle)
{
    int it = 0;
    const gui_cmd *k;
    size_t n = strlen(needle);
    while (gui_cmd_next(gui_app_ui(a), &it, &k))
        if (k->type == GUI_CMD_TEXT)
            for (int i = 0; i + (int)n <= k->len; i++)
                if (memcmp(k->text + i, needle, n) == 0)
                    return true;
    return false;
}

static void trainee_view_never_shows_truth(void **state)
{
    fixture *f = *state;
    gui_app *a = f->app = open_app(f, false, true, 1920, 1080);
    gui_state *s = gui_app_state(a);
    advance(a, SIM_MIN(20));
    key(a, SDLK_0, 0); /* no trainer panel in the trainee view */
    assert_int_not_equal(s->panel, GUI_P_TRAINER);
    assert_false(gui_app_set_panel(a, "trainer"));
    for (int p = 0; p < GUI_P_TRAINER; p++) {
        s->panel = (gui_panel)p;
        if (p == GUI_P_TRACES)
            gui_pick_failing_trace(s);
        gui_app_frame(a);
        assert_false(frame_has(a, "decoy"));
        assert_false(frame_has(a, "Ground truth"));
        assert_false(frame_has(a, "v3-drops-context-rule")); /* the fault's id */
        assert_false(frame_has(a, "trainer only"));
        assert_false(frame_has(a, "no_answer")); /* a truth label (trainer legend only) */
    }
    /* The same drill in the trainer view does show the decoy flag. */
    gui_app_free(a);
    a = f->app = open_app(f, true, true, 1920, 1080);
    advance(a, SIM_MIN(5));
    gui_app_state(a)->panel = GUI_P_ALERTS;
    gui_app_frame(a);
    assert_true(frame_has(a, "decoy"));
}

static void offscreen_screenshots_and_resize_keep_their_size(void **state)
{
    fixture *f = *state;
    gui_app *a = f->app = open_app(f, false, true, 1280, 800);
    advance(a, SIM_MIN(15));
    save_every_panel(a, "1280x800-", 1280, 800);
    assert_int_equal(gui_app_resize(a, 1920, 1080), 0);
    gui_app_frame(a);
    save_and_check(a, "resized-dashboard", 1920, 1080);
}

static void steady_frames_create_no_text_texture(void **state)
{
    fixture *f = *state;
    gui_app *a = f->app = open_app(f, false, true, 1920, 1080);
    advance(a, SIM_MIN(15));
    gui_app_frame(a);
    gui_app_frame(a);
    long hits0, misses0, hits1, misses1;
    int tex0, tex1;
    gui_app_text_stats(a, &hits0, &misses0, &tex0);
    for (int i = 0; i < 20; i++)
        gui_app_frame(a);
    gui_app_text_stats(a, &hits1, &misses1, &tex1);
    assert_int_equal(misses1, misses0);
    assert_true(hits1 > hits0);
    assert_int_equal(tex1, tex0);
    gui_stats st;
    gui_frame_stats(gui_app_ui(a), &st);
    assert_int_equal(st.dropped, 0);
}

static void shortcuts_reach_levers_and_panels(void **state)
{
    fixture *f = *state;
    gui_app *a = f->app = open_app(f, false, false, 1600, 900);
    gui_state *s = gui_app_state(a);
    advance(a, SIM_MIN(2));
    for (int p = 0; p < GUI_P_TRAINER; p++) {
        key(a, (SDL_Keycode)(p == 9 ? SDLK_0 : SDLK_1 + p), 0);
        assert_int_equal(s->panel, p);
    }
    key(a, SDLK_TAB, 0);
    assert_int_equal(s->panel, GUI_P_DASHBOARD);
    key(a, SDLK_TAB, KMOD_SHIFT);
    assert_int_equal(s->panel, GUI_P_POSTMORTEM);
    key(a, SDLK_p, 0); /* opens the prompt select on the Controls panel */
    assert_int_equal(s->panel, GUI_P_CONTROLS);
    int x, y;
    assert_true(gui_app_item_center(a, "ctl.prompt", 0, &x, &y));
    key(a, SDLK_ESCAPE, 0);
    assert_false(gui_app_item_center(a, "ctl.prompt", 0, &x, &y));
    key(a, SDLK_d, 0); /* disclaimer: no confirmation, a runbook delay */
    const sim_action_rec *h = last_action(a, SIM_ACT_DISCLAIMER);
    assert_non_null(h);
    assert_string_equal(h->a.arg, "on");
    key(a, SDLK_h, 0); /* throttle: the field takes the keyboard */
    assert_true(gui_wants_keyboard(gui_app_ui(a)));
    type_text(a, "15");
    key(a, SDLK_RETURN, 0);
    h = last_action(a, SIM_ACT_THROTTLE);
    assert_non_null(h);
    assert_string_equal(h->a.arg, "15");
    key(a, SDLK_ESCAPE, 0);
    assert_false(gui_wants_keyboard(gui_app_ui(a)));
    key(a, SDLK_k, 0);
    assert_true(s->confirm_open);
    key(a, SDLK_ESCAPE, 0);
    assert_false(s->confirm_open);
    assert_null(last_action(a, SIM_ACT_KILL_SWITCH));
    key(a, SDLK_a, 0);
    assert_non_null(last_action(a, SIM_ACT_ACK));
    key(a, SDLK_n, 0);
    assert_int_equal(s->panel, GUI_P_INCIDENT);
    assert_true(gui_wants_keyboard(gui_app_ui(a)));
    type_text(a, "n"); /* the text event of the shortcut key itself is dropped */
    assert_string_equal(s->in_note, "");
    type_text(a, "next");
    assert_string_equal(s->in_note, "next");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(whole_drill_by_synthetic_input, after_each),
        cmocka_unit_test_teardown(every_panel_of_the_trainer_view_renders, after_each),
        cmocka_unit_test_teardown(trainee_view_never_shows_truth, after_each),
        cmocka_unit_test_teardown(offscreen_screenshots_and_resize_keep_their_size, after_each),
        cmocka_unit_test_teardown(steady_frames_create_no_text_texture, after_each),
        cmocka_unit_test_teardown(shortcuts_reach_levers_and_panels, after_each),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
