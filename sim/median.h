/* median.h — the median of doubles by selection, not sorting. */
#ifndef PLACESIM_MEDIAN_H
#define PLACESIM_MEDIAN_H

#include <stddef.h>

/* Median of v[0..n), reordering v: the middle value, or the mean of the two
 * middle values when n is even, in the order where NaN comes after every
 * number (so the result is what sorting that way would give); NaN when n is
 * 0. Expected O(n): a quickselect with a three-way partition, so runs of
 * equal values (whole days, say) cost no more than distinct ones. */
double median_select(double *v, size_t n);

#endif
