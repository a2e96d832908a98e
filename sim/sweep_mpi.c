/* sweep_mpi.c — `placesim-mpi sweep`: options, loading the sweep on every
 * rank, the store on rank 0, and the outcome (sweep_mpi.h).
 *
 * Every rank parses the same arguments and loads the same file, so they
 * fail alike; only rank 0 prints, so a bad sweep gives one line and not
 * one per rank. Every decision that ends the command early is taken
 * together (a reduction or a broadcast), so no rank is left waiting. */
#include "sweep_mpi.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"

enum { EXIT_RUNS_FAILED = 3, MPI_ERROR_BYTES = 16384 };

typedef struct mpi_options {
    const char *sweep_path, *out_path;
    unsigned long long threads;
    int resume, quiet;
} mpi_options;

static const char mpi_help[] =
    "usage: mpirun -np N placesim-mpi sweep SWEEP -o RESULTS.db [-j N] [--resume] [--quiet]\n"
    "\n"
    "placesim sweep over MPI ranks (README.md, \"Distributed (MPI)\"): rank 0\n"
    "writes RESULTS.db and hands out one point at a time to the other ranks;\n"
    "with one rank, rank 0 runs the sweep itself. The database is the one\n"
    "placesim sweep writes (wall times aside).\n"
    "\n"
    "  -o RESULTS.db   the database to create on rank 0 (an existing file is\n"
    "                  refused unless --resume); on rank 0's local disk\n"
    "  -j N            threads per rank (default 1)\n"
    "  --resume        complete RESULTS.db: runs recorded as ok are skipped\n"
    "  --quiet         no progress on stderr\n"
    "\n"
    "exit status: 0 done; 3 some runs failed; 2 usage; 1 bad sweep file or\n"
    "failure; 130/143 interrupted (finished runs are kept: --resume continues)\n";

/* 0; -1 for --help; EXIT_USAGE with the message in msg. Prints nothing. */
static int parse_options(int argc, char **argv, mpi_options *o, char *msg, size_t msglen)
{
    *o = (mpi_options){ .threads = 1 };
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) return -1;
        if (strcmp(arg, "--resume") == 0) {
            o->resume = 1;
        } else if (strcmp(arg, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "-j") == 0) {
            if (i + 1 >= argc || !argv[i + 1][0]) {
                snprintf(msg, msglen, "%s needs a value", arg);
                return EXIT_USAGE;
            }
            const char *value = argv[++i];
            if (arg[1] == 'o')
                o->out_path = value;
            else if (cli_parse_count(value, 4096, &o->threads) != 0 || o->threads < 1) {
                snprintf(msg, msglen, "-j is a whole number from 1 to 4096, not '%s'", value);
                return EXIT_USAGE;
            }
        } else if (strcmp(arg, "--shard") == 0 || strncmp(arg, "--shard=", 8) == 0) {
            snprintf(msg, msglen, "--shard is not for placesim-mpi (the ranks share the points)");
            return EXIT_USAGE;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            snprintf(msg, msglen, "unknown option '%s'", arg);
            return EXIT_USAGE;
        } else if (o->sweep_path) {
            snprintf(msg, msglen, "one SWEEP file only, not also '%s'", arg);
            return EXIT_USAGE;
        } else {
            o->sweep_path = arg;
        }
    }
    if (!o->sweep_path)
        snprintf(msg, msglen, "missing SWEEP");
    else if (!o->out_path)
        snprintf(msg, msglen, "missing -o RESULTS.db");
    else
        return 0;
    return EXIT_USAGE;
}

/* Nonzero on every rank when any rank passes nonzero (the largest value). */
static int any_rank(int value)
{
    int all = value;
    MPI_Allreduce(&value, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

/* Loads the sweep on every rank and checks that every rank sees rank 0's
 * sweep (sha256). Exit status 0, or EXIT_FAILURE_DATA on every rank after
 * one message from rank 0. */
static int load_everywhere(const mpi_options *o, int rank, sweep *s, char *err)
{
    err[0] = '\0';
    int failed = sweep_load(o->sweep_path, s, err, MPI_ERROR_BYTES) != 0;
    char sha[65] = "";
    if (rank == 0 && !failed) memcpy(sha, s->sha256, sizeof sha);
    MPI_Bcast(sha, sizeof sha, MPI_CHAR, 0, MPI_COMM_WORLD);
    int bad = any_rank(failed || strcmp(sha, s->sha256) != 0 ? rank + 1 : 0);
    if (!bad) return 0;
    if (rank == 0 && failed)
        fprintf(stderr, "%s\n",
                err[0] ? err : "placesim sweep: the sweep file could not be loaded");
    else if (rank == 0)
        fprintf(stderr,
                "placesim sweep: %s: rank %d does not load the same sweep as rank 0 "
                "(another file on its node?)\n",
                o->sweep_path, bad - 1);
    if (!failed) sweep_free(s);
    return EXIT_FAILURE_DATA;
}

/* Rank 0, after the runs: closes the store, says how it went. Exit status. */
static int finish(const sweep *s, sweep_store *st, const mpi_options *o, int n_ranks,
                  const sweep_mpi_result *res, const char *err)
{
    int status = res->error ? EXIT_FAILURE_DATA : 0;
    if (res->error) fprintf(stderr, "placesim sweep: %s: %s\n", o->out_path, err);
    long failed = 0;
    char close_err[2048];
    if (sweep_store_close(st, &failed, close_err, sizeof close_err) != 0) {
        fprintf(stderr, "placesim sweep: %s\n", close_err);
        status = EXIT_FAILURE_DATA;
    }
    const sweep_run_totals *t = &res->t;
    int signal_number = interrupt_received();
    if (signal_number) {
        fprintf(stderr,
                "placesim sweep: interrupted by %s: %zu runs recorded in %s, %zu left; "
                "placesim-mpi sweep %s -o %s --resume completes it\n",
                signal_number == SIGINT ? "SIGINT" : "SIGTERM", t->ok + t->failed, o->out_path,
                t->runs - t->skipped - t->ok - t->failed, o->sweep_path, o->out_path);
        return 128 + signal_number;
    }
    if (res->abort) return EXIT_FAILURE_DATA;
    if (status != 0) return status;
    double rate = t->wall_seconds > 0 ? (double)(t->ok + t->failed) / t->wall_seconds : 0;
    printf("sweep %s: %zu runs (%zu already recorded), %zu ok, %zu failed, %.1f s, "
           "%.2f runs/s on %d rank%s; wrote %s\n",
           s->name, t->runs, t->skipped, t->ok, t->failed, t->wall_seconds, rate, n_ranks,
           n_ranks == 1 ? "" : "s", o->out_path);
    if (failed > 0) {
        fprintf(stderr,
                "placesim sweep: %ld run%s failed (runs.status = 'failed' in %s, with "
                "the error; sweep.failed_runs = %ld)\n",
                failed, failed == 1 ? "" : "s", o->out_path, failed);
        return EXIT_RUNS_FAILED;
    }
    return 0;
}

/* Rank 0: checks the sweep, opens the store, runs (itself with one rank),
 * finishes. Workers meet it at the broadcasts. Exit status. */
static int lead(const sweep *s, const mpi_options *o, int n_ranks, char *err)
{
    sweep_run_options ro = {
        .threads = (unsigned)o->threads, .shard_k = 1, .shard_n = 1, .stop = interrupt_flag()
    };
    sweep_store *st = NULL;
    int ready = sweep_run_check(s, &ro) == 0;
    if (ready &&
        sweep_store_open(o->out_path, s, NULL, o->resume, &st, err, MPI_ERROR_BYTES) != 0) {
        fprintf(stderr, "placesim sweep: %s\n", err);
        ready = 0;
    }
    MPI_Bcast(&ready, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (!ready) return EXIT_FAILURE_DATA;
    sweep_progress progress;
    sweep_progress_mode mode = o->quiet                ? SWEEP_PROGRESS_NONE
                               : isatty(STDERR_FILENO) ? SWEEP_PROGRESS_BAR
                                                       : SWEEP_PROGRESS_LINES;
    sweep_progress_begin(&progress, stderr, mode, 0);
    ro.progress = &progress;
    sweep_mpi_result res;
    memset(&res, 0, sizeof res);
    err[0] = '\0';
    if (n_ranks == 1) {
        res.error = sweep_run(s, st, &ro, &res.t, err, MPI_ERROR_BYTES) != 0;
    } else {
        sweep_mpi_dispatch(s, st, n_ranks, &progress, &res, err, MPI_ERROR_BYTES);
    }
    sweep_progress_end(&progress);
    int status = finish(s, st, o, n_ranks, &res, err);
    /* Workers may be in the middle of a point (a signal) or waiting for a
     * message that will not come (rank 0 out of memory): the store is
     * closed, so ending every rank loses nothing recorded. */
    if (interrupt_received() || res.abort) MPI_Abort(MPI_COMM_WORLD, status);
    return status;
}

static int sweep_mpi_main(int argc, char **argv, int rank, int n_ranks)
{
    mpi_options o;
    char msg[512] = "";
    int parsed = parse_options(argc, argv, &o, msg, sizeof msg);
    if (parsed != 0) {
        if (rank == 0 && parsed < 0) fputs(mpi_help, stdout);
        if (rank == 0 && parsed > 0)
            fprintf(stderr, "placesim sweep: %s (try placesim-mpi sweep --help)\n", msg);
        return parsed < 0 ? 0 : parsed;
    }
    if (any_rank(interrupt_install() != 0)) {
        if (rank == 0) fprintf(stderr, "placesim sweep: cannot install signal handlers\n");
        return EXIT_FAILURE_DATA;
    }
    char *err = malloc(MPI_ERROR_BYTES);
    if (any_rank(err == NULL)) {
        if (rank == 0) fprintf(stderr, "placesim sweep: out of memory\n");
        free(err);
        return EXIT_FAILURE_DATA;
    }
    sweep s;
    int status = load_everywhere(&o, rank, &s, err);
    if (status == 0 && s.keep_series) {
        /* Series rows would have to travel with each record; not done. */
        if (rank == 0)
            fprintf(stderr,
                    "placesim sweep: %s: series = true is not supported by "
                    "placesim-mpi (use placesim sweep --shard K/N and placesim merge)\n",
                    o.sweep_path);
        status = EXIT_FAILURE_DATA;
        sweep_free(&s);
    }
    if (status != 0) {
        free(err);
        return status;
    }
    if (rank == 0) {
        status = lead(&s, &o, n_ranks, err);
    } else {
        int ready = 0;
        MPI_Bcast(&ready, 1, MPI_INT, 0, MPI_COMM_WORLD);
        status = EXIT_FAILURE_DATA;
        if (ready) sweep_mpi_work(&s, (unsigned)o.threads);
    }
    /* Every rank ends with rank 0's status, so mpirun's is that too. */
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    sweep_free(&s);
    free(err);
    return status;
}

int cli_sweep_mpi(int argc, char **argv)
{
    int provided = 0, rank = 0, n_ranks = 1;
    /* Worker threads never call MPI: the main thread does (FUNNELED). */
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "placesim sweep: MPI_Init_thread failed\n");
        return EXIT_FAILURE_DATA;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
    int status;
    if (provided < MPI_THREAD_FUNNELED) {
        if (rank == 0) fprintf(stderr, "placesim sweep: this MPI does not allow threads\n");
        status = EXIT_FAILURE_DATA;
    } else {
        status = sweep_mpi_main(argc, argv, rank, n_ranks);
    }
    MPI_Finalize();
    return status;
}
