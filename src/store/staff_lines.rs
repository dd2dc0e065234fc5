//! A compact line per story for the staff list's search (`service::staff_search`): when it was
//! told, its number in the search index and which tabs of the list it is in. No texts.

use super::schema::stories;
use super::search_index::{matching, of_project as in_project, row_key, Dialect};
use super::stories::StoryLine;
use super::{AnyConnection, StoreResult};
use compact_str::CompactString;
use diesel::prelude::*;

/// Not reviewed yet (tab "Nieuw").
pub const NEW: u8 = 1;
/// Hidden from the analysis.
pub const HIDDEN: u8 = 2;
/// Withdrawn by the teller: only in the tab "Ingetrokken".
pub const WITHDRAWN: u8 = 4;
/// A safety signal that nobody handled yet.
pub const UNSAFE: u8 = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLine {
    pub id: CompactString,
    pub created_at: i64,
    /// `search_index::row_key`: SQLite's rowid, 0 on PostgreSQL.
    pub row_key: i64,
    pub flags: u8,
}

type Row = (
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

fn line(row: Row) -> StaffLine {
    let (id, created_at, row_key, withdrawn, reviewed, hidden, safety, handled) = row;
    let mut flags = 0;
    if withdrawn.is_some() {
        flags |= WITHDRAWN;
    }
    if reviewed.is_none() {
        flags |= NEW;
    }
    if hidden.is_some() {
        flags |= HIDDEN;
    }
    if safety.is_some() && handled.is_none() {
        flags |= UNSAFE;
    }
    StaffLine {
        id: CompactString::from(id),
        created_at,
        row_key,
        flags,
    }
}

macro_rules! columns {
    ($conn:expr) => {
        (
            stories::id,
            stories::created_at,
            row_key(Dialect::of($conn)),
            stories::withdrawn_at,
            stories::reviewed_at,
            stories::hidden_at,
            stories::safety_flag,
            stories::safety_handled_at,
        )
    };
}

/// Every story of `project` (withdrawn ones too), oldest first (by time, then id).
pub fn of_project(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<StaffLine>> {
    let rows: Vec<Row> = stories::table
        .filter(stories::project_slug.eq(project))
        .order((stories::created_at.asc(), stories::id.asc()))
        .select(columns!(conn))
        .load(conn)?;
    Ok(rows.into_iter().map(line).collect())
}

/// These stories of `project` as they are now (ids that are gone are left out).
pub fn of_stories(
    conn: &mut AnyConnection,
    project: &str,
    ids: &[String],
) -> StoreResult<Vec<StaffLine>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        // By id alone, the project checked here: given both, SQLite walks the project's
        // index (a million entries) instead of looking the ids up.
        let rows: Vec<(String, Row)> = stories::table
            .filter(stories::id.eq_any(chunk))
            .select((stories::project_slug, columns!(conn)))
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .filter(|(slug, _)| slug == project)
                .map(|(_, row)| line(row)),
        );
    }
    Ok(found)
}

/// Ids of the project's stories, withdrawn ones too, whose title or text has every one of
/// `terms` (read through the index: for words in few stories).
pub fn ids_matching(
    conn: &mut AnyConnection,
    project: &str,
    terms: &[String],
) -> StoreResult<Vec<String>> {
    Ok(stories::table
        .filter(in_project(project))
        .filter(matching(Dialect::of(conn), terms))
        .select(stories::id)
        .load(conn)?)
}

/// The list lines of these stories of `project`, in the order of `ids`.
pub fn lines(
    conn: &mut AnyConnection,
    project: &str,
    ids: &[String],
) -> StoreResult<Vec<StoryLine>> {
    // By id alone, the project checked here (see `of_stories`).
    let rows: Vec<(String, StoryLine)> = stories::table
        .filter(stories::id.eq_any(ids))
        .select((stories::project_slug, StoryLine::as_select()))
        .load(conn)?;
    let mut found: Vec<StoryLine> = rows
        .into_iter()
        .filter(|(slug, _)| slug == project)
        .map(|(_, line)| line)
        .collect();
    found.sort_by_key(|l| ids.iter().position(|id| *id == l.id));
    Ok(found)
}
