//! Comparisons as data the rest of the engine understands: the stories of several projects
//! joined into one [`Dataset`] (question by question, by key), and one compared question as a
//! [`Pattern`] over that question and the side a story is on, so that a comparison becomes an
//! observation card drawn and illustrated like any other (typical stories, bands, tables).

use super::dataset::{Codes, Dataset, OptionLabel, Variable};
use super::scan::{self, Pattern, ScanSettings};
use super::{ChoiceComparison, NumberComparison};

/// The key of the question "which side is this story on" in a card's dataset.
pub const SIDE: &str = "kant";

/// The stories of `parts` one after the other, with the questions `keys` (in that order; a
/// key no part has is left out). A question that some part lacks is unanswered in its stories.
/// Choice options are matched by key: options a later part adds come after the first part's.
pub fn join(parts: &[&Dataset], keys: &[&str]) -> Dataset {
    let stories: usize = parts.iter().map(|p| p.stories).sum();
    let variables = keys
        .iter()
        .filter_map(|key| {
            let first = parts.iter().find_map(|p| p.variable(key))?;
            Some(join_variable(first, parts, key))
        })
        .collect();
    Dataset {
        stories,
        variables,
        scan_use: Default::default(),
    }
}

fn join_variable(first: &Variable, parts: &[&Dataset], key: &str) -> Variable {
    match first {
        Variable::Slider {
            key,
            label,
            left,
            right,
            ..
        } => Variable::Slider {
            key: key.clone(),
            label: label.clone(),
            left: left.clone(),
            right: right.clone(),
            values: parts
                .iter()
                .flat_map(|p| match p.variable(key) {
                    Some(Variable::Slider { values, .. }) if values.len() == p.stories => {
                        values.clone()
                    }
                    _ => vec![None; p.stories],
                })
                .collect(),
        },
        Variable::Numeric { key, label, .. } => Variable::Numeric {
            key: key.clone(),
            label: label.clone(),
            values: parts
                .iter()
                .flat_map(|p| (0..p.stories).map(move |s| p.variable(key)?.number(s)))
                .collect(),
        },
        Variable::Choice { label, .. } => {
            let mut options: Vec<OptionLabel> = Vec::new();
            let mut values: Vec<Option<u16>> = Vec::new();
            for p in parts {
                match p.variable(key) {
                    Some(Variable::Choice {
                        options: own,
                        values: codes,
                        ..
                    }) => {
                        let map: Vec<usize> = own
                            .iter()
                            .map(|o| match options.iter().position(|x| x.key == o.key) {
                                Some(i) => i,
                                None => {
                                    options.push(o.clone());
                                    options.len() - 1
                                }
                            })
                            .collect();
                        values.extend((0..p.stories).map(|s| {
                            let own = usize::from(codes.get(s)?);
                            map.get(own).and_then(|&i| u16::try_from(i).ok())
                        }));
                    }
                    _ => values.extend(std::iter::repeat_n(None, p.stories)),
                }
            }
            Variable::Choice {
                key: key.to_string(),
                label: label.clone(),
                options,
                values: Codes::from(values),
            }
        }
    }
}

/// The figures of one compared question, as the comparison found them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub statistic: f64,
    pub p_value: f64,
    pub q_value: f64,
    pub effect_size: f64,
    pub strength: f64,
    pub strong: bool,
}

impl From<&NumberComparison> for Figures {
    fn from(n: &NumberComparison) -> Self {
        Figures {
            statistic: n.statistic,
            p_value: n.p_value,
            q_value: n.q_value,
            effect_size: n.effect_size,
            strength: n.strength,
            strong: n.strong,
        }
    }
}

impl From<&ChoiceComparison> for Figures {
    fn from(c: &ChoiceComparison) -> Self {
        Figures {
            statistic: c.statistic,
            p_value: c.p_value,
            q_value: c.q_value,
            effect_size: c.effect_size,
            strength: c.strength,
            strong: c.strong,
        }
    }
}

/// One compared question as a pattern over (`key`, [`SIDE`]): the side's first option is the
/// group (`in_group`), the second the reference (`names`: their labels; `side_label` names
/// the side question, e.g. "Groep" or "Project"). The pattern's test
/// is the one the comparison ran (Mann–Whitney U or χ² of the same two groups), and its
/// figures are replaced by the comparison's own, so that the card shows the q-value of the
/// whole comparison, not of a scan of one test. Returns the pattern and the dataset it is of:
/// the question, the side, and `extra` questions of `data` (the role and the length, which
/// typical stories need). `None` when the question is not in `data` or cannot be tested.
#[allow(clippy::too_many_arguments)]
pub fn as_pattern(
    data: &Dataset,
    in_group: &[bool],
    key: &str,
    names: [&str; 2],
    side_label: &str,
    figures: Figures,
    description: &str,
    extra: &[&str],
) -> Option<(Pattern, Dataset)> {
    let question = data.variable(key)?.clone();
    let side = Variable::Choice {
        key: SIDE.to_string(),
        label: side_label.to_string(),
        options: names
            .iter()
            .enumerate()
            .map(|(i, name)| OptionLabel {
                key: ["groep", "ernaast"][i].to_string(),
                label: name.to_string(),
            })
            .collect(),
        values: (0..data.stories)
            .map(|s| Some(u16::from(!in_group.get(s).copied().unwrap_or(false))))
            .collect(),
    };
    let pair = Dataset {
        stories: data.stories,
        variables: vec![question.clone(), side.clone()],
        scan_use: Default::default(),
    };
    let found = scan::scan(&pair, ScanSettings::default());
    let mut pattern = found.patterns.into_iter().next()?;
    pattern.statistic = figures.statistic;
    pattern.p_value = figures.p_value;
    pattern.q_value = figures.q_value;
    pattern.effect_size = figures.effect_size;
    pattern.strength = figures.strength;
    pattern.strong = figures.strong;
    pattern.description = description.to_string();
    let mut variables = vec![question, side];
    variables.extend(
        extra
            .iter()
            .filter(|k| **k != key)
            .filter_map(|k| data.variable(k).cloned()),
    );
    Some((
        pattern,
        Dataset {
            stories: data.stories,
            variables,
            scan_use: Default::default(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{compare, CompareSettings, PatternKind};

    fn slider(key: &str, values: Vec<Option<u8>>) -> Variable {
        Variable::Slider {
            key: key.into(),
            label: key.to_uppercase(),
            left: "l".into(),
            right: "r".into(),
            values,
        }
    }

    fn choice(key: &str, options: &[&str], values: Vec<Option<u16>>) -> Variable {
        Variable::Choice {
            key: key.into(),
            label: key.to_uppercase(),
            options: options
                .iter()
                .map(|o| OptionLabel {
                    key: o.to_string(),
                    label: o.to_uppercase(),
                })
                .collect(),
            values: values.into(),
        }
    }

    fn data(stories: usize, variables: Vec<Variable>) -> Dataset {
        Dataset {
            stories,
            variables,
            scan_use: Default::default(),
        }
    }

    #[test]
    fn joining_matches_options_by_key_and_fills_missing_questions() {
        let a = data(
            2,
            vec![
                slider("s", vec![Some(10), None]),
                choice("rol", &["jongere", "ouder"], vec![Some(1), Some(0)]),
            ],
        );
        let b = data(
            3,
            vec![choice(
                "rol",
                &["ouder", "professional"],
                vec![Some(0), Some(1), None],
            )],
        );
        let joined = join(&[&a, &b], &["s", "rol", "onbekend"]);
        assert_eq!(joined.stories, 5);
        assert_eq!(joined.variables.len(), 2);
        let s: Vec<Option<f64>> = (0..5).map(|i| joined.variables[0].number(i)).collect();
        assert_eq!(s, [Some(10.0), None, None, None, None]);
        match &joined.variables[1] {
            Variable::Choice {
                options, values, ..
            } => {
                let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
                assert_eq!(keys, ["jongere", "ouder", "professional"]);
                let v: Vec<Option<u16>> = values.iter().collect();
                assert_eq!(v, [Some(1), Some(0), Some(1), Some(2), None]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_compared_question_becomes_a_pattern_with_the_comparisons_figures() {
        let n = 40;
        let in_group: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
        let s = (0..n)
            .map(|i| {
                Some(if i % 2 == 0 {
                    70 + (i % 7) as u8
                } else {
                    30 + (i % 5) as u8
                })
            })
            .collect();
        let c = (0..n).map(|i| Some(((i / 2) % 3) as u16)).collect();
        let d = data(
            n,
            vec![
                slider("s", s),
                choice("c", &["a", "b", "x"], c),
                Variable::Numeric {
                    key: "lengte".into(),
                    label: "Lengte".into(),
                    values: vec![Some(50.0); n],
                },
            ],
        );
        let compared = compare(&d, &in_group, &[], CompareSettings::default());
        let number = &compared.numbers[0];
        let (pattern, set) = as_pattern(
            &d,
            &in_group,
            "s",
            ["Regio", "Landelijk"],
            "Project",
            number.into(),
            &number.description,
            &["lengte", "rol"],
        )
        .expect("a pattern");
        assert_eq!(pattern.kind, PatternKind::SliderByChoice);
        assert_eq!(pattern.questions, ["s", SIDE]);
        assert_eq!(set.labels(&pattern.questions), ["S", "Project"]);
        assert_eq!(pattern.q_value, number.q_value);
        assert!(
            pattern.effect_size > 0.9,
            "the group is higher: {pattern:?}"
        );
        // The scan's own test of the two groups is the comparison's.
        assert!((pattern.p_value - number.p_value).abs() < 1e-12);
        let labels: Vec<&str> = pattern.groups.iter().map(|g| g.label.as_str()).collect();
        assert!(labels.contains(&"Regio") && labels.contains(&"Landelijk"));
        let keys: Vec<&str> = set.variables.iter().map(|v| v.key()).collect();
        assert_eq!(keys, ["s", SIDE, "lengte"]);
        let choice = &compared.choices[0];
        let (pattern, _) = as_pattern(
            &d,
            &in_group,
            "c",
            ["Regio", "Landelijk"],
            "Project",
            choice.into(),
            &choice.description,
            &[],
        )
        .expect("a pattern");
        assert_eq!(pattern.kind, PatternKind::ChoiceByChoice);
        assert_eq!(pattern.statistic, choice.statistic);
        assert!(as_pattern(
            &d,
            &in_group,
            "geen",
            ["a", "b"],
            "",
            choice.into(),
            "",
            &[]
        )
        .is_none());
    }
}
