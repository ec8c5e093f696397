/* mllm_json.h - JSON documents with positioned diagnostics.
 *
 * Every file a user writes (scenarios, responder policies, assets, eval sets)
 * is loaded through here so that every error reads
 * `file:line:col: json.path: message`. Parsing is cJSON's (with its nesting
 * limit); positions come from re-walking the text along the JSON path, so the
 * tree stays plain cJSON. Invalid UTF-8 is rejected before parsing. The
 * typed readers check type and range, report into a caller-owned list, and
 * return false on error so a loader can report many errors in one pass. */
#ifndef MLLM_JSON_H
#define MLLM_JSON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#define MLLM_DIAGS_MAX 32

typedef struct mllm_diag {
    char file[256]; /* file name as given, or a label such as "<http body>" */
    int line, col;  /* 1-based; 0 when unknown */
    char path[192]; /* JSON path such as `faults[2].target.fraction`, `$` for the root */
    char msg[256];  /* what is wrong and what was expected */
} mllm_diag;

typedef struct mllm_diags {
    int n;                          /* diagnostics kept (<= MLLM_DIAGS_MAX) */
    int dropped;                    /* diagnostics past the cap, counted only */
    mllm_diag d[MLLM_DIAGS_MAX];
} mllm_diags;

typedef struct mllm_jdoc {
    char name[256]; /* file name or label */
    char *text;     /* the whole text, NUL-terminated; owned */
    size_t len;
    cJSON *root;    /* owned; NULL when the text did not parse */
} mllm_jdoc;

/* Reads and parses `file`. Returns 0, or -ENOENT/-EIO when it cannot be read
 * and -EINVAL when it is not valid UTF-8 JSON; a diagnostic is added either
 * way. The document must be released even on error. */
int mllm_jdoc_load(mllm_jdoc *doc, const char *file, mllm_diags *diags);
/* As mllm_jdoc_load on text in memory (copied); `name` labels diagnostics. */
int mllm_jdoc_parse(mllm_jdoc *doc, const char *name, const char *text, size_t len,
                    mllm_diags *diags);
void mllm_jdoc_release(mllm_jdoc *doc);

/* Adds a diagnostic at the value that `path` names in doc (or the deepest
 * existing ancestor when it does not exist). Always returns false, so that
 * loaders can `return mllm_jdoc_error(...)`. */
bool mllm_jdoc_error(const mllm_jdoc *doc, mllm_diags *diags, const char *path, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

/* Finds the value that `path` names in JSON text. Returns true and sets
 * line/col (1-based) when found; otherwise false with the position of the
 * deepest existing ancestor. */
bool mllm_json_locate(const char *text, size_t len, const char *path, int *line, int *col);

void mllm_diags_clear(mllm_diags *diags);
void mllm_diags_add(mllm_diags *diags, const char *file, int line, int col, const char *path,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Prints each as `file:line:col: path: message` (one per line). */
void mllm_diags_print(const mllm_diags *diags, FILE *f);

/* Parses a duration such as "90s", "10m", "1h", "1h30m", "250ms", "2d", "0s"
 * into microseconds. Returns 0 or -EINVAL (empty, unknown unit, overflow past
 * 365 days). */
int mllm_duration_parse(const char *s, uint64_t *us);
/* Formats microseconds as the shortest such duration ("1h30m", "250ms"). */
void mllm_duration_format(uint64_t us, char *buf, size_t n);

/* Typed readers: `path` is the JSON path of `obj`; `key` the field. When the
 * field is absent and not `required`, *out is left unchanged and true is
 * returned. A wrong type or range adds a diagnostic and returns false. */
typedef struct mllm_jr {
    const mllm_jdoc *doc;
    mllm_diags *diags;
} mllm_jr;

bool mllm_jr_string(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                    bool required, const char **out);
bool mllm_jr_number(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                    bool required, double min, double max, double *out);
bool mllm_jr_int(mllm_jr *r, const cJSON *obj, const char *path, const char *key, bool required,
                 long min, long max, long *out);
bool mllm_jr_bool(mllm_jr *r, const cJSON *obj, const char *path, const char *key, bool required,
                  bool *out);
bool mllm_jr_duration(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                      bool required, uint64_t *us);
/* The field as an array/object (NULL when absent or wrong type; a wrong type
 * or a missing required field adds a diagnostic). */
const cJSON *mllm_jr_array(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                           bool required);
const cJSON *mllm_jr_object(mllm_jr *r, const cJSON *obj, const char *path, const char *key,
                            bool required);
/* Reports every field of `obj` not in the NULL-terminated `allowed` list,
 * suggesting the closest allowed name. Returns false if any. */
bool mllm_jr_known_keys(mllm_jr *r, const cJSON *obj, const char *path,
                        const char *const *allowed);
/* "a string", "a number", ... for messages that say what was found. */
const char *mllm_json_type_name(const cJSON *v);
/* Edit distance (with neighbour swaps) for "did you mean"; 64 when either
 * string is longer than 63 bytes. */
size_t mllm_edit_distance(const char *a, const char *b);
/* Index of `s` in the NULL-terminated `names`, or -1. */
int mllm_name_index(const char *const *names, const char *s);
/* Joins a child path: `base` + ".key" or "[i]" (key NULL), into buf. */
const char *mllm_path(char *buf, size_t n, const char *base, const char *key, int index);

#endif
