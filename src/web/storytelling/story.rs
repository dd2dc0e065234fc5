//! Telling a story: the form, the submission and the thank-you page; changing the story just
//! sent (Back, edit, send again); switching language or role without losing what was typed;
//! saving a draft for later; and going on to a next story with the context carried over.

use super::measure;
use super::project_or_404;
use crate::domain::story::{FIELD_CONSENT, FIELD_TEXT, FIELD_TITLE};
use crate::domain::{FieldError, Project, RawSubmission};
use crate::exchange::timestamp::now_unix;
use crate::render::i18n::Catalogs;
use crate::security::random_token;
use crate::service::drafts::{self, DraftRef};
use crate::service::error::ServiceError;
use crate::service::storytelling::{
    self, valid_submission_key, Continuation, Earlier, SentStory, SubmitError, SENT_STORY_SECONDS,
};
use crate::web::errors::WebError;
use crate::web::forms::{
    csrf_cookie, csrf_ok, set_cookie, with_new_cookie, PostedForm, FIELD_CONTINUATION, FIELD_DRAFT,
    FIELD_KEY,
};
use crate::web::http::retry_after;
use crate::web::views::story_form::{
    carried_view, field_messages, question_label, role_views, ErrorLink, ProjectView, QuestionView,
    RoleView,
};
use crate::web::{lang_of, AppState, LANG_COOKIE};
use actix_web::cookie::{time::Duration, Cookie};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// The cookie that remembers the story sent a moment ago (see [`SentStory`]).
pub(super) const SENT_COOKIE: &str = "vp_verstuurd";
/// The sealed [`SentStory`] in a form that changes the story just sent.
const FIELD_CHANGE: &str = "aanpassen";
const FIELD_TO_LANGUAGE: &str = "naar_taal";
const FIELD_TO_ROLE: &str = "naar_rol";

#[derive(Deserialize)]
pub struct RoleQuery {
    rol: Option<String>,
    /// The place link the form was opened from (`service::response`).
    plek: Option<String>,
}

/// Everything needed to show the story form, fresh or again after a problem.
pub(super) struct FormPage<'a> {
    pub project: &'a Project,
    pub raw: RawSubmission,
    pub errors: Vec<FieldError>,
    /// A message about the whole form (expired form, too many posts, storage trouble).
    pub notice: Option<&'static str>,
    pub key: String,
    pub carried: Option<(Continuation, String)>,
    /// The draft this form was resumed from, and its sealed reference.
    pub draft: Option<(DraftRef, String)>,
    /// Sending this form changes the story sent a moment ago (sealed [`SentStory`]).
    pub changing: Option<String>,
    /// The verteltafel this form is at (its own action, the worker's consent check, no
    /// "Later verder"), and whether the worker ticked that the consent was read aloud.
    pub table: Option<super::table::TableView>,
    pub consent_read: bool,
    /// The place and measure the response monitor counts this form by (hidden fields), or
    /// placeholders for them in the cached empty form.
    pub measured: measure::Carried,
    pub placeholders: bool,
}

impl<'a> FormPage<'a> {
    pub fn new(project: &'a Project, raw: RawSubmission, key: String) -> Self {
        Self {
            project,
            raw,
            errors: Vec::new(),
            notice: None,
            key,
            carried: None,
            draft: None,
            changing: None,
            table: None,
            consent_read: false,
            measured: measure::Carried::default(),
            placeholders: false,
        }
    }
}

pub(super) fn render_form(
    state: &AppState,
    req: &HttpRequest,
    lang: &str,
    page: FormPage<'_>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let csrf = state.secret.csrf_token(&csrf_value);
    let html = form_html(state, lang, page, &csrf)?;
    html_response(status, html, new_cookie)
}

fn html_response(
    status: StatusCode,
    html: String,
    new_cookie: Option<Cookie<'static>>,
) -> Result<HttpResponse, WebError> {
    let response = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html);
    with_new_cookie(response, new_cookie)
}

fn form_html(
    state: &AppState,
    lang: &str,
    page: FormPage<'_>,
    csrf: &str,
) -> Result<String, WebError> {
    let lang = lang.to_string();
    let catalogs = &state.renderer.catalogs;
    // The questionnaire's texts in the teller's language when the project offers it.
    let localized = page.project.questionnaire_in(&lang);
    let q: &crate::domain::Questionnaire = &localized;
    let role = q.role(&page.raw.role).ok_or(WebError::NotFound)?;
    let messages = field_messages(catalogs, &lang, q, &page.errors);
    let carried_context = page.carried.as_ref().map(|(c, _)| &c.context);

    let mut questions = Vec::new();
    let mut context_questions = Vec::new();
    let mut carried = Vec::new();
    for question in q.questions_for(&role.key) {
        if question.context {
            if let Some(answer) = carried_context.and_then(|c| c.get(&question.key)) {
                carried.push(carried_view(question, &role.key, &lang, answer, catalogs));
                continue;
            }
        }
        let view = QuestionView::new(question, &role.key, &page.raw, &messages);
        if question.context {
            context_questions.push(view);
        } else {
            questions.push(view);
        }
    }

    let error_links: Vec<ErrorLink> = page
        .errors
        .iter()
        .map(|e| {
            let label = match e.field.as_str() {
                FIELD_TITLE => catalogs.text(&lang, "form.title_label", &[]),
                FIELD_TEXT => catalogs.text(&lang, "form.story_label", &[]),
                FIELD_CONSENT => catalogs.text(&lang, "form.consent_legend", &[]),
                crate::service::story_tables::FIELD_CONSENT_READ => {
                    catalogs.text(&lang, "table.read_aloud_title", &[])
                }
                key => q
                    .question(key)
                    .map(|qq| question_label(qq, &role.key))
                    .unwrap_or_else(|| key.to_string()),
            };
            let message = messages.get(&e.field).map_or("", String::as_str);
            ErrorLink::new(&e.field, &label, message)
        })
        .collect();

    let mut ctx = state.renderer.context(&lang);
    ctx.insert("project", &ProjectView::new(page.project));
    super::insert_questionnaire_language(&mut ctx, page.project, &lang);
    ctx.insert("role", &RoleView::new(role));
    ctx.insert("other_roles", &(q.roles.len() > 1));
    ctx.insert(
        "story_max_text",
        &catalogs.text(
            &lang,
            "form.story_max",
            &[(
                "max",
                crate::web::views::story_form::grouped(
                    page.project.settings.max_story_chars,
                    &lang,
                ),
            )],
        ),
    );
    ctx.insert("title", page.raw.title.as_str());
    ctx.insert("text", page.raw.text.as_str());
    ctx.insert("questions", &questions);
    ctx.insert("context_questions", &context_questions);
    ctx.insert("carried", &carried);
    ctx.insert("errors", &messages);
    ctx.insert("error_links", &error_links);
    ctx.insert("notice", &page.notice);
    ctx.insert("changing", &page.changing);
    ctx.insert("change_minutes", &(SENT_STORY_SECONDS / 60));
    ctx.insert("consent_analysis", &page.raw.consent_analysis);
    ctx.insert("consent_quotes", &page.raw.consent_quotes);
    ctx.insert("csrf", csrf);
    ctx.insert("key", &page.key);
    ctx.insert(
        "continuation",
        &page.carried.as_ref().map(|(_, sealed)| sealed),
    );
    ctx.insert("draft", &page.draft.as_ref().map(|(_, sealed)| sealed));
    ctx.insert("table", &page.table);
    ctx.insert("consent_read", &page.consent_read);
    let (place, sealed) = if page.placeholders {
        (
            PLACE_PLACEHOLDER.to_string(),
            Some(MEASURE_PLACEHOLDER.to_string()),
        )
    } else {
        (page.measured.place.clone(), page.measured.sealed(state))
    };
    ctx.insert("place", &place);
    ctx.insert("measure", &sealed);
    Ok(state.renderer.render("storytelling/story.html", &ctx)?)
}

const CSRF_PLACEHOLDER: &str = "__VP_CSRF_TOKEN__";
const KEY_PLACEHOLDER: &str = "__VP_FORM_KEY__";
const PLACE_PLACEHOLDER: &str = "__VP_PLACE__";
const MEASURE_PLACEHOLDER: &str = "__VP_MEASURE__";

pub(super) fn closed_page(
    state: &AppState,
    req: &HttpRequest,
    project: &Project,
) -> Result<HttpResponse, WebError> {
    let mut ctx = state.renderer.context(&lang_of(req));
    ctx.insert("project", &ProjectView::new(project));
    Ok(crate::web::http::html(
        &state.renderer,
        StatusCode::OK,
        "storytelling/closed.html",
        &ctx,
    )?)
}

fn to_landing(project: &Project) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/v/{}", project.slug)))
        .finish()
}

/// The story this browser sent a moment ago, from its cookie.
fn sent_story(state: &AppState, req: &HttpRequest, project: &Project) -> Option<SentStory> {
    let cookie = req.cookie(SENT_COOKIE)?;
    SentStory::open(&state.secret, cookie.value(), &project.slug, now_unix())
}

fn sent_cookie(state: &AppState, sent: &SentStory) -> Cookie<'static> {
    let mut cookie = state.cookie(SENT_COOKIE, sent.seal(&state.secret));
    cookie.set_max_age(Duration::seconds(SENT_STORY_SECONDS));
    cookie
}

/// Forgets the story just sent: on the landing page (a new start, perhaps by someone else on
/// the same device), for a next story and on "no, a new story".
pub(super) fn sent_cookie_removal(state: &AppState) -> Cookie<'static> {
    let mut cookie = state.cookie(SENT_COOKIE, String::new());
    cookie.make_removal();
    cookie
}

/// The form's key when it is one of ours, else a new one (the teller must send again).
fn form_key(form: &PostedForm) -> String {
    let key = form.text(FIELD_KEY);
    if valid_submission_key(&key) {
        key
    } else {
        random_token()
    }
}

/// What a posted form brings along: the carried context, the draft it was resumed from and
/// the story it changes.
struct FormLinks {
    carried: Option<(Continuation, String)>,
    draft: Option<(DraftRef, String)>,
    change: Option<(SentStory, String)>,
    measured: measure::Carried,
}

impl FormLinks {
    fn apply(self, page: &mut FormPage<'_>) {
        page.carried = self.carried;
        page.draft = self.draft;
        page.changing = self.change.map(|(_, sealed)| sealed);
        page.measured = self.measured;
    }
}

fn form_links(state: &AppState, form: &PostedForm, project: &Project, role: &str) -> FormLinks {
    let change = form.get(FIELD_CHANGE).and_then(|sealed| {
        SentStory::open(&state.secret, sealed, &project.slug, now_unix())
            .map(|s| (s, sealed.to_string()))
    });
    let carried = form.get(FIELD_CONTINUATION).and_then(|sealed| {
        Continuation::open(&state.secret, sealed, &project.slug, now_unix())
            .filter(|c| c.role == role)
            .map(|c| (c, sealed.to_string()))
    });
    let draft = form.get(FIELD_DRAFT).and_then(|sealed| {
        DraftRef::open(&state.secret, sealed, &project.slug).map(|d| (d, sealed.to_string()))
    });
    FormLinks {
        carried,
        draft,
        change,
        measured: measure::Carried::from_form(state, form, &project.slug),
    }
}

/// GET /v/{project}/vertel?rol=… — the empty story form for a role.
pub async fn form(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<RoleQuery>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    if !project.is_open {
        return closed_page(&state, &req, &project);
    }
    let role = query.rol.clone().unwrap_or_default();
    if project.questionnaire.role(&role).is_none() {
        return Ok(to_landing(&project));
    }
    let lang = lang_of(&req);
    let raw = RawSubmission {
        role: role.clone(),
        ..Default::default()
    };
    // Back after sending: the form comes back with the story just sent, and sending it
    // changes that story instead of adding a second one. The page says so and offers a new
    // story instead.
    if let Some(sent) = sent_story(&state, &req, &project) {
        if let Some(story) = storytelling::sent_for_change(&state.db, &project, &sent).await? {
            if story.role == role {
                let mut page = FormPage::new(&project, story, random_token());
                page.changing = Some(sent.seal(&state.secret));
                return render_form(&state, &req, &lang, page, StatusCode::OK);
            }
        }
    }
    // Counted for the response monitor (per project, day, role, place, language).
    let raw_place = query.plek.clone().unwrap_or_default();
    let measured = measure::opened(&state, &project.slug, &role, &raw_place, &lang).await;
    // The empty form only differs per request in its token, key, place and measure: render
    // it once per project, role and language, and fill those in.
    let cache_key = (project.slug.clone(), role, lang.clone());
    let template = match state.empty_forms.get(&cache_key, &project) {
        Some(html) => html,
        None => {
            let mut page = FormPage::new(&project, raw, KEY_PLACEHOLDER.to_string());
            page.placeholders = true;
            let html = std::sync::Arc::new(form_html(&state, &lang, page, CSRF_PLACEHOLDER)?);
            state.empty_forms.put(cache_key, &project, html.clone());
            html
        }
    };
    let (csrf_value, new_cookie) = csrf_cookie(&state, &req);
    let html = template
        .replacen(CSRF_PLACEHOLDER, &state.secret.csrf_token(&csrf_value), 1)
        .replacen(KEY_PLACEHOLDER, &random_token(), 1)
        .replacen(PLACE_PLACEHOLDER, &measured.place, 1)
        .replacen(
            MEASURE_PLACEHOLDER,
            &measured.sealed(&state).unwrap_or_default(),
            1,
        );
    html_response(StatusCode::OK, html, new_cookie)
}

/// The answers of a posted story form, or where to go instead: the closed page of a closed
/// vertelpunt, or the landing page when the role is unknown.
fn story_post(
    state: &AppState,
    req: &HttpRequest,
    project: &Project,
    form: &PostedForm,
) -> Result<Result<RawSubmission, HttpResponse>, WebError> {
    if !project.is_open {
        return closed_page(state, req, project).map(Err);
    }
    let raw = form.submission();
    if project.questionnaire.role(&raw.role).is_none() {
        return Ok(Err(to_landing(project)));
    }
    Ok(Ok(raw))
}

/// Whether a post of the story form may be kept, or the form again with the reason.
enum Admission<'a> {
    Go(Box<FormPage<'a>>),
    Refused(HttpResponse),
}

/// The checks before a story or draft is kept: the form is ours (CSRF token and form key)
/// and the address has not reached its story limit (`too_many` says so in the words of the
/// button pressed). A repeat of a story already stored (a double click) is let through, so
/// that it gets its thank-you page again.
async fn admit<'a>(
    state: &AppState,
    req: &HttpRequest,
    lang: &str,
    mut page: FormPage<'a>,
    form: &PostedForm,
    too_many: &'static str,
) -> Result<Admission<'a>, WebError> {
    if !csrf_ok(state, req, form) || !valid_submission_key(&page.key) {
        page.key = form_key(form);
        page.notice = Some("notice.form_expired");
        let response = render_form(state, req, lang, page, StatusCode::FORBIDDEN)?;
        return Ok(Admission::Refused(response));
    }
    let wait = match state.story_wait(req, now_unix()) {
        Some(seconds) if !storytelling::already_stored(&state.db, &page.key).await? => {
            Some(seconds)
        }
        _ => None,
    };
    if let Some(seconds) = wait {
        page.notice = Some(too_many);
        let response = render_form(state, req, lang, page, StatusCode::TOO_MANY_REQUESTS)?;
        return Ok(Admission::Refused(retry_after(response, seconds)));
    }
    Ok(Admission::Go(Box::new(page)))
}

/// POST /v/{project}/vertel — store the story (or change the one just sent), or show the
/// form again with what was typed.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let raw = match story_post(&state, &req, &project, &form)? {
        Ok(raw) => raw,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let lang = lang_of(&req);
    let links = form_links(&state, &form, &project, &raw.role);
    let sent = links.change.as_ref().map(|(s, _)| s.clone());
    let key = form.text(FIELD_KEY);
    let mut page = FormPage::new(&project, raw, key.clone());
    links.apply(&mut page);
    let now = now_unix();
    let mut page = match admit(&state, &req, &lang, page, &form, "notice.too_many_posts").await? {
        Admission::Go(page) => *page,
        Admission::Refused(response) => return Ok(response),
    };

    let earlier = Earlier {
        carried: page.carried.as_ref().map(|(c, _)| c.clone()),
        sent,
        draft: page.draft.as_ref().map(|(d, _)| d.clone()),
    };
    let result = storytelling::submit(
        &state.db,
        &state.secret,
        &project,
        page.raw.clone(),
        &key,
        earlier,
        &lang,
    )
    .await;
    match result {
        Ok(submitted) => {
            if !submitted.was_duplicate && !submitted.was_changed {
                state.story_stored(&req, now);
                let role = page.raw.role.clone();
                measure::sent(&state, &project.slug, &role, &lang, &page.measured).await;
            }
            let (csrf_value, new_cookie) = csrf_cookie(&state, &req);
            let mut ctx = state.renderer.context(&lang);
            ctx.insert("project", &ProjectView::new(&project));
            ctx.insert("code", &submitted.withdrawal_code);
            ctx.insert("was_duplicate", &submitted.was_duplicate);
            ctx.insert("was_changed", &submitted.was_changed);
            ctx.insert("change_minutes", &(SENT_STORY_SECONDS / 60));
            ctx.insert(
                "results_public",
                &super::results::link_shown(&state, &project.slug).await,
            );
            ctx.insert("safety_signal", &submitted.safety_signal);
            ctx.insert("continuation", &submitted.continuation.seal(&state.secret));
            ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
            let mut page = crate::web::http::html(
                &state.renderer,
                StatusCode::OK,
                "storytelling/thanks.html",
                &ctx,
            )?;
            set_cookie(&mut page, &sent_cookie(&state, &submitted.sent))?;
            with_new_cookie(page, new_cookie)
        }
        Err(SubmitError::Invalid(errors)) => {
            page.errors = errors;
            started(&state, &project.slug, &lang, &mut page).await;
            render_form(&state, &req, &lang, page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(SubmitError::Core(ServiceError::Store(e))) => {
            // Keep what was typed on screen; the teller can try again in a moment.
            tracing::error!(error = %e, "storing a story failed");
            page.notice = Some("notice.store_failed");
            render_form(&state, &req, &lang, page, StatusCode::SERVICE_UNAVAILABLE)
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /v/{project}/vertel/wissel — another language or role for the form being filled in.
/// A post of the whole form, so nothing typed is lost, with or without JavaScript.
pub async fn switch(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let mut form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    if !project.is_open {
        return closed_page(&state, &req, &project);
    }
    let mut raw = form.submission();
    // Another language or role with text typed: the form was started.
    let mut measured = measure::Carried::from_form(&state, &form, &project.slug);
    if project.questionnaire.role(&raw.role).is_some() {
        let has_text = !raw.title.trim().is_empty() || !raw.text.trim().is_empty();
        let lang = lang_of(&req);
        measure::posted_with_text(
            &state,
            &project.slug,
            &raw.role,
            &lang,
            &mut measured,
            has_text,
        )
        .await;
        if let Some(sealed) = measured.sealed(&state) {
            form.set(measure::FIELD_MEASURE, sealed);
        }
    }
    let to_language = form
        .get(FIELD_TO_LANGUAGE)
        .filter(|l| Catalogs::is_supported(l))
        .map(str::to_string);
    let lang = to_language.clone().unwrap_or_else(|| lang_of(&req));
    let to_role = form.get(FIELD_TO_ROLE).map(str::to_string);
    let mut response = match to_role {
        // A role change makes it another story: it cannot change the one just sent.
        Some(role) if project.questionnaire.role(&role).is_some() && role != raw.role => {
            let mut form = form.clone();
            form.remove(FIELD_CHANGE);
            raw.role = role;
            form_again(&state, &req, &lang, &project, &form, raw)?
        }
        Some(role) if project.questionnaire.role(&role).is_some() => {
            raw.role = role;
            form_again(&state, &req, &lang, &project, &form, raw)?
        }
        // "Iets anders kiezen": the roles, with everything typed carried along.
        Some(_) => role_choice(&state, &lang, &project, &form)?,
        None if project.questionnaire.role(&raw.role).is_some() => {
            form_again(&state, &req, &lang, &project, &form, raw)?
        }
        None => to_landing(&project),
    };
    if let Some(lang) = to_language {
        set_cookie(&mut response, &state.cookie(LANG_COOKIE, lang))?;
    }
    Ok(response)
}

/// Counts the form as started when this post carries text (once per form).
async fn started(state: &AppState, project: &str, lang: &str, page: &mut FormPage<'_>) {
    let has_text = !page.raw.title.trim().is_empty() || !page.raw.text.trim().is_empty();
    let role = page.raw.role.clone();
    measure::posted_with_text(state, project, &role, lang, &mut page.measured, has_text).await;
}

/// The story form again with everything posted (nothing stored).
fn form_again(
    state: &AppState,
    req: &HttpRequest,
    lang: &str,
    project: &Project,
    form: &PostedForm,
    raw: RawSubmission,
) -> Result<HttpResponse, WebError> {
    let links = form_links(state, form, project, &raw.role);
    let mut page = FormPage::new(project, raw, form_key(form));
    links.apply(&mut page);
    render_form(state, req, lang, page, StatusCode::OK)
}

/// Choosing another role halfway: the roles as buttons in a form that carries every field.
fn role_choice(
    state: &AppState,
    lang: &str,
    project: &Project,
    form: &PostedForm,
) -> Result<HttpResponse, WebError> {
    let kept: Vec<&(String, String)> = form
        .pairs()
        .iter()
        .filter(|(name, _)| name != FIELD_TO_ROLE && name != FIELD_TO_LANGUAGE)
        .collect();
    let mut ctx = state.renderer.context(lang);
    ctx.insert("project", &ProjectView::new(project));
    ctx.insert("roles", &role_views(&project.questionnaire_in(lang)));
    super::insert_questionnaire_language(&mut ctx, project, lang);
    ctx.insert("kept", &kept);
    ctx.insert("current_role", &form.text(crate::domain::story::FIELD_ROLE));
    Ok(crate::web::http::html(
        &state.renderer,
        StatusCode::OK,
        "storytelling/switch_role.html",
        &ctx,
    )?)
}

/// POST /v/{project}/vertel/later — "Later verder": keep the form as typed under a resume code.
pub async fn save_draft(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let raw = match story_post(&state, &req, &project, &form)? {
        Ok(raw) => raw,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let lang = lang_of(&req);
    let links = form_links(&state, &form, &project, &raw.role);
    let key = form.text(FIELD_KEY);
    let mut page = FormPage::new(&project, raw, key.clone());
    links.apply(&mut page);
    let now = now_unix();
    let mut page = match admit(&state, &req, &lang, page, &form, "notice.too_many_drafts").await? {
        Admission::Go(page) => *page,
        Admission::Refused(response) => return Ok(response),
    };
    let saved = drafts::save(
        &state.db,
        &state.secret,
        &project,
        &page.raw,
        &key,
        page.draft.as_ref().map(|(d, _)| d.clone()),
        drafts::expiry(now, state.config.draft_days),
    )
    .await;
    match saved {
        Ok(saved) => {
            state.story_stored(&req, now);
            started(&state, &project.slug, &lang, &mut page).await;
            let mut ctx = state.renderer.context(&lang);
            ctx.insert("project", &ProjectView::new(&project));
            ctx.insert("code", &saved.code);
            ctx.insert(
                "until",
                &crate::render::dates::long_date(saved.expires_at, &lang),
            );
            ctx.insert("days", &state.config.draft_days);
            Ok(crate::web::http::html(
                &state.renderer,
                StatusCode::OK,
                "storytelling/draft_saved.html",
                &ctx,
            )?)
        }
        Err(drafts::DraftError::Core(ServiceError::Store(e))) => {
            tracing::error!(error = %e, "saving a draft failed");
            page.notice = Some("notice.store_failed");
            render_form(&state, &req, &lang, page, StatusCode::SERVICE_UNAVAILABLE)
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /v/{project}/vertel/nieuw — "no, a new story": forget the story just sent, so that
/// this form stores a story of its own.
pub async fn start_new(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let role = form.text(crate::domain::story::FIELD_ROLE);
    let target = if project.questionnaire.role(&role).is_some() {
        format!("/v/{}/vertel?rol={role}", project.slug)
    } else {
        format!("/v/{}", project.slug)
    };
    let mut response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .finish();
    if csrf_ok(&state, &req, &form) {
        set_cookie(&mut response, &sent_cookie_removal(&state))?;
    }
    Ok(response)
}

/// POST /v/{project}/vervolg — a new story form for the same teller, context carried over.
pub async fn next_story(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    if !project.is_open {
        return closed_page(&state, &req, &project);
    }
    let carried = form
        .get(FIELD_CONTINUATION)
        .and_then(|sealed| {
            Continuation::open(&state.secret, sealed, &project.slug, now_unix())
                .map(|c| (c, sealed.to_string()))
        })
        .filter(|(c, _)| project.questionnaire.role(&c.role).is_some());
    let Some((continuation, sealed)) = carried.filter(|_| csrf_ok(&state, &req, &form)) else {
        return Ok(to_landing(&project));
    };
    let raw = RawSubmission {
        role: continuation.role.clone(),
        ..Default::default()
    };
    let mut page = FormPage::new(&project, raw, random_token());
    page.carried = Some((continuation, sealed));
    // A next story is a new story: it must not change the one just sent.
    let mut response = render_form(&state, &req, &lang_of(&req), page, StatusCode::OK)?;
    set_cookie(&mut response, &sent_cookie_removal(&state))?;
    Ok(response)
}
