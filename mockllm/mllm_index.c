/* mllm_index.c - BM25 inverted index over text chunks (the RAG retriever).
 *
 * Adding a chunk tokenizes it once, finds each token's term through an
 * open-addressing hash whose slots hold short terms inline, and appends one
 * (term, tf) record per distinct term of the chunk. Building turns the records
 * into one posting array per term, each posting holding the chunk index and
 * its precomputed BM25 impact idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b *
 * dl / avgdl)) as a float, so that scoring is a sum (kept in double, so that
 * the tiny contributions of floored-idf terms still separate near-equal
 * scores as they do in FTS5). Search is term-at-a-time with MaxScore pruning:
 * terms go by decreasing upper bound, and once the k-th best partial score is
 * out of reach of all that the remaining terms could add, those terms are
 * only added (by binary search or a masked sweep) to the chunks that can
 * still make the top k. A query allocates nothing: all scratch space is sized
 * at build. The costs that dominate a query of rare words are cache misses
 * and mispredicted branches, hence the prefetching token batches and the
 * branch-free top-k for short lists.
 */
#include "mllm_index.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0 for a separator byte, else the byte lower-cased. Bytes >= 0x80 are token
 * bytes, kept as they are: unicode61 for the ASCII range, an approximation
 * beyond it. */
static const unsigned char tok_map[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
    0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
    0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
    0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
    0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf,
    0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

/* English function words, sorted bytewise for bsearch. */
static const char *const stop_words[] = {
    "a",      "about",  "above",    "after",      "again",      "against", "all",     "am",
    "an",     "and",    "any",      "are",        "as",         "at",      "be",      "because",
    "been",   "before", "being",    "below",      "between",    "both",    "but",     "by",
    "can",    "did",    "do",       "does",       "doing",      "down",    "during",  "each",
    "few",    "for",    "from",     "further",    "had",        "has",     "have",    "having",
    "he",     "her",    "here",     "hers",       "herself",    "him",     "himself", "his",
    "how",    "i",      "if",       "in",         "into",       "is",      "it",      "its",
    "itself", "just",   "me",       "more",       "most",       "my",      "myself",  "no",
    "nor",    "not",    "now",      "of",         "off",        "on",      "once",    "only",
    "or",     "other",  "our",      "ours",       "ourselves",  "out",     "over",    "own",
    "same",   "she",    "should",   "so",         "some",       "such",    "than",    "that",
    "the",    "their",  "theirs",   "them",       "themselves", "then",    "there",   "these",
    "they",   "this",   "those",    "through",    "to",         "too",     "under",   "until",
    "up",     "very",   "was",      "we",         "were",       "what",    "when",    "where",
    "which",  "while",  "who",      "whom",       "why",        "will",    "with",    "you",
    "your",   "yours",  "yourself", "yourselves",
};

#define STOP_WORDS (sizeof stop_words / sizeof stop_words[0])
#define TOK_STACK  256  /* mllm_tokenize lower-cases shorter tokens on the stack */
#define KEY_BYTES  11   /* term bytes kept in the hash slot itself */
#define MIN_SLOTS  1024 /* initial size of the hash tables */
#define FEW_TERMS  32   /* queries with more distinct terms dedupe by stamp, not by scan */
#define K_INSERT   16   /* top-k by sorted insertion up to this k, by heap above */
#define K_SMALL    8    /* top-k nearly without branches up to this k... */
#define SMALL_N    48   /* ...and this many chunks */
#define BATCH      16   /* tokens hashed ahead of their dictionary probes */

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* The dictionary is an open-addressing hash table with linear probing whose
 * slots hold what a query needs of a term, short terms included, so that a
 * lookup usually touches a single cache line. */
typedef struct slot {
    uint32_t tid1; /* 1 + term id; 0 marks an empty slot */
    uint32_t hash; /* the term's hash */
    uint32_t post; /* before build: record of the last chunk with it; after: 1st posting */
    uint32_t df;   /* chunks holding the term */
    union {
        uint32_t last; /* before build: 1 + index of the last chunk holding the term */
        float ub;      /* after build: largest impact among the term's postings */
    } u;
    unsigned char key[12]; /* min(length, 255), then the first KEY_BYTES bytes, zero padded */
} slot;

typedef struct term {
    uint32_t str;    /* offset of the term's bytes in ix->strs */
    uint32_t len;    /* length of the term in bytes */
    uint32_t slot;   /* index of its slot in ix->slots */
    uint32_t qstamp; /* serial of the last long query that named the term */
    uint32_t qslot;  /* the term's index in ix->qt during that query */
} term;

typedef struct posting {
    uint32_t doc; /* chunk index, in order of mllm_index_add */
    float imp;    /* BM25 contribution of the term to that chunk */
} posting;

typedef struct cand {
    double s;     /* exact score of a chunk */
    uint32_t doc; /* the chunk's index */
} cand;

typedef struct qterm {
    const posting *p; /* the term's postings */
    uint32_t n;       /* number of postings */
    uint32_t tid;     /* term id */
    float scale;      /* times the term occurs in the query: FTS5 scores each phrase */
    double ub;        /* scale * the term's largest impact */
    double rest;      /* sum of ub over the query terms taken after this one */
} qterm;

struct mllm_index {
    double k1;          /* BM25 k1 */
    double b;           /* BM25 b */
    bool stopwords;     /* drop stop words from chunks and queries */
    bool built;         /* frozen by mllm_index_build */
    bool ids_in_order;  /* after build: ids grow with the chunk index */
    slot *slots;        /* the dictionary */
    size_t nslots;      /* a power of two, at least twice nterms */
    term *terms;        /* per term id: its text and query bookkeeping */
    size_t nterms;      /* term ids handed out */
    size_t cap_terms;   /* room in terms */
    size_t nlive;       /* terms with at least one posting */
    char *strs;         /* bytes of all terms, back to back */
    size_t nstrs;       /* bytes used in strs */
    size_t cap_strs;    /* room in strs */
    size_t maxlen;      /* longest term; longer query tokens cannot match */
    unsigned char *tok; /* the current token lower-cased, when long or a stop word candidate */
    size_t cap_tok;     /* room in tok, at least maxlen + 8 */
    uint32_t *ids;      /* caller's id of each chunk */
    uint32_t *dlen;     /* before build: tokens in each chunk */
    uint32_t *dfirst;   /* before build: first record of each chunk */
    size_t ndocs;       /* chunks added */
    size_t cap_docs;    /* room in ids, dlen and dfirst */
    uint64_t ntokens;   /* tokens in all chunks */
    uint64_t *idset;    /* before build: hash set of 1 + id, to refuse duplicates */
    size_t nidslots;    /* a power of two, at least twice ndocs */
    uint32_t *rterm;    /* before build: term of each (chunk, term) record */
    uint32_t *rtf;      /* before build: frequency of the term in the chunk */
    size_t nrec;        /* records */
    size_t cap_rec;     /* room in rterm and rtf */
    posting *post;      /* after build: postings of all terms, grouped by term */
    size_t npost;       /* postings */
    double *acc;        /* after build: score accumulator per chunk, all zero between queries */
    cand *cand;         /* after build: top-k scratch, room for ndocs */
    uint32_t *touched;  /* after build: chunks with a non-zero accumulator, room for ndocs + 1 */
    qterm *qt;          /* after build: the distinct terms of the current query */
    uint32_t qstamp;    /* serial of the current long query */
    bool qstamped;      /* the current query's terms carry qstamp */
};

/* Array p of *cap elements of `size` bytes grown (by doubling) to hold at
 * least need >= 1 of them, *cap updated: p itself when it already does, NULL
 * when out of memory (p is then untouched). */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (n > SIZE_MAX / size)
        return NULL;
    void *q = realloc(p, n * size);
    if (q)
        *cap = n;
    return q;
}

static inline uint64_t mix64(uint64_t h)
{
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 31);
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

static inline uint32_t load32(const unsigned char *p)
{
    uint32_t w;
    memcpy(&w, p, sizeof w);
    return w;
}

/* Finds the next token at or after *pos. Returns its length (0 at the end of
 * the text) and sets *start; *pos moves past the token. */
static inline size_t next_token(const unsigned char *s, size_t len, size_t *pos, size_t *start)
{
    size_t i = *pos;
    while (i < len && !tok_map[s[i]])
        i++;
    size_t b = i;
    while (i < len && tok_map[s[i]])
        i++;
    *pos = i;
    *start = b;
    return i - b;
}

static inline void lower_copy(unsigned char *dst, const unsigned char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = tok_map[src[i]];
}

static bool is_stop_word(const unsigned char *tok, size_t n)
{
    size_t lo = 0, hi = STOP_WORDS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = stop_words[mid];
        size_t wn = strlen(w);
        int c = memcmp(w, tok, wn < n ? wn : n);
        if (c == 0)
            c = (wn > n) - (wn < n);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void mllm_tokenize(const char *text, size_t len, bool stopwords, mllm_token_fn fn, void *ctx)
{
    if (!text || !fn)
        return;
    const unsigned char *s = (const unsigned char *)text;
    unsigned char stack[TOK_STACK];
    unsigned char *heap = NULL;
    size_t pos = 0, start, n;
    while ((n = next_token(s, len, &pos, &start)) > 0) {
        unsigned char *buf = stack;
        if (n > sizeof stack) {
            /* One buffer big enough for any token of the rest of the text. */
            if (!heap)
                heap = malloc(len - start);
            if (!heap)
                continue; /* out of memory: the long token is skipped */
            buf = heap;
        }
        lower_copy(buf, s + start, n);
        if (stopwords && is_stop_word(buf, n))
            continue;
        fn((const char *)buf, n, ctx);
    }
    free(heap);
}

/* A token's slot key, built in registers: storing bytes and reloading them as
 * words would stall on store forwarding. */
typedef struct tkey {
    uint64_t w0; /* min(length, 255), then the first 7 bytes, zero padded */
    uint32_t w1; /* bytes 8 to 11, zero padded */
    uint32_t h;  /* hash of the whole token */
} tkey;

/* Key and hash of the token s[0..n), lower-cased. A token longer than
 * KEY_BYTES is also lower-cased into ix->tok (room for n + 8 checked by the
 * caller), where the probe compares its tail. */
static inline tkey token_key(mllm_index *ix, const unsigned char *s, size_t n)
{
    tkey k;
    uint64_t w0 = n < 255 ? n : 255, w1 = 0;
    size_t n0 = n < 7 ? n : 7, n1 = n < KEY_BYTES ? n : KEY_BYTES;
    for (size_t i = 0; i < n0; i++)
        w0 |= (uint64_t)tok_map[s[i]] << (8 * (i + 1));
    for (size_t i = 7; i < n1; i++)
        w1 |= (uint64_t)tok_map[s[i]] << (8 * (i - 7));
    uint64_t h = mix64(w0 ^ 0x9e3779b97f4a7c15ull);
    h = mix64(h ^ w1);
    if (n > KEY_BYTES) {
        unsigned char *t = ix->tok;
        lower_copy(t, s, n);
        memset(t + n, 0, 8);
        for (size_t i = KEY_BYTES; i < n; i += 8)
            h = mix64(h ^ load64(t + i)); /* the zero padding covers the last word */
    }
    h = mix64(h);
    k.w0 = w0;
    k.w1 = (uint32_t)w1;
    k.h = (uint32_t)(h ^ (h >> 32));
    return k;
}

/* A token read ahead of its dictionary probe. */
typedef struct ptok {
    const unsigned char *s; /* the token in the text */
    size_t n;               /* its length */
    tkey k;                 /* its key */
} ptok;

/* Slot of token (n, k): the term's slot, or the empty slot where it would
 * go. For a token longer than KEY_BYTES, ix->tok must hold it lower-cased. */
static slot *dict_probe(const mllm_index *ix, size_t n, tkey k)
{
    size_t mask = ix->nslots - 1;
    for (size_t i = k.h & mask;; i = (i + 1) & mask) {
        slot *sl = &ix->slots[i];
        if (!sl->tid1)
            return sl;
        if (sl->hash != k.h || load64(sl->key) != k.w0 || load32(sl->key + 8) != k.w1)
            continue;
        if (n <= KEY_BYTES)
            return sl;
        const term *t = &ix->terms[sl->tid1 - 1];
        if (t->len == n &&
            memcmp(ix->strs + t->str + KEY_BYTES, ix->tok + KEY_BYTES, n - KEY_BYTES) == 0)
            return sl;
    }
}

/* Doubles the dictionary's table. */
static int dict_grow(mllm_index *ix)
{
    size_t ns = ix->nslots * 2;
    slot *s = calloc(ns, sizeof *s);
    if (!s)
        return -ENOMEM;
    for (size_t i = 0; i < ix->nslots; i++) {
        const slot *o = &ix->slots[i];
        if (!o->tid1)
            continue;
        size_t j = o->hash & (ns - 1);
        while (s[j].tid1)
            j = (j + 1) & (ns - 1);
        s[j] = *o;
        ix->terms[o->tid1 - 1].slot = (uint32_t)j;
    }
    free(ix->slots);
    ix->slots = s;
    ix->nslots = ns;
    return 0;
}

/* Adds token s[0..n) with key k as a new term in the empty slot *sl; may
 * move the table, so *sl is updated. */
static int dict_insert(mllm_index *ix, const unsigned char *src, size_t n, tkey k, slot **sl)
{
    if (ix->nterms >= UINT32_MAX - 1 || ix->nstrs + n > UINT32_MAX)
        return -ENOMEM;
    term *terms = grow(ix->terms, &ix->cap_terms, ix->nterms + 1, sizeof *ix->terms);
    if (!terms)
        return -ENOMEM;
    ix->terms = terms;
    char *strs = grow(ix->strs, &ix->cap_strs, ix->nstrs + n, 1);
    if (!strs)
        return -ENOMEM;
    ix->strs = strs;
    if ((ix->nterms + 1) * 2 > ix->nslots) {
        if (dict_grow(ix))
            return -ENOMEM;
        *sl = dict_probe(ix, n, k);
    }
    term *t = &ix->terms[ix->nterms];
    memset(t, 0, sizeof *t);
    t->str = (uint32_t)ix->nstrs;
    t->len = (uint32_t)n;
    t->slot = (uint32_t)(*sl - ix->slots);
    lower_copy((unsigned char *)ix->strs + ix->nstrs, src, n);
    ix->nstrs += n;
    if (n > ix->maxlen)
        ix->maxlen = n;
    slot *s = *sl;
    memset(s, 0, sizeof *s);
    s->tid1 = (uint32_t)++ix->nterms;
    s->hash = k.h;
    memcpy(s->key, &k.w0, sizeof k.w0);
    memcpy(s->key + 8, &k.w1, sizeof k.w1);
    return 0;
}

static inline size_t id_home(uint32_t id, size_t mask)
{
    return (size_t)(mix64((uint64_t)id + 1) & mask);
}

static bool idset_has(const mllm_index *ix, uint32_t id)
{
    size_t mask = ix->nidslots - 1;
    for (size_t i = id_home(id, mask);; i = (i + 1) & mask) {
        if (!ix->idset[i])
            return false;
        if (ix->idset[i] == (uint64_t)id + 1)
            return true;
    }
}

static void idset_put(uint64_t *set, size_t nslots, uint32_t id)
{
    size_t mask = nslots - 1;
    size_t i = id_home(id, mask);
    while (set[i])
        i = (i + 1) & mask;
    set[i] = (uint64_t)id + 1;
}

/* Makes room for one more id in the set, so that the insert cannot fail. */
static int idset_reserve(mllm_index *ix)
{
    if ((ix->ndocs + 1) * 2 <= ix->nidslots)
        return 0;
    size_t ns = ix->nidslots * 2;
    uint64_t *s = calloc(ns, sizeof *s);
    if (!s)
        return -ENOMEM;
    for (size_t i = 0; i < ix->nidslots; i++)
        if (ix->idset[i])
            idset_put(s, ns, (uint32_t)(ix->idset[i] - 1));
    free(ix->idset);
    ix->idset = s;
    ix->nidslots = ns;
    return 0;
}

/* The double nearest to the shortest decimal that reads back as f, so that
 * 1.2f scores exactly like FTS5's 1.2 rather than like 1.2000000476837158. */
static double decimal_of(float f)
{
    char buf[32];
    for (int digits = 6; digits <= 9; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, (double)f);
        double d = strtod(buf, NULL);
        if ((float)d == f)
            return d;
    }
    return (double)f;
}

mllm_index *mllm_index_new(float k1, float b, bool stopwords)
{
    if (!(k1 >= 0.0f && k1 <= 1e6f) || !(b >= 0.0f && b <= 1.0f))
        return NULL;
    mllm_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->k1 = decimal_of(k1);
    ix->b = decimal_of(b);
    ix->stopwords = stopwords;
    ix->nslots = MIN_SLOTS;
    ix->slots = calloc(ix->nslots, sizeof *ix->slots);
    ix->nidslots = MIN_SLOTS;
    ix->idset = calloc(ix->nidslots, sizeof *ix->idset);
    if (!ix->slots || !ix->idset) {
        mllm_index_free(ix);
        return NULL;
    }
    return ix;
}

void mllm_index_free(mllm_index *ix)
{
    if (!ix)
        return;
    free(ix->slots);
    free(ix->terms);
    free(ix->strs);
    free(ix->tok);
    free(ix->ids);
    free(ix->dlen);
    free(ix->dfirst);
    free(ix->idset);
    free(ix->rterm);
    free(ix->rtf);
    free(ix->post);
    free(ix->acc);
    free(ix->cand);
    free(ix->touched);
    free(ix->qt);
    free(ix);
}

/* Room for one more chunk in ids, dlen and dfirst. */
static int docs_reserve(mllm_index *ix)
{
    size_t need = ix->ndocs + 1, cap = ix->cap_docs;
    if (need <= cap)
        return 0;
    /* The three arrays share one capacity: it moves once all have grown. */
    uint32_t **arrays[] = {&ix->ids, &ix->dlen, &ix->dfirst};
    for (size_t i = 0; i < 3; i++) {
        cap = ix->cap_docs;
        uint32_t *a = grow(*arrays[i], &cap, need, sizeof **arrays[i]);
        if (!a)
            return -ENOMEM;
        *arrays[i] = a;
    }
    ix->cap_docs = cap;
    return 0;
}

/* Room for `more` records in rterm and rtf. */
static int rec_reserve(mllm_index *ix, size_t more)
{
    size_t need = ix->nrec + more, cap = ix->cap_rec;
    if (need <= cap)
        return 0;
    uint32_t **arrays[] = {&ix->rterm, &ix->rtf};
    for (size_t i = 0; i < 2; i++) {
        cap = ix->cap_rec;
        uint32_t *a = grow(*arrays[i], &cap, need, sizeof **arrays[i]);
        if (!a)
            return -ENOMEM;
        *arrays[i] = a;
    }
    ix->cap_rec = cap;
    return 0;
}

/* Reads up to BATCH tokens of s[*pos..len), skipping those longer than
 * maxlen, into b and prefetches their slots. Returns how many (0 at the end),
 * or SIZE_MAX when growing ix->tok for a long token runs out of memory. */
static size_t next_batch(mllm_index *ix, const unsigned char *s, size_t len, size_t *pos,
                         size_t maxlen, ptok *b)
{
    size_t nb = 0, start, n;
    while (nb < BATCH && (n = next_token(s, len, pos, &start)) > 0) {
        if (n > maxlen)
            continue;
        if (n + 8 > ix->cap_tok) {
            unsigned char *t = grow(ix->tok, &ix->cap_tok, n + 8, 1);
            if (!t)
                return SIZE_MAX;
            ix->tok = t;
        }
        b[nb].s = s + start;
        b[nb].n = n;
        b[nb].k = token_key(ix, s + start, n);
        PREFETCH(&ix->slots[b[nb].k.h & (ix->nslots - 1)]);
        nb++;
    }
    return nb;
}

/* Counts token t in the chunk being added, whose mark is 1 + its index.
 * Sets t->n to 0 when it is a stop word. Returns 0 or -ENOMEM. */
static int add_token(mllm_index *ix, ptok *t, uint32_t mark)
{
    size_t n = t->n;
    if (n > KEY_BYTES)
        token_key(ix, t->s, n); /* ix->tok now holds a later token */
    slot *sl = dict_probe(ix, n, t->k);
    if (!sl->tid1) {
        if (ix->stopwords) {
            lower_copy(ix->tok, t->s, n);
            if (is_stop_word(ix->tok, n)) {
                t->n = 0;
                return 0;
            }
        }
        if (dict_insert(ix, t->s, n, t->k, &sl))
            return -ENOMEM;
    }
    if (sl->u.last == mark) {
        ix->rtf[sl->post]++;
        return 0;
    }
    if (ix->nrec == ix->cap_rec && rec_reserve(ix, 1))
        return -ENOMEM;
    ix->rterm[ix->nrec] = sl->tid1 - 1;
    ix->rtf[ix->nrec] = 1;
    sl->post = (uint32_t)ix->nrec++;
    sl->u.last = mark;
    if (sl->df++ == 0)
        ix->nlive++;
    return 0;
}

int mllm_index_add(mllm_index *ix, uint32_t id, const char *text, size_t len)
{
    if (!ix || (!text && len) || ix->built)
        return -EINVAL;
    if (len / 2 >= UINT32_MAX || ix->ndocs >= UINT32_MAX - 1)
        return -EINVAL; /* token counts and chunk indexes are 32-bit */
    if (idset_has(ix, id))
        return -EINVAL;
    if ((uint64_t)ix->nrec + (len + 1) / 2 >= UINT32_MAX)
        return -ENOMEM; /* record indexes are 32-bit */
    if (idset_reserve(ix) || docs_reserve(ix))
        return -ENOMEM;

    const unsigned char *s = (const unsigned char *)text;
    size_t rec0 = ix->nrec;
    uint32_t mark = (uint32_t)ix->ndocs + 1;
    uint32_t dl = 0;
    size_t pos = 0, nb;
    ptok batch[BATCH];
    while ((nb = next_batch(ix, s, len, &pos, SIZE_MAX, batch)) > 0) {
        if (nb == SIZE_MAX)
            goto err_rollback;
        for (size_t i = 0; i < nb; i++) {
            if (add_token(ix, &batch[i], mark))
                goto err_rollback;
            dl += batch[i].n != 0;
        }
    }
    ix->ids[ix->ndocs] = id;
    ix->dlen[ix->ndocs] = dl;
    ix->dfirst[ix->ndocs] = (uint32_t)rec0;
    ix->ndocs++;
    ix->ntokens += dl;
    idset_put(ix->idset, ix->nidslots, id);
    return 0;

err_rollback:
    /* Terms first seen in this chunk stay in the dictionary with no postings. */
    for (size_t r = rec0; r < ix->nrec; r++) {
        slot *sl = &ix->slots[ix->terms[ix->rterm[r]].slot];
        sl->u.last = 0;
        if (--sl->df == 0)
            ix->nlive--;
    }
    ix->nrec = rec0;
    return -ENOMEM;
}

int mllm_index_build(mllm_index *ix)
{
    if (!ix)
        return -EINVAL;
    if (ix->built)
        return 0;
    size_t nd = ix->ndocs, nt = ix->nterms;
    posting *post = malloc((ix->nrec ? ix->nrec : 1) * sizeof *post);
    double *acc = calloc(nd ? nd : 1, sizeof *acc);
    cand *cd = malloc((nd ? nd : 1) * sizeof *cd);
    uint32_t *touched = malloc((nd + 1) * sizeof *touched); /* search writes one past */
    qterm *qt = malloc((nt ? nt : 1) * sizeof *qt);
    double *idf = malloc((nt ? nt : 1) * sizeof *idf);
    uint32_t *fill = malloc((nt ? nt : 1) * sizeof *fill);
    if (!post || !acc || !cd || !touched || !qt || !idf || !fill)
        goto err_free;

    const double k1 = ix->k1, b = ix->b;
    const double ndd = (double)nd;
    const double avgdl = ix->ntokens ? (double)ix->ntokens / ndd : 1.0;
    size_t off = 0;
    for (size_t i = 0; i < nt; i++) {
        slot *sl = &ix->slots[ix->terms[i].slot];
        double df = (double)sl->df;
        /* The expression and the floor of FTS5's bm25(). */
        double v = log((ndd - df + 0.5) / (df + 0.5));
        idf[i] = v <= 0.0 ? 1e-6 : v;
        fill[i] = (uint32_t)off;
        off += sl->df;
    }
    for (size_t d = 0; d < nd; d++) {
        size_t r1 = d + 1 < nd ? ix->dfirst[d + 1] : ix->nrec;
        double D = (double)ix->dlen[d];
        double norm = k1 * (1 - b + b * D / avgdl);
        for (size_t r = ix->dfirst[d]; r < r1; r++) {
            uint32_t tid = ix->rterm[r];
            double f = (double)ix->rtf[r];
            posting *p = &post[fill[tid]++];
            p->doc = (uint32_t)d;
            p->imp = (float)(idf[tid] * ((f * (k1 + 1.0)) / (f + norm)));
        }
    }
    for (size_t i = 0; i < nt; i++) {
        slot *sl = &ix->slots[ix->terms[i].slot];
        sl->post = fill[i] - sl->df;
        float ub = 0.0f;
        for (size_t j = sl->post; j < fill[i]; j++)
            ub = post[j].imp > ub ? post[j].imp : ub;
        sl->u.ub = ub;
        ix->terms[i].qstamp = 0;
    }
    free(idf);
    free(fill);

    ix->ids_in_order = true;
    for (size_t d = 1; d < nd; d++)
        if (ix->ids[d] <= ix->ids[d - 1])
            ix->ids_in_order = false;
    ix->post = post;
    ix->npost = ix->nrec;
    ix->acc = acc;
    ix->cand = cd;
    ix->touched = touched;
    ix->qt = qt;
    free(ix->rterm);
    free(ix->rtf);
    free(ix->dlen);
    free(ix->dfirst);
    free(ix->idset);
    ix->rterm = ix->rtf = ix->dlen = ix->dfirst = NULL;
    ix->idset = NULL;
    ix->cap_rec = 0;
    ix->nidslots = 0;
    ix->built = true;
    return 0;

err_free:
    free(post);
    free(acc);
    free(cd);
    free(touched);
    free(qt);
    free(idf);
    free(fill);
    return -ENOMEM;
}

/* Ranking order: true when a ranks below b (lower score, or equal score and
 * larger id). Ids are looked up only on equal scores, and not at all when
 * they grow with the chunk index: the ids array is cold in the cache. */
static inline bool cand_below(const mllm_index *ix, const cand *a, const cand *b)
{
    if (a->s != b->s)
        return a->s < b->s;
    if (ix->ids_in_order)
        return a->doc > b->doc;
    return ix->ids[a->doc] > ix->ids[b->doc];
}

/* Heap with the lowest-ranked candidate at the root. */
static void cand_sift(const mllm_index *ix, cand *h, size_t n, size_t i)
{
    cand x = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && cand_below(ix, &h[c + 1], &h[c]))
            c++;
        if (!cand_below(ix, &h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* One step of the top-K_SMALL network: the larger of *t and *x stays in *t,
 * the other moves on in *x. */
static inline void net_step(uint64_t *t, uint64_t *x)
{
    uint64_t a = *t, b = *x;
    *t = a > b ? a : b;
    *x = a > b ? b : a;
}

static inline uint64_t score_bits(double s)
{
    uint64_t u;
    memcpy(&u, &s, sizeof u);
    return u;
}

/* top_k for a few chunks and a small k. On a short list of fresh scores the
 * branches of a sorted insertion mispredict about once a chunk, which costs
 * more than the work itself; this takes three steps with no data-dependent
 * branch: the k-th best score by a fixed max/min network, the chunks at or
 * above it by branch-free compaction, and their ranks by counting, for each,
 * the candidates that rank above it. Positive doubles order like their bit
 * patterns, so all of it is integer compares that compile to cmov and setcc.
 * Returns SIZE_MAX when ties at the k-th score leave too many candidates
 * (the caller then takes the general path). */
static size_t top_k_small(const mllm_index *ix, const uint32_t *docs, size_t n, mllm_hit *out,
                          size_t k)
{
    const double *acc = ix->acc;
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = score_bits(acc[docs[i]]);
        net_step(&t0, &x);
        net_step(&t1, &x);
        net_step(&t2, &x);
        net_step(&t3, &x);
        net_step(&t4, &x);
        net_step(&t5, &x);
        net_step(&t6, &x);
        net_step(&t7, &x);
    }
    const uint64_t best[K_SMALL] = {t0, t1, t2, t3, t4, t5, t6, t7};
    uint64_t theta = best[k - 1];
    uint64_t cs[2 * K_SMALL]; /* candidates' score bits */
    uint32_t cd[2 * K_SMALL]; /* their chunks */
    uint32_t ck[2 * K_SMALL]; /* their tie keys: chunk index when ids are in order, else id */
    size_t c = 0;
    for (size_t i = 0; i < n && c < 2 * K_SMALL; i++) {
        cs[c] = score_bits(acc[docs[i]]);
        cd[c] = docs[i];
        c += cs[c] >= theta;
    }
    if (c == 2 * K_SMALL)
        return SIZE_MAX;
    for (size_t i = 0; i < c; i++)
        ck[i] = ix->ids_in_order ? cd[i] : ix->ids[cd[i]];
    size_t m = n < k ? n : k;
    for (size_t i = 0; i < c; i++) {
        size_t rank = 0;
        for (size_t j = 0; j < c; j++)
            rank += (cs[j] > cs[i]) | ((cs[j] == cs[i]) & (ck[j] < ck[i]));
        if (rank < m) {
            double v;
            memcpy(&v, &cs[i], sizeof v);
            out[rank].id = ix->ids[cd[i]];
            out[rank].score = (float)v;
        }
    }
    return m;
}

/* Best min(k, n) of the n chunks in docs[] into out, best first: sorted
 * insertion for a small k, a heap of the k best otherwise. Ranks on the
 * double accumulators, so that hits whose float scores print equal still
 * come in the order of their exact scores. */
static size_t top_k(mllm_index *ix, const uint32_t *docs, size_t n, mllm_hit *out, size_t k)
{
    if (k <= K_SMALL && n <= SMALL_N) {
        size_t got = top_k_small(ix, docs, n, out, k);
        if (got != SIZE_MAX)
            return got;
    }
    const double *acc = ix->acc;
    cand *h = ix->cand;
    size_t m = 0;
    if (k > n)
        k = n;
    if (k <= K_INSERT) {
        for (size_t i = 0; i < n; i++) {
            cand c = {acc[docs[i]], docs[i]};
            if (m == k) {
                if (c.s < h[m - 1].s || !cand_below(ix, &h[m - 1], &c))
                    continue;
                m--;
            }
            size_t j = m++;
            for (; j > 0 && cand_below(ix, &h[j - 1], &c); j--)
                h[j] = h[j - 1];
            h[j] = c;
        }
    } else {
        size_t i = 0;
        for (; m < k; i++, m++) {
            h[m].s = acc[docs[i]];
            h[m].doc = docs[i];
        }
        for (size_t j = m / 2; j-- > 0;)
            cand_sift(ix, h, m, j);
        for (; i < n; i++) {
            cand c = {acc[docs[i]], docs[i]};
            if (c.s < h[0].s || !cand_below(ix, &h[0], &c))
                continue;
            h[0] = c;
            cand_sift(ix, h, m, 0);
        }
        for (size_t e = m; e > 1; e--) {
            cand t = h[0];
            h[0] = h[e - 1];
            h[e - 1] = t;
            cand_sift(ix, h, e - 1, 0);
        }
    }
    for (size_t i = 0; i < m; i++) {
        out[i].id = ix->ids[h[i].doc];
        out[i].score = (float)h[i].s;
    }
    return m;
}

/* Min-heap on score alone. */
static void score_sift(cand *h, size_t n, size_t i)
{
    cand x = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1].s < h[c].s)
            c++;
        if (!(h[c].s < x.s))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* The k-th largest accumulator among the n >= k chunks in docs[]. */
static double kth_score(mllm_index *ix, const uint32_t *docs, size_t n, size_t k)
{
    const double *acc = ix->acc;
    cand *h = ix->cand;
    for (size_t i = 0; i < k; i++)
        h[i].s = acc[docs[i]];
    for (size_t i = k / 2; i-- > 0;)
        score_sift(h, k, i);
    for (size_t i = k; i < n; i++) {
        double s = acc[docs[i]];
        if (s > h[0].s) {
            h[0].s = s;
            score_sift(h, k, 0);
        }
    }
    return h[0].s;
}

/* The posting of chunk d in p[0..n) (n > 0), or NULL. Branch-free binary
 * search: the loads of the next step do not wait on a mispredicted branch. */
static inline const posting *find_doc(const posting *p, size_t n, uint32_t d)
{
    while (n > 1) {
        size_t half = n / 2;
        p = p[half].doc <= d ? p + half : p;
        n -= half;
    }
    return p->doc == d ? p : NULL;
}

/* Keeps the chunks of docs[0..n) whose accumulator is at least lim, in
 * place, and clears the others. Returns how many are kept. */
static size_t keep_above(double *acc, uint32_t *docs, size_t n, double lim)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t d = docs[i];
        if (acc[d] < lim)
            acc[d] = 0.0;
        else
            docs[kept++] = d;
    }
    return kept;
}

/* What the terms still to come can add, with a margin for float rounding. */
static inline double margin(double rest, double theta)
{
    return rest * (1.0 + 1e-5) + theta * 1e-6;
}

/* MaxScore tail, from query term j on: no chunk untouched so far can reach
 * the top k, so the remaining terms are only added to the touched chunks that
 * still can. Before each term, chunks whose accumulator plus what the terms
 * still to come could add falls below the k-th best are cleared and dropped.
 * Returns the number of chunks left in the touched list. */
static size_t finish_pruned(mllm_index *ix, const qterm *qt, size_t j, size_t m, double theta,
                            size_t nt, size_t k)
{
    double *acc = ix->acc;
    uint32_t *c = ix->touched;
    nt = keep_above(acc, c, nt, theta - margin(qt[j - 1].rest, theta));
    for (; j < m; j++) {
        const posting *p = qt[j].p;
        size_t n = qt[j].n;
        double scale = qt[j].scale;
        if (nt * 48 < n) {
            for (size_t i = 0; i < nt; i++) {
                const posting *hit = find_doc(p, n, c[i]);
                if (hit)
                    acc[c[i]] += hit->imp * scale;
            }
        } else {
            /* Dropped and untouched chunks both hold 0: a masked sweep. */
            for (size_t i = 0; i < n; i++) {
                double a = acc[p[i].doc];
                acc[p[i].doc] = a + (a != 0.0 ? p[i].imp * scale : 0.0);
            }
        }
        if (j + 1 < m && nt > k) {
            theta = kth_score(ix, c, nt, k);
            nt = keep_above(acc, c, nt, theta - margin(qt[j].rest, theta));
        }
    }
    return nt;
}

static inline bool qterm_before(const qterm *x, const qterm *y)
{
    return x->ub > y->ub || (x->ub == y->ub && x->n < y->n);
}

static int cmp_qterm(const void *a, const void *b)
{
    const qterm *x = a, *y = b;
    return qterm_before(x, y) ? -1 : qterm_before(y, x);
}

/* Slot of query term `tid` in ix->qt[0..m), or m when it is new. Short
 * queries scan; from FEW_TERMS distinct terms on, per-term stamps take over. */
static size_t query_slot(mllm_index *ix, uint32_t tid, size_t m)
{
    if (m < FEW_TERMS) {
        for (size_t i = 0; i < m; i++)
            if (ix->qt[i].tid == tid)
                return i;
        return m;
    }
    if (!ix->qstamped) {
        if (++ix->qstamp == 0) {
            for (size_t i = 0; i < ix->nterms; i++)
                ix->terms[i].qstamp = 0;
            ix->qstamp = 1;
        }
        for (size_t i = 0; i < m; i++) {
            term *t = &ix->terms[ix->qt[i].tid];
            t->qstamp = ix->qstamp;
            t->qslot = (uint32_t)i;
        }
        ix->qstamped = true;
    }
    term *t = &ix->terms[tid];
    if (t->qstamp == ix->qstamp)
        return t->qslot;
    t->qstamp = ix->qstamp;
    t->qslot = (uint32_t)m;
    return m;
}

/* Adds the term in `sl` (if any) to the query terms ix->qt[0..*m). */
static inline void query_add(mllm_index *ix, const slot *sl, size_t *m)
{
    if (!sl->tid1 || !sl->df)
        return;
    size_t i = query_slot(ix, sl->tid1 - 1, *m);
    if (i < *m) {
        ix->qt[i].scale += 1.0f;
        return;
    }
    qterm *q = &ix->qt[(*m)++];
    q->p = ix->post + sl->post;
    q->n = sl->df;
    q->tid = sl->tid1 - 1;
    q->scale = 1.0f;
    q->ub = sl->u.ub;
    PREFETCH(q->p);
}

/* Resolves the query into ix->qt: one entry per distinct known term, with the
 * number of times it occurs. Returns the number of entries. Tokens go in
 * batches, hashed and their slots prefetched ahead of the probes, so that the
 * cache misses of a batch overlap (mllm_index_add does the same). */
static size_t query_terms(mllm_index *ix, const unsigned char *s, size_t len)
{
    ptok batch[BATCH];
    size_t m = 0, pos = 0, nb;
    ix->qstamped = false;
    /* cap_tok covers maxlen + 8 already, so the batch cannot fail. */
    while ((nb = next_batch(ix, s, len, &pos, ix->maxlen, batch)) > 0) {
        for (size_t i = 0; i < nb; i++) {
            if (batch[i].n > KEY_BYTES)
                token_key(ix, batch[i].s, batch[i].n); /* ix->tok now holds a later token */
            query_add(ix, dict_probe(ix, batch[i].n, batch[i].k), &m);
        }
    }
    return m;
}

size_t mllm_index_search(mllm_index *ix, const char *query, size_t len, mllm_hit *out, size_t k)
{
    if (!ix || !ix->built || !out || k == 0 || (!query && len))
        return 0;
    size_t m = query_terms(ix, (const unsigned char *)query, len);
    if (!m)
        return 0;

    qterm *qt = ix->qt;
    size_t left = 0; /* postings of the terms not yet accumulated */
    for (size_t j = 0; j < m; j++) {
        qt[j].ub *= qt[j].scale;
        left += qt[j].n;
    }
    if (m > 8) {
        qsort(qt, m, sizeof *qt, cmp_qterm);
    } else {
        for (size_t i = 1; i < m; i++) {
            qterm x = qt[i];
            size_t j = i;
            for (; j > 0 && qterm_before(&x, &qt[j - 1]); j--)
                qt[j] = qt[j - 1];
            qt[j] = x;
        }
    }
    double rest = 0.0;
    for (size_t j = m; j-- > 0;) {
        qt[j].rest = rest;
        rest += qt[j].ub;
    }

    double *acc = ix->acc;
    uint32_t *touched = ix->touched;
    size_t nt = 0, j = 0;
    while (j < m) {
        const posting *p = qt[j].p;
        size_t n = qt[j].n;
        double scale = qt[j].scale;
        for (size_t i = 0; i < n; i++) {
            uint32_t d = p[i].doc;
            double a = acc[d];
            touched[nt] = d; /* kept only when the chunk is new: impacts are > 0 */
            nt += a == 0.0;
            acc[d] = a + p[i].imp * scale;
        }
        left -= n;
        j++;
        /* The threshold costs a pass over the touched chunks: only worth it
         * when the postings still to come are many. */
        if (j == m || nt < k || left < 64 || left < nt / 4)
            continue;
        double theta = kth_score(ix, touched, nt, k);
        if (margin(qt[j - 1].rest, theta) < theta) {
            nt = finish_pruned(ix, qt, j, m, theta, nt, k);
            break;
        }
    }
    size_t got = top_k(ix, touched, nt, out, k);
    for (size_t i = 0; i < nt; i++)
        acc[touched[i]] = 0.0;
    return got;
}

size_t mllm_index_chunks(const mllm_index *ix)
{
    return ix ? ix->ndocs : 0;
}

size_t mllm_index_terms(const mllm_index *ix)
{
    return ix ? ix->nlive : 0;
}

size_t mllm_index_memory_bytes(const mllm_index *ix)
{
    if (!ix)
        return 0;
    size_t n = sizeof *ix;
    n += ix->nslots * sizeof *ix->slots + ix->cap_terms * sizeof *ix->terms;
    n += ix->cap_strs + ix->cap_tok + ix->nidslots * sizeof *ix->idset;
    n += ix->cap_rec * (sizeof *ix->rterm + sizeof *ix->rtf);
    if (ix->built) {
        n += ix->cap_docs * sizeof *ix->ids + ix->npost * sizeof *ix->post;
        n += ix->ndocs * (sizeof *ix->acc + sizeof *ix->cand);
        n += (ix->ndocs + 1) * sizeof *ix->touched;
        n += (ix->nterms ? ix->nterms : 1) * sizeof *ix->qt;
    } else {
        n += ix->cap_docs * (sizeof *ix->ids + sizeof *ix->dlen + sizeof *ix->dfirst);
    }
    return n;
}
