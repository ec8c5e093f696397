/* bench_bm25.c - mllm_index against SQLite FTS5 on a synthetic corpus.
 *
 * Generates, from a fixed seed, 10,000 chunks of 50-150 words drawn from a
 * 50,000-word synthetic vocabulary with Zipf frequencies (s = 1.07), and two
 * query sets: words drawn like the chunks ("zipf") and words from the tail of
 * the distribution ("rare"). Builds mllm_index and an in-memory FTS5 table on
 * the same text, runs the same any-word top-5 queries on both, and checks that
 * the top-5 lists agree. The last line of output holds the figures as
 * key=value pairs for scripts. Needs -lsqlite3.
 *
 * Usage: bench_bm25 [seed]
 */
#include "mllm_index.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NDOCS     10000
#define VOCAB     50000
#define ZIPF_S    1.07
#define TAIL_RANK 5000 /* rare queries draw from ranks >= this */
#define NQUERIES  2000
#define TOPK      5
#define TOL       1e-4 /* relative score tolerance for ties */
#define BUILDS    5    /* builds timed on each side, best kept */

typedef struct rng {
    uint64_t s; /* splitmix64 state */
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double rng_unit(rng *r) /* uniform in [0, 1) */
{
    return (double)(rng_next(r) >> 11) * 0x1p-53;
}

static unsigned rng_below(rng *r, unsigned n)
{
    return (unsigned)(rng_next(r) % n);
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct corpus {
    char **words;   /* vocabulary, by Zipf rank */
    double *cdf;    /* cumulative Zipf probability up to each rank */
    char **docs;    /* chunk texts */
    size_t *dlen;   /* their lengths */
    size_t ntokens; /* words in all chunks */
} corpus;

typedef struct qset {
    const char *name; /* "zipf" or "rare" */
    char **ours;      /* query text for mllm_index: words separated by spaces */
    char **fts;       /* the FTS5 form: "w1" OR "w2" ... */
} qset;

typedef struct results {
    uint32_t id[NQUERIES][TOPK];  /* ids, best first */
    double score[NQUERIES][TOPK]; /* scores, higher is better */
    int n[NQUERIES];              /* hits per query */
} results;

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "bench_bm25: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Distinct random lower-case words of 3 to 10 letters. */
static void make_vocab(corpus *c, rng *r)
{
    size_t nslots = 1u << 17;
    uint32_t *set = calloc(nslots, sizeof *set); /* 1 + word index */
    if (!set)
        exit(1);
    c->words = xmalloc(VOCAB * sizeof *c->words);
    char buf[16];
    for (size_t w = 0; w < VOCAB;) {
        unsigned len = 3 + rng_below(r, 8);
        for (unsigned i = 0; i < len; i++)
            buf[i] = (char)('a' + rng_below(r, 26));
        buf[len] = '\0';
        size_t i = fnv(buf) & (nslots - 1);
        bool dup = false;
        while (set[i]) {
            if (strcmp(c->words[set[i] - 1], buf) == 0) {
                dup = true;
                break;
            }
            i = (i + 1) & (nslots - 1);
        }
        if (dup)
            continue;
        c->words[w] = xstrdup(buf);
        set[i] = (uint32_t)++w;
    }
    free(set);
    c->cdf = xmalloc(VOCAB * sizeof *c->cdf);
    double sum = 0.0;
    for (size_t w = 0; w < VOCAB; w++) {
        sum += 1.0 / pow((double)(w + 1), ZIPF_S);
        c->cdf[w] = sum;
    }
    for (size_t w = 0; w < VOCAB; w++)
        c->cdf[w] /= sum;
}

/* A Zipf rank >= `from`. */
static size_t draw_rank(const corpus *c, rng *r, size_t from)
{
    double lo = from ? c->cdf[from - 1] : 0.0;
    double u = lo + rng_unit(r) * (1.0 - lo);
    size_t a = from, b = VOCAB - 1;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (c->cdf[mid] <= u)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

/* Chunks read like text: sentences with a capital first word, commas,
 * full stops and the odd number, all of which both tokenizers must handle
 * alike. */
static void make_docs(corpus *c, rng *r)
{
    c->docs = xmalloc(NDOCS * sizeof *c->docs);
    c->dlen = xmalloc(NDOCS * sizeof *c->dlen);
    c->ntokens = 0;
    for (size_t d = 0; d < NDOCS; d++) {
        unsigned nw = 50 + rng_below(r, 101);
        char *s = xmalloc(nw * 16 + 16);
        size_t at = 0;
        bool cap = true;
        for (unsigned i = 0; i < nw; i++) {
            if (rng_below(r, 50) == 0) {
                at += (size_t)sprintf(s + at, "%u ", rng_below(r, 3000));
            } else {
                const char *w = c->words[draw_rank(c, r, 0)];
                size_t n = strlen(w);
                memcpy(s + at, w, n);
                if (cap)
                    s[at] = (char)(s[at] - 'a' + 'A');
                at += n;
            }
            cap = false;
            unsigned p = rng_below(r, 20);
            if (p == 0) {
                s[at++] = '.';
                cap = true;
            } else if (p == 1) {
                s[at++] = ',';
            }
            s[at++] = ' ';
        }
        s[at] = '\0';
        c->docs[d] = s;
        c->dlen[d] = at;
        c->ntokens += nw;
    }
}

static void make_queries(const corpus *c, rng *r, qset *q, size_t from)
{
    q->ours = xmalloc(NQUERIES * sizeof *q->ours);
    q->fts = xmalloc(NQUERIES * sizeof *q->fts);
    for (size_t i = 0; i < NQUERIES; i++) {
        unsigned nw = 2 + rng_below(r, 3);
        char a[128], b[160];
        size_t na = 0, nb = 0;
        for (unsigned j = 0; j < nw; j++) {
            const char *w = c->words[draw_rank(c, r, from)];
            na += (size_t)sprintf(a + na, "%s%s", j ? " " : "", w);
            nb += (size_t)sprintf(b + nb, "%s\"%s\"", j ? " OR " : "", w);
        }
        q->ours[i] = xstrdup(a);
        q->fts[i] = xstrdup(b);
    }
}

static void die_sql(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_bm25: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec_sql(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die_sql(db, sql);
}

static double build_fts5(sqlite3 *db, const corpus *c)
{
    double t0 = now_sec();
    exec_sql(db, "CREATE VIRTUAL TABLE t USING fts5(body)");
    exec_sql(db, "BEGIN");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES(?1, ?2)", -1, &st, NULL))
        die_sql(db, "prepare insert");
    for (size_t d = 0; d < NDOCS; d++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)d + 1);
        sqlite3_bind_text(st, 2, c->docs[d], (int)c->dlen[d], SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            die_sql(db, "insert");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    exec_sql(db, "COMMIT");
    return now_sec() - t0;
}

static mllm_index *build_ours(const corpus *c, double *secs)
{
    double t0 = now_sec();
    mllm_index *ix = mllm_index_new(1.2f, 0.75f, false);
    if (!ix)
        exit(1);
    for (size_t d = 0; d < NDOCS; d++)
        if (mllm_index_add(ix, (uint32_t)d + 1, c->docs[d], c->dlen[d]) != 0)
            exit(1);
    if (mllm_index_build(ix) != 0)
        exit(1);
    *secs = now_sec() - t0;
    return ix;
}

/* Runs the first n queries of q on FTS5 with statement `st`; seconds taken. */
static double run_fts5(sqlite3 *db, sqlite3_stmt *st, const qset *q, size_t n, results *res)
{
    double t0 = now_sec();
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_text(st, 1, q->fts[i], -1, SQLITE_STATIC);
        int k = 0, rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (k < TOPK) {
                res->id[i][k] = (uint32_t)sqlite3_column_int64(st, 0);
                res->score[i][k] = -sqlite3_column_double(st, 1);
                k++;
            }
        }
        if (rc != SQLITE_DONE)
            die_sql(db, "query");
        sqlite3_reset(st);
        res->n[i] = k;
    }
    return now_sec() - t0;
}

static double run_ours(mllm_index *ix, const qset *q, results *res)
{
    mllm_hit hits[TOPK];
    double t0 = now_sec();
    for (size_t i = 0; i < NQUERIES; i++) {
        size_t n = mllm_index_search(ix, q->ours[i], strlen(q->ours[i]), hits, TOPK);
        for (size_t k = 0; k < n; k++) {
            res->id[i][k] = hits[k].id;
            res->score[i][k] = hits[k].score;
        }
        res->n[i] = (int)n;
    }
    return now_sec() - t0;
}

static bool near(double a, double b)
{
    return fabs(a - b) <= TOL * fmax(fabs(a), fabs(b));
}

typedef struct agreement {
    int identical;  /* same ids in the same order */
    int ties;       /* differ only among equal scores */
    int mismatch;   /* anything else */
    double max_rel; /* largest relative score difference over identical lists */
    int first_bad;  /* first mismatching query, -1 if none */
} agreement;

/* Lists differing only in the order or choice of equally scored hits count
 * as ties: the scores must agree position by position, and every position
 * whose id differs must hold a score shared with a neighbour, or be the last
 * of a full list (a tie with the first hit left out). */
static void compare(const results *a, const results *b, agreement *ag)
{
    memset(ag, 0, sizeof *ag);
    ag->first_bad = -1;
    for (int i = 0; i < NQUERIES; i++) {
        int n = a->n[i];
        bool same = n == b->n[i], tie = same;
        for (int k = 0; same && k < n; k++)
            same = a->id[i][k] == b->id[i][k];
        if (same) {
            ag->identical++;
            for (int k = 0; k < n; k++) {
                double d =
                    fabs(a->score[i][k] - b->score[i][k]) / fmax(fabs(b->score[i][k]), 1e-300);
                if (d > ag->max_rel)
                    ag->max_rel = d;
            }
            continue;
        }
        for (int k = 0; tie && k < n; k++) {
            if (!near(a->score[i][k], b->score[i][k])) {
                tie = false;
            } else if (a->id[i][k] != b->id[i][k]) {
                bool shared = (k > 0 && near(a->score[i][k], a->score[i][k - 1])) ||
                              (k + 1 < n && near(a->score[i][k], a->score[i][k + 1])) ||
                              (k + 1 == n && n == TOPK);
                tie = shared;
            }
        }
        if (tie) {
            ag->ties++;
        } else {
            ag->mismatch++;
            if (ag->first_bad < 0)
                ag->first_bad = i;
        }
    }
}

static void show_mismatch(const qset *q, const results *ours, const results *fts, int i)
{
    printf("  first %s mismatch, query %d: %s\n", q->name, i, q->ours[i]);
    for (int k = 0; k < TOPK; k++) {
        printf("    #%d  ours ", k + 1);
        if (k < ours->n[i])
            printf("%6u %.7f", ours->id[i][k], ours->score[i][k]);
        else
            printf("%21s", "-");
        printf("   fts5 ");
        if (k < fts->n[i])
            printf("%6u %.7f", fts->id[i][k], fts->score[i][k]);
        printf("\n");
    }
}

static const char *const fts_forms[] = {
    "SELECT rowid, bm25(t) FROM t WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT 5",
    "SELECT rowid, rank FROM t WHERE t MATCH ?1 ORDER BY rank LIMIT 5",
};

typedef struct run {
    double ours_qps;    /* mllm_index queries per second */
    double fts_qps;     /* FTS5 queries per second, with the faster statement */
    double form_qps[2]; /* FTS5 rate of each statement on the trial queries */
    int form;           /* FTS5 statement used, index into fts_forms */
    agreement ag;       /* top-5 agreement */
} run;

/* Best time over passes of the first n queries of q on FTS5 adding up to at
 * least `budget` seconds (one pass at least, three at most). */
static double time_fts5(sqlite3 *db, sqlite3_stmt *st, const qset *q, size_t n, results *res,
                        double budget)
{
    double best = 1e300, spent = 0.0;
    for (int pass = 0; pass < 3 && (pass == 0 || spent < budget); pass++) {
        double t = run_fts5(db, st, q, n, res);
        spent += t;
        best = fmin(best, t);
    }
    return best;
}

static void bench_set(sqlite3 *db, mllm_index *ix, const qset *q, run *out)
{
    static results ours, fts;
    /* Both statements are correct; the one faster on a trial slice runs. */
    sqlite3_stmt *st[2];
    for (int f = 0; f < 2; f++) {
        if (sqlite3_prepare_v2(db, fts_forms[f], -1, &st[f], NULL))
            die_sql(db, "prepare query");
        out->form_qps[f] = (NQUERIES / 10) / time_fts5(db, st[f], q, NQUERIES / 10, &fts, 1.0);
    }
    out->form = out->form_qps[1] > out->form_qps[0];

    /* Rounds of one FTS5 pass then passes of ours for a tenth of a second,
     * best pass kept on each side: interleaving exposes both to the same
     * spells of load from other processes. Up to 5 rounds, while FTS5 has
     * taken less than 5 s (a zipf pass alone takes longer). */
    double tf = 1e300, to = 1e300, fts_spent = 0.0;
    for (int round = 0; round < 5 && (round == 0 || fts_spent < 5.0); round++) {
        double t = run_fts5(db, st[out->form], q, NQUERIES, &fts);
        fts_spent += t;
        tf = fmin(tf, t);
        double spent = 0.0;
        for (int pass = 0; pass < 3 || spent < 0.1; pass++) {
            t = run_ours(ix, q, &ours);
            spent += t;
            to = fmin(to, t);
        }
    }
    sqlite3_finalize(st[0]);
    sqlite3_finalize(st[1]);
    out->ours_qps = NQUERIES / to;
    out->fts_qps = NQUERIES / tf;
    compare(&ours, &fts, &out->ag);
    if (out->ag.first_bad >= 0)
        show_mismatch(q, &ours, &fts, out->ag.first_bad);
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 20240601;
    rng r = {seed};
    corpus c;
    make_vocab(&c, &r);
    make_docs(&c, &r);
    qset zipf = {"zipf", NULL, NULL}, rare = {"rare", NULL, NULL};
    make_queries(&c, &r, &zipf, 0);
    make_queries(&c, &r, &rare, TAIL_RANK);

    /* Builds are timed best of BUILDS, each side keeping its last. */
    double t_ours = 1e300, t_fts = 1e300;
    mllm_index *ix = NULL;
    sqlite3 *db = NULL;
    for (int i = 0; i < BUILDS; i++) {
        double t;
        mllm_index_free(ix);
        ix = build_ours(&c, &t);
        t_ours = fmin(t_ours, t);
        sqlite3_close(db);
        if (sqlite3_open(":memory:", &db) != SQLITE_OK)
            die_sql(db, "open");
        t_fts = fmin(t_fts, build_fts5(db, &c));
    }
    /* Merging FTS5's segments into one makes its queries faster; not
     * counted as build time, which keeps both comparisons conservative. */
    double t0 = now_sec();
    exec_sql(db, "INSERT INTO t(t) VALUES('optimize')");
    double t_opt = now_sec() - t0;

    run rz, rr;
    bench_set(db, ix, &zipf, &rz);
    bench_set(db, ix, &rare, &rr);

    int total = 2 * NQUERIES;
    int ident = rz.ag.identical + rr.ag.identical;
    int ties = rz.ag.ties + rr.ag.ties;
    int bad = rz.ag.mismatch + rr.ag.mismatch;
    printf("bm25 bench: seed=%llu chunks=%d words=%zu vocab=%d terms=%zu index=%.1f MiB\n",
           (unsigned long long)seed, NDOCS, c.ntokens, VOCAB, mllm_index_terms(ix),
           (double)mllm_index_memory_bytes(ix) / (1024.0 * 1024.0));
    printf("%-12s %12s %14s %14s\n", "", "build ms", "zipf q/s", "rare q/s");
    printf("%-12s %12.1f %14.0f %14.0f\n", "mllm_index", t_ours * 1e3, rz.ours_qps, rr.ours_qps);
    printf("%-12s %12.1f %14.0f %14.0f\n", "sqlite fts5", t_fts * 1e3, rz.fts_qps, rr.fts_qps);
    printf("%-12s %11.3fx %13.1fx %13.1fx\n", "ours/fts5", t_ours / t_fts, rz.ours_qps / rz.fts_qps,
           rr.ours_qps / rr.fts_qps);
    printf("fts5 'optimize' after the build (not counted): %.1f ms\n", t_opt * 1e3);
    for (int f = 0; f < 2; f++)
        printf("fts5 statement %c (trial: %.0f zipf q/s, %.0f rare q/s): %s\n", 'A' + f,
               rz.form_qps[f], rr.form_qps[f], fts_forms[f]);
    printf("fts5 statement used: zipf %c, rare %c\n", 'A' + rz.form, 'A' + rr.form);
    printf("top-5 lists  zipf: %d identical, %d ties, %d mismatch; "
           "rare: %d identical, %d ties, %d mismatch\n",
           rz.ag.identical, rz.ag.ties, rz.ag.mismatch, rr.ag.identical, rr.ag.ties,
           rr.ag.mismatch);
    printf("largest relative score difference on identical lists: %.2e\n",
           fmax(rz.ag.max_rel, rr.ag.max_rel));
    printf("ratio_vs_fts5_zipf=%.1f ratio_vs_fts5_rare=%.1f top5_identical=%d/%d "
           "build_ratio=%.3f our_qps_zipf=%.0f fts5_qps_zipf=%.0f our_qps_rare=%.0f "
           "fts5_qps_rare=%.0f ties=%d mismatch=%d\n",
           rz.ours_qps / rz.fts_qps, rr.ours_qps / rr.fts_qps, ident, total, t_ours / t_fts,
           rz.ours_qps, rz.fts_qps, rr.ours_qps, rr.fts_qps, ties, bad);

    sqlite3_close(db);
    mllm_index_free(ix);
    for (size_t i = 0; i < NQUERIES; i++) {
        free(zipf.ours[i]);
        free(zipf.fts[i]);
        free(rare.ours[i]);
        free(rare.fts[i]);
    }
    free(zipf.ours);
    free(zipf.fts);
    free(rare.ours);
    free(rare.fts);
    for (size_t d = 0; d < NDOCS; d++)
        free(c.docs[d]);
    free(c.docs);
    free(c.dlen);
    for (size_t w = 0; w < VOCAB; w++)
        free(c.words[w]);
    free(c.words);
    free(c.cdf);
    return bad ? 1 : 0;
}
