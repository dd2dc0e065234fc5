//! Reading and moderating stories: the list with filters, one story with its answers, and the
//! posts that mark it reviewed, hide it, show it again or redact a fragment.
//!
//! Reading needs [`ProjectAction::Read`], every post [`ProjectAction::Moderate`] and a valid
//! CSRF token. A story is always looked up within the project of the URL, so an id of another
//! project is simply not found.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::{anonymise, privacy, Project};
use crate::exchange::timestamp::now_unix;
use crate::service::moderation::StaffFilter;
use crate::service::moderation::{self, ModerationError};
use crate::service::project_admin;
use crate::web::errors::WebError;
use crate::web::http::{self, blocking, page, safe_segment, see_other};
use crate::web::views::story::{LineView, StoryView};
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// The filters of the list: URL key, tab label, caption and the text for an empty list.
const FILTERS: [(StaffFilter, &str, &str, &str); 5] = [
    (
        StaffFilter::New,
        "nieuw",
        "Nieuw",
        "Er zijn geen nieuwe verhalen. Alles is bekeken.",
    ),
    (
        StaffFilter::All,
        "alle",
        "Alle verhalen",
        "Er zijn nog geen verhalen.",
    ),
    (
        StaffFilter::Hidden,
        "verborgen",
        "Verborgen",
        "Er zijn geen verborgen verhalen.",
    ),
    (
        StaffFilter::Withdrawn,
        "ingetrokken",
        "Ingetrokken",
        "Er zijn geen ingetrokken verhalen.",
    ),
    (
        StaffFilter::Unsafe,
        "onveilig",
        "Mogelijk onveilig: signaal nog niet afgehandeld",
        "Er zijn geen verhalen met een veiligheidssignaal dat nog open staat.",
    ),
];

/// The short tab label of a filter (the caption can be longer).
fn tab_label(filter: StaffFilter, caption: &'static str) -> &'static str {
    match filter {
        StaffFilter::Unsafe => "Mogelijk onveilig",
        _ => caption,
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    filter: Option<String>,
    pagina: Option<String>,
    /// Words to find in title or text.
    zoek: Option<String>,
}

#[derive(Serialize)]
struct FilterTab {
    key: &'static str,
    label: &'static str,
    count: i64,
    active: bool,
}

/// GET /beheer/p/{project}/verhalen?filter=nieuw|alle|verborgen|ingetrokken&pagina=N
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
    let chosen = FILTERS
        .iter()
        .find(|f| Some(f.1) == query.filter.as_deref())
        .unwrap_or(&FILTERS[0]);
    let wanted_page = query
        .pagina
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1);
    let search: String = query
        .zoek
        .as_deref()
        .unwrap_or_default()
        .trim()
        .chars()
        .take(200)
        .collect();
    let (db, me, key, filter) = (state.db.clone(), user.me.clone(), slug.clone(), chosen.0);
    let known = state.staff_lines.clone();
    let words = search.clone();
    let list = blocking(move || {
        let words = Some(words.as_str()).filter(|w| !w.is_empty());
        moderation::list(&db, &known, &me, &key, filter, words, wanted_page).map_err(WebError::from)
    })
    .await?;
    let search_query = serde_urlencoded::to_string([("zoek", search.as_str())]).unwrap_or_default();
    let tabs: Vec<FilterTab> = FILTERS
        .iter()
        .map(|f| FilterTab {
            key: f.1,
            label: tab_label(f.0, f.2),
            count: list.counts.of(f.0),
            active: f.0 == chosen.0,
        })
        .collect();
    let lines: Vec<LineView> = list
        .lines
        .into_iter()
        .map(|l| LineView::new(l, &project.questionnaire))
        .collect();
    page(
        &state,
        &req,
        Some(&user.me),
        StatusCode::OK,
        "admin/stories.html",
        |ctx| {
            ctx.insert("slug", &project.slug);
            ctx.insert("name", &project.name);
            ctx.insert("tabs", &tabs);
            ctx.insert("filter", chosen.1);
            ctx.insert("caption", chosen.2);
            ctx.insert("empty", chosen.3);
            ctx.insert("lines", &lines);
            ctx.insert("page", &list.page);
            ctx.insert("pages", &list.pages);
            ctx.insert("estimated", &list.estimated);
            ctx.insert("search", &search);
            ctx.insert("search_query", &search_query);
        },
    )
}

/// What a re-shown story page carries after a refused post: the message, and the value typed
/// in the field it is about (`reden` or `stukje`).
#[derive(Serialize, Default)]
struct Problem {
    message: String,
    field: &'static str,
    value: String,
}

#[derive(Deserialize, Default)]
pub struct StoryQuery {
    gedaan: Option<String>,
    aantal: Option<String>,
}

/// The notice after a successful post, chosen by key so that the URL cannot inject text.
fn done_notice(query: &StoryQuery) -> Option<String> {
    Some(match query.gedaan.as_deref()? {
        "bekeken" => "Het verhaal is gemarkeerd als bekeken.".to_string(),
        "verborgen" => {
            "Het verhaal is verborgen. Het telt niet meer mee in analyse en export.".to_string()
        }
        "getoond" => "Het verhaal telt weer mee in analyse en export.".to_string(),
        "signaal" => "Het veiligheidssignaal is gemarkeerd als afgehandeld.".to_string(),
        "term" => "De term is toegevoegd. Hij wordt nu in alle verhalen van dit project vervangen bij export.".to_string(),
        "term-bestond" => "Deze term stond al in de lijst van het project.".to_string(),
        "weggelakt" => {
            let n = query
                .aantal
                .as_deref()
                .and_then(|a| a.parse::<u32>().ok())
                .unwrap_or(0);
            format!("Weggelakt: het stukje is {n} keer vervangen door [weggelaten].")
        }
        _ => return None,
    })
}

/// How the story page is shown: its status and an optional notice or problem.
struct Feedback {
    status: StatusCode,
    notice: Option<String>,
    problem: Option<Problem>,
}

/// A word of the triage lists found in the story, with its category.
#[derive(Serialize)]
struct SignalWord {
    category: &'static str,
    term: String,
}

/// A piece of the export preview: text as it is, or a span replaced by its tag.
#[derive(Serialize)]
struct PreviewPart {
    text: String,
    tag: Option<&'static str>,
}

/// How the story's title and text leave the system (domain::anonymise with the project's
/// terms), shown so that a begeleider can spot what the anonymiser misses.
#[derive(Serialize)]
struct ExportPreview {
    title: Vec<PreviewPart>,
    body: Vec<PreviewPart>,
    /// (original, tag) of every replaced span.
    replaced: Vec<(String, &'static str)>,
}

impl ExportPreview {
    fn of(story: &crate::service::moderation::Story, project: &Project) -> Self {
        let terms = project.settings.privacy.extra_terms();
        let mut replaced = Vec::new();
        let mut parts = |text: &str| {
            let mut out = Vec::new();
            let mut at = 0;
            for span in anonymise::find(text, &terms) {
                if span.start > at {
                    out.push(PreviewPart {
                        text: text[at..span.start].to_string(),
                        tag: None,
                    });
                }
                out.push(PreviewPart {
                    text: String::new(),
                    tag: Some(span.kind.tag()),
                });
                replaced.push((text[span.start..span.end].to_string(), span.kind.tag()));
                at = span.end;
            }
            if at < text.len() {
                out.push(PreviewPart {
                    text: text[at..].to_string(),
                    tag: None,
                });
            }
            out
        };
        let title = parts(&story.record.title);
        let body = parts(&story.record.body);
        Self {
            title,
            body,
            replaced,
        }
    }
}

/// The kinds a begeleider may give a term: (code, label).
const TERM_KINDS: [(&str, &str); 3] = [
    ("naam", "naam"),
    ("organisatie", "organisatie"),
    ("adres", "adres of plaats"),
];

/// POST /beheer/p/{project}/verhalen/{id}/term: adds a term to the project's anonymiser list.
pub async fn add_term(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Edit)?;
    let form = http::posted_form(&state, &req, &body)?;
    let typed = form.text("term");
    let term = match privacy::parse_term(&typed, &form.text("soort")) {
        Ok(term) => term,
        Err(message) => {
            let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
            let feedback = Feedback {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                notice: None,
                problem: Some(Problem {
                    message,
                    field: "term",
                    value: typed,
                }),
            };
            return story_page(&state, &req, &user, &project, id, feedback).await;
        }
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let added = blocking(move || {
        project_admin::add_privacy_term(&db, &me, &key, &term).map_err(WebError::from)
    })
    .await?;
    state.projects.forget(&slug);
    let done = if added { "term" } else { "term-bestond" };
    Ok(see_other(&format!(
        "/beheer/p/{slug}/verhalen/{}?gedaan={done}#kop-export",
        safe_segment(&id)
    )))
}

/// Renders one story for this reader.
async fn story_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    project: &Project,
    id: String,
    feedback: Feedback,
) -> Result<HttpResponse, WebError> {
    let Feedback {
        status,
        notice,
        problem,
    } = feedback;
    let (db, me, key) = (state.db.clone(), user.me.clone(), project.slug.clone());
    let (story, questionnaire) =
        blocking(move || moderation::open(&db, &me, &key, &id).map_err(WebError::from)).await?;
    let can_moderate = user.me.access.can(&project.slug, ProjectAction::Moderate);
    // Which words gave the signal: story text, so only for people who may moderate.
    let signal_words: Vec<SignalWord> = if can_moderate
        && story.record.moderation.safety_flag.is_some()
        && story.record.moderation.text_deleted_at.is_none()
    {
        moderation::signal_words(&story, &project.settings.triage_terms)
            .hits
            .into_iter()
            .map(|h| SignalWord {
                category: h.category.label(),
                term: h.term,
            })
            .collect()
    } else {
        Vec::new()
    };
    let preview = ExportPreview::of(&story, project);
    let story = StoryView::new(story, questionnaire.as_ref());
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/stories_detail.html",
        |ctx| {
            ctx.insert("slug", &project.slug);
            ctx.insert("name", &project.name);
            ctx.insert("story", &story);
            ctx.insert("can_moderate", &can_moderate);
            ctx.insert("signal_words", &signal_words);
            ctx.insert("preview", &preview);
            ctx.insert(
                "can_edit",
                &user.me.access.can(&project.slug, ProjectAction::Edit),
            );
            ctx.insert("term_kinds", &TERM_KINDS);
            ctx.insert("keeps_originals", &project.settings.keep_redacted_originals);
            ctx.insert("notice", &notice);
            ctx.insert("error", &problem.as_ref().map(|p| p.message.clone()));
            ctx.insert("problem", &problem.unwrap_or_default());
        },
    )
}

/// GET /beheer/p/{project}/verhalen/{id}
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    query: web::Query<StoryQuery>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let feedback = Feedback {
        status: StatusCode::OK,
        notice: done_notice(&query),
        problem: None,
    };
    story_page(&state, &req, &user, &project, id, feedback).await
}

/// The moderation posts.
#[derive(Debug, Clone, Copy)]
enum Act {
    Reviewed,
    Hide,
    Show,
    Redact,
    SafetyHandled,
}

impl Act {
    /// The form field the begeleider types in, if any.
    fn field(self) -> &'static str {
        match self {
            Act::Hide => "reden",
            Act::Redact => "stukje",
            Act::Reviewed | Act::Show | Act::SafetyHandled => "",
        }
    }
}

async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
    act: Act,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Moderate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let project = crate::web::storytelling::project_or_404(&state, &slug).await?;
    let typed = form.text(act.field());
    let (db, me, key, story_id, input) = (
        state.db.clone(),
        user.me.clone(),
        slug.clone(),
        id.clone(),
        typed.clone(),
    );
    let outcome = blocking(move || {
        let now = now_unix();
        Ok::<_, WebError>(match act {
            Act::Reviewed => moderation::mark_reviewed(&db, &me, &key, &story_id, now)
                .map(|()| "gedaan=bekeken".to_string()),
            Act::Hide => moderation::hide(&db, &me, &key, &story_id, &input, now)
                .map(|()| "gedaan=verborgen".to_string()),
            Act::Show => moderation::show(&db, &me, &key, &story_id, now)
                .map(|()| "gedaan=getoond".to_string()),
            Act::Redact => moderation::redact(&db, &me, &key, &story_id, &input, now)
                .map(|n| format!("gedaan=weggelakt&aantal={n}")),
            Act::SafetyHandled => moderation::mark_safety_handled(&db, &me, &key, &story_id, now)
                .map(|()| "gedaan=signaal".to_string()),
        })
    })
    .await?;
    let (status, message) = match outcome {
        Ok(query) => {
            return Ok(see_other(&format!(
                "/beheer/p/{slug}/verhalen/{}?{query}",
                safe_segment(&id)
            )))
        }
        Err(ModerationError::Input(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(ModerationError::Withdrawn) => (
            StatusCode::CONFLICT,
            "Dit verhaal is ingetrokken door de verteller. Je kunt er niets meer aan veranderen."
                .to_string(),
        ),
        Err(ModerationError::Changed) => (
            StatusCode::CONFLICT,
            "Iemand anders heeft dit verhaal net veranderd. Lees het opnieuw en probeer het dan nog een keer."
                .to_string(),
        ),
        Err(e) => return Err(e.into()),
    };
    let problem = Problem {
        message,
        field: act.field(),
        value: typed,
    };
    let feedback = Feedback {
        status,
        notice: None,
        problem: Some(problem),
    };
    story_page(&state, &req, &user, &project, id, feedback).await
}

/// POST /beheer/p/{project}/verhalen/{id}/bekeken
pub async fn mark_reviewed(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    act(state, req, user, path, body, Act::Reviewed).await
}

/// POST /beheer/p/{project}/verhalen/{id}/verbergen (field `reden`)
pub async fn hide(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    act(state, req, user, path, body, Act::Hide).await
}

/// POST /beheer/p/{project}/verhalen/{id}/tonen
pub async fn unhide(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    act(state, req, user, path, body, Act::Show).await
}

/// POST /beheer/p/{project}/verhalen/{id}/weglakken (field `stukje`)
pub async fn redact(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    act(state, req, user, path, body, Act::Redact).await
}

/// POST /beheer/p/{project}/verhalen/{id}/signaal-afgehandeld
pub async fn safety_handled(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    act(state, req, user, path, body, Act::SafetyHandled).await
}
