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

#endif
