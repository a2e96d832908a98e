/* test_report.c — `placesim report` end to end on small hand-made run
 * directories whose strings are hostile (markup, quotes, ampersands in
 * paths, parameter values and file names): the page's structure, its
 * escaping, that it references nothing outside itself, the rules for
 * replacing the output file, and the command line's errors.
 *
 * The comparison part comes from compare_json; until the compare branch is
 * merged that is a stub with fixed numbers, so these tests check structure
 * (sections, charts, n/a for nulls), never the comparison's numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "report.h"
#include "report_file.h"
#include "test_files.h"

#define HOSTILE "<script>alert(\"x\")</script> & 'q'"

typedef struct fixture {
    char root[64];
    char base[128], arm[160]; /* the arm's directory name is hostile */
} fixture;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A run directory: manifest.json (parameters as given), series.csv with
 * void_days and lost_rent for 3 replications over the 12 months of 2025/26,
 * and years.csv with the same year (what compare reads); the arm's values are
 * lower by `shift`. */
static void make_run(const char *dir, const char *name, json_t *params, double shift)
{
    assert_int_equal(mkdir(dir, 0755), 0);
    json_t *m = json_pack("{s:s,s:s,s:[s,s,s],s:{s:s,s:s,s:s},s:s,s:s,s:s,s:s,"
                          "s:[{s:i,s:s},{s:i,s:s},{s:i,s:s}],s:o}",
                          "program", "placesim", "version", "0.1.0", "command", "placesim", "run",
                          "scen/" HOSTILE ".cfg", "scenario", "name", name, "path",
                          "scen/" HOSTILE ".cfg", "hash", "abc123hash", "period", "month", "start",
                          "2025-04-01", "end", "2026-03-31", "master_seed", "42", "replications",
                          "replication", 1, "seed", "111", "replication", 2, "seed", "222",
                          "replication", 3, "seed", "333", "parameters", params);
    assert_non_null(m);
    char path[512];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    assert_int_equal(json_dump_file(m, path, JSON_INDENT(2)), 0);
    json_decref(m);
    snprintf(path, sizeof path, "%s/series.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    snprintf(path, sizeof path, "%s/years.csv", dir);
    FILE *y = fopen(path, "w");
    assert_non_null(y);
    fputs("scenario,replication,tick,date,area,metric,value\n", f);
    fputs("scenario,replication,year,first_date,last_date,area,metric,value,weight\n", y);
    static const char *const dates[12] = { "2025-04-30", "2025-05-31", "2025-06-30", "2025-07-31",
                                           "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30",
                                           "2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31" };
    static const int ticks[12] = { 29, 60, 90, 121, 152, 182, 213, 243, 274, 305, 333, 364 };
    for (int r = 1; r <= 3; r++) {
        double void_days = 0, lost_rent = 0;
        for (int t = 0; t < 12; t++) {
            double v = 100.0 + 10 * r + t - shift * r, rent = 5000.0 * r + 12.5 - shift * 100;
            fprintf(f, "%s,%d,%d,%s,North,void_days,7\n", name, r, ticks[t], dates[t]);
            fprintf(f, "%s,%d,%d,%s,ALL,void_days,%g\n", name, r, ticks[t], dates[t], v);
            fprintf(f, "%s,%d,%d,%s,ALL,lost_rent,%.2f\n", name, r, ticks[t], dates[t], rent);
            void_days += v;
            lost_rent += rent;
        }
        fprintf(y, "%s,%d,2025/26,2025-04-01,2026-03-31,North,void_days,84,\n", name, r);
        fprintf(y, "%s,%d,2025/26,2025-04-01,2026-03-31,ALL,void_days,%g,\n", name, r, void_days);
        fprintf(y, "%s,%d,2025/26,2025-04-01,2026-03-31,ALL,lost_rent,%.2f,\n", name, r, lost_rent);
    }
    assert_int_equal(fclose(f), 0);
    assert_int_equal(fclose(y), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->root, "/tmp/placesim-test-report-XXXXXX");
    if (!mkdtemp(f->root)) return -1;
    snprintf(f->base, sizeof f->base, "%s/base", f->root);
    snprintf(f->arm, sizeof f->arm, "%s/arm&\"'<x>", f->root);
    make_run(f->base, "base",
             json_pack("{s:{s:i,s:s,s:i},s:{s:s,s:s,s:i},s:{s:s,s:s,s:i}}", "years", "value", 3,
                       "file", "scen/b.cfg", "line", 4, "label", "value", "same", "file", "default",
                       "line", 0, "areas.North.name", "value", "North", "file", "scen/b.cfg",
                       "line", 5),
             0.0);
    make_run(f->arm, "arm",
             json_pack("{s:{s:i,s:s,s:i},s:{s:s,s:s,s:i},s:{s:[s,s],s:s,s:i}}", "years", "value", 3,
                       "file", "scen/b.cfg", "line", 4, "label", "value", HOSTILE, "file",
                       "scen/a<b>&.cfg", "line", 7, "areas", "value", "North", "<South>", "file",
                       "scen/a.cfg", "line", 9),
             2.0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    test_remove_tree(f->root);
    free(f);
    return 0;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* Every tag of the page (script and style bodies skipped, as a browser
 * does): no attribute may load or link anything outside the page. */
static void check_self_contained(const char *page)
{
    static const char *const banned_anywhere[] = { "http:",   "https:", "url(",    "@import",
                                                   "xlink:",  "<link",  "<iframe", "<img",
                                                   "<object", "<embed", "<base" };
    for (size_t i = 0; i < sizeof banned_anywhere / sizeof banned_anywhere[0]; i++)
        if (strstr(page, banned_anywhere[i])) fail_msg("page holds '%s'", banned_anywhere[i]);
    size_t tags = 0;
    for (const char *p = strchr(page, '<'); p; p = strchr(p + 1, '<')) {
        const char *end = strchr(p, '>');
        assert_non_null(end);
        char *tag = strndup(p, (size_t)(end - p + 1));
        tags++;
        if (strstr(tag, " src=") || strstr(tag, "srcset=") || strstr(tag, "action="))
            fail_msg("tag loads something: %s", tag);
        const char *href = strstr(tag, "href=");
        if (href && strncmp(href, "href=\"#", 7) != 0) fail_msg("tag links outside: %s", tag);
        int skip = strncmp(tag, "<script", 7) == 0 ? 1 : strncmp(tag, "<style", 6) == 0 ? 2 : 0;
        free(tag);
        if (skip) {
            const char *close = strstr(end, skip == 1 ? "</script>" : "</style>");
            assert_non_null(close);
            p = close;
        }
    }
    assert_true(tags > 100);
}

static char *build_page_with(const char *const *dirs, size_t n_dirs, const compare_options *c,
                             int *status)
{
    static const char *const metrics[] = { "void_days", "lost_rent" };
    char *argv[] = { "placesim", "report", "-o", "it's <here> & there.html" };
    report_options opt = {
        .metrics = metrics, .n_metrics = 2, .argc = 4, .argv = argv, .compare = *c
    };
    hbuf page;
    hbuf_init(&page);
    char err[1024] = "";
    *status = report_build(dirs, n_dirs, &opt, &page, err, sizeof err);
    if (*status != 0) {
        hbuf_free(&page);
        return strdup(err);
    }
    return page.data;
}

static char *build_page(fixture *f, const char *const *dirs, size_t n_dirs, int *status)
{
    (void)f;
    compare_options c = { .discount_rate = 0.035 };
    return build_page_with(dirs, n_dirs, &c, status);
}

static void test_areas_and_unpaired(void **state)
{
    fixture *f = *state;
    const char *dirs[] = { f->base, f->arm };
    /* void_days is a count: its charts sum the area's rows (7 in every
     * replication and month, so the difference is 0). */
    const char *areas[] = { "North", "North" };
    compare_options c = { .discount_rate = 0.035, .areas = areas, .n_areas = 2, .unpaired = 1 };
    int status;
    char *page = build_page_with(dirs, 2, &c, &status);
    if (status != 0) fail_msg("report_build: %s", page);
    assert_non_null(strstr(page, "<b>void_days</b> (dwelling-days), areas North</figcaption>"));
    assert_non_null(strstr(page, "The areas North (the sum"));
    assert_non_null(strstr(page, "Welch"));
    assert_int_equal(count(page, "<svg class=\"chart chart-levels\""), 1); /* lost_rent: no rows */
    assert_non_null(strstr(page, "No values in the runs"));
    free(page);
    /* An area the base does not have. */
    const char *unknown[] = { "Nowhere<>" };
    c.areas = unknown;
    c.n_areas = 1;
    page = build_page_with(dirs, 2, &c, &status);
    assert_int_equal(status, 2);
    assert_string_equal(page, "unknown area 'Nowhere<>' (not an area of base)");
    free(page);
}

static void test_page_structure_and_escaping(void **state)
{
    fixture *f = *state;
    const char *dirs[] = { f->base, f->arm };
    int status;
    char *page = build_page(f, dirs, 2, &status);
    if (status != 0) fail_msg("report_build: %s", page);
    assert_int_equal(strncmp(page, "<!DOCTYPE html>", 15), 0);
    assert_non_null(strstr(page, REPORT_GENERATOR_META));
    check_self_contained(page);
    /* Exactly one script, the page's own. */
    assert_int_equal(count(page, "<script"), 1);
    assert_null(strstr(page, "<script>alert"));
    assert_null(strstr(page, "<South>"));
    assert_null(strstr(page, "<x>"));
    assert_null(strstr(page, "<here>"));
    /* The hostile strings are there, escaped: the parameter value (changed
     * in the arm), its file, the arm's directory, the scenario path and
     * the report's own command line (shell-quoted, then escaped). */
    assert_non_null(
        strstr(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"));
    assert_non_null(strstr(page, "scen/a&lt;b&gt;&amp;.cfg:7"));
    assert_non_null(strstr(page, "arm&amp;&quot;&#39;&lt;x&gt;"));
    assert_non_null(strstr(page, "scen/&lt;script&gt;"));
    assert_non_null(strstr(page, "&#39;it&#39;\\&#39;&#39;s &lt;here&gt; &amp; there.html&#39;"));
    assert_non_null(strstr(page, "[&quot;North&quot;, &quot;&lt;South&gt;&quot;]"));
    /* Charts: levels and difference for each metric, bearers per arm. */
    assert_int_equal(count(page, "<svg class=\"chart chart-levels\""), 2);
    assert_int_equal(count(page, "<svg class=\"chart chart-difference\""), 2);
    assert_int_equal(count(page, "<svg class=\"chart chart-bearers\""), 1);
    assert_int_equal(count(page, "<svg"), 5);
    assert_int_equal(count(page, "</svg>"), 5);
    /* Sections, and what they must say. */
    static const char *const ids[] = { "summary",      "over-time",  "who-pays",
                                       "cost-benefit", "parameters", "provenance" };
    for (size_t i = 0; i < 6; i++) {
        char want[64];
        snprintf(want, sizeof want, "<section id=\"%s\">", ids[i]);
        assert_int_equal(count(page, want), 1);
    }
    assert_non_null(strstr(page, "randomness only"));
    assert_non_null(strstr(page, "not uncertainty in the parameters"));
    assert_non_null(strstr(page, "n/a")); /* the document's nulls */
    assert_non_null(strstr(page, "abc123hash"));
    assert_non_null(strstr(page, "111, 222, 333"));
    assert_non_null(strstr(page, "2026-03-31"));
    /* Only the parameters that differ: label and areas, not years. */
    assert_int_equal(count(page, "<td><code>label</code>"), 1);
    assert_int_equal(count(page, "<td><code>areas</code>"), 1);
    assert_int_equal(count(page, "<td><code>years</code>"), 0);
    free(page);
}

static void test_experiment_directory(void **state)
{
    fixture *f = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/exp", f->root);
    assert_int_equal(mkdir(path, 0755), 0);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s/exp/base' && cp -r '%s' '%s/exp/arm'", f->base,
             f->root, f->base, f->root);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/exp/experiment.json", f->root);
    write_text(path, "{\"program\": \"placesim\", \"arms\": [{\"name\": \"base\", \"dir\": "
                     "\"base\"}, {\"name\": \"arm\", \"dir\": \"arm\"}]}");
    snprintf(path, sizeof path, "%s/exp", f->root);
    const char *dirs[] = { path };
    int status;
    char *page = build_page(f, dirs, 1, &status);
    if (status != 0) fail_msg("report_build: %s", page);
    assert_non_null(strstr(page, "experiment directory"));
    assert_int_equal(count(page, "<svg class=\"chart chart-levels\""), 2);
    free(page);

    /* An arm directory outside the experiment is refused. */
    snprintf(path, sizeof path, "%s/exp/experiment.json", f->root);
    write_text(path, "{\"program\": \"placesim\", \"arms\": [{\"name\": \"base\", \"dir\": "
                     "\"base\"}, {\"name\": \"arm\", \"dir\": \"../base\"}]}");
    snprintf(path, sizeof path, "%s/exp", f->root);
    page = build_page(f, dirs, 1, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(page, "arms[1].dir must be a directory name inside"));
    free(page);
}

static void test_bad_inputs(void **state)
{
    fixture *f = *state;
    int status;
    /* One run directory alone: a usage error. */
    const char *one[] = { f->base };
    char *err = build_page(f, one, 1, &status);
    assert_int_equal(status, 2);
    assert_non_null(strstr(err, "is not an experiment directory"));
    free(err);
    /* A corrupt manifest: bad data, naming the file and line. */
    char path[256];
    snprintf(path, sizeof path, "%s/manifest.json", f->base);
    write_text(path, "{\"program\": \"placesim\",\n  oops }");
    const char *two[] = { f->base, f->arm };
    err = build_page(f, two, 2, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, "manifest.json:2: not valid JSON"));
    assert_null(strchr(err, '\n'));
    free(err);
    /* A manifest someone else wrote. */
    write_text(path, "{\"program\": \"other\"}");
    err = build_page(f, two, 2, &status);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, "was not written by placesim"));
    free(err);
}

static void test_output_file_rules(void **state)
{
    fixture *f = *state;
    char out[256], err[512];
    snprintf(out, sizeof out, "%s/r.html", f->root);
    static const char page[] = "<!DOCTYPE html>\n<html><head>" REPORT_GENERATOR_META "</head>";
    /* New file, then replacing a report: no --force needed. */
    assert_int_equal(report_file_write(out, page, strlen(page), 0, err, sizeof err), 0);
    assert_true(report_file_is_report(out));
    assert_int_equal(report_file_write(out, page, strlen(page), 0, err, sizeof err), 0);
    /* An ordinary file as the umask makes it, not mkstemp's 0600. */
    mode_t mask = umask(027);
    assert_int_equal(report_file_write(out, page, strlen(page), 0, err, sizeof err), 0);
    umask(mask);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    /* Any other file is refused and left as it was, unless --force. */
    write_text(out, "my notes\n");
    assert_false(report_file_is_report(out));
    assert_int_equal(report_file_write(out, page, strlen(page), 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "is not a placesim report (--force replaces it)"));
    char *kept = test_read_file(out);
    assert_string_equal(kept, "my notes\n");
    free(kept);
    assert_int_equal(report_file_write(out, page, strlen(page), 1, err, sizeof err), 0);
    assert_true(report_file_is_report(out));
    /* A directory or a symbolic link is never replaced, even forced. */
    char link[256];
    snprintf(link, sizeof link, "%s/link.html", f->root);
    assert_int_equal(symlink(out, link), 0);
    assert_int_equal(report_file_write(link, page, strlen(page), 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
    assert_int_equal(report_file_write(f->base, page, strlen(page), 1, err, sizeof err), -1);
    /* A missing folder: one line, nothing created. */
    snprintf(out, sizeof out, "%s/nowhere/r.html", f->root);
    assert_int_equal(report_file_write(out, page, strlen(page), 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write"));
    /* No temporary file is left anywhere in the folder. */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tmp-", f->root);
    assert_int_not_equal(system(cmd), 0);
}

/* Runs the binary with args (a shell fragment); its exit status, stderr
 * into err. */
static int run_binary(const char *args, char *err, size_t errlen)
{
    char cmd[2048], errfile[] = "/tmp/placesim-test-report-err-XXXXXX";
    int fd = mkstemp(errfile);
    assert_true(fd >= 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "%s report %s >/dev/null 2>%s", PLACESIM_BINARY, args, errfile);
    int rc = system(cmd);
    char *text = test_read_file(errfile);
    snprintf(err, errlen, "%s", text ? text : "");
    free(text);
    unlink(errfile);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void expect_cli(const char *args, int want_status, const char *want_text)
{
    char err[2048];
    int status = run_binary(args, err, sizeof err);
    if (status != want_status || !strstr(err, want_text))
        fail_msg("report %s: status %d, stderr '%s'", args, status, err);
    if (want_status != 0) assert_int_equal(count(err, "\n"), 1);
}

static void test_command_line(void **state)
{
    fixture *f = *state;
    char args[1024], out[256], arm[256];
    snprintf(out, sizeof out, "%s/cli.html", f->root);
    /* The hostile directory name would need shell quoting: a plain link. */
    snprintf(arm, sizeof arm, "%s/arm-link", f->root);
    assert_int_equal(symlink(f->arm, arm), 0);
    expect_cli("", 2, "missing -o FILE.html");
    snprintf(args, sizeof args, "'%s' '%s'", f->base, arm);
    expect_cli(args, 2, "missing -o");
    snprintf(args, sizeof args, "'%s' '%s' -o '%s' --metric nosuch", f->base, arm, out);
    expect_cli(args, 2, "unknown metric 'nosuch'");
    snprintf(args, sizeof args, "'%s' '%s' -o '%s' --discount 5%%", f->base, arm, out);
    expect_cli(args, 2, "--discount needs a rate");
    snprintf(args, sizeof args, "'%s' '%s/none' -o '%s'", f->base, f->root, out);
    expect_cli(args, 1, "none/manifest.json");
    snprintf(args, sizeof args, "'%s' '%s' -o '%s' --metric void_days", f->base, arm, out);
    expect_cli(args, 0, "");
    assert_true(report_file_is_report(out));
    /* A file that is not a report stays; --force replaces it. */
    write_text(out, "keep me\n");
    expect_cli(args, 1, "is not a placesim report");
    char *kept = test_read_file(out);
    assert_string_equal(kept, "keep me\n");
    free(kept);
    snprintf(args, sizeof args, "'%s' '%s' -o '%s' --force", f->base, arm, out);
    expect_cli(args, 0, "");
    assert_true(report_file_is_report(out));
    /* A file-size limit (ulimit -f, in KiB): the reason, the old report
     * kept whole, no temporary file left. */
    char *before = test_read_file(out);
    char err[2048], cmd[1024], errfile[300];
    snprintf(errfile, sizeof errfile, "%s/ulimit.err", f->root);
    snprintf(cmd, sizeof cmd, "ulimit -f 4; %s report '%s' '%s' -o '%s' 2>'%s'", PLACESIM_BINARY,
             f->base, arm, out, errfile);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
    char *text = test_read_file(errfile);
    snprintf(err, sizeof err, "%s", text ? text : "");
    free(text);
    if (!strstr(err, "File too large (nothing was written)")) fail_msg("stderr: %s", err);
    char *after = test_read_file(out);
    assert_string_equal(before, after);
    free(before);
    free(after);
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q tmp-", f->root);
    assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_page_structure_and_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_experiment_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_areas_and_unpaired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_file_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_line, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
