/* fuzz_costs.c — libFuzzer harness for the cost library (sim/costs.h).
 *
 * The input is written as lib.cfg in a private scratch directory
 * (fuzz_common.h) beside default.cfg (scenarios/costs/default.cfg) and
 * small.cfg (tests/data/costs/small.cfg), which `base` may name, and loaded
 * with cost_library_load. A library that loads then goes through what the
 * rest of placesim does with one: the check against the models' needs,
 * lookups, rebasing between price years, the canonical text (the manifest
 * hash) and `describe costs` (to /dev/null). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "costs.h"
#include "fuzz_common.h"
#include "model.h"

enum { ERROR_TEXT_BYTES = 16384 };

static char library_file[FUZZ_PATH_BYTES];
static char err[ERROR_TEXT_BYTES];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir_init("placesim-fuzz-costs");
    fuzz_link("default.cfg", "scenarios/costs/default.cfg");
    fuzz_link("small.cfg", "tests/data/costs/small.cfg");
    fuzz_owned_file(library_file, "lib.cfg");
    return 0;
}

/* Price years worth rebasing to besides each entry's own: the engine's
 * default, years the default library holds or not, and malformed ones. */
static const char *const other_years[] = {
    "2024/25", "2019/20", "1999/00", "2099/00", "2024-25", "", "2024/2",
};

static void use_library(const cost_library *lib)
{
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    model_check_costs(lib, models, n_models, err, sizeof err);

    FILE *null_out = fuzz_devnull();
    fputs(cost_library_path(lib), null_out);
    size_t n = cost_library_count(lib);
    for (size_t i = 0; i < n; i++) {
        const cost_entry *e = cost_library_entry(lib, i);
        const cost_entry *found = cost_library_find(lib, e->name);
        if (!found) fuzz_die("cost_library_find misses", e->name);
        double index = cost_library_index(lib, e->price_year);
        /* A cost at its own price year keeps its value bit for bit
           (costs.h: the ratio is taken first). */
        double same = cost_rebased(lib, e, e->price_year);
        if (index != 0 && same != e->value) fuzz_die("rebasing to its own year changes", e->name);
        for (size_t j = 0; j < n; j++) {
            fprintf(null_out, "%g\n", cost_rebased(lib, e, cost_library_entry(lib, j)->price_year));
        }
        for (size_t j = 0; j < sizeof other_years / sizeof other_years[0]; j++) {
            fprintf(null_out, "%g\n", cost_rebased(lib, e, other_years[j]));
        }
    }
    free(cost_library_canonical_text(lib));
    cost_library_describe(lib, "2024/25", null_out);
    if (n) cost_library_describe(lib, cost_library_entry(lib, 0)->price_year, null_out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write_file(library_file, data, size);
    cost_library *lib = NULL;
    if (cost_library_load(library_file, &lib, err, sizeof err) == 0) {
        if (!lib) fuzz_die("cost_library_load returned 0 and no library for", library_file);
        use_library(lib);
        cost_library_free(lib);
    } else if (lib) {
        fuzz_die("cost_library_load failed but returned a library for", library_file);
    }
    return 0;
}
