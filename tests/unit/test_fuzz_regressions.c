/* test_fuzz_regressions.c - every input the fuzzers (tests/fuzz) found a bug
 * with, replayed through the same entry point on every build.
 *
 * Files in tests/data/fuzz-regressions are named <target>-<n>.<ext> after
 * the fuzz target that found them: "scenario" and "responder" inputs are file
 * texts for sim_scenario_parse / sim_responder_parse (against assets/),
 * "fault" inputs are live fault objects for sim_fault_from_json, "world"
 * inputs are a selector byte (kb, catalogue, prompts, models) plus that file,
 * loaded among the small world of tests/data/world, "eval_set" and
 * "postmortem" inputs are files for sim_eval_set_load / sim_pm_doc_load,
 * "timeline" inputs are drill event logs for sim_pm_timeline_read, and "json"
 * inputs are "[PATH\0]TEXT" for mllm_jdoc_parse and mllm_json_locate. Each
 * must load, or fail with diagnostics that carry the file, a line and column
 * inside the text, a JSON path and a message; the ASan + UBSan build adds
 * "without a memory error or a leak". Then one test per bug pins down the
 * behaviour its fix chose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mllm_json.h"
#include "mllm_world.h"
#include "sim_eval.h"
#include "sim_postmortem.h"
#include "sim_scenario.h"

#define DATA        FIREDRILL_DATA_DIR
#define REGRESSIONS DATA "/tests/data/fuzz-regressions"

static const char *const world_files[4] = {"kb.json", "catalogue.json", "prompts.json",
                                           "models.json"};
static mllm_world *assets;
static sim_scenario *friendly; /* scenarios/friendly-prompt.json */
static char tmp[512];

/* ---- helpers ---------------------------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static int lines_in(const char *text, size_t len)
{
    int n = 1;
    for (size_t i = 0; i < len && text[i]; i++)
        n += text[i] == '\n';
    return n;
}

/* The contract the fuzzers check: failed exactly when diagnostics were added,
 * each naming `file`, a line inside the text, a column, a path and a message. */
static void assert_contract(const mllm_diags *d, bool failed, const char *file, const char *text,
                            size_t len)
{
    if (!failed) {
        if (d->n)
            mllm_diags_print(d, stderr);
        assert_int_equal(d->n + d->dropped, 0);
        return;
    }
    assert_true(d->n > 0);
    for (int i = 0; i < d->n; i++) {
        assert_string_equal(d->d[i].file, file);
        assert_true(d->d[i].line >= 1 && d->d[i].line <= lines_in(text, len));
        assert_true(d->d[i].col >= 1);
        assert_true(d->d[i].path[0] != '\0');
        assert_true(d->d[i].msg[0] != '\0');
    }
}

/* Loads a world whose file `which` is text[0..len) and the others are the
 * small world's; fills diags. */
static mllm_world *world_with(int which, const char *text, size_t len, mllm_diags *d, char *path,
                              size_t pathlen)
{
    for (int f = 0; f < 4; f++) {
        char src[600], dst[700];
        size_t n;
        snprintf(src, sizeof src, "%s/tests/data/world/%s", DATA, world_files[f]);
        snprintf(dst, sizeof dst, "%s/%s", tmp, world_files[f]);
        char *orig = read_all(src, &n);
        write_all(dst, orig, n);
        free(orig);
    }
    snprintf(path, pathlen, "%s/%s", tmp, world_files[which]);
    write_all(path, text, len);
    mllm_diags_clear(d);
    return mllm_world_load(tmp, d);
}

/* Cuts text into NUL-terminated lines in place; returns how many (at most max). */
static long split_lines(char *text, char **lines, long max)
{
    long n = 0;
    for (char *p = text; p && *p && n < max;) {
        lines[n++] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    return n;
}

/* ---- every saved input ---------------------------------------------------------------- */

static void replay(const char *name, const char *data, size_t len)
{
    char file[700];
    mllm_diags d;
    mllm_diags_clear(&d);
    print_message("replaying %s\n", name);
    if (strncmp(name, "scenario-", 9) == 0) {
        sim_scenario *s = sim_scenario_parse(name, data, len, assets, &d);
        assert_contract(&d, s == NULL, name, data, len);
        sim_scenario_free(s);
    } else if (strncmp(name, "responder-", 10) == 0) {
        sim_responder *r = sim_responder_parse(name, data, len, assets, &d);
        assert_contract(&d, r == NULL, name, data, len);
        sim_responder_free(r);
    } else if (strncmp(name, "fault-", 6) == 0) {
        sim_scen_fault f;
        int rc = sim_fault_from_json(name, data, len, assets, SIM_MIN(120), &f, &d);
        assert_contract(&d, rc != 0, name, data, len);
    } else if (strncmp(name, "world-", 6) == 0) {
        assert_true(len >= 1);
        mllm_world *w = world_with(data[0] & 3, data + 1, len - 1, &d, file, sizeof file);
        assert_contract(&d, w == NULL, file, data + 1, len - 1);
        mllm_world_free(w);
    } else if (strncmp(name, "eval_set-", 9) == 0) {
        sim_eval_set set;
        snprintf(file, sizeof file, "%s/eval-set.json", tmp);
        write_all(file, data, len);
        int rc = sim_eval_set_load(file, assets, false, &set, &d);
        assert_contract(&d, rc != 0, file, data, len);
        sim_eval_set_release(&set);
    } else if (strncmp(name, "postmortem-", 11) == 0) {
        sim_pm_doc pm;
        snprintf(file, sizeof file, "%s/postmortem.json", tmp);
        write_all(file, data, len);
        int rc = sim_pm_doc_load(file, assets, &pm, &d);
        assert_contract(&d, rc != 0, file, data, len);
        sim_pm_doc_release(&pm);
    } else if (strncmp(name, "timeline-", 9) == 0) {
        char *text = malloc(len + 1), *lines[4096];
        assert_non_null(text);
        memcpy(text, data, len);
        text[len] = '\0';
        long n = split_lines(text, lines, 4096);
        static sim_pm_timeline tl;
        int rc = sim_pm_timeline_read(lines, n, friendly, &tl);
        assert_true(rc == 0 || rc == -EINVAL);
        assert_true(tl.n <= SIM_PM_MAX_EVENTS);
        free(text);
    } else if (strncmp(name, "json-", 5) == 0) {
        char path[256] = "";
        const char *nul = memchr(data, '\0', len);
        if (nul) {
            size_t plen = (size_t)(nul - data);
            snprintf(path, sizeof path, "%.*s", (int)(plen < 255 ? plen : 255), data);
            len -= plen + 1;
            data = nul + 1;
        }
        int line = 0, col = 0;
        mllm_json_locate(data, len, path, &line, &col);
        assert_true(line >= 1 && col >= 1);
        mllm_jdoc doc;
        int rc = mllm_jdoc_parse(&doc, name, data, len, &d);
        assert_contract(&d, rc != 0, name, data, len);
        mllm_jdoc_release(&doc);
    } else {
        fail_msg("%s: no entry point for this target prefix", name);
    }
}

static void every_saved_input_loads_or_fails_with_positioned_diagnostics(void **state)
{
    (void)state;
    DIR *dir = opendir(REGRESSIONS);
    assert_non_null(dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", REGRESSIONS, e->d_name);
        char *data = read_all(path, &len);
        replay(e->d_name, data, len);
        free(data);
        n++;
    }
    closedir(dir);
    assert_true(n > 0);
}

/* ---- one test per bug ------------------------------------------------------------------- */

/* world-1: a model whose second version lacks "fingerprint" leaked the first
 * version's strings (the model was not counted yet when the load failed). */
static void a_model_rejected_in_its_versions_is_freed_and_reported_there(void **state)
{
    (void)state;
    size_t len;
    char *data = read_all(REGRESSIONS "/world-1.bin", &len);
    char file[700];
    mllm_diags d;
    assert_int_equal(data[0] & 3, 3); /* models.json */
    mllm_world *w = world_with(3, data + 1, len - 1, &d, file, sizeof file);
    assert_null(w);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.d[0].path, "models[0].versions[1]");
    assert_non_null(strstr(d.d[0].msg, "missing required field \"fingerprint\""));
    free(data);
}

/* json-1: cJSON skips any byte up to 0x20 as whitespace and takes raw control
 * characters inside strings; JSON (and the schema checker) does not, and the
 * locator could not see through them. */
static void control_characters_are_rejected_where_json_forbids_them(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line, col;
        const char *msg;
    } cases[] = {
        {"{\"a\": 1,\x10 \"b\": 2}", 1, 9, "control character 0x10 outside a string"},
        {"{\"a\": \"x\ty\"}", 1, 9, "control character 0x09 in a string"},
        {"{\"a\": \"x\\\x01\"}", 1, 10, "control character 0x01 in a string"},
        {"[\"\x1f\"]", 1, 3, "control character 0x1f in a string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mllm_jdoc doc;
        mllm_diags d;
        mllm_diags_clear(&d);
        assert_int_equal(mllm_jdoc_parse(&doc, "t", cases[i].text, strlen(cases[i].text), &d),
                         -EINVAL);
        assert_int_equal(d.n, 1);
        assert_int_equal(d.d[0].line, cases[i].line);
        assert_int_equal(d.d[0].col, cases[i].col);
        assert_non_null(strstr(d.d[0].msg, cases[i].msg));
        mllm_jdoc_release(&doc);
    }
    /* Tabs, CR and LF between tokens stay whitespace; escapes stay escapes. */
    const char *ok = "{\r\n\t\"a\": \"x\\ty\\u0001\"\r\n}";
    mllm_jdoc doc;
    mllm_diags d;
    mllm_diags_clear(&d);
    assert_int_equal(mllm_jdoc_parse(&doc, "t", ok, strlen(ok), &d), 0);
    mllm_jdoc_release(&doc);

    size_t len;
    char *data = read_all(REGRESSIONS "/json-1.json", &len);
    mllm_diags_clear(&d);
    assert_int_equal(mllm_jdoc_parse(&doc, "json-1", data, len, &d), -EINVAL);
    assert_int_equal(d.d[0].line, 6);
    assert_int_equal(d.d[0].col, 13);
    assert_non_null(strstr(d.d[0].msg, "control character 0x10 outside a string"));
    mllm_jdoc_release(&doc);
    free(data);
}

/* json-2: on text with a NUL byte (text that never parsed), skipping a value
 * stopped at the NUL without advancing, and the locator looped for ever. */
static void locate_ends_on_text_with_nul_bytes(void **state)
{
    (void)state;
    static const char text[] = "[1, 2\0\0, 3, {\"a\": [\0]}]";
    int line = 0, col = 0;
    assert_false(mllm_json_locate(text, sizeof text - 1, "[9]", &line, &col));
    assert_int_equal(line, 1);
    assert_false(mllm_json_locate(text, sizeof text - 1, "[3].a[5]", &line, &col));
    size_t len;
    char *data = read_all(REGRESSIONS "/json-2.bin", &len);
    const char *nul = memchr(data, '\0', len);
    assert_non_null(nul);
    mllm_json_locate(nul + 1, len - (size_t)(nul + 1 - data), data, &line, &col);
    assert_true(line >= 1 && col >= 1);
    free(data);
}

/* A root field named "$..." was taken for the root marker, so its errors were
 * put at 1:1. */
static void root_fields_starting_with_a_dollar_are_located(void **state)
{
    (void)state;
    const char *text = "{\n  \"id\": 1,\n  \"$foo\": [7]\n}\n";
    int line = 0, col = 0;
    assert_true(mllm_json_locate(text, strlen(text), "$foo", &line, &col));
    assert_int_equal(line, 3);
    assert_int_equal(col, 11);
    assert_true(mllm_json_locate(text, strlen(text), "$foo[0]", &line, &col));
    assert_int_equal(col, 12);
    assert_true(mllm_json_locate(text, strlen(text), "$", &line, &col));
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    assert_true(mllm_json_locate(text, strlen(text), "id", &line, &col));
    assert_int_equal(line, 2);
}

/* eval_set-1, postmortem-1: provenance strings and the post-mortem's scenario
 * were cut to their buffers, possibly inside a UTF-8 sequence; the set was
 * then saved with invalid UTF-8 and never loaded again. Over-long strings are
 * now an error at the field. */
static void over_long_strings_are_rejected_not_cut_inside_a_character(void **state)
{
    (void)state;
    size_t len;
    char file[700];
    snprintf(file, sizeof file, "%s/eval-set.json", tmp);
    char *data = read_all(REGRESSIONS "/eval_set-1.json", &len);
    write_all(file, data, len);
    sim_eval_set set;
    mllm_diags d;
    mllm_diags_clear(&d);
    assert_int_equal(sim_eval_set_load(file, assets, false, &set, &d), -EINVAL);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.d[0].path, "cases[0].provenance.drill");
    assert_non_null(strstr(d.d[0].msg, "at most 63 bytes"));
    free(data);

    /* At the limit it loads, and saves to a file that loads again. */
    char drill[64], fits[256];
    memset(drill, 'x', 61);
    memcpy(drill + 61, "\xc3\xa9", 3); /* 61 + 2 bytes: exactly the 63 that fit */
    snprintf(fits, sizeof fits,
             "{\"cases\": [{\"query\": \"q\", \"assertions\": [{\"type\": \"no_error\"}],"
             " \"provenance\": {\"drill\": \"%s\"}}]}",
             drill);
    write_all(file, fits, strlen(fits));
    mllm_diags_clear(&d);
    assert_int_equal(sim_eval_set_load(file, assets, false, &set, &d), 0);
    assert_int_equal(strlen(set.cases[0].drill), 63);
    assert_int_equal(sim_eval_set_save(&set, assets, file), 0);
    sim_eval_set_release(&set);
    assert_int_equal(sim_eval_set_load(file, assets, false, &set, &d), 0);
    sim_eval_set_release(&set);

    snprintf(file, sizeof file, "%s/postmortem.json", tmp);
    data = read_all(REGRESSIONS "/postmortem-1.json", &len);
    write_all(file, data, len);
    sim_pm_doc pm;
    mllm_diags_clear(&d);
    assert_int_equal(sim_pm_doc_load(file, assets, &pm, &d), -EINVAL);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.d[0].path, "scenario");
    free(data);
}

/* world-2: an optional field of the wrong type was reported, but the loader
 * went on as if it were absent and succeeded: a catalogue query with "facts":
 * "x" loaded asking for nothing. The same held for a query's paraphrases, a
 * prompt's rules, an eval case's provenance and a post-mortem's eval_cases. */
static void an_optional_field_of_the_wrong_type_fails_the_load(void **state)
{
    (void)state;
    static const struct {
        int file; /* index into world_files */
        const char *text, *path;
    } cases[] = {
        {1,
         "{\"queries\": [{\"id\": \"q1\", \"type\": \"smalltalk\", \"topic\": \"billing\",\n"
         "  \"text\": \"hi\", \"facts\": \"refund_window\"}]}\n",
         "queries[0].facts"},
        {1,
         "{\"queries\": [{\"id\": \"q1\", \"type\": \"smalltalk\", \"topic\": \"billing\",\n"
         "  \"text\": \"hi\", \"paraphrases\": {\"a\": \"hello\"}}]}\n",
         "queries[0].paraphrases"},
        {2, "{\"prompts\": [{\"version\": \"v1\", \"template\": \"t\",\n  \"rules\": [true]}]}\n",
         "prompts[0].rules"},
    };
    char file[700];
    mllm_diags d;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = cases[i].text;
        mllm_world *w = world_with(cases[i].file, t, strlen(t), &d, file, sizeof file);
        assert_null(w);
        assert_int_equal(d.n, 1);
        assert_string_equal(d.d[0].path, cases[i].path);
        assert_int_equal(d.d[0].line, 2);
    }
    size_t len;
    char *data = read_all(REGRESSIONS "/world-2.bin", &len);
    mllm_world *w = world_with(data[0] & 3, data + 1, len - 1, &d, file, sizeof file);
    assert_null(w);
    assert_string_equal(d.d[0].path, "queries[0].facts");
    free(data);

    const char *set =
        "{\"cases\": [{\"query\": \"q\", \"assertions\": [{\"type\": \"no_error\"}],\n"
        "  \"provenance\": \"friendly-prompt\"}]}\n";
    sim_eval_set es;
    snprintf(file, sizeof file, "%s/eval-set.json", tmp);
    write_all(file, set, strlen(set));
    mllm_diags_clear(&d);
    assert_int_equal(sim_eval_set_load(file, assets, false, &es, &d), -EINVAL);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.d[0].path, "cases[0].provenance");

    const char *pmtext = "{\"answers\": {},\n \"eval_cases\": {\"query\": \"q\"}}\n";
    sim_pm_doc pm;
    snprintf(file, sizeof file, "%s/postmortem.json", tmp);
    write_all(file, pmtext, strlen(pmtext));
    mllm_diags_clear(&d);
    assert_int_equal(sim_pm_doc_load(file, assets, &pm, &d), -EINVAL);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.d[0].path, "eval_cases");
    assert_int_equal(d.d[0].line, 2);
}

/* eval_set-2: "at_s" was truncated to microseconds, and 249 us, written as
 * 0.000249 s, read back as 248.999... us and so as 248: every rewrite of the
 * set could move a case's time back by one microsecond. */
static void a_case_time_reads_back_the_same_after_a_save(void **state)
{
    (void)state;
    size_t len;
    char file[700];
    snprintf(file, sizeof file, "%s/eval-set.json", tmp);
    char *data = read_all(REGRESSIONS "/eval_set-2.json", &len);
    write_all(file, data, len);
    free(data);
    sim_eval_set set;
    mllm_diags d;
    mllm_diags_clear(&d);
    assert_int_equal(sim_eval_set_load(file, assets, false, &set, &d), 0);
    assert_int_equal(set.cases[0].at, 249);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(sim_eval_set_save(&set, assets, file), 0);
        sim_eval_set_release(&set);
        assert_int_equal(sim_eval_set_load(file, assets, false, &set, &d), 0);
        assert_int_equal(set.cases[0].at, 249);
    }
    sim_eval_set_release(&set);
}

/* timeline-1, timeline-2: the post-mortem's log reader converted times and
 * seeds from the log with a bare cast (undefined for -7e8 or 1e300), and
 * leaked the parsed line of every action event other than done and effect. */
static void the_log_reader_takes_bad_numbers_and_frees_every_line(void **state)
{
    (void)state;
    char text[] = "{\"type\":\"start\",\"scenario\":\"friendly-prompt\",\"seed\":-1,"
                  "\"duration_us\":1e300}\n"
                  "{\"type\":\"action\",\"t\":-7e8,\"event\":\"requested\",\"by\":\"trainee\","
                  "\"do\":\"kill_switch\",\"arg\":\"on\"}\n"
                  "{\"type\":\"action\",\"t\":3e7,\"event\":\"effect\",\"by\":\"trainee\","
                  "\"do\":\"kill_switch\",\"arg\":\"on\"}\n"
                  "{\"type\":\"minute\",\"t\":6e7,\"start\":-1,\"fault_harm\":2}\n"
                  "{\"type\":\"end\",\"t\":\"soon\"}\n";
    char *lines[8];
    long n = split_lines(text, lines, 8);
    static sim_pm_timeline tl;
    assert_int_equal(sim_pm_timeline_read(lines, n, friendly, &tl), 0);
    assert_string_equal(tl.scenario, "friendly-prompt");
    assert_int_equal(tl.seed, 0);
    assert_int_equal(tl.duration, 0);
    assert_int_equal(tl.contain, 30000000);
    assert_int_equal(tl.onset, 0);
    assert_int_equal(tl.end, 0);
    assert_int_equal(tl.n, 3); /* requested, in effect, onset */
}

/* ---- fixture -------------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    mllm_diags d = {0};
    assets = mllm_world_load(DATA "/assets", &d);
    if (!assets) {
        mllm_diags_print(&d, stderr);
        return -1;
    }
    friendly = sim_scenario_load(DATA "/scenarios/friendly-prompt.json", assets, &d);
    if (!friendly) {
        mllm_diags_print(&d, stderr);
        return -1;
    }
    snprintf(tmp, sizeof tmp, "%s/test_fuzz_XXXXXX", FIREDRILL_BUILD_DIR);
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *dir = opendir(tmp);
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        char p[1024];
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", tmp, e->d_name);
        unlink(p);
    }
    if (dir)
        closedir(dir);
    rmdir(tmp);
    sim_scenario_free(friendly);
    mllm_world_free(assets);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_saved_input_loads_or_fails_with_positioned_diagnostics),
        cmocka_unit_test(a_model_rejected_in_its_versions_is_freed_and_reported_there),
        cmocka_unit_test(control_characters_are_rejected_where_json_forbids_them),
        cmocka_unit_test(locate_ends_on_text_with_nul_bytes),
        cmocka_unit_test(root_fields_starting_with_a_dollar_are_located),
        cmocka_unit_test(over_long_strings_are_rejected_not_cut_inside_a_character),
        cmocka_unit_test(an_optional_field_of_the_wrong_type_fails_the_load),
        cmocka_unit_test(a_case_time_reads_back_the_same_after_a_save),
        cmocka_unit_test(the_log_reader_takes_bad_numbers_and_frees_every_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
