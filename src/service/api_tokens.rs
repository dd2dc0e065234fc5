//! Personal API tokens for the research API: created and revoked by their owner on the
//! account page, stored as the SHA-256 of their secret, scoped to projects.
//!
//! A token reads like `vp_<id>_<secret>`: the id finds the row, the secret (160 random bits)
//! proves possession. A fast hash is enough for a secret that long; there is nothing to guess.
//! A token never grants more than its owner has *at the moment of use*: the owner must still
//! be active and still have the export right in the project.

use super::accounts::SignedIn;
use super::audit::{self, action};
use crate::domain::accounts::{Access, ProjectAction, ProjectRole};
use crate::domain::codes::base32;
use crate::exchange::timestamp::now_unix;
use crate::security::{random_bytes, sha256_hex};
use crate::service::error::{self, Refused, ServiceError};
use crate::store::api_tokens::{self as store, ApiTokenRecord};
use crate::store::{accounts, Database, StoreError};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("geef de sleutel een naam van hoogstens 100 tekens")]
    BadName,
    #[error("kies minstens één project waarin je mag exporteren")]
    NoProjects,
    #[error("je mag niet exporteren in project {0}")]
    NotAllowed(String),
    #[error("deze sleutel bestaat niet of is al ingetrokken")]
    NotFound,
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(TokenError);

impl Refused for TokenError {
    fn refusal(&self) -> error::Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::BadName | Self::NoProjects => error::Refusal::Invalid,
            Self::NotAllowed(_) => error::Refusal::NotAllowed,
            Self::NotFound => error::Refusal::NotFound,
        }
    }
}

/// Why a request with a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No token, or not one of ours.
    Unknown,
    Revoked,
    /// The owner's account is switched off.
    Inactive,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Unknown => "geen geldige API-sleutel",
            Refusal::Revoked => "deze API-sleutel is ingetrokken",
            Refusal::Inactive => "het account van deze API-sleutel staat uit",
        }
    }
}

/// A token as its owner sees it on the account page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub projects: Vec<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl From<ApiTokenRecord> for TokenView {
    fn from(r: ApiTokenRecord) -> Self {
        TokenView {
            projects: r.project_list(),
            id: r.id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// Creates a token for `by`, limited to `projects` (each must allow `by` to export). Returns
/// the whole token: it is shown once and cannot be read back.
pub fn create(
    db: &Database,
    by: &SignedIn,
    name: &str,
    projects: &[String],
) -> Result<String, TokenError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(TokenError::BadName);
    }
    if projects.is_empty() {
        return Err(TokenError::NoProjects);
    }
    if let Some(p) = projects
        .iter()
        .find(|p| !by.access.can(p, ProjectAction::Export))
    {
        return Err(TokenError::NotAllowed(p.clone()));
    }
    let id = base32(&random_bytes::<8>(), 12).to_lowercase();
    let secret = base32(&random_bytes::<20>(), 32).to_lowercase();
    let now = now_unix();
    let record = ApiTokenRecord {
        id: id.clone(),
        user_id: by.id.clone(),
        name: name.to_string(),
        secret_hash: sha256_hex(&secret),
        projects: projects.join(";"),
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    };
    db.write_sync(|conn| {
        store::insert(conn, &record)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::TOKEN_CREATE,
            None,
            Some(&id),
            &format!("{name}: {}", projects.join(", ")),
            now,
        )
    })?;
    Ok(format!("vp_{id}_{secret}"))
}

pub fn list(db: &Database, by: &SignedIn) -> Result<Vec<TokenView>, TokenError> {
    let mut conn = db.conn()?;
    Ok(store::of_user(&mut conn, &by.id)?
        .into_iter()
        .map(TokenView::from)
        .collect())
}

pub fn revoke(db: &Database, by: &SignedIn, id: &str) -> Result<(), TokenError> {
    let now = now_unix();
    let done = db.write_sync(|conn| {
        let done = store::revoke(conn, &by.id, id, now)?;
        if done {
            audit::log(
                conn,
                Some(&by.actor()),
                action::TOKEN_REVOKE,
                None,
                Some(id),
                "",
                now,
            )?;
        }
        Ok(done)
    })?;
    done.then_some(()).ok_or(TokenError::NotFound)
}

/// The owner of a token, with only the rights the token gives: onderzoeker (read and export)
/// in the token's projects where the owner may still export. A refusal is logged.
pub fn authenticate(db: &Database, token: &str) -> Result<Result<SignedIn, Refusal>, StoreError> {
    let parsed = token
        .trim()
        .strip_prefix("vp_")
        .and_then(|rest| rest.split_once('_'));
    let Some((id, secret)) = parsed else {
        return Ok(Err(Refusal::Unknown));
    };
    let mut conn = db.conn()?;
    let Some(record) = store::find(&mut conn, id)? else {
        return Ok(Err(Refusal::Unknown));
    };
    // Compared as hashes of equal length: the time taken says nothing about the secret.
    if !constant_time_eq(&sha256_hex(secret), &record.secret_hash) {
        return Ok(Err(Refusal::Unknown));
    }
    let user = accounts::find_user(&mut conn, &record.user_id)?;
    drop(conn);
    let refusal = match (&record.revoked_at, &user) {
        (Some(_), _) => Some(Refusal::Revoked),
        (None, Some(u)) if !u.is_active => Some(Refusal::Inactive),
        (None, None) => Some(Refusal::Unknown),
        _ => None,
    };
    let now = now_unix();
    if let Some(refusal) = refusal {
        db.write_sync(|conn| {
            audit::log(
                conn,
                None,
                action::EXPORT_REFUSED,
                None,
                Some(&record.id),
                &format!("geweigerd via de API: {}", refusal.message()),
                now,
            )
        })?;
        return Ok(Err(refusal));
    }
    let Some(user) = user else {
        return Ok(Err(Refusal::Unknown));
    };
    let full = db.write_sync(|conn| {
        store::touch(conn, &record.id, now)?;
        accounts::access(conn, &user)
    })?;
    let roles: BTreeMap<String, ProjectRole> = record
        .project_list()
        .into_iter()
        .filter(|p| full.can(p, ProjectAction::Export))
        .map(|p| (p, ProjectRole::Onderzoeker))
        .collect();
    Ok(Ok(SignedIn {
        id: user.id,
        email: user.email,
        name: format!("{} (API-sleutel {})", user.display_name, record.name),
        access: Access {
            is_admin: false,
            roles,
        },
    }))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_hashes_compare_equal_and_others_do_not() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
