/* gui_panels_controls.c - every lever of the service, with its state, its
 * runbook delay and approval, and what is pending.
 *
 * A lever's widget shows the live state from the service's controls; a click
 * sends an action through the engine (blunt levers ask for confirmation
 * first), which applies it after its runbook delay, so the state changes only
 * when the action takes effect and the card says what is pending until then.
 * Ids: "ctl.kill", "ctl.fallback", "ctl.disclaimer", "ctl.types",
 * "ctl.type.<type>", "ctl.topics", "ctl.topic.<topic>", "ctl.prompt",
 * "ctl.route", "ctl.pin", "ctl.throttle" (+ ".apply", ".off"), "ctl.ctxcap",
 * "ctl.maxtok" (same), "ctl.reindex", "ctl.snapshot", "ctl.restore",
 * "ctl.adddocs", "ctl.adddocs.go", "ctl.flush", "ctl.backoff", "ctl.apicompat",
 * "ctl.parser". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui_panels.h"

static const char *delay_text(gui_ctx *c, const gui_state *s, sim_action_kind k)
{
    const sim_runbook *rb = &s->sc->runbook;
    char d[24], a[24];
    mllm_duration_format(rb->delay[k], d, sizeof d);
    if ((rb->needs_approval >> k) & 1u) {
        mllm_duration_format(rb->approval_takes, a, sizeof a);
        return gui_fmt(c, "needs approval by %s (%s), then takes %s",
                       rb->approver[0] ? rb->approver : "the approver", a, d);
    }
    return rb->delay[k] ? gui_fmt(c, "takes %s to take effect", d) : "takes effect at once";
}

static int card_begin(gui_ctx *c, const gui_state *s, const char *title, const char *state,
                      gui_color scol, sim_action_kind kind, const char *pending_arg)
{
    const gui_theme *t = gui_theme_of(c);
    int y0 = gui_layout_y(c);
    gui_row(c, 2, (int[]){0, -42}, gui_font_height(c, GUI_FONT_BOLD) + 6);
    gui_label_ex(c, title, GUI_FONT_BOLD, t->text, 0);
    gui_label_ex(c, state, GUI_FONT_BOLD, scol, GUI_ALIGN_RIGHT);
    gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_SMALL) + 2);
    gui_label_ex(c, delay_text(c, s, kind), GUI_FONT_SMALL, t->dim, 0);
    const char *p = gui_pending_text(c, s, kind, pending_arg);
    if (p[0]) {
        gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_BOLD) + 4);
        gui_label_ex(c, p, GUI_FONT_BOLD, t->warn, 0);
    }
    return y0;
}

static void card_end(gui_ctx *c, const gui_state *s, const char *key, int y0)
{
    const gui_theme *t = gui_theme_of(c);
    gui_rect body = gui_layout_rect(c);
    int y1 = gui_layout_y(c);
    gui_flash(c, s, gui_id_global(key), (gui_rect){body.x - 3, y0 - 3, body.w + 6, y1 - y0 + 2});
    gui_space(c, 2);
    gui_row(c, 1, NULL, 1);
    gui_rect line = gui_next(c);
    gui_draw_rect(c, line, t->border);
    gui_space(c, gui_style_of(c)->pad);
}

static gui_color on_col(const gui_theme *t, bool on)
{
    return on ? t->ok : t->dim;
}

static void number_lever(gui_ctx *c, gui_state *s, const char *id, char *buf, size_t n,
                         sim_action_kind kind, const char *tip)
{
    gui_row(c, 3, (int[]){0, 80, 60}, 0);
    int res = gui_textbox(c, id, buf, n, GUI_NUMERIC, tip);
    char apply[48], off[48];
    snprintf(apply, sizeof apply, "%s.apply", id);
    snprintf(off, sizeof off, "%s.off", id);
    if (gui_button_ex(c, apply, "Apply", 0, "Request this value (Enter in the field does too)") ||
        (res & GUI_RES_SUBMIT)) {
        if (buf[0])
            gui_act(s, kind, buf);
        else
            gui_say(s, true, "Type a value first (0 turns it off)");
    }
    if (gui_button_ex(c, off, "Off", 0, "Request 0: turn this limit off"))
        gui_act(s, kind, "0");
}

/* A card whose lever is a number: its state is "off" at 0, else the value
 * (fmt takes a double) in the warning colour. */
static void number_card(gui_ctx *c, gui_state *s, const char *title, double value,
                        const char *fmt, const char *id, char *buf, size_t n,
                        sim_action_kind kind, const char *tip)
{
    const gui_theme *t = gui_theme_of(c);
    int y = card_begin(c, s, title, value > 0 ? gui_fmt(c, fmt, value) : "off",
                       value > 0 ? t->warn : t->text, kind, NULL);
    number_lever(c, s, id, buf, n, kind, tip);
    card_end(c, s, id, y);
}

static void column_contain(gui_ctx *c, gui_state *s, const mllm_controls *ct)
{
    const gui_theme *t = gui_theme_of(c);
    const mllm_world *w = s->w;
    int y;
    y = card_begin(c, s, "Kill switch", ct->kill_switch ? "ON" : "off",
                   ct->kill_switch ? t->bad : t->ok, SIM_ACT_KILL_SWITCH, NULL);
    if (s->sc->runbook.flag[0]) {
        gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_SMALL) + 2);
        gui_label_ex(c, gui_fmt(c, "flag: %s", s->sc->runbook.flag), GUI_FONT_SMALL, t->dim, 0);
    }
    gui_row(c, 1, NULL, 0);
    if (gui_switch(
            c, "ctl.kill",
            gui_fmt(c, "serve the %s fallback to everyone", mllm_fallback_names[ct->fallback]),
            ct->kill_switch, GUI_DANGER,
            "Kill switch (K): route every request to the fallback instead of the "
            "assistant. Wrong answers served are worse than no answers. Asks for "
            "confirmation; the runbook may need approval.")) {
        if (gui_pending_of(s, SIM_ACT_KILL_SWITCH, NULL))
            gui_say(s, false, "A kill switch request is already pending");
        else if (ct->kill_switch)
            gui_ask(s, SIM_ACT_KILL_SWITCH, "off", "Turn the kill switch off?",
                    "Traffic goes back to the assistant. Do it once the cause is fixed.",
                    "Turn off");
        else
            gui_ask(s, SIM_ACT_KILL_SWITCH, "on", "Turn the kill switch on?",
                    gui_fmt(c,
                            "Every request gets the %s fallback instead of the assistant "
                            "until you turn it off. %s",
                            mllm_fallback_names[ct->fallback],
                            (s->sc->runbook.needs_approval >> SIM_ACT_KILL_SWITCH) & 1u
                                ? gui_fmt(c, "The runbook needs approval by %s first.",
                                          s->sc->runbook.approver)
                                : ""),
                    "Turn on");
    }
    card_end(c, s, "ctl.kill", y);

    y = card_begin(c, s, "Fallback", mllm_fallback_names[ct->fallback], t->text, SIM_ACT_FALLBACK,
                   NULL);
    gui_row(c, 1, NULL, 0);
    int fb = ct->fallback;
    if (gui_select(c, "ctl.fallback", mllm_fallback_names, 3, &fb, 0,
                   "What the kill switch serves (F): cached answers where there are any, the "
                   "simplified model, or a 'temporarily unavailable' message"))
        gui_act(s, SIM_ACT_FALLBACK, mllm_fallback_names[fb]);
    card_end(c, s, "ctl.fallback", y);

    y = card_begin(c, s, "Disclaimer", ct->disclaimer ? "ON" : "off", on_col(t, ct->disclaimer),
                   SIM_ACT_DISCLAIMER, NULL);
    gui_row(c, 1, NULL, 0);
    if (gui_switch(c, "ctl.disclaimer", "append 'AI-generated, may be outdated'", ct->disclaimer, 0,
                   "Disclaimer (D): halves the harm of a wrong answer; does not fix it"))
        gui_act(s, SIM_ACT_DISCLAIMER, ct->disclaimer ? "off" : "on");
    card_end(c, s, "ctl.disclaimer", y);

    int ndis = 0;
    for (int i = 0; i < MLLM_QT_COUNT; i++)
        ndis += (ct->disabled_types >> i) & 1u;
    y = card_begin(c, s, "Query types", ndis ? gui_fmt(c, "%d disabled", ndis) : "all served",
                   ndis ? t->warn : t->ok, SIM_ACT_DISABLE_TYPE, NULL);
    const char *pe = gui_pending_text(c, s, SIM_ACT_ENABLE_TYPE, NULL);
    if (pe[0]) {
        gui_row(c, 1, NULL, 0);
        gui_label_ex(c, pe, GUI_FONT_BOLD, t->warn, 0);
    }
    gui_row(c, 2, NULL, 0);
    for (int i = 0; i < MLLM_QT_COUNT; i++) {
        bool on = !((ct->disabled_types >> i) & 1u);
        const char *name = mllm_qtype_names[i];
        if (gui_switch(c, gui_fmt(c, "ctl.type.%s", name), name, on, 0,
                       gui_fmt(c,
                               "Serve '%s' questions (ON) or answer them with a polite "
                               "'cannot help' (OFF) (T)",
                               name))) {
            if (on)
                gui_ask(s, SIM_ACT_DISABLE_TYPE, name, gui_fmt(c, "Disable %s questions?", name),
                        gui_fmt(c,
                                "Users asking %s questions get a 'cannot help with this right "
                                "now' answer until you enable the type again.",
                                name),
                        "Disable");
            else
                gui_act(s, SIM_ACT_ENABLE_TYPE, name);
        }
    }
    card_end(c, s, "ctl.types", y);

    int ndt = 0;
    for (int i = 0; i < w->ntopics; i++)
        ndt += (ct->disabled_topics >> i) & 1u;
    y = card_begin(c, s, "Topics", ndt ? gui_fmt(c, "%d disabled", ndt) : "all served",
                   ndt ? t->warn : t->ok, SIM_ACT_DISABLE_TOPIC, NULL);
    pe = gui_pending_text(c, s, SIM_ACT_ENABLE_TOPIC, NULL);
    if (pe[0]) {
        gui_row(c, 1, NULL, 0);
        gui_label_ex(c, pe, GUI_FONT_BOLD, t->warn, 0);
    }
    gui_row(c, 2, NULL, 0);
    for (int i = 0; i < w->ntopics; i++) {
        bool on = !((ct->disabled_topics >> i) & 1u);
        const char *name = w->topics[i].id;
        if (gui_switch(c, gui_fmt(c, "ctl.topic.%s", name), name, on, 0,
                       gui_fmt(c, "Serve questions on '%s' (%s) or decline them (O)", name,
                               w->topics[i].title))) {
            if (on)
                gui_ask(s, SIM_ACT_DISABLE_TOPIC, name, gui_fmt(c, "Disable the topic %s?", name),
                        gui_fmt(c,
                                "Questions about %s get a 'cannot help' answer until you "
                                "enable the topic again.",
                                w->topics[i].title),
                        "Disable");
            else
                gui_act(s, SIM_ACT_ENABLE_TOPIC, name);
        }
    }
    card_end(c, s, "ctl.topics", y);
}

static void column_route(gui_ctx *c, gui_state *s, const mllm_controls *ct, const mllm_status *st)
{
    const gui_theme *t = gui_theme_of(c);
    const mllm_world *w = s->w;
    int y;
    const mllm_prompt *pr = ct->prompt >= 0 ? &w->prompts[ct->prompt] : NULL;
    y = card_begin(c, s, "Prompt version", pr ? pr->version : "-", t->text, SIM_ACT_PROMPT, NULL);
    if (pr)
        gui_text(c,
                 gui_fmt(c, "live: %s by %s, released %s: %s", pr->version, pr->author,
                         pr->released, pr->summary),
                 GUI_FONT_SMALL, t->dim);
    gui_row(c, 1, NULL, 0);
    int p = ct->prompt;
    if (gui_select(c, "ctl.prompt", s->prompt_labels, w->nprompts, &p, 0,
                   "Roll back or deploy a prompt version through the prompt registry (P)"))
        gui_act(s, SIM_ACT_PROMPT, w->prompts[p].version);
    card_end(c, s, "ctl.prompt", y);

    static char route_items[3][96];
    static const char *route_ptrs[3];
    for (int i = 0; i < 3; i++) {
        int m = mllm_world_model_role(w, (mllm_role)i);
        snprintf(route_items[i], sizeof route_items[i], "%s \xE2\x80\x94 %s (%s)",
                 mllm_role_names[i], m >= 0 ? w->models[m].id : "none",
                 m >= 0 ? w->providers[w->models[m].provider].title : "");
        route_ptrs[i] = route_items[i];
    }
    y = card_begin(c, s, "Model route", mllm_role_names[ct->route], ct->route ? t->warn : t->text,
                   SIM_ACT_ROUTE, NULL);
    gui_row(c, 1, NULL, 0);
    int rt = ct->route;
    if (gui_select(c, "ctl.route", route_ptrs, 3, &rt, 0,
                   "Which model serves traffic (M): the primary, the backup from another "
                   "provider, or the small self-hosted model"))
        gui_act(s, SIM_ACT_ROUTE, mllm_role_names[rt]);
    card_end(c, s, "ctl.route", y);

    int pm = s->primary_model;
    const char *alias =
        pm >= 0 && st->primary_alias >= 0 ? w->models[pm].fingerprint[st->primary_alias] : "?";
    y = card_begin(c, s, "Primary model version",
                   ct->pin_fingerprint >= 0 && pm >= 0
                       ? gui_fmt(c, "pinned %s", w->models[pm].fingerprint[ct->pin_fingerprint])
                       : "follows alias",
                   ct->pin_fingerprint >= 0 ? t->warn : t->text, SIM_ACT_PIN_MODEL, NULL);
    gui_row(c, 1, NULL, gui_font_height(c, GUI_FONT_SMALL) + 2);
    gui_label_ex(
        c,
        gui_fmt(c, "provider alias %s now points at %s", pm >= 0 ? w->models[pm].id : "?", alias),
        GUI_FONT_SMALL, t->dim, 0);
    gui_row(c, 1, NULL, 0);
    int pin = ct->pin_fingerprint + 1;
    int nfp = pm >= 0 ? w->models[pm].nversions + 1 : 1;
    if (gui_select(c, "ctl.pin", s->fp_ids, nfp, &pin, 0,
                   "Pin the primary model to a fingerprint instead of following the provider's "
                   "alias (V)"))
        gui_act(s, SIM_ACT_PIN_MODEL, pin == 0 ? "none" : s->fp_ids[pin]);
    card_end(c, s, "ctl.pin", y);

    number_card(c, s, "Throttle", ct->throttle_rps, "%.0f req/s", "ctl.throttle", s->in_throttle,
                sizeof s->in_throttle, SIM_ACT_THROTTLE,
                "Admission limit in requests/s (H); requests above it are shed with 503");
    number_card(c, s, "Context cap", ct->context_cap, "%.0f tokens", "ctl.ctxcap", s->in_ctxcap,
                sizeof s->in_ctxcap, SIM_ACT_CONTEXT_CAP,
                "Keep at most this many tokens of conversation history (C)");
    number_card(c, s, "Max completion tokens", ct->max_tokens, "%.0f tokens", "ctl.maxtok",
                s->in_maxtok, sizeof s->in_maxtok, SIM_ACT_MAX_TOKENS,
                "Cap the completion length (J); a truncated structured answer may not parse");
}

static void column_index(gui_ctx *c, gui_state *s, const mllm_controls *ct, const mllm_status *st)
{
    const gui_theme *t = gui_theme_of(c);
    const mllm_world *w = s->w;
    sim_time now = sim_drill_now(s->d);
    int y;
    double age_min = ((double)now - (double)st->index_built_at) / 60e6;
    y = card_begin(c, s, "Index",
                   st->reindex_running ? "reindexing" : gui_fmt(c, "age %.0f min", age_min),
                   st->reindex_running ? t->warn : t->text, SIM_ACT_REINDEX, NULL);
    char nr[24];
    gui_text(c,
             gui_fmt(c,
                     "live snapshot #%d \xC2\xB7 %d document%s changed in the sources "
                     "since \xC2\xB7 next scheduled refresh %s",
                     st->live_snapshot, st->sources_changed_since_index,
                     st->sources_changed_since_index == 1 ? "" : "s",
                     st->next_refresh == MLLM_NEVER
                         ? "none"
                         : gui_fmt(c, "T+%s", gui_time_str(st->next_refresh, nr, sizeof nr))),
             GUI_FONT_SMALL, st->sources_changed_since_index ? t->warn : t->dim);
    if (st->reindex_running) {
        gui_row(c, 1, NULL, 0);
        gui_label_ex(c,
                     gui_fmt(c, "reindex job running, done at %s", gui_t(c, st->reindex_done_at)),
                     GUI_FONT_BOLD, t->warn, 0);
    }
    gui_row(c, 1, NULL, 0);
    if (gui_button_ex(c, "ctl.reindex", "Reindex from the sources (X)",
                      st->reindex_running ? GUI_DISABLED : 0,
                      "Rebuild the retrieval index from the current sources (a job that takes "
                      "minutes); the old snapshot stays available"))
        gui_ask(s, SIM_ACT_REINDEX, "", "Rebuild the index?",
                "Reindexing reads the current sources into a new snapshot; the job takes a few "
                "minutes and the old snapshot stays available for a restore.",
                "Reindex");
    card_end(c, s, "ctl.reindex", y);

    static char snap_items[8][96];
    static const char *snap_ptrs[8];
    int ns = st->nsnapshots;
    for (int i = 0; i < ns; i++) {
        const mllm_snapshot_info *si = &st->snapshots[i];
        double ago = ((double)now - (double)si->built_at) / 60e6;
        snprintf(snap_items[i], sizeof snap_items[i], "#%d  as of %.0f min ago, %d chunks%s",
                 si->id, ago, si->chunks, si->live ? "  (live)" : "");
        snap_ptrs[i] = snap_items[i];
    }
    if (s->sel_snapshot >= ns)
        s->sel_snapshot = ns ? ns - 1 : 0;
    y = card_begin(c, s, "Restore index snapshot", gui_fmt(c, "live #%d", st->live_snapshot),
                   t->text, SIM_ACT_RESTORE_SNAPSHOT, NULL);
    gui_row(c, 2, (int[]){0, 100}, 0);
    gui_select(c, "ctl.snapshot", snap_ptrs, ns, &s->sel_snapshot, ns ? 0 : GUI_DISABLED,
               "Choose a kept snapshot of the index (S)");
    if (gui_button_ex(c, "ctl.restore", "Restore", ns ? 0 : GUI_DISABLED,
                      "Make the chosen snapshot live again"))
        gui_act(s, SIM_ACT_RESTORE_SNAPSHOT,
                gui_fmt(c, "%d", ns ? st->snapshots[s->sel_snapshot].id : -1));
    card_end(c, s, "ctl.snapshot", y);

    y = card_begin(c, s, "Add documents", "", t->text, SIM_ACT_ADD_DOCS, NULL);
    gui_row(c, 2, (int[]){0, 100}, 0);
    gui_select(c, "ctl.adddocs", s->topic_ids, w->ntopics, &s->sel_add_docs, 0,
               "A topic whose documents go back into the sources (then reindex)");
    if (gui_button_ex(c, "ctl.adddocs.go", "Add", 0,
                      "Restore this topic's documents to the sources; reindex to serve them"))
        gui_act(s, SIM_ACT_ADD_DOCS, w->topics[s->sel_add_docs].id);
    card_end(c, s, "ctl.adddocs", y);

    char ttl[16];
    mllm_duration_format((uint64_t)(ct->cache_ttl_s * 1e6), ttl, sizeof ttl);
    y = card_begin(c, s, "Response cache", gui_fmt(c, "%d entries, TTL %s", st->cache_entries, ttl),
                   t->text, SIM_ACT_FLUSH_CACHE, NULL);
    gui_row(c, 1, NULL, 0);
    if (gui_button_ex(c, "ctl.flush", "Flush the cache (L)", 0,
                      "Drop every cached answer (those cached while something was wrong, too)"))
        gui_ask(s, SIM_ACT_FLUSH_CACHE, "", "Flush the response cache?",
                "Every cached answer is dropped; the next requests go to the model.", "Flush");
    card_end(c, s, "ctl.flush", y);

    y = card_begin(c, s, "Provider client", "", t->text, SIM_ACT_BACKOFF, NULL);
    for (int p = 0; p < w->nproviders && p < MLLM_MAX_PROVIDERS; p++) {
        bool ok = st->provider_status[p] && strcmp(st->provider_status[p], "operational") == 0;
        gui_row(c, 2, (int[]){0, -50}, gui_font_height(c, GUI_FONT_SMALL) + 4);
        gui_label_ex(c,
                     gui_fmt(c, "%s (API %s)", w->providers[p].title, w->providers[p].api_version),
                     GUI_FONT_SMALL, t->text, 0);
        gui_label_ex(c,
                     gui_fmt(c, "%s%s \xC2\xB7 %.0f / %.0f rpm", ok ? "" : "\xE2\x96\xB2 ",
                             st->provider_status[p] ? st->provider_status[p] : "?",
                             st->provider_rpm[p], st->provider_rpm_limit[p]),
                     GUI_FONT_SMALL, ok ? t->dim : t->warn, GUI_ALIGN_RIGHT);
    }
    const char *pa = gui_pending_text(c, s, SIM_ACT_API_COMPAT, NULL);
    const char *pp = gui_pending_text(c, s, SIM_ACT_PARSER_COMPAT, NULL);
    if (pa[0] || pp[0]) {
        gui_row(c, 1, NULL, 0);
        gui_label_ex(c, pa[0] ? pa : pp, GUI_FONT_BOLD, t->warn, 0);
    }
    gui_row(c, 1, NULL, 0);
    if (gui_switch(c, "ctl.backoff", "retry 429s with exponential backoff", ct->backoff, 0,
                   gui_fmt(c, "Client backoff (B): %s", delay_text(c, s, SIM_ACT_BACKOFF))))
        gui_act(s, SIM_ACT_BACKOFF, ct->backoff ? "off" : "on");
    if (gui_switch(c, "ctl.apicompat", "pin the client to the previous provider API",
                   ct->api_compat, 0,
                   gui_fmt(c, "API compatibility (G): %s", delay_text(c, s, SIM_ACT_API_COMPAT))))
        gui_act(s, SIM_ACT_API_COMPAT, ct->api_compat ? "off" : "on");
    if (gui_switch(c, "ctl.parser", "lenient structured-output parser", ct->parser_lenient, 0,
                   gui_fmt(c, "Parser compatibility (U): accept both JSON schemas. %s",
                           delay_text(c, s, SIM_ACT_PARSER_COMPAT))))
        gui_act(s, SIM_ACT_PARSER_COMPAT, ct->parser_lenient ? "off" : "on");
    card_end(c, s, "ctl.backoff", y);
}

void gui_panel_controls(gui_ctx *c, gui_state *s, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    const mllm_controls *ct = mllm_service_controls(sim_drill_service(s->d));
    mllm_status st;
    mllm_service_status(sim_drill_service(s->d), sim_drill_now(s->d), &st);
    int cw = (r.w - 2 * pad) / 3;
    static const char *const titles[3] = {"Contain", "Roll back, route, limit",
                                          "Index, cache, provider"};
    for (int k = 0; k < 3; k++) {
        gui_rect col = {r.x + k * (cw + pad), r.y, k == 2 ? r.w - 2 * (cw + pad) : cw, r.h};
        gui_card(c, col, titles[k]);
        gui_rect b = gui_card_body(c, col);
        gui_scroll_begin(c, gui_fmt(c, "ctl.col.%d", k), b);
        if (k == 0)
            column_contain(c, s, ct);
        else if (k == 1)
            column_route(c, s, ct, &st);
        else
            column_index(c, s, ct, &st);
        gui_scroll_end(c);
    }
}
