/* cli_common.c - helpers shared by the subcommands: data folder, world,
 * scenario lookup, wall clock and progress bars. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *cli_data_dir(void)
{
    const char *env = getenv("FIREDRILL_DATA_DIR");
    if (env && *env)
        return env;
    return FIREDRILL_DATA_DIR;
}

mllm_world *cli_load_world(void)
{
    char dir[1024];
    mllm_diags diags;
    mllm_diags_clear(&diags);
    snprintf(dir, sizeof dir, "%s/assets", cli_data_dir());
    mllm_world *w = mllm_world_load(dir, &diags);
    if (!w) {
        fprintf(stderr, "firedrill: cannot load the simulated world from %s:\n", dir);
        mllm_diags_print(&diags, stderr);
    }
    return w;
}

void cli_scenario_path(const char *arg, char *out, size_t n)
{
    if (strchr(arg, '/') || strstr(arg, ".json") || access(arg, F_OK) == 0) {
        snprintf(out, n, "%s", arg);
        return;
    }
    snprintf(out, n, "%s/scenarios/%s.json", cli_data_dir(), arg);
}

bool cli_responder_for(const char *scenario_path, char *out, size_t n)
{
    const char *slash = strrchr(scenario_path, '/');
    const char *base = slash ? slash + 1 : scenario_path;
    int dirlen = slash ? (int)(slash - scenario_path) : 0;
    if (slash)
        snprintf(out, n, "%.*s/responders/%s", dirlen, scenario_path, base);
    else
        snprintf(out, n, "responders/%s", base);
    return access(out, R_OK) == 0;
}

uint64_t cli_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool cli_tty(void)
{
    return isatty(STDERR_FILENO);
}

static bool progress_shown;

void cli_progress(const char *what, double frac, const char *detail)
{
    if (!cli_tty())
        return;
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    int width = 30, fill = (int)(frac * width + 0.5);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r%-12s [%s] %3.0f%%  %s\033[K", what, bar, frac * 100, detail ? detail : "");
    progress_shown = true;
}

void cli_progress_done(void)
{
    if (progress_shown)
        fprintf(stderr, "\r\033[K");
    progress_shown = false;
}

int cli_help_requested(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
    return -1;
}

/* Loads scenario and responder; prints diagnostics. */
int cli_load_inputs(const char *scen_path, const char *resp_path, const mllm_world *w,
                       sim_scenario **sc, sim_responder **rp)
{
    mllm_diags diags;
    mllm_diags_clear(&diags);
    *sc = sim_scenario_load(scen_path, w, &diags);
    if (!*sc) {
        mllm_diags_print(&diags, stderr);
        return -1;
    }
    *rp = NULL;
    if (resp_path && resp_path[0]) {
        mllm_diags_clear(&diags);
        *rp = sim_responder_load(resp_path, w, &diags);
        if (!*rp || sim_responder_check(*rp, *sc, &diags) != 0) {
            mllm_diags_print(&diags, stderr);
            return -1;
        }
    }
    return 0;
}

int cli_out_check(const char *cmd, const char *path, bool *created)
{
    *created = access(path, F_OK) != 0;
    FILE *f = fopen(path, "a");
    if (!f) {
        fprintf(stderr, "firedrill %s: cannot write %s: %s\n", cmd, path, strerror(errno));
        *created = false;
        return -1;
    }
    fclose(f);
    return 0;
}

void cli_out_discard(const char *path, bool created)
{
    if (path && created)
        unlink(path);
}
