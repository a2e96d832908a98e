/* memory_check.c — the memory estimate of a run against its measured peak.
 *
 *   build/placesim_memory_check [--placesim BINARY] SCENARIO [--reps N] [-j N]
 *                               [--period P] [--set key=value]... [--estimate-only]
 *
 * Loads SCENARIO as `placesim run` does, prints the estimate of
 * memory_estimate.h for the given replications, threads and period, then
 * runs `BINARY run SCENARIO ...` (default: the placesim next to this tool)
 * into a temporary directory as a child process and reads its peak resident
 * set from wait4's rusage (ru_maxrss). One line on stdout:
 *
 *   estimate_MB measured_MB ratio working_MB kept_MB pooled_MB fixed_MB
 *
 * (ratio = estimate / measured). tools/memory_check.sh runs it over the
 * calibration cases. Exit status 0, 1 when the run or the scenario fails,
 * 2 on a usage error. */
#define _DEFAULT_SOURCE /* wait4 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include "cli.h"
#include "memory_estimate.h"
#include "run_files.h"

enum { MAX_ARGS = 600 };

static const double MB = 1024.0 * 1024.0;

static int usage(void)
{
    fprintf(stderr, "usage: placesim_memory_check [--placesim BINARY] SCENARIO [--reps N] [-j N] "
                    "[--period P] [--set key=value]... [--estimate-only]\n");
    return 2;
}

/* Removes the run directory the child wrote (its files, then itself). */
static void remove_run(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* The placesim binary beside this tool's own path. */
static void default_binary(const char *self, char *out, size_t len)
{
    const char *slash = strrchr(self, '/');
    if (slash)
        snprintf(out, len, "%.*s/placesim", (int)(slash - self), self);
    else
        snprintf(out, len, "placesim");
}

/* Never called: marks the estimated run as one that streams its rows. */
static int run_streams(void *ctx, replication_result *result, char *err, size_t errlen)
{
    (void)ctx, (void)result, (void)err, (void)errlen;
    return 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    char binary[4096];
    default_binary(argv[0], binary, sizeof binary);
    const char *scenario_path = NULL;
    unsigned long long reps = 10, threads = 1;
    period_kind period = PERIOD_MONTH;
    const char *period_text = "month";
    const char *overrides[CLI_MAX_OVERRIDES];
    size_t n_overrides = 0;
    int estimate_only = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--placesim") == 0 && i + 1 < argc) {
            snprintf(binary, sizeof binary, "%s", argv[++i]);
        } else if (strcmp(a, "--reps") == 0 && i + 1 < argc) {
            if (cli_parse_count(argv[++i], 1000000, &reps) != 0 || reps == 0) return usage();
        } else if (strcmp(a, "-j") == 0 && i + 1 < argc) {
            if (cli_parse_count(argv[++i], 4096, &threads) != 0 || threads == 0) return usage();
        } else if (strcmp(a, "--period") == 0 && i + 1 < argc) {
            period_text = argv[++i];
            if (period_parse(period_text, &period) != 0) return usage();
        } else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
            if (n_overrides == CLI_MAX_OVERRIDES) return usage();
            overrides[n_overrides++] = argv[++i];
        } else if (strcmp(a, "--estimate-only") == 0) {
            estimate_only = 1;
        } else if (a[0] != '-' && !scenario_path) {
            scenario_path = a;
        } else {
            return usage();
        }
    }
    if (!scenario_path) return usage();

    loaded_scenario ls;
    if (cli_load_scenario(scenario_path, overrides, n_overrides, &ls) != 0) return 1;
    run_config cfg = { .scn = ls.scn,
                       .place = &ls.place,
                       .models = ls.models,
                       .n_models = ls.n_models,
                       .costs = ls.costs,
                       .period = period };
    run_config_dates(&cfg);
    /* `placesim run` streams its rows as replications finish, formatted by
     * its workers; only whether the hooks are set matters to the estimate. */
    cfg.on_result = run_streams;
    cfg.on_format = run_files_format;
    memory_estimate e = memory_estimate_run(&cfg, (unsigned)reps, (unsigned)threads);
    cli_free_scenario(&ls);
    if (estimate_only) {
        printf("%.1f - - %.1f %.1f %.1f %.1f\n", (double)e.total / MB, (double)e.working / MB,
               (double)e.kept / MB, (double)e.pooled / MB, (double)e.fixed / MB);
        return 0;
    }

    char tmp[] = "/tmp/placesim_memory_check_XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    char out_dir[sizeof tmp + 8];
    snprintf(out_dir, sizeof out_dir, "%s/out", tmp);
    char reps_text[32], threads_text[32];
    snprintf(reps_text, sizeof reps_text, "%llu", reps);
    snprintf(threads_text, sizeof threads_text, "%llu", threads);
    const char *args[MAX_ARGS];
    size_t n = 0;
    const char *fixed_args[] = { binary,    "run", scenario_path, "-o",       out_dir,    "--reps",
                                 reps_text, "-j",  threads_text,  "--period", period_text };
    for (size_t k = 0; k < sizeof fixed_args / sizeof fixed_args[0]; k++) args[n++] = fixed_args[k];
    for (size_t k = 0; k < n_overrides && n + 3 < MAX_ARGS; k++) {
        args[n++] = "--set";
        args[n++] = overrides[k];
    }
    args[n] = NULL;

    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        rmdir(tmp);
        return 1;
    }
    if (pid == 0) {
        /* The run's summary line is not wanted here; its errors are. */
        if (!freopen("/dev/null", "w", stdout)) _exit(127);
        execv(binary, (char *const *)args);
        perror(binary);
        _exit(127);
    }
    int status;
    struct rusage usage_of_child;
    if (wait4(pid, &status, 0, &usage_of_child) != pid) {
        perror("wait4");
        return 1;
    }
    remove_run(out_dir);
    rmdir(tmp);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "placesim_memory_check: %s run failed (status %d)\n", binary, status);
        return 1;
    }
    double measured = (double)usage_of_child.ru_maxrss * 1024.0; /* kilobytes on Linux */
    printf("%.1f %.1f %.3f %.1f %.1f %.1f %.1f\n", (double)e.total / MB, measured / MB,
           (double)e.total / measured, (double)e.working / MB, (double)e.kept / MB,
           (double)e.pooled / MB, (double)e.fixed / MB);
    return 0;
}
