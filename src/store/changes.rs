//! The change log of projects' analysable data: one appended row per changed story (added,
//! edited, hidden, shown, redacted, withdrawn, text deleted) or per change to the project
//! itself (questionnaire, settings).
//!
//! Each instance keeps a project's dataset in memory and reads the log from where it stopped,
//! so a change costs in proportion to its size and every instance sees it. Appending never
//! touches a shared row, so concurrent tellers on PostgreSQL do not queue on one row lock (the
//! counter this replaces made every story transaction update the project's row).
//!
//! Reading "from where it stopped" needs care on PostgreSQL: ids come from a sequence when a
//! row is written, not when its transaction commits, so a slow transaction can make id 10
//! visible after id 11 was read. A reader therefore remembers the oldest transaction still
//! running before it read (`xmin`): everything older has committed or aborted and was seen;
//! rows of younger transactions are read again next time and skipped by id. SQLite commits
//! one writer at a time, so there the last id read is enough.

use super::schema::{data_changes, data_changes_pruned, stories};
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;
use std::collections::BTreeSet;

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// The questionnaire or the settings: whatever was derived from the project is rebuilt.
    Project,
    /// One story, by id: read it again to know what it is now.
    Story(String),
    /// Only the story's place in the staff workflow (reviewed, safety signal handled): the
    /// staff list follows it; the analysable data is unchanged.
    Workflow(String),
}

/// Where a reader of one project's log stands (kept in the research API's snapshot tokens).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cursor {
    /// SQLite: every change up to and including this id has been read.
    Sqlite { last: i64 },
    /// PostgreSQL: every change of a transaction older than `xmin` has been read, and of the
    /// younger ones those with an id in `seen`.
    Postgres { xmin: i64, seen: BTreeSet<i64> },
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Records that these stories of `slug` changed (call in the transaction that changed them).
pub fn record_stories(conn: &mut AnyConnection, slug: &str, ids: &[&str]) -> StoreResult<()> {
    record(conn, slug, ids, false)
}

/// Records that one story's place in the staff workflow changed ([`Change::Workflow`]).
pub fn record_workflow(conn: &mut AnyConnection, id: &str) -> StoreResult<()> {
    match project_of(conn, id)? {
        Some(slug) => record(conn, &slug, &[id], true),
        None => Ok(()),
    }
}

fn project_of(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<String>> {
    Ok(stories::table
        .filter(stories::id.eq(id))
        .select(stories::project_slug)
        .first(conn)
        .optional()?)
}

fn record(conn: &mut AnyConnection, slug: &str, ids: &[&str], workflow: bool) -> StoreResult<()> {
    let at = now();
    let rows = |ids: &[&str]| -> Vec<_> {
        ids.iter()
            .map(|id| {
                (
                    data_changes::project_slug.eq(slug.to_string()),
                    data_changes::story_id.eq(Some(id.to_string())),
                    data_changes::created_at.eq(at),
                    data_changes::workflow.eq(workflow),
                )
            })
            .collect()
    };
    // PostgreSQL: one binary `COPY` (an import records a million at once).
    if let AnyConnection::Postgresql(c) = conn {
        diesel::copy_from(data_changes::table)
            .from_insertable(rows(ids))
            .execute(c)?;
        return Ok(());
    }
    for chunk in ids.chunks(1000) {
        super::insert_rows!(&mut *conn, data_changes::table, &rows(chunk))?;
    }
    Ok(())
}

/// Records that one story changed; its project is looked up. Nothing when it does not exist.
pub fn record_story(conn: &mut AnyConnection, id: &str) -> StoreResult<()> {
    match project_of(conn, id)? {
        Some(slug) => record_stories(conn, &slug, &[id]),
        None => Ok(()),
    }
}

/// Records that the project itself changed (its questionnaire, settings or name).
pub fn record_project(conn: &mut AnyConnection, slug: &str) -> StoreResult<()> {
    diesel::insert_into(data_changes::table)
        .values((
            data_changes::project_slug.eq(slug),
            data_changes::story_id.eq(None::<&str>),
            data_changes::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Removes up to `limit` entries written before `before` (seconds) and moves the horizon past
/// them; returns how many were removed. Readers that had not read that far are told to read
/// their project in full ([`since`] reports a [`Change::Project`]), so pruning never makes a
/// cache miss a change: an instance that follows at least once between prunes is not
/// affected. Call it repeatedly, one transaction each, until it returns less than `limit`.
pub fn prune(conn: &mut AnyConnection, before: i64, limit: i64) -> StoreResult<usize> {
    let old: Vec<(i64, i64)> = data_changes::table
        .filter(data_changes::created_at.lt(before))
        .order(data_changes::id.asc())
        .limit(limit)
        .select((data_changes::id, data_changes::txid))
        .load(conn)?;
    let (Some(through_id), Some(through_txid)) = (
        old.iter().map(|(id, _)| *id).max(),
        old.iter().map(|(_, txid)| *txid).max(),
    ) else {
        return Ok(0);
    };
    let ids: Vec<i64> = old.iter().map(|(id, _)| *id).collect();
    let removed =
        diesel::delete(data_changes::table.filter(data_changes::id.eq_any(&ids))).execute(conn)?;
    let (was_id, was_txid): (i64, i64) = data_changes_pruned::table
        .select((
            data_changes_pruned::through_id,
            data_changes_pruned::through_txid,
        ))
        .first(conn)?;
    diesel::update(data_changes_pruned::table)
        .set((
            data_changes_pruned::through_id.eq(was_id.max(through_id)),
            data_changes_pruned::through_txid.eq(was_txid.max(through_txid)),
        ))
        .execute(conn)?;
    Ok(removed)
}

/// Whether entries this reader has not read may have been pruned.
fn behind_horizon(conn: &mut AnyConnection, from: &Cursor) -> StoreResult<bool> {
    let (through_id, through_txid): (i64, i64) = data_changes_pruned::table
        .select((
            data_changes_pruned::through_id,
            data_changes_pruned::through_txid,
        ))
        .first(conn)?;
    Ok(match from {
        Cursor::Sqlite { last } => *last < through_id,
        // Rows of transactions from `xmin` on were still to be read (again).
        Cursor::Postgres { xmin, .. } => *xmin <= through_txid,
    })
}

/// The oldest transaction still running (PostgreSQL): all older ones have finished.
fn running_xmin(conn: &mut diesel::PgConnection) -> StoreResult<i64> {
    #[derive(QueryableByName)]
    struct Xmin {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        xmin: i64,
    }
    let row: Xmin =
        diesel::sql_query("SELECT txid_snapshot_xmin(txid_current_snapshot())::BIGINT AS xmin")
            .get_result(conn)?;
    Ok(row.xmin)
}

/// A cursor at the present: take it *before* reading a project's data in full, then read
/// [`since`] it to learn what changed after.
pub fn cursor(conn: &mut AnyConnection, slug: &str) -> StoreResult<Cursor> {
    Ok(since(conn, slug, None)?.1)
}

/// The changes after `from` (`None`: none are wanted, only the cursor), oldest first, and
/// the cursor after them. A change may be reported more than once when it was already in
/// data read after `from`; applying a change means reading the story again, so that is
/// harmless.
pub fn since(
    conn: &mut AnyConnection,
    slug: &str,
    from: Option<&Cursor>,
) -> StoreResult<(Vec<Change>, Cursor)> {
    let of_project = || data_changes::table.filter(data_changes::project_slug.eq(slug));
    if let Some(from) = from {
        if behind_horizon(conn, from)? {
            let (_, now) = since(conn, slug, None)?;
            return Ok((vec![Change::Project], now));
        }
    }
    match conn {
        AnyConnection::Sqlite(_) => {
            let Some(Cursor::Sqlite { last }) = from else {
                // The last id of the whole log (or of what was pruned, when the log is
                // empty), not of this project: a project whose own changes were all pruned
                // would otherwise get a cursor behind the horizon and be read anew on every
                // request.
                let last: Option<i64> = data_changes::table
                    .select(diesel::dsl::max(data_changes::id))
                    .first(conn)?;
                let pruned: i64 = data_changes_pruned::table
                    .select(data_changes_pruned::through_id)
                    .first(conn)?;
                let last = last.unwrap_or(0).max(pruned);
                return Ok((Vec::new(), Cursor::Sqlite { last }));
            };
            let rows: Vec<(i64, Option<String>, bool)> = of_project()
                .filter(data_changes::id.gt(*last))
                .order(data_changes::id.asc())
                .select((
                    data_changes::id,
                    data_changes::story_id,
                    data_changes::workflow,
                ))
                .load(conn)?;
            let last = rows.last().map_or(*last, |(id, _, _)| *id);
            Ok((
                rows.into_iter().map(|(_, s, w)| change(s, w)).collect(),
                Cursor::Sqlite { last },
            ))
        }
        AnyConnection::Postgresql(pg) => {
            // Taken before the rows are read: whatever is older has committed and is visible
            // to the read below.
            let xmin = running_xmin(pg)?;
            let (from_xmin, seen) = match from {
                Some(Cursor::Postgres { xmin, seen }) => (*xmin, Some(seen)),
                _ => (xmin, None),
            };
            let rows: Vec<(i64, Option<String>, i64, bool)> = of_project()
                .filter(data_changes::txid.ge(from_xmin))
                .order(data_changes::id.asc())
                .select((
                    data_changes::id,
                    data_changes::story_id,
                    data_changes::txid,
                    data_changes::workflow,
                ))
                .load(conn)?;
            let still_open: BTreeSet<i64> = rows
                .iter()
                .filter(|(_, _, txid, _)| *txid >= xmin)
                .map(|(id, _, _, _)| *id)
                .collect();
            let changes = match seen {
                Some(seen) => rows
                    .into_iter()
                    .filter(|(id, _, _, _)| !seen.contains(id))
                    .map(|(_, s, _, w)| change(s, w))
                    .collect(),
                None => Vec::new(),
            };
            Ok((
                changes,
                Cursor::Postgres {
                    xmin,
                    seen: still_open,
                },
            ))
        }
    }
}

fn change(story: Option<String>, workflow: bool) -> Change {
    match story {
        None => Change::Project,
        Some(id) if workflow => Change::Workflow(id),
        Some(id) => Change::Story(id),
    }
}
