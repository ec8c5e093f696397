/* fuzz_common.c - data folder, cached worlds, a private temporary folder and
 * the diagnostics oracle shared by the fuzz targets (see fuzz_common.h). */
#include "fuzz_common.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FIREDRILL_DATA_DIR
#define FIREDRILL_DATA_DIR "."
#endif

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "\nfuzz oracle: %s:%d: %s: ", file, line, cond);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

const char *fuzz_data_dir(void)
{
    const char *e = getenv("FIREDRILL_DATA_DIR");
    return e && *e ? e : FIREDRILL_DATA_DIR;
}

const char *fuzz_data_path(const char *rel)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", fuzz_data_dir(), rel);
    return buf;
}

const mllm_world *fuzz_world(const char *rel_dir)
{
    static struct {
        char rel[64];
        mllm_world *w;
    } cache[2];
    for (int i = 0; i < 2; i++)
        if (cache[i].w && strcmp(cache[i].rel, rel_dir) == 0)
            return cache[i].w;
    for (int i = 0; i < 2; i++) {
        if (cache[i].w)
            continue;
        mllm_diags d = {0};
        cache[i].w = mllm_world_load(fuzz_data_path(rel_dir), &d);
        if (!cache[i].w) {
            mllm_diags_print(&d, stderr);
            FUZZ_CHECK(0, "the world in %s does not load (set FIREDRILL_DATA_DIR)", rel_dir);
        }
        snprintf(cache[i].rel, sizeof cache[i].rel, "%s", rel_dir);
        return cache[i].w;
    }
    FUZZ_CHECK(0, "more than two worlds asked for");
}

/* ---- temporary folder --------------------------------------------------------------------- */

static char tmp_dir[512];

static void tmp_remove(void)
{
    DIR *d = opendir(tmp_dir);
    if (!d)
        return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", tmp_dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(tmp_dir);
}

const char *fuzz_tmp_dir(void)
{
    if (tmp_dir[0])
        return tmp_dir;
    const char *base = getenv("FUZZ_TMPDIR");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(tmp_dir, sizeof tmp_dir, "%s/firedrill-fuzz-XXXXXX", base);
    FUZZ_CHECK(mkdtemp(tmp_dir) != NULL, "mkdtemp %s: %s", tmp_dir, strerror(errno));
    atexit(tmp_remove);
    return tmp_dir;
}

void fuzz_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL, "cannot write %s: %s", path, strerror(errno));
    FUZZ_CHECK(len == 0 || fwrite(data, 1, len, f) == len, "short write to %s", path);
    FUZZ_CHECK(fclose(f) == 0, "close %s: %s", path, strerror(errno));
}

char *fuzz_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    FUZZ_CHECK(f != NULL, "cannot read %s: %s", path, strerror(errno));
    FUZZ_CHECK(fseek(f, 0, SEEK_END) == 0, "seek %s", path);
    long n = ftell(f);
    FUZZ_CHECK(n >= 0, "ftell %s", path);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    FUZZ_CHECK(buf != NULL, "out of memory reading %s", path);
    FUZZ_CHECK(fread(buf, 1, (size_t)n, f) == (size_t)n, "short read of %s", path);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = (size_t)n;
    return buf;
}

/* ---- the diagnostics oracle ------------------------------------------------------------- */

/* Lines in text[0..len) as mllm_json counts them (it stops at a NUL byte), and
 * the columns of line `want`: characters (UTF-8 lead bytes) plus one. */
static void text_shape(const char *text, size_t len, int want, int *lines, int *cols)
{
    int l = 1, c = 1;
    *cols = 0;
    for (size_t i = 0; i < len && text[i]; i++) {
        if (text[i] == '\n') {
            if (l == want)
                *cols = c;
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    if (l == want)
        *cols = c;
    *lines = l;
}

void fuzz_check_diags(const mllm_diags *d, int n0, int dropped0, bool failed, const char *file,
                      const char *text, size_t len, bool sorted)
{
    int added = d->n - n0 + d->dropped - dropped0;
    FUZZ_CHECK(!failed || added > 0, "the loader failed without a diagnostic");
    if (!failed && added > 0) {
        const mllm_diag *x = &d->d[n0 < d->n ? n0 : 0];
        FUZZ_CHECK(0, "the loader succeeded but reported %d diagnostic(s), first %s:%d:%d: %s: %s",
                   added, x->file, x->line, x->col, x->path, x->msg);
    }
    for (int i = n0; i < d->n; i++) {
        const mllm_diag *x = &d->d[i];
        int lines, cols;
        FUZZ_CHECK(memchr(x->file, '\0', sizeof x->file) && memchr(x->path, '\0', sizeof x->path) &&
                       memchr(x->msg, '\0', sizeof x->msg),
                   "a diagnostic field is not terminated");
        FUZZ_CHECK(strcmp(x->file, file) == 0, "diagnostic names file \"%s\", not \"%s\"", x->file,
                   file);
        FUZZ_CHECK(x->path[0] && x->msg[0], "diagnostic without a path or a message");
        text_shape(text, len, x->line, &lines, &cols);
        FUZZ_CHECK(x->line >= 1 && x->line <= lines && x->col >= 1 && x->col <= cols,
                   "diagnostic at %d:%d outside the text (%d lines, that line %d columns): %s: %s",
                   x->line, x->col, lines, cols - 1, x->path, x->msg);
        if (sorted && i > n0) {
            const mllm_diag *p = &d->d[i - 1];
            FUZZ_CHECK(p->line < x->line || (p->line == x->line && p->col <= x->col),
                       "diagnostics out of file order: %d:%d before %d:%d", p->line, p->col,
                       x->line, x->col);
        }
    }
}
