/* gui_panels_trainer.c - the trainer view: start / pause and speed, live
 * fault injection with parameters and targeting, clearing faults, decoy
 * changes, ground truth (harmful responses per minute by label) and the
 * trainee's actions on one timeline with the live score.
 *
 * Only drawn with --trainer: it shows truth (labels, faults, decoys, the
 * expected answers). Ids: "trn.run", "trn.speed", "trn.x<N>", "trn.kind",
 * "trn.inject", "trn.clear.<i>", "trn.decoy", "trn.decoy.add". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gui_panels.h"

static const mllm_label harm_labels[] = {
    MLLM_LABEL_WRONG,    MLLM_LABEL_STALE, MLLM_LABEL_HALLUCINATION, MLLM_LABEL_REFUSAL,
    MLLM_LABEL_NOANSWER, MLLM_LABEL_ERROR, MLLM_LABEL_UNAVAILABLE};
#define NHARM 7
static float truth[NHARM][GUI_RING];

static void default_factor(gui_state *s)
{
    switch (s->inj_kind) {
    case MLLM_FAULT_PROVIDER_SLOWDOWN:
        s->inj_factor = 4;
        break;
    case MLLM_FAULT_RATE_LIMITING:
    case MLLM_FAULT_RATE_LIMIT_ERRORS:
        s->inj_factor = 300;
        break;
    case MLLM_FAULT_CONTEXT_GROWTH:
        s->inj_factor = 600;
        break;
    default:
        break;
    }
}

static void inject(gui_state *s)
{
    mllm_fault f;
    memset(&f, 0, sizeof f);
    f.kind = (mllm_fault_kind)s->inj_kind;
    mllm_target_any(&f.target);
    f.target.fraction = s->inj_fraction;
    f.target.region = s->inj_region - 1;
    f.target.plan = s->inj_plan - 1;
    f.target.client = s->inj_client - 1;
    f.target.qtype = s->inj_qtype - 1;
    f.target.topic = s->inj_topic - 1;
    f.target.prompt = s->inj_tprompt - 1;
    f.target.model = -1;
    sim_time now = sim_drill_now(s->d);
    f.start = now;
    f.ramp = (mllm_time)(s->inj_ramp_s * 1e6);
    f.end = s->inj_minutes > 0 ? now + (mllm_time)(s->inj_minutes * 60e6) : MLLM_NEVER;
    f.prompt = f.fingerprint = f.topic = -1;
    switch (f.kind) {
    case MLLM_FAULT_PROMPT_REGRESSION:
    case MLLM_FAULT_PROMPT_TRIGGER:
        f.prompt = s->inj_prompt;
        break;
    case MLLM_FAULT_MODEL_CHANGE:
        f.fingerprint = s->inj_fp - 1;
        break;
    case MLLM_FAULT_SAFETY_UPDATE:
        f.fingerprint = s->inj_fp - 1;
        f.topic = s->inj_ptopic - 1;
        break;
    case MLLM_FAULT_KB_GAP:
        f.topic = s->inj_ptopic > 0 ? s->inj_ptopic - 1 : 0;
        break;
    case MLLM_FAULT_PROVIDER_SLOWDOWN:
    case MLLM_FAULT_RATE_LIMITING:
    case MLLM_FAULT_RATE_LIMIT_ERRORS:
    case MLLM_FAULT_CONTEXT_GROWTH:
        f.factor = s->inj_factor;
        break;
    case MLLM_FAULT_STALE_INDEX:
        f.docs = (int)s->inj_docs;
        break;
    default:
        break;
    }
    snprintf(f.term, sizeof f.term, "%s", s->inj_term);
    snprintf(f.param, sizeof f.param, "%s", s->inj_param);
    char id[32];
    snprintf(id, sizeof id, "live-%d", ++s->injected);
    int rc = sim_drill_inject(s->d, &f, id);
    if (rc < 0)
        gui_say(s, true, "Cannot inject %s: %s", mllm_fault_names[f.kind], mllm_strerror(rc));
    else
        gui_say(s, false, "Injected %s (%s) at %s", mllm_fault_names[f.kind], id,
                gui_time_str(now, (char[24]){0}, 24));
}

static void pace_row(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    gui_layout_begin(c, r);
    gui_row(c, 9, (int[]){140, 70, 260, 50, 50, 50, 50, 50, 0}, 0);
    bool ended = sim_drill_finished(s->d);
    if (gui_button_ex(c, "trn.run",
                      s->running ? "\xE2\x9D\x9A\xE2\x9D\x9A Pause (Space)"
                                 : "\xE2\x96\xB6 Start (Space)",
                      ended ? GUI_DISABLED : (s->running ? 0 : GUI_PRIMARY),
                      "Start or pause the drill clock (the trainee's view pauses too)"))
        s->running = !s->running;
    gui_label_ex(c, "speed", GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
    double sp = s->speed;
    if (gui_slider(c, "trn.speed", &sp, 1, 60, 1, "%.0fx drill seconds per second", 0,
                   "Drill seconds per wall second (+ and - step through 1, 2, 5, 10, 20, 30, 60)"))
        s->speed = sp;
    static const double presets[] = {1, 5, 10, 30, 60};
    for (int i = 0; i < 5; i++)
        if (gui_button_ex(c, gui_fmt(c, "trn.x%.0f", presets[i]), gui_fmt(c, "%.0fx", presets[i]),
                          fabs(s->speed - presets[i]) < 1e-9 ? GUI_SELECTED : 0,
                          gui_fmt(c, "Run at %.0fx", presets[i])))
            s->speed = presets[i];
    sim_result res;
    sim_drill_result(s->d, &res);
    char parts[256];
    size_t o = 0;
    for (int p = 0; p < SIM_PART_COUNT && o < sizeof parts; p++)
        o += (size_t)snprintf(parts + o, sizeof parts - o, "%s%s %.1f", p ? " \xC2\xB7 " : "",
                              sim_score_part_names[p], res.score.points[p]);
    gui_label_ex(c, gui_fmt(c, "live score %.1f  (%s)", res.score.total, parts), GUI_FONT_BOLD,
                 t->accent, GUI_ALIGN_RIGHT);
    gui_layout_end(c);
}

static void inject_card(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const mllm_world *w = s->w;
    gui_card(c, r, "Inject a fault now");
    gui_scroll_begin(c, "trn.left", gui_card_body(c, r));
    int lw = 120;
    gui_row(c, 2, (int[]){lw, 0}, 0);
    gui_label_ex(c, "kind", GUI_FONT_SMALL, t->dim, 0);
    if (gui_select(c, "trn.kind", mllm_fault_names, MLLM_FAULT_COUNT, &s->inj_kind, 0,
                   "The fault kind (see the fault matrix in the docs)"))
        default_factor(s);
    gui_label_ex(c, "", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, gui_fault_titles[s->inj_kind], GUI_FONT_SMALL, t->dim, 0);
    /* Parameters of this kind. */
    switch (s->inj_kind) {
    case MLLM_FAULT_PROMPT_REGRESSION:
    case MLLM_FAULT_PROMPT_TRIGGER:
        gui_label_ex(c, "deploys prompt", GUI_FONT_SMALL, t->dim, 0);
        gui_select(c, "trn.prompt", s->prompt_ids, w->nprompts, &s->inj_prompt, 0,
                   "The prompt version deployed when the fault starts");
        if (s->inj_kind == MLLM_FAULT_PROMPT_TRIGGER) {
            gui_label_ex(c, "trigger term", GUI_FONT_SMALL, t->dim, 0);
            gui_textbox(c, "trn.term", s->inj_term, sizeof s->inj_term, 0,
                        "Queries with this word get refused");
        }
        break;
    case MLLM_FAULT_MODEL_CHANGE:
    case MLLM_FAULT_SAFETY_UPDATE: {
        static const char *fps[MLLM_MAX_FINGERPRINTS + 1];
        fps[0] = "the next version";
        int n = 1;
        if (s->primary_model >= 0)
            for (int i = 0; i < w->models[s->primary_model].nversions; i++)
                fps[n++] = w->models[s->primary_model].fingerprint[i];
        gui_label_ex(c, "alias moves to", GUI_FONT_SMALL, t->dim, 0);
        gui_select(c, "trn.fp", fps, n, &s->inj_fp, 0,
                   "The fingerprint the provider's alias moves to");
        if (s->inj_kind == MLLM_FAULT_SAFETY_UPDATE) {
            gui_label_ex(c, "refused topic", GUI_FONT_SMALL, t->dim, 0);
            gui_select(c, "trn.ptopic", s->any_topics, w->ntopics + 1, &s->inj_ptopic, 0,
                       "The topic the safety update refuses (any: a class across topics)");
        }
        break;
    }
    case MLLM_FAULT_KB_GAP:
        gui_label_ex(c, "topic removed", GUI_FONT_SMALL, t->dim, 0);
        if (s->inj_ptopic == 0)
            s->inj_ptopic = 1;
        gui_select(c, "trn.ptopic", s->any_topics, w->ntopics + 1, &s->inj_ptopic, 0,
                   "The topic whose documents vanish from the sources (must be in the KB)");
        break;
    case MLLM_FAULT_PROVIDER_SLOWDOWN:
        gui_label_ex(c, "latency x", GUI_FONT_SMALL, t->dim, 0);
        gui_slider(c, "trn.factor", &s->inj_factor, 1, 20, 0.5, "x %.1f", 0,
                   "Provider latency multiplier");
        break;
    case MLLM_FAULT_RATE_LIMITING:
    case MLLM_FAULT_RATE_LIMIT_ERRORS:
        gui_label_ex(c, "limit (rpm)", GUI_FONT_SMALL, t->dim, 0);
        gui_slider(c, "trn.factor", &s->inj_factor, 10, 6000, 10, "%.0f requests/min", 0,
                   "The provider's new request limit per minute");
        break;
    case MLLM_FAULT_CONTEXT_GROWTH:
        gui_label_ex(c, "tokens / min", GUI_FONT_SMALL, t->dim, 0);
        gui_slider(c, "trn.factor", &s->inj_factor, 50, 5000, 50, "+%.0f tokens per minute", 0,
                   "Extra history tokens per minute");
        break;
    case MLLM_FAULT_STALE_INDEX:
        gui_label_ex(c, "docs updated", GUI_FONT_SMALL, t->dim, 0);
        gui_slider(c, "trn.docs", &s->inj_docs, 1, 50, 1, "%.0f documents", 0,
                   "Documents updated in the sources while the refreshes fail");
        break;
    case MLLM_FAULT_API_CHANGE:
        gui_label_ex(c, "rejected param", GUI_FONT_SMALL, t->dim, 0);
        gui_textbox(c, "trn.param", s->inj_param, sizeof s->inj_param, 0,
                    "The request parameter the provider now rejects");
        break;
    default:
        break;
    }
    gui_label_ex(c, "fraction", GUI_FONT_SMALL, t->dim, 0);
    gui_slider(c, "trn.fraction", &s->inj_fraction, 0, 1, 0.05, "%.2f of matching requests", 0,
               "Share of matching requests the fault touches");
    gui_label_ex(c, "ramp", GUI_FONT_SMALL, t->dim, 0);
    gui_slider(c, "trn.ramp", &s->inj_ramp_s, 0, 600, 10, "over %.0f s", 0,
               "The touched share grows linearly from 0 over this long");
    gui_label_ex(c, "lasts", GUI_FONT_SMALL, t->dim, 0);
    gui_slider(c, "trn.minutes", &s->inj_minutes, 0, 60, 1,
               s->inj_minutes > 0 ? "%.0f min" : "until cleared", 0,
               "How long before it stops by itself (0: until you clear it)");
    gui_label_ex(c, "target", GUI_FONT_SMALL, t->dim, 0);
    gui_select(c, "trn.region", s->any_regions, MLLM_REGIONS + 1, &s->inj_region, 0,
               "Only users in this region");
    gui_next(c);
    gui_select(c, "trn.plan", s->any_plans, MLLM_PLANS + 1, &s->inj_plan, 0,
               "Only users on this plan");
    gui_next(c);
    gui_select(c, "trn.client", s->any_clients, MLLM_CLIENTS + 1, &s->inj_client, 0,
               "Only this client version");
    gui_next(c);
    gui_select(c, "trn.qtype", s->any_qtypes, MLLM_QT_COUNT + 1, &s->inj_qtype, 0,
               "Only this query type");
    gui_next(c);
    gui_select(c, "trn.topic", s->any_topics, w->ntopics + 1, &s->inj_topic, 0, "Only this topic");
    gui_next(c);
    gui_select(c, "trn.tprompt", s->any_prompts, w->nprompts + 1, &s->inj_tprompt, 0,
               "Only while this prompt version is live");
    gui_row(c, 1, NULL, 0);
    if (gui_button_ex(c, "trn.inject", gui_fmt(c, "Inject %s now", mllm_fault_names[s->inj_kind]),
                      sim_drill_finished(s->d) ? GUI_DISABLED : GUI_DANGER,
                      "Start this fault at the current drill time"))
        inject(s);

    gui_space(c, 8);
    gui_heading(c, "Faults");
    const mllm_service *svc = sim_drill_service(s->d);
    sim_time now = sim_drill_now(s->d);
    for (int i = 0; i < mllm_service_fault_count(svc); i++) {
        const mllm_fault *f = mllm_service_fault(svc, i);
        bool active = mllm_service_fault_active(svc, i, now);
        const char *state = active ? "ACTIVE" : f->start > now ? "scheduled" : "ended";
        gui_row(c, 3, (int[]){0, 90, 70}, 0);
        gui_label_ex(
            c,
            gui_fmt(c, "%s  %s%s", mllm_fault_names[f->kind], gui_t(c, f->start),
                    f->end != MLLM_NEVER ? gui_fmt(c, " \xE2\x80\x93 %s", gui_t(c, f->end)) : ""),
            GUI_FONT_BODY, active ? t->bad : t->dim, 0);
        gui_label_ex(c, state, GUI_FONT_BOLD, active ? t->bad : t->dim, 0);
        if (gui_button_ex(c, gui_fmt(c, "trn.clear.%d", i), "Clear",
                          active || f->start > now ? 0 : GUI_DISABLED,
                          "End this fault now: healthy behaviour resumes at once")) {
            int rc = sim_drill_clear_fault(s->d, i);
            gui_say(s, rc < 0, rc < 0 ? "Cannot clear the fault" : "Fault cleared");
        }
    }
    gui_space(c, 8);
    gui_heading(c, "Decoy change");
    gui_row(c, 2, (int[]){0, 80}, 0);
    int res = gui_textbox(c, "trn.decoy", s->decoy, sizeof s->decoy, 0,
                          "A harmless change that shows in the trainee's change log now");
    if ((gui_button_ex(c, "trn.decoy.add", "Add", 0, "Show this change in the change log now") ||
         (res & GUI_RES_SUBMIT)) &&
        s->decoy[0]) {
        sim_drill_decoy(s->d, s->decoy);
        gui_say(s, false, "Decoy added to the change log");
        s->decoy[0] = '\0';
        gui_data_sync(&s->data);
    }
    gui_scroll_end(c);
}

static int lane_x(gui_rect r, sim_time t, sim_time x0, sim_time x1)
{
    if (t < x0)
        t = x0;
    if (t > x1)
        t = x1;
    return r.x + (int)((double)(t - x0) / (double)(x1 - x0) * (r.w - 1));
}

static void timeline_lanes(gui_ctx *c, gui_state *s, gui_rect r, sim_time x0, sim_time x1)
{
    const gui_theme *t = gui_theme_of(c);
    int fs = gui_font_height(c, GUI_FONT_SMALL);
    gui_card(c, r, "Faults, alerts and the trainee's actions");
    gui_rect b = gui_card_body(c, r);
    int lab = 80;
    gui_rect plot = {b.x + lab, b.y, b.w - lab, b.h - fs - 4};
    int lh = plot.h / 3;
    static const char *const lanes[3] = {"faults", "alerts", "actions"};
    for (int i = 0; i < 3; i++) {
        gui_draw_text(c, GUI_FONT_SMALL, b.x, plot.y + i * lh + (lh - fs) / 2, t->dim, lanes[i],
                      -1);
        gui_draw_rect(c, (gui_rect){plot.x, plot.y + i * lh + 1, plot.w, lh - 2}, t->bg);
    }
    sim_time now = sim_drill_now(s->d);
    const mllm_service *svc = sim_drill_service(s->d);
    for (int i = 0; i < mllm_service_fault_count(svc); i++) {
        const mllm_fault *f = mllm_service_fault(svc, i);
        if (f->start > now)
            continue;
        sim_time end = f->end == MLLM_NEVER || f->end > now ? now : f->end;
        int xa = lane_x(plot, f->start, x0, x1), xb = lane_x(plot, end, x0, x1);
        gui_rect br = {xa, plot.y + 4, xb - xa > 2 ? xb - xa : 2, lh - 8};
        gui_draw_rect(c, br, t->bad);
        gui_draw_text_in(c, GUI_FONT_SMALL, gui_inset(br, 2), (gui_color){255, 255, 255, 255},
                         mllm_fault_names[f->kind], 0);
        gui_tooltip(c, gui_id_of(c, gui_fmt(c, "trn.lane.f%d", i)), br,
                    gui_fmt(c, "%s from %s", mllm_fault_names[f->kind], gui_t(c, f->start)));
    }
    const gui_data *g = &s->data;
    const sim_alerts *al = sim_drill_alerts(s->d);
    for (int i = 0; i < g->nev; i++) {
        if (!g->ev[i].firing)
            continue;
        sim_time end = now;
        for (int k = i + 1; k < g->nev; k++)
            if (g->ev[k].alert == g->ev[i].alert && !g->ev[k].firing) {
                end = g->ev[k].t;
                break;
            }
        int xa = lane_x(plot, g->ev[i].t, x0, x1), xb = lane_x(plot, end, x0, x1);
        int sub = (lh - 8) / 2, row = g->ev[i].alert % 2;
        gui_rect br = {xa, plot.y + lh + 4 + row * sub, xb - xa > 2 ? xb - xa : 2, sub - 1};
        gui_draw_rect(c, br, t->warn);
        gui_tooltip(
            c, gui_id_of(c, gui_fmt(c, "trn.lane.a%d", i)), br,
            gui_fmt(c, "%s firing %s", al->a[g->ev[i].alert].rule->id, gui_t(c, g->ev[i].t)));
    }
    const sim_action_rec *h;
    int nh = sim_drill_history(s->d, &h);
    for (int i = 0; i < nh; i++) {
        if (strcmp(h[i].by, "trainer") == 0)
            continue;
        int xa = lane_x(plot, h[i].requested, x0, x1);
        sim_time eff = h[i].effective == SIM_TIME_NEVER ? now : h[i].effective;
        int xb = lane_x(plot, eff, x0, x1);
        bool lever = h[i].a.kind <= SIM_ACT_FLUSH_CACHE;
        int y = plot.y + 2 * lh + 4 + (i % 3) * ((lh - 8) / 3);
        gui_draw_rect(c, (gui_rect){xa, y, xb - xa > 1 ? xb - xa : 1, 3}, t->dim);
        gui_rect mk = {xb - 3, y - 3, 7, 9};
        gui_draw_rect(c, mk, lever ? t->accent : t->yellow);
        char spec[140];
        sim_action_format(&h[i].a, spec, sizeof spec);
        gui_tooltip(
            c, gui_id_of(c, gui_fmt(c, "trn.lane.h%d", i)),
            (gui_rect){xa - 3, y - 4, xb - xa + 8, 12},
            gui_fmt(c, "%s %s: requested %s, effective %s", h[i].by, spec, gui_t(c, h[i].requested),
                    h[i].effective == SIM_TIME_NEVER ? "pending" : gui_t(c, h[i].effective)));
    }
    /* Time ticks. */
    double span = (double)(x1 - x0) / 60e6;
    int step = span <= 20 ? 2 : span <= 60 ? 5 : 15;
    for (sim_time m = (x0 / SIM_MIN(step) + 1) * SIM_MIN(step); m < x1; m += SIM_MIN(step)) {
        int x = lane_x(plot, m, x0, x1);
        gui_draw_rect(c, (gui_rect){x, plot.y, 1, plot.h}, t->raised);
        gui_draw_text(c, GUI_FONT_SMALL, x - 8, plot.y + plot.h + 2, t->dim,
                      gui_fmt(c, "%llum", (unsigned long long)(m / 60000000u)), -1);
    }
    int xn = lane_x(plot, now, x0, x1);
    gui_draw_rect(c, (gui_rect){xn, plot.y, 2, plot.h}, t->text);
}

static void truth_chart(gui_ctx *c, gui_state *s, gui_rect r, sim_time x0, sim_time x1)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_metrics *m = sim_drill_metrics(s->d);
    sim_time done = s->data.done;
    int n = 0;
    for (sim_time end = x0 + GUI_STEP; end <= done && n < GUI_RING; end += GUI_STEP, n++) {
        const sim_bucket *b = sim_metrics_bucket(m, end - GUI_STEP, false);
        for (int k = 0; k < NHARM; k++)
            truth[k][n] = b ? (float)(b->labels[harm_labels[k]] * 6) : NAN;
    }
    gui_chart ch;
    memset(&ch, 0, sizeof ch);
    ch.id = "trn.truth";
    ch.title = "Ground truth: harmful responses per minute, by label";
    ch.tip = "Truth labels of every response (10 s buckets, scaled to per minute). The trainee "
             "never sees this.";
    ch.fmt = GUI_VF_INT;
    ch.t0 = (double)(x0 + GUI_STEP) / 1e6;
    ch.dt = 10;
    ch.x_min = (double)x0 / 1e6;
    ch.x_max = (double)x1 / 1e6;
    static const int colour[NHARM] = {5, 1, 4, 3, 7, 6, 2};
    for (int k = 0; k < NHARM; k++)
        ch.series[ch.nseries++] = (gui_series){truth[k], n, t->series[colour[k]],
                                               mllm_label_names[harm_labels[k]], k != 0};
    ch.markers = s->markers;
    ch.nmarkers = s->nmarkers;
    const sim_bucket *last = done ? sim_metrics_bucket(m, done - GUI_STEP, false) : NULL;
    ch.value = last ? gui_fmt(c, "harm %.1f in the last 10 s", last->harm) : NULL;
    ch.value_color = t->purple;
    gui_chart_draw(c, r, &ch);
}

static void answers_card(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_expected *ex = &s->sc->expected;
    gui_card(c, r, "Expected response and trainer notes");
    gui_scroll_begin(c, "trn.notes", gui_card_body(c, r));
    char buf[600];
    size_t o = 0;
    buf[0] = '\0';
    for (int k = 0; k < ex->ndiag && o < sizeof buf; k++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s/%s", k ? ", " : "",
                              sim_symptom_names[ex->symptom[k]], mllm_fault_names[ex->cause[k]]);
    gui_text(c, gui_fmt(c, "diagnosis: %s", buf), GUI_FONT_BODY, t->accent);
    o = 0;
    buf[0] = '\0';
    for (int k = 0; k < ex->ncontain && o < sizeof buf; k++) {
        char sp[140];
        sim_action_format(&ex->contain[k], sp, sizeof sp);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", k ? ", " : "", sp);
    }
    gui_text(c, gui_fmt(c, "contain: %s", buf), GUI_FONT_BODY, t->text);
    o = 0;
    buf[0] = '\0';
    for (int k = 0; k < ex->nfix && o < sizeof buf; k++) {
        char sp[140];
        sim_action_format(&ex->fix[k], sp, sizeof sp);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", k ? ", " : "", sp);
    }
    gui_text(c, gui_fmt(c, "fix: %s", buf), GUI_FONT_BODY, t->text);
    gui_space(c, 4);
    if (s->sc->trainer_notes && s->sc->trainer_notes[0])
        gui_text(c, s->sc->trainer_notes, GUI_FONT_SMALL, t->dim);
    gui_scroll_end(c);
}

void gui_panel_trainer(gui_ctx *c, gui_state *s, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    gui_rect top = gui_cut_top(&r, gui_style_of(c)->row_h + pad);
    pace_row(c, s, top);
    gui_rect left = gui_cut_left(&r, r.w * 34 / 100);
    gui_cut_left(&r, pad);
    inject_card(c, s, left);
    sim_time done = s->data.done;
    sim_time x0 = done > SIM_MIN(60) ? done - SIM_MIN(60) : 0;
    sim_time x1 = done > x0 + SIM_MIN(15) ? done : x0 + SIM_MIN(15);
    gui_rect chart = gui_cut_top(&r, r.h * 45 / 100);
    gui_cut_top(&r, pad);
    truth_chart(c, s, chart, x0, x1);
    gui_rect lanes = gui_cut_top(&r, r.h * 55 / 100);
    gui_cut_top(&r, pad);
    timeline_lanes(c, s, lanes, x0, x1);
    answers_card(c, s, r);
}
