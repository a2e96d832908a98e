/* manifest.c — manifest.json. */
#include "manifest.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "output.h"
#include "sha256.h"

static void write_date_field(FILE *out, const char *key, int64_t day, const char *tail)
{
    char text[11];
    date_format(day, text);
    fprintf(out, "  \"%s\": \"%s\"%s\n", key, text, tail);
}

/* The library the run used, where its deflator comes from, and each cost
 * with its value at the run's price year, so that a result can be traced to
 * the exact unit costs and the deflator release behind it. */
static int write_costs(FILE *out, const run_config *cfg)
{
    const cost_library *lib = cfg->costs;
    if (!lib) {
        fputs(",\n  \"costs\": null", out);
        return 0;
    }
    char *canonical = cost_library_canonical_text(lib);
    if (!canonical) return -1;
    char hash[65];
    sha256_hex(canonical, strlen(canonical), hash);
    free(canonical);
    const char *year = scenario_string(cfg->scn, "price_year");
    fputs(",\n  \"costs\": {\n    \"library\": ", out);
    json_write_string(out, cost_library_path(lib));
    fprintf(out, ",\n    \"hash\": \"%s\",\n    \"price_year\": ", hash);
    json_write_string(out, year);
    const cost_deflator_provenance *d = cost_library_deflator(lib);
    fputs(",\n    \"deflator\": {\"release\": ", out);
    json_write_string(out, d->release);
    fputs(", \"source\": ", out);
    json_write_string(out, d->source);
    fputs(", \"grade\": ", out);
    json_write_string(out, d->grade);
    fputs("},\n    \"entries\": {", out);
    for (size_t i = 0; i < cost_library_count(lib); i++) {
        const cost_entry *e = cost_library_entry(lib, i);
        fputs(i ? ",\n      " : "\n      ", out);
        json_write_string(out, e->name);
        fprintf(out, ": {\"value\": %.17g, \"unit\": ", e->value);
        json_write_string(out, e->unit);
        fputs(", \"price_year\": ", out);
        json_write_string(out, e->price_year);
        fputs(", \"grade\": ", out);
        json_write_string(out, e->grade);
        fputs(", \"source\": ", out);
        json_write_string(out, e->source);
        fprintf(out, ", \"rebased\": %.17g}", cost_rebased(lib, e, year));
    }
    fputs(cost_library_count(lib) ? "\n    }\n  }" : "}\n  }", out);
    return 0;
}

int manifest_write(FILE *out, const manifest_info *info)
{
    const run_config *cfg = info->cfg;
    char *canonical = scenario_canonical_text(cfg->scn);
    if (!canonical) return -1;
    char hash[65];
    sha256_hex(canonical, strlen(canonical), hash);
    free(canonical);

    fprintf(out, "{\n  \"program\": \"placesim\",\n  \"version\": ");
    json_write_string(out, info->version);
    fprintf(out, ",\n  \"command\": [\"placesim\", ");
    json_write_string(out, info->subcommand);
    for (int i = 0; i < info->argc; i++) {
        fputs(", ", out);
        json_write_string(out, info->argv[i]);
    }
    fprintf(out, "],\n  \"scenario\": {\n    \"name\": ");
    json_write_string(out, scenario_name(cfg->scn));
    fprintf(out, ",\n    \"path\": ");
    json_write_string(out, scenario_path(cfg->scn));
    fprintf(out,
            ",\n    \"hash_algorithm\": \"sha256 of the canonical resolved scenario "
            "(placesim check without comments)\",\n    \"hash\": \"%s\"\n  },\n",
            hash);
    fprintf(out, "  \"period\": \"%s\",\n", period_name(cfg->period));
    write_date_field(out, "warmup_start", cfg->warmup_first_date, ",");
    write_date_field(out, "start", cfg->start_date, ",");
    write_date_field(out, "end", cfg->last_date, ",");
    fprintf(out, "  \"seed_derivation\": \"replication r: splitmix64_mix(master_seed + "
                 "0x9E3779B97F4A7C15 * r)\",\n");
    /* Seeds are 64-bit: as JSON numbers, most readers would round them to
     * doubles (above 2^53) or refuse them (above 2^63), so they are written
     * as decimal strings. */
    fprintf(out, "  \"master_seed\": \"%" PRIu64 "\",\n  \"replications\": [\n", cfg->master_seed);
    for (unsigned i = 0; i < info->n_reps; i++) {
        const replication_result *r = &info->results[i];
        fprintf(out,
                "    {\"replication\": %u, \"seed\": \"%" PRIu64 "\", \"events\": %" PRIu64
                ", \"wall_seconds\": %.3f}%s\n",
                r->replication, r->seed, r->events, r->wall_seconds,
                i + 1 < info->n_reps ? "," : "");
    }
    fprintf(out, "  ],\n  \"parameters\": ");
    scenario_write_json(cfg->scn, out, 2);
    if (write_costs(out, cfg) != 0) return -1;
    fprintf(out, ",\n  \"targets\": ");
    targets_write_json(out, info->targets, info->n_targets, 2);
    fprintf(out, ",\n  \"budget_events\": [");
    int any = 0;
    for (unsigned i = 0; i < info->n_reps; i++) {
        const replication_result *r = &info->results[i];
        for (size_t e = 0; e < r->n_budget_events; e++) {
            fprintf(out, "%s\n    {\"replication\": %u, \"event\": ", any ? "," : "",
                    r->replication);
            json_write_string(out, r->budget_events[e]);
            fputs("}", out);
            any = 1;
        }
    }
    fprintf(out, "%s]", any ? "\n  " : "");
    fprintf(out, ",\n  \"warnings\": [");
    int first = 1;
    for (unsigned i = 0; i < info->n_reps; i++) {
        for (size_t w = 0; w < info->results[i].n_warnings; w++) {
            fputs(first ? "\n    " : ",\n    ", out);
            char prefix[64];
            snprintf(prefix, sizeof prefix, "replication %u: ", info->results[i].replication);
            size_t need = strlen(prefix) + strlen(info->results[i].warnings[w]) + 1;
            char *text = malloc(need);
            if (!text) return -1;
            snprintf(text, need, "%s%s", prefix, info->results[i].warnings[w]);
            json_write_string(out, text);
            free(text);
            first = 0;
        }
    }
    fprintf(out, "%s],\n  \"wall_seconds\": %.3f\n}\n", first ? "" : "\n  ", info->wall_seconds);
    return ferror(out) ? -1 : 0;
}
