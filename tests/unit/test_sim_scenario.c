/* test_sim_scenario.c - behaviour of the scenario and responder loaders (sim_scenario.h).
 *
 * Good files load with every default filled; each file of the bad-input corpus
 * (tests/data/bad) gives the first diagnostic its .expect file names, position included;
 * action specs parse and fail as the table says; durations, shares, weights, alert and
 * runbook defaults; responders checked against their scenario; no prefix of a valid file
 * crashes the loader. Uses the small stable world in tests/data/world. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_metrics.h"
#include "sim_scenario.h"

#define DATA FIREDRILL_DATA_DIR "/tests/data"

static mllm_world *world;

static int load_world(void **state)
{
    (void)state;
    mllm_diags d = {0};
    world = mllm_world_load(DATA "/world", &d);
    if (!world)
        mllm_diags_print(&d, stderr);
    return world ? 0 : -1;
}

static int free_world(void **state)
{
    (void)state;
    mllm_world_free(world);
    return 0;
}

static sim_scenario *load_ok(const char *file)
{
    mllm_diags d = {0};
    sim_scenario *s = sim_scenario_load(file, world, &d);
    if (!s)
        mllm_diags_print(&d, stderr);
    assert_non_null(s);
    assert_int_equal(d.n, 0);
    return s;
}

/* A small valid scenario with `duration` and extra top-level fields spliced in. */
static sim_scenario *parse_with(const char *duration, const char *extra, mllm_diags *d)
{
    char text[4096];
    snprintf(
        text, sizeof text,
        "{\"id\": \"t\", \"title\": \"t\", \"difficulty\": \"easy\", \"briefing\": \"b\",\n"
        " \"seed\": 1, \"duration\": \"%s\",\n"
        " \"faults\": [{\"id\": \"f\", \"kind\": \"retrieval_degradation\", \"start\": \"30s\"}],\n"
        " \"expected\": {\"diagnosis\": [{\"symptom\": \"wrong_random\",\n"
        "                               \"cause\": \"retrieval_degradation\"}],\n"
        "              \"contain\": [\"disclaimer:on\"], \"fix\": [\"reindex\"]}%s%s}\n",
        duration, extra[0] ? ",\n " : "", extra);
    mllm_diags_clear(d);
    return sim_scenario_parse("<test>", text, strlen(text), world, d);
}

static double sum(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* ---- good files ----------------------------------------------------------------------- */

static void minimal_scenario_loads_with_defaults_filled(void **state)
{
    (void)state;
    sim_scenario *s = load_ok(DATA "/good/minimal.json");
    assert_string_equal(s->id, "minimal");
    assert_string_equal(s->difficulty, "easy");
    assert_string_equal(s->trainer_notes, "");
    assert_int_equal(s->seed, 7);
    assert_true(s->duration == SIM_MIN(60));
    assert_int_equal(s->start_day, mllm_date_days("2026-11-30"));
    assert_int_equal(s->start_second, 9 * 3600);

    /* traffic */
    const sim_traffic_spec *t = &s->traffic;
    assert_true(t->rate == 20);
    assert_int_equal(t->profile, SIM_PROFILE_CONSTANT);
    assert_true(t->region[0] == 0.5 && t->plan[3] == 0.05 && t->client[1] == 0.45);
    assert_true(t->qtype[MLLM_QT_FACTUAL] == 0.3 && t->qtype[MLLM_QT_SMALLTALK] == 0.08);
    assert_true(fabs(sum(t->qtype, MLLM_QT_COUNT) - 1) < 1e-9);
    for (int i = 0; i < world->ntopics; i++)
        assert_true(t->topic[i] == 1);
    assert_true(t->p_continue == 0.3);
    assert_int_equal(t->tokens_per_turn, 180);
    assert_int_equal(t->max_turns, 6);

    /* service: mllm_config_default plus the scenario */
    const mllm_config *c = &s->service;
    assert_int_equal(c->seed, 7);
    assert_int_equal(c->controls.prompt, mllm_world_prompt(world, "v2"));
    assert_int_equal(c->primary_fingerprint, 0);
    assert_int_equal(c->controls.route, MLLM_ROLE_PRIMARY);
    assert_int_equal(c->controls.fallback, MLLM_FB_CACHED);
    assert_int_equal(c->controls.pin_fingerprint, -1);
    assert_true(c->index_age_us == (int64_t)SIM_MIN(10));
    assert_true(c->refresh_every == SIM_MIN(360));
    assert_true(c->reindex_duration == SIM_MIN(3));
    assert_true(c->controls.cache_ttl_s == 600);
    assert_true(c->controls.cacheable_share == 0.25);

    /* the fault */
    assert_int_equal(s->nfaults, 1);
    const mllm_fault *f = &s->faults[0].f;
    assert_string_equal(s->faults[0].id, "bad-prompt");
    assert_int_equal(f->kind, MLLM_FAULT_PROMPT_REGRESSION);
    assert_true(f->start == SIM_MIN(10));
    assert_true(f->end == MLLM_NEVER);
    assert_true(f->ramp == 0);
    assert_int_equal(f->prompt, mllm_world_prompt(world, "v3"));
    assert_int_equal(f->fingerprint, -1);
    assert_int_equal(f->topic, -1);
    assert_true(f->target.fraction == 1);
    assert_int_equal(f->target.region, -1);
    assert_int_equal(f->target.model, -1);

    /* default alerts, runbook, scoring, sampling */
    assert_int_equal(s->nalerts, 7);
    assert_string_equal(s->alerts[0].id, "error-rate");
    assert_int_equal(s->alerts[0].metric, SIM_M_ERROR_RATE);
    assert_true(s->alerts[0].above && s->alerts[0].threshold == 0.05);
    assert_true(s->alerts[0].for_ == SIM_MIN(1) && s->alerts[0].window == SIM_MIN(1));
    assert_int_equal(s->alerts[0].severity, 1);
    assert_string_equal(s->alerts[3].id, "judge-quality");
    assert_false(s->alerts[3].above);
    assert_string_equal(s->alerts[6].id, "index-age");
    assert_true(s->alerts[6].threshold == 720);
    assert_true(s->runbook.approval_takes == SIM_MIN(2));
    assert_true(s->runbook.delay[SIM_ACT_PROMPT] == SIM_MIN(2));
    assert_true(s->runbook.delay[SIM_ACT_ADD_DOCS] == SIM_MIN(5));
    assert_true(s->runbook.delay[SIM_ACT_FLUSH_CACHE] == SIM_SEC(10));
    assert_true(s->runbook.delay[SIM_ACT_REINDEX] == 0);
    assert_true(s->runbook.delay[SIM_ACT_ACK] == 0);
    assert_true(s->runbook.needs_approval ==
                (1ull << SIM_ACT_KILL_SWITCH | 1ull << SIM_ACT_DISABLE_TYPE |
                 1ull << SIM_ACT_DISABLE_TOPIC));
    assert_true(s->runbook.flag[0] && s->runbook.approver[0]);
    assert_true(s->scoring.target[SIM_PART_DETECT] == SIM_MIN(5));
    assert_true(s->scoring.target[SIM_PART_MITIGATE] == SIM_MIN(30));
    assert_true(s->scoring.weight[SIM_PART_CONTAIN] == 25);
    assert_true(fabs(sum(s->scoring.weight, SIM_PART_COUNT) - 100) < 1e-9);
    assert_true(s->scoring.harm_threshold_per_min == 1.0 && s->scoring.harm_budget == 10);
    assert_true(s->scoring.postmortem_deadline == SIM_MIN(30));
    assert_true(s->judge_sample == 0.05 && s->judge_noise == 0.12 && s->trace_sample == 0.01);

    /* expected */
    assert_int_equal(s->expected.ndiag, 1);
    assert_int_equal(s->expected.symptom[0], SIM_SYMPTOM_WRONG_CONSISTENT);
    assert_int_equal(s->expected.cause[0], MLLM_FAULT_PROMPT_REGRESSION);
    assert_int_equal(s->expected.ncontain, 1);
    assert_int_equal(s->expected.contain[0].kind, SIM_ACT_KILL_SWITCH);
    assert_string_equal(s->expected.contain[0].arg, "on");
    assert_int_equal(s->expected.fix[0].kind, SIM_ACT_PROMPT);
    assert_string_equal(s->expected.fix[0].arg, "v2");
    sim_scenario_free(s);
}

static void full_scenario_reads_every_field(void **state)
{
    (void)state;
    sim_scenario *s = load_ok(DATA "/good/full.json");
    assert_string_equal(s->briefing, "Line one of the briefing.\nLine two.");
    assert_true(s->seed == 9007199254740992ull);
    assert_int_equal(s->start_day, mllm_date_days("2026-12-01"));
    assert_int_equal(s->start_second, 8 * 3600 + 30 * 60 + 15);
    assert_int_equal(s->service.start_day, s->start_day);

    const sim_traffic_spec *t = &s->traffic;
    assert_true(t->rate == 35.5);
    assert_int_equal(t->profile, SIM_PROFILE_BURSTS);
    assert_int_equal(t->nbursts, 1);
    assert_true(t->bursts[0].at == SIM_MIN(30) && t->bursts[0].duration == SIM_MIN(5));
    assert_true(t->bursts[0].multiplier == 3);
    assert_true(t->region[0] == 0.5 && t->region[1] == 0.25 && t->region[2] == 0.25);
    assert_true(t->plan[0] == 0.5 && t->plan[1] == 0 && t->plan[3] == 0.5);
    assert_true(t->client[0] == 0 && t->client[1] == 0.75);
    assert_true(t->qtype[MLLM_QT_FACTUAL] == 0.5 && t->qtype[MLLM_QT_HOWTO] == 0);
    assert_true(t->topic[mllm_world_topic(world, "billing")] == 2);
    assert_true(t->topic[mllm_world_topic(world, "general")] == 0);
    assert_true(t->topic[mllm_world_topic(world, "plans")] == 1);
    assert_true(t->p_continue == 0.5 && t->tokens_per_turn == 250 && t->max_turns == 10);

    const mllm_config *c = &s->service;
    assert_int_equal(c->controls.prompt, mllm_world_prompt(world, "v2"));
    assert_int_equal(c->controls.fallback, MLLM_FB_SIMPLIFIED);
    assert_true(c->index_age_us == (int64_t)SIM_MIN(60));
    assert_true(c->refresh_every == 0);
    assert_true(c->reindex_duration == SIM_MIN(5));
    assert_true(c->controls.cache_ttl_s == 0 && c->controls.cacheable_share == 0.4);
    assert_int_equal(c->controls.context_cap, 4000);
    assert_int_equal(c->controls.max_tokens, 800);

    /* the timeline comes out sorted by time */
    assert_int_equal(s->nchanges, 6);
    for (int i = 1; i < s->nchanges; i++)
        assert_true(s->changes[i - 1].at <= s->changes[i].at);
    assert_int_equal(s->changes[0].kind, SIM_CHANGE_MODEL_ALIAS);
    assert_true(s->changes[0].decoy);
    assert_int_equal(s->changes[0].fingerprint, 1);
    assert_int_equal(s->changes[1].kind, SIM_CHANGE_PROMPT_DEPLOY);
    assert_int_equal(s->changes[1].prompt, mllm_world_prompt(world, "v4"));
    assert_string_equal(s->changes[1].text, "structured answers");
    assert_int_equal(s->changes[3].kind, SIM_CHANGE_TRAFFIC_SHIFT);
    assert_true(s->changes[3].rate_multiplier == 1.5);
    assert_true(s->changes[3].topic[mllm_world_topic(world, "security")] == 2);
    assert_true(s->changes[3].topic[mllm_world_topic(world, "billing")] == 0);
    assert_int_equal(s->changes[4].kind, SIM_CHANGE_CONFIG);
    assert_true(s->changes[4].cache_ttl_s == 300);
    assert_int_equal(s->changes[5].kind, SIM_CHANGE_KB_UPDATE);
    assert_int_equal(s->changes[5].doc, mllm_world_doc(world, "billing-refunds"));
    assert_int_equal(s->changes[5].version, 0);
    assert_true(s->changes[2].cache_ttl_s < 0);

    /* faults sorted by start, parameters mapped */
    assert_int_equal(s->nfaults, 3);
    assert_string_equal(s->faults[0].id, "gap");
    assert_int_equal(s->faults[0].f.topic, mllm_world_topic(world, "security"));
    const mllm_fault *slow = &s->faults[1].f;
    assert_string_equal(s->faults[1].id, "slow");
    assert_true(slow->factor == 6 && slow->ramp == SIM_MIN(2));
    assert_true(slow->end == SIM_MIN(80));
    assert_true(slow->target.fraction == 0.5);
    assert_int_equal(slow->target.region, 1);
    assert_int_equal(slow->target.plan, 0);
    assert_int_equal(slow->target.client, 1);
    assert_int_equal(slow->target.qtype, MLLM_QT_FACTUAL);
    assert_int_equal(slow->target.topic, mllm_world_topic(world, "billing"));
    assert_int_equal(slow->target.prompt, mllm_world_prompt(world, "v2"));
    assert_int_equal(slow->target.model, mllm_world_model(world, "nw-large"));
    assert_true(s->faults[2].f.factor == 1200 && s->faults[2].f.end == MLLM_NEVER);

    assert_int_equal(s->nalerts, 3);
    assert_true(s->alerts[0].window == SIM_SEC(10) && s->alerts[0].severity == 2);
    assert_string_equal(s->alerts[0].description, "P99 above 6 s");
    assert_false(s->alerts[1].above);
    assert_int_equal(s->alerts[0].dim, -1);
    assert_int_equal(s->alerts[2].dim, SIM_DIM_TOPIC);
    assert_int_equal(s->alerts[2].dim_value, mllm_world_topic(world, "integrations"));

    assert_string_equal(s->runbook.flag, "flags/assistant");
    assert_true(s->runbook.needs_approval == (1ull << SIM_ACT_KILL_SWITCH | 1ull << SIM_ACT_ROUTE));
    assert_true(s->runbook.delay[SIM_ACT_ROUTE] == SIM_MIN(3));
    assert_true(s->runbook.delay[SIM_ACT_REINDEX] == SIM_MIN(1));
    assert_true(s->runbook.delay[SIM_ACT_PROMPT] == SIM_MIN(2));
    assert_string_equal(s->runbook.notes,
                        "Page the platform team for provider issues.\nKill switch first.");

    /* "throttle" without an argument accepts any */
    assert_int_equal(s->expected.ncontain, 3);
    assert_int_equal(s->expected.contain[1].kind, SIM_ACT_THROTTLE);
    assert_string_equal(s->expected.contain[1].arg, "");
    assert_true(s->scoring.weight[SIM_PART_DETECT] == 25 && s->scoring.weight[SIM_PART_HARM] == 0);
    assert_true(s->scoring.target[SIM_PART_DIAGNOSE] == SIM_MIN(12));
    assert_true(s->judge_sample == 0.1 && s->judge_noise == 0.2 && s->trace_sample == 0.02);
    sim_scenario_free(s);
}

static void start_day_picks_the_prompt_live_then(void **state)
{
    (void)state;
    mllm_diags d;
    sim_scenario *s = parse_with("1h", "\"start\": \"2026-12-01T00:00:00Z\"", &d);
    assert_non_null(s);
    /* v3 and v4 were both released on 2026-11-30: the later entry wins. */
    assert_int_equal(s->service.controls.prompt, mllm_world_prompt(world, "v4"));
    sim_scenario_free(s);
    s = parse_with("1h", "\"start\": \"2026-06-01T00:00:00Z\"", &d);
    assert_non_null(s);
    assert_int_equal(s->service.controls.prompt, mllm_world_prompt(world, "v1"));
    sim_scenario_free(s);
}

/* ---- the bad corpus ------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void bad_corpus_gives_each_expected_first_diagnostic(void **state)
{
    (void)state;
    DIR *dir = opendir(DATA "/bad");
    assert_non_null(dir);
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            assert_true(n < 256);
            names[n] = strdup(e->d_name);
            assert_non_null(names[n]);
            n++;
        }
    }
    closedir(dir);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    assert_true(n >= 30);
    int failures = 0;
    for (int i = 0; i < n; i++) {
        char path[512], expect_path[512], want[512], got[1024];
        snprintf(path, sizeof path, "%s/bad/%s", DATA, names[i]);
        snprintf(expect_path, sizeof expect_path, "%s/bad/%.*s.expect", DATA,
                 (int)strlen(names[i]) - 5, names[i]);
        FILE *f = fopen(expect_path, "r");
        if (!f) {
            fprintf(stderr, "%s: missing .expect file\n", names[i]);
            failures++;
            continue;
        }
        if (!fgets(want, sizeof want, f))
            want[0] = '\0';
        fclose(f);
        want[strcspn(want, "\n")] = '\0';

        mllm_diags d = {0};
        bool responder = strncmp(names[i], "responder-", 10) == 0;
        void *obj;
        if (responder) {
            sim_responder *r = sim_responder_load(path, world, &d);
            obj = r;
            sim_responder_free(r);
        } else {
            sim_scenario *s = sim_scenario_load(path, world, &d);
            obj = s;
            sim_scenario_free(s);
        }
        if (obj || d.n == 0) {
            fprintf(stderr, "%s: loaded without an error\n", names[i]);
            failures++;
            continue;
        }
        assert_string_equal(d.d[0].file, path);
        snprintf(got, sizeof got, "FILE:%d:%d: %s: %s", d.d[0].line, d.d[0].col, d.d[0].path,
                 d.d[0].msg);
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "%s:\n  want %s\n  got  %s\n", names[i], want, got);
            failures++;
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    assert_int_equal(failures, 0);
}

static void good_corpus_loads_cleanly(void **state)
{
    (void)state;
    sim_scenario *s = load_ok(DATA "/good/full.json");
    mllm_diags d = {0};
    sim_responder *r = sim_responder_load(DATA "/good/responder-full.json", world, &d);
    if (!r)
        mllm_diags_print(&d, stderr);
    assert_non_null(r);
    assert_int_equal(r->nsteps, 8);
    assert_string_equal(r->scenario, "full");
    assert_string_equal(r->steps[0].on_alert, "p99");
    assert_true(r->steps[0].after == SIM_SEC(30));
    assert_int_equal(r->steps[0].action.kind, SIM_ACT_ACK);
    assert_string_equal(r->steps[1].on_alert, "*");
    assert_string_equal(r->steps[2].on_alert, "");
    assert_true(r->steps[2].at == SIM_MIN(65));
    assert_int_equal(r->steps[6].action.kind, SIM_ACT_REINDEX);
    assert_string_equal(r->steps[6].action.arg, "");
    assert_int_equal(sim_responder_check(r, s, &d), 0);
    assert_int_equal(d.n, 0);
    sim_responder_free(r);
    sim_scenario_free(s);
    sim_responder_free(NULL);
    sim_scenario_free(NULL);
}

/* ---- responders against their scenario ----------------------------------------------- */

static void responder_check_reports_dangling_alerts_and_late_steps(void **state)
{
    (void)state;
    sim_scenario *s = load_ok(DATA "/good/full.json");
    static const char text[] =
        "{\"scenario\": \"other\", \"steps\": [\n"
        "  {\"on\": \"alert:p98\", \"do\": \"declare\", \"arg\": \"sev1\"},\n"
        "  {\"at\": \"3h\", \"do\": \"ack\", \"arg\": \"nope\"},\n"
        "  {\"on\": \"alert:*\", \"do\": \"ack\", \"arg\": \"*\"}]}";
    mllm_diags d = {0};
    sim_responder *r = sim_responder_parse("resp.json", text, strlen(text), world, &d);
    assert_non_null(r);
    assert_int_equal(sim_responder_check(r, s, &d), -EINVAL);
    assert_int_equal(d.n, 4);
    assert_string_equal(d.d[0].file, "resp.json");
    assert_int_equal(d.d[0].line, 0);
    assert_string_equal(d.d[0].path, "scenario");
    assert_string_equal(d.d[0].msg,
                        "the responder is written for scenario \"other\", not \"full\"");
    assert_string_equal(d.d[1].path, "steps[0].on");
    assert_string_equal(d.d[1].msg,
                        "unknown alert \"p98\" (did you mean \"p99\"?) in scenario \"full\"");
    assert_string_equal(d.d[2].path, "steps[1].arg");
    assert_string_equal(d.d[3].path, "steps[1].at");
    assert_string_equal(d.d[3].msg, "step at 3h is not before the drill's end (duration 2h)");
    sim_responder_free(r);
    sim_scenario_free(s);
}

/* ---- actions -------------------------------------------------------------------------- */

static void action_parse_accepts_the_documented_arguments(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        sim_action_kind kind;
        const char *arg;
    } good[] = {
        {"kill_switch:on", SIM_ACT_KILL_SWITCH, "on"},
        {"kill_switch:off", SIM_ACT_KILL_SWITCH, "off"},
        {"fallback:unavailable", SIM_ACT_FALLBACK, "unavailable"},
        {"prompt:v2", SIM_ACT_PROMPT, "v2"},
        {"route:backup", SIM_ACT_ROUTE, "backup"},
        {"route:simplified", SIM_ACT_ROUTE, "simplified"},
        {"pin_model:fp_7c1e9a", SIM_ACT_PIN_MODEL, "fp_7c1e9a"},
        {"pin_model:none", SIM_ACT_PIN_MODEL, "none"},
        {"disable_type:structured", SIM_ACT_DISABLE_TYPE, "structured"},
        {"enable_type:smalltalk", SIM_ACT_ENABLE_TYPE, "smalltalk"},
        {"disable_topic:billing", SIM_ACT_DISABLE_TOPIC, "billing"},
        {"enable_topic:mobile_app", SIM_ACT_ENABLE_TOPIC, "mobile_app"},
        {"disclaimer:on", SIM_ACT_DISCLAIMER, "on"},
        {"reindex", SIM_ACT_REINDEX, ""},
        {"restore_snapshot:3", SIM_ACT_RESTORE_SNAPSHOT, "3"},
        {"restore_snapshot:previous", SIM_ACT_RESTORE_SNAPSHOT, "previous"},
        {"throttle:0", SIM_ACT_THROTTLE, "0"},
        {"throttle:12.5", SIM_ACT_THROTTLE, "12.5"},
        {"context_cap:2000", SIM_ACT_CONTEXT_CAP, "2000"},
        {"max_tokens:0", SIM_ACT_MAX_TOKENS, "0"},
        {"backoff:on", SIM_ACT_BACKOFF, "on"},
        {"api_compat:on", SIM_ACT_API_COMPAT, "on"},
        {"parser_compat:off", SIM_ACT_PARSER_COMPAT, "off"},
        {"add_docs:security", SIM_ACT_ADD_DOCS, "security"},
        {"flush_cache", SIM_ACT_FLUSH_CACHE, ""},
        {"ack:error-rate", SIM_ACT_ACK, "error-rate"},
        {"ack:*", SIM_ACT_ACK, "*"},
        {"declare:sev1", SIM_ACT_DECLARE, "sev1"},
        {"diagnose:wrong_consistent/prompt_regression", SIM_ACT_DIAGNOSE,
         "wrong_consistent/prompt_regression"},
        {"note:rolled back: v3 dropped the context rule", SIM_ACT_NOTE,
         "rolled back: v3 dropped the context rule"},
        {"reproduce:1234", SIM_ACT_REPRODUCE, "1234"},
        {"reproduce:last", SIM_ACT_REPRODUCE, "last"},
        {"resolve", SIM_ACT_RESOLVE, ""},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        sim_action_spec a;
        char err[256] = "", buf[160];
        int rc = sim_action_parse(good[i].spec, world, &a, err, sizeof err);
        if (rc != 0)
            fprintf(stderr, "%s: %s\n", good[i].spec, err);
        assert_int_equal(rc, 0);
        assert_int_equal(a.kind, good[i].kind);
        assert_string_equal(a.arg, good[i].arg);
        assert_int_equal(sim_action_check(&a, world, err, sizeof err), 0);
        sim_action_format(&a, buf, sizeof buf);
        assert_string_equal(buf, good[i].spec);
    }
}

static void action_parse_rejects_bad_specs_with_a_reason(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        const char *err;
    } bad[] = {
        {"", "empty action (expected \"kind\" or \"kind:arg\")"},
        {"kil_switch:on", "unknown action \"kil_switch\" (did you mean \"kill_switch\"?)"},
        {"explode", "unknown action \"explode\""},
        {"kill_switch", "kill_switch needs an argument (on|off)"},
        {"kill_switch:", "kill_switch: empty argument after ':'"},
        {"kill_switch:yes", "kill_switch: expected on or off, got \"yes\""},
        {"fallback:cache", "fallback: unknown fallback \"cache\" (did you mean \"cached\"?)"},
        {"prompt:v9", "prompt: unknown prompt version \"v9\" (expected v1, v2, v3 or v4)"},
        {"route:sideways", "route: unknown route \"sideways\" (expected primary, backup or "
                           "simplified)"},
        {"pin_model:bb-2026-07", "pin_model: unknown fingerprint \"bb-2026-07\" for the primary "
                                 "model nw-large (expected fp_7c1e9a or fp_b42d07)"},
        {"disable_type:faq", "disable_type: unknown query type \"faq\" (expected factual, howto, "
                             "troubleshooting, policy, structured or smalltalk)"},
        {"disable_topic:biling", "disable_topic: unknown topic \"biling\" (did you mean "
                                 "\"billing\"?)"},
        {"reindex:now", "reindex takes no argument, got \"now\""},
        {"restore_snapshot:-1", "restore_snapshot: expected a snapshot id (an integer >= 0) or "
                                "previous, got \"-1\""},
        {"throttle:-5", "throttle: expected requests/s, a number in [0, 100000] (0 turns it off), "
                        "got \"-5\""},
        {"throttle:1e3", "throttle: expected requests/s, a number in [0, 100000] (0 turns it "
                         "off), got \"1e3\""},
        {"context_cap:1.5", "context_cap: expected tokens, an integer in [0, 10000000] (0 turns "
                            "it off), got \"1.5\""},
        {"max_tokens:99999999999", "max_tokens: expected tokens, an integer in [0, 10000000] (0 "
                                   "turns it off), got \"99999999999\""},
        {"declare:sev4", "declare: expected sev1, sev2 or sev3, got \"sev4\""},
        {"diagnose:latency", "diagnose: expected symptom/cause, e.g. "
                             "wrong_consistent/prompt_regression, got \"latency\""},
        {"diagnose:slow/provider_slowdown", "diagnose: unknown symptom \"slow\" (expected "
                                            "wrong_consistent, wrong_random, stale, refusals, "
                                            "latency, errors or topic_hallucination)"},
        {"diagnose:latency/kb_gaps", "diagnose: unknown cause \"kb_gaps\" (did you mean "
                                     "\"kb_gap\"?)"},
        {"note", "note needs an argument (free text)"},
        {"reproduce:first", "reproduce: expected a trace id (an integer) or last, got \"first\""},
        {"resolve:now", "resolve takes no argument, got \"now\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sim_action_spec a;
        char err[256] = "";
        assert_int_equal(sim_action_parse(bad[i].spec, world, &a, err, sizeof err), -EINVAL);
        if (strcmp(err, bad[i].err) != 0)
            fprintf(stderr, "%s:\n  want %s\n  got  %s\n", bad[i].spec, bad[i].err, err);
        assert_string_equal(err, bad[i].err);
    }
    /* An argument too long for the spec is refused, not truncated. */
    char longspec[200];
    sim_action_spec a;
    char err[256];
    snprintf(longspec, sizeof longspec, "note:%0120d", 0);
    assert_int_equal(sim_action_parse(longspec, world, &a, err, sizeof err), -EINVAL);
    assert_string_equal(err, "note: argument longer than 95 characters");
}

static void action_check_without_a_world_skips_names(void **state)
{
    (void)state;
    sim_action_spec a = {SIM_ACT_PROMPT, "v99"};
    char err[128];
    assert_int_equal(sim_action_check(&a, NULL, err, sizeof err), 0);
    assert_int_equal(sim_action_check(&a, world, err, sizeof err), -EINVAL);
    sim_action_spec b = {SIM_ACT_ROUTE, "sideways"};
    assert_int_equal(sim_action_check(&b, NULL, err, sizeof err), -EINVAL);
}

/* ---- durations, shares, weights ------------------------------------------------------- */

static void durations_need_units_and_stay_in_range(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        sim_time us; /* 0: rejected */
    } cases[] = {
        {"1m", SIM_MIN(1)},
        {"90m", SIM_MIN(90)},
        {"1h30m", SIM_MIN(90)},
        {"1.5h", SIM_MIN(90)},
        {"2h0m30s", SIM_SEC(7230)},
        {"7d", SIM_SEC(7 * 86400)},
        {"59s", 0},  /* below 1m */
        {"7d1s", 0}, /* above 7d */
        {"400d", 0}, /* above 365d */
        {"60", 0},   /* no unit */
        {"1e3s", 0}, /* exponents are not durations */
        {"0x10m", 0},
        {"10 m", 0},
        {"-5m", 0},
        {"1.m", 0},
        {"", 0},
        {"m", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        mllm_diags d;
        sim_scenario *s = parse_with(cases[i].text, "", &d);
        if (cases[i].us) {
            if (!s)
                mllm_diags_print(&d, stderr);
            assert_non_null(s);
            assert_true(s->duration == cases[i].us);
        } else {
            if (s)
                fprintf(stderr, "\"%s\" was accepted\n", cases[i].text);
            assert_null(s);
            assert_string_equal(d.d[0].path, "duration");
            assert_int_equal(d.d[0].line, 2);
            assert_int_equal(d.d[0].col, 25);
        }
        sim_scenario_free(s);
    }
    /* A bare number is named as such. */
    static const char num[] = "{\"duration\": 90}";
    mllm_diags d = {0};
    assert_null(sim_scenario_parse("n", num, strlen(num), world, &d));
    bool found = false;
    for (int i = 0; i < d.n; i++)
        found |= strcmp(d.d[i].path, "duration") == 0 && strstr(d.d[i].msg, "bare number 90");
    assert_true(found);
}

static void shares_are_normalised_to_sum_one(void **state)
{
    (void)state;
    mllm_diags d;
    sim_scenario *s = parse_with(
        "1h",
        "\"baseline\": {\"traffic\": {\"segments\": {\"region\": {\"eu\": 3, \"apac\": 1},"
        " \"plan\": {\"team\": 0.2, \"business\": 0.2}}, \"query_types\": {\"howto\": 7,"
        " \"policy\": 1, \"structured\": 2}}}",
        &d);
    assert_non_null(s);
    const sim_traffic_spec *t = &s->traffic;
    assert_true(t->region[0] == 0 && t->region[1] == 0.75 && t->region[2] == 0.25);
    assert_true(t->plan[1] == 0.5 && t->plan[2] == 0.5 && t->plan[0] == 0);
    assert_true(fabs(sum(t->client, MLLM_CLIENTS) - 1) < 1e-12); /* default kept */
    assert_true(t->qtype[MLLM_QT_HOWTO] == 0.7 && t->qtype[MLLM_QT_FACTUAL] == 0);
    assert_true(fabs(sum(t->qtype, MLLM_QT_COUNT) - 1) < 1e-12);
    sim_scenario_free(s);

    s = parse_with("1h", "\"baseline\": {\"traffic\": {\"query_types\": {}}}", &d);
    assert_null(s);
    assert_string_equal(d.d[0].path, "baseline.traffic.query_types");
    assert_string_equal(d.d[0].msg, "every query type weighs 0: give at least one a weight > 0");
}

static void weights_are_normalised_to_sum_100(void **state)
{
    (void)state;
    mllm_diags d;
    sim_scenario *s =
        parse_with("1h",
                   "\"scoring\": {\"weights\": {\"detect\": 1, \"contain\": 3, \"diagnose\": 0,"
                   " \"mitigate\": 0, \"harm\": 0, \"postmortem\": 0}}",
                   &d);
    assert_non_null(s);
    assert_true(s->scoring.weight[SIM_PART_DETECT] == 25);
    assert_true(s->scoring.weight[SIM_PART_CONTAIN] == 75);
    assert_true(s->scoring.weight[SIM_PART_POSTMORTEM] == 0);
    sim_scenario_free(s);
    /* Parts not given keep their defaults before normalising: 20+25+20+15+15+5 with
       harm doubled to 30 sums to 115. */
    s = parse_with("1h", "\"scoring\": {\"weights\": {\"harm\": 30}}", &d);
    assert_non_null(s);
    assert_true(fabs(sum(s->scoring.weight, SIM_PART_COUNT) - 100) < 1e-9);
    assert_true(fabs(s->scoring.weight[SIM_PART_HARM] - 3000.0 / 115) < 1e-9);
    sim_scenario_free(s);
}

/* ---- alert and runbook defaults ------------------------------------------------------- */

static void alerts_default_when_absent_and_stay_empty_when_given_empty(void **state)
{
    (void)state;
    mllm_diags d;
    sim_scenario *s = parse_with("1h", "", &d);
    assert_non_null(s);
    assert_int_equal(s->nalerts, 7);
    for (int i = 0; i < s->nalerts; i++) {
        assert_true(s->alerts[i].id[0] && s->alerts[i].description[0]);
        assert_true(s->alerts[i].severity == 1 || s->alerts[i].severity == 2);
    }
    sim_scenario_free(s);
    s = parse_with("1h", "\"alerts\": []", &d);
    assert_non_null(s);
    assert_int_equal(s->nalerts, 0);
    sim_scenario_free(s);
    /* No index-age rule when refreshes are off; a longer period raises its threshold. */
    s = parse_with("1h", "\"baseline\": {\"index\": {\"refresh_every\": \"never\"}}", &d);
    assert_non_null(s);
    assert_int_equal(s->nalerts, 6);
    sim_scenario_free(s);
    s = parse_with("1h", "\"baseline\": {\"index\": {\"refresh_every\": \"1d\"}}", &d);
    assert_non_null(s);
    assert_string_equal(s->alerts[6].id, "index-age");
    assert_true(s->alerts[6].threshold == 2 * 24 * 60);
    sim_scenario_free(s);
}

static void runbook_overrides_keep_the_other_defaults(void **state)
{
    (void)state;
    mllm_diags d;
    sim_scenario *s =
        parse_with("1h",
                   "\"runbook\": {\"delays\": {\"kill_switch\": \"0s\", \"reindex\": \"2m\"},"
                   " \"needs_approval\": [], \"notes\": \"n\"}",
                   &d);
    assert_non_null(s);
    assert_true(s->runbook.delay[SIM_ACT_KILL_SWITCH] == 0);
    assert_true(s->runbook.delay[SIM_ACT_REINDEX] == SIM_MIN(2));
    assert_true(s->runbook.delay[SIM_ACT_ROUTE] == SIM_MIN(1));
    assert_true(s->runbook.needs_approval == 0);
    assert_string_equal(s->runbook.notes, "n");
    sim_scenario_free(s);
    s = parse_with("1h", "\"runbook\": {\"delays\": {\"kil_switch\": \"1m\"}}", &d);
    assert_null(s);
    assert_string_equal(d.d[0].path, "runbook.delays.kil_switch");
    assert_string_equal(d.d[0].msg, "unknown action \"kil_switch\" (did you mean "
                                    "\"kill_switch\"?)");
}

/* ---- error collection and robustness -------------------------------------------------- */

static void several_errors_are_reported_in_one_pass_in_file_order(void **state)
{
    (void)state;
    mllm_diags d;
    sim_scenario *s = parse_with("1h",
                                 "\"judge\": {\"sample\": 2},\n \"traces\": {\"sampel\": 0.1},\n"
                                 " \"scoring\": {\"harm_budget\": 0}",
                                 &d);
    assert_null(s);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.d[0].path, "judge.sample");
    assert_string_equal(d.d[1].path, "traces.sampel");
    assert_string_equal(d.d[1].msg, "unknown field \"sampel\" (did you mean \"sample\"?)");
    assert_string_equal(d.d[2].path, "scoring.harm_budget");
    for (int i = 1; i < d.n; i++)
        assert_true(d.d[i - 1].line < d.d[i].line);
}

static void comments_and_schema_fields_are_ignored(void **state)
{
    (void)state;
    mllm_diags d;
    sim_scenario *s =
        parse_with("1h",
                   "\"$schema\": \"x\", \"x-note\": {\"any\": [1]},"
                   " \"baseline\": {\"x-why\": 1, \"traffic\": {\"topics\": {\"x-c\": \"s\"}}}",
                   &d);
    if (!s)
        mllm_diags_print(&d, stderr);
    assert_non_null(s);
    sim_scenario_free(s);
    s = parse_with("1h", "\"judge\": {\"$schema\": \"x\"}", &d);
    assert_null(s);
    assert_string_equal(d.d[0].path, "judge.$schema");
}

static void long_or_short_unknown_names_get_no_bogus_suggestion(void **state)
{
    (void)state;
    char extra[200];
    mllm_diags d;
    snprintf(extra, sizeof extra, "\"%0100d\": 1", 0);
    assert_null(parse_with("1h", extra, &d));
    assert_null(strstr(d.d[0].msg, "did you mean"));
    sim_action_spec a;
    char err[256];
    assert_int_equal(sim_action_parse("prompt:v7", world, &a, err, sizeof err), -EINVAL);
    assert_null(strstr(err, "did you mean"));
}

static void no_prefix_of_a_valid_file_crashes_the_loader(void **state)
{
    (void)state;
    FILE *f = fopen(DATA "/good/full.json", "rb");
    assert_non_null(f);
    char *text = malloc(1 << 16);
    assert_non_null(text);
    size_t len = fread(text, 1, 1 << 16, f);
    fclose(f);
    assert_true(len > 100 && len < (1 << 16));
    size_t end = len;
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' '))
        end--;
    for (size_t n = 0; n < len; n++) {
        mllm_diags d;
        mllm_diags_clear(&d);
        sim_scenario *s = sim_scenario_parse("prefix", text, n, world, &d);
        if (n < end) {
            assert_null(s);
            assert_true(d.n > 0);
        }
        sim_scenario_free(s);
    }
    /* Every byte replaced by a bracket, a quote or a digit: errors, never crashes. */
    static const char subst[] = "[\"9";
    for (size_t i = 0; i < len; i += 7) {
        char saved = text[i];
        for (int k = 0; subst[k]; k++) {
            mllm_diags d;
            mllm_diags_clear(&d);
            text[i] = subst[k];
            sim_scenario_free(sim_scenario_parse("mutant", text, len, world, &d));
        }
        text[i] = saved;
    }
    free(text);
}

static void name_tables_match_their_enums(void **state)
{
    (void)state;
    int n = 0;
    while (sim_action_names[n])
        n++;
    assert_int_equal(n, SIM_ACT_COUNT);
    assert_string_equal(sim_action_names[SIM_ACT_PIN_MODEL], "pin_model");
    assert_string_equal(sim_action_arg_help[SIM_ACT_REINDEX], "");
    assert_string_equal(sim_symptom_names[SIM_SYMPTOM_TOPIC_HALLUCINATION], "topic_hallucination");
    assert_string_equal(sim_symptom_titles[SIM_SYMPTOM_LATENCY], "latency spike");
    assert_string_equal(sim_metric_names[SIM_M_EMPTY_RETRIEVAL_RATE], "empty_retrieval_rate");
    assert_string_equal(sim_metric_units[SIM_M_LATENCY_P99], "ms");
    assert_string_equal(sim_change_names[SIM_CHANGE_KB_UPDATE], "kb_update");
    assert_string_equal(sim_profile_names[SIM_PROFILE_BURSTS], "bursts");
    assert_string_equal(sim_score_part_names[SIM_PART_POSTMORTEM], "postmortem");
    assert_int_equal(sim_fault_symptom[MLLM_FAULT_PROMPT_REGRESSION], SIM_SYMPTOM_WRONG_CONSISTENT);
    assert_int_equal(sim_fault_symptom[MLLM_FAULT_RETRIEVAL_DEGRADATION], SIM_SYMPTOM_WRONG_RANDOM);
    assert_int_equal(sim_fault_symptom[MLLM_FAULT_STALE_INDEX], SIM_SYMPTOM_STALE);
    assert_int_equal(sim_fault_symptom[MLLM_FAULT_PROMPT_TRIGGER], SIM_SYMPTOM_REFUSALS);
    assert_int_equal(sim_fault_symptom[MLLM_FAULT_CONTEXT_GROWTH], SIM_SYMPTOM_LATENCY);
    assert_int_equal(sim_fault_symptom[MLLM_FAULT_RATE_LIMIT_ERRORS], SIM_SYMPTOM_ERRORS);
    assert_int_equal(sim_fault_symptom[MLLM_FAULT_KB_GAP], SIM_SYMPTOM_TOPIC_HALLUCINATION);
}

static void a_live_fault_object_parses_with_defaults_and_clear_errors(void **state)
{
    (void)state;
    static const char good[] = "{\"kind\": \"rate_limit_errors\", \"duration\": \"5m\",\n"
                               " \"params\": {\"rpm\": 600}, \"target\": {\"fraction\": 0.5}}";
    sim_scen_fault f;
    mllm_diags d;
    mllm_diags_clear(&d);
    assert_int_equal(sim_fault_from_json("<body>", good, sizeof good - 1, world, SIM_MIN(60), &f,
                                         &d),
                     0);
    assert_string_equal(f.id, "live");
    assert_int_equal(f.f.kind, MLLM_FAULT_RATE_LIMIT_ERRORS);
    assert_true(f.f.factor == 600 && f.f.start == 0 && f.f.end == SIM_MIN(5));
    assert_true(f.f.target.fraction == 0.5);
    static const char bad[] = "{\"kind\": \"rate_limit_errors\",\n \"params\": {\"rpm\": -3}}";
    mllm_diags_clear(&d);
    assert_true(sim_fault_from_json("<body>", bad, sizeof bad - 1, world, SIM_MIN(60), &f, &d) < 0);
    assert_true(d.n >= 1);
    assert_int_equal(d.d[0].line, 2);
    assert_string_equal(d.d[0].path, "params.rpm");
    mllm_diags_clear(&d);
    assert_true(sim_fault_from_json("<body>", "[1,", 3, world, SIM_MIN(60), &f, &d) < 0);
    assert_true(d.n >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_scenario_loads_with_defaults_filled),
        cmocka_unit_test(full_scenario_reads_every_field),
        cmocka_unit_test(start_day_picks_the_prompt_live_then),
        cmocka_unit_test(bad_corpus_gives_each_expected_first_diagnostic),
        cmocka_unit_test(good_corpus_loads_cleanly),
        cmocka_unit_test(responder_check_reports_dangling_alerts_and_late_steps),
        cmocka_unit_test(action_parse_accepts_the_documented_arguments),
        cmocka_unit_test(action_parse_rejects_bad_specs_with_a_reason),
        cmocka_unit_test(action_check_without_a_world_skips_names),
        cmocka_unit_test(durations_need_units_and_stay_in_range),
        cmocka_unit_test(shares_are_normalised_to_sum_one),
        cmocka_unit_test(weights_are_normalised_to_sum_100),
        cmocka_unit_test(alerts_default_when_absent_and_stay_empty_when_given_empty),
        cmocka_unit_test(runbook_overrides_keep_the_other_defaults),
        cmocka_unit_test(several_errors_are_reported_in_one_pass_in_file_order),
        cmocka_unit_test(comments_and_schema_fields_are_ignored),
        cmocka_unit_test(long_or_short_unknown_names_get_no_bogus_suggestion),
        cmocka_unit_test(no_prefix_of_a_valid_file_crashes_the_loader),
        cmocka_unit_test(name_tables_match_their_enums),
        cmocka_unit_test(a_live_fault_object_parses_with_defaults_and_clear_errors),
    };
    return cmocka_run_group_tests(tests, load_world, free_world);
}
