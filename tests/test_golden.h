/* test_golden.h — golden files: a text compared with a file's, shown line
 * by line when they differ. Include after cmocka.h.
 *
 * Set PLACESIM_UPDATE_GOLDEN=1 to rewrite the golden files from the current
 * output instead (then read the diff before keeping it). */
#ifndef PLACESIM_TEST_GOLDEN_H
#define PLACESIM_TEST_GOLDEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_files.h"

/* Fails unless `actual` is exactly the contents of golden_path, printing
 * both line by line ("-" expected, "+" actual, "  " the same). */
static inline void assert_golden(const char *golden_path, const char *actual)
{
    if (getenv("PLACESIM_UPDATE_GOLDEN")) {
        FILE *f = fopen(golden_path, "w");
        assert_non_null(f);
        fputs(actual, f);
        assert_int_equal(fclose(f), 0);
        return;
    }
    char *expected = test_read_file(golden_path);
    if (!expected) fail_msg("cannot read golden file %s", golden_path);
    if (strcmp(expected, actual) != 0) {
        fprintf(stderr, "output differs from %s (- expected, + actual):\n", golden_path);
        const char *e = expected, *a = actual;
        while (*e || *a) {
            size_t le = strcspn(e, "\n"), la = strcspn(a, "\n");
            if (le == la && strncmp(e, a, le) == 0) {
                fprintf(stderr, "  %.*s\n", (int)le, e);
            } else {
                if (*e) fprintf(stderr, "- %.*s\n", (int)le, e);
                if (*a) fprintf(stderr, "+ %.*s\n", (int)la, a);
            }
            e += le + (e[le] == '\n');
            a += la + (a[la] == '\n');
        }
        free(expected);
        fail_msg("golden mismatch: %s", golden_path);
    }
    free(expected);
}

#endif
