/* gui_theme.c - colour overrides from assets/theme.json (see gui_theme.h).
 *
 * Every name is checked; an unknown one is an error with a "did you mean"
 * hint, so a typo never silently leaves the default colour. */
#include "gui_theme.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct named {
    const char *name;
    size_t offset;
} named;

#define C(field)                                                                                   \
    {                                                                                              \
#field, offsetof(gui_theme, field)                                                         \
    }
static const named colours[] = {
    C(bg),   C(panel), C(raised), C(hover),  C(pressed),   C(border),
    C(text), C(dim),   C(faint),  C(accent), C(ok),        C(warn),
    C(bad),  C(info),  C(purple), C(yellow), C(on_accent), C(shade),
};
#undef C

static int hex(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int gui_color_parse(const char *s, gui_color *out)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 7 && n != 9))
        return -1;
    uint8_t v[4] = {0, 0, 0, 255};
    for (size_t i = 0; i < (n - 1) / 2; i++) {
        int hi = hex(s[1 + 2 * i]), lo = hex(s[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        v[i] = (uint8_t)(hi * 16 + lo);
    }
    *out = (gui_color){v[0], v[1], v[2], v[3]};
    return 0;
}

/* Every field of obj must be in allowed, except comments ("x-..."). */
static bool known_keys(const mllm_jdoc *doc, mllm_diags *diags, const cJSON *obj, const char *path,
                       const char *const *allowed)
{
    bool ok = true;
    char p[160];
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string || strncmp(c->string, "x-", 2) == 0 ||
            mllm_name_index(allowed, c->string) >= 0)
            continue;
        ok = mllm_jdoc_error(doc, diags, mllm_path(p, sizeof p, path, c->string, 0),
                             "unknown field \"%.40s\"", c->string);
    }
    return ok;
}

int gui_theme_load(gui_theme *t, const char *path, mllm_diags *diags)
{
    mllm_jdoc doc;
    int rc = mllm_jdoc_load(&doc, path, diags);
    if (rc != 0) {
        mllm_jdoc_release(&doc);
        return rc;
    }
    gui_theme nt = *t;
    mllm_jr r = {&doc, diags};
    static const char *const top[] = {"$schema", "colors", "series", NULL};
    bool ok = cJSON_IsObject(doc.root) ? known_keys(&doc, diags, doc.root, "$", top)
                                       : mllm_jdoc_error(&doc, diags, "$", "expected an object");
    const cJSON *cols = ok ? mllm_jr_object(&r, doc.root, "$", "colors", false) : NULL;
    const cJSON *it;
    char p[128];
    if (cols) {
        static const char *names[sizeof colours / sizeof colours[0] + 1];
        for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++)
            names[i] = colours[i].name;
        ok &= known_keys(&doc, diags, cols, "colors", names);
        cJSON_ArrayForEach(it, cols)
        {
            for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++) {
                if (strcmp(it->string, colours[i].name) != 0)
                    continue;
                gui_color *dst = (gui_color *)((char *)&nt + colours[i].offset);
                if (!cJSON_IsString(it) || gui_color_parse(it->valuestring, dst) != 0)
                    ok = mllm_jdoc_error(&doc, diags,
                                         mllm_path(p, sizeof p, "colors", it->string, 0),
                                         "expected a colour \"#rrggbb\" or \"#rrggbbaa\"");
            }
        }
    }
    const cJSON *ser = ok ? mllm_jr_array(&r, doc.root, "$", "series", false) : NULL;
    if (ser) {
        int i = 0;
        cJSON_ArrayForEach(it, ser)
        {
            if (i >= 8) {
                ok = mllm_jdoc_error(&doc, diags, "series", "at most 8 series colours");
                break;
            }
            if (!cJSON_IsString(it) || gui_color_parse(it->valuestring, &nt.series[i]) != 0)
                ok = mllm_jdoc_error(&doc, diags, mllm_path(p, sizeof p, "series", NULL, i),
                                     "expected a colour \"#rrggbb\" or \"#rrggbbaa\"");
            i++;
        }
    }
    mllm_jdoc_release(&doc);
    if (!ok)
        return -EINVAL;
    *t = nt;
    return 0;
}
