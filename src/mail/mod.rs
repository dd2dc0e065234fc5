//! Outgoing mail (invitations, password resets).
//!
//! Mails are queued in the `mail_outbox` table inside the transaction that causes them
//! (`store::outbox::enqueue`); a background worker sends them over SMTP with `lettre`, with
//! retries, or — when no SMTP server is configured — writes them to a folder and logs where.
//!
//! - [`message`]: an outbox row → a MIME message (plain text, plus HTML when there is some);
//! - [`sender`]: where messages go (SMTP or the folder);
//! - [`worker`]: the background task that claims due mails, sends them and retries.

pub mod compose;
pub mod message;
pub mod sender;
pub mod worker;

use std::path::PathBuf;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (required).
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    None,
}

impl SmtpTls {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_lowercase().as_str() {
            "starttls" => Some(SmtpTls::StartTls),
            "tls" | "smtps" => Some(SmtpTls::Tls),
            "none" | "off" | "geen" => Some(SmtpTls::None),
            _ => None,
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::None => 25,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfig {
    /// `None`: write mails to `folder` instead of sending them.
    pub smtp: Option<SmtpConfig>,
    /// The sender, e.g. `Vertelpunt <vertelpunt@regio.nl>`.
    pub from: String,
    pub folder: PathBuf,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp: None,
            from: "Vertelpunt <vertelpunt@localhost>".into(),
            folder: PathBuf::from("data/mail"),
        }
    }
}
