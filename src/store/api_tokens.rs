//! Personal API tokens (only the hash of their secret is stored).

use super::schema::api_tokens;
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRecord {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub secret_hash: String,
    /// `;`-joined project slugs.
    pub projects: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ApiTokenRecord {
    pub fn project_list(&self) -> Vec<String> {
        self.projects
            .split(';')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect()
    }
}

pub fn insert(conn: &mut AnyConnection, token: &ApiTokenRecord) -> StoreResult<()> {
    diesel::insert_into(api_tokens::table)
        .values(token)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<ApiTokenRecord>> {
    Ok(api_tokens::table
        .filter(api_tokens::id.eq(id))
        .select(ApiTokenRecord::as_select())
        .first(conn)
        .optional()?)
}

/// A user's tokens, newest first (revoked ones too, to show when they were revoked).
pub fn of_user(conn: &mut AnyConnection, user_id: &str) -> StoreResult<Vec<ApiTokenRecord>> {
    Ok(api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .order((api_tokens::created_at.desc(), api_tokens::id.asc()))
        .select(ApiTokenRecord::as_select())
        .load(conn)?)
}

/// Revokes a token of this user; false when there is no such active token.
pub fn revoke(conn: &mut AnyConnection, user_id: &str, id: &str, now: i64) -> StoreResult<bool> {
    let n = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn touch(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    diesel::update(api_tokens::table.filter(api_tokens::id.eq(id)))
        .set(api_tokens::last_used_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// Every token (for copying a database).
pub fn all(conn: &mut AnyConnection) -> StoreResult<Vec<ApiTokenRecord>> {
    Ok(api_tokens::table
        .order(api_tokens::id.asc())
        .select(ApiTokenRecord::as_select())
        .load(conn)?)
}
