//! How a pattern of the scan is shown: its names and labels, the hidden fields that name it on
//! the "make an observation" form, and the chart drawn for its kind.

use super::charts;
use crate::analysis::{figures, Dataset, Pattern, PatternKind, ScanSettings, TestKind, Variable};
use serde::Serialize;

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

pub fn number(value: f64) -> String {
    if value != 0.0 && value.abs() < 0.001 {
        format!("{value:.2e}")
    } else {
        format!("{value:.3}")
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
            Some(charts::density_grid(
                &format!(
                    "Hoe '{}' en '{}' samen zijn beantwoord",
                    x.label(),
                    y.label()
                ),
                &grid,
                x.label(),
                y.label(),
            ))
        }
    }
}
