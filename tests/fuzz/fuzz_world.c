/* fuzz_world.c - libFuzzer target: the asset loaders behind mllm_world_load.
 *
 * The first input byte chooses the file (its low two bits: kb.json,
 * catalogue.json, prompts.json or models.json); the rest of the input becomes
 * that file in a private folder that holds the small world of
 * tests/data/world for the other three, and the world is loaded from there.
 * The small world keeps a run at a couple of milliseconds (the real assets
 * around every input cost 30 ms); the real assets are seeds, and since the
 * small world's ids are a subset of theirs, a real kb.json loads with the
 * small catalogue. The folder is made once per process and only the fuzzed
 * file is rewritten (and put back before another file is fuzzed). The
 * oracle: NULL exactly when it reports, each diagnostic positioned inside the
 * file it names (a fuzzed kb.json can break the untouched catalogue), and on
 * success the world's cross-references (facts, chunks, texts, queries,
 * models) hold. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "mllm_world.h"

static const char *const files[4] = {"kb.json", "catalogue.json", "prompts.json", "models.json"};

typedef struct backing {
    char dir[600];
    char *text[4]; /* the original of each file */
    size_t len[4];
    int dirty; /* the file holding fuzz input, -1 none */
} backing;

static backing world;

static void backing_init(backing *b)
{
    snprintf(b->dir, sizeof b->dir, "%s/world", fuzz_tmp_dir());
    FUZZ_CHECK(mkdir(b->dir, 0700) == 0, "mkdir %s", b->dir);
    for (int f = 0; f < 4; f++) {
        char src[1200], dst[700];
        snprintf(src, sizeof src, "%s/%s", fuzz_data_path("tests/data/world"), files[f]);
        snprintf(dst, sizeof dst, "%s/%s", b->dir, files[f]);
        b->text[f] = fuzz_read_file(src, &b->len[f]);
        fuzz_write_file(dst, b->text[f], b->len[f]);
    }
    b->dirty = -1;
}

static void check_world(const mllm_world *w)
{
    FUZZ_CHECK(w->ntopics >= 0 && w->ntopics <= MLLM_MAX_TOPICS, "ntopics %d", w->ntopics);
    FUZZ_CHECK(w->nprompts >= 1 && w->nprompts <= MLLM_MAX_PROMPTS, "nprompts %d", w->nprompts);
    FUZZ_CHECK(w->nmodels >= 3 && w->nmodels <= MLLM_MAX_MODELS, "nmodels %d", w->nmodels);
    for (int i = 0; i < w->nfacts; i++) {
        FUZZ_CHECK(w->facts[i].doc >= 0 && w->facts[i].doc < w->ndocs, "fact %d doc", i);
        for (int k = 0; k < i; k++)
            FUZZ_CHECK(strcmp(w->facts[i].key, w->facts[k].key) != 0, "duplicate fact key");
    }
    for (int i = 0; i < w->ndocs; i++) {
        const mllm_doc *d = &w->docs[i];
        FUZZ_CHECK(d->topic >= 0 && d->topic < w->ntopics, "doc %d topic", i);
        FUZZ_CHECK(d->nversions >= 1, "doc %d has no version", i);
        for (int v = 0; v < d->nversions; v++) {
            const mllm_version *ver = &d->v[v];
            size_t blen = strlen(ver->body);
            for (int f = 0; f < ver->nfacts; f++) {
                FUZZ_CHECK(w->facts[ver->facts[f]].doc == i, "fact of another document");
                FUZZ_CHECK(strstr(ver->body, ver->values[f]) != NULL, "fact value not in body");
                FUZZ_CHECK(mllm_world_fact_value(w, ver->facts[f], v) != NULL, "fact lookup");
            }
            FUZZ_CHECK(ver->first_chunk >= 0 && ver->first_chunk + ver->nchunks <= w->nchunks,
                       "doc %d version %d chunks out of range", i, v);
            for (int c = ver->first_chunk; c < ver->first_chunk + ver->nchunks; c++) {
                const mllm_chunk *ch = &w->chunks[c];
                FUZZ_CHECK(ch->doc == i && ch->version_index == v, "chunk %d owner", c);
                FUZZ_CHECK(ch->text >= ver->body && ch->len > 0 &&
                               ch->text + ch->len <= ver->body + blen,
                           "chunk %d outside its body", c);
            }
        }
    }
    int texts = 0;
    for (int i = 0; i < w->nqueries; i++) {
        const mllm_query *q = &w->queries[i];
        FUZZ_CHECK(q->type >= 0 && q->type < MLLM_QT_COUNT, "query %d type", i);
        FUZZ_CHECK(q->topic >= 0 && q->topic < w->ntopics, "query %d topic", i);
        FUZZ_CHECK(q->doc >= -1 && q->doc < w->ndocs, "query %d doc", i);
        FUZZ_CHECK(q->first_text == texts && q->ntexts >= 1, "query %d texts", i);
        for (int k = 0; k < q->nfacts; k++)
            FUZZ_CHECK(q->facts[k] >= 0 && q->facts[k] < w->nfacts &&
                           w->facts[q->facts[k]].doc == q->doc,
                       "query %d fact %d", i, k);
        for (int k = 0; k < q->ntexts; k++) {
            FUZZ_CHECK(w->text_query[q->first_text + k] == i, "text %d owner", q->first_text + k);
            FUZZ_CHECK(mllm_world_text(w, q->first_text + k) == q->texts[k], "text lookup");
        }
        FUZZ_CHECK(mllm_world_query(w, q->id) == i, "query id %s not unique", q->id);
        texts += q->ntexts;
    }
    FUZZ_CHECK(texts == w->ntexts, "ntexts %d, counted %d", w->ntexts, texts);
    for (int m = 0; m < w->nmodels; m++) {
        FUZZ_CHECK(w->models[m].provider >= 0 && w->models[m].provider < w->nproviders,
                   "model %d provider", m);
        FUZZ_CHECK(w->models[m].nversions >= 1, "model %d versions", m);
    }
    for (int r = 0; r < 3; r++)
        FUZZ_CHECK(mllm_world_model_role(w, (mllm_role)r) >= 0, "no model of role %d", r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int f = data[0] & 3;
    backing *b = &world;
    if (!b->dir[0])
        backing_init(b);
    char path[700];
    if (b->dirty >= 0 && b->dirty != f) {
        snprintf(path, sizeof path, "%s/%s", b->dir, files[b->dirty]);
        fuzz_write_file(path, b->text[b->dirty], b->len[b->dirty]);
    }
    snprintf(path, sizeof path, "%s/%s", b->dir, files[f]);
    fuzz_write_file(path, data + 1, size - 1);
    b->dirty = f;

    mllm_diags d;
    mllm_diags_clear(&d);
    mllm_world *w = mllm_world_load(b->dir, &d);
    FUZZ_CHECK((w == NULL) == (d.n + d.dropped > 0),
               "world %s with %d diagnostics, first %s:%d:%d: %s: %s", w ? "loaded" : "failed",
               d.n + d.dropped, d.d[0].file, d.d[0].line, d.d[0].col, d.d[0].path, d.d[0].msg);
    /* A fuzzed kb.json can make the untouched catalogue.json fail (a fact it
     * names is gone): check each diagnostic against the file it names. */
    int matched = 0;
    for (int k = 0; k < 4; k++) {
        mllm_diags one;
        char name[700];
        snprintf(name, sizeof name, "%s/%s", b->dir, files[k]);
        mllm_diags_clear(&one);
        for (int i = 0; i < d.n; i++)
            if (strcmp(d.d[i].file, name) == 0)
                one.d[one.n++] = d.d[i];
        if (k == f)
            fuzz_check_diags(&one, 0, 0, one.n > 0, name, (const char *)data + 1, size - 1, false);
        else
            fuzz_check_diags(&one, 0, 0, one.n > 0, name, b->text[k], b->len[k], false);
        matched += one.n;
    }
    FUZZ_CHECK(matched == d.n, "a diagnostic names none of the four files: %s", d.d[0].file);
    if (w)
        check_world(w);
    mllm_world_free(w);
    return 0;
}
