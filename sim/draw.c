/* draw.c — inversion samplers (draw.h). */
#include "draw.h"

#include <math.h>

unsigned draw_poisson_inversion(double mean, double u)
{
    if (!(mean > 0.0)) return 0;
    double p = exp(-mean);
    double cumulative = p;
    unsigned k = 0;
    /* Rounding can leave the cumulative sum a few ulps short of 1, so a u
     * in that gap would walk on until p underflowed; the cap (about 40
     * standard deviations past the mean, a tail far below the uniforms'
     * 2^-32 resolution) ends the walk there instead. */
    unsigned cap = (unsigned)(mean + 40.0 * sqrt(mean) + 40.0);
    while (u >= cumulative && k < cap) {
        k++;
        p *= mean / k;
        cumulative += p;
    }
    return k;
}

unsigned draw_poisson_parts(double mean)
{
    if (!(mean > DRAW_POISSON_INVERSION_MAX)) return 1;
    return (unsigned)ceil(mean / DRAW_POISSON_INVERSION_MAX);
}

unsigned draw_category(const double *w, unsigned n, double total, double u)
{
    double target = u * total;
    double cumulative = 0.0;
    unsigned last = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!(w[i] > 0.0)) continue;
        cumulative += w[i];
        last = i;
        if (target < cumulative) return i;
    }
    /* u * total rounded up past the sum: the last category with weight. */
    return last;
}
