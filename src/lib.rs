//! Vertelpunt: collect experiences with youth care and give them meaning (StoryCycle).
//!
//! Layers (see docs/architecture.md): `web` (HTTP handlers) → `service` (use cases) →
//! `domain` (pure rules) and `store` (diesel persistence); `exchange` holds file formats.

pub mod analysis;
pub mod config;
pub mod domain;
pub mod exchange;
pub mod mail;
pub mod pdf;
pub mod render;
pub mod security;
pub mod service;
pub mod store;
pub mod web;

use actix_web::dev::Server;
use actix_web::{web as aweb, App, HttpServer};
use config::Config;
use std::net::TcpListener;
use store::Database;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Project(#[from] service::projects::ProjectError),
    #[error("texts: {0}")]
    Catalog(#[from] crate::render::i18n::CatalogError),
    #[error("templates: {0}")]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Account(#[from] service::accounts::AccountError),
    #[error(transparent)]
    Hash(#[from] security::passwords::HashError),
    #[error("mail settings: {0}")]
    Mail(#[from] mail::message::MailError),
    #[error("cannot listen on {0}: {1}")]
    Listen(String, std::io::Error),
}

/// Opens (and migrates) the database and makes sure there is a project to tell stories in.
pub fn open_database(config: &Config) -> Result<Database, StartError> {
    let db = Database::open(&config.database_url, config.pool_size)?;
    if service::projects::ensure_default_project(&db)? {
        tracing::info!("created the default project \"Vertelpunt Jeugdhulp\" at /v/jeugdhulp");
    }
    Ok(db)
}

/// While the installation has no admin, prints a one-time link that creates the first one.
fn announce_setup_link(db: &Database, config: &Config) -> Result<Option<String>, StartError> {
    let token = service::accounts::setup_token_if_needed(db, exchange::timestamp::now_unix())?;
    Ok(token.map(|token| {
        let link = format!("{}/beheer/installeren/{token}", config.base_url());
        // The link itself goes to the console only, not into log collectors.
        tracing::warn!("no admin yet: the console shows a one-time link to create the first one");
        println!("\nVertelpunt heeft nog geen beheerder. Open deze eenmalige link om de eerste beheerder te maken:\n\n    {link}\n\nDe link werkt 24 uur. Of gebruik: vertelpunt user create --admin EMAIL\n");
        link
    }))
}

/// Removes expired sessions every ten minutes (expired ones are refused anyway; this only
/// keeps the table small). Runs in every instance; the deletes are idempotent.
fn spawn_housekeeping(db: Database, policy: service::accounts::StaffSessionPolicy) {
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let db = db.clone();
            let purged = tokio::task::spawn_blocking(move || {
                service::accounts::purge_expired(&db, policy, exchange::timestamp::now_unix())
            })
            .await;
            match purged {
                Ok(Ok(n)) if n > 0 => {
                    tracing::debug!(rows = n, "expired sessions, counters and links removed")
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "could not remove expired sessions"),
                _ => {}
            }
        }
    });
}

/// SQLite: indexes the stories told meanwhile for full-text search every two seconds, so that
/// a search seldom has more than a moment's stories to index first (`store::search_index`).
fn spawn_search_indexing(db: Database) {
    if !db.url().is_sqlite() {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let db = db.clone();
            let indexed =
                tokio::task::spawn_blocking(move || store::search_index::catch_up(&db)).await;
            if let Ok(Err(e)) = indexed {
                tracing::warn!(error = %e, "could not index new stories for search");
            }
        }
    });
}

/// Every `config.reminder_interval` (not at all when zero) queues a reminder mail for each
/// verbetervoorstel whose owner is due for one, and wakes the mail worker when it queued any.
/// Runs in every instance: each reminder is claimed by exactly one of them.
fn spawn_reminders(state: aweb::Data<web::AppState>) {
    let every = state.config.reminder_interval;
    if every.is_zero() {
        tracing::info!("reminders for verbetervoorstellen are off in this instance");
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let shared = state.clone();
            let queued = tokio::task::spawn_blocking(move || {
                let compose = mail::compose::reminders::reminder_composer(
                    shared.renderer.clone(),
                    shared.config.base_url().to_string(),
                );
                service::proposals::send_reminders(
                    &shared.db,
                    &shared.secret,
                    &compose,
                    exchange::timestamp::now_unix(),
                )
            })
            .await;
            match queued {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => {
                    tracing::info!(mails = n, "reminders for verbetervoorstellen queued");
                    state.mail_notify.notify_one();
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "could not queue reminders"),
                Err(e) => tracing::warn!(error = %e, "the reminder task failed"),
            }
        }
    });
}

/// Every `config.retention_interval` (not at all when zero) deletes the texts of stories whose
/// project's retention period is over (`service::retention`). Runs in every instance: each
/// story is claimed by one conditional UPDATE, so instances never do the same story twice.
fn spawn_retention(state: aweb::Data<web::AppState>) {
    let every = state.config.retention_interval;
    if every.is_zero() {
        tracing::info!("the retention loop is off in this instance");
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let db = state.db.clone();
            let done = tokio::task::spawn_blocking(move || {
                service::retention::run(&db, exchange::timestamp::now_unix())
            })
            .await;
            match done {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "could not apply the retention periods"),
                Err(e) => tracing::warn!(error = %e, "the retention task failed"),
            }
        }
    });
}

/// A server ready to run, and the address it listens on.
pub struct Application {
    pub server: Server,
    pub port: u16,
    pub host: String,
    /// The one-time link that creates the first admin, while there is none.
    pub setup_link: Option<String>,
}

impl Application {
    /// Builds the whole application; `config.bind` may use port 0 (tests).
    pub fn build(config: Config) -> Result<Self, StartError> {
        let db = open_database(&config)?;
        let secret = {
            let mut conn = db.conn()?;
            service::projects::load_secret(&mut conn, config.secret.as_deref())?
        };
        let renderer = crate::render::Renderer::load(crate::render::i18n::Catalogs::load()?)?;
        let hasher = security::passwords::PasswordHasher::new(config.password_params)?;
        let setup_link = announce_setup_link(&db, &config)?;
        let mailer = mail::sender::Mailer::new(&config.mail)?;
        tracing::info!("{}", mail::sender::Mailer::describe(&config.mail));
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| StartError::Listen(config.bind.clone(), e))?;
        let address = listener
            .local_addr()
            .map_err(|e| StartError::Listen(config.bind.clone(), e))?;
        let workers = config.workers;
        spawn_housekeeping(db.clone(), config.staff_session);
        spawn_search_indexing(db.clone());
        let https = config.is_https();
        let state = aweb::Data::new(web::AppState::new(db, secret, renderer, hasher, config));
        // Build runs inside the actix System (main and tests): the worker lives as long as it.
        mail::worker::start(state.db.clone(), mailer, state.mail_notify.clone());
        spawn_reminders(state.clone());
        spawn_retention(state.clone());
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(web::error_pages())
                // Around the error pages, so that a 404 at `?taal=xx` keeps the language too.
                .wrap(actix_web::middleware::from_fn(web::remember_language))
                .wrap(web::security_headers(https))
                // Outermost: the request span covers the error pages and headers too.
                .wrap(tracing_actix_web::TracingLogger::<
                    web::request_span::RequestSpan,
                >::new())
                .configure(web::routes::configure)
        })
        .listen(listener)
        .map_err(|e| StartError::Listen(address.to_string(), e))?;
        if let Some(n) = workers {
            server = server.workers(n);
        }
        Ok(Self {
            server: server.run(),
            port: address.port(),
            host: address.ip().to_string(),
            setup_link,
        })
    }
}
