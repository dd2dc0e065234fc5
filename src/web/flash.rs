//! One-time notices after a redirect ("3 uitnodigingen worden verstuurd."): a short-lived
//! cookie naming the page it is for and what happened, read and removed by that page. A notice
//! in the query string would come back on every reload and in every bookmark of the page.
//!
//! The value is a page key and a short code (`SE-…:verstuurd:3`), never text a person typed;
//! a visitor who forges one only shows themself one of the page's own notices.

use super::forms::{set_cookie, site_cookie, site_cookie_value};
use super::AppState;
use crate::web::errors::WebError;
use actix_web::cookie::time::Duration;
use actix_web::{HttpRequest, HttpResponse};

const COOKIE: &str = "vp_melding";
/// Long enough for the redirect, short enough not to surprise anyone later.
const LIFETIME: Duration = Duration::seconds(60);

/// Leaves `code` for the page `page` on the response (a redirect to that page).
pub fn leave(
    state: &AppState,
    response: &mut HttpResponse,
    page: &str,
    code: &str,
) -> Result<(), WebError> {
    let mut cookie = site_cookie(state, COOKIE, format!("{page}:{code}"));
    cookie.set_max_age(LIFETIME);
    set_cookie(response, &cookie)
}

/// The code left for `page`, if any. The caller shows it and then calls [`clear`] on its
/// response, so that it shows once.
pub fn take(state: &AppState, req: &HttpRequest, page: &str) -> Option<String> {
    let value = site_cookie_value(state, req, COOKIE)?;
    let (for_page, code) = value.split_once(':')?;
    (for_page == page).then(|| code.to_string())
}

/// Removes the notice from the browser.
pub fn clear(state: &AppState, response: &mut HttpResponse) -> Result<(), WebError> {
    let mut cookie = site_cookie(state, COOKIE, String::new());
    cookie.make_removal();
    set_cookie(response, &cookie)
}
