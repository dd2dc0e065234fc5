//! HTTP: every route is registered in [`routes`]; handlers are thin (parse, call a service,
//! render). Areas live in their own modules: `vertelpunt/` is the storyteller's path.

pub mod admin;
pub mod api;
pub mod assets;
pub mod errors;
pub mod flash;
pub mod forms;
pub mod http;
pub mod proposal;
pub mod request_span;
pub mod routes;
pub mod sensemaking;
pub mod storytelling;
pub mod stream;
pub mod views;

use crate::config::Config;
use crate::domain::throttle::{self, Failures, ThrottlePolicy, WindowCount};
use crate::domain::Project;
use crate::render::Renderer;
use crate::security::passwords::PasswordHasher;
use crate::security::Secret;
use crate::service::projects::ProjectCache;
use crate::service::Database;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, ErrorHandlers};
use actix_web::{web, HttpRequest, HttpResponse};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const LANG_COOKIE: &str = "vp_taal";
/// The window of the per-address story limit (`Config::stories_per_address`).
pub const STORY_WINDOW_SECONDS: i64 = 10 * 60;
/// Largest request body accepted: room for a story at its limit in 4-byte characters,
/// percent-encoded, plus the answers.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

/// Everything a handler needs, shared by all workers.
pub struct AppState {
    pub db: Database,
    pub secret: Secret,
    pub renderer: Renderer,
    pub projects: ProjectCache,
    pub empty_forms: RenderedFormCache,
    pub post_limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Unknown session codes per client address (in memory only): codes cannot be guessed.
    code_limiter: DefaultKeyedRateLimiter<IpAddr>,
    /// Posts per session participant: a generous limit that only stops runaway clients.
    table_limiter: DefaultKeyedRateLimiter<String>,
    pub hasher: PasswordHasher,
    /// Failed logins per client address, in memory only (addresses are never stored).
    login_failures: Mutex<HashMap<IpAddr, Failures>>,
    /// Stories stored per client address in the current window (in memory only).
    stored_stories: Mutex<HashMap<IpAddr, WindowCount>>,
    /// Wrong withdrawal and resume codes per client address (in memory only).
    wrong_codes: Mutex<HashMap<IpAddr, Failures>>,
    /// Wakes the mail worker when a mail was queued.
    pub mail_notify: Arc<tokio::sync::Notify>,
    /// Password hashing costs ~19 MiB and real CPU per call: at most one per core at a time,
    /// so that a flood of login posts queues instead of exhausting memory.
    hash_permits: Arc<tokio::sync::Semaphore>,
    /// Project data and scans for the analysis pages, kept until the data changes.
    pub analysis: Arc<crate::service::analysis::AnalysisCache>,
    /// A line per story of the projects whose staff list was searched lately.
    pub staff_lines: Arc<crate::service::staff_search::StaffLinesCache>,
    pub config: Config,
}

impl AppState {
    pub fn new(
        db: Database,
        secret: Secret,
        renderer: Renderer,
        hasher: PasswordHasher,
        config: Config,
    ) -> Self {
        let post_limiter = NonZeroU32::new(config.post_limit_per_minute)
            .map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        Self {
            db,
            secret,
            renderer,
            projects: ProjectCache::new(Duration::from_secs(5)),
            empty_forms: RenderedFormCache::default(),
            post_limiter,
            code_limiter: RateLimiter::keyed(Quota::per_minute(nonzero(20))),
            table_limiter: RateLimiter::keyed(Quota::per_minute(nonzero(120))),
            hasher,
            login_failures: Mutex::new(HashMap::new()),
            stored_stories: Mutex::new(HashMap::new()),
            wrong_codes: Mutex::new(HashMap::new()),
            mail_notify: Arc::new(tokio::sync::Notify::new()),
            analysis: Arc::new(crate::service::analysis::AnalysisCache::new()),
            staff_lines: Arc::new(crate::service::staff_search::StaffLinesCache::new()),
            hash_permits: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            )),
            config,
        }
    }

    /// Runs work that hashes a password on the blocking pool, one per core at a time.
    pub async fn hashing<T, E>(
        &self,
        f: impl FnOnce() -> Result<T, E> + Send + 'static,
    ) -> Result<Result<T, E>, errors::WebError>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let _permit = self
            .hash_permits
            .acquire()
            .await
            .map_err(|_| errors::WebError::Unavailable)?;
        http::blocking_outcome(f).await
    }

    /// Counts a login attempt from this client address before the password is checked (so
    /// that parallel guesses are counted too). Returns the seconds to wait when the address is
    /// blocked; then the attempt is not made.
    pub fn address_attempt(&self, req: &HttpRequest, now: i64) -> Option<i64> {
        let ip = client_ip(req, self.config.trust_forwarded_for)?;
        let mut failures = self
            .login_failures
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(seconds) = failures.get(&ip).and_then(|f| f.blocked_for(now)) {
            return Some(seconds);
        }
        if failures.len() > 100_000 {
            failures.retain(|_, f| now - f.window_start < ThrottlePolicy::ADDRESS.window);
        }
        let entry = failures.entry(ip).or_default();
        *entry = entry.after_failure(now, ThrottlePolicy::ADDRESS);
        None
    }

    /// A successful login takes back the attempt counted for its address.
    pub fn address_succeeded(&self, req: &HttpRequest) {
        if let Some(ip) = client_ip(req, self.config.trust_forwarded_for) {
            let mut failures = self
                .login_failures
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(entry) = failures.get_mut(&ip) {
                entry.count = entry.count.saturating_sub(1);
            }
        }
    }

    /// Counts an unknown session code from this address; false when it tried too many lately.
    pub fn allow_code_guess(&self, req: &HttpRequest) -> bool {
        let Some(ip) = client_ip(req, self.config.trust_forwarded_for) else {
            return true;
        };
        if self.code_limiter.len() > 100_000 {
            self.code_limiter.retain_recent();
        }
        self.code_limiter.check_key(&ip).is_ok()
    }

    /// False when this session participant posted too often in the last minute.
    pub fn allow_table_post(&self, participant: &str) -> bool {
        if self.table_limiter.len() > 100_000 {
            self.table_limiter.retain_recent();
        }
        self.table_limiter
            .check_key(&participant.to_string())
            .is_ok()
    }

    fn story_quota(&self) -> Option<throttle::Quota> {
        (self.config.stories_per_address > 0).then_some(throttle::Quota {
            max: self.config.stories_per_address,
            window: STORY_WINDOW_SECONDS,
        })
    }

    /// Seconds to wait when this client address already stored its quota of stories in the
    /// current window; `None` when one more may be stored.
    pub fn story_wait(&self, req: &HttpRequest, now: i64) -> Option<i64> {
        let quota = self.story_quota()?;
        let ip = client_ip(req, self.config.trust_forwarded_for)?;
        let counts = self
            .stored_stories
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        counts.get(&ip).and_then(|c| c.wait(now, quota))
    }

    /// Counts a story stored from this client address (not a refused or repeated form).
    pub fn story_stored(&self, req: &HttpRequest, now: i64) {
        let (Some(quota), Some(ip)) = (
            self.story_quota(),
            client_ip(req, self.config.trust_forwarded_for),
        ) else {
            return;
        };
        let mut counts = self
            .stored_stories
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if counts.len() > 100_000 {
            counts.retain(|_, c| now - c.window_start < quota.window);
        }
        let entry = counts.entry(ip).or_default();
        *entry = entry.after_use(now, quota);
    }

    /// Seconds to wait when this client address typed too many wrong codes lately.
    pub fn code_wait(&self, req: &HttpRequest, now: i64) -> Option<i64> {
        let ip = client_ip(req, self.config.trust_forwarded_for)?;
        let failures = self.wrong_codes.lock().unwrap_or_else(|e| e.into_inner());
        failures.get(&ip).and_then(|f| f.blocked_for(now))
    }

    /// Counts a wrong withdrawal or resume code from this client address.
    pub fn code_wrong(&self, req: &HttpRequest, now: i64) {
        let Some(ip) = client_ip(req, self.config.trust_forwarded_for) else {
            return;
        };
        let mut failures = self.wrong_codes.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > 100_000 {
            failures.retain(|_, f| now - f.window_start < ThrottlePolicy::CODE.window);
        }
        let entry = failures.entry(ip).or_default();
        *entry = entry.after_failure(now, ThrottlePolicy::CODE);
    }

    /// False when this client address has posted too often lately (kept in memory only).
    pub fn allow_post(&self, req: &HttpRequest) -> bool {
        match (
            &self.post_limiter,
            client_ip(req, self.config.trust_forwarded_for),
        ) {
            (Some(limiter), Some(ip)) => {
                if limiter.len() > 100_000 {
                    limiter.retain_recent();
                }
                limiter.check_key(&ip).is_ok()
            }
            _ => true,
        }
    }

    pub fn cookie<'c>(&self, name: &'c str, value: String) -> Cookie<'c> {
        Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.config.secure_cookies)
            .finish()
    }
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// The client's address, used only for rate limiting in memory; never stored.
fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        if let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            // The entry our own proxy appended; entries further left are the client's word.
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return Some(ip);
        }
    }
    req.peer_addr().map(|a| a.ip())
}

/// Project slug, role key and language of a rendered form.
pub type FormKey = (String, String, String);

/// A rendered form and the project value it was rendered from.
type RenderedForm = (Arc<Project>, Arc<String>);

/// Empty story forms rendered once per (project, role, language). An entry is valid only for
/// the very project value it was rendered from, so it follows the project cache's refreshes.
#[derive(Default)]
pub struct RenderedFormCache {
    entries: Mutex<HashMap<FormKey, RenderedForm>>,
}

impl RenderedFormCache {
    pub fn get(
        &self,
        key: &(String, String, String),
        project: &Arc<Project>,
    ) -> Option<Arc<String>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(from, _)| Arc::ptr_eq(from, project))
            .map(|(_, html)| html.clone())
    }

    pub fn put(&self, key: FormKey, project: &Arc<Project>, html: Arc<String>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 1000 {
            entries.clear();
        }
        entries.insert(key, (project.clone(), html));
    }
}

/// A language of the interface asked for with `?taal=` in this query string; `None` without
/// one or for a language the interface does not have.
pub fn asked_language(query: &str) -> Option<String> {
    web::Query::<HashMap<String, String>>::from_query(query)
        .ok()
        .and_then(|q| q.get("taal").cloned())
        .filter(|l| crate::render::i18n::Catalogs::is_supported(l))
}

/// The interface language: `?taal=` on this request (kept for the visit by
/// [`remember_language`]), else the language chosen earlier in this visit (the cookie), else the first of the browser's languages (`Accept-Language`) that we
/// have, else Dutch.
pub fn lang_of(req: &HttpRequest) -> String {
    let from_query = asked_language(req.query_string());
    let from_cookie = req.cookie(LANG_COOKIE).map(|c| c.value().to_string());
    let from_browser = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(browser_language);
    from_query
        .into_iter()
        .chain(from_cookie)
        .find(|l| crate::render::i18n::Catalogs::is_supported(l))
        .or(from_browser)
        .unwrap_or_else(|| crate::render::i18n::DEFAULT_LANG.to_string())
}

/// Keeps a language asked for with `?taal=xx` for the rest of the visit (the `vp_taal`
/// cookie), as the language list does: a link such as `/v/jeugdhulp?taal=ar` on a poster or
/// in a message then opens the following pages in Arabic too, and the story sent from them is
/// stored as told in Arabic, not only the first page.
pub async fn remember_language(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let asked = asked_language(req.query_string());
    let kept = req.cookie(LANG_COOKIE).map(|c| c.value().to_string());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let mut res = next.call(req).await?;
    if let (Some(lang), Some(state)) = (asked, state) {
        let set_here = res.response().cookies().any(|c| c.name() == LANG_COOKIE);
        // A response that shared caches may keep (the assets) never carries a cookie.
        let shared = res
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("public"));
        if kept.as_deref() != Some(lang.as_str()) && !set_here && !shared {
            // A language key is a few letters: never a reason for a failed response.
            let _ = res
                .response_mut()
                .add_cookie(&state.cookie(LANG_COOKIE, lang));
        }
    }
    Ok(res)
}

/// The first language of an `Accept-Language` header (in the browser's order of preference)
/// that the interface has. A language counts by its primary subtag: "en-GB" and "nl-BE" are
/// English and Dutch.
fn browser_language(accept: &str) -> Option<String> {
    accept_language::parse(accept).into_iter().find_map(|tag| {
        let primary = tag
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        crate::render::i18n::Catalogs::is_supported(&primary).then_some(primary)
    })
}

#[derive(serde::Deserialize)]
pub struct LangSwitch {
    naar: String,
    terug: Option<String>,
}

/// Switches the interface language and returns to the page the user came from.
/// Without `terug` it goes back to the referring page of this site (Referrer-Policy is
/// same-origin, so the browser sends the path to us and to no one else). Only a path of this
/// site is followed ([`http::same_site_path`]); anything else goes to the home page.
pub async fn switch_language(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<LangSwitch>,
) -> HttpResponse {
    let referer = || {
        req.headers()
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| r.split_once("://"))
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
    };
    let asked = query.terug.clone().or_else(referer);
    let mut res = http::see_other(&http::same_site_path(asked.as_deref(), "/"));
    if crate::render::i18n::Catalogs::is_supported(&query.naar) {
        // A language key is a few letters: never a reason for a failed response.
        let _ = res.add_cookie(&state.cookie(LANG_COOKIE, query.naar.clone()));
    }
    res
}

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    match crate::service::projects::health(&state.db).await {
        Ok(_) => HttpResponse::Ok().content_type("text/plain").body("ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

/// HSTS for installations served over https (one year; no preload, that is the owner's call).
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The Content-Security-Policy: only our own assets, no inline script, no framing.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = if https {
        DefaultHeaders::new().add((header::STRICT_TRANSPORT_SECURITY, HSTS))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add((header::CONTENT_SECURITY_POLICY, CSP))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ))
}

pub fn error_pages<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(errors::render_error_page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_first_language_we_have_is_chosen() {
        assert_eq!(
            browser_language("en-GB,en;q=0.9,nl;q=0.8").as_deref(),
            Some("en")
        );
        assert_eq!(
            browser_language("de-DE, nl-BE;q=0.7, en;q=0.8").as_deref(),
            Some("en")
        );
        assert_eq!(browser_language("EN-us").as_deref(), Some("en"));
        assert_eq!(browser_language("ar-MA,fr;q=0.5").as_deref(), Some("ar"));
        assert_eq!(browser_language("de, sw;q=0.5"), None);
        assert_eq!(browser_language("*"), None);
        assert_eq!(browser_language(""), None);
        assert_eq!(browser_language(";;,q=,,"), None);
    }
}
