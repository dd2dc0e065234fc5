//! Users, their project roles, sessions, one-time tokens and the failed logins per account.
//!
//! Secrets never reach this module in clear: sessions and tokens are looked up by the SHA-256
//! of the random value the browser or the e-mail holds.

use super::schema::{account_tokens, login_throttle, memberships, staff_sessions, users};
use super::{AnyConnection, StoreResult};
use crate::domain::accounts::{Access, ProjectRole};
use diesel::prelude::*;
use std::collections::BTreeMap;

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = users)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub is_active: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

pub fn insert_user(conn: &mut AnyConnection, user: &UserRecord) -> StoreResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)?;
    Ok(())
}

pub fn find_user(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<UserRecord>> {
    Ok(users::table
        .filter(users::id.eq(id))
        .select(UserRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_user_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> StoreResult<Option<UserRecord>> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select(UserRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_users(conn: &mut AnyConnection) -> StoreResult<Vec<UserRecord>> {
    Ok(users::table
        .order((users::is_active.desc(), users::display_name.asc()))
        .select(UserRecord::as_select())
        .load(conn)?)
}

/// Admins who can log in: active and with a password (an admin still holding only an
/// unused link does not count, so the first-run setup link keeps appearing until one can).
pub fn count_active_admins(conn: &mut AnyConnection) -> StoreResult<i64> {
    Ok(users::table
        .filter(users::is_admin.eq(true))
        .filter(users::is_active.eq(true))
        .filter(users::password_hash.is_not_null())
        .count()
        .get_result(conn)?)
}

pub fn set_password_hash(conn: &mut AnyConnection, id: &str, hash: &str) -> StoreResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set(users::password_hash.eq(Some(hash)))
        .execute(conn)?;
    Ok(())
}

pub fn set_last_login(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set(users::last_login_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_active(conn: &mut AnyConnection, id: &str, active: bool) -> StoreResult<bool> {
    let n = diesel::update(users::table.filter(users::id.eq(id)))
        .set(users::is_active.eq(active))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn set_admin(conn: &mut AnyConnection, id: &str, admin: bool) -> StoreResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set(users::is_admin.eq(admin))
        .execute(conn)?;
    Ok(())
}

pub fn project_roles(
    conn: &mut AnyConnection,
    user_id: &str,
) -> StoreResult<BTreeMap<String, ProjectRole>> {
    let rows: Vec<(String, String)> = memberships::table
        .filter(memberships::user_id.eq(user_id))
        .select((memberships::project_slug, memberships::role))
        .load(conn)?;
    // An unknown role name (from a newer version) grants nothing rather than failing.
    Ok(rows
        .into_iter()
        .filter_map(|(project, role)| ProjectRole::parse(&role).map(|r| (project, r)))
        .collect())
}

pub fn access(conn: &mut AnyConnection, user: &UserRecord) -> StoreResult<Access> {
    Ok(Access {
        is_admin: user.is_admin,
        roles: project_roles(conn, &user.id)?,
    })
}

/// Replaces all project roles of a user.
pub fn replace_roles(
    conn: &mut AnyConnection,
    user_id: &str,
    roles: &BTreeMap<String, ProjectRole>,
) -> StoreResult<()> {
    diesel::delete(memberships::table.filter(memberships::user_id.eq(user_id))).execute(conn)?;
    for (project, role) in roles {
        diesel::insert_into(memberships::table)
            .values((
                memberships::user_id.eq(user_id),
                memberships::project_slug.eq(project),
                memberships::role.eq(role.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

// --- sessions ---------------------------------------------------------------------------

#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = staff_sessions)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &str,
    now: i64,
) -> StoreResult<()> {
    diesel::insert_into(staff_sessions::table)
        .values((
            staff_sessions::token_hash.eq(token_hash),
            staff_sessions::user_id.eq(user_id),
            staff_sessions::created_at.eq(now),
            staff_sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_session(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> StoreResult<Option<(SessionRecord, UserRecord)>> {
    Ok(staff_sessions::table
        .inner_join(users::table)
        .filter(staff_sessions::token_hash.eq(token_hash))
        .select((SessionRecord::as_select(), UserRecord::as_select()))
        .first(conn)
        .optional()?)
}

pub fn touch_session(conn: &mut AnyConnection, token_hash: &str, now: i64) -> StoreResult<()> {
    diesel::update(staff_sessions::table.filter(staff_sessions::token_hash.eq(token_hash)))
        .set(staff_sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> StoreResult<()> {
    diesel::delete(staff_sessions::table.filter(staff_sessions::token_hash.eq(token_hash)))
        .execute(conn)?;
    Ok(())
}

/// Signs a user out everywhere (password changed, account deactivated).
pub fn delete_sessions_of(conn: &mut AnyConnection, user_id: &str) -> StoreResult<()> {
    diesel::delete(staff_sessions::table.filter(staff_sessions::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}

/// Removes sessions that were idle since `idle_before` or started before `started_before`.
pub fn delete_expired_sessions(
    conn: &mut AnyConnection,
    idle_before: i64,
    started_before: i64,
) -> StoreResult<usize> {
    Ok(diesel::delete(
        staff_sessions::table.filter(
            staff_sessions::last_seen_at
                .lt(idle_before)
                .or(staff_sessions::created_at.lt(started_before)),
        ),
    )
    .execute(conn)?)
}

// --- one-time tokens ----------------------------------------------------------------------

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = account_tokens)]
pub struct TokenRecord {
    pub token_hash: String,
    pub purpose: String,
    pub user_id: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub fn insert_token(conn: &mut AnyConnection, token: &TokenRecord) -> StoreResult<()> {
    diesel::insert_into(account_tokens::table)
        .values(token)
        .execute(conn)?;
    Ok(())
}

pub fn find_token(conn: &mut AnyConnection, token_hash: &str) -> StoreResult<Option<TokenRecord>> {
    Ok(account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash))
        .select(TokenRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a token used. False when it was used already (by a parallel request, say), so that
/// of two requests with one token only one wins.
pub fn use_token(conn: &mut AnyConnection, token_hash: &str, now: i64) -> StoreResult<bool> {
    let n = diesel::update(
        account_tokens::table
            .filter(account_tokens::token_hash.eq(token_hash))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Makes all open tokens of one purpose (for one user, or user-less) unusable.
pub fn expire_tokens(
    conn: &mut AnyConnection,
    purpose: &str,
    user_id: Option<&str>,
    now: i64,
) -> StoreResult<()> {
    let open = account_tokens::table
        .filter(account_tokens::purpose.eq(purpose))
        .filter(account_tokens::used_at.is_null());
    match user_id {
        Some(id) => diesel::update(open.filter(account_tokens::user_id.eq(id)))
            .set(account_tokens::expires_at.eq(now))
            .execute(conn)?,
        None => diesel::update(open.filter(account_tokens::user_id.is_null()))
            .set(account_tokens::expires_at.eq(now))
            .execute(conn)?,
    };
    Ok(())
}

/// How many tokens of a purpose were made for a user since `since` (limits reset mails).
pub fn count_recent_tokens(
    conn: &mut AnyConnection,
    purpose: &str,
    user_id: &str,
    since: i64,
) -> StoreResult<i64> {
    Ok(account_tokens::table
        .filter(account_tokens::purpose.eq(purpose))
        .filter(account_tokens::user_id.eq(user_id))
        .filter(account_tokens::created_at.ge(since))
        .count()
        .get_result(conn)?)
}

// --- failed logins per account -------------------------------------------------------------

/// The failed logins of one account (`security::login_delay::FailedLogins`), keyed by a hash
/// of the typed address (unknown addresses get a row too).
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = login_throttle)]
pub struct ThrottleRecord {
    pub key: String,
    /// Failures in a row.
    pub failures: i32,
    /// When the latest failure was (the column's name is from when it held the start of a
    /// fixed window).
    #[diesel(column_name = window_start)]
    pub last_failure_at: i64,
    /// No attempt is taken before this time.
    pub blocked_until: Option<i64>,
}

pub fn find_throttle(conn: &mut AnyConnection, key: &str) -> StoreResult<Option<ThrottleRecord>> {
    Ok(login_throttle::table
        .filter(login_throttle::key.eq(key))
        .select(ThrottleRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn save_throttle(conn: &mut AnyConnection, record: &ThrottleRecord) -> StoreResult<()> {
    let updated = diesel::update(login_throttle::table.filter(login_throttle::key.eq(&record.key)))
        .set((
            login_throttle::failures.eq(record.failures),
            login_throttle::window_start.eq(record.last_failure_at),
            login_throttle::blocked_until.eq(record.blocked_until),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(login_throttle::table)
            .values(record)
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear_throttle(conn: &mut AnyConnection, key: &str) -> StoreResult<()> {
    diesel::delete(login_throttle::table.filter(login_throttle::key.eq(key))).execute(conn)?;
    Ok(())
}

/// Forgets failed logins that no longer count (none for a day, no wait left) and one-time
/// links that expired more than 30 days ago.
pub fn delete_stale(conn: &mut AnyConnection, now: i64) -> StoreResult<usize> {
    let throttles = diesel::delete(
        login_throttle::table
            .filter(login_throttle::window_start.lt(now - 24 * 3600))
            .filter(
                login_throttle::blocked_until
                    .is_null()
                    .or(login_throttle::blocked_until.lt(now)),
            ),
    )
    .execute(conn)?;
    let tokens = diesel::delete(
        account_tokens::table.filter(account_tokens::expires_at.lt(now - 30 * 24 * 3600)),
    )
    .execute(conn)?;
    Ok(throttles + tokens)
}
