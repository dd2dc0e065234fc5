//! A verteltafel without a connection (progressive enhancement; `assets/verteltafel.js` does
//! the work on the device):
//!
//! - the web app manifest and the service worker (`table_sw.js`, our own code) that keep the
//!   table's pages and assets on the device, so that the form opens with the network off;
//! - the endpoint that takes one story the device kept while it had no connection, with the
//!   moment it was finished: such a story is taken when it was finished while the table was
//!   open, also when the table closed since, and refused otherwise, with the reason.
//!
//! The service worker is served from `/v/{project}/tafel-sw.js`, so its largest possible scope
//! is `/v/{project}/`; the page registers it for `/v/{project}/tafel` (which also covers
//! `/v/{project}/tafel/vertel`), so no `Service-Worker-Allowed` header is needed.

use super::project_or_404;
use super::table::{FIELD_DEVICE_CODE, TABLE_COOKIE};
use crate::domain::story_table::LateStory;
use crate::exchange::timestamp::now_unix;
use crate::render::i18n::{self, Catalogs, DEFAULT_LANG};
use crate::security::sha256_hex;
use crate::service::error::ServiceError;
use crate::service::story_tables::{
    self, TablePass, TableStory, TableSubmitError, Told, FIELD_CONSENT_READ,
};
use crate::service::storytelling::valid_submission_key;
use crate::web::errors::WebError;
use crate::web::forms::{PostedForm, FIELD_KEY};
use crate::web::{lang_of, AppState};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use std::sync::OnceLock;

/// The service worker, with `__VERSION__` and `__ASSETS__` filled in when served.
const SERVICE_WORKER: &str = include_str!("table_sw.js");
/// What the service worker keeps for the form to open and work without a connection (under
/// `/assets/`). The pages themselves are kept as the device loads them.
const OFFLINE_ASSETS: &[&str] = &[
    "app.css",
    "app.js",
    "verteltafel.js",
    "favicon.svg",
    "icons/verteltafel-192.png",
    "icons/verteltafel-512.png",
];
/// The fields a kept story brings besides the form's own.
const FIELD_FINISHED_AT: &str = "afgerond";
const FIELD_LANGUAGE: &str = "taal";
const FIELD_TABLE: &str = "tafel";

/// GET /v/{project}/tafel.webmanifest — the verteltafel as an installable app.
pub async fn manifest(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let lang = lang_of(&req);
    let text = |key: &str| state.renderer.catalogs.text(&lang, key, &[]);
    let base = format!("/v/{}/tafel", project.slug);
    // The icon is a full square with its picture inside the middle 80%, so the same file
    // serves as a plain and as a maskable icon (listed apart, as browsers ask).
    let icon = |size: u32, purpose: &str| {
        serde_json::json!({
            "src": format!("/assets/icons/verteltafel-{size}.png"),
            "sizes": format!("{size}x{size}"),
            "type": "image/png",
            "purpose": purpose,
        })
    };
    let body = serde_json::json!({
        "id": base,
        "name": format!("{} – {}", text("table.title"), project.name),
        "short_name": text("table.title"),
        "description": text("table.offline_app_description"),
        "lang": lang,
        "dir": i18n::direction(&lang),
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d66",
        "icons": [icon(192, "any"), icon(512, "any"), icon(512, "maskable")],
    });
    Ok(HttpResponse::Ok()
        .content_type("application/manifest+json")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body.to_string()))
}

/// GET /v/{project}/tafel-sw.js — the service worker of the project's verteltafel.
pub async fn service_worker(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    project_or_404(&state, &path).await?;
    let assets: Vec<String> = OFFLINE_ASSETS
        .iter()
        .map(|a| format!("/assets/{a}"))
        .collect();
    let body = SERVICE_WORKER
        .replace("__VERSION__", cache_version())
        .replace(
            "__ASSETS__",
            &serde_json::to_string(&assets).map_err(|_| WebError::Failed("assets".into()))?,
        );
    Ok(HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        // Browsers check a service worker for updates themselves; no cached copy in between.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body))
}

/// The version of the offline cache: a hash of the service worker and of every file it
/// keeps, so that a release that changes any of them makes the device fetch them anew (a
/// changed worker is installed by the browser, and drops the old cache when it activates).
fn cache_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut all = String::from(SERVICE_WORKER);
        for asset in OFFLINE_ASSETS {
            let hash = crate::web::assets::content_hash(asset).unwrap_or_default();
            all.push_str(asset);
            all.push_str(&hex::encode(hash));
        }
        sha256_hex(&all)[..16].to_string()
    })
}

/// The answer to a kept story, as the device's script reads it.
#[derive(Debug, Serialize)]
struct KeptAnswer {
    /// `opgeslagen`, `al_opgeslagen` (a repeat: stored once), `geweigerd` (never: the device
    /// drops it and tells the worker why) or `niet_nu` (not now: the device keeps it).
    uitkomst: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reden: Option<&'static str>,
    /// The reason in the request's language, for readers other than our script.
    #[serde(skip_serializing_if = "Option::is_none")]
    bericht: Option<String>,
    /// With `onvolledig`: the fields with a problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    velden: Vec<String>,
}

impl KeptAnswer {
    fn stored(was_duplicate: bool) -> Self {
        Self {
            uitkomst: if was_duplicate {
                "al_opgeslagen"
            } else {
                "opgeslagen"
            },
            reden: None,
            bericht: None,
            velden: Vec::new(),
        }
    }

    fn reason(
        uitkomst: &'static str,
        reden: &'static str,
        catalogs: &Catalogs,
        lang: &str,
    ) -> Self {
        Self {
            uitkomst,
            reden: Some(reden),
            bericht: Some(catalogs.text(lang, reason_text(reden), &[])),
            velden: Vec::new(),
        }
    }

    fn response(&self, status: StatusCode) -> HttpResponse {
        HttpResponse::build(status)
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(self)
    }
}

/// The text that explains a reason (the device's script has the same texts in its page).
fn reason_text(reden: &str) -> &'static str {
    match reden {
        "na_sluiten" => "table.offline_refused_closed",
        "na_verlopen" => "table.offline_refused_expired",
        "vertelpunt_dicht" => "table.offline_refused_vertelpunt_closed",
        "toekomst" => "table.offline_refused_clock_ahead",
        "voor_opening" => "table.offline_refused_clock_behind",
        "onvolledig" => "table.offline_refused_incomplete",
        "onleesbaar" => "table.offline_refused_unreadable",
        "geen_pas" => "table.offline_no_pass",
        "andere_tafel" => "table.offline_other_table",
        _ => "table.offline_failed",
    }
}

/// A story kept on the device, as posted: the story form's fields and what the device adds.
struct KeptStory {
    story: TableStory,
    finished_at: i64,
}

impl KeptStory {
    /// `None` when the post is not a kept story of ours (no valid key, time or code).
    fn read(form: &PostedForm) -> Option<Self> {
        let submission_key = form.text(FIELD_KEY);
        let finished_at = form.get(FIELD_FINISHED_AT)?.trim().parse::<i64>().ok()?;
        let device_code = form.get(FIELD_DEVICE_CODE)?.to_string();
        if !valid_submission_key(&submission_key) {
            return None;
        }
        let language = form
            .get(FIELD_LANGUAGE)
            .filter(|l| Catalogs::is_supported(l))
            .unwrap_or(DEFAULT_LANG)
            .to_string();
        Some(Self {
            story: TableStory {
                raw: form.submission(),
                consent_read: form.get(FIELD_CONSENT_READ).is_some(),
                submission_key,
                device_code: Some(device_code),
                language,
            },
            finished_at,
        })
    }
}

/// POST /v/{project}/tafel/nasturen — one story the device kept while it had no connection.
///
/// CSRF: the page that kept the story may have come from the device's cache, hours old, so a
/// form token bound to the CSRF cookie of that moment cannot be relied on. Instead a post must
/// come from a page of this site (`Sec-Fetch-Site: same-origin`, or an `Origin` of this site:
/// browsers send it with every script's POST and a page elsewhere cannot forge either) and
/// carry the device's table pass, a sealed `SameSite=Lax` cookie that a cross-site post does
/// not get. What is posted is only ever stored as a new story at the pass's own table.
pub async fn send(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let project = project_or_404(&state, &path).await?;
    let lang = lang_of(&req);
    let catalogs = &state.renderer.catalogs;
    let answer = |uitkomst, reden, status| {
        Ok(KeptAnswer::reason(uitkomst, reden, catalogs, &lang).response(status))
    };
    if !from_this_site(&req, &state.config.public_url) {
        return answer("niet_nu", "herkomst", StatusCode::FORBIDDEN);
    }
    let now = now_unix();
    let Some(pass) = req
        .cookie(TABLE_COOKIE)
        .and_then(|c| TablePass::open_for_sending(&state.secret, c.value(), &project.slug, now))
    else {
        return answer("niet_nu", "geen_pas", StatusCode::FORBIDDEN);
    };
    let Some(form) = PostedForm::parse(&body) else {
        return answer("geweigerd", "onleesbaar", StatusCode::UNPROCESSABLE_ENTITY);
    };
    // A device at another table now: the story waits until it is back at its own.
    if form.get(FIELD_TABLE).is_some_and(|t| t != pass.table) {
        return answer("niet_nu", "andere_tafel", StatusCode::FORBIDDEN);
    }
    let Some(kept) = KeptStory::read(&form) else {
        return answer("geweigerd", "onleesbaar", StatusCode::UNPROCESSABLE_ENTITY);
    };
    let told = Told::Earlier {
        finished_at: kept.finished_at,
        pass_expires: pass.expires,
    };
    let result = story_tables::submit(
        &state.db,
        &state.secret,
        &project,
        &pass.table,
        kept.story,
        told,
        now,
    )
    .await;
    let error = match result {
        Ok(stored) => return Ok(KeptAnswer::stored(stored.was_duplicate).response(StatusCode::OK)),
        Err(error) => error,
    };
    let reden = match &error {
        TableSubmitError::Core(ServiceError::Store(e)) => {
            tracing::error!(error = %e, "storing a kept story failed");
            return answer("niet_nu", "opslag", StatusCode::SERVICE_UNAVAILABLE);
        }
        TableSubmitError::Core(_) => return Err(error.into()),
        TableSubmitError::Invalid(_) => "onvolledig",
        TableSubmitError::BadWithdrawalCode => "onleesbaar",
        TableSubmitError::TableClosed | TableSubmitError::Late(LateStory::AfterClosed) => {
            "na_sluiten"
        }
        TableSubmitError::Late(LateStory::AfterExpiry) => "na_verlopen",
        TableSubmitError::Late(LateStory::InFuture) => "toekomst",
        TableSubmitError::Late(LateStory::BeforeOpened) => "voor_opening",
        TableSubmitError::ProjectClosed => "vertelpunt_dicht",
    };
    // The one mapping from a refusal to a status code (409 for a table that was closed then,
    // 422 for what cannot be right).
    let status = WebError::refused(&error).status_code();
    let mut refused = KeptAnswer::reason("geweigerd", reden, catalogs, &lang);
    if let TableSubmitError::Invalid(errors) = error {
        refused.velden = errors.into_iter().map(|e| e.field).collect();
    }
    Ok(refused.response(status))
}

/// Whether a request was made by a page of this site (see [`send`]).
fn from_this_site(req: &HttpRequest, public_url: &str) -> bool {
    let get = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    same_origin(
        get("sec-fetch-site"),
        get(header::ORIGIN.as_str()),
        get(header::HOST.as_str()),
        public_url,
    )
}

/// The rule of [`from_this_site`]: a browser's own `Sec-Fetch-Site` must say `same-origin`,
/// and an `Origin` must be this host (as the browser addressed it) or the public address.
/// A request with neither is refused: every browser that runs our offline script sends one.
fn same_origin(
    fetch_site: Option<&str>,
    origin: Option<&str>,
    host: Option<&str>,
    public_url: &str,
) -> bool {
    if fetch_site.is_some_and(|site| site != "same-origin") {
        return false;
    }
    match origin {
        Some(origin) => {
            let authority = origin.split_once("://").map(|(_, rest)| rest);
            let public = public_url.trim_end_matches('/');
            origin == public || (authority.is_some() && authority == host)
        }
        None => fetch_site == Some("same-origin"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_of_this_site_may_send_kept_stories() {
        let public = "https://vertelpunt.example.nl/";
        let host = Some("vertelpunt.example.nl");
        let ok = |site, origin| same_origin(site, origin, host, public);
        assert!(ok(
            Some("same-origin"),
            Some("https://vertelpunt.example.nl")
        ));
        assert!(ok(None, Some("https://vertelpunt.example.nl")));
        assert!(ok(Some("same-origin"), None));
        // Behind a proxy that changes the Host header, the public address still counts.
        assert!(same_origin(
            None,
            Some("https://vertelpunt.example.nl"),
            Some("127.0.0.1:8080"),
            public
        ));
        assert!(!ok(
            Some("cross-site"),
            Some("https://vertelpunt.example.nl")
        ));
        assert!(!ok(Some("same-site"), None));
        assert!(!ok(None, Some("https://elders.example.org")));
        assert!(!ok(None, Some("https://vertelpunt.example.nl.elders.org")));
        assert!(!ok(None, Some("null")));
        assert!(!ok(None, None));
    }

    #[test]
    fn the_cache_version_follows_the_worker_and_its_files() {
        let version = cache_version();
        assert_eq!(version.len(), 16);
        assert_eq!(version, cache_version());
        for asset in OFFLINE_ASSETS {
            assert!(
                crate::web::assets::content_hash(asset).is_some(),
                "{asset} is served"
            );
        }
    }
}
