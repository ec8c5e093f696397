/* cli_serve.c - `firedrill serve`: the simulated service over HTTP (issue 5).
 * Until the server lands it says so plainly. */
#include <stdio.h>

#include "cli.h"

int cli_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "firedrill serve: the HTTP server is not built yet (issue 5)\n");
    return 2;
}

