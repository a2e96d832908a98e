/* draw.h — distributions drawn by inversion from given uniforms.
 *
 * GSL's samplers take a generator and consume a number of uniforms that
 * depends on the outcome (gsl_ran_poisson multiplies uniforms until the
 * product falls below e^-mean). A model that lays its draws out at fixed
 * places in a stream (rng_stream_block) needs a sampler that maps one
 * uniform to one outcome instead: the same uniform then gives the same or a
 * neighbouring outcome when a scenario moves the mean a little, which is
 * what common random numbers across scenarios rely on. */
#ifndef PLACESIM_DRAW_H
#define PLACESIM_DRAW_H

/* Largest mean drawn by one inversion. Above it, draw_poisson sums
 * Poisson(mean / m) draws: e^-mean stays far from underflow (745) and the
 * summed probabilities keep their accuracy (each term's relative rounding
 * error is about k * 2^-53). */
#define DRAW_POISSON_INVERSION_MAX 100.0

/* Poisson(mean) by inversion of u in [0, 1): the smallest k with
 * P(X <= k) > u. Monotone in u and in mean. Requires
 * 0 <= mean <= DRAW_POISSON_INVERSION_MAX; 0 for a mean of 0 (or NaN). */
unsigned draw_poisson_inversion(double mean, double u);

/* Number of inversions draw_poisson_inversion needs for `mean`: 1 up to
 * DRAW_POISSON_INVERSION_MAX, then one for each further share of it. */
unsigned draw_poisson_parts(double mean);

/* Index of the category of u in (0, 1) among n weights w[0..n) (not all
 * zero, none negative), by inversion of the cumulative sum over `total`,
 * their sum: the smallest i with (w[0] + … + w[i]) / total > u, skipping
 * zero weights. */
unsigned draw_category(const double *w, unsigned n, double total, double u);

#endif
