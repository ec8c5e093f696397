/* sim_log.c - JSONL writer with a running digest, and a tolerant reader. */
#include "sim_log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sim_log_open(sim_log *l, const char *path)
{
    memset(l, 0, sizeof *l);
    sim_sha256_init(&l->sha);
    if (!path)
        return 0;
    l->f = fopen(path, "wb");
    if (!l->f)
        return -errno;
    return 0;
}

void sim_log_raw(sim_log *l, const char *line, size_t len)
{
    sim_sha256_update(&l->sha, line, len);
    sim_sha256_update(&l->sha, "\n", 1);
    l->lines++;
    l->bytes += len + 1;
    if (l->f && !l->err) {
        if (fwrite(line, 1, len, l->f) != len || fputc('\n', l->f) == EOF)
            l->err = -EIO;
    }
}

void sim_log_line(sim_log *l, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        sim_log_raw(l, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        l->err = -ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sim_log_raw(l, big, (size_t)n);
    free(big);
}

int sim_log_flush(sim_log *l, bool durable)
{
    if (!l->f)
        return 0;
    if (fflush(l->f) != 0 && !l->err)
        l->err = -errno;
    if (durable && fsync(fileno(l->f)) != 0 && !l->err)
        l->err = -errno;
    return l->err;
}

void sim_log_digest(const sim_log *l, char hex[65])
{
    sim_sha256 c = l->sha;
    uint8_t d[32];
    sim_sha256_final(&c, d);
    sim_sha256_hex(d, hex);
}

int sim_log_close(sim_log *l)
{
    if (l->f) {
        sim_log_flush(l, true);
        if (fclose(l->f) != 0 && !l->err)
            l->err = -errno;
        l->f = NULL;
    }
    return l->err;
}

void sim_json_escape(const char *s, char *buf, size_t n)
{
    size_t o = 0;
    if (n < 3) {
        if (n)
            buf[0] = '\0';
        return;
    }
    buf[o++] = '"';
    for (; *s && o + 8 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c == '\n') {
            buf[o++] = '\\';
            buf[o++] = 'n';
        } else if (c < 0x20) {
            o += (size_t)snprintf(buf + o, n - o, "\\u%04x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o++] = '"';
    buf[o] = '\0';
}

void sim_log_lines_free(char **lines, long n)
{
    for (long i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
}

long sim_log_read(const char *path, char ***out, bool *torn)
{
    *out = NULL;
    *torn = false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    char **lines = NULL;
    long n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    long rc = 0;
    while ((len = getline(&line, &lcap, f)) > 0) {
        bool complete = line[len - 1] == '\n';
        if (complete)
            line[--len] = '\0';
        if (!complete) {
            /* A final line without its newline is torn even if it parses:
             * the writer always ends lines, so the crash came mid-write. */
            *torn = true;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nl = realloc(lines, sizeof *nl * (size_t)cap);
            if (!nl) {
                rc = -ENOMEM;
                goto out;
            }
            lines = nl;
        }
        lines[n] = strdup(line);
        if (!lines[n]) {
            rc = -ENOMEM;
            goto out;
        }
        n++;
    }
    if (ferror(f))
        rc = -EIO;
out:
    free(line);
    fclose(f);
    if (rc < 0) {
        sim_log_lines_free(lines, n);
        return rc;
    }
    *out = lines;
    return n;
}
