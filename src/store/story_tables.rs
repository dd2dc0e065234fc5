//! Verteltafels: the tables a begeleider opens for a project, and which story was told at
//! which table (with the moment the worker confirmed the consent was read aloud).

use super::schema::{story_table_links, story_tables};
use super::stories::StoryRecord;
use super::{AnyConnection, StoreResult};
use crate::domain::answer::Answers;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = story_tables)]
pub struct StoryTableRecord {
    pub id: String,
    pub project_slug: String,
    pub name: String,
    pub place: String,
    pub code_hash: String,
    pub opened_at: i64,
    pub expires_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = story_table_links)]
pub struct StoryTableLink {
    pub story_id: String,
    pub table_id: String,
    pub consent_read_at: i64,
}

pub fn insert(conn: &mut AnyConnection, record: &StoryTableRecord) -> StoreResult<()> {
    diesel::insert_into(story_tables::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

pub fn find_in_project(
    conn: &mut AnyConnection,
    project: &str,
    id: &str,
) -> StoreResult<Option<StoryTableRecord>> {
    Ok(story_tables::table
        .filter(story_tables::id.eq(id))
        .filter(story_tables::project_slug.eq(project))
        .select(StoryTableRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_code_hash(
    conn: &mut AnyConnection,
    code_hash: &str,
) -> StoreResult<Option<StoryTableRecord>> {
    Ok(story_tables::table
        .filter(story_tables::code_hash.eq(code_hash))
        .select(StoryTableRecord::as_select())
        .first(conn)
        .optional()?)
}

/// A project's tables, newest first.
pub fn list(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<StoryTableRecord>> {
    Ok(story_tables::table
        .filter(story_tables::project_slug.eq(project))
        .order((story_tables::opened_at.desc(), story_tables::id))
        .select(StoryTableRecord::as_select())
        .load(conn)?)
}

pub fn set_closed(conn: &mut AnyConnection, id: &str, closed_at: i64) -> StoreResult<usize> {
    Ok(diesel::update(story_tables::table.find(id))
        .filter(story_tables::closed_at.is_null())
        .set(story_tables::closed_at.eq(Some(closed_at)))
        .execute(conn)?)
}

/// The number of stories told at each table of a project (tables without stories left out).
pub fn story_counts(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<(String, i64)>> {
    Ok(story_table_links::table
        .inner_join(story_tables::table)
        .filter(story_tables::project_slug.eq(project))
        .group_by(story_table_links::table_id)
        .select((story_table_links::table_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The table name of every story of a project told at a table (story id, table name).
pub fn story_table_names(
    conn: &mut AnyConnection,
    project: &str,
) -> StoreResult<Vec<(String, String)>> {
    Ok(story_table_links::table
        .inner_join(story_tables::table)
        .filter(story_tables::project_slug.eq(project))
        .select((story_table_links::story_id, story_tables::name))
        .load(conn)?)
}

/// The link of one story, if it was told at a table.
pub fn link_of(conn: &mut AnyConnection, story_id: &str) -> StoreResult<Option<StoryTableLink>> {
    Ok(story_table_links::table
        .find(story_id)
        .select(StoryTableLink::as_select())
        .first(conn)
        .optional()?)
}

/// Stores a story told at a table with its answers and its link to the table, and ends the
/// drafts whose key hashes are in `drafts_done`, in one transaction.
pub async fn insert_story(
    db: &super::Database,
    record: StoryRecord,
    answers: Answers,
    link: StoryTableLink,
    drafts_done: Vec<String>,
) -> StoreResult<()> {
    db.write(move |conn| {
        super::told::insert_in(conn, &record, &answers)?;
        diesel::insert_into(story_table_links::table)
            .values(&link)
            .execute(conn)?;
        for key in &drafts_done {
            super::drafts::delete(conn, key)?;
        }
        Ok(())
    })
    .await
}
