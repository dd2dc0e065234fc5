//! The vertelpunt's front door: choose who you are, see where urgent help is, read what
//! happens with your story.

use super::project_or_404;
use crate::service::projects;
use crate::web::errors::WebError;
use crate::web::views::story_form::{role_views, ProjectView};
use crate::web::{lang_of, AppState};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

/// GET / — straight to the vertelpunt when there is one open project, else a list.
pub async fn home(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, WebError> {
    let all = projects::list(&state.db).await?;
    let open: Vec<_> = all.into_iter().filter(|p| p.is_open).collect();
    if let [only] = open.as_slice() {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/v/{}", only.slug)))
            .finish());
    }
    let mut ctx = state.renderer.context(&lang_of(&req));
    ctx.insert("projects", &open);
    Ok(crate::web::http::html(
        &state.renderer,
        StatusCode::OK,
        "home.html",
        &ctx,
    )?)
}

/// The place link a vertelpunt was opened from (`?plek=CODE`).
#[derive(serde::Deserialize)]
pub struct PlaceQuery {
    plek: Option<String>,
}

/// GET /v/{project}
pub async fn landing(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PlaceQuery>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let lang = lang_of(&req);
    let mut ctx = state.renderer.context(&lang);
    ctx.insert("project", &ProjectView::new(&project));
    // Carried to the form, where it is counted (an odd code counts as "onbekend").
    let place = query
        .plek
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            crate::domain::response::clean_code(p)
                .unwrap_or_else(|| crate::domain::response::UNKNOWN_PLACE.to_string())
        });
    ctx.insert("place", &place);
    ctx.insert(
        "results_public",
        &super::results::link_shown(&state, &project.slug).await,
    );
    ctx.insert("roles", &role_views(&project.questionnaire_in(&lang)));
    super::insert_questionnaire_language(&mut ctx, &project, &lang);
    let template = if project.is_open {
        "storytelling/landing.html"
    } else {
        "storytelling/closed.html"
    };
    let mut page = crate::web::http::html(&state.renderer, StatusCode::OK, template, &ctx)?;
    // A new start: the story just sent can no longer be changed from this browser.
    if req.cookie(super::story::SENT_COOKIE).is_some() {
        page.add_cookie(&super::story::sent_cookie_removal(&state))
            .map_err(|_| WebError::BadRequest("cookie"))?;
    }
    Ok(page)
}

/// GET /v/{project}/p/{code}: a place's short link, as posters and flyers print it. It sends
/// the teller on to the landing page with the place (`?plek=`), keeping the language asked
/// for; an odd code goes on as "onbekend", so the teller still reaches the form.
pub async fn place_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, code) = path.into_inner();
    let project = project_or_404(&state, &slug).await?;
    let place = crate::domain::response::clean_code(&code)
        .unwrap_or_else(|| crate::domain::response::UNKNOWN_PLACE.to_string());
    let mut to = format!("/v/{}?plek={place}", project.slug);
    if let Some(lang) = crate::web::asked_language(req.query_string()) {
        to.push_str("&taal=");
        to.push_str(&lang);
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish())
}

/// GET /v/{project}/privacy — what happens with a story, in full.
pub async fn privacy(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let mut ctx = state.renderer.context(&lang_of(&req));
    ctx.insert("project", &ProjectView::new(&project));
    Ok(crate::web::http::html(
        &state.renderer,
        StatusCode::OK,
        "storytelling/privacy.html",
        &ctx,
    )?)
}

/// GET /toegankelijkheid — the accessibility statement.
pub async fn accessibility(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let mut ctx = state.renderer.context(&lang_of(&req));
    if let Some(contact) = &state.config.accessibility_contact {
        let href = if contact.starts_with("https://") || contact.starts_with("http://") {
            contact.clone()
        } else {
            format!("mailto:{contact}")
        };
        ctx.insert("contact", contact);
        ctx.insert("contact_href", &href);
    }
    Ok(crate::web::http::html(
        &state.renderer,
        StatusCode::OK,
        "accessibility.html",
        &ctx,
    )?)
}
