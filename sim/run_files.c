/* run_files.c — series.csv, years.csv and ledger.csv written as
 * replications finish, in replication order, then made durable. */
#if defined(__linux__)
#define _GNU_SOURCE /* sync_file_range */
#endif
#include "run_files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <fcntl.h>
#endif

static const char *const file_names[RUN_FILES] = { "series.csv", "years.csv", "ledger.csv" };

/* The message for a failure on file `name`: it names the file as it would
 * have been in the final directory (the temporary one is about to be
 * removed) and the system's reason, such as "No space left on device" or
 * "File too large". */
static void describe_failure(char *message, size_t len, const char *shown, const char *untouched,
                             const char *name, int reason)
{
    snprintf(message, len, "cannot write %s/%s: %s (nothing was written to %s)", shown, name,
             strerror(reason), untouched);
}

static void fail(run_files *rf, size_t file, int reason)
{
    if (rf->reason) return; /* the first failure is the cause */
    rf->reason = reason ? reason : EIO;
    describe_failure(rf->message, sizeof rf->message, rf->shown, rf->untouched, file_names[file],
                     rf->reason);
}

void run_files_abandon(run_files *rf)
{
    for (size_t i = 0; i < RUN_FILES; i++) {
        if (rf->f[i]) fclose(rf->f[i]);
        rf->f[i] = NULL;
    }
    if (rf->recycling) {
        for (size_t i = 0; i < RUN_FILES; i++) {
            while (rf->n_spare[i]) outbuf_free(&rf->spare[i][--rf->n_spare[i]]);
        }
        pthread_mutex_destroy(&rf->spare_lock);
        rf->recycling = 0;
    }
}

/* A written block to format file i's rows into, or an empty buffer. */
static outbuf take_spare(run_files *rf, size_t i)
{
    outbuf b = OUTBUF_EMPTY;
    if (!rf->recycling) return b;
    pthread_mutex_lock(&rf->spare_lock);
    if (rf->n_spare[i]) b = rf->spare[i][--rf->n_spare[i]];
    pthread_mutex_unlock(&rf->spare_lock);
    b.len = 0;
    return b;
}

/* Keeps a written block of file i for reuse, or frees it. */
static void give_spare(run_files *rf, size_t i, replication_text *t)
{
    outbuf b = { t->data, 0, t->cap, 0 };
    *t = (replication_text){ NULL, 0, 0 };
    if (rf->recycling) {
        pthread_mutex_lock(&rf->spare_lock);
        int kept = rf->n_spare[i] < RUN_FILES_SPARES;
        if (kept) rf->spare[i][rf->n_spare[i]++] = b;
        pthread_mutex_unlock(&rf->spare_lock);
        if (kept) return;
    }
    outbuf_free(&b);
}

int run_files_open(run_files *rf, const char *dir, const char *shown, const char *untouched,
                   const char *scenario, int64_t start_day, const output_filter *filter)
{
    *rf = (run_files){ .dir = dir,
                       .shown = shown,
                       .untouched = untouched,
                       .scenario = scenario ? scenario : "",
                       .start_day = start_day,
                       .filter = filter };
    if (pthread_mutex_init(&rf->spare_lock, NULL) != 0) {
        snprintf(rf->message, sizeof rf->message, "cannot create a mutex");
        rf->reason = EAGAIN;
        return -1;
    }
    rf->recycling = 1;
    static const char *const headers[RUN_FILES] = { series_csv_header, years_csv_header,
                                                    ledger_csv_header };
    for (size_t i = 0; i < RUN_FILES; i++) {
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/%s", dir, file_names[i]);
        if (n < 0 || (size_t)n >= sizeof path) {
            snprintf(rf->message, sizeof rf->message, "output path too long: %s/%s", shown,
                     file_names[i]);
            rf->reason = ENAMETOOLONG;
            run_files_abandon(rf);
            return -1;
        }
        errno = 0;
        rf->f[i] = fopen(path, "w");
        if (!rf->f[i] || fputs(headers[i], rf->f[i]) < 0) {
            fail(rf, i, errno);
            run_files_abandon(rf);
            return -1;
        }
    }
    return 0;
}

int run_files_format(void *ctx, replication_result *result, char *err, size_t errlen)
{
    run_files *rf = ctx;
    replication_result_free_formatted(result);
    replication_text *texts = calloc(RUN_FILES, sizeof *texts);
    int status = texts ? 0 : -1;
    for (size_t i = 0; i < RUN_FILES && status == 0; i++) {
        outbuf text = take_spare(rf, i);
        if (i == RUN_FILE_SERIES)
            status = series_format_replication(&text, rf->scenario, result->rec,
                                               result->replication, rf->start_day, rf->filter);
        else if (i == RUN_FILE_YEARS)
            status = years_format_replication(&text, rf->scenario, result->rec, result->replication,
                                              rf->filter);
        else
            status = ledger_format_rows(&text, rf->scenario, result->replication, result->ledger,
                                        rf->start_day);
        if (status != 0)
            outbuf_free(&text);
        else
            texts[i] = (replication_text){ text.data, text.len, text.cap };
    }
    if (status != 0) {
        for (size_t i = 0; texts && i < RUN_FILES; i++) free(texts[i].data);
        free(texts);
        snprintf(err, errlen, "out of memory formatting replication %u's rows",
                 result->replication);
        return -1;
    }
    result->formatted = texts;
    result->n_formatted = RUN_FILES;
    /* The rows hold the period and year values now: free them while the
     * text waits for its turn. */
    recorder_release(result->rec);
    return 0;
}

/* Starts the disk writing what has been written so far, without waiting,
 * so that the fsync at the end (run_files_close) does not write the whole
 * run at once while every thread but one is idle: 0.09 s of a 1.5 s borough
 * run --reps 20 -j 2, 150 MB. Only a hint: a failure here is found by that
 * fsync. */
static void start_writeback(run_files *rf)
{
#if defined(__linux__)
    for (size_t i = 0; i < RUN_FILES && !rf->reason; i++) {
        if (fflush(rf->f[i]) != 0) continue;
        (void)sync_file_range(fileno(rf->f[i]), 0, 0, SYNC_FILE_RANGE_WRITE);
    }
#else
    (void)rf;
#endif
}

int run_files_sink(void *ctx, replication_result *result, char *err, size_t errlen)
{
    run_files *rf = ctx;
    if (result->n_formatted != RUN_FILES && run_files_format(rf, result, err, errlen) != 0) {
        /* The files are incomplete from here on: the run fails. */
        return -1;
    }
    for (size_t i = 0; i < RUN_FILES && !rf->reason; i++) {
        /* stdio keeps the first failing write's errno until the stream is
         * flushed again; capture it before anything else can change it. */
        errno = 0;
        const replication_text *t = &result->formatted[i];
        if ((t->len && fwrite(t->data, 1, t->len, rf->f[i]) != t->len) || ferror(rf->f[i]))
            fail(rf, i, errno);
    }
    for (size_t i = 0; i < RUN_FILES; i++) give_spare(rf, i, &result->formatted[i]);
    replication_result_free_formatted(result);
    start_writeback(rf);
    if (rf->reason) {
        snprintf(err, errlen, "%s", rf->message);
        return -1;
    }
    return 0;
}

/* Flushes, fsyncs and closes f; the errno of a failure, or 0. */
static int finish(FILE *f)
{
    int reason = 0;
    errno = 0;
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) reason = errno ? errno : EIO;
    if (fclose(f) != 0 && !reason) reason = errno ? errno : EIO;
    return reason;
}

int run_files_close(run_files *rf)
{
    for (size_t i = 0; i < RUN_FILES; i++) {
        if (!rf->f[i]) continue;
        int reason = finish(rf->f[i]);
        rf->f[i] = NULL;
        if (reason) fail(rf, i, reason);
    }
    return rf->reason ? -1 : 0;
}

int run_files_write_whole(const char *dir, const char *shown, const char *untouched,
                          const char *name, int (*writer)(FILE *, const void *), const void *ctx,
                          char *message, size_t messagelen)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        snprintf(message, messagelen, "output path too long: %s/%s", shown, name);
        return -1;
    }
    FILE *f = fopen(path, "w");
    int reason = f ? 0 : errno;
    if (f) {
        errno = 0;
        int status = writer(f, ctx);
        if (status != 0 || ferror(f)) reason = errno ? errno : EIO;
        int closing = finish(f);
        if (!reason) reason = closing;
    }
    if (reason) {
        describe_failure(message, messagelen, shown, untouched, name, reason);
        return -1;
    }
    return 0;
}
