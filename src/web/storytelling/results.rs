//! The public page "Wat is er met de verhalen gedaan?" (`/v/{project}/resultaten`), in the
//! teller's language, and the path of one's own story behind the withdrawal code. What may be
//! shown is decided by `service::public_results`; this module only words and renders it. A
//! page that is switched off is a plain 404.

use super::project_or_404;
use crate::domain::Project;
use crate::exchange::timestamp::now_unix;
use crate::render::dates::long_date;
use crate::render::numbers::grouped;
use crate::service::error::ServiceError;
use crate::service::public_results::{self, CardMention, PublicResults, StoryPath};
use crate::service::storytelling::WithdrawError;
use crate::web::errors::WebError;
use crate::web::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm};
use crate::web::http::{blocking, retry_after};
use crate::web::views::card;
use crate::web::views::story_form::ProjectView;
use crate::web::{lang_of, AppState};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

const FIELD_CODE: &str = "code";

#[derive(Serialize)]
struct SessionView {
    line: String,
}

#[derive(Serialize)]
struct ObservationView {
    id: String,
    title: String,
    description: String,
    interpretations: Vec<String>,
    quotes: Vec<String>,
    /// The card's figures, k-protected; `None` when none may be shown.
    figures: Option<card::CardView>,
    /// Some figures were left out for k (or all of them).
    protected: bool,
}

#[derive(Serialize)]
struct ProposalView {
    title: String,
    action: String,
    so_that: String,
    status: String,
    level: String,
    updated: String,
}

#[derive(Serialize)]
struct PathView {
    told: String,
    read: Vec<String>,
    cards: Vec<Option<String>>,
}

/// What the teller's code brought: the path, or the message for the form.
enum CodeOutcome<'a> {
    None,
    Path(PathView),
    Problem(&'a str),
}

fn observation_view(
    d: &crate::service::observations::ObservationDetail,
    k: u32,
) -> ObservationView {
    let (figures, protected) = match &d.snapshot {
        Some(s) => {
            let all = card::figures(s, d.record.figures_at);
            match crate::web::views::public_results::protect(all, s.stories, s.pattern.n, k) {
                Some((f, removed)) => (Some(card::CardView::of(&f)), removed),
                None => (None, true),
            }
        }
        None => (None, false),
    };
    ObservationView {
        id: d.record.id.clone(),
        title: d.record.title.clone(),
        description: d.record.description.clone(),
        interpretations: d
            .interpretations
            .iter()
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .collect(),
        quotes: d
            .quotes
            .iter()
            .filter(|q| !q.text.trim().is_empty())
            .map(|q| q.text.clone())
            .collect(),
        figures,
        protected,
    }
}

fn path_view(state: &AppState, lang: &str, path: &StoryPath) -> PathView {
    let text = |key: &str, date: i64| {
        state
            .renderer
            .catalogs
            .text(lang, key, &[("date", long_date(date, lang))])
    };
    PathView {
        told: text("results.path_told", path.told_at),
        read: path
            .read_at
            .iter()
            .map(|&at| text("results.path_read", at))
            .collect(),
        cards: path
            .cards
            .iter()
            .map(|c| match c {
                CardMention::Published(title) => Some(title.clone()),
                CardMention::Unpublished => None,
            })
            .collect(),
    }
}

async fn load(state: &AppState, slug: &str) -> Result<PublicResults, WebError> {
    let (db, key) = (state.db.clone(), slug.to_string());
    blocking(move || public_results::page(&db, &key, now_unix()).map_err(|e| WebError::refused(&e)))
        .await?
        .ok_or(WebError::NotFound)
}

fn render(
    state: &AppState,
    req: &HttpRequest,
    project: &Project,
    results: &PublicResults,
    code: &str,
    outcome: CodeOutcome<'_>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let lang = lang_of(req);
    let texts = &state.renderer.catalogs;
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context(&lang);
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    ctx.insert("project", &ProjectView::new(project));
    ctx.insert("slug", &project.slug);
    let k = results.k.to_string();
    let stories = match results.stories {
        Some(n) => texts.text(
            &lang,
            "results.stories_count",
            &[("count", grouped(n as u64, &lang))],
        ),
        None => texts.text(&lang, "results.stories_few", &[("k", k.clone())]),
    };
    ctx.insert("stories", &stories);
    let sessions: Vec<SessionView> = results
        .sessions
        .iter()
        .map(|s| SessionView {
            line: texts.text(
                &lang,
                "results.session_line",
                &[
                    ("date", long_date(s.starts_at, &lang)),
                    ("tables", grouped(s.tables.max(0) as u64, &lang)),
                    ("participants", grouped(s.participants.max(0) as u64, &lang)),
                ],
            ),
        })
        .collect();
    ctx.insert("sessions", &sessions);
    let observations: Vec<ObservationView> = results
        .observations
        .iter()
        .map(|d| observation_view(d, results.k))
        .collect();
    ctx.insert("observations", &observations);
    ctx.insert(
        "figures_protected",
        &texts.text(&lang, "results.figures_protected", &[("k", k)]),
    );
    let proposals: Vec<ProposalView> = results
        .proposals
        .iter()
        .map(|p| ProposalView {
            title: p.title.clone(),
            action: p.action.clone(),
            so_that: p.so_that.clone(),
            status: texts.text(&lang, &format!("results.status.{}", p.status.key()), &[]),
            level: texts.text(&lang, &format!("results.level.{}", p.level.key()), &[]),
            updated: long_date(p.updated_at, &lang),
        })
        .collect();
    ctx.insert("proposals", &proposals);
    ctx.insert("code", code);
    match outcome {
        CodeOutcome::None => {}
        CodeOutcome::Path(path) => ctx.insert("path", &path),
        CodeOutcome::Problem(key) => ctx.insert("error", &texts.text(&lang, key, &[])),
    }
    let mut page =
        crate::web::http::html(&state.renderer, status, "storytelling/results.html", &ctx)?;
    // The path of a story is for its teller only: keep it out of every cache.
    page.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    with_new_cookie(page, new_cookie)
}

/// GET /v/{project}/resultaten
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let results = load(&state, &project.slug).await?;
    render(
        &state,
        &req,
        &project,
        &results,
        "",
        CodeOutcome::None,
        StatusCode::OK,
    )
}

/// POST /v/{project}/resultaten — the path of the story of this withdrawal code, with the
/// withdrawal form's lookup, messages and limit on wrong codes.
pub async fn story_path(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let results = load(&state, &project.slug).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let code = form.text(FIELD_CODE);
    let again = |key: &'static str, status: StatusCode| {
        render(
            &state,
            &req,
            &project,
            &results,
            &code,
            CodeOutcome::Problem(key),
            status,
        )
    };
    if !csrf_ok(&state, &req, &form) {
        return again("notice.form_expired", StatusCode::FORBIDDEN);
    }
    if let Some(seconds) = state.code_wait(&req, now_unix()) {
        let page = again("withdraw.too_many_codes", StatusCode::TOO_MANY_REQUESTS)?;
        return Ok(retry_after(page, seconds));
    }
    let found = public_results::story_path(&state.db, &project.slug, &code, now_unix()).await;
    if matches!(
        found,
        Err(WithdrawError::Malformed | WithdrawError::Core(ServiceError::NotFound))
    ) {
        state.code_wrong(&req, now_unix());
    }
    match found {
        Ok(story) => {
            let view = path_view(&state, &lang_of(&req), &story);
            // The code is not shown again: the form starts empty.
            render(
                &state,
                &req,
                &project,
                &results,
                "",
                CodeOutcome::Path(view),
                StatusCode::OK,
            )
        }
        Err(WithdrawError::Malformed) => {
            again("withdraw.error_malformed", StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(WithdrawError::Core(ServiceError::NotFound)) => {
            again("withdraw.error_not_found", StatusCode::NOT_FOUND)
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the teller's other pages link to the public page (a failed read only hides the
/// link).
pub async fn link_shown(state: &AppState, slug: &str) -> bool {
    match public_results::is_on(&state.db, slug).await {
        Ok(on) => on,
        Err(e) => {
            tracing::warn!(project = slug, "reading the public page switch failed: {e}");
            false
        }
    }
}
