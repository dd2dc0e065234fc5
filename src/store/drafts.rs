//! Unfinished stories saved with "Later verder". A draft is found by the hash of its resume
//! code (the code itself is never stored) and changed by the hash of the form key it was first
//! saved from. Nothing else reads this table: drafts are never counted, analysed or exported.

use super::schema::story_drafts;
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

/// A story_drafts row exactly as stored.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = story_drafts)]
pub struct DraftRecord {
    pub key_hash: String,
    pub resume_hash: String,
    pub project_slug: String,
    /// The form as typed, as JSON (see `service::drafts`).
    pub content: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

/// Stores a new draft or, when one with this key exists, replaces its content and expiry.
pub fn save(conn: &mut AnyConnection, draft: &DraftRecord) -> StoreResult<()> {
    let changed = diesel::update(
        story_drafts::table
            .filter(story_drafts::key_hash.eq(&draft.key_hash))
            .filter(story_drafts::project_slug.eq(&draft.project_slug)),
    )
    .set((
        story_drafts::content.eq(&draft.content),
        story_drafts::updated_at.eq(draft.updated_at),
        story_drafts::expires_at.eq(draft.expires_at),
    ))
    .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(story_drafts::table)
            .values(draft)
            .execute(conn)?;
    }
    Ok(())
}

/// The draft of this project whose resume code hashes to `resume_hash`, if not expired.
pub fn find_by_resume_hash(
    conn: &mut AnyConnection,
    project: &str,
    resume_hash: &str,
    now: i64,
) -> StoreResult<Option<DraftRecord>> {
    Ok(story_drafts::table
        .filter(story_drafts::project_slug.eq(project))
        .filter(story_drafts::resume_hash.eq(resume_hash))
        .filter(story_drafts::expires_at.gt(now))
        .select(DraftRecord::as_select())
        .first(conn)
        .optional()?)
}

/// The draft saved from this form key, if not expired.
pub fn find_by_key_hash(
    conn: &mut AnyConnection,
    project: &str,
    key_hash: &str,
    now: i64,
) -> StoreResult<Option<DraftRecord>> {
    Ok(story_drafts::table
        .filter(story_drafts::project_slug.eq(project))
        .filter(story_drafts::key_hash.eq(key_hash))
        .filter(story_drafts::expires_at.gt(now))
        .select(DraftRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Removes the draft saved from this form key (it became a story).
pub fn delete(conn: &mut AnyConnection, key_hash: &str) -> StoreResult<usize> {
    Ok(
        diesel::delete(story_drafts::table.filter(story_drafts::key_hash.eq(key_hash)))
            .execute(conn)?,
    )
}

/// Erases every draft past its expiry; returns how many.
pub fn delete_expired(conn: &mut AnyConnection, now: i64) -> StoreResult<usize> {
    Ok(
        diesel::delete(story_drafts::table.filter(story_drafts::expires_at.le(now)))
            .execute(conn)?,
    )
}
