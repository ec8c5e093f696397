/* sim_queue.h - future-event list and virtual clock of the drill engine.
 *
 * Events fire in (time, priority, insertion sequence) order: equal times fire
 * by ascending priority, then first-pushed first, so equal seeds and inputs
 * give identical runs. Time is virtual (microseconds); the queue never reads
 * a wall clock. Each pushed event gets a handle for O(log n) cancel. The
 * queue never owns `ctx`. Storage is a 4-ary heap of small keys plus a table
 * of payload slots, both growing arrays: no allocation per event once warmed
 * up (push and step are O(log n); push allocates only when the number of
 * pending events passes its previous high-water mark, and sim_queue_free()
 * returns it all).
 *
 * Callbacks run with the event already removed: a callback may push, cancel
 * (its own handle is then stale), step or run the queue, but must not free it.
 * A queue is not thread-safe; use one per thread. */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t sim_time;                /* simulated microseconds since drill start */
#define SIM_US(x)  ((sim_time)(x))
#define SIM_MS(x)  ((sim_time)(x) * 1000u)
#define SIM_SEC(x) ((sim_time)(x) * 1000000u)
#define SIM_MIN(x) ((sim_time)(x) * 60000000u)
#define SIM_TIME_NEVER UINT64_MAX

typedef struct sim_queue sim_queue;
typedef void (*sim_event_fn)(sim_queue *q, void *ctx, uint64_t arg);

sim_queue *sim_queue_new(void);    /* NULL when out of memory */
void sim_queue_free(sim_queue *q); /* NULL is a no-op */

/* Schedules fn(q, ctx, arg) at `at` with priority `prio` (lower fires first
 * at equal times). Sets *handle when non-NULL; handles are never 0, so callers
 * may use 0 for "no event". Returns 0, -EINVAL when `at` is before the current
 * time or fn is NULL, -ENOMEM (the queue is unchanged on error). */
int sim_queue_push(sim_queue *q, sim_time at, int prio, sim_event_fn fn, void *ctx,
                   uint64_t arg, uint64_t *handle);

/* Cancels a pending event in O(log n). Returns false when it is not pending
 * (already fired, cancelled, or never existed). A handle names a slot and its
 * generation; a stale handle could only alias a new event after that slot had
 * been reused 2^31 times. */
bool sim_queue_cancel(sim_queue *q, uint64_t handle);

/* Fires the next event, advancing the clock to its time. Returns false when
 * the queue is empty. */
bool sim_queue_step(sim_queue *q);

/* Fires every event with time <= `until`, including events the callbacks push
 * on the way, then sets the clock to `until` (never backwards). Returns the
 * number of events fired. With SIM_TIME_NEVER it drains the queue and leaves
 * the clock at SIM_TIME_NEVER, after which only pushes at that time succeed. */
uint64_t sim_queue_run_until(sim_queue *q, sim_time until);

sim_time sim_queue_now(const sim_queue *q);       /* current virtual time */
/* SIM_TIME_NEVER when empty (or when the next event is itself at SIM_TIME_NEVER;
 * sim_queue_pending() tells the two apart). */
sim_time sim_queue_next_time(const sim_queue *q);
size_t sim_queue_pending(const sim_queue *q);
uint64_t sim_queue_fired(const sim_queue *q);     /* events fired so far */

#endif
