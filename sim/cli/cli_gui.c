/* cli_gui.c - `firedrill gui`: the SDL2 control panel (issue 4).
 * Until the panel lands it runs the drill headless instead. */
#include <stdio.h>

#include "cli.h"

#ifndef FIREDRILL_HAVE_GUI
int cli_gui(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "firedrill gui: this build has no GUI (configure with -DFIREDRILL_GUI=ON)\n");
    return 2;
}
#else
int cli_gui(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "firedrill gui: the control panel is not built yet (issue 4); "
                    "running headless instead\n");
    return cli_run(argc, argv);
}
#endif
