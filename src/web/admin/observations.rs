//! Observaties: made from a pattern on the pattern page (or from scratch), edited with two to
//! five interpretations, a theme, typical stories and quotes, listed by theme and shown as a
//! printable card.
//!
//! Adding or removing an interpretation works without JavaScript: the buttons post the whole
//! form, which comes back with everything typed and one box more or less (not saved yet).
//!
//! Reading needs [`ProjectAction::Read`], every post [`ProjectAction::Facilitate`] and a
//! valid CSRF token.

use super::CurrentUser;
use crate::domain::accounts::ProjectAction;
use crate::domain::observation::{
    ObservationStatus, ObservationText, INTERPRETATION_FIELDS, MAX_INTERPRETATIONS,
    MIN_INTERPRETATIONS,
};
use crate::domain::project_form::FieldProblem;
use crate::exchange::timestamp::now_unix;
use crate::service::accounts::SignedIn;
use crate::service::comparison_cards;
use crate::service::observations::{self, ObservationDetail, ObservationError, PatternSnapshot};
use crate::web::errors::WebError;
use crate::web::forms::PostedForm;
use crate::web::http::{self, blocking, page, see_other};
use crate::web::views::card;
use crate::web::views::comparison;
use crate::web::views::filters::{self, Filtered};
use crate::web::views::pattern::{kind_key, parse_kind};
use crate::web::views::story::StoryView;
use crate::web::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

/// Scans again with the filters in `filter_query` and takes the figures of the pattern named
/// by `kind` and `questions`. `Ok(Err(message))` when that pattern has no result now.
async fn take_snapshot(
    state: &AppState,
    slug: &str,
    filter_query: &str,
    kind: &str,
    questions: &str,
) -> Result<Result<PatternSnapshot, String>, WebError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(filter_query).map_err(|_| WebError::BadRequest("filter"))?;
    let Some(kind) = parse_kind(kind) else {
        return Ok(Err("Dit soort patroon kennen we niet.".to_string()));
    };
    let questions: Vec<String> = questions.split(',').map(String::from).collect();
    let f = std::sync::Arc::new(filters::filtered(state, slug, &pairs).await?);
    let cache = state.analysis.clone();
    blocking(move || {
        let source = pattern_source(&cache, &f);
        observations::take_snapshot(&source, kind, &questions, crate::web::views::pattern::chart)
    })
    .await
}

/// The filtered project data as the observation services read it.
fn pattern_source<'a>(
    cache: &'a crate::service::analysis::AnalysisCache,
    f: &'a Filtered,
) -> observations::PatternSource<'a> {
    observations::PatternSource {
        cache,
        data: &f.data,
        filter: &f.filter,
        selection: &f.selection,
        filter_query: f.form.query(),
        filter_text: f
            .form
            .chips(&f.data, "")
            .into_iter()
            .map(|c| c.text)
            .collect(),
    }
}

/// One theme on the list of observations.
#[derive(Serialize)]
struct ThemeView {
    /// Empty for the observations without a theme.
    name: String,
    /// (id, title, status label)
    rows: Vec<(String, String, String)>,
    /// Cards of this theme ready for a session.
    ready: usize,
    /// The deck of this theme's ready cards (none without a theme or without ready cards).
    deck: Option<String>,
}

/// The list of observations by theme, with problems of a refused post (making one, or a deck
/// of a theme that does not exist) and the title typed.
pub(super) async fn list_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    status: StatusCode,
    problems: Vec<FieldProblem>,
    typed_title: String,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
    let groups =
        blocking(move || observations::by_theme(&db, &me, &key).map_err(WebError::from)).await?;
    let themes: Vec<ThemeView> = groups
        .into_iter()
        .map(|g| {
            let deck = (!g.name.is_empty() && g.ready > 0).then(|| {
                let query = serde_urlencoded::to_string([("thema", &g.name)]).unwrap_or_default();
                format!("/beheer/p/{slug}/observaties/kaarten.pdf?{query}")
            });
            ThemeView {
                rows: g
                    .observations
                    .into_iter()
                    .map(|r| {
                        let status = ObservationStatus::parse(&r.status)
                            .unwrap_or(ObservationStatus::Concept);
                        (r.id, r.title, status.label().to_string())
                    })
                    .collect(),
                ready: g.ready,
                deck,
                name: g.name,
            }
        })
        .collect();
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    page(
        state,
        req,
        Some(&user.me),
        status,
        "admin/observations.html",
        |ctx| {
            ctx.insert("slug", slug);
            ctx.insert("name", &project.name);
            ctx.insert("themes", &themes);
            ctx.insert("can_edit", &can_edit);
            ctx.insert("problems", &problems);
            ctx.insert("typed_title", &typed_title);
        },
    )
}

/// GET /beheer/p/{project}/observaties
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
        String::new(),
    )
    .await
}

/// POST /beheer/p/{project}/observaties: from a pattern (`soort`, `vragen`, `filter`) or from
/// scratch (`titel`).
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
    let kind = form.text("soort");
    let snapshot = if kind.is_empty() {
        None
    } else {
        match take_snapshot(
            &state,
            &slug,
            &form.text("filter"),
            &kind,
            &form.text("vragen"),
        )
        .await?
        {
            Ok(s) => Some(s),
            Err(message) => {
                let problems = vec![FieldProblem {
                    field: "patroon",
                    message,
                }];
                let status = StatusCode::CONFLICT;
                return list_page(&state, &req, &user, &slug, status, problems, String::new())
                    .await;
            }
        }
    };
    let title = match (&snapshot, form.text("titel").trim()) {
        (Some(s), "") => s.labels.join(" × "),
        (_, typed) => typed.to_string(),
    };
    let (db, me, key) = (state.db.clone(), user.me.clone(), slug.clone());
    let created = blocking(move || {
        Ok::<_, WebError>(observations::create(
            &db,
            &me,
            &key,
            &title,
            snapshot.as_ref(),
            now_unix(),
        ))
    })
    .await?;
    match created {
        Ok(id) => Ok(see_other(&format!("/beheer/p/{slug}/observaties/{id}"))),
        Err(ObservationError::Input(problems)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            list_page(
                &state,
                &req,
                &user,
                &slug,
                status,
                problems,
                form.text("titel"),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct QuoteView {
    id: String,
    story_id: String,
    text: String,
}

#[derive(Serialize)]
struct ProposalView {
    id: String,
    title: String,
    group: String,
    reason: String,
}

/// What a re-shown page carries after a refused post (or a box added or removed).
#[derive(Default)]
struct Feedback {
    status: Option<StatusCode>,
    problems: Vec<FieldProblem>,
    notice: Option<String>,
    typed: Option<(ObservationText, String)>,
}

fn text_of(detail: &ObservationDetail) -> ObservationText {
    let r = &detail.record;
    ObservationText {
        title: r.title.clone(),
        description: r.description.clone(),
        interpretations: detail.interpretations.clone(),
        notes: r.notes.clone(),
        theme: r.theme.clone(),
    }
}

/// Typical stories proposed for the observation's pattern, on the current data with the
/// pattern's own filters, leaving out stories already chosen.
async fn proposals(
    state: &AppState,
    me: &SignedIn,
    slug: &str,
    snapshot: &PatternSnapshot,
    chosen: Vec<String>,
) -> Result<Vec<ProposalView>, WebError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&snapshot.filter).unwrap_or_default();
    let f = std::sync::Arc::new(filters::filtered(state, slug, &pairs).await?);
    let (cache, db, me) = (state.analysis.clone(), state.db.clone(), me.clone());
    let (key, pattern) = (slug.to_string(), snapshot.pattern.clone());
    let found = blocking(move || {
        let source = pattern_source(&cache, &f);
        observations::typical_stories(&db, &me, &key, &source, &pattern, &chosen)
    })
    .await?;
    Ok(found
        .into_iter()
        .map(|t| ProposalView {
            id: t.id,
            title: t.title,
            group: t.group,
            reason: t.reason,
        })
        .collect())
}

async fn detail_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    template: &str,
    feedback: Feedback,
) -> Result<HttpResponse, WebError> {
    let project = crate::web::storytelling::project_or_404(state, slug).await?;
    let (db, me, key, oid) = (
        state.db.clone(),
        user.me.clone(),
        slug.to_string(),
        id.to_string(),
    );
    let detail =
        blocking(move || observations::open(&db, &me, &key, &oid).map_err(WebError::from)).await?;
    let can_edit = user.me.access.can(slug, ProjectAction::Facilitate);
    let chosen: Vec<String> = detail
        .stories
        .iter()
        .map(|(s, _)| s.record.id.clone())
        .collect();
    let proposed = match (
        &detail.snapshot,
        can_edit && template == "admin/observation.html",
    ) {
        (Some(snapshot), true) => proposals(state, &user.me, slug, snapshot, chosen).await?,
        _ => Vec::new(),
    };
    let (text, status_key) = feedback
        .typed
        .unwrap_or_else(|| (text_of(&detail), detail.status.key().to_string()));
    // The themes already used, to choose from on the form.
    let themes = if can_edit && template == "admin/observation.html" {
        let (db, me, key) = (state.db.clone(), user.me.clone(), slug.to_string());
        blocking(move || observations::theme_names(&db, &me, &key).map_err(WebError::from)).await?
    } else {
        Vec::new()
    };
    let quotable: Vec<(String, String)> = detail
        .stories
        .iter()
        // Quotes are taken from the card's own project (`observations::add_quote`).
        .filter(|(s, _)| s.record.consent_quotes && s.record.project_slug == slug)
        .map(|(s, _)| (s.record.id.clone(), s.record.title.clone()))
        .collect();
    // The project of each story: a card from a comparison of projects has typical stories
    // of the other project too.
    let homes: Vec<String> = detail
        .stories
        .iter()
        .map(|(s, _)| s.record.project_slug.clone())
        .collect();
    let stories: Vec<StoryView> = detail
        .stories
        .into_iter()
        .map(|(s, q)| StoryView::new(s, q.as_ref()))
        .collect();
    // Figures of a card from a comparison made before its settings were kept cannot be taken
    // again: the page says so instead.
    let old_comparison = detail
        .snapshot
        .as_ref()
        .is_some_and(|s| s.comparison.is_none() && comparison_cards::is_comparison(s));
    let quotes: Vec<QuoteView> = detail
        .quotes
        .iter()
        .map(|q| QuoteView {
            id: q.id.clone(),
            story_id: q.story_id.clone(),
            text: q.text.clone(),
        })
        .collect();
    let statuses: Vec<(&str, &str)> = ObservationStatus::ALL
        .iter()
        .map(|s| (s.key(), s.label()))
        .collect();
    let figures_at = detail
        .record
        .figures_at
        .map(crate::web::views::story::nl_date);
    // The card's chart and figures, cut to what a card holds, as the printed card has them.
    let card = match (&detail.snapshot, template) {
        (Some(s), "admin/observation_card.html") => Some(card::CardView::of(&card::figures(
            s,
            detail.record.figures_at,
        ))),
        _ => None,
    };
    let status = feedback.status.unwrap_or(StatusCode::OK);
    page(state, req, Some(&user.me), status, template, |ctx| {
        ctx.insert("slug", slug);
        ctx.insert("name", &project.name);
        ctx.insert("id", id);
        ctx.insert("text", &text);
        ctx.insert("fields", &INTERPRETATION_FIELDS);
        ctx.insert("max_interpretations", &MAX_INTERPRETATIONS);
        ctx.insert("themes", &themes);
        ctx.insert("status_key", &status_key);
        ctx.insert("status_label", detail.status.label());
        ctx.insert("statuses", &statuses);
        ctx.insert("snapshot", &detail.snapshot);
        ctx.insert("figures_at", &figures_at);
        ctx.insert("card", &card);
        ctx.insert("stories", &stories);
        ctx.insert("homes", &homes);
        ctx.insert("old_comparison", &old_comparison);
        ctx.insert("old_comparison_text", OLD_COMPARISON_CARD);
        ctx.insert("stories_removed", &detail.stories_removed);
        ctx.insert("quotes", &quotes);
        ctx.insert("quotes_removed", &detail.quotes_removed);
        ctx.insert("quotable", &quotable);
        ctx.insert("proposals", &proposed);
        ctx.insert("can_edit", &can_edit);
        ctx.insert("problems", &feedback.problems);
        ctx.insert("notice", &feedback.notice);
        ctx.insert("today", &crate::web::views::story::nl_date(now_unix()));
    })
}

/// GET /beheer/p/{project}/observaties/{id}
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    detail_page(
        &state,
        &req,
        &user,
        &slug,
        &id,
        "admin/observation.html",
        Feedback::default(),
    )
    .await
}

/// GET /beheer/p/{project}/observaties/{id}/kaart
pub async fn card(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Read)?;
    detail_page(
        &state,
        &req,
        &user,
        &slug,
        &id,
        "admin/observation_card.html",
        Feedback::default(),
    )
    .await
}

/// Runs a post, then redirects to the observation, or shows it again with the problem.
async fn post_then_show(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    slug: &str,
    id: &str,
    typed: Option<(ObservationText, String)>,
    work: impl FnOnce() -> Result<(), ObservationError> + Send + 'static,
) -> Result<HttpResponse, WebError> {
    let outcome = blocking(move || Ok::<_, WebError>(work())).await?;
    let (status, problems) = match outcome {
        Ok(()) => {
            return Ok(see_other(&format!(
                "/beheer/p/{slug}/observaties/{}",
                http::safe_segment(id)
            )))
        }
        Err(ObservationError::Input(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, problems),
        Err(e @ (ObservationError::Quote(_) | ObservationError::StoryNotUsable)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![FieldProblem {
                field: "verhaal",
                message: e.to_string(),
            }],
        ),
        Err(e) => return Err(e.into()),
    };
    let feedback = Feedback {
        status: Some(status),
        problems,
        notice: None,
        typed,
    };
    detail_page(
        state,
        req,
        user,
        slug,
        id,
        "admin/observation.html",
        feedback,
    )
    .await
}

/// The texts as posted: the two required interpretations, and every extra box the form
/// had, also an empty one (so that a box just added stays on a form shown again).
fn typed_text(form: &PostedForm) -> ObservationText {
    let interpretations = INTERPRETATION_FIELDS
        .iter()
        .enumerate()
        .filter(|(i, field)| *i < MIN_INTERPRETATIONS || form.get(field).is_some())
        .map(|(_, field)| form.text(field))
        .collect();
    ObservationText {
        title: form.text("titel"),
        description: form.text("beschrijving"),
        interpretations,
        notes: form.text("notities"),
        theme: form.text("thema"),
    }
}

/// What a button of the text form other than "Opslaan" asks: a box for one more
/// interpretation, or one extra interpretation (by its place) taken away.
enum BoxChange {
    Add,
    Remove(usize),
}

fn box_change(form: &PostedForm) -> Option<BoxChange> {
    if form.text("actie") == "duiding-erbij" {
        return Some(BoxChange::Add);
    }
    let gone = form.text("weg");
    INTERPRETATION_FIELDS
        .iter()
        .position(|f| *f == gone)
        .filter(|&i| i >= MIN_INTERPRETATIONS)
        .map(BoxChange::Remove)
}

/// POST /beheer/p/{project}/observaties/{id}
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
    let mut text = typed_text(&form);
    let status_key = form.text("status");
    let status = ObservationStatus::parse(&status_key).unwrap_or(ObservationStatus::Concept);
    if let Some(change) = box_change(&form) {
        // Not saved: the form comes back as typed, with a box more or less.
        let notice = match change {
            BoxChange::Add if text.interpretations.len() < MAX_INTERPRETATIONS => {
                text.interpretations.push(String::new());
                format!(
                    "Er is een vak bij gekomen voor duiding {}. Klik op Opslaan om alles te bewaren.",
                    text.interpretations.len()
                )
            }
            BoxChange::Add => format!(
                "Een kaart heeft ten hoogste {MAX_INTERPRETATIONS} duidingen. Er kan er geen meer bij."
            ),
            BoxChange::Remove(i) if i < text.interpretations.len() => {
                text.interpretations.remove(i);
                format!(
                    "Duiding {} is weggehaald. Klik op Opslaan om dat te bewaren.",
                    i + 1
                )
            }
            BoxChange::Remove(_) => "Die duiding was er al niet meer.".to_string(),
        };
        let feedback = Feedback {
            notice: Some(notice),
            typed: Some((text, status.key().to_string())),
            ..Default::default()
        };
        return detail_page(
            &state,
            &req,
            &user,
            &slug,
            &id,
            "admin/observation.html",
            feedback,
        )
        .await;
    }
    let typed = Some((text.clone(), status.key().to_string()));
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    post_then_show(&state, &req, &user, &slug, &id, typed, move || {
        observations::save(&db, &me, &key, &oid, text, status, now_unix())
    })
    .await
}

/// Why a card made from a comparison before its settings were kept cannot take its figures
/// again (its page says so instead of offering the button).
const OLD_COMPARISON_CARD: &str = "Deze kaart komt uit een vergelijking, maar we weten niet meer met welke keuzes die is gemaakt. De oude cijfers blijven op de kaart. Wil je nieuwe cijfers? Maak dan een nieuwe kaart op de pagina Vergelijken.";

/// Makes the comparison a card came from again, with its settings.
async fn remake(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    source: &comparison_cards::Source,
) -> Result<Result<comparison_cards::CardPlan, comparison_cards::NoCard>, WebError> {
    match source {
        comparison_cards::Source::Subset {
            filter,
            part,
            question,
        } => comparison::subset_card_plan(state, slug, filter, part, question).await,
        comparison_cards::Source::Projects {
            others,
            other,
            question,
        } => {
            for project in others {
                user.require(project, ProjectAction::Read)?;
            }
            comparison::projects_card_plan(state, &user.me, slug, others, other, question).await
        }
    }
}

/// POST /beheer/p/{project}/observaties/{id}/cijfers: takes the pattern's figures again (for
/// a card from a comparison: makes that comparison again).
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    http::posted_form(&state, &req, &body)?;
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    let detail =
        blocking(move || observations::open(&db, &me, &key, &oid).map_err(WebError::from)).await?;
    let Some(old) = detail.snapshot else {
        return Ok(see_other(&format!(
            "/beheer/p/{slug}/observaties/{}",
            detail.record.id
        )));
    };
    let taken = match (&old.comparison, comparison_cards::is_comparison(&old)) {
        // A card from a comparison: the same comparison again, on the stories of now.
        (Some(source), _) => remake(&state, &user, &slug, source)
            .await?
            .map(|plan| plan.snapshot)
            .map_err(|why| {
                let mut why = why.chars();
                let first = why.next().map(|c| c.to_lowercase().collect::<String>());
                format!(
                    "De cijfers van deze vergelijking zijn er nu niet: {}{} De oude cijfers blijven op de kaart.",
                    first.unwrap_or_default(),
                    why.as_str()
                )
            }),
        (None, true) => Err(OLD_COMPARISON_CARD.to_string()),
        (None, false) => {
            let kind = kind_key(old.pattern.kind);
            let questions = old.pattern.questions.join(",");
            take_snapshot(&state, &slug, &old.filter, kind, &questions).await?
        }
    };
    match taken {
        Ok(snapshot) => {
            let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
            post_then_show(&state, &req, &user, &slug, &id, None, move || {
                observations::refresh(&db, &me, &key, &oid, &snapshot, now_unix())
            })
            .await
        }
        Err(message) => {
            let feedback = Feedback {
                status: Some(StatusCode::CONFLICT),
                notice: Some(message),
                ..Default::default()
            };
            detail_page(
                &state,
                &req,
                &user,
                &slug,
                &id,
                "admin/observation.html",
                feedback,
            )
            .await
        }
    }
}

/// POST /beheer/p/{project}/observaties/{id}/verhalen (`verhaal`, repeatable)
pub async fn add_stories(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let ids: Vec<String> = form
        .all("verhaal")
        .iter()
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
        .take(50)
        .collect();
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    post_then_show(&state, &req, &user, &slug, &id, None, move || {
        if ids.is_empty() {
            return Err(ObservationError::StoryNotUsable);
        }
        observations::add_stories(&db, &me, &key, &oid, &ids, now_unix()).map(|_| ())
    })
    .await
}

/// POST /beheer/p/{project}/observaties/{id}/verhalen/{story}/weg
pub async fn remove_story(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, story) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    http::posted_form(&state, &req, &body)?;
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    post_then_show(&state, &req, &user, &slug, &id, None, move || {
        observations::remove_story(&db, &me, &key, &oid, &story, now_unix())
    })
    .await
}

/// POST /beheer/p/{project}/observaties/{id}/citaten (`verhaal`, `citaat`)
pub async fn add_quote(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    let form = http::posted_form(&state, &req, &body)?;
    let (story, fragment) = (form.text("verhaal"), form.text("citaat"));
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    post_then_show(&state, &req, &user, &slug, &id, None, move || {
        observations::add_quote(&db, &me, &key, &oid, &story, &fragment, now_unix())
    })
    .await
}

/// POST /beheer/p/{project}/observaties/{id}/citaten/{quote}/weg
pub async fn remove_quote(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (slug, id, quote) = path.into_inner();
    user.require(&slug, ProjectAction::Facilitate)?;
    http::posted_form(&state, &req, &body)?;
    let (db, me, key, oid) = (state.db.clone(), user.me.clone(), slug.clone(), id.clone());
    post_then_show(&state, &req, &user, &slug, &id, None, move || {
        observations::remove_quote(&db, &me, &key, &oid, &quote, now_unix())
    })
    .await
}
