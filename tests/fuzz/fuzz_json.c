/* fuzz_json.c - libFuzzer target: the JSON diagnostics layer (mllm_json.h).
 *
 * Input: JSON text, optionally preceded by "PATH\0" (a NUL cannot occur in
 * JSON the layer accepts, so it separates the two). The target parses the
 * text with mllm_jdoc_parse, locates PATH in it with mllm_json_locate (on
 * any text, parsed or not: the locator must never read outside it), and, when
 * the text parses, walks the tree: every value whose path is expressible
 * (keys without '.', '[' or ']', first of their name among siblings) must be
 * found by the locator at a character that starts a value of its type,
 * mllm_jdoc_error must position its diagnostic there, and the typed readers
 * must accept exactly the fields of their type. Strings also go through the
 * duration and date parsers, whose formatters must round-trip. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mllm_json.h"
#include "mllm_world.h"

#define NAME        "<fuzz json>"
#define SCAN_BUDGET 1000000 /* characters the locator may scan per input: keeps runs fast */

typedef struct walk {
    const mllm_jdoc *doc;
    bool has_escape;      /* the text has a backslash: a key may be spelt with escapes */
    int nodes, max_nodes; /* values checked so far, and at most (by the text's length) */
} walk;

/* Byte offset of 1-based line:col in text, counted as mllm_json counts columns. */
static size_t offset_of(const char *text, size_t len, int line, int col)
{
    int l = 1, c = 1;
    size_t i = 0;
    for (; i < len; i++) {
        if (l == line && c == col)
            break;
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    /* A column counts lead bytes: skip the continuation bytes after the lead. */
    return i;
}

static bool starts_value_of_type(const cJSON *v, char ch)
{
    if (cJSON_IsObject(v))
        return ch == '{';
    if (cJSON_IsArray(v))
        return ch == '[';
    if (cJSON_IsString(v))
        return ch == '"';
    if (cJSON_IsNumber(v))
        return ch == '-' || isdigit((unsigned char)ch);
    if (cJSON_IsBool(v))
        return ch == 't' || ch == 'f';
    if (cJSON_IsNull(v))
        return ch == 'n';
    return false;
}

static bool key_expressible(const cJSON *parent, const cJSON *child)
{
    if (!child->string || !child->string[0] || strpbrk(child->string, ".[]"))
        return false;
    /* Keys are found by their first occurrence, as cJSON finds them. */
    for (const cJSON *c = parent->child; c != child; c = c->next)
        if (c->string && strcmp(c->string, child->string) == 0)
            return false;
    return strlen(child->string) < 64;
}

static void check_strings(const char *s)
{
    uint64_t us, again;
    if (mllm_duration_parse(s, &us) == 0) {
        char buf[64];
        mllm_duration_format(us, buf, sizeof buf);
        FUZZ_CHECK(mllm_duration_parse(buf, &again) == 0,
                   "duration \"%s\" formats as \"%s\", which does not parse", s, buf);
        /* "%.3gs" rounds sub-second parts of long durations: within 0.5%. */
        FUZZ_CHECK(again == us || fabs((double)again - (double)us) <= (double)us * 5e-3,
                   "duration \"%s\" = %llu us formats as \"%s\" = %llu us", s,
                   (unsigned long long)us, buf, (unsigned long long)again);
    }
    int32_t day = mllm_date_days(s);
    if (day >= 0) {
        char out[11];
        mllm_date_format(day, out);
        FUZZ_CHECK(strcmp(out, s) == 0, "date \"%s\" formats back as \"%s\"", s, out);
    }
}

static void check_readers(walk *wk, const cJSON *obj, const char *path, const cJSON *child)
{
    mllm_diags d;
    mllm_jr r = {wk->doc, &d};
    const char *key = child->string;
    const cJSON *got;
    const char *s = NULL;
    double num = 0;
    long l = 0;
    bool b = false;
    uint64_t us = 0;
    mllm_diags_clear(&d);
    FUZZ_CHECK(mllm_jr_string(&r, obj, path, key, true, &s) == cJSON_IsString(child),
               "mllm_jr_string on %s", key);
    FUZZ_CHECK(mllm_jr_bool(&r, obj, path, key, true, &b) == cJSON_IsBool(child),
               "mllm_jr_bool on %s", key);
    FUZZ_CHECK(mllm_jr_number(&r, obj, path, key, true, -INFINITY, INFINITY, &num) ==
                   (cJSON_IsNumber(child) && isfinite(child->valuedouble)),
               "mllm_jr_number on %s", key);
    mllm_jr_int(&r, obj, path, key, true, -1000000, 1000000, &l);
    mllm_jr_duration(&r, obj, path, key, true, &us);
    got = mllm_jr_array(&r, obj, path, key, true);
    FUZZ_CHECK((got != NULL) == cJSON_IsArray(child), "mllm_jr_array on %s", key);
    got = mllm_jr_object(&r, obj, path, key, true);
    FUZZ_CHECK((got != NULL) == cJSON_IsObject(child), "mllm_jr_object on %s", key);
    static const char *const allowed[] = {"id", "title", "faults", "kind", "duration", NULL};
    mllm_jr_known_keys(&r, obj, path, allowed);
    fuzz_check_diags(&d, 0, 0, d.n + d.dropped > 0, NAME, wk->doc->text, wk->doc->len, false);
}

static void walk_value(walk *wk, const cJSON *v, const char *path)
{
    if (wk->nodes++ >= wk->max_nodes)
        return;
    int line = 0, col = 0;
    bool found = mllm_json_locate(wk->doc->text, wk->doc->len, path, &line, &col);
    FUZZ_CHECK(found || wk->has_escape, "path %s of the parsed tree is not found", path);
    if (found) {
        size_t off = offset_of(wk->doc->text, wk->doc->len, line, col);
        FUZZ_CHECK(off < wk->doc->len && starts_value_of_type(v, wk->doc->text[off]),
                   "path %s located at %d:%d, which does not start its value", path, line, col);
        mllm_diags d;
        mllm_diags_clear(&d);
        mllm_jdoc_error(wk->doc, &d, path, "checked");
        FUZZ_CHECK(d.n == 1 && d.d[0].line == line && d.d[0].col == col,
                   "mllm_jdoc_error puts %s elsewhere than the locator", path);
    }
    if (cJSON_IsString(v))
        check_strings(v->valuestring);
    char child_path[192];
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        if (cJSON_IsObject(v)) {
            if (!key_expressible(v, c))
                continue;
            mllm_path(child_path, sizeof child_path, path, c->string, 0);
            if (wk->nodes < wk->max_nodes / 8)
                check_readers(wk, v, path, c);
        } else {
            mllm_path(child_path, sizeof child_path, path, NULL, i);
        }
        if (strlen(child_path) >= sizeof child_path - 1)
            continue; /* cut short: no longer the child's path */
        walk_value(wk, c, child_path);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t len = size;
    char path[256] = "";
    const char *nul = memchr(data, '\0', size);
    if (nul) {
        size_t plen = (size_t)(nul - text);
        snprintf(path, sizeof path, "%.*s", (int)(plen < 255 ? plen : 255), text);
        text = nul + 1;
        len = size - plen - 1;
    }
    /* The locator on the raw bytes, parsed or not (a copy with no slack, so
     * ASan sees a read past the end). */
    char *raw = malloc(len ? len : 1);
    FUZZ_CHECK(raw != NULL, "out of memory");
    memcpy(raw, text, len);
    int line = -1, col = -1;
    mllm_json_locate(raw, len, path, &line, &col);
    FUZZ_CHECK(line >= 1 && col >= 1, "locate gave %d:%d", line, col);
    free(raw);

    mllm_jdoc doc;
    mllm_diags d;
    mllm_diags_clear(&d);
    int rc = mllm_jdoc_parse(&doc, NAME, text, len, &d);
    fuzz_check_diags(&d, 0, 0, rc != 0, NAME, text, len, false);
    FUZZ_CHECK((rc == 0) == (doc.root != NULL), "rc %d with root %p", rc, (void *)doc.root);
    if (rc == 0) {
        long budget = SCAN_BUDGET / (long)(len + 1);
        if (budget > 400)
            budget = 400;
        walk wk = {&doc, memchr(text, '\\', len) != NULL, 0, budget < 8 ? 8 : (int)budget};
        walk_value(&wk, doc.root, "$");
        if (path[0]) {
            mllm_diags_clear(&d);
            mllm_jdoc_error(&doc, &d, path, "fuzzed path");
            fuzz_check_diags(&d, 0, 0, true, NAME, text, len, false);
        }
    }
    mllm_jdoc_release(&doc);
    return 0;
}
