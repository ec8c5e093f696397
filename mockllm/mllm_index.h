/* mllm_index.h - BM25 inverted index over text chunks (the RAG retriever).
 *
 * Chunks are added with a caller-chosen 32-bit id, then the index is built
 * once and becomes read-only: an index is one immutable snapshot, and a
 * reindex builds a new one. Scoring is Okapi BM25 exactly as SQLite FTS5's
 * bm25() computes it (idf = ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6),
 * so results can be checked against FTS5. Results are ordered by score, best
 * first, ties broken by ascending id. The order follows the score at double
 * precision, as FTS5's does: two hits whose float `score` is equal may come
 * in either id order when their exact scores differ. The index owns copies of
 * nothing but its postings; the text passed to mllm_index_add may be freed
 * afterwards. */
#ifndef MLLM_INDEX_H
#define MLLM_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mllm_index mllm_index;

typedef struct mllm_hit {
    uint32_t id;  /* the id given to mllm_index_add */
    float score;  /* BM25 score, higher is better (FTS5's bm25() negated) */
} mllm_hit;

/* Called once per token, lower-cased, in text order. `tok` is not
 * NUL-terminated and is valid only during the call. */
typedef void (*mllm_token_fn)(const char *tok, size_t len, void *ctx);

/* Splits `text` into tokens like FTS5's unicode61 tokenizer does for ASCII:
 * runs of [A-Za-z0-9] (and any byte >= 0x80, kept as is) lower-cased. With
 * `stopwords`, common English function words are dropped. NUL bytes are
 * separators. A token longer than 256 bytes is lower-cased into a heap copy;
 * should that allocation fail, the token is skipped. */
void mllm_tokenize(const char *text, size_t len, bool stopwords, mllm_token_fn fn, void *ctx);

/* A new, empty index with BM25 parameters k1 (1.2 is usual) and b (0.75).
 * With `stopwords`, stop words are dropped from chunks and queries alike, and
 * do not count in chunk lengths. NULL when out of memory, or when k1 is not
 * in [0, 1e6] or b not in [0, 1]. */
mllm_index *mllm_index_new(float k1, float b, bool stopwords);
void mllm_index_free(mllm_index *ix); /* NULL is a no-op */

/* Adds one chunk. Returns 0, -EINVAL after build or on a duplicate id (or a
 * NULL ix, NULL text with len > 0, or about 8 GiB of text or more), -ENOMEM.
 * After -ENOMEM the index is as before the call and the add may be retried.
 * Cost: O(tokens). */
int mllm_index_add(mllm_index *ix, uint32_t id, const char *text, size_t len);

/* Freezes the index: computes statistics and compacts postings. Returns 0 or
 * -ENOMEM (the index is then unchanged and build may be retried); -EINVAL for
 * a NULL ix. Building twice is a no-op. Searching before build returns 0
 * hits. Cost: O(postings + terms). */
int mllm_index_build(mllm_index *ix);

/* Any-word match of `query` (tokenized as chunks are), top `k` hits into
 * `out` (room for k). Returns the number of hits written (0..k). A term
 * repeated in the query counts once per occurrence, as repeated phrases do in
 * FTS5. Not thread-safe: uses scratch space inside the index; allocates
 * nothing. */
size_t mllm_index_search(mllm_index *ix, const char *query, size_t len, mllm_hit *out, size_t k);

size_t mllm_index_chunks(const mllm_index *ix);       /* chunks added */
size_t mllm_index_terms(const mllm_index *ix);        /* distinct terms */
size_t mllm_index_memory_bytes(const mllm_index *ix); /* approximate heap use */

#endif
