/* interrupt.h — SIGINT and SIGTERM as a request to stop cleanly.
 *
 * Signals belong to the process, so the one thing they set is necessarily
 * process-wide: a flag that the handler sets and long work polls (a run
 * between days, the writer between files). The caller then removes what it
 * had half written, says so, and exits 128 + the signal (130, 143). A second
 * signal while stopping takes its default action at once; anything left
 * behind then is removed by the next run into the same directory. */
#ifndef PLACESIM_INTERRUPT_H
#define PLACESIM_INTERRUPT_H

#include <signal.h>

/* Installs the handlers for SIGINT and SIGTERM, and ignores SIGXFSZ so that
 * a file-size limit (ulimit -f) fails the write with EFBIG, reported with
 * the file's name, instead of killing the process. Returns 0 or -1. */
int interrupt_install(void);

/* The flag: 0, or the number of the first signal received. */
const volatile sig_atomic_t *interrupt_flag(void);

/* The signal received (0 if none). */
int interrupt_received(void);

#endif
