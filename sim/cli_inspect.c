/* cli_inspect.c — `placesim check` and `placesim describe`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "costs.h"
#include "dates.h"
#include "run_files.h"

#ifndef PLACESIM_DEFAULT_COSTS
#define PLACESIM_DEFAULT_COSTS "scenarios/costs/default.cfg"
#endif

static const char *const kind_names[] = {
    [METRIC_COUNT] = "count",           [METRIC_MONEY] = "money",
    [METRIC_LEVEL_END] = "level_end",   [METRIC_LEVEL_MEAN] = "level_mean",
    [METRIC_EVENT_MEAN] = "event_mean", [METRIC_EVENT_MEDIAN] = "event_median",
};

/* Whether the printed value `line` ("path = value;  # FILE:LINE") is a
 * member of a list entry that its model says does not apply to that entry
 * (an intervention's key that its type does not take). */
static int line_applies(const loaded_scenario *ls, const char *line, size_t len)
{
    for (size_t m = 0; m < ls->n_models; m++) {
        const model_def *model = ls->models[m];
        if (!model->entry_key_applies) continue;
        for (size_t i = 0; i < model->params->n_specs; i++) {
            const param_spec *spec = &model->params->specs[i];
            size_t lp = strlen(spec->path);
            if (spec->type != PARAM_LIST || strchr(spec->path, '*') || lp >= len ||
                strncmp(line, spec->path, lp) != 0 || line[lp] != '.') {
                continue;
            }
            const scn_node *list = scenario_find(ls->scn, spec->path);
            const char *rest = line + lp + 1;
            for (size_t k = 0; list && k < list->n_children; k++) {
                const scn_node *entry = list->children[k];
                const scn_node *name = scn_member(entry, "name");
                if (!name || name->type != SCN_STRING) continue;
                size_t ln = strlen(name->string_value);
                if (strncmp(rest, name->string_value, ln) != 0 || rest[ln] != '.') continue;
                const char *key = rest + ln + 1;
                const char *eq = strstr(key, " = ");
                size_t lk = eq ? (size_t)(eq - key) : 0;
                if (!eq || memchr(key, '.', lk)) continue; /* another entry's, or nested */
                char member[128];
                if (lk >= sizeof member) continue;
                memcpy(member, key, lk);
                member[lk] = '\0';
                return model->entry_key_applies(spec->path, entry, member);
            }
        }
    }
    return 1;
}

/* The resolved values as scenario_print writes them, less the list members
 * that do not apply to their entry. */
static void print_applicable(const loaded_scenario *ls, FILE *out)
{
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem) {
        scenario_print(ls->scn, out);
        return;
    }
    scenario_print(ls->scn, mem);
    if (fclose(mem) != 0 || !text) {
        free(text);
        scenario_print(ls->scn, out);
        return;
    }
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line + 1) : strlen(line);
        if (line_applies(ls, line, len)) fwrite(line, 1, len, out);
        line += len;
    }
    free(text);
}

/* "# models: A, B, C (always); not run: D": the models the run holds (in
 * phase order), then the registry's others. */
static void print_models_run(const loaded_scenario *ls, FILE *out)
{
    size_t n;
    const model_def *const *registry = model_registry(&n);
    fputs("# models:", out);
    for (size_t i = 0; i < ls->n_models; i++) {
        fprintf(out, "%s %s%s", i ? "," : "", ls->models[i]->name,
                ls->models[i]->always_runs ? " (always)" : "");
    }
    const char *sep = "; not run:";
    for (size_t i = 0; i < n; i++) {
        int runs = 0;
        for (size_t k = 0; k < ls->n_models; k++) runs |= ls->models[k] == registry[i];
        if (runs) continue;
        fprintf(out, "%s %s", sep, registry[i]->name);
        sep = ",";
    }
    fputs("\n", out);
}

/* Never called: check runs nothing. Set, with run_files_format (never
 * called either), so that the memory estimate prices the run as `placesim
 * run` makes it, its workers formatting each replication's rows, written as
 * it finishes (memory_estimate.c reads a sink as streaming). */
static int as_run_streams(void *ctx, replication_result *result, char *err, size_t errlen)
{
    (void)ctx;
    (void)result;
    (void)err;
    (void)errlen;
    return 0;
}

int cli_check(int argc, char **argv)
{
    const char *path = NULL;
    cli_overrides overrides = { 0 };
    cli_memory_limit max_memory = { 0 };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned long long reps = 10, threads = cores > 0 ? (unsigned long long)cores : 1;
    period_kind period = PERIOD_MONTH;
    for (int i = 0; i < argc; i++) {
        int status = 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            puts("usage: placesim check SCENARIO [--set key=value]... [--reps N] [-j N]\n"
                 "                      [--period P] [--max-memory SIZE]\n"
                 "Validates the scenario (and its bases and overrides) and prints every\n"
                 "resolved value with the file and line that set it (of an intervention,\n"
                 "the keys its type takes), warnings (# warning: ...), then the estimated\n"
                 "peak memory of `placesim run` with the same --reps, -j and --period\n"
                 "(defaults as for run). Exit 0 when valid and within the memory limit\n"
                 "(--max-memory, default the memory available now), 1 with one line per\n"
                 "error (FILE:LINE: key: what is wrong) otherwise.");
            return 0;
        }
        if (cli_is_option(argv[i], "--set")) {
            status = cli_overrides_add("check", argc, argv, &i, &overrides);
        } else if (cli_is_option(argv[i], "--reps")) {
            status = cli_option_count("check", argc, argv, &i, "--reps", 1, 1000000, &reps);
        } else if (cli_is_option(argv[i], "-j")) {
            status = cli_option_count("check", argc, argv, &i, "-j", 1, 4096, &threads);
        } else if (cli_is_option(argv[i], "--period")) {
            const char *value = cli_option_value(argc, argv, &i, "--period");
            if (!value || period_parse(value, &period) != 0)
                return cli_usage_error("check",
                                       "--period is one of day, week, month, quarter, "
                                       "year, fy, not '%s'",
                                       value ? value : "");
        } else if (cli_is_option(argv[i], "--max-memory")) {
            status = cli_option_size("check", argc, argv, &i, "--max-memory", &max_memory);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("check", "unknown option '%s'", argv[i]);
        } else if (path) {
            return cli_usage_error("check", "one SCENARIO only; '%s' is a second", argv[i]);
        } else {
            path = argv[i];
        }
        if (status != 0) return status;
    }
    if (!path) return cli_usage_error("check", "missing SCENARIO");
    loaded_scenario ls;
    if (cli_load_scenario(path, overrides.items, overrides.n, &ls) != 0) return EXIT_FAILURE_DATA;
    run_config cfg = { .scn = ls.scn,
                       .place = &ls.place,
                       .models = ls.models,
                       .n_models = ls.n_models,
                       .costs = ls.costs,
                       .period = period,
                       .on_result = as_run_streams,
                       .on_format = run_files_format };
    run_config_dates(&cfg);
    /* A refusal is one line on stderr and nothing on stdout, like every
     * other; the estimate is printed with the listing when it fits. */
    if (cli_memory_check("check", &cfg, (unsigned)reps, (unsigned)threads, &max_memory, NULL) !=
        0) {
        cli_free_scenario(&ls);
        return EXIT_FAILURE_DATA;
    }
    print_applicable(&ls, stdout);

    char from[11], to[11], warm[11];
    date_format(cfg.start_date, from);
    date_format(cfg.last_date, to);
    date_format(cfg.warmup_first_date, warm);
    printf("# valid: %s; %zu areas, %lld residents, %lld dwellings, %lld social; "
           "warm-up from %s, written %s to %s\n",
           scenario_name(ls.scn), ls.place.n_areas, (long long)ls.place.population,
           (long long)ls.place.dwellings, (long long)ls.place.social_dwellings, warm, from, to);
    print_models_run(&ls, stdout);
    for (size_t i = 0; i < ls.n_models; i++) {
        if (ls.models[i]->check_notes) ls.models[i]->check_notes(ls.scn, &ls.place, stdout);
    }
    (void)cli_memory_check("check", &cfg, (unsigned)reps, (unsigned)threads, &max_memory, stdout);
    cli_free_scenario(&ls);
    return 0;
}

/* The default library, each cost also at the engine's default price_year. */
static int describe_costs(void)
{
    const char *year = NULL;
    for (size_t i = 0; i < engine_param_table.n_specs; i++) {
        if (strcmp(engine_param_table.specs[i].path, "price_year") == 0) {
            year = engine_param_table.specs[i].default_value;
        }
    }
    char err[4096];
    cost_library *lib;
    const char *path = PLACESIM_DEFAULT_COSTS;
    if (cost_library_load(path, &lib, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_FAILURE_DATA;
    }
    printf("UNIT COSTS\n  A scenario names its library with cost_library and the price year of "
           "its money with price_year; grades: A confirmed, B secondary, C assumption.\n\n");
    cost_library_describe(lib, year, stdout);
    cost_library_free(lib);
    return 0;
}

/* A type's own keys, as it reads them, after what it does and how it is paid. */
static void describe_intervention_type(const intervention_type *t)
{
    printf("\nINTERVENTION TYPE %s (carried out by this model)\n  %s\n", t->name, t->doc);
    if (t->unit_cost) {
        printf("  unit cost %s, paid %s\n", t->unit_cost,
               t->payment == PAY_PER_CASE ? "per case at intake" : "daily");
    } else {
        printf("  no unit cost: cost_per_day and cost_setup only\n");
    }
    param_table keys = { t->name, t->keys, t->n_keys };
    param_table_describe(&keys, stdout);
}

static void describe_model(const model_def *m)
{
    printf("MODEL %s\n  %s\n\n", m->name, m->doc);
    if (m->always_runs) {
        printf("  Runs in every run (the scenario's `models` key does not choose it); random "
               "stream id %u.\n\n",
               (unsigned)m->stream_id);
    } else {
        printf("  Runs when the scenario's `models` key lists it, or is empty (every model); "
               "random stream id %u.\n\n",
               (unsigned)m->stream_id);
    }
    printf("PARAMETERS\n");
    param_table_describe(m->params, stdout);
    printf("\nMETRICS (per area and ALL unless marked ALL only)\n");
    for (size_t i = 0; i < m->metrics->n_specs; i++) {
        const metric_spec *s = &m->metrics->specs[i];
        printf("  %-24s %-12s %-32s %s%s\n", s->name, kind_names[s->kind], s->unit,
               s->all_only ? "[ALL only] " : "", s->doc);
    }
    if (m->n_unit_costs) {
        printf("\nUNIT COSTS (from the cost library: placesim describe costs)\n ");
        for (size_t i = 0; i < m->n_unit_costs; i++) printf(" %s", m->unit_costs[i]);
        printf("\n");
    }
    for (size_t i = 0; i < m->n_intervention_types; i++)
        describe_intervention_type(m->intervention_types[i]);
    printf("\n");
}

int cli_describe(int argc, char **argv)
{
    if (argc > 0 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
        puts("usage: placesim describe [MODEL]\n"
             "Lists the engine's and every model's parameters (type, unit, range,\n"
             "default, source) and metrics (kind, unit); with MODEL, that model only\n"
             "(\"engine\" for the engine's own keys; \"costs\" for the default cost\n"
             "library: each unit cost with its price year, grade and source).");
        return 0;
    }
    if (argc > 1) {
        return cli_usage_error("describe", "at most one MODEL");
    }
    if (argc == 1 && strcmp(argv[0], "costs") == 0) return describe_costs();
    size_t n;
    const model_def *const *models = model_registry(&n);
    const char *only = argc == 1 ? argv[0] : NULL;
    int found = 0;
    if (!only || strcmp(only, "engine") == 0) {
        printf("ENGINE\n  The run's dates and the place. Rates are per year of 365.25 days "
               "unless a key names another unit.\n\nPARAMETERS\n");
        param_table_describe(&engine_param_table, stdout);
        printf("\n");
        found = 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (only && strcmp(only, models[i]->name) != 0) continue;
        describe_model(models[i]);
        found = 1;
    }
    if (!found) {
        fprintf(stderr, "placesim describe: no model '%s'; models:", only);
        for (size_t i = 0; i < n; i++) fprintf(stderr, " %s", models[i]->name);
        fprintf(stderr, " (and engine, costs)\n");
        return EXIT_USAGE;
    }
    return 0;
}
