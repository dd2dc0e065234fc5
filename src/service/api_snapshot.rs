//! Snapshots for the research API's pages (docs/formats.md, "API"): the pages of one query
//! hold the stories as they were at its first page, so rows neither shift nor change their
//! protection while a script reads page after page.
//!
//! A snapshot is a signed token, not a copy: it names the moment of the first page and the
//! change log's position just before that page was read (`store::changes`). A later page reads
//! the log from there:
//!
//! - a story told after the first page (in a later second than the first page's) is left out
//!   of the pages, so new stories do not shift them;
//! - any other change — a story withdrawn, hidden, shown, edited or deleted, a story arriving
//!   with an earlier time (an import, a verteltafel that was offline) or in the very second of
//!   the first page (it cannot be told apart from one the first page held), or a change to the
//!   project — ends the snapshot: the page is refused and the script starts again. A withdrawn
//!   story must leave at once, and a changed selection may need other protection, so the
//!   pages cannot stay the same; saying so beats a silent shift.
//!
//! Nothing is stored on the server, so every instance can serve every page.

use super::error::ServiceError;
use crate::exchange::timestamp::now_unix;
use crate::security::Secret;
use crate::store::changes::{self, Change, Cursor};
use crate::store::{stories, Database};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// How long a snapshot may be used: a day is ample for a script reading all pages.
const LIFETIME_SECONDS: i64 = 24 * 3600;
const PURPOSE: &str = "api-momentopname";

/// What the token holds (signed, not secret: it names nothing a token holder cannot see).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Claims {
    /// The query: who, which project, which filter.
    query: String,
    /// The second of the first page.
    at: i64,
    cursor: Cursor,
}

/// The stories of one query as at its first page.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub token: String,
    /// The second of the first page (Unix time).
    pub taken_at: i64,
    /// Stories told after the first page: left out of every page of this snapshot.
    pub left_out: HashSet<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("de momentopname klopt niet of hoort bij een andere vraag (ander project, filter of API-sleutel); begin bij pagina 1 zonder momentopname")]
    Invalid,
    #[error("de verhalen zijn veranderd sinds de eerste pagina ({0}); begin opnieuw bij pagina 1 zonder momentopname")]
    Changed(&'static str),
    #[error(
        "de momentopname is ouder dan een dag; begin opnieuw bij pagina 1 zonder momentopname"
    )]
    Expired,
    #[error(transparent)]
    Core(#[from] ServiceError),
}

impl From<crate::store::StoreError> for SnapshotError {
    fn from(e: crate::store::StoreError) -> Self {
        SnapshotError::Core(ServiceError::Store(e))
    }
}

/// Where the change log of `slug` stands: take it *before* the first page reads the data.
pub fn position(db: &Database, slug: &str) -> Result<Cursor, ServiceError> {
    let mut conn = db.conn()?;
    Ok(changes::cursor(&mut conn, slug)?)
}

fn sign(secret: &Secret, claims: &Claims) -> String {
    let body = serde_json::to_vec(claims).unwrap_or_default();
    let signature = secret.sign(PURPOSE, &body);
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("{}.{}", b64.encode(&body), b64.encode(&signature[..16]))
}

fn read(secret: &Secret, token: &str) -> Option<Claims> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let (body, signature) = token.trim().split_once('.')?;
    let body = b64.decode(body).ok()?;
    let signature = b64.decode(signature).ok()?;
    let full = secret.sign(PURPOSE, &body);
    // Compared in constant time over the 16 bytes the token carries.
    let same = signature.len() == 16
        && full[..16]
            .iter()
            .zip(&signature)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return None;
    }
    serde_json::from_slice(&body).ok()
}

/// A new snapshot for the first page of `query`, read after `cursor` was taken.
pub fn start(secret: &Secret, query: &str, cursor: Cursor) -> Snapshot {
    let claims = Claims {
        query: query.to_string(),
        at: now_unix(),
        cursor,
    };
    Snapshot {
        token: sign(secret, &claims),
        taken_at: claims.at,
        left_out: HashSet::new(),
    }
}

/// The snapshot of `token` for a later page of `query`, if the stories it holds are as they
/// were; call it after the page's data was read.
pub fn resume(
    db: &Database,
    secret: &Secret,
    token: &str,
    query: &str,
    slug: &str,
) -> Result<Snapshot, SnapshotError> {
    let claims = read(secret, token).ok_or(SnapshotError::Invalid)?;
    if claims.query != query {
        return Err(SnapshotError::Invalid);
    }
    if now_unix() - claims.at > LIFETIME_SECONDS {
        return Err(SnapshotError::Expired);
    }
    let mut conn = db.conn()?;
    let (log, _) = changes::since(&mut conn, slug, Some(&claims.cursor))?;
    let mut changed = HashSet::new();
    for change in log {
        match change {
            Change::Project => {
                return Err(SnapshotError::Changed(
                    "de vragenlijst of de instellingen van het project zijn aangepast",
                ))
            }
            Change::Story(id) => {
                changed.insert(id);
            }
            // Reviewed or a signal handled: the data the API gives did not change.
            Change::Workflow(_) => {}
        }
    }
    let ids: Vec<String> = changed.iter().cloned().collect();
    let told = stories::told_at(&mut conn, slug, &ids)?;
    if told.len() < ids.len() {
        return Err(SnapshotError::Changed("een verhaal is verwijderd"));
    }
    if told.iter().any(|(_, at)| *at <= claims.at) {
        return Err(SnapshotError::Changed(
            "een verhaal is ingetrokken, verborgen, aangepast of later toegevoegd met een eerdere datum",
        ));
    }
    Ok(Snapshot {
        token: token.trim().to_string(),
        taken_at: claims.at,
        left_out: changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_only_with_its_secret_and_unchanged() {
        let secret = Secret::from_hex(&"07".repeat(32)).expect("secret");
        let snapshot = start(&secret, "u1|demo|", Cursor::Sqlite { last: 42 });
        let claims = read(&secret, &snapshot.token).expect("reads back");
        assert_eq!(claims.query, "u1|demo|");
        assert_eq!(claims.cursor, Cursor::Sqlite { last: 42 });
        assert!(read(
            &Secret::from_hex(&"08".repeat(32)).expect("secret"),
            &snapshot.token
        )
        .is_none());
        let (body, signature) = snapshot.token.split_once('.').expect("two parts");
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut forged: Claims =
            serde_json::from_slice(&b64.decode(body).expect("base64")).expect("claims");
        forged.cursor = Cursor::Sqlite { last: 0 };
        let forged_body = b64.encode(serde_json::to_vec(&forged).expect("json"));
        assert!(read(&secret, &format!("{forged_body}.{signature}")).is_none());
        assert!(read(&secret, "nonsense").is_none());
        assert!(read(&secret, "").is_none());
    }
}
