/* sweep_progress.c — runs done, runs per second and ETA on stderr: a bar
 * redrawn in place on a terminal, a plain line every ~5 s in a log (a batch
 * job's output file should not fill with carriage returns). Called by the
 * sweep's one writer thread only. */
#include "sweep_run.h"

#include <string.h>

static const double BAR_INTERVAL_S = 0.1, LINE_INTERVAL_S = 5.0;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + 1e-9 * (double)(b->tv_nsec - a->tv_nsec);
}

void sweep_progress_format(char *buf, size_t buflen, size_t done, size_t total, size_t failed,
                           double elapsed_seconds)
{
    if (!buf || buflen == 0) return;
    double rate = elapsed_seconds > 0 ? (double)done / elapsed_seconds : 0;
    char failed_text[48] = "";
    if (failed) snprintf(failed_text, sizeof failed_text, " (%zu failed)", failed);
    char eta[48];
    if (done >= total)
        snprintf(eta, sizeof eta, "done in %.0f s", elapsed_seconds);
    else if (rate > 0)
        snprintf(eta, sizeof eta, "ETA %.0f s", (double)(total - done) / rate);
    else
        snprintf(eta, sizeof eta, "ETA unknown");
    snprintf(buf, buflen, "%zu/%zu runs%s, %.1f runs/s, %s", done, total, failed_text, rate, eta);
}

void sweep_progress_begin(sweep_progress *p, FILE *out, sweep_progress_mode mode, size_t total)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->mode = out ? mode : SWEEP_PROGRESS_NONE;
    p->total = total;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    p->shown = p->t0;
}

static void show(sweep_progress *p, double elapsed)
{
    char text[160];
    sweep_progress_format(text, sizeof text, p->done, p->total, p->failed, elapsed);
    if (p->mode == SWEEP_PROGRESS_BAR) {
        enum { WIDTH = 30 };
        int filled = p->total ? (int)(WIDTH * (double)p->done / (double)p->total) : WIDTH;
        fprintf(p->out, "\r[%.*s%*s] %s\033[K", filled, "##############################",
                WIDTH - filled, "", text);
        p->drawn = 1;
    } else {
        fprintf(p->out, "sweep: %s\n", text);
    }
    fflush(p->out);
}

void sweep_progress_update(sweep_progress *p, size_t done, size_t failed)
{
    p->done = done;
    p->failed = failed;
    if (p->mode == SWEEP_PROGRESS_NONE) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since = seconds_between(&p->shown, &now);
    if (since < (p->mode == SWEEP_PROGRESS_BAR ? BAR_INTERVAL_S : LINE_INTERVAL_S)) return;
    p->shown = now;
    show(p, seconds_between(&p->t0, &now));
}

void sweep_progress_end(sweep_progress *p)
{
    if (p->mode == SWEEP_PROGRESS_NONE) return;
    if (p->mode == SWEEP_PROGRESS_BAR) {
        if (p->drawn) fputs("\r\033[K", p->out);
        fflush(p->out);
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    show(p, seconds_between(&p->t0, &now));
}
