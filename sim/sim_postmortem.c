/* sim_postmortem.c - timeline extraction and the Markdown post-mortem. */
#include "sim_postmortem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void add_event(sim_pm_timeline *tl, sim_time t, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_event(sim_pm_timeline *tl, sim_time t, const char *kind, const char *fmt, ...)
{
    if (tl->n >= SIM_PM_MAX_EVENTS)
        return;
    sim_pm_event *e = &tl->ev[tl->n++];
    e->t = t;
    snprintf(e->kind, sizeof e->kind, "%s", kind);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* A time or seed from the log: negative, non-finite or too large values (an
 * edited log) read as 0 rather than overflow the conversion. */
static uint64_t u64(const cJSON *o, const char *k, double dflt)
{
    double v = num(o, k, dflt);
    return v >= 0 && v < 18446744073709551616.0 ? (uint64_t)v : 0;
}

static bool matches_any(const sim_action_spec *list, int n, const char *kind, const char *arg)
{
    for (int i = 0; i < n; i++)
        if (strcmp(sim_action_names[list[i].kind], kind) == 0 &&
            (!list[i].arg[0] || strcasecmp(list[i].arg, arg) == 0))
            return true;
    return false;
}

static void set_once(sim_time *slot, sim_time t)
{
    if (*slot == SIM_TIME_NEVER)
        *slot = t;
}

int sim_pm_timeline_read(char **lines, long n, const sim_scenario *s, sim_pm_timeline *tl)
{
    memset(tl, 0, sizeof *tl);
    tl->onset = tl->first_alert = tl->ack = tl->declare = tl->contain = tl->diagnose =
        tl->mitigate = tl->resolve = tl->end = SIM_TIME_NEVER;
    for (long i = 0; i < n; i++) {
        cJSON *j = cJSON_Parse(lines[i]);
        if (!cJSON_IsObject(j)) {
            cJSON_Delete(j);
            continue;
        }
        const char *type = str(j, "type");
        sim_time t = u64(j, "t", 0);
        if (i == 0) {
            if (strcmp(type, "start") != 0) {
                cJSON_Delete(j);
                return -EINVAL;
            }
            snprintf(tl->scenario, sizeof tl->scenario, "%s", str(j, "scenario"));
            tl->seed = u64(j, "seed", 0);
            tl->duration = u64(j, "duration_us", 0);
        } else if (strcmp(type, "minute") == 0) {
            if (num(j, "fault_harm", 0) > 0 && tl->onset == SIM_TIME_NEVER) {
                tl->onset = u64(j, "start", (double)t);
                add_event(tl, tl->onset, "milestone",
                          "fault onset: users start getting bad answers (ground truth)");
            }
        } else if (strcmp(type, "alert") == 0) {
            bool firing = strcmp(str(j, "state"), "firing") == 0;
            if (firing)
                set_once(&tl->first_alert, t);
            add_event(tl, t, "alert", "alert %s %s (value %.3g, threshold %.3g)", str(j, "id"),
                      firing ? "fires" : "resolves", num(j, "value", NAN), num(j, "threshold", NAN));
        } else if (strcmp(type, "change") == 0) {
            const cJSON *vis = cJSON_GetObjectItemCaseSensitive(j, "visible");
            if (cJSON_IsTrue(vis))
                add_event(tl, t, "change", "change (%s): %s", str(j, "kind"), str(j, "text"));
        } else if (strcmp(type, "fault") == 0 || strcmp(type, "inject") == 0) {
            add_event(tl, t, "fault", "[ground truth] fault %s (%s) %s", str(j, "id"),
                      str(j, "kind"), strcmp(type, "inject") == 0 ? "injected live" :
                                                                    str(j, "event"));
        } else if (strcmp(type, "action") == 0) {
            const char *ev = str(j, "event"), *kind = str(j, "do"), *arg = str(j, "arg");
            const char *by = str(j, "by"), *note = str(j, "note");
            bool effect = strcmp(ev, "effect") == 0 || strcmp(ev, "done") == 0;
            if (strcmp(ev, "effect") == 0 || strcmp(ev, "requested") == 0 ||
                strcmp(ev, "done") == 0)
                add_event(tl, t, "action", "%s %s %s%s%s%s%s", by,
                          strcmp(ev, "requested") == 0 ? "requests" :
                          strcmp(ev, "effect") == 0    ? "- in effect:" :
                                                         "-",
                          kind, arg[0] ? " " : "", arg, note[0] ? " - " : "", note);
            if (!effect)
                ; /* a request: its effect comes later */
            else if (strcmp(kind, "ack") == 0)
                set_once(&tl->ack, t);
            else if (strcmp(kind, "declare") == 0)
                set_once(&tl->declare, t);
            else if (strcmp(kind, "diagnose") == 0) {
                set_once(&tl->diagnose, t);
                snprintf(tl->diagnosis, sizeof tl->diagnosis, "%s", arg);
            } else if (strcmp(kind, "resolve") == 0)
                set_once(&tl->resolve, t);
            if (effect && s && strcmp(ev, "effect") == 0) {
                if (matches_any(s->expected.contain, s->expected.ncontain, kind, arg))
                    set_once(&tl->contain, t);
                if (matches_any(s->expected.fix, s->expected.nfix, kind, arg))
                    set_once(&tl->mitigate, t);
            }
        } else if (strcmp(type, "end") == 0) {
            tl->end = t;
        }
        cJSON_Delete(j);
    }
    return tl->scenario[0] ? 0 : -EINVAL;
}

/* ---- the post-mortem document --------------------------------------------------------- */

int sim_pm_doc_load(const char *file, const mllm_world *w, sim_pm_doc *pm, mllm_diags *diags)
{
    memset(pm, 0, sizeof *pm);
    mllm_jdoc doc;
    int rc = mllm_jdoc_load(&doc, file, diags);
    if (rc != 0)
        goto out;
    mllm_jr r = {&doc, diags};
    static const char *const keys[] = {"scenario", "answers", "eval_cases", NULL};
    const char *scen = "";
    rc = -EINVAL;
    if (!cJSON_IsObject(doc.root)) {
        mllm_jdoc_error(&doc, diags, "$", "expected a post-mortem object {\"scenario\", "
                                          "\"answers\", \"eval_cases\"}");
        goto out;
    }
    if (!mllm_jr_known_keys(&r, doc.root, "$", keys) ||
        !mllm_jr_string(&r, doc.root, "$", "scenario", false, &scen))
        goto out;
    if (strlen(scen) >= sizeof pm->scenario) { /* cut short, it could split a UTF-8 sequence */
        mllm_jdoc_error(&doc, diags, "scenario", "expected a scenario id of at most %zu bytes",
                        sizeof pm->scenario - 1);
        goto out;
    }
    snprintf(pm->scenario, sizeof pm->scenario, "%s", scen);
    const cJSON *ans = mllm_jr_object(&r, doc.root, "$", "answers", true);
    if (!ans || !mllm_jr_known_keys(&r, ans, "answers", sim_pm_keys))
        goto out;
    for (int q = 0; q < SIM_PM_QUESTIONS; q++) {
        const char *a = NULL;
        if (!mllm_jr_string(&r, ans, "answers", sim_pm_keys[q], false, &a))
            goto out;
        if (a && !(pm->answer[q] = strdup(a))) {
            rc = -ENOMEM;
            goto out;
        }
    }
    const cJSON *cases = mllm_jr_array(&r, doc.root, "$", "eval_cases", false);
    if (!cases && cJSON_GetObjectItemCaseSensitive(doc.root, "eval_cases"))
        goto out; /* not an array: reported */
    int i = 0;
    for (const cJSON *c = cases ? cases->child : NULL; c; c = c->next, i++) {
        char p[64];
        sim_eval_case ec;
        mllm_path(p, sizeof p, "eval_cases", NULL, i);
        if (!sim_eval_case_parse(&doc, c, p, w, &ec, diags))
            goto out;
        if (!ec.drill[0])
            snprintf(ec.drill, sizeof ec.drill, "%s", pm->scenario);
        if (sim_eval_set_add(&pm->cases, &ec) < 0) {
            rc = -ENOMEM;
            goto out;
        }
    }
    rc = 0;
out:
    mllm_jdoc_release(&doc);
    if (rc != 0)
        sim_pm_doc_release(pm);
    return rc;
}

void sim_pm_doc_release(sim_pm_doc *pm)
{
    for (int q = 0; q < SIM_PM_QUESTIONS; q++)
        free(pm->answer[q]);
    sim_eval_set_release(&pm->cases);
    memset(pm, 0, sizeof *pm);
}

bool sim_pm_doc_complete(const sim_pm_doc *pm)
{
    for (int q = 0; q < SIM_PM_QUESTIONS; q++)
        if (!pm->answer[q] || strlen(pm->answer[q]) < 20)
            return false;
    return true;
}

int sim_pm_doc_save(const sim_pm_doc *pm, const mllm_world *w, const char *file)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -ENOMEM;
    cJSON_AddStringToObject(root, "scenario", pm->scenario);
    cJSON *ans = cJSON_AddObjectToObject(root, "answers");
    for (int q = 0; q < SIM_PM_QUESTIONS; q++)
        cJSON_AddStringToObject(ans, sim_pm_keys[q], pm->answer[q] ? pm->answer[q] : "");
    cJSON *arr = cJSON_AddArrayToObject(root, "eval_cases");
    for (int i = 0; i < pm->cases.n; i++)
        cJSON_AddItemToArray(arr, sim_eval_case_json(&pm->cases.cases[i], w));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -ENOMEM;
    int rc = 0;
    FILE *f = fopen(file, "w");
    if (!f)
        rc = -errno;
    else {
        if (fprintf(f, "%s\n", text) < 0)
            rc = -EIO;
        if (fclose(f) != 0 && !rc)
            rc = -errno;
    }
    cJSON_free(text);
    return rc;
}

/* ---- Markdown ------------------------------------------------------------------------- */

static void clock_text(sim_time t, char *buf, size_t n)
{
    if (t == SIM_TIME_NEVER)
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%02llu:%02llu", (unsigned long long)(t / 60000000u),
                 (unsigned long long)(t / 1000000u % 60));
}

static void since(sim_time t, sim_time onset, char *buf, size_t n)
{
    if (t == SIM_TIME_NEVER || onset == SIM_TIME_NEVER)
        snprintf(buf, n, "-");
    else if (t >= onset)
        snprintf(buf, n, "+%llum%02llus", (unsigned long long)((t - onset) / 60000000u),
                 (unsigned long long)((t - onset) / 1000000u % 60));
    else
        snprintf(buf, n, "before onset");
}

/* Markdown table cells: no pipes or newlines. */
static void cell(FILE *f, const char *s)
{
    for (; *s; s++)
        fputs(*s == '|' ? "\\|" : *s == '\n' ? " " : (char[]){*s, 0}, f);
}

void sim_pm_markdown(FILE *f, const sim_scenario *s, const mllm_world *w,
                     const sim_pm_timeline *tl, const sim_pm_doc *pm, const sim_pm_check *checks,
                     const sim_result *r)
{
    fprintf(f, "# Post-mortem: %s\n\n", s ? s->title : tl->scenario);
    fprintf(f, "Drill `%s`, seed %llu, %llu simulated minutes. Times are drill clock "
               "(mm:ss from the start).\n\n",
            tl->scenario, (unsigned long long)tl->seed,
            (unsigned long long)(tl->duration / 60000000u));
    fprintf(f, "## Key times\n\n| milestone | time | since onset |\n|---|---|---|\n");
    struct {
        const char *name;
        sim_time t;
    } ms[] = {{"fault onset (ground truth)", tl->onset}, {"first alert", tl->first_alert},
              {"acknowledged", tl->ack},                {"incident declared", tl->declare},
              {"contained", tl->contain},               {"diagnosed", tl->diagnose},
              {"mitigated (fix in effect)", tl->mitigate}, {"resolved", tl->resolve}};
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        char a[32], b[32];
        clock_text(ms[i].t, a, sizeof a);
        since(ms[i].t, tl->onset, b, sizeof b);
        fprintf(f, "| %s | %s | %s |\n", ms[i].name, a, b);
    }
    if (tl->diagnosis[0])
        fprintf(f, "\nDiagnosis recorded: `%s`.\n", tl->diagnosis);
    fprintf(f, "\n## The five questions\n\n");
    for (int q = 0; q < SIM_PM_QUESTIONS; q++) {
        fprintf(f, "### %d. %s\n\n", q + 1, sim_pm_questions[q]);
        const char *a = pm ? pm->answer[q] : NULL;
        fprintf(f, "%s\n\n", a && *a ? a : "_Not answered yet._");
    }
    fprintf(f, "## Timeline (draft from the event log)\n\n| time | what |\n|---|---|\n");
    for (int i = 0; i < tl->n; i++) {
        char a[32];
        clock_text(tl->ev[i].t, a, sizeof a);
        fprintf(f, "| %s | ", a);
        cell(f, tl->ev[i].text);
        fprintf(f, " |\n");
    }
    if (tl->n == SIM_PM_MAX_EVENTS)
        fprintf(f, "\n_(timeline truncated at %d events)_\n", SIM_PM_MAX_EVENTS);
    fprintf(f, "\n## New eval cases\n\n");
    if (!pm || pm->cases.n == 0) {
        fprintf(f, "_None yet: turn a failing trace into an eval case._\n");
    } else {
        fprintf(f, "| case | query | segment | assertions | faulty | healthy | catches it |\n"
                   "|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < pm->cases.n; i++) {
            const sim_eval_case *c = &pm->cases.cases[i];
            fprintf(f, "| `%s` | ", c->id);
            cell(f, c->query);
            fprintf(f, " | %s/%s/%s | ", mllm_region_names[c->region], mllm_plan_names[c->plan],
                    mllm_client_names[c->client]);
            for (int k = 0; k < c->nassert; k++) {
                fprintf(f, "%s%s", k ? ", " : "", sim_assert_names[c->a[k].kind]);
                if (c->a[k].kind == SIM_ASSERT_CONTAINS_FACT)
                    fprintf(f, ":%s", w->facts[c->a[k].fact].key);
            }
            if (checks) {
                const sim_pm_check *ch = &checks[i];
                fprintf(f, " | %s %d/%d | %s %d/%d | %s |\n", ch->faulty.pass ? "pass" : "fail",
                        ch->faulty.passed, ch->faulty.runs, ch->healthy.pass ? "pass" : "fail",
                        ch->healthy.passed, ch->healthy.runs,
                        ch->proves ? "**yes**" : "no");
            } else {
                fprintf(f, " | - | - | not checked |\n");
            }
        }
        if (checks)
            for (int i = 0; i < pm->cases.n; i++)
                if (checks[i].faulty.reason[0])
                    fprintf(f, "\n`%s` on the faulty configuration: %s.", pm->cases.cases[i].id,
                            checks[i].faulty.reason);
        fprintf(f, "\n\nA case earns credit only if it fails on the faulty configuration and "
                   "passes on the healthy one (%d runs each, pass = %.0f%% of runs).\n",
                SIM_EVAL_RUNS, SIM_EVAL_PASS_SHARE * 100);
    }
    if (r) {
        fprintf(f, "\n## Score\n\n**%.1f / 100**\n\n| part | points |\n|---|---|\n",
                r->score.total);
        for (int p = 0; p < SIM_PART_COUNT; p++)
            fprintf(f, "| %s | %.1f |\n", sim_score_part_names[p], r->score.points[p]);
        fprintf(f, "| penalties | -%.1f |\n",
                r->score.penalty_levers + r->score.penalty_availability);
    }
}

/* ---- scripted post-mortems ------------------------------------------------------------ */

const sim_trace *sim_pm_pick_trace(const sim_drill *d, sim_time from, sim_time to, bool any)
{
    const sim_traces *tr = sim_drill_traces(d);
    const mllm_world *w = sim_drill_world(d);
    const sim_trace *t;
    for (size_t i = 0; (t = sim_traces_get(tr, i)); i++) {
        if (t->req.t < from || t->req.t > to || t->req.text < 0 || t->why == SIM_TRACE_REPRODUCED)
            continue;
        const mllm_query *q = &w->queries[w->text_query[t->req.text]];
        if (!q->answerable || q->type == MLLM_QT_SMALLTALK)
            continue;
        if (any || t->why == SIM_TRACE_FAILING)
            return t;
    }
    return NULL;
}

int sim_pm_from_responder(sim_drill *d, const sim_responder *rp, sim_pm_doc *pm,
                          sim_pm_check *checks)
{
    const sim_responder_pm *rpm = &rp->postmortem;
    const sim_scenario *s = sim_drill_scenario(d);
    const mllm_world *w = sim_drill_world(d);
    memset(pm, 0, sizeof *pm);
    if (!rpm->present)
        return -EINVAL;
    snprintf(pm->scenario, sizeof pm->scenario, "%s", s->id);
    for (int q = 0; q < SIM_PM_QUESTIONS; q++)
        pm->answer[q] = rpm->answer[q] ? strdup(rpm->answer[q]) : NULL;
    /* The incident window: from the first alert (or the start) to the resolve. */
    const sim_action_rec *h;
    int nh = sim_drill_history(d, &h);
    sim_time resolve = SIM_TIME_NEVER, from = 0;
    for (int i = 0; i < nh; i++)
        if (h[i].a.kind == SIM_ACT_RESOLVE && resolve == SIM_TIME_NEVER)
            resolve = h[i].requested;
    const sim_alerts *al = sim_drill_alerts(d);
    sim_time first_alert = SIM_TIME_NEVER;
    for (int i = 0; i < al->n; i++)
        if (al->a[i].first_fired_at < first_alert)
            first_alert = al->a[i].first_fired_at;
    if (first_alert != SIM_TIME_NEVER)
        from = first_alert > SIM_MIN(10) ? first_alert - SIM_MIN(10) : 0;
    /* Failing traces from while the incident was on: before the first fix
     * took effect (after it, what fails is the service's everyday noise). */
    sim_time to = resolve != SIM_TIME_NEVER ? resolve : sim_drill_now(d);
    const sim_expected *ex = &s->expected;
    for (int i = 0; i < nh; i++)
        for (int k = 0; k < ex->nfix; k++)
            if (h[i].a.kind == ex->fix[k].kind &&
                (!ex->fix[k].arg[0] || strcasecmp(h[i].a.arg, ex->fix[k].arg) == 0) &&
                h[i].effective != SIM_TIME_NEVER && h[i].effective < to && h[i].effective > from)
                to = h[i].effective;
    for (int k = 0; k < rpm->ncases; k++) {
        const sim_trace *t = sim_pm_pick_trace(d, from, to, rpm->cases[k].any_trace);
        if (!t)
            continue;
        sim_assertion a[SIM_PM_MAX_ASSERT];
        int na = 0;
        char err[200];
        for (int i = 0; i < rpm->cases[k].nassert; i++)
            if (sim_assertion_parse(rpm->cases[k].assertion[i], w, &a[na], err, sizeof err) == 0)
                na++;
        sim_eval_case c;
        if (sim_eval_case_from_trace(d, t, a, na, "responder", &c) != 0)
            continue;
        sim_eval_set_add(&pm->cases, &c);
    }
    return sim_pm_credit(d, pm, checks, rpm->after_resolve, false);
}

int sim_pm_credit(sim_drill *d, const sim_pm_doc *pm, sim_pm_check *checks,
                  sim_time written_after_resolve, bool record)
{
    const sim_scenario *s = sim_drill_scenario(d);
    const mllm_world *w = sim_drill_world(d);
    int proven = 0;
    for (int i = 0; i < pm->cases.n; i++) {
        const sim_eval_case *c = &pm->cases.cases[i];
        sim_time at = c->at ? c->at : sim_drill_now(d);
        checks[i].proves = sim_eval_proves(s, w, at, c, &checks[i].faulty, &checks[i].healthy);
        proven += checks[i].proves;
    }
    const sim_action_rec *h;
    int nh = sim_drill_history(d, &h);
    sim_time resolve = SIM_TIME_NEVER;
    for (int i = 0; i < nh; i++)
        if (h[i].a.kind == SIM_ACT_RESOLVE && h[i].effective != SIM_TIME_NEVER &&
            resolve == SIM_TIME_NEVER)
            resolve = h[i].requested;
    sim_time after = written_after_resolve;
    if (after == SIM_TIME_NEVER && resolve != SIM_TIME_NEVER)
        after = sim_drill_now(d) - resolve;
    bool in_time = resolve != SIM_TIME_NEVER && after <= s->scoring.postmortem_deadline;
    bool done = in_time && sim_pm_doc_complete(pm);
    if (record)
        sim_drill_postmortem_record(d, done, proven > 0);
    else
        sim_drill_postmortem(d, done, proven > 0);
    return proven;
}
