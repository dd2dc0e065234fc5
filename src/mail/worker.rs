//! The background task that empties the outbox.
//!
//! It wakes when the web layer queued a mail (`AppState::mail_notify`) and every few seconds
//! anyway (for mails queued by another instance, and for retries). Each mail is *claimed*
//! with one conditional UPDATE before it is sent, so that of several instances on one database
//! only one sends it. A claim lasts [`CLAIM_SECONDS`]: when an instance dies while sending,
//! another one (or the restarted one) takes the mail over after that. Nothing is lost in an
//! outage: a mail stays in the table until it is sent or given up.

use super::message::MailError;
use super::sender::{Delivered, Mailer};
use crate::exchange::timestamp::now_unix;
use crate::security::random_token;
use crate::store::outbox::{self, Failure, OutboxRecord};
use crate::store::{Database, StoreResult};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long a claimed mail is reserved for the claiming instance.
pub const CLAIM_SECONDS: i64 = 120;
/// How often the worker looks for due mails without being woken.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// The first retry waits this long; each next one twice as long, up to [`MAX_RETRY_SECONDS`].
pub const FIRST_RETRY_SECONDS: i64 = 30;
pub const MAX_RETRY_SECONDS: i64 = 3600;
/// After this many failed attempts a mail is given up (`failed_at` is set).
pub const MAX_ATTEMPTS: i32 = 10;
/// Sent and given-up mails are kept this long (for the users page), then deleted.
pub const KEEP_FINISHED_SECONDS: i64 = 30 * 24 * 3600;
/// How often old mails are cleaned up.
const PURGE_INTERVAL: Duration = Duration::from_secs(3600);
/// Mails looked at per database round trip.
const BATCH: i64 = 20;
/// Longest error text kept in `last_error`.
const MAX_ERROR_CHARS: usize = 500;

/// Seconds to wait after the `attempts`-th failed attempt (1-based): 30 s, 1 min, 2 min, …
/// at most an hour.
pub fn retry_delay(attempts: i32) -> i64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    FIRST_RETRY_SECONDS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_RETRY_SECONDS)
}

/// What a failed attempt means for a mail that had `attempts_before` attempts.
pub fn after_failure(attempts_before: i32, error: &MailError, now: i64) -> Failure {
    let attempts = attempts_before.saturating_add(1);
    Failure {
        attempts,
        next_attempt_at: now + retry_delay(attempts),
        given_up: error.is_permanent() || attempts >= MAX_ATTEMPTS,
        error: error.to_string().chars().take(MAX_ERROR_CHARS).collect(),
    }
}

struct Worker {
    db: Database,
    mailer: Arc<Mailer>,
    /// Random per process: whose claim a row carries.
    id: String,
}

/// Starts the worker on the current actix/tokio runtime. It runs until the runtime stops.
pub fn start(db: Database, mailer: Mailer, notify: Arc<Notify>) {
    let worker = Worker {
        db,
        mailer: Arc::new(mailer),
        id: format!("w-{}", random_token()),
    };
    actix_web::rt::spawn(async move {
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            if let Err(e) = worker.deliver_due().await {
                tracing::warn!(error = %e, "mail worker: database unavailable; trying again soon");
            }
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_INTERVAL) {
                last_purge = Some(std::time::Instant::now());
                worker.purge().await;
            }
            // A notification that came while we were busy is kept, so none is missed.
            let _ = tokio::time::timeout(POLL_INTERVAL, notify.notified()).await;
        }
    });
}

impl Worker {
    /// Sends every due mail this instance can claim.
    async fn deliver_due(&self) -> StoreResult<()> {
        loop {
            let now = now_unix();
            let ids = self
                .db
                .run(move |conn| outbox::due_ids(conn, now, BATCH))
                .await?;
            let mut claimed_any = false;
            for id in ids {
                let worker = self.id.clone();
                let now = now_unix();
                let claimed = self
                    .db
                    .write(move |conn| outbox::claim(conn, &id, &worker, now, now + CLAIM_SECONDS))
                    .await?;
                if let Some(record) = claimed {
                    claimed_any = true;
                    self.deliver(record).await?;
                }
            }
            // Nothing due, or everything taken by other instances.
            if !claimed_any {
                return Ok(());
            }
        }
    }

    /// Deletes mails that were finished long ago. Every instance may do this; it is idempotent.
    async fn purge(&self) {
        let before = now_unix() - KEEP_FINISHED_SECONDS;
        match self
            .db
            .write(move |conn| outbox::purge_finished(conn, before))
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(mails = n, "old mails removed from the outbox"),
            Err(e) => tracing::warn!(error = %e, "could not clean up the mail outbox"),
        }
    }

    async fn deliver(&self, record: OutboxRecord) -> StoreResult<()> {
        let mailer = self.mailer.clone();
        let mail = record.mail();
        let outcome = tokio::task::spawn_blocking(move || mailer.send(&mail))
            .await
            .unwrap_or(Err(MailError::Crashed));
        let now = now_unix();
        let id = record.id.clone();
        match outcome {
            Ok(delivered) => {
                match &delivered {
                    Delivered::Smtp => tracing::info!(mail = %id, "mail sent"),
                    Delivered::File(path) => tracing::info!(
                        mail = %id,
                        to = %record.recipient,
                        file = %path.display(),
                        "no SMTP server configured: mail written to a file (open it to follow the link)"
                    ),
                }
                self.db
                    .write(move |conn| outbox::mark_sent(conn, &id, now))
                    .await
            }
            Err(error) => {
                let failure = after_failure(record.attempts, &error, now);
                tracing::warn!(
                    mail = %id,
                    attempts = failure.attempts,
                    given_up = failure.given_up,
                    error = %error,
                    "mail not sent"
                );
                let worker = self.id.clone();
                self.db
                    .write(move |conn| outbox::mark_failed(conn, &id, &worker, &failure, now))
                    .await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let delays: Vec<i64> = (1..=9).map(retry_delay).collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(retry_delay(0), 30);
        assert_eq!(retry_delay(i32::MAX), 3600);
        assert_eq!(retry_delay(-5), 30);
    }

    #[test]
    fn a_mail_is_given_up_after_ten_attempts() {
        let error = MailError::Smtp("connection refused".into());
        let first = after_failure(0, &error, 1000);
        assert_eq!(first.attempts, 1);
        assert_eq!(first.next_attempt_at, 1030);
        assert!(!first.given_up);
        assert_eq!(first.error, "SMTP: connection refused");
        assert!(!after_failure(8, &error, 0).given_up);
        let last = after_failure(9, &error, 0);
        assert_eq!(last.attempts, 10);
        assert!(last.given_up);
    }

    #[test]
    fn unusable_mails_are_given_up_at_once_and_errors_are_cut() {
        let failure = after_failure(0, &MailError::Address("x".repeat(2000)), 0);
        assert!(failure.given_up);
        assert_eq!(failure.error.chars().count(), MAX_ERROR_CHARS);
    }
}
