/* cli_validate.c - `firedrill validate` and `firedrill list`.
 *
 * validate checks scenario and responder files (schema rules and semantics)
 * and, with --solve, runs each scenario twice headless: untreated, its fault
 * must reach users; with its reference responder, the incident must be
 * contained. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli.h"

static const char validate_usage[] =
    "usage: firedrill validate [--solve] [--responder] FILE...\n"
    "\n"
    "Checks scenario files (and responder policies: files under a responders/ folder,\n"
    "or any file with --responder). Errors print as file:line:col: json.path: message.\n"
    "\n"
    "  --solve       also run each scenario twice headless: with no responder the\n"
    "                symptom must appear; with its reference responder\n"
    "                (scenarios/responders/ID.json) it must be contained\n"
    "  --responder   treat every FILE as a responder policy\n"
    "\n"
    "Exit status: 0 all valid (and solved), 1 a --solve check failed, 2 any invalid file.\n";

static bool is_responder_path(const char *p)
{
    return strstr(p, "/responders/") != NULL || strncmp(p, "responders/", 11) == 0;
}

typedef struct solve_out {
    bool ok;
    sim_result r;
} solve_out;

static int solve_once(const sim_scenario *sc, const mllm_world *w, const sim_responder *rp,
                      sim_result *r)
{
    char err[256];
    sim_drill_opts o = {.responder = rp};
    sim_drill *d = sim_drill_new(sc, w, &o, err, sizeof err);
    if (!d) {
        fprintf(stderr, "  cannot run: %s\n", err);
        return -1;
    }
    sim_drill_run(d, NULL, NULL);
    sim_drill_result(d, r);
    sim_drill_free(d);
    return 0;
}

static int solve(const char *path, sim_scenario *sc, const mllm_world *w)
{
    char rpath[1100];
    sim_result r0, r1;
    if (solve_once(sc, w, NULL, &r0) != 0)
        return 1;
    bool appeared = r0.symptom_appeared;
    printf("  untreated: %s (onset %s, %llu bad responses, harm %.1f)\n",
           appeared ? "symptom appears" : "NO SYMPTOM",
           appeared ? "seen" : "never", (unsigned long long)r0.bad_responses, r0.fault_harm);
    if (!cli_responder_for(path, rpath, sizeof rpath)) {
        printf("  responder: MISSING (%s)\n", rpath);
        return 1;
    }
    mllm_diags diags;
    mllm_diags_clear(&diags);
    sim_responder *rp = sim_responder_load(rpath, w, &diags);
    if (!rp || sim_responder_check(rp, sc, &diags) != 0) {
        mllm_diags_print(&diags, stderr);
        sim_responder_free(rp);
        return 2;
    }
    int rc = solve_once(sc, w, rp, &r1);
    sim_responder_free(rp);
    if (rc != 0)
        return 1;
    printf("  responder: %s (contain %s, mitigate %s, score %.1f, harm %.1f vs %.1f untreated)\n",
           r1.contained ? "contained" : "NOT CONTAINED",
           r1.score.contain_s >= 0 ? "reached" : "never",
           r1.score.mitigate_s >= 0 ? "reached" : "never", r1.score.total, r1.fault_harm,
           r0.fault_harm);
    return appeared && r1.contained ? 0 : 1;
}

int cli_validate(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, validate_usage) == 0)
        return 0;
    bool do_solve = false, force_resp = false;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--solve") == 0)
            do_solve = true;
        else if (strcmp(argv[i], "--responder") == 0)
            force_resp = true;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "firedrill validate: unknown option \"%s\" (see --help)\n", argv[i]);
            return 2;
        } else
            nfiles++;
    }
    if (!nfiles) {
        fputs(validate_usage, stderr);
        return 2;
    }
    mllm_world *w = cli_load_world();
    if (!w)
        return 2;
    int worst = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        const char *path = argv[i];
        mllm_diags diags;
        mllm_diags_clear(&diags);
        if (force_resp || is_responder_path(path)) {
            sim_responder *rp = sim_responder_load(path, w, &diags);
            if (!rp) {
                mllm_diags_print(&diags, stdout);
                worst = 2;
                continue;
            }
            printf("%s: ok (responder for %s, %d steps)\n", path, rp->scenario, rp->nsteps);
            sim_responder_free(rp);
            continue;
        }
        sim_scenario *sc = sim_scenario_load(path, w, &diags);
        if (!sc) {
            mllm_diags_print(&diags, stdout);
            worst = 2;
            continue;
        }
        printf("%s: ok (%s, %d fault%s, %llu min)\n", path, sc->id, sc->nfaults,
               sc->nfaults == 1 ? "" : "s", (unsigned long long)(sc->duration / 60000000u));
        if (do_solve) {
            int rc = solve(path, sc, w);
            if (rc > worst)
                worst = rc;
        }
        sim_scenario_free(sc);
    }
    mllm_world_free(w);
    return worst;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_list(int argc, char **argv)
{
    static const char usage[] = "usage: firedrill list\n\nLists the scenarios in scenarios/.\n";
    if (cli_help_requested(argc, argv, usage) == 0)
        return 0;
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/scenarios", cli_data_dir());
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "firedrill list: cannot open %s\n", dir);
        return 2;
    }
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) && n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(dp);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    mllm_world *w = cli_load_world();
    if (!w)
        return 2;
    for (int i = 0; i < n; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        mllm_diags diags;
        mllm_diags_clear(&diags);
        sim_scenario *sc = sim_scenario_load(path, w, &diags);
        if (sc)
            printf("  %-28s %-7s %3llum  %s\n", sc->id, sc->difficulty,
                   (unsigned long long)(sc->duration / 60000000u), sc->title);
        else
            printf("  %-28s (invalid: run firedrill validate %s)\n", names[i], path);
        sim_scenario_free(sc);
        free(names[i]);
    }
    mllm_world_free(w);
    return 0;
}
