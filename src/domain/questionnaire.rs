//! The questionnaire: which roles a project knows and which duidingsvragen it asks.
//!
//! A `Questionnaire` can only be built through [`Questionnaire::parse`], which checks every rule
//! (unique keys, options where needed, poles on sliders, …). Code that holds one may rely on it.

use super::translations::{self, Translations};
use serde::{Deserialize, Serialize};
use serde_json::Value;
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
    /// The teller's texts in other languages: language → text id → text
    /// (`domain::translations`). Questions themselves stay in Dutch.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: Translations,
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
    #[error("translation language {0:?} must be 2-3 letters a-z and not \"nl\"")]
    BadLanguage(String),
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
        Self::read_json(json)?.parse()
    }

    /// Reads a questionnaire from JSON without checking it yet (call [`Questionnaire::parse`]).
    /// Translations written in the older format, beside each text (`"translations": {"en":
    /// …}` on a role, question or option), are moved to the questionnaire's own map; one
    /// given there wins.
    pub fn read_json(json: &str) -> Result<Self, QuestionnaireError> {
        let mut value: Value =
            serde_json::from_str(json).map_err(|e| QuestionnaireError::Json(e.to_string()))?;
        fold_inline_translations(&mut value);
        serde_json::from_value(value).map_err(|e| QuestionnaireError::Json(e.to_string()))
    }

    /// Checks every rule and returns the questionnaire when it holds. Translations of texts
    /// it does not have, and empty translations, are left out.
    pub fn parse(mut self) -> Result<Self, QuestionnaireError> {
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
        if let Some(lang) = self
            .translations
            .keys()
            .find(|l| !translations::valid_language(l))
        {
            return Err(QuestionnaireError::BadLanguage(lang.clone()));
        }
        self.tidy_translations();
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

/// Moves translations of the older inline format into the top-level `translations` map of a
/// questionnaire as JSON (see [`Questionnaire::read_json`]). Anything not shaped as expected
/// is left alone; deserialising reports it.
fn fold_inline_translations(value: &mut Value) {
    use translations::ids;
    let mut found: Vec<(String, String, String)> = Vec::new();
    let mut take = |holder: &mut Value, id: &dyn Fn(&str) -> Option<String>| {
        let Some(Value::Object(by_lang)) = holder
            .as_object_mut()
            .and_then(|o| o.remove("translations"))
        else {
            return;
        };
        for (lang, texts) in by_lang {
            match texts {
                Value::String(text) => {
                    if let Some(id) = id("") {
                        found.push((lang, id, text));
                    }
                }
                Value::Object(fields) => {
                    for (field, text) in fields {
                        if let (Some(id), Value::String(text)) = (id(&field), text) {
                            found.push((lang.clone(), id, text));
                        }
                    }
                }
                _ => {}
            }
        }
    };
    let key_of = |v: &Value| v.get("key").and_then(Value::as_str).map(str::to_string);
    if let Some(Value::Array(roles)) = value.get_mut("roles") {
        for role in roles {
            let Some(key) = key_of(role) else { continue };
            take(role, &|field: &str| {
                matches!(field, "label" | "prompt" | "title_hint").then(|| ids::role(&key, field))
            });
        }
    }
    if let Some(Value::Array(questions)) = value.get_mut("questions") {
        for question in questions {
            let Some(key) = key_of(question) else {
                continue;
            };
            if let Some(Value::Array(options)) = question.get_mut("options") {
                for option in options {
                    let Some(option_key) = key_of(option) else {
                        continue;
                    };
                    take(option, &|_: &str| Some(ids::option(&key, &option_key)));
                }
            }
            take(question, &|field: &str| {
                matches!(field, "label" | "help" | "left" | "right")
                    .then(|| ids::question(&key, field))
            });
        }
    }
    if found.is_empty() {
        return;
    }
    let Some(root) = value.as_object_mut() else {
        return;
    };
    let top = root
        .entry("translations")
        .or_insert_with(|| Value::Object(Default::default()));
    let Some(top) = top.as_object_mut() else {
        return;
    };
    for (lang, id, text) in found {
        if let Some(texts) = top
            .entry(lang)
            .or_insert_with(|| Value::Object(Default::default()))
            .as_object_mut()
        {
            texts.entry(id).or_insert(Value::String(text));
        }
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
    fn translations_beside_each_text_are_moved_to_the_questionnaire() {
        let mut json: serde_json::Value = serde_json::from_str(&sample_json()).unwrap();
        json["roles"][0]["translations"] = serde_json::json!({"en": {"label": "Young person"}});
        json["questions"][0]["translations"] =
            serde_json::json!({"en": {"label": "Heard?", "left": "Not heard"}});
        json["questions"][2]["options"][0]["translations"] = serde_json::json!({"en": "Good"});
        json["translations"] = serde_json::json!({"en": {"q.gehoord.label": "Were you heard?"}});
        let q = Questionnaire::from_json(&json.to_string()).unwrap();
        assert_eq!(
            q.translation("en", "role.jongere.label"),
            Some("Young person")
        );
        assert_eq!(q.translation("en", "q.gehoord.left"), Some("Not heard"));
        assert_eq!(q.translation("en", "o.gevoel.goed"), Some("Good"));
        // The questionnaire's own map wins.
        assert_eq!(
            q.translation("en", "q.gehoord.label"),
            Some("Were you heard?")
        );
        // Written back, only the map is left.
        let again = q.to_json_pretty();
        assert_eq!(again.matches("\"translations\"").count(), 1, "{again}");
        assert_eq!(Questionnaire::from_json(&again).unwrap(), q);
    }

    #[test]
    fn json_round_trips() {
        let mut q = sample();
        q.translations.insert(
            "uk".into(),
            [("o.gevoel.goed".to_string(), "Добре".to_string())].into(),
        );
        let again = Questionnaire::from_json(&q.to_json_pretty()).expect("round trip");
        assert_eq!(q, again);
    }
}
