/* fuzz_scenario.c - libFuzzer target: the scenario loader, sim_scenario_parse.
 *
 * The input is a scenario file's text, loaded against the world of assets/.
 * Beyond memory safety the oracle checks the loader's stated contract: NULL
 * exactly when it reports, every diagnostic positioned inside the text and
 * the ones a call adds sorted in file order; and on success what the header
 * promises of a loaded scenario (counts within their caps, shares summing to
 * 1, weights to 100, changes and faults sorted by time, unique ids, expected
 * actions that survive sim_action_format + sim_action_parse). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "sim_scenario.h"

#define NAME "<fuzz scenario>"

static void check_shares(const double *v, int n, const char *what)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        FUZZ_CHECK(isfinite(v[i]) && v[i] >= 0, "%s[%d] = %g", what, i, v[i]);
        sum += v[i];
    }
    FUZZ_CHECK(fabs(sum - 1) < 1e-9, "%s shares sum to %.17g, not 1", what, sum);
}

static void check_action_round_trip(const sim_action_spec *a, const mllm_world *w)
{
    char text[160], err[256];
    sim_action_spec back;
    /* An empty argument on an action that takes one is the "any argument"
     * pattern of expected actions: it has no kind:arg spelling to re-read. */
    if (!a->arg[0] && sim_action_arg_help[a->kind][0])
        return;
    sim_action_format(a, text, sizeof text);
    int rc = sim_action_parse(text, w, &back, err, sizeof err);
    FUZZ_CHECK(rc == 0, "loaded action \"%s\" does not parse back: %s", text, err);
    FUZZ_CHECK(back.kind == a->kind && strcmp(back.arg, a->arg) == 0,
               "action \"%s\" parses back as another", text);
}

static void check_loaded(const sim_scenario *s, const mllm_world *w)
{
    FUZZ_CHECK(s->nchanges >= 0 && s->nchanges <= SIM_MAX_CHANGES, "nchanges %d", s->nchanges);
    FUZZ_CHECK(s->nfaults >= 1 && s->nfaults <= SIM_MAX_SCEN_FAULTS, "nfaults %d", s->nfaults);
    FUZZ_CHECK(s->nalerts >= 0 && s->nalerts <= SIM_MAX_ALERTS, "nalerts %d", s->nalerts);
    FUZZ_CHECK(s->duration > 0, "a loaded scenario lasts 0");
    check_shares(s->traffic.region, MLLM_REGIONS, "region");
    check_shares(s->traffic.plan, MLLM_PLANS, "plan");
    check_shares(s->traffic.client, MLLM_CLIENTS, "client");
    check_shares(s->traffic.qtype, MLLM_QT_COUNT, "query type");
    double wsum = 0;
    for (int k = 0; k < SIM_PART_COUNT; k++)
        wsum += s->scoring.weight[k];
    FUZZ_CHECK(fabs(wsum - 100) < 1e-6, "score weights sum to %.17g, not 100", wsum);
    for (int i = 1; i < s->nchanges; i++)
        FUZZ_CHECK(s->changes[i - 1].at <= s->changes[i].at, "changes not sorted by time");
    for (int i = 1; i < s->nfaults; i++)
        FUZZ_CHECK(s->faults[i - 1].f.start <= s->faults[i].f.start, "faults not sorted by start");
    for (int i = 0; i < s->nfaults; i++) {
        FUZZ_CHECK((unsigned)s->faults[i].f.kind < MLLM_FAULT_COUNT, "fault kind %d",
                   (int)s->faults[i].f.kind);
        FUZZ_CHECK(s->faults[i].f.start < s->duration, "fault %s starts after the end",
                   s->faults[i].id);
        for (int k = 0; k < i; k++)
            FUZZ_CHECK(strcmp(s->faults[i].id, s->faults[k].id) != 0, "duplicate fault id %s",
                       s->faults[i].id);
    }
    for (int i = 0; i < s->nalerts; i++)
        for (int k = 0; k < i; k++)
            FUZZ_CHECK(strcmp(s->alerts[i].id, s->alerts[k].id) != 0, "duplicate alert id %s",
                       s->alerts[i].id);
    const sim_expected *e = &s->expected;
    FUZZ_CHECK(e->ndiag >= 1 && e->ndiag <= SIM_MAX_DIAG, "ndiag %d", e->ndiag);
    FUZZ_CHECK(e->ncontain >= 1 && e->ncontain <= SIM_MAX_ACCEPTED, "ncontain %d", e->ncontain);
    FUZZ_CHECK(e->nfix >= 1 && e->nfix <= SIM_MAX_ACCEPTED, "nfix %d", e->nfix);
    for (int i = 0; i < e->ndiag; i++) {
        bool injected = false;
        for (int k = 0; k < s->nfaults; k++)
            injected |= s->faults[k].f.kind == e->cause[i];
        FUZZ_CHECK(injected, "expected cause %d is not a fault of the scenario", (int)e->cause[i]);
    }
    for (int i = 0; i < e->ncontain; i++)
        check_action_round_trip(&e->contain[i], w);
    for (int i = 0; i < e->nfix; i++)
        check_action_round_trip(&e->fix[i], w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const mllm_world *w = fuzz_world("assets");
    mllm_diags d;
    mllm_diags_clear(&d);
    sim_scenario *s = sim_scenario_parse(NAME, (const char *)data, size, w, &d);
    fuzz_check_diags(&d, 0, 0, s == NULL, NAME, (const char *)data, size, true);
    if (s)
        check_loaded(s, w);
    sim_scenario_free(s);
    return 0;
}
