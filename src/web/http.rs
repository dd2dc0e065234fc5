//! HTTP helpers that every page uses, public and signed-in alike: rendering a page with its
//! CSRF token, reading a posted form, running blocking work off the async workers, redirects
//! after a post (and the one check of a return path a request names), staff downloads, and
//! the date filters of the list pages. Nothing here knows a feature.

use super::errors::WebError;
use super::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm, Upload};
use super::AppState;
use crate::render::{RenderError, Renderer};
use crate::service::accounts::SignedIn;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use std::borrow::Cow;

/// Renders a page in Dutch (the signed-in part and the sensemaking tables): the template gets `me` (the signed-in user, if any), `csrf` and
/// whatever `fill` adds. Never cached by the browser.
pub fn page(
    state: &AppState,
    req: &HttpRequest,
    me: Option<&SignedIn>,
    status: StatusCode,
    template: &str,
    fill: impl FnOnce(&mut tera::Context),
) -> Result<HttpResponse, WebError> {
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context("nl");
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    if let Some(me) = me {
        ctx.insert("me", me);
    }
    fill(&mut ctx);
    with_new_cookie(html(&state.renderer, status, template, &ctx)?, new_cookie)
}

/// Reads a posted form and checks its CSRF token.
pub fn posted_form(
    state: &AppState,
    req: &HttpRequest,
    body: &[u8],
) -> Result<PostedForm, WebError> {
    let form = PostedForm::parse(body).ok_or(WebError::BadRequest("form encoding"))?;
    if csrf_ok(state, req, &form) {
        Ok(form)
    } else {
        Err(WebError::FormExpired)
    }
}

/// Reads a posted form with files (`multipart/form-data`, e.g. a translation file) and checks
/// its CSRF token, like [`posted_form`]. The body was read whole by the handler, so it is
/// bounded like any other post.
pub async fn posted_upload(
    state: &AppState,
    req: &HttpRequest,
    body: web::Bytes,
) -> Result<(PostedForm, Vec<Upload>), WebError> {
    let (form, files) = PostedForm::parse_multipart(req.headers(), body)
        .await
        .ok_or(WebError::BadRequest("form encoding"))?;
    if csrf_ok(state, req, &form) {
        Ok((form, files))
    } else {
        Err(WebError::FormExpired)
    }
}

/// Runs blocking work (database, password hashing) off the async workers. Any service error
/// comes back as the [`WebError`] it maps to.
pub async fn blocking<T, E>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, WebError>
where
    T: Send + 'static,
    E: Send + 'static,
    WebError: From<E>,
{
    Ok(web::block(f).await.map_err(|_| WebError::Unavailable)??)
}

/// Like [`blocking`], but hands the service's own error back for the handler to look at
/// (a form shown again with its problems, a 409 page with the reason).
pub async fn blocking_outcome<T, E>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<Result<T, E>, WebError>
where
    T: Send + 'static,
    E: Send + 'static,
{
    web::block(f).await.map_err(|_| WebError::Unavailable)
}

/// A period typed as two dates (`jjjj-mm-dd`, both optional, "tot en met" inclusive):
/// (from, until-exclusive) as Unix seconds, and a Dutch message per date that is not one.
pub fn date_range(from: &str, until: &str) -> (Option<i64>, Option<i64>, Vec<String>) {
    let mut problems = Vec::new();
    let mut parse = |raw: &str, what: &str, next_day: bool| {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match crate::exchange::timestamp::parse_date(raw) {
            Some(t) => Some(if next_day { t + 86_400 } else { t }),
            None => {
                problems.push(format!(
                    "De datum bij '{what}' klopt niet. Gebruik jaar-maand-dag, bijvoorbeeld 2026-11-22."
                ));
                None
            }
        }
    };
    let from = parse(from, "van", false);
    let until = parse(until, "tot en met", true);
    (from, until, problems)
}

/// The status of a page whose filter had problems: shown anyway, marked as not processable.
pub fn status_for(problems: &[String]) -> StatusCode {
    if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A redirect after a successful POST (so that reloading does not post again). A control
/// character, a space or a non-ASCII character in `location` is percent-encoded, so that a
/// stray line break can never turn into a 500 (or a second header).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location_value(location).as_ref()))
        .finish()
}

/// `location` as a header value: bytes outside visible ASCII percent-encoded.
fn location_value(location: &str) -> Cow<'_, str> {
    let unsafe_byte = |b: u8| b <= b' ' || b >= 0x7f;
    if !location.bytes().any(unsafe_byte) {
        return Cow::Borrowed(location);
    }
    let mut out = String::with_capacity(location.len() + 8);
    for b in location.bytes() {
        if unsafe_byte(b) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    Cow::Owned(out)
}

/// The longest return path a request may name.
const MAX_RETURN_PATH: usize = 2048;

/// Whether `path` — a return path a request names (`terug`, the path of a Referer), as
/// decoded from the query or form — may be redirected to: a path of this very site. It
/// starts with one `/` (not `//` or `/\`, which browsers read as another host, so no scheme
/// and no host either), holds no control character, whitespace or backslash (browsers drop
/// tabs and line breaks from a URL, so `/\t/evil.example` is `//evil.example`; a line break
/// would also break the header), and percent-decoded once more it still starts with one `/`
/// and holds no control character. At most [`MAX_RETURN_PATH`] bytes.
pub fn is_same_site_path(path: &str) -> bool {
    let starts_with_one_slash = |p: &str| p.starts_with('/') && !p[1..].starts_with(['/', '\\']);
    path.len() <= MAX_RETURN_PATH
        && starts_with_one_slash(path)
        && !path
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && {
            let decoded = percent_decoded(path);
            starts_with_one_slash(&decoded) && !decoded.chars().any(char::is_control)
        }
}

/// The return path a request names, when [`is_same_site_path`]; `fallback` otherwise (also
/// when it names none). The one check for every `terug` parameter.
pub fn same_site_path(candidate: Option<&str>, fallback: &str) -> String {
    candidate
        .filter(|path| is_same_site_path(path))
        .unwrap_or(fallback)
        .to_string()
}

/// `%XX` sequences decoded (invalid ones kept as they are; invalid UTF-8 replaced).
fn percent_decoded(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(high), Some(low)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// `Cache-Control: no-store`, for every staff download (PDFs, exports, the questionnaire
/// file): what a signed-in person downloads must not stay behind in a browser's or a proxy's
/// cache. Add it with `.insert_header(http::NO_STORE)`, or use [`download`].
pub const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// How a download is offered: opened in the browser, or saved as a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Inline,
    Attachment,
}

/// A staff download made in full: its type, its file name (reduced to letters, digits, `-`,
/// `_` and `.`), and [`NO_STORE`].
pub fn download(
    content_type: &str,
    disposition: Disposition,
    file_name: &str,
    body: impl actix_web::body::MessageBody + 'static,
) -> HttpResponse {
    let kind = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    let file_name: String = file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("{kind}; filename=\"{file_name}\""),
        ))
        .insert_header(NO_STORE)
        .body(body)
}

/// Ids in URLs are letters, digits, `-` and `_`; a segment that came from outside is reduced
/// to those before it goes into a redirect or a link, so it stays one path segment.
pub fn safe_segment(segment: &str) -> String {
    segment
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

/// A rendered template as an HTML response that the browser does not keep.
pub fn html(
    renderer: &Renderer,
    status: StatusCode,
    template: &str,
    ctx: &tera::Context,
) -> Result<HttpResponse, RenderError> {
    let body = renderer.render(template, ctx)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

/// Adds `Retry-After` (whole seconds, at least one) to a 429 or 503 page.
pub fn retry_after(mut response: HttpResponse, seconds: i64) -> HttpResponse {
    let value = seconds.max(1).to_string();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&value) {
        response
            .headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        for good in [
            "/",
            "/beheer",
            "/v/jeugdhulp/vertel?rol=ouder&taal=en#vraag-1",
            "/beheer/p/jeugdhulp/verkennen?zoek=wachten%20lang",
            "/v/caf%C3%A9",
        ] {
            assert!(is_same_site_path(good), "{good:?}");
            assert_eq!(same_site_path(Some(good), "/x"), good);
        }
        for bad in [
            "",
            "beheer",
            "//evil.example/x",
            "/\\evil.example/x",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/x\r\nSet-Cookie: a=b",
            "/x y",
            "/x\u{a0}y",
            "/x\u{2028}y",
            "/x\\y",
            "https://evil.example/",
            "javascript:alert(1)",
            " /beheer",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/x%0Ay",
            "/x%09",
            "/x%00",
        ] {
            assert!(!is_same_site_path(bad), "{bad:?}");
            assert_eq!(same_site_path(Some(bad), "/terug"), "/terug", "{bad:?}");
        }
        assert!(!is_same_site_path(&format!(
            "/{}",
            "a".repeat(MAX_RETURN_PATH)
        )));
        assert_eq!(same_site_path(None, "/beheer"), "/beheer");
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decoded("/a%20b%2fc"), "/a b/c");
        assert_eq!(percent_decoded("/100%"), "/100%");
        assert_eq!(percent_decoded("/%zz%4"), "/%zz%4");
        assert_eq!(percent_decoded("/%FF"), "/\u{fffd}");
    }

    #[test]
    fn a_redirect_never_carries_a_raw_control_character() {
        let response = see_other("/x\r\nSet-Cookie: a=b\t\u{e9}");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response
                .headers()
                .get(header::LOCATION)
                .map(|v| v.as_bytes()),
            Some(&b"/x%0D%0ASet-Cookie:%20a=b%09%C3%A9"[..])
        );
        assert_eq!(
            see_other("/beheer/p/x?gedaan=1#a")
                .headers()
                .get(header::LOCATION)
                .map(|v| v.as_bytes()),
            Some(&b"/beheer/p/x?gedaan=1#a"[..])
        );
    }

    #[test]
    fn downloads_are_not_stored_and_name_a_plain_file() {
        let response = download(
            "application/pdf",
            Disposition::Inline,
            "verslag-\"x\r\n.pdf",
            "%PDF-",
        );
        let value = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        };
        assert_eq!(value(header::CACHE_CONTROL).as_deref(), Some("no-store"));
        assert_eq!(
            value(header::CONTENT_DISPOSITION).as_deref(),
            Some("inline; filename=\"verslag-x.pdf\"")
        );
        assert_eq!(
            value(header::CONTENT_TYPE).as_deref(),
            Some("application/pdf")
        );
    }
}
