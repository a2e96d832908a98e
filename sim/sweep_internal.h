/* sweep_internal.h — what the sweep_*.c files of the design share: where in
 * the sweep file each part was set (for messages), and the steps of
 * sweep_load. Not a public API: include sweep.h instead. */
#ifndef PLACESIM_SWEEP_INTERNAL_H
#define PLACESIM_SWEEP_INTERNAL_H

#include <stdarg.h>

#include "scenario.h"
#include "sweep.h"

/* A place in the sweep file (or one of its bases): the file as named from
 * the command line, and its line. */
typedef struct sweep_where {
    const char *file; /* points into sweep_source.file's names */
    int line;
} sweep_where;

/* Where each part of a sweep was set, kept from reading to validation. */
typedef struct sweep_source {
    scenario *file;         /* the composed sweep file (scenario_load_composed) */
    sweep_where *param_at;  /* per parameter: its `key` setting */
    sweep_where *arm_at;    /* per arm: its `scenario` setting */
    sweep_where *output_at; /* per output: its entry */
    sweep_where design_at;  /* the design's `type` */
    sweep_where samples_at; /* its `samples` (lhs, saltelli) */
    sweep_where *point_at;  /* list design: per point, its array */
    char (*arm_sha256)[65]; /* per arm: its resolved scenario and cost library
                                (sweep_check_arms), for the sweep's text */
} sweep_source;

/* Reads and resolves the sweep file at path into out (points only for a
 * list design, as given) and src. 0, or -1 with one
 * "FILE:LINE: key: what is wrong" line per problem in err; out and src
 * are then freed. */
int sweep_file_read(const char *path, sweep *out, sweep_source *src, char *err, size_t errlen);

void sweep_source_free(sweep_source *src);

/* Loads every arm, checks each parameter's key (and sets its `whole`),
 * each output against the arms, and grid and list values of whole keys.
 * 0, or -1 with lines in err. */
int sweep_check_arms(sweep *s, sweep_source *src, char *err, size_t errlen);

/* Loads every arm with every point's overrides; writes s->text and
 * s->sha256. 0, or -1 with lines in err (see sweep_load). */
int sweep_check_points(sweep *s, const sweep_source *src, char *err, size_t errlen);

/* Appends "FILE:LINE: " + the formatted message to err as one more line
 * (scenario_error_append). */
void sweep_error(char *err, size_t errlen, sweep_where at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The text of value v of parameter p as --set takes it: whole keys as
 * integers, others as floats in their shortest exact form. buf of 40. */
void sweep_value_text(const sweep_parameter *p, double v, char buf[40]);

#endif
