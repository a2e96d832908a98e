/* test_config_guard.c — the loader's guard in front of libconfig: each limit
 * of config_guard.h refused with its exact message and accepted just below
 * it; FIFOs, devices and directories named as a scenario, a base, a
 * fragment or a cost library refused without blocking; and 100,000 areas
 * still load (correctness only: times are measured by tools/big_inputs.sh,
 * not asserted here). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_guard.h"
#include "test_files.h"
#include "costs.h"
#include "engine.h"
#include "model.h"
#include "place.h"
#include "scenario.h"

static char work[64];

static int setup(void **state)
{
    (void)state;
    snprintf(work, sizeof work, "/tmp/placesim_guard_XXXXXX");
    /* A FIFO that is opened the ordinary way blocks until a writer comes: a
       regression would hang the test; this turns it into a failure. */
    alarm(600);
    return mkdtemp(work) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(work);
}

/* work/name into a static buffer (one at a time). */
static const char *at(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", work, name);
    return path;
}

static void write_text(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A file: head, then `n` times `unit`, then tail. */
static void write_repeated(const char *name, const char *head, const char *unit, size_t n,
                           const char *tail)
{
    FILE *f = fopen(at(name), "w");
    assert_non_null(f);
    fputs(head, f);
    for (size_t i = 0; i < n; i++) fputs(unit, f);
    fputs(tail, f);
    assert_int_equal(fclose(f), 0);
}

/* A file: head, one run of `n` copies of the byte c, then tail. */
static void write_run(const char *name, const char *head, char c, size_t n, const char *tail)
{
    char *run = malloc(n + 1);
    assert_non_null(run);
    memset(run, c, n);
    run[n] = '\0';
    write_repeated(name, head, run, 1, tail);
    free(run);
}

/* Runs the guard on work/name; returns the status, and the problem as
 * "FILE:LINE: why" / "FILE: why" / "why" in text. */
static config_guard_status guard(const char *name, char *text, size_t len)
{
    config_guard_budget budget = { 0 };
    config_guard_text out;
    config_guard_problem p;
    char path[256];
    snprintf(path, sizeof path, "%s", at(name));
    config_guard_status status = config_guard_load(path, work, &budget, &out, &p);
    text[0] = '\0';
    if (status == CONFIG_GUARD_OK) {
        assert_int_equal(strlen(out.text), out.len);
        free(out.text);
    } else if (p.file && p.line >= 0) {
        snprintf(text, len, "%s:%d: %s", p.file, p.line, p.why);
    } else if (p.file) {
        snprintf(text, len, "%s: %s", p.file, p.why);
    } else if (p.why) {
        snprintf(text, len, "%s", p.why);
    }
    config_guard_problem_free(&p);
    return status;
}

/* Expects the guard to refuse work/name with exactly the message fmt, where
 * every "%s" stands for the work directory. */
static void refused(const char *name, const char *fmt)
{
    char text[1024], expected[1024];
    snprintf(expected, sizeof expected, fmt, work, work, work, work);
    assert_int_equal(guard(name, text, sizeof text), CONFIG_GUARD_REFUSED);
    assert_string_equal(text, expected);
}

static void accepted(const char *name)
{
    char text[1024];
    config_guard_status status = guard(name, text, sizeof text);
    if (status != CONFIG_GUARD_OK) fail_msg("%s refused: %s", name, text);
}

/* The engine's and every model's tables, as placesim uses them (*n of
 * them, sized from the registry): the caller frees the array. */
static param_table *all_tables(size_t *n)
{
    size_t n_models;
    const model_def *const *models = model_registry(&n_models);
    param_table *tables = calloc(n_models + 1, sizeof *tables);
    assert_non_null(tables);
    engine_param_tables(models, n_models, tables);
    *n = n_models + 1;
    return tables;
}

/* Loads work/name expecting failure with exactly the message fmt (each
 * "%s" the work directory). */
static void load_refused(const char *name, const char *fmt)
{
    size_t n;
    param_table *tables = all_tables(&n);
    char err[4096], expected[1024], path[256];
    snprintf(path, sizeof path, "%s", at(name));
    snprintf(expected, sizeof expected, fmt, work, work, work, work);
    scenario *s = NULL;
    assert_int_equal(scenario_load(path, tables, n, NULL, 0, &s, err, sizeof err), -1);
    free(tables);
    assert_null(s);
    assert_string_equal(err, expected);
}

/* --- limits --------------------------------------------------------------- */

static void test_file_size(void **state)
{
    (void)state;
    /* Sparse: the size is refused before anything is read. */
    write_text("big.cfg", "");
    assert_int_equal(truncate(at("big.cfg"), CONFIG_GUARD_MAX_BYTES + 1), 0);
    refused("big.cfg", "%s/big.cfg: 33554433 bytes; scenario files are limited to 33554432 "
                       "bytes (32 MiB)");
    load_refused("big.cfg", "%s/big.cfg: 33554433 bytes; scenario files are limited to "
                            "33554432 bytes (32 MiB)");
    /* Exactly at the limit: 512 lines of 65,535 bytes and a newline. */
    char *line = malloc(65537);
    assert_non_null(line);
    memset(line, '#', 65535);
    strcpy(line + 65535, "\n");
    write_repeated("limit.cfg", "", line, 512, "");
    free(line);
    struct stat st;
    assert_int_equal(stat(at("limit.cfg"), &st), 0);
    assert_int_equal(st.st_size, CONFIG_GUARD_MAX_BYTES);
    accepted("limit.cfg");
}

static void test_bytes_of_bases_add_up(void **state)
{
    (void)state;
    /* Two files of 17 MiB: each within the limit, together over it. The
       base is read after the file that names it, and is refused from its
       size alone (it is sparse). */
    write_text("half.cfg", "");
    assert_int_equal(truncate(at("half.cfg"), 17 << 20), 0);
    FILE *f = fopen(at("top2.cfg"), "w");
    assert_non_null(f);
    fputs("base = \"half.cfg\";\n", f);
    for (int i = 0; i < (17 << 20) / 64; i++)
        fputs("###############################################################\n", f);
    assert_int_equal(fclose(f), 0);
    load_refused("top2.cfg", "%s/half.cfg: 17825792 bytes, 35651603 with the files of this "
                             "scenario read before it; a scenario with its bases and fragments "
                             "is limited to 33554432 bytes (32 MiB)");
}

static void test_line_length(void **state)
{
    (void)state;
    write_run("long.cfg", "years = 1;\n#", 'x', CONFIG_GUARD_MAX_LINE, "\n");
    refused("long.cfg", "%s/long.cfg:2: line is 65537 bytes long; lines are limited to 65536 "
                        "bytes (64 KiB)");
    load_refused("long.cfg", "%s/long.cfg:2: line is 65537 bytes long; lines are limited to "
                             "65536 bytes (64 KiB)");
    write_run("ok.cfg", "years = 1;\n#", 'x', CONFIG_GUARD_MAX_LINE - 1, "\n");
    accepted("ok.cfg");
    /* The last line needs no newline to count. */
    write_run("last.cfg", "#", 'x', CONFIG_GUARD_MAX_LINE, "");
    refused("last.cfg", "%s/last.cfg:1: line is 65537 bytes long; lines are limited to 65536 "
                        "bytes (64 KiB)");
}

static void test_string_length(void **state)
{
    (void)state;
    /* A string over several lines, each line short. */
    size_t lines = CONFIG_GUARD_MAX_STRING / 64 + 1;
    write_repeated("str.cfg", "\nname = \"",
                   "...............................................................\n", lines,
                   "\";\n");
    refused("str.cfg", "%s/str.cfg:2: string is 65600 bytes long; strings are limited to 65536 "
                       "bytes (64 KiB)");
    write_repeated("str_ok.cfg", "name = \"",
                   "...............................................................\n",
                   CONFIG_GUARD_MAX_STRING / 64, "\";\n");
    accepted("str_ok.cfg");
    /* Adjacent strings are one string to libconfig, across comments too. */
    write_repeated("joined.cfg", "name = ", "\"...............................\" # part\n",
                   CONFIG_GUARD_MAX_STRING / 31 + 1, ";\n");
    refused("joined.cfg", "%s/joined.cfg:1: string is 65565 bytes long (2115 adjacent strings, "
                          "which join into one); strings are limited to 65536 bytes (64 KiB)");
    /* An escaped quote does not end a string (else the last quote would
       open one that never ends). */
    write_text("escaped.cfg", "name = \"a\\\"b\";\nx = 1;\n");
    accepted("escaped.cfg");
}

static void test_group_settings(void **state)
{
    (void)state;
    char unit[32];
    FILE *f = fopen(at("group.cfg"), "w");
    assert_non_null(f);
    fputs("years = 1;\nhousing = {\n", f);
    for (int i = 0; i <= CONFIG_GUARD_MAX_GROUP_SETTINGS; i++) fprintf(f, "  k%d = 1;\n", i);
    fputs("};\n", f);
    assert_int_equal(fclose(f), 0);
    refused("group.cfg", "%s/group.cfg:2: group has 65 settings; a group is limited to 64 "
                         "settings");
    load_refused("group.cfg",
                 "%s/group.cfg:2: group has 65 settings; a group is limited to 64 settings");

    f = fopen(at("group_ok.cfg"), "w");
    assert_non_null(f);
    fputs("housing = {\n", f);
    for (int i = 0; i < CONFIG_GUARD_MAX_GROUP_SETTINGS; i++) fprintf(f, "  k%d : 1;\n", i);
    fputs("};\nareas = ( { a = 1; b = 2; }, { a = 1; } );\n", f);
    assert_int_equal(fclose(f), 0);
    accepted("group_ok.cfg");

    /* The top level is a group too, and a fragment adds to the group it is
       included in. */
    f = fopen(at("top.cfg"), "w");
    assert_non_null(f);
    for (int i = 0; i < CONFIG_GUARD_MAX_GROUP_SETTINGS - 1; i++) {
        snprintf(unit, sizeof unit, "k%d = 1;\n", i);
        fputs(unit, f);
    }
    fputs("@include \"two.cfg\"\n", f);
    assert_int_equal(fclose(f), 0);
    write_text("two.cfg", "x = 1;\ny = 2;\n");
    refused("top.cfg", "%s/top.cfg: 65 settings at the top level; a group, the top level "
                       "included, is limited to 64 settings");
    write_text("two.cfg", "x = 1;\n");
    accepted("top.cfg");
}

static void test_values(void **state)
{
    (void)state;
    /* One setting and its elements. */
    write_repeated("values.cfg", "x = [0", ",\n1", CONFIG_GUARD_MAX_VALUES - 1, "];\n");
    refused("values.cfg", "%s/values.cfg: 1500001 values (settings and elements of lists and "
                          "arrays); a scenario is limited to 1500000 values");
    write_repeated("values_ok.cfg", "x = [0", ",\n1", CONFIG_GUARD_MAX_VALUES - 2, "];\n");
    accepted("values_ok.cfg");
    /* Lists of groups: each group is an element, and its settings count. */
    write_text("entries.cfg",
               "areas = ( { a = 1; b = [1, 2]; }, {}, ({}, 2) );\nc = \"x\" \"y\";\n");
    config_guard_budget budget = { 0 };
    config_guard_text out;
    config_guard_problem p;
    char path[256];
    snprintf(path, sizeof path, "%s", at("entries.cfg"));
    assert_int_equal(config_guard_load(path, NULL, &budget, &out, &p), CONFIG_GUARD_OK);
    /* areas, 3 entries, a, b, 1, 2, {}, 2, c */
    assert_int_equal(budget.values, 11);
    free(out.text);
}

static void test_nesting(void **state)
{
    (void)state;
    write_repeated("deep.cfg", "x = ", "[", CONFIG_GUARD_MAX_NESTING + 1, "");
    refused("deep.cfg", "%s/deep.cfg:1: nested 65 deep; groups, lists and arrays nest at most "
                        "64 deep");
    FILE *f = fopen(at("deep_ok.cfg"), "w");
    assert_non_null(f);
    fputs("x = ", f);
    for (int i = 0; i < CONFIG_GUARD_MAX_NESTING; i++) fputs("(", f);
    for (int i = 0; i < CONFIG_GUARD_MAX_NESTING; i++) fputs(")", f);
    fputs(";\n", f);
    assert_int_equal(fclose(f), 0);
    accepted("deep_ok.cfg");
}

static void test_includes(void **state)
{
    (void)state;
    write_text("part.cfg", "# a fragment\n");
    write_repeated("many.cfg", "", "@include \"part.cfg\"\n", CONFIG_GUARD_MAX_INCLUDES + 1, "");
    refused("many.cfg", "%s/many.cfg:65: @include: more than 64 fragments included; a scenario "
                        "with its bases includes at most 64");
    write_repeated("many_ok.cfg", "", "  @include \t\"part.cfg\"\n", CONFIG_GUARD_MAX_INCLUDES, "");
    accepted("many_ok.cfg");
    /* A fragment is checked like a file, and named as libconfig names it. */
    write_run("long_part.cfg", "#", 'x', CONFIG_GUARD_MAX_LINE, "\n");
    write_text("inc_long.cfg", "years = 1;\n@include \"long_part.cfg\"\n");
    refused("inc_long.cfg", "%s/long_part.cfg:1: line is 65537 bytes long; lines are limited to "
                            "65536 bytes (64 KiB)");
    write_text("inc_missing.cfg", "years = 1;\n@include \"no_such.cfg\"\n");
    refused("inc_missing.cfg", "%s/inc_missing.cfg:2: @include: cannot read "
                               "\"%s/no_such.cfg\": No such file or directory");
    /* Only at the start of a line, and never inside a string or comment. */
    write_text("not_inc.cfg", "a = \"\n@include \\\"no_such.cfg\\\"\";\n/*\n@include "
                              "\"no_such.cfg\"\n*/ b = 1; # @include \"no_such.cfg\"\n");
    accepted("not_inc.cfg");
    /* A fragment including itself, or a loop of two: named as a cycle
       (libconfig would say "duplicate setting name" or stop ten deep). */
    write_text("self.cfg", "@include \"self.cfg\"\n");
    refused("self.cfg", "%s/self.cfg:1: @include: cycle of fragments: %s/self.cfg -> %s/self.cfg");
    write_text("loop_a.cfg", "a = 1;\n@include \"loop_b.cfg\"\n");
    write_text("loop_b.cfg", "@include \"loop_a.cfg\"\n");
    refused("loop_a.cfg", "%s/loop_b.cfg:1: @include: cycle of fragments: %s/loop_a.cfg -> "
                          "%s/loop_b.cfg -> %s/loop_a.cfg");
    /* Eleven fragments deep, without a cycle: libconfig's own limit is ten,
       now stated with the file and line where it is passed. */
    for (int k = 0; k < 11; k++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "deep%d.cfg", k);
        snprintf(text, sizeof text, "@include \"deep%d.cfg\"\n", k + 1);
        write_text(name, text);
    }
    write_text("deep11.cfg", "x = 1;\n");
    refused("deep0.cfg", "%s/deep10.cfg:1: @include: fragments nested more than 10 deep "
                         "(libconfig's limit)");
    /* Only fragments beside the file. */
    write_text("up.cfg", "@include \"../up.cfg\"\n");
    refused("up.cfg", "%s/up.cfg:1: @include: \"../up.cfg\" is not a file beside this one; "
                      "@include names a fragment in the same folder (use base for a file "
                      "elsewhere)");
    write_text("backslash.cfg", "@include \"a\\b.cfg\"\n");
    refused("backslash.cfg", "%s/backslash.cfg:1: @include: a backslash in a file name must be "
                             "written \\\\");
}

static void test_text_only(void **state)
{
    (void)state;
    FILE *f = fopen(at("nul.cfg"), "w");
    assert_non_null(f);
    fputs("years = 1;\nname = \"a", f);
    fputc('\0', f);
    fputs("b\";\n", f);
    assert_int_equal(fclose(f), 0);
    refused("nul.cfg", "%s/nul.cfg:2: a NUL byte (column 10); scenario files are text");
    write_text("comment.cfg", "years = 1;\nx = 2; /* never closed\ny = 3;\n");
    refused("comment.cfg", "%s/comment.cfg:2: syntax error: unterminated comment");
    write_text("string.cfg", "years = 1;\nname = \"abc;\ny = 3;\n");
    refused("string.cfg", "%s/string.cfg:2: syntax error: unterminated string");
}

/* --- files that are not regular -------------------------------------------- */

static void test_fifo_and_directory(void **state)
{
    (void)state;
    assert_int_equal(mkfifo(at("fifo"), 0600), 0);
    assert_int_equal(mkdir(at("dir"), 0700), 0);
    char text[512], expected[512];
    assert_int_equal(guard("fifo", text, sizeof text), CONFIG_GUARD_UNREADABLE);
    assert_string_equal(text, "not a regular file (a FIFO)");
    assert_int_equal(guard("dir", text, sizeof text), CONFIG_GUARD_UNREADABLE);
    assert_string_equal(text, "Is a directory");

    load_refused("fifo", "%s/fifo: cannot read: not a regular file (a FIFO)");
    write_text("base_fifo.cfg", "years = 1;\nbase = \"fifo\";\n");
    load_refused("base_fifo.cfg", "%s/base_fifo.cfg:2: base: cannot read \"%s/fifo\": not a "
                                  "regular file (a FIFO)");
    write_text("base_dir.cfg", "base = \"dir\";\n");
    load_refused("base_dir.cfg", "%s/base_dir.cfg:1: base: cannot read \"%s/dir\": Is a "
                                 "directory");
    write_text("base_dev.cfg", "base = \"/dev/null\";\n");
    load_refused("base_dev.cfg", "%s/base_dev.cfg:1: base: cannot read \"/dev/null\": not a "
                                 "regular file (a character device)");
    write_text("inc_fifo.cfg", "years = 1;\n@include \"fifo\"\n");
    load_refused("inc_fifo.cfg", "%s/inc_fifo.cfg:2: @include: cannot read \"%s/fifo\": not a "
                                 "regular file (a FIFO)");

    /* A cost library is named by the setting that names it. */
    size_t n;
    param_table *tables = all_tables(&n);
    snprintf(text, sizeof text, "%s/fifo", work);
    char set[600];
    snprintf(set, sizeof set, "cost_library=\"%s\"", text);
    const char *ov[] = { set };
    write_text("areas.cfg", "areas = ( { name = \"A\"; population = 10; dwellings = 5; "
                            "social_dwellings = 1; } );\n");
    scenario *s = NULL;
    char err[2048], path[256];
    snprintf(path, sizeof path, "%s", at("areas.cfg"));
    assert_int_equal(scenario_load(path, tables, n, ov, 1, &s, err, sizeof err), 0);
    free(tables);
    cost_library *lib = (cost_library *)0x1;
    assert_int_equal(cost_library_for_scenario(s, &lib, err, sizeof err), -1);
    assert_null(lib);
    snprintf(expected, sizeof expected,
             "--set:1: cost_library: cannot read \"%s/fifo\": not a regular file (a FIFO)", work);
    assert_string_equal(err, expected);
    scenario_free(s);
}

/* The text's own settings are named by its file (libconfig names only the
 * fragments it opens); syntax errors name the file and line. */
static void test_provenance_and_syntax(void **state)
{
    (void)state;
    write_text("frag.cfg", "years = 3;\n");
    write_text("prov.cfg", "areas = ( { name = \"A\"; population = 10; dwellings = 5;\n"
                           "  social_dwellings = 1; } );\n@include \"frag.cfg\"\n");
    size_t n;
    param_table *tables = all_tables(&n);
    scenario *s = NULL;
    char err[2048], path[256], file[256];
    snprintf(path, sizeof path, "%s", at("prov.cfg"));
    assert_int_equal(scenario_load(path, tables, n, NULL, 0, &s, err, sizeof err), 0);
    free(tables);
    const scn_node *v = scenario_find(s, "areas.A.social_dwellings");
    assert_string_equal(v->file, path);
    assert_int_equal(v->line, 2);
    v = scenario_find(s, "years");
    snprintf(file, sizeof file, "%s/frag.cfg", work);
    assert_string_equal(v->file, file);
    assert_int_equal(v->line, 1);
    scenario_free(s);

    write_text("syntax.cfg", "years = 1;\n\nwarmup_years = ;\n");
    load_refused("syntax.cfg", "%s/syntax.cfg:3: syntax error: syntax error");
}

/* --- many areas ------------------------------------------------------------ */

/* 100,000 areas: the scale the loader must handle (issue 7), under the
 * sanitizers too (the tree's lists grow by doubling). */
enum { MANY_AREAS = 100000 };

static void test_many_areas(void **state)
{
    (void)state;
    /* A grid W areas wide. */
    int N = MANY_AREAS, W = 1;
    while (W * W < N) W++;
    FILE *f = fopen(at("areas.cfg"), "w");
    assert_non_null(f);
    fputs("years = 1;\nwarmup_years = 0;\nareas = (\n", f);
    for (int i = 0; i < N; i++) {
        fprintf(f,
                "  { name = \"Area %06d\"; population = 1000; dwellings = 400; "
                "social_dwellings = 100;\n    neighbours = [",
                i);
        int nb[4] = { i - 1, i + 1, i - W, i + W }, first = 1;
        for (int k = 0; k < 4; k++)
            if (nb[k] >= 0 && nb[k] < N) {
                fprintf(f, "%s\"Area %06d\"", first ? "" : ", ", nb[k]);
                first = 0;
            }
        fprintf(f, "]; }%s\n", i < N - 1 ? "," : "");
    }
    fputs(");\n", f);
    assert_int_equal(fclose(f), 0);

    size_t n;
    param_table *tables = all_tables(&n);
    scenario *s = NULL;
    static char err[16384];
    char path[256];
    snprintf(path, sizeof path, "%s", at("areas.cfg"));
    int status = scenario_load(path, tables, n, NULL, 0, &s, err, sizeof err);
    free(tables);
    if (status != 0) fail_msg("%d areas did not load: %s", N, err);
    place p;
    status = place_build(s, &p, err, sizeof err);
    if (status != 0) fail_msg("%d areas did not build: %s", N, err);
    assert_int_equal(p.n_areas, N);
    assert_int_equal(p.population, (int64_t)N * 1000);
    for (int i = 0; i < N; i += 997) {
        char name[32];
        snprintf(name, sizeof name, "Area %06d", i);
        assert_int_equal(place_area_index(&p, name), i);
        const area *a = &p.areas[i];
        assert_string_equal(a->name, name);
        size_t expected = (i > 0) + (i < N - 1) + (i >= W) + (i + W < N);
        assert_int_equal(a->n_neighbours, expected);
        if (i > 0) assert_int_equal(a->neighbours[0], i - 1);
    }
    assert_int_equal(place_area_index(&p, "Area 999999"), -1);
    assert_int_equal(place_area_index(&p, ""), -1);
    place_free(&p);
    scenario_free(s);

    /* A name used twice among many is found, and points to the first. */
    f = fopen(at("dup.cfg"), "w");
    assert_non_null(f);
    fputs("areas = (\n", f);
    for (int i = 0; i < 5000; i++)
        fprintf(f, "  { name = \"A%d\"; population = 1; dwellings = 1; social_dwellings = 0; },\n",
                i == 4000 ? 17 : i);
    fputs("  { name = \"A17\"; population = 1; dwellings = 1; social_dwellings = 0; }\n);\n", f);
    assert_int_equal(fclose(f), 0);
    load_refused("dup.cfg", "%s/dup.cfg:4002: areas.A17: duplicate entry name (first at "
                            "%s/dup.cfg:19)\n%s/dup.cfg:5002: areas.A17: duplicate entry name "
                            "(first at %s/dup.cfg:19)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bytes_of_bases_add_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_includes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_and_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provenance_and_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_areas, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
