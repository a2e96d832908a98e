/* compare_window.c — the comparison window: whole financial years that
 * every run writes (README.md "Comparing runs"), shared by the comparison
 * of run directories and of a sweep's points. */
#include <stdio.h>

#include "compare_internal.h"
#include "dates.h"

long cmp_year_index(const cmp_run *run, int fy)
{
    for (size_t y = 0; y < run->n_years; y++)
        if (run->years[y].fy == fy) return (long)y;
    return -1;
}

/* Whole years of one run are consecutive: only its first and last can be
 * partial, so its whole years are one range. */
int cmp_window_narrow(const cmp_run *run, int first_run, int *lo, int *hi)
{
    int first = -1, last = -1;
    for (size_t y = 0; y < run->n_years; y++)
        if (run->years[y].whole) {
            if (first < 0) first = run->years[y].fy;
            last = run->years[y].fy;
        }
    if (first < 0) {
        *lo = 1;
        *hi = 0;
        return -1;
    }
    if (first_run || first > *lo) *lo = first;
    if (first_run || last < *hi) *hi = last;
    return 0;
}

int cmp_window_check(const cmp_run *run, int from_fy, int to_fy, char *err, size_t errlen)
{
    char from[8], to[8];
    cmp_format_year_label(from_fy, from);
    cmp_format_year_label(to_fy, to);
    for (int fy = from_fy; fy <= to_fy; fy++) {
        long y = cmp_year_index(run, fy);
        if (y >= 0 && run->years[y].whole) continue;
        char label[8];
        cmp_format_year_label(fy, label);
        if (y >= 0) {
            char first[11], last[11];
            date_format(run->years[y].first_day, first);
            date_format(run->years[y].last_day, last);
            snprintf(err, errlen,
                     "the window %s to %s is outside the run: %s is only partly "
                     "written in %s (%s to %s; compare works in whole financial years)",
                     from, to, label, run->dir, first, last);
        } else {
            snprintf(err, errlen,
                     "the window %s to %s is outside the run: %s has no %s (it "
                     "writes %s to %s)",
                     from, to, run->dir, label, run->years[0].label,
                     run->years[run->n_years - 1].label);
        }
        return CMP_USAGE;
    }
    return 0;
}
