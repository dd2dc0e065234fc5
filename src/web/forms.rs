//! Reading posted forms and protecting them against cross-site posts.
//!
//! CSRF: a random, HttpOnly cookie, and in each form an HMAC of that cookie made with the
//! server secret. Works without JavaScript and across instances that share the secret.

use super::AppState;
use crate::domain::answer::SliderChoice;
use crate::domain::RawSubmission;
use crate::security::random_token;
use actix_web::cookie::Cookie;
use actix_web::HttpRequest;
use std::collections::{HashMap, HashSet};

pub const CSRF_COOKIE: &str = "vp_csrf";
pub const FIELD_CSRF: &str = "csrf";
pub const FIELD_KEY: &str = "sleutel";
pub const FIELD_CONTINUATION: &str = "vervolg";
/// The sealed reference to a draft a resumed form belongs to.
pub const FIELD_DRAFT: &str = "concept";
const ANSWER_PREFIX: &str = "q_";
const NA_PREFIX: &str = "na_";
/// A slider's choice field: the form sends a hidden "open" first and the ticked radio after
/// it, so the last value wins.
const SLIDER_CHOICE_PREFIX: &str = "stand_";

/// The posted fields in order; repeated names (checkboxes) appear several times.
#[derive(Debug, Default, Clone)]
pub struct PostedForm {
    pairs: Vec<(String, String)>,
}

impl PostedForm {
    /// `None` when the body is not `application/x-www-form-urlencoded` text.
    pub fn parse(body: &[u8]) -> Option<Self> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .ok()
            .map(|pairs| Self { pairs })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated field (checkboxes with one name), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Drops every value of a field.
    pub fn remove(&mut self, name: &str) {
        self.pairs.retain(|(k, _)| k != name);
    }

    /// Every field as posted, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    pub fn checked(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !v.is_empty())
    }

    /// The storyteller's answers and texts, as typed.
    pub fn submission(&self) -> RawSubmission {
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        let mut not_applicable = HashSet::new();
        let mut slider_choices = HashMap::new();
        for (name, value) in &self.pairs {
            if let Some(key) = name.strip_prefix(ANSWER_PREFIX) {
                values
                    .entry(key.to_string())
                    .or_default()
                    .push(value.clone());
            } else if let Some(key) = name.strip_prefix(SLIDER_CHOICE_PREFIX) {
                slider_choices.insert(key.to_string(), SliderChoice::from_form(value));
            } else if let Some(key) = name.strip_prefix(NA_PREFIX) {
                if !value.is_empty() {
                    not_applicable.insert(key.to_string());
                }
            }
        }
        RawSubmission {
            role: self.text(crate::domain::story::FIELD_ROLE),
            title: self.text(crate::domain::story::FIELD_TITLE),
            text: self.text(crate::domain::story::FIELD_TEXT),
            values,
            not_applicable,
            slider_choices,
            consent_analysis: self.checked("toestemming_analyse"),
            consent_quotes: self.checked("toestemming_citaten"),
        }
    }
}

/// The CSRF cookie value of this request, or a new one (then `Some(cookie)` must be set).
pub fn csrf_cookie(state: &AppState, req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    match req.cookie(CSRF_COOKIE) {
        Some(c) if c.value().len() >= 16 => (c.value().to_string(), None),
        _ => {
            let value = random_token();
            let cookie = state.cookie(CSRF_COOKIE, value.clone());
            (value, Some(cookie))
        }
    }
}

/// Attaches a newly made CSRF cookie (from [`csrf_cookie`]) to a response.
pub fn with_new_cookie(
    mut response: actix_web::HttpResponse,
    new_cookie: Option<Cookie<'static>>,
) -> Result<actix_web::HttpResponse, super::errors::WebError> {
    if let Some(cookie) = new_cookie {
        response
            .add_cookie(&cookie)
            .map_err(|_| super::errors::WebError::BadRequest("cookie"))?;
    }
    Ok(response)
}

/// Whether the form's token belongs to the request's CSRF cookie.
pub fn csrf_ok(state: &AppState, req: &HttpRequest, form: &PostedForm) -> bool {
    match (req.cookie(CSRF_COOKIE), form.get(FIELD_CSRF)) {
        (Some(cookie), Some(token)) => state.secret.csrf_valid(cookie.value(), token),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_repeated_fields_and_na_boxes() {
        let form = PostedForm::parse(
            b"rol=ouder&titel=Hoi&verhaal=Regel+1%0ARegel+2&q_hulp=ggz&q_hulp=school&na_op_tijd=1&q_op_tijd=50&toestemming_analyse=ja",
        )
        .unwrap();
        let raw = form.submission();
        assert_eq!(raw.role, "ouder");
        assert_eq!(raw.text, "Regel 1\nRegel 2");
        assert_eq!(raw.values["hulp"], vec!["ggz", "school"]);
        assert!(raw.not_applicable.contains("op_tijd"));
        assert!(raw.consent_analysis);
        assert!(!raw.consent_quotes);
        assert!(raw.slider_choices.is_empty());
    }

    #[test]
    fn the_last_slider_choice_wins() {
        let form =
            PostedForm::parse(b"q_gehoord=50&stand_gehoord=open&stand_gehoord=schuif&stand_x=open")
                .unwrap();
        let raw = form.submission();
        assert_eq!(raw.slider_choices["gehoord"], SliderChoice::Position);
        assert_eq!(raw.slider_choices["x"], SliderChoice::Open);
    }
}
