/* engine.h — one replication of a scenario, start to end.
 *
 * The engine owns the clock, the event list, the random streams and the
 * recorder of one replication; models are reached only through model_def. */
#ifndef PLACESIM_ENGINE_H
#define PLACESIM_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "costs.h"
#include "dates.h"
#include "ledger.h"
#include "model.h"
#include "place.h"
#include "recorder.h"
#include "scenario.h"

/* Text made from a replication for its sink (run_config.on_format). */
typedef struct replication_text {
    char *data; /* owned */
    size_t len;
    size_t cap; /* bytes allocated, for a sink that reuses the block */
} replication_text;

typedef struct replication_result {
    unsigned replication; /* 1-based */
    uint64_t seed;
    recorder *rec; /* owned; replication_result_free frees it */
    char **warnings;
    size_t n_warnings;
    uint64_t events; /* events handled, warm-up included */
    double wall_seconds;
    ledger *ledger;       /* owned: the money of the written years */
    char **budget_events; /* refusals and pauses, "DATE NAME: WHAT (xN)" */
    size_t n_budget_events;
    replication_text *formatted; /* owned, n_formatted of them: see on_format */
    size_t n_formatted;
} replication_result;

/* What every replication of a run shares (read-only while they run). */
typedef struct run_config {
    const scenario *scn;
    const place *place;
    const model_def *const *models;
    size_t n_models;
    const cost_library *costs; /* unit costs; checked to hold what the models need */
    uint64_t master_seed;
    period_kind period;
    int64_t warmup_first_date; /* day number of the warm-up's first day */
    int64_t start_date;        /* first written day */
    int64_t last_date;         /* last written day */
    /* Optional: called after each finished replication (from whichever
     * thread finished it, one call at a time) with how many are done. */
    void (*progress)(void *ctx, unsigned done, unsigned total);
    void *progress_ctx;
    /* Optional: a replication stops between days, failing with
     * "interrupted", once *stop is non-zero (set by a signal handler). */
    const volatile sig_atomic_t *stop;
    /* Optional: called once for each finished replication, in replication
     * order (1, 2, …) whatever the thread count, one call at a time, from
     * whichever thread; the result stays in results[] (the sink may
     * release what it no longer needs, recorder_release). Nonzero fails
     * the run with the reason the sink wrote into err. With a sink, a
     * replication is started only while fewer than 2 × threads finished
     * or running ones wait for it, so that those are all that hold their
     * period values at once. */
    int (*on_result)(void *ctx, replication_result *result, char *err, size_t errlen);
    void *on_result_ctx;
    /* Optional, with a sink: called once for each finished replication by
     * the thread that simulated it, in any order and at the same time as
     * other replications run, format and sink (so it must only read ctx).
     * It turns what the sink will write into text (result->formatted) and
     * may release what it no longer needs, so that the in-order sink only
     * copies bytes and -j N scales. Nonzero fails the run with the reason
     * in err. */
    int (*on_format)(void *ctx, replication_result *result, char *err, size_t errlen);
    void *on_format_ctx;
} run_config;

/* Fills the dates of cfg from its scenario (start, years, warmup_years). */
void run_config_dates(run_config *cfg);

/* Simulates replication `replication` (1-based) of cfg. Returns 0 and fills
 * *out, or -1 with a one-line reason in err (out is then empty). */
int engine_run_replication(const run_config *cfg, unsigned replication, replication_result *out,
                           char *err, size_t errlen);

void replication_result_free(replication_result *r);

/* Frees r's formatted texts only (a sink that has written them). */
void replication_result_free_formatted(replication_result *r);

/* A recorder holding the metrics a replication of cfg declares (the
 * engine's, the models', the interventions'), in declaration order, with
 * nothing recorded: the models are created and destroyed, nothing is
 * simulated. For checking metric names before a run. Caller destroys; NULL
 * with the reason in err. */
recorder *engine_declared_metrics(const run_config *cfg, char *err, size_t errlen);

/* Runs replications 1…n_reps on up to `threads` threads; results[i] is
 * replication i+1 whatever the thread count. Returns 0, or -1 with the first
 * failing replication's reason in err (all results freed). */
int engine_run_replications(const run_config *cfg, unsigned n_reps, unsigned threads,
                            replication_result *results, char *err, size_t errlen);

/* Checks what the engine supports beyond each key's own range: the
 * scenario's name is one safe path component (it names `runs/<name>`), the
 * simulated span (warm-up included) lies in years 1-9999, the place's
 * totals and area count are within the engine's limits, and calibration.free
 * names real-valued keys with min < max. Returns 0, or -1
 * with one "FILE:LINE: key: reason" line per problem in err. */
int engine_check_scenario(const scenario *s, const place *p, char *err, size_t errlen);

/* Why `name` is not a safe scenario name (a static phrase such as "it
 * contains '/'"), or NULL when it is one. */
const char *engine_name_problem(const char *name);

/* Checks a run's model list: no model twice and no two sharing a stream id
 * (model_def.stream_id). Returns 0, or -1 with one line in err. */
int engine_check_models(const model_def *const *models, size_t n, char *err, size_t errlen);

/* The models scenario s runs, chosen from the registry's n by its `models`
 * key (empty: every model), with those that always run, in registry order
 * whatever the key's order. Refuses, one "FILE:LINE: models: …" line each
 * in err: an unknown name (with the nearest model's), a model that always
 * runs, a name given twice, and a model whose needs (model_def.needs) the
 * models that run do not meet, naming the model it needs. Returns 0 and
 * *out (caller frees the array, not the models), or -1 (*out NULL). */
int engine_select_models(const scenario *s, const model_def *const *registry, size_t n,
                         const model_def ***out, size_t *n_out, char *err, size_t errlen);

/* The model among the n that declares `metric`, or NULL. */
const model_def *engine_model_of_metric(const model_def *const *models, size_t n,
                                        const char *metric);

/* Parameter tables of the engine and the given models, for scenario_load.
 * tables must hold n_models + 1 entries. */
void engine_param_tables(const model_def *const *models, size_t n_models, param_table *tables);

#endif
