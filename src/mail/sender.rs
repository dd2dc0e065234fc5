//! Where mails go: an SMTP server (`VERTELPUNT_SMTP_*`), or — when none is configured, as on a
//! new machine — `.eml` files in a folder, with a log line per file so that the first users
//! can still follow their links.

use super::message::{self, MailError};
use super::{MailConfig, SmtpConfig, SmtpTls};
use crate::store::outbox::OutgoingMail;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{FileTransport, SmtpTransport, Transport as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longest wait for the SMTP server on one network step; well below the claim time
/// (`worker::CLAIM_SECONDS`) so that a slow server does not make another worker send again.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

enum Transport {
    Smtp(SmtpTransport),
    Folder(PathBuf),
}

/// Sends rendered mails. Blocking: call it on the blocking pool.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

/// Where a mail went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    Smtp,
    File(PathBuf),
}

fn smtp_transport(smtp: &SmtpConfig) -> Result<SmtpTransport, MailError> {
    let tls_parameters =
        || TlsParameters::new(smtp.host.clone()).map_err(|e| MailError::Smtp(e.to_string()));
    let tls = match smtp.tls {
        SmtpTls::StartTls => Tls::Required(tls_parameters()?),
        SmtpTls::Tls => Tls::Wrapper(tls_parameters()?),
        SmtpTls::None => Tls::None,
    };
    let mut builder = SmtpTransport::builder_dangerous(smtp.host.clone())
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(SMTP_TIMEOUT));
    if let Some(user) = &smtp.username {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            smtp.password.clone().unwrap_or_default(),
        ));
    }
    Ok(builder.build())
}

impl Mailer {
    /// Checks the sender address and prepares the transport (no connection is made yet).
    pub fn new(config: &MailConfig) -> Result<Self, MailError> {
        let from = message::parse_sender(&config.from)?;
        let transport = match &config.smtp {
            Some(smtp) => Transport::Smtp(smtp_transport(smtp)?),
            None => Transport::Folder(config.folder.clone()),
        };
        Ok(Self { from, transport })
    }

    /// One line for the start-up log: where mails go.
    pub fn describe(config: &MailConfig) -> String {
        match &config.smtp {
            Some(smtp) => format!(
                "mail goes to SMTP server {}:{} ({:?})",
                smtp.host, smtp.port, smtp.tls
            ),
            None => format!(
                "no SMTP server configured (VERTELPUNT_SMTP_HOST): mails are written to {}",
                config.folder.display()
            ),
        }
    }

    pub fn send(&self, mail: &OutgoingMail) -> Result<Delivered, MailError> {
        let message = message::build(&self.from, mail)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(&message)
                .map(|_| Delivered::Smtp)
                .map_err(|e| MailError::Smtp(e.to_string())),
            Transport::Folder(folder) => {
                create_private_dir(folder).map_err(|e| MailError::File(e.to_string()))?;
                let id = FileTransport::new(folder)
                    .send(&message)
                    .map_err(|e| MailError::File(e.to_string()))?;
                Ok(Delivered::File(folder.join(format!("{id}.eml"))))
            }
        }
    }
}

/// The folder holds working one-time links: on Unix only the service's user may read it.
fn create_private_dir(folder: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_smtp_mails_become_files() {
        let dir = tempfile::tempdir().unwrap();
        let config = MailConfig {
            folder: dir.path().join("mail"),
            ..MailConfig::default()
        };
        let mailer = Mailer::new(&config).unwrap();
        let delivered = mailer
            .send(&OutgoingMail {
                to: "jan@voorbeeld.nl".into(),
                subject: "Test".into(),
                text: "Link: https://vp.example/x".into(),
                html: String::new(),
            })
            .unwrap();
        let Delivered::File(path) = delivered else {
            panic!("expected a file");
        };
        let raw = std::fs::read_to_string(path).unwrap();
        assert!(raw.contains("To: jan@voorbeeld.nl"), "{raw}");
    }

    #[test]
    fn a_bad_sender_is_refused_at_start() {
        let config = MailConfig {
            from: "geen adres".into(),
            ..MailConfig::default()
        };
        assert!(Mailer::new(&config).is_err());
    }
}
