//! Retention (issue 7, point 4): after a project's period (`ProjectSettings::retention_days`)
//! the texts of its stories are deleted automatically. The other answers stay, without any
//! text to link them to a person, so figures and patterns keep counting them.
//!
//! For each story told before `now - period` and not withdrawn: title and text emptied,
//! free-text answers removed, kept redaction originals removed, quotes taken from it on
//! observation cards removed, the links to the visit (`participant_id`) and to the form
//! (`submission_key`) cleared, and `text_deleted_at` set. The withdrawal code keeps working:
//! withdrawing later removes the remaining answers.
//!
//! Run by a loop in every server instance (`VERTELPUNT_RETENTION_INTERVAL_SECONDS`) and by
//! `vertelpunt retention run`. Each story is claimed with one conditional UPDATE
//! (`store::stories::delete_texts`), so instances running at the same time never do a story
//! twice, and a second run finds nothing to do. Work is done in transactions of at most
//! [`BATCH`] stories; each records its stories in the change log so analysis caches follow. The
//! audit log gets one entry per project per run that deleted something, with the count, in
//! the transaction of the run's last batch.
//!
//! The same run erases drafts saved with "Later verder" once their resume code has expired
//! (`VERTELPUNT_DRAFT_DAYS`), whatever the project's period, and prunes the change log of
//! entries older than [`CHANGE_LOG_DAYS`] (`store::changes::prune`).

use super::audit::{self, action};
use crate::domain::questionnaire::QuestionType;
use crate::store::{changes, drafts, observations, projects, stories, Database, StoreResult};
use std::collections::HashMap;

/// Stories per transaction.
pub const BATCH: i64 = 500;

const DAY: i64 = 24 * 60 * 60;

/// Days the change log keeps an entry. Every instance reads the log whenever a page of a
/// project is opened; one that has not done so for this long reads the project in full once.
pub const CHANGE_LOG_DAYS: i64 = 7;

/// What one run did in one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRetention {
    pub project: String,
    pub retention_days: u32,
    /// Stories whose texts this run deleted.
    pub stories: usize,
    /// Quotes removed from observation cards.
    pub quotes: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Every project with a retention period, also when nothing was due.
    pub projects: Vec<ProjectRetention>,
    /// Drafts erased because their resume code expired.
    pub expired_drafts: usize,
    /// Change log entries removed because they were older than [`CHANGE_LOG_DAYS`].
    pub pruned_changes: usize,
}

impl RetentionReport {
    pub fn stories(&self) -> usize {
        self.projects.iter().map(|p| p.stories).sum()
    }
}

/// "1 verhaal", "2 verhalen".
pub fn count(n: usize, one: &str, more: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { more })
}

/// The moment before which stories of a project with this period are due.
pub fn cutoff(now: i64, retention_days: u32) -> i64 {
    now - i64::from(retention_days) * DAY
}

/// Deletes the texts of every story whose project's retention period is over.
pub fn run(db: &Database, now: i64) -> StoreResult<RetentionReport> {
    let summaries = {
        let mut conn = db.conn()?;
        projects::list(&mut conn)?
    };
    let mut report = RetentionReport {
        expired_drafts: db.write_sync(|conn| drafts::delete_expired(conn, now))?,
        pruned_changes: prune_change_log(db, now)?,
        ..Default::default()
    };
    for summary in summaries {
        let project = {
            let mut conn = db.conn()?;
            projects::find(&mut conn, &summary.slug)?
        };
        let Some(days) = project.and_then(|p| p.settings.retention_days) else {
            continue;
        };
        report
            .projects
            .push(run_project(db, &summary.slug, days, now)?);
    }
    Ok(report)
}

/// Prunes the change log a batch per transaction, so that writers never wait long.
fn prune_change_log(db: &Database, now: i64) -> StoreResult<usize> {
    let before = now - CHANGE_LOG_DAYS * DAY;
    let mut total = 0;
    loop {
        let removed = db.write_sync(|conn| changes::prune(conn, before, 10 * BATCH))?;
        total += removed;
        if (removed as i64) < 10 * BATCH {
            return Ok(total);
        }
    }
}

/// [`run`] for one project with a period of `days`.
pub fn run_project(
    db: &Database,
    slug: &str,
    days: u32,
    now: i64,
) -> StoreResult<ProjectRetention> {
    let before = cutoff(now, days);
    // Per questionnaire version: the questions whose answers hold no text (they stay).
    let keep: HashMap<i32, Vec<String>> = {
        let mut conn = db.conn()?;
        stories::versions_map(&mut conn, slug)?
            .into_iter()
            .map(|(version, q)| {
                let keys = q
                    .questions
                    .iter()
                    .filter(|q| q.kind != QuestionType::Text)
                    .map(|q| q.key.clone())
                    .collect();
                (version, keys)
            })
            .collect()
    };
    let mut done = ProjectRetention {
        project: slug.to_string(),
        retention_days: days,
        stories: 0,
        quotes: 0,
    };
    loop {
        let (found, deleted, quotes) = db.write_sync(|conn| {
            let due = stories::due_for_text_deletion(conn, slug, before, BATCH)?;
            let (mut deleted, mut quotes) = (0, 0);
            for (id, version) in &due {
                let keep = keep.get(version).map(Vec::as_slice).unwrap_or_default();
                if stories::delete_texts(conn, id, before, keep, now)? {
                    deleted += 1;
                    quotes += observations::remove_quotes_of_story(conn, id)?;
                }
            }
            let last = (due.len() as i64) < BATCH || deleted == 0;
            let total = done.stories + deleted;
            if last && total > 0 {
                // No actor: the system does this.
                audit::log(
                    conn,
                    None,
                    action::RETENTION,
                    Some(slug),
                    None,
                    &format!(
                        "teksten van {} gewist (bewaartermijn {days} dagen); {} weggehaald",
                        count(total, "verhaal", "verhalen"),
                        count(done.quotes + quotes, "citaat", "citaten")
                    ),
                    now,
                )?;
            }
            Ok((due.len(), deleted, quotes))
        })?;
        done.stories += deleted;
        done.quotes += quotes;
        // Done when a batch was not full, or when another instance took everything it found.
        if (found as i64) < BATCH || deleted == 0 {
            break;
        }
    }
    if done.stories > 0 {
        tracing::info!(
            project = slug,
            stories = done.stories,
            quotes = done.quotes,
            "texts deleted after the retention period"
        );
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoff_counts_whole_days_back() {
        assert_eq!(cutoff(1_000_000_000, 1), 1_000_000_000 - 86_400);
        assert_eq!(cutoff(1_000_000_000, 730), 1_000_000_000 - 730 * 86_400);
    }
}
