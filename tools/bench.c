/* bench.c — benchmark: wall time per replication and events per second.
 *
 *   build/placesim_bench [SCENARIO] [REPLICATIONS] [--set key=value]...
 *
 * Runs the replications one after another on one thread (so the figures are
 * per core) and prints each replication's wall time and events, then the
 * median wall time, events per second, and the cost of a day. Defaults:
 * scenarios/borough.cfg, 5 replications. The last line is for scripts
 * (tools/bench reads it):
 *
 *   summary: reps=R median_s=S min_s=S max_s=S events=N events_per_s=E ns_per_event=T peak_rss_mib=M
 *
 * events and seconds summed over the replications give events_per_s and
 * ns_per_event; peak_rss_mib is this process's peak resident set
 * (getrusage), scenario loading included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <gsl/gsl_errno.h>

#include "alloc_tuning.h"
#include "cli.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    alloc_tune_for_replications();
    const char *path = "scenarios/borough.cfg";
    unsigned long long reps = 5;
    const char *overrides[64];
    size_t n_overrides = 0;
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && n_overrides < 64) {
            overrides[n_overrides++] = argv[++i];
        } else if (positional == 0) {
            path = argv[i];
            positional++;
        } else if (positional == 1 && cli_parse_count(argv[i], 100000, &reps) == 0 && reps > 0) {
            positional++;
        } else {
            fprintf(stderr,
                    "usage: placesim_bench [SCENARIO] [REPLICATIONS] [--set key=value]...\n");
            return 2;
        }
    }
    loaded_scenario ls;
    if (cli_load_scenario(path, overrides, n_overrides, &ls) != 0) return 1;
    run_config cfg = { .scn = ls.scn,
                       .place = &ls.place,
                       .models = ls.models,
                       .costs = ls.costs,
                       .n_models = ls.n_models,
                       .master_seed = 1,
                       .period = PERIOD_MONTH };
    run_config_dates(&cfg);
    double days = (double)(cfg.last_date - cfg.warmup_first_date + 1);
    double *walls = calloc(reps, sizeof *walls);
    double total_wall = 0, total_events = 0;
    printf("benchmark: %s, %llu replications on one thread, %.0f simulated days each "
           "(warm-up included), %lld social dwellings\n",
           path, reps, days, (long long)ls.place.social_dwellings);
    for (unsigned r = 1; r <= reps; r++) {
        replication_result result;
        char err[1024];
        if (engine_run_replication(&cfg, r, &result, err, sizeof err) != 0) {
            fprintf(stderr, "placesim_bench: %s\n", err);
            free(walls);
            cli_free_scenario(&ls);
            return 1;
        }
        walls[r - 1] = result.wall_seconds;
        total_wall += result.wall_seconds;
        total_events += (double)result.events;
        printf("  replication %u: %.4f s, %llu events\n", r, result.wall_seconds,
               (unsigned long long)result.events);
        replication_result_free(&result);
    }
    qsort(walls, reps, sizeof *walls, compare_doubles);
    printf("median wall time per replication: %.4f s\n", walls[reps / 2]);
    printf("events per second: %.3g\n", total_events / total_wall);
    printf("mean cost of a simulated day: %.2f us (%.1f events a day)\n",
           1e6 * total_wall / (days * (double)reps), total_events / (days * (double)reps));
    struct rusage usage;
    double peak_mib = getrusage(RUSAGE_SELF, &usage) == 0 ? (double)usage.ru_maxrss / 1024.0 : 0;
    printf("peak resident memory: %.1f MiB\n", peak_mib);
    printf("summary: reps=%llu median_s=%.6f min_s=%.6f max_s=%.6f events=%.0f events_per_s=%.6g "
           "ns_per_event=%.2f peak_rss_mib=%.1f\n",
           reps, walls[reps / 2], walls[0], walls[reps - 1], total_events,
           total_events / total_wall, 1e9 * total_wall / total_events, peak_mib);
    free(walls);
    cli_free_scenario(&ls);
    return 0;
}
