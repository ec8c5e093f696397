/* test_mllm_service.c - the simulated service: every fault kind leaves its
 * evidence and its truth labels, its right lever removes the harm, a wrong
 * lever does not; determinism and exact fractions. Uses the real world from
 * assets/. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "mllm_service.h"

static mllm_world *W;

#define MIN(x) ((mllm_time)(x) * 60000000ull)
#define SEC(x) ((mllm_time)(x) * 1000000ull)

typedef bool (*query_pred)(const mllm_query *q, void *arg);

typedef struct stats {
    int n, harmful, wrong, stale, halluc, refusal, error, noanswer, correct, touched, s429, s400,
        s500;
    double lat_sum, ctx_sum;
} stats;

static bool any_answerable(const mllm_query *q, void *arg)
{
    (void)arg;
    return q->answerable && q->type != MLLM_QT_SMALLTALK && q->type != MLLM_QT_STRUCTURED;
}

static bool of_topic(const mllm_query *q, void *arg)
{
    return q->answerable && q->topic == *(int *)arg && q->type != MLLM_QT_STRUCTURED;
}

static bool of_type(const mllm_query *q, void *arg)
{
    return q->type == *(int *)arg;
}

static bool has_term(const mllm_query *q, void *arg)
{
    const char *term = arg;
    size_t n = strlen(term);
    for (const char *p = q->texts[0]; *p; p++)
        if (strncasecmp(p, term, n) == 0)
            return true;
    return false;
}

static bool stale_doc(const mllm_query *q, void *arg)
{
    const mllm_service *s = arg;
    return q->answerable && q->doc >= 0 && q->type != MLLM_QT_STRUCTURED &&
           mllm_service_source_version(s, q->doc) > 0;
}

static uint64_t next_id = 1;
static bool g_main_text; /* serve only each query's main wording */

/* Serves n requests of matching queries from t0 at `rate` per second. */
static mllm_time serve(mllm_service *s, mllm_time t0, int n, double rate, query_pred pred,
                       void *arg, int client, stats *st)
{
    memset(st, 0, sizeof *st);
    int qi = 0;
    mllm_time t = t0;
    for (int k = 0; k < n; k++) {
        int guard = 0;
        while (!pred(&W->queries[qi % W->nqueries], arg) && guard++ < W->nqueries)
            qi++;
        assert_true(guard < W->nqueries);
        const mllm_query *q = &W->queries[qi % W->nqueries];
        qi++;
        mllm_request req = {0};
        req.id = next_id++;
        req.t = t;
        req.text = q->first_text + (g_main_text ? 0 : (int)(req.id % (uint64_t)q->ntexts));
        req.client = client;
        mllm_response r;
        mllm_service_handle(s, &req, &r);
        st->n++;
        st->touched += r.fault_mask != 0;
        st->wrong += r.label == MLLM_LABEL_WRONG;
        st->stale += r.label == MLLM_LABEL_STALE;
        st->halluc += r.label == MLLM_LABEL_HALLUCINATION;
        st->refusal += r.label == MLLM_LABEL_REFUSAL;
        st->error += r.label == MLLM_LABEL_ERROR;
        st->noanswer += r.label == MLLM_LABEL_NOANSWER;
        st->correct += r.label == MLLM_LABEL_CORRECT;
        st->s429 += r.status == 429;
        st->s400 += r.status == 400;
        st->s500 += r.status == 500;
        st->lat_sum += r.latency_us;
        st->ctx_sum += r.context_tokens;
        t += (mllm_time)(1e6 / rate);
    }
    st->harmful = st->wrong + st->stale + st->halluc + st->refusal + st->error;
    return t;
}

static mllm_service *new_service(mllm_config *cfg)
{
    mllm_config c;
    mllm_config_default(&c, W);
    c.controls.cache_ttl_s = 0; /* measure the pipeline, not the cache */
    c.seed = 7;
    if (cfg)
        *cfg = c;
    mllm_service *s = mllm_service_new(W, &c, NULL, NULL);
    assert_non_null(s);
    return s;
}

static mllm_fault fault(mllm_fault_kind k, mllm_time start)
{
    mllm_fault f;
    memset(&f, 0, sizeof f);
    f.kind = k;
    mllm_target_any(&f.target);
    f.start = start;
    f.end = MLLM_NEVER;
    f.prompt = f.fingerprint = f.topic = -1;
    return f;
}

static void lever(mllm_service *s, mllm_lever_kind k, int arg, double value, mllm_time now)
{
    mllm_lever l = {k, arg, value};
    assert_int_equal(mllm_service_lever(s, &l, now), 0);
}

static double rate(int x, int n)
{
    return n ? (double)x / n : 0;
}

/* ---- baseline ------------------------------------------------------------------------- */

static void healthy_service_answers_mostly_correctly(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    stats st;
    serve(s, SEC(1), 2000, 20, any_answerable, NULL, 0, &st);
    assert_true(rate(st.correct, st.n) > 0.85);
    assert_true(rate(st.harmful, st.n) < 0.08);
    assert_int_equal(st.touched, 0);
    mllm_service_free(s);
}

static void same_seed_and_request_give_the_same_response(void **state)
{
    (void)state;
    mllm_service *a = new_service(NULL), *b = new_service(NULL);
    for (int i = 0; i < 300; i++) {
        mllm_request req = {.id = 1000 + (uint64_t)i, .t = SEC(1) + (mllm_time)i * 50000,
                            .text = i % W->ntexts};
        mllm_response ra, rb;
        mllm_service_handle(a, &req, &ra);
        mllm_service_handle(b, &req, &rb);
        assert_memory_equal(&ra, &rb, sizeof ra);
        char ta[2048], tb[2048];
        mllm_service_render(a, &req, &ra, ta, sizeof ta);
        mllm_service_render(b, &req, &rb, tb, sizeof tb);
        assert_string_equal(ta, tb);
    }
    mllm_service_free(a);
    mllm_service_free(b);
}

static void fraction_zero_touches_nothing_and_small_fractions_are_exact(void **state)
{
    (void)state;
    double fracs[] = {0.0, 0.005, 0.3};
    for (int k = 0; k < 3; k++) {
        mllm_service *s = new_service(NULL);
        mllm_fault f = fault(MLLM_FAULT_API_CHANGE, 0); /* marks every request it touches */
        f.target.fraction = fracs[k];
        assert_int_equal(mllm_service_fault_add(s, &f), 0);
        stats st;
        serve(s, SEC(1), 20000, 50, any_answerable, NULL, 0, &st);
        double got = rate(st.touched, st.n);
        if (fracs[k] == 0)
            assert_int_equal(st.touched, 0);
        else
            assert_true(got > fracs[k] * 0.7 && got < fracs[k] * 1.3);
        mllm_service_free(s);
    }
}

static void free_text_gets_an_answer_from_the_knowledge_base(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    const mllm_query *q = NULL;
    for (int i = 0; i < W->nqueries && !q; i++)
        if (W->queries[i].answerable && W->queries[i].nfacts > 0 &&
            W->queries[i].type == MLLM_QT_FACTUAL)
            q = &W->queries[i];
    assert_non_null(q);
    char text[512];
    snprintf(text, sizeof text, "hey, quick one: %s", q->texts[0]);
    uint64_t h, h_upper, h_other;
    assert_int_equal(mllm_service_match_text(s, text, &h), -1);
    assert_true(mllm_service_match_text(s, q->texts[0], NULL) == q->first_text);
    /* The hash is of the normalized wording: case does not change it. */
    char upper[512];
    for (size_t i = 0; i <= strlen(text); i++)
        upper[i] = (char)toupper((unsigned char)text[i]);
    assert_int_equal(mllm_service_match_text(s, upper, &h_upper), -1);
    assert_true(h_upper == h);
    mllm_service_match_text(s, q->texts[0], &h_other);
    assert_true(h_other != h);
    assert_int_equal(mllm_service_match_text(s, NULL, &h_other), -1);
    assert_true(h_other == 0);
    mllm_request req = {.id = 1, .t = SEC(1), .text = -1, .free_text = text};
    mllm_response r;
    mllm_service_handle(s, &req, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.label, MLLM_LABEL_UNKNOWN);
    assert_true(r.nchunks > 0);
    char out[2048];
    mllm_service_render(s, &req, &r, out, sizeof out);
    assert_true(strlen(out) > 20);
    mllm_service_free(s);
}

/* render() behaves like snprintf: it returns the full length whatever the
 * room, and a short buffer holds the start of the text, NUL-terminated.
 * Structured answers are JSON objects with the answer and its sources. */
static void render_truncates_like_snprintf_and_writes_json_when_structured(void **state)
{
    (void)state;
    mllm_config c;
    mllm_config_default(&c, W);
    c.controls.cache_ttl_s = 0;
    c.controls.disclaimer = true;
    c.seed = 11;
    mllm_service *s = mllm_service_new(W, &c, NULL, NULL);
    assert_non_null(s);
    int structured_seen = 0, with_sources = 0;
    for (int i = 0; i < 400; i++) {
        int qi = (i * 7) % W->nqueries;
        mllm_request req = {.id = (uint64_t)i + 1, .t = SEC(1) + i * 100000, .text =
                                W->queries[qi].first_text, .structured = i % 3 == 0};
        mllm_response r;
        mllm_service_advance(s, req.t);
        mllm_service_handle(s, &req, &r);
        char full[4096];
        size_t n = mllm_service_render(s, &req, &r, full, sizeof full);
        assert_true(n < sizeof full);
        assert_int_equal(strlen(full), n);
        if (r.status == 200)
            assert_non_null(strstr(full, "Note: this answer was generated by AI"));
        const size_t sizes[] = {0, 1, 2, 17, n / 2, n, n + 1};
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            char part[4096];
            memset(part, 'Z', sizeof part);
            assert_int_equal(mllm_service_render(s, &req, &r, part, sizes[k]), n);
            if (sizes[k] == 0) {
                assert_int_equal(part[0], 'Z');
                continue;
            }
            size_t kept = sizes[k] - 1 < n ? sizes[k] - 1 : n;
            assert_memory_equal(part, full, kept);
            assert_int_equal(part[kept], '\0');
        }
        if (r.status == 200 && r.structured && !r.refusal) {
            structured_seen++;
            assert_true(full[0] == '{');
            char *end = strstr(full, "]}");
            assert_non_null(end);
            assert_true(strncmp(full, "{\"answer\": \"", 12) == 0 ||
                        strncmp(full, "{\"result\": \"", 12) == 0);
            /* The answer string is closed before the sources: no raw quote inside. */
            const char *q = full + 12;
            while (*q && *q != '"')
                q += *q == '\\' ? 2 : 1;
            assert_true(strncmp(q, "\", \"sources\": [", 15) == 0 ||
                        strncmp(q, "\", \"citations\": [", 17) == 0);
            with_sources += strstr(q, "[\"") != NULL;
        }
    }
    assert_true(structured_seen > 50);
    assert_true(with_sources > 10);
    mllm_service_free(s);
}

static void clearing_a_fault_restores_health_at_once(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    mllm_fault f = fault(MLLM_FAULT_API_CHANGE, 0);
    int id = mllm_service_fault_add(s, &f);
    stats st;
    mllm_time t = serve(s, SEC(1), 500, 20, any_answerable, NULL, 0, &st);
    assert_true(rate(st.s400, st.n) > 0.9);
    assert_int_equal(mllm_service_fault_clear(s, id, t), 0);
    serve(s, t, 500, 20, any_answerable, NULL, 0, &st);
    assert_int_equal(st.s400, 0);
    mllm_service_free(s);
}

/* ---- one test per fault kind: evidence, right lever, wrong lever ---------------------- */

/* Runs the fault, applies `wrong` (must not help) then `right` (must). The
 * metric is a share of harmful labels unless `metric` says otherwise. */
typedef double (*metric_fn)(const stats *st);
static double m_harm(const stats *st)
{
    return rate(st->harmful, st->n);
}
static double m_latency(const stats *st)
{
    return st->lat_sum / st->n / 1000.0;
}
static double m_context(const stats *st)
{
    return st->ctx_sum / st->n;
}

typedef struct fault_case {
    mllm_fault f;
    query_pred pred;
    void *arg;
    int client;
    double rate;
    metric_fn metric;
    mllm_lever wrong[2];
    int nwrong;
    mllm_lever right[2];
    int nright;
    mllm_time settle; /* after the right lever (reindex jobs) */
    int n;            /* requests per phase, default 1500 */
} fault_case;

static void run_case(fault_case *c, mllm_service *s, double healthy_max, double faulty_min)
{
    stats st;
    metric_fn m = c->metric ? c->metric : m_harm;
    int n = c->n ? c->n : 1500;
    mllm_time t = serve(s, SEC(1), 600, c->rate, c->pred, c->arg, c->client, &st);
    double before = m(&st);
    assert_int_equal(st.touched, 0);
    assert_true(before <= healthy_max);
    t += MIN(1);
    c->f.start = t;
    assert_true(mllm_service_fault_add(s, &c->f) >= 0);
    t = serve(s, t + MIN(2), n, c->rate, c->pred, c->arg, c->client, &st);
    double faulty = m(&st);
    print_message("  %s: healthy %.3f faulty %.3f", mllm_fault_names[c->f.kind], before, faulty);
    assert_true(faulty >= faulty_min);
    if (m == m_harm)
        assert_true(st.touched > 0); /* latency faults mark only what they made late */
    for (int i = 0; i < c->nwrong; i++)
        assert_int_equal(mllm_service_lever(s, &c->wrong[i], t), 0);
    t = serve(s, t + MIN(1), n, c->rate, c->pred, c->arg, c->client, &st);
    double wrong = m(&st);
    print_message(" wrong lever %.3f", wrong);
    assert_true(wrong >= faulty_min * 0.8);
    for (int i = 0; i < c->nright; i++)
        assert_int_equal(mllm_service_lever(s, &c->right[i], t), 0);
    t += c->settle + MIN(2);
    serve(s, t, n, c->rate, c->pred, c->arg, c->client, &st);
    double fixed = m(&st);
    print_message(" right lever %.3f\n", fixed);
    assert_true(fixed <= healthy_max);
}

static mllm_lever L(mllm_lever_kind k, int arg, double v)
{
    mllm_lever l = {k, arg, v};
    return l;
}

static void prompt_regression_is_fixed_by_rollback_not_by_model_switch(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_PROMPT_REGRESSION, 0), .pred = any_answerable, .rate = 20};
    c.f.prompt = mllm_world_prompt(W, "v3");
    c.wrong[c.nwrong++] = L(MLLM_LEVER_ROUTE, MLLM_ROLE_BACKUP, 0);
    c.right[c.nright++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v2"), 0);
    run_case(&c, s, 0.08, 0.6);
    mllm_service_free(s);
}

static void model_change_is_fixed_by_pinning_not_by_prompt_rollback(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_MODEL_CHANGE, 0), .pred = any_answerable, .rate = 20};
    c.f.target.fraction = 0.6;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v1"), 0);
    c.right[c.nright++] = L(MLLM_LEVER_PIN_MODEL, 0, 0);
    run_case(&c, s, 0.08, 0.45);
    mllm_service_free(s);
}

static void retrieval_degradation_is_fixed_by_restoring_the_snapshot(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_RETRIEVAL_DEGRADATION, 0), .pred = any_answerable,
                    .rate = 20};
    c.f.target.fraction = 0.5;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v1"), 0);
    c.right[c.nright++] = L(MLLM_LEVER_RESTORE_SNAPSHOT, 0, 0);
    /* A degraded snapshot leaves its evidence: off-topic chunks with low scores. */
    run_case(&c, s, 0.08, 0.12);
    mllm_service_free(s);
}

static void stale_index_serves_old_versions_until_reindex(void **state)
{
    (void)state;
    mllm_config cfg;
    mllm_service *s = new_service(&cfg);
    /* Registered before the drill starts: it holds back 8 document updates. */
    mllm_fault f = fault(MLLM_FAULT_STALE_INDEX, MIN(3));
    f.docs = 25;
    assert_int_equal(mllm_service_fault_add(s, &f), 0);
    stats st;
    mllm_time t = serve(s, SEC(1), 400, 20, any_answerable, NULL, 0, &st);
    assert_int_equal(st.stale, 0);
    mllm_service_advance(s, MIN(4));
    mllm_status ms;
    mllm_service_status(s, MIN(4), &ms);
    assert_true(ms.sources_changed_since_index > 0);
    t = serve(s, MIN(4), 1500, 20, stale_doc, s, 0, &st);
    print_message("  stale_index: stale %.3f", rate(st.stale, st.n));
    assert_true(rate(st.stale, st.n) > 0.3);
    lever(s, MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v1"), 0, t);
    t = serve(s, t, 1000, 20, stale_doc, s, 0, &st);
    assert_true(rate(st.stale, st.n) > 0.3);
    /* Scheduled refreshes fail while the fault lasts; a manual reindex works. */
    lever(s, MLLM_LEVER_REINDEX, 0, 0, t);
    t += cfg.reindex_duration + SEC(1);
    serve(s, t, 1000, 20, stale_doc, s, 0, &st);
    print_message(" after reindex %.3f\n", rate(st.stale, st.n));
    assert_true(rate(st.stale, st.n) < 0.02);
    mllm_service_free(s);
}

static void safety_update_refusals_go_away_on_the_backup_model(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    int topic = mllm_world_topic(W, "security");
    fault_case c = {.f = fault(MLLM_FAULT_SAFETY_UPDATE, 0), .pred = of_topic, .arg = &topic,
                    .rate = 20};
    c.f.topic = topic;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_REINDEX, 0, 0);
    c.right[c.nright++] = L(MLLM_LEVER_ROUTE, MLLM_ROLE_BACKUP, 0);
    run_case(&c, s, 0.10, 0.8);
    mllm_service_free(s);
}

static void prompt_trigger_refuses_the_term_until_rollback(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_PROMPT_TRIGGER, 0), .pred = has_term, .arg = "delete",
                    .rate = 20};
    c.f.prompt = mllm_world_prompt(W, "v3");
    snprintf(c.f.term, sizeof c.f.term, "delete");
    g_main_text = true;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_ROUTE, MLLM_ROLE_BACKUP, 0);
    c.right[c.nright++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v2"), 0);
    run_case(&c, s, 0.10, 0.8);
    g_main_text = false;
    mllm_service_free(s);
}

static void provider_slowdown_latency_goes_away_on_the_backup_model(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_PROVIDER_SLOWDOWN, 0), .pred = any_answerable,
                    .rate = 20, .metric = m_latency};
    c.f.factor = 6;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v1"), 0);
    c.right[c.nright++] = L(MLLM_LEVER_ROUTE, MLLM_ROLE_BACKUP, 0);
    /* Healthy mean latency is about 2 s (the backup about 5 s); 6x is far above. */
    run_case(&c, s, 6000, 9000);
    mllm_service_free(s);
}

static void rate_limiting_slows_requests_until_throttled(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_RATE_LIMITING, 0), .pred = any_answerable, .rate = 40,
                    .metric = m_latency};
    c.f.factor = 1200; /* requests/min: half the offered 2400 */
    c.n = 6000;        /* long enough for the one-minute rate window to fill */
    c.wrong[c.nwrong++] = L(MLLM_LEVER_REINDEX, 0, 0);
    c.right[c.nright++] = L(MLLM_LEVER_THROTTLE, 0, 15);
    run_case(&c, s, 3000, 3500);
    mllm_service_free(s);
}

static void context_growth_is_capped(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_CONTEXT_GROWTH, 0), .pred = any_answerable, .rate = 20,
                    .metric = m_context, .client = 1};
    c.f.target.client = 1;
    c.f.factor = 3000;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v1"), 0);
    c.right[c.nright++] = L(MLLM_LEVER_CONTEXT_CAP, 1500, 0);
    run_case(&c, s, 2500, 4000);
    mllm_service_free(s);
}

static void api_change_errors_stop_with_the_compatibility_pin(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_API_CHANGE, 0), .pred = any_answerable, .rate = 20};
    c.wrong[c.nwrong++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v1"), 0);
    c.right[c.nright++] = L(MLLM_LEVER_API_COMPAT, 1, 0);
    run_case(&c, s, 0.08, 0.9);
    mllm_service_free(s);
}

static void schema_mismatch_breaks_only_structured_output(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    int type = MLLM_QT_STRUCTURED;
    fault_case c = {.f = fault(MLLM_FAULT_SCHEMA_MISMATCH, 0), .pred = of_type, .arg = &type,
                    .rate = 20};
    c.f.prompt = mllm_world_prompt(W, "v4");
    c.wrong[c.nwrong++] = L(MLLM_LEVER_REINDEX, 0, 0);
    c.right[c.nright++] = L(MLLM_LEVER_PARSER_COMPAT, 1, 0);
    run_case(&c, s, 0.10, 0.9);
    /* Other query types were never touched. */
    stats st;
    serve(s, MIN(30), 500, 20, any_answerable, NULL, 0, &st);
    assert_int_equal(st.s500, 0);
    mllm_service_free(s);
}

static void rate_limit_errors_stop_with_backoff_and_throttle(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    fault_case c = {.f = fault(MLLM_FAULT_RATE_LIMIT_ERRORS, 0), .pred = any_answerable,
                    .rate = 40};
    c.f.factor = 1200;
    c.n = 6000;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_PROMPT, mllm_world_prompt(W, "v1"), 0);
    c.right[c.nright++] = L(MLLM_LEVER_BACKOFF, 1, 0);
    c.right[c.nright++] = L(MLLM_LEVER_THROTTLE, 0, 15);
    run_case(&c, s, 0.08, 0.3);
    mllm_service_free(s);
}

static void kb_gap_hallucinations_stop_after_adding_documents_and_reindexing(void **state)
{
    (void)state;
    mllm_config cfg;
    mllm_service *s = new_service(&cfg);
    int topic = mllm_world_topic(W, "billing");
    fault_case c = {.f = fault(MLLM_FAULT_KB_GAP, 0), .pred = of_topic, .arg = &topic, .rate = 20};
    c.f.topic = topic;
    c.wrong[c.nwrong++] = L(MLLM_LEVER_ROUTE, MLLM_ROLE_BACKUP, 0);
    c.right[c.nright++] = L(MLLM_LEVER_ADD_DOCS, topic, 0);
    c.right[c.nright++] = L(MLLM_LEVER_REINDEX, 0, 0);
    c.settle = cfg.reindex_duration;
    /* Harm here includes declining answerable questions. */
    c.metric = NULL;
    run_case(&c, s, 0.12, 0.4);
    mllm_service_free(s);
}

static void levers_reject_bad_arguments(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    mllm_lever bad[] = {
        {MLLM_LEVER_PROMPT, 99, 0},         {MLLM_LEVER_ROUTE, 7, 0},
        {MLLM_LEVER_PIN_MODEL, 9, 0},       {MLLM_LEVER_DISABLE_TYPE, 42, 1},
        {MLLM_LEVER_DISABLE_TOPIC, -1, 1},  {MLLM_LEVER_THROTTLE, 0, -5},
        {MLLM_LEVER_RESTORE_SNAPSHOT, 77, 0}, {MLLM_LEVER_CONTEXT_CAP, -3, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_true(mllm_service_lever(s, &bad[i], SEC(1)) < 0);
    mllm_lever ok = {MLLM_LEVER_REINDEX, 0, 0};
    assert_int_equal(mllm_service_lever(s, &ok, SEC(1)), 0);
    assert_int_equal(mllm_service_lever(s, &ok, SEC(2)), MLLM_EBUSY);
    mllm_fault f = fault(MLLM_FAULT_KB_GAP, 0);
    f.target.fraction = 1.5;
    assert_int_equal(mllm_service_fault_add(s, &f), MLLM_EINVAL);
    mllm_service_free(s);
}

static void kill_switch_serves_no_wrong_answers(void **state)
{
    (void)state;
    mllm_service *s = new_service(NULL);
    mllm_fault f = fault(MLLM_FAULT_PROMPT_REGRESSION, 0);
    f.prompt = mllm_world_prompt(W, "v3");
    mllm_service_fault_add(s, &f);
    lever(s, MLLM_LEVER_KILL_SWITCH, 1, 0, SEC(1));
    lever(s, MLLM_LEVER_FALLBACK, MLLM_FB_UNAVAILABLE, 0, SEC(1));
    stats st;
    serve(s, SEC(2), 500, 20, any_answerable, NULL, 0, &st);
    assert_int_equal(st.wrong + st.halluc + st.stale, 0);
    assert_int_equal(st.correct, 0);
    mllm_service_free(s);
}

static int setup(void **state)
{
    (void)state;
    mllm_diags d;
    mllm_diags_clear(&d);
    W = mllm_world_load(FIREDRILL_DATA_DIR "/assets", &d);
    if (!W)
        mllm_diags_print(&d, stderr);
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
        cmocka_unit_test(healthy_service_answers_mostly_correctly),
        cmocka_unit_test(same_seed_and_request_give_the_same_response),
        cmocka_unit_test(fraction_zero_touches_nothing_and_small_fractions_are_exact),
        cmocka_unit_test(free_text_gets_an_answer_from_the_knowledge_base),
        cmocka_unit_test(render_truncates_like_snprintf_and_writes_json_when_structured),
        cmocka_unit_test(clearing_a_fault_restores_health_at_once),
        cmocka_unit_test(prompt_regression_is_fixed_by_rollback_not_by_model_switch),
        cmocka_unit_test(model_change_is_fixed_by_pinning_not_by_prompt_rollback),
        cmocka_unit_test(retrieval_degradation_is_fixed_by_restoring_the_snapshot),
        cmocka_unit_test(stale_index_serves_old_versions_until_reindex),
        cmocka_unit_test(safety_update_refusals_go_away_on_the_backup_model),
        cmocka_unit_test(prompt_trigger_refuses_the_term_until_rollback),
        cmocka_unit_test(provider_slowdown_latency_goes_away_on_the_backup_model),
        cmocka_unit_test(rate_limiting_slows_requests_until_throttled),
        cmocka_unit_test(context_growth_is_capped),
        cmocka_unit_test(api_change_errors_stop_with_the_compatibility_pin),
        cmocka_unit_test(schema_mismatch_breaks_only_structured_output),
        cmocka_unit_test(rate_limit_errors_stop_with_backoff_and_throttle),
        cmocka_unit_test(kb_gap_hallucinations_stop_after_adding_documents_and_reindexing),
        cmocka_unit_test(levers_reject_bad_arguments),
        cmocka_unit_test(kill_switch_serves_no_wrong_answers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
