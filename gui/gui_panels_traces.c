/* gui_panels_traces.c - the trace explorer: a filterable list of sampled
 * requests and one trace in detail (query, retrieved chunks with scores and
 * document dates, prompt version, model and fingerprint, tokens, latency per
 * stage, error, answer, judge verdict), with "reproduce" and "add to the
 * post-mortem".
 *
 * Traces are read through their observable fields only: the truth label and
 * fault mask are never drawn. The list is virtual (only visible rows are
 * laid out). Ids: "tr.search", "tr.filter", "tr.qtype", "tr.topic",
 * "tr.prompt", "tr.repro", "tr.eval", rows "tr.row.<id>.<why>". */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gui_panels.h"

enum { F_ALL, F_FAILING, F_ERRORS, F_REFUSALS, F_BAD, F_SLOW, F_REPRO, F_HEALTHY };
static const char *const filter_names[] = {"all traces", "failing",        "errors",
                                           "refusals",   "judged bad",     "slow (> 10 s)",
                                           "reproduced", "sampled healthy"};

static uint32_t match_idx[SIM_TRACE_CAP];
static char answer[4096];

static const char *trace_text(const gui_state *s, const sim_trace *t)
{
    if (t->text[0])
        return t->text;
    const char *q = t->req.text >= 0 ? mllm_world_text(s->w, t->req.text) : NULL;
    return q ? q : "";
}

static bool icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return true;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool matches(const gui_state *s, const sim_trace *t)
{
    const mllm_response *r = &t->resp;
    bool failing = sim_trace_failing(r, t->judge);
    switch (s->tr_filter) {
    case F_FAILING:
        if (!failing)
            return false;
        break;
    case F_ERRORS:
        if (r->status == 200)
            return false;
        break;
    case F_REFUSALS:
        if (!r->refusal)
            return false;
        break;
    case F_BAD:
        if (!(t->judge >= 0 && t->judge < 0.5f))
            return false;
        break;
    case F_SLOW:
        if (r->latency_us <= 10000000u)
            return false;
        break;
    case F_REPRO:
        if (t->why != SIM_TRACE_REPRODUCED)
            return false;
        break;
    case F_HEALTHY:
        if (failing || t->why == SIM_TRACE_REPRODUCED)
            return false;
        break;
    default:
        break;
    }
    if (s->tr_qtype > 0 && r->qtype != s->tr_qtype - 1)
        return false;
    if (s->tr_topic > 0 && r->topic != s->tr_topic - 1)
        return false;
    if (s->tr_prompt > 0 && r->prompt != s->tr_prompt - 1)
        return false;
    if (s->tr_search[0]) {
        char idb[24];
        snprintf(idb, sizeof idb, "%llu", (unsigned long long)t->id);
        if (!icontains(trace_text(s, t), s->tr_search) && strcmp(idb, s->tr_search) != 0 &&
            !icontains(r->err_code, s->tr_search))
            return false;
    }
    return true;
}

static const char *flags_of(gui_ctx *c, const sim_trace *t, gui_color *col, const gui_theme *th)
{
    const mllm_response *r = &t->resp;
    *col = th->text;
    if (t->why == SIM_TRACE_REPRODUCED) {
        *col = th->accent;
        return gui_fmt(c, "repro %d", r->status);
    }
    if (r->status != 200) {
        *col = th->bad;
        return gui_fmt(c, "ERR %d", r->status);
    }
    if (r->refusal) {
        *col = th->warn;
        return "refused";
    }
    if (t->judge >= 0 && t->judge < 0.5f) {
        *col = th->warn;
        return gui_fmt(c, "judge %.2f", t->judge);
    }
    if (r->latency_us > 10000000u) {
        *col = th->warn;
        return "slow";
    }
    if (r->gated || r->throttled)
        return "gated";
    if (r->fallback)
        return "fallback";
    if (r->cache_hit)
        return "cache";
    return t->judge >= 0 ? gui_fmt(c, "judge %.2f", t->judge) : "200";
}

static void trace_list(gui_ctx *c, gui_state *s, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const gui_style *st = gui_style_of(c);
    const sim_traces *tr = sim_drill_traces(s->d);
    gui_rect filt = gui_cut_top(&r, 2 * st->row_h + 2 * st->spacing);
    gui_layout_begin(c, filt);
    gui_row(c, 2, (int[]){0, 170}, 0);
    gui_textbox_ex(c, "tr.search", s->tr_search, sizeof s->tr_search, 0,
                   "search query text, trace id or error code  (/)",
                   "Search the query text, a trace id or an error code (key /)");
    gui_select(c, "tr.filter", filter_names, 8, &s->tr_filter, 0,
               "Which traces: failing = errors, refusals, judged bad or slower than 10 s");
    gui_row(c, 3, NULL, 0);
    gui_select(c, "tr.qtype", s->any_qtypes, MLLM_QT_COUNT + 1, &s->tr_qtype, 0,
               "Only this query type");
    gui_select(c, "tr.topic", s->any_topics, s->w->ntopics + 1, &s->tr_topic, 0, "Only this topic");
    gui_select(c, "tr.prompt", s->any_prompts, s->w->nprompts + 1, &s->tr_prompt, 0,
               "Only requests served with this prompt version");
    gui_layout_end(c);

    int n = 0, sel_pos = -1;
    const sim_trace *x;
    for (uint64_t i = 0; (x = sim_traces_get(tr, i)); i++)
        if (matches(s, x)) {
            if (x->id == s->tr_sel && x->why == s->tr_sel_why)
                sel_pos = n;
            match_idx[n++] = (uint32_t)i;
        }
    int rh = gui_font_height(c, GUI_FONT_BODY) + 6;
    int pitch = rh + gui_style_of(c)->spacing; /* rows are laid out with the spacing */
    gui_rect head = gui_cut_top(&r, gui_font_height(c, GUI_FONT_SMALL) + 6);
    static const char *const heads[] = {"time", "id", "outcome", "type / topic", "latency"};
    static const int hx[] = {6, 62, 128, 232, 390};
    for (int i = 0; i < 5; i++)
        gui_draw_text(c, GUI_FONT_SMALL, head.x + hx[i], head.y + 2, t->dim, heads[i], -1);
    gui_draw_text(c, GUI_FONT_SMALL, head.x + 450, head.y + 2, t->dim,
                  gui_fmt(c, "query   (%d of %zu traces, newest first)", n, sim_traces_count(tr)),
                  -1);
    /* Keyboard: move the selection. */
    int keys = gui_wants_keyboard(c) ? 0 : gui_keys(c);
    int page = r.h / pitch - 1;
    int move = (keys & GUI_KEY_DOWN ? 1 : 0) - (keys & GUI_KEY_UP ? 1 : 0) +
               (keys & GUI_KEY_PAGEDOWN ? page : 0) - (keys & GUI_KEY_PAGEUP ? page : 0);
    if (move && n) {
        int p = sel_pos < 0 ? 0 : sel_pos + move;
        p = p < 0 ? 0 : p >= n ? n - 1 : p;
        const sim_trace *y = sim_traces_get(tr, match_idx[p]);
        s->tr_sel = y->id;
        s->tr_sel_why = y->why;
        sel_pos = p;
        s->tr_scroll_to_sel = true;
        gui_consume_keys(c, GUI_KEY_UP | GUI_KEY_DOWN | GUI_KEY_PAGEUP | GUI_KEY_PAGEDOWN);
    }
    if (s->tr_scroll_to_sel && sel_pos >= 0) {
        int sc = gui_scroll_get(c, "tr.list");
        int y = sel_pos * pitch;
        if (y < sc)
            gui_scroll_set(c, "tr.list", y);
        else if (y + pitch > sc + r.h)
            gui_scroll_set(c, "tr.list", y + pitch - r.h);
        s->tr_scroll_to_sel = false;
    }
    gui_draw_rect(c, r, t->panel);
    gui_scroll_begin(c, "tr.list", r);
    int scroll = gui_scroll_get(c, "tr.list");
    int first = scroll / pitch, last = (scroll + r.h) / pitch + 1;
    if (first > n)
        first = n;
    if (last > n)
        last = n;
    gui_skip(c, first * pitch);
    gui_row(c, 1, NULL, rh);
    for (int p = first; p < last; p++) {
        const sim_trace *y = sim_traces_get(tr, match_idx[p]);
        gui_rect rr = gui_next(c);
        gui_id rid = gui_id_of(c, gui_fmt(c, "tr.row.%llu.%d", (unsigned long long)y->id, y->why));
        gui_widget(c, rid, rr);
        bool sel = y->id == s->tr_sel && y->why == s->tr_sel_why;
        bool hot = gui_mouse_over(c, rr);
        if (gui_clicked(c, rid, rr)) {
            s->tr_sel = y->id;
            s->tr_sel_why = y->why;
            sel = true;
        }
        if (sel)
            gui_draw_rect(c, rr, (gui_color){40, 70, 95, 255});
        else if (hot)
            gui_draw_rect(c, rr, t->raised);
        else if (p % 2)
            gui_draw_rect(c, rr, (gui_color){38, 41, 49, 255});
        if (sel)
            gui_draw_rect(c, (gui_rect){rr.x, rr.y, 3, rr.h}, t->accent);
        gui_color fc;
        const char *fl = flags_of(c, y, &fc, t);
        int x0 = rr.x + 6;
        gui_rect cell = {x0, rr.y, 54, rr.h};
        gui_draw_text_in(c, GUI_FONT_SMALL, cell, t->dim, gui_t(c, y->req.t) + 2, 0);
        cell.x = x0 + 56;
        cell.w = 62;
        gui_draw_text_in(c, GUI_FONT_SMALL, cell, t->dim,
                         gui_fmt(c, "%llu", (unsigned long long)y->id % 10000000ull), 0);
        cell.x = x0 + 122;
        cell.w = 100;
        gui_draw_text_in(c, GUI_FONT_BOLD, cell, fc, fl, 0);
        cell.x = x0 + 226;
        cell.w = 140;
        gui_draw_text_in(c, GUI_FONT_SMALL, cell, t->dim,
                         gui_fmt(c, "%s / %s",
                                 y->resp.qtype >= 0 ? mllm_qtype_names[y->resp.qtype] : "?",
                                 y->resp.topic >= 0 ? s->w->topics[y->resp.topic].id : "-"),
                         0);
        cell.x = x0 + 370;
        cell.w = 64;
        gui_draw_text_in(c, GUI_FONT_SMALL, cell, t->dim,
                         gui_fmt(c, "%.0f ms", y->resp.latency_us / 1000.0), GUI_ALIGN_RIGHT);
        cell.x = x0 + 444;
        cell.w = rr.x + rr.w - cell.x - 4;
        gui_draw_text_in(c, GUI_FONT_BODY, cell, t->text, trace_text(s, y), 0);
        gui_tooltip(c, rid, rr,
                    gui_fmt(c,
                            "%s\nClick to open (Up / Down move); R reproduces, E adds it to the "
                            "post-mortem",
                            trace_text(s, y)));
    }
    gui_skip(c, (n - last) * pitch);
    gui_scroll_end(c);
}

static void kv(gui_ctx *c, const char *k, const char *v, gui_color vc)
{
    const gui_theme *t = gui_theme_of(c);
    gui_row(c, 2, (int[]){130, 0}, gui_font_height(c, GUI_FONT_BODY) + 4);
    gui_label_ex(c, k, GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, v, GUI_FONT_BODY, vc.a ? vc : t->text, 0);
}

static void stage_bars(gui_ctx *c, const mllm_response *r)
{
    const gui_theme *t = gui_theme_of(c);
    uint32_t total = r->latency_us ? r->latency_us : 1;
    for (int i = 0; i < MLLM_STAGE_COUNT; i++) {
        gui_row(c, 3, (int[]){130, 0, 90}, gui_font_height(c, GUI_FONT_SMALL) + 4);
        gui_label_ex(c, mllm_stage_names[i], GUI_FONT_SMALL, t->dim, 0);
        gui_rect b = gui_next(c);
        int w = (int)((double)r->stage_us[i] / total * b.w);
        gui_draw_rect(c, (gui_rect){b.x, b.y + 3, b.w, b.h - 6}, t->pressed);
        gui_draw_rect(c, (gui_rect){b.x, b.y + 3, w > 0 ? w : (r->stage_us[i] ? 1 : 0), b.h - 6},
                      t->series[i % 7]);
        gui_label_ex(c, gui_fmt(c, "%.1f ms", r->stage_us[i] / 1000.0), GUI_FONT_SMALL, t->text,
                     GUI_ALIGN_RIGHT);
    }
}

static void chunk_table(gui_ctx *c, gui_state *s, const mllm_response *r)
{
    const gui_theme *t = gui_theme_of(c);
    const mllm_world *w = s->w;
    const mllm_service *svc = sim_drill_service(s->d);
    if (r->nchunks == 0) {
        gui_row(c, 1, NULL, 0);
        gui_label_ex(c,
                     r->snapshot >= 0 ? "no chunk retrieved (empty retrieval)"
                                      : "no retrieval (cache, fallback or gate)",
                     GUI_FONT_BODY, r->snapshot >= 0 ? t->warn : t->dim, 0);
        return;
    }
    static const int cols[5] = {24, 56, 0, 96, 150};
    gui_row(c, 5, cols, gui_font_height(c, GUI_FONT_SMALL) + 4);
    gui_label_ex(c, "#", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, "score", GUI_FONT_SMALL, t->dim, GUI_ALIGN_RIGHT);
    gui_label_ex(c, "document (topic)", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, "chunk date", GUI_FONT_SMALL, t->dim, 0);
    gui_label_ex(c, "source now", GUI_FONT_SMALL, t->dim, 0);
    for (int i = 0; i < r->nchunks && i < MLLM_TOPK; i++) {
        if (r->chunk[i] >= (uint32_t)w->nchunks)
            continue;
        const mllm_chunk *ck = &w->chunks[r->chunk[i]];
        const mllm_doc *doc = &w->docs[ck->doc];
        const mllm_version *ver = &doc->v[ck->version_index];
        int src = mllm_service_source_version(svc, ck->doc);
        bool newer = src > ck->version_index;
        gui_row(c, 5, cols, 0);
        gui_label_ex(c, gui_fmt(c, "%d", i + 1), GUI_FONT_SMALL, t->dim, 0);
        gui_label_ex(c, gui_fmt(c, "%.2f", r->score[i]), GUI_FONT_BODY,
                     r->score[i] < 2.0f ? t->warn : t->text, GUI_ALIGN_RIGHT);
        gui_rect dr = gui_next(c);
        gui_draw_text_in(c, GUI_FONT_BODY, dr, t->text,
                         gui_fmt(c, "%s v%d (%s)", doc->id, ver->version, w->topics[doc->topic].id),
                         0);
        gui_tooltip(c, gui_id_of(c, gui_fmt(c, "tr.chunk.%d", i)), dr,
                    gui_fmt(c, "%s\n\n%.*s", doc->title, ck->len > 600 ? 600 : ck->len, ck->text));
        gui_label_ex(c, ver->updated_at, GUI_FONT_BODY, newer ? t->warn : t->text, 0);
        gui_label_ex(c,
                     src < 0 ? "removed from sources"
                     : newer ? gui_fmt(c, "\xE2\x96\xB2 newer: %s", doc->v[src].updated_at)
                             : "same version",
                     GUI_FONT_SMALL, src < 0 || newer ? t->warn : t->dim, 0);
        gui_row(c, 2, (int[]){24, 0}, gui_font_height(c, GUI_FONT_SMALL) + 2);
        gui_next(c);
        gui_label_ex(c, gui_fmt(c, "%.*s", ck->len > 160 ? 160 : ck->len, ck->text), GUI_FONT_SMALL,
                     t->dim, 0);
    }
}

static void trace_detail(gui_ctx *c, gui_state *s, gui_rect area)
{
    const gui_theme *t = gui_theme_of(c);
    const mllm_world *w = s->w;
    gui_card(c, area, "Trace");
    gui_rect b = gui_card_body(c, area);
    const sim_trace *tr = gui_selected_trace(s);
    gui_scroll_begin(c, "tr.detail", b);
    if (!tr) {
        gui_text(c,
                 "Select a trace on the left (click, or Up / Down). Filter on failing traces to "
                 "find examples; R reproduces the selected trace on today's configuration, E "
                 "adds it to the post-mortem as an eval case.",
                 GUI_FONT_BODY, t->dim);
        gui_scroll_end(c);
        return;
    }
    const mllm_response *r = &tr->resp;
    gui_row(c, 3, (int[]){0, 170, 230}, 0);
    gui_label_ex(c,
                 gui_fmt(c, "Request %llu%s", (unsigned long long)tr->id,
                         tr->why == SIM_TRACE_REPRODUCED ? "  (reproduced)"
                         : tr->why == SIM_TRACE_FAILING && sim_trace_failing(r, tr->judge)
                             ? "  (failing)"
                             : "  (sampled)"),
                 GUI_FONT_TITLE, t->text, 0);
    if (gui_button_ex(c, "tr.repro", "Reproduce (R)", 0,
                      "Run this request again now, on today's configuration (a dry run: no "
                      "cache write, not counted in the metrics). The result appears as a new "
                      "trace."))
        gui_reproduce_selected(s);
    if (gui_button_ex(c, "tr.eval", "Add to post-mortem (E)", 0,
                      "Turn this request into an eval case in the post-mortem form (9)"))
        gui_eval_selected(s);
    gui_space(c, 4);
    gui_text(c, trace_text(s, tr), GUI_FONT_BOLD, t->accent);
    gui_space(c, 4);
    kv(c, "when",
       gui_fmt(c, "%s   %s", gui_t(c, tr->req.t),
               tr->why == SIM_TRACE_REPRODUCED ? "re-run on today's configuration" : ""),
       (gui_color){0, 0, 0, 0});
    kv(c, "user",
       gui_fmt(c,
               "region %s \xC2\xB7 plan %s \xC2\xB7 client %s \xC2\xB7 turn %d (%d history "
               "tokens)",
               mllm_region_names[tr->req.region], mllm_plan_names[tr->req.plan],
               mllm_client_names[tr->req.client], tr->req.turn, tr->req.history_tokens),
       (gui_color){0, 0, 0, 0});
    kv(c, "query type",
       gui_fmt(c, "%s \xC2\xB7 topic %s%s", r->qtype >= 0 ? mllm_qtype_names[r->qtype] : "?",
               r->topic >= 0 ? w->topics[r->topic].id : "-",
               r->structured ? " \xC2\xB7 structured output" : ""),
       (gui_color){0, 0, 0, 0});
    char eb[256];
    const char *emsg = mllm_service_error_message(sim_drill_service(s->d), r, eb, sizeof eb);
    kv(c, "outcome",
       gui_fmt(c, "HTTP %d%s%s%s%s%s%s%s%s", r->status, r->err_code[0] ? " " : "", r->err_code,
               r->refusal ? " \xC2\xB7 refusal" : "", r->cache_hit ? " \xC2\xB7 cache hit" : "",
               r->fallback ? " \xC2\xB7 fallback" : "",
               r->gated || r->throttled ? " \xC2\xB7 gated" : "",
               r->disclaimer ? " \xC2\xB7 disclaimer" : "",
               r->truncated ? " \xC2\xB7 truncated" : ""),
       r->status != 200 ? t->bad
       : r->refusal     ? t->warn
                        : t->text);
    if (emsg[0])
        kv(c, "error", emsg, t->bad);
    kv(c, "judge",
       tr->judge < 0 ? "not sampled by the judge"
                     : gui_fmt(c, "%.2f \xE2\x80\x94 %s", tr->judge,
                               tr->judge < 0.5f ? "BAD (below 0.5)" : "ok"),
       tr->judge >= 0 && tr->judge < 0.5f ? t->warn : (gui_color){0, 0, 0, 0});
    kv(c, "served by",
       gui_fmt(c, "route %s \xC2\xB7 model %s%s%s \xC2\xB7 prompt %s \xC2\xB7 index snapshot %s",
               r->route >= 0 && r->route < 3 ? mllm_role_names[r->route] : "-",
               r->model >= 0 ? w->models[r->model].id : "none",
               r->model >= 0 && r->fingerprint >= 0 ? " @ " : "",
               r->model >= 0 && r->fingerprint >= 0
                   ? w->models[r->model].fingerprint[r->fingerprint]
                   : "",
               r->prompt >= 0 ? w->prompts[r->prompt].version : "-",
               r->snapshot >= 0 ? gui_fmt(c, "#%d", r->snapshot) : "-"),
       (gui_color){0, 0, 0, 0});
    kv(c, "tokens",
       gui_fmt(c,
               "prompt %d \xC2\xB7 completion %d \xC2\xB7 context %d \xC2\xB7 history %d "
               "\xC2\xB7 cost $%.5f \xC2\xB7 retries %d",
               r->prompt_tokens, r->completion_tokens, r->context_tokens, r->history_tokens,
               r->cost, r->retries),
       (gui_color){0, 0, 0, 0});
    kv(c, "latency",
       gui_fmt(c, "%.0f ms total \xC2\xB7 time to first token %.0f ms", r->latency_us / 1000.0,
               r->ttft_us / 1000.0),
       r->latency_us > 10000000u ? t->warn : (gui_color){0, 0, 0, 0});
    stage_bars(c, r);
    gui_space(c, 4);
    gui_heading(c, "Retrieved chunks");
    chunk_table(c, s, r);
    gui_space(c, 4);
    gui_heading(c, "Answer");
    mllm_request req = tr->req;
    req.free_text = tr->text[0] ? tr->text : NULL;
    mllm_service_render(sim_drill_service(s->d), &req, r, answer, sizeof answer);
    gui_text(c, answer[0] ? answer : "(empty)", GUI_FONT_MONO, t->text);
    gui_scroll_end(c);
}

void gui_panel_traces(gui_ctx *c, gui_state *s, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    gui_rect right = gui_cut_right(&r, r.w >= 1500 ? r.w * 11 / 20 : r.w / 2);
    gui_cut_right(&r, pad);
    trace_list(c, s, r);
    trace_detail(c, s, right);
}
