//! A project's own settings: its completeness rule, limits and public texts.

use serde::{Deserialize, Serialize};

/// When a story counts as complete: at least `min_words` words and the first
/// `first_questions` duidingsvragen (context questions and free-text questions excluded)
/// answered with a value. "Niet van toepassing" is not a value.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct CompletenessRule {
    pub min_words: u32,
    pub first_questions: u32,
}

impl Default for CompletenessRule {
    fn default() -> Self {
        Self {
            min_words: 25,
            first_questions: 3,
        }
    }
}

/// A number or address where someone can find help right away.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct HelpLine {
    pub name: String,
    pub contact: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ProjectSettings {
    pub completeness: CompletenessRule,
    /// Longest story text in characters.
    pub max_story_chars: u32,
    pub max_title_chars: u32,
    /// Optional project wording; when absent the interface's own text is used.
    pub intro: Option<String>,
    pub privacy_statement: Option<String>,
    pub closed_message: Option<String>,
    pub help_lines: Vec<HelpLine>,
    /// Whether a story's original text is kept (visible to begeleiders only) when a
    /// begeleider redacts part of it. Off by default: redaction then really removes the text.
    pub keep_redacted_originals: bool,
    /// Safety triage: this project's own signal words, besides the shipped list
    /// (`domain::triage`).
    pub triage_terms: Vec<String>,
    /// Retention: after this many days a story's texts are deleted (its other answers stay).
    /// `None` keeps texts until a begeleider or the teller removes them. Settings stored
    /// before this field existed read as `None`; new projects start from the shipped 730.
    pub retention_days: Option<u32>,
    /// Small-cell protection and the anonymiser's project terms (edited on their own page).
    pub privacy: super::privacy::PrivacySettings,
    /// The languages besides Dutch in which tellers get the questionnaire, switched on by a
    /// begeleider on the questionnaire page. A language is only switched on when the
    /// translation is complete, and only offered while it still is
    /// ([`Project::questionnaire_language`]). Dutch is always offered.
    pub languages: Vec<String>,
}

impl Default for ProjectSettings {
    fn default() -> Self {
        Self {
            completeness: CompletenessRule::default(),
            max_story_chars: 20_000,
            max_title_chars: 150,
            intro: None,
            privacy_statement: None,
            closed_message: None,
            help_lines: Vec::new(),
            keep_redacted_originals: false,
            triage_terms: Vec::new(),
            retention_days: None,
            privacy: Default::default(),
            languages: Vec::new(),
        }
    }
}

/// The settings a new project starts from (help lines included); shipped as a file.
pub const PROJECT_DEFAULTS_JSON: &str = include_str!("../../questionnaires/project-defaults.json");

impl ProjectSettings {
    pub fn shipped_defaults() -> Self {
        serde_json::from_str(PROJECT_DEFAULTS_JSON).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The settings for a new project with this questionnaire: of the languages switched on,
    /// only those the questionnaire is completely translated into stay on.
    pub fn for_questionnaire(mut self, questionnaire: &super::Questionnaire) -> Self {
        self.languages
            .retain(|lang| questionnaire.is_complete_in(lang) && lang != "nl");
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults_parse_and_carry_help_lines() {
        let parsed: ProjectSettings =
            serde_json::from_str(PROJECT_DEFAULTS_JSON).expect("shipped defaults are valid JSON");
        assert!(parsed
            .help_lines
            .iter()
            .any(|h| h.contact.contains("0800-0432")));
        assert!(parsed.help_lines.iter().any(|h| h.contact.contains("112")));
        assert_eq!(parsed.max_story_chars, 20_000);
        assert_eq!(parsed.retention_days, Some(730));
    }

    #[test]
    fn a_language_is_offered_when_switched_on_and_complete() {
        let questionnaire = crate::domain::questionnaire::default_questionnaire().unwrap();
        let mut settings = ProjectSettings::shipped_defaults();
        assert_eq!(settings.languages, ["en", "ar", "tr", "pl", "uk"]);
        settings.languages.retain(|l| l != "pl");
        let mut project = Project {
            slug: "jeugdhulp".into(),
            name: "Vertelpunt Jeugdhulp".into(),
            is_open: true,
            settings,
            version: 1,
            sliders_unset_from: 1,
            questionnaire,
        };
        assert_eq!(project.questionnaire_language("ar"), "ar");
        assert_eq!(project.questionnaire_language("pl"), "nl", "switched off");
        assert_eq!(project.questionnaire_language("nl"), "nl");
        assert_eq!(project.questionnaire_language("de"), "nl");
        assert_eq!(
            project.questionnaire_in("tr").questions[0].label,
            "Bu hikâyede seni dinlediler mi?"
        );
        assert_eq!(
            project.questionnaire_in("pl").questions[0].label,
            "Werd er in dit verhaal naar je geluisterd?"
        );
        // One text less and Turkish is no longer offered, though switched on.
        if let Some(texts) = project.questionnaire.translations.get_mut("tr") {
            texts.remove("o.werk.werk_anders");
        }
        assert_eq!(project.questionnaire_language("tr"), "nl");
        // A new project keeps only the languages its questionnaire is complete in.
        let settings =
            ProjectSettings::shipped_defaults().for_questionnaire(&project.questionnaire);
        assert_eq!(settings.languages, ["en", "ar", "pl", "uk"]);
    }

    #[test]
    fn missing_fields_take_defaults() {
        let s = ProjectSettings::from_json(r#"{"max_story_chars": 500}"#).unwrap();
        assert_eq!(s.max_story_chars, 500);
        assert_eq!(s.completeness, CompletenessRule::default());
        assert_eq!(s.retention_days, None);
        assert!(s.triage_terms.is_empty());
    }
}

/// A project as the vertelpunt serves it: its settings and its current questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub slug: String,
    pub name: String,
    pub is_open: bool,
    pub settings: ProjectSettings,
    /// The questionnaire version new stories are answered with.
    pub version: i32,
    /// The first questionnaire version whose stories record an untouched slider as not
    /// answered; older stories hold the form's start position (50) there (docs/methodology.md).
    pub sliders_unset_from: i32,
    pub questionnaire: super::Questionnaire,
}

impl Project {
    /// The language a teller who reads `lang` gets the questionnaire in: `lang` itself when
    /// the project offers it and the translation is complete, otherwise Dutch.
    pub fn questionnaire_language<'a>(&self, lang: &'a str) -> &'a str {
        let offered = self.settings.languages.iter().any(|l| l == lang)
            && self.questionnaire.is_complete_in(lang);
        if offered {
            lang
        } else {
            super::translations::SOURCE_LANGUAGE
        }
    }

    /// The questionnaire as a teller who reads `lang` gets it: translated when the project
    /// offers that language ([`Project::questionnaire_language`]), otherwise the Dutch one.
    pub fn questionnaire_in(&self, lang: &str) -> std::borrow::Cow<'_, super::Questionnaire> {
        match self
            .questionnaire
            .localized(self.questionnaire_language(lang))
        {
            Some(localized) => std::borrow::Cow::Owned(localized),
            None => std::borrow::Cow::Borrowed(&self.questionnaire),
        }
    }
}
