/* mllm_json.c - JSON documents with positioned diagnostics.
 *
 * cJSON builds the tree; this file adds what cJSON lacks for user-facing
 * files: UTF-8 validation, line:column for syntax errors, a path-to-position
 * locator, typed field readers with ranges, and duration strings. */
#include "mllm_json.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LOCATE_MAX_DEPTH 256
#define MAX_FILE_BYTES (64u << 20)

/* ---- diagnostics ---------------------------------------------------------------------- */

void mllm_diags_clear(mllm_diags *diags)
{
    diags->n = 0;
    diags->dropped = 0;
}

static void diag_vadd(mllm_diags *diags, const char *file, int line, int col, const char *path,
                      const char *fmt, va_list ap)
{
    if (!diags)
        return;
    if (diags->n >= MLLM_DIAGS_MAX) {
        diags->dropped++;
        return;
    }
    mllm_diag *d = &diags->d[diags->n++];
    snprintf(d->file, sizeof d->file, "%s", file ? file : "<input>");
    d->line = line;
    d->col = col;
    snprintf(d->path, sizeof d->path, "%s", path && *path ? path : "$");
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
}

void mllm_diags_add(mllm_diags *diags, const char *file, int line, int col, const char *path,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(diags, file, line, col, path, fmt, ap);
    va_end(ap);
}

void mllm_diags_print(const mllm_diags *diags, FILE *f)
{
    for (int i = 0; i < diags->n; i++) {
        const mllm_diag *d = &diags->d[i];
        if (d->line > 0)
            fprintf(f, "%s:%d:%d: %s: %s\n", d->file, d->line, d->col, d->path, d->msg);
        else /* no position: the file itself could not be read */
            fprintf(f, "%s: %s: %s\n", d->file, d->path, d->msg);
    }
    if (diags->dropped)
        fprintf(f, "(%d more errors not shown)\n", diags->dropped);
}

/* ---- positions ------------------------------------------------------------------------ */

static void offset_to_linecol(const char *text, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++; /* count code points, not continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

/* Returns the offset of the first invalid UTF-8 sequence, or len when valid. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t need;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            need = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return len;
}

/* Returns the offset of the first control character JSON forbids, or len:
 * any byte below 0x20 inside a string, and any but tab, LF and CR outside.
 * cJSON takes both (it skips every byte up to 0x20 as whitespace), but other
 * JSON tools, the schema checker among them, reject such files, and the path
 * locator would not see through them. Sets *in_string for the message. */
static size_t json_control_at(const char *s, size_t len, bool *in_string)
{
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (in && c == '\\' && i + 1 < len) {
            c = (unsigned char)s[++i]; /* the escaped character: a control one is bad too */
        } else if (c == '"') {
            in = !in;
            continue;
        }
        if (c < 0x20 && (in || (c != '\t' && c != '\n' && c != '\r'))) {
            *in_string = in;
            return i;
        }
    }
    return len;
}

/* A tiny forward-only walker over JSON text, used to find paths. It trusts
 * that the text already parsed with cJSON. */
typedef struct walker {
    const char *s;
    size_t len, i;
} walker;

static void w_ws(walker *w)
{
    while (w->i < w->len && (w->s[w->i] == ' ' || w->s[w->i] == '\t' || w->s[w->i] == '\n' ||
                             w->s[w->i] == '\r'))
        w->i++;
}

static bool w_skip_string(walker *w)
{
    if (w->i >= w->len || w->s[w->i] != '"')
        return false;
    w->i++;
    while (w->i < w->len && w->s[w->i] != '"') {
        if (w->s[w->i] == '\\')
            w->i++;
        w->i++;
    }
    if (w->i >= w->len)
        return false;
    w->i++;
    return true;
}

/* Skips any value iteratively (no recursion: deep nesting is hostile input). */
static bool w_skip_value(walker *w)
{
    int depth = 0;
    w_ws(w);
    do {
        if (w->i >= w->len)
            return false;
        char c = w->s[w->i];
        if (c == '"') {
            if (!w_skip_string(w))
                return false;
        } else if (c == '{' || c == '[') {
            depth++;
            w->i++;
        } else if (c == '}' || c == ']') {
            depth--;
            w->i++;
        } else if (c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            w->i++;
            continue;
        } else {
            /* A scalar. NUL is no delimiter (strchr would find the terminator):
             * on text that did not parse, stopping there never advanced. */
            while (w->i < w->len && (w->s[w->i] == '\0' || !strchr(",]} \t\r\n", w->s[w->i])))
                w->i++;
        }
        if (depth > 0)
            continue;
        break;
    } while (1);
    return true;
}

/* Compares the JSON string at w (raw, escapes only for \" and \\) with key. */
static bool w_key_equals(const walker *w, size_t start, size_t end, const char *key, size_t klen)
{
    size_t j = 0;
    for (size_t i = start; i < end; i++, j++) {
        char c = w->s[i];
        if (c == '\\' && i + 1 < end) {
            c = w->s[++i];
            if (c != '"' && c != '\\' && c != '/')
                return false;
        }
        if (j >= klen || key[j] != c)
            return false;
    }
    return j == klen;
}

bool mllm_json_locate(const char *text, size_t len, const char *path, int *line, int *col)
{
    walker w = {text, len, 0};
    w_ws(&w);
    size_t best = w.i;
    const char *p = path ? path : "";
    /* "$" alone (or before "." / "[") is the root; "$schema" is a root field. */
    if (p[0] == '$' && (p[1] == '\0' || p[1] == '.' || p[1] == '['))
        p++;
    bool found = true;
    int depth = 0;
    while (*p && depth++ < LOCATE_MAX_DEPTH) {
        if (*p == '.')
            p++;
        if (*p == '[') {
            long idx = strtol(p + 1, NULL, 10);
            const char *close = strchr(p, ']');
            p = close ? close + 1 : p + strlen(p);
            w_ws(&w);
            if (w.i >= len || text[w.i] != '[') {
                found = false;
                break;
            }
            w.i++;
            bool ok = false;
            for (long k = 0;; k++) {
                w_ws(&w);
                if (w.i >= len || text[w.i] == ']')
                    break;
                if (k == idx) {
                    ok = true;
                    break;
                }
                if (!w_skip_value(&w))
                    break;
                w_ws(&w);
                if (w.i < len && text[w.i] == ',')
                    w.i++;
            }
            if (!ok) {
                found = false;
                break;
            }
            best = w.i;
        } else {
            size_t klen = strcspn(p, ".[");
            w_ws(&w);
            if (w.i >= len || text[w.i] != '{') {
                found = false;
                break;
            }
            w.i++;
            bool ok = false;
            for (;;) {
                w_ws(&w);
                if (w.i >= len || text[w.i] != '"')
                    break;
                size_t ks = w.i + 1;
                if (!w_skip_string(&w))
                    break;
                size_t ke = w.i - 1;
                w_ws(&w);
                if (w.i < len && text[w.i] == ':')
                    w.i++;
                w_ws(&w);
                if (w_key_equals(&w, ks, ke, p, klen)) {
                    ok = true;
                    break;
                }
                if (!w_skip_value(&w))
                    break;
                w_ws(&w);
                if (w.i < len && text[w.i] == ',')
                    w.i++;
            }
            p += klen;
            if (!ok) {
                found = false;
                break;
            }
            best = w.i;
        }
    }
    offset_to_linecol(text, best, line, col);
    return found;
}

/* ---- documents ------------------------------------------------------------------------ */

int mllm_jdoc_parse(mllm_jdoc *doc, const char *name, const char *text, size_t len,
                    mllm_diags *diags)
{
    memset(doc, 0, sizeof *doc);
    snprintf(doc->name, sizeof doc->name, "%s", name ? name : "<input>");
    doc->text = malloc(len + 1);
    if (!doc->text) {
        mllm_diags_add(diags, doc->name, 0, 0, "$", "out of memory");
        return -ENOMEM;
    }
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;
    int line, col;
    if (memchr(text, '\0', len)) {
        size_t off = (size_t)((const char *)memchr(text, '\0', len) - text);
        offset_to_linecol(doc->text, off, &line, &col);
        mllm_diags_add(diags, doc->name, line, col, "$", "NUL byte in JSON text");
        return -EINVAL;
    }
    size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        offset_to_linecol(doc->text, bad, &line, &col);
        mllm_diags_add(diags, doc->name, line, col, "$", "invalid UTF-8 (byte 0x%02x)",
                       (unsigned char)text[bad]);
        return -EINVAL;
    }
    bool in_string = false;
    bad = json_control_at(text, len, &in_string);
    if (bad < len) {
        offset_to_linecol(doc->text, bad, &line, &col);
        mllm_diags_add(diags, doc->name, line, col, "$",
                       in_string ? "invalid JSON: control character 0x%02x in a string (escape it)"
                                 : "invalid JSON: control character 0x%02x outside a string",
                       (unsigned char)text[bad]);
        return -EINVAL;
    }
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(doc->text, len, &end, 0);
    if (!doc->root) {
        size_t off = end && end >= doc->text ? (size_t)(end - doc->text) : 0;
        if (off > len)
            off = len;
        offset_to_linecol(doc->text, off, &line, &col);
        /* Only whitespace left after the error point: the text ended early. */
        size_t rest = off < len ? off + 1 : len;
        while (rest < len && isspace((unsigned char)doc->text[rest]))
            rest++;
        if (off < len && strchr("}]", doc->text[off]))
            rest = off; /* a stray closer is not a truncation */
        int depth = 0, maxdepth = 0;
        for (size_t i = 0; i < off; i++) {
            char ch = doc->text[i];
            depth += ch == '[' || ch == '{';
            depth -= ch == ']' || ch == '}';
            if (depth > maxdepth)
                maxdepth = depth;
        }
        char near[16];
        size_t k = 0;
        for (size_t i = off; i < len && k < 12 && doc->text[i] != '\n' && doc->text[i] != '\r'; i++)
            near[k++] = doc->text[i];
        near[k] = '\0';
        if (len == 0 || rest >= len)
            mllm_diags_add(diags, doc->name, line, col, "$",
                           "invalid JSON: unexpected end of input (truncated file?)");
        else if (maxdepth >= CJSON_NESTING_LIMIT)
            mllm_diags_add(diags, doc->name, line, col, "$",
                           "invalid JSON: nested deeper than %d levels", CJSON_NESTING_LIMIT);
        else
            mllm_diags_add(diags, doc->name, line, col, "$", "invalid JSON near '%s'", near);
        return -EINVAL;
    }
    /* Anything but whitespace after the value is an error too. */
    if (end) {
        size_t off = (size_t)(end - doc->text);
        while (off < len && isspace((unsigned char)doc->text[off]))
            off++;
        if (off < len) {
            offset_to_linecol(doc->text, off, &line, &col);
            mllm_diags_add(diags, doc->name, line, col, "$",
                           "unexpected text after the JSON value");
            cJSON_Delete(doc->root);
            doc->root = NULL;
            return -EINVAL;
        }
    }
    return 0;
}

int mllm_jdoc_load(mllm_jdoc *doc, const char *file, mllm_diags *diags)
{
    memset(doc, 0, sizeof *doc);
    snprintf(doc->name, sizeof doc->name, "%s", file);
    FILE *f = fopen(file, "rb");
    if (!f) {
        int e = errno;
        mllm_diags_add(diags, file, 0, 0, "$", "cannot open: %s", strerror(e));
        return e == ENOENT ? -ENOENT : -EIO;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (len == cap) {
            if (cap >= MAX_FILE_BYTES) {
                mllm_diags_add(diags, file, 0, 0, "$", "file larger than %u MiB",
                               MAX_FILE_BYTES >> 20);
                rc = -EINVAL;
                goto out_free_buf;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (!buf) {
        mllm_diags_add(diags, file, 0, 0, "$", "out of memory");
        fclose(f);
        return -ENOMEM;
    }
    if (ferror(f)) {
        mllm_diags_add(diags, file, 0, 0, "$", "read error");
        rc = -EIO;
        goto out_free_buf;
    }
    rc = mllm_jdoc_parse(doc, file, buf, len, diags);
out_free_buf:
    free(buf);
    fclose(f);
    return rc;
}

void mllm_jdoc_release(mllm_jdoc *doc)
{
    if (!doc)
        return;
    cJSON_Delete(doc->root);
    free(doc->text);
    doc->root = NULL;
    doc->text = NULL;
}

bool mllm_jdoc_error(const mllm_jdoc *doc, mllm_diags *diags, const char *path, const char *fmt,
                     ...)
{
    int line = 0, col = 0;
    if (doc->text)
        mllm_json_locate(doc->text, doc->len, path, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(diags, doc->name, line, col, path, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- durations ------------------------------------------------------------------------ */

int mllm_duration_parse(const char *s, uint64_t *us)
{
    if (!s || !*s)
        return -EINVAL;
    const uint64_t limit = 365ull * 86400ull * 1000000ull;
    uint64_t total = 0;
    const char *p = s;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return -EINVAL;
        double v = 0;
        char *end;
        v = strtod(p, &end);
        if (end == p || !isfinite(v) || v < 0)
            return -EINVAL;
        p = end;
        double unit;
        if (strncmp(p, "ms", 2) == 0) {
            unit = 1e3;
            p += 2;
        } else if (strncmp(p, "us", 2) == 0) {
            unit = 1;
            p += 2;
        } else if (*p == 's') {
            unit = 1e6;
            p++;
        } else if (*p == 'm') {
            unit = 60e6;
            p++;
        } else if (*p == 'h') {
            unit = 3600e6;
            p++;
        } else if (*p == 'd') {
            unit = 86400e6;
            p++;
        } else {
            return -EINVAL;
        }
        double part = v * unit;
        if (part > (double)limit)
            return -EINVAL;
        total += (uint64_t)(part + 0.5);
        if (total > limit)
            return -EINVAL;
    }
    *us = total;
    return 0;
}

void mllm_duration_format(uint64_t us, char *buf, size_t n)
{
    if (us == 0) {
        snprintf(buf, n, "0s");
        return;
    }
    if (us % 1000000u) {
        if (us % 1000u)
            snprintf(buf, n, "%lluus", (unsigned long long)us);
        else if (us < 1000000u)
            snprintf(buf, n, "%llums", (unsigned long long)(us / 1000u));
        else
            snprintf(buf, n, "%.3gs", (double)us / 1e6);
        return;
    }
    uint64_t s = us / 1000000u;
    unsigned long long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60, sec = s % 60;
    size_t off = 0;
    buf[0] = '\0';
    if (d && off < n)
        off += (size_t)snprintf(buf + off, n - off, "%llud", d);
    if (h && off < n)
        off += (size_t)snprintf(buf + off, n - off, "%lluh", h);
    if (m && off < n)
        off += (size_t)snprintf(buf + off, n - off, "%llum", m);
    if (sec && off < n)
        snprintf(buf + off, n - off, "%llus", sec);
}

/* ---- typed readers -------------------------------------------------------------------- */

const char *mllm_path(char *buf, size_t n, const char *base, const char *key, int index)
{
    bool root = !base || !*base || strcmp(base, "$") == 0;
    if (key)
        snprintf(buf, n, "%s%s%s", root ? "" : base, root ? "" : ".", key);
    else
        snprintf(buf, n, "%s[%d]", root ? "" : base, index);
    return buf;
}

const char *mllm_json_type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "an invalid value";
}

static const cJSON *field(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                          bool required, char *fpath, size_t n)
{
    mllm_path(fpath, n, path, key, 0);
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    if (!v && required)
        mllm_jdoc_error(r->doc, r->diags, path, "missing required field \"%s\"", key);
    return v;
}

bool mllm_jr_string(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                    bool required, const char **out)
{
    char fp[192];
    const cJSON *v = field(r, obj, path, key, required, fp, sizeof fp);
    if (!v)
        return !required;
    if (!cJSON_IsString(v) || !v->valuestring)
        return mllm_jdoc_error(r->doc, r->diags, fp, "expected a string, got %s", mllm_json_type_name(v));
    *out = v->valuestring;
    return true;
}

bool mllm_jr_number(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                    bool required, double min, double max, double *out)
{
    char fp[192];
    const cJSON *v = field(r, obj, path, key, required, fp, sizeof fp);
    if (!v)
        return !required;
    if (!cJSON_IsNumber(v))
        return mllm_jdoc_error(r->doc, r->diags, fp, "expected a number, got %s", mllm_json_type_name(v));
    double d = v->valuedouble;
    if (!isfinite(d) || d < min || d > max)
        return mllm_jdoc_error(r->doc, r->diags, fp, "expected a number in [%g, %g], got %g", min,
                               max, d);
    *out = d;
    return true;
}

bool mllm_jr_int(mllm_jr *r, const cJSON *obj, const char *path, const char *key, bool required,
                 long min, long max, long *out)
{
    char fp[192];
    const cJSON *v = field(r, obj, path, key, required, fp, sizeof fp);
    if (!v)
        return !required;
    if (!cJSON_IsNumber(v))
        return mllm_jdoc_error(r->doc, r->diags, fp, "expected an integer, got %s", mllm_json_type_name(v));
    double d = v->valuedouble;
    if (!isfinite(d) || d != floor(d))
        return mllm_jdoc_error(r->doc, r->diags, fp, "expected an integer, got %g", d);
    if (d < (double)min || d > (double)max)
        return mllm_jdoc_error(r->doc, r->diags, fp, "expected an integer in [%ld, %ld], got %g",
                               min, max, d);
    *out = (long)d;
    return true;
}

bool mllm_jr_bool(mllm_jr *r, const cJSON *obj, const char *path, const char *key, bool required,
                  bool *out)
{
    char fp[192];
    const cJSON *v = field(r, obj, path, key, required, fp, sizeof fp);
    if (!v)
        return !required;
    if (!cJSON_IsBool(v))
        return mllm_jdoc_error(r->doc, r->diags, fp, "expected true or false, got %s",
                               mllm_json_type_name(v));
    *out = cJSON_IsTrue(v);
    return true;
}

bool mllm_jr_duration(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                      bool required, uint64_t *us)
{
    char fp[192];
    const cJSON *v = field(r, obj, path, key, required, fp, sizeof fp);
    if (!v)
        return !required;
    if (!cJSON_IsString(v) || !v->valuestring)
        return mllm_jdoc_error(r->doc, r->diags, fp,
                               "expected a duration string such as \"90s\", \"10m\" or \"1h\", got %s",
                               mllm_json_type_name(v));
    if (mllm_duration_parse(v->valuestring, us) != 0)
        return mllm_jdoc_error(r->doc, r->diags, fp,
                               "invalid duration \"%.40s\": expected a number and a unit "
                               "(ms, s, m, h, d), e.g. \"90s\", \"10m\", \"1h30m\", at most 365d",
                               v->valuestring);
    return true;
}

const cJSON *mllm_jr_array(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                           bool required)
{
    char fp[192];
    const cJSON *v = field(r, obj, path, key, required, fp, sizeof fp);
    if (v && !cJSON_IsArray(v)) {
        mllm_jdoc_error(r->doc, r->diags, fp, "expected an array, got %s", mllm_json_type_name(v));
        return NULL;
    }
    return v;
}

const cJSON *mllm_jr_object(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                            bool required)
{
    char fp[192];
    const cJSON *v = field(r, obj, path, key, required, fp, sizeof fp);
    if (v && !cJSON_IsObject(v)) {
        mllm_jdoc_error(r->doc, r->diags, fp, "expected an object, got %s", mllm_json_type_name(v));
        return NULL;
    }
    return v;
}

size_t mllm_edit_distance(const char *a, const char *b)
{
    /* Optimal string alignment: insertions, deletions, substitutions and
     * swaps of neighbours, so "fautls" is one step from "faults". */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

bool mllm_jr_known_keys(mllm_jr *r, const cJSON *obj, const char *path,
                        const char *const *allowed)
{
    bool ok = true;
    if (!cJSON_IsObject(obj))
        return true;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string || mllm_name_index(allowed, c->string) >= 0)
            continue;
        const char *best = NULL;
        size_t bestd = 4;
        for (int i = 0; allowed[i]; i++) {
            size_t d = mllm_edit_distance(c->string, allowed[i]);
            if (d < bestd) {
                bestd = d;
                best = allowed[i];
            }
        }
        char fp[192];
        mllm_path(fp, sizeof fp, path, c->string, 0);
        if (best)
            mllm_jdoc_error(r->doc, r->diags, fp, "unknown field \"%.40s\" (did you mean \"%s\"?)",
                            c->string, best);
        else
            mllm_jdoc_error(r->doc, r->diags, fp, "unknown field \"%.40s\"", c->string);
        ok = false;
    }
    return ok;
}

int mllm_name_index(const char *const *names, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}
