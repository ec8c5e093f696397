/* fuzz_responder.c - libFuzzer target: the responder-policy loader,
 * sim_responder_parse, and sim_responder_check behind it.
 *
 * The input is a responder file's text, loaded against the world of assets/.
 * The oracle: NULL exactly when it reports, diagnostics positioned inside the
 * text and sorted; on success every step's action survives
 * sim_action_format + sim_action_parse, the post-mortem assertions re-parse,
 * and checking the policy against the scenarios of scenarios/ (loaded once)
 * fails exactly when it reports. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sim_eval.h"
#include "sim_scenario.h"

#define NAME          "<fuzz responder>"
#define MAX_SCENARIOS 64

static sim_scenario *scenarios[MAX_SCENARIOS];
static int nscenarios;

static void load_scenarios(const mllm_world *w)
{
    char dir[1024], file[1400];
    snprintf(dir, sizeof dir, "%s", fuzz_data_path("scenarios"));
    DIR *d = opendir(dir);
    FUZZ_CHECK(d != NULL, "cannot list %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && nscenarios < MAX_SCENARIOS) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        mllm_diags diags = {0};
        sim_scenario *s = sim_scenario_load(file, w, &diags);
        if (!s)
            mllm_diags_print(&diags, stderr);
        FUZZ_CHECK(s != NULL, "scenario %s does not load", file);
        scenarios[nscenarios++] = s;
    }
    closedir(d);
    FUZZ_CHECK(nscenarios > 0, "no scenarios in %s", dir);
}

static void check_loaded(const sim_responder *r, const mllm_world *w)
{
    char text[160], err[256];
    FUZZ_CHECK(r->nsteps >= 1 && r->nsteps <= SIM_MAX_STEPS, "nsteps %d", r->nsteps);
    for (int i = 0; i < r->nsteps; i++) {
        const sim_action_spec *a = &r->steps[i].action;
        sim_action_spec back;
        sim_action_format(a, text, sizeof text);
        FUZZ_CHECK(sim_action_parse(text, w, &back, err, sizeof err) == 0,
                   "step %d: loaded action \"%s\" does not parse back: %s", i, text, err);
        FUZZ_CHECK(back.kind == a->kind && strcmp(back.arg, a->arg) == 0,
                   "step %d: action \"%s\" parses back as another", i, text);
    }
    const sim_responder_pm *pm = &r->postmortem;
    FUZZ_CHECK(pm->ncases >= 0 && pm->ncases <= SIM_PM_MAX_CASES, "ncases %d", pm->ncases);
    for (int i = 0; i < pm->ncases; i++)
        for (int k = 0; k < pm->cases[i].nassert; k++) {
            sim_assertion a;
            FUZZ_CHECK(sim_assertion_parse(pm->cases[i].assertion[k], w, &a, err, sizeof err) == 0,
                       "post-mortem assertion \"%s\" does not parse back: %s",
                       pm->cases[i].assertion[k], err);
        }
    /* The scenario it names, else the first: a mismatch must be reported too. */
    const sim_scenario *s = scenarios[0];
    for (int i = 0; i < nscenarios; i++)
        if (strcmp(scenarios[i]->id, r->scenario) == 0)
            s = scenarios[i];
    mllm_diags d;
    mllm_diags_clear(&d);
    int rc = sim_responder_check(r, s, &d);
    FUZZ_CHECK((rc != 0) == (d.n + d.dropped > 0),
               "sim_responder_check returned %d with %d diagnostics", rc, d.n + d.dropped);
    for (int i = 0; i < d.n; i++)
        FUZZ_CHECK(strcmp(d.d[i].file, NAME) == 0 && d.d[i].path[0] && d.d[i].msg[0],
                   "responder check diagnostic without file, path or message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const mllm_world *w = fuzz_world("assets");
    if (!nscenarios)
        load_scenarios(w);
    mllm_diags d;
    mllm_diags_clear(&d);
    sim_responder *r = sim_responder_parse(NAME, (const char *)data, size, w, &d);
    fuzz_check_diags(&d, 0, 0, r == NULL, NAME, (const char *)data, size, true);
    if (r)
        check_loaded(r, w);
    sim_responder_free(r);
    return 0;
}
