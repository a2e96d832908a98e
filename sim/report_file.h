/* report_file.h — writing the report file: atomically (a temporary file in
 * the same folder, flushed, then renamed), and never over a file that is
 * not a placesim report unless forced. */
#ifndef PLACESIM_REPORT_FILE_H
#define PLACESIM_REPORT_FILE_H

#include <stddef.h>

/* 1 if path is a regular file whose head is a page placesim report wrote
 * (it starts "<!DOCTYPE html>" and carries REPORT_GENERATOR_META in its
 * first 4 KiB); 0 otherwise (absent, unreadable, anything else). Never
 * follows a symbolic link, never blocks on a FIFO. */
int report_file_is_report(const char *path);

/* Writes len bytes of data to path. An existing path is replaced only when
 * it is a placesim report, or with force any regular file; a directory,
 * symbolic link, FIFO or device is never replaced. The data go to
 * PATH.tmp-XXXXXX beside it (mode 0666 less the umask), flushed to disk and
 * renamed over path. Returns 0, or -1 with a one-line reason in err (the
 * temporary file removed, path untouched). */
int report_file_write(const char *path, const char *data, size_t len, int force, char *err,
                      size_t errlen);

#endif
