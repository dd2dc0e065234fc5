//! Turns a queued mail into a MIME message. Kept apart from sending so that it can be tested
//! without a server.

use crate::store::outbox::OutgoingMail;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

/// Why a mail could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("unusable address {0:?}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("SMTP: {0}")]
    Smtp(String),
    #[error("cannot write the mail file: {0}")]
    File(String),
    #[error("the sending thread stopped")]
    Crashed,
}

impl MailError {
    /// Errors that no retry can fix: the mail itself is unusable.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Address(_) | MailError::Build(_))
    }
}

/// Parses the configured sender (`VERTELPUNT_MAIL_FROM`), e.g. `Vertelpunt <vp@regio.nl>`.
pub fn parse_sender(raw: &str) -> Result<Mailbox, MailError> {
    raw.trim()
        .parse()
        .map_err(|_| MailError::Address(raw.to_string()))
}

/// A message with a plain-text part and, when the mail has HTML, an HTML alternative
/// (mail programs show the richest part they can).
pub fn build(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .trim()
        .parse()
        .map_err(|_| MailError::Address(mail.to.clone()))?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone());
    let message = if mail.html.trim().is_empty() {
        builder
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone())
    } else {
        builder.multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
    };
    message.map_err(|e| MailError::Build(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(html: &str) -> OutgoingMail {
        OutgoingMail {
            to: "jan@voorbeeld.nl".into(),
            subject: "Je bent uitgenodigd voor Vertelpunt".into(),
            text: "Hallo Jan,\n\nKies een wachtwoord: https://vp.example/beheer/wachtwoord/abc\n"
                .into(),
            html: html.into(),
        }
    }

    fn sender() -> Mailbox {
        parse_sender("Vertelpunt <vertelpunt@localhost>").unwrap()
    }

    #[test]
    fn text_and_html_become_alternatives() {
        let message = build(&sender(), &mail("<p>Hallo Jan</p>")).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain"), "{raw}");
        assert!(raw.contains("text/html"), "{raw}");
        assert!(raw.contains("To: jan@voorbeeld.nl"), "{raw}");
        assert!(
            raw.contains("From: Vertelpunt <vertelpunt@localhost>"),
            "{raw}"
        );
        // The plain part comes first, so that the HTML is preferred where it can be shown.
        assert!(raw.find("text/plain").unwrap() < raw.find("text/html").unwrap());
    }

    #[test]
    fn without_html_the_mail_is_plain_text_only() {
        let message = build(&sender(), &mail("  ")).unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(!raw.contains("multipart"), "{raw}");
        assert!(!raw.contains("text/html"), "{raw}");
        assert!(raw.contains("text/plain; charset=utf-8"), "{raw}");
    }

    #[test]
    fn dutch_subjects_are_encoded() {
        let mut m = mail("");
        m.subject = "Één link voor je wachtwoord".into();
        let raw = String::from_utf8(build(&sender(), &m).unwrap().formatted()).unwrap();
        assert!(raw.contains("Subject: =?utf-8?"), "{raw}");
    }

    #[test]
    fn unusable_addresses_are_permanent_errors() {
        let mut m = mail("");
        m.to = "geen adres".into();
        let error = build(&sender(), &m).unwrap_err();
        assert!(error.is_permanent());
        assert!(parse_sender("Vertelpunt").is_err());
        assert!(!MailError::Smtp("timeout".into()).is_permanent());
    }
}
