//! The begeleider's switch for the public page "Wat is er met de verhalen gedaan?" and the
//! choice of which observation cards it publishes (`service::public_results`).

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::exchange::timestamp::now_unix;
use crate::service::public_results::{self, PublicResultsError};
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, see_other};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

fn refused(e: PublicResultsError) -> WebError {
    WebError::refused(&e)
}

#[derive(Serialize)]
struct CardRow {
    id: String,
    title: String,
    status: &'static str,
    publishable: bool,
    published: bool,
}

/// GET /beheer/p/{project}/resultaten
pub async fn settings(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let settings =
        blocking(move || public_results::settings(&db, &me, &key).map_err(refused)).await?;
    let cards: Vec<CardRow> = settings
        .cards
        .into_iter()
        .map(|c| CardRow {
            publishable: public_results::publishable(c.status),
            status: c.status.label(),
            published: c.published,
            id: c.id,
            title: c.title,
        })
        .collect();
    let can_edit = user.me.access.can(&slug, ProjectAction::Facilitate);
    let link = format!("{}/v/{slug}/resultaten", state.config.base_url());
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/public_results.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("name", &project.name);
            ctx.insert("on", &settings.on);
            ctx.insert("cards", &cards);
            ctx.insert("can_edit", &can_edit);
            ctx.insert("link", &link);
        },
    )
}

/// POST /beheer/p/{project}/resultaten/{verb:aanzetten|uitzetten}
pub async fn switch(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, verb) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    http::posted_form(&state, &req, &body)?;
    let on = verb == "aanzetten";
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    blocking(move || public_results::switch(&db, &me, &key, on, now_unix()).map_err(refused))
        .await?;
    Ok(see_other(&format!("/beheer/p/{slug}/resultaten")))
}

/// POST /beheer/p/{project}/resultaten/observaties/{id}/{verb:publiceren|terugtrekken}
pub async fn publish(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, verb) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    http::posted_form(&state, &req, &body)?;
    let publish = verb == "publiceren";
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    blocking(move || {
        public_results::set_published(&db, &me, &key, &oid, publish, now_unix()).map_err(refused)
    })
    .await?;
    Ok(see_other(&format!(
        "/beheer/p/{slug}/resultaten#kaart-{}",
        http::safe_segment(&id)
    )))
}
