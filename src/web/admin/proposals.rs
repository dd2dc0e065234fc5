//! Verbetervoorstellen and their follow-up: the project's proposals from all duidingssessies
//! with counts and a status filter, and one proposal with what it grew from, its dated
//! timeline, a progress update, changes to its texts and owner, and the owner's personal link.
//!
//! Reading needs [`ProjectAction::Read`] (also the export of the list as CSV or XLSX), every
//! post [`ProjectAction::Facilitate`] and a valid CSRF token. The owner's link is shown only
//! to those who may post themselves.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::{self, Level, ProposalInput, ProposalStatus};
use crate::exchange::timestamp::now_unix;
use crate::mail::compose::reminders::owner_link;
use crate::service::proposals::{self, ProposalDetail, ProposalError};
use crate::service::proposals_export::{self, Format, Requester};
use crate::web::errors::WebError;
use crate::web::forms::PostedForm;
use crate::web::http::{self, blocking, page, safe_segment, see_other, Disposition};
use crate::web::views::proposal::{field_errors, timeline, ProposalView, UpdateForm};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

// --- the list ---------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

#[derive(Serialize)]
struct StatusCount {
    key: &'static str,
    label: &'static str,
    count: usize,
}

/// GET /beheer/p/{project}/voorstellen (`?status=opgepakt`)
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let chosen = ProposalStatus::parse(&query.status);
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let all =
        blocking(move || proposals::list(&db, &me, &key, None).map_err(WebError::from)).await?;
    let counts: Vec<StatusCount> = ProposalStatus::ALL
        .iter()
        .map(|s| StatusCount {
            key: s.key(),
            label: s.label(),
            count: all.iter().filter(|p| p.status == *s).count(),
        })
        .collect();
    let rows: Vec<ProposalView> = all
        .iter()
        .filter(|p| chosen.is_none_or(|s| p.status == s))
        .map(ProposalView::new)
        .collect();
    let unknown_status = chosen.is_none() && !query.status.trim().is_empty();
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/proposals.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("name", &project.name);
            ctx.insert("rows", &rows);
            ctx.insert("total", &all.len());
            ctx.insert("counts", &counts);
            ctx.insert("chosen", chosen.map_or("", |s| s.key()));
            ctx.insert("chosen_label", chosen.map_or("", |s| s.label()));
            ctx.insert("statuses", &ProposalStatus::options());
            ctx.insert(
                "notice",
                &unknown_status.then_some("Die stand bestaat niet. Je ziet alle voorstellen."),
            );
        },
    )
}

// --- the export -------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    formaat: String,
}

/// GET /beheer/p/{project}/voorstellen/export (`?formaat=csv|csv-nl|xlsx`, default csv): every
/// proposal with its history, for the stuurgroep.
pub async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let format = match query.formaat.trim() {
        "" => Format::Csv,
        other => Format::parse(other).ok_or(WebError::NotFound)?,
    };
    let (db, me) = (state.db.clone(), user.me.clone());
    let file = blocking(move || {
        let who = Requester {
            user: Some(&me),
            via: "het web",
        };
        proposals_export::export(&db, &who, &slug, format, now_unix())
    })
    .await?;
    Ok(http::download(
        file.format.content_type(),
        Disposition::Attachment,
        &file.file_name,
        file.bytes,
    ))
}

// --- one proposal -----------------------------------------------------------------------

/// What a proposal grew from, as a line with (where there is a page for it) a link.
#[derive(Serialize)]
struct SourceView {
    kind: &'static str,
    id: String,
    label: Option<String>,
    href: Option<String>,
}

/// The lines of "what it grew from": a link where there is a page for it.
fn source_views(slug: &str, sources: Vec<proposals::Source>) -> Vec<SourceView> {
    sources
        .into_iter()
        .map(|s| {
            let (kind, page) = match s.kind {
                proposals::SourceKind::Card => ("Observatiekaart", Some("observaties")),
                proposals::SourceKind::Story => ("Verhaal", Some("verhalen")),
                proposals::SourceKind::Note => ("Notitie", None),
                proposals::SourceKind::Other => ("Bron", None),
            };
            let href = page
                .filter(|_| s.linkable)
                .map(|page| format!("/beheer/p/{slug}/{page}/{}", safe_segment(&s.id)));
            SourceView {
                kind,
                id: s.id,
                label: s.label,
                href,
            }
        })
        .collect()
}

/// What a re-shown page carries after a refused post.
#[derive(Default)]
struct Feedback {
    status: Option<StatusCode>,
    problems: Vec<FieldProblem>,
    update: Option<UpdateForm>,
    edit: Option<(ProposalInput, String)>,
}

fn input_of(d: &ProposalDetail) -> ProposalInput {
    let r = &d.record;
    ProposalInput {
        title: r.title.clone(),
        action: r.action.clone(),
        so_that: r.so_that.clone(),
        first_step: r.first_step.clone(),
        owner_name: r.owner_name.clone(),
        owner_email: r.owner_email.clone(),
        level: r.level.clone(),
    }
}

async fn detail_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    feedback: Feedback,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, me, key, pid) = (
        state.db.clone(),
        user.me.clone(),
        slug.to_string(),
        id.to_string(),
    );
    let (detail, sources) =
        blocking(move || proposals::open_with_sources(&db, &me, &key, &pid)).await?;
    let sources = source_views(slug, sources);
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    let view = ProposalView::new(&detail);
    let owner_link = can_edit.then(|| {
        owner_link(
            state.config.base_url(),
            &detail.record.id,
            &proposals::owner_token(&state.secret, &detail.record),
        )
    });
    let update = feedback.update.unwrap_or_else(|| UpdateForm {
        status: view.status.to_string(),
        text: String::new(),
    });
    let (edit, remind) = feedback.edit.unwrap_or_else(|| {
        (
            input_of(&detail),
            detail.record.remind_after_days.to_string(),
        )
    });
    let status = feedback.status.unwrap_or(StatusCode::OK);
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/proposal.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &project.name);
            ctx.insert("p", &view);
            ctx.insert("sources", &sources);
            ctx.insert("timeline", &timeline(&detail.updates));
            ctx.insert("can_edit", &can_edit);
            ctx.insert("owner_link", &owner_link);
            ctx.insert("statuses", &ProposalStatus::options());
            ctx.insert("levels", &Level::options());
            ctx.insert("upd", &update);
            ctx.insert("edit", &edit);
            ctx.insert("remind", &remind);
            ctx.insert("errors", &field_errors(&feedback.problems));
            ctx.insert("problems", &feedback.problems);
            ctx.insert("max_title", &sensemaking::MAX_TITLE);
            ctx.insert("max_field", &sensemaking::MAX_PROPOSAL_FIELD);
            ctx.insert("max_update", &sensemaking::MAX_UPDATE);
        },
    )
}

/// GET /beheer/p/{project}/voorstellen/{id}
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    detail_page(&state, &req, &user, &slug, &id, Feedback::default()).await
}

/// Runs a post, then goes back to the proposal, or shows it again with the problems and
/// everything typed.
async fn post_then_show(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    mut feedback: Feedback,
    work: impl FnOnce() -> Result<(), ProposalError> + Send + 'static,
) -> Result<HttpResponse, WebError> {
    let outcome = blocking(move || Ok::<_, WebError>(work())).await?;
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/p/{slug}/voorstellen/{}#tijdlijn",
            safe_segment(id)
        ))),
        Err(ProposalError::Input(problems)) => {
            feedback.status = Some(StatusCode::UNPROCESSABLE_ENTITY);
            feedback.problems = problems;
            detail_page(state, req, user, slug, id, feedback).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /beheer/p/{project}/voorstellen/{id}/voortgang (`status`, `voortgang`)
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let typed = UpdateForm::from_form(&form);
    let feedback = Feedback {
        update: Some(typed.clone()),
        ..Default::default()
    };
    let status = typed.status();
    let (db, me, key, pid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    post_then_show(&state, &req, &user, &slug, &id, feedback, move || {
        let status = status.map_err(|p| ProposalError::Input(vec![p]))?;
        proposals::add_update(&db, &me, &key, &pid, status, &typed.text, now_unix())
    })
    .await
}

fn typed_input(form: &PostedForm) -> ProposalInput {
    ProposalInput {
        title: form.text("titel"),
        action: form.text("wat"),
        so_that: form.text("zodat"),
        first_step: form.text("eerste_stap"),
        owner_name: form.text("eigenaar"),
        owner_email: form.text("eigenaar_email"),
        level: form.text("niveau"),
    }
}

/// POST /beheer/p/{project}/voorstellen/{id} (`titel`, `wat`, `zodat`, `eerste_stap`,
/// `eigenaar`, `eigenaar_email`, `niveau`, `herinnering`). A new owner address gets a mail
/// with the personal link.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let input = typed_input(&form);
    let remind = form.text("herinnering");
    let feedback = Feedback {
        edit: Some((input.clone(), remind.clone())),
        ..Default::default()
    };
    let (db, me, key, pid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    let secret = state.secret.clone();
    let compose =
        crate::mail::compose::proposals::owner_named(&state.renderer, state.config.base_url());
    let response = post_then_show(&state, &req, &user, &slug, &id, feedback, move || {
        let mail = proposals::OwnerMail {
            secret: &secret,
            compose: &compose,
        };
        proposals::save(&db, &me, &key, &pid, &input, &remind, &mail, now_unix())
    })
    .await?;
    state.mail_notify.notify_one();
    Ok(response)
}
