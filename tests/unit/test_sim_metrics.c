/* test_sim_metrics.c - monitoring buckets, breakdowns, the judge and alerts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim_alerts.h"
#include "sim_metrics.h"

static mllm_world *W;

static void record_n(sim_metrics *m, sim_time from, int n, double per_s, int status,
                     uint32_t latency_us, double cost, int region)
{
    for (int i = 0; i < n; i++) {
        mllm_request req = {.id = (uint64_t)i + 1, .t = from + (sim_time)(i * 1e6 / per_s),
                            .region = region};
        mllm_response r;
        memset(&r, 0, sizeof r);
        r.status = status;
        r.latency_us = r.ttft_us = latency_us;
        r.cost = cost;
        r.label = status == 200 ? MLLM_LABEL_CORRECT : MLLM_LABEL_ERROR;
        r.model = r.prompt = r.topic = -1;
        r.snapshot = -1;
        sim_metrics_record(m, req.t, &req, &r, -1);
    }
}

static void values_come_from_the_closed_window(void **state)
{
    (void)state;
    sim_metrics *m = calloc(1, sizeof *m);
    sim_metrics_init(m, W);
    record_n(m, 0, 600, 10, 200, 2000000, 0.01, 0); /* one minute at 10/s, 2 s each */
    record_n(m, SIM_MIN(1), 300, 10, 500, 100000, 0.0, 1);
    record_n(m, SIM_MIN(1) + SIM_SEC(30), 300, 10, 200, 100000, 0.0, 1);
    double rate = sim_metrics_value(m, SIM_M_REQUEST_RATE, SIM_MIN(1), SIM_MIN(1));
    assert_true(fabs(rate - 10) < 0.5);
    double p50 = sim_metrics_value(m, SIM_M_LATENCY_P50, SIM_MIN(1), SIM_MIN(1));
    assert_true(p50 > 1900 && p50 < 2100);
    double err = sim_metrics_value(m, SIM_M_ERROR_RATE, SIM_MIN(2), SIM_MIN(1));
    assert_true(err > 0.45 && err < 0.55);
    double err10 = sim_metrics_value(m, SIM_M_ERROR_RATE, SIM_MIN(1) + SIM_SEC(10), SIM_SEC(10));
    assert_true(err10 == 1.0);
    assert_true(isnan(sim_metrics_value(m, SIM_M_QUALITY, SIM_MIN(1), SIM_MIN(1))));
    double cpm = sim_metrics_value(m, SIM_M_COST_PER_MIN, SIM_MIN(1), SIM_MIN(1));
    assert_true(fabs(cpm - 6.0) < 0.2);
    free(m);
}

static void breakdown_shows_which_segment_is_affected(void **state)
{
    (void)state;
    sim_metrics *m = calloc(1, sizeof *m);
    sim_metrics_init(m, W);
    record_n(m, 0, 300, 10, 200, 1000, 0, 0);
    record_n(m, 0, 100, 10, 500, 1000, 0, 1);
    uint32_t counts[8][SIM_BD_COUNT];
    int nv = sim_metrics_breakdown(m, SIM_DIM_REGION, SIM_MIN(1), 1, counts, 8);
    assert_int_equal(nv, MLLM_REGIONS);
    assert_int_equal(counts[0][SIM_BD_REQUESTS], 300);
    assert_int_equal(counts[0][SIM_BD_ERRORS], 0);
    assert_int_equal(counts[1][SIM_BD_ERRORS], 100);
    char buf[64];
    assert_string_equal(sim_dim_value_name(m, SIM_DIM_REGION, 1, buf, sizeof buf), "eu");
    free(m);
}

static void rings_keep_memory_bounded_over_days(void **state)
{
    (void)state;
    sim_metrics *m = calloc(1, sizeof *m);
    sim_metrics_init(m, W);
    /* Two days, one request a minute: old buckets are reused, never grown. */
    for (sim_time t = 0; t < SIM_MIN(2 * 1440); t += SIM_MIN(1)) {
        record_n(m, t, 1, 1, 200, 1000, 0, 0);
        sim_metrics_roll(m, t, 0);
    }
    assert_null(sim_metrics_bucket(m, SIM_MIN(10), true));
    assert_non_null(sim_metrics_bucket(m, SIM_MIN(2 * 1440 - 10), true));
    assert_true(m->total_requests == 2 * 1440);
    free(m);
}

static void cost_anomaly_compares_with_the_half_hour_before(void **state)
{
    (void)state;
    sim_metrics *m = calloc(1, sizeof *m);
    sim_metrics_init(m, W);
    record_n(m, 0, 2400, 1, 200, 1000, 0.01, 0);          /* 40 min at $0.60/min */
    record_n(m, SIM_MIN(40), 600, 10, 200, 1000, 0.003, 0); /* then $1.80/min */
    double a = sim_metrics_value(m, SIM_M_COST_ANOMALY, SIM_MIN(41), SIM_MIN(1));
    assert_true(a > 2.8 && a < 3.2);
    double b = sim_metrics_value(m, SIM_M_COST_ANOMALY, SIM_MIN(30), SIM_MIN(1));
    assert_true(b > 0.9 && b < 1.1);
    free(m);
}

static void judge_is_sampled_noisy_and_deterministic(void **state)
{
    (void)state;
    mllm_response good, bad;
    memset(&good, 0, sizeof good);
    memset(&bad, 0, sizeof bad);
    good.status = bad.status = 200;
    good.label = MLLM_LABEL_CORRECT;
    bad.label = MLLM_LABEL_WRONG;
    int sampled = 0;
    double sg = 0, sb = 0;
    for (uint64_t id = 1; id <= 20000; id++) {
        double g = sim_judge(9, id, &good, 0.05, 0.12);
        double b = sim_judge(9, id, &bad, 0.05, 0.12);
        assert_true((g < 0) == (b < 0));
        assert_true(g == sim_judge(9, id, &good, 0.05, 0.12));
        if (g >= 0) {
            sampled++;
            sg += g;
            sb += b;
        }
    }
    assert_true(sampled > 800 && sampled < 1200);
    assert_true(sg / sampled > 0.8 && sb / sampled < 0.35);
}

static int fired, resolved;
static void on_alert(void *ctx, sim_time t, int index, const sim_alert *a, bool firing)
{
    (void)ctx;
    (void)t;
    (void)index;
    (void)a;
    if (firing)
        fired++;
    else
        resolved++;
}

static void alert_fires_after_its_for_duration_and_resolves(void **state)
{
    (void)state;
    sim_metrics *m = calloc(1, sizeof *m);
    sim_metrics_init(m, W);
    sim_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.nalerts = 1;
    snprintf(sc.alerts[0].id, sizeof sc.alerts[0].id, "errors");
    sc.alerts[0].metric = SIM_M_ERROR_RATE;
    sc.alerts[0].above = true;
    sc.alerts[0].threshold = 0.05;
    sc.alerts[0].for_ = SIM_MIN(1);
    sc.alerts[0].window = SIM_MIN(1);
    sc.alerts[0].dim = -1;
    sim_alerts al;
    fired = resolved = 0;
    sim_alerts_init(&al, &sc, on_alert, NULL);
    record_n(m, 0, 1200, 10, 200, 1000, 0, 0);
    record_n(m, SIM_MIN(2), 1200, 10, 500, 1000, 0, 0);
    record_n(m, SIM_MIN(4), 1800, 10, 200, 1000, 0, 0);
    sim_time fired_at = SIM_TIME_NEVER;
    for (sim_time t = SIM_SEC(10); t <= SIM_MIN(7); t += SIM_SEC(10)) {
        sim_alerts_eval(&al, m, t);
        if (fired && fired_at == SIM_TIME_NEVER)
            fired_at = t;
    }
    assert_int_equal(fired, 1);
    assert_int_equal(resolved, 1);
    assert_true(fired_at >= SIM_MIN(3) && fired_at <= SIM_MIN(3) + SIM_SEC(30));
    assert_int_equal(sim_alerts_ack(&al, "*", SIM_MIN(7)), 0); /* nothing firing now */
    free(m);
}

static void filtered_alert_watches_one_slice_of_traffic(void **state)
{
    (void)state;
    sim_metrics *m = calloc(1, sizeof *m);
    sim_metrics_init(m, W);
    sim_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.nalerts = 2;
    for (int i = 0; i < 2; i++) {
        snprintf(sc.alerts[i].id, sizeof sc.alerts[i].id, "errors-%d", i);
        sc.alerts[i].metric = SIM_M_ERROR_RATE;
        sc.alerts[i].above = true;
        sc.alerts[i].threshold = 0.2;
        sc.alerts[i].window = SIM_MIN(1);
        sc.alerts[i].dim = -1;
    }
    sc.alerts[1].dim = SIM_DIM_REGION;
    sc.alerts[1].dim_value = sim_dim_value_index(m, SIM_DIM_REGION, "eu");
    assert_int_equal(sc.alerts[1].dim_value, 1);
    sim_alerts al;
    fired = resolved = 0;
    sim_alerts_init(&al, &sc, on_alert, NULL);
    /* us fine, eu failing: 10% of all traffic errors, half of eu's. */
    record_n(m, 0, 1800, 10, 200, 1000, 0, 0);
    record_n(m, 0, 200, 10 / 3.0, 500, 1000, 0, 1);
    record_n(m, SIM_SEC(1), 200, 10 / 3.0, 200, 1000, 0, 1);
    for (sim_time t = SIM_SEC(10); t <= SIM_MIN(1) + SIM_SEC(10); t += SIM_SEC(10))
        sim_alerts_eval(&al, m, t);
    assert_int_equal(al.a[0].state, SIM_ALERT_OK);
    assert_int_equal(al.a[1].state, SIM_ALERT_FIRING);
    double v = sim_metrics_slice_value(m, SIM_M_ERROR_RATE, SIM_DIM_REGION, 1, SIM_MIN(1), 1);
    assert_true(v > 0.4 && v < 0.6);
    assert_true(isnan(sim_metrics_slice_value(m, SIM_M_LATENCY_P99, SIM_DIM_REGION, 1,
                                              SIM_MIN(1), 1)));
    free(m);
}

static int setup(void **state)
{
    (void)state;
    mllm_diags d;
    mllm_diags_clear(&d);
    W = mllm_world_load(FIREDRILL_DATA_DIR "/assets", &d);
    return W ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mllm_world_free(W);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_come_from_the_closed_window),
        cmocka_unit_test(breakdown_shows_which_segment_is_affected),
        cmocka_unit_test(rings_keep_memory_bounded_over_days),
        cmocka_unit_test(cost_anomaly_compares_with_the_half_hour_before),
        cmocka_unit_test(judge_is_sampled_noisy_and_deterministic),
        cmocka_unit_test(alert_fires_after_its_for_duration_and_resolves),
        cmocka_unit_test(filtered_alert_watches_one_slice_of_traffic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
