//! What participants do at their table: every post goes to the service with the participant's
//! seat; a refused post shows the table again with the message and everything typed.

use super::{screen, seated, table_page, TableScreen, Typed};
use crate::domain::sensemaking::{NoteInput, ProposalInput};
use crate::exchange::timestamp::now_unix;
use crate::service::accounts::OutgoingMail;
use crate::service::proposals::{OwnerMail, OwnerNamed};
use crate::service::sensemaking::{self, Seat, SensemakingError};
use crate::service::Database;
use crate::web::errors::WebError;
use crate::web::forms::PostedForm;
use crate::web::http::{blocking, posted_form, see_other};
use crate::web::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

/// Runs one participant action: finds the seat, checks the form, calls `act` and goes back to
/// the table (at `anchor`), or shows the table with what went wrong and what was typed.
async fn act<T: Send + 'static>(
    state: &AppState,
    req: &HttpRequest,
    code: String,
    body: &[u8],
    typed: impl FnOnce(&PostedForm) -> Typed,
    act: impl FnOnce(&Database, &Seat, &PostedForm) -> Result<T, SensemakingError> + Send + 'static,
    anchor: impl FnOnce(&T) -> String,
) -> Result<HttpResponse, WebError> {
    let screen: TableScreen = match screen(state, req, code).await? {
        Ok(s) => s,
        Err(response) => return Ok(response),
    };
    let form = posted_form(state, req, body)?;
    if !state.allow_table_post(&screen.seat.participant.id) {
        return Err(WebError::TooManyRequests);
    }
    let kept = typed(&form);
    let (db, seat, posted) = (state.db.clone(), screen.seat.clone(), form.clone());
    let outcome = blocking(move || Ok::<_, WebError>(act(&db, &seat, &posted))).await?;
    let (status, problems, message) = match outcome {
        Ok(value) => {
            return Ok(see_other(&format!(
                "/s/{}/tafel{}",
                screen.code,
                anchor(&value)
            )))
        }
        Err(SensemakingError::Input(problems)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, problems, None)
        }
        Err(e @ (SensemakingError::Closed | SensemakingError::NoVotesLeft(_))) => {
            (StatusCode::CONFLICT, Vec::new(), Some(e.to_string()))
        }
        Err(e) => return Err(e.into()),
    };
    table_page(state, req, &screen, status, &problems, message, &kept).await
}

fn nothing_typed(_: &PostedForm) -> Typed {
    Typed::default()
}

fn note_input(form: &PostedForm) -> NoteInput {
    NoteInput {
        kind: form.text("soort"),
        body: form.text("tekst"),
        so_that: form.text("zodat"),
        about: form.text("over"),
    }
}

fn proposal_input(form: &PostedForm) -> ProposalInput {
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

/// POST /s/{code}/notities
pub async fn add_note(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    act(
        &state,
        &req,
        path.into_inner(),
        &body,
        |form| Typed {
            note: note_input(form),
            ..Typed::default()
        },
        |db, seat, form| sensemaking::add_note(db, seat, &note_input(form), now_unix()),
        |id| format!("#notitie-{id}"),
    )
    .await
}

/// POST /s/{code}/notities/{id}/weg
pub async fn delete_note(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (code, note) = path.into_inner();
    act(
        &state,
        &req,
        code,
        &body,
        nothing_typed,
        move |db, seat, _| sensemaking::delete_note(db, seat, &note),
        |_| "#bord".into(),
    )
    .await
}

/// POST /s/{code}/notities/{id}/groep: `groep` is a cluster id, or empty for none.
pub async fn move_note(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (code, note) = path.into_inner();
    let anchor = format!("#notitie-{note}");
    act(
        &state,
        &req,
        code,
        &body,
        nothing_typed,
        move |db, seat, form| {
            let cluster = form.text("groep");
            let cluster = Some(cluster.trim()).filter(|c| !c.is_empty());
            sensemaking::move_note(db, seat, &note, cluster)
        },
        move |_| anchor,
    )
    .await
}

/// POST /s/{code}/groepen: `naam`, and optionally a first note (`notitie`).
pub async fn add_cluster(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    act(
        &state,
        &req,
        path.into_inner(),
        &body,
        |form| Typed {
            cluster: form.text("naam"),
            ..Typed::default()
        },
        |db, seat, form| {
            let first = form.text("notitie");
            sensemaking::add_cluster(db, seat, &form.text("naam"), Some(&first), now_unix())
        },
        |id| format!("#groep-{id}"),
    )
    .await
}

/// POST /s/{code}/groepen/{id}: a new name.
pub async fn rename_cluster(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (code, cluster) = path.into_inner();
    let anchor = format!("#groep-{cluster}");
    act(
        &state,
        &req,
        code,
        &body,
        nothing_typed,
        move |db, seat, form| sensemaking::rename_cluster(db, seat, &cluster, &form.text("naam")),
        move |_| anchor,
    )
    .await
}

/// POST /s/{code}/groepen/{id}/weg
pub async fn delete_cluster(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (code, cluster) = path.into_inner();
    act(
        &state,
        &req,
        code,
        &body,
        nothing_typed,
        move |db, seat, _| sensemaking::delete_cluster(db, seat, &cluster),
        |_| "#bord".into(),
    )
    .await
}

/// POST /s/{code}/groepen/{id}/stem: `richting` is `op` (give a vote) or `af` (take one back).
pub async fn vote(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (code, cluster) = path.into_inner();
    let anchor = format!("#groep-{cluster}");
    act(
        &state,
        &req,
        code,
        &body,
        nothing_typed,
        move |db, seat, form| sensemaking::vote(db, seat, &cluster, form.text("richting") != "af"),
        move |_| anchor,
    )
    .await
}

/// The composer of the mail to a newly named handschoenoppakker, with the server secret for
/// their personal link.
fn owner_mail(
    state: &AppState,
) -> (
    crate::security::Secret,
    impl Fn(&OwnerNamed) -> OutgoingMail + Send + 'static,
) {
    (
        state.secret.clone(),
        crate::mail::compose::proposals::owner_named(&state.renderer, state.config.base_url()),
    )
}

/// POST /s/{code}/voorstellen: a proposal from a cluster (`groep`, may be empty) or from a
/// new cluster (`nieuwe_groep`, its name), with extra sources (`bron`, repeated). An owner
/// address (`eigenaar_email`) gets a mail with the personal link.
pub async fn propose(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (secret, compose) = owner_mail(&state);
    let response = act(
        &state,
        &req,
        path.into_inner(),
        &body,
        |form| Typed {
            proposal: proposal_input(form),
            proposal_cluster: form.text("groep"),
            proposal_new_cluster: form.text("nieuwe_groep"),
            sources: form.all("bron").into_iter().map(String::from).collect(),
            ..Typed::default()
        },
        move |db, seat, form| {
            let cluster = form.text("groep");
            let cluster = Some(cluster.trim()).filter(|c| !c.is_empty());
            let sources: Vec<String> = form.all("bron").into_iter().map(String::from).collect();
            let mail = OwnerMail {
                secret: &secret,
                compose: &compose,
            };
            sensemaking::propose(
                db,
                seat,
                cluster,
                &form.text("nieuwe_groep"),
                &proposal_input(form),
                &sources,
                &mail,
                now_unix(),
            )
        },
        |id| format!("#voorstel-{id}"),
    )
    .await?;
    state.mail_notify.notify_one();
    Ok(response)
}

/// POST /s/{code}/voorstellen/{id}: changes a proposal of this table.
pub async fn edit_proposal(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (code, id) = path.into_inner();
    let anchor = format!("#voorstel-{id}");
    let editing = id.clone();
    let (secret, compose) = owner_mail(&state);
    let response = act(
        &state,
        &req,
        code,
        &body,
        move |form| Typed {
            proposal: proposal_input(form),
            editing,
            ..Typed::default()
        },
        move |db, seat, form| {
            let mail = OwnerMail {
                secret: &secret,
                compose: &compose,
            };
            sensemaking::edit_proposal(db, seat, &id, &proposal_input(form), &mail, now_unix())
        },
        move |_| anchor,
    )
    .await?;
    state.mail_notify.notify_one();
    Ok(response)
}

/// GET /s/{code}/tafel/stand: `{"revision": n, "closed": bool}` — polled by open boards
/// every 2 seconds, so it reads the session, the seat and the revision and nothing else.
pub async fn revision(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (session, seat) = match seated(&state, &req, &path.into_inner()).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let (db, table) = (state.db.clone(), seat.participant.table_id);
    let revision =
        blocking(move || sensemaking::revision(&db, &table).map_err(WebError::from)).await?;
    let body = serde_json::json!({
        "revision": revision.ok_or(WebError::NotFound)?,
        "closed": session.closed_at.is_some(),
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body))
}

/// GET /s/{code}/tafel/bord: the board alone (HTML), for the live update.
pub async fn board_fragment(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let screen = match screen(&state, &req, path.into_inner()).await? {
        Ok(s) => s,
        Err(response) => return Ok(response),
    };
    let (csrf_value, new_cookie) = crate::web::forms::csrf_cookie(&state, &req);
    let mut ctx = state.renderer.context("nl");
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    screen.fill(&state, &mut ctx).await?;
    ctx.insert("typed", &Typed::default());
    // The script moves the phase from the fragment to the top of the page.
    ctx.insert("phase_in_board", &true);
    let html = state.renderer.render("sensemaking/_board.html", &ctx)?;
    crate::web::forms::with_new_cookie(
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html),
        new_cookie,
    )
}
