/* cli_merge.c — `placesim merge OUT.db SHARD.db...`: the shard databases of
 * one sweep (placesim sweep --shard K/N) combined into one. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sweep_store.h"

static const char merge_help[] =
    "usage: placesim merge OUT.db SHARD.db...\n"
    "\n"
    "Combines the results databases of the shards of one sweep (placesim sweep\n"
    "--shard K/N) into OUT.db, which must not exist. Refuses shards of another\n"
    "sweep (another sha256) and a run present in two shards. OUT.db holds the\n"
    "rows one unsharded sweep would have written (README.md § \"Sweep results\n"
    "(SQLite)\"); a shard not yet complete can be merged and the result\n"
    "completed with placesim sweep --resume.\n";

int cli_merge(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(merge_help, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error("merge", "unknown option '%s'", argv[i]);
    }
    if (argc < 2)
        return cli_usage_error("merge", "give the output database and one or more shard "
                                        "databases");
    char err[1024];
    if (sweep_store_merge(argv[0], (const char *const *)(argv + 1), (size_t)(argc - 1), err,
                          sizeof err) != 0) {
        fprintf(stderr, "placesim merge: %s\n", err);
        return EXIT_FAILURE_DATA;
    }
    fprintf(stderr, "placesim merge: wrote %s from %d shard database%s\n", argv[0], argc - 1,
            argc == 2 ? "" : "s");
    return 0;
}
