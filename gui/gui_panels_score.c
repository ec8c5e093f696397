/* gui_panels_score.c - after resolve: the scorecard (each response time
 * against its target, harm, diagnosis, the score's parts) and the
 * post-mortem form (five questions, eval cases from failing traces, save).
 *
 * Ids: "score.pm", "pm.redraft", "pm.q<n>", "pm.rm.<i>", "pm.c<i>.<assertion>",
 * "pm.c<i>.date", "pm.c<i>.ms", "pm.add.<trace id>", "pm.submit". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui_panels.h"
#include "sim_postmortem.h"

static const char *dur_s(gui_ctx *c, double s)
{
    if (s < 0)
        return "never";
    return gui_fmt(c, "%.0fm%02.0fs", floor(s / 60), fmod(s, 60));
}

static void score_rows(gui_ctx *c, const gui_state *s, const sim_result *r)
{
    const gui_theme *t = gui_theme_of(c);
    const sim_scoring *cfg = &s->sc->scoring;
    static const int cols[5] = {130, 130, 160, 100, 0};
    gui_row(c, 5, cols, gui_font_height(c, GUI_FONT_SMALL) + 6);
    const char *heads[5] = {"part", "from onset", "target", "verdict", "points"};
    for (int i = 0; i < 5; i++)
        gui_label_ex(c, heads[i], GUI_FONT_SMALL, t->dim, 0);
    double times[4] = {r->score.detect_s, r->score.contain_s, r->score.diagnose_s,
                       r->score.mitigate_s};
    for (int p = 0; p < SIM_PART_COUNT; p++) {
        gui_row(c, 5, cols, 0);
        gui_label_ex(c, sim_score_part_names[p], GUI_FONT_BOLD, t->text, 0);
        if (p <= SIM_PART_MITIGATE) {
            double target = (double)cfg->target[p] / 1e6;
            bool ok = times[p] >= 0 && times[p] <= target;
            gui_label_ex(c, dur_s(c, times[p]), GUI_FONT_BODY, t->text, 0);
            gui_label_ex(c, dur_s(c, target), GUI_FONT_BODY, t->dim, 0);
            bool ahead = r->incident_ahead; /* nothing to respond to yet */
            gui_label_ex(c,
                         ahead          ? "\xE2\x80\xA6 not begun"
                         : times[p] < 0 ? "\xE2\x9C\x97 missed"
                         : ok           ? "\xE2\x9C\x93 on time"
                                        : "\xE2\x96\xB2 late",
                         GUI_FONT_BOLD,
                         ahead          ? t->dim
                         : times[p] < 0 ? t->bad
                         : ok           ? t->ok
                                        : t->warn,
                         0);
        } else if (p == SIM_PART_HARM) {
            gui_label_ex(c, gui_fmt(c, "%.0f weighted", r->fault_harm), GUI_FONT_BODY, t->text, 0);
            gui_label_ex(c, gui_fmt(c, "budget %.0f", cfg->harm_budget), GUI_FONT_BODY, t->dim, 0);
            gui_label_ex(c, gui_fmt(c, "%.0f%%", r->score.part[p] * 100), GUI_FONT_BOLD,
                         r->score.part[p] > 0.6 ? t->ok : t->warn, 0);
        } else {
            char dl[16];
            mllm_duration_format(cfg->postmortem_deadline, dl, sizeof dl);
            gui_label_ex(c, s->pm.submitted ? "submitted" : "not yet", GUI_FONT_BODY, t->text, 0);
            gui_label_ex(c, gui_fmt(c, "%s after resolve", dl), GUI_FONT_BODY, t->dim, 0);
            gui_label_ex(c, s->pm.submitted ? "\xE2\x9C\x93 done" : "\xE2\x80\xA6 open",
                         GUI_FONT_BOLD, s->pm.submitted ? t->ok : t->warn, 0);
        }
        gui_rect pr = gui_next(c);
        double wgt = cfg->weight[p];
        int bw = wgt > 0 ? (int)((pr.w - 110) * r->score.points[p] / wgt) : 0;
        gui_draw_rect(c, (gui_rect){pr.x, pr.y + 4, pr.w - 110, pr.h - 8}, t->pressed);
        gui_draw_rect(c, (gui_rect){pr.x, pr.y + 4, bw, pr.h - 8}, t->accent);
        gui_draw_text_in(c, GUI_FONT_BODY, (gui_rect){pr.x + pr.w - 104, pr.y, 104, pr.h}, t->text,
                         gui_fmt(c, "%.1f / %.0f", r->score.points[p], wgt), GUI_ALIGN_RIGHT);
    }
}

/* The debrief plot: harm the fault caused per minute, with the response
 * times marked. Truth, so drawn only after resolve (or for the trainer). */
static void harm_chart(gui_ctx *c, gui_state *s, const sim_result *res, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    static float harm[GUI_RING];
    static gui_marker mk[8];
    const sim_metrics *m = sim_drill_metrics(s->d);
    sim_time done = s->data.done;
    sim_time x0 = done > SIM_MIN(60) ? done - SIM_MIN(60) : 0;
    int n = 0;
    for (sim_time end = x0 + GUI_STEP; end <= done && n < GUI_RING; end += GUI_STEP, n++) {
        const sim_bucket *b = sim_metrics_bucket(m, end - GUI_STEP, false);
        harm[n] = b ? (float)(b->fault_harm * 6) : NAN;
    }
    int nm = 0;
    const struct {
        sim_time t;
        const char *g, *what;
    } pts[] = {{res->onset, "O", "onset: the fault's first bad response"},
               {res->detect, "D", "detected (first acknowledge or declare)"},
               {res->score.contain, "C", "contained (harm back under the threshold)"},
               {res->diagnose, "G", "diagnosed"},
               {res->score.mitigate, "M", "mitigated (an accepted fix took effect)"},
               {res->resolve, "R", "resolved"}};
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++)
        if (pts[i].t != SIM_TIME_NEVER && nm < 8)
            mk[nm++] = (gui_marker){(double)pts[i].t / 1e6, i == 0 ? t->bad : t->accent, pts[i].g,
                                    gui_fmt(c, "%s %s", gui_t(c, pts[i].t), pts[i].what), i == 0};
    gui_chart ch;
    memset(&ch, 0, sizeof ch);
    ch.id = "score.harm";
    ch.title = "Harm the fault caused, per minute";
    ch.tip = "Weighted harmful responses a fault caused (wrong answers weigh most), with your "
             "response times: O onset, D detect, C contain, G diagnose, M mitigate, R resolve";
    ch.fmt = GUI_VF_NUM;
    ch.t0 = (double)(x0 + GUI_STEP) / 1e6;
    ch.dt = 10;
    ch.x_min = (double)x0 / 1e6;
    ch.x_max = (double)(done > x0 + SIM_MIN(15) ? done : x0 + SIM_MIN(15)) / 1e6;
    ch.series[ch.nseries++] = (gui_series){harm, n, t->purple, "harm / min", false};
    ch.thr[ch.nthr++] =
        (gui_threshold){s->sc->scoring.harm_threshold_per_min * 1.0, t->ok, "contained below this"};
    ch.markers = mk;
    ch.nmarkers = nm;
    gui_chart_draw(c, r, &ch);
}

void gui_panel_scorecard(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    bool resolved = sim_drill_resolved(s->d);
    if (!resolved && !s->trainer) {
        gui_card(c, r, "Scorecard");
        gui_layout_begin(c, gui_card_body(c, r));
        gui_space(c, 20);
        gui_text(c,
                 "The scorecard appears once the incident is resolved (Incident panel, 6). It "
                 "scores each response time (detect, contain, diagnose, mitigate) from the "
                 "moment the fault first hurt users, the harm served, your diagnosis, and the "
                 "post-mortem.",
                 GUI_FONT_BODY, t->dim);
        gui_layout_end(c);
        return;
    }
    sim_result res;
    sim_drill_result(s->d, &res);
    int pad = gui_style_of(c)->pad;
    gui_rect right = gui_cut_right(&r, r.w * 38 / 100);
    gui_cut_right(&r, pad);
    gui_card(c, r,
             resolved ? "Scorecard"
                      : "Live score (trainer view; the trainee sees it after "
                        "resolve)");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "score.main", b);
    gui_row(c, 2, (int[]){0, 260}, gui_font_height(c, GUI_FONT_TITLE) * 2 + 8);
    gui_rect big = gui_next(c);
    gui_draw_text(c, GUI_FONT_TITLE, big.x, big.y + 4, t->text,
                  gui_fmt(c, "Score %.1f / 100", res.score.total), -1);
    gui_draw_text(c, GUI_FONT_SMALL, big.x, big.y + gui_font_height(c, GUI_FONT_TITLE) + 8, t->dim,
                  res.incident_ahead
                      ? "the incident has not begun: the response parts earn nothing yet"
                  : res.onset == SIM_TIME_NEVER
                      ? "no fault ever reached a user"
                      : gui_fmt(c,
                                "times count from the fault's onset at %s (its first bad "
                                "response)",
                                gui_t(c, res.onset)),
                  -1);
    if (gui_button_ex(c, "score.pm", "Write the post-mortem (9)", GUI_PRIMARY,
                      "Open the post-mortem form"))
        s->panel = GUI_P_POSTMORTEM;
    gui_space(c, 8);
    score_rows(c, s, &res);
    gui_space(c, 8);
    gui_row(c, 1, NULL, 0);
    gui_label_ex(c,
                 gui_fmt(c,
                         "penalties: wrong levers %d (\xE2\x88\x92%.1f) \xC2\xB7 "
                         "availability \xE2\x88\x92%.1f",
                         res.wrong_levers, res.score.penalty_levers,
                         res.score.penalty_availability),
                 GUI_FONT_BODY, res.wrong_levers ? t->warn : t->dim, 0);
    gui_space(c, 8);
    gui_heading(c, "Harm");
    gui_text(c,
             gui_fmt(c,
                     "%llu requests served, %llu bad responses (weighted harm %.1f, of which "
                     "a fault caused %.1f); %llu withheld by levers. Contained: %s.",
                     (unsigned long long)res.requests, (unsigned long long)res.bad_responses,
                     res.harm, res.fault_harm, (unsigned long long)res.unavailable,
                     res.contained ? "yes" : "no"),
             GUI_FONT_BODY, t->text);
    gui_space(c, 8);
    int ch_h = b.h - (gui_layout_y(c) - b.y) - 8;
    if (ch_h < 220)
        ch_h = 220;
    gui_row(c, 1, NULL, ch_h);
    harm_chart(c, s, &res, gui_next(c));
    gui_scroll_end(c);

    gui_card(c, right, "Diagnosis");
    gui_layout_begin(c, gui_card_body(c, right));
    gui_row(c, 2, (int[]){140, 0}, 0);
    gui_label_ex(c, "recorded", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, res.diagnosis[0] ? res.diagnosis : "none", GUI_FONT_BOLD, t->text, 0);
    gui_label_ex(c, "symptom", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, res.symptom_correct ? "\xE2\x9C\x93 right" : "\xE2\x9C\x97 wrong",
                 GUI_FONT_BOLD, res.symptom_correct ? t->ok : t->bad, 0);
    gui_label_ex(c, "cause", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, res.cause_correct ? "\xE2\x9C\x93 right" : "\xE2\x9C\x97 wrong", GUI_FONT_BOLD,
                 res.cause_correct ? t->ok : t->bad, 0);
    const sim_expected *ex = &s->sc->expected;
    for (int k = 0; k < ex->ndiag; k++) {
        gui_label_ex(c, k ? "" : "what it was", GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c,
                     gui_fmt(c, "%s / %s", sim_symptom_titles[ex->symptom[k]],
                             gui_fault_titles[ex->cause[k]]),
                     GUI_FONT_BODY, t->accent, 0);
    }
    char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    for (int k = 0; k < ex->ncontain && o < sizeof buf; k++) {
        char sp[140];
        sim_action_format(&ex->contain[k], sp, sizeof sp);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? ", " : "", sp);
    }
    gui_label_ex(c, "would contain", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, buf, GUI_FONT_BODY, t->text, 0);
    o = 0;
    buf[0] = '\0';
    for (int k = 0; k < ex->nfix && o < sizeof buf; k++) {
        char sp[140];
        sim_action_format(&ex->fix[k], sp, sizeof sp);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? ", " : "", sp);
    }
    gui_label_ex(c, "would fix", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, buf, GUI_FONT_BODY, t->text, 0);
    gui_label_ex(c, "actions", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(
        c, gui_fmt(c, "%d taken, %d outside the accepted levers", res.actions, res.wrong_levers),
        GUI_FONT_BODY, t->text, 0);
    gui_layout_end(c);
}

/* ---- post-mortem -------------------------------------------------------------------------- */

static void case_editor(gui_ctx *c, gui_state *s, int i)
{
    const gui_theme *t = gui_theme_of(c);
    gui_pm_case *pc = &s->pm.cases[i];
    gui_row(c, 2, (int[]){0, 90}, 0);
    gui_label_ex(
        c, gui_fmt(c, "Case %d \xE2\x80\x94 trace %llu", i + 1, (unsigned long long)pc->trace_id),
        GUI_FONT_BOLD, t->accent, 0);
    if (gui_button_ex(c, gui_fmt(c, "pm.rm.%d", i), "Remove", 0, "Drop this eval case")) {
        gui_pm_remove(&s->pm, i);
        return;
    }
    gui_text(c, pc->query, GUI_FONT_BODY, t->text);
    gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_SMALL) + 4);
    gui_label_ex(c,
                 gui_fmt(c, "%s \xC2\xB7 %s \xC2\xB7 %s \xC2\xB7 was: HTTP %d%s, %.0f ms%s",
                         mllm_region_names[pc->region], mllm_plan_names[pc->plan],
                         mllm_client_names[pc->client], pc->status, pc->refusal ? ", refusal" : "",
                         pc->latency_us / 1000.0,
                         pc->qidx >= 0 ? gui_fmt(c, " \xC2\xB7 %s", s->w->queries[pc->qidx].id)
                                       : " \xC2\xB7 free text"),
                 GUI_FONT_SMALL, t->dim, 0);
    gui_row(c, 2, NULL, 0);
    for (int k = 0; k < pc->nfacts; k++)
        gui_checkbox(c, gui_fmt(c, "pm.c%d.fact%d", i, k),
                     gui_fmt(c, "contains fact %s", s->w->facts[pc->fact[k]].key), &pc->use_fact[k],
                     0, "The answer must state this fact's current value (from the catalogue)");
    gui_checkbox(c, gui_fmt(c, "pm.c%d.not_refusal", i), "not a refusal", &pc->not_refusal, 0,
                 "The model must not refuse this benign question");
    gui_checkbox(c, gui_fmt(c, "pm.c%d.no_error", i), "no error", &pc->no_error, 0,
                 "The request must succeed (HTTP 200)");
    gui_checkbox(c, gui_fmt(c, "pm.c%d.valid_json", i), "valid JSON", &pc->valid_json, 0,
                 "The answer must parse as the expected JSON (structured output)");
    gui_row(c, 2, NULL, 0);
    gui_checkbox(c, gui_fmt(c, "pm.c%d.cites", i), "cites a doc not older than", &pc->cites_on, 0,
                 "Every cited document must be at least this recent (catches a stale index)");
    gui_textbox(c, gui_fmt(c, "pm.c%d.date", i), pc->date, sizeof pc->date, 0,
                "YYYY-MM-DD (prefilled with the source document's current date)");
    gui_checkbox(c, gui_fmt(c, "pm.c%d.latency", i), "latency under (ms)", &pc->latency_on, 0,
                 "End-to-end latency must stay under this bound");
    gui_textbox(c, gui_fmt(c, "pm.c%d.ms", i), pc->latency_ms, sizeof pc->latency_ms, GUI_NUMERIC,
                "Milliseconds");
    gui_space(c, 6);
}

void gui_panel_postmortem(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    int pad = gui_style_of(c)->pad;
    bool resolved = sim_drill_resolved(s->d);
    if (resolved && !s->pm.drafted)
        gui_pm_draft(&s->pm, s->d, &s->data);
    gui_rect right = gui_cut_right(&r, r.w * 42 / 100);
    gui_cut_right(&r, pad);
    gui_card(c, r, "Post-mortem: the five questions");
    gui_rect b = gui_card_body(c, r);
    gui_scroll_begin(c, "pm.questions", b);
    if (!resolved) {
        gui_text(c,
                 "You can start now; a timeline draft appears here when the incident is "
                 "resolved (or press Redraft).",
                 GUI_FONT_SMALL, t->warn);
    }
    int fh = gui_font_height(c, GUI_FONT_BODY);
    int avail = b.h - GUI_PM_QUESTIONS * (gui_font_height(c, GUI_FONT_BOLD) + 16);
    int l1 = avail * 40 / 100 / fh, lo = avail * 13 / 100 / fh;
    l1 = l1 < 6 ? 6 : l1;
    lo = lo < 3 ? 3 : lo;
    for (int q = 0; q < GUI_PM_QUESTIONS; q++) {
        gui_row(c, q == 0 ? 2 : 1, (int[]){0, 170}, gui_font_height(c, GUI_FONT_BOLD) + 6);
        gui_label_ex(c, gui_pm_questions[q], GUI_FONT_BOLD, t->text, 0);
        if (q == 0 && gui_button_ex(c, "pm.redraft", "Redraft timeline", 0,
                                    "Replace answers 1 and 2 with a fresh draft from the "
                                    "drill's alerts, changes and actions"))
            gui_pm_draft(&s->pm, s->d, &s->data);
        gui_row(c, 1, NULL, (q == 0 ? l1 : lo) * fh + gui_style_of(c)->pad);
        gui_textbox(c, gui_fmt(c, "pm.q%d", q + 1), s->pm.answer[q], GUI_PM_ANSWER, GUI_MULTILINE,
                    "Type your answer; Enter starts a new line");
        gui_space(c, 4);
    }
    gui_scroll_end(c);

    gui_card(c, right, "Eval cases from failing traces");
    gui_rect rb = gui_card_body(c, right);
    gui_rect foot = gui_cut_bottom(&rb, 2 * gui_style_of(c)->row_h + 2 * pad);
    gui_scroll_begin(c, "pm.cases", rb);
    for (int i = 0; i < s->pm.ncases; i++)
        case_editor(c, s, i);
    if (!s->pm.ncases)
        gui_text(c,
                 "No eval case yet. Add a failing trace below, or select one in the Traces "
                 "panel (4) and press E.",
                 GUI_FONT_BODY, t->dim);
    sim_time from, to;
    gui_incident_window(s, &from, &to);
    gui_heading(
        c, gui_fmt(c, "Failing traces of the incident (%s to %s)", gui_t(c, from), gui_t(c, to)));
    const sim_traces *tr = sim_drill_traces(s->d);
    const sim_trace *x;
    int shown = 0;
    /* Those served while an alert was firing first, then the rest of the window. */
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t i = 0; (x = sim_traces_get(tr, i)) && shown < 10; i++) {
            if (x->why == SIM_TRACE_REPRODUCED || !sim_trace_failing(&x->resp, x->judge) ||
                x->req.t < from || x->req.t > to || gui_during_alert(s, x->req.t) != (pass == 0))
                continue;
            shown++;
            const char *q = x->text[0]         ? x->text
                            : x->req.text >= 0 ? mllm_world_text(s->w, x->req.text)
                                               : "";
            const char *what = x->resp.status != 200 ? gui_fmt(c, "ERR %d", x->resp.status)
                               : x->resp.refusal     ? "refused"
                               : x->judge >= 0 && x->judge < 0.5f
                                   ? gui_fmt(c, "judge %.2f", x->judge)
                                   : "slow";
            gui_row(c, 3, (int[]){70, 0, 70}, 0);
            gui_label_ex(c, gui_t(c, x->req.t), GUI_FONT_SMALL, t->dim, 0);
            gui_label_ex(c, gui_fmt(c, "%s  %s", what, q ? q : ""), GUI_FONT_BODY, t->text, 0);
            if (gui_button_ex(c, gui_fmt(c, "pm.add.%llu", (unsigned long long)x->id), "+ Add", 0,
                              "Turn this failing request into an eval case"))
                gui_pm_add_trace(&s->pm, s->d, x);
        }
    gui_scroll_end(c);
    gui_layout_begin(c, foot);
    char why[160];
    bool ok = gui_pm_complete(&s->pm, why, sizeof why);
    gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_SMALL) + 4);
    gui_label_ex(c, s->pm.msg[0] ? s->pm.msg : why, GUI_FONT_SMALL,
                 s->pm.submitted ? t->ok
                 : ok            ? t->text
                                 : t->warn,
                 0);
    gui_row(c, 2, (int[]){0, 200}, 0);
    gui_label_ex(c, gui_fmt(c, "saves to %s", s->pm_path), GUI_FONT_SMALL, t->dim, 0);
    if (gui_button_ex(c, "pm.submit", s->pm.submitted ? "Save again" : "Submit post-mortem",
                      ok ? GUI_PRIMARY : GUI_DISABLED,
                      ok ? "Save the form as JSON for the eval runner and mark the post-mortem "
                           "done"
                         : why)) {
        int rc = gui_pm_write(&s->pm, s->sc, s->w, s->pm_path);
        int proven = -1;
        if (rc == 0) {
            /* Read back what was saved and check each eval case the way
             * `firedrill postmortem` does: it earns credit only if it fails on
             * the faulty configuration and passes on the healthy one. */
            sim_pm_doc doc;
            mllm_diags d;
            mllm_diags_clear(&d);
            if (sim_pm_doc_load(s->pm_path, s->w, &doc, &d) == 0) {
                sim_pm_check *checks = calloc((size_t)doc.cases.n + 1, sizeof *checks);
                if (checks)
                    proven = sim_pm_credit(s->d, &doc, checks, SIM_TIME_NEVER, true);
                free(checks);
                sim_pm_doc_release(&doc);
            }
        }
        if (rc == 0) {
            s->pm.submitted = true;
            snprintf(s->pm.msg, sizeof s->pm.msg,
                     "\xE2\x9C\x93 Saved to %.160s (%d eval case%s, %d catch the incident)",
                     s->pm_path, s->pm.ncases, s->pm.ncases == 1 ? "" : "s",
                     proven > 0 ? proven : 0);
            gui_say(s, false, "Post-mortem saved to %s", s->pm_path);
        } else {
            snprintf(s->pm.msg, sizeof s->pm.msg, "Cannot write %.160s: %.60s", s->pm_path,
                     strerror(-rc));
            gui_say(s, true, "%s", s->pm.msg);
        }
    }
    gui_layout_end(c);
}
