/* gui_sdl.c - SDL_Renderer + SDL_ttf backend: commands, text cache, events, PNG.
 *
 * Text width for ASCII comes from a per-font advance table (kerning is off so
 * that the sum of advances is what SDL_ttf draws); other text asks SDL_ttf.
 * The text cache is a chained hash table over a fixed entry array with an LRU
 * list; an entry holds one white texture that is tinted with the colour mod
 * of each draw. A miss renders and uploads one texture; the frame otherwise
 * costs nothing but copies. */
#include "gui_sdl.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FIREDRILL_FONT_DIR
#define FIREDRILL_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

_Static_assert(sizeof(gui_point) == sizeof(SDL_FPoint) &&
                   offsetof(gui_point, y) == offsetof(SDL_FPoint, y),
               "gui_point is drawn as SDL_FPoint");

#define NBUCKETS 4096
#define MAX_TEXT 1024 /* bytes of one text command that are drawn */

typedef struct entry {
    uint64_t hash;
    int len;
    int font;
    SDL_Texture *tex;
    int w, h;
    int prev, next; /* LRU list, -1 ends */
    int chain;      /* next entry in the bucket, -1 ends */
    bool used;
} entry;

struct gui_sdl {
    SDL_Renderer *r;
    int px;
    TTF_Font *font[GUI_FONT_COUNT];
    int height[GUI_FONT_COUNT];
    int adv[GUI_FONT_COUNT][128];
    entry e[GUI_SDL_CACHE];
    int bucket[NBUCKETS];
    int head, tail; /* most and least recently used */
    int nfree;
    int freelist[GUI_SDL_CACHE];
    gui_sdl_stats st;
    bool ttf_owned;
    SDL_Surface *direct; /* the software renderer's target, or NULL */
};

static const char *const font_files[GUI_FONT_COUNT] = {
    "DejaVuSans.ttf",     "DejaVuSans.ttf",      "DejaVuSans-Bold.ttf",
    "DejaVuSansMono.ttf", "DejaVuSans-Bold.ttf",
};

static int font_size(int font, int px)
{
    switch (font) {
    case GUI_FONT_SMALL:
        return px - 2;
    case GUI_FONT_MONO:
        return px - 1;
    case GUI_FONT_TITLE:
        return px + 3;
    default:
        return px;
    }
}

/* ---- cache -------------------------------------------------------------------------------- */

static uint64_t hash_text(int font, const char *s, int len)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)font;
    for (int i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ ((uint64_t)len << 48);
}

static void cache_reset(gui_sdl *b)
{
    for (int i = 0; i < GUI_SDL_CACHE; i++) {
        if (b->e[i].tex)
            SDL_DestroyTexture(b->e[i].tex);
        memset(&b->e[i], 0, sizeof b->e[i]);
        b->freelist[i] = GUI_SDL_CACHE - 1 - i;
    }
    for (int i = 0; i < NBUCKETS; i++)
        b->bucket[i] = -1;
    b->nfree = GUI_SDL_CACHE;
    b->head = b->tail = -1;
    b->st.textures = 0;
}

static void lru_unlink(gui_sdl *b, int i)
{
    entry *e = &b->e[i];
    if (e->prev >= 0)
        b->e[e->prev].next = e->next;
    else
        b->head = e->next;
    if (e->next >= 0)
        b->e[e->next].prev = e->prev;
    else
        b->tail = e->prev;
    e->prev = e->next = -1;
}

static void lru_front(gui_sdl *b, int i)
{
    entry *e = &b->e[i];
    e->prev = -1;
    e->next = b->head;
    if (b->head >= 0)
        b->e[b->head].prev = i;
    b->head = i;
    if (b->tail < 0)
        b->tail = i;
}

static void evict(gui_sdl *b)
{
    int i = b->tail;
    if (i < 0)
        return;
    entry *e = &b->e[i];
    lru_unlink(b, i);
    int *pp = &b->bucket[e->hash % NBUCKETS];
    while (*pp >= 0 && *pp != i)
        pp = &b->e[*pp].chain;
    if (*pp == i)
        *pp = e->chain;
    if (e->tex)
        SDL_DestroyTexture(e->tex);
    memset(e, 0, sizeof *e);
    b->freelist[b->nfree++] = i;
    b->st.evictions++;
    b->st.textures--;
}

static entry *lookup(gui_sdl *b, int font, const char *s, int len)
{
    uint64_t h = hash_text(font, s, len);
    for (int i = b->bucket[h % NBUCKETS]; i >= 0; i = b->e[i].chain) {
        entry *e = &b->e[i];
        if (e->hash == h && e->len == len && e->font == font) {
            if (b->head != i) {
                lru_unlink(b, i);
                lru_front(b, i);
            }
            b->st.hits++;
            return e;
        }
    }
    b->st.misses++;
    char buf[MAX_TEXT + 1];
    int n = len < MAX_TEXT ? len : MAX_TEXT;
    memcpy(buf, s, (size_t)n);
    buf[n] = '\0';
    SDL_Surface *surf = TTF_RenderUTF8_Blended(b->font[font], buf, (SDL_Color){255, 255, 255, 255});
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(b->r, surf);
    int w = surf->w, hh = surf->h;
    SDL_FreeSurface(surf);
    if (!tex)
        return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    if (b->nfree == 0)
        evict(b);
    int i = b->freelist[--b->nfree];
    entry *e = &b->e[i];
    *e = (entry){h, len, font, tex, w, hh, -1, -1, b->bucket[h % NBUCKETS], true};
    b->bucket[h % NBUCKETS] = i;
    lru_front(b, i);
    b->st.textures++;
    return e;
}

/* ---- fonts -------------------------------------------------------------------------------- */

static void close_fonts(gui_sdl *b)
{
    for (int f = 0; f < GUI_FONT_COUNT; f++) {
        if (b->font[f])
            TTF_CloseFont(b->font[f]);
        b->font[f] = NULL;
    }
}

static int open_fonts(gui_sdl *b, int px, char *err, size_t errlen)
{
    const char *env = getenv("FIREDRILL_FONT_DIR");
    const char *dirs[] = {env && *env ? env : NULL, FIREDRILL_FONT_DIR,
                          "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF",
                          "/usr/share/fonts/dejavu"};
    for (int f = 0; f < GUI_FONT_COUNT; f++) {
        for (size_t k = 0; k < sizeof dirs / sizeof dirs[0] && !b->font[f]; k++) {
            if (!dirs[k])
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dirs[k], font_files[f]);
            b->font[f] = TTF_OpenFont(path, font_size(f, px));
        }
        if (!b->font[f]) {
            if (err)
                snprintf(err, errlen,
                         "cannot open the font %s in %s (install fonts-dejavu-core or set "
                         "FIREDRILL_FONT_DIR)",
                         font_files[f], FIREDRILL_FONT_DIR);
            close_fonts(b);
            return -1;
        }
        TTF_SetFontKerning(b->font[f], 0);
        TTF_SetFontHinting(b->font[f], TTF_HINTING_NORMAL);
        b->height[f] = TTF_FontHeight(b->font[f]);
        for (int ch = 0; ch < 128; ch++) {
            int adv = 0;
            if (ch >= 32 && TTF_GlyphMetrics(b->font[f], (Uint16)ch, NULL, NULL, NULL, NULL, &adv))
                adv = 0;
            b->adv[f][ch] = adv;
        }
    }
    b->px = px;
    return 0;
}

gui_sdl *gui_sdl_new(SDL_Renderer *r, int px, char *err, size_t errlen)
{
    gui_sdl *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->r = r;
    if (!TTF_WasInit()) {
        if (TTF_Init() != 0) {
            snprintf(err, errlen, "TTF_Init: %s", TTF_GetError());
            free(b);
            return NULL;
        }
        b->ttf_owned = true;
    }
    cache_reset(b);
    if (open_fonts(b, px, err, errlen) != 0) {
        gui_sdl_free(b);
        return NULL;
    }
    return b;
}

void gui_sdl_free(gui_sdl *b)
{
    if (!b)
        return;
    cache_reset(b);
    close_fonts(b);
    if (b->ttf_owned)
        TTF_Quit();
    free(b);
}

int gui_sdl_set_px(gui_sdl *b, int px)
{
    if (px == b->px)
        return 0;
    int old = b->px;
    cache_reset(b);
    close_fonts(b);
    if (open_fonts(b, px, NULL, 0) != 0) {
        open_fonts(b, old, NULL, 0);
        return -1;
    }
    return 0;
}

int gui_sdl_px(const gui_sdl *b)
{
    return b->px;
}

int gui_sdl_px_for(int w, int h)
{
    (void)w;
    if (h < 860)
        return 13;
    if (h < 1000)
        return 14;
    return 15;
}

void gui_sdl_font_heights(const gui_sdl *b, int out[GUI_FONT_COUNT])
{
    memcpy(out, b->height, sizeof b->height);
}

int gui_sdl_text_width(void *ud, int font, const char *s, int len)
{
    gui_sdl *b = ud;
    int w = 0;
    for (int i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 128) {
            char buf[MAX_TEXT + 1];
            int n = len < MAX_TEXT ? len : MAX_TEXT;
            memcpy(buf, s, (size_t)n);
            buf[n] = '\0';
            int tw = 0;
            if (TTF_SizeUTF8(b->font[font], buf, &tw, NULL) != 0)
                return w;
            return tw;
        }
        w += b->adv[font][ch];
    }
    return w;
}

void gui_sdl_stats_get(const gui_sdl *b, gui_sdl_stats *st)
{
    *st = b->st;
}

/* ---- drawing ------------------------------------------------------------------------------ */

void gui_sdl_set_direct(gui_sdl *b, SDL_Surface *target)
{
    b->direct = target && target->format->BytesPerPixel == 4 ? target : NULL;
}

/* An opaque fill straight into the target's pixels, inside the clip. */
static void direct_fill(gui_sdl *b, gui_rect r, gui_rect clip, bool clipped, gui_color col)
{
    SDL_Surface *s = b->direct;
    int x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
    if (clipped) {
        x0 = x0 > clip.x ? x0 : clip.x;
        y0 = y0 > clip.y ? y0 : clip.y;
        x1 = x1 < clip.x + clip.w ? x1 : clip.x + clip.w;
        y1 = y1 < clip.y + clip.h ? y1 : clip.y + clip.h;
    }
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > s->w ? s->w : x1;
    y1 = y1 > s->h ? s->h : y1;
    if (x0 >= x1 || y0 >= y1)
        return;
    Uint32 px = SDL_MapRGB(s->format, col.r, col.g, col.b);
    if (SDL_MUSTLOCK(s) && SDL_LockSurface(s) != 0)
        return;
    for (int y = y0; y < y1; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = x0; x < x1; x++)
            row[x] = px;
    }
    if (SDL_MUSTLOCK(s))
        SDL_UnlockSurface(s);
}

void gui_sdl_render(gui_sdl *b, const gui_ctx *c)
{
    SDL_Renderer *r = b->r;
    const gui_theme *t = gui_theme_of(c);
    SDL_RenderSetClipRect(r, NULL);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, t->bg.r, t->bg.g, t->bg.b, 255);
    SDL_RenderClear(r);
    int it = 0;
    const gui_cmd *k;
    bool blend = false, clipped = false;
    gui_rect clip = {0, 0, 0, 0};
    while (gui_cmd_next(c, &it, &k)) {
        switch (k->type) {
        case GUI_CMD_RECT: {
            if (b->direct && k->color.a == 255 && k->rect.w * k->rect.h >= 4096) {
                SDL_RenderFlush(r); /* what SDL queued goes first */
                direct_fill(b, k->rect, clip, clipped, k->color);
                break;
            }
            bool want = k->color.a != 255;
            if (want != blend) {
                SDL_SetRenderDrawBlendMode(r, want ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
                blend = want;
            }
            SDL_SetRenderDrawColor(r, k->color.r, k->color.g, k->color.b, k->color.a);
            SDL_Rect rr = {k->rect.x, k->rect.y, k->rect.w, k->rect.h};
            SDL_RenderFillRect(r, &rr);
            break;
        }
        case GUI_CMD_TEXT: {
            entry *e = lookup(b, k->font, k->text, k->len);
            if (!e)
                break;
            SDL_SetTextureColorMod(e->tex, k->color.r, k->color.g, k->color.b);
            SDL_SetTextureAlphaMod(e->tex, k->color.a);
            SDL_Rect dst = {k->rect.x, k->rect.y, e->w, e->h};
            SDL_RenderCopy(r, e->tex, NULL, &dst);
            break;
        }
        case GUI_CMD_CLIP:
            clipped = k->rect.w >= 0;
            clip = k->rect;
            if (k->rect.w < 0) {
                SDL_RenderSetClipRect(r, NULL);
            } else {
                SDL_Rect cr = {k->rect.x, k->rect.y, k->rect.w, k->rect.h};
                if (cr.w == 0 || cr.h == 0)
                    cr = (SDL_Rect){-10, -10, 1, 1}; /* nothing visible */
                SDL_RenderSetClipRect(r, &cr);
            }
            break;
        case GUI_CMD_LINES: {
            bool want = k->color.a != 255;
            if (want != blend) {
                SDL_SetRenderDrawBlendMode(r, want ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
                blend = want;
            }
            SDL_SetRenderDrawColor(r, k->color.r, k->color.g, k->color.b, k->color.a);
            SDL_RenderDrawLinesF(r, (const SDL_FPoint *)k->pts, k->len);
            break;
        }
        case GUI_CMD_POINTS: {
            bool want = k->color.a != 255;
            if (want != blend) {
                SDL_SetRenderDrawBlendMode(r, want ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
                blend = want;
            }
            SDL_SetRenderDrawColor(r, k->color.r, k->color.g, k->color.b, k->color.a);
            SDL_RenderDrawPointsF(r, (const SDL_FPoint *)k->pts, k->len);
            break;
        }
        default:
            break;
        }
    }
    SDL_RenderSetClipRect(r, NULL);
}

/* ---- events ------------------------------------------------------------------------------- */

static int map_key(SDL_Keycode k)
{
    switch (k) {
    case SDLK_BACKSPACE:
        return GUI_KEY_BACKSPACE;
    case SDLK_DELETE:
        return GUI_KEY_DELETE;
    case SDLK_LEFT:
        return GUI_KEY_LEFT;
    case SDLK_RIGHT:
        return GUI_KEY_RIGHT;
    case SDLK_UP:
        return GUI_KEY_UP;
    case SDLK_DOWN:
        return GUI_KEY_DOWN;
    case SDLK_HOME:
        return GUI_KEY_HOME;
    case SDLK_END:
        return GUI_KEY_END;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        return GUI_KEY_ENTER;
    case SDLK_ESCAPE:
        return GUI_KEY_ESCAPE;
    case SDLK_TAB:
        return GUI_KEY_TAB;
    case SDLK_PAGEUP:
        return GUI_KEY_PAGEUP;
    case SDLK_PAGEDOWN:
        return GUI_KEY_PAGEDOWN;
    default:
        return 0;
    }
}

static int map_button(Uint8 b)
{
    return b == SDL_BUTTON_LEFT ? GUI_MOUSE_LEFT : b == SDL_BUTTON_RIGHT ? GUI_MOUSE_RIGHT : 0;
}

bool gui_sdl_feed(gui_ctx *c, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_MOUSEMOTION:
        gui_input_mousemove(c, e->motion.x, e->motion.y);
        return true;
    case SDL_MOUSEBUTTONDOWN:
        gui_input_mousedown(c, e->button.x, e->button.y, map_button(e->button.button));
        return true;
    case SDL_MOUSEBUTTONUP:
        gui_input_mouseup(c, e->button.x, e->button.y, map_button(e->button.button));
        return true;
    case SDL_MOUSEWHEEL:
        gui_input_scroll(c, e->wheel.y);
        return true;
    case SDL_TEXTINPUT:
        gui_input_text(c, e->text.text);
        return true;
    case SDL_KEYDOWN: {
        int mods = ((e->key.keysym.mod & KMOD_SHIFT) ? GUI_MOD_SHIFT : 0) |
                   ((e->key.keysym.mod & KMOD_CTRL) ? GUI_MOD_CTRL : 0);
        int k = map_key(e->key.keysym.sym);
        if (k)
            gui_input_key(c, k, mods);
        return true;
    }
    default:
        return false;
    }
}

/* ---- PNG ---------------------------------------------------------------------------------- */

int gui_sdl_save_png(SDL_Renderer *r, const char *path)
{
    int w, h;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0)
        return -1;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
    if (!s)
        return -1;
    int rc = -1;
    if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) == 0 &&
        IMG_SavePNG(s, path) == 0)
        rc = 0;
    SDL_FreeSurface(s);
    return rc;
}

int gui_sdl_offscreen_init(gui_sdl_offscreen *o, int w, int h)
{
    o->renderer = NULL;
    o->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    if (!o->surface)
        return -1;
    o->renderer = SDL_CreateSoftwareRenderer(o->surface);
    if (!o->renderer) {
        SDL_FreeSurface(o->surface);
        o->surface = NULL;
        return -1;
    }
    return 0;
}

void gui_sdl_offscreen_release(gui_sdl_offscreen *o)
{
    if (o->renderer)
        SDL_DestroyRenderer(o->renderer);
    if (o->surface)
        SDL_FreeSurface(o->surface);
    o->renderer = NULL;
    o->surface = NULL;
}

int gui_sdl_draw_png(int w, int h, int px, void (*draw)(gui_ctx *c, gui_rect area, void *ud),
                     void *ud, const char *path, char *err, size_t errlen)
{
    gui_sdl_offscreen o;
    gui_sdl *b = NULL;
    gui_ctx *c = NULL;
    int rc = -1;
    if (gui_sdl_offscreen_init(&o, w, h) != 0) {
        snprintf(err, errlen, "offscreen renderer: %s", SDL_GetError());
        return -1;
    }
    b = gui_sdl_new(o.renderer, px, err, errlen);
    if (!b)
        goto out;
    int fh[GUI_FONT_COUNT];
    gui_sdl_font_heights(b, fh);
    c = gui_ctx_new(NULL, gui_sdl_text_width, b, fh);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    gui_begin(c, w, h, 0);
    draw(c, (gui_rect){0, 0, w, h}, ud);
    gui_end(c);
    gui_sdl_render(b, c);
    if (gui_sdl_save_png(o.renderer, path) != 0) {
        snprintf(err, errlen, "cannot save %s: %s", path, SDL_GetError());
        goto out;
    }
    rc = 0;
out:
    gui_ctx_free(c);
    gui_sdl_free(b);
    gui_sdl_offscreen_release(&o);
    return rc;
}
