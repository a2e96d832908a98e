/* compare_stub.c — TEMPORARY stub of compare_json (compare.h) for the report
 * branch (issue8-d); the compare branch (issue8-c) implements the real one
 * and this file is deleted at merge.
 *
 * It returns a small FIXED document of the CONTRACTS.md § 6 shape, with the
 * arms' names and directories taken from the given dirs, so that `placesim
 * report` can be built and tested before compare exists. Its numbers mean
 * nothing; some values are null on purpose (n/a in the report). */
#include "compare.h"

#include <stdio.h>
#include <string.h>

/* One arm's name: the experiment's arms[i].name, or the run's manifest. */
static const char *stub_run_name(json_t *manifest)
{
    const char *name = json_string_value(json_object_get(json_object_get(manifest, "scenario"),
                                                         "name"));
    return name ? name : "unknown";
}

static json_t *stub_interval(double mean, double half)
{
    return json_pack("{s:f,s:f,s:f}", "mean", mean, "lower", mean - half, "upper", mean + half);
}

static json_t *stub_arm(const char *name, const char *dir)
{
    static const char *const bearers[] = { "housing", "police", "probation", "prisons", "council",
                                           "health", "pool", "courts", "victims" };
    json_t *arm = json_pack("{s:s,s:s,s:i,s:s,s:s}", "name", name, "dir", dir, "replications", 5,
                            "master_seed", "1", "scenario_sha256", "stub");
    json_t *metrics = json_pack(
        "[{s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f},"
        " {s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:f,s:n,s:f,s:f,s:f}]",
        "metric", "void_days", "unit", "dwelling-days", "kind", "count", "base_mean", 1000.0,
        "arm_mean", 900.0, "difference", -100.0, "lower", -140.0, "upper", -60.0,
        "relative_change", -0.1, "unpaired_lower", -200.0, "unpaired_upper", 0.0, "width_ratio", 0.4,
        "metric", "crimes_burglary", "unit", "events", "kind", "count", "base_mean", 0.0,
        "arm_mean", 2.0, "difference", 2.0, "lower", -1.0, "upper", 5.0, "relative_change",
        "unpaired_lower", -3.0, "unpaired_upper", 7.0, "width_ratio", 0.6);
    json_t *by_bearer = json_array();
    for (size_t i = 0; i < sizeof bearers / sizeof bearers[0]; i++) {
        double spend = i == 0 ? 400000.0 : i == 6 ? 100000.0 : 0.0;
        double demand = -50000.0 * (double)(i % 4);
        int no_share = i >= 6;
        json_array_append_new(by_bearer, json_pack(
            "{s:s,s:o,s:o,s:o,s:o}", "bearer", bearers[i], "spend", stub_interval(spend, 1000.0),
            "demand", stub_interval(demand, 20000.0), "net",
            stub_interval(spend + demand, 25000.0), "spend_with_pool_share",
            no_share ? json_null() : stub_interval(spend + 10000.0, 1000.0)));
    }
    json_t *cb = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:n,s:s,s:f,s:f,s:f,s:[{s:s,s:s,s:o,s:f},{s:s,s:s,s:n,s:n}],"
        "s:[{s:s,s:o,s:o,s:o}]}",
        "costs_pv", stub_interval(480000.0, 5000.0),
        "fiscal_benefits_pv", stub_interval(300000.0, 90000.0),
        "social_benefits_pv", stub_interval(100000.0, 40000.0),
        "npv_fiscal", stub_interval(-180000.0, 90000.0),
        "npv_total", stub_interval(-80000.0, 100000.0),
        "bcr_fiscal", stub_interval(0.62, 0.2), "bcr_total",
        "payback_year_median", "2027/28", "payback_share", 0.4,
        "npv_positive_share_fiscal", 0.0, "npv_positive_share_total", 0.2,
        "cost_per_outcome",
        "outcome", "void-days", "unit", "dwelling-days", "change", stub_interval(-100.0, 40.0),
        "cost_per_unit", 4800.0,
        "outcome", "street crimes", "unit", "crimes", "change", "cost_per_unit",
        "by_year", "year", "2026/27", "costs", stub_interval(480000.0, 5000.0),
        "fiscal_benefits", stub_interval(300000.0, 90000.0),
        "social_benefits", stub_interval(100000.0, 40000.0));
    if (!arm || !metrics || !by_bearer || !cb) {
        json_decref(arm);
        json_decref(metrics);
        json_decref(by_bearer);
        json_decref(cb);
        return NULL;
    }
    json_object_set_new(arm, "metrics", metrics);
    json_object_set_new(arm, "bearers", by_bearer);
    json_object_set_new(arm, "cost_benefit", cb);
    return arm;
}

int compare_json(const char *const *dirs, size_t n_dirs, const compare_options *opt,
                 json_t **out, char *err, size_t errlen)
{
    (void)opt;
    *out = NULL;
    if (n_dirs == 0) {
        snprintf(err, errlen, "no run directories");
        return 2;
    }
    /* Names: from the experiment's arms, or from each run's manifest. */
    json_t *names = json_array(), *paths = json_array();
    char path[4096];
    snprintf(path, sizeof path, "%s/experiment.json", dirs[0]);
    json_t *exp = n_dirs == 1 ? json_load_file(path, 0, NULL) : NULL;
    if (exp) {
        json_t *a;
        size_t i;
        json_array_foreach(json_object_get(exp, "arms"), i, a) {
            json_array_append_new(names, json_string(json_string_value(json_object_get(a, "name"))));
            json_array_append_new(paths, json_string(json_string_value(json_object_get(a, "dir"))));
        }
        json_decref(exp);
    } else {
        for (size_t i = 0; i < n_dirs; i++) {
            snprintf(path, sizeof path, "%s/manifest.json", dirs[i]);
            json_t *m = json_load_file(path, 0, NULL);
            if (!m) {
                snprintf(err, errlen, "%s: cannot read", path);
                json_decref(names);
                json_decref(paths);
                return 1;
            }
            json_array_append_new(names, json_string(stub_run_name(m)));
            json_array_append_new(paths, json_string(dirs[i]));
            json_decref(m);
        }
    }
    if (json_array_size(names) < 2) {
        snprintf(err, errlen, "a comparison needs a base and at least one arm");
        json_decref(names);
        json_decref(paths);
        return 2;
    }
    json_t *doc = json_pack(
        "{s:s,s:s,s:{s:s,s:s,s:i,s:b},s:[s],s:f,s:b,s:s,s:s,s:{s:O,s:O,s:i,s:s,s:s}}",
        "program", "placesim", "version", "stub", "window", "from", "2026/27", "to", "2027/28",
        "years", 2, "default", 1, "areas", "ALL", "discount_rate", 0.035, "paired", 1,
        "note", "Intervals express the runs' randomness only (paired replications, common "
        "seeds), not uncertainty in the parameters.",
        "money_scope", "whole place",
        "base", "name", json_array_get(names, 0), "dir", json_array_get(paths, 0),
        "replications", 5, "master_seed", "1", "scenario_sha256", "stub");
    json_t *arms = json_array();
    for (size_t i = 1; doc && arms && i < json_array_size(names); i++) {
        json_t *arm = stub_arm(json_string_value(json_array_get(names, i)),
                               json_string_value(json_array_get(paths, i)));
        if (!arm || json_array_append_new(arms, arm) != 0) {
            json_decref(arms);
            arms = NULL;
        }
    }
    json_decref(names);
    json_decref(paths);
    if (!doc || !arms || json_object_set_new(doc, "arms", arms) != 0) {
        json_decref(doc);
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    *out = doc;
    return 0;
}
