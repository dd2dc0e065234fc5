//! A storyteller's submission: from raw form values to a valid story, or to a list of
//! field problems that the form shows next to the fields (keeping what was typed).

use super::answer::{
    parse_answer, resolve_slider, Answer, AnswerProblem, Answers, SliderChoice, SliderInput,
};
use super::project::{CompletenessRule, ProjectSettings};
use super::questionnaire::{Question, QuestionType, Questionnaire};
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
    /// What the teller chose next to each slider of the online form (absent elsewhere).
    pub slider_choices: HashMap<String, SliderChoice>,
    pub consent_analysis: bool,
    pub consent_quotes: bool,
}

impl RawSubmission {
    /// A stored story as the form shows it again, to change it: sliders with a value are
    /// answered, N/A is "weet ik niet", absent ones are not answered.
    pub fn of_story(
        questionnaire: &Questionnaire,
        role: &str,
        title: &str,
        text: &str,
        answers: &Answers,
        consent_analysis: bool,
        consent_quotes: bool,
    ) -> Self {
        let mut raw = RawSubmission {
            role: role.to_string(),
            title: title.to_string(),
            text: text.to_string(),
            consent_analysis,
            consent_quotes,
            ..Default::default()
        };
        for question in questionnaire.questions_for(role) {
            let key = question.key.clone();
            let slider = question.kind == QuestionType::Slider;
            match answers.get(&key) {
                Some(Answer::Slider(v)) => {
                    raw.values.insert(key.clone(), vec![v.get().to_string()]);
                    raw.slider_choices.insert(key, SliderChoice::Position);
                }
                Some(Answer::NotApplicable) => {
                    raw.not_applicable.insert(key.clone());
                    if slider {
                        raw.slider_choices.insert(key, SliderChoice::NotApplicable);
                    }
                }
                Some(Answer::Choice(k)) => {
                    raw.values.insert(key, vec![k.clone()]);
                }
                Some(Answer::Multichoice(keys)) => {
                    raw.values.insert(key, keys.clone());
                }
                Some(Answer::Text(t)) => {
                    raw.values.insert(key, vec![t.clone()]);
                }
                None if slider => {
                    raw.slider_choices.insert(key, SliderChoice::Open);
                }
                None => {}
            }
        }
        raw
    }

    /// The raw values of one question and whether its N/A state was chosen, with a form
    /// slider's three states resolved (an untouched slider gives no value).
    pub fn input(&self, question: &Question) -> (Vec<&str>, bool) {
        let values: Vec<&str> = self
            .values
            .get(&question.key)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let na = self.not_applicable.contains(&question.key);
        if question.kind != QuestionType::Slider {
            return (values, na);
        }
        let choice = self.slider_choices.get(&question.key).copied();
        match resolve_slider(values.first().copied(), na, choice) {
            SliderInput::Unanswered => (Vec::new(), false),
            SliderInput::NotApplicable => (Vec::new(), true),
            SliderInput::Position(_) => (values.into_iter().take(1).collect(), false),
        }
    }
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

    // The form shows the duidingsvragen first and the context questions after them; the
    // problems are listed in that same order.
    let mut answers = Answers::new();
    let (meaning, context): (Vec<&Question>, Vec<&Question>) =
        questionnaire.questions_for(role).partition(|q| !q.context);
    for question in meaning.into_iter().chain(context) {
        if question.context {
            if let Some(answer) = carried.and_then(|c| c.get(&question.key)) {
                answers.insert(question.key.clone(), answer.clone());
                continue;
            }
        }
        let (values, na) = raw.input(question);
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
            ["verhaal", "titel", "gehoord", "gevoel", "toestemming"]
        );
        assert_eq!(errors[2].problem, Problem::Required);
    }

    #[test]
    fn an_untouched_required_slider_is_missing_not_fifty() {
        let mut r = raw();
        r.values.insert("gehoord".into(), vec!["50".into()]);
        r.values.insert("op_tijd".into(), vec!["50".into()]);
        r.slider_choices
            .insert("gehoord".into(), SliderChoice::Open);
        r.slider_choices
            .insert("op_tijd".into(), SliderChoice::Open);
        let errors =
            validate_submission(&sample(), &ProjectSettings::default(), &r, None).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("gehoord", Problem::Required)]);

        // The optional one is simply absent; the required one, once chosen, holds its 50.
        r.slider_choices
            .insert("gehoord".into(), SliderChoice::Position);
        let story =
            validate_submission(&sample(), &ProjectSettings::default(), &r, None).expect("valid");
        assert_eq!(
            story.answers.get("gehoord"),
            Some(&Answer::Slider(SliderValue::new(50).unwrap()))
        );
        assert_eq!(story.answers.get("op_tijd"), None);

        // "Weet ik niet" then moving the slider: the last choice counts.
        r.not_applicable.insert("op_tijd".into());
        r.values.insert("op_tijd".into(), vec!["70".into()]);
        r.slider_choices
            .insert("op_tijd".into(), SliderChoice::Position);
        let story =
            validate_submission(&sample(), &ProjectSettings::default(), &r, None).expect("valid");
        assert_eq!(
            story.answers.get("op_tijd"),
            Some(&Answer::Slider(SliderValue::new(70).unwrap()))
        );
    }

    #[test]
    fn a_stored_story_comes_back_as_the_same_answers() {
        let mut r = raw();
        r.slider_choices
            .insert("op_tijd".into(), SliderChoice::NotApplicable);
        let story =
            validate_submission(&sample(), &ProjectSettings::default(), &r, None).expect("valid");
        let again = RawSubmission::of_story(
            &sample(),
            &story.role,
            &story.title,
            &story.text,
            &story.answers,
            story.consent_analysis,
            story.consent_quotes,
        );
        let twice = validate_submission(&sample(), &ProjectSettings::default(), &again, None)
            .expect("still valid");
        assert_eq!(twice, story);
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
