/* test_sim_drill.c - the engine end to end on the default scenario:
 * determinism, replay of live actions, independence of traffic from actions,
 * untreated vs responded drills, and the pacer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim_drill.h"

static mllm_world *W;
static sim_scenario *S;
static sim_responder *R;

static sim_drill *new_drill(const sim_responder *r, const char *log)
{
    char err[256];
    sim_drill_opts o = {.responder = r, .log_path = log};
    sim_drill *d = sim_drill_new(S, W, &o, err, sizeof err);
    if (!d)
        fail_msg("%s", err);
    return d;
}

/* The log digest of the drill run to its end with nobody acting. */
static void untreated_digest(char hex[65])
{
    sim_drill *d = new_drill(NULL, NULL);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, hex);
    sim_drill_free(d);
}

static void act(sim_drill *d, const char *spec)
{
    sim_action_spec a;
    char err[160];
    assert_int_equal(sim_action_parse(spec, W, &a, err, sizeof err), 0);
    assert_true(sim_drill_act(d, &a, "trainee", err, sizeof err) > 0);
}

static void act_at(sim_drill *d, sim_time t, const char *spec)
{
    sim_action_spec a;
    char err[160];
    assert_int_equal(sim_action_parse(spec, W, &a, err, sizeof err), 0);
    assert_true(sim_drill_act_at(d, t, &a, "trainee", err, sizeof err) > 0);
}

static void same_scenario_seed_and_actions_give_identical_logs(void **state)
{
    (void)state;
    char a[65], b[65];
    const char *pa = FIREDRILL_BUILD_DIR "/test_drill_a.jsonl";
    const char *pb = FIREDRILL_BUILD_DIR "/test_drill_b.jsonl";
    sim_drill *d = new_drill(R, pa);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, a);
    sim_drill_free(d);
    d = new_drill(R, pb);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, b);
    sim_drill_free(d);
    assert_string_equal(a, b);
    FILE *fa = fopen(pa, "rb"), *fb = fopen(pb, "rb");
    assert_non_null(fa);
    assert_non_null(fb);
    int ca, cb;
    long n = 0;
    do {
        ca = fgetc(fa);
        cb = fgetc(fb);
        assert_int_equal(ca, cb);
        n++;
    } while (ca != EOF);
    assert_true(n > 10000);
    fclose(fa);
    fclose(fb);
}

static void a_different_seed_gives_a_different_log(void **state)
{
    (void)state;
    char a[65], b[65];
    sim_drill *d = new_drill(NULL, NULL);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, a);
    sim_drill_free(d);
    uint64_t seed = S->seed;
    S->seed = S->service.seed = seed + 1;
    d = new_drill(NULL, NULL);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, b);
    sim_drill_free(d);
    S->seed = S->service.seed = seed;
    assert_string_not_equal(a, b);
}

static void live_actions_replayed_at_their_times_give_the_same_log(void **state)
{
    (void)state;
    char live[65], replay[65];
    sim_drill *d = new_drill(NULL, NULL);
    sim_drill_run_until(d, SIM_MIN(10) + SIM_MS(1234));
    act(d, "kill_switch:on");
    sim_time t1 = sim_drill_now(d);
    sim_drill_run_until(d, SIM_MIN(14));
    act(d, "prompt:v2");
    sim_time t2 = sim_drill_now(d);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, live);
    sim_drill_free(d);

    d = new_drill(NULL, NULL);
    act_at(d, t1, "kill_switch:on");
    act_at(d, t2, "prompt:v2");
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, replay);
    sim_drill_free(d);
    assert_string_equal(live, replay);
}

/* A person's post-mortem (the GUI) is logged where it was credited, during
 * the drill or after its end, and a replay credits it at the same place: the
 * same log and the same credit. */
static void recorded_postmortems_replay_during_and_after_the_drill(void **state)
{
    (void)state;
    char live[65], replay[65], unrecorded[65];
    sim_drill *d = new_drill(NULL, NULL);
    sim_drill_run_until(d, SIM_MIN(20) + SIM_MS(7));
    sim_time t1 = sim_drill_now(d);
    sim_drill_postmortem_record(d, true, false);
    sim_drill_run(d, NULL, NULL);
    assert_true(sim_drill_finished(d));
    sim_drill_postmortem_record(d, true, true);
    sim_result r;
    sim_drill_result(d, &r);
    assert_true(r.postmortem_done && r.postmortem_eval_ok);
    sim_drill_log_digest(d, live);
    sim_drill_free(d);

    d = new_drill(NULL, NULL);
    assert_int_equal(sim_drill_postmortem_at(d, t1, true, false), 0);
    sim_drill_run(d, NULL, NULL);
    assert_int_equal(sim_drill_postmortem_at(d, SIM_MIN(1), true, true), -EINVAL); /* past */
    assert_int_equal(sim_drill_postmortem_at(d, sim_drill_now(d), true, true), 0);
    sim_drill_result(d, &r);
    assert_true(r.postmortem_done && r.postmortem_eval_ok);
    sim_drill_log_digest(d, replay);
    sim_drill_free(d);
    assert_string_equal(live, replay);

    /* Unrecorded credit (a scripted responder's) leaves the log alone. */
    d = new_drill(NULL, NULL);
    sim_drill_run(d, NULL, NULL);
    sim_drill_postmortem(d, true, true);
    sim_drill_log_digest(d, unrecorded);
    sim_drill_free(d);
    assert_string_not_equal(live, unrecorded);
    untreated_digest(replay);
    assert_string_equal(unrecorded, replay);
}

/* Requests served outside the traffic (HTTP) at the times the clock reached,
 * several at one time, then the same requests scheduled with
 * sim_drill_serve_at: the same log. Serving them changes the drill (they are
 * counted), and a dry run changes nothing. */
static void served_requests_replay_at_their_times(void **state)
{
    (void)state;
    static const char *const texts[] = {"How do I reset my password?",
                                        "which plans have \"SSO\"?\tcaf\xc3\xa9", NULL};
    enum { N = 9 };
    mllm_request sent[N];
    sim_time at[N];
    char live[65], replay[65], none[65];
    /* A drill with a log file logs what it serves; a replay logs it too. */
    sim_drill *d = new_drill(NULL, FIREDRILL_BUILD_DIR "/test_drill_served.jsonl");
    for (int i = 0; i < N; i++) {
        if (i % 3 == 0)
            sim_drill_run_until(d, SIM_MIN(2 + i) + SIM_MS(321));
        mllm_request req;
        memset(&req, 0, sizeof req);
        req.text = i % 3 == 2 ? W->queries[i].first_text : -1;
        req.free_text = req.text < 0 ? texts[i % 2] : NULL;
        req.region = i % 3;
        req.plan = i % 4;
        req.turn = i % 2;
        req.history_tokens = 40 * i;
        req.structured = i == 4;
        mllm_response r;
        sim_drill_serve(d, &req, &r);
        assert_true(r.status >= 200);
        assert_true(req.id != 0);
        sent[i] = req;
        at[i] = req.t;
        if (i % 3)
            assert_true(at[i] == at[i - 1]); /* served at the same time */
        /* A dry run at the same moment is neither logged nor counted. */
        mllm_request dry = req;
        dry.id = 0;
        dry.dry_run = true;
        sim_drill_serve(d, &dry, &r);
    }
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, live);
    /* After the end a request is answered, but no longer part of the drill. */
    mllm_request late = sent[0];
    late.id = 0;
    mllm_response lr;
    sim_result before, after;
    sim_drill_result(d, &before);
    sim_drill_serve(d, &late, &lr);
    assert_true(lr.status >= 200);
    sim_drill_result(d, &after);
    char end_digest[65];
    sim_drill_log_digest(d, end_digest);
    assert_string_equal(live, end_digest);
    assert_true(before.requests == after.requests);
    sim_drill_free(d);

    d = new_drill(NULL, NULL);
    for (int i = 0; i < N; i++)
        assert_int_equal(sim_drill_serve_at(d, at[i], &sent[i]), 0);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, replay);
    assert_true(sim_drill_serve_at(d, 0, &sent[0]) < 0); /* in the past */
    sim_drill_free(d);
    assert_string_equal(live, replay);

    untreated_digest(none);
    assert_string_not_equal(live, none);
}

static mllm_fault live_fault(void)
{
    mllm_fault f;
    memset(&f, 0, sizeof f);
    f.kind = MLLM_FAULT_PROVIDER_SLOWDOWN;
    mllm_target_any(&f.target);
    f.target.fraction = 0.5;
    f.factor = 6;
    f.end = SIM_MIN(8);
    f.prompt = f.fingerprint = f.topic = -1;
    return f;
}

static void trainer_operations_replay_from_the_log(void **state)
{
    (void)state;
    const char *logp = FIREDRILL_BUILD_DIR "/test_drill_trainer.jsonl";
    char err[256], live[65];
    sim_drill_opts o = {.log_path = logp,
                        .scenario_path = FIREDRILL_DATA_DIR "/scenarios/friendly-prompt.json"};
    sim_drill *d = sim_drill_new(S, W, &o, err, sizeof err);
    assert_non_null(d);
    sim_drill_run_until(d, SIM_MIN(3) + SIM_MS(77));
    mllm_fault f = live_fault();
    int fi = sim_drill_inject(d, &f, "trainer-slow");
    assert_true(fi >= 1); /* the scenario's own fault is 0 */
    assert_true(mllm_service_fault_active(sim_drill_service(d), fi, sim_drill_now(d) + SIM_SEC(1)));
    sim_drill_run_until(d, SIM_MIN(5));
    assert_int_equal(sim_drill_decoy(d, "feature flag search.v2 at 50%"), 0);
    sim_drill_run_until(d, SIM_MIN(6));
    assert_int_equal(sim_drill_clear_fault(d, fi), 0);
    assert_false(mllm_service_fault_active(sim_drill_service(d), fi, sim_drill_now(d) + 1));
    assert_true(sim_drill_clear_fault(d, 99) < 0);
    sim_drill_run(d, NULL, NULL);
    sim_drill_log_digest(d, live);
    sim_drill_free(d);
    /* The command line reads the log back and must rebuild it byte for byte. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "FIREDRILL_DATA_DIR=%s %s/firedrill replay %s > /dev/null",
             FIREDRILL_DATA_DIR, FIREDRILL_BUILD_DIR, logp);
    assert_int_equal(system(cmd), 0);
}

static void trainee_levers_never_change_the_traffic(void **state)
{
    (void)state;
    sim_drill *a = new_drill(NULL, NULL), *b = new_drill(NULL, NULL);
    act_at(b, SIM_MIN(2), "kill_switch:on");
    act_at(b, SIM_MIN(3), "route:backup");
    act_at(b, SIM_MIN(4), "throttle:5");
    sim_drill_run(a, NULL, NULL);
    sim_drill_run(b, NULL, NULL);
    const sim_metrics *ma = sim_drill_metrics(a), *mb = sim_drill_metrics(b);
    assert_true(ma->total_requests == mb->total_requests);
    for (sim_time t = 0; t < SIM_MIN(45); t += SIM_MIN(1)) {
        const sim_bucket *ba = sim_metrics_bucket(ma, t, true), *bb = sim_metrics_bucket(mb, t, true);
        assert_non_null(ba);
        assert_non_null(bb);
        assert_int_equal(ba->requests, bb->requests);
    }
    sim_drill_free(a);
    sim_drill_free(b);
}

static void untreated_drill_shows_the_symptom_and_the_responder_contains_it(void **state)
{
    (void)state;
    sim_result r0, r1;
    sim_drill *d = new_drill(NULL, NULL);
    sim_drill_run(d, NULL, NULL);
    sim_drill_result(d, &r0);
    sim_drill_free(d);
    d = new_drill(R, NULL);
    sim_drill_run(d, NULL, NULL);
    sim_drill_result(d, &r1);
    sim_drill_free(d);
    assert_true(r0.symptom_appeared);
    assert_false(r0.contained);
    assert_true(r0.score.detect_s < 0);
    assert_true(r1.contained);
    assert_true(r1.symptom_correct && r1.cause_correct);
    assert_true(r1.score.detect_s > 0 && r1.score.mitigate_s > r1.score.detect_s);
    assert_true(r1.fault_harm < r0.fault_harm / 2);
    assert_true(r1.score.total > r0.score.total + 40);
    assert_true(r0.score.total >= 0 && r1.score.total <= 100);
}

static void drill_stopped_before_its_incident_earns_no_response_points(void **state)
{
    (void)state;
    assert_true(S->nfaults > 0 && S->faults[0].f.start > SIM_MIN(2));
    sim_drill *d = new_drill(NULL, NULL);
    sim_drill_run_until(d, S->faults[0].f.start / 2);
    sim_drill_mark_stopped(d);
    sim_result r;
    sim_drill_result(d, &r);
    assert_true(r.incident_ahead);
    assert_false(r.symptom_appeared);
    for (int p = SIM_PART_DETECT; p <= SIM_PART_MITIGATE; p++)
        assert_true(r.score.part[p] == 0.0);
    assert_true(r.score.part[SIM_PART_HARM] == 1.0);
    /* Once its fault has done harm, the drill is scored as usual. */
    sim_drill_run(d, NULL, NULL);
    sim_drill_result(d, &r);
    assert_false(r.incident_ahead);
    assert_true(r.symptom_appeared);
    sim_drill_free(d);

    /* Its fault begun (ramping up) but no one harmed yet: still ahead. */
    d = new_drill(NULL, NULL);
    sim_drill_run_until(d, S->faults[0].f.start + SIM_SEC(1));
    sim_drill_result(d, &r);
    assert_false(r.symptom_appeared);
    assert_true(r.incident_ahead);
    assert_true(r.score.part[SIM_PART_DETECT] == 0.0);
    sim_drill_free(d);

    /* The trainer cleared the fault before it began: a quiet drill, full
     * marks; then a fault injected live for later: ahead again. */
    d = new_drill(NULL, NULL);
    sim_drill_run_until(d, SIM_MIN(1));
    assert_int_equal(sim_drill_clear_fault(d, 0), 0);
    sim_drill_run_until(d, SIM_MIN(2));
    sim_drill_result(d, &r);
    assert_false(r.incident_ahead);
    assert_true(r.score.part[SIM_PART_DETECT] == 1.0);
    mllm_fault f = S->faults[0].f;
    f.start = SIM_MIN(10);
    assert_true(sim_drill_inject_at(d, SIM_MIN(10), &f, "later") >= 0);
    sim_drill_result(d, &r);
    assert_true(r.incident_ahead);
    assert_true(r.score.part[SIM_PART_DETECT] == 0.0);
    sim_drill_free(d);
}

static void kill_switch_waits_for_approval_then_applies(void **state)
{
    (void)state;
    sim_drill *d = new_drill(NULL, NULL);
    sim_drill_run_until(d, SIM_MIN(9));
    act(d, "kill_switch:on");
    const sim_action_rec *h;
    int n = sim_drill_history(d, &h);
    assert_int_equal(n, 1);
    assert_true(h[0].needs_approval);
    assert_true(h[0].effective == SIM_TIME_NEVER);
    assert_false(mllm_service_controls(sim_drill_service(d))->kill_switch);
    sim_drill_run_until(d, SIM_MIN(9) + S->runbook.approval_takes +
                               S->runbook.delay[SIM_ACT_KILL_SWITCH] + SIM_SEC(1));
    assert_true(mllm_service_controls(sim_drill_service(d))->kill_switch);
    sim_drill_free(d);
}

static void bad_actions_are_refused_with_a_message(void **state)
{
    (void)state;
    sim_drill *d = new_drill(NULL, NULL);
    sim_action_spec a = {.kind = SIM_ACT_PROMPT};
    snprintf(a.arg, sizeof a.arg, "v99");
    char err[160] = "";
    assert_true(sim_drill_act(d, &a, "trainee", err, sizeof err) < 0);
    assert_true(strlen(err) > 0);
    sim_drill_free(d);
}

static void pacer_follows_the_wall_clock_with_speed_and_pause(void **state)
{
    (void)state;
    sim_pacer p;
    sim_pacer_init(&p, 10, 1000000000ull, 0);
    assert_true(sim_pacer_target(&p, 2000000000ull) == SIM_SEC(10));
    sim_pacer_pause(&p, true, 2000000000ull);
    assert_true(sim_pacer_target(&p, 5000000000ull) == SIM_SEC(10));
    sim_pacer_pause(&p, false, 5000000000ull);
    assert_true(sim_pacer_target(&p, 6000000000ull) == SIM_SEC(20));
    sim_pacer_set_speed(&p, 60, 6000000000ull);
    assert_true(sim_pacer_target(&p, 7000000000ull) == SIM_SEC(80));
}

static int setup(void **state)
{
    (void)state;
    mllm_diags d;
    mllm_diags_clear(&d);
    W = mllm_world_load(FIREDRILL_DATA_DIR "/assets", &d);
    if (W)
        S = sim_scenario_load(FIREDRILL_DATA_DIR "/scenarios/friendly-prompt.json", W, &d);
    if (S)
        R = sim_responder_load(FIREDRILL_DATA_DIR "/scenarios/responders/friendly-prompt.json", W,
                               &d);
    if (!R)
        mllm_diags_print(&d, stderr);
    return R ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_responder_free(R);
    sim_scenario_free(S);
    mllm_world_free(W);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_scenario_seed_and_actions_give_identical_logs),
        cmocka_unit_test(a_different_seed_gives_a_different_log),
        cmocka_unit_test(live_actions_replayed_at_their_times_give_the_same_log),
        cmocka_unit_test(served_requests_replay_at_their_times),
        cmocka_unit_test(trainee_levers_never_change_the_traffic),
        cmocka_unit_test(trainer_operations_replay_from_the_log),
        cmocka_unit_test(untreated_drill_shows_the_symptom_and_the_responder_contains_it),
        cmocka_unit_test(drill_stopped_before_its_incident_earns_no_response_points),
        cmocka_unit_test(recorded_postmortems_replay_during_and_after_the_drill),
        cmocka_unit_test(kill_switch_waits_for_approval_then_applies),
        cmocka_unit_test(bad_actions_are_refused_with_a_message),
        cmocka_unit_test(pacer_follows_the_wall_clock_with_speed_and_pause),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
