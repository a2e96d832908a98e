/* sweep_store.h — a sweep's results in one SQLite database (RESULTS.db).
 *
 * The tables, columns and the results_wide view are a contract, written in
 * README.md § "Sweep results (SQLite)". The database is in WAL mode with
 * synchronous=FULL: each finished run (its runs row, its summaries and, when
 * kept, its series rows) is one transaction, so a sweep killed at any moment
 * (SIGKILL included) loses only the runs in progress, and a committed run
 * survives a power cut too. WAL needs a local disk.
 *
 * Threads: every function but open and close may be called from several
 * threads at once; the store serialises them (one SQLite connection). */
#ifndef PLACESIM_SWEEP_STORE_H
#define PLACESIM_SWEEP_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "sweep.h"

struct recorder;
struct sweep_run_money;

/* The schema's version, in PRAGMA user_version: a database with another
 * value is refused by --resume and merge. */
enum { SWEEP_STORE_SCHEMA_VERSION = 2 };

typedef struct sweep_store sweep_store;

typedef struct sweep_run_record {
    size_t point, arm;
    unsigned replication;
    uint64_t seed;
    int ok;
    const char *error; /* failed: the one-line reason */
    double wall_seconds;
    uint64_t events;
    const double *values;                /* n_outputs, NaN = NA (NULL when failed) */
    const double *differences;           /* n_outputs, or NULL (base arm, or failed) */
    const struct sweep_run_money *money; /* the sweep keeps money and the run is ok:
                                             its cost-benefit money (sweep_money.h); else NULL */
} sweep_run_record;

/* Creates RESULTS.db for sweep s (refusing an existing file unless resume),
 * or with resume reopens it, refusing one made from another sweep (sha256)
 * or another shard, naming both. shard "K/N" or NULL. With resume and no
 * file (or an empty one, left by a sweep killed while creating it) the
 * database is created. A merged database ("merged from N shards") resumes
 * with shard NULL. Creation writes the sweep, parameters, arms, points,
 * point_values and outputs rows and the results_wide view in one
 * transaction; on failure a file it created is removed. Returns 0 and
 * *out (close with sweep_store_close), or -1 with a one-line message
 * naming the file. The store keeps no pointer to s. */
int sweep_store_open(const char *path, const sweep *s, const char *shard, int resume,
                     sweep_store **out, char *err, size_t errlen);

/* Nonzero when (point, arm, replication) is already recorded with status
 * 'ok'. A run recorded as failed answers 0, so that a resumed sweep runs it
 * again (sweep_store_record then replaces its row). 0 also when the lookup
 * itself fails (the run is then simply run again). */
int sweep_store_done(sweep_store *st, size_t point, size_t arm, unsigned replication);

/* Records one finished run in its own transaction: its runs row (replacing
 * a failed one) and, when ok, one summaries row per output (NaN as NULL;
 * difference NULL for the base arm) and, when the sweep keeps money
 * (s->keep_money, which then requires r->money), its run_years rows and
 * its non-zero money rows. point, arm and replication are 0-based
 * here (the database counts replications from 1, as series.csv does) and
 * must be inside the sweep. 0, or -1 with err (nothing of the run kept). */
int sweep_store_record(sweep_store *st, const sweep_run_record *r, char *err, size_t errlen);

/* Optional series rows of a run (when s->keep_series): the rows series.csv
 * would hold for the replication recorded by rec (money in pounds, NaN as
 * NULL, tick = day - start_day), replacing any of an earlier attempt. They
 * join the transaction of the next sweep_store_record of that same run,
 * which the caller must make next, from the same thread: the store stays
 * locked in between. On failure (-1 with err) nothing is kept and the store
 * is unlocked. */
int sweep_store_record_series(sweep_store *st, const sweep_run_record *r,
                              const struct recorder *rec, int64_t start_day, char *err,
                              size_t errlen);

/* Counts failed runs into sweep.failed_runs (and *failed_runs when not
 * NULL); closes and frees st in every case (NULL is a no-op). A series
 * transaction left open is rolled back. 0, or -1 with err. */
int sweep_store_close(sweep_store *st, long *failed_runs, char *err, size_t errlen);

/* placesim merge: OUT.db from shard databases of one sweep (same sha256 and
 * program version), refusing duplicates (a run in two shards, named with
 * both files) and shards of another sweep. OUT.db must not exist; it is
 * built as OUT.db.merging and renamed when complete (removed on failure).
 * Its rows are those a single unsharded run would have written, but for
 * sweep.shard ("merged from N shards"), sweep.created and wall times.
 * 0, or -1 with a one-line message. */
int sweep_store_merge(const char *out_path, const char *const *shards, size_t n, char *err,
                      size_t errlen);

#endif
