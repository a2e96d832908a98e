/* scenario.c — scenario_load: reads a file and its chain of bases, composes
 * them, applies --set overrides (scenario_override.c), validates
 * (scenario_validate.c) and reports
 * every error in file and line order; and the getters of resolved values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_guard.h"
#include "dates.h"
#include "scenario_internal.h"

/* Deeper than any sane chain of bases; stops a runaway chain that a cycle
   check by file identity could miss (e.g. through ever-new symlinks). */
#define MAX_BASE_DEPTH 32

/* --- load state --------------------------------------------------------- */

const char *scn_intern(scn_load *ld, const char *file)
{
    for (size_t i = 0; i < ld->n_files; i++)
        if (strcmp(ld->files[i], file) == 0) return ld->files[i];
    if (ld->n_files == ld->cap_files) {
        size_t cap = ld->cap_files ? 2 * ld->cap_files : 8;
        char **files = realloc(ld->files, cap * sizeof *files);
        if (!files) {
            ld->oom = 1;
            return NULL;
        }
        ld->files = files;
        ld->cap_files = cap;
    }
    char *copy = strdup(file);
    if (!copy) {
        ld->oom = 1;
        return NULL;
    }
    ld->files[ld->n_files++] = copy;
    return copy;
}

void scn_error_add(scn_load *ld, const char *file, int line, const char *fmt, ...)
{
    scn_buf b = { 0 };
    if (line < 0)
        scn_buf_printf(&b, "%s: ", file);
    else
        scn_buf_printf(&b, "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (msg) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
        scn_buf_printf(&b, "%s", msg);
        free(msg);
    } else {
        b.failed = 1;
    }
    char *text = scn_buf_take(&b);
    char *file_copy = strdup(file);
    if (!text || !file_copy || ld->n_errors == SIZE_MAX / sizeof *ld->errors) {
        free(text);
        free(file_copy);
        ld->oom = 1;
        return;
    }
    if (ld->n_errors == ld->cap_errors) {
        size_t cap = ld->cap_errors ? 2 * ld->cap_errors : 8;
        scn_error *errors = realloc(ld->errors, cap * sizeof *errors);
        if (!errors) {
            free(text);
            free(file_copy);
            ld->oom = 1;
            return;
        }
        ld->errors = errors;
        ld->cap_errors = cap;
    }
    ld->errors[ld->n_errors] = (scn_error){ file_copy, line, ld->n_errors, text };
    ld->n_errors++;
}

static void load_free(scn_load *ld)
{
    for (size_t i = 0; i < ld->n_files; i++) free(ld->files[i]);
    free(ld->files);
    for (size_t i = 0; i < ld->n_errors; i++) {
        free(ld->errors[i].file);
        free(ld->errors[i].text);
    }
    free(ld->errors);
    scn_cost_sets_free(ld->cost_sets, ld->n_cost_sets);
}

/* --- errors out --------------------------------------------------------- */

/* A file's rank is the order it was composed in (a base before the file on
   top of it, --set last); files never composed (unreadable) come after. */
static size_t file_rank(const scn_load *ld, const char *file)
{
    for (size_t i = 0; i < ld->n_files; i++)
        if (strcmp(ld->files[i], file) == 0) return i;
    return ld->n_files;
}

static void sort_errors(scn_load *ld)
{
    /* Insertion sort: error lists are short, and it is stable. */
    for (size_t i = 1; i < ld->n_errors; i++) {
        scn_error e = ld->errors[i];
        size_t rank = file_rank(ld, e.file);
        size_t j = i;
        while (j > 0) {
            const scn_error *p = &ld->errors[j - 1];
            size_t prank = file_rank(ld, p->file);
            if (prank < rank || (prank == rank && p->line <= e.line)) break;
            ld->errors[j] = ld->errors[j - 1];
            j--;
        }
        ld->errors[j] = e;
    }
}

/* Writes the errors one per line, separated by newlines with none after the
   last (as the other loaders' messages are, so callers print it with "%s\n");
   when they do not fit, the last line says how many were left out rather
   than cutting silently. */
static void write_errors(const scn_load *ld, char *err, size_t errlen)
{
    if (!err || errlen == 0) return;
    err[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < ld->n_errors; i++) {
        size_t len = strlen(ld->errors[i].text) + (i ? 1 : 0);
        size_t reserve = i + 1 < ld->n_errors ? 48 : 0;
        if (used + len + reserve >= errlen) {
            snprintf(err + used, errlen - used, "%s(%zu more errors not shown)", i ? "\n" : "",
                     ld->n_errors - i);
            return;
        }
        snprintf(err + used, errlen - used, "%s%s", i ? "\n" : "", ld->errors[i].text);
        used += len;
    }
}

/* --- files and bases ---------------------------------------------------- */

typedef struct base_chain {
    dev_t dev[MAX_BASE_DEPTH];
    ino_t ino[MAX_BASE_DEPTH];
    const char *name[MAX_BASE_DEPTH];
    size_t n;
    config_guard_budget budget; /* what the files read so far used of the limits */
} base_chain;

/* Where a file was named: the naming file, the line and the key (`base`,
   or `cost_library` for a library that a scenario names). file NULL: the
   file was named on the command line. */
typedef struct named_at {
    const char *file;
    int line;
    const char *key;
} named_at;

/* The directory part of name including its final '/', "" if none. */
static char *dir_of(const char *name)
{
    const char *slash = strrchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) + 1 : 0;
    char *dir = malloc(len + 1);
    if (dir) {
        memcpy(dir, name, len);
        dir[len] = '\0';
    }
    return dir;
}

static const char *setting_phrase(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP: return "a group";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a float";
    case CONFIG_TYPE_BOOL: return "a boolean";
    default: return "a string";
    }
}

static scn_node *read_file(scn_load *ld, const char *name, base_chain *chain, named_at by);

/* Reads the base named by setting `base` of file `name`; NULL (error
   recorded) if it cannot be read. */
static scn_node *read_base(scn_load *ld, const char *name, const char *dir,
                           const config_setting_t *base, base_chain *chain)
{
    named_at by = { name, (int)config_setting_source_line(base), "base" };
    if (config_setting_type(base) != CONFIG_TYPE_STRING) {
        scn_error_add(ld, by.file, by.line, "base: expected a string (a file path), got %s",
                      setting_phrase(base));
        return NULL;
    }
    const char *rel = config_setting_get_string(base);
    scn_buf b = { 0 };
    scn_buf_printf(&b, "%s%s", rel[0] == '/' ? "" : dir, rel);
    char *base_name = scn_buf_take(&b);
    if (!base_name) {
        ld->oom = 1;
        return NULL;
    }
    scn_node *tree = read_file(ld, base_name, chain, by);
    free(base_name);
    return tree;
}

/* Records that file `name` cannot be read at all, for `why`. */
static void cannot_read(scn_load *ld, const char *name, named_at by, const char *why)
{
    if (by.file) {
        ld->incomplete = 1;
        scn_buf b = { 0 };
        scn_buf_quoted(&b, name, 0);
        char *q = scn_buf_take(&b);
        scn_error_add(ld, by.file, by.line, "%s: cannot read %s: %s", by.key, q ? q : name, why);
        free(q);
    } else {
        scn_error_add(ld, name, -1, "cannot read: %s", why);
    }
}

/* config_read_string leaves the file of the text's own settings NULL
   (libconfig 1.5 names only the files it opens itself, the fragments):
   name them by the file the text was read from, as config_read_file did.
   config_setting_t is a public struct in 1.5; `name` outlives the config.
   The recursion is as deep as the nesting, which the guard bounds. */
static void name_settings(config_setting_t *s, const char *name)
{
    if (!s->file) s->file = name;
    if (config_setting_is_aggregate(s))
        for (int i = 0; i < config_setting_length(s); i++)
            name_settings(config_setting_get_elem(s, i), name);
}

/* What a load's tables read: "a scenario" (the engine's keys), "a cost
   library", or another kind named by its first table's owner. */
static const char *kind_of(const scn_load *ld, char *buf, size_t buflen)
{
    const char *owner = ld->n_tables ? ld->tables[0].owner : "";
    if (strcmp(owner, "engine") == 0) return "a scenario";
    if (strcmp(owner, "costs") == 0) return "a cost library";
    snprintf(buf, buflen, "a %s file", owner);
    return buf;
}

/* A file none of whose keys the tables know, and that has the keys of the
   other kind, is that kind (a cost library given as a base, a scenario as
   a cost library): one line saying so, rather than an "unknown key" for
   each of its keys and a "missing" for each it lacks. Returns 1 after
   recording it. */
static int wrong_kind(scn_load *ld, const char *name, named_at by, const config_setting_t *root)
{
    int members = config_setting_length(root), keys = 0;
    for (int i = 0; i < members; i++) {
        const char *key = config_setting_name(config_setting_get_elem(root, (unsigned)i));
        if (!key || strcmp(key, "base") == 0 || strcmp(key, "name") == 0) continue;
        if (scn_spec_find(ld->tables, ld->n_tables, key)) return 0;
        keys++;
    }
    if (keys == 0) return 0;
    const char *what = NULL;
    if (config_setting_get_member(root, "costs") && config_setting_get_member(root, "deflator"))
        what = "a cost library";
    else if (config_setting_get_member(root, "areas"))
        what = "a scenario";
    char buf[64];
    const char *kind = kind_of(ld, buf, sizeof buf);
    /* A file of unknown kind gets the usual messages: its misspellings
       have their suggestions. */
    if (!what || strcmp(what, kind) == 0) return 0;
    scn_buf b = { 0 };
    if (by.file) {
        scn_buf_printf(&b, "%s: ", by.key);
        scn_buf_quoted(&b, name, 0);
        scn_buf_printf(&b, " is ");
    } else {
        scn_buf_printf(&b, "this is ");
    }
    scn_buf_printf(&b, "%s, not %s", what, kind);
    char *text = scn_buf_take(&b);
    if (by.file)
        scn_error_add(ld, by.file, by.line, "%s", text ? text : "wrong kind of file");
    else
        scn_error_add(ld, name, -1, "%s", text ? text : "wrong kind of file");
    free(text);
    return 1;
}

/* A guard refusal of file `name` (not a regular file, too large, unreadable):
   recorded in ld. */
static void report_guard_problem(scn_load *ld, const char *name, named_at by,
                                 config_guard_status guard, config_guard_problem *problem)
{
    if (guard == CONFIG_GUARD_NO_MEMORY) {
        ld->oom = 1;
    } else if (guard == CONFIG_GUARD_UNREADABLE) {
        cannot_read(ld, name, by, problem->why);
    } else {
        scn_error_add(ld, problem->file, problem->line, "%s", problem->why);
        scn_intern(ld, problem->file);
        if (by.file) ld->incomplete = 1;
    }
    config_guard_problem_free(problem);
}

/* 1 (recorded in ld) when the file read as `text` is already in the chain
   of bases (a cycle) or the chain is as deep as allowed; else 0. */
static int chain_refuses(scn_load *ld, const base_chain *chain, const config_guard_text *text,
                         const char *name, named_at by)
{
    for (size_t i = 0; i < chain->n; i++) {
        if (chain->dev[i] != text->dev || chain->ino[i] != text->ino) continue;
        scn_buf b = { 0 };
        for (size_t j = i; j < chain->n; j++) scn_buf_printf(&b, "%s -> ", chain->name[j]);
        scn_buf_printf(&b, "%s", name);
        char *cycle = scn_buf_take(&b);
        scn_error_add(ld, by.file, by.line, "base: cycle of bases: %s", cycle ? cycle : name);
        free(cycle);
        ld->incomplete = 1;
        return 1;
    }
    if (chain->n == MAX_BASE_DEPTH) {
        scn_error_add(ld, by.file, by.line, "base: bases nested more than %d deep", MAX_BASE_DEPTH);
        ld->incomplete = 1;
        return 1;
    }
    return 0;
}

/* libconfig's error for file `name` (in directory dir), recorded in ld. The
   text's own errors come without a file name; a fragment's name it as the
   directive does, and we name it relative to the command line, like its
   values. */
static void report_parse_error(scn_load *ld, const config_t *cfg, const char *name, const char *dir,
                               named_at by)
{
    const char *efile = config_error_file(cfg) ? config_error_file(cfg) : name;
    scn_buf b = { 0 };
    if (strcmp(efile, name) != 0 && efile[0] != '/')
        scn_buf_printf(&b, "%s%s", dir, efile);
    else
        scn_buf_printf(&b, "%s", efile);
    char *ename = scn_buf_take(&b);
    if (!ename) {
        ld->oom = 1;
    } else {
        if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
            scn_error_add(ld, ename, -1, "cannot read: %s", config_error_text(cfg));
        else
            scn_error_add(ld, ename, config_error_line(cfg), "syntax error: %s",
                          config_error_text(cfg));
        scn_intern(ld, ename);
    }
    free(ename);
    if (by.file) ld->incomplete = 1;
}

/* The file's tree laid over its base's (NULL: none): the composed tree, or
   NULL (the base's freed) when the file's own tree could not be built. */
static scn_node *compose_with_base(scn_load *ld, scn_node *tree, scn_node *base_tree)
{
    if (!tree) {
        scn_node_free(base_tree);
        return NULL;
    }
    scn_node_remove(tree, "base");
    if (!base_tree) return tree;
    /* A scenario's name is its own, never its base's. */
    scn_node_remove(base_tree, "name");
    if (scn_node_merge(base_tree, tree) != 0) ld->oom = 1;
    return base_tree;
}

/* The tree of the file's base (named by `base` in root), read with the file
   pushed on the chain; NULL (load incomplete) when it cannot be read. */
static scn_node *read_base_of(scn_load *ld, const char *name, const char *dir,
                              const config_setting_t *base, base_chain *chain,
                              const config_guard_text *text)
{
    chain->dev[chain->n] = text->dev;
    chain->ino[chain->n] = text->ino;
    chain->name[chain->n] = name;
    chain->n++;
    scn_node *base_tree = read_base(ld, name, dir, base, chain);
    chain->n--;
    if (!base_tree) ld->incomplete = 1;
    return base_tree;
}

/* Parses the guarded text of `name` (libconfig looks up fragments in dir)
   into cfg: 1, or 0 after recording why in ld (a syntax error, the wrong
   kind of file). The text is freed in either case. */
static int parse_text(scn_load *ld, config_t *cfg, config_guard_text *text, const char *name,
                      const char *dir, named_at by)
{
    int parsed = config_read_string(cfg, text->text);
    free(text->text);
    text->text = NULL;
    if (!parsed) {
        report_parse_error(ld, cfg, name, dir, by);
        return 0;
    }
    name_settings(config_root_setting(cfg), name);
    if (wrong_kind(ld, name, by, config_root_setting(cfg))) {
        if (by.file) ld->incomplete = 1;
        return 0;
    }
    return 1;
}

/* Reads file `name` (by.file NULL: the command-line file) and, first, its
   chain of bases, and returns the composed tree; NULL if this file cannot be
   read at all. Errors are recorded in ld; a base that cannot be read marks
   the load incomplete. The file is read once, through the guard (regular
   files only, within the limits of config_guard.h), and libconfig parses
   that same text. */
static scn_node *read_file(scn_load *ld, const char *name, base_chain *chain, named_at by)
{
    char *dir = dir_of(name);
    if (!dir) {
        ld->oom = 1;
        return NULL;
    }
    /* Fragments are looked up in the file's directory, named without its
       final '/' (libconfig adds its own separator). */
    size_t dir_len = strlen(dir);
    if (dir_len) dir[dir_len - 1] = '\0';
    const char *include_dir = dir_len ? dir : NULL;
    config_guard_text text;
    config_guard_problem problem;
    config_guard_status guard =
        config_guard_load(name, include_dir, &chain->budget, &text, &problem);
    config_t cfg;
    config_init(&cfg);
    if (include_dir) config_set_include_dir(&cfg, include_dir);
    if (dir_len) dir[dir_len - 1] = '/';

    scn_node *tree = NULL;
    if (guard != CONFIG_GUARD_OK) {
        report_guard_problem(ld, name, by, guard, &problem);
    } else if (chain_refuses(ld, chain, &text, name, by)) {
        free(text.text);
    } else if (parse_text(ld, &cfg, &text, name, dir, by)) {
        const config_setting_t *root = config_root_setting(&cfg);
        const config_setting_t *base = config_setting_get_member(root, "base");
        scn_node *base_tree = base ? read_base_of(ld, name, dir, base, chain, &text) : NULL;
        /* Interned only now, after its bases, so that files rank in
           composition order. */
        if (scn_intern(ld, name)) tree = scn_from_setting(ld, root, dir, NULL, 0);
        tree = compose_with_base(ld, tree, base_tree);
    }
    config_destroy(&cfg);
    free(dir);
    return tree;
}

/* --- load --------------------------------------------------------------- */

static char *default_name_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0) len -= 4;
    char *name = malloc(len + 1);
    if (name) {
        memcpy(name, base, len);
        name[len] = '\0';
    }
    return name;
}

static int load(const char *path, named_at by, const param_table *tables, size_t n_tables,
                const char *const *overrides, size_t n_overrides, int validate, scenario **out,
                char *err, size_t errlen);

int scenario_load(const char *path, const param_table *tables, size_t n_tables,
                  const char *const *overrides, size_t n_overrides, scenario **out, char *err,
                  size_t errlen)
{
    return load(path, (named_at){ NULL, 0, NULL }, tables, n_tables, overrides, n_overrides, 1, out,
                err, errlen);
}

int scenario_load_named(const char *path, const char *named_file, int named_line,
                        const char *named_key, const param_table *tables, size_t n_tables,
                        const char *const *overrides, size_t n_overrides, scenario **out, char *err,
                        size_t errlen)
{
    return load(path, (named_at){ named_file, named_line, named_key }, tables, n_tables, overrides,
                n_overrides, 1, out, err, errlen);
}

int scenario_load_composed(const char *path, const param_table *tables, size_t n_tables,
                           scenario **out, char *err, size_t errlen)
{
    return load(path, (named_at){ NULL, 0, NULL }, tables, n_tables, NULL, 0, 0, out, err, errlen);
}

static int load(const char *path, named_at by, const param_table *tables, size_t n_tables,
                const char *const *overrides, size_t n_overrides, int validate, scenario **out,
                char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen) err[0] = '\0';
    scn_load ld = { .tables = tables, .n_tables = n_tables };
    base_chain chain = { .n = 0 };
    scn_node *root = read_file(&ld, path, &chain, by);
    if (root && validate) {
        /* "--set" ranks after every file; interned once all files are. */
        scn_intern(&ld, SCN_FILE_SET);
        for (size_t i = 0; i < n_overrides; i++)
            scn_apply_override(&ld, root, overrides[i], (int)(i + 1));
        scn_validate(&ld, root, path);
    }

    scenario *s = NULL;
    if (root && !ld.oom && ld.n_errors == 0) {
        s = calloc(1, sizeof *s);
        if (s) {
            s->path = strdup(path);
            s->default_name = default_name_of(path);
            s->tables = malloc((n_tables ? n_tables : 1) * sizeof *s->tables);
            if (!s->path || !s->default_name || !s->tables) {
                free(s->path);
                free(s->default_name);
                free(s->tables);
                free(s);
                s = NULL;
            }
        }
        if (!s) {
            ld.oom = 1;
        } else {
            if (n_tables) memcpy(s->tables, tables, n_tables * sizeof *tables);
            s->n_tables = n_tables;
            s->root = root;
            s->files = ld.files;
            s->n_files = ld.n_files;
            ld.files = NULL;
            ld.n_files = 0;
            s->cost_sets = ld.cost_sets;
            s->n_cost_sets = ld.n_cost_sets;
            ld.cost_sets = NULL;
            ld.n_cost_sets = 0;
            root = NULL;
        }
    }
    if (ld.oom) {
        scenario_free(s);
        s = NULL;
        if (err && errlen) snprintf(err, errlen, "%s: out of memory", path);
    } else if (!s) {
        sort_errors(&ld);
        write_errors(&ld, err, errlen);
    }
    scn_node_free(root);
    load_free(&ld);
    *out = s;
    return s ? 0 : -1;
}

void scenario_error_append(char *err, size_t errlen, const char *file, int line, const char *fmt,
                           ...)
{
    size_t used = strnlen(err, errlen);
    if (used + 1 >= errlen) return;
    int n = line < 0
                ? snprintf(err + used, errlen - used, "%s%s: ", used ? "\n" : "", file)
                : snprintf(err + used, errlen - used, "%s%s:%d: ", used ? "\n" : "", file, line);
    if (n < 0 || (size_t)n >= errlen - used) return;
    used += (size_t)n;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, errlen - used, fmt, ap);
    va_end(ap);
}

void scenario_free(scenario *s)
{
    if (!s) return;
    scn_node_free(s->root);
    for (size_t i = 0; i < s->n_files; i++) free(s->files[i]);
    free(s->files);
    scn_cost_sets_free(s->cost_sets, s->n_cost_sets);
    free(s->tables);
    free(s->path);
    free(s->default_name);
    free(s);
}

/* --- resolved values ---------------------------------------------------- */

const char *scenario_name(const scenario *s)
{
    const scn_node *n = scn_node_child(s->root, "name");
    if (n && n->type == SCN_STRING && n->string_value[0]) return n->string_value;
    return s->default_name;
}

const char *scenario_path(const scenario *s) { return s->path; }

const scn_node *scenario_root(const scenario *s) { return s->root; }

const scn_node *scenario_find(const scenario *s, const char *path)
{
    return scn_node_find(s->root, path);
}

/* The getters' callers name keys in code, so a missing one is a bug in the
   program, not in the scenario: there is no status to return. */
static _Noreturn void no_value(const char *path)
{
    fprintf(stderr, "placesim: internal error: no scenario value at %s\n", path);
    abort();
}

static _Noreturn void wrong_type(const char *path, const char *wanted)
{
    fprintf(stderr, "placesim: internal error: scenario value at %s is not %s\n", path, wanted);
    abort();
}

static const scn_node *must_find(const scenario *s, const char *path)
{
    const scn_node *n = scn_node_find(s->root, path);
    if (!n) no_value(path);
    return n;
}

int64_t scenario_int(const scenario *s, const char *path)
{
    const scn_node *n = must_find(s, path);
    if (n->type != SCN_INT) wrong_type(path, "an integer");
    return n->int_value;
}

double scenario_float(const scenario *s, const char *path)
{
    const scn_node *n = must_find(s, path);
    if (n->type != SCN_INT && n->type != SCN_FLOAT) wrong_type(path, "a number");
    return n->float_value;
}

int scenario_bool(const scenario *s, const char *path)
{
    const scn_node *n = must_find(s, path);
    if (n->type != SCN_BOOL) wrong_type(path, "a boolean");
    return (int)n->int_value;
}

const char *scenario_string(const scenario *s, const char *path)
{
    const scn_node *n = must_find(s, path);
    if (n->type != SCN_STRING) wrong_type(path, "a string");
    return n->string_value;
}

int64_t scenario_date(const scenario *s, const char *path)
{
    int64_t day;
    if (date_parse(scenario_string(s, path), &day) != 0) wrong_type(path, "a date");
    return day;
}

const scn_node *scn_member(const scn_node *group, const char *name)
{
    return scn_node_child(group, name);
}

/* A member's path in messages: the entry's name stands for its position. */
static const scn_node *must_member(const scn_node *group, const char *name)
{
    const scn_node *n = scn_node_child(group, name);
    if (!n) {
        const char *entry = group ? scn_entry_name(group) : NULL;
        if (!entry && group) entry = group->name;
        fprintf(stderr, "placesim: internal error: no scenario value at %s%s%s\n",
                entry ? entry : "", entry ? "." : "", name);
        abort();
    }
    return n;
}

int64_t scn_member_int(const scn_node *group, const char *name)
{
    const scn_node *n = must_member(group, name);
    if (n->type != SCN_INT) wrong_type(name, "an integer");
    return n->int_value;
}

double scn_member_float(const scn_node *group, const char *name)
{
    const scn_node *n = must_member(group, name);
    if (n->type != SCN_INT && n->type != SCN_FLOAT) wrong_type(name, "a number");
    return n->float_value;
}

const char *scn_member_string(const scn_node *group, const char *name)
{
    const scn_node *n = must_member(group, name);
    if (n->type != SCN_STRING) wrong_type(name, "a string");
    return n->string_value;
}
