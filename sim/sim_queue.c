/* sim_queue.c - future-event list: a 4-ary min-heap of small keys plus a slot table.
 *
 * The heap holds 24-byte nodes (time, priority, sequence, slot index) so sifting moves little
 * memory; the callback, context and argument live in a slot that stays put. A handle names a
 * slot and its generation, which makes cancel an O(1) lookup followed by an O(log n) heap
 * removal. Both arrays grow by doubling and are reused, so nothing is allocated per event once
 * the queue has reached its high-water mark. Nothing here reads a clock. */
#include "sim_queue.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#define INITIAL_CAPACITY 64u
/* Four children per node: half the depth of a binary heap and the children share a cache
 * line or two. Measured on the hold model with 100 pending events, ~25% faster than 2-ary
 * and a little faster than 8-ary. */
#define ARITY   4
#define NO_SLOT UINT32_MAX
/* Slot indices and heap positions are 32-bit; one value is kept for NO_SLOT. */
#define MAX_EVENTS ((size_t)UINT32_MAX - 1u)

typedef struct node {
    sim_time at;   /* firing time */
    uint64_t seq;  /* insertion order, unique for the queue's lifetime */
    int32_t prio;  /* lower fires first at equal times */
    uint32_t slot; /* index into q->slots holding the payload */
} node;

typedef struct slot {
    sim_event_fn fn; /* callback; meaningless while the slot is free */
    void *ctx;       /* caller's context, never owned */
    uint64_t arg;    /* caller's argument */
    uint32_t pos;    /* heap index while pending; next free slot while free */
    uint32_t gen;    /* odd while pending, even while free; bumped on every change */
} slot;

struct sim_queue {
    node *heap;     /* heap[0] is the next event; owned */
    slot *slots;    /* payloads, indexed by node.slot and by handles; owned */
    size_t len;     /* pending events (heap length) */
    size_t cap;     /* capacity of both arrays */
    size_t nslots;  /* slots ever handed out (the rest of `slots` is untouched) */
    uint32_t free;  /* head of the free-slot list, NO_SLOT when empty */
    sim_time now;   /* virtual clock */
    uint64_t seq;   /* next insertion sequence */
    uint64_t fired; /* events fired so far */
};

/* Strict (time, prio, seq) order; seq is unique, so two nodes never compare equal. */
static inline bool node_before(const node *a, const node *b)
{
    if (a->at != b->at)
        return a->at < b->at;
    if (a->prio != b->prio)
        return a->prio < b->prio;
    return a->seq < b->seq;
}

static inline void place(sim_queue *q, size_t i, node n)
{
    q->heap[i] = n;
    q->slots[n.slot].pos = (uint32_t)i;
}

/* Moves `n` up from the hole at i until its parent is before it. O(log n). */
static void sift_up(sim_queue *q, size_t i, node n)
{
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!node_before(&n, &q->heap[parent]))
            break;
        place(q, i, q->heap[parent]);
        i = parent;
    }
    place(q, i, n);
}

/* Fills the hole at i with `n`, which comes from the bottom of the heap and is usually late.
 * Floyd's trick: walk the hole down to a leaf along the earliest child (no comparison with
 * `n` on the way), then sift `n` up from there, which rarely moves far. O(log n). */
static void fill_hole(sim_queue *q, size_t i, node n)
{
    size_t len = q->len;
    size_t child;
    while ((child = ARITY * i + 1) < len) {
        size_t end = child + ARITY < len ? child + ARITY : len;
        for (size_t c = child + 1; c < end; c++)
            if (node_before(&q->heap[c], &q->heap[child]))
                child = c;
        place(q, i, q->heap[child]);
        i = child;
    }
    sift_up(q, i, n);
}

/* Takes the node at heap index i out of the heap; the slot stays allocated. */
static void heap_remove(sim_queue *q, size_t i)
{
    assert(i < q->len);
    q->len--;
    if (i == q->len)
        return;
    node last = q->heap[q->len];
    /* fill_hole() alone would be correct (its final sift-up can climb past i); going up
     * directly just skips the walk down when `last` belongs above the hole. */
    if (i > 0 && node_before(&last, &q->heap[(i - 1) / ARITY]))
        sift_up(q, i, last);
    else
        fill_hole(q, i, last);
}

static void slot_release(sim_queue *q, uint32_t s)
{
    slot *sl = &q->slots[s];
    sl->gen++; /* becomes even: every handle to this use is now stale */
    sl->pos = q->free;
    q->free = s;
}

/* Doubles both arrays. Returns 0 or -ENOMEM, leaving the queue intact on failure. */
static int grow(sim_queue *q)
{
    if (q->cap >= MAX_EVENTS)
        return -ENOMEM;
    size_t cap = q->cap ? q->cap * 2 : INITIAL_CAPACITY;
    if (cap > MAX_EVENTS)
        cap = MAX_EVENTS;
    node *heap = realloc(q->heap, cap * sizeof *heap);
    if (!heap)
        return -ENOMEM;
    q->heap = heap;
    slot *slots = realloc(q->slots, cap * sizeof *slots);
    if (!slots)
        return -ENOMEM; /* the larger heap array is kept; harmless */
    q->slots = slots;
    q->cap = cap;
    return 0;
}

sim_queue *sim_queue_new(void)
{
    sim_queue *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->free = NO_SLOT;
    if (grow(q) < 0) {
        sim_queue_free(q);
        return NULL;
    }
    return q;
}

void sim_queue_free(sim_queue *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->slots);
    free(q);
}

int sim_queue_push(sim_queue *q, sim_time at, int prio, sim_event_fn fn, void *ctx, uint64_t arg,
                   uint64_t *handle)
{
    assert(q);
    if (!fn || at < q->now)
        return -EINVAL;
    uint32_t s = q->free;
    if (s != NO_SLOT) {
        q->free = q->slots[s].pos;
    } else {
        if (q->nslots == q->cap) {
            int rc = grow(q);
            if (rc < 0)
                return rc;
        }
        s = (uint32_t)q->nslots++;
        q->slots[s].gen = 0;
    }
    /* Every slot in use is also in the heap, so the heap array has room too. */
    assert(q->len < q->cap);
    slot *sl = &q->slots[s];
    sl->fn = fn;
    sl->ctx = ctx;
    sl->arg = arg;
    sl->gen++; /* becomes odd: pending */
    node n = {.at = at, .seq = q->seq++, .prio = (int32_t)prio, .slot = s};
    sift_up(q, q->len++, n);
    if (handle)
        *handle = (uint64_t)sl->gen << 32 | s;
    return 0;
}

bool sim_queue_cancel(sim_queue *q, uint64_t handle)
{
    assert(q);
    uint32_t s = (uint32_t)handle;
    uint32_t gen = (uint32_t)(handle >> 32);
    if (s >= q->nslots || !(gen & 1u) || q->slots[s].gen != gen)
        return false;
    heap_remove(q, q->slots[s].pos);
    slot_release(q, s);
    return true;
}

bool sim_queue_step(sim_queue *q)
{
    assert(q);
    if (q->len == 0)
        return false;
    node top = q->heap[0];
    slot *sl = &q->slots[top.slot];
    sim_event_fn fn = sl->fn;
    void *ctx = sl->ctx;
    uint64_t arg = sl->arg;
    /* Unlink before the call, so the callback sees a consistent queue: it may push, cancel
     * (its own handle is already stale) or even step the queue itself. */
    heap_remove(q, 0);
    slot_release(q, top.slot);
    assert(top.at >= q->now);
    q->now = top.at;
    q->fired++;
    fn(q, ctx, arg);
    return true;
}

uint64_t sim_queue_run_until(sim_queue *q, sim_time until)
{
    assert(q);
    uint64_t before = q->fired;
    while (q->len > 0 && q->heap[0].at <= until)
        sim_queue_step(q);
    if (until > q->now)
        q->now = until;
    return q->fired - before;
}

sim_time sim_queue_now(const sim_queue *q)
{
    return q->now;
}

sim_time sim_queue_next_time(const sim_queue *q)
{
    return q->len ? q->heap[0].at : SIM_TIME_NEVER;
}

size_t sim_queue_pending(const sim_queue *q)
{
    return q->len;
}

uint64_t sim_queue_fired(const sim_queue *q)
{
    return q->fired;
}
