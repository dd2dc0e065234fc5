//! Observation cards as PDF downloads: one card, the deck of ready cards (per theme) and the
//! booklet of their typical stories. Each PDF is made in full before anything is sent.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::exchange::timestamp::now_unix;
use crate::pdf;
use crate::service::observations::{self, ObservationDetail};
use crate::web::errors::WebError;
use crate::web::http::blocking;
use crate::web::AppState;
use actix_web::{web, HttpResponse};

/// The printed card of an observation as it may be shown now.
fn card_of(detail: &ObservationDetail, project: &str) -> pdf::Card {
    crate::web::views::card::card_of(detail, project, now_unix())
}

/// A finished PDF as a download. It is made in full before anything is sent, so a failure
/// gives an error page, never half a file.
fn pdf_response(bytes: Vec<u8>, file: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

fn file_part(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect()
}

#[derive(serde::Deserialize, Default)]
pub struct ThemeQuery {
    #[serde(default)]
    thema: String,
}

/// GET /beheer/p/{project}/observaties/{id}/kaart.pdf
pub async fn card_pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    let bytes = blocking(move || {
        let detail = observations::open(&db, &me, &key, &oid)?;
        let card = card_of(&detail, &project.name);
        pdf::deck(std::slice::from_ref(&card), &card.title).map_err(|e| {
            tracing::error!("card PDF: {e}");
            WebError::Unavailable
        })
    })
    .await?;
    Ok(pdf_response(
        bytes,
        &format!("kaart-{}.pdf", file_part(&id)),
    ))
}

/// Ready observations of the project, of one theme when `thema` is given.
async fn ready_cards(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    theme: &str,
) -> Result<(Vec<pdf::Card>, String), WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
    let theme = theme.trim().to_string();
    let name = project.name.clone();
    let cards = blocking(move || {
        let theme = Some(theme.as_str()).filter(|t| !t.is_empty());
        Ok::<_, WebError>(
            observations::ready(&db, &me, &key, theme)?
                .iter()
                .map(|d| card_of(d, &name))
                .collect(),
        )
    })
    .await?;
    Ok((cards, project.name.clone()))
}

/// GET /beheer/p/{project}/observaties/kaarten.pdf?thema=…: every ready card as one deck.
pub async fn deck_pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ThemeQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (cards, name) = ready_cards(&state, &user, &slug, &query.thema).await?;
    let bytes = blocking(move || {
        pdf::deck(&cards, &format!("Observatiekaarten · {name}")).map_err(|e| {
            tracing::error!("deck PDF: {e}");
            WebError::Unavailable
        })
    })
    .await?;
    Ok(pdf_response(
        bytes,
        &format!("kaarten-{}.pdf", file_part(&slug)),
    ))
}

/// GET /beheer/p/{project}/observaties/ervaringen.pdf?thema=…: the typical stories of the
/// ready cards, for the tables.
pub async fn booklet_pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ThemeQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (cards, name) = ready_cards(&state, &user, &slug, &query.thema).await?;
    let bytes = blocking(move || {
        pdf::booklet(
            &name,
            &crate::web::views::story::nl_date(now_unix()),
            &cards,
        )
        .map_err(|e| {
            tracing::error!("booklet PDF: {e}");
            WebError::Unavailable
        })
    })
    .await?;
    Ok(pdf_response(
        bytes,
        &format!("ervaringen-{}.pdf", file_part(&slug)),
    ))
}
