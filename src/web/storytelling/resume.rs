//! "Later verder", coming back: type the resume code and the story form comes back exactly
//! as it was saved. Wrong codes are throttled per address like wrong withdrawal codes.

use super::project_or_404;
use super::story::{closed_page, render_form, FormPage};
use crate::exchange::timestamp::now_unix;
use crate::security::random_token;
use crate::service::drafts::{self, DraftError};
use crate::service::error::ServiceError;
use crate::web::errors::WebError;
use crate::web::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm};
use crate::web::http::retry_after;
use crate::web::views::story_form::ProjectView;
use crate::web::{lang_of, AppState};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

const FIELD_CODE: &str = "code";

fn code_page(
    state: &AppState,
    req: &HttpRequest,
    project: &crate::domain::Project,
    code: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let lang = lang_of(req);
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context(&lang);
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    ctx.insert("project", &ProjectView::new(project));
    ctx.insert("code", code);
    ctx.insert(
        "error",
        &error.map(|key| state.renderer.catalogs.text(&lang, key, &[])),
    );
    with_new_cookie(
        crate::web::http::html(&state.renderer, status, "storytelling/resume.html", &ctx)?,
        new_cookie,
    )
}

/// GET /v/{project}/verder — where to type the resume code.
pub async fn form(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    if !project.is_open {
        return closed_page(&state, &req, &project);
    }
    code_page(&state, &req, &project, "", None, StatusCode::OK)
}

/// POST /v/{project}/verder — the saved form back, or the code page with what went wrong.
pub async fn resume(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let code = form.text(FIELD_CODE);
    if !project.is_open {
        return closed_page(&state, &req, &project);
    }
    if !csrf_ok(&state, &req, &form) {
        let error = Some("notice.form_expired");
        return code_page(&state, &req, &project, &code, error, StatusCode::FORBIDDEN);
    }
    let now = now_unix();
    if let Some(seconds) = state.code_wait(&req, now) {
        let error = Some("resume.too_many_codes");
        let page = code_page(
            &state,
            &req,
            &project,
            &code,
            error,
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        return Ok(retry_after(page, seconds));
    }
    match drafts::resume(&state.db, &project, &code, now).await {
        Ok((raw, draft, _expires)) if project.questionnaire.role(&raw.role).is_some() => {
            let sealed = draft.seal(&state.secret);
            let mut page = FormPage::new(&project, raw, random_token());
            page.draft = Some((draft, sealed));
            page.notice = Some("notice.resumed");
            render_form(&state, &req, &lang_of(&req), page, StatusCode::OK)
        }
        Ok(_) | Err(DraftError::Core(ServiceError::NotFound)) => {
            state.code_wrong(&req, now);
            let error = Some("resume.error_not_found");
            code_page(&state, &req, &project, &code, error, StatusCode::NOT_FOUND)
        }
        Err(DraftError::Malformed) => {
            state.code_wrong(&req, now);
            let error = Some("resume.error_malformed");
            code_page(
                &state,
                &req,
                &project,
                &code,
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e.into()),
    }
}
