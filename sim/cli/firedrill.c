/* firedrill.c - the single executable: argument dispatch and wiring only.
 * Every subcommand lives in its own cli_*.c file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"run", cli_run, "run a drill headless (fast, or paced with --pace) and score it"},
    {"validate", cli_validate, "check scenario and responder files; --solve also runs them"},
    {"replay", cli_replay, "re-run a drill from its event log and check it reproduces"},
    {"list", cli_list, "list the scenarios"},
    {"new", cli_new, "write a new scenario and its reference responder from templates"},
    {"postmortem", cli_postmortem, "write a drill's post-mortem (Markdown) from its event log"},
    {"debrief", cli_debrief, "draw a drill's debrief plot (PNG) from its event log"},
    {"eval", cli_eval, "run an eval set against the service, healthy or faulty"},
    {"report", cli_report, "leaderboard and response-time distributions over result files"},
    {"serve", cli_serve, "serve the simulated service over HTTP (OpenAI-compatible)"},
    {"gui", cli_gui, "open the SDL2 control panel"},
};

static void usage(FILE *f)
{
    fprintf(f, "firedrill %s - a fire-drill lab for LLM production incidents\n\n"
               "usage: firedrill COMMAND [ARGS...]   (firedrill COMMAND --help for more)\n\n",
            FIREDRILL_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nData (assets/, scenarios/) is read from %s (set FIREDRILL_DATA_DIR to change).\n",
            cli_data_dir());
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("firedrill %s\n", FIREDRILL_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "firedrill: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return 2;
}
