//! The read-only research API under `/api/v1`, for onderzoekers' own scripts. It returns the
//! same anonymised, protected stories as the export (service::export), a page at a time, to
//! whoever shows a personal API token (`Authorization: Bearer vp_…`, service::api_tokens).
//! The description is `GET /api/v1/openapi.json`; `GET /api/v1/docs` explains it in words.
//!
//! Errors are JSON too: `{"fout": "…"}` with a fitting status.

use super::errors::WebError;
use super::AppState;
use crate::domain::accounts::ProjectAction;
use crate::exchange::research::Format;
use crate::exchange::timestamp::format_utc;
use crate::service::accounts::SignedIn;
use crate::service::api_snapshot::{self, SnapshotError};
use crate::service::api_tokens;
use crate::service::export::{self, Requester};
use crate::web::http::{blocking, blocking_outcome};
use crate::web::views::filters;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

/// The OpenAPI 3 description of this API.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

const VIA_API: &str = "de API";
const DEFAULT_PER_PAGE: usize = 100;
const MAX_PER_PAGE: usize = 500;

fn error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({ "fout": message }))
}

impl WebError {
    /// The same error as the API shows it.
    fn as_api(&self) -> HttpResponse {
        match self {
            WebError::NotFound => error(StatusCode::NOT_FOUND, "dit project bestaat niet"),
            WebError::Forbidden => error(
                StatusCode::FORBIDDEN,
                "deze API-sleutel geeft geen toegang tot dit project",
            ),
            WebError::BadRequest(_) => error(StatusCode::BAD_REQUEST, "het filter klopt niet"),
            _ => error(
                StatusCode::SERVICE_UNAVAILABLE,
                "er ging iets mis aan onze kant; probeer het later opnieuw",
            ),
        }
    }
}

/// The token holder, or the response that refuses the request.
async fn holder(state: &AppState, req: &HttpRequest) -> Result<SignedIn, HttpResponse> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let Some(token) = token else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "stuur je API-sleutel mee: Authorization: Bearer vp_…",
        ));
    };
    let db = state.db.clone();
    match blocking(move || api_tokens::authenticate(&db, &token).map_err(WebError::from)).await {
        Ok(Ok(user)) => Ok(user),
        Ok(Err(refusal)) => Err(error(StatusCode::UNAUTHORIZED, refusal.message())),
        Err(e) => Err(e.as_api()),
    }
}

/// GET /api/v1/projecten: the projects this token may read.
pub async fn projects(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let user = match holder(&state, &req).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    let mut list = Vec::new();
    for slug in user.access.roles.keys() {
        if let Ok(project) = crate::web::storytelling::project_or_404(&state, slug).await {
            list.push(json!({
                "slug": project.slug,
                "naam": project.name,
                "k": project.settings.privacy.k(),
                "verhalen": format!("/api/v1/projecten/{}/verhalen", project.slug),
            }));
        }
    }
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({ "projecten": list }))
}

/// GET /api/v1/projecten/{project}/verhalen?pagina=&per_pagina=&…filters…
pub async fn stories(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let user = match holder(&state, &req).await {
        Ok(u) => u,
        Err(refused) => return refused,
    };
    let slug = path.into_inner();
    match page_of_stories(&state, user, &slug, &query).await {
        Ok(response) => response,
        Err(e) => e.as_api(),
    }
}

async fn page_of_stories(
    state: &AppState,
    user: SignedIn,
    slug: &str,
    query: &[(String, String)],
) -> Result<HttpResponse, WebError> {
    if !user.access.can(slug, ProjectAction::Export) {
        let (db, key) = (state.db.clone(), slug.to_string());
        blocking(move || {
            let who = Requester {
                user: Some(&user),
                via: VIA_API,
            };
            export::log_refusal(&db, &who, &key, "project valt buiten de API-sleutel");
            Ok::<_, WebError>(())
        })
        .await?;
        return Err(WebError::Forbidden);
    }
    let number = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().parse::<usize>())
    };
    let page = match number("pagina") {
        None => 1,
        Some(Ok(n)) if n >= 1 => n,
        _ => {
            return Ok(error(
                StatusCode::BAD_REQUEST,
                "pagina is een heel getal vanaf 1",
            ))
        }
    };
    let per_page = match number("per_pagina") {
        None => DEFAULT_PER_PAGE,
        Some(Ok(n)) if (1..=MAX_PER_PAGE).contains(&n) => n,
        _ => {
            return Ok(error(
                StatusCode::BAD_REQUEST,
                &format!("per_pagina is een heel getal van 1 tot en met {MAX_PER_PAGE}"),
            ))
        }
    };
    let token = query
        .iter()
        .find(|(k, _)| k == "momentopname")
        .map(|(_, v)| v.clone());
    // The first page of a query: where the change log stands before its data is read.
    let cursor = match token {
        Some(_) => None,
        None => {
            let (db, key) = (state.db.clone(), slug.to_string());
            Some(blocking(move || api_snapshot::position(&db, &key).map_err(WebError::from)).await?)
        }
    };
    let f = filters::filtered(state, slug, query).await?;
    if !f.problems.is_empty() {
        return Ok(HttpResponse::BadRequest().json(json!({
            "fout": "het filter klopt niet",
            "details": f.problems,
        })));
    }
    let (db, data, selection, words) = (
        state.db.clone(),
        f.data.clone(),
        f.selection.clone(),
        f.filter.describe(),
    );
    // Every page of one query (same person, project and filter) gets the same story ids; another
    // query gets others, so two answers cannot be joined on them.
    let query_key = format!("{}|{slug}|{}", user.id, f.filter.canonical());
    let signed = state.secret.sign("api-pseudoniemen", query_key.as_bytes());
    let mut id_key = [0u8; 32];
    id_key.copy_from_slice(&signed[..32]);
    let snapshot = match (cursor, token) {
        (Some(cursor), _) => api_snapshot::start(&state.secret, &query_key, cursor),
        (None, token) => {
            let (db, secret, key) = (state.db.clone(), state.secret.clone(), slug.to_string());
            let token = token.unwrap_or_default();
            let resumed = blocking_outcome(move || {
                api_snapshot::resume(&db, &secret, &token, &query_key, &key)
            })
            .await?;
            match resumed {
                Ok(snapshot) => snapshot,
                Err(SnapshotError::Core(e)) => return Err(WebError::from(e)),
                Err(e @ SnapshotError::Invalid) => {
                    return Ok(error(StatusCode::BAD_REQUEST, &e.to_string()))
                }
                Err(e) => return Ok(error(StatusCode::CONFLICT, &e.to_string())),
            }
        }
    };
    // Stories told after the first page stay out of this query's pages.
    let mut selection = selection;
    selection.as_before(&data, &snapshot.left_out);
    let body = blocking(move || {
        let who = Requester {
            user: Some(&user),
            via: VIA_API,
        };
        let words = format!("{words}, pagina {page}, {per_page} per pagina");
        let prepared = match export::prepare(&db, &who, &data, &selection, &words, Format::Json) {
            Ok(prepared) => prepared.with_id_key(id_key),
            Err(too_few @ export::ExportError::TooFew { .. }) => {
                return Ok(Err(too_few.to_string()))
            }
            Err(e) => return Err(WebError::from(e)),
        };
        let stories = prepared
            .page_json(&db, page, per_page)
            .map_err(WebError::from)?;
        let changes = prepared.changes();
        let total = prepared.count();
        let columns: Vec<serde_json::Value> = prepared
            .columns()
            .iter()
            .map(|c| json!({ "key": c.key, "type": format!("{:?}", c.kind).to_lowercase() }))
            .collect();
        Ok::<_, WebError>(Ok(json!({
            "project": data.project.slug,
            "filter": words,
            "k": data.project.settings.privacy.k(),
            "pagina": page,
            "per_pagina": per_page,
            "totaal": total,
            "paginas": total.div_ceil(per_page).max(1),
            "beschermd": {
                "samengevoegd": changes.generalised,
                "afgeschermd": changes.suppressed,
            },
            "kolommen": columns,
            "momentopname": snapshot.token,
            "momentopname_van": format_utc(snapshot.taken_at),
            "verhalen": stories,
        })))
    })
    .await?;
    let body = match body {
        Ok(body) => body,
        Err(too_few) => return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, &too_few)),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body))
}

/// GET /api/v1/openapi.json
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI_JSON)
}

/// GET /api/v1/docs: the API in words, for people.
pub async fn docs(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let ctx = state.renderer.context("nl");
    Ok(crate::web::http::html(
        &state.renderer,
        StatusCode::OK,
        "api_docs.html",
        &ctx,
    )?)
}
