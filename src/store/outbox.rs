//! The mail outbox: mails are written here in the same transaction as the change that causes
//! them (an invitation, a reset), and a background worker sends them (see `crate::mail`).

use super::schema::mail_outbox;
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

/// A mail ready to be sent: rendered, addressed, in plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queues a mail for sending as soon as possible. Returns its id.
pub fn enqueue(conn: &mut AnyConnection, mail: &OutgoingMail, now: i64) -> StoreResult<String> {
    let id = crate::security::random_token();
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::id.eq(&id),
            mail_outbox::recipient.eq(&mail.to),
            mail_outbox::subject.eq(&mail.subject),
            mail_outbox::body_text.eq(&mail.text),
            mail_outbox::body_html.eq(&mail.html),
            mail_outbox::created_at.eq(now),
            mail_outbox::attempts.eq(0),
            mail_outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}
