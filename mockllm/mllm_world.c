/* mllm_world.c - loads the simulated world from the JSON files in assets/.
 *
 * Each loader walks one cJSON tree with the typed readers of mllm_json, so
 * that a bad asset file is reported as file:line:col: path: message, and
 * cross-references (a query's facts belong to its document, fact values
 * appear in their bodies) are checked here once, not trusted later. */
#include "mllm_world.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const mllm_qtype_names[] = {"factual", "howto",      "troubleshooting", "policy",
                                        "structured", "smalltalk", NULL};
const char *const mllm_role_names[] = {"primary", "backup", "simplified", NULL};

static char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int32_t mllm_date_days(const char *s)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return -1;
    y = atoi(s);
    m = atoi(s + 5);
    d = atoi(s + 8);
    if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    /* Days from civil (proleptic Gregorian). */
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void mllm_date_format(int32_t z, char out[11])
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    snprintf(out, 11, "%04d-%02d-%02d", (y % 10000 + 10000) % 10000, (m % 13 + 13) % 13,
             (d % 32 + 32) % 32);
}

/* ---- lookups -------------------------------------------------------------------------- */

int mllm_world_topic(const mllm_world *w, const char *id)
{
    for (int i = 0; id && i < w->ntopics; i++)
        if (strcmp(w->topics[i].id, id) == 0)
            return i;
    return -1;
}

int mllm_world_prompt(const mllm_world *w, const char *version)
{
    for (int i = 0; version && i < w->nprompts; i++)
        if (strcmp(w->prompts[i].version, version) == 0)
            return i;
    return -1;
}

int mllm_world_model(const mllm_world *w, const char *id)
{
    for (int i = 0; id && i < w->nmodels; i++)
        if (strcmp(w->models[i].id, id) == 0)
            return i;
    return -1;
}

int mllm_world_model_role(const mllm_world *w, mllm_role role)
{
    for (int i = 0; i < w->nmodels; i++)
        if (w->models[i].role == role)
            return i;
    return -1;
}

int mllm_world_fingerprint(const mllm_world *w, int model, const char *fp)
{
    if (model < 0 || model >= w->nmodels || !fp)
        return -1;
    for (int i = 0; i < w->models[model].nversions; i++)
        if (strcmp(w->models[model].fingerprint[i], fp) == 0)
            return i;
    return -1;
}

int mllm_world_doc(const mllm_world *w, const char *id)
{
    for (int i = 0; id && i < w->ndocs; i++)
        if (strcmp(w->docs[i].id, id) == 0)
            return i;
    return -1;
}

int mllm_world_query(const mllm_world *w, const char *id)
{
    for (int i = 0; id && i < w->nqueries; i++)
        if (strcmp(w->queries[i].id, id) == 0)
            return i;
    return -1;
}

const char *mllm_world_text(const mllm_world *w, int text_id)
{
    if (text_id < 0 || text_id >= w->ntexts)
        return NULL;
    const mllm_query *q = &w->queries[w->text_query[text_id]];
    return q->texts[text_id - q->first_text];
}

const char *mllm_world_fact_value(const mllm_world *w, int fact, int vi)
{
    if (fact < 0 || fact >= w->nfacts)
        return NULL;
    const mllm_doc *d = &w->docs[w->facts[fact].doc];
    if (vi < 0 || vi >= d->nversions)
        return NULL;
    const mllm_version *v = &d->v[vi];
    for (int i = 0; i < v->nfacts; i++)
        if (v->facts[i] == fact)
            return v->values[i];
    return NULL;
}

static int fact_find(const mllm_world *w, const char *key)
{
    for (int i = 0; i < w->nfacts; i++)
        if (strcmp(w->facts[i].key, key) == 0)
            return i;
    return -1;
}

/* ---- kb.json -------------------------------------------------------------------------- */

static int approx_tokens(int bytes)
{
    return bytes / 4 + 1;
}

static bool load_version(mllm_world *w, mllm_jr *r, const cJSON *jv, const char *path, int di,
                         int vi, mllm_version *v, int *nchunks_cap)
{
    static const char *const keys[] = {"version", "updated_at", "body", "facts", NULL};
    bool ok = mllm_jr_known_keys(r, jv, path, keys);
    long version = 0;
    const char *date = NULL, *body = NULL;
    ok &= mllm_jr_int(r, jv, path, "version", true, 1, 1000, &version);
    ok &= mllm_jr_string(r, jv, path, "updated_at", true, &date);
    ok &= mllm_jr_string(r, jv, path, "body", true, &body);
    const cJSON *facts = mllm_jr_object(r, jv, path, "facts", true);
    if (!ok || !facts)
        return false;
    char p[192];
    v->version = (int)version;
    v->day = mllm_date_days(date);
    if (v->day < 0)
        return mllm_jdoc_error(r->doc, r->diags, mllm_path(p, sizeof p, path, "updated_at", 0),
                               "expected a date YYYY-MM-DD, got \"%.20s\"", date);
    v->updated_at = xstrdup(date);
    v->body = xstrdup(body);
    if (!v->updated_at || !v->body)
        return false;
    for (const cJSON *f = facts->child; f; f = f->next) {
        mllm_path(p, sizeof p, path, "facts", 0);
        char fp[192];
        mllm_path(fp, sizeof fp, p, f->string, 0);
        if (!cJSON_IsString(f) || !f->valuestring[0])
            return mllm_jdoc_error(r->doc, r->diags, fp, "expected a non-empty string value");
        if (v->nfacts >= MLLM_MAX_FACTS_PER_VERSION)
            return mllm_jdoc_error(r->doc, r->diags, fp, "at most %d facts per version",
                                   MLLM_MAX_FACTS_PER_VERSION);
        if (!strstr(body, f->valuestring))
            return mllm_jdoc_error(r->doc, r->diags, fp,
                                   "fact value \"%.60s\" does not appear in the body",
                                   f->valuestring);
        int id = fact_find(w, f->string);
        if (id >= 0 && w->facts[id].doc != di)
            return mllm_jdoc_error(r->doc, r->diags, fp,
                                   "fact key \"%.40s\" already belongs to document \"%s\"",
                                   f->string, w->docs[w->facts[id].doc].id);
        if (id < 0) {
            mllm_fact *nf = realloc(w->facts, sizeof *nf * (size_t)(w->nfacts + 1));
            if (!nf)
                return false;
            w->facts = nf;
            id = w->nfacts++;
            w->facts[id].key = xstrdup(f->string);
            w->facts[id].doc = di;
        }
        v->facts[v->nfacts] = id;
        v->values[v->nfacts] = xstrdup(f->valuestring);
        v->nfacts++;
    }
    /* Paragraphs become chunks. */
    const char *s = v->body;
    v->first_chunk = w->nchunks;
    while (*s) {
        const char *e = strstr(s, "\n\n");
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len > 0) {
            if (w->nchunks == *nchunks_cap) {
                int cap = *nchunks_cap ? *nchunks_cap * 2 : 256;
                mllm_chunk *nc = realloc(w->chunks, sizeof *nc * (size_t)cap);
                if (!nc)
                    return false;
                w->chunks = nc;
                *nchunks_cap = cap;
            }
            mllm_chunk *c = &w->chunks[w->nchunks++];
            memset(c, 0, sizeof *c);
            c->doc = di;
            c->version_index = vi;
            c->text = s;
            c->len = (int)len;
            c->tokens = approx_tokens((int)len);
            for (int i = 0; i < v->nfacts; i++) {
                const char *hit = strstr(s, v->values[i]);
                if (hit && hit + strlen(v->values[i]) <= s + len)
                    c->facts[c->nfacts++] = v->facts[i];
            }
            v->nchunks++;
        }
        s += len;
        while (*s == '\n')
            s++;
    }
    return true;
}

static bool load_kb(mllm_world *w, const char *file, mllm_diags *diags)
{
    mllm_jdoc doc;
    bool ok = false;
    int chunk_cap = 0;
    if (mllm_jdoc_load(&doc, file, diags) != 0)
        goto out;
    mllm_jr r = {&doc, diags};
    const cJSON *root = doc.root;
    static const char *const keys[] = {"product", "topics", "documents", NULL};
    const char *product = "Skyloft";
    if (!cJSON_IsObject(root)) {
        mllm_jdoc_error(&doc, diags, "$", "expected an object with topics and documents");
        goto out;
    }
    ok = mllm_jr_known_keys(&r, root, "$", keys);
    ok &= mllm_jr_string(&r, root, "$", "product", false, &product);
    w->product = xstrdup(product);
    const cJSON *topics = mllm_jr_array(&r, root, "$", "topics", true);
    const cJSON *docs = mllm_jr_array(&r, root, "$", "documents", true);
    if (!ok || !topics || !docs) {
        ok = false;
        goto out;
    }
    char p[192], q[192];
    int i = 0;
    for (const cJSON *t = topics->child; t; t = t->next, i++) {
        mllm_path(p, sizeof p, "topics", NULL, i);
        static const char *const tkeys[] = {"id", "title", "in_kb", NULL};
        const char *id = NULL, *title = NULL;
        bool in_kb = true;
        if (!cJSON_IsObject(t) || !mllm_jr_known_keys(&r, t, p, tkeys) ||
            !mllm_jr_string(&r, t, p, "id", true, &id) ||
            !mllm_jr_string(&r, t, p, "title", false, &title) ||
            !mllm_jr_bool(&r, t, p, "in_kb", false, &in_kb)) {
            if (!cJSON_IsObject(t))
                mllm_jdoc_error(&doc, diags, p, "expected a topic object");
            ok = false;
            goto out;
        }
        if (w->ntopics >= MLLM_MAX_TOPICS) {
            mllm_jdoc_error(&doc, diags, p, "at most %d topics", MLLM_MAX_TOPICS);
            ok = false;
            goto out;
        }
        if (mllm_world_topic(w, id) >= 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "id", 0),
                            "duplicate topic id \"%.40s\"", id);
            ok = false;
            goto out;
        }
        w->topics[w->ntopics].id = xstrdup(id);
        w->topics[w->ntopics].title = xstrdup(title ? title : id);
        w->topics[w->ntopics].in_kb = in_kb;
        w->ntopics++;
    }
    int nd = cJSON_GetArraySize(docs);
    w->docs = calloc((size_t)(nd > 0 ? nd : 1), sizeof *w->docs);
    if (!w->docs) {
        ok = false;
        goto out;
    }
    i = 0;
    for (const cJSON *d = docs->child; d; d = d->next, i++) {
        mllm_path(p, sizeof p, "documents", NULL, i);
        static const char *const dkeys[] = {"id", "title", "topic", "versions", NULL};
        const char *id = NULL, *title = NULL, *topic = NULL;
        if (!cJSON_IsObject(d)) {
            ok = mllm_jdoc_error(&doc, diags, p, "expected a document object");
            goto out;
        }
        if (!mllm_jr_known_keys(&r, d, p, dkeys) || !mllm_jr_string(&r, d, p, "id", true, &id) ||
            !mllm_jr_string(&r, d, p, "title", true, &title) ||
            !mllm_jr_string(&r, d, p, "topic", true, &topic)) {
            ok = false;
            goto out;
        }
        if (mllm_world_doc(w, id) >= 0) {
            ok = mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "id", 0),
                                 "duplicate document id \"%.40s\"", id);
            goto out;
        }
        int ti = mllm_world_topic(w, topic);
        if (ti < 0 || !w->topics[ti].in_kb) {
            ok = mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "topic", 0),
                                 ti < 0 ? "unknown topic \"%.40s\"" :
                                          "topic \"%.40s\" is marked in_kb false",
                                 topic);
            goto out;
        }
        mllm_doc *dd = &w->docs[w->ndocs++];
        dd->id = xstrdup(id);
        dd->title = xstrdup(title);
        dd->topic = ti;
        const cJSON *vers = mllm_jr_array(&r, d, p, "versions", true);
        int nv = vers ? cJSON_GetArraySize(vers) : 0;
        if (nv < 1) {
            if (vers)
                mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "versions", 0),
                                "a document needs at least one version");
            ok = false;
            goto out;
        }
        dd->v = calloc((size_t)nv, sizeof *dd->v);
        if (!dd->v) {
            ok = false;
            goto out;
        }
        int k = 0;
        for (const cJSON *jv = vers->child; jv; jv = jv->next, k++) {
            char vp[192];
            mllm_path(vp, sizeof vp, mllm_path(q, sizeof q, p, "versions", 0), NULL, k);
            if (!cJSON_IsObject(jv)) {
                ok = mllm_jdoc_error(&doc, diags, vp, "expected a version object");
                goto out;
            }
            if (!load_version(w, &r, jv, vp, w->ndocs - 1, k, &dd->v[k], &chunk_cap)) {
                dd->nversions = k + 1;
                ok = false;
                goto out;
            }
            dd->nversions = k + 1;
            if (k > 0 && dd->v[k].version <= dd->v[k - 1].version) {
                ok = mllm_jdoc_error(&doc, diags, vp, "versions must ascend");
                goto out;
            }
        }
    }
    /* Chunk text pointers were taken while bodies were stable; they stay valid. */
    ok = true;
out:
    mllm_jdoc_release(&doc);
    return ok;
}

/* ---- catalogue.json ------------------------------------------------------------------- */

static bool load_catalogue(mllm_world *w, const char *file, mllm_diags *diags)
{
    mllm_jdoc doc;
    bool ok = false;
    if (mllm_jdoc_load(&doc, file, diags) != 0)
        goto out;
    mllm_jr r = {&doc, diags};
    static const char *const root_keys[] = {"queries", NULL};
    if (cJSON_IsObject(doc.root) && !mllm_jr_known_keys(&r, doc.root, "$", root_keys))
        goto out;
    const cJSON *qs = cJSON_IsObject(doc.root) ? mllm_jr_array(&r, doc.root, "$", "queries", true)
                                               : NULL;
    if (!qs) {
        if (!cJSON_IsObject(doc.root))
            mllm_jdoc_error(&doc, diags, "$", "expected an object with \"queries\"");
        goto out;
    }
    int n = cJSON_GetArraySize(qs);
    w->queries = calloc((size_t)(n > 0 ? n : 1), sizeof *w->queries);
    if (!w->queries)
        goto out;
    char p[192], q[192];
    int i = 0;
    for (const cJSON *jq = qs->child; jq; jq = jq->next, i++) {
        mllm_path(p, sizeof p, "queries", NULL, i);
        static const char *const keys[] = {"id",    "type",       "topic",  "text", "paraphrases",
                                           "facts", "doc",        "answerable", "weight", NULL};
        const char *id = NULL, *type = NULL, *topic = NULL, *text = NULL, *docid = NULL;
        bool answerable = true;
        long weight = 1;
        if (!cJSON_IsObject(jq)) {
            mllm_jdoc_error(&doc, diags, p, "expected a query object");
            goto out;
        }
        if (!mllm_jr_known_keys(&r, jq, p, keys) || !mllm_jr_string(&r, jq, p, "id", true, &id) ||
            !mllm_jr_string(&r, jq, p, "type", true, &type) ||
            !mllm_jr_string(&r, jq, p, "topic", true, &topic) ||
            !mllm_jr_string(&r, jq, p, "text", true, &text) ||
            !mllm_jr_string(&r, jq, p, "doc", false, &docid) ||
            !mllm_jr_bool(&r, jq, p, "answerable", false, &answerable) ||
            !mllm_jr_int(&r, jq, p, "weight", false, 1, 100, &weight))
            goto out;
        if (mllm_world_query(w, id) >= 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "id", 0),
                            "duplicate query id \"%.40s\"", id);
            goto out;
        }
        mllm_query *mq = &w->queries[w->nqueries++];
        mq->id = xstrdup(id);
        mq->type = mllm_name_index(mllm_qtype_names, type);
        if (mq->type < 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "type", 0),
                            "unknown query type \"%.40s\" (expected factual, howto, "
                            "troubleshooting, policy, structured or smalltalk)",
                            type);
            goto out;
        }
        mq->topic = mllm_world_topic(w, topic);
        if (mq->topic < 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "topic", 0),
                            "unknown topic \"%.40s\"", topic);
            goto out;
        }
        mq->doc = -1;
        if (docid) {
            mq->doc = mllm_world_doc(w, docid);
            if (mq->doc < 0) {
                mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "doc", 0),
                                "unknown document \"%.40s\"", docid);
                goto out;
            }
        }
        mq->answerable = answerable;
        mq->weight = (int)weight;
        const cJSON *paras = mllm_jr_array(&r, jq, p, "paraphrases", false);
        if (!paras && cJSON_GetObjectItemCaseSensitive(jq, "paraphrases"))
            goto out; /* not an array: reported */
        int np = paras ? cJSON_GetArraySize(paras) : 0;
        mq->texts = calloc((size_t)np + 1, sizeof *mq->texts);
        if (!mq->texts)
            goto out;
        mq->texts[mq->ntexts++] = xstrdup(text);
        int k = 0;
        for (const cJSON *t = paras ? paras->child : NULL; t; t = t->next, k++) {
            if (!cJSON_IsString(t)) {
                mllm_jdoc_error(&doc, diags,
                                mllm_path(q, sizeof q, mllm_path(q, sizeof q, p, "paraphrases", 0),
                                          NULL, k),
                                "expected a string");
                goto out;
            }
            mq->texts[mq->ntexts++] = xstrdup(t->valuestring);
        }
        const cJSON *facts = mllm_jr_array(&r, jq, p, "facts", false);
        if (!facts && cJSON_GetObjectItemCaseSensitive(jq, "facts"))
            goto out;
        k = 0;
        for (const cJSON *f = facts ? facts->child : NULL; f; f = f->next, k++) {
            char fp[192];
            mllm_path(fp, sizeof fp, mllm_path(q, sizeof q, p, "facts", 0), NULL, k);
            int fid = cJSON_IsString(f) ? fact_find(w, f->valuestring) : -1;
            if (fid < 0) {
                mllm_jdoc_error(&doc, diags, fp, "unknown fact key %s%.40s%s",
                                cJSON_IsString(f) ? "\"" : "",
                                cJSON_IsString(f) ? f->valuestring : "(not a string)",
                                cJSON_IsString(f) ? "\"" : "");
                goto out;
            }
            if (mq->nfacts >= MLLM_MAX_QUERY_FACTS) {
                mllm_jdoc_error(&doc, diags, fp, "at most %d facts per query",
                                MLLM_MAX_QUERY_FACTS);
                goto out;
            }
            if (mq->doc >= 0 && w->facts[fid].doc != mq->doc) {
                mllm_jdoc_error(&doc, diags, fp, "fact \"%s\" belongs to document \"%s\", not \"%s\"",
                                w->facts[fid].key, w->docs[w->facts[fid].doc].id,
                                w->docs[mq->doc].id);
                goto out;
            }
            mq->facts[mq->nfacts++] = fid;
        }
        if (mq->nfacts > 0 && mq->doc < 0)
            mq->doc = w->facts[mq->facts[0]].doc;
    }
    int total = 0;
    for (i = 0; i < w->nqueries; i++) {
        w->queries[i].first_text = total;
        total += w->queries[i].ntexts;
    }
    w->ntexts = total;
    w->text_query = malloc(sizeof *w->text_query * (size_t)(total > 0 ? total : 1));
    if (!w->text_query)
        goto out;
    for (i = 0; i < w->nqueries; i++)
        for (int k = 0; k < w->queries[i].ntexts; k++)
            w->text_query[w->queries[i].first_text + k] = i;
    ok = true;
out:
    mllm_jdoc_release(&doc);
    return ok;
}

/* ---- prompts.json and models.json ----------------------------------------------------- */

static bool load_prompts(mllm_world *w, const char *file, mllm_diags *diags)
{
    mllm_jdoc doc;
    bool ok = false;
    if (mllm_jdoc_load(&doc, file, diags) != 0)
        goto out;
    mllm_jr r = {&doc, diags};
    static const char *const root_keys[] = {"prompts", NULL};
    if (cJSON_IsObject(doc.root) && !mllm_jr_known_keys(&r, doc.root, "$", root_keys))
        goto out;
    const cJSON *ps = cJSON_IsObject(doc.root) ? mllm_jr_array(&r, doc.root, "$", "prompts", true)
                                               : NULL;
    if (!ps) {
        if (!cJSON_IsObject(doc.root))
            mllm_jdoc_error(&doc, diags, "$", "expected an object with \"prompts\"");
        goto out;
    }
    char p[192], q[192];
    int i = 0;
    for (const cJSON *jp = ps->child; jp; jp = jp->next, i++) {
        mllm_path(p, sizeof p, "prompts", NULL, i);
        static const char *const keys[] = {"version", "released", "author", "summary", "template",
                                           "system_tokens", "rules", NULL};
        static const char *const rkeys[] = {"answer_from_context", "cite_sources", "style",
                                            "json_schema", NULL};
        const char *version = NULL, *released = "", *author = "", *summary = "", *tmpl = NULL;
        const char *style = "concise", *schema = "answer_sources";
        long systok = 150;
        bool afc = true, cite = true;
        if (w->nprompts >= MLLM_MAX_PROMPTS) {
            mllm_jdoc_error(&doc, diags, p, "at most %d prompt versions", MLLM_MAX_PROMPTS);
            goto out;
        }
        if (!cJSON_IsObject(jp) || !mllm_jr_known_keys(&r, jp, p, keys) ||
            !mllm_jr_string(&r, jp, p, "version", true, &version) ||
            !mllm_jr_string(&r, jp, p, "released", false, &released) ||
            !mllm_jr_string(&r, jp, p, "author", false, &author) ||
            !mllm_jr_string(&r, jp, p, "summary", false, &summary) ||
            !mllm_jr_string(&r, jp, p, "template", true, &tmpl) ||
            !mllm_jr_int(&r, jp, p, "system_tokens", false, 1, 100000, &systok)) {
            if (!cJSON_IsObject(jp))
                mllm_jdoc_error(&doc, diags, p, "expected a prompt object");
            goto out;
        }
        const cJSON *rules = mllm_jr_object(&r, jp, p, "rules", false);
        if (!rules && cJSON_GetObjectItemCaseSensitive(jp, "rules"))
            goto out; /* not an object: reported */
        mllm_path(q, sizeof q, p, "rules", 0);
        if (rules && (!mllm_jr_known_keys(&r, rules, q, rkeys) ||
                      !mllm_jr_bool(&r, rules, q, "answer_from_context", false, &afc) ||
                      !mllm_jr_bool(&r, rules, q, "cite_sources", false, &cite) ||
                      !mllm_jr_string(&r, rules, q, "style", false, &style) ||
                      !mllm_jr_string(&r, rules, q, "json_schema", false, &schema)))
            goto out;
        if (mllm_world_prompt(w, version) >= 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "version", 0),
                            "duplicate prompt version \"%.40s\"", version);
            goto out;
        }
        mllm_prompt *mp = &w->prompts[w->nprompts++];
        mp->version = xstrdup(version);
        mp->released = xstrdup(released);
        mp->author = xstrdup(author);
        mp->summary = xstrdup(summary);
        mp->template_text = xstrdup(tmpl);
        mp->style = xstrdup(style);
        mp->json_schema = xstrdup(schema);
        mp->system_tokens = (int)systok;
        mp->answer_from_context = afc;
        mp->cite_sources = cite;
    }
    if (w->nprompts == 0) {
        mllm_jdoc_error(&doc, diags, "prompts", "at least one prompt version is needed");
        goto out;
    }
    ok = true;
out:
    mllm_jdoc_release(&doc);
    return ok;
}

static bool load_models(mllm_world *w, const char *file, mllm_diags *diags)
{
    mllm_jdoc doc;
    bool ok = false;
    if (mllm_jdoc_load(&doc, file, diags) != 0)
        goto out;
    mllm_jr r = {&doc, diags};
    if (!cJSON_IsObject(doc.root)) {
        mllm_jdoc_error(&doc, diags, "$", "expected an object with providers and models");
        goto out;
    }
    static const char *const root_keys[] = {"providers", "models", NULL};
    if (!mllm_jr_known_keys(&r, doc.root, "$", root_keys))
        goto out;
    const cJSON *provs = mllm_jr_array(&r, doc.root, "$", "providers", true);
    const cJSON *models = mllm_jr_array(&r, doc.root, "$", "models", true);
    if (!provs || !models)
        goto out;
    char p[192], q[192];
    int i = 0;
    for (const cJSON *jp = provs->child; jp; jp = jp->next, i++) {
        mllm_path(p, sizeof p, "providers", NULL, i);
        static const char *const keys[] = {"id", "title", "api_version", NULL};
        const char *id = NULL, *title = NULL, *api = "v1";
        if (w->nproviders >= MLLM_MAX_PROVIDERS) {
            mllm_jdoc_error(&doc, diags, p, "at most %d providers", MLLM_MAX_PROVIDERS);
            goto out;
        }
        if (!cJSON_IsObject(jp) || !mllm_jr_known_keys(&r, jp, p, keys) ||
            !mllm_jr_string(&r, jp, p, "id", true, &id) ||
            !mllm_jr_string(&r, jp, p, "title", false, &title) ||
            !mllm_jr_string(&r, jp, p, "api_version", false, &api)) {
            if (!cJSON_IsObject(jp))
                mllm_jdoc_error(&doc, diags, p, "expected a provider object");
            goto out;
        }
        mllm_provider *pr = &w->providers[w->nproviders++];
        pr->id = xstrdup(id);
        pr->title = xstrdup(title ? title : id);
        pr->api_version = xstrdup(api);
    }
    i = 0;
    for (const cJSON *jm = models->child; jm; jm = jm->next, i++) {
        mllm_path(p, sizeof p, "models", NULL, i);
        static const char *const keys[] = {
            "id",          "provider",        "role",           "versions",       "ttft_ms",
            "tokens_per_s", "cost_in_per_1k", "cost_out_per_1k", "context_window", "rpm_limit",
            "tpm_limit",   "recall",          "hallucinate_without_context", "base_refusal",
            "refusal_policy", NULL};
        const char *id = NULL, *prov = NULL, *role = NULL, *policy = "";
        if (w->nmodels >= MLLM_MAX_MODELS) {
            mllm_jdoc_error(&doc, diags, p, "at most %d models", MLLM_MAX_MODELS);
            goto out;
        }
        if (!cJSON_IsObject(jm)) {
            mllm_jdoc_error(&doc, diags, p, "expected a model object");
            goto out;
        }
        mllm_model *m = &w->models[w->nmodels];
        long cw = 8000;
        m->rpm_limit = 1e9;
        m->tpm_limit = 1e12;
        m->recall = 0.95;
        m->hallucinate_without_context = 0.3;
        m->base_refusal = 0.002;
        if (!mllm_jr_known_keys(&r, jm, p, keys) || !mllm_jr_string(&r, jm, p, "id", true, &id) ||
            !mllm_jr_string(&r, jm, p, "provider", true, &prov) ||
            !mllm_jr_string(&r, jm, p, "role", true, &role) ||
            !mllm_jr_number(&r, jm, p, "ttft_ms", true, 0, 600000, &m->ttft_ms) ||
            !mllm_jr_number(&r, jm, p, "tokens_per_s", true, 0.1, 1e6, &m->tokens_per_s) ||
            !mllm_jr_number(&r, jm, p, "cost_in_per_1k", true, 0, 1000, &m->cost_in_per_1k) ||
            !mllm_jr_number(&r, jm, p, "cost_out_per_1k", true, 0, 1000, &m->cost_out_per_1k) ||
            !mllm_jr_int(&r, jm, p, "context_window", true, 256, 10000000, &cw) ||
            !mllm_jr_number(&r, jm, p, "rpm_limit", false, 1, 1e9, &m->rpm_limit) ||
            !mllm_jr_number(&r, jm, p, "tpm_limit", false, 1, 1e12, &m->tpm_limit) ||
            !mllm_jr_number(&r, jm, p, "recall", false, 0, 1, &m->recall) ||
            !mllm_jr_number(&r, jm, p, "hallucinate_without_context", false, 0, 1,
                            &m->hallucinate_without_context) ||
            !mllm_jr_number(&r, jm, p, "base_refusal", false, 0, 1, &m->base_refusal) ||
            !mllm_jr_string(&r, jm, p, "refusal_policy", false, &policy))
            goto out;
        m->context_window = (int)cw;
        m->provider = -1;
        for (int k = 0; k < w->nproviders; k++)
            if (strcmp(w->providers[k].id, prov) == 0)
                m->provider = k;
        if (m->provider < 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "provider", 0),
                            "unknown provider \"%.40s\"", prov);
            goto out;
        }
        int ri = mllm_name_index(mllm_role_names, role);
        if (ri < 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "role", 0),
                            "unknown role \"%.40s\" (expected primary, backup or simplified)",
                            role);
            goto out;
        }
        if (mllm_world_model(w, id) >= 0) {
            mllm_jdoc_error(&doc, diags, mllm_path(q, sizeof q, p, "id", 0),
                            "duplicate model id \"%.40s\"", id);
            goto out;
        }
        m->role = (mllm_role)ri;
        /* Counted from here on, so that mllm_world_free releases what a bad
         * version below leaves behind. */
        m->id = xstrdup(id);
        m->refusal_policy = xstrdup(policy);
        w->nmodels++;
        const cJSON *vers = mllm_jr_array(&r, jm, p, "versions", true);
        if (!vers)
            goto out;
        int k = 0;
        mllm_path(q, sizeof q, p, "versions", 0);
        for (const cJSON *jv = vers->child; jv; jv = jv->next, k++) {
            char vp[192];
            const char *fp = NULL, *rel = "";
            mllm_path(vp, sizeof vp, q, NULL, k);
            if (m->nversions >= MLLM_MAX_FINGERPRINTS) {
                mllm_jdoc_error(&doc, diags, vp, "at most %d versions per model",
                                MLLM_MAX_FINGERPRINTS);
                goto out;
            }
            if (!cJSON_IsObject(jv) || !mllm_jr_string(&r, jv, vp, "fingerprint", true, &fp) ||
                !mllm_jr_string(&r, jv, vp, "released", false, &rel)) {
                if (!cJSON_IsObject(jv))
                    mllm_jdoc_error(&doc, diags, vp, "expected a version object");
                goto out;
            }
            m->fingerprint[m->nversions] = xstrdup(fp);
            m->released[m->nversions] = xstrdup(rel);
            m->nversions++;
        }
        if (m->nversions == 0) {
            mllm_jdoc_error(&doc, diags, q, "a model needs at least one version");
            goto out;
        }
    }
    for (int role = 0; role < 3; role++)
        if (mllm_world_model_role(w, (mllm_role)role) < 0) {
            mllm_jdoc_error(&doc, diags, "models", "no model with role \"%s\"",
                            mllm_role_names[role]);
            goto out;
        }
    ok = true;
out:
    mllm_jdoc_release(&doc);
    return ok;
}

mllm_world *mllm_world_load(const char *dir, mllm_diags *diags)
{
    mllm_world *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    char path[1024];
    snprintf(path, sizeof path, "%s/kb.json", dir);
    if (!load_kb(w, path, diags))
        goto err;
    snprintf(path, sizeof path, "%s/catalogue.json", dir);
    if (!load_catalogue(w, path, diags))
        goto err;
    snprintf(path, sizeof path, "%s/prompts.json", dir);
    if (!load_prompts(w, path, diags))
        goto err;
    snprintf(path, sizeof path, "%s/models.json", dir);
    if (!load_models(w, path, diags))
        goto err;
    return w;
err:
    mllm_world_free(w);
    return NULL;
}

void mllm_world_free(mllm_world *w)
{
    if (!w)
        return;
    free(w->product);
    for (int i = 0; i < w->ntopics; i++) {
        free(w->topics[i].id);
        free(w->topics[i].title);
    }
    for (int i = 0; i < w->ndocs; i++) {
        mllm_doc *d = &w->docs[i];
        for (int k = 0; k < d->nversions; k++) {
            free(d->v[k].updated_at);
            free(d->v[k].body);
            for (int f = 0; f < d->v[k].nfacts; f++)
                free(d->v[k].values[f]);
        }
        free(d->v);
        free(d->id);
        free(d->title);
    }
    free(w->docs);
    for (int i = 0; i < w->nfacts; i++)
        free(w->facts[i].key);
    free(w->facts);
    free(w->chunks);
    for (int i = 0; i < w->nqueries; i++) {
        for (int k = 0; k < w->queries[i].ntexts; k++)
            free(w->queries[i].texts[k]);
        free(w->queries[i].texts);
        free(w->queries[i].id);
    }
    free(w->queries);
    free(w->text_query);
    for (int i = 0; i < w->nprompts; i++) {
        mllm_prompt *p = &w->prompts[i];
        free(p->version);
        free(p->released);
        free(p->author);
        free(p->summary);
        free(p->template_text);
        free(p->style);
        free(p->json_schema);
    }
    for (int i = 0; i < w->nproviders; i++) {
        free(w->providers[i].id);
        free(w->providers[i].title);
        free(w->providers[i].api_version);
    }
    for (int i = 0; i < w->nmodels; i++) {
        for (int k = 0; k < w->models[i].nversions; k++) {
            free(w->models[i].fingerprint[k]);
            free(w->models[i].released[k]);
        }
        free(w->models[i].id);
        free(w->models[i].refusal_policy);
    }
    free(w);
}
