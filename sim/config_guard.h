/* config_guard.h — reading a libconfig file so that neither the file's kind
 * nor its size can make loading hang.
 *
 * libconfig 1.5 (a fixed dependency) blocks on a FIFO and is quadratic in a
 * long line or string and in the settings of one group. Before libconfig
 * sees a file, config_guard_load opens it without blocking, refuses what is
 * not a regular file, reads it once into memory and pre-scans that text and
 * every fragment it @includes against the limits below, each refusal stating
 * the measured value and the limit. The caller hands the very same text to
 * config_read_string, so what was checked is what is parsed. */
#ifndef PLACESIM_CONFIG_GUARD_H
#define PLACESIM_CONFIG_GUARD_H

#include <stddef.h>
#include <sys/types.h>

/* The limits, in one place. config_guard.c says how each was measured. */
enum {
    /* Text of one scenario: its file, its bases and every fragment each
       @include reads (counted once per @include), together. */
    CONFIG_GUARD_MAX_BYTES = 32 << 20,
    /* One line, comments included. */
    CONFIG_GUARD_MAX_LINE = 64 << 10,
    /* One string, adjacent strings (which libconfig joins) counted as one. */
    CONFIG_GUARD_MAX_STRING = 64 << 10,
    /* Settings (`name = value`) directly inside one group or at top level. */
    CONFIG_GUARD_MAX_GROUP_SETTINGS = 64,
    /* Values (settings, and elements of lists and arrays) of one scenario
       with its bases and fragments. */
    CONFIG_GUARD_MAX_VALUES = 1500000,
    /* Groups, lists and arrays inside one another. */
    CONFIG_GUARD_MAX_NESTING = 64,
    /* @include directives followed in one scenario with its bases. */
    CONFIG_GUARD_MAX_INCLUDES = 64,
};

/* What one scenario has used of the limits so far: give each load a zeroed
 * budget and pass it to the load of every file of the scenario (a base
 * after the file that names it), so that a chain of bases is bounded as a
 * whole. */
typedef struct config_guard_budget {
    size_t bytes;
    size_t values;
    size_t includes;
} config_guard_budget;

/* A file's text as read. */
typedef struct config_guard_text {
    char *text; /* NUL-terminated, holds no other NUL; owned by the caller */
    size_t len;
    dev_t dev; /* the file's identity, from the open descriptor */
    ino_t ino;
} config_guard_text;

typedef enum config_guard_status {
    CONFIG_GUARD_OK = 0,
    CONFIG_GUARD_UNREADABLE, /* the path itself cannot be read: why says why */
    CONFIG_GUARD_REFUSED,    /* a limit, or a fragment: file, line and why say which */
    CONFIG_GUARD_NO_MEMORY
} config_guard_status;

/* Why a load failed; fields NULL/-1 unless the status sets them. */
typedef struct config_guard_problem {
    char *file; /* REFUSED: the file the problem is in (a fragment is named
                       as libconfig opens it: include_dir "/" name) */
    int line;   /* REFUSED: its line, or -1 when it is about the whole file */
    char *why;  /* UNREADABLE: the reason ("No such file or directory",
                       "not a regular file (a FIFO)"); REFUSED: what is wrong,
                       without file and line */
} config_guard_problem;

/* Reads the file at `path` whole and pre-scans it and the fragments it
 * @includes (looked up as libconfig 1.5 does: include_dir "/" name, or name
 * alone when include_dir is NULL), charging budget. Nothing is opened in a
 * way that can block, and only regular files are read.
 *
 * Returns CONFIG_GUARD_OK with out filled (free out->text); otherwise out is
 * zeroed and *problem says why (free its fields with
 * config_guard_problem_free). */
config_guard_status config_guard_load(const char *path, const char *include_dir,
                                      config_guard_budget *budget, config_guard_text *out,
                                      config_guard_problem *problem);

void config_guard_problem_free(config_guard_problem *problem);

/* libconfig 1.5 silently wraps an integer literal without an L suffix into
 * 32 bits (`years = 4294967297;` reads as 1). With allow_rewrite, *text is
 * replaced by a copy (len updated) with an L after every decimal literal
 * outside the 32-bit range, so that libconfig reads the value written;
 * without it (a fragment libconfig reads itself), such a literal is
 * refused. A literal outside 64 bits, or a hexadecimal one above 32 bits
 * without L, is always refused: REFUSED with file, line and the setting's
 * name in problem. Comments and strings are skipped. */
config_guard_status config_guard_widen_integers(const char *file, int allow_rewrite, char **text,
                                                size_t *len, config_guard_problem *problem);

#endif
