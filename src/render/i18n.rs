//! Interface texts per language, from `locales/*.json`. Dutch is the default and complete;
//! another language falls back to Dutch for any key it lacks.

use rust_embed::RustEmbed;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(RustEmbed)]
#[folder = "locales/"]
struct LocaleFiles;

pub const DEFAULT_LANG: &str = "nl";
pub const LANGUAGES: [&str; 6] = ["nl", "en", "ar", "tr", "pl", "uk"];

/// A language of the interface as a person picks it: its code, its name written in the
/// language itself (someone looks for "Türkçe", not for "Turks") and its writing direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Language {
    pub code: &'static str,
    pub name: &'static str,
    /// `"rtl"` or `"ltr"`, as the HTML `dir` attribute takes it.
    pub dir: &'static str,
}

/// The language's own name and direction; `None` for a language the interface does not have.
pub fn language(code: &str) -> Option<Language> {
    let (code, name, dir) = match code {
        "nl" => ("nl", "Nederlands", "ltr"),
        "en" => ("en", "English", "ltr"),
        "ar" => ("ar", "العربية", "rtl"),
        "tr" => ("tr", "Türkçe", "ltr"),
        "pl" => ("pl", "Polski", "ltr"),
        "uk" => ("uk", "Українська", "ltr"),
        _ => return None,
    };
    Some(Language { code, name, dir })
}

/// The writing direction of a language: `"rtl"` for Arabic, `"ltr"` for the others (and for a
/// language the interface does not have, which is shown in Dutch).
pub fn direction(code: &str) -> &'static str {
    language(code).map_or("ltr", |l| l.dir)
}

/// Every language of the interface, in the order of [`LANGUAGES`].
pub fn languages() -> Vec<Language> {
    LANGUAGES.iter().filter_map(|code| language(code)).collect()
}

#[derive(Clone)]
pub struct Catalogs {
    by_lang: Arc<HashMap<String, Value>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("locales/{0}.json is missing")]
    Missing(String),
    #[error("locales/{0}.json is not a JSON object of texts: {1}")]
    Invalid(String, String),
}

fn load(lang: &str) -> Result<Map<String, Value>, CatalogError> {
    let file = LocaleFiles::get(&format!("{lang}.json"))
        .ok_or_else(|| CatalogError::Missing(lang.into()))?;
    match serde_json::from_slice::<Value>(&file.data) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CatalogError::Invalid(lang.into(), "not an object".into())),
        Err(e) => Err(CatalogError::Invalid(lang.into(), e.to_string())),
    }
}

impl Catalogs {
    pub fn load() -> Result<Self, CatalogError> {
        let dutch = load(DEFAULT_LANG)?;
        let mut by_lang = HashMap::new();
        for lang in LANGUAGES {
            let mut merged = dutch.clone();
            if lang != DEFAULT_LANG {
                merged.extend(load(lang)?);
            }
            by_lang.insert(lang.to_string(), Value::Object(merged));
        }
        Ok(Self {
            by_lang: Arc::new(by_lang),
        })
    }

    /// All texts of a language (unknown languages get Dutch).
    pub fn texts(&self, lang: &str) -> &Value {
        self.by_lang
            .get(lang)
            .or_else(|| self.by_lang.get(DEFAULT_LANG))
            .unwrap_or(&Value::Null)
    }

    /// One text, with `{name}` placeholders filled in.
    pub fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        let mut text = self
            .texts(lang)
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn is_supported(lang: &str) -> bool {
        LANGUAGES.contains(&lang)
    }
}

/// The campaign kit takes its default texts from the language files.
impl crate::domain::campaign::Wording for Catalogs {
    fn wording(&self, lang: &str, key: &str) -> String {
        self.text(lang, key, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}` placeholders of a text, sorted and without repeats.
    fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
        let mut found = std::collections::BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            found.insert(&after[..close]);
            rest = &after[close + 1..];
        }
        found
    }

    #[test]
    fn every_locale_has_exactly_the_dutch_keys_and_placeholders() {
        let nl = load(DEFAULT_LANG).unwrap();
        for lang in LANGUAGES {
            let texts = load(lang).unwrap_or_else(|e| panic!("{e}"));
            let extra: Vec<_> = texts.keys().filter(|k| !nl.contains_key(*k)).collect();
            assert!(extra.is_empty(), "keys only in {lang}.json: {extra:?}");
            let missing: Vec<_> = nl.keys().filter(|k| !texts.contains_key(*k)).collect();
            assert!(
                missing.is_empty(),
                "keys missing in {lang}.json: {missing:?}"
            );
            for (key, value) in &texts {
                let text = value
                    .as_str()
                    .unwrap_or_else(|| panic!("{lang}.json: {key} is not a string"));
                assert!(!text.trim().is_empty(), "{lang}.json: {key} is empty");
                let dutch = nl[key].as_str().unwrap_or_default();
                assert_eq!(
                    placeholders(text),
                    placeholders(dutch),
                    "{lang}.json: the placeholders of {key} differ from nl.json"
                );
            }
        }
    }

    #[test]
    fn the_placeholder_finder_finds_names_in_braces() {
        let found: Vec<_> = placeholders("{a} en {b}, {a} en een } los")
            .into_iter()
            .collect();
        assert_eq!(found, ["a", "b"]);
        assert!(placeholders("geen {").is_empty());
    }

    #[test]
    fn every_language_has_its_own_name_and_a_direction() {
        let all = languages();
        assert_eq!(all.len(), LANGUAGES.len());
        for l in &all {
            assert!(Catalogs::is_supported(l.code));
            assert!(!l.name.is_empty());
            assert_eq!(l.dir, if l.code == "ar" { "rtl" } else { "ltr" });
        }
        assert_eq!(language("uk").map(|l| l.name), Some("Українська"));
        assert_eq!(direction("ar"), "rtl");
        assert_eq!(direction("xx"), "ltr");
        assert_eq!(language("xx"), None);
    }

    #[test]
    fn placeholders_are_filled() {
        let c = Catalogs::load().unwrap();
        let t = c.text(
            "nl",
            "error.text_too_long",
            &[("max", "10".into()), ("actual", "12".into())],
        );
        assert!(t.contains("10") && t.contains("12"), "{t}");
        assert_eq!(c.text("xx", "bestaat.niet", &[]), "bestaat.niet");
    }
}
