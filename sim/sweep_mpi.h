/* sweep_mpi.h — `placesim-mpi sweep`: a sweep's points spread over MPI ranks
 * (built only into placesim-mpi, with PLACESIM_MPI).
 *
 * Rank 0 owns the store (the only writer) and hands out one point at a time
 * (all its arms and replications, so paired differences form on the worker);
 * the other ranks run each point with sweep_run_points, the threaded
 * runner's own loop, and send every finished run back as it finishes. With
 * one rank, rank 0 runs the sweep itself (sweep_run). Results are the
 * serial ones: a run is a pure function of its seed. Ranks are assumed to
 * be one binary on one architecture (records travel as raw bytes). */
#ifndef PLACESIM_SWEEP_MPI_H
#define PLACESIM_SWEEP_MPI_H

#include <stddef.h>

#include "sweep.h"
#include "sweep_run.h"
#include "sweep_store.h"

/* `placesim-mpi sweep ARGS`: initialises and finalises MPI itself. Every
 * rank returns the same exit status (0, 1, 2, 3 as `placesim sweep`); on
 * SIGINT/SIGTERM rank 0 closes the store and calls MPI_Abort (130/143). */
int cli_sweep_mpi(int argc, char **argv);

/* The outcome of the distributed part, filled on rank 0. */
typedef struct sweep_mpi_result {
    sweep_run_totals t;
    int error; /* the sweep itself failed: reason in err */
    int abort; /* workers may still be waiting: MPI_Abort after closing */
} sweep_mpi_result;

/* Rank 0 (sweep_mpi_work.c): hands out the points of s not yet recorded in
 * st to ranks 1 … n_ranks-1 and records what they send, updating progress
 * (optional). Returns when every worker has been told to stop, or as soon
 * as a signal is received (interrupt.h; the caller then closes the store
 * and aborts). */
void sweep_mpi_dispatch(const sweep *s, sweep_store *st, int n_ranks, sweep_progress *progress,
                        sweep_mpi_result *res, char *err, size_t errlen);

/* Ranks > 0 (sweep_mpi_work.c): runs the points rank 0 sends, on threads
 * threads each, until told to stop. */
void sweep_mpi_work(const sweep *s, unsigned threads);

#endif
