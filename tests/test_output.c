/* test_output.c — series.csv golden output, the run-directory protocol,
 * SHA-256 against the NIST vectors, JSON string escaping. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "dates.h"
#include "output.h"
#include "recorder.h"

/* ---- series.csv ---- */

static const char *const areas[] = {"North", "South"};
static const metric_spec specs[] = {
    {"crimes", METRIC_COUNT, "crimes", 0, 0, ""},
    {"spend", METRIC_MONEY, "GBP", 1, 0, ""},  /* ALL only, between the others */
    {"rate", METRIC_LEVEL_END, "x", 0, 0, ""},
    {"wait", METRIC_EVENT_MEDIAN, "days", 0, 0, ""},
};
enum { CRIMES, SPEND, RATE, WAIT };

/* Replication 1, two days (day periods):
 *   day 1: crimes North 1+1+1, South 2; spend 1234.5; rate North 1/3,
 *          South 2.5; wait North 4, 6
 *   day 2: crimes South 1; spend 10; rate South 0.1 (North kept); no events
 * Replication 2:
 *   day 1: no crimes; spend -0.001 (rounds to "-0.00", written "0.00");
 *          rate North 1e-12, South 1e6; wait North 1,2,3,4, South 7
 *   day 2: crimes North 123456789012 (%.10g would give 1.23456789e+11);
 *          spend 99.999; rate North 2/3; wait South 3 */
static recorder *make_rep(int rep, int64_t first)
{
    recorder *r = recorder_create(areas, 2, first, first + 1, PERIOD_DAY);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 4), 0);
    recorder_begin_day(r, first);
    if (rep == 1) {
        for (int i = 0; i < 3; i++)
            recorder_add(r, CRIMES, 0, 1);
        recorder_add(r, CRIMES, 1, 2);
        recorder_add(r, SPEND, 0, 1234.5);
        recorder_level(r, RATE, 0, 1.0 / 3);
        recorder_level(r, RATE, 1, 2.5);
        recorder_event(r, WAIT, 0, 4);
        recorder_event(r, WAIT, 0, 6);
    } else {
        recorder_add(r, SPEND, 1, -0.001);
        recorder_level(r, RATE, 0, 1e-12);
        recorder_level(r, RATE, 1, 1e6);
        for (int v = 1; v <= 4; v++)
            recorder_event(r, WAIT, 0, v);
        recorder_event(r, WAIT, 1, 7);
    }
    assert_int_equal(recorder_end_day(r), 0);
    recorder_begin_day(r, first + 1);
    if (rep == 1) {
        recorder_add(r, CRIMES, 1, 1);
        recorder_add(r, SPEND, 0, 10);
        recorder_level(r, RATE, 1, 0.1);
    } else {
        recorder_add(r, CRIMES, 0, 123456789012.0);
        recorder_add(r, SPEND, 0, 99.999);
        recorder_level(r, RATE, 0, 2.0 / 3);
        recorder_event(r, WAIT, 1, 3);
    }
    assert_int_equal(recorder_end_day(r), 0);
    return r;
}

/* Every row worked out by hand. ALL rate = North + South: 1/3 + 2.5 =
 * 2.8333333333333335 → %.10g 2.833333333; 1/3 + 0.1 → 0.4333333333;
 * 1e-12 + 1e6 → 1000000; 2/3 + 1e6 → 1000000.667. Medians: {4,6} → 5;
 * {1,2,3,4} → 2.5; {1,2,3,4,7} → 3. The scenario name holds a comma and
 * quotes, so it is quoted with its quotes doubled. */
static const char golden[] =
    "scenario,replication,tick,date,area,metric,value\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,North,crimes,3\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,North,rate,0.3333333333\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,North,wait,5\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,South,crimes,2\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,South,rate,2.5\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,South,wait,NA\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,crimes,5\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,spend,1234.50\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,rate,2.833333333\n"
    "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,wait,5\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,North,crimes,0\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,North,rate,0.3333333333\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,North,wait,NA\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,South,crimes,1\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,South,rate,0.1\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,South,wait,NA\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,crimes,1\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,spend,10.00\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,rate,0.4333333333\n"
    "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,wait,NA\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,North,crimes,0\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,North,rate,1e-12\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,North,wait,2.5\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,South,crimes,0\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,South,rate,1000000\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,South,wait,7\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,crimes,0\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,spend,0.00\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,rate,1000000\n"
    "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,wait,3\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,North,crimes,123456789012\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,North,rate,0.6666666667\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,North,wait,NA\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,South,crimes,0\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,South,rate,1000000\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,South,wait,3\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,crimes,123456789012\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,spend,100.00\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,rate,1000000.667\n"
    "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,wait,3\n";

static void test_series_golden(void **state)
{
    (void)state;
    int64_t first = date_from_civil(2025, 1, 1);
    const recorder *reps[2] = {make_rep(1, first), make_rep(2, first)};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(series_write_csv(out, "base,\"v2\"", reps, 2, first), 0);
    assert_int_equal(fclose(out), 0);
    assert_string_equal(text, golden);
    assert_int_equal(len, strlen(golden));
    free(text);

    /* Ticks count from start_day, not from the first written day: a start
     * three days earlier shifts tick by 3 and leaves the date alone. */
    out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(series_write_csv(out, "s", reps, 1, first - 3), 0);
    assert_int_equal(fclose(out), 0);
    assert_non_null(strstr(text, "\ns,1,3,2025-01-01,North,crimes,3\n"));
    assert_non_null(strstr(text, "\ns,1,4,2025-01-02,ALL,wait,NA\n"));
    free(text);

    /* A write error (a full disk) is reported. */
    out = fopen("/dev/full", "w");
    if (out) {
        assert_int_equal(series_write_csv(out, "s", reps, 2, first), -1);
        fclose(out);
    }
    recorder_destroy((recorder *)reps[0]);
    recorder_destroy((recorder *)reps[1]);
}

/* ---- run directory ---- */

typedef struct fixture {
    char base[64];
} fixture;

/* Each test works in its own fresh directory under /tmp. Its name has
 * ".tmp-" in it so that outdir_abandon, which removes only such names, can
 * clean it up. */
static int setup_dir(void **state)
{
    fixture *f = malloc(sizeof *f);
    if (!f)
        return -1;
    strcpy(f->base, "/tmp/placesim-test-output.tmp-XXXXXX");
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
    outdir_abandon(f->base);
    struct stat st;
    int gone = stat(f->base, &st) != 0 && errno == ENOENT;
    free(f);
    return gone ? 0 : -1;
}

/* dir/rel into buf (PATH_BUF bytes); a path that does not fit fails the test. */
enum { PATH_BUF = 512 };

static const char *join(char *buf, const char *dir, const char *rel)
{
    int n = snprintf(buf, PATH_BUF, "%s/%s", dir, rel);
    assert_true(n > 0 && n < PATH_BUF);
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
static int cmp_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void listing(const char *dir, char *out, size_t outlen)
{
    out[0] = '\0';
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    char buf[16][64];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        assert_true(n < 16);
        assert_true(strlen(e->d_name) < sizeof buf[0]);
        strcpy(buf[n++], e->d_name);
    }
    closedir(d);
    qsort(buf, n, sizeof buf[0], cmp_name);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, " ", outlen - strlen(out) - 1);
        strncat(out, buf[i], outlen - strlen(out) - 1);
    }
}

static void test_outdir_new_with_parents(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], tmp[PATH_BUF], err[256], list[512], prefix[PATH_BUF];
    at(f, "a/b/run", dir);
    assert_int_equal(outdir_begin(dir, 0, tmp, sizeof tmp, err, sizeof err), 0);
    assert_true(snprintf(prefix, sizeof prefix, "%s.tmp-", dir) < PATH_BUF);
    assert_int_equal(strncmp(tmp, prefix, strlen(prefix)), 0);
    assert_int_equal(strlen(tmp), strlen(prefix) + 6);
    assert_true(is_dir(tmp));
    assert_false(exists(dir));  /* nothing under the final name yet */

    join(p, tmp, "series.csv");
    write_file(p, "x\n");
    assert_int_equal(outdir_commit(tmp, dir, 0, err, sizeof err), 0);
    assert_false(exists(tmp));
    assert_true(exists(at(f, "a/b/run/series.csv", p)));
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
    char dir[PATH_BUF], p[PATH_BUF], tmp[PATH_BUF], err[256], list[512];
    at(f, "run", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    write_file(at(f, "run/keep", p), "old\n");

    strcpy(tmp, "junk");
    assert_int_equal(outdir_begin(dir, 0, tmp, sizeof tmp, err, sizeof err), -1);
    assert_non_null(strstr(err, "not empty"));
    assert_string_equal(tmp, "");
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run");  /* no temporary directory left */
    listing(dir, list, sizeof list);
    assert_string_equal(list, "keep");

    /* A file (or symlink) in the directory's place, even with force. */
    write_file(at(f, "file", p), "");
    assert_int_equal(outdir_begin(p, 1, tmp, sizeof tmp, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a directory"));
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "file run");

    /* Names that cannot be renamed, and a buffer too small for the name. */
    assert_int_equal(outdir_begin(at(f, ".", p), 1, tmp, sizeof tmp, err, sizeof err), -1);
    assert_int_equal(outdir_begin("", 0, tmp, sizeof tmp, err, sizeof err), -1);
    assert_int_equal(outdir_begin(at(f, "new", p), 0, tmp, 10, err, sizeof err), -1);
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "file run");
}

static void test_outdir_empty_existing(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], tmp[PATH_BUF], err[256], list[512];
    at(f, "run", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(outdir_begin(dir, 0, tmp, sizeof tmp, err, sizeof err), 0);
    join(p, tmp, "series.csv");
    write_file(p, "x\n");
    assert_int_equal(outdir_commit(tmp, dir, 0, err, sizeof err), 0);
    listing(dir, list, sizeof list);
    assert_string_equal(list, "series.csv");
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run");
}

static void test_outdir_force_replaces(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], tmp[PATH_BUF], err[256], list[512];
    at(f, "run", dir);
    assert_int_equal(mkdir(dir, 0777), 0);
    write_file(at(f, "run/old.csv", p), "old\n");
    assert_int_equal(mkdir(at(f, "run/sub", p), 0777), 0);
    write_file(at(f, "run/sub/deep", p), "old\n");

    assert_int_equal(outdir_begin(dir, 1, tmp, sizeof tmp, err, sizeof err), 0);
    listing(dir, list, sizeof list);
    assert_string_equal(list, "old.csv sub");  /* the old run is intact until commit */
    join(p, tmp, "new.csv");
    write_file(p, "new\n");
    assert_int_equal(outdir_commit(tmp, dir, 1, err, sizeof err), 0);
    listing(dir, list, sizeof list);
    assert_string_equal(list, "new.csv");
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run");  /* neither the old copy nor tmp remain */
}

/* The directory filled up between begin and commit: commit without force
 * refuses, keeps both the intruder and the temporary directory. */
static void test_outdir_commit_refuses(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], tmp[PATH_BUF], err[256], list[512];
    at(f, "run", dir);
    assert_int_equal(outdir_begin(dir, 0, tmp, sizeof tmp, err, sizeof err), 0);
    assert_int_equal(mkdir(dir, 0777), 0);
    write_file(at(f, "run/other", p), "x\n");
    assert_int_equal(outdir_commit(tmp, dir, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "not empty"));
    assert_true(is_dir(tmp));
    listing(dir, list, sizeof list);
    assert_string_equal(list, "other");
    outdir_abandon(tmp);
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "run");
}

/* Abandon removes the tree, does not follow symlinks out of it, and will
 * not remove a directory that is not a temporary one. */
static void test_outdir_abandon(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], p[PATH_BUF], tmp[PATH_BUF], err[256], list[512], outside[PATH_BUF];
    at(f, "run", dir);
    write_file(at(f, "outside", outside), "precious\n");
    assert_int_equal(outdir_begin(dir, 0, tmp, sizeof tmp, err, sizeof err), 0);
    join(p, tmp, "a.csv");
    write_file(p, "x\n");
    join(p, tmp, "sub");
    assert_int_equal(mkdir(p, 0777), 0);
    join(p, tmp, "sub/b");
    write_file(p, "x\n");
    join(p, tmp, "sub/link");
    assert_int_equal(symlink(f->base, p), 0);
    join(p, tmp, "link");
    assert_int_equal(symlink(outside, p), 0);
    outdir_abandon(tmp);
    assert_false(exists(tmp));
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "outside");

    assert_int_equal(mkdir(dir, 0777), 0);
    outdir_abandon(dir);
    assert_true(is_dir(dir));
    outdir_abandon(NULL);
    outdir_abandon("");
}

/* "DIR/" gets its temporary directory beside DIR, not inside it. */
static void test_outdir_trailing_slash(void **state)
{
    fixture *f = *state;
    char dir[PATH_BUF], tmp[PATH_BUF], err[256], list[512], prefix[PATH_BUF];
    at(f, "x//", dir);
    assert_int_equal(outdir_begin(dir, 0, tmp, sizeof tmp, err, sizeof err), 0);
    join(prefix, f->base, "x.tmp-");
    assert_int_equal(strncmp(tmp, prefix, strlen(prefix)), 0);
    assert_int_equal(outdir_commit(tmp, dir, 0, err, sizeof err), 0);
    listing(f->base, list, sizeof list);
    assert_string_equal(list, "x");
}

/* ---- SHA-256 ---- */

static void check_sha(const void *data, size_t len, const char *want)
{
    char hex[65];
    memset(hex, 'z', sizeof hex);
    sha256_hex(data, len, hex);
    assert_string_equal(hex, want);
}

/* FIPS 180-2 appendix B / NIST CAVP vectors. */
static void test_sha256_nist(void **state)
{
    (void)state;
    check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_sha(m448, strlen(m448),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    check_sha(million, 1000000,
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

/* Lengths around the padding boundaries (55/56 bytes: one or two final
 * blocks; 63-65: a whole block plus a tail), against coreutils sha256sum
 * of that many 'a's. */
static void test_sha256_padding(void **state)
{
    (void)state;
    static const struct { size_t n; const char *hex; } v[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    char a[128];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check_sha(a, v[i].n, v[i].hex);
}

/* ---- JSON ---- */

static void check_json(const char *in, const char *want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    json_write_string(out, in);
    assert_int_equal(fclose(out), 0);
    assert_string_equal(text, want);
    free(text);
}

static void test_json_escaping(void **state)
{
    (void)state;
    check_json("", "\"\"");
    check_json("plain/text", "\"plain/text\"");
    check_json("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"");
    check_json("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    check_json("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
    check_json("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"");  /* UTF-8 as is */
    check_json(NULL, "null");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_golden),
        cmocka_unit_test_setup_teardown(test_outdir_new_with_parents, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_refusals, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_empty_existing, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_force_replaces, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_commit_refuses, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_abandon, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_outdir_trailing_slash, setup_dir, teardown_dir),
        cmocka_unit_test(test_sha256_nist),
        cmocka_unit_test(test_sha256_padding),
        cmocka_unit_test(test_json_escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
