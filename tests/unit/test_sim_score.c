/* test_sim_score.c - response times and the bounded 0..100 score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "sim_score.h"

#define SLOTS 270 /* 45 minutes of 10 s slots */

static double harm[SLOTS];
static uint8_t blunt[SLOTS];

static sim_scoring cfg(void)
{
    sim_scoring c;
    memset(&c, 0, sizeof c);
    c.target[SIM_PART_DETECT] = SIM_MIN(5);
    c.target[SIM_PART_CONTAIN] = SIM_MIN(10);
    c.target[SIM_PART_DIAGNOSE] = SIM_MIN(15);
    c.target[SIM_PART_MITIGATE] = SIM_MIN(30);
    double w[SIM_PART_COUNT] = {20, 25, 20, 15, 15, 5};
    memcpy(c.weight, w, sizeof w);
    c.harm_threshold_per_min = 1.0;
    c.harm_budget = 10;
    return c;
}

/* Harm of `per_slot` from slot a to slot b (exclusive). */
static void harm_between(size_t a, size_t b, double per_slot)
{
    for (size_t i = a; i < b && i < SLOTS; i++)
        harm[i] = per_slot;
}

static sim_score_in base_in(const sim_scoring *c)
{
    memset(harm, 0, sizeof harm);
    memset(blunt, 0, sizeof blunt);
    sim_score_in in;
    memset(&in, 0, sizeof in);
    in.cfg = c;
    in.duration = SIM_MIN(45);
    in.onset = SIM_MIN(8);
    in.detect = in.diagnose = in.first_lever = in.fix_effect = in.resolve = SIM_TIME_NEVER;
    in.fault_harm = harm;
    in.blunt = blunt;
    in.n = SLOTS;
    in.mean_rate = 20;
    return in;
}

static void time_score_is_full_under_target_and_falls_to_zero_at_four_times(void **state)
{
    (void)state;
    assert_true(sim_score_time(SIM_MIN(3), true, SIM_MIN(5)) == 1.0);
    assert_true(sim_score_time(SIM_MIN(5), true, SIM_MIN(5)) == 1.0);
    double mid = sim_score_time(SIM_MIN(11), true, SIM_MIN(5)) - 0.6;
    assert_true(mid > -1e-9 && mid < 1e-9);
    assert_true(sim_score_time(SIM_MIN(20), true, SIM_MIN(5)) == 0.0);
    assert_true(sim_score_time(SIM_MIN(90), true, SIM_MIN(5)) == 0.0);
    assert_true(sim_score_time(0, false, SIM_MIN(5)) == 0.0);
}

static void untreated_incident_scores_low_and_reaches_nothing(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    sim_score_in in = base_in(&c);
    harm_between(48, SLOTS, 100);
    in.harm = 100.0 * (SLOTS - 48);
    sim_score_out o;
    sim_score_compute(&in, &o);
    assert_true(o.detect_s < 0 && o.contain_s < 0 && o.diagnose_s < 0 && o.mitigate_s < 0);
    assert_true(o.contain == SIM_TIME_NEVER && o.mitigate == SIM_TIME_NEVER);
    assert_true(o.total < 5);
}

static void quick_response_is_timed_from_onset_and_scores_high(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    sim_score_in in = base_in(&c);
    harm_between(48, 78, 100); /* harm stops at 13m */
    in.detect = SIM_MIN(10);
    in.first_lever = SIM_MIN(11);
    in.diagnose = SIM_MIN(12);
    in.symptom_correct = in.cause_correct = true;
    in.fix_effect = SIM_MIN(14);
    in.harm = 3000;
    in.postmortem_done = in.postmortem_eval_ok = true;
    sim_score_out o;
    sim_score_compute(&in, &o);
    assert_true(o.detect_s == 120.0);
    assert_true(o.diagnose_s == 240.0);
    assert_true(o.contain_s >= 180.0 && o.contain_s <= 360.0);
    assert_true(o.mitigate_s >= 360.0 && o.mitigate_s <= 420.0);
    assert_true(o.total > 85 && o.total <= 100);
}

static void harm_that_returns_after_a_lever_is_not_contained(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    sim_score_in in = base_in(&c);
    harm_between(48, 78, 100);
    harm_between(150, 160, 100); /* it comes back at 25m */
    in.first_lever = SIM_MIN(11);
    sim_score_out o;
    sim_score_compute(&in, &o);
    assert_true(o.contain >= SIM_MIN(26));
}

static void mitigation_needs_blunt_levers_lifted(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    sim_score_in in = base_in(&c);
    harm_between(48, 70, 100);
    in.first_lever = SIM_MIN(10);
    in.fix_effect = SIM_MIN(12);
    for (size_t i = 60; i < 120; i++)
        blunt[i] = 1; /* kill switch on until 20m */
    sim_score_out o;
    sim_score_compute(&in, &o);
    assert_true(o.mitigate >= SIM_MIN(20));
}

static void wrong_diagnosis_earns_no_diagnosis_points(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    sim_score_in in = base_in(&c);
    in.diagnose = SIM_MIN(9);
    sim_score_out o;
    sim_score_compute(&in, &o);
    assert_true(o.part[SIM_PART_DIAGNOSE] == 0);
    in.symptom_correct = true;
    sim_score_compute(&in, &o);
    assert_true(o.part[SIM_PART_DIAGNOSE] > 0.39 && o.part[SIM_PART_DIAGNOSE] < 0.41);
}

static void score_stays_in_range_for_any_input(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    for (int k = 0; k < 200; k++) {
        sim_score_in in = base_in(&c);
        c.weight[k % SIM_PART_COUNT] = k % 3 ? 1e9 : -5;
        in.harm = k % 2 ? -1e9 : 1e12;
        in.wrong_levers = k * 1000;
        in.unavailable = (uint64_t)k * 1000000u;
        in.detect = k % 4 ? SIM_MIN(k % 50) : SIM_TIME_NEVER;
        in.symptom_correct = in.cause_correct = k % 2;
        in.diagnose = SIM_MIN(k % 40);
        in.mean_rate = k % 5 ? 1e6 : 0;
        sim_score_out o;
        sim_score_compute(&in, &o);
        assert_true(o.total >= 0 && o.total <= 100);
        for (int p = 0; p < SIM_PART_COUNT; p++)
            assert_true(o.part[p] >= 0 && o.part[p] <= 1);
    }
}

static void wrong_levers_cost_points_capped_at_ten(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    sim_score_in in = base_in(&c);
    in.onset = SIM_TIME_NEVER;
    sim_score_out o;
    sim_score_compute(&in, &o);
    double clean = o.total;
    in.wrong_levers = 2;
    sim_score_compute(&in, &o);
    assert_true(clean - o.total > 3.9 && clean - o.total < 4.1);
    in.wrong_levers = 50;
    sim_score_compute(&in, &o);
    assert_true(clean - o.total > 9.9 && clean - o.total < 10.1);
}

static void quiet_drill_earns_response_parts_unless_stopped_before_its_incident(void **state)
{
    (void)state;
    sim_scoring c = cfg();
    sim_score_in in = base_in(&c);
    in.onset = SIM_TIME_NEVER;
    in.n = 12; /* two minutes in */
    sim_score_out quiet, ahead;
    sim_score_compute(&in, &quiet);
    in.incident_ahead = true;
    sim_score_compute(&in, &ahead);
    for (int p = SIM_PART_DETECT; p <= SIM_PART_MITIGATE; p++) {
        assert_true(quiet.part[p] == 1.0);
        assert_true(ahead.part[p] == 0.0);
    }
    /* No harm was done either way, and nothing else changes. */
    assert_true(quiet.part[SIM_PART_HARM] == 1.0 && ahead.part[SIM_PART_HARM] == 1.0);
    double response = 0;
    for (int p = SIM_PART_DETECT; p <= SIM_PART_MITIGATE; p++)
        response += c.weight[p];
    assert_true(fabs(quiet.total - ahead.total - response) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(time_score_is_full_under_target_and_falls_to_zero_at_four_times),
        cmocka_unit_test(untreated_incident_scores_low_and_reaches_nothing),
        cmocka_unit_test(quick_response_is_timed_from_onset_and_scores_high),
        cmocka_unit_test(harm_that_returns_after_a_lever_is_not_contained),
        cmocka_unit_test(mitigation_needs_blunt_levers_lifted),
        cmocka_unit_test(wrong_diagnosis_earns_no_diagnosis_points),
        cmocka_unit_test(score_stays_in_range_for_any_input),
        cmocka_unit_test(wrong_levers_cost_points_capped_at_ten),
        cmocka_unit_test(quiet_drill_earns_response_parts_unless_stopped_before_its_incident),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
