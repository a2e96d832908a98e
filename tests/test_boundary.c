/* test_boundary.c — sim/ knows areas, time, events, streams, money and
 * recording, and no model (ARCHITECTURE.md, issue 10).
 *
 * Every file in sim/ is read line by line, comments and strings included,
 * and a line fails when, compared without regard to case, it holds:
 *
 *   1. a word of the models' vocabulary, anywhere (also inside a longer
 *      word): the street-crime types (crime_type_names, models/shared.h, and
 *      burglary|robbery|theft_person|criminal_damage|violence_injury),
 *      offender, reoffend, relet, repair, patrol, and the name of every
 *      intervention type in the registry's catalogue;
 *   2. the name of a registry model, anywhere — except a name that is also
 *      one of the engine's money words: the bearers (bearer_names: housing,
 *      police, …, which pay and bear costs) and "interventions" (what
 *      budgets fund: the budget registers, pays and pauses them). Such a
 *      name fails only where it names the model: followed by "." and a
 *      letter (a key of the model's group, "housing.queue_order") or by "_"
 *      (an identifier of the model, "housing_model", "interventions_params"),
 *      and not preceded by a letter, digit, "_" or "." ("budgets.housing",
 *      "BEARER_HOUSING", "spend_housing" and `b->interventions[k]` are money).
 *
 * A failure lists every offending file:line with the word found. */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <cmocka.h>

#include "shared.h"

#ifndef PLACESIM_SOURCE_DIR
#define PLACESIM_SOURCE_DIR "."
#endif

enum { MAX_WORDS = 128 };

typedef struct vocabulary {
    const char *anywhere[MAX_WORDS]; /* rule 1, and rule 2's plain model names */
    size_t n_anywhere;
    const char *as_model[MAX_WORDS]; /* rule 2's model names that are money words */
    size_t n_as_model;
} vocabulary;

typedef struct report {
    char text[16384];
    size_t len;
    size_t hits;
} report;

/* Appends word unless listed already. */
static void add(const char **list, size_t *n, const char *word)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcasecmp(list[i], word) == 0) return;
    }
    assert_true(*n < MAX_WORDS);
    list[(*n)++] = word;
}

static int is_money_word(const char *name)
{
    if (strcmp(name, "interventions") == 0) return 1;
    for (int b = 0; b < BEARERS; b++) {
        if (strcmp(bearer_names[b], name) == 0) return 1;
    }
    return 0;
}

/* The words, from the registry and the shared header (so that a new model,
 * crime type or intervention type is guarded without editing this test). */
static void vocabulary_of_registry(vocabulary *v)
{
    static const char *const fixed[] = {
        "burglary", "robbery",  "theft_person", "criminal_damage", "violence_injury",
        "offender", "reoffend", "relet",        "repair",          "patrol",
    };
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        add(v->anywhere, &v->n_anywhere, fixed[i]);
    for (int k = 0; k < CRIME_TYPES; k++) add(v->anywhere, &v->n_anywhere, crime_type_names[k]);
    size_t n;
    const model_def *const *models = model_registry(&n);
    for (size_t m = 0; m < n; m++) {
        if (is_money_word(models[m]->name))
            add(v->as_model, &v->n_as_model, models[m]->name);
        else
            add(v->anywhere, &v->n_anywhere, models[m]->name);
        for (size_t t = 0; t < models[m]->n_intervention_types; t++) {
            add(v->anywhere, &v->n_anywhere, models[m]->intervention_types[t]->name);
        }
    }
}

/* Case-insensitive strstr. */
static const char *find_word(const char *from, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = from; *p; p++) {
        if (strncasecmp(p, word, n) == 0) return p;
    }
    return NULL;
}

static int ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Rule 2 for a money-word model name: where the line names the model. */
static int names_model(const char *line, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = find_word(line, name); p; p = find_word(p + 1, name)) {
        if (p > line && (ident_char(p[-1]) || p[-1] == '.')) continue;
        char next = p[n];
        if (next == '_' || (next == '.' && isalpha((unsigned char)p[n + 1]))) return 1;
    }
    return 0;
}

static void note(report *r, const char *path, int line, const char *word)
{
    r->hits++;
    if (r->len < sizeof r->text) {
        r->len += (size_t)snprintf(r->text + r->len, sizeof r->text - r->len, "%s:%d: %s\n", path,
                                   line, word);
    }
}

static void scan_file(const vocabulary *v, const char *path, report *r)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    int number = 0;
    while (fgets(line, sizeof line, f)) {
        number++;
        for (size_t i = 0; i < v->n_anywhere; i++) {
            if (find_word(line, v->anywhere[i])) note(r, path, number, v->anywhere[i]);
        }
        for (size_t i = 0; i < v->n_as_model; i++) {
            if (names_model(line, v->as_model[i])) note(r, path, number, v->as_model[i]);
        }
    }
    fclose(f);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of `dir` (not recursive: sim/ is flat), in name order. */
static void scan_dir(const vocabulary *v, const char *dir, report *r)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        assert_true(n < sizeof names / sizeof names[0]);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        scan_file(v, path, r);
        free(names[i]);
    }
}

static void sim_names_no_model(void **state)
{
    (void)state;
    vocabulary v;
    vocabulary_of_registry(&v);
    static report r;
    memset(&r, 0, sizeof r);
    scan_dir(&v, PLACESIM_SOURCE_DIR "/sim", &r);
    if (r.hits) fprintf(stderr, "sim/ names a model %zu time(s):\n%s", r.hits, r.text);
    assert_int_equal(r.hits, 0);
}

/* The scanner finds a planted word (and leaves money alone): run on a
 * folder holding one file, as it runs on sim/. */
static void a_planted_word_is_found(void **state)
{
    (void)state;
    char dir[] = "/tmp/placesim-boundary-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/planted.c", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("/* money: BEARER_HOUSING, \"budgets.housing\", spend_housing */\n" /* 1: fine */
          "static int n = b->interventions[k].agency + n_interventions;\n"    /* 2: fine */
          "/* counts each Offender once */\n"                                 /* 3: offender */
          "const char *key = \"housing.queue_order\";\n"                      /* 4: housing */
          "extern const model_def crime_model;\n"                             /* 5: crime */
          "int k = CRIME_BURGLARY;\n"            /* 6: crime, burglary */
          "const char *t = \"void_security\";\n" /* 7: type */
          "x = interventions_params;\n",         /* 8: interventions */
          f);
    fclose(f);
    vocabulary v;
    vocabulary_of_registry(&v);
    static report r;
    memset(&r, 0, sizeof r);
    scan_dir(&v, dir, &r);
    unlink(path);
    rmdir(dir);
    fprintf(stderr, "%s", r.text);
    const char *want[] = { ":3: offender\n",     ":4: housing\n", ":5: crime\n",
                           ":6: burglary\n",     ":6: crime\n",   ":7: void_security\n",
                           ":8: interventions\n" };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_non_null(strstr(r.text, want[i]));
    }
    assert_null(strstr(r.text, ":1: "));
    assert_null(strstr(r.text, ":2: "));
    assert_int_equal(r.hits, sizeof want / sizeof want[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_planted_word_is_found),
        cmocka_unit_test(sim_names_no_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
