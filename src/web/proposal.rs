//! The handschoenoppakker's own page for a verbetervoorstel, without an account: the personal
//! link `/voorstel/{id}/{token}` (from the begeleider or a reminder mail) shows the proposal
//! and its timeline, and takes a new status and a short update. A wrong token is a plain 404.
//!
//! Also the views of a proposal that this page and the follow-up pages under `/beheer` share.

use super::errors::WebError;
use super::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm};
use super::AppState;
use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::ProposalStatus;
use crate::exchange::timestamp::now_unix;
use crate::service::proposals::{self, ProposalError};
use crate::web::http;
use crate::web::views::proposal::{field_errors, timeline, ProposalView, UpdateForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

// --- the owner's page -------------------------------------------------------------------

/// What the page shows besides the proposal.
#[derive(Default)]
struct Feedback {
    status: Option<StatusCode>,
    problems: Vec<FieldProblem>,
    /// A message about the whole form (an expired form, too many posts).
    error: Option<String>,
    notice: Option<String>,
    typed: Option<UpdateForm>,
}

async fn owner_page(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    token: &str,
    feedback: Feedback,
) -> Result<HttpResponse, WebError> {
    let (db, secret, pid, tok) = (
        state.db.clone(),
        state.secret.clone(),
        id.to_string(),
        token.to_string(),
    );
    let detail = http::blocking(move || {
        proposals::for_owner(&db, &secret, &pid, &tok).map_err(WebError::from)
    })
    .await?;
    let view = ProposalView::new(&detail);
    let typed = feedback.typed.unwrap_or_else(|| UpdateForm {
        status: view.status.to_string(),
        text: String::new(),
    });
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context("nl");
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    ctx.insert(
        "action",
        &format!(
            "/voorstel/{}/{}",
            http::safe_segment(id),
            http::safe_segment(token)
        ),
    );
    ctx.insert("p", &view);
    ctx.insert("timeline", &timeline(&detail.updates));
    ctx.insert("statuses", &ProposalStatus::options());
    ctx.insert("upd", &typed);
    ctx.insert("errors", &field_errors(&feedback.problems));
    ctx.insert("problems", &feedback.problems);
    ctx.insert("error", &feedback.error);
    ctx.insert("notice", &feedback.notice);
    ctx.insert("max_update", &crate::domain::sensemaking::MAX_UPDATE);
    let status = feedback.status.unwrap_or(StatusCode::OK);
    let mut response =
        crate::web::http::html(&state.renderer, status, "proposal/owner.html", &ctx)?;
    // A personal page: not for search engines.
    response.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-robots-tag"),
        actix_web::http::header::HeaderValue::from_static("noindex, nofollow"),
    );
    with_new_cookie(response, new_cookie)
}

#[derive(serde::Deserialize)]
pub struct OwnerQuery {
    #[serde(default)]
    bijgewerkt: String,
}

/// GET /voorstel/{id}/{token}
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    query: web::Query<OwnerQuery>,
) -> Result<HttpResponse, WebError> {
    let (id, token) = path.into_inner();
    let notice = (!query.bijgewerkt.is_empty())
        .then(|| "Dank je wel! Je bericht staat nu onderaan in het overzicht.".to_string());
    let feedback = Feedback {
        notice,
        ..Default::default()
    };
    owner_page(&state, &req, &id, &token, feedback).await
}

/// POST /voorstel/{id}/{token} (`status`, `voortgang`)
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (id, token) = path.into_inner();
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let typed = UpdateForm::from_form(&form);
    let again = |status: StatusCode, problems: Vec<FieldProblem>, error: Option<&str>| Feedback {
        status: Some(status),
        problems,
        error: error.map(String::from),
        notice: None,
        typed: Some(typed.clone()),
    };
    if !csrf_ok(&state, &req, &form) {
        let feedback = again(
            StatusCode::FORBIDDEN,
            Vec::new(),
            Some("Deze pagina stond te lang open. Je bericht is nog niet opgeslagen. Kijk of alles klopt en klik nog een keer op Opslaan."),
        );
        return owner_page(&state, &req, &id, &token, feedback).await;
    }
    if !state.allow_post(&req) {
        let feedback = again(
            StatusCode::TOO_MANY_REQUESTS,
            Vec::new(),
            Some("Er is net heel vaak iets opgeslagen vanaf dit netwerk. Je bericht is nog niet opgeslagen. Wacht een minuut en klik dan nog een keer op Opslaan."),
        );
        let refused = owner_page(&state, &req, &id, &token, feedback).await?;
        return Ok(crate::web::http::retry_after(refused, 60));
    }
    let status = match typed.status() {
        Ok(s) => s,
        Err(problem) => {
            let feedback = again(StatusCode::UNPROCESSABLE_ENTITY, vec![problem], None);
            return owner_page(&state, &req, &id, &token, feedback).await;
        }
    };
    let (db, secret, pid, tok, text) = (
        state.db.clone(),
        state.secret.clone(),
        id.clone(),
        token.clone(),
        typed.text.clone(),
    );
    let outcome = http::blocking(move || {
        Ok::<_, WebError>(proposals::owner_update(
            &db,
            &secret,
            &pid,
            &tok,
            status,
            &text,
            now_unix(),
        ))
    })
    .await?;
    match outcome {
        Ok(()) => Ok(http::see_other(&format!(
            "/voorstel/{}/{}?bijgewerkt=1#tijdlijn",
            http::safe_segment(&id),
            http::safe_segment(&token)
        ))),
        Err(ProposalError::Input(problems)) => {
            let feedback = again(StatusCode::UNPROCESSABLE_ENTITY, problems, None);
            owner_page(&state, &req, &id, &token, feedback).await
        }
        Err(e) => Err(e.into()),
    }
}
