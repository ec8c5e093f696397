/* sim_log.h - the drill's append-only JSONL event log.
 *
 * Every line is one JSON object ending in '\n'. A running SHA-256 of all
 * bytes written gives the log's digest without re-reading it. Lines are
 * buffered; sim_log_flush(l, true) makes them durable (fflush + fsync), which
 * the drill does at every trainee action so that no action is lost in a
 * crash. A log with no file still computes its digest (fast batch runs). */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_sha256.h"

typedef struct sim_log {
    FILE *f;           /* NULL: digest only */
    sim_sha256 sha;
    uint64_t lines, bytes;
    int err;           /* first write error (negative errno), 0 when fine */
} sim_log;

/* Opens `path` for writing, truncating it (NULL: no file). Returns 0 or
 * -errno. */
int sim_log_open(sim_log *l, const char *path);
/* Appends one line (the newline is added). Long lines are allowed. */
void sim_log_line(sim_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim_log_raw(sim_log *l, const char *line, size_t len); /* line without '\n' */
/* Flushes buffered lines; with `durable`, also fsyncs. Returns 0 or -errno. */
int sim_log_flush(sim_log *l, bool durable);
void sim_log_digest(const sim_log *l, char hex[65]);
int sim_log_close(sim_log *l); /* flushes; returns the first error seen */

/* Appends `s` to buf as a JSON string literal (quotes and escapes). */
void sim_json_escape(const char *s, char *buf, size_t n);

/* Reads a log file into lines for resume and replay. A last line without a
 * trailing newline is torn (the writer died mid-line): it is dropped and
 * *torn set. Returns the number of lines, or -errno. `lines` is an array of
 * NUL-terminated strings the caller frees with sim_log_lines_free. */
long sim_log_read(const char *path, char ***lines, bool *torn);
void sim_log_lines_free(char **lines, long n);

#endif
