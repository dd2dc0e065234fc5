//! Which error type to use where:
//! - handlers return `Result<HttpResponse, WebError>`; a `WebError` becomes a status code and a
//!   page in the reader's language (rendered by [`render_error_page`], which also dresses
//!   actix's own errors such as 404 for unknown routes or 413 for oversized bodies);
//! - a service error becomes a `WebError` through its [`Refused::refusal`] only, in
//!   [`WebError::refused`]: the one place that decides status codes for the use cases
//!   (403 not allowed, 404 not found, 409 not possible now, 422 wrong input, 429, 503, 500);
//! - form problems are not errors: the handler shows the form again with the messages and
//!   the status that fits (usually 422), and keeps what was typed;
//! - `BadRequest` (400) is for requests no page of ours sends (a broken form encoding, a
//!   forged cookie), never for what a person typed.

use super::{lang_of, AppState};
use crate::render::RenderError;
use crate::service::accounts::AccountError;
use crate::service::analysis::AnalysisError;
use crate::service::api_tokens::TokenError;
use crate::service::drafts::DraftError;
use crate::service::error::StoreError;
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::service::export::ExportError;
use crate::service::moderation::ModerationError;
use crate::service::observations::ObservationError;
use crate::service::project_admin::ProjectAdminError;
use crate::service::proposals::ProposalError;
use crate::service::proposals_export::ProposalsExportError;
use crate::service::questionnaire_editor::EditorError;
use crate::service::sensemaking::SensemakingError;
use crate::service::story_tables::TableSubmitError;
use crate::service::storytelling::{SubmitError, WithdrawError};
use crate::service::translations::TranslationError;
use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpResponse, ResponseError};

/// Tells [`render_error_page`] which text to show when the status alone does not say it.
const KIND_HEADER: &str = "x-vertelpunt-error";

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// Not signed in: go to the login page, and come back to this path afterwards.
    #[error("login required")]
    LoginRequired(String),
    #[error("forbidden")]
    Forbidden,
    /// A form without a valid CSRF token (usually a page left open too long).
    #[error("form expired")]
    FormExpired,
    #[error("server busy")]
    Unavailable,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// The request is fine but the state of things does not allow it now.
    #[error("conflict: {0}")]
    Conflict(String),
    /// What was typed or sent is not acceptable.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// A use case failed for a reason that is not the person's doing.
    #[error("failed: {0}")]
    Failed(String),
    #[error("too many requests")]
    TooManyRequests,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Render(#[from] RenderError),
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::LoginRequired(_) => StatusCode::SEE_OTHER,
            WebError::Forbidden | WebError::FormExpired => StatusCode::FORBIDDEN,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Failed(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            WebError::Store(StoreError::Pool(_)) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Store(_) | WebError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            WebError::TooManyRequests => {
                response.insert_header((header::RETRY_AFTER, "60"));
            }
            WebError::LoginRequired(back) => {
                let query = serde_urlencoded::to_string([("terug", back)]).unwrap_or_default();
                response.insert_header((header::LOCATION, format!("/beheer/inloggen?{query}")));
            }
            WebError::FormExpired => {
                response.insert_header((KIND_HEADER, "csrf"));
            }
            _ => {}
        }
        // The body is filled in by `render_error_page`, which knows the language.
        response.finish()
    }
}

impl WebError {
    /// The one mapping from a use case's refusal to what the web answers.
    pub fn refused(e: &impl Refused) -> Self {
        match e.refusal() {
            Refusal::NotAllowed => WebError::Forbidden,
            Refusal::NotFound => WebError::NotFound,
            Refusal::Conflict => WebError::Conflict(e.to_string()),
            Refusal::Invalid => WebError::Unprocessable(e.to_string()),
            Refusal::TooMany => WebError::TooManyRequests,
            Refusal::Busy => {
                tracing::warn!(error = %e, "busy");
                WebError::Unavailable
            }
            Refusal::Failure => WebError::Failed(e.to_string()),
        }
    }
}

macro_rules! from_refused {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for WebError {
            fn from(e: $error) -> Self {
                WebError::refused(&e)
            }
        })*
    };
}

from_refused!(
    ServiceError,
    AccountError,
    AnalysisError,
    DraftError,
    EditorError,
    ExportError,
    ModerationError,
    ObservationError,
    ProjectAdminError,
    ProposalError,
    ProposalsExportError,
    SensemakingError,
    SubmitError,
    TableSubmitError,
    TokenError,
    TranslationError,
    WithdrawError,
);

/// Middleware hook: gives every error response without a body a page in the user's language
/// (the API's JSON errors are left as they are).
pub fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let has_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if has_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, res) = res.into_parts();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Ok(ErrorHandlerResponse::Response(
            ServiceResponse::new(req, res).map_into_left_body(),
        ));
    };
    let lang = lang_of(&req);
    let kind = res
        .headers()
        .get(KIND_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let key = match status.as_u16() {
        _ if kind.as_deref() == Some("csrf") => "csrf",
        400 => "400",
        409 => "409",
        422 => "422",
        403 => "403",
        404 | 405 => "404",
        413 => "413",
        429 => "429",
        503 => "503",
        _ if status.is_client_error() => "400",
        _ => "500",
    };
    let mut ctx = state.renderer.context(&lang);
    ctx.insert("status", &status.as_u16());
    ctx.insert("kind", key);
    let body = state
        .renderer
        .render("error.html", &ctx)
        .unwrap_or_else(|_| {
            format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
        });
    let mut new_res: HttpResponse<BoxBody> = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body);
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && name != KIND_HEADER {
            new_res.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let res: ServiceResponse<EitherBody<B>> =
        ServiceResponse::new(req, new_res).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
