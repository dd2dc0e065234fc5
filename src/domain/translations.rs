//! A questionnaire's texts in other languages than Dutch.
//!
//! Every text a teller reads (a role's label, prompt and title hint; a question's label, its
//! wording per role, its explanation and slider ends; each answer option) has a **text id**
//! made from the keys, so that it stays the same while the Dutch wording is edited:
//!
//! | text | id |
//! |---|---|
//! | role label, prompt, title hint | `role.{role}.label`, `role.{role}.prompt`, `role.{role}.title_hint` |
//! | question label | `q.{question}.label` |
//! | the label for one role (`role_labels`) | `q.{question}.label.{role}` |
//! | explanation, slider ends | `q.{question}.help`, `q.{question}.left`, `q.{question}.right` |
//! | answer option | `o.{question}.{option}` |
//!
//! The translations live in the questionnaire itself (`translations: {"en": {id: text}}`), so
//! each version keeps the texts its tellers read. The questions stay untouched, so a question
//! of a shared module (`kern`) is still exactly the module's question when it has
//! translations. A questionnaire is shown in a language only when *every* text has a
//! translation there ([`Questionnaire::localized`]): a teller never gets half a translation.
//! The questionnaire's title is the project's name and is not translated.

use super::questionnaire::Questionnaire;
use std::collections::BTreeMap;

/// Per language code, text id → translation.
pub type Translations = BTreeMap<String, BTreeMap<String, String>>;

/// The source language of every questionnaire.
pub const SOURCE_LANGUAGE: &str = "nl";

/// A language code as translations use it: 2 or 3 lowercase letters (`en`, `ar`, `uk`), not
/// Dutch, which is the source.
pub fn valid_language(code: &str) -> bool {
    (2..=3).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_lowercase())
        && code != SOURCE_LANGUAGE
}

/// The Dutch name of a language of the interface, for begeleiders and onderzoekers ("Pools",
/// not "Polski"); `None` for a code the interface does not have.
pub fn dutch_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "nl" => "Nederlands",
        "en" => "Engels",
        "ar" => "Arabisch",
        "tr" => "Turks",
        "pl" => "Pools",
        "uk" => "Oekraïens",
        _ => return None,
    })
}

/// Which text of the questionnaire an id names; [`SourceText::place`] describes it in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextPlace {
    RoleLabel,
    RolePrompt,
    RoleTitleHint,
    Label,
    /// The label as one role reads it.
    RoleWording(String),
    Help,
    Left,
    Right,
    Option(String),
}

/// One Dutch text of a questionnaire that needs a translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText<'a> {
    pub id: String,
    pub dutch: &'a str,
    /// The role or question the text belongs to.
    pub owner: &'a str,
    pub place: TextPlace,
}

impl SourceText<'_> {
    /// Where the text is, in plain Dutch for a begeleider or translator: "vraag gehoord:
    /// linkerkant van de schuif".
    pub fn describe(&self) -> String {
        let owner = self.owner;
        match &self.place {
            TextPlace::RoleLabel => format!("rol {owner}: de knop om de rol te kiezen"),
            TextPlace::RolePrompt => format!("rol {owner}: de uitnodiging boven het verhaal"),
            TextPlace::RoleTitleHint => format!("rol {owner}: de tip bij de titel"),
            TextPlace::Label => format!("vraag {owner}: de vraag"),
            TextPlace::RoleWording(role) => format!("vraag {owner}: de vraag voor rol {role}"),
            TextPlace::Help => format!("vraag {owner}: de uitleg"),
            TextPlace::Left => format!("vraag {owner}: linkerkant van de schuif (0)"),
            TextPlace::Right => format!("vraag {owner}: rechterkant van de schuif (100)"),
            TextPlace::Option(key) => format!("vraag {owner}: antwoord {key}"),
        }
    }
}

/// A text that is there to be translated: not absent and not only spaces.
fn present(text: Option<&String>) -> Option<&str> {
    text.map(String::as_str).filter(|t| !t.trim().is_empty())
}

impl Questionnaire {
    /// Every Dutch text a teller can read, in the order of the form: roles first, then each
    /// question with its wordings, explanation, ends and options.
    pub fn source_texts(&self) -> Vec<SourceText<'_>> {
        let mut texts = Vec::new();
        texts_of(self, &mut texts);
        texts
    }

    /// The translation of one text, when there is one.
    pub fn translation(&self, lang: &str, id: &str) -> Option<&str> {
        self.translations
            .get(lang)
            .and_then(|texts| texts.get(id))
            .map(String::as_str)
    }

    /// The texts that have no translation in `lang` yet, in the order of the form.
    pub fn missing_in(&self, lang: &str) -> Vec<SourceText<'_>> {
        self.source_texts()
            .into_iter()
            .filter(|t| self.translation(lang, &t.id).is_none())
            .collect()
    }

    /// Whether every text has a translation in `lang` (Dutch always is complete).
    pub fn is_complete_in(&self, lang: &str) -> bool {
        lang == SOURCE_LANGUAGE
            || self
                .source_texts()
                .iter()
                .all(|t| self.translation(lang, &t.id).is_some())
    }

    /// The questionnaire with every text in `lang`, for the teller's pages; `None` when a
    /// single text lacks a translation there (or `lang` is Dutch, the questionnaire itself).
    /// Keys, types and rules stay as they are, so answers are stored exactly as in Dutch.
    pub fn localized(&self, lang: &str) -> Option<Questionnaire> {
        if lang == SOURCE_LANGUAGE || !self.is_complete_in(lang) {
            return None;
        }
        let texts = self.translations.get(lang)?;
        let get = |id: String| texts.get(&id).cloned();
        let mut out = self.clone();
        for role in &mut out.roles {
            let key = role.key.clone();
            translate(&mut role.label, get(ids::role(&key, "label")));
            translate_opt(&mut role.prompt, get(ids::role(&key, "prompt")));
            translate_opt(&mut role.title_hint, get(ids::role(&key, "title_hint")));
        }
        for q in &mut out.questions {
            let key = q.key.clone();
            translate(&mut q.label, get(ids::question(&key, "label")));
            for (role, wording) in q.role_labels.iter_mut() {
                translate(wording, get(ids::role_wording(&key, role)));
            }
            translate_opt(&mut q.help, get(ids::question(&key, "help")));
            translate_opt(&mut q.left, get(ids::question(&key, "left")));
            translate_opt(&mut q.right, get(ids::question(&key, "right")));
            for o in &mut q.options {
                translate(&mut o.label, get(ids::option(&key, &o.key)));
            }
        }
        Some(out)
    }

    /// The translations worth keeping after a change from `before` to `self`: a translation
    /// whose Dutch text changed while the translation itself stayed the same now translates
    /// a text that is no longer there, so it is dropped (the language then shows as not
    /// complete until someone translates the new text). A translation that came along with
    /// its new Dutch text (an imported file) is kept.
    pub fn without_stale_translations(mut self, before: &Questionnaire) -> Self {
        let old: BTreeMap<String, &str> = before
            .source_texts()
            .into_iter()
            .map(|t| (t.id, t.dutch))
            .collect();
        let new: BTreeMap<String, String> = self
            .source_texts()
            .into_iter()
            .map(|t| (t.id, t.dutch.to_string()))
            .collect();
        for (lang, texts) in self.translations.iter_mut() {
            texts.retain(|id, text| {
                let dutch_changed = old
                    .get(id)
                    .is_some_and(|o| new.get(id).map(String::as_str) != Some(*o));
                let translation_same = before.translation(lang, id) == Some(text.as_str());
                !(dutch_changed && translation_same)
            });
        }
        self.translations.retain(|_, texts| !texts.is_empty());
        self
    }

    /// Takes over translations from `other` (the shipped questionnaire) for texts that have
    /// exactly the same Dutch wording here and no translation yet. Returns how many.
    pub fn adopt_translations(&mut self, other: &Questionnaire) -> usize {
        let theirs: BTreeMap<String, &str> = other
            .source_texts()
            .into_iter()
            .map(|t| (t.id, t.dutch))
            .collect();
        let wanted: Vec<(String, String)> = self
            .source_texts()
            .into_iter()
            .filter(|t| theirs.get(&t.id) == Some(&t.dutch))
            .map(|t| (t.id, t.dutch.to_string()))
            .collect();
        let mut adopted = 0;
        for (lang, texts) in &other.translations {
            for (id, _) in &wanted {
                let Some(text) = texts.get(id) else { continue };
                let mine = self.translations.entry(lang.clone()).or_default();
                if !mine.contains_key(id) {
                    mine.insert(id.clone(), text.clone());
                    adopted += 1;
                }
            }
        }
        self.translations.retain(|_, texts| !texts.is_empty());
        adopted
    }

    /// Puts the translations of one language in (a file that was read and checked); the
    /// other translations of that language stay. Returns how many texts changed.
    pub fn merge_translations(&mut self, lang: &str, texts: BTreeMap<String, String>) -> usize {
        let mine = self.translations.entry(lang.to_string()).or_default();
        let mut changed = 0;
        for (id, text) in texts {
            if mine.get(&id) != Some(&text) {
                mine.insert(id, text);
                changed += 1;
            }
        }
        self.translations.retain(|_, texts| !texts.is_empty());
        changed
    }

    /// Part of [`Questionnaire::parse`]: translations of texts the questionnaire does not
    /// (or no longer) have, and empty ones, are left out.
    pub(crate) fn tidy_translations(&mut self) {
        let known: std::collections::BTreeSet<String> =
            self.source_texts().into_iter().map(|t| t.id).collect();
        for texts in self.translations.values_mut() {
            texts.retain(|id, text| known.contains(id) && !text.trim().is_empty());
        }
        self.translations.retain(|_, texts| !texts.is_empty());
    }
}

fn texts_of<'a>(q: &'a Questionnaire, texts: &mut Vec<SourceText<'a>>) {
    let mut push = |id: String, dutch: &'a str, owner: &'a str, place: TextPlace| {
        texts.push(SourceText {
            id,
            dutch,
            owner,
            place,
        })
    };
    for role in &q.roles {
        let key = role.key.as_str();
        push(
            ids::role(key, "label"),
            &role.label,
            key,
            TextPlace::RoleLabel,
        );
        if let Some(prompt) = present(role.prompt.as_ref()) {
            push(ids::role(key, "prompt"), prompt, key, TextPlace::RolePrompt);
        }
        if let Some(hint) = present(role.title_hint.as_ref()) {
            push(
                ids::role(key, "title_hint"),
                hint,
                key,
                TextPlace::RoleTitleHint,
            );
        }
    }
    for question in &q.questions {
        let key = question.key.as_str();
        push(
            ids::question(key, "label"),
            &question.label,
            key,
            TextPlace::Label,
        );
        // In the order of the roles, so that a file lists them as the form shows them.
        for role in &q.roles {
            if let Some(wording) = question.role_labels.get(&role.key) {
                push(
                    ids::role_wording(key, &role.key),
                    wording,
                    key,
                    TextPlace::RoleWording(role.key.clone()),
                );
            }
        }
        for (field, text, place) in [
            ("help", &question.help, TextPlace::Help),
            ("left", &question.left, TextPlace::Left),
            ("right", &question.right, TextPlace::Right),
        ] {
            if let Some(text) = present(text.as_ref()) {
                push(ids::question(key, field), text, key, place);
            }
        }
        for option in &question.options {
            push(
                ids::option(key, &option.key),
                &option.label,
                key,
                TextPlace::Option(option.key.clone()),
            );
        }
    }
}

fn translate(text: &mut String, translation: Option<String>) {
    if let Some(t) = translation {
        *text = t;
    }
}

fn translate_opt(text: &mut Option<String>, translation: Option<String>) {
    if let (Some(text), Some(t)) = (text.as_mut(), translation) {
        if !text.trim().is_empty() {
            *text = t;
        }
    }
}

/// How text ids are made (see the module documentation). Keys hold only `a-z 0-9 _`, so the
/// dots cannot be confused.
pub mod ids {
    pub fn role(role: &str, field: &str) -> String {
        format!("role.{role}.{field}")
    }

    pub fn question(question: &str, field: &str) -> String {
        format!("q.{question}.{field}")
    }

    pub fn role_wording(question: &str, role: &str) -> String {
        format!("q.{question}.label.{role}")
    }

    pub fn option(question: &str, option: &str) -> String {
        format!("o.{question}.{option}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::modules::{self, KERN};
    use crate::domain::questionnaire::tests::sample;
    use crate::domain::questionnaire::{default_questionnaire, QuestionnaireError};

    /// Every text of `q` in `lang`, as "LANG dutch".
    fn all_in(q: &Questionnaire, lang: &str) -> BTreeMap<String, String> {
        q.source_texts()
            .into_iter()
            .map(|t| (t.id, format!("{} {}", lang.to_uppercase(), t.dutch)))
            .collect()
    }

    #[test]
    fn every_text_a_teller_reads_has_an_id() {
        let mut q = sample();
        q.roles[0].prompt = Some("Vertel!".into());
        q.roles[1].title_hint = Some("  ".into());
        q.questions[0].role_labels = [
            ("ouder".to_string(), "Voelde jij je gehoord?".to_string()),
            ("jongere".to_string(), "Werd je gehoord?".to_string()),
        ]
        .into();
        q.questions[0].help = Some("Kies maar.".into());
        let ids: Vec<String> = q.source_texts().into_iter().map(|t| t.id).collect();
        assert_eq!(
            &ids[..9],
            [
                "role.jongere.label",
                "role.jongere.prompt",
                "role.ouder.label",
                "q.gehoord.label",
                // Role wordings follow the order of the roles, not of the map.
                "q.gehoord.label.jongere",
                "q.gehoord.label.ouder",
                "q.gehoord.help",
                "q.gehoord.left",
                "q.gehoord.right",
            ]
        );
        assert!(ids.contains(&"o.hulp.ggz".to_string()));
        // 2 roles + 1 prompt, 6 labels, 2 wordings, 1 help, 4 ends, 2 + 3 + 2 options.
        assert_eq!(ids.len(), 3 + 6 + 2 + 1 + 4 + 7);
        assert_eq!(
            q.source_texts()[7].describe(),
            "vraag gehoord: linkerkant van de schuif (0)"
        );
    }

    #[test]
    fn a_questionnaire_is_shown_translated_only_when_complete() {
        let mut q = sample();
        let mut english = all_in(&q, "en");
        english.remove("o.hulp.ggz");
        q.translations.insert("en".into(), english);
        assert!(!q.is_complete_in("en"));
        assert_eq!(
            q.missing_in("en")
                .into_iter()
                .map(|t| t.id)
                .collect::<Vec<_>>(),
            ["o.hulp.ggz"]
        );
        assert!(
            q.localized("en").is_none(),
            "half a translation is never shown"
        );
        assert!(q.is_complete_in("nl") && q.localized("nl").is_none());

        q.translations
            .get_mut("en")
            .unwrap()
            .insert("o.hulp.ggz".into(), "Mental health".into());
        let en = q.localized("en").expect("complete");
        assert_eq!(en.roles[0].label, "EN Jongere");
        assert_eq!(en.questions[0].label, "EN Voelde je je gehoord?");
        assert_eq!(en.questions[0].left.as_deref(), Some("EN Niet gehoord"));
        assert_eq!(en.questions[3].options[1].label, "Mental health");
        // Keys, types and rules are those of the Dutch questionnaire.
        let keys = |q: &Questionnaire| -> Vec<String> {
            q.questions.iter().map(|x| x.key.clone()).collect()
        };
        assert_eq!(keys(&en), keys(&q));
        assert_eq!(en.questions[1].allow_na, q.questions[1].allow_na);
    }

    #[test]
    fn parse_keeps_translations_of_known_texts_only() {
        let mut q = sample();
        let mut english = all_in(&q, "en");
        english.insert("q.bestaat_niet.label".into(), "Gone".into());
        english.insert("q.gehoord.help".into(), "No help text in Dutch".into());
        english.insert("q.op_tijd.label".into(), "   ".into());
        q.translations.insert("en".into(), english);
        q.translations.insert("pl".into(), BTreeMap::new());
        let q = q.parse().unwrap();
        assert_eq!(q.translation("en", "q.bestaat_niet.label"), None);
        assert_eq!(q.translation("en", "q.gehoord.help"), None);
        assert_eq!(q.translation("en", "q.op_tijd.label"), None);
        assert!(!q.translations.contains_key("pl"));
        assert_eq!(q.missing_in("en").len(), 1);

        for bad in ["nl", "EN", "e", "engl", "e1"] {
            let mut q = sample();
            q.translations.insert(bad.into(), all_in(&q, "en"));
            assert_eq!(
                q.parse(),
                Err(QuestionnaireError::BadLanguage(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn changed_dutch_drops_its_unchanged_translation() {
        let mut before = sample();
        before
            .translations
            .insert("en".into(), all_in(&before, "en"));
        let mut after = before.clone();
        after.questions[0].label = "Voelde je je echt gehoord?".into();
        after.questions[2].options[0].label = "Heel goed".into();
        // This one came with its new translation (as an imported file brings it).
        after
            .translations
            .get_mut("en")
            .unwrap()
            .insert("o.gevoel.goed".into(), "Very good".into());
        let after = after.without_stale_translations(&before);
        assert_eq!(after.translation("en", "q.gehoord.label"), None);
        assert_eq!(after.translation("en", "o.gevoel.goed"), Some("Very good"));
        assert_eq!(
            after.translation("en", "q.op_tijd.label"),
            Some("EN Kwam de hulp op tijd?")
        );
        assert_eq!(after.missing_in("en").len(), 1);
    }

    #[test]
    fn translations_can_be_merged_and_adopted() {
        let mut q = sample();
        let changed = q.merge_translations(
            "tr",
            [("o.gevoel.goed".to_string(), "İyi".to_string())].into(),
        );
        assert_eq!(changed, 1);
        assert_eq!(
            q.merge_translations(
                "tr",
                [("o.gevoel.goed".to_string(), "İyi".to_string())].into()
            ),
            0
        );

        let mut shipped = sample();
        shipped
            .translations
            .insert("en".into(), all_in(&shipped, "en"));
        q.questions[0].label = "Een eigen vraag".into();
        q.translations
            .get_mut("tr")
            .unwrap()
            .insert("q.op_tijd.label".into(), "Eigen vertaling".into());
        let adopted = q.adopt_translations(&shipped);
        // Everything but the label worded differently here.
        assert_eq!(adopted, shipped.source_texts().len() - 1);
        assert_eq!(q.translation("en", "q.gehoord.label"), None);
        assert_eq!(
            q.translation("tr", "q.op_tijd.label"),
            Some("Eigen vertaling")
        );
        assert_eq!(q.adopt_translations(&shipped), 0);
    }

    #[test]
    fn the_shipped_questionnaire_is_complete_in_every_language() {
        let q = default_questionnaire().expect("shipped questionnaire");
        for lang in ["en", "ar", "tr", "pl", "uk"] {
            let missing: Vec<_> = q.missing_in(lang).into_iter().map(|t| t.id).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert_eq!(q.translations[lang].len(), q.source_texts().len(), "{lang}");
            let localized = q.localized(lang).expect("complete");
            // Only names (the municipalities) stay as they are in Dutch.
            let dutch: std::collections::BTreeSet<&str> =
                q.source_texts().into_iter().map(|t| t.dutch).collect();
            let same: Vec<_> = localized
                .source_texts()
                .into_iter()
                .filter(|t| dutch.contains(t.dutch))
                .map(|t| t.id)
                .collect();
            assert!(
                same.iter().all(|id| id.starts_with("o.gemeente.")
                    && !id.ends_with("andere_gemeente")
                    && !id.ends_with("liever_niet")),
                "{lang}: still Dutch: {same:?}"
            );
        }
    }

    /// Translations are beside the questions, so a questionnaire with the core module and
    /// translations of its texts still has the module's questions exactly.
    #[test]
    fn core_questions_may_have_translations() {
        let q = default_questionnaire().expect("shipped questionnaire");
        let kern = modules::find(KERN).expect("core module");
        assert!(kern.questions.iter().all(|m| q.question(&m.key) == Some(m)));
        assert!(q.translation("ar", "q.gehoord.label").is_some());
        let mut changed = q.clone();
        changed
            .translations
            .get_mut("ar")
            .unwrap()
            .insert("q.gehoord.label".into(), "نص آخر".into());
        assert!(changed.parse().is_ok());
    }
}
