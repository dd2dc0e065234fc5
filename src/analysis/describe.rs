//! One plain-Dutch sentence per pattern, made from its figures. These sentences describe, they
//! do not explain: explaining is what people do with the stories at the table.

use super::dataset::Variable;
use super::scan::{Cell, GroupSummary};

/// A number the Dutch way: decimal comma (see [`super::numbers`]).
pub fn dutch(value: f64, decimals: usize) -> String {
    super::numbers::decimal(value, decimals)
}

fn extremes(groups: &[GroupSummary]) -> Option<(&GroupSummary, &GroupSummary)> {
    let with_mean = groups.iter().filter(|g| g.mean.is_some());
    let high = with_mean
        .clone()
        .max_by(|a, b| a.mean.unwrap_or(0.0).total_cmp(&b.mean.unwrap_or(0.0)))?;
    let low = with_mean.min_by(|a, b| a.mean.unwrap_or(0.0).total_cmp(&b.mean.unwrap_or(0.0)))?;
    Some((high, low))
}

pub fn slider_by_choice(number: &Variable, choice: &Variable, groups: &[GroupSummary]) -> String {
    let Some((high, low)) = extremes(groups) else {
        return String::new();
    };
    let (hm, lm) = (high.mean.unwrap_or(0.0), low.mean.unwrap_or(0.0));
    match number {
        Variable::Slider {
            label, left, right, ..
        } => format!(
            "Bij '{label}' zit '{}' ({}) gemiddeld het dichtst bij '{right}' ({}), en '{}' het dichtst bij '{left}' ({}).",
            high.label,
            choice.label(),
            dutch(hm, 0),
            low.label,
            dutch(lm, 0)
        ),
        _ => format!(
            "'{}' is gemiddeld het hoogst bij '{}' ({}: {}) en het laagst bij '{}' ({}).",
            number.label(),
            high.label,
            choice.label(),
            dutch(hm, 0),
            low.label,
            dutch(lm, 0)
        ),
    }
}

pub fn choice_by_choice(a: &Variable, b: &Variable, cells: &[Cell]) -> String {
    let Some(cell) = cells.first() else {
        return String::new();
    };
    let how = if cell.residual >= 0.0 {
        "vaker"
    } else {
        "minder vaak"
    };
    format!(
        "{} gaat {how} samen met {} dan je bij toeval zou verwachten: {} keer in plaats van ongeveer {}.",
        answer(a, &cell.row, &cell.row_label),
        answer(b, &cell.column, &cell.column_label),
        cell.observed,
        dutch(cell.expected, 0)
    )
}

/// One answer in words. A multichoice option enters the scan as its own yes/no question
/// ("Wie was erbij: school", options "school: ja"/"school: nee"); naming both would say the
/// option twice, so it reads "'Wie was erbij: school' aangekruist".
fn answer(question: &Variable, key: &str, label: &str) -> String {
    let yes_no = label.ends_with(&format!(": {key}"));
    match key {
        "ja" if yes_no => format!("'{}' aangekruist", question.label()),
        "nee" if yes_no => format!("'{}' niet aangekruist", question.label()),
        _ => format!("'{label}' bij '{}'", question.label()),
    }
}

pub fn slider_by_slider(a: &Variable, b: &Variable, rho: f64) -> String {
    let direction = if rho >= 0.0 { "hoger" } else { "lager" };
    format!(
        "Hoe hoger '{}', hoe {direction} meestal '{}' (rho = {}).",
        a.label(),
        b.label(),
        dutch(rho, 2)
    )
}

pub fn slider_by_choice_pair(slider: &Variable, cells: &[GroupSummary]) -> String {
    let Some(cell) = cells.first() else {
        return String::new();
    };
    let how = if cell.z.unwrap_or(0.0) >= 0.0 {
        "hoger"
    } else {
        "lager"
    };
    format!(
        "Bij '{}' wijkt de groep '{}' het meest af: gemiddeld {}, {how} dan de andere groepen ({}).",
        slider.label(),
        cell.label,
        dutch(cell.mean.unwrap_or(0.0), 0),
        super::numbers::counted(cell.n, "verhaal", "verhalen")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multichoice_option_is_named_once() {
        let option = |key: &str| Variable::Choice {
            key: key.into(),
            label: format!("Wie was erbij: {key}"),
            options: ["nee", "ja"]
                .iter()
                .map(|k| super::super::dataset::OptionLabel {
                    key: k.to_string(),
                    label: format!("{key}: {k}"),
                })
                .collect(),
            values: super::super::dataset::Codes::new(),
        };
        let cell = Cell {
            row: "ja".into(),
            row_label: "school: ja".into(),
            column: "nee".into(),
            column_label: "buurt: nee".into(),
            observed: 30,
            expected: 12.4,
            residual: 3.0,
        };
        let text = choice_by_choice(&option("school"), &option("buurt"), &[cell]);
        assert_eq!(
            text,
            "'Wie was erbij: school' aangekruist gaat vaker samen met 'Wie was erbij: buurt' niet aangekruist dan je bij toeval zou verwachten: 30 keer in plaats van ongeveer 12."
        );
    }

    #[test]
    fn numbers_use_a_decimal_comma() {
        assert_eq!(dutch(0.4249, 2), "0,42");
        assert_eq!(dutch(71.6, 0), "72");
    }
}
