/* gui_pm.c - post-mortem form: draft timeline, eval cases from traces, JSON.
 *
 * The draft reads only what the trainee could see (visible changes, alert
 * transitions, actions); truth labels never enter the form. */
#include "gui_pm.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "sim_eval.h"

const char *const gui_pm_keys[GUI_PM_QUESTIONS] = {
    "what_happened", "when_started", "why_not_caught", "hard_to_diagnose", "prevention",
};

const char *const gui_pm_questions[GUI_PM_QUESTIONS] = {
    "1. What happened? (who was affected, how, for how long)",
    "2. When did it start? (first bad response, first alert, the change that caused it)",
    "3. Why wasn't it caught before users saw it?",
    "4. What made it hard to diagnose?",
    "5. What prevents it from happening again?",
};

void gui_pm_init(gui_pm *pm)
{
    memset(pm, 0, sizeof *pm);
}

typedef struct tl_item {
    sim_time t;
    int order;
    char text[180];
} tl_item;

#define TL_MAX 160

static int tl_cmp(const void *a, const void *b)
{
    const tl_item *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->order - y->order;
}

void gui_pm_draft(gui_pm *pm, const sim_drill *d, const gui_data *g)
{
    static tl_item items[TL_MAX]; /* not per frame: drafting is a button press */
    int n = 0;
    const sim_alerts *al = sim_drill_alerts(d);
    const sim_change_rec *ch;
    int nc = sim_drill_changes(d, &ch);
    sim_time first_alert = SIM_TIME_NEVER;
    int first_alert_i = -1;
    for (int i = 0; i < g->nev && n < TL_MAX; i++) {
        const gui_alert_event *e = &g->ev[i];
        tl_item *it = &items[n++];
        it->t = e->t;
        it->order = 1;
        snprintf(it->text, sizeof it->text, "alert %s %s", al->a[e->alert].rule->id,
                 e->firing ? "FIRING" : "resolved");
        if (e->firing && e->t < first_alert) {
            first_alert = e->t;
            first_alert_i = e->alert;
        }
    }
    for (int i = 0; i < nc && n < TL_MAX; i++) {
        if (!ch[i].visible)
            continue;
        tl_item *it = &items[n++];
        it->t = ch[i].t;
        it->order = 0;
        snprintf(it->text, sizeof it->text, "change (%s): %.150s", mllm_change_names[ch[i].kind],
                 ch[i].text);
    }
    const sim_action_rec *h;
    int nh = sim_drill_history(d, &h);
    for (int i = 0; i < nh && n < TL_MAX; i++) {
        if (strcmp(h[i].by, "trainer") == 0 || h[i].a.kind == SIM_ACT_REPRODUCE)
            continue;
        char spec[140];
        sim_action_format(&h[i].a, spec, sizeof spec);
        tl_item *it = &items[n++];
        it->t = h[i].requested;
        it->order = 2;
        if (h[i].effective == h[i].requested || h[i].effective == SIM_TIME_NEVER ||
            h[i].a.kind > SIM_ACT_FLUSH_CACHE)
            snprintf(it->text, sizeof it->text, "%s %s%s", h[i].by, spec,
                     h[i].effective == SIM_TIME_NEVER ? " (requested, pending)" : "");
        else if (n < TL_MAX) {
            snprintf(it->text, sizeof it->text, "%s requested %s", h[i].by, spec);
            tl_item *e2 = &items[n++];
            e2->t = h[i].effective;
            e2->order = 3;
            snprintf(e2->text, sizeof e2->text, "%.90s took effect%s%.60s", spec,
                     h[i].note[0] ? ": " : "", h[i].note);
        }
    }
    qsort(items, (size_t)n, sizeof items[0], tl_cmp);
    char *out = pm->answer[0];
    size_t o = (size_t)snprintf(out, GUI_PM_ANSWER,
                                "Draft timeline from the drill (edit into a summary):\n");
    for (int i = 0; i < n && o < GUI_PM_ANSWER - 1; i++) {
        char tb[16];
        int k = snprintf(out + o, GUI_PM_ANSWER - o, "T+%s %s\n",
                         gui_time_str(items[i].t, tb, sizeof tb), items[i].text);
        if (k < 0 || (size_t)k >= GUI_PM_ANSWER - o) {
            out[o] = '\0';
            break;
        }
        o += (size_t)k;
    }
    /* When did it start: the first alert and the last visible change before it. */
    char *w = pm->answer[1];
    if (first_alert_i < 0) {
        snprintf(w, GUI_PM_ANSWER, "No alert fired. ");
    } else {
        char tb[16];
        int k = snprintf(w, GUI_PM_ANSWER, "First alert: %s at T+%s. ",
                         al->a[first_alert_i].rule->id, gui_time_str(first_alert, tb, sizeof tb));
        int last = -1;
        for (int i = 0; i < nc; i++)
            if (ch[i].visible && ch[i].t <= first_alert)
                last = i;
        if (last >= 0 && k > 0 && k < GUI_PM_ANSWER)
            snprintf(w + k, GUI_PM_ANSWER - (size_t)k, "Last change before it: T+%s %s (%.120s). ",
                     gui_time_str(ch[last].t, tb, sizeof tb), mllm_change_names[ch[last].kind],
                     ch[last].text);
    }
    pm->drafted = true;
}

int gui_pm_add_trace(gui_pm *pm, const sim_drill *d, const sim_trace *t)
{
    if (pm->ncases >= GUI_PM_MAX_CASES)
        return -1;
    for (int i = 0; i < pm->ncases; i++)
        if (pm->cases[i].trace_id == t->id)
            return -1;
    const mllm_world *w = sim_drill_world(d);
    gui_pm_case *c = &pm->cases[pm->ncases];
    memset(c, 0, sizeof *c);
    c->trace_id = t->id;
    const char *text = t->text[0]         ? t->text
                       : t->req.text >= 0 ? mllm_world_text(w, t->req.text)
                                          : "";
    snprintf(c->query, sizeof c->query, "%s", text ? text : "");
    c->qidx = t->resp.query;
    if (c->qidx < 0 && t->req.text >= 0)
        c->qidx = w->text_query[t->req.text];
    c->region = t->req.region;
    c->plan = t->req.plan;
    c->client = t->req.client;
    c->history_tokens = t->req.history_tokens;
    c->structured = t->req.structured;
    c->at = t->req.t;
    c->status = t->resp.status;
    c->refusal = t->resp.refusal;
    c->latency_us = t->resp.latency_us;
    c->not_refusal = true;
    c->no_error = true;
    const mllm_query *q = c->qidx >= 0 ? &w->queries[c->qidx] : NULL;
    if (q) {
        c->nfacts = q->nfacts;
        for (int i = 0; i < q->nfacts; i++) {
            c->fact[i] = q->facts[i];
            c->use_fact[i] = q->answerable;
        }
        if (q->doc >= 0) {
            int vi = mllm_service_source_version(sim_drill_service(d), q->doc);
            const mllm_doc *doc = &w->docs[q->doc];
            if (vi < 0 || vi >= doc->nversions)
                vi = doc->nversions - 1;
            snprintf(c->date, sizeof c->date, "%s", doc->v[vi].updated_at);
        }
    }
    c->valid_json = t->resp.structured || t->req.structured || (q && q->type == MLLM_QT_STRUCTURED);
    c->latency_on = t->resp.latency_us > 8000000u;
    snprintf(c->latency_ms, sizeof c->latency_ms, "8000");
    pm->ncases++;
    return pm->ncases - 1;
}

void gui_pm_remove(gui_pm *pm, int i)
{
    if (i < 0 || i >= pm->ncases)
        return;
    memmove(&pm->cases[i], &pm->cases[i + 1], sizeof pm->cases[0] * (size_t)(pm->ncases - i - 1));
    pm->ncases--;
}

int gui_pm_assertions(const gui_pm_case *c)
{
    int n = c->not_refusal + c->no_error + c->valid_json + c->latency_on +
            (c->cites_on && mllm_date_days(c->date) >= 0);
    for (int i = 0; i < c->nfacts; i++)
        n += c->use_fact[i];
    return n;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

bool gui_pm_complete(const gui_pm *pm, char *why, size_t n)
{
    for (int i = 0; i < GUI_PM_QUESTIONS; i++)
        if (blank(pm->answer[i])) {
            snprintf(why, n, "Answer question %d first.", i + 1);
            return false;
        }
    if (pm->ncases == 0) {
        snprintf(why, n, "Add at least one failing trace as an eval case (Traces panel, E).");
        return false;
    }
    for (int i = 0; i < pm->ncases; i++) {
        if (gui_pm_assertions(&pm->cases[i]) == 0) {
            snprintf(why, n, "Eval case %d has no assertion.", i + 1);
            return false;
        }
        if (pm->cases[i].cites_on && mllm_date_days(pm->cases[i].date) < 0) {
            snprintf(why, n, "Eval case %d: the date must read YYYY-MM-DD.", i + 1);
            return false;
        }
        if (pm->cases[i].latency_on && atol(pm->cases[i].latency_ms) <= 0) {
            snprintf(why, n, "Eval case %d: the latency bound must be a positive number of ms.",
                     i + 1);
            return false;
        }
    }
    snprintf(why, n, "Ready to submit.");
    return true;
}

static cJSON *assertion(const char *type)
{
    cJSON *a = cJSON_CreateObject();
    if (a)
        cJSON_AddStringToObject(a, "type", type);
    return a;
}

int gui_pm_write(const gui_pm *pm, const sim_scenario *sc, const mllm_world *w, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -ENOMEM;
    cJSON_AddStringToObject(root, "scenario", sc->id);
    cJSON *ans = cJSON_AddObjectToObject(root, "answers");
    for (int i = 0; i < GUI_PM_QUESTIONS; i++)
        cJSON_AddStringToObject(ans, gui_pm_keys[i], pm->answer[i]);
    cJSON *cases = cJSON_AddArrayToObject(root, "eval_cases");
    for (int i = 0; i < pm->ncases; i++) {
        const gui_pm_case *c = &pm->cases[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(cases, o);
        cJSON_AddNumberToObject(o, "trace_id", (double)c->trace_id);
        sim_eval_request_json(o, w, c->query, c->qidx, c->region, c->plan, c->client,
                              c->history_tokens, c->structured);
        cJSON *pv = cJSON_AddObjectToObject(o, "provenance");
        cJSON_AddStringToObject(pv, "drill", sc->id);
        cJSON_AddNumberToObject(pv, "seed", (double)sc->seed);
        cJSON_AddNumberToObject(pv, "at_s", (double)c->at / 1e6);
        cJSON_AddStringToObject(pv, "created_by", "trainee");
        cJSON *as = cJSON_AddArrayToObject(o, "assertions");
        for (int k = 0; k < c->nfacts; k++)
            if (c->use_fact[k]) {
                cJSON *a = assertion("contains_fact");
                cJSON_AddStringToObject(a, "fact", w->facts[c->fact[k]].key);
                cJSON_AddItemToArray(as, a);
            }
        if (c->not_refusal)
            cJSON_AddItemToArray(as, assertion("not_refusal"));
        if (c->no_error)
            cJSON_AddItemToArray(as, assertion("no_error"));
        if (c->cites_on && mllm_date_days(c->date) >= 0) {
            cJSON *a = assertion("cites_doc_not_older_than");
            cJSON_AddStringToObject(a, "date", c->date);
            cJSON_AddItemToArray(as, a);
        }
        if (c->latency_on) {
            cJSON *a = assertion("latency_under_ms");
            cJSON_AddNumberToObject(a, "ms", (double)atol(c->latency_ms));
            cJSON_AddItemToArray(as, a);
        }
        if (c->valid_json)
            cJSON_AddItemToArray(as, assertion("valid_json"));
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -ENOMEM;
    int rc = 0;
    FILE *f = fopen(path, "w");
    if (!f) {
        rc = -errno;
    } else {
        if (fprintf(f, "%s\n", text) < 0)
            rc = -EIO;
        if (fclose(f) != 0 && rc == 0)
            rc = -errno;
    }
    cJSON_free(text);
    return rc;
}
