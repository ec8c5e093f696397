/* fuzz_timeline.c - libFuzzer target: the event-log reader of the
 * post-mortem, sim_pm_timeline_read, and the Markdown written from it.
 *
 * `firedrill postmortem LOG` reads a drill's JSONL event log, a file anyone
 * can hand it, so it gets the hostile-input treatment of the loaders. The
 * input is the log's text, split into lines; inputs of even length are read
 * with the scenario friendly-prompt (which decides containment and fix
 * times), odd ones without a scenario. The oracle: no memory error, leak or
 * undefined behaviour (times are doubles cast to integers); a log that reads
 * names its scenario; the events stay within their cap and their strings
 * terminated; and the Markdown post-mortem renders from whatever was read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sim_postmortem.h"

#define MAX_LINES 4096

static sim_scenario *scenario;
static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const mllm_world *w = fuzz_world("assets");
    if (!scenario) {
        mllm_diags d = {0};
        scenario = sim_scenario_load(fuzz_data_path("scenarios/friendly-prompt.json"), w, &d);
        FUZZ_CHECK(scenario != NULL, "scenarios/friendly-prompt.json does not load");
        devnull = fopen("/dev/null", "w");
        FUZZ_CHECK(devnull != NULL, "cannot open /dev/null");
    }
    /* One NUL-terminated copy of the text, cut into lines in place. */
    char *text = malloc(size + 1);
    char **lines = malloc(sizeof *lines * MAX_LINES);
    FUZZ_CHECK(text && lines, "out of memory");
    memcpy(text, data, size);
    text[size] = '\0';
    long n = 0;
    for (char *p = text; p && *p && n < MAX_LINES;) {
        lines[n++] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    static sim_pm_timeline tl; /* ~90 KiB: not on the stack */
    const sim_scenario *s = size % 2 == 0 ? scenario : NULL;
    int rc = sim_pm_timeline_read(lines, n, s, &tl);
    FUZZ_CHECK(rc == 0 || rc == -EINVAL, "sim_pm_timeline_read returned %d", rc);
    FUZZ_CHECK(rc != 0 || tl.scenario[0], "a log read without a scenario name");
    FUZZ_CHECK(tl.n >= 0 && tl.n <= SIM_PM_MAX_EVENTS, "%d events", tl.n);
    for (int i = 0; i < tl.n; i++)
        FUZZ_CHECK(memchr(tl.ev[i].kind, '\0', sizeof tl.ev[i].kind) &&
                       memchr(tl.ev[i].text, '\0', sizeof tl.ev[i].text),
                   "event %d: a string is not terminated", i);
    if (rc == 0) {
        sim_pm_doc pm;
        memset(&pm, 0, sizeof pm);
        sim_pm_markdown(devnull, s, w, &tl, &pm, NULL, NULL);
    }
    free(lines);
    free(text);
    return 0;
}
