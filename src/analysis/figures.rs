//! The numbers behind the charts of the pattern evaluation: five-number summaries per group,
//! contingency tables and two-dimensional densities. Pure data, no drawing: the SVG is made in
//! `web::views::charts`.
//!
//! As everywhere in the engine, `None` is no answer or "niet van toepassing" and never a
//! value; non-finite numbers are left out as well.

use super::dataset::{Codes, OptionLabel, Variable};
use serde::{Deserialize, Serialize};

/// n, minimum, quartiles, maximum and mean of a set of numbers.
///
/// Quartiles follow numpy's default `np.percentile(values, [25, 50, 75])` (method `"linear"`):
/// the value at position (n − 1)·p of the sorted values, interpolated linearly between its
/// neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FiveNumbers {
    pub n: usize,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    pub mean: f64,
}

/// The five numbers (and mean) of `values`; non-finite values are skipped. `None` when no
/// finite value is left.
pub fn five_numbers(values: &[f64]) -> Option<FiveNumbers> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    Some(FiveNumbers {
        n,
        min: sorted[0],
        q1: percentile(&sorted, 0.25),
        median: percentile(&sorted, 0.5),
        q3: percentile(&sorted, 0.75),
        max: sorted[n - 1],
        mean: sorted.iter().sum::<f64>() / n as f64,
    })
}

/// numpy's "linear" percentile of sorted, non-empty values; `p` in 0..=1.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let last = sorted.len().saturating_sub(1);
    let position = last as f64 * p;
    let below = (position.floor() as usize).min(last);
    let above = (below + 1).min(last);
    let fraction = position - below as f64;
    sorted[below] + fraction * (sorted[above] - sorted[below])
}

/// One group of a numeric question: the stories with one option of a choice question, or with
/// one combination of options of two choice questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupBox {
    /// The option key of the first choice question, followed by that of the second if any.
    pub options: Vec<String>,
    /// The option's label, or both labels joined as "A · B".
    pub label: String,
    pub five: FiveNumbers,
}

/// The five numbers of `number` per option of `first`, or per cell of `first` × `second`,
/// over the stories where all questions involved are answered.
///
/// Groups with fewer than `min_group` stories (and empty groups) are left out. Groups come in
/// the order of the options; cells row by row (all cells of the first option of `first`,
/// then the second…). Empty when `number` is not numeric or `first`/`second` is not a choice
/// question.
pub fn group_boxes(
    number: &Variable,
    first: &Variable,
    second: Option<&Variable>,
    min_group: usize,
) -> Vec<GroupBox> {
    group_lists(number, first, second)
        .into_iter()
        .filter(|(_, _, list)| list.len() >= min_group)
        .filter_map(|(options, label, list)| {
            Some(GroupBox {
                options,
                label,
                five: five_numbers(&list)?,
            })
        })
        .collect()
}

/// The values of `number` per option of `first`, or per cell of `first` × `second` (row by
/// row), over the stories where all questions involved are answered: (option keys, label,
/// values). Labels of cells are "A · B". Empty when `number` is not numeric or
/// `first`/`second` is not a choice question.
#[allow(clippy::type_complexity)]
fn group_lists(
    number: &Variable,
    first: &Variable,
    second: Option<&Variable>,
) -> Vec<(Vec<String>, String, Vec<f64>)> {
    if !number.is_numeric() {
        return Vec::new();
    }
    let Some((options1, answers1)) = choice_parts(first) else {
        return Vec::new();
    };
    let (options2, answers2) = match second.map(choice_parts) {
        None => (&[][..], None),
        Some(Some((options, answers))) => (options, Some(answers)),
        Some(None) => return Vec::new(),
    };
    let width = if answers2.is_some() {
        options2.len()
    } else {
        1
    };
    let mut lists: Vec<Vec<f64>> = vec![Vec::new(); options1.len() * width];
    for (story, answer) in answers1.iter().enumerate() {
        let Some(i) = option_index(answer, options1.len()) else {
            continue;
        };
        let j = match answers2 {
            None => 0,
            Some(answers2) => match option_index(answers2.get(story), width) {
                Some(j) => j,
                None => continue,
            },
        };
        if let Some(v) = number.number(story).filter(|v| v.is_finite()) {
            lists[i * width + j].push(v);
        }
    }
    lists
        .into_iter()
        .enumerate()
        .map(|(cell, list)| {
            let o1 = &options1[cell / width];
            if answers2.is_some() {
                let o2 = &options2[cell % width];
                (
                    vec![o1.key.clone(), o2.key.clone()],
                    format!("{} · {}", o1.label, o2.label),
                    list,
                )
            } else {
                (vec![o1.key.clone()], o1.label.clone(), list)
            }
        })
        .collect()
}

/// How the answers of one group to a slider spread over equal bands of its 0–100 scale, from
/// the left pole to the right: the distribution a card shows per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupBands {
    /// The option's key, or the keys of a cell joined by "+" (as the scan names its groups).
    pub option: String,
    /// The option's label, or both labels joined as "A · B".
    pub label: String,
    /// Stories per band, lowest band first. Band edges as in [`density`]: equal bands over
    /// 0–100, the last one including 100.
    pub counts: Vec<u64>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
}

impl GroupBands {
    /// Stories in the group.
    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Several groups as one, e.g. the small groups a card cannot show one by one: their
    /// counts added, the mean weighted by group size (when every group has one); no median,
    /// which cannot be found from the groups' own.
    pub fn merged(groups: &[GroupBands], option: &str, label: &str) -> GroupBands {
        let bands = groups.iter().map(|g| g.counts.len()).max().unwrap_or(0);
        let mut counts = vec![0u64; bands];
        for g in groups {
            for (total, c) in counts.iter_mut().zip(&g.counts) {
                *total += c;
            }
        }
        let n: u64 = groups.iter().map(GroupBands::n).sum();
        let weighted: Option<f64> = groups
            .iter()
            .map(|g| g.mean.map(|m| m * g.n() as f64))
            .sum();
        GroupBands {
            option: option.to_string(),
            label: label.to_string(),
            counts,
            mean: weighted.filter(|_| n > 0).map(|w| w / n as f64),
            median: None,
        }
    }
}

/// Counts of slider answers in `bands` equal bands over 0–100 (100 in the last band; values
/// outside 0–100 and non-finite values are left out). `bands` is at least 1.
pub fn slider_bands(values: &[f64], bands: usize) -> Vec<u64> {
    let bands = bands.max(1);
    let mut counts = vec![0u64; bands];
    for &v in values {
        if let Some(i) = bin(v, (0.0, 100.0), bands) {
            counts[i] += 1;
        }
    }
    counts
}

/// A histogram over 0–100 with a multiple of `bands` bins, as `bands` counts (neighbouring
/// bins added). `None` when the bins cannot be grouped so.
pub fn bands_of_histogram(counts: &[u64], bands: usize) -> Option<Vec<u64>> {
    if bands == 0 || counts.is_empty() || !counts.len().is_multiple_of(bands) {
        return None;
    }
    Some(
        counts
            .chunks(counts.len() / bands)
            .map(|c| c.iter().sum())
            .collect(),
    )
}

/// The bands of a slider per option of `first`, or per cell of `first` × `second` (option
/// keys joined by "+", labels "A · B", row by row), over the stories where all questions
/// involved are answered. Groups with fewer than `min_group` stories are left out. Empty when
/// `slider` is not a slider or `first`/`second` is not a choice question.
pub fn group_bands(
    slider: &Variable,
    first: &Variable,
    second: Option<&Variable>,
    min_group: usize,
    bands: usize,
) -> Vec<GroupBands> {
    if !matches!(slider, Variable::Slider { .. }) {
        return Vec::new();
    }
    group_lists(slider, first, second)
        .into_iter()
        .filter(|(_, _, list)| !list.is_empty() && list.len() >= min_group)
        .map(|(options, label, list)| {
            let five = five_numbers(&list);
            GroupBands {
                option: options.join("+"),
                label,
                counts: slider_bands(&list, bands),
                mean: five.map(|f| f.mean),
                median: five.map(|f| f.median),
            }
        })
        .collect()
}

/// Counts of stories per combination of answers to two choice questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crosstab {
    /// Options of the first question (rows).
    pub rows: Vec<OptionLabel>,
    /// Options of the second question (columns).
    pub columns: Vec<OptionLabel>,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u64>>,
}

impl Crosstab {
    /// Stories counted: those that answered both questions.
    pub fn n(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }
}

/// A [`Crosstab`] by its labels only, as an observation keeps it (it reads back from JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountTable {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u64>>,
}

impl From<&Crosstab> for CountTable {
    fn from(t: &Crosstab) -> Self {
        CountTable {
            rows: t.rows.iter().map(|o| o.label.clone()).collect(),
            columns: t.columns.iter().map(|o| o.label.clone()).collect(),
            counts: t.counts.clone(),
        }
    }
}

/// The contingency table of `a` (rows) × `b` (columns) over the stories that answered both.
/// Options nobody chose (among those stories) are dropped. `None` when either is not a choice
/// question or no story answered both.
pub fn crosstab(a: &Variable, b: &Variable) -> Option<Crosstab> {
    let (rows, row_answers) = choice_parts(a)?;
    let (columns, column_answers) = choice_parts(b)?;
    let mut table = vec![vec![0u64; columns.len()]; rows.len()];
    for (r, c) in row_answers.iter().zip(column_answers) {
        if let (Some(r), Some(c)) = (option_index(r, rows.len()), option_index(c, columns.len())) {
            table[r][c] += 1;
        }
    }
    let kept_rows: Vec<usize> = (0..rows.len())
        .filter(|&i| table[i].iter().sum::<u64>() > 0)
        .collect();
    let kept_columns: Vec<usize> = (0..columns.len())
        .filter(|&j| table.iter().map(|row| row[j]).sum::<u64>() > 0)
        .collect();
    if kept_rows.is_empty() {
        return None;
    }
    Some(Crosstab {
        rows: kept_rows.iter().map(|&i| rows[i].clone()).collect(),
        columns: kept_columns.iter().map(|&j| columns[j].clone()).collect(),
        counts: kept_rows
            .iter()
            .map(|&i| kept_columns.iter().map(|&j| table[i][j]).collect())
            .collect(),
    })
}

/// Stories per cell of a `bins` × `bins` grid over two numeric questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Density {
    pub bins: usize,
    /// `counts[y_bin][x_bin]`, y bins from low to high (so the first row is the bottom row of
    /// a chart).
    pub counts: Vec<Vec<u64>>,
    /// Stories counted: those with both numbers.
    pub n: u64,
    /// (low, high) of the x axis; bins are equally wide and the last one includes `high`.
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
}

impl Density {
    /// The largest count of a cell (0 for an empty grid).
    pub fn max(&self) -> u64 {
        self.counts.iter().flatten().copied().max().unwrap_or(0)
    }

    /// The same stories in a coarser grid of `bins` × `bins` cells, when the grid's bins
    /// divide into it (10 → 5: each new cell adds up 2 × 2 old ones); else the grid itself.
    pub fn coarsened(&self, bins: usize) -> Density {
        let rows = self.counts.len();
        let square = rows == self.bins && self.counts.iter().all(|r| r.len() == self.bins);
        if bins == 0 || bins >= self.bins || !self.bins.is_multiple_of(bins) || !square {
            return self.clone();
        }
        let factor = self.bins / bins;
        let mut counts = vec![vec![0u64; bins]; bins];
        for (r, row) in self.counts.iter().enumerate() {
            for (c, &n) in row.iter().enumerate() {
                counts[r / factor][c / factor] += n;
            }
        }
        Density {
            bins,
            counts,
            ..self.clone()
        }
    }
}

/// The joint distribution of two numeric questions over the stories that answered both.
///
/// Sliders are binned over 0–100 (100 falls in the last bin; values above 100 are not slider
/// answers and are skipped); other numbers over their minimum–maximum among those stories (a
/// single value v becomes the range v − 0.5 … v + 0.5). `bins` is at least 1. `None` when either
/// variable is a choice question or no story has both numbers.
pub fn density(x: &Variable, y: &Variable, bins: usize) -> Option<Density> {
    if !x.is_numeric() || !y.is_numeric() {
        return None;
    }
    let bins = bins.max(1);
    let stories = length(x).max(length(y));
    let pairs: Vec<(f64, f64)> = (0..stories)
        .filter_map(|story| Some((x.number(story)?, y.number(story)?)))
        .filter(|(u, v)| u.is_finite() && v.is_finite())
        .collect();
    let x_range = range(x, pairs.iter().map(|p| p.0))?;
    let y_range = range(y, pairs.iter().map(|p| p.1))?;
    let mut counts = vec![vec![0u64; bins]; bins];
    let mut n = 0;
    for (u, v) in pairs {
        if let (Some(col), Some(row)) = (bin(u, x_range, bins), bin(v, y_range, bins)) {
            counts[row][col] += 1;
            n += 1;
        }
    }
    (n > 0).then_some(Density {
        bins,
        counts,
        n,
        x_range,
        y_range,
    })
}

fn length(v: &Variable) -> usize {
    match v {
        Variable::Slider { values, .. } => values.len(),
        Variable::Numeric { values, .. } => values.len(),
        Variable::Choice { values, .. } => values.len(),
    }
}

/// The binning range of one axis: 0–100 for sliders, min–max of `values` otherwise.
fn range(v: &Variable, values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    if matches!(v, Variable::Slider { .. }) {
        return Some((0.0, 100.0));
    }
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    if low > high {
        None
    } else if low == high {
        Some((low - 0.5, high + 0.5))
    } else {
        Some((low, high))
    }
}

/// The bin of `v` in `bins` equal bins over `range`; the last bin includes the top.
fn bin(v: f64, (low, high): (f64, f64), bins: usize) -> Option<usize> {
    if !(low..=high).contains(&v) || high <= low {
        return None;
    }
    let i = ((v - low) * bins as f64 / (high - low)).floor() as usize;
    Some(i.min(bins - 1))
}

fn choice_parts(v: &Variable) -> Option<(&[OptionLabel], &Codes)> {
    match v {
        Variable::Choice {
            options, values, ..
        } => Some((options, values)),
        _ => None,
    }
}

/// The answer as an index into `options`, if it is one.
fn option_index(answer: Option<u16>, options: usize) -> Option<usize> {
    answer.map(usize::from).filter(|&i| i < options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    fn check(values: &[f64], expected: [f64; 6]) {
        let f = five_numbers(values).unwrap_or_else(|| panic!("no figures for {values:?}"));
        let got = [f.min, f.q1, f.median, f.q3, f.max, f.mean];
        assert_eq!(f.n, values.len());
        for (g, e) in got.iter().zip(expected) {
            assert!(close(*g, e), "{values:?}: got {got:?}, numpy {expected:?}");
        }
    }

    #[test]
    fn five_numbers_equal_numpy() {
        // Reference values from numpy 2.4.6:
        //   a = np.array(values, dtype=float)
        //   a.min(), *np.percentile(a, [25, 50, 75]), a.max(), a.mean()
        // (np.percentile's default method is "linear").
        check(&[7.0, 1.0, 3.0, 9.0, 4.0], [1.0, 3.0, 4.0, 7.0, 9.0, 4.8]);
        // Ties.
        check(
            &[10.0, 20.0, 20.0, 20.0, 35.0, 90.0],
            [10.0, 20.0, 20.0, 31.25, 90.0, 32.5],
        );
        check(
            &[2.5, 100.0, 0.0, 33.0, 33.0, 33.0, 61.0, 8.0],
            [0.0, 6.625, 33.0, 40.0, 100.0, 33.8125],
        );
        check(&[42.0], [42.0, 42.0, 42.0, 42.0, 42.0, 42.0]);
        check(&[0.0, 100.0], [0.0, 25.0, 50.0, 75.0, 100.0, 50.0]);
        check(
            &[
                12.0, 88.0, 51.0, 51.0, 3.0, 77.0, 64.0, 19.0, 95.0, 40.0, 40.0,
            ],
            [3.0, 29.5, 51.0, 70.5, 95.0, 49.09090909090909],
        );
    }

    #[test]
    fn five_numbers_of_nothing_is_none() {
        assert_eq!(five_numbers(&[]), None);
        assert_eq!(five_numbers(&[f64::NAN, f64::INFINITY]), None);
        // Non-finite values are skipped, not counted.
        let f = five_numbers(&[f64::NAN, 4.0, 2.0]).unwrap_or_else(|| panic!("none"));
        assert_eq!(
            (f.n, f.min, f.median, f.max, f.mean),
            (2, 2.0, 3.0, 4.0, 3.0)
        );
    }

    fn options(prefix: &str, n: usize) -> Vec<OptionLabel> {
        (0..n)
            .map(|i| OptionLabel {
                key: format!("{prefix}{i}"),
                label: format!("{}{i}", prefix.to_uppercase()),
            })
            .collect()
    }

    fn choice(key: &str, n: usize, values: Vec<Option<u16>>) -> Variable {
        Variable::Choice {
            key: key.into(),
            label: key.to_uppercase(),
            options: options(key, n),
            values: values.into(),
        }
    }

    fn slider(values: Vec<Option<u8>>) -> Variable {
        Variable::Slider {
            key: "s".into(),
            label: "S".into(),
            left: "links".into(),
            right: "rechts".into(),
            values,
        }
    }

    #[test]
    fn group_boxes_per_option_skip_missing_answers() {
        let s = slider(vec![
            Some(10),
            Some(20),
            None,
            Some(80),
            Some(90),
            Some(70),
            Some(50),
        ]);
        let c = choice(
            "c",
            3,
            vec![Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None],
        );
        let boxes = group_boxes(&s, &c, None, 1);
        // Option 2 has no stories; the N/A slider answer of story 2 and the unanswered choice
        // of story 6 are not values.
        assert_eq!(boxes.len(), 2);
        assert_eq!(boxes[0].options, vec!["c0"]);
        assert_eq!(boxes[0].label, "C0");
        assert_eq!(boxes[0].five.n, 2);
        assert_eq!(boxes[0].five.median, 15.0);
        assert_eq!(boxes[1].five.n, 3);
        assert_eq!((boxes[1].five.min, boxes[1].five.max), (70.0, 90.0));
        // min_group leaves the group of two out.
        let boxes = group_boxes(&s, &c, None, 3);
        assert_eq!(boxes.len(), 1);
        assert_eq!(boxes[0].options, vec!["c1"]);
        // A choice question is not a number.
        assert!(group_boxes(&c, &c, None, 1).is_empty());
        assert!(group_boxes(&s, &s, None, 1).is_empty());
    }

    #[test]
    fn group_boxes_per_cell_come_row_by_row() {
        let s = slider(vec![Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]);
        let a = choice(
            "a",
            2,
            vec![Some(1), Some(0), Some(1), Some(0), Some(1), None],
        );
        let b = choice(
            "b",
            2,
            vec![Some(0), Some(1), Some(1), Some(1), Some(0), Some(0)],
        );
        let boxes = group_boxes(&s, &a, Some(&b), 1);
        let keys: Vec<Vec<String>> = boxes.iter().map(|b| b.options.clone()).collect();
        assert_eq!(
            keys,
            vec![
                vec!["a0".to_string(), "b1".to_string()],
                vec!["a1".to_string(), "b0".to_string()],
                vec!["a1".to_string(), "b1".to_string()],
            ]
        );
        assert_eq!(boxes[0].label, "A0 · B1");
        assert_eq!(boxes[0].five.n, 2);
        assert_eq!(boxes[1].five.n, 2);
        assert_eq!(boxes[1].five.mean, 3.0);
        assert_eq!(boxes[2].five.n, 1);
        assert_eq!(boxes[2].five.median, 3.0);
        // The second question must be a choice question too.
        assert!(group_boxes(&s, &a, Some(&s), 1).is_empty());
    }

    #[test]
    fn bands_split_a_slider_into_equal_parts_with_100_in_the_last() {
        assert_eq!(
            slider_bands(&[0.0, 19.9, 20.0, 59.0, 80.0, 100.0, 101.0, f64::NAN], 5),
            vec![2, 1, 1, 0, 2]
        );
        assert_eq!(slider_bands(&[50.0], 0), vec![1]);
        assert_eq!(
            bands_of_histogram(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5),
            Some(vec![3, 7, 11, 15, 19])
        );
        assert_eq!(bands_of_histogram(&[1, 2, 3], 5), None);
        assert_eq!(bands_of_histogram(&[], 5), None);
    }

    #[test]
    fn group_bands_per_option_and_per_cell() {
        let s = slider(vec![
            Some(10),
            Some(30),
            None,
            Some(90),
            Some(100),
            Some(70),
            Some(50),
        ]);
        let c = choice(
            "c",
            3,
            vec![Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None],
        );
        let bands = group_bands(&s, &c, None, 1, 5);
        assert_eq!(bands.len(), 2);
        assert_eq!(
            (bands[0].option.as_str(), bands[0].label.as_str()),
            ("c0", "C0")
        );
        assert_eq!(bands[0].counts, vec![1, 1, 0, 0, 0]);
        assert_eq!(
            (bands[0].n(), bands[0].mean, bands[0].median),
            (2, Some(20.0), Some(20.0))
        );
        assert_eq!(bands[1].counts, vec![0, 0, 0, 1, 2]);
        assert!(group_bands(&s, &c, None, 3, 5)
            .iter()
            .all(|b| b.option == "c1"));
        // Cells are named as the scan names them: both keys joined by "+".
        let d = choice(
            "d",
            2,
            vec![
                Some(0),
                Some(1),
                Some(0),
                Some(1),
                Some(1),
                Some(0),
                Some(0),
            ],
        );
        let cells = group_bands(&s, &c, Some(&d), 1, 5);
        let names: Vec<&str> = cells.iter().map(|b| b.option.as_str()).collect();
        assert_eq!(names, ["c0+d0", "c0+d1", "c1+d0", "c1+d1"]);
        assert_eq!(cells[3].label, "C1 · D1");
        // Only a slider has bands over 0–100.
        let number = Variable::Numeric {
            key: "n".into(),
            label: "N".into(),
            values: vec![Some(1.0); 7],
        };
        assert!(group_bands(&number, &c, None, 1, 5).is_empty());
    }

    #[test]
    fn merged_groups_add_their_bands_and_weigh_their_means() {
        let group = |counts: Vec<u64>, mean: Option<f64>| GroupBands {
            option: "x".into(),
            label: "X".into(),
            counts,
            mean,
            median: mean,
        };
        let merged = GroupBands::merged(
            &[
                group(vec![1, 0, 2], Some(10.0)),
                group(vec![0, 1], Some(40.0)),
            ],
            "",
            "Andere groepen (2)",
        );
        assert_eq!(merged.counts, vec![1, 1, 2]);
        assert_eq!(merged.label, "Andere groepen (2)");
        assert_eq!(merged.mean, Some((10.0 * 3.0 + 40.0) / 4.0));
        assert_eq!(merged.median, None);
        let unknown =
            GroupBands::merged(&[group(vec![1], None), group(vec![1], Some(5.0))], "", "");
        assert_eq!(unknown.mean, None);
    }

    #[test]
    fn a_density_grid_coarsens_when_its_bins_divide() {
        let d = Density {
            bins: 4,
            counts: vec![
                vec![1, 2, 0, 0],
                vec![3, 4, 0, 1],
                vec![0, 0, 5, 0],
                vec![0, 0, 0, 6],
            ],
            n: 22,
            x_range: (0.0, 100.0),
            y_range: (0.0, 100.0),
        };
        let c = d.coarsened(2);
        assert_eq!(c.bins, 2);
        assert_eq!(c.counts, vec![vec![10, 1], vec![0, 11]]);
        assert_eq!((c.n, c.x_range), (22, (0.0, 100.0)));
        assert_eq!(d.coarsened(3), d);
        assert_eq!(d.coarsened(0), d);
        assert_eq!(d.coarsened(8), d);
    }

    #[test]
    fn crosstab_counts_complete_pairs_and_drops_empty_options() {
        let a = choice(
            "a",
            3,
            vec![Some(0), Some(0), Some(2), Some(2), None, Some(0), Some(1)],
        );
        let b = choice(
            "b",
            3,
            vec![Some(0), Some(2), Some(2), Some(2), Some(1), Some(0), None],
        );
        let t = crosstab(&a, &b).unwrap_or_else(|| panic!("no table"));
        // Option a1 only occurs where b is unanswered, b1 only where a is: both dropped.
        let rows: Vec<&str> = t.rows.iter().map(|o| o.key.as_str()).collect();
        let columns: Vec<&str> = t.columns.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(rows, ["a0", "a2"]);
        assert_eq!(columns, ["b0", "b2"]);
        assert_eq!(t.counts, vec![vec![2, 1], vec![0, 2]]);
        assert_eq!(t.n(), 5);
        // By its labels, as an observation keeps it.
        let kept = CountTable::from(&t);
        assert_eq!(
            (kept.rows, kept.columns),
            (
                vec!["A0".to_string(), "A2".into()],
                vec!["B0".to_string(), "B2".into()]
            )
        );
        assert_eq!(kept.counts, t.counts);
        let none = choice("b", 3, vec![None; 7]);
        assert_eq!(crosstab(&a, &none), None);
        assert_eq!(crosstab(&a, &slider(vec![Some(1); 7])), None);
        assert_eq!(crosstab(&choice("x", 1, vec![]), &none), None);
    }

    #[test]
    fn density_bins_sliders_over_0_to_100() {
        let x = slider(vec![Some(0), Some(100), Some(49), Some(50), None, Some(99)]);
        let y = slider(vec![Some(0), Some(100), Some(100), Some(0), Some(3), None]);
        let d = density(&x, &y, 2).unwrap_or_else(|| panic!("no density"));
        assert_eq!(d.n, 4);
        assert_eq!((d.x_range, d.y_range), ((0.0, 100.0), (0.0, 100.0)));
        // Row 0 is the low y bin; 100 falls in the last bin.
        assert_eq!(d.counts, vec![vec![1, 1], vec![1, 1]]);
        assert_eq!(d.max(), 1);
        let d = density(&x, &y, 10).unwrap_or_else(|| panic!("no density"));
        assert_eq!(d.counts[9][9], 1);
        assert_eq!(d.counts[9][4], 1);
        assert_eq!(d.counts[0][5], 1);
        assert_eq!(d.counts[0][0], 1);
        assert_eq!(d.counts.iter().flatten().sum::<u64>(), 4);
    }

    #[test]
    fn density_of_numbers_uses_their_range() {
        let x = Variable::Numeric {
            key: "w".into(),
            label: "Woorden".into(),
            values: vec![
                Some(10.0),
                Some(30.0),
                Some(20.0),
                Some(1000.0),
                Some(f64::NAN),
            ],
        };
        let y = slider(vec![Some(10), Some(90), Some(50), None, Some(20)]);
        let d = density(&x, &y, 4).unwrap_or_else(|| panic!("no density"));
        // Story 3 has no slider answer, so 1000 is outside the complete pairs.
        assert_eq!(d.x_range, (10.0, 30.0));
        assert_eq!(d.n, 3);
        assert_eq!(d.counts[0][0], 1);
        assert_eq!(d.counts[2][2], 1);
        assert_eq!(d.counts[3][3], 1);
        // One distinct value: a range of width one around it.
        let same = Variable::Numeric {
            key: "k".into(),
            label: "K".into(),
            values: vec![Some(5.0), Some(5.0)],
        };
        let d = density(&same, &same, 3).unwrap_or_else(|| panic!("no density"));
        assert_eq!(d.x_range, (4.5, 5.5));
        assert_eq!(d.counts[1][1], 2);
    }

    #[test]
    fn density_without_pairs_is_none() {
        let x = slider(vec![Some(1), None]);
        let y = slider(vec![None, Some(2)]);
        assert_eq!(density(&x, &y, 5), None);
        assert_eq!(density(&slider(vec![]), &slider(vec![]), 5), None);
        assert_eq!(
            density(&x, &choice("c", 2, vec![Some(0), Some(1)]), 5),
            None
        );
        // Zero bins means one.
        let d = density(&x, &x, 0).unwrap_or_else(|| panic!("no density"));
        assert_eq!((d.bins, d.counts.clone()), (1, vec![vec![1]]));
    }
}
