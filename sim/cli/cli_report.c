/* cli_report.c - `firedrill report`: a leaderboard per scenario, the spread of
 * response times across trainees, and the scenarios trainees fail most, over
 * many result files (the JSON `firedrill run --out` writes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli.h"

static const char report_usage[] =
    "usage: firedrill report RESULT.json... [--md OUT.md] [--csv OUT.csv]\n"
    "\n"
    "Reads result files (firedrill run --out, one per trainee and drill; the trainee is\n"
    "the file name without .json unless the result has a \"trainee\" field) and writes:\n"
    "a leaderboard per scenario (score, time to detect / contain / diagnose / mitigate,\n"
    "harm), the distribution of each response time across trainees, and the scenarios\n"
    "trainees fail most. Markdown goes to stdout unless --md is given; --csv also writes\n"
    "the leaderboard as CSV.\n";

enum { T_DETECT, T_CONTAIN, T_DIAGNOSE, T_MITIGATE, T_COUNT };
static const char *const time_keys[T_COUNT] = {"detect_s", "contain_s", "diagnose_s", "mitigate_s"};
static const char *const time_names[T_COUNT] = {"detect", "contain", "diagnose", "mitigate"};

typedef struct entry {
    char trainee[96], scenario[64], title[128];
    double score, harm;
    double t[T_COUNT];       /* seconds from onset, NAN when never reached */
    bool diag_ok, contained;
} entry;

static double num_at(const cJSON *root, const char *obj, const char *key)
{
    const cJSON *o = obj ? cJSON_GetObjectItem(root, obj) : root;
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int load_entry(const char *path, entry *e)
{
    memset(e, 0, sizeof *e);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *buf = NULL;
    size_t cap = 0, len = 0, got;
    do {
        if (len + 4096 > cap) {
            char *nb = realloc(buf, cap = cap * 2 + 8192);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
    } while (got > 0 && len < (16u << 20));
    fclose(f);
    if (!buf)
        return -1;
    buf[len] = '\0';
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    const cJSON *sc = cJSON_GetObjectItem(j, "scenario");
    if (!cJSON_IsString(sc)) {
        cJSON_Delete(j);
        return -1;
    }
    snprintf(e->scenario, sizeof e->scenario, "%s", sc->valuestring);
    const cJSON *title = cJSON_GetObjectItem(j, "title");
    snprintf(e->title, sizeof e->title, "%s", cJSON_IsString(title) ? title->valuestring : "");
    const cJSON *tr = cJSON_GetObjectItem(j, "trainee");
    if (cJSON_IsString(tr)) {
        snprintf(e->trainee, sizeof e->trainee, "%s", tr->valuestring);
    } else {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        snprintf(e->trainee, sizeof e->trainee, "%s", base);
        char *dot = strstr(e->trainee, ".json");
        if (dot)
            *dot = '\0';
    }
    e->score = num_at(j, "score", "total");
    e->harm = num_at(j, "harm", "fault_weighted");
    for (int k = 0; k < T_COUNT; k++)
        e->t[k] = num_at(j, "times", time_keys[k]);
    const cJSON *diag = cJSON_GetObjectItem(j, "diagnosis");
    e->diag_ok = cJSON_IsTrue(cJSON_GetObjectItem(diag, "cause_correct")) &&
                 cJSON_IsTrue(cJSON_GetObjectItem(diag, "symptom_correct"));
    e->contained = cJSON_IsTrue(cJSON_GetObjectItem(j, "contained"));
    cJSON_Delete(j);
    return isnan(e->score) ? -1 : 0;
}

static int by_scenario_then_score(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->scenario, y->scenario);
    if (c)
        return c;
    return x->score < y->score ? 1 : x->score > y->score ? -1 : strcmp(x->trainee, y->trainee);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void fmt_time(double s, char *buf, size_t n)
{
    if (isnan(s))
        snprintf(buf, n, "never");
    else
        snprintf(buf, n, "%.0fm%02.0fs", floor(s / 60), fmod(s, 60));
}

static double quantile(const double *sorted, int n, double q)
{
    if (n == 0)
        return NAN;
    double pos = q * (n - 1);
    int lo = (int)floor(pos), hi = (int)ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

int cli_report(int argc, char **argv)
{
    if (cli_help_requested(argc, argv, report_usage) == 0)
        return 0;
    const char *md = NULL, *csv = NULL;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--md") == 0 || strcmp(argv[i], "--csv") == 0) && i + 1 < argc) {
            if (argv[i][2] == 'm')
                md = argv[++i];
            else
                csv = argv[++i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "firedrill report: unknown option \"%s\" (see --help)\n", argv[i]);
            return 2;
        } else {
            nfiles++;
        }
    }
    if (!nfiles) {
        fputs(report_usage, stderr);
        return 2;
    }
    entry *es = calloc((size_t)nfiles, sizeof *es);
    if (!es)
        return 2;
    int n = 0, bad = 0, seen = 0;
    uint64_t t0 = cli_wall_ns();
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') {
            i++;
            continue;
        }
        if (load_entry(argv[i], &es[n]) == 0)
            n++;
        else {
            fprintf(stderr, "firedrill report: %s: not a firedrill result file (skipped)\n",
                    argv[i]);
            bad++;
        }
        seen++;
        if (cli_wall_ns() - t0 > 1000000000ull) {
            char detail[64];
            snprintf(detail, sizeof detail, "%d / %d files", seen, nfiles);
            cli_progress("report", (double)seen / nfiles, detail);
        }
    }
    cli_progress_done();
    if (!n) {
        free(es);
        return 2;
    }
    qsort(es, (size_t)n, sizeof *es, by_scenario_then_score);
    FILE *f = md ? fopen(md, "w") : stdout;
    if (!f) {
        fprintf(stderr, "firedrill report: cannot write %s\n", md);
        free(es);
        return 2;
    }
    fprintf(f, "# Firedrill results\n\n%d result%s over ", n, n == 1 ? "" : "s");
    int nscen = 0;
    for (int i = 0; i < n; i++)
        nscen += i == 0 || strcmp(es[i].scenario, es[i - 1].scenario) != 0;
    fprintf(f, "%d scenario%s.\n", nscen, nscen == 1 ? "" : "s");

    /* Scenarios failed most: not contained, or a score under 50. */
    fprintf(f, "\n## Scenarios trainees fail most\n\n| scenario | runs | failed | "
               "not contained | wrong diagnosis | median score |\n|---|---|---|---|---|---|\n");
    typedef struct { int start, count, failed, uncontained, wrongdiag; double median; } agg;
    agg *ag = calloc((size_t)nscen, sizeof *ag);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && strcmp(es[i].scenario, es[i - 1].scenario) != 0)
            k++;
        if (ag[k].count == 0)
            ag[k].start = i;
        ag[k].count++;
        bool fail = !es[i].contained || es[i].score < 50;
        ag[k].failed += fail;
        ag[k].uncontained += !es[i].contained;
        ag[k].wrongdiag += !es[i].diag_ok;
    }
    int *order = calloc((size_t)nscen, sizeof *order);
    for (int s = 0; s < nscen; s++) {
        double *sc = calloc((size_t)ag[s].count, sizeof *sc);
        for (int i = 0; i < ag[s].count; i++)
            sc[i] = es[ag[s].start + i].score;
        qsort(sc, (size_t)ag[s].count, sizeof *sc, cmp_double);
        ag[s].median = quantile(sc, ag[s].count, 0.5);
        free(sc);
        order[s] = s;
    }
    for (int a = 0; a < nscen; a++) /* few scenarios: insertion sort by failure share */
        for (int b = a; b > 0; b--) {
            double fa = (double)ag[order[b]].failed / ag[order[b]].count;
            double fb = (double)ag[order[b - 1]].failed / ag[order[b - 1]].count;
            if (fa > fb || (fa == fb && ag[order[b]].median < ag[order[b - 1]].median)) {
                int t = order[b];
                order[b] = order[b - 1];
                order[b - 1] = t;
            }
        }
    for (int s = 0; s < nscen; s++) {
        const agg *g = &ag[order[s]];
        fprintf(f, "| %s | %d | %d (%.0f%%) | %d | %d | %.1f |\n", es[g->start].scenario, g->count,
                g->failed, 100.0 * g->failed / g->count, g->uncontained, g->wrongdiag, g->median);
    }
    for (int s = 0; s < nscen; s++) {
        const agg *g = &ag[s];
        const entry *first = &es[g->start];
        fprintf(f, "\n## %s%s%s\n\n### Leaderboard\n\n", first->scenario,
                first->title[0] ? " - " : "", first->title);
        fprintf(f, "| rank | trainee | score | detect | contain | diagnose | mitigate | harm | "
                   "diagnosis |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < g->count; i++) {
            const entry *e = &es[g->start + i];
            char t[T_COUNT][16];
            for (int q = 0; q < T_COUNT; q++)
                fmt_time(e->t[q], t[q], sizeof t[q]);
            fprintf(f, "| %d | %s | %.1f | %s | %s | %s | %s | %.0f | %s |\n", i + 1, e->trainee,
                    e->score, t[0], t[1], t[2], t[3], e->harm, e->diag_ok ? "right" : "wrong");
        }
        fprintf(f, "\n### Response times across trainees (from fault onset)\n\n"
                   "| time | reached | fastest | median | p90 | slowest | spread |\n"
                   "|---|---|---|---|---|---|---|\n");
        for (int q = 0; q < T_COUNT; q++) {
            double v[512];
            int m = 0;
            for (int i = 0; i < g->count && m < 512; i++)
                if (!isnan(es[g->start + i].t[q]))
                    v[m++] = es[g->start + i].t[q];
            qsort(v, (size_t)m, sizeof *v, cmp_double);
            char a[16], b[16], c[16], d[16];
            fmt_time(m ? v[0] : NAN, a, sizeof a);
            fmt_time(quantile(v, m, 0.5), b, sizeof b);
            fmt_time(quantile(v, m, 0.9), c, sizeof c);
            fmt_time(m ? v[m - 1] : NAN, d, sizeof d);
            /* A 20-column strip: where each trainee's time falls between the extremes. */
            char strip[24] = "";
            if (m) {
                memset(strip, '.', 20);
                strip[20] = '\0';
                for (int i = 0; i < m; i++) {
                    int col = v[m - 1] > v[0] ? (int)(19 * (v[i] - v[0]) / (v[m - 1] - v[0])) : 0;
                    strip[col] = '#';
                }
            }
            fprintf(f, "| %s | %d/%d | %s | %s | %s | %s | `%s` |\n", time_names[q], m, g->count, a,
                    b, c, d, strip);
        }
    }
    if (f != stdout)
        fclose(f);
    if (csv) {
        FILE *c = fopen(csv, "w");
        if (!c) {
            fprintf(stderr, "firedrill report: cannot write %s\n", csv);
        } else {
            fprintf(c, "scenario,trainee,score,detect_s,contain_s,diagnose_s,mitigate_s,harm,"
                       "diagnosis_right,contained\n");
            for (int i = 0; i < n; i++) {
                const entry *e = &es[i];
                fprintf(c, "%s,\"%s\",%.1f", e->scenario, e->trainee, e->score);
                for (int q = 0; q < T_COUNT; q++) {
                    if (isnan(e->t[q]))
                        fprintf(c, ",");
                    else
                        fprintf(c, ",%.1f", e->t[q]);
                }
                fprintf(c, ",%.1f,%d,%d\n", e->harm, e->diag_ok, e->contained);
            }
            fclose(c);
        }
    }
    free(order);
    free(ag);
    free(es);
    return bad ? 1 : 0;
}
