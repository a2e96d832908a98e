/* synth_place.c — generated places for scale and benchmarks (issue 12).
 *
 *   build/placesim_synth england [--totals CSV] [--borough CFG] [--base TEXT]
 *   build/placesim_synth tile K [--borough CFG] [--base TEXT]
 *
 * Run from the repository's top; writes a scenario on stdout. Both build on
 * the borough (`base = ...`) and replace only its areas and what the size of
 * the place needs, so every calibrated per-agent value is inherited:
 *
 *   england  a SYNTHETIC England (scenarios/england.cfg) from the national
 *            totals of tools/data/england_totals.csv, by the rules below.
 *   tile K   the borough's areas K times over (neighbours inside each tile;
 *            the first tile keeps the borough's names, tile k >= 2 adds
 *            " #k"), for ns per event at 1x, 4x, 16x (tools/bench).
 *
 * What the scale needs: housing.repair_teams in proportion to social
 * dwellings (the borough's repair utilisation of about 0.8 holds),
 * reoffending.probation_officers for the caseload (England: the national
 * caseload's English share / caseload_limit, as MODELS.md § 3 sizes the
 * borough's 22 = 1,100 / 50; tiles: K x the borough's), and the
 * prison_population calibration target (an anchor in people; every other
 * target is a rate and is copied unchanged).
 *
 * England's rules (fixed seed; the draws come in this order from GSL's
 * mt19937, a named generator, so no environment variable changes them):
 * area populations lognormal with log-sd SIGMA_POPULATION, apportioned to
 * the residents total; dwellings in proportion to residents (one persons-
 * per-dwelling ratio everywhere), apportioned to the dwellings total;
 * social shares Beta with the national mean and concentration
 * SOCIAL_CONCENTRATION, apportioned to the social total; deprivation half
 * the area's rank by social share, half a uniform draw (so the estates'
 * pattern of the borough holds loosely); neighbours the K_NEAREST nearest
 * areas on a synthetic unit square of uniform points, made symmetric.
 * Every total is met exactly by largest-remainder apportionment.
 *
 * Exit status 0, 1 on bad input (a line on stderr), 2 on a usage error. */
#define _DEFAULT_SOURCE /* realpath */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cli.h"

/* England's generation rules: assumptions, written into the file's header. */
static const unsigned long SEED = 20250401;
static const double SIGMA_POPULATION = 0.5;      /* log-sd of area residents */
static const double SOCIAL_CONCENTRATION = 25.0; /* Beta a + b: sd of a share ~0.07 */
enum { K_NEAREST = 4 };

typedef struct totals {
    double residents, dwellings, social, areas, prison_ew, probation_ew, residents_ew;
} totals;

static int usage(void)
{
    fprintf(stderr, "usage: placesim_synth england [--totals CSV] [--borough CFG] [--base TEXT]\n"
                    "       placesim_synth tile K [--borough CFG] [--base TEXT]\n");
    return 2;
}

/* Reads key,value,... rows (lines starting '#' and the header skipped). */
static int read_totals(const char *path, totals *t)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "placesim_synth: cannot open %s\n", path);
        return -1;
    }
    struct {
        const char *key;
        double *value;
    } keys[] = { { "residents", &t->residents },
                 { "dwellings", &t->dwellings },
                 { "social_dwellings", &t->social },
                 { "local_authorities", &t->areas },
                 { "prison_population_ew", &t->prison_ew },
                 { "probation_caseload_ew", &t->probation_ew },
                 { "residents_ew", &t->residents_ew } };
    enum { N_KEYS = sizeof keys / sizeof keys[0] };
    int found[N_KEYS] = { 0 };
    char line[2048];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n' || strncmp(line, "key,", 4) == 0) continue;
        char *comma = strchr(line, ',');
        if (!comma) continue;
        *comma = '\0';
        for (size_t k = 0; k < N_KEYS; k++) {
            if (strcmp(line, keys[k].key) != 0) continue;
            char *end;
            *keys[k].value = strtod(comma + 1, &end);
            if (end == comma + 1 || *end != ',' || *keys[k].value <= 0) {
                fprintf(stderr, "placesim_synth: %s:%d: %s: not a positive number\n", path, lineno,
                        line);
                fclose(f);
                return -1;
            }
            found[k] = 1;
        }
    }
    fclose(f);
    for (size_t k = 0; k < N_KEYS; k++) {
        if (!found[k]) {
            fprintf(stderr, "placesim_synth: %s: no row %s\n", path, keys[k].key);
            return -1;
        }
    }
    return 0;
}

/* Integers proportional to weights that sum to total exactly: floors, then
 * one more to the largest remainders (ties to the lower index). */
static void apportion(long long total, const double *w, size_t n, long long *out)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += w[i];
    double *rem = malloc(n * sizeof *rem);
    long long given = 0;
    for (size_t i = 0; i < n; i++) {
        double exact = (double)total * w[i] / sum;
        out[i] = (long long)floor(exact);
        rem[i] = exact - (double)out[i];
        given += out[i];
    }
    for (; given < total; given++) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (rem[i] > rem[best]) best = i;
        out[best]++;
        rem[best] = -1;
    }
    free(rem);
}

/* The shortest %g form that reads back as the same double, with a '.' so
 * libconfig reads a float. */
static void print_double(double v)
{
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputs(buf, stdout);
    if (!strpbrk(buf, ".eEn")) fputs(".0", stdout);
}

static void print_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') putchar('\\');
        putchar(*s);
    }
    putchar('"');
}

/* The borough's targets, set values only, prison_population's value and
 * tolerance times `prison_scale`. */
static int print_targets(const scenario *s, double prison_scale)
{
    const scn_node *list = scenario_find(s, "targets");
    if (!list || list->n_children == 0) return 0;
    printf("targets = (\n");
    for (size_t i = 0; i < list->n_children; i++) {
        const scn_node *t = list->children[i];
        int scaled = strcmp(scn_member_string(t, "metric"), "prison_population") == 0;
        printf("  {");
        for (size_t m = 0; m < t->n_children; m++) {
            const scn_node *v = t->children[m];
            if (strcmp(v->file, "default") == 0) continue;
            int anchor =
                scaled && (strcmp(v->name, "value") == 0 || strcmp(v->name, "tolerance") == 0);
            printf(" %s = ", v->name);
            switch (v->type) {
            case SCN_INT: printf("%lld", (long long)v->int_value); break;
            case SCN_FLOAT:
                if (anchor)
                    printf("%.1f", round(v->float_value * prison_scale * 10) / 10);
                else
                    print_double(v->float_value);
                break;
            case SCN_BOOL: fputs(v->int_value ? "true" : "false", stdout); break;
            case SCN_STRING:
                if (scaled && strcmp(v->name, "source") == 0) {
                    char src[1024];
                    snprintf(src, sizeof src, "%s (x %.6g for this place: placesim_synth)",
                             v->string_value, prison_scale);
                    print_string(src);
                } else {
                    print_string(v->string_value);
                }
                break;
            default:
                fprintf(stderr, "placesim_synth: targets.%s: unexpected type\n", v->name);
                return -1;
            }
            putchar(';');
        }
        printf(" }%s\n", i + 1 < list->n_children ? "," : "");
    }
    printf(");\n\n");
    return 0;
}

static void print_area(const char *name, long long pop, long long dw, long long soc, double dep,
                       const char *const *nb_names, const char *nb_suffix, size_t n_nb, int last)
{
    printf("  { name = ");
    print_string(name);
    printf("; population = %lld; dwellings = %lld; social_dwellings = %lld; deprivation = ", pop,
           dw, soc);
    print_double(dep);
    printf(";\n    neighbours = [");
    for (size_t j = 0; j < n_nb; j++) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s", nb_names[j], nb_suffix);
        printf("%s", j ? ", " : "");
        print_string(buf);
    }
    printf("]; }%s\n", last ? "" : ",");
}

/* The command that wrote the file, as run from the repository's top. */
static void print_command(int argc, char **argv, const char *out)
{
    printf("# Generated by (from the repository's top):\n#   build/placesim_synth");
    for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
    printf(" > %s\n", out);
}

static int tile(const loaded_scenario *ls, int k_tiles, const char *base, int argc, char **argv)
{
    const place *p = &ls->place;
    printf("# tile_%d.cfg: the borough's %zu areas tiled %d times (GENERATED for tools/bench;\n"
           "# a synthetic place). Every per-agent rate is the borough's; repair teams,\n"
           "# probation officers and the prison population anchor are %d x the borough's.\n",
           k_tiles, p->n_areas, k_tiles, k_tiles);
    print_command(argc, argv, "FILE");
    printf("\nbase = ");
    print_string(base);
    printf(";\nhousing = { repair_teams = %lld; };\n",
           (long long)(scenario_int(ls->scn, "housing.repair_teams") * k_tiles));
    printf("reoffending = { probation_officers = ");
    print_double(scenario_float(ls->scn, "reoffending.probation_officers") * k_tiles);
    printf("; };\n\n");
    if (print_targets(ls->scn, k_tiles) != 0) return -1;
    printf("areas = (\n");
    const char **nb = malloc((p->n_areas + 1) * sizeof *nb);
    for (int k = 1; k <= k_tiles; k++) {
        char suffix[32] = "";
        if (k > 1) snprintf(suffix, sizeof suffix, " #%d", k);
        for (size_t i = 0; i < p->n_areas; i++) {
            const area *a = &p->areas[i];
            for (size_t j = 0; j < a->n_neighbours; j++) nb[j] = p->areas[a->neighbours[j]].name;
            char name[512];
            snprintf(name, sizeof name, "%s%s", a->name, suffix);
            print_area(name, (long long)a->population, (long long)a->dwellings,
                       (long long)a->social_dwellings, a->deprivation, nb, suffix, a->n_neighbours,
                       k == k_tiles && i + 1 == p->n_areas);
        }
    }
    free(nb);
    printf(");\n");
    return 0;
}

/* A value and its area, sorted by value (ties by index: no two orders). */
typedef struct keyed {
    double key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *p = a, *q = b;
    if (p->key != q->key) return p->key < q->key ? -1 : 1;
    return (p->index > q->index) - (p->index < q->index);
}

static int england(const loaded_scenario *ls, const totals *t, const char *totals_path,
                   const char *base, int argc, char **argv)
{
    size_t n = (size_t)t->areas;
    double *w = calloc(n, sizeof *w), *share = calloc(n, sizeof *share);
    double *dep = calloc(n, sizeof *dep), *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y);
    long long *pop = calloc(n, sizeof *pop), *dw = calloc(n, sizeof *dw);
    long long *soc = calloc(n, sizeof *soc);
    keyed *order = calloc(n, sizeof *order);
    unsigned char *adj = calloc(n * n, 1);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, SEED);

    double mean_share = t->social / t->dwellings;
    for (size_t i = 0; i < n; i++) w[i] = exp(SIGMA_POPULATION * gsl_ran_gaussian(rng, 1.0));
    for (size_t i = 0; i < n; i++)
        share[i] = gsl_ran_beta(rng, mean_share * SOCIAL_CONCENTRATION,
                                (1 - mean_share) * SOCIAL_CONCENTRATION);
    for (size_t i = 0; i < n; i++) dep[i] = gsl_rng_uniform(rng);
    for (size_t i = 0; i < n; i++) {
        x[i] = gsl_rng_uniform(rng);
        y[i] = gsl_rng_uniform(rng);
    }
    apportion((long long)t->residents, w, n, pop);
    for (size_t i = 0; i < n; i++) w[i] = (double)pop[i];
    apportion((long long)t->dwellings, w, n, dw);
    for (size_t i = 0; i < n; i++) w[i] = (double)dw[i] * share[i];
    apportion((long long)t->social, w, n, soc);
    int bad = 0;
    for (size_t i = 0; i < n; i++) bad |= soc[i] > dw[i];
    /* Deprivation: half the rank by social share, half uniform, 2 decimals. */
    for (size_t i = 0; i < n; i++) order[i] = (keyed){ share[i], i };
    qsort(order, n, sizeof *order, by_key);
    for (size_t r = 0; r < n; r++) {
        size_t i = order[r].index;
        dep[i] = round(100 * (0.5 * (double)r / (double)(n - 1) + 0.5 * dep[i])) / 100;
    }
    /* Neighbours: the K_NEAREST nearest points, both ways. */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            order[j] = (keyed){ (x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]), j };
        qsort(order, n, sizeof *order, by_key);
        /* order[0] is the area itself (distance 0, and points differ). */
        for (size_t r = 1; r <= K_NEAREST && r < n; r++) {
            adj[i * n + order[r].index] = 1;
            adj[order[r].index * n + i] = 1;
        }
    }

    double ew_share = t->residents / t->residents_ew;
    double prison = round(t->prison_ew * ew_share);
    double caseload = t->probation_ew * ew_share;
    double limit = scenario_float(ls->scn, "reoffending.caseload_limit");
    const scn_node *targets = scenario_find(ls->scn, "targets");
    double prison_b = 0;
    for (size_t i = 0; targets && i < targets->n_children; i++)
        if (strcmp(scn_member_string(targets->children[i], "metric"), "prison_population") == 0)
            prison_b = scn_member_float(targets->children[i], "value");
    long long teams = llround((double)scenario_int(ls->scn, "housing.repair_teams") * t->social /
                              (double)ls->place.social_dwellings);

    printf("# england.cfg: a SYNTHETIC England. GENERATED: do not edit by hand.\n"
           "#\n"
           "# %zu areas stand for England's local authorities, but none is a real place:\n"
           "# sizes, social shares, deprivation and neighbours are random draws that meet\n"
           "# national totals. For scale and benchmarks (issue 12), not for answers about\n"
           "# any real authority.\n",
           n);
    print_command(argc, argv, "scenarios/england.cfg");
    printf("# from %s (each total's source and status is there) and the\n"
           "# borough (base), whose calibrated values every area inherits.\n#\n",
           totals_path);
    printf("# Totals: %.0f residents, %.0f dwellings, %.0f social dwellings, %zu areas.\n",
           t->residents, t->dwellings, t->social, n);
    printf("# Rules (assumptions; tools/synth_place.c): GSL mt19937, seed %lu; residents\n"
           "# lognormal, log-sd %.2f; dwellings in proportion to residents; social share\n"
           "# Beta(mean %.4f, a + b = %.0f); deprivation = 0.5 x rank by social share +\n"
           "# 0.5 x U(0,1); neighbours: %d nearest of uniform points on a unit square,\n"
           "# both ways. Totals met exactly (largest remainders).\n#\n",
           SEED, SIGMA_POPULATION, mean_share, SOCIAL_CONCENTRATION, K_NEAREST);
    printf("# Scaled from the borough: repair teams in proportion to social dwellings\n"
           "# (%lld x %.0f / %lld); probation officers = the English share (%.4f =\n"
           "# residents / %.0f in England and Wales) of a caseload of %.0f / caseload_limit\n"
           "# %.0f; the prison population anchor = that share of %.0f = %.0f (the\n"
           "# borough's %.0f is the same per resident, MODELS.md section 3).\n\n",
           (long long)scenario_int(ls->scn, "housing.repair_teams"), t->social,
           (long long)ls->place.social_dwellings, ew_share, t->residents_ew, t->probation_ew, limit,
           t->prison_ew, prison, prison_b);
    printf("base = ");
    print_string(base);
    printf(";\nhousing = { repair_teams = %lld; };\n", teams);
    printf("reoffending = { probation_officers = %.0f; };\n\n", round(caseload / limit));
    int status = prison_b > 0 ? print_targets(ls->scn, prison / prison_b) : 0;
    if (bad) {
        fprintf(stderr, "placesim_synth: an area's social dwellings exceed its dwellings\n");
        status = -1;
    }
    if (status == 0) {
        printf("areas = (\n");
        const char **nb = malloc(n * sizeof *nb);
        char(*names)[32] = calloc(n, sizeof *names);
        for (size_t i = 0; i < n; i++)
            snprintf(names[i], sizeof names[i], "Synthetic %03zu", i + 1);
        for (size_t i = 0; i < n; i++) {
            size_t m = 0;
            for (size_t j = 0; j < n; j++)
                if (adj[i * n + j]) nb[m++] = names[j];
            print_area(names[i], pop[i], dw[i], soc[i], dep[i], nb, "", m, i + 1 == n);
        }
        printf(");\n");
        free(nb);
        free(names);
    }
    gsl_rng_free(rng);
    free(w), free(share), free(dep), free(x), free(y), free(pop), free(dw), free(soc);
    free(order), free(adj);
    return status;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2) return usage();
    int is_england = strcmp(argv[1], "england") == 0;
    int k_tiles = 0;
    int i = 2;
    if (!is_england) {
        unsigned long long k;
        if (strcmp(argv[1], "tile") != 0 || argc < 3 || cli_parse_count(argv[2], 1000, &k) != 0 ||
            k == 0)
            return usage();
        k_tiles = (int)k;
        i = 3;
    }
    const char *totals_path = "tools/data/england_totals.csv";
    const char *borough = "scenarios/borough.cfg";
    const char *base = NULL;
    for (; i < argc; i++) {
        if (i + 1 >= argc) return usage();
        if (strcmp(argv[i], "--totals") == 0 && is_england)
            totals_path = argv[++i];
        else if (strcmp(argv[i], "--borough") == 0)
            borough = argv[++i];
        else if (strcmp(argv[i], "--base") == 0)
            base = argv[++i];
        else
            return usage();
    }
    /* England lives beside the borough; a tile anywhere (a temporary
     * directory), so it names the borough by its absolute path. */
    char resolved[PATH_MAX];
    if (!base) {
        if (is_england) {
            const char *slash = strrchr(borough, '/');
            base = slash ? slash + 1 : borough;
        } else {
            if (!realpath(borough, resolved)) {
                fprintf(stderr, "placesim_synth: cannot find %s\n", borough);
                return 1;
            }
            base = resolved;
        }
    }
    totals t;
    if (is_england && read_totals(totals_path, &t) != 0) return 1;
    loaded_scenario ls;
    if (cli_load_scenario(borough, NULL, 0, &ls) != 0) return 1;
    int status = is_england ? england(&ls, &t, totals_path, base, argc, argv)
                            : tile(&ls, k_tiles, base, argc, argv);
    cli_free_scenario(&ls);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "placesim_synth: cannot write the scenario\n");
        return 1;
    }
    return status == 0 ? 0 : 1;
}
