//! Verteltafels for a begeleider: open a table (its code is shown once), close it, and see
//! the open and closed tables with their story counts.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::project_form::FieldProblem;
use crate::domain::story_table::{TablePlan, TableState};
use crate::exchange::timestamp::{format_utc, now_unix};
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, see_other};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

#[derive(Serialize)]
struct TableRow {
    id: String,
    name: String,
    place: String,
    opened: String,
    state: &'static str,
    open: bool,
    stories: i64,
}

/// A table just opened, with its code: shown on this one page and never again.
#[derive(Serialize)]
struct Opened {
    name: String,
    code: String,
    link: String,
}

/// What the page shows besides the list: the form's problems with what was typed, or the
/// code of the table just opened.
#[derive(Default)]
struct Shown {
    problems: Vec<FieldProblem>,
    typed: TablePlan,
    opened: Option<Opened>,
}

async fn list_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
    let tables = blocking(move || {
        crate::service::story_tables::list(&db, &me, &key, now_unix()).map_err(WebError::from)
    })
    .await?;
    let rows: Vec<TableRow> = tables
        .into_iter()
        .map(|t| TableRow {
            id: t.record.id,
            name: t.record.name,
            place: t.record.place,
            opened: format_utc(t.record.opened_at)
                .get(..16)
                .unwrap_or_default()
                .replace('T', " "),
            state: match t.state {
                TableState::Open => "Open",
                TableState::Closed => "Gesloten",
                TableState::Expired => "Code verlopen",
            },
            open: t.state == TableState::Open,
            stories: t.stories,
        })
        .collect();
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    let link = format!("{}/v/{slug}/tafel", state.config.base_url());
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/story_tables.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &project.name);
            ctx.insert("rows", &rows);
            ctx.insert("can_edit", &can_edit);
            ctx.insert("problems", &shown.problems);
            ctx.insert("plan", &shown.typed);
            ctx.insert("opened", &shown.opened);
            ctx.insert("link", &link);
        },
    )
}

/// GET /beheer/p/{project}/verteltafels
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let status = StatusCode::OK;
    list_page(&state, &req, &user, &slug, status, Shown::default()).await
}

/// POST /beheer/p/{project}/verteltafels — open a table and show its code once.
pub async fn open(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let typed = TablePlan {
        name: form.text("naam"),
        place: form.text("plaats"),
    };
    let plan = match typed.check() {
        Ok(plan) => plan,
        Err(problems) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let shown = Shown {
                problems,
                typed,
                opened: None,
            };
            return list_page(&state, &req, &user, &slug, status, shown).await;
        }
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let (table, code) = blocking(move || {
        crate::service::story_tables::open(&db, &me, &key, &plan, now_unix())
            .map_err(WebError::from)
    })
    .await?;
    let opened = Opened {
        name: table.name,
        code,
        link: format!("{}/v/{slug}/tafel", state.config.base_url()),
    };
    let mut response = list_page(
        &state,
        &req,
        &user,
        &slug,
        StatusCode::OK,
        Shown {
            opened: Some(opened),
            ..Shown::default()
        },
    )
    .await?;
    // The code is on this page only: keep it out of every cache.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// POST /beheer/p/{project}/verteltafels/{id}/sluiten
pub async fn close(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    http::posted_form(&state, &req, &body)?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    blocking(move || {
        crate::service::story_tables::close(&db, &me, &key, &id, now_unix()).map_err(WebError::from)
    })
    .await?;
    Ok(see_other(&format!("/beheer/p/{slug}/verteltafels")))
}
