//! Observation cards as PDF downloads: one card, the deck of ready cards (per theme, with a
//! cover naming it) and the booklet of their typical stories. Each PDF is made in full before
//! anything is sent. A theme that no observation has gives the list of observations again
//! with a message (404), not an empty PDF.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::observation::same_theme;
use crate::domain::project_form::FieldProblem;
use crate::exchange::timestamp::now_unix;
use crate::pdf;
use crate::service::observations::{self, ObservationDetail, ObservationError};
use crate::web::errors::WebError;
use crate::web::http::blocking;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

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

/// Ready observations of the project, of one theme when `thema` is given: the cards and the
/// project's name, or the service's refusal of a theme that does not exist.
async fn ready_cards(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    theme: &str,
) -> Result<Result<(Vec<pdf::Card>, String), ObservationError>, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
    let theme = theme.trim().to_string();
    let name = project.name.clone();
    let cards = blocking(move || {
        let theme = Some(theme.as_str()).filter(|t| !t.is_empty());
        Ok::<_, WebError>(
            observations::ready(&db, &me, &key, theme)
                .map(|ready| ready.iter().map(|d| card_of(d, &name)).collect::<Vec<_>>()),
        )
    })
    .await?;
    Ok(cards.map(|cards| (cards, project.name.clone())))
}

/// The list of observations again, saying that the theme asked for does not exist.
async fn unknown_theme(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    e: ObservationError,
) -> Result<HttpResponse, WebError> {
    match e {
        ObservationError::UnknownTheme(_) => {
            let problems = vec![FieldProblem {
                field: "thema",
                message: e.to_string(),
            }];
            let status = StatusCode::NOT_FOUND;
            super::observations::list_page(state, req, user, slug, status, problems, String::new())
                .await
        }
        other => Err(other.into()),
    }
}

/// GET /beheer/p/{project}/observaties/kaarten.pdf?thema=…: every ready card as one deck; of
/// one theme (whatever its case and spaces), after a cover that names it.
pub async fn deck_pdf(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ThemeQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (cards, name) = match ready_cards(&state, &user, &slug, &query.thema).await? {
        Ok(found) => found,
        Err(e) => return unknown_theme(&state, &req, &user, &slug, e).await,
    };
    let theme = query.thema.split_whitespace().collect::<Vec<_>>().join(" ");
    let file = match theme.is_empty() {
        true => format!("kaarten-{}.pdf", file_part(&slug)),
        false => format!("kaarten-{}-{}.pdf", file_part(&slug), file_part(&theme)),
    };
    // The theme as the list names it (the link may differ in case and spaces).
    let shown = if theme.is_empty() {
        String::new()
    } else {
        let (db, me, key, asked) = (
            state.db.clone(),
            user.me.clone(),
            slug.clone(),
            theme.clone(),
        );
        blocking(move || {
            Ok::<_, WebError>(
                observations::theme_names(&db, &me, &key)?
                    .into_iter()
                    .find(|name| same_theme(name, &asked))
                    .unwrap_or(asked),
            )
        })
        .await?
    };
    let bytes = blocking(move || {
        let made = if theme.is_empty() {
            pdf::deck(&cards, &format!("Observatiekaarten · {name}"))
        } else {
            let date = crate::web::views::story::nl_date(now_unix());
            pdf::card::theme_deck(&shown, &name, &date, &cards)
        };
        made.map_err(|e| {
            tracing::error!("deck PDF: {e}");
            WebError::Unavailable
        })
    })
    .await?;
    Ok(pdf_response(bytes, &file))
}

/// GET /beheer/p/{project}/observaties/ervaringen.pdf?thema=…: the typical stories of the
/// ready cards, for the tables.
pub async fn booklet_pdf(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ThemeQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (cards, name) = match ready_cards(&state, &user, &slug, &query.thema).await? {
        Ok(found) => found,
        Err(e) => return unknown_theme(&state, &req, &user, &slug, e).await,
    };
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
