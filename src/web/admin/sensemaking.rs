//! Planning and running duidingssessies: the begeleider plans a session, sets up tables with
//! cards, stories and earlier proposals, shares the join link (or mails it), follows the
//! tables, closes the session and prints the report.
//!
//! Reading needs [`ProjectAction::Read`], every post [`ProjectAction::Facilitate`].

use super::CurrentUser;
use crate::analysis::numbers::counted;
use crate::domain::accounts::ProjectAction;
use crate::domain::observation::ObservationStatus;
use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::{AfterClose, SessionPlan, TableColour};
use crate::exchange::timestamp::now_unix;
use crate::service::error::ServiceError;
use crate::service::observations;
use crate::service::proposals;
use crate::service::sensemaking::SessionRecord;
use crate::service::sensemaking::{
    self, MaterialChoice, SensemakingError, SessionDetail, TableView,
};
use crate::web::errors::WebError;
use crate::web::forms::PostedForm;
use crate::web::http::{self, blocking, page, see_other};
use crate::web::views::table::{BoardView, SessionInfo, TableInfo};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

fn plan_of(form: &PostedForm) -> SessionPlan {
    SessionPlan {
        title: form.text("titel"),
        date: form.text("datum"),
        time: form.text("tijd"),
        duration_minutes: form.text("duur"),
        place: form.text("plaats"),
        online: form.checked("online"),
        purpose: form.text("doel"),
        max_cards: form.text("max_kaarten"),
        max_stories: form.text("max_verhalen"),
        votes_per_person: form.text("stemmen"),
        after_close: form.text("na_sluiten"),
    }
}

fn plan_of_record(r: &SessionRecord) -> SessionPlan {
    let info = SessionInfo::new(r);
    SessionPlan {
        title: r.title.clone(),
        date: info.date,
        time: info.time,
        duration_minutes: r.duration_minutes.to_string(),
        place: r.place.clone(),
        online: r.is_online,
        purpose: r.purpose.clone(),
        max_cards: r.max_cards.to_string(),
        max_stories: r.max_stories.to_string(),
        votes_per_person: r.votes_per_person.to_string(),
        after_close: r.after_close.clone(),
    }
}

#[derive(Serialize)]
struct SessionRow {
    id: String,
    title: String,
    when: String,
    place: String,
    closed: bool,
}

/// The list of sessions with the form to plan one (and its problems, with what was typed).
async fn list_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    status: StatusCode,
    problems: Vec<FieldProblem>,
    typed: SessionPlan,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
    let records =
        blocking(move || sensemaking::list(&db, &me, &key).map_err(WebError::from)).await?;
    let rows: Vec<SessionRow> = records
        .iter()
        .map(|r| {
            let info = SessionInfo::new(r);
            SessionRow {
                id: r.id.clone(),
                title: r.title.clone(),
                when: info.when,
                place: info.place,
                closed: info.closed,
            }
        })
        .collect();
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/sensemaking_sessions.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &project.name);
            ctx.insert("rows", &rows);
            ctx.insert("can_edit", &can_edit);
            ctx.insert("problems", &problems);
            ctx.insert("plan", &typed);
            ctx.insert("after_close", &AfterClose::options());
        },
    )
}

/// GET /beheer/p/{project}/sessies
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    list_page(
        &state,
        &req,
        &user,
        &slug,
        StatusCode::OK,
        Vec::new(),
        SessionPlan::default(),
    )
    .await
}

/// POST /beheer/p/{project}/sessies
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let slug = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let typed = plan_of(&form);
    let plan = match typed.check() {
        Ok(plan) => plan,
        Err(problems) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return list_page(&state, &req, &user, &slug, status, problems, typed).await;
        }
    };
    let (db, me, key, secret) = (
        state.db.clone(),
        user.me.clone(),
        slug.clone(),
        state.secret.clone(),
    );
    let id = blocking(move || {
        sensemaking::create(&db, &me, &secret, &key, &plan, now_unix()).map_err(WebError::from)
    })
    .await?;
    Ok(see_other(&format!("/beheer/p/{slug}/sessies/{id}")))
}

pub(super) async fn open_session(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: &str,
) -> Result<SessionDetail, WebError> {
    let (db, me, key, id) = (
        state.db.clone(),
        user.me.clone(),
        slug.to_string(),
        id.to_string(),
    );
    blocking(move || sensemaking::open(&db, &me, &key, &id).map_err(WebError::from)).await
}

/// A ready card that can be put on a table, with its typical stories.
#[derive(Serialize)]
struct CardChoice {
    id: String,
    title: String,
    theme: String,
    stories: Vec<(String, String)>,
}

#[derive(Serialize)]
struct ProposalChoice {
    id: String,
    title: String,
    status: String,
}

/// One checkbox of the material form.
#[derive(Serialize, Debug, PartialEq)]
struct Tick {
    id: String,
    title: String,
    checked: bool,
}

/// A ready card in a table's material form, with its typical stories under it.
#[derive(Serialize, Debug)]
struct CardTick {
    id: String,
    title: String,
    theme: String,
    checked: bool,
    /// Its typical stories that are not already listed under an earlier card.
    stories: Vec<Tick>,
}

/// A table's material form: every box ticked as chosen (or as just posted, when the post was
/// refused), so that saving it unchanged keeps the material.
#[derive(Serialize, Debug)]
struct MaterialForm {
    cards: Vec<CardTick>,
    /// Chosen stories that are no typical story of a ready card, ticked.
    other_stories: Vec<Tick>,
    /// Story numbers typed in the "add" field of a refused post ('' otherwise).
    extra: String,
    proposals: Vec<Tick>,
    /// "2 kaarten en 5 verhalen": what the table reads now.
    summary: String,
    /// The confirmation after the material was saved (this table only).
    saved: Option<String>,
    /// Which text each story at the table gets.
    texts: Vec<StoryText>,
}

/// Which text a story at a table gets: without names and numbers, or (approved, when its
/// teller allowed quotes) its own.
#[derive(Serialize, Debug)]
struct StoryText {
    id: String,
    title: String,
    /// The teller allowed quotes: the begeleider may approve the own text.
    may_approve: bool,
    approved: bool,
    label: &'static str,
}

fn story_texts(table: &TableView, ticked: &Ticked) -> Vec<StoryText> {
    table
        .stories
        .iter()
        .map(|(s, _)| {
            let id = &s.record.id;
            let approved = s.record.consent_quotes && ticked.originals.contains(id);
            StoryText {
                id: id.clone(),
                title: s.record.title.clone(),
                may_approve: s.record.consent_quotes,
                approved,
                label: if table.shows_original(id) {
                    "Aan tafel: de eigen tekst (toegestaan)"
                } else {
                    "Aan tafel: tekst zonder namen en nummers"
                },
            }
        })
        .collect()
}

/// What the boxes of a material form say: the table's material, or a refused post.
#[derive(Clone, Debug, Default)]
struct Ticked {
    cards: Vec<String>,
    stories: Vec<String>,
    proposals: Vec<String>,
    extra: String,
    /// Stories whose own text the table reads (approved by a begeleider).
    originals: Vec<String>,
}

impl Ticked {
    fn of_table(t: &TableView) -> Self {
        Ticked {
            cards: t.cards.iter().map(|c| c.record.id.clone()).collect(),
            stories: t.stories.iter().map(|(s, _)| s.record.id.clone()).collect(),
            proposals: t.reopened.iter().map(|p| p.id.clone()).collect(),
            extra: String::new(),
            originals: t.originals.clone(),
        }
    }

    fn posted(form: &PostedForm) -> Self {
        let all =
            |name: &str| -> Vec<String> { form.all(name).into_iter().map(String::from).collect() };
        Ticked {
            cards: all("kaart"),
            stories: all("verhaal"),
            proposals: all("voorstel"),
            extra: form.text("extra_verhalen"),
            originals: all("eigen_tekst"),
        }
    }
}

/// "2 kaarten en 5 verhalen" (with the earlier proposals when there are any).
fn material_summary(t: &TableView) -> String {
    let count = |n: usize, one: &str, many: &str| counted(n as u64, one, many);
    let cards = count(t.cards.len(), "kaart", "kaarten");
    let stories = count(t.stories.len(), "verhaal", "verhalen");
    if t.reopened.is_empty() {
        format!("{cards} en {stories}")
    } else {
        let reopened = count(t.reopened.len(), "eerder voorstel", "eerdere voorstellen");
        format!("{cards}, {stories} en {reopened}")
    }
}

/// The material form of `table` with the boxes of `ticked` ticked. A story that is typical for
/// several cards is listed once, under the first; chosen stories of no listed card follow.
fn material_form(
    table: &TableView,
    ticked: &Ticked,
    cards: &[CardChoice],
    proposals: &[ProposalChoice],
) -> MaterialForm {
    let mut listed: Vec<&str> = Vec::new();
    let cards = cards
        .iter()
        .map(|c| CardTick {
            id: c.id.clone(),
            title: c.title.clone(),
            theme: c.theme.clone(),
            checked: ticked.cards.contains(&c.id),
            stories: c
                .stories
                .iter()
                .filter(|(id, _)| {
                    let new = !listed.contains(&id.as_str());
                    listed.push(id);
                    new
                })
                .map(|(id, title)| Tick {
                    id: id.clone(),
                    title: title.clone(),
                    checked: ticked.stories.contains(id),
                })
                .collect(),
        })
        .collect();
    let mut other_stories: Vec<Tick> = Vec::new();
    for id in &ticked.stories {
        if listed.contains(&id.as_str()) || other_stories.iter().any(|o| o.id == *id) {
            continue;
        }
        let title = table
            .stories
            .iter()
            .find(|(s, _)| s.record.id == *id)
            .map(|(s, _)| s.record.title.clone())
            .unwrap_or_default();
        other_stories.push(Tick {
            id: id.clone(),
            title,
            checked: true,
        });
    }
    MaterialForm {
        cards,
        other_stories,
        extra: ticked.extra.clone(),
        proposals: proposals
            .iter()
            .map(|p| Tick {
                id: p.id.clone(),
                title: format!("{} ({})", p.title, p.status.to_lowercase()),
                checked: ticked.proposals.contains(&p.id),
            })
            .collect(),
        summary: material_summary(table),
        saved: None,
        texts: story_texts(table, ticked),
    }
}

/// A table on the session page, with its material form.
#[derive(Serialize)]
struct TableRow {
    #[serde(flatten)]
    info: TableInfo,
    material: MaterialForm,
}

/// Problems of a refused post, shown at the part of the page it came from.
#[derive(Default)]
struct Refused {
    problems: Vec<FieldProblem>,
    /// The table whose form was refused ('' for the session's own forms).
    table: String,
    plan: Option<SessionPlan>,
    addresses: String,
    notice: Option<String>,
    /// The material as posted, for the refused table's form.
    material: Option<Ticked>,
    /// The table whose material was just saved.
    saved_table: Option<String>,
}

async fn session_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    status: StatusCode,
    refused: Refused,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let session = open_session(state, user, slug, id).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
    let (cards, proposals) = blocking(move || {
        let ready = observations::list(&db, &me, &key)?
            .into_iter()
            .filter(|o| {
                o.status == ObservationStatus::Klaar.key()
                    || o.status == ObservationStatus::Gebruikt.key()
            })
            .map(|o| observations::open(&db, &me, &key, &o.id))
            .collect::<Result<Vec<_>, _>>()?;
        let proposals = proposals::list(&db, &me, &key, None).map_err(|e| match e {
            proposals::ProposalError::Core(ServiceError::Store(s)) => WebError::Store(s),
            _ => WebError::Forbidden,
        })?;
        Ok::<_, WebError>((ready, proposals))
    })
    .await?;
    let cards: Vec<CardChoice> = cards
        .iter()
        .map(|c| CardChoice {
            id: c.record.id.clone(),
            title: c.record.title.clone(),
            theme: c.record.theme.clone(),
            stories: c
                .stories
                .iter()
                .map(|(s, _)| (s.record.id.clone(), s.record.title.clone()))
                .collect(),
        })
        .collect();
    let proposals: Vec<ProposalChoice> = proposals
        .iter()
        .filter(|p| p.record.session_id.as_deref() != Some(id))
        .map(|p| ProposalChoice {
            id: p.record.id.clone(),
            title: p.record.title.clone(),
            status: p.status.label().to_string(),
        })
        .collect();
    let tables: Vec<TableRow> = session
        .tables
        .iter()
        .map(|t| {
            let posted = refused
                .material
                .as_ref()
                .filter(|_| refused.table == t.record.id);
            let ticked = posted.cloned().unwrap_or_else(|| Ticked::of_table(t));
            let mut material = material_form(t, &ticked, &cards, &proposals);
            if refused.saved_table.as_deref() == Some(t.record.id.as_str()) {
                material.saved = Some(format!(
                    "Het materiaal is bewaard: {} op {}.",
                    material.summary, t.record.name
                ));
            }
            TableRow {
                info: TableInfo::new(t, &session),
                material,
            }
        })
        .collect();
    let code = sensemaking::code_of(&state.secret, &session.record);
    let link = format!("{}/s/{code}", state.config.base_url());
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    let plan = refused
        .plan
        .unwrap_or_else(|| plan_of_record(&session.record));
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/sensemaking_session.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &project.name);
            ctx.insert("session", &SessionInfo::new(&session.record));
            ctx.insert("plan", &plan);
            ctx.insert("tables", &tables);
            ctx.insert("any_cards", &!cards.is_empty());
            ctx.insert("any_proposals", &!proposals.is_empty());
            ctx.insert("participants", &session.participants.len());
            ctx.insert("link", &link);
            ctx.insert("can_edit", &can_edit);
            ctx.insert("colours", &TableColour::options());
            ctx.insert("after_close", &AfterClose::options());
            ctx.insert("problems", &refused.problems);
            ctx.insert("refused_table", &refused.table);
            ctx.insert("addresses", &refused.addresses);
            ctx.insert("notice", &refused.notice);
        },
    )
}

/// GET /beheer/p/{project}/sessies/{id}
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let query = req.query_string();
    // Shown once: the notice is a cookie the page removes (`web::flash`).
    let left = crate::web::flash::take(&state, &req, &id);
    let notice = left.as_deref().and_then(|code| match code {
        "nieuwe-link" => Some("Er is een nieuwe link. De oude link werkt niet meer.".to_string()),
        "verstuurd-1" => Some("De uitnodiging wordt verstuurd.".to_string()),
        other => other
            .strip_prefix("verstuurd-")
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| format!("De {n} uitnodigingen worden verstuurd.")),
    });
    let refused = Refused {
        notice,
        saved_table: query.strip_prefix("materiaal=").map(String::from),
        ..Refused::default()
    };
    let mut response =
        session_page(&state, &req, &user, &slug, &id, StatusCode::OK, refused).await?;
    if left.is_some() {
        crate::web::flash::clear(&state, &mut response)?;
    }
    Ok(response)
}

/// Runs a begeleider's post on a session: back to the session page (at `anchor`, with the
/// one-time `notice` code for the value, if any) when it worked, the page with the problems
/// and the typed text when it did not.
#[allow(clippy::too_many_arguments)] // the steps of one post, each a closure or the route
async fn post_on_session<T: Send + 'static>(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (slug, id, anchor): (String, String, &str),
    body: &[u8],
    refused: impl FnOnce(&PostedForm) -> Refused,
    act: impl FnOnce(&crate::service::Database, &PostedForm) -> Result<T, SensemakingError>
        + Send
        + 'static,
    notice: impl FnOnce(&T) -> Option<String>,
) -> Result<HttpResponse, WebError> {
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(state, req, body)?;
    let kept = refused(&form);
    let (db, posted) = (state.db.clone(), form.clone());
    match blocking(move || Ok::<_, WebError>(act(&db, &posted))).await? {
        Ok(value) => {
            let mut response = see_other(&format!("/beheer/p/{slug}/sessies/{id}{anchor}"));
            if let Some(code) = notice(&value) {
                crate::web::flash::leave(state, &mut response, &id, &code)?;
            }
            Ok(response)
        }
        Err(SensemakingError::Input(problems)) => {
            let refused = Refused { problems, ..kept };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            session_page(state, req, user, &slug, &id, status, refused).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /beheer/p/{project}/sessies/{id}: the plan.
pub async fn save(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    let me = user.me.clone();
    let (s, i) = (slug.clone(), id.clone());
    post_on_session(
        &state,
        &req,
        &user,
        (slug, id, ""),
        &body,
        |form| Refused {
            plan: Some(plan_of(form)),
            ..Refused::default()
        },
        move |db, form| {
            let plan = plan_of(form).check().map_err(SensemakingError::Input)?;
            sensemaking::save_plan(db, &me, &s, &i, &plan, now_unix())
        },
        |_| None,
    )
    .await
}

/// POST …/tafels: a new table.
pub async fn add_table(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    let me = user.me.clone();
    let (s, i) = (slug.clone(), id.clone());
    post_on_session(
        &state,
        &req,
        &user,
        (slug, id, "#tafels"),
        &body,
        |_| Refused {
            table: "nieuw".into(),
            ..Refused::default()
        },
        move |db, form| {
            sensemaking::add_table(
                db,
                &me,
                &s,
                &i,
                &form.text("naam"),
                &form.text("kleur"),
                now_unix(),
            )
        },
        |_| None,
    )
    .await
}

/// POST …/tafels/{table}: name and colour.
pub async fn save_table(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, table) = path.into_inner();
    let me = user.me.clone();
    let (s, i, t) = (slug.clone(), id.clone(), table.clone());
    let anchor = format!("#tafel-{table}");
    post_on_session(
        &state,
        &req,
        &user,
        (slug, id, &anchor),
        &body,
        |_| Refused {
            table: table.clone(),
            ..Refused::default()
        },
        move |db, form| {
            sensemaking::save_table(
                db,
                &me,
                &s,
                &i,
                &t,
                &form.text("naam"),
                &form.text("kleur"),
                now_unix(),
            )
        },
        |_| None,
    )
    .await
}

/// POST …/tafels/{table}/materiaal: `kaart`, `verhaal` and `voorstel` (repeated checkboxes)
/// and `extra_verhalen` (ids typed, separated by spaces, commas or new lines).
pub async fn set_material(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, table) = path.into_inner();
    let me = user.me.clone();
    let (s, i, t) = (slug.clone(), id.clone(), table.clone());
    let safe = http::safe_segment(&table);
    let anchor = format!("?materiaal={safe}#tafel-{safe}");
    post_on_session(
        &state,
        &req,
        &user,
        (slug, id, &anchor),
        &body,
        |form| Refused {
            table: table.clone(),
            material: Some(Ticked::posted(form)),
            ..Refused::default()
        },
        move |db, form| {
            let ticked = Ticked::posted(form);
            let mut stories = ticked.stories;
            stories.extend(
                ticked
                    .extra
                    .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(|s| s.to_uppercase()),
            );
            let choice = MaterialChoice {
                cards: ticked.cards,
                stories,
                proposals: ticked.proposals,
                originals: ticked.originals,
            };
            sensemaking::set_material(db, &me, &s, &i, &t, &choice, now_unix())
        },
        |_| None,
    )
    .await
}

/// POST …/tafels/{table}/weg
pub async fn remove_table(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, table) = path.into_inner();
    let me = user.me.clone();
    let (s, i) = (slug.clone(), id.clone());
    post_on_session(
        &state,
        &req,
        &user,
        (slug, id, "#tafels"),
        &body,
        |_| Refused::default(),
        move |db, _| sensemaking::remove_table(db, &me, &s, &i, &table, now_unix()),
        |_| None,
    )
    .await
}

/// POST …/sluiten or …/openen
pub async fn set_closed(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, verb) = path.into_inner();
    let me = user.me.clone();
    let (s, i) = (slug.clone(), id.clone());
    post_on_session(
        &state,
        &req,
        &user,
        (slug, id, ""),
        &body,
        |_| Refused::default(),
        move |db, _| sensemaking::set_closed(db, &me, &s, &i, verb == "sluiten", now_unix()),
        |_| None,
    )
    .await
}

/// POST …/nieuwe-link: a new join code; the old link stops working.
pub async fn renew_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    let (me, secret) = (user.me.clone(), state.secret.clone());
    let (s, i) = (slug.clone(), id.clone());
    post_on_session(
        &state,
        &req,
        &user,
        (slug, id, "#link-kop"),
        &body,
        |_| Refused::default(),
        move |db, _| sensemaking::renew_code(db, &me, &secret, &s, &i, now_unix()),
        |_| Some("nieuwe-link".to_string()),
    )
    .await
}

/// POST …/uitnodigen: `adressen`, one or more e-mail addresses.
pub async fn invite(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let compose = crate::mail::compose::sensemaking::invitation(
        &state.renderer,
        &state.secret,
        state.config.base_url(),
        &project.name,
        &user.me.name,
    );
    let me = user.me.clone();
    let (s, i) = (slug.clone(), id.clone());
    let response = post_on_session(
        &state,
        &req,
        &user,
        (slug, id, "#link-kop"),
        &body,
        |form| Refused {
            addresses: form.text("adressen"),
            table: "uitnodigen".into(),
            ..Refused::default()
        },
        move |db, form| {
            sensemaking::invite(
                db,
                &me,
                &s,
                &i,
                &form.text("adressen"),
                &compose,
                now_unix(),
            )
        },
        |count: &usize| Some(format!("verstuurd-{count}")),
    )
    .await?;
    state.mail_notify.notify_one();
    Ok(response)
}

/// GET …/tafels/{table}: one table's board, read-only, for the begeleider.
pub async fn table(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id, table_id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let session = open_session(&state, &user, &slug, &id).await?;
    let view = session.table(&table_id).ok_or(WebError::NotFound)?;
    let info = TableInfo::new(view, &session);
    let (db, record, t) = (state.db.clone(), session.record.clone(), table_id.clone());
    let board =
        blocking(move || sensemaking::board(&db, &record, &t, None).map_err(WebError::from))
            .await?;
    let board = BoardView::new(&board, &info, None);
    let can_edit = user.me.access.can(&slug, ProjectAction::Facilitate);
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/sensemaking_table.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("name", &project.name);
            ctx.insert("session", &SessionInfo::new(&session.record));
            ctx.insert("table", &info);
            ctx.insert("board", &board);
            ctx.insert("code", "");
            ctx.insert("read_only", &true);
            ctx.insert(
                "phase",
                &crate::render::session::PhaseView::of(&session.record, now_unix()),
            );
            if can_edit {
                ctx.insert(
                    "remove_base",
                    &format!("/beheer/p/{slug}/sessies/{id}/tafels/{table_id}/notities"),
                );
            }
        },
    )
}

/// POST …/tafels/{table}/notities/{note}/weg
pub async fn remove_note(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, table, note) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    http::posted_form(&state, &req, &body)?;
    let (db, me, s, i, t) = (
        state.db.clone(),
        user.me.clone(),
        slug.clone(),
        id.clone(),
        table.clone(),
    );
    blocking(move || {
        sensemaking::remove_note(&db, &me, &s, &i, &t, &note, now_unix()).map_err(WebError::from)
    })
    .await?;
    Ok(see_other(&format!(
        "/beheer/p/{slug}/sessies/{id}/tafels/{table}"
    )))
}

/// GET …/verslag
pub async fn report(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let session = open_session(&state, &user, &slug, &id).await?;
    let report = crate::web::sensemaking::report_view(&state, &session).await?;
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/sensemaking_report.html",
        |ctx| {
            ctx.insert("slug", &slug);
            ctx.insert("name", &project.name);
            ctx.insert("report", &report);
        },
    )
}

/// GET …/verslag.pdf
pub async fn report_pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let session = open_session(&state, &user, &slug, &id).await?;
    let report = crate::web::sensemaking::report_view(&state, &session).await?;
    let doc = super::sensemaking_pdf::document(&project.name, &report);
    let bytes = blocking(move || {
        crate::pdf::session_report(&doc).map_err(|e| {
            tracing::error!(error = %e, "session report PDF failed");
            WebError::Unavailable
        })
    })
    .await?;
    let file = format!("verslag-{id}.pdf");
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{file}\""),
        ))
        .insert_header(crate::web::http::NO_STORE)
        .body(bytes))
}
