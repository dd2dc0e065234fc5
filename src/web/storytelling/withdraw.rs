//! Withdrawing a story with the code from the thank-you page: type the code, see which story
//! it is, confirm.

use super::project_or_404;
use crate::exchange::timestamp::now_unix;
use crate::service::error::ServiceError;
use crate::service::storytelling::{self, WithdrawError};
use crate::web::errors::WebError;
use crate::web::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm};
use crate::web::http::retry_after;
use crate::web::views::story_form::ProjectView;
use crate::web::{lang_of, AppState};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

const FIELD_CODE: &str = "code";

async fn render(
    state: &AppState,
    req: &HttpRequest,
    slug: &str,
    template: &str,
    status: StatusCode,
    fill: impl FnOnce(&mut tera::Context),
) -> Result<HttpResponse, WebError> {
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context(&lang_of(req));
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    ctx.insert("slug", slug);
    ctx.insert(
        "results_public",
        &super::results::link_shown(state, slug).await,
    );
    fill(&mut ctx);
    with_new_cookie(
        crate::web::http::html(&state.renderer, status, template, &ctx)?,
        new_cookie,
    )
}

async fn form_again(
    state: &AppState,
    req: &HttpRequest,
    project: &crate::domain::Project,
    code: &str,
    error: &str,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let message = state.renderer.catalogs.text(&lang_of(req), error, &[]);
    render(
        state,
        req,
        &project.slug,
        "storytelling/withdraw.html",
        status,
        |ctx| {
            ctx.insert("project", &ProjectView::new(project));
            ctx.insert("code", code);
            ctx.insert("error", &message);
        },
    )
    .await
}

/// GET /v/{project}/intrekken
pub async fn form(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    render(
        &state,
        &req,
        &project.slug,
        "storytelling/withdraw.html",
        StatusCode::OK,
        |ctx| {
            ctx.insert("project", &ProjectView::new(&project));
            ctx.insert("code", "");
        },
    )
    .await
}

/// POST /v/{project}/intrekken — look the code up and ask for confirmation.
pub async fn check(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let code = form.text(FIELD_CODE);
    if !csrf_ok(&state, &req, &form) {
        return form_again(
            &state,
            &req,
            &project,
            &code,
            "notice.form_expired",
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    if let Some(seconds) = state.code_wait(&req, now_unix()) {
        let page = form_again(
            &state,
            &req,
            &project,
            &code,
            "withdraw.too_many_codes",
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await?;
        return Ok(retry_after(page, seconds));
    }
    let found = storytelling::find_for_withdrawal(&state.db, &project.slug, &code).await;
    if matches!(
        found,
        Err(WithdrawError::Malformed | WithdrawError::Core(ServiceError::NotFound))
    ) {
        state.code_wrong(&req, now_unix());
    }
    match found {
        Ok(story) => {
            render(
                &state,
                &req,
                &project.slug,
                "storytelling/withdraw_confirm.html",
                StatusCode::OK,
                |ctx| {
                    ctx.insert("project", &ProjectView::new(&project));
                    ctx.insert("code", &code);
                    ctx.insert("story_title", &story.title);
                    ctx.insert(
                        "story_date",
                        &crate::render::dates::long_date(story.created_at, &lang_of(&req)),
                    );
                },
            )
            .await
        }
        Err(WithdrawError::Malformed) => {
            form_again(
                &state,
                &req,
                &project,
                &code,
                "withdraw.error_malformed",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(WithdrawError::Core(ServiceError::NotFound)) => {
            form_again(
                &state,
                &req,
                &project,
                &code,
                "withdraw.error_not_found",
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /v/{project}/intrekken/bevestig — erase the story.
pub async fn confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let code = form.text(FIELD_CODE);
    if !csrf_ok(&state, &req, &form) {
        return form_again(
            &state,
            &req,
            &project,
            &code,
            "notice.form_expired",
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    match storytelling::withdraw(&state.db, &project.slug, &code).await {
        Ok(_) => {
            render(
                &state,
                &req,
                &project.slug,
                "storytelling/withdraw_done.html",
                StatusCode::OK,
                |ctx| {
                    ctx.insert("project", &ProjectView::new(&project));
                },
            )
            .await
        }
        Err(WithdrawError::Malformed) => {
            form_again(
                &state,
                &req,
                &project,
                &code,
                "withdraw.error_malformed",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(WithdrawError::Core(ServiceError::NotFound)) => {
            form_again(
                &state,
                &req,
                &project,
                &code,
                "withdraw.error_not_found",
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
