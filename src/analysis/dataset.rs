//! The input of a scan: per question, one answer (or none) per story, in story order.
//! Built by the service layer from stored stories; the engine never sees story text.

mod codes;
mod edit;
pub use codes::{Code, Codes, Dense};
pub use edit::OtherQuestions;

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionLabel {
    pub key: String,
    pub label: String,
}

/// The cells of `values` where `keep` is true; cells past the end of `keep` are not kept.
fn pick<T: Copy>(values: &[T], keep: &[bool]) -> Vec<T> {
    values
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(v, _)| *v)
        .collect()
}

/// One question (or derived property) across all stories of the dataset.
#[derive(Debug, Clone, PartialEq)]
pub enum Variable {
    /// A slider 0–100; `None` is "niet van toepassing" or no answer — never a value.
    Slider {
        key: String,
        label: String,
        left: String,
        right: String,
        values: Vec<Option<u8>>,
    },
    /// Another number, e.g. the story's length in words.
    Numeric {
        key: String,
        label: String,
        values: Vec<Option<f64>>,
    },
    /// One choice out of `options` (an index into it). A multichoice question enters as one
    /// yes/no choice per option. One byte per story (see [`Codes`]).
    Choice {
        key: String,
        label: String,
        options: Vec<OptionLabel>,
        values: Codes,
    },
}

impl Variable {
    pub fn key(&self) -> &str {
        match self {
            Variable::Slider { key, .. }
            | Variable::Numeric { key, .. }
            | Variable::Choice { key, .. } => key,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Variable::Slider { label, .. }
            | Variable::Numeric { label, .. }
            | Variable::Choice { label, .. } => label,
        }
    }

    /// The value as a number, for sliders and numbers.
    pub fn number(&self, story: usize) -> Option<f64> {
        match self {
            Variable::Slider { values, .. } => values.get(story).copied().flatten().map(f64::from),
            Variable::Numeric { values, .. } => values.get(story).copied().flatten(),
            Variable::Choice { .. } => None,
        }
    }

    pub fn is_numeric(&self) -> bool {
        !matches!(self, Variable::Choice { .. })
    }
}

/// The stories of one project (after filtering), question by question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub stories: usize,
    pub variables: Vec<Variable>,
    /// Questions that take part in only some of the scan's tests (by key); every other question
    /// takes part in all of them.
    pub scan_use: BTreeMap<String, ScanUse>,
}

/// Where a question takes part in the scan. A question with many ordered levels (the month of
/// telling) would swamp the three-way tests with thin cells; a coarser stand-in (the quarter)
/// takes its place there, and only there, so the same time effect is not reported twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanUse {
    /// In the two-way tests only.
    PairsOnly,
    /// In the three-way tests only (a stand-in for a question that is `PairsOnly`).
    ThreeWayOnly,
}

impl Dataset {
    pub fn variable(&self, key: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.key() == key)
    }

    /// Whether this question takes part in the two-way tests of the scan.
    pub fn in_pairs(&self, key: &str) -> bool {
        self.scan_use.get(key) != Some(&ScanUse::ThreeWayOnly)
    }

    /// Whether this question takes part in the three-way tests of the scan.
    pub fn in_three_way(&self, key: &str) -> bool {
        self.scan_use.get(key) != Some(&ScanUse::PairsOnly)
    }

    /// The questions' labels, in the order of `keys`; a key without a question stays itself.
    pub fn labels(&self, keys: &[String]) -> Vec<String> {
        keys.iter()
            .map(|k| {
                self.variable(k)
                    .map_or(k.clone(), |v| v.label().to_string())
            })
            .collect()
    }

    /// The same questions for only the stories where `keep` is true (in story order).
    pub fn select(&self, keep: &[bool]) -> Dataset {
        let variables = self
            .variables
            .iter()
            .map(|v| match v {
                Variable::Slider {
                    key,
                    label,
                    left,
                    right,
                    values,
                } => Variable::Slider {
                    key: key.clone(),
                    label: label.clone(),
                    left: left.clone(),
                    right: right.clone(),
                    values: pick(values, keep),
                },
                Variable::Numeric { key, label, values } => Variable::Numeric {
                    key: key.clone(),
                    label: label.clone(),
                    values: pick(values, keep),
                },
                Variable::Choice {
                    key,
                    label,
                    options,
                    values,
                } => Variable::Choice {
                    key: key.clone(),
                    label: label.clone(),
                    options: options.clone(),
                    values: values.select(keep),
                },
            })
            .collect();
        Dataset {
            stories: keep.iter().take(self.stories).filter(|k| **k).count(),
            variables,
            scan_use: self.scan_use.clone(),
        }
    }

    /// Keeps only the stories where `keep` is true, in place: unlike [`Dataset::select`] it
    /// never holds two copies of the data, which for a million stories is the difference
    /// between the scan fitting in memory once or twice.
    pub fn retain_stories(&mut self, keep: &[bool]) {
        fn retain<T>(values: &mut Vec<T>, keep: &[bool]) {
            let mut flags = keep.iter();
            values.retain(|_| flags.next().copied().unwrap_or(false));
            values.shrink_to_fit();
        }
        for variable in &mut self.variables {
            match variable {
                Variable::Slider { values, .. } => retain(values, keep),
                Variable::Numeric { values, .. } => retain(values, keep),
                Variable::Choice { values, .. } => {
                    values.retain_by(keep);
                    values.shrink_to_fit();
                }
            }
        }
        self.stories = keep.iter().take(self.stories).filter(|k| **k).count();
    }

    /// Which stories meet every condition.
    pub fn matching(&self, conditions: &[Condition]) -> Result<Vec<bool>, UnknownCondition> {
        let mut keep = vec![true; self.stories];
        for condition in conditions {
            let test = self.resolve(condition)?;
            for (story, k) in keep.iter_mut().enumerate() {
                *k = *k && test(story);
            }
        }
        Ok(keep)
    }

    /// Whether a condition's questions and options exist.
    pub fn check(&self, condition: &Condition) -> Result<(), UnknownCondition> {
        self.resolve(condition).map(|_| ())
    }

    /// A condition as a test per story, after checking that its questions and options exist.
    fn resolve<'a>(
        &'a self,
        condition: &Condition,
    ) -> Result<Box<dyn Fn(usize) -> bool + 'a>, UnknownCondition> {
        match condition {
            Condition::AnyOf(alternatives) => {
                let mut tests: Vec<(&'a Codes, u16)> = Vec::new();
                for (key, option) in alternatives {
                    let unknown = || UnknownCondition(format!("{key}={option}"));
                    match self.variable(key) {
                        Some(Variable::Choice {
                            options, values, ..
                        }) => {
                            let index = options
                                .iter()
                                .position(|o| &o.key == option)
                                .ok_or_else(unknown)?;
                            tests.push((values, index as u16));
                        }
                        _ => return Err(unknown()),
                    }
                }
                Ok(Box::new(move |story| {
                    tests
                        .iter()
                        .any(|(values, wanted)| values.get(story) == Some(*wanted))
                }))
            }
            Condition::Between { key, low, high } => {
                let variable = self
                    .variable(key)
                    .filter(|v| v.is_numeric())
                    .ok_or_else(|| UnknownCondition(format!("{key}={low}-{high}")))?;
                let (low, high) = (*low, *high);
                Ok(Box::new(move |story| {
                    variable
                        .number(story)
                        .is_some_and(|v| v >= low && v <= high)
                }))
            }
        }
    }
}

/// A condition on the answers that selects stories.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// At least one of these (question key, option key) holds. A question without an answer
    /// holds none.
    AnyOf(Vec<(String, String)>),
    /// A number between `low` and `high` (inclusive); no answer is outside every range.
    Between { key: String, low: f64, high: f64 },
}

/// A condition names a question or option that the dataset does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("onbekende vraag of antwoord: {0}")]
pub struct UnknownCondition(pub String);

/// How one story met one question. A [`Variable`] only holds the answers; this tells its empty
/// cells apart, so that figures can count "not asked" apart from "not answered".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The question was not put to the teller: it is for other roles, or the questionnaire
    /// version the story was told with did not have it.
    NotAsked,
    /// Asked, but left empty or skipped.
    Unanswered,
    /// "Weet ik niet / past niet" (a slider's N/A).
    NotApplicable,
    /// Answered with a value.
    Answered,
}

/// Per question of the questionnaire (by its key; a multichoice question once, not per option),
/// how each story met it, in story order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Replies {
    pub questions: Vec<(String, Vec<Reply>)>,
}

impl Replies {
    /// The replies to one question, one per story.
    pub fn of(&self, key: &str) -> Option<&[Reply]> {
        self.questions
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.as_slice())
    }

    /// The same questions for only the stories where `keep` is true (in story order).
    pub fn select(&self, keep: &[bool]) -> Replies {
        Replies {
            questions: self
                .questions
                .iter()
                .map(|(key, replies)| {
                    let kept = replies
                        .iter()
                        .zip(keep)
                        .filter(|(_, k)| **k)
                        .map(|(r, _)| *r)
                        .collect();
                    (key.clone(), kept)
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Dataset {
        Dataset {
            stories: 4,
            scan_use: Default::default(),
            variables: vec![
                Variable::Slider {
                    key: "s".into(),
                    label: "S".into(),
                    left: "l".into(),
                    right: "r".into(),
                    values: vec![Some(10), None, Some(60), Some(90)],
                },
                Variable::Choice {
                    key: "c".into(),
                    label: "C".into(),
                    options: ["a", "b", "c"]
                        .iter()
                        .map(|k| OptionLabel {
                            key: k.to_string(),
                            label: k.to_uppercase(),
                        })
                        .collect(),
                    values: vec![Some(0), Some(1), None, Some(2)].into(),
                },
            ],
        }
    }

    #[test]
    fn conditions_combine_alternatives_with_or_and_conditions_with_and() {
        let d = data();
        let either = Condition::AnyOf(vec![("c".into(), "a".into()), ("c".into(), "c".into())]);
        assert_eq!(
            d.matching(std::slice::from_ref(&either)).unwrap(),
            [true, false, false, true]
        );
        let high = Condition::Between {
            key: "s".into(),
            low: 50.0,
            high: 100.0,
        };
        assert_eq!(
            d.matching(&[either, high.clone()]).unwrap(),
            [false, false, false, true]
        );
        // No answer is never inside a range, not even 0–100.
        let any = Condition::Between {
            key: "s".into(),
            low: 0.0,
            high: 100.0,
        };
        assert_eq!(d.matching(&[any]).unwrap(), [true, false, true, true]);
        assert_eq!(d.matching(&[]).unwrap(), [true; 4]);
    }

    #[test]
    fn unknown_questions_and_options_are_refused() {
        let d = data();
        for bad in [
            Condition::AnyOf(vec![("c".into(), "z".into())]),
            Condition::AnyOf(vec![("x".into(), "a".into())]),
            Condition::AnyOf(vec![("s".into(), "a".into())]),
            Condition::Between {
                key: "c".into(),
                low: 0.0,
                high: 1.0,
            },
        ] {
            assert!(d.matching(&[bad]).is_err());
        }
    }

    #[test]
    fn retaining_in_place_gives_the_same_data_as_selecting_a_copy() {
        for keep in [
            [true, false, false, true],
            [false; 4],
            [true; 4],
            [false, true, true, false],
        ] {
            let mut d = data();
            d.retain_stories(&keep);
            assert_eq!(d, data().select(&keep));
        }
    }

    #[test]
    fn select_keeps_the_chosen_stories_of_every_question() {
        let d = data().select(&[true, false, false, true]);
        assert_eq!(d.stories, 2);
        assert_eq!(d.variable("s").unwrap().number(1), Some(90.0));
        match d.variable("c").unwrap() {
            Variable::Choice { values, .. } => assert_eq!(values, &[Some(0), Some(2)]),
            _ => unreachable!(),
        }
    }
}
