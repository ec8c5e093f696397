/* test_mllm_index.c - unit tests of the BM25 index (mockllm/mllm_index.c).
 *
 * Tokenizer cases, scores computed by hand from FTS5's bm25() formula, the
 * ranking contract (score, then ascending id), the error returns, and a
 * randomized comparison against a brute-force scorer that exercises the
 * pruned search paths (long posting lists, small and large k), and
 * out-of-memory injection at every allocation of a build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mllm_index.h"

/* Fault injection: the index is compiled into this test, its allocations
 * routed through an allocator that fails the n-th call on request. Defining
 * every mllm_index_* here keeps the linker from taking the library's copy. */
static long fi_left = -1; /* successful allocations left before one fails; < 0: none fails */
static bool fi_hit;       /* an allocation has failed since the flag was cleared */

static bool fi_fail(void)
{
    if (fi_left < 0 || fi_left-- > 0)
        return false;
    fi_hit = true;
    return true;
}

static void *fi_malloc(size_t n)
{
    return fi_fail() ? NULL : malloc(n);
}

static void *fi_calloc(size_t n, size_t size)
{
    return fi_fail() ? NULL : calloc(n, size);
}

static void *fi_realloc(void *p, size_t n)
{
    return fi_fail() ? NULL : realloc(p, n);
}

#define malloc  fi_malloc
#define calloc  fi_calloc
#define realloc fi_realloc
#include "mllm_index.c"
#undef malloc
#undef calloc
#undef realloc

#define K1 1.2
#define B  0.75

/* Tokens collected by mllm_tokenize, joined by '|'. */
typedef struct tokbuf {
    char text[4096]; /* "tok|tok|..." */
    size_t len;      /* bytes used */
    size_t count;    /* tokens seen */
} tokbuf;

static void collect(const char *tok, size_t len, void *ctx)
{
    tokbuf *tb = ctx;
    tb->count++;
    if (tb->len + len + 2 > sizeof tb->text)
        return;
    if (tb->len)
        tb->text[tb->len++] = '|';
    memcpy(tb->text + tb->len, tok, len);
    tb->len += len;
    tb->text[tb->len] = '\0';
}

static const char *tokens_of(tokbuf *tb, const char *text, size_t len, bool stopwords)
{
    memset(tb, 0, sizeof *tb);
    mllm_tokenize(text, len, stopwords, collect, tb);
    return tb->text;
}

/* FTS5's bm25() contribution of one query phrase to one row. */
static double bm25_term(double tf, double dl, double df, double n, double avgdl)
{
    double idf = log((n - df + 0.5) / (df + 0.5));
    if (idf <= 0.0)
        idf = 1e-6;
    return idf * ((tf * (K1 + 1.0)) / (tf + K1 * (1 - B + B * dl / avgdl)));
}

static void assert_score(float got, double want)
{
    double tol = fabs(want) * 2e-6 + 1e-12;
    if (fabs((double)got - want) > tol)
        fail_msg("score %.9g, want %.9g", (double)got, want);
}

static mllm_index *index_of(const char *const *docs, const uint32_t *ids, size_t n, bool stop)
{
    mllm_index *ix = mllm_index_new((float)K1, (float)B, stop);
    assert_non_null(ix);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(mllm_index_add(ix, ids[i], docs[i], strlen(docs[i])), 0);
    assert_int_equal(mllm_index_build(ix), 0);
    return ix;
}

static size_t search(mllm_index *ix, const char *q, mllm_hit *out, size_t k)
{
    return mllm_index_search(ix, q, strlen(q), out, k);
}

static void tokenizer_splits_on_non_alnum_and_lower_cases(void **state)
{
    (void)state;
    tokbuf tb;
    const char *t = "Hello, WORLD! foo_bar x2Y 42-7\ttab\nnew  ";
    assert_string_equal(tokens_of(&tb, t, strlen(t), false),
                        "hello|world|foo|bar|x2y|42|7|tab|new");
    assert_string_equal(tokens_of(&tb, "", 0, false), "");
    assert_string_equal(tokens_of(&tb, " ,.;", 4, false), "");
    /* The length is honoured and NUL is a separator. */
    assert_string_equal(tokens_of(&tb, "ab\0cd ef", 7, false), "ab|cd|e");
    /* NULL text or callback: nothing happens. */
    assert_string_equal(tokens_of(&tb, NULL, 4, false), "");
    assert_int_equal(tb.count, 0);
    mllm_tokenize("ab", 2, false, NULL, NULL);
}

static void tokenizer_keeps_high_bytes_as_token_chars(void **state)
{
    (void)state;
    tokbuf tb;
    /* "Café NAÏVE": only ASCII letters are lower-cased. */
    const char *t = "Caf\xc3\xa9 NA\xc3\x8fVE";
    assert_string_equal(tokens_of(&tb, t, strlen(t), false), "caf\xc3\xa9|na\xc3\x8fve");
}

static void tokenizer_passes_long_tokens_whole(void **state)
{
    (void)state;
    char text[1200];
    memset(text, 'A', 1000);
    memcpy(text + 1000, " bb", 4);
    tokbuf tb;
    tokens_of(&tb, text, strlen(text), false);
    assert_int_equal(tb.count, 2);
    assert_int_equal(tb.len, 1000 + 1 + 2);
    assert_int_equal(tb.text[0], 'a');
    assert_int_equal(tb.text[999], 'a');
    assert_string_equal(tb.text + 1000, "|bb");
}

static void tokenizer_drops_stop_words_only_when_asked(void **state)
{
    (void)state;
    tokbuf tb;
    const char *t = "The cat AND the hat of Yours, then a zebra";
    assert_string_equal(tokens_of(&tb, t, strlen(t), false),
                        "the|cat|and|the|hat|of|yours|then|a|zebra");
    assert_string_equal(tokens_of(&tb, t, strlen(t), true), "cat|hat|zebra");
}

/* Three chunks, scores checked against the formula evaluated here. */
static void index_scores_match_fts5_bm25_formula(void **state)
{
    (void)state;
    const char *docs[] = {"the quick brown fox", "The lazy dog and the QUICK cat", "fox fox fox"};
    const uint32_t ids[] = {1, 2, 3};
    mllm_index *ix = index_of(docs, ids, 3, false);
    const double n = 3.0, avgdl = (4.0 + 7.0 + 3.0) / 3.0;
    mllm_hit h[8];

    /* "lazy" is in one chunk (idf > 0), "fox" in two (idf floored at 1e-6). */
    assert_int_equal(search(ix, "lazy fox", h, 8), 3);
    assert_int_equal(h[0].id, 2);
    assert_score(h[0].score, bm25_term(1, 7, 1, n, avgdl));
    assert_int_equal(h[1].id, 3);
    assert_score(h[1].score, bm25_term(3, 3, 2, n, avgdl));
    assert_int_equal(h[2].id, 1);
    assert_score(h[2].score, bm25_term(1, 4, 2, n, avgdl));

    /* Two terms in one chunk add up. */
    assert_int_equal(search(ix, "LAZY cat", h, 1), 1);
    assert_int_equal(h[0].id, 2);
    assert_score(h[0].score, 2 * bm25_term(1, 7, 1, n, avgdl));

    /* "the" is twice in chunk 2 and once in chunk 1. */
    assert_int_equal(search(ix, "the", h, 8), 2);
    assert_int_equal(h[0].id, 2);
    assert_score(h[0].score, bm25_term(2, 7, 2, n, avgdl));
    assert_score(h[1].score, bm25_term(1, 4, 2, n, avgdl));
    mllm_index_free(ix);
}

/* FTS5 scores "a OR a" as two phrases: a repeated term counts each time. */
static void index_counts_repeated_query_term_per_occurrence(void **state)
{
    (void)state;
    const char *docs[] = {"alpha beta", "gamma delta", "epsilon zeta", "eta theta"};
    const uint32_t ids[] = {1, 2, 3, 4};
    mllm_index *ix = index_of(docs, ids, 4, false);
    mllm_hit one, two, three;
    assert_int_equal(search(ix, "alpha", &one, 1), 1);
    assert_int_equal(search(ix, "alpha ALPHA", &two, 1), 1);
    assert_int_equal(search(ix, "alpha x alpha alpha", &three, 1), 1);
    double s = bm25_term(1, 2, 1, 4, 2);
    assert_score(one.score, s);
    assert_score(two.score, 2 * s);
    assert_score(three.score, 3 * s);
    mllm_index_free(ix);
}

static void index_ranks_by_score_then_ascending_id(void **state)
{
    (void)state;
    const char *docs[] = {"red apple", "red red", "red apple", "blue sky", "red apple"};
    const uint32_t ids[] = {30, 7, 10, 99, 20};
    mllm_index *ix = index_of(docs, ids, 5, false);
    mllm_hit h[5];
    assert_int_equal(search(ix, "apple", h, 5), 3);
    assert_int_equal(h[0].id, 10);
    assert_int_equal(h[1].id, 20);
    assert_int_equal(h[2].id, 30);
    assert_true(h[0].score == h[1].score && h[1].score == h[2].score);
    /* Cut inside a tie: the smallest ids stay. */
    assert_int_equal(search(ix, "apple", h, 2), 2);
    assert_int_equal(h[0].id, 10);
    assert_int_equal(h[1].id, 20);
    /* "red red" has tf 2: it comes first. */
    assert_int_equal(search(ix, "red", h, 5), 4);
    assert_int_equal(h[0].id, 7);
    assert_true(h[0].score > h[1].score);
    assert_int_equal(h[1].id, 10);
    assert_int_equal(h[2].id, 20);
    assert_int_equal(h[3].id, 30);
    mllm_index_free(ix);
}

/* Equal scores come by ascending id on every top-k path (few or many
 * chunks, small or large k), whether ids were added in order or not. */
static void index_breaks_ties_by_id_on_all_paths(void **state)
{
    (void)state;
    const size_t ns[] = {6, 20, 100};
    const size_t ks[] = {1, 3, 5, 8, 17, 40};
    for (int order = 0; order < 2; order++) {
        for (size_t a = 0; a < 3; a++) {
            size_t n = ns[a];
            mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
            for (size_t i = 0; i < n; i++) {
                /* Ids 10, 20, ... added in order, or in reverse. */
                uint32_t id = (uint32_t)(order ? n - i : i + 1) * 10;
                assert_int_equal(mllm_index_add(ix, id, "same words here", 15), 0);
            }
            assert_int_equal(mllm_index_add(ix, order ? 5 : 99999, "other text", 10), 0);
            assert_int_equal(mllm_index_build(ix), 0);
            mllm_hit h[40];
            for (size_t b = 0; b < 6; b++) {
                size_t k = ks[b], want = k < n ? k : n;
                assert_int_equal(search(ix, "words", h, k), want);
                for (size_t i = 0; i < want; i++)
                    assert_int_equal(h[i].id, (uint32_t)(i + 1) * 10);
            }
            mllm_index_free(ix);
        }
    }
}

static void index_returns_only_matches_when_k_is_larger(void **state)
{
    (void)state;
    const char *docs[] = {"one two", "two three", "three four", "four five"};
    const uint32_t ids[] = {4, 3, 2, 1};
    mllm_index *ix = index_of(docs, ids, 4, false);
    mllm_hit h[40];
    assert_int_equal(search(ix, "two", h, 40), 2);
    assert_int_equal(search(ix, "one five", h, 40), 2);
    assert_int_equal(search(ix, "one two three four five", h, 40), 4);
    mllm_index_free(ix);
}

static void index_returns_zero_for_empty_query_or_no_match(void **state)
{
    (void)state;
    const char *docs[] = {"some text here", "more text"};
    const uint32_t ids[] = {1, 2};
    mllm_index *ix = index_of(docs, ids, 2, false);
    mllm_hit h[4];
    assert_int_equal(search(ix, "", h, 4), 0);
    assert_int_equal(search(ix, " ,;! ", h, 4), 0);
    assert_int_equal(search(ix, "absent words only", h, 4), 0);
    assert_int_equal(mllm_index_search(ix, NULL, 0, h, 4), 0);
    assert_int_equal(search(ix, "text", h, 0), 0);
    assert_int_equal(search(ix, "text", NULL, 4), 0);
    mllm_index_free(ix);
}

static void index_search_before_build_returns_zero(void **state)
{
    (void)state;
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
    assert_non_null(ix);
    assert_int_equal(mllm_index_add(ix, 1, "hello world", 11), 0);
    mllm_hit h[2];
    assert_int_equal(search(ix, "hello", h, 2), 0);
    assert_int_equal(mllm_index_build(ix), 0);
    assert_int_equal(search(ix, "hello", h, 2), 1);
    mllm_index_free(ix);
}

static void index_rejects_add_after_build_with_einval(void **state)
{
    (void)state;
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
    assert_int_equal(mllm_index_add(ix, 1, "a b c", 5), 0);
    assert_int_equal(mllm_index_build(ix), 0);
    assert_int_equal(mllm_index_add(ix, 2, "d e f", 5), -EINVAL);
    assert_int_equal(mllm_index_chunks(ix), 1);
    assert_int_equal(mllm_index_build(ix), 0); /* building twice is harmless */
    mllm_index_free(ix);
}

static void index_rejects_duplicate_id_with_einval(void **state)
{
    (void)state;
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
    assert_int_equal(mllm_index_add(ix, 0, "zero", 4), 0);
    assert_int_equal(mllm_index_add(ix, UINT32_MAX, "max", 3), 0);
    assert_int_equal(mllm_index_add(ix, 0, "other", 5), -EINVAL);
    assert_int_equal(mllm_index_add(ix, UINT32_MAX, "other", 5), -EINVAL);
    assert_int_equal(mllm_index_chunks(ix), 2);
    assert_int_equal(mllm_index_terms(ix), 2);
    assert_int_equal(mllm_index_build(ix), 0);
    mllm_hit h[2];
    assert_int_equal(search(ix, "max other", h, 2), 1);
    assert_int_equal(h[0].id, UINT32_MAX);
    mllm_index_free(ix);
}

static void index_rejects_bad_arguments(void **state)
{
    (void)state;
    assert_null(mllm_index_new(-1.0f, 0.75f, false));
    assert_null(mllm_index_new(1.2f, 1.5f, false));
    assert_null(mllm_index_new(NAN, 0.75f, false));
    assert_int_equal(mllm_index_add(NULL, 1, "x", 1), -EINVAL);
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
    assert_int_equal(mllm_index_add(ix, 1, NULL, 3), -EINVAL);
    assert_int_equal(mllm_index_add(ix, 1, NULL, 0), 0); /* an empty chunk */
    assert_int_equal(mllm_index_build(NULL), -EINVAL);
    assert_int_equal(mllm_index_chunks(NULL), 0);
    mllm_index_free(ix);
}

static void index_free_null_is_noop(void **state)
{
    (void)state;
    mllm_index_free(NULL);
}

static void index_counts_chunks_terms_and_memory(void **state)
{
    (void)state;
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
    assert_int_equal(mllm_index_add(ix, 9, "x y", 3), 0);
    assert_true(mllm_index_memory_bytes(ix) > 0);
    mllm_index_free(ix);
    assert_int_equal(mllm_index_memory_bytes(NULL), 0);

    const char *docs[] = {"a b c", "b c d", ""};
    const uint32_t ids[] = {1, 2, 3};
    ix = index_of(docs, ids, 3, false);
    assert_int_equal(mllm_index_chunks(ix), 3);
    assert_int_equal(mllm_index_terms(ix), 4);
    assert_true(mllm_index_memory_bytes(ix) > 0);
    mllm_index_free(ix);
}

/* Stop words leave chunks and queries alike, and chunk lengths too. */
static void index_drops_stop_words_when_asked(void **state)
{
    (void)state;
    const char *docs[] = {"the cat sat on the mat", "a dog", "the bird"};
    const uint32_t ids[] = {1, 2, 3};
    mllm_index *ix = index_of(docs, ids, 3, true);
    assert_int_equal(mllm_index_terms(ix), 5); /* cat sat mat dog bird */
    mllm_hit h[3];
    assert_int_equal(search(ix, "the", h, 3), 0);
    assert_int_equal(search(ix, "THE cat", h, 3), 1);
    /* Lengths 3, 1, 1 without stop words. */
    assert_score(h[0].score, bm25_term(1, 3, 1, 3, 5.0 / 3.0));
    mllm_index_free(ix);

    ix = index_of(docs, ids, 3, false);
    assert_int_equal(search(ix, "the", h, 3), 2);
    mllm_index_free(ix);
}

/* Terms longer than the part kept in the hash slot, sharing prefixes. */
static void index_tells_long_terms_apart(void **state)
{
    (void)state;
    char longa[400], longb[400];
    memset(longa, 'q', 399);
    longa[399] = '\0';
    memcpy(longb, longa, sizeof longb);
    longb[398] = 'r';
    const char *docs[] = {"internationalization",
                          "internationalisation",
                          "international",
                          "internationalizations",
                          longa,
                          longb};
    const uint32_t ids[] = {1, 2, 3, 4, 5, 6};
    mllm_index *ix = index_of(docs, ids, 6, false);
    assert_int_equal(mllm_index_terms(ix), 6);
    mllm_hit h[6];
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(search(ix, docs[i], h, 6), 1);
        assert_int_equal(h[0].id, ids[i]);
    }
    assert_int_equal(search(ix, "INTERNATIONALIZATION", h, 6), 1);
    assert_int_equal(h[0].id, 1);
    assert_int_equal(search(ix, "internationalizatio", h, 6), 0);
    mllm_index_free(ix);
}

/* --- randomized comparison with a brute-force scorer ------------------- */

#define R_DOCS  1500
#define R_VOCAB 400
#define R_MAXW  60

typedef struct rcorpus {
    uint16_t words[R_DOCS][R_MAXW]; /* word numbers of each chunk */
    int len[R_DOCS];                /* words in each chunk */
    int df[R_VOCAB];                /* chunks holding each word */
    uint32_t id[R_DOCS];            /* chunk ids, shuffled */
    double avgdl;                   /* mean chunk length */
} rcorpus;

static uint64_t rstate = 42;

static uint32_t rnd(uint32_t n)
{
    rstate = rstate * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rstate >> 33) % n);
}

/* Skewed word choice, so that some posting lists are long. */
static int rword(void)
{
    uint32_t r = rnd(1000);
    if (r < 500)
        return (int)rnd(12);
    if (r < 800)
        return 12 + (int)rnd(60);
    return 72 + (int)rnd(R_VOCAB - 72);
}

static void word_text(char *buf, int w)
{
    sprintf(buf, "w%d", w);
}

static double brute_score(const rcorpus *c, int d, const int *q, int nq)
{
    double s = 0.0;
    for (int i = 0; i < nq; i++) {
        int tf = 0;
        for (int j = 0; j < c->len[d]; j++)
            tf += c->words[d][j] == q[i];
        if (tf)
            s += bm25_term(tf, c->len[d], c->df[q[i]], R_DOCS, c->avgdl);
    }
    return s;
}

typedef struct scored {
    uint32_t id; /* chunk id */
    double s;    /* brute-force score */
} scored;

static int by_rank(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->s != y->s)
        return x->s > y->s ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static void index_matches_brute_force_on_random_corpus(void **state)
{
    (void)state;
    static rcorpus c;
    memset(&c, 0, sizeof c);
    static char text[R_MAXW * 8];
    mllm_index *ix = mllm_index_new((float)K1, (float)B, false);
    assert_non_null(ix);
    long total = 0;
    for (int d = 0; d < R_DOCS; d++)
        c.id[d] = (uint32_t)d * 7919u % 100003u; /* distinct, not in order */
    for (int d = 0; d < R_DOCS; d++) {
        c.len[d] = 1 + (int)rnd(R_MAXW);
        size_t at = 0;
        bool seen[R_VOCAB] = {false};
        for (int j = 0; j < c.len[d]; j++) {
            int w = rword();
            c.words[d][j] = (uint16_t)w;
            if (!seen[w])
                c.df[w]++;
            seen[w] = true;
            char buf[16];
            word_text(buf, w);
            at += (size_t)sprintf(text + at, "%s%s", j ? (rnd(5) ? " " : ", ") : "", buf);
        }
        total += c.len[d];
        assert_int_equal(mllm_index_add(ix, c.id[d], text, at), 0);
    }
    c.avgdl = (double)total / R_DOCS;
    assert_int_equal(mllm_index_build(ix), 0);

    static scored all[R_DOCS];
    mllm_hit hits[64];
    const size_t ks[] = {1, 3, 5, 10, 17, 64};
    for (int qi = 0; qi < 600; qi++) {
        int q[6], nq = 1 + (int)rnd(6);
        char qtext[128];
        size_t at = 0;
        for (int i = 0; i < nq; i++) {
            q[i] = qi % 3 ? rword() : (int)rnd(R_VOCAB + 20); /* some unknown words */
            at += (size_t)sprintf(qtext + at, "%sw%d", i ? " " : "", q[i]);
        }
        int n = 0;
        for (int d = 0; d < R_DOCS; d++) {
            double s = brute_score(&c, d, q, nq);
            if (s > 0.0)
                all[n++] = (scored){c.id[d], s};
        }
        qsort(all, (size_t)n, sizeof *all, by_rank);
        size_t k = ks[qi % 6];
        size_t got = mllm_index_search(ix, qtext, at, hits, k);
        assert_int_equal(got, (size_t)n < k ? (size_t)n : k);
        double prev = 0.0;
        for (size_t i = 0; i < got; i++) {
            /* Each hit has its true score, and the scores are the true top k. */
            assert_score(hits[i].score, all[i].s);
            double own = -1.0;
            for (int j = 0; j < n && own < 0.0; j++)
                if (all[j].id == hits[i].id)
                    own = all[j].s;
            assert_true(own > 0.0);
            assert_score(hits[i].score, own);
            /* Ranked by exact score; exact ties by ascending id. Near ties
             * may differ from the brute force by the float rounding of the
             * index's per-posting impacts. */
            if (i > 0) {
                assert_true(prev >= own * (1 - 1e-6));
                if (prev == own)
                    assert_true(hits[i - 1].id < hits[i].id);
            }
            prev = own;
        }
    }
    mllm_index_free(ix);
}

/* Queries with more distinct terms than a scan handles, repeats included. */
static void index_handles_long_queries_with_repeats(void **state)
{
    (void)state;
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
    char text[64], query[4096];
    for (uint32_t i = 0; i < 2000; i++) {
        int n = sprintf(text, "t%u filler", (unsigned)i);
        assert_int_equal(mllm_index_add(ix, 5000 - i, text, (size_t)n), 0);
    }
    assert_int_equal(mllm_index_build(ix), 0);
    assert_int_equal(mllm_index_terms(ix), 2001);
    size_t at = 0;
    for (int i = 0; i < 60; i++)
        at += (size_t)sprintf(query + at, "T%d ", i);
    at += (size_t)sprintf(query + at, "t5 t5 nosuchword t5 t59");
    mllm_hit h[100];
    assert_int_equal(mllm_index_search(ix, query, at, h, 100), 60);
    double s = bm25_term(1, 2, 1, 2000, 2);
    assert_int_equal(h[0].id, 5000 - 5); /* 4 times in the query */
    assert_score(h[0].score, 4 * s);
    assert_int_equal(h[1].id, 5000 - 59); /* twice */
    assert_score(h[1].score, 2 * s);
    for (size_t i = 2; i < 60; i++) {
        assert_score(h[i].score, s);
        if (i > 2)
            assert_true(h[i - 1].id < h[i].id);
    }
    mllm_index_free(ix);
}

#define OOM_DOCS 700

static void oom_doc(char *text, size_t *len, int d)
{
    /* A new word per chunk (the dictionary and id set grow), shared words,
     * a stop word and a long word (the token buffer grows). */
    *len = (size_t)sprintf(
        text, "u%d the shared w%d %.*s", d, d % 7, 20 + d % 50,
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
}

static const char *const oom_queries[] = {"shared w3", "u5 u600 abcdefghijklmnopqrstuvwxyzab",
                                          "w1 w2 w4 u1", "the"};

/* Builds the OOM corpus; an add or build that fails with -ENOMEM is retried
 * with failures off, which must then succeed. NULL if mllm_index_new fails. */
static mllm_index *oom_build(void)
{
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, true);
    if (!ix)
        return NULL;
    char text[256];
    size_t len;
    for (int d = 0; d < OOM_DOCS; d++) {
        oom_doc(text, &len, d);
        int rc = mllm_index_add(ix, (uint32_t)d * 3u, text, len);
        if (rc == -ENOMEM) {
            fi_left = -1;
            rc = mllm_index_add(ix, (uint32_t)d * 3u, text, len);
        }
        assert_int_equal(rc, 0);
    }
    int rc = mllm_index_build(ix);
    if (rc == -ENOMEM) {
        fi_left = -1;
        rc = mllm_index_build(ix);
    }
    assert_int_equal(rc, 0);
    return ix;
}

static void oom_at_every_allocation_leaves_index_consistent(void **state)
{
    (void)state;
    fi_left = -1;
    mllm_index *ref = oom_build();
    assert_non_null(ref);
    size_t nq = sizeof oom_queries / sizeof oom_queries[0];
    for (long fail_at = 0;; fail_at++) {
        fi_hit = false;
        fi_left = fail_at;
        mllm_index *ix = oom_build();
        fi_left = -1;
        if (!ix) {
            assert_true(fi_hit);
            continue;
        }
        assert_int_equal(mllm_index_chunks(ix), mllm_index_chunks(ref));
        assert_int_equal(mllm_index_terms(ix), mllm_index_terms(ref));
        for (size_t q = 0; q < nq; q++) {
            mllm_hit a[8], b[8];
            size_t na = search(ix, oom_queries[q], a, 8);
            size_t nb = search(ref, oom_queries[q], b, 8);
            assert_int_equal(na, nb);
            for (size_t i = 0; i < na; i++) {
                assert_int_equal(a[i].id, b[i].id);
                assert_true(a[i].score == b[i].score);
            }
        }
        mllm_index_free(ix);
        if (!fi_hit)
            break; /* every allocation of the build has failed once */
    }
    mllm_index_free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tokenizer_splits_on_non_alnum_and_lower_cases),
        cmocka_unit_test(tokenizer_keeps_high_bytes_as_token_chars),
        cmocka_unit_test(tokenizer_passes_long_tokens_whole),
        cmocka_unit_test(tokenizer_drops_stop_words_only_when_asked),
        cmocka_unit_test(index_scores_match_fts5_bm25_formula),
        cmocka_unit_test(index_counts_repeated_query_term_per_occurrence),
        cmocka_unit_test(index_ranks_by_score_then_ascending_id),
        cmocka_unit_test(index_breaks_ties_by_id_on_all_paths),
        cmocka_unit_test(index_returns_only_matches_when_k_is_larger),
        cmocka_unit_test(index_returns_zero_for_empty_query_or_no_match),
        cmocka_unit_test(index_search_before_build_returns_zero),
        cmocka_unit_test(index_rejects_add_after_build_with_einval),
        cmocka_unit_test(index_rejects_duplicate_id_with_einval),
        cmocka_unit_test(index_rejects_bad_arguments),
        cmocka_unit_test(index_free_null_is_noop),
        cmocka_unit_test(index_counts_chunks_terms_and_memory),
        cmocka_unit_test(index_drops_stop_words_when_asked),
        cmocka_unit_test(index_tells_long_terms_apart),
        cmocka_unit_test(index_matches_brute_force_on_random_corpus),
        cmocka_unit_test(index_handles_long_queries_with_repeats),
        cmocka_unit_test(oom_at_every_allocation_leaves_index_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
