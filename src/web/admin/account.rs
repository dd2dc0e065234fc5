//! `/beheer/account`: the signed-in user's own page, with their personal API tokens for the
//! research API (create, see once, revoke).

use super::CurrentUser;
use crate::exchange::timestamp::format_utc;
use crate::service::api_tokens::{self, TokenError};
use crate::service::projects;
use crate::web::errors::WebError;
use crate::web::http::{blocking, page, posted_form, see_other};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

#[derive(serde::Serialize)]
struct TokenRow {
    id: String,
    name: String,
    projects: String,
    created: String,
    last_used: String,
    revoked: Option<String>,
}

#[derive(serde::Serialize)]
struct ProjectChoice {
    slug: String,
    name: String,
    checked: bool,
}

fn day(t: i64) -> String {
    format_utc(t)[..10].to_string()
}

/// What the page shows besides the stored tokens.
#[derive(Default)]
struct Shown {
    new_token: Option<String>,
    problem: Option<String>,
    typed_name: String,
    typed_projects: Vec<String>,
}

async fn account_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let (db, me) = (state.db.clone(), user.me.clone());
    let (tokens, exportable) = blocking(move || {
        let tokens = api_tokens::list(&db, &me).map_err(WebError::from)?;
        let exportable = projects::exportable(&db, &me)?;
        Ok::<_, WebError>((tokens, exportable))
    })
    .await?;
    let rows: Vec<TokenRow> = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            projects: t.projects.join(", "),
            created: day(t.created_at),
            last_used: t.last_used_at.map_or("nog niet".into(), day),
            revoked: t.revoked_at.map(day),
        })
        .collect();
    let choices: Vec<ProjectChoice> = exportable
        .into_iter()
        .map(|(slug, name)| ProjectChoice {
            checked: shown.typed_projects.contains(&slug),
            slug,
            name,
        })
        .collect();
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/account.html",
        |ctx| {
            ctx.insert("tokens", &rows);
            ctx.insert("projects", &choices);
            ctx.insert("new_token", &shown.new_token);
            ctx.insert("problem", &shown.problem);
            ctx.insert("typed_name", &shown.typed_name);
        },
    )
}

/// GET /beheer/account
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, WebError> {
    account_page(&state, &req, &user, StatusCode::OK, Shown::default()).await
}

/// POST /beheer/account/sleutels: a new token, shown once on the page that answers.
pub async fn create_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = posted_form(&state, &req, &body)?;
    let name = form.text("naam");
    let chosen: Vec<String> = form.all("project").into_iter().map(String::from).collect();
    let (db, me, n, p) = (
        state.db.clone(),
        user.me.clone(),
        name.clone(),
        chosen.clone(),
    );
    let created = blocking(move || Ok::<_, WebError>(api_tokens::create(&db, &me, &n, &p))).await?;
    let (status, shown) = match created {
        Ok(token) => (
            StatusCode::OK,
            Shown {
                new_token: Some(token),
                ..Default::default()
            },
        ),
        Err(e @ (TokenError::BadName | TokenError::NoProjects | TokenError::NotAllowed(_))) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Shown {
                problem: Some(capitalised(&e.to_string())),
                typed_name: name,
                typed_projects: chosen,
                ..Default::default()
            },
        ),
        Err(e) => return Err(e.into()),
    };
    let response = account_page(&state, &req, &user, status, shown).await?;
    Ok(response)
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// POST /beheer/account/sleutels/{id}/intrekken
pub async fn revoke_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    posted_form(&state, &req, &body)?;
    let (db, me, id) = (state.db.clone(), user.me.clone(), path.into_inner());
    blocking(move || api_tokens::revoke(&db, &me, &id).map_err(WebError::from)).await?;
    Ok(see_other("/beheer/account"))
}
