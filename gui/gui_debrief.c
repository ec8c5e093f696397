/* gui_debrief.c - the debrief plot: a drill's event log read back into
 * per-minute series and marks, drawn as stacked gui_chart panels over one
 * time axis with a labelled event lane, response-time bars against their
 * targets and the timeline, offscreen into a PNG.
 *
 * Reading costs one cJSON parse per log line (a second one for the lines of
 * levers taking effect, matched against the scenario's accepted levers);
 * drawing allocates nothing (the core's frame buffers hold every command).
 * Drills longer than a day are averaged into slots of several minutes so
 * that a frame's points stay within the core's budget. */
#include "gui_debrief.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "gui_chart.h"
#include "gui_sdl.h"
#include "gui_theme.h"
#include "sim_sha256.h"

#define MAX_SLOTS  1440 /* points per series drawn; longer drills average minutes */
#define MAX_FAULTS 8
#define MAX_SEQ    1024 /* action sequence numbers whose request time is remembered */
#define LANE_ROWS  10

/* Series read from the "minute" lines. */
enum {
    S_HARM_FAULT,
    S_HARM_ALL,
    S_QUALITY,
    S_BAD_SHARE,
    S_ERRORS,
    S_429,
    S_REFUSALS,
    S_P50,
    S_P99,
    S_RATE,
    S_COST,
    S_CONTEXT,
    S_CACHE,
    S_FALLBACK,
    S_INDEX_AGE,
    S_COUNT
};

typedef struct panel_def {
    const char *id;
    const char *title;
    int fmt;             /* gui_vfmt_kind */
    int s[3];            /* series, -1 none */
    const char *name[3]; /* legend */
    int metric[3];       /* alert rules drawn as thresholds here, -1 none */
    double y_min, y_max; /* fixed range, or y_max <= y_min: automatic */
    bool lowest;         /* the headline value is the lowest (else the peak) */
} panel_def;

/* The first four are always drawn; the rest when the height allows, those
 * whose alert fired first, then traffic and cost, then any with a rule. */
#define CORE_PANELS 4
/* clang-format off */
static const panel_def panel_defs[] = {
    {"harm", "Harm the fault caused per minute (ground truth)", GUI_VF_NUM,
     {S_HARM_FAULT, S_HARM_ALL, -1}, {"by the fault", "all harm", NULL},
     {-1, -1, -1}, 0, 0, false},
    {"judge", "Judge quality and share judged bad", GUI_VF_SCORE,
     {S_QUALITY, S_BAD_SHARE, -1}, {"quality", "judged bad", NULL},
     {SIM_M_QUALITY, SIM_M_JUDGE_BAD_RATE, -1}, 0, 1, true},
    {"errors", "Errors, 429s and refusals (share of requests)", GUI_VF_PCT,
     {S_ERRORS, S_429, S_REFUSALS}, {"errors", "429", "refusals"},
     {SIM_M_ERROR_RATE, SIM_M_RATE_429, SIM_M_REFUSAL_RATE}, 0, 0, false},
    {"latency", "Latency P99 and P50", GUI_VF_MS,
     {S_P99, S_P50, -1}, {"p99", "p50", NULL},
     {SIM_M_LATENCY_P99, SIM_M_LATENCY_P50, -1}, 0, 0, false},
    {"requests", "Requests per second", GUI_VF_NUM,
     {S_RATE, -1, -1}, {"requests/s", NULL, NULL},
     {SIM_M_REQUEST_RATE, -1, -1}, 0, 0, false},
    {"cost", "Cost per minute", GUI_VF_USD,
     {S_COST, -1, -1}, {"USD/min", NULL, NULL},
     {SIM_M_COST_PER_MIN, -1, -1}, 0, 0, false},
    {"context", "Mean context tokens", GUI_VF_INT,
     {S_CONTEXT, -1, -1}, {"tokens", NULL, NULL},
     {SIM_M_CONTEXT_TOKENS, -1, -1}, 0, 0, false},
    {"cache", "Cache hit rate", GUI_VF_PCT,
     {S_CACHE, -1, -1}, {"hits", NULL, NULL},
     {SIM_M_CACHE_HIT_RATE, -1, -1}, 0, 0, true},
    {"fallback", "Fallback rate", GUI_VF_PCT,
     {S_FALLBACK, -1, -1}, {"fallbacks", NULL, NULL},
     {SIM_M_FALLBACK_RATE, -1, -1}, 0, 0, false},
    {"index-age", "Index age (minutes)", GUI_VF_NUM,
     {S_INDEX_AGE, -1, -1}, {"minutes", NULL, NULL},
     {SIM_M_INDEX_AGE, -1, -1}, 0, 0, false},
};
/* clang-format on */
#define NDEFS ((int)(sizeof panel_defs / sizeof panel_defs[0]))

typedef struct rule_copy {
    char id[48];
    int metric; /* sim_metric */
    bool above;
    double threshold;
    int severity;
    bool filtered; /* on one segment: the all-traffic series only approximates it */
    bool fired;    /* fired during this drill */
} rule_copy;

typedef struct fault_span {
    char id[32], kind[32];
    double start, end; /* end < 0: to the end of the drill */
} fault_span;

struct gui_debrief {
    char scenario[64];
    char title[128];
    char trainee[64];
    char result_name[96];     /* the result file's name, "" when none */
    char diagnosis[96];       /* as recorded, "" none */
    int symptom_ok, cause_ok; /* 1 right, 0 wrong, -1 unknown */
    uint64_t seed;
    double duration; /* seconds */
    double last_t;   /* last time the log reached */
    bool ended;      /* the log has its end line */
    int nslots;
    double step;       /* seconds per slot */
    float *v[S_COUNT]; /* nslots values each; NaN: no data */
    float *buf;
    int nrules;
    rule_copy rules[SIM_MAX_ALERTS];
    double harm_thr; /* contained at or below (per minute); < 0 unknown */
    int nfaults;
    fault_span faults[MAX_FAULTS];
    gui_debrief_times times;
    char log_sha[65];
    int nmarks, dropped;
    gui_debrief_mark marks[GUI_DEBRIEF_MARKS];
    int act[GUI_DEBRIEF_MARKS]; /* sim_action_kind of LEVER and STEP marks, else -1 */
};

/* ---- reading the log ------------------------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double jnum(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int action_index(const char *name)
{
    for (int i = 0; sim_action_names[i]; i++)
        if (strcmp(sim_action_names[i], name) == 0)
            return i;
    return -1;
}

static bool is_lever(int k)
{
    return k >= 0 && k < SIM_ACT_ACK;
}

static bool is_step(int k)
{
    return k == SIM_ACT_ACK || k == SIM_ACT_DECLARE || k == SIM_ACT_DIAGNOSE ||
           k == SIM_ACT_RESOLVE;
}

static void clock_str(char *buf, size_t n, double s)
{
    gui_fmt_clock(buf, n, s);
}

/* "12m30s", "1h02m" or "45s": a duration in words for the bars. */
static void dur_str(char *buf, size_t n, double s)
{
    long v = (long)floor(s + 0.5);
    if (v >= 3600)
        snprintf(buf, n, "%ldh%02ldm", v / 3600, v / 60 % 60);
    else if (v >= 60)
        snprintf(buf, n, "%ldm%02lds", v / 60, v % 60);
    else
        snprintf(buf, n, "%lds", v);
}

/* The short lane label of an action: "kill on", "prompt v2", "diagnose". */
static void action_label(int k, const char *arg, bool failed, char *out, size_t n)
{
    char name[32];
    const char *nm = k >= 0 ? sim_action_names[k] : "action";
    switch (k) {
    case SIM_ACT_KILL_SWITCH:
        nm = "kill";
        break;
    case SIM_ACT_CONTEXT_CAP:
        nm = "ctx cap";
        break;
    case SIM_ACT_RESTORE_SNAPSHOT:
        nm = "restore";
        break;
    case SIM_ACT_DIAGNOSE:
    case SIM_ACT_ACK:
        arg = "";
        break;
    default:
        break;
    }
    snprintf(name, sizeof name, "%s", nm);
    for (char *p = name; *p; p++)
        if (*p == '_')
            *p = ' ';
    snprintf(out, n, "%s%s%.14s%s", name, arg[0] ? " " : "", arg, failed ? " failed" : "");
}

static gui_debrief_mark *add_mark(gui_debrief *db, double t, int kind, int line, int act)
{
    if (db->nmarks >= GUI_DEBRIEF_MARKS) {
        db->dropped++;
        return NULL;
    }
    /* Log lines come in time order; keep the marks so even if one does not. */
    int i = db->nmarks++;
    while (i > 0 && db->marks[i - 1].t > t) {
        db->marks[i] = db->marks[i - 1];
        db->act[i] = db->act[i - 1];
        i--;
    }
    gui_debrief_mark *m = &db->marks[i];
    memset(m, 0, sizeof *m);
    m->t = t;
    m->kind = kind;
    m->line = line;
    db->act[i] = act;
    return m;
}

static const rule_copy *rule_of(const gui_debrief *db, const char *id)
{
    for (int i = 0; i < db->nrules; i++)
        if (strcmp(db->rules[i].id, id) == 0)
            return &db->rules[i];
    return NULL;
}

static bool spec_matches(const sim_action_spec *list, int n, int k, const char *arg)
{
    for (int i = 0; i < n; i++)
        if ((int)list[i].kind == k && (!list[i].arg[0] || strcasecmp(list[i].arg, arg) == 0))
            return true;
    return false;
}

typedef struct acc {
    double sum[S_COUNT];
    int n[S_COUNT];
} acc;

static void acc_add(acc *a, int s, double v)
{
    if (isnan(v))
        return;
    a->sum[s] += v;
    a->n[s]++;
}

static void read_minute(const cJSON *j, acc *a)
{
    double t = jnum(j, "t", 0) / 1e6, start = jnum(j, "start", 0) / 1e6;
    double width = t - start > 0 ? t - start : 60;
    double req = jnum(j, "requests", 0), judged = jnum(j, "judged", 0);
    double per_min = 60 / width;
    acc_add(a, S_HARM_FAULT, jnum(j, "fault_harm", NAN) * per_min);
    acc_add(a, S_HARM_ALL, jnum(j, "harm", NAN) * per_min);
    acc_add(a, S_QUALITY, judged > 0 ? jnum(j, "quality", NAN) : NAN);
    acc_add(a, S_BAD_SHARE, judged > 0 ? jnum(j, "judged_bad", NAN) / judged : NAN);
    acc_add(a, S_RATE, req / width);
    acc_add(a, S_COST, jnum(j, "cost", NAN) * per_min);
    acc_add(a, S_INDEX_AGE, jnum(j, "index_age_min", NAN));
    if (req > 0) {
        acc_add(a, S_ERRORS, jnum(j, "errors", NAN) / req);
        acc_add(a, S_429, jnum(j, "s429", NAN) / req);
        acc_add(a, S_REFUSALS, jnum(j, "refusals", NAN) / req);
        acc_add(a, S_CACHE, jnum(j, "cache_hits", NAN) / req);
        acc_add(a, S_FALLBACK, jnum(j, "fallbacks", NAN) / req);
        acc_add(a, S_P50, jnum(j, "p50_ms", NAN));
        acc_add(a, S_P99, jnum(j, "p99_ms", NAN));
        acc_add(a, S_CONTEXT, jnum(j, "context_tokens", NAN));
    }
}

static int read_start(gui_debrief *db, const cJSON *j, const sim_scenario *s, char *err,
                      size_t errlen)
{
    if (!cJSON_IsObject(j) || strcmp(jstr(j, "type"), "start") != 0) {
        snprintf(err, errlen,
                 "line 1: not a firedrill event log (its first line is not the "
                 "drill's {\"type\":\"start\", ...} line)");
        return -EINVAL;
    }
    snprintf(db->scenario, sizeof db->scenario, "%s", jstr(j, "scenario"));
    db->seed = (uint64_t)jnum(j, "seed", 0);
    db->duration = jnum(j, "duration_us", 0) / 1e6;
    if (!db->scenario[0] || !(db->duration > 0) || db->duration > GUI_DEBRIEF_MAX_MIN * 60.0) {
        snprintf(err, errlen,
                 "line 1: the start line lacks its scenario or a duration_us of "
                 "1 s .. %d days",
                 GUI_DEBRIEF_MAX_MIN / 1440);
        return -EINVAL;
    }
    if (s && strcmp(s->id, db->scenario) != 0) {
        snprintf(err, errlen, "line 1: the log is a drill of scenario \"%s\", not \"%s\"",
                 db->scenario, s->id);
        return -EINVAL;
    }
    snprintf(db->title, sizeof db->title, "%s", s ? s->title : db->scenario);
    db->harm_thr = s ? s->scoring.harm_threshold_per_min : -1;
    for (int i = 0; i < GUI_DEBRIEF_TIMES; i++) {
        db->times.target[i] = s ? (double)s->scoring.target[i] / 1e6 : -1;
        db->times.took[i] = -1;
    }
    db->times.score = -1;
    db->symptom_ok = db->cause_ok = -1;
    for (int i = 0; s && i < s->nalerts && i < SIM_MAX_ALERTS; i++) {
        rule_copy *r = &db->rules[db->nrules++];
        snprintf(r->id, sizeof r->id, "%s", s->alerts[i].id);
        r->metric = (int)s->alerts[i].metric;
        r->above = s->alerts[i].above;
        r->threshold = s->alerts[i].threshold;
        r->severity = s->alerts[i].severity;
        r->filtered = s->alerts[i].dim >= 0;
    }
    int minutes = (int)ceil(db->duration / 60);
    int k = (minutes + MAX_SLOTS - 1) / MAX_SLOTS;
    db->step = 60.0 * (k > 0 ? k : 1);
    db->nslots = (int)ceil(db->duration / db->step);
    db->buf = malloc(sizeof(float) * (size_t)db->nslots * S_COUNT);
    if (!db->buf) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    for (int i = 0; i < S_COUNT; i++)
        db->v[i] = db->buf + (size_t)i * (size_t)db->nslots;
    for (size_t i = 0; i < (size_t)db->nslots * S_COUNT; i++)
        db->buf[i] = NAN;
    return 0;
}

static void read_fault(gui_debrief *db, const cJSON *j, double t, int line)
{
    const char *ev = jstr(j, "event"), *id = jstr(j, "id"), *kind = jstr(j, "kind");
    bool start = strcmp(ev, "start") == 0;
    if (!start && strcmp(ev, "end") != 0 && strcmp(ev, "cleared") != 0)
        return;
    gui_debrief_mark *m = add_mark(db, t, start ? GUI_DB_FAULT_START : GUI_DB_FAULT_END, line, -1);
    if (m) {
        snprintf(m->label, sizeof m->label, "fault %s",
                 start          ? "starts"
                 : ev[0] == 'e' ? "ends"
                                : "cleared");
        snprintf(m->text, sizeof m->text, "fault %s (%s) %s [ground truth]", kind, id,
                 start          ? "starts"
                 : ev[0] == 'e' ? "ends"
                                : "cleared by the trainer");
    }
    if (start && db->nfaults < MAX_FAULTS) {
        fault_span *f = &db->faults[db->nfaults++];
        snprintf(f->id, sizeof f->id, "%s", id);
        snprintf(f->kind, sizeof f->kind, "%s", kind);
        f->start = t;
        f->end = -1;
    } else if (!start) {
        for (int i = db->nfaults; i-- > 0;)
            if (strcmp(db->faults[i].id, id) == 0 && db->faults[i].end < 0) {
                db->faults[i].end = t;
                break;
            }
    }
}

static void read_alert(gui_debrief *db, const cJSON *j, double t, int line)
{
    const char *id = jstr(j, "id");
    bool firing = strcmp(jstr(j, "state"), "firing") == 0;
    for (int i = 0; i < db->nrules; i++)
        if (firing && strcmp(db->rules[i].id, id) == 0)
            db->rules[i].fired = true;
    gui_debrief_mark *m =
        add_mark(db, t, firing ? GUI_DB_ALERT_FIRES : GUI_DB_ALERT_RESOLVES, line, -1);
    if (!m)
        return;
    snprintf(m->label, sizeof m->label, "%.26s %s", id, firing ? "fires" : "ok");
    const rule_copy *r = rule_of(db, id);
    double v = jnum(j, "value", NAN), thr = jnum(j, "threshold", NAN);
    if (firing)
        snprintf(m->text, sizeof m->text, "alert %s fires (%.3g %s %.3g, severity %d)", id, v,
                 r ? (r->above ? ">" : "<") : "vs", thr, (int)jnum(j, "severity", 0));
    else
        snprintf(m->text, sizeof m->text, "alert %s resolves (%.3g)", id, v);
}

typedef struct act_state {
    double requested[MAX_SEQ];
    int marked[MAX_SEQ]; /* log line of the action's mark, 0 none */
} act_state;

static void read_action(gui_debrief *db, const cJSON *j, double t, int line, act_state *as)
{
    const char *ev = jstr(j, "event"), *by = jstr(j, "by"), *arg = jstr(j, "arg");
    const char *note = jstr(j, "note");
    int k = action_index(jstr(j, "do"));
    long seq = (long)jnum(j, "seq", -1);
    bool have_seq = seq >= 0 && seq < MAX_SEQ;
    if (strcmp(ev, "requested") == 0) {
        if (have_seq)
            as->requested[seq] = t;
        return;
    }
    bool effect = strcmp(ev, "effect") == 0, done = strcmp(ev, "done") == 0;
    if (strcmp(by, "trainer") == 0 || !(effect || done))
        return;
    if (!(is_lever(k) && effect) && !(is_step(k) && (effect || done)))
        return;
    if (have_seq && as->marked[seq]) { /* ack logs "done", then "effect" with its note */
        for (int i = db->nmarks; note[0] && i-- > 0;)
            if (db->marks[i].line == as->marked[seq]) {
                size_t l = strlen(db->marks[i].text);
                snprintf(db->marks[i].text + l, sizeof db->marks[i].text - l, ": %s", note);
                break;
            }
        return;
    }
    if (have_seq)
        as->marked[seq] = line;
    bool failed = jnum(j, "status", 0) != 0;
    gui_debrief_mark *m = add_mark(db, t, is_lever(k) ? GUI_DB_LEVER : GUI_DB_STEP, line, k);
    if (!m)
        return;
    action_label(k, arg, failed, m->label, sizeof m->label);
    char what[120];
    if (k == SIM_ACT_ACK && strcmp(arg, "*") == 0)
        snprintf(what, sizeof what, "ack every firing alert");
    else
        snprintf(what, sizeof what, "%s%s%s", sim_action_names[k], arg[0] ? " " : "", arg);
    if (is_lever(k)) {
        char req[32] = "";
        if (have_seq && as->requested[seq] >= 0) {
            char clk[16];
            clock_str(clk, sizeof clk, as->requested[seq]);
            snprintf(req, sizeof req, ", requested %s", clk);
        }
        snprintf(m->text, sizeof m->text, "%s %s (%s%s)%s%s", what,
                 failed ? "failed" : "took effect", by, req, note[0] ? ": " : "", note);
    } else {
        snprintf(m->text, sizeof m->text, "%s%s (%s)%s%s", what, failed ? " failed" : "", by,
                 note[0] ? ": " : "", note);
    }
    if (k == SIM_ACT_DIAGNOSE && !failed)
        snprintf(db->diagnosis, sizeof db->diagnosis, "%s", arg);
}

static void read_change(gui_debrief *db, const cJSON *j, double t, int line)
{
    gui_debrief_mark *m = add_mark(db, t, GUI_DB_CHANGE, line, -1);
    if (!m)
        return;
    bool visible = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "visible"));
    bool decoy = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "decoy"));
    snprintf(m->label, sizeof m->label, "change");
    snprintf(m->text, sizeof m->text, "change (%s)%s%s: %s", jstr(j, "kind"),
             decoy ? " [decoy]" : "", visible ? "" : " [hidden from trainee]", jstr(j, "text"));
}

/* Response times as well as the log tells them (the scored ones need the
 * 10-second harm series only the drill has; a result file gives those). */
static void estimate_times(gui_debrief *db, const sim_scenario *s, char **lines, long n)
{
    gui_debrief_times *tm = &db->times;
    double onset = -1;
    for (int i = 0; i < db->nslots && onset < 0; i++)
        if (db->v[S_HARM_FAULT][i] > 0)
            onset = i * db->step;
    tm->onset_known = onset >= 0;
    if (!tm->onset_known)
        return;
    /* The first fault that began within that slot marks the onset more finely. */
    double first_fault = -1;
    for (int i = 0; i < db->nfaults; i++) {
        if (first_fault < 0 || db->faults[i].start < first_fault)
            first_fault = db->faults[i].start;
        if (db->faults[i].start >= onset && db->faults[i].start < onset + db->step &&
            db->faults[i].start > tm->onset)
            tm->onset = db->faults[i].start;
    }
    if (tm->onset < onset)
        tm->onset = onset;
    onset = tm->onset;
    double contain = -1, mitigate = -1, detect = -1, diagnose = -1;
    for (int i = 0; i < db->nmarks; i++) {
        const gui_debrief_mark *m = &db->marks[i];
        int k = db->act[i];
        if ((k == SIM_ACT_ACK || k == SIM_ACT_DECLARE) && detect < 0 && first_fault >= 0 &&
            m->t >= first_fault)
            detect = m->t > onset ? m->t : onset;
        if (k == SIM_ACT_DIAGNOSE && diagnose < 0 && m->t >= onset)
            diagnose = m->t;
    }
    /* Levers accepted as containment or fix, from the effect lines. */
    for (long i = 1; s && i < n; i++) {
        if (!strstr(lines[i], "\"effect\""))
            continue;
        cJSON *j = cJSON_Parse(lines[i]);
        double t = jnum(j, "t", 0) / 1e6;
        int k = action_index(jstr(j, "do"));
        const char *arg = jstr(j, "arg");
        if (strcmp(jstr(j, "type"), "action") == 0 && jnum(j, "status", 0) == 0 && is_lever(k) &&
            t >= onset) {
            if (contain < 0 && spec_matches(s->expected.contain, s->expected.ncontain, k, arg))
                contain = t;
            if (mitigate < 0 && spec_matches(s->expected.fix, s->expected.nfix, k, arg))
                mitigate = t;
            if (mitigate >= 0 && contain < 0)
                contain = mitigate; /* a fix contains too */
        }
        cJSON_Delete(j);
    }
    double at[GUI_DEBRIEF_TIMES] = {detect, contain, diagnose, mitigate};
    for (int i = 0; i < GUI_DEBRIEF_TIMES; i++)
        tm->took[i] = at[i] >= 0 ? at[i] - onset : -1;
}

static void judge_diagnosis(gui_debrief *db, const sim_scenario *s)
{
    if (!s || !db->diagnosis[0])
        return;
    const char *slash = strchr(db->diagnosis, '/');
    char sym[64] = "";
    snprintf(sym, sizeof sym, "%.*s", slash ? (int)(slash - db->diagnosis) : 0, db->diagnosis);
    const char *cause = slash ? slash + 1 : "";
    db->symptom_ok = db->cause_ok = 0;
    for (int k = 0; k < s->expected.ndiag; k++) {
        if (strcmp(sym, sim_symptom_names[s->expected.symptom[k]]) == 0)
            db->symptom_ok = 1;
        if (strcmp(cause, mllm_fault_names[s->expected.cause[k]]) == 0)
            db->cause_ok = 1;
    }
}

gui_debrief *gui_debrief_from_log(char **lines, long n, const sim_scenario *s, char *err,
                                  size_t errlen)
{
    if (n < 1 || !lines) {
        snprintf(err, errlen, "the log holds no complete line");
        return NULL;
    }
    gui_debrief *db = calloc(1, sizeof *db);
    act_state *as = calloc(1, sizeof *as);
    acc *slots = NULL;
    if (!db || !as) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (int i = 0; i < MAX_SEQ; i++)
        as->requested[i] = -1;
    cJSON *j = cJSON_Parse(lines[0]);
    int rc = read_start(db, j, s, err, errlen);
    cJSON_Delete(j);
    if (rc != 0)
        goto fail;
    slots = calloc((size_t)db->nslots, sizeof *slots);
    if (!slots) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    sim_sha256 sha;
    sim_sha256_init(&sha);
    sim_sha256_update(&sha, lines[0], strlen(lines[0]));
    sim_sha256_update(&sha, "\n", 1);
    for (long i = 1; i < n; i++) {
        sim_sha256_update(&sha, lines[i], strlen(lines[i]));
        sim_sha256_update(&sha, "\n", 1);
        j = cJSON_Parse(lines[i]);
        if (!cJSON_IsObject(j)) {
            snprintf(err, errlen, "line %ld: not a JSON object (a damaged event log?)", i + 1);
            cJSON_Delete(j);
            goto fail;
        }
        const char *type = jstr(j, "type");
        double t = jnum(j, "t", 0) / 1e6;
        int line = (int)(i + 1 > 2000000000 ? 2000000000 : i + 1);
        if (t > db->last_t)
            db->last_t = t;
        if (strcmp(type, "minute") == 0) {
            double start = jnum(j, "start", 0) / 1e6;
            int slot = (int)floor((start + 0.5) / db->step);
            if (slot >= 0 && slot < db->nslots)
                read_minute(j, &slots[slot]);
        } else if (strcmp(type, "fault") == 0) {
            read_fault(db, j, t, line);
        } else if (strcmp(type, "alert") == 0) {
            read_alert(db, j, t, line);
        } else if (strcmp(type, "action") == 0) {
            read_action(db, j, t, line, as);
        } else if (strcmp(type, "change") == 0) {
            read_change(db, j, t, line);
        } else if (strcmp(type, "end") == 0) {
            db->ended = true;
        }
        cJSON_Delete(j);
    }
    uint8_t dg[32];
    sim_sha256_final(&sha, dg);
    sim_sha256_hex(dg, db->log_sha);
    for (int i = 0; i < db->nslots; i++)
        for (int k = 0; k < S_COUNT; k++)
            db->v[k][i] = slots[i].n[k] ? (float)(slots[i].sum[k] / slots[i].n[k]) : NAN;
    estimate_times(db, s, lines, n);
    judge_diagnosis(db, s);
    free(slots);
    free(as);
    return db;
fail:
    free(slots);
    free(as);
    gui_debrief_free(db);
    return NULL;
}

void gui_debrief_free(gui_debrief *db)
{
    if (!db)
        return;
    free(db->buf);
    free(db);
}

int gui_debrief_read_result(gui_debrief *db, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(e));
        return -e;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = -EINVAL;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            size_t nc = cap ? cap * 2 : 16384;
            char *p = nc <= (64u << 20) ? realloc(text, nc) : NULL;
            if (!p) {
                snprintf(err, errlen, "%s: too large or out of memory", path);
                fclose(f);
                free(text);
                return -ENOMEM;
            }
            text = p;
            cap = nc;
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    text[len] = '\0';
    cJSON *j = cJSON_Parse(text);
    free(text);
    const cJSON *times = cJSON_GetObjectItemCaseSensitive(j, "times");
    const cJSON *score = cJSON_GetObjectItemCaseSensitive(j, "score");
    if (!cJSON_IsObject(j) || !cJSON_IsObject(times) || !cJSON_IsObject(score)) {
        snprintf(err, errlen,
                 "%s: not a drill result (firedrill run --out R.json): no "
                 "\"times\" and \"score\"",
                 path);
        goto out;
    }
    const char *scen = jstr(j, "scenario"), *sha = jstr(j, "log_sha256");
    if (strcmp(scen, db->scenario) != 0) {
        snprintf(err, errlen, "%s is a result of scenario \"%s\"; the log is a drill of \"%s\"",
                 path, scen, db->scenario);
        goto out;
    }
    if (sha[0] && strcmp(sha, db->log_sha) != 0) {
        snprintf(err, errlen,
                 "%s is the result of another drill: its log_sha256 is not this "
                 "log's digest",
                 path);
        goto out;
    }
    static const char *const keys[GUI_DEBRIEF_TIMES] = {"detect_s", "contain_s", "diagnose_s",
                                                        "mitigate_s"};
    gui_debrief_times *tm = &db->times;
    const cJSON *onset = cJSON_GetObjectItemCaseSensitive(times, "onset_s");
    tm->onset_known = cJSON_IsNumber(onset);
    tm->onset = tm->onset_known ? onset->valuedouble : 0;
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(times, "targets_s");
    for (int i = 0; i < GUI_DEBRIEF_TIMES; i++) {
        tm->took[i] = jnum(times, keys[i], -1);
        double tg = jnum(targets, sim_score_part_names[i], -1);
        if (tg >= 0)
            tm->target[i] = tg;
    }
    tm->score = jnum(score, "total", -1);
    tm->scored = true;
    const char *title = jstr(j, "title"), *trainee = jstr(j, "trainee");
    if (title[0])
        snprintf(db->title, sizeof db->title, "%s", title);
    snprintf(db->trainee, sizeof db->trainee, "%s", trainee);
    const cJSON *diag = cJSON_GetObjectItemCaseSensitive(j, "diagnosis");
    if (cJSON_IsObject(diag)) {
        const char *rec = jstr(diag, "recorded");
        if (rec[0])
            snprintf(db->diagnosis, sizeof db->diagnosis, "%s", rec);
        const cJSON *so = cJSON_GetObjectItemCaseSensitive(diag, "symptom_correct");
        const cJSON *co = cJSON_GetObjectItemCaseSensitive(diag, "cause_correct");
        if (cJSON_IsBool(so))
            db->symptom_ok = cJSON_IsTrue(so);
        if (cJSON_IsBool(co))
            db->cause_ok = cJSON_IsTrue(co);
    }
    const char *base = strrchr(path, '/');
    snprintf(db->result_name, sizeof db->result_name, "%s", base ? base + 1 : path);
    rc = 0;
out:
    cJSON_Delete(j);
    return rc;
}

const gui_debrief_times *gui_debrief_times_of(const gui_debrief *db)
{
    return &db->times;
}

int gui_debrief_marks(const gui_debrief *db, const gui_debrief_mark **out)
{
    *out = db->marks;
    return db->nmarks;
}

double gui_debrief_duration(const gui_debrief *db)
{
    return db->duration;
}

const char *gui_debrief_scenario(const gui_debrief *db)
{
    return db->scenario;
}

/* ---- drawing --------------------------------------------------------------------------- */

#define MARK_ALPHA 200 /* gui_chart_draw blends markers at this alpha */

static gui_color kind_color(const gui_theme *t, int kind)
{
    switch (kind) {
    case GUI_DB_FAULT_START:
    case GUI_DB_FAULT_END:
        return t->bad;
    case GUI_DB_ALERT_FIRES:
    case GUI_DB_ALERT_RESOLVES:
        return t->warn;
    case GUI_DB_LEVER:
        return t->accent;
    case GUI_DB_STEP:
        return t->yellow;
    default:
        return t->purple;
    }
}

static bool kind_dashed(int kind)
{
    return kind == GUI_DB_FAULT_END || kind == GUI_DB_ALERT_RESOLVES;
}

static bool on_charts(int kind)
{
    return kind != GUI_DB_CHANGE;
}

static gui_color with_alpha(gui_color c, int a)
{
    c.a = (uint8_t)a;
    return c;
}

/* Fills a chart for panel definition d (without markers or geometry). */
static void panel_chart(gui_ctx *c, const gui_debrief *db, const panel_def *d, gui_chart *ch)
{
    const gui_theme *t = gui_theme_of(c);
    memset(ch, 0, sizeof *ch);
    ch->id = gui_fmt(c, "debrief.%s", d->id);
    ch->title = d->title;
    ch->fmt = d->fmt;
    ch->t0 = db->step;
    ch->dt = db->step;
    ch->x_min = 0;
    ch->x_max = db->duration;
    ch->y_min = d->y_min;
    ch->y_max = d->y_max;
    gui_color col[3] = {t->ok, t->purple, t->dim};
    if (strcmp(d->id, "harm") == 0)
        col[0] = t->purple, col[1] = t->dim;
    /* The main series last, so that it is drawn over the thin ones. */
    for (int i = 3; i-- > 0;) {
        if (d->s[i] < 0)
            continue;
        ch->series[ch->nseries++] =
            (gui_series){db->v[d->s[i]], db->nslots, col[i], d->name[i], i > 0};
    }
    if (strcmp(d->id, "harm") == 0 && db->harm_thr >= 0) {
        char b[32];
        gui_fmt_value(b, sizeof b, db->harm_thr, GUI_VF_NUM);
        ch->thr[ch->nthr++] =
            (gui_threshold){db->harm_thr, t->ok, gui_fmt(c, "contained: at or below %s", b)};
    }
    bool fired = false;
    for (int r = 0; r < db->nrules; r++) {
        const rule_copy *rc = &db->rules[r];
        bool mine = false;
        for (int m = 0; m < 3; m++)
            mine |= d->metric[m] >= 0 && d->metric[m] == rc->metric;
        if (!mine)
            continue;
        fired |= rc->fired;
        if (ch->nthr < GUI_CHART_THRESH) {
            char b[32];
            gui_fmt_value(b, sizeof b, rc->threshold, d->fmt);
            ch->thr[ch->nthr++] =
                (gui_threshold){rc->threshold, rc->severity == 1 ? t->bad : t->warn,
                                gui_fmt(c, "%s %s %s%s", rc->id, rc->above ? ">" : "<", b,
                                        rc->filtered ? " (one segment)" : "")};
        }
    }
    if (fired) {
        ch->badge = "\xE2\x96\xB2 alert fired";
        ch->badge_color = t->bad;
    }
    /* The headline: the fault's total harm, or the worst value and when. */
    const float *v = db->v[d->s[0]];
    double best = NAN, at = 0, sum = 0;
    for (int i = 0; i < db->nslots; i++) {
        if (isnan(v[i]))
            continue;
        sum += v[i] * db->step / 60;
        if (isnan(best) || (d->lowest ? v[i] < best : v[i] > best)) {
            best = v[i];
            at = (i + 1) * db->step;
        }
    }
    char b[32], clk[16];
    gui_fmt_value(b, sizeof b, best, d->fmt);
    clock_str(clk, sizeof clk, at);
    if (strcmp(d->id, "harm") == 0)
        ch->value = gui_fmt(c, "total %.0f", sum);
    else if (!isnan(best) && (d->lowest || best > 0))
        ch->value = gui_fmt(c, "%s%s%s %s at %s", ch->nseries > 1 ? d->name[0] : "",
                            ch->nseries > 1 ? ": " : "", d->lowest ? "lowest" : "peak", b, clk);
    else if (!isnan(best))
        ch->value = gui_fmt(c, "%s: none", d->name[0]);
    ch->value_color = t->dim;
}

/* Threshold labels closer than a line of text are joined into the first
 * one's label (the chart stacks close labels downwards, which runs out of
 * room at the foot of a short plot); every threshold keeps its line. The
 * value range is the one gui_chart_draw takes, from 0 to the data's top. */
static void join_close_labels(gui_ctx *c, gui_chart *ch, gui_rect plot)
{
    int fs = gui_font_height(c, GUI_FONT_SMALL);
    double lo = ch->y_min, hi = ch->y_max;
    if (!(hi > lo)) {
        lo = hi = 0;
        for (int s = 0; s < ch->nseries; s++)
            for (int i = 0; i < ch->series[s].n; i++) {
                double v = ch->series[s].v[i];
                if (!isnan(v))
                    hi = v > hi ? v : hi, lo = v < lo ? v : lo;
            }
        for (int k = 0; k < ch->nthr; k++)
            hi = ch->thr[k].v > hi ? ch->thr[k].v : hi, lo = ch->thr[k].v < lo ? ch->thr[k].v : lo;
        if (hi <= lo)
            hi = lo + (ch->fmt == GUI_VF_PCT ? 0.05 : 1);
        hi += (hi - lo) * 0.12;
    }
    if (plot.h <= 0)
        return;
    /* A joined label goes with the group's last threshold: drawn after the
       others' lines, its box covers them instead of being crossed by them. */
    double px = plot.h / (hi - lo);
    for (int a = 0; a < ch->nthr; a++) {
        if (!ch->thr[a].label)
            continue;
        for (int b = a + 1; b < ch->nthr; b++)
            if (ch->thr[b].label && fabs(ch->thr[a].v - ch->thr[b].v) * px < fs + 2) {
                ch->thr[b].label = gui_fmt(c, "%s \xC2\xB7 %s", ch->thr[a].label, ch->thr[b].label);
                ch->thr[a].label = NULL;
                break;
            }
    }
}

/* Which panels to draw: the core, then the ones whose alert fired, then
 * traffic and cost, then any other with an alert rule. Returns the count. */
static int choose_panels(const gui_debrief *db, int *out, int max)
{
    int n = 0;
    bool used[NDEFS] = {false};
    for (int i = 0; i < CORE_PANELS && n < max; i++) {
        out[n++] = i;
        used[i] = true;
    }
    for (int pass = 0; pass < 3; pass++)
        for (int i = CORE_PANELS; i < NDEFS && n < max; i++) {
            if (used[i])
                continue;
            bool fired = false, rule = false;
            for (int r = 0; r < db->nrules; r++)
                if (db->rules[r].metric == panel_defs[i].metric[0]) {
                    rule = true;
                    fired |= db->rules[r].fired;
                }
            bool traffic =
                strcmp(panel_defs[i].id, "requests") == 0 || strcmp(panel_defs[i].id, "cost") == 0;
            if ((pass == 0 && fired) || (pass == 1 && traffic) || (pass == 2 && rule)) {
                out[n++] = i;
                used[i] = true;
            }
        }
    return n;
}

/* Lane labels placed in rows, right of their mark or else left of it, so
 * that none overlaps another; a label that finds no room is left out (its
 * mark is still drawn, and the timeline lists it). */
typedef struct lane_item {
    int mark;   /* index in db->marks */
    int x;      /* the mark's column */
    int bx, bw; /* the label box */
    int row;    /* -1: no room for the label */
} lane_item;

static bool lane_free(const lane_item *items, int n, int row, int x0, int x1)
{
    for (int i = 0; i < n; i++)
        if (items[i].row == row && x0 < items[i].bx + items[i].bw + 4 && items[i].bx < x1 + 4)
            return false;
    return true;
}

static int place_lane(gui_ctx *c, const gui_debrief *db, const gui_debrief_layout *lo,
                      lane_item *items, int *nitems, int max_rows)
{
    int rows = 0, n = 0;
    gui_rect p = lo->plot[0];
    for (int i = 0; i < db->nmarks; i++) {
        const gui_debrief_mark *m = &db->marks[i];
        if (!on_charts(m->kind) || m->t < lo->x_min || m->t > lo->x_max)
            continue;
        lane_item *it = &items[n];
        it->mark = i;
        it->x = gui_debrief_x_of(lo, m->t);
        it->bw = gui_text_width(c, GUI_FONT_SMALL, m->label, -1) + 8;
        it->row = -1;
        int right = it->x, left = it->x - it->bw + 1;
        if (right + it->bw > p.x + p.w)
            right = left;
        for (int r = 0; r < max_rows && it->row < 0; r++) {
            if (lane_free(items, n, r, right, right + it->bw))
                it->bx = right, it->row = r;
            else if (lane_free(items, n, r, left, left + it->bw))
                it->bx = left, it->row = r;
        }
        if (it->row + 1 > rows)
            rows = it->row + 1;
        n++;
    }
    *nitems = n;
    return rows;
}

static void draw_lane(gui_ctx *c, const gui_debrief *db, const gui_debrief_layout *lo,
                      const lane_item *items, int nitems)
{
    const gui_theme *t = gui_theme_of(c);
    int fs = gui_font_height(c, GUI_FONT_SMALL), rh = fs + 4;
    gui_rect lane = lo->lane;
    gui_rect p = lo->plot[0];
    int bottom = lane.y + lane.h;
    /* Fault bands on top, one row per fault; the labels under them. */
    int nbands = db->nfaults < 3 ? db->nfaults : 3;
    for (int f = 0; f < nbands; f++) {
        const fault_span *fs_ = &db->faults[f];
        int x0 = gui_debrief_x_of(lo, fs_->start);
        double end = fs_->end >= 0 ? fs_->end : db->ended ? lo->x_max : db->last_t;
        int x1 = gui_debrief_x_of(lo, end > fs_->start ? end : fs_->start);
        gui_rect br = {x0, lane.y + f * rh, x1 - x0 + 1, rh - 2};
        gui_draw_rect(c, br, with_alpha(t->bad, 70));
        gui_draw_rect(c, (gui_rect){br.x, br.y, 2, br.h}, t->bad);
        if (fs_->end >= 0)
            gui_draw_rect(c, (gui_rect){br.x + br.w - 2, br.y, 2, br.h}, t->bad);
        gui_push_clip(c, (gui_rect){br.x, br.y, p.x + p.w - br.x, br.h});
        gui_draw_text(c, GUI_FONT_SMALL, br.x + 6, br.y + (br.h - fs) / 2, t->text,
                      gui_fmt(c, "fault %s (%s)%s", fs_->kind, fs_->id,
                              fs_->end >= 0 ? ""
                              : db->ended   ? ", to the end"
                                            : ", the log stops"),
                      -1);
        gui_pop_clip(c);
    }
    int top = lane.y + nbands * rh;
    /* Leaders from each label down to the charts, under the labels. */
    for (int i = 0; i < nitems; i++) {
        const lane_item *it = &items[i];
        const gui_debrief_mark *m = &db->marks[it->mark];
        int y0 = it->row >= 0 ? top + it->row * rh + rh - 2 : bottom - rh / 2;
        gui_color col = with_alpha(kind_color(t, m->kind), MARK_ALPHA);
        if (kind_dashed(m->kind))
            gui_draw_vdash(c, it->x, y0, bottom, 4, 3, col);
        else
            gui_draw_rect(c, (gui_rect){it->x, y0, 1, bottom - y0}, col);
    }
    for (int i = 0; i < nitems; i++) {
        const lane_item *it = &items[i];
        const gui_debrief_mark *m = &db->marks[it->mark];
        if (it->row < 0)
            continue;
        gui_color col = kind_color(t, m->kind);
        gui_rect br = {it->bx, top + it->row * rh, it->bw, rh - 2};
        if (kind_dashed(m->kind)) { /* endings: outlined, so not by colour alone */
            gui_draw_rect(c, br, t->bg);
            gui_draw_box(c, br, col);
            gui_draw_text(c, GUI_FONT_SMALL, br.x + 4, br.y + (br.h - fs) / 2, col, m->label, -1);
        } else {
            gui_draw_rect(c, br, col);
            gui_draw_text(c, GUI_FONT_SMALL, br.x + 4, br.y + (br.h - fs) / 2, t->on_accent,
                          m->label, -1);
        }
    }
}

static void card(gui_ctx *c, gui_rect r, const char *title)
{
    const gui_theme *t = gui_theme_of(c);
    gui_draw_rect(c, r, t->panel);
    gui_draw_box(c, r, t->border);
    int pad = gui_style_of(c)->pad;
    gui_draw_text(c, GUI_FONT_BOLD, r.x + pad, r.y + pad, t->text, title, -1);
}

static gui_rect card_body(gui_ctx *c, gui_rect r)
{
    int pad = gui_style_of(c)->pad;
    gui_rect b = gui_inset(r, pad);
    gui_cut_top(&b, gui_font_height(c, GUI_FONT_BOLD) + 4);
    return b;
}

static double nice_minutes(double range_s, int want)
{
    static const double steps[] = {30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (range_s / steps[i] <= want)
            return steps[i];
    return 43200;
}

static void draw_bars(gui_ctx *c, const gui_debrief *db, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    const gui_debrief_times *tm = &db->times;
    int fs = gui_font_height(c, GUI_FONT_SMALL), fbd = gui_font_height(c, GUI_FONT_BODY);
    char clk[16];
    clock_str(clk, sizeof clk, tm->onset);
    card(c, r,
         tm->onset_known ? gui_fmt(c, "Response times from the onset at %s", clk)
                         : "Response times");
    gui_rect b = card_body(c, r);
    gui_draw_text_in(
        c, GUI_FONT_SMALL, gui_cut_top(&b, fs + 2), t->dim,
        tm->scored ? gui_fmt(c, "as scored in %s \xC2\xB7 white line: the target", db->result_name)
                   : "estimated from the log \xC2\xB7 white line: the target",
        0);
    gui_cut_top(&b, 4);
    if (!tm->onset_known) {
        gui_draw_text_in(c, GUI_FONT_BODY, gui_cut_top(&b, fbd + 4), t->text,
                         db->ended ? "No fault harmed users: nothing to respond to."
                                   : "The log stops before any fault harmed users.",
                         0);
        return;
    }
    double span = 60;
    for (int i = 0; i < GUI_DEBRIEF_TIMES; i++) {
        span = tm->took[i] > span ? tm->took[i] : span;
        span = tm->target[i] > span ? tm->target[i] : span;
    }
    span *= 1.08;
    gui_rect axis = gui_cut_bottom(&b, fs + 6);
    int row_h = b.h / GUI_DEBRIEF_TIMES;
    /* Two lines a row (name and times, then the bar) when there is room; one
       line (name, bar, times) when not. */
    bool compact = row_h < fbd + 4 + 10;
    int name_w = 0, text_w = 0;
    const char *right[GUI_DEBRIEF_TIMES], *verdict[GUI_DEBRIEF_TIMES];
    gui_color col[GUI_DEBRIEF_TIMES];
    for (int i = 0; i < GUI_DEBRIEF_TIMES; i++) {
        double took = tm->took[i], target = tm->target[i];
        bool never = took < 0, late = !never && target >= 0 && took > target + 1e-9;
        col[i] = never ? t->bad : late ? t->warn : t->ok;
        char tk[24] = "", tg[24] = "?";
        if (!never)
            dur_str(tk, sizeof tk, took);
        if (target >= 0)
            dur_str(tg, sizeof tg, target);
        verdict[i] = never ? "never" : late ? "late" : target >= 0 ? "ok" : "";
        right[i] = gui_fmt(c, "%s  (target %s)", tk, tg);
        int nw = gui_text_width(c, GUI_FONT_BOLD, sim_score_part_names[i], -1);
        int tw = gui_text_width(c, GUI_FONT_BODY, right[i], -1) +
                 gui_text_width(c, GUI_FONT_BOLD, "never", -1) + 8;
        name_w = nw > name_w ? nw : name_w;
        text_w = tw > text_w ? tw : text_w;
    }
    int x0 = b.x, w = b.w;
    if (compact) {
        x0 = b.x + name_w + 10;
        w = b.w - name_w - 10 - text_w - 10;
        if (w < 40)
            w = 40;
    }
    int bar_h = compact ? row_h - 6 : row_h - fbd - 8;
    bar_h = bar_h > 22 ? 22 : bar_h < 4 ? 4 : bar_h;
    for (int i = 0; i < GUI_DEBRIEF_TIMES; i++) {
        gui_rect row = {b.x, b.y + i * row_h, b.w, row_h};
        double took = tm->took[i], target = tm->target[i];
        int ty = compact ? row.y + (row_h - fbd) / 2 : row.y;
        gui_draw_text(c, GUI_FONT_BOLD, row.x, ty, t->text, sim_score_part_names[i], -1);
        int rw = gui_text_width(c, GUI_FONT_BODY, right[i], -1);
        int vw = gui_text_width(c, GUI_FONT_BOLD, verdict[i], -1);
        gui_draw_text(c, GUI_FONT_BODY, row.x + row.w - rw, ty, t->dim, right[i], -1);
        gui_draw_text(c, GUI_FONT_BOLD, row.x + row.w - rw - vw - 8, ty, col[i], verdict[i], -1);
        gui_rect track = {x0, compact ? row.y + (row_h - bar_h) / 2 : row.y + fbd + 4, w, bar_h};
        gui_draw_rect(c, track, t->raised);
        if (took < 0) {
            gui_draw_hdash(c, track.x, track.x + track.w, track.y, 6, 4, 1, col[i]);
            gui_draw_hdash(c, track.x, track.x + track.w, track.y + track.h - 1, 6, 4, 1, col[i]);
        } else {
            int bw = (int)(took / span * w + 0.5);
            gui_draw_rect(c, (gui_rect){track.x, track.y, bw > 1 ? bw : 1, track.h}, col[i]);
        }
        if (target >= 0) {
            int tx = x0 + (int)(target / span * w);
            int ext = compact ? 2 : 3;
            gui_draw_rect(c, (gui_rect){tx - 1, track.y - ext, 2, track.h + 2 * ext}, t->text);
        }
    }
    double step = nice_minutes(span, w / 70 > 1 ? w / 70 : 1);
    for (double s = 0; s <= span + 1e-9; s += step) {
        int x = x0 + (int)(s / span * w);
        char lab[24];
        if (fmod(s, 60) == 0)
            snprintf(lab, sizeof lab, "%.0fm", s / 60);
        else
            dur_str(lab, sizeof lab, s);
        if (s == 0)
            snprintf(lab, sizeof lab, "onset");
        int tw = gui_text_width(c, GUI_FONT_SMALL, lab, -1);
        int lx = s == 0 ? x : x - tw / 2;
        if (lx + tw > x0 + w)
            lx = x0 + w - tw;
        gui_draw_rect(c, (gui_rect){x, axis.y, 1, 3}, t->faint);
        gui_draw_text(c, GUI_FONT_SMALL, lx, axis.y + 3, t->dim, lab, -1);
    }
}

static void draw_list(gui_ctx *c, const gui_debrief *db, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    int fs = gui_font_height(c, GUI_FONT_SMALL);
    card(c, r, "Timeline");
    gui_rect b = card_body(c, r);
    int lh = fs + 5;
    int room = b.h / lh;
    int total = db->nmarks + (db->dropped > 0);
    int cw = gui_text_width(c, GUI_FONT_SMALL, "00:00:00", -1) + 8;
    for (int i = 0; i < db->nmarks && i < room; i++) {
        const gui_debrief_mark *m = &db->marks[i];
        int y = b.y + i * lh;
        if (i == room - 1 && total > room) {
            gui_draw_text(c, GUI_FONT_SMALL, b.x, y, t->dim,
                          gui_fmt(c, "... %d more (firedrill postmortem LOG lists them all)",
                                  db->nmarks - i + db->dropped),
                          -1);
            break;
        }
        char clk[16];
        clock_str(clk, sizeof clk, m->t);
        gui_draw_text(c, GUI_FONT_SMALL, b.x, y, t->dim, clk, -1);
        gui_color col = kind_color(t, m->kind);
        gui_rect sw = {b.x + cw, y + 2, 10, fs - 3};
        if (kind_dashed(m->kind) || m->kind == GUI_DB_CHANGE)
            gui_draw_box(c, sw, col);
        else
            gui_draw_rect(c, sw, col);
        gui_draw_text_in(c, GUI_FONT_SMALL, (gui_rect){sw.x + 16, y, b.x + b.w - sw.x - 16, fs},
                         m->kind == GUI_DB_CHANGE ? t->dim : t->text, m->text, 0);
    }
}

/* The colour key under the title: each kind with its fill, never colour alone. */
static void draw_key(gui_ctx *c, gui_rect r)
{
    const gui_theme *t = gui_theme_of(c);
    int fs = gui_font_height(c, GUI_FONT_SMALL);
    static const struct {
        int kind;
        const char *what;
    } keys[] = {{GUI_DB_FAULT_START, "fault starts"}, {GUI_DB_FAULT_END, "fault ends"},
                {GUI_DB_ALERT_FIRES, "alert fires"},  {GUI_DB_ALERT_RESOLVES, "alert resolves"},
                {GUI_DB_LEVER, "lever takes effect"}, {GUI_DB_STEP, "incident step"}};
    int x = r.x;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (x + 19 + gui_text_width(c, GUI_FONT_SMALL, keys[i].what, -1) > r.x + r.w)
            return;
        gui_color col = kind_color(t, keys[i].kind);
        gui_rect sw = {x, r.y + (r.h - fs) / 2 + 2, 14, fs - 4};
        if (kind_dashed(keys[i].kind))
            gui_draw_box(c, sw, col);
        else
            gui_draw_rect(c, sw, col);
        gui_draw_text(c, GUI_FONT_SMALL, x + 19, r.y + (r.h - fs) / 2, t->dim, keys[i].what, -1);
        x += 19 + gui_text_width(c, GUI_FONT_SMALL, keys[i].what, -1) + 18;
    }
    const char *tail = "dashed lines: alert thresholds (labelled)";
    if (x + gui_text_width(c, GUI_FONT_SMALL, tail, -1) <= r.x + r.w)
        gui_draw_text(c, GUI_FONT_SMALL, x, r.y + (r.h - fs) / 2, t->faint, tail, -1);
}

static void draw_title(gui_ctx *c, const gui_debrief *db, gui_rect *r)
{
    const gui_theme *t = gui_theme_of(c);
    int ft = gui_font_height(c, GUI_FONT_TITLE), fbd = gui_font_height(c, GUI_FONT_BODY);
    gui_rect tr = gui_cut_top(r, ft + 6);
    const char *score = db->times.score >= 0 ? gui_fmt(c, "score %.1f / 100", db->times.score)
                                             : "score not known (--result R.json)";
    int font_s = db->times.score >= 0 ? GUI_FONT_TITLE : GUI_FONT_SMALL;
    int sw = gui_text_width(c, font_s, score, -1);
    gui_draw_text(c, font_s, tr.x + tr.w - sw, tr.y + (font_s == GUI_FONT_TITLE ? 0 : ft / 3),
                  db->times.score >= 0 ? t->text : t->dim, score, -1);
    gui_draw_text_in(c, GUI_FONT_TITLE, (gui_rect){tr.x, tr.y, tr.w - sw - 24, ft}, t->text,
                     gui_fmt(c, "Debrief: %s", db->title), 0);
    char dur[24], clk[16];
    dur_str(dur, sizeof dur, db->duration);
    char fault[96] = "no fault";
    if (db->nfaults) {
        clock_str(clk, sizeof clk, db->faults[0].start);
        snprintf(fault, sizeof fault, "fault %s from %s%s", db->faults[0].kind, clk,
                 db->nfaults > 1 ? gui_fmt(c, " (+%d more)", db->nfaults - 1) : "");
    }
    const char *verdict = db->symptom_ok < 0               ? ""
                          : db->symptom_ok && db->cause_ok ? " (right)"
                          : db->symptom_ok                 ? " (symptom right, cause wrong)"
                          : db->cause_ok                   ? " (symptom wrong, cause right)"
                                                           : " (wrong)";
    char ended[48] = "";
    if (!db->ended) {
        clock_str(clk, sizeof clk, db->last_t);
        snprintf(ended, sizeof ended, " (the log stops at %s)", clk);
    }
    const char *sub = gui_fmt(c,
                              "%s  \xC2\xB7  seed %llu  \xC2\xB7  %s simulated%s  \xC2\xB7  %s  "
                              "\xC2\xB7  diagnosis %s%s%s%s",
                              db->scenario, (unsigned long long)db->seed, dur, ended, fault,
                              db->diagnosis[0] ? db->diagnosis : "none", verdict,
                              db->trainee[0] ? "  \xC2\xB7  " : "",
                              db->trainee[0] ? gui_fmt(c, "trainee %s", db->trainee) : "");
    gui_draw_text_in(c, GUI_FONT_BODY, gui_cut_top(r, fbd + 6), t->dim, sub, 0);
}

void gui_debrief_draw(gui_ctx *c, gui_rect area, const gui_debrief *db, gui_debrief_layout *lo)
{
    const gui_theme *t = gui_theme_of(c);
    const gui_style *st = gui_style_of(c);
    int fs = gui_font_height(c, GUI_FONT_SMALL), fb = gui_font_height(c, GUI_FONT_BOLD);
    int fbd = gui_font_height(c, GUI_FONT_BODY);
    gui_debrief_layout local;
    if (!lo)
        lo = &local;
    memset(lo, 0, sizeof *lo);
    lo->x_min = 0;
    lo->x_max = db->duration;
    for (int k = 0; k < GUI_DB_KIND_COUNT; k++)
        lo->color[k] = kind_color(t, k);
    lo->mark_alpha = MARK_ALPHA;
    lo->plot_bg = t->panel;

    int m = fbd * 2 / 3 > 8 ? fbd * 2 / 3 : 8;
    gui_rect r = gui_inset(area, m);
    draw_title(c, db, &r);
    draw_key(c, gui_cut_top(&r, fs + 8));
    gui_cut_top(&r, m / 2);

    bool side = r.w >= 1000;
    gui_rect right = {0, 0, 0, 0}, bottom = {0, 0, 0, 0};
    if (side) {
        int rw = r.w * 30 / 100;
        rw = rw < 340 ? 340 : rw > 560 ? 560 : rw;
        right = gui_cut_right(&r, rw);
        gui_cut_right(&r, m);
    } else {
        int bh = 4 * (fbd + 26) + fb + fs + 30;
        bottom = gui_cut_bottom(&r, bh < r.h / 3 ? bh : r.h / 3);
        gui_cut_bottom(&r, m);
    }

    /* Panels, all with the same y-axis label width so their plots line up. */
    int chosen[GUI_DEBRIEF_PANELS];
    int ncand = choose_panels(db, chosen, GUI_DEBRIEF_PANELS);
    gui_chart charts[GUI_DEBRIEF_PANELS];
    int axis_w = 0;
    for (int i = 0; i < ncand; i++) {
        panel_chart(c, db, &panel_defs[chosen[i]], &charts[i]);
        for (int h = 100; h <= 400; h += 300) { /* 3 and 4 ticks: either may be drawn */
            int w = gui_chart_axis_width(c, (gui_rect){r.x, r.y, r.w, h}, &charts[i]);
            axis_w = w > axis_w ? w : axis_w;
        }
    }
    for (int i = 0; i < ncand; i++)
        charts[i].axis_w = axis_w;
    gui_rect probe = gui_chart_plot_rect(c, (gui_rect){r.x, r.y, r.w, 400}, &charts[0]);
    lo->plot[0] = probe;

    /* The lane: labels in rows, then one band per fault. */
    lane_item items[GUI_DEBRIEF_MARKS];
    int nitems = 0;
    int max_rows = r.h / 5 / (fs + 4);
    max_rows = max_rows < 2 ? 2 : max_rows > LANE_ROWS ? LANE_ROWS : max_rows;
    int rows = place_lane(c, db, lo, items, &nitems, max_rows);
    int nbands = db->nfaults < 3 ? db->nfaults : 3;
    int lane_h = (rows + nbands) * (fs + 4) + 4;
    lo->lane = gui_cut_top(&r, lane_h);

    /* As many panels as leave each plot 72 px; when that is fewer than the
       core four, as many of those as leave 40 px. */
    int chrome = 2 * st->pad + fb + 4 + fs + 2 + fs + 4 + fs / 2, gap = 4;
    int n = (r.h + gap) / (chrome + 72 + gap);
    if (n < CORE_PANELS) {
        int small = (r.h + gap) / (chrome + 40 + gap);
        n = small > CORE_PANELS ? CORE_PANELS : small > n ? small : n;
    }
    n = n < 1 ? 1 : n > ncand ? ncand : n;
    int ph = (r.h - gap * (n - 1)) / n;

    gui_marker mk[GUI_DEBRIEF_MARKS];
    int nm = 0;
    for (int i = 0; i < db->nmarks; i++) {
        const gui_debrief_mark *mm = &db->marks[i];
        if (!on_charts(mm->kind))
            continue;
        mk[nm++] =
            (gui_marker){mm->t, kind_color(t, mm->kind), NULL, mm->text, kind_dashed(mm->kind)};
    }
    lo->npanels = n;
    for (int i = 0; i < n; i++) {
        gui_rect pr = {r.x, r.y + i * (ph + gap), r.w, ph};
        charts[i].markers = mk;
        charts[i].nmarkers = nm;
        join_close_labels(c, &charts[i], gui_chart_plot_rect(c, pr, &charts[i]));
        gui_chart_draw(c, pr, &charts[i]);
        lo->panel[i] = pr;
        lo->plot[i] = gui_chart_plot_rect(c, pr, &charts[i]);
        lo->panel_id[i] = panel_defs[chosen[i]].id;
    }
    draw_lane(c, db, lo, items, nitems);

    if (side) {
        int bh = 4 * (fbd + 30) + fb + fs + 40;
        if (bh > right.h / 2)
            bh = right.h / 2;
        lo->bars = gui_cut_top(&right, bh);
        gui_cut_top(&right, m);
        lo->list = right;
        draw_bars(c, db, lo->bars);
        draw_list(c, db, lo->list);
    } else {
        lo->bars = bottom;
        draw_bars(c, db, bottom);
    }
}

int gui_debrief_x_of(const gui_debrief_layout *lo, double t)
{
    return gui_chart_x_of(lo->plot[0], lo->x_min, lo->x_max, t);
}

/* ---- offscreen ------------------------------------------------------------------------- */

typedef struct png_job {
    const gui_debrief *db;
    const char *theme_path;
    gui_debrief_layout *lo;
} png_job;

static void draw_job(gui_ctx *c, gui_rect area, void *ud)
{
    png_job *j = ud;
    if (j->theme_path) {
        mllm_diags d;
        mllm_diags_clear(&d);
        gui_theme_load(gui_theme_mut(c), j->theme_path, &d); /* checked before */
    }
    gui_debrief_draw(c, area, j->db, j->lo);
}

int gui_debrief_png(const gui_debrief *db, int w, int h, const char *theme_path, const char *path,
                    gui_debrief_layout *lo, char *err, size_t errlen)
{
    if (w < GUI_DEBRIEF_MIN_W || h < GUI_DEBRIEF_MIN_H || w > 8192 || h > 8192) {
        snprintf(err, errlen, "size %dx%d: wants %dx%d .. 8192x8192", w, h, GUI_DEBRIEF_MIN_W,
                 GUI_DEBRIEF_MIN_H);
        return -1;
    }
    if (theme_path) {
        gui_theme probe;
        memset(&probe, 0, sizeof probe);
        mllm_diags d;
        mllm_diags_clear(&d);
        if (gui_theme_load(&probe, theme_path, &d) != 0) {
            if (d.n)
                snprintf(err, errlen, "%s:%d:%d: %s: %s", d.d[0].file, d.d[0].line, d.d[0].col,
                         d.d[0].path, d.d[0].msg);
            else
                snprintf(err, errlen, "cannot read the theme %s", theme_path);
            return -1;
        }
    }
    png_job job = {db, theme_path, lo};
    return gui_sdl_draw_png(w, h, gui_sdl_px_for(w, h), draw_job, &job, path, err, errlen);
}
