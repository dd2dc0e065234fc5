//! What the templates get: plain serialisable views of projects, questions and answers in the
//! reader's language, with the messages for any field problems.

use crate::domain::answer::{AnswerProblem, SliderChoice, SLIDER_START};
use crate::domain::questionnaire::{Question, QuestionType, Questionnaire, Role};
use crate::domain::{Answer, FieldError, Problem, Project, RawSubmission};
use crate::render::i18n::Catalogs;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
pub struct ProjectView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub intro: Option<&'a str>,
    pub privacy_statement: Option<&'a str>,
    pub closed_message: Option<&'a str>,
    pub help_lines: &'a [crate::domain::HelpLine],
    pub max_story_chars: u32,
    pub max_title_chars: u32,
}

impl<'a> ProjectView<'a> {
    pub fn new(p: &'a Project) -> Self {
        Self {
            slug: &p.slug,
            name: &p.name,
            intro: p.settings.intro.as_deref(),
            privacy_statement: p.settings.privacy_statement.as_deref(),
            closed_message: p.settings.closed_message.as_deref(),
            help_lines: &p.settings.help_lines,
            max_story_chars: p.settings.max_story_chars,
            max_title_chars: p.settings.max_title_chars,
        }
    }
}

#[derive(Serialize)]
pub struct RoleView {
    pub key: String,
    pub label: String,
    pub prompt: Option<String>,
    pub title_hint: Option<String>,
}

impl RoleView {
    /// A role of the questionnaire as the teller gets it: pass the questionnaire in the
    /// teller's language (`Project::questionnaire_in`), so its texts are already translated.
    pub fn new(role: &Role) -> Self {
        Self {
            key: role.key.clone(),
            label: role.label.clone(),
            prompt: role.prompt.clone(),
            title_hint: role.title_hint.clone(),
        }
    }
}

/// The roles of a questionnaire (in the teller's language) for the role choice.
pub fn role_views(questionnaire: &Questionnaire) -> Vec<RoleView> {
    questionnaire.roles.iter().map(RoleView::new).collect()
}

#[derive(Serialize)]
pub struct OptionView {
    pub key: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Serialize)]
pub struct QuestionView {
    pub key: String,
    pub kind: &'static str,
    pub label: String,
    pub help: Option<String>,
    pub left: Option<String>,
    pub right: Option<String>,
    pub allow_na: bool,
    pub required: bool,
    pub options: Vec<OptionView>,
    /// The slider position or text as typed (an unanswered slider sits at its start).
    pub value: String,
    /// A slider's state as the form shows it again: `open` (not touched), `schuif`
    /// (answered), `na` (weet ik niet) or `leeg` (skipped on purpose).
    pub state: &'static str,
    pub error: Option<String>,
}

fn kind_name(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Slider => "slider",
        QuestionType::Choice => "choice",
        QuestionType::Multichoice => "multichoice",
        QuestionType::Text => "text",
    }
}

/// Where a slider is drawn and which of its choices is ticked, from what was posted.
fn slider_state(q: &Question, raw: &RawSubmission) -> (String, &'static str) {
    let start = SLIDER_START.to_string();
    let position = raw
        .values
        .get(&q.key)
        .and_then(|v| v.first())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|v| (0..=100).contains(v))
        .map(|v| v.to_string());
    let choice = raw.slider_choices.get(&q.key).copied();
    let (values, na) = raw.input(q);
    let state = if na {
        SliderChoice::NotApplicable
    } else if !values.is_empty() {
        SliderChoice::Position
    } else if choice == Some(SliderChoice::Skipped) {
        SliderChoice::Skipped
    } else {
        SliderChoice::Open
    };
    (position.unwrap_or(start), state.as_form())
}

/// A question's label for this role (texts as in the questionnaire given: Dutch, or already
/// translated with `Project::questionnaire_in`).
pub fn question_label(q: &Question, role: &str) -> String {
    q.role_labels
        .get(role)
        .cloned()
        .unwrap_or_else(|| q.label.clone())
}

pub fn option_label(q: &Question, key: &str) -> String {
    q.options
        .iter()
        .find(|o| o.key == key)
        .map(|o| o.label.clone())
        .unwrap_or_else(|| key.to_string())
}

impl QuestionView {
    pub fn new(
        q: &Question,
        role: &str,
        raw: &RawSubmission,
        errors: &HashMap<String, String>,
    ) -> Self {
        let values = raw.values.get(&q.key).cloned().unwrap_or_default();
        let (value, state) = match q.kind {
            QuestionType::Slider => slider_state(q, raw),
            _ => (values.first().cloned().unwrap_or_default(), ""),
        };
        Self {
            key: q.key.clone(),
            kind: kind_name(q.kind),
            label: question_label(q, role),
            help: q.help.clone(),
            left: q.left.clone(),
            right: q.right.clone(),
            allow_na: q.allow_na,
            required: q.required,
            options: q
                .options
                .iter()
                .map(|o| OptionView {
                    key: o.key.clone(),
                    label: o.label.clone(),
                    checked: values.iter().any(|v| v == &o.key),
                })
                .collect(),
            value,
            state,
            error: errors.get(&q.key).cloned(),
        }
    }
}

/// A carried-over context answer, shown so the teller knows what we reused.
#[derive(Serialize)]
pub struct CarriedView {
    pub label: String,
    pub answer: String,
}

pub fn carried_view(
    q: &Question,
    role: &str,
    lang: &str,
    answer: &Answer,
    catalogs: &Catalogs,
) -> CarriedView {
    let answer = match answer {
        Answer::Slider(v) => v.get().to_string(),
        Answer::NotApplicable => catalogs.text(lang, "form.not_applicable", &[]),
        Answer::Choice(k) => option_label(q, k),
        Answer::Multichoice(keys) => keys
            .iter()
            .map(|k| option_label(q, k))
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Text(t) => t.clone(),
    };
    CarriedView {
        label: question_label(q, role),
        answer,
    }
}

/// 25000 as a reader of the language writes it: "25.000" in Dutch, "25,000" in English,
/// "25 000" in Polish ([`crate::render::numbers`]).
pub fn grouped(n: u32, lang: &str) -> String {
    crate::render::numbers::grouped(u64::from(n), lang)
}

/// The plain-language message for a field problem.
pub fn problem_message(catalogs: &Catalogs, lang: &str, problem: &Problem) -> String {
    let (key, args): (&str, Vec<(&str, String)>) = match problem {
        Problem::UnknownRole => ("error.unknown_role", vec![]),
        Problem::TitleEmpty => ("error.title_empty", vec![]),
        Problem::TitleTooLong { max } => ("error.title_too_long", vec![("max", max.to_string())]),
        Problem::TextEmpty => ("error.text_empty", vec![]),
        Problem::TextTooLong { max, actual } => (
            "error.text_too_long",
            vec![
                ("max", grouped(*max, lang)),
                ("actual", grouped(*actual, lang)),
                ("over", grouped(actual.saturating_sub(*max), lang)),
            ],
        ),
        Problem::Required => ("error.required", vec![]),
        Problem::ConsentMissing => ("error.consent_missing", vec![]),
        Problem::Answer { answer } => (
            match answer {
                AnswerProblem::SliderNotANumber | AnswerProblem::SliderOutOfRange => {
                    "error.slider_range"
                }
                AnswerProblem::NotApplicableNotAllowed => "error.na_not_allowed",
                AnswerProblem::UnknownOption => "error.unknown_option",
                AnswerProblem::TooManyChoices => "error.too_many_choices",
                AnswerProblem::TextTooLong => "error.answer_too_long",
            },
            vec![],
        ),
    };
    catalogs.text(lang, key, &args)
}

/// One line of the error summary: the field's label and what to do, linking to the field.
#[derive(Serialize)]
pub struct ErrorLink {
    pub field: String,
    pub text: String,
}

impl ErrorLink {
    pub fn new(field: &str, label: &str, message: &str) -> Self {
        let label = label.trim();
        // "Hoe oud ben je? Kies …", not "Hoe oud ben je?: Kies …".
        let text = if label.ends_with(['?', '!', '.', ':']) {
            format!("{label} {message}")
        } else {
            format!("{label}: {message}")
        };
        Self {
            field: field.to_string(),
            text,
        }
    }
}

/// The message per field. A missing slider answer gets its own words: "geef een antwoord"
/// does not tell a teller that an untouched slider counts as no answer.
pub fn field_messages(
    catalogs: &Catalogs,
    lang: &str,
    questionnaire: &Questionnaire,
    errors: &[FieldError],
) -> HashMap<String, String> {
    errors
        .iter()
        .map(|e| {
            let slider = questionnaire
                .question(&e.field)
                .is_some_and(|q| q.kind == QuestionType::Slider);
            let message = match e.problem {
                Problem::Required if slider => catalogs.text(lang, "error.slider_required", &[]),
                ref problem => problem_message(catalogs, lang, problem),
            };
            (e.field.clone(), message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(grouped(25000, "nl"), "25.000");
        assert_eq!(grouped(1234567, "en"), "1,234,567");
        assert_eq!(grouped(25000, "uk"), "25\u{a0}000");
        assert_eq!(grouped(999, "nl"), "999");
    }

    #[test]
    fn error_lines_do_not_double_punctuation() {
        assert_eq!(
            ErrorLink::new("leeftijd", "Hoe oud ben je?", "Kies een antwoord.").text,
            "Hoe oud ben je? Kies een antwoord."
        );
        assert_eq!(
            ErrorLink::new("titel", "Titel van je verhaal", "Geef een titel.").text,
            "Titel van je verhaal: Geef een titel."
        );
    }
}
