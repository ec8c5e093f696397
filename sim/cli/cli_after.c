/* cli_after.c - after the drill: `firedrill postmortem`, `firedrill eval` and
 * `firedrill report`, and the post-mortem writer `run` shares. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli.h"
#include "sim_log.h"
#include "sim_postmortem.h"

int cli_write_postmortem(const char *log_path, const sim_scenario *s, const mllm_world *w,
                         const sim_pm_doc *pm, const sim_pm_check *checks, const sim_result *r,
                         const char *pm_path, const char *set_path)
{
    if (pm_path && log_path) {
        char **lines;
        bool torn;
        long n = sim_log_read(log_path, &lines, &torn);
        if (n < 0) {
            fprintf(stderr, "firedrill: cannot read %s: %s\n", log_path, strerror((int)-n));
            return -1;
        }
        sim_pm_timeline *tl = malloc(sizeof *tl);
        FILE *f = strcmp(pm_path, "-") == 0 ? stdout : fopen(pm_path, "w");
        if (!tl || !f || sim_pm_timeline_read(lines, n, s, tl) != 0) {
            fprintf(stderr, "firedrill: cannot write the post-mortem %s\n", pm_path);
            if (f && f != stdout)
                fclose(f);
            free(tl);
            sim_log_lines_free(lines, n);
            return -1;
        }
        sim_pm_markdown(f, s, w, tl, pm, checks, r);
        if (f != stdout)
            fclose(f);
        free(tl);
        sim_log_lines_free(lines, n);
    }
    if (set_path && pm->cases.n) {
        sim_eval_set set;
        mllm_diags d;
        mllm_diags_clear(&d);
        if (sim_eval_set_load(set_path, w, true, &set, &d) != 0) {
            mllm_diags_print(&d, stderr);
            return -1;
        }
        int added = 0;
        for (int i = 0; i < pm->cases.n; i++)
            added += sim_eval_set_add(&set, &pm->cases.cases[i]) == 1;
        int rc = sim_eval_set_save(&set, w, set_path);
        fprintf(stderr, "firedrill: eval set %s: %d case%s added, %d already there, %d in all\n",
                set_path, added, added == 1 ? "" : "s", pm->cases.n - added, set.n);
        sim_eval_set_release(&set);
        if (rc != 0) {
            fprintf(stderr, "firedrill: cannot write %s: %s\n", set_path, strerror(-rc));
            return -1;
        }
    }
    return 0;
}

/* Loads the scenario a log names. */
static sim_scenario *scenario_of_log(char **lines, long n, const mllm_world *w)
{
    if (n < 1)
        return NULL;
    cJSON *j = cJSON_Parse(lines[0]);
    const cJSON *f = cJSON_GetObjectItem(j, "scenario_file");
    sim_scenario *s = NULL;
    if (cJSON_IsString(f)) {
        mllm_diags d;
        mllm_diags_clear(&d);
        s = sim_scenario_load(f->valuestring, w, &d);
        if (!s)
            mllm_diags_print(&d, stderr);
    }
    cJSON_Delete(j);
    return s;
}

static const char pm_usage[] =
    "usage: firedrill postmortem LOG [--answers PM.json] [--out PM.md] [--eval-set SET.json]\n"
    "\n"
    "Writes the post-mortem of a drill as Markdown: a draft timeline from its event log\n"
    "(fault onset, first alert, acknowledge, containment, diagnosis, mitigation, resolve,\n"
    "every action), the five questions answered in PM.json (the control panel's form, or\n"
    "written by hand: {\"scenario\", \"answers\": {what_happened, when_started,\n"
    "why_not_caught, hard_to_diagnose, prevention}, \"eval_cases\": [...]}), and each eval\n"
    "case checked: it must fail on the faulty configuration and pass on the healthy one.\n"
    "With --eval-set the cases are appended to that eval set (de-duplicated).\n";

int cli_postmortem(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, pm_usage) == 0)
        return 0;
    const char *logp = NULL, *answers = NULL, *out = "-", *set = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--answers") == 0 && i + 1 < argc)
            answers = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--eval-set") == 0 && i + 1 < argc)
            set = argv[++i];
        else if (argv[i][0] != '-' && !logp)
            logp = argv[i];
        else {
            fprintf(stderr, "firedrill postmortem: unexpected \"%s\" (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (!logp) {
        fputs(pm_usage, stderr);
        return 2;
    }
    int status = 2;
    char **lines = NULL;
    bool torn;
    long n = sim_log_read(logp, &lines, &torn);
    mllm_world *w = NULL;
    sim_scenario *s = NULL;
    sim_pm_doc pm;
    memset(&pm, 0, sizeof pm);
    sim_pm_check checks[64];
    memset(checks, 0, sizeof checks);
    if (n < 0) {
        fprintf(stderr, "firedrill postmortem: cannot read %s: %s\n", logp, strerror((int)-n));
        return 2;
    }
    if (!(w = cli_load_world()) || !(s = scenario_of_log(lines, n, w))) {
        fprintf(stderr, "firedrill postmortem: %s does not name a loadable scenario\n", logp);
        goto out;
    }
    if (answers) {
        mllm_diags d;
        mllm_diags_clear(&d);
        if (sim_pm_doc_load(answers, w, &pm, &d) != 0) {
            mllm_diags_print(&d, stderr);
            goto out;
        }
        if (pm.scenario[0] && strcmp(pm.scenario, s->id) != 0)
            fprintf(stderr, "firedrill postmortem: warning: %s is for scenario %s, the log is %s\n",
                    answers, pm.scenario, s->id);
        /* A case that does not say when its request failed (a hand-written
         * one) is checked 5 minutes into the incident. */
        sim_time dflt = s->nfaults ? s->faults[0].f.start + s->faults[0].f.ramp : 0;
        sim_pm_timeline *tl = malloc(sizeof *tl);
        if (tl && sim_pm_timeline_read(lines, n, s, tl) == 0 && tl->onset != SIM_TIME_NEVER)
            dflt = tl->onset;
        free(tl);
        dflt += SIM_MIN(5);
        for (int i = 0; i < pm.cases.n && i < 64; i++) {
            sim_eval_case *c = &pm.cases.cases[i];
            if (c->at == 0)
                c->at = dflt < s->duration ? dflt : s->duration;
            checks[i].proves = sim_eval_proves(s, w, c->at, c, &checks[i].faulty,
                                               &checks[i].healthy);
        }
    }
    if (cli_write_postmortem(logp, s, w, &pm, answers ? checks : NULL, NULL, out, set) != 0)
        goto out;
    status = 0;
out:
    sim_pm_doc_release(&pm);
    sim_scenario_free(s);
    mllm_world_free(w);
    sim_log_lines_free(lines, n);
    return status;
}

/* ---- eval ----------------------------------------------------------------------------- */

static const char eval_usage[] =
    "usage: firedrill eval SET.json --scenario F [--at T] [--config healthy|faulty|both]\n"
    "\n"
    "Runs every case of an eval set against the simulated service of scenario F at drill\n"
    "time T (default: 5 minutes after its first fault starts): \"faulty\" with the\n"
    "scenario's faults, \"healthy\" without them, \"both\" (default) to see which cases\n"
    "would have caught the incident. Each case runs 20 times; it passes when 85% of the\n"
    "runs meet every assertion.\n"
    "\n"
    "Exit status: 0 when every case passes (healthy/faulty) or catches the incident\n"
    "(both), 1 otherwise, 2 on bad input.\n";

int cli_eval(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, eval_usage) == 0)
        return 0;
    const char *setp = NULL, *scen = NULL, *config = "both";
    sim_time at = SIM_TIME_NEVER;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc)
            scen = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
            uint64_t us;
            if (mllm_duration_parse(argv[++i], &us) != 0) {
                fprintf(stderr, "firedrill eval: --at wants a duration such as 15m, got \"%s\"\n",
                        argv[i]);
                return 2;
            }
            at = us;
        } else if (argv[i][0] != '-' && !setp)
            setp = argv[i];
        else {
            fprintf(stderr, "firedrill eval: unexpected \"%s\" (see --help)\n", argv[i]);
            return 2;
        }
    }
    bool healthy = strcmp(config, "healthy") == 0, faulty = strcmp(config, "faulty") == 0;
    bool both = strcmp(config, "both") == 0;
    if (!setp || !scen || !(healthy || faulty || both)) {
        fputs(eval_usage, stderr);
        return 2;
    }
    int status = 2;
    mllm_world *w = cli_load_world();
    sim_scenario *s = NULL;
    sim_eval_set set;
    memset(&set, 0, sizeof set);
    sim_eval_outcome *of = NULL, *oh = NULL;
    mllm_diags d;
    mllm_diags_clear(&d);
    char path[1100], err[200];
    if (!w)
        goto out;
    cli_scenario_path(scen, path, sizeof path);
    if (!(s = sim_scenario_load(path, w, &d)) || sim_eval_set_load(setp, w, false, &set, &d) != 0) {
        mllm_diags_print(&d, stderr);
        goto out;
    }
    if (at == SIM_TIME_NEVER) {
        at = s->nfaults ? s->faults[0].f.start + s->faults[0].f.ramp + SIM_MIN(5) : 0;
        if (at > s->duration)
            at = s->duration;
    }
    of = calloc((size_t)set.n + 1, sizeof *of);
    oh = calloc((size_t)set.n + 1, sizeof *oh);
    if (!of || !oh)
        goto out;
    if ((faulty || both) && sim_eval_run_config(s, w, true, at, set.cases, set.n, of, err, sizeof err)) {
        fprintf(stderr, "firedrill eval: %s\n", err);
        goto out;
    }
    if ((healthy || both) &&
        sim_eval_run_config(s, w, false, at, set.cases, set.n, oh, err, sizeof err)) {
        fprintf(stderr, "firedrill eval: %s\n", err);
        goto out;
    }
    printf("eval set %s: %d case%s against %s at %llum%02llus (%s)\n\n", setp, set.n,
           set.n == 1 ? "" : "s", s->id, (unsigned long long)(at / 60000000u),
           (unsigned long long)(at / 1000000u % 60), config);
    int good = 0;
    for (int i = 0; i < set.n; i++) {
        const sim_eval_case *c = &set.cases[i];
        printf("%-16s %.60s\n", c->id, c->query);
        if (faulty || both)
            printf("    faulty : %s %2d/%d%s%s\n", of[i].pass ? "PASS" : "FAIL", of[i].passed,
                   of[i].runs, of[i].reason[0] ? "  - " : "", of[i].reason);
        if (healthy || both)
            printf("    healthy: %s %2d/%d%s%s\n", oh[i].pass ? "PASS" : "FAIL", oh[i].passed,
                   oh[i].runs, oh[i].reason[0] ? "  - " : "", oh[i].reason);
        bool ok = both ? (!of[i].pass && oh[i].pass) : faulty ? of[i].pass : oh[i].pass;
        if (both)
            printf("    %s\n", ok ? "catches the incident" : "does NOT catch the incident");
        good += ok;
    }
    printf("\n%d of %d %s\n", good, set.n, both ? "cases catch the incident" : "cases pass");
    status = good == set.n ? 0 : 1;
out:
    free(of);
    free(oh);
    sim_eval_set_release(&set);
    sim_scenario_free(s);
    mllm_world_free(w);
    return status;
}

int cli_final_result(sim_drill *d, const sim_responder *rp, const sim_scenario *sc,
                     const mllm_world *w, sim_result *r, const char *log, const char *pm_path,
                     const char *set_path)
{
    sim_pm_doc pm;
    memset(&pm, 0, sizeof pm);
    sim_pm_check checks[SIM_PM_MAX_CASES];
    memset(checks, 0, sizeof checks);
    int proven = rp && rp->postmortem.present ? sim_pm_from_responder(d, rp, &pm, checks) : -1;
    sim_drill_result(d, r);
    int rc = 0;
    if (proven >= 0) {
        r->eval_cases = pm.cases.n;
        r->eval_proven = proven;
        rc = cli_write_postmortem(log, sc, w, &pm, checks, r, pm_path, set_path);
    }
    sim_pm_doc_release(&pm);
    return rc;
}

int cli_stopped_result(const char *cmd, sim_drill *d, const sim_responder *rp,
                       const sim_scenario *sc, const mllm_world *w, const char *out, bool print)
{
    sim_drill_mark_stopped(d);
    sim_result r;
    if (cli_final_result(d, rp, sc, w, &r, NULL, NULL, NULL) != 0)
        return -1;
    if (print)
        sim_result_print(&r, sc, stderr);
    if (!out)
        return 0;
    int rc = sim_result_write(&r, sc, out);
    if (rc != 0) {
        fprintf(stderr, "firedrill %s: cannot write %s: %s\n", cmd, out, strerror(-rc));
        return 1;
    }
    if (print)
        fprintf(stderr, "firedrill %s: result written to %s\n", cmd, out);
    return 0;
}
