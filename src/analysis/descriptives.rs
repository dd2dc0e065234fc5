//! Descriptive statistics of one slider's values (N/A answers are counted apart, never as a
//! value).

use serde::Serialize;

/// Counts per equal-width bin over [`low`, `high`]; the last bin includes `high`.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    pub fn of(values: &[f64], not_applicable: usize, bins: usize) -> Self {
        let n = values.len();
        let histogram = Histogram::new(values, bins, 0.0, 100.0);
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
        let (m2, m3, m4) = (moment(2), moment(3), moment(4));
        let sd = (n > 1).then(|| (m2 * nf / (nf - 1.0)).sqrt());
        // scipy.stats.skew(bias=False): G1 = sqrt(n(n−1))/(n−2) · m3/m2^1.5
        let spread = m2 > f64::EPSILON * mean.abs().max(1.0);
        let skewness =
            (n > 2 && spread).then(|| (nf * (nf - 1.0)).sqrt() / (nf - 2.0) * m3 / m2.powf(1.5));
        // scipy.stats.kurtosis(fisher=True, bias=False):
        // G2 = ((n²−1)·m4/m2² − 3(n−1)²) / ((n−2)(n−3))
        let kurtosis = (n > 3 && spread).then(|| {
            ((nf * nf - 1.0) * m4 / (m2 * m2) - 3.0 * (nf - 1.0).powi(2))
                / ((nf - 2.0) * (nf - 3.0))
        });
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

/// The middle value (mean of the two middle values for even n). `values` must not be empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn histogram_puts_the_top_value_in_the_last_bin() {
        let h = Histogram::new(&[0.0, 9.99, 10.0, 100.0, 150.0], 10, 0.0, 100.0);
        assert_eq!(h.counts, vec![2, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    }
}
