/* test_mllm_world.c - the world's asset loaders: the real assets load, and
 * each kind of bad asset file is reported at its line, column and JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mllm_world.h"

static char dir[256];

static void copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    assert_non_null(a);
    assert_non_null(b);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, a)) > 0)
        assert_int_equal(fwrite(buf, 1, n, b), n);
    fclose(a);
    fclose(b);
}

static void reset_assets(void)
{
    static const char *const names[] = {"kb.json", "catalogue.json", "prompts.json",
                                        "models.json"};
    for (int i = 0; i < 4; i++) {
        char from[512], to[512];
        snprintf(from, sizeof from, "%s/assets/%s", FIREDRILL_DATA_DIR, names[i]);
        snprintf(to, sizeof to, "%s/%s", dir, names[i]);
        copy_file(from, to);
    }
}

static void write_asset(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Loads the world from dir and checks the first diagnostic. */
static void expect_error(const char *file, int line, const char *path, const char *msg_part)
{
    mllm_diags d;
    mllm_diags_clear(&d);
    mllm_world *w = mllm_world_load(dir, &d);
    assert_null(w);
    assert_true(d.n >= 1);
    if (!strstr(d.d[0].file, file) || (line && d.d[0].line != line) ||
        strcmp(d.d[0].path, path) != 0 || !strstr(d.d[0].msg, msg_part))
        fail_msg("got %s:%d:%d: %s: %s", d.d[0].file, d.d[0].line, d.d[0].col, d.d[0].path,
                 d.d[0].msg);
    assert_true(line == 0 || d.d[0].col >= 1);
}

static void real_assets_load_with_the_promised_sizes(void **state)
{
    (void)state;
    mllm_diags d;
    mllm_diags_clear(&d);
    mllm_world *w = mllm_world_load(FIREDRILL_DATA_DIR "/assets", &d);
    assert_non_null(w);
    assert_true(w->ndocs >= 60);
    assert_true(w->nqueries >= 300);
    assert_true(w->nprompts >= 3);
    int multi = 0, in_kb = 0, absent = 0;
    for (int i = 0; i < w->ndocs; i++)
        multi += w->docs[i].nversions > 1;
    for (int i = 0; i < w->ntopics; i++) {
        in_kb += w->topics[i].in_kb;
        absent += !w->topics[i].in_kb;
    }
    assert_true(multi >= 10);
    assert_true(in_kb >= 8 && absent >= 2);
    int types[MLLM_QT_COUNT] = {0};
    for (int i = 0; i < w->nqueries; i++)
        types[w->queries[i].type]++;
    for (int t = 0; t < MLLM_QT_COUNT; t++)
        assert_true(types[t] > 0);
    int pm = mllm_world_model_role(w, MLLM_ROLE_PRIMARY);
    assert_true(pm >= 0 && w->models[pm].nversions >= 2);
    assert_true(mllm_world_model_role(w, MLLM_ROLE_BACKUP) >= 0);
    assert_true(mllm_world_model_role(w, MLLM_ROLE_SIMPLIFIED) >= 0);
    /* Every chunk states the facts of its version only. */
    for (int c = 0; c < w->nchunks; c++) {
        const mllm_chunk *ch = &w->chunks[c];
        for (int k = 0; k < ch->nfacts; k++)
            assert_non_null(mllm_world_fact_value(w, ch->facts[k], ch->version_index));
    }
    mllm_world_free(w);
}

static void dates_round_trip(void **state)
{
    (void)state;
    char out[11];
    int32_t d = mllm_date_days("2026-11-30");
    assert_true(d > 0);
    mllm_date_format(d, out);
    assert_string_equal(out, "2026-11-30");
    assert_int_equal(mllm_date_days("2026-02-30"), -1);
    assert_int_equal(mllm_date_days("2024-02-29"), mllm_date_days("2024-03-01") - 1);
    assert_int_equal(mllm_date_days("nope"), -1);
}

static void bad_kb_files_are_reported_where_they_are_wrong(void **state)
{
    (void)state;
    reset_assets();
    write_asset("kb.json", "{\"topics\": [{\"id\": \"billing\", \"title\": \"Billing\"}],\n"
                           " \"documents\": [{\"id\": \"a\", \"title\": \"A\", \"topic\": \"billing\",\n"
                           "   \"versions\": [{\"version\": 1, \"updated_at\": \"2026-13-01\",\n"
                           "                  \"body\": \"x\", \"facts\": {}}]}]}\n");
    expect_error("kb.json", 3, "documents[0].versions[0].updated_at", "YYYY-MM-DD");
    write_asset("kb.json", "{\"topics\": [], \"documents\": [{\"id\": \"a\", \"title\": \"A\",\n"
                           "  \"topic\": \"nowhere\", \"versions\": []}]}\n");
    expect_error("kb.json", 2, "documents[0].topic", "unknown topic");
    write_asset("kb.json", "{\"topics\": [{\"id\": \"t\"}], \"documents\": [{\"id\": \"a\",\n"
                           " \"title\": \"A\", \"topic\": \"t\", \"versions\": [{\"version\": 1,\n"
                           " \"updated_at\": \"2026-01-01\", \"body\": \"Price is 5.\",\n"
                           " \"facts\": {\"price\": \"7 dollars\"}}]}]}\n");
    expect_error("kb.json", 4, "documents[0].versions[0].facts.price", "does not appear");
    write_asset("kb.json", "{\"topics\": [], \"documents\": [}\n");
    expect_error("kb.json", 1, "$", "invalid JSON");
}

static void bad_catalogue_prompts_and_models_are_reported(void **state)
{
    (void)state;
    reset_assets();
    write_asset("catalogue.json", "{\"queries\": [{\"id\": \"q1\", \"type\": \"poem\",\n"
                                  "  \"topic\": \"billing\", \"text\": \"hi\"}]}\n");
    expect_error("catalogue.json", 1, "queries[0].type", "unknown query type");
    write_asset("catalogue.json", "{\"queries\": [{\"id\": \"q1\", \"type\": \"factual\",\n"
                                  "  \"topic\": \"billing\", \"text\": \"hi\",\n"
                                  "  \"facts\": [\"no_such_fact\"]}]}\n");
    expect_error("catalogue.json", 3, "queries[0].facts[0]", "unknown fact key");
    reset_assets();
    write_asset("prompts.json", "{\"prompts\": [{\"version\": \"v1\", \"template\": 5}]}\n");
    expect_error("prompts.json", 1, "prompts[0].template", "expected a string");
    reset_assets();
    write_asset("models.json", "{\"providers\": [{\"id\": \"p\"}], \"models\": [{\"id\": \"m\",\n"
                               " \"provider\": \"p\", \"role\": \"primary\", \"versions\": [],\n"
                               " \"ttft_ms\": -4, \"tokens_per_s\": 10, \"cost_in_per_1k\": 0,\n"
                               " \"cost_out_per_1k\": 0, \"context_window\": 1000}]}\n");
    expect_error("models.json", 3, "models[0].ttft_ms", "expected a number in");
    write_asset("models.json", "{\"providers\": [], \"modles\": []}\n");
    expect_error("models.json", 1, "modles", "did you mean \"models\"");
}

static void invalid_utf8_and_missing_files_are_clear_errors(void **state)
{
    (void)state;
    reset_assets();
    write_asset("prompts.json", "{\"prompts\": [{\"version\": \"v\xff\"}]}\n");
    expect_error("prompts.json", 1, "$", "invalid UTF-8");
    reset_assets();
    char p[512];
    snprintf(p, sizeof p, "%s/models.json", dir);
    unlink(p);
    expect_error("models.json", 0, "$", "cannot open");
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/test_world_XXXXXX", FIREDRILL_BUILD_DIR);
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = {"kb.json", "catalogue.json", "prompts.json",
                                        "models.json"};
    for (int i = 0; i < 4; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_assets_load_with_the_promised_sizes),
        cmocka_unit_test(dates_round_trip),
        cmocka_unit_test(bad_kb_files_are_reported_where_they_are_wrong),
        cmocka_unit_test(bad_catalogue_prompts_and_models_are_reported),
        cmocka_unit_test(invalid_utf8_and_missing_files_are_clear_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
