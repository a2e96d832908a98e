/* median.c — quickselect for medians (median.h).
 *
 * The recorder takes the median of each period's event values in every area;
 * sorting them was 5% of a borough replication (perf), selection is linear. */
#include "median.h"

#include <math.h>
#include <stdint.h>

/* The order of median.h: numbers ascending, NaN after them all. */
static inline int before(double a, double b) { return !isnan(a) && (isnan(b) || a < b); }

static inline void swap(double *v, size_t i, size_t j)
{
    double t = v[i];
    v[i] = v[j];
    v[j] = t;
}

/* The middle of three by the order: a pivot that does well on sorted and
 * reversed input. */
static double middle_of_three(double a, double b, double c)
{
    if (before(a, b)) {
        if (before(b, c)) return b;
        return before(a, c) ? c : a;
    }
    if (before(a, c)) return a;
    return before(b, c) ? c : b;
}

/* Places the k-th smallest of v[0..n) at v[k], with nothing after it in the
 * order before it and nothing before it after it. */
static void select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n; /* v[lo..hi) holds the k-th */
    while (hi - lo > 1) {
        double pivot = middle_of_three(v[lo], v[lo + (hi - lo) / 2], v[hi - 1]);
        /* Three-way partition (Dijkstra): [lo, lt) before the pivot,
         * [lt, i) equal to it, [gt, hi) after it. */
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (before(v[i], pivot)) {
                swap(v, lt++, i++);
            } else if (before(pivot, v[i])) {
                swap(v, i, --gt);
            } else {
                i++;
            }
        }
        if (k < lt) {
            hi = lt;
        } else if (k >= gt) {
            lo = gt;
        } else {
            return; /* v[k] equals the pivot */
        }
    }
}

double median_select(double *v, size_t n)
{
    if (n == 0) return NAN;
    size_t k = n / 2;
    select_kth(v, n, k);
    if (n % 2) return v[k];
    /* The other middle value is the last of v[0..k) in the order. */
    double below = v[0];
    for (size_t i = 1; i < k; i++) {
        if (before(below, v[i])) below = v[i];
    }
    return (below + v[k]) / 2;
}
