//! Logging in and out, the first-run setup link, and choosing a password with an invitation
//! or reset link.

use super::auth::SESSION_COOKIE;
use super::CurrentUser;
use crate::domain::accounts::NewPassword;
use crate::exchange::timestamp::now_unix;
use crate::service::accounts::{self, AccountError};
use crate::web::errors::WebError;
use crate::web::forms::{csrf_ok, fresh_csrf_cookie, site_cookie, PostedForm};
use crate::web::http::{self, blocking, page, see_other};
use crate::web::AppState;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    terug: Option<String>,
    melding: Option<String>,
}

/// Where a signed-in person lands when no (usable) return path was given.
const STAFF_HOME: &str = "/beheer";

/// Only staff paths of this site are followed after login (no open redirect): a
/// [`http::same_site_path`] under `/beheer`, else `/beheer`.
fn safe_return(path: Option<&str>) -> String {
    let path = http::same_site_path(path, STAFF_HOME);
    match path.strip_prefix(STAFF_HOME) {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '?', '#']) => path,
        _ => STAFF_HOME.to_string(),
    }
}

/// A short notice after a redirect, chosen by key so that the URL cannot inject text.
fn notice(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "uitgelogd" => Some("Je bent uitgelogd."),
        "wachtwoord" => Some(
            "Je wachtwoord is ingesteld. Log nu in met je e-mailadres en je nieuwe wachtwoord.",
        ),
        "account" => Some("Het beheerdersaccount is gemaakt. Log nu in."),
        _ => None,
    }
}

fn login_page(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    email: &str,
    back: &str,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<HttpResponse, WebError> {
    page(state, req, None, status, "admin/login.html", |ctx| {
        ctx.insert("email", email);
        ctx.insert("terug", back);
        ctx.insert("error", &error);
        ctx.insert("notice", &notice);
    })
}

/// GET /beheer/inloggen
pub async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, WebError> {
    login_page(
        &state,
        &req,
        StatusCode::OK,
        "",
        &safe_return(query.terug.as_deref()),
        None,
        notice(query.melding.as_deref()),
    )
}

/// A wait in plain words: "2 seconden", "1 minuut", "15 minuten" (minutes rounded up).
fn wait_in_words(seconds: i64) -> String {
    match seconds.max(1) {
        1 => "1 seconde".to_string(),
        s @ 2..=59 => format!("{s} seconden"),
        s => match (s + 59) / 60 {
            1 => "1 minuut".to_string(),
            m => format!("{m} minuten"),
        },
    }
}

/// Wrong passwords for this e-mail address: wait, then try again.
fn account_wait_message(seconds: i64) -> String {
    format!(
        "Er is een paar keer een verkeerd wachtwoord gebruikt voor dit e-mailadres. \
         Wacht {} en probeer het dan opnieuw. Weet je je wachtwoord niet meer? \
         Vraag dan een nieuw wachtwoord aan.",
        wait_in_words(seconds)
    )
}

/// Too many wrong passwords from this network (any address).
fn address_wait_message(seconds: i64) -> String {
    format!(
        "Er is vanaf dit netwerk te vaak een verkeerd wachtwoord gebruikt. \
         Wacht {} en probeer het dan opnieuw.",
        wait_in_words(seconds)
    )
}

/// POST /beheer/inloggen
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let email = form.text("email");
    let back = safe_return(form.get("terug"));
    let again = |status, error: &str| {
        login_page(
            &state,
            &req,
            status,
            &email,
            &back,
            Some(error.to_string()),
            None,
        )
    };
    if !csrf_ok(&state, &req, &form) {
        return again(
            StatusCode::FORBIDDEN,
            "Het formulier was verlopen. Vul je wachtwoord nog een keer in en log opnieuw in.",
        );
    }
    let now = now_unix();
    if let Some(seconds) = state.address_attempt(&req, now) {
        let refused = again(
            StatusCode::TOO_MANY_REQUESTS,
            &address_wait_message(seconds),
        )?;
        return Ok(http::retry_after(refused, seconds));
    }
    let (db, hasher) = (state.db.clone(), state.hasher.clone());
    let (typed_email, password) = (email.clone(), form.text("wachtwoord"));
    let outcome = state
        .hashing(move || accounts::login(&db, &hasher, &typed_email, &password, now))
        .await?;
    match outcome {
        Ok((token, _)) => {
            state.address_succeeded(&req);
            // A new session, and a new CSRF cookie: no form token of before the login works.
            let mut response = see_other(&back);
            for cookie in [
                site_cookie(&state, SESSION_COOKIE, token),
                fresh_csrf_cookie(&state),
            ] {
                response
                    .add_cookie(&cookie)
                    .map_err(|_| WebError::BadRequest("cookie"))?;
            }
            Ok(response)
        }
        Err(AccountError::InvalidCredentials) => {
            again(
                StatusCode::UNAUTHORIZED,
                "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters en probeer het opnieuw.",
            )
        }
        Err(AccountError::Throttled { seconds }) => {
            let refused = again(StatusCode::TOO_MANY_REQUESTS, &account_wait_message(seconds))?;
            Ok(http::retry_after(refused, seconds))
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /beheer/uitloggen
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    http::posted_form(&state, &req, &body)?;
    let db = state.db.clone();
    blocking(move || {
        accounts::logout(&db, &user.token, &user.me, now_unix()).map_err(WebError::from)
    })
    .await?;
    // The removal carries the cookie's own attributes (`Secure` is required for a
    // `__Host-` cookie), and a new CSRF cookie makes the forms of this login unusable.
    let mut gone = site_cookie(&state, SESSION_COOKIE, String::new());
    gone.make_removal();
    gone.set_max_age(CookieDuration::ZERO);
    let mut response = see_other("/beheer/inloggen?melding=uitgelogd");
    for cookie in [gone, fresh_csrf_cookie(&state)] {
        response
            .add_cookie(&cookie)
            .map_err(|_| WebError::BadRequest("cookie"))?;
    }
    Ok(response)
}

/// The page for a link that is unknown, used or expired.
fn link_invalid(state: &AppState, req: &HttpRequest) -> Result<HttpResponse, WebError> {
    page(
        state,
        req,
        None,
        StatusCode::GONE,
        "admin/link_invalid.html",
        |_| {},
    )
}

/// Field values of the account forms, given back with the messages.
#[derive(serde::Serialize, Default)]
struct AccountFields {
    email: String,
    name: String,
}

fn setup_page(
    state: &AppState,
    req: &HttpRequest,
    status: StatusCode,
    fields: &AccountFields,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    page(state, req, None, status, "admin/setup.html", |ctx| {
        ctx.insert("fields", fields);
        ctx.insert("error", &error);
    })
}

/// GET /beheer/installeren/{token}
pub async fn setup_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (db, token) = (state.db.clone(), path.into_inner());
    let valid = blocking(move || {
        accounts::setup_token_valid(&db, &token, now_unix()).map_err(WebError::from)
    })
    .await?;
    if !valid {
        return link_invalid(&state, &req);
    }
    setup_page(
        &state,
        &req,
        StatusCode::OK,
        &AccountFields::default(),
        None,
    )
}

/// POST /beheer/installeren/{token}
pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let fields = AccountFields {
        email: form.text("email"),
        name: form.text("naam"),
    };
    if !csrf_ok(&state, &req, &form) {
        return setup_page(
            &state,
            &req,
            StatusCode::FORBIDDEN,
            &fields,
            Some("Het formulier was verlopen. Vul het wachtwoord nog een keer in en verstuur opnieuw.".into()),
        );
    }
    let password = match NewPassword::parse(&form.text("wachtwoord"), &form.text("herhaal")) {
        Ok(p) => p,
        Err(e) => {
            return setup_page(
                &state,
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                &fields,
                Some(e.to_string()),
            )
        }
    };
    let (db, hasher, token) = (state.db.clone(), state.hasher.clone(), path.into_inner());
    let (email, name) = (fields.email.clone(), fields.name.clone());
    let outcome = state
        .hashing(move || {
            accounts::complete_setup(&db, &hasher, &token, &email, &name, &password, now_unix())
        })
        .await?;
    match outcome {
        Ok(_) => Ok(see_other("/beheer/inloggen?melding=account")),
        Err(AccountError::Input(e)) => setup_page(
            &state,
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            &fields,
            Some(e.to_string()),
        ),
        Err(AccountError::TokenInvalid) => link_invalid(&state, &req),
        Err(e) => Err(e.into()),
    }
}

/// GET /beheer/wachtwoord-vergeten
pub async fn forgot_form(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    page(
        &state,
        &req,
        None,
        StatusCode::OK,
        "admin/forgot.html",
        |ctx| {
            ctx.insert("email", "");
        },
    )
}

/// POST /beheer/wachtwoord-vergeten — the answer is the same whether the address is known.
pub async fn forgot(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let email = form.text("email");
    if !csrf_ok(&state, &req, &form) {
        return page(
            &state,
            &req,
            None,
            StatusCode::FORBIDDEN,
            "admin/forgot.html",
            |ctx| {
                ctx.insert("email", &email);
                ctx.insert(
                    "error",
                    "Het formulier was verlopen. Verstuur het nog een keer.",
                );
            },
        );
    }
    if !state.allow_post(&req) {
        let refused = page(
            &state,
            &req,
            None,
            StatusCode::TOO_MANY_REQUESTS,
            "admin/forgot.html",
            |ctx| {
                ctx.insert("email", &email);
                ctx.insert(
                    "error",
                    "Er werden net heel vaak nieuwe wachtwoorden aangevraagd vanaf dit netwerk. Wacht een minuut en vraag het dan opnieuw aan.",
                );
            },
        )?;
        return Ok(crate::web::http::retry_after(refused, 60));
    }
    let compose = crate::mail::compose::accounts::composer(
        &state.renderer,
        state.config.base_url(),
        crate::mail::compose::accounts::MailKind::Reset,
    );
    let (db, typed) = (state.db.clone(), email.clone());
    blocking(move || {
        accounts::request_reset(&db, &typed, &compose, now_unix()).map_err(WebError::from)
    })
    .await?;
    state.mail_notify.notify_one();
    page(
        &state,
        &req,
        None,
        StatusCode::OK,
        "admin/forgot_sent.html",
        |ctx| {
            ctx.insert("email", &email);
        },
    )
}

/// GET /beheer/wachtwoord/{token}
pub async fn password_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let (db, token) = (state.db.clone(), path.into_inner());
    let owner = blocking(move || {
        Ok::<_, WebError>(accounts::password_token_owner(&db, &token, now_unix()))
    })
    .await?;
    match owner {
        Ok(user) => page(
            &state,
            &req,
            None,
            StatusCode::OK,
            "admin/password.html",
            |ctx| {
                ctx.insert("name", &user.display_name);
                ctx.insert("email", &user.email);
                ctx.insert("error", &None::<String>);
            },
        ),
        Err(AccountError::TokenInvalid) => link_invalid(&state, &req),
        Err(e) => Err(e.into()),
    }
}

/// POST /beheer/wachtwoord/{token}
pub async fn set_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let form = PostedForm::parse(&body).ok_or(WebError::BadRequest("form encoding"))?;
    let token = path.into_inner();
    let (db, lookup) = (state.db.clone(), token.clone());
    let owner = blocking(move || {
        Ok::<_, WebError>(accounts::password_token_owner(&db, &lookup, now_unix()))
    })
    .await?;
    let user = match owner {
        Ok(user) => user,
        Err(AccountError::TokenInvalid) => return link_invalid(&state, &req),
        Err(e) => return Err(e.into()),
    };
    let again = |status, error: String| {
        page(&state, &req, None, status, "admin/password.html", |ctx| {
            ctx.insert("name", &user.display_name);
            ctx.insert("email", &user.email);
            ctx.insert("error", &Some(error));
        })
    };
    if !csrf_ok(&state, &req, &form) {
        return again(
            StatusCode::FORBIDDEN,
            "Het formulier was verlopen. Vul het wachtwoord nog een keer in en verstuur opnieuw."
                .into(),
        );
    }
    let password = match NewPassword::parse(&form.text("wachtwoord"), &form.text("herhaal")) {
        Ok(p) => p,
        Err(e) => return again(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    };
    let (db, hasher) = (state.db.clone(), state.hasher.clone());
    let outcome = state
        .hashing(move || {
            accounts::set_password_with_token(&db, &hasher, &token, &password, now_unix())
        })
        .await?;
    match outcome {
        Ok(_) => Ok(see_other("/beheer/inloggen?melding=wachtwoord")),
        Err(AccountError::TokenInvalid) => link_invalid(&state, &req),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_said_in_plain_words() {
        assert_eq!(wait_in_words(0), "1 seconde");
        assert_eq!(wait_in_words(1), "1 seconde");
        assert_eq!(wait_in_words(2), "2 seconden");
        assert_eq!(wait_in_words(59), "59 seconden");
        assert_eq!(wait_in_words(60), "1 minuut");
        assert_eq!(wait_in_words(61), "2 minuten");
        assert_eq!(wait_in_words(900), "15 minuten");
        assert!(account_wait_message(4).contains("Wacht 4 seconden en probeer het dan opnieuw."));
        assert!(address_wait_message(900).contains("Wacht 15 minuten"));
    }

    #[test]
    fn only_admin_paths_are_followed_after_login() {
        assert_eq!(
            safe_return(Some("/beheer/p/jeugdhulp")),
            "/beheer/p/jeugdhulp"
        );
        assert_eq!(safe_return(Some("https://evil.example/beheer")), "/beheer");
        assert_eq!(safe_return(Some("//evil.example")), "/beheer");
        assert_eq!(safe_return(Some("/v/jeugdhulp")), "/beheer");
        assert_eq!(safe_return(None), "/beheer");
        assert_eq!(safe_return(Some("/beheerx")), "/beheer");
        assert_eq!(safe_return(Some("/beheer?melding=x")), "/beheer?melding=x");
        for bad in ["/beheer\n/x", "/beheer/\t/x", "/beheer\\x", "/beheer/x y"] {
            assert_eq!(safe_return(Some(bad)), "/beheer", "{bad:?}");
        }
    }
}
