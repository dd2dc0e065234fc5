//! How a pattern of the scan is shown: its names and labels, its figures in Dutch, the links
//! to the stories behind each group, the hidden fields that name it on the "make an
//! observation" form, and the chart drawn for its kind.

use super::charts;
use super::filters::{FilterForm, Filtered};
use crate::analysis::numbers::{self, named_probability};
use crate::analysis::{figures, Dataset, Pattern, PatternKind, ScanSettings, TestKind, Variable};
use serde::Serialize;

/// A pattern as the pattern page lists it.
#[derive(Serialize)]
pub struct PatternView {
    pub description: String,
    pub kind: &'static str,
    pub questions: String,
    /// What the list is ranked by, 0–1 ("0,48").
    pub strength: String,
    /// How the strength is computed for this test ("√ε²", "|r|", …).
    pub measure: &'static str,
    /// "Kruskal-Wallis H = 23,41"
    pub test: String,
    pub p_value: String,
    pub q_value: String,
    pub n: String,
    pub strong: bool,
    pub chart: Option<String>,
    /// (group, stories, mean, link to its stories)
    pub groups: Vec<(String, String, String, String)>,
    /// (answer, together with, observed, expected, link to its stories)
    pub cells: Vec<(String, String, String, String, String)>,
    /// For two sliders: (part, stories, link) per quarter of the plane.
    pub quarters: Vec<(String, u64, String)>,
    /// Names the pattern for the "make an observation" form.
    pub reference: PatternRef,
}

impl PatternView {
    pub fn of(p: &Pattern, dataset: &Dataset, f: &Filtered) -> Self {
        let names = dataset.labels(&p.questions);
        PatternView {
            description: p.description.clone(),
            kind: kind_label(p.kind),
            questions: names.join(" × "),
            strength: numbers::strength(p.strength),
            measure: measure_label(p.test),
            test: format!(
                "{} = {}",
                test_label(p.test),
                numbers::statistic(p.statistic)
            ),
            p_value: named_probability("p", p.p_value),
            q_value: named_probability("q", p.q_value),
            n: numbers::count(p.n as u64),
            strong: p.strong,
            chart: chart(p, dataset),
            groups: p
                .groups
                .iter()
                .take(12)
                .map(|g| {
                    (
                        g.label.clone(),
                        numbers::count(g.n),
                        g.mean.map_or("–".into(), |m| numbers::decimal(m, 1)),
                        f.stories_link(&group_filter(p, dataset, &g.option, f)),
                    )
                })
                .collect(),
            cells: p
                .cells
                .iter()
                .map(|c| {
                    let both = f
                        .form
                        .and_answer(&p.questions[0], &c.row)
                        .and_answer(&p.questions[1], &c.column);
                    (
                        c.row_label.clone(),
                        c.column_label.clone(),
                        numbers::count(c.observed),
                        numbers::decimal(c.expected, 1),
                        f.stories_link(&both),
                    )
                })
                .collect(),
            quarters: quarters(p, dataset, f),
            reference: PatternRef::of(p),
        }
    }
}

/// The filters that select the stories behind one group of a slider × choice pattern (or one
/// cell of a three-way pattern): its option(s), and an answer on the slider.
fn group_filter(p: &Pattern, dataset: &Dataset, option: &str, f: &Filtered) -> FilterForm {
    let mut form = match (p.kind, p.questions.as_slice()) {
        (PatternKind::SliderByChoicePair, [_, first, second]) => {
            let (a, b) = option.split_once('+').unwrap_or((option, ""));
            f.form.and_answer(first, a).and_answer(second, b)
        }
        (_, [_, choice, ..]) => f.form.and_answer(choice, option),
        _ => f.form.clone(),
    };
    if let Some(Variable::Slider { key, .. }) =
        p.questions.first().and_then(|k| dataset.variable(k))
    {
        form = form.and_range(key, 0, 100);
    }
    form
}

/// For two sliders: how many stories lie in each quarter (low/high on each), with links.
fn quarters(p: &Pattern, dataset: &Dataset, f: &Filtered) -> Vec<(String, u64, String)> {
    let question = |i: usize| p.questions.get(i).and_then(|k| dataset.variable(k));
    let (Some(a @ Variable::Slider { .. }), Some(b @ Variable::Slider { .. })) =
        (question(0), question(1))
    else {
        return Vec::new();
    };
    let halves = [(0u32, 49u32, "laag"), (50, 100, "hoog")];
    let mut out = Vec::new();
    for (a_low, a_high, a_word) in halves {
        for (b_low, b_high, b_word) in halves {
            let inside = |v: Option<f64>, low: u32, high: u32| {
                v.is_some_and(|v| v >= f64::from(low) && v <= f64::from(high))
            };
            let n = (0..dataset.stories)
                .filter(|&i| {
                    inside(a.number(i), a_low, a_high) && inside(b.number(i), b_low, b_high)
                })
                .count() as u64;
            let form = f
                .form
                .and_range(a.key(), a_low, a_high)
                .and_range(b.key(), b_low, b_high);
            out.push((
                format!(
                    "{a_word} op '{}' ({a_low}–{a_high}), {b_word} op '{}' ({b_low}–{b_high})",
                    a.label(),
                    b.label()
                ),
                n,
                f.stories_link(&form),
            ));
        }
    }
    out
}

pub fn kind_key(kind: PatternKind) -> &'static str {
    match kind {
        PatternKind::SliderByChoice => "slider_by_choice",
        PatternKind::ChoiceByChoice => "choice_by_choice",
        PatternKind::SliderBySlider => "slider_by_slider",
        PatternKind::SliderByChoicePair => "slider_by_choice_pair",
    }
}

/// The kind named by a [`kind_key`], as posted back by the "make an observation" form.
pub fn parse_kind(key: &str) -> Option<PatternKind> {
    [
        PatternKind::SliderByChoice,
        PatternKind::ChoiceByChoice,
        PatternKind::SliderBySlider,
        PatternKind::SliderByChoicePair,
    ]
    .into_iter()
    .find(|k| kind_key(*k) == key)
}

/// The hidden fields that name a pattern on the pattern page's "make an observation" form.
#[derive(Serialize)]
pub struct PatternRef {
    pub kind: &'static str,
    pub questions: String,
}

impl PatternRef {
    pub fn of(p: &crate::analysis::Pattern) -> Self {
        PatternRef {
            kind: kind_key(p.kind),
            questions: p.questions.join(","),
        }
    }
}

pub fn kind_label(kind: PatternKind) -> &'static str {
    match kind {
        PatternKind::SliderByChoice => "schuifvraag × keuzevraag",
        PatternKind::ChoiceByChoice => "keuzevraag × keuzevraag",
        PatternKind::SliderBySlider => "schuifvraag × schuifvraag",
        PatternKind::SliderByChoicePair => "schuifvraag × twee keuzevragen",
    }
}

pub fn test_label(test: TestKind) -> &'static str {
    match test {
        TestKind::KruskalWallis => "Kruskal-Wallis H",
        TestKind::MannWhitneyU => "Mann-Whitney U",
        TestKind::ChiSquare => "chi-kwadraat",
        TestKind::Spearman => "Spearman rho",
        TestKind::RankInteraction => "Scheirer-Ray-Hare H (samenspel)",
    }
}

/// How the strength of a pattern is computed from its test's effect size (docs/methodology.md).
pub fn measure_label(test: TestKind) -> &'static str {
    match test {
        TestKind::KruskalWallis => "√ε²",
        TestKind::MannWhitneyU => "|r|",
        TestKind::ChiSquare => "Cramérs V",
        TestKind::Spearman => "|ρ|",
        TestKind::RankInteraction => "√ε² van het samenspel",
    }
}

/// The chart drawn for a pattern's kind: box plots per group (or per cell of two choice
/// questions) for a slider, stacked bars for two choice questions, a density grid for two
/// sliders. `None` for a number that is not on the 0–100 scale of a slider.
pub fn chart(p: &Pattern, dataset: &Dataset) -> Option<String> {
    let question = |i: usize| p.questions.get(i).and_then(|k| dataset.variable(k));
    let min_group = ScanSettings::default().min_group;
    match p.kind {
        PatternKind::SliderByChoice | PatternKind::SliderByChoicePair => {
            let Some(
                slider @ Variable::Slider {
                    label, left, right, ..
                },
            ) = question(0)
            else {
                return None;
            };
            let first = question(1)?;
            let mut boxes = figures::group_boxes(slider, first, question(2), min_group);
            if p.kind == PatternKind::SliderByChoicePair {
                // Only the cells that deviate most (the scan lists them), or the chart would
                // hold dozens of boxes.
                let shown: Vec<&str> = p
                    .groups
                    .iter()
                    .take(12)
                    .map(|g| g.option.as_str())
                    .collect();
                boxes.retain(|b| shown.contains(&b.options.join("+").as_str()));
            }
            Some(charts::box_plots(
                &format!("Spreiding van '{label}' per groep"),
                &boxes,
                left,
                right,
            ))
        }
        PatternKind::ChoiceByChoice => {
            let (rows, columns) = (question(0)?, question(1)?);
            let table = figures::crosstab(rows, columns)?;
            Some(charts::stacked_bars(
                &format!(
                    "Antwoorden op '{}' per antwoord op '{}'",
                    columns.label(),
                    rows.label()
                ),
                &table,
            ))
        }
        PatternKind::SliderBySlider => {
            let (x, y) = (question(0)?, question(1)?);
            let grid = figures::density(x, y, 10)?;
            // A slider's two ends, named at the ends of its axis.
            fn ends(v: &Variable) -> charts::Ends<'_> {
                match v {
                    Variable::Slider { left, right, .. } => Some((left.as_str(), right.as_str())),
                    _ => None,
                }
            }
            Some(charts::density_grid_with_ends(
                &format!(
                    "Hoe '{}' en '{}' samen zijn beantwoord",
                    x.label(),
                    y.label()
                ),
                &grid,
                (x.label(), ends(x)),
                (y.label(), ends(y)),
            ))
        }
    }
}
