/* cli_debrief.c - `firedrill debrief`: the debrief plot of a drill as a PNG.
 *
 * Reads the event log, loads the scenario its first line names (titles,
 * alert thresholds, response-time targets), optionally the drill's result
 * (the scored times and the score), and renders the plot offscreen with the
 * GUI's chart code and SDL's software renderer: no display needed. Without
 * the GUI in the build it says so and exits 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "cli.h"
#include "sim_log.h"

/* Declared here as well as in cli.h, so this file builds before and after
 * the command table lists it. */
int cli_debrief(int argc, char **argv);

static const char debrief_usage[] =
    "usage: firedrill debrief LOG --out DEBRIEF.png [--size WxH] [--result R.json]\n"
    "                         [--scenario F]\n"
    "\n"
    "Draws the debrief of a drill from its event log as a PNG, offscreen (no display\n"
    "needed): the key metrics over the drill (the harm the fault caused, judge quality,\n"
    "error shares, latency; traffic and cost when there is room) with the scenario's\n"
    "alert thresholds; every fault start and end, alert and trainee action marked across\n"
    "the charts and labelled above them; the response times (detect, contain, diagnose,\n"
    "mitigate) as bars against the scenario's targets; the timeline.\n"
    "\n"
    "  LOG               the drill's event log (firedrill run --log, firedrill gui --log)\n"
    "  --out F.png       the PNG to write (required)\n"
    "  --size WxH        image size (default 1600x1000; 800x500 .. 8192x8192)\n"
    "  --result R.json   the drill's result (firedrill run --out): the response times as\n"
    "                    scored, and the score; without it the times are estimated from\n"
    "                    the log (actions and minutes) and no score is shown\n"
    "  --scenario F      a scenario file or id, when the file the log names has moved\n"
    "\n"
    "Exit status: 0 when the PNG was written, 2 on bad input (not an event log, no\n"
    "loadable scenario, a result of another drill, a bad size) or when it cannot be\n"
    "written.\n";

#ifndef FIREDRILL_HAVE_GUI
int cli_debrief(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, debrief_usage) == 0)
        return 0;
    fprintf(stderr, "firedrill debrief: this build has no GUI, which draws the debrief "
                    "(configure with -DFIREDRILL_GUI=ON)\n");
    return 2;
}
#else
#include "gui_debrief.h"

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X'))
        return -1;
    const char *b0 = end + 1;
    long b = strtol(b0, &end, 10);
    if (end == b0 || *end || a < GUI_DEBRIEF_MIN_W || b < GUI_DEBRIEF_MIN_H || a > 8192 || b > 8192)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

/* The scenario a log names: --scenario, else its scenario_file, else its id
 * among the scenarios. NULL after printing why. */
static sim_scenario *load_scenario(const char *logp, const char *first_line, const char *over,
                                   const mllm_world *w)
{
    char path[1100] = "";
    cJSON *j = cJSON_Parse(first_line);
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(j, "scenario_file");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "scenario");
    if (over)
        cli_scenario_path(over, path, sizeof path);
    else if (cJSON_IsString(file) && access(file->valuestring, R_OK) == 0)
        snprintf(path, sizeof path, "%s", file->valuestring);
    else if (cJSON_IsString(id) && id->valuestring[0] && !strchr(id->valuestring, '/'))
        cli_scenario_path(id->valuestring, path, sizeof path);
    cJSON_Delete(j);
    if (!path[0]) {
        fprintf(stderr, "firedrill debrief: %s does not name its scenario (use --scenario F)\n",
                logp);
        return NULL;
    }
    mllm_diags d;
    mllm_diags_clear(&d);
    sim_scenario *s = sim_scenario_load(path, w, &d);
    if (!s) {
        mllm_diags_print(&d, stderr);
        fprintf(stderr,
                "firedrill debrief: cannot load the scenario of %s (%s); name it with "
                "--scenario F\n",
                logp, path);
    }
    return s;
}

int cli_debrief(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, debrief_usage) == 0)
        return 0;
    const char *logp = NULL, *out = NULL, *result = NULL, *scen = NULL;
    int w = 1600, h = 1000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool next = i + 1 < argc;
        if (strcmp(a, "--out") == 0 && next)
            out = argv[++i];
        else if (strcmp(a, "--result") == 0 && next)
            result = argv[++i];
        else if (strcmp(a, "--scenario") == 0 && next)
            scen = argv[++i];
        else if (strcmp(a, "--size") == 0 && next) {
            if (parse_size(argv[++i], &w, &h) != 0) {
                fprintf(stderr,
                        "firedrill debrief: --size wants WxH from %dx%d to 8192x8192 "
                        "(e.g. 1600x1000), got \"%s\"\n",
                        GUI_DEBRIEF_MIN_W, GUI_DEBRIEF_MIN_H, argv[i]);
                return 2;
            }
        } else if (a[0] != '-' && !logp)
            logp = a;
        else {
            fprintf(stderr, "firedrill debrief: unexpected \"%s\" (see --help)\n", a);
            return 2;
        }
    }
    if (!logp || !out) {
        fputs(debrief_usage, stderr);
        return 2;
    }
    int status = 2;
    char **lines = NULL;
    bool torn = false;
    mllm_world *world = NULL;
    sim_scenario *s = NULL;
    gui_debrief *db = NULL;
    char err[512];
    long n = sim_log_read(logp, &lines, &torn);
    if (n < 0) {
        fprintf(stderr, "firedrill debrief: cannot read %s: %s\n", logp, strerror((int)-n));
        return 2;
    }
    /* The log's own checks first: a file that is not a log needs no world. */
    db = gui_debrief_from_log(lines, n, NULL, err, sizeof err);
    if (!db) {
        fprintf(stderr, "firedrill debrief: %s: %s\n", logp, err);
        goto out;
    }
    gui_debrief_free(db);
    db = NULL;
    if (!(world = cli_load_world()) || !(s = load_scenario(logp, lines[0], scen, world)))
        goto out;
    if (!(db = gui_debrief_from_log(lines, n, s, err, sizeof err))) {
        fprintf(stderr, "firedrill debrief: %s: %s\n", logp, err);
        goto out;
    }
    if (torn)
        fprintf(stderr,
                "firedrill debrief: %s ends in a torn line (the drill was killed); "
                "drawing what it holds\n",
                logp);
    if (result && gui_debrief_read_result(db, result, err, sizeof err) != 0) {
        fprintf(stderr, "firedrill debrief: %s\n", err);
        goto out;
    }
    char theme[1100];
    snprintf(theme, sizeof theme, "%s/assets/theme.json", cli_data_dir());
    if (gui_debrief_png(db, w, h, access(theme, R_OK) == 0 ? theme : NULL, out, NULL, err,
                        sizeof err) != 0) {
        fprintf(stderr, "firedrill debrief: %s\n", err);
        goto out;
    }
    const gui_debrief_times *tm = gui_debrief_times_of(db);
    const gui_debrief_mark *marks;
    int nm = gui_debrief_marks(db, &marks);
    fprintf(stderr, "firedrill debrief: %s (%dx%d): %s, %d events marked, response times %s\n", out,
            w, h, gui_debrief_scenario(db), nm,
            tm->scored ? "as scored" : "estimated from the log (--result R.json: as scored)");
    status = 0;
out:
    gui_debrief_free(db);
    sim_scenario_free(s);
    mllm_world_free(world);
    sim_log_lines_free(lines, n);
    return status;
}
#endif
