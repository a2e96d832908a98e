/* cli_run.c — `placesim run`: validate, simulate the replications, write the
 * run directory atomically, print a one-line summary. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "manifest.h"
#include "outdir.h"
#include "output.h"
#include "summary.h"
#include "targets.h"

typedef struct run_options {
    const char *scenario_path;
    const char *out_dir;
    int force;
    unsigned long long reps;
    unsigned long long seed;
    unsigned long long threads;
    period_kind period;
    cli_overrides overrides;
    cli_memory_limit max_memory;
} run_options;

static const char run_help[] =
    "usage: placesim run SCENARIO [-o DIR] [--force] [--reps N] [--seed S] [-j N]\n"
    "                    [--period day|week|month|quarter|year|fy] [--set key=value]...\n"
    "                    [--max-memory SIZE]\n"
    "\n"
    "Simulates N replications of SCENARIO and writes DIR/series.csv and\n"
    "DIR/manifest.json (DIR is built under a temporary name and renamed when\n"
    "complete).\n"
    "\n"
    "  -o DIR          output directory (default runs/<scenario name>)\n"
    "  --force         replace an existing non-empty DIR\n"
    "  --reps N        replications (default 10)\n"
    "  --seed S        master seed (default 1); replication seeds derive from it\n"
    "  -j N            threads (default: the number of cores); results do not\n"
    "                  depend on it\n"
    "  --period P      output period (default month)\n"
    "  --set key=value override a scenario value (same checks as the file)\n"
    "  --max-memory SIZE  refuse, before it starts, a run whose estimated peak\n"
    "                  memory is above SIZE (K, M, G, T: powers of 1024; default:\n"
    "                  the memory available now); the message says which -j fits\n";

/* Returns 0, EXIT_USAGE after a message, or -1 for --help (printed). */
static int parse_options(int argc, char **argv, run_options *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (run_options){ .reps = 10, .seed = 1, .threads = cores > 0 ? (unsigned long long)cores : 1,
                        .period = PERIOD_MONTH };
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *value;
        int status = 0;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(run_help, stdout);
            return -1;
        } else if (strcmp(arg, "--force") == 0) {
            o->force = 1;
        } else if (cli_is_option(arg, "-o")) {
            if (!(value = cli_option_value(argc, argv, &i, "-o")) || !*value) {
                return cli_usage_error("run", "-o needs a directory");
            }
            o->out_dir = value;
        } else if (cli_is_option(arg, "--reps")) {
            status = cli_option_count("run", argc, argv, &i, "--reps", 1, 1000000, &o->reps);
        } else if (cli_is_option(arg, "--seed")) {
            status = cli_option_count("run", argc, argv, &i, "--seed", 0, UINT64_MAX, &o->seed);
        } else if (cli_is_option(arg, "-j")) {
            status = cli_option_count("run", argc, argv, &i, "-j", 1, 4096, &o->threads);
        } else if (cli_is_option(arg, "--period")) {
            value = cli_option_value(argc, argv, &i, "--period");
            if (!value || period_parse(value, &o->period) != 0) {
                return cli_usage_error("run", "--period is one of day, week, month, quarter, year, "
                                       "fy, not '%s'", value ? value : "");
            }
        } else if (cli_is_option(arg, "--set")) {
            status = cli_overrides_add("run", argc, argv, &i, &o->overrides);
        } else if (cli_is_option(arg, "--max-memory")) {
            status = cli_option_size("run", argc, argv, &i, "--max-memory", &o->max_memory);
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("run", "unknown option '%s'", arg);
        } else if (o->scenario_path) {
            return cli_usage_error("run", "one SCENARIO only; '%s' is a second", arg);
        } else {
            o->scenario_path = arg;
        }
        if (status != 0) return status;
    }
    if (!o->scenario_path) return cli_usage_error("run", "missing SCENARIO");
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* A progress bar with ETA on stderr; installed only when it is a terminal. */
static void show_progress(void *ctx, unsigned done, unsigned total)
{
    const struct timespec *t0 = ctx;
    double elapsed = seconds_since(t0);
    double eta = done ? elapsed * (total - done) / done : 0;
    int width = 30, filled = (int)(width * (double)done / total);
    fprintf(stderr, "\r[%.*s%*s] %u/%u replications, %.0f s elapsed, ETA %.0f s ", filled,
            "##############################", width - filled, "", done, total, elapsed, eta);
    if (done == total) fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* Writes one file of the run directory, and makes it durable before the
 * directory is renamed into place (a crash after the rename must not leave
 * empty files under the final name). On failure: -1 after a message that
 * names the file as it would have been in the final directory (the
 * temporary one is about to be removed) and the system's reason, such as
 * "No space left on device" or "File too large". */
static int write_file(const outdir *od, const char *name,
                      int (*writer)(FILE *, const void *), const void *ctx)
{
    char path[4096];
    if (outdir_tmp_file(od, name, path, sizeof path) != 0) {
        fprintf(stderr, "placesim run: output path too long: %s/%s\n", od->final, name);
        return -1;
    }
    FILE *f = fopen(path, "w");
    int reason = f ? 0 : errno;
    if (f) {
        /* stdio keeps the first failing write's errno until the stream is
         * flushed again; capture it before fclose can overwrite it. */
        errno = 0;
        int status = writer(f, ctx);
        if (status == 0 && fflush(f) != 0) status = -1;
        if (status == 0 && fsync(fileno(f)) != 0) status = -1;
        if (status != 0 || ferror(f)) reason = errno ? errno : EIO;
        if (fclose(f) != 0 && !reason) reason = errno ? errno : EIO;
    }
    if (reason) {
        fprintf(stderr, "placesim run: cannot write %s/%s: %s (nothing was written to %s)\n",
                od->final, name, strerror(reason), od->final);
        return -1;
    }
    return 0;
}

typedef struct series_ctx {
    const char *name;
    const recorder **recs;
    size_t n;
    int64_t start;
} series_ctx;

static int write_series(FILE *f, const void *ctx)
{
    const series_ctx *s = ctx;
    return series_write_csv(f, s->name, s->recs, s->n, s->start);
}

static int write_years(FILE *f, const void *ctx)
{
    const series_ctx *s = ctx;
    fputs(years_csv_header, f);
    for (size_t i = 0; i < s->n; i++) {
        if (years_write_replication(f, s->name, s->recs[i], i + 1, NULL) != 0) return -1;
    }
    return ferror(f) ? -1 : 0;
}

static int write_manifest(FILE *f, const void *ctx) { return manifest_write(f, ctx); }

typedef struct ledger_ctx {
    const char *name;
    const replication_result *results;
    size_t n;
    int64_t start;
} ledger_ctx;

static int write_ledger(FILE *f, const void *ctx)
{
    const ledger_ctx *l = ctx;
    fputs(ledger_csv_header, f);
    for (size_t i = 0; i < l->n; i++) {
        if (ledger_write_rows(f, l->name, i + 1, l->results[i].ledger, l->start) != 0) return -1;
    }
    return ferror(f) ? -1 : 0;
}

int cli_run(int argc, char **argv)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_options o;
    int parsed = parse_options(argc, argv, &o);
    if (parsed != 0) return parsed < 0 ? 0 : parsed;

    if (interrupt_install() != 0) {
        fprintf(stderr, "placesim run: cannot install signal handlers\n");
        return EXIT_FAILURE_DATA;
    }
    loaded_scenario ls;
    if (cli_load_scenario(o.scenario_path, o.overrides.items, o.overrides.n, &ls) != 0) {
        return EXIT_FAILURE_DATA;
    }
    char default_dir[4096];
    if (!o.out_dir) {
        int n = snprintf(default_dir, sizeof default_dir, "runs/%s", scenario_name(ls.scn));
        if (n < 0 || (size_t)n >= sizeof default_dir) {
            fprintf(stderr, "placesim run: scenario name too long for a directory\n");
            cli_free_scenario(&ls);
            return EXIT_FAILURE_DATA;
        }
        o.out_dir = default_dir;
    }
    run_config cfg = { .scn = ls.scn, .place = &ls.place, .models = ls.models, .costs = ls.costs,
                       .n_models = ls.n_models, .master_seed = o.seed, .period = o.period,
                       .stop = interrupt_flag() };
    run_config_dates(&cfg);
    if (cli_memory_check("run", &cfg, (unsigned)o.reps, (unsigned)o.threads, &o.max_memory,
                         NULL) != 0) {
        cli_free_scenario(&ls);
        return EXIT_FAILURE_DATA;
    }
    char err[2048];
    outdir od;
    if (outdir_begin(&od, o.out_dir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "placesim run: %s\n", err);
        cli_free_scenario(&ls);
        return EXIT_FAILURE_DATA;
    }
    if (od.stale_removed) {
        fprintf(stderr, "placesim run: removed %zu temporary director%s beside %s left by runs "
                "that did not finish\n", od.stale_removed, od.stale_removed == 1 ? "y" : "ies",
                od.final);
    }

    if (isatty(STDERR_FILENO)) {
        cfg.progress = show_progress;
        cfg.progress_ctx = &t0;
    }
    unsigned reps = (unsigned)o.reps;
    replication_result *results = calloc(reps, sizeof *results);
    const recorder **recs = calloc(reps, sizeof *recs);
    int status = (results && recs) ? 0 : -1;
    if (status != 0) snprintf(err, sizeof err, "out of memory");
    if (status == 0) {
        status = engine_run_replications(&cfg, reps, (unsigned)o.threads, results, err, sizeof err);
    }
    /* A failure inside a replication names the scenario it came from. */
    if (status != 0 && !interrupt_received())
        fprintf(stderr, "placesim run: %s: %s\n", scenario_path(ls.scn), err);

    target_result *targets = NULL;
    long n_targets = 0;
    if (status == 0 && (n_targets = targets_evaluate(&cfg, results, reps, &targets)) < 0) {
        fprintf(stderr, "placesim run: out of memory evaluating targets\n");
        status = -1;
    }
    if (status == 0) {
        for (unsigned i = 0; i < reps; i++) recs[i] = results[i].rec;
        series_ctx series = { scenario_name(ls.scn), recs, reps, cfg.start_date };
        manifest_info manifest = { .version = PLACESIM_VERSION, .subcommand = "run", .argc = argc, .argv = argv,
                                   .cfg = &cfg, .results = results, .n_reps = reps,
                                   .wall_seconds = seconds_since(&t0), .targets = targets,
                                   .n_targets = (size_t)n_targets };
        ledger_ctx ledgers = { scenario_name(ls.scn), results, reps, cfg.start_date };
        /* An interrupt is looked at between files: each is seconds at most. */
        status = interrupt_received() ? -1 : write_file(&od, "series.csv", write_series, &series);
        if (status == 0 && !interrupt_received())
            status = write_file(&od, "years.csv", write_years, &series);
        if (status == 0 && !interrupt_received())
            status = write_file(&od, "ledger.csv", write_ledger, &ledgers);
        if (status == 0 && !interrupt_received())
            status = write_file(&od, "manifest.json", write_manifest, &manifest);
        if (status == 0 && interrupt_received()) status = -1;
        err[0] = '\0';
        if (status == 0 && outdir_commit(&od, err, sizeof err) != 0) {
            fprintf(stderr, "placesim run: %s\n", err);
            status = -1;
        } else if (status == 0 && err[0]) {
            /* Committed, with a remark (an old copy that could not go). */
            fprintf(stderr, "placesim run: %s\n", err);
        }
    }
    outdir_abandon(&od);
    int signal_number = interrupt_received();
    if (signal_number && status != 0) {
        fprintf(stderr, "placesim run: interrupted by %s; nothing was written to %s\n",
                signal_number == SIGINT ? "SIGINT" : "SIGTERM", o.out_dir);
    }
    if (status == 0) {
        print_run_summary(stdout, &cfg, results, reps, seconds_since(&t0), o.out_dir);
        targets_print(stdout, targets, (size_t)n_targets);
    }
    free(targets);

    for (unsigned i = 0; results && i < reps; i++) replication_result_free(&results[i]);
    free(results);
    free(recs);
    cli_free_scenario(&ls);
    if (signal_number && status != 0) return 128 + signal_number;
    return status == 0 ? 0 : EXIT_FAILURE_DATA;
}
