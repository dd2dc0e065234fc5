//! HTTP helpers that every page uses, public and signed-in alike: rendering a page with its
//! CSRF token, reading a posted form, running blocking work off the async workers, redirects
//! after a post, and the date filters of the list pages. Nothing here knows a feature.

use super::errors::WebError;
use super::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm};
use super::AppState;
use crate::render::{RenderError, Renderer};
use crate::service::accounts::SignedIn;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

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

/// A redirect after a successful POST (so that reloading does not post again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
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
