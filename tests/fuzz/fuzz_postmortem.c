/* fuzz_postmortem.c - libFuzzer target: the post-mortem file loader,
 * sim_pm_doc_load, and its writer sim_pm_doc_save.
 *
 * The input becomes a post-mortem file ({"scenario", "answers",
 * "eval_cases"}) in a private folder and is loaded against the world of
 * assets/. The oracle: an error exactly when it reports, every diagnostic
 * positioned inside the text; on success sim_pm_doc_complete agrees with the
 * answers, and the document survives sim_pm_doc_save + sim_pm_doc_load with
 * the same scenario, answers and eval cases (the GUI saves this file and
 * reads it back). */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_eval_check.h"
#include "sim_postmortem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const mllm_world *w = fuzz_world("assets");
    char file[600], again[600];
    snprintf(file, sizeof file, "%s/postmortem.json", fuzz_tmp_dir());
    snprintf(again, sizeof again, "%s/postmortem-saved.json", fuzz_tmp_dir());
    fuzz_write_file(file, data, size);

    mllm_diags d;
    sim_pm_doc pm;
    mllm_diags_clear(&d);
    int rc = sim_pm_doc_load(file, w, &pm, &d);
    fuzz_check_diags(&d, 0, 0, rc != 0, file, (const char *)data, size, false);
    if (rc == 0) {
        bool complete = true;
        for (int q = 0; q < SIM_PM_QUESTIONS; q++)
            complete &= pm.answer[q] && strlen(pm.answer[q]) >= 20;
        FUZZ_CHECK(sim_pm_doc_complete(&pm) == complete, "sim_pm_doc_complete disagrees");
        FUZZ_CHECK(sim_pm_doc_save(&pm, w, again) == 0, "cannot save the post-mortem");
        sim_pm_doc back;
        mllm_diags_clear(&d);
        rc = sim_pm_doc_load(again, w, &back, &d);
        if (rc != 0)
            mllm_diags_print(&d, stderr);
        FUZZ_CHECK(rc == 0, "a saved post-mortem does not load again");
        FUZZ_CHECK(strcmp(pm.scenario, back.scenario) == 0, "scenario \"%s\" comes back as \"%s\"",
                   pm.scenario, back.scenario);
        for (int q = 0; q < SIM_PM_QUESTIONS; q++) {
            const char *a = pm.answer[q] ? pm.answer[q] : "";
            const char *b = back.answer[q] ? back.answer[q] : "";
            FUZZ_CHECK(strcmp(a, b) == 0, "answer %d changes", q);
        }
        fuzz_check_same_cases(&pm.cases, &back.cases);
        sim_pm_doc_release(&back);
    }
    sim_pm_doc_release(&pm);
    return 0;
}
