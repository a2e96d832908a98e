/* cli_run.c — `placesim run`: validate, simulate the replications, write the
 * run directory atomically, print a one-line summary. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "manifest.h"
#include "outdir.h"
#include "sha256.h"
#include "run_files.h"
#include "run_select.h"
#include "summary.h"
#include "targets.h"

typedef struct run_options {
    const char **scenarios; /* BASE first, then the arms of an experiment */
    size_t n_scenarios;
    const char **metrics; /* --metric, repeatable */
    size_t n_metrics;
    const char **areas; /* --area, repeatable */
    size_t n_areas;
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
    "usage: placesim run SCENARIO [ARM...] [-o DIR] [--force] [--reps N] [--seed S] [-j N]\n"
    "                    [--period day|week|month|quarter|year|fy] [--set key=value]...\n"
    "                    [--metric NAME]... [--area NAME]... [--max-memory SIZE]\n"
    "\n"
    "Simulates N replications of SCENARIO and writes DIR/series.csv,\n"
    "DIR/years.csv, DIR/ledger.csv and DIR/manifest.json (DIR is built under\n"
    "a temporary name and renamed when complete). With ARM scenarios it runs\n"
    "an experiment: every scenario with the same seed, replications and period\n"
    "into DIR/<scenario name>/, and DIR/experiment.json lists them, base first.\n"
    "\n"
    "  -o DIR          output directory (default runs/<scenario name>, or\n"
    "                  runs/<base name>-experiment for an experiment)\n"
    "  --force         replace an existing non-empty DIR that holds a placesim\n"
    "                  run or experiment\n"
    "  --reps N        replications (default 10)\n"
    "  --seed S        master seed (default 1); replication seeds derive from it\n"
    "  -j N            threads (default: the number of cores); results do not\n"
    "                  depend on it\n"
    "  --period P      output period (default month)\n"
    "  --set key=value override a scenario value (same checks as the file), in\n"
    "                  every scenario\n"
    "  --metric NAME   write only this metric to series.csv and years.csv\n"
    "                  (repeatable; default all)\n"
    "  --area NAME     write only this area's rows besides ALL (repeatable;\n"
    "                  default all; ALL alone: --area ALL)\n"
    "  --max-memory SIZE  refuse, before it starts, a run whose estimated peak\n"
    "                  memory is above SIZE (K, M, G, T: powers of 1024; default:\n"
    "                  the memory available now); the message says which -j fits\n";

/* Returns 0, EXIT_USAGE after a message, or -1 for --help (printed). */
static int parse_options(int argc, char **argv, run_options *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (run_options){ .reps = 10,
                        .seed = 1,
                        .threads = cores > 0 ? (unsigned long long)cores : 1,
                        .period = PERIOD_MONTH };
    /* At most argc of each list, so no list can overflow. */
    o->scenarios = calloc((size_t)argc + 1, sizeof *o->scenarios);
    o->metrics = calloc((size_t)argc + 1, sizeof *o->metrics);
    o->areas = calloc((size_t)argc + 1, sizeof *o->areas);
    if (!o->scenarios || !o->metrics || !o->areas) {
        fprintf(stderr, "placesim run: out of memory\n");
        return EXIT_FAILURE_DATA;
    }
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
                return cli_usage_error("run",
                                       "--period is one of day, week, month, quarter, year, "
                                       "fy, not '%s'",
                                       value ? value : "");
            }
        } else if (cli_is_option(arg, "--metric")) {
            if (!(value = cli_option_value(argc, argv, &i, "--metric")) || !*value) {
                return cli_usage_error("run", "--metric needs a metric name");
            }
            o->metrics[o->n_metrics++] = value;
        } else if (cli_is_option(arg, "--area")) {
            if (!(value = cli_option_value(argc, argv, &i, "--area")) || !*value) {
                return cli_usage_error("run", "--area needs an area name");
            }
            o->areas[o->n_areas++] = value;
        } else if (cli_is_option(arg, "--set")) {
            status = cli_overrides_add("run", argc, argv, &i, &o->overrides);
        } else if (cli_is_option(arg, "--max-memory")) {
            status = cli_option_size("run", argc, argv, &i, "--max-memory", &o->max_memory);
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("run", "unknown option '%s'", arg);
        } else {
            o->scenarios[o->n_scenarios++] = arg;
        }
        if (status != 0) return status;
    }
    if (o->n_scenarios == 0) return cli_usage_error("run", "missing SCENARIO");
    return 0;
}

static void free_options(run_options *o)
{
    free(o->scenarios);
    free(o->metrics);
    free(o->areas);
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

/* One scenario of the command line: a plain run, or an arm of an experiment. */
typedef struct run_arm {
    const char *path;
    loaded_scenario ls;
    int loaded;
    run_config cfg;
    run_select select;
    char *summary; /* its summary lines, printed once committed */
    size_t summary_len;
} run_arm;

static int write_manifest(FILE *f, const void *ctx) { return manifest_write(f, ctx); }

/* Simulates an arm's replications into dir (which exists), streaming its
 * rows as replications finish, then writes its manifest. shown is the
 * arm's final directory, untouched the directory being built. Returns 0
 * with the summary lines in a->summary, or -1 after a message on stderr
 * (none for an interrupt: the caller says so). */
static int run_one(run_arm *a, const run_options *o, const char *dir, const char *shown,
                   const char *untouched, int argc, char **argv)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned reps = (unsigned)o->reps;
    replication_result *results = calloc(reps, sizeof *results);
    if (!results) {
        fprintf(stderr, "placesim run: out of memory\n");
        return -1;
    }
    run_files rf;
    if (run_files_open(&rf, dir, shown, untouched, scenario_name(a->ls.scn), a->cfg.start_date,
                       &a->select.filter) != 0) {
        fprintf(stderr, "placesim run: %s\n", rf.message);
        free(results);
        return -1;
    }
    a->cfg.on_result = run_files_sink;
    a->cfg.on_result_ctx = &rf;
    a->cfg.on_format = run_files_format;
    a->cfg.on_format_ctx = &rf;
    char err[2048];
    int status =
        engine_run_replications(&a->cfg, reps, (unsigned)o->threads, results, err, sizeof err);
    a->cfg.on_result = NULL;
    a->cfg.on_result_ctx = NULL;
    a->cfg.on_format = NULL;
    a->cfg.on_format_ctx = NULL;
    if (status != 0) {
        run_files_abandon(&rf);
        /* A write failure names the file; a failure inside a replication
         * names the scenario it came from. */
        if (rf.reason)
            fprintf(stderr, "placesim run: %s\n", rf.message);
        else if (!interrupt_received())
            fprintf(stderr, "placesim run: %s: %s\n", scenario_path(a->ls.scn), err);
        free(results);
        return -1;
    }

    target_result *targets = NULL;
    long n_targets = targets_evaluate(&a->cfg, results, reps, &targets);
    if (n_targets < 0) {
        fprintf(stderr, "placesim run: out of memory evaluating targets\n");
        status = -1;
    }
    /* An interrupt is looked at between files: each is seconds at most. */
    if (status == 0 && interrupt_received()) status = -1;
    if (status == 0 && run_files_close(&rf) != 0) {
        fprintf(stderr, "placesim run: %s\n", rf.message);
        status = -1;
    }
    run_files_abandon(&rf);
    if (status == 0 && !interrupt_received()) {
        manifest_info manifest = { .version = PLACESIM_VERSION,
                                   .subcommand = "run",
                                   .argc = argc,
                                   .argv = argv,
                                   .cfg = &a->cfg,
                                   .results = results,
                                   .n_reps = reps,
                                   .wall_seconds = seconds_since(&t0),
                                   .targets = targets,
                                   .n_targets = (size_t)n_targets };
        char message[2048];
        if (run_files_write_whole(dir, shown, untouched, "manifest.json", write_manifest, &manifest,
                                  message, sizeof message) != 0) {
            fprintf(stderr, "placesim run: %s\n", message);
            status = -1;
        }
    }
    if (status == 0 && interrupt_received()) status = -1;
    if (status == 0) {
        FILE *text = open_memstream(&a->summary, &a->summary_len);
        if (!text) {
            fprintf(stderr, "placesim run: out of memory\n");
            status = -1;
        } else {
            print_run_summary(text, &a->cfg, results, reps, seconds_since(&t0), shown);
            targets_print(text, targets, (size_t)n_targets);
            if (fclose(text) != 0 || !a->summary) status = -1;
        }
    }
    free(targets);
    for (unsigned i = 0; i < reps; i++) replication_result_free(&results[i]);
    free(results);
    return status;
}

/* ---- experiment.json ---- */

typedef struct experiment_ctx {
    const run_arm *arms;
    size_t n;
    const run_options *o;
} experiment_ctx;

static int write_experiment(FILE *f, const void *ctx)
{
    const experiment_ctx *e = ctx;
    fputs("{\n  \"program\": \"placesim\",\n  \"version\": ", f);
    json_write_string(f, PLACESIM_VERSION);
    fprintf(f,
            ",\n  \"master_seed\": \"%llu\",\n  \"replications\": %llu,\n  \"period\": \"%s\","
            "\n  \"arms\": [",
            e->o->seed, e->o->reps, period_name(e->o->period));
    for (size_t i = 0; i < e->n; i++) {
        const run_arm *a = &e->arms[i];
        char *canonical = scenario_canonical_text(a->ls.scn);
        if (!canonical) return -1;
        char hash[65];
        sha256_hex(canonical, strlen(canonical), hash);
        free(canonical);
        fputs(i ? ",\n    { \"name\": " : "\n    { \"name\": ", f);
        json_write_string(f, scenario_name(a->ls.scn));
        fputs(", \"dir\": ", f);
        json_write_string(f, scenario_name(a->ls.scn));
        fputs(", \"scenario\": ", f);
        json_write_string(f, a->path);
        fprintf(f, ", \"scenario_sha256\": \"%s\" }", hash);
    }
    fputs("\n  ]\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- the command ---- */

/* Loads every scenario, refuses two arms of one name, sizes and checks
 * each (memory, --metric, --area). Returns 0 or the exit status after a
 * message. */
static int prepare_arms(run_arm *arms, const run_options *o)
{
    for (size_t i = 0; i < o->n_scenarios; i++) {
        run_arm *a = &arms[i];
        a->path = o->scenarios[i];
        if (cli_load_scenario(a->path, o->overrides.items, o->overrides.n, &a->ls) != 0)
            return EXIT_FAILURE_DATA;
        a->loaded = 1;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(scenario_name(arms[j].ls.scn), scenario_name(a->ls.scn)) == 0) {
                return cli_usage_error("run",
                                       "%s and %s are both named '%s'; the arms of an "
                                       "experiment need different names",
                                       arms[j].path, a->path, scenario_name(a->ls.scn));
            }
        }
    }
    for (size_t i = 0; i < o->n_scenarios; i++) {
        run_arm *a = &arms[i];
        a->cfg = (run_config){ .scn = a->ls.scn,
                               .place = &a->ls.place,
                               .models = a->ls.models,
                               .costs = a->ls.costs,
                               .n_models = a->ls.n_models,
                               .master_seed = o->seed,
                               .period = o->period,
                               .stop = interrupt_flag() };
        run_config_dates(&a->cfg);
        /* The run streams its rows, formatted by the workers (run_one sets
         * the contexts); the memory estimate counts on it. */
        a->cfg.on_result = run_files_sink;
        a->cfg.on_format = run_files_format;
        /* Arms run one after the other, so checking each covers the largest. */
        if (cli_memory_check("run", &a->cfg, (unsigned)o->reps, (unsigned)o->threads,
                             &o->max_memory, NULL) != 0)
            return EXIT_FAILURE_DATA;
        if (o->n_metrics == 0 && o->n_areas == 0) continue;
        char err[1024];
        recorder *declared = engine_declared_metrics(&a->cfg, err, sizeof err);
        if (!declared) {
            fprintf(stderr, "placesim run: %s: %s\n", a->path, err);
            return EXIT_FAILURE_DATA;
        }
        int status = run_select_build(&a->select, declared, o->metrics, o->n_metrics, o->areas,
                                      o->n_areas, err, sizeof err);
        recorder_destroy(declared);
        if (status == 2) return cli_usage_error("run", "%s", err);
        if (status != 0) {
            fprintf(stderr, "placesim run: out of memory\n");
            return EXIT_FAILURE_DATA;
        }
    }
    return 0;
}

static void free_arms(run_arm *arms, size_t n)
{
    for (size_t i = 0; arms && i < n; i++) {
        run_select_free(&arms[i].select);
        free(arms[i].summary);
        if (arms[i].loaded) cli_free_scenario(&arms[i].ls);
    }
    free(arms);
}

/* Runs every arm into the temporary directory of od (an experiment: each
 * in its own subdirectory, then experiment.json). 0 or -1 after a message. */
static int run_arms(run_arm *arms, const run_options *o, const outdir *od, int argc, char **argv)
{
    int experiment = o->n_scenarios > 1;
    for (size_t i = 0; i < o->n_scenarios; i++) {
        if (interrupt_received()) return -1;
        run_arm *a = &arms[i];
        const char *name = scenario_name(a->ls.scn);
        char dir[4096], shown[4096];
        int n1 = snprintf(dir, sizeof dir, "%s/%s", od->tmp, experiment ? name : "");
        int n2 = snprintf(shown, sizeof shown, "%s/%s", od->final, experiment ? name : "");
        if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof dir || (size_t)n2 >= sizeof shown) {
            fprintf(stderr, "placesim run: output path too long: %s/%s\n", od->final, name);
            return -1;
        }
        if (!experiment) { /* no trailing slash for a plain run */
            dir[n1 - 1] = '\0';
            shown[n2 - 1] = '\0';
        } else if (mkdir(dir, 0777) != 0) {
            fprintf(stderr, "placesim run: cannot create %s: %s (nothing was written to %s)\n",
                    shown, strerror(errno), od->final);
            return -1;
        }
        if (run_one(a, o, dir, shown, od->final, argc, argv) != 0) return -1;
    }
    if (!experiment) return 0;
    experiment_ctx ctx = { arms, o->n_scenarios, o };
    char message[2048];
    if (run_files_write_whole(od->tmp, od->final, od->final, "experiment.json", write_experiment,
                              &ctx, message, sizeof message) != 0) {
        fprintf(stderr, "placesim run: %s\n", message);
        return -1;
    }
    return 0;
}

/* The output directory: -o's, or runs/<base name>[-experiment] in
   default_dir. 0, or EXIT_FAILURE_DATA after a message. */
static int settle_out_dir(const run_arm *arms, run_options *o, char *default_dir, size_t size)
{
    if (o->out_dir) return 0;
    int n = snprintf(default_dir, size, "runs/%s%s", scenario_name(arms[0].ls.scn),
                     o->n_scenarios > 1 ? "-experiment" : "");
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "placesim run: scenario name too long for a directory\n");
        return EXIT_FAILURE_DATA;
    }
    o->out_dir = default_dir;
    return 0;
}

/* Runs every arm into od's temporary directory and commits it: 0, or -1
   after a message (nothing committed). */
static int run_and_commit(run_arm *arms, const run_options *o, outdir *od, int argc, char **argv)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (isatty(STDERR_FILENO)) {
        for (size_t i = 0; i < o->n_scenarios; i++) {
            arms[i].cfg.progress = show_progress;
            arms[i].cfg.progress_ctx = &t0;
        }
    }
    int status = run_arms(arms, o, od, argc, argv);
    if (status == 0 && interrupt_received()) status = -1;
    char err[2048] = "";
    if (status == 0 && outdir_commit(od, err, sizeof err) != 0) {
        fprintf(stderr, "placesim run: %s\n", err);
        status = -1;
    } else if (status == 0 && err[0]) {
        /* Committed, with a remark (an old copy that could not go). */
        fprintf(stderr, "placesim run: %s\n", err);
    }
    outdir_abandon(od);
    return status;
}

/* Opens the output directory (outdir.h), runs and commits: 0, -1 after a
   message, or EXIT_FAILURE_DATA when the directory cannot be begun. */
static int run_into_out_dir(run_arm *arms, const run_options *o, int argc, char **argv)
{
    char err[2048];
    outdir od;
    if (outdir_begin(&od, o->out_dir, o->force, err, sizeof err) != 0) {
        fprintf(stderr, "placesim run: %s\n", err);
        return EXIT_FAILURE_DATA;
    }
    if (od.stale_removed) {
        fprintf(stderr,
                "placesim run: removed %zu temporary director%s beside %s left by runs "
                "that did not finish\n",
                od.stale_removed, od.stale_removed == 1 ? "y" : "ies", od.final);
    }
    return run_and_commit(arms, o, &od, argc, argv);
}

static void print_summaries(const run_arm *arms, const run_options *o)
{
    for (size_t i = 0; i < o->n_scenarios; i++) fputs(arms[i].summary, stdout);
    if (o->n_scenarios > 1) {
        printf("experiment: %zu arms (base %s), %llu replications each, seed %llu; wrote %s\n",
               o->n_scenarios, scenario_name(arms[0].ls.scn), o->reps, o->seed, o->out_dir);
    }
}

int cli_run(int argc, char **argv)
{
    run_options o;
    int parsed = parse_options(argc, argv, &o);
    if (parsed != 0) {
        free_options(&o);
        return parsed < 0 ? 0 : parsed;
    }
    if (interrupt_install() != 0) {
        fprintf(stderr, "placesim run: cannot install signal handlers\n");
        free_options(&o);
        return EXIT_FAILURE_DATA;
    }
    run_arm *arms = calloc(o.n_scenarios, sizeof *arms);
    int status = arms ? prepare_arms(arms, &o) : EXIT_FAILURE_DATA;
    if (!arms) fprintf(stderr, "placesim run: out of memory\n");
    char default_dir[4096];
    if (status == 0) status = settle_out_dir(arms, &o, default_dir, sizeof default_dir);
    if (status == 0) status = run_into_out_dir(arms, &o, argc, argv);
    int signal_number = interrupt_received();
    if (signal_number && status == -1) {
        fprintf(stderr, "placesim run: interrupted by %s; nothing was written to %s\n",
                signal_number == SIGINT ? "SIGINT" : "SIGTERM", o.out_dir);
    }
    if (status == 0) print_summaries(arms, &o);
    free_arms(arms, o.n_scenarios);
    free_options(&o);
    if (signal_number && status == -1) return 128 + signal_number;
    return status == -1 ? EXIT_FAILURE_DATA : status; /* usage errors keep their 2 */
}
