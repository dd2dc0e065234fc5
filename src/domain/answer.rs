//! One answer to one duidingsvraag, in a form that cannot hold an impossible value.

use super::questionnaire::{Question, QuestionType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A slider position, 0 (left pole) to 100 (right pole). Cannot hold 101.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct SliderValue(u8);

impl SliderValue {
    pub fn new(value: i64) -> Option<Self> {
        (0..=100).contains(&value).then_some(Self(value as u8))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for SliderValue {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, String> {
        Self::new(v).ok_or_else(|| format!("slider value {v} is outside 0-100"))
    }
}

impl From<SliderValue> for i64 {
    fn from(v: SliderValue) -> i64 {
        v.0 as i64
    }
}

/// "Niet van toepassing / weet ik niet" is its own state: it is never a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Answer {
    Slider(SliderValue),
    NotApplicable,
    Choice(String),
    Multichoice(Vec<String>),
    Text(String),
}

impl Answer {
    /// Whether the answer carries a value (N/A and an empty selection do not).
    pub fn has_value(&self) -> bool {
        match self {
            Answer::Slider(_) | Answer::Choice(_) => true,
            Answer::NotApplicable => false,
            Answer::Multichoice(keys) => !keys.is_empty(),
            Answer::Text(t) => !t.trim().is_empty(),
        }
    }
}

/// Where a slider stands on the form before the teller touches it. A form that comes back
/// with the slider here and no choice next to it was not answered (see [`resolve_slider`]).
pub const SLIDER_START: u8 = 50;

/// What the teller chose next to a slider on the story form. A range input always sends a
/// position, so the position alone cannot tell "left in the middle" from "chose the middle".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliderChoice {
    /// No choice made (the form's default): the position counts only when it was moved.
    Open,
    /// "Ik kies de plek op de schuif": the position is the answer, the middle included.
    Position,
    /// "Weet ik niet / past niet".
    NotApplicable,
    /// "Ik sla deze vraag over".
    Skipped,
}

impl SliderChoice {
    /// The value of the form's choice field; anything unknown counts as no choice.
    pub fn from_form(value: &str) -> Self {
        match value {
            "schuif" => Self::Position,
            "na" => Self::NotApplicable,
            "leeg" => Self::Skipped,
            _ => Self::Open,
        }
    }

    pub fn as_form(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Position => "schuif",
            Self::NotApplicable => "na",
            Self::Skipped => "leeg",
        }
    }
}

/// A slider's answer in the three states a teller can leave it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SliderInput {
    /// Not answered: never a number, never "weet ik niet".
    Unanswered,
    NotApplicable,
    /// The position as sent (checked by [`parse_answer`]).
    Position(String),
}

/// Reads one slider of a posted form. `choice` is `None` where no choice field exists (CSV
/// imports, older forms): then the position and the N/A box say it all.
pub fn resolve_slider(
    position: Option<&str>,
    not_applicable: bool,
    choice: Option<SliderChoice>,
) -> SliderInput {
    let position = position.map(str::trim).filter(|p| !p.is_empty());
    let given =
        |p: Option<&str>| p.map_or(SliderInput::Unanswered, |p| SliderInput::Position(p.into()));
    match choice {
        None if not_applicable => SliderInput::NotApplicable,
        None => given(position),
        Some(SliderChoice::Position) => given(position),
        Some(SliderChoice::NotApplicable) => SliderInput::NotApplicable,
        Some(SliderChoice::Skipped) => SliderInput::Unanswered,
        Some(SliderChoice::Open) if not_applicable => SliderInput::NotApplicable,
        // Untouched: a range input that was never moved still sends its start position.
        Some(SliderChoice::Open) => match position {
            Some(p) if p.parse::<i64>().ok() == Some(i64::from(SLIDER_START)) => {
                SliderInput::Unanswered
            }
            p => given(p),
        },
    }
}

/// Answers keyed by question key. Unanswered optional questions are simply absent.
pub type Answers = BTreeMap<String, Answer>;

/// Why one raw answer value is not acceptable for its question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerProblem {
    SliderNotANumber,
    SliderOutOfRange,
    NotApplicableNotAllowed,
    UnknownOption,
    TooManyChoices,
    TextTooLong,
}

/// Longest answer to a short `text` question (the story itself has its own limit).
pub const MAX_TEXT_ANSWER_CHARS: usize = 500;

/// Turns the raw values a form or a CSV cell gave for one question into an answer.
/// `values` are the non-empty submitted values; `not_applicable` is the N/A box.
/// Returns `Ok(None)` when nothing was given.
pub fn parse_answer(
    question: &Question,
    values: &[&str],
    not_applicable: bool,
) -> Result<Option<Answer>, AnswerProblem> {
    let values: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    match question.kind {
        QuestionType::Slider => {
            if not_applicable {
                return if question.allow_na {
                    Ok(Some(Answer::NotApplicable))
                } else {
                    Err(AnswerProblem::NotApplicableNotAllowed)
                };
            }
            match values.first() {
                None => Ok(None),
                Some(raw) => {
                    let n: i64 = raw.parse().map_err(|_| AnswerProblem::SliderNotANumber)?;
                    SliderValue::new(n)
                        .map(|v| Some(Answer::Slider(v)))
                        .ok_or(AnswerProblem::SliderOutOfRange)
                }
            }
        }
        QuestionType::Choice => match values.as_slice() {
            [] => Ok(None),
            [one] if question.has_option(one) => Ok(Some(Answer::Choice(one.to_string()))),
            [_] => Err(AnswerProblem::UnknownOption),
            _ => Err(AnswerProblem::TooManyChoices),
        },
        QuestionType::Multichoice => {
            if values.is_empty() {
                return Ok(None);
            }
            if values.iter().any(|v| !question.has_option(v)) {
                return Err(AnswerProblem::UnknownOption);
            }
            // Keep the questionnaire's option order so that equal selections compare equal.
            let chosen = question
                .options
                .iter()
                .filter(|o| values.contains(&o.key.as_str()))
                .map(|o| o.key.clone())
                .collect();
            Ok(Some(Answer::Multichoice(chosen)))
        }
        QuestionType::Text => match values.first() {
            None => Ok(None),
            Some(text) if text.chars().count() > MAX_TEXT_ANSWER_CHARS => {
                Err(AnswerProblem::TextTooLong)
            }
            Some(text) => Ok(Some(Answer::Text(text.to_string()))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::tests::sample;

    #[test]
    fn slider_value_bounds() {
        assert!(SliderValue::new(-1).is_none());
        assert!(SliderValue::new(101).is_none());
        assert_eq!(SliderValue::new(100).map(SliderValue::get), Some(100));
        assert_eq!(SliderValue::new(0).map(SliderValue::get), Some(0));
    }

    #[test]
    fn slider_answers() {
        let q = sample();
        let gehoord = q.question("gehoord").unwrap();
        let op_tijd = q.question("op_tijd").unwrap();
        assert_eq!(
            parse_answer(gehoord, &["42"], false),
            Ok(Some(Answer::Slider(SliderValue::new(42).unwrap())))
        );
        assert_eq!(
            parse_answer(gehoord, &["101"], false),
            Err(AnswerProblem::SliderOutOfRange)
        );
        assert_eq!(
            parse_answer(gehoord, &["veel"], false),
            Err(AnswerProblem::SliderNotANumber)
        );
        assert_eq!(
            parse_answer(gehoord, &["50"], true),
            Err(AnswerProblem::NotApplicableNotAllowed)
        );
        assert_eq!(
            parse_answer(op_tijd, &["50"], true),
            Ok(Some(Answer::NotApplicable))
        );
        assert_eq!(parse_answer(op_tijd, &[], false), Ok(None));
    }

    #[test]
    fn choice_answers() {
        let q = sample();
        let gevoel = q.question("gevoel").unwrap();
        assert_eq!(
            parse_answer(gevoel, &["goed"], false),
            Ok(Some(Answer::Choice("goed".into())))
        );
        assert_eq!(
            parse_answer(gevoel, &["super"], false),
            Err(AnswerProblem::UnknownOption)
        );
        assert_eq!(
            parse_answer(gevoel, &["goed", "slecht"], false),
            Err(AnswerProblem::TooManyChoices)
        );
    }

    #[test]
    fn multichoice_keeps_questionnaire_order() {
        let q = sample();
        let hulp = q.question("hulp").unwrap();
        assert_eq!(
            parse_answer(hulp, &["school", "wijkteam"], false),
            Ok(Some(Answer::Multichoice(vec![
                "wijkteam".into(),
                "school".into()
            ])))
        );
        assert_eq!(
            parse_answer(hulp, &["wijkteam", "x"], false),
            Err(AnswerProblem::UnknownOption)
        );
    }

    #[test]
    fn untouched_sliders_are_not_answered() {
        use SliderChoice::*;
        let pos = |p: &str| SliderInput::Position(p.into());
        // The form's default: no choice, the slider where it started.
        assert_eq!(
            resolve_slider(Some("50"), false, Some(Open)),
            SliderInput::Unanswered
        );
        // Moved without making a choice (a form without JavaScript).
        assert_eq!(resolve_slider(Some("70"), false, Some(Open)), pos("70"));
        // The middle on purpose.
        assert_eq!(resolve_slider(Some("50"), false, Some(Position)), pos("50"));
        assert_eq!(
            resolve_slider(Some("70"), false, Some(Skipped)),
            SliderInput::Unanswered
        );
        assert_eq!(
            resolve_slider(Some("70"), false, Some(NotApplicable)),
            SliderInput::NotApplicable
        );
        // The choice decides, not an N/A box that was left ticked.
        assert_eq!(resolve_slider(Some("70"), true, Some(Position)), pos("70"));
        // Imports and the API have no choice field: a 50 there is a 50.
        assert_eq!(resolve_slider(Some("50"), false, None), pos("50"));
        assert_eq!(
            resolve_slider(Some(" "), false, None),
            SliderInput::Unanswered
        );
        assert_eq!(
            resolve_slider(Some("50"), true, None),
            SliderInput::NotApplicable
        );
        for value in ["schuif", "na", "leeg", "open"] {
            assert_eq!(SliderChoice::from_form(value).as_form(), value);
        }
        assert_eq!(SliderChoice::from_form("iets"), Open);
    }

    #[test]
    fn na_is_not_a_value() {
        assert!(!Answer::NotApplicable.has_value());
        assert!(!Answer::Multichoice(vec![]).has_value());
        assert!(Answer::Slider(SliderValue::new(0).unwrap()).has_value());
    }
}
