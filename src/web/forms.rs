//! Reading posted forms and protecting them against cross-site posts.
//!
//! CSRF: a random, HttpOnly cookie, and in each form an HMAC (with the server secret) of that
//! cookie bound to the staff login of the browser, if any: a form made before logging in, in
//! another login, or before logging out is refused. The cookie is also replaced at login and
//! logout. Works without JavaScript and across instances that share the secret.
//!
//! Over https the site's own cookies carry the `__Host-` prefix ([`site_cookie_name`]).

use super::AppState;
use crate::domain::answer::SliderChoice;
use crate::domain::RawSubmission;
use crate::security::{random_token, sha256_hex};
use actix_web::cookie::Cookie;
use actix_web::http::header::HeaderMap;
use actix_web::HttpRequest;
use futures_util::StreamExt as _;
use std::collections::{HashMap, HashSet};

/// The CSRF cookie (named with [`site_cookie_name`]).
pub const CSRF_COOKIE: &str = "vp_csrf";
/// The staff session cookie (named with [`site_cookie_name`]); the login itself lives in
/// `web::admin::auth`, its name is here because the CSRF token is bound to it.
pub const STAFF_SESSION_COOKIE: &str = "vp_sessie";
/// A CSRF cookie shorter than this is replaced.
const MIN_CSRF_COOKIE: usize = 16;
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

/// A file sent with a form (`<input type="file">`). A file field left empty arrives with an
/// empty name and no bytes.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl PostedForm {
    /// A `multipart/form-data` body (a form with a file field), already read whole and so
    /// bounded like every post: its text fields as a form, and its files. `None` when the body
    /// is not such a form or is broken.
    pub async fn parse_multipart(
        headers: &HeaderMap,
        body: actix_web::web::Bytes,
    ) -> Option<(Self, Vec<Upload>)> {
        let whole =
            futures_util::stream::once(
                async move { Ok::<_, actix_web::error::PayloadError>(body) },
            );
        let mut parts = actix_multipart::Multipart::new(headers, whole);
        let mut pairs = Vec::new();
        let mut files = Vec::new();
        while let Some(part) = parts.next().await {
            let mut field = part.ok()?;
            let Some(name) = field.name().map(str::to_string) else {
                continue;
            };
            let file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .map(str::to_string);
            let bytes = field.bytes(super::MAX_BODY_BYTES).await.ok()?.ok()?;
            match file_name {
                Some(file_name) => files.push(Upload {
                    field: name,
                    file_name,
                    bytes: bytes.to_vec(),
                }),
                None => pairs.push((name, String::from_utf8(bytes.to_vec()).ok()?)),
            }
        }
        Some((Self { pairs }, files))
    }

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

    /// Sets a field to one value (dropping what was posted for it).
    pub fn set(&mut self, name: &str, value: String) {
        self.remove(name);
        self.pairs.push((name.to_string(), value));
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

/// The name of one of the site's own cookies: over https (`Secure` cookies) with the
/// `__Host-` prefix, so that a browser only accepts it when it is `Secure`, for path `/`,
/// without a domain, set by this very host over https — a neighbouring subdomain or a plain
/// http page cannot plant or overwrite it.
pub fn site_cookie_name(state: &AppState, name: &str) -> String {
    if state.config.secure_cookies {
        format!("__Host-{name}")
    } else {
        name.to_string()
    }
}

/// One of the site's own cookies (path `/`, HttpOnly, SameSite=Lax, `Secure` over https),
/// named with [`site_cookie_name`].
pub fn site_cookie(state: &AppState, name: &str, value: String) -> Cookie<'static> {
    state
        .cookie(&site_cookie_name(state, name), value)
        .into_owned()
}

/// The value of one of the site's own cookies in this request.
pub fn site_cookie_value(state: &AppState, req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(&site_cookie_name(state, name))
        .map(|c| c.value().to_string())
}

/// A new random CSRF cookie: set at login and at logout, so that no form token of before
/// stays usable.
pub fn fresh_csrf_cookie(state: &AppState) -> Cookie<'static> {
    site_cookie(state, CSRF_COOKIE, random_token())
}

/// What a form's CSRF token signs: the CSRF cookie together with the staff session cookie,
/// when the browser holds one (as hashes, so both have a fixed length and cannot be confused).
fn csrf_binding(csrf_cookie: &str, staff_session: Option<&str>) -> String {
    format!(
        "{}.{}",
        sha256_hex(csrf_cookie),
        staff_session.map(sha256_hex).unwrap_or_default()
    )
}

/// What the CSRF token of a form rendered for this request signs (give it to
/// `Secret::csrf_token`): the request's CSRF cookie, or a new one (then `Some(cookie)` must be
/// set), bound to the staff login the request carries.
pub fn csrf_cookie(state: &AppState, req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
    let session = site_cookie_value(state, req, STAFF_SESSION_COOKIE);
    match site_cookie_value(state, req, CSRF_COOKIE) {
        Some(value) if value.len() >= MIN_CSRF_COOKIE => {
            (csrf_binding(&value, session.as_deref()), None)
        }
        _ => {
            let cookie = fresh_csrf_cookie(state);
            (
                csrf_binding(cookie.value(), session.as_deref()),
                Some(cookie),
            )
        }
    }
}

/// Attaches a newly made CSRF cookie (from [`csrf_cookie`]) to a response.
pub fn with_new_cookie(
    mut response: actix_web::HttpResponse,
    new_cookie: Option<Cookie<'static>>,
) -> Result<actix_web::HttpResponse, super::errors::WebError> {
    if let Some(cookie) = new_cookie {
        set_cookie(&mut response, &cookie)?;
    }
    Ok(response)
}

/// Sets `cookie` on `response`; a cookie that cannot be written as a header is a bad request.
pub fn set_cookie(
    response: &mut actix_web::HttpResponse,
    cookie: &Cookie<'_>,
) -> Result<(), super::errors::WebError> {
    response
        .add_cookie(cookie)
        .map_err(|_| super::errors::WebError::BadRequest("cookie"))
}

/// Whether the form's token belongs to the request's CSRF cookie and to its staff login (or
/// to having none), as they were when the form was made.
pub fn csrf_ok(state: &AppState, req: &HttpRequest, form: &PostedForm) -> bool {
    let session = site_cookie_value(state, req, STAFF_SESSION_COOKIE);
    match (
        site_cookie_value(state, req, CSRF_COOKIE),
        form.get(FIELD_CSRF),
    ) {
        (Some(cookie), Some(token)) if cookie.len() >= MIN_CSRF_COOKIE => state
            .secret
            .csrf_valid(&csrf_binding(&cookie, session.as_deref()), token),
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
    fn the_csrf_binding_tells_logins_apart() {
        let before_login = csrf_binding("koekje-koekje-koekje", None);
        let login = csrf_binding("koekje-koekje-koekje", Some("sessie-1"));
        let other_login = csrf_binding("koekje-koekje-koekje", Some("sessie-2"));
        let other_cookie = csrf_binding("ander-koekje-koekje", Some("sessie-1"));
        assert_ne!(before_login, login);
        assert_ne!(login, other_login);
        assert_ne!(login, other_cookie);
        assert_eq!(
            login,
            csrf_binding("koekje-koekje-koekje", Some("sessie-1"))
        );
        // Neither part can shift into the other.
        assert_ne!(csrf_binding("a.b", None), csrf_binding("a", Some("b")));
    }

    #[actix_web::test]
    async fn reads_a_form_with_a_file() {
        let body = concat!(
            "--grens\r\n",
            "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n",
            "teken\r\n",
            "--grens\r\n",
            "Content-Disposition: form-data; name=\"taal\"\r\n\r\n",
            "uk\r\n",
            "--grens\r\n",
            "Content-Disposition: form-data; name=\"bestand\"; filename=\"uk.po\"\r\n",
            "Content-Type: text/x-gettext-translation\r\n\r\n",
            "msgid \"Ja\"\r\nmsgstr \"Так\"\r\n",
            "--grens--\r\n",
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::HeaderValue::from_static(
                "multipart/form-data; boundary=grens",
            ),
        );
        let (form, files) = PostedForm::parse_multipart(&headers, body.into())
            .await
            .expect("a valid multipart form");
        assert_eq!(form.get("csrf"), Some("teken"));
        assert_eq!(form.get("taal"), Some("uk"));
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].field, "bestand");
        assert_eq!(files[0].file_name, "uk.po");
        // The line break before the next boundary belongs to the boundary.
        assert_eq!(
            String::from_utf8_lossy(&files[0].bytes),
            "msgid \"Ja\"\r\nmsgstr \"Так\""
        );

        // Not multipart, or cut off: no form.
        let mut plain = HeaderMap::new();
        plain.insert(
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert!(PostedForm::parse_multipart(&plain, "a=b".into())
            .await
            .is_none());
        assert!(
            PostedForm::parse_multipart(&headers, body[..60].to_string().into())
                .await
                .is_none()
        );
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
