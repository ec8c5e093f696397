/* sim_eval.c - eval cases, eval sets and running them against the service. */
#include "sim_eval.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim_log.h"

const char *const sim_assert_names[] = {"contains_fact",    "not_refusal",      "no_error",
                                        "cites_doc_not_older_than", "latency_under_ms",
                                        "valid_json",       NULL};

/* ---- identity ------------------------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t content_hash(const sim_eval_case *c)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *q = c->query; *q; q++) {
        char ch = (char)tolower((unsigned char)*q);
        h = fnv(h, &ch, 1);
    }
    int seg[5] = {c->region, c->plan, c->client, c->history_tokens, c->structured};
    h = fnv(h, seg, sizeof seg);
    for (int i = 0; i < c->nassert; i++) {
        int k[2] = {(int)c->a[i].kind, c->a[i].fact};
        h = fnv(h, k, sizeof k);
        h = fnv(h, &c->a[i].day, sizeof c->a[i].day);
        h = fnv(h, &c->a[i].ms, sizeof c->a[i].ms);
    }
    return h;
}

static void set_id(sim_eval_case *c)
{
    snprintf(c->id, sizeof c->id, "ec-%012llx",
             (unsigned long long)(content_hash(c) & 0xffffffffffffull));
}

/* ---- parsing -------------------------------------------------------------------------- */

static int find_text(const mllm_world *w, int query, const char *words)
{
    if (query >= 0) {
        const mllm_query *q = &w->queries[query];
        for (int k = 0; k < q->ntexts; k++)
            if (strcasecmp(q->texts[k], words) == 0)
                return q->first_text + k;
        return q->first_text;
    }
    for (int t = 0; t < w->ntexts; t++)
        if (strcasecmp(mllm_world_text(w, t), words) == 0)
            return t;
    return -1;
}

static int fact_index(const mllm_world *w, const char *key)
{
    for (int i = 0; i < w->nfacts; i++)
        if (strcmp(w->facts[i].key, key) == 0)
            return i;
    return -1;
}

static int segment(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                   const char *const *names, int *out)
{
    const char *s = NULL;
    if (!mllm_jr_string(r, obj, path, key, false, &s))
        return -1;
    if (!s) {
        *out = 0;
        return 0;
    }
    *out = mllm_name_index(names, s);
    if (*out < 0) {
        char fp[192];
        mllm_jdoc_error(r->doc, r->diags, mllm_path(fp, sizeof fp, path, key, 0),
                        "unknown %s \"%.40s\"", key, s);
        return -1;
    }
    return 0;
}

/* Copies a string that must fit whole. Cutting it short could split a UTF-8
 * sequence, and the set is rewritten on every append and must load again. */
static bool copy_whole(mllm_jr *r, const char *path, const char *key, const char *s, char *dst,
                       size_t n)
{
    size_t len = strlen(s);
    if (len >= n) {
        char fp[192];
        return mllm_jdoc_error(r->doc, r->diags, mllm_path(fp, sizeof fp, path, key, 0),
                               "expected at most %zu bytes, got %zu", n - 1, len);
    }
    memcpy(dst, s, len + 1);
    return true;
}

bool sim_eval_case_parse(const mllm_jdoc *doc, const cJSON *obj, const char *path,
                         const mllm_world *w, sim_eval_case *c, mllm_diags *diags)
{
    mllm_jr r = {doc, diags};
    static const char *const keys[] = {"id",       "trace_id", "query",          "query_id",
                                       "region",   "plan",     "client",         "history_tokens",
                                       "structured", "assertions", "provenance", NULL};
    memset(c, 0, sizeof *c);
    c->text = -1;
    if (!cJSON_IsObject(obj))
        return mllm_jdoc_error(doc, diags, path, "expected an eval case object");
    const char *query = NULL, *qid = NULL;
    double trace = 0;
    long hist = 0;
    bool ok = mllm_jr_known_keys(&r, obj, path, keys) &&
              mllm_jr_string(&r, obj, path, "query", true, &query) &&
              mllm_jr_number(&r, obj, path, "trace_id", false, 0, 9e15, &trace) &&
              mllm_jr_int(&r, obj, path, "history_tokens", false, 0, 10000000, &hist) &&
              mllm_jr_bool(&r, obj, path, "structured", false, &c->structured);
    const cJSON *jq = cJSON_GetObjectItemCaseSensitive(obj, "query_id");
    if (ok && jq && !cJSON_IsNull(jq))
        ok = mllm_jr_string(&r, obj, path, "query_id", false, &qid);
    if (!ok)
        return false;
    if (!query[0] || strlen(query) >= sizeof c->query) {
        char fp[192];
        return mllm_jdoc_error(doc, diags, mllm_path(fp, sizeof fp, path, "query", 0),
                               "expected 1 to %zu characters", sizeof c->query - 1);
    }
    snprintf(c->query, sizeof c->query, "%s", query);
    c->trace_id = (uint64_t)trace;
    c->history_tokens = (int)hist;
    int qi = -1;
    if (qid) {
        qi = mllm_world_query(w, qid);
        if (qi < 0) {
            char fp[192];
            return mllm_jdoc_error(doc, diags, mllm_path(fp, sizeof fp, path, "query_id", 0),
                                   "unknown catalogue query \"%.40s\"", qid);
        }
    }
    c->text = find_text(w, qi, query);
    if (segment(&r, obj, path, "region", mllm_region_names, &c->region) < 0 ||
        segment(&r, obj, path, "plan", mllm_plan_names, &c->plan) < 0 ||
        segment(&r, obj, path, "client", mllm_client_names, &c->client) < 0)
        return false;
    char ap[192];
    const cJSON *as = mllm_jr_array(&r, obj, path, "assertions", true);
    if (!as)
        return false;
    mllm_path(ap, sizeof ap, path, "assertions", 0);
    if (cJSON_GetArraySize(as) < 1 || cJSON_GetArraySize(as) > SIM_EVAL_MAX_ASSERT)
        return mllm_jdoc_error(doc, diags, ap, "expected 1 to %d assertions", SIM_EVAL_MAX_ASSERT);
    int i = 0;
    for (const cJSON *ja = as->child; ja; ja = ja->next, i++) {
        char ip[192], fp[192];
        mllm_path(ip, sizeof ip, ap, NULL, i);
        static const char *const akeys[] = {"type", "fact", "date", "ms", NULL};
        const char *type = NULL, *fact = NULL, *date = NULL;
        double ms = 0;
        if (!cJSON_IsObject(ja))
            return mllm_jdoc_error(doc, diags, ip, "expected an assertion object");
        if (!mllm_jr_known_keys(&r, ja, ip, akeys) ||
            !mllm_jr_string(&r, ja, ip, "type", true, &type) ||
            !mllm_jr_string(&r, ja, ip, "fact", false, &fact) ||
            !mllm_jr_string(&r, ja, ip, "date", false, &date) ||
            !mllm_jr_number(&r, ja, ip, "ms", false, 0, 3.6e6, &ms))
            return false;
        sim_assertion *a = &c->a[c->nassert++];
        a->fact = -1;
        int k = mllm_name_index(sim_assert_names, type);
        if (k < 0)
            return mllm_jdoc_error(doc, diags, mllm_path(fp, sizeof fp, ip, "type", 0),
                                   "unknown assertion \"%.40s\" (expected contains_fact, "
                                   "not_refusal, no_error, cites_doc_not_older_than, "
                                   "latency_under_ms or valid_json)",
                                   type);
        a->kind = (sim_assert_kind)k;
        if (a->kind == SIM_ASSERT_CONTAINS_FACT) {
            if (!fact)
                return mllm_jdoc_error(doc, diags, ip, "contains_fact needs \"fact\"");
            a->fact = fact_index(w, fact);
            if (a->fact < 0)
                return mllm_jdoc_error(doc, diags, mllm_path(fp, sizeof fp, ip, "fact", 0),
                                       "unknown fact \"%.40s\"", fact);
        } else if (a->kind == SIM_ASSERT_CITES_NOT_OLDER) {
            a->day = date ? mllm_date_days(date) : -1;
            if (a->day < 0)
                return mllm_jdoc_error(doc, diags, ip,
                                       "cites_doc_not_older_than needs \"date\": YYYY-MM-DD");
        } else if (a->kind == SIM_ASSERT_LATENCY_UNDER) {
            if (!(ms > 0))
                return mllm_jdoc_error(doc, diags, ip, "latency_under_ms needs \"ms\" > 0");
            a->ms = ms;
        }
    }
    const cJSON *pv = mllm_jr_object(&r, obj, path, "provenance", false);
    if (!pv && cJSON_GetObjectItemCaseSensitive(obj, "provenance"))
        return false; /* not an object: reported */
    if (pv) {
        const char *drill = "", *incident = "", *by = "";
        double seed = 0, at = 0;
        char pp[192];
        mllm_path(pp, sizeof pp, path, "provenance", 0);
        if (!mllm_jr_string(&r, pv, pp, "drill", false, &drill) ||
            !mllm_jr_string(&r, pv, pp, "incident", false, &incident) ||
            !mllm_jr_string(&r, pv, pp, "created_by", false, &by) ||
            !mllm_jr_number(&r, pv, pp, "seed", false, 0, 9.1e18, &seed) ||
            !mllm_jr_number(&r, pv, pp, "at_s", false, 0, 3.2e7, &at))
            return false;
        if (!copy_whole(&r, pp, "drill", drill, c->drill, sizeof c->drill) ||
            !copy_whole(&r, pp, "incident", incident, c->incident, sizeof c->incident) ||
            !copy_whole(&r, pp, "created_by", by, c->created_by, sizeof c->created_by))
            return false;
        c->seed = (uint64_t)seed;
        c->at = (sim_time)(at * 1e6 + 0.5); /* nearest: a saved time reads back the same */
    }
    set_id(c);
    return true;
}

int sim_eval_set_load(const char *file, const mllm_world *w, bool missing_ok, sim_eval_set *set,
                      mllm_diags *diags)
{
    memset(set, 0, sizeof *set);
    mllm_jdoc doc;
    int before = diags ? diags->n : 0;
    int rc = mllm_jdoc_load(&doc, file, diags);
    if (rc == -ENOENT && missing_ok) {
        if (diags)
            diags->n = before; /* a new set: not an error */
        mllm_jdoc_release(&doc);
        return 0;
    }
    if (rc != 0) {
        mllm_jdoc_release(&doc);
        return rc;
    }
    mllm_jr r = {&doc, diags};
    static const char *const keys[] = {"cases", NULL};
    const cJSON *cases = NULL;
    if (!cJSON_IsObject(doc.root)) {
        mllm_jdoc_error(&doc, diags, "$", "expected an object with \"cases\"");
        rc = -EINVAL;
        goto out;
    }
    if (!mllm_jr_known_keys(&r, doc.root, "$", keys) ||
        !(cases = mllm_jr_array(&r, doc.root, "$", "cases", true))) {
        rc = -EINVAL;
        goto out;
    }
    int i = 0;
    for (const cJSON *jc = cases->child; jc; jc = jc->next, i++) {
        char p[64];
        sim_eval_case c;
        mllm_path(p, sizeof p, "cases", NULL, i);
        if (!sim_eval_case_parse(&doc, jc, p, w, &c, diags)) {
            rc = -EINVAL;
            goto out;
        }
        if (sim_eval_set_add(set, &c) < 0) {
            rc = -ENOMEM;
            goto out;
        }
    }
out:
    mllm_jdoc_release(&doc);
    if (rc != 0)
        sim_eval_set_release(set);
    return rc;
}

/* ---- writing -------------------------------------------------------------------------- */

void sim_eval_request_json(cJSON *o, const mllm_world *w, const char *query, int qidx,
                           int region, int plan, int client, int history_tokens,
                           bool structured)
{
    cJSON_AddStringToObject(o, "query", query);
    if (qidx >= 0)
        cJSON_AddStringToObject(o, "query_id", w->queries[qidx].id);
    else
        cJSON_AddNullToObject(o, "query_id");
    cJSON_AddStringToObject(o, "region", mllm_region_names[region]);
    cJSON_AddStringToObject(o, "plan", mllm_plan_names[plan]);
    cJSON_AddStringToObject(o, "client", mllm_client_names[client]);
    cJSON_AddNumberToObject(o, "history_tokens", history_tokens);
    cJSON_AddBoolToObject(o, "structured", structured);
}

cJSON *sim_eval_case_json(const sim_eval_case *c, const mllm_world *w)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", c->id);
    sim_eval_request_json(o, w, c->query, c->text >= 0 ? w->text_query[c->text] : -1,
                          c->region, c->plan, c->client, c->history_tokens, c->structured);
    cJSON_AddNumberToObject(o, "trace_id", (double)c->trace_id);
    cJSON *as = cJSON_AddArrayToObject(o, "assertions");
    for (int i = 0; i < c->nassert; i++) {
        const sim_assertion *a = &c->a[i];
        cJSON *ja = cJSON_CreateObject();
        cJSON_AddStringToObject(ja, "type", sim_assert_names[a->kind]);
        if (a->kind == SIM_ASSERT_CONTAINS_FACT)
            cJSON_AddStringToObject(ja, "fact", w->facts[a->fact].key);
        if (a->kind == SIM_ASSERT_CITES_NOT_OLDER) {
            char d[11];
            mllm_date_format(a->day, d);
            cJSON_AddStringToObject(ja, "date", d);
        }
        if (a->kind == SIM_ASSERT_LATENCY_UNDER)
            cJSON_AddNumberToObject(ja, "ms", a->ms);
        cJSON_AddItemToArray(as, ja);
    }
    cJSON *pv = cJSON_AddObjectToObject(o, "provenance");
    cJSON_AddStringToObject(pv, "drill", c->drill);
    cJSON_AddNumberToObject(pv, "seed", (double)c->seed);
    cJSON_AddStringToObject(pv, "incident", c->incident);
    cJSON_AddNumberToObject(pv, "at_s", (double)c->at / 1e6);
    cJSON_AddStringToObject(pv, "created_by", c->created_by);
    return o;
}

int sim_eval_set_save(const sim_eval_set *set, const mllm_world *w, const char *file)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "cases") : NULL;
    if (!arr) {
        cJSON_Delete(root);
        return -ENOMEM;
    }
    for (int i = 0; i < set->n; i++)
        cJSON_AddItemToArray(arr, sim_eval_case_json(&set->cases[i], w));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -ENOMEM;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", file);
    int rc = 0;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        rc = -errno;
    } else {
        if (fprintf(f, "%s\n", text) < 0)
            rc = -EIO;
        if (fclose(f) != 0 && !rc)
            rc = -errno;
        if (!rc && rename(tmp, file) != 0)
            rc = -errno;
    }
    cJSON_free(text);
    return rc;
}

int sim_eval_set_add(sim_eval_set *set, const sim_eval_case *c)
{
    for (int i = 0; i < set->n; i++)
        if (strcmp(set->cases[i].id, c->id) == 0)
            return 0;
    if (set->n == set->cap) {
        int cap = set->cap ? set->cap * 2 : 16;
        sim_eval_case *nc = realloc(set->cases, sizeof *nc * (size_t)cap);
        if (!nc)
            return -ENOMEM;
        set->cases = nc;
        set->cap = cap;
    }
    set->cases[set->n++] = *c;
    return 1;
}

void sim_eval_set_release(sim_eval_set *set)
{
    free(set->cases);
    memset(set, 0, sizeof *set);
}

int sim_eval_case_from_trace(const sim_drill *d, const sim_trace *t, const sim_assertion *a,
                             int na, const char *by, sim_eval_case *c)
{
    const mllm_world *w = sim_drill_world(d);
    const sim_scenario *s = sim_drill_scenario(d);
    memset(c, 0, sizeof *c);
    c->text = t->req.text;
    snprintf(c->query, sizeof c->query, "%s",
             c->text >= 0 ? mllm_world_text(w, c->text) : t->text);
    c->region = t->req.region;
    c->plan = t->req.plan;
    c->client = t->req.client;
    c->history_tokens = t->req.history_tokens;
    c->structured = t->resp.structured;
    const mllm_query *q = c->text >= 0 ? &w->queries[w->text_query[c->text]] : NULL;
    for (int i = 0; i < na; i++) {
        if (a[i].kind == SIM_ASSERT_CONTAINS_FACT && a[i].fact < 0) {
            if (!q)
                return -EINVAL;
            for (int k = 0; k < q->nfacts && c->nassert < SIM_EVAL_MAX_ASSERT; k++) {
                c->a[c->nassert] = a[i];
                c->a[c->nassert++].fact = q->facts[k];
            }
        } else if (c->nassert < SIM_EVAL_MAX_ASSERT) {
            c->a[c->nassert++] = a[i];
        }
    }
    if (c->nassert == 0)
        return -EINVAL;
    snprintf(c->drill, sizeof c->drill, "%s", s->id);
    c->seed = s->seed;
    size_t off = 0;
    for (int i = 0; i < s->nfaults && off < sizeof c->incident; i++)
        off += (size_t)snprintf(c->incident + off, sizeof c->incident - off, "%s%s",
                                i ? "+" : "", mllm_fault_names[s->faults[i].f.kind]);
    c->trace_id = t->id;
    c->at = t->req.t;
    snprintf(c->created_by, sizeof c->created_by, "%s", by ? by : "trainee");
    set_id(c);
    return 0;
}

/* ---- running -------------------------------------------------------------------------- */

static bool valid_structured(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    bool ok = cJSON_IsObject(j) && cJSON_IsString(cJSON_GetObjectItem(j, "answer")) &&
              cJSON_IsArray(cJSON_GetObjectItem(j, "sources"));
    cJSON_Delete(j);
    return ok;
}

/* Checks one response; on failure writes why into reason. */
static bool check(const mllm_service *svc, const mllm_request *req, const mllm_response *r,
                  const sim_eval_case *c, char *reason, size_t n)
{
    const mllm_world *w = mllm_service_world(svc);
    char text[4096];
    mllm_service_render(svc, req, r, text, sizeof text);
    for (int i = 0; i < c->nassert; i++) {
        const sim_assertion *a = &c->a[i];
        switch (a->kind) {
        case SIM_ASSERT_CONTAINS_FACT: {
            int vi = mllm_service_source_version(svc, w->facts[a->fact].doc);
            const char *v = mllm_world_fact_value(w, a->fact, vi >= 0 ? vi : 0);
            if (r->status != 200 || !v || !strstr(text, v)) {
                snprintf(reason, n, "answer lacks %s = \"%s\"", w->facts[a->fact].key,
                         v ? v : "?");
                return false;
            }
            break;
        }
        case SIM_ASSERT_NOT_REFUSAL:
            if (r->refusal) {
                snprintf(reason, n, "the model refused");
                return false;
            }
            break;
        case SIM_ASSERT_NO_ERROR:
            if (r->status != 200) {
                snprintf(reason, n, "status %d (%s)", r->status, r->err_code);
                return false;
            }
            break;
        case SIM_ASSERT_CITES_NOT_OLDER: {
            int cited = 0;
            for (int k = 0; k < r->nfacts; k++) {
                const mllm_answer_fact *af = &r->facts[k];
                if (af->version < 0)
                    continue;
                const mllm_version *v = &w->docs[w->facts[af->fact].doc].v[af->version];
                cited++;
                if (v->day < a->day) {
                    snprintf(reason, n, "cites %s as of %s", w->docs[w->facts[af->fact].doc].id,
                             v->updated_at);
                    return false;
                }
            }
            if (!cited) {
                snprintf(reason, n, "cites no document");
                return false;
            }
            break;
        }
        case SIM_ASSERT_LATENCY_UNDER:
            if (r->latency_us >= a->ms * 1000) {
                snprintf(reason, n, "latency %.0f ms over %.0f ms", r->latency_us / 1000.0, a->ms);
                return false;
            }
            break;
        case SIM_ASSERT_VALID_JSON:
            if (r->status != 200 || r->refusal || !valid_structured(text)) {
                snprintf(reason, n, "structured output does not parse%s",
                         r->status != 200 ? " (error)" : "");
                return false;
            }
            break;
        default:
            break;
        }
    }
    return true;
}

void sim_eval_run_case(sim_drill *d, const sim_eval_case *c, sim_eval_outcome *o)
{
    memset(o, 0, sizeof *o);
    const mllm_service *svc = sim_drill_service(d);
    uint64_t base = content_hash(c) & 0x00ffffffffffffffull;
    for (int k = 0; k < SIM_EVAL_RUNS; k++) {
        mllm_request req;
        memset(&req, 0, sizeof req);
        req.id = (3ull << 62) | ((base * SIM_EVAL_RUNS + (uint64_t)k) & 0x3fffffffffffffffull);
        req.text = c->text;
        req.free_text = c->text < 0 ? c->query : NULL;
        req.region = c->region;
        req.plan = c->plan;
        req.client = c->client;
        req.history_tokens = c->history_tokens;
        req.structured = c->structured;
        req.dry_run = true;
        mllm_response r;
        sim_drill_serve(d, &req, &r);
        char why[200];
        o->runs++;
        if (check(svc, &req, &r, c, why, sizeof why))
            o->passed++;
        else if (!o->reason[0])
            snprintf(o->reason, sizeof o->reason, "%s", why);
    }
    o->pass = o->passed >= SIM_EVAL_PASS_SHARE * o->runs;
}

int sim_eval_run_config(const sim_scenario *s, const mllm_world *w, bool faulty, sim_time at,
                        const sim_eval_case *cases, int n, sim_eval_outcome *out, char *err,
                        size_t errlen)
{
    sim_scenario *copy = malloc(sizeof *copy);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    *copy = *s; /* shallow: the copy must not be freed with sim_scenario_free */
    if (!faulty)
        copy->nfaults = 0;
    if (at > copy->duration)
        at = copy->duration;
    sim_drill_opts o = {0};
    sim_drill *d = sim_drill_new(copy, w, &o, err, errlen);
    if (!d) {
        free(copy);
        return -EINVAL;
    }
    sim_drill_run_until(d, at);
    for (int i = 0; i < n; i++)
        sim_eval_run_case(d, &cases[i], &out[i]);
    sim_drill_free(d);
    free(copy);
    return 0;
}

bool sim_eval_proves(const sim_scenario *s, const mllm_world *w, sim_time at,
                     const sim_eval_case *c, sim_eval_outcome *faulty, sim_eval_outcome *healthy)
{
    char err[160];
    if (sim_eval_run_config(s, w, true, at, c, 1, faulty, err, sizeof err) != 0 ||
        sim_eval_run_config(s, w, false, at, c, 1, healthy, err, sizeof err) != 0)
        return false;
    return !faulty->pass && healthy->pass;
}

int sim_assertion_parse(const char *s, const mllm_world *w, sim_assertion *a, char *err,
                        size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->fact = -1;
    const char *colon = strchr(s, ':');
    size_t klen = colon ? (size_t)(colon - s) : strlen(s);
    const char *arg = colon ? colon + 1 : NULL;
    int k = -1;
    for (int i = 0; sim_assert_names[i]; i++)
        if (strlen(sim_assert_names[i]) == klen && strncmp(sim_assert_names[i], s, klen) == 0)
            k = i;
    if (k < 0) {
        snprintf(err, errlen, "unknown assertion \"%.40s\" (expected contains_fact, not_refusal, "
                              "no_error, valid_json, latency_under_ms:N or "
                              "cites_doc_not_older_than:YYYY-MM-DD)", s);
        return -EINVAL;
    }
    a->kind = (sim_assert_kind)k;
    switch (a->kind) {
    case SIM_ASSERT_CONTAINS_FACT:
        if (arg && (a->fact = fact_index(w, arg)) < 0) {
            snprintf(err, errlen, "unknown fact \"%.40s\"", arg);
            return -EINVAL;
        }
        return 0;
    case SIM_ASSERT_LATENCY_UNDER: {
        char *end = NULL;
        a->ms = arg ? strtod(arg, &end) : 0;
        if (!arg || *end || !(a->ms > 0) || a->ms > 3.6e6) {
            snprintf(err, errlen, "latency_under_ms needs a budget in ms, e.g. latency_under_ms:5000");
            return -EINVAL;
        }
        return 0;
    }
    case SIM_ASSERT_CITES_NOT_OLDER:
        a->day = arg ? mllm_date_days(arg) : -1;
        if (a->day < 0) {
            snprintf(err, errlen, "cites_doc_not_older_than needs a date, e.g. "
                                  "cites_doc_not_older_than:2026-11-25");
            return -EINVAL;
        }
        return 0;
    default:
        if (arg) {
            snprintf(err, errlen, "%s takes no argument", sim_assert_names[k]);
            return -EINVAL;
        }
        return 0;
    }
}
