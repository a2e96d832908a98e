/* test_safety.c — the binary under hostile conditions: scenario names that
 * try to leave the output folder, interrupts and kills mid-run, a file-size
 * limit and a full disk. Each test plants files and checks, by listing the
 * whole tree before and after, that nothing outside the output directory
 * changed and that no temporary directory was left. */
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
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_files.h"

static char work[64];

static int setup(void **state)
{
    (void)state;
    snprintf(work, sizeof work, "/tmp/placesim_safety_XXXXXX");
    return mkdtemp(work) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(work);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Every path under `dir` with its size, sorted: a fingerprint of the tree
 * that changes when anything is created, removed or rewritten. */
static char *tree(const char *dir)
{
    char command[512];
    snprintf(command, sizeof command,
             "cd '%s' && find . -printf '%%p %%s\\n' | LC_ALL=C sort > ../tree.txt", dir);
    assert_int_equal(system(command), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/../tree.txt", dir);
    char *text = test_read_file(path);
    assert_non_null(text);
    return text;
}

/* Runs `sh -c "cd DIR && COMMAND"` with placesim as $P, stderr to
 * work/stderr; returns the exit status (128+N for a signal N). */
static int shell(const char *dir, const char *command)
{
    char line[2048];
    snprintf(line, sizeof line, "cd '%s' && P='%s' && %s 2>'%s/stderr' >/dev/null", dir,
             PLACESIM_BINARY, command, work);
    int status = system(line);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *stderr_text(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/stderr", work);
    char *text = test_read_file(path);
    assert_non_null(text);
    return text;
}

/* A minimal scenario, one year, for runs that must finish. */
static const char small_scenario[] =
    "start = \"2025-04-01\"; years = 1; warmup_years = 0;\n"
    "areas = ( { name = \"A\"; population = 5000; dwellings = 2000; social_dwellings = 500; } );\n"
    "housing = { repair_teams = 2; };\n";

/* The scenario's name never reaches outside the output folder: from the
 * file, from --set, or from a base; with and without --force. */
static void unsafe_names_write_nothing(void **state)
{
    (void)state;
    /* work/place/{victim/keep.txt, a/b/} ; runs start in work/place/a/b. */
    char place[128], p[512];
    snprintf(place, sizeof place, "%s/place", work);
    assert_int_equal(mkdir(place, 0777), 0);
    snprintf(p, sizeof p, "%s/victim", place);
    assert_int_equal(mkdir(p, 0777), 0);
    snprintf(p, sizeof p, "%s/victim/keep.txt", place);
    write_text(p, "precious\n");
    snprintf(p, sizeof p, "%s/a", place);
    assert_int_equal(mkdir(p, 0777), 0);
    snprintf(p, sizeof p, "%s/a/b", place);
    assert_int_equal(mkdir(p, 0777), 0);
    char b[160];
    snprintf(b, sizeof b, "%s/a/b", place);

    char text[1024];
    snprintf(text, sizeof text, "name = \"../../../victim\";\n%s", small_scenario);
    snprintf(p, sizeof p, "%s/evil.cfg", b);
    write_text(p, text);
    snprintf(text, sizeof text, "name = \"../../../victim\";\n%s", small_scenario);
    snprintf(p, sizeof p, "%s/base.cfg", b);
    write_text(p, text);
    snprintf(p, sizeof p, "%s/child.cfg", b);
    write_text(p, "base = \"base.cfg\";\n");
    snprintf(p, sizeof p, "%s/plain.cfg", b);
    write_text(p, small_scenario);
    snprintf(p, sizeof p, "%s/..cfg", b);
    write_text(p, small_scenario);
    char *before = tree(place);

    static const struct {
        const char *command;
        const char *message;
    } cases[] = {
        { "$P run evil.cfg --reps 1 --force",
          "evil.cfg:1: name: \"../../../victim\" is not a safe scenario name (it contains '/'); "
          "a name is one path component of letters, digits, '.', '_' and '-', not starting "
          "with '.', at most 100 characters\n" },
        { "$P run evil.cfg --reps 1",
          "evil.cfg:1: name: \"../../../victim\" is not a safe scenario name (it contains '/'); "
          "a name is one path component of letters, digits, '.', '_' and '-', not starting "
          "with '.', at most 100 characters\n" },
        { "$P run plain.cfg --reps 1 --force --set name=../../../victim",
          "--set:1: name: \"../../../victim\" is not a safe scenario name (it contains '/'); "
          "a name is one path component of letters, digits, '.', '_' and '-', not starting "
          "with '.', at most 100 characters\n" },
        { "$P run plain.cfg --reps 1 --set name=..",
          "--set:1: name: \"..\" is not a safe scenario name (it starts with '.'); a name is one "
          "path component of letters, digits, '.', '_' and '-', not starting with '.', at most "
          "100 characters\n" },
        { "$P run plain.cfg --reps 1 --set 'name=\"a\\nb\"'",
          "--set:1: name: \"a\\nb\" contains a control character; strings are one line of "
          "printable text\n" },
        { "$P run plain.cfg --reps 1 --set 'name=a*b'",
          "--set:1: name: \"a*b\" is not a safe scenario name (it contains a character other "
          "than a letter, digit, '.', '_' or '-'); a name is one path component of letters, "
          "digits, '.', '_' and '-', not starting with '.', at most 100 characters\n" },
        { "$P check ..cfg",
          "..cfg: name: the file's name gives the scenario name \".\", which is not safe (it "
          "starts with '.'); set name = \"...\" in the file (letters, digits, '.', '_' and "
          "'-')\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = shell(b, cases[i].command);
        char *message = stderr_text();
        if (status != 1 || strcmp(message, cases[i].message) != 0)
            fail_msg("%s: exit %d, message\n%s\nexpected\n%s", cases[i].command, status, message,
                     cases[i].message);
        free(message);
        char *after = tree(place);
        assert_string_equal(after, before);
        free(after);
    }

    /* A base's name is never inherited: the child is named after its own
     * file and its run stays in runs/child. */
    assert_int_equal(shell(b, "$P run child.cfg --reps 1"), 0);
    snprintf(p, sizeof p, "%s/runs/child/manifest.json", b);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    snprintf(p, sizeof p, "%s/victim/keep.txt", place);
    char *kept = test_read_file(p);
    assert_string_equal(kept, "precious\n");
    free(kept);
    free(before);
}

/* The temporary directories beside `out`, joined by spaces. */
static void temporaries(const char *parent, char *out, size_t outlen)
{
    out[0] = '\0';
    DIR *d = opendir(parent);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".tmp-")) {
            strncat(out, e->d_name, outlen - strlen(out) - 2);
            strncat(out, " ", outlen - strlen(out) - 1);
        }
    }
    closedir(d);
}

/* Starts a long run of the default borough into work/sig/out, waits until
 * its temporary directory exists (the run has started), and returns its pid.
 * stderr goes to work/stderr. */
static pid_t start_long_run(const char *parent)
{
    char out[256], err_path[128];
    snprintf(out, sizeof out, "%s/out", parent);
    snprintf(err_path, sizeof err_path, "%s/stderr", work);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 2) < 0 || chdir(PLACESIM_SOURCE_DIR) != 0) _exit(99);
        int null_fd = open("/dev/null", O_WRONLY);
        if (null_fd >= 0) dup2(null_fd, 1);
        execl(PLACESIM_BINARY, "placesim", "run", "scenarios/borough.cfg", "--reps", "200", "-j",
              "1", "-o", out, (char *)NULL);
        _exit(98);
    }
    char found[512] = "";
    for (int i = 0; i < 6000 && !found[0]; i++) { /* at most a minute */
        temporaries(parent, found, sizeof found);
        if (!found[0]) {
            struct timespec ms = { 0, 10 * 1000 * 1000 };
            nanosleep(&ms, NULL);
        }
    }
    assert_true(found[0] != '\0');
    /* Into the replications. */
    struct timespec wait = { 0, 300 * 1000 * 1000 };
    nanosleep(&wait, NULL);
    return pid;
}

static void interrupt_and_check(int sig, int expected_status, const char *name)
{
    char parent[128], list[512];
    snprintf(parent, sizeof parent, "%s/sig%d", work, sig);
    assert_int_equal(mkdir(parent, 0777), 0);
    pid_t pid = start_long_run(parent);
    assert_int_equal(kill(pid, sig), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), expected_status);
    temporaries(parent, list, sizeof list);
    assert_string_equal(list, "");
    char out[256];
    snprintf(out, sizeof out, "%s/out", parent);
    struct stat st;
    assert_int_not_equal(stat(out, &st), 0);
    char *message = stderr_text();
    char expected[512];
    snprintf(expected, sizeof expected,
             "placesim run: interrupted by %s; nothing was written to %s\n", name, out);
    assert_string_equal(message, expected);
    free(message);
}

static void sigint_and_sigterm_leave_nothing(void **state)
{
    (void)state;
    interrupt_and_check(SIGINT, 130, "SIGINT");
    interrupt_and_check(SIGTERM, 143, "SIGTERM");
}

/* SIGKILL cannot be caught: the temporary directory stays, and the next run
 * into the same directory removes it and says so. */
static void a_killed_runs_leftovers_are_removed_by_the_next(void **state)
{
    (void)state;
    char parent[128], list[512];
    snprintf(parent, sizeof parent, "%s/kill", work);
    assert_int_equal(mkdir(parent, 0777), 0);
    pid_t pid = start_long_run(parent);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    temporaries(parent, list, sizeof list);
    assert_true(list[0] != '\0');

    char scenario[256], command[1024];
    snprintf(scenario, sizeof scenario, "%s/small.cfg", work);
    write_text(scenario, small_scenario);
    snprintf(command, sizeof command, "$P run '%s' --reps 1 -o out", scenario);
    assert_int_equal(shell(parent, command), 0);
    temporaries(parent, list, sizeof list);
    assert_string_equal(list, "");
    char *message = stderr_text();
    assert_string_equal(message, "placesim run: removed 1 temporary directory beside out left by "
                                 "runs that did not finish\n");
    free(message);
}

/* A file-size limit and a full disk: the reason and the final path, and
 * nothing left behind. */
static void write_failures_give_the_reason(void **state)
{
    (void)state;
    char parent[128], scenario[256], list[512];
    snprintf(parent, sizeof parent, "%s/limits", work);
    assert_int_equal(mkdir(parent, 0777), 0);
    snprintf(scenario, sizeof scenario, "%s/small.cfg", work);
    write_text(scenario, small_scenario);
    char command[512];
    snprintf(command, sizeof command, "ulimit -f 20 && $P run '%s' --reps 2 -o out", scenario);
    assert_int_equal(shell(parent, command), 1);
    char *message = stderr_text();
    assert_string_equal(message, "placesim run: cannot write out/series.csv: File too large "
                                 "(nothing was written to out)\n");
    free(message);
    temporaries(parent, list, sizeof list);
    assert_string_equal(list, "");

    /* A full disk: a small tmpfs, where this machine lets us mount one. */
    char mnt[128];
    snprintf(mnt, sizeof mnt, "%s/full", work);
    assert_int_equal(mkdir(mnt, 0777), 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=64k") != 0) {
        print_message("full disk not tested: cannot mount a tmpfs here (%s)\n", strerror(errno));
        return;
    }
    snprintf(command, sizeof command, "$P run '%s' --reps 2 -o out", scenario);
    int status = shell(mnt, command);
    message = stderr_text();
    temporaries(mnt, list, sizeof list);
    umount(mnt);
    assert_int_equal(status, 1);
    /* The three CSV files are written side by side as replications finish,
     * so whichever fills the disk is named. */
    char expected[3][160];
    static const char *const files[3] = { "series.csv", "years.csv", "ledger.csv" };
    int matched = 0;
    for (int i = 0; i < 3; i++) {
        snprintf(expected[i], sizeof expected[i],
                 "placesim run: cannot write out/%s: No space "
                 "left on device (nothing was written to out)\n",
                 files[i]);
        matched |= strcmp(message, expected[i]) == 0;
    }
    if (!matched) fail_msg("unexpected message: %s", message);
    free(message);
    assert_string_equal(list, "");
}

/* A run whose estimated peak memory is above --max-memory is refused
 * before it starts: one line with the estimate, the limit and what would
 * fit, and no directory. check says the same. */
static void memory_over_the_limit_is_refused_up_front(void **state)
{
    (void)state;
    char parent[128], scenario[256], list[512], command[1024];
    snprintf(parent, sizeof parent, "%s/memory", work);
    assert_int_equal(mkdir(parent, 0777), 0);
    snprintf(scenario, sizeof scenario, "%s/big.cfg", work);
    write_text(scenario,
               "start = \"2025-04-01\"; years = 1; warmup_years = 0;\n"
               "areas = ( { name = \"A\"; population = 100000000; dwellings = 100000000;\n"
               "            social_dwellings = 100000000; } );\n");
    snprintf(command, sizeof command, "$P run '%s' --reps 4 -j 2 --max-memory 2G -o out", scenario);
    assert_int_equal(shell(parent, command), 1);
    char *message = stderr_text();
    char prefix[512];
    snprintf(prefix, sizeof prefix, "placesim run: %s: the run needs about ", scenario);
    if (strncmp(message, prefix, strlen(prefix)) != 0 ||
        !strstr(message, "above the limit of 2.0 GiB (--max-memory); not even one replication "
                         "fits: a smaller place or a shorter run\n") ||
        strchr(message, '\n') != message + strlen(message) - 1)
        fail_msg("unexpected message: %s", message);
    free(message);
    temporaries(parent, list, sizeof list);
    assert_string_equal(list, "");
    snprintf(list, sizeof list, "%s/out", parent);
    struct stat st;
    assert_int_not_equal(stat(list, &st), 0);

    /* The same through check, which also prints the estimate when it fits. */
    snprintf(command, sizeof command, "$P check '%s' --reps 4 -j 2 --max-memory 2G", scenario);
    assert_int_equal(shell(parent, command), 1);
    message = stderr_text();
    snprintf(prefix, sizeof prefix, "placesim check: %s: the run needs about ", scenario);
    assert_int_equal(strncmp(message, prefix, strlen(prefix)), 0);
    free(message);
    snprintf(command, sizeof command, "$P check '%s' --reps 4 -j 2 --max-memory 1T", scenario);
    assert_int_equal(shell(parent, command), 0);
}

/* A file name or -o that is not UTF-8 (legal on Linux) still gives a
 * manifest.json that is JSON, so --force can tell the run is placesim's. */
static void non_utf8_paths_keep_the_manifest_json(void **state)
{
    (void)state;
    char scenario[256], command[1024];
    snprintf(scenario, sizeof scenario, "%s/caf\xe9.cfg", work);
    write_text(scenario, "name = \"cafe\";\n"
                         "start = \"2025-04-01\"; years = 1; warmup_years = 0;\n"
                         "areas = ( { name = \"A\"; population = 5000; dwellings = 2000; } );\n");
    snprintf(command, sizeof command, "$P run '%s' --reps 1 -o 'out\xe9'", scenario);
    assert_int_equal(shell(work, command), 0);
    snprintf(command, sizeof command, "$P run '%s' --reps 1 --seed 2 --force -o 'out\xe9'",
             scenario);
    if (shell(work, command) != 0) {
        char *message = stderr_text();
        fail_msg("--force over a run with a Latin-1 name: %s", message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unsafe_names_write_nothing),
        cmocka_unit_test(sigint_and_sigterm_leave_nothing),
        cmocka_unit_test(a_killed_runs_leftovers_are_removed_by_the_next),
        cmocka_unit_test(write_failures_give_the_reason),
        cmocka_unit_test(memory_over_the_limit_is_refused_up_front),
        cmocka_unit_test(non_utf8_paths_keep_the_manifest_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
