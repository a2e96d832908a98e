/* test_files.h — files and directories, as several tests need. */
#ifndef PLACESIM_TEST_FILES_H
#define PLACESIM_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>

/* A whole file as a NUL-terminated string (caller frees); NULL when it
 * cannot be opened or memory runs out. */
static inline char *test_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text) text[fread(text, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return text;
}

/* Removes dir and everything in it (a test's scratch directory); 0 or -1. */
static inline int test_remove_tree(const char *dir)
{
    char command[1024];
    int n = snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (n < 0 || (size_t)n >= sizeof command) return -1;
    return system(command) == 0 ? 0 : -1;
}

#if defined(PLACESIM_BINARY) && defined(PLACESIM_SOURCE_DIR)
#include <sys/wait.h>

/* Runs `placesim ARGS` from the source directory with stdout and stderr
 * captured to OUT_DIR/stdout and OUT_DIR/stderr; the exit status, or -1
 * when it did not exit. */
static inline int test_placesim(const char *out_dir, const char *args)
{
    char command[4096];
    snprintf(command, sizeof command, "cd %s && %s %s >%s/stdout 2>%s/stderr", PLACESIM_SOURCE_DIR,
             PLACESIM_BINARY, args, out_dir, out_dir);
    int status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
#endif

/* The whole file DIR/NAME (test_read_file). */
static inline char *test_read_in(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return test_read_file(path);
}

#endif
