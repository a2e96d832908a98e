/* sweep_validate.c — a sweep checked against its arms before anything
 * runs: each arm loads; each parameter is a number key of every arm (whole
 * for integer keys) or a unit cost; each output is a metric, area and
 * window the arms write; and every point's values load for every arm
 * through the loader `--set` uses (cli_load_scenario_quiet), so a value is
 * refused exactly as `placesim check --set` would refuse it. Also the
 * sweep's canonical text and its hash, and sweep_load. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sha256.h"
#include "recorder.h"
#include "sweep_internal.h"

enum { LOAD_ERR_BYTES = 16384, MAX_PROBLEMS = 32 };

/* The loaded arms of one check. */
typedef struct arms {
    loaded_scenario *ls;
    size_t n;
} arms;

static void arms_free(arms *a)
{
    for (size_t i = 0; i < a->n; i++) cli_free_scenario(&a->ls[i]);
    free(a->ls);
    a->ls = NULL;
    a->n = 0;
}

/* Appends each line of text to err at `at`, after prefix. */
static void each_line(char *err, size_t errlen, sweep_where at, const char *prefix,
                      const char *text)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        sweep_error(err, errlen, at, "%s%.*s", prefix, (int)len, line);
        line += len + (line[len] == '\n');
    }
}

/* The reason a key cannot be --set in arm a: the loader's own message for
   that override, without its "--set:1: KEY: " prefix. */
static void probe_key(const sweep *s, size_t j, const char *path, char *why, size_t whylen)
{
    char ov[1100];
    snprintf(ov, sizeof ov, "%s=0", s->params[j].key);
    const char *items[1] = { ov };
    loaded_scenario ls;
    if (cli_load_scenario_quiet(path, items, 1, &ls, why, whylen) == 0) {
        cli_free_scenario(&ls);
        snprintf(why, whylen, "not a key of this scenario");
        return;
    }
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "--set:1: %s: ", s->params[j].key);
    const char *hit = strstr(why, prefix);
    if (hit) {
        size_t len = strcspn(hit + strlen(prefix), "\n");
        memmove(why, hit + strlen(prefix), len);
        why[len] = '\0';
    } else {
        why[strcspn(why, "\n")] = '\0';
    }
}

static int is_whole(double v) { return v == floor(v); }

/* Sets each parameter's `whole` from the arms' resolved values. */
static int check_keys(sweep *s, const sweep_source *src, const arms *a, char *err, size_t errlen)
{
    int status = 0;
    char *why = malloc(LOAD_ERR_BYTES);
    if (!why) return -2;
    for (size_t j = 0; j < s->n_params; j++) {
        sweep_parameter *p = &s->params[j];
        int whole = -1;
        for (size_t k = 0; k < a->n; k++) {
            const loaded_scenario *ls = &a->ls[k];
            int this_whole = 0;
            if (strncmp(p->key, "costs.", 6) == 0) {
                if (!cost_library_find(ls->costs, p->key + 6)) {
                    probe_key(s, j, s->arms[k].scenario_path, why, LOAD_ERR_BYTES);
                    sweep_error(err, errlen, src->param_at[j], "%s: arm %s: %s", p->key,
                                s->arms[k].name, why);
                    status = -1;
                    continue;
                }
            } else {
                const scn_node *n = scenario_find(ls->scn, p->key);
                if (!n) {
                    probe_key(s, j, s->arms[k].scenario_path, why, LOAD_ERR_BYTES);
                    sweep_error(err, errlen, src->param_at[j], "%s: arm %s: %s", p->key,
                                s->arms[k].name, why);
                    status = -1;
                    continue;
                }
                if (n->type != SCN_INT && n->type != SCN_FLOAT) {
                    sweep_error(err, errlen, src->param_at[j],
                                "%s: arm %s: not a number "
                                "(a sweep varies numbers; %s is set at %s:%d)",
                                p->key, s->arms[k].name, p->key, n->file, n->line);
                    status = -1;
                    continue;
                }
                this_whole = n->type == SCN_INT;
            }
            if (whole >= 0 && whole != this_whole) {
                sweep_error(err, errlen, src->param_at[j],
                            "%s: a whole number in one arm and not "
                            "in another",
                            p->key);
                status = -1;
            }
            whole = this_whole;
        }
        p->whole = whole > 0;
        if (!p->whole) continue;
        for (size_t i = 0; i < p->n_values; i++) {
            if (!is_whole(p->values[i])) {
                sweep_error(err, errlen, src->param_at[j],
                            "%s: values: %g is not a whole number "
                            "(the key is an integer)",
                            p->key, p->values[i]);
                status = -1;
                break;
            }
        }
        for (size_t i = 0; s->design == SWEEP_LIST && i < s->n_points; i++) {
            double v = s->points[i * s->n_params + j];
            if (!is_whole(v)) {
                sweep_error(err, errlen, src->point_at[i],
                            "design.points[%zu]: %s: %g is not a "
                            "whole number (the key is an integer)",
                            i + 1, p->key, v);
                status = -1;
            }
        }
        if ((s->design == SWEEP_LHS || s->design == SWEEP_SALTELLI) &&
            ceil(p->min) > floor(p->max)) {
            sweep_error(err, errlen, src->param_at[j],
                        "%s: invalid range: no whole number in "
                        "[%g, %g] (the key is an integer)",
                        p->key, p->min, p->max);
            status = -1;
        }
    }
    free(why);
    return status;
}

/* Whether financial year "YYYY/YY" is written whole by cfg. */
static int year_written(const run_config *cfg, const char *year)
{
    int fy = atoi(year);
    return date_financial_year_start(fy) >= cfg->start_date &&
           date_financial_year_start(fy + 1) - 1 <= cfg->last_date;
}

static int any_year_written(const run_config *cfg)
{
    int first = date_financial_year(cfg->start_date);
    return date_financial_year_start(first) >= cfg->start_date
               ? date_financial_year_start(first + 1) - 1 <= cfg->last_date
               : date_financial_year_start(first + 2) - 1 <= cfg->last_date;
}

static int check_outputs(const sweep *s, const sweep_source *src, const arms *a, char *err,
                         size_t errlen)
{
    int status = 0;
    for (size_t k = 0; k < a->n; k++) {
        const loaded_scenario *ls = &a->ls[k];
        run_config cfg = { .scn = ls->scn,
                           .place = &ls->place,
                           .models = ls->models,
                           .n_models = ls->n_models,
                           .costs = ls->costs,
                           .period = PERIOD_MONTH };
        run_config_dates(&cfg);
        char why[512] = "";
        recorder *rec = engine_declared_metrics(&cfg, why, sizeof why);
        if (!rec) {
            sweep_error(err, errlen, src->arm_at[k], "arms.%s: %s", s->arms[k].name, why);
            return -1;
        }
        for (size_t i = 0; i < s->n_outputs; i++) {
            const sweep_output *o = &s->outputs[i];
            sweep_where at = src->output_at[i];
            const char *arm = s->arms[k].name;
            int id = recorder_find(rec, o->metric);
            size_t n_registry;
            const model_def *const *registry = model_registry(&n_registry);
            const model_def *owner =
                id < 0 ? engine_model_of_metric(registry, n_registry, o->metric) : NULL;
            if (owner) {
                sweep_error(err, errlen, at,
                            "outputs[%zu].metric: %s is a metric of %s, which "
                            "arm %s does not run (its models key)",
                            i + 1, o->metric, owner->name, arm);
                status = -1;
                continue;
            }
            if (id < 0) {
                sweep_error(err, errlen, at,
                            "outputs[%zu].metric: \"%s\" is not a metric of arm "
                            "%s (placesim describe lists them)",
                            i + 1, o->metric, arm);
                status = -1;
                continue;
            }
            const metric_spec *m = recorder_metric(rec, id);
            const char *need = NULL;
            if (o->summary == SWEEP_TOTAL && m->kind != METRIC_COUNT && m->kind != METRIC_MONEY)
                need = "total sums a count or money metric";
            else if (o->summary == SWEEP_VALUE_AT && m->kind != METRIC_LEVEL_END &&
                     m->kind != METRIC_LEVEL_MEAN)
                need = "value_at takes a level metric";
            else if (o->summary == SWEEP_MEDIAN && m->kind != METRIC_EVENT_MEAN &&
                     m->kind != METRIC_EVENT_MEDIAN)
                need = "median takes an event metric";
            if (need) {
                sweep_error(err, errlen, at, "outputs[%zu].summary: %s; %s is not one", i + 1, need,
                            o->metric);
                status = -1;
            }
            if (m->quarterly) {
                sweep_error(err, errlen, at,
                            "outputs[%zu].metric: %s is a quarterly cohort "
                            "metric, not summarised by sweeps",
                            i + 1, o->metric);
                status = -1;
            }
            if (strcmp(o->area, "ALL") != 0) {
                if (m->all_only) {
                    sweep_error(err, errlen, at, "outputs[%zu].area: %s has only an ALL row", i + 1,
                                o->metric);
                    status = -1;
                } else if (place_area_index(&ls->place, o->area) < 0) {
                    sweep_error(err, errlen, at,
                                "outputs[%zu].area: \"%s\" is not an area of arm "
                                "%s",
                                i + 1, o->area, arm);
                    status = -1;
                }
            }
            const char *years[2] = { o->from_year, o->to_year };
            for (int y = 0; y < 2; y++) {
                if (years[y][0] && !year_written(&cfg, years[y])) {
                    sweep_error(err, errlen, at,
                                "outputs[%zu].%s: %s is not a financial year "
                                "that arm %s writes whole",
                                i + 1, y ? "to" : "from", years[y], arm);
                    status = -1;
                }
            }
            if (o->summary == SWEEP_VALUE_AT) {
                if (o->date < cfg.start_date || o->date > cfg.last_date) {
                    char d[11], f[11], l[11];
                    date_format(o->date, d);
                    date_format(cfg.start_date, f);
                    date_format(cfg.last_date, l);
                    sweep_error(err, errlen, at,
                                "outputs[%zu].date: %s is not a day arm %s writes "
                                "(%s to %s)",
                                i + 1, d, arm, f, l);
                    status = -1;
                }
            } else if (!o->from_year[0] && !o->to_year[0] && !any_year_written(&cfg)) {
                sweep_error(err, errlen, at,
                            "outputs[%zu]: arm %s writes no whole financial "
                            "year to summarise",
                            i + 1, arm);
                status = -1;
            }
        }
        recorder_destroy(rec);
    }
    return status;
}

/* sha256 of the arm's resolved scenario and cost library: the sweep's text
   names what each arm is, not only where it was. */
static int arm_hash(const loaded_scenario *ls, char hex[65])
{
    char *scn = scenario_canonical_text(ls->scn);
    char *lib = cost_library_canonical_text(ls->costs);
    size_t ls_len = scn ? strlen(scn) : 0, ll = lib ? strlen(lib) : 0;
    char *both = scn && lib ? malloc(ls_len + ll + 2) : NULL;
    if (both) {
        memcpy(both, scn, ls_len);
        both[ls_len] = '\n';
        memcpy(both + ls_len + 1, lib, ll + 1);
        sha256_hex(both, ls_len + 1 + ll, hex);
    }
    free(scn);
    free(lib);
    free(both);
    return both ? 0 : -1;
}

int sweep_check_arms(sweep *s, sweep_source *src, char *err, size_t errlen)
{
    arms a = { calloc(s->n_arms, sizeof *a.ls), 0 };
    char *why = malloc(LOAD_ERR_BYTES);
    src->arm_sha256 = calloc(s->n_arms, sizeof *src->arm_sha256);
    if (!a.ls || !why || !src->arm_sha256) {
        free(a.ls);
        free(why);
        snprintf(err, errlen, "%s: out of memory", s->path);
        return -1;
    }
    int status = 0;
    for (size_t k = 0; k < s->n_arms; k++) {
        if (cli_load_scenario_quiet(s->arms[k].scenario_path, NULL, 0, &a.ls[a.n], why,
                                    LOAD_ERR_BYTES) != 0) {
            char prefix[400];
            snprintf(prefix, sizeof prefix, "arms.%s.scenario: ", s->arms[k].name);
            each_line(err, errlen, src->arm_at[k], prefix, why);
            status = -1;
            /* Keep the arms in step with their indices: stop at the first
               that fails (its lines are reported). */
            break;
        }
        if (arm_hash(&a.ls[a.n], src->arm_sha256[k]) != 0) status = -2;
        a.n++;
    }
    free(why);
    if (status == 0) status = check_keys(s, src, &a, err, errlen);
    if (status == 0) status = check_outputs(s, src, &a, err, errlen);
    arms_free(&a);
    if (status == -2) snprintf(err, errlen, "%s: out of memory", s->path);
    return status ? -1 : 0;
}

/* --- every point ----------------------------------------------------------- */

/* One problem found at some (point, arm): the first is reported with how
   many more (point, arm) pairs failed the same way. */
typedef struct found {
    long param; /* the parameter whose --set failed; -1: another line */
    size_t point, arm;
    char *msg;
    size_t more;
} found;

typedef struct findings {
    found items[MAX_PROBLEMS];
    size_t n;
    size_t dropped; /* distinct problems beyond MAX_PROBLEMS */
    int oom;
} findings;

static void note(findings *f, long param, size_t point, size_t arm, const char *msg, size_t len)
{
    for (size_t i = 0; i < f->n; i++) {
        if (f->items[i].param == param && strlen(f->items[i].msg) == len &&
            strncmp(f->items[i].msg, msg, len) == 0) {
            f->items[i].more++;
            return;
        }
    }
    if (f->n == MAX_PROBLEMS) {
        f->dropped++;
        return;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        f->oom = 1;
        return;
    }
    memcpy(copy, msg, len);
    copy[len] = '\0';
    f->items[f->n++] = (found){ param, point, arm, copy, 0 };
}

/* Sorts one failed load's lines into findings: a line of the N-th --set
   is that parameter's, its key prefix dropped. */
static void classify(const sweep *s, findings *f, size_t point, size_t arm, const char *text)
{
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        long param = -1;
        const char *msg = line;
        size_t mlen = len;
        int n;
        int used = 0;
        if (sscanf(line, "--set:%d: %n", &n, &used) == 1 && used > 0 && n >= 1 &&
            (size_t)n <= s->n_params) {
            param = n - 1;
            const char *key = s->params[param].key;
            size_t kl = strlen(key);
            msg = line + used;
            if (strncmp(msg, key, kl) == 0 && msg[kl] == ':' && msg[kl + 1] == ' ') msg += kl + 2;
            mlen = len - (size_t)(msg - line);
        }
        note(f, param, point, arm, msg, mlen);
        line += len + (line[len] == '\n');
    }
}

/* "(k1=v1, k2=v2)" of point p into buf. */
static void point_text(const sweep *s, size_t p, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < s->n_params && used + 1 < len; j++) {
        char v[40];
        sweep_value_text(&s->params[j], s->points[p * s->n_params + j], v);
        int w = snprintf(buf + used, len - used, "%s%s=%s", j ? ", " : "", s->params[j].key, v);
        if (w < 0) break;
        used += (size_t)w;
    }
}

static void report(const sweep *s, const sweep_source *src, const findings *f, char *err,
                   size_t errlen)
{
    char *values = malloc(4096);
    if (!values) return;
    for (size_t i = 0; i < f->n; i++) {
        const found *x = &f->items[i];
        point_text(s, x->point, values, 4096);
        char more[96] = "";
        if (x->more)
            snprintf(more, sizeof more, " (and %zu more point-arm pair%s)", x->more,
                     x->more == 1 ? "" : "s");
        if (x->param >= 0)
            sweep_error(err, errlen, src->param_at[x->param], "%s: point %zu (%s), arm %s: %s%s",
                        s->params[x->param].key, x->point, values, s->arms[x->arm].name, x->msg,
                        more);
        else
            sweep_error(err, errlen, src->arm_at[x->arm], "arms.%s.scenario: point %zu (%s): %s%s",
                        s->arms[x->arm].name, x->point, values, x->msg, more);
    }
    if (f->dropped)
        sweep_error(err, errlen, (sweep_where){ s->path, -1 }, "%zu more problems not shown",
                    f->dropped);
    free(values);
}

/* Canonical text of the resolved sweep: what its hash is of. */
static void put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static char *canonical_text(const sweep *s, const sweep_source *src)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out) return NULL;
    fputs("# placesim sweep, resolved\nname = ", out);
    put_quoted(out, s->name);
    fputs(";\narms = (", out);
    for (size_t k = 0; k < s->n_arms; k++) {
        fputs(k ? ",\n  { name = " : "\n  { name = ", out);
        put_quoted(out, s->arms[k].name);
        fputs("; scenario = ", out);
        put_quoted(out, s->arms[k].scenario_path);
        fprintf(out, "; scenario_sha256 = \"%s\"; }", src->arm_sha256[k]);
    }
    fprintf(out,
            "\n);\nreplications = %u;\nseed = \"%llu\";\nseeds = \"%s\";\n"
            "design = { type = \"%s\";",
            s->replications, (unsigned long long)s->master_seed,
            s->seeds_per_point ? "per_point" : "common", sweep_design_name(s->design));
    if (s->design == SWEEP_LHS || s->design == SWEEP_SALTELLI)
        fprintf(out, " samples = %zu;", s->samples);
    fputs(" };\nparameters = (", out);
    for (size_t j = 0; j < s->n_params; j++) {
        const sweep_parameter *p = &s->params[j];
        char v[40];
        fputs(j ? ",\n  { key = " : "\n  { key = ", out);
        put_quoted(out, p->key);
        fprintf(out, "; column = \"%s\"; whole = %s;", p->column, p->whole ? "true" : "false");
        if (p->distribution == SWEEP_VALUES) {
            if (p->n_values) {
                fputs(" values = [", out);
                for (size_t i = 0; i < p->n_values; i++) {
                    sweep_value_text(p, p->values[i], v);
                    fprintf(out, "%s%s", i ? ", " : "", v);
                }
                fputs("];", out);
            }
        } else {
            sweep_parameter f = *p;
            f.whole = 0; /* bounds as given */
            fprintf(out, " distribution = \"%s\";", sweep_distribution_name(p->distribution));
            const char *names[4] = { "min", "max", "mean", "sd" };
            double vals[4] = { p->min, p->max, p->mean, p->sd };
            for (int i = 0; i < 4; i++) {
                if (isnan(vals[i])) continue;
                sweep_value_text(&f, vals[i], v);
                fprintf(out, " %s = %s;", names[i], v);
            }
        }
        fputs(" }", out);
    }
    fputs("\n);\n", out);
    if (s->design == SWEEP_LIST) {
        fputs("points = (", out);
        for (size_t i = 0; i < s->n_points; i++) {
            fputs(i ? ",\n  [" : "\n  [", out);
            for (size_t j = 0; j < s->n_params; j++) {
                char v[40];
                sweep_value_text(&s->params[j], s->points[i * s->n_params + j], v);
                fprintf(out, "%s%s", j ? ", " : "", v);
            }
            fputs("]", out);
        }
        fputs("\n);\n", out);
    }
    fputs("outputs = (", out);
    for (size_t i = 0; i < s->n_outputs; i++) {
        const sweep_output *o = &s->outputs[i];
        fprintf(out, "%s{ name = \"%s\"; metric = ", i ? ",\n  " : "\n  ", o->name);
        put_quoted(out, o->metric);
        fprintf(out, "; summary = \"%s\"; area = ", sweep_summary_name(o->summary));
        put_quoted(out, o->area);
        fputc(';', out);
        if (o->from_year[0]) fprintf(out, " from = \"%s\";", o->from_year);
        if (o->to_year[0]) fprintf(out, " to = \"%s\";", o->to_year);
        if (o->summary == SWEEP_VALUE_AT) {
            char d[11];
            date_format(o->date, d);
            fprintf(out, " date = \"%s\";", d);
        }
        fputs(" }", out);
    }
    fprintf(out, "\n);\nseries = %s;\ncost_benefit = %s;\n", s->keep_series ? "true" : "false",
            s->keep_money ? "true" : "false");
    /* The generated points too, so that a sweep whose design the program
       builds otherwise (another version) is another sweep to --resume and
       merge. */
    char hex[65];
    sha256_hex(s->points, s->n_points * s->n_params * sizeof *s->points, hex);
    fprintf(out, "# %zu points, sha256 of their values (doubles): %s\n", s->n_points, hex);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int sweep_check_points(sweep *s, const sweep_source *src, char *err, size_t errlen)
{
    findings f = { .n = 0 };
    char *why = malloc(LOAD_ERR_BYTES);
    if (!why) {
        snprintf(err, errlen, "%s: out of memory", s->path);
        return -1;
    }
    int oom = 0;
    for (size_t p = 0; p < s->n_points && !oom; p++) {
        char **items;
        size_t n;
        if (sweep_point_overrides(s, p, &items, &n) != 0) {
            oom = 1;
            break;
        }
        for (size_t k = 0; k < s->n_arms; k++) {
            loaded_scenario ls;
            if (cli_load_scenario_quiet(s->arms[k].scenario_path, (const char *const *)items, n,
                                        &ls, why, LOAD_ERR_BYTES) == 0) {
                cli_free_scenario(&ls);
            } else {
                classify(s, &f, p, k, why);
            }
        }
        sweep_overrides_free(items, n);
    }
    free(why);
    int status = 0;
    if (oom || f.oom) {
        snprintf(err, errlen, "%s: out of memory", s->path);
        status = -1;
    } else if (f.n) {
        report(s, src, &f, err, errlen);
        status = -1;
    }
    for (size_t i = 0; i < f.n; i++) free(f.items[i].msg);
    if (status != 0) return -1;
    s->text = canonical_text(s, src);
    if (!s->text) {
        snprintf(err, errlen, "%s: out of memory", s->path);
        return -1;
    }
    sha256_hex(s->text, strlen(s->text), s->sha256);
    return 0;
}

int sweep_load(const char *path, sweep *out, char *err, size_t errlen)
{
    sweep_source src;
    if (sweep_file_read(path, out, &src, err, errlen) != 0) return -1;
    int status = sweep_check_arms(out, &src, err, errlen);
    if (status == 0) status = sweep_design_build(out, err, errlen);
    if (status == 0) status = sweep_check_points(out, &src, err, errlen);
    sweep_source_free(&src);
    if (status != 0) {
        sweep_free(out);
        return -1;
    }
    return 0;
}
