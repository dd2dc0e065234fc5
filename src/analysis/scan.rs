//! The pattern scan: every pair of questions tested, false discoveries controlled over the whole
//! scan, patterns ranked by strength and described in plain Dutch.
//!
//! Strength puts effect sizes of different tests on one scale: |r| (Mann–Whitney, rank-biserial),
//! √ε² (Kruskal–Wallis), Cramér's V (χ²) and |ρ| (Spearman) all run from 0 to 1 and read like a
//! correlation. Patterns are ranked by strength, then by q-value. A slider across two choice
//! questions is about their *interaction*: what the combination explains beyond both questions
//! together. It is tested with the Scheirer–Ray–Hare rank test of the interaction
//! (`counted::rank_interaction`), and its strength is the square root of the chance-corrected
//! ε² of that interaction, so that additive effects and many small cells do not look strong.

use super::counted::{self, Counts};
use super::dataset::{Code, Codes, Dataset, Dense, Variable};
use super::describe;
use super::descriptives::{self, Descriptives};
use super::hypothesis::{self, GroupTest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What "sterk" means everywhere — the scan, the comparison, every page, card and the command
/// line: a q-value below this (Benjamini–Hochberg over all tests of the run)…
pub const STRONG_MAX_Q: f64 = 0.05;
/// …and at least this strength (see the module documentation for the scale).
pub const STRONG_MIN_STRENGTH: f64 = 0.1;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScanSettings {
    /// Groups (options, cells) with fewer stories are left out of a test.
    pub min_group: usize,
    /// A strong pattern has a q-value below this…
    pub max_q: f64,
    /// …and at least this strength.
    pub min_strength: f64,
    /// Also test each slider across the cells of every two choice questions.
    pub three_way: bool,
    /// Histogram bins of the per-group descriptives.
    pub bins: usize,
}

impl Default for ScanSettings {
    fn default() -> Self {
        Self {
            min_group: 5,
            max_q: STRONG_MAX_Q,
            min_strength: STRONG_MIN_STRENGTH,
            three_way: true,
            bins: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternKind {
    SliderByChoice,
    ChoiceByChoice,
    SliderBySlider,
    SliderByChoicePair,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    KruskalWallis,
    MannWhitneyU,
    ChiSquare,
    Spearman,
    /// Scheirer–Ray–Hare: the interaction of two choice questions on the ranks of a slider.
    RankInteraction,
}

/// One group of a slider × choice pattern (or one cell of a three-way pattern).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub option: String,
    pub label: String,
    pub n: u64,
    pub mean: Option<f64>,
    /// Deviation of the group's mean rank from the overall mean rank, as a z-score.
    pub z: Option<f64>,
}

/// A cell of a contingency table that deviates from independence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub row: String,
    pub row_label: String,
    pub column: String,
    pub column_label: String,
    pub observed: u64,
    pub expected: f64,
    pub residual: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pattern {
    pub kind: PatternKind,
    pub questions: Vec<String>,
    pub test: TestKind,
    pub statistic: f64,
    pub p_value: f64,
    pub q_value: f64,
    pub effect_size: f64,
    pub strength: f64,
    pub n: usize,
    pub strong: bool,
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSummary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<Cell>,
    /// For slider × choice: the descriptives of every group tested, keyed by option.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub descriptives: BTreeMap<String, Descriptives>,
}

/// A pair that could not be tested, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Untested {
    pub kind: PatternKind,
    pub questions: Vec<String>,
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scan {
    pub stories: usize,
    pub settings: ScanSettings,
    pub tests: usize,
    pub strong: usize,
    /// Every slider and number over all stories of the scan, by question key.
    pub descriptives: BTreeMap<String, Descriptives>,
    pub patterns: Vec<Pattern>,
    pub untested: Vec<Untested>,
}

const TOO_FEW: &str = "te weinig verhalen per groep";
const NO_SPREAD: &str = "geen spreiding in de antwoorden";
const NO_INTERACTION: &str =
    "geen samenspel te toetsen: te weinig combinaties van antwoorden, of geen spreiding";

fn strength_of(test: TestKind, effect: f64) -> f64 {
    match test {
        TestKind::KruskalWallis | TestKind::RankInteraction => effect.max(0.0).sqrt(),
        _ => effect.abs(),
    }
}

/// Runs the whole scan.
pub fn scan(data: &Dataset, settings: ScanSettings) -> Scan {
    let mut patterns = Vec::new();
    let mut untested = Vec::new();
    let vars: Vec<&Variable> = data
        .variables
        .iter()
        .filter(|v| data.in_pairs(v.key()))
        .collect();
    for (i, &a) in vars.iter().enumerate() {
        for &b in vars.iter().skip(i + 1) {
            let outcome = match (a, b) {
                (n, c @ Variable::Choice { .. }) | (c @ Variable::Choice { .. }, n)
                    if n.is_numeric() =>
                {
                    slider_by_choice(data, n, c, settings)
                }
                (Variable::Choice { .. }, Variable::Choice { .. }) => {
                    choice_by_choice(data, a, b, settings)
                }
                _ => slider_by_slider(data, a, b, settings),
            };
            match outcome {
                Ok(p) => patterns.push(p),
                Err(u) => untested.push(u),
            }
        }
    }
    if settings.three_way {
        for outcome in three_way(data, settings) {
            match outcome {
                Ok(p) => patterns.push(p),
                Err(u) => untested.push(u),
            }
        }
    }
    let q = hypothesis::benjamini_hochberg(&patterns.iter().map(|p| p.p_value).collect::<Vec<_>>());
    for (p, q) in patterns.iter_mut().zip(q) {
        p.q_value = q;
        p.strong = q < settings.max_q && p.strength >= settings.min_strength;
    }
    patterns.sort_by(|a, b| {
        b.strength
            .total_cmp(&a.strength)
            .then(a.q_value.total_cmp(&b.q_value))
    });
    Scan {
        stories: data.stories,
        settings,
        tests: patterns.len(),
        strong: patterns.iter().filter(|p| p.strong).count(),
        descriptives: overall(data, settings.bins),
        patterns,
        untested,
    }
}

/// The descriptives of every slider and number over all stories.
pub fn overall(data: &Dataset, bins: usize) -> BTreeMap<String, Descriptives> {
    data.variables
        .iter()
        .filter_map(|v| {
            let d = match v {
                Variable::Slider { values, .. } => {
                    let mut counts = Counts::default();
                    values.iter().flatten().for_each(|&x| counts.add(x));
                    let missing = values.len() - counts.n() as usize;
                    descriptives::of_counts(&counts.0, missing, bins)
                }
                Variable::Numeric { values, .. } => {
                    let given: Vec<f64> = values.iter().flatten().copied().collect();
                    let range = given
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                            (lo.min(x), hi.max(x))
                        });
                    Descriptives::of_range(&given, values.len() - given.len(), bins, range)
                }
                Variable::Choice { .. } => return None,
            };
            Some((v.key().to_string(), d))
        })
        .collect()
}

fn choice_parts(v: &Variable) -> (&[super::dataset::OptionLabel], &Codes) {
    static NONE: Codes = Codes::new();
    match v {
        Variable::Choice {
            options, values, ..
        } => (options, values),
        _ => (&[], &NONE),
    }
}

fn new_pattern(
    kind: PatternKind,
    questions: Vec<String>,
    test: TestKind,
    result: GroupTest,
) -> Pattern {
    Pattern {
        kind,
        questions,
        test,
        statistic: result.statistic,
        p_value: result.p_value,
        q_value: 1.0,
        effect_size: result.effect_size,
        strength: strength_of(test, result.effect_size),
        n: result.n,
        strong: false,
        description: String::new(),
        groups: Vec::new(),
        cells: Vec::new(),
        descriptives: BTreeMap::new(),
    }
}

fn slider_by_choice(
    data: &Dataset,
    number: &Variable,
    choice: &Variable,
    settings: ScanSettings,
) -> Result<Pattern, Untested> {
    let (options, answers) = choice_parts(choice);
    let questions = vec![number.key().to_string(), choice.key().to_string()];
    let untested = |reason| Untested {
        kind: PatternKind::SliderByChoice,
        questions: questions.clone(),
        reason,
    };
    // Groups as counts (sliders) or value lists (other numbers).
    let mut counts = vec![Counts::default(); options.len()];
    let mut lists: Vec<Vec<f64>> = vec![Vec::new(); options.len()];
    // Stories in a group without a value on the number ("weet ik niet", no answer).
    let mut not_applicable = vec![0usize; options.len()];
    for story in 0..data.stories {
        let Some(option) = answers.get(story) else {
            continue;
        };
        let option = usize::from(option);
        if option >= options.len() {
            continue;
        }
        match number {
            Variable::Slider { values, .. } => match values.get(story) {
                Some(Some(v)) => counts[option].add(*v),
                _ => not_applicable[option] += 1,
            },
            _ => match number.number(story) {
                Some(v) => lists[option].push(v),
                None => not_applicable[option] += 1,
            },
        }
    }
    let slider = matches!(number, Variable::Slider { .. });
    let size = |i: usize| {
        if slider {
            counts[i].n() as usize
        } else {
            lists[i].len()
        }
    };
    let kept: Vec<usize> = (0..options.len())
        .filter(|&i| size(i) >= settings.min_group)
        .collect();
    if kept.len() < 2 {
        return Err(untested(TOO_FEW));
    }
    let (test, result) = if slider {
        let groups: Vec<&Counts> = kept.iter().map(|&i| &counts[i]).collect();
        if kept.len() == 2 {
            (
                TestKind::MannWhitneyU,
                counted::mann_whitney_u(groups[0], groups[1]),
            )
        } else {
            (TestKind::KruskalWallis, counted::kruskal_wallis(&groups))
        }
    } else {
        let groups: Vec<&[f64]> = kept.iter().map(|&i| lists[i].as_slice()).collect();
        if kept.len() == 2 {
            (
                TestKind::MannWhitneyU,
                hypothesis::mann_whitney_u(groups[0], groups[1]),
            )
        } else {
            (TestKind::KruskalWallis, hypothesis::kruskal_wallis(&groups))
        }
    };
    let result = result.ok_or_else(|| untested(NO_SPREAD))?;
    let mut pattern = new_pattern(PatternKind::SliderByChoice, questions, test, result);
    let all: Vec<&Counts> = kept.iter().map(|&i| &counts[i]).collect();
    pattern.groups = kept
        .iter()
        .map(|&i| {
            let (n, mean, z) = if slider {
                (
                    counts[i].n(),
                    counts[i].mean(),
                    counted::mean_rank_z(&counts[i], &all),
                )
            } else {
                let l = &lists[i];
                (
                    l.len() as u64,
                    Some(l.iter().sum::<f64>() / l.len() as f64),
                    None,
                )
            };
            GroupSummary {
                option: options[i].key.clone(),
                label: options[i].label.clone(),
                n,
                mean,
                z,
            }
        })
        .collect();
    let range = kept
        .iter()
        .flat_map(|&i| &lists[i])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    pattern.descriptives = kept
        .iter()
        .map(|&i| {
            let d = if slider {
                descriptives::of_counts(&counts[i].0, not_applicable[i], settings.bins)
            } else {
                Descriptives::of_range(&lists[i], not_applicable[i], settings.bins, range)
            };
            (options[i].key.clone(), d)
        })
        .collect();
    pattern.description = describe::slider_by_choice(number, choice, &pattern.groups);
    Ok(pattern)
}

fn choice_by_choice(
    data: &Dataset,
    a: &Variable,
    b: &Variable,
    settings: ScanSettings,
) -> Result<Pattern, Untested> {
    let (rows, row_answers) = choice_parts(a);
    let (columns, column_answers) = choice_parts(b);
    let questions = vec![a.key().to_string(), b.key().to_string()];
    let untested = |reason| Untested {
        kind: PatternKind::ChoiceByChoice,
        questions: questions.clone(),
        reason,
    };
    let mut table = vec![vec![0u64; columns.len()]; rows.len()];
    for story in 0..data.stories {
        if let (Some(r), Some(c)) = (row_answers.get(story), column_answers.get(story)) {
            if let Some(cell) = table
                .get_mut(usize::from(r))
                .and_then(|row| row.get_mut(usize::from(c)))
            {
                *cell += 1;
            }
        }
    }
    let min = settings.min_group as u64;
    let kept_rows: Vec<usize> = (0..rows.len())
        .filter(|&i| table[i].iter().sum::<u64>() >= min)
        .collect();
    let kept_columns: Vec<usize> = (0..columns.len())
        .filter(|&j| kept_rows.iter().map(|&i| table[i][j]).sum::<u64>() >= min)
        .collect();
    if kept_rows.len() < 2 || kept_columns.len() < 2 {
        return Err(untested(TOO_FEW));
    }
    let sub: Vec<Vec<u64>> = kept_rows
        .iter()
        .map(|&i| kept_columns.iter().map(|&j| table[i][j]).collect())
        .collect();
    let result = hypothesis::chi_square(&sub).ok_or_else(|| untested(NO_SPREAD))?;
    let mut pattern = new_pattern(
        PatternKind::ChoiceByChoice,
        questions,
        TestKind::ChiSquare,
        GroupTest {
            statistic: result.statistic,
            p_value: result.p_value,
            effect_size: result.cramers_v,
            n: result.n as usize,
        },
    );
    let mut cells = Vec::new();
    for (ri, &i) in kept_rows.iter().enumerate() {
        for (ci, &j) in kept_columns.iter().enumerate() {
            cells.push(Cell {
                row: rows[i].key.clone(),
                row_label: rows[i].label.clone(),
                column: columns[j].key.clone(),
                column_label: columns[j].label.clone(),
                observed: sub[ri][ci],
                expected: result.expected[ri][ci],
                residual: result.residuals[ri][ci],
            });
        }
    }
    cells.sort_by(|x, y| y.residual.abs().total_cmp(&x.residual.abs()));
    cells.truncate(4);
    pattern.cells = cells;
    pattern.description = describe::choice_by_choice(a, b, &pattern.cells);
    Ok(pattern)
}

fn slider_by_slider(
    data: &Dataset,
    a: &Variable,
    b: &Variable,
    settings: ScanSettings,
) -> Result<Pattern, Untested> {
    let questions = vec![a.key().to_string(), b.key().to_string()];
    let untested = |reason| Untested {
        kind: PatternKind::SliderBySlider,
        questions: questions.clone(),
        reason,
    };
    let result = match (a, b) {
        // Two sliders: rank by counting (the common case, and the one a scan has most of).
        (Variable::Slider { values: va, .. }, Variable::Slider { values: vb, .. }) => {
            let (x, y): (Vec<u8>, Vec<u8>) = va
                .iter()
                .zip(vb)
                .filter_map(|(u, v)| Some(((*u)?, (*v)?)))
                .unzip();
            if x.len() < settings.min_group.max(3) {
                return Err(untested(TOO_FEW));
            }
            counted::spearman(&x, &y)
        }
        _ => {
            let (x, y): (Vec<f64>, Vec<f64>) = (0..data.stories)
                .filter_map(|story| Some((a.number(story)?, b.number(story)?)))
                .unzip();
            if x.len() < settings.min_group.max(3) {
                return Err(untested(TOO_FEW));
            }
            hypothesis::spearman(&x, &y)
        }
    }
    .ok_or_else(|| untested(NO_SPREAD))?;
    let mut pattern = new_pattern(
        PatternKind::SliderBySlider,
        questions,
        TestKind::Spearman,
        GroupTest {
            statistic: result.rho,
            p_value: result.p_value,
            effect_size: result.rho,
            n: result.n,
        },
    );
    pattern.description = describe::slider_by_slider(a, b, result.rho);
    Ok(pattern)
}

/// Slider answers laid out densely for the three-way loop: no `Option` per value. Choice
/// answers are read as stored ([`Codes::dense`]), without a copy.
const NO_SLIDER: u8 = u8::MAX;

/// Every slider across the cells of every two choice questions. These are most of a scan's
/// tests, so they are spread over the machine's cores (results keep a fixed order).
fn three_way(data: &Dataset, settings: ScanSettings) -> Vec<Result<Pattern, Untested>> {
    let vars: Vec<&Variable> = data
        .variables
        .iter()
        .filter(|v| data.in_three_way(v.key()))
        .collect();
    let sliders: Vec<(&Variable, Vec<u8>)> = vars
        .iter()
        .copied()
        .filter_map(|v| match v {
            Variable::Slider { values, .. } => {
                Some((v, values.iter().map(|x| x.unwrap_or(NO_SLIDER)).collect()))
            }
            _ => None,
        })
        .collect();
    let choices: Vec<(&Variable, &Codes)> = vars
        .iter()
        .copied()
        .filter_map(|v| match v {
            Variable::Choice { values, .. } => Some((v, values)),
            _ => None,
        })
        .collect();
    // One job per pair of choice questions: a single pass over the stories fills the cells of
    // every slider, so the choice columns are read once per pair instead of once per slider.
    let mut jobs = Vec::new();
    for c1 in 0..choices.len() {
        for c2 in c1 + 1..choices.len() {
            jobs.push((c1, c2));
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let per_pair: Vec<Vec<Result<Pattern, Untested>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                let (sliders, choices) = (&sliders, &choices);
                scope.spawn(move || {
                    part.iter()
                        .map(|&(c1, c2)| {
                            sliders_by_choice_pair(
                                data.stories,
                                sliders,
                                choices[c1],
                                choices[c2],
                                settings,
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    // Slider by slider, then pair by pair: the order the tests have always been reported in.
    let mut per_pair: Vec<_> = per_pair.into_iter().map(Vec::into_iter).collect();
    let mut results = Vec::with_capacity(jobs.len() * sliders.len());
    for _ in 0..sliders.len() {
        for pair in &mut per_pair {
            results.extend(pair.next());
        }
    }
    results
}

/// Every slider across the cells of the two choice questions: one result per slider, in the
/// order of `sliders`.
fn sliders_by_choice_pair(
    stories: usize,
    sliders: &[(&Variable, Vec<u8>)],
    first: (&Variable, &Codes),
    second: (&Variable, &Codes),
    settings: ScanSettings,
) -> Vec<Result<Pattern, Untested>> {
    let (options1, _) = choice_parts(first.0);
    let (options2, _) = choice_parts(second.0);
    let shape = (options1.len(), options2.len());
    let n = sliders
        .iter()
        .map(|(_, v)| v.len())
        .fold(stories.min(first.1.len()).min(second.1.len()), usize::min);
    let values: Vec<&[u8]> = sliders.iter().map(|(_, v)| &v[..n]).collect();
    let mut cells = vec![vec![Counts::default(); shape.0 * shape.1]; sliders.len()];
    // One loop per way the two columns are stored, each without a branch on it per story.
    match (first.1.dense(), second.1.dense()) {
        (Dense::Narrow(a), Dense::Narrow(b)) => {
            fill_cells(&mut cells, shape, &values, &a[..n], &b[..n])
        }
        (Dense::Narrow(a), Dense::Wide(b)) => {
            fill_cells(&mut cells, shape, &values, &a[..n], &b[..n])
        }
        (Dense::Wide(a), Dense::Narrow(b)) => {
            fill_cells(&mut cells, shape, &values, &a[..n], &b[..n])
        }
        (Dense::Wide(a), Dense::Wide(b)) => {
            fill_cells(&mut cells, shape, &values, &a[..n], &b[..n])
        }
    }
    sliders
        .iter()
        .zip(&cells)
        .map(|((slider, _), cells)| {
            slider_by_choice_pair(slider, first.0, second.0, cells, settings)
        })
        .collect()
}

/// The interaction test of one slider over the cells of two choice questions, from the
/// slider's counts per cell (cell `o1 * options of second + o2`).
fn slider_by_choice_pair(
    slider: &Variable,
    first: &Variable,
    second: &Variable,
    cells: &[Counts],
    settings: ScanSettings,
) -> Result<Pattern, Untested> {
    let (options1, _) = choice_parts(first);
    let (options2, _) = choice_parts(second);
    let questions = vec![
        slider.key().to_string(),
        first.key().to_string(),
        second.key().to_string(),
    ];
    let untested = |reason| Untested {
        kind: PatternKind::SliderByChoicePair,
        questions: questions.clone(),
        reason,
    };
    let width = options2.len();
    let kept: Vec<usize> = (0..cells.len())
        .filter(|&i| cells[i].n() as usize >= settings.min_group)
        .collect();
    if kept.len() < 3 {
        return Err(untested(TOO_FEW));
    }
    let groups: Vec<&Counts> = kept.iter().map(|&i| &cells[i]).collect();
    let layout: Vec<(usize, usize, &Counts)> = kept
        .iter()
        .map(|&i| (i / width, i % width, &cells[i]))
        .collect();
    // Only the interaction counts: a slider that differs per first question, or per second,
    // or by both added up, is already a slider × choice pattern of its own.
    let interaction = counted::rank_interaction(&layout).ok_or_else(|| untested(NO_INTERACTION))?;
    let result = GroupTest {
        statistic: interaction.statistic,
        p_value: interaction.p_value,
        effect_size: interaction.effect_size,
        n: interaction.n,
    };
    let pattern = new_pattern(
        PatternKind::SliderByChoicePair,
        questions,
        TestKind::RankInteraction,
        result,
    );
    let mut pattern = pattern;
    let mut summaries: Vec<GroupSummary> = kept
        .iter()
        .map(|&i| {
            let (o1, o2) = (&options1[i / width], &options2[i % width]);
            GroupSummary {
                option: format!("{}+{}", o1.key, o2.key),
                label: format!("{} en {}", o1.label, o2.label),
                n: cells[i].n(),
                mean: cells[i].mean(),
                z: counted::mean_rank_z(&cells[i], &groups),
            }
        })
        .collect();
    summaries.sort_by(|a, b| {
        b.z.unwrap_or(0.0)
            .abs()
            .total_cmp(&a.z.unwrap_or(0.0).abs())
    });
    pattern.description = describe::slider_by_choice_pair(slider, &summaries);
    pattern.groups = summaries;
    Ok(pattern)
}

/// Counts each slider's answers (`values`, all as long as the answers) per cell of two choice
/// questions (`shape`: their numbers of options), cell `o1 * shape.1 + o2`; a story counts for a
/// slider only with all three answers and both options in range.
fn fill_cells<A: Code, B: Code>(
    cells: &mut [Vec<Counts>],
    (options1, options2): (usize, usize),
    values: &[&[u8]],
    answers1: &[A],
    answers2: &[B],
) {
    for (story, (&o1, &o2)) in answers1.iter().zip(answers2).enumerate() {
        let (Some(o1), Some(o2)) = (o1.index(), o2.index()) else {
            continue;
        };
        if o1 >= options1 || o2 >= options2 {
            continue;
        }
        let cell = o1 * options2 + o2;
        for (slider, cells) in values.iter().zip(cells.iter_mut()) {
            if let Some(&v) = slider.get(story) {
                if v != NO_SLIDER {
                    cells[cell].add(v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::dataset::{OptionLabel, ScanUse};
    use crate::analysis::synthetic::{generate, Shape, Structure};

    fn small(stories: usize) -> Shape {
        Shape {
            stories,
            sliders: 5,
            choices: 5,
            multichoices: 1,
            multi_options: 3,
        }
    }

    fn find<'a>(scan: &'a Scan, kind: PatternKind, questions: &[&str]) -> &'a Pattern {
        scan.patterns
            .iter()
            .find(|p| p.kind == kind && p.questions == questions)
            .unwrap_or_else(|| panic!("no pattern {kind:?} {questions:?}"))
    }

    #[test]
    fn planted_patterns_come_out_strong() {
        let data = generate(small(600), Structure::Planted, 7);
        let scan = scan(&data, ScanSettings::default());
        let p = find(
            &scan,
            PatternKind::SliderByChoice,
            &["slider_00", "keuze_0"],
        );
        assert!(p.strong, "{p:?}");
        assert_eq!(p.test, TestKind::KruskalWallis);
        assert!(p.description.contains("Schuifvraag 0"), "{}", p.description);
        // Every tested group has its descriptives, with the group's own n.
        assert_eq!(p.descriptives.len(), p.groups.len());
        for g in &p.groups {
            let d = &p.descriptives[&g.option];
            assert_eq!(d.n as u64, g.n);
            assert!((d.mean.unwrap() - g.mean.unwrap()).abs() < 1e-9);
            assert_eq!(d.histogram.counts.iter().sum::<u64>(), g.n);
        }
        assert!(find(&scan, PatternKind::ChoiceByChoice, &["keuze_1", "keuze_2"]).strong);
        let rho = find(
            &scan,
            PatternKind::SliderBySlider,
            &["slider_01", "slider_02"],
        );
        assert!(rho.strong && rho.effect_size > 0.3, "{rho:?}");
        let three = find(
            &scan,
            PatternKind::SliderByChoicePair,
            &["slider_03", "keuze_3", "keuze_4"],
        );
        assert!(three.strong, "{three:?}");
        assert_eq!(three.test, TestKind::RankInteraction);
        // The combination is the pattern, not either question alone.
        for alone in ["keuze_3", "keuze_4"] {
            let p = find(&scan, PatternKind::SliderByChoice, &["slider_03", alone]);
            assert!(!p.strong, "{p:?}");
        }
        // Independent questions are not strong.
        assert!(
            !find(
                &scan,
                PatternKind::SliderBySlider,
                &["slider_00", "slider_04"]
            )
            .strong
        );
        assert!(
            !find(
                &scan,
                PatternKind::SliderByChoice,
                &["slider_04", "keuze_4"]
            )
            .strong
        );
        // Ranked by strength.
        assert!(scan
            .patterns
            .windows(2)
            .all(|w| w[0].strength >= w[1].strength));
    }

    /// Answers with known structure: choice questions `a` (4 options), `b` (3) and `maand`
    /// (12, like the derived month), and sliders driven by `a` alone, by `a` and `b` added up,
    /// only by their combination, and by nothing.
    fn known_structure(stories: usize, seed: u64) -> Dataset {
        use rand::{rngs::StdRng, Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(seed);
        let pick = |rng: &mut StdRng, k: u16| Some(rng.random_range(0..k));
        let a: Vec<Option<u16>> = (0..stories).map(|_| pick(&mut rng, 4)).collect();
        let b: Vec<Option<u16>> = (0..stories).map(|_| pick(&mut rng, 3)).collect();
        let month: Vec<Option<u16>> = (0..stories).map(|_| pick(&mut rng, 12)).collect();
        let mut slider = |mean: &dyn Fn(usize) -> f64| -> Vec<Option<u8>> {
            (0..stories)
                .map(|i| {
                    let noise: f64 = (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
                    Some((mean(i) + noise * 30.0).round().clamp(0.0, 100.0) as u8)
                })
                .collect()
        };
        let level = |v: &[Option<u16>], i: usize| f64::from(v[i].unwrap_or(0));
        let one = slider(&|i| 35.0 + 10.0 * level(&a, i));
        let added = slider(&|i| 30.0 + 8.0 * level(&a, i) + 10.0 * level(&b, i));
        let combined = slider(&|i| {
            if (a[i].unwrap_or(0) + b[i].unwrap_or(0)).is_multiple_of(2) {
                62.0
            } else {
                38.0
            }
        });
        let none = slider(&|_| 50.0);
        let choice = |key: &str, values: Vec<Option<u16>>, k: usize| Variable::Choice {
            key: key.into(),
            label: key.into(),
            options: (0..k)
                .map(|o| OptionLabel {
                    key: format!("{key}{o}"),
                    label: format!("{key} {o}"),
                })
                .collect(),
            values: values.into(),
        };
        let slider_var = |key: &str, values: Vec<Option<u8>>| Variable::Slider {
            key: key.into(),
            label: key.into(),
            left: "links".into(),
            right: "rechts".into(),
            values,
        };
        Dataset {
            scan_use: Default::default(),
            stories,
            variables: vec![
                choice("a", a.clone(), 4),
                choice("b", b.clone(), 3),
                choice("maand", month, 12),
                slider_var("een", one),
                slider_var("opgeteld", added),
                slider_var("samen", combined),
                slider_var("geen", none),
            ],
        }
    }

    #[test]
    fn only_a_real_interaction_is_a_strong_three_way_pattern() {
        for stories in [1_000, 3_000] {
            for seed in [1, 2, 3] {
                let scan = scan(&known_structure(stories, seed), ScanSettings::default());
                let strong: Vec<&Vec<String>> = scan
                    .patterns
                    .iter()
                    .filter(|p| p.kind == PatternKind::SliderByChoicePair && p.strong)
                    .map(|p| &p.questions)
                    .collect();
                assert_eq!(
                    strong,
                    vec![&vec!["samen".to_string(), "a".into(), "b".into()]],
                    "{stories} stories, seed {seed}"
                );
                // The two-way effects are found where they are.
                for (slider, choice) in [("een", "a"), ("opgeteld", "a"), ("opgeteld", "b")] {
                    assert!(
                        find(&scan, PatternKind::SliderByChoice, &[slider, choice]).strong,
                        "{slider} × {choice}, {stories} stories, seed {seed}"
                    );
                }
            }
        }
    }

    #[test]
    fn quarters_stand_in_for_months_in_three_way_tests_only() {
        let mut data = known_structure(1_000, 4);
        let Some(Variable::Choice { values, .. }) = data.variable("maand") else {
            panic!("no month");
        };
        let quarters = values.iter().map(|m| m.map(|m| m / 3)).collect();
        data.variables.push(Variable::Choice {
            key: "kwartaal".into(),
            label: "kwartaal".into(),
            options: (0..4)
                .map(|q| OptionLabel {
                    key: format!("K{q}"),
                    label: format!("K{q}"),
                })
                .collect(),
            values: quarters,
        });
        data.scan_use = [
            ("maand".to_string(), ScanUse::PairsOnly),
            ("kwartaal".to_string(), ScanUse::ThreeWayOnly),
        ]
        .into();
        let scan = scan(&data, ScanSettings::default());
        let names = |kind: PatternKind, key: &str| {
            scan.patterns
                .iter()
                .filter(|p| p.kind == kind && p.questions.iter().any(|q| q == key))
                .count()
        };
        let pairs = [PatternKind::SliderByChoice, PatternKind::ChoiceByChoice];
        assert_eq!(names(PatternKind::SliderByChoicePair, "maand"), 0);
        assert!(pairs.iter().all(|&k| names(k, "kwartaal") == 0));
        // 4 sliders × 3 pairs of (a, b, kwartaal) = 12 three-way tests, 8 of them with quarters.
        assert_eq!(names(PatternKind::SliderByChoicePair, "kwartaal"), 8);
        assert_eq!(names(PatternKind::SliderByChoice, "maand"), 4);
    }

    #[test]
    fn choices_stored_in_two_bytes_per_story_scan_the_same() {
        let narrow = known_structure(1_000, 5);
        for wide_keys in [&["a"][..], &["b"], &["a", "b", "maand"]] {
            let mut wide = narrow.clone();
            for variable in &mut wide.variables {
                if let Variable::Choice { key, values, .. } = variable {
                    if wide_keys.contains(&key.as_str()) {
                        // An index of 255 or more widens the column; removing it keeps it wide.
                        values.push(Some(300));
                        values.remove(values.len() - 1);
                        assert!(values.is_wide());
                    }
                }
            }
            assert_eq!(wide, narrow);
            assert_eq!(
                scan(&wide, ScanSettings::default()),
                scan(&narrow, ScanSettings::default()),
                "{wide_keys:?}"
            );
        }
    }

    #[test]
    fn data_without_structure_yields_almost_no_strong_patterns() {
        let mut fractions = Vec::new();
        for seed in 0..6 {
            let data = generate(small(400), Structure::None, 100 + seed);
            let scan = scan(&data, ScanSettings::default());
            assert!(scan.tests > 100);
            assert!(scan.strong <= 3, "seed {seed}: {} strong", scan.strong);
            fractions.push(scan.strong as f64 / scan.tests as f64);
        }
        let average = fractions.iter().sum::<f64>() / fractions.len() as f64;
        assert!(average < 0.05, "average fraction {average}");
    }

    /// The planted data with every question's answers shuffled independently between stories:
    /// the same answers per question, no relation between questions.
    fn shuffled(mut data: Dataset, seed: u64) -> Dataset {
        use rand::seq::SliceRandom;
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        for variable in &mut data.variables {
            match variable {
                Variable::Slider { values, .. } => values.shuffle(&mut rng),
                Variable::Numeric { values, .. } => values.shuffle(&mut rng),
                Variable::Choice { values, .. } => values.shuffle(&mut rng),
            }
        }
        data
    }

    #[test]
    fn shuffling_the_answers_between_stories_removes_the_planted_patterns() {
        let mut fractions = Vec::new();
        for seed in 0..5 {
            let planted = generate(small(500), Structure::Planted, 200 + seed);
            assert!(scan(&planted, ScanSettings::default()).strong > 3);
            let data = shuffled(planted, seed);
            let result = scan(&data, ScanSettings::default());
            assert!(result.strong <= 3, "seed {seed}: {} strong", result.strong);
            fractions.push(result.strong as f64 / result.tests as f64);
        }
        let average = fractions.iter().sum::<f64>() / fractions.len() as f64;
        assert!(average < 0.05, "average fraction {average}");
    }

    #[test]
    fn small_groups_and_missing_answers_are_reported_not_tested() {
        let data = Dataset {
            scan_use: Default::default(),
            stories: 6,
            variables: vec![
                Variable::Slider {
                    key: "s".into(),
                    label: "S".into(),
                    left: "l".into(),
                    right: "r".into(),
                    values: vec![Some(10), Some(20), None, Some(80), Some(90), None],
                },
                Variable::Choice {
                    key: "c".into(),
                    label: "C".into(),
                    options: vec![
                        OptionLabel {
                            key: "a".into(),
                            label: "A".into(),
                        },
                        OptionLabel {
                            key: "b".into(),
                            label: "B".into(),
                        },
                    ],
                    values: vec![Some(0), Some(0), Some(0), Some(1), Some(1), None].into(),
                },
            ],
        };
        let scan = scan(&data, ScanSettings::default());
        assert!(scan.patterns.is_empty());
        assert_eq!(scan.untested[0].reason, TOO_FEW);
        let loose = ScanSettings {
            min_group: 2,
            ..Default::default()
        };
        let scan = super::scan(&data, loose);
        let p = &scan.patterns[0];
        // N/A answers are not values: 2 + 2 stories are tested, not 5.
        assert_eq!(p.n, 4);
        assert_eq!(p.test, TestKind::MannWhitneyU);
    }
}
