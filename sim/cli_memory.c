/* cli_memory.c — the memory limit, stated up front: --max-memory, the
 * machine's available memory, and the refusal of a run whose estimated peak
 * (memory_estimate.h) is above the limit, before any replication starts.
 * The thread count is never lowered silently: the message says which -j
 * (or how many replications) would fit. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "memory_estimate.h"

int cli_parse_size(const char *text, size_t *bytes)
{
    if (!text || !isdigit((unsigned char)text[0])) return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text) return -1;
    double unit = 1;
    switch (toupper((unsigned char)*end)) {
    case 'K':
        unit = 1024.0;
        end++;
        break;
    case 'M':
        unit = 1024.0 * 1024;
        end++;
        break;
    case 'G':
        unit = 1024.0 * 1024 * 1024;
        end++;
        break;
    case 'T':
        unit = 1024.0 * 1024 * 1024 * 1024;
        end++;
        break;
    default: break;
    }
    /* "8G", "8GB" and "8GiB" all mean 8 x 2^30 bytes. */
    if (unit > 1 && (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)) end += strlen(end);
    if (*end) return -1;
    double b = v * unit;
    if (!(b >= 1) || b >= 18446744073709551616.0 || b > (double)SIZE_MAX) return -1;
    *bytes = (size_t)b;
    return 0;
}

void cli_format_bytes(size_t bytes, char *buf, size_t buflen)
{
    static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, buflen, "%zu bytes", bytes);
    else
        snprintf(buf, buflen, "%.1f %s", v, units[u]);
}

/* A number from a one-line file such as /sys/fs/cgroup/memory.max; 0 when
 * it is absent, unreadable or "max". */
static unsigned long long read_number_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    unsigned long long v = 0;
    if (fscanf(f, "%llu", &v) != 1) v = 0;
    fclose(f);
    return v;
}

size_t cli_available_memory(void)
{
    /* MemAvailable is the kernel's estimate of what can be allocated
     * without swapping; MemFree would ignore reclaimable caches. */
    unsigned long long avail = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f)) {
            unsigned long long kb;
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
                avail = kb * 1024;
                break;
            }
        }
        fclose(f);
    }
    if (avail == 0) {
        long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        if (pages > 0 && size > 0) avail = (unsigned long long)pages * (unsigned long long)size;
    }
    /* In a container or a batch job (cgroup v2) the limit that kills the
     * process may be far below the machine's free memory. */
    unsigned long long max = read_number_file("/sys/fs/cgroup/memory.max");
    unsigned long long used = read_number_file("/sys/fs/cgroup/memory.current");
    if (max > 0 && max > used && (avail == 0 || max - used < avail)) avail = max - used;
    if (avail > SIZE_MAX) avail = SIZE_MAX;
    return (size_t)avail;
}

/* The parts of the estimate that make its total, as "a x b working, ...":
 * the peak while replications run, or at the end when every replication's
 * medians are pooled, whichever is larger (memory_estimate_total). */
static void describe_parts(const memory_estimate *e, char *buf, size_t buflen)
{
    unsigned t = e->threads, reps = e->reps;
    unsigned second = reps - t < t ? reps - t : t;
    size_t ending = memory_estimate_total(e, reps, t);
    char a[32], b[32], c[32], d[32];
    cli_format_bytes(e->fixed, d, sizeof d);
    cli_format_bytes(e->kept, c, sizeof c);
    unsigned held = memory_estimate_held(e, reps, t);
    size_t running_part = e->fixed + (size_t)t * e->working + (size_t)second * e->reuse +
                          (size_t)reps * e->kept +
                          (e->formats ? (size_t)t * e->streamed + (size_t)held * e->formatted
                                      : (size_t)held * e->streamed);
    if (running_part >= ending || e->pooled == 0) {
        cli_format_bytes(e->working, a, sizeof a);
        int n = snprintf(buf, buflen, "%u thread%s x %s working, ", t, t == 1 ? "" : "s", a);
        if (second && e->reuse) {
            cli_format_bytes(e->reuse, b, sizeof b);
            n += snprintf(buf + n, buflen - (size_t)n,
                          "%u x %s more for a thread's later "
                          "replications, ",
                          second, b);
        }
        cli_format_bytes(e->streamed, b, sizeof b);
        if (e->formats) {
            cli_format_bytes(e->formatted, a, sizeof a);
            snprintf(buf + n, buflen - (size_t)n,
                     "%u replication%s x %s kept, %u x %s of period values while "
                     "running, %u x %s of rows until written, %s once",
                     reps, reps == 1 ? "" : "s", c, t, b, held, a, d);
        } else {
            snprintf(buf + n, buflen - (size_t)n,
                     "%u replication%s x %s kept, %u x %s of period "
                     "values until written, %s once",
                     reps, reps == 1 ? "" : "s", c, held, b, d);
        }
    } else {
        cli_format_bytes(e->pooled, b, sizeof b);
        if (e->streaming) {
            snprintf(buf, buflen,
                     "at the end, %u replication%s x (%s kept + %s pooled for "
                     "medians), %s once",
                     reps, reps == 1 ? "" : "s", c, b, d);
        } else {
            cli_format_bytes(e->streamed, a, sizeof a);
            snprintf(buf, buflen,
                     "at the end, %u replication%s x (%s kept + %s period values "
                     "+ %s pooled for medians), %s once",
                     reps, reps == 1 ? "" : "s", c, a, b, d);
        }
    }
}

int cli_memory_check(const char *command, const run_config *cfg, unsigned reps, unsigned threads,
                     const cli_memory_limit *limit, FILE *note)
{
    memory_estimate e = memory_estimate_run(cfg, reps, threads);
    size_t need = e.total;
    size_t cap = limit->given ? limit->bytes : cli_available_memory();
    char need_text[32], cap_text[32], parts[512];
    cli_format_bytes(need, need_text, sizeof need_text);
    cli_format_bytes(cap, cap_text, sizeof cap_text);
    describe_parts(&e, parts, sizeof parts);
    const char *whose = limit->given ? "--max-memory"
                                     : "the memory available now; --max-memory "
                                       "sets another limit";
    if (note) {
        fprintf(note,
                "# memory: about %s for %u replication%s on %u thread%s (%s); limit %s "
                "(%s)\n",
                need_text, e.reps, e.reps == 1 ? "" : "s", e.threads, e.threads == 1 ? "" : "s",
                parts, cap_text, limit->given ? "--max-memory" : "available now");
    }
    if (cap == 0 || need <= cap) return 0;

    unsigned fit = memory_estimate_max_threads(&e, e.reps, cap);
    char advice[256];
    if (fit > 0) {
        char at[32];
        cli_format_bytes(memory_estimate_total(&e, e.reps, fit), at, sizeof at);
        snprintf(advice, sizeof advice, "-j %u would fit (about %s)", fit, at);
    } else {
        unsigned reps_fit = memory_estimate_max_reps(&e, 1, e.reps, cap);
        if (reps_fit > 0)
            snprintf(advice, sizeof advice,
                     "no -j fits %u replications; at most %u would fit on "
                     "one thread (or a longer --period)",
                     e.reps, reps_fit);
        else
            snprintf(advice, sizeof advice,
                     "not even one replication fits: a smaller place or a "
                     "shorter run");
    }
    fprintf(stderr,
            "placesim %s: %s: the run needs about %s of memory (%s), above the limit of "
            "%s (%s); %s\n",
            command, scenario_path(cfg->scn), need_text, parts, cap_text, whose, advice);
    return -1;
}
