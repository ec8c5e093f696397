/* cli.h - the firedrill command line: shared helpers and the subcommands.
 *
 * Each subcommand is `int cli_NAME(int argc, char **argv)` with argv[0] the
 * subcommand name; it returns the process exit status: 0 success, 1 failure
 * (e.g. a drill that did not pass --solve), 2 bad input or usage. */
#ifndef FIREDRILL_CLI_H
#define FIREDRILL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "mllm_world.h"
#include "sim_drill.h"
#include "sim_scenario.h"

#define CLI_DEFAULT_SCENARIO "scenarios/friendly-prompt.json"

/* The folder holding assets/ and scenarios/: $FIREDRILL_DATA_DIR, else the
 * source tree the binary was built from. */
const char *cli_data_dir(void);
/* Loads the world, printing diagnostics on failure. */
mllm_world *cli_load_world(void);
/* Loads a scenario and (when resp_path is non-empty) its responder, checked
 * against it; prints diagnostics. Returns 0 or -1; free both either way. */
int cli_load_inputs(const char *scen_path, const char *resp_path, const mllm_world *w,
                    sim_scenario **sc, sim_responder **rp);
/* Resolves a scenario argument: a path, or an id looked up in scenarios/. */
void cli_scenario_path(const char *arg, char *out, size_t n);
/* The reference responder beside a scenario file (scenarios/responders/ID.json),
 * written to out; false when it does not exist. */
bool cli_responder_for(const char *scenario_path, char *out, size_t n);
/* Monotonic wall clock in ns (faces only: the engine never reads a clock). */
uint64_t cli_wall_ns(void);
/* True when stderr is a terminal (progress bars). */
bool cli_tty(void);
/* Draws or clears a one-line progress bar on stderr. */
void cli_progress(const char *what, double frac, const char *detail);
void cli_progress_done(void);

/* Checks at start that a result file (--out) can be written, creating it
 * when missing (*created says so, for cli_out_discard). 0, or -1 after
 * printing "firedrill CMD: cannot write PATH: ...". */
int cli_out_check(const char *cmd, const char *path, bool *created);
/* Removes a result file that cli_out_check created when the command failed
 * before writing it. */
void cli_out_discard(const char *path, bool created);

/* Prints `usage` and returns 0 when argv holds --help or -h, else -1. */
int cli_help_requested(int argc, char **argv, const char *usage);

/* Writes a post-mortem's Markdown (pm_path, may be NULL) from the drill's own
 * log (log_path), and appends its eval cases to the eval set (set_path, may be NULL).
 * Returns 0, or -1 after printing an error. */
struct sim_pm_doc;
struct sim_pm_check;
int cli_write_postmortem(const char *log_path, const sim_scenario *s, const mllm_world *w,
                         const struct sim_pm_doc *pm, const struct sim_pm_check *checks,
                         const sim_result *r, const char *pm_path, const char *set_path);

/* The drill's result, with the post-mortem its responder scripts (if any)
 * credited first and written (pm_path, set_path: may be NULL), so that run,
 * replay, serve and gui agree. Returns 0, or -1 after printing an error. */
int cli_final_result(sim_drill *d, const sim_responder *rp, const sim_scenario *sc,
                     const mllm_world *w, sim_result *r, const char *log, const char *pm_path,
                     const char *set_path);

/* A live drill (serve, gui) stopped by its operator: logs the stop (a replay
 * stops at the same point), flushes the log, computes the result as
 * cli_final_result does, prints it to stderr when `print`, and writes it to
 * `out` when not NULL. Returns 0, 1 when `out` cannot be written, or -1
 * after printing an error. */
int cli_stopped_result(const char *cmd, sim_drill *d, const sim_responder *rp,
                       const sim_scenario *sc, const mllm_world *w, const char *out, bool print);

int cli_run(int argc, char **argv);
int cli_new(int argc, char **argv);
int cli_postmortem(int argc, char **argv);
int cli_debrief(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_replay(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_gui(int argc, char **argv);

#endif
