//! Interface texts per language, from `locales/*.json`. Dutch is the default and complete;
//! another language falls back to Dutch for any key it lacks.

use rust_embed::RustEmbed;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(RustEmbed)]
#[folder = "locales/"]
struct LocaleFiles;

pub const DEFAULT_LANG: &str = "nl";
pub const LANGUAGES: [&str; 2] = ["nl", "en"];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_has_no_keys_that_dutch_lacks() {
        let nl = load("nl").unwrap();
        let en = load("en").unwrap();
        let extra: Vec<_> = en.keys().filter(|k| !nl.contains_key(*k)).collect();
        assert!(extra.is_empty(), "keys only in en.json: {extra:?}");
        let missing: Vec<_> = nl.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "keys missing in en.json: {missing:?}");
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
