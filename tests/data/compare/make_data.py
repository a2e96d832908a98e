#!/usr/bin/env python3
"""Writes the synthetic experiment in exp/ that tests/test_compare.c checks
by hand (its comments give the computation). Run from this directory; the
output is committed, this script documents how it was made.

Two runs, 3 replications, master seed 7, areas North and South, years
2025/26 (partial: 2025-10-01..2026-03-31), 2026/27 and 2027/28 (whole).
Values in the partial year are large on purpose: the default window
(the whole years) must leave them out."""
import json
import os

REPS = 3
YEARS = [("2025/26", "2025-10-01", "2026-03-31"),
         ("2026/27", "2026-04-01", "2027-03-31"),
         ("2027/28", "2027-04-01", "2028-03-31")]
SEEDS = ["11", "22", "33"]

def per_rep(x):
    return x if isinstance(x, list) else [x] * REPS

# run -> metric -> area -> [partial year, year 1, year 2] each a value or a
# per-replication list; an event/ratio value is (value, weight).
P = 1000  # partial-year filler
BASE = {
    "void_days": {"North": [P, [10, 12, 14], [20, 22, 24]], "South": [P, 10, 10]},
    "voids_long": {"North": [P, [4, 5, 6], [6, 7, 8]], "South": [P, 1, 1]},
    "relet_days_mean": {"North": [(P, 1), (10, 2), (20, 3)], "South": [(P, 1), (30, 1), (None, 0)]},
    "relet_days_median": {"North": [(P, 1), (12, 2), (14, 3)], "South": [(P, 1), (30, 1), (None, 0)]},
    "blight_index": {"North": [(P, 100), (2.0, 100), (2.0, 100)], "South": [(P, 300), (4.0, 300), (4.0, 300)]},
    "crimes_burglary": {"North": [P, 100, 100], "South": [P, 0, 0]},
    "proven_offences": {"North": [P, 10, 10], "South": [P, 0, 0]},
}
ARM = {
    "void_days": {"North": [0, [8, 9, 10], [18, 19, 20]], "South": [0, 10, 10]},
    "voids_long": {"North": [0, 3, 3], "South": [0, 1, 1]},
    "relet_days_mean": {"North": [(0, 1), (5, 2), (10, 3)], "South": [(0, 1), (15, 1), (None, 0)]},
    "relet_days_median": {"North": [(0, 1), (10, 2), (12, 3)], "South": [(0, 1), (30, 1), (None, 0)]},
    "blight_index": {"North": [(0, 100), (1.0, 100), (1.0, 100)], "South": [(0, 300), (4.0, 300), (4.0, 300)]},
    "crimes_burglary": {"North": [0, [90, 88, 92], 90], "South": [0, 0, 0]},
    "proven_offences": {"North": [0, [9, 11, 9], 10], "South": [0, 0, 0]},
}
# ALL-only money, [partial, year 1, year 2].
BASE_MONEY = {
    "spend_housing": [P, 0, 0], "spend_pool": [0, 0, 0],
    "demand_cost_housing": [P, 2000, 2000], "demand_cost_police": [P, 1000, 1000],
    "demand_cost_victims": [P, 3000, 3000],
}
ARM_MONEY = {
    "spend_housing": [99999, 1000, 500], "spend_pool": [0, 400, 0],
    "demand_cost_housing": [0, [1500, 1600, 1700], [500, 400, 1400]],
    "demand_cost_police": [0, 900, 900],
    "demand_cost_victims": [0, 2800, [2000, 2500, 3000]],
    "pool_in_housing": [0, 300, 0], "pool_in_police": [50, 200, 0],
    "pool_return_housing": [0, 0, 50],
}
KIND = {"void_days": "count", "voids_long": "count", "crimes_burglary": "count",
        "proven_offences": "count", "relet_days_mean": "event", "relet_days_median": "event",
        "blight_index": "ratio"}

def fmt(v):
    if v is None:
        return "NA"
    if isinstance(v, float) and v != int(v):
        return "%.10g" % v
    return "%d" % v if float(v) == int(v) else "%.10g" % v

def money(v):
    return "%.2f" % v

def cell(x, r):
    return per_rep(x)[r]

def write_run(name, spec, money_spec):
    os.makedirs("exp/" + name, exist_ok=True)
    rows = ["scenario,replication,year,first_date,last_date,area,metric,value,weight"]
    for r in range(REPS):
        for y, (label, first, last) in enumerate(YEARS):
            for area in ["North", "South", "ALL"]:
                for metric, areas in spec.items():
                    kind = KIND[metric]
                    if area != "ALL":
                        v = cell(areas[area][y], r) if kind == "count" else areas[area][y]
                        if kind == "count":
                            rows.append(f"{name},{r+1},{label},{first},{last},{area},{metric},{fmt(v)},")
                        else:
                            rows.append(f"{name},{r+1},{label},{first},{last},{area},{metric},{fmt(v[0])},{fmt(v[1])}")
                        continue
                    parts = [areas[a][y] for a in ("North", "South")]
                    if kind == "count":
                        v = sum(cell(p, r) for p in parts)
                        rows.append(f"{name},{r+1},{label},{first},{last},ALL,{metric},{fmt(v)},")
                    elif metric == "relet_days_median":
                        # the pooled median of the events: given here as
                        # North's median + 1 (what an exact median would be
                        # is beside the point: only ALL reads it)
                        v, w = parts[0][0] + 1, parts[0][1] + parts[1][1]
                        rows.append(f"{name},{r+1},{label},{first},{last},ALL,{metric},{fmt(float(v))},{w}")
                    else:
                        num = sum(p[0] * p[1] for p in parts if p[0] is not None and p[1] > 0)
                        den = sum(p[1] for p in parts if p[0] is not None and p[1] > 0)
                        rows.append(f"{name},{r+1},{label},{first},{last},ALL,{metric},{fmt(num / den)},{den if kind == 'event' else fmt(float(den))}")
                if area == "ALL":
                    for metric, values in money_spec.items():
                        rows.append(f"{name},{r+1},{label},{first},{last},ALL,{metric},{money(cell(values[y], r))},")
    with open(f"exp/{name}/years.csv", "w") as f:
        f.write("\n".join(rows) + "\n")
    manifest = {"program": "placesim", "version": "0.1.0",
                "scenario": {"name": name, "path": f"{name}.cfg", "hash": ("a" if name == "base" else "b") * 64},
                "period": "month", "start": "2025-10-01", "end": "2028-03-31", "master_seed": "7",
                "replications": [{"replication": i + 1, "seed": SEEDS[i], "events": 1, "wall_seconds": 0.0}
                                 for i in range(REPS)]}
    with open(f"exp/{name}/manifest.json", "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")

write_run("base", BASE, BASE_MONEY)
write_run("arm", ARM, ARM_MONEY)
experiment = {"program": "placesim", "version": "0.1.0", "master_seed": "7", "replications": REPS,
              "period": "month",
              "arms": [{"name": "base", "dir": "base", "scenario": "base.cfg", "scenario_sha256": "a" * 64},
                       {"name": "arm", "dir": "arm", "scenario": "arm.cfg", "scenario_sha256": "b" * 64}]}
with open("exp/experiment.json", "w") as f:
    json.dump(experiment, f, indent=2)
    f.write("\n")
