/* interrupt.c — see interrupt.h. */
#include "interrupt.h"

#include <string.h>

/* The one mutable global: a signal handler can reach nothing else. */
static volatile sig_atomic_t received;

static void on_signal(int sig)
{
    if (received) {
        /* Asked twice: the user wants out now. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    received = sig;
}

int interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a blocking call returns EINTR and the caller looks at
     * the flag. */
    sa.sa_flags = 0;
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0) return -1;
    return signal(SIGXFSZ, SIG_IGN) == SIG_ERR ? -1 : 0;
}

const volatile sig_atomic_t *interrupt_flag(void) { return &received; }

int interrupt_received(void) { return received; }
