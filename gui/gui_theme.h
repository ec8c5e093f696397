/* gui_theme.h - loading the control panel's colours from assets/theme.json.
 *
 * The file is optional: the built-in palette (Okabe-Ito series on a dark
 * background) is the default, and the file overrides any of its colours by
 * name, e.g. {"colors": {"bg": "#181a1f", "bad": "#d55e00"},
 * "series": ["#56b4e9", "#e69f00"]}. Colours are "#rrggbb" or "#rrggbbaa".
 * Errors are reported as file:line:col: json.path: message. */
#ifndef GUI_THEME_H
#define GUI_THEME_H

#include <stddef.h>

#include "gui_ui.h"
#include "mllm_json.h"

/* Overrides colours of t from the file. Returns 0, or a negative error with
 * diagnostics (t is then unchanged). */
int gui_theme_load(gui_theme *t, const char *path, mllm_diags *diags);
/* Parses "#rrggbb" or "#rrggbbaa". Returns 0 or -1. */
int gui_color_parse(const char *s, gui_color *out);

#endif
