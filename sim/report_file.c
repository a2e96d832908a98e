/* report_file.c — see report_file.h. */
#include "report_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

enum { HEAD_BYTES = 4096 };

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int report_file_is_report(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    char head[HEAD_BYTES + 1];
    size_t n = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        while (n < HEAD_BYTES) {
            ssize_t got = read(fd, head + n, HEAD_BYTES - n);
            if (got <= 0) break;
            n += (size_t)got;
        }
    }
    close(fd);
    head[n] = '\0';
    static const char doctype[] = "<!DOCTYPE html>";
    return n > 0 && strncmp(head, doctype, sizeof doctype - 1) == 0 &&
           strstr(head, REPORT_GENERATOR_META) != NULL;
}

/* 0 when path may be written (absent, a report, or forced over a regular
 * file); -1 with the reason. */
static int may_replace(const char *path, int force, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT) return 0;
        set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        set_err(err, errlen, "%s exists and is not a regular file (a report replaces only a file)",
                path);
        return -1;
    }
    if (!force && !report_file_is_report(path)) {
        set_err(err, errlen, "%s exists and is not a placesim report (--force replaces it)", path);
        return -1;
    }
    return 0;
}

int report_file_write(const char *path, const char *data, size_t len, int force, char *err,
                      size_t errlen)
{
    if (may_replace(path, force, err, errlen) != 0) return -1;
    size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
    char *tmp = malloc(n);
    if (!tmp) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        set_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    /* mkstemp makes 0600; a report is an ordinary file, readable as the
     * user's umask allows. umask can only be read by setting it. */
    mode_t mask = umask(022);
    umask(mask);
    int failed_errno = 0;
    if (fchmod(fd, 0666 & ~mask) != 0) failed_errno = errno;
    for (size_t done = 0; !failed_errno && done < len;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0)
            failed_errno = w < 0 ? errno : EIO;
        else
            done += (size_t)w;
    }
    if (!failed_errno && fsync(fd) != 0) failed_errno = errno;
    if (close(fd) != 0 && !failed_errno) failed_errno = errno;
    if (!failed_errno && rename(tmp, path) != 0) failed_errno = errno;
    if (failed_errno) {
        unlink(tmp);
        set_err(err, errlen, "cannot write %s: %s (nothing was written)", path,
                strerror(failed_errno));
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
