/* cli_report.c — `placesim report DIR... -o FILE.html`: one self-contained
 * HTML page for an experiment (report.h), written atomically. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "interrupt.h"
#include "report.h"
#include "report_file.h"
#include "report_sweep.h"

static const char report_help[] =
    "usage: placesim report DIR... -o FILE.html [--force] [--metric NAME]...\n"
    "                       [--from FY] [--to FY] [--area NAME]... [--discount RATE] [--unpaired]\n"
    "       placesim report RESULTS.db -o FILE.html [--force] [--from FY] [--to FY]\n"
    "                       [--discount RATE]\n"
    "\n"
    "Writes one self-contained HTML page (inline CSS and SVG; no network, script\n"
    "or font from elsewhere; readable in print) comparing runs: DIR is the base's\n"
    "and the arms' run directories, base first, or one experiment directory.\n"
    "Given a sweep's results database (placesim sweep -o RESULTS.db), the page\n"
    "shows each kept output against each swept parameter, a heat map for a\n"
    "two-parameter grid, Sobol indices for a Saltelli design and, for a sweep\n"
    "of two or more arms that kept money, the cost-benefit across its points\n"
    "(as placesim compare RESULTS.db: NPV histograms, summary, the runs' noise).\n"
    "\n"
    "  -o FILE.html     the page (required); written beside as FILE.html.tmp-XXXXXX\n"
    "                   and renamed. An existing placesim report is replaced; any\n"
    "                   other file is refused unless --force\n"
    "  --force          replace FILE.html even when it is not a placesim report\n"
    "  --metric NAME    chart and compare this metric (repeatable; default: every\n"
    "                   model's headline metrics)\n"
    "  --from FY, --to FY   the comparison window, financial years (2026/27); for\n"
    "                   a database, the cost-benefit's window (default: every whole\n"
    "                   financial year written in every compared run)\n"
    "  --area NAME      compare these areas as one group (repeatable; default ALL);\n"
    "                   charts over time show the whole place\n"
    "  --discount RATE  discount rate a year (default 0.035); also a database's\n"
    "                   cost-benefit\n"
    "  --unpaired       Welch intervals instead of paired replications\n";

typedef struct report_args {
    const char **dirs, **metrics, **areas;
    size_t n_dirs, n_metrics, n_areas;
    const char *out, *from, *to;
    double discount;
    int force, unpaired;
    const char *run_option;   /* the first option that applies to run directories only */
    const char *money_option; /* the first of --from, --to, --discount */
} report_args;

/* Returns 0, EXIT_USAGE after a message, or -1 for --help (printed). */
static int parse_args(int argc, char **argv, report_args *a)
{
    static const char cmd[] = "report";
    a->discount = 0.035;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *v;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(report_help, stdout);
            return -1;
        } else if (strcmp(arg, "--force") == 0) {
            a->force = 1;
        } else if (strcmp(arg, "--unpaired") == 0) {
            a->unpaired = 1;
            if (!a->run_option) a->run_option = "--unpaired";
        } else if (cli_is_option(arg, "-o")) {
            if (!(a->out = cli_option_value(argc, argv, &i, "-o")) || !*a->out)
                return cli_usage_error(cmd, "-o needs a file name");
        } else if (cli_is_option(arg, "--metric")) {
            if (!a->run_option) a->run_option = "--metric";
            if (!(v = cli_option_value(argc, argv, &i, "--metric")) || !*v)
                return cli_usage_error(cmd, "--metric needs a metric name");
            a->metrics[a->n_metrics++] = v;
        } else if (cli_is_option(arg, "--area")) {
            if (!a->run_option) a->run_option = "--area";
            if (!(v = cli_option_value(argc, argv, &i, "--area")) || !*v)
                return cli_usage_error(cmd, "--area needs an area name");
            a->areas[a->n_areas++] = v;
        } else if (cli_is_option(arg, "--from")) {
            if (!a->money_option) a->money_option = "--from";
            if (!(a->from = cli_option_value(argc, argv, &i, "--from")))
                return cli_usage_error(cmd, "--from needs a financial year (2026/27)");
        } else if (cli_is_option(arg, "--to")) {
            if (!a->money_option) a->money_option = "--to";
            if (!(a->to = cli_option_value(argc, argv, &i, "--to")))
                return cli_usage_error(cmd, "--to needs a financial year (2026/27)");
        } else if (cli_is_option(arg, "--discount")) {
            if (!a->money_option) a->money_option = "--discount";
            char *end = NULL;
            v = cli_option_value(argc, argv, &i, "--discount");
            a->discount = v ? strtod(v, &end) : NAN;
            if (!v || end == v || *end || !(a->discount >= 0.0 && a->discount <= 1.0))
                return cli_usage_error(cmd, "--discount needs a rate from 0 to 1 (0.035), not '%s'",
                                       v ? v : "");
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        } else {
            a->dirs[a->n_dirs++] = arg;
        }
    }
    if (!a->out) return cli_usage_error(cmd, "missing -o FILE.html");
    for (size_t i = 0; i < a->n_dirs; i++) {
        if (!report_sweep_is_database(a->dirs[i])) continue;
        if (a->n_dirs > 1)
            return cli_usage_error(cmd,
                                   "%s is a sweep's results database: give it alone (a "
                                   "report is of one sweep, or of run directories)",
                                   a->dirs[i]);
        if (a->run_option)
            return cli_usage_error(cmd,
                                   "%s applies to run directories, not to a sweep's results "
                                   "database (%s)",
                                   a->run_option, a->dirs[i]);
    }
    if (a->n_dirs == 0)
        return cli_usage_error(cmd, "missing run directories (the base's and the arms', or an "
                                    "experiment directory)");
    return 0;
}

int cli_report(int argc, char **argv)
{
    /* Each list holds at most one entry per argument. */
    size_t room = (size_t)(argc > 0 ? argc : 1);
    report_args a = { .dirs = calloc(room, sizeof(char *)),
                      .metrics = calloc(room, sizeof(char *)),
                      .areas = calloc(room, sizeof(char *)) };
    int status;
    /* SIGINT/SIGTERM before the page is complete: nothing is written; a
     * file-size limit fails the write with its reason instead of killing. */
    if (interrupt_install() != 0) {
        fprintf(stderr, "placesim report: cannot install signal handlers\n");
        status = EXIT_FAILURE_DATA;
    } else if (!a.dirs || !a.metrics || !a.areas) {
        fprintf(stderr, "placesim report: out of memory\n");
        status = EXIT_FAILURE_DATA;
    } else {
        status = parse_args(argc, argv, &a);
    }
    if (status == 0) {
        /* The command line as the page shows it: "placesim report …". */
        char **shown = calloc((size_t)argc + 2, sizeof *shown);
        report_options opt = { .metrics = a.metrics,
                               .n_metrics = a.n_metrics,
                               .argc = argc + 2,
                               .argv = shown,
                               .compare = { .from_year = a.from,
                                            .to_year = a.to,
                                            .areas = a.areas,
                                            .n_areas = a.n_areas,
                                            .discount_rate = a.discount,
                                            .unpaired = a.unpaired } };
        char err[2048] = "";
        hbuf page;
        hbuf_init(&page);
        if (!shown) {
            snprintf(err, sizeof err, "out of memory");
            status = EXIT_FAILURE_DATA;
        } else {
            shown[0] = "placesim";
            shown[1] = "report";
            for (int i = 0; i < argc; i++) shown[i + 2] = argv[i];
            if (a.n_dirs == 1 && report_sweep_is_database(a.dirs[0])) {
                report_sweep_options sopt = { .argc = argc + 2,
                                              .argv = shown,
                                              .from_year = a.from,
                                              .to_year = a.to,
                                              .discount_rate = a.discount,
                                              .money_option = a.money_option };
                status = report_sweep_build(a.dirs[0], &sopt, &page, err, sizeof err);
            } else {
                status = report_build(a.dirs, a.n_dirs, &opt, &page, err, sizeof err);
            }
        }
        if (status == 0 && interrupt_received()) {
            snprintf(err, sizeof err, "interrupted by signal %d; nothing was written",
                     interrupt_received());
            status = 128 + interrupt_received();
        }
        if (status == 0 &&
            report_file_write(a.out, page.data, page.len, a.force, err, sizeof err) != 0)
            status = EXIT_FAILURE_DATA;
        if (status != 0)
            fprintf(stderr, "placesim report: %s\n", err);
        else
            printf("wrote %s\n", a.out);
        hbuf_free(&page);
        free(shown);
    }
    free(a.dirs);
    free(a.metrics);
    free(a.areas);
    return status < 0 ? 0 : status;
}
