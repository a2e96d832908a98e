/* outdir.h — the run directory: built under a temporary name beside its
 * final one, renamed into place only when every file is complete, so that a
 * failed, interrupted or killed run never leaves a half-written directory
 * under the final name.
 *
 * Confinement: placesim writes and deletes only inside DIR, DIR.tmp-XXXXXX
 * (its own, or one left by a dead run) and, while replacing, DIR.old-XXXXXX.
 * `--force` replaces only an empty directory or one that holds a placesim run
 * (a manifest.json whose "program" is "placesim", and no file a run does not
 * write: series.csv, years.csv, ledger.csv) or a placesim experiment (an
 * experiment.json whose "program" is "placesim", and nothing else but run
 * directories). A live run holds an exclusive lock (flock) on DIR.tmp-XXXXXX/.lock;
 * the kernel drops it when the process dies however it dies, which is how a
 * later run tells a dead run's temporary directory from a live one. */
#ifndef PLACESIM_OUTDIR_H
#define PLACESIM_OUTDIR_H

#include <stddef.h>

typedef struct outdir {
    char *final; /* DIR without trailing slashes */
    char *tmp;   /* DIR.tmp-XXXXXX, where the files are written */
    int lock_fd; /* the held lock; -1 when none */
    int force;
    size_t stale_removed; /* temporary directories of dead runs removed by begin */
} outdir;

/* Checks that `dir` may be written (absent, empty, or with force a placesim
 * run directory), removes temporary directories that dead runs left beside
 * it, and creates a fresh locked DIR.tmp-XXXXXX. Returns 0 (release od with
 * outdir_commit or outdir_abandon), or -1 with a one-line reason in err and
 * nothing created but DIR's missing parents. */
int outdir_begin(outdir *od, const char *dir, int force, char *err, size_t errlen);

/* The path of file `name` inside the temporary directory, into buf; 0, or
 * -1 when it does not fit. */
int outdir_tmp_file(const outdir *od, const char *name, char *buf, size_t buflen);

/* Renames the complete temporary directory to DIR, first moving an existing
 * DIR aside (allowed only with force, and only for a run directory) and
 * removing it after. Returns 0, or -1 with a reason in err; on -1 the
 * complete files are kept under DIR.kept-XXXXXX, which err names. Either way
 * od is released. */
int outdir_commit(outdir *od, char *err, size_t errlen);

/* Removes the temporary directory and its files, and releases od. Safe on
 * an od already released, or left by a failed outdir_begin. */
void outdir_abandon(outdir *od);

/* 1 if `dir` holds a placesim run or experiment (see above), 0 if not with
 * the reason in why, -1 if it cannot be read (reason in why). */
int outdir_is_run(const char *dir, char *why, size_t whylen);

#endif
