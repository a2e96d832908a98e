/* run_files.h — the files of one run directory written as replications
 * finish: series.csv, years.csv and ledger.csv are opened in the temporary
 * directory before the first replication, take each replication's rows in
 * replication order (run_config.on_result), and are made durable before
 * the directory is committed. */
#ifndef PLACESIM_RUN_FILES_H
#define PLACESIM_RUN_FILES_H

#include <pthread.h>
#include <stdio.h>
#include "engine.h"
#include "output.h"

enum { RUN_FILE_SERIES, RUN_FILE_YEARS, RUN_FILE_LEDGER, RUN_FILES };

/* Written blocks kept for reuse, per file: as many as replications can be
 * in flight on a few threads (2 x threads, replications.c); more are freed. */
enum { RUN_FILES_SPARES = 8 };

typedef struct run_files {
    const char *dir;       /* where the files are written (temporary) */
    const char *shown;     /* the directory named in messages (final) */
    const char *untouched; /* "nothing was written to" this */
    const char *scenario;  /* scenario name, the first column */
    int64_t start_day;
    const output_filter *filter;
    FILE *f[RUN_FILES];
    /* Text blocks the sink has written, for the workers to format into
     * again (run_files_open sets this up; without it, blocks are freed):
     * a fresh block of megabytes costs a page fault every 4 kB, which was
     * as much system time as the formatting saved. */
    int recycling;
    pthread_mutex_t spare_lock;
    outbuf spare[RUN_FILES][RUN_FILES_SPARES];
    size_t n_spare[RUN_FILES];
    int reason;         /* errno of the first failure, 0 if none */
    char message[1024]; /* the one-line message of that failure */
} run_files;

/* Creates the three files in dir and writes their headers. Returns 0, or
 * -1 with rf->message set (everything opened is closed). */
int run_files_open(run_files *rf, const char *dir, const char *shown, const char *untouched,
                   const char *scenario, int64_t start_day, const output_filter *filter);

/* run_config.on_format (any thread; of rf it reads the fields set by
 * run_files_open and takes spare blocks under their lock): formats the
 * replication's rows of the three files into result->formatted, then
 * releases its period and year values (recorder_release; run values,
 * events and the ledger stay for the summary and targets). 0, or -1 with
 * "out of memory …" in err (result->formatted left empty). */
int run_files_format(void *rf, replication_result *result, char *err, size_t errlen);

/* run_config.on_result: appends the replication's formatted rows (formatting
 * them first when on_format did not) to the three files and frees them. 0,
 * or -1 with "cannot write …" in err and rf->message (or the reason
 * formatting failed in err). */
int run_files_sink(void *rf, replication_result *result, char *err, size_t errlen);

/* Flushes, fsyncs and closes the files. 0, or -1 with rf->message set. */
int run_files_close(run_files *rf);

/* Closes whatever is open without checking (the run failed), and frees
 * the spare blocks (also after run_files_close). */
void run_files_abandon(run_files *rf);

/* Writes one whole file dir/name with writer and makes it durable (for
 * manifest.json and experiment.json). 0, or -1 with the message in
 * message (naming shown/name and the system's reason). */
int run_files_write_whole(const char *dir, const char *shown, const char *untouched,
                          const char *name, int (*writer)(FILE *, const void *), const void *ctx,
                          char *message, size_t messagelen);

#endif
