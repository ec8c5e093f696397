/* cli_run.c - `firedrill run` and `firedrill replay`: headless drills, fast or
 * paced, resumed after a crash, or replayed from their event log. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "cli.h"
#include "sim_log.h"
#include "sim_postmortem.h"

static const char run_usage[] =
    "usage: firedrill run [SCENARIO] [options]\n"
    "\n"
    "Runs a drill headless and prints a summary of the response and its score.\n"
    "\n"
    "  SCENARIO            a scenario file or id (default: " CLI_DEFAULT_SCENARIO ")\n"
    "  --responder FILE    scripted responder policy (default: the scenario's reference\n"
    "                      responder in scenarios/responders/, when there is one)\n"
    "  --no-responder      nobody responds: watch the incident unfold untreated\n"
    "  --seed N            override the scenario's seed\n"
    "  --out FILE          write the result as JSON (\"-\" for stdout)\n"
    "  --log FILE          write the event log (JSON lines) to FILE\n"
    "  --pace SPEED        paced by the wall clock at SPEED x real time (e.g. 60);\n"
    "                      default: as fast as the CPU allows\n"
    "  --resume LOG        continue a drill that was killed, from its event log\n"
    "  --postmortem PM.md  write the post-mortem (Markdown) when the responder scripts one\n"
    "  --eval-set SET.json append the post-mortem's eval cases to this eval set\n"
    "  --trainee NAME      who is responding (recorded in the result, for leaderboards)\n"
    "  --quiet             print no summary\n"
    "\n"
    "Exit status: 0 when the drill ran, 2 on bad input.\n";

static const char replay_usage[] =
    "usage: firedrill replay LOG [--out FILE]\n"
    "\n"
    "Re-runs a drill from its event log (same scenario, seed and trainee actions) and\n"
    "checks that the new log is byte-identical to the old one. Exit 0 when it is, 1 when\n"
    "it is not, 2 on bad input.\n";

typedef struct run_opts {
    char scenario[1024];
    char responder[1024];
    bool no_responder;
    bool have_seed;
    uint64_t seed;
    const char *out;
    const char *log;
    double pace;
    const char *resume;
    const char *postmortem;
    const char *eval_set;
    const char *trainee;
    bool quiet;
} run_opts;

typedef struct progress_ctx {
    uint64_t t0;
    bool shown;
} progress_ctx;

static void on_progress(void *ctx, sim_time now, sim_time end)
{
    progress_ctx *p = ctx;
    uint64_t el = cli_wall_ns() - p->t0;
    if (el < 1000000000ull && !p->shown)
        return;
    p->shown = true;
    char detail[64];
    snprintf(detail, sizeof detail, "%llum / %llum simulated", (unsigned long long)(now / 60000000u),
             (unsigned long long)(end / 60000000u));
    cli_progress("drill", (double)now / (double)end, detail);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Runs paced by the wall clock until the end, printing a line per minute. */
static void run_paced(sim_drill *d, double speed, bool quiet)
{
    sim_pacer p;
    sim_pacer_init(&p, speed, cli_wall_ns(), sim_drill_now(d));
    sim_time last_minute = sim_drill_now(d) / 60000000u;
    while (!sim_drill_finished(d)) {
        sim_drill_run_until(d, sim_pacer_target(&p, cli_wall_ns()));
        sim_time minute = sim_drill_now(d) / 60000000u;
        if (minute != last_minute && !quiet) {
            last_minute = minute;
            const sim_metrics *m = sim_drill_metrics(d);
            sim_time now = sim_drill_now(d);
            fprintf(stderr, "t=%3llum  rate %5.1f/s  errors %5.1f%%  p99 %6.0f ms  quality %.2f  "
                            "alerts firing %d\n",
                    (unsigned long long)minute,
                    sim_metrics_value(m, SIM_M_REQUEST_RATE, now - now % SIM_SEC(10), SIM_MIN(1)),
                    100 * sim_metrics_value(m, SIM_M_ERROR_RATE, now - now % SIM_SEC(10), SIM_MIN(1)),
                    sim_metrics_value(m, SIM_M_LATENCY_P99, now - now % SIM_SEC(10), SIM_MIN(1)),
                    sim_metrics_value(m, SIM_M_QUALITY, now - now % SIM_SEC(10), SIM_MIN(3)),
                    sim_alerts_firing(sim_drill_alerts(d)));
        }
        sleep_ms(20);
    }
}

/* Reads the start line and the trainee actions of a log. */
typedef struct log_info {
    char **lines;
    long n;
    long end_line; /* index of the "end" line; -1: the drill did not finish */
    bool torn;
    char scenario[1024], responder[1024];
    uint64_t seed;
    sim_time last_t;
} log_info;

/* A number of a log line as a time, seed or count: 0 when missing, not a
 * number or negative, the largest value when too big. Never an undefined
 * conversion, whatever a damaged or edited log holds. */
static uint64_t log_u64(const cJSON *v)
{
    double x = cJSON_IsNumber(v) ? v->valuedouble : 0;
    if (!(x > 0))
        return 0;
    return x >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)x;
}

static int read_log(const char *path, log_info *li)
{
    memset(li, 0, sizeof *li);
    li->end_line = -1;
    li->n = sim_log_read(path, &li->lines, &li->torn);
    if (li->n < 0) {
        fprintf(stderr, "firedrill: cannot read %s: %s\n", path, strerror((int)-li->n));
        return -1;
    }
    if (li->n == 0) {
        fprintf(stderr, "firedrill: %s holds no complete line\n", path);
        return -1;
    }
    cJSON *start = cJSON_Parse(li->lines[0]);
    const cJSON *type = cJSON_GetObjectItem(start, "type");
    const cJSON *scen = cJSON_GetObjectItem(start, "scenario_file");
    const cJSON *resp = cJSON_GetObjectItem(start, "responder_file");
    const cJSON *seed = cJSON_GetObjectItem(start, "seed");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "start") != 0 ||
        !cJSON_IsString(scen) || !cJSON_IsNumber(seed)) {
        fprintf(stderr, "%s:1:1: $: not a firedrill event log (no start line)\n", path);
        cJSON_Delete(start);
        return -1;
    }
    snprintf(li->scenario, sizeof li->scenario, "%s", scen->valuestring);
    snprintf(li->responder, sizeof li->responder, "%s",
             cJSON_IsString(resp) ? resp->valuestring : "");
    li->seed = log_u64(seed);
    cJSON_Delete(start);
    for (long i = 0; i < li->n; i++) {
        cJSON *j = cJSON_Parse(li->lines[i]);
        const cJSON *t = cJSON_GetObjectItem(j, "t");
        const cJSON *ty = cJSON_GetObjectItem(j, "type");
        if (!j) {
            fprintf(stderr, "%s:%ld:1: $: corrupt line in the event log\n", path, i + 1);
            return -1;
        }
        if (cJSON_IsNumber(t) && log_u64(t) > li->last_t)
            li->last_t = log_u64(t);
        if (cJSON_IsString(ty) && strcmp(ty->valuestring, "end") == 0 && li->end_line < 0)
            li->end_line = i;
        cJSON_Delete(j);
    }
    return 0;
}

static int geti(const cJSON *j, const char *k)
{
    const cJSON *v = cJSON_GetObjectItem(j, k);
    double x = cJSON_IsNumber(v) ? v->valuedouble : -1;
    return x >= INT_MIN && x <= INT_MAX ? (int)x : -1;
}

/* Re-schedules a logged trainer operation (inject, clear, decoy). Returns 1
 * when the line was one. */
static int reinject_trainer_op(sim_drill *d, const cJSON *j, const char *type, sim_time t)
{
    if (strcmp(type, "inject") == 0) {
        mllm_fault f;
        memset(&f, 0, sizeof f);
        const cJSON *kind = cJSON_GetObjectItem(j, "kind");
        int k = cJSON_IsString(kind) ? mllm_name_index(mllm_fault_names, kind->valuestring) : -1;
        if (k < 0)
            return 0;
        f.kind = (mllm_fault_kind)k;
        const cJSON *end = cJSON_GetObjectItem(j, "end");
        f.start = log_u64(cJSON_GetObjectItem(j, "start"));
        f.end = cJSON_IsNumber(end) && end->valuedouble >= 0 ? log_u64(end) : MLLM_NEVER;
        f.ramp = log_u64(cJSON_GetObjectItem(j, "ramp"));
        f.target.fraction = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "fraction"));
        f.target.region = geti(j, "region");
        f.target.plan = geti(j, "plan");
        f.target.client = geti(j, "client");
        f.target.qtype = geti(j, "qtype");
        f.target.topic = geti(j, "topic");
        f.target.prompt = geti(j, "prompt");
        f.target.model = geti(j, "model");
        f.prompt = geti(j, "p_prompt");
        f.fingerprint = geti(j, "p_fingerprint");
        f.topic = geti(j, "p_topic");
        f.factor = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "p_factor"));
        f.docs = geti(j, "p_docs");
        const cJSON *term = cJSON_GetObjectItem(j, "p_term"), *param = cJSON_GetObjectItem(j, "p_param");
        const cJSON *id = cJSON_GetObjectItem(j, "id");
        snprintf(f.term, sizeof f.term, "%s", cJSON_IsString(term) ? term->valuestring : "");
        snprintf(f.param, sizeof f.param, "%s", cJSON_IsString(param) ? param->valuestring : "");
        return sim_drill_inject_at(d, t, &f, cJSON_IsString(id) ? id->valuestring : "") == 0;
    }
    if (strcmp(type, "fault") == 0) {
        const cJSON *ev = cJSON_GetObjectItem(j, "event");
        if (cJSON_IsString(ev) && strcmp(ev->valuestring, "cleared") == 0 && geti(j, "index") >= 0)
            return sim_drill_clear_fault_at(d, t, geti(j, "index")) == 0;
        return 0;
    }
    if (strcmp(type, "decoy") == 0) {
        const cJSON *text = cJSON_GetObjectItem(j, "text");
        return cJSON_IsString(text) && sim_drill_decoy_at(d, t, text->valuestring) == 0;
    }
    return 0;
}

/* Re-schedules a request served over HTTP. Returns 1 when the line was one. */
static int reserve_request(sim_drill *d, const cJSON *j, sim_time t)
{
    const cJSON *id = cJSON_GetObjectItem(j, "id"), *ft = cJSON_GetObjectItem(j, "free_text");
    char *end;
    if (!cJSON_IsString(id))
        return 0;
    mllm_request req;
    memset(&req, 0, sizeof req);
    req.id = strtoull(id->valuestring, &end, 10);
    if (end == id->valuestring || *end)
        return 0;
    req.text = geti(j, "text");
    req.free_text = cJSON_IsString(ft) ? ft->valuestring : NULL;
    req.region = geti(j, "region");
    req.plan = geti(j, "plan");
    req.client = geti(j, "client");
    req.turn = geti(j, "turn");
    req.history_tokens = geti(j, "history_tokens");
    req.structured = cJSON_IsTrue(cJSON_GetObjectItem(j, "structured"));
    req.max_tokens = geti(j, "max_tokens");
    return sim_drill_serve_at(d, t, &req) == 0;
}

/* Re-credits a logged post-mortem, at its time or, with `now`, at once.
 * Returns 1 when the line was one. */
static int recredit_postmortem(sim_drill *d, const cJSON *j, sim_time at, bool now)
{
    bool done = cJSON_IsTrue(cJSON_GetObjectItem(j, "done"));
    bool eval_ok = cJSON_IsTrue(cJSON_GetObjectItem(j, "eval_ok"));
    return sim_drill_postmortem_at(d, now ? sim_drill_now(d) : at, done, eval_ok) == 0;
}

/* The post-mortems logged after the "end" line, credited again once the
 * replayed drill has ended. */
static void recredit_after_end(sim_drill *d, const log_info *li)
{
    for (long i = li->end_line < 0 ? li->n : li->end_line + 1; i < li->n; i++) {
        cJSON *j = cJSON_Parse(li->lines[i]);
        const cJSON *ty = cJSON_GetObjectItem(j, "type");
        if (cJSON_IsString(ty) && strcmp(ty->valuestring, "postmortem") == 0)
            recredit_postmortem(d, j, 0, true);
        cJSON_Delete(j);
    }
}

/* Re-requests the logged trainee actions, trainer operations, requests
 * served over HTTP, operator stops and post-mortems at their times (those
 * after the end: recredit_after_end; `run --resume` takes no finished log). */
static int reinject_actions(sim_drill *d, const log_info *li, const mllm_world *w)
{
    int n = 0;
    for (long i = 0; i < li->n; i++) {
        cJSON *j = cJSON_Parse(li->lines[i]);
        const cJSON *ty = cJSON_GetObjectItem(j, "type");
        const cJSON *tt = cJSON_GetObjectItem(j, "t");
        if (cJSON_IsString(ty) && cJSON_IsNumber(tt)) {
            sim_time at = log_u64(tt);
            if (strcmp(ty->valuestring, "served") == 0)
                n += reserve_request(d, j, at);
            else if (strcmp(ty->valuestring, "stopped") == 0)
                n += sim_drill_mark_stopped_at(d, at) == 0;
            else if (strcmp(ty->valuestring, "postmortem") == 0)
                n += (li->end_line < 0 || i < li->end_line) &&
                     recredit_postmortem(d, j, at, false);
            else
                n += reinject_trainer_op(d, j, ty->valuestring, at);
        }
        const cJSON *ev = cJSON_GetObjectItem(j, "event");
        const cJSON *by = cJSON_GetObjectItem(j, "by");
        const cJSON *act = cJSON_GetObjectItem(j, "do");
        const cJSON *arg = cJSON_GetObjectItem(j, "arg");
        if (cJSON_IsString(ty) && strcmp(ty->valuestring, "action") == 0 && cJSON_IsString(ev) &&
            (strcmp(ev->valuestring, "requested") == 0 || strcmp(ev->valuestring, "done") == 0) &&
            cJSON_IsString(by) && strcmp(by->valuestring, "responder") != 0 &&
            cJSON_IsNumber(tt) && cJSON_IsString(act)) {
            char spec[256], err[160];
            snprintf(spec, sizeof spec, "%s%s%s", act->valuestring,
                     cJSON_IsString(arg) && arg->valuestring[0] ? ":" : "",
                     cJSON_IsString(arg) ? arg->valuestring : "");
            sim_action_spec a;
            if (sim_action_parse(spec, w, &a, err, sizeof err) == 0 &&
                sim_drill_act_at(d, log_u64(tt), &a, by->valuestring, err, sizeof err) > 0)
                n++;
        }
        cJSON_Delete(j);
    }
    return n;
}

static bool file_has_prefix(const char *path, char **lines, long n)
{
    char **got;
    bool torn;
    long m = sim_log_read(path, &got, &torn);
    bool ok = m >= n;
    for (long i = 0; ok && i < n; i++)
        ok = strcmp(got[i], lines[i]) == 0;
    sim_log_lines_free(got, m > 0 ? m : 0);
    return ok;
}

static int parse_args(int argc, char **argv, run_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (strcmp(a, "--responder") == 0 && has_next)
            snprintf(o->responder, sizeof o->responder, "%s", argv[++i]);
        else if (strcmp(a, "--no-responder") == 0)
            o->no_responder = true;
        else if (strcmp(a, "--seed") == 0 && has_next) {
            char *end;
            o->seed = strtoull(argv[++i], &end, 10);
            if (*end) {
                fprintf(stderr, "firedrill run: --seed wants an integer, got \"%s\"\n", argv[i]);
                return -1;
            }
            o->have_seed = true;
        } else if (strcmp(a, "--out") == 0 && has_next)
            o->out = argv[++i];
        else if (strcmp(a, "--log") == 0 && has_next)
            o->log = argv[++i];
        else if (strcmp(a, "--pace") == 0 && has_next) {
            o->pace = atof(argv[++i]);
            if (!(o->pace > 0 && o->pace <= 100000)) {
                fprintf(stderr, "firedrill run: --pace wants a speed factor > 0, got \"%s\"\n",
                        argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--resume") == 0 && has_next)
            o->resume = argv[++i];
        else if (strcmp(a, "--postmortem") == 0 && has_next)
            o->postmortem = argv[++i];
        else if (strcmp(a, "--eval-set") == 0 && has_next)
            o->eval_set = argv[++i];
        else if (strcmp(a, "--trainee") == 0 && has_next)
            o->trainee = argv[++i];
        else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
            o->quiet = true;
        else if (a[0] == '-') {
            fprintf(stderr, "firedrill run: unknown or incomplete option \"%s\" (see --help)\n", a);
            return -1;
        } else if (!o->scenario[0])
            cli_scenario_path(a, o->scenario, sizeof o->scenario);
        else {
            fprintf(stderr, "firedrill run: one scenario at a time (got \"%s\")\n", a);
            return -1;
        }
    }
    return 0;
}


int cli_run(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, run_usage) == 0)
        return 0;
    run_opts o;
    if (parse_args(argc, argv, &o) != 0)
        return 2;
    int status = 2;
    mllm_world *w = cli_load_world();
    sim_scenario *sc = NULL;
    sim_responder *rp = NULL;
    sim_drill *d = NULL;
    log_info li = {0};
    char tmp[1100] = "", tmp_log[1100] = "";
    if (!w)
        goto out;
    if (o.resume) {
        if (read_log(o.resume, &li) != 0)
            goto out;
        if (li.end_line >= 0) {
            fprintf(stderr, "firedrill run: %s is a finished drill; use `firedrill replay`\n",
                    o.resume);
            goto out;
        }
        snprintf(o.scenario, sizeof o.scenario, "%s", li.scenario);
        snprintf(o.responder, sizeof o.responder, "%s", li.responder);
        o.no_responder = !li.responder[0];
        o.have_seed = true;
        o.seed = li.seed;
        snprintf(tmp, sizeof tmp, "%s.resume", o.resume);
        o.log = tmp;
        if (li.torn)
            fprintf(stderr, "firedrill run: the last line of %s was torn by the crash; "
                            "it is rebuilt\n", o.resume);
    }
    if (!o.scenario[0])
        snprintf(o.scenario, sizeof o.scenario, "%s/%s", cli_data_dir(), CLI_DEFAULT_SCENARIO);
    char ref[1024];
    if (!o.responder[0] && !o.no_responder && !o.resume &&
        cli_responder_for(o.scenario, ref, sizeof ref)) {
        snprintf(o.responder, sizeof o.responder, "%s", ref);
        if (!o.quiet)
            fprintf(stderr, "firedrill: responding with the reference responder %s "
                            "(--no-responder to watch it unfold untreated)\n", o.responder);
    }
    if (o.no_responder)
        o.responder[0] = '\0';
    if (cli_load_inputs(o.scenario, o.responder, w, &sc, &rp) != 0)
        goto out;
    if (o.postmortem && !o.log) {
        /* The post-mortem's timeline is read back from the event log. */
        snprintf(tmp_log, sizeof tmp_log, "%s.events.jsonl", o.postmortem);
        o.log = tmp_log;
    }
    if (o.have_seed) {
        sc->seed = o.seed;
        sc->service.seed = o.seed;
    }
    sim_drill_opts dopts = {.log_path = o.log, .responder = rp, .scenario_path = o.scenario,
                            .responder_path = o.responder[0] ? o.responder : NULL};
    char err[256];
    d = sim_drill_new(sc, w, &dopts, err, sizeof err);
    if (!d) {
        fprintf(stderr, "firedrill run: %s\n", err);
        goto out;
    }
    if (!o.quiet)
        fprintf(stderr, "firedrill: drill %s, seed %llu, %llu simulated minutes%s\n", sc->id,
                (unsigned long long)sc->seed, (unsigned long long)(sc->duration / 60000000u),
                o.pace > 0 ? " (paced)" : "");
    if (o.resume) {
        int n = reinject_actions(d, &li, w);
        sim_drill_run_until(d, li.last_t);
        sim_drill_flush(d, true);
        if (!file_has_prefix(tmp, li.lines, li.n)) {
            fprintf(stderr, "firedrill run: %s does not reproduce from its scenario (was the "
                            "scenario, the world or the binary changed?)\n", o.resume);
            unlink(tmp);
            status = 1;
            goto out;
        }
        if (rename(tmp, o.resume) != 0) {
            fprintf(stderr, "firedrill run: cannot replace %s: %s\n", o.resume, strerror(errno));
            goto out;
        }
        if (!o.quiet)
            fprintf(stderr, "firedrill: resumed at %llum%02llus with %d trainee action%s replayed\n",
                    (unsigned long long)(li.last_t / 60000000u),
                    (unsigned long long)(li.last_t / 1000000u % 60), n, n == 1 ? "" : "s");
    }
    if (o.pace > 0) {
        run_paced(d, o.pace, o.quiet);
    } else {
        progress_ctx pc = {cli_wall_ns(), false};
        sim_drill_run(d, on_progress, &pc);
        cli_progress_done();
    }
    sim_result r;
    sim_drill_flush(d, true);
    if (cli_final_result(d, rp, sc, w, &r, o.log, o.postmortem, o.eval_set) != 0)
        goto out;
    if (o.trainee)
        snprintf(r.trainee, sizeof r.trainee, "%s", o.trainee);
    if (!o.quiet)
        sim_result_print(&r, sc, stdout);
    if (o.out) {
        int rc = sim_result_write(&r, sc, o.out);
        if (rc != 0) {
            fprintf(stderr, "firedrill run: cannot write %s: %s\n", o.out, strerror(-rc));
            goto out;
        }
    }
    status = 0;
out:
    sim_drill_free(d);
    sim_responder_free(rp);
    sim_scenario_free(sc);
    mllm_world_free(w);
    sim_log_lines_free(li.lines, li.n > 0 ? li.n : 0);
    return status;
}

int cli_replay(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, replay_usage) == 0)
        return 0;
    const char *logp = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] == '-' || logp) {
            fprintf(stderr, "firedrill replay: unexpected \"%s\" (see --help)\n", argv[i]);
            return 2;
        } else
            logp = argv[i];
    }
    if (!logp) {
        fputs(replay_usage, stderr);
        return 2;
    }
    int status = 2;
    log_info li;
    mllm_world *w = NULL;
    sim_scenario *sc = NULL;
    sim_responder *rp = NULL;
    sim_drill *d = NULL;
    if (read_log(logp, &li) != 0)
        return 2;
    w = cli_load_world();
    if (!w || cli_load_inputs(li.scenario, li.responder, w, &sc, &rp) != 0)
        goto out;
    sc->seed = li.seed;
    sc->service.seed = li.seed;
    sim_drill_opts dopts = {.responder = rp, .scenario_path = li.scenario,
                            .responder_path = li.responder[0] ? li.responder : NULL};
    char err[256];
    d = sim_drill_new(sc, w, &dopts, err, sizeof err);
    if (!d) {
        fprintf(stderr, "firedrill replay: %s\n", err);
        goto out;
    }
    reinject_actions(d, &li, w);
    progress_ctx pc = {cli_wall_ns(), false};
    if (li.end_line >= 0) {
        sim_drill_run(d, on_progress, &pc);
        recredit_after_end(d, &li);
    } else
        sim_drill_run_until(d, li.last_t);
    cli_progress_done();
    sim_result r;
    if (cli_final_result(d, rp, sc, w, &r, NULL, NULL, NULL) != 0)
        goto out;
    sim_result_print(&r, sc, stdout);
    /* Digest of the old log, to compare. */
    sim_sha256 c;
    sim_sha256_init(&c);
    for (long i = 0; i < li.n; i++) {
        sim_sha256_update(&c, li.lines[i], strlen(li.lines[i]));
        sim_sha256_update(&c, "\n", 1);
    }
    uint8_t dg[32];
    char old_hex[65], new_hex[65];
    sim_sha256_final(&c, dg);
    sim_sha256_hex(dg, old_hex);
    sim_drill_log_digest(d, new_hex);
    bool same = strcmp(old_hex, new_hex) == 0, ended = li.end_line >= 0;
    printf("  replay of %s: %s\n", logp,
           same    ? "byte-identical event log"
           : ended ? "DIFFERENT event log"
                   : "differs (the original drill did not finish)");
    if (out && sim_result_write(&r, sc, out) != 0)
        fprintf(stderr, "firedrill replay: cannot write %s\n", out);
    status = same ? 0 : 1;
out:
    sim_drill_free(d);
    sim_responder_free(rp);
    sim_scenario_free(sc);
    mllm_world_free(w);
    sim_log_lines_free(li.lines, li.n);
    return status;
}
