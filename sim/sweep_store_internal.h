/* sweep_store_internal.h — shared by sweep_store.c, sweep_store_schema.c and
 * sweep_merge.c; not for other modules. */
#ifndef PLACESIM_SWEEP_STORE_INTERNAL_H
#define PLACESIM_SWEEP_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include "sweep.h"

/* Writes "path: what: <SQLite's message>" into err; returns -1. */
int sweep_store_sql_error(char *err, size_t errlen, const char *path, const char *what,
                          sqlite3 *db);

/* printf into err (when err and errlen); returns -1. */
int sweep_store_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Runs one or more statements without results. 0 or -1 with err. */
int sweep_store_exec(sqlite3 *db, const char *sql, const char *path, const char *what, char *err,
                     size_t errlen);

/* Extended result codes, a busy timeout, WAL (refused when the file system
 * cannot do it) and the given synchronous level. 0 or -1 with err. */
int sweep_store_pragmas(sqlite3 *db, const char *path, const char *synchronous, char *err,
                        size_t errlen);

/* Creates the file, refusing an existing one (O_EXCL). 0 or -1 with err. */
int sweep_store_create_file(const char *path, char *err, size_t errlen);

/* Removes a database this process created, with its -wal and -shm files. */
void sweep_store_remove_files(const char *path);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void sweep_store_now(char buf[32]);

/* Creates the tables and indexes (series when with_series, run_years and
 * money when with_money), in the open transaction. 0 or -1 with err. */
int sweep_store_schema_create(sqlite3 *db, int with_series, int with_money, const char *path,
                              char *err, size_t errlen);

/* Writes the sweep, parameters, arms, points, point_values and outputs rows
 * of s, and PRAGMA user_version, in the open transaction. 0 or -1. */
int sweep_store_schema_fill(sqlite3 *db, const sweep *s, const char *shard, const char *path,
                            char *err, size_t errlen);

/* Creates the results_wide view from the parameters, outputs and arms rows
 * (one column per parameter and per output, <output>_diff columns when
 * there are 2+ arms), refusing two columns of one name (SQL identifiers
 * ignore case). 0 or -1 with err. */
int sweep_store_schema_view(sqlite3 *db, const char *path, char *err, size_t errlen);

#endif
