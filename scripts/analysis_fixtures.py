"""Reference values for the analysis engine, computed with scipy.

Run:  python3 scripts/analysis_fixtures.py > tests/fixtures/analysis.json
The Rust unit tests (src/analysis) compare against the numbers in that file; Python is only
needed to regenerate it. Data are generated with a fixed seed, never real answers.
"""
import json
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261122)


def slider(n, loc=50, scale=20, step=1):
    """Slider answers 0-100, rounded (many ties, like real sliders)."""
    v = np.clip(np.round(rng.normal(loc, scale, n) / step) * step, 0, 100)
    return [float(x) for x in v]


def clean(x):
    if x is None:
        return None
    x = float(x)
    return None if np.isnan(x) else x


out = {"descriptives": [], "mann_whitney": [], "kruskal": [], "chi_square": [], "spearman": [], "bh": []}

for data in [slider(30), slider(200, 70, 25), slider(7, step=10), [10.0, 20.0, 20.0, 90.0, 100.0],
             [0.0, 100.0, 100.0, 100.0], slider(1000, 30, 40, 5)]:
    a = np.array(data)
    out["descriptives"].append({
        "values": data,
        "mean": float(a.mean()),
        "sd": float(a.std(ddof=1)),
        "median": float(np.median(a)),
        "skewness": clean(stats.skew(a, bias=False)),
        "kurtosis": clean(stats.kurtosis(a, fisher=True, bias=False)),
    })

for x, y in [(slider(20), slider(25, 60)), (slider(8, step=10), slider(9, 55, step=10)),
             (slider(300, 50, 30, 5), slider(200, 45, 30, 5)), ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]),
             ([50.0] * 5 + [60.0], [50.0] * 6)]:
    r = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
    out["mann_whitney"].append({"x": x, "y": y, "u": float(r.statistic), "p": float(r.pvalue)})

for groups in [[slider(20), slider(25, 60), slider(15, 40)],
               [slider(10, step=10), slider(12, 60, step=10), slider(9, 40, step=10), slider(11, 50, step=10)],
               [slider(400, 50, 30, 5), slider(300, 52, 30, 5), slider(350, 48, 30, 5)],
               [[1.0, 1.0, 2.0], [2.0, 3.0, 3.0]]]:
    r = stats.kruskal(*groups)
    out["kruskal"].append({"groups": groups, "h": float(r.statistic), "p": float(r.pvalue)})

for table in [[[12, 5], [7, 15]], [[20, 30, 25], [35, 15, 20]], [[5, 0, 3, 8], [2, 6, 4, 1], [9, 3, 2, 7]],
              [[100, 80], [90, 110]], [[1, 2], [3, 4]], [[3, 0], [0, 3]]]:
    chi2, p, dof, expected = stats.chi2_contingency(np.array(table))
    v = stats.contingency.association(np.array(table), method="cramer")
    out["chi_square"].append({"table": table, "chi2": float(chi2), "p": float(p), "dof": int(dof),
                              "cramers_v": float(v)})

for n, rho_target in [(30, 0.5), (200, 0.1), (12, -0.7), (1000, 0.05)]:
    x = rng.normal(0, 1, n)
    y = rho_target * x + np.sqrt(1 - rho_target ** 2) * rng.normal(0, 1, n)
    xs = [float(v) for v in np.clip(np.round(50 + 20 * x), 0, 100)]
    ys = [float(v) for v in np.clip(np.round(50 + 20 * y), 0, 100)]
    r = stats.spearmanr(xs, ys)
    out["spearman"].append({"x": xs, "y": ys, "rho": float(r.statistic), "p": float(r.pvalue)})

for ps in [[0.01, 0.04, 0.03, 0.2, 0.5, 0.001], [0.9, 0.8, 0.7], [0.0001] * 4 + [0.05]]:
    out["bh"].append({"p": ps, "q": [float(q) for q in stats.false_discovery_control(ps, method="bh")]})

# The subset comparison (src/analysis/compare.rs): a small dataset with a subset mask. It has its
# own generator, so that the sections above keep their numbers.
crng = np.random.default_rng(20261123)
n = 80
mask = crng.random(n) < 0.3


def with_gaps(values, share):
    """Replace a share of the answers with None ("weet ik niet" / no answer)."""
    gaps = crng.random(len(values)) < share
    return [None if g else v for v, g in zip(values, gaps)]


slider_values = with_gaps([float(v) for v in np.clip(np.round(crng.normal(np.where(mask, 60, 48), 20) / 5) * 5, 0, 100)], 0.12)
# Four options declared, the fourth never chosen: it has zero total and is left out of the table.
c3 = with_gaps([int(crng.choice(3, p=[0.5, 0.3, 0.2] if m else [0.3, 0.4, 0.3])) for m in mask], 0.1)
c2 = with_gaps([int(crng.choice(2, p=[0.4, 0.6] if m else [0.5, 0.5])) for m in mask], 0.15)
compare = {"mask": [bool(m) for m in mask],
           "variables": [{"key": "s", "kind": "slider", "values": slider_values},
                         {"key": "c3", "kind": "choice", "options": 4, "values": c3},
                         {"key": "c2", "kind": "choice", "options": 2, "values": c2}],
           "results": {}}
subset = [v for v, m in zip(slider_values, mask) if m and v is not None]
rest = [v for v, m in zip(slider_values, mask) if not m and v is not None]
r = stats.mannwhitneyu(subset, rest, alternative="two-sided", method="asymptotic", use_continuity=True)
compare["results"]["s"] = {"u": float(r.statistic), "p": float(r.pvalue)}
for key, values, k in [("c3", c3, 4), ("c2", c2, 2)]:
    table = np.zeros((2, k), dtype=int)
    for v, m in zip(values, mask):
        if v is not None:
            table[0 if m else 1][v] += 1
    table = table[:, table.sum(axis=0) > 0]
    chi2, p, dof, expected = stats.chi2_contingency(table)
    v = stats.contingency.association(table, method="cramer")
    compare["results"][key] = {"table": table.tolist(), "chi2": float(chi2), "p": float(p), "dof": int(dof),
                               "cramers_v": float(v)}
keys = ["s", "c3", "c2"]
qs = stats.false_discovery_control([compare["results"][key]["p"] for key in keys], method="bh")
for key, q in zip(keys, qs):
    compare["results"][key]["q"] = float(q)
out["compare"] = compare

# 95 % Wilson score intervals of a proportion (the story browser's estimated counts), by
# statsmodels; no random numbers, so the sections above stay as they were.
from statsmodels.stats.proportion import proportion_confint
out["wilson"] = []
for hits, n in [(0, 1000), (1, 1000), (50, 1000), (483, 1000), (999, 1000), (1000, 1000), (3, 7), (1, 1)]:
    low, high = proportion_confint(hits, n, alpha=0.05, method="wilson")
    out["wilson"].append({"hits": hits, "n": n, "low": float(low), "high": float(high)})

print(json.dumps(out))
