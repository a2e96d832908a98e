/* outdir.c — the run directory protocol (outdir.h).
 *
 * It relies on POSIX rename(2) of directories: atomic, and allowed to
 * replace an existing *empty* directory. A run is written under
 * DIR.tmp-XXXXXX and appears under DIR only complete; a forced replacement
 * first renames the old DIR aside (onto a fresh empty DIR.old-XXXXXX made by
 * mkdtemp, so the name is ours alone), puts the new one in place, and only
 * then deletes the old one. */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The lock file inside a temporary directory. */
#define LOCK_NAME ".lock"

/* What a run directory may hold: the files `placesim run` writes (the
 * output contract in README.md). Anything else in it means a person put it
 * there, and --force must not delete it. */
/* The file that says who wrote a run or an experiment directory. */
#define MANIFEST_NAME(experiment) ((experiment) ? "experiment.json" : "manifest.json")

static const char *const run_files[] = { "manifest.json", "series.csv", "years.csv", "ledger.csv" };

/* A manifest larger than this is not one placesim wrote for any scenario
 * the loader accepts; it is not read whole into memory to find out. */
#define MANIFEST_MAX_BYTES (512L * 1024 * 1024)

/* A temporary directory without a lock file belongs to a run that died in
 * the instant between mkdtemp and creating the lock, or between removing
 * the lock and the final rename (or to a version of placesim before locks).
 * A live run is in those states for microseconds; this long without a
 * change means it is dead. */
#define UNLOCKED_GRACE_SECONDS 60

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* A copy of dir without trailing slashes ("runs/x/" must get its temporary
 * directory beside it, not inside it), or NULL with a reason. A last
 * component of "." or ".." cannot be renamed, so it is refused here. */
static char *clean_dir(const char *dir, char *err, size_t errlen)
{
    if (!dir || !*dir) {
        set_err(err, errlen, "empty output directory name");
        return NULL;
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    const char *base = dir + n;
    while (base > dir && base[-1] != '/') base--;
    size_t bn = (size_t)(dir + n - base);
    if (bn == 0 || (bn == 1 && base[0] == '.') || (bn == 2 && base[0] == '.' && base[1] == '.')) {
        set_err(err, errlen, "%s: not usable as an output directory (name a directory)", dir);
        return NULL;
    }
    char *d = malloc(n + 1);
    if (!d) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    memcpy(d, dir, n);
    d[n] = '\0';
    return d;
}

/* 1 if the directory has no entries, 0 if it has some, -1 on error. */
static int dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return -1;
    int empty = 1;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    }
    int saved = errno;
    closedir(d);
    if (empty && saved != 0) {
        errno = saved;
        return -1;
    }
    return empty;
}

/* mkdir -p of every directory above path's last component. */
static int make_parents(const char *path, char *err, size_t errlen)
{
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (!p) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    memcpy(p, path, n + 1);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++) {
        if (p[i] != '/' || p[i - 1] == '/') continue;
        p[i] = '\0';
        if (mkdir(p, 0777) != 0) {
            struct stat st;
            if (errno != EEXIST) {
                set_err(err, errlen, "cannot create directory %s: %s", p, strerror(errno));
                rc = -1;
            } else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
                set_err(err, errlen, "%s exists and is not a directory", p);
                rc = -1;
            }
        }
        p[i] = '/';
    }
    free(p);
    return rc;
}

/* mkdtemp makes its directory 0700, but the finished run directory should
 * have the mode any directory the user creates has (0777 less the umask).
 * umask() can only be read by changing it, which races with other threads,
 * so probe instead: a directory made inside the (private) temporary one with
 * mode 0777 gets exactly that mode. Failure only leaves the mode at 0700. */
static void take_umask_mode(const char *dir)
{
    size_t n = strlen(dir) + sizeof "/.mode-probe";
    char *probe = malloc(n);
    if (!probe) return;
    snprintf(probe, n, "%s/.mode-probe", dir);
    struct stat st;
    if (mkdir(probe, 0777) == 0) {
        if (stat(probe, &st) == 0) (void)chmod(dir, st.st_mode & 0777);
        (void)rmdir(probe);
    }
    free(probe);
}

/* Removes name (relative to dirfd) and, for a directory, everything in it,
 * without following symbolic links. Returns 0 or -1 with errno set; it goes
 * on past a failure so as to remove as much as it can. */
static int remove_tree_at(int dirfd, const char *name)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;

    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0, first_errno = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (remove_tree_at(fd, e->d_name) != 0 && rc == 0) {
            rc = -1;
            first_errno = errno;
        }
    }
    closedir(d);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT && rc == 0) {
        rc = -1;
        first_errno = errno;
    }
    if (rc != 0) errno = first_errno;
    return rc;
}

/* ---- is it a run directory? ---- */

/* 1 if dir holds a placesim run (or, with experiment, an experiment:
 * experiment.json and run directories), 0 if not with the reason in why,
 * -1 if it cannot be read. */
static int is_placesim_dir(const char *dir, int experiment, char *why, size_t whylen)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        set_err(why, whylen, "cannot read directory %s: %s", dir, strerror(errno));
        return -1;
    }
    DIR *d = fdopendir(dfd);
    if (!d) {
        set_err(why, whylen, "cannot read directory %s: %s", dir, strerror(errno));
        close(dfd);
        return -1;
    }
    int verdict = 1;
    struct dirent *e;
    errno = 0;
    /* errno is cleared before each readdir: the checks in the loop may set it. */
    while (verdict == 1 && (errno = 0, e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        int known = 0;
        struct stat st;
        int have = fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0;
        if (experiment) {
            known = strcmp(e->d_name, MANIFEST_NAME(experiment)) == 0;
            if (!known && have && S_ISDIR(st.st_mode)) {
                /* An arm: itself a run directory, checked with its reason. */
                char *arm = join_path(dir, e->d_name);
                if (!arm) {
                    set_err(why, whylen, "out of memory");
                    verdict = -1;
                    break;
                }
                verdict = is_placesim_dir(arm, 0, why, whylen);
                free(arm);
                continue;
            }
        } else {
            for (size_t i = 0; i < sizeof run_files / sizeof run_files[0]; i++)
                known |= strcmp(e->d_name, run_files[i]) == 0;
        }
        if (known && have && S_ISREG(st.st_mode)) continue;
        set_err(why, whylen, "%s holds %s%s, which placesim did not write", dir, e->d_name,
                known ? " (not a regular file)" : "");
        verdict = 0;
    }
    if (verdict == 1 && errno != 0) {
        set_err(why, whylen, "cannot read directory %s: %s", dir, strerror(errno));
        verdict = -1;
    }
    if (verdict == 1) {
        /* The manifest says who wrote the directory. Integers are read as
         * reals: earlier manifests wrote seeds as integers, up to 2^64-1,
         * which jansson refuses, and those runs are still placesim's. */
        const char *manifest = MANIFEST_NAME(experiment);
        int fd = openat(dfd, manifest, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        struct stat st;
        json_t *root = NULL;
        json_error_t jerr;
        if (fd < 0) {
            set_err(why, whylen, "%s has no %s, so it is not a placesim %s", dir, manifest,
                    experiment ? "experiment" : "run");
            verdict = 0;
        } else if (fstat(fd, &st) != 0 || st.st_size > MANIFEST_MAX_BYTES) {
            set_err(why, whylen, "%s/%s is not a placesim manifest (too large)", dir, manifest);
            verdict = 0;
        } else if (!(root = json_loadfd(fd, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL,
                                        &jerr))) {
            set_err(why, whylen, "%s/%s is not a placesim manifest (line %d: %s)", dir, manifest,
                    jerr.line, jerr.text);
            verdict = 0;
        } else {
            const char *program = json_string_value(json_object_get(root, "program"));
            if (!program || strcmp(program, "placesim") != 0) {
                set_err(why, whylen,
                        "%s/%s was not written by placesim "
                        "(no \"program\": \"placesim\")",
                        dir, manifest);
                verdict = 0;
            }
        }
        json_decref(root);
        if (fd >= 0) close(fd);
    }
    closedir(d);
    return verdict;
}

int outdir_is_run(const char *dir, char *why, size_t whylen)
{
    /* An experiment is told by its experiment.json; anything else must be
     * a run directory. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    int experiment = dfd >= 0 && fstatat(dfd, "experiment.json", &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (dfd >= 0) close(dfd);
    return is_placesim_dir(dir, experiment, why, whylen);
}

/* ---- temporary directories of dead runs ---- */

/* 1 if name is base + ".tmp-" + six characters of mkdtemp's. */
static int is_tmp_name(const char *name, const char *base, size_t base_len)
{
    if (strncmp(name, base, base_len) != 0 || strncmp(name + base_len, ".tmp-", 5) != 0) return 0;
    const char *x = name + base_len + 5;
    if (strlen(x) != 6) return 0;
    for (; *x; x++) {
        char c = *x;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
    }
    return 1;
}

/* Removes parent/name if it is a temporary directory whose run is dead:
 * its lock can be taken, or it has no lock file and has not changed for
 * UNLOCKED_GRACE_SECONDS. Returns 1 if removed. */
static int remove_if_dead(int parent_fd, const char *name)
{
    struct stat st;
    if (fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) return 0;
    int dfd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) return 0;
    int lock = openat(dfd, LOCK_NAME, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    close(dfd);
    int dead;
    if (lock >= 0) {
        /* Held until the tree is gone, so that two runs cleaning at once
         * do not race, and a live run is never touched. */
        dead = flock(lock, LOCK_EX | LOCK_NB) == 0;
    } else {
        dead = errno == ENOENT && time(NULL) - st.st_mtime > UNLOCKED_GRACE_SECONDS;
    }
    int removed = dead && remove_tree_at(parent_fd, name) == 0;
    if (lock >= 0) close(lock);
    return removed;
}

/* Removes the dead runs' temporary directories beside `final`; returns how
 * many. Failures are not errors: the new run does not need them gone. */
static size_t remove_dead_temporaries(const char *final)
{
    const char *slash = strrchr(final, '/');
    const char *base = slash ? slash + 1 : final;
    char *parent;
    if (!slash) {
        parent = strdup(".");
    } else {
        size_t n = slash == final ? 1 : (size_t)(slash - final);
        parent = malloc(n + 1);
        if (parent) {
            memcpy(parent, final, n);
            parent[n] = '\0';
        }
    }
    if (!parent) return 0;
    size_t removed = 0;
    int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = pfd >= 0 ? fdopendir(pfd) : NULL;
    if (d) {
        size_t base_len = strlen(base);
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (is_tmp_name(e->d_name, base, base_len) && remove_if_dead(pfd, e->d_name)) removed++;
        closedir(d);
    } else if (pfd >= 0) {
        close(pfd);
    }
    free(parent);
    return removed;
}

/* ---- begin, commit, abandon ---- */

static void release(outdir *od)
{
    if (od->lock_fd >= 0) close(od->lock_fd);
    free(od->final);
    free(od->tmp);
    od->final = od->tmp = NULL;
    od->lock_fd = -1;
}

/* May `d` (which exists) be replaced? 0 when it is empty, 1 when it holds
 * a run that force lets us move aside, -1 (reason in err) when it may not. */
static int may_replace(const char *d, int force, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(d, &st) != 0) {
        set_err(err, errlen, "%s: %s", d, strerror(errno));
        return -1;
    }
    /* lstat: a symlink in DIR's place would be replaced, not followed, by
     * the final rename, so it is refused like any other non-directory. */
    if (!S_ISDIR(st.st_mode)) {
        set_err(err, errlen, "%s exists and is not a directory", d);
        return -1;
    }
    int empty = dir_is_empty(d);
    if (empty < 0) {
        set_err(err, errlen, "cannot read directory %s: %s", d, strerror(errno));
        return -1;
    }
    if (empty) return 0;
    if (!force) {
        set_err(err, errlen, "%s exists and is not empty (--force replaces it)", d);
        return -1;
    }
    char why[1024];
    int run = outdir_is_run(d, why, sizeof why);
    if (run != 1) {
        set_err(err, errlen,
                "%s; --force replaces only an empty directory or a placesim run or "
                "experiment directory, so %s is left as it is",
                why, d);
        return -1;
    }
    return 1;
}

int outdir_begin(outdir *od, const char *dir, int force, char *err, size_t errlen)
{
    *od = (outdir){ .lock_fd = -1, .force = force };
    char *d = clean_dir(dir, err, errlen);
    if (!d) return -1;
    od->final = d;
    struct stat st;
    if (lstat(d, &st) == 0) {
        if (may_replace(d, force, err, errlen) < 0) goto fail;
    } else if (errno != ENOENT) {
        set_err(err, errlen, "%s: %s", d, strerror(errno));
        goto fail;
    } else if (make_parents(d, err, errlen) != 0) {
        goto fail;
    }
    od->stale_removed = remove_dead_temporaries(d);

    size_t n = strlen(d) + sizeof ".tmp-XXXXXX";
    od->tmp = malloc(n);
    if (!od->tmp) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    snprintf(od->tmp, n, "%s.tmp-XXXXXX", d);
    if (!mkdtemp(od->tmp)) {
        set_err(err, errlen, "cannot create a temporary directory beside %s: %s", d,
                strerror(errno));
        free(od->tmp);
        od->tmp = NULL;
        goto fail;
    }
    char *lock_path = join_path(od->tmp, LOCK_NAME);
    od->lock_fd =
        lock_path ? open(lock_path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
    if (od->lock_fd < 0 || flock(od->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        set_err(err, errlen, "cannot lock the temporary directory %s: %s", od->tmp,
                lock_path ? strerror(errno) : "out of memory");
        free(lock_path);
        outdir_abandon(od);
        return -1;
    }
    free(lock_path);
    take_umask_mode(od->tmp);
    return 0;
fail:
    release(od);
    return -1;
}

int outdir_tmp_file(const outdir *od, const char *name, char *buf, size_t buflen)
{
    int n = snprintf(buf, buflen, "%s/%s", od->tmp ? od->tmp : "", name);
    return n < 0 || (size_t)n >= buflen ? -1 : 0;
}

/* After a failed commit the complete files go to DIR.kept-XXXXXX: not a
 * temporary name, so no later run removes them. */
static void keep_results(outdir *od, char *err, size_t errlen, const char *reason)
{
    size_t n = strlen(od->final) + sizeof ".kept-XXXXXX";
    char *kept = malloc(n);
    if (kept) {
        snprintf(kept, n, "%s.kept-XXXXXX", od->final);
        if (!mkdtemp(kept) || rename(od->tmp, kept) != 0) {
            free(kept);
            kept = NULL;
        }
    }
    char *lock = kept ? join_path(kept, LOCK_NAME) : NULL;
    if (lock) (void)unlink(lock);
    free(lock);
    set_err(err, errlen, "%s; the complete results are in %s", reason, kept ? kept : od->tmp);
    free(kept);
}

int outdir_commit(outdir *od, char *err, size_t errlen)
{
    if (!od->tmp || !od->final) {
        set_err(err, errlen, "no temporary directory to commit");
        return -1;
    }
    const char *d = od->final;
    char *aside = NULL;
    char reason[2048];
    int rc = -1;

    /* The lock file must not appear in the run directory; the lock itself
     * stays held (on the open file) until the rename is done. */
    char *lock_path = join_path(od->tmp, LOCK_NAME);
    if (lock_path) (void)unlink(lock_path);
    free(lock_path);

    struct stat st;
    if (lstat(d, &st) != 0) {
        if (errno != ENOENT) {
            snprintf(reason, sizeof reason, "%s: %s", d, strerror(errno));
            goto fail;
        }
    } else {
        /* Checked again: DIR may have changed while the run went on. */
        int replace = may_replace(d, od->force, reason, sizeof reason);
        if (replace < 0) goto fail;
        if (replace == 1) {
            size_t n = strlen(d) + sizeof ".old-XXXXXX";
            aside = malloc(n);
            if (!aside) {
                snprintf(reason, sizeof reason, "out of memory");
                goto fail;
            }
            snprintf(aside, n, "%s.old-XXXXXX", d);
            if (!mkdtemp(aside)) {
                snprintf(reason, sizeof reason, "cannot create a directory beside %s: %s", d,
                         strerror(errno));
                goto fail;
            }
            if (rename(d, aside) != 0) {
                snprintf(reason, sizeof reason, "cannot move %s aside: %s", d, strerror(errno));
                (void)rmdir(aside);
                goto fail;
            }
        }
    }

    /* An empty (or just vacated) DIR is replaced by this rename; one that
     * filled up since the check makes it fail, and nothing is lost. */
    if (rename(od->tmp, d) != 0) {
        int e = errno;
        if (aside && rename(aside, d) != 0)
            snprintf(reason, sizeof reason, "cannot rename %s to %s: %s; the previous %s is now %s",
                     od->tmp, d, strerror(e), d, aside);
        else
            snprintf(reason, sizeof reason, "cannot rename %s to %s: %s", od->tmp, d, strerror(e));
        goto fail;
    }
    rc = 0;
    /* The new run is in place, so the commit has succeeded even if the old
     * copy cannot be removed; the reason is still left in err. */
    if (aside && remove_tree_at(AT_FDCWD, aside) != 0)
        set_err(err, errlen, "replaced %s, but could not remove the previous copy %s: %s", d, aside,
                strerror(errno));
    free(aside);
    release(od);
    return rc;
fail:
    keep_results(od, err, errlen, reason);
    free(aside);
    release(od);
    return -1;
}

void outdir_abandon(outdir *od)
{
    if (!od) return;
    /* Only a name made by outdir_begin is removed. */
    if (od->tmp && strstr(od->tmp, ".tmp-")) (void)remove_tree_at(AT_FDCWD, od->tmp);
    release(od);
}
