"""Reference values for the rank interaction test (Scheirer-Ray-Hare, Type II sums of squares).

Run:  python3 scripts/interaction_fixtures.py > tests/fixtures/interaction.json
`src/analysis/counted.rs` compares `rank_interaction` against these numbers; Python is only
needed to regenerate them. The reference ranks all answers (scipy.stats.rankdata, mid-ranks),
fits the two-way model r ~ C(a) * C(b) with statsmodels OLS and takes the interaction's sum of
squares from anova_lm(typ=2); H = SS_ab / (SS_total / (N - 1)), p from chi2(df_ab).
Data are generated with a fixed seed, never real answers.
"""
import json
import numpy as np
import pandas as pd
from scipy import stats
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm

rng = np.random.default_rng(20261202)


def layout(rows, cols, sizes, effect):
    """Slider answers 0-100 per cell: a row effect, a column effect and an interaction."""
    data = []
    for r in range(rows):
        for c in range(cols):
            n = sizes(r, c)
            mean = 50 + effect(r, c)
            v = np.clip(np.round(rng.normal(mean, 20, n)), 0, 100)
            data += [(r, c, float(x)) for x in v]
    return data


cases = [
    ("interaction only", layout(2, 2, lambda r, c: 40, lambda r, c: 12 if r == c else -12)),
    ("additive, unbalanced", layout(3, 3, lambda r, c: 10 + 7 * r + 3 * c, lambda r, c: 8 * r + 5 * c)),
    ("no effect", layout(3, 4, lambda r, c: 15 + (r * 4 + c) % 5, lambda r, c: 0)),
    ("interaction, unbalanced, coarse", layout(2, 3, lambda r, c: 8 + 5 * r + 2 * c,
                                               lambda r, c: [[0, 10, -10], [5, -15, 10]][r][c])),
]

out = []
for name, data in cases:
    df = pd.DataFrame(data, columns=["a", "b", "v"])
    df["r"] = stats.rankdata(df["v"])
    n = len(df)
    model = smf.ols("r ~ C(a) * C(b)", data=df).fit()
    table = anova_lm(model, typ=2)
    ss_ab = float(table.loc["C(a):C(b)", "sum_sq"])
    df_ab = float(table.loc["C(a):C(b)", "df"])
    ss_total = float(((df["r"] - df["r"].mean()) ** 2).sum())
    h = ss_ab / (ss_total / (n - 1))
    out.append({
        "name": name,
        "cells": [[int(a), int(b), v] for a, b, v in data],
        "h": h,
        "df": df_ab,
        "p": float(stats.chi2.sf(h, df_ab)),
    })

print(json.dumps({"rank_interaction": out}))
