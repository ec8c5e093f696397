/* fuzz_eval_set.c - libFuzzer target: the eval-set loader, sim_eval_set_load,
 * and the writer behind it.
 *
 * The input becomes an eval-set file in a private folder and is loaded
 * against the world of assets/. The oracle: an error exactly when it
 * reports, every diagnostic positioned inside the text; and on success the
 * set survives sim_eval_set_save + sim_eval_set_load unchanged (same cases in
 * the same order, same ids, words, segment and assertions), since an eval set
 * is a file that only grows and is rewritten on every append. */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_eval_check.h"
#include "sim_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const mllm_world *w = fuzz_world("assets");
    char file[600], again[600];
    snprintf(file, sizeof file, "%s/eval-set.json", fuzz_tmp_dir());
    snprintf(again, sizeof again, "%s/eval-set-saved.json", fuzz_tmp_dir());
    fuzz_write_file(file, data, size);

    mllm_diags d;
    sim_eval_set set;
    mllm_diags_clear(&d);
    int rc = sim_eval_set_load(file, w, false, &set, &d);
    fuzz_check_diags(&d, 0, 0, rc != 0, file, (const char *)data, size, false);
    if (rc == 0) {
        FUZZ_CHECK(sim_eval_set_save(&set, w, again) == 0, "cannot save the set");
        sim_eval_set back;
        mllm_diags_clear(&d);
        rc = sim_eval_set_load(again, w, false, &back, &d);
        if (rc != 0)
            mllm_diags_print(&d, stderr);
        FUZZ_CHECK(rc == 0, "a saved eval set does not load again");
        fuzz_check_same_cases(&set, &back);
        sim_eval_set_release(&back);
    }
    sim_eval_set_release(&set);
    return 0;
}
