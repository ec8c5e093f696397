/* fuzz_common.h - what the libFuzzer targets in tests/fuzz share.
 *
 * The world and the scenarios are loaded once per process (from the data
 * folder: $FIREDRILL_DATA_DIR, else the one the build was configured with);
 * loaders that only read files get the input through a private temporary
 * folder that lives as long as the process. The checks here are the oracles:
 * beyond "no crash", every loader must fail exactly when it reports a
 * diagnostic, and each diagnostic must name the file, a 1-based position
 * inside the text, a JSON path and a message. A broken contract aborts, which
 * libFuzzer records as a crash with the input that caused it. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mllm_json.h"
#include "mllm_world.h"

/* Prints "fuzz oracle: ..." and aborts when cond is false. */
#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                                     \
    } while (0)
_Noreturn void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The data folder holding assets/, scenarios/ and tests/data/ (never NULL). */
const char *fuzz_data_dir(void);
/* `rel` under the data folder, in a static buffer overwritten by the next call. */
const char *fuzz_data_path(const char *rel);

/* The world of assets/ ("assets") or the small one of tests/data/world
 * ("tests/data/world"), loaded on first use and kept; aborts when it does not
 * load (the fuzzers test loaders against a known-good world). */
const mllm_world *fuzz_world(const char *rel_dir);

/* The process's private temporary folder (under $FUZZ_TMPDIR, /dev/shm or
 * /tmp), created on first use and removed at exit with what it holds. */
const char *fuzz_tmp_dir(void);
/* Writes data[0..len) to `path` (replacing it); aborts on error. */
void fuzz_write_file(const char *path, const void *data, size_t len);
/* Reads a whole file into a malloc'ed NUL-terminated buffer; aborts on error. */
char *fuzz_read_file(const char *path, size_t *len);

/* The loader contract on a diagnostics list filled from index n0 (and
 * `dropped0` dropped before the call): `failed` exactly when at least one
 * diagnostic was added (or dropped past the cap), and every added one names
 * `file`, a position inside text[0..len) (line 1.. last line, column 1.. one
 * past the line's last character), a path and a message. With `sorted`, the
 * added ones must also be in file order. */
void fuzz_check_diags(const mllm_diags *d, int n0, int dropped0, bool failed, const char *file,
                      const char *text, size_t len, bool sorted);

#endif
