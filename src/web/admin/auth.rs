//! Who is signed in. The session cookie holds a random token; the session itself (with its
//! idle and absolute timeouts) lives in the database, so it survives restarts and works on
//! every instance.

use super::super::errors::WebError;
use super::super::AppState;
use crate::domain::accounts::ProjectAction;
use crate::exchange::timestamp::now_unix;
use crate::service::accounts::{self, SignedIn};
use crate::web::forms::{site_cookie_value, STAFF_SESSION_COOKIE};
use crate::web::http;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;

/// The staff session cookie: `vp_sessie`, `__Host-vp_sessie` over https
/// ([`crate::web::forms::site_cookie_name`]).
pub const SESSION_COOKIE: &str = STAFF_SESSION_COOKIE;

/// The signed-in user of this request. Extracting it sends a visitor without a valid session
/// to the login page (and back here afterwards).
pub struct CurrentUser {
    pub me: SignedIn,
    /// The session token from the cookie (needed to log out).
    pub token: String,
}

impl CurrentUser {
    /// 403 unless this user is an admin (the same rule the services apply).
    pub fn require_admin(&self) -> Result<(), WebError> {
        Ok(crate::service::error::require_admin(&self.me)?)
    }

    /// 403 unless this user may do `action` in `project`. Checked before the project is even
    /// looked up, so that a stranger cannot tell which projects exist.
    pub fn require(&self, project: &str, action: ProjectAction) -> Result<(), WebError> {
        Ok(crate::service::error::require(&self.me, project, action)?)
    }
}

/// The path (and query) to come back to after logging in (the login page checks it again).
fn return_path(req: &HttpRequest) -> String {
    let asked = (req.method() == actix_web::http::Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.as_str()))
        .flatten();
    http::same_site_path(asked, "/beheer")
}

impl FromRequest for CurrentUser {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or(WebError::Unavailable)?
                .clone();
            let back = return_path(&req);
            let Some(token) = site_cookie_value(&state, &req, SESSION_COOKIE) else {
                return Err(WebError::LoginRequired(back));
            };
            let policy = state.config.staff_session;
            let db = state.db.clone();
            let lookup = token.clone();
            let me = http::blocking(move || {
                accounts::session_user(&db, &lookup, policy, now_unix()).map_err(WebError::from)
            })
            .await?;
            match me {
                Some(me) => Ok(CurrentUser { me, token }),
                None => Err(WebError::LoginRequired(back)),
            }
        })
    }
}
