/* config_guard.c — opening a libconfig file without blocking, reading it
 * once, and pre-scanning its text (and its @include'd fragments) against
 * the limits of config_guard.h.
 *
 * How the limits were measured (a small timing program against Debian's
 * libconfig 1.5, and tools/big_inputs.sh for `placesim check`, on the
 * project's shared 2-core machine):
 *
 * - Long tokens. libconfig reads a FILE through flex 8 KiB at a time and
 *   re-scans the current token after each read, so a token (a comment line,
 *   a string, a run of spaces) costs O(length^2): a 1 MB comment line takes
 *   0.8 s, 2 MB 2.0 s, 4 MB 12 s (the rescans start above about 16 KiB).
 *   Read from memory (config_read_string, as the loader now does) the same
 *   is linear, 100 MB of one comment line in 3.7 s; but libconfig still
 *   reads @include'd fragments from their FILE, where 32 MB of 64 KiB
 *   comment lines take 1.2 s and of 256 KiB lines 4.1 s. Lines and strings
 *   are limited to 64 KiB, far beyond any written by hand.
 * - Settings of one group. Adding a setting compares its name with every
 *   earlier member of its group: 10,000 keys in one group take 0.5 s,
 *   20,000 1.8 s, 40,000 8.6 s; spread over many groups, 2 million settings
 *   take 2.1 s in groups of 16, 6.0 s in groups of 64, 9.4 s of 128, 11.3 s
 *   of 256. The largest group of the parameter tables (the top level) has
 *   40 keys; groups are limited to 64 settings, and a file of 1.47 million
 *   settings in groups of 64 takes 4-5.5 s in `placesim check`.
 * - Values. Each costs about 90 bytes and 0.5-1 us in libconfig (16 million
 *   list elements, a 32 MB file, take 11.4 s and 1.4 GB) and a few us more
 *   in placesim's own tree, checks and place: 100,000 areas with 4
 *   neighbours each, 1.1 million values in 18.7 MB, take 3-5 s in
 *   `placesim check`. A scenario is limited to 1.5 million values.
 * - Bytes. Those 100,000 areas take 18.7 MB; a scenario with all its files
 *   is limited to 32 MiB, and a bigger file is refused from its size before
 *   it is read. Within every limit, the slowest files tools/big_inputs.sh
 *   makes are answered in under 6 s.
 * - Nesting and @include: not slow, but nesting means recursion in the tree
 *   code and fan-out of @include re-reading; real scenarios nest 3 deep and
 *   include a handful of fragments. */
#include "config_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libconfig 1.5 refuses an @include nested deeper than this itself
   ("include file nesting too deep"); the pre-scan does not follow those. */
#define LIBCONFIG_INCLUDE_DEPTH 10

/* --- problems ------------------------------------------------------------ */

static config_guard_status problem_set(config_guard_problem *p, config_guard_status status,
                                       const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Fills *p (file may be NULL) and returns status, or NO_MEMORY. */
static config_guard_status problem_set(config_guard_problem *p, config_guard_status status,
                                       const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *why = n >= 0 ? malloc((size_t)n + 1) : NULL;
    char *copy = file ? strdup(file) : NULL;
    if (!why || (file && !copy)) {
        free(why);
        free(copy);
        return CONFIG_GUARD_NO_MEMORY;
    }
    va_start(ap, fmt);
    vsnprintf(why, (size_t)n + 1, fmt, ap);
    va_end(ap);
    p->file = copy;
    p->line = line;
    p->why = why;
    return status;
}

void config_guard_problem_free(config_guard_problem *problem)
{
    free(problem->file);
    free(problem->why);
    problem->file = NULL;
    problem->why = NULL;
    problem->line = -1;
}

/* s as a double-quoted libconfig string, as messages show paths: a
 * malloc'd string, or NULL when out of memory. */
static char *config_guard_quote(const char *s)
{
    /* Each byte takes at most 4 ("\x01"), plus the quotes. */
    size_t len = strlen(s);
    char *q = len < (SIZE_MAX - 3) / 4 ? malloc(4 * len + 3) : NULL;
    if (!q) return NULL;
    char *o = q;
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            *o++ = '\\';
            *o++ = '"';
            break;
        case '\\':
            *o++ = '\\';
            *o++ = '\\';
            break;
        case '\n':
            *o++ = '\\';
            *o++ = 'n';
            break;
        case '\t':
            *o++ = '\\';
            *o++ = 't';
            break;
        case '\r':
            *o++ = '\\';
            *o++ = 'r';
            break;
        case '\f':
            *o++ = '\\';
            *o++ = 'f';
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                o += sprintf(o, "\\x%02x", *p);
            else
                *o++ = (char)*p;
        }
    }
    *o++ = '"';
    *o = '\0';
    return q;
}

/* A limit in bytes as people say it ("32 MiB"), into buf (32 bytes). */
static const char *human(size_t bytes, char buf[32])
{
    if (bytes % (1u << 20) == 0)
        snprintf(buf, 32, "%zu MiB", bytes >> 20);
    else if (bytes % (1u << 10) == 0)
        snprintf(buf, 32, "%zu KiB", bytes >> 10);
    else
        snprintf(buf, 32, "%zu B", bytes);
    return buf;
}

/* --- opening and reading ------------------------------------------------- */

/* Why a file of this type is not read. */
static const char *kind_reason(mode_t mode)
{
    if (S_ISDIR(mode)) return strerror(EISDIR);
    if (S_ISFIFO(mode)) return "not a regular file (a FIFO)";
    if (S_ISCHR(mode)) return "not a regular file (a character device)";
    if (S_ISBLK(mode)) return "not a regular file (a block device)";
    if (S_ISSOCK(mode)) return "not a regular file (a socket)";
    return "not a regular file";
}

static config_guard_status too_big(const char *path, size_t size, int at_least,
                                   const config_guard_budget *budget, config_guard_problem *p)
{
    const char *more = at_least ? "at least " : "";
    char h[32];
    human(CONFIG_GUARD_MAX_BYTES, h);
    if (size > CONFIG_GUARD_MAX_BYTES || budget->bytes == 0)
        return problem_set(p, CONFIG_GUARD_REFUSED, path, -1,
                           "%s%zu bytes; scenario files are limited to %d bytes (%s)", more, size,
                           CONFIG_GUARD_MAX_BYTES, h);
    return problem_set(p, CONFIG_GUARD_REFUSED, path, -1,
                       "%s%zu bytes, %s%zu with the files of this scenario read before it; a "
                       "scenario with its bases and fragments is limited to %d bytes (%s)",
                       more, size, more, budget->bytes + size, CONFIG_GUARD_MAX_BYTES, h);
}

/* Opens path without blocking (a FIFO would block an ordinary open until a
 * writer came; O_NONBLOCK returns at once), makes sure it is a regular file,
 * and reads it whole if it fits what is left of the budget. */
static config_guard_status read_whole(const char *path, const config_guard_budget *budget,
                                      config_guard_text *out, config_guard_problem *p)
{
    /* stat first: opening a device can do things (a watchdog starts, a tape
       rewinds) even when nothing is read. */
    struct stat st;
    if (stat(path, &st) != 0)
        return problem_set(p, CONFIG_GUARD_UNREADABLE, NULL, -1, "%s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return problem_set(p, CONFIG_GUARD_UNREADABLE, NULL, -1, "%s", kind_reason(st.st_mode));
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return problem_set(p, CONFIG_GUARD_UNREADABLE, NULL, -1, "%s", strerror(errno));
    /* The path may have been replaced between stat and open: what counts is
       what was opened. */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const char *reason = S_ISREG(st.st_mode) ? strerror(errno) : kind_reason(st.st_mode);
        close(fd);
        return problem_set(p, CONFIG_GUARD_UNREADABLE, NULL, -1, "%s", reason);
    }
    size_t room = CONFIG_GUARD_MAX_BYTES - budget->bytes;
    if (st.st_size < 0 || (unsigned long long)st.st_size > room) {
        close(fd);
        return too_big(path, (size_t)st.st_size, 0, budget, p);
    }
    /* One byte more than the size, to see a file that grew meanwhile. */
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *text = malloc(cap + 1);
    while (text) {
        if (len == cap) {
            if (len > room) break;
            size_t grown = cap * 2 > room + 1 ? room + 1 : cap * 2;
            char *t = realloc(text, grown + 1);
            if (!t) {
                free(text);
                text = NULL;
                break;
            }
            text = t;
            cap = grown;
        }
        ssize_t n = read(fd, text + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            free(text);
            close(fd);
            return problem_set(p, CONFIG_GUARD_UNREADABLE, NULL, -1, "%s", strerror(e));
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    close(fd);
    if (!text) return CONFIG_GUARD_NO_MEMORY;
    if (len > room) {
        free(text);
        return too_big(path, len, 1, budget, p);
    }
    text[len] = '\0';
    *out = (config_guard_text){ text, len, st.st_dev, st.st_ino };
    return CONFIG_GUARD_OK;
}

/* --- lines --------------------------------------------------------------- */

/* Line lengths, and NUL bytes (config_read_string would stop at one,
   silently parsing less than the file). */
static config_guard_status check_lines(const char *file, const char *text, size_t len,
                                       config_guard_problem *p)
{
    const char *nul = memchr(text, '\0', len);
    size_t start = 0;
    for (int line = 1;; line++) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (nul && (size_t)(nul - text) < end)
            return problem_set(p, CONFIG_GUARD_REFUSED, file, line,
                               "a NUL byte (column %zu); scenario files are text",
                               (size_t)(nul - text) - start + 1);
        if (end - start > CONFIG_GUARD_MAX_LINE) {
            char h[32];
            return problem_set(p, CONFIG_GUARD_REFUSED, file, line,
                               "line is %zu bytes long; lines are limited to %d bytes (%s)",
                               end - start, CONFIG_GUARD_MAX_LINE, human(CONFIG_GUARD_MAX_LINE, h));
        }
        if (!nl) return CONFIG_GUARD_OK;
        start = end + 1;
    }
}

/* --- the pre-scan --------------------------------------------------------- */

/* An open group, list or array (stack[0] is the top level). */
typedef struct frame {
    char kind;          /* '{' a group or the top level, '(' a list, '[' an array */
    int expect_element; /* list or array: the next value starts an element */
    size_t settings;    /* group: settings directly in it */
    size_t file;        /* where it opened: index into scan.files */
    int line;
} frame;

/* The state of one pre-scan. libconfig scans a fragment as if its text
   stood in place of the @include, so the nesting and a string being joined
   carry on across files. */
typedef struct scan {
    const char *include_dir;
    config_guard_budget *budget;
    config_guard_problem *problem;
    const char *files[CONFIG_GUARD_MAX_INCLUDES + 1]; /* [0] the file; then fragments (owned) */
    size_t n_files;
    int include_depth;
    /* The files being scanned, outermost first: [0] the file, then each
       fragment inside the one before (to find a cycle of @includes). */
    struct {
        dev_t dev;
        ino_t ino;
        size_t file;
    } chain[LIBCONFIG_INCLUDE_DEPTH + 1];
    frame stack[CONFIG_GUARD_MAX_NESTING + 1];
    size_t depth;
    size_t values; /* counted by this scan */
    int in_string; /* the last token was a string: a next one joins it */
    size_t string_bytes, string_pieces, string_file;
    int string_line;
} scan;

static config_guard_status scan_text(scan *sc, size_t file, const char *text, size_t len);

static config_guard_status end_string(scan *sc)
{
    if (!sc->in_string) return CONFIG_GUARD_OK;
    sc->in_string = 0;
    if (sc->string_bytes <= CONFIG_GUARD_MAX_STRING) return CONFIG_GUARD_OK;
    char joined[64] = "", h[32];
    if (sc->string_pieces > 1)
        snprintf(joined, sizeof joined, " (%zu adjacent strings, which join into one)",
                 sc->string_pieces);
    return problem_set(
        sc->problem, CONFIG_GUARD_REFUSED, sc->files[sc->string_file], sc->string_line,
        "string is %zu bytes long%s; strings are limited to %d bytes (%s)", sc->string_bytes,
        joined, CONFIG_GUARD_MAX_STRING, human(CONFIG_GUARD_MAX_STRING, h));
}

/* A value starts: in a list or array it is a new element. */
static void value_starts(scan *sc)
{
    frame *f = &sc->stack[sc->depth];
    if (f->kind != '{' && f->expect_element) {
        f->expect_element = 0;
        sc->values++;
    }
}

static config_guard_status check_group_size(scan *sc, const frame *f)
{
    if (f->kind != '{' || f->settings <= CONFIG_GUARD_MAX_GROUP_SETTINGS) return CONFIG_GUARD_OK;
    if (f == &sc->stack[0])
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[0], -1,
                           "%zu settings at the top level; a group, the top level included, "
                           "is limited to %d settings",
                           f->settings, CONFIG_GUARD_MAX_GROUP_SETTINGS);
    return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[f->file], f->line,
                       "group has %zu settings; a group is limited to %d settings", f->settings,
                       CONFIG_GUARD_MAX_GROUP_SETTINGS);
}

static config_guard_status open_frame(scan *sc, char kind, size_t file, int line)
{
    if (sc->depth == CONFIG_GUARD_MAX_NESTING)
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[file], line,
                           "nested %d deep; groups, lists and arrays nest at most %d deep",
                           CONFIG_GUARD_MAX_NESTING + 1, CONFIG_GUARD_MAX_NESTING);
    sc->stack[++sc->depth] = (frame){ kind, kind != '{', 0, file, line };
    return CONFIG_GUARD_OK;
}

static config_guard_status close_frame(scan *sc)
{
    /* A stray closer is libconfig's syntax error to report. */
    if (sc->depth == 0) return CONFIG_GUARD_OK;
    return check_group_size(sc, &sc->stack[sc->depth--]);
}

/* Refuses `@include "name"` of file `from`, line `line`, when the name is
   not a fragment beside the file, or the fragments would nest too deep or
   be too many; else counts it. */
static config_guard_status include_allowed(scan *sc, size_t from, int line, const char *name)
{
    /* ARCHITECTURE.md: @include is for fragments beside the file; a file
       elsewhere is composed with `base`, whose path the loader checks. */
    if (strchr(name, '/') || strcmp(name, "..") == 0 || strcmp(name, ".") == 0 || !name[0]) {
        char *q = config_guard_quote(name);
        config_guard_status s =
            q ? problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[from], line,
                            "@include: %s is not a file beside this one; @include names a "
                            "fragment in the same folder (use base for a file elsewhere)",
                            q)
              : CONFIG_GUARD_NO_MEMORY;
        free(q);
        return s;
    }
    if (sc->include_depth >= LIBCONFIG_INCLUDE_DEPTH)
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[from], line,
                           "@include: fragments nested more than %d deep (libconfig's limit)",
                           LIBCONFIG_INCLUDE_DEPTH);
    if (sc->budget->includes >= CONFIG_GUARD_MAX_INCLUDES)
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[from], line,
                           "@include: more than %d fragments included; a scenario with its "
                           "bases includes at most %d",
                           CONFIG_GUARD_MAX_INCLUDES, CONFIG_GUARD_MAX_INCLUDES);
    sc->budget->includes++;
    return CONFIG_GUARD_OK;
}

/* The fragment's path: name in the include directory (malloc'd), or NULL
   when out of memory. */
static char *include_path(const scan *sc, const char *name)
{
    size_t dir_len = sc->include_dir ? strlen(sc->include_dir) + 1 : 0;
    char *path = malloc(dir_len + strlen(name) + 1);
    if (!path) return NULL;
    if (sc->include_dir)
        sprintf(path, "%s/%s", sc->include_dir, name);
    else
        strcpy(path, name);
    return path;
}

/* Reads the fragment at path into *t, within the budget; a fragment that
   cannot be read is refused at the @include's line. */
static config_guard_status read_fragment(scan *sc, size_t from, int line, const char *path,
                                         config_guard_text *t)
{
    config_guard_problem sub = { NULL, -1, NULL };
    config_guard_status status = read_whole(path, sc->budget, t, &sub);
    if (status == CONFIG_GUARD_UNREADABLE) {
        char *q = config_guard_quote(path);
        status = q ? problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[from], line,
                                 "@include: cannot read %s: %s", q, sub.why)
                   : CONFIG_GUARD_NO_MEMORY;
        free(q);
        config_guard_problem_free(&sub);
    } else if (status != CONFIG_GUARD_OK) {
        *sc->problem = sub;
    }
    return status;
}

/* Refuses the fragment t (at path) when it is one of the files being
   scanned: the cycle is named file by file. */
static config_guard_status include_cycle(scan *sc, size_t from, int line, const char *path,
                                         const config_guard_text *t)
{
    for (int k = 0; k <= sc->include_depth; k++) {
        if (sc->chain[k].dev != t->dev || sc->chain[k].ino != t->ino) continue;
        /* libconfig would say "duplicate setting name" or "include file
           nesting too deep", naming neither the loop nor its files. */
        size_t need = strlen(path) + 1;
        for (int m = k; m <= sc->include_depth; m++)
            need += strlen(sc->files[sc->chain[m].file]) + 4;
        char *cycle = malloc(need);
        if (cycle) {
            cycle[0] = '\0';
            for (int m = k; m <= sc->include_depth; m++) {
                strcat(cycle, sc->files[sc->chain[m].file]);
                strcat(cycle, " -> ");
            }
            strcat(cycle, path);
        }
        config_guard_status st =
            cycle ? problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[from], line,
                                "@include: cycle of fragments: %s", cycle)
                  : CONFIG_GUARD_NO_MEMORY;
        free(cycle);
        return st;
    }
    return CONFIG_GUARD_OK;
}

/* Scans fragment t, read from path (which sc->files takes over), in place
   of its @include: its lines and integers checked as the file's are. */
static config_guard_status scan_fragment(scan *sc, char *path, config_guard_text *t)
{
    size_t file = sc->n_files++;
    sc->files[file] = path;
    sc->budget->bytes += t->len;
    config_guard_status status = check_lines(path, t->text, t->len, sc->problem);
    /* libconfig reads a fragment from its file, not from this text, so a
       literal that would need an L cannot get one: it is refused instead. */
    if (status == CONFIG_GUARD_OK)
        status = config_guard_widen_integers(path, 0, &t->text, &t->len, sc->problem);
    if (status == CONFIG_GUARD_OK) {
        sc->include_depth++;
        sc->chain[sc->include_depth].dev = t->dev;
        sc->chain[sc->include_depth].ino = t->ino;
        sc->chain[sc->include_depth].file = file;
        status = scan_text(sc, file, t->text, t->len);
        sc->include_depth--;
    }
    return status;
}

/* Follows `@include "name"` of file `from`, line `line`: the fragment must
   be a regular file within the limits, and is scanned in place. */
static config_guard_status scan_include(scan *sc, size_t from, int line, const char *name)
{
    config_guard_status status = include_allowed(sc, from, line, name);
    if (status != CONFIG_GUARD_OK) return status;
    char *path = include_path(sc, name);
    if (!path) return CONFIG_GUARD_NO_MEMORY;
    config_guard_text t;
    status = read_fragment(sc, from, line, path, &t);
    if (status != CONFIG_GUARD_OK) {
        free(path);
        return status;
    }
    status = include_cycle(sc, from, line, path, &t);
    if (status != CONFIG_GUARD_OK) {
        free(t.text);
        free(path);
        return status;
    }
    status = scan_fragment(sc, path, &t);
    free(t.text);
    return status;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Ends a word (a name, number, boolean or stray character). */
static int ends_word(const char *text, size_t i, size_t len)
{
    if (i >= len) return 1;
    char c = text[i];
    if (c == '/') return i + 1 < len && (text[i + 1] == '/' || text[i + 1] == '*');
    return is_space(c) || c == '\n' || strchr("{}()[]=:,;\"#", c) != NULL;
}

/* Reads `@include "name"` if the line starting at text[i] is one (libconfig
   1.5: ^[ \t]*@include[ \t]+" and the name up to the closing quote, with \\
   and \" escapes). 1 and the name (malloc'd) and the offset after it;
   0 if the line is not an include; -1 (problem set) if it cannot be. */
static int read_include(scan *sc, size_t file, const char *text, size_t len, size_t i, int *line,
                        char **name, size_t *after)
{
    size_t j = i;
    while (j < len && (text[j] == ' ' || text[j] == '\t')) j++;
    if (len - j < 8 || memcmp(text + j, "@include", 8) != 0) return 0;
    size_t k = j + 8;
    while (k < len && (text[k] == ' ' || text[k] == '\t')) k++;
    if (k == j + 8 || k >= len || text[k] != '"') return 0;
    size_t end = k + 1;
    while (end < len && text[end] != '"') end += text[end] == '\\' && end + 1 < len ? 2 : 1;
    if (end >= len) {
        /* Unterminated: libconfig stops there; so does the scan. */
        *after = len;
        *name = NULL;
        return 1;
    }
    char *n = malloc(end - k);
    if (!n) return -2;
    size_t o = 0;
    int start_line = *line;
    for (size_t m = k + 1; m < end; m++) {
        if (text[m] == '\\') {
            if (text[m + 1] != '\\' && text[m + 1] != '"') {
                free(n);
                /* libconfig 1.5 drops a lone backslash (and prints it). */
                config_guard_status s =
                    problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[file], start_line,
                                "@include: a backslash in a file name must be written \\\\");
                return s == CONFIG_GUARD_NO_MEMORY ? -2 : -1;
            }
            m++;
        } else if (text[m] == '\n') {
            (*line)++;
        }
        n[o++] = text[m];
    }
    n[o] = '\0';
    *name = n;
    *after = end + 1;
    return 1;
}

/* Where scan_text is in one file's text. */
typedef struct cursor {
    size_t file; /* index into scan.files */
    const char *text;
    size_t len, i; /* the text, and the offset of the next character */
    int line;
} cursor;

/* At the start of a line: follows the @include directive there, if it is
   one (*consumed 1: the cursor is past it). */
static config_guard_status scan_line_start(scan *sc, cursor *cu, int *consumed)
{
    char *name;
    size_t after;
    int directive_line = cu->line;
    *consumed = 0;
    int r = read_include(sc, cu->file, cu->text, cu->len, cu->i, &cu->line, &name, &after);
    if (r == -2) return CONFIG_GUARD_NO_MEMORY;
    if (r == -1) return CONFIG_GUARD_REFUSED;
    if (r == 0) return CONFIG_GUARD_OK;
    config_guard_status status = CONFIG_GUARD_OK;
    if (name) status = scan_include(sc, cu->file, directive_line, name);
    free(name);
    cu->i = after;
    *consumed = 1;
    return status;
}

/* Skips a block comment starting at the cursor ("/" "*"). */
static config_guard_status skip_block_comment(scan *sc, cursor *cu)
{
    /* libconfig 1.5 says nothing of a comment left open: it drops the
       rest of the text, and of the file that included this one. */
    const char *text = cu->text;
    int start_line = cu->line;
    cu->i += 2;
    while (cu->i < cu->len &&
           !(text[cu->i] == '*' && cu->i + 1 < cu->len && text[cu->i + 1] == '/'))
        cu->line += text[cu->i++] == '\n';
    if (cu->i >= cu->len)
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[cu->file], start_line,
                           "syntax error: unterminated comment");
    cu->i += 2;
    return CONFIG_GUARD_OK;
}

/* A string starting at the cursor: a new value, or a piece joining the
   string before it; its bytes counted towards the joined string's. */
static config_guard_status scan_string(scan *sc, cursor *cu)
{
    const char *text = cu->text;
    if (!sc->in_string) {
        value_starts(sc);
        sc->in_string = 1;
        sc->string_bytes = 0;
        sc->string_pieces = 0;
        sc->string_file = cu->file;
        sc->string_line = cu->line;
    }
    sc->string_pieces++;
    int start_line = cu->line;
    size_t start = ++cu->i;
    while (cu->i < cu->len && text[cu->i] != '"') {
        if (text[cu->i] == '\\' && cu->i + 1 < cu->len)
            cu->line += text[++cu->i] == '\n';
        else
            cu->line += text[cu->i] == '\n';
        cu->i++;
    }
    /* libconfig would say "syntax error" at the end of the file. */
    if (cu->i >= cu->len)
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[cu->file], start_line,
                           "syntax error: unterminated string");
    sc->string_bytes += cu->i - start;
    cu->i++;
    return CONFIG_GUARD_OK;
}

/* Anything else at the cursor: brackets open and close frames, '=' or ':'
   counts a setting, ',' expects the next element, a word is a value. */
static config_guard_status scan_punctuation(scan *sc, cursor *cu)
{
    char c = cu->text[cu->i];
    frame *f = &sc->stack[sc->depth];
    config_guard_status status = CONFIG_GUARD_OK;
    switch (c) {
    case '{':
    case '(':
    case '[':
        value_starts(sc);
        status = open_frame(sc, c, cu->file, cu->line);
        cu->i++;
        break;
    case '}':
    case ')':
    case ']':
        status = close_frame(sc);
        cu->i++;
        break;
    case '=':
    case ':':
        if (f->kind == '{') {
            f->settings++;
            sc->values++;
        }
        cu->i++;
        break;
    case ',':
        if (f->kind != '{') f->expect_element = 1;
        cu->i++;
        break;
    case ';': cu->i++; break;
    default:
        value_starts(sc);
        do cu->i++;
        while (!ends_word(cu->text, cu->i, cu->len));
    }
    return status;
}

/* One token at the cursor (not a newline): blanks and comments are
   skipped, strings and the rest counted. */
static config_guard_status scan_token(scan *sc, cursor *cu)
{
    const char *text = cu->text;
    char c = text[cu->i];
    int next_is = cu->i + 1 < cu->len ? text[cu->i + 1] : 0;
    if (is_space(c)) {
        cu->i++;
        return CONFIG_GUARD_OK;
    }
    if (c == '#' || (c == '/' && next_is == '/')) {
        const char *nl = memchr(text + cu->i, '\n', cu->len - cu->i);
        cu->i = nl ? (size_t)(nl - text) : cu->len;
        return CONFIG_GUARD_OK;
    }
    if (c == '/' && next_is == '*') return skip_block_comment(sc, cu);
    if (c == '"') return scan_string(sc, cu);
    config_guard_status status = end_string(sc);
    if (status != CONFIG_GUARD_OK) return status;
    return scan_punctuation(sc, cu);
}

/* Scans one file's text (file: its index in sc->files) for the limits,
   following its @includes in place. Stops at the first problem. */
static config_guard_status scan_text(scan *sc, size_t file, const char *text, size_t len)
{
    cursor cu = { file, text, len, 0, 1 };
    config_guard_status status = CONFIG_GUARD_OK;
    int bol = 1;
    while (cu.i < len && status == CONFIG_GUARD_OK) {
        if (text[cu.i] == '\n') {
            cu.line++;
            bol = 1;
            cu.i++;
            continue;
        }
        if (bol) {
            bol = 0;
            int consumed;
            status = scan_line_start(sc, &cu, &consumed);
            if (consumed || status != CONFIG_GUARD_OK) continue;
        }
        status = scan_token(sc, &cu);
    }
    return status;
}

/* What can only be judged at the end: the last string, groups, lists and
   arrays never closed, the top level, and the number of values. */
static config_guard_status scan_finish(scan *sc)
{
    config_guard_status status = end_string(sc);
    /* libconfig would say "syntax error" at a line past the end. */
    if (status == CONFIG_GUARD_OK && sc->depth > 0) {
        const frame *f = &sc->stack[sc->depth];
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[f->file], f->line,
                           "syntax error: the %s opened here with '%c' is never closed",
                           f->kind == '{'   ? "group"
                           : f->kind == '(' ? "list"
                                            : "array",
                           f->kind);
    }
    for (; status == CONFIG_GUARD_OK && sc->depth > 0; sc->depth--)
        status = check_group_size(sc, &sc->stack[sc->depth]);
    if (status == CONFIG_GUARD_OK) status = check_group_size(sc, &sc->stack[0]);
    if (status != CONFIG_GUARD_OK) return status;
    size_t before = sc->budget->values;
    sc->budget->values += sc->values;
    if (sc->budget->values <= CONFIG_GUARD_MAX_VALUES) return CONFIG_GUARD_OK;
    if (before == 0)
        return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[0], -1,
                           "%zu values (settings and elements of lists and arrays); a scenario "
                           "is limited to %d values",
                           sc->values, CONFIG_GUARD_MAX_VALUES);
    return problem_set(sc->problem, CONFIG_GUARD_REFUSED, sc->files[0], -1,
                       "%zu values (settings and elements of lists and arrays), %zu with the "
                       "files of this scenario read before it; a scenario with its bases is "
                       "limited to %d values",
                       sc->values, sc->budget->values, CONFIG_GUARD_MAX_VALUES);
}

/* --- integer literals ------------------------------------------------------ */

/* libconfig 1.5 reads an integer literal without an L suffix into a 32-bit
 * int and says nothing when it does not fit: `years = 4294967297;` becomes
 * 1, inside the key's range, and the scenario runs with a value nobody
 * wrote. So every decimal literal outside the 32-bit range gets an L (libconfig
 * then reads the 64-bit value it is, which the tables' ranges judge), and a
 * literal that does not fit 64 bits, or a hexadecimal one above 32 bits
 * without L (libconfig keeps only its low 32 bits), is refused. */

/* The value of a decimal integer literal (optional sign, then digits):
 * 0 fits 32 bits, 1 fits 64 bits only, 2 fits neither. */
static int decimal_width(const char *w, size_t n)
{
    int negative = w[0] == '-';
    size_t i = (w[0] == '-' || w[0] == '+') ? 1 : 0;
    unsigned long long v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)(w[i] - '0');
        if (v > (ULLONG_MAX - d) / 10) return 2;
        v = v * 10 + d;
    }
    /* An L literal is 64-bit already: only its 64-bit range matters. */
    unsigned long long max32 = negative ? 2147483648ULL : 2147483647ULL;
    unsigned long long max64 = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
    return v <= max32 ? 0 : v <= max64 ? 1 : 2;
}

/* The same for the digits of a hexadecimal literal, which libconfig takes
 * as a bit pattern: up to 8 digits fit its 32-bit int (0xFFFFFFFF is -1),
 * more are cut to their low 32 bits unless the literal has an L. */
static int hex_width(const char *digits, size_t n, int has_l)
{
    while (n > 1 && digits[0] == '0') {
        digits++;
        n--;
    }
    if (n > 16) return 2;
    if (n > 8) return has_l ? 0 : 3;
    return 0;
}

/* 1 if w (n bytes) is an integer literal as libconfig 1.5 scans one:
 * [-+]?[0-9]+ or 0[Xx][0-9A-Fa-f]+, with an L suffix when *has_l. */
static int integer_literal(const char *w, size_t n, int *hex, int *has_l)
{
    *has_l = n > 0 && w[n - 1] == 'L';
    if (*has_l) n--;
    *hex = n > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X');
    size_t i = *hex ? 2 : (n > 0 && (w[0] == '-' || w[0] == '+')) ? 1 : 0;
    if (i == n) return 0;
    for (; i < n; i++) {
        char c = w[i];
        int ok =
            (c >= '0' && c <= '9') || (*hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
        if (!ok) return 0;
    }
    return 1;
}

/* How an integer literal fits: 0 as written; 1 needs an L; 2 too large for
   64 bits; 3 a hexadecimal literal libconfig would cut to 32 bits. -1 when
   w (n bytes) is not an integer literal. */
static int literal_width(const char *w, size_t n)
{
    int hex, has_l;
    if (!integer_literal(w, n, &hex, &has_l)) return -1;
    size_t digits = n - (size_t)has_l;
    int width = hex ? hex_width(w + 2, digits - 2, has_l) : decimal_width(w, digits);
    return has_l && width == 1 ? 0 : width;
}

/* One pass of config_guard_widen_integers over a text. */
typedef struct widening {
    const char *file;
    int allow_rewrite;
    config_guard_problem *problem;
    size_t *inserts, n_inserts, cap_inserts; /* offsets to put an L at */
    const char *name;                        /* the setting being read (the word before = or :) */
    size_t name_len;
    int line;
} widening;

/* The word w (n bytes), ending at offset end, as a value: a literal that
   does not fit is refused, or given an L at end when rewriting. */
static config_guard_status widen_word(widening *wd, const char *w, size_t n, size_t end)
{
    int width = literal_width(w, n);
    if (width >= 2 || (width == 1 && !wd->allow_rewrite)) {
        int key_len = wd->name ? (int)wd->name_len : 5;
        return problem_set(wd->problem, CONFIG_GUARD_REFUSED, wd->file, wd->line, "%.*s: %.*s %s",
                           key_len, wd->name ? wd->name : "value", (int)n, w,
                           width == 2 ? "is too large for an integer (from -9223372036854775808 "
                                        "to 9223372036854775807)"
                                      : "does not fit 32 bits, and libconfig would keep only "
                                        "part of it (write it with an L suffix for a 64-bit "
                                        "integer)");
    }
    if (width != 1) /* an L literal is 0 (literal_width) */
        return CONFIG_GUARD_OK;
    if (wd->n_inserts == wd->cap_inserts) {
        size_t cap = wd->cap_inserts ? 2 * wd->cap_inserts : 16;
        size_t *grown = realloc(wd->inserts, cap * sizeof *grown);
        if (!grown) return CONFIG_GUARD_NO_MEMORY;
        wd->inserts = grown;
        wd->cap_inserts = cap;
    }
    wd->inserts[wd->n_inserts++] = end;
    return CONFIG_GUARD_OK;
}

/* Past a comment or string starting at t[i] (counting its lines), or i
   itself when none starts there. */
static size_t skip_comment_or_string(const char *t, size_t n, size_t i, int *line)
{
    char c = t[i];
    if (c == '#' || (c == '/' && i + 1 < n && t[i + 1] == '/')) {
        while (i < n && t[i] != '\n') i++;
    } else if (c == '/' && i + 1 < n && t[i + 1] == '*') {
        for (i += 2; i < n && !(t[i] == '*' && i + 1 < n && t[i + 1] == '/'); i++)
            *line += t[i] == '\n';
        i += 2;
    } else if (c == '"') {
        for (i++; i < n && t[i] != '"'; i++) {
            if (t[i] == '\\' && i + 1 < n) i++;
            *line += t[i] == '\n';
        }
        i++;
    }
    return i;
}

/* *text (len bytes) with an L at each of the n offsets (ascending): a new
   malloc'd text replaces it. */
static config_guard_status insert_ls(char **text, size_t *len, const size_t *at, size_t n)
{
    const char *t = *text;
    char *wide = malloc(*len + n + 1);
    if (!wide) return CONFIG_GUARD_NO_MEMORY;
    size_t from = 0, o = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(wide + o, t + from, at[k] - from);
        o += at[k] - from;
        wide[o++] = 'L';
        from = at[k];
    }
    memcpy(wide + o, t + from, *len - from);
    o += *len - from;
    wide[o] = '\0';
    free(*text);
    *text = wide;
    *len = o;
    return CONFIG_GUARD_OK;
}

config_guard_status config_guard_widen_integers(const char *file, int allow_rewrite, char **text,
                                                size_t *len, config_guard_problem *problem)
{
    const char *t = *text;
    size_t n = *len;
    widening wd = { .file = file, .allow_rewrite = allow_rewrite, .problem = problem, .line = 1 };
    const char *word = NULL;
    size_t word_len = 0;
    config_guard_status status = CONFIG_GUARD_OK;
    size_t i = 0;
    while (i < n && status == CONFIG_GUARD_OK) {
        char c = t[i];
        size_t past = skip_comment_or_string(t, n, i, &wd.line);
        if (past != i) {
            i = past;
        } else if (c == '\n') {
            wd.line++;
            i++;
        } else if (c == '=' || c == ':') {
            wd.name = word;
            wd.name_len = word_len;
            i++;
        } else if (is_space(c) || strchr("{}()[],;", c)) {
            i++;
        } else {
            size_t start = i;
            do i++;
            while (!ends_word(t, i, n));
            word = t + start;
            word_len = i - start;
            status = widen_word(&wd, word, word_len, i);
        }
    }
    if (status == CONFIG_GUARD_OK && wd.n_inserts)
        status = insert_ls(text, len, wd.inserts, wd.n_inserts);
    free(wd.inserts);
    return status;
}

config_guard_status config_guard_load(const char *path, const char *include_dir,
                                      config_guard_budget *budget, config_guard_text *out,
                                      config_guard_problem *problem)
{
    memset(out, 0, sizeof *out);
    *problem = (config_guard_problem){ NULL, -1, NULL };
    config_guard_text t;
    config_guard_status status = read_whole(path, budget, &t, problem);
    if (status != CONFIG_GUARD_OK) return status;
    budget->bytes += t.len;
    status = check_lines(path, t.text, t.len, problem);
    if (status == CONFIG_GUARD_OK) {
        scan sc = { .include_dir = include_dir, .budget = budget, .problem = problem };
        sc.files[0] = path;
        sc.n_files = 1;
        sc.chain[0].dev = t.dev;
        sc.chain[0].ino = t.ino;
        sc.chain[0].file = 0;
        sc.stack[0] = (frame){ '{', 0, 0, 0, 1 };
        status = scan_text(&sc, 0, t.text, t.len);
        if (status == CONFIG_GUARD_OK) status = scan_finish(&sc);
        if (status == CONFIG_GUARD_OK)
            status = config_guard_widen_integers(path, 1, &t.text, &t.len, problem);
        for (size_t i = 1; i < sc.n_files; i++) free((char *)sc.files[i]);
    }
    if (status != CONFIG_GUARD_OK) {
        free(t.text);
        return status;
    }
    *out = t;
    return CONFIG_GUARD_OK;
}
