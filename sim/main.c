/* main.c — the placesim binary: dispatches a subcommand. Built a second
 * time with PLACESIM_MPI as placesim-mpi, whose sweep runs over MPI ranks. */
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "alloc_tuning.h"
#include "cli.h"
#ifdef PLACESIM_MPI
#include "sweep_mpi.h"
#endif

static void usage(FILE *out)
{
#ifdef PLACESIM_MPI
    /* The same program, but its sweep is the distributed one: say so first. */
    fputs("placesim-mpi: placesim built with MPI. Its sweep runs over MPI ranks:\n"
          "  mpirun -np N placesim-mpi sweep SWEEP -o RESULTS.db [-j N] [--resume] [--quiet]\n"
          "  (placesim-mpi sweep --help for more; README.md, \"Distributed (MPI)\").\n"
          "Every other command is placesim's:\n\n",
          out);
#endif
    fputs(
        "usage: placesim COMMAND [ARGS]\n"
        "\n"
        "commands:\n"
        "  run SCENARIO [-o DIR] [--force] [--reps N] [--seed S] [-j N]\n"
        "               [--period day|week|month|quarter|year|fy] [--set key=value]...\n"
        "               [--max-memory SIZE]\n"
        "                         simulate and write DIR/series.csv and DIR/manifest.json\n"
        "  check SCENARIO [--set key=value]... [--reps N] [-j N] [--period P] [--max-memory SIZE]\n"
        "                         validate only; print the resolved scenario and the\n"
        "                         run's estimated peak memory\n"
        "  describe [MODEL]       models, parameters, metrics and units\n"
        "  calibrate SCENARIO [--reps N] [--seed S] [-j N] [--max-evals N] [--set key=value]...\n"
        "                         fit the scenario's free parameters to its targets\n"
        "  compare BASE_DIR ARM_DIR... | EXPERIMENT_DIR [--from FY --to FY] [--area NAME]...\n"
        "          [--metric NAME]... [--discount RATE] [--unpaired] [--csv FILE] [--json FILE]\n"
        "                         each arm against the base: differences with 95% intervals,\n"
        "                         who pays and who benefits, cost-benefit\n"
        "  report DIR... | EXPERIMENT_DIR -o FILE.html [--metric NAME]... [--from FY --to FY]\n"
        "          [--area NAME]... [--discount RATE] [--unpaired] [--force]\n"
        "                         one self-contained HTML page: charts, who pays, cost-benefit\n"
        "  sweep SWEEP -o RESULTS.db [-j N] [--resume] [--shard K/N] [--quiet]\n"
        "                         run every point, arm and replication of a sweep into SQLite\n"
        "  merge OUT.db SHARD.db...\n"
        "                         combine the shard databases of one sweep\n"
        "  sensitivity RESULTS.db --metric M [--summary S] [--arm A [--difference]]\n"
        "          [--bootstrap N] [--seed S] [--csv FILE] [--json FILE]\n"
        "                         Sobol indices of a Saltelli sweep, with 95% intervals\n"
        "\n"
        "  placesim COMMAND --help    help on one command\n"
        "  placesim --version\n",
        out);
}

int main(int argc, char **argv)
{
    /* Library code checks GSL's return codes itself; GSL's default handler
     * would abort the process instead. */
    gsl_set_error_handler_off();
    alloc_tune_for_replications();

    if (argc < 2) {
        fprintf(stderr, "placesim: missing COMMAND (try placesim --help)\n");
        return EXIT_USAGE;
    }
    const char *command = argv[1];
    if (strcmp(command, "--version") == 0) {
        printf("placesim %s\n", PLACESIM_VERSION);
        return 0;
    }
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
        strcmp(command, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(command, "run") == 0) return cli_run(argc - 2, argv + 2);
    if (strcmp(command, "check") == 0) return cli_check(argc - 2, argv + 2);
    if (strcmp(command, "describe") == 0) return cli_describe(argc - 2, argv + 2);
    if (strcmp(command, "calibrate") == 0) return cli_calibrate(argc - 2, argv + 2);
    if (strcmp(command, "compare") == 0) return cli_compare(argc - 2, argv + 2);
    if (strcmp(command, "report") == 0) return cli_report(argc - 2, argv + 2);
#ifdef PLACESIM_MPI
    if (strcmp(command, "sweep") == 0) return cli_sweep_mpi(argc - 2, argv + 2);
#else
    if (strcmp(command, "sweep") == 0) return cli_sweep(argc - 2, argv + 2);
#endif
    if (strcmp(command, "merge") == 0) return cli_merge(argc - 2, argv + 2);
    if (strcmp(command, "sensitivity") == 0) return cli_sensitivity(argc - 2, argv + 2);
    fprintf(stderr, "placesim: unknown command '%s' (try placesim --help)\n", command);
    return EXIT_USAGE;
}
