//! The signed-in part of Vertelpunt under `/beheer`: logging in, projects, questionnaires,
//! users, story moderation and the audit log. The interface is Dutch only: its users are
//! Dutch professionals (the storyteller's path has more languages).
//!
//! Every handler takes a [`CurrentUser`] (which sends strangers to the login page) and asks
//! [`CurrentUser::require`] or [`CurrentUser::require_admin`] before it reads or changes
//! anything; posted forms go through [`posted_form`], which checks the CSRF token.

pub mod account;
pub mod audit;
pub mod auth;
pub mod charts;
pub mod compare;
pub mod dashboard;
pub mod explore;
pub mod export;
pub mod filters;
pub mod home;
pub mod login;
pub mod mails;
pub mod observation_pdf;
pub mod observations;
pub mod patterns;
pub mod privacy;
pub mod projects;
pub mod questionnaire;
pub mod questionnaire_form;
pub mod sessies;
pub mod session_pdf;
pub mod stories;
pub mod users;
pub mod voorstel_mail;
pub mod voorstellen;

pub use auth::CurrentUser;

use super::errors::WebError;
use super::forms::{csrf_cookie, csrf_ok, with_new_cookie, PostedForm};
use super::AppState;
use crate::service::accounts::SignedIn;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

/// Renders an admin page: the template gets `me` (the signed-in user, if any), `csrf` and
/// whatever `fill` adds. Never cached by the browser.
pub fn page(
    state: &AppState,
    req: &HttpRequest,
    me: Option<&SignedIn>,
    status: StatusCode,
    template: &str,
    fill: impl FnOnce(&mut tera::Context),
) -> Result<HttpResponse, WebError> {
    let (csrf_value, new_cookie) = csrf_cookie(state, req);
    let mut ctx = state.renderer.context("nl");
    ctx.insert("csrf", &state.secret.csrf_token(&csrf_value));
    if let Some(me) = me {
        ctx.insert("me", me);
    }
    fill(&mut ctx);
    with_new_cookie(state.renderer.page(status, template, &ctx)?, new_cookie)
}

/// Reads a posted form and checks its CSRF token.
pub fn posted_form(
    state: &AppState,
    req: &HttpRequest,
    body: &[u8],
) -> Result<PostedForm, WebError> {
    let form = PostedForm::parse(body).ok_or(WebError::BadRequest("form encoding"))?;
    if csrf_ok(state, req, &form) {
        Ok(form)
    } else {
        Err(WebError::FormExpired)
    }
}

/// Runs blocking work (database, password hashing) off the async workers.
pub async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: Send + 'static + From<WebError>,
{
    web::block(f)
        .await
        .map_err(|_| E::from(WebError::Unavailable))?
}

/// A period typed as two dates (`jjjj-mm-dd`, both optional, "tot en met" inclusive):
/// (from, until-exclusive) as Unix seconds, and a Dutch message per date that is not one.
pub fn date_range(from: &str, until: &str) -> (Option<i64>, Option<i64>, Vec<String>) {
    let mut problems = Vec::new();
    let mut parse = |raw: &str, what: &str, next_day: bool| {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match crate::exchange::timestamp::parse_date(raw) {
            Some(t) => Some(if next_day { t + 86_400 } else { t }),
            None => {
                problems.push(format!(
                    "De datum bij '{what}' klopt niet. Gebruik jaar-maand-dag, bijvoorbeeld 2026-11-22."
                ));
                None
            }
        }
    };
    let from = parse(from, "van", false);
    let until = parse(until, "tot en met", true);
    (from, until, problems)
}

/// The status of a page whose filter had problems: shown anyway, marked as not processable.
pub fn status_for(problems: &[String]) -> StatusCode {
    if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A redirect after a successful POST (so that reloading does not post again).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/beheer")
            .route("", web::get().to(home::overview))
            .route("/p/{project}", web::get().to(home::project))
            .route("/logboek", web::get().to(audit::log))
            .route("/p/{project}/patronen", web::get().to(patterns::patterns))
            .route("/p/{project}/cijfers", web::get().to(dashboard::dashboard))
            .route("/p/{project}/verkennen", web::get().to(explore::explore))
            .route("/p/{project}/vergelijk", web::get().to(compare::compare))
            .route("/projecten/nieuw", web::get().to(projects::new_form))
            .route("/projecten/nieuw", web::post().to(projects::create))
            .route(
                "/p/{project}/instellingen",
                web::get().to(projects::settings_form),
            )
            .route(
                "/p/{project}/instellingen",
                web::post().to(projects::save_settings),
            )
            .route("/p/{project}/rollen", web::post().to(projects::save_roles))
            .route(
                "/p/{project}/{verb:openen|sluiten}",
                web::post().to(projects::set_open),
            )
            .route("/inloggen", web::get().to(login::login_form))
            .route("/inloggen", web::post().to(login::login))
            .route("/uitloggen", web::post().to(login::logout))
            .configure(stories::routes)
            .configure(export::routes)
            .configure(account::routes)
            .configure(privacy::routes)
            .configure(sessies::routes)
            .configure(observations::routes)
            .configure(voorstellen::routes)
            .route("/installeren/{token}", web::get().to(login::setup_form))
            .route("/installeren/{token}", web::post().to(login::setup))
            .route("/wachtwoord-vergeten", web::get().to(login::forgot_form))
            .route("/wachtwoord-vergeten", web::post().to(login::forgot))
            .route("/wachtwoord/{token}", web::get().to(login::password_form))
            .route("/wachtwoord/{token}", web::post().to(login::set_password))
            .route("/gebruikers", web::get().to(users::list))
            .route("/gebruikers/uitnodigen", web::get().to(users::invite_form))
            .route("/gebruikers/uitnodigen", web::post().to(users::invite))
            .route("/gebruikers/{id}", web::get().to(users::edit_form))
            .route("/gebruikers/{id}", web::post().to(users::edit))
            .configure(questionnaire::routes),
    );
}
