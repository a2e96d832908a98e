/* test_run_outputs.c — the files of a run through the binary: every money
 * metric against the ledger to the penny, years.csv against series.csv,
 * --metric/--area against a full run, streaming at any -j. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_assert.h"
#include "test_files.h"

static char work_dir[64];

/* Runs `placesim ARGS` from the source directory with stdout and stderr
 * captured to files in work_dir; returns the exit status. */
static int placesim(const char *args) { return test_placesim(work_dir, args); }

static int setup(void **state)
{
    (void)state;
    snprintf(work_dir, sizeof work_dir, "/tmp/placesim_outputs_XXXXXX");
    return mkdtemp(work_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return test_remove_tree(work_dir);
}

/* "[-]digits.dd" as integer pence; -1 (and a test failure) for anything
 * else: money must be written with exactly two decimals. */
static long long pence_of(const char *text)
{
    const char *p = text;
    int negative = *p == '-';
    if (negative) p++;
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || p[digits] != '.' || strspn(p + digits + 1, "0123456789") != 2 ||
        p[digits + 3] != '\0') {
        fail_msg("money value '%s' does not have exactly two decimals", text);
    }
    long long v = 0;
    for (const char *q = p; *q; q++) {
        if (*q != '.') v = v * 10 + (*q - '0');
    }
    return negative ? -v : v;
}

/* Splits a CSV line without quoted fields in place; returns the count. */
static int split(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == ',') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    }
    return n;
}

enum { REPS = 2, TICKS = 2000, AGENCIES = 9 };
static const char *const agencies[AGENCIES] = { "housing", "police",  "probation",
                                                "prisons", "council", "health",
                                                "courts",  "victims", "pool" };

static int agency_index(const char *name)
{
    for (int a = 0; a < AGENCIES; a++) {
        if (strcmp(agencies[a], name) == 0) return a;
    }
    return -1;
}

/* What the ledger says, per replication and period (tick). */
typedef struct ledger_view {
    long long spend[REPS][AGENCIES][TICKS];   /* − intervention entries */
    long long demand[REPS][AGENCIES][TICKS];  /* − demand entries */
    long long housing_item[REPS][3][TICKS];   /* − lost_rent, void_repairs, void_security */
    long long balance[REPS][AGENCIES][TICKS]; /* non-demand running sum at the tick */
    int seen[REPS][TICKS];
} ledger_view;

static void read_ledger(char *text, ledger_view *v)
{
    memset(v, 0, sizeof *v);
    long long running[REPS][AGENCIES] = { { 0 } };
    static const char *const items[3] = { "lost_rent", "void_repairs", "void_security" };
    char *line = strchr(text, '\n') + 1;
    while (*line) {
        char *end = strchr(line, '\n');
        *end = '\0';
        char *f[9];
        assert_int_equal(split(line, f, 9), 8);
        int rep = atoi(f[1]) - 1, tick = atoi(f[2]), a = agency_index(f[4]);
        assert_in_range_double(rep, 0, REPS - 1);
        assert_in_range_double(tick, 0, TICKS - 1);
        assert_in_range_double(a, 0, INT_MAX);
        long long pence = pence_of(f[7]);
        if (strcmp(f[5], "demand") == 0) {
            v->demand[rep][a][tick] -= pence;
            for (int i = 0; i < 3; i++) {
                if (a == 0 && strcmp(f[6], items[i]) == 0) v->housing_item[rep][i][tick] -= pence;
            }
        } else {
            running[rep][a] += pence;
            if (strcmp(f[5], "intervention") == 0) v->spend[rep][a][tick] -= pence;
        }
        for (int k = 0; k < AGENCIES; k++) v->balance[rep][k][tick] = running[rep][k];
        v->seen[rep][tick] = 1;
        line = end + 1;
    }
}

/* The latest balance snapshot at or before tick. */
static long long balance_at(const ledger_view *v, int rep, int a, int tick)
{
    for (int t = tick; t >= 0; t--) {
        if (v->seen[rep][t]) return v->balance[rep][a][t];
    }
    return 0;
}

/* Every money metric of series.csv (spend_*, demand_cost_*, budget_left_*,
 * pool_balance, and housing's lost_rent, repair_cost and security_cost
 * against its demand items), with budgets above £1 bn, equals the ledger
 * to the penny, and is written with exactly two decimals. */
static void every_money_metric_matches_the_ledger(void **state)
{
    (void)state;
    char args[1024], dir[256];
    snprintf(dir, sizeof dir, "%s/money", work_dir);
    snprintf(args, sizeof args,
             "run scenarios/interventions/total_place.cfg --reps 2 --set years=4 --period month "
             "--set budgets.housing=2500000000.37 --set budgets.police=1300000000.11 "
             "--set budgets.council=987654321.99 -o %s",
             dir);
    assert_int_equal(placesim(args), 0);
    char *ledger = test_read_in(dir, "ledger.csv");
    char *series = test_read_in(dir, "series.csv");
    assert_non_null(ledger);
    assert_non_null(series);
    static ledger_view v;
    read_ledger(ledger, &v);

    static long long area_sum[REPS][3][TICKS];
    memset(area_sum, 0, sizeof area_sum);
    static const char *const housing_metrics[3] = { "lost_rent", "repair_cost", "security_cost" };
    int checked[5] = { 0 }; /* spend, demand, balances, housing ALL, housing areas */
    long long largest_balance = 0;
    char *line = strchr(series, '\n') + 1;
    while (*line) {
        char *end = strchr(line, '\n');
        *end = '\0';
        char *f[8];
        assert_int_equal(split(line, f, 8), 7);
        int rep = atoi(f[1]) - 1, tick = atoi(f[2]);
        const char *area = f[4], *metric = f[5], *value = f[6];
        int all = strcmp(area, "ALL") == 0;
        int h = -1;
        for (int i = 0; i < 3; i++) {
            if (strcmp(metric, housing_metrics[i]) == 0) h = i;
        }
        if (h >= 0 && !all) {
            area_sum[rep][h][tick] += pence_of(value);
            checked[4]++;
        } else if (h >= 0) {
            assert_int_equal(pence_of(value), v.housing_item[rep][h][tick]);
            assert_int_equal(pence_of(value), area_sum[rep][h][tick]); /* areas sum to ALL */
            checked[3]++;
        } else if (strncmp(metric, "spend_", 6) == 0) {
            assert_int_equal(pence_of(value), v.spend[rep][agency_index(metric + 6)][tick]);
            checked[0]++;
        } else if (strncmp(metric, "demand_cost_", 12) == 0) {
            assert_int_equal(pence_of(value), v.demand[rep][agency_index(metric + 12)][tick]);
            checked[1]++;
        } else if (strncmp(metric, "budget_left_", 12) == 0 ||
                   strcmp(metric, "pool_balance") == 0) {
            int a = metric[0] == 'p' ? 8 : agency_index(metric + 12);
            long long pence = pence_of(value);
            assert_int_equal(pence, balance_at(&v, rep, a, tick));
            if (pence > largest_balance) largest_balance = pence;
            checked[2]++;
        }
        line = end + 1;
    }
    /* 2 replications × 48 months: 7 spends, 8 bearers, 7 balances, 3
     * housing metrics (and 20 areas each). */
    assert_int_equal(checked[0], 2 * 48 * 7);
    assert_int_equal(checked[1], 2 * 48 * 8);
    assert_int_equal(checked[2], 2 * 48 * 7);
    assert_int_equal(checked[3], 2 * 48 * 3);
    assert_int_equal(checked[4], 2 * 48 * 3 * 20);
    assert_true(largest_balance > 100000000000LL); /* above £1 bn */
    free(ledger);
    free(series);
}

/* A small table from key strings to sums (open addressing). */
enum { TABLE_SIZE = 1 << 15 };
typedef struct sum_table {
    char key[TABLE_SIZE][96];
    long long sum[TABLE_SIZE];
    int used[TABLE_SIZE];
} sum_table;

static long long *table_slot(sum_table *t, const char *key)
{
    unsigned long h = 1469598103934665603UL;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211UL;
    for (size_t i = h % TABLE_SIZE;; i = (i + 1) % TABLE_SIZE) {
        if (!t->used[i]) {
            t->used[i] = 1;
            snprintf(t->key[i], sizeof t->key[i], "%s", key);
            t->sum[i] = 0;
            return &t->sum[i];
        }
        if (strcmp(t->key[i], key) == 0) return &t->sum[i];
    }
}

/* Counts as integers, money as pence. */
static long long whole_of(const char *text)
{
    return strchr(text, '.') ? pence_of(text) : atoll(text);
}

static const char *const summed_metrics[] = { "void_starts",        "relets",
                                              "void_days",          "lost_rent",
                                              "repair_cost",        "security_cost",
                                              "crimes_burglary",    "detected_robbery",
                                              "proven_offences",    "releases",
                                              "demand_cost_police", "demand_cost_victims",
                                              "spend_pool",         NULL };

static int is_summed(const char *metric)
{
    for (size_t i = 0; summed_metrics[i]; i++) {
        if (strcmp(summed_metrics[i], metric) == 0) return 1;
    }
    return 0;
}

/* years.csv's count and money values are the sums of series.csv's monthly
 * rows over each whole financial year; a level_end is the March row. */
static void years_sum_the_months(void **state)
{
    (void)state;
    char args[1024], dir[256];
    snprintf(dir, sizeof dir, "%s/years", work_dir);
    snprintf(args, sizeof args, "run tests/data/cli/small.cfg --reps 2 --period month -o %s", dir);
    assert_int_equal(placesim(args), 0);
    char *series = test_read_in(dir, "series.csv");
    char *years = test_read_in(dir, "years.csv");
    assert_non_null(series);
    assert_non_null(years);
    static sum_table t;
    memset(t.used, 0, sizeof t.used);
    char *line = strchr(series, '\n') + 1;
    while (*line) {
        char *end = strchr(line, '\n');
        *end = '\0';
        char *f[8];
        assert_int_equal(split(line, f, 8), 7);
        int y, m, d;
        assert_int_equal(sscanf(f[3], "%d-%d-%d", &y, &m, &d), 3);
        int fy = m >= 4 ? y : y - 1;
        char key[96];
        if (is_summed(f[5])) {
            snprintf(key, sizeof key, "%s|%d|%s|%s", f[1], fy, f[4], f[5]);
            *table_slot(&t, key) += whole_of(f[6]);
        } else if (strcmp(f[5], "voids") == 0 && m == 3) {
            snprintf(key, sizeof key, "%s|%d|%s|voids", f[1], fy, f[4]);
            *table_slot(&t, key) = atoll(f[6]);
        }
        line = end + 1;
    }
    assert_true(strncmp(years,
                        "scenario,replication,year,first_date,last_date,area,metric,"
                        "value,weight\n",
                        72) == 0);
    int checked = 0, rows = 0;
    line = strchr(years, '\n') + 1;
    while (*line) {
        char *end = strchr(line, '\n');
        *end = '\0';
        char *f[10];
        assert_int_equal(split(line, f, 10), 9);
        rows++;
        int fy = atoi(f[2]);
        char expected_label[16];
        snprintf(expected_label, sizeof expected_label, "%d/%02d", fy, (fy + 1) % 100);
        assert_string_equal(f[2], expected_label);
        /* Both years are whole: 1 April to 31 March. */
        char whole[32];
        snprintf(whole, sizeof whole, "%d-04-01", fy);
        assert_string_equal(f[3], whole);
        snprintf(whole, sizeof whole, "%d-03-31", fy + 1);
        assert_string_equal(f[4], whole);
        if (is_summed(f[6]) || strcmp(f[6], "voids") == 0) {
            char key[96];
            snprintf(key, sizeof key, "%s|%d|%s|%s", f[1], fy, f[5], f[6]);
            assert_int_equal(whole_of(f[7]), *table_slot(&t, key));
            assert_string_equal(f[8], ""); /* no weight */
            checked++;
        }
        line = end + 1;
    }
    /* 2 replications × 2 years × (10 summed metrics with areas and voids, × 4
     * rows, + 3 ALL only). */
    assert_int_equal(checked, 2 * 2 * (11 * 4 + 3));
    assert_true(rows > checked);
    free(series);
    free(years);
}

/* The lines of text (after its header) whose area and metric columns (at
 * 0-based field positions area_col, area_col + 1) are selected, joined
 * back: what --metric/--area should write, cut from a full run. */
static char *filter_lines(const char *text, int area_col, const char *const *metrics,
                          size_t n_metrics, const char *const *areas, size_t n_areas)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1), *at = out;
    const char *line = text;
    int header = 1;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t n = (size_t)(end - line) + 1;
        char copy[512];
        assert_true(n < sizeof copy);
        memcpy(copy, line, n - 1);
        copy[n - 1] = '\0';
        char *f[10];
        split(copy, f, 10);
        int keep = header;
        if (!header) {
            int metric_ok = n_metrics == 0,
                area_ok = n_areas == 0 || strcmp(f[area_col], "ALL") == 0;
            for (size_t i = 0; i < n_metrics; i++)
                metric_ok |= strcmp(f[area_col + 1], metrics[i]) == 0;
            for (size_t i = 0; i < n_areas; i++) area_ok |= strcmp(f[area_col], areas[i]) == 0;
            keep = metric_ok && area_ok;
        }
        if (keep) {
            memcpy(at, line, n);
            at += n;
        }
        header = 0;
        line = end + 1;
    }
    *at = '\0';
    return out;
}

/* --metric and --area write the same rows as a full run, filtered, byte
 * for byte (ALL rows always; a quarterly metric included); ledger.csv is
 * unchanged. Unknown names are usage errors naming the nearest. */
static void metric_and_area_filter_a_full_run(void **state)
{
    (void)state;
    char args[1024], full[256], part[256], alls[256];
    snprintf(full, sizeof full, "%s/full", work_dir);
    snprintf(part, sizeof part, "%s/part", work_dir);
    snprintf(alls, sizeof alls, "%s/alls", work_dir);
    snprintf(args, sizeof args, "run tests/data/cli/small.cfg --reps 2 --set years=3 -j 2 -o %s",
             full);
    assert_int_equal(placesim(args), 0);
    snprintf(args, sizeof args,
             "run tests/data/cli/small.cfg --reps 2 --set years=3 -j 1 -o %s "
             "--metric voids --metric lost_rent --metric relet_days_median "
             "--metric cohort_size_all --area South --area=North",
             part);
    assert_int_equal(placesim(args), 0);
    snprintf(args, sizeof args,
             "run tests/data/cli/small.cfg --reps 2 --set years=3 -o %s "
             "--area ALL --metric blight_index",
             alls);
    assert_int_equal(placesim(args), 0);
    static const char *const metrics[] = { "voids", "lost_rent", "relet_days_median",
                                           "cohort_size_all" };
    static const char *const areas[] = { "South", "North" };
    static const char *const only_all[] = { "ALL" };
    static const char *const blight[] = { "blight_index" };
    static const char *const files[] = { "series.csv", "years.csv" };
    static const int area_col[] = { 4, 5 };
    for (int k = 0; k < 2; k++) {
        char *whole = test_read_in(full, files[k]);
        char *got = test_read_in(part, files[k]);
        char *want = filter_lines(whole, area_col[k], metrics, 4, areas, 2);
        assert_non_null(got);
        assert_true(strlen(want) > 1000);
        assert_non_null(strstr(got, ",ALL,cohort_size_all,"));
        assert_null(strstr(got, ",Centre,"));
        assert_string_equal(got, want);
        free(got);
        free(want);
        got = test_read_in(alls, files[k]);
        want = filter_lines(whole, area_col[k], blight, 1, only_all, 1);
        assert_null(strstr(got, ",North,"));
        assert_string_equal(got, want);
        free(got);
        free(want);
        free(whole);
    }
    char *ledger_full = test_read_in(full, "ledger.csv"),
         *ledger_part = test_read_in(part, "ledger.csv");
    assert_string_equal(ledger_full, ledger_part);
    free(ledger_full);
    free(ledger_part);

    snprintf(args, sizeof args, "run tests/data/cli/small.cfg --metric relet_day_median -o %s/x",
             work_dir);
    assert_int_equal(placesim(args), 2);
    char *err = test_read_in(work_dir, "stderr");
    assert_string_equal(err, "placesim run: --metric: unknown metric 'relet_day_median' (did you "
                             "mean relet_days_median?) (try placesim run --help)\n");
    free(err);
    snprintf(args, sizeof args, "run tests/data/cli/small.cfg --area Sooth -o %s/x", work_dir);
    assert_int_equal(placesim(args), 2);
    err = test_read_in(work_dir, "stderr");
    assert_string_equal(err, "placesim run: --area: unknown area 'Sooth' (did you mean South?) "
                             "(try placesim run --help)\n");
    free(err);
    char dir_unused[256];
    snprintf(dir_unused, sizeof dir_unused, "%s/x", work_dir);
    struct stat st;
    assert_int_not_equal(stat(dir_unused, &st), 0); /* nothing written */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_money_metric_matches_the_ledger),
        cmocka_unit_test(years_sum_the_months),
        cmocka_unit_test(metric_and_area_filter_a_full_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
