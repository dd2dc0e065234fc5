"""The pattern scan done with pandas + scipy, as the peer of `cargo bench --bench scan`.

    EXPORT_CSV=/tmp/scan.csv STORIES=100000 RUNS=1 cargo bench --bench scan
    python3 scripts/scan_reference.py /tmp/scan.csv

Runs the same tests as the Rust scan on the same answers (columns `s:<key>` are sliders,
`c:<key>` choice questions; empty = no answer): slider x choice (Kruskal-Wallis, or
Mann-Whitney U for two groups), choice x choice (chi-square), slider x slider (Spearman),
slider x (choice x choice) (the Scheirer-Ray-Hare test of the interaction: OLS on the ranks
with statsmodels, Type II sum of squares of the A:B term, H = SS_ab / MS_total), groups under
5 stories left out, Benjamini-Hochberg over all p-values. Prints the number of tests and the
time, excluding reading the CSV.
"""
import sys
import time
import itertools
import numpy as np
import pandas as pd
from scipy import stats
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm

MIN_GROUP = 5


def main(path):
    df = pd.read_csv(path)
    sliders = [c for c in df.columns if c.startswith("s:")]
    choices = [c for c in df.columns if c.startswith("c:")]
    start = time.perf_counter()
    pvalues = []

    def group_test(values, groups, min_parts=2):
        data = pd.DataFrame({"v": values, "g": groups}).dropna()
        sizes = data.groupby("g")["v"].size()
        keep = sizes[sizes >= MIN_GROUP].index
        parts = [g["v"].to_numpy() for k, g in data[data["g"].isin(keep)].groupby("g")]
        if len(parts) < min_parts:
            return
        try:
            if len(parts) == 2 and min_parts == 2:
                r = stats.mannwhitneyu(parts[0], parts[1], method="asymptotic")
            else:
                r = stats.kruskal(*parts)
            pvalues.append(r.pvalue)
        except ValueError:
            pass

    for s in sliders:
        for c in choices:
            group_test(df[s], df[c])
    for a, b in itertools.combinations(choices, 2):
        table = pd.crosstab(df[a], df[b])
        table = table.loc[table.sum(axis=1) >= MIN_GROUP, table.sum(axis=0) >= MIN_GROUP]
        if table.shape[0] >= 2 and table.shape[1] >= 2:
            pvalues.append(stats.chi2_contingency(table.to_numpy())[1])
    for a, b in itertools.combinations(sliders, 2):
        pair = df[[a, b]].dropna()
        pvalues.append(stats.spearmanr(pair[a], pair[b]).pvalue)
    def interaction_test(values, first, second):
        data = pd.DataFrame({"v": values, "a": first, "b": second}).dropna()
        sizes = data.groupby(["a", "b"])["v"].transform("size")
        data = data[sizes >= MIN_GROUP].copy()
        if data.groupby(["a", "b"]).ngroups < 3 or data["v"].nunique() < 2:
            return
        data["r"] = stats.rankdata(data["v"])
        try:
            table = anova_lm(smf.ols("r ~ C(a) * C(b)", data=data).fit(), typ=2)
        except (ValueError, np.linalg.LinAlgError):
            return
        df_ab = table.loc["C(a):C(b)", "df"]
        if not df_ab >= 1:
            return
        ms_total = ((data["r"] - data["r"].mean()) ** 2).sum() / (len(data) - 1)
        pvalues.append(stats.chi2.sf(table.loc["C(a):C(b)", "sum_sq"] / ms_total, df_ab))

    for s in sliders:
        for a, b in itertools.combinations(choices, 2):
            interaction_test(df[s], df[a], df[b])
    stats.false_discovery_control(np.nan_to_num(pvalues, nan=1.0), method="bh")
    elapsed = time.perf_counter() - start
    print(f"pandas + scipy + statsmodels: {len(pvalues)} tests on {len(df)} stories in {elapsed:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1])
