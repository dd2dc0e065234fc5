//! Verbetervoorstellen, what they grew from, and their dated progress updates.

use super::schema::{proposal_sources, proposal_updates, proposals};
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = proposals)]
pub struct ProposalRecord {
    pub id: String,
    pub project_slug: String,
    pub session_id: Option<String>,
    pub table_id: Option<String>,
    pub cluster_id: Option<String>,
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub first_step: String,
    pub owner_name: String,
    pub owner_email: String,
    pub level: String,
    pub status: String,
    pub remind_after_days: i32,
    pub reminded_at: Option<i64>,
    pub owner_salt: String,
    pub last_activity_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = proposal_updates)]
pub struct UpdateRecord {
    pub id: String,
    pub proposal_id: String,
    pub at: i64,
    pub author: String,
    pub status_before: String,
    pub status_after: String,
    pub body: String,
    pub session_id: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, record: &ProposalRecord) -> StoreResult<()> {
    diesel::insert_into(proposals::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

pub fn find_in_project(
    conn: &mut AnyConnection,
    project: &str,
    id: &str,
) -> StoreResult<Option<ProposalRecord>> {
    Ok(proposals::table
        .filter(proposals::id.eq(id))
        .filter(proposals::project_slug.eq(project))
        .select(ProposalRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<ProposalRecord>> {
    Ok(proposals::table
        .find(id)
        .select(ProposalRecord::as_select())
        .first(conn)
        .optional()?)
}

/// A project's proposals, most recent activity first.
pub fn list(conn: &mut AnyConnection, project: &str) -> StoreResult<Vec<ProposalRecord>> {
    Ok(proposals::table
        .filter(proposals::project_slug.eq(project))
        .order((proposals::last_activity_at.desc(), proposals::id.asc()))
        .select(ProposalRecord::as_select())
        .load(conn)?)
}

/// The proposals written at one table, oldest first.
pub fn of_table(conn: &mut AnyConnection, table: &str) -> StoreResult<Vec<ProposalRecord>> {
    Ok(proposals::table
        .filter(proposals::table_id.eq(table))
        .order((proposals::created_at.asc(), proposals::id.asc()))
        .select(ProposalRecord::as_select())
        .load(conn)?)
}

/// Open proposals with an owner's address: the candidates for a reminder.
pub fn with_owner_email(conn: &mut AnyConnection) -> StoreResult<Vec<ProposalRecord>> {
    Ok(proposals::table
        .filter(proposals::owner_email.ne(""))
        .filter(proposals::remind_after_days.gt(0))
        .filter(proposals::status.ne_all(["gerealiseerd", "gestopt"]))
        .select(ProposalRecord::as_select())
        .load(conn)?)
}

/// Saves the texts, owner, level, status and reminder settings.
pub fn save(conn: &mut AnyConnection, r: &ProposalRecord) -> StoreResult<()> {
    diesel::update(proposals::table.find(&r.id))
        .set((
            proposals::title.eq(&r.title),
            proposals::action.eq(&r.action),
            proposals::so_that.eq(&r.so_that),
            proposals::first_step.eq(&r.first_step),
            proposals::owner_name.eq(&r.owner_name),
            proposals::owner_email.eq(&r.owner_email),
            proposals::level.eq(&r.level),
            proposals::status.eq(&r.status),
            proposals::remind_after_days.eq(r.remind_after_days),
            proposals::owner_salt.eq(&r.owner_salt),
            proposals::last_activity_at.eq(r.last_activity_at),
            proposals::updated_at.eq(r.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Claims the reminder of a proposal: true for exactly one caller, also across instances,
/// because the row is only changed while `reminded_at` still has the value that was read.
pub fn claim_reminder(
    conn: &mut AnyConnection,
    id: &str,
    seen: Option<i64>,
    now: i64,
) -> StoreResult<bool> {
    let target = proposals::table.filter(proposals::id.eq(id));
    let n = match seen {
        Some(at) => diesel::update(target.filter(proposals::reminded_at.eq(at)))
            .set(proposals::reminded_at.eq(now))
            .execute(conn)?,
        None => diesel::update(target.filter(proposals::reminded_at.is_null()))
            .set(proposals::reminded_at.eq(now))
            .execute(conn)?,
    };
    Ok(n == 1)
}

pub fn add_sources(
    conn: &mut AnyConnection,
    proposal: &str,
    sources: &[(String, String)],
) -> StoreResult<()> {
    for (kind, ref_id) in sources {
        diesel::insert_into(proposal_sources::table)
            .values((
                proposal_sources::proposal_id.eq(proposal),
                proposal_sources::kind.eq(kind),
                proposal_sources::ref_id.eq(ref_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// (kind, id) of what a proposal grew from.
pub fn sources(conn: &mut AnyConnection, proposal: &str) -> StoreResult<Vec<(String, String)>> {
    Ok(proposal_sources::table
        .filter(proposal_sources::proposal_id.eq(proposal))
        .order((proposal_sources::kind.asc(), proposal_sources::ref_id.asc()))
        .select((proposal_sources::kind, proposal_sources::ref_id))
        .load(conn)?)
}

pub fn insert_update(conn: &mut AnyConnection, record: &UpdateRecord) -> StoreResult<()> {
    diesel::insert_into(proposal_updates::table)
        .values(record)
        .execute(conn)?;
    Ok(())
}

/// A proposal's updates, oldest first.
pub fn updates(conn: &mut AnyConnection, proposal: &str) -> StoreResult<Vec<UpdateRecord>> {
    Ok(proposal_updates::table
        .filter(proposal_updates::proposal_id.eq(proposal))
        .order((proposal_updates::at.asc(), proposal_updates::id.asc()))
        .select(UpdateRecord::as_select())
        .load(conn)?)
}
