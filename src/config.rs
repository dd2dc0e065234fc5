//! One typed configuration, read once at start from the environment (and CLI flags).

use crate::mail::{MailConfig, SmtpConfig, SmtpTls};
use crate::security::passwords::PasswordParams;
use crate::service::accounts::StaffSessionPolicy;
use crate::store::{DatabaseUrl, StoreError};
use std::time::Duration;

pub const DEFAULT_DATABASE: &str = "data/vertelpunt.db";
/// Reminders are due per day; looking once an hour is soon enough and costs one query.
pub const DEFAULT_REMINDER_INTERVAL_SECONDS: u64 = 3600;
/// Retention periods are whole days; deleting texts up to an hour late is soon enough.
pub const DEFAULT_RETENTION_INTERVAL_SECONDS: u64 = 3600;

/// A class of 35 on one school network, each telling a few stories in a lesson, stays well
/// under this; a script posting a story every few seconds does not.
pub const DEFAULT_STORIES_PER_ADDRESS: u32 = 200;
pub const DEFAULT_DRAFT_DAYS: u32 = 14;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    pub bind: String,
    pub pool_size: u32,
    /// Hex secret (64+ characters); when absent one is generated and kept in the database.
    pub secret: Option<String>,
    /// Other public posts (owner pages, password help) per minute per client address; 0
    /// switches the limit off. Stories have their own limit, below.
    pub post_limit_per_minute: u32,
    /// Stories stored per client address per ten minutes; 0 switches the limit off. Only
    /// stored stories count, so a class on one school network is not stopped by typos.
    pub stories_per_address: u32,
    /// Days a saved draft ("Later verder") can be resumed; the retention loop then erases it.
    pub draft_days: u32,
    /// Whether to take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Set the `Secure` flag on cookies (serve over https).
    pub secure_cookies: bool,
    pub workers: Option<usize>,
    /// The address people reach this installation at, e.g. `https://vertelpunt.regio.nl`;
    /// used in links in mails. With `https://` cookies are `Secure` and HSTS is sent.
    pub public_url: String,
    pub staff_session: StaffSessionPolicy,
    pub password_params: PasswordParams,
    pub mail: MailConfig,
    /// How often every instance looks for verbetervoorstellen whose owner is due for a
    /// reminder mail; zero switches the loop off (then run `vertelpunt proposals remind`).
    pub reminder_interval: Duration,
    /// How often every instance deletes the texts of stories past their project's retention
    /// period; zero switches the loop off (then run `vertelpunt retention run`).
    pub retention_interval: Duration,
    /// Where people report an accessibility problem: an e-mail address or an http(s) address,
    /// shown on /toegankelijkheid. Unset: that page asks them to tell the organisation.
    pub accessibility_contact: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{name} has an unusable value {value:?}: {hint}")]
    Invalid {
        name: &'static str,
        value: String,
        hint: &'static str,
    },
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_flag(name: &str) -> bool {
    env(name).is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"))
}

fn env_number<T: std::str::FromStr>(
    name: &'static str,
    default: T,
    hint: &'static str,
) -> Result<T, ConfigError> {
    match env(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid {
            name,
            value: v,
            hint,
        }),
    }
}

fn mail_from_env() -> Result<MailConfig, ConfigError> {
    let defaults = MailConfig::default();
    let smtp = match env("VERTELPUNT_SMTP_HOST") {
        None => None,
        Some(host) => {
            let tls = match env("VERTELPUNT_SMTP_TLS") {
                None => SmtpTls::StartTls,
                Some(v) => SmtpTls::parse(&v).ok_or(ConfigError::Invalid {
                    name: "VERTELPUNT_SMTP_TLS",
                    value: v,
                    hint: "use starttls, tls or none",
                })?,
            };
            Some(SmtpConfig {
                host: host.trim().to_string(),
                port: env_number("VERTELPUNT_SMTP_PORT", tls.default_port(), "a port number")?,
                tls,
                username: env("VERTELPUNT_SMTP_USER"),
                password: env("VERTELPUNT_SMTP_PASSWORD"),
            })
        }
    };
    Ok(MailConfig {
        smtp,
        from: env("VERTELPUNT_MAIL_FROM").unwrap_or(defaults.from),
        folder: env("VERTELPUNT_MAIL_DIR")
            .map(Into::into)
            .unwrap_or(defaults.folder),
    })
}

impl Config {
    /// The settings of a fresh installation on this database, without reading the environment
    /// (tests and benchmarks start from here).
    pub fn defaults(database_url: DatabaseUrl) -> Self {
        Self {
            pool_size: if database_url.is_sqlite() { 8 } else { 16 },
            database_url,
            bind: "127.0.0.1:8080".into(),
            secret: None,
            post_limit_per_minute: 30,
            stories_per_address: DEFAULT_STORIES_PER_ADDRESS,
            draft_days: DEFAULT_DRAFT_DAYS,
            trust_forwarded_for: false,
            secure_cookies: false,
            workers: None,
            public_url: "http://127.0.0.1:8080".into(),
            staff_session: StaffSessionPolicy {
                idle: 3600,
                absolute: 12 * 3600,
            },
            password_params: PasswordParams::default(),
            mail: MailConfig::default(),
            reminder_interval: Duration::from_secs(DEFAULT_REMINDER_INTERVAL_SECONDS),
            retention_interval: Duration::from_secs(DEFAULT_RETENTION_INTERVAL_SECONDS),
            accessibility_contact: None,
        }
    }

    /// The public address without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        let database_url = DatabaseUrl::parse(
            &env("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE.to_string()),
        )?;
        let default_pool = if database_url.is_sqlite() { 8 } else { 16 };
        let bind = env("VERTELPUNT_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_string());
        let public_url = env("VERTELPUNT_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "VERTELPUNT_PUBLIC_URL",
                value: public_url,
                hint: "start with http:// or https://",
            });
        }
        let accessibility_contact = env("VERTELPUNT_ACCESSIBILITY_CONTACT")
            .map(|v| v.trim().to_string())
            .map(|v| {
                if v.starts_with("https://") || v.starts_with("http://") || v.contains('@') {
                    Ok(v)
                } else {
                    Err(ConfigError::Invalid {
                        name: "VERTELPUNT_ACCESSIBILITY_CONTACT",
                        value: v,
                        hint: "use an e-mail address or an http(s):// address",
                    })
                }
            })
            .transpose()?;
        let password_defaults = PasswordParams::default();
        Ok(Self {
            pool_size: env("VERTELPUNT_POOL_SIZE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(default_pool),
            database_url,
            bind,
            secret: env("VERTELPUNT_SECRET"),
            post_limit_per_minute: env("VERTELPUNT_POST_LIMIT")
                .and_then(|v| v.parse().ok())
                .unwrap_or(30),
            stories_per_address: env_number(
                "VERTELPUNT_STORY_LIMIT",
                DEFAULT_STORIES_PER_ADDRESS,
                "a number of stories per ten minutes (0 switches the limit off)",
            )?,
            draft_days: env_number(
                "VERTELPUNT_DRAFT_DAYS",
                DEFAULT_DRAFT_DAYS,
                "a number of days",
            )?,
            trust_forwarded_for: env_flag("VERTELPUNT_TRUST_FORWARDED_FOR"),
            secure_cookies: env_flag("VERTELPUNT_SECURE_COOKIES")
                || public_url.starts_with("https://"),
            workers: env("VERTELPUNT_WORKERS").and_then(|v| v.parse().ok()),
            staff_session: StaffSessionPolicy {
                idle: 60 * env_number("VERTELPUNT_SESSION_IDLE_MINUTES", 60, "minutes")?,
                absolute: 3600 * env_number("VERTELPUNT_SESSION_MAX_HOURS", 12, "hours")?,
            },
            password_params: PasswordParams {
                memory_kib: env_number(
                    "VERTELPUNT_ARGON2_MEMORY_KIB",
                    password_defaults.memory_kib,
                    "KiB of memory, at least 8 per lane",
                )?,
                iterations: env_number(
                    "VERTELPUNT_ARGON2_ITERATIONS",
                    password_defaults.iterations,
                    "a number of passes, at least 1",
                )?,
                parallelism: env_number(
                    "VERTELPUNT_ARGON2_PARALLELISM",
                    password_defaults.parallelism,
                    "a number of lanes, at least 1",
                )?,
            },
            mail: mail_from_env()?,
            reminder_interval: Duration::from_secs(env_number(
                "VERTELPUNT_REMINDER_INTERVAL_SECONDS",
                DEFAULT_REMINDER_INTERVAL_SECONDS,
                "a number of seconds (0 switches the reminder loop off)",
            )?),
            retention_interval: Duration::from_secs(env_number(
                "VERTELPUNT_RETENTION_INTERVAL_SECONDS",
                DEFAULT_RETENTION_INTERVAL_SECONDS,
                "a number of seconds (0 switches the retention loop off)",
            )?),
            public_url,
            accessibility_contact,
        })
    }
}
