//! The start page after login: the projects this person may open, and a project's overview.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::render::qr;
use crate::service::projects;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, Disposition};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

/// GET /beheer
pub async fn overview(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, WebError> {
    let (db, me) = (state.db.clone(), user.me.clone());
    let lines = blocking(move || projects::overview(&db, &me)).await?;
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
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let counts = blocking(move || projects::story_counts(&db, &me, &key)).await?;
    let access = &user.me.access;
    let link = public_link(&state, &project.slug);
    let qr = qr::svg(&link, &format!("QR-code met de link {link}")).ok();
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/project.html",
        |ctx| {
            ctx.insert("link", &link);
            ctx.insert("qr", &qr);
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

/// The link tellers open: the vertelpunt's landing page at this installation's address.
fn public_link(state: &AppState, slug: &str) -> String {
    format!("{}/v/{slug}", state.config.base_url())
}

/// GET /beheer/p/{project}/qr.svg: the QR code of the vertelpunt's link, to print.
pub async fn qr_code(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let link = public_link(&state, &project.slug);
    let svg = qr::svg(&link, &format!("QR-code met de link {link}"))
        .map_err(|e| WebError::Failed(e.to_string()))?;
    Ok(http::download(
        "image/svg+xml; charset=utf-8",
        Disposition::Attachment,
        &format!("vertelpunt-{}-qr.svg", project.slug),
        svg,
    ))
}
