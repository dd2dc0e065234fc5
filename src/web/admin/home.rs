//! The start page after login: the projects this person may open, and a project's overview.

use super::{blocking, page, CurrentUser};
use crate::domain::accounts::ProjectAction;
use crate::store::{projects, stories};
use crate::web::errors::WebError;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

#[derive(serde::Serialize)]
struct ProjectLine {
    slug: String,
    name: String,
    is_open: bool,
    role: &'static str,
    counts: stories::StoryCounts,
}

/// GET /beheer
pub async fn overview(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, WebError> {
    let db = state.db.clone();
    let access = user.me.access.clone();
    let lines = blocking(move || {
        let mut conn = db.conn()?;
        let mut lines = Vec::new();
        for p in projects::list(&mut conn)? {
            if !access.sees_project(&p.slug) {
                continue;
            }
            let role = match access.roles.get(&p.slug) {
                Some(r) => r.label(),
                None => "Beheerder",
            };
            lines.push(ProjectLine {
                counts: stories::counts(&mut conn, &p.slug)?,
                slug: p.slug,
                name: p.name,
                is_open: p.is_open,
                role,
            });
        }
        Ok::<_, WebError>(lines)
    })
    .await?;
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/overview.html",
        |ctx| {
            ctx.insert("projects", &lines);
        },
    )
}

/// GET /beheer/p/{project}
pub async fn project(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::vertelpunt::project_or_404(&state, &slug).await?;
    let db = state.db.clone();
    let key = slug.clone();
    let counts = blocking(move || {
        let mut conn = db.conn()?;
        Ok::<_, WebError>(stories::counts(&mut conn, &key)?)
    })
    .await?;
    let access = &user.me.access;
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/project.html",
        |ctx| {
            ctx.insert("slug", &project.slug);
            ctx.insert("name", &project.name);
            ctx.insert("is_open", &project.is_open);
            ctx.insert("version", &project.version);
            ctx.insert("counts", &counts);
            ctx.insert("can_edit", &access.can(&slug, ProjectAction::Edit));
            ctx.insert("can_moderate", &access.can(&slug, ProjectAction::Moderate));
            ctx.insert("can_export", &access.can(&slug, ProjectAction::Export));
        },
    )
}
