/* fuzz_eval_check.h - the round-trip comparison of eval cases that the
 * eval-set and post-mortem targets share. */
#ifndef FUZZ_EVAL_CHECK_H
#define FUZZ_EVAL_CHECK_H

#include <string.h>

#include "fuzz_common.h"
#include "sim_eval.h"

/* Aborts unless b holds a's cases in a's order with the same identity: id,
 * words, catalogue text, segment, history, assertions, and the provenance a
 * writer keeps exactly (drill, incident, author, seed, trace id, time). */
static inline void fuzz_check_same_cases(const sim_eval_set *a, const sim_eval_set *b)
{
    FUZZ_CHECK(a->n == b->n, "%d cases saved, %d loaded back", a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        const sim_eval_case *x = &a->cases[i], *y = &b->cases[i];
        FUZZ_CHECK(strcmp(x->id, y->id) == 0, "case %d: id %s comes back as %s", i, x->id, y->id);
        FUZZ_CHECK(strcmp(x->query, y->query) == 0, "case %d: words change", i);
        FUZZ_CHECK(x->text == y->text, "case %d: catalogue text %d comes back as %d", i, x->text,
                   y->text);
        FUZZ_CHECK(x->region == y->region && x->plan == y->plan && x->client == y->client &&
                       x->history_tokens == y->history_tokens && x->structured == y->structured,
                   "case %d: segment changes", i);
        FUZZ_CHECK(x->nassert == y->nassert, "case %d: %d assertions come back as %d", i,
                   x->nassert, y->nassert);
        for (int k = 0; k < x->nassert; k++)
            FUZZ_CHECK(x->a[k].kind == y->a[k].kind && x->a[k].fact == y->a[k].fact &&
                           x->a[k].day == y->a[k].day && x->a[k].ms == y->a[k].ms,
                       "case %d: assertion %d changes", i, k);
        FUZZ_CHECK(strcmp(x->drill, y->drill) == 0 && strcmp(x->incident, y->incident) == 0 &&
                       strcmp(x->created_by, y->created_by) == 0,
                   "case %d: provenance text changes", i);
        FUZZ_CHECK(x->seed == y->seed && x->trace_id == y->trace_id,
                   "case %d: seed or trace id changes", i);
        FUZZ_CHECK(x->at == y->at, "case %d: time %llu us comes back as %llu us", i,
                   (unsigned long long)x->at, (unsigned long long)y->at);
    }
}

#endif
