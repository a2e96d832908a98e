/* fuzz_scenario.c — libFuzzer harness for the scenario loader, as
 * `placesim check SCENARIO --set …` drives it.
 *
 * Input: a scenario file's text, then optionally a line "%%" and one
 * --set override per following line (at most MAX_OVERRIDES; a final empty
 * line is not an override):
 *
 *     areas = ( { name = "A"; population = 1; dwellings = 1; } );
 *     %%
 *     years=3
 *     areas.A.population=0x10
 *
 * The text is written to scenario/fuzz.cfg in a private scratch directory
 * (fuzz_common.h) that also holds what bases, @include and cost_library may
 * name the way the repository's scenarios do:
 *
 *     costs -> <source>/scenarios/costs       borough.cfg -> scenarios/borough.cfg
 *     scenario/fuzz.cfg                       (the input)
 *     scenario/costs -> <source>/scenarios/costs
 *     scenario/borough.cfg, scenario/small.cfg (tests/data/cli), scenario/include_part.cfg
 *     scenario/common.cfg (tests/data/bad, the base of the bad-input corpus; if present)
 *
 * so `base = "../borough.cfg"`, `base = "small.cfg"`, `base = "common.cfg"`,
 * `@include "include_part.cfg"` and `cost_library = "costs/default.cfg"` all
 * resolve.
 * The harness calls cli_load_scenario (registry tables, cost library,
 * place_build, targets_check, each model's check) and, on success, what
 * `check` and `run` do with a loaded scenario before simulating: print,
 * canonical text, dates, check notes and the memory estimate (to
 * /dev/null), and the JSON of
 * manifest.json, which must parse with jansson as outdir.c reads it back
 * (JSON_REJECT_DUPLICATES), or the harness aborts. Errors go to stderr
 * (run.sh passes -close_fd_mask=2 while fuzzing). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dates.h"
#include "engine.h"
#include "fuzz_common.h"

#include <jansson.h>

enum { MAX_OVERRIDES = 8 };

static const char separator[] = "\n%%\n";

static char scenario_file[FUZZ_PATH_BYTES];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir_init("placesim-fuzz-scenario");
    fuzz_subdir("scenario");
    fuzz_link("costs", "scenarios/costs");
    fuzz_link("borough.cfg", "scenarios/borough.cfg");
    fuzz_link("scenario/costs", "scenarios/costs");
    fuzz_link("scenario/borough.cfg", "scenarios/borough.cfg");
    fuzz_link("scenario/small.cfg", "tests/data/cli/small.cfg");
    fuzz_link("scenario/include_part.cfg", "tests/data/scenario/include_part.cfg");
    fuzz_link_to("scenario/common.cfg", "tests/data/bad/common.cfg", 1);
    fuzz_owned_file(scenario_file, "scenario/fuzz.cfg");
    return 0;
}

/* Where the separator starts in data, or size if there is none. */
static size_t find_separator(const uint8_t *data, size_t size)
{
    size_t n = sizeof separator - 1;
    for (size_t i = 0; i + n <= size; i++) {
        if (memcmp(data + i, separator, n) == 0) return i;
    }
    return size;
}

/* The scenario's part of manifest.json must be JSON that outdir.c's reader
 * (jansson, duplicates refused) accepts, or `run --force` could never replace
 * the run. (A string that was not UTF-8 made it invalid until the loader
 * refused such strings: regressions/fuzz_scenario/manifest_json_invalid_utf8.cfg.) */
static void check_json(const scenario *scn)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) fuzz_die("cannot open", "a memory stream");
    scenario_write_json(scn, mem, 2);
    if (fclose(mem) != 0 || !text) fuzz_die("cannot write", "a memory stream");
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        fprintf(stderr, "fuzz: scenario_write_json wrote what jansson refuses (line %d: %s):\n%s\n",
                jerr.line, jerr.text, text);
        abort();
    }
    json_decref(root);
    free(text);
}

/* What `check` (cli_inspect.c) and `run` (manifest.json) do with a scenario
 * that loaded, minus the simulation. */
static void use_loaded(const loaded_scenario *ls)
{
    FILE *null_out = fuzz_devnull();
    scenario_print(ls->scn, null_out);
    check_json(ls->scn);
    free(scenario_canonical_text(ls->scn));
    free(cost_library_canonical_text(ls->costs));
    fputs(scenario_name(ls->scn), null_out);

    run_config cfg = { .scn = ls->scn,
                       .place = &ls->place,
                       .models = ls->models,
                       .n_models = ls->n_models,
                       .costs = ls->costs,
                       .period = PERIOD_MONTH };
    run_config_dates(&cfg);
    char from[11], to[11], warm[11];
    date_format(cfg.start_date, from);
    date_format(cfg.last_date, to);
    date_format(cfg.warmup_first_date, warm);
    fprintf(null_out, "%s %s %s\n", warm, from, to);
    for (size_t i = 0; i < ls->n_models; i++) {
        if (ls->models[i]->check_notes) ls->models[i]->check_notes(ls->scn, &ls->place, null_out);
    }
    /* The estimate `check` states, against a given limit (never the
       machine's available memory, so that each input runs alike): check's
       defaults, and a run as large as the options allow. */
    const cli_memory_limit limit = { .bytes = (size_t)4 << 30, .given = 1 };
    cli_memory_check("check", &cfg, 1, 1, &limit, null_out);
    cfg.period = PERIOD_DAY;
    cli_memory_check("check", &cfg, 1000000, 4096, &limit, null_out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t text_len = find_separator(data, size);
    fuzz_write_file(scenario_file, data, text_len);

    /* The overrides as NUL-terminated strings, in one copy of the rest. */
    const char *overrides[MAX_OVERRIDES];
    size_t n_overrides = 0;
    char *rest = NULL;
    if (text_len < size) {
        size_t start = text_len + sizeof separator - 1;
        size_t rest_len = size - start;
        rest = malloc(rest_len + 1);
        if (!rest) return 0;
        memcpy(rest, data + start, rest_len);
        rest[rest_len] = '\0';
        char *line = rest;
        while (n_overrides < MAX_OVERRIDES && line < rest + rest_len) {
            char *nl = memchr(line, '\n', (size_t)(rest + rest_len - line));
            if (nl) *nl = '\0';
            overrides[n_overrides++] = line;
            if (!nl) break;
            line = nl + 1;
        }
    }

    loaded_scenario ls;
    if (cli_load_scenario(scenario_file, overrides, n_overrides, &ls) == 0) {
        use_loaded(&ls);
        cli_free_scenario(&ls);
    }
    free(rest);
    return 0;
}
