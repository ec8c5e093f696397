/* fuzz_fault.c - libFuzzer target: sim_fault_from_json, the fault a trainer
 * injects into a running drill (the body of POST /admin/faults).
 *
 * The input is the fault object's text, read against the world of assets/
 * for a drill of two hours. The oracle: an error exactly when it reports,
 * diagnostics positioned inside the text; on success a known fault kind, an
 * id, a start within the year the format allows (a live start counts from
 * now, so the drill's length does not bound it) and an end after the start. */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "sim_scenario.h"

#define NAME     "<fuzz fault>"
#define DURATION (2 * 3600 * (sim_time)1000000)
#define YEAR     (365 * 86400 * (sim_time)1000000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const mllm_world *w = fuzz_world("assets");
    mllm_diags d;
    sim_scen_fault f;
    mllm_diags_clear(&d);
    memset(&f, 0, sizeof f);
    int rc = sim_fault_from_json(NAME, (const char *)data, size, w, DURATION, &f, &d);
    fuzz_check_diags(&d, 0, 0, rc != 0, NAME, (const char *)data, size, false);
    if (rc == 0) {
        FUZZ_CHECK((unsigned)f.f.kind < MLLM_FAULT_COUNT, "fault kind %d", (int)f.f.kind);
        FUZZ_CHECK(f.id[0] && memchr(f.id, '\0', sizeof f.id), "fault without an id");
        FUZZ_CHECK(f.f.start <= YEAR, "fault starts at %llu us, past a year",
                   (unsigned long long)f.f.start);
        FUZZ_CHECK(f.f.end > f.f.start, "fault ends at %llu us, not after its start %llu us",
                   (unsigned long long)f.f.end, (unsigned long long)f.f.start);
    }
    return 0;
}
