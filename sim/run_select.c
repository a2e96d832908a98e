/* run_select.c — the metrics and areas a run writes, by name, with the
 * nearest name suggested for a misspelling. */
#include "run_select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Edit distance (insertions, deletions, substitutions), capped at 255
 * characters a side so the work stays small; names are short. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 255) la = 255;
    if (lb > 255) lb = 255;
    size_t row[256];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diagonal + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diagonal = up;
        }
    }
    return row[lb];
}

/* Name number i of a list, for the nearest-name search. */
typedef const char *(*name_at)(const recorder *rec, size_t i);

static const char *metric_name_at(const recorder *rec, size_t i)
{
    return recorder_metric(rec, (int)i)->name;
}

static const char *area_name_at(const recorder *rec, size_t i)
{
    return recorder_area_name(rec, i); /* i == n_areas: "ALL" */
}

static const char *nearest(const recorder *rec, size_t n, name_at at, const char *name)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(name, at(rec, i));
        if (d < best_d) {
            best_d = d;
            best = at(rec, i);
        }
    }
    return best;
}

void run_select_free(run_select *s)
{
    free(s->metric_on);
    free(s->area_on);
    memset(s, 0, sizeof *s);
}

int run_select_build(run_select *s, const recorder *rec, const char *const *metrics,
                     size_t n_metrics, const char *const *areas, size_t n_areas, char *err,
                     size_t errlen)
{
    memset(s, 0, sizeof *s);
    size_t M = recorder_n_metrics(rec), A = recorder_n_areas(rec);
    if (n_metrics) {
        s->metric_on = calloc(M ? M : 1, 1);
        if (!s->metric_on) return -1;
        for (size_t i = 0; i < n_metrics; i++) {
            int m = recorder_find(rec, metrics[i]);
            if (m < 0) {
                snprintf(err, errlen, "--metric: unknown metric '%s' (did you mean %s?)",
                         metrics[i], nearest(rec, M, metric_name_at, metrics[i]));
                run_select_free(s);
                return 2;
            }
            s->metric_on[m] = 1;
        }
    }
    if (n_areas) {
        s->area_on = calloc(A ? A : 1, 1);
        if (!s->area_on) {
            run_select_free(s);
            return -1;
        }
        for (size_t i = 0; i < n_areas; i++) {
            if (strcmp(areas[i], "ALL") == 0) continue; /* ALL rows are always written */
            size_t a = 0;
            while (a < A && strcmp(recorder_area_name(rec, a), areas[i]) != 0) a++;
            if (a == A) {
                snprintf(err, errlen, "--area: unknown area '%s' (did you mean %s?)", areas[i],
                         nearest(rec, A + 1, area_name_at, areas[i]));
                run_select_free(s);
                return 2;
            }
            s->area_on[a] = 1;
        }
    }
    s->filter = (output_filter){ s->metric_on, M, s->area_on };
    return 0;
}
