//! The questionnaire: which roles a project knows and which duidingsvragen it asks.
//!
//! A `Questionnaire` can only be built through [`Questionnaire::parse`], which checks every rule
//! (unique keys, options where needed, poles on sliders, …). Code that holds one may rely on it.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The storyteller's role (kind/jongere, ouder/verzorger, professional …), configured per project.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Role {
    pub key: String,
    pub label: String,
    /// The invitation above the story field, in the words that suit this role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_hint: Option<String>,
    /// Translations of `label`, `prompt` and `title_hint`, keyed by language code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, RoleTranslation>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct RoleTranslation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_hint: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    Slider,
    Choice,
    Multichoice,
    Text,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AnswerOption {
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct QuestionTranslation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Question {
    pub key: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Pole labels of a slider (0 = left, 100 = right).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
    /// Whether "niet van toepassing / weet ik niet" is offered (sliders).
    #[serde(default)]
    pub allow_na: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<AnswerOption>,
    #[serde(default)]
    pub required: bool,
    /// A question about the teller (gemeente, age group …) rather than about the story;
    /// carried over when the same person shares another story in the same visit.
    #[serde(default)]
    pub context: bool,
    /// Only asked of these roles; empty means every role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Other wording of the label for a role, e.g. plainer words for jongeren.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub role_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, QuestionTranslation>,
    /// The shared module this question was copied from (e.g. `kern`). Such a question must
    /// stay exactly as the module defines it, so that projects remain comparable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

impl Question {
    pub fn applies_to(&self, role: &str) -> bool {
        self.roles.is_empty() || self.roles.iter().any(|r| r == role)
    }

    pub fn has_option(&self, key: &str) -> bool {
        self.options.iter().any(|o| o.key == key)
    }

    /// Whether the question takes part in the completeness rule ("the first M duidingsvragen").
    pub fn is_sensemaking_question(&self) -> bool {
        !self.context && self.kind != QuestionType::Text
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Questionnaire {
    pub slug: String,
    pub title: String,
    pub roles: Vec<Role>,
    pub questions: Vec<Question>,
}

/// Why a questionnaire definition was refused. Shown to administrators, so it names the place.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum QuestionnaireError {
    #[error("the JSON is not a valid questionnaire: {0}")]
    Json(String),
    #[error("slug {0:?} must be 1-64 characters a-z, 0-9 or '-'")]
    BadSlug(String),
    #[error("the title is empty")]
    EmptyTitle,
    #[error("a questionnaire needs at least one role")]
    NoRoles,
    #[error("key {0:?} must be 1-64 characters a-z, 0-9 or '_'")]
    BadKey(String),
    #[error("key {0:?} is used twice")]
    DuplicateKey(String),
    #[error("question {0:?} has an empty label")]
    EmptyLabel(String),
    #[error("slider {0:?} needs both a left and a right pole label")]
    MissingPoles(String),
    #[error("question {0:?} needs at least two options")]
    TooFewOptions(String),
    #[error("question {0:?} refers to unknown role {1:?}")]
    UnknownRole(String, String),
    #[error("question {0:?} of this type cannot have options")]
    UnexpectedOptions(String),
    #[error("question {0:?} names unknown module {1:?}")]
    UnknownModule(String, String),
    #[error("question {0:?} differs from its definition in module {1:?}")]
    ModuleChanged(String, String),
    #[error("module {0:?} is used but its question {1:?} is missing")]
    ModuleIncomplete(String, String),
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A project slug: lowercase letters, digits and dashes, as it appears in `/v/{slug}`.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Names that the story form and the CSV format use themselves; a question may not take them.
const RESERVED_KEYS: &[&str] = &["id", "created_at", "role", "title", "text"];

impl Questionnaire {
    pub fn from_json(json: &str) -> Result<Self, QuestionnaireError> {
        let raw: Questionnaire =
            serde_json::from_str(json).map_err(|e| QuestionnaireError::Json(e.to_string()))?;
        raw.parse()
    }

    /// Checks every rule and returns the questionnaire unchanged when it holds.
    pub fn parse(self) -> Result<Self, QuestionnaireError> {
        if !valid_slug(&self.slug) {
            return Err(QuestionnaireError::BadSlug(self.slug));
        }
        if self.title.trim().is_empty() {
            return Err(QuestionnaireError::EmptyTitle);
        }
        if self.roles.is_empty() {
            return Err(QuestionnaireError::NoRoles);
        }
        let mut role_keys = HashSet::new();
        for role in &self.roles {
            if !valid_key(&role.key) {
                return Err(QuestionnaireError::BadKey(role.key.clone()));
            }
            if !role_keys.insert(role.key.as_str()) {
                return Err(QuestionnaireError::DuplicateKey(role.key.clone()));
            }
            if role.label.trim().is_empty() {
                return Err(QuestionnaireError::EmptyLabel(role.key.clone()));
            }
        }
        let mut question_keys = HashSet::new();
        for q in &self.questions {
            if !valid_key(&q.key) || RESERVED_KEYS.contains(&q.key.as_str()) {
                return Err(QuestionnaireError::BadKey(q.key.clone()));
            }
            if !question_keys.insert(q.key.as_str()) {
                return Err(QuestionnaireError::DuplicateKey(q.key.clone()));
            }
            if q.label.trim().is_empty() {
                return Err(QuestionnaireError::EmptyLabel(q.key.clone()));
            }
            if let Some(role) = q.roles.iter().find(|r| !role_keys.contains(r.as_str())) {
                return Err(QuestionnaireError::UnknownRole(q.key.clone(), role.clone()));
            }
            if let Some(role) = q
                .role_labels
                .keys()
                .find(|r| !role_keys.contains(r.as_str()))
            {
                return Err(QuestionnaireError::UnknownRole(q.key.clone(), role.clone()));
            }
            match q.kind {
                QuestionType::Slider => {
                    let pole =
                        |p: &Option<String>| p.as_deref().is_some_and(|s| !s.trim().is_empty());
                    if !pole(&q.left) || !pole(&q.right) {
                        return Err(QuestionnaireError::MissingPoles(q.key.clone()));
                    }
                    if !q.options.is_empty() {
                        return Err(QuestionnaireError::UnexpectedOptions(q.key.clone()));
                    }
                }
                QuestionType::Choice | QuestionType::Multichoice => {
                    if q.options.len() < 2 {
                        return Err(QuestionnaireError::TooFewOptions(q.key.clone()));
                    }
                    let mut option_keys = HashSet::new();
                    for o in &q.options {
                        // `;` joins multichoice keys in CSV, so keys are restricted like question keys.
                        if !valid_key(&o.key) {
                            return Err(QuestionnaireError::BadKey(o.key.clone()));
                        }
                        if !option_keys.insert(o.key.as_str()) {
                            return Err(QuestionnaireError::DuplicateKey(o.key.clone()));
                        }
                        if o.label.trim().is_empty() {
                            return Err(QuestionnaireError::EmptyLabel(o.key.clone()));
                        }
                    }
                }
                QuestionType::Text => {
                    if !q.options.is_empty() {
                        return Err(QuestionnaireError::UnexpectedOptions(q.key.clone()));
                    }
                }
            }
        }
        super::modules::check(&self.questions)?;
        Ok(self)
    }

    pub fn to_json_pretty(&self) -> String {
        // Serialising plain data to a String cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn role(&self, key: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.key == key)
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// The questions a teller in `role` is asked, in order.
    pub fn questions_for<'a>(&'a self, role: &'a str) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions.iter().filter(move |q| q.applies_to(role))
    }
}

/// The questionnaire that ships with Vertelpunt and backs the ready default project.
pub const DEFAULT_QUESTIONNAIRE_JSON: &str = include_str!("../../questionnaires/default.json");

pub fn default_questionnaire() -> Result<Questionnaire, QuestionnaireError> {
    Questionnaire::from_json(DEFAULT_QUESTIONNAIRE_JSON)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample_json() -> String {
        serde_json::json!({
            "slug": "proef",
            "title": "Proef",
            "roles": [{"key": "jongere", "label": "Jongere"}, {"key": "ouder", "label": "Ouder"}],
            "questions": [
                {"key": "gehoord", "type": "slider", "label": "Voelde je je gehoord?",
                 "left": "Niet gehoord", "right": "Helemaal gehoord", "required": true},
                {"key": "op_tijd", "type": "slider", "label": "Kwam de hulp op tijd?",
                 "left": "Te laat", "right": "Op tijd", "allow_na": true},
                {"key": "gevoel", "type": "choice", "label": "Hoe voelt het?",
                 "options": [{"key": "goed", "label": "Goed"}, {"key": "slecht", "label": "Slecht"}]},
                {"key": "hulp", "type": "multichoice", "label": "Welke hulp?",
                 "options": [{"key": "wijkteam", "label": "Wijkteam"}, {"key": "ggz", "label": "GGZ"},
                             {"key": "school", "label": "School"}]},
                {"key": "gemeente", "type": "choice", "label": "Gemeente", "context": true,
                 "options": [{"key": "nijmegen", "label": "Nijmegen"}, {"key": "wijchen", "label": "Wijchen"}]},
                {"key": "leeftijd_kind", "type": "text", "label": "Leeftijd kind", "context": true,
                 "roles": ["ouder"]}
            ]
        })
        .to_string()
    }

    pub fn sample() -> Questionnaire {
        Questionnaire::from_json(&sample_json()).expect("sample questionnaire is valid")
    }

    #[test]
    fn sample_and_default_parse() {
        assert_eq!(sample().questions.len(), 6);
        let default = default_questionnaire().expect("the shipped questionnaire is valid");
        assert_eq!(default.slug, "jeugdhulp");
        assert!(default.roles.len() >= 3);
    }

    #[test]
    fn refuses_duplicate_and_reserved_keys() {
        let mut q = sample();
        q.questions[1].key = "gehoord".into();
        assert_eq!(
            q.parse(),
            Err(QuestionnaireError::DuplicateKey("gehoord".into()))
        );
        let mut q = sample();
        q.questions[0].key = "title".into();
        assert_eq!(q.parse(), Err(QuestionnaireError::BadKey("title".into())));
    }

    #[test]
    fn refuses_slider_without_poles_and_choice_without_options() {
        let mut q = sample();
        q.questions[0].right = Some("  ".into());
        assert_eq!(
            q.parse(),
            Err(QuestionnaireError::MissingPoles("gehoord".into()))
        );
        let mut q = sample();
        q.questions[2].options.truncate(1);
        assert_eq!(
            q.parse(),
            Err(QuestionnaireError::TooFewOptions("gevoel".into()))
        );
    }

    #[test]
    fn refuses_unknown_role_and_bad_slug() {
        let mut q = sample();
        q.questions[5].roles = vec!["oma".into()];
        assert_eq!(
            q.parse(),
            Err(QuestionnaireError::UnknownRole(
                "leeftijd_kind".into(),
                "oma".into()
            ))
        );
        let mut q = sample();
        q.slug = "Met Spatie".into();
        assert!(matches!(q.parse(), Err(QuestionnaireError::BadSlug(_))));
    }

    #[test]
    fn questions_for_role_filters() {
        let q = sample();
        assert_eq!(q.questions_for("jongere").count(), 5);
        assert_eq!(q.questions_for("ouder").count(), 6);
    }

    #[test]
    fn json_round_trips() {
        let q = sample();
        let again = Questionnaire::from_json(&q.to_json_pretty()).expect("round trip");
        assert_eq!(q, again);
    }
}
