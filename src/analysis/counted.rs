//! Rank tests on slider answers by counting instead of sorting.
//!
//! Slider answers are whole numbers 0–100, so the ranks of any subset follow from 101 counts:
//! a value's average rank is the number of smaller values plus half its own tie group. That
//! makes each test O(n) instead of O(n log n) — what lets a full scan of 100,000 stories with
//! thousands of tests stay under a second. The results equal the slice-based functions in
//! `hypothesis` (tested below), which in turn equal scipy.

use super::hypothesis::GroupTest;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

pub const LEVELS: usize = 101;

/// Counts of each slider value 0..=100 within one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts(pub [u32; LEVELS]);

impl Default for Counts {
    fn default() -> Self {
        Counts([0; LEVELS])
    }
}

impl Counts {
    pub fn add(&mut self, value: u8) {
        self.0[usize::from(value.min(100))] += 1;
    }

    pub fn n(&self) -> u64 {
        self.0.iter().map(|&c| u64::from(c)).sum()
    }

    pub fn mean(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| {
            self.0
                .iter()
                .enumerate()
                .map(|(v, &c)| v as f64 * f64::from(c))
                .sum::<f64>()
                / n as f64
        })
    }
}

/// Average rank of each value in the union of `groups`, and Σ(t³ − t) over the ties.
fn ranks_of(groups: &[&Counts]) -> ([f64; LEVELS], f64, f64) {
    let mut ranks = [0.0; LEVELS];
    let mut below = 0.0;
    let mut ties = 0.0;
    for (v, rank) in ranks.iter_mut().enumerate() {
        let t: f64 = groups.iter().map(|g| f64::from(g.0[v])).sum();
        *rank = below + (t + 1.0) / 2.0;
        ties += t * t * t - t;
        below += t;
    }
    (ranks, below, ties)
}

fn rank_sum(group: &Counts, ranks: &[f64; LEVELS]) -> f64 {
    group
        .0
        .iter()
        .zip(ranks)
        .map(|(&c, r)| f64::from(c) * r)
        .sum()
}

/// Kruskal–Wallis over groups given as counts (empty groups ignored).
pub fn kruskal_wallis(groups: &[&Counts]) -> Option<GroupTest> {
    let groups: Vec<&Counts> = groups.iter().copied().filter(|g| g.n() > 0).collect();
    if groups.len() < 2 {
        return None;
    }
    let (ranks, n, ties) = ranks_of(&groups);
    let sum: f64 = groups
        .iter()
        .map(|g| {
            let r = rank_sum(g, &ranks);
            r * r / g.n() as f64
        })
        .sum();
    let h = 12.0 / (n * (n + 1.0)) * sum - 3.0 * (n + 1.0);
    let correction = 1.0 - ties / (n * n * n - n);
    if correction <= 0.0 {
        return None;
    }
    let h = h / correction;
    let p = ChiSquared::new((groups.len() - 1) as f64)
        .map(|d| d.sf(h.max(0.0)))
        .unwrap_or(f64::NAN);
    Some(GroupTest {
        statistic: h,
        p_value: p,
        effect_size: h / (n - 1.0),
        n: n as usize,
    })
}

/// The interaction of a two-way layout of slider answers, tested on ranks: the
/// Scheirer–Ray–Hare extension of Kruskal–Wallis (Scheirer, Ray & Hare 1976, *Biometrics* 32,
/// 429–434), with the interaction's sum of squares taken as Type II for unbalanced cells.
///
/// `cells` are (row, column, answers). All answers are ranked together (mid-ranks). The
/// interaction sum of squares is what the cell means of the ranks deviate from the best
/// additive fit (row effect + column effect, fitted by weighted least squares); H is that sum
/// divided by the ranks' total mean square, χ²-distributed with (cells − rows − columns +
/// components) degrees of freedom under no interaction. The effect size is chance-corrected,
/// (H − df) / (N − 1), so that more cells do not mean more strength by chance alone.
/// `None` when the layout leaves no interaction to estimate or the answers do not vary.
pub fn rank_interaction(cells: &[(usize, usize, &Counts)]) -> Option<Interaction> {
    let cells: Vec<(usize, usize, &Counts)> = cells
        .iter()
        .copied()
        .filter(|(_, _, c)| c.n() > 0)
        .collect();
    let groups: Vec<&Counts> = cells.iter().map(|(_, _, c)| *c).collect();
    let (ranks, n, ties) = ranks_of(&groups);
    let total_ss = ((n * n * n - n) - ties) / 12.0;
    if n < 2.0 || total_ss <= 0.0 {
        return None;
    }
    let rows = cells.iter().map(|c| c.0).max()? + 1;
    let cols = cells.iter().map(|c| c.1).max()? + 1;
    let sizes: Vec<f64> = cells.iter().map(|(_, _, c)| c.n() as f64).collect();
    let means: Vec<f64> = cells
        .iter()
        .zip(&sizes)
        .map(|((_, _, c), size)| rank_sum(c, &ranks) / size)
        .collect();

    // The additive fit by backfitting: each step is the exact weighted least-squares update
    // of one factor given the other, so the fit converges to the least-squares solution.
    let (mut a, mut b) = (vec![0.0; rows], vec![0.0; cols]);
    let layout: Vec<(usize, usize, f64, f64)> = cells
        .iter()
        .zip(sizes.iter().zip(&means))
        .map(|(&(r, c, _), (&size, &mean))| (r, c, size, mean))
        .collect();
    for _ in 0..10_000 {
        let change = refit(&mut a, &b, &layout, |&(r, c, _, _)| (r, c)).max(refit(
            &mut b,
            &a,
            &layout,
            |&(r, c, _, _)| (c, r),
        ));
        if change < 1e-12 * n {
            break;
        }
    }
    let interaction_ss: f64 = cells
        .iter()
        .enumerate()
        .map(|(i, &(r, c, _))| sizes[i] * (means[i] - a[r] - b[c]).powi(2))
        .sum();

    let used_rows = cells
        .iter()
        .map(|c| c.0)
        .collect::<std::collections::BTreeSet<_>>();
    let used_cols = cells
        .iter()
        .map(|c| c.1)
        .collect::<std::collections::BTreeSet<_>>();
    let parts = components(&cells, rows, cols);
    let df = cells.len() as i64 - used_rows.len() as i64 - used_cols.len() as i64 + parts as i64;
    if df < 1 {
        return None;
    }
    let df = df as f64;
    let h = interaction_ss / (total_ss / (n - 1.0));
    let p = ChiSquared::new(df)
        .map(|d| d.sf(h.max(0.0)))
        .unwrap_or(f64::NAN);
    Some(Interaction {
        statistic: h,
        df,
        p_value: p,
        effect_size: ((h - df) / (n - 1.0)).max(0.0),
        n: n as usize,
    })
}

/// One backfitting step: each level of one factor gets the weighted mean of its cells' means
/// minus the other factor's effects. `pick` gives (own level, other level) of a cell.
/// Returns the largest change.
fn refit(
    effects: &mut [f64],
    other: &[f64],
    layout: &[(usize, usize, f64, f64)],
    pick: impl Fn(&(usize, usize, f64, f64)) -> (usize, usize),
) -> f64 {
    let mut sum = vec![0.0; effects.len()];
    let mut weight = vec![0.0; effects.len()];
    for cell in layout {
        let (own, rest) = pick(cell);
        sum[own] += cell.2 * (cell.3 - other[rest]);
        weight[own] += cell.2;
    }
    let mut change: f64 = 0.0;
    for (k, e) in effects.iter_mut().enumerate() {
        if weight[k] > 0.0 {
            let next = sum[k] / weight[k];
            change = change.max((next - *e).abs());
            *e = next;
        }
    }
    change
}

/// The rank interaction test's result; see [`rank_interaction`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interaction {
    /// H of the interaction (Scheirer–Ray–Hare).
    pub statistic: f64,
    pub df: f64,
    pub p_value: f64,
    /// Chance-corrected ε² of the interaction: (H − df) / (N − 1), at least 0.
    pub effect_size: f64,
    pub n: usize,
}

/// Connected parts of the layout (rows and columns joined by a non-empty cell): each part has
/// its own level, which the additive fit spends a degree of freedom on.
fn components(cells: &[(usize, usize, &Counts)], rows: usize, cols: usize) -> usize {
    let mut parent: Vec<usize> = (0..rows + cols).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(r, c, _) in cells {
        let (x, y) = (root(&mut parent, r), root(&mut parent, rows + c));
        parent[x] = y;
    }
    let used: std::collections::BTreeSet<usize> =
        cells.iter().flat_map(|&(r, c, _)| [r, rows + c]).collect();
    used.into_iter()
        .map(|x| root(&mut parent, x))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// Mann–Whitney U of `x` against `y`, given as counts.
pub fn mann_whitney_u(x: &Counts, y: &Counts) -> Option<GroupTest> {
    let (n1, n2) = (x.n() as f64, y.n() as f64);
    if n1 == 0.0 || n2 == 0.0 {
        return None;
    }
    let (ranks, n, ties) = ranks_of(&[x, y]);
    let u1 = rank_sum(x, &ranks) - n1 * (n1 + 1.0) / 2.0;
    let u2 = n1 * n2 - u1;
    let variance = n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
    if variance <= 0.0 {
        return None;
    }
    let z = (u1.max(u2) - n1 * n2 / 2.0 - 0.5) / variance.sqrt();
    Some(GroupTest {
        statistic: u1,
        p_value: (2.0 * Normal::standard().sf(z)).min(1.0),
        effect_size: 2.0 * u1 / (n1 * n2) - 1.0,
        n: n as usize,
    })
}

/// Spearman's ρ of paired slider answers by counting: each value's average rank follows from
/// the 101 counts of its own variable, then ρ is Pearson's r of the ranks. Same result and
/// p-value as `hypothesis::spearman`, in O(n).
pub fn spearman(x: &[u8], y: &[u8]) -> Option<super::hypothesis::Spearman> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let rank_table = |values: &[u8]| {
        let mut counts = Counts::default();
        for &v in values {
            counts.add(v);
        }
        ranks_of(&[&counts]).0
    };
    let (rx, ry) = (rank_table(&x[..n]), rank_table(&y[..n]));
    let nf = n as f64;
    let mean = (nf + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x[..n].iter().zip(&y[..n]) {
        let (a, b) = (
            rx[usize::from(a.min(100))] - mean,
            ry[usize::from(b.min(100))] - mean,
        );
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    let rho = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    Some(super::hypothesis::Spearman {
        rho,
        p_value: super::hypothesis::spearman_p(rho, nf),
        n,
    })
}

/// z-score of a group's mean rank against the mean rank of all (Dunn's statistic without the
/// tie term): which cells of a three-way pattern deviate, and in which direction.
pub fn mean_rank_z(group: &Counts, all: &[&Counts]) -> Option<f64> {
    let (ranks, n, _) = ranks_of(all);
    let ni = group.n() as f64;
    if ni == 0.0 || n < 2.0 {
        return None;
    }
    let mean_rank = rank_sum(group, &ranks) / ni;
    let expected = (n + 1.0) / 2.0;
    let sd = ((n * n - 1.0) / 12.0 / ni).sqrt();
    Some((mean_rank - expected) / sd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::hypothesis;
    use std::collections::BTreeMap;

    fn counts(values: &[f64]) -> Counts {
        let mut c = Counts::default();
        for &v in values {
            c.add(v as u8);
        }
        c
    }

    /// Pseudo-random slider values (a fixed LCG: the test needs no crate and never changes).
    fn sliders(seed: u64, n: usize, shift: u64) -> Vec<f64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (((state >> 33) % 61) + shift) as f64
            })
            .collect()
    }

    #[test]
    fn counting_equals_sorting() {
        let a = sliders(1, 120, 0);
        let b = sliders(2, 80, 10);
        let c = sliders(3, 95, 30);
        let sorted = hypothesis::kruskal_wallis(&[&a, &b, &c]).unwrap();
        let counted = kruskal_wallis(&[&counts(&a), &counts(&b), &counts(&c)]).unwrap();
        assert!((sorted.statistic - counted.statistic).abs() < 1e-9 * sorted.statistic);
        assert!((sorted.p_value - counted.p_value).abs() <= 1e-12 + 1e-9 * sorted.p_value);
        let sorted = hypothesis::mann_whitney_u(&a, &b).unwrap();
        let counted = mann_whitney_u(&counts(&a), &counts(&b)).unwrap();
        assert!((sorted.statistic - counted.statistic).abs() < 1e-9);
        assert!((sorted.p_value - counted.p_value).abs() <= 1e-12 + 1e-9 * sorted.p_value);
        assert!((sorted.effect_size - counted.effect_size).abs() < 1e-12);
    }

    #[test]
    fn counted_spearman_equals_sorted_spearman() {
        let x = sliders(6, 300, 0);
        let y: Vec<f64> = x
            .iter()
            .zip(sliders(7, 300, 0))
            .map(|(a, b)| ((a + b) / 2.0).round())
            .collect();
        let sorted = hypothesis::spearman(&x, &y).unwrap();
        let as_u8 = |v: &[f64]| v.iter().map(|&f| f as u8).collect::<Vec<_>>();
        let counted = spearman(&as_u8(&x), &as_u8(&y)).unwrap();
        assert!((sorted.rho - counted.rho).abs() < 1e-12);
        assert!((sorted.p_value - counted.p_value).abs() <= 1e-12 + 1e-9 * sorted.p_value);
        assert_eq!(spearman(&[1, 1, 1], &[1, 2, 3]), None);
    }

    #[test]
    fn rank_interaction_equals_statsmodels() {
        #[derive(serde::Deserialize)]
        struct Case {
            name: String,
            cells: Vec<(usize, usize, f64)>,
            h: f64,
            df: f64,
            p: f64,
        }
        #[derive(serde::Deserialize)]
        struct Fixtures {
            rank_interaction: Vec<Case>,
        }
        let fixtures: Fixtures =
            serde_json::from_str(include_str!("../../tests/fixtures/interaction.json"))
                .expect("fixtures");
        assert_eq!(fixtures.rank_interaction.len(), 4);
        for case in fixtures.rank_interaction {
            let mut layout: BTreeMap<(usize, usize), Counts> = BTreeMap::new();
            for (r, c, v) in &case.cells {
                layout.entry((*r, *c)).or_default().add(*v as u8);
            }
            let cells: Vec<(usize, usize, &Counts)> = layout
                .iter()
                .map(|(&(r, c), counts)| (r, c, counts))
                .collect();
            let got = rank_interaction(&cells).expect(&case.name);
            assert!(
                (got.statistic - case.h).abs() < 1e-6,
                "{}: H {} vs {}",
                case.name,
                got.statistic,
                case.h
            );
            assert_eq!(got.df, case.df, "{}", case.name);
            assert!(
                (got.p_value - case.p).abs() < 1e-6,
                "{}: p {} vs {}",
                case.name,
                got.p_value,
                case.p
            );
            assert_eq!(got.n, case.cells.len());
        }
    }

    #[test]
    fn an_interaction_needs_a_layout_that_leaves_room_for_it() {
        let mut x = Counts::default();
        let mut y = Counts::default();
        for v in [10, 20, 30] {
            x.add(v);
            y.add(v + 40);
        }
        // One row: the column effect explains everything, nothing is left to test.
        assert!(rank_interaction(&[(0, 0, &x), (0, 1, &y)]).is_none());
        // Three cells of a 2 × 2 layout: still no degree of freedom for the interaction.
        assert!(rank_interaction(&[(0, 0, &x), (0, 1, &y), (1, 0, &y)]).is_none());
        // Two separate blocks each fit on their own: no interaction either.
        assert!(rank_interaction(&[(0, 0, &x), (1, 1, &y)]).is_none());
    }

    #[test]
    fn degenerate_groups_are_no_test() {
        assert_eq!(kruskal_wallis(&[&counts(&[5.0, 6.0])]), None);
        assert_eq!(mann_whitney_u(&counts(&[]), &counts(&[1.0])), None);
        assert_eq!(mann_whitney_u(&counts(&[4.0, 4.0]), &counts(&[4.0])), None);
    }

    #[test]
    fn a_high_group_has_a_positive_mean_rank_z() {
        let low = counts(&sliders(4, 50, 0));
        let high = counts(&sliders(5, 50, 40));
        assert!(mean_rank_z(&high, &[&low, &high]).unwrap() > 3.0);
        assert!(mean_rank_z(&low, &[&low, &high]).unwrap() < -3.0);
        assert_eq!(counts(&[1.0, 3.0]).mean(), Some(2.0));
    }
}
