/* cli_args.c — the option syntax every subcommand shares: "--opt value" or
 * "--opt=value", whole numbers with their range in the message, and the
 * --set list, so that run, check and calibrate accept and refuse alike. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_is_option(const char *arg, const char *name)
{
    size_t len = strlen(name);
    return strncmp(arg, name, len) == 0 && (arg[len] == '\0' || arg[len] == '=');
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name)
{
    size_t len = strlen(name);
    if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=') return argv[*i] + len + 1;
    if (strcmp(argv[*i], name) == 0 && *i + 1 < argc) return argv[++*i];
    return NULL;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    fprintf(stderr, "placesim %s: ", command);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try placesim %s --help)\n", command);
    return EXIT_USAGE;
}

int cli_parse_count(const char *text, unsigned long long max, unsigned long long *value)
{
    /* strtoull would skip leading space and take a sign: " 3", "+3" and
     * "-1" (as 2^64-1) are not what a user means by a count. */
    if (!text || !isdigit((unsigned char)text[0])) return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end || v > max) return -1;
    *value = v;
    return 0;
}

int cli_option_count(const char *command, int argc, char **argv, int *i, const char *name,
                     unsigned long long min, unsigned long long max, unsigned long long *value)
{
    const char *text = cli_option_value(argc, argv, i, name);
    unsigned long long v;
    if (cli_parse_count(text, max, &v) != 0 || v < min) {
        if (max == UINT64_MAX)
            return cli_usage_error(command, "%s needs a whole number from %llu to 2^64-1, not '%s'",
                                   name, min, text ? text : "");
        return cli_usage_error(command, "%s needs a whole number from %llu to %llu, not '%s'", name,
                               min, max, text ? text : "");
    }
    *value = v;
    return 0;
}

int cli_overrides_add(const char *command, int argc, char **argv, int *i, cli_overrides *o)
{
    const char *value = cli_option_value(argc, argv, i, "--set");
    if (!value) return cli_usage_error(command, "--set needs key=value");
    if (o->n == CLI_MAX_OVERRIDES)
        return cli_usage_error(command, "at most %d --set overrides", CLI_MAX_OVERRIDES);
    o->items[o->n++] = value;
    return 0;
}

int cli_option_size(const char *command, int argc, char **argv, int *i, const char *name,
                    cli_memory_limit *limit)
{
    const char *text = cli_option_value(argc, argv, i, name);
    if (cli_parse_size(text, &limit->bytes) != 0)
        return cli_usage_error(command,
                               "%s needs a size in bytes, with K, M, G or T for powers "
                               "of 1024 (e.g. 8G), not '%s'",
                               name, text ? text : "");
    limit->given = 1;
    return 0;
}
