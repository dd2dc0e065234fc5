//! A storyteller's submission: from raw form values to a valid story, or to a list of
//! field problems that the form shows next to the fields (keeping what was typed).

use super::answer::{parse_answer, Answer, AnswerProblem, Answers};
use super::project::{CompletenessRule, ProjectSettings};
use super::questionnaire::Questionnaire;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What the form (or an import row) delivered, before any checking.
#[derive(Debug, Clone, Default)]
pub struct RawSubmission {
    pub role: String,
    pub title: String,
    pub text: String,
    /// Submitted values per question key (several for a multichoice).
    pub values: HashMap<String, Vec<String>>,
    /// Question keys whose "niet van toepassing / weet ik niet" box was ticked.
    pub not_applicable: HashSet<String>,
    pub consent_analysis: bool,
    pub consent_quotes: bool,
}

/// A submission that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidStory {
    pub role: String,
    pub title: String,
    pub text: String,
    pub answers: Answers,
    pub consent_analysis: bool,
    pub consent_quotes: bool,
    pub complete: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    UnknownRole,
    TitleEmpty,
    TitleTooLong { max: u32 },
    TextEmpty,
    TextTooLong { max: u32, actual: u32 },
    Required,
    ConsentMissing,
    Answer { answer: AnswerProblem },
}

/// A problem with one field. `field` is the form field's name (`titel`, `verhaal`, a question key …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    fn new(field: &str, problem: Problem) -> Self {
        Self {
            field: field.to_string(),
            problem,
        }
    }
}

pub const FIELD_ROLE: &str = "rol";
pub const FIELD_TITLE: &str = "titel";
pub const FIELD_TEXT: &str = "verhaal";
pub const FIELD_CONSENT: &str = "toestemming";

/// Counts words the way a reader would: runs of characters that contain a letter or digit.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Applies the project's completeness rule. Only questions asked of `role` count.
pub fn is_complete(
    rule: CompletenessRule,
    questionnaire: &Questionnaire,
    role: &str,
    text: &str,
    answers: &Answers,
) -> bool {
    if word_count(text) < rule.min_words as usize {
        return false;
    }
    questionnaire
        .questions_for(role)
        .filter(|q| q.is_sensemaking_question())
        .take(rule.first_questions as usize)
        .all(|q| answers.get(&q.key).is_some_and(Answer::has_value))
}

/// Checks a submission against the questionnaire and the project's limits.
///
/// `carried` holds context answers carried over from an earlier story in the same visit;
/// those questions are not asked again, so their form values are ignored.
pub fn validate_submission(
    questionnaire: &Questionnaire,
    settings: &ProjectSettings,
    raw: &RawSubmission,
    carried: Option<&Answers>,
) -> Result<ValidStory, Vec<FieldError>> {
    let mut errors = Vec::new();
    let role = raw.role.trim();
    if questionnaire.role(role).is_none() {
        // Without a known role we cannot know which questions apply.
        return Err(vec![FieldError::new(FIELD_ROLE, Problem::UnknownRole)]);
    }

    let title = raw.title.trim();
    let title_len = title.chars().count() as u32;
    if title.is_empty() {
        errors.push(FieldError::new(FIELD_TITLE, Problem::TitleEmpty));
    } else if title_len > settings.max_title_chars {
        errors.push(FieldError::new(
            FIELD_TITLE,
            Problem::TitleTooLong {
                max: settings.max_title_chars,
            },
        ));
    }

    // The story is stored as written; only surrounding blank space goes.
    let text = raw.text.trim();
    let text_len = text.chars().count() as u32;
    if text.is_empty() {
        errors.push(FieldError::new(FIELD_TEXT, Problem::TextEmpty));
    } else if text_len > settings.max_story_chars {
        errors.push(FieldError::new(
            FIELD_TEXT,
            Problem::TextTooLong {
                max: settings.max_story_chars,
                actual: text_len,
            },
        ));
    }

    let mut answers = Answers::new();
    for question in questionnaire.questions_for(role) {
        if question.context {
            if let Some(answer) = carried.and_then(|c| c.get(&question.key)) {
                answers.insert(question.key.clone(), answer.clone());
                continue;
            }
        }
        let values: Vec<&str> = raw
            .values
            .get(&question.key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let na = raw.not_applicable.contains(&question.key);
        match parse_answer(question, &values, na) {
            Ok(Some(answer)) => {
                answers.insert(question.key.clone(), answer);
            }
            Ok(None) if question.required => {
                errors.push(FieldError::new(&question.key, Problem::Required))
            }
            Ok(None) => {}
            Err(problem) => errors.push(FieldError::new(
                &question.key,
                Problem::Answer { answer: problem },
            )),
        }
    }

    if !raw.consent_analysis {
        errors.push(FieldError::new(FIELD_CONSENT, Problem::ConsentMissing));
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let complete = is_complete(settings.completeness, questionnaire, role, text, &answers);
    Ok(ValidStory {
        role: role.to_string(),
        title: title.to_string(),
        text: text.to_string(),
        answers,
        consent_analysis: raw.consent_analysis,
        consent_quotes: raw.consent_quotes,
        complete,
    })
}

/// The context answers of a story, to carry over to the teller's next story.
pub fn context_answers(questionnaire: &Questionnaire, answers: &Answers) -> Answers {
    answers
        .iter()
        .filter(|(key, _)| questionnaire.question(key).is_some_and(|q| q.context))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answer::SliderValue;
    use crate::domain::questionnaire::tests::sample;

    fn raw() -> RawSubmission {
        let mut values = HashMap::new();
        values.insert("gehoord".to_string(), vec!["80".to_string()]);
        values.insert("op_tijd".to_string(), vec!["30".to_string()]);
        values.insert("gevoel".to_string(), vec!["goed".to_string()]);
        values.insert("gemeente".to_string(), vec!["wijchen".to_string()]);
        RawSubmission {
            role: "jongere".into(),
            title: "  Eindelijk hulp ".into(),
            text: "Mijn mentor luisterde echt naar mij en ".repeat(5),
            values,
            consent_analysis: true,
            ..Default::default()
        }
    }

    #[test]
    fn valid_submission_is_accepted_and_complete() {
        let story = validate_submission(&sample(), &ProjectSettings::default(), &raw(), None)
            .expect("valid");
        assert_eq!(story.title, "Eindelijk hulp");
        assert_eq!(
            story.answers.get("gehoord"),
            Some(&Answer::Slider(SliderValue::new(80).unwrap()))
        );
        assert!(story.complete);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut r = raw();
        r.title = " ".into();
        r.text = "".into();
        r.values.remove("gehoord");
        r.values.insert("gevoel".into(), vec!["onbekend".into()]);
        r.consent_analysis = false;
        let errors =
            validate_submission(&sample(), &ProjectSettings::default(), &r, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["titel", "verhaal", "gehoord", "gevoel", "toestemming"]
        );
        assert_eq!(errors[2].problem, Problem::Required);
    }

    #[test]
    fn story_longer_than_limit_is_refused() {
        let mut r = raw();
        let settings = ProjectSettings {
            max_story_chars: 10,
            ..Default::default()
        };
        r.text = "ééééééééééé".into();
        let errors = validate_submission(&sample(), &settings, &r, None).unwrap_err();
        assert_eq!(
            errors[0].problem,
            Problem::TextTooLong {
                max: 10,
                actual: 11
            }
        );
    }

    #[test]
    fn unknown_role_stops_early() {
        let mut r = raw();
        r.role = "hacker".into();
        let errors =
            validate_submission(&sample(), &ProjectSettings::default(), &r, None).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("rol", Problem::UnknownRole)]);
    }

    #[test]
    fn completeness_needs_words_and_first_answers() {
        let q = sample();
        let rule = CompletenessRule {
            min_words: 3,
            first_questions: 2,
        };
        let mut answers = Answers::new();
        answers.insert(
            "gehoord".into(),
            Answer::Slider(SliderValue::new(1).unwrap()),
        );
        assert!(!is_complete(rule, &q, "jongere", "een twee drie", &answers));
        answers.insert("op_tijd".into(), Answer::NotApplicable);
        assert!(
            !is_complete(rule, &q, "jongere", "een twee drie", &answers),
            "N/A is no value"
        );
        answers.insert(
            "op_tijd".into(),
            Answer::Slider(SliderValue::new(1).unwrap()),
        );
        assert!(is_complete(rule, &q, "jongere", "een twee drie", &answers));
        assert!(!is_complete(rule, &q, "jongere", "een twee -- ", &answers));
    }

    #[test]
    fn carried_context_overrides_form() {
        let mut carried = Answers::new();
        carried.insert("gemeente".into(), Answer::Choice("nijmegen".into()));
        let story = validate_submission(
            &sample(),
            &ProjectSettings::default(),
            &raw(),
            Some(&carried),
        )
        .unwrap();
        assert_eq!(
            story.answers.get("gemeente"),
            Some(&Answer::Choice("nijmegen".into()))
        );
        assert_eq!(context_answers(&sample(), &story.answers), carried);
    }

    #[test]
    fn word_count_ignores_punctuation() {
        assert_eq!(word_count("Hallo, ik ben -- Sam! 🙂"), 4);
    }
}
