"""Reference values for projects side by side on the core questions, computed with scipy.

Run:  python3 scripts/compare_projects_fixtures.py > tests/fixtures/compare_projects.json
The integration tests (tests/app/compare_projects.rs) import the generated stories into the
projects named here and compare the figures of `vertelpunt compare --with` and of the page
against the numbers in that file. Stories are generated with a fixed seed, never real ones.
"""
import json
import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

rng = np.random.default_rng(20261207)
SLIDERS = ["gehoord", "juiste_hulp", "op_tijd", "regie"]
LEEFTIJD = ["jonger_12", "jaar_12_15", "jaar_16_17", "jaar_18_22", "jaar_23_plus", "leeftijd_liever_niet"]
LEEFTIJD_KIND = ["kind_0_3", "kind_4_11", "kind_12_17", "kind_18_plus", "kind_liever_niet"]
ROLES = ["jongere", "ouder", "professional"]
WORDS = ("we wachtten lang op hulp en niemand belde terug maar later kwam er een "
         "begeleider die echt luisterde naar wat wij nodig hadden thuis en op school").split()


def text(i):
    """A made-up story of 40 to 60 words."""
    n = 40 + int(rng.integers(0, 20))
    return " ".join(WORDS[(i + j) % len(WORDS)] for j in range(n)).capitalize() + "."


def stories(prefix, n, shift, ages, kid_ages, month):
    rows = []
    for i in range(n):
        role = ROLES[i % 3]
        row = {"id": f"{prefix}-{i:03d}", "created_at": f"2026-{month:02d}-{1 + i % 28:02d}T10:00:00Z",
               "role": role, "title": f"Verhaal {prefix} {i}", "text": text(i)}
        for k, s in enumerate(SLIDERS):
            v = int(np.clip(np.round(rng.normal(50 + shift[k], 22) / 5) * 5, 0, 100))
            # "Weet ik niet" on op_tijd now and then: no value.
            row[s] = None if (s == "op_tijd" and i % 11 == 5) else v
        row["leeftijd"] = ages[i // 3 % len(ages)] if role == "jongere" else None
        row["leeftijd_kind"] = kid_ages[i // 3 % len(kid_ages)] if role == "ouder" else None
        rows.append(row)
    return rows


reference = stories("ref", 90, [0, 0, 0, 0], ["jaar_12_15", "jaar_16_17", "jaar_18_22"],
                    ["kind_4_11", "kind_12_17"], 3)
# The region: heard more often, the same help; two young people under 12 (a cell under k).
regio_ages = ["jaar_16_17", "jaar_18_22", "jaar_16_17", "jaar_12_15", "jaar_18_22", "jaar_18_22",
              "jonger_12", "jaar_16_17", "jaar_18_22", "jonger_12", "jaar_16_17", "jaar_18_22",
              "jaar_16_17", "jaar_18_22", "jaar_16_17", "jaar_18_22", "jaar_16_17", "jaar_18_22",
              "jaar_16_17", "jaar_18_22"]
regio = stories("reg", 60, [18, 2, -6, 0], regio_ages, ["kind_12_17", "kind_4_11", "kind_12_17"], 4)
small = stories("kln", 3, [0, 0, 0, 0], ["jaar_16_17"], ["kind_4_11"], 5)

tests = []
for key in SLIDERS:
    x = [r[key] for r in regio if r[key] is not None]
    y = [r[key] for r in reference if r[key] is not None]
    res = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
    u = float(res.statistic)
    tests.append({"key": key, "kind": "number", "n": [len(x), len(y)], "u": u, "p": float(res.pvalue),
                  "r": 2 * u / (len(x) * len(y)) - 1})
for key, options in [("leeftijd", LEEFTIJD), ("leeftijd_kind", LEEFTIJD_KIND)]:
    table = [[sum(1 for r in side if r[key] == o) for o in options] for side in (regio, reference)]
    kept = [j for j in range(len(options)) if table[0][j] + table[1][j] > 0]
    t = np.array([[row[j] for j in kept] for row in table])
    chi2, p, dof, _ = stats.chi2_contingency(t)
    v = stats.contingency.association(t, method="cramer")
    tests.append({"key": key, "kind": "choice", "n": [int(t[0].sum()), int(t[1].sum())],
                  "table": t.tolist(), "chi2": float(chi2), "p": float(p), "dof": int(dof),
                  "cramers_v": float(v)})
q = multipletests([t["p"] for t in tests], method="fdr_bh")[1]
for t, qv in zip(tests, q):
    t["q"] = float(qv)

columns = ["id", "created_at", "role", "title", "text"] + SLIDERS + ["leeftijd", "leeftijd_kind"]
print(json.dumps({
    "columns": columns,
    "projects": {"jeugdhulp": reference, "regio": regio, "klein": small},
    "tests": tests,
}, indent=1))
