/* test_gui_debrief.c - the debrief plot: reading event logs, and marks drawn
 * where the log says.
 *
 * A synthetic log with events at known times and a real drill of the default
 * scenario (reference responder) are drawn offscreen into PNGs under
 * FIREDRILL_BUILD_DIR/debrief/, loaded back with SDL_image and checked: the
 * size, then at the column gui_debrief_x_of gives for an event's time (read
 * independently from the log), the event's colour down every chart's plot,
 * and not a few pixels away where nothing happened. Also: bad logs refused
 * with their line, a result file of another drill refused, response times
 * estimated from the log, long drills averaged into wider slots. */
#include <errno.h>
#include <math.h>
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

#include "gui_debrief.h"
#include "sim_drill.h"
#include "sim_log.h"

#ifndef FIREDRILL_DATA_DIR
#define FIREDRILL_DATA_DIR "."
#endif
#ifndef FIREDRILL_BUILD_DIR
#define FIREDRILL_BUILD_DIR "."
#endif

static const char *data_dir(void)
{
    const char *e = getenv("FIREDRILL_DATA_DIR");
    return e && *e ? e : FIREDRILL_DATA_DIR;
}

static void out_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/debrief/%s", FIREDRILL_BUILD_DIR, name);
}

/* ---- a synthetic log ------------------------------------------------------------------- */

/* 30 minutes; the fault harms from 5m to 15m; events at known times. */
#define SYN_MIN 30
static const double syn_fault_start = 300, syn_fault_end = 900, syn_alert = 420, syn_kill = 600,
                    syn_diag = 660, syn_alert_ok = 1000, syn_resolve = 1500;

static void write_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void write_line(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

static unsigned long long us(double s)
{
    return (unsigned long long)(s * 1e6);
}

/* Writes the synthetic log in time order, as the drill writes its lines. */
static void write_synthetic(const char *path, int minutes)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    write_line(f,
               "{\"type\":\"start\",\"version\":1,\"scenario\":\"synthetic\",\"seed\":7,"
               "\"duration_us\":%llu}",
               us(minutes * 60.0));
    struct {
        double t;
        const char *line;
    } ev[] = {
        {syn_fault_start,
         "{\"type\":\"fault\",\"t\":%llu,\"id\":\"f1\",\"kind\":\"prompt_regression\","
         "\"event\":\"start\"}"},
        {syn_alert, "{\"type\":\"alert\",\"t\":%llu,\"id\":\"judge-quality\",\"state\":\"firing\","
                    "\"value\":0.5,\"threshold\":0.7,\"severity\":1}"},
        {syn_alert + 30,
         "{\"type\":\"action\",\"t\":%llu,\"event\":\"done\",\"seq\":1,"
         "\"by\":\"trainee\",\"do\":\"ack\",\"arg\":\"*\",\"status\":0,\"note\":\"\"}"},
        {syn_kill - 120, "{\"type\":\"action\",\"t\":%llu,\"event\":\"requested\",\"seq\":2,"
                         "\"by\":\"trainee\",\"do\":\"kill_switch\",\"arg\":\"on\",\"status\":0,"
                         "\"note\":\"\"}"},
        {syn_kill,
         "{\"type\":\"action\",\"t\":%llu,\"event\":\"effect\",\"seq\":2,\"by\":\"trainee\","
         "\"do\":\"kill_switch\",\"arg\":\"on\",\"status\":0,\"note\":\"\"}"},
        {syn_diag,
         "{\"type\":\"action\",\"t\":%llu,\"event\":\"done\",\"seq\":3,\"by\":\"trainee\","
         "\"do\":\"diagnose\",\"arg\":\"wrong_consistent/prompt_regression\",\"status\":0,"
         "\"note\":\"\"}"},
        {syn_fault_end,
         "{\"type\":\"fault\",\"t\":%llu,\"id\":\"f1\",\"kind\":\"prompt_regression\","
         "\"event\":\"end\"}"},
        {syn_alert_ok,
         "{\"type\":\"alert\",\"t\":%llu,\"id\":\"judge-quality\",\"state\":\"resolved\","
         "\"value\":0.8,\"threshold\":0.7,\"severity\":1}"},
        {syn_resolve,
         "{\"type\":\"action\",\"t\":%llu,\"event\":\"done\",\"seq\":4,\"by\":\"trainee\","
         "\"do\":\"resolve\",\"arg\":\"\",\"status\":0,\"note\":\"\"}"},
    };
    size_t k = 0, nev = sizeof ev / sizeof ev[0];
    for (int m = 1; m <= minutes; m++) {
        double end = m * 60.0;
        for (; k < nev && ev[k].t < end; k++)
            write_line(f, ev[k].line, us(ev[k].t));
        bool bad = end > syn_fault_start && end <= syn_fault_end;
        write_line(f,
                   "{\"type\":\"minute\",\"t\":%llu,\"start\":%llu,\"requests\":1200,"
                   "\"errors\":%d,\"s429\":0,\"refusals\":3,\"fallbacks\":0,\"cache_hits\":100,"
                   "\"judged\":60,\"judged_bad\":%d,\"quality\":%.2f,\"p50_ms\":2000,"
                   "\"p99_ms\":%d,\"cost\":2.5,\"context_tokens\":500,\"index_age_min\":20,"
                   "\"harm\":%d,\"fault_harm\":%d}",
                   us(end), us(end - 60), bad ? 24 : 1, bad ? 30 : 4, bad ? 0.45 : 0.85,
                   bad ? 5200 : 3400, bad ? 640 : 30, bad ? 610 : 0);
    }
    for (; k < nev; k++)
        write_line(f, ev[k].line, us(ev[k].t));
    write_line(f, "{\"type\":\"end\",\"t\":%llu,\"requests\":36000,\"harm\":7000,\"cost\":75}",
               us(minutes * 60.0));
    fclose(f);
}

static gui_debrief *read_log(const char *path, const sim_scenario *s)
{
    char **lines;
    bool torn;
    long n = sim_log_read(path, &lines, &torn);
    assert_true(n > 0);
    char err[256];
    gui_debrief *db = gui_debrief_from_log(lines, n, s, err, sizeof err);
    if (!db)
        fail_msg("%s: %s", path, err);
    sim_log_lines_free(lines, n);
    return db;
}

/* ---- pixels ---------------------------------------------------------------------------- */

typedef struct image {
    SDL_Surface *s; /* RGBA32 */
} image;

static void image_load(image *im, const char *path, int w, int h)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw)
        fail_msg("IMG_Load %s: %s", path, IMG_GetError());
    assert_int_equal(raw->w, w);
    assert_int_equal(raw->h, h);
    im->s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(raw);
    assert_non_null(im->s);
}

static gui_color pixel(const image *im, int x, int y)
{
    const uint8_t *p = (const uint8_t *)im->s->pixels + (size_t)y * (size_t)im->s->pitch + 4 * x;
    return (gui_color){p[0], p[1], p[2], 255};
}

static bool near(gui_color a, gui_color b, int tol)
{
    return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

/* A mark's colour as drawn: blended at the layout's alpha over the plot. */
static gui_color blended(const gui_debrief_layout *lo, int kind)
{
    gui_color c = lo->color[kind], bg = lo->plot_bg;
    int a = lo->mark_alpha;
    return (gui_color){(uint8_t)((c.r * a + bg.r * (255 - a)) / 255),
                       (uint8_t)((c.g * a + bg.g * (255 - a)) / 255),
                       (uint8_t)((c.b * a + bg.b * (255 - a)) / 255), 255};
}

/* Pixels of column x inside r that have colour col. */
static int column_hits(const image *im, gui_rect r, int x, gui_color col)
{
    int hits = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        hits += near(pixel(im, x, y), col, 6);
    return hits;
}

/* The mark of `kind` at time t: its colour down most of every plot's column
 * (dashed marks: at least a third), none 6 px either side. */
static void assert_mark_at(const image *im, const gui_debrief_layout *lo, double t, int kind,
                           bool dashed)
{
    int x = gui_debrief_x_of(lo, t);
    gui_color col = blended(lo, kind);
    assert_true(lo->npanels >= 1);
    for (int i = 0; i < lo->npanels; i++) {
        gui_rect p = lo->plot[i];
        assert_int_equal(p.x, lo->plot[0].x); /* one time axis for all */
        assert_int_equal(p.w, lo->plot[0].w);
        int hits = column_hits(im, p, x, col);
        if (hits < (dashed ? p.h / 3 : p.h * 2 / 3))
            fail_msg("panel %s: the mark at t=%.0f s (x=%d) covers %d of %d px", lo->panel_id[i], t,
                     x, hits, p.h);
        assert_int_equal(column_hits(im, p, x - 6, col), 0);
        assert_int_equal(column_hits(im, p, x + 6, col), 0);
    }
}

/* ---- tests ----------------------------------------------------------------------------- */

static void synthetic_log_reads_its_marks_in_time_order(void **state)
{
    (void)state;
    char log[1100];
    out_path(log, sizeof log, "synthetic.jsonl");
    write_synthetic(log, SYN_MIN);
    gui_debrief *db = read_log(log, NULL);
    assert_string_equal(gui_debrief_scenario(db), "synthetic");
    assert_true(gui_debrief_duration(db) == SYN_MIN * 60.0);
    const gui_debrief_mark *m;
    int n = gui_debrief_marks(db, &m);
    static const struct {
        double t;
        int kind;
        const char *label;
    } want[] = {{syn_fault_start, GUI_DB_FAULT_START, "fault starts"},
                {syn_alert, GUI_DB_ALERT_FIRES, "judge-quality fires"},
                {syn_alert + 30, GUI_DB_STEP, "ack"},
                {syn_kill, GUI_DB_LEVER, "kill on"},
                {syn_diag, GUI_DB_STEP, "diagnose"},
                {syn_fault_end, GUI_DB_FAULT_END, "fault ends"},
                {syn_alert_ok, GUI_DB_ALERT_RESOLVES, "judge-quality ok"},
                {syn_resolve, GUI_DB_STEP, "resolve"}};
    assert_int_equal(n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < n; i++) {
        assert_true(m[i].t == want[i].t);
        assert_int_equal(m[i].kind, want[i].kind);
        assert_string_equal(m[i].label, want[i].label);
    }
    assert_non_null(strstr(m[3].text, "requested 08:00")); /* the request, from its own line */
    gui_debrief_free(db);
}

static void synthetic_marks_are_drawn_where_the_log_says(void **state)
{
    (void)state;
    char log[1100], png[1100];
    out_path(log, sizeof log, "synthetic.jsonl");
    out_path(png, sizeof png, "synthetic.png");
    write_synthetic(log, SYN_MIN);
    gui_debrief *db = read_log(log, NULL);
    gui_debrief_layout lo;
    char err[256];
    if (gui_debrief_png(db, 1600, 1000, NULL, png, &lo, err, sizeof err) != 0)
        fail_msg("%s", err);
    image im;
    image_load(&im, png, 1600, 1000);
    assert_true(lo.npanels >= 4);
    assert_true(lo.x_min == 0 && lo.x_max == SYN_MIN * 60.0);
    /* The time axis: t = 0 at the plot's left edge, the end at its right. */
    assert_int_equal(gui_debrief_x_of(&lo, 0), lo.plot[0].x);
    assert_int_equal(gui_debrief_x_of(&lo, SYN_MIN * 60.0), lo.plot[0].x + lo.plot[0].w - 1);
    assert_mark_at(&im, &lo, syn_kill, GUI_DB_LEVER, false);
    assert_mark_at(&im, &lo, syn_fault_start, GUI_DB_FAULT_START, false);
    assert_mark_at(&im, &lo, syn_alert, GUI_DB_ALERT_FIRES, false);
    assert_mark_at(&im, &lo, syn_resolve, GUI_DB_STEP, false);
    assert_mark_at(&im, &lo, syn_fault_end, GUI_DB_FAULT_END, true);
    /* Its lane label: an opaque box of the lever's colour right of the mark. */
    int x = gui_debrief_x_of(&lo, syn_kill), label = 0;
    for (int y = lo.lane.y; y < lo.lane.y + lo.lane.h; y++)
        label += near(pixel(&im, x + 3, y), lo.color[GUI_DB_LEVER], 2);
    assert_true(label >= 8);
    /* The bars and the timeline have room at this size. */
    assert_true(lo.bars.w > 300 && lo.list.w > 300);
    assert_true(lo.bars.x > lo.plot[0].x + lo.plot[0].w);
    SDL_FreeSurface(im.s);
    gui_debrief_free(db);
}

static void times_are_estimated_from_the_log_without_a_result(void **state)
{
    (void)state;
    char log[1100];
    out_path(log, sizeof log, "synthetic.jsonl");
    write_synthetic(log, SYN_MIN);
    gui_debrief *db = read_log(log, NULL);
    const gui_debrief_times *tm = gui_debrief_times_of(db);
    assert_true(tm->onset_known);
    assert_false(tm->scored);
    assert_true(tm->onset == syn_fault_start); /* the fault's start */
    assert_true(tm->took[SIM_PART_DETECT] == syn_alert + 30 - syn_fault_start); /* the ack */
    assert_true(tm->took[SIM_PART_DIAGNOSE] == syn_diag - syn_fault_start);
    assert_true(tm->took[SIM_PART_CONTAIN] < 0); /* no scenario: no accepted levers */
    assert_true(tm->score < 0);
    gui_debrief_free(db);
}

static void bad_logs_are_refused_with_their_line(void **state)
{
    (void)state;
    static const struct {
        const char *lines[3];
        long n;
        const char *msg;
    } cases[] = {
        {{"hello"}, 1, "line 1: not a firedrill event log"},
        {{"{\"type\":\"minute\",\"t\":60000000}"}, 1, "line 1: not a firedrill event log"},
        {{"{\"type\":\"start\",\"scenario\":\"x\"}"}, 1, "line 1: the start line lacks"},
        {{"{\"type\":\"start\",\"scenario\":\"x\",\"seed\":1,\"duration_us\":600000000}",
          "{\"type\":\"minute\",\"t\":60000000}", "{\"type\":\"alert\",\"t\":"},
         3,
         "line 3: not a JSON object"},
        {{"{\"type\":\"start\",\"scenario\":\"x\",\"seed\":1,\"duration_us\":600000000}", "[1,2]"},
         2,
         "line 2: not a JSON object"},
        {{NULL}, 0, "no complete line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *lines[3];
        for (long k = 0; k < cases[i].n; k++)
            lines[k] = (char *)cases[i].lines[k];
        char err[256] = "";
        gui_debrief *db = gui_debrief_from_log(lines, cases[i].n, NULL, err, sizeof err);
        assert_null(db);
        if (!strstr(err, cases[i].msg))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, cases[i].msg);
    }
}

static void long_drills_average_minutes_into_wider_slots(void **state)
{
    (void)state;
    char log[1100], png[1100];
    out_path(log, sizeof log, "two-days.jsonl");
    out_path(png, sizeof png, "two-days.png");
    write_synthetic(log, 2 * 24 * 60);
    gui_debrief *db = read_log(log, NULL);
    gui_debrief_layout lo;
    char err[256];
    if (gui_debrief_png(db, 1600, 1000, NULL, png, &lo, err, sizeof err) != 0)
        fail_msg("%s", err);
    image im;
    image_load(&im, png, 1600, 1000);
    /* Marks stay on their times: at 2 days over ~1100 px, 10 minutes is a few px. */
    int x = gui_debrief_x_of(&lo, syn_resolve);
    assert_true(column_hits(&im, lo.plot[0], x, blended(&lo, GUI_DB_STEP)) > lo.plot[0].h / 2);
    SDL_FreeSurface(im.s);
    assert_int_equal(gui_debrief_png(db, 320, 240, NULL, png, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "wants 800x500"));
    gui_debrief_free(db);
}

/* ---- a real drill ---------------------------------------------------------------------- */

typedef struct drill_fixture {
    mllm_world *w;
    sim_scenario *s;
    char log[1100], result[1100];
} drill_fixture;

static drill_fixture *FX;

static void run_default_drill(void)
{
    if (FX)
        return;
    FX = calloc(1, sizeof *FX);
    assert_non_null(FX);
    char dir[1100], path[1100], rpath[1100], err[256];
    mllm_diags d;
    mllm_diags_clear(&d);
    snprintf(dir, sizeof dir, "%s/assets", data_dir());
    FX->w = mllm_world_load(dir, &d);
    snprintf(path, sizeof path, "%s/scenarios/friendly-prompt.json", data_dir());
    snprintf(rpath, sizeof rpath, "%s/scenarios/responders/friendly-prompt.json", data_dir());
    if (FX->w)
        FX->s = sim_scenario_load(path, FX->w, &d);
    sim_responder *rp = FX->s ? sim_responder_load(rpath, FX->w, &d) : NULL;
    if (!rp) {
        mllm_diags_print(&d, stderr);
        fail_msg("cannot load the default scenario and its responder");
    }
    out_path(FX->log, sizeof FX->log, "drill.jsonl");
    out_path(FX->result, sizeof FX->result, "drill.r.json");
    sim_drill_opts o = {.log_path = FX->log, .responder = rp, .scenario_path = path};
    sim_drill *dr = sim_drill_new(FX->s, FX->w, &o, err, sizeof err);
    if (!dr)
        fail_msg("%s", err);
    sim_drill_run(dr, NULL, NULL);
    sim_result r;
    sim_drill_result(dr, &r);
    assert_int_equal(sim_result_write(&r, FX->s, FX->result), 0);
    sim_drill_free(dr);
    sim_responder_free(rp);
}

/* The time of the first log line holding every one of the given strings. */
static double log_time_of(const char *path, const char *a, const char *b)
{
    char **lines;
    bool torn;
    long n = sim_log_read(path, &lines, &torn);
    double t = -1;
    for (long i = 0; i < n && t < 0; i++)
        if (strstr(lines[i], a) && (!b || strstr(lines[i], b))) {
            cJSON *j = cJSON_Parse(lines[i]);
            t = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "t")) / 1e6;
            cJSON_Delete(j);
        }
    sim_log_lines_free(lines, n);
    assert_true(t >= 0);
    return t;
}

static void real_drill_marks_are_where_its_log_says(void **state)
{
    (void)state;
    run_default_drill();
    char png[1100], err[256];
    out_path(png, sizeof png, "drill.png");
    gui_debrief *db = read_log(FX->log, FX->s);
    assert_int_equal(gui_debrief_read_result(db, FX->result, err, sizeof err), 0);
    gui_debrief_layout lo;
    if (gui_debrief_png(db, 1600, 1000, NULL, png, &lo, err, sizeof err) != 0)
        fail_msg("%s", err);
    image im;
    image_load(&im, png, 1600, 1000);
    double fault = log_time_of(FX->log, "\"type\":\"fault\"", "\"event\":\"start\"");
    double alert = log_time_of(FX->log, "\"type\":\"alert\"", "\"state\":\"firing\"");
    double rollback = log_time_of(FX->log, "\"event\":\"effect\"", "\"do\":\"prompt\"");
    assert_mark_at(&im, &lo, fault, GUI_DB_FAULT_START, false);
    assert_mark_at(&im, &lo, rollback, GUI_DB_LEVER, false);
    /* The first alert: its colour is in the column (another follows 20 s later). */
    int x = gui_debrief_x_of(&lo, alert);
    assert_true(column_hits(&im, lo.plot[0], x, blended(&lo, GUI_DB_ALERT_FIRES)) >
                lo.plot[0].h * 2 / 3);
    SDL_FreeSurface(im.s);
    gui_debrief_free(db);
}

static void result_gives_the_scored_times_and_the_score(void **state)
{
    (void)state;
    run_default_drill();
    gui_debrief *db = read_log(FX->log, FX->s);
    char err[256];
    assert_int_equal(gui_debrief_read_result(db, FX->result, err, sizeof err), 0);
    const gui_debrief_times *tm = gui_debrief_times_of(db);
    FILE *f = fopen(FX->result, "r");
    assert_non_null(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *j = cJSON_Parse(buf);
    const cJSON *times = cJSON_GetObjectItem(j, "times");
    assert_true(tm->scored);
    assert_true(fabs(tm->onset - cJSON_GetNumberValue(cJSON_GetObjectItem(times, "onset_s"))) <
                1e-6);
    assert_true(tm->took[SIM_PART_CONTAIN] ==
                cJSON_GetNumberValue(cJSON_GetObjectItem(times, "contain_s")));
    assert_true(tm->target[SIM_PART_MITIGATE] == 1500);
    assert_true(fabs(tm->score - cJSON_GetNumberValue(cJSON_GetObjectItem(
                                     cJSON_GetObjectItem(j, "score"), "total"))) < 1e-9);
    cJSON_Delete(j);
    gui_debrief_free(db);
}

static void result_of_another_drill_is_refused(void **state)
{
    (void)state;
    run_default_drill();
    char log[1100], bad[1100], err[256];
    out_path(log, sizeof log, "synthetic.jsonl");
    write_synthetic(log, SYN_MIN);
    gui_debrief *db = read_log(log, NULL);
    assert_int_equal(gui_debrief_read_result(db, FX->result, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "is a result of scenario \"friendly-prompt\""));
    gui_debrief_free(db);

    /* The same scenario, another drill: the digest tells. */
    db = read_log(FX->log, FX->s);
    out_path(bad, sizeof bad, "other.r.json");
    FILE *in = fopen(FX->result, "r"), *out = fopen(bad, "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[512];
    while (fgets(line, sizeof line, in))
        fputs(strstr(line, "\"log_sha256\"") ? "\t\"log_sha256\": \"00ff\"\n" : line, out);
    fclose(in);
    fclose(out);
    assert_int_equal(gui_debrief_read_result(db, bad, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "another drill"));
    assert_true(gui_debrief_read_result(db, "/nonexistent/r.json", err, sizeof err) < 0);
    assert_false(gui_debrief_times_of(db)->scored);
    gui_debrief_free(db);

    /* A scenario that is not the log's. */
    char **lines;
    bool torn;
    long n = sim_log_read(log, &lines, &torn);
    assert_null(gui_debrief_from_log(lines, n, FX->s, err, sizeof err));
    assert_non_null(strstr(err, "not \"friendly-prompt\""));
    sim_log_lines_free(lines, n);
}

static int setup(void **state)
{
    (void)state;
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/debrief", FIREDRILL_BUILD_DIR);
    mkdir(dir, 0777);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (FX) {
        sim_scenario_free(FX->s);
        mllm_world_free(FX->w);
        free(FX);
        FX = NULL;
    }
    IMG_Quit();
    SDL_Quit();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(synthetic_log_reads_its_marks_in_time_order),
        cmocka_unit_test(synthetic_marks_are_drawn_where_the_log_says),
        cmocka_unit_test(times_are_estimated_from_the_log_without_a_result),
        cmocka_unit_test(bad_logs_are_refused_with_their_line),
        cmocka_unit_test(long_drills_average_minutes_into_wider_slots),
        cmocka_unit_test(real_drill_marks_are_where_its_log_says),
        cmocka_unit_test(result_gives_the_scored_times_and_the_score),
        cmocka_unit_test(result_of_another_drill_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
