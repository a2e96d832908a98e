/* output.c — the run directory (begin, commit, abandon), series.csv and JSON
 * string literals. SHA-256 is in sha256.c.
 *
 * The directory protocol relies on POSIX rename(2) of directories: it is
 * atomic, and it may replace an existing *empty* directory. So a run is
 * written under DIR.tmp-XXXXXX and appears under DIR only complete; a forced
 * replacement first renames the old DIR aside (onto a fresh empty
 * DIR.old-XXXXXX made by mkdtemp, so the name is ours alone), puts the new one
 * in place, and only then deletes the old one. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dates.h"

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
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
    while (n > 1 && dir[n - 1] == '/')
        n--;
    const char *base = dir + n;
    while (base > dir && base[-1] != '/')
        base--;
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
    if (!d)
        return -1;
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
        if (p[i] != '/' || p[i - 1] == '/')
            continue;
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
    if (!probe)
        return;
    snprintf(probe, n, "%s/.mode-probe", dir);
    struct stat st;
    if (mkdir(probe, 0777) == 0) {
        if (stat(probe, &st) == 0)
            (void)chmod(dir, st.st_mode & 0777);
        (void)rmdir(probe);
    }
    free(probe);
}

int outdir_begin(const char *dir, int force, char *tmp, size_t tmplen,
                 char *err, size_t errlen)
{
    if (tmp && tmplen)
        tmp[0] = '\0';
    if (!tmp || tmplen == 0) {
        set_err(err, errlen, "no buffer for the temporary directory name");
        return -1;
    }
    char *d = clean_dir(dir, err, errlen);
    if (!d)
        return -1;
    int rc = -1;
    struct stat st;
    /* lstat: a symlink in DIR's place would be replaced, not followed, by
     * the final rename, so it is refused like any other non-directory. */
    if (lstat(d, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            set_err(err, errlen, "%s exists and is not a directory", d);
            goto done;
        }
        int empty = dir_is_empty(d);
        if (empty < 0) {
            set_err(err, errlen, "cannot read directory %s: %s", d, strerror(errno));
            goto done;
        }
        if (!empty && !force) {
            set_err(err, errlen, "%s exists and is not empty (--force replaces it)", d);
            goto done;
        }
    } else if (errno != ENOENT) {
        set_err(err, errlen, "%s: %s", d, strerror(errno));
        goto done;
    } else if (make_parents(d, err, errlen) != 0) {
        goto done;
    }

    int len = snprintf(tmp, tmplen, "%s.tmp-XXXXXX", d);
    if (len < 0 || (size_t)len >= tmplen) {
        tmp[0] = '\0';
        set_err(err, errlen, "output directory name too long: %s", d);
        goto done;
    }
    if (!mkdtemp(tmp)) {
        set_err(err, errlen, "cannot create a temporary directory beside %s: %s", d,
                strerror(errno));
        tmp[0] = '\0';
        goto done;
    }
    take_umask_mode(tmp);
    rc = 0;
done:
    free(d);
    return rc;
}

/* Removes name (relative to dirfd) and, for a directory, everything in it,
 * without following symbolic links. Returns 0 or -1 with errno set; it goes
 * on past a failure so as to remove as much as it can. */
static int remove_tree_at(int dirfd, const char *name)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;

    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0, first_errno = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
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
    if (rc != 0)
        errno = first_errno;
    return rc;
}

int outdir_commit(const char *tmp, const char *dir, int force, char *err, size_t errlen)
{
    if (!tmp || !*tmp) {
        set_err(err, errlen, "no temporary directory to commit");
        return -1;
    }
    char *d = clean_dir(dir, err, errlen);
    if (!d)
        return -1;
    char *aside = NULL;
    int rc = -1;
    struct stat st;
    if (lstat(d, &st) != 0) {
        if (errno != ENOENT) {
            set_err(err, errlen, "%s: %s", d, strerror(errno));
            goto done;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        set_err(err, errlen, "%s exists and is not a directory", d);
        goto done;
    } else {
        int empty = dir_is_empty(d);
        if (empty < 0) {
            set_err(err, errlen, "cannot read directory %s: %s", d, strerror(errno));
            goto done;
        }
        if (!empty) {
            if (!force) {
                set_err(err, errlen, "%s exists and is not empty (--force replaces it)", d);
                goto done;
            }
            size_t n = strlen(d) + sizeof ".old-XXXXXX";
            aside = malloc(n);
            if (!aside) {
                set_err(err, errlen, "out of memory");
                goto done;
            }
            snprintf(aside, n, "%s.old-XXXXXX", d);
            if (!mkdtemp(aside)) {
                set_err(err, errlen, "cannot create a directory beside %s: %s", d,
                        strerror(errno));
                goto done;
            }
            if (rename(d, aside) != 0) {
                set_err(err, errlen, "cannot move %s aside: %s", d, strerror(errno));
                (void)rmdir(aside);
                goto done;
            }
        }
    }

    /* An empty (or just vacated) DIR is replaced by this rename; one that
     * filled up since the check makes it fail, and nothing is lost. */
    if (rename(tmp, d) != 0) {
        int e = errno;
        if (aside && rename(aside, d) != 0)
            set_err(err, errlen, "cannot rename %s to %s: %s; the previous %s is now %s", tmp,
                    d, strerror(e), d, aside);
        else
            set_err(err, errlen, "cannot rename %s to %s: %s", tmp, d, strerror(e));
        goto done;
    }
    rc = 0;
    /* The new run is in place, so the commit has succeeded even if the old
     * copy cannot be removed; the reason is still left in err. */
    if (aside && remove_tree_at(AT_FDCWD, aside) != 0)
        set_err(err, errlen, "replaced %s, but could not remove the previous copy %s: %s", d,
                aside, strerror(errno));
done:
    free(aside);
    free(d);
    return rc;
}

/* Only a name made by outdir_begin is removed: a caller that passes the
 * final directory by mistake must not lose a finished run. */
void outdir_abandon(const char *tmp)
{
    if (!tmp || !*tmp)
        return;
    const char *base = strrchr(tmp, '/');
    base = base ? base + 1 : tmp;
    if (!strstr(base, ".tmp-"))
        return;
    (void)remove_tree_at(AT_FDCWD, tmp);
}

/* ---- series.csv ---- */

/* A CSV field, quoted (RFC 4180) only when it has to be. */
void csv_write_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void put_value(FILE *out, metric_kind kind, double v)
{
    if (isnan(v)) {
        fputs("NA", out);
        return;
    }
    char buf[400];  /* %.0f of the largest double has 309 digits */
    /* A count that is not whole (a model bug) keeps its value rather than
     * being rounded into a plausible integer. */
    if (kind == METRIC_COUNT && isfinite(v) && v == floor(v))
        snprintf(buf, sizeof buf, "%.0f", v);
    else if (kind == METRIC_MONEY && isfinite(v))
        snprintf(buf, sizeof buf, "%.2f", v);
    else
        snprintf(buf, sizeof buf, "%.10g", v);
    /* A negative zero, or rounding noise such as -1e-13 that prints as
     * "-0.00", would read as a sign that means nothing. */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        fputs(buf + 1, out);
    else
        fputs(buf, out);
}

/* One row of series.csv. */
static void put_row(FILE *out, const char *scenario, size_t replication, int64_t tick,
                    const char *date, const char *area, const metric_spec *spec, double value)
{
    csv_write_field(out, scenario);
    fprintf(out, ",%zu,%lld,%s,", replication, (long long)tick, date);
    csv_write_field(out, area);
    fputc(',', out);
    csv_write_field(out, spec->name);
    fputc(',', out);
    put_value(out, spec->kind, value);
    fputc('\n', out);
}

/* Quarterly cohort metrics add ALL rows at their quarters' last days: on a
 * period's last day they join its ALL row in declaration order; on other
 * days they are the only rows of that tick. The rows of one replication are
 * therefore a merge, by day, of period ends and quarter ends. */
static int write_replication(FILE *out, const char *scenario, const recorder *r,
                             size_t replication, int64_t start_day)
{
    size_t A = recorder_n_areas(r), M = recorder_n_metrics(r), P = recorder_n_periods(r);
    size_t *cursor = calloc(M ? M : 1, sizeof *cursor); /* next quarter row per metric */
    if (!cursor)
        return -1;
    size_t p = 0;
    for (;;) {
        /* The next day with rows: the earlier of the next period end and the
         * next quarter of any cohort metric. */
        int64_t day = p < P ? recorder_period_last_day(r, p) : INT64_MAX;
        for (size_t m = 0; m < M; m++) {
            if (cursor[m] < recorder_n_quarters(r, (int)m)) {
                int64_t q;
                double v;
                recorder_quarter_row(r, (int)m, cursor[m], &q, &v);
                if (q < day)
                    day = q;
            }
        }
        if (day == INT64_MAX)
            break;
        int period_ends = p < P && recorder_period_last_day(r, p) == day;
        char date[11];
        date_format(day, date);
        for (size_t a = 0; a <= A; a++) {
            if (a < A && !period_ends)
                continue;
            const char *area = recorder_area_name(r, a);
            for (size_t m = 0; m < M; m++) {
                const metric_spec *spec = recorder_metric(r, (int)m);
                if (spec->quarterly) {
                    int64_t q;
                    double v;
                    if (a < A || cursor[m] >= recorder_n_quarters(r, (int)m))
                        continue;
                    recorder_quarter_row(r, (int)m, cursor[m], &q, &v);
                    if (q != day)
                        continue;
                    cursor[m]++;
                    put_row(out, scenario, replication, day - start_day, date, area, spec, v);
                } else if (period_ends && !(a < A && spec->all_only)) {
                    put_row(out, scenario, replication, day - start_day, date, area, spec,
                            recorder_value(r, p, a, (int)m));
                }
            }
        }
        if (period_ends)
            p++;
        /* Stop at the first failed period rather than format a whole run
         * into a full disk. */
        if (ferror(out))
            break;
    }
    free(cursor);
    return ferror(out) ? -1 : 0;
}

int series_write_csv(FILE *out, const char *scenario_name,
                     const recorder *const *reps, size_t n_reps, int64_t start_day)
{
    if (!out || (n_reps && !reps))
        return -1;
    const char *scenario = scenario_name ? scenario_name : "";
    fputs("scenario,replication,tick,date,area,metric,value\n", out);
    for (size_t i = 0; i < n_reps; i++) {
        if (!reps[i] || write_replication(out, scenario, reps[i], i + 1, start_day) != 0)
            return -1;
    }
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

/* A NULL string is written as JSON null. Bytes from 0x80 up pass through:
 * the strings written are UTF-8 already. */
void json_write_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", (unsigned)*p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}
