/* bench_service.c - requests/s of the simulated service's pipeline on one core.
 *
 * Serves catalogue requests straight into mllm_service_handle (no engine, no
 * metrics): healthy, with a fault that touches every request, with free-text
 * questions (a real BM25 search each), and rendering every answer's text.
 * Figures are ratios against the healthy catalogue path in the same process.
 * The last line is key=value figures. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mllm_service.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef enum { MODE_CATALOGUE, MODE_FREE_TEXT, MODE_RENDER } mode;

static double run(const mllm_world *w, bool faulty, mode md, int n)
{
    mllm_config cfg;
    mllm_config_default(&cfg, w);
    mllm_service *s = mllm_service_new(w, &cfg, NULL, NULL);
    if (faulty) {
        mllm_fault f;
        memset(&f, 0, sizeof f);
        f.kind = MLLM_FAULT_RETRIEVAL_DEGRADATION;
        mllm_target_any(&f.target);
        f.end = MLLM_NEVER;
        f.prompt = f.fingerprint = f.topic = -1;
        mllm_service_fault_add(s, &f);
    }
    char text[4096], q[600];
    uint64_t sink = 0;
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        mllm_request req = {.id = (uint64_t)i + 1, .t = 1000000 + (mllm_time)i * 20000};
        req.text = i % w->ntexts;
        if (md == MODE_FREE_TEXT) {
            snprintf(q, sizeof q, "please help: %s", mllm_world_text(w, req.text));
            req.text = -1;
            req.free_text = q;
        }
        mllm_response r;
        mllm_service_handle(s, &req, &r);
        sink += r.latency_us;
        if (md == MODE_RENDER)
            sink += mllm_service_render(s, &req, &r, text, sizeof text);
    }
    double dt = now_s() - t0;
    mllm_service_free(s);
    if (sink == 42)
        puts("");
    return n / dt;
}

int main(void)
{
    mllm_diags d;
    mllm_diags_clear(&d);
    mllm_world *w = mllm_world_load(FIREDRILL_DATA_DIR "/assets", &d);
    if (!w) {
        mllm_diags_print(&d, stderr);
        return 2;
    }
    double healthy = run(w, false, MODE_CATALOGUE, 2000000);
    double faulty = run(w, true, MODE_CATALOGUE, 2000000);
    double free_text = run(w, false, MODE_FREE_TEXT, 200000);
    double render = run(w, false, MODE_RENDER, 500000);
    printf("pipeline, catalogue texts (retrieval memoized per snapshot): %10.0f requests/s\n",
           healthy);
    printf("pipeline with retrieval_degradation on every request:         %10.0f requests/s (%.2fx)\n",
           faulty, faulty / healthy);
    printf("pipeline, free text (a BM25 search per request):               %10.0f requests/s (%.3fx)\n",
           free_text, free_text / healthy);
    printf("pipeline plus rendering the answer text:                        %10.0f requests/s (%.2fx)\n",
           render, render / healthy);
    printf("pipeline_rps=%.0f pipeline_faulty_rps=%.0f free_text_rps=%.0f render_rps=%.0f "
           "free_text_ratio=%.3f\n",
           healthy, faulty, free_text, render, free_text / healthy);
    mllm_world_free(w);
    return 0;
}
