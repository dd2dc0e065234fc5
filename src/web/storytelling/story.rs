//! Telling a story: the form, the submission and the thank-you page, and going on to a next
//! story with the context answers carried over.

use super::project_or_404;
use crate::domain::story::{FIELD_CONSENT, FIELD_TEXT, FIELD_TITLE};
use crate::domain::{FieldError, Project, RawSubmission};
use crate::exchange::timestamp::now_unix;
use crate::security::random_token;
use crate::service::error::ServiceError;
use crate::service::storytelling::{self, valid_submission_key, Continuation, SubmitError};
use crate::web::errors::WebError;
use crate::web::forms::{
    csrf_cookie, csrf_ok, with_new_cookie, PostedForm, FIELD_CONTINUATION, FIELD_KEY,
};
use crate::web::views::story_form::{
    carried_view, field_messages, ErrorLink, ProjectView, QuestionView, RoleView,
};
use crate::web::{lang_of, AppState};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct RoleQuery {
    rol: Option<String>,
}

/// Everything needed to show the story form, fresh or again after a problem.
struct FormPage<'a> {
    project: &'a Project,
    raw: RawSubmission,
    errors: Vec<FieldError>,
    /// A message about the whole form (expired form, too many posts, storage trouble).
    notice: Option<&'static str>,
    key: String,
    carried: Option<(Continuation, String)>,
}

fn render_form(
    state: &AppState,
    req: &HttpRequest,
    page: FormPage<'_>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let csrf = state.secret.csrf_token(&csrf_value);
    let html = form_html(state, &lang_of(req), page, &csrf)?;
    html_response(status, html, new_cookie)
}

fn html_response(
    status: StatusCode,
    html: String,
    new_cookie: Option<actix_web::cookie::Cookie<'static>>,
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
    let q = &page.project.questionnaire;
    let role = q.role(&page.raw.role).ok_or(WebError::NotFound)?;
    let messages = field_messages(catalogs, &lang, &page.errors);
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
        let view = QuestionView::new(question, &role.key, &lang, &page.raw, &messages);
        if question.context {
            context_questions.push(view);
        } else {
            questions.push(view);
        }
    }

    let error_links: Vec<ErrorLink> = page
        .errors
        .iter()
        .map(|e| ErrorLink {
            field: e.field.clone(),
            label: match e.field.as_str() {
                FIELD_TITLE => catalogs.text(&lang, "form.title_label", &[]),
                FIELD_TEXT => catalogs.text(&lang, "form.story_label", &[]),
                FIELD_CONSENT => catalogs.text(&lang, "form.consent_legend", &[]),
                key => q
                    .question(key)
                    .map(|qq| crate::web::views::story_form::question_label(qq, &role.key, &lang))
                    .unwrap_or_else(|| key.to_string()),
            },
            message: messages.get(&e.field).cloned().unwrap_or_default(),
        })
        .collect();

    let mut ctx = state.renderer.context(&lang);
    ctx.insert("project", &ProjectView::new(page.project));
    ctx.insert("role", &RoleView::new(role, &lang));
    ctx.insert(
        "story_max_text",
        &catalogs.text(
            &lang,
            "form.story_max",
            &[("max", page.project.settings.max_story_chars.to_string())],
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
    ctx.insert("consent_analysis", &page.raw.consent_analysis);
    ctx.insert("consent_quotes", &page.raw.consent_quotes);
    ctx.insert("csrf", csrf);
    ctx.insert("key", &page.key);
    ctx.insert(
        "continuation",
        &page.carried.as_ref().map(|(_, sealed)| sealed),
    );
    Ok(state.renderer.render("storytelling/story.html", &ctx)?)
}

const CSRF_PLACEHOLDER: &str = "__VP_CSRF_TOKEN__";
const KEY_PLACEHOLDER: &str = "__VP_FORM_KEY__";

fn closed_page(
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
    // The empty form only differs per request in its token and key: render it once per
    // project, role and language, and fill those in.
    let lang = lang_of(&req);
    let cache_key = (project.slug.clone(), role.clone(), lang.clone());
    let cached = state.empty_forms.get(&cache_key, &project);
    let template = match cached {
        Some(html) => html,
        None => {
            let page = FormPage {
                project: &project,
                raw: RawSubmission {
                    role,
                    ..Default::default()
                },
                errors: Vec::new(),
                notice: None,
                key: KEY_PLACEHOLDER.to_string(),
                carried: None,
            };
            let html = std::sync::Arc::new(form_html(&state, &lang, page, CSRF_PLACEHOLDER)?);
            state.empty_forms.put(cache_key, &project, html.clone());
            html
        }
    };
    let (csrf_value, new_cookie) = csrf_cookie(&state, &req);
    let html = template
        .replacen(CSRF_PLACEHOLDER, &state.secret.csrf_token(&csrf_value), 1)
        .replacen(KEY_PLACEHOLDER, &random_token(), 1);
    html_response(StatusCode::OK, html, new_cookie)
}

/// POST /v/{project}/vertel — store the story, or show the form again with what was typed.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let raw = form.submission();
    if !project.is_open {
        return closed_page(&state, &req, &project);
    }
    if project.questionnaire.role(&raw.role).is_none() {
        return Ok(to_landing(&project));
    }
    let carried = form.get(FIELD_CONTINUATION).and_then(|sealed| {
        Continuation::open(&state.secret, sealed, &project.slug, now_unix())
            .filter(|c| c.role == raw.role)
            .map(|c| (c, sealed.to_string()))
    });
    let key = form.text(FIELD_KEY);
    let mut page = FormPage {
        project: &project,
        raw,
        errors: Vec::new(),
        notice: None,
        key: key.clone(),
        carried,
    };

    if !csrf_ok(&state, &req, &form) || !valid_submission_key(&key) {
        if !valid_submission_key(&key) {
            page.key = random_token();
        }
        page.notice = Some("notice.form_expired");
        return render_form(&state, &req, page, StatusCode::FORBIDDEN);
    }
    if !state.allow_post(&req) {
        page.notice = Some("notice.too_many_posts");
        let mut response = render_form(&state, &req, page, StatusCode::TOO_MANY_REQUESTS)?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
        return Ok(response);
    }

    let lang = lang_of(&req);
    let result = storytelling::submit(
        &state.db,
        &state.secret,
        &project,
        page.raw.clone(),
        &key,
        page.carried.as_ref().map(|(c, _)| c.clone()),
        &lang,
    )
    .await;
    match result {
        Ok(submitted) => {
            let (csrf_value, new_cookie) = csrf_cookie(&state, &req);
            let mut ctx = state.renderer.context(&lang);
            ctx.insert("project", &ProjectView::new(&project));
            ctx.insert("code", &submitted.withdrawal_code);
            ctx.insert("was_duplicate", &submitted.was_duplicate);
            ctx.insert("safety_signal", &submitted.safety_signal);
            ctx.insert("continuation", &submitted.continuation.seal(&state.secret));
            ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
            let page = crate::web::http::html(
                &state.renderer,
                StatusCode::OK,
                "storytelling/thanks.html",
                &ctx,
            )?;
            with_new_cookie(page, new_cookie)
        }
        Err(SubmitError::Invalid(errors)) => {
            page.errors = errors;
            render_form(&state, &req, page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(SubmitError::Core(ServiceError::Store(e))) => {
            // Keep what was typed on screen; the teller can try again in a moment.
            tracing::error!(error = %e, "storing a story failed");
            page.notice = Some("notice.store_failed");
            render_form(&state, &req, page, StatusCode::SERVICE_UNAVAILABLE)
        }
        Err(e) => Err(e.into()),
    }
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
    let page = FormPage {
        project: &project,
        raw: RawSubmission {
            role: continuation.role.clone(),
            ..Default::default()
        },
        errors: Vec::new(),
        notice: None,
        key: random_token(),
        carried: Some((continuation, sealed)),
    };
    render_form(&state, &req, page, StatusCode::OK)
}
