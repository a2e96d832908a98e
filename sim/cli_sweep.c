/* cli_sweep.c — `placesim sweep`: load and check the sweep, open the store,
 * run what is left of the shard, say how it went. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "sweep_run.h"

enum { EXIT_RUNS_FAILED = 3, SWEEP_ERROR_BYTES = 16384, SWEEP_MAX_SHARDS = 1000000 };

typedef struct sweep_options {
    const char *sweep_path;
    const char *out_path;
    unsigned long long threads;
    int resume, quiet;
    unsigned long long shard_k, shard_n;
    char shard[48]; /* "K/N" as stored, or "" */
} sweep_options;

static const char sweep_help[] =
    "usage: placesim sweep SWEEP -o RESULTS.db [-j N] [--resume] [--shard K/N] [--quiet]\n"
    "\n"
    "Runs every (point, arm, replication) of the sweep file SWEEP and records\n"
    "each run and its summaries in the SQLite database RESULTS.db as it\n"
    "finishes (README.md, \"Sweeps\"). Results do not depend on -j or --shard.\n"
    "\n"
    "  -o RESULTS.db   the database to create (an existing file is refused\n"
    "                  unless --resume); on a local disk\n"
    "  -j N            threads (default: the number of cores)\n"
    "  --resume        complete RESULTS.db: runs recorded as ok are skipped,\n"
    "                  failed ones run again; a database of another sweep or\n"
    "                  shard is refused\n"
    "  --shard K/N     run only the points with point % N == K - 1 (1 <= K <= N),\n"
    "                  for a job array; combine with placesim merge\n"
    "  --quiet         no progress on stderr\n"
    "\n"
    "exit status: 0 done; 3 some runs failed (recorded with their error);\n"
    "2 usage; 1 bad sweep file or failure; 130/143 interrupted (finished runs\n"
    "are kept: --resume continues)\n";

/* "K/N" with 1 <= K <= N. 0 or -1. */
static int parse_shard(const char *text, sweep_options *o)
{
    const char *slash = text ? strchr(text, '/') : NULL;
    if (!slash || slash == text || (size_t)(slash - text) >= 16) return -1;
    char k[16];
    memcpy(k, text, (size_t)(slash - text));
    k[slash - text] = '\0';
    if (cli_parse_count(k, SWEEP_MAX_SHARDS, &o->shard_k) != 0 ||
        cli_parse_count(slash + 1, SWEEP_MAX_SHARDS, &o->shard_n) != 0 || o->shard_k < 1 ||
        o->shard_k > o->shard_n)
        return -1;
    snprintf(o->shard, sizeof o->shard, "%llu/%llu", o->shard_k, o->shard_n);
    return 0;
}

/* 0, EXIT_USAGE after a message, or -1 for --help (printed). */
static int parse_options(int argc, char **argv, sweep_options *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (sweep_options){ .threads = cores > 0 ? (unsigned long long)cores : 1,
                          .shard_k = 1,
                          .shard_n = 1 };
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *value;
        int status = 0;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(sweep_help, stdout);
            return -1;
        } else if (strcmp(arg, "--resume") == 0) {
            o->resume = 1;
        } else if (strcmp(arg, "--quiet") == 0) {
            o->quiet = 1;
        } else if (cli_is_option(arg, "-o")) {
            if (!(value = cli_option_value(argc, argv, &i, "-o")) || !*value)
                return cli_usage_error("sweep", "-o needs a database file");
            o->out_path = value;
        } else if (cli_is_option(arg, "-j")) {
            status = cli_option_count("sweep", argc, argv, &i, "-j", 1, 4096, &o->threads);
        } else if (cli_is_option(arg, "--shard")) {
            value = cli_option_value(argc, argv, &i, "--shard");
            if (parse_shard(value, o) != 0)
                return cli_usage_error("sweep", "--shard is K/N with 1 <= K <= N <= %d, not '%s'",
                                       SWEEP_MAX_SHARDS, value ? value : "");
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("sweep", "unknown option '%s'", arg);
        } else if (o->sweep_path) {
            return cli_usage_error("sweep", "one SWEEP file only, not also '%s'", arg);
        } else {
            o->sweep_path = arg;
        }
        if (status != 0) return status;
    }
    if (!o->sweep_path) return cli_usage_error("sweep", "missing SWEEP");
    if (!o->out_path) return cli_usage_error("sweep", "missing -o RESULTS.db");
    return 0;
}

/* Runs the sweep into the open store; closes it. Returns the exit status. */
static int run_into(const sweep *s, sweep_store *st, const sweep_options *o)
{
    sweep_progress progress;
    sweep_progress_mode mode = o->quiet                ? SWEEP_PROGRESS_NONE
                               : isatty(STDERR_FILENO) ? SWEEP_PROGRESS_BAR
                                                       : SWEEP_PROGRESS_LINES;
    sweep_progress_begin(&progress, stderr, mode, 0);
    sweep_run_options ro = { .threads = (unsigned)o->threads,
                             .shard_k = (unsigned)o->shard_k,
                             .shard_n = (unsigned)o->shard_n,
                             .stop = interrupt_flag(),
                             .progress = &progress };
    sweep_run_totals t;
    char err[2048];
    int status = sweep_run(s, st, &ro, &t, err, sizeof err);
    sweep_progress_end(&progress);
    if (status != 0) fprintf(stderr, "placesim sweep: %s: %s\n", o->out_path, err);
    long failed = 0;
    char close_err[2048];
    if (sweep_store_close(st, &failed, close_err, sizeof close_err) != 0) {
        fprintf(stderr, "placesim sweep: %s\n", close_err);
        status = -1;
    }
    int signal_number = interrupt_received();
    if (signal_number) {
        fprintf(stderr,
                "placesim sweep: interrupted by %s: %zu runs recorded in %s, %zu left; "
                "placesim sweep %s -o %s --resume%s%s completes it\n",
                signal_number == SIGINT ? "SIGINT" : "SIGTERM", t.ok + t.failed, o->out_path,
                t.runs - t.skipped - t.ok - t.failed, o->sweep_path, o->out_path,
                o->shard[0] ? " --shard " : "", o->shard);
        return 128 + signal_number;
    }
    if (status != 0) return EXIT_FAILURE_DATA;
    double rate = t.wall_seconds > 0 ? (double)(t.ok + t.failed) / t.wall_seconds : 0;
    printf("sweep %s%s%s: %zu runs (%zu already recorded), %zu ok, %zu failed, %.1f s, "
           "%.2f runs/s; wrote %s\n",
           s->name, o->shard[0] ? " shard " : "", o->shard, t.runs, t.skipped, t.ok, t.failed,
           t.wall_seconds, rate, o->out_path);
    if (failed > 0) {
        fprintf(stderr,
                "placesim sweep: %ld run%s failed (runs.status = 'failed' in %s, with "
                "the error; sweep.failed_runs = %ld)\n",
                failed, failed == 1 ? "" : "s", o->out_path, failed);
        return EXIT_RUNS_FAILED;
    }
    return 0;
}

int cli_sweep(int argc, char **argv)
{
    sweep_options o;
    int parsed = parse_options(argc, argv, &o);
    if (parsed != 0) return parsed < 0 ? 0 : parsed;
    if (interrupt_install() != 0) {
        fprintf(stderr, "placesim sweep: cannot install signal handlers\n");
        return EXIT_FAILURE_DATA;
    }
    char *err = malloc(SWEEP_ERROR_BYTES);
    if (!err) {
        fprintf(stderr, "placesim sweep: out of memory\n");
        return EXIT_FAILURE_DATA;
    }
    err[0] = '\0';
    sweep s;
    if (sweep_load(o.sweep_path, &s, err, SWEEP_ERROR_BYTES) != 0) {
        fprintf(stderr, "%s\n",
                err[0] ? err : "placesim sweep: the sweep file could not be loaded");
        free(err);
        return EXIT_FAILURE_DATA;
    }
    sweep_run_options check = { .threads = 1,
                                .shard_k = (unsigned)o.shard_k,
                                .shard_n = (unsigned)o.shard_n };
    int status = 0;
    if (sweep_run_check(&s, &check) != 0) status = EXIT_FAILURE_DATA;
    sweep_store *st = NULL;
    if (status == 0 && sweep_store_open(o.out_path, &s, o.shard[0] ? o.shard : NULL, o.resume, &st,
                                        err, SWEEP_ERROR_BYTES) != 0) {
        fprintf(stderr, "placesim sweep: %s\n", err);
        status = EXIT_FAILURE_DATA;
    }
    free(err);
    if (status == 0) status = run_into(&s, st, &o);
    sweep_free(&s);
    return status;
}
