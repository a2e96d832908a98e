/* sweep_run.c — a sweep's runs on a pool of threads, recorded by one writer.
 *
 * Units of work are (point, arm, replication), listed point-major (within a
 * point: arm 0's replications first, so that the base values the other arms
 * are paired with come early). Workers take the next unit from a shared
 * counter; each (point, arm) scenario is loaded by the first worker that
 * needs it and freed when that point's last unit of the arm finishes, so
 * only the points in flight hold scenarios.
 *
 * The paired difference of arm a > 0 needs arm 0's values of the same
 * (point, replication): a finished non-base run waits in its replication's
 * slot until the base has finished, then both go to the writer. On --resume
 * a base run already recorded but needed by an unfinished arm is simulated
 * again (not recorded): it is a pure function of its seed.
 *
 * The writer is the calling thread: it owns the store (one SQLite
 * connection), takes finished runs from a queue under the lock and records
 * them with the lock released, so simulating never waits for the disk
 * unless the queue is full (a bound, so that kept series cannot pile up). */
#include "sweep_run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "rng.h"
#include "sweep_money.h"

enum { ARM_NOT_LOADED, ARM_LOADING, ARM_LOADED, ARM_FAILED };
enum { BASE_PENDING, BASE_OK, BASE_NONE };

typedef struct finished finished;
struct finished {
    finished *next;
    size_t point, arm;
    unsigned rep; /* 0-based */
    uint64_t seed;
    int ok;
    int record;  /* 0: simulated again only for its base values */
    int dropped; /* stopped by a signal: not recorded */
    int paired;  /* differences filled */
    char *error; /* failed: the reason */
    double wall_seconds;
    uint64_t events;
    double *values;      /* n_outputs, or NULL */
    double *differences; /* n_outputs (arms > 0), or NULL */
    recorder *rec;       /* kept series: the run's recorder until written */
    int64_t start_day;
    sweep_run_money money; /* keep_money and ok: the run's money by year */
};

typedef struct arm_slot {
    int state;
    char *error; /* ARM_FAILED: why it did not load (one line) */
    loaded_scenario ls;
    run_config cfg;
    size_t remaining; /* units of this (point, arm) not finished */
} arm_slot;

typedef struct rep_slot {
    int base;
    double *base_values; /* n_outputs, owned */
    finished *waiting;   /* arms > 0 finished before the base */
    size_t remaining;
} rep_slot;

typedef struct point_state {
    arm_slot *arms;
    rep_slot *reps;
    size_t remaining;
} point_state;

typedef struct unit {
    size_t local; /* index among the shard's points */
    size_t arm;
    unsigned rep;
    int record;
} unit;

typedef struct runner {
    const sweep *s;
    const sweep_run_options *o;
    const sweep_run_sink *sink;
    const size_t *point_ids; /* per local point: its sweep index */
    unit *units;
    size_t n_units, next;
    size_t *first_unit; /* per local point: its first unit, and how many */
    size_t *n_point_units;
    point_state **points; /* per local point, while in flight */
    size_t n_local;
    pthread_mutex_t lock;
    pthread_cond_t loaded;      /* an arm slot finished loading */
    pthread_cond_t to_write;    /* the queue grew, or a worker ended */
    pthread_cond_t space;       /* the writer emptied the queue */
    cost_metrics money_metrics; /* keep_money: what each run keeps */
    finished *head, *tail;
    size_t queued, queue_cap;
    unsigned workers; /* still running */
    int abort;        /* out of memory or the store failed: no new units */
    char reason[1024];
} runner;

static size_t point_of(const runner *R, size_t local) { return R->point_ids[local]; }

static int stopping(const runner *R) { return R->abort || (R->o->stop && *R->o->stop); }

/* Under the lock: stops handing out units, keeping the first reason. */
static void abort_locked(runner *R, const char *reason)
{
    if (!R->abort) snprintf(R->reason, sizeof R->reason, "%s", reason);
    R->abort = 1;
    pthread_cond_broadcast(&R->space);
    pthread_cond_broadcast(&R->loaded);
}

static void finished_free(finished *f)
{
    if (!f) return;
    free(f->error);
    free(f->values);
    free(f->differences);
    recorder_destroy(f->rec);
    sweep_money_free(&f->money);
    free(f);
}

static char *copy_text(const char *text)
{
    size_t n = strlen(text) + 1;
    char *c = malloc(n);
    if (c) memcpy(c, text, n);
    return c;
}

/* ---- per-point state ---- */

static void point_free(runner *R, point_state *ps)
{
    if (!ps) return;
    for (size_t a = 0; ps->arms && a < R->s->n_arms; a++) {
        if (ps->arms[a].state == ARM_LOADED) cli_free_scenario(&ps->arms[a].ls);
        free(ps->arms[a].error);
    }
    for (unsigned r = 0; ps->reps && r < R->s->replications; r++) {
        free(ps->reps[r].base_values);
        for (finished *f = ps->reps[r].waiting, *next; f; f = next) {
            next = f->next;
            finished_free(f);
        }
    }
    free(ps->arms);
    free(ps->reps);
    free(ps);
}

/* Under the lock: the state of local point i, made with the counts of its
 * units on first use. NULL when out of memory. */
static point_state *point_get(runner *R, size_t i)
{
    if (R->points[i]) return R->points[i];
    point_state *ps = calloc(1, sizeof *ps);
    if (!ps) return NULL;
    ps->arms = calloc(R->s->n_arms, sizeof *ps->arms);
    ps->reps = calloc(R->s->replications, sizeof *ps->reps);
    if (!ps->arms || !ps->reps) {
        point_free(R, ps);
        return NULL;
    }
    for (size_t k = 0; k < R->n_point_units[i]; k++) {
        const unit *u = &R->units[R->first_unit[i] + k];
        ps->arms[u->arm].remaining++;
        ps->reps[u->rep].remaining++;
        ps->remaining++;
    }
    R->points[i] = ps;
    return ps;
}

/* Loads (point, arm)'s scenario with the point's overrides, as `run --set`
 * loads one. 0, or -1 with the reasons (one a line) in err. */
static int load_arm(const runner *R, size_t point, size_t arm, arm_slot *as, char *err,
                    size_t errlen)
{
    char **items = NULL;
    size_t n = 0;
    if (sweep_point_overrides(R->s, point, &items, &n) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int status = cli_load_scenario_quiet(R->s->arms[arm].scenario_path, (const char *const *)items,
                                         n, &as->ls, err, errlen);
    sweep_overrides_free(items, n);
    if (status != 0) return -1;
    as->cfg = (run_config){ .scn = as->ls.scn,
                            .place = &as->ls.place,
                            .models = as->ls.models,
                            .n_models = as->ls.n_models,
                            .costs = as->ls.costs,
                            .master_seed = sweep_run_master_seed(R->s, point),
                            .period = PERIOD_MONTH,
                            .stop = R->o->stop };
    run_config_dates(&as->cfg);
    return 0;
}

/* ---- one run ---- */

static int fail_run(finished *f, const char *reason)
{
    f->ok = 0;
    free(f->values);
    f->values = NULL;
    recorder_destroy(f->rec);
    f->rec = NULL;
    f->error = copy_text(reason);
    return f->error ? 0 : -1;
}

/* Simulates unit u (outside the lock) into a new record. NULL when out of
 * memory; a failing run is a record with its reason. */
static finished *run_unit(runner *R, const unit *u, const arm_slot *as)
{
    const sweep *s = R->s;
    size_t n_out = s->n_outputs;
    finished *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->point = point_of(R, u->local);
    f->arm = u->arm;
    f->rep = u->rep;
    f->record = u->record;
    f->seed = rng_replication_seed(sweep_run_master_seed(s, f->point), u->rep + 1);
    f->values = malloc((n_out ? n_out : 1) * sizeof *f->values);
    if (u->arm > 0) f->differences = malloc((n_out ? n_out : 1) * sizeof *f->differences);
    if (!f->values || (u->arm > 0 && !f->differences)) {
        finished_free(f);
        return NULL;
    }
    if (as->state != ARM_LOADED) {
        char reason[1024];
        snprintf(reason, sizeof reason, "arm %s: %s", s->arms[u->arm].name,
                 as->error ? as->error : "out of memory");
        if (fail_run(f, reason) != 0) {
            finished_free(f);
            return NULL;
        }
        return f;
    }
    replication_result res;
    char err[1024];
    if (engine_run_replication(&as->cfg, u->rep + 1, &res, err, sizeof err) != 0) {
        if (R->o->stop && *R->o->stop) {
            f->dropped = 1;
            return f;
        }
        if (fail_run(f, err) != 0) {
            finished_free(f);
            return NULL;
        }
        return f;
    }
    f->ok = 1;
    f->seed = res.seed;
    f->wall_seconds = res.wall_seconds;
    f->events = res.events;
    for (size_t i = 0; i < n_out && f->ok; i++) {
        if (sweep_summary_value(&s->outputs[i], res.rec, &f->values[i], err, sizeof err) != 0 &&
            fail_run(f, err) != 0) {
            replication_result_free(&res);
            finished_free(f);
            return NULL;
        }
    }
    if (f->ok && s->keep_money && sweep_money_take(res.rec, &R->money_metrics, &f->money) != 0) {
        replication_result_free(&res);
        finished_free(f);
        return NULL;
    }
    if (f->ok && s->keep_series) {
        f->rec = res.rec;
        f->start_day = as->cfg.start_date;
        res.rec = NULL;
    }
    replication_result_free(&res);
    return f;
}

/* ---- hand-over to the writer (under the lock) ---- */

static void enqueue(runner *R, finished *f)
{
    f->next = NULL;
    if (R->tail)
        R->tail->next = f;
    else
        R->head = f;
    R->tail = f;
    R->queued++;
    pthread_cond_signal(&R->to_write);
}

/* A non-base run whose base has finished: its differences, then the writer. */
static void pair_and_enqueue(runner *R, rep_slot *rs, finished *f)
{
    if (rs->base == BASE_OK && f->ok) {
        for (size_t i = 0; i < R->s->n_outputs; i++)
            f->differences[i] = f->values[i] - rs->base_values[i];
        f->paired = 1;
    }
    enqueue(R, f);
}

/* Takes f (finished unit u of point state ps): pairs it, queues it for the
 * writer, and frees what no unit needs any more. */
static void finish_locked(runner *R, const unit *u, point_state *ps, finished *f)
{
    rep_slot *rs = &ps->reps[u->rep];
    arm_slot *as = &ps->arms[u->arm];
    if (f->dropped) {
        finished_free(f);
    } else if (R->s->n_arms == 1) {
        enqueue(R, f);
    } else if (u->arm == 0) {
        rs->base = f->ok ? BASE_OK : BASE_NONE;
        if (f->ok) {
            size_t bytes = (R->s->n_outputs ? R->s->n_outputs : 1) * sizeof(double);
            rs->base_values = malloc(bytes);
            if (rs->base_values)
                memcpy(rs->base_values, f->values, bytes);
            else
                abort_locked(R, "out of memory");
            if (!rs->base_values) rs->base = BASE_NONE;
        }
        for (finished *w = rs->waiting, *next; w; w = next) {
            next = w->next;
            pair_and_enqueue(R, rs, w);
        }
        rs->waiting = NULL;
        if (f->record)
            enqueue(R, f);
        else
            finished_free(f);
    } else if (rs->base != BASE_PENDING) {
        pair_and_enqueue(R, rs, f);
    } else {
        f->next = rs->waiting;
        rs->waiting = f;
    }
    if (--as->remaining == 0 && as->state == ARM_LOADED) {
        cli_free_scenario(&as->ls);
        as->state = ARM_NOT_LOADED;
    }
    if (--rs->remaining == 0) {
        free(rs->base_values);
        rs->base_values = NULL;
    }
    if (--ps->remaining == 0) {
        R->points[u->local] = NULL;
        point_free(R, ps);
    }
}

static void *worker(void *arg)
{
    runner *R = arg;
    pthread_mutex_lock(&R->lock);
    for (;;) {
        while (!stopping(R) && R->queued >= R->queue_cap) pthread_cond_wait(&R->space, &R->lock);
        if (stopping(R) || R->next == R->n_units) break;
        unit u = R->units[R->next++];
        point_state *ps = point_get(R, u.local);
        if (!ps) {
            abort_locked(R, "out of memory");
            break;
        }
        arm_slot *as = &ps->arms[u.arm];
        while (as->state == ARM_LOADING) pthread_cond_wait(&R->loaded, &R->lock);
        if (as->state == ARM_NOT_LOADED) {
            as->state = ARM_LOADING;
            pthread_mutex_unlock(&R->lock);
            char err[1024];
            int status = load_arm(R, point_of(R, u.local), u.arm, as, err, sizeof err);
            if (status != 0) {
                err[strcspn(err, "\n")] = '\0'; /* a run's error is one line */
                as->error = copy_text(err);
            }
            pthread_mutex_lock(&R->lock);
            as->state = status == 0 ? ARM_LOADED : ARM_FAILED;
            pthread_cond_broadcast(&R->loaded);
        }
        pthread_mutex_unlock(&R->lock);
        finished *f = run_unit(R, &u, as);
        pthread_mutex_lock(&R->lock);
        if (!f) {
            abort_locked(R, "out of memory");
            break;
        }
        finish_locked(R, &u, ps, f);
    }
    R->workers--;
    pthread_cond_signal(&R->to_write);
    pthread_mutex_unlock(&R->lock);
    return NULL;
}

/* ---- the writer ---- */

/* Records f through the sink; -1 with err when it fails. */
static int write_one(const runner *R, const finished *f, char *err, size_t errlen)
{
    sweep_run_record r = { .point = f->point,
                           .arm = f->arm,
                           .replication = f->rep,
                           .seed = f->seed,
                           .ok = f->ok,
                           .error = f->error,
                           .wall_seconds = f->wall_seconds,
                           .events = f->events,
                           .values = f->ok ? f->values : NULL,
                           .differences = f->paired ? f->differences : NULL,
                           .money = f->ok && R->s->keep_money ? &f->money : NULL };
    const recorder *series = R->s->keep_series && f->ok ? f->rec : NULL;
    return R->sink->record(R->sink->ctx, &r, series, f->start_day, err, errlen);
}

static void write_loop(runner *R, sweep_run_totals *t)
{
    char err[1024];
    int store_failed = 0;
    pthread_mutex_lock(&R->lock);
    for (;;) {
        while (!R->head && R->workers > 0) pthread_cond_wait(&R->to_write, &R->lock);
        if (!R->head) break;
        finished *batch = R->head;
        R->head = R->tail = NULL;
        R->queued = 0;
        pthread_cond_broadcast(&R->space);
        pthread_mutex_unlock(&R->lock);
        for (finished *f = batch, *next; f; f = next) {
            next = f->next;
            if (!store_failed && write_one(R, f, err, sizeof err) != 0) {
                store_failed = 1;
                pthread_mutex_lock(&R->lock);
                abort_locked(R, err);
                pthread_mutex_unlock(&R->lock);
            } else if (!store_failed) {
                if (f->ok)
                    t->ok++;
                else
                    t->failed++;
            }
            finished_free(f);
        }
        if (R->o->progress) sweep_progress_update(R->o->progress, t->ok + t->failed, t->failed);
        pthread_mutex_lock(&R->lock);
    }
    pthread_mutex_unlock(&R->lock);
}

/* ---- setting up ---- */

/* The units of R's points not yet recorded, point-major. 0 or -1 (no
 * memory). */
static int list_units(runner *R, sweep_run_totals *t)
{
    const sweep *s = R->s;
    size_t per_point = s->n_arms * s->replications;
    t->runs = R->n_local * per_point;
    R->units = malloc((t->runs ? t->runs : 1) * sizeof *R->units);
    R->first_unit = calloc(R->n_local ? R->n_local : 1, sizeof *R->first_unit);
    R->n_point_units = calloc(R->n_local ? R->n_local : 1, sizeof *R->n_point_units);
    R->points = calloc(R->n_local ? R->n_local : 1, sizeof *R->points);
    unsigned char *done = malloc(per_point ? per_point : 1);
    if (!R->units || !R->first_unit || !R->n_point_units || !R->points || !done) {
        free(done);
        return -1;
    }
    for (size_t i = 0; i < R->n_local; i++) {
        size_t point = point_of(R, i);
        R->first_unit[i] = R->n_units;
        for (size_t a = 0; a < s->n_arms; a++)
            for (unsigned r = 0; r < s->replications; r++)
                done[a * s->replications + r] = R->sink->done(R->sink->ctx, point, a, r) != 0;
        for (size_t k = 0; k < per_point; k++) t->skipped += done[k];
        for (size_t a = 0; a < s->n_arms; a++) {
            for (unsigned r = 0; r < s->replications; r++) {
                int record = !done[a * s->replications + r];
                int needed = record;
                /* A recorded base is simulated again for an arm still to run. */
                for (size_t b = 1; a == 0 && b < s->n_arms && !needed; b++)
                    needed = !done[b * s->replications + r];
                if (needed) R->units[R->n_units++] = (unit){ i, a, r, record };
            }
        }
        R->n_point_units[i] = R->n_units - R->first_unit[i];
    }
    free(done);
    return 0;
}

static void runner_free(runner *R)
{
    for (size_t i = 0; R->points && i < R->n_local; i++) point_free(R, R->points[i]);
    for (finished *f = R->head, *next; f; f = next) {
        next = f->next;
        finished_free(f);
    }
    free(R->points);
    free(R->units);
    free(R->first_unit);
    free(R->n_point_units);
    cost_metrics_free(&R->money_metrics);
}

int sweep_run_points(const sweep *s, const size_t *points, size_t n_points,
                     const sweep_run_sink *sink, const sweep_run_options *o, sweep_run_totals *t,
                     char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    runner R = { .s = s, .o = o, .sink = sink, .point_ids = points, .n_local = n_points };
    if (o->threads < 1) {
        snprintf(err, errlen, "bad threads");
        return -1;
    }
    if (list_units(&R, t) != 0 || (s->keep_money && cost_metrics_list(&R.money_metrics) != 0)) {
        runner_free(&R);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (o->progress) o->progress->total = t->runs - t->skipped;
    unsigned threads = o->threads;
    if (threads > R.n_units) threads = R.n_units ? (unsigned)R.n_units : 1;
    R.queue_cap = 4 * (size_t)threads + 4;
    if (pthread_mutex_init(&R.lock, NULL) != 0) {
        runner_free(&R);
        snprintf(err, errlen, "cannot create a mutex");
        return -1;
    }
    int made = 0;
    if (pthread_cond_init(&R.loaded, NULL) == 0) made++;
    if (made == 1 && pthread_cond_init(&R.to_write, NULL) == 0) made++;
    if (made == 2 && pthread_cond_init(&R.space, NULL) == 0) made++;
    pthread_t *ids = made == 3 ? calloc(threads, sizeof *ids) : NULL;
    int status = ids ? 0 : -1;
    if (!ids) snprintf(err, errlen, made == 3 ? "out of memory" : "cannot create a condition");

    pthread_mutex_lock(&R.lock);
    unsigned started = 0;
    for (; status == 0 && started < threads && R.n_units; started++) {
        if (pthread_create(&ids[started], NULL, worker, &R) != 0) break;
        R.workers++;
    }
    if (status == 0 && R.n_units && started == 0) {
        snprintf(err, errlen, "cannot start a thread");
        status = -1;
    }
    pthread_mutex_unlock(&R.lock);
    if (status == 0) write_loop(&R, t);
    for (unsigned i = 0; i < started; i++) pthread_join(ids[i], NULL);
    free(ids);

    if (status == 0 && R.abort) {
        snprintf(err, errlen, "%s", R.reason);
        status = -1;
    }
    if (status == 0 && o->stop && *o->stop) t->stopped = 1;
    if (made >= 3) pthread_cond_destroy(&R.space);
    if (made >= 2) pthread_cond_destroy(&R.to_write);
    if (made >= 1) pthread_cond_destroy(&R.loaded);
    pthread_mutex_destroy(&R.lock);
    runner_free(&R);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    t->wall_seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    return status;
}

/* ---- the threaded runner: a shard's points into the store ---- */

static int store_done(void *ctx, size_t point, size_t arm, unsigned replication)
{
    return sweep_store_done(ctx, point, arm, replication);
}

static int store_record(void *ctx, const sweep_run_record *r, const recorder *series,
                        int64_t start_day, char *err, size_t errlen)
{
    if (series && sweep_store_record_series(ctx, r, series, start_day, err, errlen) != 0) return -1;
    return sweep_store_record(ctx, r, err, errlen);
}

int sweep_run(const sweep *s, sweep_store *st, const sweep_run_options *o, sweep_run_totals *t,
              char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (o->threads < 1 || o->shard_n < 1 || o->shard_k < 1 || o->shard_k > o->shard_n) {
        snprintf(err, errlen, "bad threads or shard");
        return -1;
    }
    size_t first = o->shard_k - 1;
    size_t n = s->n_points > first ? (s->n_points - first + o->shard_n - 1) / o->shard_n : 0;
    size_t *points = malloc((n ? n : 1) * sizeof *points);
    if (!points) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) points[i] = i * o->shard_n + first;
    sweep_run_sink sink = { .ctx = st, .done = store_done, .record = store_record };
    int status = sweep_run_points(s, points, n, &sink, o, t, err, errlen);
    free(points);
    return status;
}

/* ---- checks before the first run ---- */

int sweep_run_check(const sweep *s, const sweep_run_options *o)
{
    size_t point = o->shard_k - 1;
    if (point >= s->n_points) return 0;
    runner R = { .s = s, .o = o };
    int status = 0;
    for (size_t a = 0; a < s->n_arms && status == 0; a++) {
        arm_slot as;
        memset(&as, 0, sizeof as);
        char err[4096];
        if (load_arm(&R, point, a, &as, err, sizeof err) != 0) {
            fprintf(stderr, "%s\nplacesim sweep: %s: arm %s does not load at point %zu\n", err,
                    s->path, s->arms[a].name, point);
            return -1;
        }
        recorder *declared = engine_declared_metrics(&as.cfg, err, sizeof err);
        if (!declared) {
            fprintf(stderr, "placesim sweep: %s: arm %s: %s\n", s->path, s->arms[a].name, err);
            status = -1;
        }
        for (size_t i = 0; declared && i < s->n_outputs; i++) {
            if (sweep_summary_check(&s->outputs[i], declared, as.cfg.start_date, as.cfg.last_date,
                                    err, sizeof err) != 0) {
                fprintf(stderr, "placesim sweep: %s: arm %s: %s\n", s->path, s->arms[a].name, err);
                status = -1;
            }
        }
        recorder_destroy(declared);
        cli_free_scenario(&as.ls);
    }
    return status;
}
