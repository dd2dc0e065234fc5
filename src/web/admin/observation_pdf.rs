//! Observation cards as PDF downloads: one card, the deck of ready cards (per theme) and the
//! booklet of their typical stories. Each PDF is made in full before anything is sent.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::exchange::timestamp::now_unix;
use crate::pdf;
use crate::service::observations::{self, ObservationDetail};
use crate::web::errors::WebError;
use crate::web::http::blocking;
use crate::web::views::story::StoryView;
use crate::web::AppState;
use actix_web::{web, HttpResponse};

/// The printed card of an observation as it may be shown now.
fn card_of(detail: &ObservationDetail, project: &str) -> pdf::Card {
    let figures = detail.snapshot.as_ref().map(|s| {
        let p = &s.pattern;
        let groups = p
            .groups
            .iter()
            .map(|g| {
                let d = p.descriptives.get(&g.option);
                pdf::GroupFigures {
                    label: g.label.clone(),
                    n: g.n,
                    mean: g.mean,
                    sd: d.and_then(|d| d.sd),
                    skewness: d.and_then(|d| d.skewness),
                    kurtosis: d.and_then(|d| d.kurtosis),
                }
            })
            .collect();
        let cells = p
            .cells
            .iter()
            .map(|c| {
                (
                    c.row_label.clone(),
                    c.column_label.clone(),
                    c.observed,
                    c.expected,
                )
            })
            .collect();
        let q = if p.q_value < 0.001 {
            "q < 0,001".to_string()
        } else {
            format!("q = {}", crate::analysis::describe::dutch(p.q_value, 3))
        };
        let mut scope = if s.filter_text.is_empty() {
            "Alle verhalen".to_string()
        } else {
            s.filter_text.join(", ")
        };
        if let Some(at) = detail.record.figures_at {
            scope = format!(
                "{scope} · cijfers van {}",
                crate::web::views::story::nl_date(at)
            );
        }
        let density = s.density.as_ref().map(|d| pdf::CardDensity {
            counts: d.counts.clone(),
            x_label: s.labels.first().cloned().unwrap_or_default(),
            y_label: s.labels.get(1).cloned().unwrap_or_default(),
        });
        pdf::CardFigures {
            density,
            questions: s.labels.join(" × "),
            summary: format!(
                "{} = {} · {q} · {} verhalen bij dit patroon, {} in de analyse",
                crate::web::views::pattern::test_label(p.test),
                crate::analysis::describe::dutch(p.statistic, 2),
                p.n,
                s.stories
            ),
            scope,
            groups,
            cells,
        }
    });
    let r = &detail.record;
    pdf::Card {
        title: r.title.clone(),
        theme: r.theme.clone(),
        project: project.to_string(),
        date: crate::web::views::story::nl_date(now_unix()),
        description: r.description.clone(),
        interpretation_a: r.interpretation_a.clone(),
        interpretation_b: r.interpretation_b.clone(),
        figures,
        quotes: detail
            .quotes
            .iter()
            .map(|q| (q.text.clone(), q.story_id.clone()))
            .collect(),
        quotes_removed: detail.quotes_removed,
        stories: detail
            .stories
            .iter()
            .map(|(story, questionnaire)| {
                let view = StoryView::new(story.clone(), questionnaire.as_ref());
                pdf::CardStory {
                    id: view.id,
                    title: view.title,
                    role: view.role,
                    body: view.body,
                }
            })
            .collect(),
    }
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
