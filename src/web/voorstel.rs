//! The handschoenoppakker's own page for a verbetervoorstel, without an account: the personal
//! link `/voorstel/{id}/{token}` (from the begeleider or a reminder mail) shows the proposal
//! and its timeline, and takes a new status and a short update. A wrong token is a plain 404.
//!
//! Also the views of a proposal that this page and the follow-up pages under `/beheer` share.

use super::admin::stories::view::nl_datetime;
use super::errors::WebError;
use super::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm};
use super::AppState;
use crate::domain::project_form::FieldProblem;
use crate::domain::sessie::ProposalStatus;
use crate::exchange::timestamp::now_unix;
use crate::service::voorstellen::{self, ProposalDetail, VoorstelError};
use crate::store::voorstellen::UpdateRecord;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use std::collections::BTreeMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/voorstel/{id}/{token}", web::get().to(show))
        .route("/voorstel/{id}/{token}", web::post().to(update));
}

impl From<VoorstelError> for WebError {
    fn from(e: VoorstelError) -> Self {
        match e {
            VoorstelError::NotAllowed => WebError::Forbidden,
            VoorstelError::NotFound => WebError::NotFound,
            VoorstelError::Store(s) => WebError::Store(s),
            VoorstelError::Input(_) => WebError::BadRequest("proposal"),
        }
    }
}

// --- shared views -----------------------------------------------------------------------

fn status_label(key: &str) -> String {
    ProposalStatus::parse(key).map_or_else(|| key.to_string(), |s| s.label().to_string())
}

/// A calendar day as typed by the begeleider (session times are local wall-clock time stored
/// as if UTC): `01-12-2026`.
pub fn wall_date(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:02}-{:02}-{:04}", t.day(), u8::from(t.month()), t.year())
}

/// A proposal as the pages show it.
#[derive(Debug, Serialize)]
pub struct ProposalView {
    pub id: String,
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub first_step: String,
    pub owner_name: String,
    pub owner_email: String,
    pub level: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub is_open: bool,
    pub remind_after_days: i32,
    pub session_id: Option<String>,
    pub session_title: Option<String>,
    pub session_date: Option<String>,
    pub table_name: Option<String>,
    pub last_activity: String,
}

impl ProposalView {
    pub fn new(d: &ProposalDetail) -> Self {
        let r = &d.record;
        Self {
            id: r.id.clone(),
            title: r.title.clone(),
            action: r.action.clone(),
            so_that: r.so_that.clone(),
            first_step: r.first_step.clone(),
            owner_name: r.owner_name.clone(),
            owner_email: r.owner_email.clone(),
            level: d.level.label(),
            status: d.status.key(),
            status_label: d.status.label(),
            is_open: d.status.is_open(),
            remind_after_days: r.remind_after_days,
            session_id: d.session.as_ref().map(|s| s.id.clone()),
            session_title: d.session.as_ref().map(|s| s.title.clone()),
            session_date: d.session.as_ref().map(|s| wall_date(s.starts_at)),
            table_name: d.table_name.clone(),
            last_activity: nl_datetime(r.last_activity_at),
        }
    }
}

/// One dated entry of a proposal's timeline.
#[derive(Debug, Serialize)]
pub struct UpdateView {
    pub date: String,
    pub author: String,
    /// "Nieuw" for the first entry, "van Nieuw naar Opgepakt" for a change, else nothing.
    pub change: Option<String>,
    pub body: String,
}

/// The timeline, oldest first.
pub fn timeline(updates: &[UpdateRecord]) -> Vec<UpdateView> {
    updates
        .iter()
        .map(|u| UpdateView {
            date: nl_datetime(u.at),
            author: u.author.clone(),
            change: if u.status_before.is_empty() {
                Some(format!("stand: {}", status_label(&u.status_after)))
            } else if u.status_before != u.status_after {
                Some(format!(
                    "van {} naar {}",
                    status_label(&u.status_before),
                    status_label(&u.status_after)
                ))
            } else {
                None
            },
            body: u.body.clone(),
        })
        .collect()
}

/// The message of each field with a problem, for the messages next to the fields.
pub fn field_errors(problems: &[FieldProblem]) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    for p in problems {
        out.entry(p.field).or_insert_with(|| p.message.clone());
    }
    out
}

/// The status and text typed in a progress update.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateForm {
    pub status: String,
    pub text: String,
}

impl UpdateForm {
    pub fn from_form(form: &PostedForm) -> Self {
        Self {
            status: form.text("status"),
            text: form.text("voortgang"),
        }
    }

    /// The chosen status, or the problem to show.
    pub fn status(&self) -> Result<ProposalStatus, FieldProblem> {
        ProposalStatus::parse(&self.status).ok_or_else(|| FieldProblem {
            field: "status",
            message: "Kies hoe het ervoor staat.".into(),
        })
    }
}

/// Only the characters an id or token can have: safe in a path or a `Location` header.
fn segment(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

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
    let detail = super::admin::blocking(move || {
        voorstellen::for_owner(&db, &secret, &pid, &tok).map_err(WebError::from)
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
        &format!("/voorstel/{}/{}", segment(id), segment(token)),
    );
    ctx.insert("p", &view);
    ctx.insert("timeline", &timeline(&detail.updates));
    ctx.insert("statuses", &ProposalStatus::options());
    ctx.insert("upd", &typed);
    ctx.insert("errors", &field_errors(&feedback.problems));
    ctx.insert("problems", &feedback.problems);
    ctx.insert("error", &feedback.error);
    ctx.insert("notice", &feedback.notice);
    ctx.insert("max_update", &crate::domain::sessie::MAX_UPDATE);
    let status = feedback.status.unwrap_or(StatusCode::OK);
    let mut response = state
        .renderer
        .page(status, "voorstel/eigenaar.html", &ctx)?;
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
            Some("Er is net heel vaak iets verstuurd. Wacht een minuut en klik dan nog een keer op Opslaan."),
        );
        return owner_page(&state, &req, &id, &token, feedback).await;
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
    let outcome = super::admin::blocking(move || {
        Ok::<_, WebError>(voorstellen::owner_update(
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
        Ok(()) => Ok(super::admin::see_other(&format!(
            "/voorstel/{}/{}?bijgewerkt=1#tijdlijn",
            segment(&id),
            segment(&token)
        ))),
        Err(VoorstelError::Input(problems)) => {
            let feedback = again(StatusCode::UNPROCESSABLE_ENTITY, problems, None);
            owner_page(&state, &req, &id, &token, feedback).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_names_status_changes() {
        let u = |before: &str, after: &str| UpdateRecord {
            id: "VU-1".into(),
            proposal_id: "VV-1".into(),
            at: 0,
            author: "Sam".into(),
            status_before: before.into(),
            status_after: after.into(),
            body: String::new(),
            session_id: None,
        };
        let t = timeline(&[
            u("", "nieuw"),
            u("nieuw", "opgepakt"),
            u("opgepakt", "opgepakt"),
        ]);
        assert_eq!(t[0].change.as_deref(), Some("stand: Nieuw"));
        assert_eq!(t[1].change.as_deref(), Some("van Nieuw naar Opgepakt"));
        assert_eq!(t[2].change, None);
        assert_eq!(wall_date(1_796_083_200), "01-12-2026");
        assert_eq!(segment("VV-1/../x"), "VV-1x");
    }
}
