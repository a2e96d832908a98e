/* test_outdir.c — the run-directory protocol: a temporary directory renamed
 * into place, --force only over a placesim run, dead runs' temporary
 * directories removed and live ones left, nothing touched outside. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <cmocka.h>

#include "outdir.h"
#include "test_assert.h"
#include "test_files.h"

typedef struct fixture {
    char base[64];
} fixture;

static int setup_dir(void **state)
{
    fixture *f = malloc(sizeof *f);
    if (!f) return -1;
    strcpy(f->base, "/tmp/placesim-test-outdir-XXXXXX");
    if (!mkdtemp(f->base)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown_dir(void **state)
{
    fixture *f = *state;
    int rc = test_remove_tree(f->base);
    free(f);
    return rc;
}

/* dir/rel into buf (PATH_BUF bytes); a path that does not fit fails the test. */
enum { PATH_BUF = 512 };

static const char *join(char *buf, const char *dir, const char *rel)
{
    int n = snprintf(buf, PATH_BUF, "%s/%s", dir, rel);
    assert_in_range_double(n, 1, PATH_BUF - 1);
    return buf;
}

static const char *at(const fixture *f, const char *rel, char *buf)
{
    return join(buf, f->base, rel);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The names in a directory, sorted and joined with spaces, for exact
 * comparison: this is how the tests see that nothing was left behind. */
static int cmp_name(const void *a, const void *b) { return strcmp(a, b); }

static void listing(const char *dir, char *out, size_t outlen)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    char buf[16][64];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        assert_true(n < 16);
        assert_true(strlen(e->d_name) < sizeof buf[0]);
        strcpy(buf[n++], e->d_name);
    }
    closedir(d);
    qsort(buf, n, sizeof buf[0], cmp_name);
    for (size_t i = 0; i < n; i++) {
        if (i) strncat(out, " ", outlen - strlen(out) - 1);
        strncat(out, buf[i], outlen - strlen(out) - 1);
    }
}

/* A directory as `placesim run` leaves it. */
static void make_run_dir(const char *dir)
{
    char p[PATH_BUF];
    assert_int_equal(mkdir(dir, 0777), 0);
    write_file(join(p, dir, "manifest.json"),
               "{\n  \"program\": \"placesim\",\n  \"version\": \"0\"\n}\n");
    write_file(join(p, dir, "series.csv"), "scenario,replication,tick,date,area,metric,value\n");
    write_file(join(p, dir, "ledger.csv"), "old\n");
}

static void test_outdir_new_with_parents(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[256], list[512], prefix[PATH_BUF];
    outdir od;
    at(f, "a/b/run", dir);
    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), 0);
    assert_true(snprintf(prefix, sizeof prefix, "%s.tmp-", dir) < PATH_BUF);
    assert_int_equal(strncmp(od.tmp, prefix, strlen(prefix)), 0);
    assert_int_equal(strlen(od.tmp), strlen(prefix) + 6);
    assert_true(is_dir(od.tmp));
    assert_false(exists(dir)); /* nothing under the final name yet */
    char tmp[PATH_BUF];
    strcpy(tmp, od.tmp);

    assert_int_equal(outdir_tmp_file(&od, "series.csv", p, sizeof p), 0);
    write_file(p, "x\n");
    assert_int_equal(outdir_commit(&od, err, sizeof err), 0);
    assert_null(od.tmp);
    assert_false(exists(tmp));
    listing(dir, list, sizeof list);
    assert_string_equal(list, "series.csv"); /* the lock file stayed behind */
    listing(at(f, "a/b", p), list, sizeof list);
    assert_string_equal(list, "run");

    /* The directory has the mode of a directory made with mkdir, not
     * mkdtemp's 0700. */
    mode_t mask = umask(022);
    umask(mask);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0777 & ~mask);
}

static void test_outdir_refusals(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[256], list[512];
    outdir od;
    at(f, "run", dir);
    make_run_dir(dir);

    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "not empty (--force replaces it)"));
    assert_null(od.tmp);
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run"); /* no temporary directory left */

    /* A file (or symlink) in the directory's place, even with force. */
    write_file(at(f, "file", p), "");
    assert_int_equal(outdir_begin(&od, p, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a directory"));
    assert_int_equal(symlink(dir, at(f, "link", p)), 0);
    assert_int_equal(outdir_begin(&od, p, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a directory"));
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "file link run");

    /* Names that cannot be renamed. */
    assert_int_equal(outdir_begin(&od, at(f, ".", p), 1, err, sizeof err), -1);
    assert_int_equal(outdir_begin(&od, at(f, "..", p), 1, err, sizeof err), -1);
    assert_int_equal(outdir_begin(&od, "", 0, err, sizeof err), -1);
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "file link run");
    outdir_abandon(&od); /* harmless after a failed begin */
}

/* --force over anything but a placesim run is refused, saying why, and
 * leaves every file where it was. */
static void test_outdir_force_refuses_foreign(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[512], list[512];
    outdir od;

    at(f, "home", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    write_file(at(f, "home/thesis.tex", p), "precious\n");
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "holds thesis.tex, which placesim did not write"));
    assert_non_null(strstr(err, "--force replaces only an empty directory or a placesim run or "
                                "experiment directory"));

    /* The right file names, but a manifest someone else wrote. */
    at(f, "other", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    write_file(at(f, "other/manifest.json", p), "{\"program\": \"notplacesim\"}");
    write_file(at(f, "other/series.csv", p), "x\n");
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "manifest.json was not written by placesim"));

    /* Not JSON at all, or duplicate keys. */
    write_file(at(f, "other/manifest.json", p), "program = placesim");
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "manifest.json is not a placesim manifest (line 1:"));
    write_file(at(f, "other/manifest.json", p), "{\"program\": \"x\", \"program\": \"placesim\"}");
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "is not a placesim manifest"));

    /* No manifest. */
    assert_int_equal(unlink(at(f, "other/manifest.json", p)), 0);
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "has no manifest.json"));

    /* A run directory a user has added a file or a folder to. */
    at(f, "run", dir);
    make_run_dir(dir);
    assert_int_equal(mkdir(at(f, "run/analysis", p), 0777), 0);
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "holds analysis, which placesim did not write"));
    assert_int_equal(rmdir(p), 0);
    /* A run file that is a symlink elsewhere is not the run's own. */
    assert_int_equal(unlink(at(f, "run/ledger.csv", p)), 0);
    assert_int_equal(symlink("/etc/hostname", p), 0);
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "holds ledger.csv (not a regular file)"));

    listing(f->base, list, sizeof list);
    assert_string_equal(list, "home other run");
    listing(at(f, "home", p), list, sizeof list);
    assert_string_equal(list, "thesis.tex");
    assert_string_equal(read_text(at(f, "home/thesis.tex", p)), "precious\n");
}

static void test_outdir_empty_existing(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[256], list[512];
    outdir od;
    at(f, "run", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), 0);
    assert_int_equal(outdir_tmp_file(&od, "series.csv", p, sizeof p), 0);
    write_file(p, "x\n");
    assert_int_equal(outdir_commit(&od, err, sizeof err), 0);
    listing(dir, list, sizeof list);
    assert_string_equal(list, "series.csv");
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run");
}

static void test_outdir_force_replaces_a_run(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[256], list[512];
    outdir od;
    at(f, "run", dir);
    make_run_dir(dir);

    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), 0);
    listing(dir, list, sizeof list);
    assert_string_equal(list, "ledger.csv manifest.json series.csv"); /* intact until commit */
    assert_int_equal(outdir_tmp_file(&od, "new.csv", p, sizeof p), 0);
    write_file(p, "new\n");
    assert_int_equal(outdir_commit(&od, err, sizeof err), 0);
    listing(dir, list, sizeof list);
    assert_string_equal(list, "new.csv");
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run"); /* neither the old copy nor tmp remain */
}

/* The directory changed between begin and commit: commit refuses, keeps
 * the intruder, and keeps the complete results under a name no later run
 * removes. */
static void test_outdir_commit_refuses(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[512], list[512];
    outdir od;
    at(f, "run", dir);
    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), 0);
    assert_int_equal(outdir_tmp_file(&od, "series.csv", p, sizeof p), 0);
    write_file(p, "x\n");
    assert_int_equal(mkdir(dir, 0777), 0);
    write_file(at(f, "run/other", p), "x\n");
    assert_int_equal(outdir_commit(&od, err, sizeof err), -1);
    assert_non_null(strstr(err, "not empty"));
    assert_non_null(strstr(err, "; the complete results are in "));
    assert_null(od.tmp);
    listing(dir, list, sizeof list);
    assert_string_equal(list, "other");
    listing(f->base, list, sizeof list);
    assert_int_equal(strncmp(list, "run run.kept-", 13), 0);
    char kept[PATH_BUF];
    join(kept, f->base, list + 4);
    listing(kept, list, sizeof list);
    assert_string_equal(list, "series.csv");

    /* With force, a run directory filled by a person since begin is also
     * refused at commit. */
    at(f, "run2", dir);
    make_run_dir(dir);
    assert_int_equal(outdir_begin(&od, dir, 1, err, sizeof err), 0);
    write_file(at(f, "run2/notes.txt", p), "mine\n");
    assert_int_equal(outdir_commit(&od, err, sizeof err), -1);
    assert_non_null(strstr(err, "holds notes.txt, which placesim did not write"));
    assert_string_equal(read_text(p), "mine\n");
}

/* Abandon removes the tree and does not follow symlinks out of it. */
static void test_outdir_abandon(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[256], list[512], outside[PATH_BUF];
    outdir od;
    at(f, "run", dir);
    write_file(at(f, "outside", outside), "precious\n");
    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), 0);
    char tmp[PATH_BUF];
    strcpy(tmp, od.tmp);
    write_file(join(p, tmp, "a.csv"), "x\n");
    assert_int_equal(mkdir(join(p, tmp, "sub"), 0777), 0);
    write_file(join(p, tmp, "sub/b"), "x\n");
    assert_int_equal(symlink(f->base, join(p, tmp, "sub/link")), 0);
    assert_int_equal(symlink(outside, join(p, tmp, "link")), 0);
    outdir_abandon(&od);
    assert_false(exists(tmp));
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "outside");
    assert_string_equal(read_text(outside), "precious\n");
    outdir_abandon(&od);
    outdir_abandon(NULL);
}

/* "DIR/" gets its temporary directory beside DIR, not inside it. */
static void test_outdir_trailing_slash(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], err[256], list[512], prefix[PATH_BUF];
    outdir od;
    at(f, "x//", dir);
    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), 0);
    join(prefix, f->base, "x.tmp-");
    assert_int_equal(strncmp(od.tmp, prefix, strlen(prefix)), 0);
    assert_int_equal(outdir_commit(&od, err, sizeof err), 0);
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "x");
}

/* A run killed outright (SIGKILL: no handler runs) leaves its temporary
 * directory; the next run into the same directory removes it, but leaves
 * a live run's, a lock-less one that is recent, and anything that only
 * looks alike. */
static void test_outdir_removes_only_dead_temporaries(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], err[256], list[512];
    at(f, "run", dir);

    /* A child begins a run, reports its temporary directory, and waits to
     * be killed; another child does the same and stays alive. */
    char dead_tmp[PATH_BUF] = "", live_tmp[PATH_BUF] = "";
    pid_t pids[2];
    for (int k = 0; k < 2; k++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            outdir od;
            if (outdir_begin(&od, dir, 0, err, sizeof err) != 0) _exit(1);
            if (write(fds[1], od.tmp, strlen(od.tmp) + 1) < 0) _exit(1);
            close(fds[1]);
            pause();
            _exit(0);
        }
        close(fds[1]);
        char *target = k == 0 ? dead_tmp : live_tmp;
        ssize_t n = read(fds[0], target, PATH_BUF - 1);
        close(fds[0]);
        assert_true(n > 0);
        target[n] = '\0';
        pids[k] = pid;
    }
    assert_true(is_dir(dead_tmp));
    assert_true(is_dir(live_tmp));
    assert_int_equal(kill(pids[0], SIGKILL), 0);
    assert_int_equal(waitpid(pids[0], NULL, 0), pids[0]);

    /* Look-alikes: a recent lock-less temporary directory (a run in its
     * first microseconds), an old lock-less one (dead), a file with a
     * temporary name, another run's temporary directory, a kept result. */
    assert_int_equal(mkdir(at(f, "run.tmp-Recent", p), 0700), 0);
    assert_int_equal(mkdir(at(f, "run.tmp-OldOne", p), 0700), 0);
    write_file(at(f, "run.tmp-OldOne/series.csv", p), "x\n");
    struct utimbuf old = { time(NULL) - 3600, time(NULL) - 3600 };
    assert_int_equal(utime(at(f, "run.tmp-OldOne", p), &old), 0);
    write_file(at(f, "run.tmp-AFile1", p), "x\n");
    assert_int_equal(mkdir(at(f, "runX.tmp-abcdef", p), 0700), 0);
    assert_int_equal(utime(p, &old), 0);
    assert_int_equal(mkdir(at(f, "run.kept-abcdef", p), 0700), 0);

    outdir od;
    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), 0);
    assert_int_equal(od.stale_removed, 2);
    assert_false(exists(dead_tmp));
    assert_false(exists(at(f, "run.tmp-OldOne", p)));
    assert_true(is_dir(live_tmp));
    assert_true(is_dir(at(f, "run.tmp-Recent", p)));
    assert_true(exists(at(f, "run.tmp-AFile1", p)));
    assert_true(is_dir(at(f, "runX.tmp-abcdef", p)));
    assert_true(is_dir(at(f, "run.kept-abcdef", p)));
    outdir_abandon(&od);

    assert_int_equal(kill(pids[1], SIGTERM), 0);
    assert_int_equal(waitpid(pids[1], NULL, 0), pids[1]);
    /* Now dead too. */
    assert_int_equal(outdir_begin(&od, dir, 0, err, sizeof err), 0);
    assert_int_equal(od.stale_removed, 1);
    assert_false(exists(live_tmp));
    outdir_abandon(&od);
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run.kept-abcdef run.tmp-AFile1 run.tmp-Recent runX.tmp-abcdef");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_outdir_new_with_parents, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_refusals, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_force_refuses_foreign, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_empty_existing, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_force_replaces_a_run, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_commit_refuses, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_abandon, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_trailing_slash, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_removes_only_dead_temporaries, setup_dir,
                                        teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
