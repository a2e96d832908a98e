/* cost_metrics.h — the metrics a cost-benefit reads: every holder's spend
 * and pool flows, the pool's spend, every bearer's demand cost, and the
 * models' declared outcomes (model_def.outcomes). `placesim compare` reads
 * them from years.csv; a sweep that keeps money stores them per run (the
 * results store's `money` table), so that both see the same list. */
#ifndef PLACESIM_COST_METRICS_H
#define PLACESIM_COST_METRICS_H

#include <stddef.h>

typedef struct cost_metrics {
    char **names; /* metric names, area ALL */
    size_t n;
} cost_metrics;

/* Fills *out with the list, in a fixed order: spend_<holder>,
 * pool_in_<holder>, pool_return_<holder> (holder order), spend_pool,
 * demand_cost_<bearer> (bearer order), then each registered model's
 * outcomes' metrics (registry order, each once). 0, or -1 out of memory
 * (*out then empty). */
int cost_metrics_list(cost_metrics *out);
void cost_metrics_free(cost_metrics *m);

#endif
