//! One typed configuration, read once at start from the environment (and CLI flags).

use crate::store::{DatabaseUrl, StoreError};

pub const DEFAULT_DATABASE: &str = "data/vertelpunt.db";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    /// Address to listen on, e.g. `127.0.0.1:8080`.
    pub bind: String,
    pub pool_size: u32,
    /// Hex secret (64+ characters); when absent one is generated and kept in the database.
    pub secret: Option<String>,
    /// Story and withdrawal posts per minute per client address; 0 switches the limit off.
    pub post_limit_per_minute: u32,
    /// Whether to take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Set the `Secure` flag on cookies (serve over https).
    pub secure_cookies: bool,
    pub workers: Option<usize>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_flag(name: &str) -> bool {
    env(name).is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"))
}

impl Config {
    pub fn from_env() -> Result<Self, StoreError> {
        let database_url = DatabaseUrl::parse(
            &env("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE.to_string()),
        )?;
        let default_pool = if database_url.is_sqlite() { 8 } else { 16 };
        Ok(Self {
            pool_size: env("VERTELPUNT_POOL_SIZE")
                .and_then(|v| v.parse().ok())
                .unwrap_or(default_pool),
            database_url,
            bind: env("VERTELPUNT_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_string()),
            secret: env("VERTELPUNT_SECRET"),
            post_limit_per_minute: env("VERTELPUNT_POST_LIMIT")
                .and_then(|v| v.parse().ok())
                .unwrap_or(30),
            trust_forwarded_for: env_flag("VERTELPUNT_TRUST_FORWARDED_FOR"),
            secure_cookies: env_flag("VERTELPUNT_SECURE_COOKIES"),
            workers: env("VERTELPUNT_WORKERS").and_then(|v| v.parse().ok()),
        })
    }
}
