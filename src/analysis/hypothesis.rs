//! The hypothesis tests of a pattern scan and the false-discovery control over a scan.
//! Each follows the scipy function it names, including its corrections.

use super::ranks::{average_ranks, tie_sum};
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

/// A rank test of one slider across groups.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GroupTest {
    pub statistic: f64,
    pub p_value: f64,
    /// Rank-biserial r (Mann–Whitney) or epsilon² (Kruskal–Wallis).
    pub effect_size: f64,
    pub n: usize,
}

fn chi2_sf(x: f64, dof: f64) -> f64 {
    match ChiSquared::new(dof) {
        Ok(d) if x.is_finite() => d.sf(x.max(0.0)),
        _ => f64::NAN,
    }
}

/// Mann–Whitney U of `x` against `y`, two-sided, normal approximation with tie and continuity
/// correction, as `scipy.stats.mannwhitneyu(x, y, method="asymptotic")`. The statistic is U of
/// `x`; the effect size is the rank-biserial correlation r = 2·U/(n₁n₂) − 1 (positive when `x`
/// tends to be larger). `None` when a group is empty or all values are equal.
pub fn mann_whitney_u(x: &[f64], y: &[f64]) -> Option<GroupTest> {
    let (n1, n2) = (x.len() as f64, y.len() as f64);
    if x.is_empty() || y.is_empty() {
        return None;
    }
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let n = all.len() as f64;
    let (ranks, ties) = average_ranks(&all);
    let r1: f64 = ranks[..x.len()].iter().sum();
    let u1 = r1 - n1 * (n1 + 1.0) / 2.0;
    let u2 = n1 * n2 - u1;
    let mu = n1 * n2 / 2.0;
    let variance = n1 * n2 / 12.0 * ((n + 1.0) - tie_sum(&ties) / (n * (n - 1.0)));
    if variance <= 0.0 {
        return None;
    }
    let z = (u1.max(u2) - mu - 0.5) / variance.sqrt();
    let p = (2.0 * Normal::standard().sf(z)).min(1.0);
    Some(GroupTest {
        statistic: u1,
        p_value: p,
        effect_size: 2.0 * u1 / (n1 * n2) - 1.0,
        n: all.len(),
    })
}

/// Kruskal–Wallis H with tie correction, p from χ²(k − 1), as `scipy.stats.kruskal`.
/// Effect size epsilon² = H / (n − 1). `None` with fewer than two non-empty groups or when all
/// values are equal.
pub fn kruskal_wallis(groups: &[&[f64]]) -> Option<GroupTest> {
    let groups: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    if groups.len() < 2 {
        return None;
    }
    let all: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let n = all.len() as f64;
    let (ranks, ties) = average_ranks(&all);
    let mut offset = 0;
    let mut sum = 0.0;
    for g in &groups {
        let r: f64 = ranks[offset..offset + g.len()].iter().sum();
        sum += r * r / g.len() as f64;
        offset += g.len();
    }
    let h = 12.0 / (n * (n + 1.0)) * sum - 3.0 * (n + 1.0);
    let correction = 1.0 - tie_sum(&ties) / (n * n * n - n);
    if correction <= 0.0 {
        return None;
    }
    let h = h / correction;
    Some(GroupTest {
        statistic: h,
        p_value: chi2_sf(h, (groups.len() - 1) as f64),
        effect_size: h / (n - 1.0),
        n: all.len(),
    })
}

/// Pearson's χ² on a contingency table, as `scipy.stats.chi2_contingency(observed)`: Yates'
/// continuity correction only when there is one degree of freedom. Cramér's V is computed from
/// the uncorrected χ² (as `scipy.stats.contingency.association(method="cramer")`). The
/// residuals are adjusted standardised residuals (o − e) / √(e·(1 − rᵢ/n)·(1 − cⱼ/n)).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiSquare {
    pub statistic: f64,
    pub p_value: f64,
    pub dof: usize,
    pub cramers_v: f64,
    pub n: u64,
    pub expected: Vec<Vec<f64>>,
    pub residuals: Vec<Vec<f64>>,
}

/// `None` when the table has fewer than two non-empty rows or columns.
pub fn chi_square(observed: &[Vec<u64>]) -> Option<ChiSquare> {
    // Empty rows and columns carry no information and would give zero expected counts.
    let rows: Vec<&Vec<u64>> = observed
        .iter()
        .filter(|r| r.iter().sum::<u64>() > 0)
        .collect();
    let width = rows.first().map_or(0, |r| r.len());
    let columns: Vec<usize> = (0..width)
        .filter(|&j| {
            rows.iter()
                .map(|r| r.get(j).copied().unwrap_or(0))
                .sum::<u64>()
                > 0
        })
        .collect();
    if rows.len() < 2 || columns.len() < 2 {
        return None;
    }
    let table: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|&j| r.get(j).copied().unwrap_or(0) as f64)
                .collect()
        })
        .collect();
    let row_sums: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let col_sums: Vec<f64> = (0..columns.len())
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let n: f64 = row_sums.iter().sum();
    let dof = (table.len() - 1) * (columns.len() - 1);
    let mut statistic = 0.0;
    let mut uncorrected = 0.0;
    let mut expected = Vec::with_capacity(table.len());
    let mut residuals = Vec::with_capacity(table.len());
    for (i, row) in table.iter().enumerate() {
        let mut e_row = Vec::with_capacity(row.len());
        let mut r_row = Vec::with_capacity(row.len());
        for (j, &o) in row.iter().enumerate() {
            let e = row_sums[i] * col_sums[j] / n;
            let diff = o - e;
            uncorrected += diff * diff / e;
            let corrected = if dof == 1 {
                (diff.abs() - 0.5).max(0.0)
            } else {
                diff.abs()
            };
            statistic += corrected * corrected / e;
            let scale = (e * (1.0 - row_sums[i] / n) * (1.0 - col_sums[j] / n)).sqrt();
            r_row.push(if scale > 0.0 { diff / scale } else { 0.0 });
            e_row.push(e);
        }
        expected.push(e_row);
        residuals.push(r_row);
    }
    let smaller = table.len().min(columns.len()) as f64;
    Some(ChiSquare {
        statistic,
        p_value: chi2_sf(statistic, dof as f64),
        dof,
        cramers_v: (uncorrected / (n * (smaller - 1.0))).sqrt(),
        n: n as u64,
        expected,
        residuals,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spearman {
    pub rho: f64,
    pub p_value: f64,
    pub n: usize,
}

/// Spearman's rank correlation of complete pairs, p from Student's t with n − 2 degrees of
/// freedom, as `scipy.stats.spearmanr`. `None` with fewer than three pairs or no spread.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Spearman> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let (rx, _) = average_ranks(&x[..n]);
    let (ry, _) = average_ranks(&y[..n]);
    let nf = n as f64;
    let mean = (nf + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (a, b) = (rx[i] - mean, ry[i] - mean);
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let rho = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let p = spearman_p(rho, nf);
    Some(Spearman { rho, p_value: p, n })
}

/// Two-sided p of Spearman's ρ from Student's t with n − 2 degrees of freedom.
pub fn spearman_p(rho: f64, n: f64) -> f64 {
    let dof = n - 2.0;
    if (1.0 - rho.abs()) < 1e-15 {
        return 0.0;
    }
    let t = rho * (dof / ((1.0 + rho) * (1.0 - rho))).sqrt();
    match StudentsT::new(0.0, 1.0, dof) {
        Ok(d) => (2.0 * d.sf(t.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
}

/// Benjamini–Hochberg q-values in the input order, as
/// `scipy.stats.false_discovery_control(p, method="bh")`.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut q = vec![0.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let candidate = p_values[i] * m as f64 / (rank + 1) as f64;
        running = running.min(candidate);
        q[i] = running.min(1.0);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Descriptives;
    use serde_json::Value;

    const FIXTURES: &str = include_str!("../../tests/fixtures/analysis.json");

    fn fixtures() -> Value {
        serde_json::from_str(FIXTURES).expect("fixture JSON")
    }

    fn numbers(v: &Value) -> Vec<f64> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|x| x.as_f64().expect("number"))
            .collect()
    }

    /// Agreement to at least 6 significant digits (absolute for values near zero).
    fn close(actual: f64, expected: f64, what: &str) {
        let tolerance = 1e-6 * expected.abs().max(1e-9);
        assert!(
            (actual - expected).abs() <= tolerance,
            "{what}: {actual} vs scipy {expected}"
        );
    }

    #[test]
    fn descriptives_agree_with_scipy() {
        for case in fixtures()["descriptives"].as_array().unwrap() {
            let d = Descriptives::of(&numbers(&case["values"]), 0, 10);
            close(d.mean.unwrap(), case["mean"].as_f64().unwrap(), "mean");
            close(d.sd.unwrap(), case["sd"].as_f64().unwrap(), "sd");
            close(
                d.median.unwrap(),
                case["median"].as_f64().unwrap(),
                "median",
            );
            match case["skewness"].as_f64() {
                Some(s) => close(d.skewness.unwrap(), s, "skewness"),
                None => assert_eq!(d.skewness, None),
            }
            match case["kurtosis"].as_f64() {
                Some(k) => close(d.kurtosis.unwrap(), k, "kurtosis"),
                None => assert_eq!(d.kurtosis, None),
            }
        }
    }

    #[test]
    fn mann_whitney_agrees_with_scipy() {
        for case in fixtures()["mann_whitney"].as_array().unwrap() {
            let r = mann_whitney_u(&numbers(&case["x"]), &numbers(&case["y"])).unwrap();
            close(r.statistic, case["u"].as_f64().unwrap(), "U");
            close(r.p_value, case["p"].as_f64().unwrap(), "p");
        }
        assert_eq!(mann_whitney_u(&[], &[1.0]), None);
        assert_eq!(mann_whitney_u(&[5.0, 5.0], &[5.0]), None);
    }

    #[test]
    fn kruskal_wallis_agrees_with_scipy() {
        for case in fixtures()["kruskal"].as_array().unwrap() {
            let groups: Vec<Vec<f64>> = case["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(numbers)
                .collect();
            let refs: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
            let r = kruskal_wallis(&refs).unwrap();
            close(r.statistic, case["h"].as_f64().unwrap(), "H");
            close(r.p_value, case["p"].as_f64().unwrap(), "p");
        }
        // A single (non-empty) group, or no spread at all, is no test.
        assert_eq!(kruskal_wallis(&[&[1.0, 2.0], &[]]), None);
        assert_eq!(kruskal_wallis(&[&[3.0, 3.0], &[3.0]]), None);
    }

    #[test]
    fn chi_square_agrees_with_scipy() {
        for case in fixtures()["chi_square"].as_array().unwrap() {
            let table: Vec<Vec<u64>> = case["table"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    r.as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c.as_u64().unwrap())
                        .collect()
                })
                .collect();
            let r = chi_square(&table).unwrap();
            close(r.statistic, case["chi2"].as_f64().unwrap(), "chi2");
            close(r.p_value, case["p"].as_f64().unwrap(), "p");
            assert_eq!(r.dof as u64, case["dof"].as_u64().unwrap());
            close(r.cramers_v, case["cramers_v"].as_f64().unwrap(), "V");
        }
        // Empty rows are dropped; one row left is no test.
        assert_eq!(chi_square(&[vec![3, 4], vec![0, 0]]), None);
    }

    #[test]
    fn spearman_agrees_with_scipy() {
        for case in fixtures()["spearman"].as_array().unwrap() {
            let r = spearman(&numbers(&case["x"]), &numbers(&case["y"])).unwrap();
            close(r.rho, case["rho"].as_f64().unwrap(), "rho");
            close(r.p_value, case["p"].as_f64().unwrap(), "p");
        }
        assert_eq!(spearman(&[1.0, 2.0], &[1.0, 2.0]), None);
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
    }

    #[test]
    fn benjamini_hochberg_agrees_with_scipy() {
        for case in fixtures()["bh"].as_array().unwrap() {
            let q = benjamini_hochberg(&numbers(&case["p"]));
            for (a, e) in q.iter().zip(numbers(&case["q"])) {
                close(*a, e, "q");
            }
        }
        assert!(benjamini_hochberg(&[]).is_empty());
    }
}
