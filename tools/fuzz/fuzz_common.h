/* fuzz_common.h — what the libFuzzer harnesses share: a private scratch
 * directory made once per process, in which each input is written as a file
 * (the loaders read files, and bases and @include resolve next to them).
 *
 * Header-only (static inline functions) so that each harness is one translation
 * unit; PLACESIM_SOURCE_DIR is defined by CMakeLists.txt. */
#ifndef PLACESIM_FUZZ_COMMON_H
#define PLACESIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PLACESIM_SOURCE_DIR
#error "PLACESIM_SOURCE_DIR must name the source tree"
#endif

enum { FUZZ_PATH_BYTES = 4096, FUZZ_MAX_LINKS = 16 };

typedef struct fuzz_dir {
    char root[FUZZ_PATH_BYTES];                  /* the scratch directory */
    char links[FUZZ_MAX_LINKS][FUZZ_PATH_BYTES]; /* what to remove at exit */
    size_t n_links;
    char subdirs[4][FUZZ_PATH_BYTES];
    size_t n_subdirs;
} fuzz_dir;

/* One per process: libFuzzer runs a harness single-threaded, and the
 * directory must outlive every input (removed at exit). */
static fuzz_dir fuzz_scratch;

static inline _Noreturn void fuzz_die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz: %s %s\n", what, path);
    abort();
}

static inline void fuzz_path(char *out, const char *rel)
{
    int n = snprintf(out, FUZZ_PATH_BYTES, "%s/%s", fuzz_scratch.root, rel);
    if (n < 0 || n >= FUZZ_PATH_BYTES) fuzz_die("path too long:", rel);
}

static inline void fuzz_cleanup(void)
{
    for (size_t i = fuzz_scratch.n_links; i > 0; i--) unlink(fuzz_scratch.links[i - 1]);
    for (size_t i = fuzz_scratch.n_subdirs; i > 0; i--) rmdir(fuzz_scratch.subdirs[i - 1]);
    if (fuzz_scratch.root[0]) rmdir(fuzz_scratch.root);
}

/* Makes the scratch directory under $TMPDIR (else /tmp); aborts on failure,
 * since a harness without it would test nothing. */
static inline void fuzz_dir_init(const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    int n = snprintf(fuzz_scratch.root, FUZZ_PATH_BYTES, "%s/%s-XXXXXX", tmp, prefix);
    if (n < 0 || n >= FUZZ_PATH_BYTES) fuzz_die("TMPDIR too long:", tmp);
    if (!mkdtemp(fuzz_scratch.root)) fuzz_die("cannot make a directory in", tmp);
    atexit(fuzz_cleanup);
}

static inline void fuzz_subdir(const char *rel)
{
    if (fuzz_scratch.n_subdirs == sizeof fuzz_scratch.subdirs / sizeof fuzz_scratch.subdirs[0])
        fuzz_die("too many subdirectories:", rel);
    char *path = fuzz_scratch.subdirs[fuzz_scratch.n_subdirs];
    fuzz_path(path, rel);
    if (mkdir(path, 0700) != 0) fuzz_die("cannot make", path);
    fuzz_scratch.n_subdirs++;
}

/* A symlink rel (inside the scratch directory) to source-tree path src.
 * A missing src aborts, unless optional: then there is no link, and inputs
 * that name it meet "cannot read" (the same in every process). */
static inline void fuzz_link_to(const char *rel, const char *src, int optional)
{
    if (fuzz_scratch.n_links == FUZZ_MAX_LINKS) fuzz_die("too many links:", rel);
    char target[FUZZ_PATH_BYTES];
    int n = snprintf(target, sizeof target, "%s/%s", PLACESIM_SOURCE_DIR, src);
    if (n < 0 || n >= (int)sizeof target) fuzz_die("path too long:", src);
    if (access(target, R_OK) != 0) {
        if (optional) return;
        fuzz_die("missing from the source tree:", target);
    }
    char *path = fuzz_scratch.links[fuzz_scratch.n_links];
    fuzz_path(path, rel);
    if (symlink(target, path) != 0) fuzz_die("cannot link", path);
    fuzz_scratch.n_links++;
}

static inline void fuzz_link(const char *rel, const char *src) { fuzz_link_to(rel, src, 0); }

/* Registers a file the harness writes, so that it is removed at exit. */
static inline void fuzz_owned_file(char *path_out, const char *rel)
{
    if (fuzz_scratch.n_links == FUZZ_MAX_LINKS) fuzz_die("too many files:", rel);
    fuzz_path(path_out, rel);
    strcpy(fuzz_scratch.links[fuzz_scratch.n_links++], path_out);
}

/* Replaces the file at path with the n bytes at data. */
static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) fuzz_die("cannot write", path);
    int failed = n && fwrite(data, 1, n, f) != n;
    if (fclose(f) != 0) failed = 1;
    if (failed) fuzz_die("cannot write", path);
}

/* /dev/null as a stream, for the writers (print, describe, JSON). */
static inline FILE *fuzz_devnull(void)
{
    static FILE *null_stream;
    if (!null_stream && !(null_stream = fopen("/dev/null", "w")))
        fuzz_die("cannot open", "/dev/null");
    return null_stream;
}

#endif
