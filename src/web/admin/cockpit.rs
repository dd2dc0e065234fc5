//! The cockpit of a duidingssessie (`/beheer/p/{project}/sessies/{id}/cockpit`): every table
//! live on one screen, the phase and its timer, hidden votes and their reveal with the plenary
//! ranking, regrouping across tables, and the room or one board as PDF.
//!
//! Reading needs [`ProjectAction::Read`], every post [`ProjectAction::Facilitate`]; the rules
//! are in `service::cockpit`.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::{Phase, RankedCluster};
use crate::exchange::timestamp::now_unix;
use crate::render::session::PhaseView;
use crate::service::cockpit::{self, Cockpit};
use crate::service::sensemaking::SensemakingError;
use crate::web::errors::WebError;
use crate::web::forms::PostedForm;
use crate::web::http::{self, blocking, page, see_other, Disposition};
use crate::web::views::table::{BoardView, SessionInfo, TableInfo};
use crate::web::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

/// How much time "Geef meer tijd" adds.
const EXTRA_MINUTES: i64 = 5;
/// Loose notes a table shows in the cockpit (the newest; the rest is counted).
const NEWEST: usize = 4;

#[derive(Serialize)]
struct RoomTable {
    info: TableInfo,
    people: usize,
    /// "2 jongeren, 1 professional".
    perspectives: String,
    board: BoardView,
    /// The newest loose notes, newest first.
    newest: Vec<crate::web::views::table::NoteView>,
}

/// What the room fragment shows; also the page's context.
#[derive(Serialize)]
struct RoomView {
    session: SessionInfo,
    phase: Option<PhaseView>,
    /// The tables' revisions as one string, compared by the page's poll.
    revision: String,
    tables: Vec<RoomTable>,
    ranking: Option<Vec<RankedCluster>>,
    votes_hidden: bool,
    votes_cast: i64,
    votes_possible: i64,
    participants: usize,
    notes: usize,
}

fn revision_text(revisions: &[i64]) -> String {
    revisions
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn perspectives(people: &[crate::service::cockpit::ParticipantRecord]) -> String {
    let mut counted: Vec<(&str, usize)> = Vec::new();
    for p in people {
        let label = crate::domain::sensemaking::Perspective::parse(&p.perspective)
            .map_or("Anders", |p| p.label());
        match counted.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counted.push((label, 1)),
        }
    }
    counted
        .iter()
        .map(|(l, n)| format!("{n} × {}", l.to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn room_view(c: &Cockpit, now: i64) -> RoomView {
    let tables: Vec<RoomTable> = c
        .tables
        .iter()
        .map(|t| {
            let info = TableInfo::bare(&t.table.id, &t.table.name, &t.table.colour);
            let board = BoardView::new(&t.board, &info, None);
            let newest = board.loose.iter().rev().take(NEWEST).cloned().collect();
            RoomTable {
                people: t.participants.len(),
                perspectives: perspectives(&t.participants),
                info,
                board,
                newest,
            }
        })
        .collect();
    RoomView {
        session: SessionInfo::new(&c.session),
        phase: PhaseView::of(&c.session, now),
        revision: revision_text(&c.revisions),
        notes: tables.iter().map(|t| t.board.note_count).sum(),
        participants: tables.iter().map(|t| t.people).sum(),
        tables,
        ranking: c.ranking.clone(),
        votes_hidden: c.session.votes_revealed_at.is_none(),
        votes_cast: c.votes_cast,
        votes_possible: c.votes_possible,
    }
}

async fn load(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: &str,
) -> Result<Cockpit, WebError> {
    let (db, me, s, i) = (
        state.db.clone(),
        user.me.clone(),
        slug.to_string(),
        id.to_string(),
    );
    blocking(move || cockpit::overview(&db, &me, &s, &i).map_err(WebError::from)).await
}

/// What a refused post had typed, to show it again.
#[derive(Serialize, Default)]
struct Typed {
    phase: String,
    minutes: String,
}

/// A page of the room (the cockpit, the regroup page): the project, the room as it is now, and
/// whether the viewer may change it; `fill` adds the page's own.
#[allow(clippy::too_many_arguments)]
async fn room_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    status: StatusCode,
    template: &str,
    fill: impl FnOnce(&RoomView, &mut tera::Context),
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let room = room_view(&load(state, user, slug, id).await?, now_unix());
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    page(state, req, Some(&user.me), status, template, |ctx| {
        ctx.insert("slug", slug);
        ctx.insert("name", &project.name);
        ctx.insert("can_edit", &can_edit);
        fill(&room, ctx);
        ctx.insert("room", &room);
    })
}

#[allow(clippy::too_many_arguments)]
async fn cockpit_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    status: StatusCode,
    problems: Vec<FieldProblem>,
    error: Option<String>,
    typed: Typed,
) -> Result<HttpResponse, WebError> {
    let template = "admin/sensemaking_cockpit.html";
    room_page(state, req, user, slug, id, status, template, |room, ctx| {
        ctx.insert("phase", &room.phase);
        ctx.insert("phases", &Phase::options());
        ctx.insert("problems", &problems);
        ctx.insert("error", &error);
        ctx.insert("typed", &typed);
    })
    .await
}

/// GET …/sessies/{id}/cockpit
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    cockpit_page(
        &state,
        &req,
        &user,
        &slug,
        &id,
        StatusCode::OK,
        Vec::new(),
        None,
        Typed::default(),
    )
    .await
}

/// GET …/cockpit/stand: `{"revision": "3.7.2", "closed": false}`, polled by the open cockpit.
pub async fn stand(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let (db, me) = (state.db.clone(), user.me.clone());
    let (revisions, closed) =
        blocking(move || cockpit::revisions(&db, &me, &slug, &id).map_err(WebError::from)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({
            "revision": revision_text(&revisions),
            "closed": closed,
        })))
}

/// GET …/cockpit/bord: the room alone (HTML), for the live update.
pub async fn room(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let room = room_view(&load(&state, &user, &slug, &id).await?, now_unix());
    let mut ctx = state.renderer.context("nl");
    ctx.insert("slug", &slug);
    ctx.insert("phase", &room.phase);
    ctx.insert("room", &room);
    let html = state.renderer.render("admin/_cockpit_room.html", &ctx)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// Runs a begeleider's post on the room: back to `back` when it worked; the cockpit with the
/// message (422 for input, 409 for a closed session) when it did not.
async fn post_on_room(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (slug, id, back): (String, String, String),
    body: &[u8],
    act: impl FnOnce(&crate::service::Database, &PostedForm) -> Result<(), SensemakingError>
        + Send
        + 'static,
) -> Result<HttpResponse, WebError> {
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(state, req, body)?;
    let typed = Typed {
        phase: form.text("fase"),
        minutes: form.text("minuten"),
    };
    let (db, posted) = (state.db.clone(), form.clone());
    let (status, problems, error) =
        match blocking(move || Ok::<_, WebError>(act(&db, &posted))).await? {
            Ok(()) => return Ok(see_other(&back)),
            Err(SensemakingError::Input(problems)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, problems, None)
            }
            Err(e @ SensemakingError::Closed) => {
                (StatusCode::CONFLICT, Vec::new(), Some(e.to_string()))
            }
            Err(e) => return Err(e.into()),
        };
    cockpit_page(state, req, user, &slug, &id, status, problems, error, typed).await
}

fn cockpit_url(slug: &str, id: &str) -> String {
    format!("/beheer/p/{slug}/sessies/{id}/cockpit")
}

/// POST …/cockpit/fase: `actie` = `start` (with `fase` and `minuten`), `volgende` or `erbij`.
pub async fn phase(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    let (me, s, i) = (user.me.clone(), slug.clone(), id.clone());
    let back = format!("{}#fase-kop", cockpit_url(&slug, &id));
    post_on_room(
        &state,
        &req,
        &user,
        (slug, id, back),
        &body,
        move |db, form| {
            let now = now_unix();
            match form.text("actie").as_str() {
                "volgende" => cockpit::next_phase(db, &me, &s, &i, now),
                "erbij" => cockpit::add_minutes(db, &me, &s, &i, EXTRA_MINUTES, now),
                _ => cockpit::set_phase(
                    db,
                    &me,
                    &s,
                    &i,
                    &form.text("fase"),
                    &form.text("minuten"),
                    now,
                ),
            }
        },
    )
    .await
}

/// POST …/cockpit/stemmen: `tonen` = `ja` or `nee`.
pub async fn votes(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    let (me, s, i) = (user.me.clone(), slug.clone(), id.clone());
    let back = format!("{}#stemmen-kop", cockpit_url(&slug, &id));
    post_on_room(
        &state,
        &req,
        &user,
        (slug, id, back),
        &body,
        move |db, form| {
            let shown = form.text("tonen") == "ja";
            cockpit::show_votes(db, &me, &s, &i, shown, now_unix())
        },
    )
    .await
}

// --- regrouping across tables -------------------------------------------------------------

#[derive(Serialize)]
struct ClusterChoice {
    id: String,
    label: String,
}

#[allow(clippy::too_many_arguments)]
async fn regroup_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    status: StatusCode,
    problems: Vec<FieldProblem>,
    refused_at: String,
) -> Result<HttpResponse, WebError> {
    let template = "admin/sensemaking_regroup.html";
    room_page(state, req, user, slug, id, status, template, |room, ctx| {
        let choices: Vec<ClusterChoice> = room
            .tables
            .iter()
            .flat_map(|t| {
                t.board.clusters.iter().map(|c| ClusterChoice {
                    id: c.id.clone(),
                    label: format!("{} ({})", c.name, t.info.name),
                })
            })
            .collect();
        ctx.insert("choices", &choices);
        ctx.insert("problems", &problems);
        ctx.insert("refused_at", &refused_at);
    })
    .await
}

/// GET …/cockpit/groepen
pub async fn regroup(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    regroup_page(
        &state,
        &req,
        &user,
        &slug,
        &id,
        StatusCode::OK,
        Vec::new(),
        String::new(),
    )
    .await
}

/// What a regrouping post does, with the begeleider, the project, the session, the cluster or
/// note of the URL and the form.
type Regroup = fn(
    &crate::service::Database,
    &crate::service::accounts::SignedIn,
    &str,
    &str,
    &str,
    &PostedForm,
) -> Result<(), SensemakingError>;

/// Runs a regrouping post on `(project, session, target)` of the URL: back to the regroup
/// page at `{kind}-{target}`, or the page with the message by the form that was refused.
async fn post_regroup(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (slug, id, target): (String, String, String),
    kind: &str,
    body: &[u8],
    act: Regroup,
) -> Result<HttpResponse, WebError> {
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(state, req, body)?;
    let at = if target.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}-{target}")
    };
    let (db, me, s, i) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    let outcome = blocking(move || Ok::<_, WebError>(act(&db, &me, &s, &i, &target, &form)));
    match outcome.await? {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/p/{slug}/sessies/{id}/cockpit/groepen#{at}"
        ))),
        Err(SensemakingError::Input(problems)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            regroup_page(state, req, user, &slug, &id, status, problems, at).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST …/cockpit/groepen: a new groep at a table (`tafel`, `naam`).
pub async fn add_cluster(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    let url = (slug, id, String::new());
    post_regroup(
        &state,
        &req,
        &user,
        url,
        "nieuwe-groep",
        &body,
        |db, me, p, s, _, form| {
            let (table, name) = (form.text("tafel"), form.text("naam"));
            cockpit::add_cluster(db, me, p, s, &table, &name, now_unix()).map(|_| ())
        },
    )
    .await
}

/// POST …/cockpit/groepen/{cluster}: rename (`naam`).
pub async fn rename_cluster(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    post_regroup(
        &state,
        &req,
        &user,
        path.into_inner(),
        "groep",
        &body,
        |db, me, p, s, c, form| {
            cockpit::rename_cluster(db, me, p, s, c, &form.text("naam"), now_unix())
        },
    )
    .await
}

/// POST …/cockpit/groepen/{cluster}/samenvoegen: into `met`.
pub async fn merge_clusters(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    post_regroup(
        &state,
        &req,
        &user,
        path.into_inner(),
        "groep",
        &body,
        |db, me, p, s, c, form| {
            cockpit::merge_clusters(db, me, p, s, c, &form.text("met"), now_unix())
        },
    )
    .await
}

/// POST …/cockpit/notities/{note}/groep: into `groep` ('' for none).
pub async fn move_note(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    post_regroup(
        &state,
        &req,
        &user,
        path.into_inner(),
        "notitie",
        &body,
        |db, me, p, s, n, form| {
            let target = form.text("groep");
            let cluster = Some(target.trim()).filter(|t| !t.is_empty());
            cockpit::move_note(db, me, p, s, n, cluster, now_unix())
        },
    )
    .await
}

// --- on paper -----------------------------------------------------------------------------

/// GET …/cockpit.pdf: the whole room at this moment.
pub async fn room_pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let session = super::sensemaking::open_session(&state, &user, &slug, &id).await?;
    let report = crate::web::sensemaking::report_view(&state, &session).await?;
    let doc = super::sensemaking_pdf::document(&project.name, &report);
    let moment = match PhaseView::of(&session.record, now_unix()) {
        Some(p) => format!("fase: {}", p.label.to_lowercase()),
        None => "nog geen fase gestart".to_string(),
    };
    let bytes = blocking(move || {
        crate::pdf::room_overview(&doc, &moment).map_err(|e| {
            tracing::error!(error = %e, "cockpit PDF failed");
            WebError::Unavailable
        })
    })
    .await?;
    Ok(http::download(
        "application/pdf",
        Disposition::Inline,
        &format!("cockpit-{id}.pdf"),
        bytes,
    ))
}

/// GET …/tafels/{table}/bord.pdf: one table's board, as the verslag tells a table.
pub async fn table_pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id, table) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let session = super::sensemaking::open_session(&state, &user, &slug, &id).await?;
    let mut report = crate::web::sensemaking::report_view(&state, &session).await?;
    report.tables.retain(|(t, _)| t.id == table);
    let name = report
        .tables
        .first()
        .map(|(t, _)| t.name.clone())
        .ok_or(WebError::NotFound)?;
    // One board: the ranking of the whole room belongs to the verslag and the cockpit.
    report.ranking.clear();
    let mut doc = super::sensemaking_pdf::document(&project.name, &report);
    doc.title = format!("Bord van {name} · {}", doc.title);
    doc.participants = report
        .tables
        .iter()
        .map(|(t, _)| t.participants.len())
        .sum();
    let bytes = blocking(move || {
        crate::pdf::session_report(&doc).map_err(|e| {
            tracing::error!(error = %e, "board PDF failed");
            WebError::Unavailable
        })
    })
    .await?;
    Ok(http::download(
        "application/pdf",
        Disposition::Inline,
        &format!("bord-{table}.pdf"),
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_read_as_one_string_that_changes_with_any_table() {
        assert_eq!(revision_text(&[3, 7, 2]), "3.7.2");
        assert_ne!(revision_text(&[3, 7, 2]), revision_text(&[3, 8, 2]));
        assert_ne!(revision_text(&[3, 7]), revision_text(&[3, 7, 0]));
        assert_eq!(revision_text(&[]), "");
    }
}
