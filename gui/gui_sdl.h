/* gui_sdl.h - the SDL2 drawing backend of the immediate-mode core.
 *
 * Draws a gui_ctx frame (rects, text, clip, polylines) with an SDL_Renderer
 * (the software renderer in tests, benchmarks and screenshots), measures
 * text for the core, translates SDL events into core input and saves what
 * was drawn as PNG. Text is drawn from a cache of white text textures keyed
 * by (font, bytes), tinted at draw time and evicted least-recently-used, so a
 * steady frame creates no texture. Fonts are DejaVu (Debian's
 * fonts-dejavu-core) from $FIREDRILL_FONT_DIR or the build's font folder. */
#ifndef GUI_SDL_H
#define GUI_SDL_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "gui_ui.h"

#define GUI_SDL_CACHE 2048 /* text textures kept */

typedef struct gui_sdl gui_sdl;

typedef struct gui_sdl_stats {
    int textures; /* cached now */
    long hits, misses, evictions;
} gui_sdl_stats;

/* Loads the fonts at body size `px` for renderer r (borrowed; it must outlive
 * the backend). NULL with a message in err when a font cannot be opened or
 * TTF cannot start. */
gui_sdl *gui_sdl_new(SDL_Renderer *r, int px, char *err, size_t errlen);
void gui_sdl_free(gui_sdl *b); /* NULL is a no-op; frees every cached texture */
/* Reloads the fonts at a new body size (drops the cache). Returns 0 or -1. */
int gui_sdl_set_px(gui_sdl *b, int px);
int gui_sdl_px(const gui_sdl *b);
/* The body size that reads well in a window of w x h pixels. */
int gui_sdl_px_for(int w, int h);
void gui_sdl_font_heights(const gui_sdl *b, int out[GUI_FONT_COUNT]);
/* The core's text measuring function (ud is the gui_sdl). */
int gui_sdl_text_width(void *ud, int font, const char *s, int len);

/* Draws the frame's commands (after clearing to the theme background). The
 * caller presents. */
void gui_sdl_render(gui_sdl *b, const gui_ctx *c);
/* With SDL's software renderer, the surface it draws into (the window's
 * surface or an offscreen one), or NULL. Large opaque fills then go straight
 * into its pixels: SDL's own fill of a sub-rectangle uses non-temporal
 * stores that cost several times a plain loop. Set it before each render
 * (a window's surface changes when it is resized). */
void gui_sdl_set_direct(gui_sdl *b, SDL_Surface *target);
void gui_sdl_stats_get(const gui_sdl *b, gui_sdl_stats *st);

/* Feeds one SDL event to the core. Returns true when it was input (mouse,
 * keyboard, text), which means the frame should be redrawn. */
bool gui_sdl_feed(gui_ctx *c, const SDL_Event *e);

/* Saves what the renderer's target holds as a PNG. Returns 0 or -1 (message
 * from SDL_GetError). */
int gui_sdl_save_png(SDL_Renderer *r, const char *path);

/* A software renderer drawing into a surface: no window or display needed. */
typedef struct gui_sdl_offscreen {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
} gui_sdl_offscreen;
int gui_sdl_offscreen_init(gui_sdl_offscreen *o, int w, int h); /* 0 or -1 */
void gui_sdl_offscreen_release(gui_sdl_offscreen *o);

/* Renders a single drawing callback offscreen at w x h and saves it as PNG
 * (e.g. a chart for a debrief report). draw runs between gui_begin and
 * gui_end over the whole area. Returns 0 or -1. */
int gui_sdl_draw_png(int w, int h, int px, void (*draw)(gui_ctx *c, gui_rect area, void *ud),
                     void *ud, const char *path, char *err, size_t errlen);

#endif
