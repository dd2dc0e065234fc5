//! A verteltafel on the youth worker's device: type the table's code, choose who tells, and
//! take stories one teller after another. The device keeps only a signed pass (which table,
//! until when) in a cookie; each story gets its own consent check and withdrawal code, and
//! the form for the next teller is empty: no draft, no "story just sent", no carried context.
//! With JavaScript the device can also take stories without a connection: see
//! `table_offline` and `assets/verteltafel.js`.

use super::project_or_404;
use super::story::{render_form, sent_cookie_removal, FormPage};
use crate::domain::story_table::{SEND_GRACE_SECONDS, TABLE_PASS_SECONDS};
use crate::domain::{Project, RawSubmission};
use crate::exchange::timestamp::now_unix;
use crate::render::i18n::Catalogs;
use crate::security::random_token;
use crate::service::error::ServiceError;
use crate::service::story_tables::{
    self, EnterRefusal, StoryTableRecord, TablePass, TableStory, TableSubmitError, Told,
    FIELD_CONSENT_READ,
};
use crate::service::storytelling::valid_submission_key;
use crate::web::errors::WebError;
use crate::web::forms::{csrf_cookie, csrf_ok, set_cookie, with_new_cookie, PostedForm, FIELD_KEY};
use crate::web::http::{retry_after, see_other};
use crate::web::views::story_form::{role_views, ProjectView};
use crate::web::{lang_of, AppState, LANG_COOKIE};
use actix_web::cookie::{time::Duration, Cookie};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// The cookie with the device's sealed [`TablePass`].
pub(super) const TABLE_COOKIE: &str = "vp_tafel";
const FIELD_CODE: &str = "code";
const FIELD_TO_LANGUAGE: &str = "naar_taal";
/// The withdrawal code the device drew (JavaScript only; see [`TableStory::device_code`]).
pub(super) const FIELD_DEVICE_CODE: &str = "intrekcode";

/// The table as the teller's pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// The table's id: the device's script keeps stories per table (not a secret; the pass
    /// in the cookie is what opens the table).
    pub id: String,
    pub name: String,
    pub place: String,
    /// Until when this device takes stories at the table (Unix seconds): its script keeps no
    /// story finished later, as the server would refuse it.
    pub until: i64,
}

impl TableView {
    fn new(table: &StoryTableRecord) -> Self {
        Self {
            id: table.id.clone(),
            name: table.name.clone(),
            place: table.place.clone(),
            until: table.expires_at,
        }
    }

    fn with_pass(table: &StoryTableRecord, pass: &TablePass) -> Self {
        let mut view = Self::new(table);
        view.until = view.until.min(pass.expires);
        view
    }
}

#[derive(Deserialize)]
pub struct RoleQuery {
    rol: Option<String>,
}

/// The table this device holds a pass for, if it still takes stories, as its pages show it.
async fn current_table(
    state: &AppState,
    req: &HttpRequest,
    project: &Project,
) -> Result<Option<TableView>, WebError> {
    let now = now_unix();
    let Some(pass) = req
        .cookie(TABLE_COOKIE)
        .and_then(|c| TablePass::open(&state.secret, c.value(), &project.slug, now))
    else {
        return Ok(None);
    };
    Ok(story_tables::find(&state.db, project, &pass.table)
        .await?
        .filter(|t| {
            crate::domain::story_table::table_state(t.closed_at, t.expires_at, now)
                == crate::domain::story_table::TableState::Open
        })
        .map(|t| TableView::with_pass(&t, &pass)))
}

fn table_cookie_removal(state: &AppState) -> Cookie<'static> {
    let mut cookie = state.cookie(TABLE_COOKIE, String::new());
    cookie.make_removal();
    cookie
}

/// The code form, or (with a valid pass) the choice of who tells now.
fn table_page(
    state: &AppState,
    req: &HttpRequest,
    project: &Project,
    table: Option<&TableView>,
    code: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let lang = lang_of(req);
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context(&lang);
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    ctx.insert("project", &ProjectView::new(project));
    ctx.insert("table", &table);
    ctx.insert("roles", &role_views(&project.questionnaire_in(&lang)));
    super::insert_questionnaire_language(&mut ctx, project, &lang);
    ctx.insert("code", code);
    ctx.insert("error", &error);
    let mut response =
        crate::web::http::html(&state.renderer, status, "storytelling/table.html", &ctx)?;
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    with_new_cookie(response, new_cookie)
}

/// GET /v/{project}/tafel — type the table code, or choose who tells now.
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let table = current_table(&state, &req, &project).await?;
    let mut response = table_page(
        &state,
        &req,
        &project,
        table.as_ref(),
        "",
        None,
        StatusCode::OK,
    )?;
    // Whatever the previous teller sent can no longer be reached from this device.
    set_cookie(&mut response, &sent_cookie_removal(&state))?;
    Ok(response)
}

/// POST /v/{project}/tafel — check the typed code; a wrong code counts like a wrong
/// withdrawal code, so guessing is throttled per address.
///
/// The device's script posts the same form asking for JSON: it needs the table's id, which
/// it only learns here, to derive the key for stories kept without a connection from the
/// code the worker typed (the code itself is never stored, neither here nor on the device).
pub async fn enter(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let code = form.text(FIELD_CODE);
    let json = wants_json(&req);
    let again = |error: &str, status: StatusCode| {
        if json {
            let text = state.renderer.catalogs.text(&lang_of(&req), error, &[]);
            return Ok(HttpResponse::build(status)
                .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
                .json(serde_json::json!({ "fout": text })));
        }
        table_page(&state, &req, &project, None, &code, Some(error), status)
    };
    if !csrf_ok(&state, &req, &form) {
        return again("notice.form_expired", StatusCode::FORBIDDEN);
    }
    let now = now_unix();
    if let Some(seconds) = state.code_wait(&req, now) {
        let page = again("table.too_many_codes", StatusCode::TOO_MANY_REQUESTS)?;
        return Ok(retry_after(page, seconds));
    }
    match story_tables::enter(&state.db, &project, &code, now).await? {
        Ok(table) => {
            let pass = TablePass {
                project: project.slug.clone(),
                table: table.id.clone(),
                expires: (now + TABLE_PASS_SECONDS).min(table.expires_at),
            };
            let mut cookie = state.cookie(TABLE_COOKIE, pass.seal(&state.secret));
            // The cookie outlives the pass, so that stories kept without a connection can
            // still be sent afterwards (`TablePass::open_for_sending`).
            cookie.set_max_age(Duration::seconds(TABLE_PASS_SECONDS + SEND_GRACE_SECONDS));
            let to = format!("/v/{}/tafel", project.slug);
            let mut response = if json {
                HttpResponse::Ok()
                    .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
                    .json(serde_json::json!({ "tafel": table.id, "naar": to }))
            } else {
                see_other(&to)
            };
            set_cookie(&mut response, &cookie)?;
            Ok(response)
        }
        Err(EnterRefusal::Wrong) => {
            state.code_wrong(&req, now);
            again("table.code_wrong", StatusCode::NOT_FOUND)
        }
        Err(EnterRefusal::Closed) => again("table.code_closed", StatusCode::GONE),
        Err(EnterRefusal::Expired) => again("table.code_expired", StatusCode::GONE),
    }
}

/// Whether the request is the device's script asking for JSON instead of a page.
fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// POST /v/{project}/tafel/verlaten — this device leaves the table.
pub async fn leave(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let mut response = see_other(&format!("/v/{}/tafel", project.slug));
    if csrf_ok(&state, &req, &form) {
        set_cookie(&mut response, &table_cookie_removal(&state))?;
    }
    Ok(response)
}

/// GET /v/{project}/tafel/vertel?rol=… — an empty story form at the table.
pub async fn form(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<RoleQuery>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let Some(table) = current_table(&state, &req, &project).await? else {
        return Ok(see_other(&format!("/v/{}/tafel", project.slug)));
    };
    let role = query.rol.clone().unwrap_or_default();
    if project.questionnaire.role(&role).is_none() {
        return Ok(see_other(&format!("/v/{}/tafel", project.slug)));
    }
    let raw = RawSubmission {
        role,
        ..Default::default()
    };
    let mut page = FormPage::new(&project, raw, random_token());
    page.table = Some(table);
    let mut response = render_form(&state, &req, &lang_of(&req), page, StatusCode::OK)?;
    set_cookie(&mut response, &sent_cookie_removal(&state))?;
    Ok(response)
}

/// The form at the table again with what was posted (drafts, carried context and changes of
/// an earlier story are never taken over from a post at a table).
fn posted_page<'a>(project: &'a Project, form: &PostedForm, table: TableView) -> FormPage<'a> {
    let key = form.text(FIELD_KEY);
    let key = if valid_submission_key(&key) {
        key
    } else {
        random_token()
    };
    let mut page = FormPage::new(project, form.submission(), key);
    page.table = Some(table);
    page.consent_read = form.get(FIELD_CONSENT_READ).is_some();
    page
}

/// The table a post is for: the device's pass, even when the table closed meanwhile (then
/// the post is refused with the text kept).
async fn posted_table(
    state: &AppState,
    req: &HttpRequest,
    project: &Project,
) -> Result<Option<StoryTableRecord>, WebError> {
    let Some(pass) = req
        .cookie(TABLE_COOKIE)
        .and_then(|c| TablePass::open(&state.secret, c.value(), &project.slug, now_unix()))
    else {
        return Ok(None);
    };
    Ok(story_tables::find(&state.db, project, &pass.table).await?)
}

/// POST /v/{project}/tafel/vertel — store a teller's story, or show the form again with
/// everything typed (field errors, no consent check, a closed table).
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let lang = lang_of(&req);
    let Some(table) = posted_table(&state, &req, &project).await? else {
        // No pass (expired, another device): the typed text is shown again with the reason.
        return without_pass(&state, &req, &lang, &project, &form);
    };
    let mut page = posted_page(&project, &form, TableView::new(&table));
    if project.questionnaire.role(&page.raw.role).is_none() {
        return Ok(see_other(&format!("/v/{}/tafel", project.slug)));
    }
    if !csrf_ok(&state, &req, &form) || !valid_submission_key(&form.text(FIELD_KEY)) {
        page.notice = Some("notice.form_expired");
        return render_form(&state, &req, &lang, page, StatusCode::FORBIDDEN);
    }
    let story = TableStory {
        raw: page.raw.clone(),
        consent_read: page.consent_read,
        submission_key: page.key.clone(),
        device_code: form.get(FIELD_DEVICE_CODE).map(str::to_string),
        language: lang.clone(),
    };
    let result = story_tables::submit(
        &state.db,
        &state.secret,
        &project,
        &table.id,
        story,
        Told::Now,
        now_unix(),
    )
    .await;
    match result {
        Ok(submitted) => {
            let mut ctx = state.renderer.context(&lang);
            ctx.insert("project", &ProjectView::new(&project));
            ctx.insert("table", &TableView::new(&table));
            ctx.insert("code", &submitted.withdrawal_code);
            ctx.insert("was_duplicate", &submitted.was_duplicate);
            ctx.insert("safety_signal", &submitted.safety_signal);
            let mut response = crate::web::http::html(
                &state.renderer,
                StatusCode::OK,
                "storytelling/table_thanks.html",
                &ctx,
            )?;
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(TableSubmitError::Invalid(errors)) => {
            page.errors = errors;
            render_form(&state, &req, &lang, page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        // (`ProjectClosed` and `Late` are for stories kept on the device; told now, a closed
        // vertelpunt is a closed table.)
        Err(
            TableSubmitError::TableClosed
            | TableSubmitError::ProjectClosed
            | TableSubmitError::Late(_),
        ) => {
            page.notice = Some("table.closed_story");
            render_form(&state, &req, &lang, page, StatusCode::CONFLICT)
        }
        Err(TableSubmitError::BadWithdrawalCode) => Err(WebError::BadRequest("withdrawal code")),
        Err(TableSubmitError::Core(ServiceError::Store(e))) => {
            tracing::error!(error = %e, "storing a story at a table failed");
            page.notice = Some("notice.store_failed");
            render_form(&state, &req, &lang, page, StatusCode::SERVICE_UNAVAILABLE)
        }
        Err(e) => Err(e.into()),
    }
}

/// A post without a valid pass: the text comes back on the table page's form with the
/// reason, so nothing typed is lost.
fn without_pass(
    state: &AppState,
    req: &HttpRequest,
    lang: &str,
    project: &Project,
    form: &PostedForm,
) -> Result<HttpResponse, WebError> {
    if project
        .questionnaire
        .role(&form.text(crate::domain::story::FIELD_ROLE))
        .is_none()
    {
        return Ok(see_other(&format!("/v/{}/tafel", project.slug)));
    }
    let mut page = posted_page(
        project,
        form,
        TableView {
            id: String::new(),
            name: String::new(),
            place: String::new(),
            until: 0,
        },
    );
    page.notice = Some("table.closed_story");
    render_form(state, req, lang, page, StatusCode::CONFLICT)
}

/// POST /v/{project}/tafel/wissel — the form at the table in another language, with
/// everything typed.
pub async fn switch(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let Some(table) = posted_table(&state, &req, &project).await? else {
        return without_pass(&state, &req, &lang_of(&req), &project, &form);
    };
    if project
        .questionnaire
        .role(&form.text(crate::domain::story::FIELD_ROLE))
        .is_none()
    {
        return Ok(see_other(&format!("/v/{}/tafel", project.slug)));
    }
    let to_language = form
        .get(FIELD_TO_LANGUAGE)
        .filter(|l| Catalogs::is_supported(l))
        .map(str::to_string);
    let lang = to_language.clone().unwrap_or_else(|| lang_of(&req));
    let page = posted_page(&project, &form, TableView::new(&table));
    let mut response = render_form(&state, &req, &lang, page, StatusCode::OK)?;
    if let Some(lang) = to_language {
        set_cookie(&mut response, &state.cookie(LANG_COOKIE, lang))?;
    }
    Ok(response)
}
