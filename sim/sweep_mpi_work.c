/* sweep_mpi_work.c — the messages between rank 0 and the workers.
 *
 * A worker says READY (with its last point's status), rank 0 answers WORK
 * (a point and which of its runs are already recorded: --resume) or STOP.
 * Each run a worker finishes goes to rank 0 at once as a RECORD, so rank 0
 * commits it as the threaded runner's writer would; MPI keeps the order of
 * one sender's messages, so a point's records arrive before its READY.
 * Only the main thread of a rank calls MPI (the runner's callbacks run on
 * the calling thread), so MPI_THREAD_FUNNELED is enough.
 *
 * RECORD layout (native byte order: ranks run the same binary): 7 uint64
 * (point, arm, replication, seed, ok, events, flags: 1 values, 2
 * differences, 4 money), wall_seconds (double), the values and differences
 * (n_outputs doubles each, when flagged), the money (two uint64, n_years
 * and n_metrics, then its block: sweep_money.h), then the error text with
 * its NUL (failed runs). */
#include "sweep_mpi.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interrupt.h"
#include "sweep_money.h"

enum { TAG_READY = 1, TAG_WORK, TAG_RECORD, TAG_STOP };
enum { HEADER_WORDS = 7, HEADER_BYTES = HEADER_WORDS * 8 + 8, REASON_BYTES = 1024 };

/* ---- packing a record ---- */

static size_t record_bytes(const sweep *s, const sweep_run_record *r)
{
    size_t n = HEADER_BYTES;
    if (r->values) n += s->n_outputs * sizeof(double);
    if (r->differences) n += s->n_outputs * sizeof(double);
    if (r->money) n += 2 * sizeof(uint64_t) + r->money->block_bytes;
    if (!r->ok) n += strlen(r->error ? r->error : "") + 1;
    return n;
}

static void pack_record(const sweep *s, const sweep_run_record *r, unsigned char *buf)
{
    uint64_t h[HEADER_WORDS] = { r->point,
                                 r->arm,
                                 r->replication,
                                 r->seed,
                                 (uint64_t)r->ok,
                                 r->events,
                                 (r->values ? 1u : 0u) | (r->differences ? 2u : 0u) |
                                     (r->money ? 4u : 0u) };
    memcpy(buf, h, sizeof h);
    memcpy(buf + sizeof h, &r->wall_seconds, sizeof(double));
    unsigned char *p = buf + HEADER_BYTES;
    size_t bytes = s->n_outputs * sizeof(double);
    if (r->values) memcpy(p, r->values, bytes), p += bytes;
    if (r->differences) memcpy(p, r->differences, bytes), p += bytes;
    if (r->money) {
        uint64_t shape[2] = { r->money->n_years, r->money->n_metrics };
        memcpy(p, shape, sizeof shape);
        p += sizeof shape;
        memcpy(p, r->money->block, r->money->block_bytes);
        p += r->money->block_bytes;
    }
    if (!r->ok) {
        const char *e = r->error ? r->error : "";
        memcpy(p, e, strlen(e) + 1);
    }
}

/* The money part of a record at buf + *at into *money (reallocated). 0, or
 * -1 when it does not fit the message or memory. */
static int unpack_money(const unsigned char *buf, size_t len, size_t *at, sweep_run_money *money)
{
    uint64_t shape[2];
    if (len - *at < sizeof shape) return -1;
    memcpy(shape, buf + *at, sizeof shape);
    *at += sizeof shape;
    if (shape[0] > len || shape[1] > len) return -1; /* more than the message could hold */
    sweep_money_free(money);
    if (sweep_money_alloc(money, (size_t)shape[0], (size_t)shape[1]) != 0) return -1;
    if (len - *at < money->block_bytes) return -1;
    memcpy(money->block, buf + *at, money->block_bytes);
    *at += money->block_bytes;
    return 0;
}

/* Reads a record out of buf (len bytes) into r, its values, differences and
 * money into the buffers given. 0, or -1 when the message does not fit the
 * sweep. */
static int unpack_record(const sweep *s, const unsigned char *buf, size_t len, sweep_run_record *r,
                         double *values, double *differences, sweep_run_money *money)
{
    if (len < HEADER_BYTES) return -1;
    uint64_t h[HEADER_WORDS];
    memcpy(h, buf, sizeof h);
    *r = (sweep_run_record){ .point = h[0],
                             .arm = h[1],
                             .replication = (unsigned)h[2],
                             .seed = h[3],
                             .ok = h[4] != 0,
                             .events = h[5] };
    memcpy(&r->wall_seconds, buf + sizeof h, sizeof(double));
    if (h[0] >= s->n_points || h[1] >= s->n_arms || h[2] >= s->replications) return -1;
    size_t bytes = s->n_outputs * sizeof(double), at = HEADER_BYTES;
    if (h[6] & 1u) {
        if (len - at < bytes) return -1;
        memcpy(values, buf + at, bytes);
        r->values = values;
        at += bytes;
    }
    if (h[6] & 2u) {
        if (len - at < bytes) return -1;
        memcpy(differences, buf + at, bytes);
        r->differences = differences;
        at += bytes;
    }
    if (h[6] & 4u) {
        if (unpack_money(buf, len, &at, money) != 0) return -1;
        r->money = money;
    }
    if (!r->ok) {
        if (at >= len || buf[len - 1] != '\0') return -1;
        r->error = (const char *)buf + at;
    }
    return 0;
}

/* ---- the worker ---- */

typedef struct worker_point {
    const sweep *s;
    size_t point;
    const unsigned char *done; /* arms x replications, arm-major */
} worker_point;

static int worker_done(void *ctx, size_t point, size_t arm, unsigned replication)
{
    const worker_point *w = ctx;
    return point == w->point && w->done[arm * w->s->replications + replication];
}

static int worker_record(void *ctx, const sweep_run_record *r, const recorder *series,
                         int64_t start_day, char *err, size_t errlen)
{
    (void)series; /* refused before any run (cli_sweep_mpi) */
    (void)start_day;
    const worker_point *w = ctx;
    size_t n = record_bytes(w->s, r);
    unsigned char *buf = malloc(n);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pack_record(w->s, r, buf);
    int status = MPI_Send(buf, (int)n, MPI_BYTE, 0, TAG_RECORD, MPI_COMM_WORLD);
    free(buf);
    if (status != MPI_SUCCESS) snprintf(err, errlen, "MPI_Send failed");
    return status == MPI_SUCCESS ? 0 : -1;
}

/* READY: an int status, then the reason (status != 0). */
static void send_ready(int status, const char *reason)
{
    char msg[sizeof(int) + REASON_BYTES];
    memcpy(msg, &status, sizeof status);
    size_t n = strlen(reason) + 1;
    if (n > REASON_BYTES) n = REASON_BYTES;
    memcpy(msg + sizeof status, reason, n);
    msg[sizeof status + n - 1] = '\0';
    MPI_Send(msg, (int)(sizeof status + n), MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
}

void sweep_mpi_work(const sweep *s, unsigned threads)
{
    size_t per_point = s->n_arms * s->replications;
    unsigned char *msg = malloc(sizeof(uint64_t) + per_point);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    /* Out of memory: say so; rank 0 stops handing out work and answers STOP. */
    send_ready(msg ? 0 : -1, msg ? "" : "out of memory");
    for (;;) {
        MPI_Status st;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG != TAG_WORK || !msg) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (st.MPI_TAG == TAG_STOP) break;
            continue;
        }
        MPI_Recv(msg, (int)(sizeof(uint64_t) + per_point), MPI_BYTE, 0, TAG_WORK, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        uint64_t point;
        memcpy(&point, msg, sizeof point);
        worker_point w = { .s = s, .point = (size_t)point, .done = msg + sizeof point };
        sweep_run_sink sink = { .ctx = &w, .done = worker_done, .record = worker_record };
        sweep_run_options o = {
            .threads = threads, .shard_k = 1, .shard_n = 1, .stop = interrupt_flag()
        };
        sweep_run_totals t;
        char err[REASON_BYTES];
        int status = sweep_run_points(s, &w.point, 1, &sink, &o, &t, err, sizeof err);
        if (status == 0 && t.stopped) {
            snprintf(err, sizeof err, "rank %d interrupted: its runs in progress were dropped",
                     rank);
            status = -1;
        }
        send_ready(status, status == 0 ? "" : err);
    }
    free(msg);
}

/* ---- rank 0 ---- */

typedef struct dispatcher {
    const sweep *s;
    sweep_store *st;
    size_t next_point;
    unsigned char *work; /* a WORK message: point, then the done flags */
    unsigned char *buf;  /* the message being received */
    size_t buf_cap;
    double *values, *differences;
    sweep_run_money money; /* the last record's */
} dispatcher;

/* The next point with a run not yet recorded as ok, with its flags in
 * D->work; 0, or -1 when none is left. */
static int next_work(dispatcher *D)
{
    const sweep *s = D->s;
    for (; D->next_point < s->n_points; D->next_point++) {
        uint64_t point = D->next_point;
        memcpy(D->work, &point, sizeof point);
        unsigned char *done = D->work + sizeof point;
        size_t missing = 0;
        for (size_t a = 0; a < s->n_arms; a++)
            for (unsigned r = 0; r < s->replications; r++) {
                done[a * s->replications + r] = sweep_store_done(D->st, point, a, r) != 0;
                missing += !done[a * s->replications + r];
            }
        if (missing) {
            D->next_point++;
            return 0;
        }
    }
    return -1;
}

static size_t count_done(const sweep *s, sweep_store *st)
{
    size_t n = 0;
    for (size_t p = 0; p < s->n_points; p++)
        for (size_t a = 0; a < s->n_arms; a++)
            for (unsigned r = 0; r < s->replications; r++) n += sweep_store_done(st, p, a, r) != 0;
    return n;
}

static void fail(sweep_mpi_result *res, char *err, size_t errlen, const char *reason)
{
    if (!res->error) snprintf(err, errlen, "%s", reason);
    res->error = 1;
}

void sweep_mpi_dispatch(const sweep *s, sweep_store *st, int n_ranks, sweep_progress *progress,
                        sweep_mpi_result *res, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(res, 0, sizeof *res);
    size_t per_point = s->n_arms * s->replications, n_out = s->n_outputs ? s->n_outputs : 1;
    dispatcher D = { .s = s, .st = st };
    D.work = malloc(sizeof(uint64_t) + per_point);
    D.values = malloc(n_out * sizeof(double));
    D.differences = malloc(n_out * sizeof(double));
    if (!D.work || !D.values || !D.differences) fail(res, err, errlen, "out of memory");
    res->t.runs = s->n_points * per_point;
    res->t.skipped = count_done(s, st);
    if (progress) progress->total = res->t.runs - res->t.skipped;
    const volatile sig_atomic_t *stop = interrupt_flag();
    int active = n_ranks - 1;
    while (active > 0 && !*stop) {
        int flag = 0;
        MPI_Status ms;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &ms);
        if (!flag) {
            /* Rank 0 only waits: polling (not a blocking receive) so that a
             * signal is seen; 1 ms keeps it off the workers' cores. */
            nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
            continue;
        }
        int count = 0;
        MPI_Get_count(&ms, MPI_BYTE, &count);
        if ((size_t)count + 1 > D.buf_cap) {
            unsigned char *grown = realloc(D.buf, (size_t)count + 1);
            if (!grown) {
                /* The message cannot be taken: workers are left waiting. */
                fail(res, err, errlen, "out of memory");
                res->abort = 1;
                break;
            }
            D.buf = grown;
            D.buf_cap = (size_t)count + 1;
        }
        MPI_Recv(D.buf, count, MPI_BYTE, ms.MPI_SOURCE, ms.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        if (ms.MPI_TAG == TAG_RECORD) {
            sweep_run_record r;
            char why[REASON_BYTES];
            if (res->error || !D.values) continue; /* the store is not written after a failure */
            if (unpack_record(s, D.buf, (size_t)count, &r, D.values, D.differences, &D.money) !=
                0) {
                snprintf(why, sizeof why, "rank %d sent a malformed record", ms.MPI_SOURCE);
                fail(res, err, errlen, why);
            } else if (sweep_store_record(st, &r, why, sizeof why) != 0) {
                fail(res, err, errlen, why);
            } else {
                if (r.ok)
                    res->t.ok++;
                else
                    res->t.failed++;
                if (progress)
                    sweep_progress_update(progress, res->t.ok + res->t.failed, res->t.failed);
            }
        } else if (ms.MPI_TAG == TAG_READY) {
            int status = 0;
            D.buf[count] = '\0';
            if ((size_t)count >= sizeof status) memcpy(&status, D.buf, sizeof status);
            if (status != 0) fail(res, err, errlen, (const char *)D.buf + sizeof status);
            if (!res->error && next_work(&D) == 0) {
                MPI_Send(D.work, (int)(sizeof(uint64_t) + per_point), MPI_BYTE, ms.MPI_SOURCE,
                         TAG_WORK, MPI_COMM_WORLD);
            } else {
                MPI_Send(NULL, 0, MPI_BYTE, ms.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
                active--;
            }
        }
    }
    if (*stop) res->t.stopped = 1;
    free(D.work);
    free(D.buf);
    free(D.values);
    free(D.differences);
    sweep_money_free(&D.money);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->t.wall_seconds =
        (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
}
