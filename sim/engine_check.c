/* engine_check.c — what the engine itself supports, checked before any run
 * starts: a scenario name that is safe as a directory name, a run whose
 * dates can be written, a place whose sizes the engine's integer types
 * and indices hold, calibration keys that exist, and a pool's agreement
 * that covers what the pool funds. Each refusal states
 * the supported range. */
#include <stdio.h>
#include <string.h>

#include "budget.h"
#include "dates.h"
#include "engine.h"

/* The name becomes `runs/<name>` and `DIR/<name>/`: one path component,
 * short enough for any file system, and portable across systems. */
enum { NAME_MAX_CHARS = 100 };

/* Outputs write dates as YYYY-MM-DD, so the simulated span, warm-up
 * included, must lie in years 1 to 9999. */
#define FIRST_SUPPORTED_DATE "0001-01-01"
#define LAST_SUPPORTED_DATE  "9999-12-31"

/* Sums over all areas. Dwellings are indexed by 32-bit ids, and per-area
 * counts are bounded at 10^8 by the table; a whole place of 10^8 residents
 * (England has 57 million) keeps every sum and rate far from overflow. */
#define MAX_PLACE_PEOPLE 100000000LL
#define MAX_PLACE_AREAS  1000000

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

const char *engine_name_problem(const char *name)
{
    size_t len = strlen(name);
    if (len == 0) return "it is empty";
    if (len > NAME_MAX_CHARS) return "it is longer than 100 characters";
    if (strchr(name, '/')) return "it contains '/'";
    if (name[0] == '.') return "it starts with '.'";
    for (const char *p = name; *p; p++) {
        if (!name_char_ok(*p))
            return "it contains a character other than a letter, digit, "
                   "'.', '_' or '-'";
    }
    return NULL;
}

/* The name in double quotes, bytes outside printable ASCII as \xNN and the
 * whole cut at a length that keeps the message one readable line. */
static void quote_name(const char *name, char *out, size_t outlen)
{
    size_t o = 0;
    out[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 8 < outlen; p++) {
        if (*p == '"' || *p == '\\') {
            out[o++] = '\\';
            out[o++] = (char)*p;
        } else if (*p < 0x20 || *p >= 0x7f) {
            o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", *p);
        } else {
            out[o++] = (char)*p;
        }
        if (p[1] && o + 8 >= outlen) {
            memcpy(out + o, "...", 3);
            o += 3;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}

static void check_name(const scenario *s, char *err, size_t errlen)
{
    const char *name = scenario_name(s);
    const char *why = engine_name_problem(name);
    if (!why) return;
    char quoted[160];
    quote_name(name, quoted, sizeof quoted);
    const scn_node *set = scenario_find(s, "name");
    if (set && set->type == SCN_STRING && set->string_value[0]) {
        scenario_error_append(
            err, errlen, set->file, set->line,
            "name: %s is not a safe scenario name (%s); a name is one path component of "
            "letters, digits, '.', '_' and '-', not starting with '.', at most 100 "
            "characters",
            quoted, why);
    } else {
        scenario_error_append(
            err, errlen, scenario_path(s), -1,
            "name: the file's name gives the scenario name %s, which is not safe (%s); "
            "set name = \"...\" in the file (letters, digits, '.', '_' and '-')",
            quoted, why);
    }
}

static void check_dates(const scenario *s, char *err, size_t errlen)
{
    run_config cfg = { .scn = s };
    run_config_dates(&cfg);
    int64_t first, last;
    (void)date_parse(FIRST_SUPPORTED_DATE, &first);
    (void)date_parse(LAST_SUPPORTED_DATE, &last);
    const scn_node *start = scenario_find(s, "start");
    if (cfg.warmup_first_date < first || cfg.last_date > last) {
        /* The start date is the key to change; its years and warm-up are
         * bounded by the table already. */
        scenario_error_append(
            err, errlen, start->file, start->line,
            "start: the run from %s (%lld warm-up years before it, %lld written after) "
            "leaves the supported dates " FIRST_SUPPORTED_DATE " to " LAST_SUPPORTED_DATE,
            start->string_value, (long long)scenario_int(s, "warmup_years"),
            (long long)scenario_int(s, "years"));
    }
}

static void check_sizes(const scenario *s, const place *p, char *err, size_t errlen)
{
    const scn_node *areas = scenario_find(s, "areas");
    const char *file = areas ? areas->file : scenario_path(s);
    int line = areas ? areas->line : 1;
    if (p->n_areas > MAX_PLACE_AREAS)
        scenario_error_append(err, errlen, file, line,
                              "areas: %zu areas; a place may have at most %d", p->n_areas,
                              MAX_PLACE_AREAS);
    const struct {
        const char *what;
        int64_t total;
    } sums[] = {
        { "residents", p->population },
        { "dwellings", p->dwellings },
        { "social dwellings", p->social_dwellings },
    };
    for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++) {
        if (sums[i].total > MAX_PLACE_PEOPLE)
            scenario_error_append(
                err, errlen, file, line,
                "areas: %lld %s in all; a place may have at most %lld (100 million)",
                (long long)sums[i].total, sums[i].what, MAX_PLACE_PEOPLE);
    }
}

/* calibration.free names keys that `placesim calibrate` will vary: checked
 * with the rest of the scenario, so that `check` and `run` do not accept
 * what only calibrate would refuse. */
static void check_calibration(const scenario *s, char *err, size_t errlen)
{
    const scn_node *list = scenario_find(s, "calibration.free");
    for (size_t i = 0; list && i < list->n_children; i++) {
        const scn_node *entry = list->children[i];
        const char *key = scn_member_string(entry, "name");
        const scn_node *node = scenario_find(s, key);
        if (!node || node->type != SCN_FLOAT) {
            scenario_error_append(
                err, errlen, entry->file, entry->line, "calibration.free.%s: %s", key,
                !node ? "no such parameter in this scenario"
                      : "not a real-valued parameter (fit whole numbers by a 1-D search)");
        } else if (!(scn_member_float(entry, "min") < scn_member_float(entry, "max"))) {
            scenario_error_append(err, errlen, entry->file, entry->line,
                                  "calibration.free.%s: min must be below max", key);
        }
    }
}

int engine_check_scenario(const scenario *s, const place *p, char *err, size_t errlen)
{
    if (errlen == 0) return -1;
    err[0] = '\0';
    check_name(s, err, errlen);
    check_dates(s, err, errlen);
    check_sizes(s, p, err, errlen);
    check_calibration(s, err, errlen);
    budget_check_scenario(s, err, errlen);
    return err[0] ? -1 : 0;
}
