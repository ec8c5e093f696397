/* test_sim_queue.c - behaviour of the future-event list (sim_queue.h).
 *
 * Ordering contract (time, priority, FIFO), cancel semantics and stale handles, the clock
 * rules of push and run_until, re-entrant callbacks, growth, and a randomized comparison
 * against a brute-force reference under mixed push/cancel/step/run_until sequences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "sim_queue.h"
#include "sim_rng.h"

/* A log of fired events: the arg of each, and the clock when it fired. */
typedef struct firelog {
    uint64_t arg[64];
    sim_time at[64];
    int n;
} firelog;

static void log_event(sim_queue *q, void *ctx, uint64_t arg)
{
    firelog *log = ctx;
    assert_true(log->n < 64);
    log->arg[log->n] = arg;
    log->at[log->n] = sim_queue_now(q);
    log->n++;
}

static void noop(sim_queue *q, void *ctx, uint64_t arg)
{
    (void)q;
    (void)ctx;
    (void)arg;
}

static sim_queue *new_queue(void)
{
    sim_queue *q = sim_queue_new();
    assert_non_null(q);
    return q;
}

static void queue_starts_empty_at_time_zero(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    assert_int_equal(sim_queue_now(q), 0);
    assert_int_equal(sim_queue_pending(q), 0);
    assert_int_equal(sim_queue_fired(q), 0);
    assert_true(sim_queue_next_time(q) == SIM_TIME_NEVER);
    assert_false(sim_queue_step(q));
    sim_queue_free(q);
    sim_queue_free(NULL);
}

static void queue_fires_in_time_order_and_advances_clock(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    firelog log = {0};
    const sim_time times[] = {SIM_SEC(3), SIM_MS(5), SIM_MIN(1), SIM_US(7), SIM_SEC(3) + 1};
    for (uint64_t i = 0; i < 5; i++)
        assert_int_equal(sim_queue_push(q, times[i], 0, log_event, &log, i, NULL), 0);
    assert_int_equal(sim_queue_pending(q), 5);
    assert_int_equal(sim_queue_next_time(q), SIM_US(7));
    while (sim_queue_step(q))
        ;
    const uint64_t order[] = {3, 1, 0, 4, 2};
    assert_int_equal(log.n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(log.arg[i], order[i]);
        assert_int_equal(log.at[i], times[order[i]]);
    }
    assert_int_equal(sim_queue_now(q), SIM_MIN(1));
    assert_int_equal(sim_queue_fired(q), 5);
    sim_queue_free(q);
}

static void queue_fires_equal_times_in_fifo_order(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    firelog log = {0};
    /* Interleave a later time so the heap has to reshuffle between the equal ones. */
    for (uint64_t i = 0; i < 40; i++) {
        sim_time at = (i % 3 == 0) ? SIM_SEC(2) : SIM_SEC(1);
        assert_int_equal(sim_queue_push(q, at, 0, log_event, &log, i, NULL), 0);
    }
    sim_queue_run_until(q, SIM_SEC(5));
    assert_int_equal(log.n, 40);
    uint64_t prev_arg = 0;
    sim_time prev_at = 0;
    for (int i = 0; i < log.n; i++) {
        if (i > 0 && log.at[i] == prev_at)
            assert_true(log.arg[i] > prev_arg);
        assert_true(log.at[i] >= prev_at);
        prev_arg = log.arg[i];
        prev_at = log.at[i];
    }
    sim_queue_free(q);
}

static void queue_orders_by_priority_at_equal_times(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    firelog log = {0};
    const int prio[] = {5, INT_MAX, -3, 0, INT_MIN, 5, -3};
    for (uint64_t i = 0; i < 7; i++)
        assert_int_equal(sim_queue_push(q, SIM_MS(10), prio[i], log_event, &log, i, NULL), 0);
    /* An earlier event fires first whatever its priority. */
    assert_int_equal(sim_queue_push(q, SIM_MS(9), INT_MAX, log_event, &log, 99, NULL), 0);
    while (sim_queue_step(q))
        ;
    const uint64_t order[] = {99, 4, 2, 6, 3, 0, 5, 1};
    assert_int_equal(log.n, 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(log.arg[i], order[i]);
    sim_queue_free(q);
}

static void queue_passes_ctx_and_arg_to_the_callback(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    firelog log = {0};
    assert_int_equal(sim_queue_push(q, 1, 0, log_event, &log, UINT64_MAX, NULL), 0);
    assert_true(sim_queue_step(q));
    assert_int_equal(log.n, 1);
    assert_true(log.arg[0] == UINT64_MAX);
    sim_queue_free(q);
}

static void queue_cancel_removes_pending_event(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    firelog log = {0};
    uint64_t h[10];
    for (uint64_t i = 0; i < 10; i++)
        assert_int_equal(sim_queue_push(q, SIM_MS(10 - i), 0, log_event, &log, i, &h[i]), 0);
    /* The earliest (root), a middle one and the latest (a leaf). */
    assert_true(sim_queue_cancel(q, h[9]));
    assert_true(sim_queue_cancel(q, h[4]));
    assert_true(sim_queue_cancel(q, h[0]));
    assert_int_equal(sim_queue_pending(q), 7);
    assert_int_equal(sim_queue_next_time(q), SIM_MS(2));
    while (sim_queue_step(q))
        ;
    const uint64_t order[] = {8, 7, 6, 5, 3, 2, 1};
    assert_int_equal(log.n, 7);
    for (int i = 0; i < 7; i++)
        assert_int_equal(log.arg[i], order[i]);
    /* Cancelling does not count as firing and does not move the clock. */
    assert_int_equal(sim_queue_fired(q), 7);
    assert_int_equal(sim_queue_now(q), SIM_MS(9));
    sim_queue_free(q);
}

static void queue_cancel_of_fired_event_returns_false(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    uint64_t h;
    assert_int_equal(sim_queue_push(q, 5, 0, noop, NULL, 0, &h), 0);
    assert_true(sim_queue_step(q));
    assert_false(sim_queue_cancel(q, h));
    sim_queue_free(q);
}

static void queue_cancel_twice_returns_false_the_second_time(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    uint64_t h;
    assert_int_equal(sim_queue_push(q, 5, 0, noop, NULL, 0, &h), 0);
    assert_true(sim_queue_cancel(q, h));
    assert_false(sim_queue_cancel(q, h));
    assert_int_equal(sim_queue_pending(q), 0);
    assert_false(sim_queue_step(q));
    sim_queue_free(q);
}

static void queue_cancel_of_unknown_handle_returns_false(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    uint64_t h;
    assert_int_equal(sim_queue_push(q, 5, 0, noop, NULL, 0, &h), 0);
    assert_false(sim_queue_cancel(q, 0));
    assert_false(sim_queue_cancel(q, UINT64_MAX));
    assert_false(sim_queue_cancel(q, h + 1));            /* a slot never handed out */
    assert_false(sim_queue_cancel(q, h + (1ull << 32))); /* the slot's next generation */
    assert_false(sim_queue_cancel(q, h - (1ull << 32))); /* its free generation */
    assert_int_equal(sim_queue_pending(q), 1);
    assert_true(sim_queue_cancel(q, h));
    /* A forged handle naming the free slot's current generation must not free it twice. */
    assert_false(sim_queue_cancel(q, h + (1ull << 32)));
    assert_int_equal(sim_queue_push(q, 6, 0, noop, NULL, 0, &h), 0);
    assert_int_equal(sim_queue_push(q, 7, 0, noop, NULL, 0, NULL), 0);
    assert_int_equal(sim_queue_pending(q), 2);
    assert_int_equal(sim_queue_run_until(q, 10), 2);
    sim_queue_free(q);
}

static void queue_stale_handle_does_not_cancel_a_reused_slot(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    uint64_t first, second;
    assert_int_equal(sim_queue_push(q, 1, 0, noop, NULL, 0, &first), 0);
    assert_true(sim_queue_step(q));
    assert_int_equal(sim_queue_push(q, 2, 0, noop, NULL, 0, &second), 0);
    assert_true(first != second);
    assert_false(sim_queue_cancel(q, first));
    assert_int_equal(sim_queue_pending(q), 1);
    assert_true(sim_queue_cancel(q, second));
    sim_queue_free(q);
}

static void queue_handles_are_nonzero_and_distinct(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    enum { N = 300 };
    uint64_t h[N];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            assert_int_equal(sim_queue_push(q, sim_queue_now(q) + 1, 0, noop, NULL, 0, &h[i]), 0);
            assert_true(h[i] != 0);
            for (int j = 0; j < i; j++)
                assert_true(h[i] != h[j]);
        }
        sim_queue_run_until(q, sim_queue_now(q) + 1);
        for (int i = 0; i < N; i++)
            assert_false(sim_queue_cancel(q, h[i]));
    }
    sim_queue_free(q);
}

static void queue_rejects_push_into_the_past(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    sim_queue_run_until(q, SIM_SEC(10));
    uint64_t h = 12345;
    assert_int_equal(sim_queue_push(q, SIM_SEC(10) - 1, 0, noop, NULL, 0, &h), -EINVAL);
    assert_int_equal(sim_queue_push(q, 0, 0, noop, NULL, 0, &h), -EINVAL);
    assert_int_equal(h, 12345); /* untouched on error */
    assert_int_equal(sim_queue_pending(q), 0);
    /* The present is not the past. */
    assert_int_equal(sim_queue_push(q, SIM_SEC(10), 0, noop, NULL, 0, &h), 0);
    assert_true(sim_queue_step(q));
    assert_int_equal(sim_queue_now(q), SIM_SEC(10));
    sim_queue_free(q);
}

static void queue_rejects_null_callback(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    assert_int_equal(sim_queue_push(q, 1, 0, NULL, NULL, 0, NULL), -EINVAL);
    assert_int_equal(sim_queue_pending(q), 0);
    sim_queue_free(q);
}

static void queue_run_until_advances_clock_without_events(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    assert_int_equal(sim_queue_run_until(q, SIM_MIN(3)), 0);
    assert_int_equal(sim_queue_now(q), SIM_MIN(3));
    assert_int_equal(sim_queue_fired(q), 0);
    sim_queue_free(q);
}

static void queue_run_until_fires_up_to_and_including_the_boundary(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    firelog log = {0};
    for (uint64_t i = 1; i <= 5; i++)
        assert_int_equal(sim_queue_push(q, SIM_SEC(i), 0, log_event, &log, i, NULL), 0);
    assert_int_equal(sim_queue_run_until(q, SIM_SEC(3)), 3);
    assert_int_equal(sim_queue_now(q), SIM_SEC(3));
    assert_int_equal(sim_queue_pending(q), 2);
    assert_int_equal(sim_queue_run_until(q, SIM_SEC(3) + SIM_MS(500)), 0);
    assert_int_equal(sim_queue_now(q), SIM_SEC(3) + SIM_MS(500));
    assert_int_equal(sim_queue_run_until(q, SIM_SEC(10)), 2);
    assert_int_equal(log.n, 5);
    sim_queue_free(q);
}

static void queue_run_until_never_moves_clock_backwards(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    firelog log = {0};
    sim_queue_run_until(q, SIM_SEC(10));
    assert_int_equal(sim_queue_push(q, SIM_SEC(10), 0, log_event, &log, 1, NULL), 0);
    assert_int_equal(sim_queue_run_until(q, SIM_SEC(5)), 0);
    assert_int_equal(sim_queue_now(q), SIM_SEC(10));
    assert_int_equal(sim_queue_pending(q), 1);
    assert_int_equal(sim_queue_run_until(q, SIM_SEC(10)), 1);
    sim_queue_free(q);
}

/* A chain: each event schedules the next one 1 s later until `arg` reaches 0. */
static void chain(sim_queue *q, void *ctx, uint64_t arg)
{
    ++*(int *)ctx;
    if (arg > 0)
        assert_int_equal(
            sim_queue_push(q, sim_queue_now(q) + SIM_SEC(1), 0, chain, ctx, arg - 1, NULL), 0);
}

static void queue_run_until_fires_events_pushed_by_callbacks(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    int count = 0;
    assert_int_equal(sim_queue_push(q, SIM_SEC(1), 0, chain, &count, 100, NULL), 0);
    assert_int_equal(sim_queue_run_until(q, SIM_SEC(10)), 10);
    assert_int_equal(count, 10);
    assert_int_equal(sim_queue_pending(q), 1);
    assert_int_equal(sim_queue_next_time(q), SIM_SEC(11));
    assert_int_equal(sim_queue_run_until(q, SIM_TIME_NEVER), 91);
    assert_int_equal(sim_queue_pending(q), 0);
    assert_true(sim_queue_now(q) == SIM_TIME_NEVER);
    sim_queue_free(q);
}

/* Re-entrancy fixture: the first event cancels a pending one, tries to cancel itself, and
 * pushes two more, one at the current time. */
typedef struct reentry {
    uint64_t self;    /* handle of the event that runs the test */
    uint64_t victim;  /* handle it cancels */
    bool self_cancel; /* what cancelling itself returned */
    firelog log;
} reentry;

static void reenter(sim_queue *q, void *ctx, uint64_t arg)
{
    reentry *r = ctx;
    log_event(q, &r->log, arg);
    if (arg != 0)
        return;
    r->self_cancel = sim_queue_cancel(q, r->self);
    assert_true(sim_queue_cancel(q, r->victim));
    assert_int_equal(sim_queue_push(q, sim_queue_now(q), 0, reenter, r, 10, NULL), 0);
    assert_int_equal(sim_queue_push(q, sim_queue_now(q) + 1, -1, reenter, r, 11, NULL), 0);
}

static void queue_callback_can_push_and_cancel_during_its_own_execution(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    reentry r = {0};
    assert_int_equal(sim_queue_push(q, 100, 0, reenter, &r, 0, &r.self), 0);
    assert_int_equal(sim_queue_push(q, 100, 0, reenter, &r, 1, NULL), 0);
    assert_int_equal(sim_queue_push(q, 100, 0, reenter, &r, 2, &r.victim), 0);
    assert_int_equal(sim_queue_push(q, 101, 0, reenter, &r, 3, NULL), 0);
    while (sim_queue_step(q))
        ;
    assert_false(r.self_cancel);
    /* 10 was pushed at the current time after 1, so FIFO puts it after 1; 11 has a lower
     * priority number than 3 at time 101. */
    const uint64_t order[] = {0, 1, 10, 11, 3};
    assert_int_equal(r.log.n, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(r.log.arg[i], order[i]);
    sim_queue_free(q);
}

static void queue_grows_and_drains_many_events(void **state)
{
    (void)state;
    sim_queue *q = new_queue();
    enum { N = 20000 };
    sim_rng rng;
    sim_rng_init(&rng, 7, SIM_STREAM_ACTION);
    for (int i = 0; i < N; i++)
        assert_int_equal(sim_queue_push(q, sim_rng_below(&rng, 1000000), 0, noop, NULL, 0, NULL),
                         0);
    assert_int_equal(sim_queue_pending(q), N);
    sim_time prev = 0;
    while (sim_queue_pending(q) > 0) {
        sim_time next = sim_queue_next_time(q);
        assert_true(next >= prev);
        assert_true(sim_queue_step(q));
        assert_int_equal(sim_queue_now(q), next);
        prev = next;
    }
    assert_int_equal(sim_queue_fired(q), N);
    sim_queue_free(q);
}

/* The reference model: an unsorted array searched linearly for the minimum. */
typedef struct ref_event {
    sim_time at;
    int prio;
    uint64_t seq;
    uint64_t handle;
    bool pending;
} ref_event;

typedef struct ref_check {
    ref_event *ev; /* indexed by the event's id, which is its arg */
    size_t n;
    uint64_t last_id; /* id of the last event fired by the queue */
    int fired;
} ref_check;

static void ref_fire(sim_queue *q, void *ctx, uint64_t arg)
{
    (void)q;
    ref_check *rc = ctx;
    rc->last_id = arg;
    rc->fired++;
}

static long ref_min(const ref_check *rc)
{
    long best = -1;
    for (size_t i = 0; i < rc->n; i++) {
        const ref_event *e = &rc->ev[i];
        if (!e->pending)
            continue;
        if (best < 0)
            best = (long)i;
        const ref_event *b = &rc->ev[best];
        if (e->at < b->at ||
            (e->at == b->at && (e->prio < b->prio || (e->prio == b->prio && e->seq < b->seq))))
            best = (long)i;
    }
    return best;
}

static void queue_matches_sorted_reference_under_random_operations(void **state)
{
    (void)state;
    enum { OPS = 30000 };
    sim_queue *q = new_queue();
    ref_check rc = {.ev = calloc(OPS, sizeof(ref_event))};
    assert_non_null(rc.ev);
    sim_rng rng;
    sim_rng_init(&rng, 20240601, SIM_STREAM_ACTION);
    size_t pending = 0;
    for (int op = 0; op < OPS; op++) {
        uint64_t dice = sim_rng_below(&rng, 100);
        if (dice < 45 || pending == 0) {
            /* Narrow time and priority ranges, so ties are common. */
            ref_event *e = &rc.ev[rc.n];
            e->at = sim_queue_now(q) + sim_rng_below(&rng, 20);
            e->prio = (int)sim_rng_below(&rng, 3) - 1;
            e->seq = rc.n;
            e->pending = true;
            assert_int_equal(sim_queue_push(q, e->at, e->prio, ref_fire, &rc, rc.n, &e->handle), 0);
            rc.n++;
            pending++;
        } else if (dice < 65) {
            /* Any event ever pushed: pending ones must cancel, others must refuse. */
            ref_event *e = &rc.ev[sim_rng_below(&rng, rc.n)];
            assert_int_equal(sim_queue_cancel(q, e->handle), e->pending);
            if (e->pending)
                pending--;
            e->pending = false;
        } else if (dice < 95) {
            long want = ref_min(&rc);
            assert_true(want >= 0);
            assert_int_equal(sim_queue_next_time(q), rc.ev[want].at);
            assert_true(sim_queue_step(q));
            assert_int_equal(rc.last_id, want);
            assert_int_equal(sim_queue_now(q), rc.ev[want].at);
            rc.ev[want].pending = false;
            pending--;
        } else {
            sim_time until = sim_queue_now(q) + sim_rng_below(&rng, 10);
            int before = rc.fired;
            uint64_t n = sim_queue_run_until(q, until);
            assert_int_equal(n, (uint64_t)(rc.fired - before));
            /* Everything the reference holds at or before `until` is exactly what fired. */
            size_t due = 0;
            for (size_t i = 0; i < rc.n; i++)
                if (rc.ev[i].pending && rc.ev[i].at <= until) {
                    rc.ev[i].pending = false;
                    due++;
                }
            assert_int_equal(n, due);
            pending -= due;
            assert_int_equal(sim_queue_now(q), until);
        }
        assert_int_equal(sim_queue_pending(q), pending);
    }
    free(rc.ev);
    sim_queue_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(queue_starts_empty_at_time_zero),
        cmocka_unit_test(queue_fires_in_time_order_and_advances_clock),
        cmocka_unit_test(queue_fires_equal_times_in_fifo_order),
        cmocka_unit_test(queue_orders_by_priority_at_equal_times),
        cmocka_unit_test(queue_passes_ctx_and_arg_to_the_callback),
        cmocka_unit_test(queue_cancel_removes_pending_event),
        cmocka_unit_test(queue_cancel_of_fired_event_returns_false),
        cmocka_unit_test(queue_cancel_twice_returns_false_the_second_time),
        cmocka_unit_test(queue_cancel_of_unknown_handle_returns_false),
        cmocka_unit_test(queue_stale_handle_does_not_cancel_a_reused_slot),
        cmocka_unit_test(queue_handles_are_nonzero_and_distinct),
        cmocka_unit_test(queue_rejects_push_into_the_past),
        cmocka_unit_test(queue_rejects_null_callback),
        cmocka_unit_test(queue_run_until_advances_clock_without_events),
        cmocka_unit_test(queue_run_until_fires_up_to_and_including_the_boundary),
        cmocka_unit_test(queue_run_until_never_moves_clock_backwards),
        cmocka_unit_test(queue_run_until_fires_events_pushed_by_callbacks),
        cmocka_unit_test(queue_callback_can_push_and_cancel_during_its_own_execution),
        cmocka_unit_test(queue_grows_and_drains_many_events),
        cmocka_unit_test(queue_matches_sorted_reference_under_random_operations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
