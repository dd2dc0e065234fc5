//! The audit log: who did what, when. It never holds story content or passwords; callers pass
//! only ids, names of settings and short reasons.

use super::schema::audit_log;
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

/// One thing that happened, to be written to the log.
#[derive(Insertable, Debug, Clone, PartialEq, Default)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry {
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub project_slug: Option<String>,
    pub target: Option<String>,
    pub detail: String,
}

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, serde::Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub project_slug: Option<String>,
    pub target: Option<String>,
    pub detail: String,
}

pub fn record(conn: &mut AnyConnection, entry: &NewAuditEntry) -> StoreResult<()> {
    diesel::insert_into(audit_log::table)
        .values(entry)
        .execute(conn)?;
    Ok(())
}

/// What to show of the log. Every field is optional; `before_id` pages backwards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// An action name, or a prefix ending in '.' (e.g. `login.`).
    pub action: Option<String>,
    pub actor_email: Option<String>,
    pub project: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub before_id: Option<i64>,
}

/// Newest first, at most `limit` entries.
pub fn list(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
    limit: i64,
) -> StoreResult<Vec<AuditEntry>> {
    let mut query = audit_log::table.into_boxed();
    if let Some(action) = &filter.action {
        query = if action.ends_with('.') {
            query.filter(audit_log::action.like(format!("{}%", escape_like(action))))
        } else {
            query.filter(audit_log::action.eq(action.clone()))
        };
    }
    if let Some(email) = &filter.actor_email {
        query = query.filter(audit_log::actor_email.eq(email.clone()));
    }
    if let Some(project) = &filter.project {
        query = query.filter(audit_log::project_slug.eq(project.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(until));
    }
    if let Some(before) = filter.before_id {
        query = query.filter(audit_log::id.lt(before));
    }
    Ok(query
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)?)
}

/// Action names never contain LIKE wildcards, but a filter typed by a person might.
fn escape_like(s: &str) -> String {
    s.replace(['%', '_'], "")
}
