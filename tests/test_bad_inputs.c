/* test_bad_inputs.c — the bad-input corpus (tests/data/bad/, README.md there):
 * every case runs through the real placesim binary, which must refuse it
 * with the expected exit status and exactly the expected one-line message,
 * print nothing on stdout, and leave nothing behind: no output directory,
 * no temporary directory, and a file planted next to the output untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_files.h"

#define CORPUS_DIR "tests/data/bad"
enum { MIN_CASES = 60, MAX_ARGS = 1024, CASE_TIMEOUT_SECONDS = 60 };

static const char planted_name[] = "planted.txt";
static const char planted_text[] = "placesim must leave this file alone\n";

static char work_dir[64];

typedef struct bad_case {
    char name[128];
} bad_case;

/* A growing string for a failure report; aborts the test when memory runs out. */
typedef struct report {
    char *text;
    size_t len, cap;
} report;

static void report_add(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report_add(report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    if (r->len + (size_t)n + 1 > r->cap) {
        r->cap = 2 * (r->len + (size_t)n + 1);
        r->text = realloc(r->text, r->cap);
        assert_non_null(r->text);
    }
    va_start(ap, fmt);
    vsnprintf(r->text + r->len, r->cap - r->len, fmt, ap);
    va_end(ap);
    r->len += (size_t)n;
}

/* Whole file under the source directory; NULL when it cannot be read. */
static char *read_source_file(const char *relative)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", PLACESIM_SOURCE_DIR, relative);
    return test_read_file(path);
}

static int source_file_exists(const char *relative)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", PLACESIM_SOURCE_DIR, relative);
    struct stat st;
    return stat(path, &st) == 0;
}

/* text with every `from` replaced by `to` (caller frees). */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t from_len = strlen(from), to_len = strlen(to), count = 0;
    for (const char *p = strstr(text, from); p; p = strstr(p + from_len, from)) count++;
    char *out = malloc(strlen(text) + count * to_len + 1);
    assert_non_null(out);
    char *o = out;
    for (const char *p = text;;) {
        const char *hit = strstr(p, from);
        size_t keep = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(o, p, keep);
        o += keep;
        if (!hit) break;
        memcpy(o, to, to_len);
        o += to_len;
        p = hit + from_len;
    }
    *o = '\0';
    return out;
}

/* The case's arguments after the placeholders are filled in: one per line
 * of NAME.args (the final newline ends the last one; an empty file is no
 * argument at all), or the default run. Returns the count; the strings live
 * in *storage (caller frees). */
static int case_arguments(const bad_case *c, const char *out_dir, char **argv, char **storage)
{
    char relative[256], cfg[256];
    snprintf(relative, sizeof relative, CORPUS_DIR "/%s.args", c->name);
    snprintf(cfg, sizeof cfg, CORPUS_DIR "/%s.cfg", c->name);
    char *lines = read_source_file(relative);
    if (!lines) {
        lines = strdup("run\n{CFG}\n-o\n{OUT}\n--reps\n1\n");
        assert_non_null(lines);
    }
    char *with_cfg = replace_all(lines, "{CFG}", cfg);
    *storage = replace_all(with_cfg, "{OUT}", out_dir);
    free(lines);
    free(with_cfg);
    int argc = 0;
    for (char *p = *storage; *p;) {
        char *nl = strchr(p, '\n');
        assert_true(argc < MAX_ARGS);
        argv[argc++] = p;
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
    }
    return argc;
}

/* Runs placesim with argv from the source directory, stdout and stderr to
 * the given files, stdin empty; returns the wait status. */
static int run_placesim(int argc, char **argv, const char *stdout_path, const char *stderr_path)
{
    char *full[MAX_ARGS + 2];
    full[0] = PLACESIM_BINARY;
    for (int i = 0; i < argc; i++) full[i + 1] = argv[i];
    full[argc + 1] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || err < 0 || chdir(PLACESIM_SOURCE_DIR) != 0 || dup2(in, 0) < 0 ||
            dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(126);
        /* A hang is a failure too: the alarm outlives exec. */
        alarm(CASE_TIMEOUT_SECONDS);
        execv(PLACESIM_BINARY, full);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) assert_int_equal(errno, EINTR);
    return status;
}

/* How many names dir holds. */
static int count_names(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    while (readdir(d)) n++;
    closedir(d);
    return n;
}

/* Every name in dir other than the planted file, comma-separated, into r;
 * returns how many there were, -1 when dir itself is gone. */
static int list_leftovers(const char *dir, report *r)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, planted_name) == 0)
            continue;
        report_add(r, "%s%s", n++ ? ", " : "", e->d_name);
    }
    closedir(d);
    return n;
}

static void run_case(void **state)
{
    const bad_case *c = *state;
    report r = { 0 };

    char relative[256];
    snprintf(relative, sizeof relative, CORPUS_DIR "/%s.expected", c->name);
    char *expected_raw = read_source_file(relative);
    assert_non_null(expected_raw);
    char *expected = replace_all(expected_raw, "{SOURCE}", PLACESIM_SOURCE_DIR);
    free(expected_raw);
    int expected_status = strncmp(c->name, "usage_", 6) == 0 ? 2 : 1;

    /* The output goes into a fresh directory that holds one planted file. */
    char parent[256], out_dir[300], planted[300], stdout_path[300], stderr_path[300];
    snprintf(parent, sizeof parent, "%s/%s", work_dir, c->name);
    snprintf(out_dir, sizeof out_dir, "%s/out", parent);
    snprintf(planted, sizeof planted, "%s/%s", parent, planted_name);
    snprintf(stdout_path, sizeof stdout_path, "%s/%s.stdout", work_dir, c->name);
    snprintf(stderr_path, sizeof stderr_path, "%s/%s.stderr", work_dir, c->name);
    assert_int_equal(mkdir(parent, 0755), 0);
    FILE *f = fopen(planted, "w");
    assert_non_null(f);
    fputs(planted_text, f);
    assert_int_equal(fclose(f), 0);

    char *argv[MAX_ARGS], *storage;
    int argc = case_arguments(c, out_dir, argv, &storage);
    int corpus_before = count_names(PLACESIM_SOURCE_DIR "/" CORPUS_DIR);
    int status = run_placesim(argc, argv, stdout_path, stderr_path);
    char *actual_out = test_read_file(stdout_path);
    char *actual_err = test_read_file(stderr_path);
    assert_non_null(actual_out);
    assert_non_null(actual_err);

    if (WIFSIGNALED(status)) {
        report_add(&r, "  killed by signal %d%s\n", WTERMSIG(status),
                   WTERMSIG(status) == SIGALRM ? " (timed out)" : "");
    } else if (WEXITSTATUS(status) != expected_status) {
        report_add(&r, "  exit status %d, expected %d\n", WEXITSTATUS(status), expected_status);
    }
    if (strcmp(actual_err, expected) != 0) {
        report_add(&r, "  expected stderr: %s", expected);
        report_add(&r, "  actual stderr:   %s%s", actual_err,
                   actual_err[0] && actual_err[strlen(actual_err) - 1] == '\n' ? "" : "\n");
    }
    if (actual_out[0]) report_add(&r, "  stdout not empty: %.300s\n", actual_out);
    size_t before = r.len;
    report_add(&r, "  left next to the output (nothing may be): ");
    int leftovers = list_leftovers(parent, &r);
    if (leftovers == 0) {
        r.len = before;
        r.text[r.len] = '\0';
    } else {
        report_add(&r, leftovers < 0 ? "(the directory itself was removed)\n" : "\n");
    }
    if (count_names(PLACESIM_SOURCE_DIR "/" CORPUS_DIR) != corpus_before)
        report_add(&r, "  a file appeared in or vanished from " CORPUS_DIR "\n");
    char *kept = test_read_file(planted);
    if (!kept || strcmp(kept, planted_text) != 0) report_add(&r, "  the planted file changed\n");
    free(kept);

    if (r.len) {
        print_error("case %s (placesim", c->name);
        for (int i = 0; i < argc; i++) print_error(" %s", argv[i]);
        print_error("):\n%s", r.text);
    }
    int failed = r.len != 0;
    free(r.text);
    free(storage);
    free(expected);
    free(actual_out);
    free(actual_err);
    char command[1024];
    snprintf(command, sizeof command, "rm -rf '%s' '%s' '%s'", parent, stdout_path, stderr_path);
    assert_int_equal(system(command), 0);
    if (failed) fail_msg("case %s: see above", c->name);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int compare_cases(const void *a, const void *b)
{
    return strcmp(((const bad_case *)a)->name, ((const bad_case *)b)->name);
}

/* The cases: one per NAME.expected, in name order. */
static bad_case *find_cases(size_t *n)
{
    DIR *d = opendir(PLACESIM_SOURCE_DIR "/" CORPUS_DIR);
    if (!d) return NULL;
    size_t cap = 128;
    bad_case *cases = malloc(cap * sizeof *cases);
    *n = 0;
    for (struct dirent *e; cases && (e = readdir(d));) {
        if (!ends_with(e->d_name, ".expected")) continue;
        size_t len = strlen(e->d_name) - strlen(".expected");
        if (len == 0 || len >= sizeof cases->name) continue;
        if (*n == cap) {
            bad_case *grown = realloc(cases, 2 * cap * sizeof *cases);
            if (!grown) {
                free(cases);
                cases = NULL;
                break;
            }
            cases = grown;
            cap *= 2;
        }
        memcpy(cases[*n].name, e->d_name, len);
        cases[(*n)++].name[len] = '\0';
    }
    closedir(d);
    if (cases) qsort(cases, *n, sizeof *cases, compare_cases);
    return cases;
}

/* The corpus itself: big enough, every expectation one line, every case
 * with a scenario or a command line. */
static void corpus_is_well_formed(void **state)
{
    (void)state;
    size_t n = 0;
    bad_case *cases = find_cases(&n);
    assert_non_null(cases);
    if (n < MIN_CASES) fail_msg("%zu cases in " CORPUS_DIR ", at least %d expected", n, MIN_CASES);
    for (size_t i = 0; i < n; i++) {
        char relative[256];
        snprintf(relative, sizeof relative, CORPUS_DIR "/%s.expected", cases[i].name);
        char *expected = read_source_file(relative);
        assert_non_null(expected);
        char *nl = strchr(expected, '\n');
        if (!nl || nl == expected || nl[1] != '\0')
            fail_msg("%s: the expected message must be one non-empty line ending in a newline",
                     relative);
        free(expected);
        char args[256], cfg[256];
        snprintf(args, sizeof args, CORPUS_DIR "/%s.args", cases[i].name);
        snprintf(cfg, sizeof cfg, CORPUS_DIR "/%s.cfg", cases[i].name);
        if (!source_file_exists(args) && !source_file_exists(cfg))
            fail_msg("case %s has neither %s nor %s", cases[i].name, cfg, args);
    }
    free(cases);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(work_dir, sizeof work_dir, "/tmp/placesim_bad_XXXXXX");
    return mkdtemp(work_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return test_remove_tree(work_dir);
}

int main(void)
{
    size_t n = 0;
    bad_case *cases = find_cases(&n);
    if (!cases) {
        fprintf(stderr, "test_bad_inputs: cannot list %s/%s\n", PLACESIM_SOURCE_DIR, CORPUS_DIR);
        return 1;
    }
    /* One cmocka test per case, so that each passes or fails by its name;
     * the list is only known at run time, hence the array and the
     * function behind cmocka_run_group_tests. */
    struct CMUnitTest *tests = calloc(n + 1, sizeof *tests);
    if (!tests) return 1;
    tests[0] = (struct CMUnitTest)cmocka_unit_test(corpus_is_well_formed);
    for (size_t i = 0; i < n; i++) {
        tests[i + 1] = (struct CMUnitTest){ .name = cases[i].name,
                                            .test_func = run_case,
                                            .initial_state = &cases[i] };
    }
    int failed = _cmocka_run_group_tests("bad_inputs", tests, n + 1, group_setup, group_teardown);
    free(tests);
    free(cases);
    return failed;
}
