//! The response monitor for begeleiders (`/beheer/p/{project}/respons`): who told a story,
//! from which place link, against the targets; where tellers drop out; how long the form
//! takes. Place links and targets are made here too. Figures come from
//! `service::response`; this handler draws the charts and keeps what was typed on a refusal.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::response::{Split, SPLITS};
use crate::exchange::timestamp::now_unix;
use crate::service::response::{self, CountRow, ResponseError};
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, see_other};
use crate::web::views::charts::{self, CountBar};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

#[derive(Serialize)]
struct Problem {
    field: String,
    message: String,
}

/// A chart with its heading.
#[derive(Serialize)]
struct Drawn {
    title: &'static str,
    svg: String,
    rows: Vec<CountRow>,
}

fn chart(title: &'static str, rows: Vec<CountRow>, k: u32) -> Drawn {
    let bars: Vec<CountBar<'_>> = rows
        .iter()
        .map(|r| CountBar {
            label: &r.label,
            count: r.count,
            of: None,
            apart: false,
        })
        .collect();
    let svg = charts::count_bars(title, &bars, k);
    Drawn { title, svg, rows }
}

/// What the page shows besides the figures after a post.
#[derive(Default)]
struct Shown {
    problems: Vec<Problem>,
    /// The targets as typed (field, value), shown again on a refusal.
    typed: Vec<(String, String)>,
    place_name: String,
    /// A place link whose new name was refused: (code, the name as typed).
    rename: Option<(String, String)>,
    notice: Option<&'static str>,
}

async fn monitor_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, cache, me, key) = (
        state.db.clone(),
        state.analysis.clone(),
        user.me.clone(),
        slug.to_string(),
    );
    let base = state.config.base_url().to_string();
    // `?per=kanaal` splits the tables per day and week by channel (by role without it).
    let split =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("per").cloned())
            .map_or_else(Split::default, |key| Split::parse(&key));
    let (mut m, charts) = blocking(move || {
        let mut m = response::monitor(&db, &cache, &me, &key, &base, split)
            .map_err(|e| WebError::refused(&e))?;
        let k = m.k;
        let charts = vec![
            chart("Verhalen per rol", std::mem::take(&mut m.by_role), k),
            chart("Verhalen per plek-link", std::mem::take(&mut m.by_place), k),
            chart("Verhalen per kanaal", std::mem::take(&mut m.by_channel), k),
            chart(
                "Verhalen per gemeente",
                std::mem::take(&mut m.by_gemeente),
                k,
            ),
            chart("Verhalen per taal", std::mem::take(&mut m.by_language), k),
            chart(
                "Hoeveel duidingsvragen beantwoord",
                std::mem::take(&mut m.by_completeness),
                k,
            ),
        ];
        Ok::<_, WebError>((m, charts))
    })
    .await?;
    // A refused save shows what was typed, not what is stored.
    for (field, value) in &shown.typed {
        if let Some(key) = field.strip_prefix("doel_rol_") {
            if let Some(row) = m.role_targets.iter_mut().find(|r| r.key == key) {
                row.typed = value.clone();
            }
        } else if let Some(key) = field.strip_prefix("doel_gemeente_") {
            if let Some(row) = m.gemeente_targets.iter_mut().find(|r| r.key == key) {
                row.typed = value.clone();
            }
        } else if field == "verwacht_negatief" {
            m.expected_negative_typed = value.clone();
        }
    }
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    let link = format!("{}/v/{slug}", state.config.base_url());
    let splits: Vec<(&str, &str)> = SPLITS.iter().map(|s| (s.key(), s.label())).collect();
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/response.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &project.name);
            ctx.insert("is_open", &project.is_open);
            ctx.insert("m", &m);
            ctx.insert("charts", &charts);
            ctx.insert("can_edit", &can_edit);
            ctx.insert("problems", &shown.problems);
            ctx.insert("place_name", &shown.place_name);
            ctx.insert("rename", &shown.rename);
            ctx.insert("notice", &shown.notice);
            ctx.insert("link", &link);
            ctx.insert("splits", &splits);
            ctx.insert(
                "default_negative",
                &crate::domain::response::DEFAULT_EXPECTED_NEGATIVE_PERCENT,
            );
        },
    )
}

/// GET /beheer/p/{project}/respons
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let shown = Shown {
        notice: match req.query_string().split('&').next().unwrap_or("") {
            "opgeslagen" => Some("De doelen zijn opgeslagen."),
            "plek" => Some("De plek-link is gemaakt."),
            "hernoemd" => {
                Some("De naam van de plek-link is gewijzigd. De link zelf blijft hetzelfde.")
            }
            _ => None,
        },
        ..Shown::default()
    };
    monitor_page(&state, &req, &user, &slug, StatusCode::OK, shown).await
}

fn problems(list: Vec<(String, String)>) -> Vec<Problem> {
    list.into_iter()
        .map(|(field, message)| Problem { field, message })
        .collect()
}

/// POST /beheer/p/{project}/respons/plekken — a new place link.
pub async fn add_place(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let name = form.text("naam");
    let (db, me, key, typed) = (
        state.db.clone(),
        user.me.clone(),
        slug.clone(),
        name.clone(),
    );
    let added = blocking(move || {
        Ok::<_, WebError>(response::add_place(&db, &me, &key, &typed, now_unix()))
    })
    .await?;
    match added {
        Ok(_) => Ok(see_other(&format!("/beheer/p/{slug}/respons?plek#plekken"))),
        Err(ResponseError::Invalid(list)) => {
            let shown = Shown {
                problems: problems(list),
                place_name: name,
                ..Shown::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            monitor_page(&state, &req, &user, &slug, status, shown).await
        }
        Err(e) => Err(WebError::refused(&e)),
    }
}

/// POST /beheer/p/{project}/respons/plekken/{code} — another name for a place link.
pub async fn rename_place(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, code) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let name = form.text("naam");
    let (db, me, key, place, typed) = (
        state.db.clone(),
        user.me.clone(),
        slug.clone(),
        code.clone(),
        name.clone(),
    );
    let renamed = blocking(move || {
        Ok::<_, WebError>(response::rename_place(
            &db,
            &me,
            &key,
            &place,
            &typed,
            now_unix(),
        ))
    })
    .await?;
    match renamed {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/p/{slug}/respons?hernoemd#plek-{code}"
        ))),
        Err(ResponseError::Invalid(list)) => {
            let shown = Shown {
                problems: problems(list),
                rename: Some((code, name)),
                ..Shown::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            monitor_page(&state, &req, &user, &slug, status, shown).await
        }
        Err(e) => Err(WebError::refused(&e)),
    }
}

/// POST /beheer/p/{project}/respons/doelen — targets per role and gemeente, and the expected
/// share of negative stories.
pub async fn save_targets(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let typed: Vec<(String, String)> = form.pairs().to_vec();
    let (db, me, posted) = (state.db.clone(), user.me.clone(), typed.clone());
    let saved = blocking(move || {
        Ok::<_, WebError>(response::save_targets(
            &db,
            &me,
            &project,
            &posted,
            now_unix(),
        ))
    })
    .await?;
    match saved {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/p/{slug}/respons?opgeslagen#doelen"
        ))),
        Err(ResponseError::Invalid(list)) => {
            let shown = Shown {
                problems: problems(list),
                typed,
                ..Shown::default()
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            monitor_page(&state, &req, &user, &slug, status, shown).await
        }
        Err(e) => Err(WebError::refused(&e)),
    }
}
