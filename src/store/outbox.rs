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

/// One row of the outbox, as the worker and the users page see it.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRecord {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub created_at: i64,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<i64>,
    pub sent_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
}

impl OutboxRecord {
    pub fn mail(&self) -> OutgoingMail {
        OutgoingMail {
            to: self.recipient.clone(),
            subject: self.subject.clone(),
            text: self.body_text.clone(),
            html: self.body_html.clone(),
        }
    }
}

/// Ids of mails that may be sent now: not sent, not given up, due, and not claimed by a
/// worker whose claim still runs. Oldest first.
pub fn due_ids(conn: &mut AnyConnection, now: i64, limit: i64) -> StoreResult<Vec<String>> {
    Ok(mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::failed_at.is_null())
        .filter(mail_outbox::next_attempt_at.le(now))
        .filter(
            mail_outbox::claimed_until
                .is_null()
                .or(mail_outbox::claimed_until.lt(now)),
        )
        .order((mail_outbox::next_attempt_at.asc(), mail_outbox::id.asc()))
        .limit(limit)
        .select(mail_outbox::id)
        .load(conn)?)
}

/// Claims one mail for `worker` until `until`, with the same conditions as [`due_ids`] in the
/// UPDATE itself: of several workers (processes) that try at once, exactly one changes the
/// row, and only that one gets the mail back.
pub fn claim(
    conn: &mut AnyConnection,
    id: &str,
    worker: &str,
    now: i64,
    until: i64,
) -> StoreResult<Option<OutboxRecord>> {
    let updated = diesel::update(
        mail_outbox::table
            .filter(mail_outbox::id.eq(id))
            .filter(mail_outbox::sent_at.is_null())
            .filter(mail_outbox::failed_at.is_null())
            .filter(mail_outbox::next_attempt_at.le(now))
            .filter(
                mail_outbox::claimed_until
                    .is_null()
                    .or(mail_outbox::claimed_until.lt(now)),
            ),
    )
    .set((
        mail_outbox::claimed_by.eq(Some(worker)),
        mail_outbox::claimed_until.eq(Some(until)),
    ))
    .execute(conn)?;
    if updated != 1 {
        return Ok(None);
    }
    find(conn, id)
}

pub fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<OutboxRecord>> {
    Ok(mail_outbox::table
        .filter(mail_outbox::id.eq(id))
        .select(OutboxRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Records a delivery and blanks the bodies: they hold one-time links, which must not stay
/// readable in the database (or its backups) once the mail is on its way. Recipient, subject
/// and times stay, so that an admin can see what was sent when. Recorded whoever holds the
/// claim now: the mail *was* delivered, and must not be sent again.
pub fn mark_sent(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    diesel::update(mail_outbox::table.filter(mail_outbox::id.eq(id)))
        .set((
            mail_outbox::sent_at.eq(Some(now)),
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
            mail_outbox::claimed_until.eq(None::<i64>),
            mail_outbox::body_text.eq(""),
            mail_outbox::body_html.eq(""),
            mail_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub attempts: i32,
    /// When to try again; ignored when `given_up`.
    pub next_attempt_at: i64,
    pub given_up: bool,
    pub error: String,
}

/// Records a failed attempt and releases the claim. A mail that is given up loses its bodies
/// too (nobody will send it; its link can be renewed with a new invitation or reset).
pub fn mark_failed(
    conn: &mut AnyConnection,
    id: &str,
    worker: &str,
    failure: &Failure,
    now: i64,
) -> StoreResult<()> {
    let mine = || {
        mail_outbox::table
            .filter(mail_outbox::id.eq(id))
            .filter(mail_outbox::claimed_by.eq(worker))
            .filter(mail_outbox::sent_at.is_null())
    };
    diesel::update(mine())
        .set((
            mail_outbox::attempts.eq(failure.attempts),
            mail_outbox::next_attempt_at.eq(failure.next_attempt_at),
            mail_outbox::claimed_until.eq(None::<i64>),
            mail_outbox::last_error.eq(Some(&failure.error)),
        ))
        .execute(conn)?;
    if failure.given_up {
        diesel::update(mine())
            .set((
                mail_outbox::failed_at.eq(Some(now)),
                mail_outbox::body_text.eq(""),
                mail_outbox::body_html.eq(""),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Mails that are not delivered after at least one try: given up, or waiting for a retry.
/// Newest first; shown to admins so that they know someone did not get their link.
pub fn troubled(conn: &mut AnyConnection, limit: i64) -> StoreResult<Vec<OutboxRecord>> {
    Ok(mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::attempts.gt(0))
        .order(mail_outbox::created_at.desc())
        .limit(limit)
        .select(OutboxRecord::as_select())
        .load(conn)?)
}

/// Forgets mails that were sent or given up before `before` (their bodies are blank already;
/// this removes the addresses too).
pub fn purge_finished(conn: &mut AnyConnection, before: i64) -> StoreResult<usize> {
    Ok(diesel::delete(
        mail_outbox::table.filter(
            mail_outbox::sent_at
                .lt(before)
                .or(mail_outbox::failed_at.lt(before)),
        ),
    )
    .execute(conn)?)
}
