//! The participant's side of a duidingssessie, under `/s/{code}`: join without an account,
//! then work at one table — read its cards and stories, write notes, cluster them, vote and
//! write verbetervoorstellen. Everything works without JavaScript; `assets/sensemaking.js` adds
//! live updates (polling the table's revision) and drag and drop.
//!
//! A participant is remembered by a signed cookie scoped to the session's path. Every post
//! carries a CSRF token like the rest of the site; a participant can only act at their own
//! table, because the table is taken from their participant row, never from the form.

pub mod actions;

use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::{
    rank_clusters, NoteInput, Perspective, ProposalInput, RankedCluster, TableColour,
};
use crate::exchange::timestamp::now_unix;
use crate::service::sensemaking::{self, Seat, SensemakingError, SessionDetail, SessionRecord};
use crate::web::errors::WebError;
use crate::web::forms::{csrf_cookie, with_new_cookie};
use crate::web::http;
use crate::web::http::blocking;
use crate::web::views::table::{origin_line, BoardView, SessionInfo, TableInfo};
use crate::web::AppState;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

const PARTICIPANT_COOKIE: &str = "vp_deelnemer";
const TICKET_PURPOSE: &str = "sessie-deelnemer";

/// What is in the participant cookie: the session and the participant, signed.
#[derive(Serialize, Deserialize)]
struct Ticket {
    s: String,
    p: String,
}

/// A session found by its link code. An unknown code counts against the client's address, so
/// that codes cannot be guessed by trying (the limit lives in memory only).
fn found_by_code<T>(state: &AppState, req: &HttpRequest, found: Option<T>) -> Result<T, WebError> {
    match found {
        Some(s) => Ok(s),
        None if !state.allow_code_guess(req) => Err(WebError::TooManyRequests),
        None => Err(WebError::NotFound),
    }
}

/// The session behind a link code, with all its tables (the join form lists them).
async fn session_for(
    state: &AppState,
    req: &HttpRequest,
    code: &str,
) -> Result<SessionDetail, WebError> {
    let (db, key) = (state.db.clone(), code.to_string());
    let found = blocking(move || sensemaking::by_code(&db, &key).map_err(WebError::from)).await?;
    found_by_code(state, req, found)
}

/// The session behind a link code, without its tables.
async fn record_for(
    state: &AppState,
    req: &HttpRequest,
    code: &str,
) -> Result<SessionRecord, WebError> {
    let (db, key) = (state.db.clone(), code.to_string());
    let found =
        blocking(move || sensemaking::record_by_code(&db, &key).map_err(WebError::from)).await?;
    found_by_code(state, req, found)
}

async fn seat_of(
    state: &AppState,
    req: &HttpRequest,
    session: &SessionRecord,
) -> Result<Option<Seat>, WebError> {
    let Some(ticket) = req
        .cookie(PARTICIPANT_COOKIE)
        .and_then(|c| state.secret.open::<Ticket>(TICKET_PURPOSE, c.value()))
        .filter(|t| t.s == session.id)
    else {
        return Ok(None);
    };
    let (db, record) = (state.db.clone(), session.clone());
    blocking(move || sensemaking::seat(&db, &record, &ticket.p).map_err(WebError::from)).await
}

/// The page for a session whose link was switched off after closing.
fn closed_page(
    state: &AppState,
    req: &HttpRequest,
    session: &SessionRecord,
) -> Result<HttpResponse, WebError> {
    render(
        state,
        req,
        StatusCode::GONE,
        "sensemaking/closed.html",
        |ctx| {
            ctx.insert("session", &SessionInfo::new(session));
        },
    )
}

fn render(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    template: &str,
    fill: impl FnOnce(&mut tera::Context),
) -> Result<HttpResponse, WebError> {
    // Participants have no account: the page of the signed-in part, without a `me`.
    http::page(state, req, None, status, template, fill)
}

/// What was typed in the join form.
#[derive(Serialize, Default)]
struct JoinTyped {
    table: String,
    name: String,
    perspective: String,
}

fn join_page(
    state: &AppState,
    req: &HttpRequest,
    code: &str,
    session: &SessionDetail,
    status: StatusCode,
    problems: &[FieldProblem],
    typed: &JoinTyped,
) -> Result<HttpResponse, WebError> {
    let tables: Vec<TableInfo> = session
        .tables
        .iter()
        .map(|t| TableInfo::new(t, session))
        .collect();
    render(state, req, status, "sensemaking/join.html", |ctx| {
        ctx.insert("code", code);
        ctx.insert("session", &SessionInfo::new(&session.record));
        ctx.insert("tables", &tables);
        ctx.insert("perspectives", &Perspective::options());
        ctx.insert("problems", problems);
        ctx.insert("typed", typed);
    })
}

/// GET /s/{code}
pub async fn join_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let code = path.into_inner();
    let session = session_for(&state, &req, &code).await?;
    if !sensemaking::link_works(&session.record) {
        return closed_page(&state, &req, &session.record);
    }
    if seat_of(&state, &req, &session.record).await?.is_some() {
        return Ok(http::see_other(&format!("/s/{code}/tafel")));
    }
    let typed = JoinTyped::default();
    join_page(&state, &req, &code, &session, StatusCode::OK, &[], &typed)
}

/// POST /s/{code}: name, perspective and table; sets the participant cookie.
pub async fn join(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let code = path.into_inner();
    let session = session_for(&state, &req, &code).await?;
    if !sensemaking::link_works(&session.record) {
        return closed_page(&state, &req, &session.record);
    }
    let form = http::posted_form(&state, &req, &body)?;
    let typed = JoinTyped {
        table: form.text("tafel"),
        name: form.text("naam"),
        perspective: form.text("perspectief"),
    };
    if session.is_closed() {
        let problems = [FieldProblem {
            field: "naam",
            message: "Deze sessie is gesloten. Meedoen kan niet meer; je kunt het verslag lezen."
                .into(),
        }];
        return join_page(
            &state,
            &req,
            &code,
            &session,
            StatusCode::CONFLICT,
            &problems,
            &typed,
        );
    }
    let (db, record) = (state.db.clone(), session.record.clone());
    let (t, n, p) = (
        typed.table.clone(),
        typed.name.clone(),
        typed.perspective.clone(),
    );
    let joined = blocking(move || {
        Ok::<_, WebError>(sensemaking::join(&db, &record, &t, &n, &p, now_unix()))
    })
    .await?;
    match joined {
        Ok(participant) => {
            let ticket = state.secret.seal(
                TICKET_PURPOSE,
                &Ticket {
                    s: session.record.id.clone(),
                    p: participant.id,
                },
            );
            let cookie = Cookie::build(PARTICIPANT_COOKIE, ticket)
                .path(format!("/s/{code}"))
                .http_only(true)
                .same_site(SameSite::Lax)
                .secure(state.config.secure_cookies)
                .max_age(CookieDuration::days(7))
                .finish();
            Ok(HttpResponse::SeeOther()
                .insert_header((
                    actix_web::http::header::LOCATION,
                    format!("/s/{code}/tafel"),
                ))
                .cookie(cookie)
                .finish())
        }
        Err(SensemakingError::Input(problems)) => join_page(
            &state,
            &req,
            &code,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            &problems,
            &typed,
        ),
        Err(e) => Err(e.into()),
    }
}

/// What was typed in the table's forms, kept when a post is refused.
#[derive(Serialize, Default)]
pub(crate) struct Typed {
    note: NoteInput,
    cluster: String,
    proposal: ProposalInput,
    proposal_cluster: String,
    /// The name typed for a new group to make with the proposal.
    proposal_new_cluster: String,
    /// The ticked "grew from" boxes ("kaart:ID", "verhaal:ID").
    sources: Vec<String>,
    /// The id of the proposal being edited, when the refused post was an edit.
    editing: String,
}

/// Everything the table page (and its board fragment) shows.
pub(crate) struct TableScreen {
    code: String,
    session: SessionDetail,
    seat: Seat,
}

impl TableScreen {
    fn table(&self) -> Result<TableInfo, WebError> {
        self.session
            .table(&self.seat.participant.table_id)
            .map(|t| TableInfo::new(t, &self.session))
            .ok_or(WebError::NotFound)
    }

    /// Fills the context shared by the page and the fragment.
    async fn fill(&self, state: &AppState, ctx: &mut tera::Context) -> Result<(), WebError> {
        let table = self.table()?;
        let (db, record, table_id, me) = (
            state.db.clone(),
            self.session.record.clone(),
            table.id.clone(),
            self.seat.participant.id.clone(),
        );
        let board = blocking(move || {
            sensemaking::board(&db, &record, &table_id, Some(&me)).map_err(WebError::from)
        })
        .await?;
        let board = BoardView::new(&board, &table, Some(&self.seat.participant.id));
        ctx.insert("code", &self.code);
        ctx.insert("session", &SessionInfo::new(&self.session.record));
        ctx.insert("me", &self.seat.participant.display_name);
        ctx.insert(
            "my_perspective",
            Perspective::parse(&self.seat.participant.perspective).map_or("", Perspective::label),
        );
        ctx.insert("table", &table);
        ctx.insert("board", &board);
        ctx.insert("read_only", &self.session.is_closed());
        ctx.insert(
            "phase",
            &crate::render::session::PhaseView::of(&self.session.record, now_unix()),
        );
        ctx.insert("levels", &crate::domain::sensemaking::Level::options());
        ctx.insert("colours", &TableColour::options());
        Ok(())
    }
}

/// Finds the session and the participant's seat; a visitor without a seat goes to the join
/// page. `Err(response)` is the page to show instead.
pub(crate) async fn seated(
    state: &AppState,
    req: &HttpRequest,
    code: &str,
) -> Result<Result<(SessionRecord, Seat), HttpResponse>, WebError> {
    let session = record_for(state, req, code).await?;
    if !sensemaking::link_works(&session) {
        return Ok(Err(closed_page(state, req, &session)?));
    }
    match seat_of(state, req, &session).await? {
        Some(seat) => Ok(Ok((session, seat))),
        None => Ok(Err(http::see_other(&format!("/s/{code}")))),
    }
}

/// [`seated`], with the participant's table and its material (only that table's: the page
/// and the board show no other).
pub(crate) async fn screen(
    state: &AppState,
    req: &HttpRequest,
    code: String,
) -> Result<Result<TableScreen, HttpResponse>, WebError> {
    let (record, seat) = match seated(state, req, &code).await? {
        Ok(found) => found,
        Err(response) => return Ok(Err(response)),
    };
    let (db, table) = (state.db.clone(), seat.participant.table_id.clone());
    let session =
        blocking(move || sensemaking::for_table(&db, &record, &table).map_err(WebError::from))
            .await?;
    Ok(Ok(TableScreen {
        code,
        session,
        seat,
    }))
}

/// The table page, with the problems of a refused post and what was typed.
pub(crate) async fn table_page(
    state: &AppState,
    req: &HttpRequest,
    screen: &TableScreen,
    status: StatusCode,
    problems: &[FieldProblem],
    message: Option<String>,
    typed: &Typed,
) -> Result<HttpResponse, WebError> {
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context("nl");
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    screen.fill(state, &mut ctx).await?;
    ctx.insert("problems", problems);
    ctx.insert("error", &message);
    ctx.insert("typed", typed);
    with_new_cookie(
        crate::web::http::html(&state.renderer, status, "sensemaking/table.html", &ctx)?,
        new_cookie,
    )
}

/// GET /s/{code}/tafel
pub async fn table(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    match screen(&state, &req, path.into_inner()).await? {
        Ok(screen) => {
            table_page(
                &state,
                &req,
                &screen,
                StatusCode::OK,
                &[],
                None,
                &Typed::default(),
            )
            .await
        }
        Err(response) => Ok(response),
    }
}

/// GET /s/{code}/verslag: the session report, for everyone with the link.
pub async fn report(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let code = path.into_inner();
    let session = session_for(&state, &req, &code).await?;
    if !sensemaking::link_works(&session.record) {
        return closed_page(&state, &req, &session.record);
    }
    let report = report_view(&state, &session).await?;
    render(
        &state,
        &req,
        StatusCode::OK,
        "sensemaking/report.html",
        |ctx| {
            ctx.insert("code", &code);
            ctx.insert("report", &report);
        },
    )
}

/// The report of a session: every table with its material and board.
#[derive(Serialize)]
pub struct ReportView {
    pub session: SessionInfo,
    pub participants: usize,
    pub tables: Vec<(TableInfo, BoardView)>,
    /// The groepen of every table by votes, once the begeleider showed them (else empty).
    pub ranking: Vec<RankedCluster>,
    pub votes_hidden: bool,
}

pub async fn report_view(
    state: &AppState,
    session: &SessionDetail,
) -> Result<ReportView, WebError> {
    let (db, record) = (state.db.clone(), session.record.clone());
    let origins =
        blocking(move || sensemaking::proposal_origins(&db, &record).map_err(WebError::from))
            .await?;
    let mut tables = Vec::new();
    for t in &session.tables {
        let info = TableInfo::new(t, session);
        let (db, record, id) = (state.db.clone(), session.record.clone(), info.id.clone());
        let board =
            blocking(move || sensemaking::board(&db, &record, &id, None).map_err(WebError::from))
                .await?;
        let mut board = BoardView::new(&board, &info, None);
        for p in &mut board.proposals {
            let sources = origins.get(&p.id).map_or(&[][..], Vec::as_slice);
            p.origins = sources.iter().map(origin_line).collect();
        }
        tables.push((info, board));
    }
    let votes_hidden = session.record.votes_revealed_at.is_none();
    let ranking = if votes_hidden {
        Vec::new()
    } else {
        rank_clusters(
            tables
                .iter()
                .flat_map(|(t, b)| {
                    b.clusters.iter().map(|c| RankedCluster {
                        cluster: c.id.clone(),
                        name: c.name.clone(),
                        table: t.name.clone(),
                        votes: c.votes,
                        notes: c.notes.len(),
                        place: 0,
                    })
                })
                .collect(),
        )
    };
    Ok(ReportView {
        session: SessionInfo::new(&session.record),
        participants: session.participants.len(),
        tables,
        ranking,
        votes_hidden,
    })
}
