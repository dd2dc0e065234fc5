//! Descriptive statistics of one slider's values (N/A answers are counted apart, never as a
//! value).

use serde::{Deserialize, Serialize};

/// Counts per equal-width bin over [`low`, `high`]; the last bin includes `high`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub low: f64,
    pub high: f64,
    pub counts: Vec<u64>,
}

impl Histogram {
    pub fn new(values: &[f64], bins: usize, low: f64, high: f64) -> Self {
        let bins = bins.max(1);
        let mut counts = vec![0u64; bins];
        let width = (high - low) / bins as f64;
        for &v in values {
            if !(low..=high).contains(&v) || width <= 0.0 {
                continue;
            }
            let i = (((v - low) / width) as usize).min(bins - 1);
            counts[i] += 1;
        }
        Self { low, high, counts }
    }
}

/// n, mean, standard deviation (n − 1), median, skewness and excess kurtosis (both with the
/// small-sample adjustment) and a histogram. Undefined figures (too few values, no spread) are
/// `None` rather than NaN, so that pages and JSON show them as missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Descriptives {
    pub n: usize,
    pub n_not_applicable: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub skewness: Option<f64>,
    pub kurtosis: Option<f64>,
    pub histogram: Histogram,
}

impl Descriptives {
    /// `values` are the answers given; `not_applicable` counts "weet ik niet / n.v.t.".
    /// The histogram runs over the slider scale, 0–100.
    pub fn of(values: &[f64], not_applicable: usize, bins: usize) -> Self {
        Self::of_range(values, not_applicable, bins, (0.0, 100.0))
    }

    /// As [`Descriptives::of`], with the histogram over `range` (for numbers other than
    /// sliders, such as a story's length in words).
    pub fn of_range(values: &[f64], not_applicable: usize, bins: usize, range: (f64, f64)) -> Self {
        let n = values.len();
        let histogram = Histogram::new(values, bins, range.0, range.1);
        if n == 0 {
            return Self {
                n,
                n_not_applicable: not_applicable,
                mean: None,
                sd: None,
                median: None,
                skewness: None,
                kurtosis: None,
                histogram,
            };
        }
        let nf = n as f64;
        let mean = values.iter().sum::<f64>() / nf;
        let moment = |k: i32| values.iter().map(|v| (v - mean).powi(k)).sum::<f64>() / nf;
        let (sd, skewness, kurtosis) = shape(n, mean, moment(2), moment(3), moment(4));
        Self {
            n,
            n_not_applicable: not_applicable,
            mean: Some(mean),
            sd,
            median: Some(median(values)),
            skewness,
            kurtosis,
            histogram,
        }
    }
}

/// Standard deviation (n − 1), skewness and excess kurtosis from the central moments
/// m2, m3, m4 (each Σ(x − mean)^k / n) of `n` values; undefined figures are `None`.
fn shape(
    n: usize,
    mean: f64,
    m2: f64,
    m3: f64,
    m4: f64,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    let nf = n as f64;
    let sd = (n > 1).then(|| (m2 * nf / (nf - 1.0)).sqrt());
    // No spread (within rounding): skewness and kurtosis are not defined.
    let spread = m2 > f64::EPSILON * mean.abs().max(1.0);
    // scipy.stats.skew(bias=False): G1 = sqrt(n(n−1))/(n−2) · m3/m2^1.5
    let skewness =
        (n > 2 && spread).then(|| (nf * (nf - 1.0)).sqrt() / (nf - 2.0) * m3 / m2.powf(1.5));
    // scipy.stats.kurtosis(fisher=True, bias=False):
    // G2 = ((n²−1)·m4/m2² − 3(n−1)²) / ((n−2)(n−3))
    let kurtosis = (n > 3 && spread).then(|| {
        ((nf * nf - 1.0) * m4 / (m2 * m2) - 3.0 * (nf - 1.0).powi(2)) / ((nf - 2.0) * (nf - 3.0))
    });
    (sd, skewness, kurtosis)
}

/// The middle value (mean of the two middle values for even n). `values` must not be empty.
/// Selection instead of a full sort: O(n), which matters for groups of 100,000 stories.
pub fn median(values: &[f64]) -> f64 {
    let mut work = values.to_vec();
    let mid = work.len() / 2;
    let (below, &mut upper, _) = work.select_nth_unstable_by(mid, f64::total_cmp);
    if values.len() % 2 == 1 {
        upper
    } else {
        let lower = below
            .iter()
            .copied()
            .max_by(f64::total_cmp)
            .unwrap_or(upper);
        (lower + upper) / 2.0
    }
}

/// The descriptives of slider answers given as counts per value: `counts[v]` answers had the
/// value `v` (0–100). The same figures as [`Descriptives::of`] on the listed values, in time
/// proportional to the number of values a slider can take instead of the number of answers.
pub fn of_counts(counts: &[u32], not_applicable: usize, bins: usize) -> Descriptives {
    let n: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let levels = || {
        counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(v, &c)| (v as f64, c as f64))
    };
    let mut histogram = Histogram::new(&[], bins, 0.0, 100.0);
    let width = 100.0 / histogram.counts.len() as f64;
    for (v, c) in levels() {
        if v <= 100.0 {
            let i = ((v / width) as usize).min(histogram.counts.len() - 1);
            histogram.counts[i] += c as u64;
        }
    }
    if n == 0 {
        return Descriptives {
            histogram,
            ..Descriptives::of(&[], not_applicable, bins)
        };
    }
    let nf = n as f64;
    let mean = levels().map(|(v, c)| v * c).sum::<f64>() / nf;
    let moment = |k: i32| levels().map(|(v, c)| c * (v - mean).powi(k)).sum::<f64>() / nf;
    let (sd, skewness, kurtosis) = shape(n as usize, mean, moment(2), moment(3), moment(4));
    // The k-th smallest value (0-based) by walking the counts.
    let nth = |k: u64| {
        let mut seen = 0u64;
        for (v, &c) in counts.iter().enumerate() {
            seen += u64::from(c);
            if seen > k {
                return v as f64;
            }
        }
        0.0
    };
    let median = if n % 2 == 1 {
        nth(n / 2)
    } else {
        (nth(n / 2 - 1) + nth(n / 2)) / 2.0
    };
    Descriptives {
        n: n as usize,
        n_not_applicable: not_applicable,
        mean: Some(mean),
        sd,
        median: Some(median),
        skewness,
        kurtosis,
        histogram,
    }
}

/// The 95 % Wilson score interval of a proportion of `hits` in `n` (scipy's and statsmodels'
/// `method="wilson"`): unlike the normal approximation it stays within 0–1 and is not empty
/// at 0 or `n` hits. `(0, 1)` for an empty sample.
pub fn wilson_interval(hits: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    // The normal quantile for 97.5 %, as statsmodels computes it.
    const Z: f64 = 1.959_963_984_540_054;
    let (n, p) = (n as f64, hits.min(n) as f64 / n as f64);
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_agree_with_statsmodels() {
        let fixtures: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/analysis.json"))
                .expect("fixture JSON");
        let cases = fixtures["wilson"].as_array().expect("wilson cases");
        assert!(cases.len() >= 8);
        for case in cases {
            let number = |key: &str| case[key].as_f64().expect("number");
            let (low, high) = wilson_interval(number("hits") as u64, number("n") as u64);
            for (actual, expected) in [(low, number("low")), (high, number("high"))] {
                assert!(
                    (actual - expected).abs() <= 1e-9,
                    "{case}: {actual} against {expected}"
                );
            }
        }
        assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
    }

    #[test]
    fn empty_and_constant_data_have_no_shape() {
        let d = Descriptives::of(&[], 3, 10);
        assert_eq!((d.n, d.n_not_applicable, d.mean), (0, 3, None));
        let d = Descriptives::of(&[50.0; 6], 0, 10);
        assert_eq!(d.mean, Some(50.0));
        assert_eq!(d.sd, Some(0.0));
        assert_eq!(d.skewness, None);
        assert_eq!(d.kurtosis, None);
        assert_eq!(d.histogram.counts[5], 6);
        let one = Descriptives::of(&[7.0], 0, 10);
        assert_eq!((one.sd, one.median), (None, Some(7.0)));
    }

    #[test]
    fn counts_give_the_same_figures_as_the_values() {
        let samples: [&[u32]; 5] = [
            &[3, 17, 17, 50, 99, 100, 100, 2],
            &[40],
            &[40, 60],
            &[0, 0, 0, 100],
            &[5, 5, 5, 5, 5, 7, 8, 9, 12, 13, 55, 70, 71, 71, 71, 88],
        ];
        for sample in samples {
            let mut counts = [0u32; 101];
            for &v in sample {
                counts[v as usize] += 1;
            }
            let values: Vec<f64> = sample.iter().map(|&v| f64::from(v)).collect();
            let (a, b) = (of_counts(&counts, 2, 10), Descriptives::of(&values, 2, 10));
            assert_eq!(a.n, b.n);
            assert_eq!(a.median, b.median, "{sample:?}");
            assert_eq!(a.histogram, b.histogram);
            let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
                (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                (x, y) => x == y,
            };
            for (x, y) in [
                (a.mean, b.mean),
                (a.sd, b.sd),
                (a.skewness, b.skewness),
                (a.kurtosis, b.kurtosis),
            ] {
                assert!(close(x, y), "{sample:?}: {x:?} vs {y:?}");
            }
        }
        let none = of_counts(&[0; 101], 4, 10);
        assert_eq!((none.n, none.n_not_applicable, none.mean), (0, 4, None));
    }

    #[test]
    fn the_median_of_an_even_number_of_values_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[9.0, 1.0, 5.0]), 5.0);
        assert_eq!(median(&[7.0]), 7.0);
    }

    #[test]
    fn histogram_puts_the_top_value_in_the_last_bin() {
        let h = Histogram::new(&[0.0, 9.99, 10.0, 100.0, 150.0], 10, 0.0, 100.0);
        assert_eq!(h.counts, vec![2, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    }
}
